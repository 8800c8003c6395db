"""The lesson screen at 1280×720 and 1024×768: on every slide of every built-in lesson the caption
band's note is shown whole (it wraps and the band takes the height it needs), the band sits under
the graph, never over it, and in the Lecture layout the graph keeps GRAPH_MIN (less high over a
comparison run's graph, both graphs drawing every neuron's number); a Predict slide's entry sits
under the companion, tall enough that its verdict does not scroll, and goes back under the graph
when the lesson closes.  At zoom +3 (a sample of the longest notes and titles) the companion
keeps the width it has without a lesson and the graph keeps GRAPH_MIN_LESSON, the note's size stepping
down for it; beside a comparison run the main graph keeps only its least, the note its own size."""
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.lessons.builtin import ORDER, builtin_path
from gui.shell.layouts import GRAPH_MIN_LESSON
from gui.widgets.lesson_bar import NOTE_FLOOR, NOTE_SCALE
from helpers import check_node_numbers, window_on_screen

_Area = QtCore.Qt.DockWidgetArea


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _check_slide(window, where: str, zoomed: bool = False) -> None:
    """The note whole, the band under the graph, and (unless ``zoomed``: see the zoom +3 test) the
    graph at least the layout's least (GRAPH_MIN in the Lecture layout, less high while a comparison
    run's graph shares its height, both graphs then drawing every neuron's number)."""
    bar, graph, note = window.lessons.bar, window.graph, window.lessons.bar.note
    if note.isVisible():
        assert note.height() >= note.heightForWidth(note.width()), f"{where}: the note is cut"
    top = bar.mapTo(window, QtCore.QPoint(0, 0)).y()
    assert top >= graph.mapTo(window, QtCore.QPoint(0, graph.height())).y(), f"{where}: the band is over the graph"
    if window.session.settings.layout == "lecture" and not zoomed:
        least = window.layouts.graph_min()
        assert graph.height() >= least.height() and graph.width() >= least.width(), \
            f"{where}: graph {graph.size().toTuple()}"
    if window.session.compare is not None and not zoomed:
        check_node_numbers(graph, where)
        check_node_numbers(window.compare_graph, f"{where}, the comparison")


# each built-in lesson walked at one of the two screens at zoom 0 (vanishing's training slide alone is ~7 s)
ZOOM_0_WALK = {"1280x720": ["jacobians", "vanishing"], "1024x768": ["mazur", "matrix-form", "differentials"]}


@pytest.mark.parametrize("screen", list(ZOOM_0_WALK))
def test_every_slide_shows_its_whole_note_under_the_graph(qtbot, screen):
    """Every slide of every built-in lesson at zoom 0, each lesson at one of the two screens (the
    suite's time: both screens for all of them cost 50-60 s; the zoom +3 test samples both)."""
    assert sorted(sum(ZOOM_0_WALK.values(), [])) == sorted(ORDER), "a built-in lesson no screen walks"
    window, session = window_on_screen(qtbot, screen)
    try:
        for name in ZOOM_0_WALK[screen]:
            assert window.lessons.open_path(builtin_path(name), present=False)
            player = window.lessons.player
            for n in range(player.count):
                player.go_to(n)
                if player.training is not None:
                    player.next()                    # the slide's training, finished at once
                _settle()
                _check_slide(window, f"{name} slide {n + 1} at {screen}")
            window.lessons.close_lesson()
    finally:
        session.stop()
        window.close()


@pytest.mark.parametrize("screen", ["1280x720", "1024x768"])
def test_a_predict_slides_verdict_is_read_without_scrolling(qtbot, screen):
    window, session = window_on_screen(qtbot, screen)
    dock, panel = window.docks["predict"], window.predict_panel
    try:
        assert window.lessons.open_path(builtin_path("mazur"), present=False)
        player = window.lessons.player
        player.go_to(5)                                           # "Output error signal: predict it"
        _settle()
        assert session.settings.predict and window.dockWidgetArea(dock) == _Area.RightDockWidgetArea
        session.quiz.set_answer(session.quiz.question().entries[0], 0.5)      # wrong
        player.next()                                             # the reveal; ∂C/∂W² (2×2) asked next
        qtbot.waitUntil(lambda: panel.verdict_area.verticalScrollBar().maximum() == 0, timeout=3000)
        assert "you 0.5" in panel.verdict.text() and len(panel.fields) == 4
        scroll = dock.widget()                                    # nothing of the panel is cut off
        assert scroll.verticalScrollBar().maximum() == 0 and scroll.horizontalScrollBar().maximum() == 0
        _check_slide(window, f"mazur slide 6 at {screen}")
        assert dock in window.tabifiedDockWidgets(window.docks["matrices"])     # the companion's tab, as
        window.lessons.close_lesson()                             # predict mode's entry is without a lesson
        assert dock.isHidden() or dock in window.tabifiedDockWidgets(window.docks["matrices"])
    finally:
        session.stop()
        window.close()


