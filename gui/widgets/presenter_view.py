"""The presenter view: a window for the lecturer's own screen with the current slide's note, the next
slide's title, picture (``set_preview``) and note, the slide counter and the time since the lesson began.  It opens on a screen
other than the window's when there is one."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.widgets.lesson_bar import NoteView


class PresenterView(QtWidgets.QWidget):
    def __init__(self, parent=None):
        super().__init__(parent, QtCore.Qt.WindowType.Window)
        self.setWindowTitle("Backprop Lens: presenter view")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.player = None
        self.counter = QtWidgets.QLabel()
        self.clock = QtWidgets.QLabel("0:00")
        self.current_title = QtWidgets.QLabel()
        self.current_note = NoteView()
        self.next_title = QtWidgets.QLabel()
        self.next_note = NoteView()
        self.preview = QtWidgets.QLabel()           # the next slide's picture (set_preview)
        self.preview.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(160, 90)
        self._image: QtGui.QImage | None = None
        big = QtGui.QFont(self.font())
        big.setPointSizeF(max(6.0, big.pointSizeF()) * 1.4)
        big.setBold(True)
        for label in (self.counter, self.clock, self.current_title):
            label.setFont(big)
        for label in (self.current_title, self.next_title):
            label.setWordWrap(True)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.counter, 1)
        top.addWidget(self.clock)
        column = QtWidgets.QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.current_title)
        column.addWidget(self.current_note)
        line = QtWidgets.QFrame()
        line.setFrameShape(QtWidgets.QFrame.Shape.HLine)
        column.addWidget(line)
        column.addWidget(self.next_title)
        column.addWidget(self.preview, 1)
        column.addWidget(self.next_note)
        self._elapsed = QtCore.QElapsedTimer()
        self._elapsed.start()
        self._timer = QtCore.QTimer(self, interval=1000)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self.resize(640, 480)

    def set_player(self, player) -> None:
        if self.player is not None:
            self.player.slide_changed.disconnect(self._on_slide_changed)
        self.player = player
        if player is not None:
            player.slide_changed.connect(self._on_slide_changed)
            self._elapsed.restart()
            if player.index >= 0:
                self._on_slide_changed(player.index)
        else:
            self.counter.setText("No lesson open")
            for w in (self.current_title, self.next_title):
                w.clear()
            for w in (self.current_note, self.next_note):
                w.set_note("")
            self.set_preview(None)

    def set_preview(self, image: QtGui.QImage | None) -> None:
        """The next slide's picture (None: no picture, e.g. after the last slide)."""
        self._image = image
        self._show_preview()

    def _show_preview(self) -> None:
        if self._image is None or self._image.isNull():
            self.preview.clear()
            return
        pixmap = QtGui.QPixmap.fromImage(self._image)
        self.preview.setPixmap(pixmap.scaled(self.preview.size(), QtCore.Qt.AspectRatioMode.KeepAspectRatio,
                                             QtCore.Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._show_preview()

    def show_on_other_screen(self, window: QtWidgets.QWidget) -> None:
        """Show on a screen other than ``window``'s if there is one, else beside it."""
        mine = window.screen()
        others = [s for s in QtGui.QGuiApplication.screens() if s is not mine]
        if others:
            self.setGeometry(others[0].availableGeometry().adjusted(40, 40, -40, -40))
        self.show()
        self.raise_()

    def _on_slide_changed(self, index: int) -> None:
        p = self.player
        st = p.state
        self.counter.setText(f"Slide {index + 1} / {p.count}")
        self.current_title.setText(st.title or f"Slide {index + 1}")
        self.current_note.set_note(st.note)
        if index + 1 < p.count:
            nxt = p.states[index + 1]
            self.next_title.setText(f"Next: {nxt.title or f'slide {index + 2}'}")
            self.next_note.set_note(nxt.note)
        else:
            self.next_title.setText("Next: the end of the lesson")
            self.next_note.set_note("")

    def _on_timer_timeout(self) -> None:
        s = self._elapsed.elapsed() // 1000
        self.clock.setText(f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}")
