"""Giving a lesson: every slide's state, whatever the way there; recording and reopening to identical
numbers; the clicker keys in the window."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gui.lessons.builtin import ORDER, builtin_path
from gui.lessons.lesson_file import parse_lesson, read_lesson
from gui.lessons.player import LessonPlayer
from gui.session_types import Selection

LESSON = """\
title = "Walk"
[run]
preset = "xor"
[[slide]]
micro_step = 1
convention = "column"
[[slide]]
micro_step = 2
through = 4
select = { kind = "neuron", layer = 1, j = 2 }
[[slide]]
micro_step = 13
select = { kind = "edge", layer = 2, j = 1, k = 3 }
convention = "row"
[[slide]]
train_steps = 25
example = 3
micro_step = 7
select = "none"
[[slide]]
compare = { eta = 0.05 }
train_steps = 5
micro_step = 10
[[slide]]
preset = "mazur"
micro_step = 6
"""


def numbers(session) -> dict:
    """Everything a slide shows that comes from the engine, as plain arrays."""
    v = session.view
    out = {"k": session.stepper.index, "example": session.run.example_index, "steps": session.trainer.step_count,
           "L": session.net.L, "sel": session.selection, "conv": session.settings.convention,
           "compare": session.compare_label}
    for name in ("z", "a", "delta", "dW", "W", "b"):
        out[name] = [None if x is None else np.array(x) for x in getattr(v, name)]
    out["loss"] = v.loss
    return out


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        if isinstance(a[key], list):
            assert len(a[key]) == len(b[key]), key
            for x, y in zip(a[key], b[key]):
                assert (x is None) == (y is None), key
                if x is not None:
                    np.testing.assert_array_equal(x, y, err_msg=key)
        else:
            assert a[key] == b[key], key


def test_each_slide_shows_its_state(session):
    player = LessonPlayer(session, parse_lesson(LESSON))
    player.start()
    assert (player.index, session.stepper.index, session.preset_name) == (0, 0, None)
    assert player.next() and player.index == 1 and session.stepper.index == 1
    assert session.selection == Selection.neuron(1, 1)
    assert player.next() and player.index == 1 and session.stepper.index == 2     # within the slide
    assert player.next() and player.index == 1 and session.stepper.index == 3
    assert player.next() and player.index == 2 and session.stepper.index == 12
    assert session.stepper.updated and session.selection == Selection.edge(1, 0, 2)
    assert session.settings.convention == "row"
    assert player.next() and player.index == 3
    assert (session.trainer.step_count, session.run.example_index, session.stepper.index) == (25, 2, 6)
    assert session.settings.convention == "row"                                   # inherited
    assert player.next() and session.compare is not None and session.trainer.step_count == 30
    assert session.compare.trainer.step_count == 30
    assert player.next() and session.net.sizes == [2, 2, 2] and session.compare is None
    assert not player.next()                                                       # the end
    assert player.prev() and player.index == 4 and session.net.sizes == [2, 3, 1]
    assert session.compare is not None and session.trainer.step_count == 30
    assert player.prev() and player.index == 3 and session.trainer.step_count == 25 and session.compare is None
    assert player.prev() and player.index == 2 and session.stepper.index == 12    # the end of slide 3
    assert player.prev() and player.index == 1 and session.stepper.index == 3     # the end of slide 2
    assert player.prev() and session.stepper.index == 2


@pytest.mark.parametrize("order", [[5, 0, 3, 1, 4, 2], [2, 3, 2, 4, 0, 1, 5, 3]])
def test_a_slide_is_the_same_however_it_is_reached(session, order):
    player = LessonPlayer(session, parse_lesson(LESSON))
    player.start()
    walked = {}
    for n in range(player.count):
        player.go_to(n)
        walked[n] = numbers(session)
    for n in order:
        player.go_to(n)
        assert_same(numbers(session), walked[n])


def test_a_recorded_lesson_reopens_to_identical_numbers(qtbot, tmp_path):
    """Record slides from a session used freely (steps, the stepper's updates, training, another
    example, a selection, the row convention), save, reopen: every slide has its recorded numbers."""
    from gui.session import Session
    from gui.shell.lessons import LessonControl
    from gui.shell.main_window import MainWindow
    session = Session("iris")
    window = MainWindow(session)
    qtbot.addWidget(window)
    control: LessonControl = window.lessons
    recorded = []

    def record(title):
        assert control.recorder.add(title, f"note for {title} with $\\delta^2$")
        recorded.append(numbers(session))

    session.seek(3)
    record("forward")
    session.finish_example()                       # the stepper's own update of example 1
    record("updated")
    session.train_steps(17)
    session.set_example(4)
    session.seek(8)
    session.select(Selection.neuron(1, 2))
    session.settings.convention = "row"
    record("trained")
    session.next_example()
    session.seek(5)
    record("another example")
    path = tmp_path / "recorded.bplesson"
    assert control.save_recording(path, "Recorded")
    assert (tmp_path / "recorded.bplens").is_file()
    lesson = read_lesson(path)
    assert [s.title for s in lesson.slides] == ["forward", "updated", "trained", "another example"]
    other = Session("mazur")
    player = LessonPlayer(other, lesson)
    player.start()
    for n in [0, 1, 2, 3, 2, 0, 3, 1]:
        player.go_to(n)
        assert_same(numbers(other), recorded[n])
    other.stop()


def test_a_recording_with_a_big_run_saves_it_in_the_worker_and_cancel_writes_nothing(qtbot, tmp_path, monkeypatch):
    """The run saved beside a recorded lesson goes through the same save as File → Save: a big one
    in the worker (here every run counts as big), and a Cancel leaves neither file."""
    import threading

    import gui.shell.file_actions as fam
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    session = Session("xor")
    window = MainWindow(session)
    qtbot.addWidget(window)
    control = window.lessons
    session.train_steps(3)
    assert control.recorder.add("trained", "")
    monkeypatch.setattr(fam, "BACKGROUND_BYTES", 0)
    writers, real = [], fam.write_snapshot
    monkeypatch.setattr(fam, "write_snapshot",
                        lambda *a, **k: writers.append(threading.get_ident()) or real(*a, **k))
    titles = []
    session.work.started.connect(lambda st: titles.append(st.title))
    assert control.save_recording(tmp_path / "big.bplesson", "Big")
    assert titles == ["Saving big.bplens"] and writers[-1] != threading.get_ident()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bplens", "big.bplesson"]
    session.work.started.connect(lambda st: session.work.cancel())     # Cancel pressed at once
    messages = []
    session.message.connect(messages.append)
    assert not control.save_recording(tmp_path / "other.bplesson", "Other")
    assert messages[-1] == "Saving the lesson other.bplesson was cancelled; nothing was written"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bplens", "big.bplesson"]


def test_clicker_keys_move_through_the_lesson_and_are_given_back(qtbot, tmp_path):
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    session = Session("mazur")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    path = tmp_path / "walk.bplesson"
    path.write_text(LESSON, encoding="utf-8")
    assert window.lessons.open_path(path, present=False)
    player = window.lessons.player
    assert window.lessons.bar.isVisible() and "Slide 1 / 6" in window.lessons.bar.counter.text()
    window.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window)
    window.graph.setFocus()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Right)
    assert (player.index, session.stepper.index) == (1, 1)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_PageDown)
    assert player.index == 1 and session.stepper.index == 2
    assert "step 2 of 3" in window.lessons.bar.within.text()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Return)               # as → (not Finish under the slide)
    assert player.index == 1 and session.stepper.index == 3
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Enter, QtCore.Qt.KeyboardModifier.KeypadModifier)
    assert player.index == 2 and session.stepper.index == 12
    qtbot.keyClick(window, QtCore.Qt.Key.Key_End)
    assert player.index == 5 and "Slide 6 / 6" in window.lessons.bar.counter.text()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Home)
    assert player.index == 0
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Left)                # nothing before the first slide
    assert player.index == 0 and session.stepper.index == 0
    window.lessons.close_lesson()
    assert not window.lessons.bar.isVisible()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Right)                # the window's own stepping again
    assert session.stepper.index == 1
    qtbot.keyClick(window, QtCore.Qt.Key.Key_Return)
    assert session.stepper.index == len(session.stepper.steps) - 1


def test_closing_a_lesson_puts_back_the_view_its_slides_set(qtbot, tmp_path):
    """Closing the Mazur lesson after its Predict slide left predict mode on, Mazur's names on the
    graph and the lesson's layout, convention, figures and companion: the window is the lecturer's
    again, each setting the slides set as it was before the lesson opened (also through a second
    lesson opened over the first); one no slide sets (the zoom, changed during the lesson) stays."""
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    session = Session("xor")
    settings = session.settings
    window = MainWindow(session)
    qtbot.addWidget(window)
    settings.layout, settings.convention, settings.sig_figs = "training", "row", 5
    settings.mazur_names, settings.companion = False, "derivation"
    before = settings.as_dict()
    assert window.lessons.open_path(builtin_path("mazur"), present=False)
    window.lessons.player.go_to(5)                              # "Output error signal: predict it"
    assert settings.predict and settings.mazur_names and settings.layout == "lecture"
    settings.font_scale = 1.2                                   # the lecturer zooms in during the lesson
    path = tmp_path / "walk.bplesson"
    path.write_text(LESSON, encoding="utf-8")
    assert window.lessons.open_path(path, present=False)       # a second lesson over the first
    window.lessons.player.go_to(2)
    assert settings.convention == "row"
    window.lessons.close_lesson()
    after = settings.as_dict()
    changed = {k for k in before if after[k] != before[k]}
    assert changed == {"font_scale"}, {k: (before[k], after[k]) for k in changed}
    session.stop()
    window.close()


def test_quitting_during_a_lesson_stores_the_lecturers_view_not_the_slides(qtbot, tmp_path):
    """The window closed on the Mazur lesson's Predict slide: the preferences keep the view from
    before the lesson (predict mode off, the lecturer's layout), so the next launch does not open in
    predict mode with Mazur's names on."""
    from gui.session import Session
    from gui.shell import prefs
    from gui.shell.main_window import MainWindow
    store = QtCore.QSettings(str(tmp_path / "prefs.ini"), QtCore.QSettings.Format.IniFormat)
    session = Session("xor")
    window = MainWindow(session, store=store)
    qtbot.addWidget(window)
    before = session.settings.as_dict()
    assert window.lessons.open_path(builtin_path("mazur"), present=False)
    window.lessons.player.go_to(5)
    assert session.settings.predict
    window.close()
    again = Session("xor")
    prefs.restore_view_settings(again, store)
    assert again.settings.as_dict() == before


def test_a_refused_lesson_keeps_the_window_as_it_was(qtbot, tmp_path):
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    session = Session("mazur")
    window = MainWindow(session)
    qtbot.addWidget(window)
    session.seek(4)
    errors = []
    session.error.connect(errors.append)
    bad = tmp_path / "bad.bplesson"
    bad.write_text(LESSON.replace("micro_step = 13", "micro_step = 14"), encoding="utf-8")
    assert not window.lessons.open_path(bad, present=False)
    assert errors and "Could not open the lesson bad.bplesson" in errors[0] and "line 12" in errors[0]
    assert session.stepper.index == 4 and window.lessons.player is None


@pytest.mark.parametrize("name", ORDER)
def test_every_builtin_lesson_plays_to_the_end_and_back(session, name):
    player = LessonPlayer(session, read_lesson(builtin_path(name)))
    player.start()
    seen = {player.index}
    while player.next():
        seen.add(player.index)
    assert player.index == player.count - 1 and seen == set(range(player.count))
    while player.prev():
        pass
    assert player.index == 0 and session.stepper.index == player.state.micro_step - 1


def test_the_mazur_lessons_second_pass_names_the_loss_before_and_after(session):
    """Slide 12 said only "the loss has fallen from 0.2984." (the sentence stopped before its number);
    it names both losses as the banner shows them, and Mazur's published E_total before and after
    (0.298371109, 0.291027924), which the run's own losses match to 7 figures."""
    from gui.numbers import format_number
    player = LessonPlayer(session, read_lesson(builtin_path("mazur")))
    player.start()
    player.go_to(10)                                    # "The update": the loss of the first pass
    before = session.view.loss
    player.go_to(11)
    after, note = session.view.loss, player.state.note
    assert f"from {format_number(before)} to {format_number(after)}" in note, note
    assert abs(before - 0.298371109) < 1e-7 and abs(after - 0.291027924) < 5e-7
    assert "0.298371109" in note and "0.291027924" in note


def test_a_predict_slide_asks_and_the_clicker_reveals(qtbot, session):
    lesson = parse_lesson(LESSON.replace('[[slide]]\nmicro_step = 2\nthrough = 4',
                                         '[[slide]]\nmicro_step = 6\nthrough = 7\npredict = true', 1))
    player = LessonPlayer(session, lesson)
    player.start()
    assert player.go_to(1) and session.settings.predict
    question = session.quiz.question()
    assert question.quantity == "delta" and question.layer == 2
    session.quiz.set_answer(question.entries[0], float(session.stepper.grads.delta[1][0]))
    with qtbot.waitSignal(session.quiz.revealed, timeout=2000) as revealed:
        assert player.next()                          # → reveals the predicted micro-step
    assert player.index == 1 and session.stepper.index == 6 and revealed.args[0].right == 1
    assert player.next() and player.index == 2 and session.settings.predict   # kept until a slide ends it


def test_typing_g_in_a_text_field_does_not_leave_the_slide(qtbot, tmp_path):
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    session = Session("mazur")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    path = tmp_path / "walk.bplesson"
    path.write_text(LESSON, encoding="utf-8")
    assert window.lessons.open_path(path, present=False)
    window.lessons.recorder.show_dock(window)
    field = window.lessons.recorder.panel.note
    window.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window)
    field.setFocus()
    qtbot.keyClicks(field, "Go End")
    assert field.toPlainText() == "Go End" and window.lessons.player.index == 0
    assert QtWidgets.QApplication.activeModalWidget() is None
    window.lessons.close_lesson()


