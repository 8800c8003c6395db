"""The player drives live training through the session's public methods: slices of about slice_ms,
a redraw (publish_training) when due, and nothing more once the session says training ended."""
from gui.player import Player


class FakeSession:
    """Trains for ``ticks`` slices, then ends training as Session.train_for does (stops the player)."""

    def __init__(self, ticks: int):
        self.ticks, self.slices, self.published = ticks, [], 0
        self.player = Player(self)

    def train_for(self, seconds: float) -> bool:
        self.slices.append(seconds)
        if len(self.slices) >= self.ticks:
            self.player.stop()
            return False
        return True

    def publish_training(self) -> None:
        self.published += 1


def test_every_slice_redraws_when_redraw_ms_is_zero(qtbot):
    fake = FakeSession(ticks=6)
    fake.player.redraw_ms = 0.0
    fake.player.start(step_count=0)
    assert fake.player.playing
    qtbot.waitUntil(lambda: not fake.player.playing, timeout=5000)
    assert len(fake.slices) == 6
    assert fake.published == 5                       # not after the slice that ended training
    assert all(0 < s <= fake.player.slice_ms / 1000 for s in fake.slices)


def test_redraws_are_paced(qtbot):
    fake = FakeSession(ticks=40)
    fake.player.redraw_ms, fake.player.max_redraw_ms = 1e12, 1e12    # never due: training only
    fake.player.start(step_count=0)
    qtbot.waitUntil(lambda: not fake.player.playing, timeout=10000)
    assert fake.published == 0 and all(s == fake.player.slice_ms / 1000 for s in fake.slices)


def test_steps_per_second_counts_from_start(qtbot):
    player = Player(FakeSession(ticks=1))
    player.start(step_count=100)
    player.stop()
    assert player.steps_per_second(100) == 0.0 and player.steps_per_second(150) > 0


class PacedSession(FakeSession):
    """Counts the updates asked for, as Session.train_for does with max_steps."""

    def __init__(self):
        super().__init__(ticks=10 ** 9)
        self.trainer = type("Trainer", (), {"step_count": 0})()
        self.asked = []

    def train_for(self, seconds: float, max_steps: int | None = None) -> bool:
        assert max_steps is not None                 # a paced player always says how many are due
        self.asked.append(max_steps)
        self.trainer.step_count += max_steps
        return True


def test_paced_player_trains_the_steps_due_and_no_more(qtbot):
    import time
    fake = PacedSession()
    fake.player.set_pace(50.0)
    t0 = time.perf_counter()
    fake.player.start(step_count=0)
    qtbot.wait(600)
    elapsed = time.perf_counter() - t0
    steps = fake.trainer.step_count
    assert 5 <= steps <= 50.0 * elapsed + 1                        # at the pace, never ahead of it
    assert max(fake.asked) <= 50.0 * 0.3 + 1                       # no burst to catch up
    assert fake.published >= 1                                     # and it redraws while it goes
    fake.player.set_pace(1.0)                                      # a change applies while playing
    assert fake.player._timer.interval() == 20                     # (no need to tick every millisecond)
    fake.player.set_pace(0.0)                                      # as fast as possible: 1 ms slices again
    assert fake.player._timer.interval() == 1
    fake.player.stop()


def test_play_until_stops_at_exactly_that_many_updates_at_any_pace(qtbot, session):
    """``Session.play(until=N)`` (a lesson slide's training): never a step past N, unpaced or paced,
    and the session stops playing there; ``until`` at or below the count does not start at all."""
    from gui.view_settings import PACE_FULL
    for pace, until in ((PACE_FULL, 40), (500.0, 52)):
        session.settings.pace = pace
        stops = []
        session.training_state_changed.connect(stops.append)
        session.play(until=until)
        assert session.playing
        qtbot.waitUntil(lambda: not session.playing, timeout=20000)
        session.training_state_changed.disconnect(stops.append)
        assert session.trainer.step_count == until and stops == [True, False]
        assert session.player.until is None
    session.play(until=10)
    assert not session.playing and session.trainer.step_count == 52
