"""The loss plot and the decision boundary follow the session; the log checkbox drives it."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gui.numbers import format_number
from gui.widgets.decision_boundary import DecisionBoundary
from gui.widgets.loss_plot import LossPlot


def shown_text(label) -> str:
    """A rich-text label's text as shown (non-breaking spaces as spaces)."""
    doc = QtGui.QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText().replace("\xa0", " ")


@pytest.fixture
def loss_plot(qtbot, session):
    w = LossPlot(session)
    qtbot.addWidget(w)
    w.resize(900, 600)
    return w


@pytest.fixture
def boundary(qtbot, session):
    w = DecisionBoundary(session, resolution=40)
    qtbot.addWidget(w)
    w.resize(700, 600)
    return w


def data(curve):
    x, y = curve.getOriginalDataset()
    return (np.array([]), np.array([])) if x is None else (x, y)


def test_step_curve_equals_history(loss_plot, session):
    x, _ = data(loss_plot.curves["step"])
    assert x.size == 0
    session.train_steps(50)
    x, y = data(loss_plot.curves["step"])
    np.testing.assert_array_equal(x, session.history.step_numbers)
    np.testing.assert_array_equal(y, session.history.step_losses)
    k = int(np.flatnonzero(x == 20)[0])
    assert loss_plot.hover_text(20.2).startswith(f"step 20: loss {format_number(y[k])}  ·  epoch 20")



def test_empty_plot_says_so_and_hides_the_legend(loss_plot, session):
    """Before any training a message stands in for the plots (no axes for it to overlap) and the
    legend (with no curves to name) is hidden."""
    def empty():
        return not loss_plot.stack.showing_plot and loss_plot.legend.isHidden()
    assert empty()
    session.train_steps(3)
    assert loss_plot.stack.showing_plot and not loss_plot.legend.isHidden()
    session.reset()
    assert empty()


def test_legend_shares_the_title_row_and_gives_way_to_the_readout(qtbot, loss_plot, session):
    """The legend sits beside the title, above the plots (never over a curve, no plot height
    taken); the crosshair's readout takes its place while hovering."""
    session.load_preset("xor")
    session.train_steps(5)
    assert [name for name, _ in loss_plot.legend_entries] == ["step", "train"]
    assert "train (epoch)" in shown_text(loss_plot.legend)
    loss_plot.show()
    qtbot.waitExposed(loss_plot)
    assert loss_plot._top.indexOf(loss_plot._key) >= 0           # in the title's row(s), not on the plot
    legend_bottom = loss_plot.legend.mapTo(loss_plot, loss_plot.legend.rect().bottomLeft()).y()
    assert legend_bottom <= loss_plot.stack.geometry().top()
    assert loss_plot._key_beside == "beside"                      # 900 px: one row with the title
    loss_plot.resize(420, 300)
    assert loss_plot._key_beside != "beside"                      # narrow: a row of its own, one line
    qtbot.waitUntil(lambda: loss_plot.legend.height() < 2.2 * loss_plot.legend.fontMetrics().height())
    loss_plot._show_hover(loss_plot.hover_text(3))
    assert loss_plot.legend.isHidden() and not loss_plot.hover_label.isHidden()
    assert loss_plot.hover_label.text().startswith("step 3: loss")
    loss_plot._show_hover(None)
    assert not loss_plot.legend.isHidden() and loss_plot.hover_label.isHidden()


@pytest.mark.parametrize("height, side_by_side", [(260, True), (700, False)])
def test_short_panel_puts_loss_and_accuracy_side_by_side(qtbot, session, height, side_by_side):
    """At a 720p dock's height the loss and accuracy plots share one row, each the full height;
    a tall panel stacks them.  Either way each plot gets a readable height."""
    w = LossPlot(session)
    qtbot.addWidget(w)
    session.load_preset("xor")
    session.train_steps(5)
    w.resize(640, height)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.side_by_side == side_by_side)
    for plot in (w.loss_plot, w.acc_plot):
        assert plot.getViewBox().height() >= 70, plot
    if side_by_side:
        assert abs(w.loss_plot.sceneBoundingRect().top() - w.acc_plot.sceneBoundingRect().top()) < 2
    else:
        assert w.acc_plot.sceneBoundingRect().top() > w.loss_plot.sceneBoundingRect().bottom() - 2


