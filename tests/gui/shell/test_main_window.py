"""The assembled main window: every number on screen equals the engine's at every micro-step,
training keeps the GUI live, and an exception in a slot is reported without stopping the app."""
import sys

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from engine.jacobians import diag_sigma_prime
from gui.errors import ErrorReporter
from gui.shell.main_window import MainWindow
from gui.session_types import Selection
from helpers import check_block_numbers, expected_banner, same_arrays, window_on_screen

Key = QtCore.Qt.Key
MAZUR_LOSS = 0.298371109        # E_total in Mazur's post
MAZUR_W5 = 0.35891648           # w5 after one update with η = 0.5


@pytest.fixture
def window(qtbot, session):
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    w.close()


# -- what the widgets show ---------------------------------------------------------------------
def expected_graph(view):
    """(nodes, edges) the graph must draw: a and W forward (z on the layer whose Σ was just computed),
    δ and ∂C/∂W backward, δ and new W at the update."""
    if view.step.phase == "backward":
        return [None] + list(view.delta), list(view.dW)
    if view.step.phase == "update":
        return [None] + list(view.delta), list(view.W)
    a = list(view.a)
    if view.step.quantity == "z":
        a[view.step.book_layer] = view.z[view.step.l]
    return a, list(view.W)


def check_derivation(window):
    view, net = window.session.view, window.session.net
    blocks = window.derivation.step_list.blocks
    assert blocks, "the derivation panel shows no equations"
    return sum(check_block_numbers(view, net, block) for block in blocks)


def check_heatmaps(window):
    s, hm = window.session, window.heatmaps.heatmaps
    v, l = s.view, s.focus_layer
    assert window.heatmaps.layer == l
    np.testing.assert_array_equal(hm["W"].matrix, v.W[l])
    row = s.settings.convention == "row"
    if v.dW[l] is None:
        assert hm["dW"].matrix is None and hm["step"].matrix is None
    else:
        np.testing.assert_array_equal(hm["dW"].matrix, v.dW[l].T if row else v.dW[l])
        np.testing.assert_allclose(hm["step"].matrix, -v.eta * v.dW[l], rtol=1e-15)     # W ← W − η (∂C/∂W)ᵀ: like W
    if v.sigma_prime[l] is None:
        assert hm["sigma"].matrix is None
    elif window.heatmaps.roles == ["sigma", "jacobian"]:       # shown beside the Jacobian: σ′ as a row, diag σ′'s diagonal
        np.testing.assert_array_equal(hm["sigma"].matrix, [v.sigma_prime[l]])
        D = diag_sigma_prime(s.net, s.stepper.trace, l)
        np.testing.assert_array_equal(hm["sigma"].matrix, [np.diag(D)])
        assert not (D - np.diag(np.diag(D))).any()                 # (the rest of diag σ′ is 0, as its title says)
    else:
        np.testing.assert_array_equal(hm["sigma"].matrix, np.diag(v.sigma_prime[l]))
        np.testing.assert_array_equal(hm["sigma"].matrix, diag_sigma_prime(s.net, s.stepper.trace, l))


def check_all(window):
    s = window.session
    v = s.view
    assert v.step.index == s.stepper.index
    assert window.banner.text() == expected_banner(s)
    nodes, edges = expected_graph(v)
    same_arrays(window.graph.node_values(), nodes, "graph nodes")
    same_arrays(window.graph.edge_values(), edges, "graph edges")
    check_heatmaps(window)
    return check_derivation(window)


def banner_loss(window) -> str:
    texts = [w.text() for w in window.banner.findChildren(QtWidgets.QLabel) if w.text().startswith("loss C =")]
    return texts[0] if texts else ""


# -- 1. the scripted walk ------------------------------------------------------------------------
@pytest.mark.parametrize("convention", ["column", "row"])
def test_every_micro_step_shows_the_engines_numbers(window, session, qtbot, convention):
    session.settings.convention = convention
    last = session.stepper.last
    assert last == 12                        # Mazur's 2-2-2: input, 4 forward, loss, 6 backward, update
    checked = check_all(window)
    visited = [0]
    for _ in range(last):                    # forward through the actions
        window.actions_.next.trigger()
        visited.append(session.stepper.index)
        checked += check_all(window)
        v = session.view
        if v.step.quantity == "C":
            assert v.loss == pytest.approx(MAZUR_LOSS, abs=1e-9)
            assert banner_loss(window) == "loss C = 0.2984"
        if v.loss is None:
            assert banner_loss(window) == ""
    assert visited == list(range(last + 1))
    assert not window.actions_.next.isEnabled()

    # after the update: w5 = W²[0, 0] in the heatmap (layer 2 focused) and on the graph's edge
    assert session.view.updated
    window.heatmaps.layer_combo.setCurrentIndex(1)
    assert session.focus_layer == 1
    check_all(window)
    w5 = window.heatmaps.heatmaps["W"].matrix[0, 0]
    assert w5 == pytest.approx(MAZUR_W5, abs=1e-8)
    assert window.heatmaps.heatmaps["W"].cell_texts()[0][0] == "0.3589"
    assert window.graph.edge_values()[1][0, 0] == pytest.approx(MAZUR_W5, abs=1e-8)
    session.select(None)

    for k in range(last - 1, -1, -1):        # back through the actions
        window.actions_.prev.trigger()
        assert session.stepper.index == k
        checked += check_all(window)
    assert session.net.W[1][0, 0] == 0.40 and not window.actions_.prev.isEnabled()
    assert checked > 50


