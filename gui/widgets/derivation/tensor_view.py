"""The 3-tensor ∂zˡ/∂Wˡ as a box of numbers: slice by slice, with the running contraction
Σ_{j≤k} δ_j T[j] building ∂C/∂Wˡ (engine.jacobians.contract_dz_dW with ``upto``)."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from gui.derivation import context_from_session, tensor_available, tensor_blocks
from engine.notation import sup
from gui.theme import THEMES
from gui.widgets.derivation.blocks import BlockList, scaled_font


class TensorView(QtWidgets.QWidget):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self._last_focus = -1
        self.layer_box = QtWidgets.QSpinBox()
        self.layer_box.setPrefix("layer ")
        self.prev_button = QtWidgets.QPushButton("◀ Slice")
        self.next_button = QtWidgets.QPushButton("Slice ▶")
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setMinimum(1)
        self.slider.setPageStep(1)
        self.position = QtWidgets.QLabel()
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.blocks = BlockList()
        top, bar = QtWidgets.QHBoxLayout(), QtWidgets.QHBoxLayout()    # two rows: narrow docks at zoom +3
        top.addWidget(self.layer_box)
        top.addWidget(self.position, 1)
        for w in (self.prev_button, self.slider, self.next_button):
            bar.addWidget(w)
        bar.setStretch(1, 1)
        self.slider.setMinimumWidth(40)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addLayout(top)
        lay.addLayout(bar)
        lay.addWidget(self.message)
        lay.addWidget(self.blocks, 1)
        self.layer_box.valueChanged.connect(self._on_layer_changed)
        self.slider.valueChanged.connect(self._on_slice_changed)
        self.prev_button.clicked.connect(self._on_prev_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.follow_focus()

    @property
    def layer(self) -> int:
        """The W index shown."""
        return self.layer_box.value() - 1

    @property
    def upto(self) -> int:
        return self.slider.value()

    def _focus_layer(self) -> int:
        return context_from_session(self.session).focus()[0]

    def sync(self) -> None:
        """After a step or selection: jump to the focus layer if it moved, keep a hand-picked one otherwise."""
        if self._focus_layer() != self._last_focus or self.layer >= self.session.net.L:
            self.follow_focus()
        else:
            self.refresh()

    def follow_focus(self) -> None:
        """Show the layer of the selection / current step."""
        s = self.session
        self._last_focus = self._focus_layer()
        self.layer_box.blockSignals(True)
        self.layer_box.setRange(1, s.net.L)
        self.layer_box.setValue(self._last_focus + 1)
        self.layer_box.blockSignals(False)
        self._reset_slider()
        self.refresh()

    def _reset_slider(self) -> None:
        n = self.session.net.sizes[self.layer + 1]
        self.slider.blockSignals(True)
        self.slider.setMaximum(n)
        self.slider.setValue(1)
        self.slider.blockSignals(False)

    def set_slice(self, k: int) -> None:
        self.slider.setValue(k)

    def refresh(self) -> None:
        s, l = self.session, self.layer
        scale, theme = s.settings.font_scale, THEMES.get(s.settings.theme, THEMES["light"])
        ok, why = tensor_available(s.net.sizes, l)
        for w in (self.prev_button, self.next_button, self.slider, self.position):
            w.setEnabled(ok)
            w.setFont(scaled_font(w, scale))
        self.layer_box.setFont(scaled_font(self.layer_box, scale))
        self.message.setFont(scaled_font(self.message, scale))
        n = s.net.sizes[l + 1]
        if not ok:
            self.message.setText(why)
            self.position.setText("")
            self.blocks.set_blocks([], scale, theme)
            return
        m = s.net.sizes[l]
        layout = f"{m}×{n}, like Wᵀ (row vectors)" if s.settings.convention == "row" else f"{n}×{m}, like W"
        self.message.setText(f"∂z{sup(l + 1)}/∂W{sup(l + 1)} has {n} slices of shape {layout}; "
                             "step through them and watch δ-weighted slices add up to ∂C/∂W.")
        self.position.setText(f"{self.upto} / {n}")
        self.blocks.set_blocks(tensor_blocks(s.net, s.view, l, self.upto, convention=s.settings.convention), scale, theme)

    def _on_layer_changed(self, value: int) -> None:
        self._reset_slider()
        self.refresh()

    def _on_slice_changed(self, value: int) -> None:
        self.refresh()

    def _on_prev_clicked(self) -> None:
        self.slider.setValue(self.upto - 1)

    def _on_next_clicked(self) -> None:
        self.slider.setValue(self.upto + 1)
