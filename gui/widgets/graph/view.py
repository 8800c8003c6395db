"""The network graph: layers left to right, neurons coloured by activation (or δ in the backward
pass), edges by the sign and size of w (or ∂C/∂w), with a caption, layer labels and a legend.

Custom-painted (paintEvent only, so QWidget.render exports it); geometry is computed on resize,
run and toggle changes, the drawn values on every micro-step.  Hover for live numbers, click to
select a neuron, edge or layer, double-click an edge to type a new weight.  See the package modules layout,
values, paint, legend, anim, edit and tips for the parts.
"""
from __future__ import annotations

import collections
import math
from typing import NamedTuple

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_number, sig_figs
from gui.session_types import RunView, Selection
from gui.view_settings import ZOOM_STEP
from gui.theme import BASE_POINT_SIZE, THEMES, diverging_map, sequential_map

from . import class_labels, edge_labels, input_image, legend, marks, paint, text_fit, training
from .anim import BASE_DURATION, Anim, AnimationClock, anim_kind
from .edit import EdgeEditor
from .raster import Layer, Stamps
from .layout import TEXT_PAD, VALUE_TEXT_MAX, Hit, compute_layout
from .tips import bias_tip, edge_tip, neuron_tip
from .values import edge_subset, graph_values, is_lod, lod_note

MIN_POINT_SIZE = 11.0
CAPTION_MIN_H = 360         # below this height (× zoom) the caption is left out (legend.SHORT_DROPS; the legend names the colours)
LEGEND_MIN_SCALE = 0.73     # the legend shrinks to this share of the zoom (its 11 pt keys to 8 pt, text_fit.READABLE_PT) before it takes more of the height…
LEGEND_SHARE = 0.25         # … than this share (at 640×400, 85 % of its size keeps it to one row: 70 px more for the network)
VALUE_FACTOR = 1.25        # neuron numbers at 15 pt when there is room (× zoom)
VALUE_FLOOR_PT = 8.0      # neuron numbers shrink to this (× zoom) before a column gives them up
LABELLED_SHARE = 1.8       # a layer pair with its numbers on its edges is this much wider than one without (the
                           # pair of most edges; one of fewer by the fourth root of its share of them, unless a
                           # column's neurons lose their numbers so)
UNLABELLED = (0.6, 0.3)   # … and one without numbers on its edges this much of a share (iris's 4→8 beside its 8→3):
                          # the first, the second where edge numbers are left out with the first (GraphView._relayout)
EDGE_DROPS = "layer sizes"  # where edge numbers are left out, a graph gives up its texts up to this one (legend.SHORT_DROPS)
                            # for them (the legend's note that some are left out takes a row: 31 of 32 became 25)…
EDGE_DROPS_MISSING = 0.4    # … where every one shows so, or more show so and no more than this share of them (or 12) are
                            # left out…
EDGE_DROPS_HELD = "legend keys"   # … and after Ctrl+= (holding the zoom step below's numbers) up to this one
SHARE_BLENDS = (0.0, 1 / 3, 2 / 3, 1.0)   # for the neurons' numbers the layer pairs' shares go from the planned ones (0) to equal (1)…
NUMBER_DROPS = "legend"     # … then texts are left out (legend.SHORT_DROPS) up to this one (GraphView._layout_once)
EDGE_ROOM_STEPS = (1.0, 0.8, 0.6)   # for room for the edges' numbers the largest node size, then the neurons' number
                                    # font step down to these shares (the font of its target, not under the last
                                    # share of it, nor after Ctrl+= under the zoom step below's: GraphView._edge_room)
AHEAD_MS = 100             # after a micro-step, the next one's (then the previous one's) edges are drawn ahead in idle time
ZOOM_ROUNDING = 5e-5       # Ctrl+= / Ctrl+− round the zoom to 4 decimals (gui.shell.presentation): a step below
                           # the zoom s is at most (s + this) / ZOOM_STEP + this
ZOOM_STEP_TOLERANCE = 1e-3  # a zoom this close to ZOOM_STEP times the one before is Ctrl+= (step_below)
NUMBER_STEP = 0.5          # a neuron's number font steps down by this, on a grid of its multiples (so a larger zoom
                           # never lands on a smaller size)
FIGURES_SHRINK = 0.7       # a neuron's number shrinks to this much of its font to keep its figures (4 by default), then its node grows
EDGE_NOTE = "Edge values shown: {shown} of {total} (hover an edge for its value, or zoom out)"
EDGE_NOTE_SHORT = "{shown} of {total} edge values shown"   # … on a short graph (legend.SHORT_DROPS)
NEURON_SHARE = 0.4         # a short graph drops its texts (legend.SHORT_DROPS) until its neurons have this share of its height
VALUE_TEMPLATE = "−0.0000"  # the room a neuron's number is laid out for (longer ones are fitted when drawn)…
INPUT_TEXTS_MAX = 256       # … but the input column's, where its data set has at most this many distinct inputs…
INPUT_SCAN_MAX = 200_000    # … among at most this many values (a larger one is not scanned): as wide as the widest
TIGHT_TOP = 5              # above the neurons once a short graph gives up its margins (× zoom; else 14)
SIDE = 24                  # from the widget's left and right edges to the outer columns' nodes (× zoom; a pill, up to
                           # its rings: paint.RING_REACH)
NODE_GAP = 3               # at least this much (× zoom) between two nodes side by side, each as wide as its widest number
LAYOUTS_KEPT = 32          # layouts kept (GraphView._lay_out): the last one laid out at each size, zoom and setting


class StepBelow(NamedTuple):
    """The numbers the graph drew at the zoom step below, when Ctrl+= came from there: the targets
    at the new zoom (GraphView.step_below), so that Ctrl+= never draws a number smaller."""
    zoom: float
    scale: float         # the graph's scale there: the zoom, or a step below that where it held its numbers
    neurons: float       # the neurons' number font, points
    edges: dict          # layer pair → its edge numbers' font, points
    shown: int           # edge numbers shown
    unlabelled_share: float    # its layout's options (GraphView._relayout_at_scale), where holding starts from
    class_names_under: bool
    dropped: int               # how many of legend.SHORT_DROPS it left out
    area: float                # the height of its neurons' area (a graph holding its numbers keeps it)
    width: float               # the graph's width there


class _Kept(NamedTuple):
    """A layout kept for the size, zoom and settings it was laid out at (GraphView._lay_out)."""
    step_below: StepBelow | None    # the zoom step below's numbers it held to
    state: dict                     # what the relayout set (GraphView._layout_state)
    numbers: StepBelow              # its numbers (GraphView._laid_numbers)


