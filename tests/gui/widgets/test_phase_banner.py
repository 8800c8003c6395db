"""The phase banner follows the session: the micro-step, divergence, errors, training, zoom."""
import pytest
from PySide6 import QtGui

from gui.widgets.phase_banner import PhaseBanner
from helpers import diverge


def test_banner_names_the_micro_step(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    assert banner.text() == session.view.step.banner == "Input: a⁰ = x"
    session.settings.convention = "row"
    for _ in range(9):
        session.next_step()
        assert banner.text() == session.view.step.banner
    assert "δ¹ = δ² · W² · diag σ′(z¹)" in banner.text()
    assert banner._counter.text() == f"micro-step 10 / {session.stepper.last + 1} · row vectors"
    assert banner._loss.text() == "loss C = 0.2984"              # 4 significant figures by default
    session.settings.sig_figs = 6
    assert banner._loss.text() == "loss C = 0.298371"            # Mazur's published value
    session.first_step()
    assert banner._loss.text() == ""


def test_banner_turns_red_on_divergence_until_reset(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    diverge(session)
    assert session.divergence in banner.text() and "smaller" in banner.text()
    assert banner.property("diverged") is True
    session.reset()
    assert banner.text() == session.view.step.banner and banner.property("diverged") is False


def test_banner_shows_errors_briefly(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    assert banner.error_text() == ""
    session.set_example(99)
    assert "example index must be in" in banner.error_text()
    banner._error_timer.timeout.emit()
    assert banner.error_text() == ""


def test_an_error_keeps_the_stage_two_lines_at_the_panels_size_whole_in_its_tooltip(qtbot, session):
    """A long error at 1024 px, zoom +3 (a file that could not be opened, its path in the message):
    the amber strip at the panels' text size, at most two lines (it took three lines of the banner's
    larger type, 165 px), the second elided; the whole message in its tooltip and in error_text()."""
    from gui.theme import panel_point_size
    from gui.widgets.phase_banner import ERROR_LINES
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    banner.resize(1024, 200)
    banner.show()
    session.settings.font_scale = 1.52
    message = ("Could not open /home/lecturer/courses/backprop/week-3/worked-examples/mazur-with-notes.bplens: "
               "not a Backprop Lens session file (another kind of file, or truncated)")
    session.error.emit(message)
    strip = banner._error
    assert strip.font().pointSizeF() == pytest.approx(panel_point_size(1.52))
    lines = strip.text().split("\n")
    fm = QtGui.QFontMetricsF(strip.font())
    assert len(lines) == ERROR_LINES and lines[-1].endswith("…"), lines
    assert all(fm.horizontalAdvance(line) <= strip.contentsRect().width() + 1 for line in lines), \
        [(fm.horizontalAdvance(line), strip.contentsRect().width()) for line in lines]
    assert strip.sizeHint().height() <= ERROR_LINES * fm.lineSpacing() + 20, strip.sizeHint()
    assert message in banner.error_text() and message in strip.toolTip()
    session.error.emit("Short.")                     # one line, whole
    assert strip.text() == "⚠  Short." and banner.error_text() == "⚠  Short."


def test_banner_font_follows_font_scale(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    banner.resize(1800, 120)               # room for the title at full size, zoomed too
    banner.show()
    assert banner._title.font().pointSizeF() >= 18
    session.settings.font_scale = 2.0
    assert banner._title.font().pointSizeF() >= 40


def test_banner_while_training(qtbot, session):
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    session.load_preset("xor")
    session.play()
    assert banner.text().startswith("Training")
    qtbot.waitUntil(lambda: banner._counter.text().startswith("update "), timeout=5000)
    assert banner._counter.text().endswith(f" of {session.config.epochs:,}")     # how far to the configured epochs
    session.stop()              # the trained network's forward pass on the current example: the loss micro-step
    k = session.stepper.index
    assert session.view.step.phase == "loss"
    assert banner.text() == session.view.step.banner and banner._counter.text().startswith(f"micro-step {k + 1} /")


@pytest.mark.parametrize("width, zoom", [(1020, 3), (1276, 3), (1020, 0)])
def test_banner_fits_its_title_while_training_and_diverged(qtbot, session, width, zoom):
    """While training and after a divergence the title is prose, not an equation: at zoom +3 it is
    broken between words when it does not fit at the floor ("Training: … every mini-bat" was cut)."""
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    banner.resize(width, 200)
    banner.show()
    session.settings.font_scale = round(1.15 ** zoom, 4)
    session.load_preset("xor")

    def check(what):
        title = banner._title
        fm = QtGui.QFontMetricsF(title.font())
        for line in title.text().split("\n"):
            assert fm.horizontalAdvance(line) <= title.width() + 1, f"{what}: {line!r} wider than {title.width()} px"
        assert fm.lineSpacing() * len(title.text().split("\n")) <= title.height() + 2, what

    session.play()
    assert banner.text().startswith("Training")
    check("training")
    session.stop()
    diverge(session)
    check("diverged")


def test_banner_follows_the_layout_convention(session, qtbot):
    from gui.widgets.phase_banner import PhaseBanner
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    session.seek(9)
    assert banner.text() == "Backward, layer 1: δ¹ = (W²)ᵀ δ² ⊙ σ′(z¹)"
    session.settings.convention = "row"
    assert banner.text() == "Backward, layer 1: δ¹ = δ² · W² · diag σ′(z¹)"


@pytest.mark.parametrize("preset", ["mazur", "diagram", "digits"])
@pytest.mark.parametrize("width, zoom", [(1276, 0), (1020, 0), (1276, 3), (1020, 3)])
def test_banner_keeps_its_height_from_step_to_step(qtbot, session, preset, width, zoom):
    """Walking the micro-steps never changes the banner's height (nor the counter's size) while the
    title keeps its number of lines: at 1020 px the counter shrank half a point at "micro-step
    10 / 13", the banner lost a pixel, and the whole window was laid out and painted a second time
    on that key.  At zoom 0 every title of these presets takes one line, so the height never
    changes.  The title and the counter still fit their rectangles at every step."""
    from gui.shell.presentation import ZOOM_STEP
    banner = PhaseBanner(session)
    qtbot.addWidget(banner)
    session.load_preset(preset)
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    banner.resize(1600, 300)           # shown wider first: a label's size hint kept from a larger font
    banner.show()
    banner.resize(width, 300)
    for convention in ("column", "row"):
        session.settings.convention = convention
        heights, sizes = {}, set()
        for k in range(session.stepper.last + 1):
            session.seek(k)
            title = banner._title
            heights.setdefault(title.text().count("\n") + 1, set()).add(banner._texts.sizeHint().height())
            sizes.add((banner._counter.font().pointSizeF(), banner._loss.font().pointSizeF()))
            metrics = QtGui.QFontMetrics(title.font())
            assert max(metrics.horizontalAdvance(t) for t in title.text().split("\n")) <= title.width()
            assert title.sizeHint().height() <= title.height()
            for label in (banner._counter, banner._loss):
                assert QtGui.QFontMetrics(label.font()).horizontalAdvance(label.text()) <= label.width()
                assert label.sizeHint().height() <= label.height() or not label.text()
        assert all(len(h) == 1 for h in heights.values()), (convention, heights)
        assert zoom or len(set().union(*heights.values())) == 1, (convention, heights)
        assert len(sizes) == 1, (convention, sizes)
