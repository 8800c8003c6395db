"""The main window: assembles the widgets around one Session.  No logic of its own beyond
placing widgets, menus and toolbars; every widget observes the session."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.shell import prefs
from gui.shell.actions import Actions
from gui.compare_view import CompareSession
from gui.shell.export import add_export_menu, export_actions
from gui.shell.file_actions import FileActions
from gui.shell.lessons import LessonControl
from gui.shell.presentation import Presentation
from gui.session import Session
from gui.widgets.compare_dialog import CompareDialog
from gui.widgets.start_screen import build_presets_menu, start_dialog
from gui.widgets.controls import ControlsBar
from gui.widgets.decision_boundary import DecisionBoundary
from gui.widgets.graph.view import GraphView
from gui.widgets.heatmap_panel import HeatmapPanel
from gui.widgets.loss_plot import LossPlot
from gui.widgets.network_editor import NetworkEditor
from gui.widgets.phase_banner import PhaseBanner

_Dock = QtCore.Qt.DockWidgetArea


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Backprop Lens")
        self.setObjectName("MainWindow")
        self._fit_to_screen()
        self.setDockNestingEnabled(True)
        self.setCorner(QtCore.Qt.Corner.BottomRightCorner, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)  # matrices: full height

        self.banner = PhaseBanner(session)
        self.graph = GraphView(session)
        central = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.banner)
        column.addWidget(self.graph, 1)
        self.setCentralWidget(central)

        self.heatmaps = HeatmapPanel(session)
        self.loss = LossPlot(session)
        self.boundary = DecisionBoundary(session)
        self.editor = NetworkEditor(session)
        self._derivation = None        # built when first shown or asked for (typesetting is slow to load)
        self.docks = {
            "matrices": self._dock("Matrices", self.heatmaps, _Dock.RightDockWidgetArea),
            "loss": self._dock("Loss", self.loss, _Dock.BottomDockWidgetArea),
            "boundary": self._dock("Decision boundary", self.boundary, _Dock.BottomDockWidgetArea),
            "derivation": self._dock("Derivation", QtWidgets.QWidget(), _Dock.RightDockWidgetArea),
            "network": self._dock("Network editor", self.editor, _Dock.LeftDockWidgetArea),
            "comparison": self._dock("Comparison run", QtWidgets.QWidget(), _Dock.RightDockWidgetArea),
        }
        self.compare_graph = GraphView(CompareSession(session, self))
        self.docks["comparison"].setWidget(self.compare_graph)
        self.docks["comparison"].hide()
        session.compare_changed.connect(self._on_compare_changed)
        self.tabifyDockWidget(self.docks["matrices"], self.docks["derivation"])
        self.tabifyDockWidget(self.docks["matrices"], self.docks["comparison"])
        self.docks["matrices"].raise_()
        self.splitDockWidget(self.docks["loss"], self.docks["boundary"], QtCore.Qt.Orientation.Horizontal)
        self.docks["network"].hide()
        self.docks["derivation"].visibilityChanged.connect(lambda shown: shown and self.derivation)
        # the graph keeps most of the room on any screen: matrices 39% of the width, plots 30% of the height
        self.resizeDocks([self.docks["matrices"]], [round(0.39 * self.width())], QtCore.Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["loss"]], [round(0.3 * self.height())], QtCore.Qt.Orientation.Vertical)

        self.actions_ = Actions(session, self)
        self.controls = ControlsBar(session)
        toolbar = self.addToolBar("Stepping")
        toolbar.setObjectName("stepping_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        toolbar.addActions(self.actions_.all())
        self.addToolBarBreak()
        settings_bar = self.addToolBar("Settings")
        settings_bar.setObjectName("settings_toolbar")
        settings_bar.setMovable(False)
        settings_bar.addWidget(self.controls)

        for name, view in self._eager_views().items():
            if view is not self:
                add_export_menu(view, name)
        self.file_actions = FileActions(session, self)
        self.lessons = LessonControl(self, session)
        column.addWidget(self.lessons.bar)
        prefs.restore_view_settings(session)
        self.presentation = Presentation(self, session)
        self._build_menus()
        prefs.restore_window(self)
        self.statusBar().showMessage("Ready: → steps forward, ← back, Space trains, F1 lists every key")
        session.message.connect(self._on_message)

    def _fit_to_screen(self) -> None:
        """1600×1000, or the screen's available area when that is smaller (a 1280×720 projector),
        leaving room for the title bar; a stored geometry, restored later, takes precedence."""
        screen = self.screen() or QtGui.QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1600, 1040)
        self.resize(min(1600, area.width()), min(1000, area.height() - 40))

    def _eager_views(self) -> dict[str, QtWidgets.QWidget]:
        return {"window": self, "graph": self.graph, "matrices": self.heatmaps, "loss": self.loss,
                "boundary": self.boundary, "comparison": self.compare_graph}

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
            self.docks["derivation"].setWidget(self._derivation)
            add_export_menu(self._derivation, "derivation")
        return self._derivation

    def _dock(self, title: str, widget: QtWidgets.QWidget, area) -> QtWidgets.QDockWidget:
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower().replace(' ', '_')}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

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
        self.view_menu = bar.addMenu("&View")
        for group in self.presentation.actions().values():
            self.view_menu.addActions(group)
            self.view_menu.addSeparator()
        for key, label in (("show_bias", "Bias nodes"), ("split_neurons", "Split neurons into Σ and σ"),
                           ("animate", "Animate")):
            self.view_menu.addAction(self._toggle(label, key))
        self.view_menu.addSeparator()
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addAction(self.lessons.presenter_action)
        self.compare_menu = bar.addMenu("&Compare")
        self.compare_menu.addAction("Compare with one setting changed…", self._on_compare)
        self.compare_menu.addAction("Stop comparing", self.session.stop_comparison)
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.presentation.shortcuts)
        self.help_menu.addAction("Start screen…", self._on_start_screen)
        self.presentation.sheet_actions = {"Stepping": self.actions_.all(),
                                           "File": [self.file_actions.open_action, self.file_actions.save_action],
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

    def _on_compare_changed(self) -> None:
        dock = self.docks["comparison"]
        dock.setWindowTitle(f"Comparison run: {self.session.compare_label}")
        dock.setVisible(self.session.compare is not None)
        if self.session.compare is not None:
            dock.raise_()

    def _on_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def closeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        self.session.stop()
        prefs.save_window(self)
        prefs.save_view_settings(self.session)
        super().closeEvent(event)
