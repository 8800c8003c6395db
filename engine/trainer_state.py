"""The trainer's replayable state: records, checkpoints, exact rewind, saving and loading
(``engine.trainer.Trainer`` mixes ``TrainerState`` in; it is not used alone).

Rewind: checkpoints (parameters, optimizer state, counters) are taken every ``checkpoint_every``
updates; ``rewind(s)`` restores the nearest checkpoint ≤ s and replays the updates after it, which
gives bit-identical numbers.  The loss history is truncated, not recomputed.  The replay needs the
records of external batches (``step(indices)``) and η changes (``set_eta``) kept here.

Memory bounds (the history's are in ``engine.history``):
- checkpoints: at most ``max_checkpoint_bytes`` (default 64 MiB).  When over, the checkpoint
  interval doubles and checkpoints at steps that are not multiples of it are dropped (every other
  one), until the total fits.  The initial checkpoint (step 0) is always kept, even over budget.
- records of external batches and η changes: at most ``Trainer.MAX_RECORD_ITEMS`` (1 000 000)
  indices / values (8 MB).  When over, the oldest are dropped; rewinding to a step whose replay
  would need a dropped record then raises ValueError (checkpointed steps, including 0, still work).
"""
from __future__ import annotations

import numpy as np

from .checks import whole
from .history import History
from .network import Network
from .optim import OPTIMIZERS, Optimizer, check_eta, make_optimizer


