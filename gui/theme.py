"""Colours, colour maps and fonts shared by every widget.

Signed values (W, ∂C/∂W, δ) use a diverging map centred on zero with symmetric levels;
activations and σ′ use a sequential map.  Two palettes: ``standard`` (ColorBrewer RdBu,
blue for negative, red for positive) and ``colorblind`` (ColorBrewer PuOr, purple/orange, safe for
the common colour-vision deficiencies); sequential maps are viridis and cividis, both CVD-safe.
Two themes: ``light`` for projectors and ``dark``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

_DIVERGING = {
    "standard": ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"],
    "colorblind": ["#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806"],
}
_SEQUENTIAL = {"standard": "viridis", "colorblind": "cividis"}
PALETTES = list(_DIVERGING)
BASE_POINT_SIZE = 12.0      # the widgets' text size in points before the View's font_scale (zoom)


def panel_point_size(font_scale: float) -> float:
    """The text size (points) of the panels and of every dialog and message box at zoom ``font_scale``."""
    return BASE_POINT_SIZE * font_scale


def set_font_within(root: QtWidgets.QWidget, font: QtGui.QFont) -> None:
    """``font`` on ``root`` and on every widget in it.  The window's style sheet turns off Qt's font
    propagation, so a font set on a panel alone reaches none of its labels, fields and buttons (they
    kept the window's 9-pt menu size beside the panel's 12 pt).  A part drawn in another font (a
    bold title) sets its own after this; a widget added later sets its own."""
    for widget in (root, *root.findChildren(QtWidgets.QWidget)):
        widget.setFont(font)


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    panel: str
    muted: str
    accent: str      # selection, pulses
    banner: str
    edge_neutral: str
    error: str       # error messages on the theme's background and panels, ≥ 4.5:1

    @property
    def window(self) -> str:
        """The palette's window colour: what a page without a background of its own shows (the
        derivation's pages, the dialogs): the panel grey in the dark theme, the background in the
        light one.  A plot on such a page draws its background in it, or shows as a box."""
        return self.panel if self.name == "dark" else self.background


THEMES = {
    "light": Theme("light", "#ffffff", "#111111", "#f3f4f6", "#6b7280", "#e67e00", "#1f3a5f", "#9ca3af", "#c62828"),
    "dark": Theme("dark", "#15181d", "#eceff4", "#222831", "#9aa3ad", "#ffb000", "#0b2540", "#5b6470", "#ff6b6b"),
}

# Predict mode's marks (right, wrong) per theme: text on the theme's background, ≥ 4.5:1 contrast
VERDICT_COLORS = {"light": ("#15803d", "#c2410c"), "dark": ("#4ade80", "#fb923c")}

# The classes of a data set (decision boundary points and regions, fitted curves), in order: the
# Okabe–Ito hues (told apart with the common colour-vision deficiencies) — blue, vermillion, green,
# reddish purple, orange, sky blue, yellow, black — each at a lightness that keeps ≥ 3:1 contrast
# (WCAG, graphics) with its theme's background: Okabe–Ito's own orange, sky blue and yellow are
# 1.3–2.3:1 on white, and its black 1.2:1 on charcoal (a CSV with eight classes showed it).
CLASS_COLORS = {
    "light": ("#0072b2", "#d55e00", "#009e73", "#c26a9d", "#b87800", "#2a8ac4", "#8c7e00", "#000000"),
    "dark": ("#1a7fc0", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#c8c8c8"),
}


def configure_pyqtgraph() -> None:
    """Once per process: W[i, j] shows row i as a row; antialiased lines."""
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)


def diverging_map(palette: str = "standard") -> pg.ColorMap:
    colors = _DIVERGING.get(palette, _DIVERGING["standard"])
    return pg.ColorMap(np.linspace(0.0, 1.0, len(colors)), [QtGui.QColor(c) for c in colors])


def sequential_map(palette: str = "standard") -> pg.ColorMap:
    return pg.colormap.get(_SEQUENTIAL.get(palette, "viridis"))


DRAW_LIMIT = 1e300


def drawable(values) -> np.ndarray:
    """``values`` as floats clipped to ±DRAW_LIMIT (±∞ too; NaN stays NaN), for what pyqtgraph and
    QPainter draw: they subtract levels and scale ranges, which overflows near the float limit
    (1.8e308) and then paints garbage.  Numbers shown as text and values kept by widgets stay exact."""
    return np.clip(np.asarray(values, dtype=float), -DRAW_LIMIT, DRAW_LIMIT)


def symmetric_limit(*arrays, floor: float = 1e-12) -> float:
    """max |v| over the arrays (at most DRAW_LIMIT), so levels (−m, m) centre the diverging map on zero."""
    m = max((float(np.nanmax(np.abs(a))) for a in arrays if a is not None and np.size(a)), default=0.0)
    return min(m, DRAW_LIMIT) if np.isfinite(m) and m > floor else 1.0


def lookup(cmap: pg.ColorMap, values, lo: float, hi: float) -> list[QtGui.QColor]:
    """QColors for ``values`` mapped linearly from [lo, hi] onto ``cmap``."""
    lo, hi = drawable([lo, hi])
    t = np.clip((drawable(values) - lo) / (hi - lo if hi > lo else 1.0), 0.0, 1.0)
    rgba = cmap.map(np.nan_to_num(t.ravel(), nan=0.5), mode="byte")    # NaN (∞ − ∞): the middle colour
    return [QtGui.QColor(int(r), int(g), int(b), int(a)) for r, g, b, a in rgba]


def relative_luminance(color: QtGui.QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour, 0 (black) .. 1 (white)."""
    def linear(c: int) -> float:
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(color.red()) + 0.7152 * linear(color.green()) + 0.0722 * linear(color.blue())


