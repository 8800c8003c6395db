"""The graph view's text and keys: the caption of what is shown, the micro-step band, layer labels,
the colour bars with their value ranges, the level-of-detail notes and the editor's error.

Under the neurons, each in rows of its own: the layer names, their sizes, the notes (beside the
legend's bottom row where they fit) and the legend.  A short graph (the Training layout's strip,
a high zoom) gives up what has no room rather than draw it over the neurons or another text, in
the order of ``SHORT_DROPS``: the caption (always below GraphView's CAPTION_MIN_H), the legend's
two keys, the legend, the notes' long wording, the layer sizes, the notes and the margins above and
below the neurons (``labels_top``, ``labels_height``), until every column of at most
VALUE_TEXT_MAX neurons carries its numbers and the neurons keep their share of the height
(GraphView._layout_once); the layer names always stay."""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from engine.notation import sup
from gui.numbers import format_number
from gui.theme import diverging_map, sequential_map

from . import text_fit
from .paint import SATURATION_COLOR
from .values import CAPTIONS

_LEFT = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
_RIGHT = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
_CENTER = QtCore.Qt.AlignmentFlag.AlignCenter
LABEL_GAP = 24         # at least this much between two columns' labels (× zoom)
LABEL_TOP = 8          # from the neurons' area to the layer names (× zoom)…
TIGHT_TOP = 3          # … once a short graph gives up its "margins"
NAME_H = 24            # the layer name's line (× zoom)
SIZE_H = 20            # the layer size's line under it (× zoom)
LABELS_H = LABEL_TOP + NAME_H + SIZE_H + 4     # the layer name and size under each column (× zoom)
NAMES_H = LABEL_TOP + NAME_H + 4               # … the name alone
SHORT_DROPS = ("caption", "legend keys", "legend", "long notes", "layer sizes", "notes", "margins")   # a short graph's, in this order
ROW_H = 62             # one row of the legend (× zoom)
BAR_W = 150            # one colour bar (× zoom)
KEYS_W = 215           # the "not computed yet" and "saturated" keys (× zoom)
MAX_BARS = 3           # neurons (a, z or δ), Σ nodes or z, edges
NOTE_H = 22            # one level-of-detail note (× zoom)
BAND_PAD = 14          # the current column's highlight band reaches this far around its nodes (× zoom)
LEVEL_CHARS = 7        # a colour bar's end labels: at most this many characters, a minus sign besides


def layer_label(k: int, L: int, z: bool = False) -> str:
    """"a⁰ = x", "a¹", "a² (output)"; "z¹ (σ next)" while the column shows z."""
    if k == 0:
        return "a⁰ = x"
    if z:
        return f"z{sup(k)} (σ next)"
    return f"a{sup(k)} (output)" if k == L else f"a{sup(k)}"


def layer_size(gv, k: int) -> str:
    n = gv.session.net.sizes[k]
    if k == 0:
        return f"{n:,} input" + ("s" if n != 1 else "")
    act = gv.session.net.activations[k - 1].name
    return f"{n:,} neuron{'s' if n != 1 else ''} · {act}"


def step_column(step, L: int) -> int | None:
    """The column the micro-step is about (None for the update, which is about every layer)."""
    if step.phase == "update":
        return None
    return 0 if step.phase == "input" else min(step.book_layer, L)


def _widths(scale: float, bars: int, keys: bool) -> list[float]:
    """The legend's items, right to left: the two keys (unless left out), then the colour bars."""
    return ([KEYS_W * scale] if keys else []) + [(BAR_W + 16) * scale] * bars


def labels_top(dropped, scale: float) -> float:
    """From the bottom of the neurons' area to the layer names, with ``dropped`` (of SHORT_DROPS)."""
    return (TIGHT_TOP if "margins" in dropped else LABEL_TOP) * scale


def labels_height(dropped, scale: float) -> float:
    """The layer names (and their sizes, unless dropped) under the neurons' area, with the gap above."""
    if "margins" in dropped:
        return (TIGHT_TOP + NAME_H + 1) * scale
    return (NAMES_H if "layer sizes" in dropped else LABELS_H) * scale


