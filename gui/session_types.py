"""The small value types the session adapter emits and keeps: what is selected, the view
settings, and training progress."""
from __future__ import annotations

from dataclasses import dataclass

from gui.numbers import SIG_FIGS_DEFAULT


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


PACE_FULL = 0.0          # the pace setting for "as fast as possible"
PACE_STEPS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, PACE_FULL)   # what the pace control offers
PACE_RANGE = (0.0, 1000.0)


def pace_text(pace: float) -> str:
    """"max" for as fast as possible, else "20/s" (steps per second)."""
    return "max" if pace <= PACE_FULL else f"{pace:g}/s"


@dataclass
class ViewSettings:
    convention: str = "column"     # gradients as "column" vectors (δ = Wᵀδ ⊙ σ′) or "row" vectors (δ = δ W diag σ′, as the engine)
    show_bias: bool = False
    split_neurons: bool = False
    animate: bool = True
    speed: float = 1.0             # animation speed factor
    lock_scale: bool = False
    log_loss: bool = False
    theme: str = "light"
    palette: str = "standard"
    font_scale: float = 1.0
    sig_figs: int = SIG_FIGS_DEFAULT   # significant figures of every number shown (gui.numbers.SIG_FIGS_RANGE)
    pace: float = PACE_FULL        # training steps per second while playing (PACE_RANGE); PACE_FULL: as fast as possible


@dataclass
class TrainingProgress:
    step: int
    epoch: int
    loss: float
    steps_per_second: float
