"""A short graph (the Training layout's strip, a high zoom): every text the graph draws (caption,
layer names and sizes, notes, legend, class names, the input picture and its caption, the numbers
on neurons and edges) has a rectangle clear of the neurons and of every other text, inside the
graph (collisions.py); what has no room is left out in the order of legend.SHORT_DROPS, never
drawn over something.  Before: at 1024×768 zoom +3 in the Training layout (a 601×212 graph) the
"Edge values shown" note ran over the neurons and the legend over the layer names, and at the
Training layout's least graph (480×200) the digits' ten outputs lost their numbers.  The Lecture
layout is checked at every zoom by test_edge_labels.py and test_node_numbers.py."""
import pytest
from PySide6 import QtWidgets

from collisions import collisions
from gui.shell.layouts import GRAPH_MIN_TRAINING
from gui.shell.presentation import ZOOM_STEP
from gui.widgets.graph import legend
from gui.widgets.graph.view import EDGE_NOTE, EDGE_NOTE_SHORT
from helpers import check_node_numbers, shown_graph, window_on_screen

PRESETS = ["mazur", "xor", "diagram", "wong", "vanishing", "iris", "digits", "spirals", "sine"]


def _samples(session) -> list[int]:
    """The first forward micro-step (z on the neurons), the last backward one and the update."""
    steps = session.stepper.steps
    return [next(s.index for s in steps if s.phase == "forward"), max(s.index for s in steps if s.phase == "backward"),
            steps[-1].index]


@pytest.mark.parametrize("preset", PRESETS)
def test_the_training_layouts_least_graph_draws_nothing_over_anything(qtbot, session, preset):
    """At GRAPH_MIN_TRAINING, unzoomed and at zoom +3: no two drawn things meet; edge numbers left
    out for want of room are noted (unless the notes were left out too); unzoomed every neuron of a
    layer up to 10 wide carries its number at 4 figures (the digits' outputs too)."""
    session.load_preset(preset)
    size = (GRAPH_MIN_TRAINING.width(), GRAPH_MIN_TRAINING.height())
    graph = shown_graph(qtbot, session, *size)
    for zoom in (0, 3):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        for index in _samples(session):
            session.seek(index)
            graph.grab()
            where = f"{preset} {size} zoom {zoom:+d} micro-step {index + 1}"
            assert not collisions(graph), (where, graph.dropped, collisions(graph)[:4])
            shown, wanted = graph.edge_numbers_shown
            if shown < wanted and "notes" not in graph.dropped:       # what is left out is noted (short or long)
                notes = {EDGE_NOTE.format(shown=shown, total=wanted), EDGE_NOTE_SHORT.format(shown=shown, total=wanted)}
                assert notes & {t.text for t in graph.texts}, (where, graph.dropped, [t.text for t in graph.texts])
            if zoom == 0 and preset != "vanishing":       # (its seven columns side by side in 480 px: too narrow)
                check_node_numbers(graph, where)


@pytest.mark.parametrize("screen_name, presets", [("1024x768", ("spirals", "digits", "diagram", "iris")),
                                                   ("1280x720", ("spirals", "xor"))])
def test_the_training_layout_at_zoom_plus_3(qtbot, screen_name, presets):
    """The Training layout of a 1024×768 screen at zoom +3 (its graph about 600×210, started on
    spirals, whose boundary keeps the graph short) and of a 1280×720 one (graph | loss | boundary,
    the graph about 576×420): nothing drawn over anything, every neuron's number at 4 figures (the
    digits' ten outputs; the spirals' 2-16-16-2 lost its inputs' and outputs' at +2 and +3 in the
    480 px the graph had at 1280×720).  At 1024×768 iris prints all 24 of its edge values, the loss
    beside the graph (in the boundary's place) giving it width down to the loss panel's least
    (layouts.give_edge_values_room; before: 21 of 24 at 601 px, 16 in a real window)."""
    window, session = window_on_screen(qtbot, screen_name, presets[0])
    window.layouts.switch("training")
    qtbot.wait(300)                          # arranged before the zoom remembers the arrangement
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    qtbot.wait(300)                          # the zoom's relayout and the loss panel's room taken back
    graph = window.graph
    if screen_name == "1024x768":
        assert graph.height() < 300, graph.size()   # the boundary's column beside, the loss under the graph
    else:
        assert graph.width() < 600, graph.size()
    for preset in presets:          # (1024×768: digits and diagram, the loss in the boundary's room)
        if session.preset_name != preset:
            session.load_preset(preset)
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        for index in _samples(session)[1:]:
            session.seek(index)
            graph.grab()
            where = f"{preset} {graph.width()}×{graph.height()} micro-step {index + 1}"
            assert not collisions(graph), (where, graph.dropped, collisions(graph)[:4])
            assert check_node_numbers(graph, where) >= {"digits": 10, "spirals": 2}.get(preset, 0), where
            if preset == "iris":
                assert graph.edge_numbers_shown == (24, 24), (where, graph.edge_numbers_shown)
                assert window.loss.width() >= window.loss.minimumSizeHint().width(), where
    window.close()


def test_a_short_graph_leaves_out_its_texts_in_the_stated_order(qtbot, session):
    """Shorter and shorter, the digits' graph at zoom +3 leaves out a longer and longer start of
    legend.SHORT_DROPS (the caption, the legend's keys, the legend, the notes' long wording, the layer sizes, the
    notes, the margins), nothing where it is tall; what is left out is not drawn, nothing meets
    anything, and the ten outputs keep their numbers throughout.  (A taller graph may leave out
    more, up to view.NUMBER_DROPS, where that keeps its neurons' numbers larger: Ctrl+= never
    makes them smaller.)"""
    session.load_preset("digits")
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    graph = shown_graph(qtbot, session, 600, 900)
    session.seek(_samples(session)[1])
    seen = []
    for height in [*range(900, 230, -35), 212, 200]:
        graph.resize(600, height)
        graph.grab()
        dropped = graph.dropped
        assert dropped == legend.SHORT_DROPS[:len(dropped)], (height, dropped)
        pt = graph.value_font_.pointSizeF()          # (more left out above only where the numbers were larger so)
        assert not seen or len(dropped) >= len(seen[-1][0]) or seen[-1][1] > pt, (height, dropped, pt, seen[-1])
        seen.append((dropped, pt))
        drawn = {t.text for t in graph.texts}
        assert ("legend" in dropped) == (not any(what == "colour bar" for what, _r in graph.shapes)), (height, dropped)
        assert ("legend keys" in dropped) == ("not computed yet" not in drawn), (height, dropped)
        assert ("layer sizes" in dropped) == ("64 inputs" not in drawn), (height, dropped)
        notes = {t.text for t in graph.texts if t.text.endswith(("2,048 edges", "edges shown"))}
        assert notes <= ({"64 inputs: showing the 160 strongest of 2,048 edges", "160 of 2,048 edges shown"}
                         if "long notes" not in dropped else {"160 of 2,048 edges shown"} if "notes" not in dropped
                         else set()), (height, dropped, notes)
        assert not collisions(graph), (height, dropped, collisions(graph)[:4])
        assert check_node_numbers(graph, f"digits 600×{height} zoom +3") == 10
    assert seen[0][0] == () and seen[-1][0] == legend.SHORT_DROPS, seen
