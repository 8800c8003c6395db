"""The lesson's caption band: the slide counter, the slide's title, where → is within the slide, and
the note with its maths, large enough to read from the back of a hall.  It follows a LessonPlayer
(``set_player``); hidden while no lesson is open.  The ◀ ▶ buttons are the player's own moves."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.lessons.note_text import note_document, note_plain

NOTE_SCALE = 1.5           # the note's text is this much larger than the window's font (a projector)
HEAD_SCALE = 1.3           # the slide counter and title
MIN_WIDTH = 400            # the narrowest band a note's height is measured at


class NoteView(QtWidgets.QWidget):
    """A note laid out to the widget's width (wrapping, maths inline); its height follows the width,
    and is its minimum: a window's layout (QMainWindow's central column) asks the minimum, not the
    height for the width, so a long note is never clipped (nor the band drawn over the graph)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._note = ""
        self._doc: QtGui.QTextDocument | None = None
        self._doc_key = None
        policy = QtWidgets.QSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @property
    def note(self) -> str:
        return self._note

    def set_note(self, note: str) -> None:
        self._note = note
        self._doc_key = None
        self.setToolTip(note_plain(note))
        self._fit_height()
        self.update()

    def _fit_height(self) -> None:
        """The note's whole height at the present width as the minimum (the width of a band of at
        least MIN_WIDTH before the first layout, so a narrow start does not ask for a tall band)."""
        self.setMinimumHeight(self.heightForWidth(max(self.width(), MIN_WIDTH)))
        self.updateGeometry()

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def note_font(self) -> QtGui.QFont:
        f = QtGui.QFont(self.font())
        f.setPointSizeF(max(6.0, f.pointSizeF()) * NOTE_SCALE)
        return f

    def document(self, width: int | None = None) -> QtGui.QTextDocument:
        width = self.width() if width is None else width
        color = self.palette().color(QtGui.QPalette.ColorRole.WindowText)
        font = self.note_font()
        key = (self._note, width, color.rgba(), font.pointSizeF())
        if key != self._doc_key:
            self._doc, self._doc_key = note_document(self._note, font, color, width), key
        return self._doc

    def hasHeightForWidth(self) -> bool:   # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:   # noqa: N802 (Qt's name)
        return 0 if not self._note else int(self.document(width).size().height()) + 2

    def sizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        width = max(self.width(), 400)
        return QtCore.QSize(width, self.heightForWidth(width))

    def paintEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if not self._note:
            return
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform)
        self.document().drawContents(painter)
        painter.end()

    def changeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if event.type() in (QtCore.QEvent.Type.PaletteChange, QtCore.QEvent.Type.FontChange):
            self._doc_key = None
            self._fit_height()
        super().changeEvent(event)


class LessonBar(QtWidgets.QFrame):
    """Slide k / n · title · (step i of m) with ◀ ▶ ✕, and the note beneath."""

    close_requested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lesson_bar")
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.player = None
        self.counter = QtWidgets.QLabel()
        self.counter.setObjectName("lesson_counter")
        self.title = QtWidgets.QLabel()
        self.title.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self._set_head_fonts()
        self.within = QtWidgets.QLabel()
        self.prev_button = QtWidgets.QToolButton(text="◀")
        self.prev_button.setToolTip("Back (←)")
        self.next_button = QtWidgets.QToolButton(text="▶")
        self.next_button.setToolTip("Forward (→)")
        self.close_button = QtWidgets.QToolButton(text="✕")
        self.close_button.setToolTip("Close the lesson")
        for button in (self.prev_button, self.next_button, self.close_button):
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.note = NoteView()
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.counter)
        top.addWidget(self.title, 1)
        top.addWidget(self.within)
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)
        top.addWidget(self.close_button)
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 8)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.note)
        self.prev_button.clicked.connect(self._on_prev_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.close_button.clicked.connect(self.close_requested)
        self.hide()

    def _set_head_fonts(self) -> None:
        head = QtGui.QFont(self.font())
        head.setPointSizeF(max(6.0, head.pointSizeF()) * HEAD_SCALE)
        self.title.setFont(head)
        head.setBold(True)
        self.counter.setFont(head)

    def changeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.FontChange:      # the zoom changed the window's font
            self._set_head_fonts()
        super().changeEvent(event)

    def set_player(self, player) -> None:
        if self.player is not None:
            self.player.slide_changed.disconnect(self._on_slide_changed)
            self.player.moved.disconnect(self._on_moved)
        self.player = player
        if player is None:
            self.hide()
            return
        player.slide_changed.connect(self._on_slide_changed)
        player.moved.connect(self._on_moved)
        self.show()
        if player.index >= 0:
            self._on_slide_changed(player.index)

    def _on_slide_changed(self, index: int) -> None:
        st = self.player.state
        self.counter.setText(f"Slide {index + 1} / {self.player.count}")
        self.title.setText(f"  {st.title}" if st.title else "")
        self.note.set_note(st.note)
        self.note.setVisible(bool(st.note))
        self._on_moved()

    def _on_moved(self) -> None:
        at, of = self.player.position()
        if self.player.training is not None:          # the slide's training steps are playing
            st = self.player.state
            self.within.setText(f"training {st.train_steps} steps (→ finishes)  ")
        else:
            self.within.setText(f"step {at} of {of}  " if of > 1 else "")
        last = self.player.index == self.player.count - 1 and at >= of and self.player.training is None
        self.next_button.setEnabled(not last)
        self.prev_button.setEnabled(self.player.index > 0 or at > 1)

    def _on_prev_clicked(self) -> None:
        self.player.prev()

    def _on_next_clicked(self) -> None:
        self.player.next()
