"""Worksheets: every number of one example's training step, to be worked by hand and checked.

A worksheet is a CSV file with the header ``quantity,layer,j,k,value`` and one row per entry.
Quantities (``QUANTITIES``): z, a, loss, dC_da, sigma_prime, delta, dC_dW, dC_db, W_new, b_new.
``layer``, ``j`` and ``k`` are the book's 1-based indices in the column-vector convention:
``dC_dW,2,1,2`` is ∂C/∂w²₁₂, row j of W², column k (∂C/∂W has the shape of W).  ``k`` is empty for
vectors; ``layer``, ``j`` and ``k`` are empty for the loss; rows with an empty value are skipped.
A mini-batch worksheet holds only the batch means (``BATCH_QUANTITIES``).

``Worksheet.from_run(run)`` takes the engine's recorded trace of the run's current example (or the
engine's passes over another example or a batch) as the right answers; ``check(answers)`` marks
each filled entry right or wrong and names the mistake that reproduces a wrong one (see
``mistakes.py``).  ``read_answers`` refuses a malformed file with its line and column.
"""
from __future__ import annotations

import copy
import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from .atomic import atomic_path
from .mistakes import INJECTED, MISTAKES, PER_EXAMPLE, Problem, chain, inputs, row_order, symbol
from .network import Network
from .notation import indices, sub

QUANTITIES = ("z", "a", "loss", "dC_da", "sigma_prime", "delta", "dC_dW", "dC_db", "W_new", "b_new")
BATCH_QUANTITIES = ("loss", "dC_dW", "dC_db", "W_new", "b_new")
MATRICES = ("dC_dW", "W_new")
HEADER = ("quantity", "layer", "j", "k", "value")
REL_TOL, ABS_TOL = 1e-3, 5e-4
MAX_BYTES = 5_000_000            # a worksheet of the widest shipped preset is ~100 kB


class WorksheetError(ValueError):
    """A worksheet that cannot be read; ``line`` and ``column`` (1-based field number) say where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column


@dataclass(frozen=True)
class Entry:
    """One worksheet entry in the book's 1-based indices (None where the quantity has none)."""
    quantity: str
    layer: int | None = None
    j: int | None = None
    k: int | None = None

    @property
    def key(self) -> tuple:
        """The row (quantity, code layer index l = layer − 1)."""
        return self.quantity, None if self.layer is None else self.layer - 1

    @property
    def index(self) -> tuple:
        """0-based index into the row's array (column-vector convention)."""
        return tuple(i - 1 for i in (self.j, self.k) if i is not None)

    @property
    def label(self) -> str:
        """As ``check`` prints it: "dC_dW 2 1 1", "delta 2 1", "loss"."""
        return " ".join([self.quantity] + [str(i) for i in (self.layer, self.j, self.k) if i is not None])

    @property
    def symbol(self) -> str:
        """The book's symbol with subscripts: "∂C/∂w²₁₁", "δ²₁", "w²₁₁ after the update", "C"; two
        indices as every weight is written (notation.indices): digits' "∂C/∂w¹₄,₁₁"."""
        js = sub(indices(self.j, self.k) if self.k is not None else self.j if self.j is not None else "")
        name = symbol(self.quantity, self.layer)
        if js and self.quantity in ("dC_dW", "W_new"):
            name = name.replace("W", "w")          # an entry of W is w (the book's w^l_jk, as the derivation writes)
        return name + js if self.quantity not in ("W_new", "b_new") else name.replace(" after", f"{js} after")


def row_shape(sizes, key: tuple) -> tuple:
    """The shape of a row in the column-vector convention: () for the loss, (N_l,) for vectors,
    (N_l, N_{l−1}) for ∂C/∂W and W."""
    q, l = key
    if q == "loss":
        return ()
    return (sizes[l + 1], sizes[l]) if q in MATRICES else (sizes[l + 1],)


