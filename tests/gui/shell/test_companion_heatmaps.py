"""The companion's heatmaps at the lecture sizes (issue 12): at 1024×768 and 1280×720, at zoom −2 … +3,
on a seeded sample of micro-steps of mazur, diagram, xor and digits in both conventions and both themes,
the matrices dock never scrolls sideways (at 1024×768, zoom 0, diagram's ∂C/∂W² asked for 391 px in a
356-px dock, which cut its title to "shaped lik"), every title fits its label wrapped at its width,
every colour-bar label is drawn whole inside the heatmap, the rotated row label fits along its axis
(digits' 10×32 ∂z²/∂z¹ cut "k (layer 2)" at the top), and the cells print their numbers with all the
View's figures at the readable floor or larger, inside their cells, or, when even the shortest form at
the floor does not fit a cell, no numbers and a hover line saying to point at a cell (never 3 figures
for 4: "-0.0855" for -0.08546).  Also the bar above the heatmaps, and the update's two heatmaps both
fitting without scrolling."""
import random
import zlib

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_hover, format_number, format_scientific
from gui.shell.layouts import companion_width
from gui.shell.presentation import ZOOM_STEP
from gui.theme import BASE_POINT_SIZE
from gui.widgets.graph.text_fit import READABLE_PT
from gui.widgets.heatmap import CELL_LINE_MARGIN, CELL_PADDING_TIGHT, HIDDEN_NOTES
from helpers import axis_labels, prints_at, window_on_screen

CASES = [("1024x768", 0), ("1280x720", 0), ("1024x768", 3), ("1280x720", 3)]
ZOOMS = [-2, -1, 0, 1, 2, 3]
SAMPLES = 3                 # seeded (zoom, convention, theme, micro-step) states per screen and preset
# the states seen clipped in a real X window (micro-steps counted from 1, as the banner does)
SEEN = {("1024x768", "diagram"): [(0, "column", "dark", 8), (3, "row", "dark", 10)],
        ("1024x768", "digits"): [(0, "column", "dark", 7)],
        ("1280x720", "digits"): [(0, "column", "dark", 10)],
        ("1024x768", "mazur"): [(3, "column", "dark", 11)]}


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _settle_widened(qtbot, window):
    """Settled, and the heatmaps' check of their numbers done (HeatmapPanel's width check, a timer
    after they fit: compact, transposed, side by side, or the companion widened for them), as
    often as it changed them and they fitted again."""
    check = window.heatmaps._width_check
    _settle()
    for _ in range(8):                  # the check done (its timer fired), and not started again by what it changed
        qtbot.waitUntil(lambda: not check.isActive(), timeout=5000)
        _settle()
        if not check.isActive():
            break


def _window(qtbot, screen, zoom, preset="mazur"):
    window, session = window_on_screen(qtbot, screen, preset)
    qtbot.wait(400)                                   # the layout's arrangement once the window is framed
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    window.docks["matrices"].raise_()
    _settle()
    return window, session


def _seek_showing(qtbot, window, session, count: int):
    """(micro-step, heatmap panel) at each micro-step ``_steps_showing`` finds with ``count``
    heatmaps, sought and settled with the panel's check of their numbers done, where the companion
    has the matrices in front showing that many."""
    for step in _steps_showing(session, lambda roles: len(roles) == count):
        session.seek(step)
        _settle_widened(qtbot, window)
        panel = window.heatmaps
        if window.companion.shown[0] == "matrices" and len(panel.roles) == count:
            yield step, panel


def _steps_showing(session, wanted) -> list[int]:
    """The micro-steps (0-based) at which the companion following the phase shows the heatmaps
    ``wanted(roles)`` selects (gui/shell/layouts.py: companion_panel), each layer's first: a test
    seeks there rather than walking every micro-step (the suite's time)."""
    from gui.shell.layouts import companion_panel
    steps, seen = [], set()
    for k, st in enumerate(session.stepper.steps):
        dock, roles = companion_panel(st, session.net.L, "follow")
        if dock == "matrices" and roles is not None and wanted(roles) and (tuple(roles), st.book_layer) not in seen:
            seen.add((tuple(roles), st.book_layer))
            steps.append(k)
    return steps


def _check_panel_fits(window) -> None:
    """The panel in its dock without sideways scrolling, its minimum within the dock, the bar's
    parts whole inside it, the dock as wide as the Lecture layout makes the companion."""
    dock, panel = window.docks["matrices"], window.heatmaps
    scroll = dock.widget()
    assert not scroll.horizontalScrollBar().isVisible(), "the matrices dock scrolls sideways"
    least = scroll.widget().minimumSizeHint().width()
    assert least <= scroll.viewport().width(), (least, scroll.viewport().width())
    assert panel.width() <= scroll.viewport().width(), (panel.width(), scroll.viewport().width())
    assert dock.width() >= 0.9 * companion_width(window.width())
    for part in (panel.layer_combo, panel.lock_check):
        assert part.isVisible() and part.geometry().right() <= panel.width()
        assert part.sizeHint().width() <= part.width() + 1, (part, part.sizeHint().width(), part.width())
    inner = panel.scroll
    assert not inner.horizontalScrollBar().isVisible()
    assert inner.widget().width() <= inner.viewport().width()


def _bar_label_rects(hm) -> list[tuple[str, QtCore.QRectF]]:
    """The colour bar's labels as pyqtgraph draws them (it leaves out a label that does not fit its
    axis), each with its rectangle in the heatmap's graphics view."""
    axis, view = hm._bar.axis, hm._graphics
    return [(text, view.mapFromScene(axis.mapRectToScene(rect)).boundingRect()) for text, rect in axis_labels(axis)]


