"""engine.notation.subscripts: the derivation's prose writes TeX-style indices as subscripts."""
import pytest

from engine.notation import subscripts
from gui.derivation import EquationBlock


@pytest.mark.parametrize("text, shown", [
    ("entry (j, i) is δ²_j · a¹_i; it has", "entry (j, i) is δ²ⱼ · a¹ᵢ; it has"),
    ("w_ji reaches C only through z_j, and ∂z_j/∂w_ji = a_i:", "wⱼᵢ reaches C only through zⱼ, and ∂zⱼ/∂wⱼᵢ = aᵢ:"),
    ("∂p_j/∂z_k = p_j(δ_jk − p_k)", "∂pⱼ/∂zₖ = pⱼ(δⱼₖ − pₖ)"),
    ("x_12 and h_k", "x₁₂ and hₖ"),
    ("∇_z C and J_C(b)", "∇_z C and J_C(b)"),            # no subscript z or C in Unicode: left as written
    ("loss = half_sse, my_file", "loss = half_sse, my_file"),   # a name, not an index
])
def test_indices_become_subscripts(text, shown):
    assert subscripts(text) == shown


def test_a_derivation_block_shows_subscripts_in_its_title_and_text():
    block = EquationBlock("Gradient of w_ji", r"\frac{\partial C}{\partial w_{ji}}", text="through z_j")
    assert (block.title, block.text) == ("Gradient of wⱼᵢ", "through zⱼ")
    assert block.latex == r"\frac{\partial C}{\partial w_{ji}}"      # LaTeX untouched
