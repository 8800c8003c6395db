"""The book's notation in plain text: superscript layer indices (W², δᴸ) and subscript neuron
indices (w²₁₂) for banners, captions and labels; the two gradient conventions; the Mazur post's
names for its 2-2-2 network.  No arithmetic here, so every layer may use it (the GUI's text
included: this is the one source)."""
from __future__ import annotations

import re

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


def indices(j, i) -> str:
    """A weight's two indices side by side, as it is written everywhere (titles, tooltips, equations):
    a comma between them only where one has two digits or more, so that w²₁₀,₁ and w²₁,₁₀ are not
    both w²₁₀₁; indices(1, 2) == '12', indices(10, 1) == '10,1', indices('m', 10) == 'm,10'."""
    j, i = str(j), str(i)
    return f"{j},{i}" if len(j) > 1 or len(i) > 1 else j + i


def weight_name(layer, j, i) -> str:
    """A weight in plain text, 1-based: weight_name(1, 4, 11) == 'w¹₄,₁₁', weight_name(2, 1, 1) == 'w²₁₁'."""
    return f"w{sup(layer)}{sub(indices(j, i))}"


# the letters Unicode has as subscripts (no b, c, d, f, g, q, w, y, z, and no capitals)
_SUB_LETTERS = dict(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_SUB_TEX = re.compile(r"(?<=[^\s_])_([a-z0-9]{1,2})(?![A-Za-z0-9_])")   # one or two letters: an index, not a name


def subscripts(text: str) -> str:
    """Prose with TeX-style indices written as subscripts: 'δ²_j · a¹_i' → 'δ²ⱼ · a¹ᵢ',
    '∂z_j/∂w_ji' → '∂zⱼ/∂wⱼᵢ'.  An index with a letter Unicode has no subscript for ('∇_z', 'J_C')
    is left as written."""
    def one(m: re.Match) -> str:
        index = m.group(1)
        if all(c.isdigit() or c in _SUB_LETTERS for c in index):
            return "".join(sub(c) if c.isdigit() else _SUB_LETTERS[c] for c in index)
        return m.group(0)
    return _SUB_TEX.sub(one, text)


MAZUR_SIZES = (2, 2, 2)
MAZUR_UNITS = "iho"          # the post's input, hidden and output neurons: i1, i2, h1, h2, o1, o2


def mazur_names(sizes) -> bool:
    """Do the Mazur post's names (i1…o2, w1…w8, b1, b2) fit a network of these layer sizes?"""
    return tuple(sizes) == MAZUR_SIZES


def mazur_neuron(l: int, j: int) -> str:
    """"h2": the post's name of neuron j (1-based) of layer l (0 = the inputs)."""
    return f"{MAZUR_UNITS[l]}{j}"


def mazur_weight(l: int, j: int, k: int) -> str:
    """"w5": the post's name of w^l_jk (book indices, 1-based: layer l, neuron j, input k)."""
    return f"w{4 * (l - 1) + 2 * (j - 1) + k}"
