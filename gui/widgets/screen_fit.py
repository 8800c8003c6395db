"""Windows and dialogs that fit the screen they open on: a wanted size bounded by the screen's
available area (less room for a title bar and frame), centred over the parent window."""
from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

FRAME = QtCore.QSize(16, 48)       # room left for a window manager's frame and title bar


def scroll_area_of(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea | None:
    """The nearest scroll area ``widget`` is shown in (the one that scrolls it), if any."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QtWidgets.QScrollArea):
        area = area.parentWidget()
    return area


def lay_out_now(passes: int = 1) -> None:
    """The layouts Qt has posted (LayoutRequest events) done now, ``passes`` times over (each pass
    climbs one level of parents: a dock, then its area, then the window), so that what follows, a
    measurement or the next paint, sees the settled geometry and not a picture on the way."""
    for _ in range(passes):
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)


def available_area(widget: QtWidgets.QWidget) -> QtCore.QRect:
    """The available geometry of the screen ``widget`` (or its parent window) is on."""
    anchor = widget.parentWidget().window() if widget.parentWidget() is not None else widget
    screen = anchor.screen() or QtGui.QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1280, 720)


def width_in_sight(widget: QtWidgets.QWidget) -> int:
    """``widget``'s width, or the width of the view it sits in (a dock's scroll area's viewport) where
    that is narrower.  A dock's scroll area gives its widget at least its minimum width: a panel that
    chose its arrangement by its own width never saw that it was scrolled sideways (the Predict entry
    at zoom +3 stayed wide, 742 px in a 459-px column)."""
    parent = widget.parentWidget()
    return widget.width() if parent is None or widget.isWindow() else min(widget.width(), parent.width())


class SightWatch(QtCore.QObject):
    """Calls ``changed()`` whenever ``widget``'s width in sight (``width_in_sight``) may have changed:
    the widget resized, or the view it sits in (its parent, followed when it is re-parented: a dock's
    scroll area takes it) resized.  A child of ``widget``: it goes with it, and Qt forgets a filter
    that is gone."""

    def __init__(self, widget: QtWidgets.QWidget, changed):
        super().__init__(widget)
        self._widget, self._changed = widget, changed
        widget.installEventFilter(self)
        if widget.parentWidget() is not None:
            widget.parentWidget().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if not shiboken6.isValid(self._widget):      # being destroyed: its Python side is gone before
            return False                             # its children (this watch among them) are
        kind, parent = event.type(), self._widget.parentWidget()
        if watched is self._widget and parent is not None:
            if kind == QtCore.QEvent.Type.ParentAboutToChange:
                parent.removeEventFilter(self)
            elif kind == QtCore.QEvent.Type.ParentChange:
                parent.installEventFilter(self)
        if kind == QtCore.QEvent.Type.Resize and (watched is self._widget or watched is parent):
            self._changed()
        return False


def fit_to_screen(widget: QtWidgets.QWidget, wanted: QtCore.QSize | None = None) -> QtCore.QSize:
    """Resize ``widget`` (a top-level window or dialog) to ``wanted`` (else its size hint), no larger
    than its screen's available area; cap its maximum size there; centre it over its parent (or the
    screen); return the size given.  ``widget`` is polished first, so that a size hint counts in the
    font its window's style sheet gives it (a dialog's: the panels' size at the current zoom)."""
    widget.ensurePolished()
    area = available_area(widget)
    room = QtCore.QSize(area.width() - FRAME.width(), area.height() - FRAME.height())
    size = (wanted or widget.sizeHint()).boundedTo(room)
    widget.setMaximumSize(room)
    widget.resize(size)
    parent = widget.parentWidget()
    centre = parent.window().frameGeometry().center() if parent is not None else area.center()
    x = min(max(centre.x() - size.width() // 2, area.x()), area.right() + 1 - size.width() - FRAME.width() // 2)
    y = min(max(centre.y() - size.height() // 2, area.y()), area.bottom() + 1 - size.height() - FRAME.height())
    widget.move(max(x, area.x()), max(y, area.y()))
    return size


def wrapped_size(widget: QtWidgets.QWidget, min_width: int = 0) -> QtCore.QSize:
    """The size ``widget``'s layout needs at ``min_width`` (or its size hint's width, if wider),
    with the height its word-wrapped labels take at that width: a dialog shown at its plain size
    hint or minimum squeezes its other rows (a form's labels and combo boxes) to make room for them."""
    widget.ensurePolished()
    width = max(widget.sizeHint().width(), min_width)
    layout = widget.layout()
    height = layout.totalHeightForWidth(width) if layout is not None and layout.hasHeightForWidth() else -1
    return QtCore.QSize(width, max(height, widget.sizeHint().height()))


def fit_wrapped(widget: QtWidgets.QWidget, min_width: int = 0, min_chars: int = 0) -> QtCore.QSize:
    """Size a dialog with word-wrapped labels to ``wrapped_size`` (bounded by its screen, centred
    over its parent), at least ``min_width`` px and ``min_chars`` average characters of its font
    (counted once its window's style sheet has given it its font) wide, and keep that height as its
    minimum, so its rows are never squeezed; called again (a message shown), it only grows the
    dialog, in place."""
    shown = widget.isVisible()
    widget.ensurePolished()
    min_width = max(min_width, min_chars * widget.fontMetrics().averageCharWidth())
    size = wrapped_size(widget, max(min_width, widget.width() if shown else 0))
    if shown:
        size = size.boundedTo(widget.maximumSize())
        widget.setMinimumHeight(size.height())
        widget.resize(widget.size().expandedTo(size))
    else:
        size = fit_to_screen(widget, size)
        widget.setMinimumHeight(size.height())
    return size


def refit(widget: QtWidgets.QWidget, ratio: float) -> QtCore.QSize:
    """After a zoom by ``ratio`` (its fonts already changed): ``widget``, a dialog on screen, ``ratio``
    times as wide and at least as tall as its layout needs at that width (word-wrapped labels
    included); one with room to spare (taller than its minimum: a table, cards) also ``ratio`` times
    as tall; within its screen and centred over its parent again.  A message box sizes itself to
    its new font (Qt fixes its size): it is only moved back within its screen."""
    if isinstance(widget, QtWidgets.QMessageBox):
        area = available_area(widget)
        frame = widget.frameGeometry()
        x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
        y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
        widget.move(max(x, area.x()), max(y, area.y()))
        return widget.size()
    tight = widget.height() <= widget.minimumHeight()     # sized by fit_wrapped to its rows: no room to spare
    widget.setMinimumSize(0, 0)              # a minimum height fit_wrapped kept is for the old font
    wanted = wrapped_size(widget, round(widget.width() * ratio))
    wanted = wanted.expandedTo(QtCore.QSize(round(widget.width() * ratio),
                                            0 if tight else round(widget.height() * ratio)))
    size = fit_to_screen(widget, wanted)
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():      # as fit_wrapped: wrapped rows never squeezed
        widget.setMinimumHeight(min(layout.totalHeightForWidth(size.width()), size.height()))
    return size
