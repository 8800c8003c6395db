"""The decision boundary's class colours read on both themes: a CSV with eight classes (no preset
has that many) draws each class's points in its own colour, every one at least 3:1 (WCAG contrast
for graphics) against the plot's background, light and dark — Okabe–Ito's black was 1.2:1 on the
dark theme's charcoal, its yellow 1.3:1 on white."""
import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.theme import CLASS_COLORS, THEMES, contrast_ratio
from gui.widgets.decision_boundary import DecisionBoundary
from gui.widgets.import_dialog import ImportCsvDialog

N_CLASSES = 8


def _wcag(a: str, b: str) -> float:
    """WCAG 2 contrast ratio computed here from the definition (sRGB → linear → luminance)."""
    def lum(h):
        c = np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
        c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(c @ [0.2126, 0.7152, 0.0722])
    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_class_colour_has_3_to_1_on_its_theme(theme):
    colours = CLASS_COLORS[theme]
    assert len(colours) == N_CLASSES and len(set(colours)) == N_CLASSES       # eight, all different
    for c in colours:
        ratio = _wcag(c, THEMES[theme].background)
        assert ratio == pytest.approx(contrast_ratio(QtGui.QColor(c), QtGui.QColor(THEMES[theme].background)))
        assert ratio >= 3.0, f"{theme}: class colour {c} is {ratio:.2f}:1 on {THEMES[theme].background}"


def _load_eight_classes(session, tmp_path, qtbot) -> None:
    rng = np.random.default_rng(8)
    rows = [f"{np.cos(k * np.pi / 4) + 0.2 * rng.standard_normal():.3f},"
            f"{np.sin(k * np.pi / 4) + 0.2 * rng.standard_normal():.3f},kind{k}\n" for _ in range(6) for k in range(N_CLASSES)]
    path = tmp_path / "eight.csv"
    path.write_text("x1,x2,kind\n" + "".join(rows))
    dialog = ImportCsvDialog(session, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading, timeout=10000)
    assert dialog.dataset is not None and dialog.dataset.n_outputs == N_CLASSES, dialog.status.text()
    dialog._on_accepted()
    assert session.run.train.Y.shape[1] == N_CLASSES


def test_the_boundary_draws_eight_classes_readably_on_both_themes(qtbot, session, tmp_path):
    session.settings.animate = False
    _load_eight_classes(session, tmp_path, qtbot)
    view = DecisionBoundary(session, resolution=30)
    qtbot.addWidget(view)
    view.resize(700, 420)
    view.show()
    qtbot.waitExposed(view)
    for theme in ("light", "dark"):
        session.settings.theme = theme
        QtWidgets.QApplication.processEvents()
        background = view._graphics.backgroundBrush().color().name()
        assert background == THEMES[theme].background
        fills = [s.opts["brush"].color().name() for s in view._scatters]
        assert len(fills) == N_CLASSES and len(set(fills)) == N_CLASSES, fills
        for k, fill in enumerate(fills):
            ratio = _wcag(fill, background)
            assert ratio >= 3.0, f"{theme}: class {k + 1} drawn in {fill}, {ratio:.2f}:1 on {background}"
