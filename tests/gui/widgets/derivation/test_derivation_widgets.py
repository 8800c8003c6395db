"""The derivation panel's widgets: MathView renders and caches, the panel follows the session."""
import numpy as np
import pytest

from gui.derivation import context_from_session
from gui.mathview import MathView, typeset
from gui.session_types import Selection
from gui.widgets.derivation.panel import DerivationPanel
from gui.widgets.heatmap_panel import HeatmapPanel
from gui.widgets.phase_banner import PhaseBanner
from helpers import check_block, check_block_numbers, check_claim, check_shapes


def test_mathview_renders_bmatrix_and_caches(qtbot):
    src = r"\underset{2\times 1}{\begin{bmatrix}0.1 \\ -2\end{bmatrix}} = \delta^{2}"
    typeset.cache_clear()
    w = MathView(src)
    qtbot.addWidget(w)
    assert w.error is None
    img = w.image()
    assert not img.isNull() and img.width() > 20 and img.height() > 20
    alpha = np.array([img.pixelColor(x, y).alpha() for x in range(0, img.width(), 2) for y in range(0, img.height(), 2)])
    assert (alpha > 0).any()
    w2 = MathView(src)
    qtbot.addWidget(w2)
    assert typeset.cache_info().hits >= 1
    w2.set_font_scale(1.5)
    assert w2.sizeHint().width() > w.sizeHint().width()


def test_mathview_shows_bad_latex_as_text(qtbot):
    w = MathView(r"\frac{")
    qtbot.addWidget(w)
    assert w.error is not None
    assert w.sizeHint().width() > 0 and not w.image().isNull()


def panel_latex(panel):
    return [v.latex for v in panel.step_list.math_views]


