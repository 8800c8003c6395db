"""Giving a lesson: ``LessonPlayer`` walks a lesson's slides on a Session.

Every change goes through the session's public methods (load the run, rewind or train to the slide's
step count, choose the example, seek the micro-step, select, apply the slide's view settings), so the
window shows each slide exactly as any other change of the session.  A slide's state depends only on
the slide, never on the way there: going to slide n from anywhere gives the same numbers.

→ walks a slide's micro-steps (``micro_step`` to ``through``) and then moves to the next slide; ←
walks back, and from a slide's first micro-step goes to the end of the slide before.

A ``paced`` player (the window's) gives a slide's ``train_steps`` as Play at the slide's ``pace``
when → arrives from the slide before, so the hall watches the loss fall and the boundary form; the
slide's micro-step and selection follow when the training ends.  → during that training finishes it
at once; ←, G, Home, End or a pause stop it and show their slide exactly as without the play.
"""
from __future__ import annotations

from PySide6 import QtCore

from engine.presets import get_preset
from engine.run import Run
from gui.lessons.lesson_file import Lesson, LessonError, SlideState, check_against_run
from gui.session import Session
from gui.session_types import Selection
from gui.view_settings import apply_view_settings


def load_run(lesson: Lesson, preset: str | None = None) -> Run:
    """A fresh run of the lesson's start (its preset, its session file or its inline configuration), or
    of ``preset`` for slides that switch to another preset's run."""
    source = lesson.run
    if preset is not None:
        return Run(get_preset(preset))
    if source.preset:
        return Run(get_preset(source.preset))
    if source.session:
        from engine.session_read import SessionFileError, load_session
        try:
            return load_session(source.session).run
        except SessionFileError as e:
            raise LessonError(f"the session file {source.session_text} could not be opened: {e}", 0, "run.session") \
                from None
    from engine.config import RunConfig
    return Run(RunConfig.from_dict(source.config))


def to_selection(state: SlideState) -> Selection:
    """The session's Selection (code indices) for a slide's book-indexed selection."""
    sel = state.select
    if sel.kind == "neuron":
        return Selection.neuron(sel.layer, sel.j - 1)
    if sel.kind == "edge":
        return Selection.edge(sel.layer - 1, sel.j - 1, sel.k - 1)
    if sel.kind == "layer":
        return Selection.layer(sel.layer - 1)
    return Selection()


class LessonPlayer(QtCore.QObject):
    """Shows ``lesson`` on ``session``: ``start()``, then ``next``/``prev``, ``go_to(n)``, ``first``,
    ``last``.  ``slide_changed(n)`` after each slide is shown; ``moved`` after every step;
    ``preparing(n)`` before the work when reaching slide n takes work (its training, its comparison
    run, a rewind's replay: ``pending`` is n meanwhile; see ``_reach``), so the band says where it
    goes while that runs (End onto vanishing's training slide kept "Slide 1 / 10" for 6–15 s at
    1024×768)."""

    slide_changed = QtCore.Signal(int)
    moved = QtCore.Signal()
    preparing = QtCore.Signal(int)

    def __init__(self, session: Session, lesson: Lesson, parent=None, paced: bool = False):
        super().__init__(parent)
        self.session, self.lesson = session, lesson
        self.paced = paced
        self.training: int | None = None  # the slide whose training steps are playing now
        session.training_state_changed.connect(self._on_training_state_changed)
        self.states = lesson.states()
        self.index = -1
        self._start_steps = 0            # the step count of the run as loaded (a session file's history)
        self._shown: tuple | None = None  # the run on the session now: (preset or None,)
        self.pending: int | None = None   # the slide being reached while its work runs (``preparing``)

    # -- opening ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Check every slide against its run, then show the first; LessonError if a slide does not fit."""
        runs = {}

        def info(preset):
            run = runs[preset] = load_run(self.lesson, preset)
            return run.net.sizes, len(run.train), len(run.stepper.steps)

        check_against_run(self.lesson, info)
        self._install(runs[self.states[0].preset], self.states[0].preset)
        self.go_to(0)

    def _install(self, run: Run, preset: str | None) -> None:
        self.session.replace_run(run)
        self._shown = (preset,)
        self._start_steps = run.trainer.step_count

    def reload(self, preset: str | None = None) -> None:
        """The run afresh, as the lesson (or a slide's preset) starts."""
        self._install(load_run(self.lesson, preset), preset)

    # -- moving -----------------------------------------------------------------------------------
    @property
    def state(self) -> SlideState:
        return self.states[self.index]

    @property
    def count(self) -> int:
        return len(self.states)

    def go_to(self, n: int, at_end: bool = False, play: bool = False) -> bool:
        """Show slide ``n`` (0-based) at its first micro-step, or at its last with ``at_end``.  With
        ``play``, its training steps are played at its pace first (``training``) when it has any."""
        if not 0 <= n < len(self.states):
            return False
        st = self.states[n]
        s = self.session
        self.training = None
        if s.playing:
            s.stop()
        if self._shown != (st.preset,):
            self.reload(st.preset)
        if play and self._play_to(st):
            self.index = n
            self.slide_changed.emit(n)
            self.moved.emit()
            return True
        try:
            reached = self._reach(n)
        finally:
            self.pending = None
        if not reached:                    # its training was cancelled: the slide shown before stays
            if 0 <= self.index < len(self.states) and self.index != n:
                self.go_to(self.index)
            return False
        s.set_example(st.example - 1)
        s.seek((st.through if at_end else st.micro_step) - 1)
        s.select(to_selection(st))
        apply_view_settings(s.settings, st.view)
        self.index = n
        self.slide_changed.emit(n)
        self.moved.emit()
        return True

    def _reach(self, n: int) -> bool:
        """Bring the session to slide ``n``'s run: back to its step count where it is behind, its view
        (the layout), its comparison from the run's step count, then its training, both runs in
        step; ``preparing`` where that is work: at once where the work starts before the slide's
        arrangement (a rewind's replay, the comparison catching up), else once the window is
        arranged for the slide, its comparison's dock there.  The window is arranged before the
        training, not after it: vanishing's training slide at 1024×768, zoom +3, laid its graph out
        twice in the Lecture layout while the band said "preparing…", and its graph and the
        comparison's three times in the Training layout after the work, under a progress window
        standing at "283 of 300" for 2–2.5 s.  False when the work was cancelled."""
        st, s = self.states[n], self.session
        work = self._needs_work(st)
        have = s.trainer.step_count - int(s.stepper.updated)
        compare = st.compare != self._compare_shown()
        early = work and (st.trained < have or (compare and bool(st.compare) and min(have, st.trained) > 0))
        if work:
            self.pending = n
        if early:
            self.preparing.emit(n)
        if not self._reach_steps(st.trained, st.preset, forward=False):
            return False
        apply_view_settings(s.settings, st.view)
        if compare and not (s.start_comparison(**st.compare) if st.compare else (s.stop_comparison() or True)):
            return False
        if work and not early:
            self.preparing.emit(n)
        return self._reach_steps(st.trained, st.preset)

    def _needs_work(self, st: SlideState) -> bool:
        """Whether reaching ``st`` trains, rewinds or starts a comparison (work that may take seconds)."""
        s = self.session
        return st.trained != s.trainer.step_count - int(s.stepper.updated) or \
            (bool(st.compare) and st.compare != self._compare_shown())

    def _play_to(self, st: SlideState) -> bool:
        """Start playing the slide's training (its comparison beside it, at its pace); False when
        there is nothing to play from here (then the slide is reached at once)."""
        s = self.session
        if not st.train_steps or s.trainer.diverged is not None:
            return False
        if s.stepper.updated:
            s.rewind(s.trainer.step_count - 1)
        have = s.trainer.step_count
        if not have < st.trained <= have + st.train_steps or have < self._start_steps:
            return False
        if st.compare != self._compare_shown():
            s.start_comparison(**st.compare) if st.compare else s.stop_comparison()
        apply_view_settings(s.settings, st.view)          # the slide's pace and layout while it trains
        self.training = st.index
        s.play(until=st.trained)
        if not s.playing:
            self.training = None
        return self.training is not None

    def halt(self) -> None:
        """Stop a slide's training where it is (the lesson closes): the window keeps the run as it is."""
        if self.training is not None:
            self.training = None
            self.session.stop()

    def _on_training_state_changed(self, playing: bool) -> None:
        """The slide's training ended (its steps are done, or a pause): show the slide itself."""
        if not playing and self.training is not None:
            n, self.training = self.training, None
            self.go_to(n)

    def _compare_shown(self) -> dict:
        """The comparison on the session as {setting: value} ({} for none)."""
        compare = self.session.compare
        if compare is None:
            return {}
        key, _, _ = self.session.compare_label.partition(" = ")
        return {key: getattr(compare.config, key, None)}

    def _reach_steps(self, trained: int, preset: str | None, forward: bool = True) -> bool:
        """Bring the trainer to ``trained`` updates along the lesson's own path: an update the stepper
        took on the slide before is undone first, so every slide starts from the same state; the
        training forward only with ``forward``.  False when the training it needs was cancelled (the
        session rewound it; a divergence counts as reached: the slide shows it)."""
        s = self.session
        if s.stepper.updated:
            s.rewind(s.trainer.step_count - 1)
        have = s.trainer.step_count
        if trained < have:
            s.rewind(trained)
        elif trained > have:
            if have < self._start_steps:             # the saved history reaches further: replay it exactly
                self.reload(preset)
                have = s.trainer.step_count
                if trained < have:
                    s.rewind(trained)
            if forward and trained > s.trainer.step_count:
                return s.train_steps(trained - s.trainer.step_count) or s.trainer.diverged is not None
        return True

    def next(self) -> bool:
        """One micro-step within the slide, else the next slide; False at the lesson's end.  While
        the slide's training plays, → finishes it at once."""
        if self.index < 0:
            return False
        if self.training is not None:
            return self.go_to(self.training)
        if self.session.stepper.index + 1 < self.state.through:
            self.session.next_step()
            self.moved.emit()
            return True
        return self.go_to(self.index + 1, play=self.paced)

    def prev(self) -> bool:
        """One micro-step back within the slide, else the end of the slide before."""
        if self.index < 0:
            return False
        if self.session.stepper.index + 1 > self.state.micro_step:
            self.session.prev_step()
            self.moved.emit()
            return True
        return self.go_to(self.index - 1, at_end=True)

    def first(self) -> bool:
        return self.go_to(0)

    def last(self) -> bool:
        return self.go_to(len(self.states) - 1)

    def position(self) -> tuple[int, int]:
        """(micro-steps walked within the slide, how many it has), both from 1."""
        st = self.state
        return self.session.stepper.index + 2 - st.micro_step, st.through - st.micro_step + 1
