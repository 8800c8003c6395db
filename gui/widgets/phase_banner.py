"""The phase banner: a large, high-contrast strip naming the current micro-step with its equation,
the counter "micro-step 7 / 13" and the loss once it is known — readable from the back of a
lecture hall.  When training diverges it turns red with the session's message until the run is
rebuilt, reset or rewound; refused input shows briefly in an amber strip beneath, at the panels'
text size and at most ERROR_LINES lines (the whole message in its tooltip), so the stage keeps its room.
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from gui.session import Session
from gui.numbers import format_number
from gui.theme import THEMES, panel_point_size, set_style_sheet

TITLE_PT = 22.0        # the equation line, × font_scale
TITLE_FLOOR_PT = 15.0  # the smallest the equation is scaled down to (× font_scale) before it wraps at its operators
DETAIL_PT = 16.0       # counter and loss, × font_scale
ERROR_LINES = 2        # the amber strip's most lines (at 1024×768, zoom +3, a file's error took 165 px in three)
SIDE_SHARE = 0.34      # the counter and loss take at most this share of the banner's width
ERROR_MS = 6000        # how long an error stays in the amber strip
DIVERGED_BG = "#b3261e"
AMBER_BG = "#ffb000"
ERROR_PAD_X = 16       # the amber strip's padding left and right


OPERATORS = (" = ", " + ", " − ", " ⊙ ", " · ", " ← ", ",  ", " ⊗ ", " for ")


def wrap_at_operators(line: str, room: float, fm: QtGui.QFontMetricsF) -> list[str]:
    """``line`` broken before its operators (= + − ⊙ · ← ⊗, and at ",  " and " for ") into lines
    no wider than ``room`` where possible; a piece with no operator in it that is still too wide
    (prose: "Training: forward, backward and update on every mini-batch" at zoom +3) is broken
    between its words; a single word wider than ``room`` stays whole."""
    cuts = sorted({i for op in OPERATORS for i in _find_all(line, op)})
    out, start = [], 0
    while fm.horizontalAdvance(line[start:]) > room:
        fitting = [c for c in cuts if c > start and fm.horizontalAdvance(line[start:c]) <= room]
        cut = fitting[-1] if fitting else next((c for c in cuts if c > start), None)
        if cut is None:
            break
        out.append(line[start:cut].rstrip())
        start = cut + 1                       # the space before the operator
    out.append(line[start:])
    return [part for piece in out for part in _wrap_words(piece, room, fm)]


def _wrap_words(piece: str, room: float, fm: QtGui.QFontMetricsF) -> list[str]:
    """``piece`` broken between words into lines no wider than ``room`` (a word wider stays whole)."""
    if fm.horizontalAdvance(piece) <= room:
        return [piece]
    lines: list[str] = []
    for word in piece.split(" "):
        if lines and fm.horizontalAdvance(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


MARGIN_X, MARGIN_Y, SIDE_GAP, LINE_GAP = 16, 8, 16, 2     # px around and between the banner's texts


class _Texts(QtWidgets.QWidget):
    """The title, counter and loss, placed by the banner (no layout): their texts change at every
    micro-step, and labels in a layout made every key lay out the banner, its toolbar and so the
    whole window again, and paint the window a second time.  Its height changes (and lays out the
    window) only when the texts' height does."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._height = 0
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_height(self, height: int) -> None:
        if height != self._height:
            self._height = height
            self.updateGeometry()

    def sizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(0, self._height)

    def minimumSizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(0, self._height)


