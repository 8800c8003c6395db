"""The scalar form for one neuron and one weight, and why the stacked form has a diagonal σ′.

δ_j^l = Σ_k δ_k^{l+1} w_kj^{l+1} σ′(z_j^l)  and  ∂C/∂w_ji^l = δ_j^l a_i^{l-1}, every term with its
value; then stacking the scalars row by row: the sum over k is a matrix product with W, the factor
σ′(z_j) touches only row j — an element-wise product, i.e. multiplication by diag σ′(z).
"""
from __future__ import annotations

from .context import Context, EquationBlock
from .equations import dot_terms
from .latex import dCdW, num, nump, weight_name

STACK_TEXT = ("Stack the scalar equations for j = 1 … N, one per row.  The sum over m mixes every neuron of the "
              "next layer: that is a matrix product with W{n} ({t}).  The slope σ′(z_j) multiplies row j only — "
              "neuron j's slope touches nothing but its own δ_j — so stacked it is an element-wise product ⊙; "
              "written as a matrix it is diagonal, diag σ′(z{k}), whose zeros off the diagonal say that z_j moves "
              "a_j and no other activation.  W enters as a full matrix, σ′ as a diagonal one.")


def _delta_scalar(ctx: Context, l: int, j: int) -> EquationBlock:
    k, L = l + 1, ctx.L
    J = j + 1
    d = ctx.delta(l)
    if l == L - 1:
        act, loss = ctx.net.activations[-1], ctx.net.loss
        if loss.is_fused(act):
            sym = rf"\delta^{{{k}}}_{{{J}}} = a^{{{k}}}_{{{J}}} - y_{{{J}}}"
            vals = "" if d is None else rf" = {num(ctx.a(k)[j])} - {nump(ctx.y()[j])} = {num(d[j])}"
        elif act.elementwise:
            sym = rf"\delta^{{{k}}}_{{{J}}} = \frac{{\partial C}}{{\partial a^{{{k}}}_{{{J}}}}}\,\sigma'(z^{{{k}}}_{{{J}}})"
            vals = "" if d is None else rf" = {num(ctx.dC_da()[j])}\cdot {nump(ctx.s(l)[j])} = {num(d[j])}"
        else:
            sym = rf"\delta^{{{k}}}_{{{J}}} = \sum_m \frac{{\partial C}}{{\partial a^{{{k}}}_m}}\,\frac{{\partial a^{{{k}}}_m}}{{\partial z^{{{k}}}_{{{J}}}}}"
            vals = "" if d is None else rf" = {num(d[j])}"
    else:
        W, M = ctx.W(l + 1), ctx.sizes[l + 2]
        sym = (rf"\delta^{{{k}}}_{{{J}}} = \Big(\sum_{{m=1}}^{{{M}}} \delta^{{{k + 1}}}_m\, w^{{{k + 1}}}_{{m{J}}}\Big)\,"
               rf"\sigma'(z^{{{k}}}_{{{J}}})")
        dn = ctx.delta(l + 1)
        vals = "" if d is None else rf" = \big({dot_terms(dn, W[:, j], 10)}\big)\cdot {nump(ctx.s(l)[j])} = {num(d[j])}"
    numbers = {} if d is None else {f"delta^{k}_{J}": float(d[j])}
    text = (f"The error signal of neuron {J} in layer {k}." if d is not None else
            f"The error signal of neuron {J} in layer {k}; its value appears when the backward pass reaches layer {k}.")
    return EquationBlock(f"δ of neuron {J}, layer {k}", sym + vals, numbers, text)


