"""Worksheets: the chain reproduces the engine, and a catalogue of hand-backprop mistakes injected
into every preset's first example is diagnosed with its code (single example and mini-batch).

The mistaken answers are built here, independently of engine/mistakes.py, with the texts'
column-vector formulas from the engine's own numbers; what follows from a wrong row is carried
forward the way a student would (right formula, the student's wrong input)."""
import re

import numpy as np
import pytest

from engine.mistakes import INJECTED, chain
from engine.presets import PRESETS, get_preset
from engine.run import Run
from engine.worksheet import (BATCH_QUANTITIES, QUANTITIES, Entry, Worksheet, WorksheetError, close, entries,
                              parse_answers, read_answers, write_blank)

BATCH = 4
_runs = {}


def _run(name):
    if name not in _runs:
        _runs[name] = Run(get_preset(name))
    return _runs[name]


def _sheet(name, batched):
    run = _run(name)
    return Worksheet.from_run(run, 0, BATCH if batched else 1)


CASES = [(name, False) for name in PRESETS] + \
        [(name, True) for name in PRESETS if get_preset(name).batch_size >= BATCH]


# ------------------------------------------------------------------------------ the chain
@pytest.mark.parametrize("name,batched", CASES)
def test_chain_without_mistakes_is_the_engine(name, batched):
    ws = _sheet(name, batched)
    raw = chain(ws.problem)
    for key, expected in ws.expected.items():
        got = np.asarray(raw[key])
        if not batched and key[0] in ("z", "a", "dC_da", "sigma_prime", "delta"):
            got = got[0]
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-14, err_msg=str(key))


def test_worksheet_is_the_stepper_trace_and_the_update():
    run = Run(get_preset("mazur"))
    ws = Worksheet.from_run(run)
    s = run.stepper
    assert ws.expected[("delta", 1)] is s.grads.delta[1]
    s.finish()
    for l in range(2):
        np.testing.assert_array_equal(ws.expected[("W_new", l)], run.net.W[l])
        np.testing.assert_array_equal(ws.expected[("b_new", l)], run.net.b[l])


def test_entries_use_the_books_indices():
    es = entries([2, 2, 2])
    assert es[0] == Entry("z", 1, 1) and Entry("dC_dW", 2, 1, 2) in es
    assert Entry("loss") in es and Entry("dC_da", 2, 2) in es and Entry("dC_da", 1, 1) not in es
    assert len(es) == 4 + 4 + 1 + 2 + (2 + 2 + 4 + 2) * 2 + 8 + 4
    assert {e.quantity for e in entries([3, 4, 2], batched=True)} == set(BATCH_QUANTITIES)
    assert {e.quantity for e in es} == set(QUANTITIES)
    assert Entry("dC_dW", 2, 1, 2).label == "dC_dW 2 1 2" and Entry("loss").label == "loss"
    assert Entry("delta", 2, 1).symbol == "δ²₁"
    # an entry of W is w, as the derivation and the lessons write it (∂C/∂w²₁₁), the matrix W
    assert (Entry("dC_dW", 2, 1, 2).symbol, Entry("W_new", 1, 2, 1).symbol) == ("∂C/∂w²₁₂", "w¹₂₁ after the update")
    assert Entry("dC_db", 2, 1).symbol == "∂C/∂b²₁"
    # two indices as every weight is written: a comma where one has two digits (digits' w¹₄,₁₁)
    assert (Entry("dC_dW", 1, 4, 11).symbol, Entry("W_new", 2, 10, 1).symbol) == ("∂C/∂w¹₄,₁₁", "w²₁₀,₁ after the update")


# ------------------------------------------------------------------------------ the catalogue
def _act_prime_of(name, v):
    """σ′ of the named activation evaluated at v (the texts' formulas)."""
    if name in ("sigmoid",):
        s = 1 / (1 + np.exp(-v))
        return s * (1 - s)
    if name == "tanh":
        return 1 - np.tanh(v) ** 2
    if name == "relu":
        return (v > 0).astype(float)
    if name == "softmax":
        e = np.exp(v - v.max(axis=-1, keepdims=True))
        p = e / e.sum(axis=-1, keepdims=True)
        return p * (1 - p)
    if name == "linear":
        return np.ones_like(v)
    raise AssertionError(name)