def test_a_predict_slide_at_zoom_3_fits_the_width_of_its_column(qtbot):
    """Mazur's Predict slide at 1024×768, zoom +3: the entry beside the graph (about 235 px) stacks
    to the column's width, no sideways scroll bar (the stacked entry needed 290 px: its title, score
    and second tolerance box were cut)."""
    from gui.shell.presentation import ZOOM_STEP
    window, session = window_on_screen(qtbot, "1024x768")
    dock, panel = window.docks["predict"], window.predict_panel
    try:
        session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
        assert window.lessons.open_path(builtin_path("mazur"), present=False)
        window.lessons.player.go_to(5)                            # "Output error signal: predict it"
        qtbot.waitUntil(lambda: dock.isVisible() and bool(panel.fields), timeout=3000)
        _settle()
        view = dock.widget().viewport()
        assert panel.narrow and panel.width() <= view.width(), (panel.width(), view.width())
        assert dock.widget().horizontalScrollBar().maximum() == 0
    finally:
        session.stop()
        window.close()


# the longest notes and titles of the built-in lessons (1-based slides), and D's pictures' slides
ZOOM_3_SAMPLE = {"1024x768": {"vanishing": [9, 10], "jacobians": [5], "matrix-form": [12]},
                 "1280x720": {"matrix-form": [8], "differentials": [5], "mazur": [9, 10]}}


@pytest.mark.parametrize("screen,zoom", [("1024x768", 2), ("1280x720", 3)])
def test_beside_a_comparison_the_note_has_its_size_and_both_graphs_their_numbers(qtbot, screen, zoom):
    """W's #712: on the slides with a comparison run (vanishing 7 against tanh, 8 against ReLU) the
    band left the main graph GRAPH_MIN_LESSON (300 px), so the note was at its floor (1.0× the
    window's font, ~12 px, at 1024×768 and 1280×720 from zoom 0) while the graph drew its content in
    ~200 px.  Now the main graph keeps its least there (GraphView's own, or where the note does not
    fit then, its least numbered height): the note at its own size, both graphs numbering every
    neuron, neither scrolled (at 1024×768, zoom +2, the comparison shared the height before the
    slide's note was in the band and scrolled 70 of its 200 px)."""
    from gui.shell.presentation import ZOOM_STEP
    window, session = window_on_screen(qtbot, screen)
    note, scroll = window.lessons.bar.note, window.docks["comparison"].widget()
    try:
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        _settle()
        assert window.lessons.open_path(builtin_path("vanishing"), present=False)
        for n in (7, 8):
            window.lessons.player.go_to(n - 1)
            _settle()
            where = f"vanishing slide {n} at {screen}, zoom +{zoom}"
            assert session.compare is not None, where
            assert note.scale == NOTE_SCALE, f"{where}: note ×{note.scale}, graph {window.graph.height()} px"
            _check_slide(window, where)                   # (both graphs number every neuron)
            assert scroll.verticalScrollBar().maximum() == 0, \
                f"{where}: the comparison scrolls ({scroll.viewport().height()} px of {window.compare_graph.height()})"
    finally:
        session.stop()
        window.close()


def _arrangement(window) -> tuple:
    """The graph's and the caption band's rectangles and the note's size: what a picture shows of a
    slide's arrangement (vanishing's training slide painted a 200-px graph under a note at 1.0×, then
    a cut band, for 1–2 s after the slide was reached, before its final arrangement: d-findings #57)."""
    bar = window.lessons.bar
    return window.graph.geometry().getRect(), bar.geometry().getRect(), bar.note.scale


def _front_companion(window) -> QtWidgets.QDockWidget:
    right = [d for d in window.docks.values() if d.isVisible() and not d.visibleRegion().isEmpty()
             and window.dockWidgetArea(d) == _Area.RightDockWidgetArea]
    assert right, "no companion beside the graph"
    return right[0]