def test_epoch_records_and_accuracy(loss_plot, session):
    session.load_preset("xor")            # batch 4 of 4 examples: one epoch per step
    assert loss_plot.acc_plot in loss_plot._graphics.ci.items
    session.train_steps(10)
    epochs = session.history.epochs
    assert len(epochs) == 10
    x, y = data(loss_plot.curves["train"])
    np.testing.assert_array_equal(x, [e.step for e in epochs])
    np.testing.assert_allclose(y, [e.train_loss for e in epochs])
    x, y = data(loss_plot.curves["train_acc"])
    np.testing.assert_allclose(y, [e.train_acc for e in epochs])
    assert "epoch 10" in loss_plot.hover_text(10)
    assert loss_plot.curves["train"].opts["symbol"] == "o"
    session.train_steps(100)              # past 60 epochs at once: the markers go, none built for 110 epochs
    curve = loss_plot.curves["train"]
    assert curve.opts["symbol"] is None and len(data(curve)[0]) == 110 and len(curve.scatter.data) <= 60
    session.load_preset("sine")           # regression: no accuracy plot
    assert loss_plot.acc_plot not in loss_plot._graphics.ci.items


def test_comparison_run_adds_dashed_curve(loss_plot, session):
    session.load_preset("xor")
    session.train_steps(5)
    assert session.start_comparison(eta=0.1)
    session.train_steps(5)
    x, y = data(loss_plot.curves["compare_step"])
    np.testing.assert_array_equal(y, session.compare.trainer.history.step_losses)
    assert x.size == 10
    assert ("compare_train", "η = 0.1") in loss_plot.legend_entries     # (the book's symbol, not the key)
    assert "η = 0.1" in shown_text(loss_plot.legend)
    assert "η = 0.1" in loss_plot.hover_text(7)
    session.stop_comparison()
    assert data(loss_plot.curves["compare_step"])[0].size == 0


def test_log_checkbox_drives_session_and_back(loss_plot, session):
    session.train_steps(5)
    loss_plot.log_check.setChecked(True)
    assert session.settings.log_loss
    assert loss_plot.loss_plot.getAxis("left").logMode
    session.settings.log_loss = False
    assert not loss_plot.log_check.isChecked()
    session.settings.theme = "dark"
    session.settings.font_scale = 1.4


def test_decision_boundary_xor_image_equals_grid(boundary, session):
    session.load_preset("xor")
    session.train_steps(20)
    boundary.redraw()
    assert boundary.mode == "grid"
    _, _, out = session.decision_grid(boundary.resolution)
    np.testing.assert_allclose(boundary.image, out[:, :, 0])
    assert boundary.levels == (0.0, 1.0)


def test_decision_boundary_throttled_on_params_changed(qtbot, boundary, session):
    session.load_preset("xor")
    before = boundary.image.copy()
    session.train_steps(50)
    qtbot.waitUntil(lambda: not np.allclose(boundary.image, before), timeout=2000)
    _, _, out = session.decision_grid(boundary.resolution)
    np.testing.assert_allclose(boundary.image, out[:, :, 0])


def test_decision_boundary_multiclass_and_message(boundary, session):
    session.load_preset("spirals")
    assert boundary.mode == "grid" and boundary.image.shape == (40, 40, 3)
    session.load_preset("iris")
    assert boundary.mode == "message"
    assert "needs 2 inputs" in boundary.message and "this data set has 4" in boundary.message
    assert not boundary.stack.showing_plot


def test_decision_boundary_says_why_for_a_single_example(boundary, session):
    """Mazur's one example has no boundary to draw: the panel says so instead of one dot."""
    assert session.preset_name == "mazur" and boundary.mode == "message"
    assert "One training example" in boundary.message
    assert boundary.stack.label.text() == boundary.message
    assert boundary.title == "Decision boundary"