def _step(run, W, g, before=None):
    """The first optimizer step from W with gradient g (a fresh trainer: closed forms)."""
    eta = run.config.eta
    if run.config.optimizer == "adam":
        return W - eta * g / (np.abs(g) + 1e-8)
    return W - eta * g


class Student:
    """The engine's right answers, per example (B, N) arrays, that rows can be replaced in and
    carried forward from, as a student carries a wrong number through the rest of the sheet."""

    def __init__(self, name, batched):
        self.name, self.run, self.batched = name, _run(name), batched
        self.ws = _sheet(name, batched)
        p = self.ws.problem
        self.p, self.L, self.B = p, p.L, p.B
        net = self.run.net
        trace = net.forward(p.x)
        grads = net.backward(trace, p.y)
        self.v = {("loss", None): grads.loss, ("dC_da", self.L - 1): grads.dC_da}
        for l in range(self.L):
            self.v.update({("z", l): trace.z[l], ("a", l): trace.a[l + 1], ("sigma_prime", l): grads.sigma_prime[l],
                           ("delta", l): grads.delta[l], ("dC_dW", l): grads.dW[l], ("dC_db", l): grads.db[l],
                           ("W_new", l): self.ws.expected[("W_new", l)], ("b_new", l): self.ws.expected[("b_new", l)]})
        self.changed = {}       # key -> "injected" / "carried"

    def act(self, l):
        return self.p.acts[l].name

    def a_in(self, l):
        return self.p.x if l == 0 else self.v[("a", l - 1)]

    def set(self, key, value, how):
        self.v[key] = value
        self.changed[key] = how
        self._carry(key)

    def _carry(self, key):
        q, l = key
        L, p = self.L, self.p
        if q == "z":
            z = self.v[key]
            a = {"sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh, "relu": lambda v: np.maximum(v, 0),
                 "linear": lambda v: v}.get(self.act(l))
            if a is not None and z.shape == self.v[("a", l)].shape:
                self.set(("a", l), a(z), "carried")
        elif q == "dC_da" and not p.fused:
            self.set(("delta", L - 1), self.v[key] * self.v[("sigma_prime", L - 1)], "carried")
        elif q == "sigma_prime":
            back = self.v[("dC_da", L - 1)] if l == L - 1 else self.v[("delta", l + 1)] @ p.W[l + 1]
            if not (l == L - 1 and p.fused):
                self.set(("delta", l), back * self.v[key], "carried")
        elif q == "delta":
            d = self.v[key]
            self.set(("dC_db", l), d.mean(axis=0), "carried")
            self.set(("dC_dW", l), np.einsum("bj,bk->jk", d, self.a_in(l)) / self.B, "carried")
            if l > 0:
                self.set(("delta", l - 1), (d @ p.W[l]) * self.v[("sigma_prime", l - 1)], "carried")
        elif q == "dC_dW" and self.v[key].shape == p.W[l].shape:
            self.set(("W_new", l), _step(self.run, p.W[l], self.v[key]), "carried")
        elif q == "dC_db" and self.run.config.train_biases:
            self.set(("b_new", l), _step(self.run, p.b[l], self.v[key]), "carried")

    def inject(self, mistake, key):
        """Replace row ``key`` by the value ``mistake`` gives there; False if it cannot happen there."""
        q, l = key
        v, p, L = self.v, self.p, self.L
        if not self.ws.problem.applies(mistake, key):
            return False
        if mistake == "missing-sigma-prime":
            new = v[("dC_da", L - 1)] if l == L - 1 else v[("delta", l + 1)] @ p.W[l + 1]
        elif mistake == "sigma-prime-of-a":
            new = _act_prime_of(self.act(l), v[("a", l)])
        elif mistake == "not-transposed":
            if q == "z":
                new = self.a_in(l) @ p.W[l] + p.b[l]
            elif q == "delta":
                new = (v[("delta", l + 1)] @ p.W[l + 1].T) * v[("sigma_prime", l)]
            else:
                new = np.einsum("bk,bj->kj", self.a_in(l), v[("delta", l)]) / self.B
        elif mistake == "sign":
            new = 2 * {"W_new": p.W, "b_new": p.b}[q][l] - v[key] if q in ("W_new", "b_new") else -v[key]
        elif mistake in ("missing-half", "extra-half"):
            new = v[key] * (2.0 if mistake == "missing-half" else 0.5)
        elif mistake == "updated-weights":
            new = (v[("delta", l + 1)] @ self.ws.expected[("W_new", l + 1)]) * v[("sigma_prime", l)]
        elif mistake == "wrong-activation":
            new = np.einsum("bj,bk->jk", v[("delta", l)], v[("a", l)]) / self.B
        elif mistake == "sum-not-mean":
            new = v[key] * self.B
        elif mistake == "fixed-bias-updated":
            new = _step(self.run, p.b[l], v[("dC_db", l)])
        else:
            raise AssertionError(mistake)
        self.set(key, new, "injected")
        return True

    def answers(self):
        """Every worksheet entry the student's numbers reach (worksheet shape)."""
        out = {}
        for e in self.ws.entries():
            value = np.asarray(self.v[e.key])
            if not self.batched and e.quantity in ("z", "a", "dC_da", "sigma_prime", "delta"):
                value = value[0]
            if len(e.index) == value.ndim and all(i < n for i, n in zip(e.index, value.shape)):
                out[e] = float(value[e.index])
        return out


