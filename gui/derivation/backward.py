"""The backward micro-steps of a layer: a hidden layer's δ, ∂C/∂W and ∂C/∂b, with numbers.

Column vectors:  δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ′(z^l),  ∂C/∂W^l = δ^l (a^{l-1})ᵀ  (shape of W^l).
Row vectors:     δ^l = δ^{l+1} W^{l+1} diag σ′(z^l),  ∂C/∂W^l = a^{l-1} ⊗ δ^l  (shape of (W^l)ᵀ).
"""
from __future__ import annotations

import numpy as np

from engine.notation import indices, sup, weight_name

from .context import Context, EquationBlock, Ref, col, row
from .latex import (column, dCdW, dot_terms, fits, keep, matrix, num, nump, shape, sym, transpose, under,
                    vector, vshape, weight)
from .latex import row as row_tex


def grad_shape(ctx: Context, l: int) -> str:
    """The shape label of ∂C/∂W[l] as printed in the convention."""
    N, M = ctx.sizes[l + 1], ctx.sizes[l]
    return shape(N, M) if ctx.col else shape(M, N)


def delta_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    """δ of hidden layer l; with dropout in the layer, times the forward pass's factor m/(1 − p)."""
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l + 2]
    W, dn, s, d, f = ctx.W(l + 1), ctx.delta(l + 1), ctx.s(l), ctx.delta(l), ctx.keep(k)
    sp, dsp = rf"\sigma'(z^{{{k}}})", rf"\operatorname{{diag}}\sigma'(z^{{{k}}})"
    if ctx.col:
        drop = "" if f is None else rf" \odot {under(keep(k), shape(N, 1))}"
        symbolic = (rf"{under(sym('delta', k), shape(N, 1))} = {under(transpose(sym('W', k + 1)), shape(N, M))}\,"
                    rf"{under(sym('delta', k + 1), shape(M, 1))} \odot {under(sp, shape(N, 1))}{drop}")
    else:
        drop = "" if f is None else r"\," + under(r"\operatorname{diag}" + keep(k), shape(N, N))
        symbolic = (rf"{under(sym('delta', k), shape(1, N))} = {under(sym('delta', k + 1), shape(1, M))}\,"
                    rf"{under(sym('W', k + 1), shape(M, N))}\,{under(dsp, shape(N, N))}{drop}")
    text = (f"The error of layer {k + 1} flows back through the same weights W{sup(k + 1)} that carried the signal "
            f"forward, then each unit of layer {k} scales it by its own slope σ′.")
    if f is not None:
        text += (f"  With dropout, a{sup(k)} = σ(z{sup(k)}) ⊙ m/(1 − p), so the chain rule carries the same factor "
                 f"back: a dropped neuron (m = 0) passes no error, a kept one scales it by 1/(1 − p) = "
                 f"{num(1 / (1 - ctx.net.dropout))}.")
    blocks = [EquationBlock(f"Backward, layer {k}", symbolic, {}, text)]
    dk, dn_, fk = f"delta^{k}", f"delta^{k + 1}", f"m^{k}/(1-p)"
    if fits(N, M):
        if ctx.col:
            WT, sk = f"(W^{k + 1})^T", f"sigma'(z^{k})"
            latex = (rf"{under(column(d), shape(N, 1))} = {under(matrix(W.T), shape(N, M))}\,"
                     rf"{under(column(dn), shape(M, 1))} \odot {under(column(s), shape(N, 1))}")
            numbers = {dk: col(d), WT: W.T, dn_: col(dn), sk: col(s)}
            refs = {dk: Ref("delta", l, "col"), WT: Ref("W", l + 1, "T"), dn_: Ref("delta", l + 1, "col"),
                    sk: Ref("s", l, "col")}
            expr = ("*", ("@", WT, dn_), sk)
            if f is not None:
                latex += rf" \odot {under(column(f), shape(N, 1))}"
                numbers[fk], refs[fk], expr = col(f), ctx.keep_ref(k), expr + (fk,)
        else:
            Wn, D = f"W^{k + 1}", f"diag sigma'(z^{k})"
            latex = (rf"{under(row_tex(d), shape(1, N))} = {under(row_tex(dn), shape(1, M))}\,"
                     rf"{under(matrix(W), shape(M, N))}\,{under(matrix(np.diag(s)), shape(N, N))}")
            numbers = {dk: row(d), dn_: row(dn), Wn: W, D: np.diag(s)}
            refs = {dk: Ref("delta", l, "row"), dn_: Ref("delta", l + 1, "row"), Wn: Ref("W", l + 1),
                    D: Ref("s", l, "diag")}
            expr = ("@", dn_, Wn, D)
            if f is not None:
                fk = f"diag m^{k}/(1-p)"
                latex += rf"\,{under(matrix(np.diag(f)), shape(N, N))}"
                numbers[fk], refs[fk], expr = np.diag(f), ctx.keep_ref(k), expr + (fk,)
        blocks.append(EquationBlock("With numbers", latex, numbers, refs=refs, claim=dk, expr=expr))
    else:
        blocks.append(neuron_delta_block(ctx, l))
    return blocks


