"""``build_step``: the blocks of the current micro-step — the equation in symbols with each
factor's shape under it, then the same equation with the current numbers.

The forward steps are in ``forward.py``, the output δ in ``output.py``, a layer's backward steps in
``backward.py`` and the update in ``update.py``; this module only picks one, and adds the blocks of
the run's training terms at this step (``training.py``: penalty, dropout, an optimizer's state).
"""
from __future__ import annotations

from .backward import db_blocks, delta_blocks, dW_blocks
from .context import Context, EquationBlock
from .forward import a_blocks, input_blocks, loss_blocks, z_blocks
from .output import output_delta_blocks
from .training import training_blocks
from .update import update_blocks


def build_step(net, view, selection=None, convention: str = "column", example: int = 0) -> list[EquationBlock]:
    """The blocks of the current micro-step of ``view`` (a StepView, which names its optimizer)."""
    ctx = Context(net, view, selection, convention, example)
    return _step_blocks(ctx) + training_blocks(ctx)


def _step_blocks(ctx: Context) -> list[EquationBlock]:
    net, st = ctx.net, ctx.view.step
    if st.quantity == "x":
        return input_blocks(ctx)
    if st.quantity == "z":
        return z_blocks(ctx, st.l)
    if st.quantity == "a":
        return a_blocks(ctx, st.l)
    if st.quantity == "C":
        return loss_blocks(ctx)
    if st.quantity == "delta":
        return output_delta_blocks(ctx) if st.l == net.L - 1 else delta_blocks(ctx, st.l)
    if st.quantity == "dW":
        return dW_blocks(ctx, st.l)
    if st.quantity == "db":
        return db_blocks(ctx, st.l)
    return update_blocks(ctx)
