"""What the subcommands share: argument types, the arguments that pick a run (--preset, --session,
--steps, --micro-step, --size, --offscreen), the run or the offscreen window they ask for, and the
error line.  Qt and the engine are imported inside the functions, so ``--help`` starts fast."""
from __future__ import annotations

import argparse
import sys
import time

DEFAULT_SIZE = (1600, 1000)


def fail(message: str, code: int = 1) -> int:
    """Print ``message`` as an error and return the exit status: 2 for refused input or usage (as
    argparse does: a bad argument, a file that cannot be opened, an output folder holding files, a
    format whose writer is not installed), 1 for a write that failed."""
    print(f"backprop-lens: error: {message}", file=sys.stderr)
    return code


def presets() -> list[str]:
    from engine.presets import PRESETS
    return list(PRESETS)


# -- argument types ------------------------------------------------------------------------------
def size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"width and height must be 16..8192, got {text!r}")
    return w, h


def natural(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {text!r}")
    return n


def train_steps(text: str) -> int:
    """--steps N: a whole number of updates within MAX_TRAIN_STEPS (a typo of a few more digits
    would otherwise run for days)."""
    from engine.trainer import MAX_TRAIN_STEPS       # here: --help does not import the engine
    n = natural(text)
    if n > MAX_TRAIN_STEPS:
        raise argparse.ArgumentTypeError(f"at most {MAX_TRAIN_STEPS:,} training steps, got {n:,}")
    return n


def micro_step(text: str) -> int:
    """--micro-step K counts as the banner does, from 1 (the input step) to n (the update)."""
    n = natural(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"micro-steps count from 1 (1 = the input, as the banner's "
                                         f"\"micro-step k / n\" counts), got {text!r}")
    return n


def fps(text: str) -> int:
    n = natural(text)
    if not 1 <= n <= 120:
        raise argparse.ArgumentTypeError(f"fps must be 1..120, got {text!r}")
    return n


def add_run_arguments(p: argparse.ArgumentParser, default_size: str) -> None:
    """--preset/--session, --steps, --micro-step, --size and --offscreen (checked by gui.cli.parse)."""
    p.add_argument("--preset", default=None, metavar="NAME",
                   help=f"the run to start from (default mazur): {', '.join(presets())}")
    p.add_argument("--session", metavar="FILE", help="start from a saved session file instead of a preset")
    p.add_argument("--steps", type=train_steps, default=0, metavar="N",
                   help="train N mini-batch updates first (at most a million)")
    p.add_argument("--micro-step", type=micro_step, default=None, metavar="K",
                   help="go to micro-step K of the current example, counted as the banner does: "
                        "1 = the input, the last one is the update")
    p.add_argument("--size", type=size, default=None, metavar="WxH", help=f"picture size in pixels (default {default_size})")
    p.add_argument("--offscreen", action="store_true",
                   help="render without a display (automatic when there is no DISPLAY/WAYLAND_DISPLAY)")


def offscreen_platform(size: tuple[int, int]) -> str:
    """The QT_QPA_PLATFORM value for rendering without a display on one virtual screen of ``size``
    (Qt's offscreen platform otherwise has an 800×800 screen, and the window, kept inside its screen,
    would be pictured squeezed to it).  The screen's description is a small JSON file in the temp
    folder, one per size, written atomically (other runs may read it at the same time)."""
    import json
    import tempfile
    from pathlib import Path
    from engine.atomic import atomic_path
    w, h = size
    path = Path(tempfile.gettempdir()) / f"backprop-lens-screen-{w}x{h}.json"
    screen = {"screens": [{"name": f"{w}x{h}", "x": 0, "y": 0, "width": w, "height": h,
                           "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}
    text = json.dumps(screen)
    try:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            with atomic_path(path) as tmp:
                tmp.write_text(text, encoding="utf-8")
    except OSError:
        return "offscreen"                 # the temp folder is not writable: the plain 800×800 screen
    return f"offscreen:configfile={path}"


def read_lesson_arg(text: str):
    """The lesson a LESSON argument names: a .bplesson file, or a built-in lesson by name."""
    from pathlib import Path
    from gui.lessons.builtin import ORDER, builtin_path
    from gui.lessons.lesson_file import LessonError, read_lesson
    if not Path(text).exists() and text in ORDER:
        return read_lesson(builtin_path(text))
    if not Path(text).exists():
        raise LessonError(f"no such file, and no built-in lesson of that name (built-in: {', '.join(ORDER)})")
    return read_lesson(text)


# -- the run the arguments ask for ---------------------------------------------------------------
def load(path):
    """The LoadedSession at ``path``; SessionFileError saying "could not open PATH: …" otherwise."""
    from engine.session_read import SessionFileError, load_session
    try:
        return load_session(path)
    except SessionFileError as e:
        raise SessionFileError(f"could not open {path}: {e}") from None


def engine_session(args):
    """(run, saved view settings, error message): the engine's Run from --preset/--session, trained
    as asked, and the view settings the session file saved ({} for a preset; unchecked)."""
    from engine.presets import get_preset
    from engine.run import Run
    from engine.session_read import SessionFileError
    from engine.trainer import Diverged
    try:
        if args.session:
            loaded = load(args.session)
            run, view_settings = loaded.run, loaded.view_settings
        else:
            run, view_settings = Run(get_preset(args.preset or "mazur")), {}
        if args.steps:
            run.train_steps(args.steps)
    except (SessionFileError, ValueError, Diverged) as e:
        return None, {}, str(e)
    return run, view_settings, None


def engine_run(args):
    """(run, error message): the engine's Run from --preset/--session, trained as asked (no Qt)."""
    run, _, err = engine_session(args)
    return run, err


def micro_step_error(args, last: int) -> str | None:
    """--micro-step is 1-based (the banner's "micro-step k / n"); ``last`` is the stepper's 0-based last index."""
    if args.micro_step is not None and not 1 <= args.micro_step <= last + 1:
        return f"--micro-step must be 1..{last + 1} for this network (1 = the input), got {args.micro_step}"
    return None


def make_window(args):
    """(app, session, window) with the window laid out at the requested size, not on screen."""
    from PySide6 import QtCore, QtWidgets

    from gui.errors import route_qt_messages, setup_logging
    route_qt_messages()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["backprop-lens"])
    setup_logging()
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    from gui.shell.prefs import scratch_copy
    from gui.theme import configure_pyqtgraph
    from gui.view_settings import apply_view_settings
    configure_pyqtgraph()
    session = Session(args.preset or "mazur")
    saved = {}
    if args.session:
        loaded = load(args.session)
        session.replace_run(loaded.run, loaded.compare, loaded.compare_label)
        saved = loaded.view_settings
    if args.steps:
        session.train_steps(args.steps)
    window = MainWindow(session, store=scratch_copy())    # the user's preferences, read but never written
    if QtWidgets.QApplication.platformName() != "offscreen":
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.layouts.set_canvas(QtCore.QSize(*(args.size or DEFAULT_SIZE)))   # that size's layout, whatever the screen
    refused = apply_view_settings(session.settings, saved)   # the file's view settings win over the preferences
    for message in refused.values():                         # (the same checks as File → Open)
        print(f"backprop-lens: warning: {args.session}: {message}", file=sys.stderr)
    window.show()
    settle(window)
    # the stage has the keyboard focus: a field holding it is drawn without its outline, and which
    # field the window's activation focused varied from run to run (pictures differed by one combo box)
    window.graph.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
    QtWidgets.QApplication.processEvents()
    return app, session, window


def settle(window, timeout: float = 5.0) -> None:
    """Process events until no view animates (at most ``timeout`` seconds)."""
    from PySide6 import QtWidgets
    from gui.shell.export_animation import _animating, _wait
    from PySide6 import QtCore
    end = time.perf_counter() + timeout
    QtWidgets.QApplication.processEvents()
    while _animating(window) and time.perf_counter() < end:
        _wait(0.02)
    QtWidgets.QApplication.processEvents()
    # Without an event loop nothing deleted "later" is deleted: the tab bars the window's dock
    # layout replaced would stay visible and be rendered (one at the window's top-left corner).
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


def with_window(args, work) -> int:
    """Build the offscreen window the arguments ask for, go to --micro-step, and return
    ``work(session, window)``'s exit code; input refused (a ValueError, an ExportRefused: a bad
    value, a picture too large, a format whose writer is missing) gives exit code 2 and a message,
    a write that failed (an OSError, any other ExportError) 1.  The window is closed afterwards."""
    from engine.session_read import SessionFileError
    from engine.trainer import Diverged
    from gui.shell.export import ExportError, ExportRefused
    try:
        app, session, window = make_window(args)
    except (SessionFileError, ValueError, Diverged) as e:
        return fail(str(e), 2)
    try:
        err = micro_step_error(args, session.stepper.last)
        if err:
            return fail(err, 2)
        if args.micro_step is not None:
            session.seek(args.micro_step - 1)
            settle(window)
        return work(session, window)
    except (ValueError, ExportRefused) as e:        # refused: nothing was written
        return fail(str(e), 2)
    except (OSError, ExportError) as e:             # the write failed
        return fail(str(e))
    finally:
        session.stop()
        window.close()
        window.deleteLater()
        # destroyed now, while Python is alive: left to the interpreter's exit, the window's pyqtgraph
        # views were torn down in any order and the command crashed after writing its file (exit 139)
        from PySide6 import QtCore, QtWidgets
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
