"""Big inputs never block the window: while a large CSV file is read the event loop keeps
answering, Cancel stops the reading, and with a 200,000 × 24 data set loaded a keystroke in the
network editor neither copies the data nor builds any.  Nothing here reads a clock (speed is
measured in benchmarks): the event loop is shown to run during the reading by a handshake — the
reader waits at each progress report for a timer of the GUI thread to tick — and the editor's
work per keystroke is bounded by the memory it allocates."""
import threading
import tracemalloc

import numpy as np
import pytest
from PySide6 import QtCore

import gui.session as gs
from engine import RunConfig
from gui.widgets.import_dialog import ImportCsvDialog, _Reader
from gui.widgets.network_editor import NetworkEditor


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.csv"
    rng = np.random.default_rng(0)
    X = rng.standard_normal((150_000, 6))
    with open(path, "w") as f:
        f.write("a,b,c,d,e,f,label\n")
        np.savetxt(f, np.column_stack([X, X[:, 0] > 0]), fmt=["%.4f"] * 6 + ["%d"], delimiter=",")
    return path


class Handshake:
    """Patches the reader's progress report: each report waits until the GUI thread's timer has
    ticked after it (proof that the event loop runs while the file is being read), and records the
    reading thread and the reports made after Cancel."""

    def __init__(self, monkeypatch):
        self.tick, self.answered, self.threads, self.after_cancel = threading.Event(), [], set(), 0
        self.probe = QtCore.QTimer()
        self.probe.timeout.connect(self.tick.set)
        self.probe.start(1)
        real = _Reader._report

        def report(reader, done, total):
            self.threads.add(threading.get_ident())
            self.after_cancel += reader._cancel
            if all(self.answered):             # once unanswered, stop waiting (the test fails)
                self.tick.clear()
                self.answered.append(self.tick.wait(30))
            real(reader, done, total)
        monkeypatch.setattr(_Reader, "_report", report)


def test_reading_a_big_csv_keeps_the_window_answering(qtbot, session, big_csv, monkeypatch):
    shake = Handshake(monkeypatch)
    reads = []
    real_read = gs.CsvTable.read
    monkeypatch.setattr(gs.CsvTable, "read", staticmethod(lambda *a, **k: reads.append(1) or real_read(*a, **k)))
    dialog = ImportCsvDialog(session, big_csv)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.reading, timeout=300_000)
    shake.probe.stop()
    assert dialog.table_data.n_rows == 150_000 and dialog.import_button.isEnabled()
    assert len(shake.answered) >= 100 and all(shake.answered)      # every report answered by the GUI thread
    assert threading.get_ident() not in shake.threads
    dialog.set_columns(["a", "b"], ["label"])                    # choices use the parsed table: no re-reading
    assert dialog.dataset.X.shape == (150_000, 2) and len(reads) == 1


def test_cancel_stops_reading(qtbot, session, big_csv, monkeypatch):
    shake = Handshake(monkeypatch)
    dialog = ImportCsvDialog(session, big_csv)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: len(shake.answered) >= 3, timeout=300_000)
    dialog.reject()
    shake.probe.stop()
    assert not dialog.reading and dialog.table_data is None and dialog._reader.isFinished()
    assert shake.after_cancel <= 1                # at most the report already under way when Cancel came
    assert len(shake.answered) < 150_000 // 256   # it stopped long before the end of the file


def test_editor_keystrokes_with_big_data_loaded(qtbot, session, monkeypatch):
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200_000, 24))
    Y = np.eye(2)[(X[:, 0] > 0).astype(int)]
    config = RunConfig(sizes=[24, 8, 2], output_activation="softmax", loss="cross_entropy",
                       dataset={"name": "custom", "title": "big", "kind": "classification", "X": X, "Y": Y,
                                "test_fraction": 0.2})
    assert session.apply_config(config)
    editor = NetworkEditor(session)
    qtbot.addWidget(editor)
    editor.show()
    built = []
    real_build = gs.build_data
    monkeypatch.setattr(gs, "build_data", lambda *a: built.append(a) or real_build(*a))
    peaks = []
    tracemalloc.start()
    try:
        for text in ("24-16-2", "24-16-8-2", "24-3-2"):
            editor.sizes.selectAll()
            for ch in text:
                tracemalloc.reset_peak()
                base = tracemalloc.get_traced_memory()[0]
                qtbot.keyClicks(editor.sizes, ch)
                peaks.append(tracemalloc.get_traced_memory()[1] - base)
            assert editor.apply.isEnabled()
    finally:
        tracemalloc.stop()
    assert built == []                                 # the loaded data is described, never rebuilt
    assert max(peaks) < X.nbytes / 100, f"a keystroke allocated {max(peaks):,} bytes"   # nothing copied
    assert session.config.dataset["X"] is X            # referenced, never copied
