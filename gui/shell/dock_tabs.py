"""Dock tabs that do not fit become a menu: every tab bar the main window makes for its tabbed docks
gets a ``DockTabMenu`` (gui/widgets/dock_tab_menu.py), which covers it while its tabs' full titles
need more than its width.  QMainWindow makes those tab bars when it first tabs docks together and
reuses them; a dock's title, a zoom or a new dock in the group changes what the tabs need without
resizing the tab bar, so every menu checks again after the window lays its docks out."""
from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtWidgets

from gui.widgets.dock_tab_menu import DockTabMenu


class DockTabs(QtCore.QObject):
    """Gives each of ``window``'s dock tab bars its menu, and keeps the menus in step."""

    def __init__(self, window: QtWidgets.QMainWindow):
        super().__init__(window)
        self.window = window
        self.menus: list[DockTabMenu] = []
        self._sync = QtCore.QTimer(self, singleShot=True, interval=0)
        self._sync.timeout.connect(self._on_sync_timeout)
        window.installEventFilter(self)
        self._attach()

    def _attach(self) -> None:
        self.menus = [m for m in self.menus if shiboken6.isValid(m)]     # a tab bar Qt deleted took its menu along
        known = {m.tab_bar for m in self.menus}
        for bar in self.window.findChildren(QtWidgets.QTabBar, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly):
            if bar not in known:
                self.menus.append(DockTabMenu(bar, self.window))

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        kind = event.type()
        if watched is self.window and kind in (QtCore.QEvent.Type.ChildPolished, QtCore.QEvent.Type.LayoutRequest):
            self._sync.start()           # a new tab bar, or the docks laid out again: once, after the events
        return False

    def _on_sync_timeout(self) -> None:
        self._attach()
        for menu in self.menus:
            menu.sync()
