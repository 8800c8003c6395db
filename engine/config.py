"""RunConfig: everything that defines a run, as plain JSON-safe values.

Presets, the network editor, session files, the command line and the side-by-side comparison
all describe a run by one of these.  ``validate()`` checks every field and raises ValueError
naming the bad value and what is allowed.
"""
from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field

import numpy as np

from .activations import get_activation
from .checks import whole
from .losses import get_loss
from .network import _check_sizes, check_dropout, check_lambda
from .optim import OPTIMIZERS, check_eta
from .regularisation import get_penalty

MAX_BATCH = 4096
MAX_EPOCHS = 100_000


@dataclass
class RunConfig:
    sizes: list
    activation: str = "sigmoid"
    output_activation: str | None = None
    loss: str = "half_sse"
    optimizer: str = "sgd"
    eta: float = 0.5
    batch_size: int = 1
    epochs: int = 100
    seed: int = 0
    dataset: dict = field(default_factory=lambda: {"name": "xor"})
    W: list | None = None      # explicit initial weights (lists of lists), else seeded
    b: list | None = None
    example_index: int = 0     # the training example the stepper walks through
    train_biases: bool = True  # False: the biases stay at their initial values (the Mazur post)
    penalty: str = "none"      # weight penalty Ω: "none", "l2" (λ/2 Σ w²) or "l1" (λ Σ |w|)
    penalty_lambda: float = 0.0   # its strength λ, 0 ≤ λ ≤ 10
    dropout: float = 0.0       # dropout rate p on the hidden layers while training, 0 ≤ p ≤ 0.9

    def validate(self) -> "RunConfig":
        self.sizes = _check_sizes(self.sizes)
        get_activation(self.activation, hidden=len(self.sizes) > 2)
        get_activation(self.output_activation or self.activation)
        get_loss(self.loss)
        if not isinstance(self.optimizer, str) or self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; allowed: {', '.join(OPTIMIZERS)}")
        self.eta = check_eta(self.eta)
        self.batch_size = whole(self.batch_size, "batch size", 1, MAX_BATCH)
        self.epochs = whole(self.epochs, "epochs", 1, MAX_EPOCHS)
        self.seed = whole(self.seed, "seed", 0, 2**32 - 1)
        self.example_index = whole(self.example_index, "example index", 0, 10**7)
        if not isinstance(self.train_biases, bool):
            raise ValueError(f"train_biases must be true or false, got {self.train_biases!r}")
        get_penalty(self.penalty)
        self.penalty_lambda = check_lambda(self.penalty_lambda)
        self.dropout = check_dropout(self.dropout)
        if not isinstance(self.dataset, dict) or not isinstance(self.dataset.get("name"), str):
            raise ValueError(f"dataset must be a dict with a 'name', got {self.dataset!r}")
        return self

    @property
    def output(self) -> str:
        return self.output_activation or self.activation

    def to_dict(self) -> dict:
        """The fields as plain values.  A custom data set's arrays (X, Y, labels) are referenced,
        not copied (they can be megabytes; nothing changes them in place), everything else is a copy."""
        d = {f.name: copy.deepcopy(getattr(self, f.name)) for f in dataclasses.fields(self) if f.name != "dataset"}
        d["dataset"] = {k: v if isinstance(v, np.ndarray) else copy.deepcopy(v) for k, v in self.dataset.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "RunConfig":
        if not isinstance(d, dict):
            raise ValueError(f"a run configuration must be a mapping, got {type(d).__name__}")
        if "sample" in d and "example_index" not in d:     # the name in files written before it was renamed
            d = {("example_index" if k == "sample" else k): v for k, v in d.items()}
        if isinstance(d.get("dataset"), dict) and d["dataset"].get("name") == "sin":   # sine's, before it took the preset's name
            d = {**d, "dataset": {**d["dataset"], "name": "sine"}}
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"unknown configuration keys {unknown}; allowed: {sorted(known)}")
        if "sizes" not in d:
            raise ValueError("the configuration has no 'sizes'")
        return cls(**d).validate()

    def replace(self, **changes) -> "RunConfig":
        return RunConfig.from_dict({**self.to_dict(), **changes})
