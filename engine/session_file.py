"""Writing session files: a whole teaching state in one file that reopens to bit-identical numbers.

The format (a safetensors file whose metadata holds the JSON manifest; every field declared once
with its range) is described in engine/session_format.py, reading in engine/session_read.py.
Each run's entry holds its RunConfig (``to_dict``; the data set is its generator spec, or for
custom data the spec with X, Y and labels moved to the arrays), the current example, the stepper's
micro-step and the trainer's state with every array replaced by ``{"$array": NAME}``.

Writing is atomic (engine/atomic.py), and refuses what reading would refuse: a session whose
arrays exceed ``MAX_SESSION_BYTES`` is not written (the app's own limits keep it below; the test
suite saves at every limit and reopens).
"""
from __future__ import annotations

import json

import numpy as np
from safetensors.numpy import save_file

from . import session_format as fmt
from .atomic import atomic_path
from .run import Run
from .session_format import FORMAT, SUFFIX, VERSION, SessionFileError

__all__ = ["save_session", "SUFFIX"]


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
    entry = {"config": config, "example": int(run.example_index), "micro_step": int(stepper.index),
             "updated": bool(stepper.updated),
             "initial_W": [store.put(w) for w in W0], "initial_b": [store.put(b) for b in b0],
             "trainer": store.flatten(run.trainer.state_dict())}
    if stepper.updated:                    # the weights the current example was computed with
        entry["stepper_W"] = [store.put(w) for w in stepper.W_before]
        entry["stepper_b"] = [store.put(b) for b in stepper.b_before]
    return entry


def save_session(path, run: Run, compare: Run | None = None, compare_label: str = "",
                 view_settings: dict | None = None) -> None:
    """Write ``run`` (and the comparison run) to ``path`` atomically; SessionFileError if the
    session is larger than a session file may be."""
    store = _Arrays()
    manifest = {"runs": {"main": _run_entry(run, store),
                         "compare": None if compare is None else _run_entry(compare, store)},
                "compare_label": str(compare_label or ""),
                "view_settings": dict(view_settings or {})}
    try:
        text = json.dumps(manifest, allow_nan=False, separators=(",", ":"))
    except ValueError as e:
        raise SessionFileError(f"the session holds a value a file cannot (NaN or infinite): {e}") from None
    used = fmt.resolved_bytes(manifest, store.arrays)
    if used > fmt.MAX_SESSION_BYTES or len(text) > fmt.MAX_MANIFEST_BYTES:
        raise SessionFileError(f"this session is too large to save: its arrays take {used:,} bytes (at most "
                               f"{fmt.MAX_SESSION_BYTES:,}) and its description {len(text):,} (at most "
                               f"{fmt.MAX_MANIFEST_BYTES:,})")
    metadata = {"format": FORMAT, "version": str(VERSION), "manifest": text}
    with atomic_path(path) as tmp:
        save_file(store.arrays, str(tmp), metadata=metadata)
