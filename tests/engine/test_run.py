"""engine.run: moving a configuration to another data set, with the data's natural output and loss."""
import pytest

from engine import get_preset
from engine.datasets import make_dataset
from engine.run import config_for_dataset


def test_dataset_config_for_one_output_and_iris():
    mazur = get_preset("mazur")
    c = config_for_dataset(mazur.replace(dataset={"name": "xor"}), "iris")
    assert c.sizes == [4, 2, 3] and c.dataset["standardize"] is True
    assert (c.output_activation, c.loss) == ("softmax", "cross_entropy")
    c = config_for_dataset(mazur.replace(sizes=[2, 3, 4, 2]), "xor", {"name": "xor", "outputs": 1})
    assert c.sizes == [2, 3, 4, 1] and (c.output_activation, c.loss) == ("sigmoid", "bce")
    c = config_for_dataset(mazur, "sine")
    assert c.sizes == [1, 2, 1] and (c.output_activation, c.loss) == ("linear", "mse")


@pytest.mark.parametrize("name, natural", [("sine", ("linear", "mse")), ("moons", ("softmax", "cross_entropy")),
                                           ("iris", ("softmax", "cross_entropy"))])
def test_a_data_set_knows_its_natural_output_and_loss(name, natural):
    assert make_dataset(name).natural_output == natural


def test_bad_data_set_is_a_value_error():
    with pytest.raises(ValueError):
        config_for_dataset(get_preset("mazur"), "no-such-data")
