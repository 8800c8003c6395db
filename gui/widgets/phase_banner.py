"""The phase banner: a large, high-contrast strip naming the current micro-step with its equation,
the counter "micro-step 7 / 13" and the loss once it is known — readable from the back of a
lecture hall.  When training diverges it turns red with the session's message until the run is
rebuilt, reset or rewound; refused input shows briefly in an amber strip beneath.
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtWidgets

from gui.session import Session
from gui.numbers import format_number
from gui.theme import THEMES

TITLE_PT = 22.0        # the equation line, × font_scale
DETAIL_PT = 18.0       # counter, loss and the error strip, × font_scale
ERROR_MS = 6000        # how long an error stays in the amber strip
DIVERGED_BG = "#b3261e"
AMBER_BG = "#ffb000"


class PhaseBanner(QtWidgets.QFrame):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("PhaseBanner")
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Maximum)
        self._title = QtWidgets.QLabel()
        self._title.setObjectName("Title")
        self._title.setWordWrap(True)
        self._title.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self._counter = QtWidgets.QLabel()
        self._loss = QtWidgets.QLabel()
        for label in (self._counter, self._loss):
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self._error = QtWidgets.QLabel()
        self._error.setWordWrap(True)
        self._error.setObjectName("ErrorStrip")
        self._error.hide()
        self._error_timer = QtCore.QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.setInterval(ERROR_MS)
        self._error_timer.timeout.connect(self._on_error_timeout)

        side = QtWidgets.QVBoxLayout()
        side.setSpacing(2)
        side.addWidget(self._counter)
        side.addWidget(self._loss)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(16, 8, 16, 8)
        top.addWidget(self._title, 1)
        top.addLayout(side)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addLayout(top)
        outer.addWidget(self._error)

        session.step_changed.connect(self._on_step_changed)
        session.run_changed.connect(self._on_run_changed)
        session.diverged.connect(self._on_diverged)
        session.error.connect(self._on_error)
        session.training_state_changed.connect(self._on_training_state_changed)
        session.training_progress.connect(self._on_training_progress)
        session.settings.font_scale_changed.connect(self._on_style_changed)
        session.settings.theme_changed.connect(self._on_style_changed)
        session.settings.convention_changed.connect(self._on_convention_changed)
        session.settings.sig_figs_changed.connect(self._on_sig_figs_changed)
        self._apply_style()
        self._refresh()

    # -- public ------------------------------------------------------------------------------
    def text(self) -> str:
        """What the banner's main line says: the micro-step with its equation, or the divergence."""
        return self._title.text()

    def error_text(self) -> str:
        """The error in the amber strip ('' when none is shown)."""
        return self._error.text() if not self._error.isHidden() else ""

    # -- session signals -----------------------------------------------------------------------
    def _on_step_changed(self, _view) -> None:
        self._refresh()

    def _on_run_changed(self) -> None:
        self._hide_error()
        self._refresh()

    def _on_diverged(self, _message: str) -> None:
        self._refresh()

    def _on_training_state_changed(self, _playing: bool) -> None:
        self._refresh()

    def _on_training_progress(self, progress) -> None:
        if self.session.playing:
            self._counter.setText(f"update {progress.step:,} · epoch {progress.epoch:,}")
            self._loss.setText(self._loss_text(progress.loss))

    def _on_error(self, message: str) -> None:
        self._error.setText(f"⚠  {message}")
        self._error.show()
        self._error_timer.start()

    def _on_error_timeout(self) -> None:
        self._hide_error()

    def _on_style_changed(self, _value) -> None:
        self._apply_style()

    def _on_convention_changed(self, _convention: str) -> None:
        self._refresh()

    def _on_sig_figs_changed(self, _sig: int) -> None:
        self._refresh()

    # -- drawing -------------------------------------------------------------------------------
    def _hide_error(self) -> None:
        self._error_timer.stop()
        self._error.clear()
        self._error.hide()

    @staticmethod
    def _loss_text(loss) -> str:
        return f"loss C = {format_number(loss)}" if loss is not None and math.isfinite(loss) else ""

    def _refresh(self) -> None:
        s = self.session
        diverged = s.divergence is not None
        if diverged:
            self._title.setText(f"⚠  Diverged — {s.divergence}")
        elif s.playing:
            self._title.setText("Training: forward, backward and update on every mini-batch")
        else:
            self._title.setText(s.view.step.banner_in(s.settings.convention))
        if not s.playing:
            self._counter.setText(f"micro-step {s.view.step.index + 1} / {s.stepper.last + 1}"
                                  f" · {s.settings.convention} vectors")
            self._loss.setText(self._loss_text(s.view.loss))
        if self.property("diverged") != diverged:
            self.setProperty("diverged", diverged)
            self._apply_style()

    def _apply_style(self) -> None:
        s = self.session
        theme = THEMES.get(s.settings.theme, THEMES["light"])
        scale = s.settings.font_scale
        bg = DIVERGED_BG if self.property("diverged") else theme.banner
        self.setStyleSheet(
            f"#PhaseBanner {{ background: {bg}; }}"
            f"#PhaseBanner QLabel {{ color: #ffffff; font-size: {DETAIL_PT * scale:.1f}pt; }}"
            f"#PhaseBanner QLabel#Title {{ font-size: {TITLE_PT * scale:.1f}pt; font-weight: 600; }}"
            f"#PhaseBanner QLabel#ErrorStrip {{ background: {AMBER_BG};"
            f" color: #000000; padding: 6px 16px; }}")
