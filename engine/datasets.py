"""Data sets for Backprop Lens: the registry of named data sets, shipped files, CSV import, splits.

Everything is pure NumPy + standard library.  The ``Dataset`` type is in ``engine.dataset_type`` and the
seeded toy generators are in ``engine.generators``; the registries here (``GENERATORS``, ``SHIPPED``,
``DATASET_NAMES``) and ``make_dataset`` are how the rest of the app reaches them.
"""

from __future__ import annotations

import functools
import importlib.resources
import importlib.util
import inspect
import math
from pathlib import Path

import numpy as np

from .csv_import import import_csv, read_csv_preview
from .dataset_type import Dataset
from .generators import (is_real, make_blobs, make_circles, make_moons, make_sine, make_spirals, make_xor,
                         seeded_rng)

__all__ = ["Dataset", "GENERATORS", "SHIPPED", "DATASET_NAMES", "DESCRIPTIONS", "make_dataset",
           "load_iris", "load_digits", "load_csv", "read_csv_preview", "train_test_split",
           "assets_dir", "usual_spec"]

_CLONE_ASSETS = Path(__file__).resolve().parent.parent / "assets"


_USUAL_OPTIONS = {"iris": {"standardize": True}, "digits": {}}     # shipped data; generators get n and noise


def usual_spec(name: str) -> dict:
    """The data-set spec with the usual options for ``name`` (what choosing it in a menu builds)."""
    if name in _USUAL_OPTIONS:
        return {"name": name, "test_fraction": 0.2, **_USUAL_OPTIONS[name]}
    return {"name": name, "n": 200, "noise": 0.1, "test_fraction": 0.2}


# ------------------------------------------------------------- shipped files
def assets_dir() -> Path:
    """The assets folder: ``<repo>/assets`` in a clone, else package ``backprop_lens_assets``."""
    if _CLONE_ASSETS.is_dir():
        return _CLONE_ASSETS
    try:  # a namespace package gives a MultiplexedPath, not a Path: then use its spec
        found = [importlib.resources.files("backprop_lens_assets")] + list(
            importlib.util.find_spec("backprop_lens_assets").submodule_search_locations or [])
    except (ImportError, ValueError, TypeError, AttributeError):
        found = []
    for candidate in found:
        if isinstance(candidate, (str, Path)) and Path(candidate).is_dir():
            return Path(candidate)
    raise FileNotFoundError(f"assets folder not found: neither {_CLONE_ASSETS} exists nor is the "
                            "package 'backprop_lens_assets' installed")


@functools.lru_cache(maxsize=None)
def _shipped(filename: str) -> dict:
    return import_csv(assets_dir() / "data" / filename)


def _load_shipped(filename: str, name: str, scale: float = 1.0) -> Dataset:
    d = _shipped(filename)
    return Dataset(d["X"] / scale, d["Y"].copy(), name, "classification",
                   list(d["feature_names"]), list(d["target_names"]), d["labels"].copy())


def load_iris() -> Dataset:
    """Fisher's iris: X (150, 4) in cm, 3 classes (setosa, versicolor, virginica)."""
    return _load_shipped("iris.csv", "iris")


def load_digits() -> Dataset:
    """8x8 handwritten digits: X (1797, 64) pixels scaled from 0..16 to 0..1, classes '0'..'9'."""
    return _load_shipped("digits.csv.gz", "digits", scale=16.0)


def load_csv(path, input_columns=None, target_columns=None, kind="classification",
             max_bytes=50_000_000, min_rows=2) -> Dataset:
    """Import a CSV file with a header row (see ``engine.csv_import`` for the checks).

    Defaults: all but the last column are inputs, the last is the target.
    Classification: one target column of class names or integers, one-hot
    encoded with the classes sorted. Regression: any number of numeric targets.
    """
    return Dataset(**import_csv(path, input_columns, target_columns, kind, max_bytes, min_rows))


# ------------------------------------------------------------------ registry
GENERATORS = {"xor": make_xor, "circles": make_circles, "moons": make_moons,
              "spirals": make_spirals, "blobs": make_blobs, "sine": make_sine}
