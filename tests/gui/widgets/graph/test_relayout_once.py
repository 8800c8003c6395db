"""A zoom key or a layout switch lays the network graph out once, for the size it is drawn at, not
once for the setting and once more for every resize on the way as the window settles
(GraphView.settle); and what it lays out then is what an eager layout at that size gives."""

import dataclasses
import traceback

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gui.widgets.graph import edge_labels
from gui.widgets.graph.view import GraphView
from helpers import shown_graph, window_on_screen


def drawn_geometry(graph) -> dict:
    """What a relayout decides, in comparable form: the layout's fields, the neurons' number
    font, the texts left out, the legend's rows and the edge numbers' places and fonts."""
    lay = dataclasses.asdict(graph.graph_layout)
    out = {name: np.round(np.asarray(value, float), 6).tolist() if name == "ys" else value
           for name, value in lay.items() if name != "ys"}
    out["ys"] = [np.round(np.asarray(y, float), 6).tolist() for y in graph.graph_layout.ys]
    out["font"], out["scale"] = graph.value_font_.pointSizeF(), graph.scale
    for name in ("planned_edge_numbers", "dropped", "legend_rows", "note_rows", "edge_note", "class_names_under"):
        out[name] = getattr(graph, name)
    out["plan"] = {l: (font.pointSizeF(), [None if s is None else (s.rect, s.anchor) for s in spots])
                   for l, (font, spots) in edge_labels.plan(graph).items()}
    return out


def counting(monkeypatch, graph) -> list:
    """The sizes ``graph`` is laid out at (GraphView._relayout), from now on."""
    sizes, relayout = [], GraphView._relayout

    def counted(self):
        if self is graph:
            sizes.append((self.width(), self.height()))
        relayout(self)
    monkeypatch.setattr(GraphView, "_relayout", counted)
    return sizes


@pytest.mark.parametrize("preset", ["mazur", "wong"])
def test_a_zoom_and_the_resizes_after_it_lay_the_graph_out_once(qtbot, monkeypatch, preset):
    from gui.session import Session
    session = Session(preset)
    graph = shown_graph(qtbot, session, 653, 608)
    session.seek(min(9, session.stepper.last))
    qtbot.waitUntil(lambda: not graph._stale)          # painted
    sizes = counting(monkeypatch, graph)
    painted = graph.frame_count
    session.settings.font_scale = 1.3225                # Ctrl+= twice, then the window's docks settle
    for height in (590, 560, 540):
        graph.resize(653, height)
    assert sizes == []                                 # nothing laid out until it is drawn (or read)
    qtbot.waitUntil(lambda: graph.frame_count > painted)
    assert sizes == [(653, 540)]
    eager = shown_graph(qtbot, session, 653, 540)
    assert drawn_geometry(graph) == drawn_geometry(eager)
    session.stop()


def test_zooming_back_gives_back_the_layout_each_zoom_had_without_laying_it_out(qtbot, monkeypatch):
    """Iris at 653×522 (the Lecture layout's graph at 1024×768, zoom +3), δ¹: Ctrl+= three times,
    Ctrl+− three times and Ctrl+= three times again: each zoom's layout on the way down and up
    again is the one it had on the way up (the step below's numbers it held to kept), and none is
    laid out again.  Before: Ctrl+− laid each zoom out afresh, at its own scale where the way up
    had held the numbers of the step below (iris's +2: neurons' numbers 19.8 pt at scale 1.32,
    held 17.25 pt at 1.15), and each took a layout (0.2–0.7 s)."""
    from gui.session import Session
    from gui.view_settings import ZOOM_STEP
    session = Session("iris")
    graph = shown_graph(qtbot, session, 653, 522)
    session.seek(9)
    graph.grab()
    up = {0: drawn_geometry(graph)}
    for zoom in (1, 2, 3):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        graph.grab()
        up[zoom] = drawn_geometry(graph)
    sizes = counting(monkeypatch, graph)
    for zoom in (2, 1, 0, 1, 2, 3):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        graph.grab()
        assert drawn_geometry(graph) == up[zoom], f"zoom {zoom:+d}: not the layout it had on the way up"
    assert sizes == [], "laid out again"
    assert any(up[zoom]["scale"] < round(ZOOM_STEP ** zoom, 4) for zoom in (1, 2, 3)), "(a walk that holds)"
    session.stop()


