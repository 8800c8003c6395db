"""Whether a panel can be seen, so that a hidden panel skips its work on a micro-step and catches up
when it comes into view (a step then costs only what is on screen).

A dock that is a tab behind another stays "visible" to Qt: it is moved off the window instead, so
showEvent does not come when its tab is picked; the dock's visibilityChanged signal does.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


def unseen_in_window(widget: QtWidgets.QWidget) -> bool:
    """True while ``widget``'s window is shown but ``widget`` is not on it (hidden, closed, or a dock
    tab behind another).  A widget that is its own window, or whose window is not shown (tests,
    exports), counts as seen: it keeps itself up to date."""
    window = widget.window()
    if window is widget or not window.isVisible():
        return False
    if not widget.isVisible():
        return True
    dock = widget
    while dock is not None and not isinstance(dock, QtWidgets.QDockWidget):
        dock = dock.parentWidget()
    if dock is None:
        return False
    # a dock tab behind another is moved off the window (Qt still calls it visible).  Its own
    # visibleRegion is no test: a scroll area's viewport can report an empty region while on screen,
    # and then the panel kept showing the micro-step it was built at.
    top = dock.mapTo(window, QtCore.QPoint(0, 0))
    return not window.rect().intersects(QtCore.QRect(top, dock.size()))


def when_shown(widget: QtWidgets.QWidget, slot) -> None:
    """Call ``slot()`` whenever ``widget`` comes into view as a dock tab (its QDockWidget ancestor's
    visibilityChanged); connect once, from the widget's showEvent (docks adopt widgets late)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QtWidgets.QDockWidget):
        parent = parent.parentWidget()
    if parent is not None and not parent.property("when_shown_" + widget.objectName() + str(id(widget))):
        parent.setProperty("when_shown_" + widget.objectName() + str(id(widget)), True)
        parent.visibilityChanged.connect(lambda shown: shown and slot())
