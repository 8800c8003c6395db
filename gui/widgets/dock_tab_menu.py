"""A menu in place of a main window's dock tabs that do not fit: QMainWindow tabs docks that share a
place (the companion's matrices, derivation, comparison run, computational graph…) with a tab bar
of its own making, which squeezes and elides the titles ("Mat…", "Compariso…") when they do not
fit its width.  ``DockTabMenu`` sits on such a tab bar, as its child covering it, whenever its tabs
need more than its width: a button naming the dock in front, that opens a menu of every dock that
shares the place, with the one in front checked; choosing one raises it.  When the tabs fit again,
the button hides and the tabs show.

The tab bar belongs to QMainWindow's layout: each tab's data is the address of its dock (as Qt's
own QMainWindowLayout stores it, QTBUG-39489), which is how a tab finds its dock here.
"""
from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

PANELS_NOTE = "{title}  ·  {n} panels"       # the button's text while it has the room
NEAR = 6                                      # pixels between a tab bar and the dock whose tab is current
ARROW = "  ▾"                                 # says the button opens a menu (Qt's own indicator is a few pixels)


class DockTabMenu(QtWidgets.QToolButton):
    """The menu of ``tab_bar``'s docks (a tab bar ``window`` made for its tabbed docks), shown over
    the tab bar while its tabs do not fit."""

    def __init__(self, tab_bar: QtWidgets.QTabBar, window: QtWidgets.QMainWindow):
        super().__init__(tab_bar)
        self.tab_bar, self.window_ = tab_bar, window
        self.setObjectName("dock_tab_menu")
        self.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setAutoFillBackground(True)
        self.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)       # arrow keys step the network
        self.setToolTip("The panels that share this place: choose one")
        self.choices = QtWidgets.QMenu(self)
        self.setMenu(self.choices)
        self._group = QtGui.QActionGroup(self)
        self.choices.aboutToShow.connect(self._on_choices_about_to_show)
        tab_bar.currentChanged.connect(self._on_current_changed)
        tab_bar.installEventFilter(self)
        self.hide()
        self.sync()

    # -- the tab bar's docks -------------------------------------------------------------------
    def docks(self) -> list[QtWidgets.QDockWidget]:
        """The tab bar's docks, in the order of their tabs (a tab whose dock is not found is left out)."""
        docks = self.window_.findChildren(QtWidgets.QDockWidget, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly)
        by_address = {shiboken6.getCppPointer(d)[0]: d for d in docks}      # (a main window's docks are its children)
        found = (by_address.get(self.tab_bar.tabData(i)) for i in range(self.tab_bar.count()))
        return [d for d in found if d is not None]

    def current(self) -> QtWidgets.QDockWidget | None:
        """The dock whose tab is current (the one in front)."""
        docks, i = self.docks(), self.tab_bar.currentIndex()
        return docks[i] if 0 <= i < len(docks) and len(docks) == self.tab_bar.count() else None

    def in_use(self) -> bool:
        """Whether the tab bar is the one beside its docks: QMainWindow keeps tab bars of
        arrangements it no longer shows (one with the first two tabs stayed behind the graph)."""
        dock = self.current()
        if dock is None or dock.isFloating() or not dock.isVisible():
            return False
        bar, place = self.tab_bar.geometry(), dock.geometry()
        near = lambda a, b: abs(a - b) <= NEAR
        under_or_over = near(bar.left(), place.left()) and near(bar.right(), place.right()) and \
            (near(bar.top(), place.bottom() + 1) or near(bar.bottom() + 1, place.top()))
        beside = near(bar.top(), place.top()) and near(bar.bottom(), place.bottom()) and \
            (near(bar.left(), place.right() + 1) or near(bar.right() + 1, place.left()))
        return under_or_over or beside

    def overflows(self) -> bool:
        """Whether the tabs at their full titles need more than the tab bar's width."""
        tb = self.tab_bar
        need = sum(tb.tabSizeHint(i).width() for i in range(tb.count()))
        return tb.count() > 1 and need > tb.width()

    # -- following the tab bar -----------------------------------------------------------------
    def sync(self) -> None:
        """Over the tab bar, naming the dock in front, while the tabs do not fit; hidden otherwise."""
        if not (self.overflows() and self.in_use()):
            self.hide()
            return
        self.setGeometry(self.tab_bar.rect())
        self.setText(self._label())
        if self.isHidden():
            self.show()
        self.raise_()

    def _label(self) -> str:
        """The longest of: the dock's title with the number of panels, its title, its title before
        a colon ("Comparison run"), that fits the button (never an elided title)."""
        dock = self.current()
        title = dock.windowTitle() if dock is not None else ""
        n = self.tab_bar.count()
        shorter = [PANELS_NOTE.format(title=title, n=n), title, title.split(":")[0], f"{n} panels"]
        for text in shorter:
            if self._width_for(text + ARROW) <= self.tab_bar.width():
                return text + ARROW
        return shorter[-1] + ARROW

    def _width_for(self, text: str) -> int:
        """The button's width with ``text`` (its frame included)."""
        option = QtWidgets.QStyleOptionToolButton()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        option.text = text
        content = QtCore.QSize(metrics.horizontalAdvance(text), metrics.height())
        return self.style().sizeFromContents(QtWidgets.QStyle.ContentsType.CT_ToolButton, option,
                                             content, self).width()

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self.tab_bar and event.type() in (QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.FontChange,
                                                        QtCore.QEvent.Type.StyleChange, QtCore.QEvent.Type.Show):
            self.sync()
        return False

    def _on_current_changed(self, _index: int) -> None:
        self.sync()

    # -- widget → docks ------------------------------------------------------------------------
    def _on_choices_about_to_show(self) -> None:
        """The menu lists every dock of the tab bar, the one in front checked."""
        self.choices.clear()
        for action in self._group.actions():
            self._group.removeAction(action)
        front = self.current()
        for dock in self.docks():
            action = self.choices.addAction(dock.windowTitle())
            action.setCheckable(True)
            action.setChecked(dock is front)
            action.setData(dock.objectName())
            self._group.addAction(action)
            action.triggered.connect(lambda _checked=False, dock=dock: self._on_choice_triggered(dock))

    def _on_choice_triggered(self, dock: QtWidgets.QDockWidget) -> None:
        dock.raise_()
