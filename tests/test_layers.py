"""nnlib/layers.py: every layer's backward pass (Dense with each initialiser, every activation) against finite
differences."""
import numpy as np
import pytest

from nnlib.gradcheck import check_layer
from nnlib.layers import ACTIVATIONS, Dense

TOLERANCE = 1e-6  # relative error of backprop against finite differences (nnlib/gradcheck.py)
rng = np.random.default_rng(42)


@pytest.mark.parametrize("init", ["xavier", "he", "normal"])
def test_dense_layer(init):
    layer = Dense(4, 3, rng=np.random.default_rng(0), init=init)
    layer.params["biases"][:] = rng.normal(size=3)
    errors = check_layer(layer, rng.normal(size=(5, 4)))
    assert set(errors) == {"input", "weights", "biases"}
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation(name):
    x = rng.normal(size=(6, 4))
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU away from its kink, where no derivative exists
    errors = check_layer(ACTIVATIONS[name](), x)
    assert errors["input"] < TOLERANCE, errors


def test_a_dense_layer_with_an_unknown_init_lists_the_initialisers():
    with pytest.raises(ValueError, match="unknown init 'xaviar'. Choose one of: 'xavier', 'he', 'normal', 'zeros'"):
        Dense(2, 3, rng=np.random.default_rng(0), init="xaviar")
