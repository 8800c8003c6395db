"""Shared test helpers: central finite differences (independent of the engine's own gradient check)
and the checks that compare what a widget draws with the engine's numbers."""

import numpy as np


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
