"""Numbers printed on edges (gui/widgets/graph/edge_labels.py): for every layer pair of up to
EDGE_LABEL_MAX edges each edge's value is shown, on its own edge (or joined to it by a leader), the
edge it belongs to the nearest to the label's middle, no two labels overlapping and none over a
node, a neuron's number, a name or the caption; at every micro-step of mazur, xor, the 3-4-2 diagram
and the 1-16-1 sine network, at the Lecture layout's graph sizes."""
import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gui.widgets.graph import edge_labels
from gui.widgets.graph.edge_labels import EDGE_FLOOR_PT, EDGE_LABEL_MAX, Spot, place
from gui.widgets.graph.text_fit import fits
from collisions import collisions
from helpers import shown_graph
from zoom_walk import check_bar_ends, held, number_sizes, smaller_numbers

# the graph at the Lecture layout's minimum (layouts.GRAPH_MIN), at 1280×720 and at 1024×768
LECTURE_GRAPHS = [(640, 400), (807, 561), (657, 611)]


def _distance(line, x: float, y: float) -> float:
    """From (x, y) to the segment (x1, y1, x2, y2), by projection."""
    a, b, p = np.array(line[:2], float), np.array(line[2:], float), np.array([x, y])
    t = np.clip((p - a) @ (b - a) / ((b - a) @ (b - a)), 0.0, 1.0)
    return float(np.linalg.norm(a + t * (b - a) - p))


def _crosses(line, rect: QtCore.QRectF) -> bool:
    """Does the segment pass through the rectangle (sampled every half pixel)?"""
    x1, y1, x2, y2 = line
    n = int(np.hypot(x2 - x1, y2 - y1) * 2) + 2
    return any(rect.contains(QtCore.QPointF(x1 + t * (x2 - x1), y1 + t * (y2 - y1))) for t in np.linspace(0, 1, n))


def _overlap(a: QtCore.QRectF, b: QtCore.QRectF) -> bool:
    inter = a.intersected(b)
    return inter.width() > 0.5 and inter.height() > 0.5


def check_edge_labels(graph, where: str, complete: bool = True) -> int:
    """Every check of the edge numbers as last painted (``complete``: every edge of a labelled pair
    has its number); returns how many there are."""
    lay, values = graph.graph_layout, graph.values
    labels = [t for t in graph.texts if t.kind == "edge_number"]
    by_edge = {t.where: t for t in labels}
    assert len(by_edge) == len(labels), f"{where}: an edge labelled twice"
    for l, (j_idx, i_idx) in graph.drawn.items():
        if values.edges[l] is None or len(j_idx) > EDGE_LABEL_MAX:
            assert not any(t.where[1] == l for t in labels), f"{where}: layer {l + 1} unknown yet labelled"
            continue
        lines = {(j, i): lay.edge_lines(l, [j], [i])[0].tolist() for j, i in zip(j_idx.tolist(), i_idx.tolist())}
        for (j, i), line in lines.items():
            t = by_edge.get(("edge", l, j, i))
            if t is None and not complete:
                continue
            assert t is not None, f"{where}: w{l + 1}[{j + 1},{i + 1}] has no number on its edge"
            assert t.text.endswith(_number(values.edges[l][j, i])), (where, t.text)   # at the View's figures
            assert t.font.pointSizeF() >= EDGE_FLOOR_PT - 1e-9 and fits(t), (where, t.text, t.font.pointSizeF())
            if t.leader is None:                   # on its edge, which is the nearest to its middle
                assert _crosses(line, t.rect), f"{where}: {t.text!r} is not on its edge"
                c = t.rect.center()
                own = _distance(line, c.x(), c.y())
                nearest = min((_distance(other, c.x(), c.y()) for key, other in lines.items() if key != (j, i)),
                              default=np.inf)
                assert own < nearest, f"{where}: {t.text!r} sits nearer another edge ({own:.1f} vs {nearest:.1f})"
            else:                                  # a leader from a point of its edge to the box
                (ax, ay), (bx, by) = t.leader
                assert _distance(line, ax, ay) < 0.5, (where, t.text, "leader off its edge")
                assert t.rect.adjusted(-0.5, -0.5, 0.5, 0.5).contains(QtCore.QPointF(bx, by)), (where, t.text)
    nodes = [QtCore.QRectF(x - lay.half_w[k], y - lay.radius[k], 2 * lay.half_w[k], 2 * lay.radius[k])
             for kind, k, _j, x, y in lay.spots() if kind != "bias" and not lay.strip[k]]
    others = [t for t in graph.texts if t.kind in ("number", "caption", "name", "label")]
    for n, t in enumerate(labels):
        assert QtCore.QRectF(graph.rect()).contains(t.rect), (where, t.text, "outside the graph")
        for u in labels[n + 1:]:
            assert not _overlap(t.rect, u.rect), f"{where}: {t.text!r} overlaps {u.text!r}"
        for node in nodes:
            assert not _overlap(t.rect, node), f"{where}: {t.text!r} over a node"
        for u in others:
            assert not _overlap(t.rect, u.rect), f"{where}: {t.text!r} over the {u.kind} {u.text!r}"
    return len(labels)


