"""Both themes reach every part of the window: each visible label, check box, button and field
reads against what is painted behind it (WCAG contrast measured on the rendered pixels), every
dock's header too, the toolbar icons are drawn in the theme's colours, fields and a checked tool
button show their edge, the style's own dialog icons and the dialogs' error text read too."""
import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gui.theme import THEMES
from helpers import kept_window, window_on_screen

TEXT_CONTRAST = 4.5      # WCAG AA for text
ICON_CONTRAST = 3.0      # WCAG AA for graphics


def luminance(rgb) -> float:
    c = np.asarray(rgb, dtype=float) / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def pixels(image: QtGui.QImage, rect: QtCore.QRect) -> np.ndarray:
    """(n, 3) RGB of ``rect`` of a grabbed image."""
    sub = image.copy(rect).convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h, bpl = sub.width(), sub.height(), sub.bytesPerLine()
    data = np.frombuffer(sub.constBits(), dtype=np.uint8, count=bpl * h).reshape(h, bpl)[:, :3 * w]
    return data.reshape(-1, 3).copy()         # a copy: the view would outlive ``sub``'s memory


def text_contrast(px: np.ndarray) -> float:
    """The contrast between the commonest colour (the background) and the pixel that stands out
    most from it (the text's strokes)."""
    colours, counts = np.unique(px, axis=0, return_counts=True)
    background = colours[np.argmax(counts)]
    return max(contrast(background, c) for c in colours)


def _text_of(widget) -> str:
    if isinstance(widget, QtWidgets.QLabel):
        return "" if widget.pixmap() is not None and not widget.pixmap().isNull() else widget.text()
    if isinstance(widget, QtWidgets.QAbstractButton):
        return widget.text()
    if isinstance(widget, QtWidgets.QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QtWidgets.QComboBox):
        return widget.currentText()
    return ""


def _check_texts(w, image, theme) -> None:
    """Every visible, enabled label, button, check box and field reads on what is behind it."""
    kinds = (QtWidgets.QLabel, QtWidgets.QAbstractButton, QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox)
    checked, bad = 0, []
    for widget in w.findChildren(QtWidgets.QWidget):
        if not isinstance(widget, kinds) or not widget.isVisible() or not widget.isEnabled():
            continue
        if not _text_of(widget).strip() or widget.width() < 8 or widget.height() < 8:
            continue
        shown = widget.visibleRegion().boundingRect()       # clipped by scroll areas and parents
        if shown.width() < 8 or shown.height() < 8:
            continue
        rect = QtCore.QRect(widget.mapTo(w, shown.topLeft()), shown.size()).intersected(w.rect())
        if rect.isEmpty():
            continue
        ratio = text_contrast(pixels(image, rect))
        checked += 1
        if ratio < TEXT_CONTRAST:
            bad.append(f"{type(widget).__name__} {_text_of(widget)[:30]!r}: {ratio:.2f}")
    assert checked > 20
    assert not bad, f"{theme}: text below {TEXT_CONTRAST}:1 — " + "; ".join(bad)


def _check_dock_headers(w, image, theme) -> None:
    """Every shown dock's title bar is in the theme's panel colour and its title reads."""
    bg = QtGui.QColor(THEMES[theme].panel).getRgb()[:3]
    shown = 0
    for name, dock in w.docks.items():
        if not dock.isVisible() or dock.visibleRegion().isEmpty():
            continue
        title_h = dock.widget().mapTo(dock, QtCore.QPoint(0, 0)).y()
        assert title_h > 10, name
        origin = dock.mapTo(w, QtCore.QPoint(0, 0))
        px = pixels(image, QtCore.QRect(origin.x(), origin.y(), min(dock.width() - 60, 160), title_h - 2))
        colours, counts = np.unique(px, axis=0, return_counts=True)
        assert contrast(colours[np.argmax(counts)], bg) < 1.2, f"{theme}: the {name} dock's header is not the panel colour"
        assert text_contrast(px) >= TEXT_CONTRAST, f"{theme}: the {name} dock's title does not read"
        shown += 1
    assert shown >= 1, shown          # Lecture: the companion's tabs (the editor among them); Training: more


