"""The training curves: the loss of every update (with a weight penalty, its data loss and the
penalty Ω as two curves: the cost descended is their sum), the epoch means of train and test loss (markers
where each epoch ended), accuracy for classification in a second plot (0..1), and the comparison
run dashed.  A crosshair follows the mouse: "step 120: loss 0.123".

Readable in a 720p dock: the legend shares the row of the title and the log check box (a row of
its own when that is too narrow), never over a curve; a panel too short to stack them with each
at least PLOT_MIN tall puts loss and accuracy side by side (``least_height`` says what a panel
needs for that); tick labels never overlap (``ReadableAxis``); before any
training a message stands in for the plots.

Updates are cheap: the curves exist once and get ``setData``; long histories are downsampled by
pyqtgraph to a few points per pixel (min/max "peak" pairs for the per-step loss, a mean per one
or two pixels for the wide epoch curves, which are slow to stroke) and clipped to the view.
"""
from __future__ import annotations

import html
import math
import operator

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_number
from gui.theme import BASE_POINT_SIZE, THEMES, drawable, style_axes, themed_panel
from gui.widgets.plot_or_message import PlotOrMessage
from gui.widgets.readable_axis import readable_axes

COLOURS = {  # per theme: per-step loss (translucent), epoch train, epoch test, the comparison run
    "light": {"step": "#6b8fb5a0", "penalty": "#2e7d32", "train": "#1f4e99", "test": "#d55e00", "compare": "#7b3294", "compare_step": "#7b329480"},
    "dark": {"step": "#8fb3d9a0", "penalty": "#7bd88f", "train": "#6cb4ff", "test": "#ff8c42", "compare": "#d7a6ff", "compare_step": "#d7a6ff80"},
}
EPOCH_FIELDS = ("train_loss", "test_loss", "train_acc", "test_acc")
CURVES = [  # name, plot ("loss"/"acc"), colour key, width, dashed, symbol
    # the per-step curves are 1 px: a wider antialiased line through thousands of noisy points is
    # ~8× slower to paint (QPainter strokes it as a path) and made live training redraw slowly
    ("step", "loss", "step", 1.0, False, None), ("penalty", "loss", "penalty", 2.0, False, None),
    ("train", "loss", "train", 3, False, "o"),
    ("test", "loss", "test", 3, False, "s"), ("compare_step", "loss", "compare_step", 1.0, True, None),
    ("compare_train", "loss", "compare", 3, True, "o"), ("train_acc", "acc", "train", 3, False, "o"),
    ("test_acc", "acc", "test", 3, False, "s"), ("compare_acc", "acc", "compare", 3, True, "o"),
]


PLOT_MIN = 100           # each plot's least height: at zoom +3 a tick label is about 22 px and ReadableAxis keeps
                         # them 1.4 lines apart, so 100 px still number 3 ticks, enough to read a value off the
                         # curve (the 20-50 px plots of a crowded dock showed 1 or 2)
SIDE_MIN_WIDTH = 160     # side by side only while each plot keeps this width (else stacked, however short)
GRAPHICS_MARGIN = 14     # pixels of the plots' layout that are neither plot nor axis (its margins and the plots')
LEGEND_LABELS = {"step": "each step", "train": "train (epoch)", "test": "test (epoch)"}
SHORT_LABELS = {"step": "step", "train": "train", "test": "test"}   # the legend where the others cost a row
EMPTY_TEXT = "No training yet: press Play, or step through an example to its update."