def neuron_delta_block(ctx: Context, l: int, j: int | None = None) -> EquationBlock:
    """δ_j of a hidden layer l as the sum over the next layer, every term with its value when
    there are at most 8 (else the sum's value), times σ′(z_j) (and dropout's m_j/(1 − p))."""
    k, M = l + 1, ctx.sizes[l + 2]
    j = ctx.entry(l)[0] if j is None else j
    J = j + 1
    W, dn, s, d, f = ctx.W(l + 1), ctx.delta(l + 1), ctx.s(l), ctx.delta(l), ctx.keep(k)
    dj, sj, fj = f"delta^{k}_{J}", f"sigma'(z^{k}_{J})", f"m^{k}_{J}/(1-p)"
    drop = "" if f is None else rf"\,\frac{{m^{{{k}}}_{{{J}}}}}{{1-p}}"
    tail = "" if f is None else rf"\cdot {num(f[j])}"
    symbolic = (rf"\delta^{{{k}}}_{{{J}}} = \Big(\sum_{{m=1}}^{{{M}}} \delta^{{{k + 1}}}_m\, {weight(k + 1, 'm', J)}\Big)\,"
                rf"\sigma'(z^{{{k}}}_{{{J}}}){drop}")
    refs = {dj: Ref("delta", l, index=(j,)), sj: Ref("s", l, index=(j,))}
    numbers = {dj: float(d[j]), sj: float(s[j])}
    factors = (sj,) if f is None else (sj, fj)
    if f is not None:
        numbers[fj], refs[fj] = float(f[j]), ctx.keep_ref(k)
    if M <= 8:
        dn_, wc = f"delta^{k + 1}", f"w^{k + 1}_m{J}"
        latex = rf"{symbolic} = \big({dot_terms(dn, W[:, j], 10)}\big)\cdot {num(s[j])}{tail} = {num(d[j])}"
        refs.update({dn_: Ref("delta", l + 1), wc: Ref("W", l + 1, index=(slice(None), j))})
        return EquationBlock(f"With numbers, neuron {J}", latex, {**numbers, dn_: dn, wc: W[:, j]},
                             refs=refs, inline=(dn_, wc), claim=dj, expr=("*", ("sum", ("*", dn_, wc)), *factors))
    total = float(dn @ W[:, j])
    latex = (rf"{symbolic} = \big({dot_terms(dn, W[:, j])}\big)\cdot {num(s[j])}{tail} = {num(total)}\cdot {num(s[j])}"
             rf"{tail} = {num(d[j])}")
    refs["sum"] = Ref("derived", needs=(("delta", l + 1),))
    return EquationBlock(f"With numbers, neuron {J}", latex, {**numbers, "sum": total},
                         f"Layer {k + 1} is {M} wide: the sum's middle terms are left out, its value is printed.",
                         refs=refs, claim=dj, expr=("*", "sum", *factors))


