"""What a micro-step key costs the window in layout (issue 12's step latency): the keys where the
companion following the phase changes its heatmaps were the slowest of the walk, because showing
each heatmap laid the grid out half-made and the next pass laid it out and painted it again.  These
count what the benchmark (benchmarks/step_latency.py) only times: at every key of a walk forward and
back, the heatmaps the companion shows are already at their settled place when the key's handlers
return, and none of them is resized more than once on the way (nor, with the matrices kept in
front, at all when its size does not change); a heatmap shown again paints its plot once."""
import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.widgets.heatmap import Heatmap
from helpers import window_on_screen


class _Resizes(QtCore.QObject):
    """Counts the resize events each watched widget gets."""

    def __init__(self, widgets):
        super().__init__()
        self.count = {w: 0 for w in widgets}
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.Resize and watched in self.count:
            self.count[watched] += 1
        return False


class _Sizes(QtCore.QObject):
    """The sizes each watched widget is resized to, as (width, height).  A width appears twice
    when the widget was laid out twice at one width; a vertical scroll bar shown or hidden
    narrows or widens it, which is a width of its own."""

    def __init__(self, widgets):
        super().__init__()
        self.got = {w: [] for w in widgets}
        for w in widgets:
            w.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.Resize and watched in self.got:
            self.got[watched].append(event.size().toTuple())
        return False

    def close(self) -> None:
        for w in self.got:
            w.removeEventFilter(self)


def _settle() -> None:
    for _ in range(6):
        QtCore.QCoreApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents()


def _places(panel) -> dict:
    """Each shown heatmap's place, and its title's and plot's inside it (a title of more lines than
    the heatmap's last one, set when it was shown, laid it out again a pass later)."""
    return {role: tuple(w.geometry().getRect() for w in (hm, hm._title, hm.stack))
            for role, hm in ((r, panel.heatmaps[r]) for r in panel.roles)}


@pytest.mark.parametrize("preset", ["diagram", "mazur", "digits"])
def test_the_companion_arranges_its_heatmaps_in_one_pass(qtbot, preset):
    window, session = window_on_screen(qtbot, "1280x720", preset)
    qtbot.wait(300)
    session.settings.companion = "follow"
    session.first_step()
    _settle()
    panel = window.heatmaps
    resizes = _Resizes(list(panel.heatmaps.values()))
    changes = 0
    last = session.stepper.last
    for target in [*range(1, last + 1), *range(last - 1, -1, -1)]:
        before = list(panel.roles)
        for hm in resizes.count:
            resizes.count[hm] = 0
        session.seek(target)
        if window.companion.shown[0] != "matrices":      # the derivation, at the loss
            _settle()
            continue
        at_once = _places(panel)
        _settle()
        settled = _places(panel)
        changes += panel.roles != before
        assert at_once == settled, (target + 1, panel.roles, at_once, settled)
        again = {role: resizes.count[panel.heatmaps[role]] for role in panel.roles
                 if resizes.count[panel.heatmaps[role]] > 1}
        assert not again, (target + 1, panel.roles, again)
    assert changes >= 6          # the walk did change the heatmaps shown (W, σ′ with the Jacobian, ∂C/∂W, the update's)
    window.close()


@pytest.mark.parametrize("preset", ["digits"])
def test_the_matrices_kept_in_front_are_laid_out_once_a_key(qtbot, monkeypatch, preset):
    """The companion kept on the matrices (all five heatmaps; digits' scroll in one column): at
    every key of a walk a heatmap is resized at most once, and one whose size does not change not
    at all.  At digits' ←9 the Jacobian's two-line title gave way to a one-line message: the grid
    was laid out at its old height (every heatmap 4 px taller), then the scroll area shrank it and
    the grid laid every heatmap out and painted it again.  Nor does a heatmap fit its cells'
    numbers more than once a key: at ←9 σ′ (10×10 after 32×32) was drawn and fitted at the height
    the 32×32 had, then again once the grid gave its rows their share; at →5 it was fitted as
    drawn and again as its plot came back in place of the message."""
    window, session = window_on_screen(qtbot, "1280x720", preset)
    qtbot.wait(300)
    session.settings.companion = "matrices"
    session.first_step()
    _settle()
    panel = window.heatmaps
    assert window.docks["matrices"].isVisible() and not window.docks["matrices"].visibleRegion().isEmpty()
    resizes = _Resizes(list(panel.heatmaps.values()))
    fits = {hm: 0 for hm in panel.heatmaps.values()}
    fit_numbers = Heatmap._fit_numbers

    def counted(hm, *args):
        fits[hm] += 1
        return fit_numbers(hm, *args)
    monkeypatch.setattr(Heatmap, "_fit_numbers", counted)
    last = session.stepper.last
    for target in [*range(1, last + 1), *range(last - 1, -1, -1)]:
        sizes = {role: panel.heatmaps[role].size() for role in panel.roles}
        for hm in resizes.count:
            resizes.count[hm] = fits[hm] = 0
        session.seek(target)
        _settle()
        counts = {role: resizes.count[panel.heatmaps[role]] for role in panel.roles}
        again = {role: n for role, n in counts.items() if n > 1}
        assert not again, (target + 1, again)
        needless = {role: n for role, n in counts.items()
                    if n and sizes.get(role) == panel.heatmaps[role].size()}
        assert not needless, (target + 1, needless)
        refitted = {role: fits[panel.heatmaps[role]] for role in panel.roles if fits[panel.heatmaps[role]] > 1}
        assert not refitted, (target + 1, refitted)
    window.close()