PACED = LESSON.replace("train_steps = 25\n", "train_steps = 25\npace = 200\nlayout = \"training\"\n")


def _reference(n: int) -> dict:
    """Slide n's numbers reached at once, by an unpaced player on a session of its own."""
    from gui.session import Session
    other = Session("mazur")
    try:
        ref = LessonPlayer(other, parse_lesson(PACED))
        ref.start()
        ref.go_to(n)
        return numbers(other)
    finally:
        other.stop()


def test_a_slides_training_plays_at_its_pace_and_ends_on_the_slide(qtbot, session):
    """→ onto a slide with train_steps plays them (the session's Play, at the slide's pace, its
    layout), then shows the slide's micro-step: the same numbers as reaching it at once."""
    player = LessonPlayer(session, parse_lesson(PACED), paced=True)
    player.start()
    player.go_to(2, at_end=True)
    assert player.next() and player.index == 3 and player.training == 3
    assert session.playing and session.trainer.step_count < 25            # not trained at once
    assert session.settings.pace == 200 and session.settings.layout == "training"
    qtbot.waitUntil(lambda: not session.playing, timeout=20000)
    assert player.training is None and session.trainer.step_count == 25
    assert_same(numbers(session), _reference(3))
    assert session.stepper.index == 6                                      # the slide's micro-step 7
    assert player.next() and player.training == 4 and session.compare is not None   # trains beside the comparison
    qtbot.waitUntil(lambda: player.training is None, timeout=20000)
    assert_same(numbers(session), _reference(4))


