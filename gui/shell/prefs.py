"""Preferences that outlive the process: window layout, view settings, recent files.

Everything is stored with ``QSettings("BackpropLens", "BackpropLens")``.  Reading is defensive: a
value of the wrong type, out of range or unknown (a hand-edited or older settings file) is
ignored and the default kept; nothing here raises on bad stored data.  Every function takes an
optional ``settings`` object so tests and tools can point it elsewhere.
"""
from __future__ import annotations

import os
import tempfile

from PySide6 import QtCore

from gui.session import Session
from gui.view_settings import ViewSettings, apply_view_settings

ORG = APP = "BackpropLens"
MAX_RECENT = 8
ARRANGEMENT = ("window", "layouts")     # the groups of the window's size and dock arrangement (per screen size)


def settings() -> QtCore.QSettings:
    return QtCore.QSettings(ORG, APP)


def _store(s: QtCore.QSettings | None) -> QtCore.QSettings:
    return s if s is not None else settings()


_scratch_folders: list[tempfile.TemporaryDirectory] = []     # removed when the process exits


def scratch_copy() -> QtCore.QSettings:
    """The user's preferences but not their window arrangement (ARRANGEMENT), copied into a throwaway
    INI file: read as theirs, and whatever is written goes to the copy only (removed when the process
    exits).  The command line's pictures use it: a scripted run never changes what the app remembers,
    and its picture starts from the default arrangement of the requested size, whatever docks an
    earlier run left floating or resized."""
    copy = scratch_blank()
    user = settings()
    for key in user.allKeys():
        if key.split("/", 1)[0] not in ARRANGEMENT:
            copy.setValue(key, user.value(key))
    copy.sync()
    return copy


def scratch_blank() -> QtCore.QSettings:
    """An empty throwaway INI file (removed when the process exits): for windows drawn offscreen from a
    file alone (a lesson's handout), which read nothing of the user's and write nothing back."""
    folder = tempfile.TemporaryDirectory(prefix="bplens-prefs-")
    _scratch_folders.append(folder)
    return QtCore.QSettings(os.path.join(folder.name, "preferences.ini"), QtCore.QSettings.Format.IniFormat)


# -- window layout -------------------------------------------------------------------------------
def save_window(window, s: QtCore.QSettings | None = None) -> None:
    """Geometry and dock/toolbar layout.  Docks and toolbars need an objectName for restoreState."""
    s = _store(s)
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    s.sync()


def as_bytes(value) -> QtCore.QByteArray | None:
    if isinstance(value, QtCore.QByteArray):
        return value if not value.isEmpty() else None
    if isinstance(value, (bytes, bytearray)) and value:
        return QtCore.QByteArray(bytes(value))
    return None


def restore_window(window, s: QtCore.QSettings | None = None) -> bool:
    """True if a stored geometry was applied; a missing or corrupt value leaves the window alone."""
    s = _store(s)
    geometry, state = as_bytes(s.value("window/geometry")), as_bytes(s.value("window/state"))
    ok = bool(geometry is not None and window.restoreGeometry(geometry))
    if state is not None:
        window.restoreState(state)
    return ok


# -- view settings -------------------------------------------------------------------------------
def save_view_settings(session: Session, s: QtCore.QSettings | None = None) -> None:
    """Every view setting, under view/<name>."""
    s = _store(s)
    for name, value in session.settings.as_dict().items():
        s.setValue(f"view/{name}", value)
    s.sync()


def restore_view_settings(session: Session, s: QtCore.QSettings | None = None) -> list[str]:
    """Apply the stored view settings (by gui.view_settings.apply_view_settings); returns the
    names applied.  Corrupt or unknown values are skipped, the current value kept."""
    s = _store(s)
    stored = {}
    for setting in ViewSettings.declared():
        if s.contains(f"view/{setting.name}"):
            stored[setting.name] = s.value(f"view/{setting.name}")
    refused = apply_view_settings(session.settings, stored)
    return [name for name in stored if name not in refused]


# -- recent files --------------------------------------------------------------------------------
def recent_files(s: QtCore.QSettings | None = None) -> list[str]:
    """Most recent first, at most MAX_RECENT.  (QSettings returns a one-item list as a str and an
    empty one as None; both are handled, non-strings dropped.)"""
    value = _store(s).value("recent/files")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out = []
    for p in value:
        p = _path_from_setting(p)
        if p and p not in out:
            out.append(p)
    return out[:MAX_RECENT]


_BYTES = "bytes:"   # a stored path that is not valid UTF-8: its bytes, hex-encoded


def _path_to_setting(path: str) -> str:
    """A path as QSettings can keep it: itself, or if its name is not valid UTF-8 (Python holds
    the undecodable bytes as surrogates, which Qt's strings would replace) its bytes in hex."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return _BYTES + os.fsencode(path).hex()


def _path_from_setting(value) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    if value.startswith(_BYTES):
        try:
            return os.fsdecode(bytes.fromhex(value[len(_BYTES):]))
        except ValueError:
            return None
    return value


def display_path(path: str) -> str:
    """``path`` for showing in a menu or message: undecodable bytes as U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def add_recent_file(path, s: QtCore.QSettings | None = None) -> list[str]:
    """Put ``path`` (made absolute) first, drop its older entry, keep MAX_RECENT; returns the list."""
    s = _store(s)
    path = os.path.abspath(os.fspath(path))
    files = [path] + [p for p in recent_files(s) if p != path]
    files = files[:MAX_RECENT]
    s.setValue("recent/files", [_path_to_setting(p) for p in files])
    s.sync()
    return files


def remove_recent_file(path, s: QtCore.QSettings | None = None) -> list[str]:
    """Drop ``path`` (e.g. it no longer opens); returns the list."""
    s = _store(s)
    path = os.path.abspath(os.fspath(path))
    files = [p for p in recent_files(s) if p != path]
    s.setValue("recent/files", [_path_to_setting(p) for p in files])
    s.sync()
    return files


def clear_recent_files(s: QtCore.QSettings | None = None) -> None:
    s = _store(s)
    s.remove("recent/files")
    s.sync()
