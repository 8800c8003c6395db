"""Gradient health per layer: bars of ‖δˡ‖, ‖∂C/∂Wˡ‖/‖Wˡ‖ and the count of saturated units
(engine.health.layer_health) for the current example."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtWidgets

from gui.numbers import format_number
from gui.theme import THEMES
from gui.widgets.derivation.blocks import scaled_font

PANELS = (("‖δˡ‖", "delta_norm"), ("‖∂C/∂Wˡ‖ / ‖Wˡ‖", "update_ratio"), ("saturated units", "n_saturated"))


class HealthView(QtWidgets.QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.health = []
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.plots, self.bars = [], []
        for n, (title, _) in enumerate(PANELS):
            p = self.graphics.addPlot(row=n, col=0, title=title)
            p.setMouseEnabled(False, False)
            p.hideButtons()
            bar = pg.BarGraphItem(x=[], height=[], width=0.6)
            p.addItem(bar)
            self.plots.append(p)
            self.bars.append(bar)
        self.total = pg.BarGraphItem(x=[], height=[], width=0.6)
        self.plots[2].addItem(self.total)
        self.total.setZValue(-1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.graphics, 1)
        self.refresh()

    def refresh(self) -> None:
        s = self.session
        theme = THEMES.get(s.settings.theme, THEMES["light"])
        self.graphics.setBackground(theme.background)
        self.summary.setFont(scaled_font(self.summary, s.settings.font_scale))
        self.health = s.layer_health()
        L = s.net.L
        x = np.arange(1, L + 1)
        ticks = [[(k, f"layer {k}") for k in x]]
        for p, bar, (_, field) in zip(self.plots, self.bars, PANELS):
            h = [float(getattr(lh, field)) for lh in self.health]
            bar.setOpts(x=x, height=h, brush=theme.accent, pen=None)
            p.getAxis("bottom").setTicks(ticks)
            p.setXRange(0.4, L + 0.6, padding=0)
        units = s.net.sizes[1:]
        self.total.setOpts(x=x, height=units, brush=theme.edge_neutral, pen=None)
        worst = min(self.health, key=lambda h: h.delta_norm)
        sat = sum(h.n_saturated for h in self.health)
        self.summary.setText(
            f"Smallest error signal ‖δ‖ = {format_number(worst.delta_norm)} in layer {worst.layer + 1}; "
            f"{sat} of {sum(units)} units saturated (σ′ < {s.saturation_threshold:g} or a dead ReLU; grey bars: "
            "all units).  ‖δ‖ shrinking layer by layer towards the input means vanishing gradients.  "
            f"η × ‖∂W‖/‖W‖ (η = {format_number(s.view.eta)}) is the relative size of one step; about 1e-3 is a common rule of thumb.")
