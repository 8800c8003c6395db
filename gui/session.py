"""The session adapter: one QObject owns the engine (a Run: network, data, trainer, stepper, and an
optional second run to compare) and re-emits every change as a Qt signal.  Widgets observe it and
change things only through its methods; none touches the engine behind its back.

Every method that takes user input validates it; bad input emits ``error`` with a clear message
and keeps the last good state.  Its parts: ``settings`` (gui.view_settings, validated, a signal
per setting), ``player`` (gui.player: the pacing of live training, which it drives through
``train_for`` and ``publish_training``) and ``work`` (gui.work: long work — building a big run,
training many steps, catching a comparison run up — with progress and Cancel while the window
repaints; Cancel keeps the last good state); the value types are in ``gui.session_types``.
"""
from __future__ import annotations

import math
import time

import numpy as np
from PySide6 import QtCore

from engine import RunConfig, get_preset
from engine.csv_import import Cancelled, CsvTable, dataset_from_table
from engine.dataset_type import Dataset, check_values
from engine.datasets import GENERATORS
from engine.generators import MAX_N, seeded_rng
from engine.health import SATURATION_THRESHOLD, LayerHealth, layer_health
from engine.jacobians import diag_sigma_prime
from engine.losses import LOSSES
from engine.optim import OPTIMIZERS
from engine.network import MAX_PARAMS, parameter_count
from engine.notation import sup, weight_name
from engine.run import Run, build_data, build_work, config_for_dataset
from engine.scalar_graph import build as build_scalar_graph
from engine.trainer import Diverged
from gui import numbers, plain_math
from gui.player import Player
from gui.quiz import Quiz
from gui.session_types import Selection, TrainingProgress
from gui.view_settings import ViewSettings
from gui.work import Work, WorkCancelled, slice_loop

# A run whose data values and parameters together exceed this is built in a thread (gui.work),
# with progress and Cancel; a smaller one is built at once (a few tens of milliseconds at most).
BACKGROUND_COST = 200_000
# The scalar graph has a Python object per weight, product and sum (about 20 µs each to build): a
# million-parameter network took 40 s; 784-64-10 (50,890) takes about a second.
MAX_SCALAR_GRAPH_PARAMS = 60_000
# A generated data set bigger than this is described (widths, natural output) from a sample this big.
DESCRIBE_POINTS = 1000
# A rewind whose replay costs more than this (updates × parameters) shows progress and can be cancelled.
REPLAY_WORK = 20_000_000



def class_names_of(run) -> list[str] | None:
    """One name per output neuron of ``run`` (iris's species, digits' "0" … "9"), or None where the
    outputs are not named classes (a regression target, or a data set naming another count): the
    rule the graph's class names and the heatmaps' class ticks follow, for a run or its comparison."""
    ds = run.train
    names = list(ds.target_names)
    return names if ds.kind == "classification" and len(names) == run.net.sizes[-1] else None

