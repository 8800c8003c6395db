"""MathView: a LaTeX string typeset by ziamath to SVG and drawn with QSvgRenderer.

ziamath handles what matplotlib's mathtext cannot (bmatrix, \\underset); its SVG 1.1 output
(``ziamath.config.svg2 = False``: paths, no <symbol>/<use>) is what Qt's SVG Tiny renderer draws.
Typeset SVG is cached by (source, size, colour).  If ziamath cannot parse a string the widget
shows the source as plain red text instead of raising.
"""
from __future__ import annotations

import functools
import warnings

from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

with warnings.catch_warnings():
    # ziamath 0.13 locates its font with importlib.resources.path, deprecated since Python 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    import ziamath

ziamath.config.svg2 = False

BASE_SIZE = 24.0      # px of the math font at font_scale 1
MIN_FIT = 0.6         # a wide equation shrinks to fit its width down to this fraction, then scrolls


@functools.lru_cache(maxsize=1024)
def typeset(source: str, size: float, color: str = "#000000") -> bytes:
    """The SVG of ``source`` at font ``size`` px in ``color`` (cached; raises on bad LaTeX)."""
    return ziamath.Latex(source, size=size, color=color).svg().encode("utf-8")


class MathView(QtWidgets.QWidget):
    """Shows one LaTeX equation at its natural size (``font_scale`` × BASE_SIZE px)."""

    def __init__(self, latex: str = "", font_scale: float = 1.0, parent=None):
        super().__init__(parent)
        self._latex, self._scale = "", float(font_scale)
        self._renderer: QtSvg.QSvgRenderer | None = None
        self._error: str | None = None
        policy = QtWidgets.QSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.set_latex(latex)

    # -- state ---------------------------------------------------------------------------------
    @property
    def latex(self) -> str:
        return self._latex

    @property
    def error(self) -> str | None:
        """The typesetting error of the current string, or None."""
        return self._error

    @property
    def font_size(self) -> float:
        return BASE_SIZE * self._scale

    def set_latex(self, latex: str) -> None:
        self._latex = latex
        self._render()

    def set_font_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = float(scale)
            self._render()

    def _color(self) -> str:
        return self.palette().color(QtGui.QPalette.ColorRole.WindowText).name()

    def _render(self) -> None:
        self._renderer, self._error = None, None
        if self._latex:
            try:
                svg = typeset(self._latex, round(self.font_size, 2), self._color())
                renderer = QtSvg.QSvgRenderer(QtCore.QByteArray(svg), self)
                if not renderer.isValid():
                    raise ValueError("Qt could not read the typeset SVG")
                self._renderer = renderer
            except Exception as e:   # noqa: BLE001 — any typesetting failure becomes red text
                self._error = f"{type(e).__name__}: {e}"
        self.setToolTip(self._error or "")
        self.updateGeometry()
        self.update()

    # -- geometry ----------------------------------------------------------------------------------
    def _text_font(self) -> QtGui.QFont:
        f = QtGui.QFont(self.font())
        f.setPixelSize(max(8, int(self.font_size * 0.8)))
        return f

    def sizeHint(self) -> QtCore.QSize:
        if self._renderer is not None:
            s = self._renderer.defaultSize()
            return QtCore.QSize(s.width() + 4, s.height() + 4)
        if self._latex:
            r = QtGui.QFontMetrics(self._text_font()).boundingRect(self._latex)
            return QtCore.QSize(r.width() + 8, r.height() + 8)
        return QtCore.QSize(0, 0)

    def minimumSizeHint(self) -> QtCore.QSize:
        s = self.sizeHint()
        if self._renderer is None:
            return s
        return QtCore.QSize(int(s.width() * MIN_FIT) + 1, int(s.height() * MIN_FIT) + 1)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        s = self.sizeHint()
        return int(round(s.height() * self._fit(width)))

    def _fit(self, width: int) -> float:
        """The scale at which the equation fits ``width`` (1 when it fits at its natural size)."""
        natural = self.sizeHint().width()
        if self._renderer is None or natural <= 0:
            return 1.0
        return max(MIN_FIT, min(1.0, width / natural))

    # -- drawing -----------------------------------------------------------------------------------
    def paint_to(self, painter: QtGui.QPainter, fit: float = 1.0) -> None:
        if self._renderer is not None:
            s = self._renderer.defaultSize()
            self._renderer.render(painter, QtCore.QRectF(2 * fit, 2 * fit, s.width() * fit, s.height() * fit))
        elif self._latex:
            painter.setPen(QtGui.QColor("#d00000"))
            painter.setFont(self._text_font())
            painter.drawText(QtCore.QRect(QtCore.QPoint(0, 0), self.sizeHint()).adjusted(4, 4, -4, -4),
                             QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter, self._latex)

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        self.paint_to(painter, self._fit(self.width()))
        painter.end()

    def image(self) -> QtGui.QImage:
        """The equation drawn on a transparent QImage of sizeHint (for tests and exports)."""
        size = self.sizeHint().expandedTo(QtCore.QSize(1, 1))
        img = QtGui.QImage(size, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(img)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        self.paint_to(painter)
        painter.end()
        return img

    def changeEvent(self, event) -> None:
        if event.type() == QtCore.QEvent.Type.PaletteChange:
            self._render()
        super().changeEvent(event)
