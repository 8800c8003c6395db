"""The computational graph of one example at scalar level, as micrograd draws it.

Every scalar operation of the forward pass is a node: the inputs a⁰_k, the weights w^ℓ_jk and the
biases b^ℓ_j (leaves), each product w·a ("×"), each neuron's sum Σ_k w_jk a_k ("Σ"), the bias add
z = Σ + b ("+"), the activation a = σ(z) ("σ"), dropout's factor m/(1 − p) on a hidden neuron
("drop"), the data loss C ("C"), and with a weight penalty Ω its node ("Ω") and the total
C + Ω ("total").  Each node stores the derivative of its output with respect to each parent
(``local``).

``build`` evaluates the graph by its own scalar arithmetic (forward in topological order, then
backward: grad(parent) += local · grad(node), from grad = 1 at the cost), independently of the
layered engine, so the tests can compare the two: the value of a "+" node is z^ℓ_j, of a "σ"
node a^ℓ_j, the grad of a "+" node δ^ℓ_j, of a weight ∂C/∂w^ℓ_jk.  ``paths`` lists the paths
from a node to the cost: the sum over paths of the product of local derivatives is its grad —
which, gathered for all the neurons of a layer, is the matrix product (W^{ℓ+1})ᵀ δ^{ℓ+1} ⊙ σ′(z^ℓ).

Indices: ``layer`` is the book's ℓ (0 for the inputs; for w and b the ℓ of W^ℓ), ``j``, ``k``
0-based (j the neuron of layer ℓ, k the neuron of layer ℓ − 1).  ``reveal_value`` and
``reveal_grad`` are the (quantity, l) micro-steps (see engine.stepper) at which each number is
known, so a view can follow the stepper.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import Activation
from .losses import Loss

MAX_WEIGHTS = 40        # the whole graph is offered up to this many weights; beyond, one neuron's


@dataclass
class Node:
    id: int
    op: str                 # "a0", "w", "b", "×", "Σ", "+", "σ", "drop", "C", "Ω", "total"
    layer: int
    j: int = 0
    k: int = 0
    parents: list = field(default_factory=list)
    local: list = field(default_factory=list)    # ∂ out / ∂ parent, aligned with parents
    value: float = 0.0
    grad: float = 0.0
    reveal_value: tuple = ("x", -1)
    reveal_grad: tuple = ("db", 0)
    children: list = field(default_factory=list)

    @property
    def leaf(self) -> bool:
        return not self.parents


@dataclass
class ScalarGraph:
    nodes: list
    sizes: list
    cost: int                               # id of the node whose grad is 1
    by_key: dict = field(default_factory=dict)   # (op, layer, j, k) -> id

    @property
    def n_weights(self) -> int:
        return n_weights(self.sizes)

    @property
    def drawn_whole(self) -> bool:
        """Whether the whole graph is offered (up to MAX_WEIGHTS weights), else one neuron's."""
        return self.n_weights <= MAX_WEIGHTS

    def neuron_subgraph(self, layer: int, j: int) -> set[int]:
        return neuron_subgraph(self, layer, j)

    def node(self, op: str, layer: int, j: int = 0, k: int = 0) -> Node:
        return self.nodes[self.by_key[(op, layer, j, k)]]

    def descendants(self, start: int) -> set[int]:
        """Every node on a path from ``start`` to the cost (``start`` included)."""
        seen, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(self.nodes[n].children)
        return seen

    def ancestors(self, start: int) -> set[int]:
        seen, todo = set(), [start]
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(self.nodes[n].parents)
        return seen

    def count_paths(self, start: int) -> int:
        """How many distinct paths lead from ``start`` to the cost."""
        memo: dict[int, int] = {}
        for n in reversed(self.order()):
            node = self.nodes[n]
            memo[n] = 1 if n == self.cost else sum(memo[c] for c in node.children)
        return memo[start]

    def paths(self, start: int, limit: int = 64) -> list[tuple[list[int], float]]:
        """Up to ``limit`` paths from ``start`` to the cost, each with the product of the local
        derivatives along it; all of them sum to ``nodes[start].grad``."""
        out: list[tuple[list[int], float]] = []

        def walk(n: int, path: list[int], prod: float) -> None:
            if len(out) >= limit:
                return
            if n == self.cost:
                out.append((path, prod))
                return
            for c in self.nodes[n].children:
                child = self.nodes[c]
                walk(c, path + [c], prod * child.local[child.parents.index(n)])

        walk(start, [start], 1.0)
        return out

    def order(self) -> list[int]:
        """Topological order (parents before children): the order the nodes were built in."""
        return [n.id for n in self.nodes]


class _Builder:
    def __init__(self):
        self.nodes: list[Node] = []
        self.by_key: dict = {}

    def add(self, op, layer, j=0, k=0, parents=(), reveal_value=("x", -1), reveal_grad=("db", 0)) -> Node:
        node = Node(len(self.nodes), op, layer, j, k, list(parents), [], 0.0, 0.0, reveal_value, reveal_grad)
        self.nodes.append(node)
        self.by_key[(op, layer, j, k)] = node.id
        for p in parents:
            self.nodes[p].children.append(node.id)
        return node


