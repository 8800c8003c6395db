"""The derivation's training-term blocks: the optimizer's equation with this step's numbers, the
penalty's two parts of ∂C/∂W, and dropout's factor m/(1 − p) forward and backward, numbers equal
to the engine's."""
import numpy as np
import pytest

from engine import get_preset
from engine.run import Run
from gui.derivation.context import Context
from gui.derivation.latex import parse_number
from gui.derivation.training import training_blocks


def ctx_at(run, quantity, layer=None, convention="column"):
    s = run.stepper
    k = next(st.index for st in s.steps if st.quantity == quantity and (layer is None or st.l == layer))
    s.seek(k)
    return Context(run.net, s.view(), None, convention)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_optimizer_update_with_numbers(name):
    from gui.derivation import build_step
    run = Run(get_preset("mazur").replace(optimizer=name))
    ctx = ctx_at(run, "update")
    blocks = build_step(run.net, ctx.view)
    rec = ctx.view.optimizer_step
    assert blocks[0].numbers["t"] == rec.t == 1 and blocks[0].numbers["eta"] == 0.5
    last = [b for b in blocks if b.latex.startswith("w^{2}_{11}")][-1]
    assert parse_number(last.latex.rsplit("=", 1)[1]) == pytest.approx(ctx.view.W[1][0, 0], rel=1e-3)
    assert last.numbers["w new"] == ctx.view.W[1][0, 0]
    assert any(b.title == "Layer 2: biases" and "Fixed" in b.text for b in blocks)   # mazur keeps its biases
    if name == "adam":
        assert any(r"\hat m" in b.latex and "0.9^{1}" in b.latex for b in blocks)


def test_sgd_adds_nothing():
    run = Run(get_preset("xor"))
    assert training_blocks(ctx_at(run, "update")) == []
    assert training_blocks(ctx_at(run, "dW", 0)) == []


@pytest.mark.parametrize("convention", ["column", "row"])
def test_penalty_parts_and_cost(convention):
    run = Run(get_preset("diagram").replace(penalty="l2", penalty_lambda=0.2))
    ctx = ctx_at(run, "C", convention=convention)
    (cost,) = training_blocks(ctx)
    g = ctx.view.grads
    assert cost.numbers["C"] == g.loss == cost.numbers["C_data"] + cost.numbers["Omega"]
    ctx = ctx_at(run, "dW", 0, convention)
    blocks = training_blocks(ctx)
    nums = blocks[-1].numbers
    t = (lambda A: A) if convention == "column" else (lambda A: A.T)
    np.testing.assert_array_equal(nums["penalty dC/dW^1"], t(0.2 * ctx.view.W_before[0]))
    np.testing.assert_allclose(nums["data dC/dW^1"] + nums["penalty dC/dW^1"], nums["dC/dW^1"], rtol=1e-15)


def test_dropout_factor_forward_and_backward():
    run = Run(get_preset("diagram").replace(dropout=0.5, sizes=[3, 6, 2], W=None, b=None))
    ctx = ctx_at(run, "a", 0)
    fwd = training_blocks(ctx)[-1].numbers
    np.testing.assert_array_equal(fwd["a^1"], fwd["sigma(z^1)"] * fwd["m^1/(1-p)"])
    ctx = ctx_at(run, "delta", 0)
    back = training_blocks(ctx)[-1].numbers
    np.testing.assert_allclose(back["delta^1"], back["(W^2)^T delta^2"] * back["sigma'(z^1)"] * back["m^1/(1-p)"],
                               rtol=1e-15)
    assert set(np.unique(back["m^1/(1-p)"])) <= {0.0, 2.0}
    assert training_blocks(ctx_at(run, "delta", 1)) == []      # the output layer has no dropout


@pytest.mark.parametrize("change", [dict(penalty="l2", penalty_lambda=0.3), dict(penalty="l1", penalty_lambda=0.1),
                                    dict(dropout=0.5)])
def test_the_panels_gradient_check_covers_penalty_and_dropout(change):
    from gui.derivation.gradcheck import run_gradient_check
    run = Run(get_preset("xor").replace(**change))
    s = run.stepper
    result = run_gradient_check(run.net, s.W_before, s.b_before, s.trace.a[0], s.grads.y, masks=s.masks)
    assert result.check.ok, result.check.max_rel_err
    for l in range(run.net.L):
        np.testing.assert_allclose(result.check.backprop_W[l], s.grads.dW[l], rtol=1e-12)   # the engine's, with its terms


@pytest.mark.parametrize("change", [dict(optimizer="adam"), dict(optimizer="momentum", penalty="l2", penalty_lambda=0.1),
                                    dict(penalty="l1", penalty_lambda=0.05, dropout=0.5)])
@pytest.mark.parametrize("convention", ["column", "row"])
def test_every_training_block_prints_engine_numbers(change, convention):
    """At every micro-step the training blocks (and the optimizer's update) hold what they print,
    name each number's source, and each equation gives the number it claims."""
    from helpers import check_block, check_block_numbers, check_claim
    from gui.derivation import build_step
    run = Run(get_preset("diagram").replace(sizes=[3, 4, 2], W=None, b=None, **change))
    run.train_steps(2)                    # an optimizer's state is not zero any more
    s = run.stepper
    seen = 0
    for k in range(s.last + 1):
        s.seek(k)
        view = s.view()
        terms = training_blocks(Context(run.net, view, None, convention))
        step = build_step(run.net, view, None, convention)
        assert [b.latex for b in step[len(step) - len(terms):]] == [b.latex for b in terms]
        for block in terms + (step if view.step.quantity == "update" else []):
            check_block(block)
            check_block_numbers(view, run.net, block, rtol=1e-9, atol=1e-12)
            check_claim(block)
            seen += 1
    assert seen > 0
