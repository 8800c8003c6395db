"""A one-row scroll area for a wide bar of controls: the bar at its full width when the window has
the room, a horizontal scroll bar under it when it has not (never a window wider than its screen)."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class RowScroller(QtWidgets.QScrollArea):
    def __init__(self, row: QtWidgets.QWidget, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setWidget(row)
        self.viewport().setAutoFillBackground(False)
        row.setAutoFillBackground(False)
        self._fit_height()

    def _needs_bar(self) -> bool:
        return self.widget().minimumSizeHint().width() > self.viewport().width()

    def _fit_height(self) -> None:
        h = self.widget().sizeHint().height()
        if self._needs_bar():
            h += self.horizontalScrollBar().sizeHint().height()
        if h != self.height():
            self.setFixedHeight(h)

    def sizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(self.widget().sizeHint().width(), self.height())

    def minimumSizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(80, self.height())

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_height()

    def event(self, e) -> bool:
        if e.type() == QtCore.QEvent.Type.LayoutRequest:
            self._fit_height()
        return super().event(e)
