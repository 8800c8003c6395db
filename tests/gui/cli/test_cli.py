"""The command line: help, headless exports and snapshots, clear errors with exit code 2."""
import numpy as np
import pytest
from PIL import Image

from engine import get_preset
from engine.run import Run
from gui.cli.parse import build_parser, parse_launch, run_cli
from helpers import cli


def test_help_lists_every_subcommand():
    r = cli("--help")
    assert r.returncode == 0
    for word in ("snapshot", "export", "--preset", "SESSION_FILE", "examples:"):
        assert word in r.stdout
    r = cli("export", "--help")
    assert r.returncode == 0 and "--gif" in r.stdout and "--npz" in r.stdout and "--csv" in r.stdout


def test_export_npz_headless_equals_the_engine(tmp_path):
    out = tmp_path / "x.npz"
    r = cli("export", "--preset", "mazur", "--micro-step", "10", "--npz", str(out))   # 1-based, as the banner counts
    assert r.returncode == 0, r.stderr
    run = Run(get_preset("mazur"))
    run.stepper.seek(9)
    g = run.stepper.grads
    with np.load(out, allow_pickle=False) as npz:
        assert np.array_equal(npz["z2"], g.trace.z[1]) and np.array_equal(npz["dW2"], g.dW[1])
        assert np.array_equal(npz["W1"], run.net.W[0]) and float(npz["loss"]) == g.loss
        assert "dW1" not in npz.files


def test_export_numbers_in_the_sessions_convention_or_the_one_asked_for(tmp_path):
    from engine.session_file import save_session
    run = Run(get_preset("mazur"))
    save_session(tmp_path / "row.bplens", run, view_settings={"convention": "row"})
    dW = Run(get_preset("mazur")).stepper.grads.dW[1]
    for args, convention in ((["--session", str(tmp_path / "row.bplens")], "row"),
                             (["--session", str(tmp_path / "row.bplens"), "--convention", "column"], "column"),
                             (["--preset", "mazur", "--convention", "row"], "row"), (["--preset", "mazur"], "column")):
        out = tmp_path / "x.npz"
        r = cli("export", *args, "--micro-step", "12", "--npz", str(out))
        assert r.returncode == 0, r.stderr
        with np.load(out, allow_pickle=False) as npz:
            assert str(npz["convention"]) == convention, args
            assert np.array_equal(npz["dW2"], dW if convention == "column" else dW.T), args
    r = cli("export", "--preset", "mazur", "--convention", "diagonal", "--npz", str(tmp_path / "y.npz"))
    assert r.returncode == 2 and "--convention" in r.stderr


@pytest.mark.parametrize("k", [1, 13])
def test_micro_step_counts_from_1_as_the_banner(tmp_path, k):
    """--micro-step 1 is the input step ("micro-step 1 / 13"), 13 the update."""
    out = tmp_path / "x.npz"
    r = cli("export", "--preset", "mazur", "--micro-step", str(k), "--npz", str(out))
    assert r.returncode == 0, r.stderr
    run = Run(get_preset("mazur"))
    run.stepper.seek(k - 1)
    view = run.stepper.view()
    with np.load(out, allow_pickle=False) as npz:
        assert ("z1" in npz.files) == (view.z[0] is not None)
        assert np.array_equal(npz["W1"], view.W[0])
    assert (k == 13) == view.updated


