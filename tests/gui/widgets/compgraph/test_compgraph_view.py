"""The Computational graph view: follows the stepper, node-by-node stepping with the local rule,
selection synced both ways with the layer graph, one neuron's subgraph for large networks."""
import pytest


from gui.session import Selection
from gui.widgets.compgraph.view import CompGraphView


@pytest.fixture
def view(qtbot, session):
    w = CompGraphView(session)
    qtbot.addWidget(w)
    w.resize(900, 560)
    w.show()
    return w


def test_values_fill_forward_and_gradients_backward(view, session):
    g = session.scalar_graph()
    z11 = g.node("+", 1, 0).id
    values, grads = view.known()
    assert z11 not in values and not grads
    session.next_step()                              # forward layer 1: z
    values, grads = view.known()
    assert z11 in values and g.node("+", 2, 0).id not in values
    last_backward = session.stepper.last - 1
    session.seek(last_backward)
    values, grads = view.known()
    assert {n.id for n in g.nodes if n.op in ("w", "+", "b")} <= grads
    assert g.node("w", 1, 0, 0).grad == pytest.approx(session.stepper.grads.dW[0][0, 0], rel=1e-12)


def test_node_by_node_moves_the_stepper_and_writes_the_rule(view, session):
    view.node_mode.setChecked(True)
    assert view.cursor == -1
    view.next_node.click()
    _, n, kind = view.events[view.cursor]
    node = view.graph.nodes[n]
    assert kind == "value" and node.op == "×" and session.stepper.index == 1   # the z micro-step
    assert view.canvas.current == n and view.canvas.current_text.startswith("× node: w·a = 0.15 · 0.05")
    while view.events[view.cursor][2] == "value":
        view.next_node.click()
    _, n, _ = view.events[view.cursor]
    assert view.graph.nodes[n].op == "total" or view.graph.nodes[n].op == "C"
    assert view.canvas.current_text.startswith("C node: grad C = 1")
    view.next_node.click()
    assert "so grad" in view.canvas.current_text
    view.prev_node.click()
    view.prev_node.click()
    assert view.events[view.cursor][2] == "value"


def test_selection_syncs_both_ways_and_paths_sum_to_the_gradient(view, session):
    session.select(Selection.neuron(1, 1))           # hidden neuron h2 in the layer graph
    g = view.graph
    assert g.node("σ", 1, 1).id in view.canvas.highlight and g.cost in view.canvas.highlight
    assert g.node("σ", 1, 0).id not in view.canvas.highlight
    assert "Step into the backward pass" in view.paths.text()
    session.seek(session.stepper.last - 1)
    text = view.paths.text()
    assert "2 paths" in text and "matrix product" in text
    view.canvas.node_clicked.emit(g.node("×", 2, 0, 1).id)    # click a product: its weight is selected
    assert session.selection == Selection.edge(1, 0, 1)
    assert "outer product" in view.paths.text()


def test_large_network_draws_one_neurons_subgraph(qtbot, session, view):
    session.load_preset("digits")
    assert view.graph is not None and len(view.shown) < len(view.graph.nodes)
    assert "would not be readable" in view.caption.text()
    session.select(Selection.neuron(1, 4))
    assert view.graph.node("σ", 1, 4).id in view.shown
    assert not view.graph.drawn_whole


def test_exported_as_png_and_svg_like_every_view(qtbot, session, tmp_path):
    from gui.shell.export import save_png, save_svg
    from gui.shell.main_window import MainWindow
    window = MainWindow(session)
    qtbot.addWidget(window)
    view = window.views["compgraph"]
    window.show()
    window.docks["compgraph"].show()
    window.docks["compgraph"].raise_()
    session.seek(session.stepper.last - 1)
    save_png(view, tmp_path / "g.png")
    save_svg(view, tmp_path / "g.svg")
    svg = (tmp_path / "g.svg").read_text()
    assert (tmp_path / "g.png").stat().st_size > 1000 and "w·a" in svg and "0.2984" in svg
    window.close()


def test_a_dock_tab_behind_another_skips_the_work_until_picked(qtbot, session):
    from gui.shell.main_window import MainWindow
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.docks["matrices"].raise_()
    view = window.compgraph
    before = view.graph
    session.next_example()                           # a new example: a new scalar graph
    assert view.graph is before and view._stale
    window.docks["compgraph"].raise_()
    qtbot.waitUntil(lambda: view.graph is session.scalar_graph())
    window.close()


def test_a_scalar_node_picked_is_outlined_in_the_matrices(qtbot, view, session):
    from gui.widgets.heatmap_panel import HeatmapPanel
    panel = HeatmapPanel(session)
    qtbot.addWidget(panel)
    g = view.graph
    view.canvas.node_clicked.emit(g.node("×", 2, 0, 1).id)     # w²₁₂ · a¹₂
    assert session.selection == Selection.edge(1, 0, 1) and panel.layer == 1
    assert panel.heatmaps["W"].selected == [(0, 1, 1, 1)]


