"""Entry point: `backprop-lens` (and `python -m gui`).

Sub-commands (snapshot, export) and --help are handled by gui.cli.parse before any Qt import, so they
start fast; otherwise the app opens on the Mazur preset (or --preset NAME, or a session file).
"""
from __future__ import annotations

import os
import sys
import time

_IMPORTED = time.time()


def single_threaded_blas() -> None:
    """One BLAS thread, unless set otherwise.  The networks are small: a BLAS thread pool gains
    nothing on them, and on a busy machine its threads made single training steps stall for tens of
    milliseconds on the GUI thread (8× fewer steps per second on 2 CPUs).  Works only before NumPy
    is first imported, so it runs when this module is imported."""
    for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


single_threaded_blas()


def main(argv=None) -> int:
    from gui.cli.parse import parse_launch, run_cli

    argv = sys.argv[1:] if argv is None else list(argv)
    code = run_cli(argv)
    if code is not None:
        return code
    options = parse_launch(argv)
    lesson = None
    if options.lesson:
        from gui.lessons.builtin import builtin_path
        lesson = builtin_path(options.lesson)
    from gui.cli.launch import launch
    probe = _startup_probe if os.environ.get("BACKPROP_LENS_STARTUP_PROBE") else None
    return launch(options.preset, options.session, lesson, present=False, on_shown=probe)


def _startup_probe(app) -> None:
    """For benchmarks/startup.py: once the event loop has handled the first events of the shown
    window, print "startup_s <seconds since the process started>" and quit."""
    from PySide6 import QtCore

    def report() -> None:
        print(f"startup_s {_since_process_start():.3f}", flush=True)
        app.quit()

    QtCore.QTimer.singleShot(0, report)


def _since_process_start() -> float:
    """Seconds since the process started (from /proc, 10 ms resolution), else since this module's import."""
    try:
        with open("/proc/self/stat") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time() - _IMPORTED
