"""Long work with progress and Cancel (gui/work.py through the session, and its dialog): building a
big run in a thread, training many updates and catching a comparison run up in slices.  Nothing
here reads a clock: the event loop is shown to run during the work by handshakes (a timer tick the
work waits for, a posted event processed between two slices), and the units of work per slice are
fixed (``work.max_units``)."""
import gc
import threading

import numpy as np
import pytest
from PySide6 import QtCore

import gui.session as gs
from engine import RunConfig
from gui.widgets.work_dialog import WorkDialog


def big_config(**changes) -> RunConfig:
    """Spirals with enough points to be built in the background (build_cost over BACKGROUND_COST)."""
    config = RunConfig(sizes=[2, 8, 2], output_activation="softmax", loss="cross_entropy",
                       dataset={"name": "spirals", "n": 60_000}, **changes)
    assert gs.build_cost(config) > gs.BACKGROUND_COST
    return config


def params(session):
    return [w.copy() for w in session.net.W] + [v.copy() for v in session.net.b]


def same(a, b) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


class Recorder:
    def __init__(self, work):
        self.events = []
        work.started.connect(lambda st: self.events.append(("started", st.title)))
        work.progressed.connect(lambda st: self.events.append(("progress", st.done, st.total, st.text)))
        work.finished.connect(lambda: self.events.append(("finished",)))


# -- building a run in a thread ------------------------------------------------------------------------
def test_a_big_run_is_built_off_the_gui_thread_while_the_event_loop_runs(session, monkeypatch):
    gui_thread, built_in, answered = threading.get_ident(), [], []
    tick = threading.Event()
    probe = QtCore.QTimer()
    probe.timeout.connect(tick.set)
    probe.start(0)
    real_run = gs.Run

    def run_in_worker(config, progress=None):
        built_in.append(threading.get_ident())
        tick.clear()
        answered.append(tick.wait(20))       # the GUI thread's timer ticks while this thread works
        return real_run(config, progress=progress)

    monkeypatch.setattr(gs, "Run", run_in_worker)
    rec = Recorder(session.work)
    assert session.apply_config(big_config())
    probe.stop()
    assert built_in and built_in[0] != gui_thread and answered == [True]
    assert session.config.dataset["n"] == 60_000 and len(session.run.train) == 48_000
    X = session.run.train.X                  # its extent was scanned in the thread, kept for the decision grid
    assert id(X) in session._ranges and session._ranges[id(X)][0] is X
    xs, ys, _ = session.decision_grid(resolution=5)
    assert xs[0] == X[:, 0].min() - 0.5 and ys[-1] == X[:, 1].max() + 0.5
    assert rec.events[0] == ("started", "Building a 2-8-2 network") and rec.events[-1] == ("finished",)
    assert not session.work.busy and gc.isenabled()


def test_a_small_run_is_built_at_once(session):
    rec = Recorder(session.work)
    assert session.load_preset("xor") and rec.events == []


@pytest.mark.parametrize("cancel_at", ["making, first chunk", "making, halfway", "splitting"])
def test_cancel_while_building_stops_within_one_chunk_and_keeps_the_current_run(session, monkeypatch, cancel_at):
    """Cancel pressed (on the GUI thread, by the work's own cancel()) while the worker is inside a
    stage: the worker waits at one of its reports until the GUI thread has cancelled, then goes on;
    its very next report stops it, within one chunk of rows of the data set."""
    from engine.generators import CHUNK_ROWS
    n = 200_000                                  # several chunks in each pass of making the data
    config = big_config().replace(dataset={"name": "spirals", "n": n})
    values, _ = gs.build_work(config)
    before, W = session.run, params(session)
    reports, at_cancel = [], []
    ask, cancelled = threading.Event(), threading.Event()
    poll = QtCore.QTimer()                       # the GUI thread: presses Cancel when the worker asks
    poll.timeout.connect(lambda: (session.work.cancel(), cancelled.set()) if ask.is_set() and not cancelled.is_set() else None)
    poll.start(0)
    real_run = gs.Run

    def wanted(text, done):
        making = text.startswith("Making")
        return {"making, first chunk": making and 0 < done,
                "making, halfway": making and values // 2 < done < values,   # inside the noise pass
                "splitting": text.startswith("Splitting") and done > 2 * values}[cancel_at]

    def run_cancelled_inside(config, progress=None):
        def report(text, done, total):
            reports.append((text, done))
            progress(text, done, total)          # raises WorkCancelled once Cancel was pressed
            if not at_cancel and wanted(text, done):
                at_cancel.append(len(reports))
                ask.set()
                assert cancelled.wait(20)        # the GUI thread's event loop pressed Cancel meanwhile
        return real_run(config, progress=report)

    monkeypatch.setattr(gs, "Run", run_cancelled_inside)
    messages = []
    session.message.connect(messages.append)
    assert not session.apply_config(config)
    poll.stop()
    assert session.run is before and same(params(session), W)
    assert len(at_cancel) == 1 and len(reports) == at_cancel[0] + 1     # stopped at the next report
    (text, done), (next_text, next_done) = reports[-2:]
    assert next_text.split()[0] == text.split()[0] and not text.startswith("Initialising")
    # making: 2 × values units over 4 passes of n rows; splitting: values units over 3 passes of n
    # rows, the longest step a class's permutation (n / 2 rows)
    chunk = 2 * values * CHUNK_ROWS // (4 * n) + 1 if text.startswith("Making") else values // 6 + 1
    assert 0 < next_done - done <= chunk
    assert messages[-1] == "Building the new run was cancelled; the current run is kept"
    assert not session.work.busy and gc.isenabled()


