"""A network of dense layers whose forward and backward passes record every intermediate.

Index convention (0-based, as in code; the GUI prints the book's 1-based layer ℓ = l + 1):

- ``sizes = [N_0, ..., N_L]``; there are L weight layers.
- ``W[l]`` has shape (N_{l+1}, N_l): row j holds the weights *into* neuron j, so ``W[l][j, i]``
  is w_ji, from neuron i of layer l to neuron j of layer l+1.  ``b[l]`` has shape (N_{l+1},).
- ``z[l] = W[l] a[l] + b[l]`` and ``a[l+1] = σ_l(z[l])``; ``a[0] = x``.
- ``delta[l] = ∂C/∂z[l]``; ``dW[l] = δ[l] ⊗ a[l]`` and ``db[l] = δ[l]`` (batch means).

Training terms beyond the plain equations (``engine.regularisation``): a weight penalty Ω
(``penalty``, strength ``lam``) adds to the cost and to ∂C/∂W, kept apart as ``Grads.penalty`` and
``Grads.dW_penalty``; dropout masks passed to ``forward`` multiply hidden activations by
m/(1 − p) (``keep = 1 − p``), and the backward pass carries the same factor.

One example is a 1-D array (N,); a batch is (B, N) with one example per row, and then every
recorded array is (B, N) too, while ``dW``/``db`` are means over the batch.
"""
from __future__ import annotations

import contextlib
import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from .activations import Activation, get_activation
from .losses import Loss, get_loss
from .optim import check_eta
from .regularisation import MAX_DROPOUT, MAX_LAMBDA, Penalty, get_penalty

MAX_WIDTH = 100_000
# What the window animates: at 1 million parameters a micro-step still redraws within a second on
# a lecture laptop (25 million froze the window for 37 s and took 2.6 s per micro-step).
MAX_PARAMS = 1_000_000
_RAISE = dict(over="raise", invalid="raise", divide="raise")
_NO_GUARD = contextlib.nullcontext()


class Overflow(ValueError):
    """A pass left the float64 range (|v| > 1.8e308, or ∞ − ∞): inputs, targets or weights too large."""


def _guard():
    """Under NumPy's default error handling ("warn"), overflow, ∞ − ∞ and division by zero inside a
    pass raise FloatingPointError, which the pass reports as Overflow; no RuntimeWarning, no NaN.
    A caller that handles non-finite values itself says so with ``np.errstate(over="ignore", …)``
    (the trainer turns them into Diverged, the stepper shows them as ∞) and gets them unchanged."""
    return np.errstate(**_RAISE) if np.geterr()["over"] == "warn" else _NO_GUARD


@dataclass
class Trace:
    """What ``forward`` computed: ``a`` has L+1 arrays (a[0] = x), ``z`` has L arrays.  With
    dropout, ``masks`` is aligned with ``a`` (None for the input, the output and undropped layers,
    else the 0/1 mask m) and ``h[l]`` = σ(z[l]) before the mask, so a[l+1] = h[l] ⊙ m / keep."""
    a: list
    z: list
    masks: list | None = None
    keep: float = 1.0
    h: list = field(default_factory=list)

    @property
    def batched(self) -> bool:
        return self.a[0].ndim == 2

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


@dataclass
class Grads:
    """What ``backward`` computed.

    ``loss``: the cost C = C_data + Ω that the gradients are of: ``data_loss`` (mean over the
    batch of the per-example loss; ``losses``: per example, (B,) or a 0-d array) plus ``penalty``
    Ω.  ``dW[l] = dW_data[l] + dW_penalty[l]``; without a penalty ``dW_penalty`` is empty and
    ``dW_data`` is ``dW`` itself (nothing is allocated for a term that is not there).
    ``dC_da``: ∂C/∂a^L, shaped like the output.  ``sigma_prime[l]``: σ′(z[l]) elementwise
    (for softmax, the diagonal of its Jacobian).  ``delta[l]`` = ∂C/∂z[l], shaped like z[l].
    ``dW[l]``, ``db[l]``: shaped like W[l], b[l], means over the batch.
    """
    loss: float
    losses: np.ndarray
    dC_da: np.ndarray
    sigma_prime: list
    delta: list
    dW: list
    db: list
    trace: Trace = field(repr=False)
    y: np.ndarray = field(repr=False)
    data_loss: float = 0.0
    penalty: float = 0.0
    dW_data: list = field(default_factory=list, repr=False)
    dW_penalty: list = field(default_factory=list, repr=False)
    dropout_scale: list = field(default_factory=list, repr=False)   # per z[l]: m/keep, or None

    def dW_example(self, l: int, i: int = 0) -> np.ndarray:
        """∂C/∂W[l] of example ``i`` of a batch alone: δ[l][i] ⊗ a[l][i], shape of W[l]."""
        l = check_layer(l, len(self.dW))
        if not self.trace.batched:
            check_layer(i, 1, "example")
            return self.dW[l]
        i = check_layer(i, self.delta[l].shape[0], "example")
        return np.outer(self.delta[l][i], self.trace.a[l][i])


