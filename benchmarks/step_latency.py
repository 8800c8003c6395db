"""Step latency: the time from a micro-step key (→ or ←) to the main window fully repainted, with
the graph and each companion panel in front (the matrices, the derivation), at 1280×720, for the
mazur (2-2-2), diagram (3-4-2) and digits (64-…-10) presets; beside it the cost of a bare repaint
of the same window (``window.repaint()``: every shown widget paints once, nothing changed).

    .venv/bin/python benchmarks/step_latency.py [--rounds 2] [--pause 0.3] [--presets mazur diagram digits] [--python-gc]

One sample: a key press sent to the window (QTest.keyClick: the shortcut fires, the session steps,
every widget follows) and then the event loop run until a whole pass brings no paint, layout or
update-request event: the window shows the new micro-step.  The walk goes forward through every
micro-step of an example and back again, ``--rounds`` times, pausing ``--pause`` seconds of live
event loop between keys (a lecturer's pace: what the app does in idle time, it may do there).
Animation is off (the first frame of an animated step is what this measures, and the animation's
later frames are paced by its clock, not by the key).  Qt runs offscreen when there is no DISPLAY, on
one 1280×720 screen (the window fills it, as on a projector: the Lecture layout); under X, give it
a 1280×720 screen.  Settings go to a throwaway XDG_CONFIG_HOME.

In front: ``graph`` (the companion's docks hidden), ``matrices`` and ``derivation`` (the companion
kept on that panel: all five heatmaps, or the derivation's "This step"), and ``follow`` (the
Lecture layout's default: the companion follows the phase, switching between the current layer's
heatmaps of the phase and the derivation).  ``--detail`` prints every key's figures.

The window is opened as the app opens it, with Python's full garbage collections paced by
gui.collector (what is alive after start-up frozen, full collections between keys); ``gc`` is the
collector's time inside the keys, and the run ends with how many full collections ran and what one
costs now.  ``--python-gc`` leaves them to Python, for comparison (run it beside a run without).

Targets: median ≤ 30 ms and worst ≤ 60 ms a step, with any panel in front.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and "QT_QPA_PLATFORM" not in os.environ:
    # the offscreen platform's own screen is 800×800, and the window keeps inside its screen: a projector's
    _screens = Path(tempfile.mkdtemp(prefix="bplens-bench-screen-")) / "screens.json"
    _screens.write_text(json.dumps({"screens": [{"name": "projector", "x": 0, "y": 0, "width": 1280, "height": 720,
                                                 "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screens}"
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplens-bench-")

import gui.cli.app  # noqa: E402,F401  (the app's process settings, before NumPy loads)
from PySide6 import QtCore, QtTest  # noqa: E402

from common import open_window  # noqa: E402

MEDIAN_TARGET_MS, WORST_TARGET_MS = 30.0, 60.0
SIZE = (1280, 720)
PANELS = ("graph", "matrices", "derivation", "follow")
_BUSY = {QtCore.QEvent.Type.Paint, QtCore.QEvent.Type.LayoutRequest, QtCore.QEvent.Type.UpdateRequest,
         QtCore.QEvent.Type.UpdateLater, QtCore.QEvent.Type.Resize}


class EventCounter(QtCore.QObject):
    """Counts the paint/layout events the application delivers (an application event filter)."""

    def __init__(self):
        super().__init__()
        self.busy = 0
        self.paints = 0

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        t = event.type()
        if t in _BUSY:
            self.busy += 1
            if t == QtCore.QEvent.Type.Paint:
                self.paints += 1
        return False


class GcWatch:
    """The time Python's cyclic garbage collector runs (gc.callbacks), and how many of its runs were
    full (generation 2) collections, while ``on``."""

    def __init__(self):
        self.on = False
        self.ms = 0.0
        self.full = 0
        self.every_full: list[float] = []      # ms of each full collection, in keys or not
        self._t0 = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._t0 = time.perf_counter()
            return
        ms = (time.perf_counter() - self._t0) * 1e3
        if info["generation"] == 2:
            self.every_full.append(ms)
        if self.on:
            self.ms += ms
            self.full += info["generation"] == 2


class Bench:
    def __init__(self, collector: bool = True):
        self.app, self.session, self.window = open_window(SIZE, animate=False, collector=collector)
        self.counter = EventCounter()
        self.app.installEventFilter(self.counter)
        self.gc = GcWatch()
        self.spin(0.3)

    def spin(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 10)
            time.sleep(0.002)

    def settle(self) -> None:
        """Run the event loop until one whole pass delivers no paint, layout or update event."""
        while True:
            before = self.counter.busy
            QtCore.QCoreApplication.sendPostedEvents()
            self.app.processEvents()
            if self.counter.busy == before:
                return

    def front(self, panel: str) -> None:
        """The graph alone (``graph``: the companion's docks hidden), or beside the
        companion panel kept on ``panel`` (matrices: all five heatmaps; derivation), or following
        the phase (``follow``, the Lecture layout's default: the current layer's heatmaps of the
        phase, or the derivation at the loss)."""
        docks = self.window.docks
        for name in ("matrices", "derivation", "compgraph"):     # the companion's tab group
            docks[name].setVisible(panel != "graph")
        if panel != "graph":
            self.session.settings.companion = panel
        self.spin(0.3)

    def key(self, key) -> tuple[float, float, int, float, int]:
        """Milliseconds from the key press to the settled window (wall clock, and CPU time of the GUI
        thread), the paint events it took, and the milliseconds and full runs of Python's garbage
        collector in it."""
        paints, gc_ms, gc_full = self.counter.paints, self.gc.ms, self.gc.full
        self.gc.on = True
        t0, c0 = time.perf_counter(), time.thread_time()
        QtTest.QTest.keyClick(self.window, key)
        self.settle()
        ms, cpu = (time.perf_counter() - t0) * 1e3, (time.thread_time() - c0) * 1e3
        self.gc.on = False
        return ms, cpu, self.counter.paints - paints, self.gc.ms - gc_ms, self.gc.full - gc_full

    def pictures(self, pause: float) -> float | None:
        """When the settled window shows equations as their stand-in: the ms until the typesetting
        process's pictures replace them (the event loop running, at most ``pause``); else None."""
        from gui import mathview
        if not mathview.standing_in():
            return None
        t0 = time.perf_counter()
        while mathview.standing_in() and time.perf_counter() - t0 < pause:
            self.app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
        return (time.perf_counter() - t0) * 1e3

    def walk(self, rounds: int, pause: float) -> tuple[list[float], list[float], list[int], list[str], list[float],
                                                       list[tuple[float, int]]]:
        """Every micro-step forward and back, ``rounds`` times: per key the wall and CPU ms, the
        paint events, the micro-step arrived at ("→5" or "←5", counted from 1), the garbage
        collector's ms and full runs in it; and for each key that left stand-ins the ms until
        their pictures came."""
        times, cpu, paints, where, standins, collected = [], [], [], [], [], []
        last = self.session.stepper.last
        self.spin(pause)                 # the first key too comes after a pause
        for _ in range(rounds):
            for key, n, arrow in ((QtCore.Qt.Key.Key_Right, last, "→"), (QtCore.Qt.Key.Key_Left, last, "←")):
                for _ in range(n):
                    ms, c, p, g, full = self.key(key)
                    collected.append((g, full))
                    times.append(ms)
                    cpu.append(c)
                    paints.append(p)
                    where.append(f"{arrow}{self.session.stepper.index + 1}")
                    t0 = time.perf_counter()
                    wait = self.pictures(pause)
                    if wait is not None:
                        standins.append(wait)
                    self.spin(max(pause - (time.perf_counter() - t0), 0.0))
        return times, cpu, paints, where, standins, collected

    def bare_repaint(self, n: int = 20) -> tuple[float, float]:
        """Median wall and GUI-thread CPU milliseconds of ``window.repaint()``."""
        wall, cpu = [], []
        for _ in range(n):
            t0, c0 = time.perf_counter(), time.thread_time()
            self.window.repaint()
            wall.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.thread_time() - c0) * 1e3)
        return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pause", type=float, default=0.3, help="seconds of live event loop between keys")
    ap.add_argument("--presets", nargs="+", default=["mazur", "diagram", "digits"])
    ap.add_argument("--panels", nargs="+", default=list(PANELS), choices=PANELS)
    ap.add_argument("--no-ahead", action="store_true",
                    help="do not typeset the neighbouring micro-steps ahead of time (for comparison)")
    ap.add_argument("--python-gc", action="store_true",
                    help="leave Python's full garbage collections to Python, not paced by gui.collector (for comparison)")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="profile the walks with cProfile and print the N costliest functions")
    ap.add_argument("--detail", action="store_true",
                    help="print every key's micro-step and wall/CPU milliseconds under its line")
    args = ap.parse_args()
    QtCore.qInstallMessageHandler(_quiet)
    if args.no_ahead:
        from gui import mathview
        mathview.ahead.ask = lambda *a, **k: None
    bench = Bench(collector=not args.python_gc)
    profiler = None
    if args.profile:
        import cProfile
        profiler = cProfile.Profile()
    screen, win = bench.window.screen().size(), bench.window.size()
    print(f"step latency on a {screen.width()}×{screen.height()} screen (window {win.width()}×{win.height()}, "
          f"{bench.session.settings.layout} layout), {args.rounds} round(s) forward and back, "
          f"{args.pause:g} s between keys; QPA {bench.app.platformName()}; full garbage collections "
          + ("by Python" if args.python_gc else "paced by gui.collector"))
    print("ms, wall: key to settled window (worst at micro-step →k going forward, ←k going back); cpu: the GUI\n"
          "thread's CPU time in it (what a busy machine does not inflate); bare: window.repaint() of the same\n"
          "window, nothing changed, median ms wall (cpu); median/bare: the step's median over the bare repaint;\n"
          "stand-in: keys after which an equation showed as greyed text until its typeset picture came;\n"
          "gc: ms of Python's garbage collection inside the keys, all keys together (full collections in it)")
    print(f"{'preset':<9}{'in front':<12}{'steps':>6}{'median':>8}{'worst':>8}{'at':>5}{'cpu med':>9}"
          f"{'cpu worst':>10}{'paints':>7}{'bare':>7}{'(cpu)':>7}{'median/bare':>12}{'stand-in':>9}{'gc':>7}{'(full)':>7}"
          f"  target (wall)")
    ok = True
    for preset in args.presets:
        bench.session.load_preset(preset)
        bench.session.settings.animate = False
        bench.spin(0.3)
        for panel in args.panels:
            bench.front(panel)
            bench.session.first_step()
            bench.settle()
            if profiler is not None:
                profiler.enable()
            times, cpu, paints, where, standins, collected = bench.walk(args.rounds, args.pause)
            if profiler is not None:
                profiler.disable()
            bare, bare_cpu = bench.bare_repaint()
            med, worst = statistics.median(times), max(times)
            good = med <= MEDIAN_TARGET_MS and worst <= WORST_TARGET_MS
            ok &= good
            print(f"{preset:<9}{panel:<12}{len(times):>6}{med:>8.1f}{worst:>8.1f}{where[times.index(worst)]:>5}"
                  f"{statistics.median(cpu):>9.1f}{max(cpu):>10.1f}{statistics.median(paints):>7.0f}{bare:>7.1f}"
                  f"{bare_cpu:>7.1f}{med / bare:>12.1f}{len(standins):>9}{sum(g for g, _ in collected):>7.1f}"
                  f"{sum(n for _, n in collected):>7}  {'PASS' if good else 'MISS'}", flush=True)
            if standins:
                print(f"    {len(standins)} key(s) showed equations as their stand-in; their pictures came "
                      f"{statistics.median(standins):.0f} ms later (median), at most {max(standins):.0f} ms")
            if args.detail:
                print("    " + "  ".join(f"{w}:{t:.0f}/{c:.0f}" + (f" (gc {g:.0f}{', full' if n else ''})" if g >= 1 else "")
                                      for w, t, c, (g, n) in zip(where, times, cpu, collected)))
    full = bench.gc.every_full
    print(f"full garbage collections after start-up, in keys or between them: {len(full)}"
          + (f", {statistics.median(full):.1f} ms median, {max(full):.1f} ms the longest" if full else ""))
    t0 = time.perf_counter()
    gc.collect()
    print(f"one full collection at the end: {(time.perf_counter() - t0) * 1e3:.1f} ms "
          f"({len(gc.get_objects())} objects to walk, {gc.get_freeze_count()} frozen)")
    print(f"targets: median ≤ {MEDIAN_TARGET_MS:g} ms, worst ≤ {WORST_TARGET_MS:g} ms — "
          + ("all PASS" if ok else "some MISS"))
    if profiler is not None:
        import pstats
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
    bench.window.close()
    return 0


def _quiet(mode, context, message) -> None:
    """Qt's messages, but the offscreen plugin's note on every dock resize."""
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


if __name__ == "__main__":
    sys.exit(main())