def _weight_scalar(ctx: Context, l: int, j: int, i: int) -> EquationBlock:
    k, J, I = l + 1, j + 1, i + 1
    d = ctx.delta(l)
    sym = rf"{dCdW(k, f'{J}{I}')} = \delta^{{{k}}}_{{{J}}}\, a^{{{k - 1}}}_{{{I}}}"
    if d is None:
        return EquationBlock(f"Gradient of weight {weight_name(k, J, I)}", sym, {},
                             f"w_ji reaches C only through z_j, and ∂z_j/∂w_ji = a_i: the input it multiplies.")
    a = ctx.a(l)
    g = float(d[j] * a[i])
    return EquationBlock(f"Gradient of weight {weight_name(k, J, I)}", rf"{sym} = {num(d[j])}\cdot {nump(a[i])} = {num(g)}",
                         {f"dC/dw^{k}_{J}{I}": g},
                         "w_ji reaches C only through z_j, and ∂z_j/∂w_ji = a_i: the input it multiplies.")


def _stack_delta(ctx: Context, l: int) -> EquationBlock:
    k, L = l + 1, ctx.L
    if l == L - 1:
        g = r"\frac{\partial C}{\partial a_{%s}}"
        entries = (g % 1, g % "N")
        w_part = "the loss's slope"
        t = "here the loss's slope ∂C/∂a takes W's place"
    else:
        entries = (r"\sum_m \delta^{%d}_m w^{%d}_{m1}" % (k + 1, k + 1), r"\sum_m \delta^{%d}_m w^{%d}_{mN}" % (k + 1, k + 1))
        w_part = None
        t = "transposed, since column j of W holds the weights out of neuron j" if ctx.col else "no transpose needed with row vectors"
    if ctx.col:
        lhs = rf"\begin{{bmatrix}}\delta^{{{k}}}_1 \\ \vdots \\ \delta^{{{k}}}_N\end{{bmatrix}} = "
        stack = (rf"\begin{{bmatrix}}{entries[0]} \\ \vdots \\ {entries[1]}\end{{bmatrix}} \odot "
                 rf"\begin{{bmatrix}}\sigma'(z^{{{k}}}_1) \\ \vdots \\ \sigma'(z^{{{k}}}_N)\end{{bmatrix}}")
        closed = (rf"\nabla_{{a^{{{k}}}}}C \odot \sigma'(z^{{{k}}}) = \operatorname{{diag}}\sigma'(z^{{{k}}})\,\nabla_{{a^{{{k}}}}}C"
                  if w_part else rf"(W^{{{k + 1}}})^{{\mathsf{{T}}}}\delta^{{{k + 1}}} \odot \sigma'(z^{{{k}}}) = "
                                 rf"\operatorname{{diag}}\sigma'(z^{{{k}}})\,(W^{{{k + 1}}})^{{\mathsf{{T}}}}\delta^{{{k + 1}}}")
    else:
        lhs = rf"\begin{{bmatrix}}\delta^{{{k}}}_1 & \cdots & \delta^{{{k}}}_N\end{{bmatrix}} = "
        stack = (rf"\begin{{bmatrix}}{entries[0]} & \cdots & {entries[1]}\end{{bmatrix}} \odot "
                 rf"\begin{{bmatrix}}\sigma'(z^{{{k}}}_1) & \cdots & \sigma'(z^{{{k}}}_N)\end{{bmatrix}}")
        closed = (rf"\frac{{\partial C}}{{\partial a^{{{k}}}}}\,\operatorname{{diag}}\sigma'(z^{{{k}}})" if w_part
                  else rf"\delta^{{{k + 1}}}\,W^{{{k + 1}}}\,\operatorname{{diag}}\sigma'(z^{{{k}}})")
    return EquationBlock("From scalars to the matrix form", lhs + stack + " = " + closed, {},
                         STACK_TEXT.format(n=k + 1, t=t, k=k))


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


def scalar_blocks(net, view, selection=None, convention: str = "column", example: int = 0) -> list[EquationBlock]:
    ctx = Context(net, view, selection, convention, example)
    l, j, i = ctx.focus()
    return [_delta_scalar(ctx, l, j), _weight_scalar(ctx, l, j, i), _stack_delta(ctx, l), _stack_weights(ctx, l)]
