"""The magenta marks of saturated neurons (σ′(z) < 0.01, gui/widgets/graph/paint.py): a ring round
each, as large as the rows leave room for, or a tick beside it where no ring fits between them."""
import numpy as np
import pytest
from PySide6 import QtGui

from gui.widgets.graph.paint import SATURATION_COLOR
from helpers import shown_graph


def _magenta(image, x0: float, x1: float, y: float) -> bool:
    """Is there a pixel of SATURATION_COLOR's hue (antialiased too) on row ``y`` between x0 and x1?"""
    want = QtGui.QColor(SATURATION_COLOR).hsvHueF() * 360
    for x in range(int(x0), int(x1) + 1):
        c = QtGui.QColor(image.pixel(x, int(round(y))))
        if abs(c.hsvHueF() * 360 - want) < 12 and c.hsvSaturationF() > 0.35:
            return True
    return False


@pytest.mark.parametrize("size, zoom", [((655, 500), 3), ((900, 560), 3), ((700, 600), 2)])
def test_saturation_rings_of_neighbours_never_meet(qtbot, session, size, zoom):
    """Finding #55: digits at the update, 1024×768 zoom +3: the 32 relu neurons' rings overlapped
    into one solid magenta chain.  Between two saturated neighbours of a column (drawn as circles
    or pills, not a strip), the row halfway between them carries no magenta pixel across the
    nodes' width and the rings' (the marks of the two are apart); and a saturated neuron is still
    marked (magenta within its ring's reach or on its tick)."""
    from gui.shell.presentation import ZOOM_STEP
    session.load_preset("digits")
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    graph = shown_graph(qtbot, session, *size)
    graph.set_show_saturation(True)
    session.seek(len(session.stepper.steps) - 1)
    image = graph.grab().toImage()
    lay, s, pairs = graph.graph_layout, graph.scale, 0
    for k in range(lay.L + 1):
        sat = graph.values.saturated[k]
        if lay.strip[k] or sat is None or not np.any(sat):
            continue
        x, ys, reach = lay.out_x[k], lay.ys[k], lay.half_w[k] + 8 * s
        for j in np.flatnonzero(sat):
            y = float(ys[j])
            assert any(_magenta(image, x - reach, x + reach + 12 * s, y + dy) for dy in np.linspace(-lay.radius[k] - 8 * s, lay.radius[k] + 8 * s, 15)), (k, j, "not marked")
            if j + 1 < len(ys) and sat[j + 1]:
                pairs += 1
                middle = (y + float(ys[j + 1])) / 2
                assert not _magenta(image, x - reach, x + reach, middle), (size, zoom, k, j, "marks meet")
    assert pairs > 0
