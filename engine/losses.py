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
    """C and ∂C/∂a for one loss, with what the derivation panel says about it: its display name,
    its formula, the loss written out with an example's numbers (``terms_latex``) and how δ^L
    follows from it (``delta_banner``, ``derivation``).  A subclass that leaves one of them out
    fails loudly (NotImplementedError), never falls back on another loss's formula."""
    name = ""
    title = ""
    short_name = ""     # for one-line summaries: "½·SSE"
    abbreviation = ""   # the usual initials, where a name must be shortest (a narrow dock's title): "BCE"
    formula = ""        # C in LaTeX, for the derivation panel
    grad_formula = ""   # ∂C/∂a in LaTeX
    grad_text = ""      # ∂C/∂a in Unicode
    fused_with = None   # the output activation with a closed-form δ^L
    needs_probabilities = False   # log a: the output activation must give probabilities
    torch_loss = ""     # the same cost in PyTorch, summed over outputs and averaged over the batch (out = model(x))
    torch_fused = ""    # for the fused pairing: the same cost in PyTorch from the logits, without the last activation
    fused_why = ""      # how the closed form follows, in words (for the fused pairing)
    has_half = False    # C carries a factor ½ that a student can forget or apply twice (worksheet mistakes)

    @property
    def display_name(self) -> str:
        """The name the menus and the derivation panel show."""
        return self.title

    def value(self, a, y, z=None, act: Activation | None = None):
        raise NotImplementedError

    def grad(self, a, y):
        raise NotImplementedError

    def terms_latex(self, a, y, num) -> str:
        """C written out with the numbers of one example (``num`` formats a number as LaTeX)."""
        raise NotImplementedError(f"loss {self.name!r} does not say how to write itself out")

    def is_fused(self, act: Activation) -> bool:
        return act.name == self.fused_with

    def delta_banner(self, act: Activation, layer: str) -> tuple[str, str]:
        """δ^L for the banner in Unicode, (row-vector form, column-vector form); ``layer`` is the
        superscript of L, e.g. "²"."""
        K = layer
        if self.is_fused(act):
            eq = f"δ{K} = a{K} − y"
            return eq, eq
        J = act.jacobian_symbol(K)
        if act.elementwise:
            return f"δ{K} = ∂C/∂a{K} · {J}", f"δ{K} = ∇C(a{K}) ⊙ σ′(z{K})"
        return f"δ{K} = ∂C/∂a{K} · {J}", f"δ{K} = {J}ᵀ ∇C(a{K})"

    def derivation(self, act: Activation) -> str:
        """How δ^L = ∂C/∂z^L follows from this loss and the output activation ``act``, in words."""
        if self.is_fused(act):
            return self.fused_why
        if act.elementwise:
            return (f"The loss gives ∂C/∂a = {self.grad_text}; each output's own slope σ′(z_j) scales entry j, "
                    "because z_j moves a_j and no other output: the Jacobian of an element-wise σ is diagonal.")
        return (f"The loss gives ∂C/∂a = {self.grad_text}; {act.name} is not element-wise, "
                "every output depends on every z, so ∂C/∂a passes through the full Jacobian diag(a) − a aᵀ: "
                "δ_j = Σ_k ∂C/∂a_k · a_k(δ_kj − a_j).")

    def delta(self, z, a, y, act: Activation, s):
        """δ^L = ∂C/∂a^L · ∂a^L/∂z^L, the vector–Jacobian product (diag σ′ for elementwise σ)."""
        return act.vjp(self.grad(a, y), z, a, s)

    def __repr__(self) -> str:
        return f"<loss {self.name}>"


class HalfSSE(Loss):
    name, title = "half_sse", "½ sum of squared errors"
    short_name = "½·SSE"
    abbreviation = "½·SSE"
    has_half = True
    torch_loss = "0.5 * ((out - y) ** 2).sum(dim=-1).mean()"
    formula = r"C = \tfrac{1}{2}\sum_j (a_j - y_j)^2"
    grad_formula = r"\frac{\partial C}{\partial a_j} = a_j - y_j"
    grad_text = "a − y"

    def value(self, a, y, z=None, act=None):
        return 0.5 * ((a - y) ** 2).sum(axis=-1)

    def terms_latex(self, a, y, num):
        return _squares(a, y, num, r"\tfrac{1}{2}")

    def grad(self, a, y):
        return a - y


