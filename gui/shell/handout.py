"""Handouts of a lesson: one page per slide with the picture of the slide (vector, recorded once as a
drawn by the window straight into Qt's own PDF and SVG painters), the note, the micro-step's equations with
their numbers and shapes, and a table of the numbers the micro-step computes.  A Predict slide shows
the equation in symbols and blank cells; its numbers are in the answer key after the last slide.

``make_handout(lesson, make_window, pdf, html_dir, size, progress)`` walks the lesson on an offscreen window and
writes each slide's page as it goes (``PdfHandout``, ``HtmlHandout``); the PDF is written atomically,
the HTML folder must be new or empty.  ``progress(done, total)`` after each slide may return False to
cancel, and then nothing is left behind.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from engine.atomic import atomic_path
from engine.notation import sup
from gui.derivation import build_step
from gui.lessons.lesson_file import Lesson
from gui.lessons.note_text import note_document, note_html
from gui.lessons.player import LessonPlayer
from gui.mathview import typeset
from gui.numbers import format_number
from gui.shell.export import render_vector, save_svg, typeset_now

SIG_FIGS = 4                  # the handout's numbers, whatever the window's setting
QWIDGETSIZE_MAX = (1 << 24) - 1      # Qt's "no maximum size"
MAX_CELLS = 12                # rows and columns of a table before it is cut (the shape is still named)


class HandoutCancelled(Exception):
    """The user cancelled the handout; nothing was written."""


@dataclass
class Table:
    """One quantity of the micro-step: ``name`` (book notation), its values (2-D, rows × columns as
    the convention lays it out) and whether the table is cut to MAX_CELLS."""
    name: str
    values: np.ndarray
    shape: tuple[int, int]

    def cells(self, blank: bool = False) -> list[list[str]]:
        v = self.values[:MAX_CELLS, :MAX_CELLS]
        return [["" if blank else format_number(float(x), SIG_FIGS) for x in row] for row in v]

    @property
    def cut(self) -> bool:
        return self.shape[0] > MAX_CELLS or self.shape[1] > MAX_CELLS


@dataclass
class Page:
    """What a slide's page says besides its picture (kept for the answer key)."""
    index: int
    title: str
    note: str
    banner: str                               # the micro-step's equation in symbols (Unicode)
    equations: list[tuple[str, str]]          # (block title, LaTeX with numbers)
    tables: list[Table]
    predict: bool = False
    step_label: str = ""


# -- walking the lesson ---------------------------------------------------------------------------------
def step_tables(session, view) -> list[Table]:
    """The numbers ``view``'s micro-step computes, laid out in the session's convention: vectors as
    columns (column convention) or rows (row convention), ∂C/∂W like W (column) or Wᵀ (row)."""
    net = session.net
    step = view.step
    row = session.settings.convention == "row"
    l, k = step.l, step.book_layer

    def vec(name, v):
        v = np.asarray(v, dtype=float).reshape(-1)
        return Table(name, v[None, :] if row else v[:, None], (1, v.size) if row else (v.size, 1))

    def mat(name, M, transpose=False):
        M = np.asarray(M, dtype=float)
        M = M.T if transpose else M
        return Table(name, M, M.shape)

    s = sup(k)
    if step.quantity == "x":
        return [vec("x = a⁰", view.x), vec("y", view.y)]
    if step.quantity == "z":
        return [vec(f"z{s}", view.z[l])]
    if step.quantity == "a":
        return [vec(f"a{s}", view.a[k]), vec(f"σ′(z{s})", view.sigma_prime[l])]
    if step.quantity == "C":
        return [Table("C", np.array([[view.loss]]), (1, 1)), vec(f"∂C/∂a{sup(net.L)}", view.dC_da)]
    if step.quantity == "delta":
        return [vec(f"δ{s}", view.delta[l])]
    if step.quantity == "dW":
        return [mat(f"∂C/∂W{s}", view.dW[l], transpose=row)]
    if step.quantity == "db":
        return [vec(f"∂C/∂b{s}", view.db[l])]
    tables = []
    for m in range(net.L):
        t = sup(m + 1)
        tables += [mat(f"W{t} (new)", view.W[m]), vec(f"b{t} (new)", view.b[m])]
    return tables


