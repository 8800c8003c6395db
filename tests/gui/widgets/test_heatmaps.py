"""The heatmap panel follows the session (matrices equal the engine's) and drives it (layer, lock)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from engine.jacobians import diag_sigma_prime, dz_next_dz
from gui.numbers import format_hover, format_number, format_scientific
from gui.session_types import Selection
from gui.theme import THEMES, contrast_ratio
from gui.widgets.heatmap import TICK_TEXT_SHARE, Heatmap, index_ticks
from gui.widgets.heatmap_panel import HeatmapPanel
from helpers import axis_labels, prints_at


@pytest.fixture
def panel(qtbot, session):
    p = HeatmapPanel(session)
    qtbot.addWidget(p)
    p.resize(900, 900)
    return p


def step_index(session, quantity, layer):
    return next(s.index for s in session.stepper.steps if s.quantity == quantity and s.book_layer == layer)


def test_heatmap_cells_levels_and_hover(qtbot):
    hm = Heatmap()
    qtbot.addWidget(hm)
    M = np.array([[0.45, -0.2, 0.0], [1.5, 0.25, -3.0]])
    hm.set_matrix(M, "W² (2×3)")
    np.testing.assert_array_equal(hm.matrix, M)
    assert hm.levels == (-3.0, 3.0)
    assert hm.cell_texts() == [["0.45", "-0.2", "0"], ["1.5", "0.25", "-3"]]
    assert hm.hover_text(0, 0) == "W²[1, 1] = 0.45"          # the book's indices, from 1
    assert hm.hover_text(1, 2) == "W²[2, 3] = -3"
    hm.set_matrix(np.full((20, 20), 0.1234), "big", signed=False)
    assert hm.cell_texts() == []            # 20 columns of "0.1234" do not fit its width
    hm.clear_matrix("∂C/∂W² is not computed yet at this micro-step")
    assert hm.matrix is None and "not computed" in hm.message



def bar_labels(hm):
    return [label for _, label in hm._bar.axis._tickLevels[0]]


@pytest.mark.parametrize("big", [1e308, -np.finfo(float).max])
def test_colour_bar_marks_saturated_ends(qtbot, big):
    """Values beyond the levels (locked levels, or beyond what can be drawn) saturate the colour map;
    the bar's end label says so with ≥ / ≤, while the cells and the kept matrix show the exact values."""
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.set_matrix(np.array([[0.5, -1.0]]), "W")
    assert bar_labels(hm)[0] == "-1" and bar_labels(hm)[-1] == "1"
    hm.set_matrix(np.array([[0.5, -1.0]]), "W", levels=(-0.5, 0.25))
    assert bar_labels(hm)[0] == "≤ -0.5" and bar_labels(hm)[-1] == "≥ 0.25"
    M = np.array([[big, 1.0]])
    hm.set_matrix(M, "W")
    np.testing.assert_array_equal(hm.matrix, M)
    assert hm.levels == (-1e300, 1e300)
    assert bar_labels(hm) == (["-1e300", "0", "≥ 1e300"] if big > 0 else ["≤ -1e300", "0", "1e300"])
    assert hm.cell_texts()[0][0] == format_number(big)
    metrics = QtGui.QFontMetricsF(hm._bar.axis.style["tickFont"])     # wide enough, or pyqtgraph drops the label
    assert hm._bar.axis.minimumWidth() >= max(metrics.horizontalAdvance(t) for t in bar_labels(hm)) + 8


def test_index_ticks_step_1_2_5_10_counted_from_1():
    assert index_ticks(4, 12) == [(0, "1"), (1, "2"), (2, "3"), (3, "4")]      # (cell, the book's index)
    assert [t for _, t in index_ticks(16, 8)] == ["2", "4", "6", "8", "10", "12", "14", "16"]
    # the last index ticked too (the axis says how many): after the others where a label's room is
    # left (784 cells, 12 labels: one per 65 cells; 700 is 84 before 784), else in place of the last
    assert index_ticks(16, 5) == [(4, "5"), (9, "10"), (15, "16")]
    assert [t for _, t in index_ticks(784, 12)] == [str(k) for k in range(100, 784, 100)] + ["784"]
    assert [t for _, t in index_ticks(64, 6)] == ["10", "20", "30", "40", "50", "64"]
    assert [t for _, t in index_ticks(32, 2)] == ["32"] and [t for _, t in index_ticks(32, 3)] == ["10", "20", "32"]
    assert index_ticks(3, 0.2) == [(2, "3")] and index_ticks(1, 0.2) == [(0, "1")]
    for n, room in ((1000, 50), (997, 12), (13, 12), (31, 4.5)):
        ticks = index_ticks(n, room)
        assert len(ticks) <= min(12, max(int(room), 1)) and ticks[-1] == (n - 1, str(n)), (n, room, ticks)


@pytest.mark.parametrize("shape", [(16, 1), (1, 16), (32, 64), (2, 3)])
def test_index_labels_fit_their_axes(qtbot, shape):
    """Row and column index labels never overlap (fewer, at 1/2/5/10 spacing, when the heatmap is
    small) and the axes never rescale indices with an SI prefix."""
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.resize(260, 200)
    hm.show()
    hm.set_matrix(np.arange(shape[0] * shape[1], dtype=float).reshape(shape) * 1e-3, "M")
    qtbot.wait(20)
    rect = hm._plot.getViewBox().sceneBoundingRect()
    metrics = QtGui.QFontMetricsF(hm._tick_font)
    for side, n, length in (("left", shape[0], rect.height()), ("bottom", shape[1], rect.width())):
        axis = hm._plot.getAxis(side)
        assert not axis.autoSIPrefix
        ticks = [k for k, _ in axis._tickLevels[0]]
        *first, (last, label) = axis._tickLevels[0]
        assert all(label == str(k + 1) for k, label in first)
        # the last index is ticked; the bottom axis' last label moved left where it would reach past the plot
        assert label == str(n) and n - 1 - (length and n / length * metrics.horizontalAdvance(label)) <= last <= n - 1
        need = metrics.height() if side == "left" else metrics.horizontalAdvance(str(n))
        for a, b in zip(ticks, ticks[1:]):
            assert length / n * (b - a) >= need, (side, ticks, need)

