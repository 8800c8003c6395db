"""Seeded toy data sets: xor, circles, moons, spirals, blobs (2-D classification) and sine (regression).

Every generator takes ``(n, noise, seed)`` plus any keyword-only options and returns a Dataset with
X (n, 2), or X (n, 1) and Y (n, 1) for sine; the same arguments give identical arrays (one
``np.random.default_rng(seed)`` per call, no global state).

A big data set is made in chunks of CHUNK_ROWS rows (a few milliseconds of NumPy each), drawing
the same random numbers in the same order as one whole-array draw would, so chunking never changes
a value.  ``progress(done, total)``, if given (the fourth argument: it is not a data-set option),
is called after every chunk with the rows done of all the passes; an exception it raises (a
cancellation) stops the making there.
"""

from __future__ import annotations

import math

import numpy as np

from .dataset_type import CHUNK_ROWS, Dataset

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


class Rows:
    """Rows done over ``passes`` passes of ``n`` rows each, reported to ``progress(done, total)``."""

    def __init__(self, n: int, passes: int, progress=None):
        self.done, self.total, self.progress = 0, n * passes, progress

    def step(self, rows: int) -> None:
        """Count ``rows`` done at once (a whole-array step: a permutation) and report them."""
        self.done += rows
        if self.progress is not None:
            self.progress(self.done, self.total)

    def spans(self, n: int):
        """(lo, hi) chunks of range(n); each one counted and reported once the caller is back."""
        for lo in range(0, n, CHUNK_ROWS):
            hi = min(n, lo + CHUNK_ROWS)
            yield lo, hi
            self.done += hi - lo
            if self.progress is not None:
                self.progress(self.done, self.total)


def _sizes(n: int, k: int) -> list[int]:
    """Split n points over k classes as evenly as possible."""
    return [n // k + (i < n % k) for i in range(k)]


def _noisy(X: np.ndarray, noise, rng, rows: Rows) -> np.ndarray:
    """X + noise · N(0, 1) of X's shape, in place, chunk by chunk (drawn even when noise is 0)."""
    for lo, hi in rows.spans(len(X)):
        X[lo:hi] += noise * rng.standard_normal((hi - lo, X.shape[1]))
    return X


def _classes(name, sizes, points, class_names, noise, rng, progress) -> Dataset:
    """Per-class points (``points(c, m)``: m points of class c, drawn from rng) stacked class after
    class, plus Gaussian noise, rows shuffled: four passes over the rows (the permutation is one)."""
    n, k, rows = sum(sizes), len(sizes), Rows(sum(sizes), 4, progress)
    X, at = np.empty((n, 2)), 0
    for c, m in enumerate(sizes):
        for lo, hi in rows.spans(m):
            X[at + lo:at + hi] = points(c, hi - lo)
        at += m
    labels = np.repeat(np.arange(k, dtype=np.int64), sizes)
    _noisy(X, noise, rng, rows)
    order = rng.permutation(n)
    rows.step(n)
    shuffled, shuffled_labels, Y, one_hot = np.empty_like(X), np.empty_like(labels), np.empty((n, k)), np.eye(k)
    for lo, hi in rows.spans(n):
        np.take(X, order[lo:hi], axis=0, out=shuffled[lo:hi])
        np.take(labels, order[lo:hi], out=shuffled_labels[lo:hi])
        np.take(one_hot, shuffled_labels[lo:hi], axis=0, out=Y[lo:hi])
    return Dataset(shuffled, Y, name, "classification", ["x1", "x2"], list(class_names), shuffled_labels)


def _polar(r, angle) -> np.ndarray:
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def make_xor(n=200, noise=0.1, seed=0, progress=None, *, exact=False, outputs=2) -> Dataset:
    """Points in [-1, 1]^2, class 1 where x1*x2 < 0. ``exact``: the 4-row truth table
    on {0,1}^2 (n and noise ignored). ``outputs=1``: a single 0/1 target column."""
    rng = seeded_rng(n, noise, seed)
    if outputs not in (1, 2) or isinstance(outputs, bool):
        raise ValueError(f"outputs must be 1 or 2, not {outputs!r}")
    if exact:
        X, labels = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float64), np.array([0, 1, 1, 0])
    else:
        rows, X = Rows(n, 2, progress), np.empty((n, 2))
        for lo, hi in rows.spans(n):
            X[lo:hi] = rng.uniform(-1, 1, (hi - lo, 2))
        labels = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
        _noisy(X, noise, rng, rows)
    Y, names = (labels[:, None], ["xor"]) if outputs == 1 else (np.eye(2)[labels], ["0", "1"])
    return Dataset(X, Y, "xor", "classification", ["x1", "x2"], names, labels)


