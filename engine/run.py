"""A Run: one configuration brought to life — network, data, trainer and the stepper over the
current example.  The GUI's session adapter, the command line and session files all use it.

The stepper's update goes through the trainer (as an external step on the one example), so the
training history, rewind and the optimizer state include what the lecturer stepped through, and
stepping back over the update rewinds the trainer too.
"""
from __future__ import annotations

import numpy as np

from . import datasets
from .config import RunConfig
from .dataset_type import Dataset
from .network import Network, parameter_count
from .stepper import Stepper
from .trainer import Trainer


def build_data(spec: dict, seed: int = 0, progress=None):
    """(train, test) Datasets from a data-set spec: a generator or shipped name with its options,
    or ``{"name": "custom", "X": …, "Y": …, "kind": …}`` for data carried in the spec itself.
    ``progress(stage, done, total)``, if given, is called while the data is made (stage "make")
    and split into training and test sets ("split"), ``done`` of ``total`` in the stage's own units,
    at least every few tens of milliseconds of work on a million rows; an exception it raises (a
    cancellation) stops the building there."""
    progress = progress or (lambda stage, done, total: None)
    spec = dict(spec)
    name = spec.pop("name")
    test_fraction = spec.pop("test_fraction", 0.2)
    standardize = spec.pop("standardize", False)
    split_seed = spec.pop("split_seed", seed)

    def split(done, total):
        progress("split", done, total)
    if name != "custom":
        spec.pop("title", None)
    if name == "custom":
        ds = Dataset.from_dict({"name": spec.get("title", "custom"), **{k: v for k, v in spec.items() if k != "title"}})
        train, test = ds, ds.subset(np.arange(0))
        split(0, 1)
        if test_fraction and len(ds) >= 5:
            train, test = datasets.train_test_split(ds, test_fraction, split_seed, split)
    else:
        if "progress" in spec:             # the generators' report, never a data-set option
            raise ValueError(f"unknown option(s) progress for data set {name!r}")
        ds = datasets.make_dataset(name, progress=lambda done, total: progress("make", done, total), **spec)
        split(0, 1)
        train, test = datasets.train_test_split(ds, test_fraction, split_seed, split)
    if standardize:
        mu, sd = train.X.mean(axis=0), train.X.std(axis=0)
        sd = np.where(sd > 0, sd, 1.0)
        train, test = _scaled(train, mu, sd), _scaled(test, mu, sd)
    return train, test


def build_work(config: RunConfig) -> tuple[int, int]:
    """About how much work building ``config`` is, from the configuration alone, without building
    anything: (the data set's values, rows × (inputs + outputs); the network's parameters)."""
    spec, sizes = config.dataset, config.sizes
    if "X" in spec:
        rows = len(spec["X"]) if hasattr(spec["X"], "__len__") else 0
    else:
        rows = spec.get("n", 0) if isinstance(spec.get("n", 0), int) else 0
    return rows * (sizes[0] + sizes[-1]), parameter_count(sizes)


def config_for_dataset(config: RunConfig, name: str, spec: dict | None = None) -> RunConfig:
    """``config`` moved to data set ``name`` (built from ``spec``, else its usual options): the same
    hidden layers, input and output widths from the data, and the data's natural output activation
    and loss (``Dataset.natural_output``).  ValueError if the data cannot be built."""
    spec = {**(spec or datasets.usual_spec(name)), "name": name}
    train, _ = build_data(spec, config.seed)
    output, loss = train.natural_output
    sizes = [train.X.shape[1], *config.sizes[1:-1], train.Y.shape[1]]
    return config.replace(sizes=sizes, output_activation=output, loss=loss, dataset=spec,
                          W=None, b=None, example_index=0)


def _scaled(ds, mu, sd):
    out = ds.subset(np.arange(len(ds)))
    out.X = (ds.X - mu) / sd
    return out


