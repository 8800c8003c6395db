"""Adding an optimiser touches one file: a rule registered in engine/optim.py's OPTIMIZERS, with
nothing else changed, is offered by the network editor, trains, is saved and read back, writes its
own update in the derivation (every line's equation gives its number) and gets the heatmaps it
declares beside ∂C/∂W in the matrices panel."""
import numpy as np
import pytest

from engine import get_preset
from engine.optim import OPTIMIZERS, Optimizer, StateMap, UpdateLine, gradient_latex
from engine.run import Run
from engine.session_file import save_session
from engine.session_read import load_session
from gui.derivation import build_step
from helpers import check_block, check_claim


class SignSGD(Optimizer):
    """W ← W − η sign(∂C/∂W): a rule this project does not ship, written as engine/optim.py's are."""
    name, title, short_name = "signsgd", "Sign SGD", "sign SGD"
    banner = "Wˡ ← Wˡ − η sign(∂C/∂Wˡ)"
    state_maps = (StateMap("sign", "s", "sign of the gradient {symbol}, t = {t}", signed=True),)

    def _update(self, p, g):
        s = np.sign(g)
        delta = -(self.eta * s)
        p += delta
        return delta, {"sign": s}

    @classmethod
    def formula_in(cls, convention, param="W"):
        return rf"{param} \leftarrow {param} - \eta\,\operatorname{{sign}}{gradient_latex(param, convention)}"

    @classmethod
    def equation_lines(cls, rec, e, w, fmt, fmtp, param="w"):
        new = w + e["delta"]
        return [UpdateLine(rf"{param} \leftarrow {param} - \eta\,\operatorname{{sign}} g = {fmt(w)} - {fmt(rec.eta)}"
                           rf"\cdot {fmtp(e['sign'])} = {fmt(new)}",
                           {"w": w, "eta": rec.eta, "sign": e["sign"], "w new": new}, "w new",
                           ("-", "w", ("*", "eta", "sign")))]


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(OPTIMIZERS, SignSGD.name, SignSGD)


def test_a_registered_optimizer_trains_and_is_saved(registered, tmp_path):
    run = Run(get_preset("xor").replace(optimizer="signsgd", eta=0.01))
    W = [w.copy() for w in run.net.W]
    run.train_steps(1)
    assert run.trainer.step_count == 1 and all(np.all(np.abs(a - b) <= 0.01 + 1e-15) for a, b in zip(run.net.W, W))
    save_session(tmp_path / "s.bplens", run)
    back = load_session(tmp_path / "s.bplens").run
    assert back.config.optimizer == "signsgd" and all(np.array_equal(a, b) for a, b in zip(back.net.W, run.net.W))


def test_the_derivation_writes_its_update_and_the_panel_draws_its_state(registered, qtbot, session):
    from gui.widgets.heatmap_panel import ROLES, HeatmapPanel
    from gui.widgets.network_editor import NetworkEditor
    editor = NetworkEditor(session)
    qtbot.addWidget(editor)
    assert "signsgd" in [editor.optimizer.itemData(i) for i in range(editor.optimizer.count())]
    panel = HeatmapPanel(session)
    qtbot.addWidget(panel)
    session.change(optimizer="signsgd")
    assert panel.active_roles() == ROLES + ["sign", "applied"]
    session.finish_example()
    v, l = session.view, panel.layer
    rec = v.optimizer_step
    np.testing.assert_array_equal(panel.heatmaps["sign"].matrix, np.sign(v.grads.dW[l]))
    assert panel.heatmaps["sign"].title.startswith("sign of the gradient s") and panel.heatmaps["sign"].title.endswith(f"t = {rec.t}")
    np.testing.assert_array_equal(panel.heatmaps["applied"].matrix, rec.W[l]["delta"])
    blocks = build_step(session.net, v, None, "column")
    assert blocks[0].title.startswith("Update: Sign SGD")
    lines = [b for b in blocks if r"\operatorname{sign} g" in b.latex]
    assert lines
    for b in lines:
        check_block(b)
        check_claim(b)
