"""``backprop-lens worksheet``: a blank worksheet (CSV) of one example's training step, to be worked
by hand and checked with ``backprop-lens check`` (gui/cli/check.py).  Without Qt."""
from __future__ import annotations

import argparse

from gui.cli import common

SUMMARY = "write a blank worksheet (CSV) of one example's training step, to work by hand"

HELP = """\
Write a blank worksheet (CSV, header quantity,layer,j,k,value) for one training example: one row
per number of the training step, in the order they are computed by hand.  Indices are the book's,
1-based, in the column-vector convention: dC_dW,2,1,2 is dC/dw^2_12 (row j of W^2, column k).
Quantities: z, a, loss, dC_da, sigma_prime, delta, dC_dW, dC_db, W_new, b_new.  Fill the value
column (rows may stay blank) and run backprop-lens check.
"""


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return n


def add_problem_arguments(p: argparse.ArgumentParser) -> None:
    """--preset/--session, --example and --batch: which example's step the worksheet is about."""
    p.add_argument("--preset", default=None, metavar="NAME",
                   help=f"the network and data (default mazur): {', '.join(common.presets())}")
    p.add_argument("--session", metavar="FILE", help="use a saved session file instead of a preset")
    p.add_argument("--example", type=_positive, default=None, metavar="N",
                   help="training example N, 1 = the first (default: the current example of the preset or session)")
    p.add_argument("--batch", type=_positive, default=1, metavar="B",
                   help="a mini-batch of B examples from N on; its worksheet holds only the batch means "
                        "(loss, dC_dW, dC_db, W_new, b_new)")
    p.set_defaults(offscreen=False)


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("worksheet", prog="backprop-lens worksheet", help=SUMMARY, description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="example:\n  backprop-lens worksheet --preset mazur --out sheet.csv")
    add_problem_arguments(p)
    p.add_argument("--out", required=True, metavar="FILE.csv", help="the worksheet to write")
    return p


def load(args):
    """(Worksheet, error message) for --preset/--session, --example and --batch."""
    from engine.presets import get_preset
    from engine.run import Run
    from engine.session_read import SessionFileError, load_session
    from engine.worksheet import Worksheet
    try:
        run = load_session(args.session).run if args.session else Run(get_preset(args.preset or "mazur"))
        example = None if args.example is None else args.example - 1
        return Worksheet.from_run(run, example, args.batch), None
    except (SessionFileError, ValueError) as e:
        return None, str(e)


def run(args) -> int:
    from engine.worksheet import write_blank
    sheet, err = load(args)
    if err:
        return common.fail(err, 2)
    try:
        write_blank(args.out, sheet.sizes, sheet.batched)
    except OSError as e:
        return common.fail(f"could not write {args.out}: {e.strerror or e}", 1)
    return 0
