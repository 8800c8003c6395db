"""The numbers printed on edges (w, ∂C/∂w or the new w, as in the hand-worked posts): where they
go and drawing them.

Every label of a layer pair is placed at once (``place``), each a box centred on its own edge, so
that no two boxes overlap and none covers a node, a fixed name, a Σ/σ name or a "?" badge, and its
own edge is the one nearest the box's middle (by MATCH_GAP).  Each edge offers many positions along
it (CANDIDATE_TS); a position costs more where another edge of the pair runs through the box, most
where one passes near its middle (a crossing), and a little towards the ends of the edge.  A search
(fewest free positions first, cheapest first, branch and bound within SEARCH_BUDGET) finds the
cheapest placement at the largest font size that seats every label (then the sizes between it and
the one above, halved, ``_finer``); when another edge still runs through some box, the next size
down is taken if it is clearer.  Below the smallest size the boxes
may move off-centre (SHIFTS, the edge still through them), then a label sits beside its edge on a
short leader line, or anywhere free between the columns on a longer one (``_callout_spot``); only
one with no free room even for that is left out (its tooltip has it, and the legend's note says how
many are shown).  The graph view gives the pairs with numbers more width than the others and its
neurons' numbers smaller (GraphView._edge_room) where that shows more of them.  Numbers carry the View setting's significant figures (4 by default), in the shorter of plain and
scientific notation (-7.812e-4 rather than -0.0007812).  Places are planned for the widest number at
those figures (``plan``, ``number_templates``), so they hold from one micro-step to the next; a
number wider still (|x| under 1e-9 or over 1e5) is planned for its own width.
"""
from __future__ import annotations

import collections
import hashlib
import pickle
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PySide6 import QtCore, QtGui

from gui.numbers import format_number, sig_figs

from . import class_labels, input_image, legend, marks, text_fit, training
from .paint import N_BUCKETS, buckets

EDGE_LABEL_MAX = 24              # a layer pair with at most this many edges gets the numbers printed on them
EDGE_FLOOR_PT = 8.0              # numbers on edges are never drawn smaller than this
FONT_FACTORS = (0.9, 0.78, 0.66, 0.56, 0.47, 0.0)  # sizes tried, as a fraction of the neurons' number font (0: the floor)
CANDIDATE_TS = np.linspace(0.06, 0.94, 45)   # positions along an edge a label may be centred at
LEADER_TS = np.linspace(0.15, 0.85, 15)      # where a leader line may meet its edge
SEARCH_BUDGET = 1000             # search steps per layer pair and font size before giving up on it…
IMPROVE_BUDGET = 400             # … and after the first complete placement, looking for a cheaper one
GAP = 1.0                        # boxes closer than this count as touching
OUTLINE_MIN_BUCKETS = 5          # a plate's outline is at least this far from the colour map's pale middle…
TRACE_ALPHA = 150                # … and an edge paler than that is traced in the neutral edge colour under its plate
CENTRE_COST, CROSS_COST, END_COST, SHIFT_COST = 8.0, 2.0, 1.0, 4.0
TEMPLATE_EXPONENTS = range(-9, 5)   # a label's room: the widest number at the figures from 1e-9 to 1e5
MATCH_GAP = 3.0                  # a box's own edge passes its centre at least this much nearer than any other
CALLOUT_CHUNK = 64               # a callout's candidate leaders tested this many at a time
FINER_STEP, FINER_TRIES = 0.5, 3  # between two of them, the sizes on this grid (points) tried, at most this many
SHIFTS = (0.0, -0.3, 0.3)        # where no font seats every label centred on its edge: boxes moved this much of their height
PLACED_MAX = 1024               # placements kept (place)
PLATE_PAD = (0.5, 0.13)          # a plate's room around its number: this much of its font's line height across, and
                                 # up and down (the font's, not the zoom's: a number kept at the floor keeps its plate)


@dataclass(frozen=True)
class Spot:
    """Where one label goes: ``rect`` (x0, y0, x1, y1); ``anchor`` the point (x, y) on its edge a
    leader line joins it to, None when the box sits on the edge itself."""
    rect: tuple
    anchor: tuple | None = None


def place(lines: np.ndarray, sizes_by_font: list, obstacles: list, bounds: tuple) -> tuple[int, list]:
    """(font level, one Spot or None per edge) for a layer pair's labels.  ``lines`` (n, 4) rows
    x1, y1, x2, y2 with x1 < x2 (the pair's edges), ``sizes_by_font`` for each font size tried,
    largest first, every label's (w, h) at it; ``obstacles`` rectangles (x0, y0, x1, y1) to keep
    clear of; ``bounds`` the rectangle every label stays inside.  The largest font at which every
    label sits on its edge; else the smallest, with leaders where needed.  Kept for the last
    PLACED_MAX arguments (by their digest): a relayout weighs some fifty placements, and the sizes
    a zoom or a layout key goes back to find theirs."""
    key = (np.asarray(lines, float).round(2).tobytes(), len(lines),
           tuple(tuple((round(w, 2), round(h, 2)) for w, h in sizes) for sizes in sizes_by_font),
           tuple(tuple(round(float(v), 2) for v in o) for o in obstacles), tuple(round(float(v), 2) for v in bounds))
    digest = hashlib.blake2b(pickle.dumps(key), digest_size=16).digest()
    if digest in _PLACED:
        _PLACED.move_to_end(digest)
    else:
        _PLACED[digest] = _place_uncached(key)
        if len(_PLACED) > PLACED_MAX:
            _PLACED.popitem(last=False)
    level, spots = _PLACED[digest]
    return level, list(spots)


