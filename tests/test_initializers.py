"""nnlib/initializers.py: each initialiser draws weights of the scale its formula states, "auto" picks He for ReLU
and Xavier otherwise, and starting from zeros never breaks the symmetry between hidden units."""
import numpy as np
import pytest

from nnlib import MLP
from nnlib.datasets import make_moons
from nnlib.initializers import initial_weights


def test_zero_initialisation_keeps_hidden_units_identical():
    X, y = make_moons(100, seed=0)
    model = MLP(hidden_layers=(5,), init="zeros", epochs=20).fit(X, y)
    w = model.weights_[0]
    assert np.allclose(w, w[:, :1])  # every hidden unit learned the same thing: symmetry never breaks


def test_each_initialiser_draws_weights_of_the_scale_its_formula_states():
    """500 x 400 weights, seeded: a standard deviation is then known to about 0.2 % (1 / sqrt(2 n)); 1 % is 6 of
    those, and the formulas differ by far more (He's sqrt(2 / 500) is 1.34 times Xavier's sqrt(2 / 900))."""
    n_inputs, n_units = 500, 400
    limit = np.sqrt(6 / (n_inputs + n_units))  # Xavier: uniform in +-limit, whose standard deviation is limit / sqrt(3)
    for method, std in [("he", np.sqrt(2 / n_inputs)), ("xavier", limit / np.sqrt(3)), ("normal", 0.01)]:
        weights = initial_weights(n_inputs, n_units, method, np.random.default_rng(0))
        assert weights.shape == (n_inputs, n_units)
        assert weights.std() == pytest.approx(std, rel=0.01), method
        assert abs(weights.mean()) < 5 * std / np.sqrt(weights.size), method
    xavier = initial_weights(n_inputs, n_units, "xavier", np.random.default_rng(0))
    assert 0.99 * limit < np.abs(xavier).max() <= limit
    assert not initial_weights(3, 2, "zeros", np.random.default_rng(0)).any()


def test_auto_gives_relu_layers_he_weights_and_other_activations_xavier_weights():
    """Through the network that uses it: the first layer of a 300-input MLP, 400 units wide."""
    for activation, std in [("relu", np.sqrt(2 / 300)), ("tanh", np.sqrt(2 / 700)), ("sigmoid", np.sqrt(2 / 700))]:
        model = MLP(hidden_layers=(400,), activation=activation, init="auto").build(300, 2)
        assert model.weights_[0].std() == pytest.approx(std, rel=0.01), activation
    assert MLP(hidden_layers=(400,), activation="relu", init="xavier").build(300, 2).weights_[0].std() == \
        pytest.approx(np.sqrt(2 / 700), rel=0.01), "an explicit init is used as given"