def test_keyboard_walks_forward_and_back(window, session, qtbot):
    window.graph.setFocus()
    for k in range(1, session.stepper.last + 1):
        qtbot.keyClick(window, Key.Key_Right)
        assert session.stepper.index == k
        check_all(window)
    assert session.net.W[1][0, 0] == pytest.approx(MAZUR_W5, abs=1e-8)
    assert window.graph.edge_values()[1][0, 0] == pytest.approx(MAZUR_W5, abs=1e-8)
    qtbot.keyClick(window, Key.Key_Right)     # at the end: stays
    assert session.stepper.index == session.stepper.last
    for k in range(session.stepper.last - 1, -1, -1):
        qtbot.keyClick(window, Key.Key_Left)
        assert session.stepper.index == k
        check_all(window)
    qtbot.keyClick(window, Key.Key_Return)    # finish the example
    assert session.stepper.index == session.stepper.last
    check_all(window)
    qtbot.keyClick(window, Key.Key_Home)
    assert session.stepper.index == 0
    check_all(window)


def test_selection_moves_the_panels_focus(window, session):
    session.seek(10)                          # ∂C/∂W¹ known
    for sel in (Selection.neuron(2, 1), Selection.edge(0, 1, 0), Selection.layer(1), Selection.layer(0)):
        session.select(sel)
        assert session.focus_layer == sel.weight_layer
        check_all(window)


# -- 2. training in the window ---------------------------------------------------------------------
def test_play_in_window_trains_and_timer_keeps_firing(window, session, qtbot):
    session.settings.animate = False
    session.load_preset("xor")
    ticks = []                                # (playing, step count) each time an unrelated 10 ms timer fires
    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append((session.playing, session.trainer.step_count)))
    timer.start()
    window.actions_.play.trigger()
    assert session.playing and window.actions_.play.text() == "Pause"
    try:
        qtbot.waitUntil(lambda: session.trainer.step_count >= 400 and len(ticks) >= 10, timeout=120000)   # a loaded CI machine
        # while playing the W heatmap follows the live weights
        qtbot.waitUntil(lambda: np.array_equal(window.heatmaps.heatmaps["W"].matrix, session.net.W[session.focus_layer]),
                        timeout=5000)
    finally:
        if session.playing:                    # (it stops by itself after the configured epochs)
            window.actions_.play.trigger()
        timer.stop()
    assert not session.playing and window.actions_.play.text() == "Play"
    losses = session.history.step_losses
    assert len(losses) >= 400
    assert np.mean(losses[-50:]) < np.mean(losses[:50])
    during = [n for playing, n in ticks if playing]
    assert len(during) >= 5 and len(set(during)) >= 5
    assert all(b >= a for a, b in zip(during, during[1:]))     # ticks at increasing step counts
    assert during[-1] > during[0]
    check_all(window)                          # stopped: back to the stepper, every number consistent
    assert window.banner.text() == expected_banner(session)


# -- 3. errors in slots ----------------------------------------------------------------------------
class Boom(RuntimeError):
    pass


def _raise_boom():
    raise Boom("a slot went wrong")


@pytest.fixture
def reporter_factory(window):
    made = []

    def make(show_dialog):
        r = ErrorReporter(window, show_dialog=show_dialog)
        made.append(r)
        return r
    yield make
    for r in reversed(made):
        r.uninstall()


def test_exception_in_slot_is_reported_and_app_keeps_running(window, session, qtbot, reporter_factory):
    hook = sys.excepthook
    reporter = reporter_factory(False)
    assert sys.excepthook == reporter.handle
    session.seek(6)
    W = [w.copy() for w in session.net.W]
    index = session.stepper.index
    QtCore.QTimer.singleShot(0, _raise_boom)    # the reporter, not pytest-qt, gets it: it is the hook now
    qtbot.waitUntil(lambda: len(reporter.reported) == 1, timeout=5000)
    message, text = reporter.reported[0]
    assert message == "Boom: a slot went wrong"
    assert "Traceback" in text and "_raise_boom" in text and "a slot went wrong" in text
    # the app keeps running, the state is intact
    assert all(np.array_equal(a, b) for a, b in zip(W, session.net.W)) and session.stepper.index == index
    window.actions_.next.trigger()
    assert session.stepper.index == index + 1
    check_all(window)
    fired = []
    QtCore.QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: fired == [True], timeout=2000)
    reporter.uninstall()
    assert sys.excepthook == hook


