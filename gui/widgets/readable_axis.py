"""A pyqtgraph axis whose major tick labels never overlap: pyqtgraph always draws at least two or
three major ticks, which on a plot 60 px tall at a projector's font size print on top of each
other.  ``ReadableAxis`` widens the major spacing (1, 2, 5 × 10ᵏ) until every label has its room.

Its label (the decision boundary's "x2") keeps clear of the tick labels: pyqtgraph gives the label
80 % of its box, which at our fonts let the rotated "x2" touch "0.5"; and it shrinks the room for
tick labels when the widest is gone, which on a plot of locked aspect flipped for ever between two
widths (a narrower axis → a taller range → ticks −0.5 … 1.5 → a wider axis → fewer ticks → …), the
label drawn over the ticks in one of them.  Here the room only grows (``reset_text_room`` starts
again, for a new run) and the label gets its whole box less its margins, LABEL_GAP from the ticks."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtGui

GAP = 1.4      # room per label on a vertical axis: its height × this (horizontal: its width + 0.35 × height)
LABEL_GAP = 0.3       # between the axis label and the tick labels: this × the tick font's height
NUDGE = 5             # pyqtgraph draws the label this far outside the axis' box (AxisItem.resizeEvent)


class ReadableAxis(pg.AxisItem):
    """``compact``: a count (of steps): ticks on whole numbers only, and whole thousands and
    millions written 2k, 1.5M on a narrow plot."""

    def __init__(self, orientation: str, compact: bool = False, **kwargs):
        super().__init__(orientation, **kwargs)
        self.compact = compact
        self.setStyle(autoReduceTextSpace=False)       # the room for tick labels only grows (see above)

    def reset_text_room(self) -> None:
        """Forget the widest tick label seen (a new run: its labels take their own room)."""
        self.textWidth, self.textHeight = 30, 18         # pyqtgraph's starting room
        self._adjustSize()

    def label_extent(self) -> float:
        """Pixels, across the axis, that the label needs from the axis' outer edge to the tick
        labels: its box less pyqtgraph's nudge and the text's own margin, and LABEL_GAP."""
        if not self.label.isVisible():
            return 0.0
        margin = self.label.document().documentMargin()
        tick = QtGui.QFontMetricsF(self.style["tickFont"] or QtGui.QFont()).height()
        return max(self.label.boundingRect().height() - margin - NUDGE, 0.0) + LABEL_GAP * tick

    def _updateWidth(self):   # noqa: N802 (pyqtgraph's name)
        super()._updateWidth()
        self._give_label_room(self.setMinimumWidth, self.setMaximumWidth, self.minimumWidth())

    def _updateHeight(self):   # noqa: N802 (pyqtgraph's name)
        super()._updateHeight()
        self._give_label_room(self.setMinimumHeight, self.setMaximumHeight, self.minimumHeight())

    def _give_label_room(self, set_min, set_max, size: float) -> None:
        """pyqtgraph's size with the label's whole extent instead of 80 % of its box."""
        if self.fixedWidth is not None and self.orientation in ("left", "right") or \
                self.fixedHeight is not None and self.orientation in ("top", "bottom"):
            return
        if not self.isVisible() or not self.label.isVisible():
            return
        size += self.label_extent() - 0.8 * self.label.boundingRect().height()
        set_min(size)
        set_max(size)

    def tickStrings(self, values, scale, spacing):   # noqa: N802 (pyqtgraph's name)
        """Compact: thousands written 1k, 1.5k at every level of ticks, so a minor tick between
        two major ones reads "1.5k", not "1500" beside "1k" and "2k"."""
        if not self.compact or self.logMode or not values or max(abs(v) for v in values) * scale < 1000 \
                or spacing * scale != int(spacing * scale):
            return super().tickStrings(values, scale, spacing)
        return [_compact(v * scale) for v in values]

    def label_room(self, minVal: float, maxVal: float) -> float:
        """Pixels along the axis that one tick label needs."""
        metrics = QtGui.QFontMetricsF(self.style["tickFont"] or QtGui.QFont())
        if self.orientation in ("left", "right"):
            return metrics.height() * GAP
        widest = max(abs(minVal), abs(maxVal), 1.0)
        digits = "8" * (int(math.log10(widest)) + 1 if math.isfinite(widest) else 4)
        if self.compact and math.isfinite(widest) and widest >= 1000:
            # a count's labels sit at round steps ("1.5k", "2k", "10k", or "1500" at a step under 1000),
            # not at the view's padded end ("2.142k" made 200 px of 0 … 2,000 steps show "0" alone)
            size, suffix = next((v, x) for v, x in ((1e6, "M"), (1e3, "k")) if widest >= v)
            short = "8" * len(str(int(widest / size))) + ".8" + suffix
            digits = max(short, digits, key=metrics.horizontalAdvance)
        sign = "−" if min(minVal, maxVal) < 0 and not self.compact else ""     # a count is never negative
        return metrics.horizontalAdvance(sign + digits) + metrics.height() * 0.35

    def tickSpacing(self, minVal, maxVal, size):   # noqa: N802 (pyqtgraph's name)
        levels = self._readable_spacing(minVal, maxVal, size)
        if self.compact and not self.logMode:          # no tick at step 1.5
            levels = [(spacing, offset) for spacing, offset in levels if spacing >= 1] or [(1.0, 0.0)]
        return levels

    def _readable_spacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if not levels or span <= 0 or size <= 0 or not math.isfinite(span):
            return levels
        room = self.label_room(minVal, maxVal)
        gaps = max(size / room, 1.0)                     # gaps between labels that fit
        major = levels[0][0]
        if span / major <= gaps:
            return levels
        scale = 10.0 ** math.floor(math.log10(major))
        for m in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
            spacing = m * scale
            if spacing >= major and span / spacing <= gaps:
                break
        return [(spacing, 0.0), (spacing / {"1": 2, "2": 4, "5": 5}[str(m)[0]], 0.0)]


def readable_axes(compact_x: bool = False) -> dict[str, ReadableAxis]:
    """Left and bottom axes for ``PlotItem(axisItems=...)``."""
    return {"left": ReadableAxis("left"), "bottom": ReadableAxis("bottom", compact=compact_x)}


def _compact(v: float) -> str:
    """1000 → 1k, 2500 → 2.5k, 3000000 → 3M; smaller values as they are."""
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(v) >= size:
            return f"{v / size:g}{suffix}"
    return f"{v:g}"
