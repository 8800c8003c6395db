"""The derivation panel's widgets: MathView renders and caches, the panel follows the session."""
import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.derivation import context_from_session
from gui.mathview import PAD, MathView, typeset
from gui.session_types import Selection
from gui.widgets.derivation.panel import TABS, DerivationPanel
from gui.widgets.heatmap_panel import HeatmapPanel
from gui.widgets.phase_banner import PhaseBanner
from helpers import check_block, check_block_numbers, check_claim, check_shapes, window_on_the_derivation


def test_mathview_renders_bmatrix_and_caches(qtbot):
    src = r"\underset{2\times 1}{\begin{bmatrix}0.1 \\ -2\end{bmatrix}} = \delta^{2}"
    typeset.cache_clear()
    w = MathView(src)
    qtbot.addWidget(w)
    assert w.error is None
    img = w.image()
    assert not img.isNull() and img.width() > 20 and img.height() > 20
    alpha = np.array([img.pixelColor(x, y).alpha() for x in range(0, img.width(), 2) for y in range(0, img.height(), 2)])
    assert (alpha > 0).any()
    misses = typeset.cache_info().misses
    w2 = MathView(src)                                  # the same equation: drawn from the cached pictures
    qtbot.addWidget(w2)
    assert typeset.cache_info().misses == misses
    w2.set_font_scale(1.5)
    assert w2.sizeHint().width() > w.sizeHint().width()


def test_mathview_shows_bad_latex_as_text(qtbot):
    w = MathView(r"\frac{")
    qtbot.addWidget(w)
    assert w.error is not None
    assert w.sizeHint().width() > 0 and not w.image().isNull()


def panel_latex(panel):
    return [v.latex for v in panel.step_list.math_views]