def legend_rows(width: float, scale: float, keys: bool = True) -> int:
    """How many rows the legend needs at a width: keys and bars flow right to left."""
    return len(_flow(_widths(scale, MAX_BARS, keys), width - 24 * scale))


def notes_room(width: float, scale: float, legend_scale: float | None = None, keys: bool = True) -> float:
    """The width left of the legend's bottom row, for the level-of-detail notes: the legend drawn at
    ``legend_scale`` (``scale`` unless it shrinks) with two or three colour bars, whichever leaves
    less (the count changes with the micro-step, the notes' place does not)."""
    ls = scale if legend_scale is None else legend_scale
    bottom_row = 0.0
    for bars in range(2, MAX_BARS + 1):
        widths = _widths(ls, bars, keys)
        bottom_row = max(bottom_row, sum(widths[i] for i in _flow(widths, width - 24 * ls)[-1]))
    return width - 12 * ls - bottom_row - 28 * scale


def note_rows(notes: list[str], width: float, scale: float, font: QtGui.QFont,
              legend_scale: float | None = None, keys: bool = True, legend: bool = True) -> int:
    """0 when the notes fit left of the legend's bottom row, else the rows they take above the
    legend (or, without a ``legend``, at the bottom)."""
    if not notes:
        return 0
    room = notes_room(width, scale, legend_scale, keys) if legend else -1.0
    metrics = QtGui.QFontMetricsF(font)
    return 0 if all(metrics.horizontalAdvance(n) <= room for n in notes) else len(notes)


def _flow(widths: list[float], room: float) -> list[list[int]]:
    """Items (by index) in rows no wider than ``room`` (at least one item a row)."""
    rows, used = [[]], 0.0
    for i, w in enumerate(widths):
        if rows[-1] and used + w > room:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += w
    return rows


def column_half(lay, k: int) -> float:
    """Half the width a column's nodes take (circles, pills or strip, Σ and σ together)."""
    return max(lay.half_w[k], lay.strip_w) + (lay.out_x[k] - lay.in_x[k]) / 2


def paint_band(p: QtGui.QPainter, gv) -> None:
    lay, s = gv.graph_layout, gv.scale
    k = step_column(gv.session.view.step, lay.L)
    if k is None:
        return
    half = column_half(lay, k) + BAND_PAD * s
    # the accent at 15 % over the background, as one opaque colour: nothing but the background is
    # under the band, and the raster engine fills an opaque shape about 10× faster than a translucent one
    accent, under, alpha = QtGui.QColor(gv.theme.accent), QtGui.QColor(gv.theme.background), 38 / 255
    band = QtGui.QColor(*(round(a * alpha + u * (1 - alpha)) for a, u in zip(accent.getRgb()[:3], under.getRgb()[:3])))
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(band)
    # inside the graph, 2 px from its edges (an outer column's pills may come nearer its side than the band's pad,
    # a short graph's neurons nearer its top): its rounded corners seen
    left, right, top = max(lay.xs[k] - half, 2.0), min(lay.xs[k] + half, gv.width() - 2.0), max(lay.top - BAND_PAD * s, 2.0)
    p.drawRoundedRect(QtCore.QRectF(left, top, right - left, gv.label_bottom - top), 12 * s, 12 * s)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)


def label_rect(gv, k: int, y: float, h: float, inner: tuple | None = None) -> QtCore.QRectF:
    """The rectangle of column k's label line at ``y``: centred under the column where it can be,
    inside the column's own share of the width (up to halfway to each neighbour, the widget's edge
    for the outer columns), LABEL_GAP apart, so that two columns' labels never run together.  An
    outer column's label may take what its neighbour's text ``inner`` (text, font) leaves of that
    neighbour's share (vanishing's "a⁶ (output)" beside "a⁵")."""
    lay, s = gv.graph_layout, gv.scale
    gap = LABEL_GAP * s / 2
    left = 4 * s if k == 0 else (lay.xs[k - 1] + lay.xs[k]) / 2 + gap
    right = gv.width() - 4 * s if k == lay.L else (lay.xs[k] + lay.xs[k + 1]) / 2 - gap
    if inner is not None and lay.L > 1 and k in (0, lay.L):
        n = 1 if k == 0 else lay.L - 1
        half = QtGui.QFontMetricsF(inner[1]).horizontalAdvance(inner[0]) / 2
        centre = label_rect(gv, n, y, h).center().x()          # where the neighbour's text is centred
        if k == 0:
            right = max(right, min(centre - half - 2 * gap, lay.xs[1]))
        else:
            left = min(left, max(centre + half + 2 * gap, lay.xs[lay.L - 1]))
    w = min(220 * s, right - left)
    x = min(max(lay.xs[k] - w / 2, left), right - w)
    return QtCore.QRectF(x, y, w, h)