def _check_toolbar_icons(w, theme) -> None:
    """The stepping icons stand out from the toolbar (3:1, WCAG for graphics), disabled ones less."""
    toolbar = w.findChild(QtWidgets.QToolBar, "stepping_toolbar")
    bg = QtGui.QColor(THEMES[theme].panel).getRgb()[:3]
    actions = w.actions_.all()
    assert set(actions) <= set(toolbar.actions())
    for action in actions:
        for mode, need in ((QtGui.QIcon.Mode.Normal, ICON_CONTRAST), (QtGui.QIcon.Mode.Disabled, 2.0)):
            img = action.icon().pixmap(32, 32, mode).toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
            a = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.width(), 4)
            ink = a[a[..., 3] > 160][:, :3]
            assert len(ink), action.text()
            assert contrast(ink.mean(axis=0), bg) >= need, f"{theme}: icon of {action.text()!r} ({mode.name})"



def _ink_contrast(icon: QtGui.QIcon, bg, mode=QtGui.QIcon.Mode.Normal) -> float:
    """Contrast against ``bg`` of an icon's strongest strokes: the 90th percentile over its opaque
    pixels (an icon with a white face and black lines stands out on either theme)."""
    img = icon.pixmap(32, 32, mode).toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    a = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.width(), 4)
    ink = a[a[..., 3] > 160][:, :3]
    assert len(ink)
    return float(np.percentile([contrast(c, bg) for c in ink], 90))


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_dialog_icons_follow_the_theme(qtbot, theme):
    """The style's own glyph icons in dialogs (a button box's ✗ Close, the file dialog's arrows and
    view buttons) stand out from the button they are on in both themes: in the dark theme they were
    black on charcoal (the shortcut sheet's Close, CSV import's "parent folder").  Coloured icons
    (the red ✗ of Cancel, the yellow folder) keep their colours."""
    w, session = window_on_screen(qtbot, "1280x720", "mazur")
    for name in ("dark", theme):
        session.settings.theme = name
        QtWidgets.QApplication.processEvents()
    bg = QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Button).getRgb()[:3]
    style = QtWidgets.QApplication.style()
    sp = QtWidgets.QStyle.StandardPixmap
    for glyph in (sp.SP_DialogCloseButton, sp.SP_FileDialogToParent, sp.SP_FileDialogListView,
                  sp.SP_FileDialogDetailedView, sp.SP_ArrowBack, sp.SP_ArrowForward):
        icon = style.standardIcon(glyph)
        assert _ink_contrast(icon, bg) >= ICON_CONTRAST, f"{theme}: {glyph.name}"
        assert _ink_contrast(icon, bg, QtGui.QIcon.Mode.Disabled) >= 1.5, f"{theme}: {glyph.name} disabled"
    dialog = QtWidgets.QFileDialog(w, "Import CSV data")         # the dialog picks the style's icon up
    dialog.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    up = dialog.findChild(QtWidgets.QToolButton, "toParentButton")
    assert _ink_contrast(up.icon(), bg) >= ICON_CONTRAST, f"{theme}: the file dialog's parent-folder button"
    cancel = style.standardIcon(QtWidgets.QStyle.StandardPixmap.SP_DialogCancelButton)
    img = cancel.pixmap(32, 32).toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    a = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.width(), 4)
    ink = a[a[..., 3] > 160][:, :3].mean(axis=0)
    assert ink[0] > ink[1] + 60, f"{theme}: Cancel's red ✗ lost its colour ({ink})"
    w.close()


def _edge_contrast(image: QtGui.QImage, rect: QtCore.QRect) -> float:
    """How far a control's outline stands out: the strongest contrast between the pixels on its left
    edge (2 px wide, middle half of its height) and the panel colour just outside it."""
    y0, y1 = rect.top() + rect.height() // 4, rect.bottom() - rect.height() // 4
    edge = pixels(image, QtCore.QRect(rect.left(), y0, 2, y1 - y0))
    outside = pixels(image, QtCore.QRect(rect.left() - 4, y0, 2, y1 - y0))
    colours, counts = np.unique(outside, axis=0, return_counts=True)
    panel = colours[np.argmax(counts)]
    return max(contrast(panel, c) for c in edge)