def page_of(player, session) -> Page:
    """The page of the slide the player shows now.  A Predict slide asks for the micro-step its →
    reveals (its ``through``): its page pictures the question and leaves those numbers blank."""
    st = player.state
    predict = bool(st.view.get("predict", False))
    view = session.stepper.view(st.through - 1) if predict else session.view
    convention = session.settings.convention
    blocks = build_step(session.net, view, session.selection, convention)
    label = f"micro-step {view.step.index + 1} / {len(session.stepper.steps)}"
    return Page(index=player.index, title=st.title or view.step.title, note=st.note,
                banner=view.step.banner_in(convention), equations=[(b.title, b.latex) for b in blocks if b.latex],
                tables=step_tables(session, view), predict=predict,
                step_label=f"predict {label}" if predict else label)


def show_slide(player, window, n: int) -> None:
    """Slide ``n`` on an offscreen window, laid out and painted, ready to be pictured."""
    player.go_to(n)
    _entry_docks_hidden(window)
    graph = getattr(window, "graph", None)
    if graph is not None:       # the stage has the keyboard, as in command-line pictures: a field holding it
        graph.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)   # draws its frame otherwise (pictures varied)
    _settle(window)


def _entry_docks_hidden(window) -> None:
    """The Predict entry and the worksheet list are for typing at the screen: on paper the page's blank
    table is the entry (the entry's "?" placeholder, its buttons and tolerance were noise in the picture)."""
    docks = getattr(window, "docks", {})
    for name in ("predict", "worksheet"):
        if name in docks and not docks[name].isHidden():
            docks[name].hide()


def _settle(window) -> None:
    """Let the window lay out and paint the slide (the handout's window does not animate)."""
    for _ in range(3):
        QtWidgets.QApplication.processEvents()
    typeset_now(window)                  # equations still shown as their stand-ins: typeset now
    # widgets the window deleted later (the dock areas' spare tab bars) go before the picture: outside
    # an event loop nothing else deletes them, and they would be drawn at the window's corner
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


