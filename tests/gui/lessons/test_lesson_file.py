"""The lesson file: reading, refusing with line and key, resolving slides, writing back."""
from __future__ import annotations

import os

import pytest

from gui.lessons.builtin import ORDER, builtin_lessons, builtin_path
from gui.lessons.lesson_file import (MAX_BYTES, Lesson, LessonError, RunSource, Slide, SlideSelection,
                                     check_against_run, lesson_to_toml, parse_lesson, read_lesson, slide_from_state,
                                     write_lesson)

GOOD = """\
title = "A lesson"
description = "What it teaches"

[run]
preset = "mazur"

[[slide]]
title = "Start"
micro_step = 1
convention = "column"
note = '''Two lines,
with maths $z = W a + b$.'''

[[slide]]
micro_step = 2
through = 4
select = { kind = "neuron", layer = 1, j = 2 }
sig_figs = 5

[[slide]]
train_steps = 3
select = "none"
"""


def test_a_good_lesson_reads_and_resolves():
    lesson = parse_lesson(GOOD)
    assert lesson.title == "A lesson" and lesson.run.preset == "mazur"
    states = lesson.states()
    assert [s.micro_step for s in states] == [1, 2, 4]          # the third slide starts where the second ended
    assert [s.through for s in states] == [1, 4, 4]
    assert [s.trained for s in states] == [0, 0, 3]
    assert states[1].select == SlideSelection("neuron", 1, 2)
    assert states[2].select == SlideSelection("none")
    assert states[2].view == {"convention": "column", "sig_figs": 5}   # inherited
    assert "$z = W a + b$" in states[0].note


BAD = [
    # (replace this, with this, line named, key named)
    ('preset = "mazur"', 'preset = "nope"', 5, "run.preset"),
    ('sig_figs = 5', 'sig_figs = 42', 18, "slide[2].sig_figs"),
    ('sig_figs = 5', 'colour = "red"', 18, "slide[2].colour"),
    ('through = 4', 'through = 1', 16, "slide[2].through"),
    ('convention = "column"', 'convention = "diagonal"', 10, "slide[1].convention"),
    ('select = { kind = "neuron", layer = 1, j = 2 }', 'select = { kind = "neuron", layer = 1 }', 17, "slide[2].select.j"),
    ('select = { kind = "neuron", layer = 1, j = 2 }', 'select = { kind = "blob" }', 17, "slide[2].select"),
    ('train_steps = 3', 'train_steps = -1', 21, "slide[3].train_steps"),
    ('title = "A lesson"', 'title = 3', 1, "title"),
    ('description = "What it teaches"', 'author = "me"', 2, "author"),
    ('micro_step = 2\n', 'micro_step = true\n', 15, "slide[2].micro_step"),
]


@pytest.mark.parametrize("old, new, line, key", BAD)
def test_bad_values_are_refused_with_line_and_key(old, new, line, key):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    with pytest.raises(LessonError) as e:
        parse_lesson(text)
    assert (e.value.line, e.value.key) == (line, key), str(e.value)
    assert f"line {line}" in str(e.value) and key in str(e.value)


def test_toml_syntax_errors_name_the_line():
    with pytest.raises(LessonError) as e:
        parse_lesson(GOOD.replace("micro_step = 2", "micro_step = = 2"))
    assert e.value.line == 15


def test_a_missing_session_file_and_a_missing_run_are_refused(tmp_path):
    with pytest.raises(LessonError, match="missing") as e:
        parse_lesson(GOOD.replace('preset = "mazur"', 'session = "gone.bplens"'), base=tmp_path)
    assert e.value.key == "run.session" and e.value.line == 5
    with pytest.raises(LessonError, match=r"\[run\]"):
        parse_lesson(GOOD.replace('[run]\npreset = "mazur"\n', ""))


def test_slides_past_the_network_are_refused():
    lesson = parse_lesson(GOOD.replace("through = 4", "through = 14"))
    with pytest.raises(LessonError, match="past the last one, 13") as e:
        check_against_run(lesson, lambda preset: ([2, 2, 2], 1, 13))
    assert e.value.key == "slide[2].through" and e.value.line == 16
    lesson = parse_lesson(GOOD.replace("j = 2", "j = 3"))
    with pytest.raises(LessonError, match="no neuron"):
        check_against_run(lesson, lambda preset: ([2, 2, 2], 1, 13))
    lesson = parse_lesson(GOOD.replace("micro_step = 1\n", "micro_step = 1\nexample = 2\n"))
    with pytest.raises(LessonError, match="example 2"):
        check_against_run(lesson, lambda preset: ([2, 2, 2], 1, 13))
    check_against_run(parse_lesson(GOOD), lambda preset: ([2, 2, 2], 1, 13))      # the good one fits


def test_files_are_read_within_budget_and_only_regular(tmp_path):
    big = tmp_path / "big.bplesson"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(LessonError, match="bytes"):
        read_lesson(big)
    with pytest.raises(LessonError, match="regular file"):
        read_lesson(tmp_path)
    fifo = tmp_path / "fifo.bplesson"
    os.mkfifo(fifo)
    with pytest.raises(LessonError, match="regular file"):
        read_lesson(fifo)
    bad = tmp_path / "latin1.bplesson"
    bad.write_bytes(GOOD.encode("utf-8").replace(b"A lesson", b"A le\xe7on"))
    with pytest.raises(LessonError, match="UTF-8") as e:
        read_lesson(bad)
    assert e.value.line == 1


