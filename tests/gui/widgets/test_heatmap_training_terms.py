"""The matrices panel shows the training terms: the penalty's two parts of ∂C/∂W, and the
optimizer's state (v; m̂, v̂) with the step ΔW actually applied, on shared colour scales."""
import numpy as np
from PySide6 import QtCore
import pytest

from engine.notation import sup
from gui.numbers import format_number
from gui.widgets.heatmap_panel import ROLES, HeatmapPanel


@pytest.fixture
def panel(qtbot, session):
    p = HeatmapPanel(session)
    qtbot.addWidget(p)
    p.resize(900, 900)
    return p


def test_plain_run_has_the_five_heatmaps(panel):
    assert panel.active_roles() == ROLES
    assert not panel.heatmaps["applied"].isVisibleTo(panel)


def test_adam_state_and_applied_step_at_the_update(panel, session):
    session.change(optimizer="adam")
    assert panel.active_roles() == ROLES + ["m_hat", "v_hat", "applied"]
    session.seek(session.stepper.last - 1)
    assert panel.heatmaps["m_hat"].matrix is None and "update micro-step" in panel.heatmaps["m_hat"].message
    session.finish_example()
    v, l = session.view, panel.layer
    rec = v.optimizer_step
    np.testing.assert_array_equal(panel.heatmaps["m_hat"].matrix, rec.W[l]["m_hat"])
    np.testing.assert_array_equal(panel.heatmaps["v_hat"].matrix, rec.W[l]["v_hat"])
    np.testing.assert_array_equal(panel.heatmaps["applied"].matrix, rec.W[l]["delta"])
    np.testing.assert_allclose(panel.heatmaps["applied"].matrix, v.W[l] - v.W_before[l], rtol=1e-12)
    lim = max(np.abs(v.eta * v.grads.dW[l]).max(), np.abs(rec.W[l]["delta"]).max())
    assert panel.heatmaps["applied"].levels == pytest.approx((-lim, lim))


def test_penalty_parts_add_up_to_the_gradient(panel, session):
    session.change(penalty="l2", penalty_lambda=0.5)
    session.seek(session.stepper.last - 1)
    l, g = panel.layer, session.view.grads
    data, pen = panel.heatmaps["dW_data"].matrix, panel.heatmaps["dW_penalty"].matrix
    np.testing.assert_array_equal(pen, 0.5 * session.view.W_before[l])
    np.testing.assert_allclose(data + pen, panel.heatmaps["dW"].matrix, rtol=1e-15)
    assert panel.heatmaps["dW_data"].levels == panel.heatmaps["dW_penalty"].levels
    assert "λ" in panel.heatmaps["dW_penalty"].title


def test_loss_plot_splits_data_loss_and_penalty(qtbot, session):
    from gui.widgets.loss_plot import LossPlot
    plot = LossPlot(session)
    qtbot.addWidget(plot)
    session.change(penalty="l1", penalty_lambda=0.1)
    session.finish_example()
    h = session.history
    x, y = plot.curves["penalty"].getData()
    np.testing.assert_array_equal(y, h.step_penalties)
    np.testing.assert_array_equal(plot.curves["step"].getData()[1], h.step_losses)
    assert y[0] == pytest.approx(0.1 * sum(np.abs(w).sum() for w in session.view.W_before))
    assert "penalty" in plot.hover_text(1.0)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_the_step_caption_says_when_the_optimizer_applies_another_step(panel, session, name):
    """−η ∂C/∂W is the step taken only by an optimizer whose new W follows from W, ∂C/∂W and η
    alone (the registry's exact_from_gradient); otherwise the caption names the optimizer."""
    session.change(optimizer=name)
    session.seek(session.stepper.last - 1)
    title = panel.heatmaps["step"].title
    assert ("SGD's step, not" in title) == (not session.optimizer.exact_from_gradient) == (name != "sgd")
    assert name == "sgd" or f"not {session.optimizer.short_name}'s" in title


def test_the_penalty_part_is_captioned_by_the_penalty(panel, session):
    for penalty, part in (("l2", "λ W"), ("l1", "λ sign W")):
        session.change(penalty=penalty, penalty_lambda=0.5)
        session.seek(session.stepper.last - 1)
        assert panel.heatmaps["dW_penalty"].title.startswith(f"penalty part {part}")


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_the_state_heatmaps_are_the_ones_the_optimizer_declares(panel, session, name):
    """engine/optim.py declares what is drawn (state_maps, and ΔW unless exact_from_gradient): the
    panel shows each declared quantity of this step, captioned and scaled as declared."""
    from engine.optim import OPTIMIZERS
    opt = OPTIMIZERS[name]
    session.change(optimizer=name)
    expected = [m.key for m in opt.state_maps] + ([] if opt.exact_from_gradient else ["applied"])
    assert panel.active_roles() == ROLES + expected
    session.finish_example()
    rec, l = session.view.optimizer_step, panel.layer
    tr = "ᵀ" if session.settings.convention == "row" else ""
    for m in opt.state_maps:
        hm = panel.heatmaps[m.key]
        T = "" if m.scale == "step" else tr           # a change of W is shaped like W, as the step is
        np.testing.assert_array_equal(hm.matrix, rec.W[l][m.key].T if T else rec.W[l][m.key])
        assert hm.title == m.caption(f"{m.symbol}{sup(l + 1)}{T}", rec, format_number)
        if m.scale == "step":
            assert hm.levels == panel.heatmaps["applied"].levels
    if name == "momentum":
        assert panel.heatmaps["v"].title == f"velocity v{sup(l + 1)}, β = 0.9"