def _number(value, sig=None) -> str:
    from gui.numbers import format_number
    return format_number(float(value), sig, shortest=True)


def _at_figures(value: float, sig: int) -> float:
    """``value`` rounded to ``sig`` significant figures, independently of gui.numbers."""
    return float(f"{float(value):.{sig - 1}e}")


@pytest.mark.parametrize("size", LECTURE_GRAPHS)
@pytest.mark.parametrize("sig", [4, 3, 6])
def test_edge_numbers_carry_the_view_settings_significant_figures(qtbot, session, size, sig):
    """At the backward and update micro-steps of mazur every edge number reads back as the engine's
    ∂C/∂w or new w rounded to the View setting's figures (4 by default), in the shorter of plain and
    scientific notation; the plates are planned for that width (every label still on its edge)."""
    session.settings.sig_figs = sig
    graph = shown_graph(qtbot, session, *size)
    checked = 0
    for index, step in enumerate(session.stepper.steps):
        session.seek(index)
        if session.view.step.phase not in ("backward", "update"):
            continue
        graph.grab()
        check_edge_labels(graph, f"mazur {size} {sig} figures micro-step {index + 1}")
        for t in graph.texts:
            if t.kind != "edge_number":
                continue
            _, l, j, i = t.where
            truth = graph.values.edges[l][j, i]
            number = t.text.split(" = ")[-1]
            assert float(number) == _at_figures(truth, sig), (index + 1, t.text, float(truth))
            plain = f"{_at_figures(truth, sig):.{max(sig - 1 - int(np.floor(np.log10(abs(_at_figures(truth, sig))))), 0)}f}"
            sci = f"{truth:.{sig - 1}e}"
            assert len(number) <= max(len(plain.rstrip("0").rstrip(".")), 1) and len(number) <= len(sci), (t.text, truth)
            assert t.leader is None, (index + 1, t.text, "off its edge")
            checked += 1
    assert checked >= 3 * 8     # the four δ² and δ¹ steps' ∂C/∂W and the update's new W


@pytest.mark.parametrize("size", LECTURE_GRAPHS)
@pytest.mark.parametrize("preset", ["mazur", "xor", "diagram", "sine"])
def test_every_edge_value_is_printed_on_its_edge_at_every_micro_step(qtbot, session, preset, size):
    session.load_preset(preset)
    graph = shown_graph(qtbot, session, *size)
    total = 0
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        graph.grab()
        total += check_edge_labels(graph, f"{preset} {size} micro-step {index + 1}")
    sizes = session.net.sizes
    pairs = [sizes[l] * sizes[l + 1] for l in range(len(sizes) - 1)]
    assert total >= sum(pairs)           # (every edge at least at the update, when all of W is new)


@pytest.mark.parametrize("size", LECTURE_GRAPHS)
@pytest.mark.parametrize("convention", ["column", "row"])
def test_mazur_names_and_numbers_share_the_labels_at_every_micro_step(qtbot, session, size, convention):
    session.settings.mazur_names = True
    session.settings.convention = convention
    graph = shown_graph(qtbot, session, *size)
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        graph.grab()
        check_edge_labels(graph, f"mazur names {size} {convention} micro-step {index + 1}")