def contrast_ratio(a: QtGui.QColor, b: QtGui.QColor) -> float:
    """WCAG 2 contrast ratio (L1 + 0.05) / (L2 + 0.05), 1 .. 21; AA asks ≥ 4.5 for text."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_color_for(color: QtGui.QColor) -> QtGui.QColor:
    """Black or white, whichever contrasts more with ``color`` (by WCAG contrast ratio; one of the
    two always reaches at least 4.58:1, so numbers on any fill meet AA)."""
    black, white = QtGui.QColor("#000000"), QtGui.QColor("#ffffff")
    return black if contrast_ratio(color, black) >= contrast_ratio(color, white) else white


def style_axes(axes, theme: Theme, point_size: float) -> QtGui.QFont:
    """Tick and label fonts and colours of pyqtgraph AxisItems for a theme; returns the tick font.
    A pen is set only where it changes (a theme switch, not a zoom): each set lays the axis label
    out again (its HTML), about 500 labels a zoom key with the heatmaps' axes."""
    tick = QtGui.QFont()
    tick.setPointSizeF(point_size)
    text, line = pg.mkPen(theme.foreground), pg.mkPen(theme.muted)
    for axis in axes:
        axis.setTickFont(tick)
        if axis.textPen() != text:
            axis.setTextPen(text)
        if axis.pen() != line:
            axis.setPen(line)
        axis.label.setFont(tick)
    return tick


