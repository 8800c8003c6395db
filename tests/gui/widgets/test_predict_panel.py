"""Predict mode driven through the panel: a whole Mazur example typed cell by cell, right and wrong
answers, in both conventions; → / Page Down / Enter reveal; the network never changes."""
import numpy as np
import pytest
from PySide6 import QtCore

from engine import get_preset
from engine.run import Run
from engine.worksheet import Entry, Worksheet
from gui.session_types import Selection
from gui.widgets.predict_panel import PredictPanel
from helpers import wrapped_lines


@pytest.fixture
def panel(qtbot, session):
    session.settings.animate = False
    w = PredictPanel(session)
    qtbot.addWidget(w)
    w.show()
    return w


def _truth():
    """The right answers from an independent run of the engine (not the session's)."""
    return Worksheet.from_run(Run(get_preset("mazur")))


def _type(qtbot, panel, values: dict, reveal_key=QtCore.Qt.Key.Key_Return):
    """Type each entry's value into its cell, then reveal from the last cell."""
    q = panel.quiz.question()
    field = None
    for (r, c), entry in q.cells.items():
        if entry in values:
            field = panel.fields[(r, c)]
            qtbot.keyClicks(field, f"{values[entry]:.6g}")
    qtbot.keyClick(field, reveal_key)


def _wrong_plan(truth):
    """δ² without σ′ (missing-sigma-prime), ∂C/∂W² built from it (carried-forward), and the
    update of W¹ taken uphill (sign)."""
    g = truth.expected[("dC_da", 1)]
    a1 = truth.expected[("a", 0)]
    plan = {Entry("delta", 2, j + 1): g[j] for j in range(2)}
    plan.update({Entry("dC_dW", 2, j + 1, k + 1): g[j] * a1[k] for j in range(2) for k in range(2)})
    W, dW = truth.problem.W[1], truth.expected[("dC_dW", 1)]
    plan[Entry("W_new", 2, 1, 1)] = W[0, 0] + 0.5 * dW[0, 0]
    return plan


@pytest.mark.parametrize("convention", ["column", "row"])
def test_a_whole_mazur_example_right_and_wrong(qtbot, session, panel, convention):
    session.settings.convention = convention
    session.settings.predict = True
    truth, plan = _truth(), _wrong_plan(_truth())
    W_before = [w.copy() for w in session.net.W]
    asked = wrong = 0
    keys = [QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_PageDown, QtCore.Qt.Key.Key_Enter]
    while not session.stepper.done:
        if session.stepper.index + 1 == session.stepper.last:
            session.select(Selection.edge(1, 0, 0))     # the update: predict the selected w²₁₁
        q = panel.quiz.question()
        if q is None:
            session.next_step()
            continue
        if convention == "row" and q.quantity == "dC_dW":
            assert q.grid == (2, 2) and all(e.j == c + 1 and e.k == r + 1 for (r, c), e in q.cells.items())
        if q.quantity == "delta" and convention == "row":
            assert q.grid == (1, 2)
        elif q.quantity == "delta":
            assert q.grid == (2, 1)
        assert panel.title.text().startswith("Predict ")
        values = {e: plan.get(e, truth.value(e)) for e in q.entries}
        if session.stepper.index + 1 < session.stepper.last:
            np.testing.assert_array_equal(session.net.W[0], W_before[0])   # predicting never changes the network
        _type(qtbot, panel, values, keys[asked % 3])
        results = panel.quiz.verdicts[-1].results
        asked += len(results)
        wrong += sum(not r.ok for r in results)
        text = panel.verdict.text()
        for r in results:
            if r.entry in plan:
                assert not r.ok and "✗ " + r.entry.symbol in text
            else:
                assert r.ok and "✓ " + r.entry.symbol in text
    by = {r.entry: r for v in panel.quiz.verdicts for r in v.results}
    assert by[Entry("delta", 2, 1)].causes == ("missing-sigma-prime",)
    assert "your δ² is ∂C/∂a² without the factor σ′(z²)" in by[Entry("delta", 2, 1)].sentences()
    assert by[Entry("dC_dW", 2, 1, 1)].causes == ("carried-forward",)
    assert by[Entry("dC_dW", 2, 1, 1)].source == Entry("delta", 2, 1)
    assert by[Entry("W_new", 2, 1, 1)].causes == ("sign",)
    assert wrong == len(plan) and asked == 4 * 2 + 1 + 2 * (2 + 4 + 2) + 1   # z, a twice; C; δ, ∂W, ∂b twice; w²₁₁
    nb = "\u00a0"
    assert panel.score.text() == (f"Score: this{nb}example{nb}{asked - wrong}{nb}/{nb}{asked}  ·  "
                                  f"session{nb}{asked - wrong}{nb}/{nb}{asked}")
    summary = panel.quiz.summary()
    assert summary.startswith(f"This example: {asked - wrong} of {asked} right.")
    assert "σ′ factor left out (δ²₁, δ²₂)" in summary and "sign flipped" in summary and summary in panel.verdict.text()


