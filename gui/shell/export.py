"""Pictures of any view: PNG and SVG (QSvgGenerator; pyqtgraph's own SVG exporter fails on
PySide6 ≥ 6.10, pyqtgraph issues #3485 and #3495); the animations of a training step, built on
``render_image``, are in gui/export_animation.py.  Every file is written atomically (temporary file,
then ``os.replace``), and no picture is larger than ``MAX_PIXELS``."""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from engine.atomic import atomic_path
from gui import mathview

MP4_HINT = ("MP4 needs imageio-ffmpeg, the optional video extra (.venv/bin/pip install 'backprop-lens[video]'); "
            "a GIF needs nothing more")
MAX_PIXELS = 4096 * 4096   # 64 MiB as ARGB: a 4K picture at twice its size still fits


class ExportError(RuntimeError):
    """An export could not be written; the message says why."""


class ExportRefused(ExportError):
    """An export refused before anything is written: what was asked cannot be made here (a picture
    too large, an animation that is not .gif/.mp4, MP4 without its writer installed)."""


# ---------------------------------------------------------------------------- still pictures
def _render(widget, painter) -> None:
    """QWidget.render (QGraphicsView, e.g. pyqtgraph's views, overrides it with other arguments)."""
    QtWidgets.QWidget.render(widget, painter, QtCore.QPoint(0, 0), QtGui.QRegion(),
                             QtWidgets.QWidget.RenderFlag.DrawChildren
                             | QtWidgets.QWidget.RenderFlag.DrawWindowBackground)


def render_vector(widget, painter, region: QtGui.QRegion | None = None, _root: bool = True) -> None:
    """``widget`` and its children into a vector painter (PDF, a QPicture), each child drawn only where
    its parents show it (``region``, in the widget's coordinates: the part of it in view).  Qt's own
    recursion did not clip every child in the handouts' PDF: a scroll area's content taller than its
    viewport was drawn over the widgets below it (the derivation's last equation over the dock's tabs,
    the Predict panel's last row over the status bar)."""
    if _root:
        typeset_now(widget)
    region = QtGui.QRegion(widget.rect()) if region is None else region.intersected(widget.rect())
    if region.isEmpty():
        return
    if not _clips(painter) and region != QtGui.QRegion(widget.rect()):
        _draw_visible_part(widget, painter, region.boundingRect())
        return
    flags = QtWidgets.QWidget.RenderFlag.DrawWindowBackground if _root else QtWidgets.QWidget.RenderFlag(0)
    # Qt draws the region's top-left corner at the target offset: put it where it is in the widget
    QtWidgets.QWidget.render(widget, painter, region.boundingRect().topLeft(), region, flags)
    for child in widget.children():
        if not isinstance(child, QtWidgets.QWidget) or child.isWindow() or child.isHidden():
            continue
        g = child.geometry()
        painter.save()
        painter.translate(g.topLeft())
        painter.setClipRect(QtCore.QRect(0, 0, g.width(), g.height()), QtCore.Qt.ClipOperation.IntersectClip)
        render_vector(child, painter, region.translated(-g.x(), -g.y()), _root=False)
        painter.restore()


def _clips(painter) -> bool:
    """Does the painter's device honour clipping?  SVG (Tiny 1.2, what QSvgGenerator writes) has none."""
    return painter.paintEngine() is None or painter.paintEngine().type() != QtGui.QPaintEngine.Type.SVG


def _draw_visible_part(widget, painter, rect: QtCore.QRect, oversample: float = 2.0) -> None:
    """The part ``rect`` of a widget its parents cut (a scroll area's content), as a picture: on a device
    without clipping it would otherwise be drawn whole, over its neighbours."""
    image = QtGui.QImage(max(1, round(rect.width() * oversample)), max(1, round(rect.height() * oversample)),
                         QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    inner = QtGui.QPainter(image)
    inner.scale(oversample, oversample)
    inner.translate(-rect.topLeft())
    _render(widget, inner)
    inner.end()
    painter.drawImage(QtCore.QRectF(rect), image)


def typeset_now(widget: QtWidgets.QWidget) -> None:
    """Equations in ``widget`` still shown as their stand-in (gui/mathview.py) typeset now, and the
    widget laid out for them: a picture never shows a stand-in."""
    if mathview.finish_drawing(widget):
        QtWidgets.QApplication.processEvents()


def render_image(widget: QtWidgets.QWidget, size: tuple[int, int] | None = None,
                 scale: float = 1.0) -> QtGui.QImage:
    """The widget as an ARGB image: ``size`` (w, h) exactly if given, else its size × ``scale``."""
    typeset_now(widget)
    QtWidgets.QApplication.processEvents()
    w, h = max(widget.width(), 1), max(widget.height(), 1)
    if size is None:
        out_w, out_h = max(1, round(w * scale)), max(1, round(h * scale))
    else:
        out_w, out_h = int(size[0]), int(size[1])
    check_picture_size(out_w, out_h)
    image = QtGui.QImage(out_w, out_h, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtWidgets.QWidget.palette(widget).color(QtGui.QPalette.ColorRole.Window))   # GraphView shadows palette
    painter = QtGui.QPainter(image)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform)
    painter.scale(out_w / w, out_h / h)
    _render(widget, painter)
    painter.end()
    return image


