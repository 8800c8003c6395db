"""The derivation panel's equations: every number printed is the engine's (held against the engine's
own arrays by each block's refs), every equation with numbers gives the number it claims when
evaluated with its own numbers, shapes and orientations follow the convention, nothing is shown
before its micro-step; for every activation × loss pairing and both conventions."""
import numpy as np
import pytest

from engine import get_preset
from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from engine.config import RunConfig
from engine.jacobians import contract_dz_dW, dz_dW
from engine.losses import LOSSES, Loss
from engine.presets import PRESETS
from engine.run import Run
from gui.derivation import (Context, batch_blocks, build_step, differential_blocks, nudge_check, parse_matrices,
                            run_gradient_check, scalar_blocks, tensor_available, tensor_blocks)
from gui.derivation.forms import nudge_block
from gui.derivation.latex import num
from gui.session_types import Selection
from helpers import check_block, check_block_numbers, check_claim, check_shapes

def run_at(preset, quantity, layer=None):
    r = Run(get_preset(preset))
    for k, st in enumerate(r.stepper.steps):
        if st.quantity == quantity and (layer is None or st.book_layer == layer):
            r.stepper.seek(k)
            return r, r.stepper.view()
    raise AssertionError(f"no step {quantity} {layer}")


def needed(ref):
    """The (quantity, l) pairs of Stepper.revealed a panel-derived number is made from."""
    return set(ref.needs)


def check_blocks(run, blocks, conv, step=None):
    """Printed numbers as recorded, shapes, every number the engine's and known at micro-step
    ``step`` (the current one by default), every claim the value of its equation."""
    step = run.stepper.index if step is None else step
    seen, view = run.stepper.revealed(step), run.stepper.view(step)
    for b in blocks:
        check_block(b)
        check_shapes(b, conv)
        check_block_numbers(view, run.net, b, rtol=1e-9, atol=1e-12)
        for name, ref in b.refs.items():
            if ref.kind == "derived":
                assert needed(ref) <= seen, (b.title, name, ref, run.stepper.steps[step].title)
        check_claim(b)


def all_blocks(run, conv, selection=None, upto=1):
    """Every tab's blocks at the current micro-step, as the panel builds them."""
    net, v = run.net, run.stepper.view()
    ctx = Context(net, v, selection, conv, 0)
    blocks = build_step(net, v, selection, conv)
    blocks += scalar_blocks(net, v, selection, conv)
    blocks += differential_blocks(net, v, selection, conv)
    l = ctx.focus()[0]
    if tensor_available(net.sizes, l)[0]:
        blocks += tensor_blocks(net, v, l, upto, convention=conv)
    if ctx.dW(l) is not None:
        X, Y = run.train.X[:3], run.train.Y[:3]
        blocks += batch_blocks(ctx, X, Y)
    return blocks


def walk(run, conv, selections=(None,), rng=None):
    for k in range(run.stepper.last + 1):
        run.stepper.seek(k)
        for sel in selections:
            upto = 1 if rng is None else int(rng.integers(1, max(run.net.sizes) + 1))
            check_blocks(run, all_blocks(run, conv, sel, upto), conv)
    run.stepper.seek(0)


def pairing_run(hidden, output, loss, sizes, seed=0):
    n_in, n_out = sizes[0], sizes[-1]
    rng = np.random.default_rng(seed)
    y = np.eye(n_out)[int(rng.integers(n_out))]
    config = RunConfig(sizes=list(sizes), activation=hidden, output_activation=output, loss=loss, eta=0.3,
                       seed=seed, dataset={"name": "custom", "kind": "regression",
                                           "X": [rng.normal(size=n_in).round(3).tolist()], "Y": [y.tolist()]})
    return Run(config)


PAIRINGS = [(out, loss) for out in ACTIVATIONS for loss in LOSSES]


