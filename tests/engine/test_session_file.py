"""Session files: an identical state after reopening, and every kind of bad file refused clearly."""
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from engine import get_preset
from engine.datasets import load_csv
from engine.run import Run
from engine import session_format, session_read
from engine.atomic import STALE_S, TEMP_PREFIX
from engine.session_file import save_session
from engine.session_read import SessionFileError, load_session
from engine.trainer_state import MAX_CHECKPOINTS
from helpers import ROOT
from session_files import legacy, parts, write



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
    assert np.array_equal(r2.config.dataset["X"], ds.X)
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


def refused(path, *fragments):
    with pytest.raises(SessionFileError) as info:
        load_session(path)
    assert isinstance(info.value, ValueError)
    for f in fragments:
        assert f in str(info.value), str(info.value)


def test_random_bytes(tmp_path):
    p = tmp_path / "noise.bplens"
    p.write_bytes(np.random.default_rng(1).bytes(5000))
    refused(p, "not a Backprop Lens session file")


def test_truncated(good):
    data = good.read_bytes()
    good.write_bytes(data[: len(data) // 2])
    refused(good, "not a Backprop Lens session file")


def test_missing_manifest(good, tmp_path):
    _, arrays = parts(good)
    refused(write(tmp_path / "m.bplens", None, arrays), "manifest is missing")


def test_future_version(good, tmp_path):
    manifest, arrays = parts(good)
    refused(write(tmp_path / "f.bplens", manifest, arrays, version="7"),
            "written by a newer Backprop Lens (version 7); this one reads versions 1 to 2")


def test_wrong_format_and_not_an_object(good, tmp_path):
    manifest, arrays = parts(good)
    refused(write(tmp_path / "o.bplens", "[1, 2]", arrays), "JSON object")
    refused(write(tmp_path / "j.bplens", "{nope", arrays), "not valid JSON")
    refused(write(tmp_path / "w.bplens", manifest, arrays, format="something-else"),
            "not a Backprop Lens session", "something-else")


def test_an_array_referred_to_twice_is_refused(good, tmp_path):
    manifest, arrays = parts(good)
    arrays["big"] = np.zeros(100_000)
    manifest["runs"]["main"]["config"]["dataset"]["junk"] = [{"$array": "big"}] * 1000
    refused(write(tmp_path / "refs.bplens", manifest, arrays), "junk[1] refers to array 'big', which "
            "manifest.runs.main.config.dataset.junk[0] refers to already")


def test_arrays_beyond_the_budget_are_refused_before_they_are_read(good, tmp_path, monkeypatch):
    monkeypatch.setattr(session_format, "MAX_SESSION_BYTES", 1000)
    refused(good, "add up to more than 1,000 bytes")


def test_unknown_dtype_is_refused(good, tmp_path):
    manifest, arrays = parts(good)
    key = _trainer_W_key(manifest)
    arrays[key] = arrays[key].astype(np.uint8)
    refused(write(tmp_path / "u8.bplens", manifest, arrays), "only numbers are allowed")


def _trainer_W_key(manifest):
    return manifest["runs"]["main"]["trainer"]["W"][1]["$array"]


def test_nan_weights(good, tmp_path):
    manifest, arrays = parts(good)
    key = _trainer_W_key(manifest)
    arrays[key][0, 0] = np.nan
    refused(write(tmp_path / "nan.bplens", manifest, arrays), "runs.main.trainer.W[1] contains NaN")


def test_wrong_shapes(good, tmp_path):
    manifest, arrays = parts(good)
    arrays[_trainer_W_key(manifest)] = np.zeros((3, 3))
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


@pytest.mark.parametrize("field, value, message", [
    ("trainer.step_count", 2**63, "runs.main.trainer.step_count must be a whole number from 0 to"),
    ("trainer.history.max_steps", 10**12, "runs.main.trainer.history.max_steps must be"),
    ("trainer.history.stride", 2**64, "runs.main.trainer.history.stride must be"),
    ("trainer.dropped_upto", float("inf"), "runs.main.trainer.dropped_upto must be"),
    ("trainer.loss_sum", float("nan"), "runs.main.trainer.loss_sum must be a finite number"),
    ("trainer.optimizer.eta", 0, "runs.main.trainer.optimizer.eta must be"),
    ("trainer.optimizer.name", "rmsprop", "runs.main.trainer.optimizer.name must be one of"),
    ("example", -1, "runs.main.example must be"),
    ("micro_step", 10**9, "runs.main.micro_step must be"),
    ("trainer.checkpoints", [], "lacks the initial checkpoint"),
    ("trainer.surprise", 1, "runs.main.trainer has unknown field(s) surprise"),
])
def test_every_field_is_range_checked(good, tmp_path, field, value, message):
    manifest, arrays = parts(good)
    *parents, last = field.split(".")
    d = manifest["runs"]["main"]
    for p in parents:
        d = d[p]
    d[last] = value
    refused(write(tmp_path / "field.bplens", manifest, arrays), message)


def test_the_example_is_written_as_example_and_older_files_with_sample_still_open(tmp_path):
    run = Run(get_preset("xor"))
    run.example_index = 2
    run.new_stepper()
    path = tmp_path / "new.bplens"
    save_session(path, run)
    manifest, arrays = parts(path)
    assert manifest["runs"]["main"]["example"] == 2 and "sample" not in manifest["runs"]["main"]
    old = manifest["runs"]["main"]
    old["sample"] = old.pop("example")               # as files written before the rename have it
    reopened = load_session(write(tmp_path / "old.bplens", manifest, arrays)).run
    assert reopened.example_index == 2
    assert_same_view(run, reopened)
    old["sample"] = -1
    refused(write(tmp_path / "old_bad.bplens", manifest, arrays), "runs.main.sample must be")
    old["sample"], old["example"] = 2, 2
    refused(write(tmp_path / "both.bplens", manifest, arrays), "both 'example' and its older name 'sample'")


def test_infinity_in_the_epoch_table(tmp_path):
    run = Run(get_preset("xor"))
    run.train_steps(12)                  # xor: 4 examples, batch 1: three epochs
    path = tmp_path / "e.bplens"
    save_session(path, run)
    manifest, arrays = parts(path)
    key = manifest["runs"]["main"]["trainer"]["history"]["epochs"]["$array"]
    assert arrays[key].shape[0] >= 1
    arrays[key][0, 0] = np.inf
    refused(write(tmp_path / "inf.bplens", manifest, arrays), "epoch table")


def test_too_many_checkpoints(good, tmp_path):
    manifest, arrays = parts(good)
    t = manifest["runs"]["main"]["trainer"]
    t["checkpoints"] = t["checkpoints"] * (MAX_CHECKPOINTS + 1)
    refused(write(tmp_path / "ck.bplens", manifest, arrays), "checkpoints must be a list of at most 1,024")


def test_deeply_nested_json(good, tmp_path):
    manifest, arrays = parts(good)
    text = json.dumps(manifest).replace('"view_settings": {}', '"view_settings": ' + "[" * 100_000 + "]" * 100_000)
    refused(write(tmp_path / "deep.bplens", text, arrays), "nested")


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "folder"])
def test_special_files_are_refused_at_once(tmp_path, special):
    if special == "fifo":
        special = tmp_path / "pipe.bplens"
        os.mkfifo(special)
    elif special == "folder":
        special = tmp_path
    refused(special, "not a session file")


