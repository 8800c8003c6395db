"""Weight penalties and dropout: separate terms, the gradient check (masks held fixed), seeded
masks that a rewind replays, inverted scaling, training only."""
import numpy as np
import pytest

from engine import get_preset, gradient_check
from engine.network import Network
from engine.regularisation import PENALTIES, dropout_masks
from engine.run import Run

X = np.array([[0.3, -0.7], [1.0, 0.4], [-0.5, 0.9]])
Y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])


def net(**kw):
    return Network([2, 4, 3, 2], activation="tanh", output_activation="sigmoid", loss="bce", seed=5, **kw)


@pytest.mark.parametrize("penalty", ["l2", "l1"])
def test_penalty_is_a_separate_term_and_passes_the_gradient_check(penalty):
    plain, pen = net(), net(penalty=penalty, lam=0.3)
    gp, g = plain.loss_and_grads(X, Y), pen.loss_and_grads(X, Y)
    assert g.data_loss == gp.loss and g.penalty > 0 and g.loss == g.data_loss + g.penalty
    Ws = pen.W
    want = 0.15 * sum((w ** 2).sum() for w in Ws) if penalty == "l2" else 0.3 * sum(np.abs(w).sum() for w in Ws)
    assert g.penalty == pytest.approx(want, rel=1e-12)
    for l, w in enumerate(Ws):
        part = 0.3 * w if penalty == "l2" else 0.3 * np.sign(w)
        np.testing.assert_array_equal(g.dW_data[l], gp.dW[l])
        np.testing.assert_allclose(g.dW_penalty[l], part, rtol=1e-15)
        np.testing.assert_array_equal(g.dW[l], g.dW_data[l] + g.dW_penalty[l])
        np.testing.assert_array_equal(g.db[l], gp.db[l])                 # biases are not penalised
    check = gradient_check(pen, X, Y)
    assert check.ok, check.max_rel_err


def test_dropout_with_a_fixed_mask_passes_the_gradient_check_and_scales_by_one_over_keep():
    n = net(dropout=0.5)
    masks = dropout_masks(n.sizes, 0.5, seed=2, step=1, batch=3)
    assert masks[0] is None and masks[-1] is None and masks[1].shape == (3, 4)
    tr = n.forward(X, masks)
    np.testing.assert_array_equal(tr.a[1], np.tanh(X @ n.W[0].T + n.b[0]) * masks[1] / 0.5)
    g = n.backward(tr, Y)
    assert np.all(g.delta[0][masks[1] == 0] == 0)          # a dropped neuron passes no error back
    np.testing.assert_array_equal(g.dropout_scale[0], masks[1] / 0.5)
    check = gradient_check(n, X, Y, masks=masks)
    assert check.ok, check.max_rel_err
    np.testing.assert_array_equal(n.predict(X), net().predict(X))   # evaluation: nothing dropped or scaled


def test_masks_are_seeded_per_update_and_replayed_by_rewind():
    config = get_preset("xor").replace(dropout=0.3, penalty="l2", penalty_lambda=0.01, batch_size=2)
    a, b = Run(config), Run(config)
    a.trainer.run(12)
    b.trainer.run(12)
    assert all(np.array_equal(p, q) for p, q in zip(a.net.W, b.net.W))
    b.trainer.rewind(7)
    W7 = [w.copy() for w in b.net.W]
    c = Run(config)
    c.trainer.run(7)
    assert all(np.array_equal(p, q) for p, q in zip(W7, c.net.W))
    m1, m2 = a.trainer.dropout_masks(3, 2), a.trainer.dropout_masks(4, 2)
    assert not np.array_equal(m1[1], m2[1])


def test_stepper_uses_the_mask_the_update_will_use():
    run = Run(get_preset("xor").replace(dropout=0.5, batch_size=1, optimizer="sgd"))
    s = run.stepper
    m = s.masks[1]
    assert m.shape == (3,)
    grads = s.grads
    s.finish()                                             # the trainer's update on the same example
    rec = s.view().optimizer_step
    np.testing.assert_array_equal(rec.W[0]["g"], grads.dW[0])


def test_history_splits_data_loss_and_penalty():
    run = Run(get_preset("xor").replace(penalty="l1", penalty_lambda=0.05))
    r = run.trainer.step()
    h = run.trainer.history
    assert h.has_penalty
    assert h.step_losses[-1] == r.grads.data_loss and h.step_penalties[-1] == r.grads.penalty
    state = h.state_dict()
    del state["penalties"]                                # a file from before penalties existed
    old = type(h).from_state_dict(state)
    assert not old.has_penalty and old.step_losses[-1] == r.grads.data_loss


@pytest.mark.parametrize("change, message", [
    (dict(penalty="l3"), "unknown penalty"), (dict(penalty_lambda=-1.0), "λ"), (dict(penalty_lambda=11.0), "λ"),
    (dict(dropout=0.95), "dropout"), (dict(dropout=float("nan")), "dropout"), (dict(train_biases=1), "train_biases")])
def test_config_refuses_out_of_range_values(change, message):
    with pytest.raises(ValueError, match=message):
        get_preset("xor").replace(**change)


def test_registry_lists_the_penalties():
    assert list(PENALTIES) == ["none", "l2", "l1"]


def test_session_file_keeps_the_training_terms(tmp_path):
    from engine.session_file import load_session, save_session
    config = get_preset("xor").replace(train_biases=False, penalty="l1", penalty_lambda=0.02, dropout=0.25,
                                       optimizer="adam", eta=0.05)
    run = Run(config)
    run.trainer.run(7)
    run.new_stepper()
    save_session(tmp_path / "t.bplens", run)
    back = load_session(tmp_path / "t.bplens").run
    c = back.config
    assert (c.train_biases, c.penalty, c.penalty_lambda, c.dropout) == (False, "l1", 0.02, 0.25)
    assert (back.net.penalty.name, back.net.lam, back.net.dropout, back.trainer.train_biases) == ("l1", 0.02, 0.25, False)
    np.testing.assert_array_equal(back.stepper.masks[1], run.stepper.masks[1])
    np.testing.assert_array_equal(back.trainer.history.step_penalties, run.trainer.history.step_penalties)
    a, b = run.trainer.step(), back.trainer.step()           # the next update is identical
    assert a.loss == b.loss
    for p, q in zip(run.net.W + run.net.b, back.net.W + back.net.b):
        np.testing.assert_array_equal(p, q)
