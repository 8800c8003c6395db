"""The loss column beside the graph gives the graph's edge values room (Layouts.give_edge_values_room,
a small screen's Training layout with a run whose boundary has nothing to draw) trying few widths:
each tried width lays the graph out (0.1–1 s), and a run with untrained weights, which leaves edge
values out at any width, was tried at every EDGE_ROOM_STEP down to the loss panel's least width and
back (7 layouts at vanishing's zoom +3).  The width it keeps is the one a step-by-step scan finds."""
import math

import pytest
from PySide6 import QtCore, QtWidgets

from gui.shell.layouts import EDGE_ROOM_STEP, Layouts
from gui.shell.presentation import ZOOM_STEP
from gui.widgets.screen_fit import lay_out_now
from helpers import window_on_screen

_H = QtCore.Qt.Orientation.Horizontal


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _scanned(window, start: int, least: int) -> int:
    """The loss width a scan by EDGE_ROOM_STEP from ``start`` keeps: the first at which the graph
    leaves no edge value out; where there is none, the narrowest if the graph shows more of them
    there than at ``start``, else ``start``."""
    loss, graph = window.docks["loss"], window.graph
    window.resizeDocks([loss], [start], _H)
    lay_out_now()
    shown = graph.planned_edge_numbers[0]
    for width in range(start - EDGE_ROOM_STEP, least - 1, -EDGE_ROOM_STEP):
        window.resizeDocks([loss], [width], _H)
        lay_out_now()
        if not graph.edge_note:
            return loss.width()
    return loss.width() if graph.planned_edge_numbers[0] > shown else start


@pytest.mark.parametrize("preset, sizes", [("vanishing", None), ("iris", [4, 6, 3])])   # (iris's own 4-8-3 prints
def test_the_edge_room_search_tries_few_widths(qtbot, monkeypatch, preset, sizes):         # its 24 at the layout's share)
    search = Layouts.give_edge_values_room
    monkeypatch.setattr(Layouts, "give_edge_values_room", lambda self: None)    # the layout's own share first
    window, session = window_on_screen(qtbot, "1024x768", preset)
    if sizes is not None:
        assert session.change(sizes=sizes)
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    window.layouts.switch("training")
    _settle()
    monkeypatch.setattr(Layouts, "give_edge_values_room", search)
    loss, graph = window.docks["loss"], window.graph
    lay_out_now()
    assert window.layouts._loss_gives_edge_room() and graph.edge_note, "the sample must leave edge values out"
    start = loss.width()
    least = window.loss.minimumSizeHint().width() + start - window.loss.width()
    steps = (start - least) // EDGE_ROOM_STEP
    tried, resize = [], window.resizeDocks
    monkeypatch.setattr(window, "resizeDocks", lambda docks, sizes, o: (tried.append(sizes[0]), resize(docks, sizes, o))[1])
    window.layouts.give_edge_values_room()
    kept = loss.width()
    monkeypatch.setattr(window, "resizeDocks", resize)
    assert steps >= 4, f"the sample must have a search to make ({steps} steps)"
    assert len(tried) <= 2 * math.ceil(math.log2(steps)) + 1, f"{len(tried)} widths tried for {steps} steps: {tried}"
    if preset == "vanishing":           # untrained: values left out at any width; a step at a time tried them all
        assert graph.edge_note and len(tried) <= math.ceil(math.log2(steps)) + 2, tried
    assert kept == _scanned(window, start, least), (tried, kept)
    window.close()
