"""Pure functions (no Qt) that build the derivation panel's LaTeX from the session's state.

Each builder takes (net, view, selection, convention) and returns a list of ``EquationBlock``:
title, LaTeX, explanation, and every number printed (``numbers``, in the order and orientation
printed) with the engine quantity it is (``refs``) and, for an equation with numbers, the number it
claims and how it follows from the others (``claim``, ``expr``; ``algebra.evaluate``).

Modules, each importing only ``context``, ``latex`` and the one below it: ``forward`` (input, z,
a, loss), ``output`` (δᴸ by loss), ``backward`` (a layer's δ, ∂C/∂W, ∂C/∂b), ``update``;
``steps.build_step`` picks the current micro-step's; ``scalar`` and ``forms`` (differential,
∂z/∂W tensor) are the other tabs.
"""
from .algebra import evaluate
from .context import Context, EquationBlock, Ref, context_from_session, copy_network
from .forms import MAX_TENSOR, NudgeResult, differential_blocks, nudge_check, tensor_available, tensor_blocks
from .gradcheck import CheckResult, run_gradient_check
from .latex import parse_matrices, parse_number, num, tolerance
from .scalar import scalar_blocks
from .steps import build_step
from .update import batch_blocks

__all__ = ["Context", "EquationBlock", "Ref", "context_from_session", "copy_network", "build_step", "MAX_TENSOR",
           "differential_blocks", "tensor_available", "tensor_blocks", "CheckResult", "run_gradient_check",
           "parse_matrices", "parse_number", "num", "tolerance", "scalar_blocks", "batch_blocks",
           "convention_note", "evaluate", "nudge_check", "NudgeResult"]


def convention_note(convention: str) -> str:
    """Two lines: what the layout convention shows, and that the other one only transposes."""
    if convention == "row":
        return ("Row vectors (numerator layout): δ is a 1×N row, the Jacobian of C; ∂C/∂W = a ⊗ δ is shaped like Wᵀ, "
                "so the update subtracts η (∂C/∂W)ᵀ.  Column vectors transpose every gradient: same numbers.")
    return ("Column vectors (denominator layout): δ is an N×1 column like z; ∂C/∂W = δ aᵀ is shaped like W.  "
            "Row vectors transpose every gradient: same numbers.")