@pytest.mark.parametrize("output,loss", PAIRINGS)
def test_every_pairing_in_both_conventions(output, loss):
    """Every activation × loss (softmax with every loss), small enough that every matrix is printed;
    a hidden activation and the conventions' order sampled per pairing."""
    rng = np.random.default_rng(abs(hash((output, loss))) % 2**32)
    hidden = HIDDEN_ACTIVATIONS[int(rng.integers(len(HIDDEN_ACTIVATIONS)))]
    run = pairing_run(hidden, output, loss, [3, 4, 3], seed=int(rng.integers(100)))
    for conv in ("column", "row"):
        walk(run, conv, rng=rng)


@pytest.mark.parametrize("output,loss", [("softmax", "half_sse"), ("softmax", "cross_entropy"), ("sigmoid", "bce"),
                                         ("tanh", "mse")])
def test_wide_layers_show_checked_entries(output, loss):
    """Layers wider than the panel prints: the selected neuron's and weight's equations are checked."""
    run = pairing_run("sigmoid", output, loss, [7, 9, 7], seed=4)
    for conv in ("column", "row"):
        walk(run, conv, selections=(None, Selection.edge(1, 5, 8), Selection.neuron(1, 6)))


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_step_of_every_preset_in_both_conventions(preset):
    run = Run(get_preset(preset))
    rng = np.random.default_rng(1)
    for conv in ("column", "row"):
        walk(run, conv, rng=rng)


def test_blocks_are_checked_strictly():
    """The checks above can fail: a wrong formula with right numbers, a number that is not the
    engine's, a quantity shown early, a gradient in the other orientation."""
    r, v = run_at("diagram", "delta", layer=1)
    good = build_step(r.net, v, None, "column")
    check_blocks(r, good, "column")
    block = good[-1]
    wrong_formula = type(block)(**{**block.__dict__, "expr": ("@", "(W^2)^T", "delta^2")})   # ⊙ σ′ left out
    with pytest.raises(AssertionError):
        check_blocks(r, [wrong_formula], "column")
    wrong_number = type(block)(**{**block.__dict__, "numbers": {**block.numbers, "delta^2": 2 * block.numbers["delta^2"]}})
    with pytest.raises(AssertionError):
        check_blocks(r, [wrong_number], "column")
    with pytest.raises(AssertionError):          # shown at the input micro-step
        check_blocks(r, good, "column", step=0)
    with pytest.raises(AssertionError):          # a column δ in the row convention
        check_blocks(r, good, "row")


@pytest.mark.parametrize("conv", ["column", "row"])
def test_mazur_hidden_delta_numbers_are_the_engines(conv):
    r, v = run_at("mazur", "delta", layer=1)
    blocks = build_step(r.net, v, None, conv)
    nums = blocks[-1].numbers
    g = r.stepper.grads
    assert np.allclose(nums["delta^1"].ravel(), g.delta[0])
    assert np.allclose(nums["delta^2"].ravel(), g.delta[1])
    if conv == "column":
        assert nums["delta^1"].shape == (2, 1)
        assert np.allclose(nums["(W^2)^T"], r.net.W[1].T)
        assert np.allclose(nums["sigma'(z^1)"].ravel(), g.sigma_prime[0])
    else:
        assert nums["delta^1"].shape == (1, 2)
        assert np.allclose(nums["W^2"], r.net.W[1])
        assert np.allclose(nums["diag sigma'(z^1)"], np.diag(g.sigma_prime[0]))
    for b in blocks:
        check_block(b)


def test_mazur_loss_and_update_match_the_known_values():
    r, v = run_at("mazur", "C")
    loss = build_step(r.net, v)[1]
    assert "0.2984" in loss.latex and abs(loss.numbers["C"] - 0.298371109) < 1e-9
    r, v = run_at("mazur", "update")
    w = build_step(r.net, v)
    layer2 = next(b for b in w if b.title == "Layer 2: weights")
    assert abs(layer2.numbers["W^2 new"][0, 0] - 0.35891648) < 1e-8
    assert parse_matrices(layer2.latex)[-1][0, 0] == pytest.approx(0.3589)      # W ← W − η g = … = new W


