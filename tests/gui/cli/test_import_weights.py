"""backprop-lens import / export --safetensors: a PyTorch-shaped state dict in, a session out, and
the weights back out with the nn.Sequential that loads them."""
import numpy as np
from safetensors.numpy import save_file

from engine.session_file import load_session
from engine.torch_bridge import read_weights
from helpers import cli


def test_import_writes_a_session_with_those_weights(tmp_path):
    rng = np.random.default_rng(1)
    state = {"0.weight": rng.normal(size=(3, 2)).astype(np.float32), "0.bias": np.zeros(3, np.float32),
             "2.weight": rng.normal(size=(1, 3)).astype(np.float32), "2.bias": np.ones(1, np.float32)}
    model, out = tmp_path / "model.safetensors", tmp_path / "run.bplens"
    save_file(state, str(model))
    r = cli("import", str(model), "--activation", "tanh", "--output-activation", "sigmoid", "--loss", "bce",
            "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "2-3-1" in r.stdout
    run = load_session(out).run
    np.testing.assert_array_equal(run.initial_params[0][0], state["0.weight"].astype(np.float64))
    assert (run.net.activation, run.net.output_activation, run.net.loss.name) == ("tanh", "sigmoid", "bce")


def test_import_refuses_with_the_key_and_exit_code_2(tmp_path):
    model = tmp_path / "model.safetensors"
    save_file({"0.weight": np.zeros((3, 2), np.float32)}, str(model))
    r = cli("import", str(model), "--activation", "tanh", "--loss", "bce", "--out", str(tmp_path / "x.bplens"))
    assert r.returncode == 2 and "'0.bias' is missing" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.bplens").exists()


def test_export_safetensors_prints_the_sequential(tmp_path):
    out = tmp_path / "xor.safetensors"
    r = cli("export", "--preset", "xor", "--steps", "3", "--safetensors", str(out))
    assert r.returncode == 0, r.stderr
    assert "nn.Linear(2, 3), nn.Tanh()," in r.stdout and "nn.Linear(3, 1), nn.Sigmoid()," in r.stdout
    assert read_weights(out).sizes == [2, 3, 1]
