"""Reading a session file (the format and its declared fields: engine/session_format.py).

Nothing in a file is executed and nothing is allocated before its size is known:

- only regular files are read (a device, a pipe or a folder is refused before it is opened for
  reading), and a file longer than the format allows is refused from its length;
- version 2 (safetensors): the header states each array's dtype, shape and byte range; the
  library checks that the ranges tile the file exactly, and each array is read (``pread``, no
  memory map that a truncating writer could pull away) only when the manifest refers to it,
  after its bytes were counted against ``MAX_SESSION_BYTES``;
- version 1 (the older ZIP of ``manifest.json`` + ``arrays.npz``): read only if it is small and
  made the way the app made it: at most a few entries, stored or deflated (never bzip2/LZMA), every
  entry's declared size counted against a hard byte budget before it is inflated and no byte
  inflated past it whatever the stream holds, each ``.npy`` header's shape matched against the
  bytes actually present before anything is allocated.

Every problem raises ``SessionFileError`` (a ValueError) saying what is wrong; callers prefix it
with "Could not open FILE: ".
"""
from __future__ import annotations

import io
import json
import os
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors import SafetensorError, safe_open

from . import session_format as fmt
from .config import RunConfig
from .run import Run
from .session_format import FORMAT, VERSION, SessionFileError

READ_CHUNK_BYTES = 4 * 2**20          # a big array is read in parts of this size
MAX_HEADER_BYTES = 64 * 2**20          # the safetensors JSON header (array table + manifest)
MAX_LEGACY_BYTES = 200_000_000        # a version-1 ZIP file, and everything inflated from it (its old limit)
MAX_LEGACY_ENTRIES = 8                 # the app wrote two
MAX_LEGACY_ARRAYS = 1 << 16
_DTYPES = {"F64": np.float64, "F32": np.float32, "I64": np.int64, "I32": np.int32, "BOOL": np.bool_}


@dataclass
class LoadedSession:
    run: Run
    compare: Run | None
    compare_label: str
    view_settings: dict                # unchecked names and values: apply them through the view declaration


def load_session(path, progress=None) -> LoadedSession:
    """Read a session file and build its runs (``read_session`` then ``build_session``);
    SessionFileError (a ValueError) saying what is wrong otherwise.  ``progress(text, done,
    total)`` as theirs: an exception it raises (a cancellation) stops the work there."""
    return build_session(read_session(path, progress), progress)


def read_session(path, progress=None) -> dict:
    """The checked manifest of a session file, every array in it read; SessionFileError (a
    ValueError) saying what is wrong otherwise.  ``progress(text, done, total)``, if given, is
    called after every part of READ_CHUNK_BYTES read; an exception it raises stops the reading."""
    path = Path(path)
    size = _regular_size(path)
    progress = progress or (lambda text, done, total: None)
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:4] == b"PK\x03\x04" or head[:4] == b"PK\x05\x06":
        return fmt.check(*_read_legacy(path, size, progress))
    with _Safetensors(path, size, head, lambda done: progress("Reading the arrays", done, size)) as source:
        return fmt.check(source.manifest, source)


def build_session(manifest: dict, progress=None) -> LoadedSession:
    """The runs of a checked manifest (``read_session``), built as Run builds them: ``progress(text,
    done, total)`` is the Run's report of its stages and chunks (making a big data set, …), the
    comparison run's text saying so; an exception it raises (a cancellation) stops the building."""
    progress = progress or (lambda text, done, total: None)
    runs = manifest["runs"]
    run = _build_run(runs["main"], "main", progress)
    compare = None if runs["compare"] is None else _build_run(
        runs["compare"], "comparison", lambda text, done, total: progress(f"{text} (the comparison run)", done, total))
    return LoadedSession(run, compare, manifest["compare_label"], manifest["view_settings"])