class Session(QtCore.QObject):
    run_changed = QtCore.Signal()                  # a new run: configuration, data, network
    step_changed = QtCore.Signal(object)           # the StepView of the current micro-step
    params_changed = QtCore.Signal()               # W or b changed
    selection_changed = QtCore.Signal(object)      # Selection
    training_state_changed = QtCore.Signal(bool)   # playing?
    training_progress = QtCore.Signal(object)      # TrainingProgress
    history_changed = QtCore.Signal()              # loss history grew or was rewound
    compare_changed = QtCore.Signal()              # the second run appeared, changed or went away
    diverged = QtCore.Signal(str)                  # training stopped on a non-finite value
    error = QtCore.Signal(str)                     # bad input refused; the last good state kept
    message = QtCore.Signal(str)                   # status-bar information

    MAX_PARAMS = MAX_PARAMS            # the largest network a run may have (what the window animates)
    MAX_POINTS = MAX_N                 # the most points a generated data set may have
    parameter_count = staticmethod(parameter_count)     # weights and biases of layer widths ``sizes``

    def __init__(self, preset: str = "mazur", parent=None):
        super().__init__(parent)
        self.settings = ViewSettings(self)              # validated; a signal per setting
        numbers.set_sig_figs(self.settings.sig_figs)
        self.settings.sig_figs_changed.connect(numbers.set_sig_figs)
        self.selection = Selection()
        self.preset_name: str | None = preset
        self.run: Run = Run(get_preset(preset))
        self.compare: Run | None = None
        self.compare_label = ""
        self.divergence: str | None = None
        self.player = Player(self, self)                 # live training's pacing
        self.player.set_pace(self.settings.pace)
        self.settings.pace_changed.connect(self.player.set_pace)
        self.view = self.run.stepper.view()
        self.quiz = Quiz(self, self)                     # Predict mode and checked worksheets
        self.work = Work(self)                           # long work: progress, Cancel
        # id(X) -> (X, per-feature min, max) of the training inputs shown; filled when a big data set
        # is built (scanned in the worker) or first drawn, pruned to the runs shown now
        self._ranges: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

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
    def optimizer(self):
        """The run's optimizer (an ``engine.optim`` registry object): its title, how its update is
        written, and whether the new W follows from W, ∂C/∂W and η alone (``exact_from_gradient``)."""
        return self.run.trainer.optimizer

    @property
    def focus_layer(self) -> int:
        """The W index l the panels show: the selection's layer, else the current micro-step's."""
        return self.layer_at(self.view.step)

    def layer_at(self, step) -> int:
        """The W index l the panels show at micro-step ``step``: the selection's layer, else the step's."""
        if self.selection.kind is not None:
            l = self.selection.weight_layer
        else:
            l = step.l if step.book_layer >= 1 else 0
        return min(max(l, 0), self.net.L - 1)

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
        ``error`` and keep the current run.  A big run (``build_cost`` over BACKGROUND_COST) is built
        in a thread with progress while the window repaints; if it is cancelled (``message``) the
        current run is kept, untouched."""
        if self._busy():
            return False
        try:
            if isinstance(config, dict):
                config = RunConfig.from_dict(config)
            if changes:
                config = config.replace(**changes)
            if build_cost(config) <= BACKGROUND_COST:
                run = Run(config)
            else:
                self.stop()
                run, extent = self.work.in_thread(f"Building a {'-'.join(map(str, config.sizes))} network",
                                                  lambda report: _built(config, report))
                self._ranges[id(extent[0])] = extent   # scanned in the thread
        except WorkCancelled:
            self.message.emit("Building the new run was cancelled; the current run is kept")
            return False
        except MemoryError:
            self.error.emit("Not enough memory to build this run; the current run is kept")
            return False
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

    def switch_dataset(self, name: str) -> bool:
        """Move to data set ``name`` with its usual options (engine.run.config_for_dataset): widths,
        output activation and loss follow the data; on a bad data set emit ``error``, keep the run."""
        try:
            config = config_for_dataset(self.config, name)
        except (ValueError, TypeError, OSError) as e:
            self.error.emit(f"cannot switch to data set {name!r}: {e}")
            return False
        return self.apply_config(config)

    def describe_data(self, spec: dict, seed: int) -> tuple[int, int, tuple[str, str]]:
        """(inputs, outputs, (natural output activation, loss)) of the data ``spec`` builds, for an
        editor checking a proposed configuration; ValueError (or OSError) saying what is wrong."""
        train = self.run.train if seed == self.config.seed and _same_spec(spec, self.config.dataset) else None
        if train is not None:                      # the current run's data is known: never built twice
            return train.X.shape[1], train.Y.shape[1], train.natural_output
        n = spec.get("n")
        if spec.get("name") in GENERATORS and isinstance(n, int) and n > DESCRIBE_POINTS:
            # a generator's widths do not depend on n: check n as building would, describe a small sample
            seeded_rng(n, spec.get("noise", 0.1), seed)
            train, _ = build_data({**spec, "n": DESCRIBE_POINTS}, seed)
            check_values(n, train.X.shape[1] + train.Y.shape[1])
        else:
            train, _ = build_data(spec, seed)
        return train.X.shape[1], train.Y.shape[1], train.natural_output

    @staticmethod
    def read_csv(path, preview_rows: int = 20, progress=None, cancelled=None):
        """The CSV file at ``path`` parsed once, within the import budgets (an
        engine.csv_import.CsvTable), or None if ``cancelled()`` said so; ValueError saying what is
        wrong with the file.  Pure computation: an import dialog calls it from a worker thread."""
        try:
            return CsvTable.read(path, preview_rows=preview_rows, progress=progress, cancelled=cancelled)
        except Cancelled:
            return None

    @staticmethod
    def csv_dataset(table, inputs: list[str], targets: list[str], kind: str) -> Dataset:
        """The data set a choice of columns of a parsed CSV table makes (no re-reading)."""
        return Dataset(**dataset_from_table(table, inputs, targets, kind))

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
        keep_weights = set(changes) <= {"eta", "batch_size", "epochs", "optimizer", "example_index"}
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
        self._compare_follows()
        self.view = self.run.stepper.view()
        self.run_changed.emit()
        self.params_changed.emit()
        self.history_changed.emit()
        self.step_changed.emit(self.view)

    def _busy(self) -> bool:
        """Refuse to start something while long work is under way (``error`` says what to do)."""
        if self.work.busy:
            self.error.emit(f"{self.work.state.title} is still under way: wait for it to finish, or cancel it")
            return True
        return False

    # -- selection ------------------------------------------------------------------------------
    def select(self, selection: Selection | None) -> None:
        selection = selection or Selection()
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)

    # -- stepping ------------------------------------------------------------------------------
    def _after_step(self, moved: bool, params_moved: bool) -> bool:
        if moved:
            self._compare_follows()
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
        if self.compare is not None and self.compare.trainer.diverged is None:
            try:                           # the comparison finishes its example too: both take the update
                self.compare.next_example()
            except Diverged as e:
                self.message.emit(f"The comparison run diverged: {e}")
        self._after_step(True, True)

    def _compare_follows(self) -> None:
        """The comparison run on the main run's example and micro-step.  Both runs have the same
        architecture (Compare changes η, the batch size, an activation, the loss or the optimizer), so
        their micro-steps match one to one: stepping the main run steps the comparison's graph too,
        its last micro-step takes both runs' updates and stepping back undoes both."""
        run = self.compare
        if run is None or run.trainer.diverged is not None:
            return
        try:
            if run.example_index != self.run.example_index and self.run.example_index < len(run.train):
                run.set_example(self.run.example_index)
            run.stepper.seek(min(self.stepper.index, run.stepper.last))
        except Diverged as e:
            self.message.emit(f"The comparison run diverged: {e}")

    def set_example(self, i: int) -> bool:
        try:
            self.run.set_example(int(i))
            if self.compare is not None and i < len(self.compare.train):
                self.compare.set_example(int(i))     # a new stepper for both: updates taken stay
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
                raise ValueError(f"there is no weight {weight_name(l + 1, j + 1, i + 1)} "
                                 f"(W{sup(l + 1)}[{j + 1}, {i + 1}]) in this network")
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

    # -- live training ---------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.player.playing

    def play(self, until: int | None = None) -> None:
        """Train live (the player's slices, at the ``pace`` view setting); with ``until``, stop once the
        trainer has made that many updates (a lesson's slide playing its training steps)."""
        if self.playing or (until is not None and until <= self.trainer.step_count) or self._busy():
            return
        if self.trainer.diverged is not None:
            self.error.emit(self.divergence or str(self.trainer.diverged))
            return
        for run in (self.run, self.compare):
            if run is None:
                continue
            if run.stepper.done:
                run.new_stepper()         # a finished example is kept: its update stays
            else:
                run.stepper.seek(0)       # a half-stepped example is dropped
        self.view = self.stepper.view()   # the first micro-step: widgets draw the live weights, not a stale phase
        self.player.start(self.trainer.step_count, until)
        self.training_state_changed.emit(True)
        self.step_changed.emit(self.view)

    def stop(self) -> None:
        if not self.playing:
            return
        self.player.stop()
        self._show_forward_pass()
        self.training_state_changed.emit(False)
        self.publish_training()
        self.step_changed.emit(self.view)

    def toggle_play(self) -> None:
        self.stop() if self.playing else self.play()

    def train_steps(self, n: int) -> bool:
        """n updates (a lesson's slide, the command line's --steps, scripts).  Training that outlasts
        one of ``work``'s slices goes on in slices with progress while the window repaints; Cancel
        rewinds to where it started (``message``) and returns False, as does a divergence
        (``diverged``).  Afterwards, as after Pause, the view is the trained network's forward pass on
        the current example (the loss micro-step)."""
        if self._busy():
            return False
        start, n = self.trainer.step_count, int(n)
        compare_start = None if self.compare is None else self.compare.trainer.step_count

        def chunk(budget_s: float, max_units: int | None) -> int:
            slice_loop(self._train_one_step, lambda: start + n - self.trainer.step_count, budget_s, max_units)
            return self.trainer.step_count - start

        finished = True
        try:
            self.work.in_chunks(f"Training {n:,} updates", n, chunk)
        except Diverged as e:
            self._on_diverged(e)
            return False
        except WorkCancelled:              # back exactly where it started: nothing half-trained is kept
            finished = False
            self.run.rewind(start)
            if self.compare is not None:
                self.compare.rewind(min(compare_start, self.compare.trainer.step_count))
            self.message.emit(f"Training cancelled: back at update {start:,}")
        self._show_forward_pass()
        self.publish_training()
        self.step_changed.emit(self.view)
        return finished

    def train_for(self, seconds: float, max_steps: int | None = None) -> bool:
        """Whole updates for about ``seconds`` (the player's slice), at most ``max_steps`` of them
        (a paced player's due steps).  False when training ended: the configured epochs are done
        (``message``) or a value diverged (``diverged``); then the session has stopped playing."""
        target, t0 = self.config.epochs, time.perf_counter()
        end = None if max_steps is None else self.trainer.step_count + int(max_steps)
        try:
            while time.perf_counter() - t0 < seconds and (end is None or self.trainer.step_count < end):
                if self.trainer.epoch >= target:
                    self.message.emit(f"Finished {target} epochs")
                    self.stop()
                    return False
                self._train_one_step()
        except Diverged as e:
            self._on_diverged(e)
            return False
        return True

    def publish_training(self) -> None:
        """Tell the widgets where training is: ``training_progress``, then the parameters and history."""
        losses = self.history.step_losses
        loss = float(losses[-1]) if len(losses) else float("nan")
        rate = self.player.steps_per_second(self.trainer.step_count)
        self.training_progress.emit(TrainingProgress(self.trainer.step_count, self.trainer.epoch, loss, rate))
        self.params_changed.emit()
        self.history_changed.emit()

    def rewind(self, step: int) -> bool:
        """Back to the exact state after ``step`` updates (the comparison run too).  A long replay
        (over REPLAY_WORK parameter-updates) shows progress and can be cancelled: then both runs are
        restored as they were (``message``) and False is returned."""
        self.stop()
        if self._busy():
            return False
        try:
            step = int(step)
            runs = [(self.run, step)] + ([] if self.compare is None else
                                         [(self.compare, min(step, self.compare.trainer.step_count))])
            work = sum(run.trainer.replay.replay_length(min(max(s, 0), run.trainer.step_count)) for run, s in runs)
            saved = ([(run, run.trainer.state_dict(), run.trainer.diverged, run.stepper) for run, _ in runs]
                     if work * self.parameter_count(self.net.sizes) > REPLAY_WORK else [])
            with self.work.ticker(f"Rewinding to update {step:,}") as tick:
                for run, s in runs:
                    run.rewind(s, tick if saved else None)
        except WorkCancelled:              # both runs exactly as they were before
            for run, state, diverged, stepper in saved:
                run.trainer.load_state_dict(state)
                run.trainer.diverged, run.stepper = diverged, stepper
            self.view = self.stepper.view()
            self.message.emit(f"Rewinding to update {step:,} was cancelled; the run is as it was")
            self.publish_training()
            self.step_changed.emit(self.view)
            return False
        except (ValueError, TypeError) as e:
            self.error.emit(str(e))
            return False
        self.divergence = None
        self.view = self.stepper.view()
        self.publish_training()
        self.step_changed.emit(self.view)
        return True

    def _train_one_step(self) -> None:
        self.trainer.step()
        if self.compare is not None and self.compare.trainer.diverged is None:
            try:
                self.compare.trainer.step()
            except Diverged as e:
                self.message.emit(f"The comparison run diverged: {e}")

    def _new_steppers(self) -> None:
        """After training: a fresh stepper over the current example (and the comparison's)."""
        self.run.new_stepper()
        if self.compare is not None:
            self.compare.new_stepper()
        self.view = self.stepper.view()

    def _show_forward_pass(self) -> None:
        """After Pause: fresh steppers at the loss micro-step, so the graph draws the trained
        network's forward pass on the current example in full (every a, z and C), nothing of the
        backward pass yet — not the input alone with grey neurons."""
        self._new_steppers()
        for run in (self.run, self.compare):
            if run is not None:
                run.stepper.seek(max(k for k, m in enumerate(run.stepper.steps)
                                     if m.phase in ("input", "forward", "loss")))
        self.view = self.stepper.view()

    def _on_diverged(self, e: Diverged) -> bool:
        was_playing = self.playing
        self.player.stop()
        self.divergence = str(e)
        self.run.new_stepper()
        self.view = self.stepper.view()
        if was_playing:
            self.training_state_changed.emit(False)
        self.publish_training()
        self.step_changed.emit(self.view)
        self.diverged.emit(self.divergence)
        return False

    # -- comparison ----------------------------------------------------------------------------
    def start_comparison(self, **change) -> bool:
        """A second run from the same initial weights with one setting changed; both train in step.
        It is trained up to the current run's update count in slices (Cancel: no comparison)."""
        if self._busy():
            return False
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
            # caught up in slices, with progress and Cancel; an update the main run's stepper took on
            # the current example is left for the comparison's own stepper (``_compare_follows``)
            target = self.trainer.step_count - int(self.stepper.updated)

            def chunk(budget_s: float, max_units: int | None) -> int:
                slice_loop(run.trainer.step, lambda: target - run.trainer.step_count, budget_s, max_units)
                return run.trainer.step_count

            self.work.in_chunks(f"Training the comparison run to update {target:,}", target, chunk)
        except WorkCancelled:
            self.message.emit("The comparison was cancelled; the run is as it was")
            return False
        except (ValueError, TypeError, Diverged) as e:
            self.error.emit(str(e))
            return False
        run.new_stepper()                      # over the caught-up weights, not the initial ones
        self.compare, self.compare_label = run, f"{key} = {value}"
        self._compare_follows()
        self.compare_changed.emit()
        self.history_changed.emit()
        return True

    @property
    def compare_title(self) -> str:
        """The comparison's ``compare_label`` as the UI writes it (the dock's title, the loss plot's
        legend): its setting by the book's symbol where it has one ("eta = 0.05" → "η = 0.05", as the
        Compare dialog and the README write it), else in words ("batch_size" → "batch size"); the
        label itself, as session files and lessons keep it, names the setting by its key (and a loss by
        its key, shown by its short name: "loss = half_sse" → "loss = ½·SSE"; an optimizer by its title)."""
        key, equals, value = self.compare_label.partition(" = ")
        if not equals:
            return self.compare_label
        if key == "loss" and value in LOSSES:        # the loss by its name ("½·SSE"), not its key ("half_sse")
            value = LOSSES[value].short_name
        if key == "optimizer" and value in OPTIMIZERS:   # as the Compare dialog offered it ("SGD with momentum")
            value = OPTIMIZERS[value].title or value
        return f"{plain_math.SYMBOLS.get(key, key.replace('_', ' '))} = {value}"

    def stop_comparison(self) -> None:
        if self.compare is not None:
            self.compare, self.compare_label = None, ""
            self.compare_changed.emit()
            self.history_changed.emit()

    # -- derived quantities for the panels ---------------------------------------------------------
    def activation_jacobian(self, l: int) -> np.ndarray:
        """∂a^{l+1}/∂z^{l+1} of the current example, (N, N): diag σ′(z) of W[l]'s layer, or the full
        softmax Jacobian.  Only once σ′ of that layer is computed (``view.sigma_prime[l]``)."""
        return diag_sigma_prime(self.net, self.stepper.trace, l)

    def class_names(self) -> list[str] | None:
        return class_names_of(self.run)

    def layer_jacobian(self, l: int) -> np.ndarray:
        """∂z^{l+2}/∂z^{l+1} = W[l+1] diag σ′(z[l]) with the weights the example was computed with,
        shape (N_{l+2}, N_{l+1}); l must not be the output layer."""
        return self.view.W_before[l + 1] @ self.activation_jacobian(l)

    saturation_threshold = SATURATION_THRESHOLD      # σ′ below this marks a unit saturated

    def layer_health(self) -> list[LayerHealth]:
        """Per layer: |δ|, |∂C/∂W| / |W|, the saturated units and mean σ′ of the current example."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):   # huge weights: norms are inf
            return layer_health(self.view.W_before, self.view.grads)

    def output_curve(self, resolution: int = 300, margin: float = 0.1):
        """For 1-D inputs: (xs, out) with out[n] = a^L at xs[n], shape (resolution, N_L), over the
        training inputs' range widened by ``margin`` of it on each side."""
        lo, hi = (v[0] for v in self._input_range(self.run))
        pad = margin * (hi - lo if hi > lo else 1.0)
        xs = np.linspace(lo - pad, hi + pad, resolution)
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights after a divergence show as ∞
            return xs, self.net.predict(xs[:, None])

    def scalar_graph_refusal(self) -> str | None:
        """Why there is no scalar graph for the current run (``scalar_graph`` is then None), or None."""
        if self.stepper.trace.batched:
            return "The scalar graph is drawn for one example at a time."
        n = parameter_count(self.net.sizes)
        if n > MAX_SCALAR_GRAPH_PARAMS:
            return (f"This network has {n:,} parameters; the scalar graph (a node for every weight and every "
                    f"product) is built for networks of up to {MAX_SCALAR_GRAPH_PARAMS:,}. "
                    "The layer graph and the matrices show this one.")
        return None

    def scalar_graph(self):
        """The current example's scalar computational graph (engine.scalar_graph), computed with the
        weights the example was computed with, its dropout masks and penalty; cached per stepper.
        None for a batch or a network over MAX_SCALAR_GRAPH_PARAMS (``scalar_graph_refusal`` says)."""
        stepper, net = self.stepper, self.net
        if getattr(self, "_scalar", (None, None))[0] is not stepper:
            graph = None
            if self.scalar_graph_refusal() is None:
                with np.errstate(over="ignore", invalid="ignore"):   # huge weights show as ∞, as in the stepper
                    graph = build_scalar_graph(stepper.W_before, stepper.b_before, stepper.trace.a[0], stepper.grads.y,
                                  net.activations, net.loss, stepper.masks, 1.0 - net.dropout, net.penalty,
                                  net.lam)
            self._scalar = (stepper, graph)
        return self._scalar[1]

    def _input_range(self, run: Run) -> tuple[np.ndarray, np.ndarray]:
        """The training inputs' per-feature minimum and maximum, computed once per data set (a redraw
        while training must not scan 800,000 rows every time)."""
        X = run.train.X
        ranges = self._ranges
        if id(X) not in ranges or ranges[id(X)][0] is not X:
            live = {id(r.train.X) for r in (self.run, self.compare) if r is not None}
            ranges = self._ranges = {k: v for k, v in ranges.items() if k in live}   # the runs shown now
            ranges[id(X)] = (X, X.min(axis=0), X.max(axis=0))
        return ranges[id(X)][1], ranges[id(X)][2]

    def decision_grid(self, resolution: int = 120, margin: float = 0.5, run: Run | None = None):
        """For 2-D inputs: (xs, ys, out) with out[r, c] = a^L at (xs[c], ys[r]), shape (res, res, N_L)."""
        run = run or self.run
        if run.train.X.shape[1] != 2:
            return None
        lo, hi = self._input_range(run)
        lo, hi = lo - margin, hi + margin
        xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
        gx, gy = np.meshgrid(xs, ys)
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights after a divergence show as ∞
            out = run.net.predict(np.column_stack([gx.ravel(), gy.ravel()]))
        return xs, ys, out.reshape(resolution, resolution, -1)


def _built(config: RunConfig, report) -> tuple[Run, tuple]:
    """A run and its training inputs' (X, per-feature minimum, maximum), for a worker thread: the
    scan of a big data set (40 ms at 800,000 rows) is done there, not when the window installs it."""
    run = Run(config, progress=report)
    X = run.train.X
    return run, (X, X.min(axis=0), X.max(axis=0))


def build_cost(config: RunConfig) -> int:
    """About how much building ``config`` costs: the data set's values (rows × (inputs + outputs))
    plus the network's parameters; from the configuration alone, without building anything."""
    return sum(build_work(config))


def _same_spec(a: dict, b: dict) -> bool:
    """Do two data-set specs build the same data?  Arrays (imported data) by identity, the rest by value."""
    if a.keys() != b.keys():
        return False
    for k, x in a.items():
        y = b[k]
        if hasattr(x, "shape") or hasattr(y, "shape"):
            if x is not y:
                return False
        elif type(x) is not type(y) or x != y:
            return False
    return True
