"""The update micro-step, and one example versus the batch.

What the update step says is its optimizer's (``engine.optim``, by the name the StepView records;
never guessed from the numbers): the rule in the convention (``Optimizer.formula_in``; with row
vectors ∂C/∂W has the shape of Wᵀ, so W ← W − η (∂C/∂W)ᵀ) and the update with this step's numbers,
line by line (``Optimizer.equation_lines``), every result the number the engine applied.  A rule
without state (``exact_from_gradient``: plain SGD) is written for whole matrices, W and b, where
they fit, else for the selected weight; a rule with state (momentum, Adam) for one weight of each
layer (the selected one in its layer), beside W_new = W + ΔW with the change ΔW it applied.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from engine.notation import sup, weight_name
from engine.optim import make_optimizer
from gui.numbers import format_number

from .backward import grad_shape
from .context import Context, EquationBlock, Ref, col, copy_network
from .latex import column, fits, lines, matrix, num, nump, shape, under, weight

APPLIED = Ref("derived", needs=(("update", -1),))       # a number of the update itself (state, ΔW)


def update_blocks(ctx: Context) -> list[EquationBlock]:
    v, opt = ctx.view, ctx.optimizer
    rec = v.optimizer_step
    if rec is None and opt.exact_from_gradient:      # not recorded: a rule without state gives it again
        params = SimpleNamespace(W=[W.copy() for W in v.W_before], b=[b.copy() for b in v.b_before], L=ctx.L)
        rec = make_optimizer(opt.name, v.eta).step(params, v.grads, v.train_biases, record=True)
    blocks = [_rule_block(ctx, rec)]
    for l in range(ctx.L):
        N, M = ctx.sizes[l + 1], ctx.sizes[l]
        if rec is not None and opt.exact_from_gradient and fits(N, M):
            blocks += _matrix_blocks(ctx, rec, l)
            continue
        if fits(N, M):
            blocks += _applied_blocks(ctx, rec, l)
        if rec is not None:
            blocks += _entry_blocks(ctx, rec, l)
    return blocks


def _rule_block(ctx: Context, rec) -> EquationBlock:
    """The rule in symbols with η (and the optimizer's hyperparameters and step t)."""
    v, opt, biases = ctx.view, ctx.optimizer, ctx.view.train_biases
    hyper = rec.hyper if rec is not None else {}
    settings = {"eta": v.eta, **hyper}
    tex = [rf"\eta = {num(v.eta)}"] + [rf"{opt.hyper_latex[name]} = {num(x)}" for name, x in hyper.items()]
    title = f"Update: {opt.title}"
    if not opt.exact_from_gradient and rec is not None:
        title += f", step t = {rec.t}"           # t in the title: a last "t = 4" would wrap apart on a narrow panel
    rule = [opt.formula_in(ctx.convention, r"W^{\ell}")]
    if not biases:
        rule.append(r"b^{\ell} \leftarrow b^{\ell}\ \text{(biases fixed)}")
    elif opt.exact_from_gradient:
        rule.append(opt.formula_in(ctx.convention, r"b^{\ell}"))
    if opt.exact_from_gradient:
        text = "Every layer steps against its gradient, all from the same backward pass."
        if not ctx.col:
            text += ("  With row-vector gradients ∂C/∂W has the shape of Wᵀ (and ∂C/∂b is a row), so each is "
                     "transposed back to the shape of the parameter.")
    else:
        text = (f"{opt.title} keeps state between steps: the change it applies is not −η ∂C/∂W alone.  Its "
                f"equations for one weight of each layer, with this step's numbers; each result is what the "
                f"engine applied{', and the biases follow the same rule' if biases else ''}.")
    if not biases:
        text += "  This run keeps the biases at their initial values (as Mazur's post does): only W moves."
    text += "  Below, g is the gradient ∂C/∂W (or ∂C/∂b) in the parameter's own shape."
    latex = lines(*rule) + r",\qquad " + r",\ ".join(tex)
    return EquationBlock(title, latex, settings, text,
                         refs={name: Ref("eta") if name == "eta" else APPLIED for name in settings})


def _tex(x) -> str:
    """A number, or an array as a matrix with its shape under it."""
    return num(x) if np.ndim(x) == 0 else under(matrix(x), shape(*np.shape(x)))


def _texp(x) -> str:
    return nump(x) if np.ndim(x) == 0 else _tex(x)


def _renamed(expr, names: dict):
    if isinstance(expr, tuple):
        return tuple(_renamed(a, names) for a in expr)
    return names.get(expr, expr) if isinstance(expr, str) else expr


def _line_block(title: str, line, refs: dict, text: str = "", names: dict | None = None) -> EquationBlock:
    """An optimizer's UpdateLine as a block: its numbers named (``names``: the optimizer's name →
    the block's) and sourced (``refs``, by the optimizer's names; the rest are the update's own)."""
    names = names or {}
    return EquationBlock(title, line.latex, {names.get(n, n): x for n, x in line.numbers.items()}, text,
                         refs={names.get(n, n): refs.get(n, APPLIED) for n in line.numbers},
                         claim=names.get(line.claim, line.claim), expr=_renamed(line.expr, names))


def _matrix_blocks(ctx: Context, rec, l: int) -> list[EquationBlock]:
    """A rule without state, for the whole W (and b) of layer l."""
    v, opt, k = ctx.view, ctx.optimizer, l + 1
    tr = "" if ctx.col else "^T"          # the gradient printed in the parameter's shape: (∂C/∂W)ᵀ with row vectors
    e = rec.W[l]
    refs = {"w": Ref("W", l), "w new": Ref("W_new", l), "g": Ref("dW", l), "eta": Ref("eta")}
    names = {"w": f"W^{k}", "w new": f"W^{k} new", "g": f"(dC/dW^{k}){tr}"}
    blocks = [_line_block(f"Layer {k}: weights" if n == 0 else "", line, refs, names=names)
              for n, line in enumerate(opt.equation_lines(rec, e, v.W_before[l], _tex, _texp, param=f"W^{{{k}}}"))]
    if not v.train_biases:
        return blocks + [_fixed_bias_block(ctx, l)]
    e = {name: col(x) for name, x in rec.b[l].items()}
    refs = {"w": Ref("b", l, "col"), "w new": Ref("b_new", l, "col"), "g": Ref("db", l, "col"), "eta": Ref("eta")}
    names = {"w": f"b^{k}", "w new": f"b^{k} new", "g": f"(dC/db^{k}){tr}"}
    return blocks + [_line_block(f"Layer {k}: biases" if n == 0 else "", line, refs, names=names)
                     for n, line in enumerate(opt.equation_lines(rec, e, col(v.b_before[l]), _tex, _texp,
                                                                 param=f"b^{{{k}}}"))]


def _fixed_bias_block(ctx: Context, l: int) -> EquationBlock:
    v, k = ctx.view, l + 1
    b0, b1 = v.b_before[l], v.b[l]
    return EquationBlock(f"Layer {k}: biases", rf"{column(b1)} = {column(b0)}",
                         {f"b^{k} new": col(b1), f"b^{k}": col(b0)}, "Fixed in this run.",
                         refs={f"b^{k} new": Ref("b_new", l, "col"), f"b^{k}": Ref("b", l, "col")},
                         claim=f"b^{k} new", expr=f"b^{k}")


def _applied_blocks(ctx: Context, rec, l: int) -> list[EquationBlock]:
    """W_new = W + ΔW (and b) of layer l, ΔW the change the update applied."""
    v, k, N, M = ctx.view, l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    W0, W1 = v.W_before[l], v.W[l]
    dW = rec.W[l]["delta"] if rec is not None else W1 - W0
    names = (f"W^{k} new", f"W^{k}", f"dW^{k}")
    latex = (rf"{under(matrix(W1), shape(N, M))} = {under(matrix(W0), shape(N, M))} + "
             rf"{under(matrix(dW), shape(N, M))}")
    blocks = [EquationBlock(f"Layer {k}: weights", latex, dict(zip(names, (W1, W0, dW))),
                            "The change ΔW the update applied, entry by entry.",
                            refs=dict(zip(names, (Ref("W_new", l), Ref("W", l), APPLIED))),
                            claim=names[0], expr=("+", names[1], names[2]))]
    if not v.train_biases:
        return blocks + [_fixed_bias_block(ctx, l)]
    b0, b1 = v.b_before[l], v.b[l]
    db = rec.b[l]["delta"] if rec is not None else b1 - b0
    names = (f"b^{k} new", f"b^{k}", f"db^{k}")
    return blocks + [EquationBlock(f"Layer {k}: biases", rf"{column(b1)} = {column(b0)} + {column(db)}",
                                   dict(zip(names, (col(b1), col(b0), col(db)))),
                                   refs=dict(zip(names, (Ref("b_new", l, "col"), Ref("b", l, "col"), APPLIED))),
                                   claim=names[0], expr=("+", names[1], names[2]))]


def _entry_blocks(ctx: Context, rec, l: int) -> list[EquationBlock]:
    """The optimizer's update of one weight of layer l (the selected one in its layer)."""
    v, opt, k, N, M = ctx.view, ctx.optimizer, l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    j, i = ctx.entry(l)
    e = {name: float(a[j, i]) for name, a in rec.W[l].items()}
    at = (j, i)
    refs = {"w": Ref("W", l, index=at), "w new": Ref("W_new", l, index=at), "g": Ref("dW", l, index=at),
            "eta": Ref("eta")}
    wide = "" if fits(N, M) else f"W{sup(k)} is {N}×{M}: too large to print, the selected weight."
    out = opt.equation_lines(rec, e, float(v.W_before[l][j, i]), num, nump, param=weight(k, j + 1, i + 1))
    return [_line_block(f"Layer {k}: weight {weight_name(k, j + 1, i + 1)}" if n == 0 else "", line, refs,
                        wide if n == 0 else "")
            for n, line in enumerate(out)]


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
    """One example's ∂C/∂W beside the batch-mean ∂C/∂W for the focus layer, in the convention's shape."""
    l = ctx.focus()[0]
    k, N, M = l + 1, ctx.sizes[l + 1], ctx.sizes[l]
    grads, n = batch_grads(ctx, X, Y)
    if grads is None:
        prod = (rf"\delta^{{{k}}}\,(a^{{{k - 1}}})^{{\mathsf{{T}}}}" if ctx.col else rf"a^{{{k - 1}}} \otimes \delta^{{{k}}}")
        return [EquationBlock("One example versus the batch", rf"\frac{{\partial C}}{{\partial W^{{{k}}}}} = {prod}", {},
                              "Batch size 1: the update uses this one example's gradient; nothing is averaged.")]
    B = grads.y.shape[0]
    one, mean = grads.dW_example(l, n), grads.dW[l]
    P1, Pm, ps = ctx.grad_mat(one), ctx.grad_mat(mean), grad_shape(ctx, l)
    cos = float(np.sum(one * mean) / max(np.linalg.norm(one) * np.linalg.norm(mean), 1e-300))
    text = (f"Batch of {B}: the update averages the {B} examples' gradients. This example's ∂C/∂W{sup(k)} "
            f"points its own way; the mean is what the weights follow.  Cosine between them: {format_number(cos)}.")
    needs = (("dW", l),)
    if fits(N, M):
        latex = (rf"\frac{{\partial C_n}}{{\partial W^{{{k}}}}} = {under(matrix(P1), ps)},\qquad "
                 rf"\frac{{1}}{{{B}}}\sum_{{n=1}}^{{{B}}}\frac{{\partial C_n}}{{\partial W^{{{k}}}}} = {under(matrix(Pm), ps)}")
        numbers = {f"dC_n/dW^{k}": P1, f"mean dC/dW^{k}": Pm}
        refs = {f"dC_n/dW^{k}": Ref("dW_data", l, ctx.W_form), f"mean dC/dW^{k}": Ref("derived", l, needs=needs)}
    else:
        latex = (rf"\left\lVert \frac{{\partial C_n}}{{\partial W^{{{k}}}}}\right\rVert = {num(np.linalg.norm(one))},\qquad "
                 rf"\left\lVert \frac{{1}}{{{B}}}\sum_n \frac{{\partial C_n}}{{\partial W^{{{k}}}}}\right\rVert = {num(np.linalg.norm(mean))}")
        numbers = {"|one|": float(np.linalg.norm(one)), "|mean|": float(np.linalg.norm(mean))}
        refs = {"|one|": Ref("dW_data", l, "norm"), "|mean|": Ref("derived", l, needs=needs)}
    return [EquationBlock(f"One example versus the batch, layer {k}", latex, numbers, text, refs=refs)]
