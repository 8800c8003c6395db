"""The PyTorch bridge: state dicts laid out as PyTorch writes them (float32, keys 0.weight, 0.bias,
2.weight, …, weight (out, in)), written here with the safetensors package from NumPy arrays."""
import json

import numpy as np
import pytest
from safetensors.numpy import save_file

from engine import get_preset
from engine.losses import LOSSES
from engine.run import Run
from engine.torch_bridge import (BridgeError, import_config, read_weights, sequential_snippet,
                                 write_weights)
from helpers import torch_like


def test_import_then_forward_equals_the_same_maths(tmp_path):
    rng = np.random.default_rng(4)
    state = torch_like(rng, [2, 5, 3, 1])
    path = tmp_path / "model.safetensors"
    save_file(state, str(path))
    w = read_weights(path)
    assert w.sizes == [2, 5, 3, 1] and w.metadata == {}
    config = import_config(w, "tanh", "sigmoid", "bce")
    run = Run(config)
    x = np.array([[0.3, -1.2], [0.7, 0.1]])
    h = np.tanh(x @ state["0.weight"].astype(np.float64).T + state["0.bias"])        # the maths of
    h = np.tanh(h @ state["2.weight"].astype(np.float64).T + state["2.bias"])        # nn.Sequential,
    out = 1 / (1 + np.exp(-(h @ state["4.weight"].astype(np.float64).T + state["4.bias"])))   # in float64
    np.testing.assert_allclose(run.net.predict(x), out, rtol=1e-12)
    assert run.train.name.lower().startswith("xor")            # a shipped data set of the right shape


def test_export_round_trips_and_prints_a_loadable_sequential(tmp_path):
    run = Run(get_preset("iris"))
    run.trainer.run(5)
    path = tmp_path / "out.safetensors"
    write_weights(path, run.net)
    w = read_weights(path)
    for a, b in zip(w.W + w.b, run.net.W + run.net.b):
        np.testing.assert_array_equal(a, b)                   # float64: bit for bit
    again = Run(import_config(w))                             # names from the file's metadata
    assert (again.net.activation, again.net.output_activation, again.net.loss.name) == ("tanh", "softmax",
                                                                                         "cross_entropy")
    snippet = sequential_snippet(run.net, "out.safetensors")
    assert "nn.Linear(4, 8), nn.Tanh()," in snippet and "nn.Linear(8, 3), nn.Softmax(dim=-1)," in snippet
    assert "model.load_state_dict(load_file('out.safetensors'))" in snippet
    assert "# (or drop the final Softmax and use nn.CrossEntropyLoss() on the logits)" in snippet
    xor = Run(get_preset("xor").replace(output_activation="sigmoid", loss="bce")).net
    assert "binary_cross_entropy_with_logits(logits, y" in sequential_snippet(xor, "x.safetensors")
    compile(snippet, "snippet", "exec")                        # valid Python
    from safetensors.numpy import load_file
    assert sorted(load_file(str(path))) == ["0.bias", "0.weight", "2.bias", "2.weight"]


@pytest.mark.parametrize("mutate, key", [
    (lambda d: d.update({"3.running_mean": np.zeros(3, np.float32)}), "3.running_mean"),
    (lambda d: d.pop("2.bias"), "2.bias"),
    (lambda d: d.update({"2.weight": np.zeros((1, 4), np.float32)}), "2.weight"),
    (lambda d: d.update({"0.bias": np.zeros(4, np.float32)}), "0.bias"),
    (lambda d: d.update({"4.weight": d.pop("2.weight"), "4.bias": d.pop("2.bias")}), "4."),
    (lambda d: d.update({"0.weight": np.full((3, 2), np.nan, np.float32)}), "0.weight"),
    (lambda d: d.update({"0.weight": np.zeros((3, 2), np.int32)}), "0.weight"),
])
def test_refuses_naming_the_key(tmp_path, mutate, key):
    state = torch_like(np.random.default_rng(0), [2, 3, 1])
    mutate(state)
    path = tmp_path / "bad.safetensors"
    save_file(state, str(path))
    with pytest.raises(BridgeError, match=key.replace(".", r"\.")):
        read_weights(path)


def test_refuses_junk_and_missing_names(tmp_path):
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\xff" * 64)
    with pytest.raises(BridgeError, match="not a readable safetensors"):
        read_weights(junk)
    with pytest.raises(BridgeError, match="cannot read"):
        read_weights(tmp_path / "absent.safetensors")
    path = tmp_path / "m.safetensors"
    save_file(torch_like(np.random.default_rng(0), [3, 3, 7]), str(path))
    w = read_weights(path)
    with pytest.raises(BridgeError, match="--activation"):
        import_config(w)
    with pytest.raises(BridgeError, match="no shipped data set has 3 inputs and 7 outputs"):
        import_config(w, "tanh", "sigmoid", "bce")
    with pytest.raises(BridgeError, match="unknown activation"):
        import_config(w, "swish", "sigmoid", "bce", dataset={"name": "xor"})
    meta = json.dumps({"activation": "tanh"})
    save_file(torch_like(np.random.default_rng(0), [2, 2]), str(path), metadata={"backprop_lens": meta})
    assert read_weights(path).metadata == {"activation": "tanh"}



class _Tensor:
    """The few torch.Tensor operations the losses' PyTorch text uses, on NumPy, as PyTorch documents
    them (``sum(dim=…)``, ``mean()`` over every element), so that the text is checked without PyTorch."""

    def __init__(self, a):
        self.a = np.asarray(a, dtype=float)

    def _b(self, other):
        return other.a if isinstance(other, _Tensor) else other

    def __sub__(self, o): return _Tensor(self.a - self._b(o))
    def __rsub__(self, o): return _Tensor(self._b(o) - self.a)
    def __mul__(self, o): return _Tensor(self.a * self._b(o))
    __rmul__ = __mul__
    def __pow__(self, k): return _Tensor(self.a ** k)
    def __neg__(self): return _Tensor(-self.a)
    def log(self): return _Tensor(np.log(self.a))
    def sum(self, dim=None): return _Tensor(self.a.sum(axis=dim))
    def mean(self, dim=None): return _Tensor(self.a.mean(axis=dim))


def _binary_cross_entropy(out, y, reduction="mean"):
    """torch.nn.functional.binary_cross_entropy as documented: element-wise, then 'mean' over every element."""
    loss = -(y.a * np.log(out.a) + (1 - y.a) * np.log(1 - out.a))
    return _Tensor({"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction])


@pytest.mark.parametrize("name", list(LOSSES))
def test_the_pytorch_text_of_every_loss_is_the_apps_cost_of_a_batch(name):
    """The snippet's loss line computes the app's C averaged over a batch, with several outputs
    (PyTorch's binary_cross_entropy averages over the outputs too unless told otherwise)."""
    from types import SimpleNamespace
    loss = LOSSES[name]
    rng = np.random.default_rng(3)
    a = rng.uniform(0.05, 0.95, (5, 3))
    y = rng.uniform(0.0, 1.0, (5, 3)) if name != "cross_entropy" else np.eye(3)[rng.integers(0, 3, 5)]
    nn = SimpleNamespace(functional=SimpleNamespace(binary_cross_entropy=_binary_cross_entropy))
    got = eval(loss.torch_loss, {"nn": nn, "out": _Tensor(a), "y": _Tensor(y)})   # our own text
    assert float(got.a) == pytest.approx(float(np.mean(loss.value(a, y))), rel=1e-12)