SHIPPED = {"iris": load_iris, "digits": load_digits}
DATASET_NAMES = [*GENERATORS, *SHIPPED]
DESCRIPTIONS = {
    "xor": "XOR: points in four quadrants, class = whether x1 and x2 have opposite signs",
    "circles": "Circles: a small ring inside a large ring (not linearly separable)",
    "moons": "Moons: two interleaving half circles",
    "spirals": "Spirals: two interleaved spirals, a hard classic for small networks",
    "blobs": "Blobs: Gaussian clusters, one per class (3 by default)",
    "sine": "Sine: regression of y = sin(x) + noise for x in [-pi, pi]",
    "iris": "Iris (Fisher 1936): 150 flowers, 4 measurements, 3 species",
    "digits": "Digits: 1797 handwritten 8x8 images of the digits 0-9",
}


def make_dataset(name: str, n: int = 200, noise: float = 0.1, seed: int = 0, progress=None, **kw) -> Dataset:
    """Build a data set by registry name; same arguments give identical arrays.  ``kw`` are the
    generator's options (its keyword-only parameters); ``progress(done, total)`` is a generator's
    report after each chunk of rows (an exception it raises stops the making)."""
    if not isinstance(name, str) or (name not in GENERATORS and name not in SHIPPED):
        raise ValueError(f"unknown data set {name!r}; choose one of: {', '.join(DATASET_NAMES)}")
    func = GENERATORS.get(name) or SHIPPED[name]
    allowed = [p.name for p in inspect.signature(func).parameters.values()
               if p.kind is inspect.Parameter.KEYWORD_ONLY]
    unknown = sorted(set(kw) - set(allowed))
    if unknown:
        raise ValueError(f"unknown option(s) {', '.join(unknown)} for data set {name!r}; "
                         f"allowed: {', '.join(allowed) or 'none'}")
    if name in SHIPPED:
        seeded_rng(n, noise, seed)  # still validated, otherwise ignored
        return func()
    return func(n, noise, seed, progress, **kw)


def train_test_split(ds: Dataset, test_fraction: float = 0.2, seed: int = 0, progress=None
                     ) -> tuple[Dataset, Dataset]:
    """Seeded split into (train, test); classification is stratified per class.

    ``round(n * test_fraction)`` rows go to the test set (at most n - 1, so the
    training set is never empty). ``test_fraction`` must be in [0, 0.9].
    Classification rows come out shuffled; regression rows keep their original
    order (a sorted x stays sorted for plotting).  ``progress(done, total)``, if
    given, is called after each step (a class's permutation, a chunk of rows
    gathered: none longer than a few tens of milliseconds at a million rows),
    counting rows through three passes; an exception it raises stops the split.
    """
    progress = progress or (lambda done, total: None)
    if not is_real(test_fraction) or not 0 <= test_fraction <= 0.9:
        raise ValueError(f"test_fraction must be a number in [0, 0.9], not {test_fraction!r}")
    rng = seeded_rng(1, 0.0, seed)
    n = len(ds)
    n_test = min(int(math.floor(n * test_fraction + 0.5)), max(n - 1, 0))
    done = 0                               # rows through three passes: drawn, ordered, gathered

    def step(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done, 3 * n)

    def gathered(rows: np.ndarray) -> Dataset:
        nonlocal done
        start = done
        part = ds.subset(rows, lambda k, _total: progress(start + k, 3 * n))     # a report a chunk
        done += len(rows)
        return part
    if ds.labels is None or n == 0:
        order = rng.permutation(n)
        step(n)
        train_rows, test_rows = np.sort(order[n_test:]), np.sort(order[:n_test])
        step(n)
        return gathered(train_rows), gathered(test_rows)
    classes = np.flatnonzero(np.bincount(ds.labels))    # np.unique's classes, without sorting n labels
    groups = []
    for c in classes:
        groups.append(rng.permutation(np.flatnonzero(ds.labels == c)))
        step(len(groups[-1]))
    exact = np.array([len(g) for g in groups]) * n_test / n
    quota = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - quota), kind="stable")[: n_test - quota.sum()]:
        quota[i] += 1
    test = np.concatenate([g[:q] for g, q in zip(groups, quota)])
    train = np.concatenate([g[q:] for g, q in zip(groups, quota)])
    train = rng.permutation(train)
    step(len(train))
    test = rng.permutation(test)
    step(len(test))
    train, test = gathered(train), gathered(test)
    return train, test
