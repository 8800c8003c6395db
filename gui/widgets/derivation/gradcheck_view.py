"""Gradient check: backprop against central finite differences for the current example, on a copy
of the network with the weights before the update; the verdict, a heatmap of log10 of the relative
error, and a table per entry, entries above the threshold highlighted."""
from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from gui.derivation import context_from_session, run_gradient_check
from gui.numbers import format_number, sig_figs
from gui.theme import THEMES, text_color_for
from gui.widgets.derivation.blocks import scaled_font
from gui.widgets.derivation.check_table import CheckTable
from gui.widgets.heatmap import Heatmap
from gui.widgets.row_scroller import RowScroller

class GradCheckView(QtWidgets.QWidget):
    """The button and what it explains; after a check, the verdict first, then the heatmap of one
    layer's log10 relative errors, then the table of every entry: what a lecturer shows (is
    backprop right, and where not) is on screen without scrolling, the details below it (beside
    the heatmap where the panel is wide enough for both).

    The page is as tall as its content and the derivation panel is its one scroll: the table is as
    tall as its rows (it scrolls only sideways, when its columns are wider than the panel), so a
    wheel over it scrolls the panel instead of a few rows inside a panel that scrolls too.  Before
    a check there is nothing to tabulate or plot, and neither is shown."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.result = None
        self._checked_key = None
        self.button = QtWidgets.QPushButton("Check the gradients")
        self.button.setToolTip("Backprop's ∂C/∂w against central differences (C(w + ε) − C(w − ε)) / 2ε")
        self.message = QtWidgets.QLabel("Compares every ∂C/∂w of backprop with (C(w + ε) − C(w − ε)) / 2ε "
                                        "for the current example, with the weights before the update.")
        self.summary = QtWidgets.QLabel()            # the verdict
        self.summary.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.summary.hide()
        for w in (self.message, self.summary):
            w.setWordWrap(True)
        self.layer_box = QtWidgets.QComboBox()
        self.table = CheckTable()
        self.table.hide()
        self.heatmap = Heatmap(on_page=True)      # drawn in the page's colour, not as a box on it
        self.heat = QtWidgets.QWidget()
        hl = QtWidgets.QVBoxLayout(self.heat)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.layer_box)
        hl.addWidget(self.heatmap, 1)
        self.heat_scroller = RowScroller(self.heat, grow=True)    # the plot cannot be narrower: it scrolls sideways
        self.heat_scroller.hide()
        details = QtWidgets.QWidget()              # what was checked, over the table
        dl = QtWidgets.QVBoxLayout(details)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.message)
        dl.addWidget(self.table)
        dl.addStretch(1)
        # the heatmap over the details; side by side where the panel is wide enough for both
        self.results = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.TopToBottom)
        self.results.addWidget(self.heat_scroller, 1)     # the room the panel has to spare goes to the plot
        self.results.addWidget(details)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.button)
        lay.addWidget(self.summary)
        lay.addLayout(self.results, 1)
        lay.addStretch(0)
        self.button.clicked.connect(self._on_button_clicked)
        self.layer_box.currentIndexChanged.connect(self._on_layer_box_changed)
        self.apply_scale()

    def apply_scale(self) -> None:
        """Fonts at the View's zoom; the theme's colours (the heatmap's, the failing rows')."""
        settings = self.session.settings
        theme = THEMES.get(settings.theme, THEMES["light"])
        scale = settings.font_scale
        for w in (self.button, self.message, self.summary, self.layer_box, self.table):
            w.setFont(scaled_font(w, scale))
        # rows as tall as the zoomed text (the header's default row height is the unzoomed font's)
        self.table.verticalHeader().setDefaultSectionSize(round(QtGui.QFontMetricsF(self.table.font()).lineSpacing() * 1.5))
        self.table.refit()
        self.heatmap.apply_style(theme, settings.palette, scale)
        self.heatmap.set_min_plot_height(120)
        self._colour_rows(theme)

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
            for w in (self.summary, self.heat_scroller, self.table):
                w.hide()
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
        where = f" in layer {self.result.layers[0] + 1} (the only one checked)" if self.result.subset else ""
        verdict = (f"Backprop agrees with the finite differences{where}." if ok else
                   f"Backprop disagrees with the finite differences at {c.n_above} of {len(rows)} entries{where} (highlighted).")
        self.summary.setText(f"<b>{verdict}</b> Largest relative error {format_number(worst[3], 3)} at {worst[0]}; "
                             f"{c.n_above} of {len(rows)} entries above {format_number(c.threshold)}.")
        self.table.setRowCount(len(rows))
        for r, (name, bp, nu, err) in enumerate(rows):
            figures = max(sig_figs(), 6)
            for col, text in enumerate((name, format_number(err, 3), format_number(bp, figures), format_number(nu, figures))):
                item = QtWidgets.QTableWidgetItem(text)
                item.setData(QtCore.Qt.ItemDataRole.UserRole, bool(err > c.threshold))
                self.table.setItem(r, col, item)
        self._colour_rows(THEMES.get(self.session.settings.theme, THEMES["light"]))
        self.table.refit()
        self._fit_direction()
        for w in (self.summary, self.heat_scroller, self.table):
            w.show()
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItems([f"Layer {l + 1} (W{l + 1})" for l in self.result.layers])
        self.layer_box.blockSignals(False)
        self._show_heatmap(0)

    def _colour_rows(self, theme) -> None:
        """Rows above the threshold on the theme's error colour, their text black or white by
        contrast (the fixed peach of before kept the dark theme's light text: 1.2:1)."""
        fill = QtGui.QColor(theme.error)
        ink = text_color_for(fill)
        for r in range(self.table.rowCount()):
            for col in range(self.table.columnCount()):
                item = self.table.item(r, col)
                if item is not None and item.data(QtCore.Qt.ItemDataRole.UserRole):
                    item.setBackground(fill)
                    item.setForeground(ink)

    def _show_heatmap(self, n: int) -> None:
        if self.result is None or n < 0:
            return
        err = self.result.check.rel_err_W[n]
        row = self.session.settings.convention == "row"     # laid out like ∂C/∂W: Wᵀ with row vectors
        l = self.result.layers[n] + 1
        self.heatmap.set_matrix(np.log10(np.maximum(err.T if row else err, 1e-16)), f"W{l}: log10 relative error",
                                signed=False, levels=(-16, 0), row_label="i (from)" if row else "j (to)",
                                col_label="j (to)" if row else "i (from)", symbol=f"log10 rel. error W{l}")

    def _on_button_clicked(self) -> None:
        self.run_check()

    def _on_layer_box_changed(self, index: int) -> None:
        self._show_heatmap(index)

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_direction()

    def side_by_side(self) -> bool:
        return self.results.direction() == QtWidgets.QBoxLayout.Direction.LeftToRight

    def _fit_direction(self) -> None:
        """The heatmap beside the table while the page is wide enough for the plot's least width and
        every column of the table (a wide dock), else over it (the Lecture companion)."""
        need = self.heat.minimumSizeHint().width() + self.results.spacing() + self.table.content_width()
        wide = self.result is not None and self.width() >= need
        if wide != self.side_by_side():
            self.results.setDirection(QtWidgets.QBoxLayout.Direction.LeftToRight if wide
                                      else QtWidgets.QBoxLayout.Direction.TopToBottom)