def test_exception_dialog_shows_the_traceback(window, session, qtbot, reporter_factory):
    reporter = reporter_factory(True)
    W = [w.copy() for w in session.net.W]
    seen = {}

    def close_box():                          # runs inside the dialog's event loop
        boxes = [w for w in QtWidgets.QApplication.topLevelWidgets()
                 if isinstance(w, QtWidgets.QMessageBox) and w.isVisible()]
        if not boxes:
            return
        box = boxes[0]
        seen.update(title=box.windowTitle(), text=box.text(), info=box.informativeText(), detail=box.detailedText())
        closer.stop()
        box.done(0)

    closer = QtCore.QTimer()
    closer.setInterval(20)
    closer.timeout.connect(close_box)
    closer.start()
    failsafe = QtCore.QTimer()                 # never hang: close any modal box after 10 s
    failsafe.setSingleShot(True)
    failsafe.timeout.connect(lambda: [w.done(0) for w in QtWidgets.QApplication.topLevelWidgets()
                                      if isinstance(w, QtWidgets.QMessageBox) and w.isVisible()])
    failsafe.start(10000)
    try:
        QtCore.QTimer.singleShot(0, _raise_boom)
        qtbot.waitUntil(lambda: len(reporter.reported) == 1 and "detail" in seen, timeout=15000)
    finally:
        closer.stop()
        failsafe.stop()
    assert seen["title"] == "Backprop Lens: unexpected error"
    assert "keeps running" in seen["text"] and "Boom: a slot went wrong" in seen["info"]
    assert "Traceback" in seen["detail"] and "_raise_boom" in seen["detail"]
    assert seen["detail"] == reporter.reported[0][1]
    assert all(np.array_equal(a, b) for a, b in zip(W, session.net.W))
    window.actions_.next.trigger()
    assert session.stepper.index == 1


# -- regressions the GUI fuzzer found (tests/test_fuzz_gui.py) -------------------------------------
def test_new_run_with_a_selection_is_drawn_with_its_own_view(window, session, reporter_factory):
    """apply_config emitted selection_changed while session.view was still the old run's: the
    panels paired the new network with the old numbers (ValueError in the Jacobian heatmap)."""
    reporter = reporter_factory(False)
    session.finish_example()
    session.select(Selection.layer(1))
    assert session.load_preset("xor")
    assert reporter.reported == []
    check_all(window)


def test_play_after_a_finished_example_draws_the_live_weights(window, session, qtbot):
    """Playing from the update micro-step (or mid-example) left the view in that phase, so the
    graph kept drawing the stepped weights (or ∂C/∂W) while training moved the live ones."""
    session.settings.animate = False
    session.load_preset("xor")
    session.player.redraw_ms = 0.0
    for start in (session.stepper.last, 7):
        session.seek(start)
        window.actions_.play.trigger()
        qtbot.wait(60)
        assert session.playing
        same_arrays(window.graph.edge_values(), list(session.net.W), "graph edges while training")
        np.testing.assert_array_equal(window.heatmaps.heatmaps["W"].matrix, session.net.W[session.focus_layer])
        window.actions_.play.trigger()
        assert not session.playing
        check_all(window)


def test_every_view_exports(window, tmp_path):
    """GraphView's ``palette`` attribute (the colour palette's name) shadowed QWidget.palette(), so
    exporting the graph as PNG raised TypeError."""
    from gui.shell.export import save_png, save_svg
    for name, view in window.views.items():
        size = save_png(view, tmp_path / f"{name}.png", scale=0.5)
        assert size.width() > 0 and (tmp_path / f"{name}.png").stat().st_size > 0
        save_svg(view, tmp_path / f"{name}.svg", name)
        assert (tmp_path / f"{name}.svg").read_text().lstrip().startswith("<?xml")


HUGE = [1e300, -1e300, 1e308, -np.finfo(float).max]


