"""Activation functions σ, each paired with its derivative σ′.

Every activation maps z to a = σ(z) elementwise over the last axis and works on one example
(shape (N,)) or a batch (shape (B, N)).  ``prime(z, a)`` returns σ′(z) with the same shape:
for elementwise activations that is the diagonal of the Jacobian ∂a/∂z, which is therefore the
diagonal matrix diag σ′(z).  Softmax is not elementwise: its ``prime`` is the diagonal of its
Jacobian, a ⊙ (1 − a), and ``jacobian`` gives the full matrix diag(a) − a aᵀ.

The registry ``ACTIVATIONS`` is the one place names are looked up; the GUI's menus read it.
"""
from __future__ import annotations

import numpy as np


class Activation:
    """σ and σ′ for one activation.  Subclasses define ``__call__`` and ``prime``."""

    name = ""
    title = ""
    elementwise = True   # False only for softmax
    hidden_ok = True     # softmax may only be used in the output layer
    probabilities = False   # outputs in (0, 1), as a cross-entropy loss expects
    init_gain = 1.0      # initial weights of the layer it follows: N(0, gain / fan-in) (He: 2 for ReLUs)
    torch_module = ""    # the PyTorch module computing the same function (engine.torch_bridge)
    formula = ""         # σ(z) in LaTeX, for the derivation panel
    prime_formula = ""   # σ′(z) in LaTeX
    output_symbol = "a"  # what the output aᴸ is called when this is the output activation

    @property
    def display_name(self) -> str:
        """The name the menus and the derivation panel show."""
        return self.title

    def jacobian_symbol(self, layer: str) -> str:
        """∂a/∂z of layer ``layer`` (a superscript such as "²") in Unicode, for banners."""
        return f"diag σ′(z{layer})"

    def jacobian_latex(self, layer) -> str:
        """∂a/∂z of layer ``layer`` (book numbering) in LaTeX."""
        return rf"\operatorname{{diag}}\sigma'(z^{{{layer}}})"

    def __call__(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def prime(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """σ′(z), shape of z.  ``a`` is σ(z), passed so it need not be recomputed."""
        raise NotImplementedError

    def jacobian(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """∂a/∂z: (N, N) for one example, (B, N, N) for a batch; diag σ′(z) when elementwise."""
        s = self.prime(z, a)
        return s[..., :, None] * np.eye(s.shape[-1])

    def vjp(self, g: np.ndarray, z: np.ndarray, a: np.ndarray, s: np.ndarray) -> np.ndarray:
        """g · ∂a/∂z for a row-vector gradient g (shape of a); ``s`` is σ′(z).  g ⊙ σ′ when elementwise."""
        return g * s

    def __repr__(self) -> str:
        return f"<activation {self.name}>"


class Sigmoid(Activation):
    name, title = "sigmoid", "Sigmoid"
    torch_module = "nn.Sigmoid()"
    probabilities = True
    formula = r"\sigma(z) = \frac{1}{1+e^{-z}}"
    prime_formula = r"\sigma'(z) = \sigma(z)\,(1-\sigma(z))"

    def __call__(self, z):
        # ½(1 + tanh(z/2)) equals 1/(1+e^{-z}) and never overflows, even for |z| ~ 1e3.
        return 0.5 + 0.5 * np.tanh(0.5 * z)

    def prime(self, z, a):
        return a * (1.0 - a)


class Tanh(Activation):
    name, title = "tanh", "tanh"
    torch_module = "nn.Tanh()"
    formula = r"\tanh(z)"
    prime_formula = r"\tanh'(z) = 1-\tanh^2(z)"

    def __call__(self, z):
        return np.tanh(z)

    def prime(self, z, a):
        return 1.0 - a * a


class ReLU(Activation):
    name, title = "relu", "ReLU"
    torch_module = "nn.ReLU()"
    init_gain = 2.0
    formula = r"\max(0, z)"
    prime_formula = r"\mathrm{ReLU}'(z) = [z > 0]"

    def __call__(self, z):
        return np.maximum(z, 0.0)

    def prime(self, z, a):
        return (z > 0).astype(z.dtype)


class LeakyReLU(Activation):
    name, title = "leaky_relu", "Leaky ReLU"
    torch_module = "nn.LeakyReLU(0.01)"
    init_gain = 2.0
    slope = 0.01
    formula = r"\max(0.01z,\, z)"
    prime_formula = r"1 \text{ if } z>0 \text{ else } 0.01"

    def __call__(self, z):
        return np.where(z > 0, z, self.slope * z)

    def prime(self, z, a):
        return np.where(z > 0, 1.0, self.slope)


class Linear(Activation):
    name, title = "linear", "Linear (identity)"
    torch_module = "nn.Identity()"
    formula = r"z"
    prime_formula = r"1"

    def __call__(self, z):
        return z.copy()

    def prime(self, z, a):
        return np.ones_like(z)


class Softmax(Activation):
    name, title = "softmax", "Softmax (output only)"
    torch_module = "nn.Softmax(dim=-1)"
    probabilities = True
    elementwise = False
    hidden_ok = False
    formula = r"\mathrm{softmax}(z)_j = \frac{e^{z_j}}{\sum_k e^{z_k}}"
    prime_formula = r"\frac{\partial a_j}{\partial z_k} = a_j(\delta_{jk} - a_k)"
    output_symbol = "p"

    @property
    def display_name(self) -> str:
        return "Softmax"

    def jacobian_symbol(self, layer: str) -> str:
        return f"J(z{layer})"

    def jacobian_latex(self, layer) -> str:
        return rf"J(z^{{{layer}}})"

    def __call__(self, z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))   # shift by the max: no overflow at ±1e3
        return e / e.sum(axis=-1, keepdims=True)

    def prime(self, z, a):
        return a * (1.0 - a)                            # the diagonal of the Jacobian

    def jacobian(self, z, a):
        return a[..., :, None] * np.eye(a.shape[-1]) - a[..., :, None] * a[..., None, :]

    def vjp(self, g, z, a, s):
        # g · (diag(a) − a aᵀ) = a ⊙ (g − g·a)
        return a * (g - (g * a).sum(axis=-1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    act.name: act for act in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Linear(), Softmax())
}
HIDDEN_ACTIVATIONS = [name for name, act in ACTIVATIONS.items() if act.hidden_ok]


def get_activation(name: str, hidden: bool = False) -> Activation:
    """The activation called ``name``; ValueError naming the allowed names otherwise."""
    if isinstance(name, Activation):
        name = name.name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; allowed: {', '.join(ACTIVATIONS)}")
    act = ACTIVATIONS[name]
    if hidden and not act.hidden_ok:
        raise ValueError(f"activation {name!r} is allowed in the output layer only; "
                         f"hidden layers allow: {', '.join(HIDDEN_ACTIVATIONS)}")
    return act
