"""The one number formatter: significant figures, notation, max_chars, specials; the book's indices."""
from __future__ import annotations

import math
import random

import pytest

from gui import numbers
from engine.notation import sub, sup
from gui.numbers import book, format_exact, format_hover, format_number, set_sig_figs, sig_figs


@pytest.fixture(autouse=True)
def default_figures():
    set_sig_figs(4)
    yield
    set_sig_figs(4)


@pytest.mark.parametrize("value, text", [
    (0.008771, "0.008771"), (0.009954, "0.009954"),          # Mazur's δ¹, which 3 decimals hid
    (0.14978072, "0.1498"), (0.19956143, "0.1996"),          # Mazur's W¹ after the update
    (0.298371109, "0.2984"), (1.10590597, "1.106"),
    (12.3456, "12.35"), (1234.56, "1235"), (12345.6, "12350"), (-0.5, "-0.5"), (0.25, "0.25"),
    (0.00043862, "0.0004386"), (3.3799e-05, "3.38e-5"), (-3.38e-5, "-3.38e-5"),
    (123456.0, "1.235e5"), (1e300, "1e300"), (-1.7976931348623157e308, "-1.798e308"), (5e-324, "4.941e-324"),
    (1.0, "1"), (100.0, "100"), (0.1, "0.1"),
])
def test_four_significant_figures_by_default(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("value, sig, text", [
    (9.9996, 4, "10"), (0.99996, 4, "1"), (99999.0, 4, "1e5"), (0.000099996, 4, "0.0001"),     # rounding carries
    (2.5, 1, "2"), (0.125, 2, "0.12"), (1.0005, 4, "1"),      # round half to even on the binary value
    (2 / 3, 3, "0.667"), (2 / 3, 6, "0.666667"), (2 / 3, 10, "0.6666666667"),
    (-2 / 3, 5, "-0.66667"), (math.pi * 1e-7, 10, "3.141592654e-7"),
])
def test_rounding_at_any_figures(value, sig, text):
    assert format_number(value, sig) == text


@pytest.mark.parametrize("value", [0.0, -0.0, -1e-30 * 0, 0.0 * -1])
def test_zero_and_negative_zero_print_0(value):
    assert format_number(value) == "0" and format_number(value, 10, max_chars=1) == "0"


def test_no_minus_zero_after_rounding():
    """A tiny negative value keeps its sign (it is not zero); only true zeros print 0."""
    assert format_number(-1e-12) == "-1e-12"
    assert not any(format_number(v).startswith("-0") and float(format_number(v)) == 0
                   for v in (-1e-5, -4e-5, -0.00001, -1e-300))


@pytest.mark.parametrize("value, text", [(math.nan, "NaN"), (math.inf, "∞"), (-math.inf, "-∞")])
def test_nan_and_infinities(value, text):
    assert format_number(value) == text and format_number(value, 3, max_chars=1) == text
    assert format_exact(value) == text


@pytest.mark.parametrize("value, room, text", [
    (0.008771, 8, "0.008771"), (0.008771, 6, "0.0088"), (0.008771, 4, "9e-3"),
    (3.3799e-05, 7, "3.38e-5"), (3.3799e-05, 5, "3e-5"), (-3.38e-5, 5, "-3e-5"),
    (0.7514, 5, "0.751"), (-0.1385, 6, "-0.139"), (1234.56, 4, "1235"), (1234.56, 3, "1e3"),
    (123456.0, 5, "1.2e5"), (1e300, 3, "1e300"),              # never cut: the shortest when nothing fits
])
def test_max_chars_drops_figures_before_overflowing(value, room, text):
    out = format_number(value, max_chars=room)
    assert out == text
    assert len(out) <= room or all(len(format_number(value, s)) > room for s in range(1, 5))


def test_max_chars_keeps_every_figure_that_fits_and_stays_close():
    rng = random.Random(12)
    for _ in range(2000):
        v = rng.choice((-1, 1)) * 10 ** rng.uniform(-12, 12)
        room = rng.randint(3, 12)
        out = format_number(v, max_chars=room)
        shortest = min(len(f) for n in range(1, 5) for f in (format_number(v, n), f"{v:.{n - 1}e}"))
        assert len(out) <= max(room, shortest)                      # overflows only when nothing fits
        full = format_number(v)
        if len(full) <= room:
            assert out == full
        assert math.isclose(float(out), v, rel_tol=0.5)              # the same number, maybe rounder


def test_round_trip_within_half_a_unit_of_the_last_figure():
    rng = random.Random(3)
    for _ in range(3000):
        v = rng.choice((-1, 1)) * 10 ** rng.uniform(-300, 300)
        for sig in (3, 4, 6, 10):
            assert abs(float(format_number(v, sig)) - v) <= abs(v) * 0.5 * 10 ** (1 - sig) * (1 + 1e-9)


def test_the_view_setting_is_the_default_and_is_checked():
    assert sig_figs() == 4
    set_sig_figs(6)
    assert format_number(2 / 3) == "0.666667" and format_number(2 / 3, 3) == "0.667"
    for bad in (2, 11, 4.5, "4", True, None):
        with pytest.raises(ValueError):
            set_sig_figs(bad)
    assert sig_figs() == 6
    assert numbers.checked_sig(7.0) == 7 and numbers.checked_sig(3) == 3 and numbers.checked_sig(11) is None
    with pytest.raises(ValueError):
        format_number(1.0, 0)


@pytest.mark.parametrize("value, text", [
    (0.1 + 0.2, "0.30000000000000004"), (0.5932699921071872, "0.5932699921071872"), (-0.0, "-0"), (0.0, "0"),
    (3.0, "3"), (1e300, "1e+300"), (5e-324, "5e-324"), (-2.5, "-2.5"),
])
def test_format_exact_reads_back_as_the_same_float(value, text):
    assert format_exact(value) == text
    assert float(format_exact(value)) == value


def test_hover_gives_the_shown_and_the_exact_value():
    assert format_hover(0.5932699921071872) == "0.5933 (exactly 0.5932699921071872)"
    assert format_hover(0.45) == "0.45"
    assert format_hover(math.nan) == "NaN"


def test_book_indices():
    assert book(0) == 1 and book(9) == 10
    assert sup(12) == "¹²" and sub(10) == "₁₀" and sub("-1") == "₋₁"
    assert sup("L") == "ᴸ" and sup("l+1") == "ˡ⁺¹"          # one source for the engine's banners and the GUI


@pytest.mark.parametrize("value, sig, text", [
    (-0.00078123, 4, "-7.812e-4"),      # shorter than -0.0007812
    (0.0004386, 4, "4.386e-4"),
    (-0.0041234, 4, "-0.004123"),       # a tie: plain
    (0.5932699921071872, 4, "0.5933"),
    (12345.678, 4, "12350"),
    (-3.38e-05, 3, "-3.38e-5"),
    (0.000877135, 6, "8.77135e-4"),
])
def test_shortest_form_at_the_figures(value, sig, text):
    shown = format_number(value, sig, shortest=True)
    assert shown == text
    assert float(shown) == float(f"{value:.{sig - 1}e}")


def test_scientific_form_at_the_view_setting():
    """format_scientific writes the scientific form format_number would (for a heatmap's two-line
    cells): the same figures, trailing zeros dropped, a bare exponent; 0 and the specials as usual."""
    from gui.numbers import format_scientific
    assert format_scientific(-0.006503) == "-6.503e-3" and format_number(-0.006503) == "-0.006503"
    assert format_scientific(-0.0007798) == format_number(-0.0007798, shortest=True) == "-7.798e-4"
    assert format_scientific(1234.5, 3) == "1.23e3" and format_scientific(0.5) == "5e-1"
    assert format_scientific(0.0) == "0" and format_scientific(float("nan")) == "NaN"
    assert format_scientific(float("-inf")) == "-∞"
