"""Central finite differences, independent of the engine's own gradient check."""
import numpy as np


def fd_grad(f, theta: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂theta by central differences; theta is perturbed in place and restored."""
    g = np.zeros_like(theta)
    flat, gflat = theta.reshape(-1), g.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        up = f()
        flat[k] = old - eps
        down = f()
        flat[k] = old
        gflat[k] = (up - down) / (2 * eps)
    return g
