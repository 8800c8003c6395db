"""A piece of an equation too wide for a line of its own breaks after its relation or sign before it
scrolls (issue 12: equations wrap, stack or scroll; scrolling sideways on a projector loses the
audience): at 1024×768 zoom +3 (302-px views beside the lesson band) mazur's loss "= ½(0.7514 − 0.01)²"
scrolled 26-32 px and the matrices under "∂C/∂W² =" scrolled their name's width more than they
needed (d-findings #606).  The relation ends the line, what follows starts the next."""
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.lessons.builtin import builtin_path
from gui.mathview import PAD, MathView, picture
from gui.shell.presentation import ZOOM_STEP
from helpers import window_on_screen
from test_derivation_widgets import check_wide_lines_scroll

SCALE = round(ZOOM_STEP ** 3, 4)
LOSS = r"C = \tfrac{1}{2}(0.7514 - 0.01)^2 + \tfrac{1}{2}(0.7729 - 0.99)^2 = 0.2984"
SMALL = r"\begin{bmatrix}0.0004386 & 0.0008771 \\ 0.0004977 & 0.0009954\end{bmatrix}"
GRAD = rf"\frac{{\partial C}}{{\partial W^{{2}}}} = \underset{{2\times 2}}{{{SMALL}}}"


def _settle():
    for _ in range(4):
        QtWidgets.QApplication.processEvents()


def _alone(view: MathView, source: str):
    """``source`` typeset on its own at the view's size: the independent reference for a part."""
    return picture(source, round(view.font_size, 2), view._color(), view._dpr)


def _ink_columns(image: QtGui.QImage) -> int:
    return sum(1 for x in range(image.width()) if any(image.pixelColor(x, y).alpha() for y in range(image.height())))


def test_a_relation_too_wide_for_its_own_line_ends_the_line_before(qtbot):
    view = MathView(LOSS, SCALE)
    qtbot.addWidget(view)
    name, first, plus, result = (pic for _, pic in view._pieces)
    operand = _alone(view, r"\tfrac{1}{2}(0.7514 - 0.01)^2")
    # wide enough for "= ½(…)²" on a line of its own: the relation starts the line, as the panel writes
    fits = int(first.width + 2 * PAD) + 1
    assert first in [pic for line in view.lines(fits) for pic, _ in line.items]
    assert all(line.items[0][0] is first for line in view.lines(fits) if first in [p for p, _ in line.items])
    # narrower: "C =" on one line, "½(0.7514 − 0.01)²" on the next, nothing scrolls
    width = int(operand.width + 2 * PAD) + 4
    assert first.width > width - 2 * PAD and plus.width > width - 2 * PAD
    rows = view.rows(width)
    assert all(over == 0 for _, _, over in rows), [(round(line.width), over) for line, _, over in rows]
    items = [[pic for pic, _ in line.items] for line, _, _ in rows]
    relation, rest = first.stacked
    assert items[0] == [name, relation] and items[1] == [rest]
    assert plus.stacked[1] in items[3] and plus.stacked[0] in items[2]   # "+" ends its line too
    assert rest.width == pytest.approx(operand.width, abs=2)             # the operand, as typeset alone
    assert relation.width < _alone(view, "{}={}").width + 1              # "=" and no more
    assert relation.ascent + relation.descent < 0.5 * (first.ascent + first.descent)   # only as tall as "="
    assert {pic.image.devicePixelRatio() for pic in (relation, rest)} == {first.image.devicePixelRatio()}
    view.resize(width, view.heightForWidth(width))
    view.show()
    assert all(bar.isHidden() for bar in view.scroll_bars)


def test_a_matrix_wider_than_its_view_goes_under_its_name_then_scrolls_less(qtbot):
    view = MathView(GRAD, SCALE)
    qtbot.addWidget(view)
    name, whole = (pic for _, pic in view._pieces)
    matrix = _alone(view, rf"\underset{{2\times 2}}{{{SMALL}}}")
    width = int(matrix.width * 0.9)
    rows = view.rows(width)
    assert [[pic for pic, _ in line.items] for line, _, _ in rows] == [[name, whole.stacked[0]], [whole.stacked[1]]]
    (_, _, over_name), (line, _, over) = rows
    assert over_name == 0 and line.items[0][1] == 0                      # the matrix at the left edge
    assert over == pytest.approx(matrix.width + 2 * PAD - width, abs=3)  # it scrolls its own overhang only
    view.resize(width, view.heightForWidth(width))
    view.show()
    check_wide_lines_scroll(view)
    assert [bar.isHidden() for bar in view.scroll_bars] == [False]
    # a product after a thin space is not cut (its first ink is its operand's): the whole factor goes on
    product = MathView(rf"g = 0.5\,{SMALL}", SCALE)
    qtbot.addWidget(product)
    factor = product._pieces[-1][1]
    assert factor in [pic for line in product.lines(int(factor.width * 0.8)) for pic, _ in line.items]


