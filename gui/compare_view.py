"""The comparison run as a ``RunView`` (gui.session_types), read-only, so a second GraphView can
draw it beside the first.  It forwards the main session's signals; edits are refused with a
message (the second run follows the first, it is not edited on its own)."""
from __future__ import annotations

from PySide6 import QtCore

from gui.session import Session, class_names_of
from gui.session_types import Selection


class CompareSession(QtCore.QObject):
    """Implements RunView for ``session.compare`` (or mirrors the main run until one exists)."""
    run_changed = QtCore.Signal()
    step_changed = QtCore.Signal(object)
    params_changed = QtCore.Signal()
    selection_changed = QtCore.Signal(object)

    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.main = session
        self.selection = Selection()
        session.compare_changed.connect(self._on_compare_changed)
        session.params_changed.connect(self._on_params_changed)
        session.step_changed.connect(self._on_step_changed)

    @property
    def active(self) -> bool:
        return self.main.compare is not None

    @property
    def run(self):
        return self.main.compare or self.main.run     # before a comparison exists: mirror the main run

    @property
    def net(self):
        return self.run.net

    @property
    def view(self):
        return self.run.stepper.view()

    @property
    def settings(self):
        return self.main.settings

    @property
    def playing(self) -> bool:
        return self.main.playing

    def class_names(self) -> list[str] | None:
        return class_names_of(self.run)

    def select(self, selection) -> None:
        pass                                           # selection belongs to the main run

    def set_weight(self, *args) -> bool:
        self.main.error.emit("The comparison run follows the first run; edit the first run's weights.")
        return False

    set_bias = set_weight

    def _on_compare_changed(self) -> None:
        self.run_changed.emit()
        self.step_changed.emit(self.view)

    def _on_params_changed(self) -> None:
        if self.active:
            self.params_changed.emit()

    def _on_step_changed(self, _view) -> None:
        if self.active:
            self.step_changed.emit(self.view)
