"""gui.collector: Python's full garbage collections run between keys, not inside them (issue 12's
step latency: a full collection of the running app took 45-94 ms and now and then landed in a key)."""
import gc

import pytest

from gui.collector import NEVER, OVERDUE, QUIET_MS, Collector
from gui.session import Session

pytestmark = pytest.mark.skipif(gc.get_threshold()[2] == 0, reason="an incremental collector: left alone")


@pytest.fixture
def paced(qtbot):
    """A started Collector on a mazur session, once it has frozen what was alive; stopped after."""
    session = Session("mazur")
    collector = Collector(session)
    before = gc.get_threshold()
    collector.start(settle_ms=0)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5000)
    yield session, collector
    collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


class _FullRuns:
    """Counts the full (generation 2) collections Python runs, while alive."""

    def __init__(self):
        self.count = 0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase, info) -> None:
        if phase == "stop" and info["generation"] == 2:
            self.count += 1

    def close(self) -> None:
        gc.callbacks.remove(self._on_gc)


def test_python_starts_no_full_collection_while_paced(paced):
    """Objects surviving the younger collections pile up past the count at which Python would
    have started a full collection, and none starts."""
    session, collector = paced
    assert gc.get_threshold()[2] == NEVER
    runs = _FullRuns()
    kept = []
    try:
        while gc.get_count()[2] <= 3 * collector._thresholds[2]:
            kept.append([[] for _ in range(50)])       # containers that survive: younger collections run
        assert runs.count == 0
    finally:
        runs.close()
    assert collector.due() >= 3


def test_a_due_full_collection_waits_for_a_quiet_moment(paced):
    session, collector = paced
    runs = _FullRuns()
    try:
        for _ in range(collector._thresholds[2]):
            gc.collect(1)                              # each counts towards the next full one
        assert collector.due() == 1
        session.next_step()                            # a key: not now
        changed = collector._last_change
        assert not collector.collect_if_due(now=changed + QUIET_MS / 2000)
        assert runs.count == 0
        # quiet: it runs (a millisecond past the bound: (t + 0.15) − t is under 0.15 for some clock readings t)
        assert collector.collect_if_due(now=changed + QUIET_MS / 1000 + 0.001)
        assert runs.count == 1 and collector.due() == 0 and collector.full_runs == 1
    finally:
        runs.close()


def test_an_overdue_full_collection_runs_even_between_quick_keys(paced):
    session, collector = paced
    for _ in range(OVERDUE * collector._thresholds[2]):
        gc.collect(1)
    session.next_step()
    assert collector.collect_if_due(now=collector._last_change)
    assert collector.due() == 0


def test_the_timer_runs_a_due_collection_in_idle_time(qtbot, paced):
    session, collector = paced
    for _ in range(collector._thresholds[2]):
        gc.collect(1)
    qtbot.waitUntil(lambda: collector.full_runs == 1, timeout=3000)
    assert collector.due() == 0
