"""The graph's colour legend: a signed bar's two ends are the same magnitude, so they are printed
with the same figures (the minus sign is not counted against the room the number has)."""
import pytest
from PySide6 import QtCore

from gui.numbers import format_number
from gui.session import Session
from helpers import shown_graph


@pytest.mark.parametrize("preset, k", [("mazur", 9), ("mazur", 12), ("diagram", 9)])
def test_a_signed_bar_prints_both_ends_with_the_same_figures(qtbot, preset, k):
    session = Session(preset)
    graph = shown_graph(qtbot, session, 800, 520)
    session.seek(k)                                   # backward (δ) and update micro-steps
    graph.grab()
    levels = [t.text for t in graph.texts if t.kind == "legend" and t.text[:1] in "-0123456789" and t.text != "0"]
    negative = [t for t in levels if t.startswith("-")]
    assert negative, f"no signed colour bar drawn: {levels}"
    for lo in negative:
        assert lo[1:] in levels, f"{lo} has no matching upper level among {levels}"
        assert len(lo[1:].lstrip("0.").replace(".", "")) == len(format_number(float(lo[1:])).lstrip("0.").replace(".", ""))


def _levels_under(graph) -> list[tuple[str, QtCore.QRectF, list]]:
    """(title, bar, [level texts drawn under the bar, left to right]) of every colour bar drawn."""
    legend_texts = [t for t in graph.texts if t.kind == "legend"]
    out = []
    for what, bar in graph.shapes:
        if what != "colour bar":
            continue
        title = next(t.text for t in legend_texts if t.rect.bottom() <= bar.top() + 0.5 < t.rect.bottom() + 30
                     and abs(t.rect.left() - bar.left()) < 0.5 and abs(t.rect.width() - bar.width()) < 0.5)
        under = [t for t in legend_texts if bar.bottom() <= t.rect.top() < bar.bottom() + 30
                 and bar.left() - 0.5 <= t.ink().left() and t.ink().right() <= bar.right() + 0.5]
        out.append((title, bar, sorted(under, key=lambda t: t.ink().left())))
    return out


def _bar_levels(values, title: str) -> tuple:
    if title.startswith("edges:"):
        return values.edge_levels
    if title.startswith(("Σ nodes:", "neurons: z")):
        return values.sum_levels
    return values.node_levels


def check_bar_ends(graph, where: str) -> int:
    """Every colour bar drawn is labelled at both ends (its low level at its left edge, its high level
    at its right edge, to the View's figures, a signed bar's two ends with the same figures), with
    "0" between them only as well as both ends, or not labelled at all: never one end alone.
    Returns how many bars carry their two ends."""
    labelled = 0
    for title, bar, under in _levels_under(graph):
        texts = [t.text for t in under]
        if not texts:
            continue
        ends = [t for t in under if t.text != "0" or t.align & QtCore.Qt.AlignmentFlag.AlignCenter != QtCore.Qt.AlignmentFlag.AlignCenter]
        assert len(ends) == 2, f"{where}: the bar {title!r} labelled {texts}: one end alone"
        lo, hi = _bar_levels(graph.values, title)
        left, right = ends
        assert abs(left.ink().left() - bar.left()) < 2 and abs(right.ink().right() - bar.right()) < 2, \
            f"{where}: {title!r}: {texts} not at the bar's ends"
        for t, v in ((left, lo), (right, hi)):
            assert float(t.text) == pytest.approx(v, rel=1e-3, abs=1e-12), f"{where}: {title!r} end {t.text} for {v}"
        if lo == -hi:                                       # a symmetric (signed) bar
            assert left.text == "-" + right.text, f"{where}: {title!r}: ends {left.text} and {right.text}"
        assert left.font.pointSizeF() == right.font.pointSizeF(), f"{where}: {title!r}: ends in two sizes"
        labelled += 1
    return labelled


LEGEND_PRESETS = ("mazur", "diagram", "iris")     # ∂C/∂w of 4 decimals; 3 bars, a sequential one; 24 edges


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
def test_the_lecture_layouts_colour_bars_label_both_ends_or_neither(qtbot, screen_name):
    """In the Lecture layout of a 1024×768 and a 1280×720 screen, zoom −2 … +3, at a forward and the
    last backward micro-step, every colour bar under the graph is labelled at both ends with the same
    figures (check_bar_ends), nothing drawn over anything (collisions.py).  Before: mazur at
    1024×768 zoom +3, backward, printed "0  0.08267" under "edges: ∂C/∂w" (its "-0.08267" did not
    fit its 42 % of the bar at the readable size and was left out alone)."""
    from PySide6 import QtWidgets

    from collisions import collisions
    from gui.shell.presentation import ZOOM_STEP
    from helpers import window_on_screen
    window, session = window_on_screen(qtbot, screen_name)
    assert session.settings.layout == "lecture"
    graph, unlabelled = window.graph, []
    for preset in LEGEND_PRESETS:
        session.load_preset(preset)
        steps = session.stepper.steps
        samples = (next(s.index for s in steps if s.phase == "forward"), max(s.index for s in steps if s.phase == "backward"))
        for zoom in range(-2, 4):
            session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
            for _ in range(3):
                QtWidgets.QApplication.processEvents()
            for index in samples:
                session.seek(index)
                graph.grab()
                where = f"{screen_name} {preset} zoom {zoom:+d} {graph.width()}×{graph.height()} micro-step {index + 1}"
                bars = sum(what == "colour bar" for what, _ in graph.shapes)
                if check_bar_ends(graph, where) < bars:
                    unlabelled.append(where)
                assert not collisions(graph), (where, collisions(graph)[:4])
    assert not unlabelled, f"colour bars without their levels: {unlabelled}"