@pytest.mark.parametrize("how", ["next", "prev", "pause", "goto"])
def test_moving_while_a_slide_trains_never_breaks_the_lesson(qtbot, session, how):
    player = LessonPlayer(session, parse_lesson(PACED.replace("pace = 200", "pace = 2")), paced=True)
    player.start()
    player.go_to(2, at_end=True)
    assert player.next() and player.training == 3 and session.playing
    qtbot.wait(50)
    if how == "next":                        # → finishes the training at once, on the same slide
        assert player.next() and player.index == 3
        expected = 3
    elif how == "prev":
        assert player.prev() and player.index == 2
        expected = 2
    elif how == "pause":                     # Space: the slide is shown as it ends
        session.toggle_play()
        expected = 3
    else:
        assert player.go_to(5)
        expected = 5
    assert not session.playing and player.training is None and player.index == expected
    ref = _reference(expected)
    if how == "prev":
        ref_player_end = numbers(session)    # the end of slide 2 (→ had walked it to its last micro-step)
        assert ref_player_end["steps"] == ref["steps"] and ref_player_end["k"] == 12
    else:
        assert_same(numbers(session), ref)


def test_a_slide_opens_a_page_of_the_derivation(qtbot, session):
    """derivation_page (a view setting) picks the derivation panel's page, both ways: a slide opens the
    ∂z/∂W tensor; choosing a tab sets the setting, which a recorded slide keeps."""
    from gui.widgets.derivation.panel import DerivationPanel
    from gui.widgets.lesson_recorder import capture
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    lesson = parse_lesson(LESSON.replace('micro_step = 13\nselect = { kind = "edge"',
                                         'micro_step = 13\nderivation_page = "tensor"\nselect = { kind = "edge"', 1)
                          .replace('micro_step = 1\nconvention = "column"', 'micro_step = 1\nconvention = "column"\n'
                                   'derivation_page = "step"', 1))
    player = LessonPlayer(session, lesson)
    player.start()
    assert panel.tabs.currentWidget() is panel.step_list
    player.go_to(2)
    assert session.settings.derivation_page == "tensor" and panel.tabs.currentWidget() is panel.tensor_view
    assert panel.tab_bar.currentIndex() == panel.page_menu.currentIndex() == 3
    player.go_to(0)                                   # the first slide names its page: back to it
    assert panel.tabs.currentWidget() is panel.step_list
    panel.tab_bar.setCurrentIndex(5)                  # the user picks Health
    assert session.settings.derivation_page == "health"
    assert capture(session).view["derivation_page"] == "health"