def entries(sizes, batched: bool = False) -> list[Entry]:
    """Every entry of a worksheet, in the order a student computes them."""
    out = []
    for q, l in row_order(len(sizes) - 1, batched):
        for idx in np.ndindex(*row_shape(sizes, (q, l))):
            one = [i + 1 for i in idx] + [None, None]
            out.append(Entry(q, None if l is None else l + 1, one[0], one[1]))
    return out


# ------------------------------------------------------------------------------ the file
def write_blank(path, sizes, batched: bool = False) -> None:
    """A blank worksheet (empty value column), written atomically."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for e in entries(sizes, batched):
        w.writerow([e.quantity] + ["" if v is None else v for v in (e.layer, e.j, e.k)] + [""])
    with atomic_path(path) as tmp:
        Path(tmp).write_text(buf.getvalue(), encoding="utf-8")


def read_answers(path, sizes, batched: bool = False) -> dict[Entry, float]:
    """The filled entries of a worksheet file, in file order; WorksheetError naming the line and
    column of the first problem (unknown quantity, index out of range, text where a number belongs)."""
    name = Path(path).name
    try:
        if os.path.getsize(path) > MAX_BYTES:
            raise WorksheetError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB; a worksheet is a few kB")
        data = Path(path).read_bytes()
    except OSError as e:
        raise WorksheetError(f"cannot read {name}: {e.strerror or e}") from None
    return parse_answers(data, sizes, batched, name)


def parse_answers(data: bytes | str, sizes, batched: bool = False, name: str = "worksheet") -> dict[Entry, float]:
    """``read_answers`` for the text (or bytes) of a worksheet."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[:e.start].count(b"\n") + 1
            raise WorksheetError(f"{name}, line {line}: not UTF-8 text", line) from None
    if "\0" in data:
        line = data[:data.index("\0")].count("\n") + 1
        raise WorksheetError(f"{name}, line {line}: not a text file", line)
    reader = csv.reader(io.StringIO(data.lstrip("\ufeff")))
    L = len(sizes) - 1
    allowed = BATCH_QUANTITIES if batched else QUANTITIES
    answers: dict[Entry, float] = {}
    lines: dict[Entry, int] = {}
    header_seen = False
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            fields = [f.strip() for f in fields]
            if not header_seen:
                if tuple(f.lower() for f in fields) != HEADER:
                    raise WorksheetError(f"{name}, line {line}, column 1: the first line must be the header "
                                         f"{','.join(HEADER)}, got {','.join(fields)[:60]!r}", line, 1)
                header_seen = True
                continue

            def fail(column: int, message: str):
                raise WorksheetError(f"{name}, line {line}, column {column} ({HEADER[column - 1]}): {message}",
                                     line, column)

            if len(fields) != len(HEADER):
                col = min(len(fields) + 1, len(HEADER))
                raise WorksheetError(f"{name}, line {line}, column {col}: expected 5 fields "
                                     f"({','.join(HEADER)}), got {len(fields)}", line, col)
            q = fields[0]
            if q not in QUANTITIES:
                fail(1, f"unknown quantity {q[:40]!r}; quantities: {', '.join(QUANTITIES)}")
            if q not in allowed:
                fail(1, f"{q} is per example; a batch worksheet has only {', '.join(BATCH_QUANTITIES)}")
            layer = j = k = None
            if q == "loss":
                for col in (2, 3, 4):
                    if fields[col - 1]:
                        fail(col, "must be empty for the loss")
            else:
                lo = L if q == "dC_da" else 1
                layer = _whole(fields[1], lo, L, "layer", fail, 2)
                n_rows, n_cols = (sizes[layer], sizes[layer - 1])
                j = _whole(fields[2], 1, n_rows, f"j (neurons of layer {layer})", fail, 3)
                if q in MATRICES:
                    k = _whole(fields[3], 1, n_cols, f"k (neurons of layer {layer - 1})", fail, 4)
                elif fields[3]:
                    fail(4, f"must be empty: {q} is a vector")
            if not fields[4]:
                continue
            try:
                value = float(fields[4])
            except ValueError:
                fail(5, f"{fields[4][:40]!r} is not a number")
            if not math.isfinite(value):
                fail(5, f"{fields[4][:40]!r} is not a finite number")
            entry = Entry(q, layer, j, k)
            if entry in answers:
                fail(1, f"{entry.label} is already given on line {lines[entry]}")
            answers[entry], lines[entry] = value, line
    except csv.Error as e:
        raise WorksheetError(f"{name}, line {reader.line_num}: {e}", reader.line_num) from None
    if not header_seen:
        raise WorksheetError(f"{name}, line 1, column 1: empty file; the first line must be the header "
                             f"{','.join(HEADER)}", 1, 1)
    return answers