def layer_texts(gv, k: int) -> list[tuple[str, QtCore.QRectF, QtGui.QFont]]:
    """(text, rectangle, font) of column k's layer name and, unless left out, its size under it, as
    paint_texts draws them (each fitted to its rectangle there); the name bold where the micro-step
    is about the column or its layer pair is selected."""
    lay, s, sel = gv.graph_layout, gv.scale, gv.session.selection
    bold = k == step_column(gv.session.view.step, lay.L) or (sel.kind == "layer" and sel.l + 1 == k)
    y = lay.bottom + labels_top(gv.dropped, s)
    n = 1 if k == 0 else lay.L - 1                      # (an outer column's neighbour)
    name = (layer_label(n, lay.L, gv.values.shows_z(n)), gv.font_at(1.1, bold=True))
    out = [(layer_label(k, lay.L, gv.values.shows_z(k)), label_rect(gv, k, y, NAME_H * s, name), gv.font_at(1.1, bold=bold))]
    if "layer sizes" not in gv.dropped:
        size = (layer_size(gv, n), gv.font_at(0.9))
        out.append((layer_size(gv, k), label_rect(gv, k, y + NAME_H * s, SIZE_H * s, size), gv.font_at(0.9)))
    return out


def split_labels(gv) -> list[tuple[QtCore.QRectF, str]]:
    """(rectangle, text) of the "Σ z" and "σ a" names above split neurons' two nodes ([] unsplit)."""
    lay, s = gv.graph_layout, gv.scale
    if not lay.split:
        return []
    out = []
    for k in range(1, lay.L + 1):
        y = float(lay.ys[k][0]) - (lay.radius[k] if not lay.strip[k] else 0) - 13 * s
        half = max(lay.out_x[k] - lay.in_x[k], 40 * s)
        for x, name in ((lay.in_x[k], "Σ " + gv.values.sum_name), (lay.out_x[k], "σ " + gv.values.node_name)):
            out.append((QtCore.QRectF(x - half / 2 - 4 * s, y - 10 * s, half + 8 * s, 20 * s), name))
    return out


def _caption_rects(gv) -> tuple[QtCore.QRectF, QtCore.QRectF]:
    """The caption's first line and the line under it (the micro-step, or the caption's second half)."""
    s, w = gv.scale, gv.width()
    return QtCore.QRectF(16 * s, 6 * s, w - 32 * s, 30 * s), QtCore.QRectF(16 * s, 36 * s, w - 32 * s, 24 * s)


def caption_splits(gv) -> bool:
    """Is one of this run's captions (forward, backward, update) too wide for its line, so that it
    goes on two ("Forward pass" over "neurons: …, edges: …")?"""
    first = _caption_rects(gv)[0]
    font = gv.font_at(1.25, bold=True)
    for mode in CAPTIONS:
        fitted = text_fit.fit_font(font, CAPTIONS[mode].format(rule=gv.values.rule), first.width(), first.height())
        if fitted.pointSizeF() < text_fit.readable_pt(gv) - 1e-9:
            return True
    return False


