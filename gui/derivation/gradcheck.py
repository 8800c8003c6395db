"""The gradient check for the current example, on a copy of the network with the weights the
example was computed with (before the update), its weight penalty and — with dropout — the
example's masks held fixed.  If ``engine.gradcheck.gradient_check`` refuses a large network, only
one layer is checked, and the result says so."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.gradcheck import GradCheck, gradient_check, numeric_gradient, relative_error

from .context import copy_network


@dataclass
class CheckResult:
    """``check``'s lists hold the checked layers only: entry n belongs to W index ``layers[n]``."""
    check: GradCheck
    layers: list          # the W indices checked
    message: str          # shown above the table
    subset: bool = False  # True when only some layers were checked


def _layer_check(net, x, y, layer: int, eps: float, threshold: float, masks=None) -> GradCheck:
    with np.errstate(over="ignore", invalid="ignore"):
        grads = net.loss_and_grads(x, y, masks)
    num_W = numeric_gradient(net, x, y, net.W[layer], eps, masks)
    num_b = numeric_gradient(net, x, y, net.b[layer], eps, masks)
    return GradCheck([num_W], [grads.dW[layer]], [relative_error(num_W, grads.dW[layer])],
                     [num_b], [grads.db[layer]], [relative_error(num_b, grads.db[layer])], eps, threshold)


def run_gradient_check(net, W_before, b_before, x, y, layer: int = 0, eps: float = 1e-5,
                       threshold: float = 1e-6, max_params: int = 20_000, masks=None) -> CheckResult:
    """Central differences against backprop for every parameter (or, if that is refused as too
    many, for layer ``layer`` only).  ``net`` itself is never changed."""
    copy = copy_network(net, W_before, b_before)
    copy.penalty, copy.lam = net.penalty, net.lam     # the check covers the cost the update descends
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    try:
        check = gradient_check(copy, x, y, eps=eps, threshold=threshold, max_params=max_params, masks=masks)
        layers = list(range(net.L))
        msg = f"All {net.n_params:,} parameters checked with ε = {eps:g}."
    except ValueError as e:
        n = net.W[layer].size + net.b[layer].size
        if n > max_params:
            raise ValueError(f"{e}; even layer {layer + 1} alone has {n:,} parameters") from e
        check = _layer_check(copy, x, y, layer, eps, threshold, masks)
        layers = [layer]
        msg = (f"Only layer {layer + 1} checked ({n:,} of {net.n_params:,} parameters): the full check "
               f"was refused — {e}.")
    return CheckResult(check, layers, msg, len(layers) < net.L)