def check_picture_size(w: int, h: int) -> None:
    """ExportError unless a w × h picture is at least 1 × 1 and at most MAX_PIXELS."""
    if w < 1 or h < 1 or w * h > MAX_PIXELS:
        raise ExportRefused(f"the picture would be {w:,} × {h:,} pixels; pictures are exported from 1 × 1 up to "
                          f"{MAX_PIXELS:,} pixels (e.g. 4096 × 4096): choose a smaller size or zoom")


def picture_of(widget) -> QtWidgets.QWidget:
    """What exporting ``widget`` pictures: its ``export_widget`` when it names one (a view whose
    drawing scrolls inside it pictures the whole drawing, not the part in view), else itself."""
    return getattr(widget, "export_widget", None) or widget


def save_png(widget, path, size=None, scale: float = 1.0) -> QtCore.QSize:
    """Render ``widget`` (see picture_of) to a PNG file; returns the image size."""
    image = render_image(picture_of(widget), size, scale)
    with atomic_path(path) as tmp:
        if not image.save(str(tmp), "PNG"):
            raise ExportError(f"could not write the PNG file {Path(path).name}")
    return image.size()


def save_svg(widget, path, title: str = "Backprop Lens") -> None:
    """Render ``widget`` (see picture_of) as vector graphics into an SVG file (QSvgGenerator + QPainter)."""
    widget = picture_of(widget)
    typeset_now(widget)
    QtWidgets.QApplication.processEvents()
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    gen = QtSvg.QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(widget.size())
    gen.setViewBox(QtCore.QRect(QtCore.QPoint(0, 0), widget.size()))
    gen.setTitle(title)
    gen.setDescription("Exported from Backprop Lens")
    painter = QtGui.QPainter()
    if not painter.begin(gen):
        raise ExportError("could not start the SVG painter")
    render_vector(widget, painter)
    painter.end()
    buffer.close()
    with atomic_path(path) as tmp:
        tmp.write_bytes(bytes(buffer.data()))


# ---------------------------------------------------------------------------- context menus
def _ask_and_export(widget, name: str, kind: str) -> None:
    filters = {"png": "PNG image (*.png)", "svg": "SVG vector graphics (*.svg)"}
    path, _ = QtWidgets.QFileDialog.getSaveFileName(widget, f"Export {name} as {kind.upper()}",
                                                    f"{name}.{kind}", filters[kind])
    if not path:
        return
    if not path.lower().endswith("." + kind):
        path += "." + kind
    try:
        save_png(widget, path, scale=2.0) if kind == "png" else save_svg(widget, path, name)
    except (OSError, ExportError) as e:
        QtWidgets.QMessageBox.warning(widget, "Export failed", f"Could not export {name}: {e}")


def export_actions(widget, name: str) -> list[QtGui.QAction]:
    """The "Export as PNG…/SVG…" actions of ``widget`` (created once, owned by the widget)."""
    acts = getattr(widget, "_export_actions", None)
    if acts is None:
        png = QtGui.QAction("Export as PNG…", widget)
        png.triggered.connect(lambda: _ask_and_export(widget, name, "png"))
        svg = QtGui.QAction("Export as SVG…", widget)
        svg.triggered.connect(lambda: _ask_and_export(widget, name, "svg"))
        widget._export_actions = acts = [png, svg]
    return acts


def add_export_menu(widget: QtWidgets.QWidget, name: str) -> list[QtGui.QAction]:
    """Make "Export as PNG…/SVG…" reachable by right-clicking ``widget``.

    pyqtgraph views (PlotWidget, GraphicsLayoutWidget, ImageView's view): the actions replace
    pyqtgraph's own "Export..." entry of the scene menu, which every ViewBox/plot context menu
    includes (right-click on a plot).  For a pyqtgraph view without any ViewBox, wrap it in a
    plain QWidget and give the wrapper the menu.  Other widgets: a custom context menu (on the viewport
    of scroll areas), holding the actions after any the widget already has."""
    acts = export_actions(widget, name)
    views = [widget] if isinstance(widget, QtWidgets.QGraphicsView) else []
    views += widget.findChildren(QtWidgets.QGraphicsView)
    for view in views:            # pyqtgraph plots inside: their scene menus export the whole widget
        scene = view.scene()
        if scene is not None and isinstance(getattr(scene, "contextMenu", None), list):
            scene.contextMenu[:] = acts
    if views and views[0] is widget:
        return acts
    target = widget.viewport() if isinstance(widget, QtWidgets.QAbstractScrollArea) else widget
    target.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)

    def _on_context_menu(pos):
        menu = QtWidgets.QMenu(widget)
        menu.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addActions(widget.actions())
        if widget.actions():
            menu.addSeparator()
        menu.addActions(acts)
        widget._export_menu = menu
        menu.popup(target.mapToGlobal(pos))

    target.customContextMenuRequested.connect(_on_context_menu)
    return acts


__all__ = ["ExportError", "ExportRefused", "MP4_HINT", "MAX_PIXELS", "check_picture_size", "render_image", "save_png",
           "save_svg", "export_actions", "add_export_menu", "render_vector", "typeset_now"]
