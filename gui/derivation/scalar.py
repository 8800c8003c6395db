"""The scalar form for one neuron and one weight, how the scalars stack into the matrix form, and
the native matrix route of the question 'matrix form of backpropagation' (denominator layout).

Hidden layer:  δ_j^l = Σ_m δ_m^{l+1} w_mj^{l+1} σ′(z_j^l): the sum over m is a product with W, the
factor σ′(z_j) touches row j only — diag σ′(z), zeros off the diagonal because z_j moves a_j alone.
Output layer:  δ_j^L = Σ_k ∂C/∂a_k ∂a_k/∂z_j; for an element-wise σ only k = j survives (diag σ′),
for softmax every k does: ∂a_k/∂z_j = a_k(δ_kj − a_j), the full Jacobian.
∂C/∂w_ji^l = δ_j^l a_i^{l-1}, every term with its value.
"""
from __future__ import annotations

from .backward import neuron_delta_block
from engine.notation import indices, sup, weight_name

from .context import Context, EquationBlock, Ref, col, row
from .latex import column, dCdW, dot_terms, fits, lines, matrix, num, nump, shape, under, weight
from .latex import row as row_tex

NOTATION_SE = ("Notation map — the question 'matrix form of backpropagation' (StackExchange): its W_ij joins "
               "neuron i of layer k to neuron j of layer k+1, so its z = Wᵀa + b and its W is our Wᵀ (our w_ji is its "
               "W_ij); its layer (k+1) is our layer l, its E our C.")


def _delta_scalar(ctx: Context, l: int, j: int) -> EquationBlock:
    k, L, J = l + 1, ctx.L, j + 1
    d = ctx.delta(l)
    title = f"δ of neuron {J}, layer {k}"
    if l < L - 1:
        if d is None:
            return EquationBlock(title, rf"\delta^{{{k}}}_{{{J}}} = \Big(\sum_m \delta^{{{k + 1}}}_m\, {weight(k + 1, 'm', J)}\Big)"
                                        rf"\,\sigma'(z^{{{k}}}_{{{J}}})", {},
                                 f"The error signal of neuron {J} in layer {k}; its value appears when the backward pass reaches layer {k}.")
        block = neuron_delta_block(ctx, l, j)
        block.title, block.text = title, f"The error signal of neuron {J} in layer {k}: every path through layer {k + 1}."
        return block
    act, loss = ctx.net.activations[-1], ctx.net.loss
    if loss.is_fused(act):
        sym = rf"\delta^{{{k}}}_{{{J}}} = a^{{{k}}}_{{{J}}} - y_{{{J}}}"
    elif act.elementwise:
        sym = rf"\delta^{{{k}}}_{{{J}}} = \frac{{\partial C}}{{\partial a^{{{k}}}_{{{J}}}}}\,\sigma'(z^{{{k}}}_{{{J}}})"
    else:
        sym = (rf"\delta^{{{k}}}_{{{J}}} = \sum_{{m=1}}^{{{ctx.sizes[-1]}}} \frac{{\partial C}}{{\partial a^{{{k}}}_m}}\,"
               rf"\frac{{\partial a^{{{k}}}_m}}{{\partial z^{{{k}}}_{{{J}}}}} = \sum_m \frac{{\partial C}}{{\partial a^{{{k}}}_m}}\,"
               rf"a^{{{k}}}_m(\delta_{{{indices('m', J)}}} - a^{{{k}}}_{{{J}}})")
    if d is None:
        return EquationBlock(title, sym, {}, f"The error signal of output neuron {J}; its value appears at the output's backward step.")
    dj = f"delta^{k}_{J}"
    refs = {dj: Ref("delta", l, index=(j,))}
    if loss.is_fused(act):
        a, y = ctx.a(k), ctx.y()
        numbers = {dj: float(d[j]), f"a_{J}": float(a[j]), f"y_{J}": float(y[j])}
        refs.update({f"a_{J}": Ref("a", k, index=(j,)), f"y_{J}": Ref("y", index=(j,))})
        return EquationBlock(title, rf"{sym} = {num(a[j])} - {nump(y[j])} = {num(d[j])}", numbers,
                             loss.derivation(act), refs=refs, claim=dj, expr=("-", f"a_{J}", f"y_{J}"))
    g = ctx.dC_da()
    if act.elementwise:
        s = ctx.s(l)
        numbers = {dj: float(d[j]), f"dC/da_{J}": float(g[j]), f"sigma'_{J}": float(s[j])}
        refs.update({f"dC/da_{J}": Ref("dC_da", index=(j,)), f"sigma'_{J}": Ref("s", l, index=(j,))})
        return EquationBlock(title, rf"{sym} = {num(g[j])}\cdot {nump(s[j])} = {num(d[j])}", numbers,
                             "Only a_j depends on z_j: one term of the chain rule survives.", refs=refs,
                             claim=dj, expr=("*", f"dC/da_{J}", f"sigma'_{J}"))
    Jcol = ctx.J(l)[:, j]
    numbers = {dj: float(d[j]), "dC/da": g, f"J_m{J}": Jcol}
    refs.update({"dC/da": Ref("dC_da"), f"J_m{J}": Ref("J", l, index=(slice(None), j))})
    return EquationBlock(title, rf"{sym} = {dot_terms(g, Jcol, 10)} = {num(d[j])}", numbers,
                         f"Softmax couples the outputs: z_{J} moves every a_m, so every term of the sum counts "
                         f"(a_m(δ_m{J} − a_{J}) is entry (m, {J}) of the Jacobian diag(a) − a aᵀ).",
                         refs=refs, inline=("dC/da", f"J_m{J}"), claim=dj, expr=("sum", ("*", "dC/da", f"J_m{J}")))


