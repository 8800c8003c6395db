"""GUI fuzz: random sequences of user actions on one MainWindow.  After every action no exception
has escaped (an ErrorReporter is the excepthook, and pytest-qt's capture of exceptions in virtual
methods stays on), the numbers on screen equal the engine's, and the weights are finite."""
import collections
import math
import os
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PySide6 import QtCore, QtWidgets

from engine.activations import ACTIVATIONS
from engine.optim import OPTIMIZERS
from engine.datasets import DATASET_NAMES
from engine.losses import LOSSES
from engine.presets import PRESETS
from gui.errors import ErrorReporter
from gui.shell.export import save_png, save_svg
from gui.shell.main_window import MainWindow
from gui.widgets.visibility import unseen_in_window
from gui.session_types import Selection
from gui.view_settings import ViewSettings
from gui.theme import PALETTES, THEMES
from helpers import check_block_numbers, expected_banner, same_arrays

Key = QtCore.Qt.Key
LEFT = QtCore.Qt.MouseButton.LeftButton
LIGHT = [p for p in PRESETS if p != "digits"]       # digits (64-32-10) is slow to build and draw; once in a while

# -- strategies ----------------------------------------------------------------------------------
# weights over the whole float range (what is drawn is clipped to ±1e300 so pyqtgraph's level and range
# arithmetic cannot overflow; see gui.theme.drawable); NaN and ±∞ must be refused
numbers = st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from([0.0, -0.0, 1e-300, 1e300, -1e300, 1e308, -1.7976931348623157e308,
                                     5.0, -3.5, float("nan"), float("inf"),
                                     -float("inf"), "1e400", "abc", None]),
                    st.integers(-10**6, 10**6))
FIELD_VALUES = {
    "sizes": st.one_of(st.lists(st.integers(-1, 9), max_size=5), st.just("2-3-1"), st.just([2.5, 2])),
    "activation": st.sampled_from(list(ACTIVATIONS) + ["bogus", ""]),
    "output_activation": st.sampled_from([None, *ACTIVATIONS, "bogus"]),
    "loss": st.sampled_from(list(LOSSES) + ["bogus"]),
    "optimizer": st.sampled_from(list(OPTIMIZERS) + ["bogus"]),
    "eta": st.one_of(st.floats(), st.sampled_from([0.5, 1e-3, 10.0, 1e4, 0, -1, True, "0.1"])),
    "batch_size": st.one_of(st.integers(-2, 70), st.sampled_from([True, 2.0, "4"])),
    "epochs": st.integers(-1, 6),
    "seed": st.one_of(st.integers(-1, 2**33), st.just(None)),
    "dataset": st.sampled_from([{"name": n} for n in DATASET_NAMES]
                               + [{"name": 3}, "xor", {"name": "nope"}, {"name": "xor", "n": -1},
                                  {"name": "circles", "noise": float("nan")}, {"name": "moons", "n": 3},
                                  {"name": "xor", "test_fraction": 1.0}, {}]),
    "W": st.sampled_from([None, [[1.0]], [], "w"]),
    "b": st.sampled_from([None, [[0.0]], 7]),
    "example_index": st.integers(-1, 500),
    "bogus": st.integers(),
}
config_changes = st.lists(st.sampled_from(sorted(FIELD_VALUES)).flatmap(lambda k: st.tuples(st.just(k), FIELD_VALUES[k])),
                          max_size=4)
EDITOR_TEXTS = {
    "sizes": st.sampled_from(["2-3-1", "2-8-8-1", "2, 4, 2", "4-8-3", "1-16-1", "2-0-1", "a-b", "", "2x5x2",
                              "2-3-3-3-3-2", "64-32-10", "99999"]),
    "eta": st.sampled_from(["0.1", "1", "0", "-1", "nan", "inf", "1e4", "abc", "", "1e-9"]),
    "batch_size": st.sampled_from(["1", "8", "0", "4097", "x", "2.5"]),
    "epochs": st.sampled_from(["1", "3", "0", "-3", "100000", "1e3"]),
    "seed": st.sampled_from(["0", "7", "-1", "99999999999", "s"]),
    "n": st.sampled_from(["20", "4", "0", "-5", "abc"]),
    "noise": st.sampled_from(["0.1", "0", "-1", "nan", "x"]),
    "test_fraction": st.sampled_from(["0.2", "0", "1", "0.99", "-0.1", "x"]),
}
VIEW_VALUES = {
    "show_bias": st.booleans(), "split_neurons": st.booleans(), "convention": st.sampled_from(["column", "row"]),
    "theme": st.sampled_from(list(THEMES)), "palette": st.sampled_from(list(PALETTES)),
    "font_scale": st.sampled_from([0.6, 1.0, 1.3, 2.0]), "animate": st.booleans(), "lock_scale": st.booleans(),
    "log_loss": st.booleans(), "speed": st.sampled_from([0.25, 1.0, 4.0]),
}
view_change = st.sampled_from(sorted(VIEW_VALUES)).flatmap(lambda k: st.tuples(st.just(k), VIEW_VALUES[k]))
index = st.integers(-2, 40)