def _in_view(area: QtWidgets.QScrollArea, widget: QtWidgets.QWidget) -> bool:
    """Whether some of ``widget`` (inside the scroll area) is in the area's view."""
    viewport = area.viewport()
    return viewport.rect().intersects(QtCore.QRect(widget.mapTo(viewport, QtCore.QPoint(0, 0)), widget.size()))


def test_heatmaps_scrolled_out_of_sight_are_drawn_after_the_key(qtbot, monkeypatch):
    """Digits' five heatmaps in one scrolling column (the companion kept on the matrices, 1280×720)
    show two.  At ←9 (layer 2 after layer 1: all five change) the key draws those two; the three
    below are drawn in idle time after it (the panel's width check), or at once when scrolled into sight, as they would have
    been at the key: the Jacobian (layer 2 is the output) gives way to its message."""
    window, session = window_on_screen(qtbot, "1280x720", "digits")
    qtbot.wait(300)
    session.settings.companion = "matrices"
    session.seek(9)                                 # micro-step 10 (δ¹): layer 1's matrices
    _settle()
    panel = window.heatmaps
    jacobian = panel.heatmaps["jacobian"]
    qtbot.waitUntil(lambda: jacobian.stack.showing_plot, timeout=3000)     # ∂z²/∂z¹ drawn, below the view
    drawn = []
    draw = Heatmap._draw

    def counted(hm):
        drawn.append(next(r for r, h in panel.heatmaps.items() if h is hm))
        draw(hm)
    monkeypatch.setattr(Heatmap, "_draw", counted)
    paints = _Paints(panel.heatmaps["W"]._graphics.viewport())
    sigma = panel.heatmaps["sigma"]
    laid_out, ticked = [], []               # σ′'s plot resized (pyqtgraph's view box), its ticks fitted
    sigma._plot.getViewBox().sigResized.connect(lambda *_: laid_out.append(1))
    fit_ticks = Heatmap._fit_ticks
    monkeypatch.setattr(Heatmap, "_fit_ticks", lambda hm: (ticked.append(1) if hm is sigma else None, fit_ticks(hm))[1])
    session.seek(8)                                 # ←9: layer 2's
    for _ in range(6):      # the key's layout and paint, which are posted: not its timers (the idle time's)
        QtCore.QCoreApplication.sendPostedEvents()
    in_view = [r for r in panel.roles if _in_view(panel.scroll, panel.heatmaps[r])]
    assert in_view == ["W", "dW"] and panel.roles == ["W", "dW", "step", "sigma", "jacobian"]
    assert sorted(drawn) == sorted(in_view)
    # W (10×32 after 32×64) painted once: its view's transform for the new range was set as it was painted
    # (pyqtgraph defers it to then), and its axes were sized for their new labels as they were painted
    assert paints.count == 1
    # σ′ (below, 32×32 → 10×10) resized once by the grid for its new rows; not drawn, so neither its colour bar
    # moved under the plot (a second layout) nor the old matrix's ticks and numbers fitted to the new size
    assert len(laid_out) == 1 and not ticked
    assert jacobian.stack.showing_plot              # not drawn yet: layer 1's Jacobian still in its plot
    assert jacobian.matrix is None                  # … given its content (the grid laid out for it)
    bar = panel.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())                     # scrolled to: drawn before it is painted
    assert _in_view(panel.scroll, jacobian) and not jacobian.stack.showing_plot
    assert "jacobian" in drawn and "step" not in drawn
    qtbot.waitUntil(lambda: "step" in drawn, timeout=3000)       # idle time: the rest
    assert sorted(drawn) == sorted(panel.roles)     # each once
    window.close()


class _Paints(QtCore.QObject):
    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.mark.parametrize("companion", ["derivation", "follow"])
