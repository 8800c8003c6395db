"""Presenting (zoom, theme, palette, full screen, blank screen, shortcut sheet), preferences and the
start screen."""
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from engine.presets import PRESETS
from gui.shell import prefs
from gui.shell.presentation import ZOOM_MAX, ZOOM_MIN, Presentation, base_point_size
from gui.view_settings import ViewSettings
from gui.widgets.shortcut_sheet import DEFAULT_SHORTCUTS, ShortcutSheet
from gui.widgets.start_screen import PresetCard, StartScreen, build_presets_menu, start_dialog
from helpers import wrapped_lines

Key = QtCore.Qt.Key


@pytest.fixture(autouse=True)
def _restore_app_look(qapp):
    font, palette = qapp.font(), qapp.palette()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)


@pytest.fixture
def window(qtbot):
    w = QtWidgets.QMainWindow()
    w.setObjectName("TestWindow")
    for name in ("Network", "Loss"):
        dock = QtWidgets.QDockWidget(name, w)
        dock.setObjectName(name)
        dock.setWidget(QtWidgets.QLabel(name))
        w.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
    central = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(central)
    w.field = QtWidgets.QLineEdit()
    w.spin = QtWidgets.QSpinBox()
    w.button = QtWidgets.QPushButton("ok")
    for x in (w.field, w.spin, w.button):
        layout.addWidget(x)
    w.setCentralWidget(central)
    w.resize(900, 600)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def shown(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.button.setFocus()
    return window


@pytest.fixture
def pres(window, session):
    return Presentation(window, session)


def test_zoom_changes_scale_and_app_font(pres, session, qapp):
    base = base_point_size()
    pres.zoom_in.trigger()
    assert session.settings.font_scale == pytest.approx(1.15)
    assert qapp.font().pointSizeF() == pytest.approx(base * 1.15, abs=0.05)
    assert f"{qapp.font().pointSizeF():.1f}pt" in pres.window.styleSheet()
    pres.zoom_out.trigger()
    pres.zoom_out.trigger()
    assert session.settings.font_scale == pytest.approx(1 / 1.15, abs=1e-3)
    for _ in range(30):
        pres.zoom_out.trigger()
    assert session.settings.font_scale == pytest.approx(ZOOM_MIN)
    assert not pres.zoom_out.isEnabled()
    for _ in range(30):
        pres.zoom_in.trigger()
    assert session.settings.font_scale == pytest.approx(ZOOM_MAX)
    assert qapp.font().pointSizeF() == pytest.approx(base * ZOOM_MAX, abs=0.05)
    pres.zoom_reset.trigger()
    assert session.settings.font_scale == 1.0
    assert qapp.font().pointSizeF() == pytest.approx(base, abs=0.05)
    assert ["Ctrl+=", "Ctrl++"] == [k.toString() for k in pres.zoom_in.shortcuts()]


def test_zoom_follows_restored_setting(pres, session, qapp):
    session.settings.font_scale = 2.0
    assert qapp.font().pointSizeF() == pytest.approx(base_point_size() * 2.0, abs=0.05)


def test_theme_actions_change_setting_and_palette(pres, session, window):
    role = QtGui.QPalette.ColorRole.Window
    assert pres.theme_light.isChecked() and window.palette().color(role).lightness() > 240
    pres.theme_dark.trigger()
    assert session.settings.theme == "dark"
    assert pres.theme_dark.isChecked() and not pres.theme_light.isChecked()
    pal = window.palette()
    assert pal.color(role).lightness() < 60
    assert pal.color(QtGui.QPalette.ColorRole.WindowText).lightness() > 200     # readable
    assert QtWidgets.QApplication.palette().color(role) == pal.color(role)
    pres.theme_light.trigger()
    assert session.settings.theme == "light"
    pal = window.palette()
    assert pal.color(role) == QtGui.QColor("#ffffff")
    assert pal.color(QtGui.QPalette.ColorRole.WindowText).lightness() < 30      # high contrast


def test_palette_actions(pres, session):
    assert pres.palette_standard.isChecked()
    pres.palette_colorblind.trigger()
    assert session.settings.palette == "colorblind" and not pres.palette_standard.isChecked()
    session.settings.palette = "standard"
    assert pres.palette_standard.isChecked()


def test_significant_figures_actions_both_directions(pres, session):
    """View → Numbers: the menu sets the View setting and every formatted number follows; the
    setting (restored from prefs, or set elsewhere) checks its menu entry."""
    from gui.numbers import SIG_FIGS_MENU, format_number
    assert list(pres.sig_figs) == list(SIG_FIGS_MENU) == [3, 4, 5, 6, 10]
    assert pres.sig_figs[4].isChecked() and "hand calculations" in pres.sig_figs[10].text()
    assert pres.actions()["Numbers"] == list(pres.sig_figs.values())
    pres.sig_figs[10].trigger()
    assert session.settings.sig_figs == 10 and format_number(2 / 3) == "0.6666666667"
    assert pres.sig_figs[10].isChecked() and not pres.sig_figs[4].isChecked()
    session.settings.sig_figs = 3
    assert pres.sig_figs[3].isChecked() and format_number(2 / 3) == "0.667"
    session.settings.sig_figs = 7                      # allowed, though not in the menu: nothing checked
    assert not any(a.isChecked() for a in pres.sig_figs.values()) and format_number(2 / 3) == "0.6666667"
    with pytest.raises(ValueError):
        session.settings.sig_figs = 11
    assert session.settings.sig_figs == 7
    pres.sig_figs[4].trigger()
    assert session.settings.sig_figs == 4 and pres.sig_figs[4].isChecked()


def test_full_screen_toggles_window_state(pres, shown):
    pres.full_screen.trigger()
    assert shown.windowState() & QtCore.Qt.WindowState.WindowFullScreen
    pres.full_screen.trigger()
    assert not shown.windowState() & QtCore.Qt.WindowState.WindowFullScreen
    assert not pres.full_screen.isChecked()
    assert pres.full_screen.shortcut().toString() == "F11"


def test_blank_overlay_key_and_click(pres, shown, qtbot, session):
    qtbot.keyClick(shown.button, Key.Key_B)
    assert pres.overlay.isVisible() and pres.blank.isChecked()
    assert pres.overlay.geometry() == shown.rect()
    index = session.stepper.index
    qtbot.keyClick(shown.button, Key.Key_Right)          # any key: unblank, and nothing else happens
    assert not pres.overlay.isVisible() and not pres.blank.isChecked()
    assert session.stepper.index == index
    pres.blank.trigger()
    assert pres.overlay.isVisible()
    qtbot.mouseClick(pres.overlay, QtCore.Qt.MouseButton.LeftButton)
    assert not pres.overlay.isVisible()


def test_blank_colour_follows_theme(pres, session):
    assert pres.overlay.color == QtGui.QColor("#ffffff")
    session.settings.theme = "dark"
    assert pres.overlay.color == QtGui.QColor("#000000")


def test_plain_keys_go_to_text_fields(pres, shown, qtbot):
    shown.field.setFocus()
    qtbot.keyClicks(shown.field, "b?")
    assert shown.field.text() == "b?"
    assert not pres.overlay.isVisible() and pres.sheet is None
    shown.spin.setFocus()
    qtbot.keyClick(shown.spin, Key.Key_B)
    assert not pres.overlay.isVisible()


def test_f1_and_question_mark_show_the_sheet(pres, shown, qtbot):
    qtbot.keyClick(shown.button, Key.Key_F1)
    assert pres.sheet is not None and pres.sheet.isVisible()
    pres.sheet.close()
    qtbot.waitUntil(lambda: pres.sheet is None)
    shown.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is shown)
    shown.button.setFocus()
    qtbot.keyClick(shown.button, Key.Key_Question, QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert pres.sheet is not None
    assert "F1 / ?" in dict(pres.sheet.entries())
    pres.sheet.close()


def test_sheet_lists_the_actions_shortcuts(pres, window, qtbot):
    step = QtGui.QAction("Next micro-step", window)
    step.setShortcuts([QtGui.QKeySequence("Right"), QtGui.QKeySequence("PgDown")])
    window.addAction(step)
    sheet = ShortcutSheet.from_actions(pres.sheet_sections(), window)
    qtbot.addWidget(sheet)
    rows = dict(sheet.entries())
    assert rows["→ / Page Down"] == "Next micro-step"
    assert rows["F11"] == "Full screen"
    assert rows["Ctrl+="] == "Zoom in"
    assert rows["Ctrl+−"] == "Zoom out"
    assert rows["F1 / ?"] == "Keyboard shortcuts"
    assert rows["B"] == "Blank screen"
    assert "Esc" in rows
    texts = {lab.text() for lab in sheet.findChildren(QtWidgets.QLabel)}
    assert {"F11", "Ctrl+0", "→", "Page Down", "Esc"} <= texts


def test_default_sheet_is_complete(qtbot):
    sheet = ShortcutSheet()
    qtbot.addWidget(sheet)
    keys = " / ".join(k for k, _ in sheet.entries())
    for k in ("→", "Page Down", "←", "Page Up", "Space", "Enter", "N", "R", "Home", "F11",
              "Ctrl+=", "Ctrl+−", "Ctrl+0", "B", "F1", "?", "Ctrl+O", "Ctrl+S", "Esc"):
        assert k in keys.split(" / "), k
    assert len(sheet.entries()) == sum(len(rows) for _, rows in DEFAULT_SHORTCUTS)


# -- preferences -----------------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    s = QtCore.QSettings(str(tmp_path / "prefs.ini"), QtCore.QSettings.Format.IniFormat)
    yield s
    s.clear()


def test_window_round_trip(window, store, qtbot, tmp_path):
    window.resize(777, 555)
    prefs.save_window(window, store)
    other = QtWidgets.QMainWindow()
    qtbot.addWidget(other)
    fresh = QtCore.QSettings(str(tmp_path / "prefs.ini"), QtCore.QSettings.Format.IniFormat)
    assert prefs.restore_window(other, fresh)
    assert other.size() == QtCore.QSize(777, 555)


def test_window_restore_tolerates_garbage(window, store):
    assert prefs.restore_window(window, store) is False          # nothing stored
    store.setValue("window/geometry", "not a geometry")
    store.setValue("window/state", 42)
    assert prefs.restore_window(window, store) is False
    store.setValue("window/geometry", QtCore.QByteArray(b"\x01\x02garbage"))
    store.setValue("window/state", QtCore.QByteArray(b"\x00junk"))
    assert prefs.restore_window(window, store) is False


def test_default_settings_object_persists(session):
    prefs.clear_recent_files()
    prefs.add_recent_file("/tmp/a.json")
    assert QtCore.QSettings("BackpropLens", "BackpropLens").value("recent/files") in (["/tmp/a.json"], "/tmp/a.json")
    assert prefs.recent_files() == ["/tmp/a.json"]
    session.settings.log_loss = True
    prefs.save_view_settings(session)
    assert QtCore.QSettings("BackpropLens", "BackpropLens").contains("view/log_loss")
    prefs.clear_recent_files()
    assert prefs.recent_files() == []


def test_view_settings_round_trip(session, store, qtbot, tmp_path):
    from gui.session import Session
    changes = dict(theme="dark", palette="colorblind", font_scale=1.5, animate=False, speed=2.5,
                   convention="row", show_bias=True, split_neurons=True, lock_scale=True, log_loss=True, sig_figs=6,
                   pace=20.0)
    for k, v in changes.items():
        setattr(session.settings, k, v)
    session.load_preset("xor")
    prefs.save_view_settings(session, store)
    fresh = QtCore.QSettings(str(tmp_path / "prefs.ini"), QtCore.QSettings.Format.IniFormat)
    other = Session("mazur")
    seen = []
    for setting in ViewSettings.declared():
        getattr(other.settings, f"{setting.name}_changed").connect(lambda _v, name=setting.name: seen.append(name))
    applied = prefs.restore_view_settings(other, fresh)
    assert set(applied) == {s.name for s in ViewSettings.declared()}
    assert other.settings.as_dict() == session.settings.as_dict()
    assert set(seen) == set(changes)
    from gui.numbers import format_number
    assert format_number(2 / 3) == "0.666667"              # the restored setting reaches the formatter


def test_corrupt_view_settings_are_ignored(session, store):
    bad = dict(theme="purple", palette=3, font_scale="huge", animate="maybe", speed=float("nan"),
               convention=["x"], show_bias=1.5, lock_scale="true", log_loss="FALSE", sig_figs=4.5, pace=5000.0)
    for k, v in bad.items():
        store.setValue(f"view/{k}", v)
    store.setValue("view/not_a_setting", 1)
    before = {s.name: s.default for s in ViewSettings.declared()}
    applied = prefs.restore_view_settings(session, store)
    assert sorted(applied) == ["lock_scale", "log_loss"]
    assert session.settings.lock_scale is True and session.settings.log_loss is False
    for k in ("theme", "palette", "font_scale", "animate", "speed", "convention", "show_bias", "sig_figs", "pace"):
        assert getattr(session.settings, k) == before[k]
    store.setValue("view/font_scale", 99.0)
    assert "font_scale" not in prefs.restore_view_settings(session, store)
    for bad_figures in (2, 11, "many", True, "nan"):
        store.setValue("view/sig_figs", bad_figures)
        assert "sig_figs" not in prefs.restore_view_settings(session, store)
    store.setValue("view/sig_figs", "6")                   # how an INI file stores it
    assert "sig_figs" in prefs.restore_view_settings(session, store) and session.settings.sig_figs == 6


def test_recent_files(store, tmp_path):
    assert prefs.recent_files(store) == []
    for k in range(10):
        prefs.add_recent_file(tmp_path / f"f{k}.json", store)
    files = prefs.recent_files(store)
    assert len(files) == prefs.MAX_RECENT
    assert files[0] == str(tmp_path / "f9.json") and files[-1] == str(tmp_path / "f2.json")
    prefs.add_recent_file(tmp_path / "f5.json", store)
    fresh = QtCore.QSettings(str(tmp_path / "prefs.ini"), QtCore.QSettings.Format.IniFormat)
    files = prefs.recent_files(fresh)
    assert files[0] == str(tmp_path / "f5.json") and files.count(str(tmp_path / "f5.json")) == 1
    assert len(files) == prefs.MAX_RECENT
    prefs.remove_recent_file(tmp_path / "f5.json", store)
    assert str(tmp_path / "f5.json") not in prefs.recent_files(store)
    store.setValue("recent/files", [1, None, "/x", "/x"])
    assert prefs.recent_files(store) == ["/x"]
    store.setValue("recent/files", 5)
    assert prefs.recent_files(store) == []


# -- start screen --------------------------------------------------------------------------------
def test_every_preset_has_a_card(session, qtbot):
    screen = StartScreen(session)
    qtbot.addWidget(screen)
    assert list(screen.cards) == list(PRESETS)
    for name, card in screen.cards.items():
        assert card.title.text() == PRESETS[name].title
        assert card.description.text().replace("\u00a0", " ") == PRESETS[name].description
        assert "-".join(map(str, PRESETS[name].config["sizes"])) in card.summary.text()


def test_a_cards_summary_wraps_between_its_parts_with_the_dot_at_the_line_end(session, qtbot):
    """At 1024×768, zoom +3 the XOR card wrapped its summary as "2-3-1 · tanh → sigmoid" over
    "· binary cross-entropy" over "· SGD η = 0.5".  Laid out at widths from wide to narrow by the
    label's own font: no line starts with "·", and every part ("tanh → sigmoid", "SGD η = 0.5") is
    whole on one line (or alone on its lines when it is wider than the width)."""
    screen = StartScreen(session)
    qtbot.addWidget(screen)
    for name in ("xor", "mazur", "spirals"):
        label = screen.cards[name].summary
        parts = [p.strip(" \u00a0·") for p in label.text().split("·  ")]
        for width in range(600, 80, -20):
            lines = wrapped_lines(label.text(), label.font(), width)
            assert not any(line.startswith("·") for line in lines), (name, width, lines)
            joined = [line.replace("\u00a0", " ").replace("\u2011", "-") for line in lines]
            for part in parts:
                part = part.replace("\u00a0", " ").replace("\u2011", "-")
                assert any(part in line for line in joined) or len(lines) > len(parts), (name, width, part, lines)


def test_a_cards_description_never_starts_a_line_with_an_equals_sign(session, qtbot):
    """At 1280×720, zoom +3 Mazur's card wrapped "then w5" over "= 0.35891648 and E_total =" over
    "0.291027924": the = stays with its left side (a line may end with it)."""
    screen = StartScreen(session)
    qtbot.addWidget(screen)
    for name, card in screen.cards.items():
        label = card.description
        for width in range(600, 80, -20):
            lines = wrapped_lines(label.text(), label.font(), width)
            assert not any(line.startswith("=") for line in lines), (name, width, lines)


def test_clicking_a_card_loads_the_preset(session, qtbot):
    screen = StartScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1000, 800)
    screen.show()
    qtbot.waitExposed(screen)
    with qtbot.waitSignal(screen.preset_chosen) as blocker:
        qtbot.mouseClick(screen.cards["xor"], QtCore.Qt.MouseButton.LeftButton)
    assert blocker.args == ["xor"]
    assert session.preset_name == "xor" and list(session.config.sizes) == [2, 3, 1]
    screen.cards["iris"].setFocus()
    with qtbot.waitSignal(screen.preset_chosen):
        qtbot.keyClick(screen.cards["iris"], Key.Key_Return)
    assert session.preset_name == "iris" and list(session.config.sizes) == [4, 8, 3]


