"""Every number of the current micro-step, for students to check by hand or in their own code.

Keys use the book's numbering, layers 1..L (the code's index l is ℓ − 1): ``x``, ``y``, ``a0`` (= x)
… ``aL``, ``z1`` … ``zL``, ``sigma_prime1`` …, ``delta1`` …, ``W1`` …, ``b1`` …, ``dW1`` …, ``db1`` …,
``loss``, ``dC_da``; after the update also ``W_before1`` … / ``b_before1`` … (the weights the
example was computed with; ``W``/``b`` are then the updated ones).  Quantities not yet computed at
the micro-step are omitted.  ``export_npz`` writes one .npz; ``export_csv`` a folder of CSV files
(full precision, ``%.17g``) and a README.txt naming the conventions.  Writes are atomic.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .atomic import atomic_path

_PER_LAYER = ("z", "a", "sigma_prime", "delta", "W", "b", "dW", "db", "W_before", "b_before")
_OUR_CSV = re.compile(r"^(x|y|loss|dC_da|eta|(?:%s)\d+)\.csv$" % "|".join(_PER_LAYER))


def step_arrays(view, net) -> dict[str, np.ndarray]:
    """The known quantities of ``view`` (a StepView) by key; see the module docstring."""
    L = net.L
    out: dict[str, np.ndarray] = {"x": view.x, "y": view.y, "a0": view.a[0]}
    for l in range(L):
        k = l + 1
        for key, arr in (("z", view.z[l]), ("a", view.a[k]), ("sigma_prime", view.sigma_prime[l]),
                         ("delta", view.delta[l]), ("W", view.W[l]), ("b", view.b[l]),
                         ("dW", view.dW[l]), ("db", view.db[l])):
            if arr is not None:
                out[f"{key}{k}"] = arr
        if view.updated:
            out[f"W_before{k}"], out[f"b_before{k}"] = view.W_before[l], view.b_before[l]
    if view.loss is not None:
        out["loss"] = np.array(view.loss, dtype=np.float64)
        out["dC_da"] = view.dC_da
    out["eta"] = np.array(view.eta, dtype=np.float64)
    return {k: np.array(v, dtype=np.float64) for k, v in out.items()}


def missing_keys(view, net) -> list[str]:
    """Keys that exist once the whole step is computed but are not known yet at ``view``."""
    L, have = net.L, step_arrays(view, net)
    full = ["loss", "dC_da"] + [f"{q}{l}" for q in ("z", "a", "sigma_prime", "delta", "dW", "db")
                                for l in range(1, L + 1)]
    return [k for k in full if k not in have]


def export_npz(path, view, net) -> list[str]:
    """Write the step's numbers to ``path`` (.npz); returns the keys written."""
    arrays = step_arrays(view, net)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
    return sorted(arrays)


def _readme(view, net, arrays: dict, missing: list[str]) -> str:
    step = view.step
    sizes = " → ".join(str(n) for n in net.sizes)
    lines = [
        "Backprop Lens: the numbers of one micro-step",
        "=" * 44, "",
        f"Network: {sizes} (L = {net.L} weight layers), hidden σ = {net.activation}, "
        f"output σ = {net.output_activation}, loss = {net.loss.name}, η = {view.eta:g}",
        f"Micro-step {step.index}: {step.banner}", "",
        "Conventions",
        "-----------",
        "- Layers are numbered as in the book, 1..L; a0 = x is the input.",
        "- W^l (file Wl.csv) has shape (N_l, N_{l-1}): row j holds the weights INTO neuron j of layer l,",
        "  so W^l[j, k] is the weight from neuron k of layer l-1 to neuron j of layer l.",
        "- z^l = W^l a^{l-1} + b^l,  a^l = σ(z^l),  sigma_prime is σ′(z^l) elementwise",
        "  (for softmax: the diagonal of its Jacobian).",
        "- delta^l = δ^l = ∂C/∂z^l;  dW^l = ∂C/∂W^l = δ^l (a^{l-1})ᵀ (outer product, shaped like W^l);  db^l = δ^l.",
        "  (The app's row-vector layout shows the same numbers transposed: ∂C/∂W^l = a^{l-1} ⊗ δ^l, shaped like (W^l)ᵀ.)",
        "- For a batch every per-example array has one row per example and dW, db, loss are batch means.",
        "- Vectors are written as one column (one value per line); matrices row by row.",
        "- Numbers are written with 17 significant digits, so they read back exactly.",
        "- After the update, W and b are the updated weights; W_before, b_before those the example used.",
        "", "Files", "-----",
    ]
    lines += [f"- {k}.csv  shape {arrays[k].shape}" for k in sorted(arrays)]
    lines += ["", "Not yet computed at this micro-step (omitted)", "-" * 44]
    lines += [f"- {k}" for k in missing] or ["- nothing: every quantity is known"]
    return "\n".join(lines) + "\n"


def export_csv(directory, view, net) -> list[Path]:
    """Write one CSV per quantity plus README.txt into ``directory`` (created if needed).  Earlier
    exports' CSV files of quantities not known now are removed, so the folder never mixes steps."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    arrays, missing = step_arrays(view, net), missing_keys(view, net)
    written = []
    for key, arr in arrays.items():
        target = d / f"{key}.csv"
        with atomic_path(target) as tmp:
            data = arr.reshape(-1, 1) if arr.ndim <= 1 else arr
            np.savetxt(tmp, data, delimiter=",", fmt="%.17g")
        written.append(target)
    names = {p.name for p in written}
    for old in d.iterdir():
        if _OUR_CSV.match(old.name) and old.name not in names:
            old.unlink()
    readme = d / "README.txt"
    with atomic_path(readme) as tmp:
        tmp.write_text(_readme(view, net, arrays, missing), encoding="utf-8")
    return written + [readme]
