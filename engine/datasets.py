"""Data sets for Backprop Lens: seeded toy generators, shipped files, CSV import.

Everything is pure NumPy + standard library. A ``Dataset`` holds inputs
``X`` (n, n_features) and targets ``Y`` (n, n_outputs) as float64; for
classification ``Y`` is one-hot (or a single 0/1 column) and ``labels`` (n,)
holds the class indices.
"""

from __future__ import annotations

import functools
import importlib.resources
import importlib.util
import inspect
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .csv_import import import_csv, read_csv_preview

__all__ = ["Dataset", "GENERATORS", "SHIPPED", "DATASET_NAMES", "DESCRIPTIONS", "make_dataset",
           "load_iris", "load_digits", "load_csv", "read_csv_preview", "train_test_split",
           "assets_dir"]

KINDS = ("classification", "regression")
MAX_N = 1_000_000
_CLONE_ASSETS = Path(__file__).resolve().parent.parent / "assets"


@dataclass(eq=False)
class Dataset:
    """A data set. Shapes: X (n, n_features), Y (n, n_outputs), labels (n,) or None."""

    X: np.ndarray
    Y: np.ndarray
    name: str
    kind: str
    feature_names: list[str]
    target_names: list[str]
    labels: np.ndarray | None = None

    def __post_init__(self) -> None:
        """Coerce X, Y to float64 and check every invariant (ValueError naming the problem)."""
        self.X, self.Y = np.asarray(self.X, np.float64), np.asarray(self.Y, np.float64)
        if not isinstance(self.name, str) or self.kind not in KINDS:
            raise ValueError(f"name must be a string and kind one of {KINDS}, got {self.kind!r}")
        for key, names in (("X", "feature_names"), ("Y", "target_names")):
            arr, value = getattr(self, key), getattr(self, names)
            if arr.ndim != 2 or not _str_list(value) or len(value) != arr.shape[1]:
                raise ValueError(f"{key} must be 2-D with one column per name in {names}; "
                                 f"got shape {arr.shape} and {len(value)} names")
            if not np.isfinite(arr).all():
                row = int(np.argwhere(~np.isfinite(arr))[0, 0])
                raise ValueError(f"{key} contains NaN or infinite values (row {row})")
            setattr(self, names, list(value))
        if len(self.X) != len(self.Y):
            raise ValueError(f"X has {len(self.X)} rows but Y has {len(self.Y)}")
        self.labels = self._checked_labels()

    def _checked_labels(self) -> np.ndarray | None:
        """(n,) int64 class indices derived from Y, checked against any labels given."""
        if self.kind == "regression":
            if self.labels is not None:
                raise ValueError("labels must be None for a regression data set")
            return None
        Y = self.Y
        if not np.isin(Y, (0.0, 1.0)).all() or (Y.shape[1] > 1 and not (Y.sum(1) == 1).all()):
            raise ValueError("classification Y must be one-hot (or a single 0/1 column)")
        derived = (Y[:, 0] if Y.shape[1] == 1 else Y.argmax(1)).astype(np.int64)
        if self.labels is not None:
            labels = np.asarray(self.labels)
            if labels.dtype.kind not in "iu" or not np.array_equal(labels, derived):
                raise ValueError("labels must be (n,) integers matching the one-hot Y")
        return derived

    def __len__(self) -> int:
        return len(self.X)

    @property
    def n_features(self) -> int:
        return self.X.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.Y.shape[1]

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, {self.kind}, {len(self)} x {self.n_features} -> {self.n_outputs})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Dataset) and self.to_dict() == other.to_dict() \
            and self.X.shape == other.X.shape and self.Y.shape == other.Y.shape

    __hash__ = None  # mutable arrays

    def subset(self, idx) -> Dataset:
        """Rows ``idx`` (int indices, bool mask or slice) as a new Dataset with copied arrays."""
        if not isinstance(idx, slice):
            idx = np.asarray(idx)
            idx = idx.astype(np.int64) if idx.size == 0 else idx
            if idx.ndim != 1 or idx.dtype.kind not in "iub":
                raise ValueError("subset index must be a 1-D array of ints or bools, or a slice")
        return Dataset(self.X[idx].copy(), self.Y[idx].copy(), self.name, self.kind,
                       list(self.feature_names), list(self.target_names))

    def to_dict(self) -> dict:
        """JSON-safe dict (lists of floats/ints/strings) for session files."""
        return {"name": self.name, "kind": self.kind, "X": self.X.tolist(), "Y": self.Y.tolist(),
                "feature_names": list(self.feature_names), "target_names": list(self.target_names),
                "labels": None if self.labels is None else self.labels.tolist()}

    @classmethod
    def from_dict(cls, d) -> Dataset:
        """Inverse of ``to_dict``; ValueError with a clear message for malformed input.

        Needs "kind", "X" and "Y"; "name" (default "custom"), the column names
        (default x1.., y/y1.. or classes "0"..) and "labels" (checked) may be left out.
        """
        if not isinstance(d, dict) or any(k not in d for k in ("kind", "X", "Y")):
            raise ValueError("a data set must be a dict with at least 'kind', 'X' and 'Y'")
        if d["kind"] not in KINDS:
            raise ValueError(f"data set kind must be one of {KINDS}, not {d['kind']!r}")
        fn, tn, labels = d.get("feature_names"), d.get("target_names"), d.get("labels")
        for key, value in (("feature_names", fn), ("target_names", tn)):
            if value is not None and not (isinstance(value, list) and _str_list(value)):
                raise ValueError(f"{key} must be a list of strings")
        X = _matrix(d["X"], "X", None if fn is None else len(fn))
        Y = _matrix(d["Y"], "Y", None if tn is None else len(tn))
        if labels is not None:
            if not isinstance(labels, list) or not all(type(v) is int for v in labels):
                raise ValueError("labels must be null or a list of integers")
            labels = np.array(labels, dtype=np.int64).reshape(len(labels))
        if fn is None:
            fn = [f"x{i + 1}" for i in range(X.shape[1])]
        if tn is None:
            k = Y.shape[1]
            tn = [str(i) for i in range(k)] if d["kind"] == "classification" and k > 1 else \
                ["y"] if k == 1 else [f"y{i + 1}" for i in range(k)]
        return cls(X, Y, d.get("name", "custom"), d["kind"], fn, tn, labels)


