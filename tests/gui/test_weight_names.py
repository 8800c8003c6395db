"""A weight is written one way wherever the GUI names it (engine.notation.weight_name: a comma
between its indices only where one has two digits): the graph's tooltip and its weight editor, the
computational graph's nodes, the session's and a lesson file's error messages.  They built the name
themselves, with a comma always (w²₁,₁ beside the derivation's w²₁₁) or never (digits' w²₁₀₁)."""
import pytest

from engine.notation import weight_name
from engine.scalar_graph import Node, ScalarGraph
from gui.widgets.compgraph.text import name
from gui.widgets.graph.tips import edge_tip


@pytest.mark.parametrize("preset, l, j, i, written", [("mazur", 1, 0, 0, "w²₁₁"), ("digits", 0, 3, 10, "w¹₄,₁₁"),
                                                      ("digits", 1, 9, 0, "w²₁₀,₁")])
def test_the_graphs_tooltip_and_the_sessions_error_name_a_weight_as_the_derivation_does(preset, l, j, i, written):
    from gui.session import Session
    session = Session(preset)
    try:
        assert edge_tip(session.view, l, j, i).startswith(f"Weight {written}: ")
        errors = []
        session.error.connect(errors.append)
        rows = session.net.W[l].shape[0]                 # one row past the last
        assert not session.set_weight(l, rows, i, 1.0)
        assert errors[-1].startswith(f"there is no weight {weight_name(l + 1, rows + 1, i + 1)} ")
    finally:
        session.stop()


def test_the_computational_graphs_nodes_name_a_weight_as_the_derivation_does():
    graph = ScalarGraph([], [16, 12, 3], 0)
    assert name(Node(0, "w", 1, 3, 10), graph) == "w¹₄,₁₁"
    assert name(Node(0, "×", 1, 3, 10), graph) == "w¹₄,₁₁·a⁰₁₁"
    assert name(Node(0, "w", 2, 0, 1), ScalarGraph([], [2, 2, 2], 0)) == "w²₁₂"


def test_a_lesson_selecting_a_missing_weight_names_it_as_the_derivation_does():
    from gui.lessons.lesson_file import LessonError, check_against_run, parse_lesson
    lesson = parse_lesson('title = "t"\n[run]\npreset = "mazur"\n[[slide]]\ntitle = "s"\nmicro_step = 1\n'
                          'select = { kind = "edge", layer = 2, j = 1, k = 3 }\n')
    with pytest.raises(LessonError, match="has no edge w²₁₃"):
        check_against_run(lesson, lambda preset: ([2, 2, 2], 1, 13))
