"""Neurons' numbers (GraphView.node_number): every neuron of a layer up to 10 wide carries its
value at the View's significant figures (4 by default) in the Lecture layout of a 1024×768 and a
1280×720 screen at zoom −2 … +3 (each zoom on one of the two screens or both), for every preset
with such a layer: where a number does not fit its
node at the smallest size it may shrink to, the node is drawn wider rather than a figure dropped
(before: "-0.038" for mazur's −0.03810 at zoom +3, "0.00815" for the diagram's 0.008146, "6e-5" on
the spirals' output in the Training layout).  mazur, xor, the diagram, sine and iris are checked
with their edge numbers (test_edge_labels.py).  Zooming in (Ctrl+=) never draws a neuron's or an
edge's number smaller than the zoom step below: checked on the way of those zoom walks
(zoom_walk.py) and in the Training layout's own walk."""
import pytest
from PySide6 import QtWidgets

from collisions import collisions
from zoom_walk import held, number_sizes, smaller_numbers

from gui.shell.presentation import ZOOM_STEP
from gui.widgets.graph.layout import TEXT_PAD
from helpers import check_node_numbers, shown_graph, window_on_screen

PRESETS = ["wong", "spirals", "digits", "vanishing"]


def _samples(session) -> list[int]:
    """A Σ micro-step (z on the neurons), the loss (every a known), the last backward one (every δ)
    and the update."""
    steps = session.stepper.steps
    first = next(s.index for s in steps if s.phase == "forward")
    loss = next(s.index for s in steps if s.phase == "loss")
    backward = max(s.index for s in steps if s.phase == "backward")
    return [first, loss, backward, steps[-1].index]


# The zooms walked for a preset whose Ctrl+= rule is not checked (zoom_walk.NOT_HELD: no step-to-step
# comparison needs every zoom), shared between the two screens so that each zoom is walked on one.
SHARED_ZOOMS = {"1024x768": (-2, 0, 2, 3), "1280x720": (-1, 1, 3)}


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
def test_every_neurons_number_keeps_its_figures_at_every_zoom(qtbot, screen_name):
    window, session = window_on_screen(qtbot, screen_name)
    graph, checked, smaller = window.graph, 0, []
    for preset in PRESETS:
        session.load_preset(preset)
        before = {}
        for zoom in range(-2, 4) if held(preset, "lecture") else SHARED_ZOOMS[screen_name]:
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            for _ in range(3):
                QtWidgets.QApplication.processEvents()
            for index in _samples(session):
                session.seek(index)
                graph.grab()
                where = f"{screen_name} {preset} zoom {zoom:+d} {graph.width()}×{graph.height()} micro-step {index + 1}"
                checked += check_node_numbers(graph, where)
                assert not collisions(graph), (where, collisions(graph)[:4])     # (test_short_graph.py)
                if index == _samples(session)[2] and held(preset, "lecture"):     # (Ctrl+=: at the last backward one)
                    numbers = number_sizes(graph)
                    smaller += smaller_numbers(before, numbers, f"{where} (from zoom {zoom - 1:+d})", zoom)[0]
                    before = numbers
    assert checked > 500
    assert not smaller, f"{len(smaller)} numbers drawn smaller after Ctrl+=, e.g. {smaller[:6]}"


@pytest.mark.parametrize("value", [-0.0009998, 0.008146, -3.38e-05, 12345.6, -0.03810])
def test_a_number_too_wide_for_its_node_widens_the_node(qtbot, session, value):
    """A small graph at zoom +3 (the neurons' font at its floor): the number keeps its 4 figures,
    in a node drawn as wide as it needs, never below the floor; edge numbers keep clear of that width."""
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    graph = shown_graph(qtbot, session, 480, 260)
    k = 1
    text, font, half_w = graph.node_number(k, value)
    assert float(text) == float(f"{value:.3e}")
    assert font.pointSizeF() >= graph.number_floor_pt() - 1e-9
    from PySide6 import QtGui
    advance = QtGui.QFontMetricsF(font).horizontalAdvance(text)
    lay = graph.graph_layout
    room = lay.text_rect(k, 0.0, 0.0)[2] if half_w <= lay.half_w[k] else 2 * (half_w - TEXT_PAD)
    assert advance <= room + 0.5, (text, advance, room)
    assert half_w <= graph.number_half_w(k) + 1e-9


