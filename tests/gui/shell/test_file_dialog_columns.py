"""Qt's own file dialog (File → Open and every other file dialog the window opens) at lecture size:
its detail view's columns (Name, Size, Type, Date Modified) are each as wide as their title and their
widest entry in the dialog's font (the panels' size at the zoom), and all of them are in view
without scrolling sideways, the dialog inside its screen, at 1024×768 and 1280×720 from zoom 0 to
+3, and after Ctrl+= while it is open.  (Qt sizes the columns once, from sample strings in the
font the dialog has before the window's style sheet gives it the panels' size: at zoom +3 the
Size column cut "123.46 KiB" and Type and Date Modified were beyond the view's right edge.)"""
import gc

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.shell.presentation import ZOOM_STEP
from helpers import window_on_screen

_PM = QtWidgets.QStyle.PixelMetric


def _settle():
    for _ in range(3):
        QtWidgets.QApplication.processEvents()


LONG = "week-3-backpropagation-lecture-with-the-worked-example-and-the-spirals-run.bplens"


def _folder(tmp_path, names=("lecture.bplens",)):
    """A folder with session files (the first of a known size), a CSV and a subfolder."""
    for k, name in enumerate(names):
        (tmp_path / name).write_bytes(b"x" * (126_420 if k == 0 else 10))       # "123.46 KiB"
    (tmp_path / "iris.csv").write_text("a,b\n1,2\n")
    (tmp_path / "runs").mkdir()
    return tmp_path


def _entries(tree: QtWidgets.QTreeView) -> list[QtCore.QModelIndex]:
    model, root = tree.model(), tree.rootIndex()
    return [model.index(r, 0, root) for r in range(model.rowCount(root))]


