"""Reading and checking a session file (see engine/session_file.py for the format).

Every problem raises ``SessionFileError`` naming it; arrays are read with
``np.load(allow_pickle=False)``, sizes are checked from the ZIP directory before anything is read.
"""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from .config import RunConfig
from .run import Run

FORMAT = "backprop-lens-session"
VERSION = 1
_ARRAY_KINDS = "biuf"               # bool, int, unsigned, float; never object


class SessionFileError(ValueError):
    """A session file could not be read; the message says what is wrong with it."""


def _check_sizes(infos, what: str, budget: int) -> int:
    total = sum(i.file_size for i in infos)
    if total > budget:
        raise SessionFileError(f"{what} is too large: {total:,} bytes uncompressed, the limit is "
                               f"{_limit():,} bytes (a damaged or malicious file?)")
    return total


def _read_archive(path) -> tuple[dict, dict]:
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = {i.filename: i for i in zf.infolist()}
            used = _check_sizes(infos.values(), name, _limit())
            if "manifest.json" not in infos:
                raise SessionFileError(f"{name} is not a Backprop Lens session: manifest.json is missing")
            if "arrays.npz" not in infos:
                raise SessionFileError(f"{name} is damaged: arrays.npz is missing")
            raw_manifest = zf.read("manifest.json")
            raw_arrays = zf.read("arrays.npz")
    except SessionFileError:
        raise
    except FileNotFoundError:
        raise SessionFileError(f"{name}: no such file") from None
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as e:
        raise SessionFileError(f"{name} is not a Backprop Lens session file (not a ZIP archive, "
                               f"or truncated/damaged: {e})") from None
    except OSError as e:
        raise SessionFileError(f"{name}: cannot read the file ({e.strerror or e})") from None
    except Exception as e:                 # zlib errors, CRC mismatch (raised as BadZipFile) …
        raise SessionFileError(f"{name} is damaged: {e}") from None
    manifest = _parse_manifest(raw_manifest, name)
    return manifest, _parse_arrays(raw_arrays, name, _limit() - used)


def _parse_manifest(raw: bytes, name: str) -> dict:
    try:
        m = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise SessionFileError(f"{name}: manifest.json is not valid JSON ({e})") from None
    if not isinstance(m, dict):
        raise SessionFileError(f"{name}: manifest.json must hold a JSON object, got {type(m).__name__}")
    if m.get("format") != FORMAT:
        raise SessionFileError(f"{name} is not a Backprop Lens session (format {m.get('format')!r}, "
                               f"expected {FORMAT!r})")
    v = m.get("version")
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise SessionFileError(f"{name}: invalid format version {v!r}")
    if v > VERSION:
        raise SessionFileError(f"{name} was written by a newer Backprop Lens (version {v}); "
                               f"this one reads version {VERSION}")
    if not isinstance(m.get("runs"), dict) or not isinstance(m["runs"].get("main"), dict):
        raise SessionFileError(f"{name}: manifest.json has no main run")
    return m


def _parse_arrays(raw: bytes, name: str, budget: int) -> dict:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as inner:
            _check_sizes(inner.infolist(), f"{name} (arrays.npz)", budget)
        out = {}
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            for key in npz.files:
                a = npz[key]
                if a.dtype.kind not in _ARRAY_KINDS:
                    raise SessionFileError(f"{name}: array {key!r} has dtype {a.dtype}, only numbers are allowed")
                out[key] = a
    except SessionFileError:
        raise
    except ValueError as e:                # object arrays: "cannot be loaded when allow_pickle=False"
        raise SessionFileError(f"{name}: arrays.npz holds arrays that are not plain numbers "
                               f"(refused, nothing is executed): {e}") from None
    except Exception as e:
        raise SessionFileError(f"{name}: arrays.npz is damaged ({e})") from None
    return out


def _resolve(v, arrays: dict, name: str):
    if isinstance(v, dict):
        if set(v) == {"$array"}:
            key = v["$array"]
            if not isinstance(key, str) or key not in arrays:
                raise SessionFileError(f"{name}: the manifest refers to a missing array {key!r}")
            return arrays[key].copy()
        return {k: _resolve(x, arrays, name) for k, x in v.items()}
    if isinstance(v, list):
        return [_resolve(x, arrays, name) for x in v]
    return v


def _finite_weights(entry: dict, label: str, name: str) -> None:
    t = entry.get("trainer") if isinstance(entry.get("trainer"), dict) else {}
    groups = {"W": t.get("W"), "b": t.get("b"), "initial W": entry.get("initial_W"),
              "initial b": entry.get("initial_b"), "stepper W": entry.get("stepper_W"),
              "stepper b": entry.get("stepper_b")}
    for i, ck in enumerate(t.get("checkpoints") or []):
        if isinstance(ck, dict):
            groups[f"checkpoint {i} W"], groups[f"checkpoint {i} b"] = ck.get("W"), ck.get("b")
    for what, arrays in groups.items():
        for l, a in enumerate(arrays if isinstance(arrays, list) else []):
            if not isinstance(a, np.ndarray) or a.dtype.kind not in "iuf":
                raise SessionFileError(f"{name}: {label} {what}[{l}] is not a numeric array")
            if not np.isfinite(a).all():
                raise SessionFileError(f"{name}: {label} has non-finite weights: {what}[{l}] "
                                       "contains NaN or infinite values")


def _build_run(entry: dict, arrays: dict, label: str, name: str) -> Run:
    entry = _resolve(entry, arrays, name)
    _finite_weights(entry, label, name)
    try:
        cfg = entry["config"]
        if not isinstance(cfg, dict):
            raise SessionFileError(f"{name}: the {label} run's configuration is not an object")
        data = cfg.get("dataset")
        if isinstance(data, dict) and data.get("name") == "custom":
            cfg["dataset"] = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in data.items()}
        try:
            run = Run(RunConfig.from_dict(cfg))
        except (ValueError, TypeError) as e:
            raise SessionFileError(f"{name}: the {label} run's configuration is invalid: {e}") from None
        run.net.set_params(W=entry["initial_W"], b=entry["initial_b"])
        run.initial_params = run.net.get_params()
        run.reset()
        sample, k = entry["sample"], entry["micro_step"]
        if isinstance(sample, bool) or not isinstance(sample, int) or not 0 <= sample < len(run.train):
            raise ValueError(f"sample must be in 0..{len(run.train) - 1}, got {sample!r}")
        run.trainer.load_state_dict(entry["trainer"])
        run.example_index = sample
        if entry.get("updated"):
            after = run.net.get_params()
            run.net.set_params(W=entry["stepper_W"], b=entry["stepper_b"])
            stepper = run.new_stepper()
            run.net.set_params(*after)
            stepper.index, stepper.updated = stepper.last, True
        else:
            stepper = run.new_stepper()
            if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < stepper.last:
                raise ValueError(f"micro-step must be in 0..{stepper.last - 1}, got {k!r}")
            stepper.seek(k)
    except SessionFileError:
        raise
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        raise SessionFileError(f"{name}: the {label} run is incomplete or malformed ({e!r})") from None
    except ValueError as e:
        raise SessionFileError(f"{name}: the {label} run's arrays do not fit its network: {e}") from None
    return run


def _limit() -> int:
    from . import session_file                   # the public module's value (tests lower it)
    return session_file.MAX_UNCOMPRESSED
