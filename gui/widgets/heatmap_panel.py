"""The matrices of one layer as heatmaps: Wˡ, ∂C/∂Wˡ, −η ∂C/∂Wˡ, diag σ′(zˡ) (the full Jacobian for
softmax) and ∂zˡ⁺¹/∂zˡ, at the current micro-step.  Quantities not yet computed say so.

Training terms get heatmaps of their own, beside the ones they change: with a weight penalty,
∂C/∂Wˡ is also drawn as its two parts, the data gradient and λWˡ (or λ sign Wˡ); with momentum or
Adam, the state the update used (velocity v; Adam's m̂ and v̂) and the step ΔWˡ actually applied.
Gradient-like maps share one colour scale (∂C/∂W with its parts and m̂; −η∂C/∂W with ΔW and v), so
their colours compare.

A layer box selects the layer (through the session), "Lock colour scale" freezes every heatmap's
levels as they were when it was locked, so changes over steps show as changes of colour.  With the
row-vector convention ∂C/∂W is drawn as aˡ⁻¹ ⊗ δˡ, the shape of (Wˡ)ᵀ (as are the penalty's parts and
m̂, v̂), and the step −η (∂C/∂W)ᵀ in the shape of W (as are the changes of W: v and ΔW); with column
vectors all are shaped like W.  Captions follow the convention.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from PySide6 import QtCore, QtWidgets

from engine.notation import sup
from engine.optim import OPTIMIZERS
from gui.numbers import format_number
from gui.session_types import Selection
from gui.theme import BASE_POINT_SIZE, THEMES, symmetric_limit, themed_panel
from gui.widgets.heatmap import Heatmap
from gui.widgets.screen_fit import SightWatch, lay_out_now, width_in_sight
from gui.widgets.visibility import unseen_in_window, when_shown

ROLES = ["W", "dW", "step", "sigma", "jacobian"]
SIGMA_AS_ROW = ["sigma", "jacobian"]     # shown together alone, an elementwise σ′ is drawn as a row (HeatmapPanel._fill)
PENALTY_ROLES = ["dW_data", "dW_penalty"]
COLUMN_WIDTH = 240          # narrower heatmaps are unreadable: fewer columns, and the panel scrolls
ONE_COLUMN_HEIGHT = 180     # in one (scrolling) column a heatmap keeps a readable height
WIDTH_CHECK_MS = 120       # after the heatmaps last fitted, whether they want more width (numbers_width)
ROW_MATRIX_ROWS = 2         # a one-row matrix (σ′ as a row) shares the height as two: its title and bar take more
CHROME_ROWS = 3             # a heatmap's title and axes, in matrix rows, when heatmaps share the height (_share_height)
BAR_SPACING = 16            # between the parts of the bar above the heatmaps
LOCK_TEXTS = ("Lock colour scale", "Lock scale")    # the lock check box's text, and its shorter one (its tooltip says all)


def all_roles() -> list[str]:
    """Every heatmap a run may need: the five, the penalty's parts, the state each registered
    optimizer declares (engine/optim.py: ``state_maps``) and the step ΔW it applied."""
    state = dict.fromkeys(m.key for opt in OPTIMIZERS.values() for m in opt.state_maps)
    return ROLES + PENALTY_ROLES + list(state) + ["applied"]


def _scrolled(columns: int, count: int) -> bool:
    """Whether ``count`` heatmaps in ``columns`` columns are one column of more than three, which
    scrolls down: each heatmap is then as tall as its numbers need (``Heatmap.set_min_plot_height``)."""
    return columns == 1 and count > 3


def _min_plot_height(columns: int, count: int) -> int:
    """A heatmap's least plot height among ``count`` heatmaps in ``columns`` columns: readable in one
    scrolling column of more than three, else 80 px."""
    return ONE_COLUMN_HEIGHT if _scrolled(columns, count) else 80


_LAYER = re.compile(r"\(layer (\d+)\)$")    # the book's layer a neuron axis' label names ("j (layer 3)")


def _shape(M) -> str:
    return f"{M.shape[0]}×{M.shape[1]}"


@dataclass
class _Found:
    """What the panel found its heatmaps' numbers to need, for one run at one zoom
    (``HeatmapPanel._found``): Ctrl+0 arranges them as found before zooming."""
    numbers_needs: dict[str, int] = field(default_factory=dict)     # role → the width it last needed (Heatmap.numbers_width)
    side_by_side: set[tuple[str, ...]] = field(default_factory=set)  # two roles whose rows stacked were too short for numbers
    stacked: set[tuple[str, ...]] = field(default_factory=set)       # … and side by side wider than the companion could be made
    tall: set[tuple[str, ...]] = field(default_factory=set)          # two stacked printing none compact: each as tall as its numbers need
    # (roles, layer) of two stacked compact because their numbers read better so (_try_compact_pair), or tried so
    compact_pairs: set[tuple[tuple[str, ...], int]] = field(default_factory=set)
    compact_tried: set[tuple[tuple[str, ...], int]] = field(default_factory=set)
    # (role, shape, layer) drawn transposed for its numbers (per layer: its neighbours share the height)
    transpose: set[tuple[str, tuple[int, int], int]] = field(default_factory=set)
    tried: set[tuple[str, tuple[int, int], int]] = field(default_factory=set)    # … or tried so
    together_tried: set[tuple[tuple[str, ...], int]] = field(default_factory=set)   # (roles, layer) tried transposed together
    compact_alone: set[tuple[str, tuple[int, int]]] = field(default_factory=set)   # (role, sorted shape) alone and compact


class _Grid(QtWidgets.QGridLayout):
    """The heatmaps' grid, without height-for-width: the word-wrapped titles would otherwise make
    the scroll area size it by the heatmaps' preferred heights (three times the view), not fit it.
    Laid out at the height its scroll area is about to give it (``setGeometry``)."""

    _fitting = False

    def hasHeightForWidth(self) -> bool:
        return False

    def setGeometry(self, rect: QtCore.QRect) -> None:   # noqa: N802 (Qt's name)
        """Lay the heatmaps out at the height the scroll area gives the grid's widget for the
        grid's least size (``_scrolled_size``), resizing the widget to it first.  A heatmap whose
        least height changed (a title of fewer lines: digits' ∂z²/∂z¹ giving way to a one-line
        message at ←9) had the grid laid out at the old height, every heatmap stretched by a few
        pixels, then the scroll area shrank the widget and the grid laid them out again: each
        pyqtgraph view laid out and painted twice, 15 ms of CPU on the walk's costliest key."""
        host = self.parentWidget()
        viewport = host.parentWidget() if host is not None else None
        area = viewport.parentWidget() if viewport is not None else None
        if not self._fitting and isinstance(area, QtWidgets.QScrollArea) and area.widgetResizable() \
                and host.isVisible():
            height = _scrolled_size(area, host.minimumSizeHint()).height()
            if height != rect.height():
                self._fitting = True        # the resize lays the grid out (here again) at that height
                try:
                    host.resize(rect.width(), height)
                finally:
                    self._fitting = False
                return
        super().setGeometry(rect)


def _scrolled_size(area: QtWidgets.QScrollArea, least: QtCore.QSize) -> QtCore.QSize:
    """The size a resizable scroll area gives its widget of least size ``least``, by its own
    rule (QScrollArea: the viewport without scroll bars if the widget fits there, else the
    viewport as it is, never less than the least)."""
    room = area.maximumViewportSize()
    fits = least.width() <= room.width() and least.height() <= room.height()
    return (room if fits else area.viewport().size()).expandedTo(least)


class _Planned(QtWidgets.QWidgetItem):
    """A heatmap in a grid laid out only to learn the rectangle it would get there
    (``HeatmapPanel._planned_rects``): the heatmap itself is not moved."""

    def __init__(self, widget: QtWidgets.QWidget):
        super().__init__(widget)
        self.rect = QtCore.QRect()

    def setGeometry(self, rect: QtCore.QRect) -> None:   # noqa: N802 (Qt's name)
        self.rect = QtCore.QRect(rect)


