"""Painting the network graph with QPainter: edges batched by colour/width bucket (one drawLines
call per pen), nodes, strips for wide columns, pulses, saturation rings and the selection.
Caption, labels and legend are in legend.  Everything reads the GraphView's state."""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from . import text_fit
from .anim import ease, mix_rgba, window
from .layout import TEXT_PAD
from .raster import device_ratio

DENSE = 256                         # layers drawing more edges than this skip antialiasing and the underlay
N_BUCKETS = 21                      # odd, so that 0 has a bucket of its own
SATURATION_COLOR = "#c026d3"        # magenta: apart from both palettes and the accent
_ORDER = sorted(range(N_BUCKETS), key=lambda b: abs(b - (N_BUCKETS - 1) / 2))   # weak first


def qcolor(rgba) -> QtGui.QColor:
    return QtGui.QColor(int(rgba[0]), int(rgba[1]), int(rgba[2]), int(rgba[3]))


def rgba(values, levels, cmap, neutral: np.ndarray, n: int) -> np.ndarray:
    """(n, 4) uint8 colours of ``values`` on ``cmap`` over ``levels``; ``neutral`` where None."""
    if values is None:
        return np.tile(neutral, (n, 1))
    lo, hi = levels
    t = np.clip((np.asarray(values, dtype=float) - lo) / (hi - lo if hi > lo else 1.0), 0.0, 1.0)
    bad = np.isnan(t)                      # NaN (∞ − ∞ after huge weights): drawn neutral, not cast
    out = np.asarray(cmap.map(np.where(bad, 0.5, t), mode="byte"), dtype=np.uint8).reshape(n, 4)
    out[bad.reshape(-1)] = neutral
    return out


def edge_pens(cmap, scale: float) -> list[QtGui.QPen]:
    pens = []
    for b, t in enumerate(np.linspace(-1.0, 1.0, N_BUCKETS)):
        c = qcolor(cmap.map(np.array([(t + 1) / 2]), mode="byte")[0])
        pen = QtGui.QPen(c, (0.9 + 5.5 * abs(t)) * scale)
        pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)     # round caps on wide antialiased lines are ~40× slower
        pens.append(pen)
    return pens


def buckets(values, levels) -> np.ndarray:
    m = max(abs(levels[0]), abs(levels[1]), 1e-300)
    t = np.nan_to_num(np.clip(np.asarray(values, float) / m, -1, 1))     # NaN: the middle bucket
    return np.rint((t + 1) / 2 * (N_BUCKETS - 1)).astype(int)


def _qlines(rows: np.ndarray) -> list:
    return [QtCore.QLineF(*r) for r in rows.tolist()]


def draw_edges(p: QtGui.QPainter, lines: np.ndarray, values, levels, pens, neutral: QtGui.QPen) -> None:
    """One drawLines call per bucket; None values draw neutral."""
    if not len(lines):
        return
    if values is None:
        p.setPen(neutral)
        p.drawLines(_qlines(lines))
        return
    idx = buckets(values, levels)
    for b in _ORDER:
        sel = idx == b
        if sel.any():
            p.setPen(pens[b])
            p.drawLines(_qlines(lines[sel]))


