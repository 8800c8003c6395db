"""Optimizer state per step: what the update used and did matches a reference written here,
the stepper's view carries it, and a rewind restores it exactly."""
import math

import numpy as np
import pytest

from engine import get_preset
from engine.optim import OPTIMIZERS, make_optimizer
from engine.run import Run


def reference(name, grads, eta, hyper):
    """A plain reference implementation: the parameter changes and the state after each step,
    for one parameter array, from the list of its gradients."""
    v = m = None
    out = []
    for t, g in enumerate(grads, start=1):
        if name == "sgd":
            out.append({"delta": -eta * g})
        elif name == "momentum":
            v = np.zeros_like(g) if v is None else v
            v = hyper["beta"] * v - eta * g
            out.append({"v": v, "delta": v})
        else:
            b1, b2, eps = hyper["beta1"], hyper["beta2"], hyper["eps"]
            m = np.zeros_like(g) if m is None else m
            v = np.zeros_like(g) if v is None else v
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g ** 2
            m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
            out.append({"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat,
                        "delta": -eta * m_hat / (np.sqrt(v_hat) + eps)})
    return out


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_recorded_state_matches_reference_and_survives_rewind(name):
    config = get_preset("xor").replace(optimizer=name, eta=0.3, batch_size=2)
    run = Run(config)
    trainer = run.trainer
    records, grads_W0, W0_path = [], [], [run.net.W[0].copy()]
    for _ in range(6):
        r = trainer.step(record=True)
        records.append(r.optimizer_step)
        grads_W0.append(r.grads.dW[0].copy())
        W0_path.append(run.net.W[0].copy())
    hyper = {k: getattr(trainer.optimizer, k) for k in trainer.optimizer.hyper}
    ref = reference(name, grads_W0, 0.3, hyper)
    for t, (rec, want) in enumerate(zip(records, ref), start=1):
        assert rec.t == t and rec.name == name and rec.eta == 0.3
        for key, value in want.items():
            np.testing.assert_allclose(rec.W[0][key], value, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(W0_path[t], W0_path[t - 1] + rec.W[0]["delta"])   # ΔW actually applied
    trainer.rewind(3)
    assert trainer.optimizer.t == 3
    for buf in trainer.optimizer.buffers:          # restored to the reference's state after step 3
        np.testing.assert_allclose(trainer.optimizer.state[f"{buf}_W"][0], ref[2][buf], rtol=1e-12, atol=1e-15)
    again = trainer.step(record=True).optimizer_step
    for key in records[3].W[0]:
        np.testing.assert_array_equal(again.W[0][key], records[3].W[0][key])   # bit for bit after the rewind


def test_stepper_view_carries_the_optimizer_step_and_forgets_it_on_the_way_back():
    run = Run(get_preset("xor").replace(optimizer="adam", eta=0.05))
    s = run.stepper
    s.finish()
    v = s.view()
    rec = v.optimizer_step
    assert rec is not None and rec.name == "adam" and rec.t == 1
    np.testing.assert_array_equal(v.W[1], v.W_before[1] + rec.W[1]["delta"])
    np.testing.assert_array_equal(rec.W[1]["g"], v.grads.dW[1])
    s.prev()
    assert s.view().optimizer_step is None and run.trainer.optimizer.t == 0
    s.finish()
    np.testing.assert_array_equal(s.view().optimizer_step.W[1]["m_hat"], rec.W[1]["m_hat"])


def test_biases_fixed_leave_biases_and_their_state_alone():
    run = Run(get_preset("xor").replace(optimizer="momentum", train_biases=False))
    b0 = [b.copy() for b in run.net.b]
    rec = run.trainer.step(record=True).optimizer_step
    run.trainer.run(5)
    assert rec.b == [] and all(np.array_equal(b, c) for b, c in zip(run.net.b, b0))
    assert all(not v.any() for v in run.trainer.optimizer.state["v_b"])


def _evaluate(expr, numbers):
    """An UpdateLine's expression, evaluated here with plain arithmetic (independent of the GUI's)."""
    if isinstance(expr, str):
        return numbers[expr]
    if not isinstance(expr, tuple):
        return expr
    op, *args = expr
    v = [_evaluate(a, numbers) for a in args]
    ops = {"+": lambda: sum(v[1:], v[0]), "-": lambda: v[0] - v[1], "/": lambda: v[0] / v[1],
           "pow": lambda: v[0] ** v[1], "sqrt": lambda: math.sqrt(v[0]), "neg": lambda: -v[0],
           "*": lambda: math.prod(v)}
    return ops[op]()


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_equation_lines_state_the_numbers(name):
    """Each line prints its numbers, its expression gives its result, and the last line's result is
    the weight the engine applied (after a few steps, so the state is not zero)."""
    run = Run(get_preset("mazur").replace(optimizer=name))
    run.train_steps(2)
    run.stepper.finish()
    v = run.stepper.view()
    rec = v.optimizer_step
    opt = OPTIMIZERS[name]
    e = {k: float(a[0, 0]) for k, a in rec.W[1].items()}
    fmt = lambda x: f"{x:.6g}"
    lines = opt.equation_lines(rec, e, float(v.W_before[1][0, 0]), fmt, lambda x: f"({x:.6g})" if x < 0 else fmt(x))
    assert lines[-1].claim == "w new" and lines[-1].numbers["w new"] == v.W[1][0, 0] == run.net.W[1][0, 0]
    assert lines[-1].latex.endswith(f"= {v.W[1][0, 0]:.6g}")
    for line in lines:
        assert _evaluate(line.expr, line.numbers) == pytest.approx(line.numbers[line.claim], rel=1e-12)
        for x in line.numbers.values():
            assert fmt(x) in line.latex
    if name == "adam":
        assert any(f"1-0.9^{{{rec.t}}}" in line.latex for line in lines)