def _check_fields_and_toggles(w, theme) -> None:
    """Text fields, spin boxes and combo boxes show their edge against the panel (3:1, WCAG for
    user-interface components): in the dark theme Fusion outlined them in the window colour darkened,
    so the network editor's fields and the Predict entries were dark boxes with no edge.  (Checked on
    a panel of its own with the window's style sheet: the editor's width in the window depends on
    the layout's queued re-fits.)  A checked tool button (Predict on) stands out from the toolbar by
    its outline too."""
    panel = QtWidgets.QWidget()
    panel.setStyleSheet(w.styleSheet())
    panel.setAutoFillBackground(True)
    form = QtWidgets.QFormLayout(panel)
    form.setContentsMargins(12, 12, 12, 12)
    spin, combo, disabled = QtWidgets.QDoubleSpinBox(), QtWidgets.QComboBox(), QtWidgets.QLineEdit("200")
    combo.addItems(["sigmoid", "tanh"])
    disabled.setEnabled(False)
    fields = [QtWidgets.QLineEdit("2-2-2"), QtWidgets.QLineEdit(), spin, combo]
    for n, field in enumerate(fields):
        form.addRow(f"field {n}", field)
    form.addRow("disabled", disabled)
    panel.resize(320, 200)
    panel.show()
    QtWidgets.QApplication.processEvents()
    image = panel.grab().toImage()
    bad = [f"{type(f).__name__} {n}: {_edge_contrast(image, f.geometry()):.2f}" for n, f in enumerate(fields)
           if _edge_contrast(image, f.geometry()) < ICON_CONTRAST]
    assert not bad, f"{theme}: fields without a visible edge — " + "; ".join(bad)
    assert _edge_contrast(image, disabled.geometry()) >= 1.5, f"{theme}: a disabled field's edge"
    panel.close()
    panel.deleteLater()

    toolbar = w.findChild(QtWidgets.QToolBar, "stepping_toolbar")
    predict = next(a for a in toolbar.actions() if a.isCheckable() and a.text().startswith("Predict"))
    predict.setChecked(True)
    QtWidgets.QApplication.processEvents()
    button = toolbar.widgetForAction(predict)
    image = toolbar.grab().toImage()
    rect = button.geometry()
    assert _edge_contrast(image, rect.adjusted(1, 0, 0, 0)) >= ICON_CONTRAST, f"{theme}: checked Predict"
    predict.setChecked(False)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_error_messages_read_in_both_themes(qtbot, tmp_path, theme):
    """The compare dialog's and the CSV import's error text in the theme's error colour, ≥ 4.5:1 on
    the dialog (a fixed dark red, 2:1 on the dark theme's charcoal, before)."""
    from gui.widgets.compare_dialog import CompareDialog
    from gui.widgets.import_dialog import ImportCsvDialog
    w, session = window_on_screen(qtbot, "1280x720", "xor")
    session.settings.theme = theme
    QtWidgets.QApplication.processEvents()
    compare = CompareDialog(session, w)
    qtbot.addWidget(compare)
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_bytes(b"\x00\x01 not a table")
    csv = ImportCsvDialog(session, bad_csv, w)
    qtbot.addWidget(csv)
    qtbot.waitUntil(lambda: not csv.reading, timeout=20_000)
    for dialog, label in ((compare, compare.message), (csv, csv.status)):
        label.setText(label.text() or "Not a number")
        dialog.ensurePolished()
        label.ensurePolished()
        ink = label.palette().color(QtGui.QPalette.ColorRole.WindowText).getRgb()[:3]
        behind = dialog.palette().color(QtGui.QPalette.ColorRole.Window).getRgb()[:3]
        assert contrast(ink, behind) >= TEXT_CONTRAST, f"{theme}: {type(dialog).__name__} message {ink} on {behind}"
    w.close()


