"""The derivation panel in the Lecture layout's companion: one vertical scroll for a page (the
panel's own), every block reachable with it, the gradient check's verdict and heatmap above the
fold, and the equations of a page at one size.

At zoom +3 in the companion at 1024×768 (about 36 % of the width) the pages used to scroll inside
the panel's own scroll area: two vertical scroll bars, a wheel that scrolled the inner list and
then the outer panel.  After a gradient check at 1280×720 the heatmap was below the fold, under a
table that scrolled on its own."""
import pytest
from PySide6 import QtCore, QtWidgets

from gui.mathview import BASE_SIZE, MathView
from gui.shell.presentation import ZOOM_STEP
from gui.widgets.derivation.blocks import BlockList
from gui.widgets.derivation.panel import TABS
from helpers import window_on_screen

GRADIENT_CHECK = TABS.index("Gradient check")


def _settle(qtbot):
    qtbot.wait(30)
    for _ in range(3):
        QtWidgets.QApplication.processEvents()


def _on_the_derivation(qtbot, screen_name: str, preset: str = "mazur"):
    window, session = window_on_screen(qtbot, screen_name, preset)
    assert session.settings.layout == "lecture"
    session.settings.companion = "derivation"
    window.docks["derivation"].raise_()
    return window, session, window.derivation


def _rect_in(widget, ancestor) -> QtCore.QRect:
    return QtCore.QRect(widget.mapTo(ancestor, QtCore.QPoint(0, 0)), widget.size())


def check_one_scroll(panel, what: str) -> None:
    """The panel's own vertical scroll bar is the only one visible; no scroll area inside it can
    scroll vertically (a wheel over it goes to the panel); a sideways scroll bar only under what
    cannot be narrower (an equation's piece, the table's columns, the heatmap's axes); the page's
    every shown widget lies within the panel's content, so the one scroll reaches it."""
    vertical = [b for b in panel.findChildren(QtWidgets.QScrollBar)
                if b.isVisible() and b.orientation() == QtCore.Qt.Orientation.Vertical]
    assert vertical in ([], [panel.verticalScrollBar()]), \
        f"{what}: vertical scroll bars in {[type(b.parentWidget().parentWidget()).__name__ for b in vertical]}"
    for area in panel.findChildren(QtWidgets.QAbstractScrollArea):
        if area.isVisible():
            assert area.verticalScrollBar().maximum() == 0, f"{what}: {type(area).__name__} scrolls vertically inside the panel"
            if area.horizontalScrollBar().isVisible():
                inner = area.widget() if isinstance(area, QtWidgets.QScrollArea) else None
                need = inner.minimumSizeHint().width() if inner is not None else area.horizontalHeader().length()
                assert need > area.viewport().width(), f"{what}: {type(area).__name__} scrolls sideways for nothing"
    for view in panel.findChildren(MathView):
        if view.isVisible() and any(bar.isVisible() for bar in view.scroll_bars):
            assert max(p.width for _, p in view._pieces) + 4 > view.width(), f"{what}: {view.latex[:40]} scrolls but could wrap"
    content, page = panel.widget(), panel.tabs.currentWidget()
    assert panel.verticalScrollBar().maximum() == max(0, content.height() - panel.viewport().height())
    for w in page.findChildren(QtWidgets.QWidget):
        if w.isVisibleTo(page) and w.parentWidget().isVisibleTo(page) and not isinstance(w, QtWidgets.QScrollBar):
            r = _rect_in(w, content)
            assert r.bottom() <= content.height() and w.height() > 0 or w.height() == 0, \
                f"{what}: {type(w).__name__} at y {r.top()}..{r.bottom()} beyond the panel's content ({content.height()} px)"


