"""The Predict panel: the entry where a student types the next micro-step's values before → reveals
them, and the marks, right values, diagnosed mistakes and scores after.

It shows ``session.quiz``'s question as a grid shaped like the quantity (N×1 for a column vector,
the shape of W for ∂C/∂W; transposed in the row layout) with the shape written beside it, or one
field for the selected neuron or weight.  Enter (or the Reveal button) steps the session, which
reveals; the quiz checks and this panel shows the verdict.  Large type: it is read on a projector.
"""
from __future__ import annotations

import html
import math

from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_number
from gui.theme import BASE_POINT_SIZE, VERDICT_COLORS
from gui.widgets.screen_fit import SightWatch, width_in_sight
MAX_CELLS = 64                             # larger quantities are asked for the selected neuron only
NARROW_BELOW = 640                         # a panel narrower than this stacks its parts (see _arrange)
FOCUS_TRIES, FOCUS_RETRY_MS = 20, 50       # predict mode on: the first field takes the keyboard within a second


def _parse(text: str) -> float | None:
    """A typed number ("−0.5" with a Unicode minus and "0,5" with a decimal comma too), or None."""
    text = text.strip().replace("−", "-").replace(",", ".")
    if not text:
        return None
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


class _Cell(QtWidgets.QLineEdit):
    """One number of the answer.  Page Down (a presenter's clicker) and Enter reveal, Page Up
    steps back, ↑ ↓ move between the cells of a column; ← → stay for editing the number."""

    def __init__(self, panel: "PredictPanel"):
        super().__init__()
        self._panel = panel

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:   # noqa: N802 (Qt's name)
        key = QtCore.Qt.Key
        if event.key() == key.Key_PageDown:
            self._panel.session.next_step()
        elif event.key() == key.Key_PageUp:
            self._panel.session.prev_step()
        elif event.key() in (key.Key_Up, key.Key_Down):
            self.focusNextPrevChild(event.key() == key.Key_Down)
        else:
            super().keyPressEvent(event)