def test_decision_boundary_titles_follow_the_task(boundary, session, qtbot):
    titles = []
    boundary.title_changed.connect(titles.append)
    session.load_preset("sine")
    assert boundary.title == "Fitted curve" and titles[-1] == "Fitted curve"
    session.load_preset("xor")
    assert boundary.title == "Decision boundary" and titles[-1] == "Decision boundary"


def test_the_fitted_curve_names_the_output_layer_as_the_graph_does(boundary, session, qtbot):
    """(Its legend read "network aᴸ" beside a graph whose output layer is "a² (output)".)"""
    session.load_preset("sine")
    boundary.show()
    qtbot.waitUntil(lambda: boundary.mode == "curve" and bool(boundary.curves))
    labels = [label.text for _, label in boundary.legend.items]
    assert labels == ["data y", "network a²", "this example"]
    session.apply_config(dict(sizes=[1, 4, 4, 1], activation="tanh", output_activation="linear", loss="mse",
                              dataset={"name": "sine", "n": 40}))
    qtbot.waitUntil(lambda: "network a³" in [label.text for _, label in boundary.legend.items])


def test_decision_boundary_multiclass_image_is_drawn_in_its_own_colours(qtbot, session):
    """The class-coloured image is RGB: no colour map or levels may be applied to it (they turned
    the trained spirals' boundary into a blank square in `snapshot --preset spirals --steps 4000`)."""
    session.load_preset("spirals")
    session.train_steps(30)
    boundary = DecisionBoundary(session, resolution=40)     # built on the trained run, as a snapshot does
    qtbot.addWidget(boundary)
    item = boundary._image
    item.render()
    rendered = item.qimage.convertToFormat(item.qimage.Format.Format_RGB888)
    h, w = rendered.height(), rendered.width()
    pixels = np.frombuffer(rendered.constBits(), dtype=np.uint8).reshape(h, rendered.bytesPerLine())[:, :3 * w]
    np.testing.assert_array_equal(pixels.reshape(h, w, 3), boundary.image)


def test_decision_boundary_equal_aspect_legend_beside_and_outlined_points(qtbot, session):
    session.load_preset("xor")
    view = DecisionBoundary(session, resolution=30)
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    vb = view.plot.getViewBox()
    assert vb.state["aspectLocked"] == 1.0                      # one unit is as long across as up
    (x0, x1), (y0, y1) = vb.viewRange()
    assert abs((x1 - x0) / vb.width() - (y1 - y0) / vb.height()) < 1e-6 * (x1 - x0)
    assert not view.legend.sceneBoundingRect().intersects(vb.sceneBoundingRect())   # never over a point
    fg = view.theme.foreground
    for scatter in view._scatters:
        assert scatter.opts["pen"].color().name() == fg
    session.settings.theme = "dark"
    for scatter in view._scatters:
        assert scatter.opts["pen"].color().name() == view.theme.foreground != fg
    session.load_preset("sine")
    assert vb.state["aspectLocked"] is False                    # a curve: y and x are different things


def test_decision_boundary_curve_for_sine(boundary, session):
    session.load_preset("sine")
    assert boundary.mode == "curve"
    x, y = boundary.curves[0].getData()
    np.testing.assert_allclose(y, session.net.predict(x[:, None])[:, 0])


def test_decision_boundary_axes_show_plain_data_units(qtbot, session):
    from gui.widgets.decision_boundary import DecisionBoundary
    view = DecisionBoundary(session)
    qtbot.addWidget(view)
    for side in ("left", "bottom"):
        assert not view.plot.getAxis(side).autoSIPrefix


@pytest.mark.parametrize("side, compact", [("left", False), ("bottom", True), ("bottom", False)])
def test_tick_labels_never_overlap(qtbot, side, compact):
    """However short the axis, the major tick labels (the ones pyqtgraph always prints) each get
    their room; a step axis ticks whole steps only."""
    from PySide6 import QtCore, QtGui
    from gui.widgets.readable_axis import ReadableAxis
    axis = ReadableAxis(side, compact=compact)
    font = QtGui.QFont()
    font.setPointSizeF(11.4)
    axis.setTickFont(font)
    for lo, hi in ((0.0, 0.7), (-405.0, 4410.0), (0.8, 4.2), (0.0, 120000.0)):
        for size in (40.0, 60.0, 130.0, 400.0):
            levels = axis.tickSpacing(lo, hi, size)
            major = levels[0][0]
            gaps = (hi - lo) / major
            assert gaps <= 1.0 or gaps * axis.label_room(lo, hi) <= size * 1.0001, (lo, hi, size, major)
            if compact:
                assert all(spacing >= 1 for spacing, _ in levels)