def _wheel_down(widget) -> None:
    """One notch of the wheel down, over the middle of ``widget``."""
    from PySide6 import QtGui
    at = QtCore.QPointF(widget.width() / 2, widget.height() / 2)
    event = QtGui.QWheelEvent(at, QtCore.QPointF(widget.mapToGlobal(at.toPoint())), QtCore.QPoint(0, 0), QtCore.QPoint(0, -120),
                              QtCore.Qt.MouseButton.NoButton, QtCore.Qt.KeyboardModifier.NoModifier,
                              QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(widget, event)


def check_one_size(panel, what: str) -> None:
    """Every equation shown on the page is typeset at the panel's one size: BASE_SIZE × the zoom."""
    page = panel.tabs.currentWidget()
    want = BASE_SIZE * panel.session.settings.font_scale
    views = [v for v in page.findChildren(MathView) if v.isVisibleTo(page)]
    for v in views:
        assert v.font_size == pytest.approx(want), f"{what}: {v.latex[:40]} at {v.font_size} px, not {want}"
        assert {key[1] for _, key in v._keys} <= {round(want, 2)}, f"{what}: {v.latex[:40]} pieces at other sizes"


@pytest.mark.parametrize("convention", ["column", "row"])
def test_one_scroll_for_each_page_at_zoom_plus_3_in_the_narrow_companion(qtbot, convention):
    """1024×768, Lecture layout, the companion on the derivation, zoom +3: every page at a backward
    micro-step and at the update (the gradient check run), one vertical scroll bar, every block
    reachable with it, the equations at one size; the wheel's target, the panel, scrolls to the
    last block of the longest page."""
    window, session, panel = _on_the_derivation(qtbot, "1024x768")
    session.settings.convention = convention
    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    assert panel.width() < 0.4 * window.width()
    backward = next(k for k, st in enumerate(session.stepper.steps) if st.quantity == "delta")
    for page in range(len(TABS)):
        panel.tabs.setCurrentIndex(page)
        for k in (backward, session.stepper.last):
            session.seek(k)
            if page == GRADIENT_CHECK and k == session.stepper.last:
                panel.gradcheck_view.run_check()
            _settle(qtbot)
            what = f"{TABS[page]!r} micro-step {k + 1} {convention}"
            check_one_scroll(panel, what)
            check_one_size(panel, what)
            if isinstance(panel.tabs.currentWidget(), BlockList):
                last = [t for t, _, _ in panel.tabs.currentWidget()._rows if t.isVisible()][-1]
                panel.ensureWidgetVisible(last)
                _settle(qtbot)
                assert last.visibleRegion().boundingRect().height() == last.height(), f"{what}: last block not reachable"
    assert panel.verticalScrollBar().isVisible()
    window.close()


@pytest.mark.parametrize("screen_name", ["1280x720", "1024x768"])
def test_gradient_check_verdict_and_heatmap_above_the_fold(qtbot, screen_name):
    """After pressing "Check the gradients" (at the top of the page) the verdict and the whole
    heatmap are in the panel's viewport at zoom 0, without scrolling; the table of every entry is
    below them, as tall as its rows (it never scrolls on its own).  At zoom +3 the heatmap is
    reached with the one scroll and fits the viewport whole."""
    window, session, panel = _on_the_derivation(qtbot, screen_name)
    panel.tabs.setCurrentIndex(GRADIENT_CHECK)
    session.seek(session.stepper.last)
    _settle(qtbot)
    view = panel.gradcheck_view
    qtbot.mouseClick(view.button, QtCore.Qt.MouseButton.LeftButton)
    _settle(qtbot)
    assert view.result is not None and "agrees" in view.summary.text()
    room = panel.viewport().rect()
    assert panel.verticalScrollBar().value() == 0
    for w in (view.button, view.summary, view.heatmap):
        r = _rect_in(w, panel.viewport())
        assert room.contains(r), f"{screen_name}: {type(w).__name__} at y {r.top()}..{r.bottom()} in a {room.height()}-px viewport"
    table = view.table
    assert _rect_in(table, panel.viewport()).top() > _rect_in(view.heatmap, panel.viewport()).bottom()
    assert table.height() >= table.horizontalHeader().height() + table.verticalHeader().length()
    assert table.verticalScrollBar().maximum() == 0
    check_one_scroll(panel, f"{screen_name} zoom 0")

    session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
    _settle(qtbot)
    check_one_scroll(panel, f"{screen_name} zoom +3")
    header = table.horizontalHeader()           # narrower than its columns, it scrolls sideways: the
    assert header.length() > table.viewport().width() or screen_name == "1280x720"      # rel. error in view
    assert [table.horizontalHeaderItem(c).text() for c in range(2)] == ["parameter", "rel. error"]
    assert header.sectionViewportPosition(1) + header.sectionSize(1) <= table.viewport().width()
    bar, layer = panel.verticalScrollBar(), view.layer_box.currentIndex()
    bar.setValue(0)
    assert view.layer_box.count() > 1 and not view.layer_box.hasFocus()
    _wheel_down(view.layer_box)          # scrolling the page past the layer's list: the page scrolls …
    assert bar.value() > 0 and view.layer_box.currentIndex() == layer      # … and the layer stays
    panel.ensureWidgetVisible(view.heatmap, 0, 0)
    _settle(qtbot)
    r = _rect_in(view.heatmap, panel.viewport())
    assert panel.viewport().rect().contains(r), f"{screen_name} zoom +3: heatmap at y {r.top()}..{r.bottom()}"
    window.close()


def test_gradient_check_heatmap_beside_the_table_when_the_panel_is_wide(qtbot, session):
    """A wide panel (a large monitor's dock) shows the heatmap and the table side by side under the
    verdict; narrowed to a companion's width, the heatmap over the table; one scroll either way."""
    from gui.widgets.derivation.panel import DerivationPanel
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.tabs.setCurrentIndex(GRADIENT_CHECK)
    session.seek(session.stepper.last)
    view = panel.gradcheck_view
    view.run_check()
    _settle(qtbot)
    heat, table = _rect_in(view.heatmap, view), _rect_in(view.table, view)
    assert view.side_by_side() and heat.right() < table.left() and table.top() < heat.bottom()
    assert panel.viewport().rect().contains(_rect_in(view.table, panel.viewport()))
    check_one_scroll(panel, "wide")
    panel.resize(420, 700)
    _settle(qtbot)
    heat, table = _rect_in(view.heatmap, view), _rect_in(view.table, view)
    assert not view.side_by_side() and table.top() > heat.bottom()
    check_one_scroll(panel, "narrow")


def test_each_page_is_found_where_it_was_left_and_a_step_starts_at_the_top(qtbot):
    """The pages share the panel's scroll: each is shown again where it was left, and a new
    micro-step shows every page from its top (its own quantity first)."""
    window, session, panel = _on_the_derivation(qtbot, "1024x768")
    session.seek(session.stepper.last)
    bar = panel.verticalScrollBar()
    panel.tabs.setCurrentIndex(1)
    _settle(qtbot)
    bar.setValue(bar.maximum() // 2)
    left = bar.value()
    assert left > 0
    panel.tabs.setCurrentIndex(0)
    _settle(qtbot)
    assert bar.value() == 0
    panel.tabs.setCurrentIndex(1)
    _settle(qtbot)
    assert bar.value() == left
    session.seek(session.stepper.last - 1)
    _settle(qtbot)
    assert bar.value() == 0
    window.close()


# a sample of the walk (every page at a backward micro-step and at the update, with a gradient
# check), over screens, themes, conventions, zooms and presets.  The whole product (both screens,
# themes, conventions, mazur and diagram; the equation pages at every zoom −2…+3, the others at −2,
# 0 and +3) was walked with these checks: they found a 2-3 px overrun of the gradient check's table
# for a layout pass after a zoom (its height set on a resize, a pass late; now its height-for-width)
WALK = [("1024x768", "dark", "row", -2, "mazur"), ("1280x720", "light", "column", 2, "diagram"),
        ("1024x768", "light", "column", 1, "diagram"), ("1280x720", "dark", "row", 3, "mazur")]


@pytest.mark.parametrize("screen_name, theme, convention, zoom, preset", WALK)
def test_every_page_fits_scrolls_once_and_keeps_one_size(qtbot, screen_name, theme, convention, zoom, preset):
    from test_panel_readable import check_panel_fits
    window, session, panel = _on_the_derivation(qtbot, screen_name, preset)
    session.settings.theme = theme
    session.settings.convention = convention
    session.settings.font_scale = round(ZOOM_STEP ** zoom, 4)
    backward = next(k for k, st in enumerate(session.stepper.steps) if st.quantity == "delta")
    for page in range(len(TABS)):
        panel.tabs.setCurrentIndex(page)
        for k in (backward, session.stepper.last):
            session.seek(k)
            if page == GRADIENT_CHECK and k == session.stepper.last:
                panel.gradcheck_view.run_check()
            _settle(qtbot)
            what = f"{screen_name} {theme} {convention} zoom {zoom:+d} {preset} {TABS[page]!r} micro-step {k + 1}"
            check_panel_fits(panel, what)
            check_one_scroll(panel, what)
            check_one_size(panel, what)
    window.close()
