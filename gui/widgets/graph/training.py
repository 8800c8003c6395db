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

from engine.notation import mazur_names, mazur_neuron, mazur_weight
from gui.numbers import format_number

from . import marks, text_fit


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


def names_shown(gv) -> bool:
    """Are the Mazur post's names on (the View setting, a 2-2-2 network drawn as circles)?"""
    lay = gv.graph_layout
    return bool(gv.session.settings.mazur_names) and mazur_names(lay.sizes) and not any(lay.strip)


def edge_name(gv, l: int, j: int, i: int) -> str | None:
    """"w1"…"w8": the post's name of W[l][j, i] (0-based l, j, i), None when names are off."""
    return mazur_weight(l + 1, j + 1, i + 1) if names_shown(gv) else None


def name_font(gv) -> QtGui.QFont:
    return gv.font_at(0.95, bold=True)


def fixed_name_boxes(gv) -> list[tuple[str, QtCore.QRectF]]:
    """(text, box) of the names whose place is fixed: i1…o2 at the upper left of their neurons (or
    the lower left, or above); b1 and b2 above their layer (or beside its first neuron's name, left
    or right of that neuron's "?", left of its name, under the last neuron, or right of the "?"),
    "b2" alone where "b2 = 0.6" finds no room.  Each place is moved inside the graph (under the
    caption, above the column labels) where it sticks out, and the first clear of the neurons, the
    names before it and, in predict mode, every place a "?" badge may take is taken (so the names do
    not move from one micro-step to the next).  Edge numbers keep clear of them; [] when names are off."""
    if not names_shown(gv):
        return []
    lay, s = gv.graph_layout, gv.scale
    metrics = QtGui.QFontMetricsF(name_font(gv))
    h = metrics.height()
    keep = [(x - lay.half_w[k], y - lay.radius[k], x + lay.half_w[k], y + lay.radius[k])
            for kind, k, _j, x, y in lay.spots() if kind != "bias"]
    keep += [(r.left(), r.top(), r.right(), r.bottom()) for r in marks.possible_question_boxes(gv)]
    room = (2.0, gv.content_top + 2, gv.width() - 2.0, lay.bottom + 6 * s)
    out = []

    def free(boxes: list[QtCore.QRectF]) -> list[QtCore.QRectF]:
        for b in boxes:                                  # moved inside the graph where they stick out
            b.translate(max(room[0] - b.left(), 0.0) - max(b.right() - room[2], 0.0),
                        max(room[1] - b.top(), 0.0) - max(b.bottom() - room[3], 0.0))
        return [b for b in boxes if not text_fit.overlaps_any((b.left(), b.top(), b.right(), b.bottom()), keep)]

    def settle(text: str, box: QtCore.QRectF) -> None:
        keep.append((box.left(), box.top(), box.right(), box.bottom()))
        out.append((text, box))

    def b_places(x, y0, y1, r, badge_x, w, name: QtCore.QRectF) -> list[QtCore.QRectF]:
        # badge_x: where the first neuron's "?" sits (marks.badge_centre)
        badge_left, badge_right = badge_x - 14 * s - 2 - w, badge_x + 14 * s + 2
        return [QtCore.QRectF(x - w / 2, y0 - r - 2.2 * h, w, h),          # above the neuron names
                QtCore.QRectF(x + 4, y0 - r - h - 1, w, h),                # beside the first neuron's name
                QtCore.QRectF(badge_left, y0 - r - h - 1, w, h),           # … left of its "?"
                QtCore.QRectF(badge_right, y0 - r - h - 1, w, h),          # … or right of it
                QtCore.QRectF(name.left() - 4 - w, name.top(), w, h),      # left of that name
                QtCore.QRectF(x - w / 2, y1 + r + 2, w, h),                # under the last neuron
                QtCore.QRectF(badge_right, y0 - r - 2, w, h)]              # right of the "?"

    for k in range(3):
        r, hw = lay.radius[k], lay.half_w[k]
        for j in range(2):
            x, y = lay.out_x[k], float(lay.ys[k][j])
            text = mazur_neuron(k, j + 1)
            w = metrics.horizontalAdvance(text) + 4
            places = [QtCore.QRectF(x - hw - w - 2, y - r - h, w, h), QtCore.QRectF(x - hw - w - 2, y + r, w, h),
                      QtCore.QRectF(x - w / 2, y - r - h - 2, w, h)]
            settle(text, (free(places) or places)[0])
    for l in range(2):
        x, r = lay.in_x[l + 1], lay.radius[l + 1]
        y0, y1 = float(lay.ys[l + 1][0]), float(lay.ys[l + 1][-1])
        badge_x = marks.badge_centre(gv, l + 1, lay.out_x[l + 1], y0)[0]     # (the first neuron's "?")
        b = gv.session.view.b_before[l]
        text = f"b{l + 1} = {format_number(float(b[0]))}" if len(set(b.tolist())) == 1 else f"b{l + 1}"
        short = f"b{l + 1}"                                          # where the value does not fit: the name alone
        for label in dict.fromkeys([text, short]):
            places = b_places(x, y0, y1, r, badge_x, metrics.horizontalAdvance(label) + 8, out[2 * (l + 1)][1])
            room_left = free(places)
            if room_left:
                settle(label, room_left[0])
                break
        else:
            places = b_places(x, y0, y1, r, badge_x, metrics.horizontalAdvance(short) + 8, out[2 * (l + 1)][1])
            free(places)                                             # (moves them inside)
            settle(short, places[0])
    return out


