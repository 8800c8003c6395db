"""A comparison run's graph carries every neuron's number on the lecture screen (issue 12): XOR with
η = 0.5 against 0.05 from the Compare menu, in the Lecture layout at zoom +3 and the Training layout
at zoom 0, and vanishing's lesson slide 10 (sigmoid against tanh, trained in the Training layout),
and slide 8 (sigmoid against ReLU, Lecture layout) at zoom +3, at 1024×768 and 1280×720 (XOR also
at 1280×1024, where the comparison is a tab of the companion's strip under the graph).  In the companion's column (384 px wide at 1024×768) vanishing's
comparison drew 3 of its 25 neurons' numbers; under the main graph, as wide as it, both graphs draw
all of them, sharing the height evenly after a zoom too, and the window stays inside its screen.
On slide 8 at zoom +3 the room is short (385 px for both graphs at 1024×768, 351 at 1280×720): the
comparison's graph is shorter than GraphView's 200-px least rather than scrolled (15 / 49 px)."""
import pytest
from PySide6 import QtWidgets

from gui.lessons.builtin import builtin_path
from gui.shell.presentation import ZOOM_STEP
from helpers import check_node_numbers, window_on_screen


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _check_both(window, where: str, framed: bool = True) -> None:
    """(``framed`` False: a window whose frame a test fakes, not its frameGeometry, is not checked
    against the screen.)"""
    _settle()
    area = window.screen().availableGeometry()
    assert not framed or area.contains(window.frameGeometry()), \
        f"{where}: {window.frameGeometry().getRect()} outside {area.getRect()}"
    assert window.compare_graph.isVisible() and not window.compare_graph.visibleRegion().isEmpty(), where
    scroll = window.docks["comparison"].widget()         # the whole graph in sight, not scrolled
    assert scroll.verticalScrollBar().maximum() == 0 and scroll.horizontalScrollBar().maximum() == 0, where
    for graph, which in ((window.graph, "main graph"), (window.compare_graph, "comparison")):
        check_node_numbers(graph, f"{which}, {where} {graph.size().toTuple()}")
        _in_sight(graph, f"{which}, {where}")


def _in_sight(graph, where: str) -> None:
    """Every text the graph draws within it (a graph shorter than its layout's floor, 160 px, is laid
    out for the floor and drawn from its top: under 148 px vanishing's layer names were cut)."""
    graph.grab()
    low = max(t.rect.bottom() for t in graph.texts)
    assert low <= graph.height(), f"{where}: a text reaches {low:.0f} px in a graph {graph.height()} px tall"


@pytest.mark.parametrize("screen", ["1024x768", "1280x720", "1280x1024"])
def test_both_graphs_of_a_comparison_show_their_neurons_numbers(qtbot, screen):
    window, session = window_on_screen(qtbot, screen, "xor")
    try:
        assert session.start_comparison(eta=0.05) and session.config.eta == 0.5
        for _ in range(4):                               # the forward pass: the hidden neurons' values known
            session.next_step()
        for layout, zoom in (("lecture", 3), ("training", 0)):
            session.settings.layout = layout
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            qtbot.wait(300)                              # the layout's fits after a zoom (FIT_AGAIN_MS)
            _check_both(window, f"xor {layout} zoom {zoom:+d} at {screen}")
            if layout == "lecture" and not window.tabifiedDockWidgets(window.docks["comparison"]):
                # the two graphs share the height evenly at any zoom (within the central widget's least
                # height: 231 over 224 px at 1280×720, zoom +3)
                qtbot.waitUntil(lambda: abs(window.graph.height() - window.compare_graph.height()) <= 10, timeout=2000)
        if screen == "1280x1024":                        # (the lesson's slide: the two lecture screens)
            return
        session.settings.font_scale = 1.0
        session.stop_comparison()
        assert window.lessons.open_path(builtin_path("vanishing"), present=False)
        player = window.lessons.player
        player.go_to(7)                                  # "With ReLU" (Lecture layout, the derivation beside)
        session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
        qtbot.wait(300)
        _check_both(window, f"vanishing slide 8, zoom +3, at {screen}")
        session.settings.font_scale = 1.0
        player.go_to(9)                                  # "Train both side by side" (Training layout)
        player.next()                                    # its training, finished at once
        assert session.settings.layout == "training" and session.compare is not None
        _check_both(window, f"vanishing slide 10 at {screen}")
        window.lessons.close_lesson()
    finally:
        session.stop()
        window.close()


