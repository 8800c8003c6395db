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
import re
import sys
import warnings

with warnings.catch_warnings():
    # ziamath 0.13 locates its font with importlib.resources.path, deprecated since Python 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    import ziamath

ziamath.config.svg2 = False          # SVG 1.1 paths, no <symbol>/<use>: what Qt's SVG Tiny renderer draws


# ziamath 0.13 spaces its own operators (\sin x, \log a) as TeX does but not \operatorname{…}: it drew
# "diagσ′(z)" where TeX writes "diag σ′(z)".  TeX's thin space between an operator and an ordinary
# atom (a letter, a digit, a symbol, a fraction), none before an opening delimiter or a space of its own.
_OPERATOR_THEN_ORD = re.compile(r"(\\operatorname\{[^{}]*\})\s*(?=[A-Za-z0-9]|\\(?!left|right|[bB]igg?[lr]?\b|quad|qquad)[A-Za-z])")


def operator_spacing(source: str) -> str:
    """``source`` with TeX's thin space after each \\operatorname{…} that an ordinary atom follows."""
    return _OPERATOR_THEN_ORD.sub(r"\1\\,", source)


# ziamath 0.13 moves a superscript right by its base's whole italic correction: after an italic W or V
# that left a visible gap ("W ¹a⁰": 3.8 px of blank between the glyphs' outlines at 24 px, where δ¹,
# a¹, b¹, P¹, z¹ and x¹ have 1.8-2.4).  A negative kern of 1.5 mu at the superscript's start (a lone
# italic W or V: not a command's letter, nor a braced, upright \mathbf{W}) brings it to theirs.
_WIDE_ITALIC_THEN_SUP = re.compile(r"(?<![\\A-Za-z{])([WV])\^(?:\{|(\\[A-Za-z]+|[^\s{]))")


def superscript_spacing(source: str) -> str:
    """``source`` with the superscript of each italic W and V moved left by 1.5 mu:
    "W^{1}" and "W^1" become "W^{\\mkern-1.5mu 1}"."""
    return _WIDE_ITALIC_THEN_SUP.sub(
        lambda m: rf"{m.group(1)}^{{\mkern-1.5mu " + (f"{m.group(2)}}}" if m.group(2) else ""), source)


def svg(source: str, size: float, color: str = "#000000") -> bytes:
    """The SVG of ``source`` at font ``size`` px in ``color`` (raises on bad LaTeX)."""
    return ziamath.Latex(superscript_spacing(operator_spacing(source)), size=size, color=color).svg().encode("utf-8")


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
