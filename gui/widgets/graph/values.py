"""What the graph view draws at one micro-step: the numbers on nodes and edges, their colour levels,
the caption and the level-of-detail edge subsets.  Pure numpy on a StepView; no Qt.

Forward phases (input, forward, loss): neurons show the activation a (sequential map), Σ nodes of
split neurons show z, edges show w.  Backward phase: neurons show δ = ∂C/∂z (on the Σ node when
split; the σ node then shows ∂C/∂a), edges show ∂C/∂w, bias edges ∂C/∂b.  Update: neurons keep δ,
edges show the new weights.  Entries not computed yet at the micro-step are None (drawn grey).
At a Σ micro-step (z computed, a not yet) unsplit neurons show z (``z_cols``), on the diverging map
of the Σ nodes, so every value of the worked example appears where it is computed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.optim import OPTIMIZERS
from gui.theme import symmetric_limit

from .layout import WIDE

EDGE_BUDGET = 400    # strongest edges drawn for a layer with a wide side
EDGE_LIMIT = 1000    # a layer with more edges than this shows only its strongest (lod_budget)
DENSE_BUDGET = 160   # ... as many for a layer thinned for its edge count alone (64 → 32): 400 still a hairball

CAPTIONS = {
    "forward": "Forward pass — neurons: activation a, edges: weight w",
    "backward": "Backward pass — neurons: δ = ∂C/∂z, edges: ∂C/∂w",
    "update": "Update — neurons: δ = ∂C/∂z, edges: new weight {rule}",
}


def update_rule(optimizer: str) -> str:
    """How an edge's new weight follows (the caption of the update): w − η ∂C/∂w only for a rule
    exact from the gradient (plain SGD); a rule with state (momentum, Adam) adds its own Δw."""
    opt = OPTIMIZERS[optimizer]
    return "w ← w − η ∂C/∂w" if opt.exact_from_gradient else f"w ← w + Δw ({opt.short_name})"


@dataclass
class GraphValues:
    mode: str                 # "forward", "backward" or "update"
    nodes: list               # per column k: values on the neuron (σ node when split) or None
    sums: list                # per column k: values on the Σ node (split only) or None
    edges: list               # per weight layer l: array shaped like W[l] or None
    bias: list                # per l: array shaped like b[l] or None
    saturated: list           # per column k: bool mask or None
    node_levels: tuple
    sum_levels: tuple
    edge_levels: tuple
    node_name: str            # legend names: "a", "δ", "∂C/∂a"…
    sum_name: str
    edge_name: str
    z_cols: list | None = None   # per column k: True when the neurons show z (a Σ micro-step, unsplit)
    rule: str = "w ← w − η ∂C/∂w"   # the update's rule for one weight (update_rule)

    @property
    def caption(self) -> str:
        return CAPTIONS[self.mode].format(rule=self.rule)

    @property
    def node_signed(self) -> bool:
        return self.mode != "forward"

    def shows_z(self, k: int) -> bool:
        return bool(self.z_cols and self.z_cols[k])


def one(v):
    """A drawn vector: float array, the batch mean for a (B, N) batch, None stays None."""
    if v is None:
        return None
    v = np.asarray(v, dtype=float)
    return v.mean(axis=0) if v.ndim == 2 else v


def mode_of(phase: str) -> str:
    return {"backward": "backward", "update": "update"}.get(phase, "forward")


def graph_values(view, split: bool = False, bias: bool = False, weights=None) -> GraphValues:
    """What to draw for a StepView; ``weights`` (W, b) replaces the view's weights in the forward
    phase (the live weights while training runs)."""
    L = len(view.W)
    mode = mode_of(view.step.phase)
    sums = [None] * (L + 1)
    z_cols = [False] * (L + 1)
    sat = [None] + view.saturated
    if mode == "forward":
        nodes = [one(a) for a in view.a]
        zs = [None] + [one(z) for z in view.z]
        if split:
            sums = zs
        else:
            for k in range(1, L + 1):
                if nodes[k] is None and zs[k] is not None:
                    nodes[k], z_cols[k] = zs[k], True
        edges, biases = (list(weights[0]), list(weights[1])) if weights is not None else (list(view.W), list(view.b))
        known = [v for k, v in enumerate(nodes) if v is not None and not z_cols[k]]
        lo = min([0.0] + [float(np.min(v)) for v in known])
        hi = max([1.0] + [float(np.max(v)) for v in known])
        node_levels = (lo, hi)
        m = symmetric_limit(*zs)
        sum_levels = (-m, m)
        m = symmetric_limit(*edges, *(biases if bias else []))
        names = ("a", "z", "w")
    else:
        deltas = [None] + [one(d) for d in view.delta]
        if split:
            sums = deltas
            nodes = [None] * (L + 1)
            nodes[L] = one(view.dC_da)
            for k in range(1, L):
                if view.delta[k] is not None:
                    nodes[k] = one(np.asarray(view.delta[k]) @ view.W_before[k])
        else:
            nodes = deltas
        m = symmetric_limit(*nodes, *sums)
        node_levels = sum_levels = (-m, m)
        if mode == "backward":
            edges, biases = list(view.dW), list(view.db)
            m = symmetric_limit(*edges, *(biases if bias else []))
            names = ("∂C/∂a" if split else "δ", "δ", "∂C/∂w")
        else:
            edges, biases = list(view.W), list(view.b)
            m = symmetric_limit(*edges, *view.W_before, *((list(biases) + list(view.b_before)) if bias else []))
            names = ("∂C/∂a" if split else "δ", "δ", "w")
    return GraphValues(mode, nodes, sums, edges, biases, sat, node_levels, sum_levels, (-m, m), *names, z_cols,
                       update_rule(view.optimizer))


def is_lod(sizes, l: int) -> bool:
    """Does layer l show only its strongest edges?  With a side wider than WIDE, or more than
    EDGE_LIMIT edges (64 → 32 inputs drew 2,048 lines: a hairball)."""
    return max(sizes[l], sizes[l + 1]) > WIDE or sizes[l] * sizes[l + 1] > EDGE_LIMIT


def lod_budget(sizes, l: int) -> int:
    """How many edges layer l shows when it is thinned (see is_lod)."""
    return EDGE_BUDGET if max(sizes[l], sizes[l + 1]) > WIDE else DENSE_BUDGET


def edge_subset(sizes, l: int, values, fallback, budget: int | None = None):
    """(j_idx, i_idx) of the edges of W[l] to draw: all of them, or for a layer with a wide side
    the ``budget`` (default ``lod_budget``) strongest by |values| (by |fallback|, the weights, while
    values are unknown)."""
    budget = lod_budget(sizes, l) if budget is None else budget
    n_out, n_in = sizes[l + 1], sizes[l]
    if not is_lod(sizes, l) or n_out * n_in <= budget:
        j, i = np.divmod(np.arange(n_out * n_in), n_in)
        return j, i
    ref = np.abs(np.asarray(values if values is not None else fallback, dtype=float)).ravel()
    flat = np.argpartition(-ref, budget - 1)[:budget]
    flat = flat[np.argsort(ref[flat])]            # weakest first, so the strongest are drawn on top
    return np.divmod(flat, n_in)


def lod_note(sizes, l: int, budget: int | None = None, short: bool = False) -> str | None:
    """"784 inputs: showing the 400 strongest of 50,176 edges" (``short``: "400 of 50,176 edges
    shown"), or None when every edge is drawn."""
    total = sizes[l] * sizes[l + 1]
    budget = lod_budget(sizes, l) if budget is None else budget
    if not is_lod(sizes, l) or total <= budget:
        return None
    if short:
        return f"{budget:,} of {total:,} edges shown"
    who = f"{sizes[0]:,} inputs" if l == 0 else f"layer {l}→{l + 1} ({sizes[l]:,}×{sizes[l + 1]:,})"
    return f"{who}: showing the {budget:,} strongest of {total:,} edges"
