"""File → Export lesson handout…: choose the lesson (the open one, or a file), choose the PDF, and write
it behind a progress bar with Cancel.  Errors are said in a message box; nothing half-written is left."""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from gui.lessons.lesson_file import SUFFIX, Lesson, LessonError, read_lesson
from gui.shell.handout import HandoutCancelled, make_handout


def handout_start(lesson: Lesson) -> Path:
    """Where the save dialog first offers the handout: beside the lesson file, but in the home
    folder for a built-in lesson (the app's own folder, read-only once installed)."""
    from gui.lessons.builtin import builtin_folder
    if lesson.path is None:
        return Path.home() / "handout.pdf"
    path = Path(lesson.path)
    if path.resolve().parent == builtin_folder().resolve():
        return Path.home() / path.with_suffix(".pdf").name
    return path.with_suffix(".pdf")


def export_handout_interactively(parent: QtWidgets.QWidget, lesson: Lesson | None, make_window) -> Path | None:
    """The handout of ``lesson`` (or of a lesson file the user picks), drawn on ``make_window(session)``
    offscreen.  Returns the PDF written, or None (cancelled, or refused with a message)."""
    if lesson is None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(parent, "Handout of which lesson?", str(Path.home()),
                                                        f"Lessons (*{SUFFIX})")
        if not path:
            return None
        try:
            lesson = read_lesson(path)
        except LessonError as e:
            QtWidgets.QMessageBox.warning(parent, "Handout", f"Could not open the lesson {Path(path).name}: {e}")
            return None
    start = handout_start(lesson)
    out, _ = QtWidgets.QFileDialog.getSaveFileName(parent, "Export handout", str(start), "PDF (*.pdf)")
    if not out:
        return None
    out = Path(out if out.lower().endswith(".pdf") else out + ".pdf")
    dialog = QtWidgets.QProgressDialog(f"Writing the handout of {lesson.title}…", "Cancel", 0, len(lesson.slides), parent)
    dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setValue(0)

    def progress(done: int, total: int) -> bool:
        dialog.setMaximum(total)
        dialog.setValue(done)
        QtWidgets.QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        make_handout(lesson, make_window, pdf=out, progress=progress)
    except HandoutCancelled:
        return None
    except (OSError, ValueError, LessonError) as e:
        QtWidgets.QMessageBox.warning(parent, "Handout", f"Could not write {out.name}: {e}")
        return None
    finally:
        dialog.close()
        dialog.deleteLater()
    return out
