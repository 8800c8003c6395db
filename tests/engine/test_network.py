"""Forward and backward passes against central finite differences, every activation × loss."""
import itertools

import numpy as np
import pytest

from engine import ACTIVATIONS, HIDDEN_ACTIVATIONS, LOSSES, Network
from helpers import fd_grad

POSITIVE_OUTPUT = {"sigmoid", "softmax"}   # log-losses are defined only for outputs in (0, 1)
PAIRS = [(h, o, loss) for h, o, loss in itertools.product(HIDDEN_ACTIVATIONS, ACTIVATIONS, LOSSES)
         if loss not in ("cross_entropy", "bce") or o in POSITIVE_OUTPUT]


def make_case(hidden, output, loss, batch, seed=0):
    rng = np.random.default_rng(seed)
    net = Network([3, 4, 3], activation=hidden, output_activation=output, loss=loss, seed=seed)
    shape = (5, 3) if batch else (3,)
    x = rng.normal(size=shape)
    if loss == "cross_entropy":
        y = np.eye(3)[rng.integers(0, 3, size=shape[:-1])]
    else:
        y = rng.uniform(0.05, 0.95, size=shape)
    return net, x, y


@pytest.mark.parametrize("batch", [False, True], ids=["single", "batch"])
@pytest.mark.parametrize("hidden,output,loss", PAIRS)
def test_gradients_match_finite_differences(hidden, output, loss, batch):
    net, x, y = make_case(hidden, output, loss, batch)
    grads = net.backward(net.forward(x), y)
    cost = lambda: net.backward(net.forward(x), y).loss
    for l in range(net.L):
        np.testing.assert_allclose(grads.dW[l], fd_grad(cost, net.W[l]), rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(grads.db[l], fd_grad(cost, net.b[l]), rtol=1e-5, atol=1e-8)
    # δ[l] = ∂C/∂z[l]: perturb z by re-running the layers above it from a modified z.
    if not batch:
        for l in range(net.L):
            z = net.forward(x).z[l].copy()
            def cost_z():
                a = net.activations[l](z)
                zz = z
                for k in range(l + 1, net.L):
                    zz = net.W[k] @ a + net.b[k]
                    a = net.activations[k](zz)
                return float(net.loss.value(a, y, zz, net.activations[-1]))
            np.testing.assert_allclose(grads.delta[l], fd_grad(cost_z, z), rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("loss", LOSSES)
def test_dC_da_matches_finite_differences(loss):
    net, x, y = make_case("tanh", "sigmoid", loss, batch=False)
    a = net.forward(x).a[-1].copy()
    g = net.backward(net.forward(x), y).dC_da
    np.testing.assert_allclose(g, fd_grad(lambda: float(net.loss.value(a, y)), a), rtol=1e-5, atol=1e-8)


def test_shapes_single_and_batch():
    net = Network([3, 4, 2], seed=1)
    assert [W.shape for W in net.W] == [(4, 3), (2, 4)]
    assert [b.shape for b in net.b] == [(4,), (2,)]
    t = net.forward(np.ones(3))
    assert len(t.a) == 3 and len(t.z) == 2 and t.a[0].shape == (3,) and t.z[1].shape == (2,)
    g = net.backward(t, np.zeros(2))
    assert g.dC_da.shape == (2,) and [d.shape for d in g.delta] == [(4,), (2,)]
    tb = net.forward(np.ones((7, 3)))
    gb = net.backward(tb, np.zeros((7, 2)))
    assert [d.shape for d in gb.delta] == [(7, 4), (7, 2)] and gb.dW[0].shape == (4, 3)
    assert gb.sigma_prime[0].shape == (7, 4) and gb.losses.shape == (7,)


def test_batch_gradient_is_mean_of_examples():
    net = Network([2, 5, 3], activation="tanh", output_activation="softmax", loss="cross_entropy", seed=2)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 2)), np.eye(3)[rng.integers(0, 3, 6)]
    gb = net.loss_and_grads(X, Y)
    singles = [net.loss_and_grads(x, y) for x, y in zip(X, Y)]
    for l in range(net.L):
        np.testing.assert_allclose(gb.dW[l], np.mean([g.dW[l] for g in singles], axis=0), rtol=1e-12)
        np.testing.assert_allclose(gb.dW_example(l, 3), singles[3].dW[l], rtol=1e-12)
    assert gb.loss == pytest.approx(np.mean([g.loss for g in singles]), rel=1e-12)


def test_softmax_cross_entropy_delta_is_p_minus_y_and_stable():
    net = Network([2, 3], activation="softmax", loss="cross_entropy", seed=0)
    net.set_params(W=[np.array([[1e3, 0], [0, 1e3], [-1e3, 0]])], b=[np.zeros(3)])
    x, y = np.array([1.0, -1.0]), np.array([0.0, 1.0, 0.0])
    g = net.loss_and_grads(x, y)
    p = net.forward(x).a[-1]
    np.testing.assert_array_equal(g.delta[-1], p - y)
    assert np.isfinite(g.loss) and g.loss == pytest.approx(2000.0)   # −log softmax at a 2000 gap


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softmax"])
def test_activations_stable_at_plus_minus_1e3(name):
    z = np.array([-1e3, -1.0, 0.0, 1.0, 1e3])
    act = ACTIVATIONS[name]
    a = act(z)
    assert np.isfinite(a).all() and np.isfinite(act.prime(z, a)).all()


def test_bce_with_sigmoid_is_stable_and_exact():
    net = Network([1, 1], activation="sigmoid", loss="bce")
    net.set_params(W=[[[1e3]]], b=[[0.0]])
    g = net.loss_and_grads([1.0], [0.0])
    assert g.loss == pytest.approx(1e3) and np.isfinite(g.dW[0]).all()
    np.testing.assert_allclose(g.delta[0], [1.0])   # a − y with a = σ(1000) = 1


def test_sgd_step_updates_every_layer_from_same_grads():
    net = Network([2, 3, 1], seed=4)
    W0, b0 = net.get_params()
    g = net.loss_and_grads([0.5, -0.2], [1.0])
    net.sgd_step(g, 0.3)
    for l in range(net.L):
        np.testing.assert_array_equal(net.W[l], W0[l] - 0.3 * g.dW[l])
        np.testing.assert_array_equal(net.b[l], b0[l] - 0.3 * g.db[l])


def test_seeded_initialisation():
    a, b, c = Network([3, 5, 2], seed=7), Network([3, 5, 2], seed=7), Network([3, 5, 2], seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(a.W, b.W))
    assert not np.array_equal(a.W[0], c.W[0])


def test_set_params_copies():
    net = Network([2, 2])
    W = [np.ones((2, 2))]
    net.set_params(W=W)
    W[0][0, 0] = 5
    assert net.W[0][0, 0] == 1