class LossPlot(QtWidgets.QWidget):
    title_changed = QtCore.Signal(str)      # "Loss: binary cross-entropy", for the dock's title bar
    titles_changed = QtCore.Signal(list)    # ``titles``: the title bar's choices, longest first

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.title = "Loss"
        self.titles = ["Loss"]
        self.log_check = QtWidgets.QCheckBox("Log scale")
        self.title_label = QtWidgets.QLabel()      # the loss function, beside the check box: the plot keeps the height
        self.title_label.setWordWrap(False)        # on one line beside the box, wrapped on a row of its own (_place_key);
        self.title_label.setMinimumWidth(1)        # shown wherever the dock's title bar does not name the loss
        # the legend shares the title's row (it never covers a curve and takes no height from the
        # plots); the crosshair's readout takes its place while the mouse is over a plot
        self.legend = QtWidgets.QLabel()
        self.legend.setWordWrap(True)
        self.legend.setMinimumWidth(1)             # (on one line its text's width would be the panel's least, and a
                                                   # panel placed wide never got narrow enough to be placed again)
        self.legend_entries: list[tuple[str, str]] = []     # (curve name, label) in legend order
        self._legend_texts = ("", "")                        # its text with the labels in full and short
        self.hover_label = QtWidgets.QLabel(" ")
        self.hover_label.setWordWrap(True)
        self.hover_label.hide()
        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setMinimumSize(240, 100)
        # a graphics view's size hint is the size of the scene it last laid out: counted, it made the
        # panel (word-wrapped legend: height-for-width) ask its dock for 549 px and scroll at 720p
        self._graphics.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        self._graphics.installEventFilter(self)
        self._graphics.ci.setContentsMargins(2, 4, 6, 2)   # pyqtgraph's 9 px a side were a plot's 18 px at 720p
        self.loss_plot: pg.PlotItem = self._graphics.addPlot(row=0, col=0, axisItems=readable_axes(compact_x=True))
        self.acc_plot: pg.PlotItem = self._graphics.addPlot(row=1, col=0, axisItems=readable_axes(compact_x=True))
        self.acc_plot.setXLink(self.loss_plot)
        self.acc_plot.getViewBox().sigResized.connect(self._on_accuracy_box_resized)
        self.acc_plot.setYRange(0.0, 1.0, padding=0.06)
        self.acc_plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")], [(0.25, ""), (0.75, "")]])
        self.loss_plot.getAxis("left").enableAutoSIPrefix(False)
        self.acc_plot.setMouseEnabled(x=True, y=False)
        self.loss_plot.showGrid(x=True, y=True, alpha=0.25)
        self.acc_plot.showGrid(x=True, y=True, alpha=0.25)
        self.loss_plot.setLabel("left", "loss")
        self.acc_plot.setLabel("bottom", "step (updates)")
        self._acc_shown = True
        self.side_by_side = False      # loss | accuracy in one row (a short panel) instead of stacked

        self.curves: dict[str, pg.PlotDataItem] = {}
        for name, plot, *_ in CURVES:
            step = name.endswith("step")   # per step: min/max pairs per pixel; epochs: a mean per 1-2 pixels
            curve = pg.PlotDataItem(symbol=None, autoDownsampleFactor=1.0 if step else 0.5)
            (self.loss_plot if plot == "loss" else self.acc_plot).addItem(curve)
            # after addItem, which resets both to the PlotItem's own (off) settings: without them every
            # point is drawn, and a long history made each redraw take tens of milliseconds
            curve.setDownsampling(auto=True, method="peak" if step else "mean")
            curve.setClipToView(True)
            self.curves[name] = curve
        self._crosshair = pg.InfiniteLine(angle=90, movable=False)
        self._crosshair.setVisible(False)
        self.loss_plot.addItem(self._crosshair, ignoreBounds=True)
        self.stack = PlotOrMessage(self._graphics, EMPTY_TEXT)     # no curves yet: the message instead

        self._key = QtWidgets.QWidget()             # the legend, or the readout while hovering
        key = QtWidgets.QHBoxLayout(self._key)
        key.setContentsMargins(0, 0, 0, 0)
        key.addWidget(self.legend, 1)
        key.addWidget(self.hover_label, 1)
        self._top = QtWidgets.QGridLayout()
        self._top.setHorizontalSpacing(14)
        self._top.setVerticalSpacing(2)
        self._top.addWidget(self.title_label, 0, 0)
        self._top.addWidget(self.log_check, 0, 1)
        self._top.setColumnStretch(2, 1)
        self._key_beside: str | None = None       # where the legend is: "beside", "under", … (_place_key)
        self.title_shown_above = True             # the dock's title bar names the loss (set_title_shown_above)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 2)
        layout.addLayout(self._top)
        layout.addWidget(self.stack, 1)

        self.log_check.toggled.connect(self._on_log_toggled)
        self._graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        session.run_changed.connect(self._on_run_changed)
        session.history_changed.connect(self._on_history_changed)
        session.compare_changed.connect(self._on_compare_changed)
        session.settings.log_loss_changed.connect(self._on_log_loss_changed)
        session.settings.theme_changed.connect(self._on_style_changed)
        session.settings.font_scale_changed.connect(self._on_style_changed)
        self._apply_style()
        self._on_run_changed()

    # -- drawing ---------------------------------------------------------------------------------
    @property
    def classification(self) -> bool:
        return self.session.run.train.kind == "classification"

    def refresh(self) -> None:
        """setData on every curve from the histories (copies: the history reuses its buffers)."""
        h = self.session.history
        steps = np.array(h.step_numbers, dtype=float)
        self.curves["step"].setData(steps, drawable(h.step_losses))
        self.curves["penalty"].setData(*((steps, drawable(h.step_penalties)) if h.has_penalty else ([], [])))
        self._set_epochs(h.epochs, "train", "test", "train_acc", "test_acc")
        run = self.session.compare
        if run is None:
            for name in ("compare_step", "compare_train", "compare_acc"):
                self.curves[name].setData([], [])
        else:
            ch = run.trainer.history
            self.curves["compare_step"].setData(np.array(ch.step_numbers, dtype=float), drawable(ch.step_losses))
            self._set_epochs(ch.epochs, "compare_train", None, "compare_acc", None)
        if steps.size:
            self.stack.show_plot()
        else:
            self.stack.show_message()
        self.legend.setVisible(steps.size > 0 and self.hover_label.isHidden())   # no curves yet: nothing to name

    def _epoch_arrays(self, epochs, key: str) -> dict:
        """step and every value field of the epoch records as float arrays (None → NaN).  Kept per
        ``key`` and only extended while the list just grows: histories of ~10⁴ epochs made
        rebuilding them at every redraw cost milliseconds."""
        cache = getattr(self, "_epoch_cache", None)
        if cache is None:
            cache = self._epoch_cache = {}
        n, last, arrays = cache.get(key, (0, None, None))
        if arrays is None or len(epochs) < n or (n and epochs[n - 1] is not last):
            n, arrays = 0, {f: np.empty(0) for f in ("step",) + EPOCH_FIELDS}
        new = epochs[n:]
        if new:
            fields = tuple(arrays)                                    # one attrgetter per record, not per field
            table = np.array([*map(operator.attrgetter(*fields), new)], dtype=object).reshape(len(new), len(fields))
            table[np.equal(table, None)] = np.nan
            table = table.astype(float)
            arrays = {f: np.concatenate([arrays[f], table[:, i]]) for i, f in enumerate(fields)}
        cache[key] = (len(epochs), epochs[-1] if len(epochs) else None, arrays)
        return arrays

    def _set_epochs(self, epochs, train, test, train_acc, test_acc) -> None:
        arrays = self._epoch_arrays(epochs, train)
        x = arrays["step"]
        pairs = [(train, "train_loss"), (test, "test_loss"), (train_acc, "train_acc"), (test_acc, "test_acc")]
        for name, field in pairs:
            if name is None:
                continue
            y = arrays[field]
            ok = np.isfinite(y)
            # the markers before the data: set after, a curve that outgrew them (60 → 20,000 epochs at
            # once) first built a marker for every epoch and then threw them away (30 ms at 5,000)
            symbol = next(c[5] for c in CURVES if c[0] == name) if x.size <= 60 else None
            if self.curves[name].opts["symbol"] != symbol:
                if symbol is None:
                    self.curves[name].setData([], [])
                self.curves[name].setSymbol(symbol)
                if symbol is not None:
                    self.curves[name].setSymbolSize(8)
                    self.curves[name].setSymbolPen(None)
                    self.curves[name].setSymbolBrush(self.curves[name].opts["pen"].color())
            self.curves[name].setData(x[ok], drawable(y[ok]))

    def _rebuild_legend(self) -> None:
        c, test = self.session.compare, self.session.run.test
        penalty = self.session.config.penalty != "none" and self.session.config.penalty_lambda > 0
        names = ["step"] + (["penalty"] if penalty else []) + ["train"] + (["test"] if test is not None and len(test) else [])
        full = {**LEGEND_LABELS, "penalty": "penalty Ω, each step"} | ({"step": "data loss, each step"} if penalty else {})
        short = {**SHORT_LABELS, "penalty": "penalty Ω"} | ({"step": "data loss"} if penalty else {})
        if c is not None:
            names.append("compare_train")
            full["compare_train"] = short["compare_train"] = self.session.compare_title
        self.legend_entries = [(name, full[name]) for name in names]
        colours = COLOURS.get(self.session.settings.theme, COLOURS["light"])
        spec = {c[0]: c for c in CURVES}
        texts = []
        for labels in (full, short):
            parts = []
            for name in names:
                _, _, key, _, dashed, _ = spec[name]
                line = ("┄┄" if name.endswith("step") else "╍╍") if dashed else ("──" if name.endswith("step") else "━━")
                label = html.escape(labels[name]).replace(" ", "&nbsp;")   # a narrow panel wraps between entries, not in one
                parts.append(f'<span style="color:{colours[key][:7]}">{line}</span>&nbsp;{label}')
            texts.append("&nbsp;&nbsp; ".join(parts))
        self._legend_texts = tuple(texts)           # (full, short): _place_key shows one
        self._place_key()
        self.legend.setToolTip("Loss of each update (thin), and the mean over each epoch (thick); the "
                               "accuracy plot uses the same colours")

    def hover_text(self, x: float) -> str:
        """The values at the recorded step nearest to ``x``."""
        h = self.session.history
        steps = h.step_numbers
        if steps.size == 0:
            return " "
        k = int(np.clip(np.searchsorted(steps, x), 1, steps.size - 1)) if steps.size > 1 else 0
        if steps.size > 1 and abs(steps[k - 1] - x) <= abs(steps[k] - x):
            k -= 1
        step = int(steps[k])
        text = f"step {step}: loss {format_number(h.step_losses[k])}"
        if h.has_penalty:
            p = h.step_penalties[k]
            text = (f"step {step}: data loss {format_number(h.step_losses[k])} + penalty {format_number(p)} "
                    f"= {format_number(h.step_losses[k] + p)}")
        done = [e for e in h.epochs if e.step <= step]
        if done:
            e = done[-1]
            text += f"  ·  epoch {e.epoch}: train {format_number(e.train_loss)}"
            if e.test_loss is not None:
                text += f", test {format_number(e.test_loss)}"
            if e.train_acc is not None:
                text += f", accuracy {format_number(e.train_acc)}"
        c = self.session.compare
        if c is not None:
            cs = c.trainer.history.step_numbers
            j = int(np.searchsorted(cs, step))
            if j < cs.size and cs[j] == step:
                text += f"  ·  {self.session.compare_title}: {format_number(c.trainer.history.step_losses[j])}"
        return text

    def _apply_style(self) -> None:
        st = self.session.settings
        theme = THEMES.get(st.theme, THEMES["light"])
        pt = BASE_POINT_SIZE * st.font_scale
        font = QtGui.QFont(self.font())
        font.setPointSizeF(pt)
        self.log_check.setFont(font)
        self.title_label.setFont(font)
        themed_panel(self, theme)
        self._graphics.setBackground(theme.background)
        style_axes([p.getAxis(side) for p in (self.loss_plot, self.acc_plot) for side in ("left", "bottom")],
                   theme, pt * 0.95)
        self._name_accuracy(self.acc_plot.getViewBox().height())     # (its font's size changed)
        colours = COLOURS.get(theme.name, COLOURS["light"])
        for name, _, key, width, dashed, _ in CURVES:
            style = QtCore.Qt.PenStyle.DashLine if dashed else QtCore.Qt.PenStyle.SolidLine
            self.curves[name].setPen(pg.mkPen(colours[key], width=width, style=style))
            if self.curves[name].opts["symbol"] is not None:
                self.curves[name].setSymbolBrush(colours[key])
        self._crosshair.setPen(pg.mkPen(theme.muted, width=1, style=QtCore.Qt.PenStyle.DotLine))
        self.stack.style_message(font, theme.muted)
        small = QtGui.QFont(font)
        small.setPointSizeF(0.9 * pt)
        self.hover_label.setFont(small)       # (the legend's: _place_key)
        self._rebuild_legend()

    # -- session → widget ----------------------------------------------------------------------
    def _on_run_changed(self) -> None:
        want = self.classification
        if want != self._acc_shown:
            self._acc_shown = want
            if not want:
                self._graphics.removeItem(self.acc_plot)
            self._arrange(force=True)
        for plot in (self.loss_plot, self.acc_plot):
            for side in ("left", "bottom"):
                plot.getAxis(side).reset_text_room()      # a new run's tick labels take their own room
        name = self.session.net.loss.title
        self.title_label.setText(f"<b>{html.escape(name)}</b>")
        title = f"Loss: {name[:1].lower()}{name[1:]}"
        if title != self.title:
            self.title = title
            short = self.session.net.loss.abbreviation      # (the dock's title where the whole name does not fit)
            # the title bar shows the first that fits (gui.shell.dock_title); "Loss" alone: the panel names it
            self.titles = [title, name] + ([f"Loss: {short}"] if short else []) + ["Loss"]
            self.title_changed.emit(title)
            self.titles_changed.emit(self.titles)
        self.title_label.setToolTip("The loss function C the network is trained on")
        self.log_check.blockSignals(True)
        self.log_check.setChecked(self.session.settings.log_loss)
        self.log_check.blockSignals(False)
        self.loss_plot.setLogMode(y=self.session.settings.log_loss)
        self._rebuild_legend()
        self.refresh()

    def _axis_height(self) -> float:
        """The bottom axis' height, its tick labels and its label "step (updates)"."""
        axis = self.acc_plot.getAxis("bottom")
        return max(axis.minimumHeight(), axis.height())

    def least_height(self, width: int) -> int:
        """The panel's least height at ``width`` that leaves each plot PLOT_MIN tall, loss and
        accuracy side by side."""
        m, layout = self.layout().contentsMargins(), self.layout()
        inner = max(width - m.left() - m.right(), 1)
        top = self._top.totalHeightForWidth(inner) if self._top.hasHeightForWidth() else -1
        top = top if top >= 0 else self._top.sizeHint().height()
        return round(m.top() + m.bottom() + top + layout.spacing() + PLOT_MIN + self._axis_height() + GRAPHICS_MARGIN)

    def plot_shortfall(self) -> int:
        """How many pixels the shorter plot, as laid out, lacks of PLOT_MIN (0 when none, or
        when the plots are not shown)."""
        if not self._graphics.isVisible():
            return 0
        plots = [self.loss_plot] + ([self.acc_plot] if self._acc_shown else [])
        return max(0, math.ceil(PLOT_MIN - min(p.getViewBox().height() for p in plots)))

    def _arrange(self, force: bool = False) -> None:
        """Loss above accuracy on a tall panel (the loss two thirds of it while the accuracy's
        third is still PLOT_MIN tall, else both plots equally tall); side by side on a panel too
        short to stack them at PLOT_MIN each (each keeps the whole height) unless that leaves
        them narrower than SIDE_MIN_WIDTH; the loss plot alone for regression."""
        axis = self._axis_height()
        rows = self._graphics.height() - GRAPHICS_MARGIN       # the loss row, and the accuracy row with the axis
        wide = self._graphics.width() / 2 - self.loss_plot.getAxis("left").width() >= SIDE_MIN_WIDTH
        side = self._acc_shown and rows < 2 * PLOT_MIN + axis and wide
        thirds = rows / 3 - axis >= PLOT_MIN + 4
        shared = self._acc_shown and not side          # stacked: the accuracy plot below shows the steps
        lay = self._graphics.ci.layout
        own = self.loss_plot.getAxis("bottom")          # stacked: the loss plot's axis, ticks without labels
        own = max(own.minimumHeight(), own.height()) if shared else 0.0
        half = max((rows - axis - own) / 2, 1.0) + own     # stacked, not in thirds: both plots equally tall
        lay.setRowMinimumHeight(0, half if shared and not thirds else 0)
        lay.setRowMaximumHeight(0, half if shared and not thirds else 1e6)
        # room above 1 and below 0 for half a tick label: with the grid on, pyqtgraph draws only the
        # labels inside the plot's box, and a 100-px accuracy plot showed "0.5" alone
        box = (rows - axis) if side else (rows / 3 - axis if thirds else half - own)
        tick = QtGui.QFontMetricsF(self.acc_plot.getAxis("left").style["tickFont"] or self.font()).height()
        room = tick / 2 + 2                            # pixels kept beyond 0 and 1: padding p of the span
        pad = min(0.3, max(0.06, room / max(box - 2 * room, 1.0)))      # puts p / (1 + 2p) of the box there
        if abs(pad - getattr(self, "_acc_pad", 0.0)) > 0.005:
            self._acc_pad = pad
            self.acc_plot.setYRange(0.0, 1.0, padding=pad)
        if side == self.side_by_side and not force:
            return
        self.side_by_side = side
        if self._acc_shown:
            if self.acc_plot in self._graphics.ci.items:
                self._graphics.removeItem(self.acc_plot)
            self._graphics.addItem(self.acc_plot, row=0 if side else 1, col=1 if side else 0)
        self.loss_plot.setLabel("bottom", None if shared else "step (updates)")
        self.loss_plot.getAxis("bottom").setStyle(showValues=not shared)
        lay.setRowStretchFactor(0, 2)
        lay.setRowStretchFactor(1, 1 if shared else 0)
        lay.setColumnStretchFactor(0, 1)
        lay.setColumnStretchFactor(1, 1 if side else 0)

    def _name_accuracy(self, height: float) -> None:
        """The accuracy axis' title, written along a box ``height`` px tall: never longer than it."""
        label = self.acc_plot.getAxis("left").label
        whole = QtGui.QFontMetricsF(label.font()).horizontalAdvance("accuracy ") + 2 * label.document().documentMargin()
        name = "accuracy" if height >= whole else "acc."
        if self.acc_plot.getAxis("left").labelText != name:
            self.acc_plot.setLabel("left", name)

    def _on_accuracy_box_resized(self, box) -> None:
        """The accuracy plot's box as laid out (named for the box _arrange expected, the layout left
        it a few px shorter: 113 px for "accuracy"'s 119 in a 420 × 600 panel at zoom +3)."""
        self._name_accuracy(box.height())

    def set_title_shown_above(self, named: bool) -> None:
        """Whether the dock's title bar names the loss (one of ``titles`` but the last, whole:
        gui.shell.dock_title): where it does not, the panel names it itself (``_place_key``)."""
        if named != self.title_shown_above:
            self.title_shown_above = named
            self._place_key()

    def _place_key(self) -> None:
        """The title, the check box and the legend on one row when they fit; else, where the dock's
        title bar names the loss (``title_shown_above``), the check box and the legend on one row
        without the title (at 1024×768, zoom +3, that row is the loss plots' 20 px); else the legend
        on a row of its own (on one line, not a column of wrapped words) under the title and the box,
        or under the box alone when the title does not fit beside it (a column at zoom +3) and the
        title bar names the loss.  Where it does not and the title does not fit beside the box, the
        title has a row of its own above them, wrapped if it must be: a lecturer reads what the curve
        is ("binary cross-entropy" in the Training layout's 260-px dock at 1280×720, zoom +3).
        The legend's labels are short (SHORT_LABELS), and at the window's font, where that saves
        the key a row: spirals at zoom +3 in that dock took three lines under "Log scale" and left
        its two plots 82 px, under PLOT_MIN; "step  train  test" there is one line (plots 110 px)."""
        spacing, width = self._top.horizontalSpacing(), self.width()
        panel_font = self.log_check.font()                     # the title's beside the box
        bold = QtGui.QFont(panel_font)
        bold.setBold(True)
        title = max(QtGui.QFontMetrics(bold).horizontalAdvance(self.session.net.loss.title) + 4,
                    self.title_label.sizeHint().width() if self.title_label.font() == panel_font else 0)
        box = self.log_check.sizeHint().width()
        small = QtGui.QFont(panel_font)
        small.setPointSizeF(0.9 * panel_font.pointSizeF())    # the legend's own size
        full, short = self._legend_texts                       # the labels in full at the legend's size, else
        forms = [(full, small), (short, small), (short, QtWidgets.QApplication.font())]   # short, else also smaller,
        places = [self._key_place(title, box, self._legend_width(*form), spacing, width) for form in forms]
        best = min(range(len(forms)), key=lambda k: (places[k][1], k))    # where that saves a row
        text, font = forms[best]
        place, _rows, wrap = places[best]
        if self.legend.font() != font:
            self.legend.setFont(font)
        if self.legend.text() != text:
            self.legend.setText(text)
        self.legend.setWordWrap(wrap)                          # one line while it fits the panel
        over = place.startswith("title_over")
        # on a row of its own the title stands in for the title bar, at its size (the application
        # font's), on one line where it can be (at the panels' size "Binary cross-entropy" took two
        # lines of the 260-px dock at 1280×720, zoom +3, and its plots went under PLOT_MIN)
        self.title_label.setFont(QtWidgets.QApplication.font() if over else panel_font)
        if place == self._key_beside:
            return
        self._key_beside = place
        for widget in (self.title_label, self.log_check, self._key):
            self._top.removeWidget(widget)
        titled = place not in ("untitled_beside", "untitled")
        self.title_label.setVisible(titled)
        self.title_label.setWordWrap(over)                    # elsewhere on one line
        box_at, key_at = {"beside": ((0, 1), (0, 2)), "under": ((0, 1), (1, 0, 1, 3)),
                          "untitled_beside": ((0, 0), (0, 1, 1, 2)), "untitled": ((0, 0), (1, 0, 1, 3)),
                          "title_over_beside": ((1, 0), (1, 1, 1, 2)), "title_over": ((1, 0), (2, 0, 1, 3))}[place]
        if titled:
            self._top.addWidget(self.title_label, *((0, 0, 1, 3) if place.startswith("title_over") else (0, 0)))
        self._top.addWidget(self.log_check, *box_at)
        self._top.addWidget(self._key, *key_at)

    def _key_place(self, title: float, box: float, legend: float, spacing: int, width: int) -> tuple[str, int, bool]:
        """(place, rows, wrapped) of the title, the check box and a ``legend`` this wide (_place_key's
        choices), with the rows the legend's lines take where it wraps."""
        one_row = box + legend + spacing + 12 <= width          # box | legend
        if title + box + legend + 2 * spacing + 12 <= width:
            place = "beside"                                   # title | box | legend
        elif one_row and self.title_shown_above:
            place = "untitled_beside"                          # box | legend: one row, the title bar names the loss
        elif title + box + 2 * spacing + 12 <= width:          # (the legend's row spans the third column, whose
            place = "under"                                    # spacing the first row pays too): title | box / legend
        elif self.title_shown_above:
            place = "untitled"                                 # box / legend
        else:
            place = "title_over_beside" if one_row else "title_over"    # title / box | legend, or title / box / legend
        wrapped = legend + 12 > width
        rows = {"beside": 1, "untitled_beside": 1, "under": 2, "untitled": 2, "title_over_beside": 2, "title_over": 3}[place]
        if wrapped and place in ("under", "untitled", "title_over"):
            rows += math.ceil((legend + 12) / max(width, 1)) - 1
        return place, rows, wrapped

    @staticmethod
    def _legend_width(text: str, font: QtGui.QFont) -> float:
        """The width of a legend's rich ``text`` on one line in ``font``, as it is laid out."""
        doc = QtGui.QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        return doc.idealWidth() + 4

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_key()

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self._graphics:
            if event.type() == QtCore.QEvent.Type.Resize:
                self._arrange()
            elif event.type() == QtCore.QEvent.Type.Leave:
                self._show_hover(None)
        return False

    def _show_hover(self, text: str | None) -> None:
        """The crosshair's readout in the legend's place, or (None) the legend back."""
        hovering = text is not None
        if hovering:
            self.hover_label.setText(text)
        self.hover_label.setVisible(hovering)
        self.legend.setVisible(not hovering and self.session.history.step_numbers.size > 0)
        self._crosshair.setVisible(hovering)

    def _on_history_changed(self) -> None:
        self.refresh()

    def _on_compare_changed(self) -> None:
        self._rebuild_legend()
        self.refresh()

    def _on_log_loss_changed(self, log: bool) -> None:
        self.log_check.blockSignals(True)
        self.log_check.setChecked(log)
        self.log_check.blockSignals(False)
        self.loss_plot.setLogMode(y=log)

    def _on_style_changed(self, _value) -> None:
        self._apply_style()
        self._on_run_changed()

    def _on_mouse_moved(self, pos) -> None:
        vb = self.loss_plot.getViewBox()
        inside = self.loss_plot.sceneBoundingRect().contains(pos) or (
            self._acc_shown and self.acc_plot.sceneBoundingRect().contains(pos))
        if not inside or self.session.history.step_numbers.size == 0:
            self._show_hover(None)
            return
        x = vb.mapSceneToView(pos).x()
        if self.side_by_side and self.acc_plot.sceneBoundingRect().contains(pos):
            x = self.acc_plot.getViewBox().mapSceneToView(pos).x()
        self._crosshair.setPos(x)
        self._show_hover(self.hover_text(x))

    # -- widget → session ----------------------------------------------------------------------
    def _on_log_toggled(self, checked: bool) -> None:
        self.session.settings.log_loss = bool(checked)
