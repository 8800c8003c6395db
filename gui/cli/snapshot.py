"""``backprop-lens snapshot``: the whole main window, rendered offscreen, as a PNG."""
from __future__ import annotations

import argparse

from gui.cli import common

SUMMARY = "render the whole main window offscreen to a PNG"


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("snapshot", prog="backprop-lens snapshot", help=SUMMARY,
                       description="Render the whole main window offscreen to a PNG.",
                       epilog="example:\n  backprop-lens snapshot --preset mazur --steps 10 --micro-step 9 "
                              "--size 1600x1000 --out shot.png",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common.add_run_arguments(p, "1600x1000")
    p.add_argument("--out", required=True, metavar="FILE.png", help="the PNG to write")
    return p


def run(args) -> int:
    from gui.shell.export import ExportRefused, check_picture_size, save_png
    try:
        check_picture_size(*(args.size or common.DEFAULT_SIZE))
    except ExportRefused as e:
        return common.fail(str(e), 2)

    def work(session, window) -> int:
        save_png(window, args.out, size=args.size or common.DEFAULT_SIZE)
        return 0
    return common.with_window(args, work)