# -- PDF ------------------------------------------------------------------------------------------------
class _Flow:
    """Lays items down a PDF page top to bottom.  ``paged``: a new page starts when the next item does
    not fit (the answer key); otherwise a slide's page is measured first (``dry``, nothing drawn) and
    drawn scaled to fit its one page."""

    def __init__(self, writer: QtGui.QPdfWriter, painter: QtGui.QPainter):
        self.writer, self.painter = writer, painter
        layout = writer.pageLayout()
        self.rect = layout.paintRectPixels(writer.resolution())
        self.width = self.rect.width()
        self.y = 0.0
        self.dry, self.paged = False, True

    def px(self, points: float) -> float:
        return points * self.writer.resolution() / 72.0

    def need(self, height: float) -> None:
        if self.paged and not self.dry and self.y > 0 and self.y + height > self.rect.height():
            self.new_page()

    def one_page(self, lay) -> None:
        """``lay()`` (calls of this flow's items) measured, then drawn on one page, scaled down to fit."""
        self.dry, self.paged, self.y = True, False, 0.0
        lay()
        total = self.y
        scale = min(1.0, self.rect.height() / max(total, 1.0))
        self.dry, self.y = False, 0.0
        self.painter.save()
        self.painter.translate(self.width * (1 - scale) / 2, 0)
        self.painter.scale(scale, scale)
        lay()
        self.painter.restore()
        self.paged = True

    def new_page(self) -> None:
        self.writer.newPage()
        self.y = 0.0

    def text(self, text: str, points: float, bold: bool = False, color: str = "#111111") -> None:
        font = QtGui.QFont("DejaVu Sans")
        font.setPixelSize(max(1, round(self.px(points))))
        font.setBold(bold)
        doc = QtGui.QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        doc.setTextWidth(self.width)
        cursor = QtGui.QTextCursor(doc)
        fmt = QtGui.QTextCharFormat()
        fmt.setForeground(QtGui.QColor(color))
        cursor.insertText(text, fmt)
        self.document(doc)

    def document(self, doc: QtGui.QTextDocument) -> None:
        h = doc.size().height()
        self.need(h)
        if self.dry:
            self.y += h + self.px(4)
            return
        self.painter.save()
        self.painter.translate(0, self.y)
        doc.drawContents(self.painter)
        self.painter.restore()
        self.y += h + self.px(4)

    def widget(self, widget: QtWidgets.QWidget) -> None:
        """``widget`` drawn as vectors (text, lines, paths; images as images), scaled to the width."""
        size = widget.size()
        scale = self.width / max(1, size.width())
        h = size.height() * scale
        self.need(h)
        if self.dry:
            self.y += h + self.px(8)
            return
        self.painter.save()
        self.painter.translate(0, self.y)
        self.painter.scale(scale, scale)
        self.painter.setClipRect(QtCore.QRectF(0, 0, size.width(), size.height()))   # nothing spills onto the page
        render_vector(widget, self.painter)
        self.painter.restore()
        self.painter.setPen(QtGui.QPen(QtGui.QColor("#9ca3af"), self.px(0.5)))
        self.painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        self.painter.drawRect(QtCore.QRectF(0, self.y, self.width, h))
        self.y += h + self.px(8)

    def equation(self, latex: str, points: float) -> None:
        try:
            renderer = QtSvg.QSvgRenderer(QtCore.QByteArray(typeset(latex, self.px(points), "#111111")))
        except Exception:   # noqa: BLE001 — an equation ziamath cannot set stays readable as its source
            self.text(latex, points * 0.8)
            return
        size = QtCore.QSizeF(renderer.defaultSize())
        scale = min(1.0, self.width / max(1.0, size.width()))
        h = size.height() * scale
        self.need(h)
        if not self.dry:
            renderer.render(self.painter, QtCore.QRectF(0, self.y, size.width() * scale, h))
        self.y += h + self.px(6)

    def table(self, table: Table, blank: bool, points: float = 9.5) -> None:
        cells = table.cells(blank)
        font = QtGui.QFont("DejaVu Sans Mono")
        font.setPixelSize(max(1, round(self.px(points))))
        metrics = QtGui.QFontMetricsF(font)
        cell_w = max(metrics.horizontalAdvance("−0.0000000"), max(
            (metrics.horizontalAdvance(c) for r in cells for c in r), default=0)) + self.px(8)
        cell_h = metrics.height() + self.px(5)
        label = f"{table.name}   ({table.shape[0]}×{table.shape[1]}" + (", first 12 shown)" if table.cut else ")")
        self.text(label, points, bold=True)
        rows, cols = len(cells), len(cells[0]) if cells else 0
        cols_fit = max(1, int((self.width - cell_w) // cell_w))
        head_w = metrics.horizontalAdvance("j = 00") + self.px(8)
        for start in range(0, cols, cols_fit):
            chunk = range(start, min(cols, start + cols_fit))
            self.need(cell_h * (rows + 1))
            if self.dry:
                self.y += cell_h * (rows + 1) + self.px(6)
                continue
            p = self.painter
            p.save()
            p.setFont(font)
            p.setPen(QtGui.QPen(QtGui.QColor("#6b7280"), self.px(0.4)))
            y0 = self.y
            for c_i, c in enumerate(chunk):     # column headers (book indices, from 1)
                p.drawText(QtCore.QRectF(head_w + c_i * cell_w, y0, cell_w, cell_h),
                           QtCore.Qt.AlignmentFlag.AlignCenter, f"k = {c + 1}" if cols > 1 else "")
            for r in range(rows):
                y = y0 + (r + 1) * cell_h
                p.setPen(QtGui.QColor("#6b7280"))
                p.drawText(QtCore.QRectF(0, y, head_w, cell_h), QtCore.Qt.AlignmentFlag.AlignCenter,
                           f"j = {r + 1}" if rows > 1 else "")
                for c_i, c in enumerate(chunk):
                    box = QtCore.QRectF(head_w + c_i * cell_w, y, cell_w, cell_h)
                    p.setPen(QtGui.QPen(QtGui.QColor("#9ca3af"), self.px(0.4)))
                    p.drawRect(box)
                    p.setPen(QtGui.QColor("#111111"))
                    p.drawText(box.adjusted(self.px(3), 0, -self.px(3), 0),
                               QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter, cells[r][c])
            p.restore()
            self.y += cell_h * (rows + 1) + self.px(6)


def _screen_dpi() -> int:
    screen = QtGui.QGuiApplication.primaryScreen()
    return round(screen.logicalDotsPerInch()) if screen is not None else 96


class PdfHandout:
    """The PDF, written page by page as the lesson is walked (A4 portrait), then moved into place."""

    def __init__(self, path, title: str):
        self.path = Path(path)
        self._target = atomic_path(self.path)
        tmp = self._target.__enter__()
        self.writer = QtGui.QPdfWriter(str(tmp))
        # the screen's resolution: the window is laid out for it, and its text drawn at any other
        # resolution would be scaled against its boxes (the painter's transform scales everything else)
        self.writer.setResolution(_screen_dpi())
        self.writer.setPageLayout(QtGui.QPageLayout(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4),
                                                    QtGui.QPageLayout.Orientation.Portrait,
                                                    QtCore.QMarginsF(15, 15, 15, 15), QtGui.QPageLayout.Unit.Millimeter))
        self.writer.setTitle(title)
        self.writer.setCreator("Backprop Lens")
        self.painter = QtGui.QPainter()
        if not self.painter.begin(self.writer):
            self.abort()
            raise OSError(f"could not start writing {self.path.name}")
        self.flow = _Flow(self.writer, self.painter)
        self.title = title
        self.pages = 0

    def add(self, page: Page, count: int, window) -> None:
        """The slide's page: always exactly one page, its content scaled down if it is long."""
        if self.pages:
            self.flow.new_page()
        self.pages += 1
        self.flow.one_page(lambda: self._slide(page, count, window))

    def _slide(self, page: Page, count: int, window) -> None:
        flow = self.flow
        flow.text(f"{self.title}  ·  slide {page.index + 1} of {count}  ·  {page.step_label}", 8, color="#6b7280")
        flow.text(page.title + ("   (Predict: work it out before the reveal)" if page.predict else ""), 15, bold=True)
        flow.widget(window)
        if page.note:
            font = QtGui.QFont("DejaVu Sans")
            font.setPixelSize(round(flow.px(11)))
            flow.document(note_document(page.note, font, QtGui.QColor("#111111"), flow.width))
        flow.text("The step", 10.5, bold=True)
        flow.text(page.banner, 10.5)
        if not page.predict:
            self._equations(page)
        flow.text("The numbers (4 significant figures; j is the row, k the column, from 1)", 10.5, bold=True)
        for table in page.tables:
            flow.table(table, blank=page.predict)

    def _equations(self, page: Page) -> None:
        for title, latex in page.equations:
            if title:
                self.flow.text(title, 9, color="#374151")
            self.flow.equation(latex, 11)

    def finish(self, pages: list[Page]) -> int:
        """The answer key after the last slide; the file moves into place.  Returns the page count."""
        quiz = [p for p in pages if p.predict]
        if quiz:
            self.flow.new_page()
            self.pages += 1
            self.flow.text("Answer key", 16, bold=True)
            for page in quiz:
                self.flow.text(f"Slide {page.index + 1}: {page.title}", 12, bold=True)
                self._equations(page)
                for table in page.tables:
                    self.flow.table(table, blank=False)
        self.painter.end()
        self._target.__exit__(None, None, None)
        return self.pages

    def abort(self) -> None:
        """Nothing is written: the temporary file goes, a file already at the path stays as it was."""
        if self.painter.isActive():
            self.painter.end()
        self._target.__exit__(HandoutCancelled, HandoutCancelled(), None)


# -- HTML -----------------------------------------------------------------------------------------------
def _table_html(table: Table, blank: bool) -> str:
    cells = table.cells(blank)
    head = "".join(f"<th>k = {c + 1}</th>" for c in range(len(cells[0]))) if len(cells[0]) > 1 else "<th></th>"
    rows = "".join(f"<tr><th>{f'j = {r + 1}' if len(cells) > 1 else ''}</th>"
                   + "".join(f"<td>{html.escape(v) or '&nbsp;'}</td>" for v in row) + "</tr>"
                   for r, row in enumerate(cells))
    cut = ", first 12 shown" if table.cut else ""
    return (f"<table><caption>{html.escape(table.name)} ({table.shape[0]}×{table.shape[1]}{cut})</caption>"
            f"<tr><th></th>{head}</tr>{rows}</table>")


_CSS = """body{font-family:'DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;color:#111;line-height:1.45}
section{border-top:2px solid #1f3a5f;margin-top:2.5em;padding-top:1em}img{width:100%;border:1px solid #9ca3af}
.math svg{vertical-align:middle}table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #9ca3af;
padding:.2em .6em;font-family:'DejaVu Sans Mono',monospace;text-align:right}th{color:#6b7280;font-weight:normal}
caption{text-align:left;font-weight:bold}.step{color:#6b7280}.eq{margin:.4em 0}"""


def _svg_of(latex: str) -> str:
    return typeset(latex, 20.0, "#111111").decode("utf-8")


class HtmlHandout:
    """The handout as a folder: a slide-NN.svg picture per slide, then index.html with one section per
    slide and the answer key.  The folder must be new or empty: nothing of the user's is overwritten."""

    def __init__(self, directory, title: str, description: str):
        self.directory = Path(directory)
        if self.directory.exists() and (not self.directory.is_dir() or any(self.directory.iterdir())):
            raise FileExistsError(f"{self.directory} is not an empty folder; choose a new one (nothing was overwritten)")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.title, self.description = title, description
        self.sections: list[str] = []
        self.written: list[Path] = []

    def add(self, page: Page, count: int, window) -> None:
        name = f"slide-{page.index + 1:02d}.svg"
        save_svg(window, self.directory / name, page.title)
        self.written.append(self.directory / name)
        quiz = " (Predict: work it out before the reveal)" if page.predict else ""
        parts = [f"<section id='slide-{page.index + 1}'><p class='step'>Slide {page.index + 1} of {count} · "
                 f"{html.escape(page.step_label)}</p><h2>{html.escape(page.title)}{quiz}</h2>"
                 f"<img src='{name}' alt='{html.escape(page.title)}'><p>{note_html(page.note, _svg_of)}</p>"
                 f"<h3>The step</h3><p>{html.escape(page.banner)}</p>"]
        if not page.predict:
            parts += self._equations(page)
        parts.append("<h3>The numbers</h3>" + "".join(_table_html(t, page.predict) for t in page.tables) + "</section>")
        self.sections.append("".join(parts))

    @staticmethod
    def _equations(page: Page) -> list[str]:
        return [f"<div class='eq'><p class='step'>{html.escape(t)}</p>{_svg_of(latex)}</div>" for t, latex in page.equations]

    def finish(self, pages: list[Page]) -> Path:
        parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                 f"<style>{_CSS}</style></head><body><h1>{html.escape(self.title)}</h1>"
                 f"<p>{html.escape(self.description)}</p>", *self.sections]
        quiz = [p for p in pages if p.predict]
        if quiz:
            parts.append("<section id='answers'><h2>Answer key</h2>")
            for page in quiz:
                parts.append(f"<h3>Slide {page.index + 1}: {html.escape(page.title)}</h3>")
                parts += self._equations(page)
                parts += [_table_html(t, False) for t in page.tables]
            parts.append("</section>")
        parts.append("</body></html>")
        index = self.directory / "index.html"
        with atomic_path(index) as tmp:
            tmp.write_text("\n".join(parts), encoding="utf-8")
        return index

    def abort(self) -> None:
        """Remove the pictures this handout wrote (never anything else), and the folder if now empty."""
        for path in self.written:
            path.unlink(missing_ok=True)
        try:
            self.directory.rmdir()
        except OSError:
            pass


