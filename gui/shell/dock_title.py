"""A dock title that fits its title bar: the first of a panel's titles, longest first, that the bar
shows whole ("Loss: binary cross-entropy", then "Binary cross-entropy"), else the last ("Loss"),
and the panel told whether the bar names what it shows, so that it names it itself where the bar
cannot (Qt elides a title that does not fit: "Loss: binary cros…" in the Training layout's 260-px
Loss dock at 1280×720, zoom +3)."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.shell.presentation import DOCK_TITLE_PADDING

_REFIT = {QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange}


class FittedTitle(QtCore.QObject):
    """``dock``'s title: the first of ``titles`` (``set_titles``) its title bar shows whole, else the last."""

    named_changed = QtCore.Signal(bool)     # the title bar shows one of the titles but the last (it names the panel's subject)

    def __init__(self, dock: QtWidgets.QDockWidget, titles: list[str]):
        super().__init__(dock)
        self.dock, self.titles = dock, list(titles)
        self.named = True
        dock.installEventFilter(self)
        self.fit(dock.width())

    def set_titles(self, titles: list[str]) -> None:
        self.titles = list(titles)
        self.fit(self.dock.width())

    def room(self, width: int) -> int:
        """The title bar's room for text with the dock ``width`` wide: its title area as the dock
        lays it out (its buttons left out), as much wider as the dock, less the style's margins and
        the window's sheet's padding, which Qt's style-sheet style leaves out inside the style's text
        rectangle where it draws the title (measured: the text drawn from 8 px into it, elided at
        16 px less)."""
        option = QtWidgets.QStyleOptionDockWidget()
        self.dock.initStyleOption(option)
        if option.rect.isEmpty():           # (not laid out yet: the whole width, less the buttons as the style guesses)
            option.rect = QtCore.QRect(0, 0, width, max(option.rect.height(), 1))
        else:
            option.rect.setWidth(option.rect.width() + width - self.dock.width())
        text = self.dock.style().subElementRect(QtWidgets.QStyle.SubElement.SE_DockWidgetTitleBarText, option, self.dock)
        return text.width() - 2 * DOCK_TITLE_PADDING[1]

    def fit(self, width: int) -> None:
        metrics, room = QtGui.QFontMetrics(self.dock.font()), self.room(width)
        title = next((t for t in self.titles[:-1] if metrics.horizontalAdvance(t) <= room), self.titles[-1])
        self.dock.setWindowTitle(title)
        named = title != self.titles[-1]
        if named != self.named:
            self.named = named
            self.named_changed.emit(named)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() in _REFIT:      # (before the dock's layout hears of a resize: its new width is the event's)
            self.fit(event.size().width() if event.type() == QtCore.QEvent.Type.Resize else self.dock.width())
        return False
