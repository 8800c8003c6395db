"""File menu actions (open/save/recent/export without dialogs) and the CSV import dialog."""
import os

import numpy as np
import pytest
from PySide6 import QtWidgets

from gui.shell import prefs
from gui.shell.file_actions import FileActions
from gui.widgets.import_dialog import ImportCsvDialog


def make(qtbot, session):
    window = QtWidgets.QWidget()
    qtbot.addWidget(window)
    prefs.clear_recent_files()
    return FileActions(session, window), window


def test_save_and_open_restore_run_and_view_settings(qtbot, session, tmp_path):
    fa, _ = make(qtbot, session)
    session.change(optimizer="adam", eta=0.05)
    session.train_steps(7)
    session.seek(5)
    session.settings.theme = "dark"
    session.settings.speed = 2.5
    path = tmp_path / "lecture.bplens"
    assert fa.save_to(path) and fa.current_path == path
    W = [w.copy() for w in session.net.W]
    session.settings.theme = "light"
    session.load_preset("xor")
    with qtbot.waitSignal(session.run_changed):
        assert fa.open_path(path)
    assert session.settings.theme == "dark" and session.settings.speed == 2.5
    assert session.trainer.step_count == 7 and session.stepper.index == 5
    assert all(np.array_equal(a, b) for a, b in zip(W, session.net.W))
    assert fa.recent_files()[0] == str(path.absolute())
    menu = fa.file_menu_for_test = QtWidgets.QMenu()
    fa.populate(menu)
    assert {"&Open…", "&Save", "Save &As…", "&Import CSV…"} <= {a.text() for a in menu.actions()}


def test_bad_file_warns_and_keeps_the_state(qtbot, session, tmp_path):
    fa, _ = make(qtbot, session)
    bad = tmp_path / "bad.bplens"
    bad.write_bytes(b"garbage")
    run = session.run
    with qtbot.waitSignal(session.error) as sig:
        assert not fa.open_path(bad)
    assert sig.args[0].startswith(f"Could not open {bad}: not a Backprop Lens session file")
    assert session.run is run
    assert fa.last_message is not None and "bad.bplens" in fa.last_message.text()
    fa.last_message.close()


def test_recent_files_max_8_and_missing_ones_removed(qtbot, session, tmp_path):
    fa, _ = make(qtbot, session)
    for i in range(10):
        assert fa.save_to(tmp_path / f"s{i}.bplens")
    recent = fa.recent_files()
    assert len(recent) == 8 and recent[0].endswith("s9.bplens")
    assert [a.text() for a in fa.recent_menu.actions()][0] == "s9.bplens"
    (tmp_path / "s9.bplens").unlink()
    with qtbot.waitSignal(session.error):
        assert not fa.open_recent(recent[0])
    assert recent[0] not in fa.recent_files()
    fa.last_message.close()
    (tmp_path / "s8.bplens").unlink()
    fa._on_recent_about_to_show()
    assert len(fa.recent_files()) == 6
    assert fa.open_recent(fa.recent_files()[0])


def test_export_numbers_through_the_actions(qtbot, session, tmp_path):
    fa, _ = make(qtbot, session)
    session.seek(3)
    assert fa.export_npz_to(tmp_path / "n.npz")
    with np.load(tmp_path / "n.npz") as npz:
        assert np.array_equal(npz["z2"], session.stepper.grads.trace.z[1])
    assert fa.export_csv_to(tmp_path / "csv")
    assert (tmp_path / "csv" / "README.txt").exists()
    assert fa.export_csv_to(tmp_path / "csv")      # not empty now: a new folder inside it
    assert (tmp_path / "csv" / "backprop-lens numbers" / "README.txt").exists()
    assert fa.export_csv_to(tmp_path / "csv")
    assert (tmp_path / "csv" / "backprop-lens numbers 2" / "README.txt").exists()