def test_cancelling_a_slides_training_keeps_the_slide_shown_before(session):
    player = LessonPlayer(session, parse_lesson(LESSON))
    player.start()
    assert player.go_to(2)                              # slide 3: untrained, micro-step 13
    before = numbers(session)
    session.work.max_units, session.work.slice_s = 5, 1e9
    session.work.progressed.connect(lambda st: session.work.cancel() if st.done == 10 else None)
    assert not player.go_to(3)                           # slide 4 trains 25 updates: cancelled at 10
    assert player.index == 2
    assert_same(numbers(session), before)
    session.work.progressed.disconnect()
    assert player.go_to(3) and session.trainer.step_count == 25


@pytest.mark.parametrize("steps", [False, True])
def test_a_slide_that_trains_is_said_and_painted_first_then_prepared_with_progress(qtbot, session, steps):
    """G or End onto a slide that trains (slide 5: 30 updates and a comparison run): the window takes
    the slide's view first (its convention, its layout), the band says "Slide 5 / 6" and is painted
    before the work starts, the comparison starts at the run's step count and trains in step with it
    (one piece of work), and slide_changed comes last, the band as tall as while the work ran: the
    line under its title reads "preparing…" with the work's progress where the slide has that line
    (``steps``: "step 1 of 3"), and is not there where it has none (it went when the work ended and
    the graph was laid out again, in the Training layout, after vanishing's training slide: the
    progress window stood at "283 of 300" for 2 s at 1024×768, zoom +3).  The slide's numbers are
    those of reaching it at once on a fresh session (End onto vanishing's training slide kept "Slide 1
    / 10" over the new slide's graph for 6–15 s)."""
    from gui.widgets.lesson_bar import LessonBar
    text = LESSON.replace("micro_step = 10\n", "micro_step = 10\nthrough = 12\n") if steps else LESSON
    player = LessonPlayer(session, parse_lesson(text))
    player.start()
    bar, holder = LessonBar(), QtWidgets.QWidget()        # in a window, as under the graph
    QtWidgets.QVBoxLayout(holder).addWidget(bar)
    qtbot.addWidget(holder)
    holder.resize(1000, 400)
    bar.set_player(player)
    holder.show()
    qtbot.waitExposed(holder)
    qtbot.wait(50)                                         # its first paint done
    events, painted = [], []

    class Spy(QtCore.QObject):
        def eventFilter(self, watched, event):   # noqa: N802 (Qt's name)
            if event.type() == QtCore.QEvent.Type.Paint:
                painted.append(bar.counter.text())
            return False

    spy = Spy(bar)
    bar.counter.installEventFilter(spy)
    player.preparing.connect(lambda n: events.append(("preparing", n, bar.counter.text(), session.settings.convention)))
    session.work.started.connect(lambda st: events.append(("work", bar.counter.text(), "Slide 5 / 6" in painted)))
    session.work.progressed.connect(lambda st: events.append(
        ("progress", bar.within.text() if bar.within.isVisibleTo(bar) else None, st.text, bar.height())))
    player.slide_changed.connect(lambda n: events.append(("slide", n)))
    session.work.max_units, session.work.slice_s = 5, 1e9        # slices of 5 updates: the work yields between
    assert player.go_to(4)
    kinds = [e[0] for e in events]
    assert kinds[0] == "preparing" and kinds[-1] == "slide" and kinds.count("work") == 1, kinds   # both runs, in step
    assert events[0] == ("preparing", 4, "Slide 5 / 6", "row")      # (the slide's convention, from slide 3)
    assert all(e[1:] == ("Slide 5 / 6", True) for e in events if e[0] == "work"), (events[:4], painted)
    progress = [e for e in events if e[0] == "progress"]
    assert progress and all(line == (f"preparing… {done}" if steps else None) for _, line, done, _ in progress if done), progress
    assert events[-1] == ("slide", 4) and bar.within.text() == ("step 1 of 3" if steps else "")
    QtWidgets.QApplication.processEvents()               # (laid out as the window's next paint sees it)
    assert {height for *_, height in progress} == {bar.height()}, (progress, bar.height())
    assert bar.counter.text() == "Slide 5 / 6" and player.pending is None and bar.next_button.isEnabled()
    assert_same(numbers(session), _reference(4))


