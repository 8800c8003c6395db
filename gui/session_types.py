"""The small value types the session adapter emits and keeps (what is selected, training progress)
and ``RunView``, the protocol of what a view of one run needs from its session.  The view settings
are in gui.view_settings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass
class Selection:
    """What the user picked (``kind`` None: nothing).  Each index says what it counts, as in
    engine/network.py: a neuron is neuron ``j`` of the activations a[``k``] (k = 0 is the input);
    an edge is w_ji of the weight matrix W[``l``], from neuron ``i`` of a[l] to neuron ``j`` of
    a[l+1]; a layer is W[``l``].  Build them with ``Selection.neuron(k, j)``,
    ``Selection.edge(l, j, i)`` and ``Selection.layer(l)``."""
    kind: str | None = None
    k: int = 0          # neuron: the activation layer a[k]
    l: int = 0          # edge or layer: the weight matrix W[l]
    j: int = 0
    i: int = 0

    @classmethod
    def neuron(cls, k: int, j: int) -> "Selection":
        return cls("neuron", k=k, j=j)

    @classmethod
    def edge(cls, l: int, j: int, i: int) -> "Selection":
        return cls("edge", l=l, j=j, i=i)

    @classmethod
    def layer(cls, l: int) -> "Selection":
        return cls("layer", l=l)

    @property
    def weight_layer(self) -> int:
        """The W index the heatmaps should show: W[l], or for a neuron the W[k − 1] into it."""
        return max(self.k - 1, 0) if self.kind == "neuron" else self.l


@dataclass
class TrainingProgress:
    step: int
    epoch: int
    loss: float
    steps_per_second: float


@runtime_checkable
class RunView(Protocol):
    """What a view of one run (the network graph) needs from its session.  ``gui.session.Session``
    provides it for the main run and ``gui.compare_view.CompareSession`` for the comparison run,
    which is read-only there (edits are refused with a message)."""
    run_changed: object          # Qt signals: a new run; a new micro-step (the StepView); W or b
    step_changed: object         # changed; a new Selection
    params_changed: object
    selection_changed: object
    settings: object             # gui.view_settings.ViewSettings, shared with the main session
    selection: Selection

    @property
    def net(self): ...           # the engine's Network being drawn

    @property
    def view(self): ...          # the engine's StepView of the current micro-step

    @property
    def playing(self) -> bool: ...

    def class_names(self) -> list[str] | None: ...   # one name per output neuron, or None

    def select(self, selection: Selection | None) -> None: ...

    def set_weight(self, l: int, j: int, i: int, value: float) -> bool: ...

    def set_bias(self, l: int, j: int, value: float) -> bool: ...
