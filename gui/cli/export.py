"""``backprop-lens export``: a GIF/MP4 of one training step, a PNG/SVG of a view, every number of the
current micro-step (NPZ, or a CSV folder), or the weights as a PyTorch state dict (.safetensors),
without showing a window."""
from __future__ import annotations

import argparse
import sys

from engine.notation import CONVENTIONS
from gui.cli import common

SUMMARY = ("write a GIF/MP4 of one training step, a PNG/SVG picture, or the step's numbers "
           "(NPZ or a CSV folder) without showing a window, or the weights for PyTorch")


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("export", prog="backprop-lens export",
                       help="export an animation, a picture or the numbers without a window",
                       description="Export without showing a window: a GIF or MP4 of one whole training "
                                   "step (forward, backward, update), a PNG or SVG of a view, or every "
                                   "number of the current micro-step (NPZ, or a CSV folder with a README).",
                       epilog="examples:\n  backprop-lens export --preset mazur --gif step.gif\n"
                              "  backprop-lens export --preset mazur --mp4 step.mp4 --fps 30 --size 1280x720\n"
                              "  backprop-lens export --preset mazur --micro-step 11 --npz numbers.npz\n"
                              "  backprop-lens export --session lecture.bplens --csv numbers/\n"
                              "  backprop-lens export --preset mazur --convention row --csv numbers/",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common.add_run_arguments(p, "the window's 1600x1000")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--gif", metavar="FILE", help="animated GIF of one training step")
    out.add_argument("--mp4", metavar="FILE", help="MP4 video of one training step (needs the 'video' extra)")
    out.add_argument("--png", metavar="FILE", help="PNG picture of the view")
    out.add_argument("--svg", metavar="FILE", help="SVG vector picture of the view")
    out.add_argument("--npz", metavar="FILE", help="every number of the micro-step as a NumPy .npz")
    out.add_argument("--csv", metavar="DIR", help="every number of the micro-step as CSV files plus README.txt")
    out.add_argument("--safetensors", metavar="FILE", help="the weights as a PyTorch state dict; prints the "
                     "nn.Sequential that loads them")
    p.add_argument("--convention", choices=CONVENTIONS, default=None,
                   help="the gradient convention of the numbers and pictures: column vectors (dW shaped like W) "
                        "or row vectors (dW = a ⊗ δ, shaped like Wᵀ); default: the session file's, else column")
    p.add_argument("--force", action="store_true",
                   help="with --csv: write into a folder that already holds files (files of the same names "
                        "are replaced; nothing else is deleted)")
    p.add_argument("--fps", type=common.fps, default=30, metavar="N", help="frames per second of GIF/MP4 (default 30)")
    p.add_argument("--seconds-per-step", type=float, default=0.5, metavar="S",
                   help="how long each micro-step is shown in GIF/MP4 (default 0.5)")
    p.add_argument("--view", default="window", metavar="NAME",
                   help="which view to picture (default: the whole window)")
    return p


def run(args) -> int:
    if args.safetensors:
        return _export_weights(args)
    if args.npz or args.csv:
        return _export_numbers(args)
    err = _picture_refusal(args)
    if err:
        return common.fail(err, 2)
    return common.with_window(args, lambda session, window: _export_picture(args, session, window))


def _picture_refusal(args) -> str:
    """What is wrong with a picture's or an animation's arguments, found before a window is built
    (so that they exit 2, as a refusal, and not 1, as a write that failed); '' when nothing is."""
    from gui.shell.export import ExportRefused, check_picture_size
    from gui.shell.export_animation import check_animation
    try:
        if args.gif or args.mp4:
            check_animation(args.gif or args.mp4, args.fps, args.seconds_per_step)
        if args.size is not None and args.view == "window":
            check_picture_size(*args.size)
    except ExportRefused as e:
        return str(e)
    return ""


def _export_numbers(args) -> int:
    """The numbers need no window: straight from the engine's Run."""
    from engine.numbers_export import export_csv, export_npz
    from gui.view_settings import ViewSettings
    run, saved, err = common.engine_session(args)
    if err:
        return common.fail(err, 2)
    convention = args.convention
    if convention is None:
        try:                              # the session's own, checked by the View setting's declaration
            saved = saved if isinstance(saved, dict) else {}
            convention = ViewSettings.convention.check(saved.get("convention", ViewSettings.convention.default))
        except ValueError as e:
            print(f"backprop-lens: warning: {args.session}: {e}; using the column convention", file=sys.stderr)
            convention = ViewSettings.convention.default
    err = common.micro_step_error(args, run.stepper.last)
    if err:
        return common.fail(err, 2)
    if args.micro_step is not None:
        run.stepper.seek(args.micro_step - 1)
    view = run.stepper.view()
    try:
        if args.npz:
            export_npz(args.npz, view, run.net, convention)
        else:
            export_csv(args.csv, view, run.net, force=args.force, convention=convention)
    except ValueError as e:               # refused: a folder holding files (without --force), a file in its place
        return common.fail(f"will not write {args.npz or args.csv}: {e}", 2)
    except OSError as e:                  # the write failed
        return common.fail(f"could not write {args.npz or args.csv}: {e.strerror or e}")
    return 0


def _export_weights(args) -> int:
    """Write the run's weights to ``args.safetensors`` (engine.torch_bridge) and print the
    nn.Sequential that loads them."""
    from pathlib import Path

    from engine.torch_bridge import sequential_snippet, write_weights
    run, err = common.engine_run(args)
    if err:
        return common.fail(err, 2)
    try:
        write_weights(args.safetensors, run.net)
    except ValueError as e:               # refused: a path that cannot be a file name
        return common.fail(f"will not write {args.safetensors}: {e}", 2)
    except OSError as e:
        return common.fail(f"could not write {args.safetensors}: {e.strerror or e}")
    print(sequential_snippet(run.net, Path(args.safetensors).name))
    return 0


EMPTY = {   # view -> why it is empty for this session ("" when it has something to show)
    "comparison": lambda session: "" if session.compare is not None else
    "this session has no comparison run (start one from the Compare menu and save the session)",
}


MIN_DOCK_WIDTH, MIN_DOCK_HEIGHT = 560, 640     # a view too small in its dock is pictured floating, this large (px)
MIN_DOCKED_HEIGHT = 360                         # … "too small": narrower than MIN_DOCK_WIDTH or lower than this


def _bring_forward(view, window) -> None:
    """Show the dock holding ``view`` on top of its tab group, so that it is laid out at its size in
    the window before it is rendered (a panel never shown is never laid out: a 100×70 crop)."""
    from PySide6 import QtCore, QtWidgets
    w = view
    while w is not None and not isinstance(w, QtWidgets.QDockWidget):
        w = w.parentWidget()
    if w is not None:
        w.show()
        w.raise_()
        common.settle(window)
        if w.width() < MIN_DOCK_WIDTH or w.height() < MIN_DOCKED_HEIGHT:
            # a small screen's layout keeps a side dock narrow, and the Lecture layout gives a dock it
            # hides (loss, boundary) a strip under the graph: picture it on its own
            w.setFloating(True)
            w.resize(QtCore.QSize(max(w.width(), MIN_DOCK_WIDTH), max(w.height(), MIN_DOCK_HEIGHT)))
    common.settle(window)


def _export_picture(args, session, window) -> int:
    from gui.shell.export import save_png, save_svg
    from gui.shell.export_animation import export_step_animation
    views = getattr(window, "views", {}) or {"window": window}
    if args.view not in views:
        return common.fail(f"unknown view {args.view!r}; views: {', '.join(views)}", 2)
    empty = EMPTY[args.view](session) if args.view in EMPTY else ""
    if empty:
        return common.fail(f"the {args.view} view has nothing to show: {empty}", 2)
    target = views[args.view]
    if args.convention is not None:
        session.settings.convention = args.convention
    _bring_forward(target, window)
    size = args.size if args.view == "window" else None
    if args.png:
        save_png(target, args.png, size=size)
    elif args.svg:
        save_svg(target, args.svg, args.view)
    else:
        export_step_animation(target, session, args.gif or args.mp4, fps=args.fps, size=size,
                              seconds_per_microstep=args.seconds_per_step)
    return 0