# -- checks ------------------------------------------------------------------------------------------
def _one(v):
    if v is None:
        return None
    v = np.asarray(v, dtype=float)
    return v.mean(axis=0) if v.ndim == 2 else v


def close_message_boxes():
    for w in QtWidgets.QApplication.topLevelWidgets():
        if isinstance(w, QtWidgets.QMessageBox) and w.isVisible():
            w.done(0)


HIDDEN = "hidden"
COMPARED: collections.Counter = collections.Counter()    # the checks that saw each heatmap (not all hidden)


def shown(panel, role: str):
    """The matrix the heatmap ``role`` shows now, in the panel's own orientation (a heatmap drawn
    transposed for its numbers, titled "ᵀ", turned back), None when it shows a message instead, or
    HIDDEN when the panel does not show it (a hidden heatmap may hold the next micro-step's matrix,
    drawn ahead in idle time)."""
    hm = panel.heatmaps[role]
    if not hm.isVisible():
        return HIDDEN
    if hm.matrix is None:
        return None
    return hm.matrix.T if role in panel.transposed else hm.matrix


def check_window(window):
    s = window.session
    v, net = s.view, s.net
    for W, b in zip(net.W, net.b):
        assert np.isfinite(W).all() and np.isfinite(b).all(), "non-finite weights"
    l = s.focus_layer
    assert 0 <= l < net.L
    if s.playing:
        np.testing.assert_array_equal(window.heatmaps.heatmaps["W"].matrix, net.W[l])
        same_arrays(window.graph.edge_values(), list(net.W), "graph edges (live)")
        return
    # the banner
    if s.divergence is not None:
        assert window.banner.text().startswith("⚠  Diverged")
    else:
        assert window.banner.text() == expected_banner(s)
    # the heatmaps of the focus layer, as a user sees them: a panel behind another dock tab (the
    # network editor opens among the companion's tabs) refreshes when it comes to the front
    if unseen_in_window(window.heatmaps):
        window.docks["matrices"].raise_()
        QtWidgets.QApplication.processEvents()
    panel = window.heatmaps
    assert panel.layer_combo.currentIndex() == l
    W, dW, sigma = (shown(panel, role) for role in ("W", "dW", "sigma"))
    COMPARED.update(role for role, M in (("W", W), ("dW", dW), ("sigma", sigma)) if M is not HIDDEN)
    if W is not HIDDEN:
        np.testing.assert_array_equal(W, v.W[l])
    if dW is not HIDDEN:
        if v.dW[l] is None:
            assert dW is None
        else:
            np.testing.assert_array_equal(dW, v.dW[l].T if s.settings.convention == "row" else v.dW[l])
    if sigma is not HIDDEN and v.sigma_prime[l] is None:
        assert sigma is None
    # the graph
    phase = v.step.phase
    if phase == "backward":
        nodes, edges = [None] + [_one(d) for d in v.delta], list(v.dW)
    elif phase == "update":
        nodes, edges = [None] + [_one(d) for d in v.delta], list(v.W)
    else:
        nodes, edges = [_one(a) for a in v.a], list(v.W)
        if v.step.quantity == "z":            # the Σ micro-step: its layer shows the z just computed
            nodes[v.step.book_layer] = _one(v.z[v.step.l])
    same_arrays(window.graph.edge_values(), edges, "graph edges")
    if not s.settings.split_neurons:
        same_arrays(window.graph.node_values(), nodes, "graph nodes")
    # the derivation panel's numbers (one example; names the walk test knows)
    if window.derivation.tabs.currentIndex() == 0 and v.x.ndim == 1:
        for block in window.derivation.step_list.blocks:
            check_block_numbers(v, s.net, block, rtol=1e-12, atol=1e-300)