_PLACED: collections.OrderedDict = collections.OrderedDict()     # digest of place's arguments → its placement


def _place_uncached(key) -> tuple:
    raw, n, sizes_by_font, obstacles, bounds = key
    lines = np.frombuffer(raw, dtype=float).reshape(n, 4)
    if not n:
        return 0, ()
    obstacles = [tuple(o) for o in obstacles]
    found, first = None, None       # (level, boxes, how many boxes another edge of the pair runs through)
    for level, sizes in enumerate(sizes_by_font):
        if first is not None and (first > 0 or level > 1):
            break                       # from the largest size one down at most, for a clearer placement
        cands = _candidates(lines, sizes, obstacles, bounds)
        chosen = _search(cands, n, partial=False)
        if chosen is None:
            if found is not None:
                break
            continue
        first = level if first is None else first
        rects = cands.rects[chosen]
        crossed = crossings(rects, lines)
        crossed[np.arange(n), np.arange(n)] = False
        if found is None or crossed.any(axis=1).sum() < found[2]:
            found = (level, rects, int(crossed.any(axis=1).sum()))
        if not found[2]:
            break
    if found is not None:
        return found[0], tuple(Spot(tuple(r)) for r in found[1].tolist())
    level, sizes = len(sizes_by_font) - 1, sizes_by_font[-1]
    cands = _candidates(lines, sizes, obstacles, bounds, shifts=SHIFTS)     # off-centre: the edge still runs through
    chosen = _search(cands, n, partial=False)
    if chosen is not None:
        return level, tuple(Spot(tuple(cands.rects[c].tolist())) for c in chosen)
    spots = [None if c is None else Spot(tuple(cands.rects[c].tolist())) for c in _search(cands, n, partial=True)]
    taken = obstacles + [s.rect for s in spots if s is not None]
    leaders: list = []
    for n_, spot in enumerate(spots):
        if spot is None:
            spots[n_] = (_leader_spot(lines, n_, sizes[n_], taken, bounds)
                         or _callout_spot(lines, n_, sizes[n_], taken, obstacles, leaders, bounds))
            if spots[n_] is not None:
                taken.append(spots[n_].rect)
                if spots[n_].anchor is not None:
                    leaders.append((spots[n_].anchor, leader_end(spots[n_].anchor, spots[n_].rect)))
    return level, tuple(spots)


@dataclass
class _Candidates:
    label: np.ndarray        # (m,) which label each candidate box belongs to
    rects: np.ndarray        # (m, 4)
    cost: np.ndarray         # (m,)
    _keep: list | None = None

    def keep(self) -> list[int]:
        """Per candidate, the candidates that stay free once it is taken (bits: all but those its box
        overlaps), worked out once for both searches of the same candidates."""
        if self._keep is None:
            m = len(self.rects)
            clash = overlaps(self.rects, self.rects) if m else np.zeros((0, 0), bool)
            packed = np.packbits(clash, axis=1, bitorder="little") if m else np.zeros((0, 0), np.uint8)
            self._keep = [~int.from_bytes(row.tobytes(), "little") for row in packed]
        return self._keep


