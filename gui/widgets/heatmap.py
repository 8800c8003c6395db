"""One titled heatmap of a matrix: an image with a colour bar, the values printed in the cells
while they fit, index ticks on both axes and a hover line "W²[1, 2] = 0.45" under the plot.

Row r of the matrix is drawn as a row (row 0 at the top), so W[j, i] reads as in the book.  Ticks
and the hover line count rows and columns from 1, as the book does (w²₁₂ is W²[1, 2]); the hover
line gives the exact value.  The
owner chooses the levels; signed matrices use the diverging map with symmetric levels (−m, m).
"""
from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_hover, format_number, format_scientific, sig_figs
from gui.plain_math import unbroken
from gui.theme import (BASE_POINT_SIZE, THEMES, VERDICT_COLORS, Theme, diverging_map, drawable, lookup, sequential_map,
                       set_style_sheet, style_axes, symmetric_limit, text_color_for)
from gui.widgets.graph.text_fit import READABLE_PT
from gui.widgets.plot_or_message import PlotOrMessage

CELL_LINE_MARGIN = 2       # a cell's number as large as its lines' height and this many pixels fit the cell (≤ the widgets' font)
CELL_PADDING = 12          # pixels of a cell left beside its number (half each side): neighbours read apart
CELL_PADDING_TIGHT = 4     # … or, where that leaves the number under the readable floor, this (the line between cells parts them)
CELL_HEIGHT_SHARE = 0.4    # … and in rows shorter than the floor's points / this in pixels (20 px at zoom 0): tight at once
DIAGONAL_SPAN = 2          # a diagonal matrix's number may take this many cells' width: its row's other cells are blank
BAR_LABELS = 3             # labels on the colour bar: its ends and the middle (0 on a signed map)
TITLE_SCALE = 1.15         # a title's size: the widgets' size times this (compact: times 1, to keep to one line)
BAR_LABELS_COMPACT = 2     # … its ends alone on a compact heatmap: the plot can be a line and a half shorter
BAR_RESERVE = "-0.000"     # the colour bar keeps room for a label this wide (steady from step to step); a wider one has 2 figures
BAR_WIDTH = 14             # pixels of the colour bar itself
TICK_TEXT_SHARE = 0.8      # a tick label's height as pyqtgraph places it: this share of its line (AxisItem.generateDrawSpecs)
ROW_TICKS_RESERVE = "100"  # the row axis keeps room for tick labels this wide (a heatmap's chrome); class names no wider name rows
BELOW_LINES = 28           # a heatmap narrower than this many lines of its ticks' font has its colour bar under the plot
AXIS_TEXT_START = (30, 18)  # pyqtgraph's room for an axis' tick labels (AxisItem.textWidth, textHeight) before it measures them
PLOT_MARGINS = (6, 3)       # pixels left (pyqtgraph sets the row label 5 px out) and right; above and below: half a line
HIDDEN_NOTES = ("Cells too small for their values: point at one", "Point at a cell for its value", "Point at a cell")


def without_shape(title: str) -> str:
    """``title`` without its shape ("W² (3×8)" → "W²")."""
    return _SHAPE.sub("", title, count=1)


def _wrappable(title: str) -> str:
    """``title`` as its label shows it: it wraps at spaces, but not inside "σ′(z¹)" or "∂C/∂W",
    nor beside an "=" ("δ¹ = thisᵀ δ²" broke as "… δ¹" over "= thisᵀ δ²")."""
    return unbroken(title).replace(" = ", "\u00a0=\u00a0")
_SHAPE = re.compile(r" \(\d+×\d+[^()]*\)")    # a title's shape, "(2×2)" or "(2×2, shaped like W²)"


def _with_shape(title: str) -> list[str]:
    """Shorter forms of ``title`` that keep its shape, longest first: without what follows "; "
    (its use: "δ¹ = thisᵀ δ²"), the shape bare ("(10×32)" for "(10×32, shaped like W²)"), then
    only the symbol before a ", " or " = " ("−η ∂C/∂W¹ (32×64)", "∂C/∂W² (10×32)")."""
    found = _SHAPE.search(title)
    if found is None:
        return []
    head, rest = title[:found.start()], title[found.end():].split("; ")[0]
    shape = " (" + re.match(r" \((\d+×\d+)", found.group()).group(1) + ")"
    symbol = re.split(r", | = ", head, maxsplit=1)[0]
    forms = [head + found.group() + rest, head + shape + rest, symbol + shape + rest]
    return list(dict.fromkeys(f for f in forms if f != title))


@functools.lru_cache(maxsize=1)
def _reference_metrics() -> QtGui.QFontMetricsF:
    font = QtGui.QFont()
    font.setPointSizeF(100.0)
    return QtGui.QFontMetricsF(font)


def text_width(text: str, point_size: float) -> float:
    """The width in pixels of ``text`` in the cells' font at ``point_size`` (widths scale with it)."""
    return _reference_metrics().horizontalAdvance(text) * point_size / 100.0


def widest(strings) -> float:
    """The width of the widest line of ``strings`` (rows of texts, or ``Lines``) at 1 pt."""
    return max((text_width(line, 1.0) for line in Lines.of(strings)), default=0.0)


class Lines(frozenset):
    """The distinct lines of rows of texts, each measured once: a 32×32 σ′ of ReLU's "1" and "0"
    measured its 1024 texts at every quarter point it tried, 2.5 s of a digits walk."""

    @classmethod
    def of(cls, strings) -> "Lines":
        return strings if isinstance(strings, Lines) else cls(line for row in strings for t in row for line in t.split("\n"))


class _Formatted(NamedTuple):
    """A heatmap's cells' texts, made once per content (Heatmap._formatted): rows of each."""
    full: list[list[str]]             # the values as the formatter writes them (the View setting's figures)
    sci: list[list[str]]              # the same in scientific notation ("-6.503e-3")
    colours: list[list[QtGui.QColor]]  # the colour each prints in, by its cell's fill
    split: list[list[str]]            # scientific notation over two lines ("-6.503" over "e-3")
    lines: dict[int, Lines]           # id of full, sci or split → its distinct lines
    plates: list[QtGui.QColor] | None  # a diagonal matrix's diagonal fills (CellTexts), else None


def _font_at(point_size: float) -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPointSizeF(point_size)
    return font


@functools.lru_cache(maxsize=256)
def _metrics_at(point_size: float) -> QtGui.QFontMetrics:
    """The cells' font's metrics at ``point_size`` (as painted: hinted)."""
    return QtGui.QFontMetrics(_font_at(point_size))


def _tallest(height: float, lines: int, top: float) -> float:
    """The largest point size up to ``top``, in quarter points, at which ``lines`` lines of the
    cells' font and CELL_LINE_MARGIN pixels fit ``height`` pixels (at least 1)."""
    def need(pt: float) -> int:
        return lines * _metrics_at(pt).height() + CELL_LINE_MARGIN
    if need(top) <= height:
        return top
    pt = max(1.0, math.floor(4 * top * height / need(top)) / 4)     # line heights grow about as the size
    while pt > 1.0 and need(pt) > height:
        pt -= 0.25
    return max(pt, 1.0)


def _painted_width(strings, point_size: float) -> int:
    """The width in pixels of the widest of ``strings`` (rows of texts) as painted at ``point_size``:
    hinted, which at small sizes is wider than the size's share of a large font's width (a 10.4-pt
    "-0.08546" measured 62 px that way and was painted 66 px wide, over its cell's edge)."""
    metrics = _metrics_at(point_size)
    return max((metrics.horizontalAdvance(line) for line in Lines.of(strings)), default=0)


def _widest_fitting(strings, room: float, top: float, floor: float) -> float | None:
    """The largest point size from ``top`` down to ``floor``, in quarter points, at which the
    widest of ``strings`` as painted (``_painted_width``) fits ``room`` pixels; None if none does."""
    pt = max(floor, min(top, room / max(widest(strings), 1e-9)))      # widths scale with the size …
    while pt > floor and _painted_width(strings, pt) > room:           # … but hinting widens small sizes
        pt = max(pt - 0.25, floor)                  # the floor itself tried last, not stepped past
    return pt if _painted_width(strings, pt) <= room else None


