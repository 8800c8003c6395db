"""The presets: runs a lecture starts from, each with one line on what it shows and its source.

``PRESETS`` is the registry the Presets menu and the start screen read; ``get_preset(name)``
returns a fresh RunConfig.
"""
from __future__ import annotations

from dataclasses import dataclass

from .config import RunConfig


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str   # one line: what it shows, which text it follows
    config: dict

    def run_config(self) -> RunConfig:
        return RunConfig.from_dict(_deep_copy(self.config))


def _deep_copy(v):
    if isinstance(v, dict):
        return {k: _deep_copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_deep_copy(x) for x in v]
    return v


_PRESETS = [
    Preset("mazur", "Mazur's step-by-step example (2-2-2)",
           "Matt Mazur's 'A Step by Step Backpropagation Example': E_total = 0.298371109, "
           "then w5 = 0.35891648 and E_total = 0.291027924 after one update with η = 0.5 "
           "(the post updates w1…w8 only: biases fixed).",
           dict(sizes=[2, 2, 2], activation="sigmoid", loss="half_sse", optimizer="sgd", eta=0.5,
                batch_size=1, epochs=1000, train_biases=False,
                W=[[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                b=[[0.35, 0.35], [0.60, 0.60]],
                dataset={"name": "custom", "title": "Mazur's example", "kind": "regression",
                         "X": [[0.05, 0.10]], "Y": [[0.01, 0.99]]})),
    Preset("xor", "XOR (2-3-1)",
           "The four XOR points, which no single layer separates: tanh hidden layer, sigmoid output, "
           "binary cross-entropy.",
           dict(sizes=[2, 3, 1], activation="tanh", output_activation="sigmoid", loss="bce",
                optimizer="sgd", eta=0.5, batch_size=4, epochs=2000, seed=1,
                dataset={"name": "xor", "exact": True, "outputs": 1, "test_fraction": 0.0})),
    Preset("diagram", "The 3-4-2 layer diagram",
           "The 3-4-2 network drawn in the texts' layer diagrams, one example, sigmoid and ½·SSE: "
           "every index of wˡⱼₖ on screen.",
           dict(sizes=[3, 4, 2], activation="sigmoid", loss="half_sse", optimizer="sgd", eta=1.0,
                batch_size=1, epochs=500, seed=3,
                dataset={"name": "custom", "title": "one example", "kind": "regression",
                         "X": [[1.0, 0.5, -0.5]], "Y": [[1.0, 0.0]]})),
    Preset("wong", "Wong's softmax network (3-4-3)",
           "Eric Wong's 'Tensor Differential Calculus, Part 3': sigmoid hidden layer, softmax output with "
           "cross-entropy, target e₁; the differential dC = (p − y)ᵀ dz and the alternation of Jacobians.",
           dict(sizes=[3, 4, 3], activation="sigmoid", output_activation="softmax", loss="cross_entropy",
                optimizer="sgd", eta=0.5, batch_size=1, epochs=500, seed=0,
                dataset={"name": "custom", "title": "one example, target e₁", "kind": "classification",
                         "X": [[1.0, 0.5, -0.5]], "Y": [[1.0, 0.0, 0.0]]})),
    Preset("vanishing", "Vanishing gradients (3-4-4-4-4-4-2)",
           "Six sigmoid layers, ½·SSE: σ′ ≤ ¼ at every layer, so ‖δ‖ falls about four orders of magnitude "
           "from the output to the first layer (seed 3); δ¹ as ∂C/∂a times the Jacobians in between.",
           dict(sizes=[3, 4, 4, 4, 4, 4, 2], activation="sigmoid", loss="half_sse", optimizer="sgd", eta=1.0,
                batch_size=1, epochs=500, seed=3,
                dataset={"name": "custom", "title": "one example", "kind": "regression",
                         "X": [[1.0, 0.5, -0.5]], "Y": [[1.0, 0.0]]})),
    Preset("iris", "Iris flowers (4-8-3, softmax)",
           "Fisher's iris data, softmax with cross-entropy: δᴸ = p − y, accuracy and a test set.",
           dict(sizes=[4, 8, 3], activation="tanh", output_activation="softmax", loss="cross_entropy",
                optimizer="sgd", eta=0.1, batch_size=8, epochs=100, seed=0,
                dataset={"name": "iris", "test_fraction": 0.2, "standardize": True})),
    Preset("digits", "8×8 digits (64-32-10)",
           "Handwritten 8×8 digits: a wide input layer drawn with level of detail, ReLU, softmax.",
           dict(sizes=[64, 32, 10], activation="relu", output_activation="softmax", loss="cross_entropy",
                optimizer="sgd", eta=0.05, batch_size=16, epochs=30, seed=0,
                dataset={"name": "digits", "test_fraction": 0.2})),
    Preset("spirals", "Two spirals (2-16-16-2)",
           "A hard 2-D problem for the decision-boundary view: two hidden tanh layers and Adam.",
           dict(sizes=[2, 16, 16, 2], activation="tanh", output_activation="softmax", loss="cross_entropy",
                optimizer="adam", eta=0.01, batch_size=16, epochs=300, seed=0,
                dataset={"name": "spirals", "n": 300, "noise": 0.1, "test_fraction": 0.2})),
    Preset("sine", "Fitting sin(x) (1-16-1)",
           "1-D regression: a tanh hidden layer and a linear output learn a sine wave, MSE.",
           dict(sizes=[1, 16, 1], activation="tanh", output_activation="linear", loss="mse",
                optimizer="adam", eta=0.02, batch_size=16, epochs=300, seed=0,
                dataset={"name": "sine", "n": 200, "noise": 0.05, "test_fraction": 0.2})),
]
PRESETS: dict[str, Preset] = {p.name: p for p in _PRESETS}


def get_preset(name: str) -> RunConfig:
    """The RunConfig of preset ``name``; ValueError listing the presets otherwise."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    return PRESETS[name].run_config()