def dW_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    d, a, G = ctx.delta(l), ctx.a(l), ctx.dW(l)
    gs = grad_shape(ctx, l)
    if ctx.col:
        symbolic = rf"{under(dCdW(k), gs)} = {under(sym('delta', k), shape(N, 1))}\,{under(transpose(sym('a', k - 1)), shape(1, M))}"
        text = f"An outer product: entry (j, i) is δ{sup(k)}_j · a{sup(k - 1)}_i; it has the shape of W{sup(k)}."
    else:
        symbolic = rf"{under(dCdW(k), gs)} = {under(sym('a', k - 1), shape(M, 1))} \otimes {under(sym('delta', k), shape(1, N))}"
        text = (f"An outer product: entry (i, j) is a{sup(k - 1)}_i · δ{sup(k)}_j; as the Jacobian of a scalar with respect to "
                f"W{sup(k)} it has the shape of (W{sup(k)})ᵀ (Johnston's convention).")
    blocks = [EquationBlock(f"Weight gradient, layer {k}", symbolic, {}, text)]
    g = f"dC/dW^{k}"
    if fits(N, M):
        if ctx.col:
            latex = rf"{under(matrix(G), gs)} = {under(column(d), shape(N, 1))}\,{under(row_tex(a), shape(1, M))}"
            numbers = {g: G, f"delta^{k}": col(d), f"(a^{k - 1})^T": row(a)}
            refs = {g: Ref("dW_data", l), f"delta^{k}": Ref("delta", l, "col"), f"(a^{k - 1})^T": Ref("a", l, "row")}
            expr = ("@", f"delta^{k}", f"(a^{k - 1})^T")
        else:
            latex = rf"{under(matrix(G.T), gs)} = {under(column(a), shape(M, 1))}\,{under(row_tex(d), shape(1, N))}"
            numbers = {g: G.T, f"a^{k - 1}": col(a), f"delta^{k}": row(d)}
            refs = {g: Ref("dW_data", l, "T"), f"a^{k - 1}": Ref("a", l, "col"), f"delta^{k}": Ref("delta", l, "row")}
            expr = ("@", f"a^{k - 1}", f"delta^{k}")
        blocks.append(EquationBlock("With numbers", latex, numbers, refs=refs, claim=g, expr=expr))
    else:
        j, i = ctx.entry(l)
        gji, dj, ai = f"dC/dw^{k}_{j + 1}{i + 1}", f"delta^{k}_{j + 1}", f"a^{k - 1}_{i + 1}"
        latex = (rf"{dCdW(k, indices(j + 1, i + 1))} = \delta^{{{k}}}_{{{j + 1}}}\, a^{{{k - 1}}}_{{{i + 1}}}"
                 rf" = {num(d[j])}\cdot {nump(a[i])} = {num(G[j, i])}")
        blocks.append(EquationBlock(f"With numbers, weight {weight_name(k, j + 1, i + 1)}", latex,
                                    {gji: float(G[j, i]), dj: float(d[j]), ai: float(a[i])},
                                    f"W{sup(k)} is {N}×{M}: too large to print, the selected weight.",
                                    refs={gji: Ref("dW_data", l, index=(j, i)), dj: Ref("delta", l, index=(j,)),
                                          ai: Ref("a", l, index=(i,))},
                                    claim=gji, expr=("*", dj, ai)))
    return blocks


def db_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N, c = l + 1, ctx.sizes[l + 1], ctx.convention
    d = ctx.delta(l)
    vs = vshape(N, c)
    dcdb = rf"\frac{{\partial C}}{{\partial b^{{{k}}}}}"
    dzdb = rf"\frac{{\partial z^{{{k}}}}}{{\partial b^{{{k}}}}}"
    dzdbT = dzdb + r"^{\mathsf{T}}"
    if ctx.col:
        chain = rf"{under(dcdb, vs)} = {under(dzdbT, shape(N, N))}\,{under(sym('delta', k), vs)} = I\,\delta^{{{k}}} = \delta^{{{k}}}"
    else:
        chain = rf"{under(dcdb, vs)} = {under(sym('delta', k), vs)}\,{under(dzdb, shape(N, N))} = \delta^{{{k}}}\, I = \delta^{{{k}}}"
    blocks = [EquationBlock(f"Bias gradient, layer {k}", chain, {},
                            "z = W a + b moves one for one with b: the Jacobian ∂z/∂b is the identity I, "
                            "so ∂C/∂b is δ itself (Wong: J_C(b) = J_C(z)).")]
    g = f"dC/db^{k}"
    if fits(N):
        I = np.eye(N)
        latex = (rf"{dcdb} = {under(matrix(I), shape(N, N))}\,{vector(d, c)} = {under(vector(d, c), vs)}" if ctx.col else
                 rf"{dcdb} = {vector(d, c)}\,{under(matrix(I), shape(N, N))} = {under(vector(d, c), vs)}")
        numbers = ({"I": I, f"delta^{k}": ctx.grad_vec(d), g: ctx.grad_vec(d)} if ctx.col else
                   {f"delta^{k}": ctx.grad_vec(d), "I": I, g: ctx.grad_vec(d)})
        refs = {"I": Ref("identity", l), f"delta^{k}": Ref("delta", l, ctx.grad_form), g: Ref("db", l, ctx.grad_form)}
        expr = ("@", "I", f"delta^{k}") if ctx.col else ("@", f"delta^{k}", "I")
        blocks.append(EquationBlock("With numbers", latex, numbers, refs=refs, claim=g, expr=expr))
    else:
        j, _ = ctx.entry(l)
        gj = f"dC/db^{k}_{j + 1}"
        blocks.append(EquationBlock(f"With numbers, neuron {j + 1}",
                                    rf"\frac{{\partial C}}{{\partial b^{{{k}}}_{{{j + 1}}}}} = \delta^{{{k}}}_{{{j + 1}}} = {num(d[j])}",
                                    {gj: float(d[j])}, refs={gj: Ref("db", l, index=(j,))}))
    return blocks
