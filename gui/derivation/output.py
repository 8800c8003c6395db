"""The output layer's δ^L = ∂C/∂z^L, "output layer by loss": how it follows from the loss and the
output activation, with numbers.

- ½SSE, SSE, MSE (or any loss) with an element-wise σ: δ^L = ∂C/∂a^L · diag σ′(z^L)
  (row vectors) = ∇_a C ⊙ σ′(z^L) (column vectors);
- softmax with cross-entropy: the Jacobian diag(p) − p pᵀ and −y/p cancel to δ^L = p − y;
- sigmoid with binary cross-entropy: (a − y)/(a(1 − a)) times a(1 − a) leaves δ^L = a − y;
- softmax with another loss: the full Jacobian, δ^L = ∂C/∂a^L · J.
"""
from __future__ import annotations

import numpy as np

from .context import Context, EquationBlock
from .latex import fits, matrix, num, nump, shape, sym, under, vector, vshape

CASES = ("½SSE, SSE, MSE with any element-wise activation: δᴸ = ∂C/∂aᴸ · diag σ′(zᴸ).  "
         "Softmax with cross-entropy: δᴸ = p − y.  Sigmoid with binary cross-entropy: δᴸ = a − y.")


def _fused(ctx: Context, L: int, N: int, act, loss) -> list[EquationBlock]:
    a, y, d = ctx.a(L), ctx.y(), ctx.delta(L - 1)
    p = "p" if act.name == "softmax" else "a"
    if act.name == "softmax":
        why = ("Cross-entropy's ∂C/∂p_j = −y_j/p_j times the softmax Jacobian ∂p_j/∂z_k = p_j(δ_jk − p_k) "
               "sums to p_k Σ_j y_j − y_k = p_k − y_k for a one-hot y: every division cancels.")
    else:
        why = ("Binary cross-entropy's ∂C/∂a = (a − y)/(a(1 − a)) times the sigmoid's σ′(z) = a(1 − a) "
               "leaves a − y: the slope that would vanish in saturation cancels.")
    blocks = [EquationBlock(f"Output layer by loss: {act.title} with {loss.title.lower()}",
                            rf"{under(sym('delta', L), vshape(N, ctx.convention))} = {p}^{{{L}}} - y", {}, CASES + "  " + why)]
    if fits(N):
        latex = (rf"{under(vector(d, ctx.convention), vshape(N, ctx.convention))} = "
                 rf"{vector(a, ctx.convention)} - {vector(y, ctx.convention)}")
        blocks.append(EquationBlock("With numbers", latex, {f"delta^{L}": d, f"a^{L}": a, "y": y}))
    else:
        j = _entry(ctx)
        blocks.append(EquationBlock(f"With numbers, neuron {j + 1}",
                                    rf"\delta^{{{L}}}_{{{j + 1}}} = {num(a[j])} - {nump(y[j])} = {num(d[j])}",
                                    {f"delta^{L}_{j + 1}": float(d[j])}))
    return blocks


def _entry(ctx: Context) -> int:
    l, j, _ = ctx.focus()
    return j if l == ctx.L - 1 else 0


def output_delta_blocks(ctx: Context) -> list[EquationBlock]:
    L, N = ctx.L, ctx.sizes[-1]
    act, loss = ctx.net.activations[-1], ctx.net.loss
    if loss.is_fused(act):
        return _fused(ctx, L, N, act, loss)
    g, s, d, c = ctx.dC_da(), ctx.s(L - 1), ctx.delta(L - 1), ctx.convention
    vs = vshape(N, c)
    grad_sym = rf"\nabla_{{a^{{{L}}}}} C"
    sp_sym = rf"\sigma'(z^{{{L}}})"
    row_grad = rf"\frac{{\partial C}}{{\partial a^{{{L}}}}}"
    if act.elementwise:
        J, jsym = np.diag(s), rf"\operatorname{{diag}}\sigma'(z^{{{L}}})"
        col_rhs = rf"{under(grad_sym, vs)} \odot {under(sp_sym, vs)}"
    else:
        J, jsym = act.jacobian(ctx.z(L - 1), ctx.a(L)), rf"J_{{\sigma}}(z^{{{L}}})"
        jT = jsym + r"^{\mathsf{T}}"
        col_rhs = rf"{under(jT, shape(N, N))}\,{under(grad_sym, vs)}"
    if ctx.col:
        symbolic = rf"{under(sym('delta', L), vs)} = {col_rhs}"
    else:
        symbolic = rf"{under(sym('delta', L), vs)} = {under(row_grad, vs)}\,{under(jsym, shape(N, N))}"
    text = CASES + ("  Here the loss gives ∂C/∂a, and the output activation's slope scales it entry by entry."
                    if act.elementwise else "  Softmax is not element-wise: its full Jacobian diag(a) − a aᵀ enters.")
    blocks = [EquationBlock(f"Output layer by loss: {act.title} with {loss.title.lower()}", symbolic, {}, text),
              EquationBlock("The loss's slope", loss.grad_formula, {})]
    if fits(N):
        if ctx.col and act.elementwise:
            latex = rf"{under(vector(d, c), vs)} = {under(vector(g, c), vs)} \odot {under(vector(s, c), vs)}"
            numbers = {f"delta^{L}": d, f"dC/da^{L}": g, f"sigma'(z^{L})": s}
        elif ctx.col:
            latex = rf"{under(vector(d, c), vs)} = {under(matrix(J.T), shape(N, N))}\,{under(vector(g, c), vs)}"
            numbers = {f"delta^{L}": d, f"J^T": J.T, f"dC/da^{L}": g}
        else:
            latex = rf"{under(vector(d, c), vs)} = {under(vector(g, c), vs)}\,{under(matrix(J), shape(N, N))}"
            numbers = {f"delta^{L}": d, f"dC/da^{L}": g, "J" if not act.elementwise else f"diag sigma'(z^{L})": J}
        blocks.append(EquationBlock("With numbers", latex, numbers))
    else:
        j = _entry(ctx)
        if act.elementwise:
            latex = rf"\delta^{{{L}}}_{{{j + 1}}} = {num(g[j])}\cdot {nump(s[j])} = {num(d[j])}"
        else:
            latex = rf"\delta^{{{L}}}_{{{j + 1}}} = \sum_k \frac{{\partial C}}{{\partial a_k}} J_{{k{j + 1}}} = {num(d[j])}"
        blocks.append(EquationBlock(f"With numbers, neuron {j + 1}", latex, {f"delta^{L}_{j + 1}": float(d[j])}))
    return blocks