@pytest.mark.parametrize("value", HUGE)
def test_huge_weights_are_drawn_without_overflow(window, session, qtbot, reporter_factory, value, tmp_path):
    """Weights near the float limit (typed in, or after a divergence): every panel still draws,
    with no overflow in colour levels, norms or rescaling (warnings are errors under pytest).
    Sampled, not the full product (the suite's time: 6 derivation tabs × 13 micro-steps for each
    value took ~10 s each): each value draws every micro-step (the graph and the heatmaps) and every
    tab (split Σ|σ nodes and bias every other tab), and the four values together draw every tab at
    every micro-step: the pair (tab, micro-step) is drawn with the value whose place in HUGE is
    (tab + micro-step) mod 4."""
    reporter = reporter_factory(False)
    assert session.apply_config(dict(sizes=[2, 3, 2], activation="relu", output_activation="linear", loss="mse",
                                     eta=0.1, dataset={"name": "xor", "outputs": 2}))
    session.settings.animate = False
    for l, j, i in ((0, 0, 0), (1, 1, 2)):
        assert session.set_weight(l, j, i, value)
    tabs, n = window.derivation.tabs, HUGE.index(value)
    drawn = set()
    for tab in range(tabs.count()):            # every derivation tab; split Σ|σ nodes and bias every other time
        tabs.setCurrentIndex(tab)
        session.settings.split_neurons = bool(tab % 2)
        session.settings.show_bias = bool(tab % 2)
        for k in range(session.stepper.last + 1):
            if (tab + k) % len(HUGE) != n:
                continue
            session.seek(k)
            qtbot.wait(1)
            window.graph.repaint()
            window.heatmaps.repaint()
            drawn.add(k)
    assert drawn == set(range(session.stepper.last + 1))
    from gui.shell.export import save_png
    save_png(window, tmp_path / "huge.png", scale=0.5)
    assert reporter.reported == [], reporter.reported[0][1]


def test_comparison_shows_the_second_runs_graph(qtbot):
    from gui.shell.main_window import MainWindow
    from gui.session import Session
    from gui.theme import configure_pyqtgraph
    configure_pyqtgraph()
    session = Session("xor")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    dock, graph = window.docks["comparison"], window.compare_graph
    assert not dock.isVisible()
    window.compare_menu.aboutToShow.emit()
    assert not window.stop_comparing.isEnabled()             # nothing to stop yet
    assert session.start_comparison(eta=0.05)
    window.compare_menu.aboutToShow.emit()
    assert window.stop_comparing.isEnabled()
    assert dock.isVisible() and dock.windowTitle() == "Comparison run: η = 0.05"
    session.train_steps(20)
    drawn = graph.edge_values()
    for l, W in enumerate(session.compare.net.W):
        np.testing.assert_array_equal(drawn[l], W)
    assert not np.array_equal(drawn[0], session.net.W[0])
    assert not graph.session.set_weight(0, 0, 0, 1.0)       # read-only
    window.stop_comparing.trigger()                          # the menu entry stops it
    assert session.compare is None and not dock.isVisible()
    window.close()


@pytest.mark.parametrize("value", [1e150, 1e154, -np.finfo(float).max])
def test_huge_outputs_in_curve_and_loss_plots(window, session, qtbot, reporter_factory, value):
    """A 1-D regression whose outputs and losses are near the float limit: the fitted curve, the
    loss plot (linear and log) and the heatmaps draw without overflow; training stops at the
    divergence with the banner, not with an error."""
    reporter = reporter_factory(False)
    session.load_preset("sine")
    session.settings.animate = False
    for j in range(session.net.sizes[1]):
        assert session.set_weight(0, j, 0, value)
        assert session.set_weight(1, 0, j, value)
    session.train_steps(5)
    for log in (False, True, False):
        session.settings.log_loss = log
        window.loss.repaint()
        window.boundary.redraw()
        window.boundary.repaint()
        qtbot.wait(1)
    assert window.boundary.mode == "curve"
    assert session.divergence is not None or np.isfinite(session.history.step_losses).all()
    assert reporter.reported == [], reporter.reported[0][1]


@pytest.mark.parametrize("preset", ["mazur", "digits"])
def test_window_fits_a_1280_by_720_screen(qtbot, preset):
    """The smallest window the layout allows fits a 1280×720 projector with room for a title bar:
    the matrices panel scrolls rather than demanding height, the plots and the graph shrink."""
    from gui.shell.main_window import MainWindow
    from gui.session import Session
    w = MainWindow(Session(preset))
    qtbot.addWidget(w)
    w.show()
    hint = w.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 680, hint
    assert w.heatmaps.scroll.widgetResizable()
    w.close()


def test_a_dock_opened_before_the_window_is_framed_stays_open(qtbot):
    """The first arrangement waits for the window manager's frame; a dock opened before it (by a
    lesson, a session file or a quick user) is not closed by it."""
    w, _session = window_on_screen(qtbot, "1280x720", "xor")
    w.layouts.start(grow=True)           # as at launch: arrange now, fill the screen once framed
    w.docks["network"].show()
    w.layouts.on_shown()                 # what the timer runs once the window is framed
    assert w.docks["network"].isVisible()
    assert w.docks["loss"].isHidden()    # the Lecture layout's own arrangement still applied


