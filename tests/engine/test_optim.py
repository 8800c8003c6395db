"""Optimizers: SGD equals Network.sgd_step bit for bit; Momentum and Adam against the formulas."""
import numpy as np
import pytest

from engine.network import Network
from engine.optim import OPTIMIZERS, SGD, Adam, Momentum, make_optimizer

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def tiny(seed=3, act="sigmoid"):
    return Network([2, 3, 1], activation=act, loss="half_sse", seed=seed)


def test_registry_names():
    assert list(OPTIMIZERS) == ["sgd", "momentum", "adam"]
    assert all(OPTIMIZERS[n].name == n and OPTIMIZERS[n].title for n in OPTIMIZERS)


def test_sgd_is_network_sgd_step_bit_for_bit():
    a, b = tiny(), tiny()
    opt = SGD(0.37)
    for i in range(20):
        x, y = X[i % 4:i % 4 + 2], Y[i % 4:i % 4 + 2]
        opt.step(a, a.loss_and_grads(x, y))
        b.sgd_step(b.loss_and_grads(x, y), 0.37)
    for p, q in zip(a.W + a.b, b.W + b.b):
        assert np.array_equal(p, q)


def test_change_is_what_the_update_adds_and_only_a_rule_without_state_has_one():
    """SGD.change(g, η) (the Stepper draws the update ahead with it) is the recorded Δ bit for bit
    and the parameter moves by exactly it; a rule with a state (momentum, Adam) refuses."""
    net, opt = tiny(), SGD(0.37)
    g = net.loss_and_grads(X, Y)
    W0 = [w.copy() for w in net.W]
    rec = opt.step(net, g, record=True)
    for l in range(net.L):
        assert np.array_equal(SGD.change(g.dW[l], 0.37), rec.W[l]["delta"])
        assert np.array_equal(W0[l] + SGD.change(g.dW[l], 0.37), net.W[l])
    for name in ("momentum", "adam"):
        assert not OPTIMIZERS[name].exact_from_gradient
        with pytest.raises(NotImplementedError, match="keeps a state"):
            OPTIMIZERS[name].change(g.dW[0], 0.37)


def test_momentum_two_steps_by_hand():
    net, opt = tiny(), Momentum(0.5, beta=0.8)
    W0, b0 = net.get_params()
    g1 = net.loss_and_grads(X, Y)
    opt.step(net, g1)
    v1 = [-0.5 * g for g in g1.dW]
    assert all(np.array_equal(net.W[l], W0[l] + v1[l]) for l in range(2))
    assert all(np.array_equal(net.b[l], b0[l] - 0.5 * g1.db[l]) for l in range(2))
    W1 = [w.copy() for w in net.W]
    g2 = net.loss_and_grads(X, Y)
    opt.step(net, g2)
    v2 = [0.8 * v1[l] - 0.5 * g2.dW[l] for l in range(2)]
    assert all(np.array_equal(net.W[l], W1[l] + v2[l]) for l in range(2))
    assert all(np.array_equal(opt.state["v_W"][l], v2[l]) for l in range(2))


def test_adam_two_steps_by_hand():
    net, opt = tiny(), Adam(0.01)
    W0, _ = net.get_params()
    g1 = net.loss_and_grads(X, Y)
    opt.step(net, g1)
    for l in range(2):      # first step: m̂ = g, v̂ = g², so ΔW = −η g / (|g| + ε) ≈ −η sign(g)
        g = g1.dW[l]
        assert np.allclose(net.W[l], W0[l] - 0.01 * g / (np.abs(g) + 1e-8), rtol=0, atol=1e-15)
        assert np.allclose(net.W[l] - W0[l], -0.01 * np.sign(g), rtol=0, atol=1e-6)
    W1 = [w.copy() for w in net.W]
    g2 = net.loss_and_grads(X, Y)
    opt.step(net, g2)
    assert opt.t == 2
    for l in range(2):
        m = 0.9 * (0.1 * g1.dW[l]) + 0.1 * g2.dW[l]
        v = 0.999 * (0.001 * g1.dW[l] ** 2) + 0.001 * g2.dW[l] ** 2
        step = 0.01 * (m / (1 - 0.9 ** 2)) / (np.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
        assert np.allclose(net.W[l], W1[l] - step, rtol=0, atol=1e-15)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_state_dict_round_trip_is_exact(name):
    a, b = tiny(), tiny()
    opt = make_optimizer(name, 0.1)
    for _ in range(3):
        opt.step(a, a.loss_and_grads(X, Y))
    b.set_params(*a.get_params())
    other = make_optimizer(name, 0.5)
    other.load_state_dict(opt.state_dict(), b)
    assert other.eta == 0.1 and other.t == 3
    for _ in range(3):
        opt.step(a, a.loss_and_grads(X, Y))
        other.step(b, b.loss_and_grads(X, Y))
    assert all(np.array_equal(p, q) for p, q in zip(a.W + a.b, b.W + b.b))


def test_state_dict_holds_copies_and_reset_forgets():
    net, opt = tiny(), Momentum(0.1)
    opt.step(net, net.loss_and_grads(X, Y))
    d = opt.state_dict()
    d["v_W"][0][:] = 99.0
    assert not np.any(opt.state["v_W"][0] == 99.0)
    opt.reset()
    assert opt.t == 0 and opt.state == {"v_W": [], "v_b": []}


def test_load_state_dict_rejects_bad_shapes_without_change():
    net, opt = tiny(), Adam(0.1)
    opt.step(net, net.loss_and_grads(X, Y))
    d = opt.state_dict()
    before = opt.state_dict()
    bad = dict(d, m_W=[np.zeros((2, 2)), d["m_W"][1]])
    with pytest.raises(ValueError, match=r"'m_W'.*\(2, 2\)"):
        opt.load_state_dict(bad, net)
    with pytest.raises(ValueError, match="momentum"):
        opt.load_state_dict(Momentum(0.1).state_dict())
    with pytest.raises(ValueError, match="NaN"):
        opt.load_state_dict(dict(d, v_b=[np.full(3, np.nan), d["v_b"][1]]))
    assert all(np.array_equal(p, q) for p, q in zip(opt.state["m_W"], before["m_W"]))


@pytest.mark.parametrize("eta", [0, -1.0, np.nan, np.inf, 1e4 + 1, "0.1", True])
def test_bad_eta_is_named(eta):
    with pytest.raises(ValueError, match=r"η.*" + ("nan" if eta is not eta or str(eta) == "nan" else "")):
        make_optimizer("sgd", eta)
    with pytest.raises(ValueError, match="learning rate"):
        SGD(0.1).eta = eta


def test_bad_names_and_hyperparameters_are_named():
    with pytest.raises(ValueError, match=r"'rmsprop'.*sgd, momentum, adam"):
        make_optimizer("rmsprop", 0.1)
    with pytest.raises(ValueError, match=r"'gamma'.*beta"):
        make_optimizer("momentum", 0.1, gamma=0.5)
    with pytest.raises(ValueError, match=r"beta2.*1\.5"):
        make_optimizer("adam", 0.1, beta2=1.5)
    with pytest.raises(ValueError, match=r"eps.*-1"):
        make_optimizer("adam", 0.1, eps=-1)
    assert make_optimizer("adam", 1e4, beta1=0.5).beta1 == 0.5
