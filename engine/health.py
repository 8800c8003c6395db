"""Gradient health per layer: is the error signal vanishing, exploding, or are units saturated?

For layer l (0-based) of one step:
- ``delta_norm``: ‖δ[l]‖ (Frobenius over the batch);
- ``update_ratio``: ‖∂C/∂W[l]‖ / ‖W[l]‖, the relative size of a gradient step;
- ``saturated``: units whose σ′(z) is below ``threshold`` (sigmoid/tanh tails) or that are dead
  ReLUs (z ≤ 0, σ′ = 0) — a boolean mask over the layer's units (any example of a batch).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SATURATION_THRESHOLD = 0.01


@dataclass
class LayerHealth:
    layer: int
    delta_norm: float
    update_ratio: float
    saturated: np.ndarray   # (N_{l+1},) bool
    sigma_prime_mean: float

    @property
    def n_saturated(self) -> int:
        return int(self.saturated.sum())


def saturated_mask(sigma_prime: np.ndarray, threshold: float = SATURATION_THRESHOLD) -> np.ndarray:
    """Units (last axis) with σ′ below ``threshold``, in every example of a batch."""
    s = np.asarray(sigma_prime)
    mask = s < threshold
    return mask.all(axis=0) if s.ndim == 2 else mask


def layer_health(W: list, grads, threshold: float = SATURATION_THRESHOLD) -> list[LayerHealth]:
    out = []
    for l, (W_l, d, dW, s) in enumerate(zip(W, grads.delta, grads.dW, grads.sigma_prime)):
        w_norm = float(np.linalg.norm(W_l))
        out.append(LayerHealth(l, float(np.linalg.norm(d)), float(np.linalg.norm(dW)) / w_norm if w_norm else float("inf"),
                               saturated_mask(s, threshold), float(np.mean(s))))
    return out