def _candidates(lines: np.ndarray, sizes, obstacles, bounds, shifts=(0.0,)) -> _Candidates:
    """Boxes centred on each edge at CANDIDATE_TS (or, with ``shifts``, also moved up or down by
    those fractions of their height, the edge still running through them), those inside ``bounds``
    and clear of the obstacles, with their cost; ordered by label, each label's cheapest first."""
    n = len(lines)
    ts = CANDIDATE_TS if len(shifts) == 1 else CANDIDATE_TS[::2]
    wh = np.asarray(sizes, float)
    p1, p2 = lines[:, None, None, :2], lines[:, None, None, 2:]
    centre = p1 + ts[None, :, None, None] * (p2 - p1)                  # (n, T, 1, 2)
    dy = np.asarray(shifts, float)[None, None, :] * wh[:, None, None, 1]
    centre = np.broadcast_to(centre, (n, len(ts), len(shifts), 2)).copy()
    centre[..., 1] += dy
    half = np.broadcast_to(wh[:, None, None, :] / 2, centre.shape)
    rects = np.concatenate([centre - half, centre + half], axis=3).reshape(-1, 4)
    label = np.repeat(np.arange(n), len(ts) * len(shifts))
    t = np.tile(np.repeat(ts, len(shifts)), n)
    off = np.tile(np.abs(np.asarray(shifts, float)), n * len(ts))
    ok = ((rects[:, 0] >= bounds[0]) & (rects[:, 1] >= bounds[1]) & (rects[:, 2] <= bounds[2])
          & (rects[:, 3] <= bounds[3]))
    if obstacles:
        ok &= ~overlaps(rects, np.asarray(obstacles, float)).any(axis=1)
    rects, label, t, off = rects[ok], label[ok], t[ok], off[ok]
    cx, cy = (rects[:, 0] + rects[:, 2]) / 2, (rects[:, 1] + rects[:, 3]) / 2
    d = segment_distances(lines, cx, cy)                            # (m, n): each edge from each box's centre
    own = d[np.arange(len(rects)), label]
    d[np.arange(len(rects)), label] = np.inf
    clear = d.min(axis=1) > own + MATCH_GAP if n > 1 else np.ones(len(rects), bool)
    rects, label, t, off, cx, cy = rects[clear], label[clear], t[clear], off[clear], cx[clear], cy[clear]
    cross = crossings(rects, lines)                                  # (m, n): which edges pass through each box
    cross[np.arange(len(rects)), label] = False
    h = (rects[:, 3] - rects[:, 1])[:, None]
    near = np.clip(1.0 - np.abs(_y_at(lines, cx) - cy[:, None]) / h, 0.0, 1.0)   # 1: through the centre, 0: a height away
    near[np.arange(len(rects)), label] = 0.0
    cost = CENTRE_COST * (near ** 2).sum(axis=1) + CROSS_COST * cross.sum(axis=1) + END_COST * np.abs(t - 0.5) + SHIFT_COST * off
    order = np.lexsort((cost, label))              # by label, then cheapest first (stable): what _search relies on
    return _Candidates(label[order], rects[order], cost[order])


def _search(c: _Candidates, n: int, partial: bool) -> list | None:
    """One candidate index per label (None where ``partial`` and none is free), no two overlapping,
    of least total cost: fewest remaining candidates first, cheapest first, branch and bound within
    SEARCH_BUDGET steps.  Without ``partial`` None when no complete placement is found; with it the
    best found (most labels seated, then least cost).

    Candidates come ordered by label and cost (``_candidates``), so a label's free candidates are
    the set bits of one integer, cheapest lowest: the cheapest is its lowest set bit."""
    starts = np.searchsorted(c.label, np.arange(n + 1)).tolist()
    if not partial and any(a == b for a, b in zip(starts, starts[1:])):
        return None                              # a label with no free place: no complete placement
    keep = c.keep()
    cost = c.cost.tolist()
    best: dict = {"assign": {}, "seated": -1, "cost": np.inf, "found_at": 0}
    steps = 0

    def dfs(assign: dict, total: float, left: list, domains: list) -> None:
        """``left`` the labels still to seat, ``domains`` their free candidates (bits), in step."""
        nonlocal steps
        steps += 1
        if not left:
            if len(assign) > best["seated"] or (len(assign) == best["seated"] and total < best["cost"]):
                if len(assign) == n and best["seated"] < n:
                    best["found_at"] = steps
                best.update(assign=dict(assign), seated=len(assign), cost=total)
            return
        bound = total
        for d in domains:
            if d:
                bound += cost[(d & -d).bit_length() - 1]
            elif not partial:
                return
        if best["seated"] == n and bound >= best["cost"]:
            return
        counts = [d.bit_count() for d in domains]
        at = counts.index(min(counts))           # the first with the fewest
        u, d = left[at], domains[at]
        rest, rest_domains = left[:at] + left[at + 1:], domains[:at] + domains[at + 1:]
        if d == 0:                               # partial: this one is left out
            dfs(assign, total, rest, rest_domains)
            return
        while d:
            if steps > SEARCH_BUDGET or (best["seated"] == n and steps > best["found_at"] + IMPROVE_BUDGET):
                return
            low = d & -d
            i = low.bit_length() - 1
            d ^= low
            assign[u] = i
            k = keep[i]
            dfs(assign, total + cost[i], rest, [e & k for e in rest_domains])
            del assign[u]

    dfs({}, 0.0, list(range(n)), [((1 << starts[v + 1]) - 1) ^ ((1 << starts[v]) - 1) for v in range(n)])
    if not partial:
        return [best["assign"][u] for u in range(n)] if best["seated"] == n else None
    return [best["assign"].get(u) for u in range(n)]


