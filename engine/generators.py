"""Seeded toy data sets: xor, circles, moons, spirals, blobs (2-D classification) and sin (regression).

Every generator takes ``(n, noise, seed)`` plus any keyword-only options and returns a Dataset with
X (n, 2), or X (n, 1) and Y (n, 1) for sin; the same arguments give identical arrays (one
``np.random.default_rng(seed)`` per call, no global state).
"""

from __future__ import annotations

import math

import numpy as np

from .dataset_type import Dataset

MAX_N = 1_000_000


def is_real(value) -> bool:
    """True for int/float (NumPy included) but not bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def seeded_rng(n, noise, seed) -> np.random.Generator:
    """Validate the common arguments and return the seeded generator."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_N:
        raise ValueError(f"n must be an integer from 1 to {MAX_N:,}, not {n!r}")
    if not is_real(noise) or not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, not {noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    return np.random.default_rng(int(seed))


def _sizes(n: int, k: int) -> list[int]:
    """Split n points over k classes as evenly as possible."""
    return [n // k + (i < n % k) for i in range(k)]


def _classes(name, parts, class_names, noise, rng) -> Dataset:
    """Stack per-class (m_i, 2) point arrays, add Gaussian noise, shuffle rows."""
    X = np.concatenate(parts)
    labels = np.concatenate([np.full(len(p), i, dtype=np.int64) for i, p in enumerate(parts)])
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return Dataset(X[order], np.eye(len(parts))[labels[order]], name, "classification",
                   ["x1", "x2"], list(class_names), labels[order])


def _polar(r, angle) -> np.ndarray:
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def make_xor(n=200, noise=0.1, seed=0, *, exact=False, outputs=2) -> Dataset:
    """Points in [-1, 1]^2, class 1 where x1*x2 < 0. ``exact``: the 4-row truth table
    on {0,1}^2 (n and noise ignored). ``outputs=1``: a single 0/1 target column."""
    rng = seeded_rng(n, noise, seed)
    if outputs not in (1, 2) or isinstance(outputs, bool):
        raise ValueError(f"outputs must be 1 or 2, not {outputs!r}")
    if exact:
        X, labels = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float64), np.array([0, 1, 1, 0])
    else:
        P = rng.uniform(-1, 1, (n, 2))
        labels = (P[:, 0] * P[:, 1] < 0).astype(np.int64)
        X = P + noise * rng.standard_normal(P.shape)
    Y, names = (labels[:, None], ["xor"]) if outputs == 1 else (np.eye(2)[labels], ["0", "1"])
    return Dataset(X, Y, "xor", "classification", ["x1", "x2"], names, labels)


def make_circles(n=200, noise=0.1, seed=0, *, factor=0.5) -> Dataset:
    """Two concentric rings: outer radius 1, inner radius ``factor`` (0 < factor < 1)."""
    rng = seeded_rng(n, noise, seed)
    if not is_real(factor) or not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, not {factor!r}")
    parts = [_polar(r, rng.uniform(0, 2 * np.pi, m)) for r, m in zip((1.0, factor), _sizes(n, 2))]
    return _classes("circles", parts, ["outer", "inner"], noise, rng)


def make_moons(n=200, noise=0.1, seed=0) -> Dataset:
    """Two interleaving half circles."""
    rng = seeded_rng(n, noise, seed)
    t0, t1 = (rng.uniform(0, np.pi, m) for m in _sizes(n, 2))
    parts = [_polar(1.0, t0), np.array([1.0, 0.5]) - _polar(1.0, t1)]
    return _classes("moons", parts, ["upper", "lower"], noise, rng)


def make_spirals(n=200, noise=0.1, seed=0, *, turns=1.5) -> Dataset:
    """Two interleaved spirals of radius <= 2 winding ``turns`` times (0 < turns <= 5)."""
    rng = seeded_rng(n, noise, seed)
    if not is_real(turns) or not 0 < turns <= 5:
        raise ValueError(f"turns must be in (0, 5], not {turns!r}")
    radii = [0.1 + 0.9 * np.sqrt(rng.uniform(0, 1, m)) for m in _sizes(n, 2)]
    parts = [_polar(2 * r, 2 * np.pi * turns * r + np.pi * c) for c, r in enumerate(radii)]
    return _classes("spirals", parts, ["spiral 1", "spiral 2"], noise, rng)


def make_blobs(n=200, noise=0.1, seed=0, *, centers=3) -> Dataset:
    """``centers`` (2..10) Gaussian blobs (std 0.5, plus ``noise``) on a circle of radius 2."""
    rng = seeded_rng(n, noise, seed)
    if isinstance(centers, bool) or not isinstance(centers, (int, np.integer)) or not 2 <= centers <= 10:
        raise ValueError(f"centers must be an integer from 2 to 10, not {centers!r}")
    angles = np.pi / 2 + 2 * np.pi * np.arange(centers) / centers
    parts = [_polar(2.0, a) + 0.5 * rng.standard_normal((m, 2))
             for a, m in zip(angles, _sizes(n, centers))]
    return _classes("blobs", parts, [f"blob {i + 1}" for i in range(centers)], noise, rng)


def make_sin(n=200, noise=0.1, seed=0) -> Dataset:
    """Regression: x (n, 1) sorted uniform in [-pi, pi], y = sin(x) + noise * N(0, 1)."""
    rng = seeded_rng(n, noise, seed)
    x = np.sort(rng.uniform(-np.pi, np.pi, n))[:, None]
    y = np.sin(x) + noise * rng.standard_normal(x.shape)
    return Dataset(x, y, "sin", "regression", ["x"], ["y"])
