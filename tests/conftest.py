"""Test configuration: headless Qt and throwaway settings, set before anything imports Qt."""
import json
import os
import sys
import tempfile
from pathlib import Path

# The offscreen platform with its usual 800×800 primary screen, and beside it the screens the app is
# designed for (a test moves a window onto one of them: tests/test_lecture_screen.py).
SCREENS = [("default", 800, 800), ("1024x768", 1024, 768), ("1280x720", 1280, 720), ("1920x1080", 1920, 1080),
           ("1280x1024", 1280, 1024)]
_x, _screens = 0, []
for _name, _w, _h in SCREENS:
    _screens.append({"name": _name, "x": _x, "y": 0, "width": _w, "height": _h,
                     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1})
    _x += _w
_config = Path(tempfile.mkdtemp(prefix="bplens-screens-")) / "screens.json"
_config.write_text(json.dumps({"screens": _screens}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplens-config-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bplens-data-")      # the log, never the user's
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="bplens-runtime-"))
os.chmod(os.environ["XDG_RUNTIME_DIR"], 0o700)
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402


@pytest.fixture
def session(qtbot):
    """A GUI session on the Mazur preset (pyqtgraph configured as the app does)."""
    from gui.session import Session
    from gui.theme import configure_pyqtgraph
    configure_pyqtgraph()
    s = Session("mazur")
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts from empty settings: a window closed in one test saves its layout and view
    settings (a zoomed font, say), which the next window would otherwise restore."""
    from gui.shell import prefs
    prefs.settings().clear()
    yield
    prefs.settings().clear()


@pytest.fixture(autouse=True)
def application_font_kept(qapp):
    """A zoomed main window sets the application's font (gui/shell/presentation.py), and that font
    outlives the window: later tests then laid out at the zoomed size (tests/gui/widgets/
    test_predict_panel.py's wide entry at zoom 0 scrolled 100 px sideways after the derivation
    tests, which zoom to +3). Every test puts the font back as it found it."""
    from PySide6 import QtGui, QtWidgets
    font = QtGui.QFont(QtWidgets.QApplication.font())
    yield
    if QtWidgets.QApplication.font() != font:
        QtWidgets.QApplication.setFont(font)