def test_update_story_is_the_optimizers_own():
    """The update step tells the story of the optimizer the step view names (the registry's
    object), whatever the numbers: a rule without state for whole matrices, one with state per weight."""
    r, v = run_at("mazur", "update")
    sgd = build_step(r.net, v)
    assert v.optimizer == "sgd" and sgd[0].title == "Update: Plain SGD"
    assert [b.title for b in sgd[1:3]] == ["Layer 1: weights", "Layer 1: biases"]
    row = build_step(r.net, v, convention="row")
    assert r"\left(\frac{\partial C}{\partial W^{\ell}}\right)^{\mathsf{T}}" in row[0].latex
    r = Run(get_preset("mazur").replace(optimizer="adam"))
    r.stepper.finish()
    adam = build_step(r.net, r.stepper.view())
    assert adam[0].title == "Update: Adam, step t = 1" and "dW^1" in adam[1].numbers
    assert any(r"\hat m" in b.latex and "0.9^{1}" in b.latex for b in adam)


def _reference_step(name, hyper, state, t, eta, w, g):
    """One entry's update written out here from the published rules (not the engine's code):
    (new w, new state)."""
    if name == "sgd":
        return w - eta * g, {}
    if name == "momentum":
        v = hyper["beta"] * state["v"] - eta * g
        return w + v, {"v": v}
    b1, b2, eps = hyper["beta1"], hyper["beta2"], hyper["eps"]
    m = b1 * state["m"] + (1 - b1) * g
    v = b2 * state["v"] + (1 - b2) * g ** 2
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return w - eta * m_hat / (np.sqrt(v_hat) + eps), {"m": m, "v": v}


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("conv", ["column", "row"])
def test_the_new_w_shown_is_the_one_the_engine_applies(name, conv):
    """After a few steps (so momentum and Adam carry state), the update step's every new w is the
    engine's weight after the update, agrees with the rule written out in this test from the state
    before the step, and every line's equation gives its result; wide layers through the selection."""
    for sizes, sel in (([3, 4, 2], None), ([3, 9, 2], Selection.edge(0, 7, 2))):
        run = Run(get_preset("diagram").replace(sizes=sizes, W=None, b=None, optimizer=name))
        run.train_steps(3)
        run.new_stepper()
        opt = run.trainer.optimizer
        before = {key: [a.copy() for a in arrays] for key, arrays in opt.state.items()}
        s = run.stepper
        s.finish()
        view = s.view()
        blocks = build_step(run.net, view, sel, conv)
        check_blocks(run, blocks, conv)
        shown = 0
        for b in blocks:
            for n, ref in b.refs.items():
                if ref.kind != "W_new":
                    continue
                l, at = ref.l, ref.index or (slice(None), slice(None))
                value = np.asarray(b.numbers[n])
                np.testing.assert_array_equal(value, run.net.W[l][at])            # what the engine applied
                state = {buf: before[f"{buf}_W"][l][at] if before[f"{buf}_W"] else 0.0 for buf in opt.buffers}
                hyper = {k: getattr(opt, k) for k in opt.hyper}
                ref_w, _ = _reference_step(name, hyper, state, opt.t, opt.eta, view.W_before[l][at], view.dW[l][at])
                np.testing.assert_allclose(value, ref_w, rtol=1e-12, atol=1e-15)
                shown += 1
        assert shown >= run.net.L, [b.title for b in blocks]