def test_row_layout_answer_to_a_column_question_is_accepted_and_explained_once(qtbot, session, panel):
    session.settings.predict = True
    truth = _truth()
    while panel.quiz.question() is None or panel.quiz.question().quantity != "dC_dW":
        session.next_step()
    panel.layout_box.setCurrentIndex(1)                 # the student answers in rows
    q = panel.quiz.question()
    assert q.layout == "row" and q.cells[(0, 1)] == Entry("dC_dW", 2, 2, 1)
    _type(qtbot, panel, {e: truth.value(e) for e in q.entries})
    verdict = panel.quiz.verdicts[-1]
    assert all(r.ok for r in verdict.results) and "row-vector layout" in verdict.note
    assert "Accepted" in panel.verdict.text()
    q = panel.quiz.question()                           # ∂C/∂b²: no second explanation
    _type(qtbot, panel, {e: truth.value(e) for e in q.entries})
    assert panel.quiz.verdicts[-1].note == ""


def test_selected_neuron_is_asked_alone_and_bad_text_is_marked(qtbot, session, panel):
    session.settings.predict = True
    session.select(Selection.neuron(1, 1))
    q = panel.quiz.question()
    assert q.entries == [Entry("z", 1, 2)] and "selected neuron" in panel.title.text()
    field = panel.fields[(0, 0)]
    qtbot.keyClicks(field, "abc")
    assert "border" in field.styleSheet() and not panel.quiz.pending
    field.clear()
    qtbot.keyClicks(field, "0,3925")                    # a decimal comma is read
    qtbot.keyClick(field, QtCore.Qt.Key.Key_Return)
    assert panel.quiz.verdicts[-1].results[0].ok and session.stepper.index == 1


def test_predict_off_and_nothing_to_predict(session, panel):
    assert "Predict mode is off" in panel.title.text() and not panel.fields
    session.settings.predict = True
    session.finish_example()
    assert panel.quiz.question() is None and "done" in panel.title.text()
    assert not panel.reveal_button.isEnabled()


def test_reveal_is_enabled_only_in_predict_mode(session, panel):
    """Reveal steps and checks what was typed: with Predict mode off there is no entry, and it is
    disabled; P (the setting) turns it on with the question, and off again."""
    assert not session.settings.predict and not panel.reveal_button.isEnabled()
    session.settings.predict = True
    assert panel.quiz.question() is not None and panel.reveal_button.isEnabled()
    before = session.stepper.index
    panel.reveal_button.click()
    assert session.stepper.index == before + 1                # it reveals the next micro-step
    session.settings.predict = False
    assert not panel.reveal_button.isEnabled()
    panel.reveal_button.click()                               # a disabled button does nothing
    assert session.stepper.index == before + 1


