"""Tests for engine.datasets and engine.csv_import: generators, shipped files, CSV import, splits."""
from __future__ import annotations

import os
import gzip
import json
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from engine import datasets as D
from engine.datasets import (DATASET_NAMES, DESCRIPTIONS, GENERATORS, SHIPPED, Dataset, assets_dir,
                             load_csv, load_digits, load_iris, make_dataset, read_csv_preview,
                             train_test_split)


def write(tmp_path, text: str | bytes, name: str = "data.csv"):
    path = tmp_path / name
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def assert_one_hot(ds: Dataset):
    assert set(np.unique(ds.Y)) <= {0.0, 1.0}
    if ds.n_outputs > 1:
        assert (ds.Y.sum(axis=1) == 1).all()
        assert np.array_equal(ds.Y.argmax(axis=1), ds.labels)


# ------------------------------------------------------------------------- registry
def test_registry_names_and_descriptions():
    assert list(GENERATORS) == ["xor", "circles", "moons", "spirals", "blobs", "sine"]
    assert list(SHIPPED) == ["iris", "digits"]
    assert DATASET_NAMES == [*GENERATORS, *SHIPPED]
    assert set(DESCRIPTIONS) == set(DATASET_NAMES)
    assert all(isinstance(d, str) and d and "\n" not in d for d in DESCRIPTIONS.values())


@pytest.mark.parametrize("name", list(GENERATORS))
def test_generator_shapes_and_validity(name):
    ds = make_dataset(name, n=101, noise=0.2, seed=3)
    assert len(ds) == 101 and ds.name == name
    assert ds.X.dtype == np.float64 and ds.Y.dtype == np.float64
    assert np.isfinite(ds.X).all() and np.isfinite(ds.Y).all()
    assert len(ds.feature_names) == ds.n_features and len(ds.target_names) == ds.n_outputs
    if name == "sine":
        assert ds.kind == "regression" and ds.X.shape == (101, 1) and ds.Y.shape == (101, 1)
        assert ds.labels is None
        assert ds.X.min() >= -np.pi and ds.X.max() <= np.pi
    else:
        assert ds.kind == "classification" and ds.n_features == 2
        assert ds.labels.shape == (101,) and ds.labels.dtype == np.int64
        assert_one_hot(ds)
        counts = np.bincount(ds.labels, minlength=ds.n_outputs)
        assert counts.max() - counts.min() <= (101 if name == "xor" else 1)


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_same_arguments_give_identical_arrays(name):
    a, b = make_dataset(name, n=50, noise=0.3, seed=7), make_dataset(name, n=50, noise=0.3, seed=7)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.Y, b.Y) and a == b


@pytest.mark.parametrize("name", list(GENERATORS))
def test_different_seeds_differ(name):
    assert not np.array_equal(make_dataset(name, seed=0).X, make_dataset(name, seed=1).X)


def test_zero_noise_and_generator_geometry():
    sine = make_dataset("sine", n=50, noise=0.0)
    assert np.allclose(sine.Y[:, 0], np.sin(sine.X[:, 0])) and (np.diff(sine.X[:, 0]) >= 0).all()
    circ = make_dataset("circles", n=80, noise=0.0, factor=0.3)
    radius = np.hypot(*circ.X.T)
    assert np.allclose(radius[circ.labels == 0], 1.0) and np.allclose(radius[circ.labels == 1], 0.3)
    xor = make_dataset("xor", n=200, noise=0.0)
    assert np.array_equal(xor.labels, (xor.X[:, 0] * xor.X[:, 1] < 0).astype(int))
    blobs = make_dataset("blobs", n=60, centers=5)
    assert blobs.n_outputs == 5 and np.bincount(blobs.labels).tolist() == [12] * 5


