"""The training pace: how many steps per second Play trains, from 1 to as fast as possible.

A slider over ``PACE_STEPS`` (1, 2, 5 … 1000 steps/s, then "max") with its value beneath, made
to sit in the stepping toolbar beside Play.  Slowed down, a lecture can watch the decision
boundary form step by step; "max" is the unpaced full speed.  Both directions: the slider sets
the view setting ``pace``; a pace set elsewhere (prefs, a session file) moves the slider.
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from gui.session import Session
from gui.theme import BASE_POINT_SIZE
from gui.view_settings import PACE_FULL, PACE_STEPS, pace_text


def pace_to_tick(pace: float) -> int:
    """The slider position for ``pace``: PACE_STEPS' nearest entry (on a log scale); "max" is the last."""
    if pace <= PACE_FULL:
        return len(PACE_STEPS) - 1
    steps = PACE_STEPS[:-1]
    return min(range(len(steps)), key=lambda k: abs(math.log(steps[k]) - math.log(pace)))


def tick_to_pace(tick: int) -> float:
    return PACE_STEPS[min(max(int(tick), 0), len(PACE_STEPS) - 1)]


class PaceControl(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.pace = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.pace.setRange(0, len(PACE_STEPS) - 1)
        self.pace.setPageStep(1)
        self.pace.setFixedWidth(120)
        self.pace_label = QtWidgets.QLabel()
        self.pace_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        tip = ("Training pace while playing: 1 step per second up to as fast as possible (max). "
               "Slow it down to watch the decision boundary form.")
        for w in (self, self.pace, self.pace_label):
            w.setToolTip(tip)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(2)
        layout.addWidget(self.pace, 0, QtCore.Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.pace_label)
        self.pace.valueChanged.connect(self._on_pace_changed)
        session.settings.pace_changed.connect(self._on_pace_setting_changed)
        session.settings.font_scale_changed.connect(self._on_font_scale_changed)
        self._apply_font()
        self._load()

    # -- widget → session ----------------------------------------------------------------------
    def _on_pace_changed(self, tick: int) -> None:
        self.session.settings.pace = tick_to_pace(tick)

    # -- session → widget ----------------------------------------------------------------------
    def _on_pace_setting_changed(self, _pace: float) -> None:
        self._load()

    def _on_font_scale_changed(self, _scale: float) -> None:
        self._apply_font()

    def _load(self) -> None:
        pace = float(self.session.settings.pace)
        self.pace.blockSignals(True)
        self.pace.setValue(pace_to_tick(pace))
        self.pace.blockSignals(False)
        self.pace_label.setText(f"pace: {pace_text(pace)}")

    def _apply_font(self) -> None:
        font = self.font()
        font.setPointSizeF(BASE_POINT_SIZE * self.session.settings.font_scale)
        self.setFont(font)
        widest = max((f"pace: {pace_text(p)}" for p in PACE_STEPS), key=len)   # no jitter as the pace changes
        self.pace_label.setMinimumWidth(QtGui.QFontMetrics(font).horizontalAdvance(widest))
