"""Loss functions C(a^L, y), each paired with its gradient ∂C/∂a^L.

``value(a, y)`` is the loss of each example: a float for one example (a of shape (N,)), an
array of shape (B,) for a batch (B, N).  ``grad(a, y)`` is ∂C/∂a^L with the shape of ``a``.
``delta(z, a, y, act, s)`` is δ^L = ∂C/∂z^L = ∂C/∂a^L · ∂a^L/∂z^L; two pairings have the short,
numerically stable closed forms of the texts:

- softmax with cross-entropy: δ^L = p − y (for one-hot y; in general p·Σy − y);
- sigmoid with binary cross-entropy: δ^L = a − y.

For those pairings the loss value is computed from z (log-sum-exp, softplus), so it stays
finite and exact for |z| up to 1e3 and beyond.  Registry: ``LOSSES``.
"""
from __future__ import annotations

import numpy as np

from .activations import Activation

EPS = 1e-12   # log(a) is evaluated at max(a, EPS) outside the fused pairings


class Loss:
    name = ""
    title = ""
    formula = ""        # C in LaTeX, for the derivation panel
    grad_formula = ""   # ∂C/∂a in LaTeX
    fused_with = None   # the output activation with a closed-form δ^L
    needs_probabilities = False   # log a: the output activation must give probabilities

    def value(self, a, y, z=None, act: Activation | None = None):
        raise NotImplementedError

    def grad(self, a, y):
        raise NotImplementedError

    def is_fused(self, act: Activation) -> bool:
        return act.name == self.fused_with

    def delta(self, z, a, y, act: Activation, s):
        """δ^L = ∂C/∂a^L · ∂a^L/∂z^L, the vector–Jacobian product (diag σ′ for elementwise σ)."""
        return act.vjp(self.grad(a, y), z, a, s)

    def __repr__(self) -> str:
        return f"<loss {self.name}>"


class HalfSSE(Loss):
    name, title = "half_sse", "½ sum of squared errors"
    formula = r"C = \tfrac{1}{2}\sum_j (a_j - y_j)^2"
    grad_formula = r"\frac{\partial C}{\partial a_j} = a_j - y_j"

    def value(self, a, y, z=None, act=None):
        return 0.5 * ((a - y) ** 2).sum(axis=-1)

    def grad(self, a, y):
        return a - y


class SSE(Loss):
    name, title = "sse", "Sum of squared errors"
    formula = r"C = \sum_j (a_j - y_j)^2"
    grad_formula = r"\frac{\partial C}{\partial a_j} = 2(a_j - y_j)"

    def value(self, a, y, z=None, act=None):
        return ((a - y) ** 2).sum(axis=-1)

    def grad(self, a, y):
        return 2.0 * (a - y)


class MSE(Loss):
    name, title = "mse", "Mean squared error"
    formula = r"C = \frac{1}{N}\sum_j (a_j - y_j)^2"
    grad_formula = r"\frac{\partial C}{\partial a_j} = \frac{2}{N}(a_j - y_j)"

    def value(self, a, y, z=None, act=None):
        return ((a - y) ** 2).mean(axis=-1)

    def grad(self, a, y):
        return 2.0 * (a - y) / a.shape[-1]


class CrossEntropy(Loss):
    name, title = "cross_entropy", "Cross-entropy"
    needs_probabilities = True
    formula = r"C = -\sum_j y_j \log a_j"
    grad_formula = r"\frac{\partial C}{\partial a_j} = -\frac{y_j}{a_j}"
    fused_with = "softmax"

    def value(self, a, y, z=None, act=None):
        if z is not None and act is not None and self.is_fused(act):
            m = z.max(axis=-1, keepdims=True)
            log_p = z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
            return -(y * log_p).sum(axis=-1)
        return -(y * np.log(np.maximum(a, EPS))).sum(axis=-1)

    def grad(self, a, y):
        return -y / np.maximum(a, EPS)

    def delta(self, z, a, y, act, s):
        if self.is_fused(act):
            return a * y.sum(axis=-1, keepdims=True) - y    # p − y for one-hot y
        return super().delta(z, a, y, act, s)


class BCE(Loss):
    name, title = "bce", "Binary cross-entropy"
    needs_probabilities = True
    formula = r"C = -\sum_j \left[y_j \log a_j + (1-y_j)\log(1-a_j)\right]"
    grad_formula = r"\frac{\partial C}{\partial a_j} = \frac{a_j - y_j}{a_j(1-a_j)}"
    fused_with = "sigmoid"

    def value(self, a, y, z=None, act=None):
        if z is not None and act is not None and self.is_fused(act):
            # −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z)
            return (y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)).sum(axis=-1)
        a = np.clip(a, EPS, 1.0 - EPS)
        return -(y * np.log(a) + (1.0 - y) * np.log(1.0 - a)).sum(axis=-1)

    def grad(self, a, y):
        a = np.clip(a, EPS, 1.0 - EPS)
        return (a - y) / (a * (1.0 - a))

    def delta(self, z, a, y, act, s):
        if self.is_fused(act):
            return a - y
        return super().delta(z, a, y, act, s)


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (HalfSSE(), SSE(), MSE(), CrossEntropy(), BCE())}


def get_loss(name: str) -> Loss:
    """The loss called ``name``; ValueError naming the allowed names otherwise."""
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; allowed: {', '.join(LOSSES)}")
    return LOSSES[name]
