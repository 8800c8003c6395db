"""Exports: PNG and SVG of any widget, GIF/MP4 of one training step, the step's numbers."""
import csv
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PIL import Image, ImageSequence
from PySide6 import QtCore, QtGui, QtWidgets

from engine.numbers_export import FolderNotEmpty, export_csv, export_npz, step_arrays
from gui.shell import export, export_animation


@pytest.fixture
def label(qtbot, session):
    """A view that shows the current micro-step, so every micro-step looks different."""
    w = QtWidgets.QLabel()
    w.setStyleSheet("background: white; color: black; font-size: 18px;")
    w.resize(240, 120)
    qtbot.addWidget(w)
    session.step_changed.connect(lambda view: w.setText(f"{view.step.index}: {view.step.title}"))
    w.setText(f"{session.stepper.index}: {session.stepper.current.title}")
    return w


def test_png_has_the_requested_size(label, tmp_path):
    path = tmp_path / "v.png"
    assert export.save_png(label, path, scale=2.0) == QtCore.QSize(480, 240)
    with Image.open(path) as im:
        assert im.size == (480, 240)
    export.save_png(label, path, size=(300, 200))
    with Image.open(path) as im:
        assert im.size == (300, 200)


def test_svg_parses_and_has_content(label, tmp_path):
    path = tmp_path / "v.svg"
    export.save_svg(label, path, "label")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert len(list(root.iter())) > 3
    assert "0: Input" in "".join(root.itertext()) or root.find(".//{http://www.w3.org/2000/svg}path") is not None


def test_svg_of_a_pyqtgraph_plot(qtbot, tmp_path):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    plot.plot([0, 1, 2, 3], [1, 3, 2, 4])
    path = tmp_path / "plot.svg"
    export.save_svg(plot, path)
    root = ET.parse(path).getroot()
    assert sum(1 for e in root.iter() if e.tag.endswith("path") or e.tag.endswith("polyline")) > 0