def test_convention_changes_shapes_and_equation():
    r, v = run_at("diagram", "delta", layer=1)
    col, row = build_step(r.net, v, None, "column"), build_step(r.net, v, None, "row")
    assert r"\underset{4\times 1}{\delta^{1}}" in col[0].latex and r"\odot" in col[0].latex
    assert r"\underset{1\times 4}{\delta^{1}}" in row[0].latex and r"\operatorname{diag}" in row[0].latex
    assert col[0].latex != row[0].latex
    r, v = run_at("diagram", "dW", layer=1)
    col, row = build_step(r.net, v, None, "column"), build_step(r.net, v, None, "row")
    assert r"4\times 3" in col[0].latex and r"3\times 4" in row[0].latex
    assert np.allclose(row[1].numbers["dC/dW^1"], r.stepper.grads.dW[0].T)
    assert np.allclose(parse_matrices(row[1].latex)[0], r.stepper.grads.dW[0].T, atol=1e-3)


@pytest.mark.parametrize("preset", ["mazur", "xor", "iris", "wong"])
def test_output_delta_by_loss(preset):
    r, v = run_at(preset, "delta", layer=len(get_preset(preset).sizes) - 1)
    blocks = build_step(r.net, v)
    assert blocks[0].title.startswith("Output layer by loss")
    if preset == "mazur":
        assert r"\odot" in blocks[0].latex
    else:
        assert "- y" in blocks[0].latex     # p − y, a − y
    for b in blocks:
        check_block(b)
    d = next(b for b in blocks if b.title == "With numbers").numbers[f"delta^{r.net.L}"]
    assert np.allclose(d.ravel(), r.stepper.grads.delta[-1])


def test_softmax_uses_the_full_jacobian_everywhere():
    """Softmax with ½SSE: no element-wise rule anywhere; the scalar form sums over every output."""
    run = pairing_run("sigmoid", "softmax", "half_sse", [3, 4, 3], seed=2)
    out = next(k for k, s in enumerate(run.stepper.steps) if s.quantity == "delta")
    run.stepper.seek(out)
    v = run.stepper.view()
    for conv in ("column", "row"):
        step = build_step(run.net, v, None, conv)
        assert r"\odot" not in step[0].latex and "J(z^{2})" in step[0].latex
        scalar = scalar_blocks(run.net, v, None, conv)
        assert r"\sum" in scalar[0].latex and scalar[0].numbers["delta^2_1"] == pytest.approx(run.stepper.grads.delta[1][0])
        assert "full matrix" in scalar[2].text and r"\odot" not in scalar[2].latex and "diag" not in scalar[2].latex
        diff = differential_blocks(run.net, v, None, conv)
        assert r"\operatorname{diag}(p) - p\,p^{\mathsf{T}}" in diff[0].latex
    assert "J(z²)ᵀ ∇C(a²)" in run.stepper.steps[out].banner_in("column")
    assert "∂C/∂a² · J(z²)" in run.stepper.steps[out].banner_in("row")
    # the iris example of the issue: p − y in every entry, not only the diagonal's
    r, v = run_at("iris", "delta", layer=2)
    s = scalar_blocks(r.net, v, Selection.neuron(2, 1), "column")[0]
    assert s.numbers["delta^2_2"] == pytest.approx(r.stepper.grads.delta[1][1])


def test_softmax_cross_entropy_shows_both_routes():
    r, v = run_at("wong", "delta", layer=2)
    titles = [b.title for b in build_step(r.net, v)]
    assert "The index route" in titles and "The differential route" in titles
    assert "The same numbers the long way" in titles


def test_wide_layers_show_the_selected_entry():
    r, v = run_at("digits", "dW", layer=1)
    sel = Selection.edge(0, 3, 10)
    blocks = build_step(r.net, v, sel, "column")
    assert "w¹₄,₁₁" in blocks[-1].title
    assert blocks[-1].numbers["dC/dw^1_411"] == pytest.approx(r.stepper.grads.dW[0][3, 10])
    assert num(r.stepper.grads.dW[0][3, 10]) in blocks[-1].latex
    assert r"\begin{bmatrix}" not in blocks[-1].latex