def _rows(ws, mistake):
    return [key for key in {e.key: None for e in ws.entries()} if ws.problem.applies(mistake, key)]


@pytest.mark.parametrize("name,batched", CASES)
def test_each_injected_mistake_is_named_and_carried_forward_points_back(name, batched):
    tested = 0
    for mistake in INJECTED:
        for key in _rows(_sheet(name, batched), mistake):
            student = Student(name, batched)
            student.inject(mistake, key)
            answers = student.answers()
            ws = student.ws
            results = {r.entry: r for r in ws.check(answers)}
            flagged = 0
            for e, r in results.items():
                how = student.changed.get(e.key)
                truly_right = close(answers[e], ws.value(e))
                if truly_right:
                    assert r.ok, (mistake, key, e, r)
                    continue
                assert how is not None, (mistake, key, e, r)          # right rows are never flagged
                assert not r.ok
                flagged += 1
                if how == "injected":
                    assert mistake in r.causes, (name, batched, mistake, key, e.label, r.causes)
                else:
                    assert r.causes == ("carried-forward",), (name, batched, mistake, key, e.label, r.causes)
                    assert r.source is not None and r.source.key == key, (mistake, key, e.label, r.source)
            tested += flagged > 0
    assert tested >= (3 if batched else 8)


def test_a_bias_stepped_where_the_run_keeps_them_fixed_is_named():
    """Mazur's post keeps b fixed; a student who steps b²₁ = 0.6 − 0.5 · δ²₁ = 0.5307 was told
    "arithmetic".  In a run that trains its biases the same mistake cannot happen (never named)."""
    ws = Worksheet.from_run(Run(get_preset("mazur")))
    answers = {e: float(f"{ws.value(e):.4g}") for e in ws.entries()}
    answers[Entry("b_new", 2, 1)] = 0.6 - 0.5 * 0.1385
    results = {r.entry.label: r for r in ws.check(answers)}
    r = results["b_new 2 1"]
    assert (r.ok, r.causes, f"{r.expected:.4g}") == (False, ("fixed-bias-updated",), "0.6")
    assert "keeps its biases fixed" in " ".join(r.sentences())
    assert all(r.ok for label, r in results.items() if label != "b_new 2 1")
    xor = Worksheet.from_run(Run(get_preset("xor")))
    assert get_preset("xor").train_biases and xor.problem.biased_update is None
    assert not any(xor.problem.applies("fixed-bias-updated", e.key) for e in xor.entries())


