"""DerivationPanel: the mathematics of the current micro-step, typeset with live numbers.

Tabs: "This step" (the equation in symbols, then with numbers and shapes; the batch comparison),
"Scalar form", "Differential form", "∂z/∂W tensor", "Gradient check", "Health".  A layout toggle
above them switches between column- and row-vector gradients (session.settings.convention).
Only the visible tab is rebuilt on a change; the others when they are shown.
"""
from __future__ import annotations

import html

import numpy as np
from PySide6 import QtWidgets

from gui.derivation import batch_blocks, build_step, differential_blocks, scalar_blocks
from gui.derivation.context import Context
from gui.widgets.derivation.blocks import BlockList, ConventionToggle, scaled_font
from gui.widgets.derivation.gradcheck_view import GradCheckView
from gui.widgets.derivation.health_view import HealthView
from gui.widgets.derivation.tensor_view import TensorView

TABS = ("This step", "Scalar form", "Differential form", "∂z/∂W tensor", "Gradient check", "Health")


class DerivationPanel(QtWidgets.QScrollArea):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(self.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
        self.header = QtWidgets.QLabel()
        self.header.setWordWrap(True)
        self.toggle = ConventionToggle(session)
        self.step_list, self.scalar_list, self.differential_list = BlockList(), BlockList(), BlockList()
        self.tensor_view = TensorView(session)
        self.gradcheck_view = GradCheckView(session)
        self.health_view = HealthView(session)
        self.tabs = QtWidgets.QTabWidget()
        self.pages = [self.step_list, self.scalar_list, self.differential_list,
                      self.tensor_view, self.gradcheck_view, self.health_view]
        for page, name in zip(self.pages, TABS):
            self.tabs.addTab(page, name)
        inner = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(inner)
        lay.addWidget(self.header)
        lay.addWidget(self.toggle)
        lay.addWidget(self.tabs, 1)
        self.setWidget(inner)
        self._dirty = set(range(len(TABS)))
        session.step_changed.connect(self._on_step_changed)
        session.selection_changed.connect(self._on_selection_changed)
        for changed in (session.settings.convention_changed, session.settings.font_scale_changed,
                        session.settings.theme_changed, session.settings.palette_changed,
                        session.settings.sig_figs_changed):
            changed.connect(self._on_view_setting_changed)
        session.run_changed.connect(self._on_run_changed)
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.refresh()

    # -- what to show ----------------------------------------------------------------------------
    def context(self) -> Context:
        s = self.session
        return Context(s.net, s.view, s.selection, s.settings.convention)

    def batch_examples(self):
        """The batch the comparison averages: the config's batch size of examples from this one on."""
        run = self.session.run
        B = min(self.session.config.batch_size, len(run.train))
        idx = (run.sample + np.arange(B)) % len(run.train)
        return run.train.X[idx], run.train.Y[idx]

    def step_blocks(self):
        s = self.session
        blocks = build_step(s.net, s.view, s.selection, s.settings.convention)
        ctx = self.context()
        if s.view.step.quantity in ("dW", "db", "update") and ctx.delta(ctx.focus()[0]) is not None:
            X, Y = self.batch_examples()
            extra = batch_blocks(ctx, X, Y)
            if len(X) > 1 and not ctx.batched:
                extra[0].text += ("  (Stepping updates with this one example; training averages batches of "
                                  f"{len(X)}: the mean here is over the {len(X)} examples from this one on.)")
            blocks += extra
        return blocks

    # -- refreshing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        s = self.session
        scale = s.settings.font_scale
        st = s.view.step
        self.header.setText(f"<b>{html.escape(st.title)}</b>")
        self.header.setFont(scaled_font(self.header, scale, 1.25))
        self.tabs.setFont(scaled_font(self.tabs, scale))
        self._dirty = set(range(len(TABS)))
        self._refresh_page(self.tabs.currentIndex())

    def _refresh_page(self, index: int) -> None:
        if index not in self._dirty:
            return
        self._dirty.discard(index)
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights: the numbers show as ∞ / nan
            self._build_page(index)

    def _build_page(self, index: int) -> None:
        s = self.session
        scale, args = s.settings.font_scale, (s.net, s.view, s.selection, s.settings.convention)
        if index == 0:
            self.step_list.set_blocks(self.step_blocks(), scale)
        elif index == 1:
            self.scalar_list.set_blocks(scalar_blocks(*args), scale)
        elif index == 2:
            self.differential_list.set_blocks(differential_blocks(*args), scale)
        elif index == 3:
            self.tensor_view.sync()
        elif index == 4:
            self.gradcheck_view.apply_scale()
            self.gradcheck_view.mark_stale()
        else:
            self.health_view.refresh()

    def _on_step_changed(self, view) -> None:
        self.refresh()

    def _on_selection_changed(self, selection) -> None:
        self.refresh()

    def _on_view_setting_changed(self, _value) -> None:
        self.refresh()

    def _on_run_changed(self) -> None:
        self.tensor_view.follow_focus()
        self.refresh()

    def _on_current_changed(self, index: int) -> None:
        self._refresh_page(index)
