"""The session adapter: signals, stepping, training in time slices, divergence, comparison."""
import numpy as np
import pytest
from PySide6 import QtCore

from engine import RunConfig
from gui.session_types import Selection


def test_stepping_emits_views_equal_to_the_engine(session, qtbot):
    views = []
    session.step_changed.connect(views.append)
    while session.next_step():
        pass
    assert len(views) == session.stepper.last and views[-1].updated
    assert session.net.W[1][0, 0] == pytest.approx(0.35891648, abs=1e-8)
    with qtbot.waitSignal(session.params_changed):
        session.prev_step()
    assert session.net.W[1][0, 0] == 0.40 and session.trainer.step_count == 0


def test_next_example_takes_the_update_and_moves_on(session):
    session.load_preset("xor")
    session.seek(3)
    session.next_example()
    assert session.trainer.step_count == 1 and session.run.example_index == 1 and session.stepper.index == 0


def test_bad_input_keeps_last_good_state(session, qtbot):
    before = session.run
    with qtbot.waitSignal(session.error) as blocker:
        assert not session.change(sizes=[2, 0, 2])
    assert "at least 1" in blocker.args[0] and session.run is before
    with qtbot.waitSignal(session.error):
        assert not session.set_weight(0, 0, 0, float("nan"))
    with qtbot.waitSignal(session.error):
        assert not session.set_weight(5, 0, 0, 1.0)
    with qtbot.waitSignal(session.error):
        assert not session.load_preset("nope")


def test_set_weight_recomputes_at_the_same_micro_step(session):
    session.seek(7)
    assert session.set_weight(1, 0, 0, 0.5)
    assert session.net.W[1][0, 0] == 0.5 and session.stepper.index == 7
    expected = session.net.loss_and_grads(*session.run.example())
    np.testing.assert_array_equal(session.view.dW[1], expected.dW[1])


def test_change_eta_keeps_initial_weights(session):
    W0 = session.run.initial_params[0][0].copy()
    assert session.change(eta=0.1)
    assert session.config.eta == 0.1 and np.array_equal(session.net.W[0], W0) and session.preset_name == "mazur"


def test_play_trains_in_time_slices_and_gui_timer_keeps_firing(session, qtbot):
    session.load_preset("spirals")
    ticks = []      # (playing, step count) each time an unrelated GUI timer fires
    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append((session.playing, session.trainer.step_count)))
    timer.start()
    session.play()
    assert session.playing
    qtbot.waitUntil(lambda: session.trainer.step_count >= 300 and len(ticks) >= 10, timeout=30000)
    session.stop()
    timer.stop()
    losses = session.history.step_losses
    assert not session.playing and len(losses) >= 300
    assert np.mean(losses[-50:]) < np.mean(losses[:50])
    during = [n for playing, n in ticks if playing]
    assert len(during) >= 5 and len(set(during)) >= 5   # the timer kept firing between training slices


def test_paced_play_trains_at_the_pace_and_follows_changes(session, qtbot):
    """Play follows the view setting pace (steps per second): never ahead of the clock, no burst
    to catch up, and a change while playing applies at once."""
    import time
    session.load_preset("xor")
    session.settings.pace = 20.0
    t0 = time.perf_counter()
    session.play()
    qtbot.wait(1000)
    steps, elapsed = session.trainer.step_count, time.perf_counter() - t0
    assert 3 <= steps <= 20.0 * elapsed + 1              # 20 a second at most (a loaded machine may lag)
    session.settings.pace = 2.0
    before, t1 = session.trainer.step_count, time.perf_counter()
    qtbot.wait(1000)
    assert session.trainer.step_count - before <= 2.0 * (time.perf_counter() - t1) + 1
    session.settings.pace = 0.0                          # as fast as possible
    before = session.trainer.step_count
    qtbot.waitUntil(lambda: session.trainer.step_count - before > 200, timeout=10000)
    session.stop()


def test_stopping_shows_the_trained_forward_pass(session, qtbot):
    """After Pause the graph has the trained network's forward pass on the current example: every
    a and z computed with the trained weights (the loss micro-step), not the input alone."""
    session.load_preset("xor")
    session.play()
    qtbot.waitUntil(lambda: session.trainer.step_count >= 50, timeout=10000)
    session.stop()
    view = session.view
    assert view.step.phase == "loss" and session.stepper.index == view.step.index
    x = session.run.train.X[session.run.example_index]
    trace = session.net.forward(x)
    for k in range(session.net.L + 1):
        np.testing.assert_allclose(np.asarray(view.a[k]).ravel(), np.asarray(trace.a[k]).ravel())
    assert all(d is None for d in view.delta)               # nothing of the backward pass yet
    session.play()                                          # and Play resumes from there
    assert session.playing
    session.stop()


def test_divergence_pauses_and_keeps_last_finite_state(session, qtbot):
    session.apply_config(RunConfig.from_dict({
        "sizes": [1, 8, 1], "activation": "relu", "output_activation": "linear", "loss": "sse", "eta": 1000.0,
        "dataset": {"name": "sine", "n": 50}, "batch_size": 8}))
    with qtbot.waitSignal(session.diverged, timeout=10000) as blocker:
        session.play()
    assert "step" in blocker.args[0] and "smaller" in blocker.args[0]
    assert not session.playing and all(np.isfinite(W).all() for W in session.net.W)
    assert session.rewind(max(session.trainer.step_count - 1, 0))   # and it can be stepped back through


