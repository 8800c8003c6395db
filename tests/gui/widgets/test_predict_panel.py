"""Predict mode driven through the panel: a whole Mazur example typed cell by cell, right and wrong
answers, in both conventions; → / Page Down / Enter reveal; the network never changes."""
import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

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
    assert "Predict z¹₂:" in panel.title.text().replace("\u2060", "")    # which one: a lone field has no indices
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
    """Both ways; the relative tolerance reads in percent, the absolute one as ± a difference."""
    assert (panel.rel_tol.text(), panel.abs_tol.text()) == ("0.100 %", "± 0.00050")     # the defaults 1e-3, 5e-4
    panel.rel_tol.setValue(1.0)                                                          # 1 %
    assert session.settings.predict_rel_tol == pytest.approx(0.01)
    session.settings.predict_abs_tol = 0.001
    assert panel.abs_tol.value() == pytest.approx(0.001) and panel.abs_tol.text() == "± 0.00100"
    session.settings.predict_rel_tol = 0.002
    assert panel.rel_tol.text() == "0.200 %"
    assert panel.quiz.tolerance == pytest.approx((0.002, 0.001))


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


def _room(columns: int, lines: float = 99, column: int = 100, line: int = 30) -> "Room":
    """A room ``columns`` columns of fields wide (beside one index column) and ``lines`` lines of
    fields tall; a head line, an index column and a gap a third of a line or column."""
    from gui.widgets.predict_panel import Room
    return Room(width=10 + columns * column, height=round(lines * line), column=column, line=line,
                head=line // 3 * 2, index=10, gap=line // 3)


def test_a_question_wider_or_taller_than_the_room_is_transposed_or_in_blocks():
    """As asked where it fits; else what fits in the least height: transposed where its rows fit as
    columns (iris's 3×8 ∂C/∂W² in three columns: 8×3), blocks of columns one under the other as even
    as they go (iris's 8×4 in three columns: 2 + 2, not 3 + 1), or, for a question taller than the
    room, blocks of rows side by side (digits' 10×1 a²: 5 + 5); where nothing fits the height, the
    least height (it overflows and says so); a row vector is never turned into a column, nor a
    column into a row; never wider than the room where one column fits."""
    from gui.widgets.predict_panel import Arrangement
    fits = Arrangement(8, 4, _room(4))
    assert (fits.transposed, fits.blocks, fits.shown) == (False, 1, (8, 4)) and not fits.note
    assert fits.place(7, 3) == (8, 4) and not fits.overflows    # under the column indices, beside the row's
    wide = Arrangement(3, 8, _room(3), "∂C/∂W²")
    assert (wide.transposed, wide.blocks, wide.shown) == (True, 1, (8, 3))
    assert wide.place(2, 7) == (8, 3) and wide.note == "typed as (∂C/∂W²)ᵀ, 8×3"
    tall = Arrangement(8, 4, _room(3))
    assert (tall.transposed, tall.down, tall.per_down) == (False, 2, 2) and "2 blocks" in tall.note
    assert [tall.place(0, c) for c in range(4)] == [(1, 1), (1, 2), (11, 1), (11, 2)]   # a gap line between blocks
    assert list(tall.block_columns(1)) == [2, 3] and tall.block_top(1) == 10
    row = Arrangement(1, 16, _room(3))
    assert not row.transposed and row.down == 6 and row.per_down == 3
    assert Arrangement(2, 16, _room(2)).transposed and Arrangement(8, 1, _room(1)).blocks == 1
    column = Arrangement(10, 1, _room(3, lines=6))           # digits' a² in a short room
    assert (column.transposed, column.across, column.per_across, column.overflows) == (False, 2, 5, False)
    assert [column.place(r, 0) for r in (0, 4, 5, 9)] == [(0, 1), (4, 1), (0, 4), (4, 4)]   # a gap column between
    assert sorted(range(10), key=lambda r: column.order(r, 0)) == list(range(10))          # block by block
    assert list(column.block_rows(1)) == [5, 6, 7, 8, 9] and column.block_left(1) == 3
    assert column.note == "in 2 blocks side by side"
    assert Arrangement(10, 1, _room(2, lines=11)).blocks == 1  # as asked where it fits
    assert Arrangement(1, 10, _room(1, lines=3)).shown == (1, 10)   # a row stays a row, overflowing
    over = Arrangement(8, 4, _room(2, lines=8))              # iris's 8×4 at zoom +3: nothing fits the height
    assert over.overflows and (over.down, over.per_down, over.transposed) == (2, 2, False)
    assert over.note == "in 2 blocks, more below (Tab)"
    assert over.height == 2 * (20 + 8 * 30) + 10              # two blocks, each its head line and 8 lines
    assert Arrangement(8, 4, _room(0)).width <= _room(1).width  # not even one column: the narrowest


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
    """Stacked (a narrow column) at zoom +3, "Right within [box] or [box]" is one line where the
    column holds it (900 px), the label over the two boxes where they fit a line (445 px: its three
    lines left a 2×2 question's verdict two lines; at the panels' size the whole line needs more),
    else a line each (236 px); every part inside the width in sight each time."""
    from PySide6 import QtWidgets
    scroll = QtWidgets.QScrollArea()
    scroll.setWidgetResizable(True)
    panel = PredictPanel(session)
    scroll.setWidget(panel)
    qtbot.addWidget(scroll)
    session.settings.font_scale = 1.52
    session.settings.predict = True
    scroll.show()
    for width, lines in ((900, 1), (445, 2), (236, 3)):
        scroll.resize(width, 600)
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        assert panel.narrow
        label, rel, abs_ = (w.mapTo(panel, QtCore.QPoint(0, 0)).y() for w in (panel.tolerance_label, panel.rel_tol, panel.abs_tol))
        assert len({label, rel, abs_}) == lines and label <= rel <= abs_, (width, label, rel, abs_)
        for part in (panel.tolerance_label, panel.rel_tol, panel.tolerance_or, panel.abs_tol):
            assert part.mapTo(scroll.viewport(), QtCore.QPoint(part.width(), 0)).x() <= scroll.viewport().width(), width
    session.settings.font_scale = 1.0


def test_what_the_note_adds_to_the_title_counts_in_the_height():
    """A plan fits only with the lines its note adds to the title above the grid: otherwise the
    title's new line took the room it was chosen for, and the next look chose another."""
    from gui.widgets.predict_panel import Arrangement
    assert not Arrangement(10, 1, _room(3, lines=6), "a²", lambda note: 30 if note else 0).overflows
    assert Arrangement(10, 1, _room(3, lines=6), "a²", lambda note: 31 if note else 0).overflows
    assert Arrangement(10, 1, _room(3, lines=10.5), "a²", lambda note: 40 if note else 0).blocks == 1


def _in_view(scroll, field) -> bool:
    top = field.mapTo(scroll.viewport(), QtCore.QPoint(0, 0))
    return scroll.viewport().rect().contains(QtCore.QRect(top, field.size()))


def _column(qtbot, session, width: int, height: int):
    """(scroll area, panel): the entry in a dock's scroll area of ``width`` × ``height`` px."""
    from PySide6 import QtWidgets
    scroll = QtWidgets.QScrollArea()               # as the dock holds it (main_window._set_dock_widget)
    scroll.setWidgetResizable(True)
    panel = PredictPanel(session)
    scroll.setWidget(panel)
    qtbot.addWidget(scroll)
    scroll.resize(width, height)
    scroll.show()
    return scroll, panel


def _settled():
    from PySide6 import QtWidgets
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _asked(qtbot, session, preset: str, zoom: float, column: tuple[int, int], step: int):
    """(scroll area, panel): predict mode on ``preset`` at the zoom ``zoom`` (its font scale), its
    entry in a ``column`` (width, height) px, at micro-step index ``step``, settled."""
    session.settings.animate = False
    session.load_preset(preset)
    session.settings.font_scale = zoom
    scroll, panel = _column(qtbot, session, *column)
    session.settings.predict = True
    session.seek(step)
    _settled()
    return scroll, panel


def test_a_tall_question_at_zoom_3_fits_its_column_in_blocks_side_by_side(qtbot, session):
    """Digits' z² (10×1) at zoom +3 in the companion's column at 1280×720 (445 × 433 px): its ten
    fields in two blocks of five side by side, every field in sight without scrolling (as asked,
    one under the other, the last four were below the column's bottom: 615 px in 433), each beside
    its 1-based index, Tab block by block; the title says how it is arranged."""
    scroll, panel = _asked(qtbot, session, "digits", 1.52, (445, 433), 2)
    q = panel.quiz.question()
    assert (q.quantity, q.layer, q.grid) == ("z", 2, (10, 1))
    assert (panel.arrangement.across, panel.arrangement.overflows) == (2, False)
    assert "side by side" in panel.title.text() and "more below" not in panel.title.text()
    order = [panel.fields[(r, 0)] for r in range(10)]
    for r, f in enumerate(order):
        assert _in_view(scroll, f), (r, f.geometry())
        assert _shown_grid_row(panel, f) == str(r + 1)
    for a, b in zip(order, order[1:]):
        assert a.nextInFocusChain() is b
    session.settings.font_scale = 1.0


def _shown_grid_row(panel, field) -> str:
    grid = panel.grid
    line, col, _, _ = grid.getItemPosition(grid.indexOf(field))
    return grid.itemAtPosition(line, col - 1).widget().text()


def test_a_question_taller_than_its_column_keeps_the_field_typed_in_in_sight(qtbot, session):
    """Iris's ∂C/∂W¹ (8×4) at zooms +2 and +3 in the 342 × 466-px column of 1024×768 cannot fit (two
    fields a line): the title says there is more below, Tab scrolls to each field, and the field
    typed in stays in sight when the fields are built again at the next zoom."""
    scroll, panel = _asked(qtbot, session, "iris", 1.3, (342, 466), 9)
    assert panel.arrangement.overflows and panel.title.text().endswith("more below (Tab)")
    panel.first_field().setFocus()
    for _ in range(len(panel.fields) - 1):
        qtbot.keyClick(QtWidgets.QApplication.focusWidget(), QtCore.Qt.Key.Key_Tab)
        _settled()
        assert _in_view(scroll, QtWidgets.QApplication.focusWidget())
    typing = panel._cell_of(QtWidgets.QApplication.focusWidget())
    session.settings.font_scale = 1.52
    _settled()
    field = panel.fields[typing]
    assert field.hasFocus() and _in_view(scroll, field), (typing, field.mapTo(scroll.viewport(), QtCore.QPoint(0, 0)))
    session.settings.font_scale = 1.0


def test_a_quantitys_symbol_is_never_broken_across_the_titles_lines(qtbot, session):
    """Iris's ∂C/∂W² typed transposed in a 356-px column (zoom 0): the title wraps between words,
    never inside "(∂C/∂W²)ᵀ" at its slash ("… typed as (∂C/" over "∂W²)ᵀ, 8×3")."""
    scroll, panel = _asked(qtbot, session, "iris", 1.0, (356, 700), 6)
    assert panel.arrangement.transposed
    title = panel.title
    lines = wrapped_lines(title.text(), title.font(), title.contentsRect().width())
    assert len(lines) > 1 and not any(line.endswith("/") for line in lines), lines
    assert "∂C/" in title.text() and "(∂C/\u2060∂W²)ᵀ" in title.text()


def test_the_entry_stacks_where_its_wide_arrangement_needs_more_than_the_column_at_the_zoom(qtbot, session):
    """Spirals' z¹ (16×1) at zoom +3 in the 654-px boundary column of 1920×1080's Training layout:
    the wide arrangement (buttons beside the title, tolerance beside the score) needed 803–843 px
    there and scrolled 189 px sideways; now the entry stacks (the threshold grows with the zoom) and
    fits the column, its fields side by side in blocks.  At zoom 0 the same column keeps the wide
    arrangement."""
    scroll, panel = _asked(qtbot, session, "spirals", 1.52, (668, 342), 0)      # (its view 654 px beside a scroll bar)
    assert panel.narrow and scroll.horizontalScrollBar().maximum() == 0, panel.minimumSizeHint()
    assert panel.arrangement.across > 1
    session.settings.font_scale = 1.0
    _settled()
    assert not panel.narrow and scroll.horizontalScrollBar().maximum() == 0
