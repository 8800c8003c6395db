"""Predict mode's "?" and a checked worksheet's wrong-entry marks, painted over the graph.

Reads the session's quiz (gui/quiz.py): the question of the next micro-step puts a "?" on each
neuron (z, a, δ, ∂C/∂b), edge (∂C/∂W, the updated W) or beside the output (the loss) whose value
will appear; the wrong entries of the current micro-step (a revealed prediction, or a checked
worksheet file) get a ring and their cause.  A view of a run without a quiz paints nothing.
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui

from engine.worksheet import Entry
from gui.theme import VERDICT_COLORS

from . import text_fit

MAX_EDGE_MARKS = 64          # more edges than this get one "?" for the layer
EDGE_T = 0.72                # where along an edge its mark sits: crossing edges meet at 0.5


def _spot(gv, entry):
    """(x, y, radius) where an entry's value shows: its neuron, its edge's middle, or the output."""
    lay = gv.graph_layout
    if entry.layer is None:                                   # the loss: right of the output layer
        k = lay.L
        return lay.out_x[k] + 2.2 * max(lay.radius[k], 12), lay.top + 0.5 * (lay.bottom - lay.top), 0.0
    if entry.quantity in ("dC_dW", "W_new"):
        pos = gv.edge_pos(entry.layer - 1, entry.j - 1, entry.k - 1, EDGE_T)
        return float(pos.x()), float(pos.y()), 0.0
    if lay.strip[entry.layer]:
        return None
    pos = gv.node_pos(entry.layer, entry.j - 1)
    return float(pos.x()), float(pos.y()), lay.radius[entry.layer]


def _badge(gv, entry, spot) -> tuple:
    """Where a neuron's "?" sits: on the upper right of its rim, so the value the neuron shows now
    (a or z, which the student needs) stays readable under the question."""
    x, y, radius = spot
    if radius <= 0 or entry.layer is None or entry.quantity in ("dC_dW", "W_new"):
        return spot
    hw = gv.graph_layout.half_w[entry.layer]
    return x + hw - 0.25 * radius, y - 0.8 * radius, radius


def mark_spots(gv) -> list[tuple]:
    """What to paint: ("?", x, y, radius, "") for the next micro-step's values, and
    ("wrong", x, y, radius, cause) for the current micro-step's wrong entries."""
    quiz = getattr(gv.session, "quiz", None)
    if quiz is None or not gv.graph_layout.sizes:
        return []
    out = []
    question = quiz.question()
    if question is not None:
        entries = question.entries
        if question.quantity in ("dC_dW", "W_new") and len(entries) > MAX_EDGE_MARKS:
            entries = entries[:1]
        for e in entries:
            spot = _spot(gv, e)
            if spot is not None:
                out.append(("?", *_badge(gv, e, spot), ""))
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
    s = gv.scale
    return QtCore.QRectF(x - 14 * s, y - 14 * s, 28 * s, 28 * s)


def question_boxes(gv) -> list[QtCore.QRectF]:
    """Where the "?" badges of predict mode sit (other labels keep clear of them)."""
    return [badge_box(gv, x, y) for kind, x, y, _r, _c in mark_spots(gv) if kind == "?"]


def possible_question_boxes(gv) -> list[QtCore.QRectF]:
    """Every place a "?" badge may take at some micro-step of this run while predict mode is on
    (each neuron's rim, each edge's mark, the loss beside the output), [] when it is off: labels
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
    return [badge_box(gv, *_badge(gv, e, spot)[:2]) for e, spot in spots if spot is not None]


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