def build_configs(manifest: dict) -> list[RunConfig]:
    """The configurations of a checked manifest's runs (to weigh building them before it is done);
    SessionFileError if one is invalid."""
    out = []
    for label, entry in (("main", manifest["runs"]["main"]), ("comparison", manifest["runs"]["compare"])):
        if entry is not None:
            try:
                out.append(RunConfig.from_dict(entry["config"]))
            except (ValueError, TypeError, KeyError, AttributeError) as e:
                raise SessionFileError(f"the {label} run's configuration is invalid: {e}") from None
    return out


def _regular_size(path: Path) -> int:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SessionFileError("no such file") from None
    except OSError as e:
        raise SessionFileError(f"cannot read the file ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
        raise SessionFileError(f"it is {kind}, not a session file")
    limit = max(fmt.MAX_SESSION_BYTES + MAX_HEADER_BYTES + 8, MAX_LEGACY_BYTES)
    if st.st_size > limit:
        raise SessionFileError(f"the file is {st.st_size:,} bytes; a session file is at most {limit:,}")
    return st.st_size


def _manifest_text(text, what: str):
    if not isinstance(text, (str, bytes)) or len(text) > fmt.MAX_MANIFEST_BYTES:
        raise SessionFileError(f"the manifest is missing or longer than {fmt.MAX_MANIFEST_BYTES:,} bytes")
    try:
        m = json.loads(text)
    except RecursionError:
        raise SessionFileError("the manifest is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as e:
        raise SessionFileError(f"{what} is not valid JSON ({e})") from None
    if not isinstance(m, dict):
        raise SessionFileError(f"{what} must hold a JSON object, got {type(m).__name__}")
    return m


def _check_version(fmt_name, version) -> None:
    if fmt_name != FORMAT:
        raise SessionFileError(f"not a Backprop Lens session (format {fmt_name!r}, expected {FORMAT!r})")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SessionFileError(f"invalid format version {version!r}")
    if version > VERSION:
        raise SessionFileError(f"it was written by a newer Backprop Lens (version {version}); "
                               f"this one reads versions 1 to {VERSION}")


# ------------------------------------------------------------------------------ version 2
class _Safetensors:
    """The arrays of a version-2 file, read one by one when the manifest refers to them."""

    def __init__(self, path: Path, size: int, head: bytes, read=None):
        self.path, self.size, self.head = path, size, head
        self.read = read or (lambda done: None)     # called with the bytes of arrays read so far
        self.done = 0

    def __enter__(self):
        if len(self.head) < 8:
            raise SessionFileError("not a Backprop Lens session file (empty or truncated)")
        n = struct.unpack("<Q", self.head)[0]
        if n > MAX_HEADER_BYTES or 8 + n > self.size:
            raise SessionFileError("not a Backprop Lens session file (another kind of file, or truncated)")
        try:
            self.file = safe_open(str(self.path), framework="numpy", backend="pread")
            self.file.__enter__()
            meta = self.file.metadata() or {}
        except SafetensorError as e:
            raise SessionFileError(f"not a Backprop Lens session file, or damaged ({e})") from None
        except OSError as e:
            raise SessionFileError(f"cannot read the file ({e.strerror or e})") from None
        try:
            v = meta.get("version", "")
            _check_version(meta.get("format"), int(v) if v.isdigit() and len(v) < 6 else v)
            self.manifest = _manifest_text(meta.get("manifest"), "the manifest")
            self.keys = set(self.file.keys())
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        self.file.__exit__(None, None, None)

    def __contains__(self, key) -> bool:
        return key in self.keys

    def nbytes(self, key: str) -> int:
        dtype = self._dtype(key)
        return int(np.prod(self.file.get_slice(key).get_shape(), dtype=object)) * np.dtype(dtype).itemsize

    def _dtype(self, key: str):
        name = self.file.get_slice(key).get_dtype()
        if name not in _DTYPES:
            raise SessionFileError(f"array {key!r} has dtype {name}; only numbers are allowed")
        return _DTYPES[name]

    def load(self, key: str) -> np.ndarray:
        """The array ``key``.  A big one is read straight into its array READ_CHUNK_BYTES at a time
        (``readinto`` lets other threads run during each read), so a reading thread never holds the
        interpreter for long and the window keeps repainting; the byte range is the header's, which
        safe_open has checked (inside the file, no overlaps)."""
        dtype = np.dtype(self._dtype(key)).newbyteorder("<")
        try:
            shape = tuple(self.file.get_slice(key).get_shape())
            nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
            if nbytes <= READ_CHUNK_BYTES:
                out = np.array(self.file.get_tensor(key))
                self.done += nbytes
                self.read(self.done)
                return out
            begin, end = self._offsets()[key]
            if end - begin != nbytes:
                raise ValueError(f"its byte range holds {end - begin:,} bytes, its shape needs {nbytes:,}")
            out = np.empty(shape, dtype)
            buf = memoryview(out.reshape(-1).view(np.uint8))
            with open(self.path, "rb") as f:
                f.seek(begin)
                for k in range(0, nbytes, READ_CHUNK_BYTES):
                    part = buf[k:k + READ_CHUNK_BYTES]
                    if f.readinto(part) != len(part):
                        raise ValueError("the file ends inside it")
                    self.done += len(part)
                    self.read(self.done)        # progress; a cancellation stops the reading here
            return out.astype(dtype.newbyteorder("="), copy=False)
        except (SafetensorError, OSError, ValueError, KeyError, TypeError) as e:
            raise SessionFileError(f"array {key!r} cannot be read ({e})") from None

    def _offsets(self) -> dict[str, tuple[int, int]]:
        """Each array's byte range in the file (from the header's data_offsets), read once."""
        if getattr(self, "_ranges", None) is None:
            n = struct.unpack("<Q", self.head)[0]
            with open(self.path, "rb") as f:
                f.seek(8)
                header = json.loads(f.read(n))
            self._ranges = {k: (8 + n + int(v["data_offsets"][0]), 8 + n + int(v["data_offsets"][1]))
                            for k, v in header.items() if k != "__metadata__"}
        return self._ranges


# ------------------------------------------------------------------------------ version 1
LEGACY_STAGES = ("Unpacking arrays.npz", "Unpacking the arrays")


def _read_legacy(path: Path, size: int, progress=None) -> tuple[dict, dict]:
    """(manifest, arrays) of a version-1 ZIP file, read under MAX_LEGACY_BYTES in all (the file's
    own bytes counted too).  Its two stages (LEGACY_STAGES: arrays.npz read from the file and
    inflated, then the arrays inside it) go in parts of READ_CHUNK_BYTES; ``progress(text, done,
    total)`` is called after each part, the stages weighing a half each, and an exception it raises
    (a cancellation) stops the reading."""
    progress = progress or (lambda text, done, total: None)

    def stage(k: int):
        return lambda done, total: progress(LEGACY_STAGES[k], k * 1000 + 1000 * done // max(total, 1), 2000)
    if size > MAX_LEGACY_BYTES:
        raise SessionFileError(f"this older (ZIP) session file is {size:,} bytes; such files are read up to "
                               f"{MAX_LEGACY_BYTES:,} bytes")
    budget = _Budget(MAX_LEGACY_BYTES - size)
    with open(path, "rb") as f, _zip(f, "the file", MAX_LEGACY_ENTRIES) as zf:
        names = set(zf.namelist())
        if "manifest.json" not in names:
            raise SessionFileError("not a Backprop Lens session: manifest.json is missing")
        if "arrays.npz" not in names:
            raise SessionFileError("damaged: arrays.npz is missing")
        manifest = _manifest_text(bytes(_inflate(zf, "manifest.json", budget)), "manifest.json")
        npz = _inflate(zf, "arrays.npz", budget, stage(0))
    _check_version(manifest.pop("format", None), manifest.pop("version", None))
    arrays = {}
    with _zip(_View(npz), "arrays.npz", MAX_LEGACY_ARRAYS) as zf:
        infos = zf.infolist()
        inner = _Parts(sum(i.file_size for i in infos), stage(1))
        for info in infos:
            if not info.filename.endswith(".npy"):
                raise SessionFileError(f"arrays.npz holds {info.filename!r}, which is not an array")
            arrays[info.filename[:-4]] = _npy(_inflate(zf, info.filename, budget, inner.part()), info.filename)
    return manifest, arrays


class _View(io.RawIOBase):
    """A read-only, seekable file over a buffer, never copied (``io.BytesIO`` copies a bytearray)."""

    def __init__(self, buf):
        super().__init__()
        self.buf, self.pos = memoryview(buf), 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        part = self.buf[self.pos:self.pos + len(b)]
        memoryview(b).cast("B")[:len(part)] = part
        self.pos += len(part)
        return len(part)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.pos = max(0, (offset, self.pos + offset, len(self.buf) + offset)[whence])
        return self.pos

    def tell(self) -> int:
        return self.pos


def _read_parts(readinto, buf: memoryview, report) -> int:
    """Fill ``buf`` by ``readinto`` in parts of READ_CHUNK_BYTES, ``report(done, len(buf))`` after
    each; the bytes read (fewer at the end of the stream)."""
    done = 0
    while done < len(buf):
        n = readinto(buf[done:done + READ_CHUNK_BYTES])
        if not n:
            break
        done += n
        report(done, len(buf))
    return done


class _Parts:
    """Progress over several inflations: ``part()`` is one's ``report(done, total)``, counted on
    top of the bytes of the ones before, out of ``total`` bytes (the entries' declared sizes)."""

    def __init__(self, total: int, report):
        self.total, self.report, self.before = total, report, 0

    def part(self):
        start = self.before

        def report(done: int, size: int) -> None:
            self.before = start + done
            self.report(self.before, self.total)
        return report


class _Budget:
    def __init__(self, left: int):
        self.left = left

    def take(self, n: int, what: str) -> None:
        self.left -= n
        if self.left < 0:
            raise SessionFileError(f"{what} inflates to more than the {MAX_LEGACY_BYTES:,} bytes an older session "
                                   "file may hold (a damaged or malicious file?)")


class _zip:
    """A ZipFile over a seekable file whose end record promises at most ``max_entries`` entries."""

    def __init__(self, f, what: str, max_entries: int):
        size = f.seek(0, io.SEEK_END)
        f.seek(max(0, size - 65_557))
        tail = f.read()
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or end + 22 > len(tail):
            raise SessionFileError(f"{what} is not a ZIP archive, or truncated")
        n = struct.unpack_from("<H", tail, end + 10)[0]
        if n > max_entries:
            raise SessionFileError(f"{what} lists {n:,} entries; at most {max_entries:,} are expected")
        f.seek(0)
        self.f, self.what = f, what

    def __enter__(self) -> zipfile.ZipFile:
        try:
            self.zf = zipfile.ZipFile(self.f)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error, OSError) as e:
            raise SessionFileError(f"{self.what} is damaged or truncated ({e})") from None
        return self.zf

    def __exit__(self, *exc):
        self.zf.close()


def _inflate(zf: zipfile.ZipFile, name: str, budget: _Budget, report=None) -> bytearray:
    """Entry ``name``, inflated only as far as its declared size (and the budget) allow: a size
    beyond the budget is refused unread, and an entry that inflates past its declared size is
    refused after one byte more.  Inflated in parts of READ_CHUNK_BYTES, ``report(done, size)``
    after each (an exception it raises stops the inflating)."""
    info = zf.getinfo(name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise SessionFileError(f"{name} is compressed with method {info.compress_type}, which Backprop Lens "
                               "never used (refused)")
    budget.take(info.file_size, name)
    raw = bytearray(info.file_size)

    def damaged(call, *args):                          # CRC mismatch, zlib errors, truncation …
        try:
            return call(*args)
        except Exception as e:
            raise SessionFileError(f"{name} is damaged ({e})") from None
    f = damaged(zf.open, info)
    with f:                                            # report's own exceptions (Cancel) pass unchanged
        got = _read_parts(lambda part: damaged(f.readinto, part), memoryview(raw), report or (lambda done, total: None))
        more = got == info.file_size and damaged(f.read, 1) != b""
    if got != info.file_size or more:
        raise SessionFileError(f"{name} declares {info.file_size:,} bytes but holds "
                               f"{'more' if more else got} (damaged or malicious)")
    return raw


def _npy(raw: bytes, name: str) -> np.ndarray:
    """One .npy array, its header checked against the bytes present before anything is allocated."""
    f = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(f)
        read = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}[version]
        shape, fortran, dtype = read(f)
    except (ValueError, KeyError, SyntaxError, TypeError, struct.error) as e:
        raise SessionFileError(f"arrays.npz: {name} is not a plain .npy array ({e!r})") from None
    if dtype.kind not in "biuf" or dtype.fields is not None or dtype.subdtype is not None:
        raise SessionFileError(f"arrays.npz: {name} has dtype {dtype}; only plain numbers are allowed "
                               "(refused, nothing is executed)")
    count = int(np.prod(shape, dtype=object))
    if count * dtype.itemsize != len(raw) - f.tell():
        raise SessionFileError(f"arrays.npz: {name} claims shape {shape} but holds {len(raw) - f.tell():,} bytes")
    a = np.frombuffer(raw, dtype, count, f.tell())
    return a.reshape(shape, order="F" if fortran else "C").astype(dtype.newbyteorder("="), copy=True)


# ------------------------------------------------------------------------------ runs
def _build_run(entry: dict, label: str, progress=None) -> Run:
    """A Run from a checked manifest entry (``progress`` as Run's); SessionFileError if its parts
    do not fit together."""
    cfg = entry["config"]
    try:
        if not isinstance(cfg, dict):
            raise SessionFileError(f"the {label} run's configuration is not an object")
        try:
            run = Run(RunConfig.from_dict(cfg), progress=progress)
        except (ValueError, TypeError) as e:
            raise SessionFileError(f"the {label} run's configuration is invalid: {e}") from None
        run.net.set_params(W=entry["initial_W"], b=entry["initial_b"])
        run.initial_params = run.net.get_params()
        run.reset()
        example = entry["example"]
        if not example < len(run.train):
            raise ValueError(f"example must be in 1..{len(run.train)}, got {example + 1}")
        run.trainer.load_state_dict(entry["trainer"])
        run.example_index = example
        if entry["updated"]:
            if entry["stepper_W"] is None or entry["stepper_b"] is None:
                raise ValueError("the weights before the update are missing")
            after = run.net.get_params()
            run.net.set_params(W=entry["stepper_W"], b=entry["stepper_b"])
            stepper = run.new_stepper()
            run.net.set_params(*after)
            stepper.index, stepper.updated = stepper.last, True
        else:
            stepper = run.new_stepper()
            k = entry["micro_step"]
            if not k < stepper.last:
                raise ValueError(f"micro-step must be in 0..{stepper.last - 1}, got {k!r}")
            stepper.seek(k)
    except SessionFileError:
        raise
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        raise SessionFileError(f"the {label} run is incomplete or malformed ({e!r})") from None
    except ValueError as e:
        raise SessionFileError(f"the {label} run's arrays do not fit its network: {e}") from None
    return run


__all__ = ["LoadedSession", "load_session", "read_session", "build_session", "build_configs", "SessionFileError", "MAX_HEADER_BYTES", "MAX_LEGACY_BYTES"]
