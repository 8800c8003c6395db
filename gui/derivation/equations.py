"""The equations of the current micro-step: forward (z, a), loss, and the dispatcher ``build_step``.

``build_step(net, view, selection, convention)`` returns a list of EquationBlock: the equation in
symbols with each factor's shape under it, then the same equation with the current numbers.
The backward and update steps live in ``backward.py``, the output δ in ``output.py``.
"""
from __future__ import annotations

import numpy as np

from .context import Context, EquationBlock
from .latex import column, fits, matrix, num, nump, shape, sym, under


def entry_of(ctx: Context, l: int) -> int:
    """The neuron of layer l (W index) shown when the layer is too wide to print: the focus."""
    fl, j, _ = ctx.focus()
    return j if fl == l else 0


def dot_terms(ws, xs, max_terms: int = 8) -> str:
    """'w₁·x₁ + w₂·x₂ + …' with numbers; long sums keep the first and last terms."""
    parts = [rf"{nump(w)}\cdot {nump(x)}" for w, x in zip(ws, xs)]
    if len(parts) > max_terms:
        parts = parts[: max_terms - 2] + [r"\cdots"] + parts[-1:]
    return " + ".join(parts)


def input_blocks(ctx: Context) -> list[EquationBlock]:
    x = ctx.a(0)
    n = x.size
    blocks = [EquationBlock("Input", rf"{under(sym('a', 0), shape(n, 1))} = x", {},
                            "The input layer passes the example on unchanged.")]
    if fits(n):
        blocks.append(EquationBlock("Input, with numbers", rf"a^{{0}} = {under(column(x), shape(n, 1))}", {"a^0": x}))
    else:
        blocks.append(EquationBlock("Input, with numbers", rf"a^{{0}} \in \mathbb{{R}}^{{{n}}},\quad "
                                    rf"\lVert a^{{0}}\rVert = {num(np.linalg.norm(x))}", {"|a^0|": float(np.linalg.norm(x))},
                                    f"{n} inputs are too many to print; the heatmaps show them."))
    return blocks


def z_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    W, a, b, z = ctx.W(l), ctx.a(l), ctx.b(l), ctx.z(l)
    symbolic = (rf"{under(sym('z', k), shape(N, 1))} = {under(sym('W', k), shape(N, M))}\,"
                rf"{under(sym('a', k - 1), shape(M, 1))} + {under(sym('b', k), shape(N, 1))}")
    blocks = [EquationBlock(f"Weighted input of layer {k}", symbolic, {},
                            "Each neuron sums its inputs, weighted by its row of W, and adds its bias.")]
    if fits(N, M):
        latex = (rf"{under(column(z), shape(N, 1))} = {under(matrix(W), shape(N, M))}\,"
                 rf"{under(column(a), shape(M, 1))} + {under(column(b), shape(N, 1))}")
        blocks.append(EquationBlock("With numbers", latex, {f"z^{k}": z, f"W^{k}": W, f"a^{k - 1}": a, f"b^{k}": b}))
    else:
        j = entry_of(ctx, l)
        latex = (rf"z^{{{k}}}_{{{j + 1}}} = \sum_{{i=1}}^{{{M}}} w^{{{k}}}_{{{j + 1}i}}\, a^{{{k - 1}}}_{{i}} + b^{{{k}}}_{{{j + 1}}}"
                 rf" = {dot_terms(W[j], a)} + {nump(b[j])} = {num(z[j])}")
        blocks.append(EquationBlock(f"With numbers, neuron {j + 1}", latex,
                                    {f"z^{k}_{j + 1}": float(z[j]), f"b^{k}_{j + 1}": float(b[j])},
                                    f"W{k} is {N}×{M}, too large to print: the selected neuron's row."))
    return blocks


