"""The stepping and training actions the main window puts in its menus and toolbar.

Each QAction triggers one session method; enabled states and the play/pause text follow the
session.  Shortcuts are window-wide, but while a text field (QLineEdit, a spin box, a text editor,
an editable combo box) has the keyboard focus, ``KeyGuard`` hands our keys to the field instead:
typing "N" or moving the cursor with ← → in the η field must not step the network.
"""
from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from gui.session import Session
from gui.theme import THEMES, tinted_icon

_SP = QtWidgets.QStyle.StandardPixmap
_TEXT_INPUT = (QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QTextEdit, QtWidgets.QPlainTextEdit)


def takes_text(widget) -> bool:
    """True for widgets where keys are typing: line edits, spin boxes, editors, editable combos."""
    if isinstance(widget, QtWidgets.QComboBox):
        return widget.isEditable()
    return isinstance(widget, _TEXT_INPUT)


def _combined(event: QtGui.QKeyEvent) -> int:
    """The key with its modifiers as one int, the keypad flag dropped (keypad Enter is Enter)."""
    mods = event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
    return QtCore.QKeyCombination(mods, QtCore.Qt.Key(event.key())).toCombined()


class KeyGuard(QtCore.QObject):
    """An event filter on the text field that has the keyboard focus (it follows the focus; no
    application-wide filter, which would call Python for every event of the app): a key press that
    would fire one of ``sequences`` is claimed for the field (the ShortcutOverride event is
    accepted), so Qt delivers it as an ordinary key press and no shortcut fires."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sequences: set[int] = set()     # QKeyCombination.toCombined() of the guarded keys
        self._field: QtWidgets.QWidget | None = None     # the focused text field it filters

    def install(self) -> None:
        """Guard whichever text field has the focus, now and as the focus moves."""
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._on_focus_changed)
            self._on_focus_changed(None, app.focusWidget())

    def uninstall(self) -> None:
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.focusChanged.disconnect(self._on_focus_changed)
        self._on_focus_changed(None, None)

    def _on_focus_changed(self, _old, new) -> None:
        if self._field is not None and shiboken6.isValid(self._field):
            self._field.removeEventFilter(self)
        self._field = new if new is not None and takes_text(new) else None
        if self._field is not None:
            self._field.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.ShortcutOverride and takes_text(watched) \
                and _combined(event) in self.sequences:
            event.accept()
            return True
        return False


class Actions(QtCore.QObject):
    """``next``, ``prev``, ``play``, ``finish``, ``next_example``, ``reset``, ``first``: QActions
    bound to the session.  Add them to a widget of the window (menus, a toolbar) so the
    window-wide shortcuts work."""

    def __init__(self, session: Session, parent: QtCore.QObject | None = None):
        super().__init__(parent)
        self.session = session
        self._icons: dict = {}         # standard pixmap → its icon tinted for the current theme
        self.first = self._make("First micro-step", "First", _SP.SP_MediaSkipBackward, ["Home"],
                                "Back to the first micro-step of this example (Home)", session.first_step)
        self.prev = self._make("Previous micro-step", "Back", _SP.SP_MediaSeekBackward, ["Left", "PgUp"],
                               "One micro-step back (← or Page Up)", session.prev_step)
        self.next = self._make("Next micro-step", "Step", _SP.SP_MediaSeekForward, ["Right", "PgDown"],
                               "One micro-step forward (→ or Page Down)", session.next_step)
        self.finish = self._make("Finish example", "Finish", _SP.SP_MediaSkipForward, ["Return", "Enter"],
                                 "Run the remaining micro-steps of this example, update included (Enter)",
                                 session.finish_example)
        self.next_example = self._make("Next example", "Next example", _SP.SP_ArrowForward, ["N"],
                                       "Finish this example and start the next one (N)", session.next_example)
        self.play = self._make("Play", "Play", _SP.SP_MediaPlay, ["Space"],
                               "Train continuously / pause (Space)", session.toggle_play)
        self.play.setCheckable(True)
        self.predict = self._make("Predict mode", "Predict", _SP.SP_DialogHelpButton, ["P"],
                                  "Predict: type each micro-step's values before → reveals them (P)",
                                  lambda: setattr(session.settings, "predict", not session.settings.predict))
        self.predict.setCheckable(True)
        self.predict.setChecked(session.settings.predict)
        session.settings.predict_changed.connect(self.predict.setChecked)
        self.reset = self._make("Reset", "Reset", _SP.SP_BrowserReload, ["R"],
                                "Back to the same initial weights, empty history (R)", session.reset)
        self.guard = KeyGuard(self)
        self.guard.sequences = {k[0].toCombined() for a in self.all() for k in a.shortcuts()}
        self.guard.install()
        session.step_changed.connect(self._on_step_changed)
        session.run_changed.connect(self._on_run_changed)
        session.training_state_changed.connect(self._on_training_state_changed)
        session.diverged.connect(self._on_diverged)
        session.settings.theme_changed.connect(self._on_theme_changed)
        self._refresh()

    def all(self) -> list[QtGui.QAction]:
        """The actions in toolbar order."""
        return [self.first, self.prev, self.next, self.finish, self.next_example, self.play, self.reset, self.predict]

    def _make(self, text: str, short: str, icon, keys: list[str], tip: str, slot) -> QtGui.QAction:
        """An action: ``text`` for menus, ``short`` beside toolbar icons."""
        action = QtGui.QAction(text, self)
        action.setProperty("standard_icon", icon)
        action.setIconText(short)
        action.setShortcuts([QtGui.QKeySequence(k) for k in keys])
        action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda *_: slot())
        return action

    # -- following the session -------------------------------------------------------------
    def _on_step_changed(self, _view) -> None:
        self._refresh()

    def _on_run_changed(self) -> None:
        self._refresh()

    def _on_training_state_changed(self, _playing: bool) -> None:
        self._refresh()

    def _on_diverged(self, _message: str) -> None:
        self._refresh()

    def _on_theme_changed(self, _theme: str) -> None:
        self._icons.clear()
        self._refresh()

    def icon(self, standard) -> QtGui.QIcon:
        """The style's ``standard`` icon in the current theme's colours (made once per theme)."""
        if standard not in self._icons:
            theme = THEMES.get(self.session.settings.theme, THEMES["light"])
            self._icons[standard] = tinted_icon(QtWidgets.QApplication.style().standardIcon(standard), theme)
        return self._icons[standard]

    def _refresh(self) -> None:
        s = self.session
        index, last, playing = s.stepper.index, s.stepper.last, s.playing
        self.first.setEnabled(index > 0 or playing)
        self.prev.setEnabled(index > 0)
        self.next.setEnabled(index < last or playing)
        self.finish.setEnabled(index < last or playing)
        self.play.setEnabled(playing or s.divergence is None)
        self.play.setChecked(playing)
        self.play.setText("Pause" if playing else "Play")
        self.play.setIconText(self.play.text())
        self.play.setProperty("standard_icon", _SP.SP_MediaPause if playing else _SP.SP_MediaPlay)
        for action in self.all():
            icon = self.icon(action.property("standard_icon"))
            if action.icon().cacheKey() != icon.cacheKey():
                action.setIcon(icon)

    def uninstall(self) -> None:
        """Remove the key guard (the window is closing)."""
        self.guard.uninstall()
