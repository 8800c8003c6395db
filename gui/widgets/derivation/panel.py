"""DerivationPanel: the mathematics of the current micro-step, typeset with live numbers.

Tabs: "This step" (the equation in symbols, then with numbers and shapes; the batch comparison),
"Scalar form", "Differential form", "∂z/∂W tensor", "Gradient check", "Health".  A layout toggle
above them switches between column- and row-vector gradients (session.settings.convention).
Only the visible tab is rebuilt on a change; the others when they are shown.

The container never cuts text: it is the one vertical scroll of every page (a page is as tall as
its content and never scrolls inside it: PageStack, BlockList), equations keep one size and wrap
(MathView), and when the tab names do not fit the panel's width the tab bar gives way to a drop-down list of the
same pages.  After a step, in idle time, the equations of the neighbouring micro-steps are typeset
ahead (``mathview.ahead``: ziamath in a process of its own), so the next key shows cached pictures;
the companion panel asks the same for a micro-step that will bring this panel to the front.
"""
from __future__ import annotations

import html

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from gui import mathview
from gui.derivation import Context, batch_blocks, build_step, context_from_session, differential_blocks, scalar_blocks
from gui.derivation.predict import predict_blocks
from gui.theme import THEMES
from gui.widgets.derivation.blocks import BlockList, ConventionToggle, scaled_font
from gui.widgets.derivation.gradcheck_view import GradCheckView
from gui.widgets.derivation.health_view import HealthView
from gui.widgets.derivation.page_stack import PageStack
from gui.widgets.derivation.tensor_view import TensorView
from gui.view_settings import DERIVATION_PAGES
from gui.widgets.visibility import unseen_in_window

TABS = ("This step", "Scalar form", "Differential form", "∂z/∂W tensor", "Gradient check", "Health")
assert len(TABS) == len(DERIVATION_PAGES)      # the view setting derivation_page names them, in this order
AHEAD = (1, -1, 2)          # micro-steps typeset ahead, relative to the current one, in this order
AHEAD_DELAY_MS = 40         # after a step has been painted


class WheelToArea(QtCore.QObject):
    """An event filter: the wheel over an unfocused value widget scrolls ``area`` instead."""

    VALUE_WIDGETS = (QtWidgets.QComboBox, QtWidgets.QAbstractSpinBox, QtWidgets.QAbstractSlider)

    def __init__(self, area: QtWidgets.QAbstractScrollArea):
        super().__init__(area)
        self.area = area

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.Wheel and not watched.hasFocus():
            QtCore.QCoreApplication.sendEvent(self.area.verticalScrollBar(), event)   # the area scrolls, the value stays
            return True
        return False