def split_lines(lines: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each line cut at fraction s from its start: (start part, end part, cut points)."""
    cut = lines[:, :2] + s * (lines[:, 2:] - lines[:, :2])
    return np.hstack([lines[:, :2], cut]), np.hstack([cut, lines[:, 2:]]), cut


def draw_pulses(p: QtGui.QPainter, points: np.ndarray, color: QtGui.QColor, scale: float) -> None:
    """Signal pulses: accent dots (at most 120, the strongest edges' first)."""
    if not len(points):
        return
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    p.setPen(QtGui.QPen(color.darker(160), 1.2 * scale))
    p.setBrush(color)
    r = 5.5 * scale
    for x, y in points[:120].tolist():
        p.drawEllipse(QtCore.QPointF(x, y), r, r)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)


EDGE_ANIMATIONS = ("update", "sweep_backward", "pulse_forward", "pulse_backward", "bias")   # move edges


def paint_edges(p: QtGui.QPainter, gv) -> None:
    """The edges (and bias edges); while no animation moves them, from ``gv.edge_layer``, the
    picture of the same edges kept from an earlier paint (raster devices)."""
    if gv.anim is None or gv.anim.kind not in EDGE_ANIMATIONS:
        if gv.edge_layer.paint(p, edges_key(gv), gv.size(), lambda q: _paint_edges(q, gv), keep=gv.graph_layout):
            return
    _paint_edges(p, gv)


class _At:
    """The graph as it will be at another micro-step: ``values``, ``drawn`` and ``lines`` of that
    step, no animation, everything else the GraphView's own."""

    def __init__(self, gv, values, drawn: dict, lines: dict):
        self._gv, self.values, self.drawn, self.lines, self.anim = gv, values, drawn, lines, None

    def __getattr__(self, name):
        return getattr(self._gv, name)


def prepare_edges(gv, values) -> bool:
    """Draw into ``gv.edge_layer``, ahead of time, the still edges the graph will show with
    ``values`` (another micro-step's ``graph_values``), so that the key that goes there blits them
    (a digits network's edges take 10–20 ms to draw); True if they were drawn now."""
    from .values import edge_subset
    sizes = gv.graph_layout.sizes
    drawn, lines = dict(gv.drawn), dict(gv.lines)
    for l in range(len(sizes) - 1):
        if gv.lod.get(l):               # a thinned layer shows that step's strongest edges (GraphView._recompute)
            drawn[l] = edge_subset(sizes, l, values.edges[l], gv.session.net.W[l])
            lines[l] = gv.graph_layout.edge_lines(l, *drawn[l])
    at = _At(gv, values, drawn, lines)
    return gv.edge_layer.prepare(edges_key(at), gv.size(), gv.devicePixelRatioF(), lambda q: _paint_edges(q, at),
                                 keep=gv.graph_layout)


def edges_key(gv) -> tuple:
    """What the still edges' picture depends on: the layout (its identity), the theme, palette and
    zoom, and the drawn edges' indices and values."""
    val = gv.values
    parts = [id(gv.graph_layout), gv.theme, gv.palette, gv.scale, tuple(val.edge_levels)]
    for l, (j_idx, i_idx) in sorted(gv.drawn.items()):
        full = val.edges[l]
        parts.append((l, j_idx.tobytes(), i_idx.tobytes(), None if full is None else full[j_idx, i_idx].tobytes()))
    if gv.graph_layout.bias:
        parts += [None if b is None else np.asarray(b).tobytes() for b in val.bias]
    return tuple(parts)


def _paint_edges(p: QtGui.QPainter, gv) -> None:
    lay, val, anim, t = gv.graph_layout, gv.values, gv.anim, ease(gv.anim_t)
    grey = QtGui.QColor(gv.theme.edge_neutral)
    grey.setAlpha(170)
    neutral = QtGui.QPen(grey, 1.2 * gv.scale)
    grey.setAlpha(70)
    faint = QtGui.QPen(grey, 0.8 * gv.scale)
    accent = QtGui.QColor(gv.theme.accent)
    kind, k = (anim.kind, anim.k) if anim else ("", -1)
    for l, (j_idx, i_idx) in gv.drawn.items():
        lines = gv.lines[l]
        dense = len(lines) > DENSE
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, not dense)
        if not dense:
            p.setPen(faint)
            p.drawLines(_qlines(lines))
        full = val.edges[l]
        v = None if full is None else full[j_idx, i_idx]
        if kind == "update" and v is not None:
            before = gv.session.view.W_before[l][j_idx, i_idx]
            v = before + t * (v - before)
        if kind == "sweep_backward" and l == k - 1:
            old, new, cut = split_lines(lines, 1.0 - t)
            draw_edges(p, old, None, val.edge_levels, gv.pens, faint if dense else neutral)
            draw_edges(p, new, v, val.edge_levels, gv.pens, neutral)
            draw_pulses(p, cut[::-1], accent, gv.scale)
            continue
        draw_edges(p, lines, v, val.edge_levels, gv.pens, faint if dense else neutral)
        if kind == "pulse_forward" and l == k - 1:
            draw_pulses(p, split_lines(lines[::-1], t)[2], accent, gv.scale)
        elif kind == "pulse_backward" and l == k:
            draw_pulses(p, split_lines(lines[::-1], 1.0 - t)[2], accent, gv.scale)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    if lay.bias:
        for l in range(lay.L):
            v = val.bias[l]
            if kind == "update" and v is not None:
                v = gv.session.view.b_before[l] + t * (v - gv.session.view.b_before[l])
            lines = lay.bias_lines(l)
            if kind == "bias" and l == k - 1:
                lines = split_lines(lines, t)[0]
            draw_edges(p, lines, v, val.edge_levels, gv.pens, neutral)