def _whole(text: str, lo: int, hi: int, what: str, fail, column: int) -> int:
    try:
        n = int(text)
    except ValueError:
        fail(column, f"{text[:40]!r} is not a whole number" if text else f"{what} is missing")
    if not lo <= n <= hi:
        fail(column, f"{what} must be {lo}..{hi} for this network, got {n}" if lo < hi else
                     f"{what} must be {lo} for this network, got {n}")
    return n


# ------------------------------------------------------------------------------ checking
def close(got: float, expected: float, rel: float = REL_TOL, abs_tol: float = ABS_TOL) -> bool:
    """Right within the tolerance: |got − expected| ≤ max(abs_tol, rel·|expected|)."""
    return abs(got - expected) <= max(abs_tol, rel * abs(expected))


@dataclass
class Result:
    """One checked entry.  ``causes``: mistake codes that reproduce a wrong value (empty when
    right); ``source``: for ``carried-forward``, the first wrong entry it follows from."""
    entry: Entry
    got: float
    expected: float
    ok: bool
    causes: tuple = ()
    source: Entry | None = None
    L: int | None = None              # the network's output layer, for the sentences

    @property
    def cause(self) -> str | None:
        """The cause as ``check`` prints it: "sign", "missing-half or extra-half"; None when right."""
        return " or ".join(self.causes) if self.causes else None

    def sentences(self) -> list[str]:
        """Each cause as a sentence naming the factor ("your δ² leaves out the factor σ′(z²)…")."""
        out = []
        for code in self.causes:
            text = MISTAKES[code].explain(self.entry.quantity, self.entry.layer, self.L)
            if code == "carried-forward" and self.source is not None:
                text += f" {self.source.symbol}"
            out.append(text)
        return out

    def as_dict(self) -> dict:
        e = self.entry
        return {"quantity": e.quantity, "layer": e.layer, "j": e.j, "k": e.k, "got": self.got,
                "expected": self.expected, "ok": self.ok, "cause": self.cause,
                "from": None if self.source is None else self.source.label}


