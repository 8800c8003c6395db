"""Shared test helpers: central finite differences (independent of the engine's own gradient check)
and the checks that compare what a widget draws with the engine's numbers."""
import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from gui.derivation import evaluate, parse_matrices, tolerance
from gui.derivation.latex import num

GRADIENT_KINDS = {"delta", "dC_da", "db"}

ROOT = Path(__file__).resolve().parent.parent


def fd_grad(f, theta: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂theta by central differences; theta is perturbed in place and restored."""
    g = np.zeros_like(theta)
    flat, gflat = theta.reshape(-1), g.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        up = f()
        flat[k] = old - eps
        down = f()
        flat[k] = old
        gflat[k] = (up - down) / (2 * eps)
    return g


def same_arrays(drawn, engine, what: str = "arrays"):
    """Per layer: both None, or equal arrays (a None entry is a layer with no such array)."""
    assert len(drawn) == len(engine), what
    for n, (d, e) in enumerate(zip(drawn, engine)):
        assert (d is None) == (e is None), f"{what}[{n}]: drawn {d!r}, engine {e!r}"
        if e is not None:
            np.testing.assert_array_equal(np.asarray(d, dtype=float), np.asarray(e, dtype=float), err_msg=f"{what}[{n}]")


def ref_value(view, ref, net):
    """The engine's value of a derivation block's number, named by its ``Ref`` (gui/derivation/context.py),
    at this StepView — written out here from the view's own arrays (J and ∂z/∂W by their formulas), and
    shaped as the ref says.  None when the micro-step has not computed it yet; "derived" numbers (the
    panel's own sums and nudges) have no engine value and give None too."""
    l, kind = ref.l, ref.kind
    if kind == "J":                 # ∂a/∂z: diag σ′, or softmax's diag(a) − a aᵀ
        s, a = view.sigma_prime[l], view.a[l + 1]
        v = None if s is None else (np.diag(a) - np.outer(a, a) if net.activations[l].name == "softmax" else np.diag(s))
    elif kind == "T":               # ∂z/∂W: slice j has row j equal to a
        a, n = view.a[l], net.sizes[l + 1]
        v = None if a is None else np.einsum("jp,i->jpi", np.eye(n), a)
    else:
        after = view.updated
        table = {"x": lambda: view.x, "y": lambda: view.y, "eta": lambda: view.eta, "C": lambda: view.loss,
                 "dC_da": lambda: view.dC_da, "W": lambda: view.W_before[l], "b": lambda: view.b_before[l],
                 "z": lambda: view.z[l], "a": lambda: view.a[l], "s": lambda: view.sigma_prime[l],
                 "delta": lambda: view.delta[l], "dW": lambda: view.dW[l], "db": lambda: view.db[l],
                 "dW_data": lambda: None if view.dW[l] is None else view.grads.dW_data[l],
                 "W_new": lambda: view.W[l] if after else None, "b_new": lambda: view.b[l] if after else None,
                 "identity": lambda: np.eye(net.sizes[l + 1]), "derived": lambda: None}
        v = table[kind]()
    if v is None:
        return None
    v = np.asarray(v, dtype=float)
    if ref.index:
        v = v[ref.index]
    return {"col": lambda: v.reshape(-1, 1), "row": lambda: v.reshape(1, -1), "T": lambda: v.T,
            "diag": lambda: np.diag(v), "norm": lambda: np.linalg.norm(v), "": lambda: v}[ref.form]()


def check_block_numbers(view, net, block, rtol=1e-12, atol=1e-15) -> int:
    """Every number of a derivation block that names an engine quantity equals it, in the shape
    printed, and is known at this micro-step; returns how many were checked."""
    assert set(block.refs) == set(block.numbers), f"{block.title}: numbers without a source"
    checked = 0
    for name, ref in block.refs.items():
        if ref.kind == "derived":
            continue
        expected = ref_value(view, ref, net)
        assert expected is not None, f"{block.title}: {name} shown before the engine computed it"
        value = np.asarray(block.numbers[name], dtype=float)
        assert value.shape == np.shape(expected), f"{block.title}: {name} printed {value.shape}, is {np.shape(expected)}"
        with np.errstate(all="ignore"):
            np.testing.assert_allclose(value, expected, rtol=rtol, atol=atol, err_msg=f"{block.title}: {name}")
        checked += 1
    return checked


def expected_banner(session) -> str:
    """The micro-step's banner, its equation in the session's gradient convention."""
    step = session.view.step
    banner_in = getattr(step, "banner_in", None)
    return banner_in(session.settings.convention) if banner_in else step.banner


# -- derivation blocks: what is printed, its shapes, its equation ------------------------------------
def close(printed, value):
    printed, value = np.asarray(printed, float), np.asarray(value, float)
    return printed.shape == value.shape and np.all(np.abs(printed - value) <= tolerance(value))


def check_block(block):
    """Every bmatrix in the LaTeX, in order, equals the recorded matrices in order (same shape);
    every recorded scalar, and every entry of an array printed inline, appears as printed."""
    arrays = [np.asarray(v, float) for n, v in block.numbers.items() if np.ndim(v) > 0 and n not in block.inline]
    parsed = parse_matrices(block.latex)
    assert len(parsed) == len(arrays), (block.title, len(parsed), list(block.numbers))
    for p, v in zip(parsed, arrays):
        assert close(p, np.atleast_2d(v)), (block.title, p, v)
    for name, v in block.numbers.items():
        if np.ndim(v) == 0 or name in block.inline:
            for x in np.ravel(v):
                assert num(x) in block.latex, (block.title, name, num(x))


def check_claim(block, rtol=1e-9, atol=1e-12):
    """A block's equation evaluated with its own numbers gives the number it claims, in its shape."""
    if block.claim is None:
        return
    value = evaluate(block.expr, block.numbers)
    claimed = np.asarray(block.numbers[block.claim], float)
    assert value.shape == claimed.shape, (block.title, value.shape, claimed.shape)
    assert np.allclose(value, claimed, rtol=rtol, atol=atol), (block.title, value, claimed)


_UNDER_MATRIX = re.compile(r"\\underset\{(\d+)\\times (\d+)\}\{\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}\}", re.S)
_UNDER_GRAD = re.compile(r"\\underset\{(\d+)\\times (\d+)\}\{(\\delta\^\{\d+\}|\\nabla_\{[^}]*\}\} C|"
                         r"\\frac\{\\partial C\}\{\\partial [ab]\^\{\d+\}\})\}")


def check_shapes(block, conv):
    """Shape labels under printed matrices are their shapes; a gradient vector's label is a row or a
    column as the convention says; a gradient's orientation follows the convention."""
    for r, c, body in _UNDER_MATRIX.findall(block.latex):
        m = parse_matrices(r"\begin{bmatrix}" + body + r"\end{bmatrix}")
        if m:
            assert m[0].shape == (int(r), int(c)), (block.title, m[0].shape, (r, c))
    for r, c, what in _UNDER_GRAD.findall(block.latex):
        assert (int(r) == 1) if conv == "row" else (int(c) == 1), (block.title, what, r, c)
    for name, ref in block.refs.items():
        flipped = name.endswith("^T")          # printed explicitly transposed: (∂C/∂W)ᵀ, (∂C/∂b)ᵀ
        if ref.kind in GRADIENT_KINDS and ref.form in ("col", "row") and not flipped:
            assert ref.form == ("col" if conv == "column" else "row"), (block.title, name)
        if ref.kind in ("dW", "dW_data", "T") and not ref.index and ref.form != "norm":
            want = "" if (conv == "column") != flipped else "T"
            assert ref.form == want, (block.title, name, ref.form)


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    """run_cli in a fresh interpreter, headless (as `python -m gui` will run it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    code = f"from gui.cli.parse import run_cli; raise SystemExit(run_cli({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def diverge(session):
    """Make ``session`` diverge: a linear net on sine with η = 1000."""
    session.apply_config(dict(sizes=[1, 8, 1], activation="linear", output_activation="linear", loss="mse",
                              eta=1000.0, batch_size=16, dataset={"name": "sine"}))
    with np.errstate(all="ignore"):
        session.train_steps(50)
    assert session.divergence is not None


def torch_like(rng, sizes):
    """nn.Sequential(Linear, Tanh, Linear, Tanh, Linear, Sigmoid).state_dict() as float32 arrays."""
    d = {}
    for l, (n, m) in enumerate(zip(sizes[:-1], sizes[1:])):
        bound = 1 / np.sqrt(n)                                 # nn.Linear's default init range
        d[f"{2 * l}.weight"] = rng.uniform(-bound, bound, (m, n)).astype(np.float32)
        d[f"{2 * l}.bias"] = rng.uniform(-bound, bound, (m,)).astype(np.float32)
    return d


def screen_named(name: str):
    """The offscreen screen ``name`` ("1024x768", "1280x720", "1920x1080": tests/conftest.py makes them)."""
    import pytest
    from PySide6 import QtGui
    for s in QtGui.QGuiApplication.screens():
        if s.name() == name:
            return s
    pytest.skip(f"no offscreen screen {name} (conftest configures them)")


def window_on_screen(qtbot, screen_name: str, preset: str = "mazur"):
    """(window, session): the main window on ``preset``, started on that screen as on a first launch."""
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    from gui.theme import configure_pyqtgraph
    configure_pyqtgraph()
    session = Session(preset)
    session.settings.animate = False
    w = MainWindow(session)
    qtbot.addWidget(w)
    screen = screen_named(screen_name)
    w.setScreen(screen)
    w.move(screen.availableGeometry().topLeft())
    w.layouts.start(grow=True)
    w.show()
    qtbot.waitExposed(w)
    # framed: the window fills the screen once the window manager's frame is known (on_shown, 250 ms
    # after showing); a test that looked before that saw the size of the guessed frame, and after
    qtbot.waitUntil(lambda: not w.layouts._fill, timeout=5000)
    return w, session


@contextlib.contextmanager
def kept_window(request, screen_name: str, preset: str = "mazur"):
    """(window, session, bot): window_on_screen for a fixture of a wider scope than one test (a class
    or a module whose tests only look at the window, or reset what they change), so the window is
    built once for them: pytest-qt's own qtbot is per test.  Closed and deleted at the end, as qtbot
    does with the widgets it was given (pyqtgraph widgets left alive at exit can segfault).  It starts
    from empty settings and leaves none behind (closing saves the window's), as conftest's
    fresh_settings does for each test: a wider fixture is set up before and torn down after that."""
    from pytestqt.qtbot import QtBot

    from gui.shell import prefs
    prefs.settings().clear()
    bot = QtBot(request)
    window, session = window_on_screen(bot, screen_name, preset)
    try:
        yield window, session, bot
    finally:
        session.stop()
        window.close()
        window.deleteLater()
        prefs.settings().clear()


def shown_graph(qtbot, session, width: int, height: int):
    """A GraphView of ``session`` (animation off), shown at ``width`` × ``height`` and exposed."""
    from gui.widgets.graph.view import GraphView
    session.settings.animate = False
    graph = GraphView(session)
    qtbot.addWidget(graph)
    graph.resize(width, height)
    graph.show()
    qtbot.waitExposed(graph)
    return graph


def window_on_the_derivation(qtbot, session):
    """The main window (1280×720, not on a particular screen) with the companion keeping the
    derivation in front."""
    from gui.shell.main_window import MainWindow
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    session.settings.companion = "derivation"          # the companion keeps the derivation in front
    window.docks["derivation"].raise_()
    return window


def check_node_numbers(graph, where: str) -> int:
    """Every neuron of a column up to 10 wide whose value is known has its number drawn (and each Σ
    node of a split neuron), reading back as the value rounded to the View's significant figures
    (so a number with fewer figures is the exact value: "1", "0.5"), at least text_fit.READABLE_PT
    and at least the words' floor × zoom where the neurons' font is that large; returns how many."""
    from gui.numbers import sig_figs
    from gui.widgets.graph.text_fit import READABLE_PT
    sig, lay, values = sig_figs(), graph.graph_layout, graph.values
    floor = min(READABLE_PT * graph.scale, graph.value_font_.pointSizeF())
    drawn = {t.where: t for t in graph.texts if t.kind == "number"}
    checked = 0
    for k, n in enumerate(lay.sizes):
        for which, vals in (("nodes", values.nodes[k]), ("sums", values.sums[k] if lay.split else None)):
            if vals is None:
                continue
            for j in range(n):
                t = drawn.get((k, j, which))
                if t is None:
                    assert n > 10, f"{where}: neuron {j + 1} of column {k} ({n} wide, {which}) without its number"
                    continue
                value = float(vals[j])
                assert float(t.text.replace("−", "-")) == float(f"{value:.{sig - 1}e}"), \
                    f"{where}: {t.text!r} for {value!r} (not {sig} significant figures)"
                assert t.font.pointSizeF() >= max(READABLE_PT, floor) - 1e-9, (where, t.text, t.font.pointSizeF())
                checked += 1
    return checked


def prints_at(M, pt: float, cell_w: float, cell_h: float) -> bool:
    """Whether every number of ``M`` fits a ``cell_w`` × ``cell_h``-px cell at ``pt`` points, as
    painted (hinted), with the tight padding beside it, all in one form: on one line (all as the
    formatter writes them, or all in scientific notation; a line and CELL_LINE_MARGIN in the
    height), or on two (all in scientific notation, "-8.546" over "e-2")."""
    from PySide6 import QtGui
    from gui.numbers import format_number, format_scientific
    from gui.widgets.heatmap import CELL_LINE_MARGIN, CELL_PADDING_TIGHT
    font = QtGui.QFont()
    font.setPointSizeF(pt)
    metrics = QtGui.QFontMetrics(font)
    room = cell_w - CELL_PADDING_TIGHT

    def widest(texts) -> int:
        return max(metrics.horizontalAdvance(line) for t in texts for line in t.split("\n"))
    values = M.ravel().tolist()
    one = min(widest([format_number(v) for v in values]), widest([format_scientific(v) for v in values]))
    if metrics.height() + CELL_LINE_MARGIN <= cell_h and one <= room:
        return True
    two = widest([format_scientific(v).replace("e", "\ne") for v in values])
    return 2 * metrics.height() + CELL_LINE_MARGIN <= cell_h and two <= room


def wrapped_lines(text: str, font, width: int) -> list[str]:
    """The lines ``text`` wraps into at ``width`` px in ``font`` (a word-wrapped label's rule), each stripped."""
    from PySide6 import QtGui
    layout = QtGui.QTextLayout(text, font)
    option = QtGui.QTextOption()
    option.setWrapMode(QtGui.QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()].strip())
    layout.endLayout()
    return lines


def spellings_other_than_the_engines(text: str) -> list[str]:
    """A loss's short name written otherwise than engine.losses writes it ("½SSE", "½ SSE" for "½·SSE")."""
    from engine.losses import LOSSES
    return [other for loss in LOSSES.values() if "·" in loss.short_name
            for other in (loss.short_name.replace("·", ""), loss.short_name.replace("·", " ")) if other in text]


def axis_labels(axis) -> list[tuple[str, "QtCore.QRectF"]]:
    """The tick labels pyqtgraph draws on ``axis`` (it leaves out a label that does not fit the
    axis), each with its rectangle in the axis's coordinates."""
    from PySide6 import QtGui
    picture = QtGui.QPicture()
    painter = QtGui.QPainter(picture)
    painter.setFont(axis.style["tickFont"])
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(text, rect) for rect, _, text in specs[2]]
