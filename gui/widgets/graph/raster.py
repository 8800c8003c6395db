"""Drawings the graph reuses from one paint to the next, on raster devices (the screen, PNG):

- ``Stamps``: small antialiased strokes (a neuron's outline, a saturation ring) drawn once per
  shape into a pixmap and blitted: the raster engine strokes an antialiased rounded rectangle or
  circle in about 0.1–0.15 ms, fills one without a pen in 0.01 ms and blits a stamp in 0.015 ms;
- ``Layer``: a whole layer of the picture (the edges) kept as a pixmap of the widget's size while
  what it shows is unchanged (every forward micro-step shows the same weights; a digits network has
  a thousand edges, 10–25 ms of drawLines).

Vector devices (SVG, PDF, QPicture) and scaled painters (an export at another size) always get
the drawing itself (``device_ratio`` is None for them).
"""
from __future__ import annotations

import collections
import math

from PySide6 import QtCore, QtGui

QUANTUM = 4          # a stamp is drawn for positions to 1/QUANTUM of a device pixel


def device_ratio(p: QtGui.QPainter) -> float | None:
    """The device pixel ratio when ``p`` paints on a raster device with at most a whole-pixel
    translation (a widget, an image of the widget's size); None otherwise (vector, scaled)."""
    engine = p.paintEngine()
    if engine is None or engine.type() != QtGui.QPaintEngine.Type.Raster:
        return None
    t = p.transform()
    if t.type() not in (QtGui.QTransform.TransformationType.TxNone, QtGui.QTransform.TransformationType.TxTranslate):
        return None
    dpr = p.device().devicePixelRatioF()
    if (t.dx() * dpr) % 1 or (t.dy() * dpr) % 1:
        return None
    return dpr


def _pixmap(w: float, h: float, dpr: float) -> QtGui.QPixmap:
    pix = QtGui.QPixmap(max(1, math.ceil(w * dpr)), max(1, math.ceil(h * dpr)))
    pix.setDevicePixelRatio(dpr)
    pix.fill(QtCore.Qt.GlobalColor.transparent)
    return pix


class Stamps:
    """Outlines of shapes centred on a point, each drawn once (per shape, pen and sub-pixel offset)
    and then blitted."""

    MAX = 512

    def __init__(self):
        self._cache: collections.OrderedDict = collections.OrderedDict()

    def outline(self, p: QtGui.QPainter, dpr: float, pen: QtGui.QPen, x: float, y: float,
                half_w: float, half_h: float, radius: float) -> None:
        """The outline of the rounded rectangle (a circle when ``half_w == half_h == radius``) centred
        on (x, y), stroked with ``pen``, as ``p.drawRoundedRect`` would draw it."""
        m = pen.widthF() / 2 + 1.0
        left, top = x - half_w - m, y - half_h - m
        # the stamp lands on a device pixel; the shape inside it keeps (to 1/QUANTUM px) its offset
        dx, dy = math.floor(left * dpr), math.floor(top * dpr)
        fx, fy = round((left * dpr - dx) * QUANTUM), round((top * dpr - dy) * QUANTUM)
        key = (round(half_w, 3), round(half_h, 3), round(radius, 3), pen.color().rgba(), pen.widthF(),
               pen.style(), fx, fy, dpr)
        pix = self._cache.get(key)
        if pix is None:
            pix = _pixmap(2 * half_w + 2 * m + 1, 2 * half_h + 2 * m + 1, dpr)
            q = QtGui.QPainter(pix)
            q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            q.setPen(pen)
            q.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            ox, oy = fx / QUANTUM / dpr, fy / QUANTUM / dpr
            q.drawRoundedRect(QtCore.QRectF(ox + m, oy + m, 2 * half_w, 2 * half_h), radius, radius)
            q.end()
            self._cache[key] = pix
            while len(self._cache) > self.MAX:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        p.drawPixmap(QtCore.QPointF(dx / dpr, dy / dpr), pix)


class Layer:
    """A layer of the picture kept as a widget-sized pixmap per key (the last few: the micro-step
    shown, those drawn ahead for the next and the previous one, and the last ones left)."""

    MAX = 5

    def __init__(self):
        self._cache: collections.OrderedDict = collections.OrderedDict()
        self.drawn = 0                   # how often the layer was drawn anew (tests)

    def paint(self, p: QtGui.QPainter, key, size: QtCore.QSize, draw, keep=None) -> bool:
        """Blit the layer for ``key`` (drawn by ``draw(painter)`` when not kept yet) and return True;
        False on devices where it must be drawn directly (``device_ratio``).  ``keep`` is held with the
        pixmap (an object whose id is part of the key stays alive, so its id is not reused)."""
        dpr = device_ratio(p)
        if dpr is None:
            return False
        p.drawPixmap(QtCore.QPointF(0, 0), self._entry(key, size, dpr, draw, keep)[0])
        return True

    def prepare(self, key, size: QtCore.QSize, dpr: float, draw, keep=None) -> bool:
        """Draw the layer for ``key`` now if it is not kept yet (ahead of the paint that will show
        it, in idle time); True if it was drawn."""
        drawn = self.drawn
        self._entry(key, size, dpr, draw, keep)
        return self.drawn > drawn

    def _entry(self, key, size: QtCore.QSize, dpr: float, draw, keep) -> tuple:
        key = (key, size.width(), size.height(), dpr)
        entry = self._cache.get(key)
        if entry is None:
            pix = _pixmap(size.width(), size.height(), dpr)
            q = QtGui.QPainter(pix)
            q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            draw(q)
            q.end()
            entry = self._cache[key] = (pix, keep)
            self.drawn += 1
            while len(self._cache) > self.MAX:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return entry

    def clear(self) -> None:
        self._cache.clear()
