"""Words on a small graph (a comparison run's graph in a narrow dock, the Training layout's strip):
never shrunk below text_fit.READABLE_PT × zoom; a text that does not fit at that size is left out
(layer subtitles first), the layer names and every neuron's number stay."""
import pytest

from gui.widgets.graph.layout import VALUE_TEXT_MAX
from gui.widgets.graph.text_fit import READABLE_PT, WORD_KINDS
from helpers import shown_graph

SMALL = [(420, 300), (360, 260), (300, 520), (260, 400), (320, 240)]


@pytest.mark.parametrize("size", SMALL)
@pytest.mark.parametrize("preset, zoom", [("mazur", 1.0), ("xor", 1.0), ("diagram", 1.0), ("iris", 1.0), ("xor", 1.25)])
def test_no_word_is_drawn_below_the_readable_floor(qtbot, session, preset, zoom, size):
    session.load_preset(preset)
    session.settings.font_scale = zoom
    graph = shown_graph(qtbot, session, *size)
    floor = READABLE_PT * zoom
    for index in range(len(session.stepper.steps)):
        session.seek(index)
        graph.grab()
        numbers_floor = min(floor, graph.value_font_.pointSizeF())     # a neuron's number: fewer figures first
        for t in graph.texts:
            if t.kind in WORD_KINDS:
                assert t.font.pointSizeF() >= floor - 1e-9, (preset, size, index + 1, t.kind, t.text, t.font.pointSizeF())
            if t.kind == "number":
                assert t.font.pointSizeF() >= numbers_floor - 1e-9, (preset, size, index + 1, t.text, t.font.pointSizeF())
        labels = {t.text for t in graph.texts if t.kind == "label"}
        assert {"a⁰ = x"} <= labels or any(x.startswith("a⁰") for x in labels), (size, labels)
        lay = graph.graph_layout
        shown = {t.where[:2] for t in graph.texts if t.kind == "number" and t.where[2] == "nodes"}
        for k, n in enumerate(lay.sizes):
            if n <= VALUE_TEXT_MAX and graph.values.nodes[k] is not None and lay.show_values(k):
                assert all((k, j) in shown for j in range(n)), (preset, size, index + 1, k)