# -- the machine ---------------------------------------------------------------------------------------
class GuiMachine(RuleBasedStateMachine):
    """One example: the shared window back on Mazur with default view settings, then actions."""

    def __init__(self, window, qtbot, reporter, tmp_path):
        super().__init__()
        self.window, self.qtbot, self.reporter, self.tmp = window, qtbot, reporter, tmp_path
        self.s = window.session
        self.files = 0
        self.s.stop()
        close_message_boxes()
        for name in ("show_bias", "split_neurons", "convention", "theme", "palette", "font_scale",
                     "lock_scale", "log_loss", "speed"):
            setattr(self.s.settings, name, getattr(ViewSettings, name).default)
        self.s.settings.animate = False
        assert self.s.load_preset("mazur")
        self.s.select(None)
        self.reporter.reported.clear()

    def focus_graph(self):
        """Like a user clicking into the window: it is active and no text field has the keys (KeyGuard)."""
        self.window.activateWindow()
        self.window.graph.setFocus()
        QtWidgets.QApplication.processEvents()
        assert QtWidgets.QApplication.activeWindow() is self.window, QtWidgets.QApplication.activeWindow()

    # stepping
    @rule()
    def step(self):
        self.window.actions_.next.trigger()

    @rule()
    def back(self):
        self.window.actions_.prev.trigger()

    @rule(key=st.sampled_from([Key.Key_Right, Key.Key_Left, Key.Key_Return, Key.Key_Home, Key.Key_N,
                               Key.Key_PageDown, Key.Key_R]))
    def key(self, key):
        self.focus_graph()
        self.qtbot.keyClick(self.window, key)

    @rule(k=index)
    def seek(self, k):
        before = self.s.stepper.index
        self.s.seek(k)
        if self.s.divergence is None:
            assert self.s.stepper.index == max(0, min(k, self.s.stepper.last)) or self.s.stepper.index == before

    @rule()
    def finish(self):
        self.window.actions_.finish.trigger()

    @rule()
    def next_example(self):
        self.window.actions_.next_example.trigger()

    @rule(ms=st.sampled_from([20, 50, 80]), by_key=st.booleans())
    def play_then_stop(self, ms, by_key):
        self.s.player.redraw_ms = 0.0            # every training slice redraws: the live weights are on screen
        self.window.actions_.play.trigger()
        if self.s.playing:
            self.qtbot.wait(ms)
            check_window(self.window)
        if by_key:
            self.focus_graph()            # (processes events: training may finish its epochs and stop)
            if self.s.playing:
                self.qtbot.keyClick(self.window, Key.Key_Space)
                assert not self.s.playing, "Space did not pause training"
        elif self.s.playing:
            self.window.actions_.play.trigger()
        assert not self.s.playing

    # configuration
    @rule(changes=config_changes, keep_base=st.booleans())
    def apply_config(self, changes, keep_base):
        base = {**self.s.config.to_dict(), "W": None, "b": None} if keep_base else {}
        config = {**base, **dict(changes)}
        run = self.s.run
        if not self.s.apply_config(config):
            assert self.s.run is run

    @rule(field=st.sampled_from(sorted(EDITOR_TEXTS)).flatmap(lambda k: st.tuples(st.just(k), EDITOR_TEXTS[k])),
          combo=st.sampled_from(["activation", "output_activation", "loss", "optimizer", "dataset", None]),
          choice=st.integers(0, 20), apply=st.booleans())
    def edit_in_editor(self, field, combo, choice, apply):
        ed = self.window.editor
        name, text = field
        edit = getattr(ed, name)
        edit.setText(text)
        edit.textEdited.emit(text)
        if combo is not None:
            box = getattr(ed, combo)
            i = choice % box.count()
            box.setCurrentIndex(i)
            box.activated.emit(i)
        if ed.add_layer.isEnabled() and choice % 5 == 0:
            ed.add_layer.click()
        if ed.remove_layer.isEnabled() and choice % 5 == 1:
            ed.remove_layer.click()
        if apply:
            ed.apply.click()
        else:
            ed.revert.click()

    @rule(i=st.integers(0, 50))
    def change_dataset(self, i):
        combo = self.window.controls.dataset
        i %= combo.count()
        if combo.itemText(i) == "digits" and i % 2:
            return
        combo.setCurrentIndex(i)
        combo.activated.emit(i)

    @rule(eta=st.sampled_from([0.001, 0.5, 3.0, 999.0]), batch=st.integers(1, 40), epochs=st.integers(1, 4))
    def controls_fields(self, eta, batch, epochs):
        c = self.window.controls
        c.eta.setValue(eta)
        c.batch.setValue(batch)
        c.epochs.setValue(epochs)

    @rule(name=st.sampled_from(LIGHT + ["digits", "nope"]), salt=st.integers(0, 3))
    def load_preset(self, name, salt):
        if name == "digits" and salt:
            name = "mazur"
        self.s.load_preset(name)

    @rule(l=st.integers(-1, 4), j=st.integers(-1, 17), i=st.integers(-1, 17), value=numbers)
    def set_weight(self, l, j, i, value):
        W = [w.copy() for w in self.s.net.W]
        ok = self.s.set_weight(l, j, i, value)
        if not ok:
            assert all(np.array_equal(a, b) for a, b in zip(W, self.s.net.W))
        if isinstance(value, (int, float)) and math.isfinite(value) and 0 <= l < self.s.net.L \
                and 0 <= j < self.s.net.W[l].shape[0] and 0 <= i < self.s.net.W[l].shape[1]:
            assert ok

    @rule(l=st.integers(0, 4), j=st.integers(0, 17), value=numbers)
    def set_bias(self, l, j, value):
        l %= self.s.net.L
        self.s.set_bias(l, j % self.s.net.sizes[l + 1], value)

    # view settings
    @rule(change=view_change, through_menu=st.booleans())
    def view_setting(self, change, through_menu):
        name, value = change
        p = self.window.presentation
        if through_menu and name == "theme":
            (p.theme_dark if value == "dark" else p.theme_light).trigger()
        elif through_menu and name == "palette":
            (p.palette_colorblind if value == "colorblind" else p.palette_standard).trigger()
        else:
            setattr(self.s.settings, name, value)
        assert getattr(self.s.settings, name) == value

    # exports and files
    @rule(view=st.sampled_from(["window", "graph", "matrices", "loss", "boundary", "derivation"]),
          kind=st.sampled_from(["png", "svg"]))
    def export(self, view, kind):
        path = self.tmp / f"export-{self.files}.{kind}"
        self.files += 1
        widget = self.window.views[view]
        if kind == "png":
            save_png(widget, path, scale=0.5)
        else:
            save_svg(widget, path, view)
        assert path.is_file() and path.stat().st_size > 0

    @rule(corrupt=st.sampled_from([None, b"", b"PK\x03\x04garbage", b"{}"]))
    def save_and_open(self, corrupt):
        fa = self.window.file_actions
        path = self.tmp / f"session-{self.files}.bplens"
        self.files += 1
        if corrupt is not None:
            path.write_bytes(corrupt)
            run = self.s.run
            assert not fa.open_path(path)
            assert self.s.run is run
            close_message_boxes()
            return
        assert fa.save_to(path)
        W = [w.copy() for w in self.s.net.W]
        assert fa.open_path(path)
        assert all(np.array_equal(a, b) for a, b in zip(W, self.s.net.W))

    # selecting
    @rule(kind=st.sampled_from(["neuron", "edge", "layer", None]), a=st.integers(0, 50), j=st.integers(0, 50),
          i=st.integers(0, 50))
    def select(self, kind, a, j, i):
        sizes = self.s.net.sizes
        if kind == "neuron":
            k = a % len(sizes)
            sel = Selection.neuron(k, j % sizes[k])
        elif kind == "edge":
            l = a % (len(sizes) - 1)
            sel = Selection.edge(l, j % sizes[l + 1], i % sizes[l])
        elif kind == "layer":
            sel = Selection.layer(a % (len(sizes) - 1))
        else:
            sel = None
        self.s.select(sel)

    @rule(kind=st.sampled_from(["neuron", "edge", "label"]), a=st.integers(0, 50), j=st.integers(0, 50),
          i=st.integers(0, 50))
    def click_graph(self, kind, a, j, i):
        g, sizes = self.window.graph, self.s.net.sizes
        if kind == "neuron":
            k = a % len(sizes)
            pos = g.node_pos(k, j % sizes[k])
        elif kind == "edge":
            l = a % (len(sizes) - 1)
            pos = g.edge_pos(l, j % sizes[l + 1], i % sizes[l])
        else:
            pos = g.label_pos(a % len(sizes))
        self.qtbot.mouseClick(g, LEFT, pos=pos)

    @rule(index_=st.integers(0, 5))
    def derivation_tab(self, index_):
        self.window.derivation.tabs.setCurrentIndex(index_ % self.window.derivation.tabs.count())

    @rule()
    def heatmap_layer(self):
        combo = self.window.heatmaps.layer_combo
        combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())

    # after every action
    @invariant()
    def consistent(self):
        QtWidgets.QApplication.processEvents()
        close_message_boxes()
        assert self.reporter.reported == [], self.reporter.reported[0][1]
        check_window(self.window)


@pytest.mark.slow
def test_fuzz_main_window(qtbot, session, tmp_path):
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.docks["network"].show()
    reporter = ErrorReporter(window, show_dialog=False)
    COMPARED.clear()
    try:
        run_state_machine_as_test(
            lambda: GuiMachine(window, qtbot, reporter, tmp_path),
            settings=settings(max_examples=int(os.environ.get("FUZZ_GUI_EXAMPLES", 40)),
                              stateful_step_count=int(os.environ.get("FUZZ_GUI_STEPS", 15)), deadline=None, derandomize=True,
                              database=None, print_blob=False,
                              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
    finally:
        reporter.uninstall()
        session.stop()
        close_message_boxes()
        for name in ("theme", "palette", "font_scale", "convention", "show_bias", "split_neurons", "animate"):
            setattr(session.settings, name, getattr(ViewSettings, name).default)
        window.close()
    assert sys.excepthook != reporter.handle
    print("heatmaps compared:", dict(COMPARED))
    assert COMPARED["W"] >= 20 and COMPARED["dW"] >= 20, dict(COMPARED)    # the checks saw what they check
