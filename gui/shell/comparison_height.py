"""The height a comparison run's graph shares with the main graph above it (``Layouts.place_comparison``
puts it in a dock under the graph): the even split, the height it lends the main graph's edge
values, and, in a short room (a lesson's caption band, zoom +3), the least heights at which both
graphs still number every neuron.

``ComparisonHeight(window, session, least, arranging)`` watches the comparison's scroll area and
keeps what it found for the runs shown (``forget`` when either changes); ``least`` is GraphView's
own least height in a shared room, ``arranging`` the layouts' guard for sizes that are not the
user's (a context manager).
"""
from __future__ import annotations

from PySide6 import QtCore

from gui.widgets.screen_fit import lay_out_now

LEND_STEP = 12                              # the comparison lends the main graph this much height at a time for its
                                            # edge values (their places change every few px: wong at 653 px wide, zoom +3,
                                            # shows all 24 at 260–266 px, 13 at 272–284, all at 290; each try lays the
                                            # graph out, iris's 1–2 s there)
_V = QtCore.Qt.Orientation.Vertical
_BOTTOM = QtCore.Qt.DockWidgetArea.BottomDockWidgetArea


class ComparisonHeight(QtCore.QObject):
    """The comparison graph's share of the height under the main graph (module docstring)."""

    def __init__(self, window, session, least: int, arranging):
        super().__init__(window)
        self.window, self.session, self.least = window, session, least
        self._arranging = arranging
        self._dock = window.docks["comparison"]
        self._view = self._dock.widget().viewport()         # (the comparison graph's scroll area's)
        self._view.installEventFilter(self)
        self._lent: dict[tuple, int] = {}        # (zoom, sizes) → the main graph's height beside the comparison
        self._numbered: dict[tuple, int] = {}    # (graph, zoom, width) → its least numbered height beside the other
                                                 # (both for these runs: forgotten with either)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self._view and event.type() == QtCore.QEvent.Type.Resize \
                and event.size().height() != event.oldSize().height() and event.size().height() < self.least:
            QtCore.QTimer.singleShot(0, self, self.fit_least)   # a short room (a lesson's band, zoom +3)
        return False

    def forget(self) -> None:
        """Another run or comparison run (or none): what the comparison lent and needs is moot."""
        self._lent.clear()
        self._numbered.clear()

    def shares_height(self) -> bool:
        """Whether a comparison run's graph is under the main graph, the two sharing its height."""
        return (self.session.compare is not None and not self._dock.isHidden() and not self._dock.isFloating()
                and self.window.dockWidgetArea(self._dock) == _BOTTOM)

    def even_height(self) -> int:
        """The comparison dock's height that gives the main graph and the comparison's the same height
        (half their difference moved), as laid out now; 0 where the comparison is not in front under
        the graph.  The comparison's height is what its dock shows of it (its scroll area's): a dock
        just opened, 92 px tall, scrolled the graph at its least, 200 px (1024×768, xor: 357 over
        224 px, where the even share is 291 over 290)."""
        w, dock = self.window, self._dock
        if (self.session.compare is None or dock.isHidden() or dock.isFloating()
                or w.dockWidgetArea(dock) != _BOTTOM or dock.visibleRegion().isEmpty()):
            return 0
        lay_out_now()
        return dock.height() + round((w.graph.height() - dock.widget().height()) / 2)

    def main_least(self, tight: bool = False) -> int:
        """The main graph's least height beside the comparison, as a lesson's caption band leaves it
        (Layouts.lesson_graph_least): GraphView's own (``least``) or, ``tight``, its least numbered
        height (a few graph layouts, so asked only where the band's note is short of its own size
        otherwise: 148-160 px on vanishing's and differentials' comparison slides), plus what the
        comparison's view lacks of its graph's least."""
        graph = self.window.graph
        main = self.least
        if tight:
            main = self._least_numbered(graph, ("main", self.session.settings.font_scale, graph.width()))
        return main + max(0, self.window.compare_graph.minimumHeight() - self._view.height())

    def fit_least(self) -> None:
        """In a room short of two GraphView leasts (``least``, 200 px: vanishing's lesson slides 7-8
        at zoom +3 leave the two graphs 385 px at 1024×768, 351 at 1280×720, 331 in a framed 1280×720
        window) the comparison's graph may be as short as the least height at which it still numbers
        every neuron with all it draws in sight at this zoom and width (GraphView.least_numbered_height,
        never under the height its layout is made for, so never cut at its bottom: iris at +3 needs
        170 px, under which it lost numbers, vanishing 148), kept for these runs; where it has less
        under a main graph of GraphView's least, the main graph gives it what it lacks, down to the
        main graph's own least numbered height (at 331 px: 183 over 148, where the comparison
        scrolled 17 px); under that the comparison scrolls.  (As a tab in front of the loss only the
        comparison's own room counts.)  In a roomy split, GraphView's own least for both."""
        w, graph, other, dock = self.window, self.window.graph, self.window.compare_graph, self._dock
        own = least = main_least = self.least
        room = None                                       # (the two graphs' height, where the comparison is under)
        if self.session.compare is not None and not dock.isHidden():
            lay_out_now()
            view = self._view.height()
            under = not w.tabifiedDockWidgets(dock) and self.even_height() > 0
            if (graph.height() if under else view) + view < 2 * own:
                zoom = self.session.settings.font_scale
                least = self._least_numbered(other, ("comparison", zoom, dock.widget().width()))
                room = graph.height() + view if under else None
                if room is not None and room - own < least:      # short under a main graph of its own least
                    main_least = self._least_numbered(graph, ("main", zoom, graph.width()))
        if other.minimumHeight() != least:
            other.setMinimumHeight(least)
        if graph.minimumHeight() != main_least:
            graph.setMinimumHeight(main_least)
        if room is not None:
            target = min(max(least, room - own), room - main_least)
            if target != view:
                w.resizeDocks([dock], [dock.height() + target - view], _V)

    def _least_numbered(self, graph, key: tuple) -> int:
        """``graph``'s least numbered height (GraphView.least_numbered_height, up to GraphView's own
        least), kept under ``key`` (which graph, zoom, width) for these runs."""
        if key not in self._numbered:
            with self._arranging():                       # (its trial sizes are not the user's)
                self._numbered[key] = graph.least_numbered_height(self.least)
        return self._numbered[key]

    def lend_for_edge_values(self) -> None:
        """Where the main graph leaves edge values out at the even split (graph.edge_note: at
        1024×768, zoom +3, wong's 3-4-3 showed 14 of its 24 at 653×244 px, iris 14 of 24, diagram 15
        of 20), the comparison's graph under it lends it height, LEND_STEP px at a time, until the
        main graph shows them all: the comparison gives up its own edge values first, never its
        neurons' numbers, nor more than down to GraphView's least (``least``), as the main graph (its
        point is the two runs' numbers side by side); where none of that shows them all, the even
        split (iris at 1024×768, zoom +3, would need 360 px of the 488).  Not tried where the main
        graph shows fewer than half of them (vanishing's 3-4-4-4-4-4-2: 1 of its 84 at 653×291 px, 4
        at 653×540 and 15 at 806×540, more than either screen has beside a comparison; each trial
        lays its graph out, 0.3–1 s).  What it found is kept for these runs, zoom and sizes (no
        trials again at every arrangement)."""
        w, dock = self.window, self._dock
        graph, other = w.graph, w.compare_graph
        lay_out_now()
        if not getattr(graph, "edge_note", False):
            return
        even, seen = graph.height(), dock.widget().height()        # (seen: of the comparison, by its scroll area)
        key = (self.session.settings.font_scale, graph.width(), even + seen)

        def main_at(height: int) -> None:             # the comparison's dock as tall as leaves the main graph ``height``
            w.resizeDocks([dock], [dock.height() + graph.height() - height], _V)
            lay_out_now()

        if key in self._lent:
            main_at(self._lent[key])
            return
        self._lent[key] = even
        shown, _on_edges, wanted, _pt, _edges = graph.planned_edge_numbers
        if 2 * shown < wanted:
            return
        for height in range(even + LEND_STEP, even + seen - self.least + 1, LEND_STEP):
            main_at(height)                                   # the least that shows them all…
            if not graph.edge_note:
                if other.numbers_every_neuron():       # … where the comparison keeps its numbers
                    self._lent[key] = graph.height()
                    return
                break
        main_at(even)
