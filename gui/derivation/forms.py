"""The differential form (the Jacobian with respect to a matrix read off a differential) and the
3-tensor ∂z/∂W as slices with their running contraction.

dC = J_C(a^L) da^L;  da^l = diag σ′(z^l) dz^l;  dz^l = W^l da^{l-1} + dW^l a^{l-1};
so with only W^l moving, dC = δ^l dW^l a^{l-1} = ⟨δ^l ⊗ a^{l-1}, dW^l⟩ and ∂C/∂W^l = δ^l ⊗ a^{l-1}.
"""
from __future__ import annotations

import numpy as np

from engine.jacobians import contract_dz_dW, dz_dW

from .context import Context, EquationBlock, copy_network
from .latex import fits, matrix, num, nump, weight_name

MAX_TENSOR = 8      # the ∂z/∂W box is offered for layers up to 8 × 8


def differential_blocks(net, view, selection=None, convention: str = "column", example: int = 0,
                        eps: float = 1e-4) -> list[EquationBlock]:
    ctx = Context(net, view, selection, convention, example)
    l, j, i = ctx.focus()
    k, L = l + 1, ctx.L
    blocks = [
        EquationBlock("The chain, as differentials",
                      rf"dC = J_C(a^{{{L}}})\,da^{{{L}}},\qquad da^{{\ell}} = \operatorname{{diag}}\sigma'(z^{{\ell}})\,dz^{{\ell}},\qquad "
                      rf"dz^{{\ell}} = W^{{\ell}}\,da^{{\ell-1}} + dW^{{\ell}}\,a^{{\ell-1}} + db^{{\ell}}", {},
                      "A differential says how a small change of the input moves the output, to first order. "
                      "Each layer contributes one linear map; the product rule splits dz into a part from the "
                      "activations below and a part from the layer's own weights."),
        EquationBlock(f"Only W{k} moves",
                      rf"dC = \underbrace{{J_C(a^{{{L}}})\,\frac{{\partial a^{{{L}}}}}{{\partial z^{{{k}}}}}}}_{{\delta^{{{k}}}\ (1\times {ctx.sizes[k]})}}"
                      rf"\,dW^{{{k}}}\,a^{{{k - 1}}} = \sum_{{j,i}} \delta^{{{k}}}_j\, a^{{{k - 1}}}_i\, dW^{{{k}}}_{{ji}}"
                      rf" = \left\langle \delta^{{{k}}} \otimes a^{{{k - 1}}},\ dW^{{{k}}}\right\rangle", {},
                      "Everything left of dW collapses into the row vector δ; the scalar δ dW a is a sum over every "
                      "entry of dW, i.e. the inner product ⟨G, dW⟩ = Σ G_ji dW_ji with G = δ ⊗ a.  The matrix that "
                      "pairs with dW in that inner product is, by definition, the gradient ∂C/∂W: it is read off the "
                      "differential, no 3-tensor needed." + (
                          "  In the row-vector (numerator) layout the same numbers are written as the Jacobian, "
                          "the transpose a ⊗ δ of shape Wᵀ." if not ctx.col else ""))]
    d = ctx.delta(l)
    if d is None:
        blocks.append(EquationBlock("With numbers", rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = \delta^{{{k}}} \otimes a^{{{k - 1}}}", {},
                                    f"δ{k} is computed when the backward pass reaches layer {k}; step on to see the numbers."))
        return blocks
    a, G = ctx.a(l), np.outer(d, ctx.a(l))
    if fits(*G.shape):
        P = G if ctx.col else G.T
        blocks.append(EquationBlock("The gradient read off", rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = {matrix(P)}",
                                    {f"dC/dW^{k}": P}))
    blocks.append(_first_order_check(ctx, l, j, i, d, a, eps))
    return blocks


