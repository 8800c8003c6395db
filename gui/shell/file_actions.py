"""The File menu's actions: open/save session files, recent files, CSV import, PyTorch weights
(import and export as .safetensors), number and animation exports.  ``open_path`` / ``save_to`` / ``export_*_to`` do the work without dialogs
(tests and the command line call them); the ``_on_*`` handlers ask for a path first.

Errors never crash and never lose work: the message goes to a (non-blocking) warning box and to
``session.error``; the session keeps its state.
"""
from __future__ import annotations

import stat
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from engine.atomic import remove_stale_temp_files
from engine.numbers_export import export_csv, export_npz
from engine.session_file import SUFFIX, snapshot, write_snapshot
from engine.session_read import SessionFileError, build_configs, build_session, read_session
from gui.session import BACKGROUND_COST, build_cost
from gui.shell import prefs
from gui.shell.export import ExportError
from gui.shell.export_animation import export_animation_with_progress
from gui.view_settings import apply_view_settings
from gui.widgets.animation_options import AnimationOptions
from gui.work import WorkCancelled

BACKGROUND_BYTES = 2_000_000          # session files bigger than this are read and written in a thread, with progress
SESSION_FILTER = f"Backprop Lens sessions (*{SUFFIX});;All files (*)"


class FileActions(QtCore.QObject):
    def __init__(self, session, window: QtWidgets.QWidget):
        super().__init__(window)
        self.session, self.window = session, window
        self.current_path: Path | None = None
        self.last_message: QtWidgets.QMessageBox | None = None
        S = QtGui.QKeySequence.StandardKey
        self.open_action = self._action("&Open…", self._on_open, S.Open)
        self.save_action = self._action("&Save", self._on_save, S.Save)
        self.save_as_action = self._action("Save &As…", self._on_save_as, QtGui.QKeySequence("Ctrl+Shift+S"))
        self.import_csv_action = self._action("&Import CSV…", self._on_import_csv)
        self.import_weights_action = self._action("Import &weights (PyTorch .safetensors)…", self._on_import_weights)
        self.export_weights_action = self._action("Export weights for &PyTorch (.safetensors)…", self._on_export_weights)
        self.export_npz_action = self._action("Export numbers as &NPZ…", self._on_export_npz)
        self.export_csv_action = self._action("Export numbers as &CSV folder…", self._on_export_csv)
        self.export_animation_action = self._action("Export step a&nimation (GIF/MP4)…", self._on_export_animation)
        self.check_worksheet_action = self._action("Chec&k worksheet…", self._on_check_worksheet)
        self.check_worksheet_action.setStatusTip("Open a filled worksheet CSV (backprop-lens worksheet writes a blank "
                                                 "one) and mark each wrong entry with its mistake")
        self.recent_menu = QtWidgets.QMenu("Open &Recent", window)
        self.recent_menu.aboutToShow.connect(self._on_recent_about_to_show)
        self._rebuild_recent()

    def _action(self, text, slot, shortcut=None) -> QtGui.QAction:
        action = QtGui.QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def populate(self, menu: QtWidgets.QMenu) -> None:
        """Fill a File menu: Open, Open Recent, Save, Save As, Import CSV, Export numbers, animation."""
        menu.addAction(self.open_action)
        menu.addMenu(self.recent_menu)
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        menu.addSeparator()
        menu.addAction(self.import_csv_action)
        menu.addAction(self.import_weights_action)
        menu.addAction(self.export_weights_action)
        export = menu.addMenu("&Export numbers")
        export.addAction(self.export_npz_action)
        export.addAction(self.export_csv_action)
        menu.addAction(self.export_animation_action)
        menu.addSeparator()
        menu.addAction(self.check_worksheet_action)

    # -- messages ------------------------------------------------------------------------------
    def _warn(self, text: str) -> None:
        self.session.error.emit(text)
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, "Backprop Lens", text,
                                    QtWidgets.QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.open()

    # -- the work (no dialogs) -----------------------------------------------------------------
    def check_worksheet(self, path) -> bool:
        """Check a worksheet CSV against the current example (marks on the graph, the list panel)."""
        from engine.worksheet import WorksheetError
        try:
            results = self.session.quiz.check_file(path)
        except (WorksheetError, ValueError) as e:
            self._warn(f"Cannot check {Path(path).name}: {e}")
            return False
        wrong = sum(not r.ok for r in results)
        self.session.message.emit(f"{Path(path).name}: {len(results) - wrong} right, {wrong} wrong")
        return True

    def _on_check_worksheet(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "Check a worksheet", "",
                                                        "Worksheets (*.csv);;All files (*)")
        if path:
            self.check_worksheet(path)

    def open_path(self, path) -> bool:
        """Open the session file at ``path``; a big one (over BACKGROUND_BYTES), or one whose runs
        are big to build (a generated data set of a million points: over the session's
        BACKGROUND_COST), is read and built in the session's worker (gui.work) with progress and
        Cancel.  Refusals say "Could not open …"."""
        path = Path(path)
        if self.session.work.busy:
            self._warn(f"Could not open {_shown(path)}: {self.session.work.state.title} is still under way")
            return False
        mb = f"{_size(path) / 1e6:.1f}\u00a0MB"              # kept on one line when the text wraps
        title = f"Opening {_shown(path.name)}"

        def read_and_build(report):        # in the worker: pure engine work
            manifest = read_session(path, lambda text, done, total: report(f"{text} of {_shown(path.name)} ({mb})",
                                                                           done, total))
            return build_session(manifest, report)

        try:
            if _size(path) > BACKGROUND_BYTES:
                loaded = self.session.work.in_thread(title, read_and_build)
            else:
                manifest = read_session(path)
                if sum(build_cost(c) for c in build_configs(manifest)) <= BACKGROUND_COST:
                    loaded = build_session(manifest)
                else:
                    loaded = self.session.work.in_thread(title, lambda report: build_session(manifest, report))
        except WorkCancelled:
            self.session.message.emit(f"Opening {_shown(path.name)} was cancelled; the current run is kept")
            return False
        except SessionFileError as e:
            self._warn(f"Could not open {_shown(path)}: {e}")
            return False
        except (MemoryError, RecursionError) as e:       # a guard the format missed: say so, keep running
            self._warn(f"Could not open {_shown(path)}: the file needs more memory than is available "
                       f"({type(e).__name__})")
            return False
        self.session.replace_run(loaded.run, loaded.compare, loaded.compare_label)
        refused = apply_view_settings(self.session.settings, loaded.view_settings)   # skipped, current kept
        self.current_path = path
        self._remember(path)
        note = f" (view settings ignored: {'; '.join(refused.values())})" if refused else ""
        self.session.message.emit(f"Opened {_shown(path.name)}{note}")
        return True

    def save_to(self, path) -> bool:
        """Save the session to ``path`` (atomically); a big one (arrays over BACKGROUND_BYTES) is
        written in the session's worker with progress and Cancel, from a snapshot taken first, so
        the window goes on meanwhile; a cancelled save leaves ``path`` as it was."""
        path = Path(path)
        s = self.session
        try:
            write_session(s, path, s.compare, s.compare_label, s.settings.as_dict())
        except WorkCancelled:
            s.message.emit(f"Saving {_shown(path.name)} was cancelled; "
                           + ("the file is as it was" if path.exists() else "nothing was written"))
            return False
        except (OSError, ValueError) as e:
            self._warn(f"Could not save {_shown(path)}: {e}")
            return False
        self.current_path = path
        self._remember(path)
        s.message.emit(f"Saved {_shown(path.name)}")
        return True

    def export_npz_to(self, path) -> bool:
        return self._export(lambda: export_npz(path, self.session.view, self.session.net,
                                               self.session.settings.convention), str(path))

    def export_csv_to(self, directory) -> bool:
        """Into ``directory`` if it is new or empty, else into a new folder inside it (the user's
        files are never touched)."""
        target = Path(directory)
        if target.is_dir() and any(target.iterdir()):
            target = _new_folder(target, "backprop-lens numbers")
        return self._export(lambda: export_csv(target, self.session.view, self.session.net,
                                               convention=self.session.settings.convention), str(target))

    def import_weights_from(self, path):
        """The import dialog for the weights in ``path`` (opened, not run), or None after a message."""
        from engine.torch_bridge import DEFAULT_DATA, BridgeError, import_config, read_weights
        from gui.widgets.weights_dialog import ImportWeightsDialog
        try:
            weights = read_weights(path)
        except BridgeError as e:
            self._warn(f"Could not import {Path(path).name}: {e}")
            return None
        eta = self.session.config.eta
        dialog = ImportWeightsDialog(self.session, Path(path).name, weights.sizes, weights.metadata,
                                     DEFAULT_DATA.get((weights.sizes[0], weights.sizes[-1])),
                                     lambda act, out, loss, data: import_config(weights, act, out, loss, data, eta),
                                     self.window)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def export_weights_to(self, path) -> str | None:
        """Write the weights as a PyTorch state dict; the nn.Sequential snippet that loads them."""
        from engine.torch_bridge import sequential_snippet, write_weights
        if not self._export(lambda: write_weights(path, self.session.net), Path(path).name):
            return None
        return sequential_snippet(self.session.net, Path(path).name)

    def _export(self, work, name: str) -> bool:
        try:
            work()
        except (OSError, ValueError, ExportError) as e:
            self._warn(f"Could not export {name}: {e}")
            return False
        self.session.message.emit(f"Exported {name}")
        return True

    # -- recent files --------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Most recent first, at most prefs.MAX_RECENT (8), stored by gui/shell/prefs.py."""
        return prefs.recent_files()

    def remove_stale_temp_files(self) -> list[str]:
        """Delete the leftovers of killed saves (engine.atomic's stale temporary files, nothing else)
        in the folders of the recent files; the app does it once at start-up.  Returns their paths."""
        folders = dict.fromkeys(Path(p).parent for p in self.recent_files())
        return [str(folder / name) for folder in folders for name in remove_stale_temp_files(folder)]

    def _remove_recent(self, paths: list[str]) -> None:
        for p in paths:
            prefs.remove_recent_file(p)
        self._rebuild_recent()

    def _remember(self, path: Path) -> None:
        prefs.add_recent_file(path)
        self._rebuild_recent()

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        paths = self.recent_files()
        for p in paths:
            action = self.recent_menu.addAction(prefs.display_path(Path(p).name))
            action.setToolTip(prefs.display_path(p))
            action.setData(p)
            action.triggered.connect(lambda checked=False, p=p: self.open_recent(p))
        self.recent_menu.setEnabled(bool(paths))

    def _on_recent_about_to_show(self) -> None:
        paths = self.recent_files()
        missing = [p for p in paths if not Path(p).is_file()]
        if missing:
            self._remove_recent(missing)
            self.session.message.emit(f"Removed {len(missing)} missing file(s) from the recent files: "
                                      + ", ".join(prefs.display_path(Path(p).name) for p in missing))

    def open_recent(self, path: str) -> bool:
        if not Path(path).is_file():
            self._remove_recent([path])
            self._warn(f"{prefs.display_path(path)} no longer exists; it was removed from the recent files.")
            return False
        return self.open_path(path)

    # -- handlers (dialogs) --------------------------------------------------------------------
    def _start_dir(self) -> str:
        return str(self.current_path.parent) if self.current_path else str(Path.home())

    def _on_open(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "Open session", self._start_dir(), SESSION_FILTER)
        if path:
            self.open_path(path)

    def _on_save(self) -> None:
        if self.current_path is None:
            self._on_save_as()
        else:
            self.save_to(self.current_path)

    def _on_save_as(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "Save session as",
                                                        str(Path(self._start_dir()) / f"session{SUFFIX}"), SESSION_FILTER)
        if path:
            self.save_to(path if Path(path).suffix else path + SUFFIX)

    def _on_import_csv(self) -> None:
        from gui.widgets.import_dialog import ImportCsvDialog
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "Import CSV data", self._start_dir(),
                                                        "CSV files (*.csv *.csv.gz);;All files (*)")
        if path:
            dialog = ImportCsvDialog(self.session, path, self.window)
            dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def _on_import_weights(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "Import PyTorch weights", self._start_dir(),
                                                        "safetensors files (*.safetensors);;All files (*)")
        if path:
            self.import_weights_from(path)

    def _on_export_weights(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "Export weights for PyTorch",
                                                        str(Path(self._start_dir()) / "model.safetensors"),
                                                        "safetensors files (*.safetensors)")
        if not path:
            return
        snippet = self.export_weights_to(path if path.endswith(".safetensors") else path + ".safetensors")
        if snippet is not None:
            self.show_pytorch_snippet(snippet)

    def show_pytorch_snippet(self, snippet: str) -> QtWidgets.QMessageBox:
        """After Export weights: a message with the nn.Sequential that loads them (opened, not run)."""
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Information, "Load it in PyTorch",
                                    "The weights are saved. This builds the same network in PyTorch:",
                                    QtWidgets.QMessageBox.StandardButton.Ok, self.window)
        box.setDetailedText(snippet)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_message = box
        box.open()
        return box

    def _on_export_npz(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "Export numbers as NPZ",
                                                        str(Path(self._start_dir()) / "step.npz"), "NumPy archive (*.npz)")
        if path:
            self.export_npz_to(path if path.endswith(".npz") else path + ".npz")

    def _on_export_csv(self) -> None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self.window, "Export numbers into folder", self._start_dir())
        if path:
            self.export_csv_to(path)

    def _on_export_animation(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "Export training step animation",
                                                        str(Path(self._start_dir()) / "step.gif"),
                                                        "Animated GIF (*.gif);;MP4 video (*.mp4)")
        if path:
            if Path(path).suffix.lower() not in (".gif", ".mp4"):
                path += ".gif"
            views = getattr(self.window, "views", None) or {"window": self.window}
            options = AnimationOptions({k: v for k, v in views.items() if k in ("window", "graph")} or views, self.window)
            if options.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return
            if export_animation_with_progress(self.window, options.widget(), self.session, path, **options.options()):
                self.session.message.emit(f"Exported {Path(path).name}")


