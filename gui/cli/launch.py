"""Opening the window: on a preset, a session file and a lesson (``gui.cli.app`` and the ``lesson``
subcommand both come here)."""
from __future__ import annotations

import sys


def launch(preset: str | None = None, session=None, lesson=None, present: bool = True, on_shown=None) -> int:
    """Open the window on ``preset`` (default mazur), then the session file ``session`` and the
    lesson file ``lesson`` if given (full screen with ``present``); ``on_shown(app)`` once the window
    is shown; runs until the window closes."""
    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("Backprop Lens")
    app.setOrganizationName("BackpropLens")
    app.setStyle("Fusion")        # palettes (light/dark themes) apply fully on every platform

    from gui import mathview
    from gui.collector import Collector
    from gui.errors import ErrorReporter, route_qt_messages, setup_logging
    from gui.shell.main_window import MainWindow
    from gui.session import Session
    from gui.theme import configure_pyqtgraph

    setup_logging()
    route_qt_messages()              # Qt's own warnings to the log, not the terminal it was started from
    configure_pyqtgraph()
    window = MainWindow(Session(preset or "mazur"))
    window.error_reporter = ErrorReporter(window)
    window.show()
    mathview.defer_typesetting()       # a key never waits for ziamath: equations come from its process
    Collector(window.session, window).start()    # Python's full garbage collections between keys, not in them
    window.file_actions.remove_stale_temp_files()     # leftovers of saves killed in an earlier run
    if session:
        window.file_actions.open_path(session)
    if lesson:
        window.lessons.open_path(lesson, present=present)
    if on_shown is not None:
        on_shown(app)
    return app.exec()