def test_tolerance_boxes_follow_the_view_settings(session, panel):
    panel.rel_tol.setValue(0.01)
    assert session.settings.predict_rel_tol == pytest.approx(0.01)
    session.settings.predict_abs_tol = 0.001
    assert panel.abs_tol.value() == pytest.approx(0.001)
    assert panel.quiz.tolerance == pytest.approx((0.01, 0.001))


def test_marks_take_the_themes_colours_and_cells_are_never_squeezed(qtbot, session, panel):
    """✓ and ✗ in colours readable on each theme's background (the green of the light theme is dim
    on the dark one); a theme change recolours the verdict shown; each cell keeps its full height."""
    from gui.theme import VERDICT_COLORS
    session.settings.predict = True
    session.seek(4)                                  # a²: the loss is next
    truth = _truth()
    said = []
    session.message.connect(said.append)
    _type(qtbot, panel, {Entry("loss", None, None): truth.value(Entry("loss", None, None))})
    assert said == ["Predicted: 1 of 1 right"]              # in the status bar too: a lesson's dock is short
    session.seek(5)
    _type(qtbot, panel, {Entry("delta", 2, 1): truth.expected[("dC_da", 1)][0], Entry("delta", 2, 2): truth.value(Entry("delta", 2, 2))})
    assert said[-1].startswith("Predicted: 1 of 2 right — δ²₁ wrong (missing-sigma-prime, right 0.1385)")
    session.seek(4)
    _type(qtbot, panel, {Entry("loss", None, None): truth.value(Entry("loss", None, None))})
    (light_right, _), (dark_right, dark_wrong) = VERDICT_COLORS["light"], VERDICT_COLORS["dark"]
    assert light_right in panel.verdict.text() and "✓ C" in panel.verdict.text()
    session.settings.theme = "dark"
    assert dark_right in panel.verdict.text() and light_right not in panel.verdict.text()
    assert dark_right != light_right and dark_wrong != VERDICT_COLORS["light"][1]
    qtbot.keyClicks(panel.fields[(0, 0)], "x")       # text where a number belongs: a dark-theme border
    assert dark_wrong in panel.fields[(0, 0)].styleSheet()
    session.settings.theme = "light"
    assert VERDICT_COLORS["light"][1] in panel.fields[(0, 0)].styleSheet()
    panel.resize(700, 90)                            # a short dock: the grid keeps its size, the dock scrolls
    for field in panel.fields.values():
        assert field.height() >= field.minimumSizeHint().height()


def test_a_score_never_wraps_inside_itself(panel):
    """In a narrow column (356 px at 1024×768 zoom +3) the score line wrapped as "… session 0 /" over
    "0" or "/ 0" alone: each score and its name now wrap as one.  Laid out at widths from wide to
    narrow by the label's own font, no line starts with "/" or a figure, nor ends with "/"."""
    for width in range(400, 60, -10):
        lines = wrapped_lines(panel.score.text(), panel.score.font(), width)
        for piece in lines:
            assert piece and not piece.startswith("/") and not piece[0].isdigit() and not piece.endswith("/"), \
                (width, lines)


def test_a_message_is_drawn_in_the_body_font_and_a_question_in_the_heading(session, panel):
    """The title's message (spirals' 16×16 ∂C/∂W², too many numbers to type) is in the verdict's
    body font, not the question's bold heading (five lines of 20-pt bold at zoom +3); a question
    that can be typed is the bold heading; a zoom keeps each in its font."""
    from gui.widgets.predict_panel import MAX_CELLS
    session.load_preset("spirals")
    session.settings.predict = True
    asked = []
    for k in range(session.stepper.last + 1):
        session.seek(k)
        q = panel.quiz.question()
        if q is not None:
            asked.append((q.grid[0] * q.grid[1] > MAX_CELLS, panel.title.font(), panel.title.text()))
    many = [a for a in asked if a[0]]
    few = [a for a in asked if not a[0]]
    assert many and few
    body = panel.verdict.font()
    for _, font, text in many:
        assert "too many numbers" in text and not font.bold() and font == body, (text, font.toString())
    for _, font, text in few:
        assert font.bold() and font.pointSizeF() == body.pointSizeF(), text
    session.settings.font_scale = 1.52
    assert panel.title.font().bold() == (panel.quiz.question() is not None
                                         and panel.quiz.question().grid[0] * panel.quiz.question().grid[1] <= MAX_CELLS)
    assert panel.title.font().pointSizeF() == panel.verdict.font().pointSizeF() > body.pointSizeF()


