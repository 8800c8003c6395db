"""Optimizers: the rule that turns the gradients ∂C/∂W[l], ∂C/∂b[l] into a parameter update.

With g = ∂C/∂W[l] (the same rule is applied to every W[l] and every b[l]):

- ``sgd``:      W ← W − η g
- ``momentum``: v ← β v − η g;  W ← W + v                                       (β = 0.9)
- ``adam``:     t ← t + 1;  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
                m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);  W ← W − η m̂ / (√v̂ + ε)
                (β₁ = 0.9, β₂ = 0.999, ε = 1e-8)

State buffers (v; m and v) have the shapes of W[l] and b[l]; they are created as zeros on the first
step.  ``step(net, grads, biases=False)`` leaves every b[l] (and its state) alone ("train biases"
off).  ``step(…, record=True)`` returns an ``OptimizerStep``: per layer the gradient g, the state
before and after, the derived quantities (Adam's m̂, v̂) and the change ΔW actually applied, which
the views show beside ∂C/∂W.  ``state_dict`` holds only numbers, strings and lists of arrays (copies),
so it can be saved as JSON + npz; ``load_state_dict`` checks every shape and restores bit for bit.

An optimizer also says how it is written, so that adding one touches this file only: the update
in LaTeX (``formula_in``, per gradient convention) and Unicode (``update_banner``, the stepper's
banner), the update of one entry (or, for a rule without state, of a whole matrix) with its
numbers as ``UpdateLine``s (``equation_lines``, each with the expression that gives its result, so
the derivation's tests evaluate it), and whether the new W follows from W, ∂C/∂W and η alone
(``exact_from_gradient``: plain SGD, whose change ``change(g, η)`` is then known ahead; momentum
and Adam carry state between steps), and which of
its recorded quantities the matrices panel draws as heatmaps beside ∂C/∂W (``state_maps``, each a
``StateMap``; the step ΔW actually applied is drawn for every rule that is not exact from the
gradient).  The registry
``OPTIMIZERS`` is the one place names are looked up; the GUI's menus and the derivation read it.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

MAX_ETA = 1e4


def check_eta(eta) -> float:
    """η as a float; ValueError naming the value unless it is finite with 0 < η ≤ MAX_ETA."""
    if isinstance(eta, bool) or not isinstance(eta, numbers.Real) or not math.isfinite(eta) \
            or not 0.0 < eta <= MAX_ETA:
        raise ValueError(f"learning rate η must be a finite number with 0 < η ≤ {MAX_ETA:g}, got {eta!r}")
    return float(eta)


def _check_hyper(opt: str, name: str, value) -> float:
    ok = not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isfinite(value)
    if ok and name == "eps":
        ok = 0.0 < value <= 1.0
    elif ok:
        ok = 0.0 <= value < 1.0
    if not ok:
        allowed = "0 < eps ≤ 1" if name == "eps" else f"0 ≤ {name} < 1"
        raise ValueError(f"{opt} hyperparameter {name} must be a number with {allowed}, got {value!r}")
    return float(value)


def gradient_latex(param: str, convention: str) -> str:
    """∂C/∂param in LaTeX as an update adds it to ``param``: transposed in the "row" convention,
    where ∂C/∂W has the shape of Wᵀ."""
    grad = rf"\frac{{\partial C}}{{\partial {param}}}"
    return rf"\left({grad}\right)^{{\mathsf{{T}}}}" if convention == "row" else grad


@dataclass(frozen=True)
class UpdateLine:
    """One line of an update as the derivation prints it.  ``latex``: "symbols = numbers = result";
    ``numbers``: each value printed (floats for one entry, arrays for whole matrices), by name, in
    the order printed; ``claim``: the name of the result; ``expr``: how the result follows from
    the other numbers, a name, a literal, or a tuple (op, *args) with op one of + - * / neg pow
    sqrt (element by element), as ``gui.derivation.algebra.evaluate`` computes it.  The names
    "w", "g", "eta" and "w new" are the parameter before the update, its gradient, η and the
    parameter after it; the others (state, derived quantities, hyperparameters) are the
    optimizer's own."""
    latex: str
    numbers: dict
    claim: str
    expr: object


