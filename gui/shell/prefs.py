"""Preferences that outlive the process: window layout, view settings, recent files, last preset.

Everything is stored with ``QSettings("BackpropLens", "BackpropLens")``.  Reading is defensive: a
value of the wrong type, out of range or unknown (a hand-edited or older settings file) is
ignored and the default kept; nothing here raises on bad stored data.  Every function takes an
optional ``settings`` object so tests and tools can point it elsewhere.
"""
from __future__ import annotations

import dataclasses
import math
import os

from PySide6 import QtCore

from engine.presets import PRESETS
from gui.numbers import SIG_FIGS_RANGE
from gui.session import Session, ViewSettings
from gui.session_types import PACE_RANGE
from gui.theme import PALETTES, THEMES

ORG = APP = "BackpropLens"
MAX_RECENT = 8
FONT_SCALE_RANGE = (0.6, 3.0)
SPEED_RANGE = (0.05, 20.0)
_CHOICES = {"theme": tuple(THEMES), "palette": tuple(PALETTES), "convention": ("column", "row")}
_RANGES = {"font_scale": FONT_SCALE_RANGE, "speed": SPEED_RANGE, "sig_figs": SIG_FIGS_RANGE, "pace": PACE_RANGE}


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
    s.setValue("app/launched", True)
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


def is_first_launch(s: QtCore.QSettings | None = None) -> bool:
    """True until the window layout or the view settings have been saved once."""
    return not _store(s).contains("app/launched")


# -- view settings -------------------------------------------------------------------------------
def _as_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _as_float(value):
    if isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def checked_view_value(name: str, value):
    """``value`` converted to the type of ViewSettings.<name> and checked; None if unusable."""
    default = getattr(ViewSettings(), name)
    if isinstance(default, bool):
        return _as_bool(value)
    if isinstance(default, int):
        v = _as_float(value)
        lo, hi = _RANGES.get(name, (-math.inf, math.inf))
        return int(v) if v is not None and v == int(v) and lo <= v <= hi else None
    if isinstance(default, float):
        v = _as_float(value)
        lo, hi = _RANGES.get(name, (-math.inf, math.inf))
        return v if v is not None and lo <= v <= hi else None
    if isinstance(default, str):
        return value if isinstance(value, str) and value in _CHOICES.get(name, (value,)) else None
    return None


def save_view_settings(session: Session, s: QtCore.QSettings | None = None) -> None:
    """Every ViewSettings field, and the current preset (if the run is one) as the last preset."""
    s = _store(s)
    for f in dataclasses.fields(ViewSettings):
        s.setValue(f"view/{f.name}", getattr(session.settings, f.name))
    if session.preset_name in PRESETS:
        s.setValue("app/last_preset", session.preset_name)
    s.setValue("app/launched", True)
    s.sync()


def restore_view_settings(session: Session, s: QtCore.QSettings | None = None) -> list[str]:
    """Apply the stored view settings through session.set_view; returns the names applied.
    Corrupt or unknown values are skipped."""
    s = _store(s)
    applied = []
    for f in dataclasses.fields(ViewSettings):
        key = f"view/{f.name}"
        if not s.contains(key):
            continue
        value = checked_view_value(f.name, s.value(key))
        if value is not None:
            session.set_view(f.name, value)
            applied.append(f.name)
    return applied


def last_preset(s: QtCore.QSettings | None = None) -> str | None:
    """The preset the last session ended on, if it still exists."""
    name = _store(s).value("app/last_preset")
    return name if isinstance(name, str) and name in PRESETS else None


def set_last_preset(name: str, s: QtCore.QSettings | None = None) -> None:
    if name in PRESETS:
        s = _store(s)
        s.setValue("app/last_preset", name)
        s.sync()


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
