"""The lesson's caption band: the slide counter, the slide's title, where → is within the slide, and
the note with its maths, large enough to read from the back of a hall.  It follows a LessonPlayer
(``set_player``); hidden while no lesson is open.  The ◀ ▶ buttons are the player's own moves."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.lessons.note_text import note_document, note_plain
from gui.widgets.screen_fit import lay_out_now

NOTE_SCALE = 1.5           # the note's text is this much larger than the window's font (a projector)…
NOTE_FLOOR = 1.0           # … or less, down to this, where the band has less room than the note needs there
NOTE_STEP = 0.1            # (the sizes tried between the two)
HEAD_SCALE = 1.3           # the slide counter and title
MIN_WIDTH = 400            # the narrowest band a note's height is measured at


def note_scales() -> list[float]:
    """The note's sizes, largest first: NOTE_SCALE down to NOTE_FLOOR in NOTE_STEPs."""
    n = round((NOTE_SCALE - NOTE_FLOOR) / NOTE_STEP)
    return [round(NOTE_SCALE - k * NOTE_STEP, 4) for k in range(n + 1)]


class NoteView(QtWidgets.QWidget):
    """A note laid out to the widget's width (wrapping, maths inline); its height follows the width,
    and is its minimum: a window's layout (QMainWindow's central column) asks the minimum, not the
    height for the width, so a long note is never clipped (nor the band drawn over the graph).
    Given a ``room`` (``set_room``), the note takes the largest of ``note_scales()`` whose whole
    text fits that height (the floor when none does: the note is then taller than the room, whole)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._note = ""
        self._doc: QtGui.QTextDocument | None = None
        self._doc_key = None
        self._room: int | None = None      # the most height the note should take (None: no limit)
        self.scale = NOTE_SCALE            # the note's size now, times the window's font
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

    def set_room(self, room: int | None) -> None:
        """The most height the note should take (None: any), e.g. what the window's column leaves
        under a graph of its least height; the note steps its size down to fit it."""
        if room != self._room:
            self._room = room
            self._fit_height()

    def _fit_height(self) -> None:
        """The note's size (the largest that fits the room) and its whole height at the present
        width as the minimum (the width of a band of at least MIN_WIDTH before the first layout, so
        a narrow start does not ask for a tall band)."""
        width = max(self.width(), MIN_WIDTH)
        for scale in note_scales():
            self.scale = scale
            if self._room is None or self.heightForWidth(width) <= self._room:
                break
        self.setMinimumHeight(self.heightForWidth(width))
        self.updateGeometry()
        self.update()

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    def note_font(self) -> QtGui.QFont:
        f = QtGui.QFont(self.font())
        f.setPointSizeF(max(6.0, f.pointSizeF()) * self.scale)
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


def _preparing(progress: str) -> str:
    """The line under the title while a slide's work runs: "preparing… 107 of 300"."""
    return f"preparing… {progress}".rstrip()


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
        self.title.setWordWrap(True)       # wraps rather than widening the graph's column (and narrowing the
                                           # companion beside it: at 1024×768, zoom +3, to about 220 px)
        self.within = QtWidgets.QLabel()      # under the title (beside it, it narrowed the title to three lines)
        self.within.setWordWrap(True)         # "training 300 steps (→ finishes)" unwrapped at zoom +3 made the
                                              # graph's column 607 px wide at 1024×768 while the slide trained
        self._set_head_fonts()
        self.prev_button = QtWidgets.QToolButton(text="◀")
        self.prev_button.setToolTip("Back (←)")
        self.next_button = QtWidgets.QToolButton(text="▶")
        self.next_button.setToolTip("Forward (→)")
        self.close_button = QtWidgets.QToolButton(text="✕")
        self.close_button.setToolTip("Close the lesson")
        for button in (self.prev_button, self.next_button, self.close_button):
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.note = NoteView()
        self._room: int | None = None      # the most height the band should take (None: any)
        self._top = top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        up = QtCore.Qt.AlignmentFlag.AlignTop          # beside a title wrapped to two lines: level with its first
        top.addWidget(self.counter, 0, up)
        self._heading = heading = QtWidgets.QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title, 0, up)
        heading.addWidget(self.within, 0, up)
        top.addLayout(heading, 1)
        for button in (self.prev_button, self.next_button, self.close_button):
            top.addWidget(button, 0, up)
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 8)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.note)
        self.prev_button.clicked.connect(self._on_prev_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.close_button.clicked.connect(self.close_requested)
        self.title.installEventFilter(self)
        self.within.installEventFilter(self)
        self.hide()

    def _set_head_fonts(self) -> None:
        head = QtGui.QFont(self.font())
        head.setPointSizeF(max(6.0, head.pointSizeF()) * HEAD_SCALE)
        self.title.setFont(head)
        indent = QtGui.QFontMetrics(head).horizontalAdvance("  ")    # apart from the counter, every line
        self.title.setIndent(indent)
        self.within.setIndent(indent)
        head.setBold(True)
        self.counter.setFont(head)

    def changeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.FontChange:      # the zoom changed the window's font
            self._set_head_fonts()
            self._fit_labels()
        super().changeEvent(event)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched in (self.title, self.within) and event.type() == QtCore.QEvent.Type.Resize \
                and event.size().width() != event.oldSize().width():
            self._fit_labels()
        return False

    def _fit_labels(self) -> None:
        """The title's whole wrapped height at its width as its minimum, as the note's (the window's
        layout asks the minimum, not the height for the width)."""
        for label in (self.title, self.within):
            label.setMinimumHeight(0)       # (QLabel's height for a width is at least its minimum)
            label.setMinimumHeight(label.heightForWidth(label.width()) if label.text() else 0)
        self._fit_note()

    def set_room(self, room: int | None) -> None:
        """The most height the band should take (None: any): its note gets what the head row and
        the margins leave, and steps its size down to fit it (NoteView.set_room)."""
        self._room = room
        self._fit_note()

    def _fit_note(self) -> None:
        if self._room is None:
            self.note.set_room(None)
            return
        margins = self.layout().contentsMargins()
        for row in (self._heading, self._top):    # their minimum as of the labels' heights now (the cache lags
            row.invalidate()                       # a layout pass, and a row's invalidate leaves its inner rows')
        head = (self._top.minimumSize().height() + self.layout().spacing() + margins.top() + margins.bottom()
                + 2 * self.frameWidth())
        self.note.set_room(max(0, self._room - head))

    def set_player(self, player) -> None:
        if self.player is not None:
            self.player.slide_changed.disconnect(self._on_slide_changed)
            self.player.moved.disconnect(self._on_moved)
            self.player.preparing.disconnect(self._on_preparing)
            self.player.session.work.progressed.disconnect(self._on_work_progressed)
        self.player = player
        if player is None:
            self.hide()
            return
        player.slide_changed.connect(self._on_slide_changed)
        player.moved.connect(self._on_moved)
        player.preparing.connect(self._on_preparing)
        player.session.work.progressed.connect(self._on_work_progressed)
        self.show()
        if player.index >= 0:
            self._on_slide_changed(player.index)

    def _on_slide_changed(self, index: int) -> None:
        self._show_slide(index)
        self._on_moved()

    def _show_slide(self, index: int) -> None:
        st = self.player.states[index]
        self.counter.setText(f"Slide {index + 1} / {self.player.count}")
        self.title.setText(st.title)
        self.note.set_note(st.note)
        self.note.setVisible(bool(st.note))

    def _on_preparing(self, index: int) -> None:
        """Slide ``index`` is being reached (its training, its comparison): the band says so at once
        and is painted now, before the work takes the GUI thread (the window's own repaint comes
        between the work's slices); the work's progress follows on the line under the title where
        the slide has that line (its steps), so that the band is as tall while the work runs as on
        the slide: a line that went when the work ended laid the graph out again, 1 s at 1024×768,
        zoom +3, under the progress window (the work's progress is in that window)."""
        self._show_slide(index)
        self._say_preparing(index)
        lay_out_now()
        if self.isVisible():
            self.repaint()

    def _on_work_progressed(self, state) -> None:
        if self.player is not None and self.player.pending is not None and self.within.isVisibleTo(self):
            self.within.setText(_preparing(state.text))   # (one line, as tall as before: no refit)

    def _say_preparing(self, index: int) -> None:
        st = self.player.states[index]
        self.within.setText(_preparing(""))
        self.within.setVisible(st.through > st.micro_step)      # the slide's "step 1 of n" line (_on_moved)
        self._fit_labels()
        self.next_button.setEnabled(False)
        self.prev_button.setEnabled(False)

    def _on_moved(self) -> None:
        at, of = self.player.position()
        if self.player.training is not None:          # the slide's training steps are playing
            st = self.player.state
            self.within.setText(f"training {st.train_steps} steps (→ finishes)")
        else:
            self.within.setText(f"step {at} of {of}" if of > 1 else "")
        self.within.setVisible(bool(self.within.text()))     # no empty line under the title
        self._fit_labels()                # the title's text (a new slide) or this line's may wrap differently
        last = self.player.index == self.player.count - 1 and at >= of and self.player.training is None
        self.next_button.setEnabled(not last)
        self.prev_button.setEnabled(self.player.index > 0 or at > 1)

    def _on_prev_clicked(self) -> None:
        self.player.prev()

    def _on_next_clicked(self) -> None:
        self.player.next()