class PredictPanel(QtWidgets.QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.quiz = session.quiz
        self.fields: dict = {}                       # (row, column) -> QLineEdit
        self._question = None
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(8, 2, 8, 2)
        outer.setSpacing(2)
        self.title = QtWidgets.QLabel()
        self.title.setWordWrap(True)
        self.layout_box = QtWidgets.QComboBox()
        self.layout_box.addItems(["Column layout", "Row layout"])
        self.layout_box.setToolTip("How you arrange your answer: column vectors (δ as N×1, ∂C/∂W the shape of W) "
                                   "or row vectors (δ as 1×N, ∂C/∂W the shape of Wᵀ); either is accepted")
        self.layout_box.currentIndexChanged.connect(self._on_layout_chosen)
        self.reveal_button = QtWidgets.QPushButton("Reveal →")
        self.reveal_button.setToolTip("Show the next micro-step and check your values (→, Page Down or Enter)")
        self.reveal_button.clicked.connect(self._on_reveal_clicked)
        self.clear_button = QtWidgets.QPushButton("Clear")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        buttons = QtWidgets.QWidget()
        self.buttons = QtWidgets.QGridLayout(buttons)     # one row; narrow: the layout choice under Reveal
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.setColumnStretch(3, 1)
        self.top = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.LeftToRight)   # one row: the dock is short
        self.top.addWidget(self.title, 1)
        self.top.addWidget(buttons)
        outer.addLayout(self.top)

        body = QtWidgets.QHBoxLayout()
        self.grid_box = QtWidgets.QWidget()
        self.grid = QtWidgets.QGridLayout(self.grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        self.grid.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetFixedSize)   # cells never squeezed
        body.addWidget(self.grid_box, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        self.verdict = QtWidgets.QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.verdict.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.verdict.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict_area = QtWidgets.QScrollArea()
        self.verdict_area.setWidgetResizable(True)
        self.verdict_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.verdict_area.setWidget(self.verdict)
        self.verdict_area.setMinimumHeight(24)      # a line of verdict; more scrolls (not the scroll area's 70 px)
        self.score = QtWidgets.QLabel()
        self.score.setWordWrap(True)                # narrow beside a wide grid: wraps, the verdicts keep room
        self.tolerance = QtWidgets.QWidget()
        self.tol = QtWidgets.QGridLayout(self.tolerance)    # one row; narrow: the label, then a box a line, aligned
        self.tol.setContentsMargins(0, 0, 0, 0)
        self.tolerance_label = QtWidgets.QLabel()
        self.tolerance_label.setToolTip("An answer is right when it is within this fraction of the value, or "
                                        "within the absolute difference beside it")
        self.rel_tol = self._tolerance_box("predict_rel_tol", 0.5)
        self.tolerance_or = QtWidgets.QLabel("or")
        self.abs_tol = self._tolerance_box("predict_abs_tol", 1.0)
        self.line = QtWidgets.QHBoxLayout()         # the score and the tolerance above the verdicts: in
                                                    # sight on a short dock (a lesson's caption band is below)
        self.right = QtWidgets.QVBoxLayout()
        self.right.addLayout(self.line)
        body.addLayout(self.right, 1)
        outer.addLayout(body)
        self.outer = outer
        self.narrow = None
        self._arrange(narrow=False)
        SightWatch(self, self._fit_arrangement)

        self.quiz.changed.connect(self._on_quiz_changed)
        self.quiz.revealed.connect(self._on_quiz_revealed)
        self.quiz.example_done.connect(self._on_quiz_example_done)
        session.settings.font_scale_changed.connect(self._on_font_scale_changed)
        session.settings.theme_changed.connect(self._on_theme_changed)
        session.settings.predict_changed.connect(self._on_predict_changed)
        self._focus_first = False                   # give the first field the keyboard once it is in sight
        self._focus_tries = 0
        self._summary = ""
        self._verdict = None
        self._asking = False                        # the title is a question (else a message)
        self._apply_fonts()
        self._rebuild()

    # -- wide (under the graph) or narrow (beside it, a lesson's Lecture layout) -------------------
    def _arrange(self, narrow: bool) -> None:
        """Wide: the buttons beside the title, the score and tolerance above the verdict beside the
        grid.  Narrow (under NARROW_BELOW): the buttons under the title (the layout choice under Reveal
        and Clear), the score and the verdict under the grid at the panel's full width, the tolerance
        last (its label, then one box a line): nothing is wider than the panel, the companion's column
        at 1024×768 zoom +3 and a lesson's narrower one included."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        for w in (self.score, self.tolerance, self.verdict_area):
            for layout in (self.line, self.right, self.outer):
                layout.removeWidget(w)
        across, down = QtWidgets.QBoxLayout.Direction.LeftToRight, QtWidgets.QBoxLayout.Direction.TopToBottom
        self.top.setDirection(down if narrow else across)
        self.buttons.addWidget(self.reveal_button, 0, 0)
        self.buttons.addWidget(self.clear_button, 0, 1)
        self.buttons.addWidget(self.layout_box, *((1, 0, 1, 2) if narrow else (0, 2)))
        for w, place in zip((self.tolerance_label, self.rel_tol, self.tolerance_or, self.abs_tol),
                            ((0, 0, 1, 2), (1, 1), (2, 0), (2, 1)) if narrow else ((0, 0), (0, 1), (0, 2), (0, 3))):
            self.tol.addWidget(w, *place)
        for c in range(5):
            self.tol.setColumnStretch(c, 1 if c == (2 if narrow else 4) else 0)
        self.tolerance_label.setText("Right within" if narrow else "Right within: relative")
        if narrow:
            self.outer.addWidget(self.score)
            self.outer.addWidget(self.verdict_area, 1)
            self.outer.addWidget(self.tolerance)
        else:
            self.line.addWidget(self.score, 1)
            self.line.addWidget(self.tolerance)
            self.right.addWidget(self.verdict_area, 1)
        self.updateGeometry()

    def _fit_arrangement(self) -> None:
        """Stacked when the width in sight is narrow (the scroll area's view narrows: stack)."""
        self._arrange(width_in_sight(self) < NARROW_BELOW)

    # -- the keyboard: a student types at once ----------------------------------------------------
    def _on_predict_changed(self, on: bool) -> None:
        """Predict mode on: the first answer field takes the keyboard as soon as the entry is in
        sight (a keyboard-only student types without clicking; Enter or Page Down reveals)."""
        self._focus_first = on
        self._focus_tries = FOCUS_TRIES
        QtCore.QTimer.singleShot(FOCUS_RETRY_MS, self, self._take_focus)   # after the window has placed the entry

    def _take_focus(self) -> None:
        """Focus the first field once it is in sight (the window places the entry in the next passes
        of the event loop); tried every FOCUS_RETRY_MS, FOCUS_TRIES times at most."""
        first = self.fields.get((0, 0))
        if not self._focus_first:
            return
        if first is not None and first.isVisible() and not first.visibleRegion().isEmpty():
            self._focus_first = False
            first.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        elif self._focus_tries > 0:
            self._focus_tries -= 1
            QtCore.QTimer.singleShot(FOCUS_RETRY_MS, self, self._take_focus)

    def wanted_height(self) -> int:
        """The height that shows the question, its entry and the whole verdict without scrolling."""
        area = self.verdict_area
        text = self.verdict.heightForWidth(max(area.viewport().width(), 100)) if self.verdict.text() else 0
        return self.sizeHint().height() + max(0, text - area.sizeHint().height())

    def _tolerance_box(self, name: str, top: float) -> QtWidgets.QDoubleSpinBox:
        box = QtWidgets.QDoubleSpinBox()
        box.setDecimals(5)
        box.setRange(0.0, top)
        box.setSingleStep(1e-4)
        box.setValue(getattr(self.session.settings, name))
        box.valueChanged.connect(lambda v: setattr(self.session.settings, name, v))
        getattr(self.session.settings, f"{name}_changed").connect(box.setValue)
        return box

    # -- the question --------------------------------------------------------------------------
    def _rebuild(self) -> None:
        q = self.quiz.question()
        key = None if q is None else (q.step_index, q.quantity, q.layer, q.layout, tuple(q.cells.items()))
        old = None if self._question is None else (self._question.step_index, self._question.quantity,
                                                   self._question.layer, self._question.layout,
                                                   tuple(self._question.cells.items()))
        self.layout_box.blockSignals(True)
        self.layout_box.setCurrentIndex(1 if self.quiz.layout == "row" else 0)
        self.layout_box.blockSignals(False)
        self._update_score()
        if key == old and self.fields:
            return
        self._question = q
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()          # gone at once, not when the event loop deletes it
                item.widget().deleteLater()
        typing = any(f.hasFocus() for f in self.fields.values())
        self.fields = {}
        if not self.session.settings.predict:
            self._say("Predict mode is off: press P to type each micro-step's values before → reveals them.")
            self.grid_box.hide()
            self.reveal_button.setEnabled(False)       # nothing typed to reveal and check
            return
        if q is None:
            done = self.session.stepper.done
            self._say("This example is done: N starts the next one." if done else
                      "Nothing to predict at this micro-step: → moves on.")
            self.grid_box.hide()
            self.reveal_button.setEnabled(not done)
            return
        self.reveal_button.setEnabled(True)
        rows, cols = q.grid
        if rows * cols > MAX_CELLS:
            self._say(f"Predict {q.symbol} ({rows}×{cols}): too many numbers to type here; select one "
                      f"neuron or weight on the graph to predict its value, or use a worksheet (File menu).")
            self.grid_box.hide()
            return
        what = ("one number" if q.quantity == "loss" else
                "the selected " + ("weight" if q.quantity in ("dC_dW", "W_new") else "neuron")
                if len(q.entries) == 1 else f"{q.shape_text}, {q.layout} layout")
        self._say(f"Predict {html.escape(q.symbol)}: {what}", asking=True)
        self.grid_box.show()
        for (r, c), entry in sorted(q.cells.items()):
            field = _Cell(self)
            field.setObjectName(f"predict_{entry.label.replace(' ', '_')}")
            field.setPlaceholderText("?")
            field.setToolTip(entry.symbol)
            field.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
            field.setFixedWidth(self._cell_width())
            field.setFont(self._entry_font())
            field.textEdited.connect(lambda text, e=entry, f=field: self._on_field_edited(e, f, text))
            field.returnPressed.connect(self._on_reveal_clicked)
            if entry in self.quiz.pending:
                field.setText(format_number(self.quiz.pending[entry], 10))
            self.grid.addWidget(field, r + 1, c + 1)
            self.fields[(r, c)] = field
        if rows > 1:                  # the book's indices along each side longer than one
            for r in range(rows):
                self.grid.addWidget(self._index_label(r + 1), r + 1, 0)
        if cols > 1:
            for c in range(cols):
                self.grid.addWidget(self._index_label(c + 1), 0, c + 1)
        first = self.fields.get((0, 0))
        if first is not None and typing:          # the student was typing: go on in the new question
            first.setFocus()

    def _index_label(self, n: int) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(str(n))
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        return label

    def _entry_font(self) -> QtGui.QFont:
        font = QtGui.QFont(self.font())
        font.setPointSizeF(BASE_POINT_SIZE * 1.35 * self.session.settings.font_scale)
        return font

    def _cell_width(self) -> int:
        return QtGui.QFontMetrics(self._entry_font()).horizontalAdvance("−0.00000") + 12

    def body_font(self) -> QtGui.QFont:
        """The panel's reading text (the verdict, a message in the title's place) at the zoom."""
        font = QtGui.QFont(self.font())
        font.setPointSizeF(BASE_POINT_SIZE * 1.15 * self.session.settings.font_scale)
        return font

    def heading_font(self) -> QtGui.QFont:
        """A question's title: the body font, bold."""
        font = self.body_font()
        font.setBold(True)
        return font

    def _apply_fonts(self) -> None:
        self.verdict.setFont(self.body_font())
        self.title.setFont(self.heading_font() if self._asking else self.body_font())

    def _say(self, text: str, asking: bool = False) -> None:
        """The title: a question (``asking``) in the heading font; a message (predict mode off, nothing
        to predict, too many numbers) in the body font: in the heading's bold it took five lines
        of a 430-px column at zoom +3."""
        self._asking = asking
        self.title.setText(text)
        self._apply_fonts()

    def _update_score(self) -> None:
        (er, ea), (sr, sa) = self.quiz.example_score, self.quiz.session_score
        nb = "\u00a0"       # a score ("3 / 9") and its name wrap as one: never "/ 0" alone on a line
        self.score.setText(f"Score: this{nb}example{nb}{er}{nb}/{nb}{ea}  ·  session{nb}{sr}{nb}/{nb}{sa}")

    # -- the verdict -----------------------------------------------------------------------------
    def colors(self) -> tuple[str, str]:
        """(right, wrong): the marks' colours in the current theme."""
        return VERDICT_COLORS.get(self.session.settings.theme, VERDICT_COLORS["light"])

    def _on_quiz_revealed(self, verdict) -> None:
        self._verdict, self._summary = verdict, ""
        self._show_verdict()
        self._update_score()
        self.session.message.emit(self.verdict_line(verdict))

    @staticmethod
    def verdict_line(verdict) -> str:
        """One line for the status bar (in sight when the dock is short): the count right and what
        the wrong entries missed."""
        wrong = [r for r in verdict.results if not r.ok]
        line = f"Predicted: {verdict.right} of {len(verdict.results)} right"
        if wrong:
            line += " — " + "; ".join(f"{r.entry.symbol} wrong ({r.cause or 'arithmetic'}, right {format_number(r.expected)})"
                                      for r in wrong[:3]) + ("; …" if len(wrong) > 3 else "")
        return line

    def _show_verdict(self) -> None:
        right_color, wrong_color = self.colors()
        lines = []
        results = self._verdict.results if self._verdict is not None else []
        whys = [None if r.ok else "; ".join(html.escape(s) for s in r.sentences()) for r in results]
        for i, r in enumerate(results):
            you, right = format_number(r.got), format_number(r.expected)
            if r.ok:
                lines.append(f'<span style="color:{right_color}; font-weight:600">✓ {html.escape(r.entry.symbol)} = {you}</span>')
            else:                       # wrong entries in a row with the same diagnosis: it is said once, after the last
                why = "" if i + 1 < len(results) and whys[i + 1] == whys[i] else f" — {whys[i]}"
                lines.append(f'<span style="color:{wrong_color}; font-weight:600">✗ {html.escape(r.entry.symbol)}: you {you}, '
                             f'right {right}</span>{why}')
        if self._verdict is not None and self._verdict.note:
            lines.append(f"<i>{html.escape(self._verdict.note)}</i>")
        if self._summary:
            lines.append(f"<b>{html.escape(self._summary)}</b>")
        self.verdict.setText("<br>".join(lines))

    def _on_quiz_example_done(self, summary: str) -> None:
        self._summary = summary
        self._show_verdict()
        self.session.message.emit(summary)

    def _on_theme_changed(self, _theme: str) -> None:
        self._show_verdict()
        for field in self.fields.values():
            if field.styleSheet():
                field.setStyleSheet(f"border: 2px solid {self.colors()[1]};")

    # -- the student ---------------------------------------------------------------------------
    def _on_field_edited(self, entry, field: QtWidgets.QLineEdit, text: str) -> None:
        value = _parse(text)
        bad = bool(text.strip()) and value is None
        field.setStyleSheet(f"border: 2px solid {self.colors()[1]};" if bad else "")
        field.setToolTip(f"{entry.symbol}: type a number" if bad else entry.symbol)
        self.quiz.set_answer(entry, value)

    def _on_reveal_clicked(self) -> None:
        self.session.next_step()

    def _on_clear_clicked(self) -> None:
        for field in self.fields.values():
            field.clear()
        self.quiz.clear()

    def _on_layout_chosen(self, index: int) -> None:
        self.quiz.set_layout("row" if index == 1 else "column")

    def _on_quiz_changed(self) -> None:
        self._rebuild()

    def _on_font_scale_changed(self, _scale: float) -> None:
        self._apply_fonts()
        self._question = None
        self._rebuild()
