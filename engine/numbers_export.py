"""Every number of the current micro-step, for students to check by hand or in their own code.

Keys use the book's numbering, layers 1..L (the code's index l is ℓ − 1): ``x``, ``y``, ``a0`` (= x)
… ``aL``, ``z1`` … ``zL``, ``sigma_prime1`` …, ``delta1`` …, ``W1`` …, ``b1`` …, ``dW1`` …, ``db1`` …,
``loss``, ``dC_da``; after the update also ``W_before1`` … / ``b_before1`` … (the weights the
example was computed with; ``W``/``b`` are then the updated ones).  Quantities not yet computed at
the micro-step are omitted.

The gradients follow the convention the window shows (``convention``, "column" or "row"), as a
hand-worked sheet in that convention has them: ``dW`` is δ aᵀ, shaped like W, with column vectors
and the Jacobian a ⊗ δ, shaped like Wᵀ, with row vectors; the gradient vectors δ, ∂C/∂b, ∂C/∂a are
written down one column or along one row (a CSV file; in an .npz they are 1-D, which has no
orientation).  Every file says which: the .npz holds a key ``convention``, every CSV file starts
with a ``#`` line naming its quantity, shape and convention (``np.loadtxt`` skips it), and the
folder's README.txt spells the conventions out.  ``export_npz`` writes one .npz; ``export_csv`` a
folder of CSV files (full precision, ``%.17g``) and the README.txt; it never writes into a folder
holding someone else's files unless asked to.  Writes are atomic.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .notation import CONVENTIONS

_PER_LAYER = ("z", "a", "sigma_prime", "delta", "W", "b", "dW", "db", "W_before", "b_before")
_OUR_CSV = re.compile(r"^(x|y|loss|dC_da|eta|(?:%s)\d+)\.csv$" % "|".join(_PER_LAYER))
_GRADIENT_VECTORS = re.compile(r"^(delta\d+|db\d+|dC_da)$")


def _check_convention(convention: str) -> str:
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {', '.join(CONVENTIONS)}, got {convention!r}")
    return convention


def step_arrays(view, net, convention: str = "column") -> dict[str, np.ndarray]:
    """The known quantities of ``view`` (a StepView) by key, the gradients in ``convention``; see
    the module docstring."""
    _check_convention(convention)
    L = net.L
    out: dict[str, np.ndarray] = {"x": view.x, "y": view.y, "a0": view.a[0]}
    for l in range(L):
        k = l + 1
        dW = view.dW[l]
        if dW is not None and convention == "row":
            dW = dW.T                     # the Jacobian a ⊗ δ: shaped like Wᵀ
        for key, arr in (("z", view.z[l]), ("a", view.a[k]), ("sigma_prime", view.sigma_prime[l]),
                         ("delta", view.delta[l]), ("W", view.W[l]), ("b", view.b[l]),
                         ("dW", dW), ("db", view.db[l])):
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


def export_npz(path, view, net, convention: str = "column") -> list[str]:
    """Write the step's numbers to ``path`` (.npz), the gradients in ``convention``, which the key
    ``convention`` names; returns the keys written."""
    arrays = step_arrays(view, net, convention)
    arrays["convention"] = np.array(convention)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
    return sorted(arrays)


_MEANING = {"x": "the input x = a0", "y": "the target y", "loss": "the loss C", "eta": "the learning rate η",
            "dC_da": "dC/da^L", "z": "z^{l} = W^{l} a^{l-1} + b^{l}", "a": "a^{l} = σ(z^{l})",
            "sigma_prime": "σ′(z^{l})", "delta": "δ^{l} = dC/dz^{l}", "W": "W^{l} (row j: the weights into neuron j)",
            "b": "b^{l}", "db": "dC/db^{l} = δ^{l}", "W_before": "W^{l} before the update",
            "b_before": "b^{l} before the update"}


def _csv_header(key: str, arr: np.ndarray, convention: str) -> str:
    """The first line of a CSV file: its quantity, its shape as written and the convention."""
    name, layer = re.fullmatch(r"([A-Za-z_]+?)(\d*)", key).groups()
    l = int(layer) if layer else None
    if key == "a0":
        what = "a^0 = x, the input"
    elif name == "dW":
        what = (f"dC/dW^{l} = delta^{l} (a^{l - 1})^T, shaped like W^{l}" if convention == "column" else
                f"dC/dW^{l} = a^{l - 1} (x) delta^{l}, shaped like (W^{l})^T")
    else:
        what = _MEANING.get(name, name).replace("{l}", str(l)).replace("{l-1}", str(l - 1 if l else 0))
    shape = "x".join(str(n) for n in _as_written(key, arr, convention).shape) if arr.ndim else "a number"
    return f"{key}: {what}; {shape} as written; gradients in the {convention}-vector convention"


def _as_written(key: str, arr: np.ndarray, convention: str) -> np.ndarray:
    """The array as the CSV file lays it out: a gradient vector of one example along a row in the
    row-vector convention, every other vector down one column; matrices row by row."""
    if arr.ndim == 1 and convention == "row" and _GRADIENT_VECTORS.match(key):
        return arr.reshape(1, -1)
    return arr.reshape(-1, 1) if arr.ndim <= 1 else arr


def _readme(view, net, arrays: dict, missing: list[str], convention: str) -> str:
    step = view.step
    sizes = " → ".join(str(n) for n in net.sizes)
    if convention == "column":
        gradients = [
            "- Gradient convention: COLUMN vectors, as the app showed them when this was written.",
            "- delta^l = δ^l = ∂C/∂z^l;  dW^l = ∂C/∂W^l = δ^l (a^{l-1})ᵀ (outer product, shaped like W^l);  db^l = δ^l.",
            "  (The app's row-vector convention writes the same numbers transposed: ∂C/∂W^l = a^{l-1} ⊗ δ^l,",
            "  shaped like (W^l)ᵀ; choose it in the window, or export --convention row.)",
            "- Vectors are written as one column (one value per line); matrices row by row.",
        ]
    else:
        gradients = [
            "- Gradient convention: ROW vectors, as the app showed them when this was written.",
            "- delta^l = δ^l = ∂C/∂z^l, a 1×N row;  dW^l = ∂C/∂W^l = a^{l-1} ⊗ δ^l, the Jacobian of C with",
            "  respect to W^l: shaped like (W^l)ᵀ, row k, column j = a^{l-1}_k δ^l_j = ∂C/∂w^l_jk;  db^l = δ^l.",
            "  (The column-vector convention writes dW^l transposed, shaped like W^l; choose it in the window,",
            "  or export --convention column.)",
            "- The gradient vectors delta, db and dC_da are written along one row; every other vector as one",
            "  column (one value per line); matrices row by row.",
        ]
    lines = [
        README_TITLE,
        "=" * 44, "",
        f"Network: {sizes} (L = {net.L} weight layers), hidden σ = {net.activation}, "
        f"output σ = {net.output_activation}, loss = {net.loss.short_name} ({net.loss.name}), η = {view.eta:g}",
        f"Micro-step {step.index + 1} (counted as the banner does, 1 = the input): {step.banner_in(convention)}", "",
        "Conventions",
        "-----------",
        "- Layers are numbered as in the book, 1..L; a0 = x is the input.",
        "- W^l (file Wl.csv) has shape (N_l, N_{l-1}): row j holds the weights INTO neuron j of layer l,",
        "  so w^l_jk, the weight from neuron k of layer l-1 to neuron j of layer l, is on row j, column k",
        "  (neurons, rows and columns count from 1 as in the app; NumPy counts from 0: W[j-1, k-1]).",
        "- z^l = W^l a^{l-1} + b^l,  a^l = σ(z^l),  sigma_prime is σ′(z^l) elementwise",
        "  (for softmax: the diagonal of its Jacobian).",
        *gradients,
        "- For a batch every per-example array has one row per example and dW, db, loss are batch means.",
        "- Each CSV file starts with one line beginning with # that names its quantity, its shape and the",
        "  convention (numpy.loadtxt skips it; a spreadsheet shows it as the first row).",
        "- Numbers are written with 17 significant digits, so they read back exactly.",
        "- After the update, W and b are the updated weights; W_before, b_before those the example used.",
        "", "Files", "-----",
    ]
    lines += [f"- {k}.csv  shape {arrays[k].shape}" for k in sorted(arrays)]
    lines += ["", "Not yet computed at this micro-step (omitted)", "-" * 44]
    lines += [f"- {k}" for k in missing] or ["- nothing: every quantity is known"]
    return "\n".join(lines) + "\n"


README_TITLE = "Backprop Lens: the numbers of one micro-step"


class FolderNotEmpty(ValueError):
    """The export folder holds files; nothing was written (pass ``force=True`` to write anyway)."""


def export_csv(directory, view, net, force: bool = False, convention: str = "column") -> list[Path]:
    """Write one CSV per quantity plus README.txt into ``directory`` (created if needed), the
    gradients in ``convention``.

    A folder that already holds files is refused (FolderNotEmpty) unless ``force``; then the files
    of this step replace their namesakes, and only CSV files that an earlier export listed in its
    own README.txt are removed (so the folder never mixes steps): nothing else is ever deleted."""
    d = Path(directory)
    if d.exists() and not d.is_dir():
        raise ValueError(f"{d} exists and is not a folder")
    if d.is_dir() and any(d.iterdir()) and not force:
        raise FolderNotEmpty(f"the folder {d} is not empty; choose a new or empty folder "
                             "(or --force to write into it)")
    arrays, missing = step_arrays(view, net, convention), missing_keys(view, net)
    d.mkdir(parents=True, exist_ok=True)
    earlier = _exported_before(d)
    written = []
    for key, arr in arrays.items():
        target = d / f"{key}.csv"
        with atomic_path(target) as tmp:
            np.savetxt(tmp, _as_written(key, arr, convention), delimiter=",", fmt="%.17g",
                       header=_csv_header(key, arr, convention), encoding="utf-8")
        written.append(target)
    for name in earlier - {p.name for p in written}:
        (d / name).unlink(missing_ok=True)
    readme = d / "README.txt"
    with atomic_path(readme) as tmp:
        tmp.write_text(_readme(view, net, arrays, missing, convention), encoding="utf-8")
    return written + [readme]


def _exported_before(d: Path) -> set[str]:
    """The CSV files an earlier export into ``d`` wrote, as its README.txt lists them (none if the
    README is not one of ours)."""
    try:
        text = (d / "README.txt").read_text(encoding="utf-8")[:1_000_000]
    except (OSError, UnicodeDecodeError):
        return set()
    if not text.startswith(README_TITLE):
        return set()
    names = {m.group(1) for m in re.finditer(r"^- (\S+\.csv)  shape ", text, re.MULTILINE)}
    return {n for n in names if _OUR_CSV.match(n)}
