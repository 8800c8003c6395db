"""The update micro-step, and one example versus the batch.

Which story is told is read from the run's configuration (``Context.optimizer``), never guessed
from the numbers.  Plain SGD: W ← W − η ∂C/∂W (column vectors; with row vectors ∂C/∂W has the shape
of Wᵀ, so the update writes W ← W − η (∂C/∂W)ᵀ), every number printed.  Any other optimizer of
``engine.optim.OPTIMIZERS``: its own rule (``Optimizer.formula``) and the change ΔW it made —
the place where an optimizer's own equations with numbers go (``_optimizer_blocks``).
"""
from __future__ import annotations

import numpy as np

from engine.optim import OPTIMIZERS

from .backward import grad_shape
from engine.notation import sup
from gui.numbers import format_number

from .context import Context, EquationBlock, Ref, col, copy_network
from .latex import column, dCdW, fits, lines, matrix, num, nump, shape, transpose, under, weight_name


def update_blocks(ctx: Context) -> list[EquationBlock]:
    return _sgd_blocks(ctx) if ctx.optimizer == "sgd" else _optimizer_blocks(ctx)


def _sgd_blocks(ctx: Context) -> list[EquationBlock]:
    v, eta, biases = ctx.view, ctx.view.eta, ctx.view.train_biases
    gsym = dCdW(r"\ell") if ctx.col else transpose(dCdW(r"\ell"))
    bsym = r"\frac{\partial C}{\partial b^{\ell}}"
    bsym = bsym if ctx.col else transpose(bsym)
    rule = [rf"W^{{\ell}} &\leftarrow W^{{\ell}} - \eta\, {gsym}",
            rf"b^{{\ell}} &\leftarrow b^{{\ell}} - \eta\,{bsym},\qquad \eta = {num(eta)}" if biases else
            rf"b^{{\ell}} &\leftarrow b^{{\ell}}\ \text{{(biases fixed)}},\qquad \eta = {num(eta)}"]
    text = "Every layer steps against its gradient, all from the same backward pass."
    if not ctx.col:
        text += ("  With row-vector gradients ∂C/∂W has the shape of Wᵀ (and ∂C/∂b is a row), so each is "
                 "transposed back to the shape of the parameter.")
    if not biases:
        text += "  This run keeps the biases at their initial values (as Mazur's post does): only W moves."
    blocks = [EquationBlock("Update: gradient descent", lines(*rule), {"eta": eta}, text, refs={"eta": Ref("eta")})]
    for l in range(ctx.L):
        k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
        W0, W1, G = v.W_before[l], v.W[l], v.grads.dW[l]
        b0, b1 = v.b_before[l], v.b[l]
        Gn = f"dC/dW^{k}" if ctx.col else f"(dC/dW^{k})^T"
        gn = f"dC/db^{k}" if ctx.col else f"(dC/db^{k})^T"
        if fits(N, M):
            names = (f"W^{k} new", f"W^{k}", "eta", Gn)
            latex = (rf"{under(matrix(W1), shape(N, M))} = {under(matrix(W0), shape(N, M))} - {num(eta)}\,"
                     rf"{under(matrix(G), shape(N, M))}")
            blocks.append(EquationBlock(f"Layer {k}: weights", latex, dict(zip(names, (W1, W0, eta, G))),
                                        refs=dict(zip(names, (Ref("W_new", l), Ref("W", l), Ref("eta"), Ref("dW", l)))),
                                        claim=names[0], expr=("-", names[1], ("*", "eta", Gn))))
            blocks.append(_bias_block(ctx, l, eta, gn) if biases else
                          EquationBlock(f"Layer {k}: biases", rf"{column(b1)} = {column(b0)}",
                                        {f"b^{k} new": col(b1), f"b^{k}": col(b0)}, "Fixed in this run.",
                                        refs={f"b^{k} new": Ref("b_new", l, "col"), f"b^{k}": Ref("b", l, "col")},
                                        claim=f"b^{k} new", expr=f"b^{k}"))
        else:
            j, i = ctx.entry(l)
            w1, w0, gji = f"w^{k}_{j + 1}{i + 1} new", f"w^{k}_{j + 1}{i + 1}", f"dC/dw^{k}_{j + 1}{i + 1}"
            blocks.append(EquationBlock(f"Layer {k}: weight {weight_name(k, j + 1, i + 1)}",
                                        rf"w^{{{k}}}_{{{j + 1},{i + 1}}} \leftarrow {num(W0[j, i])} - {num(eta)}\cdot "
                                        rf"{nump(G[j, i])} = {num(W1[j, i])}",
                                        {w1: float(W1[j, i]), w0: float(W0[j, i]), "eta": eta, gji: float(G[j, i])},
                                        f"W{sup(k)} is {N}×{M}: too large to print, the selected weight.",
                                        refs={w1: Ref("W_new", l, index=(j, i)), w0: Ref("W", l, index=(j, i)),
                                              "eta": Ref("eta"), gji: Ref("dW", l, index=(j, i))},
                                        claim=w1, expr=("-", w0, ("*", "eta", gji))))
    return blocks


def _bias_block(ctx: Context, l: int, eta: float, gn: str) -> EquationBlock:
    v, k = ctx.view, l + 1
    b0, b1, g = v.b_before[l], v.b[l], v.grads.db[l]
    names = (f"b^{k} new", f"b^{k}", "eta", gn)
    latex = rf"{column(b1)} = {column(b0)} - {num(eta)}\,{column(g)}"
    return EquationBlock(f"Layer {k}: biases", latex, dict(zip(names, (col(b1), col(b0), eta, col(g)))),
                         refs=dict(zip(names, (Ref("b_new", l, "col"), Ref("b", l, "col"), Ref("eta"),
                                               Ref("db", l, "col")))),
                         claim=names[0], expr=("-", names[1], ("*", "eta", gn)))


