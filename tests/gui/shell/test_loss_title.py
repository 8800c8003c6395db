"""The Loss dock names its loss whole at every zoom (issue 12): its title bar shows "Loss: binary
cross-entropy" where the bar has room for all of it, as Qt draws it (not elided), else "Loss", and
the panel then shows the loss's name itself, wrapped if it must be, inside the dock (at 1280×720,
zoom +3, in the Training layout the title bar read "Loss: binary cros…" and the panel hid its own)."""
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.shell.presentation import ZOOM_STEP
from helpers import window_on_screen


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _text_room(dock: QtWidgets.QDockWidget) -> int:
    """The width the dock's title bar draws its title in, read from a picture of the bar with a
    title far too long for it (elided there): the ink of "lll…l…" from its first to its last
    column, within a narrow letter of the room."""
    shown = dock.windowTitle()
    dock.setWindowTitle("l" * 400)
    option = QtWidgets.QStyleOptionDockWidget()
    dock.initStyleOption(option)
    text = dock.style().subElementRect(QtWidgets.QStyle.SubElement.SE_DockWidgetTitleBarText, option, dock)
    image = dock.grab(QtCore.QRect(0, 0, dock.width(), option.rect.height())).toImage()
    dock.setWindowTitle(shown)
    ink = [x for x in range(text.left(), text.right() + 1)
           if any(QtGui.QColor(image.pixel(x, y)).lightness() < 80 for y in range(option.rect.height() - 2))]   # (not the bar's edge)
    return ink[-1] - ink[0] + 1


def _check_title(dock: QtWidgets.QDockWidget, titles: list[str], what: str) -> str:
    """The dock's title, checked: one of ``titles``, drawn whole, and no longer one would be (the
    room is read up to a narrow letter short: 6 px)."""
    shown, room, metrics = dock.windowTitle(), _text_room(dock), QtGui.QFontMetrics(dock.font())
    assert shown in titles, f"{what}: the title bar reads {shown!r}"
    assert metrics.horizontalAdvance(shown) <= room + 6, f"{what}: {shown!r} cut in {room} px"
    for longer in titles[:titles.index(shown)]:
        assert metrics.horizontalAdvance(longer) > room, f"{what}: {shown!r} where {longer!r} fits {room} px"
    return shown


def _label_reads_whole(label: QtWidgets.QLabel, name: str, dock: QtWidgets.QWidget) -> str | None:
    """Why ``label`` does not show ``name`` whole inside ``dock``'s view (its widget), or None."""
    if not label.isVisibleTo(dock) or QtGui.QTextDocumentFragment.fromHtml(label.text()).toPlainText() != name:
        return f"the panel does not name the loss ({label.isVisibleTo(dock)}, {label.text()!r})"
    bold = QtGui.QFont(label.font())
    bold.setBold(True)
    metrics, rect = QtGui.QFontMetrics(bold), label.contentsRect()
    flags = QtCore.Qt.TextFlag.TextWordWrap if label.wordWrap() else QtCore.Qt.TextFlag.TextSingleLine
    need = metrics.boundingRect(QtCore.QRect(0, 0, rect.width(), 10_000), int(flags), name)
    if need.width() > rect.width() or need.height() > rect.height():
        return f"{name!r} needs {need.width()}×{need.height()} px in {rect.width()}×{rect.height()}"
    if max(metrics.horizontalAdvance(word) for word in name.replace("-", "- ").split()) > rect.width():
        return f"a word of {name!r} is wider than {rect.width()} px"
    view = dock.widget() if isinstance(dock, QtWidgets.QDockWidget) else dock
    top_left = label.mapTo(view, rect.topLeft())
    if not view.rect().contains(QtCore.QRect(top_left, rect.size())):
        return f"the name at {top_left.toTuple()} {rect.size().toTuple()} outside the dock's {view.size().toTuple()}"
    return None


@pytest.mark.parametrize("screen_name", ["1024x768", "1280x720"])
def test_the_loss_dock_names_its_loss_whole(qtbot, screen_name):
    """The Training layout (the Lecture layout hides the Loss dock: L brings it) at zoom 0 to +3 and
    back: the title bar shows the first of the panel's titles it has room for, whole, or "Loss" and
    the panel then names the loss itself (at 1280×720, zoom +3, the 259-px dock read
    "Loss: binary cros…"; it now reads "Binary cross-entropy")."""
    window, session = window_on_screen(qtbot, screen_name, "xor")
    dock, panel, name = window.docks["loss"], window.loss, session.net.loss.title
    titles = [f"Loss: {name[:1].lower()}{name[1:]}", name, "Loss: BCE", "Loss"]
    window.layouts.switch("training")
    _settle()
    shown_at = {}
    for zoom in (0, 1, 2, 3, 1):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        _settle()
        assert dock.isVisible()
        what = f"{screen_name} zoom {zoom:+d}"
        shown_at[zoom] = shown = _check_title(dock, titles, what)
        if shown == "Loss":
            problem = _label_reads_whole(panel.title_label, name, dock)
            assert problem is None, f"{what}: {problem}"
        else:
            assert not panel.title_label.isVisible() or panel._key_beside in ("beside", "under"), what
    assert shown_at[0] == titles[0]
    if screen_name == "1280x720":        # the 259-px dock
        assert shown_at[2] == name and shown_at[3] == "Loss: BCE"
    window.close()


def test_a_dock_title_takes_the_longest_that_fits_both_ways(qtbot):
    """FittedTitle on a dock made narrower and wider again: the first of its titles the title bar
    shows whole, the last where none does, and ``named_changed`` when that changes."""
    from gui.shell.dock_title import FittedTitle
    from gui.shell.presentation import window_stylesheet
    from gui.theme import THEMES
    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    window.setStyleSheet(window_stylesheet(THEMES["light"], 9.0, 12.0))     # the title bars' padding, as in the app
    window.setCentralWidget(QtWidgets.QLabel("graph"))
    dock = QtWidgets.QDockWidget()
    dock.setWidget(QtWidgets.QLabel("plot"))
    window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
    titles = ["Loss: ½ sum of squared errors", "½ sum of squared errors", "Loss"]
    fitted = FittedTitle(dock, titles)
    named = []
    fitted.named_changed.connect(named.append)
    window.resize(900, 400)
    window.show()
    qtbot.waitExposed(window)
    metrics = QtGui.QFontMetrics(dock.font())
    seen = []
    for text_width in (metrics.horizontalAdvance(titles[0]), metrics.horizontalAdvance(titles[1]),
                       metrics.horizontalAdvance(titles[1]) - 12, metrics.horizontalAdvance(titles[0])):
        room = fitted.room(dock.width())
        window.resizeDocks([dock], [dock.width() + text_width + 2 - room], QtCore.Qt.Orientation.Horizontal)
        _settle()
        seen.append(_check_title(dock, titles, f"{dock.width()} px"))
    assert seen == [titles[0], titles[1], "Loss", titles[0]]
    assert False in named and named[-1] is True and all(a != b for a, b in zip(named, named[1:])), named