@dataclass(frozen=True)
class StateMap:
    """One recorded quantity of an update that the matrices panel draws as a heatmap of layer l.
    ``key``: its name in an ``OptimizerStep``'s W[l] dict; ``symbol``: how it is written (Unicode,
    the panel adds the layer and the convention's transpose); ``title``: the caption, a format
    string with ``{symbol}``, ``{t}`` and the hyperparameters by name (as formatted numbers);
    ``signed``: a diverging colour map centred on zero (else sequential); ``scale``: the colour
    scale it shares so that colours compare, "gradient" (that of ∂C/∂W), "step" (that of −η ∂C/∂W
    and the applied ΔW) or None (its own).  A quantity on the step's scale is a change of W and is
    drawn shaped like W in both conventions, as the step is; the others as ∂C/∂W is (like Wᵀ with
    row vectors)."""
    key: str
    symbol: str
    title: str
    signed: bool = True
    scale: str | None = None

    def caption(self, symbol: str, rec: "OptimizerStep", fmt: Callable) -> str:
        """``title`` filled in for the step ``rec``, with ``symbol`` as the panel writes it."""
        return self.title.format(symbol=symbol, t=rec.t, **{k: fmt(v) for k, v in rec.hyper.items()})


@dataclass
class OptimizerStep:
    """What one update used and did.  ``W[l]`` / ``b[l]``: dicts of arrays shaped like W[l] / b[l]:
    "g" (the gradient used), "<buf>_prev" and "<buf>" (each state buffer before and after),
    the optimizer's derived quantities (Adam: "m_hat", "v_hat") and "delta" (the change applied,
    new = old + delta).  ``b`` is empty when the biases were not trained."""
    name: str
    t: int
    eta: float
    hyper: dict
    W: list = field(default_factory=list)
    b: list = field(default_factory=list)


