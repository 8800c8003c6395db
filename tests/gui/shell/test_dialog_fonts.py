"""Dialogs at lecture size: every dialog and message box the window opens draws its text at the
panels' size at the current zoom (12 pt × zoom, as the controls bar), not at the application's
default size; its frame stays inside a 1024×768 screen at zoom +3; and a dialog already open follows
Ctrl+= / Ctrl+− (the window's zoom keys reach it) and grows or shrinks with its text."""
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.shell.presentation import ZOOM_STEP
from gui.theme import THEMES
from helpers import window_on_screen

ZOOMS = [0, 3]


def _settle():
    for _ in range(3):
        QtWidgets.QApplication.processEvents()


def _pixels(widget: QtWidgets.QWidget) -> int:
    return QtGui.QFontInfo(widget.font()).pixelSize()


def _panel_pixels(window) -> int:
    """The panels' text size in pixels: the controls bar's (12 pt × zoom)."""
    return _pixels(window.controls)


def _texts(dialog: QtWidgets.QWidget) -> list[QtWidgets.QWidget]:
    """The dialog's visible labels and buttons that carry text."""
    found = [w for w in dialog.findChildren(QtWidgets.QLabel) if w.text() and w.isVisible()]
    found += [w for w in dialog.findChildren(QtWidgets.QAbstractButton) if w.text() and w.isVisible()]
    assert found, f"{type(dialog).__name__} shows no text"
    return found


def check_dialog(window, dialog, what: str, at_least: bool = False) -> None:
    """Every text of ``dialog`` at the panels' pixel size (``at_least``: the sheets made larger on
    purpose, never smaller), and its frame inside its screen's available area."""
    _settle()
    want = _panel_pixels(window)
    for w in _texts(dialog):
        got = _pixels(w)
        ok = got >= want if at_least else got == want
        assert ok, f"{what}: {type(w).__name__} {w.text()[:40]!r} is {got} px, the panels' {want} px"
    area = window.screen().availableGeometry()
    frame = dialog.frameGeometry()
    assert area.contains(frame), f"{what}: {frame.getRect()} outside the screen's {area.getRect()}"
    hint = dialog.minimumSizeHint()
    assert hint.width() <= dialog.width() and hint.height() <= dialog.height(), (what, hint, dialog.size())


@pytest.fixture
def window(qtbot):
    window, session = window_on_screen(qtbot, "1024x768")
    yield window
    window.close()


def _open_dialogs(window, tmp_path):
    """(name, dialog, at_least) for each of the window's own dialogs, opened (not run modally)."""
    from engine.torch_bridge import write_weights
    from gui.widgets.animation_options import AnimationOptions
    from gui.widgets.compare_dialog import CompareDialog
    from gui.widgets.import_dialog import ImportCsvDialog
    session = window.session
    weights = tmp_path / "model.safetensors"
    write_weights(weights, session.net)
    csv = tmp_path / "measurements.csv"
    csv.write_text("sepal length,sepal width,petal length,species\n"
                   + "".join(f"{k % 7},{k % 5},{k % 3},{('setosa', 'versicolor')[k % 2]}\n" for k in range(40)))
    from gui.errors import ErrorReporter
    reporter = ErrorReporter(window, show_dialog=False)
    reporter.uninstall()                 # only its message box is wanted here, not sys.excepthook
    error_box = reporter._dialog("ValueError: a test", "Traceback …")
    window.presentation.shortcuts.trigger()
    made = [("Import weights", window.file_actions.import_weights_from(weights), False),
            ("Import CSV", ImportCsvDialog(session, csv, window), False),
            ("Export animation options", AnimationOptions({k: window.views[k] for k in ("window", "graph")}, window), False),
            ("Compare", CompareDialog(session, window), False),
            ("Load it in PyTorch", window.file_actions.show_pytorch_snippet("import torch"), False),
            ("unexpected error", error_box, False),
            ("Progress", QtWidgets.QProgressDialog("Writing the handout of a lesson…", "Cancel", 0, 5, window), False),
            ("shortcut sheet", window.presentation.sheet, True)]
    for _, dialog, _ in made:
        dialog.show()
    _settle()
    csv_dialog = made[1][1]
    end = QtCore.QDeadlineTimer(10000)
    while csv_dialog.reading and not end.hasExpired():
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
    _settle()
    return made