def test_decision_boundary_scatters_a_fixed_sample_of_a_big_data_set(boundary, session):
    from gui.widgets.decision_boundary import MAX_DRAWN_POINTS
    assert session.load_preset("spirals")
    small = sum(len(s.data) for s in boundary._scatters)
    assert small == len(session.run.train) <= MAX_DRAWN_POINTS and boundary.plot.titleLabel.text == ""
    assert session.change(dataset={**session.config.dataset, "n": 20_000})
    ds = session.run.train
    drawn = [(k, np.column_stack([s.data["x"], s.data["y"]])) for k, s in enumerate(boundary._scatters)]
    assert sum(len(p) for _, p in drawn) == MAX_DRAWN_POINTS
    assert boundary.plot.titleLabel.text == f"{MAX_DRAWN_POINTS:,} of {len(ds):,} points"
    for k, points in drawn:                       # real training points, each in its own class's colour
        own = {tuple(r) for r in ds.X[ds.labels == k]}
        assert len(points) > 0 and all(tuple(r) in own for r in points)
    first = [p.copy() for _, p in drawn]
    session.reset()
    boundary._on_run_changed()                    # the same sample every time
    assert all(np.array_equal(a, np.column_stack([s.data["x"], s.data["y"]]))
               for a, s in zip(first, boundary._scatters))


def test_decision_boundary_grid_is_coarser_for_a_big_network(boundary, session):
    from gui.widgets.decision_boundary import GRID_WORK, MIN_RESOLUTION
    assert session.load_preset("xor")
    assert boundary.grid_resolution() == 40 and boundary.image.shape[:2] == (40, 40)     # the fixture's resolution
    boundary.resolution = 120
    assert session.change(sizes=[2, 100, 100, 1])       # 10,501 parameters: about 97 a side
    n = session.parameter_count(session.net.sizes)
    res = boundary.grid_resolution()
    assert res == int((GRID_WORK / n) ** 0.5) and MIN_RESOLUTION <= res < 120
    boundary.redraw()
    assert boundary.image.shape[:2] == (res, res)
    assert session.change(sizes=[2, 990, 997, 1])       # near the parameter limit: never below the floor
    assert boundary.grid_resolution() == MIN_RESOLUTION


def _axis_label_clear_of_ticks(axis) -> int:
    """The axis label's text box (its box less the text's margin) meets no tick label's box; returns
    how many tick labels there are."""
    from PySide6 import QtCore, QtGui
    image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    m = axis.label.document().documentMargin()
    label = axis.label.mapRectToParent(axis.label.boundingRect().adjusted(m, m, -m, -m))
    for rect, _flags, text in texts:
        assert not label.intersects(QtCore.QRectF(rect)), \
            f"{axis.orientation} label {axis.labelText!r} {label.getRect()} meets tick {text!r} {rect.getRect()}"
    return len(texts)


@pytest.mark.parametrize("screen, zoom, preset", [("1024x768", 0, "xor"), ("1280x720", 0, "xor"), ("1024x768", 3, "xor"),
                                                  ("1280x720", 3, "xor"), ("1280x720", 0, "spirals")])
