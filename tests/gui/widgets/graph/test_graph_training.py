"""The layer graph's training overlays: dropped neurons hollow once their layer is computed, and
the Mazur post's names on a 2-2-2 network."""
from gui.widgets.graph import training
from gui.widgets.graph.view import GraphView


def test_layer_graph_draws_dropped_neurons_hollow_and_mazur_names(qtbot, session):
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(800, 500)
    session.settings.mazur_names = True
    graph.grab()                                   # paints the names without error
    assert training.mazur_names(session.net.sizes)
    assert session.change(dropout=0.9)
    session.seek(1)
    assert training.dropped(session.view, 1) == []            # a¹ not computed yet
    session.seek(2)
    m = session.view.masks[1]
    assert training.dropped(session.view, 1) == [j for j in range(2) if m[j] == 0] != []
    graph.grab()
