"""The derivation panel reads on a projector: nothing wider than its dock (labels wrap, rows of
controls wrap, only an equation or a table that cannot wrap scrolls on its own), the gradient
check shows no empty plot and keeps its table's columns, and its colours meet WCAG AA (4.5:1) in
both themes."""
import dataclasses

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.mathview import MathView
from gui.shell.presentation import ZOOM_STEP
from gui.theme import THEMES, contrast_ratio
from gui.widgets.derivation.panel import TABS
from helpers import window_on_screen


def _settle(qtbot):
    qtbot.wait(30)
    for _ in range(3):
        QtWidgets.QApplication.processEvents()


def _rect_in(widget: QtWidgets.QWidget, top: QtWidgets.QWidget) -> QtCore.QRect:
    return QtCore.QRect(widget.mapTo(top, QtCore.QPoint(0, 0)), widget.size())


def _seen_whole_width(widget: QtWidgets.QWidget, panel: QtWidgets.QScrollArea, what: str) -> None:
    """``widget`` is not cut at the left or right by the viewport of any scroll area it is in, up
    to and including the panel's own, but for one inside the panel that shows its horizontal scroll
    bar (what cannot be narrower scrolls on its own; a list whose scroll bar is off must not cut)."""
    window = panel.window()
    rect = _rect_in(widget, window)
    parent = widget.parentWidget()
    while parent is not None:
        scrolls = parent is not panel and isinstance(parent, QtWidgets.QAbstractScrollArea) \
            and parent.horizontalScrollBar().isVisible()
        if scrolls:                 # seen by scrolling that area sideways: the area itself must be seen whole
            widget, rect = parent, _rect_in(parent, window)
        elif isinstance(parent, QtWidgets.QAbstractScrollArea):
            room = _rect_in(parent.viewport(), window)
            assert room.left() - 1 <= rect.left() and rect.right() <= room.right() + 1, \
                f"{what}: {type(widget).__name__} x {rect.left()}..{rect.right()} cut by {type(parent).__name__}'s " \
                f"viewport x {room.left()}..{room.right()}"
        if parent is panel:
            return
        parent = parent.parentWidget()


def _text_fits(label: QtWidgets.QLabel, what: str) -> None:
    """A word-wrapped label as tall as its text wrapped at its width; a plain one as wide as its
    text (font metrics against geometry, as tests/gui/shell/test_lecture_screen.py checks)."""
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        assert need <= label.height() + 2, f"{what}: {label.text()[:40]!r} wrapped needs {need} px, has {label.height()}"
    elif not QtGui.Qt.mightBeRichText(label.text()):
        widest = max(QtGui.QFontMetricsF(label.font()).horizontalAdvance(line) for line in label.text().split("\n"))
        assert widest <= label.contentsRect().width() + 1, f"{what}: {label.text()!r} needs {widest:.0f} px"


def check_panel_fits(panel, what: str) -> None:
    """No sideways scrolling of the panel; every label, button and equation seen at its whole width
    with its whole text; a table's header sections as wide as their names."""
    bar = panel.horizontalScrollBar()
    assert not bar.isVisible() and panel.widget().width() <= panel.viewport().width(), \
        f"{what}: the panel is {panel.widget().width()} px wide in {panel.viewport().width()} (its minimum " \
        f"{panel.widget().minimumSizeHint().width()})"
    shown = lambda w: w.isVisibleTo(panel) and not w.visibleRegion().isEmpty()
    for label in panel.findChildren(QtWidgets.QLabel):
        if shown(label) and label.text():
            _seen_whole_width(label, panel, what)
            _text_fits(label, what)
    for button in panel.findChildren(QtWidgets.QAbstractButton):
        if shown(button) and button.text():
            _seen_whole_width(button, panel, what)
            assert button.sizeHint().width() <= button.width() + 1, f"{what}: button {button.text()!r} cut"
    for w in panel.findChildren(QtWidgets.QComboBox) + panel.findChildren(MathView):
        if shown(w):
            _seen_whole_width(w, panel, what)
    for table in panel.findChildren(QtWidgets.QTableWidget):
        if shown(table):
            _seen_whole_width(table, panel, what)
            header = table.horizontalHeader()
            fm = QtGui.QFontMetricsF(header.font())
            for c in range(table.columnCount()):
                name = table.horizontalHeaderItem(c).text()
                assert header.sectionSize(c) >= fm.horizontalAdvance(name), f"{what}: column {name!r} cut"


