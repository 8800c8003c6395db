"""The painted scalar graph: node boxes (op, value, gradient), edges with their local derivative,
the highlighted paths, and the rule of the current node beside it.  Custom-painted in paintEvent,
so QWidget.render exports it to PNG and SVG like the layer graph."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.theme import THEMES

from . import layout
from .text import name, num

GRAD_COLOR = {"light": "#b3261e", "dark": "#ff8a80"}
LEAF_FILL = {"light": "#e8eef7", "dark": "#1d2a3a"}
OP_LABEL = {"a0": "x", "w": "w", "b": "b", "×": "×", "Σ": "Σ", "+": "+", "σ": "σ", "drop": "m/(1−p)",
            "C": "C", "Ω": "Ω", "total": "C+Ω"}


class Canvas(QtWidgets.QWidget):
    node_clicked = QtCore.Signal(int)      # a node id, or −1 for empty space

    def __init__(self, parent=None):
        super().__init__(parent)
        self.graph = None
        self.shown: set[int] = set()
        self.values: set[int] = set()      # nodes whose value is known at this step
        self.grads: set[int] = set()       # nodes whose gradient is known
        self.highlight: set[int] = set()
        self.current: int | None = None    # node-by-node mode: the node just computed
        self.current_text = ""
        self.scheme = "book"
        self.theme = THEMES["light"]
        self.point_size = 11.0
        self.boxes: dict[int, QtCore.QRectF] = {}
        self.setMinimumSize(360, 240)
        self.setMouseTracking(True)

    def set_state(self, **state) -> None:
        for key, value in state.items():
            setattr(self, key, value)
        self._relayout()
        self.update()

    def resizeEvent(self, e) -> None:   # noqa: N802
        self._relayout()
        super().resizeEvent(e)

    def _relayout(self) -> None:
        if self.graph is None or not self.shown:
            self.boxes = {}
            return
        m = 8.0
        self.boxes, self._h = layout.compute(self.graph, self.shown, QtCore.QRectF(self.rect()).adjusted(m, m + 6, -m, -m))

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, e) -> None:   # noqa: N802
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), QtGui.QColor(self.theme.background))
        if self.graph is not None:
            self._paint_edges(p)
            self._paint_nodes(p)
            self._paint_callout(p)
        p.end()

    def _font(self, scale: float = 1.0, bold: bool = False) -> QtGui.QFont:
        f = QtGui.QFont(self.font())
        f.setPointSizeF(max(self.point_size * scale, 6.0))
        f.setBold(bold)
        return f

    def _paint_edges(self, p) -> None:
        muted, accent = QtGui.QColor(self.theme.edge_neutral), QtGui.QColor(self.theme.accent)
        for n in self.boxes:
            node = self.graph.nodes[n]
            for parent in node.parents:
                if parent not in self.boxes:
                    continue
                on = n in self.highlight and parent in self.highlight
                p.setPen(QtGui.QPen(accent if on else muted, 3.0 if on else 1.2))
                a, b = self.boxes[parent], self.boxes[n]
                p.drawLine(QtCore.QPointF(a.right(), a.center().y()), QtCore.QPointF(b.left(), b.center().y()))

    def _paint_nodes(self, p) -> None:
        fg, accent = QtGui.QColor(self.theme.foreground), QtGui.QColor(self.theme.accent)
        grad_color = QtGui.QColor(GRAD_COLOR.get(self.theme.name, "#b3261e"))
        for n, r in self.boxes.items():
            node = self.graph.nodes[n]
            fill = QtGui.QColor(LEAF_FILL.get(self.theme.name) if node.leaf else self.theme.panel)
            if n == self.current:
                fill = QtGui.QColor(accent)
                fill.setAlpha(90)
            p.setBrush(fill)
            p.setPen(QtGui.QPen(accent if n in self.highlight else QtGui.QColor(self.theme.muted),
                                3.0 if n in self.highlight else 1.0))
            p.drawRoundedRect(r, 5, 5)
            two_lines = r.height() >= 2.1 * self.point_size * 1.25
            label = name(node, self.graph, self.scheme)
            value = num(node.value) if n in self.values else "·"
            top, bottom = (r.adjusted(4, 1, -3, -r.height() / 2), r.adjusted(4, r.height() / 2 - 1, -3, -1)) \
                if two_lines else (r.adjusted(4, 0, -3, 0), None)
            p.setPen(fg)
            p.setFont(self._font(0.9, bold=True))
            self._fit_text(p, top, f"{label} = {value}")
            if bottom is not None and n in self.grads:
                p.setPen(grad_color)
                p.setFont(self._font(0.85))
                self._fit_text(p, bottom, f"grad {num(node.grad)}")

    def _fit_text(self, p, rect: QtCore.QRectF, text: str) -> None:
        metrics = QtGui.QFontMetricsF(p.font())
        while metrics.horizontalAdvance(text) > rect.width() and p.font().pointSizeF() > 6.5:
            f = p.font()
            f.setPointSizeF(f.pointSizeF() - 0.5)
            p.setFont(f)
            metrics = QtGui.QFontMetricsF(f)
        text = metrics.elidedText(text, QtCore.Qt.TextElideMode.ElideRight, rect.width())
        p.drawText(rect, QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft, text)

    def _paint_callout(self, p) -> None:
        """The current node's rule in a box beside it (node-by-node mode)."""
        if self.current is None or self.current not in self.boxes or not self.current_text:
            return
        r = self.boxes[self.current]
        p.setFont(self._font(0.95))
        metrics = QtGui.QFontMetricsF(p.font())
        width = min(self.width() * 0.55, 520.0)
        text_rect = metrics.boundingRect(QtCore.QRectF(0, 0, width, 1000),
                                         int(QtCore.Qt.TextFlag.TextWordWrap), self.current_text)
        box = QtCore.QRectF(0, 0, text_rect.width() + 14, text_rect.height() + 10)
        x = r.right() + 10 if r.right() + 10 + box.width() < self.width() else r.left() - 10 - box.width()
        y = min(max(r.bottom() + 6, 4.0), self.height() - box.height() - 4)
        box.moveTo(max(x, 4.0), y)
        p.setBrush(QtGui.QColor(self.theme.panel))
        p.setPen(QtGui.QPen(QtGui.QColor(self.theme.accent), 2.0))
        p.drawRoundedRect(box, 6, 6)
        p.setPen(QtGui.QColor(self.theme.foreground))
        p.drawText(box.adjusted(7, 5, -7, -5), int(QtCore.Qt.TextFlag.TextWordWrap), self.current_text)

    # -- input ---------------------------------------------------------------------------------
    def node_at(self, pos: QtCore.QPointF) -> int | None:
        for n, r in self.boxes.items():
            if r.contains(pos):
                return n
        return None

    def mousePressEvent(self, e) -> None:   # noqa: N802
        if e.button() == QtCore.Qt.MouseButton.LeftButton:
            n = self.node_at(e.position())
            self.node_clicked.emit(-1 if n is None else n)
        super().mousePressEvent(e)

    def event(self, e) -> bool:
        if e.type() == QtCore.QEvent.Type.ToolTip:
            n = self.node_at(QtCore.QPointF(e.pos()))
            if n is not None:
                node = self.graph.nodes[n]
                lines = [name(node, self.graph, self.scheme)]
                if n in self.values:
                    lines.append(f"value {num(node.value)}")
                if n in self.grads:
                    lines.append(f"grad ∂C/∂· = {num(node.grad)}")
                QtWidgets.QToolTip.showText(e.globalPos(), "\n".join(lines), self)
            else:
                QtWidgets.QToolTip.hideText()
            return True
        return super().event(e)
