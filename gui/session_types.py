"""The small value types the session adapter emits and keeps (what is selected, training progress)
and ``RunView``, the protocol of what a view of one run needs from its session.  The view settings
are in gui.view_settings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass
class Selection:
    """What the user picked.  neuron: ``layer`` k in 0..L indexes a[k], ``j`` the neuron;
    edge: ``layer`` l in 0..L-1 indexes W[l], the edge w_ji from neuron i to neuron j;
    layer: ``layer`` l indexes W[l].  kind None: nothing selected."""
    kind: str | None = None
    layer: int = 0
    j: int = 0
    i: int = 0

    @property
    def weight_layer(self) -> int:
        """The W index the heatmaps should show for this selection."""
        return max(self.layer - 1, 0) if self.kind == "neuron" else self.layer


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

    def select(self, selection: Selection | None) -> None: ...

    def set_weight(self, l: int, j: int, i: int, value: float) -> bool: ...

    def set_bias(self, l: int, j: int, value: float) -> bool: ...
