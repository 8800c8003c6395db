"""Matt Mazur's 'A Step by Step Backpropagation Example': the published numbers."""
import numpy as np
import pytest

from engine import get_preset
from engine.run import Run


def test_mazur_published_numbers():
    run = Run(get_preset("mazur"))
    s = run.stepper
    g = s.grads
    assert g.loss == pytest.approx(0.298371109, abs=1e-9)           # E_total
    np.testing.assert_allclose(s.trace.a[1], [0.593269992, 0.596884378], atol=1e-9)   # out_h1, out_h2
    np.testing.assert_allclose(s.trace.a[2], [0.75136507, 0.772928465], atol=1e-8)    # out_o1, out_o2
    assert g.dW[1][0, 0] == pytest.approx(0.082167041, abs=1e-9)    # ∂E/∂w5
    assert g.dW[0][0, 0] == pytest.approx(0.000438568, abs=1e-9)    # ∂E/∂w1
    s.finish()
    W = run.net.W
    assert W[1][0, 0] == pytest.approx(0.35891648, abs=1e-8)        # w5+
    np.testing.assert_allclose(W[1].ravel(), [0.35891648, 0.408666186, 0.511301270, 0.561370121], atol=1e-8)
    np.testing.assert_allclose(W[0].ravel(), [0.149780716, 0.19956143, 0.24975114, 0.29950229], atol=1e-8)


def test_mazur_second_round_with_biases_fixed():
    """The post updates only w1…w8: after the first update it reports E_total = 0.291027924.
    Exact arithmetic on the post's own updated weights (printed to 9 digits) gives 0.29102777;
    the post's figure carries its rounded intermediates, so the two agree to 6 significant digits."""
    run = Run(get_preset("mazur"))
    assert run.config.train_biases is False
    b0 = [b.copy() for b in run.net.b]
    run.next_example()                       # take the update, start the second round
    assert f"{run.stepper.grads.loss:.6f}" == f"{0.291027924:.6f}" == "0.291028"
    assert run.stepper.grads.loss == pytest.approx(0.2910277737, abs=1e-10)
    for b, b_init in zip(run.net.b, b0):
        np.testing.assert_array_equal(b, b_init)
    assert run.stepper.steps[-1].equation.endswith("bˡ fixed")


def test_mazur_with_biases_trained_moves_the_biases_too():
    run = Run(get_preset("mazur").replace(train_biases=True))
    run.next_example()
    assert run.stepper.grads.loss == pytest.approx(0.280471, abs=1e-6)
    assert not np.array_equal(run.net.b[0], [0.35, 0.35])


def test_mazur_ten_thousand_rounds():
    """The post: after 10,000 updates the error is 0.0000351085 and the outputs 0.015912196, 0.984065734."""
    run = Run(get_preset("mazur"))
    run.trainer.run(10_000)
    assert run.trainer.evaluate(run.train)[0] == pytest.approx(0.0000351085, rel=1e-3)
    np.testing.assert_allclose(run.net.predict([0.05, 0.10]), [0.015912196, 0.984065734], atol=2e-6)
