"""The typesetting process: ziamath in a process of its own, started by gui.mathview to typeset
equations ahead of time on another core, so that the GUI thread only draws the finished SVG.

A process, not a thread: a Python thread that allocates runs the garbage collector, which then
destroys the GUI thread's Qt objects on the wrong thread (that is how the whole test run once died).
This module imports neither Qt nor the rest of the app.

Protocol, bytes on stdin and stdout: each request is one line of JSON ``[source, size, colour]``;
each answer, in the same order, one line of JSON ``[length]`` followed by ``length`` bytes of SVG,
or ``[-1]`` when ziamath could not typeset the source (the GUI typesets it again to show the error).
End of input ends the process.
"""
from __future__ import annotations

import json
import sys
import warnings

with warnings.catch_warnings():
    # ziamath 0.13 locates its font with importlib.resources.path, deprecated since Python 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    import ziamath

ziamath.config.svg2 = False          # SVG 1.1 paths, no <symbol>/<use>: what Qt's SVG Tiny renderer draws


def svg(source: str, size: float, color: str = "#000000") -> bytes:
    """The SVG of ``source`` at font ``size`` px in ``color`` (raises on bad LaTeX)."""
    return ziamath.Latex(source, size=size, color=color).svg().encode("utf-8")


def main() -> int:
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        try:
            source, size, color = json.loads(line)
            data = svg(str(source), float(size), str(color))
        except Exception:   # noqa: BLE001 — any failure: the GUI thread typesets it and shows the error
            out.write(b"[-1]\n")
        else:
            out.write(json.dumps([len(data)]).encode("ascii") + b"\n" + data)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
