"""The network graph view: what it draws equals the engine's numbers, and using it changes the
session (select, edit a weight); toggles, level of detail, animation, tooltips."""

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from engine import RunConfig
from gui.numbers import format_exact, format_hover, format_number
from gui.session_types import Selection
from gui.theme import THEMES
from gui.widgets.graph.layout import compute_layout
from gui.widgets.graph.legend import LABEL_GAP
from gui.widgets.graph.values import CAPTIONS
from gui.widgets.graph.view import GraphView
from helpers import same_arrays, shown_graph

# Mazur's 2-2-2 micro-steps: 0 input, 1-4 forward, 5 loss, 6-8 backward ℓ=2, 9-11 backward ℓ=1, 12 update
LEFT = QtCore.Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot, session):
    return shown_graph(qtbot, session, 1200, 760)


def test_forward_step_draws_activations_and_weights(view, session):
    session.seek(4)
    v = session.view
    same_arrays(view.node_values(), v.a)
    same_arrays(view.edge_values(), v.W)
    assert view.caption() == CAPTIONS["forward"] == "Forward pass — neurons: activation a, edges: weight w"


def test_backward_step_draws_deltas_and_gradients(view, session):
    session.seek(9)                       # δ¹ known, ∂C/∂W¹ not yet
    v = session.view
    same_arrays(view.node_values(), [None] + v.delta)
    same_arrays(view.edge_values(), [None, v.dW[1]])
    assert view.caption() == "Backward pass — neurons: δ = ∂C/∂z, edges: ∂C/∂w"
    session.seek(10)
    same_arrays(view.edge_values(), session.view.dW)


def test_unknown_quantities_are_grey(view, session):
    session.seek(1)                       # z¹ computed, a¹ not: a² is unknown
    assert view.node_values()[2] is None
    colors = view.node_rgba(view.values, 2, "nodes", 2)
    assert (colors == np.array(view.neutral_fill.getRgb())).all()
    session.seek(4)
    assert not (view.node_rgba(view.values, 2, "nodes", 2) == np.array(view.neutral_fill.getRgb())).all()


def test_sigma_step_shows_z_where_it_was_computed(view, session):
    """At z¹ = W¹a⁰ + b¹ the neurons of layer 1 carry z¹ (Mazur's net_h1 = 0.3775), coloured on the
    diverging map, labelled z¹; at the σ step they carry a¹."""
    session.seek(1)
    np.testing.assert_array_equal(view.node_values()[1], session.view.z[0])
    assert view.values.shows_z(1) and not view.values.shows_z(2)
    assert not (view.node_rgba(view.values, 1, "nodes", 2) == np.array(view.neutral_fill.getRgb())).all()
    view.repaint()
    numbers = [t.text for t in view.texts if t.kind == "number"]
    assert "0.3775" in numbers and "z¹ (σ next)" in [t.text for t in view.texts]     # 4 significant figures
    session.seek(2)
    np.testing.assert_array_equal(view.node_values()[1], session.view.a[1])
    assert not view.values.shows_z(1)


def test_update_step_shows_new_weights(view, session):
    session.seek(12)
    same_arrays(view.edge_values(), [W for W in session.net.W])
    assert view.caption() == "Update — neurons: δ = ∂C/∂z, edges: new weight w ← w − η ∂C/∂w"   # plain SGD
    session.change(optimizer="adam")
    session.seek(12)
    assert view.caption() == "Update — neurons: δ = ∂C/∂z, edges: new weight w ← w + Δw (Adam)"