def test_mazur_rounded_hand_answers_with_two_classic_mistakes():
    """Four significant figures, as by hand: σ′ forgotten in δ², and the ½ forgotten in C."""
    ws = Worksheet.from_run(Run(get_preset("mazur")))
    answers = {e: float(f"{ws.value(e):.4g}") for e in ws.entries()}
    answers[Entry("loss")] = 0.5967
    answers[Entry("delta", 2, 1)], answers[Entry("delta", 2, 2)] = 0.7414, -0.2171
    results = {r.entry.label: r for r in ws.check(answers)}
    assert results["loss"].causes == ("missing-half",)
    assert results["delta 2 1"].causes == ("missing-sigma-prime",)
    assert results["delta 2 1"].sentences() == ["your δ² is ∂C/∂a² without the factor σ′(z²)"]
    assert results["delta 2 2"].causes == ("missing-sigma-prime",)
    assert all(r.ok for label, r in results.items() if label not in ("loss", "delta 2 1", "delta 2 2"))


def test_mistake_in_a_blank_row_is_found_through_the_rows_after_it():
    """Only ∂C/∂W² filled, with a δ² that lacks σ′ (the issue's example)."""
    ws = Worksheet.from_run(Run(get_preset("mazur")))
    [r] = ws.check({Entry("dC_dW", 2, 1, 1): 0.4398})
    assert (r.ok, r.causes, f"{r.expected:.4g}") == (False, ("missing-sigma-prime",), "0.08217")
    [r] = ws.check({Entry("dC_dW", 2, 1, 1): 0.123})
    assert r.causes == ("arithmetic",)


def test_the_same_number_from_two_mistakes_names_both():
    """½SSE over a batch of two: the summed loss and the loss without its ½ are both 2C."""
    from engine.config import RunConfig
    run = Run(RunConfig(sizes=[2, 2, 1], loss="half_sse", batch_size=2,
                        dataset={"name": "xor", "exact": True, "outputs": 1, "test_fraction": 0.0}))
    ws = Worksheet.from_run(run, 0, 2)
    [r] = ws.check({Entry("loss"): 2 * ws.value(Entry("loss"))})
    assert r.causes == ("missing-half", "sum-not-mean") and r.cause == "missing-half or sum-not-mean"
    [r] = ws.check({Entry("loss"): 0.5 * ws.value(Entry("loss"))})
    assert r.causes == ("extra-half",)


def test_tolerance_is_relative_or_absolute():
    ws = Worksheet.from_run(Run(get_preset("mazur")))
    e = Entry("dC_dW", 2, 1, 1)
    x = ws.value(e)
    assert ws.check({e: x * (1 + 9e-4)})[0].ok and not ws.check({e: x + 1e-3})[0].ok
    assert ws.check({e: x + 1e-3}, rel=2e-2)[0].ok
    e1 = Entry("dC_dW", 1, 1, 1)                      # 0.000438: within 5e-4 of anything near zero
    assert ws.check({e1: 0.0})[0].ok and not ws.check({e1: 0.0}, abs_tol=1e-6)[0].ok


def test_other_example_and_batch_bounds():
    run = Run(get_preset("xor"))
    ws = Worksheet.from_run(run, 2)
    assert ws.example == 2 and not ws.batched
    np.testing.assert_array_equal(ws.problem.x[0], run.train.X[2])
    with pytest.raises(ValueError, match="example must be 1..4"):
        Worksheet.from_run(run, 4)
    with pytest.raises(ValueError, match="batch of 3 from example 3"):
        Worksheet.from_run(run, 2, 3)


