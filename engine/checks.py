"""Checks of plain values shared by the engine's modules: each returns the value converted, or
raises ValueError naming what was wrong and what is allowed."""
from __future__ import annotations

import numbers


def whole(value, what: str, lo: int, hi: int | None = None) -> int:
    """``value`` as an int if it is a whole number from ``lo`` to ``hi`` (None: no upper bound);
    bools are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo \
            or (hi is not None and value > hi):
        allowed = f"≥ {lo}" if hi is None else f"from {lo} to {hi:,}"
        raise ValueError(f"{what} must be a whole number {allowed}, got {value!r}")
    return int(value)
