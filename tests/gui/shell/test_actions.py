"""The stepping actions (toolbar and keys), both directions: action → session and back."""
import pytest
from PySide6 import QtCore, QtWidgets

from gui.shell.actions import Actions
from helpers import diverge

Key = QtCore.Qt.Key


@pytest.fixture
def host(qtbot, session):
    """A window with the actions in a toolbar and a line edit and a spin box to type into."""
    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    actions = Actions(session, window)
    toolbar = window.addToolBar("step")
    toolbar.addActions(actions.all())
    central = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(central)
    window.line, window.spin = QtWidgets.QLineEdit(), QtWidgets.QSpinBox()
    window.spin.setRange(0, 100)
    window.spin.setValue(50)
    window.plain = QtWidgets.QPushButton("focus me")
    for w in (window.line, window.spin, window.plain):
        layout.addWidget(w)
    window.setCentralWidget(central)
    window.actions = actions
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.plain.setFocus()
    return window


def test_actions_trigger_session_methods(qtbot, session, host):
    a = host.actions
    assert [x.text() for x in a.all()][:3] == ["First micro-step", "Previous micro-step", "Next micro-step"]
    a.next.trigger()
    a.next.trigger()
    assert session.stepper.index == 2
    a.prev.trigger()
    assert session.stepper.index == 1
    a.finish.trigger()
    assert session.stepper.index == session.stepper.last and session.stepper.updated
    a.first.trigger()
    assert session.stepper.index == 0
    a.finish.trigger()
    a.reset.trigger()
    assert session.stepper.index == 0 and session.trainer.step_count == 0
    a.next_example.trigger()
    assert session.trainer.step_count == 1


def test_enabled_states_follow_the_stepper(qtbot, session, host):
    a = host.actions
    assert not a.prev.isEnabled() and not a.first.isEnabled() and a.next.isEnabled()
    session.next_step()
    assert a.prev.isEnabled() and a.first.isEnabled()
    session.finish_example()
    assert not a.next.isEnabled() and not a.finish.isEnabled() and a.prev.isEnabled()
    assert a.next_example.isEnabled() and a.reset.isEnabled()


def test_play_is_checkable_and_follows_training(qtbot, session, host):
    a = host.actions
    assert a.play.isCheckable() and a.play.text() == "Play" and not a.play.isChecked()
    a.play.trigger()
    assert session.playing and a.play.isChecked() and a.play.text() == "Pause"
    assert a.next.isEnabled()
    a.next.trigger()                      # stepping stops the training first
    assert not session.playing and a.play.text() == "Play" and not a.play.isChecked()
    assert session.stepper.index == 1


def test_play_disabled_after_divergence_until_reset(qtbot, session, host):
    diverge(session)
    assert not host.actions.play.isEnabled()
    session.reset()
    assert host.actions.play.isEnabled()


def test_keyboard_shortcuts_step_the_window(qtbot, session, host):
    qtbot.keyClick(host.plain, Key.Key_Right)
    qtbot.keyClick(host.plain, Key.Key_PageDown)
    assert session.stepper.index == 2
    qtbot.keyClick(host.plain, Key.Key_Left)
    assert session.stepper.index == 1
    qtbot.keyClick(host.plain, Key.Key_Return)
    assert session.stepper.index == session.stepper.last
    qtbot.keyClick(host.plain, Key.Key_Home)
    assert session.stepper.index == 0
    qtbot.keyClick(host.plain, Key.Key_N)
    assert session.trainer.step_count == 1


@pytest.mark.parametrize("key", [Key.Key_Right, Key.Key_Left, Key.Key_N, Key.Key_Return, Key.Key_Enter,
                                 Key.Key_PageDown, Key.Key_PageUp,
                                 Key.Key_Home, Key.Key_R, Key.Key_Space])
def test_text_fields_keep_their_keys(qtbot, session, host, key):
    session.next_step()
    for field in (host.line, host.spin):
        field.setFocus()
        assert QtWidgets.QApplication.focusWidget() is field
        qtbot.keyClick(field, key)
        assert session.stepper.index == 1 and session.trainer.step_count == 0 and not session.playing


def test_typing_n_into_a_line_edit_types_n(qtbot, session, host):
    host.line.setFocus()
    qtbot.keyClicks(host.line, "Nn")
    qtbot.keyClick(host.line, Key.Key_Left)
    qtbot.keyClicks(host.line, "R")
    assert host.line.text() == "NRn" and session.stepper.index == 0 and session.trainer.step_count == 0
    host.spin.setFocus()
    qtbot.keyClick(host.spin, Key.Key_PageUp)        # the spin box's own page step
    assert host.spin.value() == 60 and session.stepper.index == 0