def column_t(gv, k: int) -> float:
    """How far column k's colours have moved from the old to the new values."""
    anim = gv.anim
    if anim is None:
        return 1.0
    if anim.k == k and anim.kind in ("pulse_forward", "pulse_backward"):
        return ease(window(gv.anim_t, 0.55, 1.0))
    return ease(gv.anim_t)


def node_colors(gv, k: int, which: str) -> np.ndarray:
    """Colours of column k's neurons ("nodes") or Σ nodes ("sums"), mid-animation too."""
    n = gv.graph_layout.sizes[k]
    new = gv.node_rgba(gv.values, k, which, n)
    if gv.anim is None:
        return new
    return mix_rgba(gv.node_rgba(gv.anim.prev, k, which, n), new, column_t(gv, k))


def paint_nodes(p: QtGui.QPainter, gv) -> None:
    lay, val, s = gv.graph_layout, gv.values, gv.scale
    outline = QtGui.QPen(QtGui.QColor(gv.theme.foreground), 1.4 * s)
    ring = QtGui.QPen(QtGui.QColor(SATURATION_COLOR), RING_W * s, QtCore.Qt.PenStyle.DashLine)
    dpr = device_ratio(p)          # on a raster device: outlines are stamps (gv.stamps)
    for k in range(lay.L + 1):
        spots = [("nodes", lay.out_x[k], val.nodes[k])]
        if lay.split and k > 0:
            spots.insert(0, ("sums", lay.in_x[k], val.sums[k]))
            if not lay.strip[k]:
                p.setPen(QtGui.QPen(QtGui.QColor(gv.theme.edge_neutral), 2.0 * s))
                p.drawLines([QtCore.QLineF(lay.in_x[k], y, lay.out_x[k], y) for y in lay.ys[k].tolist()])
        sat = val.saturated[k] if gv.show_saturation else None
        for which, x, values in spots:
            colors = node_colors(gv, k, which)
            if lay.strip[k]:
                _paint_strip(p, gv, k, x, colors, outline, sat if which == "nodes" else None)
                continue
            font = gv.value_font(k)
            for j, y in enumerate(lay.ys[k].tolist()):
                c = qcolor(colors[j])
                text, number_font, hw = None, None, None
                if font is not None and values is not None:
                    text, number_font, hw = gv.node_number(k, float(values[j]))
                    if hw <= lay.half_w[k]:
                        hw = None                         # its own shape; else a pill as wide as its number
                p.setPen(outline if dpr is None else QtCore.Qt.PenStyle.NoPen)
                p.setBrush(c)
                _node_shape(p, lay, k, x, y, 0.0, hw)
                if dpr is not None:
                    _stamp_shape(p, gv, dpr, outline, k, x, y, 0.0, hw)
                if text is not None:
                    rect = lay.text_rect(k, x, y) if hw is None else (x - hw + TEXT_PAD, y - lay.radius[k],
                                                                       2 * (hw - TEXT_PAD), 2 * lay.radius[k])
                    text_fit.draw(p, gv, "number", QtCore.QRectF(*rect), text, number_font,
                                  QtCore.Qt.AlignmentFlag.AlignCenter, fill=c, where=(k, j, which))
                if which == "nodes" and sat is not None and sat[j]:
                    fit = ring_fit(gv, k)
                    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                    if fit is None:                   # no room between the rows for a ring: a tick, as on a strip
                        p.setPen(QtGui.QPen(QtGui.QColor(SATURATION_COLOR), tick_width(gv, k)))
                        x0 = x + max(lay.half_w[k], hw or 0.0) + 3 * s
                        p.drawLine(QtCore.QLineF(x0, y, x0 + 6 * s, y))
                        continue
                    grow = fit[0]
                    ring.setWidthF(fit[1])
                    p.setPen(ring)
                    if dpr is None:
                        _node_shape(p, lay, k, x, y, grow)
                    else:
                        _stamp_shape(p, gv, dpr, ring, k, x, y, grow)
    if lay.bias:
        p.setFont(gv.font_at(1.0, bold=True))
        for bx, by in lay.bias_pos:
            p.setPen(outline)
            p.setBrush(QtGui.QColor(gv.theme.panel))
            p.drawEllipse(QtCore.QPointF(bx, by), lay.bias_r, lay.bias_r)
            p.setPen(QtGui.QColor(gv.theme.foreground))
            p.drawText(QtCore.QRectF(bx - lay.bias_r, by - lay.bias_r, 2 * lay.bias_r, 2 * lay.bias_r),
                       QtCore.Qt.AlignmentFlag.AlignCenter, "1")
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)


