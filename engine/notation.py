"""The book's notation in plain text: superscript layer indices (W², δᴸ) for banners, captions and
labels.  No arithmetic here, so every layer may use it."""
from __future__ import annotations

_SUP = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def sup(n) -> str:
    """A superscript: sup(2) == '²'; sup('L') leaves letters alone but for a few."""
    return str(n).translate(_SUP).replace("L", "ᴸ").replace("l", "ˡ")
