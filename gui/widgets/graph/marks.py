"""Predict mode's "?" and a checked worksheet's wrong-entry marks, painted over the graph.

Reads the session's quiz (gui/quiz.py): the question of the next micro-step puts a "?" on each
neuron (z, a, δ, ∂C/∂b), edge (∂C/∂W, the updated W) or beside the output (the loss) whose value
will appear; the wrong entries of the current micro-step (a revealed prediction, or a checked
worksheet file) get a ring and their cause.  A view of a run without a quiz paints nothing.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui

from engine.worksheet import Entry
from gui.theme import VERDICT_COLORS

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


def paint_marks(p: QtGui.QPainter, gv) -> None:
    s = gv.scale
    spots = mark_spots(gv)
    if not spots:
        return
    accent, wrong = QtGui.QColor(gv.theme.accent), QtGui.QPen(QtGui.QColor(VERDICT_COLORS[gv.theme.name][1]), 3.0 * s)
    big, small = gv.font_at(1.6, bold=True), gv.font_at(0.85, bold=True)
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
        p.setFont(small)
        text = f"✗ {cause}"
        width = QtGui.QFontMetricsF(small).horizontalAdvance(text) + 8 * s
        if radius > 0:          # a neuron's cause under its ring, clear of the edges' "?" beside it
            rect = QtCore.QRectF(min(max(x - width / 2, 2.0), gv.width() - width - 2), y + ring + 2 * s, width, 22 * s)
        else:
            left = x + ring + 4 * s if x + ring + 4 * s + width <= gv.width() else x - ring - 4 * s - width
            rect = QtCore.QRectF(left, y - 11 * s, width, 22 * s)
        plate = QtGui.QColor(gv.theme.background)
        plate.setAlpha(225)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(plate)
        p.drawRoundedRect(rect, 4 * s, 4 * s)
        p.setPen(wrong)
        p.drawText(rect, QtCore.Qt.AlignmentFlag.AlignCenter, text)