def test_reading_the_layout_lays_it_out_for_the_current_size(qtbot, session):
    graph = shown_graph(qtbot, session, 653, 608)
    graph.resize(500, 400)
    assert graph._stale
    assert (graph.graph_layout.width, graph.graph_layout.height) == (500, 400)
    assert not graph._stale


def test_rectangles_overlap_as_a_pair_by_pair_check_says():
    rng = np.random.default_rng(7)
    corner = rng.uniform(0, 100, (60, 2))
    a = np.hstack([corner, corner + rng.uniform(1, 30, (60, 2))])
    b = a[rng.permutation(60)[:40]] + rng.normal(0, 3, (40, 4)).clip(-2, 2) * [1, 1, 0, 0]
    for gap in (1.0, 2.0):
        expected = [[x0 < u1 + gap and u0 < x1 + gap and y0 < v1 + gap and v0 < y1 + gap
                     for u0, v0, u1, v1 in b.tolist()] for x0, y0, x1, y1 in a.tolist()]
        assert edge_labels.overlaps(a, b, gap).tolist() == expected


def test_a_kept_placement_is_the_one_placed_afresh():
    """place keeps its placements by a digest of its arguments: the one it gives back for arguments
    seen before (after others) is the one computed for them alone, and other obstacles give
    another."""
    ys = 60 + 22 * np.arange(6)
    lines = np.array([[100.0, 125.0, 360.0, y] for y in ys])
    sizes = [[(64.0, 20.0)] * 6, [(48.0, 15.0)] * 6]
    bounds = (0.0, 30.0, 500.0, 300.0)
    open_ = [(40.0, 100.0, 150.0, 150.0)]
    walled = open_ + [(150.0, 40.0, 360.0, 200.0)]       # the edges' left part covered: leaders
    alone = []
    for obstacles in (open_, walled):
        edge_labels._PLACED.clear()
        alone.append(edge_labels.place(lines, sizes, obstacles, bounds))
    again = [edge_labels.place(lines, sizes, obstacles, bounds) for obstacles in (open_, walled)]
    assert again == alone and alone[0] != alone[1]
    assert len(edge_labels._PLACED) == 2


class _Paints(QtCore.QObject):
    """Appends ("paint", size) to ``log`` for every paint of ``widget`` (an event filter)."""

    def __init__(self, widget, log: list):
        super().__init__()
        self.log = log
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.Paint:
            self.log.append(("paint", (watched.width(), watched.height())))
        return False


@pytest.mark.parametrize("screen", ["1024x768"])
def test_every_layout_of_a_zoom_key_is_one_the_window_paints_or_reads(qtbot, monkeypatch, screen):
    """In the window a zoom key changes the fonts of everything, and the window's docks and bars
    settle over a turn or two of the event loop: the graph is laid out only for the sizes it is
    painted at (or where the window reads its layout: the companion asking whether edge values
    are left out), never for the setting at its old size or at every resize on the way (2–4 layouts
    of iris at 1024×768 a key, 0.5 s each at +3); the last one at its last size."""
    w, session = window_on_screen(qtbot, screen, "mazur")
    session.seek(9)
    qtbot.waitUntil(lambda: not w.graph._stale)
    log, relayout = [], GraphView._relayout

    def logged(gv):
        if gv is w.graph:
            callers = {frame.name for frame in traceback.extract_stack()}
            log.append(("laid", (gv.width(), gv.height()), "paintEvent" in callers, "__get__" in callers))
        relayout(gv)
    monkeypatch.setattr(GraphView, "_relayout", logged)
    _paints = _Paints(w.graph, log)
    for _ in range(2):
        log.clear()
        w.presentation.zoom_in.trigger()
        for _ in range(6):
            QtWidgets.QApplication.processEvents()
        final = (w.graph.width(), w.graph.height())
        layouts = [event for event in log if event[0] == "laid"]
        painted = [size for what, size, *_ in log if what == "paint"]
        assert all(in_paint or read for _laid, _size, in_paint, read in layouts), log
        assert len([e for e in layouts if e[2]]) <= len(set(painted)), log
        assert painted[-1] == final and layouts[-1][1] == final, log