def parameter_count(sizes) -> int:
    """Weights and biases of a network with layer widths ``sizes``: Σ_l N_l (N_{l-1} + 1)."""
    return sum(int(m) * (int(n) + 1) for n, m in zip(sizes[:-1], sizes[1:]))


def _check_sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise ValueError(f"sizes must be a list of layer widths like [2, 3, 1], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least an input and an output width, got {sizes!r}")
    for n in sizes:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise ValueError(f"layer width {n!r} in sizes {sizes!r} is not a whole number")
        if n < 1:
            raise ValueError(f"layer width {n} in sizes {sizes!r} must be at least 1")
        if n > MAX_WIDTH:
            raise ValueError(f"layer width {n} in sizes {sizes!r} is larger than the maximum {MAX_WIDTH}")
    n_params = parameter_count(sizes)
    if n_params > MAX_PARAMS:
        raise ValueError(f"sizes {sizes!r} give {n_params:,} parameters; the window animates networks of up to "
                         f"{MAX_PARAMS:,}")
    return [int(n) for n in sizes]


def _as_batch(v, n: int, what: str) -> np.ndarray:
    """``v`` as a float64 array of shape (n,) or (B, n); ValueError naming the bad shape."""
    v = _real(v, what)
    if v.ndim not in (1, 2) or v.shape[-1] != n or v.size == 0:
        raise ValueError(f"{what} must have shape ({n},) or (B, {n}), got shape {v.shape}")
    if not np.isfinite(v).all():
        raise ValueError(f"{what} contains NaN or infinite values")
    return v


def _real(v, what: str) -> np.ndarray:
    """``v`` as float64; ValueError for None, text, objects and complex numbers (whose imaginary
    part would otherwise be dropped without a word)."""
    if v is None:
        raise ValueError(f"{what} is missing (got None)")
    a = np.asarray(v)
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{what} must hold real numbers, got {a.dtype} values")
    return np.array(a, dtype=np.float64)


def check_layer(l, L: int, what: str = "layer") -> int:
    """``l`` as an int in 0..L-1 (code index); ValueError naming it otherwise (never wraps around)."""
    if isinstance(l, bool) or not isinstance(l, numbers.Integral) or not 0 <= l < L:
        raise ValueError(f"{what} index must be a whole number from 0 to {L - 1}, got {l!r}")
    return int(l)


