"""Taking session files apart and writing altered ones (the current safetensors format and the
older ZIP one), for the session-file tests and the hostile-file corpus."""
import io
import json
import zipfile

import numpy as np
from safetensors import safe_open
from safetensors.numpy import save_file

from engine.session_format import FORMAT, VERSION


def parts(path) -> tuple[dict, dict]:
    """(manifest, arrays) of a current-format file (arrays writable copies)."""
    with safe_open(str(path), framework="numpy") as f:
        manifest = json.loads(f.metadata()["manifest"])
        arrays = {k: np.array(f.get_tensor(k)) for k in f.keys()}
    return manifest, arrays


def write(path, manifest, arrays: dict, format: str = FORMAT, version: str = str(VERSION)):
    """A current-format file; ``manifest`` a dict, a JSON text, or None (left out)."""
    metadata = {"format": format, "version": version}
    if manifest is not None:
        metadata["manifest"] = manifest if isinstance(manifest, str) else json.dumps(manifest)
    save_file({k: np.ascontiguousarray(a) for k, a in arrays.items()}, str(path), metadata=metadata)
    return path


def npy(a: np.ndarray, shape=None) -> bytes:
    """``a`` as .npy bytes; ``shape``: a header that claims another shape (a lying header)."""
    f = io.BytesIO()
    if shape is None:
        np.lib.format.write_array(f, a, allow_pickle=False)
    else:
        np.lib.format.write_array_header_1_0(f, {"descr": np.lib.format.dtype_to_descr(a.dtype),
                                                 "fortran_order": False, "shape": shape})
        f.write(a.tobytes())
    return f.getvalue()


def legacy(good, path, method=zipfile.ZIP_DEFLATED, pad: bytes | None = None, lie: str | None = None,
           manifest: dict | None = None):
    """The session ``good`` in the older ZIP format (manifest.json + arrays.npz), optionally with a
    compression method, a padding array of ``pad`` bytes, or array ``lie`` claiming a huge shape."""
    m, arrays = parts(good)
    m = {"format": FORMAT, "version": 1, **(manifest or m)}
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", method) as zf:
        for key, a in arrays.items():
            zf.writestr(f"{key}.npy", npy(a, (10**6, 10**6) if key == lie else None))
        if pad is not None:
            zf.writestr("pad.npy", npy(np.frombuffer(pad, np.uint8)))
    with zipfile.ZipFile(path, "w", method) as zf:
        zf.writestr("manifest.json", json.dumps(m))
        zf.writestr("arrays.npz", inner.getvalue())
    return path
