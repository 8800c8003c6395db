"""Hover texts of the graph view, with the live numbers of the current micro-step.  Indices are the
book's, from 1 (neuron j of layer l, z¹₂, w²₁₂ = W²[1, 2] as in the heatmaps); each quantity's value
is given at the View setting's figures and exactly; the arithmetic lines at the View setting's."""
from __future__ import annotations

import numpy as np

from engine.notation import sub, sup, weight_name
from engine.optim import OPTIMIZERS
from gui.numbers import book, format_hover, format_number

from .values import one

NOT_YET = "not computed yet at this micro-step"


def _num(v) -> str:
    return format_number(float(v))


def _entry(arrays, l: int, j: int):
    """arrays[l][j] of the (batch-mean) vector, or None when unknown."""
    if l < 0 or l >= len(arrays) or arrays[l] is None:
        return None
    return float(one(arrays[l])[j])


def _line(name: str, v) -> str:
    return f"{name} = {format_hover(v)}" if v is not None else f"{name}: {NOT_YET}"


def neuron_tip(view, k: int, j: int, activation: str = "") -> str:
    """Neuron j (0-based) of column k: z, a, σ′(z), δ."""
    J = sub(book(j))
    if k == 0:
        a = _entry(view.a, 0, j)
        return f"Input {book(j)}: x{J} (a⁰{J})\n" + _line(f"a⁰{J} = x{J}", a)
    K = sup(k)
    head = f"Neuron {book(j)} of layer {k}" + (f" ({activation})" if activation else "")
    lines = [head,
             _line(f"z{K}{J}", _entry(view.z, k - 1, j)),
             _line(f"a{K}{J} = σ(z{K}{J})", _entry(view.a, k, j)),
             _line(f"σ′(z{K}{J})", _entry(view.sigma_prime, k - 1, j)),
             _line(f"δ{K}{J} = ∂C/∂z{K}{J}", _entry(view.delta, k - 1, j))]
    s = _entry(view.sigma_prime, k - 1, j)
    if s is not None and s < 0.01:
        lines.append("saturated: σ′ < 0.01, almost no gradient passes")
    return "\n".join(lines)


def edge_tip(view, l: int, j: int, i: int) -> str:
    """Edge W[l][j, i] (0-based), the book's w^{l+1}_{j+1, i+1}: w and ∂C/∂w = δ_j · a_i with the numbers."""
    K, J, I = sup(l + 1), sub(book(j)), sub(book(i))
    lines = [f"Weight {weight_name(l + 1, book(j), book(i))}: neuron {book(i)} of layer {l} → neuron {book(j)} of layer {l + 1}"]
    if view.updated:
        lines.append(f"w = {format_hover(view.W[l][j, i])}   (before the update {format_hover(view.W_before[l][j, i])})")
    else:
        lines.append(f"w = {format_hover(view.W[l][j, i])}")
    if view.dW[l] is None:
        lines.append(f"∂C/∂w: {NOT_YET}")
    else:
        d, a = np.asarray(view.delta[l]), np.asarray(view.a[l])
        g = float(view.dW[l][j, i])
        if d.ndim == 1:
            lines.append(f"∂C/∂w = δ{K}{J} a{sup(l)}{I} = {_num(d[j])} × {_num(a[i])} = {format_hover(g)}")
        else:
            lines.append(f"∂C/∂w = mean over the batch of δ{K}{J} a{sup(l)}{I} = {format_hover(g)}")
        lines.append(_step_line(view, l, j, i, g))
    return "\n".join(lines)


def _step_line(view, l: int, j: int, i: int, g: float) -> str:
    """The step of w: −η ∂C/∂w for a rule that follows from the gradient alone (plain SGD); for one
    with state (momentum, Adam) the Δw it applied, known at the update, since −η ∂C/∂w is not it."""
    opt = OPTIMIZERS[view.optimizer]
    if opt.exact_from_gradient:
        return f"step −η ∂C/∂w = −{_num(view.eta)} × {_num(g)} = {format_hover(-view.eta * g)}"
    rec = view.optimizer_step
    if rec is None or l >= len(rec.W):
        return f"step: {opt.title} applies its own Δw (not −η ∂C/∂w) at the update"
    return f"step Δw applied by {opt.title} = {format_hover(rec.W[l]['delta'][j, i])}"


def bias_tip(view, l: int, j: int | None = None) -> str:
    """The bias unit of column l (j None) or its edge to neuron j (0-based) of column l + 1."""
    K = sup(l + 1)
    if j is None:
        n = view.b[l].shape[0]
        vals = ", ".join(_num(v) for v in view.b[l][:8]) + (", …" if n > 8 else "")
        return f"Bias unit of layer {l + 1}: the constant 1, times b{K}\nb{K} = [{vals}]"
    J = sub(book(j))
    lines = [f"Bias b{K}{J}: into neuron {book(j)} of layer {l + 1}", f"b = {format_hover(view.b[l][j])}"]
    if view.db[l] is None:
        lines.append(f"∂C/∂b: {NOT_YET}")
    else:
        lines.append(f"∂C/∂b = δ{K}{J} = {format_hover(view.db[l][j])}")
    return "\n".join(lines)
