"""Backprop against finite differences: every layer, activation, loss and a whole MLP."""
import numpy as np
import pytest

from nnlib import MLP, LinearRegression, LogisticRegression
from nnlib.gradcheck import check_layer, check_loss, check_model, numerical_gradient, relative_error
from nnlib.layers import ACTIVATIONS, Dense
from nnlib.losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy

TOLERANCE = 1e-6
rng = np.random.default_rng(42)


def test_numerical_gradient_of_a_known_function():
    x = np.array([1.0, -2.0, 3.0])
    assert relative_error(numerical_gradient(lambda: np.sum(x**3), x), 3 * x**2) < 1e-8


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


def test_mean_squared_error():
    scores, y = rng.normal(size=(7, 2)), rng.normal(size=(7, 2))
    assert check_loss(MeanSquaredError(), scores, y) < TOLERANCE
    assert MeanSquaredError().value(scores, y) == pytest.approx(np.mean((scores - y) ** 2))


def test_binary_cross_entropy_matches_its_definition_and_gradient():
    scores, y = rng.normal(size=(8, 1)) * 3, rng.integers(0, 2, size=(8, 1)).astype(float)
    p = 1 / (1 + np.exp(-scores))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert BinaryCrossEntropy().value(scores, y) == pytest.approx(expected, rel=1e-12)
    assert check_loss(BinaryCrossEntropy(), scores, y) < TOLERANCE


def test_softmax_cross_entropy_matches_its_definition_and_gradient():
    scores, y = rng.normal(size=(9, 4)) * 3, rng.integers(0, 4, size=9)
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[np.arange(9), y]))
    assert SoftmaxCrossEntropy().value(scores, y) == pytest.approx(expected, rel=1e-12)
    assert check_loss(SoftmaxCrossEntropy(), scores, y) < TOLERANCE


def test_cross_entropies_are_stable_for_huge_scores():
    assert np.isfinite(SoftmaxCrossEntropy().value(np.array([[1000.0, -1000.0]]), np.array([1])))
    assert np.isfinite(BinaryCrossEntropy().value(np.array([[-800.0]]), np.array([[1.0]])))
    assert SoftmaxCrossEntropy().value(np.array([[1000.0, -1000.0]]), np.array([1])) == pytest.approx(2000)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_whole_mlp_classifier_with_regularisation(activation):
    X, y = rng.normal(size=(6, 3)), np.array([0, 1, 2, 2, 1, 0])
    model = MLP(hidden_layers=(5, 4), activation=activation, l2=0.3, l1=0.05).build(3, 3)
    errors = check_model(model, X, y)
    assert len(errors) == 6
    assert max(errors.values()) < TOLERANCE, errors


def test_mlp_regression_and_linear_models():
    X = rng.normal(size=(6, 2))
    regressor = MLP(hidden_layers=(4,), task="regression", l2=0.1).build(2, 1)
    assert max(check_model(regressor, X, X[:, 0] - X[:, 1]).values()) < TOLERANCE
    linear = LinearRegression(l2=0.5).build(2, 1)
    linear.set_parameters({"output.weights": [[0.3], [-0.2]], "output.biases": [0.1]})
    assert max(check_model(linear, X, X @ [1.0, 2.0]).values()) < TOLERANCE
    logistic = LogisticRegression().build(2, 1)
    logistic.set_parameters({"output.weights": [[0.3], [-0.2]], "output.biases": [0.1]})
    assert max(check_model(logistic, X, (X[:, 0] > 0).astype(int)).values()) < TOLERANCE
