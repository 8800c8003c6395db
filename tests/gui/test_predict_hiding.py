"""Predict mode hides the next micro-step's values wherever they would appear, not only on the graph:
the derivation panel leads with the asked quantity as "?" (no number, no formula of the step), the
matrices panel puts "?" on ∂C/∂W, on σ′ and on ∂z/∂z while aˡ (which σ′ gives away) is asked; the
reveal (→) shows them, and leaving Predict mode brings every number back."""
import numpy as np
import pytest

from engine.worksheet import Entry
from gui.derivation import parse_matrices
from gui.derivation.predict import asked_shape, predict_blocks
from gui.session_types import Selection
from gui.widgets.derivation.panel import DerivationPanel
from gui.widgets.heatmap_panel import HeatmapPanel


def step_of(session, quantity, layer):
    return next(s.index for s in session.stepper.steps if s.quantity == quantity and s.book_layer == layer)


@pytest.mark.parametrize("convention", ["column", "row"])
def test_the_block_is_a_grid_of_question_marks_shaped_as_the_view_prints_it(convention):
    sizes = [3, 4, 2]
    dW = [Entry("dC_dW", 2, j, k) for j in (1, 2) for k in (1, 2, 3, 4)]
    [block] = predict_blocks(dW, "∂C/∂W²", sizes, convention)
    rows, cols = (2, 4) if convention == "column" else (4, 2)
    assert asked_shape("dC_dW", 2, sizes, convention) == (rows, cols)
    assert rf"{rows}\times {cols}" in block.latex
    body = block.latex.split(r"\begin{bmatrix}")[1].split(r"\end{bmatrix}")[0]
    assert [len(r.split("&")) for r in body.split(r"\\")] == [cols] * rows
    assert block.numbers == {} and parse_matrices(block.latex) == []          # no number anywhere
    assert asked_shape("W_new", 2, sizes, convention) == (2, 4)               # the new W is shaped like W
    [one] = predict_blocks([Entry("delta", 1, 3)], "δ¹₃", sizes, convention)
    assert one.latex == r"\delta^{1}_{3} = \mathbf{?}"
    [loss] = predict_blocks([Entry("loss", None, None)], "C", sizes, convention)
    assert loss.latex == r"C = \mathbf{?}"
    assert predict_blocks([], "nothing", sizes) == []


def test_derivation_panel_leads_with_the_question_and_shows_the_step_on_reveal(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(step_of(session, "C", 2))                 # the loss: δ² is next
    titles = lambda: [b.title for b in panel.step_blocks()]
    assert "Predict the next micro-step" not in titles()
    session.settings.predict = True
    latex = [v.latex for v in panel.step_list.math_views]
    assert latex[0] == r"\underset{2\times 1}{\delta^{2}} = \begin{bmatrix}\mathbf{?} \\ \mathbf{?}\end{bmatrix}"
    delta = session.stepper.grads.delta[1]
    shown = [M for s in latex for M in parse_matrices(s)]
    assert not any(M.shape == (2, 1) and np.allclose(M[:, 0], delta, rtol=1e-3) for M in shown)
    session.select(Selection.neuron(2, 0))                 # the selected neuron's δ only
    assert panel.step_list.math_views[0].latex == r"\delta^{2}_{1} = \mathbf{?}"
    session.next_step()                                    # the reveal: δ² with its numbers, δ²'s block gone
    assert "Predict the next micro-step" in titles()       # now ∂C/∂W² is asked
    assert any(np.allclose(M[:, 0], delta, rtol=1e-3) for s in (v.latex for v in panel.step_list.math_views)
               for M in parse_matrices(s) if M.shape == (2, 1))
    session.settings.convention = "row"
    assert r"\underset{2\times 2}" in panel.step_list.math_views[0].latex
    session.settings.predict = False
    assert "Predict the next micro-step" not in titles()
    assert "Predict" not in panel.step_list.math_views[0].latex


def test_matrices_panel_hides_sigma_prime_while_the_activation_is_asked(qtbot, session):
    panel = HeatmapPanel(session)
    qtbot.addWidget(panel)
    panel.resize(900, 900)
    session.seek(step_of(session, "z", 1))                 # z¹: a¹ is next, and σ′(z¹) with it
    session.settings.predict = True
    assert panel.heatmaps["sigma"].message.startswith("?") and "a¹" in panel.heatmaps["sigma"].message
    assert panel.heatmaps["jacobian"].message.startswith("?")
    session.next_step()                                    # revealed: σ′(z¹) drawn
    np.testing.assert_allclose(np.diag(panel.heatmaps["sigma"].matrix), session.stepper.grads.sigma_prime[0])
    session.seek(step_of(session, "delta", 2))             # ∂C/∂W² is next
    session.select(Selection.layer(1))
    assert panel.heatmaps["dW"].message.startswith("?")
    session.settings.predict = False                       # the question goes, the usual message is back
    assert panel.heatmaps["dW"].message.startswith("∂C/∂W² is not computed yet")
    session.select(Selection())
    session.seek(step_of(session, "z", 1))
    session.settings.predict = True
    assert panel.heatmaps["sigma"].message.startswith("?")
    session.settings.predict = False
    assert "not computed yet" in panel.heatmaps["sigma"].message
