"""A GIF (Pillow) or MP4 (imageio-ffmpeg) of one whole training step of any view; see
``export_step_animation``.  Frames stream to the encoder (a GIF holds one pending frame, never the
whole animation), and the picture size is bounded like every export (``gui.shell.export.MAX_PIXELS``)."""
from __future__ import annotations

import time
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from engine.atomic import atomic_path
from gui.shell.export import MP4_HINT, ExportError, ExportRefused, check_picture_size, render_image


def _animating(widget) -> bool:
    return any(getattr(w, "animating", False) for w in [widget, *widget.findChildren(QtWidgets.QWidget)])


def _even(n: int) -> int:
    return max(2, n - n % 2)


class _GifWriter:
    """Writes frames into the GIF as they come (Pillow's GIF header and frame encoders): at most
    the pending frame is held, so memory does not grow with the number of frames.  An identical
    frame lengthens the pending one's duration instead of being written again."""

    def __init__(self, path, fps):
        self.ms, self._pending, self._duration, self._started = 1000.0 / fps, None, 0.0, False
        self._ctx = atomic_path(path)
        self._file = open(self._ctx.__enter__(), "wb")

    def add(self, rgb: bytes, size):
        if rgb == (self._pending and self._pending[0]):
            self._duration += self.ms
            return
        self._flush()
        self._pending, self._duration = (rgb, size), self.ms

    def _flush(self):
        if self._pending is None:
            return
        from PIL import GifImagePlugin, Image
        rgb, size = self._pending
        frame = Image.frombytes("RGB", size, rgb).quantize(256, method=Image.Quantize.MEDIANCUT)
        if not self._started:
            header, _ = GifImagePlugin.getheader(frame, info={"loop": 0})
            self._file.write(b"".join(header))
            self._started = True
        self._file.write(b"".join(GifImagePlugin.getdata(frame, duration=round(self._duration), disposal=1,
                                                         include_color_table=True)))
        self._pending = None

    def close(self, ok: bool):
        try:
            if ok:
                self._flush()
                self._file.write(b";")             # the GIF trailer
            self._file.close()
        finally:
            self._ctx.__exit__(*((None, None, None) if ok and self._started
                                 else (KeyboardInterrupt, KeyboardInterrupt(), None)))


class _Mp4Writer:
    def __init__(self, path, fps, size):
        import imageio_ffmpeg                      # check_animation found it
        self._ctx = atomic_path(path)
        tmp = self._ctx.__enter__()
        self._gen = imageio_ffmpeg.write_frames(str(tmp), size, fps=fps, codec="libx264", pix_fmt_in="rgb24",
                                                pix_fmt_out="yuv420p", macro_block_size=2,
                                                output_params=["-f", "mp4"], ffmpeg_log_level="error")
        self._gen.send(None)

    def add(self, rgb: bytes, size):
        self._gen.send(rgb)

    def close(self, ok: bool):
        self._gen.close()
        if ok:
            self._ctx.__exit__(None, None, None)
        else:
            self._ctx.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)


def _rgb(image: QtGui.QImage) -> bytes:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    data = bytes(image.constBits())
    return data if bpl == 3 * w else b"".join(data[r * bpl:r * bpl + 3 * w] for r in range(h))


def check_animation(path, fps: int, seconds_per_microstep: float) -> None:
    """ExportRefused unless ``path`` ends in .gif or .mp4 (an MP4 only with imageio-ffmpeg
    installed), fps is 1..120 and a micro-step is held for more than 0 and at most 60 seconds
    (asked before anything is built or written)."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise ExportRefused(f"animations are written as .gif or .mp4, not {suffix or 'a file without suffix'!r}")
    if not (isinstance(fps, int) and 1 <= fps <= 120) or not 0 < seconds_per_microstep <= 60:
        raise ExportRefused(f"fps must be 1..120 and seconds per micro-step in (0, 60], got {fps}, {seconds_per_microstep}")
    if suffix == ".mp4":
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise ExportRefused(MP4_HINT) from None


def export_step_animation(widget, session, path, fps: int = 30, size: tuple[int, int] | None = None,
                          seconds_per_microstep: float = 0.5, progress=None, cancelled=None) -> int | None:
    """Step ``session`` through one whole training step (micro-steps 0..last: forward, backward,
    update), capturing ``widget`` into a GIF (Pillow) or MP4 (imageio-ffmpeg, libx264, yuv420p).
    Each micro-step is held for round(fps × seconds_per_microstep) frames; while a view is
    ``animating`` frames are captured in real time so the animation shows.  ``progress(done, total)``
    is called per frame and ``cancelled()`` asked; returns the frames written, None if cancelled.
    Afterwards the session is back on the micro-step it was on."""
    check_animation(path, fps, seconds_per_microstep)
    suffix = Path(path).suffix.lower()
    if size is None:
        size = (widget.width(), widget.height())
    size = (_even(int(size[0])), _even(int(size[1]))) if suffix == ".mp4" else (int(size[0]), int(size[1]))
    check_picture_size(*size)
    writer = _Mp4Writer(path, fps, size) if suffix == ".mp4" else _GifWriter(path, fps)
    start, hold = session.stepper.index, max(1, round(fps * seconds_per_microstep))
    total = (session.stepper.last + 1) * hold
    done, ok = 0, False
    try:
        for k in range(session.stepper.last + 1):
            session.seek(k)
            frame = None
            for _ in range(hold):
                QtWidgets.QApplication.processEvents()
                if cancelled is not None and cancelled():
                    return None
                if frame is None or _animating(widget):
                    if frame is not None:
                        _wait(1.0 / fps)
                    frame = _rgb(render_image(widget, size))
                writer.add(frame, size)
                done += 1
                if progress is not None:
                    progress(done, total)
        ok = True
        return done
    finally:
        writer.close(ok)
        session.seek(start)


def _wait(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.002)


def export_animation_with_progress(parent, widget, session, path, **kw) -> int | None:
    """``export_step_animation`` behind a QProgressDialog with Cancel; errors in a message box."""
    dialog = QtWidgets.QProgressDialog("Rendering the training step…", "Cancel", 0, 100, parent)
    dialog.setWindowTitle("Export animation")
    dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)

    def _on_progress(done, total):
        dialog.setMaximum(total)
        dialog.setValue(done)

    try:
        return export_step_animation(widget, session, path, progress=_on_progress,
                                     cancelled=dialog.wasCanceled, **kw)
    except (ExportError, OSError, ValueError) as e:
        session.error.emit(str(e))
        QtWidgets.QMessageBox.warning(parent, "Export failed", str(e))
        return None
    finally:
        dialog.close()