FRAME_W = 4.0                        # the selection's pen: the ring round a neuron, an edge, a layer pair's frame (× zoom)
SELECTION_GROW = 4.0                 # a selected neuron's ring this far outside its outline (× zoom)
RING_GROW, RING_W = 5.0, 3.0         # a saturated neuron's ring: this far outside its outline, this wide (× zoom)
RING_REACH = max(SELECTION_GROW + FRAME_W / 2, RING_GROW + RING_W / 2)   # how far the rings reach out of a node (× zoom)


def ring_fit(gv, k: int) -> tuple[float, float] | None:
    """(grow, pen width) of column k's saturation rings: RING_GROW and RING_W × zoom where the rows
    leave room, else as much as keeps a ring 1 px clear of its neighbours' (digits' 32 relu rows at
    1024×768 +3 overlapped into one magenta chain); None where a ring would not clear its own
    outline (a tick beside the node then, as on a strip)."""
    lay, s = gv.graph_layout, gv.scale
    ys = lay.ys[k]
    room = float(np.min(np.diff(ys))) / 2 - 1.0 - lay.radius[k] if len(ys) > 1 else np.inf   # centre to midway, past the node
    width = min(RING_W * s, max(room / 3, 1.5))
    grow = min(RING_GROW * s, room - width / 2)
    if grow < 0.7 * s + width / 2 + 0.5:          # (the outline is 1.4 × zoom wide)
        return None
    return grow, width


def tick_width(gv, k: int) -> float:
    """How thick column k's saturation ticks are: a row's height, at least 1.5 px, at most RING_W × zoom."""
    lay = gv.graph_layout
    pitch = float(np.min(np.diff(lay.ys[k]))) if len(lay.ys[k]) > 1 else RING_W * gv.scale
    return max(min(pitch - 2.0, RING_W * gv.scale), 1.5)


def _stamp_shape(p: QtGui.QPainter, gv, dpr: float, pen: QtGui.QPen, k: int, x: float, y: float, grow: float,
                 half_w: float | None = None) -> None:
    """The outline _node_shape strokes with ``pen``, blitted from gv.stamps."""
    lay = gv.graph_layout
    r = lay.radius[k] + grow
    hw = (lay.half_w[k] if half_w is None else half_w) + grow if lay.pill(k) or half_w is not None else r
    gv.stamps.outline(p, dpr, pen, x, y, hw, r, r)