def test_panel_matrices_equal_engine_at_each_step(panel, session):
    net, L = session.net, session.net.L
    for k in range(session.stepper.last):
        session.seek(k)
        v, l = session.view, panel.layer
        np.testing.assert_allclose(panel.heatmaps["W"].matrix, v.W[l])
        if v.dW[l] is None:
            assert "not computed yet" in panel.heatmaps["dW"].message
            assert panel.heatmaps["step"].matrix is None
        else:
            np.testing.assert_allclose(panel.heatmaps["dW"].matrix, v.dW[l])
            np.testing.assert_allclose(panel.heatmaps["step"].matrix, -v.eta * v.dW[l])
        if v.sigma_prime[l] is None:
            assert "not computed yet" in panel.heatmaps["sigma"].message
        else:
            np.testing.assert_allclose(panel.heatmaps["sigma"].matrix, diag_sigma_prime(net, session.stepper.trace, l))
    assert L == 2


def test_cell_texts_are_the_values_at_the_view_settings_figures(panel, session):
    session.seek(step_index(session, "dW", 1))
    for sig in (4, 6, 3):
        session.settings.sig_figs = sig
        for role in ("W", "dW", "step", "sigma"):
            hm = panel.heatmaps[role]           # diag σ′(z²): its diagonal alone, the zeros blank
            blank = role == "sigma"
            assert hm.cell_texts() == [["" if blank and r != c else format_number(float(x), sig) for c, x in enumerate(row)]
                                       for r, row in enumerate(hm.matrix)]


def test_select_layer_changes_shapes_and_jacobian(qtbot, session, panel):
    session.load_preset("diagram")               # 3-4-2
    session.seek(step_index(session, "dW", 1))
    assert panel.heatmaps["W"].title == "W¹ (4×3)"
    assert panel.heatmaps["jacobian"].matrix.shape == (2, 4)
    np.testing.assert_allclose(panel.heatmaps["jacobian"].matrix, dz_next_dz(session.net, session.stepper.trace, 0))
    session.select(Selection.layer(1))
    assert panel.layer_combo.currentIndex() == 1
    assert panel.heatmaps["W"].title == "W² (2×4)"
    np.testing.assert_allclose(panel.heatmaps["W"].matrix, session.view.W[1])
    assert "does not exist" in panel.heatmaps["jacobian"].message
    session.select(Selection.neuron(1, 2))    # a neuron of layer 1 selects W¹
    assert panel.layer_combo.currentIndex() == 0 and panel.heatmaps["W"].title.startswith("W¹")


def test_layer_combo_updates_session(panel, session):
    panel.layer_combo.setCurrentIndex(1)
    assert session.selection == Selection.layer(1)
    assert panel.heatmaps["W"].title.startswith("W²")


def test_row_convention_transposes_gradient(panel, session):
    session.load_preset("diagram")
    session.seek(step_index(session, "dW", 1))
    dW = session.view.dW[0]
    assert "(4×3, shaped like W¹)" in panel.heatmaps["dW"].title
    session.settings.convention = "row"
    np.testing.assert_allclose(panel.heatmaps["dW"].matrix, dW.T)
    np.testing.assert_allclose(panel.heatmaps["step"].matrix, -session.view.eta * dW)     # W ← W − η (∂C/∂W)ᵀ
    assert panel.heatmaps["dW"].title == "∂C/∂W¹ = a⁰ ⊗ δ¹ (3×4, shaped like W¹ᵀ: row vectors)"
    assert panel.heatmaps["step"].title.startswith("−η (∂C/∂W¹)ᵀ") and "(4×3, shaped like W¹)" in panel.heatmaps["step"].title
    assert panel._info.text() == session.view.step.equation_in("row")
    np.testing.assert_allclose(panel.heatmaps["W"].matrix, session.view.W[0])
    session.settings.convention = "column"
    assert panel.heatmaps["dW"].title == "∂C/∂W¹ = δ¹ (a⁰)ᵀ (4×3, shaped like W¹)"
    assert panel._info.text() == session.view.step.equation_in("column") and "(a⁰)ᵀ" in panel._info.text()


def test_update_step_shows_weights_after_update(panel, session):
    session.seek(session.stepper.last)
    np.testing.assert_allclose(panel.heatmaps["W"].matrix, session.net.W[0])
    assert not np.allclose(panel.heatmaps["W"].matrix, session.view.W_before[0])
    assert "after the update" in panel.heatmaps["W"].title


def test_lock_scale_keeps_levels(panel, session):
    session.seek(step_index(session, "dW", 1))
    before = panel.heatmaps["W"].levels
    panel.lock_check.setChecked(True)
    assert session.settings.lock_scale
    session.train_steps(200)                                           # ends on the trained network's loss step
    session.seek(step_index(session, "dW", 1))                         # the same layer's matrices again
    assert np.abs(panel.heatmaps["W"].matrix).max() != before[1]      # the weights moved, the scale did not
    assert panel.heatmaps["W"].levels == before
    session.settings.lock_scale = False
    assert not panel.lock_check.isChecked()
    assert panel.heatmaps["W"].levels != before


def test_softmax_shows_full_jacobian(panel, session):
    session.load_preset("iris")
    session.select(Selection.layer(1))
    session.seek(step_index(session, "a", 2))
    D = panel.heatmaps["sigma"].matrix
    assert D.shape == (3, 3) and np.count_nonzero(D - np.diag(np.diag(D))) > 0
    assert "softmax" in panel.heatmaps["sigma"].title


