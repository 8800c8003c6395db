"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``, so a crash
or a kill mid-write leaves the old file intact (pure standard library).

- The temporary file's name is short (``.bplens-tmp-<pid>-<random>``), so any name the file
  system allows can be saved; temporary files left by a killed save (their process is gone) are
  removed by the next save into the same folder.
- Saving to a symbolic link replaces the file it points to; the link stays.
- An OSError names the user's path, never the temporary file.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".bplens-tmp-"


@contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; on success it is fsynced and moved over ``path``
    (over the target if ``path`` is a symbolic link), on error removed (an existing ``path`` is
    never half-written)."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    _remove_leftovers(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp")
    except OSError as e:
        raise _named(e, path) from None
    os.close(fd)
    try:
        os.chmod(tmp, _file_mode(target))
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and e.filename is not None and str(e.filename) == tmp:
            raise _named(e, path) from None
        raise
    try:                                   # make the rename itself durable (best effort)
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _named(e: OSError, path: Path) -> OSError:
    """The same error about the user's ``path`` (the message never shows the temporary name)."""
    return type(e)(e.errno, e.strerror or str(e), str(path))


def _remove_leftovers(folder: Path) -> None:
    """Delete temporary files of saves whose process no longer runs (killed mid-write)."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid = name[len(TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            try:
                os.unlink(folder / name)
            except OSError:
                pass


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True                        # someone else's process, or cannot tell: leave it
    return True


def _file_mode(path: Path) -> int:
    """The mode a replaced file keeps, or what a new file would get (0o666 minus the umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask
