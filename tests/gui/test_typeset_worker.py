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

