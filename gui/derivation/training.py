"""The training terms in the derivation, each as its own block beside the micro-step it changes
(the optimizer's update is the update step's own story, ``update.py``):

- a weight penalty: C = C_data + Ω at the loss, and ∂C/∂Wˡ = δˡ ⊗ aˡ⁻¹ + λWˡ (or λ sign Wˡ) at the
  ∂C/∂W step, both parts visible;
- dropout: aˡ = σ(zˡ) ⊙ mˡ/(1 − p) forward, and the factor mˡ/(1 − p) in the backward chain
  δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ′(zˡ) ⊙ mˡ/(1 − p), with numbers.

``training_blocks(ctx)`` returns the blocks for the current micro-step (none when the run has no
such term), so the step's own blocks stay as they are.
"""
from __future__ import annotations

import numpy as np

from .context import Context, EquationBlock, Ref
from .context import col as as_col
from .context import row as as_row
from .latex import column, fits, matrix, num, nump, row, shape, under, weight_name


def training_blocks(ctx: Context) -> list[EquationBlock]:
    st = ctx.view.step
    if st.quantity == "C":
        return penalty_loss_blocks(ctx)
    if st.quantity == "dW":
        return penalty_grad_blocks(ctx, st.l)
    if st.quantity == "a":
        return dropout_forward_blocks(ctx, st.l)
    if st.quantity == "delta":
        return dropout_backward_blocks(ctx, st.l)
    return []


def _vec(ctx: Context, v) -> str:
    return column(v) if ctx.col else row(v)


def _shaped(ctx: Context, v) -> np.ndarray:
    """A vector as printed: N×1 with column vectors, 1×N with rows."""
    return as_col(v) if ctx.col else as_row(v)


def _derived(numbers: dict, **engine) -> dict:
    """Refs for ``numbers``: the engine's quantity where one is named in ``engine``, else "derived"."""
    return {name: engine.get(name, Ref("derived")) for name in numbers}


def _block(title, latex, numbers, text="", **engine) -> EquationBlock:
    return EquationBlock(title, latex, numbers, text, refs=_derived(numbers, **engine))


def _vshape(ctx: Context, n: int) -> str:
    return shape(n, 1) if ctx.col else shape(1, n)


# ------------------------------------------------------------------------------ the penalty
def _penalty(ctx: Context):
    net = ctx.net
    return (net.penalty, net.lam) if net.penalty.name != "none" and net.lam > 0 else (None, 0.0)


def penalty_loss_blocks(ctx: Context) -> list[EquationBlock]:
    pen, lam = _penalty(ctx)
    g = ctx.view.grads
    if pen is None or ctx.view.loss is None:
        return []
    return [_block(f"The cost with a {pen.title} penalty",
                   rf"C = C_{{\mathrm{{data}}}} + \Omega,\quad {pen.formula},\quad \lambda = {num(lam)} \qquad "
                   rf"C = {num(g.data_loss)} + {num(g.penalty)} = {num(g.loss)}",
                   {"C_data": g.data_loss, "Omega": g.penalty, "C": g.loss, "lambda": lam},
                   "The loss curve draws the two terms apart: the data loss and the penalty Ω.", C=Ref("C"))]


def penalty_grad_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    pen, lam = _penalty(ctx)
    g = ctx.view.grads
    if pen is None or ctx.view.dW[l] is None:
        return []
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    data, part, total = g.dW_data[l], g.dW_penalty[l], g.dW[l]
    term = rf"\lambda W^{{{k}}}" if pen.name == "l2" else rf"\lambda\,\operatorname{{sign}}(W^{{{k}}})"
    t = (lambda A: A) if ctx.col else (lambda A: A.T)
    tr = "" if ctx.col else r"^{\mathsf T}"
    blocks = [_block(f"Layer {k}: the gradient has two parts",
                     rf"\frac{{\partial C}}{{\partial W^{{{k}}}}}{tr} = \big(\delta^{{{k}}} \otimes a^{{{k - 1}}}\big){tr} "
                     rf"+ ({term}){tr},\qquad \lambda = {num(lam)}", {"lambda": lam},
                     f"The data part is what backprop computed; the penalty ({pen.title}) adds its own part, "
                     f"pulling every weight towards 0.  The biases are not penalised.")]
    if fits(N, M):
        sh = shape(N, M) if ctx.col else shape(M, N)
        form = "" if ctx.col else "T"
        blocks.append(_block("With numbers", rf"{under(matrix(t(total)), sh)} = {under(matrix(t(data)), sh)} + "
                             rf"{under(matrix(t(part)), sh)}",
                             {f"dC/dW^{k}": t(total), f"data dC/dW^{k}": t(data), f"penalty dC/dW^{k}": t(part)},
                             **{f"dC/dW^{k}": Ref("dW", l, form), f"data dC/dW^{k}": Ref("dW_data", l, form)}))
    else:
        fl, j, i = ctx.focus()
        j, i = (j, i) if fl == l else (0, 0)
        w = float(ctx.W(l)[j, i])
        factor = rf"{num(lam)}\cdot {nump(w)}" if pen.name == "l2" else rf"{num(lam)}\cdot \operatorname{{sign}}({nump(w)})"
        name = f"dC/dw^{k}_{j + 1}{i + 1}"
        blocks.append(_block(f"With numbers, weight {weight_name(k, j + 1, i + 1)}",
                             rf"\frac{{\partial C}}{{\partial w^{{{k}}}_{{{j + 1}{i + 1}}}}} = {num(data[j, i])} + "
                             rf"{factor} = {num(total[j, i])}", {name: float(total[j, i])},
                             **{name: Ref("dW", l, index=(j, i))}))
    return blocks