def _check_heatmap(hm, session, numbers_required: bool = False) -> None:
    """Title, colour bar, row label and cell numbers of one heatmap, each against font metrics and
    the widget's geometry; returns nothing, asserts."""
    what = hm.title
    label = hm._title
    room = label.contentsRect()
    wrapped = QtGui.QFontMetrics(label.font()).boundingRect(QtCore.QRect(0, 0, room.width(), 100000),
                                                            QtCore.Qt.TextFlag.TextWordWrap, label.text())
    assert wrapped.width() <= room.width() and wrapped.height() <= room.height() + 1, \
        (what, label.text(), wrapped.getRect(), room.getRect())
    if hm.matrix is None:
        return
    drawn = _bar_label_rects(hm)
    ticks = [text for _, text in hm._bar.axis._tickLevels[0]]
    assert [text for text, _ in drawn] == ticks, (what, "colour-bar labels left out", ticks, drawn)
    view = hm._graphics.rect()
    for text, rect in drawn:
        assert view.contains(rect), (what, text, rect.getRect(), view.getRect())
        width = QtGui.QFontMetricsF(hm._bar.axis.style["tickFont"]).horizontalAdvance(text)
        assert rect.width() + 1 >= width, (what, text, rect.width(), width)
    box = hm._plot.getViewBox().sceneBoundingRect()
    row_label = hm._plot.getAxis("left").label
    if row_label.rotation() != 0:                      # along the axis: the whole text item within the plot's height
        assert row_label.boundingRect().width() <= box.height() + 1, (what, hm._plot.getAxis("left").labelText)
    M, scale = hm.matrix, session.settings.font_scale
    floor = READABLE_PT * scale
    texts = hm.cell_texts()
    rows, cols = M.shape
    cell_w, cell_h = box.width() / cols, box.height() / rows
    diagonal = rows == cols > 1 and not np.any(M[~np.eye(rows, dtype=bool)])    # diag σ′: its diagonal alone prints,
    if diagonal:                                       # each number over its row's blank neighbours too
        M, cell_w = np.diag(M)[:, None], 2 * cell_w
    if texts:                                          # every figure, every cell in one form
        plain = [[format_number(v) for v in row] for row in M.tolist()]
        sci = [[format_scientific(v) for v in row] for row in M.tolist()]
        if diagonal:
            texts = [[row[r]] for r, row in enumerate(texts) if all(t == "" for c, t in enumerate(row) if c != r)]
        assert texts in (plain, sci), (what, texts, plain)
        font = hm._cells._font
        assert font.pointSizeF() >= min(floor, READABLE_PT) - 1e-6, (what, font.pointSizeF(), floor)
        if font.pointSizeF() < floor - 1e-6:        # under the zoomed floor only where that does not fit
            assert not prints_at(M, floor, cell_w, cell_h), (what, font.pointSizeF(), floor, cell_w, cell_h)
        metrics = QtGui.QFontMetrics(font)             # as painted (hinted), a line at a time
        painted = hm._cells.texts()
        if diagonal:
            painted = [[row[r]] for r, row in enumerate(painted)]
        assert [[t.replace("\n", "") for t in row] for row in painted] == texts, (what, painted, texts)
        widest = max(metrics.horizontalAdvance(line) for row in painted for t in row for line in t.split("\n"))
        assert widest + CELL_PADDING_TIGHT <= cell_w + 0.5, (what, widest, cell_w)       # apart from the neighbours' numbers
        lines = max(t.count("\n") + 1 for row in painted for t in row)
        assert lines * metrics.height() <= cell_h, (what, lines, metrics.height(), cell_h)
        assert len({t.count("\n") for row in painted for t in row if "e" in t}) <= 1, (what, painted)   # one form
    else:
        assert not numbers_required, f"{what}: no numbers in {cell_w:.0f}×{cell_h:.0f}-px cells"
        at_floor = QtGui.QFont()
        at_floor.setPointSizeF(min(floor, READABLE_PT))     # zoomed in, the cells print down to zoom 0's floor
        too_small = not prints_at(M, at_floor.pointSizeF(), cell_w, cell_h)      # at any shape (sine's 16×1 W¹)
        assert too_small, f"{what}: numbers left out of {cell_w:.0f}×{cell_h:.0f}-px cells that hold them"
        assert hm.values_hidden
        if not hm.compact:
            note = hm._hover.text()
            assert note in HIDDEN_NOTES, (what, note)
            assert QtGui.QFontMetricsF(hm._hover.font()).horizontalAdvance(note) <= hm._hover.contentsRect().width()
    window = hm.window()                               # across the window (the panel may scroll down, never sideways)
    left = hm.mapTo(window, QtCore.QPoint(0, 0)).x()
    assert 0 <= left and left + hm.width() <= window.width(), (what, left, hm.width(), window.width())


def _states(screen, preset, last):
    """The states seen clipped, and a seeded sample of (zoom, convention, theme, micro-step)."""
    rng = random.Random(zlib.crc32(f"{screen} {preset}".encode()))
    sample = [(rng.choice(ZOOMS), rng.choice(["column", "row"]), rng.choice(["light", "dark"]), rng.randint(1, last + 1))
              for _ in range(SAMPLES)]
    return SEEN.get((screen, preset), []) + sample


@pytest.mark.parametrize("screen", ["1024x768", "1280x720"])
@pytest.mark.parametrize("preset", ["mazur", "diagram", "xor", "digits"])
def test_heatmaps_fit_the_companion_at_every_zoom(qtbot, screen, preset):
    window, session = _window(qtbot, screen, 0, preset)
    for zoom, convention, theme, step in _states(screen, preset, session.stepper.last):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        session.settings.convention = convention
        session.settings.theme = theme
        session.seek(step - 1)
        _settle_widened(qtbot, window)      # as arranged for its numbers (digits' ReLU σ′ row of "1"s and "0"s,
        if window.companion.shown[0] != "matrices":     # which prints, drawn as a column)
            continue
        try:
            _check_panel_fits(window)
            for role in window.heatmaps.roles:
                _check_heatmap(window.heatmaps.heatmaps[role], session)
        except AssertionError as e:
            raise AssertionError(f"{screen} {preset} zoom {zoom:+d} {convention} {theme} micro-step {step}: {e}") from None
    window.close()


@pytest.mark.parametrize("screen, zoom", CASES)
def test_matrices_bar_fits_the_companion(qtbot, screen, zoom):
    window, session = _window(qtbot, screen, zoom)
    for step in (0, 3):                               # W at the input, then the forward pass of layer 2
        session.seek(step)
        _settle()
        assert window.companion.shown[0] == "matrices"
        _check_panel_fits(window)
        for role in window.heatmaps.roles:
            _check_heatmap(window.heatmaps.heatmaps[role], session, numbers_required=True)
    window.close()


@pytest.mark.parametrize("screen, zoom", CASES)
def test_the_update_shows_both_heatmaps_without_scrolling(qtbot, screen, zoom):
    window, session = _window(qtbot, screen, zoom)
    session.seek(session.stepper.last)
    _settle()
    panel = window.heatmaps
    assert window.companion.shown == ("matrices", ["W", "step"]) and panel.roles == ["W", "step"]
    _check_panel_fits(window)
    view = panel.scroll.viewport()
    assert panel.scroll.widget().height() <= view.height(), (panel.scroll.widget().height(), view.height())
    for role in ("W", "step"):
        hm = panel.heatmaps[role]
        box = QtCore.QRect(hm.mapTo(view, QtCore.QPoint(0, 0)), hm.size())
        assert view.rect().contains(box), (role, box.getRect(), view.rect().getRect())
        _check_heatmap(hm, session, numbers_required=True)
    np.testing.assert_allclose(panel.heatmaps["step"].matrix, -session.view.eta * session.view.dW[panel.layer])
    window.close()


