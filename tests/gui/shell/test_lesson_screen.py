"""The lesson screen at 1280×720 and 1024×768: on every slide of every built-in lesson the caption
band's note is shown whole (it wraps and the band takes the height it needs), the band sits under
the graph, never over it, and in the Lecture layout the graph keeps GRAPH_MIN; a Predict slide's
entry sits under the companion, tall enough that its verdict does not scroll, and goes back under
the graph when the lesson closes."""
import pytest
from PySide6 import QtCore, QtWidgets

from gui.lessons.builtin import ORDER, builtin_path
from gui.shell.layouts import GRAPH_MIN
from helpers import window_on_screen

_Area = QtCore.Qt.DockWidgetArea


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _check_slide(window, where: str) -> None:
    bar, graph, note = window.lessons.bar, window.graph, window.lessons.bar.note
    if note.isVisible():
        assert note.height() >= note.heightForWidth(note.width()), f"{where}: the note is cut"
    top = bar.mapTo(window, QtCore.QPoint(0, 0)).y()
    assert top >= graph.mapTo(window, QtCore.QPoint(0, graph.height())).y(), f"{where}: the band is over the graph"
    if window.session.settings.layout == "lecture":
        assert graph.height() >= GRAPH_MIN.height() and graph.width() >= GRAPH_MIN.width(), \
            f"{where}: graph {graph.size().toTuple()}"


@pytest.mark.parametrize("screen", ["1280x720", "1024x768"])
def test_every_slide_shows_its_whole_note_under_the_graph(qtbot, screen):
    window, session = window_on_screen(qtbot, screen)
    try:
        for name in ORDER:
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
