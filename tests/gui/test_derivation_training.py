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
    assert blocks[0].title.endswith(f"step t = {rec.t}") and rec.t == 1 and blocks[0].numbers["eta"] == 0.5
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


@pytest.mark.parametrize("convention", ["column", "row"])
def test_dropout_factor_forward_and_backward(convention):
    """The step's own a and δ blocks carry the factor m/(1 − p): a = σ(z) ⊙ m/(1 − p) and
    δ¹ = (W²)ᵀ δ² ⊙ σ′(z¹) ⊙ m/(1 − p) with the engine's numbers (mask drawn with a fixed seed)."""
    from gui.derivation import build_step
    run = Run(get_preset("diagram").replace(dropout=0.5, sizes=[3, 6, 2], W=None, b=None, seed=3))
    m = run.stepper.masks[1]
    assert 0 < m.sum() < m.size                    # this seed drops some neurons and keeps others
    ctx = ctx_at(run, "a", 0, convention)
    fwd = build_step(run.net, ctx.view, None, convention)[1].numbers
    np.testing.assert_array_equal(fwd["a^1"].ravel(), ctx.view.a[1])
    np.testing.assert_array_equal(fwd["m^1/(1-p)"].ravel(), m / 0.5)
    ctx = ctx_at(run, "delta", 0, convention)
    back = build_step(run.net, ctx.view, None, convention)[1]
    f = back.numbers["m^1/(1-p)" if convention == "column" else "diag m^1/(1-p)"]
    np.testing.assert_array_equal(np.ravel(f) if convention == "column" else np.diag(f), m / 0.5)
    np.testing.assert_array_equal(back.numbers["delta^1"].ravel(), run.stepper.grads.delta[0])
    if convention == "column":
        np.testing.assert_allclose(back.numbers["delta^1"], back.numbers["(W^2)^T"] @ back.numbers["delta^2"]
                                   * back.numbers["sigma'(z^1)"] * f, rtol=1e-15)
    assert r"\frac{m^{1}}{1-p}" in build_step(run.net, ctx.view, None, convention)[0].latex


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


@pytest.mark.parametrize("penalty", ["l2", "l1"])
@pytest.mark.parametrize("convention", ["column", "row"])
def test_penalty_with_numbers_gives_its_own_total(penalty, convention):
    """The two parts of ∂C/∂W add up to the engine's ∂C/∂W, whole (narrow layer) or for the selected
    weight of a wide layer, the penalty's part written by the penalty itself (λw or λ sign w)."""
    from helpers import check_block, check_block_numbers, check_claim
    from gui.session_types import Selection
    run = Run(get_preset("diagram").replace(sizes=[3, 9, 2], W=None, b=None, penalty=penalty, penalty_lambda=0.3))
    for l, sel in ((0, Selection.edge(0, 7, 2)), (1, None)):
        ctx = ctx_at(run, "dW", l, convention)
        ctx = Context(run.net, ctx.view, sel, convention)
        block = training_blocks(ctx)[-1]
        assert block.claim is not None
        check_block(block)
        check_block_numbers(ctx.view, run.net, block, rtol=1e-12, atol=1e-15)
        check_claim(block, rtol=1e-12, atol=1e-15)
        if l == 0:
            w = run.net.W[0][7, 2]
            assert ("\\operatorname{sign}" in block.latex) == (penalty == "l1") and block.numbers["w"] == w