def _compact_and_short(qtbot, theme: str) -> Heatmap:
    """A 2×2 heatmap compact and short, as two stacked at zoom +3: its row label stands upright."""
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES[theme], "standard", 1.52)
    hm.set_compact(True)
    hm.resize(330, 190)
    hm.show()
    qtbot.waitExposed(hm)
    hm.set_matrix(np.array([[0.1498, 0.1996], [0.2498, 0.2995]]), "W¹ after the update (2×2)",
                  row_label="j (layer 1)", col_label="i (layer 0)")
    qtbot.wait(50)
    return hm


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_bare_row_index_stands_upright_beside_the_row_ticks(qtbot, theme):
    """Compact and short (two heatmaps stacked at zoom +3), the row label "j (layer 1)" does not
    fit along the axis: its bare index "j" stands upright, left of the row ticks, level with the
    rows, inside the picture and in a colour readable on the theme's background (rotated, a lone "j" read like "⌐");
    tall enough, the whole label runs along the axis again."""
    hm = _compact_and_short(qtbot, theme)
    axis = hm._plot.getAxis("left")
    box, label = hm._plot.getViewBox().sceneBoundingRect(), axis.label
    assert axis.labelText == "j" and label.rotation() == 0
    drawn = label.mapRectToScene(label.boundingRect())
    ticks = QtGui.QFontMetricsF(hm._tick_font).horizontalAdvance("2")
    assert drawn.right() <= box.left() - ticks, (drawn.getRect(), box.getRect())          # clear of the ticks
    assert QtCore.QRectF(hm._graphics.rect()).contains(drawn), drawn.getRect()            # not cut off
    assert drawn.top() <= box.center().y() <= drawn.bottom()                              # level with the rows
    colour = QtGui.QColor(axis.labelStyle["color"])                                     # readable on the theme
    assert colour.name() in label.toHtml() and contrast_ratio(colour, QtGui.QColor(THEMES[theme].background)) >= 4.5
    hm.resize(330, 520)
    qtbot.wait(50)
    box = hm._plot.getViewBox().sceneBoundingRect()
    drawn = label.mapRectToScene(label.boundingRect())
    margin = label.document().documentMargin()      # the text item's margin round its text
    assert axis.labelText == "j (layer 1)" and \
        QtCore.QRectF(hm._graphics.rect()).contains(drawn.adjusted(margin, margin, -margin, -margin))
    if hm.bar_below:        # the colour bar under the plot (its cells' numbers larger so): the label reads across, above
        assert label.rotation() == 0 and drawn.bottom() - margin <= box.top() + 1, (drawn.getRect(), box.getRect())
    else:
        assert label.rotation() == -90 and drawn.right() <= box.left()


def test_theme_and_font_scale_restyle(panel, session):
    session.seek(3)
    session.settings.theme = "dark"
    session.settings.palette = "colorblind"
    session.settings.font_scale = 1.5
    assert panel.heatmaps["W"].cell_texts() == [[format_number(float(x)) for x in r] for r in session.view.W[session.focus_layer]]


def test_panel_follows_the_micro_step_layer_until_something_is_selected(panel, session):
    session.seek(3)      # forward, layer 2
    assert panel.layer == 1 and panel.layer_combo.currentIndex() == 1
    session.seek(10)     # backward, layer 1
    assert panel.layer == 0
    session.select(Selection.layer(1))
    session.seek(11)
    assert panel.layer == 1


@pytest.mark.parametrize("size, columns", [((1200, 500), 3), ((620, 800), 2), ((620, 530), 2), ((500, 290), 1)])
def test_panel_columns_fit_its_width(qtbot, session, size, columns):
    """Three columns when wide, two when tall, fewer when a heatmap would get less than 240 pixels
    (a 1280×720 screen): the panel scrolls down rather than sideways."""
    p = HeatmapPanel(session)
    qtbot.addWidget(p)
    p.resize(*size)
    p.show()
    qtbot.wait(10)
    assert p._columns == columns
    assert p.scroll.horizontalScrollBar().maximum() == 0


@pytest.mark.parametrize("conv", ["column", "row"])
def test_the_selection_is_outlined_where_it_sits_in_every_map(panel, session, conv):
    """An edge w_ji: cell (j, i) of the maps shaped like W, (i, j) of ∂C/∂W with row vectors; a
    neuron of layer l + 1: its row of W and its diagonal entry of σ′; an input neuron: its column."""
    session.settings.convention = conv
    session.load_preset("diagram")                     # 3-4-2: W¹ is 4×3
    session.change(optimizer="momentum")
    session.finish_example()
    session.select(Selection.edge(0, 2, 1))
    assert panel.layer == 0
    assert panel.heatmaps["W"].selected == [(2, 1, 1, 1)] == panel.heatmaps["step"].selected
    assert panel.heatmaps["applied"].selected == panel.heatmaps["v"].selected == [(2, 1, 1, 1)]
    assert panel.heatmaps["dW"].selected == ([(1, 2, 1, 1)] if conv == "row" else [(2, 1, 1, 1)])
    assert panel.heatmaps["sigma"].selected == []
    session.select(Selection.neuron(1, 3))
    assert panel.heatmaps["W"].selected == [(3, 0, 1, 3)] and panel.heatmaps["sigma"].selected == [(3, 3, 1, 1)]
    assert panel.heatmaps["dW"].selected == ([(0, 3, 3, 1)] if conv == "row" else [(3, 0, 1, 3)])
    session.select(Selection())
    assert all(hm.selected == [] for hm in panel.heatmaps.values())
    session.select(Selection.edge(0, 2, 1))
    session.settings.theme = "dark"                     # the outline follows the theme's accent
    assert panel.heatmaps["W"]._selected_items[0].pen().color().name() == THEMES["dark"].accent.lower()


