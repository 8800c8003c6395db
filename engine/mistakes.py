"""The classic hand-backprop mistakes, and the worksheet chain recomputed with one of them.

A worksheet (see ``worksheet.py``) asks for every quantity of one example (or the batch means of a
mini-batch): z, a, C, ∂C/∂a, σ′, δ, ∂C/∂W, ∂C/∂b and the updated W, b.  ``chain`` recomputes all
of them in the column-vector convention, the way a student does by hand, with a mistake injected
wherever it applies, and with the student's own earlier answers taken as inputs where given.  The
checker compares a wrong answer with these recomputations to name the mistake that reproduces it.

Rows are keyed ``(quantity, l)`` with the code's layer index l = 0..L−1 (the book's layer l + 1);
the loss is ``("loss", None)``.  Inside the chain every per-example row is a (B, N) array, one row
per example (B = 1 for a single example); ``dC_dW``/``W_new`` are (N_l, N_{l−1}) and
``dC_db``/``b_new`` (N_l,), means over the batch; the loss is a float, the batch mean.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .activations import Activation
from .losses import Loss
from .notation import sup

PER_EXAMPLE = ("z", "a", "dC_da", "sigma_prime", "delta")
ALL = None           # ``at=ALL``: inject the mistake at every row it applies to


@dataclass(frozen=True)
class Mistake:
    """One mistake: its code (as ``check`` prints it), a short title, and sentences naming the
    factor, for the row where it happens (``own``, by quantity) and for a row it reaches through
    rows the student left blank (``sentence``).  Placeholders: ``{q}`` the student's quantity
    (δ², ∂C/∂W²…), ``{l}``/``{n}``/``{p}`` the book's layer, the next and the previous one."""
    code: str
    title: str
    sentence: str
    own: dict = field(default_factory=dict)

    def explain(self, quantity: str, layer: int | None, L: int | None = None) -> str:
        l = layer or 0
        text = self.own.get(f"{quantity}{'^L' if l == L else ''}", self.own.get(quantity, self.sentence))
        return text.format(q=symbol(quantity, layer), l=sup(l), n=sup(l + 1), p=sup(l - 1))


MISTAKES: dict[str, Mistake] = {m.code: m for m in (
    Mistake("missing-sigma-prime", "σ′ factor left out",
            "your {q} is built from a δ without its factor σ′(z)",
            {"delta^L": "your δ{l} is ∂C/∂a{l} without the factor σ′(z{l})",
             "delta": "your δ{l} is (W{n})ᵀ δ{n} without the factor σ′(z{l})"}),
    Mistake("sigma-prime-of-a", "σ′ taken at a instead of z",
            "your {q} is built from σ′ taken at a instead of at z",
            {"sigma_prime": "your σ′ is taken at a{l} instead of at z{l}: σ′(a{l}) where σ′(z{l}) belongs"}),
    Mistake("not-transposed", "W not transposed",
            "your {q} is built from a matrix the wrong way round",
            {"delta": "your δ{l} multiplies by W{n} where (W{n})ᵀ belongs",
             "z": "your z{l} multiplies by (W{l})ᵀ where W{l} belongs",
             "dC_dW": "your ∂C/∂W{l} is transposed: a{p} (δ{l})ᵀ instead of δ{l} (a{p})ᵀ"}),
    Mistake("sign", "sign flipped",
            "your {q} is built from y − a where a − y belongs",
            {"dC_da": "your ∂C/∂a{l} has the factor y − a{l} where a{l} − y belongs",
             "delta^L": "your δ{l} has the sign of y − a{l} where a{l} − y belongs",
             "W_new": "your W{l} takes the step uphill: + η ∂C/∂W{l} where − η ∂C/∂W{l} belongs",
             "b_new": "your b{l} takes the step uphill: + η ∂C/∂b{l} where − η ∂C/∂b{l} belongs"}),
    Mistake("missing-half", "½ forgotten",
            "your {q} is twice the right value: the ½ of C = ½ Σ(a − y)² was left out"),
    Mistake("extra-half", "½ doubled",
            "your {q} is half the right value: the ½ of C = ½ Σ(a − y)² was applied twice"),
    Mistake("updated-weights", "updated weights used",
            "your {q} is built from a δ computed with weights already updated",
            {"delta": "your δ{l} uses W{n} after the update where the forward pass's W{n} belongs"}),
    Mistake("wrong-activation", "wrong layer's activation",
            "your {q} is built from an ∂C/∂W with the wrong layer's activation",
            {"dC_dW": "your ∂C/∂W{l} uses a{l} where a{p} belongs: ∂C/∂W{l} = δ{l} (a{p})ᵀ"}),
    Mistake("fixed-bias-updated", "fixed bias updated",
            "your {q} took a step, but this run keeps its biases fixed",
            {"b_new": "your b{l} took the step − η ∂C/∂b{l}, but this run keeps its biases fixed: "
                      "b{l} after the update is b{l}"}),
    Mistake("sum-not-mean", "batch summed",
            "your {q} sums over the batch where the mean belongs: B times too large"),
    Mistake("carried-forward", "carried forward",
            "your {q} follows correctly from your own earlier wrong answer"),
    Mistake("arithmetic", "arithmetic",
            "no single known mistake gives your {q}: check the arithmetic"),
)}
INJECTED = tuple(code for code in MISTAKES if code not in ("carried-forward", "arithmetic"))

