"""LaTeX building blocks for the derivation panel: numbers, vectors, matrices, shape labels.

Every number printed goes through ``num`` (the one formatter's figures).
Matrices and vectors are written in full up to ``MAX_FULL`` entries per side; wider factors
show their symbol and shape only (the equations then switch to the selected entry).
"""
from __future__ import annotations

import re

import numpy as np

from engine.notation import indices
from gui.numbers import format_number, sig_figs

MAX_FULL = 6           # vectors/matrices up to this many rows and columns are printed in full


def num(v: float) -> str:
    """A number as LaTeX, as ``gui.numbers.format_number`` writes it (the View setting's significant
    figures, 4 by default): 0.2984, 0.0004386, 12.35, 1.234×10^{5}; no '-0'."""
    v = float(v)
    if not np.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\mathrm{NaN}")
    s = format_number(v)
    if "e" in s:
        mant, exp = s.split("e")
        return rf"{mant}\times 10^{{{int(exp)}}}"
    return s


def nump(v: float) -> str:
    """``num`` with parentheses around negative values, for use inside sums and products: (-0.1474),
    the sign braced so that it is typeset as a sign, not as a subtraction after "(" (ziamath spaces
    a bare "(-" as a binary minus, 12 px wider at the panel's size)."""
    s = num(v)
    return f"({{{s}}})" if s.startswith("-") else s


def dot_terms(ws, xs, max_terms: int = 8) -> str:
    """'w₁·x₁ + w₂·x₂ + …' with numbers; long sums keep the first and last terms."""
    parts = [rf"{nump(w)}\cdot {nump(x)}" for w, x in zip(ws, xs)]
    if len(parts) > max_terms:
        parts = parts[: max_terms - 2] + [r"\cdots"] + parts[-1:]
    return " + ".join(parts)


_ALIGN = re.compile(r"&(?=(=|\\leftarrow|\\approx|\\neq))")


def lines(*parts: str) -> str:
    """Equations one after another, for MathView to wrap at their relations on a narrow panel: a part
    that goes on with a relation ("= …", "≈ …") continues the one before it, any other part is a
    new equation after a comma.  An "&" before a relation marks where the parts line up in print
    (it is dropped here; a matrix's own "&" stays)."""
    out = ""
    for part in parts:
        part = _ALIGN.sub("", part)
        if not out:
            out = part
        elif part.lstrip().startswith(("=", r"\leftarrow", r"\approx", r"\neq")):
            out += " " + part.lstrip()
        else:
            out += r",\qquad " + part
    return out


def fits(*shape: int) -> bool:
    return all(n <= MAX_FULL for n in shape)


def matrix(M) -> str:
    """A 2-D array as a bmatrix of numbers."""
    M = np.atleast_2d(np.asarray(M, dtype=float))
    rows = [" & ".join(num(v) for v in row) for row in M]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def column(v) -> str:
    return matrix(np.asarray(v, dtype=float).reshape(-1, 1))


def row(v) -> str:
    return matrix(np.asarray(v, dtype=float).reshape(1, -1))


def vector(v, convention: str) -> str:
    """A gradient-like vector in the layout of ``convention`` ("column" or "row")."""
    return column(v) if convention == "column" else row(v)


def shape(r: int, c: int) -> str:
    return rf"{r}\times {c}"


def vshape(n: int, convention: str) -> str:
    """The shape label of an n-vector: n×1 as a column, 1×n as a row."""
    return shape(n, 1) if convention == "column" else shape(1, n)


def under(tex: str, label: str) -> str:
    r"""``tex`` with ``label`` (a shape) set under it: \underset{1\times 4}{\delta^{2}}."""
    return rf"\underset{{{label}}}{{{tex}}}"


def sym(name: str, layer: int | str, sub: str = "") -> str:
    """A layer symbol such as δ^{2}, W^{3}, a^{1}_{j}."""
    base = {"delta": r"\delta", "sigma'": r"\sigma'"}.get(name, name)
    s = rf"{base}^{{{layer}}}"
    return s + (rf"_{{{sub}}}" if sub else "")


def keep(layer: int | str) -> str:
    """Inverted dropout's factor m^l/(1 − p)."""
    return rf"\frac{{m^{{{layer}}}}}{{1-p}}"


def dCdW(layer: int | str, sub: str = "") -> str:
    w = rf"w^{{{layer}}}_{{{sub}}}" if sub else rf"W^{{{layer}}}"
    return rf"\frac{{\partial C}}{{\partial {w}}}"


def sigma_prime(layer: int | str, sub: str = "") -> str:
    z = rf"z^{{{layer}}}_{{{sub}}}" if sub else rf"z^{{{layer}}}"
    return rf"\sigma'({z})"


def transpose(tex: str) -> str:
    return rf"\left({tex}\right)^{{\mathsf{{T}}}}"


# -- parsing back (tests, and a guard that what is printed is what was recorded) ---------------------
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)(?:\\times 10\^\{(-?\d+)\})?")
_BMATRIX = re.compile(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", re.S)


def parse_number(s: str) -> float:
    m = _NUMBER.fullmatch(s.strip())
    if not m:
        raise ValueError(f"not a printed number: {s!r}")
    return float(m.group(1)) * (10.0 ** int(m.group(2)) if m.group(2) else 1.0)


def parse_matrices(latex: str) -> list[np.ndarray]:
    """Every bmatrix of numbers in ``latex``, in order, as 2-D arrays (symbolic ones are skipped)."""
    out = []
    for body in _BMATRIX.findall(latex):
        try:
            rows = [[parse_number(c) for c in r.split("&")] for r in body.split(r"\\")]
        except ValueError:
            continue
        out.append(np.array(rows, dtype=float))
    return out


def tolerance(v) -> np.ndarray:
    """How far a printed number may be from its value: half a unit of the last significant digit."""
    v = np.abs(np.asarray(v, dtype=float))
    return v * 10.0 ** -(sig_figs() - 1) + 1e-300


def weight(layer: int | str, j: int | str, i: int | str) -> str:
    r"""A weight in LaTeX, 1-based, its indices as engine.notation.indices writes them (as its plain-text
    weight_name): weight(2, 10, 1) == 'w^{2}_{10,1}', weight(1, 'j', 'i') == 'w^{1}_{ji}'."""
    return rf"w^{{{layer}}}_{{{indices(j, i)}}}"
