"""The controls bar (it sits in a toolbar): η, batch size, epochs, animation speed, animate, data
set, the example being stepped through, and a training status line.

Fields write through session methods and are reloaded from the session whenever the run changes,
with their signals blocked so reloading never writes back.
"""
from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from engine.config import MAX_BATCH, MAX_EPOCHS
from engine.optim import MAX_ETA
from engine.datasets import DATASET_NAMES, DESCRIPTIONS
from gui.numbers import format_number
from gui.session import Session
from gui.theme import BASE_POINT_SIZE
from gui.widgets.number_box import NumberBox

SPEED_TICKS = 4                      # slider ticks per doubling of the speed: 0.25× .. 4× in 17 ticks


def speed_to_tick(speed: float) -> int:
    return round(SPEED_TICKS * (math.log2(max(speed, 1e-9)) + 2))


def tick_to_speed(tick: int) -> float:
    return 2.0 ** (tick / SPEED_TICKS - 2)


class ControlsBar(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.eta = NumberBox()
        self.eta.setDecimals(4)
        self.eta.setRange(1e-4, MAX_ETA)
        self.eta.setStepType(QtWidgets.QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.eta.setToolTip("Learning rate η: the update is W ← W − η ∂C/∂W (keeps the initial weights)")
        self.batch = QtWidgets.QSpinBox()
        self.batch.setRange(1, MAX_BATCH)
        self.batch.setToolTip("Mini-batch size used when training continuously")
        self.epochs = QtWidgets.QSpinBox()
        self.epochs.setRange(1, MAX_EPOCHS)
        self.epochs.setToolTip("Training stops after this many epochs")
        for box in (self.eta, self.batch, self.epochs):
            box.setKeyboardTracking(False)          # apply on Enter / focus out / arrows, not per keystroke
        self.speed = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.speed.setRange(0, 4 * SPEED_TICKS)
        self.speed.setPageStep(SPEED_TICKS)
        self.speed.setFixedWidth(120)
        self.speed.setToolTip("Animation speed, 0.25× to 4×")
        self.speed_label = QtWidgets.QLabel()
        self.animate = QtWidgets.QCheckBox("Animate")
        self.animate.setToolTip("Animate the signal flow of each micro-step")
        self.dataset = QtWidgets.QComboBox()
        self.dataset.setPlaceholderText("custom data")
        for i, name in enumerate(DATASET_NAMES):
            self.dataset.addItem(name)
            self.dataset.setItemData(i, DESCRIPTIONS.get(name, name), QtCore.Qt.ItemDataRole.ToolTipRole)
        self.dataset.setToolTip("Data set: a new network sized for it (same hidden layers)")
        self.example = QtWidgets.QSpinBox()
        self.example.setKeyboardTracking(False)
        self.example.setToolTip("The training example the micro-steps walk through")
        self.status = QtWidgets.QLabel()
        self.status.setMinimumWidth(140)            # takes the room left: the line drops parts to fit it
        self.status.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.status.installEventFilter(self)
        self._status_parts: list[tuple[int, str]] = []

        # groups of a label and its field(s); on one row when the bar is wide enough, else wrapped
        # onto two (the training settings, then the data, the example and the status line)
        self.groups = [self._group(label, *widgets) for label, *widgets in (
            ("η", self.eta), ("batch", self.batch), ("epochs", self.epochs),
            ("speed", self.speed, self.speed_label, self.animate), ("data", self.dataset), ("example", self.example))]
        self.rows = 0                                   # 1 or 2 once arranged
        self._row_layouts = [QtWidgets.QHBoxLayout(), QtWidgets.QHBoxLayout()]
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(2)
        for row in self._row_layouts:
            row.setSpacing(14)
            layout.addLayout(row)
        self._arrange(1)

        self.eta.valueChanged.connect(self._on_eta_changed)
        self.eta.refused.connect(lambda why: self.session.message.emit(f"η: {why}"))
        self.batch.valueChanged.connect(self._on_batch_changed)
        self.epochs.valueChanged.connect(self._on_epochs_changed)
        self.speed.valueChanged.connect(self._on_speed_changed)
        self.animate.toggled.connect(self._on_animate_toggled)
        self.dataset.activated.connect(self._on_dataset_activated)
        self.example.valueChanged.connect(self._on_example_changed)
        session.run_changed.connect(self._on_run_changed)
        session.step_changed.connect(self._on_step_changed)
        session.settings.font_scale_changed.connect(self._on_font_scale_changed)
        session.settings.speed_changed.connect(self._on_view_speed_changed)
        session.settings.animate_changed.connect(self._on_view_animate_changed)
        session.training_progress.connect(self._on_training_progress)
        self._apply_font()
        self._load_view()
        self._load_run()

    # -- one row or two -------------------------------------------------------------------------
    @staticmethod
    def _group(label: str, *widgets: QtWidgets.QWidget) -> QtWidgets.QWidget:
        group = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(group)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(QtWidgets.QLabel(label))
        for widget in widgets:
            row.addWidget(widget)
        return group

    def _row_width(self, groups: list[QtWidgets.QWidget], status: bool) -> int:
        """The width of one row of ``groups`` (and the status line at its least)."""
        spacing = self._row_layouts[0].spacing()
        items = [g.sizeHint().width() for g in groups] + ([self.status.minimumWidth()] if status else [])
        m = self.layout().contentsMargins()
        return sum(items) + spacing * (len(items) - 1) + m.left() + m.right()

    def one_row_width(self) -> int:
        """The width the bar needs on one row."""
        return self._row_width(self.groups, True)

    def two_row_width(self) -> int:
        """The width the bar needs wrapped onto two rows."""
        return max(self._row_width(self.groups[:4], False), self._row_width(self.groups[4:], True))

    def _arrange(self, rows: int) -> None:
        if rows == self.rows:
            return
        self.rows = rows
        first, second = self._row_layouts
        for row in self._row_layouts:
            while row.count():
                row.takeAt(0)
        split = len(self.groups) if rows == 1 else 4
        for group in self.groups[:split]:
            first.addWidget(group)
        target = first if rows == 1 else second
        for group in self.groups[split:]:
            target.addWidget(group)
        target.addWidget(self.status, 1)
        if rows == 2:
            first.addStretch(1)
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:   # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:   # noqa: N802 (Qt's name)
        """One row's height when ``width`` holds the whole bar, two rows' when it does not."""
        m, line = self.layout().contentsMargins(), max(g.sizeHint().height() for g in self.groups)
        rows = 1 if width >= self.one_row_width() else 2
        return m.top() + m.bottom() + rows * line + (rows - 1) * self.layout().spacing()

    def minimumSizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        """As narrow as two rows, as short as one (its scroll area gives it the height for its width)."""
        return QtCore.QSize(self.two_row_width(), self.heightForWidth(self.one_row_width()))

    def sizeHint(self) -> QtCore.QSize:   # noqa: N802 (Qt's name)
        return QtCore.QSize(self.one_row_width(), self.heightForWidth(self.width() if self.width() > 1 else self.one_row_width()))

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._arrange(1 if event.size().width() >= self.one_row_width() else 2)

    # -- widgets → session -------------------------------------------------------------------
    def _on_eta_changed(self, value: float) -> None:
        if not self.session.change(eta=value):
            self._load_run()

    def _on_batch_changed(self, value: int) -> None:
        if not self.session.change(batch_size=value):
            self._load_run()

    def _on_epochs_changed(self, value: int) -> None:
        if not self.session.change(epochs=value):
            self._load_run()

    def _on_speed_changed(self, tick: int) -> None:
        self.session.settings.speed = tick_to_speed(tick)

    def _on_animate_toggled(self, on: bool) -> None:
        self.session.settings.animate = on

    def _on_example_changed(self, number: int) -> None:
        """The spin box counts examples from 1, as the screen counts everything."""
        if not self.session.set_example(number - 1):
            self._load_run()

    def _on_dataset_activated(self, index: int) -> None:
        name = self.dataset.itemText(index)
        if name == self.session.config.dataset.get("name"):
            return
        if not self.session.switch_dataset(name):
            self._load_run()                               # revert the combo

    # -- session → widgets -------------------------------------------------------------------
    def _on_run_changed(self) -> None:
        self._load_run()

    def _on_step_changed(self, _view) -> None:
        self._set(self.example, self.session.run.example_index + 1)

    def _on_font_scale_changed(self, _scale: float) -> None:
        self._apply_font()

    def _on_view_speed_changed(self, _speed: float) -> None:
        self._load_view()

    def _on_view_animate_changed(self, _on: bool) -> None:
        self._load_view()

    def _on_training_progress(self, p) -> None:
        loss = format_number(p.loss) if math.isfinite(p.loss) else "—"
        self._show_status(p.step, p.epoch, loss, f"{p.steps_per_second:,.0f} steps/s")

    def _load_run(self) -> None:
        s = self.session
        c = s.config
        self._set(self.eta, c.eta)
        self._set(self.batch, c.batch_size)
        self._set(self.epochs, c.epochs)
        self.example.blockSignals(True)
        self.example.setRange(1, len(s.run.train))
        self.example.setSuffix(f" of {len(s.run.train)}")
        self.example.blockSignals(False)
        self._set(self.example, s.run.example_index + 1)
        name = c.dataset.get("name")
        self.dataset.blockSignals(True)
        self.dataset.setCurrentIndex(self.dataset.findText(name) if name in DATASET_NAMES else -1)
        self.dataset.blockSignals(False)
        self.dataset.setToolTip(DESCRIPTIONS.get(name, f"custom data: {c.dataset.get('title', name)}"))
        losses = s.history.step_losses
        loss = format_number(losses[-1]) if len(losses) else "—"
        self._show_status(s.trainer.step_count, s.trainer.epoch, loss)

    def _load_view(self) -> None:
        self._set(self.speed, speed_to_tick(self.session.settings.speed))
        self.speed_label.setText(f"{format_number(self.session.settings.speed, 3)}×")
        self.animate.blockSignals(True)
        self.animate.setChecked(self.session.settings.animate)
        self.animate.blockSignals(False)

    @staticmethod
    def _set(widget, value) -> None:
        widget.blockSignals(True)
        widget.setValue(value)
        widget.blockSignals(False)

    # -- the status line --------------------------------------------------------------------------
    def _show_status(self, step: int, epoch: int, loss: str, rate: str | None = None) -> None:
        """"step · epoch · batch loss · rate", whole in the tooltip; on the bar without the parts that do
        not fit its room (the rate first, then the epoch, then the step: the loss stays)."""
        # the last update's mini-batch loss: named so beside the banner's "loss C" of the example shown
        parts = [(2, f"step {step:,}"), (1, f"epoch {epoch:,}"), (3, f"batch loss {loss}")]   # (keep order, text)
        if rate is not None:
            parts.append((0, rate))
        self._status_parts = parts
        self.status.setToolTip(" · ".join(text for _, text in parts))
        self._fit_status()

    def status_line(self) -> str:
        """The whole status line (the bar may show fewer of its parts)."""
        return self.status.toolTip()

    def _fit_status(self) -> None:
        parts = list(self._status_parts)
        metrics = QtGui.QFontMetricsF(self.status.font())
        room = self.status.contentsRect().width()
        line = lambda: " · ".join(text for _, text in parts)
        while len(parts) > 1 and metrics.horizontalAdvance(line()) > room:
            parts.remove(min(parts))
        if self.status.text() != line():
            self.status.setText(line())

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if watched is self.status and event.type() in (QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.FontChange):
            self._fit_status()
        return False

    def _apply_font(self) -> None:
        font = self.font()
        font.setPointSizeF(BASE_POINT_SIZE * self.session.settings.font_scale)
        self.setFont(font)
        if self.rows:                         # the same width may now need two rows, or fit one again
            self._arrange(1 if self.width() >= self.one_row_width() else 2)
