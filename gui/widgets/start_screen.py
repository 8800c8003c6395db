"""The start screen: every preset as a large card; clicking one (or Enter on it) loads it.

``StartScreen(session)`` is a plain widget; ``start_dialog(session, parent)`` wraps it in a dialog
that closes when a preset is chosen.  ``build_presets_menu(session, parent)`` is the Presets menu:
one action per preset, its description as tooltip.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from engine.losses import get_loss
from engine.optim import OPTIMIZERS
from engine.presets import PRESETS, Preset
from gui.numbers import format_number
from gui.session import Session
from gui.widgets.screen_fit import fit_to_screen

def preset_summary(preset: Preset) -> str:
    """'2-2-2 · sigmoid / sigmoid · ½·SSE · SGD η = 0.5' from the preset's configuration.  Each part
    wraps as one, and a line ends with its "·" rather than the next starting with it (non-breaking
    spaces and hyphens: at 1024×768, zoom +3, a card wrapped "tanh → sigmoid" over "· binary
    cross-entropy" over "· SGD η = 0.5")."""
    c = preset.config
    sizes = "-".join(str(n) for n in c.get("sizes", []))
    hidden = c.get("activation", "sigmoid")
    out = c.get("output_activation") or hidden
    acts = hidden if out == hidden else f"{hidden} → {out}"
    loss = get_loss(c.get("loss", "half_sse")).short_name
    name = c.get("optimizer", "sgd")
    opt = OPTIMIZERS[name].short_name if name in OPTIMIZERS else name
    parts = [sizes, acts, loss, f"{opt} η = {format_number(c.get('eta', 0.5))}"]
    words = [sizes] + [part.replace("-", "\u2011") for part in parts[1:]]      # (non-breaking hyphens: "cross-entropy")
    return "\u00a0\u00a0·  ".join(part.replace(" ", "\u00a0") for part in words)


class PresetCard(QtWidgets.QFrame):
    """One preset: title, description, summary.  Click, Enter, Return or Space chooses it."""
    clicked = QtCore.Signal(str)

    def __init__(self, preset: Preset, parent=None):
        super().__init__(parent)
        self.name = preset.name
        self.setObjectName("PresetCard")
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_Hover)
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(preset.title)
        self.setAccessibleDescription(preset.description)
        self.setToolTip(preset.description)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        self.title = QtWidgets.QLabel(preset.title)
        self.description = QtWidgets.QLabel(preset.description.replace(" =", "\u00a0="))   # never a line starting "= 0.3589…"
        self.summary = QtWidgets.QLabel(preset_summary(preset))
        for label in (self.title, self.description, self.summary):   # a narrow screen wraps, never cuts
            label.setWordWrap(True)
        for label in (self.title, self.description, self.summary):
            label.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        layout.addStretch(1)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Minimum)

    def mouseReleaseEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if event.button() == QtCore.Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.name)

    def keyPressEvent(self, event) -> None:   # noqa: N802
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter, QtCore.Qt.Key.Key_Space):
            self.clicked.emit(self.name)
        else:
            super().keyPressEvent(event)


