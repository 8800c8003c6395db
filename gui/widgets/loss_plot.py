"""The training curves: the loss of every update (with a weight penalty, its data loss and the
penalty Ω as two curves: the cost descended is their sum), the epoch means of train and test loss (markers
where each epoch ended), accuracy for classification in a second plot (0..1), and the comparison
run dashed.  A crosshair follows the mouse: "step 120: loss 0.123".

Updates are cheap: the curves exist once and get ``setData``; long histories are downsampled by
pyqtgraph to a few points per pixel (min/max "peak" pairs for the per-step loss, a mean per one
or two pixels for the wide epoch curves, which are slow to stroke) and clipped to the view.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_number
from gui.theme import BASE_POINT_SIZE, THEMES, drawable

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


class LossPlot(QtWidgets.QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.log_check = QtWidgets.QCheckBox("Log scale")
        self.hover_label = QtWidgets.QLabel(" ")
        self.title_label = QtWidgets.QLabel()      # the loss function, beside the check box: the plot keeps the height
        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setMinimumSize(240, 100)
        self.legend = pg.LegendItem(colCount=3)     # a row of its own above the plots: it never covers a curve
        self._graphics.addItem(self.legend, row=0, col=0)
        self.loss_plot: pg.PlotItem = self._graphics.addPlot(row=1, col=0)
        self.acc_plot: pg.PlotItem = self._graphics.addPlot(row=2, col=0)
        self.acc_plot.setXLink(self.loss_plot)
        self.acc_plot.setYRange(0.0, 1.0, padding=0.06)
        self.acc_plot.getAxis("left").setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")], [(0.25, ""), (0.75, "")]])
        self.loss_plot.getAxis("left").enableAutoSIPrefix(False)
        self.acc_plot.setMouseEnabled(x=True, y=False)
        self._graphics.ci.layout.setRowStretchFactor(0, 0)
        self._graphics.ci.layout.setRowStretchFactor(1, 3)
        self._graphics.ci.layout.setRowStretchFactor(2, 1)
        self.loss_plot.showGrid(x=True, y=True, alpha=0.25)
        self.acc_plot.showGrid(x=True, y=True, alpha=0.25)
        self.loss_plot.setLabel("left", "loss")    # hidden beside the accuracy plot (see _on_run_changed)
        self.acc_plot.setLabel("left", "accuracy")
        self.acc_plot.setLabel("bottom", "step (updates)")
        self._acc_shown = True

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
        self._empty = pg.TextItem("no training yet:\npress Play, or step through an example", anchor=(0.5, 0.5))
        self.loss_plot.getViewBox().addItem(self._empty, ignoreBounds=True)
        self._empty.setPos(0.5, 0.5)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title_label)
        top.addSpacing(16)
        top.addWidget(self.log_check)
        top.addSpacing(16)
        top.addWidget(self.hover_label, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self._graphics, 1)

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
        self._empty.setVisible(steps.size == 0)
        self.legend.setVisible(steps.size > 0)      # no curves yet, nothing to tell apart

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
            arrays = {f: np.concatenate([a, np.array([np.nan if getattr(e, f) is None else getattr(e, f)
                                                      for e in new], dtype=float)])
                      for f, a in arrays.items()}
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
            self.curves[name].setData(x[ok], drawable(y[ok]))
            symbol = next(c[5] for c in CURVES if c[0] == name) if x.size <= 60 else None
            if self.curves[name].opts["symbol"] != symbol:
                self.curves[name].setSymbol(symbol)
                if symbol is not None:
                    self.curves[name].setSymbolSize(8)
                    self.curves[name].setSymbolPen(None)
                    self.curves[name].setSymbolBrush(self.curves[name].opts["pen"].color())

    def _rebuild_legend(self) -> None:
        self.legend.clear()
        c, test = self.session.compare, self.session.run.test
        penalty = self.session.config.penalty != "none" and self.session.config.penalty_lambda > 0
        self.legend.addItem(self.curves["step"], "data loss per step" if penalty else "loss per step")
        if penalty:
            self.legend.addItem(self.curves["penalty"], "penalty Ω per step")
        self.legend.addItem(self.curves["train"], "train loss (epoch)")
        if test is not None and len(test):
            self.legend.addItem(self.curves["test"], "test loss (epoch)")
        if c is not None:
            self.legend.addItem(self.curves["compare_step"], f"{self.session.compare_label}, per step")
            self.legend.addItem(self.curves["compare_train"], f"{self.session.compare_label}, train (epoch)")
        self.legend.setColumnCount(3 if len(self.legend.items) <= 3 else 2)     # no wider than the plot

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
                text += f"  ·  {self.session.compare_label}: {format_number(c.trainer.history.step_losses[j])}"
        return text

    def _apply_style(self) -> None:
        st = self.session.settings
        theme = THEMES.get(st.theme, THEMES["light"])
        pt = BASE_POINT_SIZE * st.font_scale
        font = QtGui.QFont(self.font())
        font.setPointSizeF(pt)
        self.log_check.setFont(font)
        self.hover_label.setFont(font)
        self.title_label.setFont(font)
        self.setStyleSheet(f"QLabel, QCheckBox {{ color: {theme.foreground}; }}")
        self._graphics.setBackground(theme.background)
        tick = QtGui.QFont()
        tick.setPointSizeF(pt * 0.95)
        for plot in (self.loss_plot, self.acc_plot):
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setTickFont(tick)
                axis.setTextPen(theme.foreground)
                axis.setPen(theme.muted)
                axis.label.setFont(tick)
        colours = COLOURS.get(theme.name, COLOURS["light"])
        for name, _, key, width, dashed, _ in CURVES:
            style = QtCore.Qt.PenStyle.DashLine if dashed else QtCore.Qt.PenStyle.SolidLine
            self.curves[name].setPen(pg.mkPen(colours[key], width=width, style=style))
            if self.curves[name].opts["symbol"] is not None:
                self.curves[name].setSymbolBrush(colours[key])
        palette = self.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(theme.background))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self._crosshair.setPen(pg.mkPen(theme.muted, width=1, style=QtCore.Qt.PenStyle.DotLine))
        self._empty.setColor(theme.muted)
        self._empty.setFont(font)
        text = self._empty.textItem                 # its two lines centred on each other
        text.document().setDefaultTextOption(QtGui.QTextOption(QtCore.Qt.AlignmentFlag.AlignHCenter))
        text.setTextWidth(text.document().idealWidth())
        self._empty.updateTextPos()
        self.legend.setLabelTextColor(theme.foreground)
        self.legend.setLabelTextSize(f"{0.85 * pt:.1f}pt")
        self._rebuild_legend()

    # -- session → widget ----------------------------------------------------------------------
    def _on_run_changed(self) -> None:
        want = self.classification
        if want != self._acc_shown:
            if want:
                self._graphics.addItem(self.acc_plot, row=2, col=0)
            else:
                self._graphics.removeItem(self.acc_plot)
            self._acc_shown = want
        self.loss_plot.setLabel("bottom", None if want else "step (updates)")
        self.loss_plot.getAxis("bottom").setStyle(showValues=not want)   # the accuracy plot below shows the steps
        self.loss_plot.getAxis("left").showLabel(not want)    # short beside "accuracy": the panel's title says loss
        self.title_label.setText(f"<b>Loss: {self.session.net.loss.title}</b>")
        self.log_check.blockSignals(True)
        self.log_check.setChecked(self.session.settings.log_loss)
        self.log_check.blockSignals(False)
        self.loss_plot.setLogMode(y=self.session.settings.log_loss)
        self._rebuild_legend()
        self.refresh()

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
        if not self.loss_plot.sceneBoundingRect().contains(pos) and not (
                self._acc_shown and self.acc_plot.sceneBoundingRect().contains(pos)):
            self._crosshair.setVisible(False)
            return
        x = vb.mapSceneToView(pos).x()
        self._crosshair.setPos(x)
        self._crosshair.setVisible(self.session.history.step_numbers.size > 0)
        self.hover_label.setText(self.hover_text(x))

    # -- widget → session ----------------------------------------------------------------------
    def _on_log_toggled(self, checked: bool) -> None:
        self.session.settings.log_loss = bool(checked)
