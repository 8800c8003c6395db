"""The training loop: seeded mini-batches, an optimizer, a bounded history and exact rewind.

Mini-batches: epoch e uses the permutation ``np.random.default_rng([seed, e]).permutation(n)``
cut into consecutive batches of ``batch_size`` (the last one may be smaller; a batch never spans
two epochs, so batch_size ≥ n means full batch).  No RNG state is kept: (epoch, position) decide
the next batch.  ``step(indices)`` applies an *external* batch (e.g. the one example the lecturer
stepped through); it does not move the shuffle position and is recorded so rewind replays it.
Dropout masks of update k are ``dropout_masks(sizes, p, seed, k)`` (``engine.regularisation``),
so a replay draws the same ones; ``train_biases=False`` leaves the biases at their initial values.
``set_eta`` changes η and is recorded the same way (assigning ``optimizer.eta`` directly is not
recorded, so a later rewind would replay with the wrong η).

Rewind and saving are here; the checkpoints and records that rewind replays, with their memory
bounds, are the trainer's ``replay`` part (``engine.trainer_state.ReplayStore``); the history
(``EpochRecord``, ``History``) and its bounds are in ``engine.history``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import whole
from .history import EpochRecord, History
from .network import Grads, Network
from .optim import OPTIMIZERS, Optimizer, OptimizerStep, check_eta, make_optimizer
from .regularisation import dropout_masks
from .trainer_state import MAX_CHECKPOINT_BYTES, MAX_CHECKPOINTS, MAX_RECORD_ITEMS, MAX_STEP, ReplayStore

EVAL_CHUNK = 4096   # examples per forward pass in evaluate()
MAX_TRAIN_STEPS = 1_000_000   # updates one request may ask for (a lesson over all its slides, --steps)
_QUIET = dict(over="ignore", invalid="ignore", divide="ignore")


class Diverged(RuntimeError):
    """The loss or the parameters became non-finite at update ``step``; they were kept at step − 1."""

    def __init__(self, step: int, message: str):
        super().__init__(message)
        self.step, self.message = step, message


@dataclass
class StepResult:
    step: int                   # updates applied, counting this one (1-based)
    epoch: int                  # the (0-based) epoch this update belonged to
    loss: float                 # the batch's cost C = C_data + Ω before the update
    grads: Grads
    indices: np.ndarray         # (B,) training-set rows of the batch
    epoch_record: EpochRecord | None = None   # set when this update completed a recorded epoch
    optimizer_step: OptimizerStep | None = None   # what the optimizer used and did (step(record=True))


def _finite(v, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)) or not np.isfinite(v):
        raise ValueError(f"{what} must be a finite number, got {v!r}")
    return float(v)


class Trainer:
    """Trains ``net`` on ``train`` (anything with .X (n, N_0), .Y (n, N_L), .kind and len()).
    ``optimizer`` is a name from OPTIMIZERS (with ``eta``) or an Optimizer (its own η is used).
    ``step_count``: updates applied so far; ``epoch``: epochs completed; ``diverged``: the
    Diverged of the failed update, or None; ``history``: a History.  ``train_biases``: False
    keeps every b[l] fixed (the worked example of the Mazur post updates only the weights)."""

    def __init__(self, net, train, test=None, optimizer="sgd", eta=0.1, batch_size=1, seed=0,
                 max_checkpoint_bytes=MAX_CHECKPOINT_BYTES, checkpoint_every=50, max_history_steps=None,
                 max_history_epochs=None, train_biases=True):
        if not isinstance(net, Network):
            raise ValueError(f"net must be a Network, got {type(net).__name__}")
        self.net = net
        self.train = self._check_data(train, "train")
        self.test = None if test is None else self._check_data(test, "test", allow_empty=True)
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else make_optimizer(optimizer, eta)
        self.batch_size = whole(batch_size, "batch_size", 1)
        self.seed = whole(seed, "seed", 0)
        if not isinstance(train_biases, bool):
            raise ValueError(f"train_biases must be True or False, got {train_biases!r}")
        self.train_biases = train_biases
        self.history = History(max_history_steps, max_history_epochs)
        self.step_count = self.epoch = self._pos = self._loss_n = 0
        self._loss_sum = 0.0
        self.diverged: Diverged | None = None
        self._perm_epoch, self._perm = -1, None
        self.replay = ReplayStore(self._snapshot(), whole(checkpoint_every, "checkpoint_every", 1, MAX_STEP),
                                  whole(max_checkpoint_bytes, "max_checkpoint_bytes", 0, MAX_CHECKPOINT_BYTES))

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
    def dropout_masks(self, step: int, batch: int) -> list | None:
        """The dropout masks of update number ``step`` (1-based) on a batch of ``batch`` examples:
        aligned with a[0..L], (batch, N_l) arrays for the hidden layers; None without dropout."""
        return dropout_masks(self.net.sizes, self.net.dropout, self.seed, step, batch)

    def step(self, indices=None, record: bool = False) -> StepResult:
        """One update on the next mini-batch, or on the external batch ``indices``; with
        ``record``, the result carries the optimizer's OptimizerStep."""
        if self.diverged is not None:
            raise Diverged(self.diverged.step, self.diverged.message)
        if self.step_count >= MAX_STEP:
            raise ValueError(f"the step counter reached its limit of {MAX_STEP:,} updates; rewind or reset")
        external = indices is not None
        idx = self._check_indices(indices) if external else self.next_batch_indices()
        epoch = self.epoch
        grads, mean_batch_loss, opt_step = self._update(idx, external, record)
        if external:
            self.replay.record_external(self.step_count - 1, idx)
        self.history.record(self.step_count, grads.data_loss, grads.penalty)
        record = None
        if mean_batch_loss is not None and self.history.wants_epoch(self.epoch):
            has_test = self.test is not None and len(self.test) > 0
            (train_loss, train_acc), (test_loss, test_acc) = self.evaluate(self.train), \
                self.evaluate(self.test) if has_test else (None, None)
            record = EpochRecord(self.epoch, self.step_count, train_loss, test_loss, train_acc, test_acc,
                                 mean_batch_loss)
            self.history.record_epoch(record)
        if self.replay.due(self.step_count):
            self.replay.add(self._snapshot())
        return StepResult(self.step_count, epoch, grads.loss, grads, idx, record, opt_step)

    def _update(self, idx: np.ndarray, external: bool, record: bool = False):
        """Apply one update (no history): (grads, mean batch data loss if it completed an epoch
        else None, the OptimizerStep if ``record`` else None)."""
        net, opt = self.net, self.optimizer
        before = net.get_params(), opt.state_dict()
        opt_step = None
        with np.errstate(**_QUIET):
            masks = self.dropout_masks(self.step_count + 1, idx.size)
            grads = net.backward(net.forward(self.train.X[idx], masks), self.train.Y[idx])
            ok = bool(np.isfinite(grads.loss))
            if ok:
                opt_step = opt.step(net, grads, biases=self.train_biases, record=record)
                ok = all(np.isfinite(p).all() for p in net.W + net.b) and opt.is_finite()
        if not ok:
            net.W, net.b = before[0]
            opt.load_state_dict(before[1], net)
            k, what = self.step_count + 1, "loss" if not np.isfinite(grads.loss) else "parameters"
            self.diverged = Diverged(k, f"{what} became non-finite at step {k} (η = {opt.eta:g}): "
                                        f"parameters kept at step {k - 1}; try a smaller learning rate")
            raise Diverged(k, self.diverged.message)
        self.step_count += 1
        self._loss_sum += grads.data_loss
        self._loss_n += 1
        if external:
            return grads, None, opt_step
        self._pos += idx.size
        if self._pos < len(self.train):
            return grads, None, opt_step
        mean = self._loss_sum / self._loss_n
        self.epoch, self._pos, self._loss_sum, self._loss_n = self.epoch + 1, 0, 0.0, 0
        return grads, mean, opt_step

    def run(self, n_steps, should_stop=None) -> StepResult | None:
        """Up to ``n_steps`` updates; ``should_stop()`` is asked before each.  The last result."""
        result = None
        for _ in range(whole(n_steps, "n_steps", 0)):
            if should_stop is not None and should_stop():
                break
            result = self.step()
        return result

    def run_epochs(self, n, should_stop=None) -> StepResult | None:
        """Updates until ``n`` more epochs are complete (or ``should_stop()``).  The last result."""
        result, target = None, self.epoch + whole(n, "n", 0)
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
            self.replay.record_eta(self.step_count, eta)

    def clear_divergence(self) -> None:
        self.diverged = None

    # -- rewind ------------------------------------------------------------------------------------
    def _snapshot(self) -> dict:
        """A checkpoint of the state now: parameters, optimizer state and counters."""
        W, b = self.net.get_params()
        opt = self.optimizer.state_dict()
        nbytes = sum(a.nbytes for a in W + b) + sum(a.nbytes for v in opt.values() if isinstance(v, list) for a in v)
        return {"step": self.step_count, "W": W, "b": b, "optimizer": opt, "epoch": self.epoch,
                "pos": self._pos, "loss_sum": self._loss_sum, "loss_n": self._loss_n, "nbytes": nbytes}

    def _restore(self, ck: dict) -> None:
        self.net.set_params(W=ck["W"], b=ck["b"])              # copies: the checkpoint stays intact
        self.optimizer.load_state_dict(ck["optimizer"], self.net)
        self.step_count, self.epoch, self._pos = ck["step"], ck["epoch"], ck["pos"]
        self._loss_sum, self._loss_n = ck["loss_sum"], ck["loss_n"]

    def rewind(self, step, progress=None) -> None:
        """Return to the exact state after ``step`` updates (0 = initial; η as last set at that
        step count) and clear divergence.  Later records, checkpoints and history are forgotten.
        ``progress(done, total)``, if given, is called after each replayed update; an exception it
        raises stops the replay half-way (the caller restores a state_dict it kept)."""
        s = whole(step, "rewind step", 0, self.step_count)
        if s == self.step_count:
            self.replay.replay(s)                              # refuses what can no longer be replayed
            self.diverged = None
            return
        checkpoint, plan, eta_at_s = self.replay.replay(s)
        self.diverged = None
        self._restore(checkpoint)
        self.history.truncate(s)
        for k, (eta, external) in enumerate(plan):
            if eta is not None:
                self.optimizer.eta = eta
            self._update(self.next_batch_indices() if external is None else external, external is not None)
            if progress is not None:
                progress(k + 1, len(plan))
        if eta_at_s is not None:
            self.optimizer.eta = eta_at_s

    # -- saving ------------------------------------------------------------------------------------
    def state_dict(self, checkpoints: bool = True) -> dict:
        """Everything needed to continue identically: numbers, strings, arrays and lists/dicts of
        them.  With ``checkpoints=False`` only the initial one is kept (rewind then replays from 0)."""
        W, b = self.net.get_params()
        return {"version": 1, "sizes": list(self.net.sizes), "n_train": len(self.train), "seed": self.seed,
                "batch_size": self.batch_size, **self.replay.state_dict(checkpoints),
                "step_count": self.step_count, "epoch": self.epoch, "pos": self._pos,
                "loss_sum": self._loss_sum, "loss_n": self._loss_n, "W": W, "b": b,
                "optimizer": self.optimizer.state_dict(), "history": self.history.state_dict()}

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
            if len(d["checkpoints"]) > MAX_CHECKPOINTS:
                raise ValueError(f"the saved state has {len(d['checkpoints']):,} checkpoints; at most "
                                 f"{MAX_CHECKPOINTS:,} are kept")
            cks = {c["step"]: c for c in (self._checked_checkpoint(c, type(opt)) for c in d["checkpoints"])}
            now = self._checked_checkpoint({**d, "step": d["step_count"], "nbytes": 0}, type(opt))
            lengths, flat = np.asarray(d["external_lengths"], np.int64), np.asarray(d["external_indices"], np.int64)
            steps, eta_steps = np.asarray(d["external_steps"], np.int64), np.asarray(d["eta_steps"], np.int64)
            if lengths.shape != steps.shape or (lengths < 1).any() or lengths.sum() != flat.size \
                    or flat.size + eta_steps.size > MAX_RECORD_ITEMS or eta_steps.shape != np.shape(d["eta_values"]) \
                    or any(((k < 0) | (k > now["step"])).any() for k in (steps, eta_steps)):
                raise ValueError("the saved records of external batches and η changes do not fit together "
                                 f"(or hold more than {MAX_RECORD_ITEMS:,} items)")
            external = dict(zip((int(k) for k in d["external_steps"]), np.split(flat, np.cumsum(lengths)[:-1])))
            etas = {int(k): check_eta(float(v)) for k, v in zip(d["eta_steps"], d["eta_values"])}
            if 0 not in cks or any(a.size == 0 or a.min() < 0 or a.max() >= n for a in external.values()):
                raise ValueError("the saved state lacks the initial checkpoint or has external batches out of range")
            batch_size, seed, every, stride, budget = [
                whole(d[k], k, lo, hi) for k, lo, hi in (
                    ("batch_size", 1, None), ("seed", 0, 2**32 - 1), ("checkpoint_every", 1, MAX_STEP),
                    ("checkpoint_stride", 1, MAX_STEP), ("max_checkpoint_bytes", 0, MAX_CHECKPOINT_BYTES))]
            if len(cks) > 1 and sum(c["nbytes"] for c in cks.values()) > budget:
                raise ValueError(f"the saved checkpoints hold more than their bound of {budget:,} bytes")
            history, dropped = History.from_state_dict(d["history"]), whole(d["dropped_upto"], "dropped_upto", -1, MAX_STEP)
        except (KeyError, TypeError, AttributeError, IndexError) as e:
            raise ValueError(f"the saved trainer state is incomplete or malformed: {e!r}") from None
        self.batch_size, self.seed = batch_size, seed
        self.optimizer, self.history = opt, history
        self.replay = ReplayStore.restored(cks, external, etas, dropped, every, stride, budget)
        self._restore(now)
        self._perm_epoch, self.diverged = -1, None

    def _checked_checkpoint(self, c: dict, opt_class) -> dict:
        """A checkpoint (or the current state) from saved values, every field checked."""
        c = {**c, "step": whole(c["step"], "step", 0, MAX_STEP), "epoch": whole(c["epoch"], "epoch", 0, MAX_STEP),
             "pos": whole(c["pos"], "pos", 0, len(self.train) - 1),
             "loss_n": whole(c["loss_n"], "loss_n", 0, MAX_STEP), "loss_sum": _finite(c["loss_sum"], "loss_sum"),
             "nbytes": whole(c["nbytes"], "nbytes", 0, MAX_CHECKPOINT_BYTES * 4)}
        probe = Network(self.net.sizes)
        probe.set_params(W=c["W"], b=c["b"])                  # checks every shape and value
        opt = opt_class(c["optimizer"]["eta"])
        opt.load_state_dict(c["optimizer"], probe)
        nbytes = sum(a.nbytes for a in probe.W + probe.b) + sum(a.nbytes for v in opt.state.values() for a in v)
        return {**c, "W": probe.W, "b": probe.b, "nbytes": nbytes}            # recounted, never trusted