def test_panel_follows_steps_selection_and_convention(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(9)                                   # backward, hidden layer 1 (δ¹)
    before = panel_latex(panel)
    assert any(r"\odot" in s for s in before)
    session.settings.convention = "row"
    after = panel_latex(panel)
    assert after != before and any(r"\underset{1\times 2}{\delta^{1}}" in s for s in after)
    assert panel.toggle.row.isChecked()
    panel.toggle.column.setChecked(True)
    assert session.settings.convention == "column"
    session.seek(10)
    assert panel_latex(panel) != before
    panel.tabs.setCurrentIndex(1)
    scalar = [v.latex for v in panel.scalar_list.math_views]
    session.select(Selection.edge(0, 1, 0))
    assert [v.latex for v in panel.scalar_list.math_views] != scalar
    assert any("w^{1}_{21}" in v.latex for v in panel.scalar_list.math_views)


def test_tensor_view_steps_to_full_contraction(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(10)
    panel.tabs.setCurrentIndex(3)
    tv = panel.tensor_view
    assert tv.layer == 0
    tv.set_slice(2)
    last = tv.blocks.blocks[-1]
    assert np.allclose(last.numbers["S[2]"], session.stepper.grads.dW[0])
    session.settings.convention = "row"
    assert np.allclose(tv.blocks.blocks[-1].numbers["S[2]"], session.stepper.grads.dW[0].T)      # shaped like Wᵀ
    tv.prev_button.click()
    assert tv.upto == 1


def test_tensor_view_explains_when_too_large(qtbot, session):
    session.load_preset("digits")
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.tabs.setCurrentIndex(3)
    panel.tensor_view.layer_box.setValue(1)
    assert "up to 8×8" in panel.tensor_view.message.text()
    assert not panel.tensor_view.slider.isEnabled()


def test_gradcheck_view_and_health(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(session.stepper.last)
    W_after = [w.copy() for w in session.net.W]
    panel.tabs.setCurrentIndex(4)
    panel.gradcheck_view.run_check()
    res = panel.gradcheck_view.result
    assert res.check.max_rel_err < 1e-6
    assert panel.gradcheck_view.table.rowCount() == session.net.n_params
    assert "Largest relative error" in panel.gradcheck_view.summary.text()
    assert all(np.array_equal(a, b) for a, b in zip(W_after, session.net.W))
    session.next_example()
    panel.tabs.setCurrentIndex(5)
    panel.tabs.setCurrentIndex(4)
    assert panel.gradcheck_view.result is None
    assert not panel.gradcheck_view.button.isEnabled()           # no backprop numbers before the backward pass
    panel.tabs.setCurrentIndex(5)
    assert panel.health_view.health == [] and "layer by layer" in panel.health_view.summary.text()
    session.seek(session.stepper.last - 1)
    h = panel.health_view.health
    assert len(h) == session.net.L
    assert np.isclose(h[0].delta_norm, np.linalg.norm(session.view.grads.delta[0]))
    ratio = panel.health_view.values["shrink"][0]
    assert np.isclose(ratio, h[0].delta_norm / h[1].delta_norm)
    step = panel.health_view.values["step_ratio"][0]
    assert np.isclose(step, session.view.eta * np.linalg.norm(session.view.dW[0]) / np.linalg.norm(session.view.W_before[0]))


def test_gradcheck_verdict_names_the_one_layer_when_only_one_was_checked(qtbot, session, monkeypatch):
    """A network too large for the full check is checked in the focus layer only: the verdict,
    first on the page, says so (it read "Backprop agrees with the finite differences." as if
    every parameter had been checked; only the line under the heatmap told)."""
    import functools
    from gui.widgets.derivation import gradcheck_view
    monkeypatch.setattr(gradcheck_view, "run_gradient_check",
                        functools.partial(gradcheck_view.run_gradient_check, max_params=session.net.n_params - 1))
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    session.seek(session.stepper.last)
    panel.tabs.setCurrentIndex(TABS.index("Gradient check"))
    view = panel.gradcheck_view
    view.run_check()
    assert view.result.subset and len(view.result.layers) == 1
    layer = view.result.layers[0] + 1
    assert f"agrees with the finite differences in layer {layer} (the only one checked)" in view.summary.text()
    assert view.table.rowCount() == session.net.W[layer - 1].size + session.net.b[layer - 1].size


def test_batch_comparison(qtbot, session):
    session.load_preset("xor")
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    dw_step = next(s.index for s in session.stepper.steps if s.quantity == "dW" and s.book_layer == 2)
    session.seek(dw_step)
    block = panel.step_list.blocks[-1]
    assert block.title.startswith("One example versus the batch")
    assert np.allclose(block.numbers["dC_n/dW^2"], session.stepper.grads.dW[1])
    X, Y = panel.batch_examples()
    assert len(X) == 4
    session.load_preset("mazur")
    session.seek(10)
    assert "Batch size 1" in panel.step_list.blocks[-1].text


# A sample of presets per convention (tests/test_derivation.py walks every preset's blocks in both);
# the first of each is also walked through the derivation panel, whose typesetting is slow.
WALKED = {"column": ["wong", "xor", "sine"], "row": ["mazur", "diagram", "iris"]}


@pytest.mark.parametrize("conv", ["column", "row"])
def test_every_view_agrees_on_shapes_at_every_micro_step(qtbot, session, conv):
    """Banner, matrices dock and derivation panel at every micro-step, in one convention: ∂C/∂W
    shaped like W (columns) or Wᵀ (rows) everywhere, δ a column or a row, every number the
    engine's and known at its micro-step."""
    heat, banner = HeatmapPanel(session), PhaseBanner(session)
    qtbot.addWidget(heat)
    qtbot.addWidget(banner)
    session.settings.convention = conv
    row = conv == "row"
    for preset in WALKED[conv]:
        session.load_preset(preset)
        panel = None
        if preset == WALKED[conv][0]:
            panel = DerivationPanel(session)
            qtbot.addWidget(panel)
        for k in range(session.stepper.last + 1):
            session.seek(k)
            v, l, net = session.view, session.focus_layer, session.net
            st = v.step
            assert banner.text() == st.banner_in(conv) and heat._info.text() == st.equation_in(conv)
            assert context_from_session(session).focus()[0] == l == heat.layer     # one layer in every view
            if st.quantity == "dW":
                assert ("⊗" in banner.text()) == row and ("ᵀ" in banner.text()) == (not row)
            if st.quantity == "delta" and st.l < net.L - 1:
                assert ("⊙" in banner.text()) == (not row)
            N, M = net.sizes[l + 1], net.sizes[l]
            if v.dW[l] is not None:
                assert heat.heatmaps["dW"].matrix.shape == ((M, N) if row else (N, M))
                assert heat.heatmaps["step"].matrix.shape == (N, M)
            if panel is not None:
                for block in panel.step_list.blocks:
                    check_block(block)
                    check_shapes(block, conv)
                    check_block_numbers(v, net, block)
                    check_claim(block)
        if panel is not None:
            panel.close()


# -- never clipped, one size ------------------------------------------------------------------------
def test_split_equation_at_top_level_relations_and_operators():
    from gui.mathview import split_equation
    assert split_equation(r"z = W a + b = -0.5 + 2") == [
        ("first", "z"), ("rel", "= W a"), ("bin", "+ b"), ("rel", "= -0.5"), ("bin", "+ 2")]   # unary minus stays
    assert split_equation(r"a = \sigma(z - 1) = 0.5,\qquad s = 0.25") == [
        ("first", "a"), ("rel", r"= \sigma(z - 1)"), ("rel", "= 0.5,"), ("first", "s"), ("rel", "= 0.25")]
    src = r"\delta = \begin{bmatrix}1 & = \\ -2 & 3\end{bmatrix}\,\left(x = y\right) \odot s"
    assert [k for k, _ in split_equation(src)] == ["first", "rel", "bin", "bin"]           # nothing split inside


def test_mathview_wraps_at_one_size_and_scrolls_only_what_cannot_wrap(qtbot):
    src = (r"\delta^{1} = \begin{bmatrix}0.01301 \\ 0.008146\end{bmatrix} = \begin{bmatrix}-0.1406 & 0.241 \\ "
           r"-0.334 & -0.1193\end{bmatrix}\,\begin{bmatrix}-0.1474 \\ 0.1355\end{bmatrix} \odot "
           r"\begin{bmatrix}0.2436 \\ 0.2464\end{bmatrix}")
    w = MathView(src)
    qtbot.addWidget(w)
    w.show()
    natural = w.sizeHint()
    pieces = [p for _, p in w._pieces]
    assert len(w.lines(natural.width())) == 1
    for width in (natural.width() // 2, natural.width() // 3):
        lines = w.lines(width)
        assert len(lines) > 1
        shown = [p for line in lines for p, _ in line.items]
        assert shown == [q for p in pieces for q in ((p,) if p in shown else p.stacked)]   # the same pictures
        assert all(line.width <= width or len(line.items) == 1 for line in lines)   # one piece cannot wrap
        assert w.heightForWidth(width) > natural.height()
        w.resize(width, w.heightForWidth(width))
        check_wide_lines_scroll(w)
    narrow = int(max(p.width for p in pieces)) // 2                           # narrower than one piece
    w.resize(narrow, w.heightForWidth(narrow))
    assert any(not bar.isHidden() for bar in w.scroll_bars)
    check_wide_lines_scroll(w)
    assert w.height() >= w.heightForWidth(narrow) and w.font_size == natural_font_size(w)


def check_wide_lines_scroll(view):
    """Each line of ``view`` wider than the view has a scroll bar of its own right under it (between
    it and the next line: in sight with the cut line) that scrolls exactly its overhang; no other bar."""
    bars = [bar for bar in view.scroll_bars if not bar.isHidden()]
    rows = view.rows(view.width())
    wide = [(line, top, over) for line, top, over in rows if over > 0]
    assert len(bars) == len(wide), (view.latex[:60], len(bars), len(wide))
    for (line, top, over), bar in zip(wide, bars):
        assert bar.maximum() == over and bar.width() == view.width(), view.latex[:60]
        assert 0 <= bar.y() - (top + line.ascent + line.descent) < 1, (view.latex[:60], bar.y(), top)
        later = [t for _, t, _ in rows if t > top]
        assert bar.geometry().bottom() < (later[0] if later else view.height()), view.latex[:60]
    whole_rows = {id(view._pieces[i][1]) for i in view._entries}
    entries = {id(p) for parts in view._entries.values() for p in parts}
    for line, _, over in rows:
        assert over == 0 or line.width + 2 * PAD > view.width(), view.latex[:60]
        ids = [id(pic) for pic, _ in line.items]
        assert over == 0 or not whole_rows & set(ids) and (len(ids) == 1 or not entries & set(ids)), \
            f"{view.latex[:60]}: a row of numbers scrolls at {view.width()} px"    # it breaks between its entries


def test_a_wide_line_scrolls_alone_with_its_bar_under_it(qtbot):
    """jacobians' slide 6 at 1024×768 (finding #501): "With numbers" in row vectors beside the lesson
    band, ~330 px: a 2×4 matrix is wider than the view (a row of numbers now breaks between its
    entries: test_row_breaks.py); its bar is right under it (not under the whole four-line equation,
    below the fold) and moves that line only."""
    src = (r"\underset{2\times 4}{\begin{bmatrix}0.01301 & 0.008146 & 0.02896 & 0.00156 \\ "
           r"-0.1406 & -0.334 & 0.241 & -0.1193\end{bmatrix}} = "
           r"\underset{1\times 2}{\begin{bmatrix}-0.1474 & 0.1355\end{bmatrix}}\,"
           r"\underset{2\times 2}{\begin{bmatrix}-0.1406 & -0.334 \\ 0.241 & -0.1193\end{bmatrix}}")
    w = MathView(src)
    qtbot.addWidget(w)
    width = 330
    w.resize(width, w.heightForWidth(width))
    w.show()
    rows = w.rows(width)
    assert len(rows) == 3 and rows[0][2] > 0 and rows[1][2] == rows[2][2] == 0
    check_wide_lines_scroll(w)
    bar = w.scroll_bars[0]
    assert bar.geometry().bottom() < rows[1][1]              # under the row vector, above "= …"
    before = w.grab().toImage()
    bar.setValue(bar.maximum())
    after = w.grab().toImage()
    line, top, _ = rows[0]
    dpr = before.devicePixelRatio()
    def band(img, y0, y1):
        return img.copy(0, int(y0 * dpr), img.width(), int((y1 - y0) * dpr))
    assert band(before, top, top + line.ascent + line.descent) != band(after, top, top + line.ascent + line.descent)
    rest = rows[1][1]
    assert band(before, rest, w.height()) == band(after, rest, w.height())      # the other lines stay put
    bar.setValue(0)

    def wheel(y: float, dx: int, dy: int, shift: bool = False) -> bool:
        at = QtCore.QPointF(width / 2, y)
        modifiers = QtCore.Qt.KeyboardModifier.ShiftModifier if shift else QtCore.Qt.KeyboardModifier.NoModifier
        event = QtGui.QWheelEvent(at, QtCore.QPointF(w.mapToGlobal(at.toPoint())), QtCore.QPoint(0, 0), QtCore.QPoint(dx, dy),
                                  QtCore.Qt.MouseButton.NoButton, modifiers, QtCore.Qt.ScrollPhase.NoScrollPhase, False)
        QtWidgets.QApplication.sendEvent(w, event)
        return event.isAccepted()
    assert not wheel(top + 5, 0, -120)                      # the vertical wheel goes on to the panel
    assert wheel(top + 5, -120, 0) and bar.value() > 0      # sideways over the wide line scrolls it
    bar.setValue(0)
    assert wheel(top + 5, 0, -120, shift=True) and bar.value() > 0     # so does Shift+wheel
    bar.setValue(0)
    assert not wheel(rows[1][1] + 5, -120, 0) and bar.value() == 0     # not over a line that fits


def natural_font_size(view):
    from gui.mathview import BASE_SIZE
    return BASE_SIZE


def _visible_children(page, kind):
    return [w for w in page.findChildren(kind) if w.isVisibleTo(page)]


def check_nothing_clipped(panel):
    """Every label's wrapped text and every equation fits the geometry it was given (font metrics
    against the widget's size); every equation has the panel's one font size; the page switcher fits."""
    page = panel.tabs.currentWidget()
    sizes = set()
    for label in _visible_children(page, QtWidgets.QLabel):
        if label.text():
            need = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
            assert label.height() >= need - 1, (label.text()[:60], label.size(), need)
            assert label.wordWrap() or label.sizeHint().width() <= label.width() + 1, label.text()[:60]
    for view in _visible_children(page, MathView):
        assert view.error is None, view.error
        sizes.add(view.font_size)
        assert view.height() >= view.heightForWidth(view.width()) - 1, (view.latex[:60], view.size())
        check_wide_lines_scroll(view)                   # only what cannot wrap is wider: it scrolls, its bar under it
        if view.content_width(view.width()) > view.width():
            assert max(p.width for _, p in view._pieces) + 2 > view.width() * 0.5
    assert len(sizes) <= 1, sizes
    if panel.tab_bar.isVisible():
        assert panel.tab_bar.sizeHint().width() <= panel.tab_bar.width()
    else:
        assert panel.page_menu.isVisible()


@pytest.mark.parametrize("preset, convention, tab", [("mazur", "column", 0), ("mazur", "row", 0),
                                                     ("diagram", "row", 1), ("diagram", "column", 2)])
def test_panel_never_clips_at_1280x720(qtbot, session, preset, convention, tab):
    from gui.shell.main_window import MainWindow
    session.load_preset(preset)
    session.settings.animate = False
    session.settings.convention = convention
    window = MainWindow(session)
    qtbot.addWidget(window)
    screen = next(s for s in QtGui.QGuiApplication.screens() if s.name() == "1280x720")   # see conftest.py
    window.setScreen(screen)
    window.move(screen.availableGeometry().topLeft())
    window.layouts.start(grow=True)          # the window fits the screen it is on
    window.show()
    qtbot.waitExposed(window)
    window.docks["derivation"].raise_()
    panel = window.derivation
    panel.tabs.setCurrentIndex(tab)
    steps = range(session.stepper.last + 1) if tab == 0 else range(0, session.stepper.last + 1, 3)
    for k in steps:
        session.seek(k)
        qtbot.wait(5)
        check_nothing_clipped(panel)
    window.close()


def test_tabs_become_a_list_when_they_do_not_fit(qtbot, session):
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1400, 700)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.tab_bar.isVisible() and not panel.page_menu.isVisible()
    panel.resize(420, 700)
    qtbot.waitUntil(lambda: panel.page_menu.isVisible())
    assert not panel.tab_bar.isVisible()
    panel.page_menu.setCurrentIndex(2)                      # the list picks the page …
    assert panel.tabs.currentIndex() == 2 and panel.tab_bar.currentIndex() == 2
    panel.tabs.setCurrentIndex(1)                           # … and follows it
    assert panel.page_menu.currentIndex() == 1
    assert [panel.page_menu.itemText(i) for i in range(panel.page_menu.count())] == list(TABS)


def test_neighbouring_steps_are_typeset_ahead(qtbot, session):
    from gui import mathview
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    session.seek(5)
    ahead = panel.ahead_latex()
    assert ahead and set(ahead) >= {b.latex for b in panel.step_blocks(session.stepper.view(6)) if b.latex}
    panel._on_ahead_timeout()
    assert mathview.ahead.wait(60)
    misses = mathview.typeset.cache_info().misses
    session.seek(6)                                          # drawn from the pictures made ahead
    assert mathview.typeset.cache_info().misses == misses


@pytest.mark.parametrize("train_biases", [True, False])
def test_the_update_is_typeset_ahead_as_it_will_be_applied(qtbot, session, train_biases):
    """Before the update is applied, the update step's equations typeset ahead are those it then
    shows (Stepper.view_after_update), with the biases trained or fixed (the panel's own guess had
    moved fixed biases too)."""
    assert session.change(train_biases=train_biases)
    panel = DerivationPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    last = session.stepper.last
    session.seek(last - 1)
    ahead = panel.ahead_latex([last])
    session.seek(last)
    shown = [b.latex for b in panel.step_blocks(session.stepper.view()) if b.latex]
    assert shown and ahead == shown


def test_panel_in_its_raised_dock_shows_each_step(qtbot, session):
    """In the window, with the derivation's dock tab in front, every micro-step's blocks are on
    screen (the panel once kept the step it was built at, counting itself unseen)."""
    window = window_on_the_derivation(qtbot, session)
    panel = window.derivation
    for k in (3, 7, 10):
        session.seek(k)
        shown = [title.text() for title, _, _ in panel.step_list._rows if title.isVisible()]
        assert shown == [b.title for b in panel.step_list.blocks] and shown, (k, shown)
    session.settings.companion = "matrices"
    window.docks["matrices"].raise_()
    session.seek(11)                   # behind another tab: kept, typeset when its tab comes back
    assert panel.step_list._pending is not None
    window.docks["derivation"].raise_()
    qtbot.waitUntil(lambda: panel.step_list._pending is None, timeout=2000)


def test_health_plots_the_norms_and_their_ratio_on_a_log_axis(qtbot, session):
    """The vanishing preset: ‖δ‖ falls by orders of magnitude, so the bars are log10 of what they
    plot (ticks at powers of ten), the ratio ‖δˡ‖/‖δˡ⁺¹‖ below 1 and η in the step ratio."""
    from gui.widgets.derivation.health_view import HealthView
    session.load_preset("vanishing")
    view = HealthView(session)
    qtbot.addWidget(view)
    session.seek(max(k for k, st in enumerate(session.stepper.steps) if st.quantity == "dW"))
    view.refresh()
    norms = [np.linalg.norm(d) for d in session.view.grads.delta]
    bar = view.bars[0].opts
    np.testing.assert_allclose(np.asarray(bar["y0"]) + np.asarray(bar["height"]), np.log10(norms), rtol=1e-12)
    labels = [label for _, label in view.plots[0].getAxis("left")._tickLevels[0]]
    assert all(label == "1" or label.startswith("10") for label in labels) and len(labels) >= 4
    shrink = view.bars[1].opts
    ratios = [norms[l] / norms[l + 1] for l in range(len(norms) - 1)]
    np.testing.assert_allclose(np.asarray(shrink["y0"]) + np.asarray(shrink["height"]), np.log10(ratios), rtol=1e-12)
    assert all(r < 1 for r in ratios)
