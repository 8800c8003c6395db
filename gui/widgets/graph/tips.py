"""Hover texts of the graph view, with the live numbers of the current micro-step.  Indices are the
code's, 0-based, as in the heatmaps (W²[j, i]); layers carry the book's number as a superscript."""
from __future__ import annotations

import numpy as np

from engine.stepper import sup
from gui.theme import fmt

from .values import one

NOT_YET = "not computed yet at this micro-step"


def _num(v) -> str:
    return fmt(float(v), 4)


def _entry(arrays, l: int, j: int):
    """arrays[l][j] of the (batch-mean) vector, or None when unknown."""
    if l < 0 or l >= len(arrays) or arrays[l] is None:
        return None
    return float(one(arrays[l])[j])


def _line(name: str, v) -> str:
    return f"{name} = {_num(v)}" if v is not None else f"{name}: {NOT_YET}"


def neuron_tip(view, k: int, j: int, activation: str = "") -> str:
    """Neuron j of column k: z, a, σ′(z), δ."""
    if k == 0:
        a = _entry(view.a, 0, j)
        return f"Input x[{j}] (a⁰[{j}])\n" + _line(f"a⁰[{j}] = x[{j}]", a)
    K = sup(k)
    head = f"Neuron {j} of layer {k}" + (f" ({activation})" if activation else "")
    lines = [head,
             _line(f"z{K}[{j}]", _entry(view.z, k - 1, j)),
             _line(f"a{K}[{j}] = σ(z)", _entry(view.a, k, j)),
             _line(f"σ′(z{K}[{j}])", _entry(view.sigma_prime, k - 1, j)),
             _line(f"δ{K}[{j}] = ∂C/∂z", _entry(view.delta, k - 1, j))]
    s = _entry(view.sigma_prime, k - 1, j)
    if s is not None and s < 0.01:
        lines.append("saturated: σ′ < 0.01, almost no gradient passes")
    return "\n".join(lines)


def edge_tip(view, l: int, j: int, i: int) -> str:
    """Edge W[l][j, i]: w and ∂C/∂w = δ_j · a_i with the numbers."""
    K = sup(l + 1)
    lines = [f"Weight w{K}[{j}, {i}]: neuron {i} of layer {l} → neuron {j} of layer {l + 1}"]
    if view.updated:
        lines.append(f"w = {_num(view.W[l][j, i])}   (before the update {_num(view.W_before[l][j, i])})")
    else:
        lines.append(f"w = {_num(view.W[l][j, i])}")
    if view.dW[l] is None:
        lines.append(f"∂C/∂w: {NOT_YET}")
    else:
        d, a = np.asarray(view.delta[l]), np.asarray(view.a[l])
        g = float(view.dW[l][j, i])
        if d.ndim == 1:
            lines.append(f"∂C/∂w = δ{K}[{j}] a{sup(l)}[{i}] = {_num(d[j])} × {_num(a[i])} = {_num(g)}")
        else:
            lines.append(f"∂C/∂w = mean over the batch of δ{K}[{j}] a{sup(l)}[{i}] = {_num(g)}")
        lines.append(f"step −η ∂C/∂w = −{view.eta:g} × {_num(g)} = {_num(-view.eta * g)}")
    return "\n".join(lines)


def bias_tip(view, l: int, j: int | None = None) -> str:
    """The bias unit of column l (j None) or its edge to neuron j of column l + 1."""
    K = sup(l + 1)
    if j is None:
        n = view.b[l].shape[0]
        vals = ", ".join(_num(v) for v in view.b[l][:8]) + (", …" if n > 8 else "")
        return f"Bias unit of layer {l + 1}: the constant 1, times b{K}\nb{K} = [{vals}]"
    lines = [f"Bias b{K}[{j}]: into neuron {j} of layer {l + 1}", f"b = {_num(view.b[l][j])}"]
    if view.db[l] is None:
        lines.append(f"∂C/∂b: {NOT_YET}")
    else:
        lines.append(f"∂C/∂b = δ{K}[{j}] = {_num(view.db[l][j])}")
    return "\n".join(lines)
