"""What every equation builder reads: the network, the StepView (which names the update's
optimizer), the selection and the convention; and what every builder returns, the EquationBlock.

``Context`` is built once per refresh from the session's state (pure data, no Qt) and answers
the small questions the builders share: which layer, which neuron (``focus``, the one place that
decides it), which example of a batch, and the values of one example, None until computed.

An ``EquationBlock`` carries, besides its LaTeX, every number it prints (``numbers``, in the
shape and orientation printed), which engine quantity each number is (``refs``), and, when the
block states an equation with numbers, which number it claims (``claim``) and how that number
follows from the others (``expr``, evaluated by ``gui.derivation.algebra.evaluate``).  Tests hold
each number against the engine, each equation against its own numbers, and each quantity against
the micro-step that computes it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.network import Network
from engine.notation import CONVENTIONS, subscripts
from engine.optim import OPTIMIZERS, Optimizer


@dataclass(frozen=True)
class Ref:
    """Which engine quantity a printed number is.

    ``kind``: "x", "y", "eta", "C", "dC_da" (∂C/∂aᴸ), or per layer (the code's 0-based l, the W
    index): "W", "b", "z", "s" (σ′(z)), "J" (the activation's Jacobian ∂a/∂z), "delta", "dW" (the
    whole ∂C/∂W), "dW_data" (its data part δ ⊗ a: all of it without a weight penalty), "db",
    "W_new", "b_new"; "identity" (I of layer l's width); "T" (∂z/∂W, slice by index); "a" takes the activation index k (a[0] = x).  "derived" is a number
    computed for the panel (a nudge, a partial sum); ``needs`` names the (quantity, l) pairs of
    ``engine.stepper.Stepper.revealed`` it is made from.
    ``index`` picks an entry or slice of the engine's array; ``form`` then shapes it as printed:
    "col" (N×1), "row" (1×N), "T" (transposed), "diag" (diagonal matrix), "norm" (a 2-norm),
    "" (as it is)."""
    kind: str
    l: int = 0
    form: str = ""
    index: tuple = ()
    needs: tuple = ()


@dataclass
class EquationBlock:
    """One typeset equation: ``title`` (plain text), ``latex``, ``numbers`` (the values printed, by
    name, in the order and orientation printed), ``text`` (an explanation shown above it);
    ``refs``, ``claim`` and ``expr`` as in the module docstring; ``inline`` names the arrays whose
    entries are printed one by one inside a sum rather than as a matrix."""
    title: str
    latex: str
    numbers: dict = field(default_factory=dict)
    text: str = ""
    refs: dict = field(default_factory=dict)
    claim: str | None = None
    expr: object = None
    inline: tuple = ()      # names of arrays printed entry by entry inside a sum, not as a matrix

    def __post_init__(self) -> None:
        # the prose's TeX-style indices as the screen writes them: "δ²_j · a¹_i" reads "δ²ⱼ · a¹ᵢ"
        self.title, self.text = subscripts(self.title), subscripts(self.text)


def col(v) -> np.ndarray:
    """A vector as printed in a column, (N, 1)."""
    return np.asarray(v, dtype=float).reshape(-1, 1)


def row(v) -> np.ndarray:
    """A vector as printed in a row, (1, N)."""
    return np.asarray(v, dtype=float).reshape(1, -1)


@dataclass
class Context:
    net: object                 # engine Network (read only)
    view: object                # engine StepView
    selection: object = None    # gui.session.Selection or None
    convention: str = "column"
    example: int = 0            # which example of a batched trace the equations show

    def __post_init__(self):
        if self.convention not in CONVENTIONS:
            raise ValueError(f"convention must be one of {', '.join(CONVENTIONS)}, got {self.convention!r}")

    @property
    def optimizer(self) -> type[Optimizer]:
        """The optimizer of the update this view's example ends in (from the registry, by the name
        the stepper records), never guessed from the numbers."""
        return OPTIMIZERS[self.view.optimizer]

    # -- shapes --------------------------------------------------------------------------------
    @property
    def L(self) -> int:
        return self.net.L

    @property
    def sizes(self) -> list[int]:
        return self.net.sizes

    @property
    def col(self) -> bool:
        return self.convention == "column"

    @property
    def grad_form(self) -> str:
        """How a gradient vector (δ, ∂C/∂a, ∂C/∂b) is printed in this convention: "col" or "row"."""
        return "col" if self.col else "row"

    def grad_vec(self, v) -> np.ndarray:
        """A gradient vector as printed in this convention."""
        return col(v) if self.col else row(v)

    def grad_mat(self, G) -> np.ndarray:
        """∂C/∂W as printed: shaped like W (column vectors) or like Wᵀ (row vectors: a ⊗ δ)."""
        return np.asarray(G) if self.col else np.asarray(G).T

    @property
    def W_form(self) -> str:
        """The Ref form of a printed ∂C/∂W: "" (as W) or "T"."""
        return "" if self.col else "T"

    @property
    def batched(self) -> bool:
        return self.view.x.ndim == 2

    @property
    def batch_size(self) -> int:
        return self.view.x.shape[0] if self.batched else 1

    def ex(self, arr):
        """One example's row of a (B, N) array, the array itself otherwise; None stays None."""
        if arr is None:
            return None
        arr = np.asarray(arr)
        return arr[self.example] if arr.ndim == 2 and self.batched and arr.shape[0] == self.batch_size else arr

    # -- which layer / neuron the equations are about: the one place that decides -------------
    @property
    def step_l(self) -> int:
        """The 0-based W index of the current micro-step: its layer's, the last for the loss, the first
        for the input and the update (as ``gui.session.Session.focus_layer``, so the matrices dock
        and the derivation panel show the same layer)."""
        return min(max(self.view.step.l, 0), self.L - 1) if self.view.step.book_layer >= 1 else 0

    def focus(self) -> tuple[int, int, int]:
        """(l, j, i): the layer (W index) and neuron/weight the scalar forms show.  A selected
        neuron or edge wins; otherwise the first neuron (and first input) of the current layer."""
        sel = self.selection
        if sel is not None and sel.kind == "edge" and 0 <= sel.l < self.L:
            l = sel.l
            return l, min(sel.j, self.sizes[l + 1] - 1), min(sel.i, self.sizes[l] - 1)
        if sel is not None and sel.kind == "neuron" and 1 <= sel.k <= self.L:
            l = sel.k - 1
            return l, min(sel.j, self.sizes[l + 1] - 1), 0
        if sel is not None and sel.kind == "layer" and 0 <= sel.l < self.L:
            return sel.l, 0, 0
        return self.step_l, 0, 0

    def entry(self, l: int) -> tuple[int, int]:
        """(j, i): the neuron of layer l (W index) and its input shown when the layer is too wide
        to print: the focus when it is in layer l, else the first."""
        fl, j, i = self.focus()
        return (j, i) if fl == l else (0, 0)

    # -- values of one example, None until computed ---------------------------------------------
    def W(self, l: int) -> np.ndarray:
        """The weights the example was computed with (before the update)."""
        return self.view.W_before[l]

    def b(self, l: int) -> np.ndarray:
        return self.view.b_before[l]

    def a(self, k: int):
        return self.ex(self.view.a[k])

    def z(self, l: int):
        return self.ex(self.view.z[l])

    def s(self, l: int):
        return self.ex(self.view.sigma_prime[l])

    def J(self, l: int):
        """∂a/∂z of layer l: diag σ′(z) for an element-wise σ, the full softmax Jacobian otherwise."""
        z, a = self.z(l), self.a(l + 1)
        if z is None or a is None:
            return None
        return self.net.activations[l].jacobian(z, a)

    def delta(self, l: int):
        return self.ex(self.view.delta[l])

    def y(self):
        return self.ex(self.view.y)

    def keep(self, k: int):
        """Inverted dropout's factor m/(1 − p) of activation layer k (a[k] = σ(z) ⊙ m/(1 − p)) in
        this pass, the same factor the backward pass carries into δ; None where nothing is dropped
        (no dropout, the input and output layers) or before the forward pass reaches the layer."""
        masks = self.view.masks
        if masks is None or masks[k] is None or self.view.a[k] is None:
            return None
        return np.asarray(self.ex(masks[k]), dtype=float) / (1.0 - self.net.dropout)

    def keep_ref(self, k: int) -> "Ref":
        """The Ref of ``keep(k)``: the panel's number, known from layer k's forward pass."""
        return Ref("derived", k - 1, needs=(("a", k - 1),))

    def dC_da(self):
        return self.ex(self.view.dC_da)

    def dW(self, l: int):
        """This example's ∂C/∂W[l] = δ ⊗ a, shaped like W, or None before its micro-step."""
        d, a = self.delta(l), self.a(l)
        if self.view.dW[l] is None or d is None:
            return None
        return np.outer(d, a)

    def db(self, l: int):
        """This example's ∂C/∂b[l] = δ, or None before its micro-step."""
        return None if self.view.db[l] is None else self.delta(l)


def context_from_session(session, example: int = 0) -> Context:
    """The Context of a gui.session.Session (reads only)."""
    return Context(session.net, session.view, session.selection, session.settings.convention, example)


def copy_network(net, W=None, b=None):
    """A fresh Network with ``net``'s architecture and dropout rate and the given (or its own)
    parameters, without a weight penalty (its loss is the data loss, whose gradient is δ ⊗ a):
    checks and demonstrations perturb the copy, never the session's network."""
    copy = Network(net.sizes, net.activation, net.output_activation, net.loss.name, net.seed,
                   dropout=getattr(net, "dropout", 0.0))
    copy.set_params(W=net.W if W is None else W, b=net.b if b is None else b)
    return copy