@pytest.mark.parametrize("preset, only", [("diagram", None), ("wong", None), ("iris", {"W"})])
def test_four_columns_print_their_numbers_at_1024x768_zoom_3(qtbot, preset, only):
    """The Lecture layout's 1024×768 companion at zoom +3 (Ctrl+= three times): a matrix four
    columns wide shown alone (W² going forward, ∂C/∂W² going back, ∂C/∂W¹ shaped like W¹ᵀ with row
    vectors, whose 0.006503 prints as "6.503" over "e-3") prints every cell's number with the View's
    4 figures, at the readable floor or larger,
    inside its cell.  Before the row label went above the plot and the colour bar's labels within
    its width, the plot was 239 px wide and its cells printed nothing ("Point at a cell").  Iris's
    W¹ has eight rows: its 25-px rows hold the floor's line with 3 px to spare (CELL_HEIGHT_SHARE_TIGHT)."""
    window, session = _window(qtbot, "1024x768", 3, preset)
    checked = []
    for convention in ("column", "row"):
        session.settings.convention = convention
        for step in _steps_showing(session, lambda roles: len(roles) == 1):
            session.seek(step)
            _settle()
            shown, roles = window.companion.shown
            panel = window.heatmaps
            if shown != "matrices" or len(panel.roles) != 1:
                continue
            hm = panel.heatmaps[panel.roles[0]]
            columns = None if hm.matrix is None else hm.matrix.shape[int(panel.roles[0] not in panel.transposed)]
            if columns != 4 or only is not None and panel.roles[0] not in only:      # (or drawn transposed for
                continue                                                            # plain decimals: 4 rows)
            if not hm.cell_texts():         # a loaded machine (make test's two workers and more): the panel's
                qtbot.wait(300)             # relayout for this step's one heatmap may come after _settle's passes
                _settle()
            try:
                _check_panel_fits(window)
                _check_heatmap(hm, session, numbers_required=True)
            except AssertionError as e:
                raise AssertionError(f"{preset} {convention} micro-step {step + 1}: {e}") from None
            assert not hm.values_hidden and hm._cells._font.pointSizeF() >= READABLE_PT * session.settings.font_scale - 1e-6
            checked.append((convention, hm.title))
    assert {c for c, _ in checked} == {"column", "row"} and len(checked) >= (4 if only is None else 2), checked
    window.close()


@pytest.mark.parametrize("screen", ["1024x768", "1280x720"])
@pytest.mark.parametrize("preset", ["diagram", "wong", "mazur"])
def test_two_stacked_heatmaps_fit_the_companion_at_zoom_3(qtbot, monkeypatch, screen, preset):
    """At zoom +3 the two heatmaps of a δ step (σ′ and the Jacobian ∂z²/∂z¹) and of the update (W
    and −η∂C/∂W) fit the companion's height: no scrolling (diagram's two δ¹ heatmaps asked for 512
    px of a 412-px view at 1024×768), each heatmap whole in view, its title on one line where it is
    compact (its shape, then what follows "; ", left out; the whole as the tooltip), the colour bar with its
    end labels drawn, and every cell's number printed at the readable floor or larger, inside its
    cell (before σ′ went over as a row under the Jacobian's columns, the cells' height held a
    line of the floor's font and the colour bar's labels kept inside the picture, diagram's and
    wong's printed none: 21-px rows at 1024×768, 17-px at 1280×720; their update's W¹ and −η∂C/∂W¹,
    4×3 in 63-px cells at 1024×768, printed none before the cells printed under the zoomed floor
    where it does not fit: Heatmap._fit_numbers), and everything else _check_heatmap checks.
    In a window a title bar shorter than the screen, as a real one is."""
    from gui.shell.layouts import Layouts
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR))
    window, session = _window(qtbot, screen, 3, preset)
    seen = set()
    for step, panel in _seek_showing(qtbot, window, session, 2):
        seen.add(tuple(panel.roles))
        where = f"{screen} {preset} micro-step {step + 1} {panel.roles}"
        _check_panel_fits(window)
        view = panel.scroll.viewport()
        assert panel.scroll.widget().height() <= view.height(), (where, panel.scroll.widget().height(), view.height())
        assert not panel.scroll.verticalScrollBar().isVisible(), where
        for role in panel.roles:
            hm = panel.heatmaps[role]
            box = QtCore.QRect(hm.mapTo(view, QtCore.QPoint(0, 0)), hm.size())
            assert view.rect().contains(box), (where, role, box.getRect(), view.rect().getRect())
            try:
                _check_heatmap(hm, session, numbers_required=True)
            except AssertionError as e:
                raise AssertionError(f"{where}: {e}") from None
            label = hm._title
            one_line = QtGui.QFontMetrics(label.font()).lineSpacing()
            assert label.height() < 2 * one_line or not hm.compact, (where, label.text(), label.height(), one_line)
            if label.text().replace("\u2060", "").replace("\u00a0", " ") != hm.title:
                assert label.toolTip() == hm.title, where
    assert ("sigma", "jacobian") in seen and ("W", "step") in seen, seen
    window.close()


@pytest.mark.parametrize("screen, preset", [("1024x768", "diagram"), ("1280x720", "wong")])
def test_the_gradient_check_heatmap_never_scrolls_sideways(qtbot, screen, preset):
    """The derivation companion's gradient-check page, after the check, at zoom 0 and +3: the
    heatmap of each layer's log10 relative errors fits the page's width (diagram's scrolled
    sideways by 34 px at 1024×768 before the heatmaps' least width went down): no sideways scroll
    bar under it, the heatmap whole within the scroller's view.  (Diagram at 1024×768, where it
    scrolled; wong at 1280×720.)"""
    from gui.widgets.derivation.panel import TABS
    window, session = window_on_screen(qtbot, screen, preset)
    session.settings.companion = "derivation"
    window.docks["derivation"].raise_()
    panel = window.derivation
    panel.tabs.setCurrentIndex(TABS.index("Gradient check"))
    session.seek(session.stepper.last)
    _settle()
    view = panel.gradcheck_view
    view.run_check()
    assert view.result is not None
    for zoom in (0, 3):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        for layer in range(view.layer_box.count()):
            view.layer_box.setCurrentIndex(layer)
            qtbot.wait(30)
            _settle()
            where = f"{screen} {preset} zoom {zoom:+d} layer {layer + 1}"
            scroller, hm = view.heat_scroller, view.heatmap
            assert scroller.isVisible() and hm.matrix is not None, where
            assert not scroller.horizontalScrollBar().isVisible(), (where, scroller.widget().minimumSizeHint().width(),
                                                                      scroller.viewport().width())
            box = QtCore.QRect(hm.mapTo(scroller.viewport(), QtCore.QPoint(0, 0)), hm.size())
            assert scroller.viewport().rect().contains(box), (where, box.getRect(), scroller.viewport().rect().getRect())
    window.close()