def build(W: list, b: list, x, y, activations: list[Activation], loss: Loss, masks: list | None = None,
          keep: float = 1.0, penalty=None, lam: float = 0.0) -> ScalarGraph:
    """The scalar graph of one example ``x`` (N_0,) with target ``y`` (N_L,) through the layers
    W[l] (N_{l+1}, N_l), b[l], evaluated forward and backward by scalar arithmetic."""
    sizes = [W[0].shape[1]] + [w.shape[0] for w in W]
    L = len(W)
    g = _Builder()
    prev = [g.add("a0", 0, k, 0, (), ("x", -1), ("db", 0)).id for k in range(sizes[0])]
    for n, node_id in enumerate(prev):
        g.nodes[node_id].value = float(x[n])
    for l in range(L):
        k_ = l + 1                                        # the book's ℓ
        z_ids = []
        for j in range(sizes[l + 1]):
            prods = []
            for k in range(sizes[l]):
                w = g.add("w", k_, j, k, (), ("x", -1), ("dW", l))
                w.value = float(W[l][j, k])
                p = g.add("×", k_, j, k, (w.id, prev[k]), ("z", l), ("delta", l))
                p.value = w.value * g.nodes[prev[k]].value
                p.local = [g.nodes[prev[k]].value, w.value]       # ∂(w a)/∂w = a, ∂(w a)/∂a = w
                prods.append(p.id)
            s = g.add("Σ", k_, j, 0, prods, ("z", l), ("delta", l))
            s.value = float(sum(g.nodes[p].value for p in prods))
            s.local = [1.0] * len(prods)
            bias = g.add("b", k_, j, 0, (), ("x", -1), ("db", l))
            bias.value = float(b[l][j])
            z = g.add("+", k_, j, 0, (s.id, bias.id), ("z", l), ("delta", l))
            z.value = s.value + bias.value
            z.local = [1.0, 1.0]
            z_ids.append(z.id)
        zv = np.array([g.nodes[i].value for i in z_ids])
        act = activations[l]
        av = act(zv)
        jac = act.jacobian(zv, av)                       # ∂a_j/∂z_m: diag σ′ when elementwise
        grad_step = ("delta", l)
        new = []
        for j in range(sizes[l + 1]):
            parents = z_ids if not act.elementwise else [z_ids[j]]
            a = g.add("σ", k_, j, 0, parents, ("a", l), grad_step)
            a.value = float(av[j])
            a.local = [float(jac[j, m]) for m in range(len(z_ids))] if not act.elementwise else [float(jac[j, j])]
            out = a
            if masks is not None and l + 1 < L and masks[l + 1] is not None:
                factor = float(masks[l + 1][j]) / keep
                out = g.add("drop", k_, j, 0, (a.id,), ("a", l), grad_step)
                out.value, out.local = a.value * factor, [factor]
            new.append(out.id)
        prev = new
    av = np.array([g.nodes[i].value for i in prev])
    y = np.asarray(y, dtype=np.float64)
    c = g.add("C", L + 1, 0, 0, prev, ("C", L - 1), ("C", L - 1))
    c.value = float(loss.value(av, y))
    c.local = [float(v) for v in loss.grad(av, y)]        # ∂C/∂a^L_j
    cost = c
    if penalty is not None and penalty.name != "none" and lam:
        w_ids = [n.id for n in g.nodes if n.op == "w"]
        Ws = [np.array([[g.nodes[g.by_key[("w", l + 1, j, k)]].value for k in range(sizes[l])]
                        for j in range(sizes[l + 1])]) for l in range(L)]
        om = g.add("Ω", L + 1, 1, 0, w_ids, ("C", L - 1), ("C", L - 1))
        om.value = float(penalty.value(Ws, lam))
        om.local = [float(penalty.grad(np.array(g.nodes[i].value), lam)) for i in w_ids]
        cost = g.add("total", L + 1, 2, 0, (c.id, om.id), ("C", L - 1), ("C", L - 1))
        cost.value, cost.local = c.value + om.value, [1.0, 1.0]
    # backward: grad(parent) += local · grad(node), in reverse topological order
    cost.grad = 1.0
    for node in reversed(g.nodes):
        for p, d in zip(node.parents, node.local):
            g.nodes[p].grad += d * node.grad
    return ScalarGraph(g.nodes, sizes, cost.id, g.by_key)


def n_weights(sizes: list) -> int:
    return sum(m * n for n, m in zip(sizes[:-1], sizes[1:]))


def neuron_subgraph(graph: ScalarGraph, layer: int, j: int) -> set[int]:
    """The nodes of neuron j of layer ℓ = ``layer``: what computes its activation (its weights and
    products, the activations of layer ℓ − 1 they read, its sum, bias and σ) and every node on the
    paths from it to the cost."""
    key = graph.by_key
    if layer == 0:
        return graph.descendants(key[("a0", 0, j, 0)])
    sigma = key[("σ", layer, j, 0)]
    top = key.get(("drop", layer, j, 0), sigma)
    z, s, bias = key[("+", layer, j, 0)], key[("Σ", layer, j, 0)], key[("b", layer, j, 0)]
    prods = graph.nodes[s].parents
    feed = {sigma, z, s, bias, *prods, *(p for n in prods for p in graph.nodes[n].parents)}
    return feed | graph.descendants(top)
