"""The graph view's text and keys: the caption of what is shown, the micro-step band, layer labels,
the colour bars with their value ranges, the level-of-detail notes and the editor's error."""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from engine.notation import sup
from gui.numbers import format_number
from gui.theme import diverging_map, sequential_map

from .paint import SATURATION_COLOR

_LEFT = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
_RIGHT = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
_CENTER = QtCore.Qt.AlignmentFlag.AlignCenter
LEVEL_CHARS = 7          # a colour bar's end labels: at most this many characters


def layer_label(k: int, L: int) -> str:
    if k == 0:
        return "a⁰ = x"
    return f"a{sup(k)} (output)" if k == L else f"a{sup(k)}"


def layer_size(gv, k: int) -> str:
    n = gv.graph_layout.sizes[k]
    if k == 0:
        return f"{n:,} input" + ("s" if n != 1 else "")
    act = gv.session.net.activations[k - 1].name
    return f"{n:,} neuron{'s' if n != 1 else ''} · {act}"


def step_column(step, L: int) -> int | None:
    """The column the micro-step is about (None for the update, which is about every layer)."""
    if step.phase == "update":
        return None
    return 0 if step.phase == "input" else min(step.book_layer, L)


def paint_band(p: QtGui.QPainter, gv) -> None:
    lay, s = gv.graph_layout, gv.scale
    k = step_column(gv.session.view.step, lay.L)
    if k is None:
        return
    half = max(lay.radius[k], lay.strip_w) + 16 * s + (lay.out_x[k] - lay.in_x[k]) / 2
    band = QtGui.QColor(gv.theme.accent)
    band.setAlpha(38)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(band)
    p.drawRoundedRect(QtCore.QRectF(lay.xs[k] - half, lay.top - 14 * s, 2 * half,
                                    gv.label_bottom - lay.top + 14 * s), 12 * s, 12 * s)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)


def paint_texts(p: QtGui.QPainter, gv) -> None:
    lay, s, th = gv.graph_layout, gv.scale, gv.theme
    w = gv.width()
    fg, muted = QtGui.QColor(th.foreground), QtGui.QColor(th.muted)
    # caption: what the colours mean, and the micro-step
    p.setPen(fg)
    p.setFont(gv.font_at(1.25, bold=True))
    p.drawText(QtCore.QRectF(16 * s, 6 * s, w - 32 * s, 30 * s), _LEFT, gv.values.caption)
    p.setPen(muted)
    p.setFont(gv.font_at(1.0))
    p.drawText(QtCore.QRectF(16 * s, 36 * s, w - 32 * s, 24 * s), _LEFT, gv.session.view.step.banner_in(gv.session.settings.convention))
    # split sub-column names
    if lay.split:
        p.setFont(gv.font_at(0.9))
        for k in range(1, lay.L + 1):
            y = float(lay.ys[k][0]) - (lay.radius[k] if not lay.strip[k] else 0) - 13 * s
            for x, name in ((lay.in_x[k], "Σ " + gv.values.sum_name), (lay.out_x[k], "σ " + gv.values.node_name)):
                p.drawText(QtCore.QRectF(x - 50 * s, y - 10 * s, 100 * s, 20 * s), _CENTER, name)
    # layer labels
    current = step_column(gv.session.view.step, lay.L)
    sel = gv.session.selection
    for k, x in enumerate(lay.xs):
        selected = sel.kind == "layer" and sel.l + 1 == k
        p.setPen(QtGui.QColor(th.accent) if selected else fg)
        p.setFont(gv.font_at(1.1, bold=k == current or selected))
        y = lay.bottom + 8 * s
        p.drawText(QtCore.QRectF(x - 110 * s, y, 220 * s, 24 * s), _CENTER, layer_label(k, lay.L))
        p.setPen(muted)
        p.setFont(gv.font_at(0.9))
        p.drawText(QtCore.QRectF(x - 110 * s, y + 24 * s, 220 * s, 20 * s), _CENTER, layer_size(gv, k))
    # level-of-detail notes, bottom left
    p.setPen(muted)
    p.setFont(gv.font_at(0.9))
    notes = gv.lod_notes()
    for n, note in enumerate(notes):
        y = gv.height() - (len(notes) - n) * 22 * s - 6 * s
        p.drawText(QtCore.QRectF(16 * s, y, w * 0.5, 22 * s), _LEFT, note)
    if gv.edit_error:
        p.setPen(QtGui.QColor("#dc2626"))
        p.setFont(gv.font_at(1.0, bold=True))
        p.drawText(QtCore.QRectF(16 * s, gv.label_bottom, w * 0.5, 26 * s), _LEFT, gv.edit_error)
    paint_legend(p, gv)