@pytest.mark.parametrize("zoom", ZOOMS)
def test_every_dialog_at_the_panels_size(window, zoom, tmp_path):
    window.session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    _settle()
    assert _panel_pixels(window) == QtGui.QFontInfo(_font(12 * ZOOM_STEP ** zoom)).pixelSize()
    for name, dialog, at_least in _open_dialogs(window, tmp_path):
        try:
            check_dialog(window, dialog, f"zoom {zoom:+d} {name}", at_least)
            if name == "shortcut sheet":
                check_sheet_shows_every_entry(dialog, f"zoom {zoom:+d}")
            if name == "Import CSV":
                check_columns_fit(dialog.table, f"zoom {zoom:+d}")
                for names in (dialog.inputs, dialog.targets):      # the four column names, the target too
                    last = names.visualItemRect(names.item(names.count() - 1))
                    assert names.viewport().rect().contains(last), f"zoom {zoom:+d}: {names.item(names.count() - 1).text()!r} scrolled out of its list"
                    check_box_grows(names, f"zoom {zoom:+d}")
        finally:
            dialog.close()


def check_columns_fit(table: QtWidgets.QTableWidget, what: str) -> None:
    """Each column of the CSV preview as wide as its name and its cells (Qt's default width cut
    "sepal length" to "pal leng" at zoom +3)."""
    header = table.horizontalHeader()
    metrics = QtGui.QFontMetrics(header.font())
    for c in range(table.columnCount()):
        texts = [table.horizontalHeaderItem(c).text()] + [table.item(r, c).text() for r in range(table.rowCount())]
        need = max(metrics.horizontalAdvance(t) for t in texts)
        assert need <= table.columnWidth(c), f"{what} CSV preview: column {texts[0]!r} needs {need} px, has {table.columnWidth(c)}"


def check_box_grows(names: QtWidgets.QListWidget, what: str) -> None:
    """A column's check box is drawn about as tall as its name's letters (the style's own box stayed
    13 px beside 24-px names at zoom +3): the rows of the first item's box edge, in the text colour,
    span at least 0.6 of the font's height."""
    image = names.viewport().grab().toImage()
    row = names.visualItemRect(names.item(0))
    ink = QtGui.QColor(THEMES[window_theme(names)].foreground)
    rows = [y for y in range(row.top(), row.bottom() + 1)
            if any(_near(QtGui.QColor(image.pixel(x, y)), ink) for x in range(row.left(), row.left() + row.height()))]
    tall, want = (max(rows) - min(rows) + 1 if rows else 0), 0.6 * QtGui.QFontMetrics(names.font()).height()
    assert tall >= want, f"{what}: the check box is {tall} px tall beside {want / 0.6:.0f}-px text"


def window_theme(widget) -> str:
    return "dark" if widget.palette().color(QtGui.QPalette.ColorRole.Base).lightness() < 128 else "light"