@pytest.mark.parametrize("screen_name", ["1280x720", "1024x768"])
def test_panel_never_wider_than_its_dock_in_the_training_layout(qtbot, screen_name):
    """The Training layout's narrow derivation dock at zoom 0 and +3, every page, before and after
    the backward pass (and a gradient check): "Row v…", "Loss: Binary cross-entrop…" and "shaped
    like W" were cut at the dock's edge above a horizontal scroll bar (the layout row's radio
    buttons made the panel 352 px wide in 304, 478 px at zoom +3)."""
    window, session = window_on_screen(qtbot, screen_name, "xor")
    window.layouts.switch("training")
    dock, panel = window.docks["derivation"], window.derivation
    dock.show()
    dock.raise_()
    for zoom in (0, 3):
        session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
        for page in range(len(TABS)):
            panel.tabs.setCurrentIndex(page)
            for k in (5, session.stepper.last):
                session.seek(k)
                if page == 4 and k == session.stepper.last:
                    panel.gradcheck_view.run_check()
                _settle(qtbot)
                check_panel_fits(panel, f"{screen_name} zoom {zoom} {TABS[page]!r} micro-step {k + 1}")
        session.next_example()                  # the check no longer applies: the next zoom starts without one
    window.close()


def test_gradient_check_shows_no_empty_plot_and_fits_after_a_check(qtbot):
    """1280×720, micro-step 8: before a check neither the table nor a plot (an empty plot with ticks
    −500 … −100 and a colour bar was drawn half cut, and the table's "rel. error" was cut);
    after one, the table's columns keep their names and the heatmap of log10 relative errors of the
    focus layer is drawn whole, counted from 1 as the book does."""
    window, session = window_on_screen(qtbot, "1280x720")
    dock, panel = window.docks["derivation"], window.derivation
    dock.show()
    dock.raise_()
    panel.tabs.setCurrentIndex(4)
    session.seek(7)
    _settle(qtbot)
    view = panel.gradcheck_view
    assert not view.button.isEnabled() and view.result is None
    assert not view.table.isVisibleTo(panel) and not view.heatmap.isVisibleTo(panel)
    check_panel_fits(panel, "before a check")
    session.seek(session.stepper.last)
    view.run_check()
    _settle(qtbot)
    assert view.table.isVisible() and view.heatmap.isVisible()
    check_panel_fits(panel, "after a check")
    err = view.result.check.rel_err_W[0]
    np.testing.assert_array_equal(view.heatmap.matrix, np.log10(np.maximum(err, 1e-16)))
    assert view.heatmap.levels == (-16.0, 0.0)
    graphics = view.heatmap._graphics
    assert graphics.height() >= graphics.minimumHeight() >= 120
    ticks = view.heatmap._plot.getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks] == [str(k) for k in range(1, err.shape[1] + 1)]
    window.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_failing_rows_of_the_gradient_check_meet_wcag_in_both_themes(qtbot, session, theme):
    """A row above the threshold is filled with the theme's error colour and its text contrasts
    ≥ 4.5:1 with it (the fixed peach "#ffd7a8" kept the dark theme's light text: about 1.2:1),
    also after switching the theme with the result on screen."""
    from gui.widgets.derivation.panel import DerivationPanel
    session.settings.theme = "light" if theme == "dark" else "dark"
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    session.seek(session.stepper.last)
    panel.tabs.setCurrentIndex(4)
    view = panel.gradcheck_view
    view.run_check()
    res = view.result
    worst = float(max(e.max() for e in res.check.rel_err_W + res.check.rel_err_b))
    # a threshold under the largest error: the rows above it are the failing ones (a real check of
    # Mazur's network passes every entry)
    view.result = dataclasses.replace(res, check=dataclasses.replace(res.check, threshold=worst / 2))
    view._show()
    session.settings.theme = theme
    table, failing = view.table, 0
    palette_text = table.palette().color(QtGui.QPalette.ColorRole.Text)
    errors = [err for *_, err in view._rows()]          # the table's rows, in order
    assert table.rowCount() == len(errors)
    for r, err in enumerate(errors):
        above = err > worst / 2
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item.background().style() == QtCore.Qt.BrushStyle.NoBrush:
                assert not above, f"row {r} is above the threshold but not highlighted"
                continue
            failing += c == 0
            fill = item.background().color()
            assert fill == QtGui.QColor(THEMES[theme].error)
            ink = item.foreground().color() if item.foreground().style() != QtCore.Qt.BrushStyle.NoBrush else palette_text
            assert contrast_ratio(ink, fill) >= 4.5, f"{theme}: {ink.name()} on {fill.name()}"
    assert failing >= 1