# The Training layout's walk: the presets whose numbers once shrank (iris and mazur, in the Lecture
# layout) on both screens, the rest shared between the two screens (spirals, 16 wide, where the
# graph is narrower; digits, ten outputs, where it is shorter).  (The Lecture layout's Ctrl+=
# walk rides on the walks above and in test_edge_labels.py, which cover every preset.)
TRAINING_WALK = {"1024x768": ["iris", "mazur", "xor", "diagram", "spirals"], "1280x720": ["iris", "mazur", "diagram", "wong", "digits"]}


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
def test_ctrl_equal_never_makes_a_number_smaller_in_the_training_layout(qtbot, screen_name):
    """Zooming in step by step (−2 … +3) in the Training layout of a 1024×768 and a 1280×720 screen,
    no neuron's or edge's number is drawn smaller than at the zoom step below: compared number by
    number at the same micro-step (the last backward one, every δ and ∂C/∂w known), in pixels
    (zoom_walk.smaller_numbers).
    Every preset of zoom_walk.NOT_HELD but those it names is walked on one of the screens or both
    (TRAINING_WALK); every preset's Lecture layout in
    test_every_neurons_number_keeps_its_figures_at_every_zoom and
    test_edge_labels.test_the_lecture_layout_prints_every_edge_value_at_every_zoom."""
    window, session = window_on_screen(qtbot, screen_name)
    window.layouts.switch("training")
    qtbot.wait(300)
    graph, smaller, compared = window.graph, [], 0
    for preset in TRAINING_WALK[screen_name]:
        assert held(preset, "training")
        session.load_preset(preset)
        index = max(s.index for s in session.stepper.steps if s.phase == "backward")
        before = {}
        for zoom in range(-2, 4):
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            for _ in range(3):
                QtWidgets.QApplication.processEvents()
            session.seek(index)
            graph.grab()
            numbers = number_sizes(graph)
            found, n = smaller_numbers(before, numbers, f"{screen_name} training {preset} zoom {zoom - 1:+d} → {zoom:+d}", zoom)
            smaller, compared, before = smaller + found, compared + n, numbers
    assert not smaller, f"{len(smaller)} numbers drawn smaller after Ctrl+=, e.g. {smaller[:6]}"
    assert compared > 50


def test_the_zoom_walks_cover_every_preset():
    """Every preset's Ctrl+= rule is walked in both layouts unless zoom_walk.NOT_HELD says why not."""
    from engine.presets import PRESETS as ALL
    from test_edge_labels import LECTURE_PRESETS
    lecture = set(PRESETS) | set(LECTURE_PRESETS)
    training = {p for walk in TRAINING_WALK.values() for p in walk}
    for preset in ALL:
        assert preset in lecture or not held(preset, "lecture"), preset
        assert preset in training or not held(preset, "training"), preset


def test_ctrl_0_draws_the_graph_as_at_the_start_from_either_side(qtbot):
    """Ctrl+0 restores the graph exactly (issue 12): every text it draws (its place, size and words)
    is as at the start at zoom 0, whether Ctrl+0 comes from zoom −1 (a step up to zoom 0, which the
    Ctrl+= rule must not turn into a held layout) or from +1.  (Before: wong at 1024×768 back from
    −1 kept −1's 10.5-pt edge numbers with its caption and legend keys left out; from the start it
    shows its caption and 8.4-pt edge numbers.)"""
    window, session = window_on_screen(qtbot, "1024x768", "wong")
    graph, zoom = window.graph, window.presentation

    def drawn() -> list:
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        session.seek(_samples(session)[2])
        graph.grab()
        return sorted((t.kind, t.text, round(t.font.pointSizeF(), 2), t.rect.toRect().getRect()) for t in graph.texts)

    start = drawn()
    for away in (zoom.zoom_out, zoom.zoom_in):
        away.trigger()
        assert drawn() != start
        zoom.zoom_reset.trigger()
        assert drawn() == start, away.text()
