"""The lesson file (``.bplesson``): a title, the run a lecture starts from, and an ordered list of slides,
in TOML.

A lesson is read with ``tomllib`` (data only: nothing in the file is ever executed), within a size
budget, and every key is declared once below with what it allows.  Unknown keys and bad values are
refused with the file's line and the key named (``LessonError``).  A slide may set any declared view
setting by its name (``convention``, ``sig_figs``, ``layout``, ...); those are checked by the view
settings' own declaration, so the lesson format never keeps a second list of them.

Indices in a lesson are the book's, as the window shows them: ``example`` 1 is the first training
example, ``micro_step`` 1 is the input step (as the banner counts "micro-step k / n"), a neuron of
layer l (0 = the input a⁰) is j = 1..N_l, and an edge w^l_jk of W^l runs into neuron j from neuron k.

A slide's unset fields keep the previous slide's values (``resolve`` gives each slide's full state),
so a lecturer writes only what changes; a recorded slide writes every field.

    title = "Mazur's worked example"
    [run]
    preset = "mazur"               # or session = "lecture.bplens" (beside the lesson), or config = {...}
    [[slide]]
    micro_step = 2
    select = { kind = "neuron", layer = 1, j = 1 }
    layout = "lecture"
    note = "The weighted input of h1: $z^1_1 = w_{11} x_1 + w_{12} x_2 + b_1$."
"""
from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from engine.atomic import atomic_path
from engine.notation import weight_name
from engine.presets import PRESETS
from engine.trainer import MAX_TRAIN_STEPS
from gui.view_settings import ViewSettings

SUFFIX = ".bplesson"
MAX_BYTES = 1 << 20                  # a lesson is text: a megabyte is hundreds of slides
MAX_SLIDES = 500
MAX_NOTE_CHARS = 2_000
MAX_TITLE_CHARS = 200
SELECTION_KINDS = ("neuron", "edge", "layer", "none")

TOP_KEYS = {"title": "the lesson's title (text)", "description": "a line on what it teaches (text)",
            "run": "the table [run]", "slide": "the slides, each a [[slide]] table"}
RUN_KEYS = {"preset": "a preset name", "session": "a session file beside the lesson",
            "config": "an inline run configuration"}
SLIDE_KEYS = {"title": "a short heading (text)",
              "example": "the training example, from 1",
              "micro_step": "the micro-step, from 1 (the input), as the banner counts",
              "through": "the last micro-step → walks to before the next slide",
              "select": "{ kind = neuron|edge|layer|none, layer, j, k } in the book's indices",
              "train_steps": "training steps taken before this slide",
              "at_step": "the run after exactly this many training steps (instead of train_steps)",
              "preset": "from this slide on, the lesson shows this preset's run instead",
              "compare": "{ setting = value }: a second run with one setting changed beside the first; \"none\" ends it",
              "note": "the caption: a few lines, inline maths between $ signs",
              "derivation_block": "the derivation block this slide talks about, scrolled into view: its title or "
                                  "the start of it (\"The loss written in z\"); this slide only"}
COMPARE_KEYS = ("activation", "output_activation", "loss", "optimizer", "eta", "batch_size", "seed")


class LessonError(ValueError):
    """A lesson refused: ``line`` (1-based, 0 when unknown) and ``key`` name where."""

    def __init__(self, message: str, line: int = 0, key: str = ""):
        self.line, self.key, self.reason = line, key, message
        where = ", ".join(p for p in (f"line {line}" if line else "", f"key {key!r}" if key else "") if p)
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class SlideSelection:
    """What a slide selects, in the book's indices: a neuron j of layer ``layer`` (0 = input), an edge
    w^layer_jk of W^layer, or a whole layer W^layer."""
    kind: str
    layer: int = 0
    j: int = 0
    k: int = 0

    def to_toml(self) -> dict:
        d = {"kind": self.kind}
        if self.kind != "none":
            d["layer"] = self.layer
        if self.kind in ("neuron", "edge"):
            d["j"] = self.j
        if self.kind == "edge":
            d["k"] = self.k
        return d