def _ink_on_ground(widget: QtWidgets.QWidget, view: MathView) -> tuple[QtGui.QColor, QtGui.QColor]:
    """(the colour of ``view``'s text, the colour behind it) as painted in ``widget``: the ground is
    the pixel at the view's corner (its padding), the ink the pixel that contrasts most with it
    (the stems of the glyphs are wider than a pixel, so that one is the pen's own colour)."""
    image = widget.grab().toImage()
    at = view.mapTo(widget, QtCore.QPoint(0, 0))
    ground = image.pixelColor(at)
    rect = QtCore.QRect(at, view.size()).intersected(image.rect())
    best, ink = 0.0, ground
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1):
            c = image.pixelColor(x, y)
            r = contrast_ratio(c, ground)
            if r > best:
                best, ink = r, c
    return ink, ground


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_stand_in_and_failed_equations_meet_wcag_in_both_themes(qtbot, monkeypatch, theme):
    """On the theme's panel: an equation's stand-in (shown until the typesetting process delivers)
    and a failed equation's raw LaTeX reach 4.5:1 (they were 4.4:1 and 2.6:1 on the dark panel);
    the stand-in stays visibly not final: not in the equations' own colour (and italic)."""
    from gui import mathview
    from gui.derivation import EquationBlock
    from gui.shell.presentation import make_palette
    from gui.widgets.derivation.blocks import BlockList
    t = THEMES[theme]
    blocks = BlockList()
    qtbot.addWidget(blocks)
    blocks.setPalette(make_palette(t))
    blocks.resize(500, 300)
    blocks.show()
    qtbot.waitExposed(blocks)
    blocks.set_blocks([EquationBlock("Failed", r"\frac{")], 1.0, t)
    failed = blocks.math_views[0]
    assert failed.error is not None
    ink, ground = _ink_on_ground(blocks, failed)
    assert ground == QtGui.QColor(t.panel if theme == "dark" else t.background)
    assert contrast_ratio(ink, ground) >= 4.5, f"raw LaTeX {ink.name()} on {ground.name()}"
    assert ink.red() > ink.green() + 60, f"raw LaTeX in {ink.name()}: not the error colour"

    monkeypatch.setattr(mathview, "_defer", True)          # as in the app: a stand-in until the process answers
    latex = rf"z^{{1}}_{{1}} = {len(theme)}17.25 + \sigma(0.5)"    # not drawn before: no cached picture
    blocks.set_blocks([EquationBlock("Waiting", latex)], 1.0, t)
    view = blocks.math_views[0]
    assert view.waiting
    ink, ground = _ink_on_ground(blocks, view)
    mathview.ahead.forget(view)
    final = QtGui.QColor(t.foreground)
    assert contrast_ratio(ink, ground) >= 4.5, f"stand-in {ink.name()} on {ground.name()}"
    assert contrast_ratio(ink, final) > 1.5, f"stand-in {ink.name()}: the equations' own colour"