def test_a_stacked_piece_prints_as_it_shows(qtbot):
    """Vector outputs (SVG, PDF, pictures) draw each part's SVG clipped to the part: without the clip
    the part "=" drew the whole piece (its matrix too) after the name."""
    view = MathView(GRAD, SCALE)
    qtbot.addWidget(view)
    width = int(view._pieces[1][1].stacked[1].width * 0.9)
    height = view.heightForWidth(width)

    def drawn(vector: bool) -> QtGui.QImage:
        image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(image)
        if vector:
            recorded = QtGui.QPicture()
            p = QtGui.QPainter(recorded)
            view.paint_to(p, width)
            p.end()
            painter.drawPicture(0, 0, recorded)
        else:
            view.paint_to(painter, width)
        painter.end()
        return image

    screen, printed = drawn(False), drawn(True)
    first = view.rows(width)[0][0]
    band = int(PAD + first.ascent + first.descent)                       # the first line: "∂C/∂W² ="
    assert _ink_columns(printed.copy(0, 0, width, band)) == pytest.approx(_ink_columns(screen.copy(0, 0, width, band)), abs=4)
    assert _ink_columns(printed) == pytest.approx(_ink_columns(screen), abs=4)


def test_lessons_at_1024x768_zoom_3_scroll_only_their_matrices(qtbot):
    """Mazur's slide 5 (the loss) and 10 (∂C/∂W¹, 2×2 of 0.0004386 …): the loss scrolled 32 and 26 px,
    the matrix 54 after "= "; now the loss breaks after its relations and its "+", and the matrix goes
    under its name, alone on its line.  Differentials' slide 3 ("The index route": δ_k = Σ_j ∂C/∂p_j
    ∂p_j/∂z_k = …, a product of fractions with nowhere to break) scrolled 129 px; its factors are now
    a thin-space product, which may break."""
    window, session = window_on_screen(qtbot, "1024x768")
    try:
        session.settings.font_scale = SCALE
        _settle()
        for lesson, slide in (("mazur", 5), ("mazur", 10), ("differentials", 3)):
            assert window.lessons.open_path(builtin_path(lesson), present=False)
            window.lessons.player.go_to(slide - 1)
            session.settings.companion = "derivation"
            _settle()
            views = [v for v in window.derivation.step_list.math_views if v.isVisible()]
            assert views and (lesson == "mazur" or any(r"\delta_k" in v.latex for v in views))
            for view in views:
                check_wide_lines_scroll(view)
                relations = [pic for kind, pic in view._pieces if kind == "rel"]
                for line, _, over in view.rows(view.width()):
                    assert not over or len(line.items) == 1 and r"\begin{bmatrix}" in view.latex \
                        and line.items[0][0] not in relations, \
                        f"{lesson} slide {slide}: {view.latex[:60]} scrolls {over} px at {view.width()}"
    finally:
        session.stop()
        window.close()


def test_the_nudge_checks_measurement_breaks_between_its_halves(qtbot):
    """The differential form's check "dC ≈ ε ∂C/∂w²₁₁ = … ≈ ½[C(w²₁₁ + ε) − C(w²₁₁ − ε)]" scrolled 133 px
    at zoom +3 in a 302-px view (mazur, wong, iris): the bracket held the difference whole.  Written
    as two halves, "− ½C(w²₁₁ − ε)" may go on the next line."""
    from engine import get_preset
    from engine.run import Run
    from gui.derivation import differential_blocks
    from gui.session_types import Selection
    run = Run(get_preset("mazur"))
    run.stepper.seek(next(k for k, st in enumerate(run.stepper.steps) if st.quantity == "dW"))
    block = next(b for b in differential_blocks(run.net, run.stepper.view(), Selection.edge(1, 0, 0), "row")
                 if b.title.startswith("Check: nudge"))
    view = MathView(block.latex, SCALE)
    qtbot.addWidget(view)
    rows = view.rows(302)
    assert all(over == 0 for _, _, over in rows), [(round(line.width), over) for line, _, over in rows]
    assert r"\tfrac{1}{2}C(w^{2}_{11} + \varepsilon) - \tfrac{1}{2}C(w^{2}_{11} - \varepsilon)" in block.latex