def set_style_sheet(widget: QtWidgets.QWidget, sheet: str) -> None:
    """``widget``'s style sheet, set only when its text changes: Qt repolishes the widget and every
    child at each setStyleSheet, the same text included (a zoom key set the same sheets on the
    heatmaps and panels about fifteen times, each a repolish of everything under them)."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def themed_panel(widget: QtWidgets.QWidget, theme: Theme) -> None:
    """``widget``'s background in ``theme.background`` and its labels and check boxes in
    ``theme.foreground``.  By style sheet, not ``setPalette``: when the window's style sheet is set
    again (every theme switch does that), Qt gives each widget back the palette it had when the
    style sheet first polished it, so a palette set on the widget in between is lost (the Loss
    and Matrices bars were white on white in the dark theme)."""
    if not widget.objectName():
        widget.setObjectName(type(widget).__name__)
    widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_StyledBackground, True)
    set_style_sheet(widget, f"#{widget.objectName()} {{ background: {theme.background}; }}"
                            f"QLabel, QCheckBox {{ color: {theme.foreground}; background: transparent; }}")


def check_box_css(theme: Theme) -> str:
    """Check boxes drawn in the theme's colours (for the window's style sheet): the style's own
    box is drawn in the palette's base colour, the same as the dark theme's background, so it
    vanished there."""
    return (f"QCheckBox::indicator, QAbstractItemView::indicator {{ width: 0.9em; height: 0.9em; "
            f"border: 2px solid {theme.foreground}; border-radius: 3px; background: {theme.background}; }}"
            f"QCheckBox::indicator:checked, QAbstractItemView::indicator:checked {{ background: {theme.accent}; }}"
            f"QAbstractItemView::indicator {{ margin-right: 0.3em; }}")


def tinted_icon(icon: QtGui.QIcon, theme: Theme, size: int = 32) -> QtGui.QIcon:
    """``icon`` recoloured for ``theme``: every pixel in the theme's foreground with the icon's
    own alpha (the style's media icons are black glyphs, invisible on the dark theme's charcoal),
    and the disabled state in the muted colour."""
    return recoloured_icon(icon, QtGui.QColor(theme.foreground), QtGui.QColor(theme.muted), size)


def recoloured_icon(icon: QtGui.QIcon, normal: QtGui.QColor, disabled: QtGui.QColor, size: int = 32) -> QtGui.QIcon:
    """``icon`` with every pixel in ``normal`` (the Disabled mode in ``disabled``), keeping its alpha."""
    out = QtGui.QIcon()
    for mode, colour in ((QtGui.QIcon.Mode.Normal, normal), (QtGui.QIcon.Mode.Disabled, disabled)):
        pix = icon.pixmap(size, size)
        if pix.isNull():
            return icon
        tinted = QtGui.QPixmap(pix.size())
        tinted.setDevicePixelRatio(pix.devicePixelRatio())
        tinted.fill(QtCore.Qt.GlobalColor.transparent)
        p = QtGui.QPainter(tinted)
        p.drawPixmap(0, 0, pix)
        p.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_SourceIn)
        p.fillRect(tinted.rect(), QtGui.QColor(colour))
        p.end()
        out.addPixmap(tinted, mode)
    return out


def _ink(icon: QtGui.QIcon, size: int = 32) -> np.ndarray:
    """(n, 3) RGB of an icon's opaque pixels (alpha > 160) at ``size``; empty for a null icon."""
    img = icon.pixmap(size, size).toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    if img.isNull():
        return np.zeros((0, 3))
    a = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.bytesPerLine() * img.height())
    a = a.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, :img.width()]
    return a[a[..., 3] > 160][:, :3].astype(float)


def is_lost_glyph(icon: QtGui.QIcon, background: QtGui.QColor) -> bool:
    """True for a grey glyph (its strokes without colour: mean channel spread < 48) whose strongest
    strokes (90th percentile) reach less than 3:1 (WCAG for graphics) on ``background``: the
    style's black arrows and ✗ on the dark theme's charcoal.  Coloured icons are left alone."""
    ink = _ink(icon)
    if not len(ink) or float(np.mean(ink.max(axis=1) - ink.min(axis=1))) >= 48:
        return False
    c = ink / 255.0
    lum = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4) @ np.array([0.2126, 0.7152, 0.0722])
    bg = relative_luminance(background)
    ratios = (np.maximum(lum, bg) + 0.05) / (np.minimum(lum, bg) + 0.05)     # as contrast_ratio, per pixel
    return float(np.percentile(ratios, 90)) < 3.0