def test_the_next_steps_heatmaps_are_drawn_ahead_in_idle_time(qtbot, monkeypatch):
    """Following the phase, the idle time after a micro-step fills and draws the heatmaps the next
    micro-step brings into the companion (diagram's →10: layer 1's σ′ and the Jacobian, hidden while
    ∂C/∂W² is shown), compact as they will be shown, so that the key finds them drawn: it draws no
    matrix, and shows the engine's matrices of that step.  (That key's first showing cost 64 ms of CPU, the worst of the step
    latency benchmark.)"""
    from engine.jacobians import diag_sigma_prime, dz_next_dz
    from gui.widgets.heatmap import Heatmap
    window, session = _window(qtbot, "1280x720", 0, "diagram")
    to_sigma = next(k for k, st in enumerate(session.stepper.steps) if st.quantity == "delta" and st.book_layer == 1)
    session.seek(to_sigma - 1)
    panel = window.heatmaps
    assert window.companion.shown == ("matrices", ["dW"])
    sigma, jacobian = panel.heatmaps["sigma"], panel.heatmaps["jacobian"]
    qtbot.waitUntil(lambda: sigma.matrix is not None and sigma.matrix.shape == (1, 4) and sigma._drawn
                    and jacobian.matrix is not None and jacobian._drawn, timeout=3000)
    assert sigma.isHidden() and jacobian.isHidden()
    drawn = []
    real_draw = Heatmap._draw
    monkeypatch.setattr(Heatmap, "_draw", lambda self: (drawn.append(self.title), real_draw(self))[1] if self.matrix is not None
                        else real_draw(self))     # a message (∂C/∂W¹ not computed yet, the heatmap leaving) costs nothing
    session.next_step()
    _settle()
    assert window.companion.shown == ("matrices", ["sigma", "jacobian"]) and sigma.isVisible() and jacobian.isVisible()
    # the key's own heatmaps were drawn ahead (what the idle time after it draws for →11, ∂C/∂W¹, is not its cost:
    # on a loaded machine that idle time comes within _settle)
    assert [t for t in drawn if t in (sigma.title, jacobian.title)] == [], drawn
    trace = session.stepper.trace
    np.testing.assert_array_equal(sigma.matrix, [np.diag(diag_sigma_prime(session.net, trace, 0))])   # σ′ as a row
    np.testing.assert_allclose(jacobian.matrix, dz_next_dz(session.net, trace, 0))
    for hm in (sigma, jacobian):                    # fitted to where they are shown: title, labels, numbers
        _check_heatmap(hm, session)
    window.close()


class _Resizes(QtCore.QObject):
    """Counts the resize events a widget receives."""

    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        self.count += event.type() == QtCore.QEvent.Type.Resize
        return False


def test_a_heatmap_is_drawn_ahead_at_the_size_it_will_be_shown_at(qtbot):
    """Following the phase, σ′ is shown over the Jacobian at δ¹ and alone at δ² (the same heatmap,
    half the height or the whole): going back from ∂C/∂W² to δ², the σ′ drawn ahead in idle time
    is drawn at the size the key shows it at, so the key neither resizes it nor lays it out and
    fits its numbers again.  (It was drawn at the half height it last had, at δ¹: digits' ←7 cost
    55 ms of CPU on every walk, the worst key of the step latency benchmark.)"""
    window, session = _window(qtbot, "1280x720", 0, "mazur")
    steps = session.stepper.steps
    delta2 = next(k for k, st in enumerate(steps) if st.quantity == "delta" and st.book_layer == 2)
    delta1 = next(k for k, st in enumerate(steps) if st.quantity == "delta" and st.book_layer == 1)
    panel = window.heatmaps
    sigma = panel.heatmaps["sigma"]
    session.seek(delta1)
    _settle()
    assert window.companion.shown == ("matrices", ["sigma", "jacobian"]) and sigma.isVisible()
    half = sigma.size()
    session.seek(delta2 + 1)                        # ∂C/∂W²: σ′ hidden, and drawn ahead for ←
    assert window.companion.shown == ("matrices", ["dW"])
    qtbot.waitUntil(lambda: not window.companion._prepare.isActive(), timeout=3000)     # the idle time's drawing
    _settle()
    assert sigma.isHidden() and sigma.matrix.shape == (2, 2) and sigma._drawn
    resizes = _Resizes(sigma)
    session.prev_step()
    _settle()
    assert window.companion.shown == ("matrices", ["sigma"]) and sigma.isVisible()
    assert sigma.height() > 1.5 * half.height(), (sigma.size(), half)     # alone, it has the whole height
    assert resizes.count == 0, f"σ′ drawn ahead at {half.width()}×{half.height()}, resized when shown at " \
                               f"{sigma.width()}×{sigma.height()}"
    _check_heatmap(sigma, session)
    window.close()


def test_going_back_the_previous_steps_heatmaps_are_drawn_ahead(qtbot, monkeypatch):
    """At δ¹ both neighbours show ∂C/∂W, of layer 1 going forward and of layer 2 going back: the
    idle time prepares it for the way the last key went, so walking back the key to ∂C/∂W² finds
    it drawn.  (It was always prepared for the next micro-step: digits' ←9 drew its ∂C/∂W² at the
    key, about 45 ms of CPU, the worst of a digits walk following the phase.)"""
    from gui.widgets.heatmap import Heatmap
    window, session = _window(qtbot, "1280x720", 0, "mazur")
    steps = session.stepper.steps
    delta1 = next(k for k, st in enumerate(steps) if st.quantity == "delta" and st.book_layer == 1)
    dW = window.heatmaps.heatmaps["dW"]
    session.seek(delta1 + 1)
    _settle()
    session.prev_step()                                     # back to δ¹: ∂C/∂W hidden
    assert window.companion.shown == ("matrices", ["sigma", "jacobian"]) and dW.isHidden()
    qtbot.waitUntil(lambda: not window.companion._prepare.isActive(), timeout=3000)     # the idle time's drawing
    _settle()
    drawn = []
    real_draw = Heatmap._draw
    monkeypatch.setattr(Heatmap, "_draw", lambda self: (drawn.append(self.title), real_draw(self))[1])
    session.prev_step()
    _settle()
    assert window.companion.shown == ("matrices", ["dW"]) and dW.isVisible()
    assert dW.title not in drawn, drawn
    np.testing.assert_array_equal(dW.matrix, session.stepper.grads.dW[1])     # ∂C/∂W² (column vectors: shaped like W²)
    window.close()


def test_the_updates_heatmaps_are_drawn_ahead_before_it_is_applied(qtbot, monkeypatch):
    """Following the phase, the idle time before the update micro-step draws its W after the update
    and −η∂C/∂W (Stepper.view_after_update: plain SGD's new W without applying it) at the sizes the
    key shows them at: the key that applies the update draws, resizes and lays out neither, and
    they show the weights the update gave.  (Drawn when shown, they cost diagram's →13 the worst
    step of the latency benchmark, 56 ms.)"""
    from gui.widgets.heatmap import Heatmap
    window, session = _window(qtbot, "1280x720", 0, "mazur")
    stepper = session.stepper
    session.seek(stepper.last - 1)
    assert window.companion.shown == ("matrices", ["dW"])
    W, step = window.heatmaps.heatmaps["W"], window.heatmaps.heatmaps["step"]
    qtbot.waitUntil(lambda: not window.companion._prepare.isActive(), timeout=3000)     # the idle time's drawing
    _settle()
    assert W.isHidden() and step.isHidden() and W._drawn and step._drawn
    assert "after the update" in W.title and not stepper.updated
    drawn = []
    real_draw = Heatmap._draw
    monkeypatch.setattr(Heatmap, "_draw", lambda self: (drawn.append(self.title), real_draw(self))[1])
    resizes = [_Resizes(W), _Resizes(step)]
    session.next_step()
    _settle()
    assert window.companion.shown == ("matrices", ["W", "step"]) and W.isVisible() and step.isVisible()
    assert stepper.updated
    assert [t for t in drawn if t in (W.title, step.title)] == [], drawn
    assert [r.count for r in resizes] == [0, 0]
    l = session.focus_layer
    np.testing.assert_array_equal(W.matrix, session.net.W[l])           # the weights the update gave
    np.testing.assert_array_equal(step.matrix, -stepper.eta * stepper.grads.dW[l])
    for hm in (W, step):
        _check_heatmap(hm, session)
    window.close()