def test_snapshot_writes_a_png_of_the_requested_size(tmp_path):
    out = tmp_path / "shot.png"
    r = cli("snapshot", "--preset", "mazur", "--size", "640x400", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stderr == "" and r.stdout == ""          # Qt's own messages go to the log only
    with Image.open(out) as im:
        assert im.size == (640, 400) and im.format == "PNG"


def test_export_gif_in_process(qtbot, tmp_path):
    out = tmp_path / "a.gif"
    assert run_cli(["export", "--preset", "mazur", "--gif", str(out), "--fps", "5", "--size", "320x200",
                    "--seconds-per-step", "0.2"]) == 0
    with Image.open(out) as im:
        assert im.size == (320, 200)


def test_export_from_a_session_file(tmp_path):
    from engine.session_file import save_session
    run = Run(get_preset("xor"))
    run.train_steps(5)
    save_session(tmp_path / "s.bplens", run)
    r = cli("export", "--session", str(tmp_path / "s.bplens"), "--csv", str(tmp_path / "nums"))
    assert r.returncode == 0, r.stderr
    assert np.array_equal(np.loadtxt(tmp_path / "nums" / "W1.csv", delimiter=","), run.net.W[0])


@pytest.mark.parametrize("args, message", [
    (["export", "--preset", "nope", "--npz", "x.npz"], "unknown preset 'nope'"),
    (["snapshot", "--preset", "mazur", "--size", "big", "--out", "x.png"], "size must look like"),
    (["export", "--preset", "mazur"], "one of the arguments"),
    (["export", "--preset", "mazur", "--micro-step", "99", "--npz", "x.npz"], "--micro-step must be 1..13"),
    (["export", "--preset", "mazur", "--micro-step", "14", "--npz", "x.npz"], "--micro-step must be 1..13"),
    (["export", "--preset", "mazur", "--micro-step", "0", "--npz", "x.npz"], "micro-steps count from 1 (1 = the input"),
    (["snapshot", "--preset", "mazur", "--micro-step", "0", "--out", "x.png"], "micro-steps count from 1"),
    (["export", "--session", "missing.bplens", "--npz", "x.npz"], "could not open missing.bplens: no such file"),
    (["--preset", "nope"], "unknown preset"),
    (["frobnicate"], "commands are: snapshot, export"),
    (["export", "--preset", "mazur", "--gif", "step.txt"], "animations are written as .gif or .mp4, not '.txt'"),
    (["export", "--preset", "mazur", "--gif", "s.gif", "--seconds-per-step", "0"], "seconds per micro-step in (0, 60]"),
    (["export", "--preset", "mazur", "--size", "8192x8192", "--png", "x.png"], "pictures are exported from 1 × 1"),
    (["snapshot", "--preset", "mazur", "--size", "8192x8192", "--out", "x.png"], "pictures are exported from 1 × 1"),
    (["export", "--preset", "mazur", "--steps", "1000000000", "--npz", "x.npz"], "at most 1,000,000 training steps"),
])
def test_bad_arguments_exit_2_with_a_message(tmp_path, args, message):
    r = cli(*args, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())


def test_a_damaged_session_file_exits_2(tmp_path):
    bad = tmp_path / "bad.bplens"
    bad.write_bytes(b"not a zip")
    r = cli("export", "--session", str(bad), "--npz", str(tmp_path / "x.npz"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr == f"backprop-lens: error: could not open {bad}: not a Backprop Lens session file " \
                      "(another kind of file, or truncated)\n"


def test_launch_arguments():
    assert run_cli([]) is None and run_cli(["--preset", "xor"]) is None
    ns = parse_launch(["--preset", "xor"])
    assert ns.preset == "xor" and ns.session is None
    assert build_parser().prog == "backprop-lens"


def test_export_csv_refuses_a_folder_with_the_users_files(tmp_path):
    (tmp_path / "loss.csv").write_text("mine\n")
    r = cli("export", "--preset", "mazur", "--csv", str(tmp_path))
    assert r.returncode == 2 and "is not empty" in r.stderr and "--force" in r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["loss.csv"]
    r = cli("export", "--preset", "mazur", "--csv", str(tmp_path), "--force")
    assert r.returncode == 0 and (tmp_path / "README.txt").exists()


def test_exit_status_2_for_refused_input_and_1_for_a_write_that_failed(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("mine\n")
    r = cli("export", "--preset", "mazur", "--csv", str(blocker))            # a file where the folder should be
    assert r.returncode == 2 and "exists and is not a folder" in r.stderr and "Traceback" not in r.stderr
    r = cli("export", "--preset", "mazur", "--npz", str(blocker / "x.npz"))   # cannot be written: a file is in the way
    assert r.returncode == 1 and f"could not write {blocker / 'x.npz'}" in r.stderr and "Traceback" not in r.stderr
    r = cli("snapshot", "--preset", "mazur", "--size", "320x200", "--out", str(blocker / "x.png"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"] and blocker.read_text() == "mine\n"


def test_export_a_docked_view_lays_it_out_first(tmp_path):
    out = tmp_path / "d.png"
    r = cli("export", "--preset", "mazur", "--view", "derivation", "--png", str(out))
    assert r.returncode == 0 and r.stderr == "", r.stderr
    with Image.open(out) as im:
        assert im.width >= 300 and im.height >= 400     # laid out in its dock, not a 100×70 crop


def test_export_an_empty_view_is_refused(tmp_path):
    r = cli("export", "--preset", "mazur", "--view", "comparison", "--png", str(tmp_path / "c.png"))
    assert r.returncode == 2 and "the comparison view has nothing to show" in r.stderr
    assert not list(tmp_path.iterdir())


def test_hostile_view_settings_in_a_session_are_refused_with_a_warning(tmp_path):
    from engine.session_file import save_session
    path = tmp_path / "s.bplens"
    save_session(path, Run(get_preset("mazur")), view_settings={"font_scale": 100, "theme": "dark"})
    out = tmp_path / "v.png"
    r = cli("export", "--session", str(path), "--png", str(out), "--size", "640x400")
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(f"backprop-lens: warning: {path}: ") and "font_scale" in r.stderr
    assert r.stderr.count("\n") == 1                       # only font_scale: the dark theme was applied
    with Image.open(out) as im:
        assert im.size == (640, 400)


@pytest.mark.parametrize("size, layout", [((1600, 1000), "training"), ((1280, 720), "lecture")])
def test_snapshot_after_steps_shows_the_trained_forward_pass_at_the_requested_size(qtbot, size, layout):
    """`snapshot --steps N`: the window laid out for --size (not for the screen it runs on), with
    that size's layout; the graph on the trained network's forward pass (not micro-step 1); in the
    Training layout the decision boundary drawn from the trained weights; no dock tab bar the
    layout replaced left on the picture."""
    from PySide6 import QtWidgets
    from gui.cli import common
    args = build_parser().parse_args(["snapshot", "--preset", "xor", "--steps", "300",
                                      "--size", f"{size[0]}x{size[1]}", "--out", "unused.png"])
    app, session, window = common.make_window(args)
    qtbot.addWidget(window)
    try:
        assert (window.width(), window.height()) == size
        assert session.settings.layout == layout
        assert session.trainer.step_count == 300
        view, run = session.view, session.run
        assert view.step.phase == "loss"
        x = run.train.X[run.example_index]
        np.testing.assert_allclose(np.asarray(view.a[-1]).ravel(), np.asarray(session.net.forward(x).a[-1]).ravel())
        boundary = window.docks["boundary"]
        if layout == "training":
            assert boundary.isVisible() and not boundary.visibleRegion().isEmpty()
            xs, ys, out = session.decision_grid(window.boundary.resolution)
            assert window.boundary.image is not None and window.boundary.image.shape[:2] == out.shape[:2]
        central = window.centralWidget().geometry()
        for bar in window.findChildren(QtWidgets.QTabBar):
            if bar.parent() is window and bar.isVisible() and bar.geometry().intersects(window.rect()):
                assert bar.geometry().top() >= central.top() and not bar.geometry().intersects(central), \
                    ([bar.tabText(i) for i in range(bar.count())], bar.geometry().getRect())
    finally:
        session.stop()
        window.close()


def test_export_of_a_dock_the_lecture_layout_hides_is_pictured_at_a_readable_size(qtbot, tmp_path):
    """At 1280×720 (Lecture layout) the boundary has no room of its own: it is pictured floating,
    at least 560×360, with the trained boundary."""
    out = tmp_path / "b.png"
    assert run_cli(["export", "--preset", "xor", "--steps", "300", "--size", "1280x720", "--view", "boundary",
                    "--png", str(out)]) == 0
    with Image.open(out) as im:
        assert im.size[0] >= 560 and im.size[1] >= 360, im.size


def test_a_dock_floated_for_its_picture_stays_floating_when_the_window_is_shown_late(qtbot):
    """The window's own "shown" step (a timer 250 ms after show, for the window manager's frame)
    arranged the docks again for a picture's window, docking the boundary the export had floated
    back into its 137-px strip when it came after the export's check (a loaded machine).  Here it
    comes after, on purpose: the boundary stays floating at its readable size."""
    from PySide6 import QtCore

    from gui.cli import common
    from gui.cli.export import MIN_DOCK_WIDTH, MIN_DOCKED_HEIGHT, _bring_forward
    args = build_parser().parse_args(["export", "--preset", "xor", "--size", "1280x720", "--view", "boundary",
                                      "--png", "unused.png"])
    app, session, window = common.make_window(args)
    qtbot.addWidget(window)
    try:
        qtbot.wait(400)          # the shown step of make_window's show has run; set up again, its step
        window.layouts.set_canvas(QtCore.QSize(1280, 720))   # comes only when called below, after the export's check
        common.settle(window)
        _bring_forward(window.views["boundary"], window)
        dock = window.docks["boundary"]
        assert dock.isFloating()
        window.layouts.on_shown()
        common.settle(window)
        assert dock.isFloating() and dock.width() >= MIN_DOCK_WIDTH and dock.height() >= MIN_DOCKED_HEIGHT, \
            (dock.isFloating(), dock.size())
    finally:
        session.stop()
        window.close()


def test_snapshot_exits_cleanly_after_writing(tmp_path):
    """The window is destroyed before the interpreter exits: left to the exit, its pyqtgraph views
    were torn down in any order and `snapshot --preset xor --size 1280x720` crashed after writing its
    picture in about 2 runs of 5 (exit 139).  Three runs, each must exit 0."""
    for k in range(3):
        out = tmp_path / f"x{k}.png"
        r = cli("snapshot", "--preset", "xor", "--size", "1280x720", "--out", str(out))
        assert r.returncode == 0 and out.is_file(), (k, r.returncode, r.stderr[-400:])


def test_snapshot_of_a_session_with_a_comparison_shows_the_comparison(qtbot, tmp_path):
    """A session file saved with a comparison run opens with the comparison's graph in front and its
    dock titled with the setting changed, as when the comparison was started in the window, its graph
    whole (it scrolled, its tab sized for the loss's plots)."""
    from engine.session_file import save_session
    from gui.cli import common
    from gui.session import Session
    from gui.widgets.screen_fit import lay_out_now
    s = Session("xor")
    assert s.start_comparison(eta=s.config.eta / 10)
    s.train_steps(20)
    save_session(tmp_path / "c.bplens", s.run, s.compare, s.compare_label, view_settings={"layout": "training"})
    args = build_parser().parse_args(["snapshot", "--session", str(tmp_path / "c.bplens"), "--size", "1280x720",
                                      "--out", "unused.png"])
    app, session, window = common.make_window(args)
    qtbot.addWidget(window)
    try:
        dock = window.docks["comparison"]
        assert session.compare is not None and dock.isVisible() and not dock.visibleRegion().isEmpty()
        assert s.compare_label == "eta = 0.05" and dock.windowTitle() == "Comparison run: η = 0.05"
        lay_out_now()                         # (the Training layout: a tab in front of the loss, under the graph)
        assert dock.widget().verticalScrollBar().maximum() == 0, "the comparison's graph scrolled"
    finally:
        session.stop()
        window.close()
    s.stop()


# -- exit status: 2 for what is refused, 1 for a write that failed, in every path with a window --------
@pytest.mark.parametrize("error, code", [
    (ValueError("fps must be a number"), 2),                        # a bad value met while working
    ("refused", 2),                                                 # ExportRefused: e.g. a picture too large
    (OSError(28, "No space left on device", "out.png"), 1),         # the write failed
    ("export", 1),                                                  # ExportError: could not write the PNG file
])
def test_with_window_says_refused_input_with_2_and_a_failed_write_with_1(qtbot, capsys, error, code):
    from gui.cli import common
    from gui.shell.export import ExportError, ExportRefused
    error = {"refused": ExportRefused("the picture would be too large"),
             "export": ExportError("could not write the PNG file out.png")}.get(error, error)
    args = build_parser().parse_args(["snapshot", "--preset", "xor", "--size", "320x200", "--out", "unused.png"])
    worked = []

    def work(session, window):
        worked.append(window.isVisible())
        raise error
    assert common.with_window(args, work) == code and worked == [True]
    err = capsys.readouterr().err
    assert err == f"backprop-lens: error: {error}\n"                # one line, never a traceback


def test_an_mp4_without_its_writer_is_refused_with_exit_2_before_a_window_is_built(qtbot, capsys, tmp_path,
                                                                                 monkeypatch):
    import sys

    from gui.cli import common
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)       # as when the video extra is not installed
    monkeypatch.setattr(common, "make_window", lambda args: pytest.fail("a window was built"))
    out = tmp_path / "step.mp4"
    assert run_cli(["export", "--preset", "mazur", "--mp4", str(out)]) == 2
    assert capsys.readouterr().err == ("backprop-lens: error: MP4 needs imageio-ffmpeg, the optional video extra "
                                       "(.venv/bin/pip install 'backprop-lens[video]'); a GIF needs nothing more\n")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("view, message", [
    ("nope", "unknown view 'nope'; views: window, "),
    ("comparison", "the comparison view has nothing to show: this session has no comparison run"),
])
def test_a_view_refused_in_the_window_exits_2_with_one_line(qtbot, capsys, tmp_path, view, message):
    out = tmp_path / "v.png"
    assert run_cli(["export", "--preset", "xor", "--view", view, "--png", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"backprop-lens: error: {message}") and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_import_and_handout_say_refused_with_2_and_a_failed_write_with_1(qtbot, capsys, tmp_path, monkeypatch):
    import engine.session_file as sf
    import gui.shell.handout as handout
    from engine.session_read import SessionFileError
    from engine.torch_bridge import write_weights
    model = tmp_path / "m.safetensors"
    write_weights(model, Run(get_preset("xor")).net)

    def refuse(*a, **k):
        raise SessionFileError("this session is too large to save")
    monkeypatch.setattr(sf, "save_session", refuse)
    out = tmp_path / "run.bplens"
    assert run_cli(["import", str(model), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"backprop-lens: error: will not write {out}: this session is too large to save\n"

    def full(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(sf, "save_session", full)
    assert run_cli(["import", str(model), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"backprop-lens: error: could not write {out}: No space left on device\n"
    for error, code in ((ValueError("slide 2 asks for η = -1"), 2), (OSError(28, "No space left on device"), 1)):
        monkeypatch.setattr(handout, "make_handout", lambda *a, error=error, **k: (_ for _ in ()).throw(error))
        assert run_cli(["handout", "mazur", "--out", str(tmp_path / "h.pdf")]) == code
        assert capsys.readouterr().err == f"backprop-lens: error: {error}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.safetensors"]


def test_weights_to_a_path_that_cannot_be_a_file_name_exit_2(tmp_path, capsys):
    assert run_cli(["export", "--preset", "xor", "--safetensors", str(tmp_path / "a\0b.safetensors")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("backprop-lens: error: will not write ") and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_the_window_launched_from_a_terminal_keeps_qts_own_messages_in_the_log(tmp_path):
    """The app started from a terminal (offscreen, quitting once shown) writes nothing of Qt's own
    ("This plugin does not support propagateSizeHints()") to the terminal: it goes to the log."""
    import os
    import subprocess
    import sys
    from helpers import ROOT
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", BACKPROP_LENS_STARTUP_PROBE="1")
    r = subprocess.run([sys.executable, "-m", "gui", "--preset", "mazur"], capture_output=True, text=True,
                       env=env, timeout=120, cwd=tmp_path)
    assert r.returncode == 0 and "startup_s" in r.stdout, r.stderr[-2000:]
    assert r.stderr == "", r.stderr[-2000:]