@dataclass
class Slide:
    """One slide as written in the file: None (and an empty ``view``) means "as the slide before"."""
    title: str | None = None
    example: int | None = None
    micro_step: int | None = None
    through: int | None = None
    select: SlideSelection | None = None
    train_steps: int = 0
    at_step: int | None = None          # absolute: the run after this many updates (recorded slides)
    preset: str | None = None           # from here on, this preset's run instead of the lesson's
    compare: dict | None = None         # {setting: value}: a comparison run; {} ends it
    note: str | None = None
    derivation_block: str | None = None  # the start of a derivation block's title, scrolled into view
    view: dict = field(default_factory=dict)
    line: int = 0                       # where the slide's [[slide]] header is (for messages)
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)   # key → its line


@dataclass(frozen=True)
class SlideState:
    """A slide's whole state after inheriting from the slides before: what the window shows."""
    index: int                          # 0-based position in the lesson
    title: str
    example: int                        # 1-based
    micro_step: int                     # 1-based
    through: int                        # 1-based, ≥ micro_step
    select: SlideSelection
    trained: int                        # training steps taken before this slide, all slides so far
    train_steps: int                    # of which this slide's own
    preset: str | None                  # the run shown: this preset's, or (None) the lesson's own
    compare: dict                       # the comparison run's one changed setting ({}: none)
    note: str
    view: dict
    line: int
    derivation_block: str = ""          # not inherited: "" scrolls nothing
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class RunSource:
    """Where the lecture starts: exactly one of a preset name, a session file, an inline config."""
    preset: str | None = None
    session: Path | None = None
    config: dict | None = None
    session_text: str | None = None     # the session path as written in the file

    def describe(self) -> str:
        if self.preset:
            return f"preset {self.preset}"
        if self.session:
            return f"session {self.session_text}"
        return "the network written in the lesson"


@dataclass
class Lesson:
    title: str
    run: RunSource
    slides: list[Slide]
    description: str = ""
    path: Path | None = None

    def states(self) -> list[SlideState]:
        return resolve(self.slides)


# -- reading ------------------------------------------------------------------------------------
def read_lesson(path) -> Lesson:
    """The lesson in ``path``; LessonError (a ValueError) naming the line and key of what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise LessonError(f"{path} is not a regular file" if path.exists() else f"{path} does not exist")
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LessonError(f"the file is over {MAX_BYTES:,} bytes; a lesson is a short text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise LessonError(f"the file is not UTF-8 text (byte {e.start})", _line_of_offset(data, e.start)) from None
    return parse_lesson(text, base=path.parent, path=path)


def parse_lesson(text: str, base: Path | None = None, path: Path | None = None) -> Lesson:
    """A lesson from TOML text; ``base`` is the folder a session file is looked up in."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        raise LessonError(f"not valid TOML: {e}", int(m.group(1)) if m else 0) from None
    lines = _key_lines(text)
    where = lambda *key: lines.get(key, lines.get(key[:2], lines.get(key[:1], 0)))   # noqa: E731

    for key in doc:
        if key not in TOP_KEYS:
            raise LessonError(f"unknown key; a lesson has {', '.join(TOP_KEYS)}", where(key), key)
    title = _text(doc.get("title"), "title", where("title"), MAX_TITLE_CHARS, required=True)
    description = _text(doc.get("description", ""), "description", where("description"), MAX_NOTE_CHARS)
    run = _run_source(doc.get("run"), base, where)
    raw_slides = doc.get("slide", [])
    if not isinstance(raw_slides, list) or not all(isinstance(s, dict) for s in raw_slides):
        raise LessonError("slides are written as [[slide]] tables", where("slide"), "slide")
    if not raw_slides:
        raise LessonError("a lesson needs at least one [[slide]]", 0, "slide")
    if len(raw_slides) > MAX_SLIDES:
        raise LessonError(f"{len(raw_slides):,} slides; at most {MAX_SLIDES}", where("slide", MAX_SLIDES), "slide")
    slides = [_slide(raw, n, where) for n, raw in enumerate(raw_slides)]
    lesson = Lesson(title=title, run=run, slides=slides, description=description, path=path)
    resolve(lesson.slides)           # through ≥ micro_step and the training budget, with the lines named
    return lesson