# -- one call for the command line and the window ---------------------------------------------------------
def offscreen_window(make_window, size=(1280, 720)):
    """(session, window) for rendering a lesson without showing it: ``make_window(session, store=…)`` (the
    main window's class) laid out at ``size``, with preferences of its own: the pictures depend on the
    lesson alone (not on the user's theme or dock arrangement), and closing it writes nothing back (it
    had left the last slide's layout, pace and window size to the user's next start)."""
    from gui.session import Session
    from gui.shell.prefs import scratch_blank
    from gui.theme import configure_pyqtgraph
    configure_pyqtgraph()
    session = Session("mazur")
    session.settings.animate = False            # each slide is drawn at once, as it ends
    window = make_window(session, store=scratch_blank())
    if QtWidgets.QApplication.platformName() != "offscreen":
        window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen)
    screen = room_for(size)
    if screen is not None:                      # the window keeps inside its screen: one with room
        window.setScreen(screen)
        window.move(screen.availableGeometry().topLeft())
    window.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)     # not the first screen's bound
    window.resize(*size)
    window.show()                               # (a first show fills the screen, as a first launch does)
    if window.size() != QtCore.QSize(*size):
        window.resize(*size)
        layouts = getattr(window, "layouts", None)
        if layouts is not None:
            layouts.apply()                     # the layout's proportions of the picture's size
    return session, window