def test_scalar_form_terms_for_selection():
    r, v = run_at("diagram", "dW", layer=1)
    sel = Selection.edge(0, 2, 1)
    blocks = scalar_blocks(r.net, v, sel, "column")
    g = r.stepper.grads
    assert blocks[0].numbers["delta^1_3"] == pytest.approx(g.delta[0][2])
    for m in range(2):   # every term δ_m w_m3 is printed
        assert num(g.delta[1][m]) in blocks[0].latex and num(r.net.W[1][m, 2]) in blocks[0].latex
    assert blocks[1].numbers["dC/dw^1_32"] == pytest.approx(g.dW[0][2, 1])
    assert r"\odot" in blocks[2].latex and "diag" in blocks[2].latex and "W²" in blocks[2].text
    r, v = run_at("diagram", "delta", layer=2)
    out = scalar_blocks(r.net, v, None, "column")[2]
    assert "no next layer" in out.text and "W³" not in out.text      # the output layer has no W³


def test_differential_form_first_order_check():
    r, v = run_at("diagram", "dW", layer=1)
    blocks = differential_blocks(r.net, v, Selection.edge(0, 1, 2))
    chk = blocks[-1]
    assert chk.title.endswith("agree")
    assert chk.numbers["measured dC"] == pytest.approx(chk.numbers["predicted dC"], rel=1e-3)
    read = blocks[-2].numbers["dC/dW^1"]
    assert np.allclose(read, r.stepper.grads.dW[0])


def test_nudge_check_says_disagree_for_a_wrong_gradient():
    r, v = run_at("diagram", "dW", layer=1)
    g = r.stepper.grads.dW[0][1, 2]
    args = (r.net, v.W_before, v.b_before, r.stepper.trace.a[0], r.stepper.grads.y, 0, 1, 2)
    assert nudge_check(*args, g).agree
    assert not nudge_check(*args, 1.01 * g).agree
    assert not nudge_check(*args, -g).agree
    ctx = Context(r.net, v, None, "column")
    block = nudge_block(ctx, 0, 1, 2, 2 * g)
    assert block.title.endswith("disagree") and r"\neq" in block.latex and "disagree" in block.text


def test_tensor_contraction_equals_dW_in_both_layouts():
    r, v = run_at("diagram", "dW", layer=1)
    T = dz_dW(r.stepper.trace, 0)
    for j in range(4):
        assert np.count_nonzero(np.abs(T[j]).sum(axis=1)) == 1
        assert np.allclose(T[j][j], r.stepper.trace.a[0])
    full = tensor_blocks(r.net, v, 0, 4)
    assert np.allclose(full[-1].numbers["S[4]"], r.stepper.grads.dW[0])
    assert "complete" in full[-1].title
    part = tensor_blocks(r.net, v, 0, 2)
    assert np.allclose(part[-1].numbers["S[2]"], contract_dz_dW(r.stepper.grads.delta[0], T, 2))
    assert np.allclose(part[-1].numbers["S[2]"][2:], 0)
    row = tensor_blocks(r.net, v, 0, 4, convention="row")
    assert row[0].numbers["T[4]"].shape == (3, 4) and np.allclose(row[-1].numbers["S[4]"], r.stepper.grads.dW[0].T)
    assert not tensor_available([64, 32, 10], 0)[0]
    with pytest.raises(ValueError, match="up to 8"):
        rd, vd = run_at("digits", "dW", layer=1)
        tensor_blocks(rd.net, vd, 0, 1)


def test_nothing_in_the_tensor_tab_before_it_is_computed():
    r = Run(get_preset("mazur"))
    v = r.stepper.view(0)
    blocks = tensor_blocks(r.net, v, 1, 1)               # W² at the input step: a¹ is not known yet
    assert all(not b.numbers for b in blocks)


def test_a_loss_without_its_derivation_fails_loudly():
    class Half(Loss):
        name, title = "half", "Half"

        def value(self, a, y, z=None, act=None):
            return 0.5 * ((a - y) ** 2).sum(axis=-1)

        def grad(self, a, y):
            return a - y

    with pytest.raises(NotImplementedError):
        Half().terms_latex(np.zeros(2), np.zeros(2), num)


