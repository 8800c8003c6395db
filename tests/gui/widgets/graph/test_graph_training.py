"""The layer graph's training overlays: dropped neurons hollow once their layer is computed, and
the Mazur post's names on a 2-2-2 network."""
import pytest
from PySide6 import QtCore

from engine.notation import mazur_names
from gui.widgets.graph import training
from gui.widgets.graph.view import GraphView


def test_layer_graph_draws_dropped_neurons_hollow_and_mazur_names(qtbot, session):
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(800, 500)
    session.settings.mazur_names = True
    graph.grab()                                   # paints the names without error
    assert mazur_names(session.net.sizes)
    assert session.change(dropout=0.9)
    session.seek(1)
    assert training.dropped(session.view, 1) == []            # a¹ not computed yet
    session.seek(2)
    m = session.view.masks[1]
    assert training.dropped(session.view, 1) == [j for j in range(2) if m[j] == 0] != []
    graph.grab()


def _overlap(a, b) -> bool:
    return a.intersected(b).width() > 0.5 and a.intersected(b).height() > 0.5


@pytest.mark.parametrize("size, every_name", [((800, 470), True), ((640, 560), True), ((1000, 330), True),
                                               ((640, 400), False)])
def test_mazur_names_share_the_edge_labels_and_overlap_nothing(qtbot, session, size, every_name):
    """With the post's names on, an edge whose value is printed reads "w5 = 0.4" in one label, the
    others carry the name alone; at every micro-step no name overlaps a number, a node, the caption or
    another name.  At the Lecture layout's graph sizes (1280×720; 1024×768 beside and below) every
    weight is named; at its minimum (640×400) a name with no free room is left out, never overlapped."""
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(*size)
    session.settings.animate = False
    session.settings.mazur_names = True
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        graph.grab()
        lay = graph.graph_layout
        names = [t for t in graph.texts if t.kind == "name" and t.text.startswith("w")]
        edges = [t for t in graph.texts if t.kind == "edge_number"]
        quantity = {"forward": "{}", "backward": "∂C/∂{}", "update": "{}⁺"}[graph.values.mode]              # w5, ∂C/∂w5 or w5⁺ by the phase
        named = sorted([t.text for t in names] + [t.text.split(" = ")[0] for t in edges])
        named = sorted(n.removeprefix("∂C/∂").removesuffix("⁺") for n in named)
        if every_name:
            assert named == [f"w{n}" for n in range(1, 9)], (index, named)
        assert len(set(named)) == len(named)
        for t in edges:
            l, j, i = t.where[1:]
            assert t.text.startswith(f"{quantity.format(training.edge_name(graph, l, j, i))} = ")
        labels = [t for t in graph.texts if t.kind in ("name", "edge_number")]
        nodes = [QtCore.QRectF(x - lay.half_w[k], y - lay.radius[k], 2 * lay.half_w[k], 2 * lay.radius[k])
                 for kind, k, _j, x, y in lay.spots() if kind != "bias"]
        for n, a in enumerate(labels):
            assert not any(_overlap(a.rect, b.rect) for b in labels[n + 1:]), (index, a.text)
        numbers = [t.rect for t in graph.texts if t.kind == "number"]
        captions = [t.rect for t in graph.texts if t.kind == "caption"]
        for t in labels:
            assert QtCore.QRectF(graph.rect()).contains(t.rect), (index, t.text)
            assert not any(_overlap(t.rect, c) for c in captions), (index, t.text, "under the caption")
        for t in names + edges:
            assert not any(_overlap(t.rect, node) for node in nodes), (index, t.text)
        for t in edges:
            assert not any(_overlap(t.rect, number) for number in numbers), (index, t.text)


@pytest.mark.parametrize("size", [(800, 470), (640, 400), (807, 561), (657, 611), (640, 560)])
def test_mazur_names_keep_clear_of_predict_modes_question_marks(qtbot, session, size):
    """In predict mode (a lesson's quiz slide) the "?" badges where the next values will appear are
    never covered by a name (the neurons' i1…o2, b1 and b2, the weights' w1…w8) or an edge's number,
    at any micro-step, at the Lecture layout's graph sizes; and the names whose place is fixed keep
    it from one micro-step to the next (they keep clear of every place a badge may take)."""
    from gui.widgets.graph import marks
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(*size)
    session.settings.animate = False
    session.settings.mazur_names = True
    session.settings.predict = True
    places: dict = {}
    asked = 0
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        graph.grab()
        boxes = marks.question_boxes(graph)
        asked += len(boxes)
        for t in graph.texts:
            if t.kind in ("name", "edge_number"):
                assert not any(_overlap(t.rect, box) for box in boxes), (index, t.text)
            if t.kind == "name" and not t.text.startswith("w"):
                places.setdefault(t.text, set()).add(t.rect.getRect())
    assert asked > 0
    assert sorted(t.split(" = ")[0] for t in places) == ["b1", "b2", "h1", "h2", "i1", "i2", "o1", "o2"]
    assert set(places) <= {"b1 = 0.35", "b2 = 0.6", "b1", "b2", "h1", "h2", "i1", "i2", "o1", "o2"}   # "b2" alone where cramped
    assert all(len(p) == 1 for p in places.values()), places
