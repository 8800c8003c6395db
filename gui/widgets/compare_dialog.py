"""Compare dialog: duplicate the current run from the same initial weights with one setting changed."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from engine import HIDDEN_ACTIVATIONS, LOSSES, OPTIMIZERS
from gui.session import Session
from gui.theme import THEMES
from gui.widgets.screen_fit import fit_wrapped

# setting -> (label, None for a typed value, or the choices as {engine name: the name shown}: a loss
# by its short name and an optimizer by its title, as the network editor and the start screen show them)
SETTINGS = {
    "eta": ("Learning rate η", None),
    "batch_size": ("Batch size", None),
    "activation": ("Hidden activation", {name: name for name in HIDDEN_ACTIVATIONS}),
    "loss": ("Loss", {name: loss.short_name or name for name, loss in LOSSES.items()}),
    "optimizer": ("Optimizer", {name: opt.title or name for name, opt in OPTIMIZERS.items()}),
}


def parse_value(key: str, text: str):
    """The typed value for ``key``; ValueError with a message for the dialog."""
    text = text.strip()
    if key == "eta":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"η must be a number, got {text!r}") from None
    if key == "batch_size":
        if not text.isdigit():
            raise ValueError(f"batch size must be a whole number, got {text!r}")
        return int(text)
    return text


class CompareDialog(QtWidgets.QDialog):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Compare two runs")
        self.setting = QtWidgets.QComboBox()
        for key, (label, _) in SETTINGS.items():
            self.setting.addItem(label, key)
        self.value = QtWidgets.QComboBox()
        self.value.setEditable(True)
        self.message = QtWidgets.QLabel()
        self.message.setStyleSheet(f"color: {THEMES[session.settings.theme].error};")
        self.message.setWordWrap(True)
        self.message.hide()                     # shown with a refusal: empty, it left a gap over the buttons
        form = QtWidgets.QFormLayout()
        form.addRow("Change", self.setting)
        form.addRow("to", self.value)
        intro = QtWidgets.QLabel("A second run starts from the same initial weights with one setting changed; "
                                 "both train in step, with both loss curves on one plot.")
        intro.setWordWrap(True)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        for w in (intro,):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setting.currentIndexChanged.connect(self._on_setting_changed)
        self._on_setting_changed()
        fit_wrapped(self, min_chars=28)    # the intro on 2–3 lines

    def _on_setting_changed(self, *_):
        key = self.setting.currentData()
        choices = SETTINGS[key][1]
        current = getattr(self.session.config, key)
        self.value.clear()
        self.value.setEditable(not choices)          # a choice is picked by its shown name, never typed
        if choices:
            for name, shown in choices.items():
                if name != current:
                    self.value.addItem(shown, name)
        else:
            suggestion = current / 10 if key == "eta" else max(1, current * 4)
            self.value.setEditText(f"{suggestion:g}")
        self.message.clear()
        self.message.hide()

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        fit_wrapped(self)

    def choose(self, key: str, text: str) -> bool:
        """Start the comparison (what OK does); False with a message if refused."""
        try:
            value = parse_value(key, text)
        except ValueError as e:
            self._refuse(str(e))
            return False
        errors: list[str] = []
        self.session.error.connect(errors.append)
        try:
            ok = self.session.start_comparison(**{key: value})
        finally:
            self.session.error.disconnect(errors.append)
        if not ok:
            self._refuse(errors[-1] if errors else "refused")
        return ok

    def _on_accepted(self):
        key = self.setting.currentData()
        if self.choose(key, self.value.currentData() if SETTINGS[key][1] else self.value.currentText()):
            self.accept()
