"""PageStack: pages one at a time, as a QStackedWidget shows them, but as tall as the page shown.

A QStackedWidget is as tall as its tallest page (its QStackedLayout takes the largest minimum
size and height-for-width of all its pages, shown or not): inside the derivation panel's scroll
area a short page then scrolled on into the empty height of a long one (or of the gradient check's
table and plot), and pages that scrolled on their own sat in a panel that scrolled too.  Here the
pages are in a box layout and only the current one is shown (a box layout skips hidden widgets),
so the panel's one scroll measures the page in front and nothing else."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class PageStack(QtWidgets.QWidget):
    """The part of QStackedWidget's interface the panel uses: addWidget, insertWidget, removeWidget,
    widget, indexOf, count, currentIndex / setCurrentIndex, currentWidget and currentChanged."""

    currentChanged = QtCore.Signal(int)      # noqa: N815 (QStackedWidget's name)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._pages: list[QtWidgets.QWidget] = []
        self._current = -1
        self._layout = QtWidgets.QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QtWidgets.QWidget | None:
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def indexOf(self, page: QtWidgets.QWidget) -> int:   # noqa: N802 (Qt's name)
        return self._pages.index(page) if page in self._pages else -1

    def currentIndex(self) -> int:   # noqa: N802 (Qt's name)
        return self._current

    def currentWidget(self) -> QtWidgets.QWidget | None:   # noqa: N802 (Qt's name)
        return self.widget(self._current)

    def addWidget(self, page: QtWidgets.QWidget) -> int:   # noqa: N802 (Qt's name)
        return self.insertWidget(len(self._pages), page)

    def insertWidget(self, index: int, page: QtWidgets.QWidget) -> int:   # noqa: N802 (Qt's name)
        """Insert ``page`` at ``index``; the first page becomes the current one (as in QStackedWidget)."""
        index = max(0, min(index, len(self._pages)))
        self._pages.insert(index, page)
        self._layout.insertWidget(index, page, 1)
        if self._current < 0:
            self._current = index
            self.currentChanged.emit(index)
        elif index <= self._current:
            self._current += 1
        page.setVisible(self._pages[self._current] is page)
        return index

    def removeWidget(self, page: QtWidgets.QWidget) -> None:   # noqa: N802 (Qt's name)
        index = self.indexOf(page)
        if index < 0:
            return
        current = self.currentWidget()
        self._pages.pop(index)
        self._layout.removeWidget(page)
        page.hide()
        page.setParent(None)
        if not self._pages:
            self._current = -1
            self.currentChanged.emit(-1)
        elif page is current:
            self._current = min(index, len(self._pages) - 1)
            self._pages[self._current].show()
            self.currentChanged.emit(self._current)
        else:
            self._current = self._pages.index(current)

    def setCurrentIndex(self, index: int) -> None:   # noqa: N802 (Qt's name)
        if not 0 <= index < len(self._pages) or index == self._current:
            return
        old = self.currentWidget()
        self._current = index
        self._pages[index].show()
        if old is not None:
            old.hide()
        self.currentChanged.emit(index)
