"""engine.notation.subscripts: the derivation's prose writes TeX-style indices as subscripts; a weight's
two indices are written one way in titles and equations (engine.notation.indices)."""
import re

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


def _blocks_naming(preset: str, layer: int, j: int, i: int) -> list[EquationBlock]:
    """Every block the derivation writes for the weight W[layer-1][j-1, i-1] (book indices) selected:
    its backward step's, the scalar and differential tabs', the update's and the nudge check's."""
    from engine import get_preset
    from engine.run import Run
    from gui.derivation import build_step, differential_blocks, scalar_blocks
    from gui.session_types import Selection
    run, sel, out = Run(get_preset(preset)), Selection.edge(layer - 1, j - 1, i - 1), []
    for quantity in ("z", "dW", "update"):
        k = next(n for n, st in enumerate(run.stepper.steps)
                 if st.quantity == quantity and st.book_layer in (layer, 0))
        run.stepper.seek(k)
        view = run.stepper.view()
        out += build_step(run.net, view, sel, "column")
        if quantity == "dW":
            out += scalar_blocks(run.net, view, sel, "column") + differential_blocks(run.net, view, sel, "column")
    return out


@pytest.mark.parametrize("preset, weight, text, tex", [
    ("digits", (1, 4, 11), "w¹₄,₁₁", r"w^{1}_{4,11}"),
    ("digits", (2, 10, 1), "w²₁₀,₁", r"w^{2}_{10,1}"),
    ("mazur", (2, 1, 1), "w²₁₁", r"w^{2}_{11}"),
])
def test_a_weight_is_written_one_way_in_titles_and_equations(preset, weight, text, tex):
    """Titles wrote "w²₁,₁" (always a comma), the equations "w^{2}_{11}" (never one, so digits'
    w²₁₀,₁ was w²₁₀₁, as w²₁,₁₀ would be); now both put a comma only where an index has two digits."""
    from engine.notation import indices, weight_name
    layer, j, i = weight
    blocks = _blocks_naming(preset, *weight)
    titles = [b.title for b in blocks if text[:2] in b.title]                 # the titles naming a weight of the layer
    assert len(titles) >= 2 and all(text in t for t in titles), titles
    numbered = [b.latex for b in blocks if re.search(rf"w\^\{{{layer}\}}_\{{\d+,?\d+\}}", b.latex)]   # … in numbers
    assert len(numbered) >= 2 and all(tex in s for s in numbered), [s[:80] for s in numbered]
    run_on = tex.replace(",", "")
    assert "," in tex or not any(f"w^{{{layer}}}_{{{j},{i}}}" in b.latex for b in blocks)
    assert "," not in tex or not any(run_on + "}" in b.latex for b in blocks)   # never run together
    # the rule itself: no two weights of digits' layers read the same
    for rows, cols in ((32, 64), (10, 32)):
        assert len({weight_name(2, r, c) for r in range(1, rows + 1) for c in range(1, cols + 1)}) == rows * cols
    assert (indices(1, 2), indices(10, 1), indices(1, 10), indices("m", 10), indices("j", "i")) == \
        ("12", "10,1", "1,10", "m,10", "ji")