_PE = QtWidgets.QStyle.PrimitiveElement
_CC = QtWidgets.QStyle.ComplexControl
_STATE = QtWidgets.QStyle.StateFlag
_OUTLINED = (_CC.CC_SpinBox, _CC.CC_ComboBox)      # looked up once: enum access costs on every repaint
_EDGED = (_PE.PE_FrameDockWidget, _PE.PE_PanelMenu, _PE.PE_FrameMenu)   # windows' edges: a floating dock, a menu
_SCROLL_BAR, _SLIDER = _CC.CC_ScrollBar, QtWidgets.QStyle.SubControl.SC_ScrollBarSlider
_SLIDER_CC = _CC.CC_Slider
_SLIDER_HANDLE, _SLIDER_GROOVE = QtWidgets.QStyle.SubControl.SC_SliderHandle, QtWidgets.QStyle.SubControl.SC_SliderGroove
_TAB_SHAPE = QtWidgets.QStyle.ControlElement.CE_TabBarTabShape
_FOCUS, _ENABLED, _ON, _SELECTED = _STATE.State_HasFocus, _STATE.State_Enabled, _STATE.State_On, _STATE.State_Selected
_HOVERED_OR_DRAGGED = _STATE.State_MouseOver | _STATE.State_Sunken
_EXTENSION = "qt_toolbar_ext_button"     # the object name Qt gives a toolbar's overflow (») button
_SP = QtWidgets.QStyle.StandardPixmap
_MID, _TEXT, _HIGHLIGHT = QtGui.QPalette.ColorRole.Mid, QtGui.QPalette.ColorRole.Text, QtGui.QPalette.ColorRole.Highlight


