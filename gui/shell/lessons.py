"""Lessons in the window: open one (File → Open lesson…, Presets → Lessons), give it with the clicker,
record one from the window, and export its handout.

``LessonControl(window, session)`` owns the open LessonPlayer, the caption band, the recorder dock and
the lesson actions.  While a lesson is open the stepping keys (→ ← Page Up/Down, Home, End, G) move
through the lesson instead of the bare micro-steps: the window's own stepping shortcuts are lent to
the lesson and given back when it closes.  A Predict slide's entry goes where predict mode's always
goes (``gui.shell.predict_place``: in the Lecture layout under the companion, beside the graph and
its caption band).
"""
from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from gui.lessons.builtin import builtin_lessons, builtin_path
from gui.lessons.lesson_file import SUFFIX, Lesson, LessonError, RunSource, read_lesson, write_lesson
from gui.lessons.player import LessonPlayer
from gui.session import Session
from gui.view_settings import apply_view_settings
from gui.widgets.lesson_bar import NOTE_SCALE, LessonBar
from gui.widgets.lesson_recorder import LessonRecorder
from gui.widgets.presenter_view import PresenterView
from gui.widgets.screen_fit import lay_out_now
from gui.work import WorkCancelled

_FILTER = f"Lessons (*{SUFFIX})"