def test_decision_boundary_axis_labels_keep_clear_of_the_ticks(qtbot, screen, zoom, preset):
    """In the Training layout the rotated "x2" never touches a tick label ("0.5" did), and the axes
    keep one width from paint to paint (on a plot of locked aspect they flipped between two, the
    label over the ticks in one of them); the legend goes beside or under the plot, wherever the
    plot comes out larger, laid out each way (beside, it left the plot 75 of 435 px at zoom +3)."""
    from PySide6 import QtWidgets
    from helpers import window_on_screen
    window, session = window_on_screen(qtbot, screen, preset)
    qtbot.wait(400)                                 # the layout's arrangement once the window is framed
    window.layouts.switch("training")
    for _ in range(zoom):
        window.presentation.zoom_in.trigger()
    for _ in range(4):
        QtWidgets.QApplication.processEvents()
    boundary = window.boundary
    assert boundary.mode == "grid" and not boundary.visibleRegion().isEmpty()
    widths = []
    for _ in range(3):                              # paint after paint: the same widths, the label clear
        boundary.grab()
        QtWidgets.QApplication.processEvents()
        widths.append((boundary.plot.getAxis("left").width(), boundary.plot.getAxis("bottom").height()))
        assert _axis_label_clear_of_ticks(boundary.plot.getAxis("left")) >= 1
        _axis_label_clear_of_ticks(boundary.plot.getAxis("bottom"))
    assert widths[0] == widths[1] == widths[2], widths
    box = boundary.plot.getViewBox().sceneBoundingRect()     # the legend never over the plot
    legend = boundary.legend.sceneBoundingRect()
    assert not box.intersects(legend), (box.getRect(), legend.getRect())
    chosen = boundary._legend_place
    boundary.plot.getViewBox().sigResized.disconnect(boundary._on_view_resized)   # each place laid out as put

    def plot_side(place):                                    # the square plot's side with the legend there
        boundary.put_legend(place)
        boundary.grab()
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        r = boundary.plot.getViewBox().sceneBoundingRect()
        return min(r.width(), r.height())

    sides = {place: plot_side(place) for place in boundary.legend_places()}
    assert sides[chosen] >= max(sides.values()) - 2, (chosen, sides)
    window.close()


def test_a_boundary_out_of_sight_in_a_shown_window_is_built_when_it_is_shown(qtbot, session, monkeypatch):
    """A closed or tabbed-away dock (the Lecture layout's boundary) keeps its mode and title
    current but computes no points and no grid until it is shown (a million-point build spent
    60 ms of the window's time on it)."""
    from PySide6 import QtWidgets
    host = QtWidgets.QWidget()
    qtbot.addWidget(host)
    boundary = DecisionBoundary(session, resolution=30, parent=host)
    QtWidgets.QVBoxLayout(host).addWidget(boundary)
    host.resize(700, 500)
    host.show()
    qtbot.waitExposed(host)
    boundary.hide()                                           # its dock behind another tab
    grids, real = [], session.decision_grid
    monkeypatch.setattr(session, "decision_grid", lambda *a, **k: grids.append(a) or real(*a, **k))
    assert session.load_preset("spirals")
    session.train_steps(5)                                    # params_changed: no redraw either
    qtbot.wait(150)                                           # past the redraw throttle
    assert boundary.mode == "grid" and boundary.title == "Decision boundary"
    assert grids == [] and boundary._scatters == [] and boundary.image is None
    boundary.show()                                           # the tab chosen: built now, on the trained net
    assert len(grids) == 1 and boundary.stack.showing_plot
    _, _, out = real(30)
    expected = DecisionBoundary(session, resolution=30)       # what a panel in sight shows
    qtbot.addWidget(expected)
    np.testing.assert_array_equal(boundary.image, expected.image)
    assert [len(s.data) for s in boundary._scatters] == [len(s.data) for s in expected._scatters] == \
        [int((session.run.train.labels == k).sum()) for k in range(2)]
    assert session.load_preset("iris")                        # in sight: at once
    assert boundary.mode == "message" and boundary.stack.label.text() == boundary.message


def test_the_boundary_reuses_its_scatters_when_only_the_points_change(boundary, session):
    assert session.load_preset("spirals")
    items = list(boundary._scatters)
    assert session.change(dataset={**session.config.dataset, "n": 500})   # the same classes, other points
    ds = session.run.train
    assert boundary._scatters == items and all(a is b for a, b in zip(boundary._scatters, items))
    for k, s in enumerate(boundary._scatters):
        np.testing.assert_array_equal(np.column_stack([s.data["x"], s.data["y"]]), ds.X[ds.labels == k])
    assert len(boundary.legend.items) == 3                    # two classes and "this example", not doubled
    session.settings.theme = "dark"                           # another style: new items in its colours
    assert not any(a is b for a, b in zip(boundary._scatters, items))
    assert boundary._scatters[0].opts["pen"].color().name() == boundary.theme.foreground
    dark = list(boundary._scatters)
    assert session.load_preset("xor")                         # other classes: rebuilt
    assert not any(a is b for a, b in zip(boundary._scatters, dark))
    names = session.run.train.target_names
    expected = names if len(names) > 1 else ["class 0", "class 1"]
    assert [label.text for _, label in boundary.legend.items] == [*expected, "this example"]