def paint_texts(p: QtGui.QPainter, gv) -> None:
    lay, s, th = gv.graph_layout, gv.scale, gv.theme
    w = gv.width()
    fg, muted = QtGui.QColor(th.foreground), QtGui.QColor(th.muted)
    # caption: what the colours mean, and the micro-step (on lines kept for them: GraphView.caption_lines)
    caption, step_line = gv.values.caption, gv.show_step_line and gv.caption_lines > 1
    first, line_1 = _caption_rects(gv)
    if gv.caption_lines and not text_fit.draw(p, gv, "caption", first, caption, gv.font_at(1.25, bold=True), _LEFT, fg):
        head, _, tail = caption.partition(" — ")          # too wide to read: "Forward pass" over "neurons: …, edges: …"
        if tail and text_fit.draw(p, gv, "caption", first, head, gv.font_at(1.25, bold=True), _LEFT, fg) \
                and gv.caption_lines > 1:
            step_line = not text_fit.draw(p, gv, "caption", line_1, tail, gv.font_at(1.0), _LEFT, fg)
    if step_line:                                       # (its room given to the caption's second half)
        text_fit.draw(p, gv, "caption", line_1, gv.session.view.step.banner_in(gv.session.settings.convention), gv.font_at(1.0), _LEFT, muted)
    for rect, name in split_labels(gv):
        text_fit.draw(p, gv, "label", rect, name, gv.font_at(0.9), _CENTER, muted)
    # layer labels
    sel = gv.session.selection
    for k in range(lay.L + 1):
        selected = sel.kind == "layer" and sel.l + 1 == k
        for n, (text, rect, font) in enumerate(layer_texts(gv, k)):
            text_fit.draw(p, gv, "label", rect, text, font, _CENTER, muted if n else QtGui.QColor(th.accent) if selected else fg)
    # level-of-detail notes, bottom left; the long wording, else the short one
    keys, shown = "legend keys" not in gv.dropped, "legend" not in gv.dropped
    notes = list(zip(gv.notes(), gv.notes(short=True)))
    above = max(gv.legend_rows * ROW_H * gv.legend_scale, 6 * s) if gv.note_rows else 6 * s   # above the legend, or beside it
    width = w - 32 * s if gv.note_rows else notes_room(w, s, gv.legend_scale, keys)
    for n, texts in enumerate(notes):
        y = gv.height() - above - (len(notes) - n) * NOTE_H * s
        for note in dict.fromkeys(texts[1:] if "long notes" in gv.dropped else texts):
            if text_fit.draw(p, gv, "legend", QtCore.QRectF(16 * s, y, width, NOTE_H * s), note, gv.font_at(0.9), _LEFT, muted):
                break
    if gv.edit_error:
        text_fit.draw(p, gv, "label", QtCore.QRectF(16 * s, gv.label_bottom, w * 0.5, 26 * s), gv.edit_error,
                        gv.font_at(1.0, bold=True), _LEFT, QtGui.QColor("#dc2626"))
    if shown:
        paint_legend(p, gv, keys)


def _level(v: float) -> str:
    """A colour bar's end label: -0.08267 and 0.08267 with the same figures (the sign not counted)."""
    return format_number(v, max_chars=LEVEL_CHARS + (v < 0))


def _bar(p, gv, x, y, title, cmap, lo, hi, signed) -> None:
    s = gv.legend_scale
    bw, bh = BAR_W * s, 14 * s
    text_fit.draw(p, gv, "legend", QtCore.QRectF(x, y, bw, 20 * s), title, gv.font_at(0.9, bold=True, scale=gv.legend_scale), _CENTER)
    grad = QtGui.QLinearGradient(x, 0, x + bw, 0)
    stops = np.linspace(0, 1, 11)
    for t, (r, g, b, a) in zip(stops.tolist(), cmap.map(stops, mode="byte").tolist()):    # (one map call: 1 ms a paint)
        grad.setColorAt(t, QtGui.QColor(r, g, b, a))
    p.setBrush(QtGui.QBrush(grad))
    p.setPen(QtGui.QPen(QtGui.QColor(gv.theme.muted), 1))
    p.drawRect(QtCore.QRectF(x, y + 22 * s, bw, bh))
    gv.shapes.append(("colour bar", QtCore.QRectF(x, y + 22 * s, bw, bh)))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    _ends(p, gv, x, y + 24 * s + bh, lo, hi, signed)


