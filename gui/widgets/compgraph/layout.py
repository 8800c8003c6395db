"""Where each scalar node goes: layers left to right, our own arithmetic (no graph library).

Columns: the inputs a⁰; then for each layer ℓ the weights (leaves, each level with its product),
the products w·a (×, each layer's spread over the height), the sums Σ, the bias adds (+, with the bias leaf just above) and the
activations σ (dropout's factor, when on, right after σ); the cost last.  Within a column the products are
spread evenly; every other node sits at the mean height of what feeds it, so each neuron's
chain Σ → + → σ reads as one row.
"""
from __future__ import annotations

from PySide6 import QtCore

STAGES = {"w": 0, "×": 1, "Σ": 2, "+": 3, "b": 3, "σ": 4, "drop": 4.6}
PER_LAYER = 5


def column(node, L: int) -> float:
    if node.op == "a0":
        return 0.0
    if node.op in ("C", "Ω", "total"):
        return PER_LAYER * L + 1 + (0.0 if node.op == "C" else 0.6 if node.op == "Ω" else 1.0)
    return 1 + PER_LAYER * (node.layer - 1) + STAGES[node.op]


def extent(graph, shown: set[int]) -> tuple[float, int]:
    """(columns, rows): how many columns the shown nodes span, and the most nodes in one column."""
    nodes = [graph.nodes[n] for n in shown]
    L = len(graph.sizes) - 1
    xs = [column(n, L) for n in nodes]
    counts: dict[tuple, int] = {}
    for n in nodes:
        if n.op in ("×", "a0", "Σ"):
            counts[(n.op, n.layer)] = counts.get((n.op, n.layer), 0) + 1
    return max(xs) - min(xs) + 1.0, max(counts.values(), default=1)


def compute(graph, shown: set[int], rect: QtCore.QRectF) -> tuple[dict[int, QtCore.QRectF], float]:
    """{node id: its rectangle} for the ``shown`` nodes inside ``rect``, and the box height."""
    nodes = [graph.nodes[n] for n in sorted(shown)]
    L = len(graph.sizes) - 1
    cols = max(column(n, L) for n in nodes) - min(column(n, L) for n in nodes) + 1.0
    x0 = min(column(n, L) for n in nodes)
    dx = rect.width() / cols
    spread = {}
    groups: dict[tuple, list] = {}
    for n in nodes:                                   # each layer's products (and the inputs) spread evenly
        if n.op in ("×", "a0"):
            groups.setdefault((n.op, n.layer), []).append(n)
    for group in groups.values():
        for i, n in enumerate(group):
            spread[n.id] = (i + 0.5) / len(group)
    rows = max(extent(graph, shown)[1], 1)
    dy = rect.height() / (rows + 0.6)                 # 0.6 of a row on top for the bias leaves
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
    h = min(max(dy * 0.8, 18.0), 62.0)
    w = min(dx * 0.78, 128.0)
    rect = rect.adjusted(0, rect.height() - rows * dy, 0, 0)
    boxes = {}
    for n in nodes:
        if n.op in ("w", "b"):
            base = ys.get(n.children[0], 0.5)
            y = rect.top() + base * rect.height() - (0.0 if n.op == "w" else h * 1.08)
            bw, bh = w, h
        else:
            y = rect.top() + ys[n.id] * rect.height()
            bw, bh = w, h
        x = rect.left() + (column(n, L) - x0 + 0.5) * dx
        boxes[n.id] = QtCore.QRectF(x - bw / 2, y - bh / 2, bw, bh)
    return boxes, h
