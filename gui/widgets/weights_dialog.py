"""File → Import weights: a PyTorch nn.Sequential's weights from a .safetensors file become a run.

The file holds only the Linear layers' weights and biases, so the dialog asks for what it cannot
say — the hidden and output activations, the loss and the data set — prefilled from the file's
metadata when this app exported it, and from a shipped data set of the right shape otherwise.
A file that cannot be imported is refused with the reason (naming the key); nothing changes.
"""
from __future__ import annotations

from typing import Callable

from PySide6 import QtWidgets

from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from engine.datasets import DATASET_NAMES
from engine.losses import LOSSES
from gui.widgets.screen_fit import fit_wrapped


class ImportWeightsDialog(QtWidgets.QDialog):
    """``sizes`` and ``meta`` (names an exporting Backprop Lens wrote) describe the file;
    ``default_data`` is the data-set spec that fits its shape (or None); ``build(activation,
    output_activation, loss, dataset)`` makes the RunConfig or raises ValueError saying why."""

    def __init__(self, session, name: str, sizes: list, meta: dict, default_data: dict | None,
                 build: Callable, parent=None):
        super().__init__(parent)
        self.session, self.sizes, self._build = session, list(sizes), build
        self.setWindowTitle(f"Import weights: {name}")
        L = len(sizes) - 1
        summary = QtWidgets.QLabel(f"A {'-'.join(map(str, sizes))} network: {L} Linear layers "
                                   f"(keys 0.weight, 0.bias, … {2 * L - 2}.bias).  The file holds only "
                                   f"weights and biases: say how the network computes and what it learns from.")
        summary.setWordWrap(True)
        self.activation = self._combo(HIDDEN_ACTIVATIONS, meta.get("activation", "tanh"))
        self.output_activation = self._combo(list(ACTIVATIONS), meta.get("output_activation", "sigmoid"))
        self.loss = self._combo(list(LOSSES), meta.get("loss", "bce" if sizes[-1] == 1 else "cross_entropy"))
        self.dataset = QtWidgets.QComboBox()
        default = default_data
        if default is not None:
            self.dataset.addItem(f"{default['name']} (fits {sizes[0]} inputs, {sizes[-1]} outputs)", default)
        for name in DATASET_NAMES:
            if default is None or name != default["name"]:
                self.dataset.addItem(name, {"name": name})
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        form = QtWidgets.QFormLayout()
        form.addRow("Hidden activation", self.activation)
        form.addRow("Output activation", self.output_activation)
        form.addRow("Loss", self.loss)
        form.addRow("Data set", self.dataset)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if L == 1:
            self.activation.setEnabled(False)
        fit_wrapped(self, min_chars=36)    # the summary on 3–4 lines

    @staticmethod
    def _combo(names, current: str) -> QtWidgets.QComboBox:
        combo = QtWidgets.QComboBox()
        combo.addItems(list(names))
        combo.setCurrentText(current if current in names else combo.itemText(0))
        return combo

    def config(self):
        """The RunConfig the choices give; ValueError saying what is wrong otherwise."""
        return self._build(self.activation.currentText(), self.output_activation.currentText(),
                           self.loss.currentText(), dict(self.dataset.currentData()))

    def _on_accepted(self) -> None:
        try:
            config = self.config()
        except ValueError as e:
            self._show(str(e))
            return
        if self.session.apply_config(config):
            self.session.message.emit(f"Imported a {'-'.join(map(str, self.sizes))} network")
            self.accept()
        else:
            self._show("The network and the data set do not fit together: see the status bar.")

    def _show(self, text: str) -> None:
        self.message.setText(f"⚠ {text}")
        self.message.show()
        fit_wrapped(self)

