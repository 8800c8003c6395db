"""Window layouts that fit the screen: *Lecture* (banner, graph and one companion panel fill the
screen; loss and boundary one key away) and *Training* (the loss curve and the decision boundary get
the room).  Lecture is the default below 1600×900.

``Layouts(window, session)`` arranges the main window's docks for the view setting ``layout``, keeps
the window inside the available area of the screen it is on (at any zoom, with any dock open),
remembers each layout's arrangement per screen size (QSettings ``layouts/<W>x<H>/…``), and puts the
arrangement back exactly when the zoom returns to 100 %.  ``Companion`` makes the panel beside the
graph follow the phase.
"""
from __future__ import annotations

import contextlib

from PySide6 import QtCore, QtGui, QtWidgets

from gui.shell import prefs
from gui.shell.comparison_height import ComparisonHeight
from gui.view_settings import ViewSettings
from gui.widgets.screen_fit import lay_out_now, width_in_sight

LAYOUTS = ViewSettings.layout.choices
COMPANIONS = ViewSettings.companion.choices
LECTURE_BELOW = QtCore.QSize(1600, 900)     # screens smaller than this start in the Lecture layout
GRAPH_MIN = QtCore.QSize(640, 400)          # the graph keeps at least this much in the Lecture layout
GRAPH_MIN_LESSON = 300                      # … or this height, where a lesson's caption band needs room (its note's
                                            # font steps down first: gui/widgets/lesson_bar.py, gui/shell/lessons.py;
                                            # beside a comparison run, less: ComparisonHeight.main_least)
GRAPH_MIN_NUMBERS = 420                     # … or this width, when the companion widens for its heatmaps' numbers
GRAPH_MIN_TRAINING = QtCore.QSize(480, 200)  # … and this much in the Training layout (the plots get the rest:
                                            # at 1024×768, zoom +3, 260 left the loss plots 46 px tall)
GRAPH_SHARE_TRAINING = 0.45                 # … and this share of a wide room's width, where it has graph | loss | boundary
                                            # (at 1280×720 the 0.36 it had left vanishing's seven columns no room for their numbers),
BOUNDARY_COLUMN = 0.335                     # … the boundary this share (its square at least 200 px at zoom +3), the loss the rest
COLUMNS_ASPECT = 2.2                        # a small screen's Training layout: graph | loss | boundary in a room this wide…
FIT_AGAIN_MS = 250                          # after a zoom, the loss panel's height checked again once drawn
EDGE_ROOM_STEP = 24                         # the loss beside the graph gives it this much width at a time for its edge values
BOUNDARY_SHARE = 0.4                        # … else the boundary this share of the width beside graph-over-loss
BELOW_ASPECT = 1.6                          # a room narrower than this may have the companion under the graph…
BELOW_MIN = 280                             # … when the strip there is at least this tall (a readable heatmap)
COMPANION_DOCKS = ("matrices", "derivation", "compgraph", "worksheet")   # tabbed in the companion's place
PLOT_DOCKS = ("loss", "boundary")           # opened in the Lecture layout: a tab of the companion's, in front
PREPARE_DELAY_MS = 80                       # after a step, the companion prepares the derivation it brings next
FRAME_GUESS = QtCore.QSize(8, 36)           # a title bar and borders, until the real frame is known
_H = QtCore.Qt.Orientation.Horizontal
_V = QtCore.Qt.Orientation.Vertical
_BOTTOM = QtCore.Qt.DockWidgetArea.BottomDockWidgetArea


def default_layout(area: QtCore.QSize) -> str:
    """"lecture" on a screen smaller than 1600×900 in either direction, else "training"."""
    small = area.width() < LECTURE_BELOW.width() or area.height() < LECTURE_BELOW.height()
    return "lecture" if small else "training"


def screen_key(area: QtCore.QRect | QtCore.QSize) -> str:
    size = area.size() if isinstance(area, QtCore.QRect) else area
    return f"{size.width()}x{size.height()}"


def companion_width(width: int) -> int:
    """The companion's share of a ``width`` window in the Lecture layout: about 36 %, but never
    so much that the graph gets less than GRAPH_MIN's width."""
    return max(0, min(round(0.36 * width), width - GRAPH_MIN.width() - 24))


def companion_height(height: int) -> int:
    """The companion's share of the ``height`` below the banner when it sits under the graph: about
    36 %, but never so much that the graph gets less than GRAPH_MIN's height."""
    return max(0, min(round(0.36 * height), height - GRAPH_MIN.height() - 12))


def companion_below(room: QtCore.QSize) -> bool:
    """Whether the Lecture layout's companion goes under the graph, given the ``room`` the graph and
    the docks share (the window below its menu and toolbars): in a room narrower than BELOW_ASPECT
    (a 5:4 or 4:3 screen such as 1280×1024) the graph keeps the full width and the companion gets a
    wide strip, where equations and side-by-side heatmaps read well, if that strip is at least
    BELOW_MIN tall under a graph of GRAPH_MIN's height.  At 1024×768 the room (about 1024×596) is
    too wide and too short for that: a strip there would be under 200 px, squeezing a heatmap's
    plot to about 55 px, while beside the graph the companion has 360×590 and the graph 660×590."""
    return room.width() < BELOW_ASPECT * room.height() and companion_height(room.height()) >= BELOW_MIN


def training_column_widths(room: QtCore.QSize) -> tuple[int, int]:
    """(loss, boundary): the widths of the Training layout's loss and boundary columns beside a
    graph of GRAPH_SHARE_TRAINING of the ``room``'s width (at least GRAPH_MIN_TRAINING's), two
    separators between the three."""
    rest = room.width() - max(GRAPH_MIN_TRAINING.width(), round(GRAPH_SHARE_TRAINING * room.width())) - 16
    boundary = round(BOUNDARY_COLUMN * room.width())   # its legend in fewer rows under a taller square
    return rest - boundary, boundary


def training_columns(room: QtCore.QSize, loss_least: int) -> bool:
    """Whether the Training layout of a small screen puts graph, loss and boundary side by side,
    each the room's full height (a 16:9 room, 1280×720 at any zoom: stacked, the loss panel or the
    graph would be under 200 px tall), rather than the graph over the loss beside a boundary of
    the full height (a 4:3 room, where three columns leave the boundary a 120-px square).  Only
    where the loss's column is at least ``loss_least`` (its panel's least width) wide: a 1024-px
    room whose toolbars wrapped at zoom +3 is as wide as 2.2 heights, but its loss column was
    185 px, the curves 90 px wide and scrolled sideways."""
    return room.width() >= COLUMNS_ASPECT * room.height() and training_column_widths(room)[0] >= loss_least


