"""Where each scalar node goes: layers left to right, our own arithmetic (no graph library).

Columns: the inputs a⁰; then for each layer ℓ the products w·a (×), the sums Σ, the bias adds
(+) and the activations σ (dropout's factor, when on, right after σ); the cost last.  The weight
and bias leaves sit half a column left of the node they feed.  Within a column the products are
spread evenly; every other node sits at the mean height of what feeds it, so each neuron's
chain Σ → + → σ reads as one row.
"""
from __future__ import annotations

from PySide6 import QtCore

STAGES = {"×": 0, "Σ": 1, "+": 2, "σ": 3, "drop": 3.55}


def column(node, L: int) -> float:
    if node.op == "a0":
        return 0.0
    if node.op in ("C", "Ω", "total"):
        return 4 * L + 1 + (0.0 if node.op == "C" else 0.6 if node.op == "Ω" else 1.0)
    if node.op == "w":
        return 1 + 4 * (node.layer - 1) - 0.5
    if node.op == "b":
        return 1 + 4 * (node.layer - 1) + 1.5
    return 1 + 4 * (node.layer - 1) + STAGES[node.op]


def compute(graph, shown: set[int], rect: QtCore.QRectF) -> tuple[dict[int, QtCore.QRectF], float]:
    """{node id: its rectangle} for the ``shown`` nodes inside ``rect``, and the box height."""
    nodes = [graph.nodes[n] for n in sorted(shown)]
    L = len(graph.sizes) - 1
    cols = max(column(n, L) for n in nodes) - min(column(n, L) for n in nodes) + 1.0
    x0 = min(column(n, L) for n in nodes)
    dx = rect.width() / cols
    rows = [n for n in nodes if n.op in ("×", "a0")]
    spread = {}
    for op in ("a0", "×"):
        group = [n for n in rows if n.op == op]
        for i, n in enumerate(group):
            spread[n.id] = (i + 0.5) / len(group)
    crowded = max(sum(1 for n in nodes if n.op == op) for op in ("×", "a0", "Σ", "C", "Ω", "total")
                  if any(n.op == op for n in nodes))
    dy = rect.height() / max(crowded, 1)
    ys: dict[int, float] = {}
    for n in nodes:                                   # topological order: parents placed first
        if n.id in spread:
            ys[n.id] = spread[n.id]
        elif n.op in ("w", "b"):
            continue
        else:
            fed = [ys[p] for p in n.parents if p in ys]
            ys[n.id] = sum(fed) / len(fed) if fed else 0.5
    if any(n.op == "Ω" for n in nodes):
        c = graph.by_key[("C", L + 1, 0, 0)]
        ys[graph.by_key[("Ω", L + 1, 1, 0)]] = min(ys.get(c, 0.5) + 0.25, 0.95)
    h = min(max(dy * 0.8, 18.0), 46.0)
    w = min(dx * 0.78, 128.0)
    boxes = {}
    for n in nodes:
        if n.op in ("w", "b"):
            child = n.children[0]
            base = ys.get(child, 0.5)
            y = rect.top() + base * rect.height() - (h * 0.62 if n.op == "w" else h * 1.05)
            bw, bh = w * 0.86, h * 0.82
        else:
            y = rect.top() + ys[n.id] * rect.height()
            bw, bh = w, h
        x = rect.left() + (column(n, L) - x0 + 0.5) * dx
        boxes[n.id] = QtCore.QRectF(x - bw / 2, y - bh / 2, bw, bh)
    return boxes, h