# -- the older ZIP format -------------------------------------------------------------------
def test_an_older_zip_session_still_opens(good, tmp_path):
    old = legacy(good, tmp_path / "old.bplens")
    r1, r2 = load_session(good).run, load_session(old).run
    assert_same_view(r1, r2)
    assert_same_next_steps(r1, r2)


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_an_older_zip_session_is_read_in_parts_with_progress_and_can_be_stopped(good, tmp_path, monkeypatch, method):
    monkeypatch.setattr(session_read, "READ_CHUNK_BYTES", 512)
    old = legacy(good, tmp_path / "old.bplens", method=method)
    reports = []
    loaded = load_session(old, lambda text, done, total: reports.append((text, done, total)))
    reading = [r for r in reports if r[0].startswith("Unpacking")]
    assert [t for t, _, _ in reading] == sorted(t for t, _, _ in reading)     # arrays.npz, then the arrays
    assert {t for t, _, _ in reading} == {"Unpacking arrays.npz", "Unpacking the arrays"}
    done = [d for _, d, _ in reading]
    assert {t for _, _, t in reading} == {2000} and done == sorted(done) and done[-1] == 2000
    npz_size = zipfile.ZipFile(old).getinfo("arrays.npz").file_size
    assert sum(t == "Unpacking arrays.npz" for t, _, _ in reading) == -(-npz_size // 512)   # one report a part
    assert_same_view(loaded.run, load_session(good).run)

    class Stop(Exception):
        pass

    def stop_at_the_arrays(text, done, total):
        if text == "Unpacking the arrays" and done < total:
            raise Stop
    with pytest.raises(Stop):                                # a cancellation passes through unchanged
        load_session(old, stop_at_the_arrays)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_older_zip_with_a_compression_the_app_never_wrote(good, tmp_path, method):
    refused(legacy(good, tmp_path / "m.bplens", method=method), "never used")


def test_older_zip_bomb_is_inflated_only_up_to_the_budget(good, tmp_path, monkeypatch):
    monkeypatch.setattr(session_read, "MAX_LEGACY_BYTES", 4_000_000)
    p = legacy(good, tmp_path / "bomb2.bplens", pad=bytes(50_000_000))
    assert p.stat().st_size < 200_000
    refused(p, "inflates to more than")


def test_older_zip_with_a_lying_npy_header(good, tmp_path):
    manifest, arrays = parts(good)
    key = _trainer_W_key(manifest)
    p = legacy(good, tmp_path / "lie.bplens", lie=key)
    refused(p, "claims shape")


_SLOW_SAVE = """
import sys, time
from engine import get_preset
from engine.run import Run
from engine.session_file import save_session
def slow(done, total):
    print("writing", flush=True)       # a part is written, the file not yet in place: killed here
    time.sleep(60)
save_session(sys.argv[1], Run(get_preset("xor")), progress=slow)
"""


def test_killed_mid_save_leaves_the_old_file(good):
    before = good.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", _SLOW_SAVE, str(good)], stdout=subprocess.PIPE,
                             env=env, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        assert any(p.name.startswith(TEMP_PREFIX) for p in good.parent.iterdir())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
    assert good.read_bytes() == before
    assert load_session(good).run.config.sizes == [2, 16, 16, 2]
    save_session(good, Run(get_preset("xor")))       # a fresh leftover may be a save still going on elsewhere
    leftovers = [p for p in good.parent.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert len(leftovers) == 1
    stale = time.time() - STALE_S - 1
    os.utime(leftovers[0], (stale, stale))
    save_session(good, Run(get_preset("xor")))       # once stale, the next save clears it
    assert [p.name for p in good.parent.iterdir()] == [good.name]


# -- written in parts, with progress and a clean stop -------------------------------------------
def _header_and_data(blob: bytes) -> tuple[dict, bytes]:
    n = int.from_bytes(blob[:8], "little")
    return json.loads(blob[8:8 + n]), blob[8 + n:]


def test_a_session_is_written_as_the_safetensors_library_writes_it(tmp_path):
    from safetensors.numpy import load_file, save_file
    from engine.session_file import snapshot, write_snapshot
    run = Run(get_preset("spirals"))
    run.train_steps(20)
    compare = Run(get_preset("xor"))
    snap = snapshot(run, compare, "η = 0.5 ⇄ xor", {"theme": "dark"})
    assert {a.dtype.kind for a in snap.arrays.values()} >= {"f", "i", "b"}   # every kind a session holds
    ours, theirs = tmp_path / "ours.bplens", tmp_path / "theirs.safetensors"
    write_snapshot(ours, snap)
    save_file(snap.arrays, str(theirs), metadata=snap.metadata)
    (h1, d1), (h2, d2) = _header_and_data(ours.read_bytes()), _header_and_data(theirs.read_bytes())
    assert h1 == h2 and d1 == d2 and ours.stat().st_size == theirs.stat().st_size
    back = load_file(str(ours))               # the library reads what this wrote
    assert back.keys() == snap.arrays.keys() and all(np.array_equal(back[k], a) for k, a in snap.arrays.items())
    loaded = load_session(ours)
    assert_same_view(loaded.run, run)
    assert loaded.compare_label == "η = 0.5 ⇄ xor" and loaded.compare.config.dataset["name"] == "xor"


def big_run() -> Run:
    from engine import RunConfig
    X = np.random.default_rng(0).standard_normal((60_000, 20))          # 9.6 MB of inputs: three parts
    return Run(RunConfig(sizes=[20, 4, 2], output_activation="softmax", loss="cross_entropy",
                         dataset={"name": "custom", "title": "big", "kind": "classification", "X": X,
                                  "Y": np.eye(2)[(X[:, 0] > 0).astype(int)], "test_fraction": 0.2}))


def test_a_big_session_is_written_in_parts_reporting_the_bytes_written(tmp_path):
    from engine.session_file import WRITE_CHUNK_BYTES
    reports, path = [], tmp_path / "big.bplens"
    save_session(path, big_run(), progress=lambda done, total: reports.append((done, total)))
    size = path.stat().st_size
    done, total = zip(*reports)
    assert set(total) == {size} and done[-1] == size and list(done) == sorted(done)
    assert max(np.diff(done)) <= WRITE_CHUNK_BYTES and len(reports) >= size // WRITE_CHUNK_BYTES
    assert load_session(path).run.train.X.shape == (48_000, 20)


@pytest.mark.parametrize("stop_at", [1, 2])
def test_a_save_stopped_mid_write_leaves_the_old_file_and_no_temporary_file(good, stop_at):
    class Stop(Exception):
        pass
    before, calls = good.read_bytes(), []

    def stop(done, total):
        calls.append(done)
        if len(calls) == stop_at:
            raise Stop
    with pytest.raises(Stop):
        save_session(good, big_run(), progress=stop)
    assert good.read_bytes() == before and [p.name for p in good.parent.iterdir()] == [good.name]


# -- what the app can save, it opens: every size limit --------------------------------------
def test_two_runs_at_every_limit_fit_a_session_file():
    parts_ = session_format.worst_case_bytes()
    assert 2 * sum(parts_.values()) <= session_format.MAX_SESSION_BYTES


def test_save_and_reopen_with_data_at_its_limit_and_a_comparison_run(tmp_path):
    from engine import RunConfig
    from engine.dataset_type import MAX_VALUES
    n = MAX_VALUES // 10                                   # 8 inputs + 2 one-hot outputs per row
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 8))
    Y = np.eye(2)[(X[:, 0] > 0).astype(int)]
    config = RunConfig(sizes=[8, 4, 2], output_activation="softmax", loss="cross_entropy", optimizer="adam",
                       eta=0.01, dataset={"name": "custom", "title": "big.csv", "kind": "classification",
                                          "X": X, "Y": Y, "test_fraction": 0.2})
    run, compare = Run(config), Run(config.replace(eta=0.02))
    run.train_steps(3)
    compare.train_steps(2)
    loaded = round_trip(tmp_path, run, compare=compare)
    assert np.array_equal(loaded.run.train.X, run.train.X) and np.array_equal(loaded.compare.test.Y, compare.test.Y)
    assert_same_next_steps(run, loaded.run, 1)


