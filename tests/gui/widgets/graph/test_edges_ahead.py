"""The graph draws the edges of the neighbouring micro-steps ahead, in idle time after a step
(gui/widgets/graph/view.py: _on_ahead_timeout, paint.prepare_edges): the key that goes there only
blits them (a digits network's edges took 10–20 ms to draw on the keys where their values change:
into the backward pass, each ∂C/∂W, back again), and what it shows is what drawing them at the key
shows, pixel for pixel."""
import numpy as np
from PySide6 import QtGui

from gui.widgets.graph import paint
from gui.widgets.graph.view import AHEAD_MS
from helpers import shown_graph


def _array(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_ARGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())[
        :, : 4 * image.width()].reshape(image.height(), image.width(), 4).astype(int)


def test_a_key_finds_the_edges_drawn_ahead(qtbot, session):
    session.load_preset("digits")
    graph = shown_graph(qtbot, session, 800, 560)
    layer = graph.edge_layer
    last = session.stepper.last
    walk = [*range(1, last), *range(last - 2, -1, -1)]     # forward to the update's step before, and back
    changed = 0
    for k in walk:
        qtbot.wait(3 * AHEAD_MS)                    # idle time after the last key
        before = graph.edge_layer.drawn
        old = paint.edges_key(graph)
        session.seek(k)
        kept = _array(graph.grab().toImage())
        changed += paint.edges_key(graph) != old
        assert layer.drawn == before, (k + 1, "edges drawn on the key")
        layer.clear()                               # the same edges drawn at the key instead
        assert np.array_equal(kept, _array(graph.grab().toImage())), k + 1
    assert changed >= 6                             # the walk did go where the edges change
