"""Presenting: full screen, zoom, theme, colour palette, the shortcut sheet and a blank screen.

``Presentation(window, session)`` owns the View-menu actions (attributes; ``actions()`` groups
them) and applies the view settings ``theme`` and ``font_scale`` to the whole application: a
QPalette and a small stylesheet on the window, and the QApplication font at base × font_scale.
It follows the settings' signals, so settings restored from prefs take effect too.
"""
from __future__ import annotations

import weakref

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import SIG_FIGS_MENU
from gui.shell.actions import KeyGuard, takes_text
from gui.session import Session
from gui.theme import THEMES, Theme, check_box_css, panel_point_size, use_themed_style
from gui.view_settings import ZOOM_STEP, ViewSettings
from gui.widgets.file_dialog_fit import ColumnFit
from gui.widgets.screen_fit import lay_out_now, refit
from gui.widgets.shortcut_sheet import ShortcutSheet

_WINDOWS: weakref.WeakSet = weakref.WeakSet()   # the main windows Presentations serve (on screen or not)

ZOOM_MIN, ZOOM_MAX = ViewSettings.font_scale.range
_BASE_PROP = "backprop_lens_base_point_size"
DOCK_TITLE_PADDING = (5, 8)     # px above and below, left and right of a dock's title (gui.shell.dock_title reads it)
LAYOUT_FLUSHES = 4     # a zoom sends the posted layout requests this many times (each climbs a level of the window's
                       # docks and bars): the window settles before it paints, not at its old geometry in the new fonts
_ROLE, _GROUP = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup
_EAT_WHILE_BLANK = {QtCore.QEvent.Type.ShortcutOverride, QtCore.QEvent.Type.KeyRelease,
                    QtCore.QEvent.Type.MouseButtonRelease, QtCore.QEvent.Type.MouseButtonDblClick}


def base_point_size() -> float:
    """The application font size before any zoom (remembered on the QApplication)."""
    app = QtWidgets.QApplication.instance()
    base = app.property(_BASE_PROP)
    if not isinstance(base, float) or base <= 0:
        base = app.font().pointSizeF()
        base = base if base > 0 else 10.0
        app.setProperty(_BASE_PROP, float(base))
    return base


def make_palette(theme: Theme) -> QtGui.QPalette:
    """Light: white backgrounds, near-black text, dark-blue selection (projector contrast).
    Dark: charcoal backgrounds, off-white text, amber selection with black text."""
    dark = theme.name == "dark"
    c = QtGui.QColor
    bg, fg, panel, muted = c(theme.background), c(theme.foreground), c(theme.panel), c(theme.muted)
    hl, hl_text = (c(theme.accent), c("#000000")) if dark else (c(theme.banner), c("#ffffff"))
    p = QtGui.QPalette()
    for group in (_GROUP.Active, _GROUP.Inactive, _GROUP.Disabled):
        off = group == _GROUP.Disabled
        text = muted if off else fg
        for role, color in ((_ROLE.Window, c(theme.window)), (_ROLE.WindowText, text), (_ROLE.Base, bg),
                            (_ROLE.AlternateBase, panel), (_ROLE.Text, text), (_ROLE.Button, panel),
                            (_ROLE.ButtonText, text), (_ROLE.ToolTipBase, bg), (_ROLE.ToolTipText, fg),
                            (_ROLE.PlaceholderText, muted), (_ROLE.Highlight, muted if off else hl),
                            (_ROLE.HighlightedText, hl_text), (_ROLE.BrightText, c("#ff5555")),
                            (_ROLE.Link, c("#7cb7ff") if dark else c("#0b4f9c")),
                            (_ROLE.Light, panel.lighter(130)), (_ROLE.Midlight, panel.lighter(110)),
                            (_ROLE.Mid, muted), (_ROLE.Dark, panel.darker(160)), (_ROLE.Shadow, c("#000000"))):
            p.setColor(group, role, color)
    return p


