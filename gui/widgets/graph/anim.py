"""The graph view's animation: a time-based clock (~60 frames a second, driven by elapsed time, so
a slow frame never slows the animation down) and what one micro-step animates.

Kinds, by the quantity the new micro-step computes:
    z      "pulse_forward"   pulses travel along the edges into column k
    a      "activate"        column k's neurons take their activation colours (Σ → σ pulse when split)
    delta  "pulse_backward"  δ pulses travel right to left into column k, which takes its δ colours
    dW     "sweep_backward"  the edges into column k take their gradient colours right to left
    db     "bias"            the bias edges into column k take their colours
    update "update"          every weight changes from W_before to W
    x, C   "fade"            colours change in place
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore

BASE_DURATION = 0.6   # seconds at speed 1

_KINDS = {"z": "pulse_forward", "a": "activate", "delta": "pulse_backward", "dW": "sweep_backward",
          "db": "bias", "update": "update"}


@dataclass
class Anim:
    kind: str
    k: int          # the column (the book's layer ℓ) the micro-step is about
    prev: object    # the GraphValues drawn before the step


def anim_kind(step) -> tuple[str, int]:
    """(kind, column) for a MicroStep."""
    return _KINDS.get(step.quantity, "fade"), step.book_layer


def ease(t: float) -> float:
    t = min(max(t, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def window(t: float, start: float, end: float) -> float:
    """t rescaled so that [start, end] maps onto [0, 1], clipped."""
    return min(max((t - start) / (end - start), 0.0), 1.0)


def mix_rgba(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Colours (n, 4) uint8 blended from a (t = 0) to b (t = 1)."""
    if t <= 0.0:
        return a
    if t >= 1.0:
        return b
    return (a.astype(float) * (1.0 - t) + b.astype(float) * t).round().astype(np.uint8)


class AnimationClock(QtCore.QObject):
    """Emits ``frame`` about 60 times a second while running and ``finished`` once at the end;
    ``progress`` (0..1) comes from the elapsed time, not from the number of frames."""
    frame = QtCore.Signal()
    finished = QtCore.Signal()

    def __init__(self, parent=None, interval_ms: int = 16):
        super().__init__(parent)
        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timeout)
        self._start = 0.0
        self._duration = BASE_DURATION

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def progress(self) -> float:
        if not self.running:
            return 1.0
        return min((time.perf_counter() - self._start) / self._duration, 1.0)

    def start(self, duration: float) -> None:
        self._duration = max(float(duration), 1e-3)
        self._start = time.perf_counter()
        self._timer.start()
        self.frame.emit()

    def stop(self) -> None:
        """Complete at once (emits ``finished`` if it was running)."""
        if self._timer.isActive():
            self._timer.stop()
            self.finished.emit()

    def _on_timeout(self) -> None:
        if time.perf_counter() - self._start >= self._duration:
            self.stop()
        else:
            self.frame.emit()
