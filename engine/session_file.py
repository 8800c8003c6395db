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
import struct
from dataclasses import dataclass

import numpy as np

from . import session_format as fmt
from .atomic import atomic_path
from .run import Run
from .session_format import FORMAT, SUFFIX, VERSION, SessionFileError

__all__ = ["save_session", "snapshot", "write_snapshot", "Snapshot", "SUFFIX"]

WRITE_CHUNK_BYTES = 4 * 2**20          # arrays are written in parts of this size (progress, Cancel)
# safetensors' names of the dtypes a session holds ((kind, itemsize) → name), and the library's
# order of them in a file (its dtype enumeration, descending)
_ST_DTYPES = {("f", 8): "F64", ("f", 4): "F32", ("i", 8): "I64", ("i", 4): "I32", ("b", 1): "BOOL"}
_WRITE_ORDER = {"I64": 0, "F64": 1, "F32": 2, "I32": 3, "BOOL": 4}


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


@dataclass(frozen=True)
class Snapshot:
    """A session ready to be written: the safetensors metadata (the manifest's JSON among it) and
    the arrays, copies of everything that training or stepping changes in place (the state dicts
    copy them), so it can be written in another thread while the window goes on."""
    metadata: dict
    arrays: dict

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.arrays.values())


def snapshot(run: Run, compare: Run | None = None, compare_label: str = "",
             view_settings: dict | None = None) -> Snapshot:
    """What ``save_session`` writes; SessionFileError if the session is larger than a session file
    may be (checked before anything is written)."""
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
    return Snapshot({"format": FORMAT, "version": str(VERSION), "manifest": text}, store.arrays)


def write_snapshot(path, snap: Snapshot, progress=None) -> None:
    """Write ``snap`` to ``path`` atomically as a safetensors file, the arrays in parts of
    WRITE_CHUNK_BYTES; ``progress(done, total)``, if given, is called after each part (bytes of the
    file written); an exception it raises (a cancellation) stops the writing, and the temporary
    file is removed: ``path`` is as it was.

    The layout is the safetensors library's (``safetensors.numpy.save_file``): an 8-byte
    little-endian header length, the JSON header (``__metadata__``, then each array's dtype, shape
    and byte range, in the order the library uses: wider types first, then by name), padded with
    spaces to a multiple of 8, then the arrays' bytes, little-endian, back to back.  The library
    writes a file in one call; this writes it in parts so that the work can report and stop."""
    arrays = {k: np.ascontiguousarray(a, a.dtype.newbyteorder("<")) for k, a in snap.arrays.items()}
    order = sorted(arrays, key=lambda k: (_WRITE_ORDER[_ST_DTYPES[arrays[k].dtype.kind, arrays[k].itemsize]], k))
    header, offset = {"__metadata__": snap.metadata}, 0
    for key in order:
        a = arrays[key]
        header[key] = {"dtype": _ST_DTYPES[a.dtype.kind, a.itemsize], "shape": list(a.shape),
                       "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-len(text) % 8)
    total = 8 + len(text) + offset
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        done = 8 + len(text)
        for key in order:
            data = memoryview(arrays[key].reshape(-1).view(np.uint8))
            for k in range(0, len(data), WRITE_CHUNK_BYTES):
                f.write(data[k:k + WRITE_CHUNK_BYTES])
                done += len(data[k:k + WRITE_CHUNK_BYTES])
                if progress is not None:
                    progress(done, total)


def save_session(path, run: Run, compare: Run | None = None, compare_label: str = "",
                 view_settings: dict | None = None, progress=None) -> None:
    """Write ``run`` (and the comparison run) to ``path`` atomically; SessionFileError if the
    session is larger than a session file may be.  ``progress`` as ``write_snapshot``'s."""
    write_snapshot(path, snapshot(run, compare, compare_label, view_settings), progress)
