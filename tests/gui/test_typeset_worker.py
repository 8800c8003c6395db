"""The typesetter's spacing: TeX's thin space between an operator name and an ordinary atom, which
ziamath gives its own operators (\\sin x) but not \\operatorname{…} ("diagσ′(z)" in the derivation)."""
import re

import pytest

from gui import typeset_worker


def width(source: str) -> float:
    svg = typeset_worker.svg(source, 24).decode("utf-8")
    return float(re.search(r'<svg[^>]*\bwidth="([0-9.]+)', svg).group(1))


@pytest.mark.parametrize("source, as_tex_spaces_it", [
    (r"\operatorname{diag}\sigma'(z^{1})", r"\mathrm{diag}\,\sigma'(z^{1})"),      # an ordinary symbol: thin space
    (r"\operatorname{diag}\frac{m^{1}}{1-p}", r"\mathrm{diag}\,\frac{m^{1}}{1-p}"),  # a fraction (dropout's factor)
    (r"\operatorname{tr} A", r"\mathrm{tr}\,A"),                                      # a letter, after a source space
    (r"\operatorname{diag}(p) - p\,p^{T}", r"\mathrm{diag}(p) - p\,p^{T}"),        # an opening delimiter: none
    (r"\operatorname{tr}\!\left(a^{0}\right)", r"\mathrm{tr}\!\left(a^{0}\right)"),  # a space of its own: none added
])
def test_an_operator_name_is_spaced_from_what_follows_as_tex_does(source, as_tex_spaces_it):
    """As wide as the name in roman with TeX's thin space (\\,) written out where TeX puts one."""
    assert width(source) == pytest.approx(width(as_tex_spaces_it), abs=0.01)



def glyph_gap(source: str, size: float = 24) -> float:
    """The blank between the first two glyphs of ``source`` as typeset (each glyph one SVG path):
    the second's leftmost point less the first's rightmost."""
    svg = typeset_worker.svg(source, size).decode("utf-8")
    xs = [[float(x) for x in re.findall(r"(-?[0-9.]+) -?[0-9.]+", d)] for d in re.findall(r'<path d="([^"]*)"', svg)]
    return min(xs[1]) - max(xs[0])


@pytest.mark.parametrize("base", ["W", "V"])
def test_a_superscript_sits_as_close_to_an_italic_w_as_to_other_letters(base):
    """ziamath set W's superscript off by the glyph's whole italic correction: 3.8 px of blank at 24 px
    ("W ¹a⁰"), where δ¹, a¹, b¹, P¹, z¹ and x¹ have 1.8-2.4 px; now within theirs, for each superscript."""
    for sup in ("1", "2", r"\ell", r"\mathsf{T}"):
        others = [glyph_gap(rf"{b}^{{{sup}}}") for b in (r"\delta", "a", "b", "P", "z", "x")]
        assert min(others) <= glyph_gap(rf"{base}^{{{sup}}}") <= max(others), (sup, glyph_gap(rf"{base}^{{{sup}}}"), others)
    assert glyph_gap(f"{base}^2") == pytest.approx(glyph_gap(f"{base}^{{2}}"))          # braced or not, the same
    assert typeset_worker.superscript_spacing(r"\mathbf{W}^{1} + W_{1}^{2} + \Omega^{2}") == r"\mathbf{W}^{1} + W_{1}^{2} + \Omega^{2}"
    assert typeset_worker.superscript_spacing(r"\left(W^{2}\right)^{\mathsf{T}} W^\ell") == \
        r"\left(W^{\mkern-1.5mu 2}\right)^{\mathsf{T}} W^{\mkern-1.5mu \ell}"