class _Laid:
    """One of what a relayout sets (GraphView._LAYOUT_STATE): reading it lays the graph out first
    where a resize or a setting left that to do (GraphView.settle), so that the relayouts of one
    zoom key (its setting, then the resizes as the window's docks settle) are one, at the size the
    graph is drawn at.  Kept under another name in the instance's dictionary: a Qt object's
    attribute lookup finds a name there before a descriptor of its class."""

    def __init__(self, name: str):
        self.name, self.key = name, "_laid_" + name

    def __get__(self, gv, owner=None):
        if gv is None:
            return self
        if gv.__dict__.get("_stale"):
            gv.settle()
        try:
            return gv.__dict__[self.key]
        except KeyError:
            raise AttributeError(self.name) from None

    def __set__(self, gv, value) -> None:
        gv.__dict__[self.key] = value


def smaller_pt(pt: float) -> float:
    """The next size down on the grid of NUMBER_STEP multiples: the largest multiple under ``pt``."""
    return (math.ceil(round(pt / NUMBER_STEP, 6)) - 1) * NUMBER_STEP


class GraphView(QtWidgets.QWidget):
    _LAYOUT_STATE = ("graph_layout", "value_font_", "planned_edge_numbers", "edge_note", "dropped", "legend_rows",
                     "legend_scale", "note_rows", "caption_lines", "content_top", "label_bottom", "drawn", "lines", "lod",
                     "class_names_under", "number_target", "unlabelled_share", "scale")

    def __init__(self, session: RunView, parent=None):
        super().__init__(parent)
        self._stale = False             # a relayout is due (settle)
        self.session = session
        self._input_texts: tuple = (None, ())   # (data set, figures) → its inputs' texts (input_texts)
        self._widest: dict = {}                 # (font, texts) → the widest's width (widest)
        self.show_saturation = True
        self.frame_count = 0
        self.anim: Anim | None = None
        self.edit_error = ""
        self.drawn: dict = {}
        self.lines: dict = {}
        self.lod: dict = {}
        self.texts: list = []          # text_fit.DrawnText of the last paint
        self.shapes: list = []         # (what, QRectF) of the other marks the last paint drew beside the network
                                       # (the legend's colour bars and keys, the input picture, predict mode's "?")
        self.edge_numbers_shown: tuple | None = None   # (shown, wanted) edge numbers at the last paint (edge_labels.paint)
        self.class_names_under = False  # the outputs' class names under their neurons, not beside (_relayout)
        self.unlabelled_share = UNLABELLED[0]   # a layer pair's share without numbers on its edges (_relayout)
        self.show_step_line = True     # the micro-step under the caption (off where a banner says it)
        self.step_below: StepBelow | None = None   # the numbers drawn a zoom step below, after Ctrl+= (_on_zoom_changed)
        self._laid_numbers: StepBelow | None = None   # the last layout's numbers (_lay_out)
        self._kept: collections.OrderedDict = collections.OrderedDict()   # _layout_key → _Kept (_lay_out)
        self._index: int | None = session.view.step.index
        self._clock = AnimationClock(self)
        self._clock.frame.connect(self.update)
        self._clock.finished.connect(self._on_animation_finished)
        self._ahead = QtCore.QTimer(self, singleShot=True, interval=AHEAD_MS)
        self._ahead.timeout.connect(self._on_ahead_timeout)
        self._ahead_steps: list[int] = []          # micro-steps whose edges are still to be drawn ahead
        self._editor = EdgeEditor(self)
        self.edge_layer, self.stamps = Layer(), Stamps()       # drawings kept from one paint to the next
        self._pens: tuple = (None, [])             # ((palette, scale), the edges' pens)
        self.setMouseTracking(True)
        self.setMinimumSize(240, 200)   # everything shrinks to fit (a comparison graph in a narrow dock)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        self._apply_settings()
        self._recompute(relayout=True)
        session.run_changed.connect(self._on_run_changed)
        session.step_changed.connect(self._on_step_changed)
        session.params_changed.connect(self._on_params_changed)
        session.selection_changed.connect(self._on_selection_changed)
        if getattr(session, "quiz", None) is not None:          # Predict mode's "?" and worksheet marks
            session.quiz.changed.connect(self.update)
        st = session.settings
        for changed in (st.show_bias_changed, st.split_neurons_changed, st.sig_figs_changed):
            changed.connect(self._on_geometry_setting_changed)
        st.font_scale_changed.connect(self._on_zoom_changed)
        for changed in (st.theme_changed, st.palette_changed, st.convention_changed, st.animate_changed, st.speed_changed,
                        st.mazur_names_changed):
            changed.connect(self._on_drawing_setting_changed)

    # -- public state ------------------------------------------------------------------------
    @property
    def animating(self) -> bool:
        return self._clock.running

    @property
    def anim_t(self) -> float:
        return self._clock.progress if self.anim is not None else 1.0

    @property
    def editor(self) -> QtWidgets.QLineEdit | None:
        return self._editor.line_edit

    def set_show_saturation(self, on: bool) -> None:
        self.show_saturation = bool(on)
        self.update()

    def node_values(self) -> list:
        """Per column k = 0..L: the values drawn on the neurons (the σ nodes when split), None grey."""
        return list(self.values.nodes)

    def sum_values(self) -> list:
        """Per column: the values on the Σ nodes of split neurons (None when not split or unknown)."""
        return list(self.values.sums)

    def edge_values(self) -> list:
        """Per weight layer l: the full matrix the edge colours come from (W or ∂C/∂W), or None."""
        return list(self.values.edges)

    def bias_values(self) -> list:
        return list(self.values.bias)

    def caption(self) -> str:
        return self.values.caption

    def lod_notes(self, short: bool = False) -> list[str]:
        sizes = self.session.net.sizes
        return [n for n in (lod_note(sizes, l, short=short) for l in range(len(sizes) - 1)) if n]

    def notes(self, short: bool | None = None) -> list[str]:
        """The notes under the graph: the level-of-detail ones, and where edge numbers are left
        out for want of room (``edge_note``), how many are shown at this micro-step; in their short
        wording where ``short`` (None: where a short graph gave up the long one); none where a short
        graph gave up its notes (legend.SHORT_DROPS)."""
        dropped = getattr(self, "dropped", ())
        if "notes" in dropped:
            return []
        short = "long notes" in dropped if short is None else short
        notes = self.lod_notes(short)
        if getattr(self, "edge_note", False):
            shown, total = self.edge_numbers_shown or self.planned_edge_numbers[0:3:2]
            if shown < total or self.edge_numbers_shown is None:
                notes.append((EDGE_NOTE_SHORT if short else EDGE_NOTE).format(shown=shown, total=total))
        return notes

    def node_pos(self, k: int, j: int, kind: str = "neuron") -> QtCore.QPoint:
        lay = self.graph_layout
        x = lay.in_x[k] if kind == "sum" else lay.out_x[k]
        return QtCore.QPoint(round(x), round(float(lay.ys[k][j])))

    def edge_pos(self, l: int, j: int, i: int, t: float = 0.3) -> QtCore.QPoint:
        x1, y1, x2, y2 = self.graph_layout.edge_lines(l, [j], [i])[0]
        return QtCore.QPoint(round(x1 + t * (x2 - x1)), round(y1 + t * (y2 - y1)))

    def label_pos(self, k: int) -> QtCore.QPoint:
        return QtCore.QPoint(round(self.graph_layout.xs[k]), round(self.graph_layout.bottom + 20 * self.scale))

    def hit_at(self, pos) -> Hit | None:
        x, y, lay = float(pos.x()), float(pos.y()), self.graph_layout
        return (lay.node_at(x, y) or lay.edge_at(x, y, self.drawn, 5.0 * self.scale)
                or lay.column_at(x, y, self.label_bottom))

    def tooltip_text(self, pos) -> str:
        hit, view = self.hit_at(pos), self.session.view
        if hit is None or hit.kind == "column":
            return ""
        if hit.kind in ("neuron", "sum"):
            act = self.session.net.activations[hit.k - 1].name if hit.k else ""
            return neuron_tip(view, hit.k, hit.j, act)
        if hit.kind == "edge":
            return edge_tip(view, hit.k, hit.j, hit.i)
        return bias_tip(view, hit.k, hit.j if hit.kind == "bias_edge" else None)

    # -- fonts and colours -------------------------------------------------------------------
    def font_at(self, factor: float = 1.0, bold: bool = False, scale: float | None = None) -> QtGui.QFont:
        f = QtGui.QFont(self.font())
        f.setPointSizeF(max(MIN_POINT_SIZE, BASE_POINT_SIZE * factor) * (self.scale if scale is None else scale))
        f.setBold(bold)
        return f

    @property
    def pens(self) -> list[QtGui.QPen]:
        """The edges' pens (paint.edge_pens) in the palette's colours at the graph's scale."""
        key = (self.palette, self.scale)
        if self._pens[0] != key:
            self._pens = (key, paint.edge_pens(self._div, self.scale))
        return self._pens[1]

    def value_font(self, k: int) -> QtGui.QFont | None:
        return self.value_font_ if self.graph_layout.show_values(k) else None

    def set_show_step_line(self, on: bool) -> None:
        self.show_step_line = bool(on)
        self._recompute(relayout=True)      # (a new _layout_key)

    def number_floor_pt(self, font: QtGui.QFont | None = None) -> float:
        """The smallest size a neuron's number shrinks to: FIGURES_SHRINK of the neurons' number
        font (``font``, None: the view's), never under VALUE_FLOOR_PT nor the words' floor
        text_fit.READABLE_PT × zoom (nor over the font itself)."""
        pt = (self.value_font_ if font is None else font).pointSizeF()
        return min(max(pt * FIGURES_SHRINK, VALUE_FLOOR_PT, text_fit.READABLE_PT * self.scale), pt)

    def node_number(self, k: int, value: float) -> tuple[str, QtGui.QFont, float]:
        """(text, font, half width of the node) of a neuron of column k carrying ``value``: the
        number at the View's figures, plain or else in the shorter notation, in the neurons' number
        font shrunk (to number_floor_pt at most) to fit the node; where even that does not fit, the
        node is drawn wider (up to ``number_half_w``) rather than a figure dropped."""
        lay, font = self.graph_layout, self.value_font_
        _x, _y, w, h = lay.text_rect(k, 0.0, 0.0)
        floor = self.number_floor_pt()
        texts = list(dict.fromkeys([format_number(value), format_number(value, shortest=True)]))
        for text in texts:
            f = QtGui.QFont(font)
            while True:
                fm = QtGui.QFontMetricsF(f)
                if fm.horizontalAdvance(text) <= w and fm.height() <= h:
                    return text, f, lay.half_w[k]
                if f.pointSizeF() <= floor + 1e-9:
                    break
                f.setPointSizeF(max(smaller_pt(f.pointSizeF()), floor))
        text = min(texts, key=QtGui.QFontMetricsF(f).horizontalAdvance)
        return text, f, max(lay.half_w[k], QtGui.QFontMetricsF(f).horizontalAdvance(text) / 2 + TEXT_PAD)

    def input_texts(self) -> tuple[str, ...]:
        """Every number the input column may carry, at the View's figures: the data set's inputs
        (the input column shows only them), () where it has more than INPUT_TEXTS_MAX distinct ones
        (then the input column is laid out for any number, as the others are)."""
        run = getattr(self.session, "run", None)              # (the main session's run or the comparison's)
        X = getattr(getattr(run, "train", None), "X", None)
        if X is None or self.session.net.sizes[0] > VALUE_TEXT_MAX:
            return ()
        key = (id(X), X.shape, sig_figs())
        if self._input_texts[0] != key:
            values = np.unique(np.asarray(X, float)) if X.size <= INPUT_SCAN_MAX else ()
            texts = tuple(dict.fromkeys(format_number(float(v)) for v in values)) if len(values) <= INPUT_TEXTS_MAX else ()
            self._input_texts = (key, texts)
        return self._input_texts[1]

    def value_widths(self, fm: QtGui.QFontMetricsF) -> list | None:
        """compute_layout's ``value_ws`` for the neurons' number font of ``fm``: the input column as
        wide as its data set's widest input needs where that is narrower than VALUE_TEMPLATE (mazur's
        0.05 and 0.1, xor's 0 and 1), the others VALUE_TEMPLATE; None where the inputs are not known."""
        texts = self.input_texts()
        if not texts:
            return None
        template = fm.horizontalAdvance(VALUE_TEMPLATE)
        widest = self.widest(fm, texts)
        return [min(widest, template)] + [template] * (len(self.session.net.sizes) - 1)

    def widest(self, fm: QtGui.QFontMetricsF, texts: tuple) -> float:
        """The widest of ``texts`` in the font of ``fm``, measured once per font and texts (a
        relayout asks thousands of times: iris's 119 inputs)."""
        key = (fm.height(), fm.averageCharWidth(), fm.horizontalAdvance(VALUE_TEMPLATE), texts)
        if key not in self._widest:
            if len(self._widest) > 256:
                self._widest.clear()
            self._widest[key] = max(fm.horizontalAdvance(t) for t in texts)
        return self._widest[key]

    def number_half_w(self, k: int, lay=None, font: QtGui.QFont | None = None) -> float:
        """The widest a node of column k is drawn (``node_number``): as wide as the widest number at
        the View's figures at number_floor_pt needs, where its own width does not hold that (on
        layout ``lay`` with the neurons' numbers in ``font``; None: the view's)."""
        lay = self.graph_layout if lay is None else lay
        if not lay.show_values(k) or lay.strip[k]:
            return lay.half_w[k]
        f = QtGui.QFont(self.value_font_ if font is None else font)
        f.setPointSizeF(self.number_floor_pt(f))
        fm = QtGui.QFontMetricsF(f)
        widest = self.widest(fm, (k == 0 and self.input_texts()) or edge_labels.number_templates(sig_figs()))
        room = lay.text_rect(k, 0.0, 0.0)[2]
        return lay.half_w[k] if widest <= room else max(lay.half_w[k], widest / 2 + TEXT_PAD)

    def numbers_every_neuron(self) -> bool:
        """Does the graph, as laid out now, draw the number of every neuron of its columns of at most
        VALUE_TEXT_MAX (what the shell asks of a comparison's graph that lends the main one height)?"""
        lay = self.graph_layout
        return self.numbered(lay, self.value_font_, [k for k, n in enumerate(lay.sizes) if n <= VALUE_TEXT_MAX])

    def numbered(self, lay, font: QtGui.QFont, wanted: list) -> bool:
        """Do the ``wanted`` columns of layout ``lay`` carry their numbers in ``font``, each node as
        wide as its widest number draws it (number_half_w) still NODE_GAP × zoom clear of the next
        node to the side (a Σ node and its σ node, a column and the next)?"""
        if not all(lay.show_values(k) for k in wanted):
            return False
        half = [self.number_half_w(k, lay, font) if k in wanted else max(lay.half_w[k], lay.strip_w / 2)
                for k in range(len(lay.sizes))]
        gap = NODE_GAP * self.scale
        for k in range(len(lay.sizes)):
            if lay.split and k > 0 and lay.out_x[k] - lay.in_x[k] < 2 * half[k] + gap:
                return False
            if k < lay.L and lay.in_x[k + 1] - lay.out_x[k] < half[k] + half[k + 1] + gap:
                return False
        return True

    def node_rgba(self, values, k: int, which: str, n: int) -> np.ndarray:
        if which == "sums":
            return paint.rgba(values.sums[k], values.sum_levels, self._div, self._neutral, n)
        if which == "nodes" and values.shows_z(k):
            return paint.rgba(values.nodes[k], values.sum_levels, self._div, self._neutral, n)
        cmap = self._div if values.node_signed else self._seq
        return paint.rgba(values.nodes[k], values.node_levels, cmap, self._neutral, n)

    # -- session signals ---------------------------------------------------------------------
    def _on_run_changed(self) -> None:
        self._clock.stop()
        self._editor.cancel()
        self._index = None
        self.step_below = self._laid_numbers = None
        self._kept.clear()
        self._recompute(relayout=True)

    def _on_step_changed(self, view) -> None:
        self._clock.stop()
        prev = self.values
        self._recompute()
        idx = view.step.index
        if (self.session.settings.animate and self._index is not None and idx == self._index + 1
                and not self.session.playing):
            self.anim = Anim(*anim_kind(view.step), prev)
            self._clock.start(BASE_DURATION / max(float(self.session.settings.speed), 0.05))
        self._index = idx
        self._ahead_steps = [idx + 1, idx - 1]
        self._ahead.start()

    def _on_ahead_timeout(self) -> None:
        """Idle time after a micro-step (and after its animation): draw the still edges of the next
        micro-step, then, a tick later, of the previous one, so that the key going there finds them
        drawn (paint.prepare_edges).  Not the update's before it is applied: its weights are not
        known yet."""
        s = self.session
        stepper = getattr(s, "stepper", None)
        if stepper is None or s.playing or not self.isVisible() or not self._ahead_steps:
            return
        if self.anim is not None:
            self._ahead.start()
            return
        k = self._ahead_steps.pop(0)
        if 0 <= k <= stepper.last and (k < stepper.last or stepper.updated):
            st = s.settings
            with np.errstate(over="ignore", invalid="ignore"):
                values = graph_values(stepper.view(k), st.split_neurons, st.show_bias)
            paint.prepare_edges(self, values)
        if self._ahead_steps:
            self._ahead.start()

    def _on_params_changed(self) -> None:
        if self.session.playing:      # training: the edges follow the live weights
            self._recompute()

    def _on_selection_changed(self, selection) -> None:
        self.update()

    def _on_geometry_setting_changed(self, _value) -> None:
        self.step_below = self._laid_numbers = None
        self._kept.clear()
        self._clock.stop()
        self._apply_settings()
        self._recompute(relayout=True)

    def _on_zoom_changed(self, zoom: float) -> None:
        """Ctrl+= by one step above the normal size: the numbers of the last layout, at the zoom
        before, are the targets at the new one (step_below); any other zoom change drops them.  The
        normal size and below are always laid out afresh, so that Ctrl+0 (from −1 too, which is a
        step up) draws the graph exactly as at the start."""
        laid = self._laid_numbers
        step_in = laid is not None and zoom > 1.0 + ZOOM_ROUNDING and abs(zoom / laid.zoom - ZOOM_STEP) < ZOOM_STEP_TOLERANCE
        self.step_below = laid if step_in else None
        self._clock.stop()
        self._apply_settings()
        self._recompute(relayout=True)

    def _on_drawing_setting_changed(self, _value) -> None:
        self._clock.stop()
        self._apply_settings()
        self._recompute(relayout=False)

    def _on_animation_finished(self) -> None:
        self.anim = None
        self.update()

    # -- computing what is drawn --------------------------------------------------------------
    def _apply_settings(self) -> None:
        st = self.session.settings
        self.zoom = self.scale = max(float(st.font_scale), 0.5)     # (scale: the graph's, _relayout)
        self.theme = THEMES.get(st.theme, THEMES["light"])
        self.palette = st.palette
        self._div, self._seq = diverging_map(st.palette), sequential_map(st.palette)
        fill = QtGui.QColor(self.theme.panel)
        mid = QtGui.QColor(self.theme.edge_neutral)
        self.neutral_fill = QtGui.QColor((fill.red() + mid.red()) // 2, (fill.green() + mid.green()) // 2,
                                         (fill.blue() + mid.blue()) // 2)
        self._neutral = np.array(self.neutral_fill.getRgb(), dtype=np.uint8)

    def _recompute(self, relayout: bool = False) -> None:
        """The drawn values for the session's micro-step; with ``relayout`` (or another network) the
        geometry too, when it is next read or painted (settle)."""
        st, s = self.session.settings, self.session
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights: ∂C/∂a shows as ∞ / nan
            self.values = graph_values(s.view, st.split_neurons, st.show_bias,
                                       weights=(s.net.W, s.net.b) if s.playing else None)
        laid = self.__dict__.get("_laid_graph_layout")
        if relayout or self._stale or laid is None or laid.sizes != list(s.net.sizes):
            self._stale = True
        else:
            self._place_edges(relayout=False)
        self.update()

    def settle(self) -> None:
        """Lay the graph out now if a resize or setting change left that to do (_relayout): what
        reads the layout and the next paint call it, so a zoom key whose window settles in a few
        resizes lays the graph out once, at the size it is drawn at."""
        if self._stale:
            self._stale = False
            self._lay_out()
            self._place_edges(relayout=True)

    def _place_edges(self, relayout: bool) -> None:
        """Which edges are drawn (edge_subset: a level-of-detail pair's follow the values) and their lines."""
        sizes, s = self.graph_layout.sizes, self.session
        for l in range(len(sizes) - 1):
            self.lod[l] = is_lod(sizes, l)
            if self.lod[l] or l not in self.drawn or len(self.drawn[l][0]) != sizes[l] * sizes[l + 1] or relayout:
                self.drawn[l] = edge_subset(sizes, l, self.values.edges[l], s.net.W[l])
                self.lines[l] = self.graph_layout.edge_lines(l, *self.drawn[l])

    def _relayout(self) -> None:
        """Geometry for the widget's size at the graph's scale: the zoom's (_relayout_at_scale) but
        after Ctrl+= (step_below), where the graph holds its numbers if it cannot grow them all.
        After Ctrl+= it starts from the step below's layout options (the layer pairs' shares, the
        class names' place, the texts left out, EDGE_DROPS_HELD more where that is what keeps the
        numbers) at the zoom's scale, kept if no neuron's or edge's number is smaller than the step
        below drew it; else the graph holds them: laid out at the step below's scale (its side
        margins, nodes, legend and caption as there too), its neurons' number font and their area
        no larger than there, leaving out more of legend.SHORT_DROPS, one more at a time while its
        neurons' area is shorter than there (and leaving one out shows more numbers where some are
        left out), until no number is smaller (the layout with the numbers
        nearest to the step below's otherwise).  Where the step below held already, or the graph is
        narrower than there, this step holds without trying the zoom's scale (its room shrank)."""
        below = self.step_below
        if below is None:
            self.scale = self.zoom
            self._relayout_at_scale()
            return
        grows = below.scale >= below.zoom - 1e-9 and self.width() >= below.width
        attempts = [(self.zoom, None, below.dropped)] if grows else []
        attempts += [(below.scale, below, least) for least in range(below.dropped, len(legend.SHORT_DROPS) + 1)]
        self.unlabelled_share, self.class_names_under = below.unlabelled_share, below.class_names_under
        self.edge_numbers_shown = None
        best = last = None
        for self.scale, held, least in attempts:
            self._relayout_once(least, held)
            short = self._short_of(below)
            if best is None or short < best[1]:
                best = (self._layout_state(), short)
            if short == (0, 0.0) or held is not None and (
                    self.graph_layout.bottom - self.graph_layout.top >= held.area - 0.5 or short[0] and short == last):
                break          # (held as tall as there, or still as many numbers left out: more texts left out give no more)
            last = short if held is not None else None
        self._restore_layout(best[0])

    def _lay_out(self) -> None:
        """_relayout, and what its numbers are (_laid_numbers: a zoom step below's for Ctrl+=); or
        the layout last laid out at this size, zoom and settings (_layout_key), where it held to the
        same step below or no step below is given (Ctrl+−, or the window going back to a size): a
        zoom key back and forth gives back the layout it left, with the step below it held to, and
        costs no relayout (0.2–0.5 s each for iris).  LAYOUTS_KEPT of them, the run's."""
        key = self._layout_key()
        kept = self._kept.get(key)
        if kept is not None and (self.step_below is None or kept.step_below == self.step_below):
            self._kept.move_to_end(key)
            self._restore_layout({name: dict(v) if isinstance(v, dict) else v for name, v in kept.state.items()})
            self.step_below, self._laid_numbers, self.edge_numbers_shown = kept.step_below, kept.numbers, None
            return
        self._relayout()
        shown, _on_edges, _wanted, _pt, edges = self.planned_edge_numbers
        self._laid_numbers = StepBelow(self.zoom, self.scale, self.value_font_.pointSizeF(), dict(edges), shown,
                                       self.unlabelled_share, self.class_names_under, len(self.dropped),
                                       self.graph_layout.bottom - self.graph_layout.top, self.width())
        state = {name: dict(v) if isinstance(v, dict) else v for name, v in self._layout_state().items()}
        self._kept[key] = _Kept(self.step_below, state, self._laid_numbers)
        if len(self._kept) > LAYOUTS_KEPT:
            self._kept.popitem(last=False)

    def _layout_key(self) -> tuple:
        """What a layout depends on besides the run (whose change forgets the layouts kept): the
        size, the zoom, the network's shape and the settings that move or name what is drawn."""
        st, quiz = self.session.settings, getattr(self.session, "quiz", None)
        return (self.width(), self.height(), round(self.zoom, 6), tuple(self.session.net.sizes), bool(st.split_neurons),
                bool(st.show_bias), sig_figs(), bool(st.mazur_names), st.convention, self.show_step_line,
                self.font().key(), quiz is not None and bool(quiz.active))

    def _short_of(self, below: StepBelow | None) -> tuple[int, float]:
        """(edge numbers fewer, the most points a number is smaller) than the step below drew them."""
        if below is None:
            return 0, 0.0
        shown, _on_edges, _wanted, _pt, edges = self.planned_edge_numbers
        short = [below.neurons - self.value_font_.pointSizeF()] + [pt - dict(edges).get(l, 0.0)
                                                                    for l, pt in below.edges.items()]
        return max(below.shown - shown, 0), round(max(max(short), 0.0), 2)

    def edge_targets(self) -> dict:
        """Layer pair → the size its edge numbers are planned to reach (_edge_room): EDGE_FLOOR_PT ×
        the graph's scale where there is room, at least the size the zoom step below drew them at."""
        floor = edge_labels.EDGE_FLOOR_PT * self.scale
        below = {} if self.step_below is None else self.step_below.edges
        sizes = self.session.net.sizes
        return {l: max(floor, below.get(l, 0.0)) for l in range(len(sizes) - 1)}

    def _relayout_at_scale(self) -> None:
        """Geometry for the widget's size at the graph's scale: the largest number font (from the
        zoomed base size down to VALUE_FLOOR_PT) at which every column of at most VALUE_TEXT_MAX
        neurons carries its numbers, never under the zoom step below's where the room can be found
        (_layout_once).
        Where edge numbers are left out even so, once more with the legend's note that says so
        (``edge_note``) if that note changes the room under the neurons; then, if some are still left
        out (at most EDGE_DROPS_MISSING of them, or 12: one more layout costs 0.1–0.5 s), once more
        with legend.SHORT_DROPS up to EDGE_DROPS left out, kept where more show so.  Where edge
        numbers are left out even then and the outputs have class names, all of that once more with
        the names under their neurons (class_labels, ``class_names_under``) rather than beside them,
        kept where they fit there, no more texts are left out (legend.SHORT_DROPS) and more edge
        numbers show so, or as many and the neurons' numbers get a larger font (where it did not
        reach ``number_target``: spirals at 1024×768).  The same for a layer pair without numbers
        on its edges beside one with them: its share of the width the second of UNLABELLED (iris at
        1024×768 zoom +2 and +3: the first keeps its 32 edges visible where there is room)."""
        self.edge_numbers_shown = None
        sizes = self.session.net.sizes
        narrower = any(not edge_labels.labelled(sizes, l) for l in range(len(sizes) - 1)) and any(
            edge_labels.labelled(sizes, l) and not is_lod(sizes, l) for l in range(len(sizes) - 1))
        options = [(u, under) for under in (False, True) for u in UNLABELLED[:2 if narrower else 1]
                   if not under or self.session.class_names() is not None]

        def rank() -> tuple:
            return (*self.planned_edge_numbers[:2], round(self.value_font_.pointSizeF(), 2))
        first = best = None
        edge_drops = legend.SHORT_DROPS.index(EDGE_DROPS) + 1     # (texts left out for more edge numbers: no loss here)
        for self.unlabelled_share, self.class_names_under in options:
            self._relayout_once()
            if first is None:
                first = best = (self._layout_state(), rank())
            elif ((not self.class_names_under or class_labels.label_rects(self)) and rank() > best[1] and (
                    len(self.dropped) <= len(first[0]["dropped"])
                    or len(self.dropped) <= edge_drops and rank()[0] > first[1][0])):
                best = (self._layout_state(), rank())
            shown, _on_edges, wanted, _pt, _edges = best[0]["planned_edge_numbers"]
            if shown == wanted and best[0]["value_font_"].pointSizeF() >= self.number_target - 1e-6:
                break                         # every edge number, and the neurons' numbers at their floor
        self._restore_layout(best[0])

    def _relayout_once(self, least: int = 0, held: StepBelow | None = None) -> None:
        """_relayout with the class names where ``class_names_under`` puts them, at least the first
        ``least`` texts of legend.SHORT_DROPS left out, holding the numbers of ``held`` (_layout_once).
        Where edge numbers are left out, with the legend's note saying how many show; where few are
        (EDGE_DROPS_MISSING), first (laid out afresh) with the texts up to EDGE_DROPS left out and no
        note, kept where every one shows so, and after the note with the texts up to EDGE_DROPS
        (EDGE_DROPS_HELD after Ctrl+=) left out, kept where more show so."""
        self.edge_note = False
        self.edge_note = self._layout_once(least, held)
        edge_drops = legend.SHORT_DROPS.index(EDGE_DROPS if self.step_below is None else EDGE_DROPS_HELD) + 1

        def few_left_out() -> bool:
            shown, _on_edges, wanted, _pt, _edges = self.planned_edge_numbers
            return self.edge_note and wanted - shown <= max(EDGE_DROPS_MISSING * wanted, 12)
        if few_left_out() and self.step_below is None and len(self.dropped) < edge_drops:
            kept, self.edge_note = self._layout_state(), False
            if not self._layout_once(edge_drops, held):
                return              # every edge number with the texts up to EDGE_DROPS left out, no note needed
            self._restore_layout(kept)
        if self.edge_note:
            planned = (self.dropped, self.note_rows)
            self._furnish(self.dropped)
            if (self.dropped, self.note_rows) != planned:
                self.edge_note = self._layout_once(least, held)

        def rank() -> tuple:
            return (*self.planned_edge_numbers[:2], -self._short_of(self.step_below)[1])
        if len(self.dropped) < edge_drops and (few_left_out() or self._short_of(self.step_below)[1] > 0):
            kept, kept_rank = self._layout_state(), rank()
            self.edge_note = self._layout_once(edge_drops, held)
            if rank() <= kept_rank:
                self._restore_layout(kept)

    def _layout_state(self) -> dict:
        """What a relayout sets (_LAYOUT_STATE), to try another and keep the better."""
        return {name: getattr(self, name) for name in self._LAYOUT_STATE}

    def _restore_layout(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    def _furnish(self, dropped: tuple) -> float:
        """The texts under the neurons with ``dropped`` (of legend.SHORT_DROPS) left out: sets the
        legend's rows and scale (smaller, to LEGEND_MIN_SCALE, where it would take more than
        LEGEND_SHARE of the height) and the notes' own rows; returns the height they all take."""
        s = self.scale
        self.dropped, self.legend_rows, self.legend_scale = tuple(dropped), 0, s
        shown, keys = "legend" not in dropped, "legend keys" not in dropped
        legend_h = 0.0
        while shown:
            self.legend_rows = legend.legend_rows(self.width(), self.legend_scale, keys)
            legend_h = self.legend_rows * legend.ROW_H * self.legend_scale
            if legend_h <= self.height() * LEGEND_SHARE or self.legend_scale <= LEGEND_MIN_SCALE * s:
                break
            self.legend_scale = max(self.legend_scale - 0.05 * s, LEGEND_MIN_SCALE * s)
        self.note_rows = legend.note_rows(self.notes(), self.width(), s, self.font_at(0.9), self.legend_scale,
                                          keys, shown)
        pad = 1 if "margins" in dropped else 8
        return legend.labels_height(dropped, s) + (self.note_rows * legend.NOTE_H + pad) * s + legend_h

    def _layout_once(self, least: int = 0, held: StepBelow | None = None) -> bool:
        """One layout (see _relayout), the notes' rows planned for ``notes()``; whether edge numbers
        are left out at the places planned for them.  A short graph leaves out its texts in the
        order of legend.SHORT_DROPS (the caption first, always below CAPTION_MIN_H × zoom) until,
        with the neurons' numbers at VALUE_FLOOR_PT, every column of at most VALUE_TEXT_MAX neurons
        carries them and the neurons have NEURON_SHARE of the height (or nothing is left to drop);
        at ``least`` the first ``least`` of them.  ``held``: the zoom step below, whose numbers this
        layout holds: the neurons' number font no larger than there, their area no taller."""
        max_h = None if held is None else held.area
        s, st = self.scale, self.session.settings
        self.drawn, self.lines, self.lod = {}, {}, {}
        caption_lines = (1 + (self.show_step_line or legend.caption_splits(self)))
        font = self.font_at(VALUE_FACTOR, bold=True)
        floor = VALUE_FLOOR_PT                  # absolute: zooming in never takes the numbers away
        right = class_labels.margin(self.session, self.font_at(1.0), self.width(), s, under=self.class_names_under)
        under_h = class_labels.under_room(self) if self.class_names_under else 0.0

        sizes = self.session.net.sizes
        wanted = [k for k, n in enumerate(sizes) if n <= VALUE_TEXT_MAX]
        edges = [sizes[l] * sizes[l + 1] if edge_labels.labelled(sizes, l) and not is_lod(sizes, l) else 0
                 for l in range(len(sizes) - 1)]
        shares = [LABELLED_SHARE * (n / max(edges)) ** 0.25 if n else self.unlabelled_share for n in edges]
        equal = [LABELLED_SHARE if n else 1.0 for n in edges]
        widths = shares
        bottom = left = top = 0.0

        def layout_at(f: QtGui.QFont, share: float = 1.0, shares: list | None = None):   # share: of the largest node size (_edge_room)
            fm = QtGui.QFontMetricsF(f)
            return compute_layout(self.session.net.sizes, self.width(), self.height(),
                                  split=st.split_neurons, bias=st.show_bias, top=top, bottom=bottom,
                                  side=SIDE * s, left=left, right=right, max_radius=46 * s * share, strip_w=22 * s, split_label_h=26 * s,
                                  value_w=fm.horizontalAdvance(VALUE_TEMPLATE), value_h=fm.height(),
                                  widths=widths if shares is None else shares, under_h=under_h,
                                  value_ws=self.value_widths(fm), first_x=label_x, max_h=max_h,
                                  keep=paint.RING_REACH * s + 1)

        label_x = 0.0                           # a narrow input column's centre leaves its label room
        if self.input_texts():
            label_x = 4 * s + max(QtGui.QFontMetricsF(self.font_at(1.1, bold=True)).horizontalAdvance(legend.layer_label(0, 1)),
                                  QtGui.QFontMetricsF(self.font_at(0.9)).horizontalAdvance(legend.layer_size(self, 0))) / 2
        smallest = QtGui.QFont(font)
        smallest.setPointSizeF(floor)
        def furnish(n: int) -> tuple[bool, bool]:
            """The first ``n`` of legend.SHORT_DROPS left out: (the numbers fit at the floor, the
            neurons have their share of the height)."""
            nonlocal bottom, top, left
            bottom = self._furnish(legend.SHORT_DROPS[:n])
            self.caption_lines = 0 if "caption" in self.dropped else caption_lines
            self.content_top = ((36 if self.caption_lines else 0) + (24 if self.caption_lines > 1 else 0)) * s
            top = self.content_top + (TIGHT_TOP if "margins" in self.dropped else 14) * s   # (content_top: the caption's
            left = input_image.margin(sizes[0], self.width(), self.height() - top - bottom, s)   # bottom, names stay under it)
            lay = layout_at(smallest, shares=equal)       # (the shares the numbers fall back to, below)
            share = NEURON_SHARE * self.height() if max_h is None else min(NEURON_SHARE * self.height(), max_h - 0.5)
            return all(lay.show_values(k) for k in wanted), lay.bottom - lay.top >= share

        def largest(top: float, above: float) -> tuple[QtGui.QFont, object] | None:
            """The largest neurons' number font from ``top`` points down to over ``above`` (the
            zoomed font, then the NUMBER_STEP grid, to the floor), at which every column of at most
            VALUE_TEXT_MAX neurons carries its numbers (numbered), and its layout; None if none does."""
            f = QtGui.QFont(font)
            f.setPointSizeF(top)
            while f.pointSizeF() > above + 1e-9:
                lay = layout_at(f)
                if self.numbered(lay, f, wanted):
                    return f, lay
                if f.pointSizeF() <= floor:
                    return None
                f.setPointSizeF(max(smaller_pt(f.pointSizeF()), floor))
            return None

        levels = range(max(int(self.height() < CAPTION_MIN_H * s), least), len(legend.SHORT_DROPS) + 1)
        roomy = None
        for n in levels:
            numbers, room = furnish(n)
            if numbers and room:
                break
            roomy = n if room and roomy is None else roomy
        else:              # where the numbers do not fit even so (too narrow), only for the neurons' share
            if not numbers and roomy is not None:
                furnish(n := roomy)
        # The neurons' numbers win: at least as large as the zoomed font one zoom step below (so
        # Ctrl+= never makes them smaller), the layer pairs' shares going from the planned ones
        # towards equal, then the texts up to NUMBER_DROPS left out, until they are (the first that
        # reaches it, in its largest font); where none does, the largest font of them all, a graph
        # that leaves out none of its texts keeping them (the fewest, the planned shares on a tie).
        if held is not None:
            font.setPointSizeF(min(font.pointSizeF(), held.neurons))
        zoomed = font.pointSizeF()
        if self.step_below is not None:             # (after Ctrl+=: the font drawn there)
            below = self.step_below.neurons
        else:                                       # the zoom a step below, as large as it may be
            below = self.font_at(VALUE_FACTOR, bold=True, scale=(s + ZOOM_ROUNDING) / ZOOM_STEP + ZOOM_ROUNDING).pointSizeF()
        target = max(min(zoomed, below), floor)
        self.number_target = target
        blends = list(dict.fromkeys(tuple(p + t * (1.0 - p) for p in shares) for t in SHARE_BLENDS))
        options = [(level, w) for level in range(n, max(n, legend.SHORT_DROPS.index(NUMBER_DROPS) + 1) + 1)
                   for w in blends]
        furnished = n

        def under(level: int, w: tuple) -> None:
            """The layout's room with the first ``level`` texts left out and the shares ``w``."""
            nonlocal furnished, widths
            if level != furnished:
                furnish(furnished := level)
            widths = w

        best = None                                 # (font, layout, option)
        for option in options:
            under(*option)
            found = largest(target, target - 1e-6)             # numbered at the target?
            if found is not None:
                best = (*(largest(zoomed, target) or found), option)
                break
        else:
            for option in [o for o in options if n or o[0] == n] if target > floor else ():
                under(*option)
                found = largest(max(smaller_pt(target), floor), floor - 1.0 if best is None else best[0].pointSizeF())
                if found is not None:
                    best = (*found, option)
        if best is None:                            # numbered nowhere: equal shares (the most room each) at the floor
            best = (smallest, None, (n, blends[-1]))
        font, lay, option = best
        if option != (furnished, widths) or lay is None:
            under(*option)
            lay = layout_at(font)
        least = target if self.step_below is not None else max(VALUE_FLOOR_PT, target * EDGE_ROOM_STEPS[-1])   # (Ctrl+=)
        font, lay, self.planned_edge_numbers = self._edge_room(font, lay, layout_at, wanted, target,
                                                               min(least, font.pointSizeF()))
        self.graph_layout, self.value_font_ = lay, font
        self.label_bottom = lay.bottom + legend.labels_height(self.dropped, s)
        shown, _on_edges, total, _pt, _edges = self.planned_edge_numbers
        return shown < total

    def _edge_room(self, font: QtGui.QFont, lay, layout_at, wanted: list, target: float, least: float):
        """(font, layout, planned edge numbers) with room for the numbers on the edges: where the
        edge numbers of the labelled layer pairs, planned for their widest numbers
        (edge_labels.plan), do not all find a place on their own edges at their targets
        (edge_targets: EDGE_FLOOR_PT × the graph's scale, or the size the zoom step below drew them
        at) or more, the largest node size steps down (by EDGE_ROOM_STEPS) with the neurons' number
        font at ``target`` (the neurons' target, or ``font`` where they had no room for it), then
        the font steps down by the same shares of that, never under ``least`` points, every column
        keeping its numbers: the layout that shows the most of them, then the most on their own
        edges (not on leaders), then (at that font, not under it) the nearest to their targets, then
        the largest neurons' numbers.  The steps are shares of the target, not of what the neurons
        had room for: with the font as large as the room allowed and no smaller, a taller graph
        (larger neurons, wider nodes) printed fewer edge values (wong at 653×272 zoom +3: 13 of
        24, 24 at 266 px).  What still finds no room the legend's note counts."""
        sizes = lay.sizes
        pairs = [l for l in range(len(sizes) - 1) if edge_labels.labelled(sizes, l) and not is_lod(sizes, l)]
        if not pairs:
            return font, lay, (0, 0, 0, 0.0, ())
        targets = self.edge_targets()

        def short(count) -> float:                  # the most points a pair's numbers are under their target
            return round(max([targets[l] - pt for l, pt in count[4]] + [0.0]), 1)

        top = min(font.pointSizeF(), target)

        def rank(count, pt: float) -> tuple:       # (under ``top`` only for more of them)
            return count[0], count[1], -short(count) if pt >= top - 1e-6 else -math.inf

        best, best_count, tried = None, None, set()
        steps = ([(font.pointSizeF(), 1.0)] + [(top, f) for f in EDGE_ROOM_STEPS]
                 + [(top * f, EDGE_ROOM_STEPS[-1]) for f in EDGE_ROOM_STEPS[1:]])     # (the largest node, then the font)
        for pt, factor in steps:
            smaller = QtGui.QFont(font)
            smaller.setPointSizeF(max(pt, least))
            if (round(smaller.pointSizeF(), 2), factor) in tried or (
                    smaller.pointSizeF() < top - 1e-6 and best_count[0] == best_count[1] == best_count[2]):
                continue
            tried.add((round(smaller.pointSizeF(), 2), factor))
            narrower = lay if best is None else layout_at(smaller, factor)
            if best is not None and not self.numbered(narrower, smaller, wanted):
                continue                    # (the neurons keep their numbers)
            count = self._planned_edge_numbers(narrower, smaller, pairs)
            if best is None or rank(count, smaller.pointSizeF()) > rank(best_count, best[0].pointSizeF()):
                best, best_count = (smaller, narrower), count
            if count[1] == count[2] and not short(count):
                break
        return (*best, best_count)

    def _planned_edge_numbers(self, lay, font: QtGui.QFont, pairs: list) -> tuple[int, int, int]:
        """edge_labels.shown for the widest numbers on layout ``lay`` with neuron numbers in ``font``
        (the view's layout, font and edges put back afterwards)."""
        kept = (getattr(self, "graph_layout", None), getattr(self, "value_font_", None), self.drawn, self.lines)
        self.graph_layout, self.value_font_ = lay, font
        self.drawn = {l: edge_subset(lay.sizes, l, None, self.session.net.W[l]) for l in pairs}
        self.lines = {l: lay.edge_lines(l, *self.drawn[l]) for l in pairs}
        try:
            return edge_labels.shown(edge_labels.plan(self, planned_only=True))
        finally:
            self.graph_layout, self.value_font_, self.drawn, self.lines = kept

    # -- Qt events -----------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        self._editor.cancel()
        self._recompute(relayout=True)
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        self.settle()
        self.frame_count += 1
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        p.fillRect(self.rect(), QtGui.QColor(self.theme.background))
        self.texts, self.shapes = [], []
        legend.paint_band(p, self)
        paint.paint_edges(p, self)
        paint.paint_selection(p, self, under_nodes=True)
        marks.paint_asked(p, self)              # predict mode: a whole matrix's edges dashed (or a column framed)
        paint.paint_nodes(p, self)
        training.paint_dropped(p, self)
        edge_labels.paint(p, self)
        paint.paint_selection(p, self, under_nodes=False)
        training.paint_names(p, self)
        legend.paint_texts(p, self)
        class_labels.paint(p, self)
        input_image.paint(p, self)
        paint.paint_layer_frame(p, self)        # (round the texts it frames)
        marks.paint_marks(p, self)              # last: a wrong entry's cause goes where it covers no text
        p.end()

    def event(self, e) -> bool:
        if e.type() == QtCore.QEvent.Type.ToolTip:
            text = self.tooltip_text(e.pos())
            if text:
                QtWidgets.QToolTip.showText(e.globalPos(), text, self)
            else:
                QtWidgets.QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def mousePressEvent(self, e) -> None:
        if e.button() != QtCore.Qt.MouseButton.LeftButton:
            return super().mousePressEvent(e)
        self._editor.cancel()
        hit = self.hit_at(e.position())
        if hit is None:
            self.session.select(None)
        elif hit.kind in ("neuron", "sum"):
            self.session.select(Selection.neuron(hit.k, hit.j))
        elif hit.kind == "edge":
            self.session.select(Selection.edge(hit.k, hit.j, hit.i))
        elif hit.kind == "column":
            self.session.select(Selection.layer(max(hit.k - 1, 0)))
        else:                                   # a bias unit or bias edge: the layer it feeds
            self.session.select(Selection.layer(min(hit.k, self.graph_layout.L - 1)))

    def mouseDoubleClickEvent(self, e) -> None:
        hit = self.hit_at(e.position())
        if hit is not None and hit.kind in ("edge", "bias_edge"):
            self._editor.open(hit, e.position())
        else:
            super().mouseDoubleClickEvent(e)

    def least_numbered_height(self, most: int, step: int = 10) -> int:
        """The least height up to ``most`` at which this graph, as wide as now and at its zoom,
        numbers every neuron (numbers_every_neuron) with all it draws in sight; ``most`` where no
        height under it does.  Under compute_layout's floor it is laid out as at the floor and drawn
        from its top, so it may be as short as its labels end where nothing is drawn up from its
        bottom (notes, legend); above the floor the height is bisected to ``step`` px, taking more
        height never to take a neuron's number away.  Each height tried lays the graph out there
        (iris at zoom +3: 0.3-1 s); its own size is given back after (that layout is kept)."""
        size, least, top = self.size(), self.minimumHeight(), self.maximumHeight()
        floor = math.ceil(compute_layout(self.session.net.sizes, size.width(), 0).height)

        def numbered(height: int) -> bool:
            self.setFixedHeight(height)         # (a scroll area holding it sizes it within its bounds at once)
            return self.numbers_every_neuron()

        try:
            if floor >= most:
                return most
            if numbered(floor):
                return floor if self.note_rows or self.legend_rows else min(math.ceil(self.label_bottom), floor)
            low, high = floor, most
            while high - low > step:
                middle = (low + high) // 2
                low, high = (low, middle) if numbered(middle) else (middle, high)
            return high
        finally:
            self.setMinimumHeight(least)
            self.setMaximumHeight(top)
            self.resize(size)

for _name in GraphView._LAYOUT_STATE:
    setattr(GraphView, _name, _Laid(_name))
del _name
