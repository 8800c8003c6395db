"""The replay store: what exact rewind needs, a part the trainer owns (``Trainer.replay``).

Rewind: checkpoints of the trainer's state (parameters, optimizer state, counters; the trainer
takes and restores them) are kept every ``stride`` updates; ``Trainer.rewind(s)`` restores the
nearest checkpoint ≤ s and replays the updates after it, which gives bit-identical numbers.  The
replay needs the records of external batches (``Trainer.step(indices)``) and η changes
(``Trainer.set_eta``) kept here.

Memory bounds (the history's are in ``engine.history``):
- checkpoints: at most ``max_checkpoint_bytes`` (default 64 MiB).  When over, the checkpoint
  interval doubles and checkpoints at steps that are not multiples of it are dropped (every other
  one), until the total fits.  The initial checkpoint (step 0) is always kept, even over budget.
- records of external batches and η changes: at most ``max_record_items`` (1 000 000) indices /
  values (8 MB).  When over, the oldest are dropped; rewinding to a step whose replay would need a
  dropped record then raises ValueError (checkpointed steps, including 0, still work).
"""
from __future__ import annotations

import numpy as np

MAX_RECORD_ITEMS = 1_000_000
MAX_STEP = 10**12                  # updates: counters and strides stay far from int64's end
MAX_CHECKPOINT_BYTES = 64 * 2**20  # the default checkpoint budget, and its ceiling
MAX_CHECKPOINTS = 1024             # however small the network, so that a session file lists few


class ReplayStore:
    """Checkpoints (dicts with at least ``step`` and ``nbytes``; what else they hold is the
    trainer's business) and the records of external batches and η changes, each bounded."""

    def __init__(self, initial: dict, checkpoint_every: int, max_checkpoint_bytes: int):
        self.checkpoint_every, self.max_checkpoint_bytes = checkpoint_every, max_checkpoint_bytes
        self.max_record_items = MAX_RECORD_ITEMS
        self.stride = checkpoint_every                 # doubles whenever the checkpoints are thinned
        self.checkpoints: dict[int, dict] = {initial["step"]: initial}
        self.external: dict[int, np.ndarray] = {}     # steps done before it -> external batch indices
        self.etas: dict[int, float] = {}               # steps done when η was set -> η
        self.dropped_upto = -1                          # records of steps up to this one were dropped
        self._record_items = 0

    # -- records ----------------------------------------------------------------------------------
    def record_external(self, step: int, indices: np.ndarray) -> None:
        """The update after ``step`` updates used the external batch ``indices``."""
        self._remember(self.external, step, indices, indices.size)

    def record_eta(self, step: int, eta: float) -> None:
        """η was set to ``eta`` when ``step`` updates were done."""
        self._remember(self.etas, step, eta, 0 if step in self.etas else 1)

    def _remember(self, store: dict, key: int, value, items: int) -> None:
        store[key] = value
        self._record_items += items
        while self._record_items > self.max_record_items:     # drop the oldest record
            k_ext, k_eta = next(iter(self.external), None), next(iter(self.etas), None)
            if k_eta is None or (k_ext is not None and k_ext <= k_eta):
                k, n = k_ext, self.external.pop(k_ext).size
            else:
                k, n = k_eta, 1
                del self.etas[k_eta]
            self._record_items -= n
            self.dropped_upto = max(self.dropped_upto, k)

    # -- checkpoints ------------------------------------------------------------------------------
    def due(self, step: int) -> bool:
        """Should the trainer checkpoint after ``step`` updates?"""
        return step % self.stride == 0

    def add(self, checkpoint: dict) -> None:
        """Keep ``checkpoint``, thinning the others until their bytes fit the budget and there are
        at most MAX_CHECKPOINTS."""
        self.checkpoints[checkpoint["step"]] = checkpoint
        while len(self.checkpoints) > MAX_CHECKPOINTS or len(self.checkpoints) > 1 and \
                sum(c["nbytes"] for c in self.checkpoints.values()) > self.max_checkpoint_bytes:
            self.stride *= 2                                   # drop every other checkpoint
            self.checkpoints = {k: c for k, c in self.checkpoints.items() if k % self.stride == 0}

    # -- rewind -----------------------------------------------------------------------------------
    def replay_length(self, s: int) -> int:
        """How many updates ``replay(s)`` would replay (from the nearest checkpoint at or before s)."""
        return s - max((k for k in self.checkpoints if k <= s), default=s)

    def replay(self, s: int) -> tuple[dict, list, float | None]:
        """How to reach the state after ``s`` updates: (the checkpoint to restore, one (η or None,
        external batch or None) per update to replay after it, the η to set at ``s`` or None).
        ValueError if a record that replay needs was dropped.  Forgets what lies beyond ``s``."""
        c = max(k for k in self.checkpoints if k <= s)
        if c < s and self.dropped_upto >= c:
            raise ValueError(f"step {s} can no longer be replayed exactly: the records of external batches and "
                             f"η changes up to step {self.dropped_upto + 1} were dropped to bound memory; "
                             f"the nearest reachable step is the checkpoint at step {c}")
        plan = [(self.etas.get(k), self.external.get(k)) for k in range(c, s)]
        checkpoint, eta_at_s = self.checkpoints[c], self.etas.get(s)
        self.checkpoints = {k: v for k, v in self.checkpoints.items() if k <= s}
        for k in [k for k in self.external if k >= s]:
            self._record_items -= self.external.pop(k).size
        for k in [k for k in self.etas if k > s]:
            self._record_items -= 1
            del self.etas[k]
        return checkpoint, plan, eta_at_s

    # -- saving -----------------------------------------------------------------------------------
    def state_dict(self, checkpoints: bool = True) -> dict:
        """The store's part of the trainer's state_dict: arrays and numbers.  With
        ``checkpoints=False`` only the initial checkpoint is kept (rewind then replays from 0)."""
        cks = [c for k, c in sorted(self.checkpoints.items()) if checkpoints or k == 0]
        ext = list(self.external.values())
        return {"checkpoint_every": self.checkpoint_every, "max_checkpoint_bytes": self.max_checkpoint_bytes,
                "checkpoint_stride": self.stride,
                "checkpoints": [{**c, "W": [a.copy() for a in c["W"]], "b": [a.copy() for a in c["b"]]} for c in cks],
                "external_steps": np.array(list(self.external), dtype=np.int64),
                "external_lengths": np.array([a.size for a in ext], dtype=np.int64),
                "external_indices": np.concatenate(ext) if ext else np.zeros(0, dtype=np.int64),
                "eta_steps": np.array(list(self.etas), dtype=np.int64),
                "eta_values": np.array(list(self.etas.values()), dtype=np.float64),
                "dropped_upto": self.dropped_upto}

    @classmethod
    def restored(cls, checkpoints: dict[int, dict], external: dict[int, np.ndarray], etas: dict[int, float],
                 dropped_upto: int, checkpoint_every: int, stride: int, max_checkpoint_bytes: int) -> "ReplayStore":
        """A store from checked saved values (the trainer's load_state_dict checks them)."""
        store = cls(checkpoints[0], checkpoint_every, max_checkpoint_bytes)
        store.checkpoints, store.stride = dict(sorted(checkpoints.items())), stride
        store.external, store.etas, store.dropped_upto = external, etas, dropped_upto
        store._record_items = sum(a.size for a in external.values()) + len(etas)
        return store