@pytest.mark.parametrize("screen, zoom", [("1024x768", 0), ("1024x768", 3), ("1280x720", 3)])
def test_eight_columns_print_their_numbers(qtbot, monkeypatch, screen, zoom):
    """Iris (4-8-3) in the Lecture layout, in a window a title bar shorter than the screen: the
    matrices with eight rows or columns that the companion shows alone (W¹, 8×4; W², 3×8; ∂C/∂W²,
    3×8, or 8×3 with row vectors; ∂C/∂W¹, 8×4 or 4×8) print every cell's number at the readable
    floor or larger (zoomed in, down to READABLE_PT where the zoomed floor does not fit: at 1024×768,
    zoom +3, ∂C/∂W¹'s "-0.09444" needs 87-px columns at it, and printed none), inside their cells, in
    both conventions; never
    sideways-scrolling, the graph keeping GRAPH_MIN_NUMBERS of width and GRAPH_MIN's height.  At
    zoom +3 they do so compact (title in one line, hover as a tooltip), drawn transposed where only
    that prints them ("(W²)ᵀ (8×3)", its hover saying so).  Before, at 1024×768 and zoom +3 W²'s
    cells were 39 px wide for 82-px numbers; at 1280×720 W¹'s rows were 20.4 px for a 21-px line,
    ∂C/∂W²'s too short transposed: each printed none ("Point at a cell for its value").  The
    update's two 8×4 heatmaps never scroll sideways (side by side they asked 592 px of a 360-px
    dock and, the companion not widened, stayed so), and print their numbers: at zoom +3, stacked
    and compact in the panel's height, their 11–13-px rows printed none; each is then as tall as
    its numbers need, the panel scrolling down, W after the update whole in view; so too σ′ and
    the 3×8 Jacobian at δ¹ (23–35-px columns printed none), then each drawn transposed for its
    numbers where that prints them.  At 1024×768, zoom +3, also the companion
    fixed on the matrices (``_check_scrolled_column``)."""
    from gui.shell.layouts import GRAPH_MIN, GRAPH_MIN_NUMBERS, Layouts
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR))    # as a real window
    window, session = _window(qtbot, screen, zoom, "iris")
    checked = []
    for convention in ("column", "row"):
        session.settings.convention = convention
        for step, panel in _seek_showing(qtbot, window, session, 1):
            role = panel.roles[0]
            hm = panel.heatmaps[role]
            if hm.matrix is None or 8 not in hm.matrix.shape:
                continue
            if role in panel.transposed:            # drawn transposed for its numbers: title and hover say so
                symbol = {"W": "W", "dW": "∂C/∂W"}[role] + "¹²"[panel.layer]
                assert hm.title == f"({symbol})ᵀ ({hm.matrix.shape[0]}×{hm.matrix.shape[1]})", hm.title
                names = session.run.train.target_names      # W², ∂C/∂W²: its 3 rows or columns are the classes
                named = "" if panel.layer == 0 else f" (class {names[1] if hm.matrix.shape[1] == 3 else names[0]})"
                assert hm.hover_text(0, 1) == f"({symbol})ᵀ[1, 2]{named} = {format_hover(hm.matrix[0, 1])}"
                if role == "W":
                    np.testing.assert_array_equal(hm.matrix, session.view.W[panel.layer].T)
            try:
                _check_panel_fits(window)
                _check_heatmap(hm, session, numbers_required=True)
            except AssertionError as e:
                raise AssertionError(f"{screen} zoom {zoom:+d} {convention} micro-step {step + 1}: {e}") from None
            assert window.graph.width() >= GRAPH_MIN_NUMBERS and window.graph.height() >= GRAPH_MIN.height(), \
                window.graph.size()
            checked.append((convention, role, panel.layer, role in panel.transposed))
    assert {c[:3] for c in checked} == {(c, r, l) for c in ("column", "row") for r in ("W", "dW") for l in (0, 1)}, checked
    assert zoom == 0 or any(t for *_, t in checked), checked
    session.seek(session.stepper.last)          # the update's two 8×4 heatmaps: side by side only where the
    _settle_widened(qtbot, window)              # companion is as wide as both (592 px asked of a 360-px dock)
    panel = window.heatmaps
    assert panel.roles == ["W", "step"]
    _check_panel_fits(window)
    for role in panel.roles:                    # stacked, compact, each as tall as its numbers need (the panel
        _check_heatmap(panel.heatmaps[role], session, numbers_required=True)    # scrolling down) where only so
    W = panel.heatmaps["W"]
    assert QtCore.QRect(W.mapTo(panel.scroll.viewport(), QtCore.QPoint(0, 0)), W.size()).bottom() \
        < panel.scroll.viewport().height(), "W after the update whole in view"
    if zoom == 3:                               # δ¹: σ′ as a row over the 3×8 Jacobian, the same way
        session.seek(9)
        _settle_widened(qtbot, window)
        assert panel.roles == ["sigma", "jacobian"]
        for role in panel.roles:
            _check_heatmap(panel.heatmaps[role], session, numbers_required=True)
        top = panel.heatmaps["sigma"]
        assert QtCore.QRect(top.mapTo(panel.scroll.viewport(), QtCore.QPoint(0, 0)), top.size()).bottom() \
            < panel.scroll.viewport().height(), "σ′ whole in view"
    if (screen, zoom) == ("1024x768", 3):       # the companion fixed on the matrices: the five heatmaps one column
        _check_scrolled_column(qtbot, window, session)
    window.close()


def _check_scrolled_column(qtbot, window, session) -> None:
    """Iris's companion fixed on the matrices at 1024×768, zoom +3 (the five heatmaps one column
    that scrolls down, each as tall as its rows' numbers need), layer 2 going back: its 3×8 W²,
    ∂C/∂W² and −η∂C/∂W² are drawn transposed (8×3), where height is cheap, and print every number;
    drawn as they are, their 37-px columns printed none.  At δ¹ its diag σ′(z¹), 8×8, in 35-px
    columns ("0.1966" needs 41 px at 8 pt), prints its diagonal alone, each number over its row's
    blank neighbours; it printed none."""
    session.settings.convention = "column"      # ∂C/∂W² shaped like W² (3×8)
    session.settings.companion = "matrices"
    session.seek(7)
    _settle_widened(qtbot, window)
    panel = window.heatmaps
    assert panel.roles == ["W", "dW", "step", "sigma", "jacobian"] and panel._columns == 1, panel._columns
    checked = set()
    for role in panel.roles:
        hm = panel.heatmaps[role]
        if hm.matrix is None or sorted(hm.matrix.shape) != [3, 8]:
            continue
        _check_heatmap(hm, session, numbers_required=True)
        assert role in panel.transposed and hm.matrix.shape == (8, 3), (role, hm.matrix.shape)
        checked.add(role)
    assert checked >= {"W", "dW", "step"}, checked
    session.seek(9)
    _settle_widened(qtbot, window)
    sigma = panel.heatmaps["sigma"]
    assert sigma.matrix.shape == (8, 8)
    _check_heatmap(sigma, session, numbers_required=True)


