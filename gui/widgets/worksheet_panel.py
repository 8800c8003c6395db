"""The worksheet check panel: the wrong entries of a worksheet file checked against the current
example (File → Check worksheet), each with its mistake; choosing one jumps to the micro-step
where that value appears and selects its neuron or weight on the graph.  Read on a projector: its
text is the panels' size at the View's zoom (it was the window's 9-pt menu size, ~12 px at
1024×768), each wrong entry as Predict's verdict writes it (the mistake's sentence, not its code)."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.numbers import format_number
from gui.session_types import Selection
from gui.theme import panel_point_size, set_font_within


class WorksheetPanel(QtWidgets.QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.quiz = session.quiz
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.header = QtWidgets.QLabel("No worksheet checked: File → Check worksheet… opens a filled CSV.")
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.list = QtWidgets.QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(3)                      # the entries apart: each wraps over two or three lines
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.itemClicked.connect(self._on_item_activated)
        layout.addWidget(self.list, 1)
        self.quiz.checked.connect(self._on_quiz_checked)
        session.settings.font_scale_changed.connect(self._on_font_scale_changed)
        self._apply_font()
        self._on_quiz_checked()

    def _on_font_scale_changed(self, _scale: float) -> None:
        self._apply_font()

    def _apply_font(self) -> None:
        font = self.font()
        font.setPointSizeF(panel_point_size(self.session.settings.font_scale))
        set_font_within(self, font)

    def _on_quiz_checked(self) -> None:
        self.list.clear()
        results = self.quiz.file_results
        if not self.quiz.file_name:
            self.header.setText("No worksheet checked: File → Check worksheet… opens a filled CSV.")
            return
        wrong = [r for r in results if not r.ok]
        self.header.setText(f"{self.quiz.file_name}: {len(results) - len(wrong)} right, {len(wrong)} wrong"
                            + (" — choose one to go to its micro-step" if wrong else ""))
        for r in wrong:
            why = "; ".join(r.sentences())
            item = QtWidgets.QListWidgetItem(f"✗ {r.entry.symbol}: yours {format_number(r.got)}, "
                                             f"right {format_number(r.expected)} — {why}")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, r.entry)
            item.setToolTip(r.entry.label)
            self.list.addItem(item)

    def _on_item_activated(self, item: QtWidgets.QListWidgetItem) -> None:
        entry = item.data(QtCore.Qt.ItemDataRole.UserRole)
        self.session.seek(self.quiz.step_of(entry))
        if entry.quantity in ("dC_dW", "W_new"):
            self.session.select(Selection.edge(entry.layer - 1, entry.j - 1, entry.k - 1))
        elif entry.layer is not None:
            self.session.select(Selection.neuron(entry.layer, entry.j - 1))
