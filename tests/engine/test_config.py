"""RunConfig: every field checked, and files written before a field was renamed still read."""
import pytest

from engine import RunConfig, get_preset


def test_example_index_is_checked():
    with pytest.raises(ValueError, match="example index"):
        get_preset("mazur").replace(example_index=-1)


def test_the_old_name_sample_reads_as_example_index():
    d = get_preset("xor").to_dict()
    d["sample"] = d.pop("example_index") + 3
    assert RunConfig.from_dict(d).example_index == 3


def test_the_old_data_set_name_sin_reads_as_sine():
    d = get_preset("sine").to_dict()
    d["dataset"] = {**d["dataset"], "name": "sin"}
    assert RunConfig.from_dict(d).dataset == get_preset("sine").dataset