_SYMBOLS = {"z": "z{l}", "a": "a{l}", "loss": "C", "dC_da": "∂C/∂a{l}", "sigma_prime": "σ′(z{l})",
            "delta": "δ{l}", "dC_dW": "∂C/∂W{l}", "dC_db": "∂C/∂b{l}", "W_new": "W{l} after the update",
            "b_new": "b{l} after the update"}


def symbol(quantity: str, layer: int | None) -> str:
    """The book's symbol of a worksheet quantity: symbol("delta", 2) == "δ²"."""
    return _SYMBOLS[quantity].format(l=sup(layer or 0))


@dataclass
class Problem:
    """What one worksheet is about: the weights the example is computed with, the activations and
    loss, the inputs ``x`` (B, N_0) and targets ``y`` (B, N_L), and the update rule
    ``update(W, b, dW, db) -> (W_new, b_new)`` (a copy of the run's optimizer, never the run's)
    with ``W_new`` the weights it gives from the right gradients; where the run keeps its biases
    fixed (Mazur's), ``biased_update`` is the same rule stepping the biases too (the mistake of
    updating them), else None."""
    W: list
    b: list
    W_new: list
    acts: list
    loss: Loss
    x: np.ndarray
    y: np.ndarray
    batched: bool
    update: Callable
    biased_update: Callable | None = None

    @property
    def L(self) -> int:
        return len(self.W)

    @property
    def B(self) -> int:
        return self.x.shape[0]

    @property
    def fused(self) -> bool:
        return self.loss.is_fused(self.acts[-1])

    def applies(self, code: str, key: tuple) -> bool:
        """Whether mistake ``code`` can happen in row ``key``'s own equation."""
        q, l = key
        L = self.L
        square = lambda M: M.shape[0] == M.shape[1]
        return {
            "missing-sigma-prime": q == "delta" and not (l == L - 1 and self.fused),
            "sigma-prime-of-a": q == "sigma_prime",
            "not-transposed": (q == "z" and square(self.W[l])) or q == "dC_dW"
                              or (q == "delta" and l < L - 1 and square(self.W[l + 1])),
            "sign": q in ("dC_da", "W_new", "b_new") or (q == "delta" and l == L - 1),
            "missing-half": q in ("loss", "dC_da") and self.loss.has_half,
            "extra-half": q in ("loss", "dC_da") and self.loss.has_half,
            "updated-weights": q == "delta" and l < L - 1,
            "wrong-activation": q == "dC_dW",
            "fixed-bias-updated": q == "b_new" and self.biased_update is not None,
            "sum-not-mean": q in ("loss", "dC_dW", "dC_db") and self.B > 1,
        }[code]


def row_order(L: int, batched: bool) -> list[tuple]:
    """The rows in the order a student computes them (the worksheet's order)."""
    rows = [] if batched else [(q, l) for l in range(L) for q in ("z", "a")]
    rows.append(("loss", None))
    if not batched:
        rows.append(("dC_da", L - 1))
    for l in range(L - 1, -1, -1):
        rows += [] if batched else [("sigma_prime", l), ("delta", l)]
        rows += [("dC_dW", l), ("dC_db", l)]
    rows += [("W_new", l) for l in range(L)] + [("b_new", l) for l in range(L)]
    return rows


def inputs(key: tuple, L: int) -> list[tuple]:
    """The rows a row is computed from (the worksheet rows only; x, y, W, b are given)."""
    q, l = key
    return {
        "z": [("a", l - 1)] if l else [],
        "a": [("z", l)],
        "loss": [("a", L - 1)],
        "dC_da": [("a", L - 1)],
        "sigma_prime": [("z", l), ("a", l)],
        "delta": [("dC_da", l), ("sigma_prime", l), ("a", l)] if l == L - 1 else [("delta", l + 1), ("sigma_prime", l)],
        "dC_dW": [("delta", l)] + ([("a", l - 1)] if l else []),
        "dC_db": [("delta", l)],
        "W_new": [("dC_dW", l)],
        "b_new": [("dC_db", l)],
    }[q]