def _run_source(raw, base: Path | None, where) -> RunSource:
    if not isinstance(raw, dict):
        raise LessonError("the lesson needs a [run] table: preset = NAME, session = FILE or config = {...}",
                          where("run"), "run")
    for key in raw:
        if key not in RUN_KEYS:
            raise LessonError(f"unknown key in [run]; it takes one of {', '.join(RUN_KEYS)}", where("run", key), f"run.{key}")
    given = [k for k in RUN_KEYS if k in raw]
    if len(given) != 1:
        raise LessonError("[run] takes exactly one of preset, session or config", where("run"), "run")
    key = given[0]
    value = raw[key]
    line = where("run", key)
    if key == "preset":
        if value not in PRESETS:
            raise LessonError(f"unknown preset {value!r}; presets: {', '.join(PRESETS)}", line, "run.preset")
        return RunSource(preset=value)
    if key == "session":
        if not isinstance(value, str) or not value:
            raise LessonError("session must be a file name", line, "run.session")
        session = (base or Path(".")) / value
        if not session.is_file():
            raise LessonError(f"the session file {value} is missing (looked for {session})", line, "run.session")
        return RunSource(session=session, session_text=value)
    if not isinstance(value, dict):
        raise LessonError("config must be a table of the run's settings", line, "run.config")
    from engine.config import RunConfig
    try:
        RunConfig.from_dict(value)
    except (ValueError, TypeError, KeyError) as e:
        raise LessonError(f"the run configuration is refused: {e}", line, "run.config") from None
    return RunSource(config=value)


def _slide(raw: dict, n: int, where) -> Slide:
    declared = {s.name: s for s in ViewSettings.declared()}
    slide = Slide(line=where("slide", n))
    for key, value in raw.items():
        line, name = where("slide", n, key), f"slide[{n + 1}].{key}"
        slide.key_lines[key] = line
        if key in declared:
            try:
                slide.view[key] = declared[key].check(value)
            except ValueError as e:
                raise LessonError(str(e), line, name) from None
        elif key in ("title", "note", "derivation_block"):
            setattr(slide, key, _text(value, name, line, MAX_NOTE_CHARS if key == "note" else MAX_TITLE_CHARS))
        elif key in ("example", "micro_step", "through"):
            setattr(slide, key, _whole(value, name, line, 1, 1_000_000))
        elif key in ("train_steps", "at_step"):
            setattr(slide, key, _whole(value, name, line, 0, MAX_TRAIN_STEPS))
        elif key == "select":
            slide.select = _selection(value, name, line)
        elif key == "preset":
            if value not in PRESETS:
                raise LessonError(f"unknown preset {value!r}; presets: {', '.join(PRESETS)}", line, name)
            slide.preset = value
        elif key == "compare":
            slide.compare = _compare(value, name, line)
        else:
            known = sorted(SLIDE_KEYS) + sorted(declared)
            raise LessonError(f"unknown key; a slide takes {', '.join(known)}", line, name)
    return slide


def _selection(value, name: str, line: int) -> SlideSelection:
    if isinstance(value, str) and value == "none":
        return SlideSelection("none")
    if not isinstance(value, dict):
        raise LessonError('select is a table such as { kind = "neuron", layer = 1, j = 2 }, or "none"', line, name)
    kind = value.get("kind")
    if kind not in SELECTION_KINDS:
        raise LessonError(f"select.kind must be one of {', '.join(SELECTION_KINDS)}, got {kind!r}", line, name)
    needs = {"neuron": ("layer", "j"), "edge": ("layer", "j", "k"), "layer": ("layer",), "none": ()}[kind]
    for key in value:
        if key != "kind" and key not in needs:
            raise LessonError(f"a {kind} selection takes {', '.join(('kind',) + needs)}; {key!r} does not belong",
                              line, f"{name}.{key}")
    got = {}
    for key in needs:
        if key not in value:
            raise LessonError(f"a {kind} selection needs {key}", line, f"{name}.{key}")
        lo = 0 if (kind == "neuron" and key == "layer") else 1
        got[key] = _whole(value[key], f"{name}.{key}", line, lo, 100_000)
    return SlideSelection(kind, **got)