def test_vanishing_preset_loses_four_orders_of_magnitude():
    r = Run(get_preset("vanishing"))
    norms = [np.linalg.norm(d) for d in r.stepper.grads.delta]
    assert norms[-1] / norms[0] >= 1e4
    assert all(a < b for a, b in zip(norms, norms[1:]))


def test_wong_preset_is_the_texts_network():
    c = get_preset("wong")
    assert c.sizes == [3, 4, 3] and c.activation == "sigmoid" and c.output_activation == "softmax"
    assert c.loss == "cross_entropy" and c.dataset["Y"] == [[1.0, 0.0, 0.0]]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_gradient_check_on_every_preset(preset):
    r, v = run_at(preset, "update")
    res = run_gradient_check(r.net, v.W_before, v.b_before, r.stepper.trace.a[0], r.stepper.grads.y)
    assert not res.subset and res.layers == list(range(r.net.L))
    assert res.check.max_rel_err < 1e-6, res.check.max_rel_err
    for l in range(r.net.L):
        assert np.allclose(res.check.backprop_W[l], r.stepper.grads.dW[l])
        assert np.array_equal(r.net.W[l], v.W[l])        # the session's net was not touched


def test_gradient_check_falls_back_to_one_layer_and_says_so():
    r, v = run_at("digits", "dW", layer=2)
    res = run_gradient_check(r.net, v.W_before, v.b_before, r.stepper.trace.a[0], r.stepper.grads.y,
                             layer=1, max_params=400)
    assert res.subset and res.layers == [1]
    assert res.message.startswith("Only layer 2 checked (330 of 2,410 parameters)")
    assert res.check.max_rel_err < 1e-6


def test_ten_significant_figures_check_a_published_hand_calculation():
    """Mazur's E_total = 0.298371109 and w5 = 0.35891648, digit by digit at the View's 10 figures."""
    from gui.numbers import set_sig_figs, sig_figs
    before = sig_figs()
    set_sig_figs(10)
    try:
        r, v = run_at("mazur", "C")
        loss = build_step(r.net, v)[1]
        assert "0.2983711088" in loss.latex
        r, v = run_at("mazur", "update")
        layer2 = next(b for b in build_step(r.net, v) if b.title == "Layer 2: weights")
        assert parse_matrices(layer2.latex)[-1][0, 0] == pytest.approx(0.35891648, abs=5e-10)
        check_blocks(r, build_step(r.net, v), "column")
    finally:
        set_sig_figs(before)


def test_an_unrecorded_update_of_a_rule_without_state_reads_as_the_recorded_one():
    """A view updated by plain gradient descent without a record (the panel's typesetting-ahead guess)
    is written exactly as the real update step is."""
    import dataclasses
    r, v = run_at("diagram", "update")
    real = build_step(r.net, v)
    r.stepper.seek(r.stepper.last - 1)
    before = r.stepper.view(r.stepper.last)
    guess = dataclasses.replace(before, updated=True, optimizer_step=None,
                                W=[W - before.eta * dW for W, dW in zip(before.W_before, before.grads.dW)],
                                b=[b - before.eta * db for b, db in zip(before.b_before, before.grads.db)])
    assert [b.latex for b in build_step(r.net, guess)] == [b.latex for b in real]


@pytest.mark.parametrize("conv", ["column", "row"])
def test_dropout_every_a_and_delta_with_numbers_is_the_engines(conv):
    """With dropout on (masks from a fixed seed, some neurons dropped, some kept) every block of every
    tab, at every micro-step, prints the engine's numbers and its equation gives them: the forward a
    and every hidden δ carry the factor m/(1 − p) (a block without it claims the wrong δ and fails)."""
    for sizes, selections in (([3, 6, 5, 2], (None, Selection.neuron(1, 2))),
                              ([3, 9, 8, 2], (None, Selection.neuron(1, 3), Selection.edge(1, 2, 4)))):
        run = Run(get_preset("diagram").replace(sizes=sizes, W=None, b=None, dropout=0.5, seed=3))
        for m in run.stepper.masks[1:-1]:
            assert 0 < m.sum() < m.size
        walk(run, conv, selections)


