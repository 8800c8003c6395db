"""The companion's width in the Lecture layout, and what deciding it costs a key (issue 12's zoom
latency): the companion widens for a panel's numbers (the heatmaps', the Predict entry's question)
only as long as that panel needs it, and the window does not lay the graph out for checks that
have nothing to do."""
from PySide6 import QtCore, QtWidgets

from gui.shell import layouts as layouts_mod
from gui.shell.presentation import ZOOM_STEP
from gui.widgets.graph.view import GraphView
from helpers import window_on_screen


def _settle() -> None:
    for _ in range(4):
        QtCore.QCoreApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents()


def test_edge_room_lays_nothing_out_outside_the_training_layout(qtbot, monkeypatch):
    """give_edge_values_room runs after every step key whose graph leaves edge values out: in the
    Lecture layout, where it has nothing to do, it no longer sends the window's posted layouts
    first (a layout pass at every such key); in a small screen's Training layout with the loss in
    the boundary's place (iris: its boundary has nothing to draw) it still lays the window out
    before it reads the graph."""
    window, session = window_on_screen(qtbot, "1024x768", "iris")
    flushes = []
    lay_out_now = layouts_mod.lay_out_now
    monkeypatch.setattr(layouts_mod, "lay_out_now", lambda *a: (flushes.append(a), lay_out_now(*a))[1])
    assert session.settings.layout == "lecture"
    window.layouts.give_edge_values_room()
    assert flushes == []
    window.layouts.switch("training")
    qtbot.wait(100)
    assert window.layouts.small_screen() and window.layouts._boundary_empty
    flushes.clear()
    window.layouts.give_edge_values_room()
    assert flushes, "the Training layout's check reads the graph at its size now"
    window.close()


def test_predict_mode_off_gives_the_companion_its_width_back_at_once(qtbot):
    """Iris at 1024×768, Lecture layout: the companion widens for the Predict entry's ∂C/∂W¹ (8×4,
    one block of four columns), the graph narrower; predict mode off, the companion is back to its
    own share at once (it stayed wide until another run, zoom or layout; given back, the graph was
    then squeezed under GRAPH_MIN by keep_graph_room reading the graph before the window had laid
    it out at the new width: the companion 70 px narrower than its share), and on again it widens
    again.  Turned off while zoomed in, Ctrl+0 (which restores the arrangement from before the
    zoom) brings back neither the entry (it showed the Predict dock again, predict mode off) nor
    the width."""
    window, session = window_on_screen(qtbot, "1024x768", "iris")
    graph = window.graph
    _settle()
    own = graph.width()                                 # beside the companion at its own share

    def predict(on: bool) -> None:
        session.settings.predict = on
        if on:
            qtbot.waitUntil(lambda: window.predict_panel.isVisible()
                            and not window.predict_panel.visibleRegion().isEmpty(), timeout=3000)
            for step in (8, 9):                         # asked anew: δ¹, then ∂C/∂W¹
                session.seek(step)
                qtbot.wait(30)
                _settle()
        _settle()

    for _ in range(2):
        predict(True)
        assert session.quiz.question().quantity == "dC_dW"
        assert graph.width() < own - 40, ("the companion widens for the question", graph.width(), own)
        predict(False)
        assert graph.width() == own, ("back at once", graph.width(), own)
    predict(True)
    narrow = graph.width()
    assert narrow < own - 40
    window.presentation.zoom_in.trigger()
    _settle()
    predict(False)
    window.presentation.zoom_reset.trigger()
    qtbot.wait(50)
    _settle()
    assert window.docks["predict"].isHidden(), "Ctrl+0's arrangement from before the zoom showed the entry again"
    assert graph.width() == own, ("Ctrl+0 after predict mode went off while zoomed", graph.width(), own, narrow)
    window.close()


def test_a_refused_widening_is_not_tried_again_at_the_same_zoom(qtbot, monkeypatch):
    """Iris at 1024×768, zoom +2, δ¹: the heatmaps ask for more width than the graph can give and
    keep its 24 edge values; the companion tries it (the graph laid out at the narrower width) and
    gives it back.  Zoomed to +3 and back to +2, the same request is refused without laying the
    graph out at that width again (0.3 s of iris's layout); another run may try again."""
    window, session = window_on_screen(qtbot, "1024x768", "iris")
    first, graph = window.docks["matrices"], window.graph
    session.seek(9)
    first.raise_()
    session.settings.font_scale = round(ZOOM_STEP ** 2, 4)
    _settle()
    widths = []
    relayout = GraphView._relayout

    def counted(view):
        if view is graph:
            widths.append(view.width())
        relayout(view)
    monkeypatch.setattr(GraphView, "_relayout", counted)
    own, at = first.width(), graph.width()
    want = own + at - layouts_mod.GRAPH_MIN_NUMBERS - 4          # (within what the graph could give)
    width = want - first.width() + layouts_mod.width_in_sight(window.heatmaps)

    def ask() -> None:
        widths.clear()
        window.heatmaps.wants_width.emit(width)
        graph.edge_note                                     # noqa: B018 (the graph laid out, as a paint would)
        _settle()

    ask()
    assert min(widths) < at - 100, ("tried at the narrower width", widths, at)
    assert first.width() == own and graph.width() == at, "refused: the graph loses edge values at that width"
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    _settle()
    session.settings.font_scale = round(ZOOM_STEP ** 2, 4)
    _settle()
    own, at = first.width(), graph.width()
    ask()
    assert all(w >= at for w in widths), ("not tried again", widths, at)
    assert first.width() == own
    session.load_preset("iris")                              # another run: tried again
    session.seek(9)
    _settle()
    ask()
    assert min(widths) < at - 100, ("another run tries again", widths, at)
    session.settings.font_scale = 1.0
    window.close()


def test_a_new_run_is_not_laid_out_by_the_layouts_before_the_window_settles(qtbot, monkeypatch):
    """A step (a new run's first step among them) asks whether the loss column can give the graph's
    edge values room without reading the graph: reading graph.edge_note laid the graph out there and
    then, at the size it had in the arrangement being left (a lesson's slide that loads a run and
    switches layout: 0.6–1.1 s of iris).  In the Lecture layout nothing lays the graph out during
    the load; where the loss column can give room (1024×768's Training layout, iris) the check is
    still made, after the key."""
    window, session = window_on_screen(qtbot, "1024x768", "mazur")
    graph, laid_out = window.graph, []
    relayout = GraphView._relayout
    monkeypatch.setattr(GraphView, "_relayout", lambda view: (laid_out.append(view) if view is graph else None,
                                                              relayout(view))[1])
    session.load_preset("iris")
    assert laid_out == [], "laid out during the load, before the window settled"
    _settle()
    assert laid_out, "laid out once the window paints"
    window.layouts.switch("training")
    qtbot.wait(100)
    asked = []
    give = window.layouts.give_edge_values_room
    monkeypatch.setattr(window.layouts, "give_edge_values_room", lambda: (asked.append(1), give())[1])
    session.seek(3)
    qtbot.wait(50)
    assert asked, "the Training layout's loss column is asked at a step"
    window.close()
