"""Two overlays of the layer graph for this run's training terms and names (painted after the
neurons, so the graph's own painting stays as it is):

- dropout: once a hidden layer's activations are computed, the neurons its mask dropped are drawn
  hollow (background fill, dashed outline, their a = 0), the kept ones stay as they are (scaled by
  1/(1 − p));
- names: with the View setting ``mazur_names`` on a 2-2-2 network, the Mazur post's names
  beside the book's indices: i1, i2, h1, h2, o1, o2 on the neurons, w1…w8 on the edges, b1, b2.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui

from gui.numbers import format_number

MAZUR_SIZES = [2, 2, 2]


def dropped(view, k: int) -> list[int]:
    """The neurons of layer k (an index of a[k]) dropped in this forward pass, once a[k] is known."""
    masks = getattr(view, "masks", None)
    if masks is None or k >= len(masks) or masks[k] is None or view.a[k] is None:
        return []
    m = masks[k]
    return [j for j in range(m.shape[-1]) if (m[j] if m.ndim == 1 else m[0, j]) == 0.0]


def paint_dropped(p: QtGui.QPainter, gv) -> None:
    lay, view = gv.graph_layout, gv.session.view
    pen = QtGui.QPen(QtGui.QColor(gv.theme.foreground), 2.0 * gv.scale, QtCore.Qt.PenStyle.DashLine)
    for k in range(1, lay.L):
        if lay.strip[k]:
            continue
        r = lay.radius[k]
        for j in dropped(view, k):
            centre = QtCore.QPointF(lay.out_x[k], float(lay.ys[k][j]))
            p.setPen(pen)
            p.setBrush(QtGui.QColor(gv.theme.background))
            p.drawEllipse(centre, r, r)
            p.setPen(QtGui.QColor(gv.theme.muted))
            p.setFont(gv.font_at(0.85))
            p.drawText(QtCore.QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r),
                       QtCore.Qt.AlignmentFlag.AlignCenter, "0")
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)


def mazur_names(sizes) -> bool:
    return list(sizes) == MAZUR_SIZES


def paint_names(p: QtGui.QPainter, gv) -> None:
    """The Mazur post's names on a 2-2-2 network (View → Mazur's names)."""
    lay = gv.graph_layout
    if not gv.session.settings.mazur_names or not mazur_names(lay.sizes) or any(lay.strip):
        return
    font = gv.font_at(0.95, bold=True)
    p.setFont(font)
    metrics = QtGui.QFontMetricsF(font)
    colour = QtGui.QColor(gv.theme.accent)
    for k, unit in enumerate("iho"):
        r = lay.radius[k]
        for j in range(2):
            x, y = lay.out_x[k], float(lay.ys[k][j])
            text = f"{unit}{j + 1}"
            box = QtCore.QRectF(x - r - metrics.horizontalAdvance(text) - 6, y - r - metrics.height(),
                                metrics.horizontalAdvance(text) + 4, metrics.height())
            _label(p, gv, box, text, colour)
    h = metrics.height()
    for l in range(2):          # w1…w4 into the hidden layer, w5…w8 into the output, apart where edges cross
        for j in range(2):
            for i in range(2):
                x1, y1 = lay.out_x[l], float(lay.ys[l][i])
                x2, y2 = lay.in_x[l + 1], float(lay.ys[l + 1][j])
                t = 0.5 if i == j else (0.3 if i == 1 else 0.7)
                cx, cy = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
                if i == j:                   # the straight edges: above the top one, below the bottom one
                    cy += -0.75 * h if j == 0 else 0.75 * h
                text = f"w{4 * l + 2 * j + i + 1}"
                w = metrics.horizontalAdvance(text) + 6
                _label(p, gv, QtCore.QRectF(cx - w / 2, cy - h / 2, w, h), text, colour)
        x = lay.in_x[l + 1]
        b = gv.session.view.b_before[l]
        text = f"b{l + 1} = {format_number(float(b[0]))}" if len(set(b.tolist())) == 1 else f"b{l + 1}"
        w = metrics.horizontalAdvance(text) + 8
        top = float(lay.ys[l + 1][0]) - lay.radius[l + 1] - 2.2 * h      # above the neuron names
        _label(p, gv, QtCore.QRectF(x - w / 2, top, w, h), text, colour)


def _label(p, gv, box: QtCore.QRectF, text: str, colour: QtGui.QColor) -> None:
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    back = QtGui.QColor(gv.theme.background)
    back.setAlpha(220)
    p.setBrush(back)
    p.drawRoundedRect(box, 3, 3)
    p.setPen(colour)
    p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)