def test_cell_numbers_grow_with_the_zoom_and_keep_their_figures(qtbot):
    """The cells' numbers are set in the zoomed font (the widgets' size × the zoom) while they fit
    their cells, as the rest of the window grows with Ctrl+=; in cells too narrow for that they
    keep all their figures, every cell in one form: the formatter's plain decimals in a smaller
    font down to the readable floor, else all in scientific notation, else (cells tall enough)
    all in scientific notation over two lines ("-2.193" over "e-4").  Never plain beside
    scientific: a narrow σ′ row printed "2.436e-1" beside "0.203"."""
    from gui.numbers import format_scientific
    from gui.theme import BASE_POINT_SIZE
    from gui.widgets.heatmap import cell_floor
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.resize(700, 600)
    hm.show()
    M = np.array([[0.1498, 0.1996], [-0.0002193, 0.2995]])
    hm.set_matrix(M, "W¹ (2×2)")
    sizes = {}
    for scale in (1.0, 1.15 ** 3):
        hm.apply_style(THEMES["light"], "standard", scale)
        qtbot.wait(20)
        sizes[scale] = hm._cells._font.pointSizeF()
        assert sizes[scale] == pytest.approx(BASE_POINT_SIZE * scale)
        assert hm.cell_texts() == [[format_number(x) for x in row] for row in M]
    assert sizes[1.15 ** 3] > 1.5 * sizes[1.0]
    M = np.array([[0.1498, 0.1996, -0.0002193, 0.2995], [0.03, -0.0004386, 0.5, 0.25]])
    hm.set_matrix(M, "W¹ (2×4)")
    plain, sci = [[format_number(x) for x in row] for row in M], [[format_scientific(x) for x in row] for row in M]
    seen = []
    for width in (450, 380, 320):                # narrower and narrower cells: plain, scientific, over two lines
        hm.resize(width, 300)
        qtbot.wait(20)
        texts, painted, font = hm.cell_texts(), hm._cells.texts(), hm._cells._font
        cell = hm._plot.getViewBox().sceneBoundingRect().width() / 4
        assert texts in (plain, sci), (width, texts)
        lines = {t.count("\n") for row in painted for t in row if "e" in t}
        assert len(lines) <= 1, (width, painted)         # every scientific number on one line, or every one on two
        seen.append("plain" if texts == plain else "two lines" if lines == {1} else "scientific")
        assert cell_floor(1.15 ** 3) <= font.pointSizeF() <= BASE_POINT_SIZE * 1.15 ** 3
        assert max(QtGui.QFontMetrics(font).horizontalAdvance(line) for row in painted for t in row
                   for line in t.split("\n")) <= cell, width
    assert seen == ["plain", "scientific", "two lines"], seen


def test_zoomed_in_cells_short_of_the_zoomed_floor_print_down_to_the_unzoomed_one(qtbot):
    """At zoom +3 the cells print their numbers at the zoomed floor (READABLE_PT × zoom) where that
    fits; where it does not, at the largest size that fits down to READABLE_PT, the floor at zoom
    0, and none only below that: zooming in never takes away numbers that cells of that size print
    unzoomed.  (Iris's ∂C/∂W¹ and the update's −η∂C/∂W of wong and diagram in the 1024×768
    companion at zoom +3: 63-px cells printed none, for want of the 77 px the zoomed floor needs.)
    Checked across widths against the font's own metrics: each width prints at the zoomed floor or
    more where that fits, else at the largest size that fits (not half a point more), else none."""
    from gui.widgets.graph.text_fit import READABLE_PT
    from gui.widgets.heatmap import cell_floor
    scale = 1.15 ** 3
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES["light"], "standard", scale)
    M = np.array([[-0.08546, -0.06483, -0.04173, -0.1303], [0.0786, 0.05962, 0.03838, 0.1199]])
    hm.set_matrix(M, "∂C/∂W² (2×4)")
    hm.show()
    seen = set()
    for width in (560, 470, 400, 330, 290, 250):
        hm.resize(width, 190)
        qtbot.wait(20)
        box = hm._plot.getViewBox().sceneBoundingRect()
        cell_w, cell_h = box.width() / 4, box.height() / 2
        texts, pt = hm.cell_texts(), hm._cells._font.pointSizeF()
        where = (width, round(cell_w), round(cell_h), texts and pt)
        if prints_at(M, cell_floor(scale), cell_w, cell_h):
            seen.add("zoomed")
            assert texts and pt >= cell_floor(scale) - 1e-9, where
        elif prints_at(M, READABLE_PT, cell_w, cell_h):
            seen.add("unzoomed")
            assert texts and READABLE_PT <= pt < cell_floor(scale), where
            assert not prints_at(M, pt + 0.5, cell_w, cell_h), where        # the largest that fits
            assert hm.under_floor and not hm.values_hidden, where
        else:
            seen.add("none")
            assert not texts and hm.values_hidden, where
        for r, row in enumerate(texts):
            for c, text in enumerate(row):
                assert text in (format_number(M[r, c]), format_number(M[r, c], shortest=True),
                                format_scientific(M[r, c])), (where, text)         # every figure
    assert seen == {"zoomed", "unzoomed", "none"}, seen