@pytest.mark.parametrize("conv", ["column", "row"])
def test_the_steps_the_three_texts_take_are_shown_with_their_notation_maps(conv):
    """Issue 14's steps, each where the panel follows its text, and each checked like every block:
    the notation map of each text, the denominator-layout chain rule (matrix-form question), why a
    gradient is a row and the pairing of ∂C/∂W with dW (Johnston), the alternation of the Jacobians
    and δ¹ as a product of Jacobians (Wong), and the bias through the identity Jacobian."""
    r, v = run_at("vanishing", "dW", layer=1)
    scalar = scalar_blocks(r.net, v, None, conv)
    diff = differential_blocks(r.net, v, None, conv)
    by_title = {b.title: b for b in scalar + diff}
    route = by_title["The matrix route, denominator layout"]
    assert "Notation map — the question 'matrix form of backpropagation'" in route.text
    assert r"\mathsf{T}" in route.latex and r"\nabla" in route.latex
    assert "Notation map — Wong's" in by_title["The chain, as differentials"].text
    rows = by_title["Why gradients are rows"]
    assert r"\approx" in rows.latex and "1×1" in rows.text
    alternation = by_title["The alternation"].latex      # in this convention's own form
    assert (r"J_C(a^{1}) = J_C(z^{2})\,W^{2}" if conv == "row" else r"\nabla_{a^{1}}C = (W^{2})^{\mathsf{T}}") in alternation
    product = diff[[b.title for b in diff].index("δ as a product of Jacobians") + 1]
    assert product.claim == "delta^1"
    np.testing.assert_allclose(product.numbers["delta^1"].ravel(), r.stepper.grads.delta[0], rtol=1e-12)
    pairing = next(b for b in diff if "gradient read off" in b.title)
    assert r"\operatorname{tr}" in pairing.latex and r"\sum_{j,i}" in pairing.latex
    check_blocks(r, scalar + diff, conv)
    r, v = run_at("vanishing", "db", layer=1)
    bias = build_step(r.net, v, None, conv)
    assert "identity I" in bias[0].text and r"\frac{\partial z^{1}}{\partial b^{1}}" in bias[0].latex
    assert (r"I\,\delta^{1}" if conv == "column" else r"\delta^{1}\, I") in bias[0].latex
    check_blocks(r, bias, conv)
    r, v = run_at("vanishing", "dW", layer=1)
    assert tensor_available(r.net.sizes, 0)[0]
    assert any("Notation map — Johnston's" in b.text for b in tensor_blocks(r.net, v, 0, 1, convention=conv))


def test_softmax_cross_entropy_loss_is_written_in_z_with_the_engines_loss():
    """C = −yᵀz + log 1ᵀeᶻ at the loss step, its two terms from z and y, summing to the engine's C."""
    r, v = run_at("wong", "C")
    [block] = [b for b in build_step(r.net, v) if b.title == "The loss written in z, for differentiating"]
    z, y = v.z[-1].reshape(-1), v.y.reshape(-1)
    assert block.numbers["y^T z"] == pytest.approx(float(y @ z), rel=1e-12)
    assert block.numbers["log 1^T e^z"] == pytest.approx(float(np.log(np.exp(z).sum())), rel=1e-12)
    assert block.numbers["C_z"] == pytest.approx(float(v.loss), rel=1e-10)
    assert num(float(v.loss)) in block.latex and r"\log \mathbf{1}^{\mathsf{T}}e^{z^{2}}" in block.latex
    r, v = run_at("mazur", "C")                                # ½SSE with sigmoid: no such block
    assert "The loss written in z, for differentiating" not in [b.title for b in build_step(r.net, v)]