def test_exported_numbers_follow_the_views_convention(qtbot, session, tmp_path):
    fa, _ = make(qtbot, session)
    session.seek(session.stepper.last - 1)
    dW = session.stepper.grads.dW[1]
    for convention, shaped in (("row", dW.T), ("column", dW)):
        session.settings.convention = convention
        assert fa.export_npz_to(tmp_path / f"{convention}.npz")
        with np.load(tmp_path / f"{convention}.npz", allow_pickle=False) as npz:
            assert str(npz["convention"]) == convention and np.array_equal(npz["dW2"], shaped)
        assert fa.export_csv_to(tmp_path / convention)
        assert f"{convention}-vector convention" in (tmp_path / convention / "dW2.csv").read_text(encoding="utf-8")


def write_csv(path, rows):
    path.write_text("\n".join(rows) + "\n")
    return path


def opened(qtbot, dialog):
    """The dialog once its worker has read the file."""
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading, timeout=20_000)
    return dialog


def test_import_dialog_builds_a_custom_run(qtbot, session, tmp_path):
    rows = ["height,width,weight,species"] + [f"{1 + i * 0.1:.2f},{2 - i * 0.05:.2f},{i % 7},{'ab'[i % 2]}"
                                              for i in range(30)]
    path = write_csv(tmp_path / "animals.csv", rows)
    dialog = opened(qtbot, ImportCsvDialog(session, path))
    assert dialog.table.columnCount() == 4 and dialog.table.rowCount() == 20
    assert dialog.kind.currentData() == "classification" and dialog.import_button.isEnabled()
    dialog.set_columns(["height", "weight"], ["species"])
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    cfg = session.config
    assert cfg.sizes == [2, 2, 2] and cfg.dataset["name"] == "custom" and cfg.dataset["title"] == "animals.csv"
    assert session.run.train.feature_names == ["height", "weight"] and len(session.run.train) == 24


def test_import_dialog_shows_errors_in_red_and_disables_import(qtbot, session, tmp_path):
    rows = ["a,b,y"] + [f"{i},{i * 2},{i % 2}" for i in range(10)] + ["7,oops,1"]
    dialog = opened(qtbot, ImportCsvDialog(session, write_csv(tmp_path / "t.csv", rows)))
    assert not dialog.import_button.isEnabled()
    assert "oops" in dialog.status.text() and "line 12" in dialog.status.text() and "'b'" in dialog.status.text()
    assert "c62828" in dialog.status.styleSheet()
    dialog.set_columns(["a"], ["y"])
    assert dialog.import_button.isEnabled()
    dialog.set_columns([], ["y"])
    assert not dialog.import_button.isEnabled()
    run = session.run
    dialog._on_accepted()
    assert session.run is run


def test_import_dialog_with_an_unreadable_file(qtbot, session, tmp_path):
    dialog = opened(qtbot, ImportCsvDialog(session, tmp_path / "missing.csv"))
    assert not dialog.import_button.isEnabled() and "cannot read" in dialog.status.text()


def test_import_dialog_nan_and_too_few_rows(qtbot, session, tmp_path):
    dialog = opened(qtbot, ImportCsvDialog(session, write_csv(tmp_path / "n.csv", ["a,y", "nan,1", "2,0"])))
    assert "NaN" in dialog.status.text() and not dialog.import_button.isEnabled()
    dialog = opened(qtbot, ImportCsvDialog(session, write_csv(tmp_path / "one.csv", ["a,y", "1,0"])))
    assert "at least 2" in dialog.status.text() and not dialog.import_button.isEnabled()


def test_animation_options_choose_view_size_and_frame_rate(qtbot):
    from PySide6 import QtWidgets
    from gui.widgets.animation_options import AnimationOptions
    a, b = QtWidgets.QLabel("a"), QtWidgets.QLabel("b")
    for w in (a, b):
        qtbot.addWidget(w)
    a.resize(301, 200)
    b.resize(640, 480)
    dialog = AnimationOptions({"window": a, "graph": b})
    qtbot.addWidget(dialog)
    assert dialog.widget() is a and dialog.options()["size"] == (300, 200)   # even, for MP4
    dialog.view.setCurrentIndex(1)
    dialog.fps.setValue(12)
    dialog.pace.setValue(1.5)
    assert dialog.widget() is b
    assert dialog.options() == {"size": (640, 480), "fps": 12, "seconds_per_microstep": 1.5}


