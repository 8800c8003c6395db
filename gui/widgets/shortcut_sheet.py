"""The keyboard shortcut sheet (F1 or ?): every key in large type, readable from the back row.

``ShortcutSheet(parent)`` shows the built-in list ``DEFAULT_SHORTCUTS``; ``ShortcutSheet.from_actions``
builds the list from the window's QActions (their shortcuts and texts), so it cannot drift from
what the keys really do.  Esc, a click or the Close button closes it.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.widgets.screen_fit import FRAME, available_area, fit_to_screen

TYPE_SCALES = (1.0, 0.9, 0.8, 0.72, 2 / 3)   # the sheet's type, largest first, until it fits its screen (a 1024×768
# projector); its keys and descriptions are 1.5 times its font (the panels' size), so at least that size

# (section, [(keys, what they do)]); keys separated by " / " are alternatives.
DEFAULT_SHORTCUTS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Stepping", [
        ("→ / Page Down", "Next micro-step"),
        ("← / Page Up", "Previous micro-step"),
        ("Home", "First micro-step"),
        ("Enter", "Finish the example"),
        ("N", "Next example"),
    ]),
    ("Training", [
        ("Space", "Play / pause training"),
        ("R", "Reset"),
    ]),
    ("Presenting", [
        ("F11", "Full screen"),
        ("Ctrl+= / Ctrl+−", "Zoom in / out"),
        ("Ctrl+0", "Normal size"),
        ("B", "Blank the screen"),
        ("F1 / ?", "This sheet"),
    ]),
    ("Files", [
        ("Ctrl+O", "Open…"),
        ("Ctrl+S", "Save…"),
        ("Esc", "Close a dialog or this sheet"),
    ]),
]

_KEY_NAMES = {"Right": "→", "Left": "←", "Up": "↑", "Down": "↓", "PgDown": "Page Down",
              "PgUp": "Page Up", "Return": "Enter", "Ctrl+-": "Ctrl+−", "Del": "Delete",
              "Shift+?": "?", "Ctrl++": ""}   # aliases registered for keyboard quirks, not listed


def key_text(seq: QtGui.QKeySequence) -> str:
    """A shortcut as printed on the sheet: arrows as arrows, Return as Enter."""
    text = seq.toString(QtGui.QKeySequence.SequenceFormat.PortableText)
    return _KEY_NAMES.get(text, text)


def action_entry(action: QtGui.QAction) -> tuple[str, str] | None:
    """(keys, description) for an action with shortcuts, None for one without."""
    keys: list[str] = []
    for seq in action.shortcuts():
        t = key_text(seq)
        if t and t not in keys:
            keys.append(t)
    if not keys:
        return None
    return " / ".join(keys), action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


class ShortcutSheet(QtWidgets.QDialog):
    def __init__(self, parent=None, sections=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("ShortcutSheet")
        self.sections = list(sections if sections is not None else DEFAULT_SHORTCUTS)
        self._build()

    @classmethod
    def from_actions(cls, actions, parent=None) -> "ShortcutSheet":
        """``actions``: a dict {section: [QAction, ...]} or a flat iterable of QActions (one section).
        Actions without shortcuts are skipped, duplicates listed once; Esc is always listed."""
        groups = actions.items() if isinstance(actions, dict) else [("Keys", actions)]
        sections, seen = [], set()
        for title, acts in groups:
            rows = []
            for a in acts:
                entry = action_entry(a) if isinstance(a, QtGui.QAction) else None
                if entry is not None and id(a) not in seen:
                    seen.add(id(a))
                    rows.append(entry)
            if rows:
                sections.append((title, rows))
        if not any(keys == "Esc" for _, rows in sections for keys, _ in rows):
            sections.append(("Dialogs", [("Esc", "Close a dialog or this sheet")]))
        return cls(parent, sections)

    def entries(self) -> list[tuple[str, str]]:
        """Every (keys, description) row, in order."""
        return [row for _, rows in self.sections for row in rows]

    def _build(self) -> None:
        self.ensurePolished()        # the font its window's style sheet gives a dialog: the panels' size at the zoom
        base = self.font().pointSizeF()
        base = base if base > 0 else 10.0
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 22)
        outer.setSpacing(14)
        heading = QtWidgets.QLabel("Keyboard shortcuts")
        heading.setStyleSheet(f"font-size: {base * 2.0:.1f}pt; font-weight: bold;")
        outer.addWidget(heading)
        scroll = QtWidgets.QScrollArea()        # scrolls only when even the smallest type does not fit
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        outer.addWidget(scroll, 1)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        area = available_area(self)
        room = QtCore.QSize(area.width() - FRAME.width(), area.height() - FRAME.height())
        chrome = QtCore.QSize(56 + 24, heading.sizeHint().height() + buttons.sizeHint().height() + 44 + 28 + 20)
        columns = 2 if sum(len(rows) + 1 for _, rows in self.sections) > 9 else 1
        for scale in TYPE_SCALES:                # the largest type at which the sheet fits its screen
            body = self._body(base * scale, base, columns)
            body.adjustSize()
            want = body.sizeHint() + chrome
            if want.width() <= room.width() and want.height() <= room.height():
                break
            body.deleteLater()
        else:       # not even the smallest (a big zoom on a small screen): it scrolls down, never sideways
            if want.width() > room.width():
                columns = 1
            body = self._body(base * scale, base, columns)
            body.adjustSize()
            want = body.sizeHint() + chrome
        scroll.setWidget(body)
        self.type_scale = scale
        fit_to_screen(self, want)

    def _body(self, base: float, floor: float, n_columns: int) -> QtWidgets.QWidget:
        """The sections in ``n_columns`` columns, at type ``base`` pt, no text smaller than ``floor``
        pt (the sheet's own font: the panels' size)."""
        body = QtWidgets.QWidget()
        columns = QtWidgets.QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(48)
        col_layouts = [QtWidgets.QGridLayout() for _ in range(n_columns)]
        used = [0] * len(col_layouts)
        for title, rows in self.sections:
            c = used.index(min(used))
            grid, r = col_layouts[c], used[c]
            head = QtWidgets.QLabel(title)
            head.setStyleSheet(f"font-size: {max(base * 1.35, floor):.2f}pt; font-weight: bold; padding-top: 8px;")
            grid.addWidget(head, r, 0, 1, 2)
            for keys, text in rows:
                r += 1
                grid.addWidget(self._keys(keys, base, floor), r, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
                label = QtWidgets.QLabel(text)
                label.setStyleSheet(f"font-size: {max(base * 1.5, floor):.2f}pt;")
                grid.addWidget(label, r, 1)
            used[c] = r + 2
        for grid in col_layouts:
            grid.setHorizontalSpacing(18)
            grid.setVerticalSpacing(8)
            grid.setRowStretch(grid.rowCount(), 1)
            grid.setColumnStretch(1, 1)
            columns.addLayout(grid, 1)
        return body

    def _keys(self, keys: str, base: float, floor: float) -> QtWidgets.QWidget:
        """Key caps for 'A / B': each alternative in a bordered box."""
        box = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        pal = self.palette()
        fg = pal.color(QtGui.QPalette.ColorRole.WindowText).name()
        bg = pal.color(QtGui.QPalette.ColorRole.AlternateBase).name()
        for i, k in enumerate(keys.split(" / ")):
            if i:
                sep = QtWidgets.QLabel("or")
                sep.setStyleSheet(f"font-size: {max(base * 1.2, floor):.2f}pt;")
                row.addWidget(sep)
            cap = QtWidgets.QLabel(k)
            cap.setObjectName("keycap")
            cap.setStyleSheet(f"font-size: {max(base * 1.5, floor):.2f}pt; font-weight: bold; color: {fg};"
                              f"background: {bg}; border: 2px solid {fg}; border-radius: 6px; padding: 2px 10px;")
            row.addWidget(cap)
        return box

    def mouseReleaseEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        """A click anywhere on the sheet closes it (a presenter's remote has no Esc)."""
        self.reject()
