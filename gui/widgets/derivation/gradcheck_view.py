"""Gradient check: backprop against central finite differences for the current example, on a copy
of the network with the weights before the update; a table per entry and a heatmap of log10 of
the relative error, entries above the threshold highlighted."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from gui.derivation import context_from_session, run_gradient_check
from gui.numbers import format_number, sig_figs
from gui.theme import THEMES, sequential_map
from gui.widgets.derivation.blocks import scaled_font

HIGHLIGHT = "#ffd7a8"


class GradCheckView(QtWidgets.QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.result = None
        self._checked_key = None
        self.button = QtWidgets.QPushButton("Check the gradients (central differences)")
        self.message = QtWidgets.QLabel("Compares every ∂C/∂w of backprop with (C(w + ε) − C(w − ε)) / 2ε "
                                        "for the current example, with the weights before the update.")
        self.summary = QtWidgets.QLabel()
        for w in (self.message, self.summary):
            w.setWordWrap(True)
        self.layer_box = QtWidgets.QComboBox()
        self.table = QtWidgets.QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["parameter", "backprop", "numeric", "rel. error"])
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(160)
        self.plot.invertY(True)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.plot.setLabel("left", "j (to)")
        self.plot.setLabel("bottom", "i (from)")
        self.colorbar = pg.ColorBarItem(values=(-16, 0), colorMap=sequential_map(session.settings.palette),
                                        label="log10 rel. error", interactive=False)
        self.colorbar.setImageItem(self.image, insert_in=self.plot.getPlotItem())
        heat = QtWidgets.QWidget()
        hl = QtWidgets.QVBoxLayout(heat)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.layer_box)
        hl.addWidget(self.plot, 1)
        split = QtWidgets.QSplitter()
        split.addWidget(self.table)
        split.addWidget(heat)
        split.setSizes([600, 400])
        lay = QtWidgets.QVBoxLayout(self)
        for w in (self.button, self.message, self.summary):
            lay.addWidget(w)
        lay.addWidget(split, 1)
        self.button.clicked.connect(self._on_button_clicked)
        self.layer_box.currentIndexChanged.connect(self._on_layer_box_changed)
        self.apply_scale()

    def apply_scale(self) -> None:
        self.plot.setBackground(THEMES.get(self.session.settings.theme, THEMES["light"]).background)
        scale = self.session.settings.font_scale
        for w in (self.button, self.message, self.summary, self.layer_box, self.table):
            w.setFont(scaled_font(w, scale))

    def _key(self):
        v = self.session.view
        return (tuple(w.tobytes() for w in v.W_before) + tuple(b.tobytes() for b in v.b_before)
                + (np.asarray(self.session.stepper.trace.a[0]).tobytes(),))

    def run_check(self) -> None:
        s = self.session
        if not self.available():
            return
        layer = context_from_session(s).focus()[0]
        try:
            self.result = run_gradient_check(s.net, s.view.W_before, s.view.b_before,
                                             s.stepper.trace.a[0], s.stepper.grads.y, layer=layer, masks=s.view.masks)
        except ValueError as e:
            self.result = None
            self.message.setText(str(e))
            return
        self._checked_key = self._key()
        self.message.setText(self.result.message)
        self._show()

    def available(self) -> bool:
        """Backprop's gradients are on screen only once the backward pass has computed every ∂C/∂W."""
        return all(dW is not None for dW in self.session.view.dW)

    def sync(self) -> None:
        """After a step, a selection or a view change: style, staleness, availability, orientation."""
        self.apply_scale()
        self.mark_stale()
        ok = self.available()
        self.button.setEnabled(ok)
        if not ok and self.result is None:
            first = next(st.index for st in self.session.stepper.steps if st.quantity == "dW" and st.book_layer == 1)
            self.message.setText("Compares every ∂C/∂w of backprop with (C(w + ε) − C(w − ε)) / 2ε for the current "
                                 "example.  Available once the backward pass has computed every ∂C/∂W "
                                 f"(from micro-step {first + 1} on).")
        self._show_heatmap(self.layer_box.currentIndex())

    def mark_stale(self) -> None:
        """The example or the weights changed: an old result no longer applies."""
        if self.result is not None and self._key() != self._checked_key:
            self.result = None
            self.table.setRowCount(0)
            self.image.clear()
            self.layer_box.clear()
            self.summary.setText("")
            self.message.setText("The example or the weights changed since the last check; press the button again.")

    def _rows(self):
        res = self.result
        c = res.check
        for n, l in enumerate(res.layers):
            for (j, i), v in np.ndenumerate(c.backprop_W[n]):
                yield f"W{l + 1}[{j + 1},{i + 1}]", v, c.numeric_W[n][j, i], c.rel_err_W[n][j, i]
            for j, v in enumerate(c.backprop_b[n]):
                yield f"b{l + 1}[{j + 1}]", v, c.numeric_b[n][j], c.rel_err_b[n][j]

    def _show(self) -> None:
        c = self.result.check
        rows = list(self._rows())
        worst = max(rows, key=lambda r: r[3])
        ok = c.n_above == 0
        self.summary.setText(f"Largest relative error {format_number(worst[3], 3)} at {worst[0]}; {c.n_above} of {len(rows)} entries "
                             f"above {format_number(c.threshold)}. " + ("Backprop agrees with the finite differences." if ok else
                                                           "Highlighted entries disagree: look there."))
        self.table.setRowCount(len(rows))
        for r, (name, bp, nu, err) in enumerate(rows):
            for col, text in enumerate((name, format_number(bp, max(sig_figs(), 6)), format_number(nu, max(sig_figs(), 6)), format_number(err, 3))):
                item = QtWidgets.QTableWidgetItem(text)
                if err > c.threshold:
                    item.setBackground(QtGui.QColor(HIGHLIGHT))
                self.table.setItem(r, col, item)
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItems([f"W{l + 1}: log10 relative error" for l in self.result.layers])
        self.layer_box.blockSignals(False)
        self._show_heatmap(0)

    def _show_heatmap(self, n: int) -> None:
        if self.result is None or n < 0:
            return
        err = self.result.check.rel_err_W[n]
        row = self.session.settings.convention == "row"     # laid out like ∂C/∂W: Wᵀ with row vectors
        self.image.setImage(np.log10(np.maximum(err.T if row else err, 1e-16)), levels=(-16, 0))
        self.plot.setLabel("left", "i (from)" if row else "j (to)")
        self.plot.setLabel("bottom", "j (to)" if row else "i (from)")

    def _on_button_clicked(self) -> None:
        self.run_check()

    def _on_layer_box_changed(self, index: int) -> None:
        self._show_heatmap(index)