def _optimizer_blocks(ctx: Context) -> list[EquationBlock]:
    """An optimizer other than SGD: its rule from the registry, and the change it made."""
    v, opt = ctx.view, OPTIMIZERS[ctx.optimizer]
    blocks = [EquationBlock(f"Update: {opt.title}", rf"{opt.formula},\qquad \eta = {num(v.eta)}", {"eta": v.eta},
                            f"This run's optimizer ({opt.title}) does not step by −η ∂C/∂W alone: it keeps state "
                            f"between steps.  The change ΔW it made from this example's gradient is shown, "
                            f"η = {format_number(v.eta)}.", refs={"eta": Ref("eta")})]
    for l in range(ctx.L):
        k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
        W0, W1 = v.W_before[l], v.W[l]
        if fits(N, M):
            names = (f"W^{k} new", f"W^{k}", f"dW^{k}")
            latex = rf"{under(matrix(W1), shape(N, M))} = {under(matrix(W0), shape(N, M))} + {under(matrix(W1 - W0), shape(N, M))}"
            blocks.append(EquationBlock(f"Layer {k}: weights", latex, dict(zip(names, (W1, W0, W1 - W0))),
                                        refs=dict(zip(names, (Ref("W_new", l), Ref("W", l),
                                                              Ref("derived", l, needs=(("update", -1),))))),
                                        claim=names[0], expr=("+", names[1], names[2])))
        else:
            j, i = ctx.entry(l)
            w1 = f"w^{k}_{j + 1}{i + 1} new"
            blocks.append(EquationBlock(f"Layer {k}: weight {weight_name(k, j + 1, i + 1)}",
                                        rf"w^{{{k}}}_{{{j + 1},{i + 1}}} \leftarrow {num(W0[j, i])} + {nump(W1[j, i] - W0[j, i])} = {num(W1[j, i])}",
                                        {w1: float(W1[j, i])}, refs={w1: Ref("W_new", l, index=(j, i))}))
    return blocks


def batch_grads(ctx: Context, X=None, Y=None):
    """Batched Grads for this example's batch: the trace's own if it is batched, otherwise the
    examples X, Y (the current one first) run through a copy of the network with W_before."""
    g = ctx.view.grads
    if g is not None and g.trace.batched:
        return g, ctx.example
    if X is None or len(X) < 2:
        return None, 0
    net = copy_network(ctx.net, ctx.view.W_before, ctx.view.b_before)
    with np.errstate(over="ignore", invalid="ignore"):
        return net.loss_and_grads(np.asarray(X, dtype=float), np.asarray(Y, dtype=float)), 0


def batch_blocks(ctx: Context, X=None, Y=None) -> list[EquationBlock]:
    """One example's ∂C/∂W beside the batch-mean ∂C/∂W for the focus layer, in the convention's shape."""
    l = ctx.focus()[0]
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    grads, n = batch_grads(ctx, X, Y)
    if grads is None:
        prod = (rf"\delta^{{{k}}}\,(a^{{{k - 1}}})^{{\mathsf{{T}}}}" if ctx.col else rf"a^{{{k - 1}}} \otimes \delta^{{{k}}}")
        return [EquationBlock("One example versus the batch", rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = {prod}", {},
                              "Batch size 1: the update uses this one example's gradient; nothing is averaged.")]
    B = grads.y.shape[0]
    one, mean = grads.dW_example(l, n), grads.dW[l]
    P1, Pm, ps = ctx.grad_mat(one), ctx.grad_mat(mean), grad_shape(ctx, l)
    cos = float(np.sum(one * mean) / max(np.linalg.norm(one) * np.linalg.norm(mean), 1e-300))
    text = (f"Batch of {B}: the update averages the {B} examples' gradients. This example's ∂C/∂W{sup(k)} "
            f"points its own way; the mean is what the weights follow.  Cosine between them: {format_number(cos)}.")
    needs = (("dW", l),)
    if fits(N, M):
        latex = (rf"\frac{{\partial C_n}}{{\partial W^{{{k}}}}} = {under(matrix(P1), ps)},\qquad "
                 rf"\frac{{1}}{{{B}}}\sum_{{n=1}}^{{{B}}}\frac{{\partial C_n}}{{\partial W^{{{k}}}}} = {under(matrix(Pm), ps)}")
        numbers = {f"dC_n/dW^{k}": P1, f"mean dC/dW^{k}": Pm}
        refs = {f"dC_n/dW^{k}": Ref("dW_data", l, ctx.W_form), f"mean dC/dW^{k}": Ref("derived", l, needs=needs)}
    else:
        latex = (rf"\left\lVert \frac{{\partial C_n}}{{\partial W^{{{k}}}}}\right\rVert = {num(np.linalg.norm(one))},\qquad "
                 rf"\left\lVert \frac{{1}}{{{B}}}\sum_n \frac{{\partial C_n}}{{\partial W^{{{k}}}}}\right\rVert = {num(np.linalg.norm(mean))}")
        numbers = {"|one|": float(np.linalg.norm(one)), "|mean|": float(np.linalg.norm(mean))}
        refs = {"|one|": Ref("dW_data", l, "norm"), "|mean|": Ref("derived", l, needs=needs)}
    return [EquationBlock(f"One example versus the batch, layer {k}", latex, numbers, text, refs=refs)]
