"""The command line: help, headless exports and snapshots, clear errors with exit code 2."""
import numpy as np
import pytest
from PIL import Image

from engine import get_preset
from engine.run import Run
from gui.cli.parse import build_parser, parse_launch, run_cli
from helpers import cli


def test_help_lists_every_subcommand():
    r = cli("--help")
    assert r.returncode == 0
    for word in ("snapshot", "export", "--preset", "SESSION_FILE", "examples:"):
        assert word in r.stdout
    r = cli("export", "--help")
    assert r.returncode == 0 and "--gif" in r.stdout and "--npz" in r.stdout and "--csv" in r.stdout


def test_export_npz_headless_equals_the_engine(tmp_path):
    out = tmp_path / "x.npz"
    r = cli("export", "--preset", "mazur", "--micro-step", "10", "--npz", str(out))   # 1-based, as the banner counts
    assert r.returncode == 0, r.stderr
    run = Run(get_preset("mazur"))
    run.stepper.seek(9)
    g = run.stepper.grads
    with np.load(out, allow_pickle=False) as npz:
        assert np.array_equal(npz["z2"], g.trace.z[1]) and np.array_equal(npz["dW2"], g.dW[1])
        assert np.array_equal(npz["W1"], run.net.W[0]) and float(npz["loss"]) == g.loss
        assert "dW1" not in npz.files


@pytest.mark.parametrize("k", [1, 13])
def test_micro_step_counts_from_1_as_the_banner(tmp_path, k):
    """--micro-step 1 is the input step ("micro-step 1 / 13"), 13 the update."""
    out = tmp_path / "x.npz"
    r = cli("export", "--preset", "mazur", "--micro-step", str(k), "--npz", str(out))
    assert r.returncode == 0, r.stderr
    run = Run(get_preset("mazur"))
    run.stepper.seek(k - 1)
    view = run.stepper.view()
    with np.load(out, allow_pickle=False) as npz:
        assert ("z1" in npz.files) == (view.z[0] is not None)
        assert np.array_equal(npz["W1"], view.W[0])
    assert (k == 13) == view.updated


def test_snapshot_writes_a_png_of_the_requested_size(tmp_path):
    out = tmp_path / "shot.png"
    r = cli("snapshot", "--preset", "mazur", "--size", "640x400", "--out", str(out))
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert im.size == (640, 400) and im.format == "PNG"


def test_export_gif_in_process(qtbot, tmp_path):
    out = tmp_path / "a.gif"
    assert run_cli(["export", "--preset", "mazur", "--gif", str(out), "--fps", "5", "--size", "320x200",
                    "--seconds-per-step", "0.2"]) == 0
    with Image.open(out) as im:
        assert im.size == (320, 200)


def test_export_from_a_session_file(tmp_path):
    from engine.session_file import save_session
    run = Run(get_preset("xor"))
    run.train_steps(5)
    save_session(tmp_path / "s.bplens", run)
    r = cli("export", "--session", str(tmp_path / "s.bplens"), "--csv", str(tmp_path / "nums"))
    assert r.returncode == 0, r.stderr
    assert np.array_equal(np.loadtxt(tmp_path / "nums" / "W1.csv", delimiter=","), run.net.W[0])


@pytest.mark.parametrize("args, message", [
    (["export", "--preset", "nope", "--npz", "x.npz"], "unknown preset 'nope'"),
    (["snapshot", "--preset", "mazur", "--size", "big", "--out", "x.png"], "size must look like"),
    (["export", "--preset", "mazur"], "one of the arguments"),
    (["export", "--preset", "mazur", "--micro-step", "99", "--npz", "x.npz"], "--micro-step must be 1..13"),
    (["export", "--preset", "mazur", "--micro-step", "14", "--npz", "x.npz"], "--micro-step must be 1..13"),
    (["export", "--preset", "mazur", "--micro-step", "0", "--npz", "x.npz"], "micro-steps count from 1 (1 = the input"),
    (["snapshot", "--preset", "mazur", "--micro-step", "0", "--out", "x.png"], "micro-steps count from 1"),
    (["export", "--session", "missing.bplens", "--npz", "x.npz"], "does not exist"),
    (["--preset", "nope"], "unknown preset"),
    (["frobnicate"], "commands are: snapshot, export"),
])
def test_bad_arguments_exit_2_with_a_message(tmp_path, args, message):
    r = cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())


def test_a_damaged_session_file_exits_2(tmp_path):
    bad = tmp_path / "bad.bplens"
    bad.write_bytes(b"not a zip")
    r = cli("export", "--session", str(bad), "--npz", str(tmp_path / "x.npz"))
    assert r.returncode == 2 and "not a ZIP archive" in r.stderr and "Traceback" not in r.stderr


def test_launch_arguments():
    assert run_cli([]) is None and run_cli(["--preset", "xor"]) is None
    ns = parse_launch(["--preset", "xor"])
    assert ns.preset == "xor" and ns.session is None
    assert build_parser().prog == "backprop-lens"
