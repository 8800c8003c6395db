"""Live training for the session adapter (``gui.session.Session`` mixes this in; it is not used alone).

Training runs in time slices on the GUI thread (QTimer): each tick trains for ``slice_ms`` and then
returns to the event loop, so drawing and input stay live.  Redraws (``training_progress``,
``params_changed``, ``history_changed``) come at most every ``redraw_ms``, and only once training
has had ``train_share`` of the time since the last one: everything the event loop did in between
(painting, which pyqtgraph spreads over several events, other input) counts against it, so slow
redraws come less often instead of slowing training down — but at least every ``max_redraw_ms``.
The slice that ends in a redraw is shortened by the redraw's handlers' time.  ``redraw_ms`` ≤ 0
redraws after every slice.  A non-finite value stops training at the step that produced it
(``diverged``), keeping the last finite state.

The view setting ``pace`` (steps per second) slows Play down so a lecture can watch the decision
boundary form: each tick trains the steps that are due by the clock (never a burst to catch up)
and redraws every ``redraw_ms``.  ``PACE_FULL`` (the default) is the as-fast-as-possible path
above, unchanged.  When training stops, the stepper shows the trained network's forward pass on
the current example (every a, z and C computed), not an input with grey neurons.
"""
from __future__ import annotations

import time

from PySide6 import QtCore

from engine.trainer import Diverged
from gui.session_types import PACE_FULL, TrainingProgress


class TrainingLoop:
    """Play, stop, train n steps, divergence and rewind, for a Session (its signals and run)."""

    def _init_training(self) -> None:
        self.slice_ms = 12.0
        self.redraw_ms = 33.0
        self.max_redraw_ms = 500.0
        self.train_share = 0.9            # while playing, training keeps at least this share of the time
        self._trained_s = 0.0             # since the last redraw: seconds spent training,
        self._other_s = 0.0               # and seconds the event loop spent on everything else
        self._tick_end: float | None = None
        self._handlers_s = 0.0            # a redraw's signal handlers, smoothed
        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)        # not 0: a zero timer starves every other timer of the event loop
        self._timer.timeout.connect(self._on_train_tick)
        self._last_emit = 0.0
        self._rate = (time.perf_counter(), 0)
        self._pace_clock = (time.perf_counter(), 0)   # paced play: (since when, steps trained since then)
        self._frame_s = 0.0                # paced play: a redraw's cost, smoothed (handlers and painting)
        self._frame_start: float | None = None
        self.view_changed.connect(self._on_pace_view_changed)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

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
        self._restart_pace()
        self._timer.start()
        self.training_state_changed.emit(True)
        self.step_changed.emit(self.view)

    def stop(self) -> None:
        if not self._timer.isActive():
            return
        self._timer.stop()
        self._show_forward_pass()
        self.training_state_changed.emit(False)
        self._emit_training(force=True)
        self.step_changed.emit(self.view)

    def _show_forward_pass(self) -> None:
        """A new stepper on the current example, at its loss micro-step: the trained network's
        forward pass is drawn in full, nothing of the backward pass yet (the comparison run too)."""
        for run in (self.run, self.compare):
            if run is not None:
                stepper = run.new_stepper()
                stepper.seek(max(k for k, m in enumerate(stepper.steps) if m.phase in ("input", "forward", "loss")))
        self.view = self.stepper.view()

    # -- pace ----------------------------------------------------------------------------------------
    @property
    def paced(self) -> bool:
        return float(self.settings.pace) > PACE_FULL

    def _restart_pace(self) -> None:
        """Count the pace from now, and tick often enough for it (not every millisecond when slow)."""
        self._pace_clock = (time.perf_counter(), 0)
        self._frame_start = None
        self._timer.setInterval(max(1, min(20, int(1000.0 / self.settings.pace))) if self.paced else 1)

    def _on_pace_view_changed(self, name: str) -> None:
        if name == "pace" and self.playing:
            self._restart_pace()

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

    def _target_reached(self) -> bool:
        """At the configured number of epochs: say so and stop."""
        if self.trainer.epoch < self.config.epochs:
            return False
        self.message.emit(f"Finished {self.config.epochs} epochs")
        self.stop()
        return True

    def _on_paced_tick(self) -> None:
        """Train the steps due by the pace clock, within one slice; if they do not fit, the clock
        restarts (the pace is too fast for this network: it trains as fast as it can, no burst).
        Redraws come every ``redraw_ms``, but no more often than leaves the event loop half of
        the time between them (a redraw's handlers and painting, measured from the redraw to the
        next tick): slow painting must not starve the ticks and so the pace."""
        t0 = time.perf_counter()
        if self._frame_start is not None:
            self._frame_s = 0.7 * self._frame_s + 0.3 * (t0 - self._frame_start)
            self._frame_start = None
        since, done = self._pace_clock
        due = int((t0 - since) * float(self.settings.pace)) - done
        if due <= 0:
            return
        try:
            for n in range(1, due + 1):
                if self._target_reached():
                    return
                self._one_step()
                if time.perf_counter() - t0 > self.slice_ms / 1000.0:
                    break
        except Diverged as e:
            self._on_diverged(e)
            return
        self._pace_clock = (since, done + n) if n == due else (time.perf_counter(), 0)
        now = time.perf_counter()
        gap = min(max(self.redraw_ms / 1000.0, 2.0 * self._frame_s), 4.0 * self.max_redraw_ms / 1000.0)
        if now - self._last_emit >= gap:
            self._emit_training(force=True)
            self._frame_start = now

    def _on_train_tick(self) -> None:
        if self.paced:
            self._on_paced_tick()
            return
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
                if self.trainer.epoch >= target and self._target_reached():
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