class Optimizer:
    """Base class.  Subclasses set ``name``, ``hyper`` (defaults), ``buffers`` (state names)
    and define ``_update(p, g, *state)``, which changes the parameter array ``p`` in place and
    returns the change applied and the derived quantities, and ``equation_lines``."""

    name = ""
    title = ""
    short_name = ""     # for one-line summaries: "SGD"
    banner = ""            # the update of W in Unicode, for the phase banner
    hyper: dict = {}       # hyperparameter name -> default
    hyper_latex: dict = {}  # hyperparameter name -> its symbol in LaTeX
    buffers: tuple = ()    # per-parameter state, stored as "<buf>_W" and "<buf>_b" lists
    exact_from_gradient = False   # True: the new W follows from W, ∂C/∂W and η alone (no state)
    state_maps: tuple = ()         # StateMaps: what the matrices panel draws beside ∂C/∂W

    def __init__(self, eta: float = 0.1, **hyper):
        self.eta = eta
        unknown = sorted(set(hyper) - set(self.hyper))
        if unknown:
            raise ValueError(f"unknown hyperparameter {unknown[0]!r} for optimizer {self.name!r}; "
                             f"allowed: {', '.join(self.hyper) or 'none'}")
        for key, default in self.hyper.items():
            setattr(self, key, _check_hyper(self.name, key, hyper.get(key, default)))
        self.reset()

    @property
    def eta(self) -> float:
        return self._eta

    @eta.setter
    def eta(self, value) -> None:
        self._eta = check_eta(value)

    def reset(self) -> None:
        """Forget the state: step counter t = 0 and no buffers (zeros again on the next step)."""
        self.t = 0
        self.state = {f"{buf}_{p}": [] for buf in self.buffers for p in "Wb"}

    def __repr__(self) -> str:
        hyper = "".join(f", {k}={getattr(self, k):g}" for k in self.hyper)
        return f"{type(self).__name__}(eta={self.eta:g}{hyper})"

    # -- the update --------------------------------------------------------------------------
    def step(self, net, grads, biases: bool = True, record: bool = False) -> OptimizerStep | None:
        """Update every net.W[l] (and net.b[l] unless ``biases`` is False) in place from
        grads.dW[l], grads.db[l]; with ``record``, return what the update used and did."""
        if self.buffers and not self.state[f"{self.buffers[0]}_W"]:
            for key in self.state:
                self.state[key] = [np.zeros_like(p) for p in (net.W if key.endswith("_W") else net.b)]
        self._check_shapes(self.state, net)
        self.t += 1
        out = OptimizerStep(self.name, self.t, self.eta, {k: getattr(self, k) for k in self.hyper}) if record else None
        for l in range(net.L):
            params = [("W", net.W[l], grads.dW[l])] + ([("b", net.b[l], grads.db[l])] if biases else [])
            for kind, p, g in params:
                state = [self.state[f"{buf}_{kind}"][l] for buf in self.buffers]
                prev = {f"{buf}_prev": a.copy() for buf, a in zip(self.buffers, state)} if record else None
                delta, derived = self._update(p, g, *state)
                if record:
                    entry = {"g": np.array(g, dtype=np.float64), **prev,
                             **{buf: a.copy() for buf, a in zip(self.buffers, state)}, **derived, "delta": delta.copy()}
                    getattr(out, kind).append(entry)
        return out

    def _update(self, p: np.ndarray, g: np.ndarray, *state: np.ndarray) -> tuple[np.ndarray, dict]:
        raise NotImplementedError

    @classmethod
    def change(cls, g: np.ndarray, eta: float) -> np.ndarray:
        """Δp, the change the update adds to a parameter whose gradient is ``g`` (same shape), for a
        rule with ``exact_from_gradient`` (no state): what ``_update`` adds, bit for bit, so the new
        parameter p + Δp is known before it is applied."""
        raise NotImplementedError(f"optimizer {cls.name!r} keeps a state: its change needs more than g and η")

    # -- how it is written -------------------------------------------------------------------
    @classmethod
    def formula_in(cls, convention: str, param: str = "W") -> str:
        """The update of ``param`` (LaTeX) in the "column" or "row" gradient convention (with row
        vectors ∂C/∂W has the shape of Wᵀ, so a rule that adds it to W transposes it)."""
        raise NotImplementedError(f"optimizer {cls.name!r} does not say how its update is written")

    @classmethod
    def update_banner(cls, train_biases: bool = True) -> tuple[str, str, str]:
        """(title, row-vector form, column-vector form) of the update micro-step's banner (Unicode)."""
        bias = ", the same rule for bˡ for every layer" if train_biases else " for every layer; bˡ fixed"
        return f"Update ({cls.title})", cls.banner + bias, cls.banner + bias

    @classmethod
    def equation_lines(cls, rec: OptimizerStep, e: dict, w, fmt: Callable, fmtp: Callable,
                       param: str = "w") -> list[UpdateLine]:
        """The update of one parameter with its numbers, line by line (``UpdateLine``): ``rec`` is
        the step (its t, η and hyperparameters), ``e`` maps the names of one of its entries ("g",
        "delta", the buffers, the derived quantities) to that entry's values, ``w`` is the parameter
        before the update.  Values are floats for one entry; a rule with ``exact_from_gradient``
        also takes whole arrays.  ``fmt`` formats a value as LaTeX, ``fmtp`` the same in
        parentheses when negative; ``param`` is the parameter's LaTeX symbol."""
        raise NotImplementedError(f"optimizer {cls.name!r} does not say how its update is written")

    def is_finite(self) -> bool:
        """True unless a state buffer holds NaN or ±inf (a poisoned state, e.g. after overflow)."""
        return all(np.isfinite(a).all() for arrays in self.state.values() for a in arrays)

    # -- saving and restoring ----------------------------------------------------------------
    def state_dict(self) -> dict:
        """name, eta, t, the hyperparameters and copies of the buffers ("v_W": [per layer], …)."""
        d = {"name": self.name, "eta": self.eta, "t": self.t}
        d.update({key: getattr(self, key) for key in self.hyper})
        d.update({key: [a.copy() for a in arrays] for key, arrays in self.state.items()})
        return d

    def load_state_dict(self, d: dict, net=None) -> None:
        """Restore exactly what ``state_dict`` gave; ValueError (and no change) if anything is off.
        With ``net``, the buffers must also have the shapes of its W[l], b[l]."""
        if not isinstance(d, dict) or d.get("name") != self.name:
            got = d.get("name") if isinstance(d, dict) else type(d).__name__
            raise ValueError(f"optimizer state is for {got!r}, not {self.name!r}")
        eta = check_eta(d.get("eta"))
        hyper = {key: _check_hyper(self.name, key, d.get(key)) for key in self.hyper}
        t = d.get("t")
        if isinstance(t, bool) or not isinstance(t, numbers.Integral) or t < 0:
            raise ValueError(f"optimizer step counter t must be a whole number ≥ 0, got {t!r}")
        state = {}
        for key in self.state:
            arrays = d.get(key)
            if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)):
                raise ValueError(f"optimizer state {key!r} must be a list of arrays, got {type(arrays).__name__}")
            state[key] = [np.array(a, dtype=np.float64) for a in arrays]
        self._check_shapes(state, net, finite=True)
        self._eta, self.t, self.state = eta, int(t), state
        for key, value in hyper.items():
            setattr(self, key, value)

    def _check_shapes(self, state: dict, net=None, finite: bool = False) -> None:
        if not state or not next(iter(state.values())):
            if any(state.values()):
                raise ValueError("optimizer state buffers are partly empty")
            return
        W_ref = [w.shape for w in net.W] if net is not None else [a.shape for a in state[f"{self.buffers[0]}_W"]]
        b_ref = [b.shape for b in net.b] if net is not None else [(s[0],) for s in W_ref]
        for key, arrays in state.items():
            ref = W_ref if key.endswith("_W") else b_ref
            shapes = [a.shape for a in arrays]
            if shapes != ref:
                raise ValueError(f"optimizer state {key!r} has shapes {shapes}, expected {ref}")
            if finite and not all(np.isfinite(a).all() for a in arrays):
                raise ValueError(f"optimizer state {key!r} contains NaN or infinite values")


