"""The output layer's δᴸ = ∂C/∂zᴸ, "output layer by loss": how it follows from the loss and the
output activation (``Loss.derivation``, ``Loss.is_fused``, ``Activation.elementwise`` — nothing
here branches on a loss's name), with numbers.

- any loss with an element-wise σ: δᴸ = ∂C/∂aᴸ · diag σ′(zᴸ) (row vectors) = ∇_a C ⊙ σ′(zᴸ) (column);
- any loss with softmax: the full Jacobian J = diag(p) − p pᵀ, δᴸ = ∂C/∂aᴸ · J (row) = Jᵀ ∇_a C (column);
- the pairings whose factors cancel (softmax with cross-entropy, sigmoid with binary cross-entropy):
  δᴸ = a − y, shown beside the long route through the Jacobian that gives the same numbers; for
  softmax with cross-entropy also the differential route dC = (p − y)ᵀ dz.
"""
from __future__ import annotations

from .context import Context, EquationBlock, Ref
from .latex import dot_terms, fits, lines, matrix, num, nump, shape, sym, under, vector, vshape


def _jacobian_route(ctx: Context, L: int, N: int, title: str, text: str) -> EquationBlock:
    """δᴸ = ∂C/∂aᴸ times ∂aᴸ/∂zᴸ with numbers (diag σ′ or the softmax Jacobian), in the convention."""
    act, c = ctx.net.activations[-1], ctx.convention
    l, vs = L - 1, vshape(N, c)
    g, d, s = ctx.dC_da(), ctx.delta(l), ctx.s(l)
    names = {"d": f"delta^{L}", "g": f"dC/da^{L}"}
    refs = {names["d"]: Ref("delta", l, ctx.grad_form), names["g"]: Ref("dC_da", 0, ctx.grad_form)}
    if ctx.col and act.elementwise:
        sp = f"sigma'(z^{L})"
        latex = rf"{under(vector(d, c), vs)} = {under(vector(g, c), vs)} \odot {under(vector(s, c), vs)}"
        numbers = {names["d"]: ctx.grad_vec(d), names["g"]: ctx.grad_vec(g), sp: ctx.grad_vec(s)}
        refs[sp] = Ref("s", l, "col")
        expr = ("*", names["g"], sp)
    elif ctx.col:
        Jn = f"J(z^{L})^T"
        latex = rf"{under(vector(d, c), vs)} = {under(matrix(ctx.J(l).T), shape(N, N))}\,{under(vector(g, c), vs)}"
        numbers = {names["d"]: ctx.grad_vec(d), Jn: ctx.J(l).T, names["g"]: ctx.grad_vec(g)}
        refs[Jn] = Ref("J", l, "T")
        expr = ("@", Jn, names["g"])
    else:
        Jn = f"J(z^{L})" if not act.elementwise else f"diag sigma'(z^{L})"
        latex = rf"{under(vector(d, c), vs)} = {under(vector(g, c), vs)}\,{under(matrix(ctx.J(l)), shape(N, N))}"
        numbers = {names["d"]: ctx.grad_vec(d), names["g"]: ctx.grad_vec(g), Jn: ctx.J(l)}
        refs[Jn] = Ref("J", l)
        expr = ("@", names["g"], Jn)
    return EquationBlock(title, latex, numbers, text, refs=refs, claim=names["d"], expr=expr)


def _neuron(ctx: Context, L: int, N: int) -> EquationBlock:
    """One output neuron's δ_j when the layer is too wide to print."""
    act, l = ctx.net.activations[-1], L - 1
    j, _ = ctx.entry(l)
    J = j + 1
    g, s, d = ctx.dC_da(), ctx.s(l), ctx.delta(l)
    dj = f"delta^{L}_{J}"
    if ctx.net.loss.is_fused(act):
        a, y = ctx.a(L), ctx.y()
        return EquationBlock(f"With numbers, neuron {J}", rf"\delta^{{{L}}}_{{{J}}} = {num(a[j])} - {nump(y[j])} = {num(d[j])}",
                             {dj: float(d[j]), f"a^{L}_{J}": float(a[j]), f"y_{J}": float(y[j])},
                             refs={dj: Ref("delta", l, index=(j,)), f"a^{L}_{J}": Ref("a", L, index=(j,)),
                                   f"y_{J}": Ref("y", index=(j,))},
                             claim=dj, expr=("-", f"a^{L}_{J}", f"y_{J}"))
    if act.elementwise:
        return EquationBlock(f"With numbers, neuron {J}", rf"\delta^{{{L}}}_{{{J}}} = {num(g[j])}\cdot {nump(s[j])} = {num(d[j])}",
                             {dj: float(d[j]), f"dC/da_{J}": float(g[j]), f"sigma'_{J}": float(s[j])},
                             refs={dj: Ref("delta", l, index=(j,)), f"dC/da_{J}": Ref("dC_da", index=(j,)),
                                   f"sigma'_{J}": Ref("s", l, index=(j,))},
                             claim=dj, expr=("*", f"dC/da_{J}", f"sigma'_{J}"))
    Jcol = ctx.J(l)[:, j]
    latex = (rf"\delta^{{{L}}}_{{{J}}} = \sum_{{k=1}}^{{{N}}} \frac{{\partial C}}{{\partial a_k}}\, a_k(\delta_{{k{J}}} - a_{{{J}}})"
             rf" = {dot_terms(g, Jcol)} = {num(d[j])}")
    numbers = {dj: float(d[j])}
    refs = {dj: Ref("delta", l, index=(j,))}
    if N <= 8:
        numbers.update({"dC/da": g, f"J_k{J}": Jcol})
        refs.update({"dC/da": Ref("dC_da"), f"J_k{J}": Ref("J", l, index=(slice(None), j))})
        return EquationBlock(f"With numbers, neuron {J}", latex, numbers, refs=refs, inline=("dC/da", f"J_k{J}"),
                             claim=dj, expr=("sum", ("*", "dC/da", f"J_k{J}")))
    return EquationBlock(f"With numbers, neuron {J}", latex, numbers, refs=refs)


