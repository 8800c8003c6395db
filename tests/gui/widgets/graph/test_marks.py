"""Predict mode's "?" on the graph and the wrong-entry marks (gui/widgets/graph/marks.py)."""
import pytest

from engine.worksheet import Entry
from gui.widgets.graph.marks import EDGE_T, mark_spots
from gui.widgets.graph.view import GraphView
from helpers import shown_graph


@pytest.fixture
def graph(qtbot, session):
    return shown_graph(qtbot, session, 900, 500)


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


def _overlap(a, b) -> bool:
    inter = a.intersected(b)
    return inter.width() > 0.5 and inter.height() > 0.5


@pytest.mark.parametrize("size", [(810, 400), (640, 400), (807, 561), (657, 611), (560, 330)])
@pytest.mark.parametrize("wrong", [("z", 2, 2), ("z", 2, 1), ("a", 1, 2), ("dC_dW", 2, 2, 1)])
def test_a_wrong_entrys_cause_covers_no_text_node_or_badge(qtbot, session, size, wrong):
    """A revealed wrong prediction's "✗ cause" (the screenshot: z²₂ wrong at 1280×720, the cause on
    the layer name "z² (σ next)") sits inside the graph, clear of every other text drawn (caption,
    layer names, neurons' and edges' numbers, legend), every neuron and the next "?" badges."""
    from PySide6 import QtCore
    from gui.widgets.graph.marks import question_boxes
    session.settings.animate = False
    session.settings.predict = True
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(*size)
    entry = Entry(*wrong)
    session.seek(session.quiz.step_of(entry) - 1)
    session.quiz.set_answer(entry, 5.0)
    session.next_step()
    graph.grab()
    [verdict] = [t for t in graph.texts if t.kind == "verdict"]
    assert verdict.text.startswith("✗ ")
    assert QtCore.QRectF(graph.rect()).contains(verdict.rect)
    for t in graph.texts:
        if t is not verdict:
            assert not _overlap(verdict.rect, t.rect), (size, wrong, verdict.text, "over", t.kind, t.text)
    lay = graph.graph_layout
    for kind, k, _j, x, y in lay.spots():
        if kind != "bias" and not lay.strip[k]:
            node = QtCore.QRectF(x - lay.half_w[k], y - lay.radius[k], 2 * lay.half_w[k], 2 * lay.radius[k])
            assert not _overlap(verdict.rect, node), (size, wrong, "over a node")
    assert not any(_overlap(verdict.rect, box) for box in question_boxes(graph))


@pytest.mark.parametrize("preset", ["mazur", "xor", "diagram", "wong", "vanishing", "iris", "digits", "spirals", "sine"])
def test_a_question_mark_covers_no_number(qtbot, session, preset):
    """Predict mode at the Training layout's least graph (GRAPH_MIN_TRAINING), unzoomed and at zoom
    +3, at every micro-step: each neuron's "?" badge (recorded in graph.shapes) sits inside the
    graph, clear of every neuron's number (its own neuron's too: its a or z is what the student
    needs), of the other nodes, texts, the legend and the picture (collisions.py; a badge may sit on
    its own neuron's rim, and the badges of a column of rows closer than a badge is tall touch); at
    zoom +3, where the badges (42 px) find no free place in the 480×260 graph, still clear of every
    number (over a node's rim, or cut at the graph's edge, rather).  Before: on short capsules the badge, on the upper right of the rim, covered
    the right end of the number (iris's output "0.7783" read "0.778" at 1024×768 in the Training
    layout, micro-step 4)."""
    from collisions import collisions
    from gui.shell.layouts import GRAPH_MIN_TRAINING
    from gui.shell.presentation import ZOOM_STEP
    session.load_preset(preset)
    session.settings.predict = True
    graph = shown_graph(qtbot, session, GRAPH_MIN_TRAINING.width(), GRAPH_MIN_TRAINING.height())
    badges = 0
    for zoom in (0, 3):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        for index in range(len(session.stepper.steps)):
            session.seek(index)
            graph.grab()
            where = f"{preset} zoom {zoom:+d} micro-step {index + 1}"
            on_neurons = [what for what, _rect in graph.shapes if what.startswith("? on neuron")]
            badges += len(on_neurons)
            found = [c for c in collisions(graph) if "? on neuron" in c and c.count("? on ") == 1]
            bad = found if zoom == 0 else [c for c in found if "covers the number" in c]
            assert not bad, (where, bad[:4])
            on_edges = [c for c in collisions(graph) if "? on edge" in c and c.count("? on ") == 1
                        and "covers the number" in c]    # an edge's badge (∂C/∂W asked) neither, unzoomed
            assert zoom or not on_edges, (where, on_edges[:4])   # (iris's a¹ read ".09444" for "-0.09444")
    assert badges > 0
