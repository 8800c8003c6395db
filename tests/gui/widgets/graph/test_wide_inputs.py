"""Wide inputs in the graph: the digits' 64 inputs drawn with the level-of-detail rule at a lecture
projector's size (a strip of cells and the strongest edges, not a black bar of dots or a
hairball), the input example as an 8×8 picture beside the input column, and the output neurons
named by their classes."""
import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gui.widgets.graph import class_labels, input_image
from gui.widgets.graph.layout import MIN_RADIUS, compute_layout
from gui.widgets.graph.values import DENSE_BUDGET, EDGE_LIMIT, is_lod
from gui.widgets.graph.view import GraphView
from helpers import shown_graph


def _graph(qtbot, session, preset: str, size=(800, 460), theme: str = "light") -> GraphView:
    """The graph at about the room it has in a 1280×720 window."""
    session.load_preset(preset)
    session.settings.theme = theme
    return shown_graph(qtbot, session, *size)


def test_digits_input_layer_is_a_strip_with_its_strongest_edges(qtbot, session):
    view = _graph(qtbot, session, "digits")
    lay = view.graph_layout
    assert lay.strip[0]                                          # 64 dots of radius < 4 px: a strip instead
    assert not lay.strip[2]                                      # the 10 outputs stay circles
    j, i = view.drawn[0]
    assert len(j) == DENSE_BUDGET < 64 * 32                      # not 2,048 lines
    W = np.abs(session.net.W[0])
    assert W[j, i].min() >= np.sort(W.ravel())[-DENSE_BUDGET]   # the strongest ones
    assert "64 inputs: showing the 160 strongest of 2,048 edges" in view.lod_notes()
    assert len(view.drawn[1][0]) == 32 * 10                      # 320 edges: every one


def test_level_of_detail_rules():
    """A column is a strip when its circles would be smaller than MIN_RADIUS in the room it has;
    a layer shows only its strongest edges above EDGE_LIMIT edges."""
    small = compute_layout([64, 32, 10], 800, 460, top=96, bottom=136, side=90, max_radius=38)
    assert small.strip[:1] == [True] and min(r for r, s in zip(small.radius, small.strip) if not s) >= MIN_RADIUS
    tall = compute_layout([10, 10], 800, 460, top=96, bottom=136, side=90, max_radius=38)
    assert tall.strip == [False, False]
    cramped = compute_layout([4, 8, 3], 800, 300, top=96, bottom=136, side=90, max_radius=38)
    assert cramped.strip == [False, False, False]          # a layer that can carry its values stays circles
    assert is_lod([64, 32, 10], 0) and not is_lod([64, 32, 10], 1)
    assert not is_lod([30, 30], 0) and 30 * 30 < EDGE_LIMIT < 32 * 32 and is_lod([32, 32], 0)


@pytest.mark.parametrize("preset, names", [
    ("iris", ["setosa", "versicolor", "virginica"]),
    ("digits", [str(d) for d in range(10)]),
    ("xor", ["xor"]),
])
def test_output_neurons_carry_their_class_names(qtbot, session, preset, names):
    view = _graph(qtbot, session, preset, size=(1000, 520))
    labels = class_labels.label_rects(view)
    assert [text for text, _, _ in labels] == names
    lay = view.graph_layout
    L = lay.L
    for j, (_, rect, font) in enumerate(labels):
        assert rect.left() > lay.out_x[L] + max(lay.radius[L], lay.half_w[L])   # right of the neuron, not on it
        assert abs(rect.center().y() - lay.ys[L][j]) < 1.0
        assert QtCore.QRectF(view.rect()).contains(rect)
        width = QtGui.QFontMetricsF(font).horizontalAdvance(names[j])
        assert width <= rect.width()                             # the whole name fits
    for (_, a, _), (_, b, _) in zip(labels, labels[1:]):
        assert a.bottom() <= b.top() + 0.5                       # no two overlap
    bold = [font.bold() for _, _, font in labels]
    if len(names) > 1:                                           # the current example's class stands out
        assert bold == [j == int(np.argmax(session.run.train.Y[session.run.example_index])) for j in range(len(names))]


def test_regression_outputs_get_no_class_names(qtbot, session):
    view = _graph(qtbot, session, "mazur")
    assert session.class_names() is None and class_labels.label_rects(view) == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_digits_input_shown_as_an_8x8_picture_beside_the_input_column(qtbot, session, theme):
    view = _graph(qtbot, session, "digits", theme=theme)
    rect = input_image.image_rect(view)
    assert rect is not None and abs(rect.width() - rect.height()) < 1e-6
    lay = view.graph_layout
    assert QtCore.QRectF(view.rect()).contains(rect)
    assert rect.right() < lay.xs[0] - lay.strip_w                # beside the column, not over it
    assert rect.width() / 8 >= input_image.MIN_CELL
    x = np.asarray(session.view.x, dtype=float)
    pixels = input_image.input_pixels(view)
    np.testing.assert_array_equal(pixels, x.reshape(8, 8))      # row by row, as the pixels are numbered
    image = view.grab().toImage()
    cell = rect.width() / 8
    ink, paper = QtGui.QColor(view.theme.foreground), QtGui.QColor(view.theme.background)
    for (r, c), want in ((np.unravel_index(np.argmax(pixels), pixels.shape), ink),
                         (np.unravel_index(np.argmin(pixels), pixels.shape), paper)):
        at = QtCore.QPoint(round(rect.left() + (c + 0.5) * cell), round(rect.top() + (r + 0.5) * cell))
        got = QtGui.QColor(image.pixel(at))
        assert max(abs(got.red() - want.red()), abs(got.green() - want.green()), abs(got.blue() - want.blue())) < 40


def test_no_picture_for_inputs_that_are_not_an_image(qtbot, session):
    for preset in ("iris", "spirals", "mazur"):          # 4 = 2×2 is features, not pixels
        view = _graph(qtbot, session, preset)
        assert input_image.image_rect(view) is None


@pytest.mark.parametrize("size", [(660, 590), (640, 400), (800, 460), (1250, 560)])
def test_the_level_of_detail_note_keeps_clear_of_the_legend(qtbot, session, size):
    """The note "64 inputs: showing …" sits left of the legend's bottom row or above the legend,
    never over its colour bars' labels, at every micro-step (the legend shrinks on a short graph and
    shows two or three bars depending on the step; at 1024×768 the note ran over its tick numbers)."""
    view = _graph(qtbot, session, "digits", size=size)
    for k in range(session.stepper.last + 1):
        session.seek(k)
        view.grab()
        notes = [t for t in view.texts if t.text.startswith("64 inputs:")]
        assert len(notes) == 1, (k, [t.text for t in view.texts if t.kind == "legend"])
        note = notes[0].rect
        clash = [t.text for t in view.texts if t.kind == "legend" and t is not notes[0] and t.rect.intersects(note)]
        assert not clash, f"{size} micro-step {k + 1}: the note {note.getRect()} runs over {clash}"
