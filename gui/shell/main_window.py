"""The main window: assembles the widgets around one Session.  No logic of its own beyond
placing widgets, menus and toolbars; every widget observes the session."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.shell import prefs
from gui.shell.actions import Actions
from gui.compare_view import CompareSession
from gui.shell.dock_tabs import DockTabs
from gui.shell.dock_title import FittedTitle
from gui.shell.export import add_export_menu, export_actions
from gui.shell.file_actions import FileActions
from gui.shell.lessons import LessonControl
from gui.shell.layouts import COMPANION_DOCKS, Companion, Layouts
from gui.shell.predict_place import PredictPlace
from gui.shell.presentation import Presentation
from gui.shell.toolbar_fit import ToolbarFit
from gui.session import Session
from gui.widgets.compare_dialog import CompareDialog
from gui.widgets.compgraph.view import CompGraphView
from gui.widgets.start_screen import build_presets_menu, start_dialog
from gui.widgets.controls import ControlsBar
from gui.widgets.decision_boundary import DecisionBoundary
from gui.widgets.graph.view import GraphView
from gui.widgets.heatmap_panel import HeatmapPanel
from gui.widgets.loss_plot import LossPlot
from gui.widgets.network_editor import NetworkEditor
from gui.widgets.pace_control import PaceControl
from gui.widgets.phase_banner import PhaseBanner
from gui.widgets.predict_panel import PredictPanel
from gui.widgets.worksheet_panel import WorksheetPanel
from gui.widgets.work_dialog import WorkDialog
from gui.widgets.row_scroller import RowScroller

# After the window is shown, how long until its window manager has framed it (Layouts.on_shown fits the
# real frame then), by Qt platform: none frames an offscreen window (headless tests and pictures).
FRAMED_MS = {"offscreen": 0, None: 250}

_Dock = QtCore.Qt.DockWidgetArea


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, session: Session, parent=None, store: QtCore.QSettings | None = None):
        """``store``: where the window reads and writes its preferences (window and dock layout,
        view settings); None for the user's (gui/shell/prefs.py)."""
        super().__init__(parent)
        self.session, self.store = session, store
        self.setWindowTitle("Backprop Lens")
        self.setObjectName("MainWindow")
        self.setDockNestingEnabled(True)
        self.setCorner(QtCore.Qt.Corner.BottomRightCorner, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)  # matrices: full height

        self.banner = PhaseBanner(session)
        self.graph = GraphView(session)
        self.graph.set_show_step_line(False)        # the banner above says it
        central = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.graph, 1)
        self.setCentralWidget(central)

        self.heatmaps = HeatmapPanel(session)
        self.heatmaps.set_compact(True)
        self.loss = LossPlot(session)
        self.boundary = DecisionBoundary(session)
        self.editor = NetworkEditor(session)
        self.compgraph = CompGraphView(session)
        self._derivation = None        # built when first shown or asked for (typesetting is slow to load)
        self.docks = {
            "matrices": self._dock("Matrices", self.heatmaps, _Dock.RightDockWidgetArea),
            "loss": self._dock("Loss", self.loss, _Dock.BottomDockWidgetArea),
            "boundary": self._dock("Decision boundary", self.boundary, _Dock.BottomDockWidgetArea),
            "derivation": self._dock("Derivation", QtWidgets.QWidget(), _Dock.RightDockWidgetArea),
            "network": self._dock("Network editor", self.editor, _Dock.LeftDockWidgetArea),
            "comparison": self._dock("Comparison run", QtWidgets.QWidget(), _Dock.BottomDockWidgetArea),
            "compgraph": self._dock("Computational graph", self.compgraph, _Dock.RightDockWidgetArea),
        }
        self.docks["boundary"].setWindowTitle(self.boundary.title)      # "Fitted curve" for 1-D regression
        self.boundary.title_changed.connect(self.docks["boundary"].setWindowTitle)
        self.loss_title = FittedTitle(self.docks["loss"], self.loss.titles)   # "Loss: binary cross-entropy" where it fits
        self.loss_title.named_changed.connect(self.loss.set_title_shown_above)
        self.loss.titles_changed.connect(self.loss_title.set_titles)
        self.compare_graph = GraphView(CompareSession(session, self))
        self._set_dock_widget(self.docks["comparison"], self.compare_graph)
        session.compare_changed.connect(self._on_compare_changed)
        self._on_compare_changed()              # a session opened with its comparison run: title and dock
        self.splitDockWidget(self.docks["loss"], self.docks["boundary"], QtCore.Qt.Orientation.Horizontal)
        self.docks["network"].hide()
        self._add_predict_docks()
        for name in COMPANION_DOCKS[1:]:              # tabs in the companion's place, the matrices in front
            self.tabifyDockWidget(self.docks[COMPANION_DOCKS[0]], self.docks[name])
        self.docks[COMPANION_DOCKS[0]].raise_()
        self.docks["derivation"].visibilityChanged.connect(lambda shown: shown and self.derivation)

        self.actions_ = Actions(session, self)
        self.controls = ControlsBar(session)
        self.stepping_bar = toolbar = self.addToolBar("Stepping")
        toolbar.setObjectName("stepping_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        toolbar.addActions(self.actions_.all())
        self.pace = PaceControl(session)                 # beside Play, which it paces
        toolbar.insertWidget(self.actions_.reset, self.pace)
        self.toolbar_fit = ToolbarFit(toolbar)   # text dropped before »
        self.addToolBarBreak()
        self.settings_bar = settings_bar = self.addToolBar("Settings")
        settings_bar.setObjectName("settings_toolbar")
        settings_bar.setMovable(False)
        settings_bar.addWidget(RowScroller(self.controls))
        self.addToolBarBreak()
        self.banner_bar = self.addToolBar("Banner")          # above the docks: the banner spans the window
        self.banner_bar.setObjectName("banner_toolbar")
        self.banner_bar.setMovable(False)
        self.banner_bar.setFloatable(False)
        self.banner_bar.toggleViewAction().setEnabled(False)
        self.banner_bar.setStyleSheet("QToolBar { padding: 0px; border: none; }")
        self.banner.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Maximum)
        self.banner_bar.addWidget(self.banner)
        self.companion = Companion(self, session)
        self.layouts = Layouts(self, session, store)
        self.predict_place = PredictPlace(self, session)     # predict mode's entry: where and how tall
        self.dock_tabs = DockTabs(self)          # tabs that do not fit become a menu

        for name, view in self._eager_views().items():
            if view is not self:
                add_export_menu(view, name)
        self.file_actions = FileActions(session, self)
        self.work_dialog = WorkDialog(session, self)        # progress and Cancel of long work
        self.lessons = LessonControl(self, session)
        column.addWidget(self.lessons.bar)
        prefs.restore_view_settings(session, store)
        self.presentation = Presentation(self, session)
        self.presentation.fonts_changed.connect(self.toolbar_fit.refit)
        self._build_menus()
        restored = prefs.restore_window(self, store)
        self.layouts.start(grow=not restored)
        self.statusBar().showMessage("Ready: → steps forward, ← back, Space trains, F1 lists every key")
        session.message.connect(self._on_message)

    def _add_predict_docks(self) -> None:
        """Predict mode's entry (shown while the mode is on) and the worksheet check's list."""
        self.predict_panel = PredictPanel(self.session)
        self.docks["predict"] = self._dock("Predict", self.predict_panel, _Dock.BottomDockWidgetArea)
        self.tabifyDockWidget(self.docks["loss"], self.docks["predict"])
        self.docks["predict"].setVisible(self.session.settings.predict)
        self.session.settings.predict_changed.connect(self._on_predict_changed)
        self.worksheet_panel = WorksheetPanel(self.session)
        self.docks["worksheet"] = self._dock("Worksheet check", self.worksheet_panel, _Dock.RightDockWidgetArea)
        self.docks["worksheet"].hide()
        self.session.quiz.checked.connect(self._on_worksheet_checked)

    def mode_docks(self) -> dict[str, bool]:
        """The docks that belong to a mode, and whether it is on: the comparison run, predict mode,
        a checked worksheet."""
        return {"comparison": self.session.compare is not None, "predict": bool(self.session.settings.predict),
                "worksheet": bool(self.session.quiz.file_name)}

    def _on_predict_changed(self, on: bool) -> None:
        self.docks["predict"].setVisible(on)        # placed and fitted by predict_place
        if on:
            self.docks["predict"].raise_()

    def _on_worksheet_checked(self) -> None:
        shown = bool(self.session.quiz.file_name)
        self.docks["worksheet"].setVisible(shown)
        if shown:
            self.docks["worksheet"].raise_()

    def _eager_views(self) -> dict[str, QtWidgets.QWidget]:
        return {"window": self, "graph": self.graph, "matrices": self.heatmaps, "loss": self.loss,
                "boundary": self.boundary, "comparison": self.compare_graph, "compgraph": self.compgraph}

    @property
    def views(self) -> dict[str, QtWidgets.QWidget]:
        """Every exportable view by name (asking for it builds the derivation panel)."""
        return {**self._eager_views(), "derivation": self.derivation}

    @property
    def derivation(self):
        """The derivation panel, built on first use: when its dock is first shown or it is asked for."""
        if self._derivation is None:
            from gui.widgets.derivation.panel import DerivationPanel
            self._derivation = DerivationPanel(self.session)
            self.docks["derivation"].setWidget(self._derivation)   # it wraps and scrolls its own content
            add_export_menu(self._derivation, "derivation")
        return self._derivation

    def _dock(self, title: str, widget: QtWidgets.QWidget, area) -> QtWidgets.QDockWidget:
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower().replace(' ', '_')}")
        self._set_dock_widget(dock, widget)
        self.addDockWidget(area, dock)
        return dock

    @staticmethod
    def _set_dock_widget(dock: QtWidgets.QDockWidget, widget: QtWidgets.QWidget) -> None:
        """The widget in a scroll area that only scrolls when the dock is narrower or shorter than
        the widget's minimum, so no dock, at any zoom, makes the window larger than its screen."""
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setMinimumSize(80, 60)
        scroll.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)     # arrow keys step the network, never scroll it
        scroll.setWidget(widget)
        dock.setWidget(scroll)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_actions.populate(self.file_menu)
        views = self.file_menu.addMenu("Export &view")
        for name, view in self._eager_views().items():
            sub = views.addMenu(name.capitalize())
            sub.addActions(export_actions(view, name))
        sub = views.addMenu("Derivation")         # filled when first opened: the panel is built lazily
        sub.aboutToShow.connect(lambda sub=sub: sub.isEmpty() and sub.addActions(
            export_actions(self.derivation, "derivation")))
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.lessons.open_action, self.lessons.record_action,
                                   self.lessons.handout_action, self.lessons.close_action])
        self.file_menu.addSeparator()
        self.file_menu.addAction("&Quit", QtGui.QKeySequence.StandardKey.Quit, self.close)
        step = bar.addMenu("&Step")
        step.addActions(self.actions_.all())
        self.presets_menu = build_presets_menu(self.session, self)
        self.presets_menu.setTitle("&Presets")
        self.presets_menu.addSeparator()
        self.presets_menu.addMenu(self.lessons.lessons_menu(self))
        self.presets_menu.addAction("Start screen…", self._on_start_screen)
        bar.addMenu(self.presets_menu)
        # one short column at 1280×720 (it was 38 entries in two columns over most of the window): the
        # layouts, zoom and full screen at the top level, each choice among several a submenu
        self.view_menu = bar.addMenu("&View")
        make = lambda text, keys, slot, checkable: self.presentation.make_action(text, keys, slot, checkable)
        self.view_menu.addActions(self.layouts.make_actions(make))
        self.view_menu.addMenu("&Companion").addActions(self.companion.make_actions(make))
        self.view_menu.addSeparator()
        groups = self.presentation.actions()
        for name in ("Window", "Zoom"):
            self.view_menu.addActions(groups[name])
            self.view_menu.addSeparator()
        for name, title in (("Theme", "T&heme"), ("Colours", "Colo&urs"), ("Numbers", "Nu&mbers")):
            self.view_menu.addMenu(title).addActions(groups[name])
        self.view_menu.addActions(groups["Help"])
        self.view_menu.addSeparator()
        for key, label in (("show_bias", "Bias nodes"), ("split_neurons", "Split neurons into Σ and σ"),
                           ("animate", "Animate"), ("mazur_names", "Mazur's names (i1, h1, o1, w1…w8) on a 2-2-2 network")):
            self.view_menu.addAction(self._toggle(label, key))
        self.view_menu.addSeparator()
        panels = self.view_menu.addMenu("&Panels")
        for dock in self.docks.values():
            panels.addAction(dock.toggleViewAction())
        panels.addAction(self.settings_bar.toggleViewAction())
        self.view_menu.addAction(self.lessons.presenter_action)
        self.compare_menu = bar.addMenu("&Compare")
        self.compare_menu.addAction("Compare with one setting changed…", self._on_compare)
        self.stop_comparing = self.compare_menu.addAction("Stop comparing", self.session.stop_comparison)
        self.compare_menu.aboutToShow.connect(self._on_compare_menu_about_to_show)
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.presentation.shortcuts)
        self.help_menu.addAction("Start screen…", self._on_start_screen)
        self.presentation.sheet_actions = self._sheet_sections

    def _sheet_sections(self) -> dict[str, list[QtGui.QAction]]:
        """The shortcut sheet's sections; while a lesson is open its keys (→ ← Home End G, which the
        stepping actions lend it) in a section of their own."""
        lesson = {"Lesson": list(self.lessons.nav.values())} if self.lessons.player is not None else {}
        return {"Stepping": self.actions_.all(), **lesson,
                "File": [self.file_actions.open_action, self.file_actions.save_action, self.lessons.open_action],
                "Layout": [self.layouts.switch_action, self.companion.cycle_action],
                **self.presentation.actions()}

    def _toggle(self, label: str, key: str) -> QtGui.QAction:
        """A checkable action bound both ways to the boolean view setting ``key``."""
        settings = self.session.settings
        action = QtGui.QAction(label, self, checkable=True)
        action.setChecked(getattr(settings, key))
        action.toggled.connect(lambda on: setattr(settings, key, on))
        getattr(settings, f"{key}_changed").connect(action.setChecked)
        return action

    def _on_start_screen(self) -> None:
        start_dialog(self.session, self).exec()

    def _on_compare(self) -> None:
        CompareDialog(self.session, self).exec()

    def _on_compare_menu_about_to_show(self) -> None:
        self.stop_comparing.setEnabled(self.session.compare is not None)   # nothing to stop: greyed

    def _on_compare_changed(self) -> None:
        dock = self.docks["comparison"]
        label = self.session.compare_title if self.session.compare is not None else ""
        dock.setWindowTitle(f"Comparison run: {label}" if label else "Comparison run")
        dock.setVisible(self.session.compare is not None)
        if self.session.compare is not None:
            dock.raise_()

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not self.property("screen_followed"):
            self.setProperty("screen_followed", True)
            handle.screenChanged.connect(self.layouts.on_screen_changed)
        self.layouts.fit()
        QtCore.QTimer.singleShot(FRAMED_MS.get(QtGui.QGuiApplication.platformName(), FRAMED_MS[None]),
                                 self.layouts, self.layouts.on_shown)     # once the window manager has framed it

    def _on_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def closeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        self.lessons.close_lesson()        # the lecturer's own view is stored, not a slide's (predict mode, layout…)
        self.session.stop()
        prefs.save_window(self, self.store)
        self.layouts.remember()
        prefs.save_view_settings(self.session, self.store)
        super().closeEvent(event)
