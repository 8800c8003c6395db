"""The session adapter: one QObject owns the engine (a Run: network, data, trainer, stepper, and an
optional second run to compare) and re-emits every change as a Qt signal.  Widgets observe it and
change things only through its methods; none touches the engine behind its back.

Every method that takes user input validates it; bad input emits ``error`` with a clear message
and keeps the last good state.  Training runs in time slices on the GUI thread (QTimer): each tick
trains for ``slice_ms`` and then returns to the event loop, so drawing and input stay live.  Redraws
(``training_progress``, ``params_changed``, ``history_changed``) come at most every ``redraw_ms``,
and only once training has had ``train_share`` of the time since the last one: everything the
event loop did in between (painting, which pyqtgraph spreads over several events, other input)
counts against it, so slow redraws come less often instead of slowing training down — but at least
every ``max_redraw_ms``.  The slice that ends in a redraw is shortened by the redraw's handlers'
time.  ``redraw_ms`` ≤ 0 redraws after every slice.
"""
from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore

from engine import RunConfig, get_preset
from engine.run import Run
from engine.trainer import Diverged


@dataclass
class Selection:
    """What the user picked.  neuron: ``layer`` k in 0..L indexes a[k], ``j`` the neuron;
    edge: ``layer`` l in 0..L-1 indexes W[l], the edge w_ji from neuron i to neuron j;
    layer: ``layer`` l indexes W[l].  kind None: nothing selected."""
    kind: str | None = None
    layer: int = 0
    j: int = 0
    i: int = 0

    @property
    def weight_layer(self) -> int:
        """The W index the heatmaps should show for this selection."""
        return max(self.layer - 1, 0) if self.kind == "neuron" else self.layer


@dataclass
class ViewSettings:
    convention: str = "column"     # gradients as "column" vectors (δ = Wᵀδ ⊙ σ′) or "row" vectors (δ = δ W diag σ′, as the engine)
    show_bias: bool = False
    split_neurons: bool = False
    animate: bool = True
    speed: float = 1.0             # animation speed factor
    lock_scale: bool = False
    log_loss: bool = False
    theme: str = "light"
    palette: str = "standard"
    font_scale: float = 1.0


@dataclass
class TrainingProgress:
    step: int
    epoch: int
    loss: float
    steps_per_second: float


