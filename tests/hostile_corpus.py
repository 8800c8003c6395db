"""A corpus of hostile and damaged session files, as an attacker or a careless user would make
them: truncations, bit flips, lying headers, every ZIP compression method, bombs, references used
many times, nested and huge values, out-of-range numbers, and special files.

``build(folder)`` writes the corpus and returns ``[(path, expect), …]`` with expect "load" (a file
the app wrote, or one changed harmlessly), "refuse" (it must be refused) or "either" (a random
flip may land in padding or a number and still load: then the load must be correct, which the
opener checks by stepping the loaded run).  Deterministic (seeded), built in about a second.
"""
from __future__ import annotations

import copy
import io
import json
import os
import struct
import zipfile
from pathlib import Path

import numpy as np

from engine import get_preset
from engine.run import Run
from engine.session_file import save_session
from session_files import legacy, npy, parts, write

BIG = 2**63
HUGE_VALUES = [BIG, 2**64, 10**12, -1, float("inf"), float("-inf"), float("nan"), 1e308, "12", None, [], {}, True]


def _good(folder: Path) -> Path:
    run = Run(get_preset("mazur"))
    run.train_steps(5)
    run.stepper.seek(4)
    compare = Run(get_preset("mazur").replace(optimizer="adam", eta=0.05))
    compare.train_steps(7)
    path = folder / "good.bplens"
    save_session(path, run, compare, "adam", {"theme": "dark", "font_scale": 1.25})
    return path


def _raw_header(path: Path) -> tuple[dict, bytes]:
    data = path.read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    return json.loads(data[8:8 + n]), data[8 + n:]


def _raw_write(path: Path, header: dict | bytes, body: bytes, length: int | None = None) -> Path:
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text) if length is None else length) + text + body)
    return path


def _fields(manifest: dict):
    """(parent, key) of every scalar in the manifest, in a fixed order."""
    out, stack = [], [manifest]
    while stack:
        d = stack.pop()
        items = d.items() if isinstance(d, dict) else enumerate(d)
        for k, v in items:
            if isinstance(v, (dict, list)) and not (isinstance(v, dict) and "$array" in v):
                stack.append(v)
            elif not isinstance(v, dict):
                out.append((d, k))
    return out


