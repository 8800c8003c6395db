"""The derivation panel's equations: the numbers printed are the engine's, the layout convention
changes the shapes, the gradient check agrees on every preset, the ∂z/∂W contraction is ∂W."""
import numpy as np
import pytest

from engine import get_preset
from engine.jacobians import contract_dz_dW, dz_dW
from engine.presets import PRESETS
from engine.run import Run
from gui.derivation import (build_step, differential_blocks, parse_matrices, run_gradient_check,
                            scalar_blocks, tensor_available, tensor_blocks, tolerance)
from gui.derivation.latex import num
from gui.session_types import Selection


def run_at(preset, quantity, layer=None):
    r = Run(get_preset(preset))
    for k, st in enumerate(r.stepper.steps):
        if st.quantity == quantity and (layer is None or st.book_layer == layer):
            r.stepper.seek(k)
            return r, r.stepper.view()
    raise AssertionError(f"no step {quantity} {layer}")


def close(printed, value):
    printed, value = np.asarray(printed, float), np.asarray(value, float)
    return printed.shape == value.shape and np.all(np.abs(printed - value) <= tolerance(value))


def check_block(block):
    """Every bmatrix in the LaTeX, in order, equals the recorded matrices/vectors in order, and
    every recorded scalar appears as printed."""
    arrays = [np.asarray(v, float) for v in block.numbers.values() if np.ndim(v) > 0]
    parsed = parse_matrices(block.latex)
    assert len(parsed) == len(arrays), block.title
    for p, v in zip(parsed, arrays):
        assert close(p.ravel(), v.ravel()), (block.title, p, v)
    for name, v in block.numbers.items():
        if np.ndim(v) == 0:
            assert num(v) in block.latex, (block.title, name)


@pytest.mark.parametrize("conv", ["column", "row"])
def test_mazur_hidden_delta_numbers_are_the_engines(conv):
    r, v = run_at("mazur", "delta", layer=1)
    blocks = build_step(r.net, v, None, conv)
    nums = blocks[-1].numbers
    g = r.stepper.grads
    assert np.allclose(nums["delta^1"], g.delta[0])
    assert np.allclose(nums["delta^2"], g.delta[1])
    if conv == "column":
        assert np.allclose(nums["(W^2)^T"], r.net.W[1].T)
        assert np.allclose(nums["sigma'(z^1)"], g.sigma_prime[0])
    else:
        assert np.allclose(nums["W^2"], r.net.W[1])
        assert np.allclose(nums["diag sigma'(z^1)"], np.diag(g.sigma_prime[0]))
    for b in blocks:
        check_block(b)


def test_every_step_of_every_small_preset_prints_engine_values():
    for name in ("mazur", "xor", "diagram", "iris"):
        r = Run(get_preset(name))
        g = r.stepper.grads
        for conv in ("column", "row"):
            for k in range(r.stepper.last + 1):
                r.stepper.seek(k)
                v = r.stepper.view()
                for b in build_step(r.net, v, None, conv):
                    check_block(b)
                st = v.step
                if max(r.net.sizes) > 6:
                    continue
                if st.quantity == "dW" and conv == "column":
                    assert np.allclose(b.numbers[f"dC/dW^{st.book_layer}"], g.dW[st.l])
                if st.quantity == "z":
                    assert np.allclose(b.numbers[f"z^{st.book_layer}"], r.stepper.trace.z[st.l])
        r.stepper.seek(0)


def test_mazur_loss_and_update_match_the_known_values():
    r, v = run_at("mazur", "C")
    loss = build_step(r.net, v)[1]
    assert "0.2984" in loss.latex and abs(loss.numbers["C"] - 0.298371109) < 1e-9
    r, v = run_at("mazur", "update")
    w = build_step(r.net, v)
    layer2 = next(b for b in w if b.title == "Layer 2: weights")
    assert abs(layer2.numbers["W^2 new"][0, 0] - 0.35891648) < 1e-8
    assert parse_matrices(layer2.latex)[0][0, 0] == pytest.approx(0.3589)


