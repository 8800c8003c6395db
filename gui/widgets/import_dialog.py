"""Import a CSV file as the data set: preview, column roles, task, test fraction.

The file is read once, in a worker thread (``engine.csv_import.CsvTable``, within its byte, column
and value budgets), while a progress bar runs and Cancel stops it; the window keeps repainting.
Every change of the choices then builds the data set from that parsed table at once; a problem
(naming row and column) is shown in red and Import stays disabled until the choices are valid.
Import builds a RunConfig with the data carried in the spec (``{"name": "custom", …}``, the arrays
referenced, not copied), the input and output widths adapted and the hidden layers kept, and calls
``session.apply_config``.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from gui.theme import THEMES
from gui.widgets.screen_fit import fit_to_screen

PREVIEW_ROWS = 20
YIELD_S = 0.002      # the reader pauses this long every 256 rows (a few ms of parsing)


class _Reader(QtCore.QThread):
    """Parses the file in its own thread (``session.read_csv``; ``run`` does the work, there is no
    event loop to stop); ``cancel()`` (from any thread) makes it stop soon."""
    progress = QtCore.Signal(int, int)
    done = QtCore.Signal(object)
    failed = QtCore.Signal(str)

    def __init__(self, session, path: Path, parent=None):
        super().__init__(parent)
        self.session, self.path, self._cancel = session, path, False

    def cancel(self) -> None:
        self._cancel = True

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(done, total)
        time.sleep(YIELD_S)          # let the GUI thread take the interpreter lock now and then

    def run(self) -> None:
        try:
            table = self.session.read_csv(self.path, PREVIEW_ROWS, self._report, lambda: self._cancel)
        except ValueError as e:
            self.failed.emit(str(e))
        except MemoryError:
            self.failed.emit(f"{self.path.name}: not enough memory to read the file")
        else:
            if table is None:                  # cancelled
                self.failed.emit("")
            else:
                self.done.emit(table)


class ImportCsvDialog(QtWidgets.QDialog):
    def __init__(self, session, path, parent=None):
        super().__init__(parent)
        self.session, self.path = session, Path(path)
        self.dataset = None
        self.table_data = None             # the parsed file (engine.csv_import.CsvTable), once read
        self.reading = True
        self.setWindowTitle(f"Import {self.path.name}")
        self.table = QtWidgets.QTableWidget(self)
        self.inputs = QtWidgets.QListWidget(self)
        self.targets = QtWidgets.QListWidget(self)
        self.kind = QtWidgets.QComboBox(self)
        self.kind.addItem("Classification (one column of class labels)", "classification")
        self.kind.addItem("Regression (numeric targets)", "regression")
        self.test_fraction = QtWidgets.QDoubleSpinBox(self)
        self.test_fraction.setRange(0.0, 0.9)
        self.test_fraction.setSingleStep(0.05)
        self.test_fraction.setValue(0.2)
        self.standardize = QtWidgets.QCheckBox("Standardize inputs (mean 0, std 1 from the training split)", self)
        self.standardize.setChecked(True)
        self.status = QtWidgets.QLabel(self)
        self.status.setWordWrap(True)
        self.progress = QtWidgets.QProgressBar(self)
        self.progress.setRange(0, 0)
        self.buttons = QtWidgets.QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("Import", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        self._layout()
        scale = session.settings.font_scale          # room for the preview grows with the text (the zoom)
        fit_to_screen(self, QtCore.QSize(round(820 * scale), round(560 * scale)).expandedTo(self.sizeHint()))
        self.header: list[str] = []
        self.import_button.setEnabled(False)
        self.status.setText(f"Reading {self.path.name}…")
        self._reader = _Reader(session, self.path, self)
        # The reader allocates millions of objects: the garbage collector would run in its thread and
        # could destroy Qt objects (left in reference cycles) there, which aborts.  Collection is
        # paused while it reads and resumed here, on the GUI thread, when it has finished.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()
        self._reader.progress.connect(self._on_progress)
        self._reader.done.connect(self._on_read)
        self._reader.failed.connect(self._on_read_failed)
        self._reader.start()

    # -- reading (worker thread) ---------------------------------------------------------------
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish_reading(self) -> None:
        self.reading = False
        self.progress.hide()
        self._reader.wait()                # its last act was to send the result: it is returning
        self._resume_gc()

    def _resume_gc(self) -> None:
        if self._gc_was_enabled:
            gc.enable()
            self._gc_was_enabled = False

    def _on_read(self, table) -> None:
        self._finish_reading()
        self.table_data, self.header = table, table.header
        self._fill(table.preview)
        self.inputs.itemChanged.connect(self._on_choice_changed)
        self.targets.itemChanged.connect(self._on_choice_changed)
        self.kind.currentIndexChanged.connect(self._on_choice_changed)
        self._validate()

    def _on_read_failed(self, message: str) -> None:
        self._finish_reading()
        self._show_error(message or f"Reading {self.path.name} was cancelled")

    def done(self, result: int) -> None:
        """Closing (Cancel, Import, Esc) stops a reading still under way first."""
        if self.reading:
            self._reader.cancel()
            self.reading = False
        self._reader.wait()                # at most the 256 rows it is parsing
        self._resume_gc()
        super().done(result)

    def _layout(self) -> None:
        form = QtWidgets.QFormLayout()
        form.addRow("Task:", self.kind)
        form.addRow("Test fraction:", self.test_fraction)
        form.addRow("", self.standardize)
        columns = QtWidgets.QHBoxLayout()
        for title, widget in (("Input columns", self.inputs), ("Target column(s)", self.targets)):
            box = QtWidgets.QGroupBox(title, self)
            QtWidgets.QVBoxLayout(box).addWidget(widget)
            columns.addWidget(box)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(QtWidgets.QLabel(f"First {PREVIEW_ROWS} rows of {self.path.name}:", self))
        layout.addWidget(self.table, 1)          # as tall as the column lists: at zoom +3 on 1280×720 the lists
        # (stretch 1 to the preview's 2) showed three names and hid the target column
        layout.addLayout(columns, 1)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _fill(self, rows) -> None:
        self.table.setColumnCount(len(self.header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(self.header)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        # each column as wide as its name and cells at the current font (Qt's default width cut
        # "sepal length" to "pal leng" at zoom +3), and again when the zoom changes the font
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem(cell))
        last = len(self.header) - 1
        for c, name in enumerate(self.header):
            for widget, checked in ((self.inputs, c != last), (self.targets, c == last)):
                item = QtWidgets.QListWidgetItem(name, widget)
                item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(QtCore.Qt.CheckState.Checked if checked else QtCore.Qt.CheckState.Unchecked)
        self.kind.setCurrentIndex(0 if _looks_like_classes([row[last] for row in rows if len(row) > last]) else 1)

    # -- choices -------------------------------------------------------------------------------
    def set_columns(self, inputs: list[str], targets: list[str]) -> None:
        """Check exactly these columns (for tests and scripts)."""
        for widget, chosen in ((self.inputs, inputs), (self.targets, targets)):
            widget.blockSignals(True)
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(QtCore.Qt.CheckState.Checked if item.text() in chosen
                                   else QtCore.Qt.CheckState.Unchecked)
            widget.blockSignals(False)
        self._validate()

    def chosen(self, widget) -> list[str]:
        return [widget.item(i).text() for i in range(widget.count())
                if widget.item(i).checkState() == QtCore.Qt.CheckState.Checked]

    def _on_choice_changed(self, *_) -> None:
        self._validate()

    def _validate(self) -> bool:
        self.dataset = None
        if self.table_data is None:
            return False
        inputs, targets = self.chosen(self.inputs), self.chosen(self.targets)
        try:
            if not inputs or not targets:
                raise ValueError("choose at least one input column and one target column")
            self.dataset = self.session.csv_dataset(self.table_data, inputs, targets, self.kind.currentData())
        except ValueError as e:
            self._show_error(str(e))
            return False
        ds = self.dataset
        classes = f", classes: {', '.join(ds.target_names)}" if ds.kind == "classification" else ""
        self.status.setStyleSheet("")
        self.status.setText(f"{len(ds):,} rows, {ds.n_features} inputs → {ds.n_outputs} outputs{classes}")
        self.import_button.setEnabled(True)
        return True

    def _show_error(self, text: str) -> None:
        self.status.setStyleSheet(f"color: {THEMES[self.session.settings.theme].error};")
        self.status.setText(text)
        self.import_button.setEnabled(False)

    # -- import --------------------------------------------------------------------------------
    def config(self) -> dict:
        """The RunConfig (as a dict) the import would apply."""
        ds = self.dataset
        cfg = self.session.config.to_dict()
        spec = {"name": "custom", "title": self.path.name, "kind": ds.kind, "X": ds.X,
                "Y": ds.Y, "feature_names": list(ds.feature_names),
                "target_names": list(ds.target_names),
                "test_fraction": round(self.test_fraction.value(), 4),
                "standardize": self.standardize.isChecked()}
        cfg.update(sizes=[ds.n_features, *cfg["sizes"][1:-1], ds.n_outputs], dataset=spec,
                   W=None, b=None, example_index=0)
        return cfg

    def _on_accepted(self) -> None:
        if self.dataset is None and not self._validate():
            return
        errors: list[str] = []

        def _on_error(text: str) -> None:
            errors.append(text)

        self.session.error.connect(_on_error)
        try:
            ok = self.session.apply_config(self.config())
        finally:
            self.session.error.disconnect(_on_error)
        if ok:
            self.session.message.emit(f"Imported {self.path.name}: {len(self.dataset)} rows")
            self.accept()
        else:
            self._show_error(errors[-1] if errors else "the data set could not be used")


def _looks_like_classes(cells: list[str]) -> bool:
    """True if the column holds text or a few whole numbers."""
    values = set(cells)
    try:
        numbers = [float(c) for c in values]
    except ValueError:
        return True
    return all(v.is_integer() for v in numbers) and len(values) <= 10
