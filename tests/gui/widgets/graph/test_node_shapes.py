"""Neurons are circles: a node wider than tall only where the row is too short for a circle that
holds its number, and then clearly a capsule (at least PILL_MIN_ASPECT wide), never a squashed
circle; a circle as wide as its number where the row allows (layout.compute_layout)."""
import pytest

from gui.widgets.graph.layout import PILL_MIN_ASPECT, VALUE_TEXT_MAX, compute_layout
from gui.widgets.graph.view import GraphView

# the graph in the Lecture layout (minimum, 1280×720, 1024×768) and in the Training layout (1280×720, 1024×768)
GRAPHS = [(640, 400), (807, 561), (657, 611), (882, 227), (703, 243)]


def test_a_nearly_round_node_is_a_circle_as_wide_as_its_number_where_the_row_allows():
    """3-4-2 with 94 px numbers: a circle that holds one needs r = 94 / (2 · 0.92) = 51; the 3- and
    2-wide columns' rows have room for it, the 4-wide column's (rows 90 px apart, at most 0.46 of
    that) do not: a capsule as wide as the number there, not a circle that shrinks it (it did, to
    the circle's 2 · 34 · 0.92 = 63 px: Ctrl+= made such numbers smaller as the rows got shorter)."""
    lay = compute_layout([3, 4, 2], 807, 561, top=74, bottom=126, side=24, max_radius=46 * 1.15,
                         value_w=94.0, value_h=24.0)
    for k in range(3):
        assert lay.show_values(k)
        x, y, w, h = lay.text_rect(k, lay.xs[k], 0.0)
        assert w >= 94.0 - 1e-9 and h >= 24.0                 # the number inside at its size
        step = float(lay.ys[k][1] - lay.ys[k][0]) if lay.sizes[k] > 1 else float("inf")
        assert 2 * lay.radius[k] < step                       # rows apart
        if k == 1:
            assert lay.pill(k) and lay.half_w[k] >= PILL_MIN_ASPECT * lay.radius[k], (lay.half_w[k], lay.radius[k])
        else:
            assert lay.half_w[k] == lay.radius[k] and not lay.pill(k), (k, lay.half_w[k], lay.radius[k])


def test_a_short_row_makes_a_capsule_not_an_ellipse():
    lay = compute_layout([2, 3, 1], 882, 227, top=14, bottom=126, side=24, max_radius=46,
                         value_w=94.0, value_h=24.0)
    assert lay.pill(1) and lay.half_w[1] >= PILL_MIN_ASPECT * lay.radius[1]
    for k in (1, 2):                      # (the output's single row, 87 px, too short for a 102 px circle: a capsule too)
        assert lay.pill(k) and lay.half_w[k] >= PILL_MIN_ASPECT * lay.radius[k] and lay.text_rect(k, 0, 0)[2] >= 94.0


@pytest.mark.parametrize("size", GRAPHS)
@pytest.mark.parametrize("preset", ["xor", "mazur", "diagram", "wong", "iris"])
def test_every_node_is_a_circle_or_a_clear_capsule(qtbot, session, preset, size):
    session.load_preset(preset)
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(*size)
    graph.grab()
    lay = graph.graph_layout
    for k, n in enumerate(lay.sizes):
        if lay.strip[k] or n > VALUE_TEXT_MAX:
            continue
        hw, r = lay.half_w[k], lay.radius[k]
        assert hw == r or hw >= PILL_MIN_ASPECT * r, f"{preset} {size} column {k}: {2 * hw:.0f} × {2 * r:.0f}"
        ys = lay.ys[k]
        assert all(ys[j + 1] - ys[j] > 2 * r for j in range(n - 1)), (preset, size, k)


@pytest.mark.parametrize("size", GRAPHS[:3])
@pytest.mark.parametrize("preset", ["mazur", "diagram"])
def test_split_neurons_stay_inside_the_graph(qtbot, session, preset, size):
    """With Σ | σ split neurons the last column's σ nodes are inside the widget (they were cut at
    the right edge: the columns were spaced as if every node sat on its column's centre)."""
    session.load_preset(preset)
    session.settings.split_neurons = True
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(*size)
    graph.grab()
    lay = graph.graph_layout
    for kind, k, _j, x, y in lay.spots():
        if kind != "bias":
            assert x - lay.half_w[k] >= 0 and x + lay.half_w[k] <= size[0], (kind, k, x, lay.half_w[k])
