import numpy as np
import pytest

from engine import Network, Stepper
from engine.stepper import micro_steps


def test_micro_step_order_and_names():
    steps = micro_steps(2)
    assert [(s.phase, s.book_layer, s.quantity) for s in steps] == [
        ("input", 0, "x"), ("forward", 1, "z"), ("forward", 1, "a"), ("forward", 2, "z"), ("forward", 2, "a"),
        ("loss", 2, "C"), ("backward", 2, "delta"), ("backward", 2, "dW"), ("backward", 2, "db"),
        ("backward", 1, "delta"), ("backward", 1, "dW"), ("backward", 1, "db"), ("update", 0, "update")]
    assert steps[9].banner == "Backward, layer 1: δ¹ = δ² · W² · diag σ′(z¹)"
    assert len(micro_steps(4)) == 5 * 4 + 3


def make():
    net = Network([3, 4, 2], activation="tanh", loss="half_sse", seed=5)
    return net, Stepper(net, np.array([0.5, -1.0, 2.0]), np.array([0.2, 0.8]), eta=0.7)


def test_view_reveals_only_what_is_computed():
    net, s = make()
    v = s.view()
    assert v.z == [None, None] and v.delta == [None, None] and v.loss is None
    s.seek(2)   # layer 1 a
    v = s.view()
    np.testing.assert_array_equal(v.z[0], s.trace.z[0])
    assert v.a[1] is not None and v.sigma_prime[0] is not None and v.z[1] is None
    s.seek(6)   # δ of the output layer
    v = s.view()
    assert v.loss == s.grads.loss and v.delta[1] is not None and v.delta[0] is None and v.dW[1] is None
    s.seek(s.last - 1)
    v = s.view()
    assert all(d is not None for d in v.delta + v.dW + v.db) and not v.updated


def test_next_prev_and_update_restores_bit_for_bit():
    net, s = make()
    W0, b0 = net.get_params()
    while s.next():
        pass
    assert s.done and s.updated and s.view().updated
    for l in range(net.L):
        np.testing.assert_array_equal(net.W[l], W0[l] - 0.7 * s.grads.dW[l])
    assert s.prev() and not s.updated
    assert all(np.array_equal(a, b) for a, b in zip(net.W + net.b, W0 + b0))
    s.seek(0)
    assert s.index == 0 and not s.prev()
    s.seek(999)
    assert s.index == s.last and s.updated
    s.seek(-5)
    assert s.index == 0 and all(np.array_equal(a, b) for a, b in zip(net.W + net.b, W0 + b0))


def test_stepper_numbers_are_the_engines():
    net, s = make()
    g = net.loss_and_grads(np.array([0.5, -1.0, 2.0]), np.array([0.2, 0.8]))
    s.finish()
    v = s.view(s.last - 1)
    for l in range(net.L):
        np.testing.assert_array_equal(v.dW[l], g.dW[l])
        np.testing.assert_array_equal(v.delta[l], g.delta[l])


def test_fused_output_banner():
    net = Network([2, 3], activation="softmax", loss="cross_entropy")
    s = Stepper(net, [1.0, 2.0], [0.0, 1.0, 0.0], eta=0.1)
    assert "a¹ − y" in s.steps[4].equation


def test_banner_in_both_conventions():
    steps = micro_steps(3)
    delta2 = next(s for s in steps if s.quantity == "delta" and s.book_layer == 2)
    assert delta2.banner_in("row") == "Backward, layer 2: δ² = δ³ · W³ · diag σ′(z²)"
    assert delta2.banner_in("column") == "Backward, layer 2: δ² = (W³)ᵀ δ³ ⊙ σ′(z²)"
    dW1 = next(s for s in steps if s.quantity == "dW" and s.book_layer == 1)
    assert dW1.banner_in("column").endswith("∂C/∂W¹ = δ¹ (a⁰)ᵀ")
    assert steps[1].banner_in("column") == steps[1].banner_in("row")


@pytest.mark.parametrize("preset, changes", [("mazur", {}), ("mazur", {"train_biases": False}),
                                             ("diagram", {"penalty": "l2", "penalty_lambda": 0.1}),
                                             ("digits", {}), ("xor", {"optimizer": "momentum"})])
def test_view_after_update_is_the_update_without_applying_it(preset, changes):
    """The update micro-step's view computed ahead, before the key that applies the update (the
    GUI draws it in idle time): bit for bit the weights and biases the update then gives (through
    the trainer, with biases fixed, with a weight penalty), Mazur's published w5⁺ among them, and
    nothing changed by asking; none for momentum, whose new weights depend on its velocity, nor
    once the update is applied."""
    from engine import get_preset
    from engine.run import Run
    run = Run(get_preset(preset).replace(**changes))
    s = run.stepper
    W0, b0 = run.net.get_params()
    ahead = s.view_after_update()
    if changes.get("optimizer") == "momentum":
        assert ahead is None
        return
    assert ahead.updated and ahead.step is s.steps[s.last] and ahead.step.phase == "update"
    assert s.index == 0 and not s.updated
    assert all(np.array_equal(a, b) for a, b in zip(run.net.W + run.net.b, W0 + b0))      # nothing applied
    assert all(np.array_equal(a, b) for a, b in zip(s.W_before + s.b_before, W0 + b0))
    s.finish()
    after = s.view()
    for l in range(run.net.L):
        np.testing.assert_array_equal(ahead.W[l], after.W[l])
        np.testing.assert_array_equal(ahead.b[l], after.b[l])
        np.testing.assert_array_equal(ahead.dW[l], after.dW[l])
    if preset == "mazur":
        np.testing.assert_allclose(ahead.W[1].ravel(), [0.35891648, 0.408666186, 0.511301270, 0.561370121], atol=1e-8)
        np.testing.assert_allclose(ahead.W[0].ravel(), [0.149780716, 0.19956143, 0.24975114, 0.29950229], atol=1e-8)
    if changes.get("train_biases") is False:
        assert all(np.array_equal(a, b) for a, b in zip(ahead.b, b0))
    assert s.view_after_update() is None
