"""The pace control, both directions: the slider sets the view setting pace, and a pace set
elsewhere (a loaded session, the prefs) moves the slider and its label."""
from gui.view_settings import PACE_FULL, PACE_STEPS
from gui.widgets.pace_control import PaceControl, pace_to_tick, tick_to_pace

def test_pace_slider_drives_the_session_and_follows_it(qtbot, session):
    """Widget → session: the slider sets the view setting pace; session → widget: a pace set
    elsewhere (a loaded session, the prefs) moves the slider and its label."""
    bar = PaceControl(session)
    qtbot.addWidget(bar)
    assert session.settings.pace == PACE_FULL and bar.pace.value() == bar.pace.maximum()
    assert bar.pace_label.text() == "pace: max"
    assert [tick_to_pace(pace_to_tick(p)) for p in PACE_STEPS] == list(PACE_STEPS)
    bar.pace.setValue(pace_to_tick(10.0))
    assert session.settings.pace == 10.0 and bar.pace_label.text() == "pace: 10/s"
    bar.pace.setValue(bar.pace.minimum())
    assert session.settings.pace == 1.0 and bar.pace_label.text() == "pace: 1/s"
    session.settings.pace = 50.0
    assert bar.pace.value() == pace_to_tick(50.0) and bar.pace_label.text() == "pace: 50/s"
    session.settings.pace = 30.0                       # between the slider's stops: the nearest
    assert tick_to_pace(bar.pace.value()) in (20.0, 50.0) and bar.pace_label.text() == "pace: 30/s"
    session.settings.pace = PACE_FULL
    assert bar.pace.value() == bar.pace.maximum() and bar.pace_label.text() == "pace: max"