def test_labels_keep_their_places_from_one_micro_step_to_the_next(qtbot, session):
    """Places are planned for the widest number, so stepping does not shuffle the labels."""
    session.load_preset("diagram")
    graph = shown_graph(qtbot, session, 807, 561)
    centres: dict = {}
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        graph.grab()
        for t in graph.texts:
            if t.kind == "edge_number":
                c = t.rect.center()
                centres.setdefault(t.where, set()).add((round(c.x(), 1), round(c.y(), 1)))
    assert len(centres) == 3 * 4 + 4 * 2
    assert all(len(spots) == 1 for spots in centres.values()), centres


def test_placement_of_a_fan_of_sixteen_edges():
    """Pure geometry: one node to sixteen 22 px apart (the 1-16-1 network): every label on its own
    edge, nearest to it, none overlapping another or the nodes, inside the bounds."""
    ys = 60 + 22 * np.arange(16)
    lines = np.array([[100.0, 225.0, 360.0, y] for y in ys])
    nodes = [(40.0, 180.0, 150.0, 270.0)] + [(350.0, y - 10, 370.0, y + 10) for y in ys]
    bounds = (0.0, 30.0, 500.0, 420.0)
    sizes = [[(64.0, 20.0)] * 16, [(48.0, 15.0)] * 16]
    level, spots = place(lines, sizes, nodes, bounds)
    w, h = sizes[level][0]
    assert all(s is not None and s.anchor is None for s in spots)
    rects = [QtCore.QRectF(s.rect[0], s.rect[1], s.rect[2] - s.rect[0], s.rect[3] - s.rect[1]) for s in spots]
    for n, (r, line) in enumerate(zip(rects, lines.tolist())):
        assert abs(r.width() - w) < 1e-6 and abs(r.height() - h) < 1e-6
        assert _crosses(line, r)
        c = r.center()
        assert _distance(line, c.x(), c.y()) < min(_distance(o, c.x(), c.y()) for m, o in enumerate(lines.tolist()) if m != n)
        assert bounds[0] <= r.left() and r.right() <= bounds[2] and bounds[1] <= r.top() and r.bottom() <= bounds[3]
        assert not any(_overlap(r, q) for q in rects[n + 1:])
        assert not any(_overlap(r, QtCore.QRectF(QtCore.QPointF(o[0], o[1]), QtCore.QPointF(o[2], o[3]))) for o in nodes)


def test_a_label_with_no_room_on_its_edge_gets_a_leader():
    """Two bands as tall as the label cover the edge but for a gap narrower than the label: the
    label sits off the edge, joined by a leader from a point of the gap, and overlaps nothing."""
    lines = np.array([[0.0, 100.0, 300.0, 100.0]])
    bands = [(0.0, 88.0, 130.0, 112.0), (170.0, 88.0, 300.0, 112.0)]
    level, (spot,) = place(lines, [[(60.0, 20.0)]], bands, (0.0, 0.0, 300.0, 200.0))
    assert isinstance(spot, Spot) and spot.anchor is not None
    ax, ay = spot.anchor
    assert 130.0 < ax < 170.0 and ay == 100.0
    x0, y0, x1, y1 = spot.rect
    assert y1 <= bands[0][1] or y0 >= bands[0][3]               # clear of the bands, above or below
    end = edge_labels.leader_end(spot.anchor, spot.rect)
    assert x0 <= end[0] <= x1 and end[1] in (y0, y1)


def test_plate_outline_shows_the_sign_even_for_a_weak_edge(qtbot, session):
    graph = shown_graph(qtbot, session, 640, 400)
    mid = (len(graph.pens) - 1) // 2
    weak_plus, weak_minus = edge_labels.outline_colour(graph, mid + 1), edge_labels.outline_colour(graph, mid - 1)
    assert weak_plus == graph.pens[mid + edge_labels.OUTLINE_MIN_BUCKETS].color()
    assert weak_minus == graph.pens[mid - edge_labels.OUTLINE_MIN_BUCKETS].color()
    assert edge_labels.outline_colour(graph, len(graph.pens) - 1) == graph.pens[-1].color()
    assert edge_labels.outline_colour(graph, mid) == QtGui.QColor(graph.theme.muted)