def test_export_menu_on_a_pyqtgraph_view_replaces_its_exporter(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    acts = export.add_export_menu(plot, "loss")
    assert [a.text() for a in plot.scene().contextMenu] == ["Export as PNG…", "Export as SVG…"]
    assert plot.scene().contextMenu[0] is acts[0]
    plot.show()
    qtbot.waitExposed(plot)
    vb = plot.getPlotItem().getViewBox()
    qtbot.mouseClick(plot.viewport(), QtCore.Qt.MouseButton.RightButton, pos=QtCore.QPoint(150, 100))
    texts = [a.text() for a in vb.menu.actions()]     # the menu a right-click on the plot opened
    assert vb.menu.isVisible()
    assert "Export as SVG…" in texts and "Export as PNG…" in texts and "Export..." not in texts
    vb.menu.close()


def test_export_menu_on_a_plain_widget_opens_on_right_click(label):
    export.add_export_menu(label, "label")
    label.show()
    event = QtGui.QContextMenuEvent(QtGui.QContextMenuEvent.Reason.Mouse, QtCore.QPoint(5, 5),
                                    label.mapToGlobal(QtCore.QPoint(5, 5)), QtCore.Qt.KeyboardModifier.NoModifier)
    QtWidgets.QApplication.sendEvent(label, event)
    menu = label._export_menu
    assert [a.text() for a in menu.actions()] == ["Export as PNG…", "Export as SVG…"]
    menu.close()


def test_gif_has_one_frame_per_micro_step_and_returns_to_the_step(label, session, tmp_path):
    session.seek(4)
    steps_before = session.trainer.step_count
    path = tmp_path / "step.gif"
    seen = []
    n = export_animation.export_step_animation(label, session, path, fps=10, seconds_per_microstep=0.3,
                                     progress=lambda d, t: seen.append((d, t)))
    micro = session.stepper.last + 1
    assert n == micro * 3 and seen[-1] == (n, n)
    with Image.open(path) as im:
        assert sum(1 for _ in ImageSequence.Iterator(im)) == micro and im.size == (240, 120)
        assert im.info.get("loop") == 0
    assert session.stepper.index == 4 and session.trainer.step_count == steps_before


def test_gif_durations_add_up(label, session, tmp_path):
    path = tmp_path / "step.gif"
    export_animation.export_step_animation(label, session, path, fps=10, seconds_per_microstep=0.5)
    with Image.open(path) as im:
        durations = [frame.info["duration"] for frame in ImageSequence.Iterator(im)]
    assert sum(durations) == pytest.approx((session.stepper.last + 1) * 500, abs=50)


def test_cancel_leaves_no_file_and_restores_the_step(label, session, tmp_path):
    session.seek(session.stepper.last)            # after the update
    count = session.trainer.step_count
    path = tmp_path / "c.gif"
    calls = []
    result = export_animation.export_step_animation(label, session, path, fps=10, seconds_per_microstep=0.2,
                                          cancelled=lambda: calls.append(1) or len(calls) > 5)
    assert result is None and not path.exists()
    assert session.stepper.done and session.trainer.step_count == count
    assert not list(tmp_path.iterdir())


def test_mp4(label, session, tmp_path):
    path = tmp_path / "step.mp4"
    try:
        import imageio_ffmpeg
    except ImportError:
        with pytest.raises(export.ExportError, match="optional video extra"):
            export_animation.export_step_animation(label, session, path, fps=10)
        return
    n = export_animation.export_step_animation(label, session, path, fps=10, size=(241, 121), seconds_per_microstep=0.2)
    assert path.stat().st_size > 0
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert frames == n == (session.stepper.last + 1) * 2


def test_mp4_without_the_extra_gives_the_clear_error(label, session, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)
    with pytest.raises(export.ExportError) as info:
        export_animation.export_step_animation(label, session, tmp_path / "x.mp4")
    assert isinstance(info.value, export.ExportRefused)     # refused before anything is written
    assert str(info.value) == ("MP4 needs imageio-ffmpeg, the optional video extra (.venv/bin/pip install "
                               "'backprop-lens[video]'); a GIF needs nothing more")
    assert not list(tmp_path.iterdir())


def test_bad_animation_suffix(label, session, tmp_path):
    with pytest.raises(export.ExportError, match=".gif or .mp4"):
        export_animation.export_step_animation(label, session, tmp_path / "x.avi")


# -- numbers -------------------------------------------------------------------------------
def test_npz_keys_and_values_equal_the_engines(session, tmp_path):
    session.seek(9)                       # in the backward pass of layer 2 … 1
    view, net = session.stepper.view(), session.net
    path = tmp_path / "n.npz"
    export_npz(path, view, net)
    with np.load(path, allow_pickle=False) as npz:
        data = {k: npz[k] for k in npz.files}
    for k in ("x", "y", "a0", "a1", "a2", "z1", "z2", "sigma_prime1", "W1", "W2", "b1", "b2",
              "loss", "dC_da", "delta2", "dW2", "db2", "delta1"):
        assert k in data, k
    assert "dW1" not in data and "db1" not in data
    g = session.stepper.grads
    assert np.array_equal(data["z1"], g.trace.z[0]) and np.array_equal(data["a2"], g.trace.a[2])
    assert np.array_equal(data["dW2"], g.dW[1]) and np.array_equal(data["delta1"], g.delta[0])
    assert np.array_equal(data["W2"], net.W[1]) and np.array_equal(data["a0"], data["x"])
    assert float(data["loss"]) == pytest.approx(0.298371109, abs=1e-9)   # Mazur's E_total


def test_npz_after_the_update(session, tmp_path):
    session.finish_example()
    export_npz(tmp_path / "u.npz", session.view, session.net)
    with np.load(tmp_path / "u.npz") as npz:
        assert npz["W2"][0, 0] == pytest.approx(0.35891648, abs=1e-8)   # Mazur's w5
        assert npz["W_before2"][0, 0] == 0.40


def test_csv_folder_and_readme(session, tmp_path):
    out = tmp_path / "numbers"
    session.seek(session.stepper.last - 1)
    export_csv(out, session.view, session.net)
    names = {p.name for p in out.iterdir()}
    assert {"README.txt", "W1.csv", "dW1.csv", "delta2.csv", "a0.csv", "loss.csv"} <= names
    W2 = np.loadtxt(out / "W2.csv", delimiter=",")
    assert np.array_equal(W2, session.net.W[1])
    assert np.array_equal(np.loadtxt(out / "z1.csv", delimiter=","), session.stepper.grads.trace.z[0])
    readme = (out / "README.txt").read_text()
    assert "(N_l, N_{l-1})" in readme and "δ^l = ∂C/∂z^l" in readme and "batch means" in readme
    assert "nothing: every quantity is known" in readme
    # what it says of the indices holds where the files are read: Mazur's w2 = w¹₁₂ (i2 → h1) is row 1,
    # column 2 of W1.csv as a spreadsheet counts, W[0, 1] in NumPy; the loss by the name the app shows
    assert "is on row j, column k" in readme and "W[j-1, k-1]" in readme
    sheet = list(csv.reader((out / "W1.csv").read_text().splitlines()[1:]))
    assert float(sheet[1 - 1][2 - 1]) == 0.20 == np.loadtxt(out / "W1.csv", delimiter=",")[0, 1]
    assert "loss = ½·SSE (half_sse)" in readme
    with pytest.raises(FolderNotEmpty, match="not empty"):
        export_csv(out, session.view, session.net)
    session.seek(2)                        # z1, a1 known; stale files of the later step removed
    export_csv(out, session.view, session.net, force=True)
    names = {p.name for p in out.iterdir()}
    assert "z1.csv" in names and "dW1.csv" not in names and "loss.csv" not in names
    readme = (out / "README.txt").read_text()
    assert "- dW1" in readme and "- loss" in readme
    assert set(step_arrays(session.view, session.net)) == {n[:-4] for n in names if n.endswith(".csv")}


def _rows(path):
    """(header line, data lines) of an exported CSV file."""
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    return header, rows


@pytest.mark.parametrize("convention", ["column", "row"])
def test_numbers_follow_the_gradient_convention_and_say_which(session, tmp_path, convention):
    """∂C/∂W as the window shows it (shaped like W with column vectors, like Wᵀ with rows), δ written
    down a column or along a row, and every file naming the convention it is in."""
    session.seek(session.stepper.last - 1)              # every gradient known
    view, net, g = session.view, session.net, session.stepper.grads
    t = (lambda A: A) if convention == "column" else (lambda A: A.T)
    export_npz(tmp_path / "n.npz", view, net, convention)
    with np.load(tmp_path / "n.npz", allow_pickle=False) as npz:
        assert str(npz["convention"]) == convention
        for l in range(net.L):
            assert np.array_equal(npz[f"dW{l + 1}"], t(g.dW[l])) and np.array_equal(npz[f"W{l + 1}"], net.W[l])
            assert np.array_equal(npz[f"delta{l + 1}"], g.delta[l])
    out = tmp_path / convention
    export_csv(out, view, net, convention=convention)
    header, rows = _rows(out / "dW2.csv")
    assert header.startswith("# dW2:") and f"{convention}-vector convention" in header
    assert np.array_equal(np.loadtxt(out / "dW2.csv", delimiter=",", ndmin=2), t(g.dW[1]))   # the # line skipped
    header, rows = _rows(out / "delta2.csv")
    assert len(rows) == (2 if convention == "column" else 1)
    assert ("1x2 as written" if convention == "row" else "2x1 as written") in header
    assert np.array_equal(np.loadtxt(out / "delta2.csv", delimiter=","), g.delta[1])
    assert len(_rows(out / "a1.csv")[1]) == 2                # activations stay columns in both
    readme = (out / "README.txt").read_text(encoding="utf-8")
    assert f"Gradient convention: {convention.upper()} vectors" in readme
    assert ("shaped like (W^l)ᵀ, row k, column j" in readme) == (convention == "row")


def test_an_unknown_convention_writes_nothing(session, tmp_path):
    with pytest.raises(ValueError, match="convention must be one of column, row"):
        export_csv(tmp_path / "x", session.view, session.net, convention="diagonal")
    with pytest.raises(ValueError, match="convention"):
        export_npz(tmp_path / "x.npz", session.view, session.net, convention="diagonal")
    assert list(tmp_path.iterdir()) == []


def test_csv_export_never_deletes_or_overwrites_the_users_files(session, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    mine = {"loss.csv": "my loss\n", "z7.csv": "mine\n", "x.csv": "my x\n", "README.txt": "my notes\n"}
    for name, text in mine.items():
        (out / name).write_text(text)
    with pytest.raises(FolderNotEmpty):
        export_csv(out, session.view, session.net)
    assert {p.name: p.read_text() for p in out.iterdir()} == mine
    session.seek(2)
    export_csv(out, session.view, session.net, force=True)   # asked to: its files replace namesakes
    assert (out / "z7.csv").read_text() == "mine\n" and (out / "loss.csv").read_text() == "my loss\n"
    at_2 = set(step_arrays(session.view, session.net))
    session.seek(1)                        # the README is now ours: only files it listed go
    export_csv(out, session.view, session.net, force=True)
    gone = at_2 - set(step_arrays(session.view, session.net))
    assert gone and not any((out / f"{k}.csv").exists() for k in gone)
    assert (out / "z7.csv").exists() and (out / "loss.csv").exists()


def test_gif_frames_stream_to_the_file_while_rendering(label, session, tmp_path):
    path, sizes = tmp_path / "step.gif", []

    def on_progress(done, total):                 # the temporary file grows frame by frame
        sizes.append(sum(p.stat().st_size for p in tmp_path.iterdir()))

    export_animation.export_step_animation(label, session, path, fps=10, seconds_per_microstep=0.1,
                                           progress=on_progress)
    assert sizes[len(sizes) // 2] > 0 and sizes[len(sizes) // 2] < sizes[-1] <= path.stat().st_size


def test_animation_picture_size_is_bounded(label, session, tmp_path):
    with pytest.raises(export.ExportError, match="8,192 × 8,192 pixels"):
        export_animation.export_step_animation(label, session, tmp_path / "big.gif", size=(8192, 8192))
    with pytest.raises(export.ExportError, match="4096 × 4096"):
        export.save_png(label, tmp_path / "big.png", size=(5000, 4000))
    assert not list(tmp_path.iterdir())



def test_vector_pictures_keep_each_panel_inside_its_place(qtbot):
    """The window drawn into a vector painter (a QPicture records what a PDF page gets) matches the
    screen: a scroll area's content taller than its viewport stays inside it.  Qt's own recursion drew
    the derivation's last equation over the docks' tab bar below it in the handouts."""
    from helpers import window_on_screen
    from gui.session_types import Selection
    w, session = window_on_screen(qtbot, "1280x720", "mazur")
    session.settings.companion = "derivation"
    session.settings.predict = True
    session.select(Selection.neuron(2, 0))
    session.seek(5)                                  # the loss: a long equation in a short panel
    qtbot.wait(50)

    def pixels(image):
        image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
        a = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
        return a[:, :image.width(), :3].astype(int)
    screen = pixels(w.grab().toImage())
    image = QtGui.QImage(w.width(), w.height(), QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    picture = QtGui.QPicture()
    painter = QtGui.QPainter(picture)
    painter.setClipRect(QtCore.QRect(0, 0, w.width(), w.height()))
    export.render_vector(w, painter)
    painter.end()
    painter = QtGui.QPainter(image)
    painter.drawPicture(0, 0, picture)
    painter.end()
    drawn = pixels(image)
    strips = [b.geometry() for b in w.findChildren(QtWidgets.QTabBar) if b.parent() is w and b.isVisible()
              and w.rect().contains(b.geometry())] + [w.statusBar().geometry()]
    assert len(strips) >= 2
    for r in strips:
        part = (slice(r.top(), r.bottom()), slice(r.left(), r.right()))
        assert (np.abs(drawn[part] - screen[part]).sum(axis=2) > 60).mean() < 0.005, r
    assert (np.abs(drawn - screen).sum(axis=2) > 60).mean() < 0.01


def test_svg_has_no_clipping_so_a_cut_panel_goes_in_as_its_picture(qtbot, tmp_path):
    """SVG Tiny (what QSvgGenerator writes) cannot clip: a scroll area's content taller than its viewport
    is drawn as the picture of its visible part, not whole over what lies below the scroll area."""
    from PySide6 import QtSvg
    host = QtWidgets.QWidget()
    qtbot.addWidget(host)
    host.resize(200, 200)
    scroll = QtWidgets.QScrollArea(host)
    scroll.setGeometry(0, 0, 200, 100)
    scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    tall = QtWidgets.QLabel("tall")
    tall.setStyleSheet("background: #ff0000;")
    tall.setFixedSize(180, 400)
    scroll.setWidget(tall)
    host.show()
    qtbot.waitExposed(host)
    export.save_svg(host, tmp_path / "cut.svg")
    image = QtGui.QImage(200, 200, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    QtSvg.QSvgRenderer(str(tmp_path / "cut.svg")).render(painter)
    painter.end()
    red = [QtGui.QColor(image.pixel(50, y)).getRgb()[:3] == (255, 0, 0) for y in (50, 150, 190)]
    assert red == [True, False, False]