def test_a_question_wider_than_the_columns_in_sight_is_transposed_or_in_blocks():
    """As asked where it fits; transposed where its rows fit as columns and that is shorter than
    blocks (iris's 3×8 ∂C/∂W² in three columns: 8×3); else blocks of columns as even as they go
    (iris's 8×4 in three columns: 2 + 2, not 3 + 1), each block under its own indices; a row
    vector is never turned into a column (the student chose the row layout)."""
    from gui.widgets.predict_panel import Arrangement
    fits = Arrangement(8, 4, 4)
    assert (fits.transposed, fits.blocks, fits.shown) == (False, 1, (8, 4)) and not fits.note("X")
    assert fits.place(7, 3) == (8, 4)                       # under the column indices, beside the row's
    wide = Arrangement(3, 8, 3)
    assert (wide.transposed, wide.blocks, wide.shown) == (True, 1, (8, 3))
    assert wide.place(2, 7) == (8, 3) and wide.note("∂C/∂W²") == "typed as (∂C/∂W²)ᵀ, 8×3"
    tall = Arrangement(8, 4, 3)
    assert (tall.transposed, tall.blocks, tall.per_block) == (False, 2, 2) and "2 blocks" in tall.note("X")
    assert [tall.place(0, c) for c in range(4)] == [(1, 1), (1, 2), (11, 1), (11, 2)]   # a gap line between blocks
    assert list(tall.block_columns(1)) == [2, 3] and tall.block_top(1) == 10
    row = Arrangement(1, 16, 3)
    assert not row.transposed and row.blocks == 6 and row.per_block == 3
    assert Arrangement(2, 16, 2).transposed and Arrangement(8, 1, 1).blocks == 1


def _shown_grid(panel, field):
    """(the row index label beside ``field``, the column index label above it) as a student reads them."""
    from PySide6 import QtWidgets
    grid = panel.grid
    line, col, _, _ = grid.getItemPosition(grid.indexOf(field))
    beside = grid.itemAtPosition(line, 0)
    above = next(grid.itemAtPosition(k, col) for k in range(line - 1, -1, -1)
                 if grid.itemAtPosition(k, col) is not None
                 and isinstance(grid.itemAtPosition(k, col).widget(), QtWidgets.QLabel))
    return beside.widget().text(), above.widget().text()


