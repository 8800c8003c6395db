"""Options for exporting one training step as an animation: which view, size, frame rate, pace."""
from __future__ import annotations

from PySide6 import QtWidgets


class AnimationOptions(QtWidgets.QDialog):
    def __init__(self, views: dict[str, QtWidgets.QWidget], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export step animation")
        self.views = views
        self.view = QtWidgets.QComboBox()
        for name in views:
            self.view.addItem(name.capitalize(), name)
        self.width_box, self.height_box = QtWidgets.QSpinBox(), QtWidgets.QSpinBox()
        for box in (self.width_box, self.height_box):
            box.setRange(64, 3840)
            box.setSingleStep(2)             # MP4 (yuv420p) needs even sizes; the exporter rounds too
        self.fps = QtWidgets.QSpinBox()
        self.fps.setRange(1, 60)
        self.fps.setValue(30)
        self.pace = QtWidgets.QDoubleSpinBox()
        self.pace.setRange(0.1, 5.0)
        self.pace.setSingleStep(0.1)
        self.pace.setValue(0.5)
        self.pace.setSuffix(" s")
        form = QtWidgets.QFormLayout(self)
        form.addRow("View", self.view)
        form.addRow("Width (px)", self.width_box)
        form.addRow("Height (px)", self.height_box)
        form.addRow("Frame rate (fps)", self.fps)
        form.addRow("Time per micro-step", self.pace)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.view.currentIndexChanged.connect(self._on_view_changed)
        self._on_view_changed()

    def _on_view_changed(self, *_):
        size = self.widget().size()
        self.width_box.setValue(size.width() - size.width() % 2)
        self.height_box.setValue(size.height() - size.height() % 2)

    def widget(self) -> QtWidgets.QWidget:
        return self.views[self.view.currentData()]

    def options(self) -> dict:
        """Keyword arguments for gui.shell.export.export_step_animation."""
        return dict(size=(self.width_box.value(), self.height_box.value()), fps=self.fps.value(),
                    seconds_per_microstep=self.pace.value())
