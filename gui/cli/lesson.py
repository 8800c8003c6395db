"""``backprop-lens lesson``: open the app on a lesson, full screen, ready for the clicker."""
from __future__ import annotations

import argparse

from gui.cli import common

SUMMARY = "give a lesson: open the app full screen on a .bplesson file or a built-in lesson"


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("lesson", prog="backprop-lens lesson", help=SUMMARY,
                       description="Open the app full screen on a lesson: → and Page Down walk the slides, ← and "
                                   "Page Up go back, Home and End jump to the first and last slide, G goes to a "
                                   "slide by number.",
                       epilog="examples:\n  backprop-lens lesson lecture.bplesson\n  backprop-lens lesson mazur",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("lesson", metavar="LESSON", help="a .bplesson file, or the name of a built-in lesson")
    p.add_argument("--windowed", action="store_true", help="open in a window rather than full screen")
    p.set_defaults(preset=None, offscreen=False)
    return p


def run(args) -> int:
    from gui.lessons.lesson_file import LessonError
    try:
        lesson = common.read_lesson_arg(args.lesson)      # refuse a bad file before any window opens
    except LessonError as e:
        return common.fail(f"could not open the lesson {args.lesson}: {e}", 2)
    from gui.cli.launch import launch
    return launch(lesson=lesson.path, present=not args.windowed)