def test_building_reports_the_fraction_done(session, monkeypatch):
    reports, real_run = [], gs.Run
    monkeypatch.setattr(gs, "Run", lambda config, progress=None: real_run(
        config, progress=lambda text, done, total: (reports.append((text.split()[0], done, total)),
                                                    progress(text, done, total))))
    config = big_config()
    assert session.apply_config(config)
    values, params = gs.build_work(config)
    assert values == 60_000 * 4 and gs.build_cost(config) == values + params
    total = 3 * values + params + 1            # making the data weighs twice splitting it
    assert {t for _, _, t in reports} == {total}
    assert reports[0] == ("Making", 0, total) and reports[-2:] == [("Initialising", 3 * values, total),
                                                                 ("Preparing", 3 * values + params, total)]
    making = [d for s, d, _ in reports if s == "Making"]
    splitting = [d for s, d, _ in reports if s == "Splitting"]
    assert [s for s, _, _ in reports] == ["Making"] * len(making) + ["Splitting"] * len(splitting) + \
        ["Initialising", "Preparing"]
    # 30,000 points a class, one chunk each: the points class by class, the noise, the permutation,
    # the rows shuffled (four passes over the rows)
    assert making == [0, values // 4, values // 2, values, 3 * values // 2, 2 * values]
    # rows through three passes (3 × 60,000): the split begins; each class's permutation (30,000
    # rows), the training and the test set's (48,000, 12,000), their rows gathered (one chunk each)
    assert splitting == [2 * values + values * k // 180_000 for k in (0, 30_000, 60_000, 108_000, 120_000,
                                                                        168_000, 180_000)]


def test_a_bad_or_too_big_run_built_in_the_background_says_why(session, monkeypatch):
    before = session.run
    errors = []
    session.error.connect(errors.append)
    bad = big_config()
    bad.sizes = [3, 8, 2]                      # spirals have 2 inputs
    assert not session.apply_config(bad)
    assert "has 2 inputs and 2 outputs" in errors[-1] and session.run is before

    def out_of_memory(config, progress=None):
        raise MemoryError
    monkeypatch.setattr(gs, "Run", out_of_memory)
    assert not session.apply_config(big_config())
    assert errors[-1] == "Not enough memory to build this run; the current run is kept" and session.run is before
    assert not session.work.busy and gc.isenabled()


def test_build_cost_counts_data_values_and_parameters():
    config = big_config()
    assert gs.build_cost(config) == 60_000 * (2 + 2) + (8 * 3 + 2 * 9)
    X = np.zeros((1000, 5))
    custom = RunConfig(sizes=[5, 3, 1], dataset={"name": "custom", "X": X, "Y": np.zeros((1000, 1)),
                                                 "kind": "regression"})
    assert gs.build_cost(custom) == 1000 * 6 + (3 * 6 + 1 * 4)


# -- training in slices ---------------------------------------------------------------------------------
def test_training_many_updates_goes_in_slices_with_the_event_loop_between(session):
    assert session.load_preset("xor")
    session.work.max_units, session.work.slice_s = 100, 1e9      # slices of exactly 100 updates
    rec = Recorder(session.work)
    ran = []

    def on_progress(state):                   # posted now, processed only if the event loop runs
        QtCore.QTimer.singleShot(0, lambda done=state.done: ran.append(done))
    session.work.progressed.connect(on_progress)
    assert session.train_steps(1000)
    assert session.trainer.step_count == 1000
    progress = [e[1] for e in rec.events if e[0] == "progress"]
    assert rec.events[0] == ("started", "Training 1,000 updates") and rec.events[-1] == ("finished",)
    assert progress == list(range(100, 1000, 100))
    assert ran == progress                    # every slice was followed by a turn of the event loop


def test_cancel_while_training_goes_back_exactly_to_the_start(session):
    assert session.load_preset("xor")
    session.train_steps(7)
    W, history = params(session), session.history.step_losses.copy()
    session.work.max_units, session.work.slice_s = 50, 1e9
    session.work.progressed.connect(lambda st: session.work.cancel() if st.done == 300 else None)
    messages = []
    session.message.connect(messages.append)
    assert not session.train_steps(1000)
    assert session.trainer.step_count == 7 and same(params(session), W)
    np.testing.assert_array_equal(session.history.step_losses, history)
    assert messages[-1] == "Training cancelled: back at update 7"
    assert session.train_steps(10) and session.trainer.step_count == 17     # and it trains on from there


