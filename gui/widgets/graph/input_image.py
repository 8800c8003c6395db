"""The input example as a picture, beside the input column: for data whose input width is a
square number of pixels (the 8×8 digits' 64 inputs, any k×k with k ≥ ``MIN_SIDE``), the graph's
left margin shows x as a k×k image, row by row as the pixels are numbered, ink (1) in the
theme's text colour on its background (0), with a caption.  The strip of 64 cells beside it is
the same numbers in a column; the picture is what a student recognises as a "4".

Drawn only when the margin leaves each pixel at least ``MIN_CELL`` pixels; nothing otherwise.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6 import QtCore, QtGui

from . import text_fit

MIN_SIDE = 4         # 16 inputs or more: iris' 4 features are not a 2×2 picture
MIN_CELL = 5.0       # screen pixels per input pixel, at least
MAX_CELL = 22.0
CAPTION_H = 22       # the picture's caption above it (× zoom)
_CENTER = QtCore.Qt.AlignmentFlag.AlignCenter


def image_side(n_inputs: int) -> int | None:
    """k when ``n_inputs`` = k² with k ≥ MIN_SIDE, else None."""
    k = math.isqrt(int(n_inputs))
    return k if k * k == n_inputs and k >= MIN_SIDE else None


def margin(n_inputs: int, width: float, height: float, s: float) -> float:
    """Room the picture asks for left of the input column in a ``width`` × ``height`` graph area:
    its side (cells of up to ``MAX_CELL``, at most a sixth of the width) and a gap; 0 when the
    inputs are not a picture or a picture would not get ``MIN_CELL`` pixels a cell."""
    k = image_side(n_inputs)
    if k is None:
        return 0.0
    cell = min(MAX_CELL * s, width / 6 / k, height / k)
    return cell * k + 30 * s if cell >= MIN_CELL else 0.0


def input_pixels(gv) -> np.ndarray | None:
    """The current example's inputs as a (k, k) array (a batch: its mean), or None."""
    x = np.asarray(gv.session.view.x, dtype=float)
    x = x.mean(axis=0) if x.ndim == 2 else x.ravel()
    k = image_side(x.size)
    return None if k is None else x.reshape(k, k)


def image_rect(gv) -> QtCore.QRectF | None:
    """Where the picture goes: in the margin left of the input column, centred on it vertically,
    under the graph's caption with room above for its own (``caption_rect``) where it keeps
    MIN_CELL pixels a cell so, else without its caption."""
    k = image_side(gv.graph_layout.sizes[0])
    if k is None:
        return None
    lay, s = gv.graph_layout, gv.scale
    column_left = lay.xs[0] - max(lay.radius[0], lay.strip_w) - 22 * s     # clear of the column's highlight band
    room_w = column_left - 8 * s
    for top in (max(lay.top, gv.content_top + CAPTION_H * s), lay.top):
        cell = min(room_w / k, (lay.bottom - top) / k, MAX_CELL * s)
        if cell >= MIN_CELL:
            side = cell * k
            mid = (top + lay.bottom) / 2
            return QtCore.QRectF(column_left - side, mid - side / 2, side, side)
    return None


def caption_rect(gv, rect: QtCore.QRectF) -> QtCore.QRectF | None:
    """Where "x as 8×8" goes: above the picture ``rect``, under the graph's caption (None: no room)."""
    s = gv.scale
    box = QtCore.QRectF(rect.left() - 20 * s, rect.top() - CAPTION_H * s, rect.width() + 40 * s, 20 * s)
    return box if box.top() >= gv.content_top - 1e-6 else None


def paint(p: QtGui.QPainter, gv) -> None:
    rect = image_rect(gv)
    pixels = input_pixels(gv) if rect is not None else None
    if pixels is None:
        return
    k = pixels.shape[0]
    lo, hi = min(0.0, float(np.nanmin(pixels))), max(1.0, float(np.nanmax(pixels)))
    t = np.clip((np.nan_to_num(pixels, nan=lo) - lo) / (hi - lo), 0.0, 1.0)
    bg, ink = QtGui.QColor(gv.theme.background), QtGui.QColor(gv.theme.foreground)
    rgb = np.array([bg.red(), bg.green(), bg.blue()], float) * (1 - t[..., None]) \
        + np.array([ink.red(), ink.green(), ink.blue()], float) * t[..., None]
    pixels_rgb = np.ascontiguousarray(rgb.astype(np.uint8)).tobytes()     # named: the QImage reads this buffer
    img = QtGui.QImage(pixels_rgb, k, k, 3 * k, QtGui.QImage.Format.Format_RGB888).copy()
    p.save()
    p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, False)   # sharp pixels
    p.drawImage(rect, img)
    p.setPen(QtGui.QPen(QtGui.QColor(gv.theme.muted), 1.0))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawRect(rect)
    gv.shapes.append(("input picture", QtCore.QRectF(rect)))
    caption = caption_rect(gv, rect)
    if caption is not None:
        text_fit.draw(p, gv, "label", caption, f"x as {k}×{k}", gv.font_at(0.85), _CENTER, QtGui.QColor(gv.theme.muted))
    p.restore()
