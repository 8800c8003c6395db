"""Jacobians of one layer, on demand (0-based l as in network.py; the book's layer is l + 1).

- ``diag_sigma_prime``: ∂a[l+1]/∂z[l] = diag σ′(z[l]) as an (N, N) matrix; for softmax the full,
  non-diagonal Jacobian diag(a) − a aᵀ.
- ``dz_next_dz``: ∂z[l+1]/∂z[l] = W[l+1] · diag σ′(z[l]), shape (N_{l+2}, N_{l+1}).
- ``dz_dW``: the 3-tensor ∂z[l]/∂W[l], T[j, p, i] = ∂z_j/∂w_pi = [j = p] · a_i, shape
  (N_{l+1}, N_{l+1}, N_l); each slice T[j] has a single nonzero row (row j) equal to a[l].
  Contracting with δ[l] over j gives ∂C/∂W[l] = δ[l] ⊗ a[l]  (``contract_dz_dW``).

For a batch, ``example`` picks the row of the batch.
"""
from __future__ import annotations

import numpy as np

from .network import Network, Trace, check_layer

MAX_TENSOR_ENTRIES = 1_000_000


def _row(v: np.ndarray, example: int) -> np.ndarray:
    """Row ``example`` of a batch (ValueError if out of range; never wraps around), or ``v`` itself."""
    if v.ndim == 2:
        return v[check_layer(example, v.shape[0], "example")]
    if isinstance(example, bool) or example != 0:
        raise ValueError(f"example index must be 0 for a single example, got {example!r}")
    return v


def diag_sigma_prime(net: Network, trace: Trace, l: int, example: int = 0) -> np.ndarray:
    """∂a[l+1]/∂z[l], (N_{l+1}, N_{l+1}): diag σ′(z[l]), or the full softmax Jacobian."""
    l = check_layer(l, net.L)
    z, a = _row(trace.z[l], example), _row(trace.a[l + 1], example)
    return net.activations[l].jacobian(z, a)


def dz_next_dz(net: Network, trace: Trace, l: int, example: int = 0) -> np.ndarray:
    """∂z[l+1]/∂z[l] = W[l+1] diag σ′(z[l]), shape (N_{l+2}, N_{l+1}); l must not be the last layer."""
    if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or not 0 <= l < net.L - 1:
        raise ValueError(f"∂z[l+1]/∂z[l] needs a layer after l; l must be in 0..{net.L - 2}, got {l}")
    return net.W[l + 1] @ diag_sigma_prime(net, trace, l, example)


def dz_dW(trace: Trace, l: int, example: int = 0) -> np.ndarray:
    """The 3-tensor ∂z[l]/∂W[l], shape (N_{l+1}, N_{l+1}, N_l): T[j, j, :] = a[l], zeros elsewhere."""
    l = check_layer(l, len(trace.z))
    a_prev = _row(trace.a[l], example)
    n_out = trace.z[l].shape[-1]
    if n_out * n_out * a_prev.size > MAX_TENSOR_ENTRIES:
        raise ValueError(f"∂z/∂W of layer {l} would have {n_out * n_out * a_prev.size:,} entries; "
                         f"the maximum is {MAX_TENSOR_ENTRIES:,}")
    T = np.zeros((n_out, n_out, a_prev.size))
    T[np.arange(n_out), np.arange(n_out), :] = a_prev
    return T


def contract_dz_dW(delta: np.ndarray, T: np.ndarray, upto: int | None = None) -> np.ndarray:
    """Σ_j δ_j T[j] over the first ``upto`` slices (all by default): equals ∂C/∂W = δ ⊗ a when complete."""
    n = T.shape[0] if upto is None else upto
    return np.einsum("j,jpi->pi", delta[:n], T[:n])