def test_start_dialog_accepts_on_choice(session, qtbot):
    dialog = start_dialog(session)
    qtbot.addWidget(dialog)
    dialog.screen_widget.cards["sine"].clicked.emit("sine")
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert session.preset_name == "sine"
    assert isinstance(dialog.screen_widget.cards["sine"], PresetCard)


def test_presets_menu(session, qtbot):
    parent = QtWidgets.QWidget()
    qtbot.addWidget(parent)
    menu = build_presets_menu(session, parent)
    actions = menu.actions()
    assert [a.data() for a in actions] == list(PRESETS)
    assert [a.toolTip() for a in actions] == [p.description for p in PRESETS.values()]
    actions[2].trigger()
    assert session.preset_name == list(PRESETS)[2]


@pytest.mark.parametrize("screen_name, scale", [("1024x768", None), ("1280x720", None), ("1920x1080", 1.0)])
def test_the_sheet_fits_its_screen_without_scrolling(qtbot, screen_name, scale):
    """At 1024×768 the two columns at full type needed about 1,050 px: the sheet takes the largest
    type at which it fits its screen, so no key or description hides behind a scroll bar."""
    from helpers import window_on_screen
    window, _session = window_on_screen(qtbot, screen_name)
    sheet = ShortcutSheet.from_actions(window.presentation.sheet_sections(), window)
    qtbot.addWidget(sheet)
    sheet.show()
    qtbot.waitExposed(sheet)
    scroll = sheet.findChild(QtWidgets.QScrollArea)
    body = scroll.widget()
    assert body.minimumSizeHint().width() <= scroll.viewport().width(), (body.minimumSizeHint(), scroll.viewport().size())
    assert body.minimumSizeHint().height() <= scroll.viewport().height(), (body.minimumSizeHint(), scroll.viewport().size())
    area = window.screen().availableGeometry()
    assert sheet.width() <= area.width() and sheet.height() <= area.height()
    if scale is not None:
        assert sheet.type_scale == scale
    sheet.close()
    window.close()


def test_the_window_sheet_lists_the_lesson_keys_while_a_lesson_is_open(qtbot):
    """F1 lists Ctrl+L (open a lesson) always, and while a lesson is open its own keys: → and Enter
    are then the next slide (the stepping actions lend them), End the last slide, G go to a slide."""
    from gui.lessons.builtin import builtin_path
    from helpers import window_on_screen
    window, _session = window_on_screen(qtbot, "1280x720")
    try:
        def rows():
            sheet = ShortcutSheet.from_actions(window.presentation.sheet_sections(), window)
            qtbot.addWidget(sheet)
            return dict(sheet.entries())
        before = rows()
        assert before["Ctrl+L"] == "Open lesson"
        assert "End" not in before and "G" not in before
        assert before["→ / Page Down"] == "Next micro-step"
        assert window.lessons.open_path(builtin_path("mazur"), present=False)
        during = rows()
        assert during["→ / Page Down / Enter"] == "Next (lesson)"
        assert during["End"] == "Last slide" and during["G"] == "Go to slide"
        assert "Next micro-step" not in during.values()          # its keys are the lesson's now
        assert "Finish example" not in during.values()
        window.lessons.close_lesson()
        assert rows() == before
    finally:
        window.close()
