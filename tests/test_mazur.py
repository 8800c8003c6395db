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
