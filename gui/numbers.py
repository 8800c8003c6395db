"""The one number formatter of the GUI, and the book's 1-based index labels.

Every number the app shows goes through ``format_number`` (graph, heatmaps, banner, derivation,
status text) with the View setting's significant figures (``sig_figs``, 4 by default, 3..10); hover
texts and exports give ``format_exact``, the shortest text that reads back as the same float.

``format_number`` writes plain decimals while they are short (0.008771, 12.35, 0.0004386) and
scientific notation otherwise (3.38e-5, 1.235e7); ``max_chars`` asks for at most that many
characters (a neuron's circle, a heatmap cell): fewer significant figures first in whichever of the
two forms is shorter, so a value is never cut.  No "-0": a value that rounds to zero prints "0".

Indices: the code counts from 0 (a[k][j], W[l][j, i]); the screen counts as the book does, from 1
(neuron j of layer l, w^l_jk), except the input layer a⁰ and W¹ for the code's W[0].  ``book``
converts one index; ``sup``/``sub`` write super- and subscript digits.
"""
from __future__ import annotations

import math

SIG_FIGS_RANGE = (3, 10)               # the View setting's bounds
SIG_FIGS_DEFAULT = 4
SIG_FIGS_MENU = (3, 4, 5, 6, 10)       # what the View menu offers; 10 checks hand calculations
_LARGE = 1e5                           # plain decimals below this magnitude …
_SMALL = 1e-4                          # … and from this one up (as %g does at 4 figures)

_current = {"sig": SIG_FIGS_DEFAULT}


def checked_sig(sig) -> int | None:
    """``sig`` as an int within SIG_FIGS_RANGE, or None when it is not one."""
    if isinstance(sig, bool):
        return None
    try:
        n = int(sig)
    except (TypeError, ValueError):
        return None
    lo, hi = SIG_FIGS_RANGE
    return n if n == sig and lo <= n <= hi else None


def set_sig_figs(sig: int) -> None:
    """The significant figures ``format_number`` uses when not told (the session sets the View setting)."""
    n = checked_sig(sig)
    if n is None:
        raise ValueError(f"significant figures must be an integer in {SIG_FIGS_RANGE[0]}..{SIG_FIGS_RANGE[1]}, not {sig!r}")
    _current["sig"] = n


def sig_figs() -> int:
    return _current["sig"]


def _special(v: float) -> str | None:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return None


def _scientific(v: float, sig: int) -> str:
    """3.38e-5, -1.235e7, 1e300: mantissa with ``sig`` figures (trailing zeros dropped), bare exponent."""
    mant, exp = f"{v:.{sig - 1}e}".split("e")
    if "." in mant:
        mant = mant.rstrip("0").rstrip(".")
    return f"{mant}e{int(exp)}"


def _plain(v: float, sig: int) -> str:
    """A decimal with ``sig`` significant figures (trailing zeros dropped): 0.008771, 12.35, 1235."""
    exp = math.floor(math.log10(abs(v)))
    rounded = float(f"{v:.{sig - 1}e}")                  # rounding may carry: 9.9996 → 10.00
    if rounded != 0:
        exp = math.floor(math.log10(abs(rounded)))
    s = f"{rounded:.{max(sig - 1 - exp, 0)}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _forms(v: float, sig: int) -> list[str]:
    """The candidate texts of ``v`` at ``sig`` figures, preferred first."""
    sci = _scientific(v, sig)
    if _SMALL <= abs(float(sci)) < _LARGE:
        return [_plain(v, sig), sci]
    return [sci]


def format_number(value: float, sig: int | None = None, max_chars: int | None = None,
                  shortest: bool = False) -> str:
    """``value`` with ``sig`` significant figures (None: the View setting), as short as that allows.

    ``shortest``: whichever of plain decimals and scientific notation is shorter at those figures
    (-7.812e-4 rather than -0.0007812; plain on a tie), where the room is tight (edge labels).

    ``max_chars``: the text may have at most this many characters; figures are dropped (down to
    one) until it fits, plain decimals preferred over scientific notation at the same figures.  If
    even one figure does not fit, the shortest text is returned (never a cut number)."""
    v = float(value)
    special = _special(v)
    if special is not None:
        return special
    n = sig_figs() if sig is None else sig
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 17:
        raise ValueError(f"significant figures must be an integer in 1..17, not {sig!r}")
    if v == 0.0:
        return "0"
    if shortest and max_chars is None:
        return min(_forms(v, n), key=len)
    best = None
    for s in range(n, 0, -1) if max_chars is not None else (n,):
        for text in _forms(v, s):
            if max_chars is None or len(text) <= max_chars:
                return text
            if best is None or len(text) < len(best):
                best = text
    return best


def format_scientific(value: float, sig: int | None = None) -> str:
    """``value`` in scientific notation with ``sig`` significant figures (None: the View setting),
    as ``format_number`` writes that form (-6.503e-3); 0 and the specials as it writes them.  For
    a place that splits the exponent off onto a line of its own (a heatmap's narrow cell)."""
    v = float(value)
    special = _special(v)
    if special is not None:
        return special
    n = sig_figs() if sig is None else sig
    return "0" if v == 0.0 else _scientific(v, n)


def format_exact(value: float) -> str:
    """The exact value: the shortest decimal that reads back as the same float (Python's repr),
    '-0' for negative zero, 'NaN', '∞', '-∞'."""
    v = float(value)
    special = _special(v)
    if special is not None:
        return special
    if v == 0.0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    s = repr(v)
    return s[:-2] if s.endswith(".0") else s


def format_hover(value: float) -> str:
    """A hover text's value: the display figures, then the exact value when it says more:
    '0.5933 (exactly 0.5932699921071872)'."""
    shown, exact = format_number(value), format_exact(value)
    v = float(value)
    return shown if not math.isfinite(v) or float(shown) == v else f"{shown} (exactly {exact})"


# -- the book's indices -----------------------------------------------------------------------------
def book(index: int) -> int:
    """A 0-based code index as the screen shows it, counting from 1."""
    return int(index) + 1

