"""The player: live training in time slices on the GUI thread, a part the session holds.

Each tick of a QTimer asks the session to train for ``slice_ms`` (``Session.train_for``) and then
returns to the event loop, so drawing and input stay live.  Redraws (``Session.publish_training``:
progress, parameters, history) come at most every ``redraw_ms``, and only once training has had
``train_share`` of the time since the last one: everything the event loop did in between
(painting, which pyqtgraph spreads over several events, other input) counts against it, so slow
redraws come less often instead of slowing training down — but at least every ``max_redraw_ms``.
The slice that ends in a redraw is shortened by the redraw's handlers' time.  ``redraw_ms`` ≤ 0
redraws after every slice.  The session decides when training ends (the epochs are done, or a
non-finite value diverged it) and stops the player.

The view setting ``pace`` (steps per second) slows play down so a lecture can watch the decision
boundary form: each tick trains the steps the clock says are due (never a burst to catch up: if
they do not fit a slice the clock restarts), and redraws come every ``redraw_ms`` but no more
often than leaves the event loop half the time (a redraw's handlers and painting, measured from
the redraw to the next tick).  ``PACE_FULL``, the default, is the unpaced path above, unchanged.

``start(step_count, until=N)`` plays to exactly N updates and then stops the session (a lesson's
slide trains its steps this way, at the slide's pace): no tick trains past N.
"""
from __future__ import annotations

import time

from PySide6 import QtCore

from gui.view_settings import PACE_FULL


class Player(QtCore.QObject):
    """Drives ``session``'s live training through its public methods; its own state is the pacing."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self._session = session
        self.slice_ms = 12.0
        self.redraw_ms = 33.0
        self.max_redraw_ms = 500.0
        self.train_share = 0.9            # while playing, training keeps at least this share of the time
        self._trained_s = 0.0             # since the last redraw: seconds spent training,
        self._other_s = 0.0               # and seconds the event loop spent on everything else
        self._tick_end: float | None = None
        self._handlers_s = 0.0            # a redraw's signal handlers, smoothed
        self._last_redraw = 0.0
        self._rate_start = (time.perf_counter(), 0)
        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)        # not 0: a zero timer starves every other timer of the event loop
        self._timer.timeout.connect(self._on_timer_timeout)
        self.pace = PACE_FULL              # steps per second (the session passes its view setting in)
        self._pace_clock = (time.perf_counter(), 0)   # paced: (since when, steps trained since then)
        self._frame_s = 0.0                # paced: a redraw's cost, smoothed (handlers and painting)
        self._frame_start: float | None = None
        self.until: int | None = None      # play to exactly this many updates, then stop (None: on)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def start(self, step_count: int, until: int | None = None) -> None:
        """Start ticking; the training rate counts from ``step_count`` updates now.  With ``until``,
        stop the session once the trainer has made that many updates."""
        self.until = until
        self._rate_start = (time.perf_counter(), step_count)
        self._trained_s, self._other_s, self._tick_end = 0.0, 0.0, None
        self._restart_pace()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.until = None

    def _left(self) -> int | None:
        """Updates still to make before ``until`` (None: no end)."""
        return None if self.until is None else self.until - self._session.trainer.step_count

    def _arrived(self) -> bool:
        """At ``until``: the last updates are drawn and the session stops playing."""
        if self.until is None or self._session.trainer.step_count < self.until:
            return False
        self._session.stop()
        return True

    def steps_per_second(self, step_count: int) -> float:
        """Updates per second since the last start, given the trainer's ``step_count`` now."""
        t_start, s_start = self._rate_start
        return (step_count - s_start) / max(time.perf_counter() - t_start, 1e-9)

    def _redraw_due(self, now: float, trained_s: float) -> bool:
        """Redraw at ``now``, after ``trained_s`` seconds of training since the last redraw?"""
        if self.redraw_ms <= 0:
            return True
        since = now - self._last_redraw
        if since * 1000.0 >= self.max_redraw_ms:
            return True
        share = min(max(self.train_share, 0.0), 0.95)
        return since * 1000.0 >= self.redraw_ms and trained_s * (1.0 - share) >= self._other_s * share

    # -- pace ------------------------------------------------------------------------------------
    def set_pace(self, pace: float) -> None:
        """Train ``pace`` steps per second from now on; PACE_FULL: as fast as possible."""
        self.pace = float(pace)
        if self.playing:
            self._restart_pace()

    def _restart_pace(self) -> None:
        """Count the pace from now, and tick often enough for it (not every millisecond when slow)."""
        self._pace_clock, self._frame_start = (time.perf_counter(), 0), None
        self._timer.setInterval(max(1, min(20, int(1000.0 / self.pace))) if self.pace > PACE_FULL else 1)

    def _on_paced_tick(self) -> None:
        t0 = time.perf_counter()
        if self._frame_start is not None:
            self._frame_s = 0.7 * self._frame_s + 0.3 * (t0 - self._frame_start)
            self._frame_start = None
        since, done = self._pace_clock
        due = int((t0 - since) * self.pace) - done
        left = self._left()
        if left is not None:
            due = min(due, left)
        if due <= 0:
            self._arrived()
            return
        before = self._session.trainer.step_count
        if not self._session.train_for(self.slice_ms / 1000.0, max_steps=due):
            return                       # finished or diverged: the session has stopped us
        if self._arrived():
            return
        n = self._session.trainer.step_count - before
        self._pace_clock = (since, done + n) if n >= due else (time.perf_counter(), 0)
        now = time.perf_counter()
        gap = min(max(self.redraw_ms / 1000.0, 2.0 * self._frame_s), 4.0 * self.max_redraw_ms / 1000.0)
        if now - self._last_redraw >= gap:
            self._last_redraw = now
            self._session.publish_training()
            self._frame_start = time.perf_counter()

    def _on_timer_timeout(self) -> None:
        if self.pace > PACE_FULL:
            self._on_paced_tick()
            return
        t0 = time.perf_counter()
        if self._tick_end is not None:
            self._other_s += t0 - self._tick_end
        budget = self.slice_ms / 1000.0
        redraw = self._redraw_due(t0 + budget, self._trained_s + budget)
        if redraw:                       # the slice and the redraw's handlers together take about one slice
            budget = max(budget - self._handlers_s, budget / 4)
        left = self._left()
        trained = self._session.train_for(budget) if left is None else self._session.train_for(budget, max_steps=left)
        if not trained or self._arrived():
            return                       # finished, diverged or arrived: the session has stopped us
        t1 = time.perf_counter()
        self._trained_s += t1 - t0
        if redraw:
            self._last_redraw = t1
            self._session.publish_training()
            t2 = time.perf_counter()
            self._handlers_s = 0.7 * self._handlers_s + 0.3 * (t2 - t1)
            self._trained_s, self._other_s = 0.0, t2 - t1    # the handlers count against the next redraw
            t1 = t2
        self._tick_end = t1
