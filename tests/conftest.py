"""Test configuration: headless Qt and throwaway settings, set before anything imports Qt."""
import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bplens-config-")
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
