"""The quiz: Predict mode's state, a part the session holds (``session.quiz``), and the marks of a
checked worksheet file.

In Predict mode the student types the values of the *next* micro-step (the selected neuron's
value, or the whole vector or matrix) before it is revealed.  When the session moves to that
micro-step (→, Page Down, a clicker), the prediction is checked by the engine's worksheet checker
(engine/worksheet.py): each entry right or wrong, the right value, and a wrong one's mistake, with
the student's earlier predictions of this example as the chain a mistake can be carried through.
Scores count entries, per example and per session; the end of an example gives a summary.

Answers are typed in a layout: "column" (the column-vector convention: δ an N×1 column, ∂C/∂W
the shape of W) or "row" (δ a 1×N row, ∂C/∂W as aˡ⁻¹ ⊗ δˡ, the shape of Wᵀ).  A layout other
than the view's convention is accepted, and the difference explained once per session.

The quiz never changes the network: it reads the run and the stepper, and moves nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6 import QtCore

from engine.mistakes import MISTAKES, symbol
from engine.notation import CONVENTIONS
from engine.worksheet import Entry, Result, Worksheet, read_answers, row_shape

# which worksheet quantity a micro-step reveals (the update: the focused layer's W)
STEP_QUANTITY = {"z": "z", "a": "a", "C": "loss", "delta": "delta", "dW": "dC_dW", "db": "dC_db", "update": "W_new"}
# and the micro-step where a worksheet quantity appears
QUANTITY_STEP = {"z": "z", "a": "a", "sigma_prime": "a", "loss": "C", "dC_da": "C", "delta": "delta",
                 "dC_dW": "dW", "dC_db": "db", "W_new": "update", "b_new": "update"}
LAYOUT_NOTE = ("You answered in the {layout}-vector layout and the view asks in the {convention}-vector "
               "convention: the numbers are the same, only arranged transposed (δ as a {shape_d}, ∂C/∂W "
               "as {shape_w}). Accepted.")


@dataclass
class Question:
    """What the next micro-step reveals and what the student is asked: ``entries`` in the book's
    indices; ``grid`` (rows, columns) of the entry in ``layout``; ``cells`` the entry of each cell."""
    step_index: int
    quantity: str
    layer: int | None
    entries: list
    layout: str
    grid: tuple
    cells: dict = field(default_factory=dict)      # (row, column) -> Entry

    @property
    def symbol(self) -> str:
        return symbol(self.quantity, self.layer)

    @property
    def shape_text(self) -> str:
        r, c = self.grid
        return "a number" if (r, c) == (1, 1) and self.quantity == "loss" else f"{r}×{c}"


@dataclass
class Verdict:
    """The check of one revealed micro-step: results in worksheet order, and the layout note
    (once per session, when the answer's layout was not the view's convention)."""
    step_index: int
    quantity: str
    layer: int | None
    results: list
    note: str = ""

    @property
    def right(self) -> int:
        return sum(r.ok for r in self.results)


class Quiz(QtCore.QObject):
    changed = QtCore.Signal()               # the question, an answer, a verdict or a score changed
    revealed = QtCore.Signal(object)        # a Verdict, when a predicted micro-step is revealed
    example_done = QtCore.Signal(str)       # the end-of-example summary
    checked = QtCore.Signal()               # a worksheet file was checked (``file_results``)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self._session = session
        self.layout = session.settings.convention
        self.pending: dict[Entry, float] = {}          # typed for the next micro-step
        self.answers: dict[Entry, float] = {}          # this example's revealed predictions (the chain)
        self.verdicts: list[Verdict] = []              # this example's
        self.example_score = [0, 0]                    # right, asked
        self.session_score = [0, 0]
        self.file_results: list[Result] = []           # the last checked worksheet file
        self.file_name = ""
        self._explained = False
        self._sheet: Worksheet | None = None
        self._sheet_of = None                          # the stepper the worksheet was built from
        self._example = session.stepper                # the stepper of the example being scored
        self._index = session.view.step.index
        session.step_changed.connect(self._on_step_changed)
        session.run_changed.connect(self._on_run_changed)
        session.selection_changed.connect(self._on_selection_changed)
        session.settings.predict_changed.connect(self._on_predict_changed)
        session.settings.convention_changed.connect(self._on_convention_changed)

    # -- the state widgets read ----------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self._session.settings.predict and not self._session.playing

    @property
    def tolerance(self) -> tuple[float, float]:
        st = self._session.settings
        return st.predict_rel_tol, st.predict_abs_tol

    def sheet(self) -> Worksheet | None:
        """The worksheet of the current example (None when the run is not one a worksheet covers)."""
        s = self._session
        if self._sheet_of is not s.stepper:
            try:
                self._sheet = Worksheet.from_run(s.run)
            except ValueError:
                self._sheet = None
            self._sheet_of = s.stepper
        return self._sheet

    def question(self) -> Question | None:
        """What the next micro-step reveals, in the student's layout; None at the last micro-step,
        before the input step's successor is known, or outside Predict mode."""
        s = self._session
        if not self.active or s.stepper.done or self.sheet() is None:
            return None
        step = s.stepper.steps[s.stepper.index + 1]
        q = STEP_QUANTITY.get(step.quantity)
        if q is None:
            return None
        layer = None if q == "loss" else (s.focus_layer + 1 if q == "W_new" else step.book_layer)
        entries = [e for e in self.sheet().entries() if e.quantity == q and e.layer == layer]
        picked = self._selected(q, layer)
        if picked is not None:
            entries = [picked]
        return self._arranged(step.index, q, layer, entries)

    def _selected(self, q: str, layer: int | None) -> Entry | None:
        """The selected neuron's (or weight's) entry of this quantity, if the selection is one."""
        sel = self._session.selection
        if q in ("z", "a", "delta", "dC_db") and sel.kind == "neuron" and sel.k == layer:
            return Entry(q, layer, sel.j + 1)
        if q in ("dC_dW", "W_new") and sel.kind == "edge" and sel.l + 1 == layer:
            return Entry(q, layer, sel.j + 1, sel.i + 1)
        return None

    def _arranged(self, index: int, q: str, layer, entries: list) -> Question:
        if len(entries) == 1 or q == "loss":
            return Question(index, q, layer, entries, self.layout, (1, 1), {(0, 0): entries[0]})
        shape = row_shape(self.sheet().sizes, entries[0].key)
        rows, cols = (shape[0], 1) if len(shape) == 1 else shape
        if self.layout == "row":
            rows, cols = cols, rows
        cells = {}
        for e in entries:
            j, k = e.j - 1, (e.k or 1) - 1
            cells[(k, j) if self.layout == "row" else (j, k)] = e
        return Question(index, q, layer, entries, self.layout, (rows, cols), cells)

    # -- what the student does -------------------------------------------------------------------
    def set_layout(self, layout: str) -> None:
        if layout not in CONVENTIONS:
            raise ValueError(f"layout must be one of {', '.join(CONVENTIONS)}, got {layout!r}")
        if layout != self.layout:
            self.layout = layout
            self.changed.emit()

    def set_answer(self, entry: Entry, value: float | None) -> None:
        """The student's value for an entry of the next micro-step (None clears it)."""
        if value is None:
            self.pending.pop(entry, None)
        else:
            self.pending[entry] = float(value)

    def clear(self) -> None:
        self.pending.clear()
        self.changed.emit()

    # -- reveal ----------------------------------------------------------------------------------
    def _on_step_changed(self, view) -> None:
        s = self._session
        new_example = s.stepper is not self._example
        index, before = view.step.index, self._index
        self._index, self._example = index, s.stepper
        if new_example:
            self._start_example()
        elif self.active and index == before + 1 and self.pending:
            self._reveal(index)
        elif index != before:
            self.pending.clear()
        if self.active and s.stepper.done and index != before and self.example_score[1]:
            self.example_done.emit(self.summary())
        self.changed.emit()

    def _reveal(self, index: int) -> None:
        sheet = self.sheet()
        step = self._session.stepper.steps[index]
        asked = {e: v for e, v in self.pending.items()}
        self.pending.clear()
        if sheet is None or not asked:
            return
        rel, abs_tol = self.tolerance
        chain = {**self.answers, **asked}
        results = [r for r in sheet.check(chain, rel, abs_tol) if r.entry in asked]
        self.answers.update(asked)
        note = ""
        if self.layout != self._session.settings.convention and not self._explained and len(asked) > 1:
            self._explained = True
            note = LAYOUT_NOTE.format(layout=self.layout, convention=self._session.settings.convention,
                                      shape_d="1×N row" if self.layout == "row" else "N×1 column",
                                      shape_w="aˡ⁻¹ ⊗ δˡ, the shape of Wᵀ" if self.layout == "row"
                                      else "δˡ (aˡ⁻¹)ᵀ, the shape of W")
        quantity = results[0].entry.quantity if results else STEP_QUANTITY.get(step.quantity, "")
        verdict = Verdict(index, quantity, results[0].entry.layer if results else step.book_layer, results, note)
        self.verdicts.append(verdict)
        for score in (self.example_score, self.session_score):
            score[0] += verdict.right
            score[1] += len(results)
        self.revealed.emit(verdict)

    def _start_example(self) -> None:
        self.pending.clear()
        self.answers.clear()
        self.verdicts.clear()
        self.example_score = [0, 0]

    def summary(self) -> str:
        """The end-of-example summary: the score and each mistake made, with where."""
        right, asked = self.example_score
        if not asked:
            return "No predictions in this example."
        made: dict[str, list[str]] = {}
        for v in self.verdicts:
            for r in v.results:
                for code in r.causes:
                    made.setdefault(code, []).append(r.entry.symbol)
        text = f"This example: {right} of {asked} right."
        if made:
            text += " Mistakes: " + "; ".join(f"{MISTAKES[c].title} ({', '.join(dict.fromkeys(w))})"
                                              for c, w in made.items()) + "."
        return text

    # -- a worksheet file ------------------------------------------------------------------------
    def check_file(self, path) -> list[Result]:
        """Check a worksheet CSV against the current example; WorksheetError or ValueError when it
        cannot be read or the run is not one a worksheet covers.  Keeps the results for the marks."""
        from pathlib import Path
        sheet = self.sheet()
        if sheet is None:
            Worksheet.from_run(self._session.run)          # raises the reason
        answers = read_answers(path, sheet.sizes, sheet.batched)
        self.file_results = sheet.check(answers, *self.tolerance)
        self.file_name = Path(path).name
        self.checked.emit()
        self.changed.emit()
        return self.file_results

    def clear_file(self) -> None:
        self.file_results, self.file_name = [], ""
        self.checked.emit()
        self.changed.emit()

    def step_of(self, entry: Entry) -> int:
        """The micro-step (0-based) where an entry's value appears."""
        q = QUANTITY_STEP[entry.quantity]
        for step in self._session.stepper.steps:
            if step.quantity == q and (q in ("C", "update") or step.book_layer == entry.layer):
                return step.index
        return 0

    # -- marks for the graph and heatmaps ----------------------------------------------------------
    def wrong_marks(self) -> list[Result]:
        """Wrong entries to mark: the last checked file's, and this example's revealed predictions'."""
        shown = [r for r in self.file_results if not r.ok]
        shown += [r for v in self.verdicts for r in v.results if not r.ok]
        return shown

    def _on_run_changed(self) -> None:
        self._sheet, self._sheet_of = None, None
        self.file_results, self.file_name = [], ""
        self._start_example()
        self._example, self._index = self._session.stepper, self._session.stepper.index
        self.changed.emit()

    def _on_selection_changed(self, _selection) -> None:
        if self.active:
            self.pending.clear()
            self.changed.emit()

    def _on_predict_changed(self, _on: bool) -> None:
        self.pending.clear()
        self.changed.emit()

    def _on_convention_changed(self, convention: str) -> None:
        self.layout = convention
        self.changed.emit()