@pytest.mark.parametrize("scale", [1.0, 1.15 ** 3])
def test_cells_too_small_print_no_numbers_and_say_so(qtbot, scale):
    """A cell that cannot hold its number at all the View's figures at the readable floor (the
    graph's READABLE_PT at the zoom) prints none, never a shortened one ("-0.0855" for -0.08546),
    and the hover line says to point at a cell, which then gives its value; wide again, the numbers
    come back.  The floor is the graph's: cells never print smaller than it.  (The narrow heatmap
    here is also short: its cells too low for "-8.546" over "e-2", the form a cell too narrow for
    "-0.08546" prints when two lines fit its height.)"""
    from gui.widgets.graph.text_fit import READABLE_PT
    from gui.widgets.heatmap import CELL_PADDING_TIGHT, HIDDEN_NOTES, cell_floor
    assert cell_floor(scale) == pytest.approx(READABLE_PT * scale)
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES["light"], "standard", scale)
    M = np.array([[-0.08546, -0.06483, -0.04173, -0.1303], [0.0786, 0.05962, 0.03838, 0.1199]])
    hm.set_matrix(M, "∂C/∂W² = δ² (a¹)ᵀ (2×4, shaped like W²)")
    widths = {}
    for width, height in ((900, 500), (100 + 70 * scale, 120)):
        hm.resize(round(width), height)
        hm.show()
        qtbot.wait(30)
        box = hm._plot.getViewBox().sceneBoundingRect()
        at_floor = QtGui.QFont()
        at_floor.setPointSizeF(READABLE_PT * scale)
        need = max(QtGui.QFontMetrics(at_floor).horizontalAdvance(format_number(v)) for v in M.ravel())
        texts = hm.cell_texts()
        widths[width] = texts
        if need <= box.width() / 4 - CELL_PADDING_TIGHT:
            assert texts == [[format_number(x) for x in row] for row in M]
            assert not hm.values_hidden and hm._hover.text().strip() == ""
            assert hm._cells._font.pointSizeF() >= READABLE_PT * scale - 1e-9
        else:
            assert texts == [] and hm.values_hidden and hm._cells.texts() == []
            assert hm._hover.text() in HIDDEN_NOTES
            assert QtGui.QFontMetricsF(hm._hover.font()).horizontalAdvance(hm._hover.text()) <= hm._hover.width()
            centre = hm._plot.getViewBox().mapViewToScene(QtCore.QPointF(1, 0))      # cell (1, 2) of the book
            hm._on_mouse_moved(centre)
            assert hm._hover.text() == f"∂C/∂W²[1, 2] = {format_hover(-0.06483)}"
    assert widths[900], "a wide heatmap prints its numbers"
    assert not widths[100 + 70 * scale], "a narrow one does not"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_narrow_heatmap_reads_its_row_label_above_the_plot(qtbot, theme):
    """A narrow heatmap whose cells print numbers (the colour bar under the plot) writes its row
    label across, above the plot and over the row ticks, not rotated beside them (that line of width
    went to the cells), whole inside the picture; the colour bar's labels stay within the plot's width
    (room past its right edge for them was taken from the cells)."""
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES[theme], "standard", 1.15 ** 3)
    hm.resize(344, 412)
    hm.show()
    qtbot.waitExposed(hm)
    hm.set_matrix(np.array([[-0.1406, -0.334, -0.5276, -0.1954], [0.241, -0.1193, 0.4789, -0.0999]]), "W² (2×4)",
                  row_label="j (layer 2)", col_label="i (layer 1)")
    qtbot.wait(50)
    assert hm.bar_below and hm.cell_texts()
    axis = hm._plot.getAxis("left")
    box, label = hm._plot.getViewBox().sceneBoundingRect(), axis.label
    assert axis.placement == "above" and axis.labelText == "j (layer 2)" and label.rotation() == 0
    m = label.document().documentMargin()             # the text within its item's margins
    drawn = label.mapRectToScene(label.boundingRect().adjusted(m, m, -m, -m))
    assert drawn.bottom() <= box.top() + 1 and drawn.left() <= box.left(), (drawn.getRect(), box.getRect())
    assert QtCore.QRectF(hm._graphics.rect()).contains(drawn), drawn.getRect()
    ticks = QtGui.QFontMetricsF(hm._tick_font).horizontalAdvance("2")
    assert axis.width() <= ticks + 12, axis.width()         # as wide as its ticks: no line for the label
    bar = hm._bar.axis
    picture = QtGui.QPicture()
    painter = QtGui.QPainter(picture)
    try:
        specs = bar.generateDrawSpecs(painter)
    finally:
        painter.end()
    for rect, _, text in specs[2]:
        at = bar.mapRectToScene(rect)
        assert box.left() - 1 <= at.left() and at.right() <= box.right() + 1, (text, at.getRect(), box.getRect())


def test_the_row_axis_width_is_set_once_not_toggled(qtbot, monkeypatch):
    """The row axis of a heatmap whose label stands upright (compact and short at zoom +3) keeps one
    width through its updates: its width was set to pyqtgraph's (35 px) and then to its own (56 px)
    at every update, each change laying the plot out again (P's finding 64: 14 setter calls in one
    draw of digits' σ′).  Also as wide as pyqtgraph's rule with the label's upright width."""
    hm = _compact_and_short(qtbot, "light")
    axis = hm._plot.getAxis("left")
    assert axis.placement == "upright"
    settled = axis.minimumWidth()
    style = axis.style
    assert settled == pytest.approx(axis.textWidth + style["tickTextOffset"][0] + axis.label.boundingRect().width())
    widths = []
    original = type(axis).setMinimumWidth
    monkeypatch.setattr(type(axis), "setMinimumWidth", lambda self, w: (widths.append(w), original(self, w))[1])
    for _ in range(3):
        axis._updateWidth()
    hm.set_matrix(np.array([[0.1, 0.2], [0.3, 0.4]]), "W¹ after the update (2×2)",
                  row_label="j (layer 1)", col_label="i (layer 0)")
    qtbot.wait(50)
    assert widths and set(widths) == {settled}, widths


@pytest.mark.parametrize("scale", [1.0, 1.15 ** 3])
def test_a_number_in_a_short_wide_row_is_as_tall_as_the_row_allows(qtbot, scale):
    """A one-line number in a short row as wide as it likes (iris's σ′ as a column beside its
    Jacobian at 1024×768: 22-px rows) is set at the largest size whose line, with CELL_LINE_MARGIN
    pixels to spare, fits the row's height, and CELL_PADDING beside it: 12 pt there, not the
    8.6 pt that a font held to 0.4 of the row's height gave.  In tall rows it is never larger than
    the widgets' font × the zoom.  Reference: Qt's own font metrics, size by size."""
    from gui.theme import BASE_POINT_SIZE
    from gui.widgets.heatmap import CELL_LINE_MARGIN, CELL_PADDING
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES["light"], "standard", scale)
    M = np.array([[0.7511], [0.4296], [0.9892], [0.06893], [0.4663], [0.5521], [0.4603], [0.408]])
    hm.set_matrix(M, "σ′(z¹) (8×1)", signed=False)
    top = BASE_POINT_SIZE * scale
    for height in (round(250 * scale), 900):
        hm.resize(420, height)
        hm.show()
        qtbot.wait(30)
        box = hm._plot.getViewBox().sceneBoundingRect()
        cell_w, cell_h = box.width(), box.height() / 8
        font = QtGui.QFont(hm._cells._font)
        expected = 1.0
        for quarter in range(4, int(4 * top) + 1):          # every size Qt can set, up to the widgets' font
            font.setPointSizeF(quarter / 4)
            if QtGui.QFontMetrics(font).height() + CELL_LINE_MARGIN <= cell_h:
                expected = quarter / 4
        pt = hm._cells._font.pointSizeF()
        assert hm.cell_texts() == [[format_number(v) for v in row] for row in M]
        assert pt == pytest.approx(expected, abs=0.26), (height, cell_w, cell_h, pt, expected)
        assert pt <= top + 1e-9
        metrics = QtGui.QFontMetrics(hm._cells._font)
        assert metrics.height() + CELL_LINE_MARGIN <= cell_h
        assert max(metrics.horizontalAdvance(t) for row in hm._cells.texts() for t in row) + CELL_PADDING <= cell_w
        if height != 900:
            assert expected > 0.4 * cell_h + 1, (cell_h, expected)      # a short row: the case in point
        else:
            assert pt == pytest.approx(top)                             # a tall row: the widgets' font


