"""The differential form (Wong's 'Tensor Differential Calculus, Part 3' and Johnston's first-order
argument) and the 3-tensor ∂z/∂W as slices with their running contraction (Johnston).

dC = J_C(aᴸ) daᴸ;  da^l = J_σ(z^l) dz^l (diag σ′ for an element-wise σ, the full Jacobian for
softmax);  dz^l = W^l da^{l-1} + dW^l a^{l-1} + db^l.  With only W^l moving, dC = δ^l dW^l a^{l-1}
= tr((a^{l-1} ⊗ δ^l) dW^l) = Σ_ji ∂C/∂w_ji dw_ji: the gradient is read off the differential.
In the column convention δ is N×1 and the same pairing is written ⟨δ aᵀ, dW⟩.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.jacobians import dz_dW

from engine.notation import sup, weight_name
from gui.numbers import format_number

from .context import Context, EquationBlock, Ref, col, copy_network, row
from .latex import column, fits, keep, lines, matrix, num, nump, shape, under, vshape, weight
from .latex import row as row_tex

MAX_TENSOR = 8      # the ∂z/∂W box is offered for layers up to 8 × 8
NUDGE_EPS = 1e-4
NUDGE_RTOL = 1e-3   # prediction and measurement agree when within 0.1 % (plus NUDGE_ATOL)
NUDGE_ATOL = 1e-12  # float noise of a difference of two losses

NOTATION_WONG = ("Notation map — Wong's 'Tensor Differential Calculus, Part 3': his a_k (pre-activation) and "
                 "h_k (activation) are our zᵏ and aᵏ, his W_k our Wᵏ, his f our C, and J_f(·) is the Jacobian of "
                 "C, a row.")
NOTATION_JOHNSTON = ("Notation map — Johnston's 'How I think about the neural network backpropagation algorithm': "
                     "she numbers layers from 1 at the input, so her W² is our W¹ and her z¹ our input a⁰; her "
                     "gradients are rows, and her ∂C/∂W is laid out like Wᵀ, as in this panel's row convention.")


@dataclass
class NudgeResult:
    """The first-order check of one weight: the differential's prediction ε·∂C/∂w against the
    measured central difference ½[C(w + ε) − C(w − ε)] on a copy of the network."""
    predicted: float
    measured: float
    eps: float
    tolerance: float

    @property
    def agree(self) -> bool:
        return bool(np.isfinite(self.measured) and abs(self.measured - self.predicted) <= self.tolerance)


def nudge_check(net, W, b, x, y, l: int, j: int, i: int, gradient: float, eps: float = NUDGE_EPS,
                masks=None) -> NudgeResult:
    """Nudge w_ji of layer l (W index) by ±ε on a copy of ``net`` with parameters ``W``, ``b`` (and
    the example's dropout ``masks``); the claimed ``gradient`` ∂C/∂w_ji predicts dC = ε·gradient."""
    copy = copy_network(net, W, b)
    with np.errstate(over="ignore", invalid="ignore"):   # huge weights after a divergence show as ∞
        copy.W[l][j, i] += eps
        c_plus = float(np.mean(copy.loss_and_grads(x, y, masks).losses))
        copy.W[l][j, i] -= 2 * eps
        c_minus = float(np.mean(copy.loss_and_grads(x, y, masks).losses))
    predicted, measured = eps * float(gradient), 0.5 * (c_plus - c_minus)
    return NudgeResult(predicted, measured, eps, NUDGE_RTOL * max(abs(predicted), abs(measured)) + NUDGE_ATOL)


def _chain(ctx: Context) -> EquationBlock:
    L, out = ctx.L, ctx.net.activations[-1]
    da_out = (rf"da^{{{L}}} = J(z^{{{L}}})\,dz^{{{L}}},\ J = \operatorname{{diag}}(p) - p\,p^{{\mathsf{{T}}}}" if not out.elementwise
              else rf"da^{{\ell}} = \operatorname{{diag}}\sigma'(z^{{\ell}})\,dz^{{\ell}}")
    hidden = ([rf"da^{{\ell}} &= \operatorname{{diag}}\sigma'(z^{{\ell}})\,dz^{{\ell}}\quad (\ell < {L})"]
              if not out.elementwise and L > 1 else [])
    latex = lines(rf"dC &= J_C(a^{{{L}}})\,da^{{{L}}}", da_out.replace(" = ", " &= ", 1), *hidden,
                  rf"dz^{{\ell}} &= W^{{\ell}}\,da^{{\ell-1}} + dW^{{\ell}}\,a^{{\ell-1}} + db^{{\ell}}")
    text = ("A differential says how a small change moves a value, to first order; each layer contributes one linear "
            "map, and the product rule splits dz into a part from the activations below and a part from the layer's "
            "own weights and biases." +
            ("  The output is softmax: its map is the full Jacobian, not a diagonal." if not out.elementwise else
             "  An element-wise σ gives a diagonal map: z_j moves a_j alone."))
    return EquationBlock("The chain, as differentials", latex, {}, NOTATION_WONG + "  " + text)


def _why_rows(ctx: Context, l: int) -> EquationBlock:
    k, N = l + 1, ctx.sizes[l + 1]
    latex = (rf"C(z^{{{k}}} + \Delta z) \approx C(z^{{{k}}}) + \underset{{1\times {N}}}{{\frac{{\partial C}}{{\partial z^{{{k}}}}}}}"
             rf"\,\underset{{{N}\times 1}}{{\Delta z}}")
    text = ("Why a gradient is a row (Johnston): the change of the scalar C must be a 1×1 number, and Δz is a column, so "
            f"∂C/∂z{sup(k)} has to be 1×{N} — the Jacobian of C.  ")
    text += ("This panel's row convention writes it that way: δ is that row." if not ctx.col else
             f"The column convention writes its transpose instead, ∇C = (∂C/∂z)ᵀ, a column like z ({N}×1): δ is that column, "
             "and the products are transposed to match.")
    return EquationBlock("Why gradients are rows", latex, {}, text)


def _alternation(ctx: Context, l: int) -> list[EquationBlock]:
    """J_C(a^{k}) = J_C(z^{k+1}) W^{k+1} and J_C(z^k) = J_C(a^k) diag σ′(z^k), with numbers (Wong)."""
    k = l + 1
    if l == ctx.L - 1:
        return []
    N, M = ctx.sizes[l + 1], ctx.sizes[l + 2]
    f = ctx.keep(k)
    if ctx.col:
        drop = "" if f is None else rf" \odot {keep(k)}"
        latex = lines(rf"\nabla_{{a^{{{k}}}}}C &= (W^{{{k + 1}}})^{{\mathsf{{T}}}}\,\delta^{{{k + 1}}}",
                      rf"\delta^{{{k}}} &= \nabla_{{a^{{{k}}}}}C \odot \sigma'(z^{{{k}}}){drop}")
    else:
        drop = "" if f is None else rf"\,\operatorname{{diag}}{keep(k)}"
        latex = lines(rf"J_C(a^{{{k}}}) &= J_C(z^{{{k + 1}}})\,W^{{{k + 1}}} = \delta^{{{k + 1}}}W^{{{k + 1}}}",
                      rf"J_C(z^{{{k}}}) &= J_C(a^{{{k}}})\,\operatorname{{diag}}\sigma'(z^{{{k}}}){drop} = \delta^{{{k}}}")
    text = ("Two differentials alternate all the way down: dz = W da passes the Jacobian of C through W, "
            "da = diag σ′ dz through the slopes." + ("  As columns: the transposes." if ctx.col else ""))
    if f is not None:
        text += "  With dropout, da also carries the mask's factor m/(1 − p)."
    blocks = [EquationBlock("The alternation", latex, {}, text)]
    dn, d = ctx.delta(l + 1), ctx.delta(l)
    if dn is None or d is None or not fits(N, M):
        return blocks
    W, s = ctx.W(l + 1), ctx.s(l)
    ga = W.T @ dn
    g_n, dn_n, d_n, f_n = f"J_C(a^{k})", f"delta^{k + 1}", f"delta^{k}", f"m^{k}/(1-p)"
    needs = (("delta", l + 1),)
    if ctx.col:
        WT, sp = f"(W^{k + 1})^T", f"sigma'(z^{k})"
        first = EquationBlock("With numbers", rf"\nabla_{{a^{{{k}}}}}C = {under(matrix(W.T), shape(N, M))}\,{under(column(dn), shape(M, 1))}"
                              rf" = {under(column(ga), shape(N, 1))}", {WT: W.T, dn_n: col(dn), g_n: col(ga)},
                              refs={WT: Ref("W", l + 1, "T"), dn_n: Ref("delta", l + 1, "col"), g_n: Ref("derived", l, needs=needs)},
                              claim=g_n, expr=("@", WT, dn_n))
        second = EquationBlock("", rf"{under(column(d), shape(N, 1))} = {column(ga)} \odot {column(s)}",
                               {d_n: col(d), g_n: col(ga), sp: col(s)},
                               refs={d_n: Ref("delta", l, "col"), g_n: Ref("derived", l, needs=needs), sp: Ref("s", l, "col")},
                               claim=d_n, expr=("*", g_n, sp))
        if f is not None:
            second.latex += rf" \odot {column(f)}"
            second.numbers[f_n], second.refs[f_n], second.expr = col(f), ctx.keep_ref(k), ("*", g_n, sp, f_n)
    else:
        Wn, D = f"W^{k + 1}", f"diag sigma'(z^{k})"
        first = EquationBlock("With numbers", rf"J_C(a^{{{k}}}) = {under(row_tex(dn), shape(1, M))}\,{under(matrix(W), shape(M, N))}"
                              rf" = {under(row_tex(ga), shape(1, N))}", {dn_n: row(dn), Wn: W, g_n: row(ga)},
                              refs={dn_n: Ref("delta", l + 1, "row"), Wn: Ref("W", l + 1), g_n: Ref("derived", l, needs=needs)},
                              claim=g_n, expr=("@", dn_n, Wn))
        second = EquationBlock("", rf"{under(row_tex(d), shape(1, N))} = {row_tex(ga)}\,{under(matrix(np.diag(s)), shape(N, N))}",
                               {d_n: row(d), g_n: row(ga), D: np.diag(s)},
                               refs={d_n: Ref("delta", l, "row"), g_n: Ref("derived", l, needs=needs), D: Ref("s", l, "diag")},
                               claim=d_n, expr=("@", g_n, D))
        if f is not None:
            f_n = f"diag {f_n}"
            second.latex += rf"\,{under(matrix(np.diag(f)), shape(N, N))}"
            second.numbers[f_n], second.refs[f_n], second.expr = np.diag(f), ctx.keep_ref(k), ("@", g_n, D, f_n)
    return blocks + [first, second]


def _product_of_jacobians(ctx: Context, l: int) -> list[EquationBlock]:
    """δ^k = ∂C/∂aᴸ · J_σ(zᴸ) Wᴸ diag σ′(zᴸ⁻¹) ⋯ W^{k+1} diag σ′(z^k): the vanishing-gradient story."""
    k, L = l + 1, ctx.L
    if l == L - 1:
        return []
    factors = [ctx.net.activations[-1].jacobian_latex(L)]
    for m in range(L - 1, k - 1, -1):
        factors += [rf"W^{{{m + 1}}}", rf"\operatorname{{diag}}\sigma'(z^{{{m}}})"]
        if ctx.keep(m) is not None:          # dropout: a^m = σ(z^m) ⊙ m/(1 − p)
            factors.append(rf"\operatorname{{diag}}{keep(m)}")
    if len(factors) > 7:
        factors = factors[:3] + [r"\cdots"] + factors[-2:]
    prod = r"\,".join(factors)
    latex = (rf"\delta^{{{k}}} = \frac{{\partial C}}{{\partial a^{{{L}}}}}\,{prod}" if not ctx.col else
             rf"\delta^{{{k}}} = \Big({prod}\Big)^{{\mathsf{{T}}}}\,\nabla_{{a^{{{L}}}}}C")
    d = ctx.delta(l)
    text = ("Unrolled, δ of a layer is the loss's slope times every Jacobian between the output and that layer.  Each "
            "diag σ′ of a sigmoid is at most ¼, so with weights of order one the product shrinks layer by layer: "
            "the gradient vanishes towards the input (the vanishing preset shows four orders of magnitude).")
    blocks = [EquationBlock("δ as a product of Jacobians", latex, {}, text)]
    if d is None:
        return blocks
    P = ctx.J(L - 1)
    for m in range(L - 1, l, -1):
        P = P @ ctx.W(m) @ np.diag(ctx.s(m - 1))
        if ctx.keep(m) is not None:
            P = P @ np.diag(ctx.keep(m))
    g = ctx.dC_da()
    N_L, N = ctx.sizes[-1], ctx.sizes[l + 1]
    needs = tuple(("sigma_prime", m) for m in range(l, L))
    norms = ", ".join(f"‖δ{sup(m + 1)}‖ = {format_number(np.linalg.norm(ctx.delta(m)))}" for m in range(L - 1, l - 1, -1))
    pn, gn, dn = "P", f"dC/da^{L}", f"delta^{k}"
    if not fits(N_L, N):
        return blocks + [EquationBlock("With numbers", "", {}, f"Norms along the way: {norms}.")]
    if ctx.col:
        latex = rf"{under(column(d), shape(N, 1))} = {under(matrix(P.T), shape(N, N_L))}\,{under(column(g), shape(N_L, 1))}"
        numbers = {dn: col(d), pn: P.T, gn: col(g)}
        refs = {dn: Ref("delta", l, "col"), pn: Ref("derived", l, needs=needs), gn: Ref("dC_da", 0, "col")}
        expr = ("@", pn, gn)
    else:
        latex = rf"{under(row_tex(d), shape(1, N))} = {under(row_tex(g), shape(1, N_L))}\,{under(matrix(P), shape(N_L, N))}"
        numbers = {dn: row(d), gn: row(g), pn: P}
        refs = {dn: Ref("delta", l, "row"), gn: Ref("dC_da", 0, "row"), pn: Ref("derived", l, needs=needs)}
        expr = ("@", gn, pn)
    where = "the matrix after ∂C/∂a" if not ctx.col else "the transposed matrix before ∇C"
    return blocks + [EquationBlock("With numbers", latex, numbers,
                                   f"The product of the Jacobians from layer {L} down to layer {k} is {where}"
                                   f" (its norm {format_number(np.linalg.norm(P))}).  Norms along the way: {norms}.",
                                   refs=refs, claim=dn, expr=expr)]


def _pairing(ctx: Context, l: int) -> EquationBlock:
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    vs = vshape(N, ctx.convention)
    if ctx.col:
        latex = lines(rf"dC &= \underset{{{shape(1, N)}}}{{(\delta^{{{k}}})^{{\mathsf{{T}}}}}}\,dW^{{{k}}}\,a^{{{k - 1}}}"
                      rf" = \sum_{{j,i}} \delta^{{{k}}}_j\, a^{{{k - 1}}}_i\, dw^{{{k}}}_{{ji}}",
                      rf"&= \operatorname{{tr}}\!\Big(\big(\underset{{{shape(N, M)}}}{{\delta^{{{k}}}(a^{{{k - 1}}})^{{\mathsf{{T}}}}}}\big)^{{\mathsf{{T}}}} dW^{{{k}}}\Big)"
                      rf" = \sum_{{j,i}} \frac{{\partial C}}{{\partial w^{{{k}}}_{{ji}}}}\,dw^{{{k}}}_{{ji}}")
        text = (f"With only W{sup(k)} moving, everything left of dW collapses into δ{sup(k)} (a column, {N}×1 here, so its transpose "
                "appears).  The scalar δᵀ dW a is a sum over every entry of dW: the inner product ⟨G, dW⟩ = tr(Gᵀ dW) "
                f"with G = δ aᵀ, shaped like W{sup(k)}.  The matrix that pairs with dW entry by entry is the gradient: read off "
                "the differential, no 3-tensor needed.")
    else:
        latex = lines(rf"dC &= \underset{{{vs}}}{{\delta^{{{k}}}}}\,dW^{{{k}}}\,a^{{{k - 1}}}"
                      rf" = \operatorname{{tr}}\!\Big(\underset{{{shape(M, N)}}}{{a^{{{k - 1}}} \otimes \delta^{{{k}}}}}\;dW^{{{k}}}\Big)",
                      rf"&= \sum_{{j,i}} \frac{{\partial C}}{{\partial w^{{{k}}}_{{ji}}}}\,dw^{{{k}}}_{{ji}}")
        text = (f"With only W{sup(k)} moving, everything left of dW collapses into the row δ{sup(k)} (1×{N}).  A scalar equals its "
                "trace and tr(ABC) = tr(CAB), so dC = tr((a ⊗ δ) dW): the Jacobian ∂C/∂W = a ⊗ δ, shaped like Wᵀ, "
                "is the matrix whose product with dW has dC as its trace — entry (i, j) pairs with dw_ji.")
    return EquationBlock(f"Only W{sup(k)} moves: the gradient read off", latex, {}, text)


def differential_blocks(net, view, selection=None, convention: str = "column", example: int = 0,
                        eps: float = NUDGE_EPS) -> list[EquationBlock]:
    ctx = Context(net, view, selection, convention, example)
    l, j, i = ctx.focus()
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    blocks = [_chain(ctx), _why_rows(ctx, l)]
    blocks += _alternation(ctx, l)
    blocks += _product_of_jacobians(ctx, l)
    blocks.append(_pairing(ctx, l))
    G = ctx.dW(l)
    if G is None:
        blocks.append(EquationBlock("With numbers", "", {},
                                    f"∂C/∂W{sup(k)} is computed at the weight-gradient step of layer {k}; step on to see the numbers."))
        return blocks
    d, a = ctx.delta(l), ctx.a(l)
    if fits(N, M):
        g = f"dC/dW^{k}"
        if ctx.col:
            latex = rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = {under(column(d), shape(N, 1))}\,{under(row_tex(a), shape(1, M))} = {under(matrix(G), shape(N, M))}"
            numbers = {f"delta^{k}": col(d), f"(a^{k - 1})^T": row(a), g: G}
            refs = {f"delta^{k}": Ref("delta", l, "col"), f"(a^{k - 1})^T": Ref("a", l, "row"), g: Ref("dW_data", l)}
            expr = ("@", f"delta^{k}", f"(a^{k - 1})^T")
        else:
            latex = rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = {under(column(a), shape(M, 1))}\,{under(row_tex(d), shape(1, N))} = {under(matrix(G.T), shape(M, N))}"
            numbers = {f"a^{k - 1}": col(a), f"delta^{k}": row(d), g: G.T}
            refs = {f"a^{k - 1}": Ref("a", l, "col"), f"delta^{k}": Ref("delta", l, "row"), g: Ref("dW_data", l, "T")}
            expr = ("@", f"a^{k - 1}", f"delta^{k}")
        blocks.append(EquationBlock("With numbers", latex, numbers, refs=refs, claim=g, expr=expr))
    blocks.append(nudge_block(ctx, l, j, i, float(G[j, i]), eps))
    return blocks


def nudge_block(ctx: Context, l: int, j: int, i: int, gradient: float, eps: float = NUDGE_EPS) -> EquationBlock:
    """dW = ε E_ji (nudge one weight): the differential predicts dC = ε ∂C/∂w_ji; a copy of the
    network measures it.  Says "agree" or "disagree" against a stated tolerance."""
    k, J, I = l + 1, j + 1, i + 1
    r = nudge_check(ctx.net, ctx.view.W_before, ctx.view.b_before, ctx.a(0), ctx.y(), l, j, i, gradient, eps,
                    getattr(ctx.view, "masks", None))
    verdict = "agree" if r.agree else "disagree"
    rel = r"\approx" if r.agree else r"\neq"
    latex = lines(rf"dC &\approx \varepsilon\,\frac{{\partial C}}{{\partial {weight(k, J, I)}}}"
                  rf" = {num(eps)}\cdot {nump(gradient)} = {num(r.predicted)}",
                  rf"&{rel} \tfrac{{1}}{{2}}C({weight(k, J, I)} + \varepsilon) - \tfrac{{1}}{{2}}C({weight(k, J, I)} - \varepsilon)"
                  rf" = {num(r.measured)}")      # two halves, so that a narrow panel may break between them
    text = (f"Nudging {weight_name(k, J, I)} by ±ε = {format_number(eps)} on a copy of the network: prediction and measurement "
            f"{verdict} (tolerance 0.1 % of the larger, |difference| = {format_number(abs(r.measured - r.predicted), 3)}"
            f" {'≤' if r.agree else '>'} {format_number(r.tolerance, 3)}).")
    return EquationBlock(f"Check: nudge {weight_name(k, J, I)} — {verdict}", latex,
                         {"eps": eps, "dC/dw": gradient, "predicted dC": r.predicted, "measured dC": r.measured}, text,
                         refs={"eps": Ref("derived"), "dC/dw": Ref("dW_data", l, index=(j, i)),
                               "predicted dC": Ref("derived", l, needs=(("dW", l),)),
                               "measured dC": Ref("derived", l, needs=(("dW", l),))},
                         claim="predicted dC", expr=("*", "eps", "dC/dw"))


def tensor_available(sizes, l: int) -> tuple[bool, str]:
    """Whether the ∂z/∂W box is offered for W[l], and why not."""
    n_out, n_in = sizes[l + 1], sizes[l]
    if n_out <= MAX_TENSOR and n_in <= MAX_TENSOR:
        return True, ""
    return False, (f"Layer {l + 1} is {n_out}×{n_in}: its ∂z/∂W has {n_out} slices of {n_out}×{n_in} = "
                   f"{n_out * n_out * n_in:,} numbers, too many to read. The box is shown for layers up to "
                   f"{MAX_TENSOR}×{MAX_TENSOR}; pick a smaller layer or a smaller network.")


def tensor_blocks(net, view, l: int, upto: int, example: int = 0, convention: str = "column") -> list[EquationBlock]:
    """Slice ``upto`` (1-based) of T = ∂z^l/∂W^l, and the running contraction Σ_{j≤upto} δ_j T[j];
    slices shaped like W (column convention) or like Wᵀ (row convention, as in Johnston)."""
    ok, why = tensor_available(net.sizes, l)
    if not ok:
        raise ValueError(why)
    ctx = Context(net, view, None, convention, example)
    k, N, M = l + 1, net.sizes[l + 1], net.sizes[l]
    upto = max(1, min(int(upto), N))
    ps = shape(N, M) if ctx.col else shape(M, N)
    a = ctx.a(l)
    if a is None:
        return [EquationBlock(f"Slice {upto} of {N}: ∂z{sup(k)}_{upto}/∂W{sup(k)}",
                              rf"T[{upto}] = \frac{{\partial z^{{{k}}}_{{{upto}}}}}{{\partial W^{{{k}}}}}", {},
                              f"Every slice holds a{sup(k - 1)}, the input the weights multiply; a{sup(k - 1)} is computed in the "
                              f"forward pass{' of layer ' + str(k - 1) if k > 1 else ''} — step on to see the numbers.  "
                              + NOTATION_JOHNSTON)]
    T = dz_dW(view.grads.trace, l, example)
    Tu = ctx.grad_mat(T[upto - 1])
    where = f"row {upto}" if ctx.col else f"column {upto}"
    blocks = [EquationBlock(f"Slice {upto} of {N}: ∂z{sup(k)}_{upto}/∂W{sup(k)}",
                            rf"T[{upto}] = \frac{{\partial z^{{{k}}}_{{{upto}}}}}{{\partial W^{{{k}}}}} = {under(matrix(Tu), ps)}",
                            {f"T[{upto}]": Tu},
                            f"z{sup(k)}_{upto} depends only on row {upto} of W{sup(k)} (its own weights), with slope a{sup(k - 1)}: "
                            f"one nonzero {'row' if ctx.col else 'column'} ({where}), equal to a{sup(k - 1)}." +
                            ("" if ctx.col else "  Laid out like Wᵀ, as Johnston's ∂z/∂W box.") + "  " + NOTATION_JOHNSTON,
                            refs={f"T[{upto}]": Ref("T", l, ctx.W_form, index=(upto - 1,))})]
    G, d = ctx.dW(l), ctx.delta(l)
    if G is None:
        blocks.append(EquationBlock("Contraction", rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = \sum_j \delta^{{{k}}}_j\, T[j]", {},
                                    f"The contraction is ∂C/∂W{sup(k)}, computed at the weight-gradient step of layer {k}."))
        return blocks
    S_prev = ctx.grad_mat(np.einsum("j,jpi->pi", d[: upto - 1], T[: upto - 1]))
    S = ctx.grad_mat(np.einsum("j,jpi->pi", d[:upto], T[:upto]))
    done = upto == N
    needs = (("dW", l),)
    Sp, Su, du, Tn = f"S[{upto - 1}]", f"S[{upto}]", f"delta^{k}_{upto}", f"T[{upto}]"
    latex = lines(rf"S[{upto}] &= \sum_{{j\le {upto}}} \delta^{{{k}}}_j\, T[j] = S[{upto - 1}] + \delta^{{{k}}}_{{{upto}}}\,T[{upto}]",
                  rf"&= {matrix(S_prev)} + {nump(d[upto - 1])}\,{matrix(Tu)} = {under(matrix(S), ps)}")
    blocks.append(EquationBlock("Running contraction" + (" — complete: this is ∂C/∂W" if done else ""), latex,
                                {Sp: S_prev, du: float(d[upto - 1]), Tn: Tu, Su: S},
                                f"Each slice, weighted by its δ_j, fills in {'row' if ctx.col else 'column'} j of ∂C/∂W{sup(k)}." +
                                (f"  All {N} slices added: the contraction equals "
                                 f"{'δ aᵀ' if ctx.col else 'a ⊗ δ'}, the weight gradient." if done else ""),
                                refs={Sp: Ref("derived", l, needs=needs), du: Ref("delta", l, index=(upto - 1,)),
                                      Tn: Ref("T", l, ctx.W_form, index=(upto - 1,)),
                                      Su: Ref("dW_data", l, ctx.W_form) if done else Ref("derived", l, needs=needs)},
                                claim=Su, expr=("+", Sp, ("*", du, Tn))))
    return blocks
