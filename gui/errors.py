"""Uncaught exceptions: an exception in any slot is logged, shown in a dialog with the message
and a copyable traceback, and the app keeps running with its state intact.

Qt calls ``sys.excepthook`` for an exception that escapes a Python slot and then carries on, so
installing a hook is enough to keep the event loop alive; the hook only reports.
"""
from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6 import QtCore, QtWidgets

log = logging.getLogger("backprop_lens")


def log_path() -> Path:
    base = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".backprop-lens") / "backprop-lens.log"


def setup_logging() -> Path:
    """Log to the app's log file (once per process)."""
    path = log_path()
    if log.handlers:
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False      # libraries' logging.debug() calls give the root logger a stderr handler
    return path


def route_qt_messages() -> None:
    """Send Qt's own messages (qDebug/qWarning: "This plugin does not support
    propagateSizeHints()" and the like) to the log instead of the terminal; fatal ones still
    reach stderr.  For the command line, whose output is the user's."""
    levels = {QtCore.QtMsgType.QtDebugMsg: logging.DEBUG, QtCore.QtMsgType.QtInfoMsg: logging.INFO,
              QtCore.QtMsgType.QtWarningMsg: logging.WARNING, QtCore.QtMsgType.QtCriticalMsg: logging.ERROR}

    def handler(kind, context, message) -> None:
        if kind in levels:
            log.log(levels[kind], "Qt: %s", message)
        else:
            sys.stderr.write(f"Qt: {message}\n")

    QtCore.qInstallMessageHandler(handler)


class ErrorReporter(QtCore.QObject):
    """Installs itself as sys.excepthook; ``reported`` keeps (message, traceback) of each error."""

    def __init__(self, parent_window: QtWidgets.QWidget | None = None, show_dialog: bool = True):
        super().__init__(parent_window)
        self.window = parent_window
        self.show_dialog = show_dialog
        self.reported: list[tuple[str, str]] = []
        self._previous = sys.excepthook
        self._busy = False
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if sys.excepthook == self.handle:
            sys.excepthook = self._previous

    def handle(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QtWidgets.QApplication.quit()
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        message = f"{exc_type.__name__}: {exc}"
        self.reported.append((message, text))
        log.error("uncaught exception\n%s", text)
        sys.stderr.write(text)
        if self.show_dialog and not self._busy:
            self._busy = True       # an error raised while the dialog is open is logged, not stacked
            try:
                self._dialog(message, text).exec()
            finally:
                self._busy = False

    def _dialog(self, message: str, text: str) -> QtWidgets.QMessageBox:
        box = QtWidgets.QMessageBox(self.window)
        box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
        box.setWindowTitle("Backprop Lens: unexpected error")
        box.setText("Something went wrong. Your work is kept and the app keeps running.")
        box.setInformativeText(f"{message}\n\nDetails are in {log_path()}.")
        box.setDetailedText(text)   # selectable and copyable
        box.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        return box