def test_click_selects_neuron_edge_layer_and_clears(view, session, qtbot):
    qtbot.mouseClick(view, LEFT, pos=view.node_pos(1, 1))
    assert session.selection == Selection.neuron(1, 1)
    qtbot.mouseClick(view, LEFT, pos=view.edge_pos(1, 0, 1))
    assert session.selection == Selection.edge(1, 0, 1)
    qtbot.mouseClick(view, LEFT, pos=view.label_pos(2))
    assert session.selection == Selection.layer(1)
    qtbot.mouseClick(view, LEFT, pos=QtCore.QPoint(view.width() // 4, 70))
    assert session.selection.kind is None


def test_selection_from_elsewhere_repaints(view, session, qtbot):
    before = view.frame_count
    session.select(Selection.edge(0, 1, 0))
    qtbot.waitUntil(lambda: view.frame_count > before, timeout=2000)
    assert not view.grab().isNull()


def test_double_click_edits_weight(view, session, qtbot):
    pos = view.edge_pos(1, 1, 0)
    qtbot.mouseDClick(view, LEFT, pos=pos)
    editor = view.editor
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "0.75")
    qtbot.keyClick(editor, QtCore.Qt.Key.Key_Return)
    assert session.net.W[1][1, 0] == 0.75
    assert view.editor is None
    same_arrays(view.edge_values(), session.view.W)


def test_escape_and_invalid_input_change_nothing(view, session, qtbot):
    W = [w.copy() for w in session.net.W]
    qtbot.mouseDClick(view, LEFT, pos=view.edge_pos(0, 0, 1))
    qtbot.keyClicks(view.editor, "9")
    qtbot.keyClick(view.editor, QtCore.Qt.Key.Key_Escape)
    assert view.editor is None
    qtbot.mouseDClick(view, LEFT, pos=view.edge_pos(0, 0, 1))
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "abc")
    qtbot.keyClick(view.editor, QtCore.Qt.Key.Key_Return)
    assert view.editor is not None and "not a number" in view.edit_error
    for a, b in zip(W, session.net.W):
        np.testing.assert_array_equal(a, b)
    qtbot.keyClick(view.editor, QtCore.Qt.Key.Key_Escape)
    assert view.edit_error == ""


def test_toggles_change_the_layout(view, session):
    n = sum(session.net.sizes)
    assert len(view.graph_layout.spots()) == n
    session.settings.show_bias = True
    spots = view.graph_layout.spots()
    assert [s for s in spots if s[0] == "bias"] and len(spots) == n + session.net.L
    assert view.hit_at(QtCore.QPointF(*view.graph_layout.bias_pos[0])).kind == "bias"
    same_arrays(view.bias_values(), session.view.b)
    session.settings.show_bias = False
    session.settings.split_neurons = True
    assert len(view.graph_layout.spots()) == n + sum(session.net.sizes[1:])
    session.seek(4)
    same_arrays(view.sum_values(), [None] + session.view.z)
    session.seek(9)
    same_arrays(view.sum_values(), [None] + session.view.delta)


def test_saturated_units_are_flagged(view, session):
    session.set_weight(0, 0, 0, 300.0)        # z¹₀ ≈ 15: σ′ ≈ 3e-7
    session.seek(4)
    assert view.values.saturated[1].tolist() == [True, False]
    assert view.show_saturation
    view.set_show_saturation(False)
    assert not view.show_saturation
    assert "saturated" in view.tooltip_text(view.node_pos(1, 0))


def test_tooltips_show_the_numbers(view, session):
    session.seek(7)                            # ∂C/∂W² known
    v = session.view
    text = view.tooltip_text(view.edge_pos(1, 0, 0))
    d, a, g = v.delta[1][0], v.a[1][0], v.dW[1][0, 0]
    assert f"= {format_number(d)} × {format_number(a)} = {format_number(g)} (exactly {format_exact(g)})" in text
    assert "Weight w²₁₁: neuron 1 of layer 1 → neuron 1 of layer 2" in text     # the book's indices, from 1
    assert "δ²₁ a¹₁ = 0.1385 × 0.5933 = 0.08217" in text
    text = view.tooltip_text(view.node_pos(1, 0))
    assert text.startswith("Neuron 1 of layer 1")
    for name, x in (("z¹₁", v.z[0][0]), ("a¹₁ = σ(z¹₁)", v.a[1][0]), ("σ′(z¹₁)", v.sigma_prime[0][0])):
        assert f"{name} = {format_hover(x)}" in text and format_exact(x) in text
    assert "not computed yet" in text          # δ¹ comes later


def test_theme_and_font_scale_follow_settings(view, session):
    session.settings.theme = "dark"
    assert view.theme == THEMES["dark"]
    r = view.graph_layout.radius[1]
    session.settings.font_scale = 1.5
    assert view.font_at().pointSizeF() >= 11 * 1.5
    assert view.graph_layout.radius[1] >= r
    img = QtGui.QImage(view.size(), QtGui.QImage.Format.Format_ARGB32)
    view.render(img)
    assert img.pixelColor(2, 2) == QtGui.QColor(THEMES["dark"].background)