def test_save_and_reopen_a_network_at_the_parameter_limit_with_full_checkpoints(tmp_path):
    from engine import RunConfig
    from engine.network import MAX_PARAMS
    run = Run(RunConfig(sizes=[2, 1000, 994, 2], optimizer="adam", eta=0.001, dataset={"name": "xor", "n": 40}))
    assert MAX_PARAMS - 100 < run.net.n_params <= MAX_PARAMS
    run.train_steps(101)                                   # checkpoints at 0, 50, 100: thinned to the byte budget
    run.stepper.finish()                                   # with the weights before the update kept too
    r2 = round_trip(tmp_path, run).run
    assert r2.trainer.state_dict()["checkpoint_stride"] == run.trainer.state_dict()["checkpoint_stride"]
    assert_same_view(run, r2)
    run.rewind(60)
    r2.rewind(60)
    assert_same_next_steps(run, r2, 1)


def test_save_and_reopen_with_a_full_history_and_full_records(tmp_path):
    from engine.history import History
    from engine.trainer_state import MAX_RECORD_ITEMS
    run = Run(get_preset("xor"))
    run.train_steps(4)
    d = run.trainer.state_dict()
    n_hist, n_rec = History.MAX_STEPS - 1, MAX_RECORD_ITEMS
    d["history"].update(steps=np.arange(1, n_hist + 1), losses=np.linspace(1, 0, n_hist),
                        penalties=np.zeros(n_hist))
    batches = 1000                                         # 1,000 recorded batches of 1,000 examples
    d.update(step_count=batches, external_steps=np.arange(batches), external_lengths=np.full(batches, n_rec // batches),
             external_indices=np.zeros(n_rec, np.int64))
    run.trainer.load_state_dict(d)
    run.new_stepper()
    r2 = round_trip(tmp_path, run).run
    assert np.array_equal(r2.trainer.history.step_numbers, run.trainer.history.step_numbers)
    assert r2.trainer.state_dict()["external_indices"].size == n_rec
    assert_same_next_steps(run, r2, 1)


def test_big_arrays_are_read_in_parts_and_arrive_whole(tmp_path, monkeypatch):
    from engine import RunConfig
    rng = np.random.default_rng(3)
    X = rng.standard_normal((1003, 7))                    # 7 × 8 bytes a row: 1003 rows in ragged parts
    run = Run(RunConfig(sizes=[7, 5, 2], output_activation="softmax", loss="cross_entropy",
                        dataset={"name": "custom", "title": "parts", "kind": "classification", "X": X,
                                 "Y": np.eye(2)[(X[:, 0] > 0).astype(int)]}))
    run.train_steps(3)
    path = tmp_path / "parts.bplens"
    save_session(path, run)
    reads = []
    real = session_read._Safetensors.load
    monkeypatch.setattr(session_read, "READ_CHUNK_BYTES", 10 * 7 * 8 + 3)   # 10 rows a part
    monkeypatch.setattr(session_read._Safetensors, "load", lambda self, key: reads.append(key) or real(self, key))
    loaded = load_session(path).run
    assert np.array_equal(loaded.config.dataset["X"], X) and loaded.config.dataset["X"].dtype == X.dtype
    assert all(np.array_equal(a, b) for a, b in zip(loaded.net.W, run.net.W))
    assert reads and loaded.trainer.step_count == 3


def test_reading_reports_each_part_and_an_exception_from_the_report_stops_it(tmp_path, monkeypatch):
    from engine import RunConfig
    X = np.random.default_rng(5).standard_normal((1000, 7))
    run = Run(RunConfig(sizes=[7, 5, 2], output_activation="softmax", loss="cross_entropy",
                        dataset={"name": "custom", "title": "parts", "kind": "classification", "X": X,
                                 "Y": np.eye(2)[(X[:, 0] > 0).astype(int)]}))
    path = tmp_path / "parts.bplens"
    save_session(path, run)
    size = path.stat().st_size
    monkeypatch.setattr(session_read, "READ_CHUNK_BYTES", 10 * 7 * 8)     # X (56,000 bytes): 100 parts
    seen = []
    load_session(path, lambda text, done, total: seen.append((text, done, total)))
    reading = [done for text, done, total in seen if text == "Reading the arrays"]
    assert len(reading) > 100 and reading == sorted(reading) and 0 < reading[-1] < size
    assert all(total == size for text, _, total in seen if text == "Reading the arrays")
    building = seen[len(reading):]                # then the run's own stages (no comparison run here)
    stages = [t.split()[0] for t, *_ in building]
    assert [a for a, b in zip(stages, [None] + stages) if a != b] == ["Making", "Splitting", "Initialising", "Preparing"]

    class Stop(Exception):
        pass
    calls = []

    def stop_at_the_third(text, done, total):
        calls.append(done)
        if len(calls) == 3:
            raise Stop
    with pytest.raises(Stop):
        load_session(path, stop_at_the_third)
    assert len(calls) == 3                      # not one part read after it


def test_a_session_with_a_big_generated_data_set_reports_the_making_and_can_be_stopped_inside(tmp_path):
    """A small file can ask for a big build (its data set is a generator's spec): building its runs
    reports the Run's chunks, the comparison run's saying so, and a stop inside the making ends it."""
    from engine import RunConfig
    from engine.generators import CHUNK_ROWS
    config = RunConfig(sizes=[2, 4, 2], output_activation="softmax", loss="cross_entropy",
                       dataset={"name": "moons", "n": 3 * CHUNK_ROWS})
    path = tmp_path / "big-build.bplens"
    save_session(path, Run(config), Run(config.replace(eta=0.1)), "η = 0.1")
    assert path.stat().st_size < 100_000
    manifest = session_read.read_session(path)
    assert [c.dataset for c in session_read.build_configs(manifest)] == [config.dataset] * 2
    seen = []
    loaded = session_read.build_session(manifest, lambda text, done, total: seen.append(text))
    making = [t for t in seen if t.startswith("Making")]
    assert len(making) >= 2 * 3 * 3               # both runs: three chunks in each of three passes, at least
    assert making[0] == "Making the data set moons (196,608 points)"
    assert making[-1] == "Making the data set moons (196,608 points) (the comparison run)"
    assert loaded.compare_label == "η = 0.1" and len(loaded.run.train) + len(loaded.run.test) == 3 * CHUNK_ROWS

    class Stop(Exception):
        pass

    def stop_inside_the_making(text, done, total):
        if text.startswith("Making") and done > 0:
            raise Stop
    with pytest.raises(Stop):
        load_session(path, stop_inside_the_making)


def test_a_big_array_cut_short_is_refused(tmp_path):
    from engine import RunConfig
    X = np.random.default_rng(4).standard_normal((40_000, 20))          # 6.4 MB: read in parts
    run = Run(RunConfig(sizes=[20, 3, 2], output_activation="softmax", loss="cross_entropy",
                        dataset={"name": "custom", "title": "cut", "kind": "classification", "X": X,
                                 "Y": np.eye(2)[(X[:, 0] > 0).astype(int)]}))
    path = tmp_path / "cut.bplens"
    save_session(path, run)
    assert np.array_equal(load_session(path).run.config.dataset["X"], X)
    data = path.read_bytes()
    for cut in (1, 5 * 2**20):
        bad = tmp_path / f"cut{cut}.bplens"
        bad.write_bytes(data[:-cut])
        with pytest.raises(SessionFileError):
            load_session(bad)
