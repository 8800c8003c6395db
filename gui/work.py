"""Long work, a part the session holds: building a big run, opening a big session file, training to
a step count.  The window keeps repainting, progress is published, and Cancel stops the work with
the last good state kept (the session installs nothing half-built, and rolls training back).

Two ways, both called synchronously by the session (its methods keep returning when the work is
done, so every caller stays as it is):

- ``in_thread(title, fn)`` runs ``fn(report)`` in a Python thread while the GUI thread waits in an
  event loop.  ``fn`` must be pure computation (NumPy and the engine): it never touches a Qt object
  and never emits a signal — it only calls ``report(text, done, total)`` (the fraction done, in
  any units), which records plain values (the GUI thread publishes them) and raises WorkCancelled
  once Cancel was pressed.  The garbage collector is paused while the thread runs: a collection
  in that thread could destroy Qt objects left in reference cycles there, which aborts the
  process; it resumes on the GUI thread.
- ``in_chunks(title, total, chunk)`` calls ``chunk(budget_s, max_units)`` on the GUI thread, each
  call doing a slice of the work (at most ``slice_s`` seconds, at most ``max_units`` units when set)
  and returning how many units are done in all; between two calls the event loop runs.  Work that
  ends within its first slice shows nothing and yields nothing.
- ``ticker(title)`` is the same for a loop inside the engine that calls ``tick(done, total)``
  after each unit (a rewind's replay).

``started`` (a WorkState), ``progressed`` (the same WorkState, updated) and ``finished`` are for a
progress widget; ``cancel()`` is its Cancel button.  One piece of work at a time: ``busy`` says
whether one is under way, and the session refuses to start another meanwhile.
"""
from __future__ import annotations

import gc
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6 import QtCore


class WorkCancelled(Exception):
    """The user pressed Cancel; the work stopped and left nothing half-done behind."""


@dataclass
class WorkState:
    """What a progress widget shows: ``title``, the current ``text``, ``done`` of ``total`` units
    (``total`` 0: unknown), and whether Cancel was pressed."""
    title: str
    text: str = ""
    done: int = 0
    total: int = 0
    cancelled: bool = False


class Work(QtCore.QObject):
    started = QtCore.Signal(object)        # WorkState
    progressed = QtCore.Signal(object)     # WorkState
    finished = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slice_s = 0.03                # GUI-thread work between two turns of the event loop
        self.max_units: int | None = None  # and at most this many units a slice (tests set it)
        self.yield_ms = 50                 # and at most this long for the event loop in between
        self.poll_ms = 20                  # how often the GUI thread publishes a thread's progress
        self.state: WorkState | None = None

    @property
    def busy(self) -> bool:
        return self.state is not None

    def cancel(self) -> None:
        """Stop the work under way at its next check (a unit of work, or a stage of a thread)."""
        if self.state is not None and not self.state.cancelled:
            self.state.cancelled = True
            self.progressed.emit(self.state)

    # -- a thread for one long computation ---------------------------------------------------------
    def in_thread(self, title: str, fn):
        """``fn(report)``'s result, computed in a thread while the event loop runs; fn's exception
        re-raised here; WorkCancelled if Cancel was pressed before it finished."""
        state = self._begin(title)
        box: dict = {}

        def report(text: str, done: int = 0, total: int = 0) -> None:     # worker thread: plain values only
            # done of total in the work's own units (bytes, data values), shown in thousandths:
            # a progress bar counts in C ints; total 0 keeps the bar busy
            state.done, state.total = (min(1000, 1000 * done // total), 1000) if total > 0 else (0, 0)
            state.text = f"{text}: {state.done // 10} %" if total > 0 else text
            if state.cancelled:
                raise WorkCancelled

        def target() -> None:
            try:
                box["result"] = fn(report)
            except BaseException as e:     # handed to the GUI thread
                box["error"] = e

        collecting = gc.isenabled()
        gc.disable()
        worker = threading.Thread(target=target, name="backprop-lens-work", daemon=True)
        try:
            worker.start()
            loop, timer = QtCore.QEventLoop(), QtCore.QTimer()
            timer.setInterval(self.poll_ms)
            timer.timeout.connect(lambda: self.progressed.emit(state) if worker.is_alive() else loop.quit())
            timer.start()
            if worker.is_alive():
                loop.exec()
            timer.stop()
            worker.join()
        finally:
            if collecting:
                gc.enable()
            self._end()
        if "error" in box:
            raise box["error"]
        if state.cancelled:                # pressed after the last check: the result is dropped
            raise WorkCancelled
        return box["result"]

    # -- slices on the GUI thread ------------------------------------------------------------------
    def in_chunks(self, title: str, total: int, chunk) -> None:
        """Call ``chunk(budget_s, max_units) -> units done in all`` until ``total`` are done, the event
        loop running between calls (from the second on); WorkCancelled if Cancel was pressed.  An
        exception of ``chunk`` ends the work and propagates."""
        done = chunk(self.slice_s, self.max_units)
        if done >= total:
            return
        state = self._begin(title, total)
        try:
            while done < total:
                state.done, state.text = done, f"{done:,} of {total:,}"
                self.progressed.emit(state)
                QtCore.QCoreApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, self.yield_ms)
                if state.cancelled:
                    raise WorkCancelled
                done = chunk(self.slice_s, self.max_units)
        finally:
            self._end()

    @contextmanager
    def ticker(self, title: str):
        """A ``tick(done, total)`` for a long loop of the engine running on the GUI thread (it calls
        it after each unit): every ``slice_s`` seconds (or ``max_units`` ticks) progress is
        published and the event loop runs; WorkCancelled once Cancel was pressed.  Nothing is
        shown for a loop that ends within its first slice."""
        state, since, units = None, time.perf_counter(), 0

        def tick(done: int, total: int) -> None:
            nonlocal state, since, units
            units += 1
            if time.perf_counter() - since < self.slice_s and (self.max_units is None or units < self.max_units):
                return
            if state is None:
                state = self._begin(title, total)
            state.done, state.total, state.text = done, total, f"{done:,} of {total:,}"
            self.progressed.emit(state)
            QtCore.QCoreApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, self.yield_ms)
            if state.cancelled:
                raise WorkCancelled
            since, units = time.perf_counter(), 0

        try:
            yield tick
        finally:
            if state is not None:
                self._end()

    # -- bookkeeping ------------------------------------------------------------------------------
    def _begin(self, title: str, total: int = 0) -> WorkState:
        if self.state is not None:
            raise RuntimeError(f"{self.state.title} is still under way")
        self.state = WorkState(title, total=total)
        self.started.emit(self.state)
        return self.state

    def _end(self) -> None:
        self.state = None
        self.finished.emit()


def slice_loop(step, remaining, budget_s: float, max_units: int | None) -> int:
    """Call ``step()`` at least once and while ``remaining()`` is positive, for at most ``budget_s``
    seconds and ``max_units`` calls; the number of calls (a chunk of ``Work.in_chunks``)."""
    t0, n = time.perf_counter(), 0
    while remaining() > 0:
        step()
        n += 1
        if time.perf_counter() - t0 >= budget_s or (max_units is not None and n >= max_units):
            break
    return n
