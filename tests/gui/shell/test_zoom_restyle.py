"""A zoom key sets a widget's style sheet only where its text changes (gui.theme.set_style_sheet):
Qt repolishes a widget and everything under it at every setStyleSheet, the same text included, and
a zoom key set the same sheets on the heatmaps and panels about fifteen times."""

from PySide6 import QtCore, QtWidgets

from gui.shell.presentation import base_point_size
from helpers import window_on_screen


def test_a_zoom_key_sets_no_style_sheet_to_the_text_it_already_has(qtbot, monkeypatch):
    w, session = window_on_screen(qtbot, "1024x768", "iris")
    session.seek(9)                                     # δ¹: the companion's σ′ and Jacobian in sight
    qtbot.wait(50)
    calls, set_sheet = [], QtWidgets.QWidget.setStyleSheet

    def recorded(widget, sheet):
        calls.append((type(widget).__name__, widget.styleSheet() == sheet))
        set_sheet(widget, sheet)
    monkeypatch.setattr(QtWidgets.QWidget, "setStyleSheet", recorded)
    w.presentation.zoom_in.trigger()
    QtWidgets.QApplication.processEvents()
    assert calls, "a zoom key sets the window's style sheet (its fonts)"
    assert [name for name, same in calls if same] == []
    # the look still follows the zoom: the window's sheet carries the new size, a heatmap its theme's colour
    assert session.settings.font_scale > 1 and f"{base_point_size() * session.settings.font_scale:.1f}pt" in w.styleSheet()
    assert w.heatmaps.heatmaps and all("color:" in hm.styleSheet() for hm in w.heatmaps.heatmaps.values())
    monkeypatch.undo()
    w.presentation.zoom_reset.trigger()
    QtCore.QCoreApplication.processEvents()


def test_the_stepping_bar_takes_its_button_style_within_the_zoom_key(qtbot):
    """At 1024×768 the stepping bar changes its button style between zoom +2 and +3 (text beside the
    icons, then under them or icons alone): it does so inside the key, before the window settles and
    paints, not a turn of the event loop later (which laid the window out and painted it twice)."""
    w, session = window_on_screen(qtbot, "1024x768", "mazur")
    bar = w.stepping_bar
    at_0 = bar.toolButtonStyle()
    for _ in range(2):
        w.presentation.zoom_in.trigger()
        qtbot.wait(20)
    at_2 = bar.toolButtonStyle()
    w.presentation.zoom_in.trigger()                  # +3: no event loop turn yet
    inside_the_key = bar.toolButtonStyle()
    qtbot.wait(50)
    assert bar.toolButtonStyle() != at_2, "the sample must change style between +2 and +3"
    assert inside_the_key == bar.toolButtonStyle()
    w.presentation.zoom_reset.trigger()               # Ctrl+0 from +3: back within the key too
    assert bar.toolButtonStyle() == at_0
    qtbot.wait(50)
    assert bar.toolButtonStyle() == at_0


def test_a_zoom_key_sets_no_axis_pen_and_a_theme_switch_does(qtbot, monkeypatch):
    """The plots' axes (heatmaps, loss, boundary) keep their pens on a zoom key, where only their
    fonts change (gui.theme.style_axes: each pen set lays the axis label's HTML out again, about 500 a
    key); a theme switch sets them, in the theme's colours."""
    import pyqtgraph as pg

    from gui.theme import THEMES
    w, session = window_on_screen(qtbot, "1280x720", "mazur")
    session.seek(9)
    qtbot.wait(50)
    sets = []
    for name in ("setPen", "setTextPen"):
        real = getattr(pg.AxisItem, name)
        monkeypatch.setattr(pg.AxisItem, name, lambda axis, *a, real=real, name=name, **k: (sets.append(name), real(axis, *a, **k))[1])
    axis = w.heatmaps.heatmaps["W"]._plot.getAxis("left")
    tick = axis.style["tickFont"].pointSizeF()
    w.presentation.zoom_in.trigger()
    QtWidgets.QApplication.processEvents()
    assert axis.style["tickFont"].pointSizeF() > tick, "the zoom reaches the axes' fonts"
    assert sets == []
    session.settings.theme = "dark"
    QtWidgets.QApplication.processEvents()
    assert "setPen" in sets and "setTextPen" in sets
    assert axis.textPen().color().name() == THEMES["dark"].foreground
    assert axis.pen().color().name() == THEMES["dark"].muted
    session.settings.theme = "light"
    w.presentation.zoom_reset.trigger()
    QtCore.QCoreApplication.processEvents()