def _weight_scalar(ctx: Context, l: int, j: int, i: int) -> EquationBlock:
    k, J, I = l + 1, j + 1, i + 1
    sym = rf"{dCdW(k, indices(J, I))} = \frac{{\partial C}}{{\partial z^{{{k}}}_{{{J}}}}}\,\frac{{\partial z^{{{k}}}_{{{J}}}}}{{\partial {weight(k, J, I)}}} = \delta^{{{k}}}_{{{J}}}\, a^{{{k - 1}}}_{{{I}}}"
    text = "w_ji reaches C only through z_j, and ∂z_j/∂w_ji = a_i: the input it multiplies."
    G = ctx.dW(l)
    if G is None:
        return EquationBlock(f"Gradient of weight {weight_name(k, J, I)}", sym, {},
                             text + f"  Its value appears at the weight-gradient step of layer {k}.")
    d, a = ctx.delta(l), ctx.a(l)
    g, dj, ai = f"dC/dw^{k}_{J}{I}", f"delta^{k}_{J}", f"a^{k - 1}_{I}"
    return EquationBlock(f"Gradient of weight {weight_name(k, J, I)}", rf"{sym} = {num(d[j])}\cdot {nump(a[i])} = {num(G[j, i])}",
                         {g: float(G[j, i]), dj: float(d[j]), ai: float(a[i])}, text,
                         refs={g: Ref("dW_data", l, index=(j, i)), dj: Ref("delta", l, index=(j,)), ai: Ref("a", l, index=(i,))},
                         claim=g, expr=("*", dj, ai))


