"""The view settings: how the app shows the run (never what the run is).

Each setting is declared once, in ``ViewSettings``'s class body, with its default, its type and
its allowed choices or range; the same declaration validates every way a value arrives (a menu, a
saved session file, the command line, the stored preferences).  Assigning a setting is its
validated setter::

    session.settings.theme = "dark"           # ValueError for an unknown theme; the old value kept
    session.settings.theme_changed.connect(self._on_theme_changed)   # one signal per setting

``apply_view_settings(settings, values)`` applies a mapping read from a file, skipping (and
naming) the unknown or unusable entries, so bad files never put a bad value into the view.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6 import QtCore

from engine.notation import CONVENTIONS
from engine.worksheet import ABS_TOL, REL_TOL
from gui.numbers import SIG_FIGS_DEFAULT, SIG_FIGS_RANGE
from gui.theme import PALETTES, THEMES

# the derivation panel's pages, in its order (a lesson's slide opens one: derivation_page = "tensor")
DERIVATION_PAGES = ("step", "scalar", "differential", "tensor", "gradient-check", "health")
ZOOM_STEP = 1.15         # Ctrl+= / Ctrl+− multiply font_scale by this (gui.shell.presentation)
PACE_FULL = 0.0          # the pace setting for "as fast as possible"
PACE_RANGE = (0.0, 1000.0)
PACE_STEPS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, PACE_FULL)   # what the pace control offers


def pace_text(pace: float) -> str:
    """"max" for as fast as possible, else "20/s" (steps per second)."""
    return "max" if pace <= PACE_FULL else f"{pace:g}/s"


class Setting:
    """A declared view setting: a data descriptor on ViewSettings whose assignment validates.

    Read on the class (``ViewSettings.speed``) it is the declaration itself: ``name``, ``default``,
    ``kind`` (bool, int, float or str), ``choices`` (for str) and ``range`` (for numbers)."""

    def __init__(self, default, *, choices: tuple | None = None, range: tuple | None = None, doc: str = ""):
        self.default, self.kind = default, type(default)
        self.choices = tuple(choices) if choices is not None else None
        self.range = range
        self.doc = doc
        self.name = ""
        assert self.check(default) == default, f"default {default!r} outside its own declaration"

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        return self if obj is None else obj._values[self.name]

    def __set__(self, obj, value) -> None:
        obj._assign(self, self.check(value))

    def check(self, value):
        """``value`` converted to this setting's type, or ValueError naming what is allowed.
        Accepts the text forms stored by QSettings ("true", "2.5") as well as the typed values."""
        if self.kind is bool:
            if isinstance(value, str) and value.lower() in ("true", "false"):
                value = value.lower() == "true"
            if not isinstance(value, bool):
                raise ValueError(f"{self.name} must be true or false, got {value!r}")
            return value
        if self.kind in (int, float):
            try:
                if isinstance(value, bool):
                    raise TypeError
                number = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{self.name} must be a number, got {value!r}") from None
            if self.kind is int:
                if not number.is_integer():
                    raise ValueError(f"{self.name} must be a whole number, got {value!r}")
                number = int(number)
            lo, hi = self.range or (-math.inf, math.inf)
            if not (math.isfinite(number) and lo <= number <= hi):
                raise ValueError(f"{self.name} must be within {lo:g}..{hi:g}, got {value!r}")
            return number
        if not isinstance(value, str) or (self.choices is not None and value not in self.choices):
            raise ValueError(f"{self.name} must be one of {', '.join(self.choices or ())}, got {value!r}")
        return value


class ViewSettings(QtCore.QObject):
    """The view settings of one session, each a validated ``Setting`` with its own ``<name>_changed``
    signal (emitted with the new value, only when the value changes)."""

    convention = Setting("column", choices=CONVENTIONS,
                         doc='gradients as "column" vectors (δ = Wᵀδ ⊙ σ′) or "row" vectors (δ = δ W diag σ′, as the engine)')
    convention_changed = QtCore.Signal(str)
    show_bias = Setting(False, doc="draw the bias as an extra input neuron")
    show_bias_changed = QtCore.Signal(bool)
    split_neurons = Setting(False, doc="draw each neuron as z | a halves")
    split_neurons_changed = QtCore.Signal(bool)
    animate = Setting(True, doc="animate the graph between micro-steps")
    animate_changed = QtCore.Signal(bool)
    speed = Setting(1.0, range=(0.05, 20.0), doc="animation speed factor")
    speed_changed = QtCore.Signal(float)
    lock_scale = Setting(False, doc="keep the heatmaps' colour levels while stepping")
    lock_scale_changed = QtCore.Signal(bool)
    log_loss = Setting(False, doc="loss on a logarithmic axis")
    log_loss_changed = QtCore.Signal(bool)
    theme = Setting("light", choices=tuple(THEMES), doc="light (projectors) or dark")
    theme_changed = QtCore.Signal(str)
    palette = Setting("standard", choices=tuple(PALETTES), doc="standard or colour-blind safe colour maps")
    palette_changed = QtCore.Signal(str)
    font_scale = Setting(1.0, range=(0.6, 3.0), doc="zoom: every font and graph size times this")
    font_scale_changed = QtCore.Signal(float)
    sig_figs = Setting(SIG_FIGS_DEFAULT, range=SIG_FIGS_RANGE,
                       doc="significant figures of every number shown (gui.numbers.format_number)")
    sig_figs_changed = QtCore.Signal(int)
    predict = Setting(False, doc="Predict mode: type the next micro-step's values before → reveals them")
    predict_changed = QtCore.Signal(bool)
    predict_rel_tol = Setting(REL_TOL, range=(0.0, 0.5), doc="Predict mode: an answer is right within this "
                              "fraction of the value …")
    predict_rel_tol_changed = QtCore.Signal(float)
    predict_abs_tol = Setting(ABS_TOL, range=(0.0, 1.0), doc="… or within this absolute difference")
    predict_abs_tol_changed = QtCore.Signal(float)
    mazur_names = Setting(False, doc="name a 2-2-2 network as the Mazur post does (i1, h1, o1, w1…w8, b1, b2)")
    mazur_names_changed = QtCore.Signal(bool)
    layout = Setting("lecture", choices=("lecture", "training"),
                     doc="the window's layout: the graph and one companion panel, or room for the loss and boundary")
    layout_changed = QtCore.Signal(str)
    companion = Setting("follow", choices=("follow", "matrices", "derivation"),
                        doc="the panel beside the graph: follows the phase, or the matrices, or the derivation")
    companion_changed = QtCore.Signal(str)
    derivation_page = Setting("step", choices=DERIVATION_PAGES,
                              doc="the derivation panel's page: this step, the scalar or differential form, the "
                                  "∂z/∂W tensor, the gradient check or the gradient health")
    derivation_page_changed = QtCore.Signal(str)
    pace = Setting(PACE_FULL, range=PACE_RANGE,
                   doc="training steps per second while playing; 0 (PACE_FULL): as fast as possible")
    pace_changed = QtCore.Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._values = {s.name: s.default for s in self.declared()}

    @classmethod
    def declared(cls) -> list[Setting]:
        """Every declared setting, in declaration order."""
        return [v for v in vars(cls).values() if isinstance(v, Setting)]

    def _assign(self, setting: Setting, value) -> None:
        if self._values[setting.name] != value:
            self._values[setting.name] = value
            getattr(self, f"{setting.name}_changed").emit(value)

    def as_dict(self) -> dict:
        """name → value of every setting (what a session file and the preferences store)."""
        return dict(self._values)


def apply_view_settings(settings: ViewSettings, values: Mapping) -> dict[str, str]:
    """Apply every usable entry of ``values`` (read from a session file, the preferences or the
    command line) through the validated setters.  Returns name → message for each entry skipped
    (an unknown name, or a value its declaration refuses); such a setting keeps its value."""
    declared = {s.name for s in ViewSettings.declared()}
    refused = {}
    for name, value in values.items():
        if name not in declared:
            refused[name] = f"unknown view setting {name!r} ignored"
            continue
        try:
            setattr(settings, name, value)
        except ValueError as e:
            refused[name] = f"{e}; kept {getattr(settings, name)!r}"
    return refused
