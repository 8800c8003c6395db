"""Session files: a whole teaching state in one ZIP that reopens to bit-identical numbers.

Layout (``.bplens``, a ZIP archive):

- ``manifest.json``: ``{"format": "backprop-lens-session", "version": 1, "runs": {"main": …,
  "compare": … or null}, "compare_label", "view_settings"}``.  Each run holds its RunConfig
  (``to_dict``; the data set is its generator spec, or for custom data the spec with X and Y moved
  to the arrays), the current example, the stepper's micro-step and the trainer's state with every
  array replaced by ``{"$array": "a17"}``.
- ``arrays.npz``: those arrays (weights, initial weights, optimizer state, history, checkpoints,
  custom data), read back with ``np.load(allow_pickle=False)``: nothing is ever executed.

Reading checks everything and raises ``SessionFileError`` (a ValueError) saying what is wrong;
writing is atomic (temporary file in the same folder, fsync, ``os.replace``).
"""
from __future__ import annotations

import io
import json
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .run import Run
from .session_read import FORMAT, VERSION, SessionFileError, _build_run, _read_archive

SUFFIX = ".bplens"
MAX_UNCOMPRESSED = 200_000_000      # bytes, all entries together (zip-bomb guard)

__all__ = ["save_session", "load_session", "LoadedSession", "SessionFileError", "atomic_path",
           "FORMAT", "VERSION", "SUFFIX", "MAX_UNCOMPRESSED"]


@dataclass
class LoadedSession:
    run: Run
    compare: Run | None
    compare_label: str
    view_settings: dict



# ------------------------------------------------------------------------------ saving
class _Arrays:
    """Collects arrays while flattening nested state into JSON-safe values."""

    def __init__(self):
        self.arrays: dict[str, np.ndarray] = {}

    def put(self, a) -> dict:
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.ascontiguousarray(a)
        return {"$array": key}

    def flatten(self, v):
        if isinstance(v, np.ndarray):
            return self.put(v)
        if isinstance(v, dict):
            return {str(k): self.flatten(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [self.flatten(x) for x in v]
        if isinstance(v, np.generic):
            return v.item()
        return v


def _run_entry(run: Run, store: _Arrays) -> dict:
    config = run.config.to_dict()
    data = dict(config["dataset"])
    if data.get("name") == "custom":       # the data itself goes to the arrays, exactly
        for key in ("X", "Y"):
            data[key] = store.put(np.asarray(data[key], dtype=np.float64))
        if data.get("labels") is not None:
            data["labels"] = store.put(np.asarray(data["labels"], dtype=np.int64))
    config["dataset"] = data
    W0, b0 = run.initial_params
    stepper = run.stepper
    entry = {"config": config, "sample": int(run.example_index), "micro_step": int(stepper.index),
             "updated": bool(stepper.updated),
             "initial_W": [store.put(w) for w in W0], "initial_b": [store.put(b) for b in b0],
             "trainer": store.flatten(run.trainer.state_dict())}
    if stepper.updated:                    # the weights the current example was computed with
        entry["stepper_W"] = [store.put(w) for w in stepper.W_before]
        entry["stepper_b"] = [store.put(b) for b in stepper.b_before]
    return entry


def save_session(path, run: Run, compare: Run | None = None, compare_label: str = "",
                 view_settings: dict | None = None) -> None:
    """Write ``run`` (and the comparison run) to ``path`` atomically."""
    store = _Arrays()
    manifest = {"format": FORMAT, "version": VERSION,
                "runs": {"main": _run_entry(run, store),
                         "compare": None if compare is None else _run_entry(compare, store)},
                "compare_label": str(compare_label or ""),
                "view_settings": dict(view_settings or {})}
    text = json.dumps(manifest, allow_nan=True, indent=1)
    buf = io.BytesIO()
    np.savez(buf, **store.arrays)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("manifest.json", text)
                zf.writestr("arrays.npz", buf.getvalue())
            f.flush()
            os.fsync(f.fileno())


def load_session(path) -> LoadedSession:
    """Read a session file; SessionFileError (a ValueError) saying what is wrong otherwise."""
    name = Path(path).name
    manifest, arrays = _read_archive(path)
    runs = manifest["runs"]
    run = _build_run(runs["main"], arrays, "main", name)
    compare = None
    if runs.get("compare") is not None:
        if not isinstance(runs["compare"], dict):
            raise SessionFileError(f"{name}: the comparison run must be an object")
        compare = _build_run(runs["compare"], arrays, "comparison", name)
    label, views = manifest.get("compare_label", ""), manifest.get("view_settings", {})
    if not isinstance(label, str):
        raise SessionFileError(f"{name}: compare_label must be a string")
    if not isinstance(views, dict):
        raise SessionFileError(f"{name}: view_settings must be an object")
    views = {k: v for k, v in views.items()
             if isinstance(v, (str, bool, int)) or (isinstance(v, float) and math.isfinite(v))}
    return LoadedSession(run, compare, label, views)
