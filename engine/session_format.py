"""The session file format: its limits and the declared, range-checked fields of its manifest.

A session file (``.bplens``, version 2) is one safetensors file: an 8-byte header length, a JSON
header that states every array's dtype, shape and exact byte offsets, then the raw array bytes.
Nothing is compressed, so the size of everything a file can make us allocate is known from its
length before any array is read (no decompression bombs).  The header's ``__metadata__`` holds
``format``, ``version`` and ``manifest``: a JSON text ``{"runs": {"main": RUN, "compare": RUN or
null}, "compare_label": str, "view_settings": {…}}`` in which every array is ``{"$array": NAME}``,
a reference to one of the file's arrays.

Every field of the manifest is declared once, below, with its type and range (``RUN`` is
``RUN_FIELDS``, the trainer's state ``TRAINER_FIELDS`` …); ``check`` walks a manifest against the
declaration, resolves the array references while counting their bytes against
``MAX_SESSION_BYTES`` (an array referred to twice is refused), and raises ``SessionFileError``
naming the field (``runs.main.trainer.step_count must be …``).  Adding a field to the file is one
entry here: ``"dropout": Field(Real(0, 1), default=0.0)`` (the default is what older files mean); a
renamed field names its older names (``renamed(Whole(0, 10**9), "sample")``: files written before
"sample" became "example" still open).
Two parts are checked by their owners instead: a run's ``config`` by ``RunConfig.validate`` (so
a new configuration field is declared once, there) and ``view_settings`` by the GUI's view-settings
declaration.  Both still arrive here bounded: their JSON is part of the manifest's byte limit, and
arrays inside ``config.dataset`` are resolved and counted like every other.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from .config import MAX_BATCH
from .history import History
from .dataset_type import MAX_VALUES
from .network import MAX_PARAMS, MAX_WIDTH
from .optim import MAX_ETA, OPTIMIZERS
from .trainer_state import MAX_CHECKPOINT_BYTES, MAX_CHECKPOINTS, MAX_RECORD_ITEMS, MAX_STEP

FORMAT = "backprop-lens-session"
VERSION = 2
SUFFIX = ".bplens"

MAX_SESSION_BYTES = 640 * 2**20   # the arrays of a file (what two runs at every limit need: worst_case_bytes)
MAX_MANIFEST_BYTES = 16 * 2**20   # the manifest's JSON text
MAX_LIST = 1 << 20                # any list in the manifest that is not an array
MAX_TEXT = 10_000                 # characters in any string field


class SessionFileError(ValueError):
    """A session file could not be read or written; the message says what is wrong."""


# ------------------------------------------------------------------------------ field types
class Spec:
    """One declared field type: ``check(value, path, ctx)`` returns the value (arrays resolved)
    or raises SessionFileError naming ``path``."""

    def check(self, value, path: str, ctx: "Context"):
        raise NotImplementedError


def _refuse(path: str, rule: str, value) -> SessionFileError:
    shown = repr(value)
    return SessionFileError(f"{path} must be {rule}, got {shown[:80] + '…' if len(shown) > 80 else shown}")


@dataclass(frozen=True)
class Whole(Spec):
    lo: int
    hi: int

    def check(self, v, path, ctx):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not self.lo <= v <= self.hi:
            raise _refuse(path, f"a whole number from {self.lo:,} to {self.hi:,}", v)
        return int(v)


@dataclass(frozen=True)
class Real(Spec):
    """A finite number with lo ≤ v ≤ hi (``lo_open``: lo < v)."""
    lo: float
    hi: float
    lo_open: bool = False

    def check(self, v, path, ctx):
        ok = not isinstance(v, bool) and isinstance(v, numbers.Real) and math.isfinite(v) \
            and (self.lo < v if self.lo_open else self.lo <= v) and v <= self.hi
        if not ok:
            raise _refuse(path, f"a finite number {'>' if self.lo_open else '≥'} {self.lo:g} and ≤ {self.hi:g}", v)
        return float(v)


@dataclass(frozen=True)
class Flag(Spec):
    def check(self, v, path, ctx):
        if not isinstance(v, bool):
            raise _refuse(path, "true or false", v)
        return v


@dataclass(frozen=True)
class Text(Spec):
    choices: tuple = ()
    max_len: int = MAX_TEXT

    def check(self, v, path, ctx):
        if not isinstance(v, str) or len(v) > self.max_len or (self.choices and v not in self.choices):
            raise _refuse(path, f"one of {', '.join(self.choices)}" if self.choices
                          else f"a string of at most {self.max_len:,} characters", v)
        return v


@dataclass(frozen=True)
class Maybe(Spec):
    spec: Spec

    def check(self, v, path, ctx):
        return None if v is None else self.spec.check(v, path, ctx)


@dataclass(frozen=True)
class ListOf(Spec):
    item: Spec
    max_len: int = MAX_LIST

    def check(self, v, path, ctx):
        if not isinstance(v, list) or len(v) > self.max_len:
            raise _refuse(path, f"a list of at most {self.max_len:,} items", f"<{type(v).__name__}>")
        return [self.item.check(x, f"{path}[{i}]", ctx) for i, x in enumerate(v)]


@dataclass(frozen=True)
class Array(Spec):
    """A reference ``{"$array": NAME}`` to an array of dtype kind in ``kinds`` (b bool, i int,
    f float), with ``ndim`` dimensions (None: any), finite unless ``finite`` is False."""
    kinds: str = "f"
    ndim: int | None = None
    finite: bool = True

    def check(self, v, path, ctx):
        a = ctx.resolve(v, path)
        if a.dtype.kind not in self.kinds or (self.ndim is not None and a.ndim != self.ndim):
            want = {"b": "booleans", "i": "integers", "f": "floats"}
            raise _refuse(path, f"a {self.ndim or 'n'}-D array of {' or '.join(want[k] for k in self.kinds)}",
                          f"{a.dtype} array of shape {a.shape}")
        if self.finite and a.dtype.kind == "f" and not np.isfinite(a).all():
            raise SessionFileError(f"{path} contains NaN or infinite values")
        return a


@dataclass(frozen=True)
class Field:
    """A declared field: its type, and for an optional one what its absence means.  ``formerly``:
    the names older files gave it (read as this field; the app writes only the current name)."""
    spec: Spec
    default: object = None
    required: bool = True
    formerly: tuple = ()


OMIT = object()      # an optional field's default meaning "leave it out" (its owner supplies the default)


def optional(spec: Spec, default=OMIT) -> Field:
    """A field older files may lack; ``default`` is what its absence means."""
    return Field(spec, default, required=False)


def renamed(spec: Spec, *formerly: str) -> Field:
    """A required field that older files wrote under another name (``formerly``)."""
    return Field(spec, formerly=formerly)


@dataclass(frozen=True)
class Record(Spec):
    """A JSON object with exactly the declared fields (unknown keys are refused)."""
    fields: dict

    def check(self, v, path, ctx):
        if not isinstance(v, dict):
            raise _refuse(path, "an object", f"<{type(v).__name__}>")
        formerly = {old: key for key, f in self.fields.items() if isinstance(f, Field) for old in f.formerly}
        unknown = sorted(set(v) - set(self.fields) - set(formerly))
        if unknown:
            raise SessionFileError(f"{path} has unknown field(s) {', '.join(map(str, unknown[:5]))}")
        out = {}
        for key, f in self.fields.items():
            spec = f.spec if isinstance(f, Field) else f
            names = [name for name in (key, *(f.formerly if isinstance(f, Field) else ())) if name in v]
            if len(names) > 1:
                raise SessionFileError(f"{path} has both {names[0]!r} and its older name {names[1]!r}")
            if names:
                out[key] = spec.check(v[names[0]], f"{path}.{names[0]}", ctx)
            elif isinstance(f, Field) and not f.required:
                if f.default is not OMIT:
                    out[key] = f.default
            else:
                raise SessionFileError(f"{path}.{key} is missing")
        return out


@dataclass(frozen=True)
class Json(Spec):
    """Plain JSON values checked by their owner (a run's configuration, the view settings), with
    arrays inside resolved and counted; only the depth is bounded here."""
    max_depth: int = 8

    def check(self, v, path, ctx, depth: int = 0):
        if depth > self.max_depth:
            raise SessionFileError(f"{path} is nested more than {self.max_depth} levels deep")
        if isinstance(v, dict):
            if set(v) == {"$array"}:
                return ctx.resolve(v, path)
            return {str(k): self.check(x, f"{path}.{k}", ctx, depth + 1) for k, x in v.items()}
        if isinstance(v, list):
            return [self.check(x, f"{path}[{i}]", ctx, depth + 1) for i, x in enumerate(v)]
        if isinstance(v, str) and len(v) > MAX_TEXT:
            raise _refuse(path, f"a string of at most {MAX_TEXT:,} characters", v)
        if isinstance(v, float) and not math.isfinite(v):
            raise _refuse(path, "a finite number", v)
        return v


@dataclass(frozen=True)
class OptimizerState(Spec):
    """An optimizer's ``state_dict``: its fields come from the optimizer registry (``hyper`` and
    ``buffers`` of the class named), each value is then checked by ``load_state_dict``."""

    def check(self, v, path, ctx):
        name = Record({"name": Text(tuple(OPTIMIZERS))}).check(
            {"name": v.get("name")} if isinstance(v, dict) else v, path, ctx)["name"]
        cls = OPTIMIZERS[name]
        fields = {"name": Text(tuple(OPTIMIZERS)), "eta": Real(0.0, MAX_ETA, lo_open=True), "t": Whole(0, MAX_STEP),
                  **{k: Real(-1.0, 1.0) for k in cls.hyper},
                  **{f"{buf}_{p}": ListOf(Array("f"), MAX_LAYERS) for buf in cls.buffers for p in "Wb"}}
        return Record(fields).check(v, path, ctx)


# ------------------------------------------------------------------------------ the manifest
MAX_LAYERS = 64
_COUNT = Whole(0, MAX_STEP)
_PARAMS = ListOf(Array("f", None), MAX_LAYERS)

CHECKPOINT_FIELDS = {
    "step": _COUNT, "epoch": _COUNT, "pos": Whole(0, 10**9), "loss_sum": Real(-1e308, 1e308),
    "loss_n": _COUNT, "nbytes": Whole(0, 2**40), "W": _PARAMS, "b": _PARAMS, "optimizer": OptimizerState(),
}

HISTORY_FIELDS = {
    "max_steps": Whole(2, History.MAX_STEPS), "max_epochs": Whole(2, History.MAX_EPOCHS),
    "stride": Whole(1, MAX_STEP), "epoch_stride": Whole(1, MAX_STEP),
    "steps": Array("i", 1), "losses": Array("f", 1, finite=False),
    "epochs": Array("f", 2, finite=False), "epochs_missing": Array("b", 2),
    "penalties": optional(Array("f", 1, finite=False)),     # files from before penalties existed have none
}

TRAINER_FIELDS = {
    "version": Whole(1, 1), "sizes": ListOf(Whole(1, MAX_WIDTH), MAX_LAYERS + 1), "n_train": Whole(1, 10**9),
    "seed": Whole(0, 2**32 - 1), "batch_size": Whole(1, MAX_BATCH), "checkpoint_every": Whole(1, MAX_STEP),
    "max_checkpoint_bytes": Whole(0, MAX_CHECKPOINT_BYTES), "checkpoint_stride": Whole(1, MAX_STEP),
    "step_count": _COUNT, "epoch": _COUNT, "pos": Whole(0, 10**9), "loss_sum": Real(-1e308, 1e308),
    "loss_n": _COUNT, "W": _PARAMS, "b": _PARAMS, "optimizer": OptimizerState(),
    "history": Record(HISTORY_FIELDS),
    "checkpoints": ListOf(Record(CHECKPOINT_FIELDS), MAX_CHECKPOINTS),
    "external_steps": Array("i", 1), "external_lengths": Array("i", 1), "external_indices": Array("i", 1),
    "eta_steps": Array("i", 1), "eta_values": Array("f", 1), "dropped_upto": Whole(-1, MAX_STEP),
}

RUN_FIELDS = {
    "config": Json(),                            # checked by RunConfig.validate
    "example": renamed(Whole(0, 10**9), "sample"), "micro_step": Whole(0, 4 * MAX_LAYERS + 8), "updated": Flag(),
    "initial_W": _PARAMS, "initial_b": _PARAMS,
    "stepper_W": optional(Maybe(_PARAMS), None), "stepper_b": optional(Maybe(_PARAMS), None),
    "trainer": Record(TRAINER_FIELDS),
}

MANIFEST_FIELDS = {
    "runs": Record({"main": Record(RUN_FIELDS), "compare": optional(Maybe(Record(RUN_FIELDS)), None)}),
    "compare_label": optional(Text(max_len=200), ""),
    "view_settings": optional(Json(max_depth=2), {}),   # checked by the GUI's view-settings declaration
}
MANIFEST = Record(MANIFEST_FIELDS)


def worst_case_bytes() -> dict:
    """The most array bytes one run can put in a session file, part by part, from the app's own
    limits (the main and the comparison run together may take twice the total)."""
    params = 8 * MAX_PARAMS
    buffers = max(len(cls.buffers) for cls in OPTIMIZERS.values())
    return {
        "data (X, Y and class labels)": 8 * MAX_VALUES + 8 * (MAX_VALUES // 2),
        "weights now, initial and before the update": 3 * params,
        "optimizer state": buffers * params,
        "checkpoints": max(MAX_CHECKPOINT_BYTES, (1 + buffers) * params),
        "history": 3 * 8 * History.MAX_STEPS + 9 * 7 * History.MAX_EPOCHS,
        "records of external batches and η changes": 3 * 8 * MAX_RECORD_ITEMS,
    }


# ------------------------------------------------------------------------------ checking
class InMemory:
    """Arrays already in memory, as an array source for ``check``."""

    def __init__(self, arrays: dict):
        self.arrays = arrays

    def __contains__(self, key) -> bool:
        return key in self.arrays

    def nbytes(self, key: str) -> int:
        return self.arrays[key].nbytes

    def load(self, key: str) -> np.ndarray:
        return self.arrays[key]


@dataclass
class Context:
    """Where the arrays come from (``in``, ``nbytes(key)``, ``load(key)``), which were used, and
    the running count of their bytes."""
    source: object
    budget: int
    used: int = 0
    seen: dict = field(default_factory=dict)

    def resolve(self, v, path: str) -> np.ndarray:
        if not isinstance(v, dict) or set(v) != {"$array"} or not isinstance(v["$array"], str):
            raise _refuse(path, 'an array reference {"$array": name}', v)
        key = v["$array"]
        if key not in self.source:
            raise SessionFileError(f"{path} refers to a missing array {key!r}")
        if key in self.seen:               # the app writes every array once: refuse copies on demand
            raise SessionFileError(f"{path} refers to array {key!r}, which {self.seen[key]} refers to already")
        self.seen[key] = path
        self.used += self.source.nbytes(key)
        if self.used > self.budget:
            raise SessionFileError(f"the arrays it refers to add up to more than {self.budget:,} bytes "
                                   "(the limit of a session file)")
        return self.source.load(key)


def check(manifest, arrays, budget: int | None = None) -> dict:
    """``manifest`` with every field checked against the declaration and every array resolved
    (each array once: a second reference is refused, so arrays never multiply).  ``arrays``: a
    dict of arrays, or a source with ``in``, ``nbytes(key)`` and ``load(key)``."""
    source = InMemory(arrays) if isinstance(arrays, dict) else arrays
    return MANIFEST.check(manifest, "manifest", Context(source, MAX_SESSION_BYTES if budget is None else budget))


def resolved_bytes(manifest, arrays: dict) -> int:
    """What ``check`` counts: the bytes of every array reference (used by the writer too, so that
    what the app saves it can open)."""
    total = 0
    stack = [manifest]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if set(v) == {"$array"}:
                total += arrays[v["$array"]].nbytes
            else:
                stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return total


__all__ = ["FORMAT", "VERSION", "SUFFIX", "MAX_SESSION_BYTES", "MAX_MANIFEST_BYTES", "SessionFileError",
           "MANIFEST", "RUN_FIELDS", "TRAINER_FIELDS", "HISTORY_FIELDS", "CHECKPOINT_FIELDS", "check",
           "resolved_bytes", "worst_case_bytes", "optional", "Field", "Whole", "Real", "Flag", "Text", "Maybe", "ListOf",
           "Array", "Record", "Json"]
