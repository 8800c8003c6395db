"""What the network computes over its input space, live while it trains.

- 2 inputs: the output over a grid (``session.decision_grid``) as an image, at equal aspect (a
  circle in the data stays round).  One output: its value through the diverging map (levels
  (0, 1) centred on ½ for a probability, so the boundary is the white band; symmetric for signed
  regression) or the sequential map.  Several classes: each pixel takes the colour of its argmax
  class, blended into the background by the confidence.  The training points are scattered on
  top, coloured by class and outlined in the theme's text colour; the current example is circled.
  A data set of more than ``MAX_DRAWN_POINTS`` shows that many of its points, a fixed sample
  (the title says "3,000 of 800,000 points"), so a big data set never stalls the window;
  likewise a big network is evaluated over a coarser grid (``grid_resolution``: about
  ``GRID_WORK`` multiply-adds a redraw, never below ``MIN_RESOLUTION`` points a side).
- 1 input: the network's curve over the data points, titled "Fitted curve" for regression.
- Otherwise (more than 2 inputs, or a single training example as in Mazur's) a message says why
  there is nothing to draw.

A panel out of sight in a shown window (its dock closed or behind another tab, as in the Lecture
layout) keeps only its mode and title current; its points and grid are built when it is shown, so
a new run (a million points) or training never spends the window's time on a panel nobody sees.

The legend sits beside the plot, never over the points.  ``title`` (and ``title_changed``) names
what is shown, for the dock's title bar.  Redraws on ``params_changed`` are throttled by a
single-shot timer (at most ~10 per second).
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from engine.notation import sub, sup
from gui.numbers import book
from gui.theme import (BASE_POINT_SIZE, CLASS_COLORS, THEMES, diverging_map, drawable, sequential_map, style_axes,
                       symmetric_limit, themed_panel)
from gui.widgets.plot_or_message import PlotOrMessage
from gui.widgets.readable_axis import readable_axes

GRID_WORK = 1e8                  # multiply-adds of one redraw of the grid (grid points × parameters)
MIN_RESOLUTION = 24
LAYOUT_MARGINS = 24             # pixels of the plot's layout that are neither axes, colour bar nor plot
MAX_DRAWN_POINTS = 3000          # scattered points; more neither read on a projector nor draw quickly
TITLES = {"classification": "Decision boundary", "regression": "Fitted curve", "surface": "Fitted surface"}


class DecisionBoundary(QtWidgets.QWidget):
    title_changed = QtCore.Signal(str)

    def __init__(self, session, parent=None, resolution: int = 120, interval_ms: int = 100):
        super().__init__(parent)
        self.session = session
        self.resolution = resolution
        self.mode = "message"          # "grid", "curve" or "message"
        self._stale: str | None = None # while hidden in a shown window: "run" (rebuild) or "draw" (redraw) when shown
        self._built = None             # what the scatters and legend were made for (reused while it is the same)
        self.image: np.ndarray | None = None
        self.levels: tuple[float, float] | None = None
        self.message = ""
        self.title = TITLES["classification"]
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.redraw)

        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setMinimumSize(220, 100)
        self.plot: pg.PlotItem = self._graphics.addPlot(row=0, col=0, axisItems=readable_axes())
        self.plot.setMenuEnabled(False)
        for side in ("left", "bottom"):
            self.plot.getAxis(side).enableAutoSIPrefix(False)   # data units as they are, no "(x0.001)"
        self._image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self._image)
        self._bar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=diverging_map(), interactive=False, width=16,
                                    colorMapMenu=False)
        self._graphics.addItem(self._bar, row=0, col=1)     # not linked to the image: an RGB image has no levels
        self.curves: list[pg.PlotDataItem] = []
        self._scatters: list[pg.ScatterPlotItem] = []
        # the current example: a ring in the text colour over a wider one in the background colour,
        # so it shows on any part of the map (a light ring vanished on the white band); above the points
        self._current_halo = pg.ScatterPlotItem(size=26, brush=None, symbol="o")
        self._current = pg.ScatterPlotItem(size=26, brush=None, symbol="o")
        for z, item in enumerate((self._current_halo, self._current)):
            item.setZValue(10 + z)
            self.plot.addItem(item)
        self._current_key = pg.ScatterPlotItem(size=14, brush=None, symbol="o")   # the ring, legend-sized
        self.legend = pg.LegendItem()                   # beside or under the plot: it never covers a point
        self._legend_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._legend_timer.timeout.connect(self._place_legend)
        self.plot.getViewBox().sigResized.connect(self._on_view_resized)
        self._graphics.addItem(self.legend, row=0, col=2)
        self._graphics.ci.layout.setColumnStretchFactor(0, 1)
        self.stack = PlotOrMessage(self._graphics)      # or why there is no boundary to draw
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)

        session.run_changed.connect(self._on_run_changed)
        session.params_changed.connect(self._on_params_changed)
        session.step_changed.connect(self._on_step_changed)
        for changed in (session.settings.theme_changed, session.settings.palette_changed,
                        session.settings.font_scale_changed):
            changed.connect(self._on_style_changed)
        self._on_run_changed()

    @property
    def theme(self):
        return THEMES.get(self.session.settings.theme, THEMES["light"])

    # -- building per run --------------------------------------------------------------------------
    def why_empty(self) -> str | None:
        """Why there is nothing to draw for the current run, or None."""
        ds = self.session.run.train
        n_in = ds.X.shape[1]
        if n_in > 2:
            return (f"The decision boundary needs 2 inputs to draw over a plane; this data set has {n_in}. "
                    "Follow the training in the loss and accuracy curves.")
        if len(ds) < 2:
            return ("One training example: there is no boundary between examples to draw. "
                    "Step through the example in the graph; load a data set (xor, spirals) to see one form.")
        return None

    def _on_run_changed(self) -> None:
        run = self.session.run
        n_in, ds = run.train.X.shape[1], run.train
        why = self.why_empty()
        self.mode = "message" if why else "grid" if n_in == 2 else "curve"
        self._set_title(TITLES["regression"] if self.mode == "curve" and ds.kind == "regression"
                        else TITLES["surface"] if self.mode == "grid" and ds.kind == "regression"
                        else TITLES["classification"])
        self.message = why or ""
        if self._hidden_in_window():       # a closed or tabbed-away dock: built when it is shown
            self._stale = "run"
            return
        self._build()

    def _hidden_in_window(self) -> bool:
        """Is this panel out of sight in a window on screen (a dock closed or behind another tab)?
        Its points and grid (tens of milliseconds for a big data set) then wait until it is shown;
        a panel outside any shown window (a picture being made, a test) is always kept up to date."""
        return self.window() is not self and self.window().isVisible() and not self.isVisible()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        stale, self._stale = self._stale, None
        if stale == "run":
            self._build()
        elif stale == "draw":
            self.redraw()

    def _build(self) -> None:
        """The points, legend, grid or curve of the current run (``mode`` and ``title`` are set).
        When the legend would be the same as before (the same classes, colours and style: a data
        set rebuilt with other points, a reset) the scatters only get their new points."""
        self._stale = None
        ds, st = self.session.run.train, self.session.settings
        for side in ("left", "bottom"):
            self.plot.getAxis(side).reset_text_room()     # a new run's tick labels take their own room
        if self.mode == "message":
            self._clear_items()
            self._apply_style()
            self.image, self.levels = None, None
            self.stack.show_message(self.message)
            return
        scatters, curves = self._plan(ds)
        key = (self.mode, st.theme, st.palette, st.font_scale, curves,
               [(colour, label, _point_size(len(points))) for points, colour, label in scatters])
        if key == self._built:
            for item, (points, _, _) in zip(self._scatters, scatters):
                item.setData(points[:, 0], points[:, 1])
        else:
            self._clear_items()
            self._apply_style()
            for points, colour, label in scatters:
                self._scatter(points, colour, label)
            for colour, label in curves:
                curve = pg.PlotDataItem(pen=pg.mkPen(colour, width=3))
                self.plot.addItem(curve)
                self.curves.append(curve)
                self.legend.addItem(curve, label)
            self.legend.addItem(self._current_key, "this example")
            self._fit_legend()
            self._built = key
        self.stack.show_plot()
        self._image.setVisible(self.mode == "grid")
        self.plot.setAspectLocked(self.mode == "grid", ratio=1.0)   # the plane at equal scale: spirals stay round
        self.plot.setTitle(None)
        self._set_bar_visible(False)
        shown = len(scatters[0][0]) if self.mode == "curve" else sum(len(p) for p, _, _ in scatters)
        if shown < len(ds):
            self.plot.setTitle(f"{shown:,} of {len(ds):,} points", color=self.theme.foreground,
                               size=f"{BASE_POINT_SIZE * st.font_scale:.0f}pt")
            self.plot.titleLabel.setMinimumWidth(0)        # never wider than the plot: the legend keeps its room
        names = ds.target_names
        if self.mode == "grid":
            self.plot.setLabel("bottom", ds.feature_names[0])
            self.plot.setLabel("left", ds.feature_names[1])
        else:
            self.plot.setLabel("bottom", ds.feature_names[0])
            self.plot.setLabel("left", names[0] if ds.Y.shape[1] == 1 else "output")
        self.redraw()
        self._on_step_changed(None)
        self.plot.enableAutoRange()        # and again when it is laid out (a panel built as it is shown has no size yet)

    def _plan(self, ds) -> tuple[list, list]:
        """What to draw of ``ds``: the scatters as (points (m, 2), colour, legend label), a fixed
        sample of at most MAX_DRAWN_POINTS rows, and the network's curves as (colour, label)."""
        shown = _sample_rows(len(ds))
        X, Y = ds.X[shown], ds.Y[shown]
        names = ds.target_names
        if self.mode == "grid" and ds.kind == "classification":
            labels = ds.labels[shown]
            return [(X[labels == k], self._class_colour(k),
                     names[k] if Y.shape[1] > 1 and k < len(names) else f"class {k}")
                    for k in range(max(Y.shape[1], 2))], []
        if self.mode == "grid":
            return [(X, self.theme.foreground, "training points")], []
        fg = self.theme.foreground
        output = f"a{sup(self.session.net.L)}"           # as the graph names the output layer ("a² (output)")
        return ([(np.column_stack([X[:, 0], Y[:, k]]), self._series_colour(k), f"data {names[k]}") for k in range(Y.shape[1])],
                [(fg if Y.shape[1] == 1 else self._series_colour(k), f"network {output}" + (f"{sub(book(k))}" if Y.shape[1] > 1 else ""))
                 for k in range(Y.shape[1])])

    def _clear_items(self) -> None:
        for item in self._scatters + self.curves:
            self.plot.removeItem(item)
        self._scatters, self.curves = [], []
        self.legend.clear()
        self._built = None

    def _fit_legend(self) -> None:
        """The legend as tall as its rows, at the top of its column (the layout would stretch it),
        beside the plot or under it (``_place_legend``)."""
        self._legend_sizes = {}                 # columns → the legend's size in that many columns
        for columns in range(len(self.legend.items), 0, -1):
            self.legend.setColumnCount(columns)
            self.legend.updateSize()
            self._legend_sizes[columns] = QtCore.QSizeF(self.legend.layout.preferredWidth(),
                                                        self.legend.layout.preferredHeight())
        self._legend_place = None
        self._place_legend()

    def _place_legend(self) -> None:
        """The legend beside the plot, or under it in as few rows as fit, whichever leaves the plot
        (a square, at equal aspect) a larger side: in a narrow panel (the Training layout at
        1024×768, or any lecture size at zoom +3) the legend beside took more width than the plot."""
        sizes = getattr(self, "_legend_sizes", None)
        if not sizes or not self.legend.items:
            return
        width, height, bar = self._plot_room()
        beside = min(width - sizes[1].width(), height)
        columns = next((c for c in sorted(sizes, reverse=True) if sizes[c].width() <= width + bar), None)
        under = -1.0 if columns is None else min(width, height - sizes[columns].height())
        self.put_legend(("under", columns) if columns is not None and under > beside else ("beside", 1))

    def _plot_room(self) -> tuple[float, float, float]:
        """(width, height) the plot and the legend share, and the colour bar's width."""
        room = QtCore.QSizeF(self._graphics.size())
        left, bottom = self.plot.getAxis("left"), self.plot.getAxis("bottom")
        bar = self._bar.boundingRect().width() if self._bar in self._graphics.ci.items else 0.0
        return (room.width() - left.width() - bar - LAYOUT_MARGINS,
                room.height() - bottom.height() - LAYOUT_MARGINS - self.plot.titleLabel.height(), bar)

    def legend_places(self) -> list[tuple[str, int]]:
        """Where the legend can go: beside the plot, or under it in each number of columns that
        fits the panel's width."""
        sizes = getattr(self, "_legend_sizes", None) or {}
        width, _height, bar = self._plot_room()
        return [("beside", 1)] + [("under", c) for c in sorted(sizes) if sizes[c].width() <= width + bar]

    def put_legend(self, place: tuple[str, int]) -> None:
        """The legend ``("beside", 1)`` the plot or ``("under", columns)`` it."""
        if place == self._legend_place:
            return
        self._legend_place = place
        if self.legend in self._graphics.ci.items:
            self._graphics.removeItem(self.legend)
        self.legend.setColumnCount(place[1])
        if place[0] == "under":
            self._graphics.addItem(self.legend, row=1, col=0, colspan=2)
        else:
            self._graphics.addItem(self.legend, row=0, col=2)
        self.legend.updateSize()
        self.legend.setMaximumHeight(self.legend.layout.preferredHeight() + 4)
        self.legend.setMaximumWidth(self.legend.layout.preferredWidth() + 4)
        self._graphics.ci.layout.setAlignment(self.legend, QtCore.Qt.AlignmentFlag.AlignTop
                                              | QtCore.Qt.AlignmentFlag.AlignHCenter)
        self._graphics.ci.layout.setRowStretchFactor(0, 1)

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_legend()

    def _on_view_resized(self, *_) -> None:
        """The plot laid out again (its axes' widths may have changed since the panel's resize):
        the legend's place is checked again once the layout is done."""
        self._legend_timer.start()

    def _set_title(self, title: str) -> None:
        if title != self.title:
            self.title = title
            self.title_changed.emit(title)

    def _class_colour(self, k: int) -> str:
        if self.session.run.train.Y.shape[1] == 1:     # one output: the ends of the diverging map
            cmap = diverging_map(self.session.settings.palette)
            return cmap.map(np.array([0.0, 1.0]), mode="qcolor")[k].name()
        return self._series_colour(k)

    def _series_colour(self, k: int) -> str:
        """Class (or output) ``k``'s colour in the theme: ≥ 3:1 on the plot's background."""
        colours = CLASS_COLORS[self.theme.name]
        return colours[k % len(colours)]

    def _scatter(self, points, colour, label) -> None:
        size = _point_size(len(points))
        s = pg.ScatterPlotItem(points[:, 0], points[:, 1], size=size, brush=pg.mkBrush(colour),
                               pen=pg.mkPen(self.theme.foreground, width=1.2 if size > 7 else 0.8))   # outlined against the map
        self.plot.addItem(s)
        self._scatters.append(s)
        self.legend.addItem(s, label)

    def _set_bar_visible(self, visible: bool) -> None:
        in_layout = self._bar in self._graphics.ci.items
        if visible and not in_layout:
            self._graphics.addItem(self._bar, row=0, col=1)
        elif not visible and in_layout:
            self._graphics.removeItem(self._bar)

    # -- drawing -----------------------------------------------------------------------------------
    def redraw(self) -> None:
        """Recompute the output over the grid (or the curve) from the current weights."""
        self._timer.stop()
        if self.mode == "grid":
            self._draw_grid()
        elif self.mode == "curve":
            xs, out = self.session.output_curve()
            for k, curve in enumerate(self.curves):
                curve.setData(xs, drawable(out[:, k]))

    def grid_resolution(self) -> int:
        """Points a side of the grid: ``resolution``, fewer for a network whose evaluation over it
        would exceed GRID_WORK (a million parameters: 24 × 24 instead of 120 × 120)."""
        affordable = int(math.sqrt(GRID_WORK / max(self.session.parameter_count(self.session.net.sizes), 1)))
        return max(min(self.resolution, affordable), min(MIN_RESOLUTION, self.resolution))

    def _draw_grid(self) -> None:
        xs, ys, out = self.session.decision_grid(self.grid_resolution())
        ds, st, net = self.session.run.train, self.session.settings, self.session.net
        dx, dy = (xs[-1] - xs[0]) / (len(xs) - 1), (ys[-1] - ys[0]) / (len(ys) - 1)
        rect = QtCore.QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys))
        if out.shape[2] == 1 or ds.kind == "regression":    # several regression outputs: the first
            self.image = drawable(out[:, :, 0])
            if out.shape[2] > 1:
                self.plot.setTitle(f"output a{'ᴸ'}{sub(1)} of {out.shape[2]}", color=self.theme.foreground)
            if ds.kind == "classification" or net.activations[-1].probabilities:
                cmap, self.levels = diverging_map(st.palette), (0.0, 1.0)
            elif self.image.min() < 0:
                m = symmetric_limit(self.image)
                cmap, self.levels = diverging_map(st.palette), (-m, m)
            else:
                cmap, self.levels = sequential_map(st.palette), (float(self.image.min()), float(self.image.max()))
            self._bar.setColorMap(cmap)
            self._image.setColorMap(cmap)
            self._image.setImage(self.image, autoLevels=False, levels=self.levels)
            self._bar.setLevels(self.levels)
            self._set_bar_visible(True)
        else:
            K = out.shape[2]
            winner = out.argmax(axis=2)
            p = np.clip(out.max(axis=2), 0.0, 1.0) if ds.kind == "classification" else np.full(winner.shape, 1.0)
            confidence = np.clip((p - 1.0 / K) / (1.0 - 1.0 / K), 0.0, 1.0)[..., None]
            colours = np.array([QtGui.QColor(self._class_colour(k)).getRgb()[:3] for k in range(K)], float)
            bg = np.array(QtGui.QColor(self.theme.background).getRgb()[:3], float)
            alpha = 0.15 + 0.5 * confidence
            self.image = (bg * (1 - alpha) + colours[winner] * alpha).astype(np.uint8)
            self.levels = None
            self._image.setLookupTable(None)         # the colours are the pixels themselves
            self._image.setImage(self.image, autoLevels=False, levels=(0, 255))
            self._set_bar_visible(False)
        self._image.setRect(rect)

    # -- session → widget ----------------------------------------------------------------------
    def _on_params_changed(self) -> None:
        if self.mode == "message":
            return
        if self._hidden_in_window():
            self._stale = self._stale or "draw"     # redrawn when shown (a pending build draws too)
        elif not self._timer.isActive():
            self._timer.start()

    def _on_step_changed(self, _view) -> None:
        if self.mode == "message" or self._stale == "run":
            return
        run = self.session.run
        x, y = run.train.X[run.example_index], run.train.Y[run.example_index]
        point = (x[0], x[1]) if self.mode == "grid" else (x[0], y[0])
        for item in (self._current_halo, self._current):
            item.setData([point[0]], [point[1]])

    def _on_style_changed(self, _value) -> None:
        self._apply_style()                # at once, in sight or not: a picture of the panel may be taken
        self._built = None                 # the points and legend in the new colours
        self._on_run_changed()

    def _apply_style(self) -> None:
        st, theme = self.session.settings, self.theme
        pt = BASE_POINT_SIZE * st.font_scale
        font = QtGui.QFont(self.font())
        font.setPointSizeF(pt)
        self.stack.style_message(font, theme.muted, theme.background)
        self._graphics.setBackground(theme.background)
        themed_panel(self, theme)
        style_axes((self.plot.getAxis("left"), self.plot.getAxis("bottom"), self._bar.axis), theme, pt * 0.95)
        self._current_halo.setPen(pg.mkPen(theme.background, width=7))
        self._current.setPen(pg.mkPen(theme.foreground, width=3))
        self._current_key.setPen(pg.mkPen(theme.foreground, width=2.5))
        self.legend.setLabelTextColor(theme.foreground)
        self.legend.setLabelTextSize(f"{0.9 * pt:.1f}pt")
        self.legend.setBrush(pg.mkBrush(QtGui.QColor(theme.panel)))


def _point_size(n: int) -> int:
    """Many points are drawn smaller, so the boundary shows between them."""
    return 10 if n <= 60 else 7


def _sample_rows(n: int) -> np.ndarray:
    """The rows of an n-point data set to scatter: all, or a fixed sample of MAX_DRAWN_POINTS in
    order (the same every time, so a redraw never reshuffles the picture)."""
    if n <= MAX_DRAWN_POINTS:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, MAX_DRAWN_POINTS, replace=False))