def test_a_handout_window_leaves_the_window_on_screen_alone(qtbot):
    """Writing a lesson's handout builds a second main window offscreen, in the light theme at normal
    size: it must not turn the application's palette light (seen in a real X window: the dark
    window's lesson bar became white on white while the handout was written) or reset the zoom."""
    from gui.shell.handout import offscreen_window
    from gui.shell.main_window import MainWindow
    w, session = window_on_screen(qtbot, "1280x720", "mazur")
    session.settings.theme = "dark"
    session.settings.font_scale = 1.5
    QtWidgets.QApplication.processEvents()
    app = QtWidgets.QApplication.instance()
    role = QtGui.QPalette.ColorRole.Window
    dark, size = app.palette().color(role).name(), app.font().pointSizeF()
    assert dark == THEMES["dark"].panel
    _, other = offscreen_window(MainWindow)
    qtbot.addWidget(other)
    QtWidgets.QApplication.processEvents()
    assert app.palette().color(role).name() == dark, "the handout's window turned the application light"
    assert app.font().pointSizeF() == pytest.approx(size), "the handout's window reset the zoom"
    assert w.palette().color(role).name() == dark
    assert other.palette().color(role).name() == THEMES["light"].background    # its own pictures: light
    other.close()
    w.close()


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_wrong_entry_marks_read_on_any_cell(qtbot, theme):
    """A wrong entry's ring and cause ("✗ arithmetic") on a heatmap cell (Predict mode, a checked
    worksheet) stand out from the cell whatever its colour: the cause 4.5:1 against what is behind it,
    the ring 3:1 against the cell, and the causes of neighbouring cells do not cover each other.  They were a fixed orange (#c2410c), 1.2:1 on the strongest red cell
    (seen in a real X window: ∂C/∂W² predicted wrong, dark theme, 1024×768)."""
    import pyqtgraph as pg
    from gui.widgets.heatmap import Heatmap
    hm = Heatmap()
    qtbot.addWidget(hm)
    hm.apply_style(THEMES[theme], "standard", 1.0)
    hm.set_matrix(np.array([[1.0, -1.0], [0.05, 0.5]]), "∂C/∂W² (2×2)")
    hm.resize(460, 400)
    hm.show()
    qtbot.waitExposed(hm)
    hm.set_marks([(0, 0, "arithmetic"), (0, 1, "arithmetic")])
    QtWidgets.QApplication.processEvents()
    view = hm._graphics
    image = view.grab().toImage()
    texts = [item for item in hm._marks if isinstance(item, pg.TextItem)]
    assert len(texts) == 2
    a, b = (text.sceneBoundingRect() for text in texts)
    assert not a.intersects(b), "neighbouring causes hide each other"
    for text in texts:
        rect = view.mapFromScene(text.sceneBoundingRect()).boundingRect().adjusted(1, 1, -1, -1)
        ratio = text_contrast(pixels(image, rect))
        assert ratio >= TEXT_CONTRAST, f"{theme}: the cause {text.toPlainText()!r} {ratio:.2f}:1"
    vb = hm._plot.getViewBox()
    for c in (0, 1):                      # the ring's left edge, against the cell just inside it
        edge = view.mapFromScene(vb.mapViewToScene(QtCore.QPointF(c - 0.46, 0.0)))
        cell = pixels(image, QtCore.QRect(edge.x() + 12, edge.y() - 20, 1, 1))[0]
        strip = pixels(image, QtCore.QRect(edge.x() - 3, edge.y() - 20, 7, 1))
        ratio = max(contrast(px, cell) for px in strip)
        assert ratio >= ICON_CONTRAST, f"{theme}: the ring of cell (1, {c + 1}) {ratio:.2f}:1 on {cell}"


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_palette_text_roles_read_on_their_backgrounds(theme):
    """Each theme's palette pairs every text role with the backgrounds it is drawn on at ≥ 4.5:1, and
    disabled text at ≥ 3:1 (it must still be read: "Presenter view", a greyed field's value), so widgets
    drawn from the palette alone (menus, dialogs, file dialogs, tooltips) read in both themes."""
    from gui.shell.presentation import make_palette
    p = make_palette(THEMES[theme])
    role, group = QtGui.QPalette.ColorRole, QtGui.QPalette.ColorGroup

    def rgb(g, r):
        return p.color(g, r).getRgb()[:3]
    pairs = [(role.WindowText, role.Window), (role.Text, role.Base), (role.Text, role.AlternateBase),
             (role.ButtonText, role.Button), (role.HighlightedText, role.Highlight), (role.ToolTipText, role.ToolTipBase),
             (role.PlaceholderText, role.Base), (role.Link, role.Base)]
    for fg, bg in pairs:
        ratio = contrast(rgb(group.Active, fg), rgb(group.Active, bg))
        assert ratio >= TEXT_CONTRAST, f"{theme}: {fg.name} on {bg.name} {ratio:.2f}:1"
    for fg, bg in ((role.WindowText, role.Window), (role.Text, role.Base), (role.ButtonText, role.Button)):
        ratio = contrast(rgb(group.Disabled, fg), rgb(group.Disabled, bg))
        assert ratio >= 3.0, f"{theme}: disabled {fg.name} on {bg.name} {ratio:.2f}:1"


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_plots_on_the_derivation_pages_have_no_box(qtbot, theme):
    """The Health page's plots are drawn in the page's own colour (the palette's window colour,
    ``Theme.window``): in the dark theme they were the darker background, a box round each plot on
    the panel's grey."""
    w, session = window_on_screen(qtbot, "1280x720", "xor")
    session.settings.theme = theme
    session.train_steps(20)
    session.settings.companion = "derivation"
    session.settings.derivation_page = "health"
    w.docks["derivation"].raise_()
    panel = w.docks["derivation"].widget()
    view = panel.health_view
    qtbot.waitUntil(lambda: view.isVisible() and not view.visibleRegion().isEmpty(), timeout=3000)
    QtWidgets.QApplication.processEvents()
    image = view.grab().toImage()
    page = QtGui.QColor(image.pixel(1, 1))                 # the page, left of and above everything
    assert page.name() == THEMES[theme].window
    for plot in view.views:
        corner = plot.mapTo(view, QtCore.QPoint(plot.width() - 2, 2))   # its top right corner: no tick, bar or label
        inside = QtGui.QColor(image.pixel(corner))
        assert inside.name() == page.name(), f"{theme}: a plot drawn on {inside.name()} on a page of {page.name()}"
    w.close()


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_gradient_checks_heatmap_has_no_box_on_its_page(qtbot, theme):
    """The gradient check's heatmap sits on the derivation page: its plot is drawn in the page's colour
    (``Theme.window``), not the Matrices panel's background (a darker box on the dark page before)."""
    w, session = window_on_screen(qtbot, "1280x720", "mazur")
    session.settings.theme = theme
    session.settings.companion = "derivation"
    session.settings.derivation_page = "gradient-check"
    dock, panel = w.docks["derivation"], w.derivation
    dock.raise_()
    session.seek(session.stepper.last)
    view = panel.gradcheck_view
    view.run_check()
    qtbot.waitUntil(lambda: view.heatmap.isVisible() and not view.heatmap.visibleRegion().isEmpty(), timeout=3000)
    QtWidgets.QApplication.processEvents()
    graphics = view.heatmap._graphics
    image = graphics.grab().toImage()
    corner = QtGui.QColor(image.pixel(2, 2))               # the plot's top left corner: no tick, bar or label
    assert corner.name() == THEMES[theme].window, f"{theme}: the plot drawn on {corner.name()}"
    w.close()


