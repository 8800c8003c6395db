"""The training history: per-step batch losses and per-epoch records, in bounded memory.

Bounds: at most ``History.MAX_STEPS`` (200 000) per-step points and ``History.MAX_EPOCHS``
(20 000) epoch records; when full, every second point is dropped (those whose step, or epoch, is
not a multiple of the doubled stride) and from then on only multiples of the stride are recorded
(the Trainer does not evaluate epoch records of skipped epochs).  After a rewind the stride stays
as it was, so the continued curve may be coarser than an uninterrupted run's.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .checks import whole


@dataclass
class EpochRecord:
    epoch: int                  # epochs completed (1 for the first)
    step: int                   # updates applied when it completed
    train_loss: float           # mean loss over the whole training set after the epoch
    test_loss: float | None
    train_acc: float | None     # None for regression
    test_acc: float | None
    mean_batch_loss: float      # mean of the losses of the updates applied during the epoch


class History:
    """Per-step batch data losses (``step_losses`` at ``step_numbers``), the weight penalty Ω of
    the same steps (``step_penalties``, zeros without a penalty) and ``epochs`` (EpochRecords)."""
    MAX_STEPS = 200_000
    MAX_EPOCHS = 20_000
    _FIELDS = [f.name for f in dataclasses.fields(EpochRecord)]

    def __init__(self, max_steps: int | None = None, max_epochs: int | None = None):
        self.max_steps = whole(self.MAX_STEPS if max_steps is None else max_steps, "max_steps", 2)
        self.max_epochs = whole(self.MAX_EPOCHS if max_epochs is None else max_epochs, "max_epochs", 2)
        self._steps = np.zeros(self.max_steps, dtype=np.int64)
        self._losses = np.zeros(self.max_steps)
        self._penalties = np.zeros(self.max_steps)
        self._n, self.stride, self.epoch_stride = 0, 1, 1
        self.epochs: list[EpochRecord] = []

    @property
    def step_losses(self) -> np.ndarray:
        v = self._losses[:self._n]
        v.flags.writeable = False
        return v

    @property
    def step_penalties(self) -> np.ndarray:
        v = self._penalties[:self._n]
        v.flags.writeable = False
        return v

    @property
    def has_penalty(self) -> bool:
        return bool(self._penalties[:self._n].any())

    @property
    def step_numbers(self) -> np.ndarray:
        v = self._steps[:self._n]
        v.flags.writeable = False
        return v

    def record(self, step: int, loss: float, penalty: float = 0.0) -> None:
        """The data loss and the penalty Ω of update ``step`` (the cost was their sum)."""
        if step % self.stride:
            return
        self._steps[self._n], self._losses[self._n], self._penalties[self._n] = step, loss, penalty
        self._n += 1
        if self._n == self.max_steps:                      # full: keep every second point
            self.stride *= 2
            keep = np.flatnonzero(self._steps[:self._n] % self.stride == 0)
            self._n = keep.size
            self._steps[:self._n], self._losses[:self._n] = self._steps[keep], self._losses[keep]
            self._penalties[:self._n] = self._penalties[keep]

    def wants_epoch(self, epoch: int) -> bool:
        return epoch % self.epoch_stride == 0

    def record_epoch(self, rec: EpochRecord) -> None:
        self.epochs.append(rec)
        if len(self.epochs) == self.max_epochs:
            self.epoch_stride *= 2
            self.epochs = [e for e in self.epochs if e.epoch % self.epoch_stride == 0]

    def truncate(self, step: int) -> None:
        """Forget everything recorded after update ``step``."""
        self._n = int(np.searchsorted(self._steps[:self._n], step, side="right"))
        self.epochs = [e for e in self.epochs if e.step <= step]

    def state_dict(self) -> dict:
        rows = [[getattr(e, f) for f in self._FIELDS] for e in self.epochs]
        return {"max_steps": self.max_steps, "max_epochs": self.max_epochs, "stride": self.stride,
                "epoch_stride": self.epoch_stride, "steps": self._steps[:self._n].copy(),
                "losses": self._losses[:self._n].copy(), "penalties": self._penalties[:self._n].copy(),
                "epochs": np.array([[np.nan if v is None else v for v in r] for r in rows], float).reshape(-1, 7),
                "epochs_missing": np.array([[v is None for v in r] for r in rows], bool).reshape(-1, 7)}

    @classmethod
    def from_state_dict(cls, d: dict) -> "History":
        h = cls(d["max_steps"], d["max_epochs"])
        h.stride, h.epoch_stride = whole(d["stride"], "stride", 1), whole(d["epoch_stride"], "epoch_stride", 1)
        steps, losses = np.asarray(d["steps"], dtype=np.int64), np.asarray(d["losses"], dtype=np.float64)
        table, missing = np.asarray(d["epochs"], dtype=np.float64), np.asarray(d["epochs_missing"], dtype=bool)
        if steps.ndim != 1 or steps.shape != losses.shape or steps.size >= h.max_steps \
                or table.shape != missing.shape or table.ndim != 2 or table.shape[1:] != (7,):
            raise ValueError(f"history arrays have inconsistent shapes {steps.shape}, {losses.shape}, {table.shape}")
        penalties = np.asarray(d.get("penalties", np.zeros_like(losses)), dtype=np.float64)
        if penalties.shape != losses.shape:     # files from before penalties existed have none
            raise ValueError(f"history penalties have shape {penalties.shape}, expected {losses.shape}")
        h._n = steps.size
        h._steps[:h._n], h._losses[:h._n], h._penalties[:h._n] = steps, losses, penalties
        for row, miss in zip(table, missing):
            vals = [None if m else float(v) for v, m in zip(row, miss)]
            h.epochs.append(EpochRecord(int(vals[0]), int(vals[1]), *vals[2:]))
        return h