def test_a_changed_declaration_changes_the_panel(panel, session, monkeypatch):
    from engine.optim import Momentum, StateMap
    monkeypatch.setattr(Momentum, "state_maps", (StateMap("v", "u", "speed {symbol} at t = {t}", signed=False),))
    session.change(optimizer="momentum")
    session.finish_example()
    hm = panel.heatmaps["v"]
    assert hm.title.startswith("speed u") and hm.title.endswith("t = 1")
    lim = max(np.abs(session.view.eta * session.view.grads.dW[panel.layer]).max(),
              np.abs(session.view.optimizer_step.W[panel.layer]["delta"]).max())
    assert panel.heatmaps["applied"].levels == pytest.approx((-lim, lim))     # v no longer shares the step's scale


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_with_row_vectors_a_change_of_W_is_shaped_like_W_and_the_gradients_like_its_transpose(panel, session, name):
    session.settings.convention = "row"
    session.load_preset("diagram")                     # 3-4-2: W¹ is 4×3, not square
    session.change(optimizer=name)
    session.finish_example()
    panel.layer_combo.setCurrentIndex(0)
    rec, step = session.view.optimizer_step, panel.heatmaps["step"]
    assert step.matrix.shape == session.net.W[0].shape == panel.heatmaps["applied"].matrix.shape
    np.testing.assert_array_equal(panel.heatmaps["applied"].matrix, rec.W[0]["delta"])
    assert panel.heatmaps["applied"].title == f"ΔW¹ applied by {session.optimizer.short_name}"
    if name == "momentum":
        np.testing.assert_array_equal(panel.heatmaps["v"].matrix, rec.W[0]["v"])
        assert panel.heatmaps["v"].levels == step.levels == panel.heatmaps["applied"].levels
    else:
        np.testing.assert_array_equal(panel.heatmaps["m_hat"].matrix, rec.W[0]["m_hat"].T)   # like ∂C/∂W: Wᵀ
        assert panel.heatmaps["m_hat"].title.startswith("m̂¹ᵀ") and panel.heatmaps["dW"].matrix.shape == (3, 4)


def test_the_state_heatmaps_coming_in_take_their_share_of_the_height_at_the_key(qtbot, session):
    """Adam's m̂, v̂ and ΔW come in at the update (messages before it), the eight heatmaps in one
    scrolling column, each as tall as its numbers need: the rows' shares of the height
    (``_share_height``) are set once every heatmap has its matrix.  Set before the optimizer's
    heatmaps had theirs, spirals' update gave W¹ … the Jacobian 487 px and the newcomers their
    messages' 232 where each needed 391; the width check laid the column out again after the key,
    and the key had fitted and painted the five at the wrong height (68 → 39 ms of CPU)."""
    session.load_preset("spirals")                  # Adam; 16×2 W¹, 16-row matrices
    panel = HeatmapPanel(session)
    qtbot.addWidget(panel)
    panel.resize(480, 600)
    panel.show()
    qtbot.waitExposed(panel)
    session.seek(session.stepper.last - 1)
    qtbot.wait(300)
    assert panel._columns == 1 and len(panel.roles) == 8 and panel.heatmaps["m_hat"].matrix is None
    before = {r: panel.heatmaps[r].size() for r in ("dW", "step", "sigma", "jacobian")}
    session.finish_example()
    for _ in range(6):      # the key's posted layout and paint, not the idle time's timers
        QtCore.QCoreApplication.sendPostedEvents()
    at_key = {r: panel.heatmaps[r].geometry() for r in panel.roles}
    assert panel.heatmaps["m_hat"].matrix is not None
    assert {r: panel.heatmaps[r].size() for r in before} == before     # unchanged matrices: not laid out again
    qtbot.wait(300)         # the width check after it
    assert {r: panel.heatmaps[r].geometry() for r in panel.roles} == at_key
    assert all(hm.height() == hm.minimumSizeHint().height() for hm in (panel.heatmaps[r] for r in panel.roles))