def test_irises_wide_questions_fit_a_narrow_column_and_are_checked_against_finite_differences(qtbot, session):
    """Iris's ∂C/∂W¹ (8×4) and ∂C/∂W² (3×8) in the 356-px column of 1024×768, zoom 0 and +3: no
    sideways scrolling, every field whole in sight and as wide as a 4-significant-figure number in
    its font, each field between its entry's 1-based indices (transposed: k beside, j above), Tab
    in the order shown; typing central finite differences of the loss into every field is all
    right, one changed is wrong (the fields are the quiz's entries)."""
    import copy
    from PySide6 import QtGui, QtWidgets
    from gui.widgets.predict_panel import NUMBER_TEXT
    from helpers import fd_grad
    session.settings.animate = False
    session.load_preset("iris")
    scroll = QtWidgets.QScrollArea()               # as the dock holds it (main_window._set_dock_widget)
    scroll.setWidgetResizable(True)
    panel = PredictPanel(session)
    scroll.setWidget(panel)
    qtbot.addWidget(scroll)
    scroll.resize(356, 700)
    scroll.show()
    session.settings.predict = True
    net, view = copy.deepcopy(session.net), session.view
    cost = lambda: net.backward(net.forward(view.x), view.y).loss       # noqa: E731
    truth = {2: fd_grad(cost, net.W[1]), 1: fd_grad(cost, net.W[0])}
    for scale, step, layer, transposed in ((1.0, 6, 2, True), (1.52, 6, 2, False), (1.52, 9, 1, False), (1.0, 9, 1, False)):
        session.settings.font_scale = scale
        session.seek(step)
        q = panel.quiz.question()
        assert (q.quantity, q.layer) == ("dC_dW", layer)
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        assert scroll.horizontalScrollBar().maximum() == 0, (scale, step, panel.minimumSizeHint().width())
        assert panel.arrangement.transposed == transposed and ("ᵀ" in panel.title.text()) == transposed
        view_rect = scroll.viewport().rect()
        order = sorted(panel.fields.values(), key=lambda f: panel.grid.getItemPosition(panel.grid.indexOf(f))[:2])
        for f in order:
            corner = f.mapTo(scroll.viewport(), QtCore.QPoint(f.width() - 1, 0))
            assert view_rect.left() <= f.mapTo(scroll.viewport(), QtCore.QPoint(0, 0)).x() and corner.x() <= view_rect.right()
            assert f.width() >= QtGui.QFontMetrics(f.font()).horizontalAdvance(NUMBER_TEXT) + 6
        assert order[0] is panel.first_field()
        for a, b in zip(order, order[1:]):
            assert a.nextInFocusChain() is b               # Tab goes on in the order shown
        for (r, c), entry in q.cells.items():
            beside, above = _shown_grid(panel, panel.fields[(r, c)])
            assert (int(beside), int(above)) == ((entry.k, entry.j) if transposed else (entry.j, entry.k)), entry
            value = truth[layer][entry.j - 1, entry.k - 1]
            if (r, c) == (1, 2):
                value = 2 * value + 0.5                  # one wrong
            qtbot.keyClicks(panel.fields[(r, c)], f"{value:.6g}")
        qtbot.keyClick(panel.fields[(0, 0)], QtCore.Qt.Key.Key_Return)
        results = {r.entry: r.ok for r in panel.quiz.verdicts[-1].results}
        assert results == {e: e != q.cells[(1, 2)] for e in q.entries}
    session.settings.font_scale = 1.0


def test_a_narrow_column_puts_the_tolerance_on_one_line_where_it_fits(qtbot, session):
    """Stacked (a narrow column), "Right within [box] or [box]" is one line where the column holds it
    (445 px at zoom +3: its three lines left a 2×2 question's verdict two lines), else a line each
    (236 px); every part inside the width in sight either way."""
    from PySide6 import QtWidgets
    scroll = QtWidgets.QScrollArea()
    scroll.setWidgetResizable(True)
    panel = PredictPanel(session)
    scroll.setWidget(panel)
    qtbot.addWidget(scroll)
    session.settings.font_scale = 1.52
    session.settings.predict = True
    scroll.show()
    for width, one_line in ((445, True), (236, False)):
        scroll.resize(width, 600)
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        assert panel.narrow
        rel, abs_ = (box.mapTo(panel, QtCore.QPoint(0, 0)) for box in (panel.rel_tol, panel.abs_tol))
        assert (rel.y() == abs_.y()) == one_line, (width, rel, abs_)
        for part in (panel.tolerance_label, panel.rel_tol, panel.tolerance_or, panel.abs_tol):
            assert part.mapTo(scroll.viewport(), QtCore.QPoint(part.width(), 0)).x() <= scroll.viewport().width(), width
    session.settings.font_scale = 1.0
