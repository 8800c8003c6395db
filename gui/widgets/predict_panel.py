"""The Predict panel: the entry where a student types the next micro-step's values before → reveals
them, and the marks, right values, diagnosed mistakes and scores after.

It shows ``session.quiz``'s question as a grid shaped like the quantity (N×1 for a column vector,
the shape of W for ∂C/∂W; transposed in the row layout) with the shape written beside it, or one
field for the selected neuron or weight.  Enter (or the Reveal button) steps the session (in a
lesson, as → does: ``reveal_step``), which reveals; the quiz checks and this panel shows the verdict.
Large type: it is read on a projector.

The grid never scrolls sideways (the panel is a 342–460-px column beside the graph on a lecture
screen): each field is as wide as a 4-significant-figure number in the body font (NUMBER_TEXT), and
a question wider or taller than the room in sight is shown transposed (its title says so), in
blocks of columns one under the other, or in blocks of rows side by side, each with its 1-based
indices (``Arrangement``); where nothing fits the height, the title says there is more below and
the field typed in is kept in sight.  Tab and ↑ ↓ follow the grid as shown.
"""
from __future__ import annotations

import html
import math
from typing import NamedTuple

from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_number
from gui.plain_math import unbroken
from gui.theme import VERDICT_COLORS, panel_point_size, set_font_within
from gui.widgets.screen_fit import SightWatch, lay_out_now, scroll_area_of, width_in_sight
MAX_CELLS = 64                             # larger quantities are asked for the selected neuron only
NUMBER_TEXT = "-0.001234"                  # the widest 4-significant-figure number a field shows whole
FIELD_PAD = 8                              # a field's frame and text margins around it (Fusion needs 6), in px
NARROW_BELOW = 640                         # a panel narrower than this × the zoom stacks its parts (see _arrange)
FOCUS_TRIES, FOCUS_RETRY_MS = 20, 50       # predict mode on: the first field takes the keyboard within a second
# the tolerance's label, relative box, "or" and absolute box on 1, 2 or 3 lines: (grid places, the stretching column)
TOLERANCE_PLACES = {1: (((0, 0), (0, 1), (0, 2), (0, 3)), 4),
                    2: (((0, 0, 1, 4), (1, 0), (1, 1), (1, 2)), 3),
                    3: (((0, 0, 1, 2), (1, 1), (2, 0), (2, 1)), 2)}


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


class Room(NamedTuple):
    """The room in sight for the grid of fields, in px: its ``width`` and ``height``; a ``column`` of
    fields, a ``line`` of them and the ``head`` line of column indices over it, and the ``gap``
    between two blocks, each with the grid's spacing before it; the row indices' ``index`` column."""
    width: int
    height: int
    column: int
    line: int
    head: int
    index: int
    gap: int


class _Plan(NamedTuple):
    """An arrangement's size in px and its kind (``Arrangement``)."""
    width: int
    height: int
    transposed: bool
    down: int
    across: int


