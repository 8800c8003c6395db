"""The loss plot and the decision boundary follow the session; the log checkbox drives it."""
from __future__ import annotations

import numpy as np
import pytest

from gui.numbers import format_number
from gui.widgets.decision_boundary import DecisionBoundary
from gui.widgets.loss_plot import LossPlot


@pytest.fixture
def loss_plot(qtbot, session):
    w = LossPlot(session)
    qtbot.addWidget(w)
    w.resize(900, 600)
    return w


@pytest.fixture
def boundary(qtbot, session):
    w = DecisionBoundary(session, resolution=40)
    qtbot.addWidget(w)
    w.resize(700, 600)
    return w


def data(curve):
    x, y = curve.getOriginalDataset()
    return (np.array([]), np.array([])) if x is None else (x, y)


def test_step_curve_equals_history(loss_plot, session):
    x, _ = data(loss_plot.curves["step"])
    assert x.size == 0
    session.train_steps(50)
    x, y = data(loss_plot.curves["step"])
    np.testing.assert_array_equal(x, session.history.step_numbers)
    np.testing.assert_array_equal(y, session.history.step_losses)
    k = int(np.flatnonzero(x == 20)[0])
    assert loss_plot.hover_text(20.2).startswith(f"step 20: loss {format_number(y[k])}  ·  epoch 20")



def test_empty_plot_says_so_and_hides_the_legend(loss_plot, session):
    """Before any training the message shows and the legend (with no curves to name) does not."""
    assert loss_plot._empty.isVisible() and not loss_plot.legend.isVisible()
    session.train_steps(3)
    assert not loss_plot._empty.isVisible() and loss_plot.legend.isVisible()
    session.reset()
    assert loss_plot._empty.isVisible() and not loss_plot.legend.isVisible()

def test_epoch_records_and_accuracy(loss_plot, session):
    session.load_preset("xor")            # batch 4 of 4 examples: one epoch per step
    assert loss_plot.acc_plot in loss_plot._graphics.ci.items
    session.train_steps(10)
    epochs = session.history.epochs
    assert len(epochs) == 10
    x, y = data(loss_plot.curves["train"])
    np.testing.assert_array_equal(x, [e.step for e in epochs])
    np.testing.assert_allclose(y, [e.train_loss for e in epochs])
    x, y = data(loss_plot.curves["train_acc"])
    np.testing.assert_allclose(y, [e.train_acc for e in epochs])
    assert "epoch 10" in loss_plot.hover_text(10)
    session.load_preset("sine")           # regression: no accuracy plot
    assert loss_plot.acc_plot not in loss_plot._graphics.ci.items


def test_comparison_run_adds_dashed_curve(loss_plot, session):
    session.load_preset("xor")
    session.train_steps(5)
    assert session.start_comparison(eta=0.1)
    session.train_steps(5)
    x, y = data(loss_plot.curves["compare_step"])
    np.testing.assert_array_equal(y, session.compare.trainer.history.step_losses)
    assert x.size == 10
    labels = [label.text for _, label in loss_plot.legend.items]
    assert any("eta = 0.1" in t for t in labels)
    assert "eta = 0.1" in loss_plot.hover_text(7)
    session.stop_comparison()
    assert data(loss_plot.curves["compare_step"])[0].size == 0


def test_log_checkbox_drives_session_and_back(loss_plot, session):
    session.train_steps(5)
    loss_plot.log_check.setChecked(True)
    assert session.settings.log_loss
    assert loss_plot.loss_plot.getAxis("left").logMode
    session.settings.log_loss = False
    assert not loss_plot.log_check.isChecked()
    session.settings.theme = "dark"
    session.settings.font_scale = 1.4


def test_decision_boundary_xor_image_equals_grid(boundary, session):
    session.load_preset("xor")
    session.train_steps(20)
    boundary.redraw()
    assert boundary.mode == "grid"
    _, _, out = session.decision_grid(boundary.resolution)
    np.testing.assert_allclose(boundary.image, out[:, :, 0])
    assert boundary.levels == (0.0, 1.0)


def test_decision_boundary_throttled_on_params_changed(qtbot, boundary, session):
    session.load_preset("xor")
    before = boundary.image.copy()
    session.train_steps(50)
    qtbot.waitUntil(lambda: not np.allclose(boundary.image, before), timeout=2000)
    _, _, out = session.decision_grid(boundary.resolution)
    np.testing.assert_allclose(boundary.image, out[:, :, 0])


def test_decision_boundary_multiclass_and_message(boundary, session):
    session.load_preset("spirals")
    assert boundary.mode == "grid" and boundary.image.shape == (40, 40, 3)
    session.load_preset("iris")
    assert boundary.mode == "message"
    assert boundary.message == "decision boundary needs 2 inputs; this data set has 4"


def test_decision_boundary_curve_for_sine(boundary, session):
    session.load_preset("sine")
    assert boundary.mode == "curve"
    x, y = boundary.curves[0].getData()
    np.testing.assert_allclose(y, session.net.predict(x[:, None])[:, 0])


def test_decision_boundary_axes_show_plain_data_units(qtbot, session):
    from gui.widgets.decision_boundary import DecisionBoundary
    view = DecisionBoundary(session)
    qtbot.addWidget(view)
    for side in ("left", "bottom"):
        assert not view.plot.getAxis(side).autoSIPrefix