def _bar(p, gv, x, y, title, cmap, lo, hi, signed) -> None:
    s = gv.scale
    bw, bh = 180 * s, 14 * s
    p.setPen(QtGui.QColor(gv.theme.foreground))
    p.setFont(gv.font_at(0.9, bold=True))
    p.drawText(QtCore.QRectF(x, y, bw, 20 * s), _CENTER, title)
    grad = QtGui.QLinearGradient(x, 0, x + bw, 0)
    for t in np.linspace(0, 1, 11):
        r, g, b, a = cmap.map(np.array([t]), mode="byte")[0]
        grad.setColorAt(float(t), QtGui.QColor(int(r), int(g), int(b), int(a)))
    p.setBrush(QtGui.QBrush(grad))
    p.setPen(QtGui.QPen(QtGui.QColor(gv.theme.muted), 1))
    p.drawRect(QtCore.QRectF(x, y + 22 * s, bw, bh))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.setFont(gv.font_at(0.85))
    ty = y + 24 * s + bh
    p.drawText(QtCore.QRectF(x, ty, bw * 0.4, 18 * s), _LEFT, format_number(lo, max_chars=LEVEL_CHARS))
    p.drawText(QtCore.QRectF(x + bw * 0.6, ty, bw * 0.4, 18 * s), _RIGHT, format_number(hi, max_chars=LEVEL_CHARS))
    if signed:
        p.drawText(QtCore.QRectF(x + bw / 2 - 20 * s, ty, 40 * s, 18 * s), _CENTER, "0")


def paint_legend(p: QtGui.QPainter, gv) -> None:
    """Colour bars at the bottom right: neurons, Σ nodes (split), edges; then the grey and ring keys."""
    val, s = gv.values, gv.scale
    pal = gv.palette
    node_map = diverging_map(pal) if val.node_signed else sequential_map(pal)
    bars = [(f"neurons: {val.node_name}", node_map, *val.node_levels, val.node_signed)]
    if gv.graph_layout.split:
        bars.append((f"Σ nodes: {val.sum_name}", diverging_map(pal), *val.sum_levels, True))
    bars.append((f"edges: {val.edge_name}", diverging_map(pal), *val.edge_levels, True))
    y = gv.height() - 66 * s
    x = gv.width() - 16 * s - 250 * s
    p.setFont(gv.font_at(0.85))
    p.setPen(QtGui.QPen(QtGui.QColor(gv.theme.muted), 1.2 * s))
    p.setBrush(QtGui.QColor(gv.neutral_fill))
    p.drawEllipse(QtCore.QPointF(x + 8 * s, y + 14 * s), 7 * s, 7 * s)
    p.drawText(QtCore.QRectF(x + 20 * s, y + 4 * s, 220 * s, 20 * s), _LEFT, "not computed yet")
    if gv.show_saturation:
        p.setPen(QtGui.QPen(QtGui.QColor(SATURATION_COLOR), 2.5 * s, QtCore.Qt.PenStyle.DashLine))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawEllipse(QtCore.QPointF(x + 8 * s, y + 40 * s), 8 * s, 8 * s)
        p.setPen(QtGui.QColor(gv.theme.muted))
        p.drawText(QtCore.QRectF(x + 20 * s, y + 30 * s, 220 * s, 20 * s), _LEFT, "saturated: σ′(z) < 0.01")
    for title, cmap, lo, hi, signed in reversed(bars):
        x -= 200 * s
        _bar(p, gv, x, y, title, cmap, lo, hi, signed)
