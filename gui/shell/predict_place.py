"""Where predict mode's entry goes, and how tall it is.

In the Lecture layout the graph keeps GRAPH_MIN, so a strip under it is short (about 140 px at
1280×720, for a question, its answer grid and a verdict twice that tall), and under the companion's
panel the entry only had what the panel's minimum left (a scrolling verdict at 1024×768): it opens
as one of the companion's tabs, in front, with the whole column to itself, as the network editor
and the lesson recorder do; the graph shows the "?" badges and the ✗ marks beside it, and the
companion's panels are a tab away.  Predict mode off, the panel that follows the phase is back in
front.  The same with a lesson open or not, so a Predict slide looks as predict mode does.  In the
Training layout of a large screen the entry goes under the graph, tabbed with the loss curve, as tall
as its entry needs up to BOTTOM_SHARE of the window.  On a small screen's Training layout it is a tab
of the column beside the graph, in front, as in the Lecture layout: the loss's where the loss has the
boundary's column (a run whose boundary has nothing to draw), else the boundary's (under the graph,
at 1280×720 zoom +3, it left the graph 200 px and spirals' 16-wide layers grey bars).
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.shell.layouts import COMPANION_DOCKS

BOTTOM_SHARE = 0.34           # the most of the window's height the entry takes under the graph (Training layout)
_Area = QtCore.Qt.DockWidgetArea


class PredictPlace(QtCore.QObject):
    """Keeps ``window.docks["predict"]`` in its place for the layout and fitted to its content."""

    def __init__(self, window: QtWidgets.QMainWindow, session):
        super().__init__(window)
        self.window, self.session = window, session
        session.settings.predict_changed.connect(self._on_predict_changed)
        window.layouts.arranged.connect(self._on_arranged)     # a start (predict mode restored on), a layout switch
        session.quiz.changed.connect(self._on_quiz_changed)          # a new question, a verdict: its height
        session.quiz.revealed.connect(self._on_quiz_changed)

    def beside(self) -> bool:
        """Whether the entry goes among the tabs of the column beside the graph."""
        return self._column() is not None

    def _column(self) -> QtWidgets.QDockWidget | None:
        """The dock of the column beside the graph whose tabs the entry joins: the companion's (the
        Lecture layout), the loss's where it has the boundary's column, else the boundary's where it
        has a column beside the graph (a small screen's Training layout); None: under the graph."""
        w = self.window
        if self.session.settings.layout == "lecture":
            return w.docks[COMPANION_DOCKS[0]]
        loss, boundary = w.docks["loss"], w.docks["boundary"]

        def in_column(dock):
            return w.dockWidgetArea(dock) == _Area.RightDockWidgetArea and not dock.isFloating() and not dock.isHidden()
        if in_column(loss) and boundary in w.tabifiedDockWidgets(loss):
            return loss
        return boundary if in_column(boundary) else None

    def place(self) -> None:
        """Move the entry to its place for the current layout (unless it already is there), then fit it."""
        w, dock = self.window, self.window.docks["predict"]
        if dock.isHidden():
            return
        first = self._column()
        if first is not None:
            if dock.isFloating() or dock not in w.tabifiedDockWidgets(first):
                dock.setFloating(False)
                w.tabifyDockWidget(first, dock)
            dock.raise_()
        elif w.dockWidgetArea(dock) != _Area.BottomDockWidgetArea or dock.isFloating():
            dock.setFloating(False)
            w.addDockWidget(_Area.BottomDockWidgetArea, dock)
            w.tabifyDockWidget(w.docks["loss"], dock)
        self.fit()

    def fit(self) -> None:
        """Under the graph: as tall as the entry and its verdict need, up to BOTTOM_SHARE of the window;
        the graph keeps its minimum (the layouts take back what it lacks)."""
        w, dock = self.window, self.window.docks["predict"]
        if self.beside() or dock.isHidden() or dock.isFloating():
            return
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
        need = min(w.predict_panel.wanted_height() + (dock.height() - dock.widget().height()) + 4,
                   round(BOTTOM_SHARE * w.height()))
        w.resizeDocks([dock], [need], QtCore.Qt.Orientation.Vertical)
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.LayoutRequest)
        if 0 < need - dock.height() < need:      # the size given was its tab group's, the tab bar's height with it
            w.resizeDocks([dock], [2 * need - dock.height()], QtCore.Qt.Orientation.Vertical)
        QtCore.QTimer.singleShot(0, w.layouts, w.layouts.keep_graph_room)

    def _on_predict_changed(self, on: bool) -> None:
        # once the window has shown (or hidden) the dock; off: the column's own panel back in front
        QtCore.QTimer.singleShot(0, self, self.place if on else self._put_back)

    def _put_back(self) -> None:
        self.window.companion.follow()
        column = self._column() if self.session.settings.layout == "training" else None
        if column is not None:
            column.raise_()          # the loss's column: the curves, not the boundary's message; else the boundary

    def _on_arranged(self) -> None:
        QtCore.QTimer.singleShot(0, self, self.place)                # after the layout's own arrangement

    def _on_quiz_changed(self, *_) -> None:
        QtCore.QTimer.singleShot(0, self, self.fit)
