"""A cursor over the micro-steps of one training example (or one batch).

The micro-steps, in order, for a network of L layers (book layers ℓ = 1..L):

    input                          a⁰ = x
    forward ℓ = 1..L:  z           zˡ = Wˡ aˡ⁻¹ + bˡ
                       a           aˡ = σ(zˡ)          (σ′(zˡ) is known from here on)
    loss                           C(aᴸ, y)
    backward ℓ = L..1: delta       δᴸ = ∂C/∂aᴸ · diag σ′(zᴸ),  δˡ = δˡ⁺¹ Wˡ⁺¹ diag σ′(zˡ)
                       dW          ∂C/∂Wˡ = aˡ⁻¹ ⊗ δˡ (row vectors) = δˡ (aˡ⁻¹)ᵀ (column)
                       db          ∂C/∂bˡ = δˡ
    update                         Wˡ ← Wˡ − η ∂C/∂Wˡ,  bˡ ← bˡ − η ∂C/∂bˡ  (or the optimizer's rule,
                                   as the optimizer writes it; without "train biases" b stays)

With dropout the forward pass uses the masks given (those the trainer draws for the update this
example ends in), and the backward pass carries the same factor m/(1 − p).

All numbers are computed once, with the weights before the update, by the engine's own
``forward`` and ``backward``; ``view()`` reveals only what has been computed up to the cursor.
Seeking past the update applies it; seeking back before it restores W and b bit for bit.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Callable

import numpy as np

from .health import saturated_mask
from .network import Grads, Network, Trace
from .notation import sup
from .optim import OPTIMIZERS, SGD, OptimizerStep, check_eta

@dataclass(frozen=True)
class MicroStep:
    """One micro-step.  ``book_layer`` is the book's ℓ (1..L; 0 for input and update); ``l =
    book_layer − 1`` is the code's index of W[l], z[l], delta[l] (engine/network.py).  ``quantity`` in
    {"x", "z", "a", "C", "delta", "dW", "db", "update"}.  ``equation`` is written with row-vector
    gradients (δ = δ W diag σ′, as the engine computes; ∂C/∂W = a ⊗ δ, shaped like Wᵀ),
    ``equation_column`` with column vectors (δ = Wᵀ δ ⊙ σ′; ∂C/∂W = δ aᵀ, shaped like W); they differ
    only for δ, ∂W and the update."""
    index: int
    phase: str        # "input", "forward", "loss", "backward", "update"
    book_layer: int
    quantity: str
    title: str        # "Backward, layer 2"
    equation: str     # "δ² = δ³ · W³ · diag σ′(z²)", Unicode for banners
    equation_column: str = ""

    @property
    def l(self) -> int:
        return self.book_layer - 1

    @property
    def banner(self) -> str:
        return f"{self.title}: {self.equation}"

    def equation_in(self, convention: str) -> str:
        """The equation in the "row" or "column" vector convention."""
        return self.equation_column if convention == "column" and self.equation_column else self.equation

    def banner_in(self, convention: str) -> str:
        """The banner with the equation in the "row" or "column" vector convention."""
        return f"{self.title}: {self.equation_in(convention)}"


def micro_steps(L: int, output_delta: tuple[str, str] | None = None,
                update: tuple[str, str, str] | None = None) -> list[MicroStep]:
    """The micro-steps of one example through L layers.  ``output_delta`` is δᴸ's equation as
    (row form, column form), from the loss (``Loss.delta_banner``; element-wise σ by default);
    ``update`` is the update step's (title, row form, column form) (``Optimizer.update_banner``;
    plain SGD's by default)."""
    steps: list[tuple] = [("input", 0, "x", "Input", "a⁰ = x")]
    for k in range(1, L + 1):
        steps.append(("forward", k, "z", f"Forward, layer {k}", f"z{sup(k)} = W{sup(k)} a{sup(k-1)} + b{sup(k)}"))
        steps.append(("forward", k, "a", f"Forward, layer {k}", f"a{sup(k)} = σ(z{sup(k)})"))
    steps.append(("loss", L, "C", "Loss", f"C = C(a{sup(L)}, y)"))
    for k in range(L, 0, -1):
        K, K1, Km = sup(k), sup(k + 1), sup(k - 1)
        if k == L:
            title = f"Backward, output layer {k}"
            row, col = output_delta or (f"δ{K} = ∂C/∂a{K} · diag σ′(z{K})", f"δ{K} = ∇C(a{K}) ⊙ σ′(z{K})")
        else:
            title = f"Backward, layer {k}"
            row, col = f"δ{K} = δ{K1} · W{K1} · diag σ′(z{K})", f"δ{K} = (W{K1})ᵀ δ{K1} ⊙ σ′(z{K})"
        steps.append(("backward", k, "delta", title, row, col))
        steps.append(("backward", k, "dW", title, f"∂C/∂W{K} = a{Km} ⊗ δ{K}",
                      f"∂C/∂W{K} = δ{K} (a{Km})ᵀ"))
        steps.append(("backward", k, "db", title, f"∂C/∂b{K} = δ{K}"))
    steps.append(("update", 0, "update", *(update or SGD.update_banner())))
    return [MicroStep(i, *s) for i, s in enumerate(steps)]