@pytest.fixture(scope="class", params=[("dark", "lecture"), ("light", "lecture"), ("dark", "training"),
                                       ("light", "training")], ids=lambda p: "-".join(p))
def themed_window(request, qapp):
    """The xor window on the 1280×720 screen in a layout with the network editor open, switched to
    the theme after it was built (light → dark, or light → dark → light): a switch is where colours
    used to get lost.  The editor is opened after the switch: in the Lecture layout a theme switch
    puts it behind the companion's other tabs (a layout matter, reported to its owner).  One window
    per theme and layout for the tests of TestTheWindowInATheme (they only look at it)."""
    theme, layout = request.param
    with kept_window(request, "1280x720", "xor") as (w, session, bot):
        session.settings.layout = layout
        for name in ("dark", theme):
            session.settings.theme = name
            QtWidgets.QApplication.processEvents()
        editor = w.docks["network"]
        editor.toggleViewAction().trigger()          # as the View menu opens it (Lecture: a companion tab)
        bot.wait(200)                                # the layout's queued re-fits (the companion's width)
        editor.raise_()                              # its tab in front (the layout does not always keep it there)
        bot.waitUntil(lambda: not editor.visibleRegion().isEmpty() and editor.widget().width() > 200, timeout=3000)
        yield w, theme