def _str_list(value) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _matrix(value, key: str, width: int | None) -> np.ndarray:
    """Nested list of numbers -> (n, width) float64; ``width`` None: from the first row."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list) or (width is None and not value):
        raise ValueError(f"{key} must be a non-empty list of rows (lists of numbers)")
    width = len(value[0]) if width is None and isinstance(value[0], list) else width
    for i, row in enumerate(value):
        if not isinstance(row, list) or len(row) != width or not row:
            raise ValueError(f"{key} row {i} must be a list of {width or 'some'} numbers")
        for v in row:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"{key} row {i} contains a non-number: {v!r}")
            if isinstance(v, int) and abs(v) > 1e300 or not math.isfinite(v):
                raise ValueError(f"{key} row {i} contains a non-finite or huge value: {v!r}")
    return np.array(value, dtype=np.float64).reshape(len(value), width)


# ----------------------------------------------------------------- generators
def _is_real(value) -> bool:
    """True for int/float (NumPy included) but not bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _rng(n, noise, seed) -> np.random.Generator:
    """Validate the common arguments and return the seeded generator."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_N:
        raise ValueError(f"n must be an integer from 1 to {MAX_N:,}, not {n!r}")
    if not _is_real(noise) or not math.isfinite(noise) or noise < 0:
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
    rng = _rng(n, noise, seed)
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
    rng = _rng(n, noise, seed)
    if not _is_real(factor) or not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1, not {factor!r}")
    parts = [_polar(r, rng.uniform(0, 2 * np.pi, m)) for r, m in zip((1.0, factor), _sizes(n, 2))]
    return _classes("circles", parts, ["outer", "inner"], noise, rng)


def make_moons(n=200, noise=0.1, seed=0) -> Dataset:
    """Two interleaving half circles."""
    rng = _rng(n, noise, seed)
    t0, t1 = (rng.uniform(0, np.pi, m) for m in _sizes(n, 2))
    parts = [_polar(1.0, t0), np.array([1.0, 0.5]) - _polar(1.0, t1)]
    return _classes("moons", parts, ["upper", "lower"], noise, rng)


def make_spirals(n=200, noise=0.1, seed=0, *, turns=1.5) -> Dataset:
    """Two interleaved spirals of radius <= 2 winding ``turns`` times (0 < turns <= 5)."""
    rng = _rng(n, noise, seed)
    if not _is_real(turns) or not 0 < turns <= 5:
        raise ValueError(f"turns must be in (0, 5], not {turns!r}")
    radii = [0.1 + 0.9 * np.sqrt(rng.uniform(0, 1, m)) for m in _sizes(n, 2)]
    parts = [_polar(2 * r, 2 * np.pi * turns * r + np.pi * c) for c, r in enumerate(radii)]
    return _classes("spirals", parts, ["spiral 1", "spiral 2"], noise, rng)


def make_blobs(n=200, noise=0.1, seed=0, *, centers=3) -> Dataset:
    """``centers`` (2..10) Gaussian blobs (std 0.5, plus ``noise``) on a circle of radius 2."""
    rng = _rng(n, noise, seed)
    if isinstance(centers, bool) or not isinstance(centers, (int, np.integer)) or not 2 <= centers <= 10:
        raise ValueError(f"centers must be an integer from 2 to 10, not {centers!r}")
    angles = np.pi / 2 + 2 * np.pi * np.arange(centers) / centers
    parts = [_polar(2.0, a) + 0.5 * rng.standard_normal((m, 2))
             for a, m in zip(angles, _sizes(n, centers))]
    return _classes("blobs", parts, [f"blob {i + 1}" for i in range(centers)], noise, rng)


def make_sin(n=200, noise=0.1, seed=0) -> Dataset:
    """Regression: x (n, 1) sorted uniform in [-pi, pi], y = sin(x) + noise * N(0, 1)."""
    rng = _rng(n, noise, seed)
    x = np.sort(rng.uniform(-np.pi, np.pi, n))[:, None]
    y = np.sin(x) + noise * rng.standard_normal(x.shape)
    return Dataset(x, y, "sin", "regression", ["x"], ["y"])


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
              "spirals": make_spirals, "blobs": make_blobs, "sin": make_sin}
SHIPPED = {"iris": load_iris, "digits": load_digits}
DATASET_NAMES = [*GENERATORS, *SHIPPED]
DESCRIPTIONS = {
    "xor": "XOR: points in four quadrants, class = whether x1 and x2 have opposite signs",
    "circles": "Circles: a small ring inside a large ring (not linearly separable)",
    "moons": "Moons: two interleaving half circles",
    "spirals": "Spirals: two interleaved spirals, a hard classic for small networks",
    "blobs": "Blobs: Gaussian clusters, one per class (3 by default)",
    "sin": "Sine: regression of y = sin(x) + noise for x in [-pi, pi]",
    "iris": "Iris (Fisher 1936): 150 flowers, 4 measurements, 3 species",
    "digits": "Digits: 1797 handwritten 8x8 images of the digits 0-9",
}


def make_dataset(name: str, n: int = 200, noise: float = 0.1, seed: int = 0, **kw) -> Dataset:
    """Build a data set by registry name; same arguments give identical arrays."""
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
        _rng(n, noise, seed)  # still validated, otherwise ignored
        return func()
    return func(n, noise, seed, **kw)


def train_test_split(ds: Dataset, test_fraction: float = 0.2, seed: int = 0
                     ) -> tuple[Dataset, Dataset]:
    """Seeded split into (train, test); classification is stratified per class.

    ``round(n * test_fraction)`` rows go to the test set (at most n - 1, so the
    training set is never empty). ``test_fraction`` must be in [0, 0.9].
    Classification rows come out shuffled; regression rows keep their original
    order (a sorted x stays sorted for plotting).
    """
    if not _is_real(test_fraction) or not 0 <= test_fraction <= 0.9:
        raise ValueError(f"test_fraction must be a number in [0, 0.9], not {test_fraction!r}")
    rng = _rng(1, 0.0, seed)
    n = len(ds)
    n_test = min(int(math.floor(n * test_fraction + 0.5)), max(n - 1, 0))
    if ds.labels is None or n == 0:
        order = rng.permutation(n)
        return ds.subset(np.sort(order[n_test:])), ds.subset(np.sort(order[:n_test]))
    groups = [rng.permutation(np.flatnonzero(ds.labels == c)) for c in np.unique(ds.labels)]
    exact = np.array([len(g) for g in groups]) * n_test / n
    quota = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - quota), kind="stable")[: n_test - quota.sum()]:
        quota[i] += 1
    test = np.concatenate([g[:q] for g, q in zip(groups, quota)])
    train = np.concatenate([g[q:] for g, q in zip(groups, quota)])
    return ds.subset(rng.permutation(train)), ds.subset(rng.permutation(test))
