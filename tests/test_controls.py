"""Actions, the phase banner and the controls bar, both directions: widget → session and back."""
import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gui.shell.actions import Actions
from gui.view_settings import PACE_FULL, PACE_STEPS
from gui.widgets.controls import ControlsBar, speed_to_tick, tick_to_speed
from gui.widgets.pace_control import PaceControl, pace_to_tick, tick_to_pace
from gui.widgets.phase_banner import PhaseBanner

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


def diverge(session):
    session.apply_config(dict(sizes=[1, 8, 1], activation="linear", output_activation="linear", loss="mse",
                              eta=1000.0, batch_size=16, dataset={"name": "sin"}))
    with np.errstate(all="ignore"):
        session.train_steps(50)
    assert session.divergence is not None


# -- actions ---------------------------------------------------------------------------------------
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


# -- the phase banner -------------------------------------------------------------------------------
def test_banner_names_the_micro_step(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    assert banner.text() == session.view.step.banner == "Input: a⁰ = x"
    session.settings.convention = "row"
    for _ in range(9):
        session.next_step()
        assert banner.text() == session.view.step.banner
    assert "δ¹ = δ² · W² · diag σ′(z¹)" in banner.text()
    assert banner._counter.text() == f"micro-step 10 / {session.stepper.last + 1} · row vectors"
    assert banner._loss.text() == "loss C = 0.2984"              # 4 significant figures by default
    session.settings.sig_figs = 6
    assert banner._loss.text() == "loss C = 0.298371"            # Mazur's published value
    session.first_step()
    assert banner._loss.text() == ""


def test_banner_turns_red_on_divergence_until_reset(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    diverge(session)
    assert session.divergence in banner.text() and "smaller" in banner.text()
    assert banner.property("diverged") is True
    session.reset()
    assert banner.text() == session.view.step.banner and banner.property("diverged") is False


def test_banner_shows_errors_briefly(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    assert banner.error_text() == ""
    session.set_sample(99)
    assert "sample must be in" in banner.error_text()
    banner._error_timer.timeout.emit()
    assert banner.error_text() == ""


def test_banner_font_follows_font_scale(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    banner.show()
    assert banner._title.font().pointSizeF() >= 18
    session.settings.font_scale = 2.0
    assert banner._title.font().pointSizeF() >= 40


# -- the controls bar -------------------------------------------------------------------------------
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
    assert bar.sample.maximum() == len(session.run.train) - 1


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


def test_pace_slider_drives_the_session_and_follows_it(qtbot, session):
    """Widget → session: the slider sets the view setting pace; session → widget: a pace set
    elsewhere (a loaded session, the prefs) moves the slider and its label."""
    bar = PaceControl(session)
    qtbot.addWidget(bar)
    assert session.settings.pace == PACE_FULL and bar.pace.value() == bar.pace.maximum()
    assert bar.pace_label.text() == "pace: max"
    assert [tick_to_pace(pace_to_tick(p)) for p in PACE_STEPS] == list(PACE_STEPS)
    bar.pace.setValue(pace_to_tick(10.0))
    assert session.settings.pace == 10.0 and bar.pace_label.text() == "pace: 10/s"
    bar.pace.setValue(bar.pace.minimum())
    assert session.settings.pace == 1.0 and bar.pace_label.text() == "pace: 1/s"
    session.settings.pace = 50.0
    assert bar.pace.value() == pace_to_tick(50.0) and bar.pace_label.text() == "pace: 50/s"
    session.settings.pace = 30.0                       # between the slider's stops: the nearest
    assert tick_to_pace(bar.pace.value()) in (20.0, 50.0) and bar.pace_label.text() == "pace: 30/s"
    session.settings.pace = PACE_FULL
    assert bar.pace.value() == bar.pace.maximum() and bar.pace_label.text() == "pace: max"


def test_dataset_combo_builds_a_run_for_the_data(bar, session):
    assert bar.dataset.currentIndex() == -1            # Mazur's custom example
    bar.dataset.setCurrentText("moons")
    bar.dataset.activated.emit(bar.dataset.currentIndex())
    c = session.config
    assert session.run.train.name == "moons" and c.sizes == [2, 2, 2]
    assert (c.output_activation, c.loss) == ("softmax", "cross_entropy")
    bar.dataset.setCurrentText("sin")
    bar.dataset.activated.emit(bar.dataset.currentIndex())
    assert session.config.sizes == [1, 2, 1] and session.config.loss == "mse"
    assert session.config.output_activation == "linear"
    assert bar.dataset.currentText() == "sin"


def test_dataset_combo_reverts_on_error(bar, session, monkeypatch):
    monkeypatch.setattr(session, "apply_config", lambda config: False)
    bar.dataset.setCurrentText("spirals")
    bar.dataset.activated.emit(bar.dataset.currentIndex())
    assert bar.dataset.currentIndex() == -1


def test_sample_spin_selects_the_example(bar, session):
    session.load_preset("xor")
    bar.sample.setValue(2)
    assert session.run.sample == 2
    session.next_example()
    assert bar.sample.value() == 3


def test_status_from_training_progress(bar, session):
    session.train_steps(3)
    assert bar.status.text().startswith("step 3 · epoch 3 · loss ")
    assert "steps/s" in bar.status.text()


def test_banner_while_training(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    session.load_preset("xor")
    session.play()
    assert banner.text().startswith("Training")
    qtbot.waitUntil(lambda: banner._counter.text().startswith("update "), timeout=5000)
    session.stop()              # the trained network's forward pass on the current example: the loss micro-step
    k = session.stepper.index
    assert session.view.step.phase == "loss"
    assert banner.text() == session.view.step.banner and banner._counter.text().startswith(f"micro-step {k + 1} /")


def test_bar_tooltips_and_font_scale(bar, session):
    from engine.datasets import DESCRIPTIONS
    i = bar.dataset.findText("spirals")
    assert bar.dataset.itemData(i, QtCore.Qt.ItemDataRole.ToolTipRole) == DESCRIPTIONS["spirals"]
    size = bar.font().pointSizeF()
    session.settings.font_scale = 2.0
    assert bar.font().pointSizeF() == pytest.approx(2 * size) and bar.eta.font().pointSizeF() == pytest.approx(2 * size)


def test_banner_follows_the_layout_convention(session, qtbot):
    from gui.widgets.phase_banner import PhaseBanner
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    session.seek(9)
    assert banner.text() == "Backward, layer 1: δ¹ = (W²)ᵀ δ² ⊙ σ′(z¹)"
    session.settings.convention = "row"
    assert banner.text() == "Backward, layer 1: δ¹ = δ² · W² · diag σ′(z¹)"