def test_animation_runs_and_finishes(view, session, qtbot):
    session.settings.animate = True
    session.settings.speed = 4.0
    session.seek(2)
    assert not view.animating                  # a jump of more than one step
    frames = view.frame_count
    session.next_step()
    assert view.animating and view.anim.kind == "pulse_forward"
    session.next_step()                        # completes the running one, starts the next
    assert view.animating and view.anim.kind == "activate"
    qtbot.waitUntil(lambda: not view.animating, timeout=3000)
    assert view.anim is None and view.frame_count > frames
    for k in (6, 7, 12):
        session.seek(k - 1)
        session.next_step()
        assert view.animating
        qtbot.waitUntil(lambda: not view.animating, timeout=3000)
    session.settings.animate = False
    session.prev_step()
    assert not view.animating


def test_layout_geometry_is_pure():
    lay = compute_layout([3, 4, 2], 900, 600, split=True, bias=True)
    assert lay.xs[0] < lay.xs[1] < lay.xs[2]
    assert lay.in_x[1] < lay.out_x[1] and lay.in_x[0] == lay.out_x[0]
    assert lay.node_at(lay.in_x[1], float(lay.ys[1][2])).kind == "sum"
    assert lay.node_at(lay.out_x[1], float(lay.ys[1][2])).j == 2
    # 784 is always a strip; 64 too where its circles would be under MIN_RADIUS (a black bar of dots)
    assert compute_layout([784, 64, 10], 900, 600).strip == [True, True, False]
    assert compute_layout([784, 64, 10], 900, 1200).strip == [True, False, False]


@pytest.fixture
def wide(qtbot, session):
    rng = np.random.default_rng(0)
    assert session.apply_config(RunConfig.from_dict({
        "sizes": [784, 64, 10], "activation": "relu",
        "dataset": {"name": "custom", "kind": "regression", "X": [rng.random(784).tolist()], "Y": [[0.0] * 10]}}))
    session.settings.animate = False
    w = GraphView(session)
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_wide_network_uses_level_of_detail(wide, session, qtbot):
    assert wide.graph_layout.strip[0]
    assert "784 inputs: showing the 400 strongest of 50,176 edges" in wide.lod_notes()
    j, i = wide.drawn[0]
    assert len(j) == 400
    W = np.abs(session.net.W[0])
    assert W[j, i].min() >= np.sort(W.ravel())[-400]
    assert len(wide.drawn[1][0]) == 640            # 64 → 10: every edge
    hit = wide.hit_at(QtCore.QPointF(wide.graph_layout.xs[0], float(wide.graph_layout.ys[0][300])))
    assert (hit.kind, hit.k, hit.j) == ("neuron", 0, 300)
    for k in (3, 8, 10):             # the rule holds in every phase (its speed is benchmarks/gui_fps.py's)
        session.seek(k)
        assert not wide.grab().isNull()
        assert len(wide.drawn[0][0]) == 400 and len(wide.drawn[1][0]) == 640


def test_edges_follow_live_weights_while_training(view, session, qtbot):
    session.play()
    qtbot.waitUntil(lambda: session.trainer.step_count > 0, timeout=3000)
    with qtbot.waitSignal(session.params_changed, timeout=3000):
        pass
    same_arrays(view.edge_values(), session.net.W)
    session.stop()


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_an_edges_step_is_the_one_its_optimizer_applies(view, session, name):
    """−η ∂C/∂w is the step of plain SGD only; with state the tooltip says so, and after the
    update gives the Δw actually applied."""
    session.change(optimizer=name)
    session.seek(session.stepper.last - 1)              # ∂C/∂W known, no update yet
    text = view.tooltip_text(view.edge_pos(1, 0, 0))
    assert "−η ∂C/∂w" not in text.replace("(not −η ∂C/∂w)", "") and "applies its own Δw" in text
    session.seek(session.stepper.last)
    text = view.tooltip_text(view.edge_pos(1, 0, 0))
    applied = session.view.W[1][0, 0] - session.view.W_before[1][0, 0]
    assert f"step Δw applied by {session.optimizer.title} = " in text
    assert format_hover(session.view.optimizer_step.W[1]["delta"][0, 0]) in text
    assert session.view.optimizer_step.W[1]["delta"][0, 0] == pytest.approx(applied, rel=1e-9)


