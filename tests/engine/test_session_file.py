"""Session files: an identical state after reopening, and every kind of bad file refused clearly."""
import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from engine import get_preset
from engine.datasets import load_csv
from engine.run import Run
from engine.session_file import MAX_UNCOMPRESSED, SessionFileError, load_session, save_session
from helpers import ROOT



def assert_same_view(r1: Run, r2: Run):
    v1, v2 = r1.stepper.view(), r2.stepper.view()
    assert v1.step == v2.step and v1.updated == v2.updated and v1.loss == v2.loss
    for name in ("z", "a", "sigma_prime", "delta", "dW", "db", "W", "b", "W_before", "b_before"):
        for x, y in zip(getattr(v1, name), getattr(v2, name)):
            assert (x is None and y is None) or np.array_equal(x, y), name


def assert_same_next_steps(r1: Run, r2: Run, n=3):
    for _ in range(n):
        s1, s2 = r1.trainer.step(), r2.trainer.step()
        assert s1.loss == s2.loss and np.array_equal(s1.indices, s2.indices)
        for x, y in zip(r1.net.W + r1.net.b, r2.net.W + r2.net.b):
            assert np.array_equal(x, y)
    assert r1.trainer.optimizer.state_dict()["t"] == r2.trainer.optimizer.state_dict()["t"]
    st1, st2 = r1.trainer.optimizer.state, r2.trainer.optimizer.state
    assert st1.keys() == st2.keys()
    for key in st1:
        for x, y in zip(st1[key], st2[key], strict=True):
            assert np.array_equal(x, y)


def round_trip(tmp_path, run, **kw):
    path = tmp_path / "s.bplens"
    save_session(path, run, **kw)
    return load_session(path)


def test_round_trip_after_adam_training_is_bit_identical(tmp_path):
    run = Run(get_preset("spirals"))
    run.train_steps(137)
    run.stepper.seek(7)
    loaded = round_trip(tmp_path, run, view_settings={"theme": "dark", "speed": 2.0})
    r2 = loaded.run
    assert loaded.view_settings == {"theme": "dark", "speed": 2.0} and loaded.compare is None
    assert r2.trainer.step_count == 137 and r2.stepper.index == 7 and r2.example_index == run.example_index
    assert np.array_equal(r2.trainer.history.step_losses, run.trainer.history.step_losses)
    assert_same_view(run, r2)
    for x, y in zip(run.initial_params[0], r2.initial_params[0]):
        assert np.array_equal(x, y)
    r2.stepper.finish()
    run.stepper.finish()
    assert_same_view(run, r2)
    assert_same_next_steps(run, r2)
    run.rewind(60)
    r2.rewind(60)
    assert_same_next_steps(run, r2, 2)


def test_round_trip_after_the_update_micro_step(tmp_path):
    run = Run(get_preset("mazur"))
    run.stepper.finish()
    r2 = round_trip(tmp_path, run).run
    assert r2.stepper.updated and r2.stepper.done and r2.trainer.step_count == 1
    assert_same_view(run, r2)
    run.stepper.seek(3)
    r2.stepper.seek(3)                  # stepping back undoes the update in both
    assert r2.trainer.step_count == 0
    assert_same_view(run, r2)
    run.next_example()
    r2.next_example()
    assert_same_next_steps(run, r2)


def test_round_trip_with_imported_csv_data(tmp_path):
    csv = tmp_path / "flowers.csv"
    rng = np.random.default_rng(0)
    rows = ["a,b,c,kind"] + [f"{x:.6f},{y:.6f},{z:.6f},{'small' if x < 0 else 'big'}"
                            for x, y, z in rng.standard_normal((40, 3))]
    csv.write_text("\n".join(rows) + "\n")
    ds = load_csv(csv, ["a", "b", "c"], ["kind"], "classification")
    config = get_preset("mazur").to_dict()
    config.update(sizes=[3, 4, 2], W=None, b=None, optimizer="adam", eta=0.05, batch_size=4,
                  dataset={"name": "custom", "title": "flowers.csv", "kind": ds.kind, "X": ds.X.tolist(),
                           "Y": ds.Y.tolist(), "feature_names": ds.feature_names,
                           "target_names": ds.target_names, "test_fraction": 0.25, "standardize": True})
    from engine import RunConfig
    run = Run(RunConfig.from_dict(config))
    run.train_steps(25)
    run.stepper.seek(4)
    r2 = round_trip(tmp_path, run).run
    assert r2.train.feature_names == ["a", "b", "c"] and np.array_equal(r2.train.X, run.train.X)
    assert r2.config.dataset["X"] == ds.X.tolist()
    assert_same_view(run, r2)
    assert_same_next_steps(run, r2)


def test_round_trip_with_a_comparison_run(tmp_path, session):
    session.change(optimizer="adam", eta=0.05)
    assert session.start_comparison(eta=0.2)
    session.train_steps(12)
    session.seek(2)
    loaded = round_trip(tmp_path, session.run, compare=session.compare, compare_label=session.compare_label)
    assert loaded.compare_label == "eta = 0.2"
    assert loaded.compare.trainer.step_count == 12 and loaded.compare.config.eta == 0.2
    assert_same_view(session.run, loaded.run)
    assert_same_next_steps(session.compare, loaded.compare)
    assert_same_next_steps(session.run, loaded.run)


# -- bad files ------------------------------------------------------------------------------
@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.bplens"
    run = Run(get_preset("spirals"))
    run.train_steps(3)
    save_session(path, run)
    return path


