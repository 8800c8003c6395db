"""Weight penalties and dropout: the training terms the plain backprop equations leave out.

Penalties (on the weights W[l] only, never on the biases), each paired with its derivative:

- ``none``: no penalty.
- ``l2``:   Ω = (λ/2) Σ_l Σ_ji (w^l_ji)²,  ∂Ω/∂W^l = λ W^l            ("weight decay")
- ``l1``:   Ω = λ Σ_l Σ_ji |w^l_ji|,       ∂Ω/∂W^l = λ sign(W^l)      (sign 0 = 0, a subgradient)

The cost the optimizer descends is C = C_data + Ω; the engine keeps both terms apart
(``Grads.data_loss``, ``Grads.penalty``; ``Grads.dW_data``, ``Grads.dW_penalty``) so the views
can show them as separate terms.  Registry: ``PENALTIES``.

Dropout (hidden layers only, training only, "inverted" scaling): each hidden activation is kept
with probability 1 − p, a^l = σ(z^l) ⊙ m^l / (1 − p) with m^l ∈ {0, 1}; so the backward pass
carries the same factor, δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ′(z^l) ⊙ m^l / (1 − p).  At evaluation
nothing is dropped and nothing is scaled.  ``dropout_masks`` draws the masks of one update from
a seed and the update's number, so a rewind replays exactly the same masks.
"""
from __future__ import annotations

import numpy as np

MAX_LAMBDA = 10.0
MAX_DROPOUT = 0.9


class Penalty:
    """Ω and ∂Ω/∂W for one penalty, with how the views write them: Ω in LaTeX (``formula``), its
    gradient in LaTeX and Unicode (``grad_latex``, ``grad_text``) and for one weight with numbers
    (``entry_latex``, with the expression that gives its value), so adding a penalty touches this
    file only."""
    name = ""
    title = ""
    formula = ""          # Ω in LaTeX

    def value(self, W: list, lam: float) -> float:
        raise NotImplementedError

    def grad(self, W: np.ndarray, lam: float) -> np.ndarray:
        raise NotImplementedError

    def grad_latex(self, param: str) -> str:
        """∂Ω/∂``param`` in LaTeX: λ W^{2}."""
        raise NotImplementedError(f"penalty {self.name!r} does not say how its gradient is written")

    def grad_text(self, param: str) -> str:
        """∂Ω/∂``param`` in Unicode: "λ W²"."""
        raise NotImplementedError(f"penalty {self.name!r} does not say how its gradient is written")

    def entry_latex(self, lam: float, w: float, fmt, fmtp) -> tuple[str, tuple]:
        """∂Ω/∂w of one weight ``w`` with its numbers (``fmt`` formats a number, ``fmtp`` the same in
        parentheses when negative), and the expression giving its value from the names "lambda"
        and "w" (as ``engine.optim.UpdateLine.expr``, with the op sign)."""
        raise NotImplementedError(f"penalty {self.name!r} does not say how its gradient is written")

    def __repr__(self) -> str:
        return f"<penalty {self.name}>"


class NoPenalty(Penalty):
    name, title = "none", "None"
    formula = r"\Omega = 0"

    def value(self, W, lam):
        return 0.0

    def grad(self, W, lam):
        return np.zeros_like(W)

    def grad_latex(self, param):
        return "0"

    def grad_text(self, param):
        return "0"

    def entry_latex(self, lam, w, fmt, fmtp):
        return "0", 0.0


class L2(Penalty):
    name, title = "l2", "L2 (weight decay)"
    formula = r"\Omega = \tfrac{\lambda}{2}\sum_{\ell}\sum_{j,k} (w^{\ell}_{jk})^2"

    def value(self, W, lam):
        return 0.5 * lam * float(sum(np.sum(w * w) for w in W))

    def grad(self, W, lam):
        return lam * W

    def grad_latex(self, param):
        return rf"\lambda\, {param}"

    def grad_text(self, param):
        return f"λ {param}"

    def entry_latex(self, lam, w, fmt, fmtp):
        return rf"{fmt(lam)}\cdot {fmtp(w)}", ("*", "lambda", "w")


class L1(Penalty):
    name, title = "l1", "L1 (sparsity)"
    formula = r"\Omega = \lambda\sum_{\ell}\sum_{j,k} \lvert w^{\ell}_{jk}\rvert"

    def value(self, W, lam):
        return lam * float(sum(np.sum(np.abs(w)) for w in W))

    def grad(self, W, lam):
        return lam * np.sign(W)

    def grad_latex(self, param):
        return rf"\lambda\,\operatorname{{sign}}({param})"

    def grad_text(self, param):
        return f"λ sign {param}"

    def entry_latex(self, lam, w, fmt, fmtp):
        return rf"{fmt(lam)}\cdot \operatorname{{sign}}({fmtp(w)})", ("*", "lambda", ("sign", "w"))


PENALTIES: dict[str, Penalty] = {p.name: p for p in (NoPenalty(), L2(), L1())}


def get_penalty(name: str) -> Penalty:
    """The penalty called ``name``; ValueError naming the allowed names otherwise."""
    if not isinstance(name, str) or name not in PENALTIES:
        raise ValueError(f"unknown penalty {name!r}; allowed: {', '.join(PENALTIES)}")
    return PENALTIES[name]


def dropout_masks(sizes: list, p: float, seed: int, step: int, batch: int | None = None) -> list | None:
    """The masks of update number ``step`` (1-based) for a network of ``sizes``: a list aligned
    with the activations a[0..L] holding None for the input and the output and a 0/1 float array
    (N_l,) — or (batch, N_l) — for each hidden layer.  None when p = 0 (no dropout)."""
    if p <= 0.0:
        return None
    rng = np.random.default_rng([int(seed), int(step), 0xD0])
    L = len(sizes) - 1
    shape = (lambda n: (n,)) if batch is None else (lambda n: (batch, n))
    return [None] + [(rng.random(shape(n)) >= p).astype(np.float64) for n in sizes[1:L]] + [None]
