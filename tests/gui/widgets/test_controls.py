"""The controls bar, both directions: widget → session and back."""
import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gui.numbers import format_number
from gui.widgets.controls import ControlsBar, speed_to_tick, tick_to_speed


@pytest.fixture
def bar(qtbot, session):
    w = ControlsBar(session)
    qtbot.addWidget(w)
    return w


def test_fields_follow_the_session(bar, session):
    assert bar.eta.value() == pytest.approx(0.5) and bar.epochs.value() == 1000
    session.change(eta=0.125, epochs=70)
    assert bar.eta.value() == pytest.approx(0.125) and bar.epochs.value() == 70
    session.load_preset("iris")
    assert bar.dataset.currentText() == "iris" and bar.batch.value() == 8
    assert (bar.example.minimum(), bar.example.maximum()) == (1, len(session.run.train))     # counted from 1
    assert bar.example.text() == f"{session.run.example_index + 1} of {len(session.run.train)}"


def test_editing_fields_changes_the_session(bar, session):
    W0 = session.net.W[0].copy()
    bar.eta.setValue(0.1)
    assert session.config.eta == pytest.approx(0.1)
    np.testing.assert_array_equal(session.net.W[0], W0)     # η alone keeps Mazur's weights
    bar.batch.setValue(4)
    bar.epochs.setValue(12)
    assert session.config.batch_size == 4 and session.config.epochs == 12


def test_speed_and_animate(bar, session):
    assert tick_to_speed(speed_to_tick(0.25)) == 0.25 and tick_to_speed(bar.speed.maximum()) == 4.0
    bar.speed.setValue(speed_to_tick(2.0))
    assert session.settings.speed == 2.0 and bar.speed_label.text() == "2×"
    bar.animate.setChecked(False)
    assert session.settings.animate is False
    session.settings.speed = 0.5
    assert bar.speed.value() == speed_to_tick(0.5)


def test_dataset_combo_builds_a_run_for_the_data(bar, session):
    assert bar.dataset.currentIndex() == -1            # Mazur's custom example
    bar.dataset.setCurrentText("moons")
    bar.dataset.activated.emit(bar.dataset.currentIndex())
    c = session.config
    assert session.run.train.name == "moons" and c.sizes == [2, 2, 2]
    assert (c.output_activation, c.loss) == ("softmax", "cross_entropy")
    bar.dataset.setCurrentText("sine")
    bar.dataset.activated.emit(bar.dataset.currentIndex())
    assert session.config.sizes == [1, 2, 1] and session.config.loss == "mse"
    assert session.config.output_activation == "linear"
    assert bar.dataset.currentText() == "sine"


def test_dataset_combo_reverts_on_error(bar, session, monkeypatch):
    monkeypatch.setattr(session, "apply_config", lambda config: False)
    bar.dataset.setCurrentText("spirals")
    bar.dataset.activated.emit(bar.dataset.currentIndex())
    assert bar.dataset.currentIndex() == -1


def test_example_spin_selects_the_example(bar, session):
    session.load_preset("xor")
    bar.example.setValue(2)                    # the second example: index 1
    assert session.run.example_index == 1
    session.next_example()
    assert bar.example.value() == 3 and session.run.example_index == 2


def test_status_from_training_progress(bar, session):
    """The loss is the last update's batch's, and says so (the banner beside it shows "loss C" of the
    example on screen: xor's trained window read "loss 0.002762" under "loss C = 0.003123")."""
    session.train_steps(3)
    assert bar.status_line().startswith("step 3 · epoch 3 · batch loss ")
    assert bar.status_line().split(" · ")[2] == f"batch loss {format_number(session.history.step_losses[-1])}"
    assert "steps/s" in bar.status_line()


def test_status_line_drops_parts_that_do_not_fit(bar, session, qtbot):
    """On a narrow bar the rate goes first, then the epoch, then the step; the loss stays; the
    whole line is the tooltip."""
    from PySide6 import QtGui
    bar.show()
    qtbot.waitExposed(bar)
    session.train_steps(3)
    metrics = QtGui.QFontMetricsF(bar.status.font())
    shown = []
    for width in (2000, 420, 330, 250, 60):
        bar.status.setFixedWidth(width)
        QtWidgets.QApplication.processEvents()
        text = bar.status.text()
        shown.append(text.split(" · "))
        assert metrics.horizontalAdvance(text) <= bar.status.contentsRect().width() or text.startswith("batch loss ")
    assert shown[0] == bar.status_line().split(" · ") and len(shown[0]) == 4
    assert [len(parts) for parts in shown] == sorted((len(parts) for parts in shown), reverse=True)
    assert shown[-1][0].startswith("batch loss ") and len(shown[-1]) == 1
    assert all(parts == [p for p in shown[0] if p in parts] for parts in shown)     # the parts keep their order


def test_bar_tooltips_and_font_scale(bar, session):
    from engine.datasets import DESCRIPTIONS
    i = bar.dataset.findText("spirals")
    assert bar.dataset.itemData(i, QtCore.Qt.ItemDataRole.ToolTipRole) == DESCRIPTIONS["spirals"]
    size = bar.font().pointSizeF()
    session.settings.font_scale = 2.0
    assert bar.font().pointSizeF() == pytest.approx(2 * size) and bar.eta.font().pointSizeF() == pytest.approx(2 * size)


def test_bar_wraps_onto_two_rows_instead_of_scrolling(qtbot, session):
    """In its row scroller (the settings toolbar's) the bar is one row while the window holds all
    of it, two rows (the training settings; then the data, the example and the status) when it
    does not, at any zoom, and scrolls only when even two rows are too wide: no field is cut."""
    from gui.widgets.row_scroller import RowScroller
    bar = ControlsBar(session)
    scroller = RowScroller(bar)
    qtbot.addWidget(scroller)
    scroller.show()
    qtbot.waitExposed(scroller)
    for scale in (1.0, 1.52):
        session.settings.font_scale = scale
        for width, rows in ((bar.one_row_width() + 20, 1), (bar.one_row_width() - 40, 2), (bar.two_row_width() + 4, 2)):
            scroller.resize(width, 200)
            qtbot.wait(20)
            QtWidgets.QApplication.processEvents()
            assert bar.rows == rows, (scale, width)
            assert scroller.horizontalScrollBar().maximum() == 0, (scale, width)
            tops = {g.geometry().top() for g in bar.groups}
            assert len(tops) == rows, (scale, width, tops)
            for group in bar.groups:                      # whole, within what the scroller shows
                rect = QtCore.QRect(group.mapTo(scroller.viewport(), QtCore.QPoint(0, 0)), group.size())
                assert scroller.viewport().rect().contains(rect), (scale, width, rect.getRect())
        assert scroller.height() >= bar.heightForWidth(scroller.viewport().width())
    scroller.resize(bar.two_row_width() - 60, 200)         # narrower than two rows: it scrolls, never cuts
    qtbot.wait(20)
    assert scroller.horizontalScrollBar().maximum() > 0
    session.settings.font_scale = 1.0
