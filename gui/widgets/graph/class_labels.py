"""Class names beside the output neurons: what each output stands for (iris species, digits 0–9,
"xor" for a single sigmoid output).  Classification data only (a regression target is not a
class), and only when the data set names one class per output neuron.

The names sit right of the output column, each centred on its neuron, in a font no taller than
the neurons' spacing and small enough for the longest name to fit the room before the widget's
edge (never below ``MIN_POINT_SIZE``; then elided); the current example's target class is bold.  None are drawn for an output column
shown as a strip (too many classes to name).  Where that room is wanted for the numbers on the edges
(GraphView._relayout: iris's 8→3 pair at 1024×768 zoom +2 and +3), the names go under their
neurons instead (``gv.class_names_under``), centred, on a plate that hides the edges behind them, in
the words' readable size or larger (text_fit.READABLE_PT × zoom) where the gap to the next neuron
holds it, else nowhere (``label_rects`` is then empty and the view keeps them beside).
"""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from . import text_fit

MIN_POINT_SIZE = 8.0
_LEFT = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
_UNDER = QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignVCenter
UNDER_GAP = 2.0      # between a neuron and its name under it, and that name and the next neuron (× zoom)


def margin(session, font: QtGui.QFont, width: float, s: float, under: bool = False) -> float:
    """Room the names ask for right of the output column: the longest name in bold ``font`` and a
    gap, at most a fifth of the ``width`` (longer names are set smaller, then elided); none when
    they go ``under`` their neurons."""
    names = session.class_names()
    if names is None or under:
        return 0.0
    bold = QtGui.QFont(font)
    bold.setBold(True)
    longest = max(QtGui.QFontMetricsF(bold).horizontalAdvance(n) for n in names)
    return min(longest + 12 * s, width / 5)


def label_rects(gv) -> list[tuple[str, QtCore.QRectF, QtGui.QFont]]:
    """(text as drawn, rectangle, font) for each output neuron's class name; [] when none apply."""
    names = gv.session.class_names()
    lay = gv.graph_layout
    L = lay.L
    if names is None or lay.strip[L]:
        return []
    ys = np.asarray(lay.ys[L], dtype=float)
    if getattr(gv, "class_names_under", False):
        return _under(gv, names, ys)
    step = float(np.min(np.diff(ys))) if len(ys) > 1 else 4 * lay.radius[L]
    x = lay.out_x[L] + max(lay.radius[L], gv.number_half_w(L)) + 8 * gv.scale      # beside a circle or a pill (as wide as drawn)
    room = gv.width() - x - 4 * gv.scale
    bold = QtGui.QFont(gv.font_at(1.0))
    bold.setBold(True)

    def fits(f) -> bool:
        m = QtGui.QFontMetricsF(f)
        return m.height() <= 0.95 * step and max(m.horizontalAdvance(n) for n in names) <= room

    while not fits(bold) and bold.pointSizeF() > MIN_POINT_SIZE:      # smaller before cut short
        bold.setPointSizeF(bold.pointSizeF() - 0.5)
    font = QtGui.QFont(bold)
    font.setBold(False)
    metrics = QtGui.QFontMetricsF(font)
    if metrics.height() > step or room < metrics.horizontalAdvance("0…"):
        return []
    target = _target_class(gv.session)
    out = []
    for j, (name, y) in enumerate(zip(names, ys.tolist())):
        f = QtGui.QFont(font)
        f.setBold(j == target)
        text = QtGui.QFontMetricsF(f).elidedText(name, QtCore.Qt.TextElideMode.ElideRight, room)
        out.append((text, QtCore.QRectF(x, y - metrics.height() / 2, room, metrics.height()), f))
    return out


def under_room(gv) -> float:
    """The height a name under its neuron needs (at the readable floor, with its gaps): what the
    layout keeps under each output neuron when the names go there."""
    bold = QtGui.QFont(gv.font_at(1.0))
    bold.setBold(True)
    bold.setPointSizeF(_under_floor(gv))
    return QtGui.QFontMetricsF(bold).height() + 2 * UNDER_GAP * gv.scale


def _under_floor(gv) -> float:
    return max(MIN_POINT_SIZE, text_fit.READABLE_PT * gv.scale)


def _under(gv, names: list[str], ys: np.ndarray) -> list[tuple[str, QtCore.QRectF, QtGui.QFont]]:
    """The names under their neurons: each centred under its node, UNDER_GAP × zoom clear of it and
    of the next node (the last one above the neurons' area's bottom), no wider than the room between
    the column to the left and the widget's edge allows; the largest bold font from the words' size
    down to the readable floor at which the longest fits, else none."""
    lay, s = gv.graph_layout, gv.scale
    L = lay.L
    r, gap = lay.radius[L], UNDER_GAP * s
    x = lay.out_x[L]
    half = max(lay.half_w[L], gv.number_half_w(L))
    tops = ys + r + gap
    bottoms = np.append(ys[1:] - r - gap, lay.bottom + 0.5)
    room_h = float(np.min(bottoms - tops))
    room_w = 2 * min(gv.width() - 4 * s - x, half + max(lay.gap(L - 1), 0.0) / 2) if L else 2 * half
    bold = QtGui.QFont(gv.font_at(1.0))
    bold.setBold(True)
    floor = _under_floor(gv)
    while True:
        m = QtGui.QFontMetricsF(bold)
        if m.height() <= room_h and max(m.horizontalAdvance(n) for n in names) <= room_w:
            break
        if bold.pointSizeF() <= floor + 1e-9:
            return []
        bold.setPointSizeF(max(bold.pointSizeF() - 0.5, floor))
    target = _target_class(gv.session)
    out = []
    for j, (name, top) in enumerate(zip(names, tops.tolist())):
        f = QtGui.QFont(bold)
        f.setBold(j == target)
        w = QtGui.QFontMetricsF(f).horizontalAdvance(name) + 1
        out.append((name, QtCore.QRectF(x - w / 2, top, w, m.height()), f))
    return out


def _target_class(session) -> int | None:
    """The current example's class (its one-hot target's argmax), None for a batch or one output."""
    run = session.run
    y = np.asarray(run.train.Y[run.example_index], dtype=float).ravel()
    return int(np.argmax(y)) if y.size > 1 else None


def paint(p: QtGui.QPainter, gv) -> None:
    under = getattr(gv, "class_names_under", False)
    for text, rect, font in label_rects(gv):
        if under:                                # a plate hiding the edges that run behind the name
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(QtGui.QColor(gv.theme.background))
            p.drawRoundedRect(rect, 3 * gv.scale, 3 * gv.scale)
        text_fit.draw(p, gv, "class", rect, text, font, _UNDER if under else _LEFT, QtGui.QColor(gv.theme.foreground))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