def _node_shape(p: QtGui.QPainter, lay, k: int, x: float, y: float, grow: float, half_w: float | None = None) -> None:
    """A neuron of column k at (x, y): a circle, or a pill when its number needs the width (its
    column's, or ``half_w`` for one number wider than that); ``grow`` pixels larger all round
    (rings and selection)."""
    r = lay.radius[k] + grow
    if lay.pill(k) or half_w is not None:
        hw = (lay.half_w[k] if half_w is None else half_w) + grow
        p.drawRoundedRect(QtCore.QRectF(x - hw, y - r, 2 * hw, 2 * r), r, r)
    else:
        p.drawEllipse(QtCore.QPointF(x, y), r, r)


def _paint_strip(p, gv, k, x, colors, outline, sat) -> None:
    lay = gv.graph_layout
    n = lay.sizes[k]
    img = QtGui.QImage(np.ascontiguousarray(colors).tobytes(), 1, n, 4, QtGui.QImage.Format.Format_RGBA8888).copy()
    rect = QtCore.QRectF(x - lay.strip_w / 2, lay.top, lay.strip_w, lay.bottom - lay.top)
    p.drawImage(rect, img)
    p.setPen(outline)
    p.drawRect(rect)
    if sat is not None and sat.any():
        p.setPen(QtGui.QPen(QtGui.QColor(SATURATION_COLOR), max(lay.cell_h(k), 1.5)))
        x0 = x + lay.strip_w / 2 + 3
        p.drawLines([QtCore.QLineF(x0, y, x0 + 6 * gv.scale, y) for y in lay.ys[k][sat].tolist()])


def paint_selection(p: QtGui.QPainter, gv, under_nodes: bool) -> None:
    """The selected edge (drawn ``under_nodes``) or neuron ring (drawn over them); a layer pair's
    frame is painted over the texts (``paint_layer_frame``)."""
    sel, lay, s = gv.session.selection, gv.graph_layout, gv.scale
    if under_nodes != (sel.kind == "edge"):
        return
    pen = QtGui.QPen(QtGui.QColor(gv.theme.accent), FRAME_W * s)
    pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    if sel.kind == "neuron" and 0 <= sel.k <= lay.L and 0 <= sel.j < lay.sizes[sel.k]:
        k, j = sel.k, sel.j
        y = float(lay.ys[k][j])
        if lay.strip[k]:
            x0 = lay.xs[k] - lay.strip_w / 2 - 14 * s
            p.drawLine(QtCore.QLineF(x0, y, lay.out_x[k] + lay.strip_w / 2 + 14 * s, y))
        else:
            for x in {lay.in_x[k], lay.out_x[k]}:
                _node_shape(p, lay, k, x, y, SELECTION_GROW * s)
    elif sel.kind == "edge" and 0 <= sel.l < lay.L:
        W = gv.session.net.W[sel.l]
        if sel.j < W.shape[0] and sel.i < W.shape[1]:
            p.drawLine(QtCore.QLineF(*lay.edge_lines(sel.l, [sel.j], [sel.i])[0].tolist()))


def paint_layer_frame(p: QtGui.QPainter, gv) -> None:
    """The selected layer pair's dashed frame (``layer_frame``), painted once every text is, and
    broken round a text it still crosses (where no place is clear of them: the diagram's W¹ at
    653×337, zoom +3, under an edge number at the graph's top)."""
    frame = layer_frame(gv)
    if frame is not None:
        clip = QtGui.QRegion(gv.rect())
        for t in gv.texts:
            clip -= QtGui.QRegion(t.ink().adjusted(-2, -2, 2, 2).toAlignedRect())
        p.setClipRegion(clip)
        p.setPen(QtGui.QPen(QtGui.QColor(gv.theme.accent), FRAME_W * gv.scale, QtCore.Qt.PenStyle.DashLine))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(frame, 14 * gv.scale, 14 * gv.scale)
        p.setClipping(False)


