"""Big work never blocks the window: the event loop's worst gap while the main window (1280×720)
reads a big CSV file, builds a big run, opens a big session file and trains many updates at once —
beside the same probe on an idle event loop, measured in the same run.

    .venv/bin/python benchmarks/big_work.py [--rounds 3] [--only open]

A 10 ms QTimer records the longest interval between its firings during each piece of work (the
tests prove that the event loop runs during the work by handshakes; how long it may be blocked is
measured here).  The work:

- **CSV**: the import dialog reading a 150,000 × 7 CSV file (11 MB) in its worker thread;
- **build**: ``session.apply_config`` of spirals with 1,000,000 points (800,000 training rows),
  built in a thread (gui.work), then installed in the window;
- **open**: File → Open of a session file with 250,000 × 24 imported data (about 50 MB);
- **train**: ``session.train_steps(20_000)`` on xor, in slices (gui.work).

Rounds alternate the pieces; the worst gap of all rounds is reported.  "install" is the part of
the gap after the work itself, when the widgets take the new run on the GUI thread (worst, and
the median of the rounds: the first round also builds the panels made on first use), and "CPU"
the GUI thread's CPU time over the install (worst, median): on a shared machine the gaps stretch
with the load, the CPU time much less.

Target (the issue's): worst gap ≤ 100 ms during the work; the idle loop shows the machine's noise.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplens-bench-")

import gui.cli.app  # noqa: E402,F401  (the app's process settings, before NumPy loads)
import numpy as np  # noqa: E402
from PySide6 import QtCore, QtWidgets  # noqa: E402

from common import open_window  # noqa: E402

GAP_TARGET_MS = 100.0


class Probe:
    """The longest interval between firings of a 10 ms timer, with when it ended."""

    def __init__(self):
        self.timer = QtCore.QTimer()
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._on_tick)
        self.gaps: list[tuple[float, float]] = []

    def start(self):
        self.gaps, self.last = [], time.perf_counter()
        self.timer.start(10)

    def _on_tick(self):
        now = time.perf_counter()
        self.gaps.append((now - self.last, now))
        self.last = now

    def stop(self) -> list[tuple[float, float]]:
        self.timer.stop()
        return self.gaps


def worst(gaps, since=None, until=None) -> float:
    """The worst gap in ms among those ending in (since, until]."""
    inside = [g for g, at in gaps if (since is None or at > since) and (until is None or at <= until)]
    return 1000.0 * max(inside, default=0.0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="", help="measure only the work whose name contains this (and idle)")
    args = ap.parse_args()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from engine import RunConfig
    from engine.run import Run
    from engine.session_file import save_session
    from gui.theme import configure_pyqtgraph
    from gui.widgets.import_dialog import ImportCsvDialog

    configure_pyqtgraph()
    folder = Path(tempfile.mkdtemp(prefix="bplens-big-"))
    rng = np.random.default_rng(0)
    csv = folder / "big.csv"
    X = rng.standard_normal((150_000, 6))
    with open(csv, "w") as f:
        f.write("a,b,c,d,e,f,label\n")
        np.savetxt(f, np.column_stack([X, X[:, 0] > 0]), fmt=["%.4f"] * 6 + ["%d"], delimiter=",")
    Xs = rng.standard_normal((250_000, 24))
    big_session = folder / "big.bplens"
    save_session(big_session, Run(RunConfig(
        sizes=[24, 16, 2], output_activation="softmax", loss="cross_entropy",
        dataset={"name": "custom", "title": "big", "kind": "classification", "X": Xs,
                 "Y": np.eye(2)[(Xs[:, 0] > 0).astype(int)], "test_fraction": 0.2})))

    _, session, window = open_window((1280, 720), preset="xor")     # as the app opens it
    probe = Probe()
    for _ in range(20):
        app.processEvents()

    def idle():
        end = time.perf_counter() + 1.0
        while time.perf_counter() < end:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)

    def read_csv():
        dialog = ImportCsvDialog(session, csv, window)
        while dialog.reading:
            app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        assert dialog.table_data.n_rows == 150_000
        dialog.reject()
        dialog.deleteLater()

    marks = {}
    session.work.finished.connect(lambda: marks.update(finished=time.perf_counter(), cpu=time.thread_time()))

    def build():
        assert session.apply_config(RunConfig(sizes=[2, 8, 2], output_activation="softmax", loss="cross_entropy",
                                              dataset={"name": "spirals", "n": 1_000_000}))

    def open_file():
        assert window.file_actions.open_path(big_session)

    def train():
        assert session.train_steps(20_000)

    work = {"idle event loop (reference)": idle, "CSV 150,000 × 7 (11 MB)": read_csv,
            "build spirals n = 1,000,000": build, "open 250,000 × 24 session (50 MB)": open_file,
            "train 20,000 updates (xor)": train}
    work = {k: v for k, v in work.items() if k.startswith("idle") or args.only.lower() in k.lower()}
    results = {name: ([], [], []) for name in work}
    for _ in range(args.rounds):
        for name, fn in work.items():
            marks.pop("finished", None)
            probe.start()
            t0 = time.perf_counter()
            fn()
            t1, cpu1 = time.perf_counter(), time.thread_time()
            for _ in range(5):
                app.processEvents()
            cpu = time.thread_time() - marks.get("cpu", cpu1) if "finished" in marks else time.thread_time() - cpu1
            gaps = probe.stop()
            end = marks.get("finished", t1)
            results[name][0].append(worst(gaps, t0, end))          # during the work itself
            results[name][1].append(worst(gaps, end, None))        # the install afterwards
            results[name][2].append(1000.0 * cpu)                  # the install's GUI-thread CPU
            session.load_preset("xor")             # the next piece starts from the same small run
            for _ in range(5):
                app.processEvents()
    print(f"worst event-loop gap (ms), {args.rounds} rounds, window 1280×720, {os.cpu_count()} CPUs, "
          f"Qt {os.environ.get('QT_QPA_PLATFORM', 'xcb')}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'work':38} {'during':>8} {'install':>8} {'(median)':>9} {'CPU':>6} {'(median)':>9}  target")
    ok = True
    for name, (during, install, cpu) in results.items():
        d, i, m = max(during), max(install), float(np.median(install))
        passed = name.startswith("idle") or d <= GAP_TARGET_MS
        ok &= passed
        verdict = "" if name.startswith("idle") else ("PASS" if passed else "MISS") + f" (≤ {GAP_TARGET_MS:.0f})"
        print(f"{name:38} {d:8.0f} {i:8.0f} {m:9.0f} {max(cpu):6.0f} {float(np.median(cpu)):9.0f}  {verdict}")
    window.close()
    window.deleteLater()
    app.processEvents()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
