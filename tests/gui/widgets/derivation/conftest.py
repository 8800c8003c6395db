"""The derivation panel's tests open main windows at zoom +3: a zoom sets the application's font
(gui/shell/presentation.py), which outlived the window, so that later tests laid out at the zoomed
size (tests/gui/widgets/test_predict_panel.py's wide entry at zoom 0 scrolled 100 px sideways
after them)."""
import pytest
from PySide6 import QtGui, QtWidgets


@pytest.fixture(autouse=True)
def application_font_kept(qapp):
    font = QtGui.QFont(QtWidgets.QApplication.font())
    yield
    if QtWidgets.QApplication.font() != font:
        QtWidgets.QApplication.setFont(font)
