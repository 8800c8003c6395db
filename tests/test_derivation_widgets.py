"""The derivation panel's widgets: MathView renders and caches, the panel follows the session."""
import numpy as np

from gui.mathview import MathView, typeset
from gui.session_types import Selection
from gui.widgets.derivation.panel import DerivationPanel


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
    assert np.allclose(last.numbers["partial sum"], session.stepper.grads.dW[0])
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
    h = panel.health_view.health
    assert len(h) == session.net.L
    assert np.isclose(h[0].delta_norm, np.linalg.norm(session.view.grads.delta[0]))


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
