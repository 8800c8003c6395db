"""Handouts: one page per slide plus the answer key, the slide's numbers in the PDF's text at 4
significant figures, blanks on Predict slides, an HTML folder, Cancel leaving nothing behind."""
from __future__ import annotations

from types import SimpleNamespace

import pypdf
import pytest

from gui.cli.parse import run_cli
from gui.lessons.lesson_file import parse_lesson
from gui.numbers import format_number
from gui.shell.handout import HandoutCancelled, make_handout
from gui.shell.main_window import MainWindow

LESSON = """\
title = "Handout test"
[run]
preset = "mazur"
[[slide]]
title = "Hidden z"
micro_step = 2
note = "The weighted input $z^1 = W^1 a^0 + b^1$."
[[slide]]
title = "Output delta, predicted"
micro_step = 6
through = 7
predict = true
[[slide]]
title = "The weight gradient"
micro_step = 8
predict = false
convention = "row"
"""


def pdf_pages(path) -> list[str]:
    return [p.extract_text().replace("\t", " ") for p in pypdf.PdfReader(str(path)).pages]


@pytest.fixture
def mazur(session):
    """The engine's numbers for the Mazur example, to find in the handout."""
    session.seek(12)
    v = session.view
    return {"z1": v.z[0], "delta2": v.delta[1], "dW2": v.dW[1]}


@pytest.fixture(scope="module")
def written(qapp, tmp_path_factory):
    """LESSON's handout written once, as a PDF and an HTML folder, for the tests that only read it
    (each handout builds a window and pictures every slide): its pages, the PDF's text, the folder,
    and what each PDF picture was taken of (PdfHandout.add watched: predict, window width, companion
    width, Predict entry shown, the window's own tab bars' tops and bottoms, the menu bar's bottom)."""
    from PySide6 import QtWidgets
    from gui.shell import handout
    folder = tmp_path_factory.mktemp("handout")
    seen, pictured = [], handout.PdfHandout.add

    def add(self, page, count, window):
        bars = [b for b in window.findChildren(QtWidgets.QTabBar) if b.parent() is window and b.isVisible()]
        seen.append((page.predict, window.width(), window.docks["matrices"].width(), window.docks["predict"].isVisible(),
                     [(b.geometry().top(), b.geometry().bottom()) for b in bars], window.menuBar().geometry().bottom()))
        pictured(self, page, count, window)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(handout.PdfHandout, "add", add)
        pages = make_handout(parse_lesson(LESSON), MainWindow, pdf=folder / "handout.pdf", html_dir=folder / "html")
    return SimpleNamespace(pages=pages, text=pdf_pages(folder / "handout.pdf"), html=folder / "html", seen=seen)


def test_pdf_has_a_page_per_slide_the_numbers_and_an_answer_key(qtbot, written, mazur):
    pages, text = written.pages, written.text
    assert len(pages) == 3
    assert len(text) == 3 + 1                                          # the answer key after the slides
    assert "Hidden z" in text[0] and "slide 1 of 3" in text[0]
    for v in mazur["z1"]:
        assert format_number(float(v), 4) in text[0]                  # 0.3775, 0.3925
    assert "Answer key" in text[3]
    for v in mazur["delta2"]:
        assert format_number(float(v), 4) in text[3]                  # the predicted numbers, in the key
    assert "Predict" in text[1] and "predict micro-step 7 / 13" in text[1]
    for v in mazur["delta2"]:
        assert format_number(float(v), 4) not in text[1].split("The numbers")[-1]   # blank cells
    for v in mazur["dW2"].ravel():
        assert format_number(float(v), 4) in text[2]


def test_predict_slides_leave_their_table_blank(qtbot, written, mazur):
    quiz = written.pages[1]
    assert quiz.predict and all(c == "" for row in quiz.tables[0].cells(blank=True) for c in row)
    assert quiz.tables[0].cells()[0][0] == format_number(float(mazur["delta2"][0]), 4)


def test_html_folder_has_a_picture_per_slide(qtbot, written):
    folder = written.html
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "slide-01.svg", "slide-02.svg", "slide-03.svg"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "Answer key" in index and "Hidden z" in index and "<svg" in index
    with pytest.raises(OSError, match="not an empty folder"):
        make_handout(parse_lesson(LESSON), MainWindow, html_dir=folder)            # never writes over a folder's files


def test_cancel_leaves_nothing_behind(qtbot, tmp_path):
    out = tmp_path / "handout.pdf"
    out.write_bytes(b"the user's old handout")
    folder = tmp_path / "html"
    with pytest.raises(HandoutCancelled):
        make_handout(parse_lesson(LESSON), MainWindow, pdf=out, html_dir=folder, progress=lambda done, total: done < 2)
    assert out.read_bytes() == b"the user's old handout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.pdf"]