def _in_view(widget: QtWidgets.QWidget, area: QtWidgets.QScrollArea) -> bool:
    """``widget`` wholly inside the scroll area's viewport (vertically)."""
    top = widget.mapTo(area.viewport(), QtCore.QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= area.viewport().height()


@pytest.mark.parametrize("screen_name", ["1280x720", "1024x768"])
def test_a_slide_scrolls_the_block_it_talks_about_into_view(qtbot, screen_name):
    """The differentials lesson's slide 2 talks about "The loss written in z", the third block of
    the loss step, whose equation was below the panel's fold at 1280×720 and 1024×768: the slide's
    derivation_block scrolls it into view, title and equation.  The next micro-step (slide 3)
    starts at the top again, with its own quantity's block; so does any step the lecturer takes."""
    from gui.lessons.builtin import builtin_path
    window, session = window_on_screen(qtbot, screen_name)
    try:
        assert window.lessons.open_path(builtin_path("differentials"), present=False)
        player, panel = window.lessons.player, window.derivation
        lst, bar = panel.step_list, panel.verticalScrollBar()      # the panel is the page's one scroll
        player.go_to(1)
        assert player.state.derivation_block == "The loss written in z"
        row = next(i for i, b in enumerate(lst.blocks) if b.title.startswith("The loss written in z"))
        title, _, equation = lst._rows[row]
        qtbot.waitUntil(lambda: bar.value() > 0, timeout=3000)     # it was below the fold
        _settle(qtbot)
        assert equation.height() >= equation.heightForWidth(equation.width()) - 1 > 20       # laid out
        assert _in_view(title, panel) and _in_view(equation, panel)
        player.go_to(2)                                           # micro-step 7: δ² = p − y, from the top
        _settle(qtbot)
        assert bar.value() == 0 and _in_view(lst._rows[0][0], panel)
        bar.setValue(bar.maximum())
        session.seek(session.stepper.index + 1)
        _settle(qtbot)
        assert bar.value() == 0
        assert not panel.show_block("No such block")
    finally:
        session.stop()
        window.close()


def test_the_convention_note_gives_way_to_the_derivation_on_a_narrow_panel(qtbot, session):
    """The note on the layout convention shows while it takes at most NOTE_LINES lines; narrower
    (or at zoom +3) it would push the derivation below the fold, so it hides and the "Layout:"
    label carries it as its tooltip.  Widened again, it comes back."""
    from gui.widgets.derivation.blocks import NOTE_LINES
    from gui.widgets.derivation.panel import DerivationPanel
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    qtbot.waitExposed(panel)
    note = panel.toggle.note
    _settle(qtbot)
    assert note.isVisible() and note.text()
    assert panel.toggle.label.toolTip() == note.text()
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    panel.resize(320, 600)
    _settle(qtbot)
    lines = note.heightForWidth(panel.toggle.width()) / QtGui.QFontMetricsF(note.font()).lineSpacing()
    assert lines > NOTE_LINES + 0.5 and not note.isVisible()
    check_panel_fits(panel, "narrow, zoom +3")
    session.settings.font_scale = 1.0
    panel.resize(700, 600)
    _settle(qtbot)
    assert note.isVisible()


def test_the_convention_toggle_is_as_tall_as_what_it_shows_where_the_note_makes_the_panel_scroll(qtbot):
    """xor's backward step at 1024×768 (panel 354 px): the note took 3 lines at the panel's width
    and 4 once the scroll bar it caused took 14 px, so it was hidden, the bar went, and the
    toggle kept the note's height: a 70-px gap under the buttons.  At each width of a sweep round
    that one, the toggle is as tall as its lines and the note's choice holds after a second look."""
    from gui.session import Session
    from gui.widgets.derivation.panel import DerivationPanel
    session = Session("xor")
    session.settings.animate = False
    session.seek(9)
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    toggle = panel.toggle
    try:
        for width in range(330, 386, 6):
            panel.resize(width, 560)
            _settle(qtbot)
            shown = toggle.note.isVisible()
            assert toggle.height() <= toggle.heightForWidth(toggle.width()) + 1, \
                f"{width} px: the toggle is {toggle.height()} px for {toggle.heightForWidth(toggle.width())} px of lines"
            _settle(qtbot)
            assert toggle.note.isVisible() == shown, f"{width} px: the note came and went"
    finally:
        session.stop()
    window, session = window_on_screen(qtbot, "1024x768", "xor")       # as the user first sees it
    session.settings.companion = "derivation"
    window.docks["derivation"].raise_()
    session.seek(9)
    _settle(qtbot)
    toggle = window.docks["derivation"].widget().toggle
    assert toggle.height() <= toggle.heightForWidth(toggle.width()) + 1, \
        f"1024x768: the toggle is {toggle.height()} px for {toggle.heightForWidth(toggle.width())} px of lines"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_health_titles_and_ticks_follow_the_zoom_and_the_theme(qtbot, theme):
    """The health page at 1024×768 in the Lecture companion: each plot's title a label that wraps
    at the panel's width, in the zoomed font and the theme's text colour (pyqtgraph's one-line
    title was 9 pt grey at every zoom, 3:1 on white, and "… below 1: shrinking)" was cut at zoom +3);
    the ticks in the zoomed font, the layer names whole under the plot, every plot as tall as
    PLOT_LINES of its ticks (a graphics view's size hint had grown each one to 400 px)."""
    from gui.theme import BASE_POINT_SIZE
    from gui.widgets.derivation.blocks import BASE_TEXT_PT
    from gui.widgets.derivation.health_view import PLOT_LINES
    window, session = window_on_screen(qtbot, "1024x768")
    session.settings.companion = "derivation"
    session.settings.theme = theme
    panel = window.derivation
    window.docks["derivation"].raise_()
    panel.tabs.setCurrentIndex(TABS.index("Health"))
    session.seek(session.stepper.last)
    view = panel.health_view
    for zoom in (0, 3):
        scale = round(ZOOM_STEP ** zoom, 4)
        session.settings.font_scale = scale
        _settle(qtbot)
        check_panel_fits(panel, f"health {theme} zoom {zoom}")
        for label, plot, graphics in zip(view.titles, view.plots, view.views):
            assert label.font().pointSizeF() == pytest.approx(BASE_TEXT_PT * scale)
            assert label.heightForWidth(label.width()) <= label.height() + 1
            ink = label.palette().color(QtGui.QPalette.ColorRole.WindowText)
            assert contrast_ratio(ink, QtGui.QColor(THEMES[theme].background)) >= 4.5, f"{theme}: title {ink.name()}"
            tick = plot.getAxis("left").style["tickFont"]
            assert tick.pointSizeF() == pytest.approx(BASE_POINT_SIZE * scale * 0.95)
            metrics = QtGui.QFontMetricsF(tick)
            assert plot.getAxis("bottom").height() >= metrics.height()
            assert graphics.height() == round(PLOT_LINES * metrics.lineSpacing())
    window.close()