def build(folder) -> list[tuple[Path, str]]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(13)
    good = _good(folder)
    corpus: list[tuple[Path, str]] = [(good, "load")]
    name = iter(range(10**6))

    def add(path, expect):
        corpus.append((path, expect))

    def new(suffix=".bplens") -> Path:
        return folder / f"h{next(name):04d}{suffix}"

    data = good.read_bytes()
    manifest, arrays = parts(good)

    # -- truncations and bit flips -------------------------------------------------------------
    for cut in sorted({0, 1, 7, 8, 9, 100, len(data) // 3, len(data) // 2, len(data) - 9, len(data) - 1}):
        p = new()
        p.write_bytes(data[:cut])
        add(p, "refuse")
    for _ in range(40):
        b = bytearray(data)
        for pos in rng.integers(0, len(b), size=int(rng.integers(1, 4))):
            b[pos] ^= 1 << int(rng.integers(0, 8))
        p = new()
        p.write_bytes(bytes(b))
        add(p, "either")

    # -- lying safetensors headers -------------------------------------------------------------
    header, body = _raw_header(good)
    sized = [k for k in header if k != "__metadata__" and header[k]["data_offsets"][1] > header[k]["data_offsets"][0]]
    tensor = sized[0]                                                  # an array with bytes of its own
    for length in (2**62, 2**64 - 1, 100_000_000, len(data)):
        add(_raw_write(new(), header, body, length), "refuse")
    lies = []
    h = copy.deepcopy(header)
    h[tensor]["shape"] = [10**6, 10**6]
    lies.append(h)
    h = copy.deepcopy(header)
    h[tensor]["data_offsets"] = [0, 2**40]
    lies.append(h)
    h = copy.deepcopy(header)
    h[tensor]["data_offsets"] = list(h[sized[1]]["data_offsets"])      # two arrays on the same bytes
    lies.append(h)
    for dtype in ("F16", "BF16", "U8", "C64", "OBJ", "F8_E4M3"):
        h = copy.deepcopy(header)
        h[tensor]["dtype"] = dtype
        lies.append(h)
    h = copy.deepcopy(header)
    h["__metadata__"]["manifest"] = {"nested": "object"}
    lies.append(h)
    h = copy.deepcopy(header)
    del h["__metadata__"]
    lies.append(h)
    for h in lies:
        add(_raw_write(new(), h, body), "refuse")
    add(_raw_write(new(), b"[" * 100_000 + b"]" * 100_000, b""), "refuse")
    add(_raw_write(new(), header, body + b"\0" * 64), "refuse")           # bytes no array owns

    # -- manifest fields out of range, one at a time --------------------------------------------
    scalars = _fields(manifest)
    picks = rng.choice(len(scalars), size=min(len(scalars), 60), replace=False)
    for i in picks:
        m = copy.deepcopy(manifest)
        parent, key = _fields(m)[i]
        parent[key] = HUGE_VALUES[int(rng.integers(0, len(HUGE_VALUES)))]
        add(write(new(), m, arrays), "either")
    for path_, value in ((("trainer", "step_count"), BIG), (("trainer", "history", "max_steps"), 10**12),
                         (("trainer", "history", "stride"), 2**64), (("trainer", "dropped_upto"), float("inf")),
                         (("trainer", "checkpoint_every"), 0), (("trainer", "max_checkpoint_bytes"), 2**40),
                         (("micro_step",), -1), (("example",), 10**9), (("trainer", "optimizer", "name"), "evil")):
        m = copy.deepcopy(manifest)
        d = m["runs"]["main"]
        for k in path_[:-1]:
            d = d[k]
        d[path_[-1]] = value
        add(write(new(), m, arrays), "refuse")
    m = copy.deepcopy(manifest)
    ck = m["runs"]["main"]["trainer"]["checkpoints"]
    m["runs"]["main"]["trainer"]["checkpoints"] = ck * 100_000        # 100,000 checkpoints past the bound
    add(write(new(), m, arrays), "refuse")
    m = copy.deepcopy(manifest)
    big = {**arrays, "big": np.zeros(2**20)}                          # 8 MiB referenced 1,000 times
    m["runs"]["main"]["config"]["dataset"]["X"] = [{"$array": "big"}] * 1000
    add(write(new(), m, big), "refuse")
    m = copy.deepcopy(manifest)
    m["runs"]["main"]["config"]["dataset"]["X"] = {"$array": "nope"}
    add(write(new(), m, arrays), "refuse")
    m = copy.deepcopy(manifest)
    m["compare_label"] = "x" * 10_000_000
    add(write(new(), m, arrays), "refuse")
    m = copy.deepcopy(manifest)
    m["view_settings"] = {"font_scale": 100, "theme": "x" * 100, "speed": -5, "palette": ["a"], "nope": 1}
    add(write(new(), m, arrays), "load")                               # loads; the view declaration refuses the values
    m = copy.deepcopy(manifest)
    m["runs"]["main"]["config"]["dataset"] = {"name": "spirals", "n": 10**9}
    add(write(new(), m, arrays), "refuse")
    m = copy.deepcopy(manifest)
    m["runs"]["main"]["config"]["sizes"] = [2, 100_000, 100_000, 2]
    add(write(new(), m, arrays), "refuse")
    deep = json.dumps(manifest).replace('"compare_label": "adam"', '"compare_label": ' + "[" * 50_000 + "]" * 50_000)
    add(write(new(), deep, arrays), "refuse")
    for key in list(arrays)[:6]:
        a = dict(arrays)
        a[key] = np.full(arrays[key].shape, np.nan) if arrays[key].dtype.kind == "f" else arrays[key].astype(np.float64)
        add(write(new(), manifest, a), "either")
    add(write(new(), manifest, arrays, version="3"), "refuse")
    add(write(new(), manifest, arrays, format="something-else"), "refuse")
    add(write(new(), None, arrays), "refuse")

    # -- the older ZIP format: every compression method, bombs, lying entries ------------------
    add(legacy(good, new()), "load")
    add(legacy(good, new(), method=zipfile.ZIP_STORED), "load")
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        add(legacy(good, new(), method=method), "refuse")
    add(legacy(good, new(), lie=next(iter(arrays))), "refuse")
    add(legacy(good, new(), pad=bytes(300 * 2**20)), "refuse")         # deflate bomb inside arrays.npz
    p = new()
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:   # bomb as the manifest itself
        with zf.open("manifest.json", "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(bytes(2**20))
        zf.writestr("arrays.npz", b"")
    add(p, "refuse")
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):    # refused by method before inflating, whatever the size
        p = new()
        with zipfile.ZipFile(p, "w", method) as zf:
            zf.writestr("manifest.json", json.dumps({"format": "backprop-lens-session", "version": 1}))
            zf.writestr("arrays.npz", bytes(2**24))
        add(p, "refuse")
    lm = {"format": "backprop-lens-session", "version": 1, **manifest}
    for evil in (np.array([{"a": 1}], dtype=object), np.zeros(3, dtype=[("a", "f8")]), np.zeros(2, ">f8"),
                 np.zeros((2, 2), order="F"), np.array(["text"])):
        p = new()
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as zf:
            for k, a in arrays.items():
                zf.writestr(f"{k}.npy", npy(a))
            f = io.BytesIO()
            np.lib.format.write_array(f, evil, allow_pickle=True)
            zf.writestr("evil.npy", f.getvalue())
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", json.dumps(lm))
            zf.writestr("arrays.npz", inner.getvalue())
        add(p, "either")                                               # unreferenced arrays may be harmless
    p = new()
    with zipfile.ZipFile(p, "w") as zf:                                 # thousands of entries
        for i in range(5000):
            zf.writestr(f"e{i}", b"")
    add(p, "refuse")
    p = new()
    with zipfile.ZipFile(p, "w") as zf:                                 # path traversal names
        zf.writestr("../../manifest.json", json.dumps(lm))
        zf.writestr("/etc/arrays.npz", b"")
    add(p, "refuse")
    for cut in (10, 100, 1000):
        p = new()
        p.write_bytes(legacy(good, new()).read_bytes()[:cut])
        add(p, "refuse")
    for entry in (b"manifest.json", b"arrays.npz"):                     # a directory that lies about sizes
        for declared in (10, 2**31):
            raw = bytearray(legacy(good, new()).read_bytes())
            at = raw.rfind(b"PK\x01\x02", 0, raw.rfind(entry))
            struct.pack_into("<I", raw, at + 24, declared)
            p = new()
            p.write_bytes(bytes(raw))
            add(p, "refuse")

    # -- not session files at all, and special files --------------------------------------------
    p = new(".png")
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    add(p, "refuse")
    p = new()
    p.write_bytes(rng.bytes(5000))
    add(p, "refuse")
    p = new()
    from safetensors.numpy import save_file
    save_file({"weight": np.zeros((2, 2))}, str(p))                    # someone's model weights
    add(p, "refuse")
    fifo = folder / "fifo.bplens"
    os.mkfifo(fifo)
    add(fifo, "refuse")
    sub = folder / "a-folder.bplens"
    sub.mkdir()
    add(sub, "refuse")
    loop = folder / "loop.bplens"
    loop.symlink_to(loop)
    add(loop, "refuse")
    add(folder / "missing.bplens", "refuse")
    for dev in ("/dev/zero", "/dev/urandom", "/dev/null"):
        if os.path.exists(dev):
            add(Path(dev), "refuse")
    return corpus