def test_a_lone_heatmap_is_arranged_for_its_numbers_at_the_key(qtbot, monkeypatch):
    """Iris at 1024×768, zoom +3, following the phase: the key from micro-step 3 to 4 brings W²
    (3×8) into the companion alone; within that key's event-loop turn (one processEvents, no
    timer) it is shown as the panel's checks leave it, compact and drawn transposed (8×3), its
    numbers printed at the zoomed floor.  It was shown as it is (37-px columns, none printed, then
    printed under the floor), compact 120 ms later and transposed after another 140: a picture
    taken at the key showed no numbers, and the heatmap jumped twice after it."""
    from gui.shell.layouts import Layouts
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR))
    window, session = _window(qtbot, "1024x768", 3, "iris")
    session.seek(2)
    _settle_widened(qtbot, window)
    panel = window.heatmaps
    W = panel.heatmaps["W"]
    assert panel.roles == ["W"] and W.matrix.shape == (8, 4)
    session.next_step()
    QtWidgets.QApplication.processEvents()
    assert panel.roles == ["W"] and "W" in panel.transposed and W.matrix.shape == (8, 3) and W.compact, \
        (W.matrix.shape, W.compact)
    _check_heatmap(W, session, numbers_required=True)
    assert W._cells._font.pointSizeF() >= READABLE_PT * session.settings.font_scale - 1e-6
    window.close()


TITLE_BAR = 20      # the window manager's title bar on a real 1024×768 screen (the screenshot tool's openbox)


def test_iris_w1_prints_its_numbers_under_a_title_bar_at_zoom_3(qtbot, monkeypatch):
    """In a real window at 1024×768 the window manager's title bar takes about 20 px of the
    screen's height, which the offscreen window (no frame) kept: there iris's W¹ (8×4) printed its
    numbers at zoom +3, in the real window none.  Here the window is framed as a real one is (its
    frame's extent, Layouts._frame_extent, a title bar tall), so it is TITLE_BAR shorter than the
    screen, and W¹ at micro-steps 1 to 3 prints every cell's number, at the floor or larger."""
    from gui.shell.layouts import Layouts
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR))
    window, session = _window(qtbot, "1024x768", 3, "iris")
    assert window.height() == 768 - TITLE_BAR, window.size()
    for step in range(3):
        session.seek(step)
        _settle_widened(qtbot, window)
        panel = window.heatmaps
        assert window.companion.shown == ("matrices", ["W"]) and panel.heatmaps["W"].matrix.shape == (8, 4)
        try:
            _check_panel_fits(window)
            _check_heatmap(panel.heatmaps["W"], session, numbers_required=True)
        except AssertionError as e:
            raise AssertionError(f"micro-step {step + 1}: {e}") from None
    window.close()


def test_all_five_heatmaps_stack_in_the_companion_at_zoom_3(qtbot, monkeypatch):
    """The companion fixed on the matrices (View → Companion → Matrices) at zoom +3, dark, restored
    at launch as a lecturer left them, diagram at 1024×768 under a title bar (D's finding 43): the
    five heatmaps go one under the other in the dock's width (the panel scrolls down, never
    sideways), the bar's "Lock colour scale" whole, and each matrix as tall as its numbers need
    with its colour bar under it, printing them (W¹, 4×3, printed none beside its bar).  Before,
    the panel chose two columns by its own width, which the dock's scroll area kept at their least
    (666 px in a 360-px dock): two sideways scroll bars, the second column and the lock cut at the
    dock's edge."""
    from gui.shell import prefs
    from gui.shell.layouts import Layouts
    from helpers import window_on_screen
    store = prefs.settings()
    for name, value in (("companion", "matrices"), ("theme", "dark"), ("font_scale", round(ZOOM_STEP ** 3, 4))):
        store.setValue(f"view/{name}", value)
    store.sync()
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR))
    window, session = window_on_screen(qtbot, "1024x768", "diagram")
    assert session.settings.companion == "matrices" and session.settings.font_scale > 1.5
    panel = window.heatmaps
    for step in (0, 9):                      # W¹ forward; layer 1's δ (σ′, the Jacobian and W¹ without numbers)
        session.seek(step)
        _settle_widened(qtbot, window)
        assert panel.roles == ["W", "dW", "step", "sigma", "jacobian"] and panel._columns == 1, (step, panel._columns)
        try:
            _check_panel_fits(window)
            for role in panel.roles:
                hm = panel.heatmaps[role]
                _check_heatmap(hm, session, numbers_required=hm.matrix is not None)
        except AssertionError as e:
            raise AssertionError(f"micro-step {step + 1}: {e}") from None
    window.close()


@pytest.mark.parametrize("screen, preset", [("1280x720", "mazur"), ("1280x720", "diagram"), ("1024x768", "iris")])
def test_sigma_row_prints_its_numbers_as_large_as_the_jacobian_under_it(qtbot, monkeypatch, screen, preset):
    """At δ¹ (micro-step 10) the companion shows σ′ as a row over the Jacobian.  The row shared the
    height as one matrix row, but its two-line title and the colour bar under it take more: in a real
    1280×720 window (a title bar) mazur's σ′ printed 0.2413 in 8.5 pt under a Jacobian in 12 pt, with
    free height in the panel.  Its numbers are now within a point of the Jacobian's, or larger, and
    both print plain decimals ("0.7511"): iris's 1×8 row and 3×8 Jacobian at 1024×768 printed every
    number as "7.511" over "e-1" in ~9-px figures; the two are drawn transposed (σ′ a column, the
    Jacobian 8×3) where only so their cells hold plain decimals."""
    from gui.shell.layouts import Layouts
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR + 4))
    window, session = _window(qtbot, screen, 0, preset)
    session.seek(9)
    _settle_widened(qtbot, window)
    panel = window.heatmaps
    sigma, jacobian = (panel.heatmaps[r] for r in ("sigma", "jacobian"))
    assert panel.roles == ["sigma", "jacobian"] and 1 in sigma.matrix.shape     # a row, or that row transposed
    assert ("sigma" in panel.transposed) == ("jacobian" in panel.transposed) == (sigma.matrix.shape[1] == 1)
    D = np.diag(session.activation_jacobian(0))[None, :]
    np.testing.assert_array_equal(sigma.matrix, D.T if "sigma" in panel.transposed else D)
    for hm in (sigma, jacobian):
        _check_heatmap(hm, session, numbers_required=True)
        assert hm.cell_texts() == [[format_number(x) for x in row] for row in hm.matrix.tolist()], hm.cell_texts()
    pt = {r: panel.heatmaps[r]._cells._font.pointSizeF() for r in ("sigma", "jacobian")}
    assert pt["sigma"] >= pt["jacobian"] - 1.0, pt


