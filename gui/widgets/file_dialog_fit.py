"""Qt's own file dialog (the one Qt draws where the desktop offers no file chooser of its own) with
columns that fit their text at lecture size.

Qt sizes the detail view's columns once, when it makes the dialog, from sample strings ("128.88 GB")
in the font the dialog has before the window's style sheet gives it the panels' size (and restores
the widths the last file dialog was left with): at zoom +3 on a 1024×768 screen the Size column cut
"123.46 KiB" and Type and Date Modified lay beyond the view's right edge.

``ColumnFit.attach(dialog)`` (the window's Presentation calls it when one of its file dialogs comes
to the front) makes Size, Type and Date Modified as wide as their titles and widest entries and gives
Name the rest of the view; when the columns need more than the view has, it widens the dialog within
its screen.  Where the screen is too narrow for long file names, Name keeps half the view (or its
widest name) and the last columns scroll into view: a lecturer picks a file by its name.  It fits
again when a folder's entries are listed, when the view is resized, and when the zoom changes the
dialog's font (the dialog then grows too)."""
from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtWidgets

from gui.widgets.screen_fit import fit_to_screen

_EVENT = QtCore.QEvent.Type
NAME = 0        # the detail view's Name column: it takes the room the others leave
# Each dialog's fit, by the dialog's C++ address, until the fit goes with its dialog: Python holds the
# fits.  A static QFileDialog.getOpenFileName makes its dialog in C++; held only through its parent,
# a fit's Python wrapper was once lost while the fit lived on (in a real window: its eventFilter ran on
# an empty wrapper, "'ColumnFit' object has no attribute 'tree'", and a signal found no slot).
_FITS: dict[int, "ColumnFit"] = {}


class ColumnFit(QtCore.QObject):
    """Keeps ``dialog``'s detail-view columns fitted to their text (a child of the dialog)."""

    def __init__(self, dialog: QtWidgets.QFileDialog, tree: QtWidgets.QTreeView):
        super().__init__(dialog)
        self.dialog, self.tree = dialog, tree
        key = _address(dialog)
        _FITS[key] = self
        self.destroyed.connect(lambda *_: _FITS.pop(key, None))
        self._grow = False                  # the next timed fit may widen the dialog (new entries, new font)
        self._timer = QtCore.QTimer(self)   # one fit after a burst of changes (rows arrive in batches)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)
        model = tree.model()
        model.rowsInserted.connect(self._on_rows_inserted)
        model.dataChanged.connect(self._on_data_changed)
        model.layoutChanged.connect(self._on_layout_changed)
        tree.installEventFilter(self)

    @classmethod
    def attach(cls, dialog: QtWidgets.QFileDialog) -> ColumnFit | None:
        """The dialog's fit (made on first call) after fitting now; None for a dialog with no detail
        view of its own (the desktop's native file chooser)."""
        fit = _FITS.get(_address(dialog))
        if fit is None:
            tree = dialog.findChild(QtWidgets.QTreeView, "treeView")
            if tree is None or tree.model() is None:
                return None
            fit = cls(dialog, tree)
        fit.fit(grow=True)
        return fit

    # -- what each column needs -------------------------------------------------------------------
    def needs(self) -> dict[int, int]:
        """{shown column: pixels for its title (the header's own size hint, sort arrow included) and
        for its widest listed entry (the view's own size hint)}."""
        header = self.tree.header()
        return {c: max(header.sectionSizeHint(c), self.tree.sizeHintForColumn(c))
                for c in range(header.count()) if not header.isSectionHidden(c)}

    def fit(self, grow: bool = False) -> None:
        """Size the columns to ``needs``, Name taking the rest of the view; with ``grow``, first
        widen the dialog (within its screen) by what the columns lack."""
        needs = self.needs()
        if not needs:
            return
        header = self.tree.header()
        others = sum(w for c, w in needs.items() if c != NAME)
        lacking = others + needs.get(NAME, 0) - self.tree.viewport().width()
        if grow and lacking > 0 and self.dialog.isVisible():
            wanted = QtCore.QSize(self.dialog.width() + lacking, self.dialog.height())
            fit_to_screen(self.dialog, wanted.expandedTo(self.dialog.sizeHint()))
            self.dialog.layout().activate()     # the view's new width now, not at the next event
        room = self.tree.viewport().width()
        for c, w in needs.items():
            if c != NAME:
                header.resizeSection(c, w)
        if NAME in needs:          # the rest of the view, and at least its widest name or half the view
            header.resizeSection(NAME, max(min(needs[NAME], room // 2), room - others))

    # -- when to fit --------------------------------------------------------------------------------
    def _later(self, grow: bool) -> None:
        self._grow = self._grow or grow
        self._timer.start()

    def _on_rows_inserted(self, *_) -> None:
        self._later(grow=True)

    def _on_data_changed(self, *_) -> None:
        self._later(grow=True)

    def _on_layout_changed(self, *_) -> None:
        self._later(grow=True)

    def _on_timer_timeout(self) -> None:
        grow, self._grow = self._grow, False
        self.fit(grow=grow)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        """The view's font changed (a zoom: the dialog may grow) or its size (the user's: only the
        columns follow)."""
        if watched is self.tree and event.type() in (_EVENT.FontChange, _EVENT.Resize):
            self._later(grow=event.type() == _EVENT.FontChange)
        return False


def _address(dialog: QtWidgets.QWidget) -> int:
    return shiboken6.getCppPointer(dialog)[0]
