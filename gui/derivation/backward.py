"""The backward micro-steps: a hidden layer's δ, ∂C/∂W, ∂C/∂b, and the update, with numbers.

Column vectors:  δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ′(z^l),  ∂C/∂W^l = δ^l (a^{l-1})ᵀ  (shape of W^l).
Row vectors:     δ^l = δ^{l+1} W^{l+1} diag σ′(z^l),  ∂C/∂W^l = a^{l-1} ⊗ δ^l  (shape of (W^l)ᵀ).
"""
from __future__ import annotations

import numpy as np

from .context import Context, EquationBlock
from .equations import dot_terms
from .latex import (column, dCdW, fits, matrix, num, nump, row, shape, sym, transpose, under, vector, weight_name,
                    vshape)


def grad_layout(ctx: Context, G: np.ndarray) -> tuple[np.ndarray, str]:
    """∂C/∂W as printed in the convention: W-shaped (column) or transposed (row), and its shape label."""
    P = G if ctx.col else G.T
    return P, shape(*P.shape)


def _entry(ctx: Context, l: int) -> tuple[int, int]:
    fl, j, i = ctx.focus()
    return (j, i) if fl == l else (0, 0)


def delta_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N, M, c = l + 1, ctx.sizes[l + 1], ctx.sizes[l + 2], ctx.convention
    W, dn, s, d = ctx.W(l + 1), ctx.delta(l + 1), ctx.s(l), ctx.delta(l)
    sp, dsp = rf"\sigma'(z^{{{k}}})", rf"\operatorname{{diag}}\sigma'(z^{{{k}}})"
    if ctx.col:
        symbolic = (rf"{under(sym('delta', k), shape(N, 1))} = {under(transpose(sym('W', k + 1)), shape(N, M))}\,"
                    rf"{under(sym('delta', k + 1), shape(M, 1))} \odot {under(sp, shape(N, 1))}")
    else:
        symbolic = (rf"{under(sym('delta', k), shape(1, N))} = {under(sym('delta', k + 1), shape(1, M))}\,"
                    rf"{under(sym('W', k + 1), shape(M, N))}\,{under(dsp, shape(N, N))}")
    text = (f"The error of layer {k + 1} flows back through the same weights W{k + 1} that carried the signal "
            f"forward, then each unit of layer {k} scales it by its own slope σ′.")
    blocks = [EquationBlock(f"Backward, layer {k}", symbolic, {}, text)]
    if fits(N, M):
        if ctx.col:
            latex = (rf"{under(column(d), shape(N, 1))} = {under(matrix(W.T), shape(N, M))}\,"
                     rf"{under(column(dn), shape(M, 1))} \odot {under(column(s), shape(N, 1))}")
            numbers = {f"delta^{k}": d, f"(W^{k + 1})^T": W.T, f"delta^{k + 1}": dn, f"sigma'(z^{k})": s}
        else:
            latex = (rf"{under(row(d), shape(1, N))} = {under(row(dn), shape(1, M))}\,"
                     rf"{under(matrix(W), shape(M, N))}\,{under(matrix(np.diag(s)), shape(N, N))}")
            numbers = {f"delta^{k}": d, f"delta^{k + 1}": dn, f"W^{k + 1}": W, f"diag sigma'(z^{k})": np.diag(s)}
        blocks.append(EquationBlock("With numbers", latex, numbers))
    else:
        j, _ = _entry(ctx, l)
        latex = (rf"\delta^{{{k}}}_{{{j + 1}}} = \Big(\sum_{{m=1}}^{{{M}}} \delta^{{{k + 1}}}_m w^{{{k + 1}}}_{{m{j + 1}}}\Big)"
                 rf"\sigma'(z^{{{k}}}_{{{j + 1}}}) = \big({dot_terms(dn, W[:, j])}\big)\cdot {nump(s[j])} = {num(d[j])}")
        blocks.append(EquationBlock(f"With numbers, neuron {j + 1}", latex,
                                    {f"delta^{k}_{j + 1}": float(d[j]), f"sigma'(z^{k}_{j + 1})": float(s[j])},
                                    f"Layer {k} is {N} wide and layer {k + 1} {M}: too large to print, the selected neuron."))
    return blocks


def dW_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    d, a, G = ctx.delta(l), ctx.a(l), ctx.dW(l)
    P, ps = grad_layout(ctx, G)
    if ctx.col:
        symbolic = rf"{under(dCdW(k), shape(N, M))} = {under(sym('delta', k), shape(N, 1))}\,{under(transpose(sym('a', k - 1)), shape(1, M))}"
        text = f"An outer product: entry (j, i) is δ{k}_j · a{k - 1}_i; it has the shape of W{k}."
    else:
        symbolic = rf"{under(dCdW(k), shape(M, N))} = {under(sym('a', k - 1), shape(M, 1))} \otimes {under(sym('delta', k), shape(1, N))}"
        text = f"An outer product: entry (i, j) is a{k - 1}_i · δ{k}_j; as a Jacobian of a scalar it has the shape of (W{k})ᵀ."
    blocks = [EquationBlock(f"Weight gradient, layer {k}", symbolic, {}, text)]
    if fits(N, M):
        if ctx.col:
            latex = rf"{under(matrix(P), ps)} = {under(column(d), shape(N, 1))}\,{under(row(a), shape(1, M))}"
            numbers = {f"dC/dW^{k}": P, f"delta^{k}": d, f"a^{k - 1}": a}
        else:
            latex = rf"{under(matrix(P), ps)} = {under(column(a), shape(M, 1))}\,{under(row(d), shape(1, N))}"
            numbers = {f"(dC/dW^{k})": P, f"a^{k - 1}": a, f"delta^{k}": d}
        blocks.append(EquationBlock("With numbers", latex, numbers))
    else:
        j, i = _entry(ctx, l)
        latex = (rf"{dCdW(k, f'{j + 1}{i + 1}')} = \delta^{{{k}}}_{{{j + 1}}}\, a^{{{k - 1}}}_{{{i + 1}}}"
                 rf" = {num(d[j])}\cdot {nump(a[i])} = {num(G[j, i])}")
        blocks.append(EquationBlock(f"With numbers, weight {weight_name(k, j + 1, i + 1)}", latex,
                                    {f"dC/dw^{k}_{j + 1}{i + 1}": float(G[j, i])},
                                    f"W{k} is {N}×{M}: too large to print, the selected weight."))
    return blocks


def db_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N, c = l + 1, ctx.sizes[l + 1], ctx.convention
    d = ctx.delta(l)
    vs = vshape(N, c)
    dcdb = rf"\frac{{\partial C}}{{\partial b^{{{k}}}}}"
    symbolic = rf"{under(dcdb, vs)} = {under(sym('delta', k), vs)}"
    blocks = [EquationBlock(f"Bias gradient, layer {k}", symbolic, {},
                            "z = W a + b moves one for one with b, so ∂z/∂b is the identity and ∂C/∂b is δ itself.")]
    if fits(N):
        blocks.append(EquationBlock("With numbers", rf"\frac{{\partial C}}{{\partial b^{{{k}}}}} = {under(vector(d, c), vs)}",
                                    {f"dC/db^{k}": d}))
    else:
        j, _ = _entry(ctx, l)
        blocks.append(EquationBlock(f"With numbers, neuron {j + 1}",
                                    rf"\frac{{\partial C}}{{\partial b^{{{k}}}_{{{j + 1}}}}} = {num(d[j])}", {f"dC/db^{k}_{j + 1}": float(d[j])}))
    return blocks