class HeatmapPanel(QtWidgets.QWidget):
    wants_width = QtCore.Signal(int)    # the panel's width at which its heatmaps print their numbers (more than it has)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.heatmaps: dict[str, Heatmap] = {role: Heatmap() for role in all_roles()}
        self._roles: list[str] = list(ROLES)
        self._locked: dict[tuple[str, int], tuple[float, float]] = {}
        self._columns = 0
        self._places: dict[str, tuple[int, int]] = {}     # role → (row, column) in the grid, of those shown
        self.roles: list[str] = list(ROLES)      # the heatmaps shown: the run's, narrowed by set_roles
        self._wanted: list[str] | None = None    # what set_roles asked for (None: all)
        self._stale = False        # a refresh skipped while hidden, done when shown
        self._roles_stale = False  # a set_roles kept while hidden, arranged when shown
        self._asked = None         # the quantity Predict mode asks of the shown layer ("?" on its heatmap)
        self._zoom = session.settings.font_scale     # the zoom the heatmaps are arranged for
        self._found_at: dict[float, _Found] = {}     # zoom → what was found at it, for this run (_found, _at_zoom)
        self._compact_trying: tuple = ()     # ((roles, layer), role → rank before): compact, weighed once settled
        # (roles, layer, role → rank before, flipped, (roles, layer) if tried together): transposed, weighed once settled
        self._trying: tuple = ()
        self.transposed: set[str] = set()        # the roles drawn transposed now
        # the heatmaps fitted their numbers: do they want more width?  Asked once they have settled (a
        # heatmap coming in is fitted at its old size first, and printed none for a moment: wong's companion
        # widened for that, step by step, and took its graph's edge values)
        self._arranging = False                         # _arrange_now at work (the refresh it may call does not again)
        self._width_check = QtCore.QTimer(self, singleShot=True, interval=WIDTH_CHECK_MS)
        self._width_check.timeout.connect(self._on_width_check_timeout)
        self._unseen: list[Heatmap] = []         # held, not drawn: scrolled out of sight (_release)

        self.layer_combo = QtWidgets.QComboBox()
        # its width follows its items and font (Qt's default measures them once, when first shown: at
        # 1024×768, zoom +3, digits' "1: W¹ (32×64)" was cut to "1: W¹ (32×6" beside the lock box)
        self.layer_combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.lock_check = QtWidgets.QCheckBox(LOCK_TEXTS[0])
        self.lock_check.setToolTip("Keep every heatmap's colour levels as they are now, so changes over steps show")
        self._layer_label = QtWidgets.QLabel("Layer")
        self._info = QtWidgets.QLabel()
        self._info.setWordWrap(True)
        bar = self._bar = QtWidgets.QGridLayout()     # the lock check box goes under the combo box when narrow
        bar.setHorizontalSpacing(BAR_SPACING)
        bar.setVerticalSpacing(2)
        bar.addWidget(self._layer_label, 0, 0)
        bar.addWidget(self.layer_combo, 0, 1)
        bar.addWidget(self.lock_check, 0, 2)
        bar.addWidget(self._info, 0, 3)
        bar.setColumnStretch(3, 1)
        self._lock_below = False
        grid_host = QtWidgets.QWidget()
        for hm in self.heatmaps.values():
            hm.numbers_fitted.connect(self._width_check.start)
            hm.setParent(grid_host)
            hm.hide()                           # until the grid places it
            policy = hm.sizePolicy()            # placed while still hidden, shown at its place (_reflow)
            policy.setRetainSizeWhenHidden(True)
            hm.setSizePolicy(policy)
        self._grid = _Grid(grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(6)
        self.scroll = QtWidgets.QScrollArea()       # so the panel fits small screens: it scrolls instead
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll.setWidget(grid_host)
        grid_host.installEventFilter(self)          # the heatmaps' minimum is the panel's (minimumSizeHint)
        self.scroll.viewport().setAutoFillBackground(False)
        for scroll_bar in (self.scroll.verticalScrollBar(), self.scroll.horizontalScrollBar()):
            scroll_bar.valueChanged.connect(self._on_scrolled)    # after the scroll area's own: the heatmaps moved already
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self._reflow(2, force=True)
        self._sight = SightWatch(self, self._fit_width)     # the panel or the dock's view it sits in resized

        self.layer_combo.currentIndexChanged.connect(self._on_layer_index_changed)
        self.lock_check.toggled.connect(self._on_lock_toggled)
        session.run_changed.connect(self._on_run_changed)
        session.step_changed.connect(self._on_step_changed)
        session.params_changed.connect(self._on_params_changed)
        session.selection_changed.connect(self._on_selection_changed)
        session.settings.lock_scale_changed.connect(self._on_lock_scale_changed)
        session.settings.convention_changed.connect(self._on_convention_changed)
        if getattr(session, "quiz", None) is not None:
            session.quiz.changed.connect(self._mark_answers)
        session.settings.sig_figs_changed.connect(self._on_sig_figs_changed)
        for changed in (session.settings.theme_changed, session.settings.palette_changed,
                        session.settings.font_scale_changed):
            changed.connect(self._on_style_changed)
        self._on_run_changed()
        self._apply_style()

    # -- what is shown -------------------------------------------------------------------------
    @property
    def layer(self) -> int:
        """The code's index l of the W shown (the book's layer l + 1)."""
        return self.session.focus_layer

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().showEvent(event)
        when_shown(self, self._on_shown)
        self._on_shown()

    def _on_shown(self) -> None:
        if self._roles_stale:
            self._show_roles()
        if self._stale:
            self.refresh()

    def refresh_when_seen(self) -> None:
        """Refresh now if the panel can be seen, else when it comes into view (a step stays cheap
        while the panel is a dock tab behind another)."""
        if unseen_in_window(self):
            self._stale = True
        else:
            self.refresh()

    def refresh(self) -> None:
        if self._roles_stale:
            self._show_roles()
        self._stale = False
        s, l = self.session, self.layer
        v = s.view
        row = s.settings.convention == "row"
        held = [self.heatmaps[r] for r in self.roles]
        unseen, self._unseen = self._unseen, []
        for hm in held:         # their new titles and rows laid out first, then each drawn once at its size
            hm.hold(True)
        try:
            self._fill(v, l)
            self._show_training_terms(v, l, row)
            self._share_height()        # once every heatmap has its matrix (Adam's m̂, v̂, ΔW come in at the update)
            for hm in held:     # their least heights (titles, rows' numbers) as the grid asks them now, not as
                hm.updateGeometry()     # their own layouts will have them once their posted requests come
            self._grid.activate()
        finally:
            self._release([*held, *(hm for hm in unseen if hm not in held)])
        self._info.setText(v.step.equation_in(s.settings.convention))     # the step's title is in the banner
        self._mark_answers(fresh=True)
        self._mark_selection(row)
        self._width_check.start()       # a heatmap drawn ahead at its size is not fitted again when shown: checked here
        self._arrange_now()

    def _release(self, heatmaps: list[Heatmap]) -> None:
        """The ``heatmaps`` held (``Heatmap.hold``) drawn now where some of them is in sight; those the
        scroll area keeps out of sight stay held, drawn as they are scrolled into sight or in idle
        time after the key (the width check, which needs them drawn: ``_on_width_check_timeout``):
        digits' five in one column at 1280×720 show two, and at ←9 the key drew −η∂C/∂W, σ′ (10×10,
        its numbers fitted) and the Jacobian's message below them too."""
        for hm in heatmaps:
            if hm.isHidden() or self._in_sight(hm):
                hm.hold(False)          # hidden: drawn when shown
            else:
                self._unseen.append(hm)

    def _in_sight(self, hm: Heatmap) -> bool:
        """Whether some of ``hm`` is in the scroll area's view (always, in a window not shown: tests, exports)."""
        if not self.window().isVisible():
            return True
        viewport = self.scroll.viewport()
        return viewport.rect().intersects(QtCore.QRect(hm.mapTo(viewport, QtCore.QPoint(0, 0)), hm.size()))

    def _on_scrolled(self, _value: int) -> None:
        unseen, self._unseen = self._unseen, []
        self._release(unseen)       # those scrolled into sight drawn before they are painted

    def _draw_unseen(self) -> None:
        unseen, self._unseen = self._unseen, []
        for hm in unseen:
            hm.hold(False)

    def draw_ahead(self, plans) -> list[str]:
        """In idle time after a micro-step: for each ``(k, roles)`` of ``plans`` in turn (the next
        micro-step, then the previous one), the heatmaps of ``roles`` that the panel keeps hidden now
        are given micro-step k's matrices and drawn, so that the key that shows them finds them
        drawn (the first showing of layer 1's σ′ and Jacobian cost 64 ms of CPU at diagram's →10;
        the update's W and −η∂C/∂W are drawn before it is applied, from ``Stepper.view_after_update``);
        a heatmap prepared for an earlier plan is left to it.  Returns the roles prepared."""
        s, done = self.session, []
        stepper = s.stepper
        for k, roles in plans:
            hidden = [r for r in roles if r in self.heatmaps and r not in done and self.heatmaps[r].isHidden()]
            if not hidden:
                continue
            v = stepper.view(k) if k < stepper.last or stepper.updated else stepper.view_after_update()
            if v is None:       # the update of an optimizer with a state: known once it is applied
                continue
            self._fill(v, s.layer_at(v.step), set(hidden), roles)
            shown = [r for r in self._roles if r in roles] or list(self._roles)      # as _show_roles will arrange them
            columns = self._columns_for(width_in_sight(self), self.height(), len(shown))
            places = {r: divmod(n, columns) for n, r in enumerate(shown)}
            compact = self._compact_for(shown, places, columns)
            for role in hidden:
                # created, as showing it creates it: the geometry of a widget never shown, even unchanged, is
                # delivered again when it is shown (a resize event, the heatmap laid out and fitted again)
                self.heatmaps[role].create()
                self.heatmaps[role].set_min_plot_height(_min_plot_height(columns, len(places)),
                                                        numbers=self._numbers_tall(shown, columns))
                self.heatmaps[role].set_compact(compact)
            for _ in range(2):      # a title wraps by its width, and the least height with it: again at the new width
                rects = self._planned_rects(places, columns)
                if all(self.heatmaps[r].geometry() == rects[r] for r in hidden):
                    break
                for role in hidden:     # where and as large as it will be shown, not as it was when last shown
                    self.heatmaps[role].setGeometry(rects[role])
            for role in hidden:
                self.heatmaps[role].draw_ahead()
            done += hidden
        return done

    def _planned_rects(self, places: dict[str, tuple[int, int]], columns: int) -> dict[str, QtCore.QRect]:
        """The geometry of each heatmap at its ``places`` (role → (row, column)) in ``columns`` columns
        when the panel shows them: laid out in a grid of its own by the rules of the panel's
        (``_reflow``: the columns' stretch, the rows' as ``_row_stretches`` shares them, the grid
        host as large as the scroll area makes it, ``_Grid``), which moves none of them.  Digits'
        σ′ at ←7 (alone) had been drawn ahead at the half height it had at →10 (over the
        Jacobian): shown, it was laid out, fitted and painted again, 55 ms of CPU every walk."""
        grid = QtWidgets.QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(self._grid.spacing())
        items = {role: _Planned(self.heatmaps[role]) for role in places}
        for role, (r, c) in places.items():
            grid.addItem(items[role], r, c)
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        for r, n in self._row_stretches(places).items():
            grid.setRowStretch(r, n)
        room = _scrolled_size(self.scroll, grid.minimumSize())
        grid.setGeometry(QtCore.QRect(QtCore.QPoint(0, 0), room))
        return {role: item.rect for role, item in items.items()}

    def _fill(self, v, l: int, only: set[str] | None = None, roles: list[str] | None = None) -> None:
        """The five heatmaps (those of ``only``, if given) set to the matrices of layer ``l`` (the
        code's index of its W) at the micro-step of the view ``v``, for a panel showing ``roles``
        (the roles shown now, if not given): shown together with the Jacobian alone (a δ step in the
        companion), an elementwise σ′ is drawn as a row, the diagonal of diag σ′, its columns under
        the Jacobian's (whose column j is W's column j times σ′ⱼ): the diagonal matrix took as many
        rows again, too short for their numbers at zoom +3."""
        as_row = (self.roles if roles is None else roles) == SIGMA_AS_ROW
        s, net, k = self.session, self.session.net, l + 1
        K, Km = sup(k), sup(k - 1)
        row = s.settings.convention == "row"

        def show(role, *args) -> None:
            if only is None or role in only:
                self._show(role, *args, layer=l)

        def clear(role, *args) -> None:
            if only is None or role in only:
                self.heatmaps[role].clear_matrix(*args)

        W = v.W[l]
        after = " after the update" if v.updated else ""
        neurons = f"j (layer {k})", f"i (layer {k - 1})"
        show("W", W, f"W{K}{after} ({_shape(W)})", True, *neurons, f"W{K}")
        if v.dW[l] is None:
            for role in ("dW", "step"):
                clear(role, f"∂C/∂W{K} is not computed yet at this micro-step",
                      "∂C/∂W" + K if role == "dW" else "−η ∂C/∂W" + K)
        else:
            dW, step = v.dW[l], -v.eta * v.dW[l]
            opt = s.optimizer
            sgd = "" if opt.exact_from_gradient else f": SGD's step, not {opt.short_name}'s"
            if row:     # the Jacobian a ⊗ δ, shaped like Wᵀ; the step W ← W − η (∂C/∂W)ᵀ is shaped like W
                show("dW", dW.T, f"∂C/∂W{K} = a{Km} ⊗ δ{K} ({_shape(dW.T)}, shaped like W{K}ᵀ: row vectors)",
                     True, *neurons[::-1], f"∂C/∂W{K}")
                show("step", step, f"−η (∂C/∂W{K})ᵀ, η = {format_number(v.eta)} ({_shape(step)}, shaped like W{K}){sgd}",
                     True, *neurons, f"−η(∂C/∂W{K})ᵀ")
            else:
                show("dW", dW, f"∂C/∂W{K} = δ{K} (a{Km})ᵀ ({_shape(dW)}, shaped like W{K})", True, *neurons,
                     f"∂C/∂W{K}")
                show("step", step, f"−η ∂C/∂W{K}, η = {format_number(v.eta)} ({_shape(step)}){sgd}", True, *neurons,
                     f"−η∂C/∂W{K}")
        if v.sigma_prime[l] is None:
            clear("sigma", f"σ′(z{K}) is not computed yet at this micro-step", f"σ′(z{K})")
        else:
            D = s.activation_jacobian(l)
            act = net.activations[l]
            soft = not act.elementwise               # a full Jacobian, not a diagonal
            if soft:
                show("sigma", D, f"∂a{K}/∂z{K}, {act.name} Jacobian ({_shape(D)})", True, f"j (layer {k})",
                     f"j′ (layer {k})", f"∂a{K}/∂z{K}")
            elif as_row:
                d = np.diag(D)[None, :]
                show("sigma", d, f"σ′(z{K}) ({_shape(d)}); diag σ′(z{K}) has it on its diagonal, 0 elsewhere",
                     False, "", f"j (layer {k})", f"σ′(z{K})")
            else:
                show("sigma", D, f"diag σ′(z{K}) ({_shape(D)})", False, f"j (layer {k})", f"j′ (layer {k})",
                     f"diag σ′(z{K})")
        if l == net.L - 1:
            clear("jacobian", f"∂z{sup(k + 1)}/∂z{K} does not exist: layer {k} is the output layer",
                  "Jacobian ∂zˡ⁺¹/∂zˡ")
        elif v.sigma_prime[l] is None:
            clear("jacobian", f"∂z{sup(k + 1)}/∂z{K} needs σ′(z{K}), not computed yet", f"∂z{sup(k + 1)}/∂z{K}")
        else:
            J = s.layer_jacobian(l)                  # the weights before the update: the same at every micro-step
            K1 = sup(k + 1)
            use = f"δ{K} = δ{K1} · this" if row else f"δ{K} = thisᵀ δ{K1}"
            show("jacobian", J, f"∂z{K1}/∂z{K} = W{K1} diag σ′(z{K}) ({_shape(J)}); {use}", True,
                 f"k (layer {k + 1})", f"j (layer {k})", f"∂z{sup(k + 1)}/∂z{K}")

    def _sigma_as_row(self) -> bool:
        """Whether σ′ is drawn as a row (``_fill``), or that row transposed for its numbers."""
        M = self.heatmaps["sigma"].matrix
        return M is not None and M.shape[1 if "sigma" in self.transposed else 0] == 1

    def _share_height(self) -> None:
        """The rows of heatmaps share the panel's height as their matrices' rows do, each with
        CHROME_ROWS more for its title and axes: σ′'s one row over iris's 3×8 Jacobian, or a 4×4
        σ′ over a 2×4 Jacobian, gave the taller matrix rows too short for their numbers."""
        for r, n in self._row_stretches(self._places).items():
            if self._grid.rowStretch(r) != n:
                self._grid.setRowStretch(r, n)

    def _row_stretches(self, places: dict[str, tuple[int, int]]) -> dict[int, int]:
        """Row → its stretch, for heatmaps at ``places`` (role → (row, column)): the most matrix rows
        in it (4 for a matrix whose cells could print no numbers: Heatmap.could_print) and CHROME_ROWS."""
        rows: dict[int, int] = {}
        for role, (r, _) in places.items():
            M = self.heatmaps[role].matrix
            rows[r] = max(rows.get(r, 1), M.shape[0] if self.heatmaps[role].could_print(either_way=False) else 4,
                          ROW_MATRIX_ROWS if M is not None and M.shape[0] == 1 else 1)
        return {r: n + CHROME_ROWS for r, n in rows.items()}

    def _mark_selection(self, row: bool) -> None:
        """Outline the selection (an edge's cell, a neuron's row or column, its σ′) on the maps of
        the layer shown: W-shaped maps (W, the step and the changes of W) index W[j, i]; ∂C/∂W and
        the gradient-like maps are Wᵀ-shaped with row vectors."""
        sel, l = self.session.selection, self.layer
        rows, cols = self.session.net.W[l].shape
        like_W = []                      # boxes on a map shaped like W
        sigma = []
        if sel.kind == "edge" and sel.l == l:
            like_W = [(sel.j, sel.i, 1, 1)]
        elif sel.kind == "neuron" and sel.k == l + 1:
            like_W, sigma = [(sel.j, 0, 1, cols)], [(sel.j, sel.j, 1, 1)]
        elif sel.kind == "neuron" and sel.k == l:
            like_W = [(0, sel.j, rows, 1)]
        transposed = [(c, r, w, h) for r, c, h, w in like_W]
        W_shaped = {"W", "step", "applied"} | {m.key for m in OPTIMIZERS[self.session.config.optimizer].state_maps
                                                 if m.scale == "step"}
        for role, hm in self.heatmaps.items():
            if role in ("sigma", "jacobian"):
                boxes = sigma if role == "sigma" else []
                if role == "sigma" and self._sigma_as_row():     # drawn as a row (or, transposed, a column)
                    boxes = [(0, c, 1, 1) for _, c, _, _ in boxes]
            else:
                boxes = transposed if row and role not in W_shaped else like_W
            if role in self.transposed:          # drawn transposed for its numbers
                boxes = [(c, r, w, h) for r, c, h, w in boxes]
            hm.set_selected(boxes if hm.matrix is not None else [])

    def _mark_answers(self, fresh: bool = False) -> None:
        """Predict mode and checked worksheets (session.quiz): a "?" where ∂C/∂W is predicted next,
        and the wrong entries of ∂C/∂W and the updated W of the shown layer ringed with their cause."""
        quiz, l = getattr(self.session, "quiz", None), self.layer
        if quiz is None:
            return
        row, v = self.session.settings.convention == "row", self.session.view
        wrong = [r for r in quiz.wrong_marks() if r.entry.layer == l + 1]
        for role, quantity in (("dW", "dC_dW"), ("W", "W_new")):
            cells = [((r.entry.k - 1, r.entry.j - 1) if row and role == "dW" else (r.entry.j - 1, r.entry.k - 1))
                     + (r.cause,) for r in wrong if r.entry.quantity == quantity]
            shown = self.heatmaps[role].matrix is not None and (role == "dW" or v.updated)
            if role in self.transposed:
                cells = [(c, r, cause) for r, c, cause in cells]
            self.heatmaps[role].set_marks(cells if shown else [])
        question = quiz.question()
        asked = None if question is None or question.layer != l + 1 else question.quantity
        if asked == "dC_dW":
            self.heatmaps["dW"].clear_matrix(f"?  ∂C/∂W{sup(l + 1)} is next: predict it in the Predict panel, "
                                             f"then → reveals it")
        elif asked == "a":          # σ′(zˡ) comes with aˡ, and σ′ gives a away (σ′ = a(1 − a) for the sigmoid)
            K = sup(l + 1)
            self.heatmaps["sigma"].clear_matrix(f"?  σ′(z{K}) comes with a{K}, which is next: predict a{K} in the "
                                                f"Predict panel, then → reveals both", f"σ′(z{K})")
            if l < self.session.net.L - 1:
                self.heatmaps["jacobian"].clear_matrix(f"?  ∂z{sup(l + 2)}/∂z{K} needs σ′(z{K}), revealed with a{K}",
                                                       f"∂z{sup(l + 2)}/∂z{K}")
        stale = self._asked is not None and asked is None and not fresh
        self._asked = asked
        if stale:                   # nothing asked any more: the "?" messages give way to the matrices
            self.refresh_when_seen()

    def active_roles(self) -> list[str]:
        """The heatmaps this run needs: the five, the penalty's parts, the optimizer's state."""
        c = self.session.config
        extra = PENALTY_ROLES if c.penalty != "none" and c.penalty_lambda > 0 else []
        opt = OPTIMIZERS[c.optimizer]
        return ROLES + extra + [m.key for m in opt.state_maps] + ([] if opt.exact_from_gradient else ["applied"])

    def _show_training_terms(self, v, l: int, row: bool) -> None:
        """The penalty's two parts of ∂C/∂W, and the optimizer's state and applied step."""
        K, roles = sup(l + 1), self._roles
        t = (lambda M: M.T) if row else (lambda M: M)
        tr = "ᵀ" if row else ""
        neurons = (f"i (layer {l})", f"j (layer {l + 1})") if row else (f"j (layer {l + 1})", f"i (layer {l})")
        g = v.grads
        if "dW_data" in roles:
            if v.dW[l] is None:
                for role in PENALTY_ROLES:
                    self.heatmaps[role].clear_matrix(f"∂C/∂W{K} is not computed yet at this micro-step")
            else:
                lim = symmetric_limit(g.dW[l], g.dW_data[l], g.dW_penalty[l])
                pen = self.session.net.penalty
                part = pen.grad_text(f"W{K}")
                lam = format_number(self.session.net.lam)
                self._show("dW_data", t(g.dW_data[l]), f"data part δ{K} ⊗ a{sup(l)}{tr}",
                           True, *neurons, f"∂C_data/∂W{K}", share=(-lim, lim))
                self._show("dW_penalty", t(g.dW_penalty[l]), f"penalty part {part}{tr}, λ = {lam}", True, *neurons,
                           part, share=(-lim, lim))
        rec, maps = v.optimizer_step, OPTIMIZERS[self.session.config.optimizer].state_maps   # engine/optim.py declares them
        shown = [r for r in [m.key for m in maps] + ["applied"] if r in roles]
        if not shown:
            return
        if rec is None or l >= len(rec.W) or rec.name != self.session.config.optimizer:
            for role in shown:
                self.heatmaps[role].clear_matrix("the optimizer's state and step appear at the update micro-step")
            return
        e = rec.W[l]
        lim = {"step": symmetric_limit(-v.eta * g.dW[l], e["delta"], *(e[m.key] for m in maps if m.scale == "step")),
               "gradient": symmetric_limit(g.dW[l], *(e[m.key] for m in maps if m.scale == "gradient"))}
        like_W = (f"j (layer {l + 1})", f"i (layer {l})")    # a change of W is shaped like W, as the step is
        for m in (m for m in maps if m.key in roles):
            share = (-lim[m.scale], lim[m.scale]) if m.scale in lim else None
            M, T, axes = (e[m.key], "", like_W) if m.scale == "step" else (t(e[m.key]), tr, neurons)
            self._show(m.key, M, m.caption(f"{m.symbol}{K}{T}", rec, format_number), m.signed, *axes,
                       f"{m.symbol}{K}", share=share)
        if "applied" in roles:
            self._show("applied", e["delta"], f"ΔW{K} applied by {OPTIMIZERS[rec.name].short_name}", True, *like_W,
                       f"ΔW{K}", share=(-lim["step"], lim["step"]))

    def _show(self, role, M, title, signed, row_label, col_label, symbol, share=None, layer: int | None = None) -> None:
        """Heatmap ``role`` shows ``M``; drawn transposed where it prints its numbers only so
        (``_on_width_check_timeout``), its title and hover saying so ("(W²)ᵀ (8×3)", "(W²)ᵀ[1, 2]")."""
        layer = self.layer if layer is None else layer
        if (role, np.shape(M), layer) in self._found.transpose:
            M, row_label, col_label = np.transpose(M), col_label, row_label
            title = f"({symbol})ᵀ ({_shape(M)})"     # one line: a title of two left the rows too short
            symbol = f"({symbol})ᵀ"
            self.transposed.add(role)
        else:
            self.transposed.discard(role)
        levels = self._locked.get((role, layer)) if self.session.settings.lock_scale else share
        self.heatmaps[role].set_matrix(M, title, signed=signed, levels=levels, row_label=row_label,
                                       col_label=col_label, symbol=symbol, row_names=self._class_names(row_label),
                                       col_names=self._class_names(col_label))
        if self.session.settings.lock_scale and levels is None:
            self._locked[(role, layer)] = self.heatmaps[role].levels

    def _class_names(self, axis_label: str) -> list[str] | None:
        """The class names of the output neurons (``Session.class_names``) for an axis labelled with
        the output layer ("j (layer 3)" of digits' W³, ∂C/∂W³ or σ′(z³), "k (layer 3)" of ∂z³/∂z²),
        else None: the heatmap names those rows or columns by class, as the graph names the neurons."""
        found = _LAYER.search(axis_label)
        return self.session.class_names() if found and int(found.group(1)) == self.session.net.L else None

    def _lock_levels(self) -> None:
        self._locked = {(role, self.layer): hm.levels for role, hm in self.heatmaps.items() if hm.levels}

    # -- layout --------------------------------------------------------------------------------
    def set_compact(self, on: bool) -> None:
        """Without the "Layer" caption and the micro-step line (a banner above says it): a narrow
        companion panel keeps its width for the heatmaps."""
        self._layer_label.setVisible(not on)
        self._info.setVisible(not on)

    def set_roles(self, roles: list[str] | None) -> None:
        """Show only these heatmaps (None: every one the run has), larger, in the run's order."""
        self._wanted = None if roles is None else list(roles)
        if unseen_in_window(self):
            self._roles_stale = True        # arranged when the panel comes into view, not behind another tab
        else:
            self._show_roles()

    def _show_roles(self, force: bool = False) -> None:
        """``roles``: the run's heatmaps (``_roles``) that ``set_roles`` asked for (all if none fits)."""
        self._roles_stale = False
        roles = [r for r in self._roles if self._wanted is None or r in self._wanted] or list(self._roles)
        if roles != self.roles or force:
            as_row = roles == SIGMA_AS_ROW
            self.roles = roles
            if as_row != self._sigma_as_row() \
                    and self.heatmaps["sigma"].matrix is not None and self.session.net.activations[self.layer].elementwise:
                self._fill(self.session.view, self.layer, {"sigma"})     # σ′ as a row beside the Jacobian, or as diag σ′
            self._columns = 0
            self._reflow_in_sight()

    def _reflow(self, columns: int, force: bool = False) -> None:
        if columns == self._columns and not force:
            return
        self._columns = columns
        rows = -(-len(self.roles) // columns)
        places = {role: divmod(n, columns) for n, role in enumerate(self.roles)}
        # Laid out once: showing a widget lays out its parent's grid at once (QWidget::setVisible),
        # so heatmaps shown one by one laid the grid out half-made (the last one's row not stretched
        # yet) and the next pass laid it out and painted the heatmaps again.  The grid is off while it
        # is rearranged; then the heatmaps coming in, still hidden but holding their place in it
        # (retainSizeWhenHidden: those leaving are taken out of it), get their final geometry, and
        # are shown at that size.
        self._grid.setEnabled(False)
        try:
            for role, hm in self.heatmaps.items():      # only what moves is touched: a shown pyqtgraph view relays out
                if role not in places and self._places.pop(role, None) is not None:
                    self._grid.removeWidget(hm)
                    hm.hide()
            for c in range(3):
                self._grid.setColumnStretch(c, 1 if c < columns else 0)
            for r in range(rows, len(self.heatmaps)):
                self._grid.setRowStretch(r, 0)
            for role, place in places.items():
                hm = self.heatmaps[role]
                if self._places.get(role) != place:
                    if role in self._places:
                        self._grid.removeWidget(hm)
                    self._grid.addWidget(hm, *place)
                    self._places[role] = place
            self._fit_plot_heights()
            self._share_height()
            compact = self._compact_for(self.roles, places, columns)    # as _fit_compact will find: laid out once
            for role in places:
                self.heatmaps[role].set_compact(compact)
        finally:
            self._grid.setEnabled(True)
        self._grid.activate()
        for role in places:
            if self.heatmaps[role].isHidden():
                self.heatmaps[role].show()
        # a heatmap leaving keeps its compact state: drawn ahead (draw_ahead) as it will be shown

    def _fit_plot_heights(self) -> None:
        """Each heatmap shown at least as tall as its place wants (``_min_plot_height``), and as its
        rows' numbers need where they are to be so tall (``_numbers_tall``)."""
        for role in self._places:
            self.heatmaps[role].set_min_plot_height(_min_plot_height(self._columns, len(self._places)),
                                                    numbers=self._numbers_tall(self.roles, self._columns))

    def _numbers_tall(self, roles: list[str], columns: int) -> bool:
        """Whether the heatmaps ``roles`` in ``columns`` columns are each as tall as their rows'
        numbers need, the panel scrolling down: one column of more than three (``_scrolled``), or
        a pair that, stacked in the panel's height, printed no numbers even compact (``_Found.tall``)."""
        return _scrolled(columns, len(roles)) or tuple(roles) in self._found.tall

    def _fit_width(self) -> None:
        """The bar and the heatmaps' columns for the width in sight (``width_in_sight``: the dock's
        view, where the panel is wider): a dock's scroll area gives the panel at least its least
        width, so columns chosen by the panel's own width kept two columns of heatmaps wider than
        the dock (diagram, 1024×768, zoom +3, companion fixed on the matrices: 666 px in a 360-px
        dock, two sideways scroll bars, the second column and "Lock colour scale" cut)."""
        self._place_lock(width_in_sight(self))
        self._reflow_in_sight()

    def _reflow_in_sight(self) -> None:
        """The heatmaps in as many columns as the width in sight holds, compact where that fits them."""
        self._reflow(self._columns_for(width_in_sight(self), self.height()))
        self._fit_compact()

    def _fit_compact(self) -> None:
        """Compact heatmaps (gui/widgets/heatmap.py: set_compact) when the rows of heatmaps do not fit
        the panel's height at their least but do compactly: the update's W and −η∂C/∂W stacked in a
        short companion (1280×720 at zoom +3) showed the second one only by scrolling."""
        if not self._places or self._columns <= 0:
            return
        compact = self._compact_for(self.roles, self._places, self._columns)
        for role in self.roles:
            self.heatmaps[role].set_compact(compact)

    def _compact_for(self, roles: list[str], places: dict[str, tuple[int, int]], columns: int) -> bool:
        """Whether the heatmaps ``roles``, at ``places`` in ``columns`` columns, are compact in the
        panel as large as it is now (``_fit_compact``)."""
        m = self.layout().contentsMargins()
        room = self.height() - m.top() - m.bottom() - self._bar.sizeHint().height() - self.layout().spacing()
        width = (self.width() - m.left() - m.right() - self._grid.spacing() * (columns - 1)) // columns

        def need(compact: bool) -> int:
            rows: dict[int, int] = {}
            for role in roles:
                r = places[role][0]
                rows[r] = max(rows.get(r, 0), self.heatmaps[role].least_height(compact, width))
            return sum(rows.values()) + self._grid.spacing() * (len(rows) - 1)

        rows = len({places[role][0] for role in roles})
        if tuple(roles) in self._found.tall or (tuple(roles), self.layer) in self._found.compact_pairs:
            return True             # as tall as their numbers need (the panel scrolls down), no taller; or read better so
        if len(roles) == 1:         # alone: compact where only that prints its numbers (_on_width_check_timeout)
            M = self.heatmaps[roles[0]].matrix
            return M is not None and (roles[0], tuple(sorted(M.shape))) in self._found.compact_alone
        return rows >= 2 and need(False) > room >= need(True)

    def _one_row_width(self, lock_text: str) -> int:
        """The width the bar needs with the lock check box, reading ``lock_text``, beside the layer's
        combo box."""
        m = self.layout().contentsMargins()
        shown = [w for w in (self._layer_label, self.layer_combo) if not w.isHidden()]
        metrics = self.lock_check.fontMetrics()
        lock = self.lock_check.sizeHint().width() + metrics.horizontalAdvance(lock_text) \
            - metrics.horizontalAdvance(self.lock_check.text())
        return sum(w.sizeHint().width() for w in shown) + lock + BAR_SPACING * len(shown) + m.left() + m.right()

    def _place_lock(self, width: int) -> None:
        """The lock check box beside the combo box when the panel is wide enough, its shorter text
        when only that fits, else under it (at a large zoom the one-row bar was wider than a 356-px
        companion, which scrolled sideways and cut the colour bars' labels)."""
        text = next((t for t in LOCK_TEXTS if width >= self._one_row_width(t)), LOCK_TEXTS[0])
        below = width < self._one_row_width(text)
        if text != self.lock_check.text():
            self.lock_check.setText(text)
        if below != self._lock_below:
            self._lock_below = below
            self._bar.removeWidget(self.lock_check)
            if below:
                self._bar.addWidget(self.lock_check, 1, 0, 1, 3)
            else:
                self._bar.addWidget(self.lock_check, 0, 2)

    def numbers_width(self) -> int:
        """The panel's width at which every heatmap shown prints its numbers at the readable floor
        (Heatmap.numbers_width of those printing none or under the floor: Heatmap.under_floor): its
        own width when they all print them at the floor, or when no width would do."""
        extra = 0
        for role in self.roles:
            hm = self.heatmaps[role]
            need = hm.numbers_width() if hm.isVisible() and hm.under_floor else None     # those under the floor
            if need is not None:
                extra = max(extra, need - hm.width())
                self._found.numbers_needs[role] = need
        return self.width() + extra * max(self._columns, 1)

    def _arrange_now(self) -> None:
        """At the key, within its event-loop turn: the layouts it asked for done at once, then the
        arrangement of heatmaps under the zoomed floor (``_rearrange``: compact alone, transposed)
        made and laid out as often as it changes, so that the key shows them arranged (iris's W²,
        3×8, at 1024×768, zoom +3, was shown as it is, then compact 120 ms later, then transposed
        after another 140: two jumps after the key, each a layout and a paint).  Only where the
        heatmaps in sight call for a change (``_alone_to_compact``, ``_transpositions``): digits'
        W² (10×32) at ←9, under the floor but no better transposed, had the key draw the three
        heatmaps scrolled out of sight too.  The width check after the timer does the rest (those,
        side by side, more width)."""
        seen = [r for r in self.roles if self.heatmaps[r] not in self._unseen]
        if self._arranging or not self.isVisible() or not (self._alone_to_compact() or any(self._transpositions(seen)[:2])):
            return                      # nothing to arrange (most keys): their layouts as the event loop does them
        self._draw_unseen()             # those out of sight too: arranged on what they show now
        self._arranging = True
        try:
            for _ in range(3):
                for _ in range(3):      # a layout done may ask for another (the heatmap's, then its plot's)
                    lay_out_now()
                if not self._rearrange():
                    break
        finally:
            self._arranging = False

    def _rearrange(self, settled: bool = False) -> bool:
        """A heatmap shown alone under the zoomed floor compact (``_try_compact_alone``), else those
        under it, or printing scientific notation where the formatter writes plain decimals
        (``Heatmap.wants_plain``), drawn transposed where that is foreseen to print them at it
        (``Heatmap.prints_transposed``; a matrix wider than tall); where every heatmap shown could
        be (the σ′ row over iris's 3×8 Jacobian at δ¹, whose heights follow their rows:
        ``_share_height``), they are tried transposed together (``_transpositions``).  Either way
        a change is kept only where no heatmap shown reads worse for it (``Heatmap.rank``: σ′'s
        row drawn as a column took a 4×4 Jacobian's height; only a smaller point size, where a
        flipped one now prints, or at the floor, or in plain decimals: iris's −η∂C/∂W² transposed in
        a 389-px companion at 1024×768, zoom +3, prints 12.25 pt where it printed none, σ′ beside it
        14.5 → 14.37 pt) and none flipped prints nothing, as
        found once ``settled`` (the width check after the key), else it goes back whole (iris's
        δ¹ pair at zoom +3, tried together, left the Jacobian's 8 rows printing none, and back
        alone as a 3×8 printing none under σ′'s column); and where transposed they print none,
        they go back as they were.  True when it changed them (fitted again)."""
        if self._try_compact_alone():
            return True
        if self._trying:
            if not settled:
                return False            # weighed once the heatmaps have settled
            (roles, layer, before, flip, together), self._trying = self._trying, ()
            after = {r: self.heatmaps[r].rank() for r in before} if (roles, layer) == (tuple(self.roles), self.layer) else {}
            gained = any(after[r].kind > before[r].kind for r, *_ in flip if r in after)   # a flipped one prints, at the floor, plain
            if after and (any(after[r] < rank and (after[r].kind < rank.kind or not gained) for r, rank in before.items())
                          or any(self.heatmaps[r].values_hidden for r, *_ in flip)):
                self._found.transpose -= flip     # the trial back whole; of several flipped at once, each is tried
                if len(flip) > 1:                 # alone next (_flip_candidates leaves out those tried; a trial
                    self._found.tried -= flip     # together stays in together_tried: not together again)
                self.refresh()
                return True
        flip, back, together = self._transpositions(self.roles)
        if together:
            self._found.together_tried.add(together)
        if flip:
            self._trying = (tuple(self.roles), self.layer,
                            {r: self.heatmaps[r].rank() for r in self.roles if self.heatmaps[r].matrix is not None},
                            flip, together)
        if flip or back:                # transposed, still none (laid out otherwise than foreseen): as it was
            self._found.transpose = (self._found.transpose | flip) - back
            self._found.tried |= flip
            self.refresh()
            return True
        return False

    def _retry_flips(self, roles) -> None:
        """Drawn transposed or not, ``roles`` are tried again on the layer shown (``_rearrange``):
        arranged otherwise (side by side, as tall as their numbers need), they have other room."""
        self._found.tried = {t for t in self._found.tried if t[0] not in roles or t[2] != self.layer}
        self._found.together_tried = {t for t in self._found.together_tried if t[1] != self.layer}
        self._trying = ()

    def _transpositions(self, roles: list[str]) -> tuple[set, set, tuple | None]:
        """(to draw transposed, to draw as they are again, (roles, layer) when tried together, else
        None) of ``roles`` (``_rearrange``), the first two each as
        (role, shape, layer): those transposed that print none, and the flip candidates foreseen
        to print so (``Heatmap.prints_transposed``), or all of them where every heatmap shown not
        transposed is one and they are several (sharing the height by their rows, ``_share_height``,
        their shares change together: each foreseen at its present height, iris's σ′ row under the
        floor over its 3×8 Jacobian in scientific notation at δ¹, 1024×768, zoom +1, was foreseen
        at 217 px, 8 rows too short for a line, and printed none once the Jacobian alone was
        transposed; together they print 13.8 and 10 pt), or one printing scientific notation;
        together once for the run, zoom and layer (``_rearrange`` weighs the trial, and where it
        goes back each is tried alone: digits' σ′ row over its 10×32 Jacobian at zoom +3)."""
        back = {(r, self.heatmaps[r].matrix.shape[::-1], self.layer) for r in roles if r in self.transposed
                and self.heatmaps[r].isVisible() and self.heatmaps[r].values_hidden}
        candidates = self._flip_candidates(roles)
        together = not back and candidates and (tuple(candidates), self.layer) not in self._found.together_tried \
            and (len(candidates) > 1 or self.heatmaps[candidates[0]].wants_plain) \
            and candidates == [r for r in self.roles if r not in self.transposed and self.heatmaps[r].matrix is not None]
        flip = {(r, self.heatmaps[r].matrix.shape, self.layer) for r in candidates
                if together or self.heatmaps[r].prints_transposed(plain=not self.heatmaps[r].under_floor)}
        return flip, back, (tuple(candidates), self.layer) if together else None

    def _flip_candidates(self, roles: list[str]) -> list[str]:
        """Of ``roles``, those whose heatmap reads its numbers under the zoomed floor or in scientific
        notation (``Heatmap.under_floor``, ``Heatmap.wants_plain``), wider than tall, not drawn
        transposed nor tried so yet (for this run and zoom)."""
        found = []
        for r in roles:
            hm = self.heatmaps[r]
            if not hm.could_print() or not hm.isVisible() or r in self.transposed:
                continue
            if (hm.under_floor or hm.wants_plain) and hm.matrix.shape[1] > hm.matrix.shape[0] \
                    and (r, hm.matrix.shape, self.layer) not in self._found.tried:
                found.append(r)
        return found

    def _on_width_check_timeout(self) -> None:
        """Once the heatmaps shown have settled: those printing their numbers under the zoomed
        floor or none (Heatmap.under_floor) are arranged for them (``_rearrange``), two stacked
        whose rows are too short go side by side, and else the panel asks for the width they need
        (``wants_width``)."""
        self._draw_unseen()             # idle time after a key: the heatmaps out of sight drawn too
        if not self.isVisible():
            return
        if self._rearrange(settled=True):
            return                      # fitted again, and then checked again
        pair = tuple(self.roles)
        if self._columns == 1 and len(self.roles) == 2 and pair not in self._found.side_by_side and pair not in self._found.stacked:
            short = [hm for hm in (self.heatmaps[r] for r in self.roles)
                     if hm.isVisible() and (hm.numbers_height() or 0) > hm.height()]
            if short and all(self.heatmaps[r].matrix is not None and self.heatmaps[r].matrix.shape[0] > 1
                             for r in self.roles):
                m = self.layout().contentsMargins()
                both = 2 * max(self.heatmaps[r].minimumSizeHint().width() for r in pair) + self._grid.spacing() \
                    + m.left() + m.right()
                if both > width_in_sight(self):
                    self.wants_width.emit(both)     # the companion widens for both where the graph can spare it
                if both > width_in_sight(self):     # … it did not: they stay stacked (the hover for their values)
                    self._found.stacked.add(pair)
                else:
                    self._found.side_by_side.add(pair)      # stacked, rows too short for their numbers:
                    self._retry_flips(pair)
                    self._reflow_in_sight()           # side by side, each the full height
                    return                  # the heatmaps fit again, and then ask for the width they need
        width = max(self.numbers_width(), self.minimumSizeHint().width())
        if width > width_in_sight(self):
            self.wants_width.emit(width)        # the companion widens for them where the graph can spare it
        if pair in self._found.side_by_side and self.minimumSizeHint().width() > width_in_sight(self):
            self._found.side_by_side.discard(pair)    # side by side wider than the companion, which did not widen for
            self._found.stacked.add(pair)             # them (iris's update, 2 × 8×4, 592 px in 360): stacked again,
            self._reflow_in_sight()             # never scrolling sideways
            return                              # fitted again, and then checked again
        shown = [self.heatmaps[r] for r in pair]
        if self._columns == 1 and len(pair) == 2 and pair not in self._found.tall and any(hm.values_hidden for hm in shown) and all(
                hm.isVisible() and hm.under_floor and hm.could_print()
                for hm in shown):
            self._found.tall.add(pair)                # stacked and compact, neither prints a number (iris's update at zoom
            self._retry_flips(pair)
            self._reflow(self._columns, force=True)     # +3: 8 rows of 11–13 px each): each as tall as its numbers
            self._fit_compact()                 # need, the panel scrolling down, the first whole in view
            return
        self._try_compact_pair()

    def _try_compact_pair(self) -> None:
        """Two heatmaps stacked, both printing their numbers, one of them smaller than the widgets'
        font × the zoom, go compact (titles on one line, the colour bars' end labels alone, the hover
        line as a tooltip) where that gives their rows the height to print them larger: iris's
        update at 1280×720, zoom 0 (W¹ after the update and −η∂C/∂W¹, 8×4 each, 16-px rows, 8.5 pt)
        prints 10.8 and 9.9 pt in 19-px rows.  Kept, once settled, only where neither reads worse
        for it (``Heatmap.rank``) and one reads better; for the run, zoom and layer."""
        pair = tuple(self.roles)
        key = (pair, self.layer)
        if self._compact_trying:
            (tried, before), self._compact_trying = self._compact_trying, ()
            after = {r: self.heatmaps[r].rank() for r in before} if tried == key else {}
            if not after or any(after[r] < rank for r, rank in before.items()) \
                    or not any(after[r] > rank for r, rank in before.items()):
                self._found.compact_pairs.discard(tried)
                self._fit_compact()
            return
        shown = [self.heatmaps[r] for r in pair]
        if self._columns != 1 or len(pair) != 2 or key in self._found.compact_tried or pair in self._found.tall or any(
                hm.compact or not hm.isVisible() or hm.matrix is None or not hm.rank().printed for hm in shown):
            return
        top = BASE_POINT_SIZE * self.session.settings.font_scale
        if all(hm.rank().points >= top - 1e-6 for hm in shown):
            return                      # at the widgets' font already: nothing to gain
        self._found.compact_tried.add(key)
        self._found.compact_pairs.add(key)
        self._compact_trying = (key, {r: self.heatmaps[r].rank() for r in pair})
        self._fit_compact()

    def _try_compact_alone(self) -> bool:
        """A heatmap shown alone that prints no numbers, or prints them under the zoomed floor
        (Heatmap.under_floor), goes compact (its title in one line of the
        panel's size, the colour bar's end labels alone, the hover line as a tooltip), so that its
        rows get that height (iris's W¹, 8×4, at 1280×720, zoom +3 under a title bar: 20.4-px rows
        with the colour bar under the plot, where a line of the floor's font needs 21); it stays
        so for the run and zoom, drawn transposed or not (then tried so, at that size).  True when
        it changed the heatmap."""
        role = self._alone_to_compact()
        if role is None:
            return False
        hm = self.heatmaps[role]
        self._found.compact_alone.add((role, tuple(sorted(hm.matrix.shape))))
        self._fit_compact()
        return hm.compact

    def _alone_to_compact(self) -> str | None:
        """The role shown alone whose heatmap, not compact, prints its numbers under the zoomed
        floor or none though it could print them (``_try_compact_alone``); else None."""
        if len(self.roles) != 1:
            return None
        hm = self.heatmaps[self.roles[0]]
        due = hm.could_print() and hm.isVisible() and hm.under_floor and not hm.compact
        return self.roles[0] if due else None

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self.scroll.widget() and event.type() == QtCore.QEvent.Type.LayoutRequest:
            self.updateGeometry()     # a heatmap's minimum changed: the dock's scroll area sizes the panel again
        return False

    def minimumSizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        """As narrow as the bar in two rows (the lock check box under the combo box) or the
        heatmaps' grid, whichever is wider: each heatmap's own minimum keeps its numbers' figures."""
        hint = super().minimumSizeHint()
        m = self.layout().contentsMargins()
        shown = [w for w in (self._layer_label, self.layer_combo) if not w.isHidden()]
        metrics = self.lock_check.fontMetrics()
        lock = self.lock_check.sizeHint().width() + metrics.horizontalAdvance(LOCK_TEXTS[0]) \
            - metrics.horizontalAdvance(self.lock_check.text())
        two_rows = max(sum(w.sizeHint().width() for w in shown) + BAR_SPACING * (len(shown) - 1), lock)
        grid = self.scroll.widget().minimumSizeHint().width()
        return QtCore.QSize(max(two_rows, grid) + m.left() + m.right(), hint.height())

    def _columns_for(self, width: int, height: int, count: int | None = None) -> int:
        """3 columns on a wide panel, else 2, but never so many that a heatmap gets less than
        COLUMN_WIDTH pixels (the panel then scrolls down, not sideways), nor more than the
        ``count`` heatmaps (those shown, if not given)."""
        count = len(self.roles) if count is None else count
        if count == 2 and tuple(self.roles) in self._found.side_by_side:
            return 2            # stacked, their rows were too short for their numbers (_on_width_check_timeout)
        least = max(COLUMN_WIDTH, self.heatmaps["W"].minimumSizeHint().width(), *self._found.numbers_needs.values())
        fits = max(1, int((width - 24) // (least + 6)))
        return max(1, min(3 if width >= 1.4 * height else 2, fits, count))

    @property
    def _found(self) -> _Found:
        """What was found at the zoom the heatmaps are arranged for (``_Found``)."""
        return self._found_at.setdefault(self._zoom, _Found())

    def _forget_fits(self) -> None:
        """What the heatmaps' numbers were found to need (``_Found``), at every zoom: tried afresh
        for another run's matrices."""
        self._found_at.clear()
        self._compact_trying = self._trying = ()

    def _at_zoom(self, scale: float) -> bool:
        """What the heatmaps' numbers were found to need at zoom ``scale`` for this run, as found
        when last at it (nothing yet: tried afresh at its fonts); what was found at the zoom left
        is kept for it: Ctrl+0 arranges them as before zooming.  Tried afresh after Ctrl+= twice
        and Ctrl+0, wong's σ′ row and Jacobian at δ¹ (1024×768) were found another arrangement than
        at the start (both transposed).  A trial not weighed yet is left out, to be made again.
        True when the heatmaps are drawn transposed otherwise than found at this zoom (to be
        filled again): as drawn, with the trial's flips.  Compared with what was found alone, a
        trial dropped so stayed drawn: wong's δ¹ pair tried transposed together at zoom +3 and
        Ctrl+0 before it was weighed kept it at zoom 0 (12.0 / 12.0 pt, where started there it
        reads 12.0 / 10.66, as drawn)."""
        if scale == self._zoom:
            return False
        left = self._found
        drawn = left.transpose
        if self._trying:
            _, _, _, flip, together = self._trying
            left.transpose, left.tried = left.transpose - flip, left.tried - flip
            left.together_tried.discard(together)
        if self._compact_trying:
            key = self._compact_trying[0]
            left.compact_pairs, left.compact_tried = left.compact_pairs - {key}, left.compact_tried - {key}
        self._compact_trying = self._trying = ()
        self._zoom = scale
        return self._found.transpose != drawn

    def _apply_style(self) -> None:
        st = self.session.settings
        transposed_otherwise = self._at_zoom(st.font_scale)
        theme = THEMES.get(st.theme, THEMES["light"])
        for hm in self.heatmaps.values():
            hm.apply_style(theme, st.palette, st.font_scale)
        font = self.font()
        font.setPointSizeF(BASE_POINT_SIZE * st.font_scale)
        for w in (self.layer_combo, self.lock_check, self._layer_label, self._info):
            w.setFont(font)
        self._place_lock(width_in_sight(self))
        themed_panel(self, theme)
        self._fit_plot_heights()                # as tall as found at this zoom (_Found.tall): iris's δ¹ pair stayed
        # as tall as +2's numbers needed after Ctrl+0, compact and scrolling
        self._fit_compact()
        if transposed_otherwise:
            self.refresh_when_seen()

    # -- session → widget ----------------------------------------------------------------------
    def _on_run_changed(self) -> None:
        net = self.session.net
        self._locked.clear()
        self._forget_fits()                    # another run's matrices
        if self.active_roles() != self._roles:
            self._roles = self.active_roles()
            self._show_roles(force=True)
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for l in range(net.L):
            self.layer_combo.addItem(f"{l + 1}: W{sup(l + 1)} ({net.sizes[l + 1]}×{net.sizes[l]})")
        self.layer_combo.setCurrentIndex(self.layer)
        self.layer_combo.blockSignals(False)
        self._place_lock(width_in_sight(self))     # (the box as wide as its new items: the lock beside it or under)
        self.lock_check.setChecked(self.session.settings.lock_scale)
        if self.session.settings.lock_scale:
            self.refresh()
            self._lock_levels()
        self.refresh()

    def _on_step_changed(self, _view) -> None:
        self._sync_combo()
        self.refresh_when_seen()

    def _on_params_changed(self) -> None:
        if self.session.playing:     # the view is stale while training; show the live weights
            l = self.layer
            W = np.array(self.session.net.W[l])
            self._show("W", W, f"W{sup(l + 1)} while training ({_shape(W)})", True, f"j (layer {l + 1})",
                       f"i (layer {l})", f"W{sup(l + 1)}")

    def _on_selection_changed(self, _selection) -> None:
        self._sync_combo()
        self.refresh_when_seen()

    def _sync_combo(self) -> None:
        self.layer_combo.blockSignals(True)
        self.layer_combo.setCurrentIndex(self.layer)
        self.layer_combo.blockSignals(False)

    def _on_lock_scale_changed(self, locked: bool) -> None:
        self.lock_check.blockSignals(True)
        self.lock_check.setChecked(locked)
        self.lock_check.blockSignals(False)
        if locked:
            self._lock_levels()
        else:
            self._locked.clear()
            self.refresh()

    def _on_convention_changed(self, _convention: str) -> None:
        self.refresh()

    def _on_sig_figs_changed(self, _sig: int) -> None:
        self.refresh()

    def _on_style_changed(self, _value) -> None:
        self._apply_style()

    # -- widget → session ----------------------------------------------------------------------
    def _on_layer_index_changed(self, index: int) -> None:
        if index >= 0:
            self.session.select(Selection.layer(index))

    def _on_lock_toggled(self, checked: bool) -> None:
        self.session.settings.lock_scale = bool(checked)