class TrainerState:
    """Records, checkpoints, rewind and saving for a Trainer (its net, optimizer, train data,
    counters, history, ``next_batch_indices()`` and ``_update()``)."""
    MAX_RECORD_ITEMS = 1_000_000

    def _init_state(self) -> None:
        """Empty records and the initial checkpoint (call once the counters are set)."""
        self._external: dict[int, np.ndarray] = {}   # steps done before it -> external batch indices
        self._etas: dict[int, float] = {}            # steps done when η was set -> η
        self._record_items, self._dropped_upto = 0, -1
        self._ck_stride = self.checkpoint_every
        self._checkpoints = {0: self._snapshot()}

    # -- records, checkpoints and rewind -----------------------------------------------------
    def _remember(self, store: dict, key: int, value, items: int) -> None:
        store[key] = value
        self._record_items += items
        while self._record_items > self.MAX_RECORD_ITEMS:       # drop the oldest record
            k_ext, k_eta = next(iter(self._external), None), next(iter(self._etas), None)
            if k_eta is None or (k_ext is not None and k_ext <= k_eta):
                k, n = k_ext, self._external.pop(k_ext).size
            else:
                k, n = k_eta, 1
                del self._etas[k_eta]
            self._record_items -= n
            self._dropped_upto = max(self._dropped_upto, k)

    def _snapshot(self) -> dict:
        W, b = self.net.get_params()
        opt = self.optimizer.state_dict()
        nbytes = sum(a.nbytes for a in W + b) + sum(a.nbytes for v in opt.values() if isinstance(v, list) for a in v)
        return {"step": self.step_count, "W": W, "b": b, "optimizer": opt, "epoch": self.epoch,
                "pos": self._pos, "loss_sum": self._loss_sum, "loss_n": self._loss_n, "nbytes": nbytes}

    def _checkpoint(self) -> None:
        self._checkpoints[self.step_count] = self._snapshot()
        while len(self._checkpoints) > 1 and \
                sum(c["nbytes"] for c in self._checkpoints.values()) > self.max_checkpoint_bytes:
            self._ck_stride *= 2                               # drop every other checkpoint
            self._checkpoints = {k: c for k, c in self._checkpoints.items() if k % self._ck_stride == 0}

    def _restore(self, ck: dict) -> None:
        self.net.set_params(W=ck["W"], b=ck["b"])              # copies: the checkpoint stays intact
        self.optimizer.load_state_dict(ck["optimizer"], self.net)
        self.step_count, self.epoch, self._pos = ck["step"], ck["epoch"], ck["pos"]
        self._loss_sum, self._loss_n = ck["loss_sum"], ck["loss_n"]

    def rewind(self, step) -> None:
        """Return to the exact state after ``step`` updates (0 = initial; η as last set at that
        step count) and clear divergence.  Later records, checkpoints and history are forgotten."""
        s = whole(step, "rewind step", 0, self.step_count)
        c = max(k for k in self._checkpoints if k <= s)
        if c < s and self._dropped_upto >= c:
            raise ValueError(f"step {s} can no longer be replayed exactly: the records of external batches and "
                             f"η changes up to step {self._dropped_upto + 1} were dropped to bound memory; "
                             f"the nearest reachable step is the checkpoint at step {c}")
        self.diverged = None
        if s == self.step_count:
            return
        self._restore(self._checkpoints[c])
        self._checkpoints = {k: v for k, v in self._checkpoints.items() if k <= s}
        self.history.truncate(s)
        for k in range(c, s):
            if k in self._etas:
                self.optimizer.eta = self._etas[k]
            ext = self._external.get(k)
            self._update(self.next_batch_indices() if ext is None else ext, ext is not None)
        if s in self._etas:
            self.optimizer.eta = self._etas[s]
        for k in [k for k in self._external if k >= s]:
            self._record_items -= self._external.pop(k).size
        for k in [k for k in self._etas if k > s]:
            self._record_items -= 1
            del self._etas[k]

    # -- saving ------------------------------------------------------------------------------
    def state_dict(self, checkpoints: bool = True) -> dict:
        """Everything needed to continue identically: numbers, strings, arrays and lists/dicts of
        them.  With ``checkpoints=False`` only the initial one is kept (rewind then replays from 0)."""
        W, b = self.net.get_params()
        cks = [c for k, c in sorted(self._checkpoints.items()) if checkpoints or k == 0]
        ext = list(self._external.values())
        return {"version": 1, "sizes": list(self.net.sizes), "n_train": len(self.train), "seed": self.seed,
                "batch_size": self.batch_size, "checkpoint_every": self.checkpoint_every,
                "max_checkpoint_bytes": self.max_checkpoint_bytes, "checkpoint_stride": self._ck_stride,
                "step_count": self.step_count, "epoch": self.epoch, "pos": self._pos,
                "loss_sum": self._loss_sum, "loss_n": self._loss_n, "W": W, "b": b,
                "optimizer": self.optimizer.state_dict(), "history": self.history.state_dict(),
                "checkpoints": [{**c, "W": [a.copy() for a in c["W"]], "b": [a.copy() for a in c["b"]]} for c in cks],
                "external_steps": np.array(list(self._external), dtype=np.int64),
                "external_lengths": np.array([a.size for a in ext], dtype=np.int64),
                "external_indices": np.concatenate(ext) if ext else np.zeros(0, dtype=np.int64),
                "eta_steps": np.array(list(self._etas), dtype=np.int64),
                "eta_values": np.array(list(self._etas.values()), dtype=np.float64),
                "dropped_upto": self._dropped_upto}

    def load_state_dict(self, d: dict) -> None:
        """Continue from ``state_dict()`` output; ValueError (and no change) if it does not fit."""
        n = len(self.train)
        try:
            if list(d["sizes"]) != self.net.sizes or d["n_train"] != n:
                raise ValueError(f"the saved state is for a {list(d['sizes'])} network and {d['n_train']} "
                                 f"training examples, not {self.net.sizes} and {n}")
            od = d["optimizer"]
            hyper = {k: od[k] for k in OPTIMIZERS.get(od["name"], Optimizer).hyper}
            opt = make_optimizer(od["name"], od["eta"], **hyper)
            cks = {c["step"]: c for c in (self._checked_checkpoint(c, type(opt)) for c in d["checkpoints"])}
            now = self._checked_checkpoint({**d, "step": d["step_count"], "nbytes": 0}, type(opt))
            lengths, flat = np.asarray(d["external_lengths"], np.int64), np.asarray(d["external_indices"], np.int64)
            external = dict(zip((int(k) for k in d["external_steps"]), np.split(flat, np.cumsum(lengths)[:-1])))
            etas = {int(k): check_eta(float(v)) for k, v in zip(d["eta_steps"], d["eta_values"])}
            if 0 not in cks or any(a.size == 0 or a.min() < 0 or a.max() >= n for a in external.values()):
                raise ValueError("the saved state lacks the initial checkpoint or has external batches out of range")
            settings = [whole(d[k], k, lo) for k, lo in (("batch_size", 1), ("seed", 0), ("checkpoint_every", 1),
                                                          ("checkpoint_stride", 1), ("max_checkpoint_bytes", 0))]
            history, dropped = History.from_state_dict(d["history"]), int(d["dropped_upto"])
        except (KeyError, TypeError, AttributeError, IndexError) as e:
            raise ValueError(f"the saved trainer state is incomplete or malformed: {e!r}") from None
        self.batch_size, self.seed, self.checkpoint_every, self._ck_stride, self.max_checkpoint_bytes = settings
        self.optimizer, self.history, self._checkpoints = opt, history, dict(sorted(cks.items()))
        self._restore(now)
        self._external, self._etas, self._dropped_upto = external, etas, dropped
        self._record_items = sum(a.size for a in external.values()) + len(etas)
        self._perm_epoch, self.diverged = -1, None

    def _checked_checkpoint(self, c: dict, opt_class) -> dict:
        """A checkpoint (or the current state) from saved values, every field checked."""
        c = {**c, "step": whole(c["step"], "step", 0), "epoch": whole(c["epoch"], "epoch", 0),
             "pos": whole(c["pos"], "pos", 0, len(self.train) - 1), "loss_n": whole(c["loss_n"], "loss_n", 0),
             "loss_sum": float(c["loss_sum"]), "nbytes": whole(c["nbytes"], "nbytes", 0)}
        probe = Network(self.net.sizes)
        probe.set_params(W=c["W"], b=c["b"])                  # checks every shape and value
        opt_class(c["optimizer"]["eta"]).load_state_dict(c["optimizer"], probe)
        return {**c, "W": probe.W, "b": probe.b}