def _stack_delta(ctx: Context, l: int) -> EquationBlock:
    k, L = l + 1, ctx.L
    act = ctx.net.activations[l]
    if l == L - 1 and not act.elementwise:
        J = act.jacobian_latex(k)
        latex = (rf"\delta^{{{k}}} = {J}^{{\mathsf{{T}}}}\,\nabla_{{a^{{{k}}}}}C" if ctx.col else
                 rf"\delta^{{{k}}} = \frac{{\partial C}}{{\partial a^{{{k}}}}}\,{J}")
        return EquationBlock("From scalars to the matrix form", latex, {},
                             "Stack δ_j for j = 1 … N: the sum over m is a product with the matrix of a_m(δ_mj − a_j), "
                             "the softmax Jacobian diag(a) − a aᵀ — a full matrix, because every output moves with every z.  "
                             "Nothing here is element-wise, so there is no ⊙ and no diag σ′.")
    if l == L - 1:
        g = r"\frac{\partial C}{\partial a_{%s}}"
        entries = (g % 1, g % "N")
        mix = "here the loss's slope ∂C/∂a takes the place of the sum: there is no next layer"
    else:
        entries = (rf"\sum_m \delta^{{{k + 1}}}_m {weight(k + 1, 'm', 1)}", rf"\sum_m \delta^{{{k + 1}}}_m {weight(k + 1, 'm', 'N')}")
        mix = (f"the sum over m mixes every neuron of layer {k + 1}: that is a matrix product with W{sup(k + 1)} "
               + ("(transposed, since column j of W holds the weights out of neuron j)" if ctx.col else "(no transpose needed with row vectors)"))
    if ctx.col:
        lhs = rf"\begin{{bmatrix}}\delta^{{{k}}}_1 \\ \vdots \\ \delta^{{{k}}}_N\end{{bmatrix}} = "
        stack = (rf"\begin{{bmatrix}}{entries[0]} \\ \vdots \\ {entries[1]}\end{{bmatrix}} \odot "
                 rf"\begin{{bmatrix}}\sigma'(z^{{{k}}}_1) \\ \vdots \\ \sigma'(z^{{{k}}}_N)\end{{bmatrix}}")
        closed = (rf"\nabla_{{a^{{{k}}}}}C \odot \sigma'(z^{{{k}}}) = \operatorname{{diag}}\sigma'(z^{{{k}}})\,\nabla_{{a^{{{k}}}}}C"
                  if l == L - 1 else rf"(W^{{{k + 1}}})^{{\mathsf{{T}}}}\delta^{{{k + 1}}} \odot \sigma'(z^{{{k}}}) = "
                                     rf"\operatorname{{diag}}\sigma'(z^{{{k}}})\,(W^{{{k + 1}}})^{{\mathsf{{T}}}}\delta^{{{k + 1}}}")
    else:
        lhs = rf"\begin{{bmatrix}}\delta^{{{k}}}_1 & \cdots & \delta^{{{k}}}_N\end{{bmatrix}} = "
        stack = (rf"\begin{{bmatrix}}{entries[0]} & \cdots & {entries[1]}\end{{bmatrix}} \odot "
                 rf"\begin{{bmatrix}}\sigma'(z^{{{k}}}_1) & \cdots & \sigma'(z^{{{k}}}_N)\end{{bmatrix}}")
        closed = (rf"\frac{{\partial C}}{{\partial a^{{{k}}}}}\,\operatorname{{diag}}\sigma'(z^{{{k}}})" if l == L - 1
                  else rf"\delta^{{{k + 1}}}\,W^{{{k + 1}}}\,\operatorname{{diag}}\sigma'(z^{{{k}}})")
    text = (f"Stack the scalar equations for j = 1 … N, one per {'row' if ctx.col else 'column'}.  In layer {k} {mix}.  "
            f"The slope σ′(z_j) multiplies entry j only — {act.name} is element-wise, so z_j moves a_j and no other "
            "activation — stacked it is an element-wise product ⊙; as a matrix it is diagonal, diag σ′(z).")
    return EquationBlock("From scalars to the matrix form", lhs + stack + " = " + closed, {}, text)


def _stack_weights(ctx: Context, l: int) -> EquationBlock:
    k = l + 1
    if ctx.col:
        latex = (rf"\left[\frac{{\partial C}}{{\partial w^{{{k}}}_{{ji}}}}\right]_{{j,i}} = \left[\delta^{{{k}}}_j\, a^{{{k - 1}}}_i\right]_{{j,i}}"
                 rf" = \delta^{{{k}}}\,(a^{{{k - 1}}})^{{\mathsf{{T}}}}")
        text = "Stacking δ_j a_i with j down the rows and i along the columns is the outer product δ aᵀ, shaped like W."
    else:
        latex = (rf"\left[\frac{{\partial C}}{{\partial w^{{{k}}}_{{ji}}}}\right]_{{i,j}} = \left[a^{{{k - 1}}}_i\,\delta^{{{k}}}_j\right]_{{i,j}}"
                 rf" = a^{{{k - 1}}} \otimes \delta^{{{k}}}")
        text = "With row-vector gradients the Jacobian ∂C/∂W is laid out with i down the rows: the outer product a ⊗ δ, shaped like Wᵀ."
    return EquationBlock("From scalars to the weight gradient", latex, {}, text)