@pytest.mark.parametrize("shape", [(16, 1), (16, 16)])
def test_a_matrix_of_any_shape_prints_where_its_cells_hold_its_numbers(qtbot, shape):
    """The rule is room, not a count: sine's 16×1 W¹ and a 16×16 print every number where their
    cells hold them at the readable floor (a 12×12 limit printed none), and none where they do not
    (prints_at, tests/helpers.py, is the independent reference).  A matrix whose cells could not
    hold them even as wide as the screen (digits' 32×64 W¹ of 4-figure values) is not formatted."""
    rng = np.random.default_rng(12)
    M = rng.uniform(-0.5, 0.5, shape).round(4)
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.set_matrix(M, f"M ({shape[0]}×{shape[1]})")
    printed = {}
    for width, height in ((1000, 720), (300, 200)):
        hm.resize(width, height)
        hm.show()
        qtbot.wait(30)
        box = hm._plot.getViewBox().sceneBoundingRect()
        cell_w, cell_h = box.width() / shape[1], box.height() / shape[0]
        texts = hm.cell_texts()
        printed[width] = bool(texts)
        assert bool(texts) == prints_at(M, 8.0, cell_w, cell_h), (width, cell_w, cell_h, texts[:1])
        if texts:
            assert texts in ([[format_number(v) for v in row] for row in M.tolist()],
                             [[format_scientific(v) for v in row] for row in M.tolist()])
        else:
            assert hm.values_hidden
    assert printed[1000] and not printed[300]
    big = rng.uniform(-0.5, 0.5, (32, 64)).round(4)
    hm.set_matrix(big, "W¹ (32×64)")
    assert hm.cell_texts() == [] and not hm.could_print() and hm._texts is None


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_diagonal_matrix_prints_its_diagonal_over_its_blank_neighbours(qtbot, theme):
    """diag σ′(z¹) (iris, 8×8) at zoom +3 in 37-px columns: "0.1966" needs 41 px at 8 pt, so a full
    matrix prints nothing there (prints_at, the reference); a diagonal one prints its diagonal
    alone, the zeros blank, each number as wide as two cells (its row's other cells are blank) on a
    plate of its cell's fill, within the plot, its text in contrast with it.  The softmax
    Jacobian, full though its off-diagonal entries are small, is not drawn so: it prints nothing."""
    from gui.theme import contrast_ratio
    d = np.array([0.1966, 0.2035, 0.2492, 0.1029, 0.2311, 0.1888, 0.2457, 0.1501])
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES[theme], "standard", 1.15 ** 3)
    hm.resize(330, 420)
    hm.show()
    full = np.diag(d) - 0.0123 * (1 - np.eye(8))
    for M in (full, np.diag(d)):
        hm.set_matrix(M, "diag σ′(z¹) (8×8)", signed=not np.array_equal(M, np.diag(d)))
        qtbot.wait(30)
        box = hm._plot.getViewBox().sceneBoundingRect()
        cell_w, cell_h = box.width() / 8, box.height() / 8
        assert not prints_at(M, 8.0, cell_w, cell_h), (cell_w, cell_h)     # a full matrix prints none here
        texts = hm.cell_texts()
        if M is full:
            assert texts == [] and hm.values_hidden
            continue
        assert texts == [[format_number(v) if r == c else "" for c, v in enumerate(row)] for r, row in enumerate(M)]
        pt = hm._cells._font.pointSizeF()
        assert pt >= 8.0 and prints_at(d[:, None], pt, 2 * cell_w, cell_h), (pt, cell_w)
    image = hm._graphics.grab().toImage()
    origin = hm._graphics.mapFromScene(box.topLeft())
    for r in (0, 7):                    # the first and last rows lean inward: their plates within the plot
        fill = hm._cells._plates[r]
        assert contrast_ratio(hm._cells._colours[r][r], fill) >= 4.5
        c = 1 if r == 0 else 6          # the neighbour the number spreads over shows the plate, not its own zero
        x = round(origin.x() + (c + 0.5) * cell_w + (-0.5 if r == 0 else 0.5) * cell_w * 0.8)
        y = round(origin.y() + r * cell_h + 2)
        assert image.pixelColor(x, y).name() == fill.name(), (r, image.pixelColor(x, y).name(), fill.name())


def _in_the_scrolling_column(qtbot, width: int, height: int) -> Heatmap:
    """A heatmap shown at ``width`` × ``height`` with the least plot height of the five heatmaps'
    scrolling column (spirals' update)."""
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.resize(width, height)
    hm.set_min_plot_height(180, numbers=True)
    hm.show()
    qtbot.waitExposed(hm)
    return hm


