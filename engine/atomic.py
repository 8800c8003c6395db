"""Atomic file writes: a temporary file in the same folder, fsync, then ``os.replace``, so a crash
or a kill mid-write leaves the old file intact (pure standard library).

- The temporary file's name is short (``.bplens-tmp-<pid>-<random>.tmp``), so any name the file
  system allows can be saved.  Temporary files left by a killed save are removed by the next save
  into the same folder, and at start-up from the folders of the recent files
  (``remove_stale_temp_files``): only files of exactly that name pattern, regular files owned by
  this user, and only stale ones — untouched for ``STALE_S`` seconds with their process gone, or
  untouched for ``ABANDONED_S`` seconds whatever the process number says (it may have been reused,
  or belong to another machine sharing the folder).  A save in progress keeps touching its file.
- Saving to a symbolic link replaces the file it points to; the link stays.
- An OSError names the user's path, never the temporary file.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".bplens-tmp-"
# What tempfile.mkstemp makes of our prefix: the pid, "-", 8 characters of its alphabet, ".tmp".
TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d{1,10})-[a-z0-9_]{8}\.tmp")
STALE_S = 120.0                 # a dead process's temporary file untouched this long is a leftover
ABANDONED_S = 24 * 3600.0       # any of our temporary files untouched this long is a leftover


@contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; on success it is fsynced and moved over ``path``
    (over the target if ``path`` is a symbolic link), on error removed (an existing ``path`` is
    never half-written)."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    remove_stale_temp_files(target.parent)
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


def remove_stale_temp_files(folder, now: float | None = None) -> list[str]:
    """Delete the leftovers of killed saves in ``folder`` (see the module docstring for which);
    returns the names removed.  Never raises: a folder that cannot be read is left alone."""
    folder, now = Path(folder), time.time() if now is None else now
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = TEMP_NAME.fullmatch(name)
        if m is None:
            continue
        try:
            st = os.lstat(folder / name)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            continue                       # a link, a folder, someone else's file: not ours to delete
        age = now - st.st_mtime
        if age >= ABANDONED_S or (age >= STALE_S and not _running(int(m.group(1)))):
            try:
                os.unlink(folder / name)
                removed.append(name)
            except OSError:
                pass
    return removed


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
