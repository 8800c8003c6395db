"""Class names beside the output neurons: what each output stands for (iris species, digits 0–9,
"xor" for a single sigmoid output).  Classification data only (a regression target is not a
class), and only when the data set names one class per output neuron.

The names sit right of the output column, each centred on its neuron, in a font no taller than
the neurons' spacing and small enough for the longest name to fit the room before the widget's
edge (never below ``MIN_POINT_SIZE``; then elided); the current example's target class is bold.  None are drawn for an output column
shown as a strip (too many classes to name).
"""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from . import text_fit

MIN_POINT_SIZE = 8.0
_LEFT = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter


def class_names(session) -> list[str] | None:
    """One name per output neuron, or None when the outputs are not named classes."""
    ds, n_out = session.run.train, session.net.sizes[-1]
    names = list(ds.target_names)
    if ds.kind != "classification" or len(names) != n_out:
        return None
    return names


def margin(session, font: QtGui.QFont, width: float, s: float) -> float:
    """Room the names ask for right of the output column: the longest name in bold ``font`` and a
    gap, at most a fifth of the ``width`` (longer names are set smaller, then elided)."""
    names = class_names(session)
    if names is None:
        return 0.0
    bold = QtGui.QFont(font)
    bold.setBold(True)
    longest = max(QtGui.QFontMetricsF(bold).horizontalAdvance(n) for n in names)
    return min(longest + 12 * s, width / 5)


def label_rects(gv) -> list[tuple[str, QtCore.QRectF, QtGui.QFont]]:
    """(text as drawn, rectangle, font) for each output neuron's class name; [] when none apply."""
    names = class_names(gv.session)
    lay = gv.graph_layout
    L = lay.L
    if names is None or lay.strip[L]:
        return []
    ys = np.asarray(lay.ys[L], dtype=float)
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


def _target_class(session) -> int | None:
    """The current example's class (its one-hot target's argmax), None for a batch or one output."""
    run = session.run
    y = np.asarray(run.train.Y[run.example_index], dtype=float).ravel()
    return int(np.argmax(y)) if y.size > 1 else None


def paint(p: QtGui.QPainter, gv) -> None:
    for text, rect, font in label_rects(gv):
        text_fit.draw(p, gv, "class", rect, text, font, _LEFT, QtGui.QColor(gv.theme.foreground))
