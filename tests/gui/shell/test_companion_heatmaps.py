"""The companion's heatmaps at the lecture sizes (issue 12): at 1024×768 and 1280×720, at zoom 0 and
+3, the matrices bar fits the companion (at 1024×768, zoom +3, "Lock colour scale" beside the layer's
combo box made the panel scroll sideways and cut the colour bars' labels), and the update's two
heatmaps, W after the update and −η∂C/∂W, both fit it without scrolling (the second one needed
scrolling), their numbers at all four figures, each inside its cell, their colour-bar labels whole."""
import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_number
from gui.shell.layouts import companion_width
from gui.shell.presentation import ZOOM_STEP
from gui.widgets.heatmap import MIN_CELL_POINT_SIZE
from helpers import window_on_screen

CASES = [("1024x768", 0), ("1280x720", 0), ("1024x768", 3), ("1280x720", 3)]


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _window(qtbot, screen, zoom):
    window, session = window_on_screen(qtbot, screen)
    qtbot.wait(400)                                   # the layout's arrangement once the window is framed
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    window.docks["matrices"].raise_()
    _settle()
    return window, session


def _check_panel_fits(window) -> None:
    """The panel in its dock without sideways scrolling, the bar's parts whole inside it, the dock
    as wide as the Lecture layout makes the companion."""
    dock, panel = window.docks["matrices"], window.heatmaps
    scroll = dock.widget()
    assert panel.width() <= scroll.viewport().width(), (panel.width(), scroll.viewport().width())
    assert dock.width() >= 0.9 * companion_width(window.width())
    for part in (panel.layer_combo, panel.lock_check):
        assert part.isVisible() and part.geometry().right() <= panel.width()
        assert part.sizeHint().width() <= part.width() + 1, (part, part.sizeHint().width(), part.width())
    inner = panel.scroll
    assert inner.widget().width() <= inner.viewport().width()


def _check_heatmap(hm) -> None:
    """Its colour bar's labels whole in the bar's axis, its numbers at all their figures inside
    their cells at the smallest cell font or larger, and the heatmap inside the window."""
    metrics = QtGui.QFontMetricsF(hm._bar.axis.style["tickFont"])
    labels = [label for _, label in hm._bar.axis._tickLevels[0]]
    assert labels and hm._bar.axis.width() >= max(metrics.horizontalAdvance(t) for t in labels) + 8
    texts = hm.cell_texts()
    M = hm.matrix
    assert texts, f"{hm.title}: no numbers"
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            assert text in (format_number(M[r, c]), format_number(M[r, c], shortest=True)), (hm.title, text, M[r, c])
    font = hm._cells._font
    assert font.pointSizeF() >= MIN_CELL_POINT_SIZE
    cell = hm._plot.getViewBox().sceneBoundingRect().width() / M.shape[1]
    widest = max(QtGui.QFontMetricsF(font).horizontalAdvance(t) for row in texts for t in row)
    assert widest <= cell, (hm.title, widest, cell)
    window = hm.window()
    box = QtCore.QRect(hm.mapTo(window, QtCore.QPoint(0, 0)), hm.size())
    assert window.rect().contains(box), (hm.title, box.getRect())


@pytest.mark.parametrize("screen, zoom", CASES)
def test_matrices_bar_fits_the_companion(qtbot, screen, zoom):
    window, session = _window(qtbot, screen, zoom)
    for step in (0, 3):                               # W at the input, then the forward pass of layer 2
        session.seek(step)
        _settle()
        assert window.companion.shown[0] == "matrices"
        _check_panel_fits(window)
        for role in window.heatmaps.roles:
            _check_heatmap(window.heatmaps.heatmaps[role])
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
        _check_heatmap(hm)
    np.testing.assert_allclose(panel.heatmaps["step"].matrix, -session.view.eta * session.view.dW[panel.layer])
    window.close()
