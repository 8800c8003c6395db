"""Trainer: seeded shuffles, exact rewind and state round trips, bounded memory, divergence."""
from dataclasses import dataclass

import numpy as np
import pytest

from engine.network import Network
from engine.history import History
from engine.trainer import Diverged, Trainer


@dataclass
class DS:
    X: np.ndarray
    Y: np.ndarray
    kind: str = "regression"

    def __len__(self):
        return len(self.X)


XOR = DS(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]]),
         "classification")


def wave(n=30, seed=0):
    x = np.random.default_rng(seed).uniform(-1, 1, size=(n, 2))
    return DS(x, np.sin(2 * x[:, :1]) * x[:, 1:])


TRAIN, TEST = wave(30, 0), wave(10, 1)


def make(opt="sgd", eta=0.2, bs=4, act="tanh", **kw):
    net = Network([2, 5, 1], activation=act, output_activation="linear", seed=1)
    return Trainer(net, TRAIN, TEST, optimizer=opt, eta=eta, batch_size=bs, seed=7, **kw)


def state(tr):
    """Every number that must match between two trainers."""
    d = tr.optimizer.state_dict()
    arrays = tr.net.W + tr.net.b + [a for v in d.values() if isinstance(v, list) for a in v]
    h = tr.history
    return (arrays, (tr.step_count, tr.epoch, d["t"], d["eta"]), h.step_numbers.copy(), h.step_losses.copy(),
            [(e.epoch, e.step, e.train_loss, e.test_loss, e.mean_batch_loss) for e in h.epochs])


def assert_same(a, b):
    sa, sb = state(a), state(b)
    assert len(sa[0]) == len(sb[0]) and all(np.array_equal(p, q) for p, q in zip(sa[0], sb[0]))
    assert sa[1] == sb[1] and np.array_equal(sa[2], sb[2]) and np.array_equal(sa[3], sb[3]) and sa[4] == sb[4]


def drive(tr, n, plan):
    """n updates; plan maps a step count to an action done before the update that follows it."""
    while tr.step_count < n:
        action = plan.get(tr.step_count)
        if action == "eta":
            tr.set_eta(0.05 + 0.01 * tr.step_count % 3)
        tr.step(np.array([tr.step_count % 7, 3]) if action == "ext" else None)


PLAN = {3: "ext", 4: "ext", 11: "eta", 17: "ext", 40: "eta", 52: "ext", 75: "ext"}


@pytest.mark.parametrize("opt,eta", [("sgd", 0.2), ("momentum", 0.05), ("adam", 0.02)])
def test_loss_falls_for_every_optimizer(opt, eta):
    tr = make(opt, eta)
    first = tr.evaluate(TRAIN)[0]
    tr.run_epochs(60)
    assert tr.epoch == 60 and len(tr.history.epochs) == 60
    assert tr.history.epochs[-1].train_loss < 0.3 * first
    xor = Trainer(Network([2, 4, 1], "tanh", "sigmoid", "bce", seed=2), XOR, optimizer=opt, eta=eta * 5)
    xor.run_epochs(400)
    rec = xor.history.epochs[-1]
    assert rec.train_acc == 1.0 and rec.test_loss is None and rec.test_acc is None


def test_shuffle_is_a_seeded_permutation_per_epoch():
    a, b, c = make(bs=4), make(bs=4), make(bs=4)
    c.seed = 8
    seen_a, seen_c = [], []
    for _ in range(16):                      # two epochs of 30 in batches 4,4,…,4,2
        nxt = a.next_batch_indices()
        assert np.array_equal(nxt, a.next_batch_indices())     # peeking consumes nothing
        r = a.step()
        assert np.array_equal(r.indices, nxt) and np.array_equal(r.indices, b.step().indices)
        seen_a.append(r.indices)
        seen_c.append(c.step().indices)
    assert [len(i) for i in seen_a[:8]] == [4] * 7 + [2] and a.epoch == 2
    assert sorted(np.concatenate(seen_a[:8])) == list(range(30))
    assert not np.array_equal(np.concatenate(seen_a[:8]), np.concatenate(seen_a[8:]))
    assert not np.array_equal(np.concatenate(seen_a), np.concatenate(seen_c))
    assert [e.step for e in a.history.epochs] == [8, 16]
    assert np.array_equal(np.concatenate(seen_a[:8]), np.random.default_rng([7, 0]).permutation(30))