class LessonControl(QtCore.QObject):
    """The lesson actions of ``window`` (a MainWindow): ``open_action``, ``handout_action``,
    ``record_action``, ``presenter_action``, the navigation actions, and ``bar`` (the caption band the
    window places under the graph)."""

    def __init__(self, window: QtWidgets.QMainWindow, session: Session):
        super().__init__(window)
        self.window, self.session = window, session
        self.player: LessonPlayer | None = None
        self._view_before: dict = {}          # the view settings before the lesson opened…
        self._view_keys: set[str] = set()     # … and those its slides set (put back when it closes)
        self.bar = LessonBar()
        self.bar.close_requested.connect(self.close_lesson)
        self._column = window.centralWidget()              # the band's room follows the graph's column
        self._column.installEventFilter(self)
        self._fit_later = QtCore.QTimer(self, singleShot=True, interval=0)   # … beside a comparison, once settled
        self._fit_later.timeout.connect(self._fit_band)
        session.settings.layout_changed.connect(self._on_layout_changed)
        self.presenter: PresenterView | None = None
        self.next_preview = None          # the next slide's picture for the presenter view, while it is open
        self.recorder = LessonRecorder(session, self)
        self.recorder.save_requested.connect(self._on_save_requested)
        self.open_action = self._action("Open &lesson…", self._on_open_triggered, "Ctrl+L")
        self.handout_action = self._action("Export lesson &handout…", self._on_handout_triggered)
        self.record_action = self._action("Recor&d a lesson…", self._on_record_triggered)
        self.presenter_action = self._action("Presenter &view", self._on_presenter_triggered)
        self.presenter_action.setEnabled(False)
        self.close_action = self._action("&Close lesson", self.close_lesson)
        self.close_action.setEnabled(False)
        self.nav = {
            # Enter moves as → does (it finished the example under the slide: "Slide 1 / 12" over micro-step 13)
            "next": self._action("Next (lesson)", self._on_next, ["Right", "PgDown", "Return", "Enter"]),
            "prev": self._action("Back (lesson)", self._on_prev, ["Left", "PgUp"]),
            "first": self._action("First slide", self._on_first, ["Home"]),
            "last": self._action("Last slide", self._on_last, ["End"]),
            "goto": self._action("Go to slide…", self._on_goto, ["G"]),
        }
        self._lent: dict[QtGui.QAction, list] = {}
        self._guarded: set[int] = set()

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.Resize and watched is self._column and shiboken6.isValid(self.window):
            if self.window.layouts.comparison.shares_height():
                self._fit_later.start()     # (the graph's least numbered height at the width the column settles
            else:                           # at: not at each width give_edge_values_room tries, 0.5-1 s each)
                self._fit_band()
        return False

    def _on_layout_changed(self, _name: str) -> None:
        self._fit_band()

    def _fit_band(self) -> None:
        """The caption band's room: the graph's column less the graph's least height in a lesson
        (Layouts.lesson_graph_least), GRAPH_MIN_LESSON in either layout (the Training layout's own
        least, 200 px, left vanishing's seven columns at 1024×768 and 1280×720, zoom +3, pills without
        numbers under a note at 1.3×); beside a comparison run's graph, the main graph's own least,
        or where the note is short of its size then, its least numbered height.  The note's size
        steps down to keep the graph that tall; a note too long even at its floor takes more, whole.
        The column as it would be if the window's content fitted the window: where the band's
        minimum made the content taller than the window (vanishing's training slide at 1024×768,
        zoom +3, under a three-line banner: the window grew past its screen, the menu bar off the
        top, the note off the bottom), the column had taken that room, and measuring it kept the
        band as it was; the window is fitted to its screen again."""
        self._fit_later.stop()
        w, column = self.window, self._column
        layout = column.layout()
        margins = layout.contentsMargins()
        over = max(0, w.height() - w.maximumHeight(), w.layout().minimumSize().height() - w.height())
        room = column.height() - over - margins.top() - margins.bottom() - layout.spacing()
        self.bar.set_room(room - w.layouts.lesson_graph_least())
        if self.bar.note.scale < NOTE_SCALE and w.layouts.comparison.shares_height():
            self.bar.set_room(room - w.layouts.lesson_graph_least(tight=True))
        if w.height() > w.maximumHeight():     # (the content's minimum had grown the window past its screen)
            QtCore.QTimer.singleShot(0, w.layouts, w.layouts.fit)

    def _action(self, text: str, slot, keys=None) -> QtGui.QAction:
        action = QtGui.QAction(text, self.window)
        if keys:
            action.setShortcuts([QtGui.QKeySequence(k) for k in ([keys] if isinstance(keys, str) else keys)])
            action.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda *_: slot())
        return action

    def lessons_menu(self, parent: QtWidgets.QWidget) -> QtWidgets.QMenu:
        """Presets → Lessons: the built-in lessons, each by its title."""
        menu = QtWidgets.QMenu("&Lessons", parent)
        for name, title in builtin_lessons().items():
            menu.addAction(title, lambda name=name: self.open_path(builtin_path(name)))
        return menu

    # -- opening and closing --------------------------------------------------------------------
    def open_path(self, path, present: bool = True) -> bool:
        """Open the lesson in ``path`` and show its first slide (full screen with ``present``); a
        refusal says why and keeps the window as it was."""
        path = Path(path)
        before = self._view_before if self.player is not None else self.session.settings.as_dict()
        try:
            lesson = read_lesson(path)
            player = LessonPlayer(self.session, lesson, self, paced=True)
            player.start()
        except (LessonError, ValueError, OSError) as e:
            self._warn(f"Could not open the lesson {path.name}: {e}")
            return False
        self.close_lesson(restore=False)      # (the window's own view, from before the first lesson, is kept)
        self._view_before = before
        self._view_keys |= {key for state in player.states for key in state.view}
        self.player = player
        self.window.layouts.set_lesson(True)       # (a small screen's settings bar hides: the lesson sets the run)
        self.bar.set_player(player)                # (the band takes each slide first: _on_slide_changed settles after it)
        player.slide_changed.connect(self._on_slide_changed)
        self._show_block()
        self._lend_keys()
        self.close_action.setEnabled(True)
        self.presenter_action.setEnabled(True)
        if self.presenter is not None:
            self.presenter.set_player(player)
            self._start_preview()
        self.session.message.emit(f"Lesson: {lesson.title} ({player.count} slides); → and ← move, G goes to a slide")
        if present:
            self.window.presentation.full_screen.setChecked(True)
        return True

    def close_lesson(self, restore: bool = True) -> None:
        """Close the open lesson; with ``restore``, the view settings its slides set (predict mode,
        the layout, Mazur's names, the convention…) go back to what they were before it opened."""
        if self.player is None:
            return
        self.bar.set_player(None)
        self._stop_preview()
        if self.presenter is not None:
            self.presenter.set_player(None)
        self.player.halt()
        self.player.deleteLater()
        self.player = None
        self._return_keys()
        if restore:
            keys, self._view_keys = self._view_keys, set()
            apply_view_settings(self.session.settings, {k: v for k, v in self._view_before.items() if k in keys})
        self.window.layouts.set_lesson(False)
        self.close_action.setEnabled(False)
        self.presenter_action.setEnabled(False)

    def _lend_keys(self) -> None:
        """The window's actions that share a key with the lesson's give it up while the lesson is open."""
        ours = {QtGui.QKeySequence(k).toString() for a in self.nav.values() for k in a.shortcuts()}
        for action in self.window.findChildren(QtGui.QAction):
            if action in self.nav.values() or action in self._lent:
                continue
            keys = action.shortcuts()
            if any(k.toString() in ours for k in keys):
                self._lent[action] = keys
                action.setShortcuts([k for k in keys if k.toString() not in ours])
        for action in self.nav.values():
            self.window.addAction(action)
        # Reveal and Enter in a Predict field move as → does: within the slide, then to the next one
        # (they stepped the session past the slide's end while the band stayed on "step 1 of 2")
        self.window.predict_panel.reveal_step = self._on_next
        guard = self.window.actions_.guard          # typing G or End in a text field stays typing
        self._guarded = {k[0].toCombined() for a in self.nav.values() for k in a.shortcuts()} - guard.sequences
        guard.sequences |= self._guarded

    def _return_keys(self) -> None:
        self.window.predict_panel.reveal_step = self.session.next_step
        for action in self.nav.values():
            self.window.removeAction(action)
        for action, keys in self._lent.items():
            action.setShortcuts(keys)
        self._lent.clear()
        self.window.actions_.guard.sequences -= self._guarded
        self._guarded = set()

    # -- moving ---------------------------------------------------------------------------------
    def _on_next(self) -> None:
        if self.player is not None:
            self.player.next()

    def _on_prev(self) -> None:
        if self.player is not None:
            self.player.prev()

    def _on_first(self) -> None:
        if self.player is not None:
            self.player.first()

    def _on_last(self) -> None:
        if self.player is not None:
            self.player.last()

    def _on_goto(self) -> None:
        if self.player is None:
            return
        n, ok = QtWidgets.QInputDialog.getInt(self.window, "Go to slide", f"Slide (1 to {self.player.count}):",
                                              self.player.index + 1, 1, self.player.count)
        if ok:
            self.player.go_to(n - 1)

    # -- the menu's dialogs ---------------------------------------------------------------------
    def _on_open_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "Open lesson", str(Path.home()), _FILTER)
        if path:
            self.open_path(path)

    def _on_handout_triggered(self) -> None:
        from gui.shell.handout_dialog import export_handout_interactively
        export_handout_interactively(self.window, self.player.lesson if self.player else None, type(self.window))

    def _on_record_triggered(self) -> None:
        self.recorder.show_dock(self.window)
        self.window.layouts.join_companion(self.recorder.dock)   # in the Lecture layout: a companion tab

    def _on_save_requested(self) -> None:
        title = self.recorder.panel.lesson_title.text().strip() if self.recorder.panel else ""
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.window, "Save lesson", str(Path.home() / f"lesson{SUFFIX}"),
                                                        _FILTER)
        if path:
            self.save_recording(path, title or "A recorded lesson")

    def save_recording(self, path, title: str) -> bool:
        """Write the recorded slides to ``path``.  The run is the session's preset when no slide has
        trained; otherwise the run with its whole history is saved beside the lesson (same name,
        .bplens), so every slide comes back with exactly the numbers it was recorded with."""
        path = Path(path)
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        slides = list(self.recorder.slides)
        try:
            if self.session.preset_name is not None and not any(s.at_step for s in slides):
                source = RunSource(preset=self.session.preset_name)
            else:
                from gui.shell.file_actions import write_session
                beside = path.with_suffix(".bplens")
                write_session(self.session, beside)     # a big run in the worker, with progress and Cancel
                source = RunSource(session=beside, session_text=beside.name)
            write_lesson(path, Lesson(title=title, run=source, slides=slides))
        except WorkCancelled:
            self.session.message.emit(f"Saving the lesson {path.name} was cancelled; nothing was written")
            return False
        except (OSError, ValueError) as e:
            self._warn(f"Could not save the lesson {path.name}: {e}")
            return False
        self.session.message.emit(f"Saved the lesson {path.name} ({len(slides)} slides)")
        return True

    def _on_presenter_triggered(self) -> None:
        if self.presenter is None:
            self.presenter = PresenterView()
            self.presenter.destroyed.connect(self._on_presenter_destroyed)
        self.presenter.set_player(self.player)
        self._start_preview()
        self.presenter.show_on_other_screen(self.window)

    def _on_presenter_destroyed(self) -> None:
        self.presenter = None
        self._stop_preview()

    # -- the next slide's picture in the presenter view ----------------------------------------------
    def _start_preview(self) -> None:
        from gui.shell.slide_preview import NextSlidePreview
        if self.player is None or self.presenter is None or self.next_preview is not None:
            return
        self.next_preview = NextSlidePreview(type(self.window), self.player.lesson, parent=self)
        self.next_preview.ready.connect(self._on_next_preview_ready)
        self.next_preview.ask(self.player.index + 1)

    def _stop_preview(self) -> None:
        if self.next_preview is not None:
            self.next_preview.close()
            self.next_preview.deleteLater()
            self.next_preview = None

    def _on_slide_changed(self, index: int) -> None:
        self._settle()
        self._show_block()
        if self.next_preview is not None:
            self.next_preview.ask(index + 1)

    def _settle(self) -> None:
        """The slide's whole arrangement now, before the window paints again: its layout's pending
        passes (the Training layout's docks, the band's note fitted to the graph's column) and the
        graph's edge-value room, which otherwise came in later turns of the event loop, each painted
        (vanishing's training slide at 1024×768, zoom +3: a 200-px graph under a note at 1.0×, then
        the band cut, for 1–2 s before the final picture; Mazur's Predict slide at 1280×720: the entry's
        placement, then the band's note, in two more).  The deferred calls find nothing to do."""
        w = self.window
        for _ in range(2):                  # (a placement can move the band, the band the graph: twice settles)
            lay_out_now()
            if w.layouts.comparison.shares_height():
                w.layouts.share_height()    # (shared before the slide's note was in the band: vanishing slide 7
            if self.session.settings.predict:   # at 1024×768, zoom +2, its comparison scrolled 70 of 200 px)
                w.predict_place.place()     # (otherwise placed a turn after predict mode's change)
            w.layouts.give_edge_values_room()
            self._fit_band()                # (beside a comparison: at the width it settled at)
            w.layouts.keep_graph_room()
        lay_out_now()

    def _show_block(self) -> None:
        """The derivation block the slide names (``derivation_block``) scrolled into view."""
        state = self.player.state if self.player is not None else None
        if state is not None and state.derivation_block and not self.window.derivation.show_block(state.derivation_block):
            self.session.message.emit(f"Slide {state.index + 1}: the derivation page shown has no block titled "
                                      f"“{state.derivation_block}…”")

    def _on_next_preview_ready(self, image) -> None:
        if self.presenter is not None:
            self.presenter.set_preview(image)

    def _warn(self, text: str) -> None:
        self.session.error.emit(text)