class SSE(Loss):
    name, title = "sse", "Sum of squared errors"
    short_name = "SSE"
    abbreviation = "SSE"
    torch_loss = "((out - y) ** 2).sum(dim=-1).mean()"
    formula = r"C = \sum_j (a_j - y_j)^2"
    grad_formula = r"\frac{\partial C}{\partial a_j} = 2(a_j - y_j)"
    grad_text = "2(a − y)"

    def value(self, a, y, z=None, act=None):
        return ((a - y) ** 2).sum(axis=-1)

    def terms_latex(self, a, y, num):
        return _squares(a, y, num)

    def grad(self, a, y):
        return 2.0 * (a - y)


class MSE(Loss):
    name, title = "mse", "Mean squared error"
    short_name = "MSE"
    abbreviation = "MSE"
    torch_loss = "((out - y) ** 2).mean(dim=-1).mean()"
    formula = r"C = \frac{1}{N}\sum_j (a_j - y_j)^2"
    grad_formula = r"\frac{\partial C}{\partial a_j} = \frac{2}{N}(a_j - y_j)"
    grad_text = "(2/N)(a − y)"

    def value(self, a, y, z=None, act=None):
        return ((a - y) ** 2).mean(axis=-1)

    def terms_latex(self, a, y, num):
        return _squares(a, y, num, rf"\tfrac{{1}}{{{len(a)}}}")

    def grad(self, a, y):
        return 2.0 * (a - y) / a.shape[-1]


class CrossEntropy(Loss):
    name, title = "cross_entropy", "Cross-entropy"
    needs_probabilities = True
    short_name = "cross-entropy"
    abbreviation = "CE"
    torch_loss = "-(y * out.log()).sum(dim=-1).mean()"
    torch_fused = "drop the final Softmax and use nn.CrossEntropyLoss() on the logits"
    formula = r"C = -\sum_j y_j \log a_j"
    grad_formula = r"\frac{\partial C}{\partial a_j} = -\frac{y_j}{a_j}"
    grad_text = "−y/a"
    fused_with = "softmax"
    fused_why = ("Cross-entropy's ∂C/∂p_j = −y_j/p_j times the softmax Jacobian ∂p_j/∂z_k = p_j(δ_jk − p_k) "
                 "sums to p_k Σ_j y_j − y_k = p_k − y_k for a one-hot y: every division cancels.")

    def terms_latex(self, a, y, num):
        return "".join(rf"- {num(t)}\log {num(p)} " for p, t in zip(a, y)).strip()

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
    short_name = "binary cross-entropy"
    abbreviation = "BCE"
    torch_loss = "nn.functional.binary_cross_entropy(out, y, reduction='none').sum(dim=-1).mean()"
    torch_fused = ("drop the final Sigmoid and use nn.functional.binary_cross_entropy_with_logits(logits, y, "
                   "reduction='none').sum(dim=-1).mean()")
    formula = r"C = -\sum_j \left[y_j \log a_j + (1-y_j)\log(1-a_j)\right]"
    grad_formula = r"\frac{\partial C}{\partial a_j} = \frac{a_j - y_j}{a_j(1-a_j)}"
    grad_text = "(a − y)/(a(1 − a))"
    fused_with = "sigmoid"
    fused_why = ("Binary cross-entropy's ∂C/∂a = (a − y)/(a(1 − a)) times the sigmoid's σ′(z) = a(1 − a) "
                 "leaves a − y: the slope that would vanish in saturation cancels.")

    def terms_latex(self, a, y, num):
        return "".join(rf"- \left[{num(t)}\log {num(p)} + {_paren(num(1 - t))}\log {_paren(num(1 - p))}\right] "
                       for p, t in zip(a, y)).strip()

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


def _paren(s: str) -> str:
    return f"({s})" if s.startswith("-") else s


def _squares(a, y, num, factor: str = "") -> str:
    """factor (a₁ − y₁)² + factor (a₂ − y₂)² + … with numbers: a flat sum (a factor on each term, as
    Mazur writes ½(target − out)², not around the whole), so a long one wraps at its + signs."""
    return " + ".join(rf"{factor}({num(p)} - {_paren(num(t))})^2" for p, t in zip(a, y))


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (HalfSSE(), SSE(), MSE(), CrossEntropy(), BCE())}


def get_loss(name: str) -> Loss:
    """The loss called ``name``; ValueError naming the allowed names otherwise."""
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; allowed: {', '.join(LOSSES)}")
    return LOSSES[name]