def _ends(p, gv, x, ty, lo, hi, signed) -> None:
    """A colour bar's levels under it: both ends in one font, and "0" in the middle of a signed bar.
    Where the ends do not fit their room at the readable size the "0" gives them its room, and
    then both ends are left out together, never one alone (a signed bar labelled "0  0.08267"
    reads as 0…0.08267)."""
    s = gv.legend_scale
    bw, h, font = BAR_W * s, 18 * s, gv.font_at(0.85, scale=gv.legend_scale)
    texts = (_level(lo), _level(hi))
    for zero in ((True, False) if signed else (False,)):
        w = bw * 0.42 if zero else bw / 2 - 4 * s
        fitted = min((text_fit.fit_font(font, t, w, h) for t in texts), key=QtGui.QFont.pointSizeF)
        if fitted.pointSizeF() >= text_fit.readable_pt(gv) - 1e-9:
            break
    else:
        return
    text_fit.draw(p, gv, "legend", QtCore.QRectF(x, ty, w, h), texts[0], fitted, _LEFT)
    text_fit.draw(p, gv, "legend", QtCore.QRectF(x + bw - w, ty, w, h), texts[1], fitted, _RIGHT)
    if zero:
        text_fit.draw(p, gv, "legend", QtCore.QRectF(x + bw / 2 - 10 * s, ty, 20 * s, h), "0", fitted, _CENTER)


def _keys(p, gv, x, y) -> None:
    s, muted = gv.legend_scale, QtGui.QColor(gv.theme.muted)
    font = gv.font_at(0.85, scale=gv.legend_scale)
    p.setPen(QtGui.QPen(muted, 1.2 * s))
    p.setBrush(QtGui.QColor(gv.neutral_fill))
    p.drawEllipse(QtCore.QPointF(x + 8 * s, y + 14 * s), 7 * s, 7 * s)
    gv.shapes.append(("key", QtCore.QRectF(x + 1 * s, y + 7 * s, 14 * s, 14 * s)))
    text_fit.draw(p, gv, "legend", QtCore.QRectF(x + 20 * s, y + 4 * s, (KEYS_W - 24) * s, 20 * s),
                    "not computed yet", font, _LEFT, muted)
    if gv.show_saturation:
        p.setPen(QtGui.QPen(QtGui.QColor(SATURATION_COLOR), 2.5 * s, QtCore.Qt.PenStyle.DashLine))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawEllipse(QtCore.QPointF(x + 8 * s, y + 40 * s), 8 * s, 8 * s)
        gv.shapes.append(("key", QtCore.QRectF(x, y + 32 * s, 16 * s, 16 * s)))
        text_fit.draw(p, gv, "legend", QtCore.QRectF(x + 20 * s, y + 30 * s, (KEYS_W - 24) * s, 20 * s),
                        "saturated: σ′(z) < 0.01", font, _LEFT, muted)


def paint_legend(p: QtGui.QPainter, gv, keys: bool = True) -> None:
    """Colour bars and the keys at the bottom right, right to left, in as many rows as the width needs:
    the grey and ring keys, then neurons, Σ nodes (split) or z (a Σ micro-step), edges."""
    val, s = gv.values, gv.legend_scale
    pal = gv.palette
    node_map = diverging_map(pal) if val.node_signed else sequential_map(pal)
    bars = [(f"neurons: {val.node_name}", node_map, *val.node_levels, val.node_signed)]
    if gv.graph_layout.split:
        bars.append((f"Σ nodes: {val.sum_name}", diverging_map(pal), *val.sum_levels, True))
    elif any(val.shows_z(k) for k in range(gv.graph_layout.L + 1)):
        bars.append(("neurons: z", diverging_map(pal), *val.sum_levels, True))
    bars.append((f"edges: {val.edge_name}", diverging_map(pal), *val.edge_levels, True))
    items = ([None] if keys else []) + bars
    widths = _widths(s, len(bars), keys)
    rows = _flow(widths, gv.width() - 24 * s)
    for r, row in enumerate(reversed(rows)):
        y = gv.height() - (r + 1) * ROW_H * s
        x = gv.width() - 12 * s
        for i in row:
            x -= widths[i]
            if items[i] is None:
                _keys(p, gv, x, y)
            else:
                _bar(p, gv, x, y, *items[i])