def _leader_spot(lines: np.ndarray, n: int, size, taken: list, bounds) -> Spot | None:
    """A box just above or below its edge, joined to it by a leader that crosses no other label:
    the nearest free one (every box tried at once, the leaders of the free ones one by one)."""
    w, h = size
    x1, y1, x2, y2 = lines[n].tolist()
    others = np.asarray(taken, float).reshape(-1, 4)
    ts, ds = LEADER_TS, np.array([0.9, 1.5, 2.2, 3.0]) * h
    sides, dxs = np.array([-1.0, 1.0]), np.array([0.0, -0.35, 0.35]) * w
    ax = (x1 + ts * (x2 - x1))[:, None, None, None]                 # (T, D, S, X), in the order tried
    ay = (y1 + ts * (y2 - y1))[:, None, None, None]
    cx = np.broadcast_to(ax + dxs[None, None, None, :], (len(ts), len(ds), len(sides), len(dxs)))
    cy = np.broadcast_to(ay + sides[None, None, :, None] * (ds[None, :, None, None] + h / 2), cx.shape)
    rects = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1).reshape(-1, 4)
    free = ((rects[:, 0] >= bounds[0]) & (rects[:, 1] >= bounds[1]) & (rects[:, 2] <= bounds[2])
            & (rects[:, 3] <= bounds[3]))
    if len(others):
        free &= ~overlaps(rects, others).any(axis=1)
    best, best_d = None, np.inf
    shape = (len(ts), len(ds), len(sides), len(dxs))
    flats = np.flatnonzero(free)
    it_, _d, side_, _x = np.unravel_index(flats, shape)
    anchors = np.stack([ax.reshape(-1)[it_], ay.reshape(-1)[it_]], axis=1)
    ends = np.stack([(rects[flats, 0] + rects[flats, 2]) / 2,
                     np.where(sides[side_] < 0, rects[flats, 3], rects[flats, 1])], axis=1)
    hit = _segments_hit(others, anchors, ends).tolist()
    for m, flat in enumerate(flats.tolist()):
        it, idd, _side, _ = np.unravel_index(flat, shape)
        if ds[idd] >= best_d and not (ds[idd] == best_d and best is not None and best[1] == it):
            continue                          # a nearer one found (at the same distance only the same t is tried on)
        r = tuple(rects[flat].tolist())
        anchor = (float(ax[it, 0, 0, 0]), float(ay[it, 0, 0, 0]))
        if hit[m]:
            continue
        best, best_d = (Spot(r, anchor), it), ds[idd]
    return None if best is None else best[0]


def _callout_spot(lines: np.ndarray, n: int, size, taken: list, obstacles: list, leaders: list, bounds) -> Spot | None:
    """Anywhere free between the pair's columns, joined by a leader to a point of its edge clear of
    the nodes and of every other edge (so the leader's dot names one edge): the box with the
    shortest leader, plus a penalty where other edges run through the box, whose leader crosses no
    other label, node or leader.  The last resort before a label is left out (``_leader_spot``
    only looks just above and below the edge)."""
    w, h = size
    x_lo, x_hi = float(lines[:, 0].min()), float(lines[:, 2].max())
    cx = np.arange(max(bounds[0], x_lo - w / 2) + w / 2, min(bounds[2], x_hi + w / 2) - w / 2 + 1e-9, max(w / 4, 2.0))
    cy = np.arange(bounds[1] + h / 2, bounds[3] - h / 2 + 1e-9, max(h / 2, 2.0))
    if not len(cx) or not len(cy):
        return None
    gx, gy = np.meshgrid(cx, cy)
    rects = np.stack([gx - w / 2, gy - h / 2, gx + w / 2, gy + h / 2], axis=-1).reshape(-1, 4)
    others = np.asarray(taken, float).reshape(-1, 4)
    free = ~overlaps(rects, others).any(axis=1) if len(others) else np.ones(len(rects), bool)
    free &= ~crossings(rects, lines[n:n + 1])[:, 0]
    rects = rects[free]
    if not len(rects):
        return None
    x1, y1, x2, y2 = lines[n].tolist()
    ts = np.linspace(0.04, 0.96, 47)
    anchors = np.stack([x1 + ts * (x2 - x1), y1 + ts * (y2 - y1)], axis=1)
    blocks = np.asarray(obstacles, float).reshape(-1, 4)
    if len(blocks):
        anchors = anchors[~overlaps(np.hstack([anchors, anchors]), blocks, gap=2.0).any(axis=1)]
    if len(lines) > 1 and len(anchors):
        d = segment_distances(np.delete(lines, n, axis=0), anchors[:, 0], anchors[:, 1])
        anchors = anchors[d.min(axis=1) > 2 * MATCH_GAP]
    if not len(anchors):
        return None
    ex = np.clip(anchors[None, :, 0], rects[:, None, 0], rects[:, None, 2])      # (m, A): leader ends
    ey = np.clip(anchors[None, :, 1], rects[:, None, 1], rects[:, None, 3])
    length = np.hypot(ex - anchors[None, :, 0], ey - anchors[None, :, 1])
    best = length.argmin(axis=1)
    reach = length[np.arange(len(rects)), best]
    through = crossings(rects, lines).sum(axis=1)
    cost = reach + CROSS_COST * h * through
    order = np.argsort(cost, kind="stable")
    order = order[reach[order] >= 0.4 * h]          # a leader too short to see: that would be a label on its edge
    for start in range(0, len(order), CALLOUT_CHUNK):    # the leaders' hits a chunk at a time, cheapest first
        chunk = order[start:start + CALLOUT_CHUNK]
        ends = [leader_end(tuple(anchors[best[c]].tolist()), tuple(rects[c].tolist())) for c in chunk.tolist()]
        hit = _segments_hit(others, anchors[best[chunk]], np.asarray(ends, float).reshape(-1, 2)).tolist()
        for c, end, blocked in zip(chunk.tolist(), ends, hit):
            if blocked:
                continue
            anchor = tuple(anchors[best[c]].tolist())
            r = tuple(rects[c].tolist())
            if any(_segments_cross(anchor, end, a, b) for a, b in leaders):
                continue
            return Spot(r, anchor)
    return None