def test_a_boundary_built_as_its_dock_is_shown_is_ranged_to_its_data(qtbot):
    """The Lecture layout hides the boundary; a run loaded meanwhile is built when the Training
    layout shows it, and ranged once the dock is laid out (ranged as it was shown, with no size
    yet, the plane spanned six times the data, the points a dot in the middle)."""
    from PySide6 import QtCore
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    window = MainWindow(Session("xor"))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.layouts.set_canvas(QtCore.QSize(1280, 720))
    qtbot.waitExposed(window)
    boundary = window.boundary
    assert window.session.settings.layout == "lecture" and not boundary.isVisible()
    assert window.session.load_preset("spirals")
    assert boundary._scatters[0].data.size < 10                # still xor's two points a class: not built
    window.layouts.switch("training")
    qtbot.waitUntil(lambda: boundary.isVisible() and boundary.plot.getViewBox().width() > 100)
    qtbot.wait(50)
    X = window.session.run.train.X
    (x0, x1), (y0, y1) = boundary.plot.getViewBox().viewRange()
    span = X.max(axis=0) - X.min(axis=0) + 1.0                 # the grid's extent (half a unit each side)
    assert min((x1 - x0) / span[0], (y1 - y0) / span[1]) < 1.3
    assert x0 <= X[:, 0].min() and X[:, 0].max() <= x1 and y0 <= X[:, 1].min() and X[:, 1].max() <= y1


def test_the_loss_is_named_in_the_title_bar_and_a_narrow_panel_drops_its_own_title(qtbot, session):
    """``title`` names the loss for the dock's title bar ("Loss: binary cross-entropy", following
    the run); a panel too narrow for the title beside the check box at zoom +3 hides its own title
    line rather than wrap it into three lines, and shows it again when wide."""
    w = LossPlot(session)
    qtbot.addWidget(w)
    titles = []
    w.title_changed.connect(titles.append)
    session.load_preset("xor")
    assert w.title == "Loss: binary cross-entropy" and titles[-1] == w.title
    session.load_preset("sine")
    assert w.title == f"Loss: {session.net.loss.title[:1].lower()}{session.net.loss.title[1:]}" == titles[-1]
    session.load_preset("xor")
    session.settings.font_scale = 1.52
    w.resize(340, 460)
    w.show()
    qtbot.waitExposed(w)
    assert w.title_label.isHidden() and not w.log_check.isHidden()
    w.resize(900, 460)
    qtbot.wait(20)
    assert not w.title_label.isHidden()
    fm = QtGui.QFontMetrics(w.title_label.font())
    assert w.title_label.height() < 1.6 * fm.lineSpacing()            # on one line
    session.settings.font_scale = 1.0


def test_a_narrow_plot_of_many_steps_labels_at_least_two_steps(qtbot, session):
    """Side by side at 1024×768, zoom +3, each plot about 210 px wide over 2,000 steps: the step
    axis labels at least two ticks (its room was reckoned for "−2142k", the padded end written
    out, and only "0" was left), and they do not overlap."""
    w = LossPlot(session)
    qtbot.addWidget(w)
    session.load_preset("xor")
    session.settings.font_scale = 1.52
    session.train_steps(2000)
    w.resize(609, 230)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.side_by_side)
    qtbot.wait(50)
    for plot in (w.loss_plot, w.acc_plot):
        axis = plot.getAxis("bottom")
        image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_ARGB32)
        painter = QtGui.QPainter(image)
        _, _, texts = axis.generateDrawSpecs(painter)
        painter.end()
        assert plot.getViewBox().width() < 260 and len(texts) >= 2, [t[2] for t in texts]
        rects = sorted((t[0] for t in texts), key=lambda r: r.left())
        assert all(a.right() <= b.left() for a, b in zip(rects, rects[1:]))
    session.settings.font_scale = 1.0