def layer_frame(gv) -> QtCore.QRectF | None:
    """The frame round the selected layer pair (its two columns' nodes and bias units, 12 px × zoom
    clear), None without one: inside the graph under its caption, and each side, where a text is
    drawn across it, moved to the nearest place clear of every text (out, or in while the nodes
    stay inside): the diagram's W¹ at 1024×768 ran off the left and top edges, through the
    caption and the layer name "a¹" (the layer names are under it, the selected one in the accent
    colour).  Its sides are the middle of its pen: ``gv.texts`` must be the texts painted."""
    sel, lay, s = gv.session.selection, gv.graph_layout, gv.scale
    if sel.kind != "layer" or not 0 <= sel.l < lay.L:
        return None
    l, half, clear = sel.l, FRAME_W * s / 2, 12 * s
    reach = max(max(lay.half_w[l], lay.half_w[l + 1]), lay.strip_w)
    ends = [(float(lay.ys[k][0]), float(lay.ys[k][-1]), lay.cell_h(k) / 2 if lay.strip[k] else lay.radius[k]) for k in (l, l + 1)]
    nodes = QtCore.QRectF(QtCore.QPointF(lay.in_x[l] - reach, min(y0 - r for y0, _y1, r in ends)),
                          QtCore.QPointF(lay.out_x[l + 1] + reach, max(y1 + r for _y0, y1, r in ends)))
    if lay.bias:
        nodes = nodes.united(QtCore.QRectF(lay.in_x[l + 1] - lay.bias_r, lay.bias_pos[l][1] - lay.bias_r,
                                           2 * lay.bias_r, 2 * lay.bias_r))
    room = QtCore.QRectF(half + 3, gv.content_top + half + 3, gv.width() - 2 * half - 6,
                         gv.height() - gv.content_top - 2 * half - 6)
    least = nodes.adjusted(-half - 2 * s, -half - 2 * s, half + 2 * s, half + 2 * s)   # (the nodes inside it)
    sides = [nodes.left() - clear, nodes.top() - clear, nodes.right() + clear, nodes.bottom() + clear]
    sides = [max(sides[0], room.left()), max(sides[1], room.top()), min(sides[2], room.right()), min(sides[3], room.bottom())]
    inks = [t.ink() for t in gv.texts]
    inner = (least.left(), least.top(), least.right(), least.bottom())
    bound = (room.left(), room.top(), room.right(), room.bottom())
    for _ in range(2):                          # (a side moved changes the others' spans)
        for n in range(4):                      # left, top, right, bottom
            lo, hi = (sides[1], sides[3]) if n % 2 == 0 else (sides[0], sides[2])
            across = [(i.left(), i.right()) if n % 2 == 0 else (i.top(), i.bottom()) for i in inks
                      if ((i.top(), i.bottom()) if n % 2 == 0 else (i.left(), i.right()))[0] < hi
                      and ((i.top(), i.bottom()) if n % 2 == 0 else (i.left(), i.right()))[1] > lo]
            sides[n] = _clear_place(sides[n], across, half + 2 * s, *sorted((inner[n], bound[n])))
    return QtCore.QRectF(QtCore.QPointF(sides[0], sides[1]), QtCore.QPointF(sides[2], sides[3]))


def _clear_place(at: float, across: list, pad: float, lo: float, hi: float) -> float:
    """The place between ``lo`` and ``hi`` nearest ``at`` that is ``pad`` or more from each of the
    spans ``across`` ((start, end) of the texts along a side); ``at`` where none is."""
    places = [at] + [v for a, b in across for v in (a - pad, b + pad)]
    clear = [v for v in places if lo <= v <= hi and not any(a - pad < v < b + pad for a, b in across)]
    return min(clear, key=lambda v: abs(v - at)) if clear else at