def column_needs(tree: QtWidgets.QTreeView) -> dict[int, tuple[int, str]]:
    """{column: (pixels its widest text needs, that text)} for each shown column of the detail view:
    its title (text and the header's margins, the sort arrow's room on the sorted column) and each
    entry's text (the item's margins each side, the icon's room in the Name column), measured with
    the font metrics of the header and of the view."""
    header, model, style = tree.header(), tree.model(), tree.style()
    cell_margin = style.pixelMetric(_PM.PM_FocusFrameHMargin, None, tree) + 1
    head_margin = style.pixelMetric(_PM.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(_PM.PM_HeaderMarkSize, None, header)
    fm, hfm = tree.fontMetrics(), header.fontMetrics()
    needs = {}
    for c in range(header.count()):
        if header.isSectionHidden(c):
            continue
        title = str(model.headerData(c, QtCore.Qt.Orientation.Horizontal))
        sorted_here = header.isSortIndicatorShown() and header.sortIndicatorSection() == c
        best = (hfm.horizontalAdvance(title) + 2 * head_margin + (arrow + head_margin if sorted_here else 0), title)
        for index in _entries(tree):
            text = str(index.siblingAtColumn(c).data() or "")
            icon = tree.iconSize().width() + cell_margin if c == 0 and tree.iconSize().isValid() else 0
            if c == 0 and not tree.iconSize().isValid():
                icon = style.pixelMetric(_PM.PM_SmallIconSize, None, tree) + cell_margin
            best = max(best, (fm.horizontalAdvance(text) + 2 * cell_margin + icon, text))
        needs[c] = best
    return needs


def check_columns(dialog: QtWidgets.QFileDialog, what: str) -> None:
    tree = dialog.findChild(QtWidgets.QTreeView, "treeView")
    assert tree is not None and tree.isVisible(), f"{what}: the detail view is not shown"
    header = tree.header()
    for c, (need, text) in column_needs(tree).items():
        has = header.sectionSize(c)
        assert need <= has, f"{what}: column {c} ({text!r}) needs {need} px, has {has}"
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    right = max(header.sectionViewportPosition(c) + header.sectionSize(c) for c in shown)
    assert header.offset() == 0 and right <= tree.viewport().width(), (
        f"{what}: the columns end at {right} px (scrolled {header.offset()}), the view is {tree.viewport().width()} px wide")
    area = dialog.screen().availableGeometry()
    assert area.contains(dialog.frameGeometry()), f"{what}: {dialog.frameGeometry().getRect()} outside {area.getRect()}"


def _loaded(dialog) -> bool:
    """The folder is listed: the session files (the filter hides the CSV) and the subfolder."""
    tree = dialog.findChild(QtWidgets.QTreeView, "treeView")
    names = {i.data() for i in _entries(tree)}
    return "runs" in names and "lecture.bplens" in names and len(names) == len(list(_HOME.glob("*.bplens"))) + 1


def _when_open(qtbot, steps):
    """Run ``steps(dialog)`` on the next modal file dialog once its folder is listed, then reject it;
    returns a list that holds the dialog's type name and the first AssertionError (or None)."""
    seen: list = []
    end = QtCore.QDeadlineTimer(10000)

    def look():
        modal = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(modal, QtWidgets.QFileDialog) or not _loaded(modal):
            if end.hasExpired():
                seen.append((type(modal).__name__, AssertionError(f"no file dialog listing the folder: {modal}")))
                if modal is not None:
                    modal.reject()
                return
            QtCore.QTimer.singleShot(20, look)
            return
        try:
            gc.collect()      # the dialog's Python wrapper goes: its fit must live on (it once did not)
            QtCore.QThread.msleep(50)
            _settle()
            steps(modal)
            seen.append((type(modal).__name__, None))
        except AssertionError as e:
            seen.append((type(modal).__name__, e))
        modal.reject()

    QtCore.QTimer.singleShot(20, look)
    return seen


_HOME = None


def _open(window, qtbot, tmp_path, monkeypatch, steps, names=("lecture.bplens",)):
    global _HOME
    _HOME = _folder(tmp_path, names)
    monkeypatch.setenv("HOME", str(_HOME))
    seen = _when_open(qtbot, steps)
    window.file_actions.open_action.trigger()
    assert [k for k, _ in seen] == ["QFileDialog"], seen
    if seen[0][1] is not None:
        raise seen[0][1]


@pytest.mark.parametrize("screen, zoom", [("1024x768", 0), ("1024x768", 3), ("1280x720", 3)])
def test_file_dialog_columns_fit_their_text(qtbot, tmp_path, monkeypatch, screen, zoom):
    window, session = window_on_screen(qtbot, screen)
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    _settle()
    _open(window, qtbot, tmp_path, monkeypatch, lambda d: check_columns(d, f"{screen} zoom {zoom:+d} Open session"))
    window.close()


def test_file_dialog_columns_follow_the_zoom_keys(qtbot, tmp_path, monkeypatch):
    """Open at zoom 0, then Ctrl+= three times in the dialog: the columns grow with the text."""
    window, session = window_on_screen(qtbot, "1024x768")

    def zoom_in(dialog):
        check_columns(dialog, "zoom 0")
        before = QtGui.QFontInfo(dialog.findChild(QtWidgets.QTreeView, "treeView").font()).pixelSize()
        for _ in range(3):
            qtbot.keyClick(dialog.findChild(QtWidgets.QLineEdit, "fileNameEdit"), QtCore.Qt.Key.Key_Equal,
                           QtCore.Qt.KeyboardModifier.ControlModifier)
        _settle()
        tree = dialog.findChild(QtWidgets.QTreeView, "treeView")
        assert QtGui.QFontInfo(tree.font()).pixelSize() > before
        check_columns(dialog, "after Ctrl+= ×3")

    _open(window, qtbot, tmp_path, monkeypatch, zoom_in)
    assert session.settings.font_scale == pytest.approx(ZOOM_STEP ** 3, abs=1e-3)
    window.close()


def test_a_long_file_name_keeps_half_the_view(qtbot, tmp_path, monkeypatch):
    """At 1024×768 zoom +3 a long name cannot fit beside the other columns: Name keeps at least half
    the view (the file is chosen by its name), Size, Type and Date Modified still fit their text and
    scroll into view."""
    window, session = window_on_screen(qtbot, "1024x768")
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    _settle()

    def long_name(dialog):
        tree = dialog.findChild(QtWidgets.QTreeView, "treeView")
        header, needs = tree.header(), column_needs(tree)
        assert header.sectionSize(0) >= min(needs[0][0], tree.viewport().width() // 2), (
            f"Name is {header.sectionSize(0)} px of a {tree.viewport().width()}-px view")
        for c in (1, 2, 3):
            assert needs[c][0] <= header.sectionSize(c), (c, needs[c], header.sectionSize(c))
        assert area_contains(dialog)

    _open(window, qtbot, tmp_path, monkeypatch, long_name, names=("lecture.bplens", LONG))
    window.close()


def area_contains(dialog) -> bool:
    return dialog.screen().availableGeometry().contains(dialog.frameGeometry())