def test_enter_in_a_predict_field_moves_the_lesson_as_the_arrow_does(qtbot):
    """Mazur's "Output error signal: predict it" (slide 6, micro-steps 6 to 7): Enter in the δ²₁ field
    reveals micro-step 7 as the slide's second step, and Enter again goes to slide 7 ("Gradient of w5",
    micro-step 7 with w5 selected), as → does; Reveal stepped the session itself, to micro-step 8 with
    the band still on slide 6.  Closed, Reveal steps the session again."""
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    session = Session("mazur")
    session.settings.animate = False
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.lessons.open_path(builtin_path("mazur"), present=False)
    player, panel = window.lessons.player, window.predict_panel
    player.go_to(5)
    assert session.stepper.index == 5 and session.settings.predict
    field = panel.fields[(0, 0)]
    qtbot.keyClicks(field, "0.1385")
    qtbot.keyClick(field, QtCore.Qt.Key.Key_Return)
    assert (player.index, session.stepper.index) == (5, 6)
    qtbot.keyClick(panel.fields[(0, 0)] if panel.fields else panel.reveal_button, QtCore.Qt.Key.Key_Return)
    assert (player.index, session.stepper.index) == (6, 6)
    assert "w" in panel.title.text() and player.state.through == 8
    window.lessons.close_lesson()                               # (predict mode off again: on, to reveal)
    session.settings.predict = True
    panel.reveal_button.click()
    assert session.stepper.index == 7
    session.stop()
    window.close()
