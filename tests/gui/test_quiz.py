"""The quiz part of the session: questions per micro-step, reveal on →, scores, the chain of the
student's answers, the session file, and worksheet files checked in the window."""
import numpy as np
import pytest

from engine.session_file import save_session
from engine.session_read import load_session
from engine.worksheet import Entry
from gui.session_types import Selection


def test_questions_follow_the_micro_steps(session):
    assert session.quiz.question() is None                  # Predict mode off
    session.settings.predict = True
    asked = []
    while not session.stepper.done:
        q = session.quiz.question()
        asked.append(None if q is None else (q.quantity, q.layer, q.grid))
        session.next_step()
    assert asked == [("z", 1, (2, 1)), ("a", 1, (2, 1)), ("z", 2, (2, 1)), ("a", 2, (2, 1)), ("loss", None, (1, 1)),
                     ("delta", 2, (2, 1)), ("dC_dW", 2, (2, 2)), ("dC_db", 2, (2, 1)), ("delta", 1, (2, 1)),
                     ("dC_dW", 1, (2, 2)), ("dC_db", 1, (2, 1)), ("W_new", 1, (2, 2))]


def test_reveal_scores_and_a_new_example_resets_the_example_score(session):
    session.settings.predict = True
    q = session.quiz
    q.set_answer(Entry("z", 1, 1), 0.3775)
    q.set_answer(Entry("z", 1, 2), 0.5)
    session.next_step()
    assert [r.ok for r in q.verdicts[-1].results] == [True, False]
    assert q.example_score == [1, 2] and q.session_score == [1, 2]
    session.prev_step()
    session.next_step()                                      # nothing typed: nothing scored
    assert q.session_score == [1, 2]
    session.next_example()
    assert q.example_score == [0, 0] and q.session_score == [1, 2] and not q.answers


def test_carried_forward_through_the_students_own_answers(session):
    session.settings.predict = True
    q = session.quiz
    session.seek(5)                                          # the loss is shown; δ² is next
    g = session.view.dC_da
    q.set_answer(Entry("delta", 2, 1), g[0])
    q.set_answer(Entry("delta", 2, 2), g[1])
    session.next_step()
    assert {r.causes for r in q.verdicts[-1].results} == {("missing-sigma-prime",)}
    session.next_step()                                      # ∂C/∂W², from the wrong δ²
    q.set_answer(Entry("dC_db", 2, 1), g[0])
    session.next_step()
    [r] = q.verdicts[-1].results
    assert r.causes == ("carried-forward",) and r.source == Entry("delta", 2, 1)
    assert "follows correctly from your own earlier wrong answer δ²₁" in r.sentences()[0]


def test_predicting_never_changes_the_network(session):
    session.settings.predict = True
    W = [w.copy() for w in session.net.W]
    session.select(Selection.neuron(2, 0))
    for _ in range(5):
        q = session.quiz.question()
        if q is not None:
            for e in q.entries:
                session.quiz.set_answer(e, 123.0)
        session.next_step()
    for a, b in zip(W, session.net.W):
        np.testing.assert_array_equal(a, b)


def test_predict_mode_is_saved_in_the_session_file(session, tmp_path):
    session.settings.predict = True
    session.settings.predict_rel_tol = 0.01
    path = tmp_path / "quiz.bplens"
    save_session(path, session.run, view_settings=session.settings.as_dict())
    loaded = load_session(path)
    assert loaded.view_settings["predict"] is True and loaded.view_settings["predict_rel_tol"] == 0.01


def test_a_worksheet_file_checked_against_the_current_example(session, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("quantity,layer,j,k,value\ndelta,2,1,,0.7414\ndelta,2,2,,-0.03810\nloss,,,,0.2984\n")
    results = session.quiz.check_file(path)
    assert [(r.entry.label, r.ok, r.cause) for r in results] == [
        ("loss", True, None), ("delta 2 1", False, "missing-sigma-prime"), ("delta 2 2", True, None)]
    assert session.quiz.step_of(Entry("delta", 2, 1)) == 6 and session.quiz.step_of(Entry("loss")) == 5
    assert [r.entry for r in session.quiz.wrong_marks()] == [Entry("delta", 2, 1)]
    session.load_preset("xor")                               # another run: the marks go
    assert session.quiz.wrong_marks() == []


def test_a_run_a_worksheet_does_not_cover_asks_nothing(session):
    assert session.change(penalty="l2", penalty_lambda=0.1)
    session.settings.predict = True
    assert session.quiz.sheet() is None and session.quiz.question() is None
    with pytest.raises(ValueError, match="weight penalty"):
        session.quiz.check_file("unused.csv")