def chain(p: Problem, mistake: str | None = None, at=ALL, given: dict | None = None) -> dict:
    """Every row recomputed, with ``mistake`` injected at the rows in ``at`` (ALL: everywhere it
    applies).  ``given`` maps rows to (values, mask) in worksheet shape: after a row is computed
    its masked entries are replaced by the given values, which then feed the rows after it.

    Returns ``{key: raw}``: each row as computed from its (given or computed) inputs, before its
    own given values replaced it, or None where it cannot be computed (a mistake that changes a
    shape feeds nothing downstream)."""
    given = given or {}
    L, B, W, b = p.L, p.B, p.W, p.b
    raw: dict = {}
    fed: dict = {}

    def wants(key) -> bool:
        return mistake is not None and (at is ALL or key in at) and p.applies(mistake, key)

    def put(key, value):
        raw[key] = value
        if value is not None and key in given:
            vals, mask = given[key]
            value = np.array(value, dtype=np.float64)
            target = value[0] if key[0] in PER_EXAMPLE and not p.batched else value
            if target.shape == np.shape(vals):
                target[...] = np.where(mask, vals, target)
            else:
                value = None                  # a wrongly shaped guess cannot take the student's values
        fed[key] = value
        return value

    def ok(*values) -> bool:
        return all(v is not None for v in values)

    # forward: z^l = W^l a^{l-1} + b^l, a^l = σ(z^l)
    a_prev = p.x
    for l, act in enumerate(p.acts):
        Wl = W[l].T if wants(("z", l)) else W[l]                       # not-transposed: Wᵀ a
        z = put(("z", l), a_prev @ Wl.T + b[l] if ok(a_prev) else None)
        a_prev = put(("a", l), act(z) if ok(z) else None)
    act_L, z_L, a_L, y = p.acts[-1], fed[("z", L - 1)], fed[("a", L - 1)], p.y

    # loss: the batch mean of C(a^L, y)
    key = ("loss", None)
    C = None
    if ok(z_L, a_L):
        losses = p.loss.value(a_L, y, z_L, act_L)
        C = float(losses.sum()) if wants(key) and mistake == "sum-not-mean" else float(losses.sum()) / losses.size
        C = _halves(C, mistake if wants(key) else None)
    put(key, C)

    # ∂C/∂a^L
    key = ("dC_da", L - 1)
    g = p.loss.grad(a_L, y) if ok(a_L) else None
    if ok(g) and wants(key):
        g = -g if mistake == "sign" else _halves(g, mistake)
    g = put(key, g)

    # backward: δ^L = ∂C/∂a^L ⊙ σ′(z^L) (closed form a − y when fused), δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ σ′(z^l)
    dW, db = [None] * L, [None] * L
    d_next = None
    for l in range(L - 1, -1, -1):
        act, z, a = p.acts[l], fed[("z", l)], fed[("a", l)]
        key = ("sigma_prime", l)
        s = None
        if ok(z, a):
            s = act.prime(a, act(a)) if wants(key) else act.prime(z, a)   # sigma-prime-of-a: σ′(a)
        s = put(key, s)
        key = ("delta", l)
        m = mistake if wants(key) else None
        d = None
        if l == L - 1:
            if p.fused and ok(z, a):
                d = p.loss.delta(z, a, y, act, s)                        # a − y
            elif ok(g, s):
                d = g if m == "missing-sigma-prime" else act.vjp(g, z, a, s)
            if ok(d) and m == "sign":
                d = -d
        elif ok(d_next, s):
            Wn = p.W_new[l + 1] if m == "updated-weights" else W[l + 1]
            back = d_next @ (Wn.T if m == "not-transposed" else Wn)      # row form of (W^{l+1})ᵀ δ^{l+1}
            d = back if m == "missing-sigma-prime" else back * s
        d = d_next = put(key, d)
        a_in = p.x if l == 0 else fed[("a", l - 1)]
        key = ("dC_dW", l)
        m = mistake if wants(key) else None
        scale = 1.0 if m == "sum-not-mean" else 1.0 / B
        if m == "wrong-activation":
            a_in = a
        G = None
        if ok(d, a_in):
            G = (a_in.T @ d if m == "not-transposed" else d.T @ a_in) * scale    # mean of δ aᵀ
        dW[l] = put(key, G)
        key = ("dC_db", l)
        scale = 1.0 if wants(key) and mistake == "sum-not-mean" else 1.0 / B
        db[l] = put(key, d.sum(axis=0) * scale if ok(d) else None)

    # the update, with the run's own rule
    usable = all(G is not None and G.shape == w.shape for G, w in zip(dW, W)) and ok(*db)
    W_new, b_new = p.update(W, b, dW, db) if usable else ([None] * L, [None] * L)
    if usable and mistake == "fixed-bias-updated" and p.biased_update is not None:
        b_new = [stepped if wants(("b_new", l)) else kept
                 for l, (kept, stepped) in enumerate(zip(b_new, p.biased_update(W, b, dW, db)[1]))]
    for name, before, after in (("W_new", W, W_new), ("b_new", b, b_new)):
        for l in range(L):
            value = after[l]
            if ok(value) and mistake == "sign" and wants((name, l)):
                value = 2 * before[l] - value                            # sign: the step taken uphill
            put((name, l), value)
    return raw


def _halves(v, mistake):
    return v * 2.0 if mistake == "missing-half" else v * 0.5 if mistake == "extra-half" else v
