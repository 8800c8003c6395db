"""The forward micro-steps with numbers: the input, z = W a + b, a = σ(z) with its slope, the loss.

Forward quantities are column vectors in both conventions (the convention is about gradients).
"""
from __future__ import annotations

import numpy as np

from engine.notation import sup

from .context import Context, EquationBlock, Ref, col
from .latex import column, dot_terms, fits, keep, lines, matrix, num, nump, shape, sym, under, weight


def input_blocks(ctx: Context) -> list[EquationBlock]:
    x = ctx.a(0)
    n = x.size
    blocks = [EquationBlock("Input", rf"{under(sym('a', 0), shape(n, 1))} = x", {},
                            "The input layer passes the example on unchanged.")]
    if fits(n):
        blocks.append(EquationBlock("Input, with numbers", rf"a^{{0}} = {under(column(x), shape(n, 1))}",
                                    {"a^0": col(x)}, refs={"a^0": Ref("a", 0, "col")}))
    else:
        norm = float(np.linalg.norm(x))
        blocks.append(EquationBlock("Input, with numbers", rf"a^{{0}} \in \mathbb{{R}}^{{{n}}},\quad "
                                    rf"\lVert a^{{0}}\rVert = {num(norm)}", {"|a^0|": norm},
                                    f"{n} inputs are too many to print; the heatmaps show them.",
                                    refs={"|a^0|": Ref("a", 0, "norm")}))
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
        names = (f"z^{k}", f"W^{k}", f"a^{k - 1}", f"b^{k}")
        blocks.append(EquationBlock("With numbers", latex, dict(zip(names, (col(z), W, col(a), col(b)))),
                                    refs=dict(zip(names, (Ref("z", l, "col"), Ref("W", l), Ref("a", l, "col"),
                                                          Ref("b", l, "col")))),
                                    claim=names[0], expr=("+", ("@", names[1], names[2]), names[3])))
    else:
        j, _ = ctx.entry(l)
        J = j + 1
        w, zj, bj = f"w^{k}_{J}", f"z^{k}_{J}", f"b^{k}_{J}"
        latex = (rf"z^{{{k}}}_{{{J}}} = \sum_{{i=1}}^{{{M}}} {weight(k, J, 'i')}\, a^{{{k - 1}}}_{{i}} + b^{{{k}}}_{{{J}}}"
                 rf" = {dot_terms(W[j], a)} + {nump(b[j])} = {num(z[j])}")
        numbers = {zj: float(z[j]), bj: float(b[j])}
        refs = {zj: Ref("z", l, index=(j,)), bj: Ref("b", l, index=(j,))}
        expr = None
        if M <= 8:      # every term printed: the sum can be checked term by term
            numbers.update({w: W[j], f"a^{k - 1}": a})
            refs.update({w: Ref("W", l, index=(j,)), f"a^{k - 1}": Ref("a", l)})
            expr = ("+", ("sum", ("*", w, f"a^{k - 1}")), bj)
        blocks.append(EquationBlock(f"With numbers, neuron {J}", latex, numbers,
                                    f"W{sup(k)} is {N}×{M}, too large to print: the selected neuron's row.",
                                    refs=refs, claim=zj if expr else None, expr=expr,
                                    inline=(w, f"a^{k - 1}") if expr else ()))
    return blocks


