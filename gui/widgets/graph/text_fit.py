"""Text on the network graph: fitting a font to its rectangle, drawing and recording every text (so
tests can hold each label against its rectangle and each number against its fill)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtGui

from gui.theme import text_color_for

FLOOR_PT = 6.0                   # the smallest size a text is shrunk to (it always fits at the end)
READABLE_PT = 8.0                # words (caption, names, legend) smaller than this (× zoom) are left out, not drawn
WORD_KINDS = ("caption", "label", "legend", "name", "verdict")   # the texts READABLE_PT applies to (numbers have their own floors)
LABEL_POSITIONS = (0.3, 0.7, 0.4, 0.6, 0.22, 0.78, 0.5, 0.15, 0.85, 0.35, 0.65, 0.45, 0.55, 0.27, 0.73, 0.1, 0.9)


@dataclass
class DrawnText:
    """One text drawn at the last paint: ``kind`` ("number", "edge_number", "label", "caption", "class",
    "legend", "verdict"), its rectangle, font and colour, and ``fill`` the colour behind it (None: the
    graph's background)."""
    kind: str
    text: str
    rect: QtCore.QRectF
    font: QtGui.QFont
    color: QtGui.QColor
    fill: QtGui.QColor | None = None
    where: tuple | None = None        # a neuron's number: (column k, neuron j, "nodes" or "sums"); an edge's: ("edge", l, j, i)
    leader: tuple | None = None       # an edge number off its edge: the leader line ((x, y) on the edge, (x, y) on the box)
    align: QtCore.Qt.AlignmentFlag = QtCore.Qt.AlignmentFlag.AlignCenter   # where in ``rect`` the text sits

    def ink(self) -> QtCore.QRectF:
        """Where the text itself lies: its advance and line height, placed in ``rect`` by ``align``."""
        return ink(self.rect, self.text, self.font, self.align)


def ink(rect: QtCore.QRectF, text: str, font: QtGui.QFont, align=QtCore.Qt.AlignmentFlag.AlignCenter) -> QtCore.QRectF:
    """Where ``text`` in ``font`` lies in ``rect`` placed by ``align`` (one line): its advance and line
    height (drawn, it may be fitted smaller: never wider)."""
    return QtGui.QFontMetricsF(font).boundingRect(rect, align | QtCore.Qt.TextFlag.TextSingleLine, text)


def fit_font(font: QtGui.QFont, text: str, width: float, height: float) -> QtGui.QFont:
    """``font``, made smaller in half-point steps (down to FLOOR_PT, and then further) until
    ``text`` fits ``width`` × ``height``."""
    f = QtGui.QFont(font)
    while True:
        fm = QtGui.QFontMetricsF(f)
        if (fm.horizontalAdvance(text) <= width and fm.height() <= height) or f.pointSizeF() <= 1.0:
            return f
        f.setPointSizeF(max(f.pointSizeF() - (0.5 if f.pointSizeF() > FLOOR_PT else 0.25), 1.0))


def fits(t: DrawnText, slack: float = 0.5) -> bool:
    """The text's advance and line height within its rectangle (font metrics against geometry)."""
    fm = QtGui.QFontMetricsF(t.font)
    return fm.horizontalAdvance(t.text) <= t.rect.width() + slack and fm.height() <= t.rect.height() + slack


def draw(p: QtGui.QPainter, gv, kind: str, rect: QtCore.QRectF, text: str, font: QtGui.QFont, align,
         color: QtGui.QColor | None = None, fill: QtGui.QColor | None = None, where: tuple | None = None,
         leader: tuple | None = None) -> bool:
    """Draw ``text`` in ``rect`` with ``font`` shrunk to fit; numbers on a ``fill`` are black or white
    by contrast; record it in ``gv.texts``.  A text of WORD_KINDS that would have to shrink below
    READABLE_PT × zoom is left out (False): a small graph drops its secondary texts rather than
    print them too small to read."""
    if not text:
        return False
    f = fit_font(font, text, rect.width(), rect.height())
    if kind in WORD_KINDS and f.pointSizeF() < readable_pt(gv) - 1e-9:
        return False
    c = text_color_for(fill) if fill is not None and color is None else color
    if c is None:
        c = QtGui.QColor(gv.theme.foreground)
    p.setFont(f)
    p.setPen(c)
    p.drawText(rect, align, text)
    gv.texts.append(DrawnText(kind, text, QtCore.QRectF(rect), f, QtGui.QColor(c), fill, where, leader, align))
    return True


def readable_pt(gv) -> float:
    """The smallest point size a word on the graph is drawn at: READABLE_PT at the View's zoom."""
    return READABLE_PT * gv.scale


def overlaps_any(rect, others) -> bool:
    """Does the rectangle (x0, y0, x1, y1) overlap any of ``others`` (same form)?"""
    return any(_overlap(rect, o) for o in others)


def _overlap(a, b, gap: float = 1.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap
