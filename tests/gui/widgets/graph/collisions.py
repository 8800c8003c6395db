"""What the graph drew, as rectangles, and which of them meet: every neuron (as wide as drawn for its
number), strip and bias unit, every text as laid out by its font (its advance and line height where
its alignment puts it; an edge's number and a name as their plates), the legend's colour bars and
keys and the input picture.  A neuron's number belongs inside its own node and nowhere else."""
from PySide6 import QtCore

from gui.widgets.graph.layout import TEXT_PAD

TOUCH = 0.5       # rectangles sharing less than this (px) in either direction do not meet


def drawn_rects(graph) -> tuple[list, list]:
    """([(what, rect)] of everything drawn but the neurons' numbers, [(node rect, number ink)])."""
    lay, out, inside = graph.graph_layout, [], []
    numbers = {t.where: t for t in graph.texts if t.kind == "number"}
    for kind, k, j, x, y in lay.spots():
        if kind == "bias":
            r = lay.bias_r
            out.append((f"bias unit {k}", QtCore.QRectF(x - r, y - r, 2 * r, 2 * r)))
        elif lay.strip[k]:
            if j == 0:
                half = lay.strip_w / 2
                out.append((f"{kind} strip {k}", QtCore.QRectF(x - half, lay.top, 2 * half, lay.bottom - lay.top)))
        else:
            number = numbers.get((k, j, "sums" if kind == "sum" else "nodes"))
            hw = lay.half_w[k] if number is None else max(lay.half_w[k], number.rect.width() / 2 + TEXT_PAD)
            node = QtCore.QRectF(x - hw, y - lay.radius[k], 2 * hw, 2 * lay.radius[k])
            out.append((f"{kind} {k},{j + 1}", node))
            if number is not None:
                inside.append((node, number))
    for t in graph.texts:
        if t.kind == "number":
            continue
        rect = t.rect if t.kind in ("edge_number", "name") else t.ink()
        out.append((f"{t.kind} {t.text!r}", rect))
    out += [(what, QtCore.QRectF(rect)) for what, rect in graph.shapes]
    return out, inside


def collisions(graph) -> list[str]:
    """Every two drawn rectangles that meet, every one out of the graph and every neuron's number
    out of its node.  A predict mode "?" badge (graph.shapes "? on neuron k,j") may sit on its own
    neuron's rim, but meets no neuron's number, its own neither."""
    rects, inside = drawn_rects(graph)
    whole = QtCore.QRectF(graph.rect()).adjusted(-TOUCH, -TOUCH, TOUCH, TOUCH)
    bad = [f"{a} {_r(ra)} out of the graph" for a, ra in rects if not whole.contains(ra)]
    for n, (a, ra) in enumerate(rects):
        for b, rb in rects[n + 1:]:
            if {a, b} in ({f"? on {c}", c} for c in (a, b)):       # a badge on its own neuron's rim
                continue
            inter = ra.intersected(rb)
            if inter.width() > TOUCH and inter.height() > TOUCH:
                bad.append(f"{a} {_r(ra)} meets {b} {_r(rb)}")
    for a, ra in rects:
        if a.startswith("? on "):
            for _node, number in inside:
                inter = ra.intersected(number.ink())
                if inter.width() > TOUCH and inter.height() > TOUCH:
                    bad.append(f"{a} {_r(ra)} covers the number {number.text!r} {_r(number.ink())}")
    for node, number in inside:
        if not node.adjusted(-TOUCH, -TOUCH, TOUCH, TOUCH).contains(number.ink()):
            bad.append(f"number {number.text!r} {_r(number.ink())} out of its node {_r(node)}")
    return bad


def _r(rect: QtCore.QRectF) -> str:
    return f"({rect.left():.0f},{rect.top():.0f} {rect.width():.0f}×{rect.height():.0f})"