# ------------------------------------------------------------------------------ dropout
def _mask(ctx: Context, k: int):
    """(m, p) for activation layer k (an index of a[k]) when dropout dropped in it, else (None, 0)."""
    masks = ctx.view.masks
    if masks is None or masks[k] is None:
        return None, 0.0
    return np.asarray(ctx.ex(masks[k]), dtype=float), ctx.net.dropout


def dropout_forward_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k = l + 1
    m, p = _mask(ctx, k)
    if m is None or ctx.view.a[k] is None:
        return []
    N = ctx.sizes[k]
    h = np.asarray(ctx.ex(ctx.view.grads.trace.h[l]), dtype=float)
    a = np.asarray(ctx.a(k), dtype=float)
    kept = int(m.sum())
    blocks = [_block(f"Dropout in layer {k}", rf"a^{{{k}}} = \sigma(z^{{{k}}}) \odot \frac{{m^{{{k}}}}}{{1-p}},"
                     rf"\qquad p = {num(p)}", {"p": p},
                     f"While training, each hidden neuron is kept with probability 1 − p: this pass keeps "
                     f"{kept} of {N} (the dropped ones are hollow in the graph) and scales the kept ones by "
                     f"1/(1 − p) = {num(1 / (1 - p))}, so the expected activation is unchanged.  Evaluation drops nothing.")]
    if fits(N):
        sh = _vshape(ctx, N)
        form = "col" if ctx.col else "row"
        blocks.append(_block("With numbers", rf"{under(_vec(ctx, a), sh)} = {under(_vec(ctx, h), sh)} \odot "
                             rf"{under(_vec(ctx, m / (1 - p)), sh)}",
                             {f"a^{k}": _shaped(ctx, a), f"sigma(z^{k})": _shaped(ctx, h),
                              f"m^{k}/(1-p)": _shaped(ctx, m / (1 - p))}, **{f"a^{k}": Ref("a", k, form)}))
    return blocks


def dropout_backward_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    """The factor m/(1 − p) in δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ′(zˡ) ⊙ mˡ/(1 − p), for a hidden layer."""
    k = l + 1
    m, p = _mask(ctx, k)
    if m is None or l >= ctx.L - 1 or ctx.view.delta[l] is None:
        return []
    N = ctx.sizes[k]
    W, dn, s, d = ctx.W(l + 1), ctx.delta(l + 1), ctx.s(l), ctx.delta(l)
    back = W.T @ dn
    f = m / (1 - p)
    symbolic = (rf"\delta^{{{k}}} = (W^{{{k + 1}}})^{{\mathsf T}} \delta^{{{k + 1}}} \odot \sigma'(z^{{{k}}}) \odot "
                rf"\frac{{m^{{{k}}}}}{{1-p}}" if ctx.col else
                rf"\delta^{{{k}}} = \delta^{{{k + 1}}} W^{{{k + 1}}} \operatorname{{diag}}\sigma'(z^{{{k}}})\,"
                rf"\operatorname{{diag}}\frac{{m^{{{k}}}}}{{1-p}}")
    blocks = [_block(f"Dropout in the backward pass, layer {k}", symbolic + rf",\qquad p = {num(p)}", {"p": p},
                     f"a{k} = σ(z{k}) ⊙ m/(1 − p), so the chain rule carries the same factor back: a dropped "
                     f"neuron (m = 0) passes no error, a kept one scales it by {num(1 / (1 - p))}.")]
    if fits(N):
        sh = _vshape(ctx, N)
        form = "col" if ctx.col else "row"
        blocks.append(_block("With numbers", rf"{under(_vec(ctx, d), sh)} = {under(_vec(ctx, back), sh)} \odot "
                             rf"{under(_vec(ctx, s), sh)} \odot {under(_vec(ctx, f), sh)}",
                             {f"delta^{k}": _shaped(ctx, d), f"(W^{k + 1})^T delta^{k + 1}": _shaped(ctx, back),
                              f"sigma'(z^{k})": _shaped(ctx, s), f"m^{k}/(1-p)": _shaped(ctx, f)},
                             **{f"delta^{k}": Ref("delta", l, form), f"sigma'(z^{k})": Ref("s", l, form)}))
    return blocks
