"""Side-by-side timing: candidates are timed in interleaved rounds in one process, and the
median per-call time of each is reported, so drift on a busy machine hits both alike."""
from __future__ import annotations

import statistics
import sys
import time


def per_call_us(fns: dict, min_time: float = 0.05, rounds: int = 7) -> dict:
    """Median µs per call of each zero-argument callable in ``fns``, measured in alternation."""
    counts = {}
    for name, fn in fns.items():           # calibrate: calls per ~min_time
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < min_time / 5 or n < 3:
            fn()
            n += 1
        counts[name] = max(3, int(n * 5))
    samples = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            n = counts[name]
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - t0) / n * 1e6)
    return {name: statistics.median(v) for name, v in samples.items()}


def open_window(size: tuple[int, int], animate: bool | None = None, preset: str = "mazur", collector: bool = True):
    """(app, session, window): the main window on ``preset`` as the app opens it (Fusion style,
    pyqtgraph configured, equations typeset in their own process and Python's full garbage
    collections paced by gui.collector, as gui.cli.launch sets it up; ``collector`` False leaves
    Python's own), resized to ``size``, shown, and settled as long as the app waits before freezing
    what is alive (gui.collector.SETTLE_MS); ``animate`` sets the step animation when given."""
    from PySide6 import QtCore, QtWidgets

    from gui import collector as gc_pacing
    from gui import mathview
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    from gui.theme import configure_pyqtgraph
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0]])
    app.setStyle("Fusion")
    configure_pyqtgraph()
    session = Session(preset)
    if animate is not None:
        session.settings.animate = animate
    window = MainWindow(session)
    window.resize(*size)
    window.show()
    mathview.defer_typesetting()
    if collector:
        gc_pacing.Collector(session, window).start()
    end = time.perf_counter() + gc_pacing.SETTLE_MS / 1000 + 0.2
    while time.perf_counter() < end:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.002)
    return app, session, window
