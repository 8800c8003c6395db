"""A bridge to PyTorch: the weights of an ``nn.Sequential`` of ``Linear`` layers and activations
in and out of ``.safetensors`` files, read and written with the ``safetensors`` package's NumPy
API (no PyTorch, no pickle: the file is an array table behind a JSON header).

Layout, as ``torch.save_file(model.state_dict())`` writes it for
``nn.Sequential(nn.Linear(N_0, N_1), act, nn.Linear(N_1, N_2), act, …)``: keys ``"0.weight"``
(N_1, N_0), ``"0.bias"`` (N_1,), ``"2.weight"``, ``"2.bias"``, … — the Linear layers sit at the
even indices 0, 2, 4, … because every activation module (parameter-free) takes the index
between them.  PyTorch's weight has our orientation: row j holds the weights into neuron j, so
``W[l] = state["{2l}.weight"]`` and ``b[l] = state["{2l}.bias"]`` with no transposing.

Reading refuses, naming the key: any other tensor, a missing weight or bias, an index out of that
pattern, a shape that does not chain with the previous layer, non-float or non-finite values, and
files over ``MAX_FILE_BYTES``.  Writing stores float64 (exact) plus metadata naming the activations
and loss, and ``sequential_snippet`` prints the PyTorch code that loads it.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .activations import get_activation
from .atomic import atomic_path
from .config import RunConfig
from .losses import get_loss
from .network import MAX_PARAMS, Network, _check_sizes

MAX_FILE_BYTES = 8 * MAX_PARAMS + 2**20     # float64 weights of the largest network, plus the header
METADATA_KEY = "backprop_lens"
_KEY = re.compile(r"^(\d+)\.(weight|bias)$")

# The PyTorch equivalents are properties of each activation (``torch_module``) and loss (``torch_loss``,
# and ``torch_fused`` for a loss fused with its output activation).


class BridgeError(ValueError):
    """A weights file that cannot be imported, or a network that cannot be exported; says why."""


@dataclass
class ImportedWeights:
    sizes: list
    W: list                 # float64 copies, W[l] shape (N_{l+1}, N_l)
    b: list
    metadata: dict          # what an exporting Backprop Lens wrote (activations, loss), else {}


def read_weights(path) -> ImportedWeights:
    """The Linear layers of a ``.safetensors`` state dict; BridgeError naming the key otherwise."""
    from safetensors import SafetensorError, safe_open

    name = Path(path).name
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise BridgeError(f"cannot read {name}: {e.strerror or e}") from None
    if size > MAX_FILE_BYTES:
        raise BridgeError(f"{name} is {size:,} bytes; weights files up to {MAX_FILE_BYTES:,} bytes are read")
    try:
        with safe_open(str(path), framework="numpy", backend="pread") as f:
            keys, meta = list(f.keys()), f.metadata() or {}
            layers = _layer_keys(keys, name)
            tensors = {}
            for key in (k for pair in layers for k in pair):
                sl = f.get_slice(key)
                dtype, shape = sl.get_dtype(), sl.get_shape()
                if dtype not in ("F16", "F32", "F64"):
                    raise BridgeError(f"{name}: tensor {key!r} has dtype {dtype}; float16, float32 or float64 "
                                      f"weights are read (save with model.float() or model.double())")
                if len(shape) != (2 if key.endswith("weight") else 1):
                    raise BridgeError(f"{name}: tensor {key!r} has shape {tuple(shape)}; a Linear layer's weight "
                                      f"is (out_features, in_features) and its bias (out_features,)")
                tensors[key] = np.array(f.get_tensor(key), dtype=np.float64)
    except SafetensorError as e:
        raise BridgeError(f"{name} is not a readable safetensors file: {e}") from None
    except OSError as e:
        raise BridgeError(f"cannot read {name}: {e.strerror or e}") from None
    W, b = [], []
    for l, (wk, bk) in enumerate(layers):
        w, v = tensors[wk], tensors[bk]
        if v.shape != (w.shape[0],):
            raise BridgeError(f"{name}: {bk!r} has shape {v.shape}, but {wk!r} has {w.shape[0]} output "
                              f"features, so the bias must have shape ({w.shape[0]},)")
        if l and w.shape[1] != W[-1].shape[0]:
            raise BridgeError(f"{name}: {wk!r} has {w.shape[1]} input features, but the layer before it "
                              f"({layers[l - 1][0]!r}) has {W[-1].shape[0]} outputs; the shapes do not chain")
        for key, arr in ((wk, w), (bk, v)):
            if not np.isfinite(arr).all():
                raise BridgeError(f"{name}: tensor {key!r} contains NaN or infinite values")
        W.append(w)
        b.append(v)
    sizes = [W[0].shape[1]] + [w.shape[0] for w in W]
    try:
        _check_sizes(sizes)
    except ValueError as e:
        raise BridgeError(f"{name}: {e}") from None
    try:
        ours = json.loads(meta.get(METADATA_KEY, "{}"))
    except ValueError:
        ours = {}
    return ImportedWeights(sizes, W, b, ours if isinstance(ours, dict) else {})


def _layer_keys(keys: list, name: str) -> list[tuple[str, str]]:
    """[("0.weight", "0.bias"), ("2.weight", "2.bias"), …] from a state dict's keys, checked."""
    if not keys:
        raise BridgeError(f"{name} holds no tensors")
    found: dict[int, set] = {}
    for key in keys:
        m = _KEY.match(key)
        if m is None:
            raise BridgeError(f"{name}: tensor {key!r} is not a Linear layer's weight or bias; only an "
                              f"nn.Sequential of Linear layers and parameter-free activations is imported "
                              f"(keys 0.weight, 0.bias, 2.weight, …)")
        found.setdefault(int(m.group(1)), set()).add(m.group(2))
    indices = sorted(found)
    for l, idx in enumerate(indices):
        if idx != 2 * l:
            raise BridgeError(f"{name}: tensor '{idx}.{sorted(found[idx])[-1]}' is at index {idx}, expected "
                              f"{2 * l}: Linear layers alternate with activations, at 0, 2, 4, …")
        for part in ("weight", "bias"):
            if part not in found[idx]:
                raise BridgeError(f"{name}: '{idx}.{part}' is missing (every Linear layer needs its weight and "
                                  f"its bias; bias=False layers are not supported)")
    return [(f"{i}.weight", f"{i}.bias") for i in indices]