def test_written_lessons_read_back_to_the_same_slides(tmp_path):
    lesson = parse_lesson(GOOD)
    lesson.slides.append(Slide(title="Recorded", example=1, micro_step=7, through=7,
                               select=SlideSelection("edge", 2, 1, 2), at_step=5,
                               note='Quotes " and \'\'\' and $\\delta^2$', view={"convention": "row"}))
    path = tmp_path / "out.bplesson"
    write_lesson(path, lesson)
    again = read_lesson(path)
    assert again.title == lesson.title and again.run.preset == "mazur"
    assert again.states() == [s.__class__(**{**vars(s), "line": t.line}) for s, t in zip(lesson.states(), again.states())]
    assert lesson_to_toml(again) == lesson_to_toml(lesson)


def test_a_slide_names_the_derivation_block_to_scroll_to(tmp_path):
    """``derivation_block`` (the start of a block's title) belongs to its slide only, must be text,
    and survives writing and recording (slide_from_state)."""
    text = GOOD.replace('title = "Start"', 'title = "Start"\nderivation_block = "The loss written in z"', 1)
    lesson = parse_lesson(text)
    states = lesson.states()
    assert states[0].derivation_block == "The loss written in z"
    assert all(st.derivation_block == "" for st in states[1:])           # not inherited
    path = tmp_path / "block.bplesson"
    write_lesson(path, lesson)
    assert read_lesson(path).states()[0].derivation_block == "The loss written in z"
    assert slide_from_state(states[0]).derivation_block == "The loss written in z"
    assert slide_from_state(states[1]).derivation_block is None
    with pytest.raises(LessonError, match="must be text") as e:
        parse_lesson(GOOD.replace('title = "Start"', 'title = "Start"\nderivation_block = 3', 1))
    assert e.value.key == "slide[1].derivation_block"


def test_inline_configuration_round_trips(tmp_path):
    config = dict(sizes=[2, 2, 1], activation="tanh", loss="half_sse", W=[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]],
                  b=[[0.0, 0.0], [0.0]], dataset={"name": "custom", "kind": "regression", "X": [[1.0, 2.0]], "Y": [[0.5]]})
    lesson = Lesson(title="Inline", run=RunSource(config=config), slides=[Slide(micro_step=3)])
    path = tmp_path / "inline.bplesson"
    write_lesson(path, lesson)
    assert read_lesson(path).run.config["W"] == config["W"]
    with pytest.raises(LessonError, match="run configuration"):
        parse_lesson(lesson_to_toml(lesson).replace("tanh", "nope"))


def test_every_builtin_lesson_reads():
    titles = builtin_lessons()
    assert list(titles) == list(ORDER)
    for name in ORDER:
        lesson = read_lesson(builtin_path(name))
        assert lesson.title == titles[name] and len(lesson.slides) >= 8


def test_builtin_notes_break_lines_only_after_a_sentence():
    """A note's line break is a hard break on the slide (note_text keeps it), so a break in the middle
    of a sentence cuts the band's text short wherever the band is wide ("… the error is (p − y)ᵀJ;" then
    "cross-entropy's …" on a line of its own): a built-in note breaks only after . : ! or ?"""
    for name in ORDER:
        for n, slide in enumerate(read_lesson(builtin_path(name)).slides, 1):
            for line in slide.note.split("\n")[:-1]:
                assert line.rstrip()[-1:] in tuple(".:!?"), (name, n, line)


def test_builtin_slides_name_a_loss_as_the_rest_of_the_screen_does():
    """(Differentials slide 5 said "½SSE" under the comparison's title "loss = ½·SSE".)"""
    from helpers import spellings_other_than_the_engines
    for name in ORDER:
        for n, slide in enumerate(read_lesson(builtin_path(name)).slides, 1):
            assert not spellings_other_than_the_engines(f"{slide.title} {slide.note}"), (name, n)


def test_builtin_slides_on_one_weights_scalar_derivation_scroll_to_its_block():
    """The scalar form starts with the selected neuron's δ; a weight's gradient comes after it, below
    the fold of a lecture screen's column (matrix-form slide 9 at 1024×768, zoom +3, showed δ¹₁ only
    under a note about ∂C/∂w¹ⱼₖ): a slide selecting a weight there names its block."""
    for name in ORDER:
        for n, state in enumerate(read_lesson(builtin_path(name)).states(), 1):
            if state.view.get("derivation_page") == "scalar" and state.select.kind == "edge":
                assert state.derivation_block.startswith("Gradient of weight"), (name, n)


def test_the_vanishing_lessons_figures_are_the_engines():
    """The last slide says how far 300 steps move W¹ and W⁶ with sigmoid and W¹ with tanh (its
    comparison run, the same initial weights); the figures are the engine's, to the digits written
    (sigmoid 0.0213 %, 160 %; tanh 8.55 % on this preset), so a change of the preset that moves
    them fails here rather than on a lecture's screen."""
    import numpy as np
    from engine import get_preset
    from engine.run import Run
    slide = read_lesson(builtin_path("vanishing")).slides[-1]
    assert slide.train_steps == 300 and slide.compare == {"activation": "tanh"}
    moved = {}
    for activation in ("sigmoid", "tanh"):
        run = Run(get_preset("vanishing").replace(activation=activation))
        W0 = [w.copy() for w in run.net.W]
        for _ in range(slide.train_steps):
            run.trainer.step()
        moved[activation] = [100 * np.linalg.norm(w - w0) / np.linalg.norm(w0) for w, w0 in zip(run.net.W, W0)]
    said = (f"W^1$ moves {moved['sigmoid'][0]:.1g} %", f"W^6$ {moved['sigmoid'][5]:.0f} %",
            f"tanh's $W^1$ {moved['tanh'][0]:.0f} %")
    note = slide.note.replace("\u00a0", " ")
    assert all(text in note for text in said), (said, note)
