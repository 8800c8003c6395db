"""Gradient check: backprop's ∂C/∂W and ∂C/∂b against central finite differences.

For every parameter θ:  numeric = (C(θ + ε) − C(θ − ε)) / 2ε, with C the batch-mean loss plus
the network's weight penalty Ω; with dropout the masks are held fixed (``masks``), so the check
covers the factor m/(1 − p) of the backward pass.
The relative error per entry is |numeric − backprop| / max(|numeric| + |backprop|, floor):
a true relative error for gradients above ``floor`` and a scaled absolute one below it, so the
round-off in vanishing gradients (≈ 1e-11) is not reported as a failure.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network


@dataclass
class GradCheck:
    """Per layer l: ``numeric_W[l]``, ``backprop_W[l]``, ``rel_err_W[l]`` shaped like W[l]; same for b."""
    numeric_W: list
    backprop_W: list
    rel_err_W: list
    numeric_b: list
    backprop_b: list
    rel_err_b: list
    eps: float
    threshold: float = 1e-6

    @property
    def max_rel_err(self) -> float:
        return float(max(e.max() for e in self.rel_err_W + self.rel_err_b))

    @property
    def n_above(self) -> int:
        """How many entries have a relative error above ``threshold``."""
        return int(sum((e > self.threshold).sum() for e in self.rel_err_W + self.rel_err_b))

    @property
    def ok(self) -> bool:
        return self.max_rel_err <= self.threshold


def relative_error(numeric: np.ndarray, backprop: np.ndarray, floor: float = 1e-4) -> np.ndarray:
    return np.abs(numeric - backprop) / np.maximum(np.abs(numeric) + np.abs(backprop), floor)


def numeric_gradient(net: Network, x, y, param: np.ndarray, eps: float, masks=None) -> np.ndarray:
    """∂C/∂param by central differences, perturbing ``param`` (one of net.W / net.b) in place."""
    grad = np.zeros_like(param)
    flat, gflat = param.reshape(-1), grad.reshape(-1)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(flat.size):
            old = flat[k]
            flat[k] = old + eps
            c_plus = net.loss_and_grads(x, y, masks).loss
            flat[k] = old - eps
            c_minus = net.loss_and_grads(x, y, masks).loss
            flat[k] = old
            gflat[k] = (c_plus - c_minus) / (2 * eps)
    return grad


def gradient_check(net: Network, x, y, eps: float = 1e-5, threshold: float = 1e-6,
                   max_params: int = 20_000, masks=None) -> GradCheck:
    """Backprop against central differences for every parameter of ``net`` on (x, y), with the
    dropout ``masks`` (see ``Network.forward``) held fixed if given."""
    if net.n_params > max_params:
        raise ValueError(f"the gradient check perturbs each of the {net.n_params:,} parameters twice; "
                         f"it is offered up to {max_params:,}")
    grads = net.loss_and_grads(x, y, masks)
    num_W = [numeric_gradient(net, x, y, W, eps, masks) for W in net.W]
    num_b = [numeric_gradient(net, x, y, b, eps, masks) for b in net.b]
    return GradCheck(num_W, grads.dW, [relative_error(n, g) for n, g in zip(num_W, grads.dW)],
                     num_b, grads.db, [relative_error(n, g) for n, g in zip(num_b, grads.db)],
                     eps, threshold)