@pytest.mark.parametrize("screen, zoom", [("1024x768", 3), ("1280x720", 0)])
def test_the_layer_box_shows_its_whole_text(qtbot, screen, zoom):
    """The layer combo box's text ("1: W¹ (32×64)", digits) fits the box's text field at every zoom
    and after another run's layers: measured once when first shown (Qt's default), it was cut to
    "1: W¹ (32×6" at 1024×768, zoom +3, with the lock box beside it; the bar puts the lock box
    under it where the whole text needs the width."""
    window, session = _window(qtbot, screen, zoom, "mazur")          # shown with "1: W¹ (2×2)" …
    session.load_preset("digits")                                    # … then digits' layers
    combo = window.heatmaps.layer_combo
    for step in (0, 4):                               # layer 1's W (32×64), then layer 2's (10×32)
        session.seek(step)
        _settle()
        opt = QtWidgets.QStyleOptionComboBox()
        combo.initStyleOption(opt)
        field = combo.style().subControlRect(QtWidgets.QStyle.ComplexControl.CC_ComboBox, opt,
                                             QtWidgets.QStyle.SubControl.SC_ComboBoxEditField, combo)
        assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width(), combo.currentText()
        _check_panel_fits(window)
    window.close()


@pytest.mark.parametrize("screen, preset", [("1280x720", "wong"), ("1280x720", "diagram")])
def test_the_updates_pair_prints_as_large_as_the_forward_step(qtbot, monkeypatch, screen, preset):
    """The update's "W¹ after the update" over "−η ∂C/∂W¹" (4×3) at 1280×720, zoom 0
    in a window a title bar short: each colour bar goes where the cells' numbers read best, here
    beside the plot, so that the rows take its height: their numbers are as large as W¹'s alone at
    the forward step (12 pt), or within a point, and every row is ticked.  With the bars under the
    plots (D's finding 49) the rows were ~16 px, their numbers ~9 pt, the row ticks 1 and 3 left out."""
    from gui.shell.layouts import Layouts
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR))
    window, session = _window(qtbot, screen, 0, preset)
    session.seek(0)
    _settle_widened(qtbot, window)
    panel = window.heatmaps
    assert panel.roles == ["W"]
    forward = panel.heatmaps["W"]._cells._font.pointSizeF()
    session.seek(session.stepper.last)
    _settle_widened(qtbot, window)
    assert panel.roles == ["W", "step"]
    _check_panel_fits(window)
    for role in panel.roles:
        hm = panel.heatmaps[role]
        _check_heatmap(hm, session, numbers_required=True)
        assert hm._cells._font.pointSizeF() >= forward - 1.0, (role, hm._cells._font.pointSizeF(), forward)
        rows = hm.matrix.shape[0]
        ticks = [label for _, label in hm._plot.getAxis("left")._tickLevels[0]]
        assert ticks == [str(k) for k in range(1, rows + 1)], (role, ticks)
    window.close()


def test_a_stacked_pair_goes_compact_where_its_numbers_print_larger_so(qtbot, monkeypatch):
    """Iris's update at 1280×720, zoom 0 (W¹ after the update over −η∂C/∂W¹, 8×4 each, stacked):
    their 16-px rows printed 8.5 pt under two-line titles and hover lines.  Compact (titles on
    one line, the bars' end labels alone, the hover line as a tooltip), their rows print larger:
    each at 9.5 pt or more, both whole in the panel, the exact value still on hover."""
    from gui.shell.layouts import Layouts
    monkeypatch.setattr(Layouts, "_frame_extent", lambda self: QtCore.QSize(0, TITLE_BAR))
    window, session = _window(qtbot, "1280x720", 0, "iris")
    session.seek(session.stepper.last)
    _settle_widened(qtbot, window)
    panel = window.heatmaps
    assert panel.roles == ["W", "step"]
    _check_panel_fits(window)
    for role in panel.roles:
        hm = panel.heatmaps[role]
        _check_heatmap(hm, session, numbers_required=True)
        assert hm.compact, role
        assert hm._cells._font.pointSizeF() >= 9.5, (role, hm._cells._font.pointSizeF())
        assert hm.geometry().bottom() <= panel.scroll.viewport().height(), role      # whole in view
        centre = hm._plot.getViewBox().mapViewToScene(QtCore.QPointF(0, 0))          # cell (1, 1) of the book
        hm._on_mouse_moved(centre)
        assert format_hover(float(hm.matrix[0, 0])) in QtWidgets.QToolTip.text(), (role, QtWidgets.QToolTip.text())
    window.close()


def test_the_shape_is_in_sight_at_zoom_3(qtbot):
    """Digits at 1024×768, zoom +3, the update (D's finding 53): the two compact heatmaps' titles
    dropped their shapes ("−η ∂C/∂W¹, η = 0.05" for "−η ∂C/∂W¹, η = 0.05 (32×64)") and their axes
    ticked "20" and "20, 40", so the shape was nowhere in full.  Each axis now ticks its last row
    and column, and a title shortened to one line keeps its shape where a shorter form of it fits
    ("−η ∂C/∂W¹ (32×64)", the whole as its tooltip)."""
    window, session = _window(qtbot, "1024x768", 3, "digits")
    session.seek(session.stepper.last)
    _settle_widened(qtbot, window)
    panel = window.heatmaps
    assert panel.roles == ["W", "step"]
    for role in panel.roles:
        hm = panel.heatmaps[role]
        rows, cols = hm.matrix.shape
        assert (rows, cols) == (32, 64)
        for side, n in (("left", rows), ("bottom", cols)):         # the last index's label drawn, whole
            axis = hm._plot.getAxis(side)
            picture = QtGui.QPicture()
            painter = QtGui.QPainter(picture)
            painter.setFont(axis.style["tickFont"])
            try:
                drawn = axis.generateDrawSpecs(painter)[2]
            finally:
                painter.end()
            assert drawn and drawn[-1][2] == str(n), (role, side, [text for *_, text in drawn])
            rect = hm._graphics.mapFromScene(axis.mapRectToScene(drawn[-1][0])).boundingRect()
            assert QtCore.QRectF(hm._graphics.rect()).contains(QtCore.QRectF(rect)), (role, side, rect)
            cell = axis.mapRectToScene(drawn[-1][0]).center()
            box = hm._plot.getViewBox().sceneBoundingRect()
            if side == "bottom":        # under the last columns, within the plot's width
                assert box.right() - box.width() / 4 <= cell.x() <= box.right(), (role, cell.x(), box.getRect())
        _check_heatmap(hm, session)
    step = panel.heatmaps["step"]
    shown = step._title.text().replace("\u2060", "").replace("\u00a0", " ")
    assert step.compact and shown == "−η ∂C/∂W¹ (32×64)" and step._title.toolTip() == step.title, shown
    window.close()


def test_sines_sixteen_row_matrices_print_their_numbers(qtbot):
    """Sine (1-16-1) at 1024×768, zoom 0, the companion following the phase: every heatmap it shows
    prints every number, in its cells, at the readable floor or as large as its cells allow (W¹ and
    ∂C/∂W¹, 16×1; W² and ∂C/∂W², 1×16, drawn transposed; at δ¹ the σ′ row and the 1×16 Jacobian,
    transposed together; the update's pair).  A count (12×12) kept every one of them blank."""
    window, session = _window(qtbot, "1024x768", 0, "sine")
    checked = 0
    for step in _steps_showing(session, lambda roles: True):
        session.seek(step)
        _settle_widened(qtbot, window)
        if window.companion.shown[0] != "matrices":
            continue
        for role in window.heatmaps.roles:
            hm = window.heatmaps.heatmaps[role]
            if hm.matrix is not None:
                _check_heatmap(hm, session, numbers_required=True)
                checked += 16 in hm.matrix.shape
    assert checked >= 8, checked