def test_short_training_shows_nothing(session):
    rec = Recorder(session.work)
    assert session.train_steps(5) and rec.events == []


def test_nothing_else_starts_while_work_is_under_way(session):
    assert session.load_preset("xor")
    session.work.max_units, session.work.slice_s = 20, 1e9
    errors, results = [], []
    session.error.connect(errors.append)

    def meanwhile(state):
        if state.done == 20:
            results.extend([session.apply_config(big_config()), session.train_steps(5),
                            session.start_comparison(eta=0.1)])
    session.work.progressed.connect(meanwhile)
    assert session.train_steps(100)
    assert results == [False, False, False] and session.trainer.step_count == 100 and session.compare is None
    assert errors == ["Training 100 updates is still under way: wait for it to finish, or cancel it"] * 3


def test_a_comparison_is_caught_up_in_slices_and_cancel_leaves_none(session):
    assert session.load_preset("xor")
    session.train_steps(120)
    session.work.max_units, session.work.slice_s = 40, 1e9
    rec = Recorder(session.work)
    assert session.start_comparison(eta=0.1)
    assert session.compare.trainer.step_count == 120
    assert ("started", "Training the comparison run to update 120") in rec.events
    session.stop_comparison()
    session.work.progressed.connect(lambda st: session.work.cancel())
    assert not session.start_comparison(eta=0.2) and session.compare is None
    assert session.trainer.step_count == 120


# -- the dialog ---------------------------------------------------------------------------------------------
def test_the_dialog_shows_progress_and_its_cancel_button_cancels(qtbot, session):
    dialog = WorkDialog(session)
    qtbot.addWidget(dialog)
    dialog._show_timer.setInterval(0)         # at the first turn of the event loop instead of after 250 ms
    assert session.load_preset("xor")
    session.work.max_units, session.work.slice_s = 25, 1e9
    seen = []

    def on_progress(state):
        seen.append((dialog.isVisible(), dialog.bar.value(), dialog.bar.maximum(), dialog.text.text()))
        if state.done == 100:
            qtbot.mouseClick(dialog.cancel_button, QtCore.Qt.MouseButton.LeftButton)
    session.work.progressed.connect(on_progress)
    assert not session.train_steps(400)
    assert dialog.title.text() == "Training 400 updates"
    assert seen[0][1:] == (25, 400, "25 of 400") and any(visible for visible, *_ in seen)
    assert seen[-1][3] == "Cancelling…" and not dialog.cancel_button.isEnabled()
    assert not dialog.isVisible() and session.trainer.step_count == 0


# -- rewinding ------------------------------------------------------------------------------------------------
def long_history(session, monkeypatch):
    """xor trained 600 updates with checkpoints every 300, and every replay counted as long work."""
    from engine.run import Run
    assert session.load_preset("xor")
    run = session.run
    run.trainer = type(run.trainer)(run.net, run.train, run.test, optimizer="adam", eta=0.05, batch_size=2, seed=3,
                                    checkpoint_every=300)
    run.new_stepper()
    session.train_steps(600)
    session.seek(5)
    monkeypatch.setattr(gs, "REPLAY_WORK", 0)
    session.work.max_units, session.work.slice_s = 20, 1e9
    reference = Run(run.config)                  # the same training, rewound without progress
    reference.trainer = type(run.trainer)(reference.net, reference.train, reference.test, optimizer="adam",
                                          eta=0.05, batch_size=2, seed=3, checkpoint_every=300)
    reference.trainer.net.set_params(*run.initial_params)
    reference.trainer.run(600)
    return reference


def test_a_long_rewind_shows_progress_and_lands_on_the_same_numbers(session, monkeypatch):
    reference = long_history(session, monkeypatch)
    rec = Recorder(session.work)
    assert session.rewind(550)                    # replays 250 updates from the checkpoint at 300
    reference.rewind(550)
    assert session.trainer.step_count == 550 and same(params(session), [*reference.net.W, *reference.net.b])
    progress = [e[1:3] for e in rec.events if e[0] == "progress"]
    assert rec.events[0] == ("started", "Rewinding to update 550") and progress[0] == (20, 250)
    assert [d for d, _ in progress] == list(range(20, 250, 20))


def test_cancel_while_rewinding_keeps_the_run_as_it_was(session, monkeypatch):
    long_history(session, monkeypatch)
    W, history, k = params(session), session.history.step_losses.copy(), session.stepper.index
    session.work.progressed.connect(lambda st: session.work.cancel() if st.done == 100 else None)
    messages = []
    session.message.connect(messages.append)
    assert not session.rewind(550)
    assert session.trainer.step_count == 600 and same(params(session), W) and session.stepper.index == k
    np.testing.assert_array_equal(session.history.step_losses, history)
    assert messages[-1] == "Rewinding to update 550 was cancelled; the run is as it was"
    session.work.progressed.disconnect()
    assert session.rewind(550) and session.trainer.step_count == 550      # the checkpoints are intact