def _compare(value, name: str, line: int) -> dict:
    if value == "none":
        return {}
    if not isinstance(value, dict) or len(value) != 1:
        raise LessonError('compare changes exactly one setting, e.g. { eta = 0.05 }, or is "none"', line, name)
    (key, v), = value.items()
    if key not in COMPARE_KEYS:
        raise LessonError(f"compare changes one of {', '.join(COMPARE_KEYS)}; not {key!r}", line, f"{name}.{key}")
    from engine.config import RunConfig
    try:                                    # checked against a run's own rules
        RunConfig(sizes=[2, 2]).replace(**{key: v})
    except (ValueError, TypeError) as e:
        raise LessonError(str(e), line, f"{name}.{key}") from None
    return {key: v}


def _text(value, name: str, line: int, limit: int, required: bool = False) -> str:
    if value is None and required:
        raise LessonError("is required", line, name)
    if not isinstance(value, str):
        raise LessonError(f"must be text, got {value!r}", line, name)
    if len(value) > limit:
        raise LessonError(f"is {len(value):,} characters; at most {limit:,}", line, name)
    return value


def _whole(value, name: str, line: int, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise LessonError(f"must be a whole number from {lo} to {hi:,}, got {value!r}", line, name)
    return value


# -- the slides' whole states -----------------------------------------------------------------------
def resolve(slides: list[Slide]) -> list[SlideState]:
    """Each slide's whole state: unset fields inherit from the slide before (the first slide starts at
    example 1, micro-step 1, nothing selected); ``trained`` adds up the training asked for so far, or
    is the slide's ``at_step``.  A new micro-step without ``through`` shows that one micro-step."""
    states: list[SlideState] = []
    example, micro_step, select, view, trained = 1, 1, SlideSelection("none"), {}, 0
    preset, compare = None, {}
    for n, s in enumerate(slides):
        if s.preset is not None and s.preset != preset:
            preset, trained, example, micro_step, compare = s.preset, 0, 1, 1, {}   # a new run starts afresh
        compare = s.compare if s.compare is not None else compare
        example = s.example if s.example is not None else example
        micro_step = s.micro_step if s.micro_step is not None else (
            states[-1].through if states and states[-1].preset == preset else micro_step)
        through = s.through if s.through is not None else micro_step
        if through < micro_step:
            raise LessonError(f"through = {through} comes before micro_step = {micro_step}", s.key_lines.get("through", s.line),
                              f"slide[{n + 1}].through")
        select = s.select if s.select is not None else select
        view = {**view, **s.view}
        if s.at_step is not None and s.train_steps:
            raise LessonError("a slide takes train_steps or at_step, not both", s.key_lines.get("at_step", s.line),
                              f"slide[{n + 1}].at_step")
        trained = s.at_step if s.at_step is not None else trained + s.train_steps
        if trained > MAX_TRAIN_STEPS:
            raise LessonError(f"the lesson asks for {trained:,} training steps by here; at most {MAX_TRAIN_STEPS:,}",
                              s.key_lines.get("train_steps", s.line), f"slide[{n + 1}].train_steps")
        states.append(SlideState(index=n, title=s.title or "", example=example, micro_step=micro_step,
                                 through=through, select=select, trained=trained, train_steps=s.train_steps,
                                 preset=preset, compare=dict(compare),
                                 note=s.note or "", view=dict(view), line=s.line,
                                 derivation_block=s.derivation_block or "", key_lines=s.key_lines))
    return states


def check_against_run(lesson: Lesson, info) -> None:
    """Refuse slides their run cannot show: an example, a micro-step or a selection past the end.
    ``info(preset)`` gives (sizes N_0..N_L, training examples, micro-steps per example) of the run a
    slide shows: the preset's, or with None the lesson's own."""
    known = {}
    for st in lesson.states():
        if st.preset not in known:
            known[st.preset] = info(st.preset)
        sizes, n_examples, n_micro_steps = known[st.preset]
        L = len(sizes) - 1
        name = f"slide[{st.index + 1}]"
        if st.example > n_examples:
            raise LessonError(f"example {st.example} is past the last of {n_examples} training examples",
                              st.line_of("example"), f"{name}.example")
        for key, k in (("micro_step", st.micro_step), ("through", st.through)):
            if k > n_micro_steps:
                raise LessonError(f"micro-step {k} is past the last one, {n_micro_steps} (the update)",
                                  st.line_of(key), f"{name}.{key}")
        sel = st.select
        if sel.kind == "neuron":
            ok = sel.layer <= L and sel.j <= sizes[sel.layer]
        elif sel.kind == "edge":
            ok = sel.layer <= L and sel.j <= sizes[sel.layer] and sel.k <= sizes[sel.layer - 1]
        else:
            ok = sel.kind == "none" or sel.layer <= L
        if not ok:
            raise LessonError(f"this network ({'-'.join(map(str, sizes))}) has no {sel.kind} "
                              f"{_describe(sel)}", st.line_of("select"), f"{name}.select")


def _describe(sel: SlideSelection) -> str:
    return {"neuron": f"j = {sel.j} in layer {sel.layer}", "edge": weight_name(sel.layer, sel.j, sel.k),
            "layer": f"layer {sel.layer}", "none": ""}[sel.kind]


# -- writing ----------------------------------------------------------------------------------------
def lesson_to_toml(lesson: Lesson) -> str:
    """The lesson as TOML text that ``parse_lesson`` reads back to the same slides."""
    doc: dict = {"title": lesson.title}
    if lesson.description:
        doc["description"] = lesson.description
    if lesson.run.preset:
        doc["run"] = {"preset": lesson.run.preset}
    elif lesson.run.session:
        doc["run"] = {"session": lesson.run.session_text or lesson.run.session.name}
    else:
        doc["run"] = {"config": _plain(lesson.run.config)}
    slides = []
    for s in lesson.slides:
        d = {k: v for k, v in (("title", s.title), ("example", s.example), ("micro_step", s.micro_step),
                               ("through", s.through)) if v is not None}
        if s.select is not None:
            d["select"] = s.select.to_toml()
        if s.preset is not None:
            d["preset"] = s.preset
        if s.compare is not None:
            d["compare"] = s.compare or "none"
        if s.at_step is not None:
            d["at_step"] = s.at_step
        elif s.train_steps:
            d["train_steps"] = s.train_steps
        d.update(s.view)
        if s.derivation_block is not None:
            d["derivation_block"] = s.derivation_block
        if s.note is not None:
            d["note"] = s.note
        slides.append(d)
    doc["slide"] = slides
    return tomli_w.dumps(doc, multiline_strings=True)


def write_lesson(path, lesson: Lesson) -> None:
    """Write atomically: a crash mid-write leaves the old file whole."""
    text = lesson_to_toml(lesson)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _plain(v):
    """Arrays and tuples as TOML-writable lists; non-finite numbers refused (TOML has them, a run not)."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items() if x is not None}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "tolist"):
        return _plain(v.tolist())
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(f"a run with the value {v} cannot be written into a lesson")
    return v


def slide_from_state(state: SlideState) -> Slide:
    """A slide that sets every field, its step count absolute (as recorded from the window): it
    restores exactly wherever it stands in a lesson."""
    return Slide(title=state.title or None, example=state.example, micro_step=state.micro_step,
                 through=state.through, select=state.select, at_step=state.trained, preset=state.preset,
                 compare=dict(state.compare), note=state.note, view=dict(state.view),
                 derivation_block=state.derivation_block or None)


def replace_slide(lesson: Lesson, index: int, **changes) -> None:
    lesson.slides[index] = dataclasses.replace(lesson.slides[index], **changes)


# -- where each key stands in the text --------------------------------------------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*(\.\s*[A-Za-z0-9_\-]+\s*)*=")


def _key_lines(text: str) -> dict[tuple, int]:
    """(top-level key,) / ("run", key) / ("slide", n, key) / ("slide", n) → the 1-based line it is on.
    A plain scan of the lines (TOML's own parser keeps no positions); multi-line strings are skipped."""
    lines: dict[tuple, int] = {}
    table: tuple = ()
    slides = -1
    in_string = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            name = header.group(2).strip().strip("\"'")
            if header.group(1) == "[[" and name == "slide":
                slides += 1
                table = ("slide", slides)
            else:
                table = (name,)
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + (key.group(1).strip("\"'"),), number)
            rest = line[key.end():]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
                    break
    return lines


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