class Run:
    def __init__(self, config: RunConfig, progress=None):
        """Bring ``config`` to life; ValueError naming what does not fit.  ``progress(text, done,
        total)``, if given, is called as each stage begins (making the data, splitting it into
        training and test sets, initialising the network, the trainer and first example), and
        within the data's stages every few tens of milliseconds of work (``build_data``), with the
        part of the building done so far: ``done`` of ``total`` units of ``build_work`` (making the
        data weighs twice its splitting, as measured on a million points); an exception it raises
        (a cancellation) stops the building there."""
        progress = progress or (lambda text, done, total: None)
        self.config = config.validate()
        values, params = build_work(config)
        total = 3 * values + params + 1
        points = f" ({config.dataset['n']:,} points)" if isinstance(config.dataset.get("n"), int) else ""
        title = config.dataset.get("title", config.dataset["name"])
        stages = {"make": (f"Making the data set {title}{points}", 0, 2 * values),
                  "split": (f"Splitting {title} into training and test sets", 2 * values, values)}

        def data_progress(stage, done, part):
            text, start, weight = stages[stage]
            progress(text, start + weight * done // max(part, 1), total)
        progress(stages["make"][0], 0, total)
        self.train, self.test = build_data(config.dataset, config.seed, data_progress)
        n_in, n_out = self.train.X.shape[1], self.train.Y.shape[1]
        if (n_in, n_out) != (config.sizes[0], config.sizes[-1]):
            raise ValueError(f"data set {self.train.name!r} has {n_in} inputs and {n_out} outputs, but the "
                             f"network {config.sizes} has {config.sizes[0]} inputs and {config.sizes[-1]} outputs")
        if len(self.train) == 0:
            raise ValueError(f"data set {self.train.name!r} has no training examples")
        progress(f"Initialising the network ({'-'.join(map(str, config.sizes))})", 3 * values, total)
        self.net = Network(config.sizes, config.activation, config.output_activation, config.loss, config.seed % 2**31,
                           penalty=config.penalty, lam=config.penalty_lambda, dropout=config.dropout)
        if config.W is not None or config.b is not None:
            self.net.set_params(W=config.W, b=config.b)
        self.initial_params = self.net.get_params()
        self.example_index = config.example_index % len(self.train)
        progress("Preparing the trainer and the first example", 3 * values + params, total)
        self.reset()

    # -- lifetime --------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the initial weights, an empty history and the first micro-step."""
        self.net.set_params(*self.initial_params)
        c = self.config
        self.trainer = Trainer(self.net, self.train, self.test, optimizer=c.optimizer, eta=c.eta,
                               batch_size=min(c.batch_size, len(self.train)), seed=c.seed,
                               train_biases=c.train_biases)
        self.new_stepper()

    def example(self, i: int | None = None):
        """(x, y) of training example i (the current one by default): shapes (N_0,), (N_L,)."""
        i = self.example_index if i is None else i
        return self.train.X[i], self.train.Y[i]

    def new_stepper(self) -> Stepper:
        """The stepper over the current example, computed as the update it ends in will be: with
        the dropout masks the trainer will draw for that update, through the trainer's optimizer."""
        x, y = self.example()
        i = self.example_index
        masks = self.trainer.dropout_masks(self.trainer.step_count + 1, 1)
        masks = None if masks is None else [None if m is None else m[0] for m in masks]
        self.stepper = Stepper(self.net, x, y, self.config.eta,
                               update=lambda grads: self.trainer.step(indices=np.array([i]), record=True),
                               undo=lambda: self.trainer.rewind(self.trainer.step_count - 1),
                               masks=masks, optimizer=self.trainer.optimizer,
                               train_biases=self.config.train_biases)
        return self.stepper

    def set_example(self, i: int) -> None:
        """Step through training example ``i`` (0-based) from now on."""
        if not 0 <= i < len(self.train):
            raise ValueError(f"the example index must be in 0..{len(self.train) - 1}, got {i}")
        self.example_index = i
        self.new_stepper()

    def next_example(self) -> None:
        """Finish the current example (taking its update) and start the next one."""
        self.stepper.finish()
        self.example_index = (self.example_index + 1) % len(self.train)
        self.new_stepper()

    def set_eta(self, eta: float) -> None:
        """η from the next update on, keeping the weights and history (the trainer records the
        change, so rewind replays it); the current example is recomputed at the same micro-step."""
        eta = self.config.replace(eta=eta).eta      # validated like every configuration field
        self.trainer.set_eta(eta)
        self.config.eta = eta
        if not self.stepper.updated:
            k = self.stepper.index
            self.new_stepper().seek(k)

    def set_epochs(self, epochs: int) -> None:
        self.config.epochs = self.config.replace(epochs=epochs).epochs

    # -- training --------------------------------------------------------------------------
    def train_steps(self, n: int, should_stop=None):
        """n mini-batch updates of the trainer (stops early and raises Diverged on divergence)."""
        try:
            return self.trainer.run(n, should_stop)
        finally:
            self.new_stepper()

    def rewind(self, step: int, progress=None) -> None:
        """The trainer rewound to ``step`` updates (``progress`` as Trainer.rewind's), a new stepper."""
        self.trainer.rewind(step, progress)
        self.new_stepper()