class DerivationPanel(QtWidgets.QScrollArea):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWidgetResizable(True)
        self.header = QtWidgets.QLabel()
        self.header.setWordWrap(True)
        self.toggle = ConventionToggle(session)
        self.step_list, self.scalar_list, self.differential_list = BlockList(), BlockList(), BlockList()
        self.tabs = PageStack()          # the pages; tab_bar or page_menu picks one
        # the tensor, gradient check and health pages (pyqtgraph plots: 0.3 s) are built when first shown
        self.pages = [self.step_list, self.scalar_list, self.differential_list, QtWidgets.QWidget(),
                      QtWidgets.QWidget(), QtWidgets.QWidget()]
        self._built = [True, True, True, False, False, False]
        self.tab_bar = QtWidgets.QTabBar()
        self.tab_bar.setDrawBase(False)
        self.tab_bar.setExpanding(False)
        self.page_menu = QtWidgets.QComboBox()
        self.page_menu.setToolTip("Which part of the derivation to show")
        for page, name in zip(self.pages, TABS):
            self.tabs.addWidget(page)
            self.tab_bar.addTab(name)
            self.page_menu.addItem(name)
        self.page_menu.hide()
        self._wheel_filter = WheelToArea(self)
        self._wheel_scrolls(self.page_menu)
        inner = QtWidgets.QWidget()
        # a step changes the page's height: only what it uncovers repaints, not the title and toggle above
        for w in (inner, self.tabs):
            w.setAttribute(QtCore.Qt.WidgetAttribute.WA_StaticContents)
        lay = QtWidgets.QVBoxLayout(inner)
        lay.addWidget(self.header)
        lay.addWidget(self.toggle)
        lay.addWidget(self.tab_bar)
        lay.addWidget(self.page_menu)
        lay.addWidget(self.tabs, 1)
        self.setWidget(inner)
        self._dirty = set(range(len(TABS)))
        self._scrolled = [0] * len(TABS)     # where each page was scrolled to when another was shown
        self._scale = None          # the font scale the fonts were set for
        self._ahead = QtCore.QTimer(self, singleShot=True, interval=AHEAD_DELAY_MS)
        self._ahead.timeout.connect(self._on_ahead_timeout)
        mathview.ahead.start()      # loading ziamath takes it a moment: ready by the first step
        session.step_changed.connect(self._on_step_changed)
        session.selection_changed.connect(self._on_selection_changed)
        for changed in (session.settings.convention_changed, session.settings.font_scale_changed,
                        session.settings.theme_changed, session.settings.palette_changed,
                        session.settings.sig_figs_changed, session.settings.predict_changed):
            changed.connect(self._on_view_setting_changed)
        session.run_changed.connect(self._on_run_changed)
        for w in (self.tabs, self.tab_bar, self.page_menu):        # the page the view setting names
            w.setCurrentIndex(DERIVATION_PAGES.index(session.settings.derivation_page))
        session.settings.derivation_page_changed.connect(self._on_derivation_page_changed)
        self._shown_page = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.tab_bar.currentChanged.connect(self.tabs.setCurrentIndex)
        self.page_menu.currentIndexChanged.connect(self.tabs.setCurrentIndex)
        self.refresh()

    # -- the pages built when first needed ----------------------------------------------------------
    @property
    def tensor_view(self) -> TensorView:
        return self._page(3, TensorView)

    @property
    def gradcheck_view(self) -> GradCheckView:
        return self._page(4, GradCheckView)

    @property
    def health_view(self) -> HealthView:
        return self._page(5, HealthView)

    def _page(self, index: int, kind):
        """Page ``index``, built (in place of the empty widget that held its tab) on first use."""
        if not self._built[index]:
            self._built[index] = True
            page, empty, current = kind(self.session), self.pages[index], self.tabs.currentIndex()
            self.tabs.blockSignals(True)            # the same page stays in front, no signal says otherwise
            self.tabs.removeWidget(empty)
            self.tabs.insertWidget(index, page)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            empty.deleteLater()
            self.pages[index] = page
            self._wheel_scrolls(page)
        return self.pages[index]

    # -- the wheel scrolls the panel -------------------------------------------------------------
    def _wheel_scrolls(self, root: QtWidgets.QWidget) -> None:
        """The drop-down lists, spin boxes and sliders in ``root`` take the wheel only once clicked
        (focused): the wheel scrolling the panel past them no longer changes the gradient check's
        layer, the tensor's slice or the page."""
        for w in [root, *root.findChildren(QtWidgets.QWidget)]:
            if isinstance(w, WheelToArea.VALUE_WIDGETS) and not isinstance(w, QtWidgets.QScrollBar):
                w.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
                w.installEventFilter(self._wheel_filter)

    # -- what to show ----------------------------------------------------------------------------
    def context(self) -> Context:
        return context_from_session(self.session)

    def batch_examples(self):
        """The batch the comparison averages: the config's batch size of examples from this one on."""
        run = self.session.run
        B = min(self.session.config.batch_size, len(run.train))
        idx = (run.example_index + np.arange(B)) % len(run.train)
        return run.train.X[idx], run.train.Y[idx]

    def step_blocks(self, view=None):
        """The "This step" blocks of ``view`` (default: the current micro-step's)."""
        s = self.session
        view = s.view if view is None else view
        blocks = build_step(s.net, view, s.selection, s.settings.convention)
        ctx = Context(s.net, view, s.selection, s.settings.convention)
        if view.step.quantity in ("dW", "db", "update") and ctx.dW(ctx.focus()[0]) is not None:
            X, Y = self.batch_examples()
            extra = batch_blocks(ctx, X, Y)
            if len(X) > 1 and not ctx.batched:
                extra[0].text += ("  (Stepping updates with this one example; training averages batches of "
                                  f"{len(X)}: the mean here is over the {len(X)} examples from this one on.)")
            blocks += extra
        quiz = getattr(s, "quiz", None)
        question = quiz.question() if quiz is not None and view is s.view else None
        if question is not None:          # Predict mode: "?" where the next step's values will appear
            blocks = predict_blocks(question.entries, f"{question.symbol} ({s.stepper.steps[question.step_index].title})", s.net.sizes,
                                    s.settings.convention) + blocks
        return blocks

    # -- refreshing ------------------------------------------------------------------------------
    def refresh(self) -> None:
        s = self.session
        self._dirty = set(range(len(TABS)))
        mathview.ahead.cancel()
        scale = s.settings.font_scale
        self.header.setText(f"<b>{html.escape(s.view.step.title)}</b>")
        if scale != self._scale:
            self._scale = scale
            self.header.setFont(scaled_font(self.header, scale, 1.25))
            for w in (self.tabs, self.tab_bar, self.page_menu):
                w.setFont(scaled_font(w, scale))
            self._fit_tabs()
        self._refresh_page(self.tabs.currentIndex())
        self._ahead.start()

    def fill_before_shown(self) -> None:
        """Just before the panel comes to the front: the shown page's list filled with what it keeps
        for when it is seen (BlockList.fill_before_shown)."""
        page = self.tabs.currentWidget()
        if isinstance(page, BlockList):
            page.fill_before_shown()

    def _refresh_page(self, index: int) -> None:
        if index not in self._dirty:
            return
        self._dirty.discard(index)
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights: the numbers show as ∞ / nan
            self._build_page(index)

    def _build_page(self, index: int) -> None:
        s = self.session
        scale, args = s.settings.font_scale, (s.net, s.view, s.selection, s.settings.convention)
        theme = THEMES.get(s.settings.theme, THEMES["light"])
        if index == 0:
            self.step_list.set_blocks(self.step_blocks(), scale, theme)
        elif index == 1:
            self.scalar_list.set_blocks(scalar_blocks(*args), scale, theme)
        elif index == 2:
            self.differential_list.set_blocks(differential_blocks(*args), scale, theme)
        elif index == 3:
            self.tensor_view.sync()
        elif index == 4:
            self.gradcheck_view.sync()
        else:
            self.health_view.refresh()

    def _on_step_changed(self, view) -> None:
        self._scrolled = [0] * len(TABS)             # a new micro-step: its own quantity, at the top, in view
        self.verticalScrollBar().setValue(0)
        self.refresh()

    def _on_selection_changed(self, selection) -> None:
        self.refresh()

    def _on_view_setting_changed(self, _value) -> None:
        self.refresh()

    def _on_run_changed(self) -> None:
        if self._built[3]:
            self.tensor_view.follow_focus()
        self.refresh()

    def _on_derivation_page_changed(self, page: str) -> None:
        self.tabs.setCurrentIndex(DERIVATION_PAGES.index(page))

    def _on_current_changed(self, index: int) -> None:
        self.session.settings.derivation_page = DERIVATION_PAGES[index]
        bar = self.verticalScrollBar()
        self._scrolled[self._shown_page] = bar.value()
        self._shown_page = index
        for w in (self.tab_bar, self.page_menu):
            w.blockSignals(True)
            w.setCurrentIndex(index)
            w.blockSignals(False)
        self._refresh_page(index)
        QtCore.QCoreApplication.sendPostedEvents(self.widget(), QtCore.QEvent.Type.LayoutRequest)
        QtCore.QCoreApplication.sendPostedEvents(self, QtCore.QEvent.Type.LayoutRequest)
        bar.setValue(self._scrolled[index])          # back where this page was left
        self._ahead.start()

    def show_block(self, title_start: str) -> bool:
        """Scroll the shown page to its block whose title starts with ``title_start`` (a lesson slide's
        ``derivation_block``: a block below the fold is the one the slide talks about); False when
        the page has no such block."""
        page = self.tabs.currentWidget()
        return isinstance(page, BlockList) and page.scroll_to_block(title_start)

    # -- fitting the width -------------------------------------------------------------------------
    def _fit_tabs(self) -> None:
        """The tab bar while every tab name fits the panel's width, else the drop-down list."""
        room = self.viewport().width() - 24
        fits = self.tab_bar.sizeHint().width() <= room
        self.tab_bar.setVisible(fits)
        self.page_menu.setVisible(not fits)

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_tabs()

    # -- typesetting ahead -------------------------------------------------------------------------
    def _builder(self, index: int):
        s = self.session
        args = (s.net, s.selection, s.settings.convention)
        return {0: self.step_blocks,
                1: lambda view: scalar_blocks(args[0], view, *args[1:]),
                2: lambda view: differential_blocks(args[0], view, *args[1:])}.get(index)

    def ahead_latex(self, steps: list[int] | None = None) -> list[str]:
        """The equations of the shown page at micro-steps ``steps`` (default: while the panel can be
        seen, the neighbouring ones, AHEAD), in that order.  Before the update has happened its step
        is the one plain SGD will give (Stepper.view_after_update), none for an optimizer with a state."""
        s, build = self.session, self._builder(self.tabs.currentIndex())
        if build is None or s.playing or steps is None and unseen_in_window(self):
            return []
        stepper, out = s.stepper, []
        if steps is None:
            steps = [stepper.index + d for d in AHEAD]
        with np.errstate(over="ignore", invalid="ignore"):
            for k in steps:
                if 0 <= k <= stepper.last:
                    view = stepper.view(k) if k < stepper.last or stepper.updated else stepper.view_after_update()
                    if view is not None:
                        out += [b.latex for b in build(view) if b.latex]
        return out

    def typeset_ahead(self, steps: list[int]) -> None:
        """Typeset the shown page's equations at micro-steps ``steps`` ahead of time, in idle time,
        even while the panel is behind another tab (the companion is about to show it)."""
        self._ask(self.ahead_latex(steps))

    def _on_ahead_timeout(self) -> None:
        self._ask(self.ahead_latex())

    def _ask(self, latex: list[str]) -> None:
        if latex:
            color = self.palette().color(QtGui.QPalette.ColorRole.WindowText).name()
            mathview.ahead.ask(latex, self.session.settings.font_scale, color, self.devicePixelRatioF())
