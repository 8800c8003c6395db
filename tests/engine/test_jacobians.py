import numpy as np
import pytest

from engine import Network, gradient_check
from engine.jacobians import contract_dz_dW, diag_sigma_prime, dz_dW, dz_next_dz
from helpers import fd_grad


def setup():
    net = Network([3, 4, 2], activation="sigmoid", output_activation="softmax", loss="cross_entropy", seed=1)
    x, y = np.array([0.3, -0.7, 1.1]), np.array([0.0, 1.0])
    t = net.forward(x)
    return net, x, y, t, net.backward(t, y)


def test_diag_sigma_prime_and_softmax_jacobian_match_finite_differences():
    net, x, y, t, g = setup()
    D = diag_sigma_prime(net, t, 0)
    assert D.shape == (4, 4) and np.array_equal(np.diag(D), g.sigma_prime[0])
    assert np.count_nonzero(D - np.diag(np.diag(D))) == 0
    J = diag_sigma_prime(net, t, 1)
    z = t.z[1].copy()
    for k in range(2):
        col = fd_grad(lambda: net.activations[1](z)[k], z)
        np.testing.assert_allclose(J[k], col, rtol=1e-6, atol=1e-10)


def test_dz_next_dz_matches_finite_differences():
    net, x, y, t, g = setup()
    J = dz_next_dz(net, t, 0)
    z = t.z[0].copy()
    for k in range(2):
        row = fd_grad(lambda: (net.W[1] @ net.activations[0](z) + net.b[1])[k], z)
        np.testing.assert_allclose(J[k], row, rtol=1e-6, atol=1e-10)
    with pytest.raises(ValueError):
        dz_next_dz(net, t, 1)


def test_three_tensor_contracts_to_dW():
    net, x, y, t, g = setup()
    for l in range(net.L):
        T = dz_dW(t, l)
        assert T.shape == (net.sizes[l + 1], net.sizes[l + 1], net.sizes[l])
        for j in range(T.shape[0]):   # one nonzero row per slice, equal to a[l]
            assert np.array_equal(T[j, j], t.a[l]) and np.count_nonzero(np.delete(T[j], j, axis=0)) == 0
        np.testing.assert_allclose(contract_dz_dW(g.delta[l], T), g.dW[l], rtol=1e-14)
        partial = contract_dz_dW(g.delta[l], T, upto=1)
        assert np.array_equal(partial[0], g.dW[l][0]) and not partial[1:].any()


def test_gradient_check_agrees():
    net, x, y, t, g = setup()
    gc = gradient_check(net, x, y)
    assert gc.ok and gc.max_rel_err < 1e-6 and gc.n_above == 0
    for l in range(net.L):
        assert gc.numeric_W[l].shape == net.W[l].shape
        np.testing.assert_array_equal(gc.backprop_W[l], g.dW[l])


def test_gradient_check_detects_a_wrong_gradient(monkeypatch):
    net, x, y, t, g = setup()
    orig = net.backward
    def broken(trace, yy):
        out = orig(trace, yy)
        out.dW[0] = out.dW[0] * 1.01
        return out
    monkeypatch.setattr(net, "backward", broken)
    gc = gradient_check(net, x, y)
    assert not gc.ok and gc.n_above > 0