class Network:
    """Dense layers ``sizes[0] → … → sizes[-1]`` with hidden ``activation``, ``output_activation``
    on the last layer (defaults to ``activation``) and a per-example ``loss``.  Seeded init:
    W[l] ~ N(0, g²/N_l) with g² = 2 for (leaky) ReLU and 1 otherwise; b[l] ~ N(0, 0.1²)."""

    def __init__(self, sizes, activation="sigmoid", output_activation=None, loss="half_sse", seed=0,
                 penalty="none", lam=0.0, dropout=0.0):
        self.sizes = _check_sizes(sizes)
        self.L = len(self.sizes) - 1
        hidden = get_activation(activation, hidden=self.L > 1)
        output = get_activation(activation if output_activation is None else output_activation)
        self.activations: list[Activation] = [hidden] * (self.L - 1) + [output]
        self.loss: Loss = get_loss(loss)
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise ValueError(f"seed must be a whole number ≥ 0, got {seed!r}")
        self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        gain = hidden.init_gain
        self.W = [rng.normal(0.0, np.sqrt(gain / n), size=(m, n)) for n, m in zip(self.sizes[:-1], self.sizes[1:])]
        self.b = [rng.normal(0.0, 0.1, size=m) for m in self.sizes[1:]]
        self.penalty: Penalty = get_penalty(penalty)
        self.lam = check_lambda(lam)
        self.dropout = check_dropout(dropout)

    # -- description -----------------------------------------------------------------------
    @property
    def activation(self) -> str:
        return self.activations[0].name

    @property
    def output_activation(self) -> str:
        return self.activations[-1].name

    @property
    def n_params(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.W, self.b))

    def __repr__(self) -> str:
        return (f"Network({self.sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r}, loss={self.loss.name!r})")

    # -- parameters ------------------------------------------------------------------------
    def get_params(self) -> tuple[list, list]:
        """Copies of (W, b)."""
        return [W.copy() for W in self.W], [b.copy() for b in self.b]

    def set_params(self, W=None, b=None) -> None:
        """Replace W and/or b by copies of the given arrays, after checking every shape and value."""
        new_W = self.W if W is None else self._checked(W, "W", [(m, n) for n, m in zip(self.sizes[:-1], self.sizes[1:])])
        new_b = self.b if b is None else self._checked(b, "b", [(m,) for m in self.sizes[1:]])
        self.W, self.b = new_W, new_b

    def _checked(self, arrays, name, shapes) -> list:
        if isinstance(arrays, np.ndarray) or len(arrays) != len(shapes):
            raise ValueError(f"{name} must be a list of {len(shapes)} arrays, one per layer")
        out = []
        for l, (v, shape) in enumerate(zip(arrays, shapes)):
            v = _real(v, f"{name}[{l}]")             # a copy
            if v.shape != shape:
                raise ValueError(f"{name}[{l}] must have shape {shape}, got {v.shape}")
            if not np.isfinite(v).all():
                raise ValueError(f"{name}[{l}] contains NaN or infinite values")
            out.append(v)
        return out

    # -- the passes ------------------------------------------------------------------------
    def forward(self, x, masks=None) -> Trace:
        """z[l] = W[l] a[l] + b[l], a[l+1] = σ(z[l]) for every layer, recording all of them.
        ``masks`` (training with dropout): aligned with a[0..L], a 0/1 array shaped like a[k] for
        each dropped hidden layer k, else None; then a[k] = σ(z[k−1]) ⊙ m / (1 − p)."""
        a = _as_batch(x, self.sizes[0], "x")
        masks = self._checked_masks(masks, a)
        keep = 1.0 - self.dropout
        trace = Trace(a=[a], z=[], masks=masks, keep=keep)
        with _guard():
            try:
                for l, (W, b, act) in enumerate(zip(self.W, self.b, self.activations)):
                    z = a @ W.T + b               # row-per-example form of z = W a + b
                    a = h = act(z)
                    if masks is not None and masks[l + 1] is not None:
                        a = h * masks[l + 1] / keep   # inverted dropout: a = σ(z) ⊙ m / (1 − p)
                    trace.z.append(z)
                    trace.h.append(h)
                    trace.a.append(a)
            except FloatingPointError:
                l = len(trace.z)
                raise Overflow(f"z[{l}] = W[{l}] a[{l}] + b[{l}] overflows float64 in layer {l + 1}: the inputs or "
                               f"weights are too large (largest |a[{l}]| = {np.abs(trace.a[l]).max():.3g}, "
                               f"largest |W[{l}]| = {np.abs(self.W[l]).max():.3g})") from None
        return trace

    def _checked_masks(self, masks, a):
        if masks is None:
            return None
        if self.dropout == 0.0:
            raise ValueError("dropout masks were given but this network's dropout rate is 0")
        if isinstance(masks, np.ndarray) or len(masks) != self.L + 1 or masks[0] is not None \
                or masks[-1] is not None:
            raise ValueError(f"masks must be a list of {self.L + 1} entries aligned with a[0..L], None for the "
                             f"input and the output")
        out = [None]
        for k in range(1, self.L):
            m = masks[k]
            if m is not None:
                m = np.asarray(m, dtype=np.float64)
                if m.shape != a.shape[:-1] + (self.sizes[k],) or not np.isin(m, (0.0, 1.0)).all():
                    raise ValueError(f"the mask of a[{k}] must be 0s and 1s of shape "
                                     f"{a.shape[:-1] + (self.sizes[k],)}, got shape {m.shape}")
            out.append(m)
        return out + [None]

    def predict(self, x) -> np.ndarray:
        """a[L] (the book's aᴸ) for x, without keeping the trace."""
        return self.forward(x).a[-1]

    def backward(self, trace: Trace, y) -> Grads:
        """Backpropagation, one line per equation of the texts (row-vector gradients)."""
        if not isinstance(trace, Trace):
            raise ValueError(f"backward needs the Trace that forward returned, got {type(trace).__name__}")
        a = trace.a
        y = _as_batch(y, self.sizes[-1], "y")
        if y.shape != a[-1].shape:
            raise ValueError(f"y must have the shape of the output {a[-1].shape}, got {y.shape}")
        with _guard():
            try:
                return self._backprop(trace, y)
            except FloatingPointError:
                raise Overflow(f"the loss or its gradients overflow float64: the targets, inputs or weights are too "
                               f"large (largest |a^L| = {np.abs(a[-1]).max():.3g}, largest |y| = {np.abs(y).max():.3g}, "
                               f"largest |W| = {max(np.abs(W).max() for W in self.W):.3g})") from None

    def _backprop(self, trace: Trace, y: np.ndarray) -> Grads:
        """The equations of ``backward`` for a checked ``y``.  The comments use the code's indices
        (delta[l] is the book's δ^ℓ with ℓ = l + 1; a[l] feeds W[l]; the last index is L − 1)."""
        a, z, h, W, acts = trace.a, trace.z, trace.h, self.W, self.activations
        L = self.L
        s = [act.prime(z_l, h_l) for act, z_l, h_l in zip(acts, z, h)]      # s[l] = σ′(z[l])
        drop = [None if trace.masks is None or trace.masks[l + 1] is None else trace.masks[l + 1] / trace.keep
                for l in range(L)]                                           # drop[l] = ∂a[l+1]/∂σ(z[l]) = m / (1 − p)
        losses = self.loss.value(a[L], y, z[L - 1], acts[-1])
        dC_da = self.loss.grad(a[L], y)                                      # ∂C/∂a[L]
        delta = [None] * L
        delta[L - 1] = self.loss.delta(z[L - 1], a[L], y, acts[-1], s[L - 1])  # delta[L-1] = ∂C/∂a[L] · ∂a[L]/∂z[L-1]
        for l in range(L - 2, -1, -1):
            delta[l] = (delta[l + 1] @ W[l + 1]) * s[l]                      # delta[l] = delta[l+1] W[l+1] diag s[l]
            if drop[l] is not None:
                delta[l] = delta[l] * drop[l]                                #            ⊙ drop[l]
        if trace.batched:
            B = y.shape[0]
            dW_data = [d.T @ a_l / B for d, a_l in zip(delta, a)]            # batch mean of delta[l] ⊗ a[l]
            db = [d.mean(axis=0) for d in delta]                             # db[l] = batch mean of delta[l]
        else:
            dW_data = [np.outer(d, a_l) for d, a_l in zip(delta, a)]         # delta[l] ⊗ a[l]
            db = list(delta)                                                 # db[l] = delta[l]
        data_loss = float(losses.sum()) / losses.size                       # the batch mean, as np.mean computes it
        if self.penalty.name == "none" or self.lam == 0.0:
            return Grads(data_loss, losses, dC_da, s, delta, dW_data, db, trace, y, data_loss, 0.0,
                         dW_data, [], drop)
        penalty = self.penalty.value(W, self.lam)                            # Ω(W)
        dW_pen = [self.penalty.grad(w, self.lam) for w in W]                 # ∂Ω/∂W[l]
        dW = [g + p for g, p in zip(dW_data, dW_pen)]                        # dW[l] = data part + penalty part
        return Grads(data_loss + penalty, losses, dC_da, s, delta, dW, db, trace, y, data_loss, penalty,
                     dW_data, dW_pen, drop)

    def sgd_step(self, grads: Grads, eta: float) -> None:
        """W[l] −= η ∂C/∂W[l] and b[l] −= η ∂C/∂b[l] for every layer, from the same gradients."""
        eta = check_eta(eta)
        for l in range(self.L):
            self.W[l] -= eta * grads.dW[l]
            self.b[l] -= eta * grads.db[l]

    def loss_and_grads(self, x, y, masks=None) -> Grads:
        return self.backward(self.forward(x, masks), y)


def check_lambda(lam) -> float:
    """λ as a float; ValueError naming the value unless it is a number with 0 ≤ λ ≤ MAX_LAMBDA."""
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not math.isfinite(lam) \
            or not 0.0 <= lam <= MAX_LAMBDA:
        raise ValueError(f"penalty strength λ must be a number with 0 ≤ λ ≤ {MAX_LAMBDA:g}, got {lam!r}")
    return float(lam)


def check_dropout(p) -> float:
    """p as a float; ValueError naming the value unless it is a number with 0 ≤ p ≤ MAX_DROPOUT."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not math.isfinite(p) \
            or not 0.0 <= p <= MAX_DROPOUT:
        raise ValueError(f"dropout rate p must be a number with 0 ≤ p ≤ {MAX_DROPOUT:g}, got {p!r}")
    return float(p)
