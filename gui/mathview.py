"""MathView: a LaTeX equation typeset by ziamath, drawn from cached pictures, never shrunk and never cut.

ziamath handles what matplotlib's mathtext cannot (bmatrix, \\underset); its SVG 1.1 output
(``ziamath.config.svg2 = False``: paths, no <symbol>/<use>) is what Qt's SVG Tiny renderer draws.

An equation is split at its top-level relations (=, ←, ≈) and \\quad/\\qquad separators into pieces
(``split_equation``), each typeset once per font size and colour into a pixmap at the screen's device
pixel ratio (``picture``, cached), so painting is a few pixmap blits.  In the interactive window
(``defer_typesetting``, turned on by gui.cli.launch) a view whose pieces are not drawn yet never
typesets on the GUI thread: it shows the equation as plain text (gui.plain_math), italic in a
muted colour (``set_colors``), at the panel's font size, asks the typesetting process for its pieces before anything asked ahead, and
swaps the picture in when they arrive; exports call ``finish_drawing`` and wait for the pictures.  Every equation keeps the one
font size of the panel: when the whole line is wider than the widget it wraps before a relation
("= …" continues on the next line, indented) and starts a new line at each \\qquad; a row vector of
numbers wider than the widget breaks between its entries, the next line starting under its first
entry, each line it goes on from ending with a comma (so that one entry a line does not read as a
column) (``row_entries``: its parts are typeset once too, so the breaking needs no typesetting when the
width changes); a piece after a relation or a sign that is wider than a line of its own breaks after
it, the relation ending the line ("∂C/∂W² =") and what follows it starting the next (``Picture.stacked``:
cut from the piece's picture, no typesetting); a line that is still wider than the widget (a matrix) scrolls sideways
on its own, with its own scroll bar right under it (``scroll_bars``), so the cut line shows at once
that it goes on; the lines around it stay put.  Vector outputs (an
SVG export) draw the SVG itself.  ``prepare`` typesets ahead of time (the panel's idle precompute).
If ziamath cannot parse a string the widget shows the source as plain text in the theme's error
colour (``set_colors``) instead of raising.
"""
from __future__ import annotations

import atexit
import collections
import functools
import json
import re
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
import shiboken6
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from gui import plain_math

BASE_SIZE = 24.0      # px of the math font at font_scale 1
PAD = 2               # px around the equation
INDENT = 1.0          # continuation lines ("= …") start this many font sizes in
GROUP_GAP = 2.0       # a \qquad between groups on one line, in font sizes
LINE_GAP = 0.25       # extra space between wrapped lines, in font sizes
_RELATIONS = ("=", r"\leftarrow", r"\approx")
_SIGNS = ("+", "-", r"\odot", r"\otimes", r"\cdot", r"\times")   # binary operators: a line may break before these
_BINARY = _SIGNS + (r"\,",)                                             # … and before a thin-space product
_SEPARATORS = (r"\qquad", r"\quad")
MAX_PICTURES = 4096
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|.", re.S)
_VIEWBOX = re.compile(rb'viewBox="([-\d.eE]+) ([-\d.eE]+) ([-\d.eE]+) ([-\d.eE]+)"')
_BMATRIX = re.compile(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", re.S)
_UNDERSET = re.compile(r"\\underset\{([^{}]*)\}\{\s*$")       # a shape label's opening, right before its row
_LEFT, _RIGHT = re.compile(r"\\left(?![A-Za-z])"), re.compile(r"\\right(?![A-Za-z])")
COMMA = "{,}"          # ends each line of a row of numbers that goes on on the next (not a column)
NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)(?:\\times 10\^\{(-?\d+)\})?")     # a number as gui.derivation.latex.num writes it


_ziamath = threading.Lock()     # ziamath is not known to be thread-safe: one typesetting at a time
_received: dict[tuple[str, float, str], bytes] = {}    # SVGs the typesetting process made, not used yet
_defer = False                  # views never typeset on the GUI thread: a stand-in until the process answers
WORKER = "gui.typeset_worker"   # the typesetting process's module (python -m)


START_DELAY_MS = 1000           # the typesetting process starts this long after defer_typesetting()


def defer_typesetting(on: bool = True) -> None:
    """In the interactive window: a MathView whose pieces are not drawn yet shows a greyed text
    stand-in and asks the typesetting process, instead of typesetting on the GUI thread; the process
    is started soon (START_DELAY_MS: after the window's first paint, ready before the derivation
    is first shown).  Off (the default: tests, the command line) a view typesets what it lacks at once."""
    global _defer
    _defer = bool(on)
    if _defer and QtCore.QCoreApplication.instance() is not None:
        QtCore.QTimer.singleShot(START_DELAY_MS, ahead.start)


@functools.lru_cache(maxsize=4096)
def typeset(source: str, size: float, color: str = "#000000") -> bytes:
    """The SVG of ``source`` at font ``size`` px in ``color`` (cached; raises on bad LaTeX): the one
    the typesetting process made ahead, else typeset here."""
    svg = _received.pop((source, size, color), None)
    if svg is not None:
        return svg
    from gui import typeset_worker       # ziamath (0.5 s to import), only where this thread typesets
    with _ziamath:
        return typeset_worker.svg(source, size, color)


