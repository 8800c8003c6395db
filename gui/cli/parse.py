"""The command line: launch the app, or render and export without a window.

``run_cli(argv)`` returns an exit code, or None when the GUI should be launched; then
``parse_launch(argv)`` gives the preset and the session file to open.  Bad arguments print a
clear message on stderr and give exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

from gui.cli import check, common, export, handout, import_weights, lesson, snapshot, worksheet

# The subcommands, one module each: SUMMARY (one line), add_parser(subparsers) and run(args) -> exit code.
# A new subcommand is a new module in gui/cli/ and one entry here.
COMMANDS = {"snapshot": snapshot, "export": export, "import": import_weights, "lesson": lesson, "handout": handout,
            "worksheet": worksheet, "check": check}
SUBCOMMANDS = tuple(COMMANDS)

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
  backprop-lens worksheet --preset mazur --out sheet.csv
  backprop-lens check --preset mazur --worksheet sheet.csv
  backprop-lens lesson mazur                      give a built-in lesson (or a .bplesson file)
  backprop-lens --lesson matrix-form              the same, opened in a window
  backprop-lens handout lecture.bplesson --out handout.pdf
"""


def _command_list() -> str:
    lines = ["commands:", "  (none)     launch the app; optional --preset NAME and a session file to open"]
    for name, module in COMMANDS.items():
        wrapped = textwrap.wrap(module.SUMMARY, 86)
        lines.append(f"  {name:<10} {wrapped[0]}")
        lines += [f"  {'':<10} {more}" for more in wrapped[1:]]
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    names = ",".join(COMMANDS)
    parser = argparse.ArgumentParser(
        prog="backprop-lens", usage="backprop-lens [--preset NAME] [SESSION_FILE]\n"
                                    f"       backprop-lens {{{names}}} [options]",
        description="Backprop Lens: step through the forward and backward passes of a small network.",
        epilog=EXAMPLES + "\n" + _command_list(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", metavar="NAME", help=f"start on this preset: {', '.join(common.presets())}")
    from gui.lessons.builtin import ORDER
    parser.add_argument("--lesson", metavar="NAME", help=f"open a built-in lesson in the window: {', '.join(ORDER)}")
    sub = parser.add_subparsers(dest="command", metavar=f"{{{names}}}")
    for module in COMMANDS.values():
        module.add_parser(sub)
    return parser


def _launch_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="backprop-lens", add_help=False,
                                usage="backprop-lens [--preset NAME] [SESSION_FILE]  (see --help)")
    p.add_argument("--preset", metavar="NAME")
    p.add_argument("--lesson", metavar="NAME")
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
        return COMMANDS[args.command].run(args)
    except SystemExit as e:             # argparse's own exits: --help (0) and errors (2)
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)


def _check_common(parser, args) -> None:
    if getattr(args, "lesson", None) is not None and args.command is None:
        from gui.lessons.builtin import ORDER
        if args.lesson not in ORDER:
            parser.error(f"unknown lesson {args.lesson!r}; built-in lessons: {', '.join(ORDER)} "
                         f"(a lesson file opens with: backprop-lens lesson FILE)")
    if args.preset is not None and args.preset not in common.presets():
        parser.error(f"unknown preset {args.preset!r}; presets: {', '.join(common.presets())}")
    path = getattr(args, "session", None)
    if path is not None and args.command is None and not os.path.lexists(path):   # a mistyped command?
        hint = "" if Path(path).suffix else f" (commands are: {', '.join(SUBCOMMANDS)})"
        parser.error(f"session file {path} does not exist{hint}")
    if args.command is not None and args.preset is not None and args.session is not None:
        parser.error("give either --preset or --session, not both")
    if args.command is not None:         # offscreen: on a virtual screen of the picture's size (not 800×800)
        size = getattr(args, "size", None) or common.DEFAULT_SIZE
        if args.offscreen:
            os.environ["QT_QPA_PLATFORM"] = common.offscreen_platform(size)
        elif not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", common.offscreen_platform(size))