def test_a_count_axis_writes_thousands_alike_at_every_level(qtbot):
    """The step axis writes thousands as "1k", "1.5k" whatever the tick level: a minor tick read
    "1500" between "1k" and "2k"; small counts and a non-count axis stay as pyqtgraph writes them."""
    from gui.widgets.readable_axis import ReadableAxis
    axis = ReadableAxis("bottom", compact=True)
    assert axis.tickStrings([0, 500, 1000, 1500, 2000], 1.0, 500) == ["0", "500", "1k", "1.5k", "2k"]
    assert axis.tickStrings([1000, 2000], 1.0, 1000) == ["1k", "2k"]
    assert axis.tickStrings([0, 200, 400], 1.0, 200) == ["0", "200", "400"]
    plain = ReadableAxis("bottom")
    assert plain.tickStrings([0, 500, 1000, 1500], 1.0, 500) == ["0", "500", "1000", "1500"]


@pytest.mark.parametrize("scale", [1.0, 1.52])
def test_a_short_accuracy_plot_labels_0_and_1(qtbot, session, scale):
    """Side by side in a 720p dock (about 100 px tall) the accuracy plot still labels 0, 0.5 and 1:
    pyqtgraph draws only the labels inside the plot's box, and the ends' half labels stuck out."""
    w = LossPlot(session)
    qtbot.addWidget(w)
    session.load_preset("xor")
    session.settings.font_scale = scale
    session.train_steps(300)
    w.resize(609, 230 if scale == 1.0 else 250)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.side_by_side)
    qtbot.wait(50)
    image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    _, _, texts = w.acc_plot.getAxis("left").generateDrawSpecs(painter)
    painter.end()
    assert w.acc_plot.getViewBox().height() < 140
    assert [t[2] for t in texts] == ["0", "0.5", "1"]
    session.settings.font_scale = 1.0


@pytest.mark.parametrize("scale", [1.0, 1.52])
@pytest.mark.parametrize("size", [(609, 240), (420, 600)])
def test_the_accuracy_axis_title_is_never_longer_than_its_plot(qtbot, session, scale, size):
    """"accuracy" where the plot's box is as tall as the title's text (pyqtgraph writes "accuracy ",
    a space for the units it has none of), else "acc.": side by side at
    1024×768 zoom +3 (a 70-px box) the whole word was chosen for the panel's height and drawn "accurac"."""
    w = LossPlot(session)
    qtbot.addWidget(w)
    session.load_preset("xor")
    session.settings.font_scale = scale
    session.train_steps(50)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.side_by_side == (size[1] < 300))
    qtbot.wait(50)
    label = w.acc_plot.getAxis("left").label
    box = w.acc_plot.getViewBox().height()
    assert label.boundingRect().width() <= box + 1, (label.toPlainText(), label.boundingRect().width(), box)
    if box >= 130:                                  # room to spare: the whole word
        assert label.toPlainText().strip() == "accuracy"
    session.settings.font_scale = 1.0