class SGD(Optimizer):
    name, title, short_name = "sgd", "Plain SGD", "SGD"
    banner = "Wˡ ← Wˡ − η ∂C/∂Wˡ"
    exact_from_gradient = True

    @classmethod
    def change(cls, g, eta):
        return -(eta * g)                      # Δp = −η g

    def _update(self, p, g):
        delta = self.change(g, self.eta)
        p += delta                             # W ← W − η g, bit for bit as Network.sgd_step
        return delta, {}

    @classmethod
    def formula_in(cls, convention, param="W"):
        return rf"{param} \leftarrow {param} - \eta\, {gradient_latex(param, convention)}"

    @classmethod
    def update_banner(cls, train_biases=True):
        end = " for every layer" if train_biases else " for every layer; bˡ fixed"
        row, col = "Wˡ ← Wˡ − η (∂C/∂Wˡ)ᵀ", cls.banner
        if train_biases:
            row, col = row + ",  bˡ ← bˡ − η (∂C/∂bˡ)ᵀ", col + ",  bˡ ← bˡ − η ∂C/∂bˡ"
        return "Update", row + end, col + end

    @classmethod
    def equation_lines(cls, rec, e, w, fmt, fmtp, param="w"):
        new = w + e["delta"]                   # what the step applied: p += delta
        return [UpdateLine(rf"{param} \leftarrow {param} - \eta\, g = {fmt(w)} - {fmt(rec.eta)}\cdot {fmtp(e['g'])} "
                           rf"= {fmt(new)}", {"w": w, "eta": rec.eta, "g": e["g"], "w new": new},
                           "w new", ("-", "w", ("*", "eta", "g")))]


class Momentum(Optimizer):
    name, title, short_name = "momentum", "SGD with momentum", "momentum"
    banner = "vˡ ← β vˡ − η ∂C/∂Wˡ,  Wˡ ← Wˡ + vˡ"
    hyper = {"beta": 0.9}
    hyper_latex = {"beta": r"\beta"}
    buffers = ("v",)
    state_maps = (StateMap("v", "v", "velocity {symbol}, β = {beta}", scale="step"),)

    def _update(self, p, g, v):
        v *= self.beta
        v -= self.eta * g                      # v = β v − η g
        p += v
        return v, {}

    @classmethod
    def formula_in(cls, convention, param="W"):
        return rf"v \leftarrow \beta v - \eta\,{gradient_latex(param, convention)};\quad {param} \leftarrow {param} + v"

    @classmethod
    def equation_lines(cls, rec, e, w, fmt, fmtp, param="w"):
        beta, new = rec.hyper["beta"], w + e["delta"]
        return [UpdateLine(rf"v \leftarrow \beta v - \eta\, g = {fmt(beta)}\cdot {fmtp(e['v_prev'])} - "
                           rf"{fmt(rec.eta)}\cdot {fmtp(e['g'])} = {fmt(e['v'])}",
                           {"beta": beta, "v prev": e["v_prev"], "eta": rec.eta, "g": e["g"], "v": e["v"]},
                           "v", ("-", ("*", "beta", "v prev"), ("*", "eta", "g"))),
                UpdateLine(rf"{param} \leftarrow {param} + v = {fmt(w)} + {fmtp(e['v'])} = {fmt(new)}",
                           {"w": w, "v": e["v"], "w new": new}, "w new", ("+", "w", "v"))]


