"""Entry point: `backprop-lens` (and `python -m gui`).

Sub-commands (snapshot, export) and --help are handled by gui.cli before any Qt import, so they
start fast; otherwise the app opens on the Mazur preset (or --preset NAME, or a session file).
"""
from __future__ import annotations

import sys


def main(argv=None) -> int:
    from gui.cli import parse_launch, run_cli

    argv = sys.argv[1:] if argv is None else list(argv)
    code = run_cli(argv)
    if code is not None:
        return code
    options = parse_launch(argv)

    from PySide6 import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("Backprop Lens")
    app.setOrganizationName("BackpropLens")
    app.setStyle("Fusion")        # palettes (light/dark themes) apply fully on every platform

    from gui.errors import ErrorReporter, setup_logging
    from gui.main_window import MainWindow
    from gui.session import Session
    from gui.theme import configure_pyqtgraph

    setup_logging()
    configure_pyqtgraph()
    window = MainWindow(Session(options.preset or "mazur"))
    window.error_reporter = ErrorReporter(window)
    window.show()
    if options.session:
        window.file_actions.open_path(options.session)
    return app.exec()
