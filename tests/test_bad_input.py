import subprocess
import sys

import numpy as np
import pytest

from engine import Network, RunConfig
from helpers import ROOT


@pytest.mark.parametrize("sizes,match", [
    ([], "at least"), ([3], "at least"), ([2, 0, 1], "at least 1"), ([2, -3], "at least 1"),
    ([2, 2.5], "not a whole number"), ([2, "3"], "not a whole number"), ([2, True], "not a whole number"),
    ([2, 10**6], "maximum"), ([20000, 20000, 2000], "parameters"), ("2-2-2", "list"), (None, "list"),
])
def test_bad_sizes(sizes, match):
    with pytest.raises(ValueError, match=match):
        Network(sizes)


@pytest.mark.parametrize("kw,match", [
    (dict(activation="swish"), "unknown activation 'swish'.*sigmoid"),
    (dict(activation="softmax"), "output layer only"),
    (dict(output_activation="nope"), "unknown activation"),
    (dict(loss="hinge"), "unknown loss 'hinge'.*half_sse"),
    (dict(seed=-1), "seed"),
])
def test_bad_names(kw, match):
    with pytest.raises(ValueError, match=match):
        Network([2, 3, 2], **kw)


def test_softmax_allowed_when_there_is_no_hidden_layer():
    assert Network([2, 2], activation="softmax").output_activation == "softmax"


def test_bad_shapes_of_x_y_and_params():
    net = Network([3, 2])
    for x in ([1, 2], np.ones((2, 4)), np.ones((1, 1, 3)), [], [1, np.nan, 2]):
        with pytest.raises(ValueError, match="x"):
            net.forward(x)
    t = net.forward(np.ones(3))
    with pytest.raises(ValueError, match="y"):
        net.backward(t, [1, 2, 3])
    with pytest.raises(ValueError, match="y"):
        net.backward(net.forward(np.ones((4, 3))), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"W\[0\] must have shape \(2, 3\)"):
        net.set_params(W=[np.ones((3, 2))])
    with pytest.raises(ValueError, match="NaN"):
        net.set_params(b=[[np.inf, 0]])


@pytest.mark.parametrize("changes,match", [
    (dict(eta=0), "η"), (dict(eta=float("nan")), "η"), (dict(batch_size=0), "batch size"),
    (dict(optimizer="rmsprop"), "optimizer"), (dict(epochs=1.5), "epochs"), (dict(bogus=1), "unknown configuration"),
])
def test_bad_run_config(changes, match):
    with pytest.raises(ValueError, match=match):
        RunConfig.from_dict({"sizes": [2, 2], **changes})


def test_engine_never_imports_qt():
    code = ("import sys, engine, engine.run, engine.trainer, engine.datasets, engine.jacobians, engine.gradcheck, "
            "engine.presets, engine.stepper\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph')]\n"
            "assert not bad, bad\n"
            "import pkgutil\n"
            "for m in pkgutil.iter_modules(engine.__path__): __import__('engine.' + m.name)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'pyqtgraph')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    for path in (ROOT / "engine").glob("*.py"):
        text = path.read_text()
        assert "PySide6" not in text and "pyqtgraph" not in text, path
