"""ArchitectureWidget: the controls are hyperparameters; the count, the diagram and its description follow them."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from test_widgets_lifecycle import description  # noqa: E402

import nnlib  # noqa: E402
from nnlib.widgets.architecture import ArchitectureWidget  # noqa: E402


@pytest.fixture
def widget():
    return ArchitectureWidget(n_features=2, n_outputs=2, hidden_layers=1, units=4, activation="tanh")


def test_starts_with_the_notebooks_network(widget):
    assert widget.hidden_layers == (4,)
    assert widget.n_parameters == 22 == (2 * 4 + 4) + (4 * 2 + 2)
    assert widget.layer_counts == [("hidden_1", (2, 4), 8, 4), ("output", (4, 2), 8, 2)]
    assert len(widget.diagram.lines.get_segments()) == 16, "one line per weight"
    assert widget.live.redraws == 1


@pytest.mark.parametrize("layers, units", [(0, 5), (1, 1), (2, 8), (3, 16), (4, 3)])
def test_the_count_follows_layers_and_units(widget, layers, units):
    widget.n_hidden_layers.value = layers
    widget.units.value = units
    hidden = (units,) * layers
    assert widget.hidden_layers == hidden
    sizes = [2, *hidden, 2]
    by_hand = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    assert widget.n_parameters == by_hand == nnlib.parameter_count(2, hidden, 2)
    assert widget.model.n_parameters == by_hand and widget.model.hidden_layers == hidden
    assert len(widget.diagram.lines.get_segments()) == sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    assert f"<b>{by_hand:,}</b>" in widget.readout.value
    text = description(widget)
    assert f", one line per weight: {by_hand:,} parameters (" in text
    assert text.count(" biases = ") == layers + 1
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        assert f"{n_in}×{n_out} weights + {n_out} biases = {n_in * n_out + n_out}" in text
    assert text.startswith("Network diagram: 2 inputs, " + (
        f"{layers} hidden layer{'s' * (layers > 1)} of {units} tanh unit{'s' * (units > 1)}{' each' * (layers > 1)}, "
        if layers else "no hidden layer, ") + "2 outputs")


def test_activation_changes_the_units_not_the_count(widget):
    widget.n_hidden_layers.value = 2
    widget.units.value = 8
    tanh_weights = [w.copy() for w in widget.model.weights_]
    widget.activation.value = "relu"
    assert widget.n_parameters == 114 and widget.model.activation == "relu"
    # ReLU layers start from He initialisation, tanh from Xavier: same shapes, other numbers.
    assert [w.shape for w in widget.model.weights_] == [w.shape for w in tanh_weights]
    assert not np.allclose(widget.model.weights_[0], tanh_weights[0])
    reference = nnlib.MLP(hidden_layers=(8, 8), activation="relu", seed=0).build(2, 2)
    for drawn, expected in zip(widget.model.weights_, reference.weights_):
        np.testing.assert_array_equal(drawn, expected)
    labels = [t.get_text() for t in widget.live.axes.texts]
    assert "hidden 1\n8 relu\nunits" in labels
    assert description(widget).startswith("Network diagram: 2 inputs, 2 hidden layers of 8 relu units each, 2 outputs, "
                                          "one line per weight: 114 parameters (hidden_1 2×8 weights + 8 biases = 24;")


def test_every_change_redraws_once_and_nothing_is_trained(widget):
    redraws = widget.live.redraws
    widget.units.value = 6
    widget.activation.value = "sigmoid"
    widget.n_hidden_layers.value = 3
    assert widget.live.redraws == redraws + 3
    assert widget.model.history_.epochs == 0, "the widget only builds: parameters exist, nothing is learned"
    assert "MLP(hidden_layers=(6, 6, 6), activation='sigmoid')" in widget.live.axes.get_title()


@pytest.mark.parametrize("arguments, message", [
    ({"activation": "ReLU"}, r"unknown activation 'ReLU'\. Choose one of: 'relu', 'tanh'"),
    ({"hidden_layers": (16, 8)}, r"hidden_layers is the number of hidden layers here \(0 to 4\), each with `units` "
                                 r"units; got \(16, 8\)\. E\.g\. hidden_layers=2, units=16"),
    ({"hidden_layers": 5}, r"hidden_layers must be a whole number from 0 to 4 \(the range of its control\), got 5\. "
                           r"Raise max_layers"),
    ({"hidden_layers": -1}, r"hidden_layers must be a whole number from 0 to 4"),
    ({"units": 0}, r"units must be a whole number from 1 to 16 \(the range of its control\), got 0"),
    ({"units": 17}, r"units must be a whole number from 1 to 16.*Raise max_units"),
    ({"n_features": 0}, r"n_features must be a whole number >= 1, got 0"),
    ({"max_units": 2.5}, r"max_units must be a whole number >= 1"),
    ({"seed": -1}, r"seed must be a whole number >= 0"),
    ({"input_labels": ["x1"]}, r"input_labels must be two names \(one per input, or None\), got \['x1'\]"),
    ({"output_labels": "yes"}, r"output_labels must be two names"),
])
def test_bad_arguments_get_a_clear_message(arguments, message):
    with pytest.raises(ValueError, match=message):
        ArchitectureWidget(**arguments)