def test_panel_follows_steps_selection_and_convention(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(9)                                   # backward, hidden layer 1 (δ¹)
    before = panel_latex(panel)
    assert any(r"\odot" in s for s in before)
    session.settings.convention = "row"
    after = panel_latex(panel)
    assert after != before and any(r"\underset{1\times 2}{\delta^{1}}" in s for s in after)
    assert panel.toggle.row.isChecked()
    panel.toggle.column.setChecked(True)
    assert session.settings.convention == "column"
    session.seek(10)
    assert panel_latex(panel) != before
    panel.tabs.setCurrentIndex(1)
    scalar = [v.latex for v in panel.scalar_list.math_views]
    session.select(Selection("edge", 0, 1, 0))
    assert [v.latex for v in panel.scalar_list.math_views] != scalar
    assert any("w^{1}_{21}" in v.latex for v in panel.scalar_list.math_views)


def test_tensor_view_steps_to_full_contraction(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(10)
    panel.tabs.setCurrentIndex(3)
    tv = panel.tensor_view
    assert tv.layer == 0
    tv.set_slice(2)
    last = tv.blocks.blocks[-1]
    assert np.allclose(last.numbers["S[2]"], session.stepper.grads.dW[0])
    session.settings.convention = "row"
    assert np.allclose(tv.blocks.blocks[-1].numbers["S[2]"], session.stepper.grads.dW[0].T)      # shaped like Wᵀ
    tv.prev_button.click()
    assert tv.upto == 1


def test_tensor_view_explains_when_too_large(qtbot, session):
    session.load_preset("digits")
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.tabs.setCurrentIndex(3)
    panel.tensor_view.layer_box.setValue(1)
    assert "up to 8×8" in panel.tensor_view.message.text()
    assert not panel.tensor_view.slider.isEnabled()


def test_gradcheck_view_and_health(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(session.stepper.last)
    W_after = [w.copy() for w in session.net.W]
    panel.tabs.setCurrentIndex(4)
    panel.gradcheck_view.run_check()
    res = panel.gradcheck_view.result
    assert res.check.max_rel_err < 1e-6
    assert panel.gradcheck_view.table.rowCount() == session.net.n_params
    assert "Largest relative error" in panel.gradcheck_view.summary.text()
    assert all(np.array_equal(a, b) for a, b in zip(W_after, session.net.W))
    session.next_example()
    panel.tabs.setCurrentIndex(5)
    panel.tabs.setCurrentIndex(4)
    assert panel.gradcheck_view.result is None
    assert not panel.gradcheck_view.button.isEnabled()           # no backprop numbers before the backward pass
    panel.tabs.setCurrentIndex(5)
    assert panel.health_view.health == [] and "layer by layer" in panel.health_view.summary.text()
    session.seek(session.stepper.last - 1)
    h = panel.health_view.health
    assert len(h) == session.net.L
    assert np.isclose(h[0].delta_norm, np.linalg.norm(session.view.grads.delta[0]))
    ratio = panel.health_view.values["shrink"][0]
    assert np.isclose(ratio, h[0].delta_norm / h[1].delta_norm)
    step = panel.health_view.values["step_ratio"][0]
    assert np.isclose(step, session.view.eta * np.linalg.norm(session.view.dW[0]) / np.linalg.norm(session.view.W_before[0]))


def test_batch_comparison(qtbot, session):
    session.load_preset("xor")
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    dw_step = next(s.index for s in session.stepper.steps if s.quantity == "dW" and s.layer == 2)
    session.seek(dw_step)
    block = panel.step_list.blocks[-1]
    assert block.title.startswith("One example versus the batch")
    assert np.allclose(block.numbers["dC_n/dW^2"], session.stepper.grads.dW[1])
    X, Y = panel.batch_examples()
    assert len(X) == 4
    session.load_preset("mazur")
    session.seek(10)
    assert "Batch size 1" in panel.step_list.blocks[-1].text


# A sample of presets per convention (tests/test_derivation.py walks every preset's blocks in both);
# the first of each is also walked through the derivation panel, whose typesetting is slow.
WALKED = {"column": ["wong", "xor", "vanishing"], "row": ["mazur", "diagram", "iris"]}


@pytest.mark.parametrize("conv", ["column", "row"])
def test_every_view_agrees_on_shapes_at_every_micro_step(qtbot, session, conv):
    """Banner, matrices dock and derivation panel at every micro-step, in one convention: ∂C/∂W
    shaped like W (columns) or Wᵀ (rows) everywhere, δ a column or a row, every number the
    engine's and known at its micro-step."""
    heat, banner = HeatmapPanel(session), PhaseBanner(session)
    qtbot.addWidget(heat)
    qtbot.addWidget(banner)
    session.settings.convention = conv
    row = conv == "row"
    for preset in WALKED[conv]:
        session.load_preset(preset)
        panel = None
        if preset == WALKED[conv][0]:
            panel = DerivationPanel(session)
            qtbot.addWidget(panel)
        for k in range(session.stepper.last + 1):
            session.seek(k)
            v, l, net = session.view, session.focus_layer, session.net
            st = v.step
            assert banner.text() == st.banner_in(conv) and heat._info.text() == st.banner_in(conv)
            assert context_from_session(session).focus()[0] == l == heat.layer     # one layer in every view
            if st.quantity == "dW":
                assert ("⊗" in banner.text()) == row and ("ᵀ" in banner.text()) == (not row)
            if st.quantity == "delta" and st.l < net.L - 1:
                assert ("⊙" in banner.text()) == (not row)
            N, M = net.sizes[l + 1], net.sizes[l]
            if v.dW[l] is not None:
                assert heat.heatmaps["dW"].matrix.shape == ((M, N) if row else (N, M))
                assert heat.heatmaps["step"].matrix.shape == (N, M)
            if panel is not None:
                for block in panel.step_list.blocks:
                    check_block(block)
                    check_shapes(block, conv)
                    check_block_numbers(v, net, block)
                    check_claim(block)
        if panel is not None:
            panel.close()
