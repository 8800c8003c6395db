"""The comparison view: CompareSession provides the RunView protocol as Session does, read-only."""
from gui.compare_view import CompareSession
from gui.session_types import RunView, Selection
from gui.widgets.graph.view import GraphView


def test_session_and_compare_session_both_provide_run_view(session):
    compare = CompareSession(session)
    assert isinstance(session, RunView) and isinstance(compare, RunView)
    assert compare.settings is session.settings


def test_compare_graph_draws_the_second_run_and_refuses_edits(qtbot, session):
    compare = CompareSession(session)
    graph = GraphView(compare)
    qtbot.addWidget(graph)
    assert session.start_comparison(eta=0.1)
    assert compare.net is session.compare.net and graph.session is compare
    errors = []
    session.error.connect(errors.append)
    before = session.compare.net.W[0].copy()
    assert compare.set_weight(0, 0, 0, 9.0) is False
    assert (session.compare.net.W[0] == before).all() and errors
    compare.select(Selection.neuron(1, 0))
    assert compare.selection == Selection()
