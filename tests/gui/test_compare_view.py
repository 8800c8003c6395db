"""The comparison view: CompareSession provides the RunView protocol as Session does, read-only."""
from gui.compare_view import CompareSession
from gui.session_types import RunView, Selection
from gui.widgets.graph.view import GraphView


def test_session_and_compare_session_both_provide_run_view(session):
    compare = CompareSession(session)
    assert isinstance(session, RunView) and isinstance(compare, RunView)
    assert compare.settings is session.settings


def test_compare_graph_draws_the_second_run_and_refuses_edits(qtbot, session):
    compare = CompareSession(session)
    graph = GraphView(compare)
    qtbot.addWidget(graph)
    assert session.start_comparison(eta=0.1)
    assert compare.net is session.compare.net and graph.session is compare
    errors = []
    session.error.connect(errors.append)
    before = session.compare.net.W[0].copy()
    assert compare.set_weight(0, 0, 0, 9.0) is False
    assert (session.compare.net.W[0] == before).all() and errors
    compare.select(Selection.neuron(1, 0))
    assert compare.selection == Selection()


def test_the_comparison_follows_the_main_runs_micro_step_and_takes_its_update_with_it(session):
    """Stepping the main run steps the comparison's graph to the same micro-step of the same
    example (so both graphs show δ² at once); the last micro-step updates both runs, stepping back
    undoes both, and the next example moves both."""
    import numpy as np
    compare = CompareSession(session)
    seen = []
    compare.step_changed.connect(seen.append)
    assert session.train_steps(5)
    session.first_step()
    session.next_step()
    assert session.start_comparison(eta=0.1)
    run = session.compare
    assert run.stepper.index == session.stepper.index == 1
    W0 = run.net.W[-1].copy()
    backward = next(k for k, m in enumerate(session.stepper.steps) if m.phase == "backward")
    session.seek(backward)
    assert compare.view.step.index == backward and compare.view.step.phase == "backward"
    assert seen[-1].step.index == backward and compare.view.delta[-1] is not None
    # the comparison graph's output is its own network's (Mazur's net is sigmoid throughout),
    # recomputed here by hand, and not the main run's
    def output(net, x):
        a = x
        for W, b in zip(net.W, net.b):
            a = 1.0 / (1.0 + np.exp(-(W @ a + b)))
        return a
    x, _y = run.example()
    assert np.allclose(compare.view.a[-1], output(run.net, x))
    assert not np.allclose(compare.view.a[-1], output(session.net, x))
    steps0 = (session.trainer.step_count, run.trainer.step_count)
    session.finish_example()
    assert compare.view.step.phase == "update"
    assert (session.trainer.step_count, run.trainer.step_count) == (steps0[0] + 1, steps0[1] + 1)
    assert not np.array_equal(run.net.W[-1], W0)
    session.prev_step()
    assert (session.trainer.step_count, run.trainer.step_count) == steps0
    assert np.array_equal(run.net.W[-1], W0)
    session.next_example()
    assert run.example_index == session.run.example_index and compare.view.step.index == 0
    assert run.trainer.step_count == session.trainer.step_count


def test_a_comparison_started_after_the_update_takes_that_update_on_the_same_example(session):
    """Compare opened at the update micro-step: the comparison is caught up to the update before
    and then takes the current example's update through its own stepper, so both runs have made
    the same number of updates and show the same micro-step."""
    session.finish_example()
    assert session.start_comparison(optimizer="momentum")
    run = session.compare
    assert run.stepper.updated and run.stepper.index == session.stepper.index
    assert run.trainer.step_count == session.trainer.step_count == 1


def test_the_comparison_is_titled_with_the_books_symbol_and_its_file_label_keeps_the_key(session):
    """The UI names the changed setting as the Compare dialog and the README do ("η = 0.05", not the
    engine's "eta = 0.05"; the dock's title, the loss plot's legend and hover text use it:
    test_main_window, test_loss_plot, test_cli), a setting without a symbol in words; the label
    saved in session files and read by lessons keeps the key, and a label of another form (an older
    file's) is shown as it is."""
    from gui.widgets.compare_dialog import SETTINGS
    session.load_preset("xor")
    assert session.start_comparison(eta=0.05)
    assert session.compare_label == "eta = 0.05" and session.compare_title == "η = 0.05"
    assert "η" in SETTINGS["eta"][0]                        # (the dialog's own name for it)
    assert session.start_comparison(batch_size=2)
    assert (session.compare_label, session.compare_title) == ("batch_size = 2", "batch size = 2")
    assert session.start_comparison(activation="tanh")
    assert session.compare_title == session.compare_label == "activation = tanh"
    assert session.start_comparison(loss="mse")             # a loss by its name, as the start screen writes it
    assert (session.compare_label, session.compare_title) == ("loss = mse", "loss = MSE")
    session.load_preset("mazur")
    assert session.start_comparison(loss="cross_entropy")
    assert (session.compare_label, session.compare_title) == ("loss = cross_entropy", "loss = cross-entropy")
    assert session.start_comparison(optimizer="momentum")   # as the Compare dialog offers it
    assert (session.compare_label, session.compare_title) == ("optimizer = momentum", "optimizer = SGD with momentum")
    session.compare_label = "η = 0.5 ⇄ xor"
    assert session.compare_title == "η = 0.5 ⇄ xor"


def test_the_compare_dialog_offers_a_loss_and_an_optimizer_by_the_names_the_app_shows(session, qtbot):
    """(Its "to" box listed the engine's keys: "cross_entropy", "half_sse", "sgd", "momentum", where
    the network editor and the start screen show "cross-entropy", "½·SSE", "Plain SGD".)  The item
    shown is picked, the run compared on its engine name; a typed setting stays typed."""
    from engine import LOSSES, OPTIMIZERS
    from gui.widgets.compare_dialog import CompareDialog
    dialog = CompareDialog(session, None)
    qtbot.addWidget(dialog)
    for key, registry, shown in (("loss", LOSSES, lambda x: x.short_name), ("optimizer", OPTIMIZERS, lambda x: x.title)):
        dialog.setting.setCurrentIndex(dialog.setting.findData(key))
        items = [dialog.value.itemText(i) for i in range(dialog.value.count())]
        current = getattr(session.config, key)
        assert items == [shown(registry[name]) for name in registry if name != current]
        assert not dialog.value.isEditable() and not set(items) & set(registry)
    dialog.setting.setCurrentIndex(dialog.setting.findData("loss"))
    dialog.value.setCurrentIndex(dialog.value.findText("MSE"))
    dialog._on_accepted()
    assert session.compare_label == "loss = mse" and dialog.result() == dialog.DialogCode.Accepted
    dialog.setting.setCurrentIndex(dialog.setting.findData("eta"))
    assert dialog.value.isEditable() and dialog.value.currentText() == "0.05"


def test_the_comparison_graph_names_its_output_classes(qtbot):
    """The comparison's graph labels its outputs by class as the main graph does (e5e889f asked a
    CompareSession for class_names(), which it did not have: every comparison graph's paint failed,
    vanishing's lesson slide 7 opened on an error box)."""
    from gui.session import Session
    from gui.widgets.graph import class_labels
    session = Session("wong")
    try:
        compare = CompareSession(session)
        assert session.start_comparison(eta=0.1)
        assert compare.class_names() == session.class_names() == list(session.run.train.target_names)
        graph = GraphView(compare)
        qtbot.addWidget(graph)
        graph.resize(700, 400)
        graph.show()
        qtbot.waitExposed(graph)
        graph.grab()
        assert [text for text, *_ in class_labels.label_rects(graph)] == session.class_names()
    finally:
        session.stop()