def test_a_frame_the_window_manager_adds_after_the_window_filled_the_screen_is_fitted(qtbot):
    """On a busy machine the window manager can frame the window after on_shown's wait, when the
    window already fills the screen: the frame's arrival (a move) fits the window again, so the
    title bar does not push the status bar below the screen's edge."""
    w, _session = window_on_screen(qtbot, "1280x720", "mazur")
    qtbot.wait(400)                      # on_shown's wait (250 ms) is over: nothing else will fit the window
    area = w.screen().availableGeometry()
    assert w.frameGeometry().height() == area.height()           # offscreen: no frame, the whole height
    w.frameGeometry = lambda: w.geometry().adjusted(-1, -20, 1, 5)   # now framed: a title bar and borders
    QtWidgets.QApplication.sendEvent(w, QtGui.QMoveEvent(w.pos() + QtCore.QPoint(1, 20), w.pos()))
    qtbot.waitUntil(lambda: w.height() + 25 <= area.height() and w.width() + 2 <= area.width())
    assert w.frameGeometry().height() <= area.height() and w.frameGeometry().width() <= area.width()
    del w.frameGeometry
    w.close()


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
@pytest.mark.parametrize("which", ["editor", "recorder"])
def test_a_dock_one_works_in_opens_as_a_companion_tab_in_the_lecture_layout(qtbot, screen_name, which):
    """Opening the network editor or the lesson recorder in the Lecture layout does not add a third
    column that squeezes the companion to a sliver: it joins the companion's tabs, in front, at the
    companion's width, wide enough for its whole form, stays in front while stepping, and the graph
    keeps its minimum; closed, the panel that follows the phase is back in front."""
    from gui.shell.layouts import GRAPH_MIN
    w, session = window_on_screen(qtbot, screen_name, "mazur")
    qtbot.wait(400)
    companion_width = w.docks["matrices"].width()
    assert not w.docks["matrices"].visibleRegion().isEmpty()
    if which == "editor":
        dock = w.docks["network"]
        dock.toggleViewAction().trigger()
    else:
        w.lessons.record_action.trigger()
        dock = w.lessons.recorder.dock
    state = lambda: (dock in w.tabifiedDockWidgets(w.docks["matrices"]), dock.isVisible(),
                     dock.width(), companion_width, w.graph.width())
    try:
        qtbot.waitUntil(lambda: state()[:2] == (True, True) and dock.width() >= companion_width - 8
                        and w.graph.width() >= GRAPH_MIN.width())
    except Exception:
        raise AssertionError(f"tabbed, visible, dock width, companion width, graph width: {state()}") from None
    assert w.docks["matrices"].visibleRegion().isEmpty()                 # behind the dock's tab
    session.next_step()                                                  # stepping keeps the dock in front
    QtWidgets.QApplication.processEvents()
    assert not dock.visibleRegion().isEmpty()
    form = dock.widget().widget() if isinstance(dock.widget(), QtWidgets.QScrollArea) else dock.widget()
    room = dock.widget().viewport().width() if isinstance(dock.widget(), QtWidgets.QScrollArea) else dock.widget().width()
    assert form.minimumSizeHint().width() <= room, "the form is cut"
    dock.close()                                                         # closed: the companion is back in front
    qtbot.waitUntil(lambda: not w.docks["matrices"].visibleRegion().isEmpty())
    w.close()


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
def test_predict_mode_shows_its_whole_entry_and_verdict_in_the_lecture_layout(qtbot, screen_name):
    """At 1024×768 and 1280×720 in the Lecture layout, predict mode's entry opens as the companion's
    tab in front (a strip under the graph had about 140 px, and scrolled) and shows the question,
    the answer grid and the whole verdict of two wrong answers without scrolling; the first answer
    field has the keyboard (a student types at once); the graph keeps its minimum; predict mode off,
    the companion's panel is back in front."""
    from gui.shell.layouts import GRAPH_MIN
    w, session = window_on_screen(qtbot, screen_name, "mazur")
    session.seek(6)                                  # next: δ² (2 numbers)
    session.settings.predict = True
    dock, panel = w.docks["predict"], w.predict_panel
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty()
                    and w.graph.height() >= GRAPH_MIN.height() and w.graph.width() >= GRAPH_MIN.width())
    qtbot.waitUntil(lambda: panel.fields[(0, 0)].hasFocus())
    for cell, text in zip(panel.fields.values(), ("0.2", "0.3")):
        qtbot.keyClicks(cell, text)
    session.next_step()                              # reveal: both wrong, each with its diagnosis
    QtWidgets.QApplication.processEvents()
    assert panel.verdict.text(), "no verdict"
    scroll = dock.widget()
    try:
        qtbot.waitUntil(lambda: scroll.widget().height() <= scroll.viewport().height() + 1
                        and not scroll.verticalScrollBar().isVisible() and not scroll.horizontalScrollBar().isVisible()
                        and panel.wanted_height() <= panel.height() + 2)
    except Exception:
        raise AssertionError(f"the entry scrolls: it needs {panel.wanted_height()} px, has {panel.height()}") from None
    assert dock in w.tabifiedDockWidgets(w.docks["matrices"])
    assert w.graph.height() >= GRAPH_MIN.height() and w.graph.width() >= GRAPH_MIN.width()
    session.next_step()                                                  # stepping keeps the entry in front
    QtWidgets.QApplication.processEvents()
    assert not dock.visibleRegion().isEmpty()
    session.settings.predict = False
    qtbot.waitUntil(lambda: not w.docks["matrices"].visibleRegion().isEmpty()
                    or not w.docks["derivation"].visibleRegion().isEmpty())
    w.close()