def companion_panel(step, L: int, mode: str) -> tuple[str, list[str] | None]:
    """(dock, heatmap roles) the companion shows at ``step`` in ``mode``: "follow" shows the current
    layer's matrices in the forward and backward passes (W going forward; σ′ and the Jacobian
    W diag σ′ at a δ step, ∂C/∂W at the gradient steps), the derivation of δᴸ at the loss and W,
    −η∂C/∂W at the update; "matrices" all five heatmaps; "derivation" the derivation.  Roles None:
    all of them."""
    if mode == "derivation":
        return "derivation", None
    if mode == "matrices":
        return "matrices", None
    if step.phase == "loss":
        return "derivation", None
    if step.phase == "backward" and step.quantity == "delta":
        return "matrices", ["sigma", "jacobian"] if step.book_layer < L else ["sigma"]
    if step.phase == "backward":
        return "matrices", ["dW"]
    if step.phase == "update":
        return "matrices", ["W", "step"]
    return "matrices", ["W"]


class Layouts(QtCore.QObject):
    """Owns the window's arrangement.  ``apply()`` arranges the docks for the current layout (and
    says so: ``arranged``); ``fit()`` keeps the window inside its screen; ``remember()`` stores the
    arrangement."""

    arranged = QtCore.Signal()      # apply() has arranged the docks (a start, a layout switch, a new screen)

    def __init__(self, window: QtWidgets.QMainWindow, session, store: QtCore.QSettings | None = None):
        super().__init__(window)
        self.window, self.session = window, session
        self.store = store
        self._zoom_state: QtCore.QByteArray | None = None    # zoomed: the layout's arrangement Ctrl+0 puts back (as
                                                             # before zooming, or as entered while zoomed; empty: its
                                                             # own proportions)
        self.lecture_action = self.training_action = None    # made by make_actions
        self._fill = False                                   # fill the screen once the frame is known
        self.canvas: QtCore.QSize | None = None              # a picture's size, for a window never shown
        self._applying = False
        self._frame = QtCore.QSize(0, 0)                      # the window frame's extent at the last fit
        self._joined: set = set()                             # docks one works in, opened among the companion's tabs
        self._front_tab: QtWidgets.QDockWidget | None = None  # the companion's group's dock in front at the last dock change
        self._closed_for_training: set = set()                # the companion's docks the Training layout closed
        self._boundary_empty = False                          # arranged for a run whose boundary has nothing to draw
        self._edge_room_tried: tuple | None = None             # what give_edge_values_room last tried (run, zoom, sizes)
        self._numbers_width = 0                               # the companion widened for a panel's numbers to this
        self._widened_for: QtWidgets.QWidget | None = None    # … for this panel (the heatmaps, the Predict entry)
        self._zoom_widened: tuple = (0, None)                 # … both as they were before zooming
        self._refused: dict[float, int] = {}                  # zoom → the least width not widened to again at that zoom
                                                              # for this run and layout: the graph lost edge values by it
        self._lesson = False                                  # a lesson is open (the settings bar: place_settings_bar)
        self._watched: set = set(window.docks.values())       # docks whose visibility this follows (the recorder
                                                              # joins when join_companion first sees it)
        session.settings.layout_changed.connect(self._on_layout_changed)
        session.settings.font_scale_changed.connect(self._on_font_scale_changed)
        session.settings.predict_changed.connect(self._on_predict_changed)
        session.run_changed.connect(self._on_run_changed)
        session.step_changed.connect(self._on_step_changed)
        session.compare_changed.connect(self._on_compare_changed)   # (after the window's: the dock shown first)
        for dock in window.docks.values():
            dock.visibilityChanged.connect(self._on_dock_visibility_changed)
            dock.topLevelChanged.connect(self._on_dock_visibility_changed)
        window.installEventFilter(self)
        window.graph.installEventFilter(self)
        self.comparison = ComparisonHeight(window, session, GRAPH_MIN_TRAINING.height(), self._arranging)
        window.heatmaps.wants_width.connect(self._on_heatmaps_wants_width)
        window.predict_panel.wants_width.connect(self._on_predict_panel_wants_width)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self.window and event.type() == QtCore.QEvent.Type.WindowStateChange:
            QtCore.QTimer.singleShot(0, self, self.fit)      # back from full screen: inside the screen again
        elif watched is self.window and event.type() in (QtCore.QEvent.Type.Move, QtCore.QEvent.Type.Resize) \
                and self.canvas is None and self._frame_extent() != self._frame:
            QtCore.QTimer.singleShot(0, self, self.fit)      # framed after the last fit (a busy window manager can
                                                             # take longer than on_shown waits): fit the real frame
        elif watched is self.window.graph and event.type() == QtCore.QEvent.Type.Resize and not self._applying:
            size, least = event.size(), self.graph_min()     # squeezed (a taller banner, a dock, a zoom): take room back
            if size.width() < least.width() or size.height() < least.height():
                QtCore.QTimer.singleShot(0, self, self.keep_graph_room)
        return False

    # -- where we are ------------------------------------------------------------------------
    def area(self) -> QtCore.QRect:
        """The available geometry of the screen the window is on (the canvas, when it has one)."""
        if self.canvas is not None:
            return QtCore.QRect(QtCore.QPoint(0, 0), self.canvas)
        screen = self.window.screen() or QtGui.QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1280, 720)

    def _key(self, *parts: str) -> str:
        return "/".join(("layouts", screen_key(self.area())) + parts)

    def _arrangement_key(self, name: str) -> str:
        """Where layout ``name``'s arrangement is stored for this screen: the Training layout's
        apart for a run whose decision boundary has nothing to draw (the loss then has its room)."""
        return self._key(f"{name}-no-boundary" if name == "training" and self._boundary_empty else name)

    def _settings(self) -> QtCore.QSettings:
        return self.store if self.store is not None else prefs.settings()

    def set_canvas(self, size: QtCore.QSize) -> None:
        """Lay the window out for a picture of ``size`` (the command line's snapshot and export
        render a window that is never on a screen): that size exactly, not bounded by a screen,
        with the layout and arrangement of a screen of that size."""
        self.canvas = QtCore.QSize(size)
        self.start(grow=True)
        # a picture has no frame to wait for: once shown (on_shown, 250 ms later) nothing is arranged
        # again, or a dock the export floated for its picture was docked back into its strip
        self._fill = False

    # -- start-up ----------------------------------------------------------------------------
    def start(self, grow: bool = True) -> None:
        """Size the window to its screen (``grow``: fill its available area, as on a first launch)
        and pick this screen's stored layout (else the default for its size), with its stored
        arrangement."""
        self._fill = grow
        self.fit(grow=grow)
        stored = self._settings().value(self._key("name"))
        name = stored if stored in LAYOUTS else default_layout(self.area().size())
        with self._arranging():
            self.session.settings.layout = name
        self.apply(restore=True)

    # -- arranging ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _arranging(self):
        """While this object moves the docks (``_applying``): their visibility and the graph's
        resizes are its own, not the user's."""
        self._applying = True
        try:
            yield
        finally:
            self._applying = False

    def apply(self, restore: bool = False) -> None:
        """Arrange the docks for the current layout: its stored arrangement on this screen when
        ``restore`` and one is stored, else the layout's own proportions."""
        w, name = self.window, self.session.settings.layout
        with self._arranging():
            self._boundary_empty = w.boundary.why_empty() is not None
            self._numbers_width, self._widened_for = 0, None    # the layout's own proportions (the panels ask again
            self._refused.clear()                               # if they need more)
            self.place_settings_bar()
            roomy = w.width() >= LECTURE_BELOW.width() and w.height() >= LECTURE_BELOW.height()
            w.toolbar_fit.set_roomy(roomy)         # text under the icons only on a roomy screen
            state = prefs.as_bytes(self._settings().value(self._arrangement_key(name))) if restore else None
            restored = state is not None and w.restoreState(state)
            if not restored:
                self._arrange(name)
            if self._zoom_state is not None:    # zoomed: Ctrl+0 puts back this layout's arrangement, not the one
                self._zoom_state = state if restored else QtCore.QByteArray()   # left (empty: its own proportions)
                self._zoom_widened = (0, None)
            self.place_settings_bar()                   # (a stored arrangement restores the toolbars' visibility too)
            self._hide_modes_off()
            self._sync_actions()
        self.fit()
        QtCore.QTimer.singleShot(0, self, self.give_edge_values_room)
        self.arranged.emit()

    def _arrange(self, name: str) -> None:
        w, d = self.window, self.window.docks
        for dock in d.values():
            dock.setFloating(False)
        for dock in self._closed_for_training:     # the companion's panels a small screen's Training layout closed
            dock.show()
        self._closed_for_training = set()
        d["network"].hide()
        d["matrices"].show()
        d["derivation"].show()
        d["matrices"].raise_()
        width, height = w.width(), w.height()
        room = QtCore.QSize(width, self._room_below_bars())
        below = name == "lecture" and companion_below(room)
        self._place_companion(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea if below
                              else QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
        if name == "lecture":
            d["loss"].hide()
            d["boundary"].hide()
            if below:
                w.resizeDocks([d["matrices"]], [companion_height(room.height())], _V)
            else:
                w.resizeDocks([d["matrices"]], [companion_width(width)], _H)
        elif self.small_screen():
            self._arrange_training_small(room)
        else:
            d["loss"].show()
            d["boundary"].show()
            if any(w.dockWidgetArea(d[n]) != QtCore.Qt.DockWidgetArea.BottomDockWidgetArea for n in ("loss", "boundary")) \
                    or d["boundary"] in w.tabifiedDockWidgets(d["matrices"]) \
                    or d["boundary"] in w.tabifiedDockWidgets(d["loss"]):   # back from another arrangement
                w.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, d["loss"])
                w.splitDockWidget(d["loss"], d["boundary"], _H)
                w.tabifyDockWidget(d["loss"], d["predict"])      # predict mode's entry in the loss's place, as built
            w.resizeDocks([d["matrices"]], [round(0.3 * width)], _H)
            w.resizeDocks([d["loss"]], [round((0.32 if height >= LECTURE_BELOW.height() else 0.42) * height)], _V)
            if self._boundary_empty:        # nothing to draw: the boundary's message one tab behind the loss
                w.tabifyDockWidget(d["loss"], d["boundary"])
            else:
                w.resizeDocks([d["loss"], d["boundary"]], [1, 1], _H)
        self.window.companion.follow()
        if name == "training":              # the plot that has something to show in front (of a comparison run's tab)
            (d["loss"] if self._boundary_empty else d["boundary"]).raise_()
        self.place_comparison()             # a comparison run opened with the session, as when started

    def set_lesson(self, on: bool) -> None:
        """A lesson opened (``on``) or closed: the settings bar follows (place_settings_bar)."""
        self._lesson = on
        self.place_settings_bar()

    def place_settings_bar(self) -> None:
        """The settings bar (η, batch, epochs, speed, data, example) shown on a screen as wide as
        LECTURE_BELOW, and on a narrower one only in the Training layout outside a lesson: there the
        graph needs its rows (at 1024×768, zoom +3, they are two, 68 px), and a lesson sets the run
        itself (the banner counts its training's updates and loss)."""
        w = self.window
        wide = w.width() >= LECTURE_BELOW.width()
        w.settings_bar.setVisible(wide or (self.session.settings.layout == "training" and not self._lesson))

    def small_screen(self) -> bool:
        """A window smaller than LECTURE_BELOW: the Training layout trades the matrices' column
        for the plots' room there (the matrices one View-menu entry or L away)."""
        w = self.window
        return w.width() < LECTURE_BELOW.width() or w.height() < LECTURE_BELOW.height()

    def _arrange_training_small(self, room: QtCore.QSize) -> None:
        """The Training layout of a small screen: the decision boundary in the companion's place
        (the companion's panels closed), the full height of the room (a square of readable size);
        the loss panel either beside it, full height too (``training_columns``), or under the graph,
        as tall as its plots need to be PLOT_MIN each (gui/widgets/loss_plot.py).  Predict mode's
        entry is a tab of the boundary's column (gui/shell/predict_place.py; in the loss's place, or
        under the graph, it took the graph's height: 150–200 px left at 1280×720 and 1024×768, and the
        loss's column is too narrow for it: 270 px at 1024×768, scrolled sideways).  A run whose boundary
        has nothing to draw (more than 2 inputs, one example) gives the loss the boundary's place, its
        plots one over the other at full height, and the boundary's message one tab behind it."""
        w, d = self.window, self.window.docks
        first, loss = d[COMPANION_DOCKS[0]], d["loss"]
        loss.show()
        d["boundary"].show()
        if self._boundary_empty:
            for name in ("loss", "boundary"):
                w.tabifyDockWidget(first, d[name])
            w.resizeDocks([first], [round(BOUNDARY_SHARE * room.width())], _H)
        elif training_columns(room, w.loss.minimumSizeHint().width()):
            w.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, loss)
            w.splitDockWidget(loss, first, _H)               # graph | loss | companion
            for name in COMPANION_DOCKS[1:]:
                w.tabifyDockWidget(first, d[name])
            w.tabifyDockWidget(first, d["boundary"])
            w.tabifyDockWidget(first, d["predict"])          # predict mode's entry: a tab of the boundary's column
            widths = training_column_widths(room)
            w.layout().activate()                                          # the docks where they now are…
            w.resizeDocks([loss], [sum(widths) - d["boundary"].width()], _H)   # … the area's width (from the graph's)…
            w.layout().activate()
            w.resizeDocks([loss, d["boundary"]], list(widths), _H)         # … shared in it
        else:
            w.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, loss)
            w.tabifyDockWidget(first, d["boundary"])
            w.resizeDocks([d["boundary"]], [round(BOUNDARY_SHARE * room.width())], _H)
            self.fit_loss()
            w.tabifyDockWidget(first, d["predict"])   # predict mode's entry a tab of the boundary's column (in front when on)
        # the companion's panels closed (View menu or L bring them back): their tab bar under the
        # boundary cost its square 35 px at zoom +3
        self._closed_for_training = {d[n] for n in COMPANION_DOCKS if n in d and not d[n].isHidden()}
        for dock in self._closed_for_training:
            dock.hide()

    def place_comparison(self) -> None:
        """A comparison run's graph under the main graph, as wide as it, the two sharing the height
        evenly; where the loss is under the graph (a small screen's Training layout) the comparison is
        the tab in front of it, and where the companion is (companion_below: a strip as wide as the
        graph, 1280×1024) one of its tabs, in front (stacked under that strip, xor's scrolled 39 px
        at zoom +3).  In the companion's column (356 px wide at 1024×768, 459 at 1280×720)
        vanishing's 3-4-4-4-4-4-2 drew 3 of its 25 neurons' numbers: its seven columns of numbers need
        540 px of width at zoom 0 and 580 at +3, at any height down to 200 px, which only the graph's
        column has (653 px at 1024×768)."""
        w, d = self.window, self.window.docks
        dock = d["comparison"]
        if self.session.compare is None or dock.isFloating():
            return
        under = [p for p in (d["loss"], d[COMPANION_DOCKS[0]])
                 if not p.isHidden() and not p.isFloating() and w.dockWidgetArea(p) == _BOTTOM]
        if under:
            w.tabifyDockWidget(under[0], dock)
        else:
            w.addDockWidget(_BOTTOM, dock, _V)
        dock.show()
        dock.raise_()
        self.share_height()

    def share_height(self) -> None:
        """The main graph and the comparison's under it the same height (where the comparison is a tab
        in front of the loss, at least as tall as the loss's plots need: fit_loss), at a layout's
        arrangement, a new comparison run, a zoom (1280×720, zoom +3: 262 px over 200 before) and a lesson's
        slide once its note is in the band (LessonControl._settle)."""
        w, dock = self.window, self.window.docks["comparison"]
        if w.tabifiedDockWidgets(dock):
            self.fit_loss()
        elif height := self.comparison.even_height():
            w.resizeDocks([dock], [height], _V)
            self.comparison.lend_for_edge_values()
        self.comparison.fit_least()       # (in the room it now has: a dock just opened is 92 px tall)

    def lesson_graph_least(self, tight: bool = False) -> int:
        """The height a lesson's caption band leaves the graph in its column (its note steps down to
        fit the rest): GRAPH_MIN_LESSON; where a comparison run's graph under it shares the height,
        the main graph's least beside it (ComparisonHeight.main_least).  GRAPH_MIN_LESSON there left
        the note at its floor, ~12 px, on every comparison slide (vanishing 7, 8, 10, differentials 5)
        at 1024×768 and 1280×720, under a main graph whose content is ~200 px."""
        return self.comparison.main_least(tight) if self.comparison.shares_height() else GRAPH_MIN_LESSON

    def _on_compare_changed(self) -> None:
        self.comparison.forget()
        if not self._applying:
            with self._arranging():
                self.place_comparison()
            self.fit()
        if self.session.compare is None:
            self.comparison.fit_least()      # (no comparison: the main graph's own least again)

    def give_edge_values_room(self) -> None:
        """A small screen's Training layout with the loss in the boundary's place beside the graph (a
        run whose boundary has nothing to draw): while the graph leaves edge values out
        (graph.edge_note, after a zoom, another run or a step whose banner took more height; iris at
        1024×768, zoom +3, showed 16 of its 24 at 601 px), the loss's column gives it the least
        number of EDGE_ROOM_STEP px steps at which none are left out, down to the loss panel's least
        width, kept where more of them show so.  The steps are searched 1, 2, 4, … then halved
        between (each tried width lays the graph out: a run with untrained weights, which leaves
        values out at any width, was laid out at every step, 7 times at vanishing's zoom +3), taking
        a graph that shows all of them at a width to show all at any wider one.  The loss gets its
        own share back when the layout is arranged again (L, Reset, Ctrl+0)."""
        w = self.window
        loss, graph = w.docks["loss"], w.graph
        if not self._loss_gives_edge_room():
            return
        lay_out_now()   # the graph at its size now
        if not getattr(graph, "edge_note", False):
            return
        tried = (id(self.session.net), self.session.settings.font_scale, graph.height(), loss.width())
        if tried == self._edge_room_tried:       # (no more of them at this graph's height: not again at every step)
            return
        start, shown = loss.width(), graph.planned_edge_numbers[0]
        least = w.loss.minimumSizeHint().width() + loss.width() - w.loss.width()     # (the dock's frame)
        steps = max((start - least) // EDGE_ROOM_STEP, 0)

        def leaves_out(k: int) -> bool:
            """Whether the graph leaves edge values out with the loss k steps narrower (laid out there)."""
            w.resizeDocks([loss], [start - k * EDGE_ROOM_STEP], _H)
            lay_out_now()   # the graph at that width now
            return graph.edge_note

        done, k = 0, 1                  # edge values left out at ``done`` steps; k: the next tried
        while k <= steps and leaves_out(k):
            done, k = k, (min(2 * k, steps) if k < steps else k + 1)
        if k <= steps:                  # none left out at k: the least such is in (done, k]
            top = k
            while top - done > 1:
                middle = (done + top) // 2
                if leaves_out(middle):
                    done = middle
                else:
                    top = middle
            if loss.width() != start - top * EDGE_ROOM_STEP:   # (the last tried left some out)
                leaves_out(top)
        if graph.planned_edge_numbers[0] <= shown and loss.width() != start:   # no more of them for it: the loss
            w.resizeDocks([loss], [start], _H)                                  # keeps its width
            lay_out_now()
        self._edge_room_tried = (id(self.session.net), self.session.settings.font_scale, graph.height(), loss.width())

    def _loss_gives_edge_room(self) -> bool:
        """Whether the graph's edge values can have the loss column's room (give_edge_values_room): a
        small screen's Training layout with the loss in the boundary's place.  Asked without reading
        the graph, whose layout that would make (at a step key, of a new run in the layout being left)."""
        w, loss = self.window, self.window.docks["loss"]
        return (self.session.settings.layout == "training" and self.small_screen() and self._boundary_empty
                and not loss.isHidden() and not loss.isFloating()
                and w.dockWidgetArea(loss) == QtCore.Qt.DockWidgetArea.RightDockWidgetArea)

    def fit_loss(self) -> None:
        """The loss panel under the graph (a small screen's Training layout) as tall as its plots
        need, or 42 % of the room when that is more, or, with a comparison run's graph in front of
        it, as the two graphs' even share when that is more; the graph keeps the rest."""
        w, loss = self.window, self.window.docks["loss"]
        if loss.isHidden() or loss.isFloating() or w.dockWidgetArea(loss) != QtCore.Qt.DockWidgetArea.BottomDockWidgetArea:
            return
        frame = loss.height() - loss.widget().height() if loss.widget().height() > 0 else loss.fontMetrics().height() + 12
        need = max(w.loss.least_height(loss.width()) + frame, round(0.42 * self._room_below_bars()))
        short = w.loss.plot_shortfall()          # as drawn (an axis learns its labels' height when it paints)
        if short > 0:
            need = max(need, loss.height() + short)
        w.resizeDocks([loss], [max(need, self.comparison.even_height())], _V)

    def _place_companion(self, area: QtCore.Qt.DockWidgetArea) -> None:
        """The companion's docks, tabbed together, in ``area`` (beside or under the graph); the
        matrices keep their place as the group's first tab."""
        w, d = self.window, self.window.docks
        first = d[COMPANION_DOCKS[0]]
        if w.dockWidgetArea(first) == area:
            return
        w.addDockWidget(area, first)
        for name in COMPANION_DOCKS[1:]:
            if name in d:
                w.tabifyDockWidget(first, d[name])

    def _room_below_bars(self) -> int:
        """The height the graph and the docks share: the window below its menu bar and toolbars,
        above its status bar."""
        w = self.window
        bars = w.findChildren(QtWidgets.QToolBar, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly)
        used = sum(bar.sizeHint().height() for bar in bars
                   if bar.isVisibleTo(w) and w.toolBarArea(bar) == QtCore.Qt.ToolBarArea.TopToolBarArea)
        for bar in (w.menuBar(), w.statusBar()):
            if bar.isVisibleTo(w) and not (isinstance(bar, QtWidgets.QMenuBar) and bar.isNativeMenuBar()):
                used += bar.sizeHint().height()
        return max(0, w.height() - used)

    def switch(self, name: str | None = None) -> None:
        """Remember this layout's arrangement and go to ``name`` (the other one when None)."""
        current = self.session.settings.layout
        name = name or ("training" if current == "lecture" else "lecture")
        self.remember()
        self.session.settings.layout = name

    def remember(self) -> None:
        """Store the current layout's arrangement, and the layout's name, for this screen size; while
        zoomed, the arrangement Ctrl+0 would put back (a layout left zoomed in and entered again at
        100 % is as it was at 100 %)."""
        s, key = self._settings(), self._arrangement_key(self.session.settings.layout)
        state = self.window.saveState() if self._zoom_state is None else self._zoom_state   # zoomed: the arrangement
        if state.isEmpty():                                                                 # Ctrl+0 would put back
            s.remove(key)                   # (arranged while zoomed: its own proportions)
        else:
            s.setValue(key, state)
        s.setValue(self._key("name"), self.session.settings.layout)
        s.sync()

    def reset(self) -> None:
        """The current layout's own proportions, forgetting its stored arrangement on this screen."""
        self._settings().remove(self._arrangement_key(self.session.settings.layout))
        self.apply()

    # -- fitting the screen --------------------------------------------------------------------
    def fit(self, grow: bool = False) -> None:
        """Keep the window's frame inside the screen's available area (smaller and moved when it
        is not; ``grow``: fill the area, as on first launch).  Maximised and full-screen windows
        are the window system's."""
        w = self.window
        if w.isFullScreen() or w.isMaximized():
            return
        area = self.area()
        extra = self._frame = self._frame_extent()
        if self.canvas is not None:
            extra = QtCore.QSize(0, 0)         # a picture has no window frame
        elif not w.isVisible() and extra.isNull():
            extra = FRAME_GUESS                # the window manager's frame is not known before the first show
        room = QtCore.QSize(area.width() - extra.width(), area.height() - extra.height())
        w.setMaximumSize(room)
        size = room if grow else w.size().boundedTo(room)
        if size != w.size():
            w.resize(size)
        frame = w.frameGeometry()
        x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
        y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            w.move(x, y)

    def _frame_extent(self) -> QtCore.QSize:
        """How much the window manager's frame adds to the window's size (0 × 0 until it is framed)."""
        w = self.window
        frame = w.frameGeometry()
        return QtCore.QSize(frame.width() - w.width(), frame.height() - w.height())

    def on_shown(self) -> None:
        """Shown: fit again with the real frame (and fill the screen if the start asked for it)."""
        fill, self._fill = self._fill, False
        self.fit(grow=fill)
        if fill:
            opened = [d for d in self.window.docks.values() if d.isVisible()]
            self.apply(restore=True)         # the layout's proportions of the window's real size
            for dock in opened:              # a dock opened before the window was framed stays open
                dock.show()

    def on_screen_changed(self, _screen=None) -> None:
        """The window moved to another screen: fit it, and take that screen's layout."""
        self.remember()
        self.start(grow=True)

    # -- following the session -----------------------------------------------------------------
    def _on_layout_changed(self, _name: str) -> None:
        if not self._applying:
            self.apply(restore=True)

    def _on_run_changed(self) -> None:
        """A run whose decision boundary can draw where the last could not, or the reverse: the
        Training layout's room goes to the plot with something to show (each arrangement kept apart)."""
        self.comparison.forget()
        if self.session.settings.layout == "training" \
                and (self.window.boundary.why_empty() is not None) != self._boundary_empty:
            self.remember()
            self.apply(restore=True)
        else:
            self._refused.clear()
            self._give_back_numbers_width()
            QtCore.QTimer.singleShot(0, self, self.give_edge_values_room)

    def _on_step_changed(self, _view) -> None:
        if self._numbers_width:                  # the graph at this step (laid out for it already), at the
            self._keep_edge_values()             # companion's widened width
        if self._loss_gives_edge_room():         # (a two-line banner may have made the graph shorter)
            QtCore.QTimer.singleShot(0, self, self.give_edge_values_room)

    def _on_font_scale_changed(self, scale: float) -> None:
        if abs(scale - 1.0) > 1e-9 and self._zoom_state is None:
            self._zoom_state, self._zoom_widened = self.window.saveState(), (self._numbers_width, self._widened_for)
        if abs(scale - 1.0) <= 1e-9 and self._zoom_state is not None:
            state, self._zoom_state = self._zoom_state, None
            self._numbers_width, self._widened_for = self._zoom_widened      # restored as it was, widened or not
            QtCore.QTimer.singleShot(0, self, lambda: self._restore_after_zoom(state))
        else:
            self._give_back_numbers_width()      # the panels ask again at the new fonts (not for a width refused at it)
            QtCore.QTimer.singleShot(FIT_AGAIN_MS, self, self.share_height)   # once the banner has its new height
            if self.session.settings.layout == "training" and self.small_screen():
                QtCore.QTimer.singleShot(0, self, self.fit_loss)      # the plots' room at the new fonts, and again
                QtCore.QTimer.singleShot(FIT_AGAIN_MS, self, self.fit_loss)   # once they are drawn at them
                QtCore.QTimer.singleShot(FIT_AGAIN_MS, self, self.give_edge_values_room)
        self.fit()

    def _hide_modes_off(self) -> None:
        """A stored arrangement never shows the dock of a mode that is off (predict mode, a comparison run)."""
        for dock, on in self.window.mode_docks().items():
            if not on:
                self.window.docks[dock].hide()

    def _restore_after_zoom(self, state: QtCore.QByteArray) -> None:
        """Ctrl+0: the arrangement exactly as before zooming, once the fonts have settled; a mode turned
        off while zoomed stays off (its dock came back with the arrangement, and the companion as wide
        as the Predict entry had made it)."""
        lay_out_now()
        if state.isEmpty():                 # the layout was arranged while zoomed: its own proportions at 100 %
            self.apply()
            return
        self.window.restoreState(state)
        self._hide_modes_off()
        if self._widened_for is self.window.predict_panel and not self.session.settings.predict:
            self._give_back_numbers_width()
            lay_out_now()

    def _on_predict_changed(self, on: bool) -> None:
        """Predict mode off: a companion widened for the entry's question is back to its own share at
        once (it stayed wide until another run, zoom or layout)."""
        if not on and self._widened_for is self.window.predict_panel:
            self._give_back_numbers_width()

    def _on_dock_visibility_changed(self, *_args) -> None:
        if not self._applying:
            QtCore.QTimer.singleShot(0, self, self._after_dock_change)

    def _after_dock_change(self) -> None:
        self._after_tab_closed()
        self._left_companion()
        self.join_companion(self.window.docks["network"])
        for name in PLOT_DOCKS:
            self.join_companion(self.window.docks[name], under=True)
        self.fit()
        if self.session.settings.layout == "training" and self.small_screen():
            self.fit_loss()              # predict mode's entry came or went in the loss's place: the plots' room
        self.keep_graph_room()
        self._note_front_tab()

    def join_companion(self, dock: QtWidgets.QDockWidget, under: bool = False) -> None:
        """In the Lecture layout with the companion beside the graph, a dock one works in (the network
        editor, the lesson recorder) or a plot opened from the View menu (the loss, the decision
        boundary) opens as one of the companion's tabs, in front: a third column would leave the
        companion (or, at 1024 px, the dock) too narrow to read, since the graph keeps GRAPH_MIN
        (the loss opened at 1280×720 after the Training layout's columns got 259 px and left the
        companion 197), and under the graph, which keeps GRAPH_MIN's height, the loss's plots
        scrolled (at zoom +3, 60 px of their 140 at 1280×720).  ``under``: also where the companion
        is under the graph (companion_below: a strip as wide as the window, where the plots read and
        beside which the loss had 80 px at zoom +3; the editor's form keeps its column there, the
        strip's height would scroll it).  Closed, the panel that follows the phase comes back."""
        w, first = self.window, self.window.docks[COMPANION_DOCKS[0]]
        if dock not in self._watched:
            self._watched.add(dock)
            dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        areas = (QtCore.Qt.DockWidgetArea.RightDockWidgetArea, _BOTTOM) if under else (QtCore.Qt.DockWidgetArea.RightDockWidgetArea,)
        if (self.session.settings.layout != "lecture" or not dock.isVisible() or dock.isFloating()
                or w.dockWidgetArea(first) not in areas or dock in self._joined):
            return
        with self._arranging():
            if dock not in w.tabifiedDockWidgets(first):    # (opened again: in its tab already, brought to the front)
                w.tabifyDockWidget(first, dock)
            self._joined.add(dock)
            dock.show()
            dock.raise_()
            if w.dockWidgetArea(first) != _BOTTOM:
                QtCore.QTimer.singleShot(0, self, lambda: w.resizeDocks(   # once the left column is gone: the
                    [first], [companion_width(w.width())], _H))             # companion's width back

    def _after_tab_closed(self) -> None:
        """The dock in front of the companion's group closed (predict mode off, a plot or the editor
        closed): the panel that follows the phase in front, not the neighbour Qt put there (the Loss,
        left open behind the Matrices tab, came to the front as predict mode went off and stayed)."""
        if self._front_tab is not None and self._front_tab.isHidden() and self.session.settings.layout == "lecture":
            self.window.companion.follow(force=True)

    def _note_front_tab(self) -> None:
        """Which dock of the companion's group is in front now (for _after_tab_closed)."""
        w, first = self.window, self.window.docks[COMPANION_DOCKS[0]]
        self._front_tab = next((d for d in (first, *w.tabifiedDockWidgets(first))
                                if not d.isHidden() and not d.visibleRegion().isEmpty()), None)

    def _left_companion(self) -> None:
        """A joined dock closed (not only behind another tab): the panel that follows the phase is back."""
        closed = {d for d in self._joined if d.isHidden()}
        if closed:
            self._joined -= closed
            self.window.companion.follow()

    def graph_min(self) -> QtCore.QSize:
        """The least the graph keeps in the current layout: GRAPH_MIN in the Lecture layout (only
        GRAPH_MIN_NUMBERS wide while the companion is widened for its heatmaps' numbers, and only
        GRAPH_MIN_TRAINING's height while a comparison run's graph shares its height: place_comparison),
        the smaller GRAPH_MIN_TRAINING in the Training layout, whose plots take the rest; sharing a room
        short of two GraphView leasts with a comparison, its least numbered height (ComparisonHeight.fit_least)."""
        shared = self.session.compare is not None and not self.window.docks["comparison"].isFloating()
        if self.session.settings.layout != "lecture":
            least = GRAPH_MIN_TRAINING
        else:
            least = QtCore.QSize(GRAPH_MIN_NUMBERS if self._numbers_width else GRAPH_MIN.width(),
                                 GRAPH_MIN_TRAINING.height() if shared else GRAPH_MIN.height())
        return QtCore.QSize(least.width(), min(least.height(), self.window.graph.minimumHeight())) if shared else least

    def _on_heatmaps_wants_width(self, width: int) -> None:
        """The heatmaps shown print their numbers only in a panel ``width`` px wide (at a large zoom,
        iris's eight columns): the companion widens to that (``_widen_companion``)."""
        self._widen_companion(self.window.heatmaps, self.window.docks[COMPANION_DOCKS[0]], width)

    def _on_predict_panel_wants_width(self, width: int) -> None:
        """Predict mode's entry shows its question as asked, in one block of fields, only in a panel
        ``width`` px wide (iris's 8×4 ∂C/∂W¹ at 1024×768, zoom 0: two blocks of two columns in the
        356-px companion): the companion widens to that (``_widen_companion``)."""
        self._widen_companion(self.window.predict_panel, self.window.docks["predict"], width)

    def _widen_companion(self, panel: QtWidgets.QWidget, dock: QtWidgets.QDockWidget, width: int) -> None:
        """``panel`` (in ``dock``, a tab of the companion's column) needs ``width`` px: in the Lecture
        layout with the companion beside the graph and ``dock`` in front, the companion widens to that, the graph
        keeping GRAPH_MIN_NUMBERS of width.  It stays as wide for this run, zoom and layout (stepping
        does not move the graph back and forth); a zoom, another run or arranging the layout again
        gives the companion its own share back, and it widens again if a panel there needs it."""
        w, first = self.window, self.window.docks[COMPANION_DOCKS[0]]
        if (self._applying or self.session.settings.layout != "lecture" or first.isHidden() or first.isFloating()
                or w.dockWidgetArea(first) != QtCore.Qt.DockWidgetArea.RightDockWidgetArea
                or dock.visibleRegion().isEmpty()):
            return
        want = width + first.width() - width_in_sight(panel)   # the dock's frame and scroll area around the panel
        if want >= self._refused.get(self.session.settings.font_scale, want + 1) or getattr(w.graph, "edge_note", False):
            return                              # the graph's edge values come first (see _keep_edge_values)
        if first.width() < want <= first.width() + w.graph.width() - GRAPH_MIN_NUMBERS:   # (less would not do)
            self._numbers_width, self._widened_for = want, panel
            w.resizeDocks([first], [want], _H)
            lay_out_now()   # the graph at that width now
            self._keep_edge_values()

    def _keep_edge_values(self) -> None:
        """The graph's edge values come before the heatmaps' numbers: where the companion, widened for
        them, leaves the graph too narrow for all its edge values (graph.edge_note: wong's 3-4-3 at
        1024×768, zoom +3, lost two at 606 px), it gives the width back, and does not widen as much
        again for this run and layout at this zoom (its heatmaps that need it keep their values on
        hover): coming back to the zoom (+2, +3, +2) does not lay the graph out at the trial width again
        (iris at 1024×768, +2: 0.3 s)."""
        if self._numbers_width and getattr(self.window.graph, "edge_note", False):
            scale = self.session.settings.font_scale
            self._refused[scale] = min(self._numbers_width, self._refused.get(scale, self._numbers_width))
            self._give_back_numbers_width()
            lay_out_now()   # back before anything paints

    def _give_back_numbers_width(self) -> None:
        """The companion back to its own share of the window, if it was widened for a panel's numbers."""
        self._widened_for = None
        if self._numbers_width:
            self._numbers_width = 0
            w = self.window
            if self.session.settings.layout == "lecture" \
                    and w.dockWidgetArea(w.docks[COMPANION_DOCKS[0]]) == QtCore.Qt.DockWidgetArea.RightDockWidgetArea:
                w.resizeDocks([w.docks[COMPANION_DOCKS[0]]], [companion_width(w.width())], _H)

    def keep_graph_room(self) -> None:
        """The graph keeps ``graph_min()``: docks beside or under it give up what it lacks (down to
        their minimum), so opening a dock or zooming in never squeezes the stage below its budget (at
        1280×720, zoom +3, the Training layout's plots left XOR's hidden neurons 20 px dots)."""
        lay_out_now()   # the sizes as laid out now: read before a resize of the docks was laid out (the companion
                        # given back its width as predict mode went off), the graph's lack was counted twice
        w, least = self.window, self.graph_min()
        graph = w.graph
        docked = [d for d in w.docks.values() if d.isVisible() and not d.isFloating()]
        first_in: dict = {}                                  # each dock area's first visible dock
        for d in docked:
            first_in.setdefault(w.dockWidgetArea(d), d)
        for orientation, lack, areas in (
                (_H, least.width() - graph.width(), (QtCore.Qt.DockWidgetArea.LeftDockWidgetArea,
                                                     QtCore.Qt.DockWidgetArea.RightDockWidgetArea)),
                (_V, least.height() - graph.height(), (QtCore.Qt.DockWidgetArea.TopDockWidgetArea,
                                                       QtCore.Qt.DockWidgetArea.BottomDockWidgetArea))):
            # one dock per area: the area's extent across the graph is what gives way (docks side by
            # side within an area, as the Training layout's loss and boundary, keep their split)
            side = [first_in[a] for a in areas if a in first_in]
            if lack <= 0 or not side:
                continue
            extent = (lambda d: d.width()) if orientation == _H else (lambda d: d.height())
            total = sum(extent(d) for d in side)
            sizes = [max(round(extent(d) - lack * extent(d) / total), 80) for d in side]
            w.resizeDocks(side, sizes, orientation)

    # -- actions ---------------------------------------------------------------------------------
    def make_actions(self, make) -> list[QtGui.QAction]:
        """The View-menu entries: two checkable layouts (L switches between them) and a reset;
        ``make(text, keys, slot, checkable)`` builds a window-wide action."""
        self.lecture_action = make("&Lecture layout", [], lambda: self.switch("lecture"), True)
        self.training_action = make("&Training layout", [], lambda: self.switch("training"), True)
        self.switch_action = make("&Switch lecture / training layout", ["L"], lambda: self.switch(), False)
        self.reset_action = make("&Reset this layout", [], self.reset, False)
        group = QtGui.QActionGroup(self)
        for a in (self.lecture_action, self.training_action):
            group.addAction(a)
        self._sync_actions()
        return [self.lecture_action, self.training_action, self.switch_action, self.reset_action]

    def _sync_actions(self) -> None:
        if self.lecture_action is not None:       # the menus are built after the settings are restored
            lecture = self.session.settings.layout == "lecture"
            self.lecture_action.setChecked(lecture)
            self.training_action.setChecked(not lecture)


class Companion(QtCore.QObject):
    """The panel beside the graph: the matrices (a phase's heatmaps of the current layer) or the
    derivation, chosen by the view setting ``companion`` and the micro-step."""

    def __init__(self, window: QtWidgets.QMainWindow, session):
        super().__init__(window)
        self.window, self.session = window, session
        self.shown: tuple[str, list[str] | None] = ("matrices", None)
        self._index = 0          # the micro-step shown, and the way the last key went (+1 forward, −1 back)
        self._heading = 1
        self._prepare = QtCore.QTimer(self, singleShot=True, interval=PREPARE_DELAY_MS)
        self._prepare.timeout.connect(self._on_prepare_timeout)
        session.step_changed.connect(self._on_step_changed)
        session.run_changed.connect(self.follow)
        session.settings.companion_changed.connect(self._on_companion_changed)

    def follow(self, force: bool = False) -> None:
        """Show the panel for the micro-step in front, unless a dock one opened among the companion's
        tabs is there (the editor, the recorder, a plot: it stays); ``force``: whatever is in front
        (a tab of the group was closed and Qt put its neighbour in front)."""
        s = self.session
        dock, roles = companion_panel(s.view.step, s.net.L, s.settings.companion)
        self.shown = (dock, roles)
        heatmaps = self.window.heatmaps
        if dock == "matrices":
            heatmaps.set_roles(roles)    # before it comes to the front: arranged once, as it is shown
        w, target = self.window, self.window.docks[dock]
        first = w.docks[COMPANION_DOCKS[0]]
        own = {w.docks[n] for n in COMPANION_DOCKS if n in w.docks}
        if not force and any(d not in own and d.isVisible() and not d.visibleRegion().isEmpty()
                             for d in w.tabifiedDockWidgets(first)):
            heatmaps.set_roles(roles)
            return                       # the editor or the recorder is in front: it stays
        if not target.isHidden() and not target.isFloating():
            behind = target.visibleRegion().isEmpty()
            panel = self.window.derivation if dock == "derivation" else heatmaps   # built on first use
            if behind:      # brought to the front: the current micro-step, not the last one seen, given before it
                panel.refresh()     # is shown (raised first, the derivation laid the last one out, then this one)
                if dock == "derivation":
                    panel.fill_before_shown()
            target.raise_()
        if dock != "matrices":
            heatmaps.set_roles(roles)    # behind the derivation now: arranged when next seen, not while hidden

    def _on_prepare_timeout(self) -> None:
        """In idle time after a step: the heatmaps the neighbouring micro-steps bring into the
        companion drawn ahead (HeatmapPanel.draw_ahead), first the one the last key was heading for
        (the next going forward, the previous going back: a heatmap both would show, ∂C/∂W at
        digits' δ¹, is prepared for that one); when one of them brings the derivation to the front,
        build that panel (on first use) and typeset those micro-steps' equations ahead, so the key
        that shows it finds them drawn."""
        s, dock = self.session, self.window.docks["derivation"]
        if s.playing:
            return
        stepper = s.stepper
        near = (stepper.index + self._heading, stepper.index - self._heading)
        plans = [(k, roles) for k in near if 0 <= k <= stepper.last
                 for name, roles in [companion_panel(stepper.steps[k], s.net.L, s.settings.companion)]
                 if name == "matrices" and roles is not None]
        if plans and not self.window.docks["matrices"].isHidden():
            self.window.heatmaps.draw_ahead(plans)
        if self.shown[0] == "derivation" or dock.isHidden() or dock.isFloating():
            return
        near = [k for k in near if 0 <= k <= stepper.last
                and companion_panel(stepper.steps[k], s.net.L, s.settings.companion)[0] == "derivation"]
        if near:
            self.window.derivation.typeset_ahead(near)

    def cycle(self) -> None:
        """Follow the phase → matrices → derivation → follow…"""
        i = COMPANIONS.index(self.session.settings.companion)
        self.session.settings.companion = COMPANIONS[(i + 1) % len(COMPANIONS)]

    def make_actions(self, make) -> list[QtGui.QAction]:
        labels = {"follow": "Companion follows the &phase", "matrices": "Companion: &matrices",
                  "derivation": "Companion: &derivation"}
        self.actions = {}
        group = QtGui.QActionGroup(self)
        for name in COMPANIONS:
            a = make(labels[name], [], lambda name=name: setattr(self.session.settings, "companion", name), True)
            a.setChecked(self.session.settings.companion == name)
            group.addAction(a)
            self.actions[name] = a
        self.cycle_action = make("&Next companion panel", ["C"], self.cycle, False)
        return [*self.actions.values(), self.cycle_action]

    def _on_step_changed(self, view) -> None:
        index = view.step.index
        if index != self._index:
            self._heading = 1 if index > self._index else -1
            self._index = index
        if not self.session.playing:
            self.follow()
            self._prepare.start()

    def _on_companion_changed(self, name: str) -> None:
        if hasattr(self, "actions"):
            self.actions[name].setChecked(True)
        self.follow()