def write_weights(path, net: Network) -> None:
    """``net``'s W and b as a PyTorch state dict in a ``.safetensors`` file (float64), atomically,
    with metadata naming the activations and the loss."""
    from safetensors.numpy import save

    tensors = {}
    for l, (W, b) in enumerate(zip(net.W, net.b)):
        tensors[f"{2 * l}.weight"] = np.ascontiguousarray(W, dtype=np.float64)
        tensors[f"{2 * l}.bias"] = np.ascontiguousarray(b, dtype=np.float64)
    meta = {METADATA_KEY: json.dumps({"sizes": net.sizes, "activation": net.activation,
                                      "output_activation": net.output_activation, "loss": net.loss.name})}
    data = save(tensors, metadata=meta)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


def sequential_snippet(net: Network, filename: str) -> str:
    """The PyTorch code that builds the same network and loads the exported weights."""
    hidden, output = net.activations[0].torch_module, net.activations[-1].torch_module
    lines = ["import torch", "from torch import nn", "from safetensors.torch import load_file", "",
             "model = nn.Sequential("]
    for l in range(net.L):
        act = output if l == net.L - 1 else hidden
        lines.append(f"    nn.Linear({net.sizes[l]}, {net.sizes[l + 1]}), {act},")
    lines += [").double()   # float64, as exported: the same numbers bit for bit",
              f"model.load_state_dict(load_file({filename!r}))",
              f"# the loss ({net.loss.title}), with out = model(x) and targets y:",
              f"# loss = {net.loss.torch_loss}"]
    if net.loss.torch_fused and net.loss.is_fused(net.activations[-1]):
        lines.append(f"# (or {net.loss.torch_fused})")
    return "\n".join(lines)


def check_names(activation: str, output_activation: str, loss: str, L: int) -> None:
    """BridgeError unless the names are ones the app knows and PyTorch has modules for."""
    try:
        get_activation(activation, hidden=L > 1)
        get_activation(output_activation)
        get_loss(loss)
    except ValueError as e:
        raise BridgeError(str(e)) from None


# Data sets to pair an imported network with, by (inputs, outputs), when none is named.
DEFAULT_DATA = {(2, 1): {"name": "xor", "exact": True, "outputs": 1, "test_fraction": 0.0},
                (2, 2): {"name": "moons"}, (2, 3): {"name": "blobs"}, (1, 1): {"name": "sine"},
                (4, 3): {"name": "iris", "standardize": True}, (64, 10): {"name": "digits"}}


def import_config(weights: ImportedWeights, activation: str | None = None, output_activation: str | None = None,
                  loss: str | None = None, dataset: dict | None = None, eta: float = 0.1) -> RunConfig:
    """A RunConfig that starts from the imported weights.  Names not given come from the file's
    metadata (a file this app exported); ``dataset`` defaults to a shipped data set of the right
    shape.  BridgeError saying what is missing or wrong."""
    meta, L = weights.metadata, len(weights.W)
    activation = activation or meta.get("activation")
    output_activation = output_activation or meta.get("output_activation") or activation
    loss = loss or meta.get("loss")
    if not activation or not loss:
        raise BridgeError("name the hidden activation and the loss (--activation, --loss): a PyTorch state dict "
                          "holds only the Linear layers' weights")
    check_names(activation, output_activation, loss, L)
    shape = (weights.sizes[0], weights.sizes[-1])
    if dataset is None:
        if shape not in DEFAULT_DATA:
            raise BridgeError(f"no shipped data set has {shape[0]} inputs and {shape[1]} outputs; name one "
                              f"(--dataset) or build the data in the app")
        dataset = dict(DEFAULT_DATA[shape])
    try:
        return RunConfig(sizes=weights.sizes, activation=activation, output_activation=output_activation, loss=loss,
                         eta=eta, dataset=dataset, W=[w.tolist() for w in weights.W],
                         b=[v.tolist() for v in weights.b]).validate()
    except ValueError as e:
        raise BridgeError(str(e)) from None
