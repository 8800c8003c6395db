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