@dataclass
class StepView:
    """What is known at one micro-step.  Lists are indexed by the code's l; entries not yet
    computed are None.  ``W``/``b`` are the weights in force (after the update at the last step);
    ``W_before``/``b_before`` those the example was computed with."""
    step: MicroStep
    x: np.ndarray
    y: np.ndarray
    z: list
    a: list
    sigma_prime: list
    delta: list
    dW: list
    db: list
    loss: float | None
    dC_da: np.ndarray | None
    W: list
    b: list
    W_before: list
    b_before: list
    eta: float
    updated: bool = False
    grads: Grads | None = field(default=None, repr=False)
    masks: list | None = None            # dropout masks aligned with a[0..L] (None: no dropout)
    optimizer_step: OptimizerStep | None = field(default=None, repr=False)   # after the update
    train_biases: bool = True
    optimizer: str = "sgd"               # the name of the update's optimizer (engine.optim.OPTIMIZERS)

    @property
    def saturated(self) -> list:
        """Per layer l (like ``sigma_prime``): the units whose σ′ is below the saturation threshold
        (engine.health), a boolean mask; None where σ′ is not computed yet."""
        return [None if s is None else saturated_mask(s) for s in self.sigma_prime]


class Stepper:
    """Micro-steps of one example ``x`` (N_0,) with target ``y`` (N_L,), or a batch (B, N).
    ``update(grads)`` applies the update (default: plain SGD, recorded); if it returns something
    with an ``optimizer_step`` (a trainer's StepResult), the view after the update carries it.
    ``masks``: the dropout masks of this forward pass; ``optimizer`` (the Optimizer that
    ``update`` steps with; None: plain SGD) and ``train_biases`` name the update."""

    def __init__(self, net: Network, x, y, eta: float,
                 update: Callable[[Grads], object] | None = None, undo: Callable[[], None] | None = None,
                 masks: list | None = None, optimizer=None, train_biases: bool = True):
        self.net, self.eta = net, check_eta(eta)
        self.W_before, self.b_before = net.get_params()
        self.masks, self.train_biases = masks, train_biases
        with np.errstate(over="ignore", invalid="ignore"):   # huge weights after a divergence show as inf
            self.trace: Trace = net.forward(x, masks)
            self.grads: Grads = net.backward(self.trace, y)
        self._update, self._undo = update, undo
        self.optimizer_step: OptimizerStep | None = None
        self.optimizer_name = SGD.name if optimizer is None else optimizer.name
        self.steps = micro_steps(net.L, net.loss.delta_banner(net.activations[-1], sup(net.L)),
                                 (SGD if optimizer is None else optimizer).update_banner(train_biases))
        self.index = 0
        self.updated = False

    # -- cursor ----------------------------------------------------------------------------
    @property
    def current(self) -> MicroStep:
        return self.steps[self.index]

    @property
    def last(self) -> int:
        return len(self.steps) - 1

    @property
    def done(self) -> bool:
        return self.index == self.last

    def next(self) -> bool:
        return self.seek(self.index + 1)

    def prev(self) -> bool:
        return self.seek(self.index - 1)

    def finish(self) -> bool:
        return self.seek(self.last)

    def seek(self, k: int) -> bool:
        """Move to micro-step k (clamped to the valid range); True if the cursor moved."""
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise ValueError(f"micro-step must be a whole number, got {k!r}")
        k = max(0, min(int(k), self.last))
        if k == self.index:
            return False
        if k == self.last and not self.updated:
            result = (self._update or self._sgd)(self.grads)
            self.optimizer_step = getattr(result, "optimizer_step", None)
            self.updated = True
        elif k < self.last and self.updated:
            if self._undo is not None:
                self._undo()
            self.net.set_params(W=self.W_before, b=self.b_before)   # bit for bit
            self.updated, self.optimizer_step = False, None
        self.index = k
        return True

    def _sgd(self, grads: Grads):
        """Plain SGD, recorded like a trainer's step (W ← W − η g, bit for bit as Network.sgd_step)."""
        return SimpleNamespace(optimizer_step=SGD(self.eta).step(self.net, grads, self.train_biases, record=True))

    # -- what is known ---------------------------------------------------------------------
    def revealed(self, k: int | None = None) -> set[tuple[str, int]]:
        """The (quantity, l) pairs computed by micro-step k; l is the code's layer index."""
        k = self.index if k is None else k
        seen: set[tuple[str, int]] = set()
        for s in self.steps[: k + 1]:
            seen.add((s.quantity, s.l))
            if s.quantity == "a":
                seen.add(("sigma_prime", s.l))
        return seen

    def view(self, k: int | None = None) -> StepView:
        k = self.index if k is None else k
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 0 <= k <= self.last:
            raise ValueError(f"micro-step must be a whole number from 0 to {self.last}, got {k!r}")
        seen, L, g, t = self.revealed(k), self.net.L, self.grads, self.trace
        pick = lambda name, arrays: [arr if (name, l) in seen else None for l, arr in enumerate(arrays)]
        loss_known = ("C", L - 1) in seen
        after = self.updated and k == self.last
        return StepView(
            step=self.steps[k], x=t.a[0], y=g.y,
            z=pick("z", t.z), a=[t.a[0]] + pick("a", t.a[1:]), sigma_prime=pick("sigma_prime", g.sigma_prime),
            delta=pick("delta", g.delta), dW=pick("dW", g.dW), db=pick("db", g.db),
            loss=g.loss if loss_known else None, dC_da=g.dC_da if loss_known else None,
            W=[W.copy() for W in self.net.W] if after else self.W_before,
            b=[b.copy() for b in self.net.b] if after else self.b_before,
            W_before=self.W_before, b_before=self.b_before, eta=self.eta,
            updated=after, grads=g, masks=self.masks, optimizer_step=self.optimizer_step if after else None,
            train_biases=self.train_biases, optimizer=self.optimizer_name)

    def view_after_update(self) -> StepView | None:
        """The update micro-step's view as it will be once the update is applied, computed without
        applying it (nothing changes; the GUI draws it ahead of the key that applies it): plain
        SGD's new weights follow from W, ∂C/∂W and η alone: W + Δ with the rule's own change
        (``Optimizer.change``, what the update adds), so bit for bit as the update computes them.  ``W``/``b`` (shapes of W_before/b_before) are new arrays; ``optimizer_step``
        is None (what the update records is known once it is applied).  None when the update is
        applied already (``view()`` shows it) or when the optimizer's rule has a state (momentum,
        Adam: ``exact_from_gradient`` False)."""
        rule = OPTIMIZERS[self.optimizer_name]
        if self.updated or not rule.exact_from_gradient:
            return None
        eta, g = self.eta, self.grads
        W = [W + rule.change(dW, eta) for W, dW in zip(self.W_before, g.dW)]                  # Wˡ ← Wˡ − η ∂C/∂Wˡ
        b = [b + rule.change(db, eta) if self.train_biases else b.copy() for b, db in zip(self.b_before, g.db)]   # bˡ ← bˡ − η ∂C/∂bˡ
        return replace(self.view(self.last), W=W, b=b, updated=True)