class ThemedStyle(QtWidgets.QProxyStyle):
    """The application's style (Fusion underneath) made to follow the palette where Fusion derives
    its own colours, which fail on a dark palette (all three seen in a real X window, dark theme):

    - glyph icons (a dialog button box's ✗ Close, the file dialog's arrows and view buttons): a glyph
      lost on the palette's button colour is redrawn in its button text colour (disabled: its
      disabled text colour);
    - text fields, spin boxes and combo boxes: Fusion outlines them in the window colour darkened,
      invisible on charcoal (and 2:1 on white), so a field could not be told from the panel behind
      it; they get a 1 px outline in the palette's Mid colour (the theme's muted, ≥ 4.5:1 on both
      themes' panels); a focused field keeps Fusion's highlight frame;
    - a checked tool button (Predict, Play while playing): Fusion's sunken panel is a shade apart
      from the toolbar; it is filled with a tint of the highlight colour and outlined in it;
    - radio buttons (the derivation's column / row vectors): Fusion's ring and dot were dark on
      charcoal, so which convention is on could not be seen; a ring in the text colour and a dot
      in the highlight colour, as the check boxes (``check_box_css``);
    - check boxes the style sheet does not draw (a list's checkable items, as in the CSV import's
      column lists, the menus' toggles): their edge in the text colour;
    - the tab in front (dock groups, the derivation's pages): Fusion makes it one shade lighter; a
      bar in the highlight colour on its outer edge;
    - a scroll bar's handle: Fusion fills it with the button colour, 1.3:1 on its groove in the dark
      theme (1.1:1 in the light one); it is filled in the palette's Mid colour (the theme's muted,
      ≥ 3:1 on the groove in both themes), in the text colour while hovered or dragged;
    - a slider (the toolbar's pace, the tensor page's slices): Fusion drew its handle and track in
      shades of the button colour (1.2:1 on the dark theme's panel, 1.0:1 in the light one); the handle
      is filled and the track outlined in Mid;
    - a floating dock's frame (drawn by Qt itself on X11) and a popup menu's edge: Fusion's were shades
      of the window colour (1.0–1.1:1 on the dark theme), so a panel floated over the graph, or a
      context menu opened on it, had no edge; a 1 px edge in Mid;
    - a toolbar's overflow button (») is given its icon once by Qt, when the toolbar is built: it is
      given the icon again each time the widget is polished (every theme switch re-polishes the
      window), so it follows the theme (it stayed black on charcoal; Predict sits behind it at zoom +3).

    Reads the application palette, which the theme sets, so it needs no theme of its own."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt's name)
        if element == _PE.PE_IndicatorRadioButton:
            self._radio(option, painter)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element == _PE.PE_FrameLineEdit:
            self._outline(option, painter)
        elif element in _EDGED:
            self._edge(option, painter)
        elif element in (_PE.PE_IndicatorItemViewItemCheck, _PE.PE_IndicatorCheckBox):
            self._box(option, painter)
        elif element == _PE.PE_PanelButtonTool and option.state & _ON:
            self._mark_checked(option, painter)

    def drawControl(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt's name)
        super().drawControl(element, option, painter, widget)
        if element == _TAB_SHAPE and option.state & _SELECTED:
            self._mark_tab(option, painter)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802 (Qt's name)
        super().drawComplexControl(control, option, painter, widget)
        if control in _OUTLINED and option.frame:
            self._outline(option, painter)
        elif control == _SCROLL_BAR:
            self._scroll_handle(option, painter, self.subControlRect(control, option, _SLIDER, widget))
        elif control == _SLIDER_CC:
            self._slider(option, painter, self.subControlRect(control, option, _SLIDER_GROOVE, widget),
                         self.subControlRect(control, option, _SLIDER_HANDLE, widget))

    @staticmethod
    def _outline(option, painter) -> None:
        state = option.state
        if state & _FOCUS:
            return
        colour = QtGui.QColor(option.palette.color(_MID))
        if not state & _ENABLED:
            colour.setAlpha(110)
        painter.save()             # a crisp 1 px frame: no antialiasing (it cost most of a field's repaint)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        painter.setPen(colour)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
        painter.restore()

    @staticmethod
    def _edge(option, painter) -> None:
        """A window's 1 px edge in Mid (a floating dock, a popup menu: QMenu paints its panel with
        no state, so the state is not read)."""
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        painter.setPen(option.palette.color(_MID))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
        painter.restore()

    @staticmethod
    def _scroll_handle(option, painter, rect: QtCore.QRect) -> None:
        """The handle over Fusion's: a rounded bar in Mid (the text colour while hovered or dragged),
        inset 2 px from the groove's edges so the groove still frames it."""
        if rect.isEmpty() or not option.state & _ENABLED:
            return
        active = option.activeSubControls & _SLIDER and option.state & _HOVERED_OR_DRAGGED
        colour = option.palette.color(_TEXT if active else _MID)
        r = QtCore.QRectF(rect)
        if option.orientation == QtCore.Qt.Orientation.Horizontal:
            r.adjust(1, 2, -1, -2)
        else:
            r.adjust(2, 1, -2, -1)
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        radius = min(r.width(), r.height()) / 2.5
        painter.drawRoundedRect(r, radius, radius)
        painter.restore()

    @staticmethod
    def _slider(option, painter, groove: QtCore.QRect, handle: QtCore.QRect) -> None:
        """A slider's track outlined and its handle filled in Mid (the text colour while hovered or
        dragged): Fusion drew both in shades of the button colour, 1.2:1 on the dark theme's panel."""
        mid = QtGui.QColor(option.palette.color(_MID))
        if not option.state & _ENABLED:
            mid.setAlpha(110)
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if not groove.isEmpty():
            painter.setPen(QtGui.QPen(mid, 1.0))
            painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QtCore.QRectF(groove).adjusted(0.5, 0.5, -0.5, -0.5), 2.0, 2.0)
        if not handle.isEmpty():
            active = option.activeSubControls & _SLIDER_HANDLE and option.state & _HOVERED_OR_DRAGGED
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(option.palette.color(_TEXT) if active and option.state & _ENABLED else mid)
            painter.drawRoundedRect(QtCore.QRectF(handle).adjusted(1, 1, -1, -1), 3.0, 3.0)
        painter.restore()

    @staticmethod
    def _mark_tab(option, painter) -> None:
        """The tab in front (a dock group's, the derivation's pages) marked by a bar in the highlight
        colour on its outer edge: Fusion's selected tab is one shade lighter than the others, which
        a projector does not show."""
        shape, r = QtWidgets.QTabBar.Shape, QtCore.QRectF(option.rect)
        t = max(3.0, r.height() / 10 if option.shape in (shape.RoundedNorth, shape.RoundedSouth,
                                                         shape.TriangularNorth, shape.TriangularSouth) else 3.0)
        if option.shape in (shape.RoundedSouth, shape.TriangularSouth):
            bar = QtCore.QRectF(r.left() + 1, r.bottom() - t, r.width() - 2, t)
        elif option.shape in (shape.RoundedWest, shape.TriangularWest):
            bar = QtCore.QRectF(r.left(), r.top() + 1, t, r.height() - 2)
        elif option.shape in (shape.RoundedEast, shape.TriangularEast):
            bar = QtCore.QRectF(r.right() - t, r.top() + 1, t, r.height() - 2)
        else:
            bar = QtCore.QRectF(r.left() + 1, r.top(), r.width() - 2, t)
        painter.fillRect(bar, option.palette.color(QtGui.QPalette.ColorRole.Highlight))

    @staticmethod
    def _box(option, painter) -> None:
        """A check box's edge in the text colour (Fusion's was the window colour darkened: an
        unchecked box in a list, such as the CSV import's columns, vanished on charcoal)."""
        colour = QtGui.QColor(option.palette.color(QtGui.QPalette.ColorRole.Text))
        if not option.state & _STATE.State_Enabled:
            colour.setAlpha(110)
        side = min(option.rect.width(), option.rect.height()) - 1.0
        box = QtCore.QRectF(0, 0, side, side)
        box.moveCenter(QtCore.QRectF(option.rect).center())
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QtGui.QPen(colour, 1.2))
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box.adjusted(0.6, 0.6, -0.6, -0.6), 2.0, 2.0)
        painter.restore()

    @staticmethod
    def _radio(option, painter) -> None:
        role = QtGui.QPalette.ColorRole
        side = min(option.rect.width(), option.rect.height()) - 2.0
        ring = QtCore.QRectF(0, 0, side, side)
        ring.moveCenter(QtCore.QRectF(option.rect).center())
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QtGui.QPen(option.palette.color(role.WindowText), max(1.5, side / 9)))
        painter.setBrush(option.palette.color(role.Base))
        painter.drawEllipse(ring)
        if option.state & _STATE.State_On:
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(option.palette.color(role.Highlight))
            d = side * 0.28
            painter.drawEllipse(ring.adjusted(d, d, -d, -d))
        painter.restore()

    @staticmethod
    def _mark_checked(option, painter) -> None:
        accent = QtGui.QColor(option.palette.color(QtGui.QPalette.ColorRole.Highlight))
        fill = QtGui.QColor(accent)
        fill.setAlpha(70)
        painter.save()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QtGui.QPen(accent, 1.5))
        painter.setBrush(fill)
        painter.drawRoundedRect(QtCore.QRectF(option.rect).adjusted(1, 1, -1, -1), 3.0, 3.0)
        painter.restore()

    def polish(self, target):
        if isinstance(target, QtGui.QPalette) or not isinstance(target, QtWidgets.QWidget):
            return super().polish(target)
        super().polish(target)
        if isinstance(target, QtWidgets.QToolButton) and target.objectName() == _EXTENSION:
            bar = target.parentWidget()
            vertical = isinstance(bar, QtWidgets.QToolBar) and bar.orientation() == QtCore.Qt.Orientation.Vertical
            glyph = _SP.SP_ToolBarVerticalExtensionButton if vertical else _SP.SP_ToolBarHorizontalExtensionButton
            target.setIcon(self.standardIcon(glyph, None, target))
        return None

    def __init__(self, *args):
        super().__init__(*args)
        self._icons: dict = {}      # (standard pixmap, palette colours) → the icon to show

    def standardIcon(self, standard, option=None, widget=None) -> QtGui.QIcon:  # noqa: N802 (Qt's name)
        palette = QtWidgets.QApplication.palette()
        role, group = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup
        button, text = palette.color(role.Button), palette.color(role.ButtonText)
        disabled = palette.color(group.Disabled, role.ButtonText)
        key = (standard, button.rgba(), text.rgba(), disabled.rgba())
        if key not in self._icons:     # asked on every repaint of some widgets: judged once per palette
            icon = super().standardIcon(standard, option, widget)
            lost = not icon.isNull() and is_lost_glyph(icon, button)
            self._icons[key] = recoloured_icon(icon, text, disabled) if lost else icon
        return self._icons[key]


def use_themed_style(app: QtWidgets.QApplication) -> None:
    """Make ``app``'s style a ThemedStyle over the style it has (once; Fusion in the app).  Replacing
    the style deletes the old one: take it before anything keeps a reference to it."""
    if not isinstance(app.style(), ThemedStyle):
        app.setStyle(ThemedStyle(app.style().name()))
