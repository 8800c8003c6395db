"""Shared test helpers: central finite differences (independent of the engine's own gradient check)
and the checks that compare what a widget draws with the engine's numbers."""
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def fd_grad(f, theta: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂theta by central differences; theta is perturbed in place and restored."""
    g = np.zeros_like(theta)
    flat, gflat = theta.reshape(-1), g.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        up = f()
        flat[k] = old - eps
        down = f()
        flat[k] = old
        gflat[k] = (up - down) / (2 * eps)
    return g


def same_arrays(drawn, engine, what: str = "arrays"):
    """Per layer: both None, or equal arrays (a None entry is a layer with no such array)."""
    assert len(drawn) == len(engine), what
    for n, (d, e) in enumerate(zip(drawn, engine)):
        assert (d is None) == (e is None), f"{what}[{n}]: drawn {d!r}, engine {e!r}"
        if e is not None:
            np.testing.assert_array_equal(np.asarray(d, dtype=float), np.asarray(e, dtype=float), err_msg=f"{what}[{n}]")


def engine_value(view, name: str):
    """The engine's value for a derivation block's number named ``name`` (see gui/derivation)."""
    W0, b0, W1, b1 = view.W_before, view.b_before, view.W, view.b
    pick = lambda seq, k: seq[int(k) - 1]
    rules = [
        (r"a\^(\d+)", lambda k: view.a[int(k)]),
        (r"a\^(\d+)_(\d+)", lambda k, j: view.a[int(k)][int(j) - 1]),
        (r"\|a\^0\|", lambda: np.linalg.norm(view.x)),
        (r"z\^(\d+)", lambda k: pick(view.z, k)),
        (r"z\^(\d+)_(\d+)", lambda k, j: pick(view.z, k)[int(j) - 1]),
        (r"W\^(\d+)", lambda k: pick(W0, k)),
        (r"\(W\^(\d+)\)\^T", lambda k: pick(W0, k).T),
        (r"W\^(\d+) new", lambda k: pick(W1, k)),
        (r"b\^(\d+)", lambda k: pick(b0, k)),
        (r"b\^(\d+)_(\d+)", lambda k, j: pick(b0, k)[int(j) - 1]),
        (r"b\^(\d+) new", lambda k: pick(b1, k)),
        (r"sigma'\(z\^(\d+)\)", lambda k: pick(view.sigma_prime, k)),
        (r"diag sigma'\(z\^(\d+)\)", lambda k: np.diag(pick(view.sigma_prime, k))),
        (r"delta\^(\d+)", lambda k: pick(view.delta, k)),
        (r"delta\^(\d+)_(\d+)", lambda k, j: pick(view.delta, k)[int(j) - 1]),
        (r"dC/dW\^(\d+)", lambda k: pick(view.grads.dW, k)),
        (r"\(dC/dW\^(\d+)\)", lambda k: pick(view.grads.dW, k).T),
        (r"dC/db\^(\d+)", lambda k: pick(view.grads.db, k)),
        (r"dC/da\^(\d+)", lambda k: view.dC_da),
        (r"dW\^(\d+)", lambda k: pick(W1, k) - pick(W0, k)),
        (r"db\^(\d+)", lambda k: pick(b1, k) - pick(b0, k)),
        (r"y", lambda: view.y),
        (r"y_(\d+)", lambda j: view.y[int(j) - 1]),
        (r"C", lambda: view.loss),
    ]
    for pattern, value in rules:
        m = re.fullmatch(pattern, name)
        if m:
            return value(*m.groups())
    raise AssertionError(f"the test does not know the derivation number {name!r}")


def expected_banner(session) -> str:
    """The micro-step's banner, its equation in the session's gradient convention."""
    step = session.view.step
    banner_in = getattr(step, "banner_in", None)
    return banner_in(session.settings.convention) if banner_in else step.banner


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    """run_cli in a fresh interpreter, headless (as `python -m gui` will run it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    code = f"from gui.cli.parse import run_cli; raise SystemExit(run_cli({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def diverge(session):
    """Make ``session`` diverge: a linear net on sin with η = 1000."""
    session.apply_config(dict(sizes=[1, 8, 1], activation="linear", output_activation="linear", loss="mse",
                              eta=1000.0, batch_size=16, dataset={"name": "sin"}))
    with np.errstate(all="ignore"):
        session.train_steps(50)
    assert session.divergence is not None