def _first_order_check(ctx: Context, l, j, i, d, a, eps) -> EquationBlock:
    """dW = ε E_ji (nudge one weight): the differential predicts dC = ε δ_j a_i; a forward pass of a
    copy of the network measures it."""
    k, J, I = l + 1, j + 1, i + 1
    net = copy_network(ctx.net, ctx.view.W_before, ctx.view.b_before)
    x = ctx.a(0)
    y = ctx.y()
    with np.errstate(over="ignore", invalid="ignore"):   # huge weights after a divergence show as ∞
        c0 = float(np.mean(net.loss_and_grads(x, y).losses))
        net.W[l][j, i] += eps
        c1 = float(np.mean(net.loss_and_grads(x, y).losses))
    pred = eps * float(d[j] * a[i])
    latex = (rf"dW^{{{k}}} = \varepsilon E_{{{J}{I}}}:\quad dC \approx \varepsilon\,\delta^{{{k}}}_{{{J}}} a^{{{k - 1}}}_{{{I}}}"
             rf" = {num(eps)}\cdot {nump(d[j])}\cdot {nump(a[i])} = {num(pred)},\qquad "
             rf"C(W + dW) - C(W) = {num(c1 - c0)}")
    return EquationBlock(f"Check: nudge {weight_name(k, J, I)}", latex, {"predicted dC": pred, "measured dC": c1 - c0},
                         f"Nudging one weight by ε = {eps:g} on a copy of the network: the differential's prediction "
                         f"and the measured change of C agree to first order.")


def tensor_available(sizes, l: int) -> tuple[bool, str]:
    """Whether the ∂z/∂W box is offered for W[l], and why not."""
    n_out, n_in = sizes[l + 1], sizes[l]
    if n_out <= MAX_TENSOR and n_in <= MAX_TENSOR:
        return True, ""
    return False, (f"Layer {l + 1} is {n_out}×{n_in}: its ∂z/∂W has {n_out} slices of {n_out}×{n_in} = "
                   f"{n_out * n_out * n_in:,} numbers, too many to read. The box is shown for layers up to "
                   f"{MAX_TENSOR}×{MAX_TENSOR}; pick a smaller layer or a smaller network.")


def tensor_blocks(net, view, l: int, upto: int, example: int = 0) -> list[EquationBlock]:
    """Slice ``upto`` (1-based) of T = ∂z^l/∂W^l, and the contraction Σ_{j≤upto} δ_j T[j]."""
    ok, why = tensor_available(net.sizes, l)
    if not ok:
        raise ValueError(why)
    ctx = Context(net, view, None, "column", example)
    k, N = l + 1, net.sizes[l + 1]
    T = dz_dW(view.grads.trace, l, example)
    upto = max(1, min(int(upto), N))
    blocks = [EquationBlock(f"Slice {upto} of {N}: ∂z{k}_{upto}/∂W{k}",
                            rf"T[{upto}] = \frac{{\partial z^{{{k}}}_{{{upto}}}}}{{\partial W^{{{k}}}}} = {matrix(T[upto - 1])}",
                            {f"T[{upto}]": T[upto - 1]},
                            f"z{k}_{upto} depends only on row {upto} of W{k} (its own weights), with slope a{k - 1}: "
                            f"one nonzero row, equal to a{k - 1}.")]
    d = ctx.delta(l)
    if d is None:
        blocks.append(EquationBlock("Contraction", rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = \sum_j \delta^{{{k}}}_j\, T[j]", {},
                                    f"δ{k} is computed when the backward pass reaches layer {k}."))
        return blocks
    S = contract_dz_dW(d, T, upto)
    done = upto == N
    terms = " + ".join(rf"{nump(d[j])}\,T[{j + 1}]" for j in range(upto))
    blocks.append(EquationBlock("Running contraction" + (" — complete: this is ∂C/∂W" if done else ""),
                                rf"\sum_{{j\le {upto}}} \delta^{{{k}}}_j\, T[j] = {terms} = {matrix(S)}",
                                {f"delta^{k}": d[:upto], "partial sum": S},
                                "Each slice, weighted by its δ_j, fills in row j of ∂C/∂W." +
                                ("  All slices added: the contraction equals δ ⊗ a, the weight gradient." if done else "")))
    return blocks