def test_recent_files_with_names_that_are_not_utf8(qtbot, session, tmp_path):
    fa, _ = make(qtbot, session)
    name = os.fsdecode(b"lecture-\xff\xfe.bplens")            # a legal Linux name, not UTF-8
    path = tmp_path / name
    assert fa.save_to(path) and path.is_file()
    assert fa.recent_files()[0] == str(path)                  # kept exactly, not mangled
    fa._on_recent_about_to_show()                             # still there: not dropped as missing
    assert fa.recent_files()[0] == str(path)
    action = fa.recent_menu.actions()[0]
    assert action.text() == "lecture-\ufffd\ufffd.bplens"
    assert fa.open_recent(fa.recent_files()[0])


def test_start_up_removes_stale_leftovers_of_killed_saves_in_recent_folders(qtbot, session, tmp_path):
    from engine.atomic import STALE_S, TEMP_PREFIX
    fa, _ = make(qtbot, session)
    lectures, unrelated = tmp_path / "lectures", tmp_path / "unrelated"
    lectures.mkdir(), unrelated.mkdir()
    assert fa.save_to(lectures / "week1.bplens")
    old = os.path.getmtime(lectures / "week1.bplens") - STALE_S - 60
    leftovers = {}
    for folder in (lectures, unrelated):
        leftovers[folder] = p = folder / f"{TEMP_PREFIX}{2**22 + 7}-k1ll3d00.tmp"    # a dead process's
        p.write_bytes(b"half a session")
        os.utime(p, (old, old))
    fresh = lectures / f"{TEMP_PREFIX}{2**22 + 7}-st1ll0n0.tmp"        # too recent: maybe still being written
    fresh.write_bytes(b"")
    assert fa.remove_stale_temp_files() == [str(leftovers[lectures])]
    assert sorted(p.name for p in lectures.iterdir()) == sorted(["week1.bplens", fresh.name])
    assert leftovers[unrelated].exists()                               # not a folder the app saved into


def test_a_big_session_file_is_read_in_the_background_and_cancel_keeps_the_run(qtbot, session, tmp_path,
                                                                                 monkeypatch):
    import threading

    import gui.shell.file_actions as fam
    fa, _ = make(qtbot, session)
    session.load_preset("xor")
    session.train_steps(3)
    path = tmp_path / "big.bplens"
    assert fa.save_to(path)
    monkeypatch.setattr(fam, "BACKGROUND_BYTES", path.stat().st_size - 1)     # this file counts as big
    readers, real = [], fam.read_session
    monkeypatch.setattr(fam, "read_session",
                        lambda p, progress=None: readers.append(threading.get_ident()) or real(p, progress))
    started = []
    session.work.started.connect(lambda st: started.append(st.title))
    session.load_preset("mazur")
    assert fa.open_path(path) and session.trainer.step_count == 3
    assert started == ["Opening big.bplens"] and readers[-1] != threading.get_ident()
    session.load_preset("mazur")
    run = session.run
    session.work.started.connect(lambda st: session.work.cancel())     # Cancel pressed at once
    messages = []
    session.message.connect(messages.append)
    assert not fa.open_path(path)
    assert session.run is run and messages[-1] == "Opening big.bplens was cancelled; the current run is kept"


@pytest.mark.parametrize("version", [2, 1])
def test_opening_a_big_file_shows_the_part_read_and_cancel_stops_at_the_next_part(qtbot, session, tmp_path,
                                                                                 monkeypatch, version):
    import engine.session_read as sr
    import gui.shell.file_actions as fam
    from session_files import legacy
    fa, _ = make(qtbot, session)
    session.load_preset("xor")
    path = tmp_path / "big.bplens"
    assert fa.save_to(path)
    if version == 1:                                          # the older ZIP format: the same progress
        legacy(path, path)
    monkeypatch.setattr(fam, "BACKGROUND_BYTES", 0)
    monkeypatch.setattr(sr, "READ_CHUNK_BYTES", 8)            # every array read in parts of 8 bytes
    real, parts, shown = fam.read_session, [], []

    def read_session(p, progress):
        def report(text, done, total):                       # in the worker, after each part read
            parts.append(done)
            if len(parts) == 5:
                session.work.state.cancelled = True          # as the Cancel button does, from the GUI thread
            progress(text, done, total)
            state = session.work.state
            shown.append((state.done, state.total, state.text))
        return real(p, report)
    monkeypatch.setattr(fam, "read_session", read_session)
    session.load_preset("mazur")
    run = session.run
    assert not fa.open_path(path) and session.run is run
    assert len(parts) == 5 and len(shown) == 4                # the reading stopped at the next part
    assert all(total == 1000 for _, total, _ in shown) and [d for d, *_ in shown] == sorted(d for d, *_ in shown)
    assert 0 < shown[-1][0] < 1000
    stage = {2: "Reading the arrays", 1: "Unpacking arrays.npz"}[version]
    assert shown[-1][2].startswith(f"{stage} of big.bplens (")
    assert shown[-1][2].endswith(f"\u00a0MB): {shown[-1][0] // 10} %")      # the size never split by a wrap


def saving_in_parts(monkeypatch, fam, at_part):
    """Every session counts as big and is written in parts of 64 bytes; ``at_part(k)`` is called in
    the writing thread after part k (its return value ignored).  The writers' thread ids are kept."""
    import threading

    import engine.session_file as sf
    monkeypatch.setattr(fam, "BACKGROUND_BYTES", 0)
    monkeypatch.setattr(sf, "WRITE_CHUNK_BYTES", 64)
    real, writers = fam.write_snapshot, []

    def write_snapshot(path, snap, progress=None):
        writers.append(threading.get_ident())
        parts = []

        def report(done, total):
            parts.append(done)
            progress(done, total)                # raises WorkCancelled once Cancel was pressed
            at_part(len(parts))
        return real(path, snap, report)
    monkeypatch.setattr(fam, "write_snapshot", write_snapshot)
    return writers


def test_a_big_session_is_saved_in_the_background_while_the_event_loop_answers(qtbot, session, tmp_path,
                                                                                monkeypatch):
    import threading

    from PySide6 import QtCore

    import gui.shell.file_actions as fam
    from engine.session_read import load_session
    fa, _ = make(qtbot, session)
    session.load_preset("xor")
    session.train_steps(5)
    tick, answered = threading.Event(), []
    probe = QtCore.QTimer()
    probe.timeout.connect(tick.set)
    probe.start(0)

    def wait_for_the_event_loop(k):              # the GUI thread's timer fires while the file is written
        if k in (2, 10, 20):
            progress.append((session.work.state.done, session.work.state.text))   # what the dialog shows
            tick.clear()
            answered.append(tick.wait(20))
    writers = saving_in_parts(monkeypatch, fam, wait_for_the_event_loop)
    started, progress = [], []
    session.work.started.connect(lambda st: started.append(st.title))
    path = tmp_path / "big.bplens"
    assert fa.save_to(path)
    probe.stop()
    assert answered == [True, True, True] and writers[-1] != threading.get_ident()
    assert started == ["Saving big.bplens"] and fa.current_path == path
    assert [d for d, _ in progress] == sorted(d for d, _ in progress) and 0 < progress[0][0] < progress[-1][0] < 1000
    assert all(t.startswith("Writing big.bplens (") and t.endswith(f"\u00a0MB): {d // 10} %") for d, t in progress)
    loaded = load_session(path)
    assert loaded.run.trainer.step_count == 5
    assert all(np.array_equal(a, b) for a, b in zip(loaded.run.net.W, session.net.W))
    assert [p.name for p in tmp_path.iterdir()] == ["big.bplens"]


def test_cancel_while_saving_leaves_the_old_file_byte_identical_and_no_temporary_file(qtbot, session, tmp_path,
                                                                                      monkeypatch):
    import threading

    from PySide6 import QtCore

    import gui.shell.file_actions as fam
    fa, _ = make(qtbot, session)
    session.load_preset("xor")
    path = tmp_path / "lecture.bplens"
    assert fa.save_to(path)                     # the old file: xor before training
    before = path.read_bytes()
    session.train_steps(9)
    ask, cancelled = threading.Event(), threading.Event()
    poll = QtCore.QTimer()                      # the GUI thread presses Cancel when the writer asks
    poll.timeout.connect(lambda: (session.work.cancel(), cancelled.set())
                         if ask.is_set() and not cancelled.is_set() else None)
    poll.start(0)
    parts = []

    def cancel_halfway(k):
        parts.append(k)
        if k == 20:
            ask.set()
            assert cancelled.wait(20)
    saving_in_parts(monkeypatch, fam, cancel_halfway)
    messages = []
    session.message.connect(messages.append)
    assert not fa.save_to(path)
    assert parts[-1] == 20                      # the next part's report stopped the writing
    assert messages[-1] == "Saving lecture.bplens was cancelled; the file is as it was"
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["lecture.bplens"]
    parts.clear()
    ask.clear(), cancelled.clear()
    fresh = tmp_path / "new.bplens"
    assert not fa.save_to(fresh)
    poll.stop()
    assert messages[-1] == "Saving new.bplens was cancelled; nothing was written"
    assert [p.name for p in tmp_path.iterdir()] == ["lecture.bplens"]
    assert not session.work.busy


def test_a_small_file_asking_for_a_big_build_is_built_in_the_background_and_cancel_keeps_the_run(
        qtbot, session, tmp_path, monkeypatch):
    """A session file of a few kB whose data set is a generator's spec of 200,000 points: read at
    once, its run built in the worker while the event loop answers; Cancel pressed inside the
    making stops it at the next chunk and keeps the current run."""
    import threading

    from PySide6 import QtCore

    import gui.shell.file_actions as fam
    from engine import RunConfig
    from engine.run import Run
    from engine.session_file import save_session
    fa, _ = make(qtbot, session)
    config = RunConfig(sizes=[2, 8, 2], output_activation="softmax", loss="cross_entropy",
                       dataset={"name": "spirals", "n": 200_000})
    path = tmp_path / "big-build.bplens"
    save_session(path, Run(config))
    assert path.stat().st_size < fam.BACKGROUND_BYTES
    tick, ask, cancelled = threading.Event(), threading.Event(), threading.Event()
    probe = QtCore.QTimer()                      # the GUI thread: ticks, and presses Cancel when asked
    probe.timeout.connect(lambda: (tick.set(), (session.work.cancel(), cancelled.set())
                                   if ask.is_set() and not cancelled.is_set() else None))
    probe.start(0)
    real, builders, answered, reports = fam.build_session, [], [], []
    press_cancel = []

    def build_session(manifest, progress=None):
        builders.append(threading.get_ident())

        def report(text, done, total):
            reports.append(text)
            progress(text, done, total)          # raises WorkCancelled once Cancel was pressed
            if text.startswith("Making") and done > 0 and len(answered) < len(builders):
                tick.clear()
                answered.append(tick.wait(20))   # the GUI thread's timer fires while the data is made
                if press_cancel:
                    ask.set()
                    assert cancelled.wait(20)
        return real(manifest, report)
    monkeypatch.setattr(fam, "build_session", build_session)
    started = []
    session.work.started.connect(lambda st: started.append(st.title))
    assert fa.open_path(path)
    assert answered == [True] and builders[0] != threading.get_ident()
    assert started == ["Opening big-build.bplens"] and len(session.run.train) == 160_000
    session.load_preset("mazur")
    run = session.run
    messages = []
    session.message.connect(messages.append)
    press_cancel.append(True)
    reports.clear()
    assert not fa.open_path(path)
    probe.stop()
    assert answered == [True, True] and reports[-1].startswith("Making") and reports[-2].startswith("Making")
    assert session.run is run and messages[-1] == "Opening big-build.bplens was cancelled; the current run is kept"
    assert not session.work.busy
