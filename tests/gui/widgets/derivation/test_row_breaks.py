"""A row vector of numbers wider than its view breaks between its entries (issue 12: equations stay
at one size and wrap, stack or scroll): at 1024×768 zoom +3, jacobians' slide 6 ("With numbers" in
row vectors, beside the lesson band) had a scroll bar under each of its rows (d-findings #602)."""
import pytest
from PySide6 import QtWidgets

from gui.lessons.builtin import builtin_path
from gui.mathview import PAD, MathView, row_entries
from gui.shell.presentation import ZOOM_STEP
from helpers import window_on_screen
from test_derivation_widgets import check_wide_lines_scroll

ROW = r"\underset{1\times 4}{\begin{bmatrix}0.01301 & 0.008146 & 0.02896 & -0.00156\end{bmatrix}}"


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def test_row_entries_cut_a_row_of_numbers_only():
    assert row_entries(ROW) == ["[", "{0.01301}", "{0.008146}", "{0.02896}", r"\underset{1\times 4}{{-0.00156}]}"]
    assert row_entries(r"{}= \begin{bmatrix}1.2\times 10^{-5} & 3\end{bmatrix},") == \
        ["{}= [", r"{1.2\times 10^{-5}}", "{3}],"]
    from gui.derivation.latex import row, under
    values = [0.01301, -1.234e-05, 0.0, 123456.7, -2.5]          # every form gui.derivation.latex.num writes
    assert len(row_entries("{}= " + under(row(values), "1\\times 5"))) == len(values) + 1
    for whole in (r"\begin{bmatrix}1 \\ 2\end{bmatrix}",                        # a column
                  r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}",                # a matrix
                  r"\begin{bmatrix}a_{1} & 2\end{bmatrix}",                     # not numbers
                  r"\begin{bmatrix}7\end{bmatrix}",                             # one entry
                  r"\left(\begin{bmatrix}1 & 2\end{bmatrix}\right)^{T}",       # inside a fence
                  r"\begin{bmatrix}1 & 2\end{bmatrix}\begin{bmatrix}3 & 4\end{bmatrix}"):
        assert row_entries(whole) is None, whole


def test_a_narrow_view_breaks_a_row_between_its_entries_at_one_size(qtbot):
    view = MathView(ROW + r" = \begin{bmatrix}0.5 & 0.25\end{bmatrix}", round(ZOOM_STEP ** 3, 4))
    qtbot.addWidget(view)
    whole, parts = view._pieces[0][1], view._entries[0]
    assert sorted(view._entries) == [0, 1]
    assert {key[1] for _, key in view._keys} == {key[1] for keys in view._entry_keys.values() for key in keys} \
        == {round(view.font_size, 2)}                                     # every piece at the one size
    wide = int(whole.width) + 10
    assert [pic for pic, _ in view.lines(wide)[0].items] == [whole]       # wide enough: the row whole, as typeset
    narrow = int(whole.width * 0.6)
    lines = [line for line in view.lines(narrow) if any(pic in parts for pic, _ in line.items)]
    placed = [(pic, x) for line in lines for pic, x in line.items if pic is not view._comma]   # (a comma ends a line)
    assert len(lines) >= 2 and [pic for pic, _ in placed] == parts
    assert all(line.width <= narrow - 4 for line in lines)                # every entry in sight: nothing scrolls
    view.resize(narrow, view.heightForWidth(narrow))
    view.show()
    assert all(bar.isHidden() for bar in view.scroll_bars)
    (lead, x0), (first, x1) = placed[:2]
    assert x1 == pytest.approx(x0 + lead.width)                           # "[" then the first entry
    assert all(line.items[0][1] == pytest.approx(x1) for line in lines[1:])    # a line goes on under it
    gaps = [x1 - (x0 + p0.width) for line in lines for (p0, x0), (p1, x1) in zip(line.items, line.items[1:])
            if p1 is not view._comma][1:]
    assert gaps and max(gaps) - min(gaps) < 0.01 and min(gaps) > 0.2 * view.font_size   # spaced as the row's columns
    assert sum(p.width for p in parts) + gaps[0] * (len(parts) - 2) == pytest.approx(whole.width)   # … as the whole row


def test_jacobians_slide_6_at_1024x768_zoom_3_shows_every_entry_of_its_rows(qtbot):
    window, session = window_on_screen(qtbot, "1024x768")
    try:
        session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
        _settle()
        assert window.lessons.open_path(builtin_path("jacobians"), present=False)
        window.lessons.player.go_to(5)
        _settle()
        panel = window.derivation
        assert session.settings.convention == "row" and panel.isVisible()
        views = [v for v in panel.step_list.math_views if v.isVisible()]
        rows = [v for v in views if v._entries]
        assert rows, [v.latex[:40] for v in views]
        sizes = set()
        for view in rows:
            sizes |= {key[1] for _, key in view._keys} | {key[1] for keys in view._entry_keys.values() for key in keys}
            for i, parts in view._entries.items():
                whole = view._pieces[i][1]
                for line, _, over in view.rows(view.width()):
                    if any(pic is whole or pic in parts for pic, _ in line.items):
                        assert over == 0, f"{view.latex[:50]}: a row scrolls at {view.width()} px"
                        assert all(PAD + x + pic.width <= view.width() for pic, x in line.items)   # every entry in the view
            check_wide_lines_scroll(view)             # the bars: under the matrices' lines only
        assert sizes == {round(view.font_size, 2)}
    finally:
        session.stop()
        window.close()


