"""The update step (W − η ∂C/∂W = new W, with numbers) and one example versus the batch."""
from __future__ import annotations

import numpy as np

from .backward import grad_layout
from .context import Context, EquationBlock, copy_network
from .latex import column, dCdW, fits, matrix, num, nump, shape, transpose, under, weight_name


def _is_sgd(ctx: Context) -> bool:
    v = ctx.view
    g = v.grads
    return all(np.allclose(v.W_before[l] - v.eta * g.dW[l], v.W[l], rtol=1e-12, atol=1e-12) and
               np.allclose(v.b_before[l] - v.eta * g.db[l], v.b[l], rtol=1e-12, atol=1e-12) for l in range(ctx.L))


def update_blocks(ctx: Context) -> list[EquationBlock]:
    v, eta, sgd = ctx.view, ctx.view.eta, _is_sgd(ctx)
    gsym = dCdW(r"\ell") if ctx.col else transpose(dCdW(r"\ell"))
    if sgd:
        blocks = [EquationBlock("Update: gradient descent", rf"W^{{\ell}} \leftarrow W^{{\ell}} - \eta\, {gsym},\qquad "
                                rf"b^{{\ell}} \leftarrow b^{{\ell}} - \eta\,\frac{{\partial C}}{{\partial b^{{\ell}}}},\qquad \eta = {num(eta)}", {},
                                "Every layer steps against its gradient, all from the same backward pass." +
                                ("" if ctx.col else "  With row-vector gradients ∂C/∂W has the shape of Wᵀ, so it is transposed back."))]
    else:
        blocks = [EquationBlock("Update: optimizer step", r"W^{\ell}_{\mathrm{new}} = W^{\ell} + \Delta W^{\ell}", {},
                                f"This run's optimizer does not step by −η ∂C/∂W alone (it keeps running averages): "
                                f"the change ΔW it made is shown, η = {eta:g}.")]
    for l in range(ctx.L):
        k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
        W0, W1, G = v.W_before[l], v.W[l], v.grads.dW[l]
        b0, b1, g = v.b_before[l], v.b[l], v.grads.db[l]
        if fits(N, M):
            if sgd:
                latex = (rf"{under(matrix(W1), shape(N, M))} = {under(matrix(W0), shape(N, M))} - {num(eta)}\,"
                         rf"{under(matrix(G), shape(N, M))}")
                nb = rf"{column(b1)} = {column(b0)} - {num(eta)}\,{column(g)}"
                numbers = {f"W^{k} new": W1, f"W^{k}": W0, f"dC/dW^{k}": G}
                bnum = {f"b^{k} new": b1, f"b^{k}": b0, f"dC/db^{k}": g}
            else:
                latex = rf"{under(matrix(W1), shape(N, M))} = {under(matrix(W0), shape(N, M))} + {under(matrix(W1 - W0), shape(N, M))}"
                nb = rf"{column(b1)} = {column(b0)} + {column(b1 - b0)}"
                numbers = {f"W^{k} new": W1, f"W^{k}": W0, f"dW^{k}": W1 - W0}
                bnum = {f"b^{k} new": b1, f"b^{k}": b0, f"db^{k}": b1 - b0}
            blocks.append(EquationBlock(f"Layer {k}: weights", latex, numbers))
            blocks.append(EquationBlock(f"Layer {k}: biases", nb, bnum))
        else:
            fl, j, i = ctx.focus()
            j, i = (j, i) if fl == l else (0, 0)
            rhs = (rf"{num(W0[j, i])} - {num(eta)}\cdot {nump(G[j, i])}" if sgd
                   else rf"{num(W0[j, i])} + {nump(W1[j, i] - W0[j, i])}")
            blocks.append(EquationBlock(f"Layer {k}: weight {weight_name(k, j + 1, i + 1)}",
                                        rf"w^{{{k}}}_{{{j + 1},{i + 1}}} \leftarrow {rhs} = {num(W1[j, i])}",
                                        {f"w^{k}_{j + 1}{i + 1} new": float(W1[j, i])},
                                        f"W{k} is {N}×{M}: too large to print, the selected weight."))
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
    """One example's ∂C/∂W beside the batch-mean ∂C/∂W for the focus layer."""
    l = ctx.focus()[0]
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    grads, n = batch_grads(ctx, X, Y)
    if grads is None:
        return [EquationBlock("One example versus the batch", rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = \delta^{{{k}}} \otimes a^{{{k - 1}}}", {},
                              "Batch size 1: the update uses this one example's gradient; nothing is averaged.")]
    B = grads.y.shape[0]
    one, mean = grads.dW_example(l, n), grads.dW[l]
    P1, ps = grad_layout(ctx, one)
    Pm, _ = grad_layout(ctx, mean)
    text = (f"Batch of {B}: the update averages the {B} examples' gradients. This example's ∂C/∂W{k} "
            f"points its own way; the mean is what the weights follow.  Cosine between them: "
            f"{float(np.sum(one * mean) / max(np.linalg.norm(one) * np.linalg.norm(mean), 1e-300)):.3f}.")
    if fits(N, M):
        latex = (rf"\frac{{\partial C_n}}{{\partial W^{{{k}}}}} = {under(matrix(P1), ps)},\qquad "
                 rf"\frac{{1}}{{{B}}}\sum_{{n=1}}^{{{B}}}\frac{{\partial C_n}}{{\partial W^{{{k}}}}} = {under(matrix(Pm), ps)}")
        numbers = {f"dC_n/dW^{k}": P1, f"mean dC/dW^{k}": Pm}
    else:
        latex = (rf"\left\lVert \frac{{\partial C_n}}{{\partial W^{{{k}}}}}\right\rVert = {num(np.linalg.norm(one))},\qquad "
                 rf"\left\lVert \frac{{1}}{{{B}}}\sum_n \frac{{\partial C_n}}{{\partial W^{{{k}}}}}\right\rVert = {num(np.linalg.norm(mean))}")
        numbers = {"|one|": float(np.linalg.norm(one)), "|mean|": float(np.linalg.norm(mean))}
    return [EquationBlock(f"One example versus the batch, layer {k}", latex, numbers, text)]
