"""Property-based fuzzing of the engine over generated configurations (hypothesis).

Every test draws depths 1–8, widths 1–64, every hidden activation (sigmoid, tanh, relu, leaky_relu,
linear) with every output activation (those plus softmax) and every loss, batch sizes 1–64 (and
single unbatched examples), inputs up to ±1e6 and η up to 1e3.  The properties:

- a pass returns finite values everywhere, or stops with a ValueError that says what overflowed
  (``engine.network.Overflow``); never a NumPy RuntimeWarning (pytest turns warnings into errors),
  never NaN gradients beside a finite loss;
- backprop agrees with central finite differences on the examples whose values are moderate
  (|z| < 30, 1e-4 away from a ReLU kink, log-loss outputs away from the clipping);
- a training step (any optimizer, η up to 1e3) ends with a finite loss and finite parameters, or
  raises Diverged naming the step, with the parameters exactly as before that step;
- junk configurations raise ValueError naming the bad value or the field, nothing else.

Log-losses beside outputs whose range is not (0, 1) (cross_entropy or bce with linear, relu,
leaky_relu or tanh) are not the maths of the texts: the engine evaluates log a at max(a, EPS)
(EPS = 1e-12; bce clips a to [EPS, 1 − EPS]), so the values stay finite, but C is then flat or
kinked where the clipping acts.  For those pairings only finiteness and the absence of warnings
are asserted, not agreement with finite differences.

Runs are deterministic (``derandomize=True``, no example database).  The total number of generated
configurations is the sum of the ``max_examples`` below (≥ 1 000).
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine import RunConfig
from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from engine.losses import EPS, LOSSES
from engine.network import MAX_PARAMS, MAX_WIDTH, Network, Overflow
from engine.optim import MAX_ETA, OPTIMIZERS
from engine.trainer import Diverged, Trainer

FUZZ = settings(derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
N_PASSES, N_OVERFLOW, N_GRADS, N_TRAIN, N_JUNK_CONFIG, N_JUNK_NETWORK, N_JUNK_TRAINER = 400, 200, 400, 400, 300, 200, 150
assert N_PASSES + N_OVERFLOW + N_GRADS + N_TRAIN + N_JUNK_CONFIG + N_JUNK_NETWORK + N_JUNK_TRAINER >= 1000

OUTPUTS = list(ACTIVATIONS)
LOG_LOSSES = ("cross_entropy", "bce")
UNIT_RANGE = ("sigmoid", "softmax")        # outputs in (0, 1): where the log-losses are the texts' maths
KINKED = ("relu", "leaky_relu")


class Data:
    """The minimal data set a Trainer needs."""

    def __init__(self, X, Y, kind="regression"):
        self.X, self.Y, self.kind = X, Y, kind

    def __len__(self):
        return len(self.X)


# -- strategies ----------------------------------------------------------------------------------
@st.composite
def architectures(draw, max_depth=8, max_width=64):
    depth = draw(st.integers(1, max_depth))
    sizes = draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1))
    hidden = draw(st.sampled_from(HIDDEN_ACTIVATIONS))
    output = draw(st.sampled_from(OUTPUTS))
    loss = draw(st.sampled_from(list(LOSSES)))
    return sizes, hidden, output, loss


def targets(rng, loss: str, shape, scale: float) -> np.ndarray:
    """Targets in the loss's domain: one-hot or probability rows for cross-entropy, 0/1 or soft
    labels for bce, anything up to ±scale for the squared errors."""
    B, n = shape
    if loss == "cross_entropy":
        if rng.random() < 0.5:
            return np.eye(n)[rng.integers(0, n, B)]
        p = rng.random(shape)
        return p / p.sum(axis=1, keepdims=True)
    if loss == "bce":
        return rng.integers(0, 2, shape).astype(float) if rng.random() < 0.5 else rng.random(shape)
    return rng.uniform(-scale, scale, shape)


def inputs(rng, shape, scale: float) -> np.ndarray:
    x = rng.uniform(-scale, scale, shape)
    x.flat[rng.integers(0, x.size)] = scale * rng.choice([-1.0, 1.0])     # the extreme itself, once
    return x


@st.composite
def problems(draw, x_scales=(1e-3, 1.0, 10.0, 1e3, 1e6), y_scales=(1.0, 1e3, 1e6), max_depth=8):
    """(net, x, y): a seeded network and a batch (or one unbatched example) for it."""
    sizes, hidden, output, loss = draw(architectures(max_depth=max_depth))
    B = draw(st.integers(1, 64))
    batched = B > 1 or draw(st.booleans())
    seed = draw(st.integers(0, 2**16))
    x_scale, y_scale = draw(st.sampled_from(x_scales)), draw(st.sampled_from(y_scales))
    rng = np.random.default_rng(seed)
    x = inputs(rng, (B, sizes[0]), x_scale)
    y = targets(rng, loss, (B, sizes[-1]), y_scale)
    if not batched:
        x, y = x[0], y[0]
    return Network(sizes, hidden, output, loss, seed=seed), x, y


# -- helpers ---------------------------------------------------------------------------------------
def all_finite(arrays) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


def check_grads(net: Network, g, x, y) -> None:
    """Shapes, the loss as the mean of the per-example losses, and every recorded array finite."""
    t = g.trace
    assert len(t.a) == net.L + 1 and len(t.z) == len(g.delta) == len(g.dW) == len(g.db) == net.L
    assert [W.shape for W in g.dW] == [W.shape for W in net.W]
    assert [b.shape for b in g.db] == [b.shape for b in net.b]
    assert np.isfinite(g.loss), g.loss
    assert all_finite(t.a + t.z + [g.losses, g.dC_da] + g.sigma_prime + g.delta + g.dW + g.db)
    assert g.loss == pytest.approx(float(np.mean(g.losses)), rel=1e-12, abs=1e-300)
    assert g.losses.shape == ((len(x),) if np.ndim(x) == 2 else ())


def params_equal(a, b) -> bool:
    return all(np.array_equal(u, v) for u, v in zip(a[0] + a[1], b[0] + b[1]))


# -- the passes: finite values or a clear error --------------------------------------------------
@settings(FUZZ, max_examples=N_PASSES)
@given(problems())
def test_passes_are_finite_on_seeded_networks(problem):
    """Seeded weights, inputs up to ±1e6, targets up to ±1e6: every recorded value is finite.
    (Overflow is not expected here: z stays far below 1e308; the test allows none.)"""
    net, x, y = problem
    g = net.loss_and_grads(x, y)
    check_grads(net, g, x, y)
    np.testing.assert_array_equal(net.predict(x), g.trace.output)
    event(f"{net.output_activation}+{g.trace.a[-1].ndim}d")


@settings(FUZZ, max_examples=N_OVERFLOW)
@given(problems(), st.integers(0, 300), st.sampled_from(["W", "b", "both"]))
def test_huge_weights_give_finite_values_or_overflow_error(problem, log_scale, which):
    """Weights as a large η can leave them (finite, up to 1e300): a bare pass returns finite
    values or raises Overflow (a ValueError naming the layer or the loss); inside
    ``np.errstate(over="ignore", invalid="ignore")`` (how the trainer and stepper call it) it
    returns the values as they are, ∞ included, without a warning."""
    net, x, y = problem
    W, b = net.get_params()
    k = 10.0 ** log_scale
    net.set_params(W=[w * k for w in W] if which != "b" else None, b=[v * k + k for v in b] if which != "W" else None)
    try:
        g = net.loss_and_grads(x, y)
    except Overflow as e:
        assert isinstance(e, ValueError)
        msg = str(e)
        assert "overflow" in msg and "float64" in msg and "too large" in msg, msg
        assert ("layer" in msg and "z[" in msg) or "loss or its gradients" in msg, msg
        event("Overflow")
    else:
        check_grads(net, g, x, y)
        event("finite")
    with np.errstate(over="ignore", invalid="ignore"):
        g = net.loss_and_grads(x, y)             # no warning, no exception
    if np.isfinite(g.loss) and all_finite(g.trace.z):
        check_grads(net, g, x, y)


# -- gradients against central finite differences -----------------------------------------------
def moderate_rows(net: Network, x, y):
    """The examples whose values are moderate: |z| < 30 everywhere, ReLU-type z at least 1e-4 from
    the kink, and for a log-loss beside a (0, 1) output (not fused) outputs in [1e-3, 1 − 1e-3]."""
    t = net.forward(x)
    z = [np.atleast_2d(v) for v in t.z]
    ok = np.ones(z[0].shape[0], dtype=bool)
    for l, (z_l, act) in enumerate(zip(z, net.activations)):
        ok &= (np.abs(z_l) < 30).all(axis=1)
        if act.name in KINKED:
            ok &= (np.abs(z_l) > 1e-4).all(axis=1)
    if net.loss.name in LOG_LOSSES and not net.loss.is_fused(net.activations[-1]):
        a = np.atleast_2d(t.a[-1])
        ok &= ((a > 1e-3) & (a < 1 - 1e-3)).all(axis=1)
    if np.ndim(x) == 1:
        return (x, y) if ok[0] else (None, None)
    return (x[ok], y[ok]) if ok.any() else (None, None)


def check_clipped_log_loss(net: Network, x, y) -> None:
    """A log-loss beside an output outside (0, 1): finite, and bounded by the clipping at EPS
    (each log term is at least log EPS), so per example C ≤ −log EPS · Σ_j y_j for cross-entropy
    (rows of y sum to 1 here) and ≤ −log EPS · N_L for bce."""
    g = net.loss_and_grads(x, y)
    check_grads(net, g, x, y)
    bound = -np.log(EPS) * (1.0 if net.loss.name == "cross_entropy" else net.sizes[-1])
    assert (g.losses <= bound * (1 + 1e-9)).all(), (g.losses.max(), bound)


def fd_subset(net: Network, x, y, picks, eps=1e-6):
    """Central differences of the batch-mean loss for the picked (kind, l, flat index) entries."""
    out = []
    for kind, l, k in picks:
        p = (net.W if kind == "W" else net.b)[l].reshape(-1)
        old = p[k]
        p[k] = old + eps
        up = net.loss_and_grads(x, y).loss
        p[k] = old - eps
        down = net.loss_and_grads(x, y).loss
        p[k] = old
        out.append((up - down) / (2 * eps))
    return np.array(out)


@settings(FUZZ, max_examples=N_GRADS)
@given(problems(x_scales=(0.1, 1.0, 3.0), y_scales=(1.0,)), st.integers(0, 2**16))
def test_gradients_match_finite_differences(problem, pick_seed):
    net, x, y = problem
    if net.loss.name in LOG_LOSSES and net.output_activation not in UNIT_RANGE:
        check_clipped_log_loss(net, x, y)
        event("log-loss beside a non-(0,1) output: finiteness only")
        return
    x, y = moderate_rows(net, x, y)
    if x is None:
        event("no moderate example")
        return
    g = net.loss_and_grads(x, y)
    check_grads(net, g, x, y)
    rng = np.random.default_rng(pick_seed)
    picks = []                                              # one W and one b entry per layer, then random ones
    for l in range(net.L):
        picks += [("W", l, int(rng.integers(net.W[l].size))), ("b", l, int(rng.integers(net.b[l].size)))]
    for _ in range(8):
        l = int(rng.integers(net.L))
        kind = "W" if rng.random() < 0.8 else "b"
        picks.append((kind, l, int(rng.integers((net.W if kind == "W" else net.b)[l].size))))
    backprop = np.array([(g.dW if kind == "W" else g.db)[l].reshape(-1)[k] for kind, l, k in picks])
    numeric = fd_subset(net, x, y, picks)
    # FD round-off ≈ 1e-16 |C| / ε per evaluation, times the depth of the sums; truncation is O(ε²).
    tol = 1e-5 * np.maximum(np.abs(numeric), np.abs(backprop)) + 1e-7 * max(1.0, abs(g.loss))
    bad = np.abs(numeric - backprop) > tol
    assert not bad.any(), [(p, n, b_) for p, n, b_, k in zip(picks, numeric, backprop, bad) if k]
    event(f"checked {len(picks)} entries")


# -- training: finite, or Diverged with the parameters of the step before ---------------------
@settings(FUZZ, max_examples=N_TRAIN)
@given(architectures(), st.integers(1, 64), st.integers(1, 64), st.sampled_from(list(OPTIMIZERS)),
       st.floats(-4.0, 3.0), st.sampled_from((1e-2, 1.0, 1e3, 1e6)), st.integers(1, 6), st.integers(0, 2**16),
       st.booleans())
def test_training_steps_are_finite_or_diverge_cleanly(arch, n, batch_size, opt, log_eta, x_scale, n_steps, seed,
                                                      classification):
    sizes, hidden, output, loss = arch
    rng = np.random.default_rng(seed)
    X, Y = inputs(rng, (n, sizes[0]), x_scale), targets(rng, loss, (n, sizes[-1]), x_scale)
    kind = "classification" if classification else "regression"
    net = Network(sizes, hidden, output, loss, seed=seed)
    eta = 10.0 ** log_eta
    tr = Trainer(net, Data(X, Y, kind), Data(X[: n // 2], Y[: n // 2], kind), optimizer=opt, eta=eta,
                 batch_size=batch_size, seed=seed, checkpoint_every=2)
    for k in range(1, n_steps + 1):
        before, opt_before = net.get_params(), tr.optimizer.state_dict()
        try:
            r = tr.step()
        except Diverged as d:
            assert d.step == k and tr.step_count == k - 1
            assert f"at step {k} " in str(d) and f"kept at step {k - 1}" in str(d), str(d)
            assert params_equal(net.get_params(), before) and all_finite(before[0] + before[1])
            assert tr.optimizer.is_finite() and tr.optimizer.t == opt_before["t"]
            with pytest.raises(Diverged, match=f"step {k} "):
                tr.step()                                   # stays diverged until rewound or cleared
            tr.rewind(k - 1)                                # and rewinding to the step before works
            assert params_equal(net.get_params(), before)
            event(f"Diverged ({opt})")
            return
        assert r.step == k and np.isfinite(r.loss) and np.isfinite(r.grads.loss)
        assert all_finite(net.W + net.b) and tr.optimizer.is_finite()
        assert all_finite(r.grads.dW + r.grads.db)
        if r.epoch_record is not None:                      # ∞ (weights blown up) allowed, NaN not
            e = r.epoch_record
            assert not any(v is not None and math.isnan(v) for v in (e.train_loss, e.test_loss, e.mean_batch_loss))
            assert np.isfinite(e.mean_batch_loss)
    event(f"finished ({opt})")


# -- junk configurations: ValueError naming the value or the field --------------------------------
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.integers(-3, 70),
    st.floats(allow_nan=True, allow_infinity=True), st.floats(-5, 5), st.text(max_size=6),
    st.sampled_from(["sigmoid", "softmax", "relu", "half_sse", "bce", "sgd", "adam", "3", "2-2-2", "", "η"]),
    st.just(MAX_WIDTH + 1), st.just(10**6), st.just(1e300), st.just(-0.0), st.just(MAX_ETA), st.just(MAX_ETA * 1.0001),
)
JUNK = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), st.tuples(SCALARS, SCALARS),
                 st.dictionaries(st.text(max_size=3), SCALARS, max_size=2))
VALID_SIZES = st.lists(st.integers(1, 64), min_size=2, max_size=9)
JUNK_SIZES = st.one_of(JUNK, st.lists(st.one_of(st.integers(-2, 70), SCALARS), min_size=0, max_size=9),
                       st.just([20000, 20000, 2000]), st.just([MAX_WIDTH, MAX_WIDTH]))


def mostly(valid, p_junk=0.25, junk=JUNK):
    """A valid value, or (with probability ≈ p_junk) junk, so that each field is often the only bad one."""
    return st.integers(0, 99).flatmap(lambda r: junk if r < 100 * p_junk else valid)


SIZES = mostly(VALID_SIZES, 0.4, JUNK_SIZES)


def names_value(msg: str, field: str, value) -> bool:
    """True if the message names the field or shows the bad value (or a bad element of it)."""
    if field in msg or repr(value) in msg:
        return True
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return any(repr(v) in msg or str(v) in msg for v in items)


def valid_sizes(sizes) -> bool:
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        return False
    s = list(sizes)
    if len(s) < 2 or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_WIDTH for n in s):
        return False
    return sum(m * (n + 1) for n, m in zip(s[:-1], s[1:])) <= MAX_PARAMS


def real(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


FIELDS = {   # RunConfig field -> (the word its message uses, is the value valid?)
    "sizes": ("sizes", valid_sizes),
    "activation": ("activation", lambda v: isinstance(v, str) and v in ACTIVATIONS),
    "output_activation": ("activation", lambda v: not v or (isinstance(v, str) and v in ACTIVATIONS)),  # falsy: σ
    "loss": ("loss", lambda v: isinstance(v, str) and v in LOSSES),
    "optimizer": ("optimizer", lambda v: isinstance(v, str) and v in OPTIMIZERS),
    "eta": ("η", lambda v: real(v) and 0 < v <= 1e4),
    "batch_size": ("batch size", lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4096),
    "epochs": ("epochs", lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 100_000),
    "seed": ("seed", lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**32),
}


VALID = {"activation": st.sampled_from(HIDDEN_ACTIVATIONS), "output_activation": st.sampled_from(OUTPUTS),
         "loss": st.sampled_from(list(LOSSES)), "optimizer": st.sampled_from(list(OPTIMIZERS)),
         "eta": st.floats(1e-4, 1e3), "batch_size": st.integers(1, 64), "epochs": st.integers(1, 500),
         "seed": st.integers(0, 2**32 - 1)}


@st.composite
def config_dicts(draw):
    d = {"sizes": draw(SIZES)}
    for key, valid in VALID.items():
        how = draw(st.sampled_from(["absent", "absent", "valid", "valid", "junk"]))
        if how != "absent":
            d[key] = draw(JUNK if how == "junk" else valid)
    return d


@settings(FUZZ, max_examples=N_JUNK_CONFIG)
@given(config_dicts())
def test_run_config_rejects_junk_with_value_error(d):
    d.setdefault("activation", "sigmoid")
    bad = [f for f, (_, ok) in FIELDS.items() if f in d and not ok(d[f])]
    softmax_hidden = d["activation"] == "softmax" and valid_sizes(d["sizes"]) and len(list(d["sizes"])) > 2
    try:
        cfg = RunConfig.from_dict(d)
    except ValueError as e:
        msg = str(e)
        assert bad or softmax_hidden, (d, msg)
        assert any(names_value(msg, FIELDS[f][0], d[f]) for f in bad) or \
            (softmax_hidden and "'softmax' is allowed in the output layer only" in msg), (d, msg)
        event(f"ValueError: {bad[0] if bad else 'softmax hidden'}")
    else:
        assert not bad and not softmax_hidden, (d, cfg)
        assert cfg.sizes == list(d["sizes"])
        event("valid")


@settings(FUZZ, max_examples=N_JUNK_NETWORK)
@given(SIZES, mostly(VALID["activation"]), mostly(st.one_of(st.none(), VALID["output_activation"])),
       mostly(VALID["loss"]), mostly(st.integers(0, 100)))
def test_network_rejects_junk_with_value_error(sizes, activation, output, loss, seed):
    args = {"sizes": sizes, "activation": activation, "output_activation": output, "loss": loss, "seed": seed}
    depth_ok = valid_sizes(sizes)
    checks = {
        "sizes": ("sizes", valid_sizes(sizes)),
        "activation": ("activation", isinstance(activation, str) and activation in ACTIVATIONS
                       and (activation in HIDDEN_ACTIVATIONS or (depth_ok and len(list(sizes)) == 2))),
        "output_activation": ("activation", output is None or (isinstance(output, str) and output in ACTIVATIONS)),
        "loss": ("loss", isinstance(loss, str) and loss in LOSSES),
        "seed": ("seed", isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0),
    }
    if checks["sizes"][1] and sum(m * (n + 1) for n, m in zip(sizes[:-1], sizes[1:])) > 200_000:
        event("valid sizes, too large to initialise quickly")
        return
    if built_or_refused(lambda: Network(**args), args, checks) is not None:
        event("valid")



def built_or_refused(build, args: dict, checks: dict):
    """``build()`` when every check passes; otherwise a ValueError naming one of the bad values.
    ``checks`` maps an argument to (the name its message uses, whether its value is valid)."""
    try:
        obj = build()
    except ValueError as e:
        msg = str(e)
        bad = [f for f, (_, ok) in checks.items() if not ok]
        assert bad, (args, msg)
        assert any(names_value(msg, checks[f][0], args[f]) for f in bad), (args, msg)
        event(f"ValueError: {bad[0]}")
        return None
    assert all(ok for _, ok in checks.values()), (args, obj)
    return obj

@settings(FUZZ, max_examples=N_JUNK_TRAINER)
@given(mostly(VALID["optimizer"]), mostly(VALID["eta"]), mostly(st.integers(1, 64)), mostly(st.integers(0, 9)))
def test_trainer_rejects_junk_with_value_error(optimizer, eta, batch_size, seed):
    net = Network([2, 3, 1], "tanh", "sigmoid", "bce")
    data = Data(np.zeros((4, 2)), np.ones((4, 1)), "classification")
    args = {"optimizer": optimizer, "eta": eta, "batch_size": batch_size, "seed": seed}
    whole = lambda v, lo: isinstance(v, int) and not isinstance(v, bool) and v >= lo   # noqa: E731
    checks = {"optimizer": ("optimizer", isinstance(optimizer, str) and optimizer in OPTIMIZERS),
              "eta": ("η", real(eta) and 0 < eta <= MAX_ETA),
              "batch_size": ("batch_size", whole(batch_size, 1)), "seed": ("seed", whole(seed, 0))}
    if checks["optimizer"][1] is False:
        checks["eta"] = ("η", True)                         # the optimizer's name is checked first
    tr = built_or_refused(lambda: Trainer(net, data, **args), args, checks)
    if tr is not None:
        tr.step()
        event("valid")


# -- every pairing, deterministically, at the extremes ----------------------------------------------
PAIRINGS = [(h, o, c) for h in HIDDEN_ACTIVATIONS for o in OUTPUTS for c in LOSSES]


@pytest.mark.parametrize("hidden,output,loss", PAIRINGS)
def test_every_pairing_at_the_extremes(hidden, output, loss):
    """All 5 × 6 × 5 pairings: depth 8, width 64, batch 64, inputs and targets at ±1e6 give finite
    values; a small net at moderate values agrees with finite differences (unless the log-loss is
    paired with a non-(0, 1) output); three η = 1e3 steps of each optimizer finish or diverge cleanly."""
    rng = np.random.default_rng(PAIRINGS.index((hidden, output, loss)))
    net = Network([64] * 8 + [64], hidden, output, loss, seed=1)
    x, y = inputs(rng, (64, 64), 1e6), targets(rng, loss, (64, 64), 1e6)
    check_grads(net, net.loss_and_grads(x, y), x, y)

    net = Network([3, 5, 4, 3], hidden, output, loss, seed=2)
    x, y = inputs(rng, (6, 3), 1.0), targets(rng, loss, (6, 3), 1.0)
    if loss in LOG_LOSSES and output not in UNIT_RANGE:
        check_clipped_log_loss(net, x, y)
    else:
        xm, ym = moderate_rows(net, x, y)
        assert xm is not None
        g = net.loss_and_grads(xm, ym)
        picks = [(kind, l, k) for l in range(net.L) for kind in "Wb" for k in range((net.W if kind == "W" else net.b)[l].size)]
        numeric = fd_subset(net, xm, ym, picks)
        backprop = np.array([(g.dW if kind == "W" else g.db)[l].reshape(-1)[k] for kind, l, k in picks])
        np.testing.assert_allclose(numeric, backprop, rtol=1e-5, atol=1e-7 * max(1.0, abs(g.loss)))

    for opt in OPTIMIZERS:
        net = Network([16, 16, 16, 16, 8], hidden, output, loss, seed=3)
        X, Y = inputs(rng, (32, 16), 1e6), targets(rng, loss, (32, 8), 1e6)
        tr = Trainer(net, Data(X, Y), optimizer=opt, eta=1e3, batch_size=8)
        for k in range(1, 4):
            before = net.get_params()
            try:
                r = tr.step()
            except Diverged as d:
                assert d.step == k and f"step {k}" in str(d) and params_equal(net.get_params(), before)
                break
            assert np.isfinite(r.loss) and all_finite(net.W + net.b)


# -- calls that used to crash or silently compute garbage: each a ValueError naming the value ----
def _engine_misuse():
    from engine.gradcheck import gradient_check
    from engine.jacobians import diag_sigma_prime, dz_dW
    from engine.network import Network
    from engine.stepper import Stepper
    net, x, y = Network([2, 3, 2]), np.array([0.1, 0.2]), np.array([0.5, 0.5])
    t = net.forward(x)
    g = net.backward(t, y)
    return {
        "backward(None)": (lambda: net.backward(None, y), "got NoneType"),
        "jacobian layer 5": (lambda: diag_sigma_prime(net, t, 5), "got 5"),
        "jacobian layer -1": (lambda: diag_sigma_prime(net, t, -1), "got -1"),
        "dz/dW layer -1": (lambda: dz_dW(t, -1), "got -1"),
        "jacobian example 3": (lambda: diag_sigma_prime(net, t, 0, example=3), "got 3"),
        "dW_example layer -1": (lambda: g.dW_example(-1), "got -1"),
        "gradient_check eps 0": (lambda: gradient_check(net, x, y, eps=0), "got 0"),
        "sgd_step NaN": (lambda: net.sgd_step(g, float("nan")), "got nan"),
        "sgd_step inf": (lambda: net.sgd_step(g, float("inf")), "got inf"),
        "stepper NaN": (lambda: Stepper(net, x, y, float("nan")), "got nan"),
        "view 99": (lambda: Stepper(net, x, y, 0.5).view(99), "got 99"),
        "view -1": (lambda: Stepper(net, x, y, 0.5).view(-1), "got -1"),
        "complex W": (lambda: net.set_params(W=[np.ones((3, 2)) * 1j, np.ones((2, 3))]), "complex"),
        "complex x": (lambda: net.forward(np.array([1j, 0])), "complex"),
        "history 10**12": (lambda: Trainer(net, _xor(), max_history_steps=10**12), "got 1000000000000"),
    }


def _xor():
    from engine.datasets import make_dataset
    return make_dataset("xor")


@pytest.mark.parametrize("name", list(_engine_misuse()))
def test_engine_misuse_is_a_value_error_naming_the_value(name):
    call, fragment = _engine_misuse()[name]
    with pytest.raises(ValueError, match=re.escape(fragment)):
        call()