@pytest.mark.parametrize("preset", ["mazur", "diagram", "vanishing"])
def test_column_labels_never_meet_even_zoomed_in(qtbot, session, preset):
    """The column captions ("2 neurons · sigmoid") keep to their column's share of the width: at the
    Lecture layout's graph size at 1024×768 and zoom +3, two on a line are LABEL_GAP apart as drawn
    (they used to run together)."""
    session.load_preset(preset)
    session.settings.animate = False
    session.settings.font_scale = 1.15 ** 3
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(660, 590)
    graph.grab()
    texts = [t for t in graph.texts if t.kind == "label"]
    from gui.widgets.graph.legend import layer_label
    from gui.widgets.graph.text_fit import readable_pt
    names = {layer_label(k, graph.graph_layout.L, graph.values.shows_z(k)) for k in range(len(session.net.sizes))}
    assert names <= {t.text for t in texts}                # every column's name; a subtitle too small to read is left out
    assert all(t.font.pointSizeF() >= readable_pt(graph) - 1e-9 for t in texts)
    for t in texts:                                       # the text as drawn fits its rectangle
        assert QtGui.QFontMetricsF(t.font).horizontalAdvance(t.text) <= t.rect.width() + 0.5, t.text
    for t in texts:
        assert QtCore.QRectF(graph.rect()).contains(t.rect)
    lines = {}                                            # the texts as drawn, centred, line by line
    for t in texts:
        half = QtGui.QFontMetricsF(t.font).horizontalAdvance(t.text) / 2
        lines.setdefault(round(t.rect.top()), []).append((t.rect.center().x() - half, t.rect.center().x() + half))
    for spans in lines.values():
        spans.sort()
        for (_, right), (left, _) in zip(spans, spans[1:]):
            assert left - right >= LABEL_GAP * graph.scale - 1, (spans, graph.scale)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_inline_editor_takes_the_themes_colours(view, session, qtbot, theme):
    """The double-click editor is drawn in the theme's panel and text colours (readable, ≥ 4.5:1),
    not a white box on the dark theme; a refused entry is outlined in the theme's error colour."""
    from gui.theme import THEMES, contrast_ratio
    session.settings.theme = theme
    qtbot.mouseDClick(view, LEFT, pos=view.edge_pos(0, 0, 1))
    editor = view.editor
    image = editor.grab().toImage()
    inside = QtGui.QColor(image.pixel(image.width() - 6, image.height() // 2))
    assert inside.name() == QtGui.QColor(THEMES[theme].panel).name(), inside.name()
    assert contrast_ratio(QtGui.QColor(THEMES[theme].foreground), inside) >= 4.5
    editor.selectAll()
    qtbot.keyClicks(editor, "abc")
    qtbot.keyClick(editor, QtCore.Qt.Key.Key_Return)
    edge = QtGui.QColor(editor.grab().toImage().pixel(0, editor.height() // 2))
    assert edge.name() == QtGui.QColor(THEMES[theme].error).name(), edge.name()
    qtbot.keyClick(editor, QtCore.Qt.Key.Key_Escape)


def test_a_held_graphs_neurons_area_keeps_its_height_in_the_middle_of_its_room():
    """A graph that holds its numbers after Ctrl+= (GraphView._relayout) lays its neurons out in an
    area as tall as the zoom step below's (compute_layout's max_h), in the middle of the taller room
    it has (before: at its top, the spare height left empty under the layer names): the same nodes
    as in a graph of just that room, moved down by half the spare height."""
    args = dict(top=74, bottom=126, side=24, max_radius=46 * 1.15, value_w=94.0, value_h=24.0)
    held = compute_layout([3, 4, 2], 807, 561, max_h=300.0, **args)
    fitted = compute_layout([3, 4, 2], 807, 300 + 74 + 126, **args)
    assert held.bottom - held.top == pytest.approx(300.0)
    spare = (561 - 126 - 74) - 300
    assert held.top - fitted.top == pytest.approx(spare / 2)
    for k in range(3):
        assert np.allclose(held.ys[k] - held.top, fitted.ys[k] - fitted.top)
        assert (held.radius[k], held.half_w[k], held.xs[k]) == pytest.approx((fitted.radius[k], fitted.half_w[k], fitted.xs[k]))


def test_an_outer_pill_keeps_its_rings_room_from_the_edge():
    """A node wider than the largest node size (a pill carrying its number: mazur's outputs at zoom
    +3 once the edge numbers have stepped the node size down) may reach into the side margin, but
    keeps ``keep`` px from the graph's edges (the rings round it, paint.RING_REACH × zoom): before,
    it reached as far as the margin allowed it (9.4 px here, 2 px in a 1280×720 lesson at +3, its
    selection ring cut; finding 709).  Where the pills are narrower than that, nothing moves."""
    s, keep = 1.52, 12.0
    args = dict(top=20, bottom=60, side=24 * s, max_radius=46 * s * 0.6, value_h=30.0)
    for value_w in (110.0, 130.0, 150.0):
        kept = compute_layout([2, 2, 2], 653, 311, value_w=value_w, keep=keep, **args)
        free = compute_layout([2, 2, 2], 653, 311, value_w=value_w, **args)
        gaps = (kept.xs[0] - kept.half_w[0], 653 - kept.xs[-1] - kept.half_w[-1])
        assert min(gaps) >= keep - 1e-6, (value_w, gaps)
        if free.xs[0] - free.half_w[0] >= keep:                  # (room enough: laid out as without it)
            assert kept.xs == pytest.approx(free.xs) and kept.half_w == pytest.approx(free.half_w)


@pytest.mark.parametrize("size", [(653, 311), (760, 340), (806, 363)])
def test_the_outer_columns_band_and_selection_ring_stay_inside_the_graph(qtbot, session, size):
    """Mazur at zoom +3 in a short graph (a lesson's, under its caption band): the output column's
    pills (0.7514 at its neurons' size) are wider than the largest node size the edge numbers leave,
    and reach into the side margin, 13.5 px from the edge, so the highlight band of the current
    column (21 px round its nodes) was cut at the graph's right edge (at 653×311 and 760×340; finding
    709); it is drawn 2 px inside.  Painted, the graph's outermost pixel columns (and its top and
    bottom rows) are its background alone, at a backward micro-step of the output layer and of the
    input layer's weights, with an output neuron and an input neuron selected."""
    from gui.shell.presentation import ZOOM_STEP
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    graph = shown_graph(qtbot, session, *size)
    background = QtGui.QColor(graph.theme.background).rgb()
    for step, selection in ((6, Selection.neuron(2, 0)), (11, Selection.neuron(0, 1))):
        session.seek(step)
        session.select(selection)
        image = graph.grab().toImage()
        w, h = image.width(), image.height()
        for x in (0, 1, w - 2, w - 1):
            drawn = [y for y in range(h) if image.pixel(x, y) != background]
            assert not drawn, (size, step, selection, f"drawn at x = {x} of {w}, y = {drawn[0]}..{drawn[-1]}")
        for y in (0, h - 1):
            drawn = [x for x in range(w) if image.pixel(x, y) != background]
            assert not drawn, (size, step, selection, f"drawn at y = {y} of {h}, x = {drawn[0]}..{drawn[-1]}")


@pytest.mark.parametrize("preset, size, zoom", [("diagram", (653, 400), 0), ("diagram", (653, 337), 3),
                                                ("mazur", (806, 363), 3)])
def test_a_layer_pairs_frame_stays_inside_the_graph_and_off_its_texts(qtbot, preset, size, zoom):
    """A layer pair selected (the jacobians lesson's slide 7 selects the diagram's W¹) is framed,
    dashed, round its two columns: the frame is what the graph draws more than with nothing selected
    (the selected layer's name aside, drawn in the accent colour), and none of it lies on the graph's
    outermost pixels, on the caption or on any text drawn.  Before, the frame ran off the left and
    top edges and through the caption and the layer name "a¹" (finding 710)."""
    from gui.session import Session
    from gui.shell.presentation import ZOOM_STEP
    from gui.theme import configure_pyqtgraph
    configure_pyqtgraph()
    session = Session(preset)
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    session.settings.convention = "row"
    graph = shown_graph(qtbot, session, *size)
    for step in (4, len(session.stepper.steps) - 3):
        session.seek(step)
        session.select(None)
        plain = graph.grab().toImage()
        session.select(Selection.layer(0))
        framed = graph.grab().toImage()
        texts = [t for t in graph.texts if not (t.kind == "label" and t.color == QtGui.QColor(graph.theme.accent))]
        w, h = framed.width(), framed.height()
        drawn = [(x, y) for y in range(h) for x in range(w) if framed.pixel(x, y) != plain.pixel(x, y)]
        where = (preset, size, zoom, step)
        assert len(drawn) > w, where                     # (a frame drawn)
        off = [(x, y) for x, y in drawn if x <= 1 or y <= 1 or x >= w - 2 or y >= h - 2 or y < graph.content_top]
        assert not off, (where, "on the edge or the caption", off[:3])
        for t in texts:
            ink = t.ink()
            on = [(x, y) for x, y in drawn if ink.contains(x + 0.5, y + 0.5)]
            assert not on, (where, f"on the {t.kind} {t.text!r}", on[:3])
    session.stop()