def split_equation(latex: str) -> list[tuple[str, str]]:
    """``latex`` cut at its top level (outside braces, \\left…\\right and environments) into pieces
    (kind, source): "first" (the start of a group), "rel" (from a relation on: "= …"), "bin" (from a
    binary operator or a thin-space product on: "\\odot …", "+ …"), and after each \\quad or
    \\qquad a new "first" piece (the separator itself dropped).  A sign right after a relation or at
    the start is unary and stays."""
    pieces: list[tuple[str, str]] = []
    kind, cur, depth = "first", [], 0
    for tok in _TOKEN.findall(latex):
        if tok in ("{", "(", "[", r"\left", r"\begin"):
            depth += 1
        elif tok in ("}", ")", "]", r"\right", r"\end"):
            depth -= 1
        elif depth == 0 and (tok in _RELATIONS or tok in _SEPARATORS or tok in _BINARY):
            operand = "".join(cur if kind == "first" else cur[1:]).strip()
            if tok in _BINARY and not operand:
                cur.append(tok)           # a unary sign ("= -0.5"), or nothing to break after
                continue
            text = "".join(cur).strip()
            if text:
                pieces.append((kind, text))
            kind = "rel" if tok in _RELATIONS else "bin" if tok in _BINARY else "first"
            cur = [] if tok in _SEPARATORS else [tok]
            continue
        cur.append(tok)
    text = "".join(cur).strip()
    if text:
        pieces.append((kind, text))
    return pieces


@dataclass(frozen=True)
class Picture:
    """One typeset piece: its image (device pixels, with the device pixel ratio set), SVG, and size
    in logical pixels around the baseline (width, ascent above it, descent below it)."""
    image: QtGui.QImage
    svg: bytes
    width: float
    ascent: float
    descent: float

    @functools.cached_property
    def stacked(self) -> tuple[Picture, Picture] | None:
        """A relation piece ("= …") cut in two where the blank after its relation ends: (the relation,
        what follows it), both from this picture (no typesetting), so that a piece too wide for its
        view can end a line with "=" and go on under it; None where no blank column follows the
        relation's ink."""
        alpha = _ink(self.image).any(axis=(0, 2))          # the columns that hold ink
        ink = alpha.nonzero()[0]
        if not len(ink):
            return None
        gap = (~alpha[ink[0]:]).nonzero()[0]                 # the first blank column after the relation
        if not len(gap):
            return None
        end = ink[0] + gap[0]
        more = alpha[end:].nonzero()[0]
        if not len(more):
            return None
        return self._part(0, end), self._part(end + more[0], self.image.width())

    def _part(self, a: int, b: int) -> Picture:
        """The device-pixel columns ``a``…``b`` of this picture, only as high as their ink (the "="
        cut from "= [2×2 matrix]" kept the matrix's height: a tall gap under "∂C/∂W² ="); its SVG's
        view box narrowed to the same rectangle."""
        dpr, a, b = self.image.devicePixelRatio(), int(a), int(b)
        inked = _ink(self.image).any(axis=2)[:, a:b].any(axis=1).nonzero()[0]
        top, bottom = (int(inked[0]), int(inked[-1]) + 1) if len(inked) else (0, self.image.height())
        image = self.image.copy(a, top, b - a, bottom - top)
        image.setDevicePixelRatio(dpr)
        x0, y0, _, _ = (float(v) for v in _VIEWBOX.search(self.svg).groups())
        w, h = (b - a) / dpr, (bottom - top) / dpr
        svg = _VIEWBOX.sub(f'viewBox="{x0 + a / dpr:.3f} {y0 + top / dpr:.3f} {w:.3f} {h:.3f}"'.encode(), self.svg, count=1)
        svg = re.sub(rb'width="[-\d.eE]+" height="[-\d.eE]+"', f'width="{w:.3f}" height="{h:.3f}"'.encode(), svg, count=1)
        return Picture(image, svg, w, self.ascent - top / dpr, bottom / dpr - self.ascent)


def _ink(image: QtGui.QImage) -> np.ndarray:
    """Which pixels of ``image`` (ARGB32 premultiplied: a transparent pixel is all zeros) hold ink,
    as rows × columns × channels."""
    rows = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(image.height(), image.bytesPerLine())
    return rows[:, : 4 * image.width()].reshape(image.height(), image.width(), 4) > 0


_pictures: collections.OrderedDict = collections.OrderedDict()     # (source, size, colour, dpr) → Picture, LRU


def picture(source: str, size: float, color: str, dpr: float) -> Picture:
    """``source`` typeset at ``size`` px in ``color``, drawn once into an image for ``dpr`` (cached;
    raises on bad LaTeX).  GUI thread only."""
    key = (source, size, color, dpr)
    pic = _pictures.get(key)
    if pic is None:
        pic = _pictures[key] = _draw(source, size, color, dpr)
        while len(_pictures) > MAX_PICTURES:
            _pictures.popitem(last=False)
    else:
        _pictures.move_to_end(key)
    return pic


