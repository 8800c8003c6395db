"""Python's cyclic garbage collector, kept out of a micro-step key's way.

Python starts a full collection (generation 2) on its own whenever enough objects have survived the
younger ones, and a full collection walks every object the process keeps: about 90,000 once the
window is up, 45 ms on the development machine (94 ms once in a step-latency run).  Landing inside
a key now and then, it was the step-latency benchmark's one miss per quiet run, at a key that changed
from run to run.  So, once started (``Collector.start``):

- when the window has settled after start-up (``SETTLE_MS``), everything alive then (modules, the
  window's widgets, pyqtgraph's items, the first run) is collected once and frozen (``gc.freeze``):
  no later collection walks it again;
- Python's own full collections are off (the third threshold raised); one runs instead from a timer,
  between events, once as many younger collections have piled up as would have started one, when no
  micro-step or run change came in the last ``QUIET_MS`` and training is not playing; or regardless,
  once ``OVERDUE`` times as many have piled up (minutes of training), so garbage in cycles never
  piles up without bound (with Python's generational collector; the incremental one of later
  Pythons bounds its own pauses).  ``stop`` restores Python's thresholds and unfreezes.

The younger generations' collections still run on their own, inside keys too: they walk only the
objects made since the last one (a fraction of a millisecond).  Objects frozen at start-up that later
become garbage in a cycle are never collected: the first run's, once, which is little.
"""
from __future__ import annotations

import gc
import time

from PySide6 import QtCore

SETTLE_MS = 2500        # after start: the window shown and painted, the typesetting process started (mathview: 1 s)
CHECK_MS = 250          # how often the timer looks whether a full collection is due
QUIET_MS = 150          # no micro-step or run change for this long: the last key's idle-time work has begun
OVERDUE = 10            # … or this many times the younger collections that make one due: it runs anyway
NEVER = 1 << 30         # a third threshold Python never reaches


class Collector(QtCore.QObject):
    """Paces the full collections of the process for the window of ``session`` (its ``step_changed``,
    ``run_changed`` and ``playing``)."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.full_runs = 0                      # full collections this object ran
        self._thresholds: tuple[int, int, int] | None = None    # Python's, while started
        self._last_change = time.monotonic()
        self._settle = QtCore.QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)
        self._check = QtCore.QTimer(self, interval=CHECK_MS)
        self._check.timeout.connect(self._on_check_timeout)
        session.step_changed.connect(self._on_step_changed)
        session.run_changed.connect(self._on_run_changed)

    @property
    def started(self) -> bool:
        return self._thresholds is not None

    def start(self, settle_ms: int = SETTLE_MS) -> None:
        """Freeze what is alive once the window has settled (after ``settle_ms``), and from then on
        run the full collections between events."""
        if self.started:
            return
        self._thresholds = gc.get_threshold()
        self._settle.start(settle_ms)

    @property
    def paced(self) -> bool:
        """Whether this object runs the full collections: with Python's generational collector (its
        third threshold counts younger collections); the incremental one of later Pythons (whose
        third threshold is 0) bounds its own pauses and is left alone."""
        return self._thresholds is not None and self._thresholds[2] > 0

    def stop(self) -> None:
        """Python's own full collections again, and nothing frozen."""
        self._settle.stop()
        self._check.stop()
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
        gc.unfreeze()

    def due(self) -> int:
        """How many times over a full collection is due: the younger collections since the last one
        (``gc.get_count()[2]``) over the number at which Python would start one (0: not due)."""
        if not self.paced:
            return 0
        return gc.get_count()[2] // self._thresholds[2]

    def collect_if_due(self, now: float | None = None) -> bool:
        """Run a full collection if one is due and the window is quiet (or it is overdue); True if
        it ran."""
        due = self.due()
        if not due or not gc.isenabled():       # gui.work keeps the collector off while it works
            return False
        now = time.monotonic() if now is None else now
        quiet = now - self._last_change >= QUIET_MS / 1000 and not self.session.playing
        if not quiet and due < OVERDUE:
            return False
        gc.collect()
        self.full_runs += 1
        return True

    def _on_settle_timeout(self) -> None:
        gc.collect()
        gc.freeze()
        if self.paced:
            t0, t1, _ = self._thresholds
            gc.set_threshold(t0, t1, NEVER)
            self._check.start()

    def _on_check_timeout(self) -> None:
        self.collect_if_due()

    def _on_step_changed(self, _view) -> None:
        self._last_change = time.monotonic()

    def _on_run_changed(self) -> None:
        self._last_change = time.monotonic()
