"""The training loop: seeded mini-batches, an optimizer, a bounded history and exact rewind.

Mini-batches: epoch e uses the permutation ``np.random.default_rng([seed, e]).permutation(n)``
cut into consecutive batches of ``batch_size`` (the last one may be smaller; a batch never spans
two epochs, so batch_size ≥ n means full batch).  No RNG state is kept: (epoch, position) decide
the next batch.  ``step(indices)`` applies an *external* batch (e.g. the one example the lecturer
stepped through); it does not move the shuffle position and is recorded so rewind replays it.
``set_eta`` changes η and is recorded the same way (assigning ``optimizer.eta`` directly is not
recorded, so a later rewind would replay with the wrong η).

Rewind: checkpoints (parameters, optimizer state, counters) are taken every ``checkpoint_every``
updates; ``rewind(s)`` restores the nearest checkpoint ≤ s and replays the updates after it, which
gives bit-identical numbers.  The loss history is truncated, not recomputed.

Memory bounds:
- history: at most ``History.MAX_STEPS`` (200 000) per-step points and ``History.MAX_EPOCHS``
  (20 000) epoch records; when full, every second point is dropped (those whose step, or epoch,
  is not a multiple of the doubled stride) and from then on only multiples of the stride are
  recorded (epoch records of skipped epochs are not evaluated).  After a rewind the stride stays
  as it was, so the continued curve may be coarser than an uninterrupted run's.
- checkpoints: at most ``max_checkpoint_bytes`` (default 64 MiB).  When over, the checkpoint
  interval doubles and checkpoints at steps that are not multiples of it are dropped (every other
  one), until the total fits.  The initial checkpoint (step 0) is always kept, even over budget.
- records of external batches and η changes: at most ``Trainer.MAX_RECORD_ITEMS`` (1 000 000)
  indices / values (8 MB).  When over, the oldest are dropped; rewinding to a step whose replay
  would need a dropped record then raises ValueError (checkpointed steps, including 0, still work).
"""
from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass

import numpy as np

from .network import Grads, Network
from .optim import OPTIMIZERS, Optimizer, check_eta, make_optimizer

EVAL_CHUNK = 4096   # examples per forward pass in evaluate()
_QUIET = dict(over="ignore", invalid="ignore", divide="ignore")


class Diverged(RuntimeError):
    """The loss or the parameters became non-finite at update ``step``; they were kept at step − 1."""

    def __init__(self, step: int, message: str):
        super().__init__(message)
        self.step, self.message = step, message


@dataclass
class EpochRecord:
    epoch: int                  # epochs completed (1 for the first)
    step: int                   # updates applied when it completed
    train_loss: float           # mean loss over the whole training set after the epoch
    test_loss: float | None
    train_acc: float | None     # None for regression
    test_acc: float | None
    mean_batch_loss: float      # mean of the losses of the updates applied during the epoch


@dataclass
class StepResult:
    step: int                   # updates applied, counting this one (1-based)
    epoch: int                  # the (0-based) epoch this update belonged to
    loss: float                 # the batch's mean loss before the update
    grads: Grads
    indices: np.ndarray         # (B,) training-set rows of the batch
    epoch_record: EpochRecord | None = None   # set when this update completed a recorded epoch