class Arrangement:
    """Where the fields of a ``rows`` × ``cols`` question go in the ``room`` in sight: as asked, or
    transposed, or in blocks of columns one under the other (``down``), or in blocks of rows side by
    side (``across``), each block with its own 1-based indices; the blocks as even as they go (iris's
    8×4 in 2 × 2 columns, not 3 + 1).  Never wider than the room where one column of fields fits;
    as asked where that fits the height too, else the arrangement that fits it in the least height
    (transposed: iris's 3×8 in three columns as 8×3; a tall vector in blocks side by side: digits'
    10×1 at zoom +3 as two blocks of five), else, where none fits its height, the one that takes the
    least (``overflows``: the entry scrolls and keeps the field typed in in sight).  A vector is
    never turned (the student chose the row or the column layout); a transposed question is never
    also cut into blocks of columns.  The height of each includes what its ``note`` adds to the
    title above the grid (``title``: px for a note), so the title's lines never undo the choice."""

    def __init__(self, rows: int, cols: int, room: Room, symbol: str = "X", title=lambda note: 0):
        self.rows, self.cols, self.symbol = rows, cols, symbol
        plans = {(False, d, 1) for d in range(1, cols + 1)} | {(False, 1, a) for a in range(2, rows + 1)}
        if rows > 1 and cols > 1:       # transposed: its columns never in blocks one under the other
            plans |= {(True, 1, a) for a in range(1, cols + 1)}
        sized = {self._size(room, *plan) for plan in plans}
        wide = [p for p in sized if p.width <= room.width] or [min(sized)]    # (nothing fits: the narrowest)
        need = {p: p.height + title(self._describe(p.transposed, p.down, p.across, False)) for p in wide}
        asked = next(p for p in sized if (p.transposed, p.down, p.across) == (False, 1, 1))
        best = asked if asked in wide and need[asked] <= room.height else \
            min(wide, key=lambda p: (need[p] > room.height, need[p], p.transposed, p.down * p.across))
        self.width, self.height = best.width, best.height
        self.transposed, self.down, self.across = best.transposed, best.down, best.across
        self.shown = (cols, rows) if self.transposed else (rows, cols)
        self.per_down = -(-self.shown[1] // self.down)             # columns of a block (one under the other)
        self.per_across = -(-self.shown[0] // self.across)         # rows of a block (side by side)
        self.overflows = need[best] > room.height

    def _size(self, room: Room, transposed: bool, down: int, across: int) -> _Plan:
        """A plan with its size in px, its block counts as even as they go (a plan with an empty
        block is the plan with fewer)."""
        rows, cols = (self.cols, self.rows) if transposed else (self.rows, self.cols)
        per_down, per_across = -(-cols // down), -(-rows // across)
        down, across = -(-cols // per_down), -(-rows // per_across)
        index = room.index if rows > 1 else 0
        head = room.head if cols > 1 else 0
        width = across * (index + per_down * room.column) + (across - 1) * room.gap
        height = down * (head + per_across * room.line) + (down - 1) * room.gap
        return _Plan(width, height, transposed, down, across)

    @property
    def blocks(self) -> int:
        return self.down * self.across

    @property
    def head(self) -> int:
        """The lines of column indices over a block: one where there is more than one column."""
        return 1 if self.shown[1] > 1 else 0

    def place(self, r: int, c: int) -> tuple[int, int]:
        """The (line, column) in the panel's grid of the question's cell (r, c), 0-based; each
        block's first column and (with more than one column) its first line are the indices."""
        R, C = (c, r) if self.transposed else (r, c)
        down, col = divmod(C, self.per_down)
        across, row = divmod(R, self.per_across)
        return self.block_top(down) + self.head + row, self.block_left(across) + 1 + col

    def order(self, r: int, c: int) -> tuple:
        """The reading order of cell (r, c): block by block, in each line by line."""
        R, C = (c, r) if self.transposed else (r, c)
        (down, col), (across, row) = divmod(C, self.per_down), divmod(R, self.per_across)
        return down, across, row, col

    def block_top(self, block: int) -> int:
        """The grid line of block ``block``'s (one under the other) column indices; a gap line before it."""
        return block * (self.per_across + self.head + 1)

    def block_left(self, block: int) -> int:
        """The grid column of block ``block``'s (side by side) row indices; a gap column before it."""
        return block * (self.per_down + 2)

    def block_columns(self, block: int) -> range:
        """The shown columns (0-based) in block ``block`` (one under the other)."""
        return range(block * self.per_down, min(self.shown[1], (block + 1) * self.per_down))

    def block_rows(self, block: int) -> range:
        """The shown rows (0-based) in block ``block`` (side by side)."""
        return range(block * self.per_across, min(self.shown[0], (block + 1) * self.per_across))

    @property
    def note(self) -> str:
        """What the title adds about the arrangement ("" when the question is shown as asked)."""
        return self._describe(self.transposed, self.down, self.across, self.overflows)

    def _describe(self, transposed: bool, down: int, across: int, overflows: bool) -> str:
        parts = []
        if transposed:
            parts.append(f"typed as ({self.symbol})ᵀ, {self.cols}×{self.rows}")
        if down > 1:
            parts.append(f"in {down} blocks")
        if across > 1:
            parts.append(f"in {across} blocks side by side")
        if overflows:
            parts.append("more below (Tab)")
        return ", ".join(parts)

    def __eq__(self, other) -> bool:
        return isinstance(other, Arrangement) and self._key() == other._key()

    def _key(self) -> tuple:
        return self.rows, self.cols, self.transposed, self.per_down, self.per_across, self.overflows


class _Cell(QtWidgets.QLineEdit):
    """One number of the answer.  Page Down (a presenter's clicker) and Enter reveal, Page Up
    steps back, ↑ ↓ move to the field above or below as shown (else the previous or next field);
    ← → stay for editing the number."""

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
            self._panel.move_focus(self, event.key() == key.Key_Down)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:   # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        self._panel.show_field(self)


class PredictPanel(QtWidgets.QWidget):
    wants_width = QtCore.Signal(int)    # the panel's width that shows the question as asked, in one block (more than it has)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.quiz = session.quiz
        self.fields: dict = {}                       # (row, column) of the question -> QLineEdit
        self.arrangement: Arrangement | None = None  # where the fields are shown (the width in sight)
        self._question = None
        self._what = ""                              # the question's title, before what the arrangement adds
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
        self.rel_tol = self._tolerance_box("predict_rel_tol", 0.5, percent=True)
        self.tolerance_or = QtWidgets.QLabel("or")
        self.abs_tol = self._tolerance_box("predict_abs_tol", 1.0)
        self.right = QtWidgets.QVBoxLayout()        # wide: the score and the tolerance above the verdicts: in
                                                    # sight on a short dock (a lesson's caption band is below)
        body.addLayout(self.right, 1)
        outer.addLayout(body)
        self.outer = outer
        self.narrow = None
        self._tolerance_lines_shown = 0              # narrow: the tolerance on as few lines as fit (TOLERANCE_PLACES)
        self._buttons_row = False                    # narrow: the layout choice beside Reveal where it fits
        self._arrange(narrow=False)
        SightWatch(self, self._fit_arrangement)

        self.quiz.changed.connect(self._on_quiz_changed)
        self.quiz.revealed.connect(self._on_quiz_revealed)
        self.quiz.example_done.connect(self._on_quiz_example_done)
        session.settings.font_scale_changed.connect(self._on_font_scale_changed)
        session.settings.theme_changed.connect(self._on_theme_changed)
        session.settings.predict_changed.connect(self._on_predict_changed)
        self.reveal_step = session.next_step        # what Reveal (and Enter in a field) does: the next micro-step,
                                                    # or a lesson's next while one is open (gui/shell/lessons.py)
        self._focus_first = False                   # give the first field the keyboard once it is in sight
        self._grows_to = 0                          # the height its place grows it to as it asks (grow_up_to)
        self._focus_tries = 0
        self._summary = ""
        self._verdict = None
        self._asking = False                        # the title is a question (else a message)
        self._apply_fonts()
        self._rebuild()

    # -- wide (under the graph) or narrow (beside it, a lesson's Lecture layout) -------------------
    def _arrange(self, narrow: bool) -> None:
        """Wide: the buttons beside the title, the score over the tolerance over the verdict beside the
        grid.  Narrow (under NARROW_BELOW × the zoom): the buttons under the title (the layout choice under Reveal
        and Clear where the three do not fit a line), the score and the verdict under the grid at the panel's full width, the tolerance
        last (on one line, else its label over the two boxes, else one box a line): nothing is wider
        than the panel, the companion's column at 1024×768 zoom +3 and a lesson's narrower one included."""
        tolerance_lines = self._tolerance_lines() if narrow else 1
        buttons_row = not narrow or self._buttons_fit_a_row()
        if (narrow, tolerance_lines, buttons_row) == (self.narrow, self._tolerance_lines_shown, self._buttons_row):
            return
        self.narrow, self._tolerance_lines_shown, self._buttons_row = narrow, tolerance_lines, buttons_row
        for w in (self.score, self.tolerance, self.verdict_area):
            for layout in (self.right, self.outer):
                layout.removeWidget(w)
        across, down = QtWidgets.QBoxLayout.Direction.LeftToRight, QtWidgets.QBoxLayout.Direction.TopToBottom
        self.top.setDirection(down if narrow else across)
        self.outer.setContentsMargins(4 if narrow else 8, 2, 4 if narrow else 8, 2)   # narrow: a column of fields more
        self.buttons.addWidget(self.reveal_button, 0, 0)
        self.buttons.addWidget(self.clear_button, 0, 1)
        self.buttons.addWidget(self.layout_box, *((0, 2) if buttons_row else (1, 0, 1, 2)))
        places, stretch = TOLERANCE_PLACES[tolerance_lines]
        for w, place in zip((self.tolerance_label, self.rel_tol, self.tolerance_or, self.abs_tol), places):
            self.tol.addWidget(w, *place)
        for c in range(5):
            self.tol.setColumnStretch(c, 1 if c == stretch else 0)
        self.tolerance_label.setText("Right within")
        if narrow:
            self.outer.addWidget(self.score)
            self.outer.addWidget(self.verdict_area, 1)
            self.outer.addWidget(self.tolerance)
        else:
            self.right.addWidget(self.score)
            self.right.addWidget(self.tolerance)     # under the score: beside it the two took 521 px from the
            self.right.addWidget(self.verdict_area, 1)   # grid at zoom 0 (356 now), and 1920×1080's 3×8 was transposed
        self.updateGeometry()

    def _tolerance_lines(self) -> int:
        """The fewest lines "Right within [box] or [box]" takes in the width in sight (TOLERANCE_PLACES):
        1 where it fits a line, 2 (the label over the boxes) where "[box] or [box]" does, else 3 (a
        445-px column at 1280×720, zoom +3: its three lines left the verdict two lines of a 2×2
        question's eight; at the panels' size the whole needs 530 px there, the boxes 372)."""
        label = self.tolerance_label.fontMetrics().horizontalAdvance("Right within") + 8
        boxes = (sum(w.sizeHint().width() for w in (self.rel_tol, self.tolerance_or, self.abs_tol))
                 + 2 * self.tol.horizontalSpacing())
        room = width_in_sight(self) - sum(self.outer.getContentsMargins()[0::2])
        return 1 if label + self.tol.horizontalSpacing() + boxes <= room else 2 if boxes <= room else 3

    def _buttons_fit_a_row(self) -> bool:
        """Whether Reveal, Clear and the layout choice fit the width in sight on one line (a 445-px
        column at 1280×720, zoom +3: a line more for the fields)."""
        parts = (self.reveal_button, self.clear_button, self.layout_box)
        need = sum(w.sizeHint().width() for w in parts) + 2 * self.buttons.horizontalSpacing()
        return need + sum(self.outer.getContentsMargins()[0::2]) <= width_in_sight(self)

    def _fit_arrangement(self) -> None:
        """Stacked when the width in sight is narrow for the zoom (the scroll area's view narrows:
        stack; the wide parts grow with the zoom: at +3 the wide entry needed 803–843 px and sat in
        the 654-px boundary column of 1920×1080's Training layout behind a sideways scroll bar);
        the fields arranged in the room left."""
        self._arrange(width_in_sight(self) < NARROW_BELOW * self.session.settings.font_scale)
        self._place_fields()

    def room(self) -> Room:
        """The room in sight for the grid of fields (``Arrangement``): the width in sight less what is
        beside the grid, the height in sight below the grid's top (a dock's scroll area gives the
        panel at least its minimum height: the height of its view), or below the height its place
        grows it to (grow_up_to) where that is more."""
        spacing, metrics = self.grid.spacing(), QtGui.QFontMetrics(self.body_font())
        field = next(iter(self.fields.values()), None)
        line = (field.sizeHint().height() if field is not None else metrics.height() + FIELD_PAD) + spacing
        parent = self.parentWidget()
        high = self.height() if parent is None or self.isWindow() else min(self.height(), parent.height())
        high = max(high, self._grows_to)
        return Room(width=width_in_sight(self) - self._beside_grid(),
                    height=high - self.grid_box.y() - self.outer.contentsMargins().bottom(),
                    column=self._column_width(), line=line, head=metrics.height() + spacing,
                    index=self._index_width(), gap=metrics.height() // 2 + spacing)

    def _title_growth(self, note: str) -> int:
        """How much taller the title is with ``note`` added than as it is now, in px."""
        text = html.unescape(f"{self._what}, {note}" if note else self._what)
        wrapped = self.title.fontMetrics().boundingRect(QtCore.QRect(0, 0, max(1, self.title.width()), 10 ** 5),
                                                        QtCore.Qt.TextFlag.TextWordWrap, text)
        return wrapped.height() - self.title.height()

    def grow_up_to(self, height: int) -> None:
        """The panel's place makes it as tall as it asks (wanted_height) up to ``height`` px (under the
        graph in a large screen's Training layout: PredictPlace.fit); 0 where it has the height it is
        given (a column beside the graph).  Its fields are arranged for that height, not the one it
        has before it grows: iris's 8×4 ∂C/∂W¹ at 1920×1080 was typed transposed as 4×8 in the 185
        px the last question had left it, its 3×8 ∂C/∂W² scrolled 18 px in 148."""
        if height != self._grows_to:
            self._grows_to = height
            self._place_fields()

    def width_for(self, columns: int) -> int:
        """The panel's width that shows ``columns`` columns of fields in one block."""
        return self._beside_grid() + self._index_width() + columns * self._column_width()

    def _beside_grid(self) -> int:
        """The panel's width that is not the grid: its margins, and beside the verdict (wide) that
        column's least."""
        beside = sum(self.outer.getContentsMargins()[0::2])
        return beside + (0 if self.narrow else self.right.minimumSize().width() + 6)

    def _column_width(self) -> int:
        return self.field_width() + self.grid.horizontalSpacing()

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
        first = self.first_field()
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

    def _tolerance_box(self, name: str, top: float, percent: bool = False) -> QtWidgets.QDoubleSpinBox:
        """The box of the view setting ``name`` (a fraction up to ``top``): the relative tolerance in
        percent ("0.1 %"), the absolute one as a ± difference ("± 0.0005"), so that which is which
        reads on the panel (two bare "0.00100" and "0.00050" did not say)."""
        scale = 100.0 if percent else 1.0
        box = QtWidgets.QDoubleSpinBox()
        box.setDecimals(3 if percent else 5)
        box.setRange(0.0, top * scale)
        box.setSingleStep(1e-4 * scale)
        if percent:
            box.setSuffix(" %")
        else:
            box.setPrefix("± ")
        box.setValue(getattr(self.session.settings, name) * scale)
        box.valueChanged.connect(lambda v: setattr(self.session.settings, name, v / scale))
        getattr(self.session.settings, f"{name}_changed").connect(lambda v: box.setValue(v * scale))
        return box

    # -- the question --------------------------------------------------------------------------
    def _rebuild(self, again: bool = False) -> None:
        """The question's fields (built ``again`` at a zoom, in the new font)."""
        q = self.quiz.question()
        key = None if q is None else (q.step_index, q.quantity, q.layer, q.layout, tuple(q.cells.items()))
        old = None if self._question is None else (self._question.step_index, self._question.quantity,
                                                   self._question.layer, self._question.layout,
                                                   tuple(self._question.cells.items()))
        self.layout_box.blockSignals(True)
        self.layout_box.setCurrentIndex(1 if self.quiz.layout == "row" else 0)
        self.layout_box.blockSignals(False)
        self._update_score()
        if key == old and self.fields and not again:
            return
        self._question = q
        typing = next((cell for cell, f in self.fields.items() if f.hasFocus()), None)
        if typing is not None:
            self.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)   # not passed on to the tolerance box (the dock
                                                                    # scrolled to it, under a tall grid)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()          # gone at once, not when the event loop deletes it
                item.widget().deleteLater()
        self.fields, self.arrangement = {}, None
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
                if len(q.entries) == 1 else q.shape_text)       # (its layout: the choice under it)
        # one field: the entry it asks for by its indices ("δ²₁", not the layer's "δ²"): the field has none
        named = q.entries[0].symbol if len(q.entries) == 1 else q.symbol
        self._what = f"Predict {html.escape(unbroken(named))}: {what}"
        self._say(self._what, asking=True)
        self.grid_box.show()
        for (r, c), entry in sorted(q.cells.items()):
            field = _Cell(self)
            field.setObjectName(f"predict_{entry.label.replace(' ', '_')}")
            field.setPlaceholderText("?")
            field.setToolTip(entry.symbol)
            field.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
            field.setFixedWidth(self.field_width())
            field.setFont(self.body_font())
            field.textEdited.connect(lambda text, e=entry, f=field: self._on_field_edited(e, f, text))
            field.returnPressed.connect(self._on_reveal_clicked)
            if entry in self.quiz.pending:
                field.setText(format_number(self.quiz.pending[entry], 10))
            self.fields[(r, c)] = field
        self.arrangement = None
        self._place_fields()
        if typing is not None:        # the student was typing: go on in the same cell (a zoom), else the first
            (self.fields.get(typing) if key == old else self.first_field()).setFocus()

    def _place_fields(self) -> None:
        """Put the fields where the columns in sight allow (``Arrangement``), with the book's
        1-based indices along each side longer than one, in the Tab order of the grid as shown
        (each block line by line); the title says when it is transposed or in blocks."""
        q = self._question
        if not self.fields or q is None:
            return
        arrangement = Arrangement(*q.grid, self.room(), unbroken(q.symbol), self._title_growth)
        if arrangement == self.arrangement:
            return
        self.arrangement = arrangement
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None and item.widget() not in self.fields.values():
                item.widget().hide()          # gone at once, not when the event loop deletes it
                item.widget().deleteLater()
        for line in range(self.grid.rowCount()):
            self.grid.setRowMinimumHeight(line, 0)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnMinimumWidth(column, 0)
        shown_rows, shown_cols = arrangement.shown
        gap = QtGui.QFontMetrics(self.body_font()).height() // 2          # between two blocks
        for down in range(arrangement.down):
            top = arrangement.block_top(down)
            if down:
                self.grid.setRowMinimumHeight(top - 1, gap)
            for across in range(arrangement.across):
                left = arrangement.block_left(across)
                if across:
                    self.grid.setColumnMinimumWidth(left - 1, gap)
                if shown_cols > 1:
                    for i, c in enumerate(arrangement.block_columns(down)):
                        self.grid.addWidget(self._index_label(c + 1), top, left + 1 + i)
                if shown_rows > 1:
                    for i, r in enumerate(arrangement.block_rows(across)):
                        self.grid.addWidget(self._index_label(r + 1), top + arrangement.head + i, left)
        for cell, field in self.fields.items():
            self.grid.addWidget(field, *arrangement.place(*cell))
        previous = None
        for field in self._shown_order():
            if previous is not None:
                QtWidgets.QWidget.setTabOrder(previous, field)
            previous = field
        note = arrangement.note
        self._say(f"{self._what}, {html.escape(note)}" if note else self._what, asking=True)
        if self.narrow and (arrangement.transposed or arrangement.down > 1):   # a column beside the graph
            self.wants_width.emit(self.width_for(q.grid[1]))   # widens for it where the graph can spare the
                                                               # width (gui/shell/layouts.py); not the wide
                                                               # entry under the graph (it widened the column)
        QtCore.QTimer.singleShot(0, self, self._show_typing)   # once the grid is laid out

    def _shown_order(self) -> list:
        """The fields in the order they are read: block by block, line by line."""
        return sorted(self.fields.values(), key=lambda f: self.arrangement.order(*self._cell_of(f)))

    def _cell_of(self, field: QtWidgets.QLineEdit) -> tuple[int, int]:
        return next(cell for cell, f in self.fields.items() if f is field)

    def first_field(self) -> QtWidgets.QLineEdit | None:
        """The field read first (the top left of the grid as shown)."""
        return self._shown_order()[0] if self.fields and self.arrangement is not None else None

    def show_field(self, field: QtWidgets.QLineEdit) -> None:
        """The field with the keyboard scrolled into sight in the dock's scroll area (a tall question,
        iris's 8×4 in two blocks at zoom +3, is taller than the column)."""
        if (view := scroll_area_of(self)) is not None:
            view.ensureWidgetVisible(field, 0, field.height() // 2)

    def _show_typing(self) -> None:
        """The field typed in (if any) scrolled into sight: it stays there when the fields move (a
        zoom, a narrower column, a question taller than the column)."""
        typing = next((f for f in self.fields.values() if f.hasFocus()), None)
        if typing is not None:
            lay_out_now(3)          # (the grid, the panel, the scroll area: where the field now is)
            self.show_field(typing)

    def move_focus(self, field: QtWidgets.QLineEdit, down: bool) -> None:
        """↑ / ↓: the field above or below ``field`` in the grid as shown, else the previous / next one."""
        where = {f: self.arrangement.place(*cell) for cell, f in self.fields.items()}   # (line, column) shown
        line, col = where[field]
        step = 1 if down else -1
        below = [f for f, (l, c) in where.items() if c == col and (l - line) * step > 0]
        if below:
            min(below, key=lambda f: abs(where[f][0] - line)).setFocus(QtCore.Qt.FocusReason.TabFocusReason)
        else:
            order = self._shown_order()
            i = order.index(field) + step
            if 0 <= i < len(order):
                order[i].setFocus(QtCore.Qt.FocusReason.TabFocusReason)

    def _index_label(self, n: int) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(str(n))
        label.setFont(self.body_font())
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        return label

    def _index_width(self) -> int:
        """The row indices' column: as wide as the widest index ("8" for iris's 8×4)."""
        q = self._question
        widest = 1 if q is None else max(q.grid)
        return QtGui.QFontMetrics(self.body_font()).horizontalAdvance(str(widest)) + 4

    def field_width(self) -> int:
        """A field as wide as a 4-significant-figure number (NUMBER_TEXT) in the body font."""
        return QtGui.QFontMetrics(self.body_font()).horizontalAdvance(NUMBER_TEXT) + FIELD_PAD

    def body_font(self) -> QtGui.QFont:
        """The panel's reading text (the question, its fields, the verdict) at the zoom."""
        font = QtGui.QFont(self.font())
        font.setPointSizeF(1.15 * panel_point_size(self.session.settings.font_scale))
        return font

    def heading_font(self) -> QtGui.QFont:
        """A question's title: the body font, bold."""
        font = self.body_font()
        font.setBold(True)
        return font

    def control_font(self) -> QtGui.QFont:
        """The buttons, the layout choice, the score and the tolerance: the panels' size at the zoom
        (12 pt × zoom, as the controls bar and the network editor).  In the body font's 13.8 pt,
        Reveal, Clear and the layout choice need 482 px on a line in a 445-px column at zoom +3 (426
        at 12 pt)."""
        font = QtGui.QFont(self.font())
        font.setPointSizeF(panel_point_size(self.session.settings.font_scale))
        return font

    def _apply_fonts(self) -> None:
        """The control font on every part (one call: the window's style sheet stops the panel's own
        font at the panel, and the tolerance kept the menus' 9 pt beside the 13.8-pt question), then
        the body font on what is read: the verdict, the title (the fields and their indices take it
        as they are built)."""
        set_font_within(self, self.control_font())
        self.verdict.setFont(self.body_font())
        self._apply_title_font()

    def _apply_title_font(self) -> None:
        self.title.setFont(self.heading_font() if self._asking else self.body_font())

    def _say(self, text: str, asking: bool = False) -> None:
        """The title: a question (``asking``) in the heading font; a message (predict mode off, nothing
        to predict, too many numbers) in the body font: in the heading's bold it took five lines
        of a 430-px column at zoom +3."""
        self._asking = asking
        self.title.setText(text)
        self._apply_title_font()

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
        self.reveal_step()

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
        self._rebuild(again=True)
        self._fit_arrangement()