def paint_names(p: QtGui.QPainter, gv) -> None:
    """The Mazur post's names on a 2-2-2 network (View → Mazur's names).  An edge whose number is
    printed carries its name in the same label ("w5 = 0.4", see edge_labels.paint); the
    others get the name alone, beside the edge, where it overlaps no other label and no neuron (in a
    graph too cramped for that, none: its tooltip still names it)."""
    lay = gv.graph_layout
    if not names_shown(gv):
        return
    font, colour = name_font(gv), QtGui.QColor(gv.theme.accent)
    metrics = QtGui.QFontMetricsF(font)
    fixed = fixed_name_boxes(gv)
    for text, box in fixed:
        _label(p, gv, box, text, font, colour)
    h = metrics.height()
    numbered = {t.where for t in gv.texts if t.kind == "edge_number"}
    taken = [(r.left(), r.top(), r.right(), r.bottom()) for r in (tx.rect for tx in gv.texts if tx.kind != "number")] + [
        (x - lay.half_w[k], y - lay.radius[k], x + lay.half_w[k], y + lay.radius[k])
        for kind, k, _j, x, y in lay.spots() if kind != "bias"]
    taken += [(r.left(), r.top(), r.right(), r.bottom()) for r in marks.question_boxes(gv)]   # predict mode's "?"
    for l in range(2):          # w1…w4 into the hidden layer, w5…w8 into the output, apart where edges cross
        for j in range(2):
            for i in range(2):
                if ("edge", l, j, i) in numbered:
                    continue
                x1, y1 = lay.out_x[l], float(lay.ys[l][i])
                x2, y2 = lay.in_x[l + 1], float(lay.ys[l + 1][j])
                t = 0.5 if i == j else (0.3 if i == 1 else 0.7)
                cx, cy = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
                if i == j:                   # the straight edges: above the top one, below the bottom one
                    cy += -0.75 * h if j == 0 else 0.75 * h
                text = edge_name(gv, l, j, i)
                w = metrics.horizontalAdvance(text) + 6
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if text_fit.overlaps_any(box, taken):   # the post's spot is taken: along the edge, or just off it
                    box = next((b for b in _spots_along(x1, y1, x2, y2, w, h) if not text_fit.overlaps_any(b, taken)), None)
                if box is None:                         # a graph too cramped: no name rather than two unreadable
                    continue
                taken.append(box)
                _label(p, gv, QtCore.QRectF(box[0], box[1], w, h), text, font, colour)


def _spots_along(x1, y1, x2, y2, w, h):
    """Boxes of w × h centred on the edge at the graph's usual label positions, then just above and
    below it."""
    for dy in (0.0, -0.6 * h, 0.6 * h):
        for t in text_fit.LABEL_POSITIONS:
            cx, cy = x1 + t * (x2 - x1), y1 + t * (y2 - y1) + dy
            yield (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _label(p, gv, box: QtCore.QRectF, text: str, font: QtGui.QFont, colour: QtGui.QColor) -> None:
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    back = QtGui.QColor(gv.theme.background)
    back.setAlpha(220)
    p.setBrush(back)
    p.drawRoundedRect(box, 3, 3)
    text_fit.draw(p, gv, "name", box, text, font, QtCore.Qt.AlignmentFlag.AlignCenter, colour)
