"""nnlib/network.py: a whole network's gradients (every parameter array, with the L1/L2 penalty) against finite
differences, for the MLP and the linear models built on it."""
import numpy as np
import pytest

from nnlib import MLP, LinearRegression, LogisticRegression
from nnlib.gradcheck import check_model

TOLERANCE = 1e-6  # relative error of backprop against finite differences (nnlib/gradcheck.py)
rng = np.random.default_rng(42)


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