class StartScreen(QtWidgets.QWidget):
    preset_chosen = QtCore.Signal(str)

    def __init__(self, session: Session, parent=None, columns: int = 2):
        super().__init__(parent)
        self.session = session
        self.setObjectName("StartScreen")
        self.cards: dict[str, PresetCard] = {}
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(10)
        self.heading = QtWidgets.QLabel("Backprop Lens")
        self.subheading = QtWidgets.QLabel("Choose a network to start from. Every preset can be edited afterwards; "
                                           "this screen is under Help → Start screen.")
        self.subheading.setWordWrap(True)
        outer.addWidget(self.heading)
        outer.addWidget(self.subheading)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        inner = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(inner)
        grid.setSpacing(14)
        grid.setContentsMargins(2, 2, 2, 2)
        for k, preset in enumerate(PRESETS.values()):
            card = PresetCard(preset)
            card.clicked.connect(self._on_card_clicked)
            grid.addWidget(card, k // columns, k % columns)
            self.cards[preset.name] = card
        grid.setRowStretch(grid.rowCount(), 1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self._apply_style()
        session.settings.font_scale_changed.connect(self._on_style_changed)
        session.settings.theme_changed.connect(self._on_style_changed)
        session.run_changed.connect(self._on_run_changed)

    def _on_card_clicked(self, name: str) -> None:
        if self.session.load_preset(name):
            self.preset_chosen.emit(name)

    def _on_style_changed(self, _value) -> None:
        self._apply_style()

    def _on_run_changed(self) -> None:
        self._apply_style()

    def changeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if event.type() in (QtCore.QEvent.Type.ApplicationFontChange, QtCore.QEvent.Type.FontChange,
                            QtCore.QEvent.Type.PaletteChange):
            self._apply_style()
        super().changeEvent(event)

    def _apply_style(self) -> None:
        """Font sizes relative to its own font (in the start dialog: the panels' size at the zoom, which
        the window's style sheet gives every dialog), colours from the palette; the current preset's
        card is outlined."""
        self.ensurePolished()
        base = self.font().pointSizeF()
        base = base if base > 0 else 10.0
        pal = self.palette()
        role = QtGui.QPalette.ColorRole
        fg, bg = pal.color(role.WindowText).name(), pal.color(role.Base).name()
        card_bg, hl = pal.color(role.AlternateBase).name(), pal.color(role.Highlight).name()
        muted = pal.color(QtGui.QPalette.ColorGroup.Disabled, role.WindowText).name()
        current = self.session.preset_name
        self.heading.setStyleSheet(f"font-size: {base * 2.2:.1f}pt; font-weight: bold;")
        self.subheading.setStyleSheet(f"font-size: {base * 1.2:.1f}pt;")
        for name, card in self.cards.items():
            border = f"3px solid {hl}" if name == current else f"1px solid {muted}"
            card.setStyleSheet(
                f"#PresetCard {{ background: {card_bg}; border: {border}; border-radius: 10px; }}"
                f"#PresetCard:hover {{ background: {bg}; border: 3px solid {fg}; }}"
                f"#PresetCard:focus {{ border: 3px solid {hl}; }}"
                f"QLabel {{ color: {fg}; background: transparent; border: none; }}")
            card.title.setStyleSheet(f"font-size: {base * 1.6:.1f}pt; font-weight: bold;")
            card.description.setStyleSheet(f"font-size: {base * 1.15:.1f}pt;")
            card.summary.setStyleSheet(f"font-size: {base * 1.15:.1f}pt; font-family: monospace;")


def start_dialog(session: Session, parent=None) -> QtWidgets.QDialog:
    """The start screen in a modal-ready dialog that accepts when a preset is chosen (Esc cancels)."""
    dialog = QtWidgets.QDialog(parent)
    dialog.setWindowTitle("Backprop Lens — start")
    layout = QtWidgets.QVBoxLayout(dialog)
    layout.setContentsMargins(0, 0, 0, 0)
    screen = StartScreen(session, dialog)
    screen.preset_chosen.connect(dialog.accept)
    layout.addWidget(screen)
    dialog.screen_widget = screen
    fit_to_screen(dialog, QtCore.QSize(1100, 760))
    return dialog


def build_presets_menu(session: Session, parent=None) -> QtWidgets.QMenu:
    """'Presets': one action per preset (tooltip = its description) that loads it."""
    menu = QtWidgets.QMenu("&Presets", parent)
    menu.setToolTipsVisible(True)
    for preset in PRESETS.values():
        action = menu.addAction(preset.title)
        action.setToolTip(preset.description)
        action.setStatusTip(preset.description)
        action.setData(preset.name)
        action.triggered.connect(lambda _=False, n=preset.name: session.load_preset(n))
    return menu