def test_a_pale_edge_is_traced_between_its_nodes_rims(qtbot, session):
    """A weak edge (near the colour map's pale middle) gets a neutral trace under its plate, from
    the rim of one node to the rim of the other (never over a neuron's number)."""
    session.load_preset("diagram")
    graph = shown_graph(qtbot, session, 807, 561)
    graph.grab()
    lay = graph.graph_layout
    for l in range(lay.L):
        for line, j, i in zip(graph.lines[l].tolist(), *map(np.ndarray.tolist, graph.drawn[l])):
            a, b = edge_labels._between_nodes(lay, l, line)
            for point, k, n in ((a, l, i), (b, l + 1, j)):
                centre = graph.node_pos(k, n)
                dx, dy = abs(point.x() - centre.x()), abs(point.y() - centre.y())
                if lay.pill(k):                     # on a capsule's box: its flat top or bottom, or its end
                    assert dx < lay.half_w[k] + 0.75 and dy < lay.radius[k] + 0.75, (l, j, i, dx, dy)
                    assert min(abs(dx - lay.half_w[k]), abs(dy - lay.radius[k])) < 0.75, (l, j, i, dx, dy)
                    continue
                d = np.hypot(dx, dy)
                assert abs(d - lay.radius[k]) < 0.75, (l, j, i, d, lay.radius[k])     # (node_pos is in whole pixels)


@pytest.mark.parametrize("preset, least", [("xor", 70), ("mazur", 70)])
def test_the_training_layouts_small_graph_still_prints_most_edge_numbers(qtbot, session, preset, least):
    """At the Training layout's smallest graph (480×260) the neurons' numbers give up some of their
    size (GraphView._edge_room) so that the edges' numbers show, at the View's figures: before, xor
    showed 12 of its 90 edge numbers over the micro-steps, mazur 54 of 84.  (What finds no room is
    noted under the graph, test_the_lecture_layout_prints_every_edge_value_at_every_zoom.)"""
    session.load_preset(preset)
    graph = shown_graph(qtbot, session, 480, 260)
    shown = 0
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        graph.grab()
        shown += check_edge_labels(graph, f"{preset} 480×260 micro-step {index + 1}", complete=False)
    assert shown >= least
    assert graph.value_font_.pointSizeF() >= 8.0


LECTURE_PRESETS = ["mazur", "xor", "diagram", "wong", "sine", "iris"]   # each has a layer pair of at most 24 edges


def _phase_samples(session) -> list[int]:
    """The micro-steps that print every kind of edge number: the first forward one (w), the last
    backward one (∂C/∂w of every layer) and the update (the new w)."""
    steps = session.stepper.steps
    forward = next(s.index for s in steps if s.phase == "forward")
    backward = max(s.index for s in steps if s.phase == "backward")
    update = next(s.index for s in steps if s.phase == "update")
    return [forward, backward, update]


# Where edge numbers may be left out (the note then says how many show): nowhere any more.  (Before:
# iris at 1024x768 zoom +2 and +3 and at 1280x720 zoom +3, its neurons' numbers never smaller at a
# larger zoom leaving its 8→3 pair no room: 1 of 24 shown at 1024x768 +3.  Now the class names go
# under the output neurons there, the pair without numbers on its edges gives up more of its width
# and the plates are padded by their font, not the zoom.)
NOTED: set = set()