def test_a_heatmap_printing_nothing_either_way_keeps_its_colour_bar_still(qtbot):
    """Spirals at 1280×720, the companion fixed on the matrices, at micro-step 5: diag σ′(z¹)
    (16×16) prints no numbers with its colour bar beside the plot nor under it; the bar stays where
    it is.  Weighed by the cells' room in its place, it moved at every layout, each move a layout
    and a fit, without end (the panel's width check never settled)."""
    window, session = _window(qtbot, "1280x720", 0, "spirals")
    session.settings.companion = "matrices"
    session.seek(4)
    _settle_widened(qtbot, window)
    sigma = window.heatmaps.heatmaps["sigma"]
    assert sigma.isVisible() and sigma.matrix.shape == (16, 16)
    fitted = []
    sigma.numbers_fitted.connect(lambda: fitted.append(sigma.bar_below))
    qtbot.wait(400)
    assert fitted == [], fitted[:6]


def _arranged(window) -> tuple:
    """The companion's width and each heatmap shown as the panel arranged it: its size, compact or
    not, drawn transposed or not, and its numbers' point size (None: none printed)."""
    panel = window.heatmaps
    return window.docks["matrices"].width(), {
        role: (hm.size().toTuple(), hm.compact, role in panel.transposed,
               hm._cells._font.pointSizeF() if hm.cell_texts() else None)
        for role, hm in ((r, panel.heatmaps[r]) for r in panel.roles)}


@pytest.mark.parametrize("preset, steps", [("iris", (0, 9)), ("wong", (9,))])
def test_ctrl_0_after_zooming_in_arranges_the_heatmaps_as_at_the_start(qtbot, preset, steps):
    """1024×768, the companion following the phase: at W¹ alone and at δ¹'s σ′ row over its
    Jacobian, Ctrl+= twice and Ctrl+0 give back the companion's width and every heatmap's size,
    compact state, transposition and point size as they were before zooming (issue 12: Ctrl+0
    restores the layout exactly).  Iris's W¹ printed 10.78 pt for 10.66 (pyqtgraph kept +2's room
    for the row ticks), its σ′ row and Jacobian stayed as tall as +2's numbers needed (compact,
    scrolling), and wong's were arranged afresh at zoom 0 in another order than at the start."""
    window, session = window_on_screen(qtbot, "1024x768", preset)
    presentation = window.presentation
    for step in steps:
        session.seek(step)
        _settle_widened(qtbot, window)
        assert window.companion.shown[0] == "matrices"
        before = _arranged(window)
        assert any(pt for _, _, _, pt in before[1].values())
        for action in (presentation.zoom_in, presentation.zoom_in, presentation.zoom_reset):
            action.trigger()
            _settle_widened(qtbot, window)
        assert _arranged(window) == before, (step + 1, before)
    window.close()


def test_ctrl_0_before_a_trial_is_weighed_arranges_the_heatmaps_as_at_the_start(qtbot):
    """The arrangement at a zoom does not depend on how it was reached: wong's σ′ row and Jacobian
    at δ¹ (1024×768, zoom 0) read 12.0 and 10.66 pt as drawn.  At zoom +3 the panel tries them
    transposed together; Ctrl+0 before that trial was weighed (the width check after it) took the
    trial out of what +3 found, but left the pair drawn transposed at zoom 0 (12.0 / 12.0 pt, the
    companion then arranged otherwise than at the start, where nothing calls for a change)."""
    window, session = window_on_screen(qtbot, "1024x768", "wong")
    presentation, panel = window.presentation, window.heatmaps
    session.seek(9)                                 # δ¹: σ′ as a row over the Jacobian
    _settle_widened(qtbot, window)
    assert panel.roles == ["sigma", "jacobian"]
    before = _arranged(window)
    assert not panel.transposed and all(pt for _, _, _, pt in before[1].values())
    for _ in range(2):
        presentation.zoom_in.trigger()
        _settle_widened(qtbot, window)
    presentation.zoom_in.trigger()                  # +3: tried transposed together …
    qtbot.waitUntil(lambda: bool(panel._trying), timeout=5000)
    assert panel.transposed == {"sigma", "jacobian"}
    presentation.zoom_reset.trigger()               # … and Ctrl+0 before it is weighed
    _settle_widened(qtbot, window)
    assert _arranged(window) == before
    window.close()


def test_zooming_in_keeps_the_sigma_rows_numbers(qtbot):
    """Iris at δ¹ (micro-step 10: σ′'s 1×8 row over the 3×8 Jacobian), 1024×768, the companion
    following the phase: at zoom 0 and after each Ctrl+= up to +3 both print every number
    (issue 12: a zoom never takes numbers away).  At +1 σ′ printed none: the Jacobian, in
    scientific notation, was drawn transposed alone (foreseen to print so) and σ′'s row, under
    the floor, was not (foreseen at its own 217 px as a row, 8 rows too short for a line), where at
    0 and +2, both in scientific notation, they were tried transposed together (12 and 13.75 pt).
    Tried together at +3, the Jacobian's 8 rows printed none and went back alone, leaving it a
    3×8 printing none under σ′'s column: a trial where one flipped prints none goes back whole."""
    window, session = window_on_screen(qtbot, "1024x768", "iris")
    session.seek(9)
    for zoom in range(4):
        if zoom:
            window.presentation.zoom_in.trigger()
        _settle_widened(qtbot, window)
        panel = window.heatmaps
        assert panel.roles == ["sigma", "jacobian"], panel.roles
        for role in panel.roles:
            try:
                _check_heatmap(panel.heatmaps[role], session, numbers_required=True)
            except AssertionError as e:
                raise AssertionError(f"zoom {zoom:+d}: {e}") from None
    window.close()


def test_a_pair_tried_transposed_together_in_vain_is_tried_one_by_one(qtbot):
    """Digits at δ¹ (σ′'s 1×32 row over its 10×32 Jacobian), 1024×768, Ctrl+= three times: tried
    transposed together, the Jacobian prints none either way and the trial goes back whole; then
    σ′ alone is foreseen to print as a column and drawn so (14.5 pt), the companion as wide as at
    zoom 0.  Not tried alone after that, σ′ stayed a row (13.0 pt) and the companion widened from
    356 to 527 px for it, taking the graph's room."""
    window, session = window_on_screen(qtbot, "1024x768", "digits")
    session.seek(_steps_showing(session, lambda roles: roles == ["sigma", "jacobian"])[0])
    _settle_widened(qtbot, window)
    width = window.docks["matrices"].width()
    for _ in range(3):
        window.presentation.zoom_in.trigger()
        _settle_widened(qtbot, window)
    panel = window.heatmaps
    assert panel.roles == ["sigma", "jacobian"] and "sigma" in panel.transposed, panel.transposed
    _check_heatmap(panel.heatmaps["sigma"], session, numbers_required=True)
    assert window.docks["matrices"].width() <= width, (window.docks["matrices"].width(), width)
    window.close()
