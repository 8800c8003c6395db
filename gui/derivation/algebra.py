"""Evaluate an EquationBlock's equation with the block's own numbers.

An expression is a number's name in ``block.numbers``, a literal float, or a tuple
``(op, *args)``:

- ``("@", A, B, …)`` matrix products (2-D arrays as printed, so the orientation must fit);
- ``("*", A, B, …)`` entry-by-entry products (⊙, and scalars times arrays);
- ``("+", A, B, …)``, ``("-", A, B)``, ``("neg", A)``, ``("/", A, B)``, ``("pow", A, B)``,
  ``("sqrt", A)``, ``("sign", A)`` (entry by entry);
- ``("T", A)`` transpose, ``("diag", v)`` the diagonal matrix of a vector, ``("sum", A)`` the sum of
  every entry, ``("norm", A)`` the 2-norm;
- ``("act", name, Z)`` the activation ``name`` of the registry applied to Z;
- ``("loss", name, A, Y)`` the loss ``name`` of the registry for output A and target Y.

The result is compared with ``block.numbers[block.claim]`` by the tests: the equation printed
must give the number printed, in the shape printed.
"""
from __future__ import annotations

from functools import reduce

import numpy as np

from engine.activations import get_activation
from engine.losses import get_loss


def _value(arg, numbers):
    if isinstance(arg, tuple):
        return evaluate(arg, numbers)
    if isinstance(arg, str):
        return np.asarray(numbers[arg], dtype=float)
    return np.asarray(arg, dtype=float)


def evaluate(expr, numbers: dict) -> np.ndarray:
    """The value of ``expr`` (see the module docstring) with the numbers of one block."""
    if not isinstance(expr, tuple):
        return _value(expr, numbers)
    op, *args = expr
    if op == "act":     # over the vector's entries, whichever way it is printed (softmax couples them)
        z = _value(args[1], numbers)
        return get_activation(args[0])(z.ravel()).reshape(z.shape)
    if op == "loss":
        a, y = (_value(v, numbers) for v in args[1:])
        return np.asarray(get_loss(args[0]).value(a.ravel(), y.ravel()))
    vals = [_value(v, numbers) for v in args]
    if op == "@":
        return reduce(np.matmul, vals)
    if op == "*":
        return reduce(np.multiply, vals)
    if op == "+":
        return reduce(np.add, vals)
    if op == "-":
        return vals[0] - vals[1]
    if op == "neg":
        return -vals[0]
    if op == "/":
        return vals[0] / vals[1]
    if op == "pow":
        return vals[0] ** vals[1]
    if op == "sqrt":
        return np.sqrt(vals[0])
    if op == "sign":
        return np.sign(vals[0])
    if op == "T":
        return vals[0].T
    if op == "diag":
        return np.diag(vals[0].ravel())
    if op == "sum":
        return np.asarray(vals[0].sum())
    if op == "norm":
        return np.asarray(np.linalg.norm(vals[0]))
    raise ValueError(f"unknown operation {op!r} in {expr!r}")
