"""Backprop Lens engine: pure NumPy, no Qt.  See network.py for the index conventions.

    from engine import Network
    net = Network([2, 2, 2], activation="sigmoid", loss="half_sse", seed=0)
    trace = net.forward(x); grads = net.backward(trace, y); net.sgd_step(grads, eta)
"""
from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, Activation, get_activation
from .config import RunConfig
from .gradcheck import GradCheck, gradient_check
from .losses import LOSSES, Loss, get_loss
from .network import Grads, Network, Trace
from .optim import OPTIMIZERS
from .presets import PRESETS, get_preset
from .stepper import MicroStep, Stepper, StepView

__all__ = ["ACTIVATIONS", "HIDDEN_ACTIVATIONS", "Activation", "get_activation", "LOSSES", "Loss",
           "get_loss", "Network", "Trace", "Grads", "Stepper", "MicroStep", "StepView", "GradCheck",
           "gradient_check", "RunConfig", "OPTIMIZERS", "PRESETS", "get_preset"]
