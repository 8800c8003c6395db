"""A slide's note as a QTextDocument: plain text that wraps, with inline maths between $ signs typeset
by ziamath (the same typesetter as the derivation panel) and placed as pictures on the text's middle.

The document draws itself on any QPainter: the caption band on screen, a PDF page of the handout.
A piece of maths that cannot be typeset stays in the text as its source, so a note never fails.
"""
from __future__ import annotations

import functools
import html
import re

from PySide6 import QtCore, QtGui, QtSvg

from gui.mathview import typeset

_MATH = re.compile(r"\$([^$]+)\$")
MAX_LINES = 5.0           # maths taller than this many text lines is a typesetting failure: shown as source
OVERSAMPLE = 3.0          # maths pictures are drawn at 3× so they stay sharp on a projector and in a PDF
PUNCTUATION = ".,;:"      # a mark right after maths goes with it: a line never starts with one
RELATIONS = (r"\approx", r"\le", r"\leq", r"\ge", r"\geq")   # (and =) where maths too wide for its line may wrap


def split_note(note: str) -> list[tuple[str, str]]:
    """("text", s) and ("math", latex) pieces of a note, in order."""
    pieces, at = [], 0
    for m in _MATH.finditer(note):
        if m.start() > at:
            pieces.append(("text", note[at:m.start()]))
        pieces.append(("math", m.group(1)))
        at = m.end()
    if at < len(note):
        pieces.append(("text", note[at:]))
    return pieces


@functools.lru_cache(maxsize=512)
def math_image(latex: str, px: float, color: str) -> QtGui.QImage | None:
    """``latex`` typeset at ``px`` pixels in ``color``, as an image OVERSAMPLE times larger (device pixel
    ratio set so it lays out at its natural size); None when ziamath cannot typeset it."""
    try:
        renderer = QtSvg.QSvgRenderer(QtCore.QByteArray(typeset(latex, round(px, 2), color)))
    except Exception:   # noqa: BLE001 — a note never fails: the source stays as text
        return None
    if not renderer.isValid():
        return None
    size = renderer.defaultSize()
    if size.height() > MAX_LINES * px:   # ziamath stretches \left( \right) around a sum to ~100 lines
        return None
    image = QtGui.QImage(max(1, round(size.width() * OVERSAMPLE)), max(1, round(size.height() * OVERSAMPLE)),
                         QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(image)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    image.setDevicePixelRatio(OVERSAMPLE)
    return image


def split_at_relations(latex: str) -> list[str]:
    """``latex`` cut before each top-level relation (=, ≈, ≤, ≥; not inside braces or \\left…\\right),
    so that maths wider than its line wraps between the sides of an equation: "a = b + c = d" →
    ["a", "= b + c", "= d"]."""
    pieces, start, depth, k = [], 0, 0, 0
    while k < len(latex):
        ch = latex[k]
        if ch == "\\":
            word = re.match(r"\\([A-Za-z]+|.?)", latex[k:]).group(0)
            if word == r"\left":
                depth += 1
            elif word == r"\right":
                depth -= 1
            elif depth == 0 and word in RELATIONS and latex[start:k].strip():
                pieces.append(latex[start:k].strip())
                start = k
            k += len(word)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "=" and depth == 0 and latex[start:k].strip():
            pieces.append(latex[start:k].strip())
            start = k
        k += 1
    pieces.append(latex[start:].strip())
    return [p for p in pieces if p]


def note_document(note: str, font: QtGui.QFont, color: QtGui.QColor, width: float) -> QtGui.QTextDocument:
    """The note laid out ``width`` pixels wide in ``font`` and ``color`` (paragraphs at its newlines).
    A punctuation mark right after a piece of maths is typeset with it (a line never starts with
    it); maths wider than the line is cut at its relations (``split_at_relations``) so it wraps
    there, and a piece still wider is drawn smaller, to the line's width: never cut off."""
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    width = max(40.0, width)
    doc.setTextWidth(width)
    cursor = QtGui.QTextCursor(doc)
    text_format = QtGui.QTextCharFormat()
    text_format.setForeground(color)
    px = QtGui.QFontInfo(font).pixelSize() * 1.2      # ziamath's size: its maths then matches the text
    pieces, glued = split_note(note), False
    for n, (kind, value) in enumerate(pieces):
        if kind == "text":
            cursor.insertText(value[1:] if glued else value, text_format)   # its mark typeset with the maths
            glued = False
            continue
        after = pieces[n + 1][1][:1] if n + 1 < len(pieces) else ""
        glued = bool(after) and after in PUNCTUATION and math_image(f"{value}{{{after}}}", px, color.name()) is not None
        if glued:
            value = f"{value}{{{after}}}"      # braced: an ordinary mark, no relation's space before a colon
        image = math_image(value, px, color.name())
        if image is None:
            cursor.insertText(f"${value}$", text_format)
            continue
        parts = [value]
        if image.width() / OVERSAMPLE > width:
            parts = split_at_relations(value)
            if len(parts) > 1 and any(math_image(part, px, color.name()) is None for part in parts):
                parts = [value]
        for k, part in enumerate(parts):
            if k:
                cursor.insertText(" ", text_format)      # where the line may break (the relation's space)
            image = math_image(part, px, color.name())
            name = f"math:{n}:{k}:{hash((part, px, color.name()))}"
            doc.addResource(QtGui.QTextDocument.ResourceType.ImageResource, QtCore.QUrl(name), image)
            shrink = min(1.0, width / (image.width() / OVERSAMPLE))
            fmt = QtGui.QTextImageFormat()
            fmt.setName(name)
            fmt.setWidth(image.width() / OVERSAMPLE * shrink)
            fmt.setHeight(image.height() / OVERSAMPLE * shrink)
            fmt.setVerticalAlignment(QtGui.QTextCharFormat.VerticalAlignment.AlignMiddle)
            cursor.insertImage(fmt)
    return doc


def note_plain(note: str) -> str:
    """The note as plain text, maths in its LaTeX source (for tooltips, HTML alt text and searches)."""
    return "".join(v if k == "text" else f"${v}$" for k, v in split_note(note))


def note_html(note: str, svg_of) -> str:
    """The note as HTML for the handout folder: text escaped, maths as the inline SVG ``svg_of(latex)``."""
    out = []
    for kind, value in split_note(note):
        if kind == "text":
            out.append(html.escape(value).replace("\n", "<br>\n"))
        else:
            try:
                out.append(f'<span class="math" title="{html.escape(value)}">{svg_of(value)}</span>')
            except Exception:   # noqa: BLE001 — the source stays readable
                out.append(html.escape(f"${value}$"))
    return "".join(out)