def test_a_comparison_lends_the_main_graph_height_for_its_edge_values(qtbot, monkeypatch):
    """Sine's 1-16-1 at 1024×768 with a comparison (η / 10), at its last backward micro-step: at zoom 0
    the two graphs share the height evenly (the dock just opened measured the comparison's graph at
    its least, 200 px, and gave the main graph 357 px over 224); at zoom +3 the even split (653×244
    px each) draws 24 of the main graph's 32 edge values: the comparison lends the main graph height
    until it draws them all, keeping its own neurons' numbers, unscrolled, the window inside the
    screen; back at zoom 0 the even split again.  (Wong's 3-4-3, the sample until the graph's
    planner gave edge values the neurons' room, now draws its 24 at the even split.)  The
    comparison's room is never short here, so its least height is never sought (from its dock just
    opened, 92 px tall, it was: the graph laid out at trial heights, 0.3-0.6 s)."""
    from gui.widgets.graph.edge_labels import EDGE_LABEL_MAX
    from gui.widgets.graph.view import GraphView
    sought = []
    monkeypatch.setattr(GraphView, "least_numbered_height", lambda graph, most, step=10: sought.append(most) or most)
    window, session = window_on_screen(qtbot, "1024x768", "sine")

    def edge_values(graph) -> tuple[int, int]:           # (drawn, known) on the graph's edges
        sizes, values = graph.session.net.sizes, graph.values
        known = sum(sizes[l] * sizes[l + 1] for l in range(len(sizes) - 1)
                    if sizes[l] * sizes[l + 1] <= EDGE_LABEL_MAX and values.edges[l] is not None)
        return sum(t.kind == "edge_number" for t in graph.texts), known

    try:
        session.seek(session.stepper.last - 1)           # every ∂C/∂w known
        assert session.start_comparison(eta=session.config.eta / 10)
        for zoom in (0, 3, 0):
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            qtbot.wait(300)                              # the layout's fits after a zoom (FIT_AGAIN_MS)
            where = f"sine, zoom {zoom:+d}"
            _check_both(window, where)
            drawn, known = edge_values(window.graph)
            assert drawn == known == 32, f"{where}: {drawn} of {known} edge values on the main graph"
            if zoom == 0:
                assert abs(window.graph.height() - window.compare_graph.height()) <= 10, where
            else:
                assert window.graph.height() > window.compare_graph.height() + 10, where
        assert not sought
    finally:
        session.stop()
        window.close()


def test_a_comparison_in_a_short_room_scrolls_rather_than_lose_its_numbers(qtbot):
    """Iris with a comparison (η / 10) at 1024×768, the Lecture layout, its last micro-step: the
    separator dragged down until the comparison's dock shows 140 px of it.  Its graph is never
    shorter than the least height at which it numbers every neuron with all it draws in sight
    (GraphView.least_numbered_height: 159 px at zoom 0, 170 at +3), so it scrolls there; with a
    least of 120 px (COMPARISON_MIN_H, before) it was squeezed to 140 px and lost its numbers at
    +3 (its layer names cut at zoom 0).  Dragged back, it has the dock's room again, unscrolled."""
    from PySide6 import QtCore
    window, session = window_on_screen(qtbot, "1024x768", "iris")
    dock, graph = window.docks["comparison"], window.compare_graph
    scroll = dock.widget()
    try:
        session.seek(session.stepper.last)
        assert session.start_comparison(eta=session.config.eta / 10)
        for zoom in (0, 3):
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            qtbot.wait(300)                              # the layout's fits after a zoom (FIT_AGAIN_MS)
            _settle()
            even = dock.height()
            window.resizeDocks([dock], [dock.height() - scroll.viewport().height() + 140], QtCore.Qt.Orientation.Vertical)
            qtbot.wait(50)
            _settle()
            where = f"iris, zoom {zoom:+d}, {scroll.viewport().height()} px of the comparison in sight"
            assert scroll.viewport().height() <= 145, where
            assert graph.height() > scroll.viewport().height() and scroll.verticalScrollBar().maximum() > 0, \
                (where, graph.height())
            check_node_numbers(graph, where)
            _in_sight(graph, where)
            window.resizeDocks([dock], [even], QtCore.Qt.Orientation.Vertical)
            _settle()
            assert scroll.verticalScrollBar().maximum() == 0, f"iris, zoom {zoom:+d}, dragged back"
    finally:
        session.stop()
        window.close()


def test_in_a_framed_window_the_main_graph_gives_a_short_comparison_what_it_lacks(qtbot, monkeypatch):
    """Vanishing's slide 8 (sigmoid against ReLU, Lecture layout) at zoom +3 on 1280×720 in a window
    framed as a real one is (a 20-px title bar): the two graphs have 331 px, where the main graph
    kept GraphView's 200 and the comparison's 131 scrolled it 17 px (before that, laid out for its
    160-px floor, its layer names were cut).  The comparison is as tall as its least numbered
    height (GraphView.least_numbered_height), the main graph giving it what it lacks: neither
    scrolls, both number every neuron with all they draw in sight, and the main graph keeps the
    rest.  Out of the lesson at zoom 0 both have GraphView's own least again."""
    from PySide6 import QtCore

    from gui.shell import layouts as layouts_mod
    monkeypatch.setattr(layouts_mod.Layouts, "_frame_extent", lambda self: QtCore.QSize(0, 20))
    window, session = window_on_screen(qtbot, "1280x720", "xor")
    try:
        assert window.lessons.open_path(builtin_path("vanishing"), present=False)
        window.lessons.player.go_to(7)
        session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
        qtbot.wait(400)
        where = "vanishing slide 8, zoom +3, 1280×720 framed"
        _check_both(window, where, framed=False)
        main, comparison = window.graph, window.compare_graph
        assert comparison.height() == comparison.minimumHeight() < 200 < main.height() + comparison.height(), \
            (where, main.height(), comparison.height())
        assert main.height() > comparison.height(), (where, main.height(), comparison.height())
        window.lessons.close_lesson()
        session.settings.font_scale = 1.0
        qtbot.wait(400)
        assert window.graph.minimumHeight() == window.compare_graph.minimumHeight() == 200     # a roomy split: their own
    finally:
        session.stop()
        window.close()
