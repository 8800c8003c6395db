"""A command-line picture of a session file shows the file's view settings, whatever the user's
stored preferences say, and the run never writes those preferences."""
import numpy as np
from PIL import Image

from engine import get_preset
from engine.run import Run
from engine.session_file import save_session
from gui.cli.parse import build_parser
from helpers import cli

PREFERENCES = "[view]\ntheme=dark\nconvention=row\nfont_scale=1.5\nsig_figs=7\n"
SAVED = {"theme": "light", "convention": "column", "font_scale": 1.0, "sig_figs": 3}


def _config(tmp_path, monkeypatch):
    """A throwaway XDG_CONFIG_HOME whose preferences contradict the session file's view settings."""
    home = tmp_path / "config"
    conf = home / "BackpropLens" / "BackpropLens.conf"
    conf.parent.mkdir(parents=True)
    conf.write_text(PREFERENCES)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return conf


def test_a_snapshot_shows_the_files_view_settings_and_leaves_the_preferences_alone(tmp_path, monkeypatch):
    conf = _config(tmp_path, monkeypatch)
    path, out = tmp_path / "s.bplens", tmp_path / "shot.png"
    save_session(path, Run(get_preset("mazur")), view_settings=SAVED)
    before = conf.stat().st_mtime_ns
    r = cli("snapshot", "--session", str(path), "--size", "640x400", "--out", str(out))
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        grey = np.asarray(im.convert("L"), dtype=float)
    assert grey.mean() > 150, grey.mean()             # the file's light theme, not the preferences' dark one
    assert conf.read_text() == PREFERENCES and conf.stat().st_mtime_ns == before
    assert [p.name for p in conf.parent.iterdir()] == ["BackpropLens.conf"]

    r = cli("snapshot", "--preset", "mazur", "--size", "640x400", "--out", str(out))   # no file: the preferences
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert np.asarray(im.convert("L"), dtype=float).mean() < 110
    assert conf.read_text() == PREFERENCES and conf.stat().st_mtime_ns == before


def test_make_window_applies_the_files_settings_after_the_preferences(qtbot, tmp_path):
    from gui.cli import common
    from gui.shell import prefs
    user = prefs.settings()                            # the tests' own throwaway folder (tests/conftest.py)
    for line in PREFERENCES.splitlines()[1:]:
        key, value = line.split("=")
        user.setValue(f"view/{key}", value)
    user.sync()
    stored = {k: user.value(k) for k in user.allKeys()}
    path = tmp_path / "s.bplens"
    save_session(path, Run(get_preset("mazur")), view_settings={**SAVED, "layout": "training"})
    args = build_parser().parse_args(["snapshot", "--session", str(path), "--size", "1280x720", "--out", "unused.png"])
    app, session, window = common.make_window(args)
    qtbot.addWidget(window)
    try:
        got = {name: getattr(session.settings, name) for name in SAVED}
        assert got == SAVED and session.settings.layout == "training"
    finally:
        session.stop()
        window.close()
    fresh = prefs.settings()
    assert {k: fresh.value(k) for k in fresh.allKeys()} == stored        # closing wrote nothing of the user's
    assert window.store.fileName() != fresh.fileName() and window.store.value("view/theme") == "light"


def _arranged_config(home, qtbot):
    """Preferences an earlier GUI run left at 1280×720: the loss dock floating, the matrices narrow."""
    from PySide6 import QtCore
    from gui.session import Session
    from gui.shell import prefs
    from gui.shell.main_window import MainWindow
    conf = home / "BackpropLens" / "BackpropLens.conf"
    conf.parent.mkdir(parents=True)
    store = QtCore.QSettings(str(conf), QtCore.QSettings.Format.IniFormat)
    session = Session("mazur")
    window = MainWindow(session, store=store)
    qtbot.addWidget(window)
    window.layouts.set_canvas(QtCore.QSize(1280, 720))
    window.show()
    window.docks["loss"].show()
    window.docks["loss"].setFloating(True)
    window.resizeDocks([window.docks["matrices"]], [200], QtCore.Qt.Orientation.Horizontal)
    window.layouts.remember()
    prefs.save_window(window, store)
    session.stop()
    window.close()
    store.sync()
    assert "layouts/1280x720/lecture" in store.allKeys() and "window/state" in store.allKeys()
    return conf


def test_a_picture_is_the_same_whatever_window_arrangement_the_user_left(tmp_path, monkeypatch, qtbot):
    """The same command gives the same picture from empty preferences and from preferences holding a
    floating dock and resized docks: the command line starts from the default arrangement of its size."""
    conf = _arranged_config(tmp_path / "arranged", qtbot)
    before = conf.read_bytes()
    pictures = []
    for home in (tmp_path / "empty", tmp_path / "arranged"):
        home.mkdir(exist_ok=True)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
        out = tmp_path / f"{home.name}.png"
        r = cli("snapshot", "--preset", "mazur", "--micro-step", "9", "--size", "1280x720", "--out", str(out))
        assert r.returncode == 0, r.stderr
        with Image.open(out) as im:
            pictures.append(np.asarray(im.convert("RGB")))
    assert pictures[0].shape == (720, 1280, 3)
    assert np.array_equal(pictures[0], pictures[1])
    assert conf.read_bytes() == before                   # and the user's arrangement is still theirs
