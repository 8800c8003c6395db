"""The companion's width in the Lecture layout, and what deciding it costs a key (issue 12's zoom
latency): the companion widens for a panel's numbers (the heatmaps', the Predict entry's question)
only as long as that panel needs it, and the window does not lay the graph out for checks that
have nothing to do."""
from PySide6 import QtCore, QtWidgets

from gui.shell import layouts as layouts_mod
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