def test_rewind_replays_identically(session):
    session.load_preset("iris")
    session.train_steps(40)
    W_at_20 = None
    session.rewind(20)
    W_at_20 = [W.copy() for W in session.net.W]
    session.train_steps(20)
    after = [W.copy() for W in session.net.W]
    session.rewind(20)
    assert all(np.array_equal(a, b) for a, b in zip(W_at_20, session.net.W))
    session.train_steps(20)
    assert all(np.array_equal(a, b) for a, b in zip(after, session.net.W))


def test_comparison_trains_in_step_from_same_weights(session):
    session.load_preset("xor")
    assert session.start_comparison(eta=0.05)
    assert session.compare_label == "eta = 0.05"
    assert all(np.array_equal(a, b) for a, b in zip(session.compare.initial_params[0], session.run.initial_params[0]))
    session.train_steps(25)
    assert session.compare.trainer.step_count == session.trainer.step_count == 25
    assert not np.array_equal(session.compare.net.W[0], session.net.W[0])
    session.stop_comparison()
    assert session.compare is None


def test_selection_and_view_settings_signals(session, qtbot):
    with qtbot.waitSignal(session.selection_changed):
        session.select(Selection.edge(1, 0, 1))
    assert session.selection.weight_layer == 1
    with qtbot.waitSignal(session.settings.convention_changed) as blocker:
        session.settings.convention = "row"
    assert blocker.args == ["row"]


def test_decision_grid_matches_predict(session):
    session.load_preset("xor")
    xs, ys, out = session.decision_grid(resolution=7)
    np.testing.assert_allclose(out[2, 3], session.net.predict([xs[3], ys[2]]))


def test_displays_survive_huge_but_finite_weights(session, qtbot):
    """After a divergence the kept weights can be finite but huge: every display computation
    shows ∞ instead of raising engine.network.Overflow."""
    session.load_preset("xor")
    session.set_weight(0, 0, 0, 1e300)
    session.set_weight(1, 0, 0, 1e300)
    xs, ys, out = session.decision_grid(resolution=5)
    assert out.shape == (5, 5, 1)
    while session.next_step():
        pass


def test_changing_eta_keeps_the_trained_network_and_rewinds_exactly(session):
    session.load_preset("xor")
    session.train_steps(30)
    W = [w.copy() for w in session.net.W]
    assert session.change(eta=0.05)
    assert session.trainer.step_count == 30 and all(np.array_equal(a, b) for a, b in zip(W, session.net.W))
    assert session.config.eta == 0.05 and session.trainer.optimizer.eta == 0.05 and session.stepper.eta == 0.05
    session.train_steps(10)
    after = [w.copy() for w in session.net.W]
    session.rewind(30)
    session.train_steps(10)
    assert all(np.array_equal(a, b) for a, b in zip(after, session.net.W))
    assert not session.change(eta=-1) and session.config.eta == 0.05


def test_training_steps_at_once_end_on_the_trained_forward_pass(session):
    """train_steps (the command line's --steps, lessons) ends as Pause does: the loss micro-step of
    the trained network on the current example, not micro-step 1 with nothing computed."""
    session.load_preset("xor")
    session.train_steps(50)
    view, run = session.view, session.run
    assert view.step.phase == "loss" and session.stepper.index == view.step.index
    trace = session.net.forward(run.train.X[run.example_index])
    np.testing.assert_allclose(np.asarray(view.a[-1]).ravel(), np.asarray(trace.a[-1]).ravel())
    assert all(d is None for d in view.delta)


def test_describing_the_current_runs_data_builds_nothing(session, monkeypatch):
    import gui.session as gs
    assert session.load_preset("spirals")
    spec, seed = dict(session.config.dataset), session.config.seed
    expected = (2, session.run.train.Y.shape[1], session.run.train.natural_output)
    built = []
    real = gs.build_data
    monkeypatch.setattr(gs, "build_data", lambda *a: built.append(a) or real(*a))
    assert session.describe_data(spec, seed) == expected and built == []
    assert session.describe_data({**spec, "n": spec.get("n", 200) + 1}, seed)[:2] == expected[:2]
    assert session.describe_data(spec, seed + 1)[:2] == expected[:2] and len(built) == 2


def test_describing_a_big_generated_data_set_builds_a_small_sample(session, monkeypatch):
    import gui.session as gs
    from engine.dataset_type import MAX_VALUES
    built = []
    real = gs.build_data
    monkeypatch.setattr(gs, "build_data", lambda spec, seed: built.append(spec.get("n")) or real(spec, seed))
    assert session.describe_data({"name": "spirals", "n": 1_000_000}, 0) == (2, 2, ("softmax", "cross_entropy"))
    assert session.describe_data({"name": "blobs", "n": 900_000, "centers": 5}, 0)[:2] == (2, 5)
    assert built == [gs.DESCRIBE_POINTS] * 2
    with pytest.raises(ValueError, match="n must be an integer from 1 to 1,000,000"):
        session.describe_data({"name": "spirals", "n": 1_000_001}, 0)
    with pytest.raises(ValueError, match=f"at most {MAX_VALUES:,} are kept"):     # 1,000,000 × (2 + 10)
        session.describe_data({"name": "blobs", "n": 1_000_000, "centers": 10}, 0)
    with pytest.raises(ValueError, match="centers must be"):
        session.describe_data({"name": "blobs", "n": 5_000, "centers": 11}, 0)