def test_external_step_does_not_consume_the_shuffle():
    a = make()
    nxt = a.next_batch_indices()
    r = a.step(5)
    assert r.step == 1 and np.array_equal(r.indices, [5]) and np.array_equal(a.next_batch_indices(), nxt)
    assert a.step().step == 2


@pytest.mark.parametrize("opt", ["sgd", "momentum", "adam"])
def test_rewind_then_continue_is_bit_identical(opt):
    ref = make(opt, 0.05, checkpoint_every=5)
    drive(ref, 90, PLAN)
    tr = make(opt, 0.05, checkpoint_every=5)
    drive(tr, 90, PLAN)
    for target in (0, 37, 4, 5, 52, 53):
        tr.rewind(target)
        assert tr.step_count == target and len(tr.history.step_numbers) == target
        partial = make(opt, 0.05)
        drive(partial, target, PLAN)
        assert_same(tr, partial)
        drive(tr, 90, PLAN)
        assert_same(tr, ref)


def test_rewind_across_checkpoint_and_history_thinning():
    kw = dict(checkpoint_every=2, max_checkpoint_bytes=1500, max_history_steps=16, max_history_epochs=4)
    ref, tr = make("adam", 0.02, **kw), make("adam", 0.02, **kw)
    drive(ref, 120, PLAN)
    drive(tr, 70, PLAN)
    assert tr.replay.stride > 2 and sum(c["nbytes"] for c in tr.replay.checkpoints.values()) <= 1500
    tr.rewind(23)                             # before several thinnings of both
    drive(tr, 120, PLAN)
    a, b = state(tr), state(ref)
    assert all(np.array_equal(p, q) for p, q in zip(a[0], b[0])) and a[1] == b[1]
    assert set(a[2]) <= set(range(1, 121)) and set(b[2]) <= set(range(1, 121))
    common = np.intersect1d(a[2], b[2])       # the curve may be coarser, but the points agree
    assert common.size >= 4
    assert np.array_equal(a[3][np.isin(a[2], common)], b[3][np.isin(b[2], common)])


def test_history_and_checkpoints_stay_bounded():
    tr = make(bs=1, checkpoint_every=3, max_checkpoint_bytes=2000, max_history_steps=10, max_history_epochs=3)
    tr.run(1000)
    h = tr.history
    assert len(h.step_losses) < 10 and len(h.epochs) < 3 and h.stride == 128
    assert np.all(h.step_numbers % h.stride == 0) and np.all(np.diff(h.step_numbers) == h.stride)
    assert all(e.epoch % h.epoch_stride == 0 for e in h.epochs)
    assert sum(c["nbytes"] for c in tr.replay.checkpoints.values()) <= 2000 and 0 in tr.replay.checkpoints
    with pytest.raises(ValueError):
        h.step_losses[0] = 1.0                # a read-only view
    tr.replay.max_record_items = 5
    for i in range(4):
        tr.step([i, i])
    assert sum(a.size for a in tr.replay.external.values()) <= 5 and tr.replay.dropped_upto == 1001
    with pytest.raises(ValueError, match="step 1002 can no longer be replayed"):
        tr.rewind(1002)
    tr.rewind(0)
    assert tr.step_count == 0 and np.array_equal(tr.net.W[0], make().net.W[0])


@pytest.mark.parametrize("opt", ["sgd", "momentum"])     # Adam's steps are bounded by η: no blow-up
def test_divergence_keeps_the_last_finite_parameters(opt):
    tr = Trainer(Network([2, 8, 1], "relu", "linear", seed=0), TRAIN, optimizer=opt, eta=1e3, batch_size=5)
    before = None
    with pytest.raises(Diverged) as info:
        for _ in range(500):
            before = tr.net.get_params(), tr.optimizer.state_dict(), tr.step_count
            tr.step()
    err = info.value
    assert err.step == before[2] + 1 == tr.step_count + 1
    assert f"at step {err.step} (η = 1000)" in str(err) and f"kept at step {err.step - 1}" in str(err)
    assert all(np.array_equal(p, q) for p, q in zip(tr.net.W + tr.net.b, before[0][0] + before[0][1]))
    assert tr.optimizer.state_dict()["t"] == before[1]["t"] and tr.diverged is not None
    with pytest.raises(Diverged, match=f"at step {err.step}"):
        tr.run(3)
    tr.clear_divergence()
    with pytest.raises(Diverged):             # the kept parameters are finite but still explode
        tr.step()
    tr.rewind(0)
    tr.set_eta(1e-3)
    assert tr.diverged is None and np.isfinite(tr.run(50).loss)


