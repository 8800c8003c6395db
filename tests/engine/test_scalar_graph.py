"""The scalar computational graph: its own scalar arithmetic equals the layered engine at every
micro-step, and the sum over paths of the local-derivative products equals the matrix product."""
import numpy as np
import pytest

from engine import get_preset
from engine.run import Run
from engine.scalar_graph import build, neuron_subgraph


def graph_of(run):
    s, net = run.stepper, run.net
    return build(s.W_before, s.b_before, s.trace.a[0], s.grads.y, net.activations, net.loss, s.masks,
                 1.0 - net.dropout, net.penalty, net.lam)


@pytest.mark.parametrize("preset, change", [
    ("mazur", {}), ("xor", {}), ("diagram", {}), ("iris", {"sizes": [4, 5, 3]}),
    ("xor", {"dropout": 0.5, "penalty": "l2", "penalty_lambda": 0.1}), ("xor", {"penalty": "l1", "penalty_lambda": 0.2})])
def test_values_and_grads_equal_the_engine(preset, change):
    run = Run(get_preset(preset).replace(**change))
    g, tr, gr = graph_of(run), run.stepper.trace, run.stepper.grads
    L = run.net.L
    for l in range(L):
        for j in range(run.net.sizes[l + 1]):
            assert g.node("+", l + 1, j).value == pytest.approx(tr.z[l][j], rel=1e-12, abs=1e-15)
            assert g.node("σ", l + 1, j).value == pytest.approx(tr.h[l][j], rel=1e-12, abs=1e-15)
            assert g.node("+", l + 1, j).grad == pytest.approx(gr.delta[l][j], rel=1e-9, abs=1e-14)
            assert g.node("b", l + 1, j).grad == pytest.approx(gr.db[l][j], rel=1e-9, abs=1e-14)
            for k in range(run.net.sizes[l]):
                assert g.node("w", l + 1, j, k).grad == pytest.approx(gr.dW[l][j, k], rel=1e-9, abs=1e-14)
    assert g.nodes[g.cost].value == pytest.approx(gr.loss, rel=1e-12)


def test_every_number_is_revealed_at_its_micro_step():
    """At each micro-step the numbers the stepper's view shows and the graph reveals agree."""
    run = Run(get_preset("mazur"))
    g = graph_of(run)
    s = run.stepper
    for k in range(s.last):
        s.seek(k)
        seen, v = s.revealed(), s.view()
        for node in g.nodes:
            if node.op == "+" and node.reveal_value in seen:
                assert node.value == pytest.approx(v.z[node.layer - 1][node.j], rel=1e-12)
            if node.op == "+" and node.reveal_grad in seen:
                assert node.grad == pytest.approx(v.delta[node.layer - 1][node.j], rel=1e-9)
            if node.op == "w" and node.reveal_grad in seen:
                assert node.grad == pytest.approx(v.dW[node.layer - 1][node.j, node.k], rel=1e-9)
        if v.delta[0] is None:
            assert all(n.reveal_grad not in seen for n in g.nodes if n.op == "+" and n.layer == 1)


def test_path_sums_are_the_matrix_product():
    run = Run(get_preset("diagram"))
    g, gr, W = graph_of(run), run.stepper.grads, run.net.W
    # ∂C/∂a^1 = (W²)ᵀ δ²: the sum over the paths from each hidden activation to the cost
    want = W[1].T @ gr.delta[1]
    for j in range(run.net.sizes[1]):
        node = g.node("σ", 1, j)
        paths = g.paths(node.id)
        assert len(paths) == g.count_paths(node.id) == run.net.sizes[2]
        assert sum(p for _, p in paths) == pytest.approx(want[j], rel=1e-9)
        assert node.grad == pytest.approx(want[j], rel=1e-9)
    # the input's paths run through every hidden and output neuron
    x0 = g.node("a0", 0, 0)
    assert g.count_paths(x0.id) == run.net.sizes[1] * run.net.sizes[2]


def test_neuron_subgraph_holds_its_feed_and_paths():
    run = Run(get_preset("diagram"))
    g = graph_of(run)
    sub = neuron_subgraph(g, 1, 2)
    assert g.node("w", 1, 2, 0).id in sub and g.node("w", 1, 1, 0).id not in sub
    assert g.cost in sub and g.node("σ", 2, 1).id in sub
