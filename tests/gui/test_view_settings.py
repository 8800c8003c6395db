"""The view settings: one declaration validates every way a value arrives, and each setting has its
own signal."""
import math

import pytest

from engine.session_file import load_session, save_session
from gui.theme import PALETTES, THEMES
from gui.view_settings import ViewSettings, apply_view_settings

DECLARED = ViewSettings.declared()


@pytest.fixture
def settings(qapp):
    s = ViewSettings()
    yield s
    s.deleteLater()


def _other_value(setting):
    """A valid value different from the default."""
    if setting.kind is bool:
        return not setting.default
    if setting.choices:
        return next(c for c in setting.choices if c != setting.default)
    lo, hi = setting.range
    return setting.kind(hi if setting.default != hi else lo)


def _bad_values(setting):
    if setting.kind is bool:
        return ["maybe", 1.5, None, [True]]
    if setting.choices:
        return ["no-such-choice", 3, None]
    lo, hi = setting.range
    return [hi * 2 + 1, lo - 1, math.nan, math.inf, "huge", True, None]


def test_every_setting_has_a_declaration_a_signal_and_a_typed_default():
    assert [s.name for s in DECLARED] == list(ViewSettings().as_dict())
    for s in DECLARED:
        assert hasattr(ViewSettings, f"{s.name}_changed"), s.name
        assert s.choices or s.range or s.kind is bool, f"{s.name}: declare its choices or range"
        assert s.doc, f"{s.name}: say what it does"
    assert ViewSettings.theme.choices == tuple(THEMES)
    assert ViewSettings.palette.choices == tuple(PALETTES)


@pytest.mark.parametrize("setting", DECLARED, ids=lambda s: s.name)
def test_setter_emits_its_own_signal_once_with_the_new_value(settings, setting, qtbot):
    value = _other_value(setting)
    seen, others = [], []
    getattr(settings, f"{setting.name}_changed").connect(seen.append)
    for s in DECLARED:
        if s is not setting:
            getattr(settings, f"{s.name}_changed").connect(others.append)
    setattr(settings, setting.name, value)
    setattr(settings, setting.name, value)            # unchanged: no second signal
    assert seen == [value] and others == []
    assert getattr(settings, setting.name) == value


@pytest.mark.parametrize("setting", DECLARED, ids=lambda s: s.name)
def test_setter_refuses_values_outside_the_declaration_and_keeps_the_old_one(settings, setting):
    for bad in _bad_values(setting):
        with pytest.raises(ValueError, match=setting.name):
            setattr(settings, setting.name, bad)
        assert getattr(settings, setting.name) == setting.default


def test_text_forms_from_stored_preferences_are_converted(settings):
    settings.animate = "false"
    settings.speed = "2.5"
    assert settings.animate is False and settings.speed == 2.5


def test_apply_view_settings_applies_the_good_and_names_the_bad(settings):
    refused = apply_view_settings(settings, {"theme": "dark", "font_scale": 99, "palette": "purple",
                                             "speed": 2, "no_such": 1})
    assert settings.theme == "dark" and settings.speed == 2.0
    assert settings.font_scale == 1.0 and settings.palette == "standard"
    assert set(refused) == {"font_scale", "palette", "no_such"}
    assert "0.6..3" in refused["font_scale"]


def _session_file_with_bad_view(tmp_path):
    from engine import get_preset
    from engine.run import Run
    path = tmp_path / "bad_view.bplens"
    save_session(path, Run(get_preset("mazur")), view_settings={"theme": "purple", "font_scale": 1e9,
                                                                "convention": "row"})
    assert load_session(path).view_settings["theme"] == "purple"   # the file really holds them
    return path


def test_file_loader_validates_view_settings(qtbot, tmp_path, session):
    from gui.shell.main_window import MainWindow
    window = MainWindow(session)
    qtbot.addWidget(window)
    messages = []
    session.message.connect(messages.append)
    assert window.file_actions.open_path(_session_file_with_bad_view(tmp_path))
    assert session.settings.theme == "light" and session.settings.font_scale == 1.0
    assert session.settings.convention == "row"
    assert "theme" in messages[-1] and "font_scale" in messages[-1]


def test_command_line_loader_validates_view_settings(qtbot, tmp_path):
    from gui.cli.common import make_window
    from gui.cli.parse import build_parser
    args = build_parser().parse_args(["snapshot", "--session", str(_session_file_with_bad_view(tmp_path)),
                                      "--out", str(tmp_path / "x.png"), "--size", "640x400"])
    _app, session, window = make_window(args)
    qtbot.addWidget(window)
    assert session.settings.theme == "light" and session.settings.font_scale == 1.0
    assert session.settings.convention == "row"
