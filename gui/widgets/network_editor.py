"""The network editor (a dock panel): layer sizes, activations, loss, optimizer, η, batch size,
epochs, seed, the training terms (train biases, weight penalty and λ, dropout p) and the data set.  Every edit is validated at once — a bad value gets a red message
under its field — and nothing reaches the session until everything is valid: Apply stays disabled
until then, and calls ``session.apply_config`` with the new RunConfig.  Revert reloads the run's
configuration, as does every new run.  The budgets are shown as the sizes are typed: the network's
parameter count against the session's MAX_PARAMS under the layer sizes, and a generated data set's
point limit (MAX_POINTS) under n; a network over its budget is refused there,
before anything is built.
"""
from __future__ import annotations

import re

from PySide6 import QtCore, QtWidgets

from engine import RunConfig
from engine.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from engine.optim import OPTIMIZERS
from engine.datasets import DATASET_NAMES, DESCRIPTIONS, GENERATORS, usual_spec
from engine.losses import LOSSES
from engine.regularisation import PENALTIES
from gui.session import Session
from gui.theme import THEMES, panel_point_size, set_font_within, set_style_sheet
from gui.widgets.screen_fit import SightWatch, width_in_sight

MAX_PARAMS, MAX_N = Session.MAX_PARAMS, Session.MAX_POINTS

SHOWN_DEFAULTS = {"n": 200, "noise": 0.1, "test_fraction": 0.2}    # a data-set spec's fields when it leaves them out
_SEPARATORS = re.compile(r"[\s,\-–x×]+")