def _segments_cross(p1: tuple, p2: tuple, q1: tuple, q2: tuple) -> bool:
    """Do the segments p1–p2 and q1–q2 cross (touching ends do not count)?"""
    def side(a, b, c) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2, d3, d4 = side(q1, q2, p1), side(q1, q2, p2), side(p1, p2, q1), side(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def leader_end(anchor: tuple, rect: tuple) -> tuple:
    """Where a leader line from ``anchor`` meets the box ``rect``: the point of the box nearest the
    anchor (on the side facing it)."""
    x0, y0, x1, y1 = rect
    ax, ay = anchor
    x, y = min(max(ax, x0), x1), min(max(ay, y0), y1)
    if x0 < x < x1 and y0 < y < y1:              # (inside: out to the nearer of top and bottom)
        y = y0 if ay - y0 < y1 - ay else y1
    return x, y


def overlaps(a: np.ndarray, b: np.ndarray, gap: float = GAP) -> np.ndarray:
    """(len(a), len(b)) booleans: do the rectangles (x0, y0, x1, y1) overlap (closer than ``gap``)?"""
    out = np.less.outer(a[:, 0], b[:, 2] + gap)            # (in place: a candidate's clashes with ~1000 others)
    out &= np.greater.outer(a[:, 2] + gap, b[:, 0])
    out &= np.less.outer(a[:, 1], b[:, 3] + gap)
    out &= np.greater.outer(a[:, 3] + gap, b[:, 1])
    return out


def crossings(rects: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """(len(rects), len(lines)) booleans: does the segment (x1 < x2) pass through the rectangle?"""
    xa = np.maximum(rects[:, None, 0], lines[None, :, 0])
    xb = np.minimum(rects[:, None, 2], lines[None, :, 2])
    ya, yb = _y_at_pairs(lines, xa), _y_at_pairs(lines, xb)
    lo, hi = np.minimum(ya, yb), np.maximum(ya, yb)
    return (xa <= xb) & (hi >= rects[:, None, 1]) & (lo <= rects[:, None, 3])


def segment_distances(lines: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(len(x), len(lines)): the distance from each point (x, y) to each segment."""
    px, py = np.asarray(x, float)[:, None], np.asarray(y, float)[:, None]
    ax, ay = lines[:, 0], lines[:, 1]
    abx, aby = lines[:, 2] - ax, lines[:, 3] - ay
    t = np.clip(((px - ax) * abx + (py - ay) * aby) / np.maximum(abx * abx + aby * aby, 1e-12), 0.0, 1.0)
    return np.hypot(ax + t * abx - px, ay + t * aby - py)


def _y_at(lines: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(len(x), len(lines)): each line's y at each x (extended beyond its ends)."""
    return _y_at_pairs(lines, np.broadcast_to(np.asarray(x, float)[:, None], (len(x), len(lines))))


def _y_at_pairs(lines: np.ndarray, x: np.ndarray) -> np.ndarray:
    x1, y1, x2, y2 = (lines[None, :, i] for i in range(4))
    dx = np.where(x2 - x1 == 0, 1e-12, x2 - x1)
    return y1 + (x - x1) / dx * (y2 - y1)


_SAMPLES = np.linspace(0.0, 1.0, 24)[None, :, None]     # where a leader is tested against the rectangles


def _segments_hit(rects: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(len(a),) booleans: does the segment a[i]–b[i] pass through any of the rectangles (sampled
    finely)?  All the segments at once: the candidates' leaders, tested before any is tried."""
    a, b = np.asarray(a, float).reshape(-1, 2), np.asarray(b, float).reshape(-1, 2)
    if not len(a) or not len(rects):
        return np.zeros(len(a), bool)
    pts = a[:, None, :] + _SAMPLES * (b - a)[:, None, :]                     # (C, 24, 2)
    x, y = pts[..., 0, None], pts[..., 1, None]                             # (C, 24, 1)
    inside = (x > rects[:, 0]) & (x < rects[:, 2]) & (y > rects[:, 1]) & (y < rects[:, 3])
    return inside.any(axis=(1, 2))


def obstacles(gv, badges: bool = True) -> list[tuple]:
    """What edge labels keep clear of: every node (bias units and strips too; each as wide as it may
    be drawn for its number) with a small gap, the Mazur names whose place is fixed, the split
    neurons' Σ/σ names, predict mode's "?" badges (with ``badges``: not in the plan a layout is
    weighed by, which stays the same from one question to the next), the class names and the input
    picture."""
    lay, gap = gv.graph_layout, 5 * gv.scale
    half_ws = [gv.number_half_w(k) for k in range(len(lay.sizes))]     # as wide as a node is drawn for its number
    out = []
    for kind, k, _j, x, y in lay.spots():
        if kind == "bias":
            r = lay.bias_r + gap
            out.append((x - r, y - r, x + r, y + r))
        elif lay.strip[k]:
            if _j == 0:
                half = lay.strip_w / 2 + gap
                out.append((x - half, lay.top - gap, x + half, lay.bottom + gap))
        else:
            hw = half_ws[k]
            out.append((x - hw - gap, y - lay.radius[k] - gap, x + hw + gap, y + lay.radius[k] + gap))
    boxes = [r for _text, r in training.fixed_name_boxes(gv)] + [r for r, _text in legend.split_labels(gv)]
    boxes += (marks.question_boxes(gv) if badges else []) + [r for _text, r, _font in class_labels.label_rects(gv)]
    picture = input_image.image_rect(gv)
    if picture is not None:
        boxes += [picture] + [r for r in [input_image.caption_rect(gv, picture)] if r is not None]
    return out + [(r.left(), r.top(), r.right(), r.bottom()) for r in boxes]


def labelled(sizes, l: int) -> bool:
    """Does layer pair l get its numbers printed on its edges (at most EDGE_LABEL_MAX of them)?"""
    return sizes[l] * sizes[l + 1] <= EDGE_LABEL_MAX


def fonts(gv, l: int) -> list[QtGui.QFont]:
    """The sizes tried for the edge numbers of layer pair l, largest first: FONT_FACTORS of the
    neurons' number font, never under EDGE_FLOOR_PT, and the size the zoom step below drew them at
    after Ctrl+= (GraphView.step_below) where it lies between two of those."""
    pts = [max(gv.value_font_.pointSizeF() * factor, EDGE_FLOOR_PT) for factor in FONT_FACTORS]
    below = gv.step_below.edges.get(l) if gv.step_below is not None else None
    if below is not None and pts[-1] < below < pts[0]:
        pts.append(below)
    out = []
    for pt in sorted(set(pts), reverse=True):
        font = QtGui.QFont(gv.value_font_)
        font.setBold(False)
        font.setPointSizeF(pt)
        out.append(font)
    return out


def outline_colour(gv, bucket: int) -> QtGui.QColor:
    """A plate's outline: its edge's colour, at least OUTLINE_MIN_BUCKETS from the middle of the map
    so that a weak edge's label still shows its sign's hue (grey for an exact 0)."""
    mid = (N_BUCKETS - 1) // 2
    if bucket == mid:
        return QtGui.QColor(gv.theme.muted)
    side = 1 if bucket > mid else -1
    return gv.pens[mid + side * max(abs(bucket - mid), OUTLINE_MIN_BUCKETS)].color()


def plan(gv, planned_only: bool = False) -> dict:
    """{l: (font, [Spot or None per drawn edge])} for every layer pair of at most EDGE_LABEL_MAX
    edges, whether its values are known yet or not, each label as wide as the widest number at the
    View setting's figures (``number_templates``): the places stay put from one micro-step to the
    next.  Where that leaves a label off its edge or out and the values are known, labels as wide
    as their numbers, if more show so (then more on their edges).  Numbers always carry the View's
    figures: a label with no room is left out (its tooltip has it; ``legend`` notes how many).
    ``planned_only``: the places for the widest numbers alone (what GraphView._edge_room weighs a
    layout by, without predict mode's "?" badges: a whole matrix's in its pair's gap made Mazur's
    layout and names move at the micro-steps that ask one)."""
    lay, s = gv.graph_layout, gv.scale
    taken = obstacles(gv, badges=not planned_only)
    bounds = (2.0, gv.content_top + 2.0, gv.width() - 2.0, lay.bottom + 4 * s)
    templates = number_templates(sig_figs())
    out = {}
    for l, (j_idx, i_idx) in sorted(gv.drawn.items()):
        if gv.lod.get(l) or len(j_idx) > EDGE_LABEL_MAX:
            continue
        tried = fonts(gv, l)
        metrics = [QtGui.QFontMetricsF(f) for f in tried]
        rooms = [label_texts(gv, l, j_idx, i_idx, None, number) for number in templates]
        distinct = {t for r in rooms for t in r}         # without names every label is a template: each measured once
        sizes = [_room_plates(fm, rooms, distinct) for fm in metrics]
        full = None if planned_only else gv.values.edges[l]
        if full is not None:
            texts = label_texts(gv, l, j_idx, i_idx, full[j_idx, i_idx])
            actual = [[plate(fm, fm.horizontalAdvance(t)) for t in texts] for fm in metrics]
            if any(a[0] > r[0] for a, r in zip(actual[0], sizes[0])):        # wider than the widest planned for
                sizes = [[max(a, r) for a, r in zip(row_a, row_r)] for row_a, row_r in zip(actual, sizes)]
        level, spots = place(gv.lines[l], sizes, taken, bounds)
        font = tried[level]
        if 0 < level and _seated(spots)[0] == len(spots):      # between the size that seats them and the one above
            font, spots = _finer(gv.lines[l], rooms, distinct, tried[level - 1], (font, spots), sizes[level], taken, bounds)
        if full is not None and _seated(spots)[0] < len(spots):
            fitted = place(gv.lines[l], actual, taken, bounds)      # no room for the widest: as wide as they are
            if _seated(fitted[1])[::-1] > _seated(spots)[::-1]:
                level, spots = fitted
                font = tried[level]
        taken += [spot.rect for spot in spots if spot is not None]
        out[l] = (font, spots)
    return out


def _finer(lines, rooms: list, distinct: set, above: QtGui.QFont, found: tuple, sizes: list, taken: list,
           bounds: tuple) -> tuple:
    """(font, spots): the largest size on the FINER_STEP grid between ``found``'s font, which seats
    every label on its edge, and ``above``, which does not, at which they all still sit on their
    edges (halving the sizes between, at most FINER_TRIES placements); ``found`` where none does."""
    lo_pt = found[0].pointSizeF()
    grid = [FINER_STEP * k for k in range(int(lo_pt / FINER_STEP) + 1, int(above.pointSizeF() / FINER_STEP) + 1)
            if lo_pt + 0.25 < FINER_STEP * k < above.pointSizeF() - 0.25]
    lo, hi = -1, len(grid)                          # grid[lo] seats them (-1: found), grid[hi] does not
    for _ in range(FINER_TRIES):
        if hi - lo <= 1:
            break
        mid = (lo + hi) // 2
        font = QtGui.QFont(found[0])
        font.setPointSizeF(grid[mid])
        level, spots = place(lines, [_room_plates(QtGui.QFontMetricsF(font), rooms, distinct), sizes], taken, bounds)
        if level == 0 and _seated(spots)[0] == len(spots):
            lo, found = mid, (font, spots)
        else:
            hi = mid
    return found


def _room_plates(fm: QtGui.QFontMetricsF, rooms: list, distinct: set) -> list[tuple[float, float]]:
    """The plate of each label in the font of ``fm``, as wide as the widest of its texts in
    ``rooms`` (one list of label texts per template number; ``distinct``: all of them, each
    measured once)."""
    width = {t: fm.horizontalAdvance(t) for t in distinct}
    return [plate(fm, max(width[r[n]] for r in rooms)) for n in range(len(rooms[0]))]


def plate(fm: QtGui.QFontMetricsF, text_w: float) -> tuple[float, float]:
    """(w, h) of the plate of a number ``text_w`` wide in the font of ``fm`` (PLATE_PAD around it)."""
    return text_w + PLATE_PAD[0] * fm.height(), fm.height() * (1.0 + PLATE_PAD[1])


@lru_cache(maxsize=16)
def number_templates(sig: int) -> tuple[str, ...]:
    """The longest numbers at ``sig`` figures, as printed on an edge, from 1e-9 to 1e5 (negative,
    all nines but the last figure): the room every label is planned for."""
    forms = [format_number(-float("9" * (sig - 1) + "8") * 10.0 ** (e - sig + 1), sig, shortest=True)
             for e in TEMPLATE_EXPONENTS]
    longest = max(len(f) for f in forms)
    shapes = {"".join("0" if c.isdigit() else c for c in f): f for f in reversed(forms) if len(f) == longest}
    return tuple(shapes.values())


def shown(planned: dict) -> tuple[int, int, int, float, tuple]:
    """(labels shown, of them on their own edge, labels wanted, the smallest of their fonts in
    points, ((layer pair, its font in points), …)) of a ``plan``."""
    seated = [_seated(spots) for _font, spots in planned.values()]
    return (sum(s[1] for s in seated), sum(s[0] for s in seated), sum(len(spots) for _font, spots in planned.values()),
            min((font.pointSizeF() for font, _spots in planned.values()), default=0.0),
            tuple((l, font.pointSizeF()) for l, (font, _spots) in planned.items()))


def _seated(spots: list) -> tuple[int, int]:
    """(labels on their edge, labels shown) of a placement."""
    return sum(s is not None and s.anchor is None for s in spots), sum(s is not None for s in spots)


NAMED = {"forward": "{}", "backward": "∂C/∂{}", "update": "{}⁺"}   # what an edge's number is, by the post's name


def label_texts(gv, l: int, j_idx, i_idx, values, template: str = "", sig: int | None = None) -> list[str]:
    """The labels of the edges W[l][j, i]: their numbers at ``sig`` figures (None: the View
    setting's; ``template`` where ``values`` is None), after the Mazur name of what the number is
    when names are on: "w5 = 0.4" forward, "∂C/∂w5 = 0.08217" backward, "w5⁺ = 0.3589" (the post's
    w5+) at the update."""
    if values is None:
        numbers = [template] * len(j_idx)
    else:
        numbers = [format_number(float(v), sig, shortest=True) for v in values]
    names = [training.edge_name(gv, l, j, i) for j, i in zip(np.asarray(j_idx).tolist(), np.asarray(i_idx).tolist())]
    named = NAMED[gv.values.mode]
    return [f"{named.format(name)} = {text}" if name else text for name, text in zip(names, numbers)]


def _between_nodes(lay, l: int, line) -> tuple[QtCore.QPointF, QtCore.QPointF]:
    """The part of edge ``line`` (x1, y1, x2, y2) of layer pair l outside its two nodes."""
    x1, y1, x2, y2 = line
    length = max(float(np.hypot(x2 - x1, y2 - y1)), 1e-9)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length

    def inside(k: int) -> float:                     # from a node's centre to where the edge leaves it
        if lay.strip[k]:
            return 0.0
        r, hw = lay.radius[k], lay.half_w[k]
        if not lay.pill(k):
            return r
        return min(hw / max(abs(ux), 1e-9), r / max(abs(uy), 1e-9))

    a, b = min(inside(l), length / 2), min(inside(l + 1), length / 2)
    return QtCore.QPointF(x1 + a * ux, y1 + a * uy), QtCore.QPointF(x2 - b * ux, y2 - b * uy)


def paint(p: QtGui.QPainter, gv) -> None:
    """The value of every edge of a layer pair of at most EDGE_LABEL_MAX edges, on a plate outlined
    in the edge's colour (with Mazur's names on, "w5 = 0.4"), where ``plan`` put it: a plate as wide
    as its text, centred in its place."""
    val, s, lay = gv.values, gv.scale, gv.graph_layout
    bg, fg = QtGui.QColor(gv.theme.background), QtGui.QColor(gv.theme.foreground)
    trace = QtGui.QColor(gv.theme.edge_neutral)
    trace.setAlpha(TRACE_ALPHA)
    shown, wanted = 0, 0
    for l, (font, spots) in plan(gv).items():
        full = val.edges[l]
        if full is None:
            continue
        shown, wanted = shown + sum(spot is not None for spot in spots), wanted + len(spots)
        j_idx, i_idx = gv.drawn[l]
        texts = label_texts(gv, l, j_idx, i_idx, full[j_idx, i_idx])
        colours = buckets(full[j_idx, i_idx], val.edge_levels).tolist()
        fm = QtGui.QFontMetricsF(font)
        lines = gv.lines[l].tolist()
        for text, spot, b, j, i, line in zip(texts, spots, colours, j_idx.tolist(), i_idx.tolist(), lines):
            if spot is None:
                continue
            if abs(b - (N_BUCKETS - 1) // 2) < OUTLINE_MIN_BUCKETS:     # a pale edge: traced, so its number can be followed
                p.setPen(QtGui.QPen(trace, 1.0 * s))
                p.drawLine(*_between_nodes(lay, l, line))
            x0, y0, x1, y1 = spot.rect
            w = min(plate(fm, fm.horizontalAdvance(text))[0], x1 - x0)
            rect = QtCore.QRectF((x0 + x1 - w) / 2, y0, w, y1 - y0)
            pen = QtGui.QPen(outline_colour(gv, b), 1.5 * s)
            leader = None
            if spot.anchor is not None:
                leader = (spot.anchor, leader_end(spot.anchor, (rect.left(), rect.top(), rect.right(), rect.bottom())))
                p.setPen(pen)
                p.drawLine(QtCore.QPointF(*leader[0]), QtCore.QPointF(*leader[1]))
                p.setBrush(pen.color())
                p.drawEllipse(QtCore.QPointF(*spot.anchor), 2.5 * s, 2.5 * s)
            p.setPen(pen)
            p.setBrush(bg)
            p.drawRoundedRect(rect, 4 * s, 4 * s)
            text_fit.draw(p, gv, "edge_number", rect, text, font, QtCore.Qt.AlignmentFlag.AlignCenter, fg, bg,
                          where=("edge", l, j, i), leader=leader)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    gv.edge_numbers_shown = (shown, wanted)
