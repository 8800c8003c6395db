"""A LaTeX equation as one line of plain Unicode text: what the derivation shows, italic and muted, for the
moment before its typeset picture arrives from the typesetting process (gui/mathview.py).

    δ¹₁ = (∑ₘ₌₁² δ²ₘ w²ₘ₁) σ′(z¹₁) = (0.1385·0.4 + (−0.0381)·0.5)·0.2413 = 0.008771
    W¹ ← W¹ − η g = [0.15 0.2; 0.25 0.3] − 0.5·[0.0004386 0.0008771; 0.0004977 0.0009954] = …

Written for the LaTeX the derivation builds (gui/derivation): sub- and superscripts become Unicode
sub- and superscript characters where every character has one (else ``_(…)`` / ``^(…)``), a fraction
``a/b`` (with parentheses around a compound part), a matrix ``[1 2; 3 4]``, ``\\underset`` its body,
sizing and spacing commands a space or nothing, symbols their Unicode character; an unknown command
keeps its name.  Pure Python, no Qt; never raises on any string.  Libraries tried: flatlatex leaves
environments and \\underset as raw commands, pylatexenc writes ``^1`` and drops \\tfrac's numbers.
"""
from __future__ import annotations

import re

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ϵ", "varepsilon": "ε",
    "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ", "Sigma": "Σ", "tau": "τ",
    "phi": "φ", "psi": "ψ", "omega": "ω", "ell": "ℓ", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏",
    "odot": " ⊙ ", "otimes": " ⊗ ", "cdot": "·", "times": "×", "leftarrow": " ← ", "rightarrow": " → ",
    "to": " → ", "approx": " ≈ ", "neq": " ≠ ", "leq": " ≤ ", "geq": " ≥ ", "le": " ≤ ", "ge": " ≥ ",
    "vdots": "⋮", "cdots": "⋯", "ldots": "…", "dots": "…", "infty": "∞", "in": " ∈ ", "pm": "±", "top": "ᵀ",
    "log": "log", "exp": "exp", "tr": "tr", "max": "max", "min": "min", "quad": "  ", "qquad": "    ",
    "lbrace": "{", "rbrace": "}", "{": "{", "}": "}", "%": "%", "&": "&", "_": "_", "#": "#",
    "|": "‖", "\\": "; ",
}
SPACING = {",", ";", ":", " ", "!", "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
           "displaystyle", "textstyle", "limits", "nolimits"}
WRAPPERS = {"mathsf", "mathrm", "mathbf", "mathit", "mathbb", "mathcal", "boldsymbol", "operatorname", "text",
            "textrm", "textit", "textbf", "mbox", "hat", "bar", "tilde", "vec", "overline"}
SUPERSCRIPT = dict(zip("0123456789+-−=()abcdefghijklmnoprstuvwxyzTℓ",
                       "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᵀˡ"))
SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)
_COMMAND = re.compile(r"\\[A-Za-z]+")


_WHOLE = str.maketrans({"/": "/\u2060", "′": "′\u2060"})


def unbroken(text: str) -> str:
    """``text`` with a word joiner after each slash and prime, so that a word-wrapped label breaks it
    at spaces only, never inside a symbol: "∂C/" over "∂a" (a derivation block's text at zoom +3),
    "(∂C/" over "∂W²)ᵀ" (the Predict title), "σ′" over "(z)"."""
    return text.translate(_WHOLE)


def text(latex: str) -> str:
    """``latex`` as one line of readable Unicode text (see the module's docstring)."""
    tokens = _TOKEN.findall(latex)
    tokens = [t for n, t in enumerate(tokens)           # a space after a command's name is no space
              if not (t.isspace() and n and _COMMAND.fullmatch(tokens[n - 1]))]
    out = _Reader(tokens).until(None)
    return re.sub(r" {2,}", lambda m: m.group() if len(m.group()) >= 4 else " ", out).strip()


class _Reader:
    def __init__(self, tokens: list[str]):
        self.tokens, self.at = tokens, 0

    def next(self) -> str | None:
        if self.at >= len(self.tokens):
            return None
        self.at += 1
        return self.tokens[self.at - 1]

    def until(self, end: str | None) -> str:
        """Text up to the token ``end`` (consumed), or to the end."""
        parts: list[str] = []
        while (tok := self.next()) is not None and tok != end:
            if end is None and tok == "}":
                continue                          # an unbalanced brace: dropped
            parts.append(self.item(tok))
        return "".join(parts)

    def argument(self) -> str:
        """The next {group}, or the next single token, as text."""
        tok = self.next()
        while tok is not None and tok.isspace():
            tok = self.next()
        if tok is None:
            return ""
        return self.until("}") if tok == "{" else self.item(tok)

    def item(self, tok: str) -> str:
        if tok == "{":
            return self.until("}")
        if tok.isspace():
            return " "
        if tok in ("^", "_"):
            return _script(self.argument(), SUPERSCRIPT if tok == "^" else SUBSCRIPT, tok)
        if tok == "'":
            return "′"
        if tok == "-":
            return "−"
        if tok == "&":
            return " "
        if tok in ("=", "+"):
            return f" {tok} "
        if not tok.startswith("\\"):
            return tok
        name = tok[1:]
        if name in SPACING:
            return " " if name in (",", ";", " ", ":") else ""
        if name in ("frac", "tfrac", "dfrac"):
            num, den = self.argument(), self.argument()
            return f"{_group(num)}/{_group(den)}"
        if name == "sqrt":
            return f"√{_group(self.argument())}"
        if name == "underset" or name == "overset":
            self.argument()                       # the note under (a shape): left out
            return self.argument()
        if name == "begin":
            self.argument()
            return self._matrix()
        if name == "end":
            self.argument()
            return ""
        if name in WRAPPERS:
            body = self.argument()
            return body + (" " if name == "operatorname" else "")
        return SYMBOLS.get(name, name)

    def _matrix(self) -> str:
        """The body of an environment up to its \\end{…}: rows "; ", cells " ", in brackets."""
        rows, cells, cur = [], [], []
        while (tok := self.next()) is not None:
            if tok == r"\end":
                self.argument()
                break
            if tok == "&" or tok == "\\\\":
                cells.append("".join(cur).strip())
                cur = []
                if tok == "\\\\":
                    rows.append(" ".join(cells))
                    cells = []
                continue
            cur.append(self.item(tok))
        cells.append("".join(cur).strip())
        rows.append(" ".join(c for c in cells))
        return "[" + "; ".join(r for r in rows if r) + "]"


def _script(body: str, table: dict, mark: str) -> str:
    """A sub- or superscript: its Unicode characters when every one has one, else ``_(…)``/``^(…)``."""
    body, tight = body.strip(), body.replace(" ", "")
    if tight and all(c in table for c in tight):
        return "".join(table[c] for c in tight)
    return f"{mark}{_group(body)}"


def _group(s: str) -> str:
    s = s.strip()
    return s if re.fullmatch(r"[\w.′∂δσηℓ]+", s) or (s.startswith("(") and s.endswith(")")) else f"({s})"