class Session(QtCore.QObject):
    run_changed = QtCore.Signal()                  # a new run: configuration, data, network
    step_changed = QtCore.Signal(object)           # the StepView of the current micro-step
    params_changed = QtCore.Signal()               # W or b changed
    selection_changed = QtCore.Signal(object)      # Selection
    view_changed = QtCore.Signal(str)              # the name of the ViewSettings field that changed
    training_state_changed = QtCore.Signal(bool)   # playing?
    training_progress = QtCore.Signal(object)      # TrainingProgress
    history_changed = QtCore.Signal()              # loss history grew or was rewound
    compare_changed = QtCore.Signal()              # the second run appeared, changed or went away
    diverged = QtCore.Signal(str)                  # training stopped on a non-finite value
    error = QtCore.Signal(str)                     # bad input refused; the last good state kept
    message = QtCore.Signal(str)                   # status-bar information

    def __init__(self, preset: str = "mazur", parent=None):
        super().__init__(parent)
        self.settings = ViewSettings()
        self.selection = Selection()
        self.slice_ms = 12.0
        self.redraw_ms = 33.0
        self.max_redraw_ms = 500.0
        self.train_share = 0.85           # while playing, training keeps at least this share of the time
        self._trained_s = 0.0             # since the last redraw: seconds spent training,
        self._other_s = 0.0               # and seconds the event loop spent on everything else
        self._tick_end: float | None = None
        self._handlers_s = 0.0            # a redraw's signal handlers, smoothed
        self.preset_name: str | None = preset
        self.run: Run = Run(get_preset(preset))
        self.compare: Run | None = None
        self.compare_label = ""
        self.divergence: str | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)        # not 0: a zero timer starves every other timer of the event loop
        self._timer.timeout.connect(self._on_train_tick)
        self._last_emit = 0.0
        self._rate = (time.perf_counter(), 0)
        self.view = self.run.stepper.view()

    # -- read-only conveniences for widgets --------------------------------------------------
    @property
    def net(self):
        return self.run.net

    @property
    def config(self) -> RunConfig:
        return self.run.config

    @property
    def stepper(self):
        return self.run.stepper

    @property
    def trainer(self):
        return self.run.trainer

    @property
    def history(self):
        return self.run.trainer.history

    @property
    def focus_layer(self) -> int:
        """The W index l the panels show: the selection's layer, else the current micro-step's."""
        if self.selection.kind is not None:
            l = self.selection.weight_layer
        else:
            l = self.view.step.l if self.view.step.layer >= 1 else 0
        return min(max(l, 0), self.net.L - 1)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    # -- configuration -----------------------------------------------------------------------
    def load_preset(self, name: str) -> bool:
        try:
            config = get_preset(name)
        except ValueError as e:
            self.error.emit(str(e))
            return False
        if self.apply_config(config):
            self.preset_name = name
            self.message.emit(f"Loaded preset {name}")
            return True
        return False

    def apply_config(self, config: RunConfig | dict, **changes) -> bool:
        """Build a new run from ``config`` (or the current one with ``changes``); on ValueError emit
        ``error`` and keep the current run."""
        try:
            if isinstance(config, dict):
                config = RunConfig.from_dict(config)
            if changes:
                config = config.replace(**changes)
            run = Run(config)
        except (ValueError, TypeError) as e:
            self.error.emit(str(e))
            return False
        self.stop()
        self.run, self.preset_name, self.divergence = run, None, None
        self.view = run.stepper.view()    # before selection_changed: widgets must not pair the new net with the old view
        self.compare = None
        if self.selection.kind is not None:
            self.selection = Selection()
            self.selection_changed.emit(self.selection)
        self._announce_run()
        self.compare_changed.emit()
        return True

    def change(self, **changes) -> bool:
        """The current configuration with some fields changed, e.g. change(eta=0.1).  η and epochs
        apply in place (weights, history and micro-step kept); other fields build a new run from
        the same initial weights where the architecture allows."""
        if changes and set(changes) <= {"eta", "epochs"}:
            try:
                if "eta" in changes:
                    self.run.set_eta(changes["eta"])
                if "epochs" in changes:
                    self.run.set_epochs(changes["epochs"])
            except (ValueError, TypeError) as e:
                self.error.emit(str(e))
                return False
            self.view = self.stepper.view()
            self.run_changed.emit()
            self.step_changed.emit(self.view)
            return True
        keep_weights = set(changes) <= {"eta", "batch_size", "epochs", "optimizer", "sample"}
        if keep_weights:
            W, b = self.run.initial_params
            changes.setdefault("W", [w.tolist() for w in W])
            changes.setdefault("b", [v.tolist() for v in b])
        name = self.preset_name
        ok = self.apply_config(self.config, **changes)
        if ok and keep_weights:
            self.preset_name = name
        return ok

    def reset(self) -> None:
        """The same initial weights, an empty history, the first micro-step."""
        self.stop()
        self.run.reset()
        if self.compare is not None:
            self.compare.reset()
        self.divergence = None
        self._announce_run()
        self.compare_changed.emit()

    def replace_run(self, run: Run, compare: Run | None = None, label: str = "") -> None:
        """Install a run built elsewhere (an opened session file)."""
        self.stop()
        self.run, self.compare, self.compare_label, self.preset_name, self.divergence = run, compare, label, None, None
        self._announce_run()
        self.compare_changed.emit()

    def _announce_run(self) -> None:
        self.view = self.run.stepper.view()
        self.run_changed.emit()
        self.params_changed.emit()
        self.history_changed.emit()
        self.step_changed.emit(self.view)

    # -- view settings -----------------------------------------------------------------------
    def set_view(self, name: str, value) -> None:
        if not hasattr(self.settings, name):
            raise AttributeError(f"no view setting {name!r}")
        if getattr(self.settings, name) != value:
            setattr(self.settings, name, value)
            self.view_changed.emit(name)

    def select(self, selection: Selection | None) -> None:
        selection = selection or Selection()
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)

    # -- stepping ------------------------------------------------------------------------------
    def _after_step(self, moved: bool, params_moved: bool) -> bool:
        if moved:
            self.view = self.stepper.view()
            if params_moved:
                self.params_changed.emit()
                self.history_changed.emit()
            self.step_changed.emit(self.view)
        return moved

    def seek(self, k: int) -> bool:
        self.stop()
        before = self.stepper.updated
        try:
            moved = self.stepper.seek(k)
        except Diverged as e:
            return self._on_diverged(e)
        return self._after_step(moved, before != self.stepper.updated)

    def next_step(self) -> bool:
        return self.seek(self.stepper.index + 1)

    def prev_step(self) -> bool:
        return self.seek(self.stepper.index - 1)

    def finish_example(self) -> bool:
        return self.seek(self.stepper.last)

    def first_step(self) -> bool:
        return self.seek(0)

    def next_example(self) -> None:
        self.stop()
        try:
            self.run.next_example()
        except Diverged as e:
            self._on_diverged(e)
            return
        self._after_step(True, True)

    def set_sample(self, i: int) -> bool:
        try:
            self.run.set_sample(int(i))
        except (ValueError, TypeError) as e:
            self.error.emit(str(e))
            return False
        self._after_step(True, False)
        return True

    def set_weight(self, l: int, j: int, i: int, value: float) -> bool:
        """Type a new weight w_ji of W[l]; the current example is recomputed at the same micro-step."""
        try:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"a weight must be a finite number, got {value}")
            if not (0 <= l < self.net.L and 0 <= j < self.net.W[l].shape[0] and 0 <= i < self.net.W[l].shape[1]):
                raise ValueError(f"there is no weight W[{l}][{j}, {i}]")
        except (ValueError, TypeError) as e:
            self.error.emit(str(e))
            return False
        return self._edit(lambda: self.net.W[l].__setitem__((j, i), value))

    def set_bias(self, l: int, j: int, value: float) -> bool:
        try:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"a bias must be a finite number, got {value}")
        except (ValueError, TypeError) as e:
            self.error.emit(str(e))
            return False
        return self._edit(lambda: self.net.b[l].__setitem__(j, value))

    def _edit(self, apply) -> bool:
        self.stop()
        k = self.stepper.index
        self.stepper.seek(0)
        apply()
        self.run.new_stepper().seek(min(k, self.stepper.last - 1))
        self._after_step(True, True)
        return True

    # -- training ------------------------------------------------------------------------------
    def play(self) -> None:
        if self.playing:
            return
        if self.trainer.diverged is not None:
            self.error.emit(self.divergence or str(self.trainer.diverged))
            return
        if self.stepper.done:
            self.run.new_stepper()        # a finished example is kept: its update stays
        else:
            self.stepper.seek(0)          # a half-stepped example is dropped
        self.view = self.stepper.view()   # the first micro-step: widgets draw the live weights, not a stale phase
        self._rate = (time.perf_counter(), self.trainer.step_count)
        self._trained_s, self._other_s, self._tick_end = 0.0, 0.0, None
        self._timer.start()
        self.training_state_changed.emit(True)
        self.step_changed.emit(self.view)

    def stop(self) -> None:
        if not self._timer.isActive():
            return
        self._timer.stop()
        self.run.new_stepper()
        if self.compare is not None:
            self.compare.new_stepper()
        self.view = self.stepper.view()
        self.training_state_changed.emit(False)
        self._emit_training(force=True)
        self.step_changed.emit(self.view)

    def toggle_play(self) -> None:
        self.stop() if self.playing else self.play()

    def train_steps(self, n: int) -> None:
        """n updates at once (not in slices): for scripts and tests."""
        try:
            for _ in range(int(n)):
                self._one_step()
        except Diverged as e:
            self._on_diverged(e)
            return
        self.run.new_stepper()
        if self.compare is not None:
            self.compare.new_stepper()
        self.view = self.stepper.view()
        self._emit_training(force=True)
        self.step_changed.emit(self.view)

    def _one_step(self):
        self.trainer.step()
        if self.compare is not None and self.compare.trainer.diverged is None:
            try:
                self.compare.trainer.step()
            except Diverged as e:
                self.message.emit(f"The comparison run diverged: {e}")

    def _redraw_due(self, now: float, trained_s: float) -> bool:
        """Redraw at ``now``, after ``trained_s`` seconds of training since the last redraw?"""
        if self.redraw_ms <= 0:
            return True
        since = now - self._last_emit
        if since * 1000.0 >= self.max_redraw_ms:
            return True
        share = min(max(self.train_share, 0.0), 0.95)
        return since * 1000.0 >= self.redraw_ms and trained_s * (1.0 - share) >= self._other_s * share

    def _on_train_tick(self) -> None:
        t0 = time.perf_counter()
        if self._tick_end is not None:
            self._other_s += t0 - self._tick_end
        budget = self.slice_ms / 1000.0
        redraw = self._redraw_due(t0 + budget, self._trained_s + budget)
        if redraw:                       # the slice and the redraw's handlers together take about one slice
            budget = max(budget - self._handlers_s, budget / 4)
        target = self.config.epochs
        try:
            while time.perf_counter() - t0 < budget:
                if self.trainer.epoch >= target:
                    self.message.emit(f"Finished {target} epochs")
                    self.stop()
                    return
                self._one_step()
        except Diverged as e:
            self._on_diverged(e)
            return
        t1 = time.perf_counter()
        self._trained_s += t1 - t0
        if redraw:
            self._emit_training(force=True)
            t2 = time.perf_counter()
            self._handlers_s = 0.7 * self._handlers_s + 0.3 * (t2 - t1)
            self._trained_s, self._other_s = 0.0, t2 - t1    # the handlers count against the next redraw
            t1 = t2
        self._tick_end = t1

    def _emit_training(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and (now - self._last_emit) * 1000.0 < self.redraw_ms:
            return
        self._last_emit = now
        t_start, s_start = self._rate
        rate = (self.trainer.step_count - s_start) / max(now - t_start, 1e-9)
        losses = self.history.step_losses
        loss = float(losses[-1]) if len(losses) else float("nan")
        self.training_progress.emit(TrainingProgress(self.trainer.step_count, self.trainer.epoch, loss, rate))
        self.params_changed.emit()
        self.history_changed.emit()

    def _on_diverged(self, e: Diverged) -> bool:
        was_playing = self._timer.isActive()
        self._timer.stop()
        self.divergence = str(e)
        self.run.new_stepper()
        self.view = self.stepper.view()
        if was_playing:
            self.training_state_changed.emit(False)
        self._emit_training(force=True)
        self.step_changed.emit(self.view)
        self.diverged.emit(self.divergence)
        return False

    def rewind(self, step: int) -> bool:
        self.stop()
        try:
            self.run.rewind(int(step))
            if self.compare is not None:
                self.compare.rewind(min(int(step), self.compare.trainer.step_count))
        except (ValueError, TypeError) as e:
            self.error.emit(str(e))
            return False
        self.divergence = None
        self.view = self.stepper.view()
        self._emit_training(force=True)
        self.step_changed.emit(self.view)
        return True

    # -- comparison ----------------------------------------------------------------------------
    def start_comparison(self, **change) -> bool:
        """A second run from the same initial weights with one setting changed; both train in step."""
        W, b = self.run.initial_params
        try:
            if len(change) != 1:
                raise ValueError("change exactly one setting to compare, e.g. eta=0.1")
            (key, value), = change.items()
            keep = key not in ("activation", "output_activation")
            extra = dict(W=[w.tolist() for w in W], b=[v.tolist() for v in b]) if keep else {}
            config = self.config.replace(**change, **extra)
            run = Run(config)
            if not keep:   # same initial weights even where the activation changes the seeded init
                run.net.set_params(W=W, b=b)
                run.initial_params = run.net.get_params()
                run.reset()
            while run.trainer.step_count < self.trainer.step_count:
                run.trainer.step()
        except (ValueError, TypeError, Diverged) as e:
            self.error.emit(str(e))
            return False
        self.compare, self.compare_label = run, f"{key} = {value}"
        self.compare_changed.emit()
        self.history_changed.emit()
        return True

    def stop_comparison(self) -> None:
        if self.compare is not None:
            self.compare, self.compare_label = None, ""
            self.compare_changed.emit()
            self.history_changed.emit()

    # -- derived quantities for the panels ---------------------------------------------------------
    def decision_grid(self, resolution: int = 120, margin: float = 0.5, run: Run | None = None):
        """For 2-D inputs: (xs, ys, out) with out[r, c] = a^L at (xs[c], ys[r]), shape (res, res, N_L)."""
        run = run or self.run
        X = run.train.X
        if X.shape[1] != 2:
            return None
        lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
        xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
        gx, gy = np.meshgrid(xs, ys)
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights after a divergence show as ∞
            out = run.net.predict(np.column_stack([gx.ravel(), gy.ravel()]))
        return xs, ys, out.reshape(resolution, resolution, -1)


def config_fields() -> list[str]:
    return [f.name for f in dataclasses.fields(RunConfig)]