def test_a_network_too_big_for_a_scalar_graph_says_so_and_builds_nothing(view, session, monkeypatch):
    import gui.session as gs
    assert session.load_preset("xor")
    built = []
    monkeypatch.setattr(gs, "build_scalar_graph", lambda *a: built.append(1))
    assert session.change(sizes=[2, 300, 200, 1])          # 61,301 parameters
    assert session.scalar_graph() is None and view.graph is None and built == []
    assert view.caption.text() == session.scalar_graph_refusal()
    assert "61,301 parameters" in view.caption.text() and f"{gs.MAX_SCALAR_GRAPH_PARAMS:,}" in view.caption.text()
    assert not view.node_mode.isEnabled() and not view.next_node.isEnabled() and not view.paths.isVisible()
    session.next_step()
    assert built == [] and view.graph is None
    monkeypatch.undo()
    assert session.load_preset("xor") and view.graph is not None                   # back to a small one
    assert view.node_mode.isEnabled() and view.next_node.isEnabled() and view.paths.isVisible()


def step_of(session, quantity, layer):
    return next(s.index for s in session.stepper.steps if s.quantity == quantity and s.book_layer == layer)


def drawn(view) -> list[str]:
    """Every line painted in the node boxes, and the callout."""
    return [t for n in view.canvas.boxes for t in view.canvas._lines(n)] + [view.canvas.current_text]


def test_predict_mode_puts_question_marks_where_the_next_step_shows_and_reveals_them(view, session):
    from gui.numbers import format_number
    g = session.scalar_graph()
    deltas = {g.node("+", 2, j).id for j in (0, 1)}
    session.seek(step_of(session, "C", 2))                     # the loss: δ² is next
    session.settings.predict = True                            # model → view: the "?" appear
    assert view.canvas.asked_grads == deltas and not view.canvas.asked_values
    assert all(view.canvas._lines(n)[-1] == "?" for n in deltas)
    delta = session.stepper.grads.delta[1]
    assert not any(format_number(v) in t for v in delta for t in drawn(view))
    session.select(Selection.neuron(2, 1))                     # only the selected neuron's δ is asked
    assert view.canvas.asked_grads == {g.node("+", 2, 1).id}
    session.quiz.set_answer(session.quiz.question().entries[0], float(delta[1]))
    session.next_step()                                        # the reveal: the number, no "?"
    assert session.quiz.verdicts[-1].right == 1
    assert view.canvas._lines(g.node("+", 2, 1).id)[-1] == format_number(delta[1])
    assert view.canvas.asked_grads == {g.node("w", 2, j, k).id for j in (0, 1) for k in (0, 1)}   # now ∂C/∂W²
    session.select(Selection.edge(1, 1, 0))                    # one weight: its ∂C/∂w²₂₁ only
    assert view.canvas.asked_grads == {g.node("w", 2, 1, 0).id}
    session.select(Selection())
    session.settings.predict = False                           # leaving Predict mode: no "?" left
    assert not view.canvas.asked_grads and "?" not in drawn(view)
    session.seek(0)
    session.settings.predict = True                            # z¹ is next: on the bias adds' values
    assert view.canvas.asked_values == {g.node("+", 1, j).id for j in (0, 1)}
    assert view.canvas._lines(g.node("+", 1, 0).id)[1] == "?"
    session.settings.predict = False


def test_a_rule_shows_no_number_still_to_be_predicted(view, session):
    """Node by node at δ², a product's rule would add a · grad out to grad w: ∂C/∂w², the next answer."""
    from gui.numbers import format_number
    g = session.scalar_graph()
    session.seek(step_of(session, "delta", 2))
    session.settings.predict = True
    view.node_mode.setChecked(True)
    product = g.node("×", 2, 0, 0).id
    view.cursor = next(i for i, e in enumerate(view.events) if e[1:] == (product, "grad"))
    view._refresh()
    dW = session.stepper.grads.dW[1][0, 0]
    assert view.canvas.current == product
    assert "grad w += a · grad out = ?" in view.canvas.current_text
    assert format_number(dW) not in view.canvas.current_text
    session.settings.predict = False                           # outside Predict mode the number is there
    assert f"grad w += a · grad out = {format_number(dW)}" in view.canvas.current_text


def test_stepping_node_by_node_into_the_asked_step_reveals_the_prediction(view, session):
    """View → model: Node ▶ past the last node of this micro-step moves the stepper, which checks the answer."""
    session.seek(step_of(session, "a", 2))                     # the loss C is next
    session.settings.predict = True
    [entry] = session.quiz.question().entries
    assert view.canvas.asked_values == {view.graph.cost}
    session.quiz.set_answer(entry, 1.0)                        # wrong
    view.node_mode.setChecked(True)
    before = session.stepper.index
    while session.stepper.index == before:
        view.next_node.click()
    assert session.quiz.verdicts[-1].right == 0 and session.quiz.example_score == [0, 1]
    assert view.graph.cost in view.canvas.values and not view.canvas.asked_values
    session.settings.predict = False