def a_blocks(ctx: Context, l: int) -> list[EquationBlock]:
    k, N = l + 1, ctx.sizes[l + 1]
    act = ctx.net.activations[l]
    z, a, s, f = ctx.z(l), ctx.a(k), ctx.s(l), ctx.keep(k)
    drop = "" if f is None else rf" \odot {under(keep(k), shape(N, 1))}"
    text = "σ acts on each entry of z separately." if act.elementwise else \
        "Softmax is not element-wise: every output depends on every z."
    if f is not None:
        p = ctx.net.dropout
        text += (f"  Dropout, p = {num(p)}: while training each neuron is kept with probability 1 − p; this pass "
                 f"keeps {int(np.count_nonzero(f))} of {N} (the dropped ones are hollow in the graph) and scales the "
                 f"kept ones by 1/(1 − p) = {num(1 / (1 - p))}, so the expected activation is unchanged.  "
                 "Evaluation drops nothing.")
    blocks = [EquationBlock(f"Activation of layer {k}: {act.display_name}",
                            rf"{under(sym('a', k), shape(N, 1))} = \sigma({under(sym('z', k), shape(N, 1))}){drop},\qquad {act.formula}",
                            {}, text)]
    fk = f"m^{k}/(1-p)"
    if fits(N):
        numbers = {f"a^{k}": col(a), f"z^{k}": col(z)}
        refs = {f"a^{k}": Ref("a", k, "col"), f"z^{k}": Ref("z", l, "col")}
        expr = ("act", act.name, f"z^{k}")
        latex = rf"{under(column(a), shape(N, 1))} = \sigma\left({column(z)}\right)"
        if f is not None:
            numbers[fk], refs[fk], expr = col(f), ctx.keep_ref(k), ("*", expr, fk)
            latex += rf" \odot {column(f)}"
        blocks.append(EquationBlock("With numbers", latex, numbers, refs=refs, claim=f"a^{k}", expr=expr))
        if act.elementwise:
            blocks.append(EquationBlock("Its slope", rf"\sigma'(z^{{{k}}}) = {column(s)},\qquad {act.prime_formula}",
                                        {f"sigma'(z^{k})": col(s)},
                                        "The slope σ′(z) is known from here on; the backward pass will need it.",
                                        refs={f"sigma'(z^{k})": Ref("s", l, "col")}))
        else:
            Jm = ctx.J(l)
            blocks.append(EquationBlock("Its Jacobian", rf"{act.jacobian_latex(k)} = \frac{{\partial a^{{{k}}}}}{{\partial z^{{{k}}}}} = "
                                        rf"\operatorname{{diag}}(a^{{{k}}}) - a^{{{k}}}(a^{{{k}}})^{{\mathsf{{T}}}} = "
                                        rf"{under(matrix(Jm), shape(N, N))},\qquad {act.prime_formula}",
                                        {f"J(z^{k})": Jm},
                                        "Every output moves with every z: the Jacobian is a full matrix, not a diagonal one.  "
                                        "The backward pass will need all of it.",
                                        refs={f"J(z^{k})": Ref("J", l)}))
    else:
        j, _ = ctx.entry(l)
        J = j + 1
        numbers = {f"a^{k}_{J}": float(a[j]), f"z^{k}_{J}": float(z[j]), f"sigma'(z^{k}_{J})": float(s[j])}
        refs = {f"a^{k}_{J}": Ref("a", k, index=(j,)), f"z^{k}_{J}": Ref("z", l, index=(j,)),
                f"sigma'(z^{k}_{J})": Ref("s", l, index=(j,))}
        expr = ("act", act.name, f"z^{k}_{J}")
        value = rf"\sigma({num(z[j])})"
        if f is not None:
            fj = f"m^{k}_{J}/(1-p)"
            numbers[fj], refs[fj], expr = float(f[j]), ctx.keep_ref(k), ("*", expr, fj)
            value += rf"\cdot {num(f[j])}"
        blocks.append(EquationBlock(f"With numbers, neuron {J}",
                                    rf"a^{{{k}}}_{{{J}}} = {value} = {num(a[j])},\qquad "
                                    rf"\sigma'(z^{{{k}}}_{{{J}}}) = {num(s[j])}", numbers, refs=refs,
                                    claim=f"a^{k}_{J}" if act.elementwise else None,
                                    expr=expr if act.elementwise else None))
    return blocks


