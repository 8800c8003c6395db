"""Recording a lesson from the window: "Add this view as a slide" captures what the window shows now
(example, micro-step, selection, the slide-relevant view settings and the training step count) with
a title and a note typed in place; the slides can be reordered, edited, shown and deleted in a small
list; Save asks the lesson control to write the file (it knows where the run comes from).  A saved
lesson is checked by opening it: every slide comes back with the numbers it was recorded with.

``capture(session, title, note)`` is the one place that reads a slide off the session.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.lessons.lesson_file import MAX_NOTE_CHARS, MAX_SLIDES, Slide, SlideSelection
from gui.session import Session
from gui.view_settings import ViewSettings

# the view settings a recorded slide keeps (others, such as the theme or the zoom, are the room's)
RECORDED_SETTINGS = ("layout", "companion", "derivation_page", "convention", "sig_figs", "predict", "show_bias",
                     "split_neurons")


def capture(session: Session, title: str = "", note: str = "") -> Slide:
    """The slide the window shows now, every field set (the step count absolute, so it restores
    exactly wherever the slide stands in a lesson)."""
    stepper, sel = session.stepper, session.selection
    if sel.kind == "neuron":
        select = SlideSelection("neuron", sel.k, sel.j + 1)
    elif sel.kind == "edge":
        select = SlideSelection("edge", sel.l + 1, sel.j + 1, sel.i + 1)
    elif sel.kind == "layer":
        select = SlideSelection("layer", sel.l + 1)
    else:
        select = SlideSelection("none")
    declared = {s.name for s in ViewSettings.declared()}
    view = {name: getattr(session.settings, name) for name in RECORDED_SETTINGS if name in declared}
    trained = session.trainer.step_count - (1 if stepper.updated else 0)
    k = stepper.index + 1
    return Slide(title=title or None, example=session.run.example_index + 1, micro_step=k, through=k, select=select,
                 at_step=trained, note=note, view=view)


class LessonRecorder(QtCore.QObject):
    """The recorder's state (the slides recorded so far and the lesson's title) and its dock."""

    save_requested = QtCore.Signal()        # the control writes the lesson (it knows the run's source)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.slides: list[Slide] = []
        self.panel: RecorderPanel | None = None
        self.dock: QtWidgets.QDockWidget | None = None

    def show_dock(self, window: QtWidgets.QMainWindow) -> None:
        if self.dock is None:
            self.panel = RecorderPanel(self)
            self.dock = QtWidgets.QDockWidget("Record a lesson", window)
            self.dock.setObjectName("dock_record_a_lesson")
            self.dock.setWidget(self.panel)
            window.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.dock.show()
        self.dock.raise_()

    # -- the list ----------------------------------------------------------------------------------
    def add(self, title: str, note: str) -> bool:
        if len(self.slides) >= MAX_SLIDES:
            self.session.error.emit(f"A lesson holds at most {MAX_SLIDES} slides.")
            return False
        if len(note) > MAX_NOTE_CHARS:
            self.session.error.emit(f"The note is {len(note):,} characters; a slide's note holds {MAX_NOTE_CHARS:,}.")
            return False
        self.slides.append(capture(self.session, title, note))
        return True

    def replace(self, n: int, title: str, note: str, recapture: bool) -> None:
        """Slide n's title and note changed; with ``recapture`` its state becomes the window's now."""
        old = self.slides[n]
        new = capture(self.session, title, note) if recapture else old
        new.title, new.note = title or None, note
        self.slides[n] = new

    def move(self, n: int, by: int) -> int:
        m = min(max(n + by, 0), len(self.slides) - 1)
        self.slides.insert(m, self.slides.pop(n))
        return m

    def delete(self, n: int) -> None:
        del self.slides[n]


class RecorderPanel(QtWidgets.QWidget):
    """The recorder's list and fields."""

    def __init__(self, recorder: LessonRecorder, parent=None):
        super().__init__(parent)
        self.recorder = recorder
        self.lesson_title = QtWidgets.QLineEdit(placeholderText="The lesson's title")
        self.slide_list = QtWidgets.QListWidget()
        self.slide_title = QtWidgets.QLineEdit(placeholderText="This slide's heading (optional)")
        self.note = QtWidgets.QPlainTextEdit(placeholderText="The caption students read: a few lines, maths between $ signs")
        self.note.setMaximumHeight(120)
        self.add_button = QtWidgets.QPushButton("Add this view as a slide")
        self.update_button = QtWidgets.QPushButton("Update")
        self.update_button.setToolTip("Give the selected slide this title and note and the window's view now")
        self.up_button = QtWidgets.QPushButton("Up")
        self.down_button = QtWidgets.QPushButton("Down")
        self.delete_button = QtWidgets.QPushButton("Delete")
        self.save_button = QtWidgets.QPushButton("Save lesson…")
        form = QtWidgets.QVBoxLayout(self)
        form.addWidget(self.lesson_title)
        form.addWidget(self.slide_list, 1)
        row = QtWidgets.QHBoxLayout()
        for b in (self.up_button, self.down_button, self.delete_button):
            row.addWidget(b)
        form.addLayout(row)
        form.addWidget(self.slide_title)
        form.addWidget(self.note)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.add_button, 1)
        row.addWidget(self.update_button)
        form.addLayout(row)
        form.addWidget(self.save_button)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.update_button.clicked.connect(self._on_update_clicked)
        self.up_button.clicked.connect(self._on_up_clicked)
        self.down_button.clicked.connect(self._on_down_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.save_button.clicked.connect(self.recorder.save_requested)
        self.slide_list.currentRowChanged.connect(self._on_current_row_changed)
        self._refresh()

    def _label(self, n: int, s: Slide) -> str:
        return f"{n + 1}. {s.title or '(untitled)'} · example {s.example}, micro-step {s.micro_step}, step {s.at_step}"

    def _refresh(self, current: int | None = None) -> None:
        self.slide_list.blockSignals(True)
        self.slide_list.clear()
        for n, s in enumerate(self.recorder.slides):
            self.slide_list.addItem(self._label(n, s))
        self.slide_list.blockSignals(False)
        self.slide_list.setCurrentRow(current if current is not None and 0 <= current < self.slide_list.count() else -1)
        has = self.slide_list.currentRow() >= 0
        for b in (self.update_button, self.up_button, self.down_button, self.delete_button):
            b.setEnabled(has)
        self.save_button.setEnabled(bool(self.recorder.slides))

    def _on_add_clicked(self) -> None:
        """The slide goes to the end of the list; the fields clear for the next one."""
        if self.recorder.add(self.slide_title.text(), self.note.toPlainText()):
            self._refresh()
            self.slide_list.scrollToBottom()
            self.slide_title.clear()
            self.note.clear()

    def _on_update_clicked(self) -> None:
        n = self.slide_list.currentRow()
        if n >= 0:
            self.recorder.replace(n, self.slide_title.text(), self.note.toPlainText(), recapture=True)
            self._refresh(n)

    def _on_up_clicked(self) -> None:
        self._refresh(self.recorder.move(self.slide_list.currentRow(), -1))

    def _on_down_clicked(self) -> None:
        self._refresh(self.recorder.move(self.slide_list.currentRow(), +1))

    def _on_delete_clicked(self) -> None:
        n = self.slide_list.currentRow()
        self.recorder.delete(n)
        self._refresh(min(n, len(self.recorder.slides) - 1))

    def _on_current_row_changed(self, n: int) -> None:
        if n >= 0:
            s = self.recorder.slides[n]
            self.slide_title.setText(s.title or "")
            self.note.setPlainText(s.note or "")
        for b in (self.update_button, self.up_button, self.down_button, self.delete_button):
            b.setEnabled(n >= 0)