def check_edge_note(graph, where: str) -> None:
    """Where edge numbers are left out, the note under the graph says how many are drawn, of how many."""
    from gui.widgets.graph.view import EDGE_NOTE, EDGE_NOTE_SHORT
    sizes, values = graph.session.net.sizes, graph.values
    total = sum(sizes[l] * sizes[l + 1] for l in range(len(sizes) - 1)
                if sizes[l] * sizes[l + 1] <= EDGE_LABEL_MAX and values.edges[l] is not None)
    shown = sum(t.kind == "edge_number" for t in graph.texts)
    notes = {t.text for t in graph.texts if t.kind == "legend"}
    wording = {EDGE_NOTE.format(shown=shown, total=total), EDGE_NOTE_SHORT.format(shown=shown, total=total)}
    assert notes & wording, f"{where}: {shown} of {total} edge numbers drawn, but no note says so: {sorted(notes)}"


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
def test_the_lecture_layout_prints_every_edge_value_at_every_zoom(qtbot, screen_name):
    """In the Lecture layout of a 1024×768 and a 1280×720 screen, at zoom −2 … +3, every edge of
    every layer pair of at most EDGE_LABEL_MAX edges of mazur, xor, the 3-4-2 diagram, the 3-4-3 wong
    network, the 1-16-1 sine network and iris's 8→3 pair has its number (w forward, ∂C/∂w backward,
    the new w at the update), at the View's 4 significant figures, at least EDGE_FLOOR_PT (the
    readable floor), no two overlapping: counted against the edges of the window's own graph; every
    neuron's number (helpers.check_node_numbers) at 4 figures too, nothing drawn over anything
    (collisions.py).  On the way (one walk for three rules): Ctrl+= never draws a neuron's or an
    edge's number smaller than at the zoom step below (zoom_walk.smaller_numbers, at the last
    backward micro-step, every δ and ∂C/∂w known; before: iris's neurons' numbers shrank from
    17.4 px at zoom −1 to 13.1 px at +3 at 1024×768, mazur's 0.008771 from 20.3 px at +1 to 18 px
    at +3; the edges' of iris, wong and the diagram to the 8-pt floor at +3 from 8.4–12 pt at zoom
    0, mazur's from 12 to 10 pt), and every colour bar under the
    graph is labelled at both ends or neither (zoom_walk.check_bar_ends; before: mazur at 1024×768
    zoom +3, backward, printed "0  0.08267" under "edges: ∂C/∂w", its "-0.08267" left out alone).
    Only in the NOTED cases (none now) may some be left out, and the note under the graph must then
    say how many are drawn.
    (Before: at zoom +3 on 1024×768 xor printed 6 of its 90 edge numbers over the micro-steps and
    the diagram 177 of 204.)"""
    from PySide6 import QtWidgets

    from gui.numbers import sig_figs
    from gui.shell.presentation import ZOOM_STEP
    from helpers import check_node_numbers, window_on_screen
    window, session = window_on_screen(qtbot, screen_name)
    assert session.settings.layout == "lecture"
    graph = window.graph
    missing, short, smaller, compared, unlabelled = [], [], [], 0, []
    for preset in LECTURE_PRESETS:
        session.load_preset(preset)
        sizes = session.net.sizes
        before = {}
        for zoom in range(-2, 4):
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            for _ in range(3):
                QtWidgets.QApplication.processEvents()
            for index in _phase_samples(session):
                session.seek(index)
                graph.grab()
                where = f"{screen_name} {preset} zoom {zoom:+d} {graph.width()}×{graph.height()} micro-step {index + 1}"
                check_edge_labels(graph, where, complete=False)
                check_node_numbers(graph, where)
                assert not collisions(graph), (where, collisions(graph)[:4])     # (test_short_graph.py)
                if check_bar_ends(graph, where) < sum(what == "colour bar" for what, _ in graph.shapes):
                    unlabelled.append(where)
                if index == _phase_samples(session)[1] and held(preset, "lecture"):
                    numbers = number_sizes(graph)
                    found, n = smaller_numbers(before, numbers, f"{where} (from zoom {zoom - 1:+d})", zoom)
                    smaller, compared, before = smaller + found, compared + n, numbers
                drawn = {t.where: t for t in graph.texts if t.kind == "edge_number"}
                left_out = []
                for l in range(len(sizes) - 1):
                    if sizes[l] * sizes[l + 1] > EDGE_LABEL_MAX or graph.values.edges[l] is None:
                        continue
                    for j in range(sizes[l + 1]):
                        for i in range(sizes[l]):
                            t = drawn.get(("edge", l, j, i))
                            if t is None:
                                left_out.append(f"{where}: w{l + 1}[{j + 1},{i + 1}]")
                                continue
                            if t.text.split(" = ")[-1] != _number(graph.values.edges[l][j, i], sig_figs()):
                                short.append(f"{where}: {t.text}")
                if left_out:
                    check_edge_note(graph, where)
                if (screen_name, preset, zoom) not in NOTED:
                    missing += left_out
    assert not missing, f"{len(missing)} edge numbers left out, e.g. {missing[:6]}"
    assert not short, f"{len(short)} edge numbers with fewer figures than the View's, e.g. {short[:6]}"
    assert not smaller, f"{len(smaller)} numbers drawn smaller after Ctrl+=, e.g. {smaller[:6]}"
    assert compared > 100
    assert not unlabelled, f"colour bars without their levels: {unlabelled}"