def _softmax_loss_in_z(ctx: Context, c: float) -> EquationBlock:
    """Softmax with cross-entropy written in z, the form the differential is read from (Wong, Part 3):
    C = −yᵀ log p = −yᵀz + log 1ᵀeᶻ, with this example's two terms."""
    L = ctx.L
    z, y = np.asarray(ctx.z(L - 1), dtype=float).reshape(-1), np.asarray(ctx.y(), dtype=float).reshape(-1)
    yz, total = float(y @ z), float(np.exp(z - z.max()).sum())
    log_total = float(z.max() + np.log(total))               # log 1ᵀeᶻ, computed without overflow
    latex = lines(rf"C &= -y^{{\mathsf{{T}}}}\log p^{{{L}}} = -y^{{\mathsf{{T}}}}z^{{{L}}} + \log \mathbf{{1}}^{{\mathsf{{T}}}}e^{{z^{{{L}}}}}",
                  rf"&= -({num(yz)}) + {num(log_total)} = {num(log_total - yz)}")
    return EquationBlock("The loss written in z, for differentiating", latex,
                         {"y^T z": yz, "log 1^T e^z": log_total, "C_z": log_total - yz},
                         "With p = softmax(z) = eᶻ / 1ᵀeᶻ, log p = z − log 1ᵀeᶻ, and 1ᵀy = 1 for a one-hot (or any "
                         "probability) target: the loss is a linear term in z and a log-sum-exp, whose differential "
                         f"(the δ{sup(L)} step) reads dC = (p − y)ᵀ dz.  The same C as above, {num(c)}.",
                         refs={"y^T z": Ref("derived", L - 1, needs=(("z", L - 1),)),
                               "log 1^T e^z": Ref("derived", L - 1, needs=(("z", L - 1),)),
                               "C_z": Ref("derived", L - 1, needs=(("C", L - 1),))})


def loss_blocks(ctx: Context) -> list[EquationBlock]:
    loss, L = ctx.net.loss, ctx.L
    a, y = ctx.a(L), ctx.y()
    g = ctx.view.grads
    c = float(np.asarray(g.losses).reshape(-1)[ctx.example]) if ctx.batched else float(ctx.view.loss)
    blocks = [EquationBlock(f"Loss: {loss.display_name}", loss.formula, {},
                            f"The cost compares the output a{sup(L)} with the target y.")]
    aL = f"a^{L}"
    if a.size <= 4:
        latex = rf"C = {loss.terms_latex(a, y, num)} = {num(c)}"
        numbers, refs, inline = {aL: a, "y": y, "C": c}, {aL: Ref("a", L), "y": Ref("y"), "C": Ref("C")}, (aL, "y")
    elif fits(a.size):
        latex = rf"a^{{{L}}} = {column(a)},\quad y = {column(y)},\quad C = {num(c)}"
        numbers, refs, inline = ({aL: col(a), "y": col(y), "C": c},
                                 {aL: Ref("a", L, "col"), "y": Ref("y", 0, "col"), "C": Ref("C")}, ())
    else:
        latex, numbers, refs, inline = rf"C(a^{{{L}}}, y) = {num(c)}", {"C": c}, {"C": Ref("C")}, ()
    full = aL in numbers
    blocks.append(EquationBlock("With numbers", latex, numbers, refs=refs, inline=inline,
                                claim="C" if full else None, expr=("loss", loss.name, aL, "y") if full else None))
    if loss.name == "cross_entropy" and ctx.net.activations[-1].output_symbol == "p" and ctx.z(L - 1) is not None:
        blocks.append(_softmax_loss_in_z(ctx, c))
    if ctx.batched:
        blocks.append(EquationBlock("Over the batch", rf"C_{{\mathrm{{batch}}}} = \tfrac{{1}}{{{ctx.batch_size}}}\sum_n C_n = {num(g.loss)}",
                                    {"C_batch": float(g.loss)}, f"Example {ctx.example + 1} of {ctx.batch_size}.",
                                    refs={"C_batch": Ref("derived", needs=(("C", ctx.L - 1),))}))
    return blocks
