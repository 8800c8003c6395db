"""A GIF (Pillow) or MP4 (imageio-ffmpeg) of one whole training step of any view; see
``export_step_animation``.  Re-exported by gui/shell/export.py."""
from __future__ import annotations

import time
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from engine.atomic import atomic_path
from gui.shell.export import MP4_HINT, ExportError, render_image

def _animating(widget) -> bool:
    return any(getattr(w, "animating", False) for w in [widget, *widget.findChildren(QtWidgets.QWidget)])


def _even(n: int) -> int:
    return max(2, n - n % 2)


class _GifWriter:
    def __init__(self, path, fps):
        self.path, self.ms, self.frames, self.durations, self._last = path, 1000.0 / fps, [], [], None

    def add(self, rgb: bytes, size):
        from PIL import Image
        if rgb == self._last:                            # identical frame: hold the previous one longer
            self.durations[-1] += self.ms
            return
        self._last = rgb
        self.frames.append(Image.frombytes("RGB", size, rgb))
        self.durations.append(self.ms)

    def close(self, ok: bool):
        if not ok or not self.frames:
            return
        with atomic_path(self.path) as tmp:
            self.frames[0].save(tmp, format="GIF", save_all=True, append_images=self.frames[1:],
                                duration=[round(d) for d in self.durations], loop=0, disposal=1)


class _Mp4Writer:
    def __init__(self, path, fps, size):
        try:
            import imageio_ffmpeg
        except ImportError:
            raise ExportError(MP4_HINT) from None
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


def export_step_animation(widget, session, path, fps: int = 30, size: tuple[int, int] | None = None,
                          seconds_per_microstep: float = 0.5, progress=None, cancelled=None) -> int | None:
    """Step ``session`` through one whole training step (micro-steps 0..last: forward, backward,
    update), capturing ``widget`` into a GIF (Pillow) or MP4 (imageio-ffmpeg, libx264, yuv420p).
    Each micro-step is held for round(fps × seconds_per_microstep) frames; while a view is
    ``animating`` frames are captured in real time so the animation shows.  ``progress(done, total)``
    is called per frame and ``cancelled()`` asked; returns the frames written, None if cancelled.
    Afterwards the session is back on the micro-step it was on."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise ExportError(f"animations are written as .gif or .mp4, not {suffix or 'a file without suffix'!r}")
    if not (isinstance(fps, int) and 1 <= fps <= 120) or not 0 < seconds_per_microstep <= 60:
        raise ExportError(f"fps must be 1..120 and seconds per micro-step in (0, 60], got {fps}, {seconds_per_microstep}")
    if size is None:
        size = (widget.width(), widget.height())
    size = (_even(int(size[0])), _even(int(size[1]))) if suffix == ".mp4" else (int(size[0]), int(size[1]))
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