def _near(a: QtGui.QColor, b: QtGui.QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


def check_sheet_shows_every_entry(sheet, what: str) -> None:
    """Every description of the sheet is a visible label (the sheet once showed an empty body where
    no type fitted its screen), and the body scrolls down at most, never sideways."""
    _settle()
    shown = {w.text() for w in sheet.findChildren(QtWidgets.QLabel) if w.isVisible()}
    missing = [text for _, text in sheet.entries() if text not in shown]
    assert not missing, f"{what} sheet: {missing} not shown"
    scroll = sheet.findChild(QtWidgets.QScrollArea)
    need, room = scroll.widget().minimumSizeHint().width(), scroll.viewport().width()
    assert need <= room, f"{what} sheet: its body needs {need} px in {room} px: it scrolls sideways"


def _font(points: float) -> QtGui.QFont:
    f = QtGui.QFont(QtWidgets.QApplication.font())
    f.setPointSizeF(points)
    return f


def _check_next_modal(window, what: str) -> list:
    """Check the next modal dialog shown (a static QFileDialog / QMessageBox call blocks in its own
    event loop) with ``check_dialog``, then reject it; returns [(type name, AssertionError or None)]."""
    seen: list = []

    def look():
        modal = QtWidgets.QApplication.activeModalWidget()
        if modal is None:
            QtCore.QTimer.singleShot(20, look)
            return
        try:
            check_dialog(window, modal, f"{what} {type(modal).__name__}")
            seen.append((type(modal).__name__, None))
        except AssertionError as e:
            seen.append((type(modal).__name__, e))
        modal.reject()

    QtCore.QTimer.singleShot(20, look)
    return seen


def _raise_first(seen: list, kinds: list[str]) -> None:
    assert [k for k, _ in seen] == kinds, seen
    for _, error in seen:
        if error is not None:
            raise error


@pytest.mark.parametrize("zoom", ZOOMS)
def test_stock_dialogs_at_the_panels_size(window, zoom, tmp_path, monkeypatch):
    """Qt's own dialogs opened by the window: the lesson handout's file dialog, its refusal of a bad
    lesson (a QMessageBox.warning), the lesson player's Go to slide (a QInputDialog)."""
    from gui.shell.handout_dialog import export_handout_interactively
    window.session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    _settle()
    seen = _check_next_modal(window, f"zoom {zoom:+d} handout:")
    assert export_handout_interactively(window, None, lambda s: None) is None
    _raise_first(seen, ["QFileDialog"])

    bad = tmp_path / "broken.bplesson"
    bad.write_text("{ not a lesson")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    seen = _check_next_modal(window, f"zoom {zoom:+d} handout of a bad lesson:")
    assert export_handout_interactively(window, None, lambda s: None) is None
    _raise_first(seen, ["QMessageBox"])

    dialog = QtWidgets.QInputDialog(window)
    dialog.setLabelText("Slide (1 to 9):")
    dialog.setIntRange(1, 9)
    dialog.show()
    try:
        check_dialog(window, dialog, f"zoom {zoom:+d} Go to slide")
    finally:
        dialog.close()


def test_an_open_dialog_follows_the_zoom_keys(window, qtbot, tmp_path):
    """Compare open and in front: Ctrl+= three times makes its text the panels' +3 size and the
    dialog larger (within the screen); Ctrl+0 brings both back (the size to within 8 %)."""
    from gui.widgets.compare_dialog import CompareDialog
    dialog = CompareDialog(window.session, window)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is dialog, timeout=3000)
    check_dialog(window, dialog, "Compare at zoom 0")
    before_px, before = _pixels(dialog.findChildren(QtWidgets.QLabel)[0]), dialog.size()
    for _ in range(3):
        qtbot.keyClick(dialog.value, QtCore.Qt.Key.Key_Equal, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.session.settings.font_scale == pytest.approx(ZOOM_STEP ** 3, abs=1e-3)
    check_dialog(window, dialog, "Compare after Ctrl+= ×3")
    assert _pixels(dialog.findChildren(QtWidgets.QLabel)[0]) > before_px
    assert dialog.width() > before.width() and dialog.height() > before.height()
    need = dialog.layout().totalHeightForWidth(dialog.width())
    assert dialog.height() <= need + 2, f"{dialog.height()} px tall for {need} px of rows: room it does not use"
    qtbot.keyClick(dialog.value, QtCore.Qt.Key.Key_0, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.session.settings.font_scale == 1.0
    check_dialog(window, dialog, "Compare after Ctrl+0")
    # back to about its first size (within 8 %: each step is rounded to whole pixels and at least
    # what its layout needs at the width it had)
    assert abs(dialog.width() - before.width()) <= 0.08 * before.width(), (dialog.size(), before)
    assert abs(dialog.height() - before.height()) <= 0.08 * before.height(), (dialog.size(), before)
    dialog.close()


def test_the_open_shortcut_sheet_follows_the_zoom(window, qtbot):
    """The sheet is laid out again at the new zoom (a new sheet, the old one closed)."""
    window.presentation.shortcuts.trigger()
    first = window.presentation.sheet
    _settle()
    check_dialog(window, first, "sheet at zoom 0", at_least=True)
    window.presentation.zoom_in.trigger()
    _settle()
    second = window.presentation.sheet
    assert second is not None and second is not first and second.isVisible()
    check_dialog(window, second, "sheet at zoom +1", at_least=True)
    check_sheet_shows_every_entry(second, "zoom +1")
    for _ in range(2):
        window.presentation.zoom_in.trigger()
    _settle()
    third = window.presentation.sheet
    check_dialog(window, third, "sheet at zoom +3", at_least=True)
    check_sheet_shows_every_entry(third, "zoom +3")
    second = third
    second.close()


def test_compare_shows_its_message_line_only_with_a_refusal(window):
    """The refusal line under Compare's form is hidden while empty (an empty line left a gap over
    the buttons), shown with a refusal, and hidden again when another setting is chosen."""
    from gui.widgets.compare_dialog import CompareDialog
    dialog = CompareDialog(window.session, window)
    dialog.show()
    _settle()
    assert not dialog.message.isVisible()
    assert not dialog.choose("eta", "a tenth, please")
    _settle()
    assert dialog.message.isVisible() and "η must be a number" in dialog.message.text()
    check_dialog(window, dialog, "Compare with a refusal")
    dialog.setting.setCurrentIndex(dialog.setting.findData("loss"))
    assert not dialog.message.isVisible()
    dialog.close()


def _controls(panel: QtWidgets.QWidget) -> list[QtWidgets.QWidget]:
    """The visible labels, fields, drop-downs, buttons, check boxes and spin boxes in ``panel``."""
    kinds = (QtWidgets.QLabel, QtWidgets.QLineEdit, QtWidgets.QComboBox, QtWidgets.QAbstractButton,
             QtWidgets.QAbstractSpinBox)
    found = [w for w in panel.findChildren(QtWidgets.QWidget) if isinstance(w, kinds) and w.isVisible()]
    assert found, f"{type(panel).__name__} shows no control"
    return found


@pytest.mark.parametrize("zoom", ZOOMS)
def test_a_panels_size_reaches_every_control_in_it(window, qtbot, zoom):
    """The network editor and Predict set their size on themselves, which the window's style sheet
    stops at the panel: every label, field, drop-down, button and check box in them drew at the
    window's 9-pt menu size (12 px at zoom 0, 18 at +3) beside the editor's 12 pt and Predict's
    13.8-pt question.  Now the editor's every control and Predict's buttons, layout choice, score
    and tolerance are at the panels' size; Predict's question, fields and verdict at its body size."""
    session = window.session
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    want = _panel_pixels(window)
    dock = window.docks["network"]
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty(), timeout=3000)
    _settle()
    wrong = [(type(w).__name__, getattr(w, "text", str)(), _pixels(w)) for w in _controls(window.editor) if _pixels(w) != want]
    assert not wrong, f"zoom {zoom:+d} network editor, not at the panels' {want} px: {wrong}"
    dock.toggleViewAction().trigger()
    session.settings.predict = True
    dock, panel = window.docks["predict"], window.predict_panel
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty(), timeout=3000)
    session.seek(6)                                                   # ∂C/∂W² next: a grid of fields
    _settle()
    assert panel.fields
    body = QtGui.QFontInfo(panel.body_font()).pixelSize()
    read = {panel.title, panel.verdict, *panel.grid_box.findChildren(QtWidgets.QWidget)}
    wrong = [(type(w).__name__, getattr(w, "text", str)(), _pixels(w)) for w in _controls(panel)
             if _pixels(w) != (body if w in read else want)]
    assert not wrong, f"zoom {zoom:+d} Predict, not at the panels' {want} px (read: {body} px): {wrong}"
    assert body > want
    session.settings.predict = False