def _fused(ctx: Context, L: int, N: int) -> list[EquationBlock]:
    act, loss, c = ctx.net.activations[-1], ctx.net.loss, ctx.convention
    a, y, d = ctx.a(L), ctx.y(), ctx.delta(L - 1)
    p, vs = act.output_symbol, vshape(N, c)
    text = loss.derivation(act) + ("  Here p is the softmax output a." if p == "p" else "")
    blocks = [EquationBlock(f"Output layer by loss: {act.display_name} with {loss.display_name.lower()}",
                            rf"{under(sym('delta', L), vs)} = {p}^{{{L}}} - y", {}, text)]
    if p == "p":
        blocks.append(EquationBlock(
            "The index route",
            lines(rf"\delta_k &= \sum_j \frac{{\partial C}}{{\partial p_j}}\,\frac{{\partial p_j}}{{\partial z_k}}"
                  rf" = \sum_j \left(-\frac{{y_j}}{{p_j}}\right)\, p_j(\delta_{{jk}} - p_k)",
                  rf"&= -y_k + p_k\sum_j y_j = p_k - y_k"), {},
            "Differentiate entry by entry: the softmax's ∂p_j/∂z_k = p_j(δ_jk − p_k) cancels the 1/p_j of the loss, "
            "and Σ_j y_j = 1 for a one-hot target."))
        blocks.append(EquationBlock(
            "The differential route",
            lines(rf"C &= -y^{{\mathsf{{T}}}}\log\frac{{e^{{z}}}}{{\mathbf{{1}}^{{\mathsf{{T}}}}e^{{z}}}} = -y^{{\mathsf{{T}}}}z + \log \mathbf{{1}}^{{\mathsf{{T}}}}e^{{z}}",
                  rf"dC &= -y^{{\mathsf{{T}}}}dz + \frac{{(e^{{z}})^{{\mathsf{{T}}}}dz}}{{\mathbf{{1}}^{{\mathsf{{T}}}}e^{{z}}}} = (p - y)^{{\mathsf{{T}}}}\,dz"), {},
            "As in Wong's 'Tensor Differential Calculus, Part 3' (his a is our z): write the loss in z, take the "
            "differential, and read the row vector that multiplies dz — the Jacobian ∂C/∂z = (p − y)ᵀ, no index sums."))
    if fits(N):
        names = (f"delta^{L}", f"{p}^{L}", "y")
        latex = rf"{under(vector(d, c), vs)} = {vector(a, c)} - {vector(y, c)}"
        blocks.append(EquationBlock("With numbers", latex, dict(zip(names, (ctx.grad_vec(d), ctx.grad_vec(a), ctx.grad_vec(y)))),
                                    refs=dict(zip(names, (Ref("delta", L - 1, ctx.grad_form), Ref("a", L, ctx.grad_form),
                                                          Ref("y", 0, ctx.grad_form)))),
                                    claim=names[0], expr=("-", names[1], names[2])))
        blocks.append(_jacobian_route(ctx, L, N, "The same numbers the long way",
                                      "The loss's slope passed through the output activation's Jacobian gives the "
                                      "same δ: the short form is this product with the factors cancelled."))
    else:
        blocks.append(_neuron(ctx, L, N))
    return blocks


def output_delta_blocks(ctx: Context) -> list[EquationBlock]:
    L, N = ctx.L, ctx.sizes[-1]
    act, loss, c = ctx.net.activations[-1], ctx.net.loss, ctx.convention
    if loss.is_fused(act):
        return _fused(ctx, L, N)
    vs = vshape(N, c)
    grad_sym, row_grad = rf"\nabla_{{a^{{{L}}}}} C", rf"\frac{{\partial C}}{{\partial a^{{{L}}}}}"
    jsym = act.jacobian_latex(L)
    sp, jT = rf"\sigma'(z^{{{L}}})", jsym + r"^{\mathsf{T}}"
    if ctx.col and act.elementwise:
        rhs = rf"{under(grad_sym, vs)} \odot {under(sp, vs)}"
    elif ctx.col:
        rhs = rf"{under(jT, shape(N, N))}\,{under(grad_sym, vs)}"
    else:
        rhs = rf"{under(row_grad, vs)}\,{under(jsym, shape(N, N))}"
    blocks = [EquationBlock(f"Output layer by loss: {act.display_name} with {loss.display_name.lower()}",
                            rf"{under(sym('delta', L), vs)} = {rhs}", {}, loss.derivation(act)),
              EquationBlock("The loss's slope", loss.grad_formula, {})]
    if fits(N):
        blocks.append(_jacobian_route(ctx, L, N, "With numbers", ""))
    else:
        blocks.append(_neuron(ctx, L, N))
    return blocks
