"""Building blocks of the derivation panel: a scrolling list of typeset equations and the
layout-convention toggle."""
from __future__ import annotations

import html

from PySide6 import QtCore, QtWidgets

from gui.derivation import EquationBlock, convention_note
from gui.mathview import MathView

BASE_TEXT_PT = 11.0


def scaled_font(widget: QtWidgets.QWidget, scale: float, factor: float = 1.0, bold: bool = False):
    f = widget.font()
    f.setPointSizeF(BASE_TEXT_PT * scale * factor)
    f.setBold(bold)
    return f


class BlockList(QtWidgets.QScrollArea):
    """EquationBlocks one under another: a bold title, the explanation, the typeset equation."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self._inner = QtWidgets.QWidget()
        self._layout = QtWidgets.QVBoxLayout(self._inner)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self._layout.setSpacing(4)
        self._layout.addStretch(1)
        self.setWidget(self._inner)
        self.blocks: list[EquationBlock] = []
        self.math_views: list[MathView] = []
        self._scale = 1.0

    def set_blocks(self, blocks: list[EquationBlock], font_scale: float = 1.0) -> None:
        self.blocks, self._scale = list(blocks), font_scale
        while self._layout.count() > 1:
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.math_views = []
        at = 0
        for block in self.blocks:
            for widget in self._widgets_for(block):
                self._layout.insertWidget(at, widget)
                at += 1

    def _widgets_for(self, block: EquationBlock) -> list[QtWidgets.QWidget]:
        title = QtWidgets.QLabel(html.escape(block.title))
        title.setFont(scaled_font(title, self._scale, 1.1, bold=True))
        title.setWordWrap(True)
        title.setContentsMargins(0, 10, 0, 0)
        out = [title]
        if block.text:
            text = QtWidgets.QLabel(block.text)
            text.setWordWrap(True)
            text.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            text.setFont(scaled_font(text, self._scale))
            out.append(text)
        if block.latex:
            view = MathView(block.latex, self._scale)
            self.math_views.append(view)
            out.append(view)
        return out


class ConventionToggle(QtWidgets.QWidget):
    """Two radio buttons bound to session.settings.convention, and a line on what changes."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.column = QtWidgets.QRadioButton("Column vectors")
        self.row = QtWidgets.QRadioButton("Row vectors")
        self.column.setToolTip("δ = Wᵀδ ⊙ σ′ — denominator layout: a gradient has the shape of what it differentiates")
        self.row.setToolTip("δ = δ W diag σ′ — numerator layout: a gradient is the Jacobian of C, a row")
        self.group = QtWidgets.QButtonGroup(self)
        self.group.addButton(self.column)
        self.group.addButton(self.row)
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        self.label = QtWidgets.QLabel("Layout:")
        for w in (self.label, self.column, self.row):
            top.addWidget(w)
        top.addStretch(1)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.note)
        self.column.toggled.connect(self._on_column_toggled)
        session.settings.convention_changed.connect(self._on_view_setting_changed)
        session.settings.font_scale_changed.connect(self._on_view_setting_changed)
        self._sync()

    def _sync(self) -> None:
        conv, scale = self.session.settings.convention, self.session.settings.font_scale
        (self.column if conv == "column" else self.row).setChecked(True)
        self.note.setText(convention_note(conv))
        for w in (self.label, self.column, self.row):
            w.setFont(scaled_font(w, scale, 1.0, bold=w is self.label))
        self.note.setFont(scaled_font(self.note, scale, 0.9))

    def _on_column_toggled(self, checked: bool) -> None:
        self.session.settings.convention = "column" if checked else "row"

    def _on_view_setting_changed(self, _value) -> None:
        self._sync()
