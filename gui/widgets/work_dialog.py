"""The progress of the session's long work (gui.work): what is being done, how far it is, and Cancel.

It observes ``session.work``: appears (window-modal, so nothing else can be started meanwhile) once
a piece of work has run for ``SHOW_AFTER_MS`` (shorter work never flashes a dialog), follows its
progress — a bar with done of total, or a busy bar while the total is unknown — and goes when the
work ends.  Cancel, Esc and closing the dialog all cancel the work; the session then keeps the last
good state and says so.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.theme import panel_point_size
from gui.widgets.screen_fit import fit_to_screen

SHOW_AFTER_MS = 250


class WorkDialog(QtWidgets.QDialog):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Backprop Lens")
        self.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        self.title = QtWidgets.QLabel()
        self.title.setWordWrap(True)
        self.text = QtWidgets.QLabel()
        self.text.setWordWrap(True)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setTextVisible(False)
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self._show_timer = QtCore.QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self._on_show_timer_timeout)

        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        session.work.started.connect(self._on_work_started)
        session.work.progressed.connect(self._on_work_progressed)
        session.work.finished.connect(self._on_work_finished)
        session.settings.font_scale_changed.connect(self._on_font_scale_changed)
        self._apply_font()

    # -- session → dialog ------------------------------------------------------------------------
    def _on_work_started(self, state) -> None:
        self.title.setText(state.title)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self._on_work_progressed(state)
        self._show_timer.start()

    def _on_work_progressed(self, state) -> None:
        self.text.setText("Cancelling…" if state.cancelled else state.text)
        if state.total > 0:
            self.bar.setRange(0, state.total)
            self.bar.setValue(min(state.done, state.total))
        else:
            self.bar.setRange(0, 0)            # busy: how long it takes is not known
        if state.cancelled:
            self.cancel_button.setEnabled(False)

    def _on_work_finished(self) -> None:
        self._show_timer.stop()
        self.hide()

    def _on_show_timer_timeout(self) -> None:
        if self.session.work.busy:
            fit_to_screen(self, QtCore.QSize(round(520 * self.session.settings.font_scale), self.sizeHint().height()))
            self.show()
            self.raise_()

    def _on_font_scale_changed(self, _value) -> None:
        self._apply_font()

    # -- user → session --------------------------------------------------------------------------
    def _on_cancel_clicked(self) -> None:
        self.session.work.cancel()

    def reject(self) -> None:
        """Esc or the window's close button: cancel the work (the dialog goes when it has stopped)."""
        self.session.work.cancel()

    def _apply_font(self) -> None:
        """The title in bold at 1.25 times the panels' size; the rest at the panels' size, which the
        window's style sheet gives every dialog.  The title's own style sheet, not ``setFont``: a
        style sheet's font size wins over ``setFont``."""
        pt = panel_point_size(self.session.settings.font_scale) * 1.25
        self.title.setStyleSheet(f"font-size: {pt:.2f}pt; font-weight: bold;")
