"""Predict mode's "?" on the graph and the wrong-entry marks (gui/widgets/graph/marks.py)."""
import pytest

from engine.worksheet import Entry
from gui.widgets.graph.marks import EDGE_T, mark_spots
from gui.widgets.graph.view import GraphView


@pytest.fixture
def graph(qtbot, session):
    session.settings.animate = False
    g = GraphView(session)
    qtbot.addWidget(g)
    g.resize(900, 500)
    g.show()
    return g


def test_question_marks_sit_where_the_next_values_appear(graph, session):
    assert mark_spots(graph) == []
    session.settings.predict = True
    spots = mark_spots(graph)                       # z¹ is next: its two neurons
    assert [s[0] for s in spots] == ["?", "?"]
    lay = graph.graph_layout
    for j, (_, x, y, _, _) in enumerate(spots):     # on the upper right of each neuron's rim, off its value
        centre = graph.node_pos(1, j)
        assert centre.x() + 0.5 * lay.half_w[1] < x <= centre.x() + lay.half_w[1]
        assert centre.y() - lay.radius[1] <= y < centre.y() - 0.5 * lay.radius[1]
    session.seek(6)                                 # ∂C/∂W² is next: its four edges
    spots = mark_spots(graph)
    assert len(spots) == 4 and (spots[1][1], spots[1][2]) == (graph.edge_pos(1, 0, 1, EDGE_T).x(), graph.edge_pos(1, 0, 1, EDGE_T).y())
    graph.grab()                                    # paints without error


def test_wrong_entries_of_the_current_micro_step_are_ringed_with_their_cause(graph, session, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("quantity,layer,j,k,value\ndelta,2,1,,0.7414\ndC_dW,2,1,1,0.4398\n")
    session.quiz.check_file(path)
    assert mark_spots(graph) == []                  # not at their micro-steps yet
    session.seek(session.quiz.step_of(Entry("delta", 2, 1)))
    [spot] = mark_spots(graph)
    assert spot[0] == "wrong" and spot[4] == "missing-sigma-prime"
    assert (spot[1], spot[2]) == (graph.node_pos(2, 0).x(), graph.node_pos(2, 0).y())
    session.next_step()
    [spot] = mark_spots(graph)
    assert spot[4] == "carried-forward" and (spot[1], spot[2]) == (graph.edge_pos(1, 0, 0, EDGE_T).x(),
                                                                      graph.edge_pos(1, 0, 0, EDGE_T).y())
    graph.grab()


@pytest.mark.parametrize("preset", ["mazur", "xor"])
def test_every_question_mark_sits_at_one_of_the_possible_places(graph, session, preset):
    """possible_question_boxes (what names keep clear of, so they never move) holds every "?" that
    any micro-step shows, and is empty with predict mode off."""
    from gui.widgets.graph.marks import possible_question_boxes, question_boxes
    session.load_preset(preset)
    assert possible_question_boxes(graph) == []
    session.settings.predict = True
    possible = {b.getRect() for b in possible_question_boxes(graph)}
    shown = 0
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        for box in question_boxes(graph):
            assert box.getRect() in possible, (index, box.getRect())
            shown += 1
    assert shown > 0