def _whole_array(name: str, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The generators as one whole-array draw each (how they were written before they made big data
    sets in chunks): the reference the chunked making must reproduce exactly."""
    rng = np.random.default_rng(seed)
    polar = lambda r, a: np.column_stack([r * np.cos(a), r * np.sin(a)])     # noqa: E731
    sizes = [n // 2 + (i < n % 2) for i in range(2)]
    if name == "xor":
        P = rng.uniform(-1, 1, (n, 2))
        labels = (P[:, 0] * P[:, 1] < 0).astype(np.int64)
        return P + noise * rng.standard_normal(P.shape), np.eye(2)[labels]
    if name == "sine":
        x = np.sort(rng.uniform(-np.pi, np.pi, n))[:, None]
        return x, np.sin(x) + noise * rng.standard_normal(x.shape)
    if name == "circles":
        parts = [polar(r, rng.uniform(0, 2 * np.pi, m)) for r, m in zip((1.0, 0.5), sizes)]
    elif name == "moons":
        t0, t1 = (rng.uniform(0, np.pi, m) for m in sizes)
        parts = [polar(1.0, t0), np.array([1.0, 0.5]) - polar(1.0, t1)]
    elif name == "spirals":
        radii = [0.1 + 0.9 * np.sqrt(rng.uniform(0, 1, m)) for m in sizes]
        parts = [polar(2 * r, 2 * np.pi * 1.5 * r + np.pi * c) for c, r in enumerate(radii)]
    else:                                           # blobs, 3 centres
        sizes = [n // 3 + (i < n % 3) for i in range(3)]
        angles = np.pi / 2 + 2 * np.pi * np.arange(3) / 3
        parts = [polar(2.0, a) + 0.5 * rng.standard_normal((m, 2)) for a, m in zip(angles, sizes)]
    X = np.concatenate(parts)
    labels = np.concatenate([np.full(len(p), i, dtype=np.int64) for i, p in enumerate(parts)])
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return X[order], np.eye(len(parts))[labels[order]]


@pytest.mark.parametrize("name", list(GENERATORS))
def test_big_data_sets_are_made_in_chunks_with_the_same_numbers_as_one_whole_draw(name):
    from engine.generators import CHUNK_ROWS
    n = 2 * CHUNK_ROWS + 5                     # three chunks, the last a short one
    reports = []
    ds = make_dataset(name, n=n, noise=0.2, seed=3, progress=lambda done, total: reports.append((done, total)))
    X, Y = _whole_array(name, n, 0.2, 3)
    assert np.array_equal(ds.X, X) and np.array_equal(ds.Y, Y)
    done, total = zip(*reports)
    assert set(total) == {total[0]} and done[-1] == total[0] and total[0] % n == 0
    steps = np.diff((0,) + done)
    # a report after every chunk of rows; the classes' one permutation of all rows is a step of its own
    assert (steps > 0).all() and steps[steps > CHUNK_ROWS].tolist() == ([] if name in ("xor", "sine") else [n])
    assert len(reports) >= 3 * (total[0] // n - 1)     # at least three chunks in each pass over the rows


@pytest.mark.parametrize("name", ["spirals", "sine"])
def test_an_exception_from_progress_stops_the_making_and_the_split_there(name):
    class Stop(Exception):
        pass
    seen = []

    def stop_at_third(done, total):
        seen.append(done)
        if len(seen) == 3:
            raise Stop
    with pytest.raises(Stop):
        make_dataset(name, n=300_000, progress=stop_at_third)
    assert len(seen) == 3
    ds, seen[:] = make_dataset(name, n=1_000), []
    with pytest.raises(Stop):
        train_test_split(ds, 0.2, 0, stop_at_third)
    assert len(seen) == 3


def test_rows_are_gathered_in_chunks_as_fancy_indexing_gathers_them():
    from engine.dataset_type import CHUNK_ROWS
    ds = make_dataset("blobs", n=2 * CHUNK_ROWS + 7, seed=4)
    idx = np.random.default_rng(1).permutation(len(ds))[: 2 * CHUNK_ROWS + 1]
    idx[:3] = [-1, -len(ds), 0]                        # negative indices count from the end, as X[idx]
    reports = []
    part = ds.subset(idx, lambda done, total: reports.append((done, total)))
    assert np.array_equal(part.X, ds.X[idx]) and np.array_equal(part.Y, ds.Y[idx])
    assert np.array_equal(part.labels, ds.labels[idx])
    assert reports == [(CHUNK_ROWS, len(idx)), (2 * CHUNK_ROWS, len(idx)), (len(idx), len(idx))]
    with pytest.raises(IndexError):
        ds.subset([len(ds)])


def test_a_big_split_reports_every_chunk_of_rows():
    from engine.dataset_type import CHUNK_ROWS
    for name in ("moons", "sine"):                      # stratified by class, and a regression's
        ds = make_dataset(name, n=4 * CHUNK_ROWS)
        reports = []
        train, test = train_test_split(ds, 0.25, 3, lambda done, total: reports.append((done, total)))
        done, total = zip(*reports)
        assert set(total) == {3 * len(ds)} and done[-1] == 3 * len(ds) and list(done) == sorted(done)
        # no step longer than a chunk of rows gathered or one permutation (a class's, the training set's)
        assert max(np.diff((0,) + done)) <= len(ds)
        assert len(train) + len(test) == len(ds)
        assert sum(1 for d in np.diff((0,) + done) if d <= CHUNK_ROWS) >= 3 + 1     # the gathering, chunk by chunk


def test_progress_is_not_a_data_set_option():
    from engine.run import build_data
    with pytest.raises(ValueError, match="unknown option.*progress"):
        build_data({"name": "spirals", "n": 100, "progress": "x"})


def test_xor_exact_truth_table():
    ds = make_dataset("xor", exact=True)
    assert ds.X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert ds.Y.tolist() == [[1, 0], [0, 1], [0, 1], [1, 0]] and ds.labels.tolist() == [0, 1, 1, 0]
    single = make_dataset("xor", exact=True, outputs=1)
    assert single.Y.tolist() == [[0], [1], [1], [0]] and single.kind == "classification"
    assert single.labels.tolist() == [0, 1, 1, 0] and single.n_outputs == 1
    assert make_dataset("xor", n=30, outputs=1).Y.shape == (30, 1)


def test_unknown_name_lists_allowed():
    with pytest.raises(ValueError, match="'nope'") as err:
        make_dataset("nope")
    assert all(name in str(err.value) for name in DATASET_NAMES)
    with pytest.raises(ValueError, match="unknown data set"):
        make_dataset(["xor"])


@pytest.mark.parametrize("kwargs, bad", [
    (dict(n=0), "0"), (dict(n=-5), "-5"), (dict(n=1_000_001), "1000001"), (dict(n=2.5), "2.5"),
    (dict(n=True), "True"), (dict(noise=-0.1), "-0.1"), (dict(noise=float("nan")), "nan"),
    (dict(noise=float("inf")), "inf"), (dict(noise="0.1"), "'0.1'"), (dict(seed=-1), "-1"),
])
@pytest.mark.parametrize("name", ["moons", "iris"])
def test_bad_n_noise_seed(name, kwargs, bad):
    with pytest.raises(ValueError, match="n must|noise must|seed must") as err:
        make_dataset(name, **kwargs)
    assert bad in str(err.value)


@pytest.mark.parametrize("name, kw, fragment", [
    ("moons", dict(factor=0.5), "unknown option.*factor.*'moons'"),
    ("circles", dict(factor=1.5), "factor must"), ("circles", dict(factor="x"), "factor must"),
    ("spirals", dict(turns=0), "turns must"), ("blobs", dict(centers=1), "centers must"),
    ("blobs", dict(centers=2.0), "centers must"), ("xor", dict(outputs=3), "outputs must"),
    ("iris", dict(exact=True), "unknown option.*exact.*allowed: none"),
])
def test_bad_generator_options(name, kw, fragment):
    with pytest.raises(ValueError, match=fragment):
        make_dataset(name, **kw)


# -------------------------------------------------------------------- shipped files
def test_iris():
    ds = load_iris()
    assert ds.X.shape == (150, 4) and ds.Y.shape == (150, 3) and ds.name == "iris"
    assert ds.feature_names == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert ds.target_names == ["setosa", "versicolor", "virginica"]
    assert np.bincount(ds.labels).tolist() == [50, 50, 50]
    assert ds.X[0].tolist() == [5.1, 3.5, 1.4, 0.2] and ds.labels[0] == 0
    assert ds.X[-1].tolist() == [5.9, 3.0, 5.1, 1.8] and ds.labels[-1] == 2
    assert np.allclose(ds.X.sum(axis=0), [876.5, 458.6, 563.7, 179.9])
    assert_one_hot(ds)
    assert make_dataset("iris", n=5, noise=0.9) == ds


def test_digits():
    ds = load_digits()
    assert ds.X.shape == (1797, 64) and ds.Y.shape == (1797, 10)
    assert ds.X.min() == 0.0 and ds.X.max() == 1.0
    assert ds.target_names == [str(d) for d in range(10)]
    assert np.bincount(ds.labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert np.isclose(ds.X.sum() * 16, 561718.0)
    assert (ds.X * 16)[0, :8].tolist() == [0, 0, 5, 13, 9, 1, 0, 0] and ds.labels[:3].tolist() == [0, 1, 2]
    assert_one_hot(ds)


def test_shipped_loaders_return_independent_copies():
    a = load_iris()
    a.X[0, 0] = 99.0
    assert load_iris().X[0, 0] == 5.1


def test_assets_dir_from_clone():
    assert (assets_dir() / "data" / "iris.csv").is_file()
    assert (assets_dir() / "data" / "README.md").is_file()


def test_assets_dir_from_installed_package(tmp_path, monkeypatch):
    pkg = tmp_path / "site" / "backprop_lens_assets"
    (pkg / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    monkeypatch.setattr(D, "_CLONE_ASSETS", tmp_path / "no-such-dir")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "backprop_lens_assets", raising=False)
    assert assets_dir() == pkg


def test_assets_dir_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(D, "_CLONE_ASSETS", tmp_path / "no-such-dir")
    monkeypatch.setitem(sys.modules, "backprop_lens_assets", None)
    with pytest.raises(FileNotFoundError, match="backprop_lens_assets"):
        assets_dir()


# ----------------------------------------------------------------------- CSV import
def test_csv_class_names(tmp_path):
    path = write(tmp_path, "a,b,kind\n1,2,dog\n3,4.5,cat\n-1e-3, 6 ,dog\n", "pets.csv")
    ds = load_csv(path)
    assert ds.name == "pets" and ds.kind == "classification"
    assert ds.feature_names == ["a", "b"] and ds.target_names == ["cat", "dog"]
    assert ds.X.tolist() == [[1, 2], [3, 4.5], [-0.001, 6]]
    assert ds.labels.tolist() == [1, 0, 1] and ds.Y.tolist() == [[0, 1], [1, 0], [0, 1]]


def test_csv_integer_classes_sort_numerically(tmp_path):
    path = write(tmp_path, "x,y\n0,10\n1,2\n2,9\n3,2.0\n")
    ds = load_csv(path)
    assert ds.target_names == ["2", "9", "10"] and ds.labels.tolist() == [2, 0, 1, 0]


def test_csv_chosen_columns_and_regression(tmp_path):
    path = write(tmp_path, "id,t1,x,t2,note\n1,0.5,2,-1,a\n2,1.5,3,-2,b\n3,2.5,4,-3,c\n")
    ds = load_csv(path, input_columns=["x", 0], target_columns=["t2", 1], kind="regression")
    assert ds.feature_names == ["x", "id"] and ds.target_names == ["t2", "t1"]
    assert ds.X.tolist() == [[2, 1], [3, 2], [4, 3]] and ds.Y.tolist() == [[-1, 0.5], [-2, 1.5], [-3, 2.5]]
    assert ds.labels is None
    cls = load_csv(path, input_columns=["x"], target_columns=[-1])
    assert cls.target_names == ["a", "b", "c"] and cls.n_features == 1
    only_target = load_csv(path, target_columns="note", input_columns=["t1", "x", "t2"])
    assert only_target.n_features == 3


def test_csv_bom_crlf_blank_lines_and_quotes(tmp_path):
    path = write(tmp_path, b'\xef\xbb\xbf"x 1",y\r\n1,"a,b"\r\n\r\n2,c\r\n,\r\n \r\n')
    ds = load_csv(path)
    assert ds.feature_names == ["x 1"] and ds.target_names == ["a,b", "c"]


def test_csv_gzip(tmp_path):
    path = tmp_path / "small.csv.gz"
    path.write_bytes(gzip.compress(b"x,y\n1,a\n2,b\n"))
    ds = load_csv(path)
    assert ds.name == "small" and len(ds) == 2


@pytest.mark.parametrize("text, line, column", [
    ("x,y,c\n1,2,a\n3,abc,b\n", 3, "y"),                 # text in a numeric column
    ("x,y,c\n1,2,a\n3,,b\n", 3, "y"),                    # empty cell
    ("x,y,c\n1,2,a\n3,4,b\n5,nan,a\n", 4, "y"),          # NaN
    ("x,y,c\n1,2,a\n3,-inf,b\n", 3, "y"),                # infinity
    ("x,y,c\n1,2,a\n3,1e999,b\n", 3, "y"),               # overflow to infinity
    ("x,y,c\n1,2,a\n3,4,\n", 3, "c"),                    # empty class
    ("x,y,c\n1,2,a\n3,4,NaN\n", 3, "c"),                 # NaN class
    ("x,y,c\n1,2,a\n3,4\n", 3, "c"),                     # ragged: too few
    ("x,y,c\n1,2,a\n\n3,4,b,5\n", 4, "c"),               # ragged: too many (after a blank line)
    ("x,,c\n1,2,a\n3,4,b\n", 1, "#2"),                   # missing column name
    ("x,y,x\n1,2,a\n3,4,b\n", 1, "x"),                   # duplicate column name
    (b"x,y,c\n1,2,a\n3,4,caf\xe9\n", 3, "c"),            # latin-1, not UTF-8
    (b"x,\xff,c\n1,2,a\n3,4,b\n", 1, "#2"),              # undecodable header
])
def test_csv_errors_name_row_and_column(tmp_path, text, line, column):
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as err:
        load_csv(path)
    message = str(err.value)
    assert f"line {line}," in message and f"column {column!r}" in message and "data.csv" in message


@pytest.mark.parametrize("text, fragment", [
    ("", "empty"), ("\n\n  \n", "empty"), ("x,y\n", "no data rows"), ("x,y\n1,a\n", "only 1 data row"),
    ("x;y;c\n1;2;a\n3;4;b\n", "';'"), ('x,y\n1,"a\n', "malformed"),
])
def test_csv_file_level_errors(tmp_path, text, fragment):
    with pytest.raises(ValueError, match=fragment):
        load_csv(write(tmp_path, text))


def test_csv_min_rows_and_size_limit(tmp_path):
    path = write(tmp_path, "x,y\n1,a\n2,b\n3,a\n")
    assert len(load_csv(path, min_rows=3)) == 3
    with pytest.raises(ValueError, match="at least 4"):
        load_csv(path, min_rows=4)
    with pytest.raises(ValueError, match="too large"):
        load_csv(path, max_bytes=10)
    gz = tmp_path / "bomb.csv.gz"
    gz.write_bytes(gzip.compress(b"x,y\n" + b"1,a\n" * 10_000))
    with pytest.raises(ValueError, match="too large"):
        load_csv(gz, max_bytes=5_000)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(input_columns=["nope"]), "no column named 'nope'"),
    (dict(target_columns=[7]), "out of range"),
    (dict(input_columns=["x"], target_columns=["x"]), "both an input and a target"),
    (dict(input_columns=[]), "at least one input"),
    (dict(input_columns=["x", "x"]), "twice"),
    (dict(input_columns=[True]), "names or integer"),
    (dict(input_columns=2.5), "list of names"),
    (dict(target_columns=["x", "y"]), "exactly one target"),
    (dict(kind="clustering"), "kind"),
    (dict(target_columns=["x"], input_columns=["y"]), "text 'a'"),
])
def test_csv_bad_column_choices(tmp_path, kwargs, fragment):
    path = write(tmp_path, "x,y,z\n1,a,1\n2,b,2\n")
    with pytest.raises(ValueError, match=fragment):
        load_csv(path, **kwargs)


def test_csv_class_count_limits(tmp_path):
    with pytest.raises(ValueError, match="column 'y'.*1 different"):
        load_csv(write(tmp_path, "x,y\n1,a\n2,a\n"))
    rows = "".join(f"{i},{i / 7}\n" for i in range(150))
    with pytest.raises(ValueError, match="regression"):
        load_csv(write(tmp_path, "x,y\n" + rows))
    assert load_csv(write(tmp_path, "x,y\n" + rows), kind="regression").Y.shape == (150, 1)


def test_csv_missing_file_and_directory(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        load_csv(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="cannot read"):
        load_csv(tmp_path)
    with pytest.raises(ValueError, match="cannot read|gzip"):
        load_csv(write(tmp_path, b"not gzip at all", "fake.csv.gz"))


def test_csv_never_evaluates(tmp_path):
    path = write(tmp_path, 'x,y\n__import__("os").system("false"),a\n2,b\n')
    with pytest.raises(ValueError, match="line 2, column 'x'"):
        load_csv(path)


def test_read_csv_preview(tmp_path):
    path = write(tmp_path, "a, b ,c\n1,2,x\n3, 4 ,y\n5,6,z\n")
    header, rows = read_csv_preview(path, n_rows=2)
    assert header == ["a", "b", "c"] and rows == [["1", "2", "x"], ["3", "4", "y"]]
    assert read_csv_preview(path, n_rows=0) == (["a", "b", "c"], [])
    assert read_csv_preview(write(tmp_path, "a,b\n", "h.csv"))[1] == []
    for text, fragment in [("", "empty"), ("a,a\n1,2\n", "duplicate"), (b"a,b\n\xff,1\n", "line 2"),
                           ("a,b\n1\n", "line 2, column 'b'")]:
        with pytest.raises(ValueError, match=fragment):
            read_csv_preview(write(tmp_path, text, "bad.csv"))
    with pytest.raises(ValueError, match="n_rows"):
        read_csv_preview(path, n_rows=-1)


# --------------------------------------------------------------------------- splits
def test_split_iris_stratified():
    ds = load_iris()
    train, test = train_test_split(ds, 0.2, seed=1)
    assert len(train) == 120 and len(test) == 30
    assert np.bincount(test.labels).tolist() == [10, 10, 10]
    rows = {tuple(r) for r in np.hstack([train.X, train.Y])} | {tuple(r) for r in np.hstack([test.X, test.Y])}
    assert len(rows) == len({tuple(r) for r in np.hstack([ds.X, ds.Y])})
    assert train.feature_names == ds.feature_names and test.target_names == ds.target_names


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_split_sizes_disjoint_and_deterministic(name):
    ds = make_dataset(name, n=57, seed=2)
    ids = D.Dataset(np.arange(len(ds))[:, None], ds.Y, ds.name, ds.kind, ["id"], ds.target_names)
    train, test = train_test_split(ids, 0.25, seed=5)
    assert len(test) == round(len(ds) * 0.25) and len(train) + len(test) == len(ds)
    a, b = set(train.X[:, 0]), set(test.X[:, 0])
    assert not a & b and a | b == set(range(len(ds)))
    again = train_test_split(ids, 0.25, seed=5)
    assert again[0] == train and again[1] == test


def test_split_zero_fraction_and_bounds():
    ds = make_dataset("moons", n=20)
    train, test = train_test_split(ds, 0.0)
    assert len(train) == 20 and test.X.shape == (0, 2) and test.Y.shape == (0, 2)
    assert test.labels.shape == (0,) and test.feature_names == ds.feature_names
    one = make_dataset("sine", n=1)
    assert [len(p) for p in train_test_split(one, 0.9)] == [1, 0]
    for bad in (-0.1, 0.95, 1.0, float("nan"), "0.2", True):
        with pytest.raises(ValueError, match="test_fraction"):
            train_test_split(ds, bad)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 300), frac=st.floats(0, 0.9), seed=st.integers(0, 2**32 - 1),
       name=st.sampled_from(["xor", "blobs", "sine"]))
def test_split_property(n, frac, seed, name):
    ds = make_dataset(name, n=n, seed=seed % 1000)
    train, test = train_test_split(ds, frac, seed)
    assert len(train) + len(test) == n and len(train) >= 1
    assert len(test) == min(int(np.floor(n * frac + 0.5)), n - 1)


# ------------------------------------------------------------------- Dataset object
def test_dataset_basics_and_subset():
    ds = make_dataset("blobs", n=30)
    assert len(ds) == 30 and ds.n_features == 2 and ds.n_outputs == 3
    sub = ds.subset([3, 1, 4])
    assert np.array_equal(sub.X, ds.X[[3, 1, 4]]) and np.array_equal(sub.labels, ds.labels[[3, 1, 4]])
    assert sub.target_names == ds.target_names and sub.name == ds.name
    sub.X[0, 0] = 1e6
    assert ds.X[3, 0] != 1e6
    assert len(ds.subset(ds.labels == 0)) == 10 and len(ds.subset(slice(0, 5))) == 5
    assert ds.subset([]).X.shape == (0, 2) and ds.subset(np.arange(0)).Y.shape == (0, 3)
    assert "blobs" in repr(ds) and len(repr(load_digits())) < 100
    with pytest.raises(ValueError):
        ds.subset([[1]])


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_to_dict_round_trip_through_json(name):
    ds = make_dataset(name, n=40)
    d = json.loads(json.dumps(ds.to_dict()))
    back = Dataset.from_dict(d)
    assert back == ds and back.X.dtype == np.float64
    assert (back.labels is None) == (ds.labels is None)


def test_round_trip_empty_and_single_column():
    empty = make_dataset("moons", n=10).subset([])
    assert Dataset.from_dict(json.loads(json.dumps(empty.to_dict()))) == empty
    xor1 = make_dataset("xor", exact=True, outputs=1)
    assert Dataset.from_dict(xor1.to_dict()) == xor1


def test_from_dict_minimal_spec_gets_default_names():
    ds = Dataset.from_dict({"kind": "regression", "X": [[0.05, 0.10]], "Y": [[0.01, 0.99]]})
    assert ds.name == "custom" and ds.feature_names == ["x1", "x2"] and ds.target_names == ["y1", "y2"]
    cls = Dataset.from_dict({"name": "c", "kind": "classification", "X": [[0], [1]], "Y": [[1, 0], [0, 1]]})
    assert cls.target_names == ["class 1", "class 2"] and cls.labels.tolist() == [0, 1]   # named 1-based
    arr = Dataset.from_dict({"kind": "regression", "X": np.ones((3, 2)), "Y": np.zeros((3, 1))})
    assert arr.target_names == ["y"] and arr.X.shape == (3, 2)


def _good() -> dict:
    return make_dataset("xor", exact=True).to_dict()


@pytest.mark.parametrize("change, fragment", [
    (lambda d: [1, 2], "must be a dict"),
    (lambda d: d.pop("X") and d, "'X'"),
    (lambda d: d.update(kind="other") or d, "kind"),
    (lambda d: d.update(X=[[0, 0], [0, 1], [1, 0]]) or d, "rows"),
    (lambda d: d.update(X=[[0, 0], [0], [1, 0], [1, 1]]) or d, "X row 1"),
    (lambda d: d.update(X=[[0, 0], [0, "1"], [1, 0], [1, 1]]) or d, "non-number"),
    (lambda d: d.update(X=[[0, 0], [0, True], [1, 0], [1, 1]]) or d, "non-number"),
    (lambda d: d.update(X=[[0, 0], [0, float("nan")], [1, 0], [1, 1]]) or d, "X row 1.*non-finite"),
    (lambda d: d.update(X=[[0, 0], [0, 10**400], [1, 0], [1, 1]]) or d, "X row 1"),
    (lambda d: d.update(Y=[[1, 0], [0, 1], [0, 1], [0.5, 0.5]]) or d, "one-hot"),
    (lambda d: d.update(labels=[0, 1, 1, 1]) or d, "labels"),
    (lambda d: d.update(labels=[0, 1, 1, 0.0]) or d, "labels"),
    (lambda d: d.update(feature_names=["a"]) or d, "X row 0"),
    (lambda d: d.update(target_names="ab") or d, "target_names"),
    (lambda d: d.update(name=3) or d, "name"),
    (lambda d: d.update(X="[[0, 0]]") or d, "list of rows"),
    (lambda d: d.update(X=[]) or d, "rows"),
])
def test_from_dict_rejects_bad_dicts(change, fragment):
    with pytest.raises(ValueError, match=fragment):
        Dataset.from_dict(change(_good()))


def test_regression_with_labels_rejected():
    d = make_dataset("sine", n=3).to_dict()
    d["labels"] = [0, 0, 0]
    with pytest.raises(ValueError, match="regression"):
        Dataset.from_dict(d)


def test_constructor_checks_shapes():
    with pytest.raises(ValueError, match="2-D"):
        Dataset(np.zeros(3), np.zeros((3, 1)), "a", "regression", ["x"], ["y"])
    with pytest.raises(ValueError, match="rows"):
        Dataset(np.zeros((3, 1)), np.zeros((2, 1)), "a", "regression", ["x"], ["y"])
    with pytest.raises(ValueError, match="NaN"):
        Dataset(np.full((2, 1), np.nan), np.zeros((2, 1)), "a", "regression", ["x"], ["y"])


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_csv_special_files_are_refused_at_once(tmp_path, special):
    if special == "fifo":
        special = tmp_path / "pipe.csv"
        os.mkfifo(special)
    with pytest.raises(ValueError, match="cannot read file .it is a device, pipe or socket"):
        load_csv(special)


def test_csv_one_hot_classes_are_bounded_before_they_are_built(tmp_path):
    from engine.dataset_type import MAX_VALUES
    rows = MAX_VALUES // 100 + 1                   # 2 columns in the file, 100 classes: 101 values a row
    path = tmp_path / "wide.csv"
    with open(path, "w") as f:
        f.write("x,label\n")
        f.writelines(f"{i},{i % 100}\n" for i in range(rows))
    with pytest.raises(ValueError, match="at most 10,000,000 are kept"):
        load_csv(path)


def test_csv_with_too_many_columns_is_refused_from_its_header(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(200_000)) + "\n" + ",".join("1" * 200_000) + "\n")
    with pytest.raises(ValueError, match="names 200,000 columns; at most 2,000"):
        load_csv(path)
