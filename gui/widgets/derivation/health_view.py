"""Gradient health per layer, for the current example and only what the backward pass has computed
so far: ‖δˡ‖ on a log axis, the ratio ‖δˡ‖/‖δˡ⁺¹‖ (below 1: the signal shrinks on its way down),
η·‖∂C/∂Wˡ‖/‖Wˡ‖ (the relative size of one SGD step) and the count of saturated units
(the session's ``layer_health``)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from engine.notation import sup
from gui.numbers import format_number
from gui.theme import BASE_POINT_SIZE, THEMES, style_axes
from gui.widgets.derivation.blocks import scaled_font

# (title, what the bars plot, on a log axis?); the summary above the plots says what each means
PANELS = (("‖δˡ‖ (log scale)", "delta_norm", True),
          ("‖δˡ‖ / ‖δˡ⁺¹‖ (log; below 1: shrinking)", "shrink", True),
          ("η · ‖∂C/∂Wˡ‖ / ‖Wˡ‖ (log scale)", "step_ratio", True),
          ("saturated units (grey: all units)", "n_saturated", False))


def _power_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Ticks at the whole powers of ten between log10 values lo and hi, labelled 10ⁿ."""
    step = max(1, math.ceil((hi - lo) / 6))
    return [(float(n), "1" if n == 0 else f"10{sup(n)}") for n in range(math.floor(lo), math.ceil(hi) + 1, step)]


PLOT_LINES = 7.0      # a plot's height, in lines of its tick font (ticks, bars, the layer axis)


class HealthView(QtWidgets.QWidget):
    """The summary, then each panel's title (a label: it wraps at the panel's width, in the theme's
    text colour and the View's zoom, where pyqtgraph's one-line grey title was cut and read 3:1)
    over its bar plot, whose ticks follow the zoom too."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.health = []          # LayerHealth of the layers whose δ is computed at this micro-step
        self.values: dict[str, dict[int, float]] = {}
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.summary)
        self.titles, self.views, self.plots, self.bars = [], [], [], []
        for title, _, _ in PANELS:
            label = QtWidgets.QLabel(title)
            label.setWordWrap(True)
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
            view = pg.PlotWidget()
            p = view.getPlotItem()
            p.setMouseEnabled(False, False)
            p.hideButtons()
            p.setMenuEnabled(False)
            bar = pg.BarGraphItem(x=[], height=[], width=0.6)
            p.addItem(bar)
            lay.addWidget(label)
            lay.addWidget(view)
            self.titles.append(label)
            self.views.append(view)
            self.plots.append(p)
            self.bars.append(bar)
        lay.addStretch(1)
        self.total = pg.BarGraphItem(x=[], height=[], width=0.6)
        self.plots[-1].addItem(self.total)
        self.total.setZValue(-1)
        self.refresh()

    def _measure(self) -> None:
        """What each panel plots, by layer (W index), for the layers known at this micro-step."""
        v, eta = self.session.view, self.session.view.eta
        health = self.session.layer_health()
        self.health = [h for h in health if v.delta[h.layer] is not None]
        norms = {h.layer: h.delta_norm for h in self.health}
        self.values = {
            "delta_norm": norms,
            "shrink": {l: n / norms[l + 1] for l, n in norms.items() if l + 1 in norms and norms[l + 1] > 0},
            "step_ratio": {h.layer: eta * h.update_ratio for h in health if v.dW[h.layer] is not None},
            "n_saturated": {h.layer: float(h.n_saturated) for h in health if v.sigma_prime[h.layer] is not None},
        }

    def refresh(self) -> None:
        s = self.session
        theme = THEMES.get(s.settings.theme, THEMES["light"])
        scale = s.settings.font_scale
        self.summary.setFont(scaled_font(self.summary, scale))
        for label, view, p in zip(self.titles, self.views, self.plots):
            label.setFont(scaled_font(label, scale, bold=True))
            view.setBackground(theme.window)        # the page's own colour: no darker box round each plot
            tick = style_axes((p.getAxis("left"), p.getAxis("bottom")), theme, BASE_POINT_SIZE * scale * 0.95)
            # fixed: a graphics view's size hint is its scene's last size, which the panel's
            # height-for-width gave back to it (each plot grew to 400 px at zoom +3)
            metrics = QtGui.QFontMetricsF(tick)
            view.setFixedHeight(round(PLOT_LINES * metrics.lineSpacing()))
            p.getAxis("bottom").setHeight(round(metrics.height() + 14))     # the layer names whole at any zoom
        self._measure()
        L = s.net.L
        ticks = [(k, f"layer {k}") for k in range(1, L + 1)]
        for p, bar, (_, field, log) in zip(self.plots, self.bars, PANELS):
            known = {l: h for l, h in self.values[field].items() if np.isfinite(h) and (h > 0 or not log)}
            x = np.array([l + 1 for l in known], dtype=float)
            h = np.array(list(known.values()), dtype=float)
            if log and h.size:
                logs = np.log10(h)
                base = math.floor(logs.min()) - 0.25
                bar.setOpts(x=x, y0=base, height=logs - base, brush=theme.accent, pen=None)
                p.getAxis("left").setTicks([_power_ticks(base, max(logs.max(), base + 1))])
                p.setYRange(base, max(logs.max(), base + 1), padding=0.12)   # room for the top tick's label
            else:
                bar.setOpts(x=x, y0=0, height=h, brush=theme.accent, pen=None)
                p.getAxis("left").setTicks(None)
            p.getAxis("bottom").setTicks([ticks])
            p.setXRange(0.4, L + 0.6, padding=0)
        units = s.net.sizes[1:]
        known = [l for l in range(L) if s.view.sigma_prime[l] is not None]
        self.total.setOpts(x=[l + 1 for l in known], height=[units[l] for l in known], brush=theme.edge_neutral, pen=None)
        self.summary.setText(self._summary(units))

    def _summary(self, units) -> str:
        s = self.session
        if not self.health:
            return ("The error signals δ appear here layer by layer as the backward pass computes them "
                    "(from the output's backward step on).")
        worst = min(self.health, key=lambda h: h.delta_norm)
        top = max(self.health, key=lambda h: h.layer)
        sat = sum(h.n_saturated for h in self.health)
        span = (f"‖δ‖ falls by a factor {format_number(top.delta_norm / worst.delta_norm)} from layer {top.layer + 1} "
                f"to layer {worst.layer + 1}.  " if worst is not top and worst.delta_norm > 0 else "")
        return (f"Smallest error signal so far: ‖δ‖ = {format_number(worst.delta_norm)} in layer {worst.layer + 1}.  {span}"
                f"{sat} of {sum(units[h.layer] for h in self.health)} units in these layers are saturated "
                f"(σ′ < {format_number(s.saturation_threshold)}, or a dead ReLU).  "
                "‖δ‖ shrinking layer by layer towards the input (a ratio ‖δˡ‖/‖δˡ⁺¹‖ below 1) means vanishing gradients.  "
                f"η · ‖∂C/∂W‖/‖W‖ (η = {format_number(s.view.eta)}) is how far one step moves the weights, relative to "
                "their size; about 10⁻³ is a common rule of thumb.")