def window_stylesheet(theme: Theme, point_size: float, dialog_point_size: float) -> str:
    """Chrome the palette does not reach (dock titles, toolbars, menu bar, status bar, tooltips,
    check boxes) and its font size; the widgets' own fonts follow the application font.

    Every dialog and message box the window opens (its own, Qt's file dialogs and message boxes, and
    everything in them) gets ``dialog_point_size``, the panels' size: one rule here, which Qt applies
    again to the dialogs already open when the zoom changes.  (A class font,
    ``QApplication.setFont(font, "QDialog")``, reaches the dialog but not its labels and buttons: a
    style sheet turns off Qt's font propagation to children, and it is not applied again to a dialog
    already open.)"""
    border = theme.muted
    pt = f"{point_size:.1f}pt"
    dialog_pt = f"{dialog_point_size:.2f}pt"
    return (f"QMainWindow::separator {{ background: {border}; width: 3px; height: 3px; }}"
            f"QDockWidget {{ font-size: {pt}; font-weight: bold; }}"
            f"QDockWidget::title {{ background: {theme.panel}; padding: {DOCK_TITLE_PADDING[0]}px {DOCK_TITLE_PADDING[1]}px; "
            f"border-bottom: 1px solid {border}; text-align: left; }}"
            f"QToolBar {{ background: {theme.panel}; border: none; border-bottom: 1px solid {border}; "
            f"spacing: 4px; padding: 2px; }}"
            f"QToolBar QToolButton {{ font-size: {pt}; }}"
            f"QMenuBar {{ background: {theme.panel}; color: {theme.foreground}; font-size: {pt}; }}"
            f"QMenu {{ font-size: {pt}; }}"
            f"QStatusBar {{ background: {theme.panel}; color: {theme.foreground}; font-size: {pt}; "
            f"border-top: 1px solid {border}; }}"
            f"QToolTip {{ color: {theme.foreground}; background: {theme.background}; "
            f"border: 1px solid {theme.foreground}; font-size: {pt}; }}"
            f"QDialog, QDialog QWidget {{ font-size: {dialog_pt}; }}"
            + check_box_css(theme))


class BlankOverlay(QtWidgets.QWidget):
    """A plain black (dark theme) or white (light theme) sheet over the whole window."""

    def __init__(self, window: QtWidgets.QWidget):
        super().__init__(window)
        self.color = QtGui.QColor("#000000")
        self.setCursor(QtCore.Qt.CursorShape.BlankCursor)
        self.hide()

    def paintEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        QtGui.QPainter(self).fillRect(self.rect(), self.color)


