"""The command line: launch the app, or render and export without a window.

``run_cli(argv)`` returns an exit code, or None when the GUI should be launched; then
``parse_launch(argv)`` gives the preset and the session file to open.  Bad arguments print a
clear message on stderr and give exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

SUBCOMMANDS = ("snapshot", "export", "import")

EXAMPLES = """\
examples:
  backprop-lens                                   start the app on the Mazur example
  backprop-lens --preset xor                      start on another preset
  backprop-lens lecture.bplens                    open a saved session
  backprop-lens snapshot --preset mazur --micro-step 7 --out mazur.png
  backprop-lens export --preset mazur --gif step.gif --fps 20
  backprop-lens export --session lecture.bplens --npz numbers.npz
  backprop-lens export --preset iris --steps 100 --csv numbers/
  backprop-lens export --preset xor --steps 500 --safetensors xor.safetensors
  backprop-lens import model.safetensors --activation tanh --loss bce --out run.bplens

commands:
  (none)     launch the app; optional --preset NAME and a session file to open
  snapshot   render the whole main window offscreen to a PNG
  export     write a GIF/MP4 of one training step, a PNG/SVG picture, or the step's numbers
             (NPZ or a CSV folder) without showing a window, or the weights for PyTorch
  import     make a session file from a PyTorch nn.Sequential's weights (.safetensors)
"""


def _presets() -> list[str]:
    from engine.presets import PRESETS
    return list(PRESETS)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError(f"width and height must be 16..8192, got {text!r}")
    return w, h


def _natural(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0, got {text!r}")
    return n


def _micro_step(text: str) -> int:
    """--micro-step K counts as the banner does, from 1 (the input step) to n (the update)."""
    n = _natural(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"micro-steps count from 1 (1 = the input, as the banner's "
                                         f"\"micro-step k / n\" counts), got {text!r}")
    return n


def _fps(text: str) -> int:
    n = _natural(text)
    if not 1 <= n <= 120:
        raise argparse.ArgumentTypeError(f"fps must be 1..120, got {text!r}")
    return n


def _state_args(p: argparse.ArgumentParser, default_size: str) -> None:
    p.add_argument("--preset", default=None, metavar="NAME",
                   help=f"the run to start from (default mazur): {', '.join(_presets())}")
    p.add_argument("--session", metavar="FILE", help="start from a saved session file instead of a preset")
    p.add_argument("--steps", type=_natural, default=0, metavar="N", help="train N mini-batch updates first")
    p.add_argument("--micro-step", type=_micro_step, default=None, metavar="K",
                   help="go to micro-step K of the current example, counted as the banner does: "
                        "1 = the input, the last one is the update")
    p.add_argument("--size", type=_size, default=None, metavar="WxH", help=f"picture size in pixels (default {default_size})")
    p.add_argument("--offscreen", action="store_true",
                   help="render without a display (automatic when there is no DISPLAY/WAYLAND_DISPLAY)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lens", usage="backprop-lens [--preset NAME] [SESSION_FILE]\n"
                                    "       backprop-lens {snapshot,export,import} [options]",
        description="Backprop Lens: step through the forward and backward passes of a small network.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", metavar="NAME", help=f"start on this preset: {', '.join(_presets())}")
    sub = parser.add_subparsers(dest="command", metavar="{snapshot,export,import}")
    snap = sub.add_parser("snapshot", prog="backprop-lens snapshot", help="render the main window offscreen to a PNG",
                          description="Render the whole main window offscreen to a PNG.",
                          epilog="example:\n  backprop-lens snapshot --preset mazur --steps 10 --micro-step 9 "
                                 "--size 1600x1000 --out shot.png",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    _state_args(snap, "1600x1000")
    snap.add_argument("--out", required=True, metavar="FILE.png", help="the PNG to write")
    exp = sub.add_parser("export", prog="backprop-lens export", help="export an animation, a picture or the numbers without a window",
                         description="Export without showing a window: a GIF or MP4 of one whole training "
                                     "step (forward, backward, update), a PNG or SVG of a view, or every "
                                     "number of the current micro-step (NPZ, or a CSV folder with a README).",
                         epilog="examples:\n  backprop-lens export --preset mazur --gif step.gif\n"
                                "  backprop-lens export --preset mazur --mp4 step.mp4 --fps 30 --size 1280x720\n"
                                "  backprop-lens export --preset mazur --micro-step 11 --npz numbers.npz\n"
                                "  backprop-lens export --session lecture.bplens --csv numbers/",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    _state_args(exp, "the window's 1600x1000")
    out = exp.add_mutually_exclusive_group(required=True)
    out.add_argument("--gif", metavar="FILE", help="animated GIF of one training step")
    out.add_argument("--mp4", metavar="FILE", help="MP4 video of one training step (needs the 'video' extra)")
    out.add_argument("--png", metavar="FILE", help="PNG picture of the view")
    out.add_argument("--svg", metavar="FILE", help="SVG vector picture of the view")
    out.add_argument("--npz", metavar="FILE", help="every number of the micro-step as a NumPy .npz")
    out.add_argument("--csv", metavar="DIR", help="every number of the micro-step as CSV files plus README.txt")
    out.add_argument("--safetensors", metavar="FILE", help="the weights as a PyTorch state dict; prints the "
                     "nn.Sequential that loads them")
    exp.add_argument("--fps", type=_fps, default=30, metavar="N", help="frames per second of GIF/MP4 (default 30)")
    exp.add_argument("--seconds-per-step", type=float, default=0.5, metavar="S",
                     help="how long each micro-step is shown in GIF/MP4 (default 0.5)")
    exp.add_argument("--view", default="window", metavar="NAME",
                     help="which view to picture (default: the whole window)")
    from gui.cli.torch_commands import add_import_parser
    add_import_parser(sub)
    return parser


def _launch_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="backprop-lens", add_help=False,
                                usage="backprop-lens [--preset NAME] [SESSION_FILE]  (see --help)")
    p.add_argument("--preset", metavar="NAME")
    p.add_argument("session", nargs="?", metavar="SESSION_FILE")
    return p


def parse_launch(argv) -> argparse.Namespace:
    """preset (str or None) and session (path or None) for launching the app."""
    return _launch_parser().parse_args(list(argv))


def run_cli(argv=None) -> int | None:
    """Handle the command line: an exit code, or None to launch the GUI."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS or any(a in ("-h", "--help") for a in argv):
            parser = build_parser()
            args = parser.parse_args(argv)
        else:
            parser = _launch_parser()
            args = parser.parse_args(argv)
            args.command = None
        _check_common(parser, args)
        if args.command is None:
            return None
        from gui.cli.commands import run_command
        return run_command(parser, args)
    except SystemExit as e:             # argparse's own exits: --help (0) and errors (2)
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)


def _check_common(parser, args) -> None:
    if args.preset is not None and args.preset not in _presets():
        parser.error(f"unknown preset {args.preset!r}; presets: {', '.join(_presets())}")
    path = getattr(args, "session", None)
    if path is not None and not Path(path).is_file():
        hint = "" if args.command or Path(path).suffix else f" (commands are: {', '.join(SUBCOMMANDS)})"
        parser.error(f"session file {path} does not exist{hint}")
    if args.command is not None and args.preset is not None and args.session is not None:
        parser.error("give either --preset or --session, not both")
    if args.command is not None:
        if args.offscreen:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        elif not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
