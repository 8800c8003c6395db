"""File → Import weights and Export weights for PyTorch: the dialog builds the run from a
PyTorch-shaped state dict; refusals name the key; the export shows the nn.Sequential."""
import numpy as np
from safetensors.numpy import save_file

from helpers import torch_like


def test_file_menu_imports_and_exports_weights(qtbot, tmp_path):
    from gui.session import Session
    from gui.shell.main_window import MainWindow
    session = Session("xor")
    window = MainWindow(session)
    qtbot.addWidget(window)
    out = tmp_path / "xor.safetensors"
    snippet = window.file_actions.export_weights_to(out)
    assert "nn.Linear(2, 3), nn.Tanh()," in snippet and out.exists()
    state = {k: v.astype(np.float32) for k, v in torch_like(np.random.default_rng(2), [2, 4, 1]).items()}
    model = tmp_path / "m.safetensors"
    save_file(state, str(model))
    dialog = window.file_actions.import_weights_from(model)
    assert dialog.dataset.currentData()["name"] == "xor"
    dialog.activation.setCurrentText("relu")
    dialog._on_accepted()
    assert session.net.sizes == [2, 4, 1] and session.net.activation == "relu"
    np.testing.assert_array_equal(session.net.W[0], state["0.weight"].astype(np.float64))
    bad = tmp_path / "bad.safetensors"
    save_file({"0.weight": state["0.weight"]}, str(bad))
    assert window.file_actions.import_weights_from(bad) is None
    assert "'0.bias' is missing" in window.file_actions.last_message.text()
    window.close()