def test_predict_mode_opens_a_compact_entry_in_the_training_layout(qtbot, monkeypatch):
    """In the Training layout of a large screen (1920×1080; a small screen's has it beside the graph,
    test_lecture_screen) predict mode's entry opens under the graph at the height it needs (its whole
    question and grid, not the scroll area's own smaller hint, nor less its tab bar) unless the graph would
    go below the Training layout's minimum, which it keeps, or be taller than BOTTOM_SHARE of the window
    (xor: its boundary has the column beside the loss; its first question, z¹, has three entries);
    in front, and its question as asked where the height it grows to holds it (iris)."""
    from gui.shell.layouts import GRAPH_MIN_TRAINING
    from gui.shell.predict_place import BOTTOM_SHARE
    w, session = window_on_screen(qtbot, "1920x1080", "xor")
    session.settings.layout = "training"
    session.settings.predict = True
    dock = w.docks["predict"]
    panel, scroll = w.predict_panel, dock.widget()
    # all it needs (not more), or what the graph's minimum leaves it (the graph within a few pixels of it)
    qtbot.waitUntil(lambda: dock.isVisible() and w.graph.height() >= GRAPH_MIN_TRAINING.height()
                    and scroll.viewport().height() <= panel.wanted_height() + 8
                    and (scroll.viewport().height() >= panel.wanted_height()
                         or w.graph.height() <= GRAPH_MIN_TRAINING.height() + 30
                         or dock.height() >= round(BOTTOM_SHARE * w.height()) - 2))
    assert w.dockWidgetArea(dock) == QtCore.Qt.DockWidgetArea.BottomDockWidgetArea
    # another run (iris: its boundary has nothing to draw, the layout arranged again, the loss's tab in
    # front): the entry in front again (it stayed behind the loss's tab), its question arranged for the
    # height it grows to (for the height the last question had left it, iris's ∂C/∂W¹ (8×4) was typed
    # transposed as 4×8 in a 209-px dock, its ∂C/∂W² (3×8) scrolled 18 px in 154): as asked, in one
    # block, unscrolled
    session.load_preset("iris")
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    for step, grid in ((6, (3, 8)), (9, (8, 4))):
        session.seek(step)
        assert panel.quiz.question().grid == grid
        qtbot.waitUntil(lambda: panel.arrangement.shown == grid and scroll.verticalScrollBar().maximum() == 0
                        and scroll.viewport().height() >= panel.wanted_height())
        assert (panel.arrangement.transposed, panel.arrangement.blocks, panel.arrangement.overflows) == (False, 1, False)
        assert dock.height() <= round(BOTTOM_SHARE * w.height()) and w.graph.height() >= GRAPH_MIN_TRAINING.height()
    # an entry that wants more once its new fields are shown (in an X window Qt shows them in the next
    # pass of the event loop: the 8×4 wanted 288 px as it was fitted, 313 once drawn, and scrolled 21
    # px) is fitted once more
    qtbot.wait(50)                                       # (no fit of the last question still to come)
    wanted, asked = 200, []
    monkeypatch.setattr(panel, "wanted_height", lambda: asked.append(1) or (wanted if len(asked) == 1 else wanted + 25))
    w.predict_place.fit()                                # (fitted to 200 px; 225 asked afterwards)
    qtbot.waitUntil(lambda: scroll.viewport().height() >= wanted + 25)
    session.settings.predict = False
    w.close()


