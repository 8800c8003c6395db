"""File → Check worksheet in the window: the list of wrong entries, the jump to each one's
micro-step, the marks on the ∂C/∂W heatmap, and a malformed file refused with its line."""
import pytest
from PySide6 import QtGui

from engine.worksheet import Entry
from gui.shell.main_window import MainWindow
from gui.theme import panel_point_size


def test_check_worksheet_lists_marks_and_jumps(qtbot, session, tmp_path):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    path = tmp_path / "sheet.csv"
    path.write_text("quantity,layer,j,k,value\nloss,,,,0.5967\ndC_dW,2,1,1,0.4398\ndC_dW,2,1,2,0.08267\n")
    assert w.file_actions.check_worksheet(path)
    assert w.docks["worksheet"].isVisible()
    panel = w.worksheet_panel
    assert panel.header.text().startswith("sheet.csv: 1 right, 2 wrong")
    assert panel.list.count() == 2                            # as Predict's verdict: the sentence, not the code
    assert "was left out" in panel.list.item(0).text() and "missing-half" not in panel.list.item(0).text()
    # the panels' size, at the zoom too (it was the window's 9-pt menu size)
    for scale in (1.0, 1.15 ** 3):
        session.settings.font_scale = scale
        for widget in (panel.header, panel.list):
            assert QtGui.QFontInfo(widget.font()).pointSizeF() == pytest.approx(panel_point_size(scale), abs=0.3)
    session.settings.font_scale = 1.0
    panel.list.itemClicked.emit(panel.list.item(1))           # ∂C/∂W²₁₁: its micro-step, its edge
    assert session.stepper.steps[session.stepper.index].quantity == "dW"
    assert (session.selection.kind, session.selection.l, session.selection.j, session.selection.i) == ("edge", 1, 0, 0)
    w.docks["matrices"].raise_()                              # the Matrices tab, under the list's
    qtbot.waitUntil(lambda: w.heatmaps.isVisible())
    assert w.heatmaps.heatmaps["dW"].marked == [(0, 0, "missing-sigma-prime")]
    session.settings.convention = "row"
    assert w.heatmaps.heatmaps["dW"].marked == [(0, 0, "missing-sigma-prime")]
    w.close()


def test_malformed_worksheet_is_refused_with_its_line(qtbot, session, tmp_path):
    w = MainWindow(session)
    qtbot.addWidget(w)
    path = tmp_path / "bad.csv"
    path.write_text("quantity,layer,j,k,value\ndelta,2,1,,zero\n")
    errors = []
    session.error.connect(errors.append)
    assert not w.file_actions.check_worksheet(path)
    assert "line 2, column 5" in errors[-1]
    w.file_actions.last_message.close()
    w.close()


def test_predict_toggle_shows_the_entry_dock(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    assert not w.docks["predict"].isVisible()
    w.actions_.predict.trigger()
    assert session.settings.predict and w.docks["predict"].isVisible() and w.actions_.predict.isChecked()
    assert w.actions_.predict.shortcuts()[0].toString() == "P"
    assert QtGui.QKeySequence("P")[0].toCombined() in w.actions_.guard.sequences   # typing p in a field stays typing
    w.actions_.predict.trigger()
    assert not session.settings.predict and not w.docks["predict"].isVisible()
    w.close()