def parts(path):
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        with np.load(io.BytesIO(zf.read("arrays.npz"))) as npz:
            arrays = {k: npz[k] for k in npz.files}
    return manifest, arrays


def write(path, manifest=None, arrays=None, raw_manifest=None, raw_arrays=None):
    if raw_arrays is None and arrays is not None:
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        raw_arrays = buf.getvalue()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if raw_manifest is not None or manifest is not None:
            zf.writestr("manifest.json", raw_manifest if raw_manifest is not None else json.dumps(manifest))
        if raw_arrays is not None:
            zf.writestr("arrays.npz", raw_arrays)
    return path


def refused(path, *fragments):
    with pytest.raises(SessionFileError) as info:
        load_session(path)
    assert isinstance(info.value, ValueError)
    for f in fragments:
        assert f in str(info.value), str(info.value)


def test_random_bytes(tmp_path):
    p = tmp_path / "noise.bplens"
    p.write_bytes(np.random.default_rng(1).bytes(5000))
    refused(p, "not a Backprop Lens session file", "not a ZIP archive")


def test_truncated(good):
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    refused(good, "truncated")


def test_missing_manifest(good, tmp_path):
    _, arrays = parts(good)
    refused(write(tmp_path / "m.bplens", arrays=arrays), "manifest.json is missing")


def test_future_version(good, tmp_path):
    manifest, arrays = parts(good)
    manifest["version"] = 7
    refused(write(tmp_path / "f.bplens", manifest, arrays),
            "written by a newer Backprop Lens (version 7); this one reads version 1")


def test_wrong_format_and_not_an_object(good, tmp_path):
    manifest, arrays = parts(good)
    refused(write(tmp_path / "o.bplens", raw_manifest="[1, 2]", arrays=arrays), "JSON object")
    refused(write(tmp_path / "j.bplens", raw_manifest="{nope", arrays=arrays), "not valid JSON")
    manifest["format"] = "something-else"
    refused(write(tmp_path / "w.bplens", manifest, arrays), "not a Backprop Lens session", "something-else")


def test_object_dtype_is_refused(good, tmp_path):
    manifest, arrays = parts(good)
    arrays["a0"] = np.array([{"evil": 1}, None], dtype=object)
    refused(write(tmp_path / "obj.bplens", manifest, arrays), "not plain numbers")


def test_zip_bomb_entry_is_refused_before_reading(good, tmp_path):
    manifest, arrays = parts(good)
    p = write(tmp_path / "bomb.bplens", manifest, arrays)
    with zipfile.ZipFile(p, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("padding.bin", "w", force_zip64=True) as f:
        chunk = bytes(2**20)
        for _ in range(MAX_UNCOMPRESSED // 2**20 + 2):
            f.write(chunk)
    assert p.stat().st_size < 2_000_000
    refused(p, "too large", "uncompressed")


def test_zip_bomb_inside_arrays_is_refused(good, tmp_path, monkeypatch):
    import engine.session_file as sf
    monkeypatch.setattr(sf, "MAX_UNCOMPRESSED", good.stat().st_size // 4 + 2000)
    manifest, arrays = parts(good)
    arrays["pad"] = np.zeros(10**6)
    refused(write(tmp_path / "inner.bplens", manifest, arrays), "too large")


def _trainer_W_key(manifest):
    return manifest["runs"]["main"]["trainer"]["W"][1]["$array"]


def test_nan_weights(good, tmp_path):
    manifest, arrays = parts(good)
    key = _trainer_W_key(manifest)
    arrays[key] = arrays[key].copy()
    arrays[key][0, 0] = np.nan
    refused(write(tmp_path / "nan.bplens", manifest, arrays), "non-finite weights", "W[1]")


def test_wrong_shapes(good, tmp_path):
    manifest, arrays = parts(good)
    key = _trainer_W_key(manifest)
    arrays[key] = np.zeros((3, 3))
    refused(write(tmp_path / "shape.bplens", manifest, arrays), "do not fit", "shape")


def test_missing_array(good, tmp_path):
    manifest, arrays = parts(good)
    del arrays[_trainer_W_key(manifest)]
    refused(write(tmp_path / "gone.bplens", manifest, arrays), "missing array")


def test_unknown_config_keys(good, tmp_path):
    manifest, arrays = parts(good)
    manifest["runs"]["main"]["config"]["colour"] = "red"
    refused(write(tmp_path / "cfg.bplens", manifest, arrays), "configuration is invalid", "colour")
    manifest["runs"]["main"]["config"].pop("colour")
    manifest["runs"]["main"]["config"]["eta"] = -1
    refused(write(tmp_path / "eta.bplens", manifest, arrays), "configuration is invalid", "η")


_SLOW_SAVE = """
import sys, time, zipfile
orig = zipfile.ZipFile.writestr
def slow(self, name, data, *a, **k):
    orig(self, name, data, *a, **k)
    if name == "manifest.json":
        print("writing", flush=True)
        time.sleep(60)
zipfile.ZipFile.writestr = slow
from engine import get_preset
from engine.run import Run
from engine.session_file import save_session
save_session(sys.argv[1], Run(get_preset("xor")))
"""


def test_killed_mid_save_leaves_the_old_file(good):
    before = good.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", _SLOW_SAVE, str(good)], stdout=subprocess.PIPE,
                             env=env, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        assert any(p.name.endswith(".tmp.bplens") for p in good.parent.iterdir())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
    assert good.read_bytes() == before
    assert load_session(good).run.config.sizes == [2, 16, 16, 2]
