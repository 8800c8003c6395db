"""Predict mode's block: what the next micro-step will compute, with "?" where its values will appear.

In Predict mode the student types the next micro-step's values before → reveals them (gui/quiz.py).
The derivation panel then leads with this block: the asked quantity in symbols with its shape in the
view's convention, and a grid of "?" shaped like it (or one "?" for a selected neuron or weight).  It
prints no number and no equation of the step (the factors and the formula are what the student works
out; a mistake such as a missing σ′ or a missing transpose is what the check names), so nothing on
the panel gives the answer away before the reveal.
"""
from __future__ import annotations

from engine.notation import indices

from .context import EquationBlock
from .latex import dCdW, shape, under

_MARK = r"\mathbf{?}"
MAX_GRID = 6            # rows or columns of "?" drawn in full; a larger quantity shows its symbol and shape


def _symbol(quantity: str, layer, sub: str = "") -> str:
    """The LaTeX of a worksheet quantity (engine/worksheet.py's names), one entry with ``sub``."""
    s = rf"_{{{sub}}}" if sub else ""
    if quantity == "loss":
        return "C"
    if quantity == "z":
        return rf"z^{{{layer}}}{s}"
    if quantity == "a":
        return rf"a^{{{layer}}}{s}"
    if quantity == "delta":
        return rf"\delta^{{{layer}}}{s}"
    if quantity == "dC_dW":
        return dCdW(layer, sub)
    if quantity == "dC_db":
        b = rf"b^{{{layer}}}{s}"
        return rf"\frac{{\partial C}}{{\partial {b}}}"
    if quantity == "W_new":
        w = rf"w^{{{layer}}}{s}" if sub else rf"W^{{{layer}}}"
        return rf"{w}_{{\text{{new}}}}" if not sub else rf"{w}\ \text{{new}}"
    raise ValueError(f"no symbol for the quantity {quantity!r}")


def asked_shape(quantity: str, layer, sizes, convention: str) -> tuple[int, int]:
    """(rows, columns) of a whole quantity as the view prints it: vectors N×1 in the column
    convention and 1×N in the row one; ∂C/∂W shaped like W (column) or Wᵀ (row); the new W like W."""
    if quantity == "loss":
        return 1, 1
    n = sizes[layer]
    if quantity in ("dC_dW", "W_new"):
        r, c = n, sizes[layer - 1]
        return (c, r) if quantity == "dC_dW" and convention == "row" else (r, c)
    return (n, 1) if convention == "column" else (1, n)


def predict_blocks(entries, title: str, sizes, convention: str = "column") -> list[EquationBlock]:
    """The block that leads the panel while a prediction is asked: ``entries`` (the quiz question's,
    worksheet entries with ``quantity``, ``layer``, ``j``, ``k`` in book indices), ``title`` the next
    micro-step's title, ``sizes`` the network's layer widths."""
    if not entries:
        return []
    first = entries[0]
    q, layer = first.quantity, first.layer
    if len(entries) == 1 and q != "loss":
        sub = f"{first.j}" if first.k is None else indices(first.j, first.k)
        latex = rf"{_symbol(q, layer, sub)} = {_MARK}"
        what, it = "this number", "it"
    else:
        r, c = asked_shape(q, layer, sizes, convention)
        if q == "loss":
            latex = rf"C = {_MARK}"
        elif r <= MAX_GRID and c <= MAX_GRID:
            grid = r" \\ ".join(" & ".join([_MARK] * c) for _ in range(r))
            latex = rf"{under(_symbol(q, layer), shape(r, c))} = \begin{{bmatrix}}{grid}\end{{bmatrix}}"
        else:
            latex = rf"{under(_symbol(q, layer), shape(r, c))} = {_MARK}"
        what, it = ("these numbers", "them") if q != "loss" else ("this number", "it")
    text = (f"Next: {title}.  Work out {what} and type {it} in the Predict panel; → reveals the step and "
            f"checks your values.  Until then the step's numbers stay hidden here and on the graph.")
    return [EquationBlock("Predict the next micro-step", latex, text=text)]