def test_a_narrow_panels_legend_keeps_its_plots_readable(qtbot, session):
    """W's #708: spirals trained, zoom +3, in the Training layout's loss column at 1280×720 (a
    259 × 380-px panel in a framed window): the legend "each step  train (epoch)  test (epoch)"
    wrapped to three lines under "Log scale" and left the loss and accuracy plots 82 px tall, under
    PLOT_MIN (the loss axis showed one tick).  Where the labels in full cost the key a row they are
    short ("step", "train", "test"), at the window's font where that saves another: one line
    there, both plots PLOT_MIN tall, every curve still named.  A wide panel names them in full."""
    from PySide6 import QtWidgets

    from gui.widgets.loss_plot import PLOT_MIN
    from gui.shell.presentation import ZOOM_STEP, base_point_size
    app, before = QtWidgets.QApplication.instance(), QtWidgets.QApplication.font()
    session.load_preset("spirals")
    session.train_steps(100)
    try:
        zoomed = QtGui.QFont(before)                  # the window's font at +3, as Presentation sets it
        zoomed.setPointSizeF(base_point_size() * ZOOM_STEP ** 3)
        app.setFont(zoomed)
        session.settings.font_scale = round(ZOOM_STEP ** 3, 4)
        w, area = LossPlot(session), QtWidgets.QScrollArea()    # in a dock's scroll area, as in the window
        area.setWidgetResizable(True)
        area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        area.setWidget(w)
        qtbot.addWidget(area)
        area.resize(259, 380)
        area.show()
        qtbot.waitExposed(area)
        qtbot.wait(50)
        assert area.horizontalScrollBar().maximum() == 0, "the panel scrolls sideways"
        words = shown_text(w.legend).split()
        assert words == ["──", "step", "━━", "train", "━━", "test"], words
        line = QtGui.QTextDocument()                  # the legend's height on one line, as laid out
        line.setDefaultFont(w.legend.font())
        line.setDocumentMargin(0)
        line.setHtml(w.legend.text())
        assert w.legend.height() < 1.5 * line.size().height(), ("the legend wraps", w.legend.height())
        for plot in (w.loss_plot, w.acc_plot):
            assert plot.getViewBox().height() >= PLOT_MIN, (plot is w.acc_plot, plot.getViewBox().height())
        area.resize(1100, 380)
        qtbot.wait(50)
        assert "each step" in shown_text(w.legend) and "test (epoch)" in shown_text(w.legend)
        assert w.legend.font().pointSizeF() > zoomed.pointSizeF()     # at the panel's size
    finally:
        app.setFont(before)
        session.settings.font_scale = 1.0


def test_the_title_beside_the_check_box_is_never_cut(qtbot, session):
    """Across the widths of a Training layout's loss column (spirals' "Cross-entropy" at 1280×720:
    a 259-px column cut its last letter against "Log scale"), the title is either hidden (the dock's
    title bar names the loss) or given all the width its text needs, beside a whole check box."""
    session.load_preset("spirals")
    w = LossPlot(session)
    qtbot.addWidget(w)
    w.resize(420, 400)
    w.show()
    qtbot.waitExposed(w)
    for width in range(200, 420, 3):
        w.resize(width, 400)
        qtbot.wait(1)
        if not w.title_label.isHidden():
            assert w.title_label.width() >= w.title_label.sizeHint().width(), (width, w._key_beside)
        assert w.log_check.width() >= w.log_check.sizeHint().width(), (width, w._key_beside)


def test_the_panel_names_its_loss_where_the_title_bar_does_not(qtbot, session):
    """At zoom +3 in a 260-px panel (the Training layout's Loss dock at 1280×720): where the dock's
    title bar names the loss the panel leaves its own title out (its plots keep the height); where
    it says only "Loss", the panel shows the loss's name on a row of its own, whole, wrapped at a
    word or after a hyphen, inside the panel; and leaves it out again when the bar names it."""
    session.settings.font_scale = round(1.15 ** 3, 4)
    w = LossPlot(session)
    qtbot.addWidget(w)
    w.resize(260, 400)
    w.show()
    qtbot.waitExposed(w)
    label, name = w.title_label, session.net.loss.title
    assert w.titles == [f"Loss: {name[:1].lower()}{name[1:]}", name, "Loss: ½·SSE", "Loss"]
    for named in (True, False, True):
        w.set_title_shown_above(named)
        qtbot.wait(20)
        if named:
            assert not label.isVisible(), "the title bar names the loss: no second title"
            continue
        assert label.isVisible() and shown_text(label) == name
        bold = QtGui.QFont(label.font())
        bold.setBold(True)
        metrics, rect = QtGui.QFontMetrics(bold), label.contentsRect()
        need = metrics.boundingRect(QtCore.QRect(0, 0, rect.width(), 10_000), int(QtCore.Qt.TextFlag.TextWordWrap), name)
        assert need.width() <= rect.width() and need.height() <= rect.height(), (need, rect)
        assert max(metrics.horizontalAdvance(p) for p in name.replace("-", "- ").split()) <= rect.width()
        assert w.rect().contains(QtCore.QRect(label.mapTo(w, rect.topLeft()), rect.size()))
