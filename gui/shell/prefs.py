"""Preferences that outlive the process: window layout, view settings, recent files.

Everything is stored with ``QSettings("BackpropLens", "BackpropLens")``.  Reading is defensive: a
value of the wrong type, out of range or unknown (a hand-edited or older settings file) is
ignored and the default kept; nothing here raises on bad stored data.  Every function takes an
optional ``settings`` object so tests and tools can point it elsewhere.
"""
from __future__ import annotations

import os

from PySide6 import QtCore

from gui.session import Session
from gui.view_settings import ViewSettings, apply_view_settings

ORG = APP = "BackpropLens"
MAX_RECENT = 8


def settings() -> QtCore.QSettings:
    return QtCore.QSettings(ORG, APP)


def _store(s: QtCore.QSettings | None) -> QtCore.QSettings:
    return s if s is not None else settings()


# -- window layout -------------------------------------------------------------------------------
def save_window(window, s: QtCore.QSettings | None = None) -> None:
    """Geometry and dock/toolbar layout.  Docks and toolbars need an objectName for restoreState."""
    s = _store(s)
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    s.sync()


def _bytes(value) -> QtCore.QByteArray | None:
    if isinstance(value, QtCore.QByteArray):
        return value if not value.isEmpty() else None
    if isinstance(value, (bytes, bytearray)) and value:
        return QtCore.QByteArray(bytes(value))
    return None


def restore_window(window, s: QtCore.QSettings | None = None) -> bool:
    """True if a stored geometry was applied; a missing or corrupt value leaves the window alone."""
    s = _store(s)
    geometry, state = _bytes(s.value("window/geometry")), _bytes(s.value("window/state"))
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
        if isinstance(p, str) and p and p not in out:
            out.append(p)
    return out[:MAX_RECENT]


def add_recent_file(path, s: QtCore.QSettings | None = None) -> list[str]:
    """Put ``path`` (made absolute) first, drop its older entry, keep MAX_RECENT; returns the list."""
    s = _store(s)
    path = os.path.abspath(os.fspath(path))
    files = [path] + [p for p in recent_files(s) if p != path]
    files = files[:MAX_RECENT]
    s.setValue("recent/files", files)
    s.sync()
    return files


def remove_recent_file(path, s: QtCore.QSettings | None = None) -> list[str]:
    """Drop ``path`` (e.g. it no longer opens); returns the list."""
    s = _store(s)
    path = os.path.abspath(os.fspath(path))
    files = [p for p in recent_files(s) if p != path]
    s.setValue("recent/files", files)
    s.sync()
    return files


def clear_recent_files(s: QtCore.QSettings | None = None) -> None:
    s = _store(s)
    s.remove("recent/files")
    s.sync()
