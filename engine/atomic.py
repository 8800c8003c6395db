"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``, so a crash
or a kill mid-write leaves the old file intact (pure standard library)."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

@contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; on success it is fsynced and moved over ``path``,
    on error removed (an existing ``path`` is never half-written)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp" + path.suffix)
    os.close(fd)
    try:
        os.chmod(tmp, _file_mode(path))
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:                                   # make the rename itself durable (best effort)
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _file_mode(path: Path) -> int:
    """The mode a replaced file keeps, or what a new file would get (0o666 minus the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask
