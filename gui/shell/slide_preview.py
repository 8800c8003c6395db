"""The next slide, pictured for the presenter view: a hidden window of the lecture size walks a copy of
the lesson to the slide after the one on screen and draws it (the handout's offscreen window and its
way of showing a slide, so the preview looks like the slide will).

``NextSlidePreview(make_window, lesson)``: ``ask(n)`` asks for slide n's picture (None past the last);
a moment later (so a run of clicks draws only the slide stopped at) ``ready`` gives the QImage, or None.
The hidden window is made on the first picture and closed by ``close()``.
"""
from __future__ import annotations

from PySide6 import QtCore

from gui.lessons.lesson_file import Lesson, LessonError
from gui.lessons.player import LessonPlayer
from gui.shell.export import render_image
from gui.shell.handout import offscreen_window, show_slide

DELAY_MS = 300               # after the last slide change, so fast clicking stays fast
PICTURE = (1280, 720)        # the preview drawn at the lecture size (the view scales it down)


class NextSlidePreview(QtCore.QObject):
    ready = QtCore.Signal(object)          # QImage of the asked slide, or None (no next slide, or it failed)

    def __init__(self, make_window, lesson: Lesson, size=(1280, 720), parent=None):
        super().__init__(parent)
        self._make_window, self._lesson, self._size = make_window, lesson, size
        self._session = self._window = self._player = None
        self._wanted: int | None = None
        self._closed = False                 # close()d: no picture is given any more
        self._timer = QtCore.QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def ask(self, n: int | None) -> None:
        self._wanted = n
        self._timer.start()

    def picture(self, n: int | None):
        """Slide ``n`` drawn now (a QImage), or None when there is no such slide."""
        if n is None or not 0 <= n < len(self._lesson.states()):
            return None
        if self._window is None:
            self._session, self._window = offscreen_window(self._make_window, self._size)
            self._player = LessonPlayer(self._session, self._lesson)
            self._player.start()
        show_slide(self._player, self._window, n)
        if self._closed:                       # closed in the events the drawing processed (the presenter
            return None                        # view or the lesson closed meanwhile): no picture
        return render_image(self._window, size=PICTURE)

    def close(self) -> None:
        self._closed = True
        self._timer.stop()
        if self._window is not None:
            self._session.stop()
            self._window.close()
            self._window.deleteLater()
            self._session = self._window = self._player = None

    def _on_timer_timeout(self) -> None:
        try:
            image = self.picture(self._wanted)
        except (LessonError, ValueError, OSError):
            image = None
        if not self._closed:                 # (closed, and perhaps deleted, during the drawing's events)
            self.ready.emit(image)