@dataclass
class Worksheet:
    """The right answers of one example (or batch) and the means to diagnose wrong ones.
    ``expected`` maps rows ``(quantity, l)`` to arrays in worksheet shape (``row_shape``)."""
    problem: Problem
    expected: dict
    sizes: list
    example: int = 0                  # 0-based index of the (first) training example
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def batched(self) -> bool:
        return self.problem.batched

    def entries(self) -> list[Entry]:
        if "entries" not in self._cache:
            self._cache["entries"] = entries(self.sizes, self.batched)
        return self._cache["entries"]

    def value(self, entry: Entry) -> float:
        return float(np.asarray(self.expected[entry.key])[entry.index])

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_run(cls, run, example: int | None = None, batch: int = 1) -> "Worksheet":
        """The worksheet of training example ``example`` (0-based; default the run's current one),
        or of the mini-batch of ``batch`` examples from it, with the weights the current example
        starts from.  The current example's numbers are the stepper's recorded trace."""
        n = len(run.train)
        i = run.example_index if example is None else int(example)
        if not 0 <= i < n:
            raise ValueError(f"example must be 1..{n} for this data set, got {i + 1}")
        if not 1 <= batch <= n - i:
            raise ValueError(f"a batch of {batch} from example {i + 1} needs examples up to {i + batch}; "
                             f"the data set has {n}")
        stepper, net, c = run.stepper, run.net, run.config
        if (c.penalty != "none" and c.penalty_lambda > 0) or c.dropout > 0:
            raise ValueError("worksheets follow the plain equations: turn off the weight penalty and dropout "
                             "of this run to work its numbers by hand")
        W, b = stepper.W_before, stepper.b_before
        update = _update_rule(copy.deepcopy(run.trainer.optimizer), c.train_biases)
        biased_update = None if c.train_biases else _update_rule(copy.deepcopy(run.trainer.optimizer), True)
        if batch == 1 and i == run.example_index:
            trace, grads = stepper.trace, stepper.grads
            W_new, b_new = net.get_params() if stepper.updated else update(W, b, grads.dW, grads.db)
        else:
            scratch = Network(net.sizes, net.activation, net.output_activation, net.loss.name)
            scratch.set_params(W, b)
            x, y = run.train.X[i:i + batch], run.train.Y[i:i + batch]
            if batch == 1:
                x, y = x[0], y[0]
            trace = scratch.forward(x)
            grads = scratch.backward(trace, y)
            W_new, b_new = update(W, b, grads.dW, grads.db)
        return cls.from_trace(W, b, net.activations, net.loss, trace, grads, update, W_new, b_new,
                              net.sizes, i, biased_update)

    @classmethod
    def from_trace(cls, W, b, acts, loss, trace, grads, update, W_new, b_new, sizes, example=0,
                   biased_update=None) -> "Worksheet":
        """From the engine's recorded ``trace`` and ``grads`` of one example (1-D arrays) or a batch;
        ``biased_update`` as ``Problem``'s (the update stepping biases the run keeps fixed)."""
        batched = trace.batched
        x, y = np.atleast_2d(trace.a[0]), np.atleast_2d(grads.y)
        problem = Problem([w.copy() for w in W], [v.copy() for v in b], W_new, list(acts), loss, x, y,
                          batched, update, biased_update)
        L = len(W)
        expected = {("loss", None): np.float64(grads.loss)}
        for l in range(L):
            expected.update({("dC_dW", l): grads.dW[l], ("dC_db", l): grads.db[l],
                             ("W_new", l): np.asarray(W_new[l]), ("b_new", l): np.asarray(b_new[l])})
            if not batched:
                expected.update({("z", l): trace.z[l], ("a", l): trace.a[l + 1],
                                 ("sigma_prime", l): grads.sigma_prime[l], ("delta", l): grads.delta[l]})
        if not batched:
            expected[("dC_da", L - 1)] = grads.dC_da
        return cls(problem, expected, list(sizes), int(example))

    # -- checking --------------------------------------------------------------------------
    def check(self, answers: dict, rel: float = REL_TOL, abs_tol: float = ABS_TOL) -> list[Result]:
        """Every answered entry marked right or wrong, in worksheet order; a wrong one with the
        mistakes that reproduce it: ``carried-forward`` when it follows from the student's own
        earlier wrong answers, else each mistake of the catalogue that gives the same number
        (applied to the engine's numbers, then to the student's chain), else ``arithmetic``."""
        order = {e: n for n, e in enumerate(self.entries())}
        for e in answers:
            if e not in order:
                raise ValueError(f"{e.label} is not an entry of this worksheet")
        answered = sorted(answers, key=order.__getitem__)
        results = [Result(e, float(answers[e]), self.value(e), close(float(answers[e]), self.value(e), rel, abs_tol),
                          L=self.problem.L) for e in answered]
        if all(r.ok for r in results):
            return results
        p = self.problem
        student = self._given(answers)
        right = self._given({r.entry: r.got for r in results if r.ok})
        engine = {}                   # every row, the per-example rows of a batch too
        for key, v in chain(p).items():
            v = np.asarray(v)[0] if key[0] in PER_EXAMPLE and not p.batched else np.asarray(v)
            engine[key] = (v, np.ones(v.shape, bool))
        with_engine = {**engine, **{key: (np.where(mask, vals, engine[key][0]), np.ones_like(mask))
                                    for key, (vals, mask) in student.items()}}
        carried = chain(p, None, given=student)
        on_engine = {m: (chain(p, m, given=engine), chain(p, m, given=right)) for m in INJECTED}
        on_student = {m: (chain(p, m, given=with_engine), chain(p, m, given=student)) for m in INJECTED}

        def hits(raws, key) -> np.ndarray:
            """Where any of ``raws`` reproduces the student's row ``key`` (worksheet shape)."""
            vals = student[key][0]
            out = np.zeros(vals.shape, bool)
            for raw in raws:
                v = raw.get(key)
                if v is None:
                    continue
                v = np.asarray(v)
                if key[0] in PER_EXAMPLE and not p.batched:
                    v = v[0]
                if v.ndim != vals.ndim:
                    continue
                part = tuple(slice(0, min(a, b)) for a, b in zip(v.shape, vals.shape))
                c, g = v[part], vals[part]
                with np.errstate(invalid="ignore", over="ignore"):
                    out[part] |= np.isfinite(c) & (np.abs(g - c) <= np.maximum(abs_tol, rel * np.abs(c)))
            return out

        rows: dict = {}
        roots: list[Result] = []          # wrong entries with a cause of their own, in order
        for r in results:
            if r.ok:
                continue
            key = r.entry.key
            if key not in rows:
                rows[key] = (hits([carried], key), {m: hits(on_engine[m], key) for m in INJECTED},
                             {m: hits(on_student[m], key) for m in INJECTED})
            from_student, mine, mine_on_student = rows[key]
            i = r.entry.index
            if from_student[i]:
                r.causes, r.source = ("carried-forward",), self._source(r.entry, roots)
                continue
            own = tuple(m for m in INJECTED if mine[m][i]) or tuple(m for m in INJECTED if mine_on_student[m][i])
            r.causes = own or ("arithmetic",)
            roots.append(r)
        return results

    def _given(self, answers: dict) -> dict:
        """Answers as ``chain``'s given rows: {key: (values, mask)} in worksheet shape."""
        given = {}
        for e, v in answers.items():
            if e.key not in given:
                shape = np.shape(self.expected[e.key])
                given[e.key] = (np.zeros(shape), np.zeros(shape, bool))
            vals, mask = given[e.key]
            vals[e.index], mask[e.index] = v, True
        return given

    def _source(self, entry: Entry, roots: list) -> Entry | None:
        """The first wrong entry upstream of ``entry`` with a cause of its own: of the same layer and
        neuron where there is one (∂C/∂b¹₂ follows from δ¹₂), else the first in worksheet order."""
        L = self.problem.L
        upstream, todo = set(), list(inputs(entry.key, L))
        while todo:
            k = todo.pop()
            if k not in upstream:
                upstream.add(k)
                todo += inputs(k, L)
        found = [r.entry for r in roots if r.entry.key in upstream]
        same = [e for e in found if e.layer == entry.layer and e.j == entry.j and e.k in (None, entry.k)]
        return (same or found or [None])[0]


def _update_rule(template, biases: bool = True):
    """``update(W, b, dW, db) -> (W_new, b_new)`` with a fresh copy of the optimizer each call
    (``biases`` False: the biases stay, as the run trains them)."""
    def update(W, b, dW, db):
        params = SimpleNamespace(W=[w.copy() for w in W], b=[v.copy() for v in b], L=len(W))
        copy.deepcopy(template).step(params, SimpleNamespace(dW=list(dW), db=list(db)), biases=biases)
        return params.W, params.b
    return update