def _whole(v, what: str, lo: int, hi: int | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < lo or (hi is not None and v > hi):
        allowed = f"≥ {lo}" if hi is None else f"from {lo} to {hi}"
        raise ValueError(f"{what} must be a whole number {allowed}, got {v!r}")
    return int(v)


class History:
    """Per-step batch losses (``step_losses`` at ``step_numbers``) and ``epochs`` (EpochRecords)."""
    MAX_STEPS = 200_000
    MAX_EPOCHS = 20_000
    _FIELDS = [f.name for f in dataclasses.fields(EpochRecord)]

    def __init__(self, max_steps: int | None = None, max_epochs: int | None = None):
        self.max_steps = _whole(self.MAX_STEPS if max_steps is None else max_steps, "max_steps", 2)
        self.max_epochs = _whole(self.MAX_EPOCHS if max_epochs is None else max_epochs, "max_epochs", 2)
        self._steps = np.zeros(self.max_steps, dtype=np.int64)
        self._losses = np.zeros(self.max_steps)
        self._n, self.stride, self.epoch_stride = 0, 1, 1
        self.epochs: list[EpochRecord] = []

    @property
    def step_losses(self) -> np.ndarray:
        v = self._losses[:self._n]
        v.flags.writeable = False
        return v

    @property
    def step_numbers(self) -> np.ndarray:
        v = self._steps[:self._n]
        v.flags.writeable = False
        return v

    def record(self, step: int, loss: float) -> None:
        if step % self.stride:
            return
        self._steps[self._n], self._losses[self._n] = step, loss
        self._n += 1
        if self._n == self.max_steps:                      # full: keep every second point
            self.stride *= 2
            keep = np.flatnonzero(self._steps[:self._n] % self.stride == 0)
            self._n = keep.size
            self._steps[:self._n], self._losses[:self._n] = self._steps[keep], self._losses[keep]

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
                "losses": self._losses[:self._n].copy(),
                "epochs": np.array([[np.nan if v is None else v for v in r] for r in rows], float).reshape(-1, 7),
                "epochs_missing": np.array([[v is None for v in r] for r in rows], bool).reshape(-1, 7)}

    @classmethod
    def from_state_dict(cls, d: dict) -> "History":
        h = cls(d["max_steps"], d["max_epochs"])
        h.stride, h.epoch_stride = _whole(d["stride"], "stride", 1), _whole(d["epoch_stride"], "epoch_stride", 1)
        steps, losses = np.asarray(d["steps"], dtype=np.int64), np.asarray(d["losses"], dtype=np.float64)
        table, missing = np.asarray(d["epochs"], dtype=np.float64), np.asarray(d["epochs_missing"], dtype=bool)
        if steps.ndim != 1 or steps.shape != losses.shape or steps.size >= h.max_steps \
                or table.shape != missing.shape or table.ndim != 2 or table.shape[1:] != (7,):
            raise ValueError(f"history arrays have inconsistent shapes {steps.shape}, {losses.shape}, {table.shape}")
        h._n = steps.size
        h._steps[:h._n], h._losses[:h._n] = steps, losses
        for row, miss in zip(table, missing):
            vals = [None if m else float(v) for v, m in zip(row, miss)]
            h.epochs.append(EpochRecord(int(vals[0]), int(vals[1]), *vals[2:]))
        return h


