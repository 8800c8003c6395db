"""The network editor: validation messages, Apply only when valid, loading from the session."""
import numpy as np
import pytest

from gui.widgets.network_editor import NetworkEditor, parse_sizes


@pytest.fixture
def editor(qtbot, session):
    w = NetworkEditor(session)
    qtbot.addWidget(w)
    w.show()
    return w


def edit(field, text):
    field.setText(text)
    field.textEdited.emit(text)


def choose(combo, name):
    """Pick the item held as ``name`` (the registry's key; the box shows its display name)."""
    combo.setCurrentIndex(combo.findData(name))
    assert combo.currentData() == name
    combo.activated.emit(combo.currentIndex())


def shown(editor, key):
    label = editor.messages[key]
    return label.text() if label.isVisible() else ""


def test_parse_sizes():
    assert parse_sizes("2-8-8-1") == [2, 8, 8, 1]
    assert parse_sizes(" 2, 3 x 1 ") == [2, 3, 1]
    for bad in ("", "2-a-1", "2-1.5-1"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


def test_loads_the_session_config(editor, session):
    assert editor.sizes.text() == "2-2-2" and editor.eta.text() == "0.5" and editor.epochs.text() == "1000"
    assert editor.activation.currentData() == "sigmoid" and editor.loss.currentData() == "half_sse"
    assert editor.loss.currentText() == "½·SSE" and editor.optimizer.currentText() == "Plain SGD"   # the registry's names
    assert editor.dataset.currentData() == "custom" and "Mazur" in editor.dataset.currentText()
    assert not editor.n.isEnabled() and editor.apply.isEnabled()
    assert all(not label.isVisible() for label in editor.messages.values())


def test_invalid_sizes_block_apply(editor, session):
    before = session.config.to_dict()
    edit(editor.sizes, "2-0-1")
    assert "at least 1" in shown(editor, "sizes") and not editor.apply.isEnabled()
    editor.apply.click()
    editor.sizes.returnPressed.emit()
    assert session.config.to_dict() == before
    edit(editor.sizes, "2-a-2")
    assert "not a whole number" in shown(editor, "sizes")
    edit(editor.sizes, "2-3-2")
    assert shown(editor, "sizes") == "" and editor.apply.isEnabled()


def test_widths_must_match_the_data(editor, session):
    edit(editor.sizes, "3-4-2")
    assert "2 inputs and 2 outputs" in shown(editor, "sizes") and not editor.apply.isEnabled()


@pytest.mark.parametrize("field, text, words", [("eta", "0", "η"), ("eta", "fast", "a number"),
                                                ("batch_size", "0", "batch size"), ("epochs", "1.5", "whole"),
                                                ("seed", "-1", "seed")])
def test_bad_numbers_show_messages(editor, session, field, text, words):
    edit(getattr(editor, field), text)
    assert words in shown(editor, field) and not editor.apply.isEnabled()
    editor.revert.click()
    assert shown(editor, field) == "" and editor.apply.isEnabled()


def test_bad_data_options_show_messages(editor, session):
    choose(editor.dataset, "moons")
    assert editor.n.isEnabled()
    edit(editor.noise, "-1")
    assert "noise" in shown(editor, "noise") and not editor.apply.isEnabled()
    edit(editor.noise, "0.1")
    edit(editor.test_fraction, "0.95")
    assert "test_fraction" in shown(editor, "test_fraction") and not editor.apply.isEnabled()
    edit(editor.test_fraction, "0.2")
    edit(editor.n, "0")
    assert "n must be" in shown(editor, "n")
    edit(editor.n, "100")
    assert editor.apply.isEnabled()


def test_cross_entropy_with_a_linear_output_warns_but_applies(editor, session):
    choose(editor.output_activation, "linear")
    choose(editor.loss, "cross_entropy")
    assert "softmax or sigmoid" in shown(editor, "loss") and editor.apply.isEnabled()
    choose(editor.output_activation, "softmax")
    assert shown(editor, "loss") == ""


def test_softmax_is_not_offered_for_hidden_layers(editor):
    items = [editor.activation.itemText(i) for i in range(editor.activation.count())]
    assert "softmax" not in items and "sigmoid" in items


def test_valid_edit_and_apply(editor, session):
    W0 = [w.copy() for w in session.net.W]
    edit(editor.eta, "0.25")
    edit(editor.epochs, "50")
    choose(editor.optimizer, "momentum")
    editor.apply.click()
    c = session.config
    assert (c.eta, c.epochs, c.optimizer) == (0.25, 50, "momentum") and c.dataset["name"] == "custom"
    for a, b in zip(session.net.W, W0):           # same sizes and seed: Mazur's weights kept
        np.testing.assert_array_equal(a, b)


def test_new_data_set_and_layers_apply(editor, session):
    choose(editor.dataset, "iris")
    assert editor.sizes.text() == "4-2-3" and editor.loss.currentData() == "cross_entropy"
    editor.add_layer.click()
    assert editor.sizes.text() == "4-2-2-3"
    edit(editor.sizes, "4-8-3")
    choose(editor.activation, "tanh")
    edit(editor.seed, "7")
    editor.apply.click()
    c = session.config
    assert c.sizes == [4, 8, 3] and c.activation == "tanh" and c.seed == 7 and c.output == "softmax"
    assert session.run.train.name == "iris" and c.W is None
    editor.remove_layer.click()
    assert editor.sizes.text() == "4-3" and not editor.remove_layer.isEnabled()


def test_run_changed_reloads_fields(editor, session):
    edit(editor.eta, "0.01")
    session.load_preset("spirals")
    assert editor.sizes.text() == "2-16-16-2" and editor.eta.text() == "0.01"
    assert editor.optimizer.currentData() == "adam" and editor.dataset.currentText() == "spirals"
    assert editor.n.text() == "300" and editor.n.isEnabled()
    session.change(eta=0.2)
    assert editor.eta.text() == "0.2"
    assert editor.dataset.findData("custom") == -1


def test_font_follows_font_scale(editor, session):
    size = editor.font().pointSizeF()
    session.settings.font_scale = 1.5
    assert editor.font().pointSizeF() == pytest.approx(1.5 * size)


def test_training_terms_load_validate_and_apply(editor, session):
    assert editor.train_biases.isChecked() is False            # the mazur preset updates w1…w8 only
    assert (editor.penalty.currentData(), editor.penalty_lambda.text(), editor.dropout.text()) == ("none", "0", "0")
    edit(editor.dropout, "0.95")
    assert "dropout" in shown(editor, "dropout") and not editor.apply.isEnabled()
    edit(editor.dropout, "0.25")
    edit(editor.penalty_lambda, "-1")
    assert "λ" in shown(editor, "penalty_lambda") and not editor.apply.isEnabled()
    edit(editor.penalty_lambda, "0.01")
    choose(editor.penalty, "l2")
    editor.train_biases.setChecked(True)
    editor.apply.click()
    c = session.config
    assert (c.train_biases, c.penalty, c.penalty_lambda, c.dropout) == (True, "l2", 0.01, 0.25)
    assert session.net.penalty.name == "l2" and session.net.dropout == 0.25


def test_the_parameter_budget_is_shown_as_the_sizes_are_typed(editor, session):
    from engine.network import MAX_PARAMS
    budget = editor.budgets["sizes"]
    assert budget.isVisible() and budget.text() == f"12 of at most {MAX_PARAMS:,} parameters"   # 2-2-2: 2·3 + 2·3
    edit(editor.sizes, "2-10-2")
    assert budget.text() == f"52 of at most {MAX_PARAMS:,} parameters" and editor.apply.isEnabled()
    # 2-999-998-2: 999·3 + 998·1000 + 2·999 = 1,002,995; 2-997-997-2: 997·3 + 997·998 + 2·998 = 999,993
    before, run = session.config.to_dict(), session.run
    edit(editor.sizes, "2-999-998-2")
    assert not budget.isVisible() and not editor.apply.isEnabled()
    assert shown(editor, "sizes") == f"1,002,995 parameters: at most {MAX_PARAMS:,} (make a layer narrower)"
    editor.apply.click()
    editor.sizes.returnPressed.emit()
    assert session.run is run and session.config.to_dict() == before       # refused before building
    edit(editor.sizes, "2-997-997-2")
    assert budget.isVisible() and budget.text() == f"999,993 of at most {MAX_PARAMS:,} parameters"
    assert shown(editor, "sizes") == "" and editor.apply.isEnabled()
    edit(editor.sizes, "2-a-2")
    assert not budget.isVisible() and "not a whole number" in shown(editor, "sizes")


def test_the_point_limit_is_shown_for_generated_data(editor, session):
    from engine.generators import MAX_N
    assert not editor.budgets["n"].isVisible()            # Mazur's data is not generated
    choose(editor.dataset, "spirals")
    assert editor.budgets["n"].isVisible() and editor.budgets["n"].text() == f"1 to {MAX_N:,} points"
    edit(editor.n, str(MAX_N + 1))
    assert not editor.budgets["n"].isVisible() and f"{MAX_N:,}" in shown(editor, "n")
    assert not editor.apply.isEnabled()