def index_ticks(n: int, room: float) -> list[tuple[int, str]]:
    """Ticks labelled as the book counts, from 1: every index s, 2s, 3s, … up to ``n`` for the
    smallest s in 1, 2, 5, 10, 20, 50, … that puts at most ``room`` labels (never more than 12) on
    the axis, at least one; and the last index, ``n``, so that the axis says how many rows or
    columns there are (digits' 32×64 W¹ at zoom +3 ticked "20" and "20, 40", its compact title
    without its shape): after them where a label's room is left, else in place of the last.
    Each tick as (0-based cell, label)."""
    fits = int(min(max(room, 1.0), 12.0))
    step = next(s for s in (m * 10**e for e in range(12) for m in (1, 2, 5)) if n // s <= fits)
    ticks = [(k - 1, str(k)) for k in range(step, n + 1, step)]
    if ticks and ticks[-1][0] == n - 1:
        return ticks
    if ticks and (len(ticks) >= fits or n - 1 - ticks[-1][0] < n / max(room, 1.0)):
        ticks.pop()                 # too close to the last index: it takes its place
    return ticks + [(n - 1, str(n))]




def cell_floor(font_scale: float) -> float:
    """The point size a cell's number is printed at or above where the cells can be given the room:
    the graph's readable floor (text_fit.READABLE_PT) at the View's zoom.  The panel arranges its
    heatmaps for it (transposed, compact, side by side, the companion widened: Heatmap.under_floor);
    where none of that gives the room, the numbers print smaller, down to ``least_cell_pt``."""
    return READABLE_PT * font_scale


def least_cell_pt(font_scale: float) -> float:
    """The smallest point size a cell's number is printed at: the zoomed floor (``cell_floor``) or,
    zoomed in, the unzoomed one (READABLE_PT, what the graph holds readable at zoom 0), whichever
    is smaller.  Zooming in then never takes the numbers out of cells that print them unzoomed
    and are no smaller now: at zoom +3 (a 12.2-pt floor, 77–87-px cells for "-0.09444") iris's
    ∂C/∂W¹ in the 1024×768 companion, 78-px cells, printed none; now 10.7 pt, the largest size
    that fits."""
    return min(READABLE_PT, cell_floor(font_scale))


def _class_axis(label: str) -> str:
    """The label of an axis ticked with class names: "class" for its index ("j (layer 2)" → "class
    (layer 2)"), so that digits' "0" … "9" do not read as indices counted from 0."""
    return "class" + label[len(label.split(" (")[0]):]


def fit_axis_label(label: str, room: float, metrics: QtGui.QFontMetricsF, margin: float = 0.0) -> str:
    """``label`` ("j (layer 1)") if it fits ``room`` pixels along its axis with ``margin`` on each
    side (the label's text item's document margin), else its index alone ("j"): a short heatmap
    (two stacked at a large zoom, digits' 10×32 ∂z²/∂z¹) cut the rotated row label to "k (layer 2"."""
    if metrics.horizontalAdvance(label + " ") + 2 * margin <= room:     # pyqtgraph writes "label units": a space after
        return label
    return label.split(" (")[0]


class RowAxis(pg.AxisItem):
    """A heatmap's row axis (left).  Its label runs along the axis, rotated, while the whole of it
    fits ("j (layer 1)"); a bare index ("j", when the plot is too short for the rest) stands
    upright beside the row ticks instead: one rotated letter read like "⌐".  Above the plot (a
    narrow heatmap whose cells print numbers), the label reads across, left-aligned over the row
    ticks, and the axis is only as wide as its ticks: the rotated label's line went to the cells."""

    placement = "along"     # a class default: pyqtgraph's __init__ already resizes the axis

    def __init__(self):
        super().__init__("left")

    def set_placement(self, placement: str) -> None:
        """"along" the axis (rotated), "upright" beside the ticks, or "above" the plot."""
        if placement != self.placement:
            self.placement = placement
            self.label.setRotation(-90 if placement == "along" else 0)
            self._updateWidth()
            self.resizeEvent()

    def _updateWidth(self):   # noqa: N802 (pyqtgraph's name)
        """pyqtgraph's width (AxisItem._updateWidth: its ticks' text, their offset and length, and
        the rotated label's line), the label's extent across the axis being its width when
        upright, nothing when above the plot; set once.  Calling pyqtgraph's, then setting this one,
        moved the axis 35 → 56 → 35 px at every call (digits' σ′ at ←9: 14 setter calls in one
        draw, each laying the plot out again; P's finding 64); Qt ignores a width set unchanged."""
        if not self.isVisible():
            width = 0
        elif self.fixedWidth is not None:
            width = self.fixedWidth
        else:
            style = self.style
            width = (self.textWidth if style['autoExpandTextSpace'] else style['tickTextWidth']) if style['showValues'] else 0
            width += (style['tickTextOffset'][0] if style['showValues'] else 0) + max(0, style['tickLength'])
            if self.label.isVisible():
                box = self.label.boundingRect()
                width += {"along": 0.8 * box.height(), "upright": box.width()}.get(self.placement, 0)
        self.setMaximumWidth(width)
        self.setMinimumWidth(width)
        self.picture = None

    def resizeEvent(self, ev=None):   # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        if self.label is None:
            return
        box = self.label.boundingRect()
        if self.placement == "upright":         # at the axis' outer edge, level with the rows' middle
            self.label.setPos(QtCore.QPointF(0.0, round(self.size().height() / 2 - box.height() / 2)))
        elif self.placement == "above":         # its text's left edge at the axis' left edge, over the top row
            margin = self.label.document().documentMargin()
            self.label.setPos(QtCore.QPointF(-margin, -box.height() + margin))


_UNSET = object()


@functools.lru_cache(maxsize=None)
def _colour_map(palette: str, signed: bool) -> pg.ColorMap:
    """The palette's diverging (signed) or sequential map, made once and shared."""
    return diverging_map(palette) if signed else sequential_map(palette)


@functools.lru_cache(maxsize=4096)
def _text_colour_of(rgba: int) -> QtGui.QColor:
    return text_color_for(QtGui.QColor.fromRgba(rgba))


def _text_colour(fill: QtGui.QColor) -> QtGui.QColor:
    """Black or white for a number on ``fill`` (theme.text_color_for, remembered per colour)."""
    return _text_colour_of(fill.rgba())


class PremultipliedImage(pg.ImageItem):
    """pyqtgraph's image item with its picture kept premultiplied (QImage.Format_ARGB32_Premultiplied).
    pyqtgraph makes an 8-bit indexed picture (or a straight ARGB one), which Qt's raster engine
    scales only through its generic span path, split across Qt's GUI thread pool while the GUI
    thread waits for it (qdrawhelper.cpp, QT_THREAD_PARALLEL_FILLS): on the busy machine the 53
    image paints of a repeated digits key took 9 ms of the GUI thread's CPU and 105 ms of wall
    clock, 39 ms once premultiplied, which Qt scales directly on the GUI thread."""

    def render(self, *args, **kwargs) -> None:
        super().render(*args, **kwargs)
        premultiplied = QtGui.QImage.Format.Format_ARGB32_Premultiplied
        if self.qimage is not None and self.qimage.format() != premultiplied:
            self.qimage = self.qimage.convertToFormat(premultiplied)


class CellTexts(pg.GraphicsObject):
    """The numbers in the cells of a heatmap: text ``strings[r][c]`` centred on cell (c, r) of the
    view, in ``colours[r][c]``, at a font size in points that does not scale with the view (as a
    pg.TextItem); one item painting them all, which costs far less than an item per cell.  A 1-px
    line in ``grid`` parts the cells, so that the numbers of two pale neighbours read apart.  With
    ``plates`` (a diagonal matrix: the fill of each diagonal cell), each row's one number, on the
    diagonal, may be DIAGONAL_SPAN cells wide over its blank neighbours: it is painted on a plate of
    its cell's fill, kept within the plot (the first and last rows' lean inward)."""

    def __init__(self):
        super().__init__()
        self._strings: list[list[str]] = []
        self._colours: list[list[QtGui.QColor]] = []
        self._font = QtGui.QFont()
        self._grid = QtGui.QColor()
        self._plates: list[QtGui.QColor] | None = None
        self._rect = QtCore.QRectF()

    def set_cells(self, strings, colours, font: QtGui.QFont, grid: QtGui.QColor | None = None,
                  plates: list[QtGui.QColor] | None = None) -> None:
        """Show ``strings`` (rows of text; empty: nothing) in ``colours`` and ``font``, the cells
        parted by lines in ``grid``; ``plates``: the diagonal's fills, for a diagonal matrix."""
        grid = QtGui.QColor(grid) if grid is not None else QtGui.QColor()
        if (strings, colours, font, grid, plates) == (self._strings, self._colours, self._font, self._grid, self._plates):
            return
        rows, cols = len(strings), len(strings[0]) if strings else 0
        self.prepareGeometryChange()
        self._strings, self._colours, self._font, self._grid = strings, colours, QtGui.QFont(font), grid
        self._plates = plates
        self._rect = QtCore.QRectF(-0.5, -0.5, cols, rows)
        self.update()

    def texts(self) -> list[list[str]]:
        return [list(r) for r in self._strings]

    def boundingRect(self) -> QtCore.QRectF:   # noqa: N802 (Qt's name)
        return self._rect

    def paint(self, painter: QtGui.QPainter, *_args) -> None:
        if not self._strings:
            return
        to_device = painter.transform()
        w, h = abs(to_device.m11()) * 2, abs(to_device.m22())     # room around a cell's centre, device px
        painter.save()
        painter.resetTransform()                # text in device pixels: the view's scale does not stretch it
        rows, cols = len(self._strings), len(self._strings[0])
        if self._grid.isValid():
            painter.setPen(QtGui.QPen(self._grid, 1))
            top, bottom = to_device.map(QtCore.QPointF(-0.5, -0.5)), to_device.map(QtCore.QPointF(cols - 0.5, rows - 0.5))
            for c in range(1, cols):
                x = round(to_device.map(QtCore.QPointF(c - 0.5, 0)).x())
                painter.drawLine(QtCore.QLineF(x, top.y(), x, bottom.y()))
            for r in range(1, rows):
                y = round(to_device.map(QtCore.QPointF(0, r - 0.5)).y())
                painter.drawLine(QtCore.QLineF(top.x(), y, bottom.x(), y))
        painter.setFont(self._font)
        flags = QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextDontClip
        if self._plates is not None:
            self._paint_diagonal(painter, to_device, h, flags)
            painter.restore()
            return
        for r, (row, colours) in enumerate(zip(self._strings, self._colours)):
            for c, (text, colour) in enumerate(zip(row, colours)):
                at = to_device.map(QtCore.QPointF(c, r))
                painter.setPen(colour)
                painter.drawText(QtCore.QRectF(at.x() - w / 2, at.y() - h / 2, w, h), flags, text)
        painter.restore()

    def _paint_diagonal(self, painter: QtGui.QPainter, to_device: QtGui.QTransform, h: float, flags) -> None:
        """Each diagonal cell's number on a plate of its fill (the text's width and the tight padding,
        the row's height less the line under it), centred on its cell where the plot has the room,
        else moved inward to its edge: as wide as the fit measured it (``_painted_width``)."""
        n = len(self._strings)
        left, right = to_device.map(QtCore.QPointF(-0.5, 0)).x(), to_device.map(QtCore.QPointF(n - 0.5, 0)).x()
        for r, fill in enumerate(self._plates):
            text = self._strings[r][r]
            at = to_device.map(QtCore.QPointF(r, r))
            width = _painted_width([[text]], self._font.pointSizeF()) + CELL_PADDING_TIGHT
            x = min(max(at.x(), left + width / 2), right - width / 2)
            plate = QtCore.QRectF(x - width / 2, at.y() - h / 2 + 1, width, h - 1)
            painter.fillRect(plate, fill)
            painter.setPen(self._colours[r][r])
            painter.drawText(plate, flags, text)


class Rank(NamedTuple):
    """How well a heatmap's numbers read, compared as a tuple (more is better): printed at all, at
    the floor size or larger, in plain decimals, then the point size."""
    printed: bool
    at_floor: bool
    plain: bool
    points: float

    @property
    def kind(self) -> tuple[bool, bool, bool]:
        """Everything but the point size: what a smaller size alone does not change."""
        return self[:3]


def _rank_of(found, floor: float) -> Rank:
    """The Rank of a ``Heatmap._best_fit``."""
    if found is None:
        return Rank(False, False, False, 0.0)
    form, _, pt = found
    return Rank(True, pt >= floor - 1e-9, form == 0, pt)


class Heatmap(QtWidgets.QWidget):
    numbers_fitted = QtCore.Signal()       # the cells' numbers fitted again (new content, size or fonts)

    def __init__(self, parent=None, on_page: bool = False):
        """``on_page``: the heatmap sits on a page in the palette's window colour (the derivation's
        gradient check) rather than on the Matrices panel's background; its plot is drawn in that
        colour (in the dark theme the other showed as a darker box on the page)."""
        super().__init__(parent)
        self.on_page = on_page
        self.matrix: np.ndarray | None = None
        self.levels: tuple[float, float] | None = None
        self._bar_labels: list[str] = []
        self.title = ""
        self.message = ""
        self.symbol = "M"
        self.signed = True
        self._content = None                   # what set_matrix was last given, to skip an unchanged call
        self._drawn_content = None             # … and what the plot was last drawn with
        self._drawn = True                     # the plot shows the content (False: drawn when next shown)
        self._moving_bar = False               # the colour bar between its places (_place_bar)
        self._held = False                     # hold(): content set is drawn when released, not at once
        self._drawn_as: dict[str, object] = {}   # what the plot's parts were last set to (colour map, ticks…)
        self._marks: list = []                 # rings and causes of wrong worksheet entries
        self.marked: list[tuple] = []          # (row, column, cause) of each ring
        self._selected_items: list = []
        self.selected: list[tuple] = []        # (row, column, rows, columns) outlined: the selection
        self._strings: list[list[str]] = []    # what the cells print
        self._axis_labels = ("j", "i")
        self.axis_names: tuple = (None, None)  # (row names, column names): what each row or column stands for, or None
        self._texts: _Formatted | None = None  # the cells' texts, formatted once cells could hold them (_formatted)
        self._probe: list[float] = []          # the largest, smallest and least values: no cell's text is narrower (_may_fit)
        self.diagonal = False                  # a square matrix zero off its diagonal (diag σ′): prints its diagonal alone
        self._theme: Theme = THEMES["light"]
        self._palette = "standard"
        self._font_scale = 1.0
        self.compact = False                   # set_compact: one-line title, hover as a tooltip
        self.values_hidden = False             # the cells are too small for their numbers: none printed, the hover says so
        self.under_floor = False               # … or printed under the zoomed floor (cell_floor): the panel looks for room
        self._hovering = False                 # the pointer is on a cell: the hover line shows its value
        self._chrome = (None, False, 0.0)      # (width not plot, colour bar under it, height not plot) as last laid out
        self._numbers_tall = False             # the plot as tall as its rows' numbers need (set_min_plot_height)
        self._measured: dict[tuple, tuple] = {}    # (shape, width, height, bar under) → the cells' rank as laid out
        self._fit_memo: dict[tuple, object] = {}    # cell size → _best_fit, for the content and fonts drawn

        self._title = QtWidgets.QLabel()
        self._title.setWordWrap(True)
        self._title.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        self._graphics = pg.GraphicsLayoutWidget()
        self._graphics.setMinimumSize(150, 80)
        # a graphics view's size hint is the size of the scene it last laid out: heatmaps sharing a
        # panel would keep the rows of the last preset's matrices (digits after iris: 339 and 132 px)
        self._graphics.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        self._plot: pg.PlotItem = self._graphics.addPlot(row=0, col=0, axisItems={"left": RowAxis()})
        self._plot.setMenuEnabled(False)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        self._plot.invertY(True)
        self._plot.setAspectLocked(False)
        self._image = PremultipliedImage(axisOrder="row-major")
        self._plot.addItem(self._image)
        self._cells = CellTexts()
        self._plot.addItem(self._cells)
        # the colour bar beside the plot, or, on a narrow heatmap, under it (its labels beside it took
        # a third of a 1024×768 companion's width from the cells' numbers): one of the two is in place
        self._bars = {below: pg.ColorBarItem(values=(-1.0, 1.0), colorMap=diverging_map(), interactive=False,
                                             width=BAR_WIDTH, colorMapMenu=False,
                                             orientation="horizontal" if below else "vertical")
                      for below in (False, True)}
        for bar in self._bars.values():
            bar.setImageItem(self._image)
            bar.axis.enableAutoSIPrefix(False)
            bar.axis.setStyle(autoExpandTextSpace=True)
        self.bar_below = False
        self._bar = self._bars[False]
        self._graphics.addItem(self._bar, row=0, col=1)
        self._graphics.ci.layout.setHorizontalSpacing(2)       # pyqtgraph's 6 px, and its 9-px margins, cost the cells room
        for axis in (self._plot.getAxis("left"), self._plot.getAxis("bottom")):
            axis.enableAutoSIPrefix(False)      # cell indices and levels as they are, never "(x0.001)"
            axis.setStyle(tickLength=0)         # the cells mark their indices: pyqtgraph's inward ticks ran into the numbers
        for item in (self._plot, *self._bars.values()):     # every axis of the plot and the colour bars (each a
            for side in ("left", "bottom", "top", "right"):     # plot too), shown or not: with its SI prefix on, an
                item.getAxis(side).enableAutoSIPrefix(False)    # axis linked to a view set its label's HTML at every
                # range change (spirals' →10: 40 times, ~8 ms of the key's CPU, for hidden axes' empty labels)
        self.stack = PlotOrMessage(self._graphics)     # or what is not computed yet
        self._hover = QtWidgets.QLabel(" ")
        self._hover.setAlignment(QtCore.Qt.AlignmentFlag.AlignHCenter)
        # a long hover line ("… (exactly -0.08546123)") must not widen the heatmap (and the panel) past its dock
        self._hover.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self._title)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._hover)
        self._graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._graphics.scene().installEventFilter(self)     # without (de)activation repaints (eventFilter)
        self._plot.getViewBox().sigResized.connect(self._on_resized)
        self.apply_style(self._theme, self._palette, self._font_scale)

    # -- content ---------------------------------------------------------------------------------
    def set_matrix(self, M, title: str, signed: bool = True, levels=None, row_label: str = "j",
                   col_label: str = "i", symbol: str | None = None, row_names: list[str] | None = None,
                   col_names: list[str] | None = None) -> None:
        """Show ``M`` (2-D) titled ``title``; levels default to (−m, m) for signed, (min, max) otherwise.
        ``row_names``, ``col_names``: what its rows or columns stand for (the output layer's class
        names), ticked in place of their indices where every one of them fits (``_fit_ticks``), and
        said in the hover line.  The same content again (a micro-step that did not change this
        matrix) costs nothing."""
        M = np.atleast_2d(np.asarray(M, dtype=float))
        names = tuple(None if n is None else tuple(n) for n in (row_names, col_names))
        content = (M.shape, M.tobytes(), title, signed, None if levels is None else tuple(levels), row_label,
                   col_label, symbol, sig_figs(), names)
        if content == self._content and self.matrix is not None:
            return
        self._content = content
        back = content == self._drawn_content and not self._drawn and self.isHidden()   # hidden, given the
        # content its plot still shows (drawn ahead, then another micro-step's, then this one again): drawn
        rows = None if self.matrix is None else self.matrix.shape[0]
        self.matrix, self.title, self.signed, self.message = M.copy(), title, signed, ""
        size = np.abs(np.where(np.isfinite(M), M, 0.0))
        self._probe = [float(M.flat[int(np.argmax(size))]), float(M.flat[int(np.argmin(np.where(size > 0, size, np.inf)))]),
                       float(M.min())]     # (_probe_need), as the content is set: the panel plans by it (could_print)
        self._probe_needs: dict[float, int] = {}
        n = M.shape[0]
        self.diagonal = n == M.shape[1] and n > 1 and not np.any(M[~np.eye(n, dtype=bool)])     # diag σ′(z)
        self._drawn = self._drawn and back      # the plot no longer shows it: not fitted as it grows for its rows
        if self._numbers_tall and M.shape[0] != rows:
            self.set_min_plot_height(self._min_plot)     # as tall as these rows' numbers need
        self.symbol = symbol or title.split(" ")[0]
        self._axis_labels = (row_label, col_label)
        self.axis_names = names
        if levels is None:
            if signed:
                m = symmetric_limit(M)
                levels = (-m, m)
            else:
                finite = M[np.isfinite(M)]
                lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
                levels = (min(lo, 0.0), hi if hi > min(lo, 0.0) else min(lo, 0.0) + 1.0)
        self.levels = tuple(float(v) for v in drawable(levels[:2]))
        if back:
            self._drawn = True
            self._fit_title()
        else:
            self._redraw(content_only=True)

    def _redraw(self, content_only: bool = False) -> None:
        """Draw the content now, or, while the panel keeps this heatmap hidden (not one of the
        heatmaps it shows), when it is shown: a hidden heatmap's step costs only its content.
        Unless only the content changed, what the plot was drawn with is no longer what it shows."""
        if not content_only:
            self._drawn_content = None
        self._drawn = False                     # (the bar's place is set as it is drawn: it changes neither least size)
        if not self._held and not (self.parentWidget() is not None and self.isHidden()):
            self._draw()
        else:       # the title now: a panel lays a heatmap out before it shows it, and a title of more
            self._fit_title()       # lines than the last one laid the panel out again once shown

    def hold(self, on: bool) -> None:
        """While held, content set (``set_matrix``, ``clear_matrix``) is drawn only when released, as
        while hidden: the panel lays its heatmaps out for their new matrices first (their titles and
        rows share its height), so that each is drawn once, at the size it is shown.  Digits' ←9
        drew σ′ (10×10) at the height its 32×32 had, fitted its numbers there, and the grid's
        relayout after the first paint fitted them again and painted the heatmaps in sight twice more."""
        self._held = on
        if not on and not self._drawn and not (self.parentWidget() is not None and self.isHidden()):
            self._draw()

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if not self._drawn:
            self._draw()
        super().showEvent(event)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        """The plot's scene never (de)activates: a view shown or hidden sends its scene
        WindowActivate or WindowDeactivate, and QGraphicsWidget repaints on either, so every plot a
        micro-step key showed was painted again (twice at digits' →10, following the phase) once
        it had been painted.  Nothing here is drawn in the palette's inactive colours, and nothing
        in the plot takes focus (the pointer's position comes from the scene's mouse moves)."""
        return watched is self._graphics.scene() and event.type() in (QtCore.QEvent.Type.WindowActivate,
                                                                       QtCore.QEvent.Type.WindowDeactivate)

    def draw_ahead(self) -> None:
        """Draw now, while hidden, the content it would draw when next shown (the panel's idle
        time after a step, for the heatmaps the next step shows)."""
        if not self._drawn:
            self._draw()
        self.ensurePolished()       # its style sheet applied to its labels: the first show took 16 ms more
        self.grab()                 # painted once, off screen: the first paint of its plot costs the key nothing more
    def _draw(self) -> None:
        """Bring the plot (or the message) up to the content; each pyqtgraph part is set only when
        what it shows changed (setting an axis label or a colour map relays out or repaints).  The
        plot's layout is settled before its numbers are fitted, so that they are fitted once, in
        cells of the size they are painted at (not in the old ones, then again once Qt laid it out)."""
        self._drawn_content = self._content
        self._fit_title()
        self._place_bar(self.width(), redraw=False)
        if self.matrix is None:
            self._drawn = True
            self.stack.show_message(self.message)
            self._hover.setText(" ")
            return
        M, (lo, hi) = self.matrix, self.levels
        cmap = self._cmap()
        if self._changed("cmap", cmap):
            self._bar.setColorMap(cmap)
        self._image.setImage(drawable(M), autoLevels=False, levels=self.levels)
        self._bar.setLevels(self.levels)
        ticks = [[v, self._bar_label(v)] for v in np.linspace(lo, hi, BAR_LABELS_COMPACT if self.compact else BAR_LABELS)]
        with np.errstate(invalid="ignore"):     # the ends saturate (locked levels, or beyond ±DRAW_LIMIT)
            if (M < lo).any():
                ticks[0][1] = "≤ " + ticks[0][1]
            if (M > hi).any():
                ticks[-1][1] = "≥ " + ticks[-1][1]
        self._bar_labels = [label for _, label in ticks]
        bar_ticks = [[(float(v), label) for v, label in ticks]]
        if self._changed("bar_ticks", bar_ticks):
            self._bar.axis.setTicks(bar_ticks)
            self._fit_bar_width()
        rows, cols = M.shape
        if self._changed("shape", (rows, cols)):
            self._image.setRect(QtCore.QRectF(-0.5, -0.5, cols, rows))
            self._plot.setRange(xRange=(-0.5, cols - 0.5), yRange=(-0.5, rows - 0.5), padding=0)
        self.stack.show_plot()                  # shown in place of a message, the plot is resized now, not after
        self._fit_ticks()
        self._graphics.ci.layout.activate()     # the colour bar's place and width, the axes' labels: laid out
        self._plot.layout.activate()            # now (Qt would at its next pass, and the cells be fitted again)
        self._drawn = True
        self._update_texts(cmap)
        self._fit_min_width()
        self._graphics.scene().prepareForPaint()    # the view's transform for its new range now: set as it is
        # painted (pyqtgraph defers it to then), the items moved under the paint and were painted again

    def _bar_label(self, v: float) -> str:
        """A colour-bar label: 3 figures if as narrow as BAR_RESERVE, else 2 (-5e-4 for -4.977e-4,
        which at 3 figures widened the bar by 22 px at zoom +3 and left the cells no room)."""
        text = format_number(v, 3, shortest=True)
        metrics = QtGui.QFontMetricsF(self._tick_font)
        if metrics.horizontalAdvance(text) <= metrics.horizontalAdvance(BAR_RESERVE):
            return text
        return format_number(v, 2, shortest=True)

    def _changed(self, part: str, value) -> bool:
        """Whether ``part`` of the plot must be set to ``value`` (and remember that it is)."""
        before = self._drawn_as.get(part, _UNSET)
        if before is not _UNSET and (before is value or type(before) is type(value) and before == value):
            return False
        self._drawn_as[part] = value
        return True

    def set_marks(self, cells) -> None:
        """Ring the cells ``(row, column, cause)`` of wrong entries (Predict mode, a checked
        worksheet) and print the cause on each; an empty list clears them.  Ring and cause are in
        the theme's "wrong" colour (VERDICT_COLORS) on the theme's background (a wider ring under the
        ring, a plate under the text), so they read on a cell of any colour; the causes of neighbouring
        columns sit at the bottom and at the top of their cells, so that their plates do not overlap."""
        for item in self._marks:
            self._plot.removeItem(item)
        self._marks, self.marked = [], [tuple(c) for c in cells]
        wrong, under = VERDICT_COLORS[self._theme.name][1], self.background
        for r, c, cause in self.marked:
            items = []
            for colour, width in ((under, 7), (wrong, 3)):
                ring = QtWidgets.QGraphicsRectItem(c - 0.46, r - 0.46, 0.92, 0.92)
                ring.setPen(pg.mkPen(colour, width=width))
                items.append(ring)
            bottom = c % 2 == 0       # neighbouring columns' causes on different lines: each may be wider than its cell
            text = pg.TextItem(f"✗ {cause}", color=wrong, fill=pg.mkBrush(under), anchor=(0.5, 1.0 if bottom else 0.0))
            font = QtGui.QFont(self._tick_font)
            font.setPointSizeF(self._tick_font.pointSizeF() * 0.85)
            text.setFont(font)
            text.setPos(c, r + 0.46 if bottom else r - 0.46)
            items.append(text)
            for item in items:
                item.setZValue(6)               # above the selection's outline
                self._plot.addItem(item)
                self._marks.append(item)

    def set_selected(self, boxes) -> None:
        """Outline ``boxes`` ``(row, column, rows, columns)`` (0-based) in the theme's accent colour:
        the selected weight's cell, or the selected neuron's row or column; an empty list clears."""
        boxes = [tuple(b) for b in boxes]
        if boxes == self.selected:
            return
        for item in self._selected_items:
            self._plot.removeItem(item)
        self._selected_items, self.selected = [], boxes
        for r, c, rows, cols in boxes:
            box = QtWidgets.QGraphicsRectItem(c - 0.5, r - 0.5, cols, rows)
            box.setPen(pg.mkPen(self._theme.accent, width=3))
            box.setZValue(5)                    # above the cells' numbers, below the rings of wrong entries
            self._plot.addItem(box)
            self._selected_items.append(box)

    def clear_matrix(self, message: str, title: str | None = None) -> None:
        """No matrix: show ``message`` instead (e.g. not computed yet at this micro-step).  The same
        message again costs nothing: spirals' ∂C/∂W³ "not computed yet" was drawn again at every key
        of the forward pass, and Adam's three state heatmaps at every key before the update."""
        if self.matrix is None and message == self.message and title in (None, self.title):
            return
        self.matrix, self.levels, self.message = None, None, message
        self._content = None
        if title is not None:
            self.title = title
        self._strings, self._texts, self._probe = [], None, []
        self.values_hidden = self.under_floor = False
        if self._numbers_tall:
            self.set_min_plot_height(self._min_plot)     # a message needs no rows' height
        self._redraw()

    def cell_texts(self) -> list[list[str]]:
        """The strings printed in the cells (empty when the matrix is cleared, or its cells too small for them)."""
        if not self._drawn:
            self._draw()
        return [list(r) for r in self._strings]

    def hover_text(self, r: int, c: int) -> str:
        """The hover line of cell (r, c) (0-based): indices from 1, the classes its row and column
        stand for (``axis_names``: "(class 4)", "(class 4, class 5)"), the value shown and exact."""
        classes = [names[k] if names[k].lower().startswith("class") else f"class {names[k]}"     # wong's "class 2"
                   for names, k in zip(self.axis_names, (r, c)) if names is not None]
        named = f" ({', '.join(classes)})" if classes else ""
        return f"{self.symbol}[{r + 1}, {c + 1}]{named} = {format_hover(float(self.matrix[r, c]))}"

    def _fit_ticks(self) -> None:
        """Index ticks every 1, 2, 5, 10, … cells, as many as the axis has room for at its font; every
        row's where each row is as tall as a label as pyqtgraph places it (TICK_TEXT_SHARE of a
        line), every column's where each column is as wide as its widest label and half a line (at
        zoom +3 in the 1024×768 companion, wong's 4×3 W¹ after the update, 25-px rows, 27-px lines,
        named rows "2" and "4" alone: a label's room was 1.15 lines).  Rows (columns) that stand
        for the output layer's classes (``axis_names``) are ticked with their names where every one
        carries its own, each name no wider than the room kept for the row ticks (ROW_TICKS_RESERVE)
        or its column: digits' W³ names its rows "0" … "9" as the graph names the output neurons
        (its row 5 is class "4"); else their indices, and the hover line says the class."""
        if self.matrix is None:
            return
        rows, cols = self.matrix.shape
        rect = self._plot.getViewBox().sceneBoundingRect()
        metrics = QtGui.QFontMetricsF(self._tick_font)
        label_w = metrics.horizontalAdvance(str(cols)) + metrics.height()
        apart = metrics.horizontalAdvance(str(cols)) + metrics.height() / 2
        every_row, every_col = rect.height() >= rows * TICK_TEXT_SHARE * metrics.height(), rect.width() >= cols * apart
        row_names, col_names = self.axis_names

        def widest(names) -> float:
            return max(map(metrics.horizontalAdvance, names))
        named = (row_names is not None and every_row and rows <= 12
                 and widest(row_names) <= metrics.horizontalAdvance(ROW_TICKS_RESERVE),
                 col_names is not None and cols <= 12 and widest(col_names) + metrics.height() / 2 <= rect.width() / cols)
        if named[0]:
            left = [list(enumerate(row_names))]
        else:
            left = [index_ticks(rows, rows if every_row else rect.height() / (metrics.height() * 1.15))]
        if named[1]:
            bottom = list(enumerate(col_names))
        else:
            bottom = index_ticks(cols, cols if every_col else rect.width() / label_w)
            if rect.width() > 1:    # the last column's label within the plot's width (pyqtgraph drops one past it)
                half = (metrics.horizontalAdvance(bottom[-1][1]) / 2 + 1) * cols / rect.width()     # in cells
                bottom[-1] = (min(bottom[-1][0], cols - 0.5 - half), bottom[-1][1])
                if len(bottom) > 1 and (bottom[-1][0] - bottom[-2][0]) * rect.width() / cols < apart:
                    del bottom[-2]      # moved that close to the one before it: the last index alone
        bottom = [bottom]
        if self._changed("index_ticks", (left, bottom)):
            self._plot.getAxis("left").setTicks(left)
            self._plot.getAxis("bottom").setTicks(bottom)
        margin = self._plot.getAxis("left").label.document().documentMargin()
        row_room = self._graphics.width() if self.bar_below else rect.height()     # across, above the plot; or along
        whole = tuple(_class_axis(label) if by_class else label for label, by_class in zip(self._axis_labels, named))
        labels = tuple(fit_axis_label(label, room, metrics, margin) for label, room in zip(whole, (row_room, rect.width())))
        placement = "above" if self.bar_below else "upright" if labels[0] != whole[0] or " " not in labels[0] else "along"
        if self._changed("labels", (labels, placement)):
            row_axis = self._plot.getAxis("left")
            row_axis.set_placement(placement)
            self._plot.setLabel("left", labels[0])
            self._plot.setLabel("bottom", labels[1])
            row_axis.resizeEvent()               # placed for its new text (pyqtgraph places it only when resized)

    def _cmap(self) -> pg.ColorMap:
        return _colour_map(self._palette, self.signed)

    def _update_texts(self, cmap: pg.ColorMap) -> None:
        """The cells' texts formatted again when they are next wanted (``_formatted``), and fitted."""
        self._fit_memo.clear()
        self._texts, self._text_cmap = None, cmap
        self._on_resized()

    def _formatted(self) -> _Formatted:
        """The cells' texts (the values as the formatter writes them, the same in scientific
        notation, the colour each prints in …), rows of each, made once per content: only for a matrix whose cells
        could hold them (``_may_fit``, ``could_print``): digits' 32×64 W¹ took 18 ms to format."""
        if self._texts is None:
            M = self.matrix
            rows, cols = M.shape
            fills = lookup(self._text_cmap, M, *self.levels)
            colours = [_text_colour(c) for c in fills]

            def texts(form):            # a diagonal matrix's zeros blank: its diagonal alone prints
                return [[form(v) if not self.diagonal or r == c else "" for c, v in enumerate(row.tolist())]
                        for r, row in enumerate(M)]
            full, sci = texts(format_number), texts(format_scientific)
            split = [[t.replace("e", "\ne", 1) for t in row] for row in sci]
            self._texts = _Formatted(full, sci, [colours[r * cols:(r + 1) * cols] for r in range(rows)], split,
                                     {id(t): Lines.of(t) for t in (full, sci, split)},
                                     [fills[r * cols + r] for r in range(rows)] if self.diagonal else None)
        return self._texts

    def _span(self) -> int:
        """How many cells' width a cell's number may take: DIAGONAL_SPAN in a diagonal matrix."""
        return DIAGONAL_SPAN if self.diagonal else 1

    def _lines(self, texts) -> Lines:
        """The distinct lines of ``texts``, one of the forms ``_formatted`` made."""
        return self._formatted().lines[id(texts)]

    def _probe_need(self, point_size: float) -> int:
        """The least width in pixels a cell needs for its number at ``point_size``: in the narrowest
        form (as written, in scientific notation, or its longer line over two) of the probes'
        widest, with CELL_PADDING_TIGHT beside it.  The cells all print one form, as wide as its
        widest text: no cell of the matrix is narrower.  (The largest value alone, "-0.3", let
        digits' 10×32 ∂z²/∂z¹, with "0.01234" in it, plan for numbers.)"""
        if point_size in self._probe_needs:
            return self._probe_needs[point_size]
        metrics = _metrics_at(point_size)
        probe = [(format_number(v), format_scientific(v)) for v in self._probe]
        self._probe_needs[point_size] = min(max(metrics.horizontalAdvance(full) for full, _ in probe),
                   max(metrics.horizontalAdvance(sci) for _, sci in probe),
                   max(metrics.horizontalAdvance(line) for _, sci in probe for line in sci.split("e", 1))) \
            + CELL_PADDING_TIGHT
        return self._probe_needs[point_size]

    def _may_fit(self, cell_w: float, cell_h: float) -> bool:
        """Whether ``cell_w`` × ``cell_h``-px cells may hold the numbers at ``least_cell_pt``: a line
        of that font and CELL_LINE_MARGIN tall, and as wide as ``_probe_need``.  Cheap: cells that
        cannot are never given their texts."""
        least = least_cell_pt(self._font_scale)
        return _metrics_at(least).height() + CELL_LINE_MARGIN <= cell_h and self._probe_need(least) <= cell_w

    def could_print(self, either_way: bool = True) -> bool:
        """Whether the cells could print their numbers in the room the companion could give them:
        the matrix as drawn (``either_way``: or transposed, its rows across) in a plot as wide as
        the screen less the heatmap's row axis and margins (``_chrome_width``, the colour bar under
        the plot), each cell at least ``_probe_need`` at ``least_cell_pt``.  The one rule the panel
        plans by (the rows' share of the height, transposing, compact, side by side, more width)
        and the heatmap too (its height for its rows' numbers, the colour bar's place), where a
        count (12×12) kept sine's and spirals' 16-row matrices from ever printing.  From the fonts
        and the content alone, never the layout: measured as laid out, digits' 10×32 ∂z²/∂z¹
        could print before it was drawn and could not after, and a key laid it out twice."""
        if self.matrix is None or not self._probe:
            return False
        rows, cols = self.matrix.shape
        screen = (self.screen() or QtGui.QGuiApplication.primaryScreen()).availableGeometry().width()
        room = screen - self._chrome_width(0)
        need = self._probe_need(least_cell_pt(self._font_scale)) / self._span()
        return (min(rows, cols) if either_way else cols) * need <= room

    # -- style -----------------------------------------------------------------------------------
    @property
    def background(self) -> str:
        """The colour the plot is drawn on: its page's (``on_page``) or the theme's background."""
        return self._theme.window if self.on_page else self._theme.background

    def apply_style(self, theme: Theme, palette: str, font_scale: float) -> None:
        """Colours of ``theme``, maps of ``palette``, fonts scaled by ``font_scale``."""
        rescaled = font_scale != self._font_scale
        self._theme, self._palette, self._font_scale = theme, palette, font_scale
        for box in self._selected_items:
            box.setPen(pg.mkPen(theme.accent, width=3))
        pt = BASE_POINT_SIZE * font_scale
        set_style_sheet(self, f"QLabel {{ color: {theme.foreground}; }}")
        for label, size, bold in ((self._title, pt * (1.0 if self.compact else TITLE_SCALE), True), (self._hover, pt, False)):
            font = QtGui.QFont(label.font())
            font.setPointSizeF(size)
            font.setBold(bold)
            label.setFont(font)
        self.stack.style_message(font, theme.muted)     # the hover line's font
        self._graphics.setBackground(self.background)
        self._tick_font = style_axes((self._plot.getAxis("left"), self._plot.getAxis("bottom"),
                                      *(bar.axis for bar in self._bars.values())), theme, pt * 0.95)
        if rescaled:
            self._measure_ticks_afresh()
        self._place_bar(self.width())
        self._fit_margins()
        self._drawn_as.clear()              # fonts and colours changed: every part is set again
        if self.marked:
            self.set_marks(self.marked)     # in the new theme's colours
        self.set_min_plot_height(getattr(self, "_min_plot", 80))
        self._fit_bar_width()
        self._fit_ticks()
        if self.matrix is not None:
            self._redraw()

    def _measure_ticks_afresh(self) -> None:
        """The index axes' room for their tick labels back to pyqtgraph's first (AXIS_TEXT_START), to
        be measured at the new font as it first paints them, as at the start.  pyqtgraph keeps the
        room it measured unless the labels come out more than 10 px smaller (AxisItem.
        _updateMaxTextSize): after Ctrl+= twice and Ctrl+0, iris's W¹ kept +2's 12.7-px row ticks
        (9.5 at the start), a narrower plot, and printed 10.78 pt where it had printed 10.66."""
        left, bottom = self._plot.getAxis("left"), self._plot.getAxis("bottom")
        left.textWidth, bottom.textHeight = AXIS_TEXT_START
        left._updateWidth()
        bottom._updateHeight()

    def _fit_margins(self) -> None:
        """The picture's margins: with the colour bar beside the plot, PLOT_MARGINS beside and 2 px
        above and below (the bar is half a line shorter at each end, for its end labels:
        ``_fit_bar_width``; half a line above and below the whole picture cost two stacked
        heatmaps' rows the height of their numbers at zoom +3); with the bar under the plot, the
        row label's line above (it reads across there, ``RowAxis``) and 2 px elsewhere."""
        line = QtGui.QFontMetricsF(self._tick_font).lineSpacing()
        if self.bar_below:
            margins = (2, line + 2, PLOT_MARGINS[1], 2)
        else:
            margins = (PLOT_MARGINS[0], 2, PLOT_MARGINS[1], 2)
        if self._changed("margins", margins):
            self._graphics.ci.setContentsMargins(*margins)

    def set_min_plot_height(self, pixels: int, numbers: bool | None = None) -> None:
        """At least ``pixels`` for the plot, and never less than its colour bar's labels and
        the column axis need at the current font (at zoom +3 two heatmaps stacked in a 1024×768
        companion were squeezed to 20-px plots under overlapping labels: the panel scrolls instead).
        With ``numbers`` (kept while None), also as tall as its rows need for their numbers with
        the colour bar under the plot (``_least_below``), for a matrix whose cells print them: in a
        panel that scrolls down anyway, height is cheap and the cells get the width the bar took
        beside them (diagram's W¹, 4×3, at zoom +3 in a 360-px companion printed none beside it)."""
        self._min_plot = pixels
        if numbers is not None:
            self._numbers_tall = numbers
        self._graphics.setMinimumHeight(self._least_graphics_height(self.compact))

    def _least_graphics_height(self, compact: bool, width: int | None = None) -> int:
        """The plot's least height with its axes: the colour bar's labels a line and a half apart
        less a line (its two end labels alone when compact), and the column axis with its label
        (two lines and a half in all).  The same
        with the bar under the plot, which goes there only on a plot taller than that needs
        (``_bar_goes_below``): the least height never changes with the bar's place, which would lay
        the panel out again.  (``width`` is kept for the callers.)"""
        line = QtGui.QFontMetricsF(self._tick_font).lineSpacing()
        least = max(self._min_plot, round(((BAR_LABELS_COMPACT if compact else BAR_LABELS) + 2.5) * line))
        if self._numbers_tall and self.could_print(either_way=False):
            least = max(least, self._least_below())
        return least

    def _least_below(self) -> int:
        """The plot's least height with the colour bar under it: margins, the column axis and its
        label, the bar and its labels (four lines and 29 px), and rows tall enough for numbers at
        the readable floor (a line of the floor's font and CELL_LINE_MARGIN pixels each)."""
        line = QtGui.QFontMetricsF(self._tick_font).lineSpacing()
        rows = self.matrix.shape[0] if self.matrix is not None else 1
        return round(4 * line + 29 + max(1.5 * line, rows * (_metrics_at(cell_floor(self._font_scale)).height() + CELL_LINE_MARGIN)))

    def set_compact(self, on: bool) -> None:
        """Compact (two heatmaps stacked in a companion too short for both): the title shortened to
        one line where it can be (``_title_text``; the whole title as its tooltip) in the widgets'
        size rather than TITLE_SCALE times it, the colour bar
        with its end labels alone, and the hover line as a tooltip instead of a line under the plot."""
        if on == self.compact:
            return
        self.compact = on
        self._hover.setVisible(not on)
        font = QtGui.QFont(self._title.font())
        font.setPointSizeF(BASE_POINT_SIZE * self._font_scale * (1.0 if on else TITLE_SCALE))
        self._title.setFont(font)
        self._place_bar(self.width())
        self.set_min_plot_height(self._min_plot)
        self._fit_title()
        if self.matrix is not None:
            self._redraw()

    def least_height(self, compact: bool, width: int) -> int:
        """The heatmap's least height at ``width``, compact or not."""
        m = self.layout().contentsMargins()
        spacing = self.layout().spacing()
        metrics = QtGui.QFontMetrics(self._title.font())
        room = max(width - m.left() - m.right(), 1)
        text = _wrappable(self._title_text(room) if compact else self.title)
        title_height = metrics.boundingRect(QtCore.QRect(0, 0, room, 100000), QtCore.Qt.TextFlag.TextWordWrap,
                                            text or " ").height()
        hover = 0 if compact else self._hover.sizeHint().height() + spacing
        return m.top() + m.bottom() + title_height + spacing + self._least_graphics_height(compact, width) + hover

    def _title_text(self, width: float) -> str:
        """The compact title at ``width`` pixels: the whole if it fits one line, else shortened
        keeping its shape (``_with_shape``: at 1024×768, zoom +3, "−η ∂C/∂W¹ (32×64)" rather than
        "−η ∂C/∂W¹, η = 0.05", D's finding 53), else without its shape, else without what follows
        a "; " too ("∂z²/∂z¹ = W² diag σ′(z¹)" without "; δ¹ = thisᵀ δ²"), the first of these on
        one line (the last, wrapped at spaces, if none is).  Its axes tick the last row and
        column (``index_ticks``)."""
        metrics = QtGui.QFontMetricsF(self._title.font())
        bare = _SHAPE.sub("", self.title, count=1)
        texts = [self.title, *_with_shape(self.title), bare, bare.split("; ")[0]]
        return next((t for t in texts if metrics.horizontalAdvance(t) <= width), texts[-1])

    def _fit_title(self) -> None:
        """The title, word-wrapped at the label's width; compact, shortened to one line
        (``_title_text``)."""
        text = self._title_text(self._title.contentsRect().width()) if self.compact else self.title
        self._title.setText(_wrappable(text))
        self._title.setToolTip(self.title if text != self.title else "")

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._drawn:             # else placed as it is drawn (held out of sight, or hidden)
            self._place_bar(event.size().width())
        if self.compact:
            self._fit_title()
        least = self.least_height(self.compact, event.size().width())
        if least != getattr(self, "_least", None):      # the title wraps to more or fewer lines at this width
            self._least = least
            self.updateGeometry()

    def minimumSizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        """At least as tall as the title wrapped at the current width needs with the plot's least
        height: the panel's grid lays heatmaps out without height-for-width, and gave a title of three
        lines (∂z²/∂z¹ at zoom +3 in the 1024×768 companion) the height of two."""
        hint = super().minimumSizeHint()
        return QtCore.QSize(hint.width(), max(hint.height(), self.least_height(self.compact, self.width())))

    def _bar_goes_below(self, width: int, compact: bool) -> bool:
        """The colour bar goes where it leaves the cells' numbers reading best (``_rank``: printed, at
        the readable floor, in plain decimals, larger), beside the plot or under it (the update's
        W¹ and −η∂C/∂W¹, 4×3, stacked at 1280×720: under, 16-px rows with 9-pt numbers; beside,
        their rows grow by the bar's height and print at the widgets' size); where both read the
        same, under a heatmap narrower than BELOW_LINES lines of its ticks' font (not compact) or
        whose cells beside it are too narrow for their numbers at the floor, to give the cells the width.  As laid out once, its cells' rank in each place is known
        (``_measured``), not foreseen (``_plot_sizes``).  Under the plot only when its height holds
        the bar there (``_least_below``), and beside it when its cells could not print numbers (``could_print``)
        (digits' 32×32 σ′: the picture wants height).  Neither the width nor the height given
        depends on the bar's place (a heatmap given less than its least height with the bar under
        keeps it beside)."""
        if not self.could_print(either_way=False) or self._graphics.height() < self._least_below():
            return False
        narrow = not compact and width < BELOW_LINES * QtGui.QFontMetricsF(self._tick_font).lineSpacing()
        chrome, below, chrome_h = self._chrome
        if chrome is None:
            return narrow
        rows, cols = self.matrix.shape
        height = self._graphics.height()
        sizes = self._plot_sizes(width - chrome, height - chrome_h, below)
        cell_h = sizes[below][1] / rows
        rank = {b: self._measured.get((self.matrix.shape, width, height, b))
                or (self._rank(sizes[b][0] / cols, sizes[b][1] / rows) if min(sizes[b]) > 0 else _rank_of(None, 0.0))
                for b in (False, True)}
        if rank[True] != rank[False]:
            return rank[True] > rank[False]
        if not rank[True][0] and not self._line_fits(cell_h):
            return self.bar_below           # no numbers either way, nor at the floor in its place: it stays (by
            # the cells' room in its place, spirals' 16×16 diag σ′ swung between the two at every layout)
        # the same: under it where narrow, or where beside it the cells are too narrow at the floor
        return narrow or self._cell_fits(sizes[False][0] / cols, cell_h) is False

    def _plot_sizes(self, width: float, height: float, below: bool) -> dict[bool, tuple[float, float]]:
        """The plot's size with the colour bar beside it (False) and under it (True), from its
        ``width`` × ``height`` with the bar ``below`` or not: under the plot the bar, its labels and
        the row label's line above the plot take height, beside it the bar and its labels width."""
        metrics = QtGui.QFontMetricsF(self._tick_font)
        bar = BAR_WIDTH + 2 + self._beside_axis()
        under = (self._bars[True].geometry().height() if below else metrics.height() + BAR_WIDTH + 12) \
            + 4 + metrics.lineSpacing()
        if below:
            return {False: (width - bar, height + under), True: (width, height)}
        return {False: (width, height), True: (width + bar, height - under)}

    def _place_bar(self, width: int, redraw: bool = True) -> None:
        """The colour bar under the plot or beside it (``_bar_goes_below``); moved, the content is
        drawn again unless ``redraw`` is False (the caller draws it)."""
        below = self._bar_goes_below(width, self.compact)
        if below == self.bar_below or self.matrix is None:      # no plot shown: the bar stays where it is
            return
        self._moving_bar = True                 # the plot resized as the bar leaves or joins its grid: not fitted
        try:                                    # then (sine's 16×1 W¹ of ±1.8e308 set an axis' range in a resize
            if self.bar_below:                  # nested in pyqtgraph's addItem and crashed)
                self._plot.layout.removeItem(self._bar)
                self._plot.layout.setRowFixedHeight(4, 0)
                self._graphics.scene().removeItem(self._bar)
            else:
                self._graphics.removeItem(self._bar)
            self.bar_below, self._bar = below, self._bars[below]
            if below:                           # in the plot's own grid, under the column axis, as wide as the cells
                self._plot.layout.addItem(self._bar, 5, 1)
                self._plot.layout.setRowFixedHeight(4, 4)
            else:
                self._graphics.addItem(self._bar, row=0, col=1)
        finally:
            self._moving_bar = False
        self._drawn_as.clear()                  # the bar now in place gets the colour map, levels and labels
        self._fit_margins()
        self._fit_bar_width()
        if redraw and self.matrix is not None:
            self._redraw()

    def _widest_bar_label(self) -> float:
        """The width of the colour bar's widest label (at least BAR_RESERVE's) in the ticks' font."""
        metrics = QtGui.QFontMetricsF(self._tick_font)
        return max(metrics.horizontalAdvance(t) for t in [BAR_RESERVE, *self._bar_labels])

    def _beside_axis(self) -> float:
        """The width of the colour bar's labels beside it: the widest and 8 px."""
        return self._widest_bar_label() + 8

    def _fit_bar_width(self) -> None:
        """Room for the longest colour-bar label (pyqtgraph drops labels that do not fit): beside the
        bar when it stands beside the plot; under it, the bar is half a label shorter at each end
        than the plot, so that its end labels stay within the plot's width (room past the plot's
        right edge for them was room taken from the cells)."""
        metrics = QtGui.QFontMetricsF(self._tick_font)
        if self.bar_below:
            half = round(self._widest_bar_label() / 2) + 2
            axis = self._bar.axis
            axis.setStyle(hideOverlappingLabels=half)     # the end labels reach past the bar's ends
            # as tall as its labels from the start (pyqtgraph grows it at its first paint, dropping them from that one)
            axis.setHeight(round(metrics.height() + max(0, axis.style["tickLength"]) + axis.style["tickTextOffset"][1] + 2))
            self._bar.layout.setContentsMargins(half, 1, half, 1)
            self._bar_axis = 0
        else:
            self._bar_axis = self._beside_axis()
            self._bar.axis.setWidth(self._bar_axis)
            half = math.ceil(metrics.lineSpacing() / 2) + 1      # its end labels within the picture (_fit_margins)
            self._bar.layout.setContentsMargins(1, half, 1, half)
        self._fit_min_width()

    def _fit_min_width(self) -> None:
        """Never narrower than the row axis, the colour bar with its labels and a plot four lines
        and a half wide (at a large zoom a squeezed companion left the plot 8 px wide).  The cells'
        numbers do not widen it: a heatmap that kept four columns of numbers was wider than the
        1024×768 companion, which scrolled sideways and cut the title; cells too small for their
        numbers print none and say so (``_on_resized``).  What is not plot (axes, colour bar,
        margins) is measured once laid out."""
        metrics = QtGui.QFontMetricsF(self._tick_font)
        plot = 4.5 * metrics.lineSpacing()
        box = self._plot.getViewBox().sceneBoundingRect()
        if self._graphics.isVisible() and box.width() > 1:
            rest = self._graphics.width() - box.width()
            if self.bar_below:                  # as wide as with the bar beside: its place never narrows the panel
                rest += BAR_WIDTH + 2 + self._beside_axis()
        else:                                   # not laid out yet
            rest = self._chrome_width(0 if self.bar_below else BAR_WIDTH + 2 + getattr(self, "_bar_axis", 0))
        width = max(120, round(rest + plot))
        if self._changed("min_width", width):
            self._graphics.setMinimumWidth(width)

    def _chrome_width(self, bar: float) -> float:
        """What of the heatmap's width is not plot, from its fonts: the row axis (ticks up to
        ROW_TICKS_RESERVE and its label's line), the margins, and ``bar`` pixels of colour bar beside the plot."""
        metrics = QtGui.QFontMetricsF(self._tick_font)
        return metrics.horizontalAdvance(ROW_TICKS_RESERVE) + metrics.lineSpacing() + 14 + bar + sum(PLOT_MARGINS) + 4

    def _on_resized(self, *_) -> None:
        """Index ticks as dense as fit; cell values at all the View's figures (``_fit_numbers``),
        the cells parted by lines while they print them.  Not while the content waits to be drawn
        (hidden or held): its numbers are fitted as it is drawn."""
        if not self._drawn or self._moving_bar:
            return
        self._fit_ticks()
        self._fit_min_width()
        strings, pt = [], 1.0
        if self.matrix is not None:
            rows, cols = self.matrix.shape
            rect = self._plot.getViewBox().sceneBoundingRect()
            if self._may_fit(rect.width() / cols * self._span(), rect.height() / rows):     # else none fits: not
                strings, pt = self._fit_numbers(rect.width() / cols, rect.height() / rows)  # fitted (pyqtgraph lays a
                # plot out again as it first paints new tick labels: digits' 10×32 ∂C/∂W² at →8, 32 columns in 285 px)
        under = self.matrix is not None and (not strings or pt < cell_floor(self._font_scale) - 1e-9)
        if self.matrix is not None and rect.width() > 1 and self.could_print(either_way=False):    # what is not plot, for the bar's place
            self._chrome = (self.width() - rect.width(), self.bar_below, self._graphics.height() - rect.height())
            self._measured[(self.matrix.shape, self.width(), self._graphics.height(), self.bar_below)] = \
                self._rank(rect.width() / cols, rect.height() / rows)     # as laid out, not as foreseen
            if len(self._measured) > 64:
                self._measured.clear()
            if self._bar_goes_below(self.width(), self.compact) != self.bar_below:
                QtCore.QTimer.singleShot(0, self, self._on_bar_place_timeout)   # the bar's place for its
                # numbers, once this pass is done (as laid out; a resize decides it before the plot is)
        painted = strings                       # the cells' texts: the formatter's, without the line breaks
        self._strings = [[t.replace("\n", "") for t in row] for row in strings]
        self.values_hidden = self.matrix is not None and not strings
        self.under_floor = under
        font = QtGui.QFont()
        font.setPointSizeF(max(pt, 1.0))
        self._cells.set_cells(painted, self._formatted().colours if strings else [], font,
                              QtGui.QColor(self._theme.muted) if strings else None,
                              self._formatted().plates if strings else None)
        if not self._hovering:
            self._hover.setText(self._idle_hover())
        self.numbers_fitted.emit()

    def _on_bar_place_timeout(self) -> None:
        if self._drawn and self.matrix is not None:
            self._place_bar(self.width())

    def _fit_numbers(self, cell_w: float, cell_h: float) -> tuple[list[list[str]], float]:
        """(texts, point size) of the cells' numbers in ``cell_w`` × ``cell_h``-px cells
        (``_best_fit``); ([], 1.0) where none fit."""
        found = self._best_fit(cell_w, cell_h)
        return (found[1], found[2]) if found is not None else ([], 1.0)

    def _best_fit(self, cell_w: float, cell_h: float):
        """(form, texts, point size) of the cells' numbers in ``cell_w`` × ``cell_h``-px cells: at the
        largest size up to the zoomed font (the widgets' size × the zoom) that fits, never under the
        zoomed readable floor (``cell_floor``), in the first of the ways ``_fits`` tries that
        fits.  Where none fits at that floor (the panel then looks for room: ``under_floor``), in
        the first form that fits down to ``least_cell_pt``, at the largest size it fits: zoomed
        in, the cells print their numbers where they printed them unzoomed.  Never fewer figures:
        cells too small for all that print no numbers (None), and the hover line says to point at
        a cell.  Remembered per cell size for the content and fonts drawn (the colour bar's place
        weighs both of its places by it: ``_bar_goes_below``)."""
        key = (round(cell_w, 1), round(cell_h, 1))
        if key in self._fit_memo:
            return self._fit_memo[key]
        floor, least = cell_floor(self._font_scale), least_cell_pt(self._font_scale)
        cell_w *= self._span()                      # the width a number may take
        room = self._may_fit(cell_w, cell_h)       # else no number fits: none formatted to find that
        found = next(self._fits(cell_w, cell_h, floor), None) if room else None
        if found is None and least < floor and room:
            fits = list(self._fits(cell_w, cell_h, least))
            found = max((f for f in fits if f[0] == fits[0][0]), key=lambda f: f[2]) if fits else None
        if len(self._fit_memo) > 64:
            self._fit_memo.clear()
        self._fit_memo[key] = found
        return found

    def _rank(self, cell_w: float, cell_h: float) -> Rank:
        """How well the cells' numbers read in ``cell_w`` × ``cell_h``-px cells, larger is better:
        printed at all, at the zoomed floor or larger, in plain decimals (the formatter's form:
        "0.7511", not "7.511" over "e-1", which a hall reads less well at any size), then the
        larger point size."""
        return _rank_of(self._best_fit(cell_w, cell_h), cell_floor(self._font_scale))

    def rank(self) -> Rank:
        """``_rank`` of the cells as laid out now (nothing shown: the least)."""
        if self.matrix is None:
            return _rank_of(None, 0.0)
        rows, cols = self.matrix.shape
        box = self._plot.getViewBox().sceneBoundingRect()
        return self._rank(box.width() / cols, box.height() / rows) if box.width() > 1 else _rank_of(None, 0.0)

    def _fits(self, cell_w: float, cell_h: float, floor: float):
        """Each way the cells' numbers fit ``cell_w`` × ``cell_h``-px cells at ``floor`` points or
        larger, as (form, texts, point size), preferred first, each at the largest size up to the
        zoomed font it allows.  The cells of a heatmap all in one form, the formatter's plain
        decimals (``_forms``) first; all in scientific notation only where that is what fits (a
        narrow σ′ row printed "2.436e-1" beside "0.203"); last, in cells tall enough for two
        lines, all in scientific notation with the exponent under the figures ("-6.503" over
        "e-3"): the texts then hold line breaks.  A one-line number is as large as a line of text
        with CELL_LINE_MARGIN pixels to spare fits the cell's height (iris's σ′ as a column at
        1024×768, 22-px rows: 12 pt, where a font held to 0.4 of the row gave 8.6 pt), up to the
        zoomed font; in each one-line form roomy first, CELL_PADDING pixels beside each number,
        where the row is CELL_HEIGHT_SHARE-roomy (its height × the share at least the floor); then
        tight: CELL_PADDING_TIGHT beside (four columns of "-0.07627" in the 1024×768 companion at
        zoom +3; σ′ over the Jacobian there, in 21-px rows)."""
        top = BASE_POINT_SIZE * self._font_scale
        forms = self._forms()
        target = _tallest(cell_h, 1, top)
        for form, texts in enumerate(forms):
            for padding, tried in ((CELL_PADDING, cell_h * CELL_HEIGHT_SHARE >= floor), (CELL_PADDING_TIGHT, True)):
                if tried and target >= floor:
                    pt = _widest_fitting(self._lines(texts), cell_w - padding, target, floor)
                    if pt is not None:
                        yield form, texts, pt
        room = cell_w - CELL_PADDING_TIGHT
        split = self._split()
        lines = self._lines(split)
        pt = max(floor, min(_tallest(cell_h, 2, top), room / max(widest(lines), 1e-9)))
        while True:
            if 2 * _metrics_at(pt).height() + CELL_LINE_MARGIN <= cell_h and _painted_width(lines, pt) <= room:
                yield len(forms), split, pt
                return
            if pt <= floor:
                return
            pt = max(pt - 0.25, floor)

    def _forms(self) -> list[list[list[str]]]:
        """The cells' texts in each form a heatmap prints them in, preferred first: as the
        formatter writes them (plain decimals but for the very small and large), and all in
        scientific notation."""
        texts = self._formatted()
        full, sci = texts.full, texts.sci
        return [full] if sci == full else [full, sci]

    def _split(self) -> list[list[str]]:
        """Every value over two lines in scientific notation: "-6.503" over "e-3"."""
        return self._formatted().split

    def _cell_need(self, cell_h: float, plain: bool = False) -> float | None:
        """The least width of a cell (px) in which every cell's number prints at the readable floor
        in cells ``cell_h`` px tall, in one of its forms (``_forms``, one line, or two where two
        lines fit; ``plain``: in the formatter's form alone); None when not even a line at the
        floor fits that height, or the cells could print no numbers (``could_print``)."""
        if not self.could_print():
            return None
        key = ("need", round(cell_h, 1), plain)     # (the fits' memo: for the content and fonts drawn)
        if key not in self._fit_memo:
            self._fit_memo[key] = self._find_cell_need(cell_h, plain)
        return self._fit_memo[key]

    def _find_cell_need(self, cell_h: float, plain: bool) -> float | None:
        if not self._line_fits(cell_h):
            return None
        floor = cell_floor(self._font_scale)
        two = 2 * _metrics_at(floor).height() + CELL_LINE_MARGIN <= cell_h and not plain
        forms = self._forms()[:1] if plain else self._forms()
        need = min(_painted_width(self._lines(texts), floor) for texts in forms + ([self._split()] if two else []))
        return (need + CELL_PADDING_TIGHT + 1) / self._span()     # a diagonal matrix: over its blank neighbours

    def _line_fits(self, cell_h: float) -> bool:
        """Whether the cells could print numbers (``could_print``) and a line at the readable floor
        fits ``cell_h`` px: ``_cell_need`` is a width then, not None."""
        return self.could_print() and _metrics_at(cell_floor(self._font_scale)).height() + CELL_LINE_MARGIN <= cell_h

    def _cell_fits(self, cell_w: float, cell_h: float, plain: bool = False) -> bool | None:
        """Whether ``cell_w`` × ``cell_h``-px cells are as wide as ``_cell_need`` (None where that is
        None).  Cells narrower than the probes' need at the floor (``_probe_need``: no cell's number
        is narrower) are too narrow without the cells' texts formatted: digits' and spirals' 16×16
        and 32×32 matrices, printing nothing, had all their numbers formatted at the key to place
        the colour bar (12 of spirals' 48 ms of CPU at ←14, two 16×16 drawn)."""
        if not self._line_fits(cell_h):
            return None
        if cell_w < self._probe_need(cell_floor(self._font_scale)) / self._span():
            return False
        return self._cell_need(cell_h, plain) <= cell_w

    @property
    def wants_plain(self) -> bool:
        """Whether the cells print their numbers in scientific notation ("7.511" over "e-1") where
        the formatter writes plain decimals ("0.7511"): the panel looks for room to print those
        (drawn transposed: ``prints_transposed``)."""
        return bool(self._strings) and self._strings != self._formatted().full

    def prints_transposed(self, plain: bool = False) -> bool:
        """Whether its cells, too narrow for their numbers (``plain``: for them in the formatter's
        form, ``wants_plain``), would print them so at the readable floor were the matrix drawn
        transposed in the same plot: its rows as wide as its columns are now and as tall as its
        columns are wide (iris's W², 3×8, at zoom +3: 39-px columns, 104 px as rows); in a panel
        that scrolls down, where the plot grows as tall as its rows' numbers need
        (``set_min_plot_height``), with rows a line of the floor's font tall (iris's W², 3×8, in
        the five heatmaps' column at 1024×768, zoom +3: 37-px columns in a 63-px plot)."""
        if not self.could_print():
            return False
        rows, cols = self.matrix.shape
        box = self._plot.getViewBox().sceneBoundingRect()
        if box.width() <= 1:
            return False
        # as it is, or with the colour bar in its other place (beside: taller rows, narrower columns)
        sizes = list(self._plot_sizes(box.width(), box.height(), self.bar_below).values())
        if self._numbers_tall:
            line = _metrics_at(cell_floor(self._font_scale)).height() + CELL_LINE_MARGIN
            sizes += [(width, max(height, cols * line)) for width, height in sizes]
        return any(self._cell_fits(width / rows, height / cols, plain) for width, height in sizes)

    def numbers_height(self) -> int | None:
        """The least height of this heatmap at which its rows hold a line of the cells' font at the
        readable floor, the rest (title, axes, colour bar) as laid out now; None when nothing is
        shown, its cells could not print numbers (``could_print``) or it is not laid out yet."""
        if not self.could_print(either_way=False) or not self._graphics.isVisible():
            return None
        box = self._plot.getViewBox().sceneBoundingRect()
        if box.height() <= 1:
            return None
        line = _metrics_at(cell_floor(self._font_scale)).height() + CELL_LINE_MARGIN
        return math.ceil(self.height() - box.height() + self.matrix.shape[0] * line)

    def numbers_width(self) -> int | None:
        """The least width of this heatmap at which its cells print every number at the readable
        floor, at its plot's present height: its cells that wide, the rest (axes, colour bar,
        margins) as laid out now.  None when no width would do (rows shorter than a line at the
        floor, cells that could not print as drawn: ``could_print``, nothing shown, not laid out yet)."""
        if not self.could_print(either_way=False) or self.stack.isHidden() or not self._graphics.isVisible():
            return None
        rows, cols = self.matrix.shape
        box = self._plot.getViewBox().sceneBoundingRect()
        need = self._cell_need(box.height() / rows) if box.width() > 1 else None
        if need is None:
            return None
        return math.ceil(self.width() - box.width() + cols * need)

    def _idle_hover(self) -> str:
        """The hover line while the pointer is off the cells: blank, or, when the cells print no
        numbers, the longest of HIDDEN_NOTES that fits the line."""
        if not self.values_hidden:
            return " "
        m = self.layout().contentsMargins()
        room = self.width() - m.left() - m.right()
        metrics = QtGui.QFontMetricsF(self._hover.font())
        return next((n for n in HIDDEN_NOTES if metrics.horizontalAdvance(n) <= room), HIDDEN_NOTES[-1])

    def _on_mouse_moved(self, pos) -> None:
        if self.matrix is None:
            return
        p = self._plot.getViewBox().mapSceneToView(pos)
        r, c = int(round(p.y())), int(round(p.x()))
        text = self.hover_text(r, c) if 0 <= r < self.matrix.shape[0] and 0 <= c < self.matrix.shape[1] else ""
        self._hovering = bool(text)
        if self.compact:          # no line under the plot: the value by the pointer
            QtWidgets.QToolTip.showText(QtGui.QCursor.pos(), text or (HIDDEN_NOTES[0] if self.values_hidden else ""),
                                        self._graphics)
        else:
            self._hover.setText(text or self._idle_hover())
