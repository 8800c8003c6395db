"""µs per training step (forward + backward + SGD update, everything recorded) of the engine,
beside a bare NumPy loop of the same maths, and PyTorch CPU when it is installed.

    .venv/bin/python benchmarks/engine_step.py

Target: engine / bare NumPy ≤ 1.5 at every shape; engine faster than PyTorch at the two small ones.
Every candidate runs single-threaded (BLAS and OpenMP pools set to one thread before NumPy loads):
with torch loaded, OpenBLAS's and torch's thread pools otherwise fight over the two cores and the
bare NumPy loop itself slows several-fold.
"""
from __future__ import annotations

import os
import sys

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import per_call_us  # noqa: E402
from engine import Network  # noqa: E402

SHAPES = [([2, 2, 2], 1), ([2, 8, 8, 1], 10), ([784, 128, 10], 64)]
ETA = 0.01


def bare_numpy_step(Ws, bs, x, y, eta):
    """The same maths with nothing recorded beyond what the loop needs: sigmoid layers, ½SSE."""
    acts, zs = [x], []
    a = x
    for W, b in zip(Ws, bs):
        z = a @ W.T + b
        a = 0.5 + 0.5 * np.tanh(0.5 * z)
        zs.append(z)
        acts.append(a)
    loss = float(np.mean(0.5 * ((a - y) ** 2).sum(axis=-1)))
    delta = (a - y) * a * (1 - a)
    batched = x.ndim == 2
    for l in range(len(Ws) - 1, -1, -1):
        if batched:
            dW, db = delta.T @ acts[l] / x.shape[0], delta.mean(axis=0)
        else:
            dW, db = np.outer(delta, acts[l]), delta
        if l:
            delta = (delta @ Ws[l]) * acts[l] * (1 - acts[l])
        Ws[l] -= eta * dW
        bs[l] -= eta * db
    return loss


def torch_step_fn(sizes, x, y):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    layers = [torch.nn.Linear(n, m, dtype=torch.float64) for n, m in zip(sizes[:-1], sizes[1:])]
    params = [p for layer in layers for p in layer.parameters()]
    opt = torch.optim.SGD(params, lr=ETA)
    xt, yt = torch.tensor(x), torch.tensor(y)

    def step():
        a = xt
        for layer in layers:
            a = torch.sigmoid(layer(a))
        loss = 0.5 * ((a - yt) ** 2).sum(dim=-1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def main() -> list[dict]:
    rows = []
    for sizes, batch in SHAPES:
        rng = np.random.default_rng(0)
        x = rng.random((batch, sizes[0])) if batch > 1 else rng.random(sizes[0])
        y = rng.random((batch, sizes[-1])) if batch > 1 else rng.random(sizes[-1])
        net = Network(sizes, activation="sigmoid", loss="half_sse", seed=0)
        Ws, bs = net.get_params()

        def engine_step():
            grads = net.backward(net.forward(x), y)
            net.sgd_step(grads, ETA)

        fns = {"engine": engine_step, "numpy": lambda: bare_numpy_step(Ws, bs, x, y, ETA)}
        torch_fn = torch_step_fn(sizes, x, y)
        if torch_fn:
            fns["torch"] = torch_fn
        us = per_call_us(fns)
        row = {"shape": "-".join(map(str, sizes)), "batch": batch, **us, "ratio": us["engine"] / us["numpy"]}
        rows.append(row)
        torch_txt = (f"  torch {us['torch']:9.1f} µs  engine/torch {us['engine'] / us['torch']:.2f}"
                     if "torch" in us else "  torch: not installed")
        print(f"{row['shape']:>12} b{batch:<3} engine {us['engine']:9.1f} µs  bare numpy {us['numpy']:9.1f} µs  "
              f"ratio {row['ratio']:.2f} (target ≤ 1.5){torch_txt}", flush=True)
    return rows


if __name__ == "__main__":
    main()