@pytest.mark.parametrize("screen,theme", [("1024x768", "dark"), ("1280x720", "light")])
def test_at_zoom_3_a_lesson_keeps_the_companions_width_and_shows_its_whole_note(qtbot, screen, theme):
    """D's #47 and #48 (1024×768, zoom +3): the slide's title, one line wide, made the graph's column
    its width and left the companion ~220 px of its 356 (the Matrices cut behind sideways scroll bars);
    the note's whole height plus the graph's made the band lose its last lines.  Now the title wraps
    (whole: its height is its wrapped height), the companion keeps its width, and the note (whole,
    inside the window) steps its size down from NOTE_SCALE so that the graph keeps GRAPH_MIN_LESSON,
    taking more only at NOTE_FLOOR.  Vanishing's training slide (Training layout, its comparison run
    beside): the settings bar's two rows and the Training layout's own least (200 px) left the graph
    200–250 px, seven columns of pills without numbers; now the settings bar hides while a lesson is
    open on a small screen (back when it closes) and every neuron carries its number.  Jacobians'
    slide 5 names the shape its heatmap is drawn in ("a 2×4 matrix" under a "(∂z²/∂z¹)ᵀ (4×2)")."""
    from gui.shell.presentation import ZOOM_STEP
    window, session = window_on_screen(qtbot, screen)
    bar, note, column = window.lessons.bar, window.lessons.bar.note, window.centralWidget()
    try:
        session.settings.theme = theme
        session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
        _settle()
        alone = window.docks["matrices"].width()
        for name, slides in ZOOM_3_SAMPLE[screen].items():
            assert window.lessons.open_path(builtin_path(name), present=False)
            for n in slides:
                window.lessons.player.go_to(n - 1)
                at_once = _arrangement(window)            # as the window's first paint after the slide sees it
                _settle()
                where = f"{name} slide {n} at {screen}, zoom +3"
                assert _arrangement(window) == at_once, f"{where}: {at_once} first, then {_arrangement(window)}"
                _check_slide(window, where, zoomed=True)
                assert window.settings_bar.isHidden(), f"{where}: the settings bar takes the graph's rows"
                if session.settings.layout == "training":
                    window.graph.grab()
                    assert check_node_numbers(window.graph, where) >= sum(session.net.sizes), where
                jacobian, words = window.heatmaps.heatmaps["jacobian"], note.note.replace("\\times", "×").replace(" ", "")
                if not jacobian.visibleRegion().isEmpty() and jacobian.matrix is not None and "×" in words:
                    check = window.heatmaps._width_check     # the panel's check of its numbers (transposed for them)
                    for _ in range(4):
                        qtbot.waitUntil(lambda: not check.isActive(), timeout=5000)
                        _settle()
                    drawn = "{}×{}".format(*jacobian.matrix.shape)      # a note naming a shape beside the Jacobian's
                    assert drawn in words.replace("$", ""), (where, drawn)     # heatmap names the shape drawn
                companion = _front_companion(window)
                least = alone - 2 if session.settings.layout == "lecture" else \
                    min(alone - 2, window.loss.minimumSizeHint().width())   # (the loss's column gives the graph edge room)
                assert companion.width() >= least, f"{where}: companion {companion.width()} px, {alone} without a lesson"
                if isinstance(companion.widget(), QtWidgets.QScrollArea):
                    assert not companion.widget().horizontalScrollBar().isVisible(), f"{where}: sideways scroll bar"
                for label in (bar.title, bar.within):        # wrapped as their fonts wrap them at their widths
                    box = label.contentsRect().adjusted(max(0, label.indent()), 0, 0, 0)
                    flags = QtCore.Qt.TextFlag.TextWordWrap
                    lines = QtGui.QFontMetrics(label.font()).boundingRect(box, flags, label.text()).height()
                    assert lines <= label.height() <= lines + 2 or not label.text(), \
                        f"{where}: {label.text()!r} {label.height()} px for {lines} px of text"
                fm = QtGui.QFontMetricsF(bar.counter.font())
                assert fm.horizontalAdvance(bar.counter.text()) <= bar.counter.contentsRect().width() + 1, where
                assert bar.mapTo(column, QtCore.QPoint(0, bar.height())).y() <= column.height(), f"{where}: band cut"
                assert NOTE_FLOOR <= note.scale <= NOTE_SCALE
                alone = session.compare is None           # (beside a comparison: both graphs numbered, below)
                least = GRAPH_MIN_LESSON if note.scale > NOTE_FLOOR and alone else window.graph.minimumHeight()
                assert window.graph.height() >= least, f"{where}: graph {window.graph.height()} px, note ×{note.scale}, band {bar.height()} px"
            window.lessons.close_lesson()
            assert window.settings_bar.isVisible() == (session.settings.layout == "training"), f"{name} closed"
    finally:
        session.stop()
        window.close()