class Adam(Optimizer):
    name, title, short_name = "adam", "Adam", "Adam"
    banner = "Wˡ ← Wˡ − η · m̂ / (√v̂ + ε)"
    hyper = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    hyper_latex = {"beta1": r"\beta_1", "beta2": r"\beta_2", "eps": r"\epsilon"}
    buffers = ("m", "v")
    state_maps = (StateMap("m_hat", "m̂", "{symbol} (mean of ∂C/∂W), t = {t}", scale="gradient"),
                  StateMap("v_hat", "v̂", "{symbol} (mean of (∂C/∂W)²)", signed=False))

    def _update(self, p, g, m, v):
        m *= self.beta1
        m += (1.0 - self.beta1) * g            # m = β₁ m + (1 − β₁) g
        v *= self.beta2
        v += (1.0 - self.beta2) * (g * g)      # v = β₂ v + (1 − β₂) g²
        m_hat = m / (1.0 - self.beta1 ** self.t)
        v_hat = v / (1.0 - self.beta2 ** self.t)
        delta = -(self.eta * m_hat / (np.sqrt(v_hat) + self.eps))
        p += delta                             # W ← W − η m̂ / (√v̂ + ε)
        return delta, {"m_hat": m_hat, "v_hat": v_hat}

    @classmethod
    def formula_in(cls, convention, param="W"):
        return (rf"g = {gradient_latex(param, convention)};\ m \leftarrow \beta_1 m + (1-\beta_1) g;\ v \leftarrow \beta_2 v + (1-\beta_2) g^2;\ "
                rf"{param} \leftarrow {param} - \eta\,\frac{{\hat m}}{{\sqrt{{\hat v}} + \epsilon}}")

    @classmethod
    def equation_lines(cls, rec, e, w, fmt, fmtp, param="w"):
        t, b1, b2, eps, new = rec.t, rec.hyper["beta1"], rec.hyper["beta2"], rec.hyper["eps"], w + e["delta"]
        return [UpdateLine(rf"m \leftarrow \beta_1 m + (1-\beta_1)\, g = {fmt(b1)}\cdot {fmtp(e['m_prev'])} + "
                           rf"{fmt(1 - b1)}\cdot {fmtp(e['g'])} = {fmt(e['m'])}",
                           {"beta1": b1, "m prev": e["m_prev"], "g": e["g"], "m": e["m"]},
                           "m", ("+", ("*", "beta1", "m prev"), ("*", ("-", 1.0, "beta1"), "g"))),
                UpdateLine(rf"v \leftarrow \beta_2 v + (1-\beta_2)\, g^2 = {fmt(b2)}\cdot {fmtp(e['v_prev'])} + "
                           rf"{fmt(1 - b2)}\cdot {fmtp(e['g'])}^2 = {fmt(e['v'])}",
                           {"beta2": b2, "v prev": e["v_prev"], "g": e["g"], "v": e["v"]},
                           "v", ("+", ("*", "beta2", "v prev"), ("*", ("-", 1.0, "beta2"), "g", "g"))),
                UpdateLine(rf"\hat m = \frac{{m}}{{1-\beta_1^{{t}}}} = \frac{{{fmt(e['m'])}}}{{1-{fmt(b1)}^{{{t}}}}} "
                           rf"= {fmt(e['m_hat'])}", {"m": e["m"], "beta1": b1, "t": t, "m hat": e["m_hat"]},
                           "m hat", ("/", "m", ("-", 1.0, ("pow", "beta1", "t")))),
                UpdateLine(rf"\hat v = \frac{{v}}{{1-\beta_2^{{t}}}} = \frac{{{fmt(e['v'])}}}{{1-{fmt(b2)}^{{{t}}}}} "
                           rf"= {fmt(e['v_hat'])}", {"v": e["v"], "beta2": b2, "t": t, "v hat": e["v_hat"]},
                           "v hat", ("/", "v", ("-", 1.0, ("pow", "beta2", "t")))),
                UpdateLine(rf"{param} \leftarrow {param} - \eta\,\frac{{\hat m}}{{\sqrt{{\hat v}}+\epsilon}} = {fmt(w)} - "
                           rf"{fmt(rec.eta)}\cdot\frac{{{fmt(e['m_hat'])}}}{{\sqrt{{{fmt(e['v_hat'])}}} + {fmt(eps)}}} "
                           rf"= {fmt(new)}",
                           {"w": w, "eta": rec.eta, "m hat": e["m_hat"], "v hat": e["v_hat"], "eps": eps, "w new": new},
                           "w new", ("-", "w", ("*", "eta", ("/", "m hat", ("+", ("sqrt", "v hat"), "eps")))))]


OPTIMIZERS: dict[str, type] = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def make_optimizer(name: str, eta: float, **hyper) -> Optimizer:
    """The optimizer called ``name``; ValueError naming the bad value and the allowed names."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; allowed: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name](eta, **hyper)
