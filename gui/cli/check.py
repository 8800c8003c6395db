"""``backprop-lens check``: a filled worksheet checked against the engine, each wrong entry with the
mistake that reproduces it (engine/worksheet.py, engine/mistakes.py).  Without Qt.

Exit status: 0 when every filled row is right, 1 when any is wrong, 2 when the worksheet (or an
argument) cannot be used, with the line and column named."""
from __future__ import annotations

import argparse
import json

from gui.cli import common, worksheet

SUMMARY = "check a filled worksheet: each wrong entry with the mistake that reproduces it"

HELP = """\
Check a filled worksheet against the engine.  Prints one line per wrong row with the mistake that
reproduces it, then "N right, M wrong".  Causes: missing-sigma-prime, sigma-prime-of-a,
not-transposed, sign, missing-half, extra-half, updated-weights, wrong-activation,
fixed-bias-updated (a bias stepped in a run that keeps them fixed, as Mazur's), sum-not-mean,
carried-forward (follows from an earlier wrong answer of yours, named after "from"), arithmetic
(no single known mistake gives it); two causes that give the same number are both named.
Exit status 0: all right; 1: something wrong; 2: the worksheet cannot be read (line and column named).
"""


def _tolerance(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        v = -1.0
    if not 0.0 <= v < 1.0:
        raise argparse.ArgumentTypeError(f"a tolerance must be a number from 0 to below 1, like 1e-3, got {text!r}")
    return v


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("check", prog="backprop-lens check", help=SUMMARY, description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="example:\n  backprop-lens check --preset mazur --worksheet sheet.csv")
    worksheet.add_problem_arguments(p)
    p.add_argument("--worksheet", required=True, metavar="FILE.csv", help="the filled worksheet")
    p.add_argument("--tol", type=_tolerance, default=None, metavar="R",
                   help="relative tolerance (default 1e-3): an entry is right within R·|expected| or --abs-tol of it")
    p.add_argument("--abs-tol", type=_tolerance, default=None, metavar="A", help="absolute tolerance (default 5e-4)")
    p.add_argument("--json", action="store_true",
                   help="print a JSON list, one object per filled row: quantity, layer, j, k, got, expected, ok, "
                        "cause (and from: the first wrong entry a carried-forward one follows from)")
    return p


def run(args) -> int:
    from engine.worksheet import ABS_TOL, REL_TOL, WorksheetError, read_answers
    from gui.numbers import format_number
    sheet, err = worksheet.load(args)
    if err:
        return common.fail(err, 2)
    try:
        answers = read_answers(args.worksheet, sheet.sizes, sheet.batched)
    except WorksheetError as e:
        return common.fail(str(e), 2)
    results = sheet.check(answers, REL_TOL if args.tol is None else args.tol,
                          ABS_TOL if args.abs_tol is None else args.abs_tol)
    n_wrong = sum(not r.ok for r in results)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=1))
        return 1 if n_wrong else 0
    for r in results:
        if not r.ok:
            source = f" from {r.source.label}" if r.source is not None else ""
            print(f"WRONG {r.entry.label}: got {format_number(r.got, 4)}, expected {format_number(r.expected, 4)} "
                  f"(cause: {r.cause}{source})")
    print(f"{len(results) - n_wrong} right, {n_wrong} wrong")
    return 1 if n_wrong else 0
