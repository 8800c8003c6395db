"""Neurons are circles: a node wider than tall only where the row is too short for a circle that
holds its number, and then clearly a capsule (at least PILL_MIN_ASPECT wide), never a squashed
circle; a circle as wide as its number where the row allows (layout.compute_layout)."""
import pytest

from gui.widgets.graph.layout import PILL_MIN_ASPECT, VALUE_TEXT_MAX, compute_layout
from gui.widgets.graph.view import GraphView

# the graph in the Lecture layout (minimum, 1280×720, 1024×768) and in the Training layout (1280×720, 1024×768)
GRAPHS = [(640, 400), (807, 561), (657, 611), (882, 227), (703, 243)]


def test_a_nearly_round_node_is_a_circle_as_wide_as_its_number():
    # 3-4-2 with 94 px numbers: 2r·0.92 < 94 for the rows' radius, a pill would be 102 × 76
    lay = compute_layout([3, 4, 2], 807, 561, top=74, bottom=126, side=24, max_radius=46,
                         value_w=94.0, value_h=24.0)
    for k in range(3):
        assert lay.half_w[k] == lay.radius[k] and not lay.pill(k), (k, lay.half_w[k], lay.radius[k])
        assert lay.show_values(k)
        x, y, w, h = lay.text_rect(k, lay.xs[k], 0.0)
        assert w >= 0.8 * 94.0 and h >= 24.0                  # the number inside, shrunk by a fifth at most
        step = float(lay.ys[k][1] - lay.ys[k][0]) if lay.sizes[k] > 1 else float("inf")
        assert 2 * lay.radius[k] < step                       # rows apart


def test_a_short_row_makes_a_capsule_not_an_ellipse():
    lay = compute_layout([2, 3, 1], 882, 227, top=14, bottom=126, side=24, max_radius=46,
                         value_w=94.0, value_h=24.0)
    assert lay.pill(1) and lay.half_w[1] >= PILL_MIN_ASPECT * lay.radius[1]
    assert not lay.pill(2) and lay.half_w[2] == lay.radius[2]          # the output has the height: a circle


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