def _draw(source: str, size: float, color: str, dpr: float) -> Picture:
    svg = typeset(source, size, color)
    m = _VIEWBOX.search(svg)
    if m is None:
        raise ValueError("the typeset SVG has no viewBox")
    _, y0, w, h = (float(v) for v in m.groups())
    renderer = QtSvg.QSvgRenderer(QtCore.QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("Qt could not read the typeset SVG")
    image = QtGui.QImage(max(1, round(w * dpr + 0.5)), max(1, round(h * dpr + 0.5)),
                         QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(image)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QtCore.QRectF(0, 0, w * dpr, h * dpr))
    painter.end()
    image.setDevicePixelRatio(dpr)
    return Picture(image, svg, w, -y0, h + y0)


def _piece_source(kind: str, source: str) -> str:
    """A piece as typeset on its own: "{}= …" and "{}+ …" keep the spacing of a relation or a binary
    operator after its left operand."""
    return "{}" + source if kind in ("rel", "bin") else source


def _signed(kind: str, source: str) -> bool:
    """Whether a piece as typeset (``_piece_source``: "{}= …") starts with a relation or a binary
    operator's sign (not a thin-space product, whose first ink is its operand)."""
    return kind == "rel" or kind == "bin" and _TOKEN.match(source, 2).group() in _SIGNS


def row_entries(source: str) -> list[str] | None:
    """A piece that holds one row vector of numbers (a one-row bmatrix of two or more entries, as
    gui.derivation.latex.num writes them, maybe under a shape label, after an operator) cut to be
    typeset part by part, so that it can break between its entries: what comes before the row and
    "[", then each entry, the last with "]", the row's shape label under it and what comes after;
    None for any other piece.  A plain "[" is the bmatrix's bracket for a row of numbers (same
    height, same width); each entry is braced so that its sign stays unary."""
    found = list(_BMATRIX.finditer(source))
    if len(found) != 1:
        return None
    m = found[0]
    entries = [e.strip() for e in m.group(1).split("&")]
    if len(entries) < 2 or not all(NUMBER.fullmatch(e) for e in entries):
        return None
    before, after = source[:m.start()], source[m.end():]
    label = _UNDERSET.search(before)
    if label is not None:
        if not after.lstrip().startswith("}"):
            return None
        before, after = before[:label.start()], after.lstrip()[1:]
    if before.count("{") != before.count("}") or len(_LEFT.findall(before)) != len(_RIGHT.findall(before)):
        return None                  # the row sits inside some other construct
    last = f"{{{entries[-1]}}}]"
    if label is not None:
        last = rf"\underset{{{label.group(1)}}}{{{last}}}"
    return [before + "["] + [f"{{{e}}}" for e in entries[:-1]] + [last + after]


def pieces(latex: str) -> list[tuple[str, str, list[str] | None]]:
    """``latex``'s pieces as typeset: (kind, source, the sources of its row's entries or None)."""
    out = []
    for kind, source in split_equation(latex):
        source = _piece_source(kind, source)
        out.append((kind, source, row_entries(source)))
    return out


def _sources(latex: str) -> list[str]:
    """Every source typeset for ``latex``: each piece, and the entries of each row of numbers (and
    the comma that ends a line of a broken row)."""
    split = pieces(latex)
    rows = [COMMA] if any(entries for _, _, entries in split) else []
    return [s for _, source, entries in split for s in [source, *(entries or [])]] + rows


def prepare(latex: str, font_scale: float, color: str, dpr: float) -> None:
    """Typeset and draw every piece of ``latex`` into the caches now (errors are left for later)."""
    for source in _sources(latex):
        try:
            picture(source, round(BASE_SIZE * font_scale, 2), color, dpr)
        except Exception:   # noqa: BLE001 — the view shows the error when it is displayed
            return


class _Precompute:
    """Typesetting in the background.  Two queues: the pieces that views on screen wait for
    (``need``: they show a stand-in meanwhile), first, and typesetting ahead of time, newest request
    only (``ask`` drops what still waits).  ziamath runs in a process of its own
    (gui/typeset_worker.py, started with QProcess, a couple of pieces in flight); a GUI-thread
    timer draws each piece it returns into the picture cache, a few milliseconds a tick, and hands
    a view its picture when all its pieces are drawn.  Without that process (it would not start, or
    died) the timer typesets on the GUI thread too, a piece a tick.  No thread: a Python thread
    that allocates can run the garbage collector, which then destroys the GUI thread's Qt objects
    on the wrong thread (the whole test run died that way in ziamath's code on a typesetting
    thread)."""

    BUDGET_S = 0.008           # GUI time per tick (at least one piece)
    TICK_MS = 15
    IN_FLIGHT = 3              # pieces asked of the process at a time (a newer request drops the rest)

    def __init__(self):
        self._pending: collections.deque = collections.deque()     # (source, size, colour, dpr) not asked yet
        self._sent: collections.deque = collections.deque()        # asked of the process, in order
        self._ready: collections.deque = collections.deque()       # typeset by the process, to draw
        self._waiters: dict[int, MathView] = {}                    # views showing a stand-in, oldest first
        self.failed: set = set()          # pieces ziamath could not typeset (their views show the error)
        self._timer: QtCore.QTimer | None = None
        self._process: QtCore.QProcess | None = None
        self._buffer = b""
        self._broken = False       # the process would not start or died: typeset on the GUI thread

    def ask(self, latexes, font_scale: float, color: str, dpr: float) -> None:
        """Typeset ``latexes`` ahead (call from the GUI thread)."""
        size = round(BASE_SIZE * font_scale, 2)
        self._pending.clear()
        for latex in dict.fromkeys(latexes):
            for source in _sources(latex):
                key = (source, size, color, dpr)
                if key not in _pictures:
                    self._pending.append(key)
        self._kick()

    def need(self, view: MathView) -> None:
        """``view`` shows a stand-in until its pieces (``view.missing()``) are drawn: they are
        typeset before anything asked ahead, and ``view.pictures_ready()`` is called then."""
        self._waiters.pop(id(view), None)
        self._waiters[id(view)] = view
        self._kick()

    def forget(self, view: MathView) -> None:
        self._waiters.pop(id(view), None)

    def cancel(self) -> None:
        """Drop what waits to be typeset ahead (what views wait for stays)."""
        self._pending.clear()

    def wait(self, timeout: float = 10.0) -> bool:
        """Typeset and draw everything asked for now, on this thread (tests, benchmarks); False if
        time ran out."""
        self._pending.extendleft(reversed(self._ready + self._sent))     # answers still coming are only cached
        self._ready.clear()
        self._work(timeout, here=True)
        return not self._pending and not self._urgent()

    def _kick(self) -> None:
        if self._timer is None:
            self._timer = QtCore.QTimer()
            self._timer.setInterval(self.TICK_MS)
            self._timer.timeout.connect(self._on_timer_timeout)
        self._send()
        self._timer.start()

    def _urgent(self) -> list:
        """The pieces views wait for and nobody has made yet, in the views' order."""
        out = []
        for vid, view in list(self._waiters.items()):
            if not shiboken6.isValid(view):
                del self._waiters[vid]
            elif not view.isHidden():
                out += [key for key in view.missing() if key not in out]
        return out

    def _take(self, asked=()):
        """The next piece to make: one a view waits for, else the next asked ahead; None."""
        for key in self._urgent():
            if key not in asked and key[:3] not in _received:
                return key
        while self._pending:
            key = self._pending.popleft()
            if key not in _pictures and key[:3] not in _received and key not in asked:
                return key
        return None

    def _work(self, budget: float, here: bool = False) -> None:
        """Draw what the process typeset, else (without it, or ``here``) typeset on this thread, for
        ``budget`` seconds; then hand the views waiting for them their pictures."""
        end = time.perf_counter() + budget
        while True:
            if self._ready:
                key = self._ready.popleft()
            elif here or self._process is None:
                key = self._take()
            else:
                break
            if key is None:
                break
            try:
                picture(*key)
            except Exception:   # noqa: BLE001 — the view shows the error when it is displayed
                self.failed.add(key)
            if time.perf_counter() >= end:
                break
        self._notify()

    def _notify(self) -> None:
        for vid, view in list(self._waiters.items()):
            if not shiboken6.isValid(view):
                del self._waiters[vid]
            elif not view.missing():
                del self._waiters[vid]
                view.pictures_ready()

    def _on_timer_timeout(self) -> None:
        self._work(self.BUDGET_S)
        self._send()
        gui_work = self._ready or self._process is None and (self._pending or self._urgent())
        if not gui_work and self._timer is not None:
            self._timer.stop()              # what is in flight restarts it when it comes back

    # -- the typesetting process ---------------------------------------------------------------
    def start(self) -> None:
        """Start the typesetting process now (it takes a moment to load ziamath), so that the first
        request finds it ready: when the window is shown, or a panel that typesets is built."""
        self._start()

    def _start(self) -> bool:
        if self._process is None and not self._broken and QtCore.QCoreApplication.instance() is not None:
            proc = QtCore.QProcess()
            proc.setProcessChannelMode(QtCore.QProcess.ProcessChannelMode.ForwardedErrorChannel)
            proc.readyReadStandardOutput.connect(self._on_process_ready_read)
            proc.errorOccurred.connect(self._on_process_error_occurred)
            proc.finished.connect(self._on_process_error_occurred)        # it ended: it could not import, say
            proc.start(sys.executable, ["-m", WORKER])
            self._process = proc
        return self._process is not None

    def _send(self) -> None:
        """Keep IN_FLIGHT pieces asked of the process, what views wait for first (the rest wait, so
        a newer request drops them)."""
        while len(self._sent) < self.IN_FLIGHT and (self._pending or self._waiters) and self._start():
            key = self._take(self._sent)
            if key is None:
                break
            self._sent.append(key)
            self._process.write(json.dumps(list(key[:3])).encode("utf-8") + b"\n")

    def _on_process_ready_read(self) -> None:
        self._buffer += bytes(self._process.readAllStandardOutput())
        while self._sent:
            head, sep, rest = self._buffer.partition(b"\n")
            if not sep:
                break
            try:
                length = int(json.loads(head)[0])
            except (ValueError, TypeError, IndexError, KeyError):
                self._on_process_error_occurred(None)   # not our protocol: do without the process
                return
            if length >= 0 and len(rest) < length:
                break                                   # the rest of this SVG is still coming
            key = self._sent.popleft()
            self._buffer = rest[max(length, 0):]
            if length < 0:
                self.failed.add(key)     # ziamath failed: the view typesets it again and displays the error
            elif key not in _pictures:
                _received[key[:3]] = rest[:length]
                self._ready.append(key)
        self._send()
        if self._timer is not None and not self._timer.isActive():
            self._timer.start()

    def _on_process_error_occurred(self, *_args) -> None:
        """The process would not start or died: what it had not answered is typeset on the GUI thread."""
        self._broken = True
        proc, self._process = self._process, None
        if proc is not None:
            proc.errorOccurred.disconnect(self._on_process_error_occurred)
            proc.finished.disconnect(self._on_process_error_occurred)
            proc.readyReadStandardOutput.disconnect(self._on_process_ready_read)
            proc.kill()
            proc.waitForFinished(1000)
        self._pending.extendleft(reversed(self._sent))
        self._sent.clear()
        if proc is not None:
            proc.deleteLater()
        if self._timer is not None and (self._pending or self._waiters):
            self._timer.start()

    def stop(self) -> None:
        """At exit (before Qt's own clean-up): drop what waits, end the process, delete the timer
        while the application still exists."""
        self._pending.clear()
        self._sent.clear()
        self._ready.clear()
        self._waiters.clear()
        if self._process is not None:
            proc, self._process = self._process, None
            proc.errorOccurred.disconnect(self._on_process_error_occurred)
            proc.finished.disconnect(self._on_process_error_occurred)
            proc.readyReadStandardOutput.disconnect(self._on_process_ready_read)
            proc.closeWriteChannel()            # end of input ends it
            if not proc.waitForFinished(1000):
                proc.kill()
                proc.waitForFinished(1000)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


ahead = _Precompute()
atexit.register(ahead.stop)


def standing_in() -> int:
    """How many equations on screen show their stand-in now (the typesetting process's pictures not
    back yet): benchmarks/step_latency.py counts the keys that leave one."""
    return sum(1 for v in list(ahead._waiters.values()) if shiboken6.isValid(v) and v.isVisible())


def finish_drawing(root: QtWidgets.QWidget) -> int:
    """Every MathView in ``root`` (or ``root`` itself) that shows a stand-in typesets its equation
    now, on this thread (pictures, PDF and SVG exports get the typeset equations); how many did."""
    views = [v for v in list(ahead._waiters.values())
             if shiboken6.isValid(v) and (v is root or root.isAncestorOf(v))]
    for view in views:
        view.finish_drawing()
    return len(views)


@dataclass
class _Line:
    items: list          # (Picture, x) in logical px from the line's left
    ascent: float
    descent: float
    width: float


class MathView(QtWidgets.QWidget):
    """Shows one LaTeX equation at the panel's font size (``font_scale`` × BASE_SIZE px), wrapping
    before relations and scrolling sideways only where one piece is wider than the widget."""

    def __init__(self, latex: str = "", font_scale: float = 1.0, parent=None):
        super().__init__(parent)
        self._latex, self._scale = "", float(font_scale)
        self._pieces: list[tuple[str, Picture]] = []
        self._keys: list[tuple[str, tuple]] = []        # (kind, picture key) of each piece
        self._entries: dict[int, list[Picture]] = {}    # a row of numbers' entries, by its piece's index
        self._entry_keys: dict[int, list[tuple]] = {}   # … and their picture keys
        self._comma: Picture | None = None              # ends a line of a broken row (with any rows)
        self._comma_key: tuple | None = None
        self._standin: str | None = None                # the plain text shown while the pieces are made
        self._colors: tuple[str, str] | None = None     # (error, stand-in) from the owner's theme
        self._error: str | None = None
        self._dpr = 0.0
        self._layout_cache: tuple[int, list[_Line]] | None = None
        self.scroll_bars: list[QtWidgets.QScrollBar] = []    # one under each line wider than the widget, in order
        # Preferred, not Fixed: a Fixed height would be the one-line sizeHint, not heightForWidth
        policy = QtWidgets.QSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.set_latex(latex)

    # -- state ---------------------------------------------------------------------------------
    @property
    def latex(self) -> str:
        return self._latex

    @property
    def error(self) -> str | None:
        """The typesetting error of the current string, or None."""
        return self._error

    @property
    def font_size(self) -> float:
        return BASE_SIZE * self._scale

    @property
    def waiting(self) -> bool:
        """Showing the greyed plain-text stand-in while the typesetting process makes the pictures."""
        return self._standin is not None

    def missing(self) -> list[tuple]:
        """The picture keys of this equation's pieces (and its rows' entries) not drawn (nor typeset,
        nor failed) yet."""
        keys = [key for _, key in self._keys] + [key for keys in self._entry_keys.values() for key in keys]
        keys += [self._comma_key] if self._comma_key else []
        return [key for key in keys if key not in _pictures and key[:3] not in _received and key not in ahead.failed]

    def set_latex(self, latex: str) -> None:
        if latex != self._latex or not self._pieces and self._error is None:
            self._latex = latex
            self._render()

    def set_font_scale(self, scale: float) -> None:
        if scale != self._scale:
            self._scale = float(scale)
            self._render()

    def set_colors(self, error: str, standin: str) -> None:
        """The colours of the raw LaTeX shown when typesetting failed and of the stand-in: the
        owner's theme's, ≥ 4.5:1 on its panel (a fixed red was 2.6:1 on the dark panel, the text
        colour at half opacity 4.3:1).  Until set: the palette's BrightText and PlaceholderText."""
        if (error, standin) != self._colors:
            self._colors = (error, standin)
            self.update()

    def _color(self) -> str:
        return self.palette().color(QtGui.QPalette.ColorRole.WindowText).name()

    def _fallback_colors(self) -> tuple[QtGui.QColor, QtGui.QColor]:
        if self._colors is not None:
            return QtGui.QColor(self._colors[0]), QtGui.QColor(self._colors[1])
        pal = self.palette()
        return pal.color(QtGui.QPalette.ColorRole.BrightText), pal.color(QtGui.QPalette.ColorRole.PlaceholderText)

    def _render(self, wait: bool = False) -> None:
        """Lay out the current equation from its pictures; when some are missing and typesetting is
        deferred (unless ``wait``), the stand-in until they arrive (``pictures_ready``)."""
        self._pieces, self._entries, self._error, self._layout_cache, self._standin = [], {}, None, None, None
        self._comma = None
        self._dpr = self.devicePixelRatioF()
        size, color = round(self.font_size, 2), self._color()
        split = pieces(self._latex) if self._latex else []
        self._keys = [(kind, (source, size, color, self._dpr)) for kind, source, _ in split]
        self._entry_keys = {i: [(e, size, color, self._dpr) for e in entries]
                            for i, (_, _, entries) in enumerate(split) if entries}
        self._comma_key = (COMMA, size, color, self._dpr) if self._entry_keys else None
        if self._keys and _defer and not wait and self.missing():
            self._standin = plain_math.text(self._latex)
            ahead.need(self)
        else:
            ahead.forget(self)
            try:
                self._pieces = [(kind, picture(*key)) for kind, key in self._keys]
                self._entries = {i: [picture(*key) for key in keys] for i, keys in self._entry_keys.items()}
                self._comma = picture(*self._comma_key) if self._comma_key else None
            except Exception as e:   # noqa: BLE001 — any typesetting failure becomes red text
                self._pieces, self._entries, self._error = [], {}, f"{type(e).__name__}: {e}"
        self.setToolTip(self._error or ("Typesetting…" if self._standin is not None else ""))
        self.updateGeometry()
        self._place_scroll_bars()
        self.update()

    def pictures_ready(self) -> None:
        """All the pieces are drawn (the typesetting process answered): the picture replaces the stand-in."""
        if self._standin is not None:
            self._render()

    def finish_drawing(self) -> None:
        """Typeset what the stand-in stands for now, on this thread (exports, handouts)."""
        if self._standin is not None:
            self._render(wait=True)

    def showEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if self._standin is not None:
            ahead.need(self)             # hidden views are not typeset for: shown again, it is
        super().showEvent(event)

    # -- layout ------------------------------------------------------------------------------------
    def lines(self, width: float | None = None) -> list[_Line]:
        """The equation laid out for ``width`` logical px (None: on one line): a line breaks before
        a relation or an operator that would pass the width, each group (after a \\qquad) starts a
        line, a row of numbers wider than the whole width breaks between its entries (spaced as
        in the whole row), and another piece wider than the whole width breaks after its relation
        or sign; only what cannot break (a matrix) is left wider, to scroll."""
        room = float("inf") if width is None else width - 2 * PAD
        key = -1 if width is None else int(width)
        if self._layout_cache is not None and self._layout_cache[0] == key:
            return self._layout_cache[1]
        em = self.font_size
        lines: list[_Line] = []
        one_line = sum(p.width for _, p in self._pieces) + GROUP_GAP * em * sum(
            1 for i, (k, _) in enumerate(self._pieces) if k == "first" and i > 0) <= room
        cur = _Line([], 0.0, 0.0, 0.0)

        def place(pic: Picture, may_break: bool, gap: float = 0.0, indent: float = INDENT * em,
                  need: float = 0.0) -> None:
            """``pic`` after what the line holds, ``gap`` after it; else (``may_break``, and it or the
            ``need`` px that must follow it on its line do not fit) first on the next line, ``indent`` in."""
            nonlocal cur
            if may_break and cur.items and cur.width + gap + max(pic.width, need) > room:
                lines.append(cur)
                # continued, indented; less (down to none) where the indent would push a piece
                # that fits the width past it (it scrolled sideways at zoom +3 in a narrow dock)
                cur = _Line([], 0.0, 0.0, max(0.0, min(indent, room - max(pic.width, need))))
            elif cur.items:
                cur.width += gap
            cur.items.append((pic, cur.width))
            cur.width += pic.width
            cur.ascent, cur.descent = max(cur.ascent, pic.ascent), max(cur.descent, pic.descent)

        for i, (kind, pic) in enumerate(self._pieces):
            if kind == "first" and i > 0 and not one_line:
                lines.append(cur)
                cur = _Line([], 0.0, 0.0, 0.0)
            elif kind == "first" and i > 0:
                cur.width += GROUP_GAP * em
            parts = self._entries.get(i) if pic.width > room else None
            stacked = pic.stacked if parts is None and pic.width > room and _signed(kind, self._keys[i][1][0]) else None
            if stacked is not None:
                # too wide for a line of its own: its relation or sign ends the line ("W² ="), what
                # follows it starts the next, indented where it then fits, and scrolls only if still wider
                relation, rest = stacked
                place(relation, True)
                lines.append(cur)
                cur = _Line([], 0.0, 0.0, max(0.0, min(INDENT * em, room - rest.width)))
                place(rest, False)
                continue
            if parts is None:
                place(pic, kind != "first")
                continue
            # "… [" and the first entry on one line; the others spaced as the row's columns, each
            # line that goes on starting under the first entry (as NumPy prints a long row) where
            # that takes no more lines than starting further left, and ending with a comma: one
            # entry a line with the brackets at the ends read as a column (vanishing's slide 4)
            lead, first, *rest = parts
            gap = max(0.0, (pic.width - sum(p.width for p in parts)) / len(rest))
            comma = self._comma.width
            place(lead, kind != "first", need=lead.width + first.width + comma)
            align = cur.width
            place(first, False)
            indent = None
            for k, entry in enumerate(rest):
                more = comma if k < len(rest) - 1 else 0.0       # the comma, should the row break after it
                if indent is None and cur.width + gap + entry.width + more > room:
                    indent = self._row_indent(rest[k:], gap, comma, room, (align, INDENT * em, 0.0))
                held = len(lines)
                place(entry, True, gap, indent=INDENT * em if indent is None else indent, need=entry.width + more)
                if len(lines) > held:
                    last = lines[-1]
                    last.items.append((self._comma, last.width))
                    last.width += comma
        if self._pieces:
            lines.append(cur)
        self._layout_cache = (key, lines)
        return lines

    @staticmethod
    def _row_indent(entries: list[Picture], gap: float, comma: float, room: float, indents: tuple[float, ...]) -> float:
        """The first of ``indents`` (from the right) from which each of a row's ``entries``, ``gap``
        apart, each line but the last ending with a ``comma`` px wide, fits ``room`` px and they
        take the fewest lines: one indent for all the lines the row
        goes on with (a row after "∂C/∂b¹ = [" in a 302-px view at zoom +3, aligned under its
        first entry, took a line for each entry: it read as a column; wide entries each pulled in
        as far as it needed left a ragged edge)."""
        need = [e.width + comma for e in entries[:-1]] + [entries[-1].width]
        def cost(x0: float) -> tuple[bool, int]:
            lines, x = 1, x0
            for n, entry in enumerate(entries):
                if n and x + gap + need[n] > room:
                    lines, x = lines + 1, x0 + entry.width
                else:
                    x += (gap if n else 0.0) + entry.width
            return x0 + max(need) > room, lines
        least = min(cost(x) for x in indents)
        return next(x for x in indents if cost(x) == least)

    def _bar_height(self) -> int:
        """A sideways scroll bar's height in this widget's style."""
        return self.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def rows(self, width: float | None) -> list[tuple[_Line, float, int]]:
        """Each line laid out for ``width`` (None: one line) with its top and how many px it is wider
        than ``width`` (more than 0: it scrolls, its own scroll bar right under it, before the next)."""
        out, y = [], float(PAD)
        for line in self.lines(width):
            over = 0 if width is None else max(0, int(line.width + 2 * PAD + 0.999) - int(width))
            out.append((line, y, over))
            y += line.ascent + line.descent + (self._bar_height() if over else 0) + LINE_GAP * self.font_size
        return out

    def _content_size(self, width: float | None) -> QtCore.QSizeF:
        """The equation's size for ``width``: its widest line, and its lines' height with the scroll
        bars under the lines that are wider."""
        rows = self.rows(width)
        if not rows:
            return QtCore.QSizeF(0, 0)
        line, top, over = rows[-1]
        bottom = top + line.ascent + line.descent + (self._bar_height() if over else 0)
        return QtCore.QSizeF(max(l.width for l, _, _ in rows) + 2 * PAD, bottom + PAD)

    def _text_font(self, italic: bool = False) -> QtGui.QFont:
        f = QtGui.QFont(self.font())
        f.setPixelSize(max(8, int(self.font_size * 0.8)))
        f.setItalic(italic)              # the stand-in: italic in a muted colour, visibly not the typeset equation
        return f

    _WRAP = int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop) | int(QtCore.Qt.TextFlag.TextWordWrap)

    def _standin_rect(self, width: float | None) -> QtCore.QRect:
        """Where the stand-in's wrapped text goes for ``width`` (None: on one line)."""
        fm = QtGui.QFontMetrics(self._text_font(italic=True))
        room = 1 << 20 if width is None else max(int(width) - 2 * PAD, 1)
        r = fm.boundingRect(QtCore.QRect(0, 0, room, 1 << 20), self._WRAP, self._standin)
        return QtCore.QRect(PAD, PAD, r.width(), r.height())

    def sizeHint(self) -> QtCore.QSize:
        if self._pieces:
            s = self._content_size(None)
            return QtCore.QSize(int(s.width() + 0.999), int(s.height() + 0.999))
        if self._standin is not None:
            r = self._standin_rect(None)
            return QtCore.QSize(r.width() + 2 * PAD, r.height() + 2 * PAD)
        if self._latex:
            r = QtGui.QFontMetrics(self._text_font()).boundingRect(self._latex)
            return QtCore.QSize(r.width() + 8, r.height() + 8)
        return QtCore.QSize(0, 0)

    def minimumSizeHint(self) -> QtCore.QSize:
        """Narrow: what does not fit wraps, and a piece wider than the widget scrolls."""
        s = self.sizeHint()
        wraps = self._pieces or self._standin is not None
        return QtCore.QSize(min(s.width(), 4 * int(self.font_size)), 1 if wraps else s.height())

    def hasHeightForWidth(self) -> bool:
        return True

    def content_width(self, width: int) -> int:
        """How wide the equation is when laid out for ``width`` (more than ``width``: it scrolls)."""
        if self._standin is not None:
            return min(width, self.sizeHint().width())
        if not self._pieces:
            return self.sizeHint().width()
        return int(self._content_size(width).width() + 0.999)

    def heightForWidth(self, width: int) -> int:
        if self._standin is not None:
            return self._standin_rect(width).height() + 2 * PAD
        if not self._pieces:
            return self.sizeHint().height()
        return int(self._content_size(width).height() + 0.999)

    def resizeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        self._place_scroll_bars()
        super().resizeEvent(event)

    def _place_scroll_bars(self) -> None:
        """A scroll bar right under each line wider than the widget (kept, with its position, from
        the last layout where the lines are the same), none elsewhere."""
        wide = [(line, top, over) for line, top, over in (self.rows(self.width()) if self._pieces else []) if over]
        while len(self.scroll_bars) < len(wide):
            bar = QtWidgets.QScrollBar(QtCore.Qt.Orientation.Horizontal, self)
            bar.valueChanged.connect(self._on_scroll_bar_value_changed)
            self.scroll_bars.append(bar)
        for i, bar in enumerate(self.scroll_bars):
            if i >= len(wide):
                bar.setValue(0)
                bar.hide()
                continue
            line, top, over = wide[i]
            bar.setGeometry(0, int(top + line.ascent + line.descent + 0.999), self.width(), self._bar_height())
            bar.setRange(0, over)
            bar.setPageStep(max(self.width(), 1))
            bar.setSingleStep(max(int(self.font_size), 1))
            bar.show()

    def _on_scroll_bar_value_changed(self, _value: int) -> None:
        self.update()

    def wheelEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        """Sideways wheel (or Shift+wheel) over a wide line scrolls that line; the vertical wheel goes to the list."""
        d = event.angleDelta()
        dx = d.x() or (d.y() if event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier else 0)
        y = event.position().y()
        bars = iter(self.scroll_bars)
        for line, top, over in (self.rows(self.width()) if self._pieces and dx else []):
            bar = next(bars) if over else None
            if bar is not None and top <= y <= bar.geometry().bottom():
                bar.setValue(bar.value() - dx)
                event.accept()
                return
        event.ignore()

    # -- drawing -----------------------------------------------------------------------------------
    def paint_to(self, painter: QtGui.QPainter, width: float | None = None, scrolled: tuple[int, ...] = ()) -> None:
        """Draw the equation laid out for ``width`` (None: one line), each line wider than ``width``
        shifted left by its entry of ``scrolled`` (in order; none: not at all); vector painters (SVG,
        PDF, pictures) get the SVG, screens the cached pixmaps."""
        error, standin = self._fallback_colors()
        if self._standin is not None:
            painter.setPen(standin)
            painter.setFont(self._text_font(italic=True))
            rect = self._standin_rect(width)
            painter.drawText(rect, self._WRAP, self._standin)
            return
        if not self._pieces:
            if self._latex:
                painter.setPen(error)
                painter.setFont(self._text_font())
                painter.drawText(QtCore.QRect(QtCore.QPoint(0, 0), self.sizeHint()).adjusted(4, 4, -4, -4),
                                 QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter, self._latex)
            return
        engine = painter.paintEngine()
        vector = engine is not None and engine.type() in (QtGui.QPaintEngine.Type.SVG, QtGui.QPaintEngine.Type.Picture,
                                                          QtGui.QPaintEngine.Type.Pdf)
        shifts = iter(scrolled)
        for line, top, over in self.rows(width):
            x0 = next(shifts, 0) if over else 0
            base = top + line.ascent
            for pic, x in line.items:
                at = QtCore.QPointF(PAD + x - x0, base - pic.ascent)
                if vector:             # clipped: a piece cut from a wider one (``Picture.stacked``) draws its part only
                    rect = QtCore.QRectF(at, QtCore.QSizeF(pic.width, pic.ascent + pic.descent))
                    painter.save()
                    painter.setClipRect(rect, QtCore.Qt.ClipOperation.IntersectClip)
                    QtSvg.QSvgRenderer(QtCore.QByteArray(pic.svg)).render(painter, rect)
                    painter.restore()
                else:
                    painter.drawImage(at, pic.image)

    def paintEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if self._pieces and self.devicePixelRatioF() != self._dpr:
            self._render()                      # moved to a screen of another pixel ratio
        painter = QtGui.QPainter(self)
        self.paint_to(painter, self.width(), tuple(bar.value() for bar in self.scroll_bars if not bar.isHidden()))
        painter.end()

    def image(self) -> QtGui.QImage:
        """The equation on one line on a transparent QImage of sizeHint (for tests and exports)."""
        size = self.sizeHint().expandedTo(QtCore.QSize(1, 1))
        img = QtGui.QImage(size, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(img)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        self.paint_to(painter)
        painter.end()
        return img

    def changeEvent(self, event) -> None:   # noqa: N802 (Qt's name)
        if event.type() == QtCore.QEvent.Type.PaletteChange:
            self._render()
        super().changeEvent(event)