def a_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N = l + 1, ctx.sizes[l + 1]
    act = ctx.net.activations[l]
    z, a, s = ctx.z(l), ctx.a(k), ctx.s(l)
    blocks = [EquationBlock(f"Activation of layer {k}: {act.title}",
                            rf"{under(sym('a', k), shape(N, 1))} = \sigma({under(sym('z', k), shape(N, 1))}),\qquad {act.formula}",
                            {}, "σ acts on each entry of z separately." if act.elementwise else
                            "Softmax is not element-wise: every output depends on every z.")]
    if fits(N):
        blocks.append(EquationBlock("With numbers", rf"{under(column(a), shape(N, 1))} = \sigma\left({column(z)}\right)",
                                    {f"a^{k}": a, f"z^{k}": z}))
        text = ("The slope σ′(z) is known from here on; the backward pass will need it."
                if act.elementwise else "For softmax this is the diagonal a(1 − a) of its Jacobian diag(a) − a aᵀ.")
        blocks.append(EquationBlock("Its slope", rf"\sigma'(z^{{{k}}}) = {column(s)},\qquad {act.prime_formula}",
                                    {f"sigma'(z^{k})": s}, text))
    else:
        j = entry_of(ctx, l)
        blocks.append(EquationBlock(f"With numbers, neuron {j + 1}",
                                    rf"a^{{{k}}}_{{{j + 1}}} = \sigma({num(z[j])}) = {num(a[j])},\qquad "
                                    rf"\sigma'(z^{{{k}}}_{{{j + 1}}}) = {num(s[j])}",
                                    {f"a^{k}_{j + 1}": float(a[j]), f"sigma'(z^{k}_{j + 1})": float(s[j])}))
    return blocks


def _loss_terms(name: str, a, y) -> str:
    if name in ("half_sse", "sse", "mse"):
        inner = " + ".join(rf"({num(p)} - {nump(t)})^2" for p, t in zip(a, y))
        pre = {"half_sse": r"\tfrac{1}{2}", "sse": "", "mse": rf"\tfrac{{1}}{{{len(a)}}}"}[name]
        return rf"{pre}\left[{inner}\right]"
    if name == "cross_entropy":
        return r"-\left[" + " + ".join(rf"{num(t)}\log {num(p)}" for p, t in zip(a, y)) + r"\right]"
    return r"-\left[" + " + ".join(rf"{num(t)}\log {num(p)} + {nump(1 - t)}\log {nump(1 - p)}"
                                   for p, t in zip(a, y)) + r"\right]"


def loss_blocks(ctx: Context) -> list[EquationBlock]:
    loss, L = ctx.net.loss, ctx.L
    a, y = ctx.a(L), ctx.y()
    g = ctx.view.grads
    c = float(np.asarray(g.losses).reshape(-1)[ctx.example]) if ctx.batched else float(ctx.view.loss)
    blocks = [EquationBlock(f"Loss: {loss.title}", loss.formula, {},
                            f"The cost compares the output a{L} with the target y.")]
    numbers = {f"a^{L}": a, "y": y, "C": c}
    if a.size <= 4:
        latex = rf"C = {_loss_terms(loss.name, a, y)} = {num(c)}"
        numbers = {**{f"a^{L}_{j + 1}": float(v) for j, v in enumerate(a)},
                   **{f"y_{j + 1}": float(v) for j, v in enumerate(y)}, "C": c}
    elif fits(a.size):
        latex = rf"a^{{{L}}} = {column(a)},\quad y = {column(y)},\quad C = {num(c)}"
    else:
        latex, numbers = rf"C(a^{{{L}}}, y) = {num(c)}", {"C": c}
    blocks.append(EquationBlock("With numbers", latex, numbers))
    if ctx.batched:
        blocks.append(EquationBlock("Over the batch", rf"C_{{\mathrm{{batch}}}} = \tfrac{{1}}{{{ctx.batch_size}}}\sum_n C_n = {num(g.loss)}",
                                    {"C_batch": float(g.loss)}, f"Example {ctx.example + 1} of {ctx.batch_size}."))
    return blocks


def build_step(net, view, selection=None, convention: str = "column", example: int = 0) -> list[EquationBlock]:
    """The blocks of the current micro-step of ``view`` (see module docstring)."""
    from .backward import db_blocks, delta_blocks, dW_blocks
    from .update import update_blocks
    from .output import output_delta_blocks
    ctx = Context(net, view, selection, convention, example)
    st = view.step
    if st.quantity == "x":
        return input_blocks(ctx)
    if st.quantity == "z":
        return z_blocks(ctx, st.l)
    if st.quantity == "a":
        return a_blocks(ctx, st.l)
    if st.quantity == "C":
        return loss_blocks(ctx)
    if st.quantity == "delta":
        return output_delta_blocks(ctx) if st.l == net.L - 1 else delta_blocks(ctx, st.l)
    if st.quantity == "dW":
        return dW_blocks(ctx, st.l)
    if st.quantity == "db":
        return db_blocks(ctx, st.l)
    return update_blocks(ctx)
