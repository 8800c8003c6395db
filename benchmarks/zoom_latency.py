"""Zoom latency: the GUI thread's CPU time from a zoom key (Ctrl+=, Ctrl+−, Ctrl+0) or the layout key
(L) to the main window settled, per preset and screen size, beside the cost of a bare repaint of
the same window (``window.repaint()``: every shown widget paints once, nothing changed); with
``--before REV`` the same for an earlier revision, side by side in the same run.

    .venv/bin/python benchmarks/zoom_latency.py [--sizes 1024x768 1280x720] [--presets iris wong diagram mazur digits]
                                                [--before REV] [--rounds 1]

Each preset is opened in the main window on one screen of that size (offscreen, as on a projector:
the Lecture layout), at micro-step 10 (δ¹ known: numbers on neurons and edges), and walked
zoom 0 → +3 → 0 → +3, Ctrl+0, then L twice (Training layout and back).  A key's time runs from the key
press (QTest.keyClick: the shortcut fires and every widget follows) until a whole pass of the event
loop brings no paint, layout, resize or update event.  ``relayouts``: how many times the network
graph laid itself out (GraphView._relayout) in the key.  Every (revision, size) runs in its own
child process, rounds interleaved, so a busy machine slows both alike.  Settings go to a throwaway
XDG_CONFIG_HOME.  Target: every key ≲ 300 ms of CPU.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = (["Ctrl+="] * 3 + ["Ctrl+-"] * 3 + ["Ctrl+="] * 3 + ["Ctrl+0", "L", "L"])
KINDS = {"Ctrl+=": "zoom in", "Ctrl+-": "zoom out", "Ctrl+0": "zoom 0", "L": "layout"}
TARGET_MS = 300.0


def child(code_root: str, size: str, presets: list[str]) -> None:
    """Walk the keys with the code under ``code_root`` on a ``size`` screen; print one JSON line:
    {preset: {"keys": [[key, cpu ms, relayouts], …], "bare": cpu ms}}."""
    sys.path.insert(0, code_root)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    width, height = (int(v) for v in size.split("x"))
    import gui.cli.app  # noqa: F401  (the app's process settings, before NumPy loads)
    from PySide6 import QtCore, QtGui, QtTest

    from common import open_window
    from gui.widgets.graph.view import GraphView
    assert Path(sys.modules["gui"].__file__).resolve().is_relative_to(Path(code_root).resolve())
    QtCore.qInstallMessageHandler(lambda *_args: None)
    busy_types = {QtCore.QEvent.Type.Paint, QtCore.QEvent.Type.LayoutRequest, QtCore.QEvent.Type.UpdateRequest,
                  QtCore.QEvent.Type.UpdateLater, QtCore.QEvent.Type.Resize}

    class Busy(QtCore.QObject):
        count = 0

        def eventFilter(self, _watched, event) -> bool:   # noqa: N802 (Qt's name)
            if event.type() in busy_types:
                Busy.count += 1
            return False

    relayouts, graph = [0], {}
    relayout = GraphView._relayout

    def counted(self):
        if self is graph.get("main"):
            relayouts[0] += 1
        relayout(self)
    GraphView._relayout = counted

    app, session, window = open_window((width, height), animate=False, preset=presets[0])
    graph["main"] = window.graph
    busy = Busy()
    app.installEventFilter(busy)

    def settle() -> None:
        while True:
            before = Busy.count
            QtCore.QCoreApplication.sendPostedEvents()
            app.processEvents()
            if Busy.count == before:
                return

    def spin(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 10)
            time.sleep(0.002)

    out = {}
    for preset in presets:
        session.load_preset(preset)
        session.settings.animate = False
        session.settings.font_scale = 1.0
        spin(0.5)
        session.seek(min(9, session.stepper.last))
        settle()
        spin(0.5)
        keys = []
        for key in KEYS:
            sequence = QtGui.QKeySequence(key)[0]
            relayouts[0] = 0
            c0 = time.thread_time()
            QtTest.QTest.keyClick(window, sequence.key(), sequence.keyboardModifiers())
            settle()
            keys.append([key, (time.thread_time() - c0) * 1e3, relayouts[0]])
            spin(0.3)                       # a lecturer's pace: idle time between keys
        bare = []
        for _ in range(10):
            c0 = time.thread_time()
            window.repaint()
            bare.append((time.thread_time() - c0) * 1e3)
        out[preset] = {"keys": keys, "bare": statistics.median(bare), "layout": session.settings.layout}
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["1024x768", "1280x720"])
    ap.add_argument("--presets", nargs="+", default=["iris", "wong", "diagram", "mazur", "digits"])
    ap.add_argument("--before", help="an earlier revision, timed side by side (git archive of its gui/ and engine/)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--detail", action="store_true", help="print every key's CPU ms and relayouts under its line")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child[0], args.child[1], args.presets)
    with tempfile.TemporaryDirectory(prefix="bplens-zoom-") as tmp:
        versions = {"after": str(ROOT)}
        if args.before:
            archive = Path(tmp) / "before.tar"
            subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), args.before, "gui", "engine", "assets"],
                           check=True)
            with tarfile.open(archive) as tar:
                tar.extractall(Path(tmp) / "code", filter="data")
            versions = {"before": str(Path(tmp) / "code"), **versions}
        samples: dict = {}
        for r in range(args.rounds):
            for size in args.sizes:
                screens = Path(tmp) / f"screens-{size}.json"
                w, h = (int(v) for v in size.split("x"))
                screens.write_text(json.dumps({"screens": [{"name": "projector", "x": 0, "y": 0, "width": w, "height": h,
                                                            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
                for name, code in versions.items():
                    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screens}",
                               XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="bplens-bench-", dir=tmp))
                    env.pop("DISPLAY", None)
                    done = subprocess.run([sys.executable, __file__, "--child", code, size, "--presets", *args.presets],
                                          capture_output=True, text=True, env=env, cwd=tmp)
                    if done.returncode:
                        sys.exit(f"{name} {size}: child failed\n{done.stderr[-3000:]}")
                    for preset, got in json.loads(done.stdout.strip().splitlines()[-1]).items():
                        samples.setdefault((size, preset, name), []).append(got)
            print(f"round {r + 1} of {args.rounds} done", file=sys.stderr)
    print("GUI-thread CPU ms per key, zoom 0 → +3 → 0 → +3, Ctrl+0, L, L at micro-step 10 (median of the keys of a kind, "
          "worst); relayouts: the graph's layouts per key (median, most); bare: window.repaint() of the same window")
    print(f"{'size':<10}{'preset':<9}{'code':<8}" + "".join(f"{k:>16}" for k in KINDS.values())
          + f"{'worst':>8}{'relayouts':>11}{'bare':>7}  target")
    for (size, preset, name), runs in samples.items():
        keys = [k for run in runs for k in run["keys"]]
        cells = []
        for key in KINDS:
            ms = [c for k, c, _n in keys if k == key]
            cells.append(f"{statistics.median(ms):>9.0f} ({max(ms):>4.0f})")
        worst = max(c for _k, c, _n in keys)
        counts = [n for _k, _c, n in keys]
        bare = statistics.median(run["bare"] for run in runs)
        print(f"{size:<10}{preset:<9}{name:<8}" + "".join(f"{c:>16}" for c in cells)
              + f"{worst:>8.0f}{statistics.median(counts):>6.0f} ({max(counts)}){bare:>7.1f}  "
              + ("PASS" if worst <= TARGET_MS else "MISS"))
        if args.detail:
            print("    " + ", ".join(f"{k} {c:.0f} ({n})" for k, c, n in keys))


if __name__ == "__main__":
    main()
