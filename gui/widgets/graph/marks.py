"""Predict mode's "?" and a checked worksheet's wrong-entry marks, painted over the graph.

Reads the session's quiz (gui/quiz.py): the question of the next micro-step puts a "?" on each
neuron (z, a, δ, ∂C/∂b) or beside the output (the loss) whose value will appear, and on a selected
weight's edge (∂C/∂W, the updated W).  A whole matrix gets ONE "?", in its layer pair's gap, its
edges dashed in the accent colour, and a column whose neurons' badges would overlap one "?" beside
it, its neurons framed dashed (a badge each piled up into a wall of orange: iris's 32 of ∂C/∂W¹ on
a¹'s rims, 24 of ∂C/∂W² in one column beside a², spirals' 16 neurons).  The wrong entries of the
current micro-step (a revealed prediction, or a checked worksheet file) get a ring and their
cause.  A view of a run without a quiz paints nothing.
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui

from engine.worksheet import Entry
from gui.theme import VERDICT_COLORS

from . import class_labels, legend, text_fit
from .layout import TEXT_PAD

MAX_EDGE_MARKS = 64          # layer pairs of more edges than this: only the first edge's place is listed
                             # among the possible places (possible_question_boxes, for Mazur's names), and
                             # their dashes, when their whole matrix is asked, are thinner and see-through
EDGE_T = 0.72                # where along an edge its mark sits: crossing edges meet at 0.5
EDGE_TS = (EDGE_T, 0.62, 0.55, 0.45, 0.38, 0.3)    # … or, where that covers a neuron's number, the first of these that does not
BADGE = 28                   # a "?" badge's square (× zoom)
DENSE_ALPHA = 150            # a whole matrix of more than MAX_EDGE_MARKS edges: its dashes this opaque (of 255)


def _spot(gv, entry):
    """(x, y, radius) where an entry's value shows: its neuron, its edge's middle, or the output."""
    lay = gv.graph_layout
    if entry.layer is None:                                   # the loss: beside the output layer
        return (*loss_centre(gv), 0.0)
    if entry.quantity in ("dC_dW", "W_new"):
        pos = gv.edge_pos(entry.layer - 1, entry.j - 1, entry.k - 1, EDGE_T)
        return float(pos.x()), float(pos.y()), 0.0
    if lay.strip[entry.layer]:
        return None
    pos = gv.node_pos(entry.layer, entry.j - 1)
    return float(pos.x()), float(pos.y()), lay.radius[entry.layer]


def _badge(gv, entry, spot) -> tuple:
    """Where a neuron's "?" sits (badge_centre); an edge's on its edge (edge_badge); the loss's
    where its value shows."""
    x, y, radius = spot
    if entry.layer is not None and entry.quantity in ("dC_dW", "W_new"):
        return edge_badge(gv, entry)
    if radius <= 0 or entry.layer is None:
        return spot
    return (*badge_centre(gv, entry.layer, x, y), radius)


def edge_badge(gv, entry) -> tuple:
    """(x, y, 0) where an edge's "?" sits: EDGE_T along it, else the first of EDGE_TS whose badge
    covers no neuron's number (the room _number_rooms gives it), else the one that covers least:
    at EDGE_T, near its target, iris's 32 badges of ∂C/∂W¹ sat on a¹'s capsules over the first
    figure and the minus sign of their numbers ("-0.09444" read ".09444")."""
    half = BADGE / 2 * gv.scale
    numbers, _nodes = _number_rooms(gv, QtGui.QFontMetricsF(gv.value_font_).height())
    best, best_cover = None, None
    for t in EDGE_TS:
        pos = gv.edge_pos(entry.layer - 1, entry.j - 1, entry.k - 1, t)
        box = QtCore.QRectF(pos.x() - half, pos.y() - half, 2 * half, 2 * half)
        cover = sum(_area(box, n) for n in numbers)
        if best_cover is None or cover < best_cover:
            best, best_cover = (float(pos.x()), float(pos.y()), 0.0), cover
        if cover == 0:
            break
    return best


def badge_centre(gv, k: int, x: float, y: float) -> tuple[float, float]:
    """Where the "?" of the neuron of column k centred at (x, y) sits: on the upper right of its
    rim; where that would cover the room of a neuron's number (as wide as its node is drawn for it,
    as tall as the neurons' number font), just above that corner; where that covers one too (a
    column of short capsules close together), outside the node's right end, its left end, above
    its upper left or under its number: the value the neuron shows now (a or z, which the student
    needs) stays readable under the question.  The first of these inside the graph and clear of the numbers, the other nodes and
    the class names (then each moved into the graph); where none is, the one that covers least of
    them, a number counting most."""
    lay, s = gv.graph_layout, gv.scale
    r, hw = lay.radius[k], lay.half_w[k]
    drawn = max(hw, gv.number_half_w(k))                    # as wide as a node is drawn for its number
    number_h = QtGui.QFontMetricsF(gv.value_font_).height()
    half = BADGE / 2 * s
    places = [(x + hw - 0.25 * r, y - 0.8 * r),                                   # on the rim's upper right
              (x + hw - 0.25 * r, min(y - 0.8 * r, y - number_h / 2 - half - 1)),  # just above it
              (x + drawn + half + 2 * s, y),                                      # outside the right end
              (x - drawn - half - 2 * s, y),                                      # … or the left end
              (x - hw + 0.25 * r, min(y - 0.8 * r, y - number_h / 2 - half - 1)),  # above the upper left
              (x, y + number_h / 2 + half + 1)]                                   # under the number
    numbers, nodes = _number_rooms(gv, number_h)
    nodes = [n for n in nodes if not (abs(n.center().x() - x) <= 1 and abs(n.center().y() - y) <= 1)]   # (its own; x, y
                                                                                                         # in whole pixels)
    names = [rect for _text, rect, _font in class_labels.label_rects(gv)] if k == lay.L else []
    bounds = QtCore.QRectF(gv.rect())
    inside = [(min(max(cx, half + 1), gv.width() - half - 1), min(max(cy, half + 1), gv.height() - half - 1))
              for cx, cy in places]                         # (each moved into the graph, tried after them all)
    return _clearest(list(dict.fromkeys(places + inside)), half, numbers, bounds, names, nodes)


def _clearest(places: list, half: float, numbers: list, bounds: QtCore.QRectF, names: list, nodes: list) -> tuple:
    """The first of ``places`` (badge centres, ``half`` its half-size) where a badge covers nothing
    (``_cost`` 0); where none is clear, the one that covers least (the first of equals)."""
    best, best_cost = places[0], None
    for cx, cy in places:
        cost = _cost(QtCore.QRectF(cx - half, cy - half, 2 * half, 2 * half), numbers, bounds, names, nodes)
        if cost == 0:
            return cx, cy
        if best_cost is None or cost < best_cost:
            best, best_cost = (cx, cy), cost
    return best


def _cost(box: QtCore.QRectF, numbers: list, bounds: QtCore.QRectF, names: list, nodes: list) -> float:
    """What a badge at ``box`` covers, weighed: a neuron's number most, then what sticks out of
    ``bounds``, the class names, the nodes (0: clear)."""
    return (100 * sum(_area(box, r) for r in numbers) + 50 * (box.width() * box.height() - _area(box, bounds))
            + 10 * sum(_area(box, r) for r in names) + sum(_area(box, r) for r in nodes))


def _number_rooms(gv, number_h: float) -> tuple[list, list]:
    """([the room of each neuron's number: as wide as its node is drawn for it, as tall as
    ``number_h``], [each node as drawn]) of the columns that carry numbers (strips: their band)."""
    lay, numbers, nodes = gv.graph_layout, [], []
    widths = [max(lay.half_w[k], gv.number_half_w(k)) for k in range(len(lay.sizes))]
    for kind, k, _j, x, y in lay.spots():
        if kind == "bias":
            continue
        if lay.strip[k]:
            if _j == 0:
                nodes.append(QtCore.QRectF(x - lay.strip_w / 2, lay.top, lay.strip_w, lay.bottom - lay.top))
            continue
        drawn = widths[k]
        nodes.append(QtCore.QRectF(x - drawn, y - lay.radius[k], 2 * drawn, 2 * lay.radius[k]))
        if lay.show_values(k):
            numbers.append(QtCore.QRectF(x - drawn + TEXT_PAD, y - number_h / 2, 2 * (drawn - TEXT_PAD), number_h))
    return numbers, nodes


def _where(entry) -> str:
    """What a "?" is on: "neuron k,j" (1-based, as tests/…/collisions.py names nodes), "edge l,j,i" or
    "loss" (a whole matrix's: "edges l", pair_where)."""
    if entry.layer is None:
        return "loss"
    if entry.quantity in ("dC_dW", "W_new"):
        return f"edge {entry.layer},{entry.j},{entry.k}"
    return f"neuron {entry.layer},{entry.j}"


def whole_matrix(question) -> bool:
    """Does ``question`` ask a whole ∂C/∂W or updated W (not one selected weight)?"""
    return question is not None and question.quantity in ("dC_dW", "W_new") and len(question.entries) > 1


def pair_where(layer: int) -> str:
    """What a whole matrix's "?" is on: "edges l" (Wˡ's, 1-based as the book)."""
    return f"edges {layer}"


def asked_pair(gv) -> int | None:
    """The layer pair l (0-based: Wˡ⁺¹'s edges, column l to l + 1) whose whole matrix the next
    micro-step asks, else None."""
    quiz = getattr(gv.session, "quiz", None)
    question = None if quiz is None or not gv.graph_layout.sizes else quiz.question()
    return question.layer - 1 if whole_matrix(question) else None


def pair_badge(gv, l: int) -> tuple[float, float]:
    """Where the one "?" of layer pair l's whole matrix sits: in the middle of the gap between its
    columns (as wide as their nodes are drawn for their numbers), halfway down the neurons; where
    that covers a number, a node or the class names, or sticks out of the graph, the nearest place
    up or down the gap (within the neurons' height) that does not; where none is clear (a gap
    narrower than the badge: iris's a⁰–a¹ at 1024×768), the one that covers least, a number
    counting most (between two rows, over a node's rim rather than its number)."""
    lay, s = gv.graph_layout, gv.scale
    half = BADGE / 2 * s

    def reach(k: int) -> float:
        return lay.strip_w / 2 if lay.strip[k] else max(lay.half_w[k], gv.number_half_w(k))

    x = (lay.out_x[l] + reach(l) + lay.in_x[l + 1] - reach(l + 1)) / 2
    middle, step = (lay.top + lay.bottom) / 2, half / 2
    n = max(int(((lay.bottom - lay.top) / 2 - half) / step), 0)       # (centres inside the neurons' area)
    ys = [middle + sign * i * step for i in range(n + 1) for sign in ((1,) if i == 0 else (-1, 1))]
    numbers, nodes = _number_rooms(gv, QtGui.QFontMetricsF(gv.value_font_).height())
    names = [rect for _text, rect, _font in class_labels.label_rects(gv)]
    bounds = QtCore.QRectF(gv.rect())
    return _clearest([(x, y) for y in ys] or [(x, middle)], half, numbers, bounds, names, nodes)


def column_where(layer: int) -> str:
    """What a whole column's "?" is on: "neurons k"."""
    return f"neurons {layer}"


def column_badge(gv, k: int) -> tuple[float, float]:
    """Where the one "?" of column k's whole vector sits where its neurons' badges would overlap
    (rows closer than a badge: spirals' 16 at 1024×768 made a solid orange column): above its
    first neuron, under its last, or beside its middle (right, then left), the first clear of the
    numbers, the nodes and the class names, under the caption and above the layer names; where
    none is clear, the one that covers least, a number counting most."""
    lay, s = gv.graph_layout, gv.scale
    half, x = BADGE / 2 * s, lay.out_x[k]
    drawn = lay.strip_w / 2 if lay.strip[k] else max(lay.half_w[k], gv.number_half_w(k))
    r = 0.0 if lay.strip[k] else lay.radius[k]
    first, last = float(lay.ys[k][0]), float(lay.ys[k][-1])
    middle = (first + last) / 2
    places = [(x, first - r - half - 3 * s), (x, last + r + half + 3 * s),
              (x + drawn + half + 3 * s, middle), (x - drawn - half - 3 * s, middle)]
    numbers, nodes = _number_rooms(gv, QtGui.QFontMetricsF(gv.value_font_).height())
    names = [rect for _text, rect, _font in class_labels.label_rects(gv)] if k == lay.L else []
    room = QtCore.QRectF(0.0, gv.content_top, gv.width(), lay.bottom + 4 * s - gv.content_top)
    return _clearest(places, half, numbers, room, names, nodes)


def asked_column(gv) -> int | None:
    """The column k whose whole vector the next micro-step asks with one "?" (its neurons' badges
    would overlap), else None."""
    spots = mark_spots(gv)
    return next((int(c.split()[1]) for kind, *_xy, c in spots if kind == "?" and c.startswith("neurons ")), None)


def paint_asked(p: QtGui.QPainter, gv) -> None:
    """What a single "?" stands for, dashed in the accent colour, over the edges and under the
    nodes: a whole matrix's edges (those drawn: a thinned pair's strongest), or the frame round a
    column whose neurons share one "?"."""
    pen = QtGui.QPen(QtGui.QColor(gv.theme.accent), 2.0 * gv.scale)
    pen.setDashPattern([3.0, 2.5])                     # (in pen widths)
    pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    l, k = asked_pair(gv), asked_column(gv)
    if l is not None and l in gv.lines and len(gv.lines[l]):
        dense = QtGui.QPen(pen)
        if len(gv.lines[l]) > MAX_EDGE_MARKS:          # (spirals' 256: thinner and see-through, a tint, not a wall)
            colour = QtGui.QColor(gv.theme.accent)
            colour.setAlpha(DENSE_ALPHA)
            dense.setColor(colour)
            dense.setWidthF(1.2 * gv.scale)
            dense.setDashPattern([3.0, 3.0])
        p.setPen(dense)
        p.drawLines([QtCore.QLineF(*row) for row in gv.lines[l].tolist()])
    p.setPen(pen)
    if k is not None:                                  # a whole column asked with one "?": framed, dashed
        lay, s = gv.graph_layout, gv.scale
        drawn = lay.strip_w / 2 if lay.strip[k] else max(lay.half_w[k], gv.number_half_w(k))
        r = 0.0 if lay.strip[k] else lay.radius[k]
        top, bottom = float(lay.ys[k][0]) - r - 4 * s, float(lay.ys[k][-1]) + r + 4 * s
        left, right = lay.in_x[k] - drawn - 4 * s, lay.out_x[k] + drawn + 4 * s
        p.drawRoundedRect(QtCore.QRectF(left, top, right - left, bottom - top), 8 * s, 8 * s)


def loss_centre(gv) -> tuple[float, float]:
    """Where the loss's "?" sits: right of the output column, halfway down; where that is taken (the
    class names) or outside the graph, under its last neuron, above its first, else left of it:
    the first inside the graph and clear of the output nodes (as wide as drawn), the class names and
    the column's layer name and size (under the last neuron it covered "a² (output)" wherever the
    output column is too near the graph's right edge for it: mazur in the Lecture layout)."""
    lay, s = gv.graph_layout, gv.scale
    k, half, gap = lay.L, BADGE / 2 * s, 4 * s
    x, ys = lay.out_x[k], [float(v) for v in lay.ys[k]]
    drawn = lay.strip_w / 2 if lay.strip[k] else max(lay.half_w[k], gv.number_half_w(k))
    r = (lay.bottom - lay.top) / 2 / len(ys) if lay.strip[k] else lay.radius[k]
    nodes = [QtCore.QRectF(x - drawn, v - r, 2 * drawn, 2 * r) for v in ys]
    names = [rect for _text, rect, _font in class_labels.label_rects(gv)]
    names += [text_fit.ink(rect, text, font) for text, rect, font in legend.layer_texts(gv, k)]
    bounds = QtCore.QRectF(gv.rect())
    middle = lay.top + 0.5 * (lay.bottom - lay.top)
    places = [(x + drawn + half + gap, middle), (x, ys[-1] + r + half + gap), (x, ys[0] - r - half - gap),
              (x - drawn - half - gap, middle)]
    for cx, cy in places:
        box = QtCore.QRectF(cx - half, cy - half, 2 * half, 2 * half)
        if bounds.contains(box) and not any(_area(box, other) for other in nodes + names):
            return cx, cy
    return places[0]


def mark_spots(gv) -> list[tuple]:
    """What to paint: ("?", x, y, radius, where it is: _where) for the next micro-step's values, and
    ("wrong", x, y, radius, cause) for the current micro-step's wrong entries."""
    quiz = getattr(gv.session, "quiz", None)
    if quiz is None or not gv.graph_layout.sizes:
        return []
    out = []
    question = quiz.question()
    if whole_matrix(question):                         # one "?" for the matrix, its edges dashed
        out.append(("?", *pair_badge(gv, question.layer - 1), 0.0, pair_where(question.layer)))
    elif question is not None:
        badges = []
        for e in question.entries:
            spot = _spot(gv, e)
            if spot is not None:
                badges.append(("?", *_badge(gv, e, spot), _where(e)))
        boxes = [badge_box(gv, x, y) for _q, x, y, _r, _w in badges]
        if question.layer is not None and any(_area(a, b) > 0.25 for n, a in enumerate(boxes) for b in boxes[n + 1:]):
            badges = [("?", *column_badge(gv, question.layer), 0.0, column_where(question.layer))]   # one, framed
        out += badges
    index, seen = gv.session.view.step.index, set()
    for r in quiz.wrong_marks():
        if quiz.step_of(r.entry) == index and r.entry not in seen:
            seen.add(r.entry)
            spot = _spot(gv, r.entry)
            if spot is not None:
                out.append(("wrong", *spot, r.cause))
    return out


def badge_box(gv, x: float, y: float) -> QtCore.QRectF:
    """The square a "?" badge centred at (x, y) takes."""
    half = BADGE / 2 * gv.scale
    return QtCore.QRectF(x - half, y - half, 2 * half, 2 * half)


def question_boxes(gv) -> list[QtCore.QRectF]:
    """Where the "?" badges of predict mode sit (other labels keep clear of them)."""
    return [badge_box(gv, x, y) for kind, x, y, _r, _c in mark_spots(gv) if kind == "?"]


def possible_question_boxes(gv) -> list[QtCore.QRectF]:
    """Every place a "?" badge may take at some micro-step of this run while predict mode is on
    (each neuron's rim, each edge's mark, each layer pair's "?" of its whole matrix, the loss beside
    the output), [] when it is off: labels
    whose place should not change from one micro-step to the next keep clear of all of them."""
    quiz, lay = getattr(gv.session, "quiz", None), gv.graph_layout
    if quiz is None or not quiz.active or not lay.sizes:
        return []
    entries = [Entry("a", k, j) for k in range(1, lay.L + 1) for j in range(1, lay.sizes[k] + 1)]
    for layer in range(1, lay.L + 1):
        n_out, n_in = lay.sizes[layer], lay.sizes[layer - 1]
        edges = [(j, i) for j in range(1, n_out + 1) for i in range(1, n_in + 1)][:1 if n_out * n_in > MAX_EDGE_MARKS else None]
        entries += [Entry("dC_dW", layer, j, i) for j, i in edges]
    entries.append(Entry("loss"))
    spots = [(e, _spot(gv, e)) for e in entries]
    pairs = [badge_box(gv, *pair_badge(gv, l)) for l in range(lay.L)]
    pairs += [badge_box(gv, *column_badge(gv, k)) for k in range(1, lay.L + 1)]
    return [badge_box(gv, *_badge(gv, e, spot)[:2]) for e, spot in spots if spot is not None] + pairs


VERDICT_ANGLES = (90, 270, 60, 120, 240, 300, 0, 180, 30, 150, 210, 330)   # around a neuron's ring, below first
EDGE_VERDICT_ANGLES = (0, 180, 270, 90, 315, 45, 225, 135)                   # around an edge's ring, right first


def verdict_rect(gv, x: float, y: float, ring: float, width: float, height: float, taken: list) -> QtCore.QRectF:
    """Where a wrong entry's cause goes: a plate just outside its ring (below a neuron first, right
    of an edge's mark first, then all round it further out), inside the graph, overlapping none of ``taken``
    (QRectFs: every text drawn, the nodes, the "?" badges, other causes); where every place
    overlaps something, the one that overlaps least."""
    s = gv.scale
    bounds = QtCore.QRectF(2.0, 2.0, gv.width() - 4.0, gv.height() - 4.0)
    best, best_cost = None, None
    preferred = VERDICT_ANGLES if ring > 15 * s + 1e-9 else EDGE_VERDICT_ANGLES
    around = [(a, extra) for extra in (0.0, 14 * s) for a in preferred]
    around += [(a, extra) for extra in (28 * s, 48 * s, 72 * s) for a in range(0, 360, 15)]
    for angle, extra in around:
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        d = ring + 2 * s + extra
        while True:                  # out along the direction until the plate clears the ring
            cx, cy = x + ux * (d + width / 2 * abs(ux)), y + uy * (d + height / 2 * abs(uy))
            rect = QtCore.QRectF(cx - width / 2, cy - height / 2, width, height)
            nx, ny = min(max(x, rect.left()), rect.right()), min(max(y, rect.top()), rect.bottom())
            if math.hypot(nx - x, ny - y) >= ring + 2 * s or d > ring + width:
                break
            d += 2 * s
        if not bounds.contains(rect):
            continue
        cost = sum(_area(rect, r) for r in taken)
        if cost == 0:
            return rect
        if best_cost is None or cost < best_cost:
            best, best_cost = rect, cost
    if best is None:                     # nowhere inside: under the ring, pulled into the graph
        left = min(max(x - width / 2, 2.0), gv.width() - width - 2)
        best = QtCore.QRectF(left, min(y + ring + 2 * s, gv.height() - height - 2), width, height)
    return best


def _area(a: QtCore.QRectF, b: QtCore.QRectF) -> float:
    inter = a.intersected(b)
    return max(inter.width(), 0.0) * max(inter.height(), 0.0)


def paint_marks(p: QtGui.QPainter, gv) -> None:
    """The "?" badges and the wrong entries' rings and causes; painted last, each cause where it
    covers none of the texts drawn before it (caption, layer names, numbers, names), no node and no
    badge."""
    s = gv.scale
    spots = mark_spots(gv)
    if not spots:
        return
    accent, wrong = QtGui.QColor(gv.theme.accent), QtGui.QPen(QtGui.QColor(VERDICT_COLORS[gv.theme.name][1]), 3.0 * s)
    big, small = gv.font_at(1.6, bold=True), gv.font_at(0.85, bold=True)
    lay = gv.graph_layout
    taken = [QtCore.QRectF(t.rect) for t in gv.texts]
    taken += [QtCore.QRectF(x - lay.half_w[k] - 2 * s, y - lay.radius[k] - 2 * s, 2 * lay.half_w[k] + 4 * s,
                            2 * lay.radius[k] + 4 * s)
              for kind, k, _j, x, y in lay.spots() if kind != "bias" and not lay.strip[k]]
    taken += [badge_box(gv, x, y) for kind, x, y, _r, _c in spots if kind == "?"]
    for kind, x, y, radius, cause in spots:
        if kind == "?":
            box = badge_box(gv, x, y)
            gv.shapes.append((f"? on {cause}", QtCore.QRectF(box)))
            p.setPen(QtGui.QPen(accent, 2.0 * s))
            p.setBrush(QtGui.QColor(gv.theme.background))
            p.drawEllipse(box.center(), 13 * s, 13 * s)
            p.setFont(big)
            p.setPen(accent)
            p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, "?")
            continue
        ring = max(radius, 9 * s) + 6 * s
        p.setPen(wrong)
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawEllipse(QtCore.QPointF(x, y), ring, ring)
        text = f"✗ {cause}"
        fm = QtGui.QFontMetricsF(small)
        rect = verdict_rect(gv, x, y, ring, fm.horizontalAdvance(text) + 8 * s, max(22 * s, fm.height()), taken)
        taken.append(rect)
        plate = QtGui.QColor(gv.theme.background)
        plate.setAlpha(225)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(plate)
        p.drawRoundedRect(rect, 4 * s, 4 * s)
        text_fit.draw(p, gv, "verdict", rect, text, small, QtCore.Qt.AlignmentFlag.AlignCenter, wrong.color())
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