def test_convention_changes_shapes_and_equation():
    r, v = run_at("diagram", "delta", layer=1)
    col, row = build_step(r.net, v, None, "column"), build_step(r.net, v, None, "row")
    assert r"\underset{4\times 1}{\delta^{1}}" in col[0].latex and r"\odot" in col[0].latex
    assert r"\underset{1\times 4}{\delta^{1}}" in row[0].latex and r"\operatorname{diag}" in row[0].latex
    assert col[0].latex != row[0].latex
    r, v = run_at("diagram", "dW", layer=1)
    col, row = build_step(r.net, v, None, "column"), build_step(r.net, v, None, "row")
    assert r"4\times 3" in col[0].latex and r"3\times 4" in row[0].latex
    assert np.allclose(row[1].numbers["(dC/dW^1)"], r.stepper.grads.dW[0].T)
    assert np.allclose(parse_matrices(row[1].latex)[0], r.stepper.grads.dW[0].T, atol=1e-3)


@pytest.mark.parametrize("preset", ["mazur", "xor", "iris"])
def test_output_delta_by_loss(preset):
    r, v = run_at(preset, "delta", layer=get_preset(preset).sizes.__len__() - 1)
    blocks = build_step(r.net, v)
    assert blocks[0].title.startswith("Output layer by loss")
    if preset == "mazur":
        assert r"\odot" in blocks[0].latex
    else:
        assert "- y" in blocks[0].latex     # p − y, a − y
    for b in blocks:
        check_block(b)
    assert np.allclose(blocks[-1].numbers[f"delta^{r.net.L}"], r.stepper.grads.delta[-1])


def test_wide_layers_show_the_selected_entry():
    r, v = run_at("digits", "dW", layer=1)
    sel = Selection.edge(0, 3, 10)
    blocks = build_step(r.net, v, sel, "column")
    assert "w¹₄,₁₁" in blocks[-1].title
    assert blocks[-1].numbers["dC/dw^1_411"] == pytest.approx(r.stepper.grads.dW[0][3, 10])
    assert num(r.stepper.grads.dW[0][3, 10]) in blocks[-1].latex
    assert r"\begin{bmatrix}" not in blocks[-1].latex


def test_scalar_form_terms_for_selection():
    r, v = run_at("diagram", "delta", layer=1)
    sel = Selection.edge(0, 2, 1)
    blocks = scalar_blocks(r.net, v, sel, "column")
    g = r.stepper.grads
    assert blocks[0].numbers["delta^1_3"] == pytest.approx(g.delta[0][2])
    for m in range(2):   # every term δ_m w_m3 is printed
        assert num(g.delta[1][m]) in blocks[0].latex and num(r.net.W[1][m, 2]) in blocks[0].latex
    assert blocks[1].numbers["dC/dw^1_32"] == pytest.approx(g.dW[0][2, 1])
    assert r"\odot" in blocks[2].latex and "diag" in blocks[2].latex


def test_differential_form_first_order_check():
    r, v = run_at("diagram", "dW", layer=1)
    blocks = differential_blocks(r.net, v, Selection.edge(0, 1, 2))
    chk = blocks[-1].numbers
    assert chk["measured dC"] == pytest.approx(chk["predicted dC"], rel=1e-3)
    assert np.allclose(blocks[-2].numbers["dC/dW^1"], r.stepper.grads.dW[0])


def test_tensor_contraction_equals_dW():
    r, v = run_at("diagram", "dW", layer=1)
    T = dz_dW(r.stepper.trace, 0)
    for j in range(4):
        assert np.count_nonzero(np.abs(T[j]).sum(axis=1)) == 1
        assert np.allclose(T[j][j], r.stepper.trace.a[0])
    full = tensor_blocks(r.net, v, 0, 4)
    assert np.allclose(full[-1].numbers["partial sum"], r.stepper.grads.dW[0])
    assert "complete" in full[-1].title
    part = tensor_blocks(r.net, v, 0, 2)
    assert np.allclose(part[-1].numbers["partial sum"], contract_dz_dW(r.stepper.grads.delta[0], T, 2))
    assert np.allclose(part[-1].numbers["partial sum"][2:], 0)
    assert not tensor_available([64, 32, 10], 0)[0]
    with pytest.raises(ValueError, match="up to 8"):
        rd, vd = run_at("digits", "dW", layer=1)
        tensor_blocks(rd.net, vd, 0, 1)


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
