"""CheckTable: the gradient check's table of every entry, as tall as its rows at the width it gets.

It never scrolls vertically on its own (the derivation panel is the one scroll of its page); it
scrolls sideways when its columns are wider than the panel, and then counts the scroll bar's height
in its height.  That height is its height-for-width, so the layout asks for it with the width it
is about to give, in the same pass: a height set afterwards (setFixedHeight on a resize) reached the
panel's scroll area a layout pass late, and the table overran the page's bottom until then."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

HEADERS = ("parameter", "rel. error", "backprop", "numeric")


class CheckTable(QtWidgets.QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, len(HEADERS), parent)
        # the relative error beside the parameter: where the columns are wider than the panel (zoom +3
        # in the Lecture companion) the table scrolls sideways, and what it says stays in view
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        policy = QtWidgets.QSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def refit(self) -> None:
        """The columns measured now (not in the header's delayed pass) and the layout told."""
        self.resizeColumnsToContents()
        self.updateGeometry()

    def content_width(self) -> int:
        """Every column at its width, with the frame."""
        return self.horizontalHeader().length() + 2 * self.frameWidth()

    def _rows_height(self) -> int:
        return 2 * self.frameWidth() + self.horizontalHeader().sizeHint().height() + self.verticalHeader().length()

    def hasHeightForWidth(self) -> bool:   # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:   # noqa: N802 (Qt's name)
        bar = self.horizontalScrollBar().sizeHint().height() if self.content_width() > width else 0
        return self._rows_height() + bar

    def sizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(self.content_width(), self._rows_height())

    def minimumSizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(min(self.content_width(), 80), self._rows_height())