@pytest.mark.parametrize("layout", ["lecture", "training"])
def test_predict_mode_restored_at_launch_opens_its_entry_in_front(qtbot, layout):
    """Predict mode on from the preferences at launch: the entry is in front where predict mode
    puts it (the companion's column in the Lecture layout, the loss's column of a small screen's
    Training layout for iris), not a tab hidden behind the Matrices: the window's arrangement once
    framed raised the matrices after the entry had been placed (D's finding 45)."""
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    from helpers import screen_named
    session = Session("iris")
    session.settings.animate = False
    session.settings.layout = layout
    session.settings.predict = True             # as prefs.restore_view_settings sets it, before the window is up
    w = MainWindow(session)
    qtbot.addWidget(w)
    screen = screen_named("1024x768")
    w.setScreen(screen)
    w.move(screen.availableGeometry().topLeft())
    w.layouts._settings().setValue(w.layouts._key("name"), layout)     # this screen's stored layout
    w.layouts.start(grow=True)
    assert session.settings.layout == layout
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not w.layouts._fill, timeout=5000)
    dock = w.docks["predict"]
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty(), timeout=3000)
    qtbot.wait(300)                             # and it stays in front
    assert not dock.visibleRegion().isEmpty()
    assert w.predict_place.beside()
    w.close()


def test_a_stored_arrangement_never_shows_the_dock_of_a_mode_that_is_off(qtbot):
    """The per-screen arrangement was stored with predict mode's entry open; restored with predict
    mode off, it comes back without that entry (which would only say "Predict mode is off…")."""
    w, session = window_on_screen(qtbot, "1280x720", "mazur")
    session.settings.predict = True
    qtbot.waitUntil(lambda: w.docks["predict"].isVisible())
    w.layouts.remember()
    w.close()
    again, session2 = window_on_screen(qtbot, "1280x720", "mazur")
    session2.settings.predict = False
    again.layouts.apply(restore=True)                  # the stored arrangement, with the entry open
    assert again.docks["predict"].isHidden() and again.docks["worksheet"].isHidden()


def test_the_view_menu_is_one_column_on_a_720p_screen(qtbot):
    """The View menu opens as one column at 1280×720 (it had 38 entries in two columns over most of
    the window): the choices among several are submenus, and every action keeps its key."""
    w, _session = window_on_screen(qtbot, "1280x720", "mazur")
    menu = w.view_menu
    assert menu.sizeHint().height() <= w.screen().availableGeometry().height() - w.menuBar().height()
    titles = {a.text().replace("&", "") for a in menu.actions() if a.menu() is not None}
    assert {"Companion", "Theme", "Colours", "Numbers", "Panels"} <= titles
    keys = {a.shortcut().toString() for a in w.actions() if not a.shortcut().isEmpty()}
    assert {"F11", "Ctrl+=", "L", "C", "B"} <= keys
    w.close()


def _alt_letters(menu: QtWidgets.QMenu, path: str, clashes: list) -> None:
    """Collect into ``clashes`` each letter that two visible entries of ``menu`` (or of its
    submenus) underline: Alt+letter then only moves between them and opens neither."""
    seen: dict[str, str] = {}
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        text = action.text().replace("&&", "")
        at = text.find("&")
        if 0 <= at < len(text) - 1:
            letter = text[at + 1].lower()
            if letter in seen:
                clashes.append(f"{path}: {seen[letter]!r} and {action.text()!r} both underline {letter!r}")
            seen[letter] = action.text()
        if action.menu() is not None:
            _alt_letters(action.menu(), f"{path} > {action.text()}", clashes)


def test_no_two_menu_entries_share_an_alt_letter(qtbot):
    """File had Save &As… and Export step &animation…: Alt+F, A only moved between the two (the
    lecturer's export never opened); View had Zoom &out and C&olours, and two more pairs."""
    w, _session = window_on_screen(qtbot, "1280x720", "mazur")
    clashes: list[str] = []
    for action in w.menuBar().actions():
        _alt_letters(action.menu(), action.text(), clashes)
    assert not clashes, "\n".join(clashes)
    w.close()


