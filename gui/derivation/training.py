"""The weight penalty in the derivation, as its own blocks beside the micro-steps it changes:
C = C_data + Ω at the loss, and ∂C/∂Wˡ = δˡ ⊗ aˡ⁻¹ + λWˡ (or λ sign Wˡ) at the ∂C/∂W step, both
parts visible.  (The other training terms are written where they act: dropout's factor m/(1 − p)
in the forward step's a and every δ of a hidden layer, ``forward.py``, ``backward.py``,
``forms.py``; the optimizer's update in ``update.py``.)

``training_blocks(ctx)`` returns the blocks for the current micro-step (none when the run has no
such term), so the step's own blocks stay as they are.
"""
from __future__ import annotations

from engine.notation import weight_name

from .context import Context, EquationBlock, Ref
from .latex import fits, matrix, num, nump, shape, under, weight


def training_blocks(ctx: Context) -> list[EquationBlock]:
    st = ctx.view.step
    if st.quantity == "C":
        return penalty_loss_blocks(ctx)
    if st.quantity == "dW":
        return penalty_grad_blocks(ctx, st.l)
    return []


def _derived(numbers: dict, **engine) -> dict:
    """Refs for ``numbers``: the engine's quantity where one is named in ``engine``, else "derived"."""
    return {name: engine.get(name, Ref("derived")) for name in numbers}


def _block(title, latex, numbers, text="", **engine) -> EquationBlock:
    return EquationBlock(title, latex, numbers, text, refs=_derived(numbers, **engine))


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
    term = pen.grad_latex(rf"W^{{{k}}}")
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
        names = (f"dC/dW^{k}", f"data dC/dW^{k}", f"penalty dC/dW^{k}")
        block = _block("With numbers", rf"{under(matrix(t(total)), sh)} = {under(matrix(t(data)), sh)} + "
                       rf"{under(matrix(t(part)), sh)}", dict(zip(names, (t(total), t(data), t(part)))),
                       **{names[0]: Ref("dW", l, form), names[1]: Ref("dW_data", l, form)})
        block.claim, block.expr = names[0], ("+", names[1], names[2])
        blocks.append(block)
    else:
        j, i = ctx.entry(l)
        w = float(ctx.W(l)[j, i])
        factor, expr = pen.entry_latex(lam, w, num, nump)
        name, data_name = f"dC/dw^{k}_{j + 1}{i + 1}", f"data dC/dw^{k}_{j + 1}{i + 1}"
        block = _block(f"With numbers, weight {weight_name(k, j + 1, i + 1)}",
                       rf"\frac{{\partial C}}{{\partial {weight(k, j + 1, i + 1)}}} = {num(data[j, i])} + "
                       rf"{factor} = {num(total[j, i])}",
                       {data_name: float(data[j, i]), "lambda": lam, "w": w, name: float(total[j, i])},
                       **{name: Ref("dW", l, index=(j, i)), data_name: Ref("dW_data", l, index=(j, i)),
                          "w": Ref("W", l, index=(j, i))})
        block.claim, block.expr = name, ("+", data_name, expr)
        blocks.append(block)
    return blocks