def parse_sizes(text: str) -> list[int]:
    """'2-8-8-1' (or '2, 8, 8, 1', '2x8x1') → [2, 8, 8, 1]; ValueError naming the bad part."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not parts:
        raise ValueError("type the layer widths from input to output, e.g. 2-8-1")
    for p in parts:
        if not p.isdigit():
            raise ValueError(f"{p!r} is not a whole number; type widths like 2-8-1")
    return [int(p) for p in parts]


def _spec_key(spec: dict) -> tuple:
    """A cheap, hashable key for a data-set spec: an imported data set's arrays by identity (they
    are referenced, never copied or changed), everything else by value."""
    return tuple(sorted((k, ("array", id(v)) if hasattr(v, "shape") else repr(v)) for k, v in spec.items()))


def _parse(text: str, kind, what: str):
    try:
        return kind(text.strip())
    except ValueError:
        raise ValueError(f"{what} must be {'a whole number' if kind is int else 'a number'}, got {text!r}") from None


class NetworkEditor(QtWidgets.QWidget):
    def __init__(self, session: Session, parent=None):
        super().__init__(parent)
        self.session = session
        self._data_cache: dict[tuple, tuple] = {}
        self.sizes = QtWidgets.QLineEdit()
        self.sizes.setToolTip("Layer widths from input to output, e.g. 2-8-8-1")
        self.add_layer = QtWidgets.QPushButton("+ hidden layer")
        self.remove_layer = QtWidgets.QPushButton("− hidden layer")
        self.activation = self._combo(HIDDEN_ACTIVATIONS, "Activation of every hidden layer")
        self.output_activation = self._combo(list(ACTIVATIONS), "Activation of the output layer")
        self.loss = self._combo(list(LOSSES), "The cost C(aᴸ, y)", lambda name: LOSSES[name].short_name)
        self.optimizer = self._combo(list(OPTIMIZERS), "How ∂C/∂W becomes an update", lambda name: OPTIMIZERS[name].title)
        self.eta, self.batch_size, self.epochs, self.seed = (QtWidgets.QLineEdit() for _ in range(4))
        self.train_biases = QtWidgets.QCheckBox("update b as well as W")
        self.train_biases.setToolTip("Off: the biases keep their initial values (the Mazur post updates w1…w8 only)")
        self.penalty = self._combo(list(PENALTIES), "Weight penalty Ω added to the cost: L2 = λ/2 Σw², L1 = λ Σ|w|")
        self.penalty_lambda, self.dropout = QtWidgets.QLineEdit(), QtWidgets.QLineEdit()
        self.penalty_lambda.setToolTip("Penalty strength λ (0 to 10)")
        self.dropout.setToolTip("Dropout rate p of the hidden layers while training (0 to 0.9); "
                                "kept neurons are scaled by 1/(1 − p)")
        self.dataset = QtWidgets.QComboBox()
        self.n, self.noise, self.test_fraction = (QtWidgets.QLineEdit() for _ in range(3))
        self.apply = QtWidgets.QPushButton("Apply")
        self.apply.setDefault(True)
        self.revert = QtWidgets.QPushButton("Revert")
        self.messages: dict[str, QtWidgets.QLabel] = {}
        self.budgets = {"sizes": QtWidgets.QLabel(), "n": QtWidgets.QLabel(f"1 to {MAX_N:,} points")}
        self.budgets["sizes"].setToolTip(f"Weights and biases together; the window animates networks of up to "
                                         f"{MAX_PARAMS:,} parameters")
        self.budgets["n"].setToolTip("How many points a generated data set may have")
        for label in self.budgets.values():
            label.setWordWrap(True)

        self.grid = grid = QtWidgets.QGridLayout()
        self.layer_buttons = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.Direction.LeftToRight)
        self.layer_buttons.addWidget(self.add_layer)
        self.layer_buttons.addWidget(self.remove_layer)
        rows = [("sizes", "Layer sizes", self.sizes), (None, None, self.layer_buttons),
                ("activation", "Hidden activation", self.activation),
                ("output_activation", "Output activation", self.output_activation),
                ("loss", "Loss", self.loss), ("optimizer", "Optimizer", self.optimizer),
                ("eta", "η (learning rate)", self.eta), ("batch_size", "Batch size", self.batch_size),
                ("epochs", "Epochs", self.epochs), ("seed", "Seed", self.seed),
                ("train_biases", "Train biases", self.train_biases), ("penalty", "Weight penalty", self.penalty),
                ("penalty_lambda", "λ (penalty)", self.penalty_lambda), ("dropout", "Dropout p", self.dropout),
                ("dataset", "Data set", self.dataset), ("n", "Points (n)", self.n),
                ("noise", "Noise", self.noise), ("test_fraction", "Test fraction", self.test_fraction)]
        self._rows = []                       # (label or None, field widget or layout, message or None)
        for key, title, field in rows:
            if key in self.budgets:           # the field with its budget underneath
                column = QtWidgets.QVBoxLayout()
                column.setSpacing(0)
                column.addWidget(field)
                column.addWidget(self.budgets[key])
                field = column
            message = None
            if key:
                self.messages[key] = message = QtWidgets.QLabel()
                message.setWordWrap(True)
                message.hide()
            self._rows.append((QtWidgets.QLabel(title) if title else None, field, message))
        self.narrow = None
        self._arrange(narrow=False)
        SightWatch(self, self._fit_arrangement)
        self.messages["general"] = general = QtWidgets.QLabel()
        general.setWordWrap(True)
        general.hide()
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert)
        buttons.addWidget(self.apply)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(general)
        layout.addLayout(buttons)
        layout.addStretch(1)

        for edit in (self.sizes, self.eta, self.batch_size, self.epochs, self.seed, self.n, self.noise,
                     self.test_fraction, self.penalty_lambda, self.dropout):
            edit.textEdited.connect(self._on_edited)
            edit.returnPressed.connect(self._on_apply_clicked)
        for combo in (self.activation, self.output_activation, self.loss, self.optimizer, self.penalty):
            combo.activated.connect(self._on_edited)
        self.train_biases.toggled.connect(self._on_edited)
        self.dataset.activated.connect(self._on_dataset_activated)
        self.add_layer.clicked.connect(self._on_add_layer_clicked)
        self.remove_layer.clicked.connect(self._on_remove_layer_clicked)
        self.apply.clicked.connect(self._on_apply_clicked)
        self.revert.clicked.connect(self._on_revert_clicked)
        session.run_changed.connect(self._on_run_changed)
        session.settings.font_scale_changed.connect(self._on_style_changed)
        session.settings.theme_changed.connect(self._on_style_changed)
        self._apply_style()
        self._load()

    # -- beside the graph at zoom +3: labels over their fields ------------------------------------
    def _arrange(self, narrow: bool) -> None:
        """Wide: each label beside its field, the message under the field.  Narrow: each label over
        its field, the layer buttons one over the other: the editor fits a 1024×768 screen's
        companion column at zoom +3 (beside the labels its fields were cut, behind a sideways scroll)."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        grid = self.grid
        for label, field, message in self._rows:
            for item in (label, field, message):
                if isinstance(item, QtWidgets.QWidget):
                    grid.removeWidget(item)
                elif item is not None:
                    grid.removeItem(item)
        r = 0
        for label, field, message in self._rows:
            if narrow:
                if label is not None:
                    grid.addWidget(label, r, 0, 1, 2)
                    r += 1
                place = (r, 0, 1, 2)
            else:
                if label is not None:
                    grid.addWidget(label, r, 0)
                place = (r, 1)
            (grid.addWidget if isinstance(field, QtWidgets.QWidget) else grid.addLayout)(field, *place)
            if message is not None:
                grid.addWidget(message, r + 1, *place[1:])
            r += 2 if message is not None else 1
        grid.setColumnStretch(0, 1 if narrow else 0)
        grid.setColumnStretch(1, 0 if narrow else 1)
        self.layer_buttons.setDirection(QtWidgets.QBoxLayout.Direction.TopToBottom if narrow
                                        else QtWidgets.QBoxLayout.Direction.LeftToRight)
        self.updateGeometry()

    def _wide_need(self) -> int:
        """The width the wide arrangement needs at the present fonts (the widest label beside the
        widest field), measured without arranging it."""
        def field_min(field) -> int:
            if field is self.layer_buttons:            # side by side, whichever way it runs now
                return (self.add_layer.minimumSizeHint().width() + self.remove_layer.minimumSizeHint().width()
                        + max(field.spacing(), 0))
            return field.minimumSize().width() if isinstance(field, QtWidgets.QLayout) else field.minimumSizeHint().width()
        labels = max(label.minimumSizeHint().width() for label, _, _ in self._rows if label is not None)
        fields = max(field_min(field) for _, field, _ in self._rows)
        m = self.layout().contentsMargins()
        return m.left() + m.right() + labels + max(self.grid.horizontalSpacing(), 0) + fields

    def _fit_arrangement(self) -> None:
        """Narrow when the wide arrangement is wider than the width in sight."""
        self._arrange(width_in_sight(self) < self._wide_need())

    @staticmethod
    def _combo(names, tip: str, label=None) -> QtWidgets.QComboBox:
        """A choice among the registry's ``names``, each shown as ``label(name)`` (the registry's own
        display name: "½·SSE", "Plain SGD"; the name itself without one) and held as item data."""
        combo = QtWidgets.QComboBox()
        for name in names:
            combo.addItem((label(name) if label else "") or name, name)
        combo.setToolTip(tip)
        return combo

    # -- user → editor → session ----------------------------------------------------------------
    def _on_edited(self, *_) -> None:
        self.validate()

    def _on_dataset_activated(self, _index: int) -> None:
        """A new data set: input and output widths, output activation and loss follow its data."""
        spec = self._dataset_spec({})
        found = self._widths(spec, self.session.config.seed, {}) if spec else None
        try:
            sizes = parse_sizes(self.sizes.text())
        except ValueError:
            sizes = None
        if found and sizes:
            n_in, n_out, (output, loss) = found
            self.sizes.setText("-".join(map(str, [n_in, *sizes[1:-1], n_out])))
            self.output_activation.setCurrentIndex(self.output_activation.findData(output))
            self.loss.setCurrentIndex(self.loss.findData(loss))
        self.validate()

    def _on_add_layer_clicked(self) -> None:
        sizes = parse_sizes(self.sizes.text())
        sizes.insert(-1, sizes[-2] if len(sizes) > 2 else 4)
        self.sizes.setText("-".join(map(str, sizes)))
        self.validate()

    def _on_remove_layer_clicked(self) -> None:
        sizes = parse_sizes(self.sizes.text())
        del sizes[-2]
        self.sizes.setText("-".join(map(str, sizes)))
        self.validate()

    def _on_apply_clicked(self) -> None:
        config = self.validate()
        if config is not None:
            self.session.apply_config(config)

    def _on_revert_clicked(self) -> None:
        self._load()

    # -- session → editor ---------------------------------------------------------------------------
    def _on_run_changed(self) -> None:
        self._load()

    def _on_style_changed(self, _value) -> None:
        self._apply_style()
        self.validate()
        self._fit_arrangement()

    def _load(self) -> None:
        c = self.session.config
        d = c.dataset
        self.sizes.setText("-".join(map(str, c.sizes)))
        for combo, value in ((self.activation, c.activation), (self.output_activation, c.output),
                             (self.loss, c.loss), (self.optimizer, c.optimizer), (self.penalty, c.penalty)):
            combo.setCurrentIndex(combo.findData(value))
        self.train_biases.setChecked(c.train_biases)
        self.penalty_lambda.setText(f"{c.penalty_lambda:g}")
        self.dropout.setText(f"{c.dropout:g}")
        shown = {**SHOWN_DEFAULTS, **d}
        for edit, value in ((self.eta, f"{c.eta:g}"), (self.batch_size, c.batch_size), (self.epochs, c.epochs),
                            (self.seed, c.seed), (self.n, shown["n"]), (self.noise, f"{shown['noise']:g}"),
                            (self.test_fraction, f"{shown['test_fraction']:g}")):
            edit.setText(str(value))
        self.dataset.clear()
        for name in DATASET_NAMES:
            self.dataset.addItem(name, name)
            self.dataset.setItemData(self.dataset.count() - 1, DESCRIPTIONS.get(name, name),
                                     QtCore.Qt.ItemDataRole.ToolTipRole)
        if d["name"] not in DATASET_NAMES:
            self.dataset.addItem(f"{d['name']}: {d.get('title', 'this run’s data')}", d["name"])
        self.dataset.setCurrentIndex(self.dataset.findData(d["name"]))
        self.validate()

    # -- validation ---------------------------------------------------------------------------------
    def validate(self) -> RunConfig | None:
        """Check every field; show the messages; return the RunConfig to apply, or None."""
        errors, values = {}, {}
        current = self.session.config
        base = {**current.to_dict(), "W": None, "b": None}
        texts = {"sizes": (self.sizes, parse_sizes), "eta": (self.eta, lambda t: _parse(t, float, "η")),
                 "batch_size": (self.batch_size, lambda t: _parse(t, int, "batch size")),
                 "epochs": (self.epochs, lambda t: _parse(t, int, "epochs")),
                 "seed": (self.seed, lambda t: _parse(t, int, "seed")),
                 "penalty_lambda": (self.penalty_lambda, lambda t: _parse(t, float, "λ")),
                 "dropout": (self.dropout, lambda t: _parse(t, float, "dropout p"))}
        for key, (edit, parse) in texts.items():
            try:
                values[key] = parse(edit.text())
            except ValueError as e:
                errors[key] = str(e)
        n_params = Session.parameter_count(values["sizes"]) if "sizes" in values else None
        if n_params is not None and n_params > MAX_PARAMS:
            errors["sizes"] = f"{n_params:,} parameters: at most {MAX_PARAMS:,} (make a layer narrower)"
        for key, combo in (("activation", self.activation), ("output_activation", self.output_activation),
                           ("loss", self.loss), ("optimizer", self.optimizer), ("penalty", self.penalty)):
            values[key] = combo.currentData()
        values["train_biases"] = self.train_biases.isChecked()
        for key in [k for k in values if k not in errors]:   # each field on its own, against the valid base
            try:
                RunConfig.from_dict({**base, key: values[key]})
            except (ValueError, TypeError) as e:
                errors[key] = str(e)
        spec = self._dataset_spec(errors)
        widths = self._widths(spec, values.get("seed", current.seed), errors) if spec else None
        if widths and "sizes" not in errors and (values["sizes"][0], values["sizes"][-1]) != widths[:2]:
            errors["sizes"] = (f"the data set has {widths[0]} inputs and {widths[1]} outputs: the sizes must "
                               f"start with {widths[0]} and end with {widths[1]}")
        config = None
        if not errors:
            keep = values["sizes"] == current.sizes and values["seed"] == current.seed
            try:
                config = RunConfig.from_dict({**base, **values, "dataset": spec,
                                              "W": current.W if keep else None, "b": current.b if keep else None})
            except (ValueError, TypeError) as e:
                errors["general"] = str(e)
        warning = ""
        if LOSSES[values["loss"]].needs_probabilities and not ACTIVATIONS[values["output_activation"]].probabilities:
            outputs = " or ".join(sorted((n for n, act in ACTIVATIONS.items() if act.probabilities), reverse=True))
            warning = (f"⚠ {values['loss']} expects probabilities: use a {outputs} output, "
                       f"not {values['output_activation']}")
        self._show(errors, warning)
        self._show_budget(n_params, errors)
        self.apply.setEnabled(config is not None)
        self.add_layer.setEnabled("sizes" in values)
        self.remove_layer.setEnabled(len(values.get("sizes", [])) > 2)
        return config

    def _dataset_spec(self, errors: dict) -> dict | None:
        name = self.dataset.currentData()
        current = self.session.config.dataset
        spec = dict(current) if name == current.get("name") else usual_spec(name)
        generated = name in GENERATORS
        self.n.setEnabled(generated)
        self.noise.setEnabled(generated)
        fields = [("test_fraction", self.test_fraction, float, "test fraction")]
        if generated:
            fields += [("n", self.n, int, "n"), ("noise", self.noise, float, "noise")]
        for key, edit, kind, what in fields:
            try:
                value = _parse(edit.text(), kind, what)
            except ValueError as e:
                errors[key] = str(e)
                continue
            if not (name == current.get("name") and key not in current and value == SHOWN_DEFAULTS[key]):
                spec[key] = value          # (the run's own spec stays as it is: its data is not built again)
        return None if any(k in errors for k in ("n", "noise", "test_fraction")) else spec

    def _widths(self, spec: dict, seed, errors: dict) -> tuple[int, int, tuple[str, str]] | None:
        """(inputs, outputs, (natural output, loss)) of the data ``spec`` builds (the session's
        describe_data), cached under a cheap key; an error goes into ``errors``."""
        key = (_spec_key(spec), seed if isinstance(seed, int) else 0)
        if key not in self._data_cache:
            try:
                found = self.session.describe_data(spec, seed if isinstance(seed, int) and seed >= 0 else 0)
            except (ValueError, TypeError, OSError) as e:
                found = str(e)
            self._data_cache[key] = (found, spec)       # the spec keeps its arrays (and so their ids) alive
        found = self._data_cache[key][0]
        if isinstance(found, str):
            prefixes = {"test_fraction": "test_fraction", "noise": "noise", "n must": "n"}
            field = next((k for p, k in prefixes.items() if found.startswith(p)), "dataset")
            errors[field] = found
            return None
        return found

    def _show(self, errors: dict, warning: str) -> None:
        for key, label in self.messages.items():
            text = errors.get(key, warning if key == "loss" else "")
            label.setText(text)
            set_style_sheet(label, self._warning_css if key not in errors else self._error_css)
            label.setVisible(bool(text))

    def _show_budget(self, n_params: int | None, errors: dict) -> None:
        """The parameter count under the sizes and the point limit under n (while n applies); each
        hidden while its field carries an error, which then says what is wrong."""
        label = self.budgets["sizes"]
        label.setText("" if n_params is None else f"{n_params:,} of at most {MAX_PARAMS:,} parameters")
        label.setVisible(n_params is not None and "sizes" not in errors)
        self.budgets["n"].setVisible(self.n.isEnabled() and "n" not in errors)

    def _apply_style(self) -> None:
        name = self.session.settings.theme
        theme = THEMES.get(name, THEMES["light"])
        points = panel_point_size(self.session.settings.font_scale)
        size = f"font-size: {points:.1f}pt; font-weight: 600;"
        self._error_css = f"color: {theme.error}; {size}"
        self._warning_css = f"color: {getattr(theme, 'warning', theme.accent)}; {size}"
        for label in self.budgets.values():
            set_style_sheet(label, f"color: {theme.foreground};")
        font = self.font()
        font.setPointSizeF(points)
        set_font_within(self, font)