@pytest.mark.parametrize("screen, preset, step", [("1280x720", "xor", 3), ("1024x768", "spirals", 5)])
def test_the_predict_entry_stacks_in_the_companions_column_at_zoom_3(qtbot, screen, preset, step):
    """Predict mode in the Lecture layout at zoom +3 (xor at 1280×720, a² of the selected neuron
    asked; spirals at 1024×768, a³ 2×1): the entry, a tab of the companion's column, stacks its parts
    and fits the column's width.  The dock's scroll area gave it its wide arrangement's minimum (742 px
    in a 459-px column): judged by that width it never stacked, Reveal and the tolerance lay beyond the
    right edge behind a sideways scroll bar; stacked, its tolerance row and buttons still needed 404 px
    of a 356-px column at 1024×768 (the title, the score and the second box cut)."""
    from gui.shell.presentation import ZOOM_STEP
    w, session = window_on_screen(qtbot, screen, preset)
    panel = w.predict_panel
    view = panel.parentWidget()

    def settle():
        for _ in range(20):
            QtWidgets.QApplication.processEvents()
            QtCore.QThread.msleep(10)

    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    settle()
    session.settings.predict = True
    qtbot.waitUntil(lambda: panel.isVisible() and not panel.visibleRegion().isEmpty(), timeout=3000)
    settle()
    session.seek(step)
    settle()
    assert panel.narrow and panel.width() <= view.width(), (
        f"the entry is {panel.width()} px wide (narrow: {panel.narrow}) in a {view.width()}-px column")
    for part in (panel.reveal_button, panel.clear_button, panel.layout_box, panel.rel_tol, panel.abs_tol,
                 panel.title, panel.score):
        right = part.mapTo(panel, QtCore.QPoint(part.width(), 0)).x()
        assert right <= view.width(), (type(part).__name__, right, view.width())
    for k in {"spirals": (8, 14)}.get(preset, ()):   # spirals' ∂C/∂W³ (2×16) and ∂C/∂W¹ (16×2): none sideways
        session.seek(k)
        assert panel.quiz.question().quantity == "dC_dW"
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        scroll = view.parentWidget()
        assert scroll.horizontalScrollBar().maximum() == 0, (k, panel.minimumSizeHint().width(), view.width())
    w.close()


@pytest.mark.parametrize("zoom", [0, 3])
def test_the_network_editor_fits_the_companions_column(qtbot, zoom):
    """View → Panels → Network editor at 1024×768: every field, label and button of the editor is
    within the column's width, no sideways scroll (at zoom +3 the labels beside the fields left them
    cut: "67 of at most 1,00", "update b as wel", the "− hidden layer" button); narrow, each label
    sits over its field."""
    from gui.shell.presentation import ZOOM_STEP
    w, session = window_on_screen(qtbot, "1024x768", "iris")
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    dock, editor = w.docks["network"], w.editor
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty(), timeout=3000)
    for _ in range(20):
        QtWidgets.QApplication.processEvents()
        QtCore.QThread.msleep(10)
    view = dock.widget().viewport()
    assert editor.width() <= view.width(), f"zoom {zoom:+d}: the editor is {editor.width()} px in a {view.width()}-px column"
    parts = [editor.sizes, editor.add_layer, editor.remove_layer, editor.train_biases, editor.budgets["sizes"],
             editor.activation, editor.dataset, editor.apply]
    for part in parts:
        right = part.mapTo(editor, QtCore.QPoint(part.width(), 0)).x()
        assert right <= view.width(), (zoom, type(part).__name__, right, view.width())
        assert part.width() >= part.minimumSizeHint().width(), (zoom, type(part).__name__, part.width())
    w.close()


@pytest.mark.parametrize("screen_name, preset, layout, zoom", [("1280x720", "iris", "training", 0),
                                                            ("1024x768", "iris", "lecture", 0)])
def test_predict_modes_widest_questions_never_scroll_sideways(qtbot, screen_name, preset, layout, zoom):
    """The Predict entry beside the graph (the Training layout's column at 1280×720, the Lecture
    layout's companion at 1024×768) shows iris's ∂C/∂W² (3×8) and ∂C/∂W¹ (8×4) with no sideways
    scroll bar: the fields a 4-figure number wide, the question transposed or in blocks of columns
    (they scrolled 79–668 px sideways); in the Lecture layout the companion widens for ∂C/∂W¹'s
    four columns where the graph keeps GRAPH_MIN_NUMBERS and its edge values.  Zoom +3 in
    the 1024×768 companion: test_the_predict_entry_stacks_in_the_companions_column_at_zoom_3; the
    356-px column at zoom 0 and +3: test_predict_panel."""
    from gui.shell.presentation import ZOOM_STEP
    w, session = window_on_screen(qtbot, screen_name, preset)
    w.layouts.switch(layout)
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    session.settings.predict = True
    dock, panel = w.docks["predict"], w.predict_panel
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty())
    for step in (6, 9):                                              # next: ∂C/∂W², then ∂C/∂W¹
        session.seek(step)
        assert panel.quiz.question().quantity == "dC_dW" and len(panel.fields) >= 12
        qtbot.wait(50)
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        scroll = dock.widget()
        assert not scroll.horizontalScrollBar().isVisible() and scroll.horizontalScrollBar().maximum() == 0, \
            (step, panel.minimumSizeHint().width(), scroll.viewport().width())
    if layout == "lecture":          # the companion widened for ∂C/∂W¹ as asked, the graph keeping its edge values
        from gui.shell.layouts import GRAPH_MIN_NUMBERS
        a = panel.arrangement
        assert (a.shown, a.blocks) == ((8, 4), 1), (a.shown, a.blocks, w.graph.width())
        assert w.graph.width() >= GRAPH_MIN_NUMBERS and not w.graph.edge_note
    session.settings.font_scale = 1.0
    w.close()