def write_session(session, path: Path, compare=None, compare_label: str = "", view_settings: dict | None = None) -> None:
    """Write ``session``'s run (and ``compare``) to ``path`` atomically; a big one (arrays over
    BACKGROUND_BYTES) in the session's worker with progress and Cancel, from a snapshot taken
    first.  WorkCancelled (``path`` as it was, no temporary file left), OSError or ValueError (also
    while other work is under way)."""
    if session.work.busy:
        raise ValueError(f"{session.work.state.title} is still under way")
    snap = snapshot(session.run, compare, compare_label, view_settings)
    if snap.nbytes <= BACKGROUND_BYTES:
        write_snapshot(path, snap)
        return
    text = f"Writing {_shown(path.name)} ({snap.nbytes / 1e6:.1f}\u00a0MB)"   # the size kept on one line
    session.work.in_thread(f"Saving {_shown(path.name)}", lambda report: write_snapshot(
        path, snap, lambda done, total: report(text, done, total)))


def _shown(path) -> str:
    return prefs.display_path(str(path))


def _size(path: Path) -> int:
    """The size of a regular file, else 0 (read_session says what is wrong with anything else)."""
    try:
        st = path.stat()
    except OSError:
        return 0
    return st.st_size if stat.S_ISREG(st.st_mode) else 0


def _new_folder(parent: Path, stem: str) -> Path:
    """``parent/stem``, or ``parent/stem 2``, ``stem 3`` … : the first name not taken."""
    for n in range(1, 10_000):
        p = parent / (stem if n == 1 else f"{stem} {n}")
        if not p.exists():
            return p
    raise ValueError(f"{parent} has no free folder name for the export")