def make_circles(n=200, noise=0.1, seed=0, progress=None, *, factor=0.5) -> Dataset:
    """Two concentric rings: outer radius 1, inner radius ``factor`` (0 < factor < 1)."""
    rng = seeded_rng(n, noise, seed)
    if not is_real(factor) or not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, not {factor!r}")
    radius = (1.0, factor)
    return _classes("circles", _sizes(n, 2), lambda c, m: _polar(radius[c], rng.uniform(0, 2 * np.pi, m)),
                    ["outer", "inner"], noise, rng, progress)


def make_moons(n=200, noise=0.1, seed=0, progress=None) -> Dataset:
    """Two interleaving half circles."""
    rng = seeded_rng(n, noise, seed)

    def points(c, m):
        arc = _polar(1.0, rng.uniform(0, np.pi, m))
        return arc if c == 0 else np.array([1.0, 0.5]) - arc
    return _classes("moons", _sizes(n, 2), points, ["upper", "lower"], noise, rng, progress)


def make_spirals(n=200, noise=0.1, seed=0, progress=None, *, turns=1.5) -> Dataset:
    """Two interleaved spirals of radius <= 2 winding ``turns`` times (0 < turns <= 5)."""
    rng = seeded_rng(n, noise, seed)
    if not is_real(turns) or not 0 < turns <= 5:
        raise ValueError(f"turns must be in (0, 5], not {turns!r}")

    def points(c, m):
        r = 0.1 + 0.9 * np.sqrt(rng.uniform(0, 1, m))
        return _polar(2 * r, 2 * np.pi * turns * r + np.pi * c)
    return _classes("spirals", _sizes(n, 2), points, ["spiral 1", "spiral 2"], noise, rng, progress)


def make_blobs(n=200, noise=0.1, seed=0, progress=None, *, centers=3) -> Dataset:
    """``centers`` (2..10) Gaussian blobs (std 0.5, plus ``noise``) on a circle of radius 2."""
    rng = seeded_rng(n, noise, seed)
    if isinstance(centers, bool) or not isinstance(centers, (int, np.integer)) or not 2 <= centers <= 10:
        raise ValueError(f"centers must be an integer from 2 to 10, not {centers!r}")
    angles = np.pi / 2 + 2 * np.pi * np.arange(centers) / centers
    return _classes("blobs", _sizes(n, centers), lambda c, m: _polar(2.0, angles[c]) + 0.5 * rng.standard_normal((m, 2)),
                    [f"blob {i + 1}" for i in range(centers)], noise, rng, progress)


def make_sine(n=200, noise=0.1, seed=0, progress=None) -> Dataset:
    """Regression: x (n, 1) sorted uniform in [-pi, pi], y = sin(x) + noise * N(0, 1)."""
    rng = seeded_rng(n, noise, seed)
    rows, x = Rows(n, 2, progress), np.empty((n, 1))
    for lo, hi in rows.spans(n):
        x[lo:hi, 0] = rng.uniform(-np.pi, np.pi, hi - lo)
    x.sort(axis=0)
    y = _noisy(np.sin(x), noise, rng, rows)
    return Dataset(x, y, "sine", "regression", ["x"], ["y"])
