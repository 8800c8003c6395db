"""Geometry of the network graph: where every node, bias unit, edge and label sits, and what lies
under a point.  Pure numbers (no painting), computed once per resize, run or toggle change.

Columns k = 0..L hold the neurons of a[k], left to right.  A column of more than ``WIDE`` neurons,
or of more than ``VALUE_TEXT_MAX`` whose circles would be smaller than ``MIN_RADIUS`` in the space
it has (64 inputs at 1280×720 made a black bar of dots), is drawn as a strip of cells (level of
detail) instead.  A column of at most ``VALUE_TEXT_MAX`` neurons carries each neuron's number: in its
circle when the circle is wide enough for the number, otherwise in a pill (a rounded box as wide as
the number) whose height fits the row.  With ``split`` every neuron of
columns 1..L becomes a Σ node (z, where edges arrive) and a σ node (a, where edges leave); with
``bias`` column k < L gets a "1" unit above its neurons that feeds column k+1.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

WIDE = 64            # columns wider than this are drawn as strips
MIN_RADIUS = 4.0     # circles smaller than this (px) no longer read as neurons: the column becomes a strip
VALUE_TEXT_MAX = 12  # values are printed inside nodes of columns up to this size
TEXT_PAD = 4.0       # pixels between a number and its node's outline
OUTPUT_MARGIN = 0.75 # the output column keeps at least this much of max_radius from the right edge (its label is the longest)
NARROW_SHARE = 0.65  # a column whose numbers are known to be narrow (the inputs') keeps this share of its circle at least
PILL_MIN_ASPECT = 1.5  # a pill less than this much wider than tall would read as a squashed circle: a circle instead


@dataclass
class Hit:
    """What lies under a point: kind in {"neuron", "sum", "bias", "edge", "bias_edge", "column"}.
    neuron/sum: column k, neuron j; bias: column k; edge: W[l][j, i]; bias_edge: b[l][j]; column: k."""
    kind: str
    k: int = 0
    j: int = 0
    i: int = 0


@dataclass
class GraphLayout:
    sizes: list
    width: float
    height: float
    split: bool
    bias: bool
    top: float                      # y of the first neuron row area
    bottom: float                   # y where the neuron area ends (labels below)
    xs: list = field(default_factory=list)        # column centres
    in_x: list = field(default_factory=list)      # where edges arrive (Σ nodes)
    out_x: list = field(default_factory=list)     # where edges leave (σ nodes)
    ys: list = field(default_factory=list)        # neuron centres per column (arrays)
    radius: list = field(default_factory=list)    # circle radius per column (a pill's half height)
    half_w: list = field(default_factory=list)    # half width of a node: the radius, or a pill's
    values_fit: list = field(default_factory=list)  # the column's nodes have room for their numbers
    strip: list = field(default_factory=list)     # column drawn as a strip?
    strip_w: float = 18.0
    bias_pos: list = field(default_factory=list)  # (x, y) of the bias unit of column k < L
    bias_r: float = 0.0
    col_spacing: float = 100.0

    @property
    def L(self) -> int:
        return len(self.sizes) - 1

    def show_values(self, k: int) -> bool:
        return bool(self.values_fit[k])

    def outer_half(self, k: int) -> float:
        """How far column k's nodes reach either side of its centre (a strip with its saturation marks)."""
        return self.strip_w if self.strip[k] else self.half_w[k]

    def pill(self, k: int) -> bool:
        """Column k's nodes are pills (wider than tall) rather than circles."""
        return not self.strip[k] and self.half_w[k] > self.radius[k] + 0.5

    def text_rect(self, k: int, x: float, y: float) -> tuple[float, float, float, float]:
        """(x, y, w, h) of the room for a number in the node of column k centred at (x, y)."""
        hw, hh = self.half_w[k], self.radius[k]
        if not self.pill(k):          # the square inscribed in the circle, widened a little
            hw, hh = hw * 0.92, hh * 0.75
        else:
            hw -= TEXT_PAD
        return x - hw, y - hh, 2 * hw, 2 * hh

    def gap(self, l: int) -> float:
        """The free width between the nodes of columns l and l + 1 (where layer pair l's edges show)."""
        right = self.out_x[l] + (self.strip_w / 2 if self.strip[l] else self.half_w[l])
        left = self.in_x[l + 1] - (self.strip_w / 2 if self.strip[l + 1] else self.half_w[l + 1])
        return left - right

    def cell_h(self, k: int) -> float:
        return (self.bottom - self.top) / self.sizes[k]

    def spots(self) -> list[tuple[str, int, int, float, float]]:
        """Every drawn node as (kind, k, j, x, y): neurons ("neuron", the σ node when split), Σ
        nodes ("sum") and bias units ("bias", j = 0)."""
        out = []
        for k, ys in enumerate(self.ys):
            for j, y in enumerate(ys.tolist()):
                if self.split and k > 0:
                    out.append(("sum", k, j, self.in_x[k], y))
                out.append(("neuron", k, j, self.out_x[k], y))
        out += [("bias", k, 0, x, y) for k, (x, y) in enumerate(self.bias_pos)]
        return out

    # -- edges -------------------------------------------------------------------------------
    def edge_lines(self, l: int, j_idx, i_idx) -> np.ndarray:
        """(n, 4) rows x1, y1, x2, y2 of the edges W[l][j, i] (from column l to column l + 1)."""
        j_idx, i_idx = np.asarray(j_idx, dtype=int), np.asarray(i_idx, dtype=int)
        x1 = self.out_x[l] + (self.strip_w / 2 if self.strip[l] else 0.0)
        x2 = self.in_x[l + 1] - (self.strip_w / 2 if self.strip[l + 1] else 0.0)
        out = np.empty((len(j_idx), 4))
        out[:, 0], out[:, 1] = x1, self.ys[l][i_idx]
        out[:, 2], out[:, 3] = x2, self.ys[l + 1][j_idx]
        return out

    def bias_lines(self, l: int) -> np.ndarray:
        """(N_{l+1}, 4) lines from the bias unit of column l to every neuron of column l + 1."""
        bx, by = self.bias_pos[l]
        n = self.sizes[l + 1]
        x2 = self.in_x[l + 1] - (self.strip_w / 2 if self.strip[l + 1] else 0.0)
        out = np.empty((n, 4))
        out[:, 0], out[:, 1], out[:, 2], out[:, 3] = bx, by, x2, self.ys[l + 1]
        return out

    # -- hit testing -------------------------------------------------------------------------
    def node_at(self, x: float, y: float) -> Hit | None:
        for k in range(len(self.sizes)):
            spots = [("neuron", self.out_x[k])] + ([("sum", self.in_x[k])] if self.split and k > 0 else [])
            for kind, cx in spots:
                if self.strip[k]:
                    if abs(x - cx) <= self.strip_w / 2 + 3 and self.top <= y < self.bottom:
                        j = int((y - self.top) // self.cell_h(k))
                        return Hit(kind, k, min(max(j, 0), self.sizes[k] - 1))
                    continue
                dy = np.abs(self.ys[k] - y)
                j = int(np.argmin(dy))
                if self.pill(k):
                    inside = abs(x - cx) <= self.half_w[k] + 3 and dy[j] <= self.radius[k] + 3
                else:
                    inside = np.hypot(dy[j], cx - x) <= self.radius[k] + 3
                if inside:
                    return Hit(kind, k, j)
        if self.bias:
            for k, (bx, by) in enumerate(self.bias_pos):
                if np.hypot(bx - x, by - y) <= self.bias_r + 3:
                    return Hit("bias", k)
        return None

    def edge_at(self, x: float, y: float, drawn: dict, tolerance: float = 5.0) -> Hit | None:
        """The nearest drawn edge within ``tolerance``: ``drawn`` maps l to (j_idx, i_idx);
        bias edges are tested too when the bias units are shown."""
        best, best_d = None, tolerance
        for l, (j_idx, i_idx) in drawn.items():
            if not len(j_idx) or not (self.out_x[l] - 2 <= x <= self.in_x[l + 1] + 2):
                continue
            d = _segment_distance(self.edge_lines(l, j_idx, i_idx), x, y)
            m = int(np.argmin(d))
            if d[m] < best_d:
                best, best_d = Hit("edge", l, int(j_idx[m]), int(i_idx[m])), d[m]
            if self.bias:
                d = _segment_distance(self.bias_lines(l), x, y)
                m = int(np.argmin(d))
                if d[m] < best_d:
                    best, best_d = Hit("bias_edge", l, m), d[m]
        return best

    def column_at(self, x: float, y: float, label_bottom: float) -> Hit | None:
        """A column's band (its neurons, the empty space around them and its label below)."""
        half = min(self.col_spacing * 0.22, max(self.radius + [self.strip_w]) + 24)
        for k, cx in enumerate(self.xs):
            lo, hi = min(self.in_x[k], cx) - half, max(self.out_x[k], cx) + half
            if lo <= x <= hi and self.top - 10 <= y <= label_bottom:
                return Hit("column", k)
        return None


def _segment_distance(lines: np.ndarray, x: float, y: float) -> np.ndarray:
    p = np.array([x, y])
    a, b = lines[:, :2], lines[:, 2:]
    ab = b - a
    t = np.clip(((p - a) * ab).sum(axis=1) / np.maximum((ab * ab).sum(axis=1), 1e-12), 0.0, 1.0)
    return np.hypot(*(a + t[:, None] * ab - p).T)


def gap_spacing(lay: GraphLayout, widths: list | None) -> list:
    """Distances between the column centres of ``lay`` (as compute_layout's ``widths``) that give
    each layer pair the free width between its nodes by its share of ``widths`` (None: equal), the
    outer columns where they are: a column narrower than the others (the inputs' numbers) leaves its
    room to every pair, not to its own alone."""
    dist = np.diff(lay.xs)
    reach = dist - np.array([lay.gap(l) for l in range(lay.L)])      # the nodes' part of each distance
    shares = np.asarray(widths if widths is not None and len(widths) == lay.L else [1.0] * lay.L, float)
    free = (dist.sum() - reach.sum()) / max(shares.sum(), 1e-12)
    return (reach + free * shares).tolist()


def compute_layout(sizes, width: float, height: float, *, split: bool = False, bias: bool = False,
                   top: float = 60.0, bottom: float = 90.0, side: float = 70.0, max_radius: float = 30.0,
                   strip_w: float = 18.0, split_label_h: float = 24.0, value_w: float = 0.0,
                   value_h: float = 0.0, left: float = 0.0, right: float = 0.0,
                   widths: list | None = None, under_h: float = 0.0, value_ws: list | None = None,
                   first_x: float = 0.0, max_h: float | None = None, keep: float = 0.0,
                   _outer: tuple | None = None) -> GraphLayout:
    """Positions for a ``width`` × ``height`` widget with ``top``/``bottom`` pixels kept for the
    caption and the labels and ``side`` pixels of margin left and right, plus ``left``/``right``
    more for what sits beside the outer columns (the input picture, the class names); split neurons keep
    ``split_label_h`` pixels above the neurons for the Σ/σ names.  ``value_w`` × ``value_h`` is
    the size of the widest number a neuron carries (0: numbers are not drawn); ``value_ws`` (None:
    ``value_w`` for all) the widest number's width column by column, where a column's numbers are
    known to be narrower (the inputs: the data set's own numbers); ``first_x`` the least x of the
    input column's centre (its label's room, where its nodes are narrow).  ``widths``: each
    layer pair's share of the width between the outer columns, relative to the others (None: equal
    shares; a pair with its numbers on its edges gets more than one without).  ``under_h``: the
    height kept under each output neuron, in its row, for its class name (its node shorter and
    higher in the row).  ``max_h``: the neurons' area at most this tall (None: as tall as there is
    room for), in the middle of the room.

    The outer columns sit ``side`` from the edges as far in as their nodes are wide: laid out once
    ``max_radius`` in, then as far in as the nodes drawn so are wide (``_outer``, their half widths
    then), once more where they come out wider so (carrying their numbers); kept where they do not.
    A node wider than ``max_radius`` (a pill) may reach into the ``side`` margin, but keeps ``keep``
    pixels from the edge (the highlight band around its column, the selection ring: mazur's output
    pills at 653×311, zoom +3, came 13.5 px from the edge and the band, 21 px around them, was cut)."""
    if _outer is None:
        def at(outer: tuple, shares: list | None = widths) -> GraphLayout:
            return compute_layout(sizes, width, height, split=split, bias=bias, top=top, bottom=bottom, side=side,
                                  max_radius=max_radius, strip_w=strip_w, split_label_h=split_label_h, value_w=value_w,
                                  value_h=value_h, left=left, right=right, widths=shares, under_h=under_h,
                                  value_ws=value_ws, first_x=first_x, max_h=max_h, keep=keep, _outer=outer)

        def most(half: float) -> float:     # an outer column at most this far in: max_radius, or keeping ``keep``
            return max(max_radius, half - side + keep)

        def same(a: tuple, b: tuple) -> bool:
            return all(abs(x - y) < 0.5 for x, y in zip(a, b))

        first_outer = (max_radius, max_radius)
        first = at(first_outer)
        best, best_outer = first, first_outer
        for output in (OUTPUT_MARGIN * max_radius, 0.0):   # the output column's "(output)" name room, unless its numbers need it
            lay, laid = first, first_outer
            def reach(lay: GraphLayout) -> tuple:        # (a side wider than that kept that far in)
                return tuple(min(h, most(h)) for h in (lay.outer_half(0), max(lay.outer_half(lay.L), output)))
            for _ in range(2):       # as far in as the nodes drawn so are wide (wider nodes once they carry numbers)
                outer = reach(lay)
                if not lay.L or same(outer, laid) or same(outer, first_outer):
                    break
                lay, laid = at(outer), outer
                if reach(lay)[0] <= outer[0] + 0.5 and reach(lay)[1] <= outer[1] + 0.5:
                    if sum(lay.values_fit) > sum(best.values_fit) or best is first and sum(lay.values_fit) == sum(best.values_fit):
                        best, best_outer = lay, outer
                    break
        if value_ws is not None and best.L and min(value_ws) < value_w - 0.5:
            spaced = at(best_outer, gap_spacing(best, widths))   # a narrower column's room shared by every gap
            if sum(spaced.values_fit) >= sum(best.values_fit) and min(map(spaced.gap, range(spaced.L))) > min(
                    map(best.gap, range(best.L))):
                best = spaced
        return best
    sizes = [int(n) for n in sizes]
    L = len(sizes) - 1
    width, height = max(float(width), 200.0), max(float(height), 160.0)
    dx = max(max_radius * 1.25, value_w / 2 + TEXT_PAD + 6) if split else 0.0    # Σ and σ nodes this far either side
    x0, x1 = max(side + left + _outer[0], first_x), width - side - right - _outer[1] - dx   # (the last column's σ stays inside)
    shares = np.asarray(widths if widths is not None and len(widths) == L else [1.0] * L, float)
    xs = (x0 + (x1 - x0) * np.concatenate([[0.0], np.cumsum(shares)]) / max(shares.sum(), 1e-12)).tolist() if L else [width / 2]
    gaps = np.diff(xs) if L else np.array([x1 - x0])
    near = [float(min(gaps[max(k - 1, 0)], gaps[min(k, len(gaps) - 1)])) for k in range(L + 1)]   # each column's nearer neighbour
    spacing = float(gaps.min())
    dx = min(dx, spacing * 0.2)
    bias_r = max(min(max_radius * 0.6, 20.0), 9.0) if bias else 0.0
    area_top = top + (bias_r * 2 + 22 if bias else 0.0) + (split_label_h if split else 0.0)
    area_bottom = max(height - bottom, area_top + 40)
    if max_h is not None and area_bottom - area_top > max_h:      # the room it does not take above and below it
        area_top += (area_bottom - area_top - max_h) / 2
        area_bottom = area_top + max_h
    avail = area_bottom - area_top
    lay = GraphLayout(sizes, width, height, split, bias, area_top, area_bottom, col_spacing=spacing,
                      strip_w=strip_w, bias_r=bias_r)
    for k, n in enumerate(sizes):
        spacing = near[k]
        wide = n > WIDE or (n > VALUE_TEXT_MAX and min(avail / n * 0.4, spacing * (0.12 if split else 0.2)) < MIN_RADIUS)
        lay.strip.append(wide)
        lay.xs.append(xs[k])
        lay.in_x.append(xs[k] - dx if k > 0 else xs[k])
        lay.out_x.append(xs[k] + dx if k > 0 else xs[k])
        if wide:
            cell = avail / n
            lay.ys.append(area_top + (np.arange(n) + 0.5) * cell)
            lay.radius.append(0.0)
            lay.half_w.append(0.0)
            lay.values_fit.append(False)
            continue
        cell = min(avail / n, max_radius * 3.2)
        below = min(under_h, cell * 0.5) if k == L else 0.0     # the class name's room under the node
        step = cell - below                                     # (the node's share of its row)
        r = max(min(max_radius, step * 0.4, spacing * (0.12 if split else 0.2)), 2.0)
        start = area_top + (avail - cell * n) / 2
        lay.ys.append(start + np.arange(n) * cell + 0.5 * step)
        half_w, fit = r, False
        vw = value_w if value_ws is None else value_ws[k]
        if vw > 0 and n <= VALUE_TEXT_MAX:
            if vw < value_w - 0.5:                           # numbers known to be narrower: a circle as large as
                r = half_w = min(r, max(vw / (2 * 0.92), value_h / (2 * 0.75), NARROW_SHARE * r))   # they need
            if 2 * r * 0.92 >= vw and 2 * r * 0.75 >= value_h:
                fit = True                                   # the number fits in the circle
            else:                                            # a pill: the number's width, the row's height
                room = dx - 3 if split and k > 0 else spacing * 0.42   # Σ and σ apart; edges visible
                hh = min(max(step * 0.42, value_h / 2 + 1), max_radius, room, step * 0.46)   # (a short row: as tall as the number)
                hw = max(vw / 2 + TEXT_PAD, hh)
                if 2 * hh >= value_h and hw <= room:
                    r, half_w, fit = hh, hw, True
                    if hw < PILL_MIN_ASPECT * hh:     # nearly round: a circle that holds the number where the row allows,
                        holds = max(vw / (2 * 0.92), value_h / (2 * 0.75))     # else a flatter pill that does
                        if holds <= min(step * 0.46, room):
                            r = half_w = max(holds, hh)
                        else:
                            r = max(hw / PILL_MIN_ASPECT, value_h / 2)
        lay.radius.append(r)
        lay.half_w.append(half_w)
        lay.values_fit.append(fit)
    if bias:
        lay.bias_pos = [(lay.out_x[k], top + bias_r + 6) for k in range(L)]
    return lay
