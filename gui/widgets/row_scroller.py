"""A one-row scroll area for a wide bar of controls: the bar at its full width when the window has
the room, a horizontal scroll bar under it when it has not (never a window wider than its screen).
A bar with a height for its width (one that wraps onto two rows when narrow) is as tall as it
needs at the width it gets, and scrolls only when even its wrapped rows are too wide.

With ``grow``, for a piece that is taller than a bar (a plot whose axes and colour bar cannot be
narrower): at least as tall as the piece's minimum (and its scroll bar) rather than fixed at its
hint, and growing with the room it is given."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class RowScroller(QtWidgets.QScrollArea):
    def __init__(self, row: QtWidgets.QWidget, parent=None, grow: bool = False):
        super().__init__(parent)
        self.grow = grow
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding,
                           QtWidgets.QSizePolicy.Policy.Expanding if grow else QtWidgets.QSizePolicy.Policy.Fixed)
        self.setWidget(row)
        row.installEventFilter(self)         # a bar that rearranges itself (a zoom, two rows) asks for a new height
        self.viewport().setAutoFillBackground(False)
        row.setAutoFillBackground(False)
        self._fit_height()
        self.horizontalScrollBar().rangeChanged.connect(self._on_range_changed)   # the piece grew wider or narrower

    def _needs_bar(self) -> bool:
        return self.widget().minimumSizeHint().width() > self.viewport().width()

    def _fit_height(self) -> None:
        inner = self.widget()
        h = (inner.minimumSizeHint() if self.grow else inner.sizeHint()).height()
        if inner.hasHeightForWidth():      # a bar that wraps onto rows when narrow, a wrapping title: the
            width = max(self.viewport().width(), inner.minimumSizeHint().width())     # height at its width
            h = max(h, inner.heightForWidth(width)) if self.grow else inner.heightForWidth(width)
        bar = self._needs_bar()
        if bar:
            h += self.horizontalScrollBar().sizeHint().height()
        if self.grow:
            # the scroller, not QScrollArea, decides the bar: "as needed", the area sized the piece
            # for the viewport before the bar took its height, and left the piece that much too tall
            policy = QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn if bar else QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if self.horizontalScrollBarPolicy() != policy:
                self.setHorizontalScrollBarPolicy(policy)
            if h != self.minimumHeight():
                self.setMinimumHeight(h)
        elif h != self.height():
            self.setFixedHeight(h)

    def sizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        """A bar: its fixed height.  Grown: its minimum (the piece's height at the viewport's width
        and, when the piece is wider than the viewport, the scroll bar's under it); more when its
        layout has room to give (Expanding).  It was the piece's preferred height, which a zoom
        changes without telling this scroller's layout: the piece was given its old height less
        the bar's, and the bottom of the gradient check's heatmap was cut at zoom +3."""
        return QtCore.QSize(self.widget().sizeHint().width(), self.minimumHeight() if self.grow else self.height())

    def minimumSizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(80, self.minimumHeight() if self.grow else self.height())

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_height()

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self.widget() and event.type() in (QtCore.QEvent.Type.LayoutRequest, QtCore.QEvent.Type.FontChange):
            self._fit_height()
        return False

    def _on_range_changed(self, _low: int, _high: int) -> None:
        self._fit_height()

    def event(self, e) -> bool:
        if e.type() == QtCore.QEvent.Type.LayoutRequest:
            self._fit_height()
        return super().event(e)