# ------------------------------------------------------------------------------ the file
def test_blank_worksheet_round_trip(tmp_path):
    path = tmp_path / "sheet.csv"
    write_blank(path, [2, 2, 2])
    lines = path.read_text().splitlines()
    assert lines[0] == "quantity,layer,j,k,value"
    assert "z,1,1,," in lines and "loss,,,," in lines and "dC_dW,2,1,2," in lines
    assert len(lines) == 1 + len(entries([2, 2, 2]))
    assert read_answers(path, [2, 2, 2]) == {}
    path.write_text(path.read_text().replace("dC_dW,2,1,2,", "dC_dW,2,1,2, 0.0827 ").replace("loss,,,,", "loss,,,,3e-1"))
    assert read_answers(path, [2, 2, 2]) == {Entry("dC_dW", 2, 1, 2): 0.0827, Entry("loss"): 0.3}


BAD = [
    ("quantity,layer,j,k,value\ndeltaa,2,1,,0.5\n", 2, 1, "unknown quantity 'deltaa'"),
    ("quantity,layer,j,k,value\ndelta,3,1,,0.5\n", 2, 2, "layer must be 1..2"),
    ("quantity,layer,j,k,value\n\nz,1,1,,1\ndelta,2,3,,0.5\n", 4, 3, "j (neurons of layer 2) must be 1..2"),
    ("quantity,layer,j,k,value\ndC_dW,1,1,3,0.5\n", 2, 4, "k (neurons of layer 0) must be 1..2"),
    ("quantity,layer,j,k,value\ndC_dW,1,1,,0.5\n", 2, 4, "k (neurons of layer 0) is missing"),
    ("quantity,layer,j,k,value\ndelta,2,1,1,0.5\n", 2, 4, "must be empty: delta is a vector"),
    ("quantity,layer,j,k,value\nloss,1,,,0.5\n", 2, 2, "must be empty for the loss"),
    ("quantity,layer,j,k,value\nz,1,1,,abc\n", 2, 5, "'abc' is not a number"),
    ("quantity,layer,j,k,value\nz,one,1,,0.5\n", 2, 2, "'one' is not a whole number"),
    ("quantity,layer,j,k,value\nz,1,1,,nan\n", 2, 5, "not a finite number"),
    ("quantity,layer,j,k,value\nz,1,1,0.5\n", 2, 5, "expected 5 fields"),
    ("quantity,layer,j,k,value\ndC_da,1,1,,0.5\n", 2, 2, "layer must be 2"),
    ("quantity,layer,j,k,value\nz,1,1,,1\nz,1,1,,2\n", 3, 1, "z 1 1 is already given on line 2"),
    ("q,l,j,k,v\nz,1,1,,1\n", 1, 1, "the first line must be the header"),
    ("", 1, 1, "empty file"),
]


@pytest.mark.parametrize("text,line,column,message", BAD)
def test_malformed_worksheets_are_refused_with_line_and_column(text, line, column, message):
    with pytest.raises(WorksheetError, match=re.escape(message)) as info:
        parse_answers(text, [2, 2, 2], name="sheet.csv")
    assert (info.value.line, info.value.column) == (line, column)
    assert f"line {line}" in str(info.value)


def test_batch_worksheet_refuses_per_example_rows():
    with pytest.raises(WorksheetError, match="delta is per example") as info:
        parse_answers("quantity,layer,j,k,value\nloss,,,,1\ndelta,1,1,,1\n", [2, 3, 1], batched=True)
    assert (info.value.line, info.value.column) == (3, 1)


def test_binary_and_oversized_files_are_refused(tmp_path):
    with pytest.raises(WorksheetError, match="line 2: not UTF-8"):
        parse_answers(b"quantity,layer,j,k,value\nz,1,1,,\xff\n", [2, 2, 2])
    with pytest.raises(WorksheetError, match="not a text file"):
        parse_answers("quantity,layer,j,k,value\0\n", [2, 2, 2])
    big = tmp_path / "big.csv"
    big.write_bytes(b"quantity,layer,j,k,value\n" + b"\n" * 6_000_000)
    with pytest.raises(WorksheetError, match="larger than 5 MB"):
        read_answers(big, [2, 2, 2])
    with pytest.raises(WorksheetError, match="cannot read"):
        read_answers(tmp_path / "missing.csv", [2, 2, 2])
