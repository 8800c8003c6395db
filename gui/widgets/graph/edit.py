"""The graph view's inline editor: a transient QLineEdit over a double-clicked edge.  Enter applies
the typed weight (or bias) through the session, Escape cancels; text that is not a finite number
turns the editor red, shows a message in the view and changes nothing."""
from __future__ import annotations

import math

from PySide6 import QtCore, QtWidgets

from engine.notation import sub, sup, weight_name
from gui.numbers import book, format_exact

def editor_css(theme, refused: bool = False) -> str:
    """The editor in the theme's panel and text colours, outlined in its accent (its error colour
    once the text is refused): a white box on the dark theme glared on a projector."""
    border = theme.error if refused else theme.accent
    return f"QLineEdit {{ border: 2px solid {border}; background: {theme.panel}; color: {theme.foreground}; }}"


def parse_number(text: str) -> float:
    """A finite float from what the user typed ('0,5' reads as 0.5, '−' as '-'); ValueError otherwise."""
    cleaned = text.strip().replace(",", ".").replace("−", "-")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


class EdgeEditor(QtCore.QObject):
    """Owned by a GraphView; ``line_edit`` is None while no edit is open."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.line_edit: QtWidgets.QLineEdit | None = None
        self.target = None

    def open(self, hit, pos) -> None:
        self.cancel()
        gv, s = self.view, self.view.scale
        net = gv.session.net
        if hit.kind == "edge":
            value, label = float(net.W[hit.k][hit.j, hit.i]), weight_name(hit.k + 1, book(hit.j), book(hit.i))
        else:
            value, label = float(net.b[hit.k][hit.j]), f"b{sup(hit.k + 1)}{sub(book(hit.j))}"
        self.target = hit
        ed = QtWidgets.QLineEdit(gv)
        ed.setObjectName("graph_weight_editor")
        ed.setFont(gv.font_at(1.0))
        ed.setText(format_exact(value))
        ed.setToolTip(f"New value of {label}: Enter applies, Escape cancels")
        ed.setStyleSheet(editor_css(gv.theme))
        w, h = round(130 * s), round(ed.sizeHint().height() + 4 * s)
        x = min(max(round(pos.x()) - w // 2, 0), max(gv.width() - w, 0))
        y = min(max(round(pos.y()) - h - 6, 0), max(gv.height() - h, 0))
        ed.setGeometry(x, y, w, h)
        ed.returnPressed.connect(self.apply)
        ed.installEventFilter(self)
        ed.show()
        ed.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        ed.selectAll()
        self.line_edit = ed
        gv.edit_error = ""
        gv.update()

    def apply(self) -> bool:
        ed, hit, gv = self.line_edit, self.target, self.view
        if ed is None:
            return False
        try:
            value = parse_number(ed.text())
        except ValueError:
            gv.edit_error = f"“{ed.text()}” is not a number: type a value like 0.25 (Escape cancels)"
            ed.setStyleSheet(editor_css(gv.theme, refused=True))
            gv.update()
            return False
        self.cancel()
        if hit.kind == "edge":
            return gv.session.set_weight(hit.k, hit.j, hit.i, value)
        return gv.session.set_bias(hit.k, hit.j, value)

    def cancel(self) -> None:
        ed, self.line_edit, self.target = self.line_edit, None, None
        if ed is not None:
            ed.removeEventFilter(self)
            ed.hide()
            ed.deleteLater()
        if self.view.edit_error:
            self.view.edit_error = ""
            self.view.update()

    def eventFilter(self, obj, event) -> bool:
        if (obj is self.line_edit and event.type() == QtCore.QEvent.Type.KeyPress
                and event.key() == QtCore.Qt.Key.Key_Escape):
            self.cancel()
            return True
        return False
