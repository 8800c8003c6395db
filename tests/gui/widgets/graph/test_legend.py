"""The graph's colour legend: a signed bar's two ends are the same magnitude, so they are printed
with the same figures (the minus sign is not counted against the room the number has).  That every
bar under the graph of a window's Lecture layout is labelled at both ends or neither, at every zoom
(zoom_walk.check_bar_ends), is checked on the edge numbers' zoom walk
(test_edge_labels.test_the_lecture_layout_prints_every_edge_value_at_every_zoom)."""
import pytest

from gui.numbers import format_number
from gui.session import Session
from helpers import shown_graph


@pytest.mark.parametrize("preset, k", [("mazur", 9), ("mazur", 12), ("diagram", 9)])
def test_a_signed_bar_prints_both_ends_with_the_same_figures(qtbot, preset, k):
    session = Session(preset)
    graph = shown_graph(qtbot, session, 800, 520)
    session.seek(k)                                   # backward (δ) and update micro-steps
    graph.grab()
    levels = [t.text for t in graph.texts if t.kind == "legend" and t.text[:1] in "-0123456789" and t.text != "0"]
    negative = [t for t in levels if t.startswith("-")]
    assert negative, f"no signed colour bar drawn: {levels}"
    for lo in negative:
        assert lo[1:] in levels, f"{lo} has no matching upper level among {levels}"
        assert len(lo[1:].lstrip("0.").replace(".", "")) == len(format_number(float(lo[1:])).lstrip("0.").replace(".", ""))