class TestTheWindowInATheme:
    """The xor window on the 1280×720 screen in a layout with the network editor open, switched to
    the theme after it was built: one window per theme and layout for the tests of this class, which
    only look at it (each builds its own widgets in the window's style); torn down before the tests
    below it, which build their own windows (two windows on screen would each keep its own palette)."""

    def test_every_part_of_the_window_follows_the_theme(self, themed_window):
        w, theme = themed_window
        image = w.grab().toImage()
        _check_texts(w, image, theme)
        _check_dock_headers(w, image, theme)
        _check_toolbar_icons(w, theme)
        _check_fields_and_toggles(w, theme)
        for panel in (w.loss, w.heatmaps, w.boundary):
            corner = QtGui.QColor(panel.grab().toImage().pixel(2, 2)).name()
            assert corner == THEMES[theme].background, f"{theme}: {type(panel).__name__} painted {corner}"

    def test_radio_buttons_show_which_is_on(self, qtbot, themed_window):
        """A radio button's ring stands out from the panel (3:1) and its checked dot from an unchecked
        centre (3:1): in the dark theme Fusion drew both dark on charcoal, so the derivation's column /
        row vector choice could not be read."""
        w, theme = themed_window
        holder = QtWidgets.QWidget()                 # the application's palette and style, the window's style sheet
        holder.setStyleSheet(w.styleSheet())
        holder.setAutoFillBackground(True)
        qtbot.addWidget(holder)
        lay = QtWidgets.QHBoxLayout(holder)
        on, off = QtWidgets.QRadioButton("Column vectors"), QtWidgets.QRadioButton("Row vectors")
        lay.addWidget(on)
        lay.addWidget(off)
        on.setChecked(True)
        holder.adjustSize()
        holder.show()
        QtWidgets.QApplication.processEvents()
        qtbot.waitExposed(holder)
        image = holder.grab().toImage()
        centres = []
        for radio in (on, off):
            opt = QtWidgets.QStyleOptionButton()
            radio.initStyleOption(opt)
            ind = radio.style().subElementRect(QtWidgets.QStyle.SubElement.SE_RadioButtonIndicator, opt, radio)
            ind.translate(radio.mapTo(holder, QtCore.QPoint(0, 0)))
            px = pixels(image, ind)
            colours, counts = np.unique(pixels(image, ind.adjusted(-4, 0, -ind.width(), 0)), axis=0, return_counts=True)
            panel = colours[np.argmax(counts)]
            assert max(contrast(panel, c) for c in px) >= ICON_CONTRAST, f"{theme}: the ring of {radio.text()!r}"
            centres.append(pixels(image, QtCore.QRect(ind.center(), QtCore.QSize(1, 1)))[0])
        assert contrast(*centres) >= ICON_CONTRAST, f"{theme}: checked and unchecked centres {centres}"
        holder.close()

    def test_unchecked_list_items_show_their_box(self, qtbot, themed_window):
        """An unchecked checkable item of a list (the CSV import's input and target columns) shows its
        box against the list (3:1): Fusion drew its edge in the window colour darkened, invisible on the
        dark theme's fields."""
        w, theme = themed_window
        view = QtWidgets.QListWidget()
        view.setStyleSheet(w.styleSheet())
        qtbot.addWidget(view)
        item = QtWidgets.QListWidgetItem("height")
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(QtCore.Qt.CheckState.Unchecked)
        view.addItem(item)
        view.resize(200, 60)
        view.show()
        qtbot.waitExposed(view)
        image = view.viewport().grab().toImage()
        row = view.visualItemRect(item)
        box = QtCore.QRect(row.left(), row.top(), view.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_IndicatorWidth) + 4,
                           row.height())
        base = QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Base).getRgb()[:3]
        assert max(contrast(base, c) for c in pixels(image, box)) >= ICON_CONTRAST, f"{theme}: the unchecked box"
        view.close()

    def test_the_tab_in_front_stands_out(self, qtbot, themed_window):
        """The tab in front (a dock group's at the window's bottom, the derivation's pages) differs from
        the others by 3:1 at its outer edge: Fusion drew it one shade lighter, invisible on a projector."""
        w, theme = themed_window
        for shape, edge in ((QtWidgets.QTabBar.Shape.RoundedSouth, "bottom"), (QtWidgets.QTabBar.Shape.RoundedNorth, "top")):
            bar = QtWidgets.QTabBar()
            bar.setStyleSheet(w.styleSheet())
            bar.setShape(shape)
            for name in ("Matrices", "Derivation", "Computational graph"):
                bar.addTab(name)
            bar.setCurrentIndex(1)
            qtbot.addWidget(bar)
            bar.show()
            qtbot.waitExposed(bar)
            image = bar.grab().toImage()

            def strip(i):
                r = bar.tabRect(i).adjusted(6, 0, -6, 0)
                y = r.bottom() - 2 if edge == "bottom" else r.top() + 1
                colours, counts = np.unique(pixels(image, QtCore.QRect(r.left(), y, r.width(), 2)), axis=0, return_counts=True)
                return colours[np.argmax(counts)]
            assert contrast(strip(1), strip(0)) >= ICON_CONTRAST, f"{theme}: the {edge} tab in front {strip(1)} vs {strip(0)}"
            bar.close()

    def test_scroll_bar_handles_stand_out(self, qtbot, themed_window):
        """A scroll bar's handle differs from its groove by 3:1 (WCAG for user-interface components):
        Fusion filled it with the button colour, 1.3:1 on the dark theme's groove (seen in a real X
        window: the Matrices dock's scroll bar at 1024×768), so where a panel scrolls could not be seen."""
        w, theme = themed_window
        area = QtWidgets.QScrollArea()
        area.setStyleSheet(w.styleSheet())
        content = QtWidgets.QWidget()
        content.setMinimumSize(900, 900)
        area.setWidget(content)
        area.resize(300, 200)
        qtbot.addWidget(area)
        area.show()
        qtbot.waitExposed(area)
        sc = QtWidgets.QStyle.SubControl
        for bar in (area.horizontalScrollBar(), area.verticalScrollBar()):
            bar.setValue(bar.maximum() // 3)
            QtWidgets.QApplication.processEvents()
            image = bar.grab().toImage()
            opt = QtWidgets.QStyleOptionSlider()
            bar.initStyleOption(opt)
            style = bar.style()
            handle = style.subControlRect(QtWidgets.QStyle.ComplexControl.CC_ScrollBar, opt, sc.SC_ScrollBarSlider, bar)
            groove = style.subControlRect(QtWidgets.QStyle.ComplexControl.CC_ScrollBar, opt, sc.SC_ScrollBarAddPage, bar)
            assert handle.width() > 8 and handle.height() > 8 and groove.width() > 8 and groove.height() > 8

            def commonest(rect):
                colours, counts = np.unique(pixels(image, rect.adjusted(3, 3, -3, -3)), axis=0, return_counts=True)
                return colours[np.argmax(counts)]
            ratio = contrast(commonest(handle), commonest(groove))
            assert ratio >= ICON_CONTRAST, f"{theme}: {bar.orientation().name} scroll bar handle {ratio:.2f}:1 on its groove"
        area.close()

    def test_the_toolbar_overflow_button_shows_in_the_theme(self, themed_window):
        """The toolbar's overflow button (») stands out from the toolbar (3:1): at zoom +3 on 1024×768 the
        toolbar no longer fits and Predict is behind it, and in the dark theme its glyph stayed black on
        charcoal (Qt gives the button its icon once, when the toolbar is built, in the light theme)."""
        w, theme = themed_window
        toolbar = w.findChild(QtWidgets.QToolBar, "stepping_toolbar")
        button = toolbar.findChild(QtWidgets.QToolButton, "qt_toolbar_ext_button")
        assert button is not None
        bg = QtGui.QColor(THEMES[theme].panel).getRgb()[:3]
        assert _ink_contrast(button.icon(), bg) >= ICON_CONTRAST, f"{theme}: the toolbar's overflow button"

    def test_a_floating_dock_shows_its_edge(self, qtbot, themed_window):
        """A floated dock (a panel dragged out, or its float button) is framed in a colour 3:1 from its own
        background: Fusion framed it in a shade of the window colour (1.1:1 in the dark theme, seen in a real
        X window), so a floating Matrices dock over the graph had no visible edge below its title bar.  The
        frame is what QDockWidget paints on X11 (PE_FrameDockWidget; offscreen, the platform decorates a
        floating dock itself), so it is drawn here through the dock's own style, its style sheet included."""
        w, theme = themed_window
        dock = w.docks["matrices"]
        image = QtGui.QImage(240, 160, QtGui.QImage.Format.Format_RGB32)
        image.fill(QtGui.QColor(THEMES[theme].background))
        opt = QtWidgets.QStyleOptionFrame()
        opt.initFrom(dock)
        opt.rect = image.rect()
        painter = QtGui.QPainter(image)
        dock.style().drawPrimitive(QtWidgets.QStyle.PrimitiveElement.PE_FrameDockWidget, opt, painter, dock)
        painter.end()
        behind = QtGui.QColor(THEMES[theme].background).getRgb()[:3]
        for x in (0, image.width() - 1):
            ratio = max(contrast(c, behind) for c in pixels(image, QtCore.QRect(x, 40, 1, 80)))
            assert ratio >= ICON_CONTRAST, f"{theme}: a floating dock's edge at x={x}: {ratio:.2f}:1"

    def test_sliders_show_their_track_and_handle(self, qtbot, themed_window):
        """A slider's handle and its track stand out from the panel (3:1, WCAG for user-interface
        components): Fusion drew both in shades of the button colour, 1.2–1.4:1 on the dark theme's panel
        (seen in a real X window: the ∂z/∂W tensor page's slice slider, the toolbar's pace slider), so a
        slider's position could not be seen."""
        w, theme = themed_window
        holder = QtWidgets.QWidget()
        holder.setStyleSheet(w.styleSheet())
        holder.setAutoFillBackground(True)
        qtbot.addWidget(holder)
        lay = QtWidgets.QVBoxLayout(holder)
        lay.setContentsMargins(16, 16, 16, 16)
        slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        slider.setRange(0, 10)
        slider.setValue(3)
        lay.addWidget(slider)
        holder.resize(300, 80)
        holder.show()
        qtbot.waitExposed(holder)
        image = holder.grab().toImage()
        opt = QtWidgets.QStyleOptionSlider()
        slider.initStyleOption(opt)
        style, cc, sc = slider.style(), QtWidgets.QStyle.ComplexControl.CC_Slider, QtWidgets.QStyle.SubControl
        origin = slider.mapTo(holder, QtCore.QPoint(0, 0))
        handle = style.subControlRect(cc, opt, sc.SC_SliderHandle, slider).translated(origin)
        groove = style.subControlRect(cc, opt, sc.SC_SliderGroove, slider).translated(origin)
        colours, counts = np.unique(pixels(image, QtCore.QRect(4, 4, 8, 8)), axis=0, return_counts=True)
        panel = colours[np.argmax(counts)]
        inside = pixels(image, handle.adjusted(2, 2, -2, -2))
        colours, counts = np.unique(inside, axis=0, return_counts=True)
        ratio = contrast(colours[np.argmax(counts)], panel)
        assert ratio >= ICON_CONTRAST, f"{theme}: the slider's handle {ratio:.2f}:1 on the panel"
        track = pixels(image, QtCore.QRect(handle.right() + 6, groove.top(), groove.right() - handle.right() - 10, groove.height()))
        ratio = max(contrast(c, panel) for c in track)
        assert ratio >= ICON_CONTRAST, f"{theme}: the slider's track {ratio:.2f}:1 on the panel"
        holder.close()

    def test_menus_show_their_edge(self, qtbot, themed_window):
        """A popup menu (the View menu, a panel's Export as PNG… context menu) is framed 3:1 from its own
        background: Fusion's frame was a shade of it, so in the dark theme a context menu over the graph
        (the same charcoal) had no edge at all (seen in a real X window)."""
        w, theme = themed_window
        menu = QtWidgets.QMenu(w)
        menu.addAction("Export as PNG…")
        menu.addAction("Export as SVG…")
        menu.popup(w.mapToGlobal(QtCore.QPoint(200, 200)))
        qtbot.waitExposed(menu)
        image = menu.grab().toImage()
        h = image.height()
        colours, counts = np.unique(pixels(image, QtCore.QRect(2, 2, 4, h - 4)), axis=0, return_counts=True)
        inside = colours[np.argmax(counts)]
        for x in (0, image.width() - 1):
            ratio = max(contrast(c, inside) for c in pixels(image, QtCore.QRect(x, h // 4, 1, h // 2)))
            assert ratio >= ICON_CONTRAST, f"{theme}: the menu's edge at x={x} {ratio:.2f}:1 on {inside}"
        menu.close()
