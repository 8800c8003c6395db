"""Dock tabs that do not fit become a menu (issue 12): with five docks tabbed in the companion
(matrices, derivation, the computational graph, the worksheet check, the network editor) at 1024×768 and 1280×720, at zoom
0 and +3, no tab that can be seen has an elided title (its width against the width its full title
asks for), the menu that takes the tabs' place names the dock in front in full, every dock is in a
tab or in the menu, and choosing from the menu raises that dock while raising a dock moves the menu
to it."""
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.widgets.dock_tab_menu import DockTabMenu
from helpers import window_on_screen

TABBED = ("matrices", "derivation", "compgraph", "worksheet", "network")


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _seen(window, widget, rect: QtCore.QRect) -> bool:
    """Whether the middle of ``rect`` (in ``widget``'s coordinates) shows ``widget`` itself on the
    window (not a widget over it, not off the window)."""
    at = widget.mapTo(window, rect.center())
    return window.rect().contains(at) and window.childAt(at) is widget


def _all_tabbed(qtbot, screen, zoom):
    window, session = window_on_screen(qtbot, screen)
    qtbot.wait(400)                              # the layout's second arrangement, once the window is framed
    window.docks["worksheet"].show()              # a worksheet checked (a comparison run's graph goes under the graph)
    window.docks["network"].show()                # the editor joins the companion's tabs in the Lecture layout
    window.docks["compgraph"].show()              # shown by the Lecture layout; whatever a stored one says
    for _ in range(zoom):
        window.presentation.zoom_in.trigger()
    _settle()
    return window, session


def _live_bar(window) -> QtWidgets.QTabBar:
    """The tab bar of the companion's docks that is on the window."""
    bars = [b for b in window.findChildren(QtWidgets.QTabBar) if b.parent() is window and b.count() == len(TABBED)
            and window.rect().intersects(b.geometry())]
    assert len(bars) == 1, [(b.count(), b.geometry().getRect()) for b in bars]
    return bars[0]


@pytest.mark.parametrize("screen", ["1024x768", "1280x720"])
@pytest.mark.parametrize("zoom", [0, 3])
def test_dock_tabs_that_do_not_fit_become_a_menu(qtbot, screen, zoom):
    window, session = _all_tabbed(qtbot, screen, zoom)
    try:
        docks = {window.docks[n] for n in TABBED}
        reachable = set()
        for bar in window.findChildren(QtWidgets.QTabBar):
            if bar.parent() is not window:
                continue
            menu = bar.findChild(DockTabMenu)
            for i in range(bar.count()):
                rect = bar.tabRect(i)
                if _seen(window, bar, rect):        # a tab that shows: its whole title
                    assert rect.width() >= bar.tabSizeHint(i).width(), \
                        f"tab {bar.tabText(i)!r} is {rect.width()} px, its title needs {bar.tabSizeHint(i).width()}"
                    reachable |= {d for d in docks if d.windowTitle() == bar.tabText(i)}
            if menu is not None and _seen(window, menu, menu.rect()):
                text = menu.text()
                assert "…" not in text
                need = QtGui.QFontMetricsF(menu.font()).horizontalAdvance(text)
                assert need <= menu.contentsRect().width(), f"{text!r} needs {need:.0f} px of {menu.width()}"
                assert menu.current().windowTitle().startswith(text.split("  ")[0])
                menu.choices.aboutToShow.emit()
                reachable |= set(menu.docks())
        assert reachable >= docks, sorted(d.windowTitle() for d in docks - reachable)

        bar = _live_bar(window)
        menu = bar.findChild(DockTabMenu)
        need = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        assert need > bar.width()                   # five full titles do not fit a companion at these sizes…
        assert menu.isVisible() and menu.geometry() == bar.rect()    # … so the menu covers the tabs
        assert {a.text() for a in menu.choices.actions()} == {d.windowTitle() for d in docks}
        for name in TABBED:                           # widget → docks: the chosen dock comes to the front
            menu.choices.aboutToShow.emit()
            action = next(a for a in menu.choices.actions() if a.text() == window.docks[name].windowTitle())
            action.trigger()
            _settle()
            assert menu.current() is window.docks[name]
            assert bar.tabText(bar.currentIndex()) == window.docks[name].windowTitle()
            assert window.rect().intersects(window.docks[name].geometry())
        for name in reversed(TABBED):                 # docks → widget: a dock raised elsewhere is named and checked
            window.docks[name].raise_()
            _settle()
            title = window.docks[name].windowTitle()
            assert menu.text().split("  ")[0] in (title, title.split(":")[0])
            menu.choices.aboutToShow.emit()
            assert [a.text() for a in menu.choices.actions() if a.isChecked()] == [title]
    finally:
        window.close()


def test_tabs_that_fit_stay_tabs(qtbot):
    """The Lecture layout's three companion docks fit their tab bar at 1280×720: their tabs show, no
    menu; a fourth and a fifth (the worksheet check, the network editor) make the menu take their
    place, and closing them gives it back."""
    window, session = window_on_screen(qtbot, "1280x720")
    qtbot.wait(400)
    three = {"Matrices", "Derivation", "Computational graph"}
    bars = [b for b in window.findChildren(QtWidgets.QTabBar) if b.parent() is window and b.count() == 3
            and window.rect().intersects(b.geometry())]
    assert len(bars) == 1
    bar = bars[0]
    assert {bar.tabText(i) for i in range(3)} == three
    menu = bar.findChild(DockTabMenu)
    assert menu is None or menu.isHidden()
    for i in range(3):
        assert _seen(window, bar, bar.tabRect(i)) and bar.tabRect(i).width() >= bar.tabSizeHint(i).width()
    window.docks["worksheet"].show()
    window.docks["network"].show()
    _settle()
    menu = _live_bar(window).findChild(DockTabMenu)
    assert menu is not None and menu.isVisible() and _seen(window, menu, menu.rect())
    window.docks["worksheet"].hide()
    window.docks["network"].hide()
    _settle()
    bar = next(b for b in window.findChildren(QtWidgets.QTabBar) if b.parent() is window and b.count() == 3
               and window.rect().intersects(b.geometry()))
    assert all(_seen(window, bar, bar.tabRect(i)) for i in range(3))
    window.close()