def test_state_dict_round_trip_continues_identically():
    ref = make("momentum", 0.05, checkpoint_every=4)
    drive(ref, 60, PLAN)
    tr = make("momentum", 0.05, checkpoint_every=4)
    drive(tr, 33, PLAN)
    for checkpoints in (True, False):
        d = tr.state_dict(checkpoints=checkpoints)
        ok = (int, float, str, np.ndarray, list, dict, type(None))
        stack = [d]
        while stack:
            v = stack.pop()
            assert isinstance(v, ok)
            stack.extend(v.values() if isinstance(v, dict) else v if isinstance(v, list) else [])
        other = make("sgd", 0.9, bs=1)
        other.load_state_dict(d)
        assert other.optimizer.name == "momentum" and other.batch_size == 4
        drive(other, 60, PLAN)
        assert_same(other, ref)
        other.rewind(2)
        drive(other, 60, PLAN)
        assert_same(other, ref)
    bad = tr.state_dict()
    bad["W"] = [np.zeros((3, 3))] + bad["W"][1:]
    with pytest.raises(ValueError, match=r"W\[0\].*\(3, 3\)"):
        other.load_state_dict(bad)
    with pytest.raises(ValueError, match="incomplete"):
        other.load_state_dict({k: v for k, v in tr.state_dict().items() if k != "history"})
    assert_same(other, ref)


def test_evaluate_accuracy():
    net = Network([2, 1], "linear", seed=0)
    net.set_params(W=[np.array([[1.0, 0.0]])], b=[np.array([0.0])])
    tr = Trainer(net, XOR)
    assert tr.evaluate(XOR) == (pytest.approx(0.25), 0.5)   # predicts x0 ≥ 0.5: right on 2 of 4
    two = DS(XOR.X, np.hstack([1 - XOR.Y, XOR.Y]), "classification")
    net2 = Network([2, 2], "linear", seed=0)
    net2.set_params(W=[np.array([[0.0, 0.0], [1.0, 1.0]])], b=[np.array([0.5, 0.0])])
    assert Trainer(net2, two).evaluate(two)[1] == 0.75         # argmax: only (1, 1) is wrong
    assert Trainer(net, TRAIN.__class__(XOR.X, XOR.Y)).evaluate(XOR)[1] == 0.5
    assert make().evaluate(TRAIN)[1] is None


@pytest.mark.parametrize("kw,match", [
    (dict(batch_size=0), "batch_size.*0"), (dict(seed=-1), "seed.*-1"), (dict(eta=0.0), "η.*0.0"),
    (dict(eta=float("nan")), "η.*nan"), (dict(optimizer="rprop"), "'rprop'.*sgd, momentum, adam"),
    (dict(checkpoint_every=0), "checkpoint_every.*0"), (dict(max_checkpoint_bytes=-5), "max_checkpoint_bytes.*-5"),
    (dict(max_history_steps=1), "max_steps.*1"), (dict(test=DS(np.zeros((3, 3)), np.zeros((3, 1)))), r"test.*\(3, 3\)"),
    (dict(train=DS(np.zeros((0, 2)), np.zeros((0, 1)))), "no examples"),
    (dict(train=DS(XOR.X, XOR.Y, "ranking")), "'ranking'")])
def test_bad_arguments_raise_value_error_naming_the_value(kw, match):
    args = dict(net=Network([2, 3, 1], seed=0), train=XOR)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        Trainer(**args)


def test_bad_calls_raise_value_error_naming_the_value():
    tr = make()
    tr.run(3)
    for bad, match in ((-1, "-1"), (4, "from 0 to 3.*4"), (1.5, "1.5")):
        with pytest.raises(ValueError, match=match):
            tr.rewind(bad)
    for bad in ([], [30], [-1], [0.5], np.zeros((1, 1), int), [True]):
        with pytest.raises(ValueError, match="indices"):
            tr.step(bad)
    with pytest.raises(ValueError, match="n_steps.*-2"):
        tr.run(-2)
    with pytest.raises(ValueError, match="η.*50000"):
        tr.set_eta(5e4)
    with pytest.raises(ValueError, match="max_steps"):
        History(max_steps=0)
    assert tr.step_count == 3 and tr.run(5, should_stop=lambda: tr.step_count >= 6).step == 6
