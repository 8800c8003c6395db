"""The painted scalar graph: node boxes (op, value, gradient), edges with their local derivative,
the highlighted paths, and the rule of the current node beside it.  Custom-painted in paintEvent,
so QWidget.render exports it to PNG and SVG like the layer graph."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.numbers import format_exact
from gui.theme import BASE_POINT_SIZE, THEMES

from . import layout
from .text import name, num, short

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
        self.asked_values: set[int] = set()   # Predict mode: values the next micro-step reveals ("?")
        self.asked_grads: set[int] = set()    # … and gradients
        self.highlight: set[int] = set()
        self.current: int | None = None    # node-by-node mode: the node just computed
        self.current_text = ""
        self.scheme = "book"
        self.theme = THEMES["light"]
        self.point_size = BASE_POINT_SIZE
        self.boxes: dict[int, QtCore.QRectF] = {}
        self.setMouseTracking(True)

    def set_state(self, **state) -> None:
        for key, value in state.items():
            setattr(self, key, value)
        self.setMinimumSize(self._minimum())
        self._relayout()
        self.update()

    def _minimum(self) -> QtCore.QSize:
        """Room for readable boxes: about 10 characters a column, three lines a row of products."""
        if self.graph is None or not self.shown:
            return QtCore.QSize(360, 240)
        cols, rows = layout.extent(self.graph, self.shown)
        metrics = QtGui.QFontMetricsF(self._font(0.95, bold=True))
        return QtCore.QSize(int(cols * metrics.horizontalAdvance("w¹₁₁ = 0.00") / 0.78 + 16),
                            int(max(rows * metrics.height() * 3.4 / 0.8 + 24, 240)))

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

    def _lines(self, n: int) -> list[str]:
        """name, value, gradient (the last, drawn in the gradient colour, only once known); "?"
        where Predict mode asks for the value or the gradient the next micro-step reveals."""
        node = self.graph.nodes[n]
        value = num(node.value) if n in self.values else "?" if n in self.asked_values else "·"
        lines = [short(node, self.graph, self.scheme), value]
        return lines + (["?"] if n in self.asked_grads else [num(node.grad)] if n in self.grads else [])

    def _fitting_size(self, texts: list[str], width: float, start: float) -> float:
        """One point size (≥ 6.5) at which every text fits ``width``: all boxes read alike."""
        size = start
        while size > 6.5:
            metrics = QtGui.QFontMetricsF(self._font(size / self.point_size, bold=True))
            if all(metrics.horizontalAdvance(t) <= width for t in texts):
                break
            size -= 0.5
        return size

    def _paint_nodes(self, p) -> None:
        """Three lines (name, value, grad) when the box is tall enough, else "name = value" and grad."""
        fg, accent = QtGui.QColor(self.theme.foreground), QtGui.QColor(self.theme.accent)
        grad_color = QtGui.QColor(GRAD_COLOR.get(self.theme.name, "#b3261e"))
        lines = {n: self._lines(n) for n in self.boxes}
        width = min((r.width() for r in self.boxes.values()), default=100.0) - 7
        height = self._h
        size = self.point_size * 0.95
        three = height - 2 >= 2.6 * QtGui.QFontMetricsF(self._font(size / self.point_size, bold=True)).height()
        if not three:
            lines = {n: [f"{v[0]} = {v[1]}", *v[2:]] for n, v in lines.items()}
        size = self._fitting_size([t for v in lines.values() for t in v], width, size)
        rows = 3 if three else 2
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
            band = (r.height() - 2) / rows
            grad_row = len(lines[n]) - 1 if n in self.grads or n in self.asked_grads else -1
            asked = {rows - 2} if n in self.asked_values and n not in self.values else set()
            asked |= {grad_row} if n in self.asked_grads else set()
            for i, text in enumerate(lines[n]):
                p.setPen(accent if i in asked else grad_color if i == grad_row else fg)
                p.setFont(self._font(size / self.point_size, bold=i == 0 or i in asked))
                self._draw_text(p, QtCore.QRectF(r.left() + 4, r.top() + 1 + i * band, r.width() - 7, band), text)

    def _draw_text(self, p, rect: QtCore.QRectF, text: str) -> None:
        text = QtGui.QFontMetricsF(p.font()).elidedText(text, QtCore.Qt.TextElideMode.ElideRight, rect.width())
        p.drawText(rect, QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft, text)

    def _paint_callout(self, p) -> None:
        """The current node's rule in a box beside it (node-by-node mode)."""
        if self.current is None or self.current not in self.boxes or not self.current_text:
            return
        r = self.boxes[self.current]
        p.setFont(self._font(1.05))
        metrics = QtGui.QFontMetricsF(p.font())
        width = min(self.width() * 0.55, 560.0)
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
                    lines.append(f"value {format_exact(node.value)}")
                if n in self.grads:
                    lines.append(f"grad ∂C/∂· = {format_exact(node.grad)}")
                if n in self.asked_values or n in self.asked_grads:
                    lines.append(f"? its {'value' if n in self.asked_values else 'gradient'} is asked: "
                                 "predict it, → reveals")
                QtWidgets.QToolTip.showText(e.globalPos(), "\n".join(lines), self)
            else:
                QtWidgets.QToolTip.hideText()
            return True
        return super().event(e)