class Trainer:
    """Trains ``net`` on ``train`` (anything with .X (n, N_0), .Y (n, N_L), .kind and len()).
    ``optimizer`` is a name from OPTIMIZERS (with ``eta``) or an Optimizer (its own η is used).
    ``step_count``: updates applied so far; ``epoch``: epochs completed; ``diverged``: the
    Diverged of the failed update, or None; ``history``: a History."""
    MAX_RECORD_ITEMS = 1_000_000

    def __init__(self, net, train, test=None, optimizer="sgd", eta=0.1, batch_size=1, seed=0,
                 max_checkpoint_bytes=64 * 2**20, checkpoint_every=50, max_history_steps=None,
                 max_history_epochs=None):
        if not isinstance(net, Network):
            raise ValueError(f"net must be a Network, got {type(net).__name__}")
        self.net = net
        self.train = self._check_data(train, "train")
        self.test = None if test is None else self._check_data(test, "test", allow_empty=True)
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else make_optimizer(optimizer, eta)
        self.batch_size = _whole(batch_size, "batch_size", 1)
        self.seed = _whole(seed, "seed", 0)
        self.max_checkpoint_bytes = _whole(max_checkpoint_bytes, "max_checkpoint_bytes", 0)
        self.checkpoint_every = _whole(checkpoint_every, "checkpoint_every", 1)
        self.history = History(max_history_steps, max_history_epochs)
        self.step_count = self.epoch = self._pos = self._loss_n = 0
        self._loss_sum = 0.0
        self.diverged: Diverged | None = None
        self._perm_epoch, self._perm = -1, None
        self._external: dict[int, np.ndarray] = {}   # steps done before it -> external batch indices
        self._etas: dict[int, float] = {}            # steps done when η was set -> η
        self._record_items, self._dropped_upto = 0, -1
        self._ck_stride = self.checkpoint_every
        self._checkpoints = {0: self._snapshot()}

    def _check_data(self, ds, what, allow_empty=False):
        X, Y = getattr(ds, "X", None), getattr(ds, "Y", None)
        n_in, n_out = self.net.sizes[0], self.net.sizes[-1]
        if not (isinstance(X, np.ndarray) and isinstance(Y, np.ndarray) and X.ndim == Y.ndim == 2
                and X.shape == (len(ds), n_in) and Y.shape == (len(ds), n_out)):
            raise ValueError(f"{what} data must have X of shape (n, {n_in}) and Y of shape (n, {n_out}), got "
                             f"{getattr(X, 'shape', X)!r} and {getattr(Y, 'shape', Y)!r}")
        if len(ds) == 0 and not allow_empty:
            raise ValueError(f"{what} data has no examples")
        if getattr(ds, "kind", None) not in ("classification", "regression"):
            raise ValueError(f"{what} data kind must be 'classification' or 'regression', "
                             f"got {getattr(ds, 'kind', None)!r}")
        return ds

    # -- mini-batches ------------------------------------------------------------------------
    def next_batch_indices(self) -> np.ndarray:
        """The rows the next ``step()`` will use (a copy; nothing is consumed)."""
        if self._perm_epoch != self.epoch:
            self._perm = np.random.default_rng([self.seed, self.epoch]).permutation(len(self.train))
            self._perm_epoch = self.epoch
        return self._perm[self._pos:self._pos + self.batch_size].copy()

    def _check_indices(self, indices) -> np.ndarray:
        idx, n = np.asarray(indices), len(self.train)
        idx = idx.reshape(1) if idx.ndim == 0 else idx
        if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer) \
                or idx.min() < 0 or idx.max() >= n:
            raise ValueError(f"indices must be a non-empty 1-D array of whole numbers in 0..{n - 1}, got {indices!r}")
        return idx.astype(np.int64)

    # -- training ----------------------------------------------------------------------------
    def step(self, indices=None) -> StepResult:
        """One update on the next mini-batch, or on the external batch ``indices``."""
        if self.diverged is not None:
            raise Diverged(self.diverged.step, self.diverged.message)
        external = indices is not None
        idx = self._check_indices(indices) if external else self.next_batch_indices()
        epoch = self.epoch
        grads, mean_batch_loss = self._update(idx, external)
        if external:
            self._remember(self._external, self.step_count - 1, idx, idx.size)
        self.history.record(self.step_count, grads.loss)
        record = None
        if mean_batch_loss is not None and self.history.wants_epoch(self.epoch):
            has_test = self.test is not None and len(self.test) > 0
            (train_loss, train_acc), (test_loss, test_acc) = self.evaluate(self.train), \
                self.evaluate(self.test) if has_test else (None, None)
            record = EpochRecord(self.epoch, self.step_count, train_loss, test_loss, train_acc, test_acc,
                                 mean_batch_loss)
            self.history.record_epoch(record)
        if self.step_count % self._ck_stride == 0:
            self._checkpoint()
        return StepResult(self.step_count, epoch, grads.loss, grads, idx, record)

    def _update(self, idx: np.ndarray, external: bool):
        """Apply one update (no history): (grads, mean batch loss if it completed an epoch else None)."""
        net, opt = self.net, self.optimizer
        before = net.get_params(), opt.state_dict()
        with np.errstate(**_QUIET):
            grads = net.backward(net.forward(self.train.X[idx]), self.train.Y[idx])
            ok = bool(np.isfinite(grads.loss))
            if ok:
                opt.step(net, grads)
                ok = all(np.isfinite(p).all() for p in net.W + net.b) and opt.is_finite()
        if not ok:
            net.W, net.b = before[0]
            opt.load_state_dict(before[1], net)
            k, what = self.step_count + 1, "loss" if not np.isfinite(grads.loss) else "parameters"
            self.diverged = Diverged(k, f"{what} became non-finite at step {k} (η = {opt.eta:g}): "
                                        f"parameters kept at step {k - 1}; try a smaller learning rate")
            raise Diverged(k, self.diverged.message)
        self.step_count += 1
        self._loss_sum += grads.loss
        self._loss_n += 1
        if external:
            return grads, None
        self._pos += idx.size
        if self._pos < len(self.train):
            return grads, None
        mean = self._loss_sum / self._loss_n
        self.epoch, self._pos, self._loss_sum, self._loss_n = self.epoch + 1, 0, 0.0, 0
        return grads, mean

    def run(self, n_steps, should_stop=None) -> StepResult | None:
        """Up to ``n_steps`` updates; ``should_stop()`` is asked before each.  The last result."""
        result = None
        for _ in range(_whole(n_steps, "n_steps", 0)):
            if should_stop is not None and should_stop():
                break
            result = self.step()
        return result

    def run_epochs(self, n, should_stop=None) -> StepResult | None:
        """Updates until ``n`` more epochs are complete (or ``should_stop()``).  The last result."""
        result, target = None, self.epoch + _whole(n, "n", 0)
        while self.epoch < target and not (should_stop is not None and should_stop()):
            result = self.step()
        return result

    def evaluate(self, ds) -> tuple[float, float | None]:
        """(mean loss, accuracy) over ``ds``; accuracy is None for regression.  Classification
        accuracy compares argmax for several outputs, output ≥ 0.5 with target ≥ 0.5 for one.
        The loss is ∞, never NaN, when the outputs overflow float64 (weights blown up by a large η)."""
        ds = self._check_data(ds, "evaluated")
        net, total, correct = self.net, 0.0, 0
        with np.errstate(**_QUIET):
            for i in range(0, len(ds), EVAL_CHUNK):
                y = ds.Y[i:i + EVAL_CHUNK]
                trace = net.forward(ds.X[i:i + EVAL_CHUNK])
                out = trace.a[-1]
                total += float(net.loss.value(out, y, trace.z[-1], net.activations[-1]).sum())
                if ds.kind == "classification":
                    one = y.shape[1] == 1
                    hit = ((out[:, 0] >= 0.5) == (y[:, 0] >= 0.5)) if one else (out.argmax(1) == y.argmax(1))
                    correct += int(np.count_nonzero(hit))
        loss = total / len(ds)
        if np.isnan(loss):               # ∞ − ∞ after an overflow
            loss = np.inf
        return loss, (correct / len(ds) if ds.kind == "classification" else None)

    def set_eta(self, eta) -> None:
        """Change η from the next update on, recorded so that rewind replays it."""
        eta = check_eta(eta)
        if eta != self.optimizer.eta:
            self.optimizer.eta = eta
            self._remember(self._etas, self.step_count, eta, 0 if self.step_count in self._etas else 1)

    def clear_divergence(self) -> None:
        self.diverged = None

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
        s = _whole(step, "rewind step", 0, self.step_count)
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
            settings = [_whole(d[k], k, lo) for k, lo in (("batch_size", 1), ("seed", 0), ("checkpoint_every", 1),
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
        c = {**c, "step": _whole(c["step"], "step", 0), "epoch": _whole(c["epoch"], "epoch", 0),
             "pos": _whole(c["pos"], "pos", 0, len(self.train) - 1), "loss_n": _whole(c["loss_n"], "loss_n", 0),
             "loss_sum": float(c["loss_sum"]), "nbytes": _whole(c["nbytes"], "nbytes", 0)}
        probe = Network(self.net.sizes)
        probe.set_params(W=c["W"], b=c["b"])                  # checks every shape and value
        opt_class(c["optimizer"]["eta"]).load_state_dict(c["optimizer"], probe)
        return {**c, "W": probe.W, "b": probe.b}