def test_command_line_writes_the_handout_and_refuses_bad_lessons(qtbot, tmp_path, capsys):
    lesson = tmp_path / "l.bplesson"
    lesson.write_text(LESSON, encoding="utf-8")
    out = tmp_path / "h.pdf"
    assert run_cli(["handout", str(lesson), "--out", str(out)]) == 0
    assert len(pdf_pages(out)) == 4
    err = capsys.readouterr().err
    assert "slide 3 of 3" in err and "3 slides written" in err
    full = tmp_path / "full"
    full.mkdir()
    (full / "mine.txt").write_text("mine")
    assert run_cli(["handout", str(lesson), "--html", str(full)]) == 2          # refused, as a usage error
    assert "not an empty folder" in capsys.readouterr().err and [p.name for p in full.iterdir()] == ["mine.txt"]
    lesson.write_text(LESSON.replace("micro_step = 8", "micro_step = 99"), encoding="utf-8")
    assert run_cli(["handout", str(lesson), "--out", str(tmp_path / "bad.pdf")]) == 2
    err = capsys.readouterr().err
    assert "line 15" in err and "slide[3].micro_step" in err and not (tmp_path / "bad.pdf").exists()
    assert run_cli(["handout", str(lesson)]) == 2


def test_slides_are_pictured_at_the_lecture_size_without_the_typing_docks(qtbot, written):
    """The picture is the 1280×720 window on a screen with room for it (the offscreen platform's first
    screen is 800×800: the companion came out narrow), the Predict entry and worksheet list are not in
    it (their "?" placeholder was a stray glyph on Predict pages), and no spare dock tab bar is drawn."""
    from gui.shell.layouts import companion_width
    assert [s[0] for s in written.seen] == [False, True, False]
    for predict, width, companion, entry_shown, tab_tops, menu_bottom in written.seen:
        assert width >= 1270 and companion >= 0.8 * companion_width(1280)
        assert not entry_shown
        assert all(top > menu_bottom or bottom < 0 for top, bottom in tab_tops), (tab_tops, menu_bottom)


def test_offscreen_commands_get_a_screen_of_the_pictures_size(tmp_path):
    import json
    from pathlib import Path
    from gui.cli.common import offscreen_platform
    value = offscreen_platform((1024, 768))
    assert value.startswith("offscreen:configfile=")
    [screen] = json.loads(Path(value.split("=", 1)[1]).read_text(encoding="utf-8"))["screens"]
    assert (screen["width"], screen["height"]) == (1024, 768)
    assert offscreen_platform((1024, 768)) == value          # one file per size, reused


def test_a_handout_neither_reads_nor_writes_the_users_preferences(qtbot, tmp_path):
    """The offscreen window of a handout has preferences of its own: the user's dark theme does not
    darken the pictures, and closing it leaves nothing of the lesson (layout, pace, window size) behind."""
    from gui.shell import prefs
    user = prefs.settings()
    user.setValue("view/theme", "dark")
    user.setValue("view/pace", 20.0)
    user.sync()
    before = {k: user.value(k) for k in user.allKeys()}
    themes = []
    from gui.shell import handout
    pictured = handout.PdfHandout.add

    def add(self, page, count, window):
        themes.append(window.session.settings.theme)
        pictured(self, page, count, window)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(handout.PdfHandout, "add", add)
        make_handout(parse_lesson(LESSON.replace('title = "Hidden z"', 'title = "Hidden z"\npace = 50\nlayout = "training"')),
                     MainWindow, pdf=tmp_path / "h.pdf")
    assert themes == ["light"] * 3
    after = prefs.settings()
    assert {k: after.value(k) for k in after.allKeys()} == before


@pytest.mark.parametrize("name", ["mazur"])    # a sample (each handout takes seconds): Predict slides and the key
def test_builtin_lessons_handouts_have_a_page_per_slide_and_the_key(qtbot, tmp_path, name):
    from gui.lessons.builtin import builtin_path
    from gui.lessons.lesson_file import read_lesson
    lesson = read_lesson(builtin_path(name))
    out = tmp_path / f"{name}.pdf"
    pages = make_handout(lesson, MainWindow, pdf=out)
    texts = pdf_pages(out)
    quiz = [p for p in pages if p.predict]
    assert len(pages) == len(lesson.states())
    assert len(texts) >= len(pages) + (1 if quiz else 0)           # the answer key after the last slide
    for page, text in zip(pages, texts):
        assert f"slide {page.index + 1} of {len(pages)}" in text
    if name == "mazur":
        assert [p.index for p in quiz] == [5, 6, 8]
        assert "0.3775" in texts[1]                                  # z¹₁ on its slide, 4 significant figures
        key = "".join(texts[len(pages):])
        assert "Answer key" in key and "0.1385" in key and "0.08217" in key and "0.008771" in key
        assert "0.1385" not in texts[5].split("The numbers")[-1]     # the Predict slide's table is blank


def test_the_handout_of_a_built_in_lesson_is_offered_in_the_home_folder(tmp_path, monkeypatch):
    """A built-in lesson lives in the app's own folder (read-only once installed): its handout is
    offered in the home folder; a lesson file of the user's, beside that file."""
    from pathlib import Path
    from gui.lessons.builtin import builtin_path
    from gui.lessons.lesson_file import read_lesson
    from gui.shell.handout_dialog import handout_start
    monkeypatch.setenv("HOME", str(tmp_path))
    assert handout_start(read_lesson(builtin_path("mazur"))) == Path.home() / "mazur.pdf"
    mine = tmp_path / "talks" / "week3.bplesson"
    mine.parent.mkdir()
    mine.write_bytes(builtin_path("mazur").read_bytes())
    assert handout_start(read_lesson(mine)) == mine.with_suffix(".pdf")
