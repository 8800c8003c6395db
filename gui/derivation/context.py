"""What every equation builder reads: the network, the StepView, the selection and the convention.

``Context`` is built once per refresh from the session's state (pure data, no Qt) and answers
the small questions the builders share: which layer, which neuron, which example of a batch,
and the values of one example.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class EquationBlock:
    """One typeset equation: ``title`` (plain text), ``latex``, ``numbers`` (the values substituted,
    by name, in the order and orientation printed), ``text`` (an explanation shown above it)."""
    title: str
    latex: str
    numbers: dict = field(default_factory=dict)
    text: str = ""


@dataclass
class Context:
    net: object                 # engine Network (read only)
    view: object                # engine StepView
    selection: object = None    # gui.session.Selection or None
    convention: str = "column"
    example: int = 0            # which example of a batched trace the equations show

    def __post_init__(self):
        if self.convention not in ("column", "row"):
            raise ValueError(f"convention must be 'column' or 'row', got {self.convention!r}")

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

    # -- which layer / neuron the equations are about -----------------------------------------
    @property
    def step_l(self) -> int:
        """The 0-based W index of the current micro-step (the last layer for input/loss/update)."""
        l = self.view.step.l
        return l if 0 <= l < self.L else self.L - 1

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

    # -- values of one example ------------------------------------------------------------------
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

    def delta(self, l: int):
        return self.ex(self.view.delta[l])

    def y(self):
        return self.ex(self.view.y)

    def dC_da(self):
        return self.ex(self.view.dC_da)

    def dW(self, l: int):
        """This example's ∂C/∂W[l] (δ ⊗ a), or None before the backward pass computed it."""
        d, a = self.delta(l), self.a(l)
        if self.view.dW[l] is None or d is None:
            return None
        return np.outer(d, a)


def context_from_session(session, example: int = 0) -> Context:
    """The Context of a gui.session.Session (reads only)."""
    return Context(session.net, session.view, session.selection, session.settings.convention, example)


def copy_network(net, W=None, b=None):
    """A fresh Network with ``net``'s architecture and the given (or its own) parameters: checks
    and demonstrations perturb the copy, never the session's network."""
    from engine.network import Network
    copy = Network(net.sizes, net.activation, net.output_activation, net.loss.name, net.seed)
    copy.set_params(W=net.W if W is None else W, b=net.b if b is None else b)
    return copy
