"""The presets' descriptions are read as they are (start screen cards, the Presets menu's tooltips,
the CLI): plain Unicode text, never TeX's markup."""
import re

from engine.presets import PRESETS


def test_a_preset_description_writes_indices_as_unicode_not_tex():
    """("w_jk^l" was printed as such on the diagram preset's card; the book's wˡⱼₖ is what the screen writes.)"""
    for name, preset in PRESETS.items():
        assert not re.search(r"[\^{}\\]|_[a-z]{1,2}\b", preset.description), (name, preset.description)


def test_a_preset_description_names_its_loss_as_the_summary_beside_it_does():
    """(The diagram card read "sigmoid and ½SSE" over its summary's "½·SSE".)"""
    from helpers import spellings_other_than_the_engines
    for name, preset in PRESETS.items():
        assert not spellings_other_than_the_engines(preset.description), name


def test_a_preset_on_a_registered_data_set_is_named_as_it():
    """(The Training bar's data box read "sin" for the preset "sine".)"""
    from engine.datasets import DATASET_NAMES
    named = {name: preset.config["dataset"]["name"] for name, preset in PRESETS.items()
             if preset.config["dataset"]["name"] != "custom"}
    assert named and all(name == data for name, data in named.items()), named
    assert set(named) <= set(DATASET_NAMES)
