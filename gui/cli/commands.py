"""The work of ``backprop-lens snapshot`` and ``backprop-lens export`` (see gui/cli/parse.py)."""
from __future__ import annotations

import sys
import time

DEFAULT_SIZE = (1600, 1000)


def _fail(message: str, code: int = 1) -> int:
    print(f"backprop-lens: error: {message}", file=sys.stderr)
    return code


def _engine_run(args):
    """(run, error message): the Run from --preset/--session, trained and stepped as asked."""
    from engine.presets import get_preset
    from engine.run import Run
    from engine.session_file import SessionFileError, load_session
    from engine.trainer import Diverged
    try:
        run = load_session(args.session).run if args.session else Run(get_preset(args.preset or "mazur"))
        if args.steps:
            run.train_steps(args.steps)
    except (SessionFileError, ValueError, Diverged) as e:
        return None, str(e)
    return run, None


def _micro_step_error(args, last: int) -> str | None:
    """--micro-step is 1-based (the banner's "micro-step k / n"); ``last`` is the stepper's 0-based last index."""
    if args.micro_step is not None and not 1 <= args.micro_step <= last + 1:
        return f"--micro-step must be 1..{last + 1} for this network (1 = the input), got {args.micro_step}"
    return None


def run_command(parser, args) -> int:
    from gui.cli import torch_commands
    if args.command == "import":
        return torch_commands.run_import(args)
    if args.command == "export" and args.safetensors:
        run, err = _engine_run(args)
        return _fail(err, 2) if err else torch_commands.run_export(args, run)
    if args.command == "export" and (args.npz or args.csv):
        return _export_numbers(args)
    return _with_window(parser, args)


def _export_numbers(args) -> int:
    from engine.numbers_export import export_csv, export_npz
    run, err = _engine_run(args)
    if err:
        return _fail(err, 2)
    err = _micro_step_error(args, run.stepper.last)
    if err:
        return _fail(err, 2)
    if args.micro_step is not None:
        run.stepper.seek(args.micro_step - 1)
    view = run.stepper.view()
    try:
        if args.npz:
            export_npz(args.npz, view, run.net)
        else:
            export_csv(args.csv, view, run.net)
    except (OSError, ValueError) as e:
        return _fail(f"could not write {args.npz or args.csv}: {e}")
    return 0


def _make_window(args):
    """(app, session, window) with the window laid out at the requested size, not on screen."""
    from PySide6 import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["backprop-lens"])
    from engine.session_file import load_session
    from gui.shell.main_window import MainWindow
    from gui.session import Session
    from gui.theme import configure_pyqtgraph
    configure_pyqtgraph()
    session = Session(args.preset or "mazur")
    if args.session:
        loaded = load_session(args.session)
        session.replace_run(loaded.run, loaded.compare, loaded.compare_label)
        for name, value in loaded.view_settings.items():
            if hasattr(session.settings, name):
                session.set_view(name, value)
    if args.steps:
        session.train_steps(args.steps)
    window = MainWindow(session)
    if QtWidgets.QApplication.platformName() != "offscreen":
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*(args.size or DEFAULT_SIZE))
    window.show()
    _settle(window)
    return app, session, window


def _settle(window, timeout: float = 5.0) -> None:
    """Process events until no view animates (at most ``timeout`` seconds)."""
    from PySide6 import QtWidgets
    from gui.shell.export_animation import _animating, _wait
    end = time.perf_counter() + timeout
    QtWidgets.QApplication.processEvents()
    while _animating(window) and time.perf_counter() < end:
        _wait(0.02)
    QtWidgets.QApplication.processEvents()


def _with_window(parser, args) -> int:
    from engine.session_file import SessionFileError
    from engine.trainer import Diverged
    from gui.shell import export
    try:
        app, session, window = _make_window(args)
    except (SessionFileError, ValueError, Diverged) as e:
        return _fail(str(e), 2)
    try:
        err = _micro_step_error(args, session.stepper.last)
        if err:
            return _fail(err, 2)
        if args.micro_step is not None:
            session.seek(args.micro_step - 1)
            _settle(window)
        if args.command == "snapshot":
            export.save_png(window, args.out, size=args.size or DEFAULT_SIZE)
            return 0
        views = getattr(window, "views", {}) or {"window": window}
        if args.view not in views:
            return _fail(f"unknown view {args.view!r}; views: {', '.join(views)}", 2)
        target = views[args.view]
        if args.png:
            export.save_png(target, args.png, size=args.size if args.view == "window" else None)
        elif args.svg:
            export.save_svg(target, args.svg, args.view)
        else:
            path = args.gif or args.mp4
            from gui.shell.export_animation import export_step_animation
            export_step_animation(target, session, path, fps=args.fps,
                                         size=args.size if args.view == "window" else None,
                                         seconds_per_microstep=args.seconds_per_step)
        return 0
    except (OSError, ValueError, export.ExportError) as e:
        return _fail(str(e))
    finally:
        session.stop()
        window.close()
        window.deleteLater()
