"""Predict mode's "?" on the graph and the wrong-entry marks (gui/widgets/graph/marks.py)."""
import pytest

from engine.worksheet import Entry
from gui.session_types import Selection
from gui.widgets.graph.marks import EDGE_T, mark_spots
from gui.widgets.graph.view import GraphView
from helpers import shown_graph


@pytest.fixture
def graph(qtbot, session):
    return shown_graph(qtbot, session, 900, 500)


def test_question_marks_sit_where_the_next_values_appear(graph, session):
    assert mark_spots(graph) == []
    session.settings.predict = True
    spots = mark_spots(graph)                       # z¹ is next: its two neurons
    assert [s[0] for s in spots] == ["?", "?"]
    lay = graph.graph_layout
    for j, (_, x, y, _, _) in enumerate(spots):     # on the upper right of each neuron's rim, off its value
        centre = graph.node_pos(1, j)
        assert centre.x() + 0.5 * lay.half_w[1] < x <= centre.x() + lay.half_w[1]
        assert centre.y() - lay.radius[1] <= y < centre.y() - 0.5 * lay.radius[1]
    session.seek(6)                                 # ∂C/∂W² is next, the whole matrix: one "?" in the a¹–a² gap
    [(kind, x, y, _r, where)] = mark_spots(graph)
    assert (kind, where) == ("?", "edges 2")
    assert lay.out_x[1] + lay.half_w[1] < x < lay.in_x[2] - lay.half_w[2] and lay.top < y < lay.bottom
    session.select(Selection.edge(1, 0, 1))         # one weight selected, w²₁₂: its own "?" along its edge
    spots = mark_spots(graph)
    assert [s[4] for s in spots] == ["edge 2,1,2"]
    assert (spots[0][1], spots[0][2]) == (graph.edge_pos(1, 0, 1, EDGE_T).x(), graph.edge_pos(1, 0, 1, EDGE_T).y())
    session.select(None)                            # … and back to the matrix's one "?"
    assert [s[4] for s in mark_spots(graph)] == ["edges 2"]
    graph.grab()                                    # paints without error