def test_a_new_shape_places_its_colour_bar_as_it_is_drawn(qtbot, monkeypatch):
    """A heatmap given a matrix of another shape places its colour bar for the new rows as it draws
    them, not once it has been drawn and fitted: the bar's place was weighed by the old matrix's
    cell height times the new rows (sine's ∂C/∂W² drawn transposed at →8, 1×16 → 16×1, in a 391-px
    heatmap: 75-px rows as sixteen 1200 px of plot, so the bar stayed under it), and moved beside it
    after the first fit, which drew and fitted the heatmap again within the key."""
    rng = np.random.default_rng(3)
    hm = _in_the_scrolling_column(qtbot, 433, 232)
    row = rng.normal(0, 0.05, (1, 16))
    hm.set_matrix(row, "∂C/∂W² (1×16)")
    qtbot.wait(50)
    assert hm.bar_below and not hm.cell_texts()     # one tall row, 16 columns too narrow for its numbers: the bar under it
    draws = []
    draw = Heatmap._draw
    monkeypatch.setattr(Heatmap, "_draw", lambda self: (draws.append(1), draw(self))[1])
    hm.hold(True)                                   # as the panel gives it the transposed matrix and its new height
    hm.set_matrix(row.T, "(∂C/∂W²)ᵀ (16×1)")
    hm.resize(433, 391)
    hm.hold(False)
    qtbot.wait(50)
    assert not hm.bar_below and hm.cell_texts()     # sixteen short rows: beside it, the rows the height
    assert len(draws) == 1


def test_the_same_message_again_is_not_drawn_again(qtbot, monkeypatch):
    """A micro-step that leaves a heatmap's message as it was ("not computed yet" through the
    forward pass, Adam's state until the update) does not draw it again; another message, a title,
    or a matrix and the message back are drawn."""
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.resize(400, 300)
    hm.show()
    qtbot.waitExposed(hm)
    hm.clear_matrix("∂C/∂W² is not computed yet at this micro-step", "∂C/∂W²")
    draws = []
    draw = Heatmap._draw
    monkeypatch.setattr(Heatmap, "_draw", lambda self: (draws.append(self.message), draw(self))[1])
    hm.clear_matrix("∂C/∂W² is not computed yet at this micro-step", "∂C/∂W²")
    hm.clear_matrix("∂C/∂W² is not computed yet at this micro-step")
    assert draws == []
    hm.clear_matrix("∂C/∂W² is not computed yet at this micro-step", "∂C/∂W¹")
    hm.clear_matrix("the optimizer's state and step appear at the update micro-step", "∂C/∂W¹")
    hm.set_matrix(np.array([[0.5, -0.25]]), "∂C/∂W¹ (1×2)")
    hm.clear_matrix("the optimizer's state and step appear at the update micro-step", "∂C/∂W¹")
    assert len(draws) == 4 and hm.stack.showing_plot is False and hm.title == "∂C/∂W¹"


def test_cells_too_narrow_for_their_numbers_are_not_formatted_to_place_the_colour_bar(qtbot, monkeypatch):
    """A 16×16 whose 20-px columns cannot hold "-0.1234" (spirals' W² and ∂C/∂W² at ←14, 1280×720)
    places its colour bar without its 256 numbers formatted: cells narrower than the probes' need
    (its largest, smallest and least values) are too narrow for them all.  Formatted to learn that,
    the two 16×16 drawn at the key cost 12 of its 48 ms of CPU.  Cells wide enough are still
    measured whole (its numbers printed)."""
    rng = np.random.default_rng(5)
    hm = _in_the_scrolling_column(qtbot, 420, 700)
    formatted = []
    real = Heatmap._formatted
    monkeypatch.setattr(Heatmap, "_formatted", lambda self: (formatted.append(self.matrix.shape), real(self))[1])
    for seed in range(2):                           # the first drawn, then another (its bar's place weighed, _chrome known)
        hm.set_matrix(rng.normal(0, 0.2, (16, 16)), f"W² (16×16) {seed}")
        qtbot.wait(30)
    assert hm.cell_texts() == [] and hm.values_hidden
    assert formatted == []
    hm.set_matrix(rng.normal(0, 0.2, (16, 2)), "(W³)ᵀ (16×2)")     # wide cells: its numbers
    assert hm.cell_texts() and formatted


def test_a_new_range_sets_no_axis_label_again(qtbot, monkeypatch):
    """A matrix of another shape (a new range for every axis linked to a view: the plot's four, two
    of them hidden, and the colour bars', each a plot too) sets no axis label's text for an SI
    prefix: with it on, pyqtgraph set each such axis' label's HTML at every range change (40 times
    at spirals' →10, four heatmaps drawn, ~8 ms of CPU).  The row and column labels it shows are
    still set where they change."""
    import pyqtgraph as pg
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.resize(420, 400)
    hm.show()
    qtbot.waitExposed(hm)
    hm.set_matrix(np.full((2, 16), 0.25), "W³ (2×16)", row_label="j (layer 3)", col_label="i (layer 2)")
    qtbot.wait(20)
    prefixed, labels = [], []
    prefix, label = pg.AxisItem.updateAutoSIPrefix, pg.AxisItem.setLabel
    monkeypatch.setattr(pg.AxisItem, "updateAutoSIPrefix", lambda self: (prefixed.append(self.orientation), prefix(self))[1])
    monkeypatch.setattr(pg.AxisItem, "setLabel", lambda self, *a, **k: (labels.append(a[0]), label(self, *a, **k))[1])
    for M in (np.full((16, 2), 0.25), np.full((3, 3), -2e-4), np.full((1, 16), 3e5)):
        hm.set_matrix(M, f"M ({M.shape[0]}×{M.shape[1]})", row_label="k (layer 3)", col_label="i (layer 2)")
        qtbot.wait(20)
    assert prefixed == []
    assert "k (layer 3)" in labels and hm._plot.getAxis("left").labelText in ("k (layer 3)", "k")


def _drawn_ticks(hm, side: str) -> list[tuple[str, QtCore.QRectF]]:
    """The index labels pyqtgraph draws on the ``side`` axis, with their rectangles."""
    return axis_labels(hm._plot.getAxis(side))