def _native_route(ctx: Context, l: int) -> list[EquationBlock]:
    """The chain rule in denominator layout, ∇_a C = (∂z/∂a)ᵀ ∇_z C, for a hidden layer; with numbers."""
    k = l + 1
    if l == ctx.L - 1:
        return []
    N, M = ctx.sizes[l + 1], ctx.sizes[l + 2]
    latex = lines(rf"\nabla_{{a^{{{k}}}}}C &= \left(\frac{{\partial z^{{{k + 1}}}}}{{\partial a^{{{k}}}}}\right)^{{\mathsf{{T}}}}\nabla_{{z^{{{k + 1}}}}}C"
                  rf" = (W^{{{k + 1}}})^{{\mathsf{{T}}}}\,\delta^{{{k + 1}}}",
                  rf"\nabla_{{z^{{{k}}}}}C &= \left(\frac{{\partial a^{{{k}}}}}{{\partial z^{{{k}}}}}\right)^{{\mathsf{{T}}}}\nabla_{{a^{{{k}}}}}C"
                  rf" = \operatorname{{diag}}\sigma'(z^{{{k}}})\,\nabla_{{a^{{{k}}}}}C")
    text = ("The native matrix route the question asks for: with column vectors (denominator layout) a gradient is a "
            "column, and the chain rule multiplies it by the transposed Jacobian of each map, ∇_a C = (∂z/∂a)ᵀ ∇_z C.  "
            "z = W a + b has ∂z/∂a = W, so Wᵀ appears by itself; a = σ(z) has the diagonal Jacobian diag σ′(z), "
            "which is the ⊙ σ′.  Nothing is fitted to the scalar form." +
            ("" if ctx.col else "  (In the row layout of this panel the same step reads ∂C/∂a = ∂C/∂z · ∂z/∂a = δ W.)"))
    blocks = [EquationBlock("The matrix route, denominator layout", latex, {}, NOTATION_SE + "  " + text)]
    dn = ctx.delta(l + 1)
    if dn is None or not fits(N, M):
        return blocks
    W = ctx.W(l + 1)
    g, ga, dn_ = W.T @ dn, f"grad_a^{k} C", f"delta^{k + 1}"
    derived = Ref("derived", l, needs=(("delta", l + 1),))
    if ctx.col:
        WT = f"(W^{k + 1})^T"
        latex = (rf"\nabla_{{a^{{{k}}}}}C = {under(matrix(W.T), shape(N, M))}\,"
                 rf"{under(column(dn), shape(M, 1))} = {under(column(g), shape(N, 1))}")
        numbers = {WT: W.T, dn_: col(dn), ga: col(g)}
        refs = {WT: Ref("W", l + 1, "T"), dn_: Ref("delta", l + 1, "col"), ga: derived}
        expr = ("@", WT, dn_)
    else:
        Wn = f"W^{k + 1}"
        latex = (rf"\frac{{\partial C}}{{\partial a^{{{k}}}}} = {under(row_tex(dn), shape(1, M))}\,"
                 rf"{under(matrix(W), shape(M, N))} = {under(row_tex(g), shape(1, N))}")
        numbers = {dn_: row(dn), Wn: W, ga: row(g)}
        refs = {dn_: Ref("delta", l + 1, "row"), Wn: Ref("W", l + 1), ga: derived}
        expr = ("@", dn_, Wn)
    blocks.append(EquationBlock("With numbers", latex, numbers,
                                "Then δ = ∇_a C ⊙ σ′(z), the numbers of the backward step." if ctx.col else
                                "Then δ = ∂C/∂a · diag σ′(z), the numbers of the backward step.",
                                refs=refs, claim=ga, expr=expr))
    return blocks


def scalar_blocks(net, view, selection=None, convention: str = "column", example: int = 0) -> list[EquationBlock]:
    ctx = Context(net, view, selection, convention, example)
    l, j, i = ctx.focus()
    return ([_delta_scalar(ctx, l, j), _weight_scalar(ctx, l, j, i), _stack_delta(ctx, l), _stack_weights(ctx, l)]
            + _native_route(ctx, l))