@pytest.mark.parametrize("preset, least", [("mazur", 10.0), ("xor", 11.5)])
def test_edge_numbers_at_zoom_3_on_a_1024x768_lecture_graph_are_not_at_the_floor(qtbot, session, preset, least):
    """The Lecture layout's graph at 1024×768, zoom +3 (653×522): every edge number on its own edge
    at ``least`` points or more, the neurons' numbers no smaller than the zoomed font a step below
    (before: 8 pt, the floor, for both, the inputs laid out as wide as any number and the edge sizes
    tried jumping from 9.3 pt to the floor).  The input column is as wide as its data set's inputs
    need (mazur's 0.05 and 0.1), every pair's free width alike, and the sizes between two tried are
    halved."""
    from gui.shell.presentation import ZOOM_STEP
    session.load_preset(preset)
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    graph = shown_graph(qtbot, session, 653, 522)
    backward = max(s.index for s in session.stepper.steps if s.phase == "backward")
    session.seek(backward)
    graph.grab()
    where = f"{preset} 653×522 zoom +3 micro-step {backward + 1}"
    sizes = session.net.sizes
    assert check_edge_labels(graph, where) == sum(sizes[l] * sizes[l + 1] for l in range(len(sizes) - 1))
    labels = [t for t in graph.texts if t.kind == "edge_number"]
    assert all(t.leader is None for t in labels), where
    assert min(t.font.pointSizeF() for t in labels) >= least - 1e-9, (where, sorted({t.font.pointSizeF() for t in labels}))
    assert graph.value_font_.pointSizeF() >= graph.number_target - 1e-9
    lay = graph.graph_layout
    assert lay.half_w[0] < lay.half_w[1], "the inputs' nodes as wide as any number"
    if preset == "mazur":                   # (two pairs of four edges: equal shares)
        assert abs(lay.gap(0) - lay.gap(1)) < 2.0, [lay.gap(l) for l in range(lay.L)]


@pytest.mark.parametrize("preset", ["wong", "diagram"])
def test_a_taller_graph_never_prints_fewer_edge_values(qtbot, session, preset):
    """More room never prints fewer edge values: the graph 653 px wide (the 1024×768 Lecture
    layout's) at zoom +3, the last backward micro-step, from 254 to 338 px tall in 12-px steps (the
    heights a comparison leaves it and the shell's lending search tries), the planned count of edge
    values never falls as the graph grows, and at the top all show.  Before: wong 24 of 24 at
    266 px, 14 at 278; the diagram 17 of 20 at 302 px, 20 at 314, 19 at 338 (the neurons' numbers
    kept at the largest font the room allowed even where that left edge values out, and the note
    saying so took the row that would have seated them).  (Sine and iris still dip by one to
    four values at a few heights: label placement is a bounded search, not monotone in the room.)"""
    from gui.shell.presentation import ZOOM_STEP
    session.load_preset(preset)
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    session.seek(max(s.index for s in session.stepper.steps if s.phase == "backward"))
    graph = shown_graph(qtbot, session, 653, 254)
    counts = []
    for height in range(254, 339, 12):
        graph.resize(653, height)
        graph.settle()
        shown, _on_edges, wanted, _pt, _edges = graph.planned_edge_numbers
        counts.append((height, shown))
    assert all(a[1] <= b[1] for a, b in zip(counts, counts[1:])), (preset, wanted, counts)
    assert counts[-1][1] == wanted, (preset, wanted, counts)
