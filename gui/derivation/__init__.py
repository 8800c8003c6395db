"""Pure functions (no Qt) that build the derivation panel's LaTeX from the session's state.

Each builder takes (net, view, selection, convention) and returns a list of ``EquationBlock``
(title, latex, numbers, text); ``numbers`` records the values substituted, by name, in the order
and orientation they are printed, so tests can compare them with the engine and with the LaTeX.
"""
from .context import Context, EquationBlock, context_from_session, copy_network
from .equations import build_step
from .forms import MAX_TENSOR, differential_blocks, tensor_available, tensor_blocks
from .gradcheck import CheckResult, run_gradient_check
from .latex import parse_matrices, parse_number, num, tolerance
from .scalar import scalar_blocks
from .update import batch_blocks

__all__ = ["Context", "EquationBlock", "context_from_session", "copy_network", "build_step", "MAX_TENSOR",
           "differential_blocks", "tensor_available", "tensor_blocks", "CheckResult", "run_gradient_check",
           "parse_matrices", "parse_number", "num", "tolerance", "scalar_blocks", "batch_blocks",
           "convention_note"]


def convention_note(convention: str) -> str:
    """One paragraph: what the layout convention changes and why both are right."""
    if convention == "row":
        return ("Row vectors (numerator layout): a gradient is written as the Jacobian of C, a 1×N row, so "
                "δˡ = δˡ⁺¹ Wˡ⁺¹ diag σ′(zˡ) and ∂C/∂Wˡ = aˡ⁻¹ ⊗ δˡ has the shape of (Wˡ)ᵀ.  Switching to column "
                "vectors transposes every gradient: (AB)ᵀ = BᵀAᵀ turns δW into Wᵀδ and diag σ′ into ⊙ σ′.  "
                "The numbers are the same; only how they are laid out changes, so both are right.")
    return ("Column vectors (denominator layout): a gradient has the shape of what it differentiates, so "
            "δˡ = (Wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ′(zˡ) is N×1 like zˡ and ∂C/∂Wˡ = δˡ (aˡ⁻¹)ᵀ has the shape of Wˡ.  Switching to row "
            "vectors transposes every gradient: (AB)ᵀ = BᵀAᵀ turns Wᵀδ into δW and ⊙ σ′ into diag σ′.  "
            "The numbers are the same; only how they are laid out changes, so both are right.")
