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
at 1280×720 zoom +3, it left the graph 200 px and spirals' 16-wide layers grey bars); where the loss
is under the graph (a 4:3 room) the loss joins that column too, a tab behind the entry, while predict
mode is on, so the graph has the full height.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.shell.layouts import COMPANION_DOCKS
from gui.widgets.screen_fit import lay_out_now

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
        """Move the entry to its place for the current layout (unless it already is there), in front of
        its tab group, then fit it."""
        w, dock = self.window, self.window.docks["predict"]
        if dock.isHidden():
            return
        first = self._column()
        if first is not None:
            if dock.isFloating() or dock not in w.tabifiedDockWidgets(first):
                dock.setFloating(False)
                w.tabifyDockWidget(first, dock)
            self._loss_beside()
            dock.raise_()
        else:
            if w.dockWidgetArea(dock) != _Area.BottomDockWidgetArea or dock.isFloating():
                dock.setFloating(False)
                w.addDockWidget(_Area.BottomDockWidgetArea, dock)
                w.tabifyDockWidget(w.docks["loss"], dock)
            dock.raise_()         # (an arrangement for another run put the loss's tab in front of it)
        self.fit()

    def fit(self, again: bool = True) -> None:
        """Under the graph: as tall as the entry and its verdict need, up to BOTTOM_SHARE of the window
        (the entry arranges its question for that height: grow_up_to); the graph keeps its minimum
        (the layouts take back what it lacks)."""
        w, dock = self.window, self.window.docks["predict"]
        if dock.isHidden() or dock.isFloating():
            return
        if self.beside():
            w.predict_panel.grow_up_to(0)
            return
        lay_out_now()
        frame, most = dock.height() - dock.widget().height() + 4, round(BOTTOM_SHARE * w.height())
        w.predict_panel.grow_up_to(most - frame)        # its question as asked where that fits up to there
        need = min(w.predict_panel.wanted_height() + frame, most)
        w.resizeDocks([dock], [need], QtCore.Qt.Orientation.Vertical)
        lay_out_now()
        if 0 < need - dock.height() < need:      # the size given was its tab group's, the tab bar's height with it
            w.resizeDocks([dock], [2 * need - dock.height()], QtCore.Qt.Orientation.Vertical)
        QtCore.QTimer.singleShot(0, w.layouts, w.layouts.keep_graph_room)
        if again and need < most:
            QtCore.QTimer.singleShot(0, self, self._fit_grown)

    def _fit_grown(self) -> None:
        """fit() once more where the entry wants more than its dock gives it once its new fields are
        shown (Qt shows a widget added to a shown layout in the next pass of the event loop: iris's
        8×4 wanted 288 px in fit, 313 once drawn, and scrolled 21 px at 1920×1080); once (the graph's
        least may take it back: keep_graph_room)."""
        w, dock = self.window, self.window.docks["predict"]
        if not dock.isHidden() and w.predict_panel.wanted_height() > dock.widget().height():
            self.fit(again=False)

    def _on_predict_changed(self, on: bool) -> None:
        # once the window has shown (or hidden) the dock; off: the column's own panel back in front
        QtCore.QTimer.singleShot(0, self, self.place if on else self._put_back)

    def _loss_moves(self) -> bool:
        """Whether the loss panel is the one a small screen's Training layout puts under the graph
        (a 4:3 room, a boundary with something to draw), where predict mode moves it (_loss_beside)."""
        w, loss = self.window, self.window.docks["loss"]
        return (self.session.settings.layout == "training" and w.layouts.small_screen()
                and w.boundary.why_empty() is None and not loss.isHidden() and not loss.isFloating())

    def _loss_beside(self) -> None:
        """Predict mode on with the loss under the graph (a small screen's 4:3 room): the loss joins the
        boundary's column as a tab behind the entry, and the graph has the full height while the
        class predicts (1024×768, zoom +3: spirals' graph 200 px with the loss under it, its 16-wide
        layers grey bars).  Off, it goes back (_loss_under_graph)."""
        w, loss, boundary = self.window, self.window.docks["loss"], self.window.docks["boundary"]
        if self._loss_moves() and w.dockWidgetArea(loss) == _Area.BottomDockWidgetArea \
                and w.dockWidgetArea(boundary) == _Area.RightDockWidgetArea and not boundary.isFloating():
            w.tabifyDockWidget(boundary, loss)

    def _loss_under_graph(self) -> None:
        """Predict mode off: the loss back under the graph where _loss_beside took it (also from an
        arrangement stored while predict mode was on), as tall as its plots need."""
        w, loss = self.window, self.window.docks["loss"]
        if self._loss_moves() and loss in w.tabifiedDockWidgets(w.docks["boundary"]):
            w.addDockWidget(_Area.BottomDockWidgetArea, loss)
            QtCore.QTimer.singleShot(0, w.layouts, w.layouts.fit_loss)

    def _put_back(self) -> None:
        self.window.companion.follow()
        if self.session.settings.layout != "training":
            return
        self._loss_under_graph()
        column = self._column()
        if column is not None:
            column.raise_()          # the loss's column: the curves, not the boundary's message; else the boundary

    def _on_arranged(self) -> None:
        QtCore.QTimer.singleShot(0, self, self._after_arranged)      # after the layout's own arrangement

    def _after_arranged(self) -> None:
        if self.session.settings.predict:
            self.place()
        else:
            self._loss_under_graph()

    def _on_quiz_changed(self, *_) -> None:
        QtCore.QTimer.singleShot(0, self, self.fit)