def test_a_broken_row_keeps_its_bracket_with_its_first_entry_and_never_reads_as_a_column(qtbot):
    """Jacobians' slide 11 ("∂C/∂b¹ = δ¹ I = δ¹" in rows) at 1024×768 zoom +3, 302 px: "= [" fitted
    after the 4×4 identity and its first entry did not, so that line scrolled 94 px; and the row after
    "∂C/∂b¹ = [", each line going on under its first entry, took a line for each entry (a column
    with a bracket).  Now "[" goes with its first entry, and a line that goes on starts further left
    where the row then takes fewer lines: two entries a line where two fit the view."""
    row = r"\begin{bmatrix}0.01301 & 0.008146 & 0.02896 & 0.00156\end{bmatrix}"
    identity = r"\underset{4\times 4}{\begin{bmatrix}1 & 0 & 0 & 0 \\ 0 & 1 & 0 & 0 \\ 0 & 0 & 1 & 0 \\ 0 & 0 & 0 & 1\end{bmatrix}}"
    other = row.replace("0.0", "0.1")           # (the same "= [" and numbers would be the same pictures)
    view = MathView(rf"\frac{{\partial C}}{{\partial b^{{1}}}} = {row}\,{identity} \approx \underset{{1\times 4}}{{{other}}}",
                    round(ZOOM_STEP ** 3, 4))
    qtbot.addWidget(view)
    entries = view._entries[1][1:]
    pair = max(a.width + b.width for a, b in zip(entries, entries[1:]))
    lead = view._entries[1][0]
    width = int(2 * PAD + pair + view._comma.width + 0.5 * view.font_size) + 1   # two entries (and a comma) fit a line, not after "∂C/∂b¹ = ["
    assert lead.width + pair > width
    lines = view.lines(width)
    for parts in view._entries.values():
        shown = [[pic for pic, _ in line.items if any(pic is p for p in parts)] for line in lines]
        shown = [s for s in shown if s]
        assert parts[0] in shown[0] and parts[1] in shown[0]                # "… [" with its first entry
        assert all(len(s) >= 2 for s in shown[1:-1]), [len(s) for s in shown]  # no entry alone but the last
    assert all(line.width + 2 * PAD <= width or len(line.items) == 1 for line in lines), \
        [(round(line.width), len(line.items)) for line in lines]            # only the matrix alone is wider


def test_a_row_of_wide_entries_goes_on_at_one_indent(qtbot):
    """Vanishing's slide 4 at 1024×768 zoom +3 (302 px): "= [9.98×10⁻⁵ …]", one entry a line, each
    pulled in only as far as it needed to fit: a ragged left edge.  Now every line the row goes on
    with starts at the same x, and every entry fits."""
    row = r"\begin{bmatrix}9.98\times 10^{-5} & 5.337\times 10^{-5} & -1.061\times 10^{-6} & -1.553\times 10^{-5}\end{bmatrix}"
    view = MathView(rf"\delta^{{2}} = \underset{{1\times 4}}{{{row}}}", round(ZOOM_STEP ** 3, 4))
    qtbot.addWidget(view)
    parts = view._entries[1]
    width = int(2 * PAD + max(p.width for p in parts) + view.font_size * 1.5)    # one entry a line
    lines = [line for line in view.lines(width) if any(pic is p for pic, _ in line.items for p in parts)]
    assert len(lines) == len(parts) - 1                                  # "= [" and its first entry, then one a line
    assert len({round(line.items[0][1], 3) for line in lines[1:]}) == 1, [line.items[0][1] for line in lines]
    assert all(line.width + 2 * PAD <= width for line in lines)


def test_a_broken_row_reads_as_a_row_each_line_ending_with_a_comma(qtbot):
    """One entry a line between "[" and "]" (vanishing's slide 4 at 1024×768 zoom +3, 302 px: no two
    of its entries fit a line) drew exactly a column vector; a comma at the end of each line the row
    goes on from reads as a list across lines, which a column never is.  The whole row has none."""
    row = r"\begin{bmatrix}9.98\times 10^{-5} & 5.337\times 10^{-5} & -1.061\times 10^{-6} & -1.553\times 10^{-5}\end{bmatrix}"
    view = MathView(rf"\delta^{{2}} = \underset{{1\times 4}}{{{row}}}", round(ZOOM_STEP ** 3, 4))
    qtbot.addWidget(view)
    parts, comma = view._entries[1], view._comma
    assert comma.width == pytest.approx(typeset_width(view, "{,}"))
    assert all(pic is not comma for line in view.lines(None) for pic, _ in line.items)     # whole: no comma
    for width in (int(2 * PAD + max(p.width for p in parts) + view.font_size * 1.5),      # one entry a line
                  int(2 * PAD + parts[1].width + parts[2].width + comma.width + view.font_size * 1.2)):
        lines = [[pic for pic, _ in line.items] for line in view.lines(width)]
        assert sum(len(line) for line in lines) > 3
        assert [line[-1] is comma for line in lines] == [True] * (len(lines) - 1) + [False], width
        assert lines[-1][-1] is parts[-1]                                      # "…]" ends the row
        assert [pic for line in lines for pic in line if pic is not comma][1:] == parts   # each entry once, in order
        assert all(line.width + 2 * PAD <= width for line in view.lines(width))          # the commas fit too
    other = MathView(r"a = \begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}")
    qtbot.addWidget(other)
    assert other._comma is None and other._comma_key is None                    # no row: nothing typeset for it


def typeset_width(view: MathView, source: str) -> float:
    """``source``'s width typeset on its own at the view's size (read from its SVG's view box)."""
    from gui.mathview import _VIEWBOX, typeset
    return float(_VIEWBOX.search(typeset(source, round(view.font_size, 2), view._color())).group(3))
