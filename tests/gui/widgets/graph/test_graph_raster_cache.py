"""The graph's kept drawings (gui/widgets/graph/raster.py): the picture with them is the picture
drawn directly, the edges are drawn again exactly when they change, and vector exports never get
the kept raster pictures."""
import numpy as np
import pytest
from PySide6 import QtGui

from gui.widgets.graph import paint, raster
from helpers import shown_graph


def _array(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_ARGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())[
        :, : 4 * image.width()].reshape(image.height(), image.width(), 4).astype(int)


@pytest.fixture
def graph(qtbot, session):
    return shown_graph(qtbot, session, 700, 560)


def _direct_image(monkeypatch, graph) -> QtGui.QImage:
    """The graph drawn without kept pictures (as on a vector device)."""
    with monkeypatch.context() as m:
        m.setattr(raster, "device_ratio", lambda p: None)
        m.setattr(paint, "device_ratio", lambda p: None)
        return graph.grab().toImage()


def _direct(monkeypatch, graph) -> np.ndarray:
    return _array(_direct_image(monkeypatch, graph))


@pytest.mark.parametrize("preset, step", [("mazur", 9), ("mazur", 3), ("digits", 8)])
def test_kept_pictures_draw_what_direct_drawing_draws(monkeypatch, session, graph, preset, step):
    session.load_preset(preset)
    session.seek(step)
    kept = _array(graph.grab().toImage())
    again = _array(graph.grab().toImage())               # from the kept pictures now
    direct = _direct(monkeypatch, graph)
    assert np.array_equal(kept, again)
    diff = np.abs(kept - direct).max(axis=2)
    # outlines are stamped to 1/4 device pixel: antialiased edge pixels may differ a little, nothing else
    assert (diff > 48).mean() < 0.0005, (diff > 48).sum()
    assert diff.mean() < 0.3


def test_kept_edges_are_never_stale(monkeypatch, session, graph):
    """Every micro-step forward, back and after the update: what the kept pictures show is what
    direct drawing shows (a kept picture of other edge values would differ all along the edges)."""
    steps = list(range(session.stepper.last + 1))
    for k in steps + steps[::-1]:
        session.seek(k)
        kept, direct = _array(graph.grab().toImage()), _array(_direct_image(monkeypatch, graph))
        assert (np.abs(kept - direct).max(axis=2) > 48).mean() < 0.0005, k
    session.next_example()
    session.seek(3)
    kept, direct = _array(graph.grab().toImage()), _array(_direct_image(monkeypatch, graph))
    assert (np.abs(kept - direct).max(axis=2) > 48).mean() < 0.0005


def test_edges_are_drawn_again_exactly_when_they_change(session, graph):
    layer = graph.edge_layer
    session.seek(1)
    graph.grab()
    drawn = layer.drawn
    for k in (2, 3, 4):                       # the forward pass shows the same weights on the edges
        session.seek(k)
        graph.grab()
    assert layer.drawn == drawn
    session.seek(session.stepper.last - 3)    # the backward pass: ∂C/∂w, new values
    graph.grab()
    assert layer.drawn == drawn + 1
    session.settings.palette = "colorblind" if session.settings.palette != "colorblind" else "standard"
    graph.grab()
    assert layer.drawn == drawn + 2


def test_vector_exports_draw_the_edges_themselves(session, graph, tmp_path):
    from gui.shell.export import save_svg
    session.seek(9)
    graph.grab()
    drawn = graph.edge_layer.drawn
    save_svg(graph, tmp_path / "graph.svg")
    svg = (tmp_path / "graph.svg").read_bytes()
    assert graph.edge_layer.drawn == drawn
    assert b"data:image/png" not in svg and b"<image" not in svg          # no kept raster picture in it
    assert svg.count(b"<polyline") + svg.count(b"<path") + svg.count(b"<line") > 8     # edges as vectors