def room_for(size) -> QtGui.QScreen | None:
    """The screen whose free area holds a ``size`` window (the primary one if it does, else the
    smallest that does); None when none does (the picture is then the screen's size at most)."""
    screens = QtGui.QGuiApplication.screens()
    fits = [s for s in screens if s.availableGeometry().width() >= size[0] and s.availableGeometry().height() >= size[1]]
    primary = QtGui.QGuiApplication.primaryScreen()
    if primary in fits:
        return primary
    return min(fits, key=lambda s: s.availableGeometry().width() * s.availableGeometry().height(), default=None)


def make_handout(lesson: Lesson, make_window, pdf=None, html_dir=None, size=(1280, 720), progress=None) -> list[Page]:
    """Walk ``lesson`` on an offscreen window (``make_window(session)``, the main window's class),
    writing the PDF and/or the HTML folder page by page.  ``progress(done, total)`` after each slide may
    return False to cancel: then nothing is left behind.  Returns the pages (the slides' texts and numbers)."""
    session, window = offscreen_window(make_window, size)
    outputs = []
    try:
        player = LessonPlayer(session, lesson)
        player.start()
        if pdf is not None:
            outputs.append(PdfHandout(pdf, lesson.title))
        if html_dir is not None:
            outputs.append(HtmlHandout(html_dir, lesson.title, lesson.description))
        pages = []
        for n in range(player.count):
            show_slide(player, window, n)
            pages.append(page_of(player, session))
            for out in outputs:
                out.add(pages[-1], player.count, window)
            if progress is not None and progress(n + 1, player.count) is False:
                raise HandoutCancelled()
        for out in outputs:
            out.finish(pages)
        outputs.clear()
        return pages
    finally:
        for out in outputs:
            out.abort()
        session.stop()
        window.close()
        window.deleteLater()
