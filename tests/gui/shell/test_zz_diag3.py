from PySide6 import QtWidgets, QtCore
from gui.lessons.builtin import builtin_path
from gui.shell.presentation import ZOOM_STEP
from helpers import window_on_screen

def test_diag(qtbot):
    window, session = window_on_screen(qtbot, "1024x768")
    try:
        session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
        window.lessons.open_path(builtin_path("mazur"), present=False)
        for n in (4, 5, 6, 7):
            window.lessons.player.go_to(n)
            for _ in range(6):
                QtWidgets.QApplication.processEvents()
            QtCore.QThread.msleep(200)
            for _ in range(6):
                QtWidgets.QApplication.processEvents()
            c = window.centralWidget()
            print(n + 1, {k: d.width() for k, d in window.docks.items() if d.isVisible()}, "central", c.width(), c.minimumSizeHint().width(),
                  "bar", window.lessons.bar.minimumSizeHint().width(), "graph", window.graph.minimumSizeHint().width(), window.graph.minimumWidth(),
                  "predict min", window.docks["predict"].minimumSizeHint().width(), window.docks["matrices"].minimumSizeHint().width())
    finally:
        session.stop(); window.close()
