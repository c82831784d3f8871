"""nnlib/layers.py: every layer's backward pass (Dense with each initialiser, every activation, Dropout with its mask
fixed, BatchNorm in training and in prediction) against finite differences, and what Dropout and BatchNorm do in each
mode."""
import numpy as np
import pytest

from nnlib.gradcheck import check_layer
from nnlib.layers import ACTIVATIONS, BatchNorm, Dense, Dropout

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


def fixed_mask_rng(x_shape, seed=3):
    """A stand-in for Dropout's generator that draws the same uniform numbers on every pass: the mask fixed, as a
    gradient check needs (a new mask per pass would make the loss a different function at every nudge)."""
    uniform = np.random.default_rng(seed).random(x_shape)
    return type("FixedDraws", (), {"random": staticmethod(lambda shape: uniform)})()


def test_dropout_in_training_matches_finite_differences_with_the_mask_fixed():
    x = rng.normal(size=(6, 5))
    layer = Dropout(0.4, rng=fixed_mask_rng(x.shape))
    layer.training = True
    out = layer.forward(x)
    kept = out != 0
    assert 0 < kept.mean() < 1 and np.allclose(out[kept], x[kept] / 0.6)  # the survivors scaled by 1 / (1 - rate)
    assert check_layer(layer, x)["input"] < TOLERANCE


def test_dropout_keeps_each_units_expected_value_and_is_the_identity_in_prediction():
    x = np.ones((2000, 50))
    layer = Dropout(0.3, rng=np.random.default_rng(0))
    layer.training = True
    dropped = layer.forward(x)
    assert abs((dropped == 0).mean() - 0.3) < 0.01 and abs(dropped.mean() - 1) < 0.01  # 100,000 draws: se 0.0015
    layer.training = False
    assert layer.forward(x) is x and layer.backward(x) is x
    assert repr(layer) == "Dropout(0.3)"


def test_dropout_keeps_float32_float32():
    layer = Dropout(0.5, rng=np.random.default_rng(0))
    layer.training = True
    assert layer.forward(np.ones((3, 4), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_matches_finite_differences_in_training_and_in_prediction(training):
    layer = BatchNorm(4)
    layer.params["gamma"][:], layer.params["beta"][:] = rng.normal(size=4), rng.normal(size=4)
    layer.running["running_mean"][:], layer.running["running_var"][:] = rng.normal(size=4), rng.uniform(0.5, 2, 4)
    layer.training = training
    errors = check_layer(layer, rng.normal(loc=3, scale=2, size=(7, 4)))
    assert set(errors) == {"input", "gamma", "beta"}
    assert max(errors.values()) < TOLERANCE, errors


def test_batch_norm_normalises_the_batch_in_training_and_follows_it_with_its_running_statistics():
    x = np.random.default_rng(1).normal(loc=[5, -2], scale=[3, 0.5], size=(10_000, 2))
    layer = BatchNorm(2, momentum=0.9)
    layer.training = True
    out = layer.forward(x)
    assert np.allclose(out.mean(axis=0), 0, atol=1e-12)  # and standard deviation 1, but for eps in the variance:
    assert np.allclose(out.std(axis=0), np.sqrt(x.var(axis=0) / (x.var(axis=0) + 1e-5)), rtol=1e-12)
    # one step from (0, 1): running = 0.9 * running + 0.1 * the batch's
    assert np.allclose(layer.running["running_mean"], 0.1 * x.mean(axis=0))
    assert np.allclose(layer.running["running_var"], 0.9 + 0.1 * x.var(axis=0))
    for _ in range(200):
        layer.forward(x)
    assert np.allclose(layer.running["running_mean"], x.mean(axis=0)) and np.allclose(layer.running["running_var"],
                                                                                      x.var(axis=0))
    layer.training = False  # prediction: the running statistics, so one sample's output does not depend on the others
    assert np.allclose(layer.forward(x[:1]), layer.forward(x[:5])[:1])
    assert np.allclose(layer.forward(x).mean(axis=0), 0, atol=1e-6)