class Presentation(QtCore.QObject):
    fonts_changed = QtCore.Signal()    # a zoom's fonts and style sheet are set; the window's layouts settle next

    def __init__(self, window: QtWidgets.QMainWindow, session: Session):
        super().__init__(window)
        self.window, self.session = window, session
        _WINDOWS.add(window)
        use_themed_style(QtWidgets.QApplication.instance())     # the style's own icons follow the theme too
        self.sheet_actions = None      # () -> {section: [QAction]} for the sheet; None: the window's own
        self.sheet: ShortcutSheet | None = None
        self.full_screen = self._make("&Full screen", ["F11"], self._on_full_screen_toggled,
                                      checkable=True, toggle=True)
        self.zoom_in = self._make("Zoom &in", ["Ctrl+=", "Ctrl++"], self._on_zoom_in_triggered)
        self.zoom_out = self._make("Zoom &out", ["Ctrl+-"], self._on_zoom_out_triggered)
        self.zoom_reset = self._make("&Normal size", ["Ctrl+0"], self._on_zoom_reset_triggered)
        self.theme_light = self._make("&Light theme (projector)", [], self._on_theme_light_triggered, checkable=True)
        self.theme_dark = self._make("&Dark theme", [], self._on_theme_dark_triggered, checkable=True)
        self.palette_standard = self._make("&Standard colours (blue/red)", [],
                                           self._on_palette_standard_triggered, checkable=True)
        self.palette_colorblind = self._make("&Colour-blind safe colours (purple/orange)", [],
                                             self._on_palette_colorblind_triggered, checkable=True)
        self.shortcuts = self._make("&Keyboard shortcuts…", ["F1", "?", "Shift+?"],
                                    self._on_shortcuts_triggered)
        self.blank = self._make("&Blank screen", ["B"], self._on_blank_toggled, checkable=True, toggle=True)
        self.sig_figs = {n: self._make(f"{n} significant figures" + (" (check hand calculations)" if n == 10 else ""),
                                       [], lambda *_, n=n: setattr(session.settings, "sig_figs", n), checkable=True)
                         for n in SIG_FIGS_MENU}
        self.sig_figs_group = self._group(*self.sig_figs.values())
        self.theme_group = self._group(self.theme_light, self.theme_dark)
        self.palette_group = self._group(self.palette_standard, self.palette_colorblind)
        self.overlay = BlankOverlay(window)
        self.guard = KeyGuard(self)     # B and ? go to a focused text field, not to us
        self.guard.sequences = {QtGui.QKeySequence(k)[0].toCombined() for k in ("B", "Shift+B", "?", "Shift+?")}
        self.guard.install()
        window.installEventFilter(self)
        self._scale = session.settings.font_scale       # the zoom the open dialogs were sized for
        QtWidgets.QApplication.instance().focusWindowChanged.connect(self._on_focus_window_changed)
        st = session.settings
        st.theme_changed.connect(self._on_theme_changed)
        st.palette_changed.connect(self._on_palette_changed)
        st.font_scale_changed.connect(self._on_font_scale_changed)
        st.sig_figs_changed.connect(self._on_sig_figs_changed)
        self._on_theme_changed(st.theme)
        self._on_palette_changed(st.palette)
        self._on_font_scale_changed(st.font_scale)
        self._on_sig_figs_changed(st.sig_figs)

    def make_action(self, text, keys, slot, checkable=False) -> QtGui.QAction:
        """A window-wide View action for other parts of the window (layouts, companion)."""
        return self._make(text, keys, slot, checkable)

    def _make(self, text, keys, slot, checkable=False, toggle=False) -> QtGui.QAction:
        action = QtGui.QAction(text, self.window)
        action.setShortcuts([QtGui.QKeySequence(k) for k in keys])
        action.setCheckable(checkable)
        if keys:
            shown = [k for k in keys if not k.startswith("Shift+")]
            action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({' or '.join(shown)})")
        (action.toggled if toggle else action.triggered).connect(slot)
        self.window.addAction(action)     # window-wide shortcuts even when not in a menu
        return action

    def _group(self, *actions) -> QtGui.QActionGroup:
        group = QtGui.QActionGroup(self)
        group.setExclusive(True)
        for a in actions:
            group.addAction(a)
        return group

    def actions(self) -> dict[str, list[QtGui.QAction]]:
        """The actions grouped for a View menu (a separator or submenu between groups)."""
        return {"Window": [self.full_screen, self.blank],
                "Zoom": [self.zoom_in, self.zoom_out, self.zoom_reset],
                "Theme": [self.theme_light, self.theme_dark],
                "Colours": [self.palette_standard, self.palette_colorblind],
                "Numbers": list(self.sig_figs.values()),
                "Help": [self.shortcuts]}

    # -- zoom --------------------------------------------------------------------------------------
    def _set_scale(self, scale: float) -> None:
        self.session.settings.font_scale = round(min(max(scale, ZOOM_MIN), ZOOM_MAX), 4)

    def _on_zoom_in_triggered(self) -> None:
        self._set_scale(self.session.settings.font_scale * ZOOM_STEP)

    def _on_zoom_out_triggered(self) -> None:
        self._set_scale(self.session.settings.font_scale / ZOOM_STEP)

    def _on_zoom_reset_triggered(self) -> None:
        self._set_scale(1.0)

    # -- theme and palette ---------------------------------------------------------------------------
    def _on_theme_light_triggered(self) -> None:
        self.session.settings.theme = "light"

    def _on_theme_dark_triggered(self) -> None:
        self.session.settings.theme = "dark"

    def _on_palette_standard_triggered(self) -> None:
        self.session.settings.palette = "standard"

    def _on_palette_colorblind_triggered(self) -> None:
        self.session.settings.palette = "colorblind"

    def _beside_another_window(self) -> bool:
        """True while another main window is on screen: this one then draws pictures offscreen (a
        lesson's handout, written from the File menu).  The application's palette and font are the
        window on screen's: this one sets its own on itself, or a handout written from a dark, zoomed
        window turned that window's palette light and its font back to normal size."""
        # the windows a Presentation serves, not QApplication.topLevelWidgets(): wrapping every top
        # level (some being deleted) crashed the interpreter once in a whole test run
        return any(w is not self.window and shiboken6.isValid(w) and w.isVisible()
                   and not w.testAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
                   for w in list(_WINDOWS))

    def _on_font_scale_changed(self, scale: float) -> None:
        app = QtWidgets.QApplication.instance()
        font = QtGui.QFont(app.font())
        font.setPointSizeF(base_point_size() * scale)
        if self._beside_another_window():
            self.window.setFont(font)
        else:
            app.setFont(font)
        self.zoom_in.setEnabled(scale < ZOOM_MAX - 1e-6)
        self.zoom_out.setEnabled(scale > ZOOM_MIN + 1e-6)
        self._restyle_window()
        self.fonts_changed.emit()           # what measures the new fonts (the stepping bar's styles) does so now
        lay_out_now(LAYOUT_FLUSHES)         # the window's layouts settle now, before anything paints
        ratio, self._scale = scale / self._scale, scale
        if abs(ratio - 1.0) > 1e-9:
            self._refit_dialogs(ratio)

    # -- dialogs at the panels' size --------------------------------------------------------------
    def _serves(self, dialog: QtWidgets.QWidget) -> bool:
        parent = dialog.parentWidget()
        return parent is not None and parent.window() is self.window

    def _on_focus_window_changed(self, _window) -> None:
        """A dialog of this window in front takes the zoom keys too: a modal dialog blocks the
        window's own shortcuts, and a dialog is what a projector needs to make larger most.  Qt's own
        file dialog also gets its columns fitted to their text at the panels' size (ColumnFit)."""
        dialog = QtWidgets.QApplication.activeWindow()
        if not isinstance(dialog, QtWidgets.QDialog) or not self._serves(dialog):
            return
        if self.zoom_in not in dialog.actions():
            dialog.addActions([self.zoom_in, self.zoom_out, self.zoom_reset])
        if isinstance(dialog, QtWidgets.QFileDialog):
            ColumnFit.attach(dialog)

    def _refit_dialogs(self, ratio: float) -> None:
        """The dialogs open over this window after a zoom (the style sheet has given them the new font):
        each grows or shrinks with it, within its screen; the shortcut sheet is laid out again."""
        for dialog in self.window.findChildren(QtWidgets.QDialog):
            if not dialog.isVisible() or not self._serves(dialog):
                continue
            if dialog is self.sheet:
                self._on_shortcuts_triggered()
            else:
                refit(dialog, ratio)

    def _on_theme_changed(self, name: str) -> None:
        if self._beside_another_window():
            self.window.setPalette(make_palette(THEMES[name]))
        else:
            QtWidgets.QApplication.instance().setPalette(make_palette(THEMES[name]))
        self._restyle_window()          # after the palette: re-polishing picks up its colours
        self.theme_dark.setChecked(name == "dark")
        self.theme_light.setChecked(name != "dark")
        self.overlay.color = QtGui.QColor("#000000" if name == "dark" else "#ffffff")
        self.overlay.update()

    def _on_palette_changed(self, name: str) -> None:
        (self.palette_colorblind if name == "colorblind" else self.palette_standard).setChecked(True)

    def _on_sig_figs_changed(self, sig: int) -> None:
        self.sig_figs_group.setExclusive(False)     # 7, 8 or 9 (from a settings file) check none
        for n, action in self.sig_figs.items():
            action.setChecked(n == sig)
        self.sig_figs_group.setExclusive(True)

    def _restyle_window(self) -> None:
        theme = THEMES[self.session.settings.theme]
        scale = self.session.settings.font_scale
        self.window.setStyleSheet(window_stylesheet(theme, base_point_size() * scale, panel_point_size(scale)))

    # -- full screen ---------------------------------------------------------------------------------
    def _on_full_screen_toggled(self, on: bool) -> None:
        if on and not self.window.isFullScreen():
            self.window.setMaximumSize(16777215, 16777215)   # the whole screen
            self.window.showFullScreen()
        elif not on and self.window.isFullScreen():
            self.window.showNormal()

    # -- shortcut sheet ------------------------------------------------------------------------------
    def sheet_sections(self) -> dict[str, list[QtGui.QAction]]:
        """What the sheet lists: ``sheet_actions()`` if set (asked each time the sheet opens: a lesson
        takes keys while it is open), else every shortcut action of the window (its own first, then ours)."""
        if self.sheet_actions is not None:
            return self.sheet_actions()
        ours = {id(a) for acts in self.actions().values() for a in acts}
        others = [a for a in self.window.findChildren(QtGui.QAction) if a.shortcuts() and id(a) not in ours]
        sections = {"Stepping and training": others} if others else {}
        sections["Presenting"] = [self.full_screen, self.zoom_in, self.zoom_out, self.zoom_reset,
                                  self.blank, self.shortcuts]
        return sections

    def _on_shortcuts_triggered(self) -> None:
        if self.sheet is not None:
            self.sheet.destroyed.disconnect(self._on_sheet_destroyed)    # its end must not forget the new one
            self.sheet.close()
        self.sheet = ShortcutSheet.from_actions(self.sheet_sections(), self.window)
        self.sheet.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sheet.destroyed.connect(self._on_sheet_destroyed)
        self.sheet.show()

    def _on_sheet_destroyed(self) -> None:
        self.sheet = None

    # -- blank screen --------------------------------------------------------------------------------
    def _on_blank_toggled(self, on: bool) -> None:
        app = QtWidgets.QApplication.instance()
        if on and takes_text(app.focusWidget()) and not self.overlay.isVisible():
            self.blank.setChecked(False)     # B typed into a field (guard bypassed): not for us
            return
        if on:
            self.overlay.setGeometry(self.window.rect())
            self.overlay.raise_()
            self.overlay.show()
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
            self.overlay.hide()

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        t = event.type()
        if watched is self.window:
            if t == QtCore.QEvent.Type.Resize and self.overlay.isVisible():
                self.overlay.setGeometry(self.window.rect())
            elif t == QtCore.QEvent.Type.WindowStateChange:
                self.full_screen.setChecked(self.window.isFullScreen())
        if not self.overlay.isVisible():
            return False
        if t in (QtCore.QEvent.Type.KeyPress, QtCore.QEvent.Type.MouseButtonPress):
            self.blank.setChecked(False)     # any key or click brings the picture back, nothing else
            return True
        if t in _EAT_WHILE_BLANK:
            event.accept()
            return True
        return False
