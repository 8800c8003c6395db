"""``backprop-lens handout``: a lesson's handout as a PDF (one page per slide and an answer key) and/or
a folder of HTML with SVG pictures, rendered offscreen, with a progress line on stderr."""
from __future__ import annotations

import argparse
import sys

from gui.cli import common

SUMMARY = "write a lesson's handout: a PDF with one page per slide (and an answer key), or an HTML folder"


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("handout", prog="backprop-lens handout", help=SUMMARY,
                       description="Write the handout of a lesson: one page per slide with the picture of the "
                                   "slide, its note, the micro-step's equations with their numbers and shapes, "
                                   "and a table of its numbers; Predict slides show blanks and an answer key "
                                   "follows the last slide.",
                       epilog="examples:\n  backprop-lens handout lecture.bplesson --out handout.pdf\n"
                              "  backprop-lens handout mazur --out mazur.pdf --html mazur-handout/",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("lesson", metavar="LESSON", help="a .bplesson file, or the name of a built-in lesson")
    p.add_argument("--out", metavar="FILE.pdf", help="the PDF to write")
    p.add_argument("--html", metavar="DIR", help="also (or instead) write the handout as HTML into this new folder")
    p.add_argument("--size", type=common.size, default=(1280, 720), metavar="WxH",
                   help="the window size the slides are pictured at (default 1280x720, a projector)")
    p.add_argument("--offscreen", action="store_true", help="render without a display (automatic without one)")
    p.set_defaults(preset=None)
    return p


def run(args) -> int:
    from gui.lessons.lesson_file import LessonError
    if not args.out and not args.html:
        return common.fail("give --out FILE.pdf, --html DIR, or both", 2)
    try:
        lesson = common.read_lesson_arg(args.lesson)
    except LessonError as e:
        return common.fail(f"could not open the lesson {args.lesson}: {e}", 2)
    from PySide6 import QtWidgets
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["backprop-lens"])   # noqa: F841
    from gui.shell.handout import make_handout
    from gui.shell.main_window import MainWindow

    def progress(done: int, total: int) -> bool:
        print(f"\rhandout: slide {done} of {total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        return True

    try:
        pages = make_handout(lesson, MainWindow, pdf=args.out, html_dir=args.html, size=args.size, progress=progress)
    except LessonError as e:
        return common.fail(f"could not open the lesson {args.lesson}: {e}", 2)
    except (FileExistsError, ValueError) as e:     # refused: --html names a folder that holds files, a bad value
        return common.fail(str(e), 2)
    except OSError as e:                  # the write failed
        return common.fail(str(e))
    written = " and ".join(x for x in (args.out, args.html and f"{args.html}/index.html") if x)
    print(f"handout: {len(pages)} slides written to {written}", file=sys.stderr)
    return 0
