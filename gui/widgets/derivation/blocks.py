"""Building blocks of the derivation panel: a list of typeset equations (scrolled by the panel) and
the layout-convention toggle."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.derivation import EquationBlock, convention_note
from gui.mathview import MathView
from gui.plain_math import unbroken
from gui.theme import THEMES, Theme
from gui.widgets.derivation.flow_layout import FlowLayout
from gui.widgets.screen_fit import scroll_area_of
from gui.widgets.visibility import unseen_in_window, when_shown

BASE_TEXT_PT = 11.0


def scaled_font(widget: QtWidgets.QWidget, scale: float, factor: float = 1.0, bold: bool = False):
    f = widget.font()
    f.setPointSizeF(BASE_TEXT_PT * scale * factor)
    f.setBold(bold)
    return f


class BlockList(QtWidgets.QWidget):
    """EquationBlocks one under another: a bold title, the explanation, the typeset equation.

    As tall as its blocks: the scroll area it is shown in (the derivation panel's) is the one that
    scrolls, so a page never scrolls inside a panel that scrolls too.  Text wraps to the width and
    equations wrap before relations (MathView), so nothing is cut and nothing needs sideways
    scrolling but a piece wider than the panel, which scrolls sideways on its own.  The rows'
    widgets are kept and refilled from one step to the next, so a step re-lays out the list once
    instead of building it anew."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._layout = QtWidgets.QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self._layout.setSpacing(4)
        self._layout.addStretch(1)
        self.blocks: list[EquationBlock] = []
        self._rows: list[tuple[QtWidgets.QLabel, QtWidgets.QLabel, MathView]] = []
        self._scale = 1.0
        self._pending: float | None = None     # the font scale of blocks kept but not shown yet
        self._theme = THEMES["light"]
        self._target: str | None = None        # the start of the title of a block to scroll to once laid out

    @property
    def math_views(self) -> list[MathView]:
        """The equations shown, in order."""
        self._flush()
        return [view for (_, _, view), block in zip(self._rows, self.blocks) if block.latex]

    def set_blocks(self, blocks: list[EquationBlock], font_scale: float = 1.0, theme: Theme = THEMES["light"]) -> None:
        """Show ``blocks``; while the list cannot be seen (a dock tab behind another) only keep them,
        and typeset when it comes into view.  ``theme`` colours an equation's stand-in and a failed
        one's raw LaTeX."""
        self.blocks, self._pending, self._theme = list(blocks), font_scale, theme
        if not unseen_in_window(self):
            self._flush()

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().showEvent(event)
        when_shown(self, self._flush)
        self._flush()

    def fill_before_shown(self) -> None:
        """Put the blocks kept while unseen into the rows now, just before the list is shown: a
        resize kept while it was hidden is delivered before the show, and laid out the rows it
        still held (the micro-step it last showed), then the show laid them out again."""
        self._flush()

    def scroller(self) -> QtWidgets.QScrollArea | None:
        """The scroll area the list is shown in (the one that scrolls it), if any."""
        return scroll_area_of(self)

    def scroll_to_block(self, title_start: str) -> bool:
        """Scroll the first block whose title starts with ``title_start`` to the top of the view (as
        far as the scroll area the list is in scrolls), once it is laid out; False if no block of
        the list has that title."""
        if not any(b.title.startswith(title_start) for b in self.blocks):
            return False
        self._target = title_start
        QtCore.QTimer.singleShot(0, self._scroll_to_target)      # after the layout this step asked for
        return True

    def _scroll_to_target(self) -> None:
        if self._target is None or self._pending is not None:
            return                                                # not shown yet: _flush comes back here
        target, self._target = self._target, None
        area = self.scroller()
        for (title, _, _), block in zip(self._rows, self.blocks):
            if block.title.startswith(target) and area is not None:
                self._lay_out_now()
                area.verticalScrollBar().setValue(title.mapTo(area.widget(), QtCore.QPoint(0, 0)).y())
                return

    def _flush(self) -> None:
        if self._pending is None:
            return
        font_scale, self._pending = self._pending, None
        rescale = font_scale != self._scale
        self._scale = font_scale
        self.setUpdatesEnabled(False)
        self._layout.setEnabled(False)
        while len(self._rows) < len(self.blocks):
            self._add_row()
        for i, (title, text, view) in enumerate(self._rows):
            block = self.blocks[i] if i < len(self.blocks) else None
            if rescale or not title.property("styled"):
                self._style_row(title, text)
            title.setVisible(block is not None)
            text.setVisible(block is not None and bool(block.text))
            view.setVisible(block is not None and bool(block.latex))
            if block is None:
                continue
            title.setText(unbroken(block.title))           # wrapped at spaces, never inside ∂C/∂a
            if block.text:
                text.setText(unbroken(block.text))
            if block.latex:
                view.set_colors(self._theme.error, self._theme.muted)
                view.set_font_scale(font_scale)
                view.set_latex(block.latex)
        self._layout.setEnabled(True)
        self.setUpdatesEnabled(True)
        self._lay_out_now()
        if self._target is not None:
            QtCore.QTimer.singleShot(0, self._scroll_to_target)

    def _lay_out_now(self) -> None:
        """Lay the list out now, in this pass, up to the scroll area it is in (which sizes its content
        on this event): the rows get their wrapped heights before the first paint instead of in a
        later pass and a second paint.  Laid out once, top down, at the height the scroll area gives
        it: bottom up, each widget was laid out at its old height first (the rows squeezed, then
        grown again: at diagram's update step, seven passes of every row).  So the layouts from the
        list up to the area's widget are invalidated, the area sizes its widget for them, and they
        are laid out from the top."""
        chain, w = [], self
        while w is not None and not isinstance(w, QtWidgets.QAbstractScrollArea):
            chain.append(w)          # the list, the page stack, …, the area's viewport
            w = w.parentWidget()
        if w is not None:
            for widget in chain:
                if widget.layout() is not None:
                    widget.layout().invalidate()
                widget.updateGeometry()
            QtCore.QCoreApplication.sendEvent(w, QtCore.QEvent(QtCore.QEvent.Type.LayoutRequest))
        for widget in reversed(chain):
            QtCore.QCoreApplication.sendPostedEvents(widget, QtCore.QEvent.Type.LayoutRequest)
        if w is not None:
            QtCore.QCoreApplication.sendPostedEvents(w, QtCore.QEvent.Type.LayoutRequest)

    def _add_row(self) -> None:
        title, text = QtWidgets.QLabel(), QtWidgets.QLabel()
        title.setWordWrap(True)
        title.setTextFormat(QtCore.Qt.TextFormat.PlainText)     # bold by its font; "The loss's slope" as written
        title.setContentsMargins(0, 10, 0, 0)
        text.setWordWrap(True)
        text.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        view = MathView("", self._scale)
        at = self._layout.count() - 1          # before the stretch
        for i, w in enumerate((title, text, view)):
            self._layout.insertWidget(at + i, w)
        self._rows.append((title, text, view))

    def _style_row(self, title: QtWidgets.QLabel, text: QtWidgets.QLabel) -> None:
        title.setFont(scaled_font(title, self._scale, 1.1, bold=True))
        text.setFont(scaled_font(text, self._scale))
        title.setProperty("styled", True)


NOTE_LINES = 3      # the convention note is shown while it wraps to at most this many lines


class ConventionToggle(QtWidgets.QWidget):
    """Two radio buttons bound to session.settings.convention, and a line on what changes.

    On a narrow dock or at a large zoom the note would take the panel's height from the derivation
    itself (seven lines at zoom +3 in the Training layout at 1024×768): wrapped to more than
    NOTE_LINES lines it is hidden, and the label and buttons carry it as their tooltip."""

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
        top = FlowLayout()              # "Layout:" and the two buttons wrap on a narrow dock
        self.label = QtWidgets.QLabel("Layout:")
        for w in (self.label, self.column, self.row):
            top.addWidget(w)
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
        self.label.setToolTip(convention_note(conv))
        for w in (self.label, self.column, self.row):
            w.setFont(scaled_font(w, scale, 1.0, bold=w is self.label))
        self.note.setFont(scaled_font(self.note, scale, 0.9))
        self._fit_note()

    def _fit_note(self) -> None:
        """Show the note where it wraps to at most NOTE_LINES lines as wide as it is with the
        panel's scroll bar shown, whether or not it is: measured at its own width, a note that
        made the panel scroll was hidden for the bar's 14 px, the bar went and showed it again
        (xor at 1024×768: 4 lines at 322 px, 3 at 336), and the toggle kept the note's height
        under the buttons, a 70-px gap."""
        room, scroll = self.width(), scroll_area_of(self)
        if scroll is not None and scroll.widget() is not None:     # the panel less its frame, bar and margins
            beside = scroll.widget().width() - self.width()
            room = scroll.width() - 2 * scroll.frameWidth() - scroll.verticalScrollBar().sizeHint().width() - beside
        lines = self.note.heightForWidth(max(room, 1)) / QtGui.QFontMetricsF(self.note.font()).lineSpacing()
        self.note.setVisible(lines <= NOTE_LINES + 0.5)

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_note()

    def _on_column_toggled(self, checked: bool) -> None:
        self.session.settings.convention = "column" if checked else "row"

    def _on_view_setting_changed(self, _value) -> None:
        self._sync()