def test_the_derivation_lays_its_rows_out_once_a_key(qtbot, companion):
    """The companion kept on the derivation, or following the phase (the derivation comes to the
    front at the loss): at every key of a diagram walk each row of the step's list is resized at
    most once at each width (a vertical scroll bar coming or going changes the width, and lays it
    out again at the new one).  Laid out bottom up, the list was laid out at its old height as
    each row was shown and again once the scroll area had grown it: at the update step every row
    was resized seven times (squeezed a little more each time, then grown back).  Brought to the
    front, the derivation laid out the micro-step it last showed (given the current one after it
    was raised, or, raised first at a new size, by the resize kept while it was hidden), then the
    current one."""
    window, session = window_on_screen(qtbot, "1280x720", "diagram")
    qtbot.wait(300)
    session.settings.companion = companion
    session.first_step()
    _settle()
    steps = window.derivation.step_list
    last = session.stepper.last
    for target in [*range(1, last + 1), *range(last - 1, -1, -1)]:
        sizes = _Sizes([w for row in steps._rows for w in row])
        session.seek(target)
        _settle()
        again = {type(w).__name__: got for w, got in sizes.got.items()
                 if len(got) > len({width for width, _ in got})}
        assert not again, (target + 1, again)
        sizes.close()
    window.close()


def _heatmap_shown(qtbot):
    """(host, heatmap): a Heatmap alone in a shown 400×300 window."""
    host = QtWidgets.QWidget()
    qtbot.addWidget(host)
    hm = Heatmap()
    QtWidgets.QVBoxLayout(host).addWidget(hm)
    host.resize(400, 300)
    host.show()
    qtbot.waitExposed(host)
    return host, hm


def test_a_heatmap_shown_again_paints_its_plot_once(qtbot):
    """A heatmap the companion hides and shows again (following the phase, at most keys) paints
    its plot once when shown: its scene's (de)activation with the view made every item repaint,
    a second paint of the whole plot a pass later."""
    host, hm = _heatmap_shown(qtbot)
    host.activateWindow()
    hm.set_matrix(np.array([[0.5, -0.25], [0.125, 1.0]]), "W² (2×2)", symbol="W²")
    _settle()
    assert host.isActiveWindow()         # what sends a shown view's scene WindowActivate
    paints = _Paints(hm._graphics.viewport())
    for _ in range(2):
        hm.hide()
        _settle()
        paints.count = 0
        hm.show()
        _settle()
        assert paints.count == 1
    host.close()


def test_a_heatmap_picture_is_premultiplied_and_keeps_its_colours(qtbot):
    """A heatmap's picture is premultiplied, which Qt's raster engine scales on the GUI thread
    (pyqtgraph's indexed picture went through Qt's GUI thread pool, the GUI thread waiting for it),
    and its cells keep the colour map's colours (sampled a quarter cell in from a corner, away from
    the printed number)."""
    host, hm = _heatmap_shown(qtbot)
    M = np.array([[0.5, -0.25, 0.0], [0.125, 1.0, -1.0]])
    hm.set_matrix(M, "W² (2×3)", symbol="W²")
    _settle()
    picture = hm._graphics.grab().toImage()
    assert hm._image.qimage.format() == QtGui.QImage.Format.Format_ARGB32_Premultiplied
    lo, hi = hm.levels
    box = hm._plot.getViewBox()
    for (r, c), v in np.ndenumerate(M):
        at = hm._graphics.mapFromScene(box.mapViewToScene(QtCore.QPointF(c - 0.25, r - 0.25)))
        got = picture.pixelColor(at.x(), at.y())
        want = hm._cmap().map((v - lo) / (hi - lo), mode="qcolor")
        assert max(abs(got.red() - want.red()), abs(got.green() - want.green()),
                   abs(got.blue() - want.blue())) <= 6, (r, c, got.name(), want.name())
    host.close()


@pytest.mark.parametrize("screen", ["1280x720", "1024x768"])
def test_a_key_paints_the_banner_once_and_keeps_its_height(qtbot, screen):
    """At every key of a walk the banner's title is painted once (a selectable label that laid its
    text out in its first paint asked for a second paint pass of the window), and the banner and
    the graph keep their heights (a banner one pixel shorter laid the whole window out again)."""
    window, session = window_on_screen(qtbot, screen, "diagram")
    qtbot.wait(300)
    banner, graph = window.banner, window.graph
    paints = _Paints(banner._title)
    for preset in ("diagram", "mazur"):
        session.load_preset(preset)
        session.first_step()
        _settle()
        heights = {(banner.height(), graph.height())}
        last = session.stepper.last
        for target in [*range(1, last + 1), *range(last - 1, -1, -1)]:
            paints.count = 0
            session.seek(target)
            _settle()
            assert paints.count == 1, (preset, target + 1, paints.count)
            heights.add((banner.height(), graph.height()))
        assert len(heights) == 1, (preset, heights)
    window.close()
