"""The book's notation in plain text: superscript layer indices (W², δᴸ) and subscript neuron
indices (w²₁₂) for banners, captions and labels; the two gradient conventions.  No arithmetic
here, so every layer may use it (the GUI's text included: this is the one source)."""
from __future__ import annotations

_SUP = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
_SUB = str.maketrans("0123456789-+", "₀₁₂₃₄₅₆₇₈₉₋₊")

# how gradients are written: "column" vectors (δ = Wᵀδ ⊙ σ′, ∂C/∂W = δ aᵀ shaped like W) or "row"
# vectors (δ = δ W diag σ′, ∂C/∂W = a ⊗ δ shaped like Wᵀ)
CONVENTIONS = ("column", "row")


def sup(n) -> str:
    """A superscript: sup(2) == '²'; sup('L') leaves letters alone but for a few."""
    return str(n).translate(_SUP).replace("L", "ᴸ").replace("l", "ˡ")


def sub(n) -> str:
    """A subscript: sub(12) == '₁₂'."""
    return str(n).translate(_SUB)