def test_wrong_entries_of_the_current_micro_step_are_ringed_with_their_cause(graph, session, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("quantity,layer,j,k,value\ndelta,2,1,,0.7414\ndC_dW,2,1,1,0.4398\n")
    session.quiz.check_file(path)
    assert mark_spots(graph) == []                  # not at their micro-steps yet
    session.seek(session.quiz.step_of(Entry("delta", 2, 1)))
    [spot] = mark_spots(graph)
    assert spot[0] == "wrong" and spot[4] == "missing-sigma-prime"
    assert (spot[1], spot[2]) == (graph.node_pos(2, 0).x(), graph.node_pos(2, 0).y())
    session.next_step()
    [spot] = mark_spots(graph)
    assert spot[4] == "carried-forward" and (spot[1], spot[2]) == (graph.edge_pos(1, 0, 0, EDGE_T).x(),
                                                                      graph.edge_pos(1, 0, 0, EDGE_T).y())
    graph.grab()


@pytest.mark.parametrize("preset", ["mazur", "xor"])
def test_every_question_mark_sits_at_one_of_the_possible_places(graph, session, preset):
    """possible_question_boxes (what names keep clear of, so they never move) holds every "?" that
    any micro-step shows, and is empty with predict mode off."""
    from gui.widgets.graph.marks import possible_question_boxes, question_boxes
    session.load_preset(preset)
    assert possible_question_boxes(graph) == []
    session.settings.predict = True
    possible = {b.getRect() for b in possible_question_boxes(graph)}
    shown = 0
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        for box in question_boxes(graph):
            assert box.getRect() in possible, (index, box.getRect())
            shown += 1
    assert shown > 0


def _overlap(a, b) -> bool:
    inter = a.intersected(b)
    return inter.width() > 0.5 and inter.height() > 0.5


@pytest.mark.parametrize("size", [(810, 400), (640, 400), (807, 561), (657, 611), (560, 330)])
@pytest.mark.parametrize("wrong", [("z", 2, 2), ("z", 2, 1), ("a", 1, 2), ("dC_dW", 2, 2, 1)])
def test_a_wrong_entrys_cause_covers_no_text_node_or_badge(qtbot, session, size, wrong):
    """A revealed wrong prediction's "✗ cause" (the screenshot: z²₂ wrong at 1280×720, the cause on
    the layer name "z² (σ next)") sits inside the graph, clear of every other text drawn (caption,
    layer names, neurons' and edges' numbers, legend), every neuron and the next "?" badges."""
    from PySide6 import QtCore
    from gui.widgets.graph.marks import question_boxes
    session.settings.animate = False
    session.settings.predict = True
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(*size)
    entry = Entry(*wrong)
    session.seek(session.quiz.step_of(entry) - 1)
    session.quiz.set_answer(entry, 5.0)
    session.next_step()
    graph.grab()
    [verdict] = [t for t in graph.texts if t.kind == "verdict"]
    assert verdict.text.startswith("✗ ")
    assert QtCore.QRectF(graph.rect()).contains(verdict.rect)
    for t in graph.texts:
        if t is not verdict:
            assert not _overlap(verdict.rect, t.rect), (size, wrong, verdict.text, "over", t.kind, t.text)
    lay = graph.graph_layout
    for kind, k, _j, x, y in lay.spots():
        if kind != "bias" and not lay.strip[k]:
            node = QtCore.QRectF(x - lay.half_w[k], y - lay.radius[k], 2 * lay.half_w[k], 2 * lay.radius[k])
            assert not _overlap(verdict.rect, node), (size, wrong, "over a node")
    assert not any(_overlap(verdict.rect, box) for box in question_boxes(graph))


@pytest.mark.parametrize("preset", ["mazur", "xor", "diagram", "wong", "vanishing", "iris", "digits", "spirals", "sine"])
def test_a_question_mark_covers_no_number(qtbot, session, preset):
    """Predict mode at the Training layout's least graph (GRAPH_MIN_TRAINING), unzoomed and at zoom
    +3, at every micro-step: each neuron's "?" badge (recorded in graph.shapes) sits inside the
    graph, clear of every neuron's number (its own neuron's too: its a or z is what the student
    needs), of the other nodes, texts, the legend and the picture (collisions.py; a badge may sit on
    its own neuron's rim, and the badges of a column of rows closer than a badge is tall touch); at
    zoom +3, where the badges (42 px) find no free place in the 480×260 graph, still clear of every
    number (over a node's rim, or cut at the graph's edge, rather).  Before: on short capsules the badge, on the upper right of the rim, covered
    the right end of the number (iris's output "0.7783" read "0.778" at 1024×768 in the Training
    layout, micro-step 4)."""
    from collisions import collisions
    from gui.shell.layouts import GRAPH_MIN_TRAINING
    from gui.shell.presentation import ZOOM_STEP
    session.load_preset(preset)
    session.settings.predict = True
    graph = shown_graph(qtbot, session, GRAPH_MIN_TRAINING.width(), GRAPH_MIN_TRAINING.height())
    badges = 0
    for zoom in (0, 3):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        for index in range(len(session.stepper.steps)):
            session.seek(index)
            graph.grab()
            where = f"{preset} zoom {zoom:+d} micro-step {index + 1}"
            on_neurons = [what for what, _rect in graph.shapes if what.startswith("? on neuron")]
            badges += len(on_neurons)
            found = [c for c in collisions(graph) if "? on neuron" in c and c.count("? on ") == 1]
            bad = found if zoom == 0 else [c for c in found if "covers the number" in c]
            assert not bad, (where, bad[:4])
            on_edges = [c for c in collisions(graph) if "? on edge" in c and c.count("? on ") == 1
                        and "covers the number" in c]    # an edge's badge (∂C/∂W asked; a whole matrix's
                                                         # one in its pair's gap, "? on edges l") neither, unzoomed
            assert zoom or not on_edges, (where, on_edges[:4])   # (iris's a¹ read ".09444" for "-0.09444")
    assert badges > 0


def _accent_share(image, accent, lines, keep_off) -> list[float]:
    """For each (x1, y1, x2, y2) in ``lines``: the share of 24 points along its middle (t 0.2–0.8,
    none in a ``keep_off`` rectangle) with a pixel of the ``accent``'s hue within 1 px of it or 3 px
    along it (a dash's gap is 5 px; saturated: the accent, or the accent half blended into the
    background by antialiasing; not the light reds of the colour maps, whose hue is under 25°, nor
    the layer band's pale peach)."""
    import numpy as np
    from PySide6 import QtGui
    rgb = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    h, w = rgb.height(), rgb.width()
    px = np.frombuffer(rgb.constBits(), np.uint8).reshape(h, rgb.bytesPerLine())[:, :3 * w].reshape(h, w, 3) / 255.0
    hi, lo = px.max(axis=2), px.min(axis=2)
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        hue = np.where(hi == r, 60 * ((g - b) / (hi - lo)) % 360, 0.0)     # (the accent is orange: red is its largest)
    accented = (hi == r) & (np.abs(hue - accent.hsvHueF() * 360) < 9) & ((hi - lo) / np.maximum(hi, 1e-9) > 0.4) & (hi > 0.5)
    off = np.array([(q.left() - 2, q.top() - 2, q.right() + 2, q.bottom() + 2) for q in keep_off]).reshape(-1, 4)
    shares = []
    for x1, y1, x2, y2 in lines:
        t = 0.2 + 0.6 * np.arange(24) / 23
        xs, ys = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
        covered = ((xs[:, None] >= off[:, 0]) & (xs[:, None] <= off[:, 2])
                   & (ys[:, None] >= off[:, 1]) & (ys[:, None] <= off[:, 3])).any(axis=1)
        xs, ys = xs[~covered], ys[~covered]
        if not len(xs):
            shares.append(1.0)
            continue
        length = max(np.hypot(x2 - x1, y2 - y1), 1.0)
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        along = np.arange(-3, 4)[:, None, None]
        d = np.array([-1, 0, 1])
        cx = np.rint(xs[None, None, :] + along * ux + d[None, :, None]).astype(int).clip(0, w - 1)
        cy = np.rint(ys[None, None, :] + along * uy).astype(int)
        hit = np.zeros(len(xs), bool)
        for dy in (-1, 0, 1):
            hit |= accented[(cy + dy).clip(0, h - 1), cx].any(axis=(0, 1))
        shares.append(float(hit.mean()))
    return shares


def _nodes(graph) -> list:
    """Every neuron's node as drawn (as wide as its number needs), a strip's band."""
    from collisions import drawn_rects
    return [rect for what, rect in drawn_rects(graph)[0] if what.startswith(("neuron", "sum", "bias"))]


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
def test_a_whole_matrix_gets_one_question_mark_and_its_edges_dashed(qtbot, screen_name):
    """Finding #67: predict mode asking a whole ∂C/∂W or updated W put a "?" on every edge (iris
    1024×768: 32 piled on a¹'s rims for ∂C/∂W¹, 24 in one solid orange column beside a² for ∂C/∂W²;
    spirals 32 beside the outputs).  In the Lecture layout of a window at 1024×768 and 1280×720,
    for iris, wong, spirals and mazur at every micro-step whose question is a whole matrix: ONE "?"
    (question_boxes), in the gap between the pair's columns, inside the graph, covering no number
    and no text (the nodes' rims it may touch where the gap is narrower than the badge), and the
    pair's drawn edges dashed in the accent colour (pixels along each edge; no other pair's edge
    accented); selecting one weight gives that weight its own "?" on its edge and the dashes go
    (the question changes, the marks follow).  At every micro-step no two "?" badges overlap."""
    from PySide6 import QtGui
    from collisions import collisions
    from gui.widgets.graph.marks import question_boxes
    from helpers import window_on_screen
    window, session = window_on_screen(qtbot, screen_name, "iris")
    session.settings.predict = True
    graph, checked, columns = window.graph, 0, set()
    for preset in ("iris", "wong", "spirals", "mazur"):
        session.load_preset(preset)
        for index in range(len(session.stepper.steps) - 1):
            session.seek(index)
            question = session.quiz.question()
            boxes = question_boxes(graph)
            where = f"{screen_name} {preset} micro-step {index + 1}"
            assert not any(_overlap(a, b) for n, a in enumerate(boxes) for b in boxes[n + 1:]), where
            column = [spot for spot in mark_spots(graph) if spot[4].startswith("neurons ")]
            if column and (preset, question.layer) not in columns:      # one "?" for a column (spirals' 16)
                columns.add((preset, question.layer))
                assert [spot[4] for spot in mark_spots(graph)] == [f"neurons {question.layer}"], where
                graph.grab()
                found = [c for c in collisions(graph) if "? on neurons" in c and ("covers the number" in c or "out of" in c)]
                assert not found, (where, found[:4])
                session.select(Selection.neuron(question.layer, 2))     # one neuron selected: its own "?"
                assert [spot[4] for spot in mark_spots(graph)] == [f"neuron {question.layer},3"], where
                session.select(None)
            if question is None or question.quantity not in ("dC_dW", "W_new") or len(question.entries) < 2:
                continue                            # (not a whole matrix)
            image = graph.grab().toImage()
            lay, l = graph.graph_layout, question.layer - 1
            [(what, badge)] = [(what, rect) for what, rect in graph.shapes if what.startswith("? on ")]
            assert what == f"? on edges {question.layer}" and len(boxes) == 1, where
            assert lay.out_x[l] < badge.center().x() < lay.in_x[l + 1], (where, badge)
            found = [c for c in collisions(graph) if c.startswith("? on edges") and "covers the number" in c
                     or c.startswith("? on edges") and " meets neuron" not in c and " meets sum" not in c
                     or "meets ? on edges" in c and not c.startswith(("neuron", "sum"))]
            assert not found, (where, found[:4])
            accent = QtGui.QColor(graph.theme.accent)
            keep_off = [badge] + [t.rect for t in graph.texts] + _nodes(graph)
            asked = _accent_share(image, accent, graph.lines[l].tolist(), keep_off)
            assert min(asked) >= 0.15, (where, "asked edges not dashed", min(asked))
            others = [s for m, lines in graph.lines.items() if m != l      # (a sample of each other pair's: spirals' 256)
                      for s in _accent_share(image, accent, lines[::max(len(lines) // 24, 1)].tolist(), keep_off)]
            assert not others or max(others) < 0.15, (where, "another pair's edges accented", max(others))
            checked += 1
            if checked % 3 == 1:                    # (sampled) one weight selected: its own "?", no dashes
                session.select(Selection.edge(l, 0, 0))
                image = graph.grab().toImage()
                assert [what for what, _r in graph.shapes if what.startswith("? on ")] == [f"? on edge {question.layer},1,1"], where
                unselected = graph.lines[l].tolist()[1:] if graph.drawn[l][0][0] == 0 and graph.drawn[l][1][0] == 0 else []
                shares = _accent_share(image, accent, unselected, [t.rect for t in graph.texts] + question_boxes(graph) + _nodes(graph))
                assert not shares or max(shares) < 0.15, (where, "dashes left with one weight asked", max(shares))
                session.select(None)
    assert checked >= 8 and ("spirals", 1) in columns, columns


@pytest.mark.parametrize("size, zoom", [((653, 522), 0), ((806, 363), 0), ((653, 311), 3), ((806, 480), 3)])
def test_the_losss_question_mark_covers_no_layer_name(qtbot, session, size, zoom):
    """Predict mode at the micro-step before the loss, in the Lecture layout's (and a lesson's) graph
    sizes: the loss's "?" goes right of the output column where there is room, else under its last
    neuron, above its first or left of it, and never on a text: under the last neuron it covered
    "a² (output)" at each of these sizes (the output column too near the graph's right edge for the
    first place)."""
    from collisions import collisions
    from gui.shell.presentation import ZOOM_STEP
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    session.settings.predict = True
    graph = shown_graph(qtbot, session, *size)
    session.seek(next(s.index for s in session.stepper.steps if s.phase == "loss") - 1)
    graph.grab()
    assert [what for what, _rect in graph.shapes if what == "? on loss"], graph.shapes
    bad = [c for c in collisions(graph) if "? on loss" in c]
    assert not bad, (size, zoom, bad)