class PhaseBanner(QtWidgets.QFrame):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("PhaseBanner")
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Maximum)
        self._texts = _Texts()
        self._title = QtWidgets.QLabel(self._texts)
        self._title.setObjectName("Title")
        self._title.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self._title.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self._text = ""
        self._fitted: dict[tuple, tuple[list[str], float]] = {}     # _title_lines' answers
        self._counter = QtWidgets.QLabel(self._texts)
        self._loss = QtWidgets.QLabel(self._texts)
        for label in (self._counter, self._loss):
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self._error = QtWidgets.QLabel()
        self._error.setObjectName("ErrorStrip")
        self._error.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self._error_message = ""                    # the whole message, while the strip shows
        self._error.hide()
        self._error_timer = QtCore.QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.setInterval(ERROR_MS)
        self._error_timer.timeout.connect(self._on_error_timeout)

        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._texts)
        outer.addWidget(self._error)

        session.step_changed.connect(self._on_step_changed)
        session.run_changed.connect(self._on_run_changed)
        session.diverged.connect(self._on_diverged)
        session.error.connect(self._on_error)
        session.training_state_changed.connect(self._on_training_state_changed)
        session.training_progress.connect(self._on_training_progress)
        session.settings.font_scale_changed.connect(self._on_style_changed)
        session.settings.theme_changed.connect(self._on_style_changed)
        session.settings.convention_changed.connect(self._on_convention_changed)
        session.settings.sig_figs_changed.connect(self._on_sig_figs_changed)
        self._apply_style()
        self._refresh()

    # -- public ------------------------------------------------------------------------------
    def text(self) -> str:
        """What the banner's main line says: the micro-step with its equation, or the divergence."""
        return self._text

    def error_text(self) -> str:
        """The error in the amber strip, whole ('' when none is shown)."""
        return self._error_message if not self._error.isHidden() else ""

    # -- session signals -----------------------------------------------------------------------
    def _on_step_changed(self, _view) -> None:
        self._refresh()

    def _on_run_changed(self) -> None:
        self._hide_error()
        self._refresh()

    def _on_diverged(self, _message: str) -> None:
        self._refresh()

    def _on_training_state_changed(self, _playing: bool) -> None:
        self._refresh()

    def _on_training_progress(self, progress) -> None:
        if self.session.playing:
            self._counter.setText(f"update {progress.step:,} · epoch {progress.epoch:,} of {self.session.config.epochs:,}")
            self._loss.setText(self._loss_text(progress.loss))
            self._fit()

    def _on_error(self, message: str) -> None:
        self._error_message = f"⚠  {message}"
        self._error.setToolTip(self._error_message)
        self._fit_error()
        self._error.show()
        self._error_timer.start()

    def _on_error_timeout(self) -> None:
        self._hide_error()

    def _on_style_changed(self, _value) -> None:
        self._apply_style()

    def _on_convention_changed(self, _convention: str) -> None:
        self._refresh()

    def _on_sig_figs_changed(self, _sig: int) -> None:
        self._refresh()

    # -- drawing -------------------------------------------------------------------------------
    def _hide_error(self) -> None:
        self._error_timer.stop()
        self._error_message = ""
        self._error.clear()
        self._error.setToolTip("")
        self._error.hide()

    def _fit_error(self) -> None:
        """The message broken between words at the strip's width, ERROR_LINES lines at most, the last
        one elided ("…") when there is more."""
        if not self._error_message:
            return
        fm = QtGui.QFontMetricsF(self._error.font())
        margins = self._error.contentsMargins()
        room = max(self.width() - 2 * ERROR_PAD_X - margins.left() - margins.right(), 80)
        lines = _wrap_words(self._error_message, room, fm)
        if len(lines) > ERROR_LINES:
            rest = " ".join(lines[ERROR_LINES - 1:])
            lines = lines[:ERROR_LINES - 1] + [fm.elidedText(rest, QtCore.Qt.TextElideMode.ElideRight, room)]
        self._error.setText("\n".join(lines))

    def _counter_text(self, index: int) -> str:
        s = self.session
        return f"micro-step {index + 1} / {s.stepper.last + 1} · {s.settings.convention} vectors"

    @staticmethod
    def _loss_text(loss) -> str:
        return f"loss C = {format_number(loss)}" if loss is not None and math.isfinite(loss) else ""

    def _refresh(self) -> None:
        s = self.session
        diverged = s.divergence is not None
        if diverged:
            self._text = f"⚠  Diverged — {s.divergence}"
        elif s.playing:
            self._text = "Training: forward, backward and update on every mini-batch"
        else:
            self._text = s.view.step.banner_in(s.settings.convention)
        if not s.playing:
            self._counter.setText(self._counter_text(s.view.step.index))
            self._loss.setText(self._loss_text(s.view.loss))
        if self.property("diverged") != diverged:
            self.setProperty("diverged", diverged)
            self._apply_style()
        self._fit()

    # -- fitting the width -----------------------------------------------------------------------
    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()
        self._fit_error()

    def _fit(self) -> None:
        """The counter and loss at one size, shrunk until what they keep room for (``_side_texts``)
        fits SIDE_SHARE of the width; the title on one line at TITLE_PT if it fits, else "title:"
        over its equation, scaled down as far as TITLE_FLOOR_PT, else wrapped at the equation's
        operators (spaces) at that floor."""
        scale = self.session.settings.font_scale
        width = max(self.width() - 2 * MARGIN_X, 80)
        font = QtGui.QFont(self._counter.font())
        font.setPointSizeF(DETAIL_PT * scale)
        room = width * SIDE_SHARE
        texts = [t for t in self._side_texts() if t]
        while texts and max(map(QtGui.QFontMetricsF(font).horizontalAdvance, texts)) > room and font.pointSizeF() > 6:
            font.setPointSizeF(font.pointSizeF() - 0.5)
        for label in (self._counter, self._loss):
            label.setFont(font)
        side = max(map(QtGui.QFontMetricsF(font).horizontalAdvance, texts), default=0)
        # each line as tall as the tallest of those texts, whether or not it has one yet (an empty label's
        # size hint is taller than a line's, and the loss appears only at the loss micro-step)
        one_line = QtCore.QRect(0, 0, 1 << 20, 1 << 20)
        line_h = max(QtGui.QFontMetrics(font).boundingRect(one_line, 0, t).height() for t in texts or ["0"])
        room = width - side - (SIDE_GAP if side else 0)
        font = QtGui.QFont(self._title.font())
        font.setWeight(QtGui.QFont.Weight.DemiBold)
        choice, size = self._title_lines(self._text, room, font)
        font.setPointSizeF(size)
        self._title.setFont(font)
        self._title.setText("\n".join(choice))
        self._place(room, side, line_h, self._title_height(room, font, choice, size))

    def _side_texts(self) -> list[str]:
        """What the counter and loss column keeps room for: while stepping, besides what they say,
        the counter of the run's last micro-step (the most digits) and the loss this example shows
        from the loss micro-step on, so that neither the column's font, nor the title's room, nor
        the banner's height changes from one micro-step to the next (a banner 1 px shorter at
        "micro-step 10 / 13" laid out and painted the whole window a second time); while training,
        what they say."""
        s = self.session
        texts = [self._counter.text(), self._loss.text()]
        if not s.playing and s.divergence is None:
            texts += [self._counter_text(s.stepper.last), self._loss_text(s.stepper.grads.loss)]
        return texts

    def _title_height(self, room: float, font: QtGui.QFont, lines: list[str], size: float) -> int:
        """The height the title keeps: a one-line title as tall as a line at TITLE_PT, whatever size
        it fits at; while stepping, as tall as the tallest title of the run's micro-steps in ``room``
        if that is at most one such line more, so that the banner (and with it the whole window's
        layout: a 1-px change laid it out and painted it a second time) keeps its height from one
        micro-step to the next unless a title needs more than a line more."""
        scale = self.session.settings.font_scale
        full = QtGui.QFont(font)
        full.setPointSizeF(TITLE_PT * scale)
        line = QtGui.QFontMetrics(full).height()

        def height(lines: list[str], size: float) -> int:
            f = QtGui.QFont(font)
            f.setPointSizeF(size)
            h = QtGui.QFontMetrics(f).boundingRect(QtCore.QRect(0, 0, 1 << 20, 1 << 20), 0, "\n".join(lines)).height()
            return max(h, line) if len(lines) == 1 else h       # (a fallback font's ⁰ or ′ can be a pixel taller)

        own = height(lines, size)
        s = self.session
        if s.playing or s.divergence is not None:
            return own
        others = [height(*self._title_lines(step.banner_in(s.settings.convention), room, font)) for step in s.stepper.steps]
        return max([own] + [h for h in others if h <= own + line])

    def _title_lines(self, text: str, room: float, font: QtGui.QFont) -> tuple[list[str], float]:
        """(lines, point size) of ``text`` as the title in ``room`` px (see _fit), remembered for the
        last few hundred texts, rooms, zooms and fonts: _title_height asks for every micro-step's."""
        key = (text, room, self.session.settings.font_scale, font.family())
        if key not in self._fitted:
            if len(self._fitted) > 512:
                self._fitted.clear()
            self._fitted[key] = self._fit_title(text, room, font)
        lines, size = self._fitted[key]
        return list(lines), size

    def _fit_title(self, text: str, room: float, font: QtGui.QFont) -> tuple[list[str], float]:
        """(lines, point size) of ``text`` as the title in ``room`` px, measured."""
        scale = self.session.settings.font_scale
        font = QtGui.QFont(font)
        lines = self._lines(text)
        top, floor = TITLE_PT * scale, TITLE_FLOOR_PT * scale
        for candidate in ([text], lines):                # one line, else the title over its equation
            size = top
            while size >= floor:
                font.setPointSizeF(size)
                fm = QtGui.QFontMetricsF(font)
                if all(fm.horizontalAdvance(line) <= room for line in candidate):
                    return candidate, size
                size -= 0.5
        font.setPointSizeF(floor)                        # wrap at the operators, at the floor
        return [part for line in lines for part in wrap_at_operators(line, room, QtGui.QFontMetricsF(font))], floor

    def _place(self, room: float, side: float, line_h: int, title_h: int) -> None:
        """The title left (``title_h`` tall: _title_height), the counter over the loss right (each
        ``line_h`` tall), both centred on the taller of the two."""
        # the label's size hint lays its text out now: a selectable label otherwise lays it out in its
        # first paint and then asks to be painted again (a second paint pass of the window, every key)
        title_h = max(title_h, self._title.sizeHint().height())
        counter_h = loss_h = line_h
        h = max(title_h, counter_h + LINE_GAP + loss_h)
        side_w = math.ceil(side)
        x_side = self.width() - MARGIN_X - side_w
        self._title.setGeometry(MARGIN_X, MARGIN_Y, max(math.ceil(room), 1), h)   # (into the gap, not short of the text)
        y = MARGIN_Y + (h - counter_h - LINE_GAP - loss_h) // 2
        self._counter.setGeometry(x_side, y, side_w, counter_h)
        self._loss.setGeometry(x_side, y + counter_h + LINE_GAP, side_w, loss_h)
        self._texts.set_height(h + 2 * MARGIN_Y)

    @staticmethod
    def _lines(text: str) -> list[str]:
        head, sep, tail = text.partition(": ")
        return [head + ":", tail] if sep and tail else [text]

    def _apply_style(self) -> None:
        s = self.session
        theme = THEMES.get(s.settings.theme, THEMES["light"])
        scale = s.settings.font_scale
        bg = DIVERGED_BG if self.property("diverged") else theme.banner
        set_style_sheet(self, f"#PhaseBanner {{ background: {bg}; }}"
                              f"#PhaseBanner QLabel {{ color: #ffffff; }}"
                              f"#PhaseBanner QLabel#ErrorStrip {{ background: {AMBER_BG};"
                              f" color: #000000; padding: 6px {ERROR_PAD_X}px; }}")
        font = self._error.font()
        font.setPointSizeF(panel_point_size(scale))
        self._error.setFont(font)
        self._fit()
        self._fit_error()