def test_rows_as_tall_as_their_labels_each_carry_their_index(qtbot):
    """A 4×4 at zoom +3 whose rows are as tall as a tick label as pyqtgraph draws it (0.8 of a
    line; not 1.15 lines, the spacing kept for thinned ticks) names every row, 1 to 4, and every
    column (wong's W¹ after the update at 1024×768, 25-px rows, named rows "2" and "4" alone);
    rows shorter than a label are thinned, and the labels drawn never overlap."""
    from gui.shell.presentation import ZOOM_STEP
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES["light"], "standard", round(ZOOM_STEP ** 3, 4))
    hm.resize(420, 200)
    hm.show()
    qtbot.waitExposed(hm)
    line = TICK_TEXT_SHARE * QtGui.QFontMetricsF(hm._tick_font).height()     # a label's height as drawn
    seen = {}
    for rows in (4, 8):
        hm.set_matrix(np.array([[0.15, -0.2, 0.25, 0.3]] * rows), f"W¹ after the update ({rows}×4)")
        for height in range(140, 320, 4):
            hm.resize(420, height)
            QtCore.QCoreApplication.sendPostedEvents()
            row = hm._plot.getViewBox().sceneBoundingRect().height() / rows
            ticks = [t for t, _ in _drawn_ticks(hm, "left")]
            if line <= row < 1.2 * line:
                seen["tall"] = ticks
                assert ticks == [str(k) for k in range(1, rows + 1)], (row, line, ticks)
                assert [t for t, _ in _drawn_ticks(hm, "bottom")] == ["1", "2", "3", "4"]
            elif row < 0.9 * line:
                seen["short"] = ticks
                assert len(ticks) < rows, (row, line, ticks)
            rects = [r for _, r in _drawn_ticks(hm, "left")]
            assert all(a.bottom() <= b.top() + 0.01 for a, b in zip(rects, rects[1:])), (row, line)
            if ("tall" if rows == 4 else "short") in seen:
                break
    assert set(seen) == {"tall", "short"}, (seen, line)


@pytest.mark.parametrize("preset", ["digits", "iris"])
def test_the_output_layers_rows_are_named_by_class_where_the_names_fit(qtbot, session, preset):
    """The heatmaps whose rows are the output neurons (W, ∂C/∂W, −η∂C/∂W, σ′ of the output layer)
    name each row by its class, as the graph names the output neurons: digits' W³ row 5 is class
    "4", not index 5.  Names wider than the room kept for the row ticks (iris's "versicolor") leave
    the indices, and the hover line says the class; another layer's rows keep their indices."""
    session.load_preset(preset)
    panel = HeatmapPanel(session)
    qtbot.addWidget(panel)
    panel.resize(700, 1000)
    panel.set_roles(["W", "sigma"])
    panel.show()
    qtbot.waitExposed(panel)
    session.seek(step_index(session, "dW", session.net.L) - 1)     # σ′ of the output layer known
    classes = list(session.run.train.target_names)
    assert session.net.sizes[-1] == len(classes)
    for layer in (session.net.L - 1, 0):
        panel.layer_combo.setCurrentIndex(layer)
        qtbot.wait(50)
        W = panel.heatmaps["W"]
        flipped = "W" in panel.transposed           # drawn transposed for its numbers (iris's W², 3×8): its columns
        assert W.matrix.shape[1 if flipped else 0] == session.net.sizes[layer + 1]
        ticks = [t for t, _ in _drawn_ticks(W, "bottom" if flipped else "left")]
        k = 4 if preset == "digits" else 1
        hover = W.hover_text(*((0, k) if flipped else (k, 0)))
        if layer == 0:
            assert ticks[-1] == str(session.net.sizes[1]) and "class" not in hover
            assert "class" not in W._plot.getAxis("left").labelText + W._plot.getAxis("bottom").labelText
        elif preset == "digits":
            assert not flipped and ticks == classes and hover.startswith("W²[5, 1] (class 4) = "), (ticks, hover)
            axis = W._plot.getAxis("left")       # names, not indices from 0; along the axis while it fits there
            assert (axis.labelText, axis.placement) in (("class (layer 2)", "along"), ("class", "upright")), axis.labelText
            sigma = panel.heatmaps["sigma"]       # the softmax Jacobian: rows and columns both the classes
            assert [t for t, _ in _drawn_ticks(sigma, "left")] == classes
            assert sigma.hover_text(4, 6).startswith("∂a²/∂z²[5, 7] (class 4, class 6) = ")
        elif flipped:                               # three 200-px columns hold "versicolor"
            assert ticks == classes and hover.startswith(f"(W²)ᵀ[1, 2] (class {classes[1]}) = "), (ticks, hover)
        else:
            assert ticks == ["1", "2", "3"] and hover.startswith(f"W²[2, 1] (class {classes[1]}) = "), (rows, hover)


def test_class_names_wider_than_the_row_ticks_room_leave_the_indices(qtbot):
    """Rows named by class print the names where each is no wider than the room kept for the row
    ticks ("100"), else their indices from 1, the class said in the hover line; rows too short for
    a label each are not named (a thinned set of names reads as indices)."""
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.resize(420, 300)
    hm.show()
    qtbot.waitExposed(hm)
    M = np.linspace(-0.5, 0.5, 24).reshape(3, 8)
    hm.set_matrix(M, "W² (3×8)", row_names=["setosa", "versicolor", "virginica"])
    qtbot.wait(20)
    assert [t for t, _ in _drawn_ticks(hm, "left")] == ["1", "2", "3"]
    assert hm.hover_text(2, 0).startswith("W²[3, 1] (class virginica) = ")
    hm.set_matrix(M, "W² (3×8)", row_names=["0", "1", "2"])
    qtbot.wait(20)
    assert [t for t, _ in _drawn_ticks(hm, "left")] == ["0", "1", "2"]
    tall = np.linspace(-0.5, 0.5, 80).reshape(10, 8)
    hm.set_matrix(tall, "W² (10×8)", row_names=[str(k) for k in range(10)])
    hm.resize(420, 150)                             # ten rows shorter than a label each
    qtbot.wait(20)
    assert "0" not in [t for t, _ in _drawn_ticks(hm, "left")]
    hm.set_matrix(tall, "W² (10×8)", row_names=None)
    assert hm.hover_text(0, 0).startswith("W²[1, 1] = ")
