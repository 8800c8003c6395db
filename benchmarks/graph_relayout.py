"""How long the network graph takes to lay itself out on a resize or a zoom (GraphView._relayout:
the number font, the short graph's texts, the places of the numbers on the edges), here against
an earlier revision of the code, measured in the same run.

    .venv/bin/python benchmarks/graph_relayout.py [--before REV] [--rounds 3]

The two versions (this working tree and ``git archive REV``'s gui/ and engine/) each run in a
child process, rounds interleaved so that a busy machine slows both alike; a round resizes a
GraphView of each preset by a few pixels at a time (a new layout each time) at the Lecture
layout's 1024×768 graph size, at zoom −2, 0 and +3, and times resize plus the paint that follows.
Prints the median ms per relayout of each and their ratio (after / before).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ["mazur", "diagram", "wong", "iris", "sine", "vanishing", "digits"]
ZOOMS = [-2, 0, 3]
SIZE = (653, 608)            # the graph of the Lecture layout on a 1024×768 screen
STEPS = 4                    # relayouts timed per preset, zoom and round


def child(code_root: str) -> None:
    """Time the relayouts with the code under ``code_root``; print {"preset zoom": [ms, …]}."""
    sys.path.insert(0, code_root)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import time

    from PySide6 import QtWidgets
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0]])
    from gui.session import Session
    from gui.shell.presentation import ZOOM_STEP
    from gui.theme import configure_pyqtgraph
    from gui.widgets.graph.view import GraphView
    assert Path(sys.modules["gui"].__file__).resolve().is_relative_to(Path(code_root).resolve())
    configure_pyqtgraph()
    out = {}
    for preset in PRESETS:
        session = Session(preset)
        session.settings.animate = False
        graph = GraphView(session)
        graph.resize(*SIZE)
        graph.show()
        app.processEvents()
        for zoom in ZOOMS:
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            app.processEvents()
            times = []
            for i in range(1, STEPS + 1):
                t0 = time.perf_counter()
                graph.resize(SIZE[0] + 3 * i, SIZE[1] - 2 * i)
                graph.repaint()
                times.append((time.perf_counter() - t0) * 1000)
            out[f"{preset} {zoom:+d}"] = times
        graph.close()
        graph.deleteLater()
        session.stop()
        app.processEvents()
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="2bff00e", help="the earlier revision (default: main before the leader lines were tested all at once)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child)
    with tempfile.TemporaryDirectory(prefix="bplens-before-") as tmp:
        archive = Path(tmp) / "before.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), args.before, "gui", "engine"], check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(Path(tmp) / "code", filter="data")
        versions = {"before": str(Path(tmp) / "code"), "after": str(ROOT)}
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="bplens-bench-"))
        samples: dict = {name: {} for name in versions}
        for r in range(args.rounds):
            for name, code in versions.items():
                done = subprocess.run([sys.executable, __file__, "--child", code], capture_output=True, text=True,
                                      env=env, cwd=tmp, check=True)
                for key, times in json.loads(done.stdout.strip().splitlines()[-1]).items():
                    samples[name].setdefault(key, []).extend(times)
            print(f"round {r + 1} of {args.rounds} done", file=sys.stderr)
    print(f"ms per relayout of a {SIZE[0]}×{SIZE[1]} graph (resize + paint), median of {args.rounds}×{STEPS}; "
          f"before = {args.before}")
    print(f"{'preset zoom':<16}{'before':>9}{'after':>9}{'after/before':>14}")
    ratios = []
    for key in samples["before"]:
        b, a = statistics.median(samples["before"][key]), statistics.median(samples["after"][key])
        ratios.append(a / b)
        print(f"{key:<16}{b:>9.1f}{a:>9.1f}{a / b:>14.2f}")
    print(f"{'median ratio':<34}{statistics.median(ratios):>14.2f}")


if __name__ == "__main__":
    main()
