"""``backprop-lens worksheet`` and ``backprop-lens check``: a blank worksheet of one example's
training step, and a filled one checked against the engine with each wrong entry's mistake named.

Exit status of ``check``: 0 when every filled row is right, 1 when any is wrong, 2 when the
worksheet (or an argument) cannot be used, with the line and column named.
"""
from __future__ import annotations

import argparse
import json
import sys

WORKSHEET_HELP = """\
Write a blank worksheet (CSV, header quantity,layer,j,k,value) for one training example: one row
per number of the training step, in the order they are computed by hand.  Indices are the book's,
1-based, in the column-vector convention: dC_dW,2,1,2 is dC/dw^2_12 (row j of W^2, column k).
"""
CHECK_HELP = """\
Check a filled worksheet against the engine.  Prints one line per wrong row with the mistake that
reproduces it, then "N right, M wrong".  Causes: missing-sigma-prime, sigma-prime-of-a,
not-transposed, sign, missing-half, extra-half, updated-weights, wrong-activation, sum-not-mean,
carried-forward (follows from an earlier wrong answer of yours, named after "from"), arithmetic.
Exit status 0: all right; 1: something wrong; 2: the worksheet cannot be read (line and column named).
"""


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return n


def _tolerance(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        v = -1.0
    if not 0.0 <= v < 1.0:
        raise argparse.ArgumentTypeError(f"a tolerance must be a number from 0 to below 1, like 1e-3, got {text!r}")
    return v


def _problem_args(p: argparse.ArgumentParser) -> None:
    from gui.cli import _presets
    p.add_argument("--preset", default=None, metavar="NAME",
                   help=f"the network and data (default mazur): {', '.join(_presets())}")
    p.add_argument("--session", metavar="FILE", help="use a saved session file instead of a preset")
    p.add_argument("--example", type=_positive, default=None, metavar="N",
                   help="training example N, 1 = the first (default: the current example of the preset or session)")
    p.add_argument("--batch", type=_positive, default=1, metavar="B",
                   help="a mini-batch of B examples from N on; its worksheet holds only the batch means "
                        "(loss, dC_dW, dC_db, W_new, b_new)")


def add_parsers(sub) -> None:
    """The ``worksheet`` and ``check`` subcommands, added to the command line's subparsers."""
    fmt = argparse.RawDescriptionHelpFormatter
    ws = sub.add_parser("worksheet", prog="backprop-lens worksheet", help="write a blank worksheet (CSV) of one example",
                        description=WORKSHEET_HELP, formatter_class=fmt,
                        epilog="example:\n  backprop-lens worksheet --preset mazur --out sheet.csv")
    _problem_args(ws)
    ws.add_argument("--out", required=True, metavar="FILE.csv", help="the worksheet to write")
    ck = sub.add_parser("check", prog="backprop-lens check", help="check a filled worksheet and name each mistake",
                        description=CHECK_HELP, formatter_class=fmt,
                        epilog="example:\n  backprop-lens check --preset mazur --worksheet sheet.csv")
    _problem_args(ck)
    ck.add_argument("--worksheet", required=True, metavar="FILE.csv", help="the filled worksheet")
    ck.add_argument("--tol", type=_tolerance, default=None, metavar="R",
                    help="relative tolerance (default 1e-3); an entry is right within R·|expected| or --abs-tol")
    ck.add_argument("--abs-tol", type=_tolerance, default=None, metavar="A", help="absolute tolerance (default 5e-4)")
    ck.add_argument("--json", action="store_true",
                    help="print a JSON list, one object per filled row: quantity, layer, j, k, got, expected, ok, "
                         "cause (and from, the first wrong entry a carried-forward one follows from)")


def _fail(message: str, code: int) -> int:
    print(f"backprop-lens: error: {message}", file=sys.stderr)
    return code


def _worksheet(args):
    """(Worksheet, error message) for --preset/--session, --example and --batch."""
    from engine.presets import get_preset
    from engine.run import Run
    from engine.session_file import SessionFileError, load_session
    from engine.worksheet import Worksheet
    try:
        run = load_session(args.session).run if args.session else Run(get_preset(args.preset or "mazur"))
        example = None if args.example is None else args.example - 1
        return Worksheet.from_run(run, example, args.batch), None
    except (SessionFileError, ValueError) as e:
        return None, str(e)


def run_worksheet(args) -> int:
    from engine.worksheet import write_blank
    sheet, err = _worksheet(args)
    if err:
        return _fail(err, 2)
    try:
        write_blank(args.out, sheet.sizes, sheet.batched)
    except OSError as e:
        return _fail(f"could not write {args.out}: {e.strerror or e}", 1)
    return 0


def run_check(args) -> int:
    from engine.worksheet import ABS_TOL, REL_TOL, WorksheetError, read_answers
    sheet, err = _worksheet(args)
    if err:
        return _fail(err, 2)
    try:
        answers = read_answers(args.worksheet, sheet.sizes, sheet.batched)
    except WorksheetError as e:
        return _fail(str(e), 2)
    rel = REL_TOL if args.tol is None else args.tol
    abs_tol = ABS_TOL if args.abs_tol is None else args.abs_tol
    results = sheet.check(answers, rel, abs_tol)
    n_wrong = sum(not r.ok for r in results)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=1))
    else:
        for r in results:
            if not r.ok:
                source = f" from {r.source.label}" if r.source is not None else ""
                print(f"WRONG {r.entry.label}: got {r.got:.4g}, "
                      f"expected {r.expected:.4g} (cause: {r.cause}{source})")
        print(f"{len(results) - n_wrong} right, {n_wrong} wrong")
    return 1 if n_wrong else 0


COMMANDS = {"worksheet": run_worksheet, "check": run_check}
