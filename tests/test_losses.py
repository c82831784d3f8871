"""nnlib/losses.py: each loss's value against its definition and its gradient against finite differences, the
L2 penalty against the ridge closed form, R² as scikit-learn defines it, and the output neurons each head needs."""
import numpy as np
import pytest

from nnlib import MLP, LinearRegression, LogisticRegression
from nnlib.gradcheck import check_loss
from nnlib.losses import BinaryCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy

TOLERANCE = 1e-6  # relative error of backprop against finite differences (nnlib/gradcheck.py)
rng = np.random.default_rng(42)


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


def test_l2_matches_the_ridge_closed_form(penguins_standardised):
    X, y = penguins_standardised
    l2 = 0.5
    model = LinearRegression(learning_rate=0.1, epochs=500, l2=l2).fit(X, y)
    # minimise mean((Xw + b - y)^2) + (l2/2) w^2 with centred X (mean 0): w = 2 cov(x,y) / (2 var(x) + l2)
    slope = 2 * np.mean(X[:, 0] * (y - y.mean())) / (2 * np.mean(X[:, 0] ** 2) + l2)
    assert model.coef_[0] == pytest.approx(slope, rel=1e-6)
    assert model.intercept_ == pytest.approx(y.mean(), rel=1e-6)


def test_constant_or_single_sample_targets_give_r2_as_scikit_learn_and_a_consistent_history():
    X = np.arange(10.0).reshape(-1, 1)
    for model, X_fit, y_fit in [(LinearRegression(epochs=5), X, np.full(10, 3.0)),
                                (LinearRegression(epochs=5), X[:1], [2.0]),
                                (MLP(task="regression", epochs=5), X[:1], [2.0])]:
        model.fit(X_fit, y_fit)
        model.partial_fit(X[:1], [4.0])
        history = model.history_
        assert len(history.loss) == len(history.score) == len(history.learning_rate) == 6
        assert all(score in (0.0, 1.0) for score in history.score)  # constant target: 1 if perfect, else 0
    perfect = LinearRegression().build(1, 1)
    assert perfect.score(X, np.zeros(10)) == 1.0 and perfect.score(X, np.ones(10)) == 0.0


def test_logistic_regression_has_one_output_neuron_and_two_probability_columns():
    X = np.ones((4, 3))
    assert LogisticRegression().build(3, 1).predict_proba(X).shape == (4, 2)
    with pytest.raises(ValueError, match=r"LogisticRegression has one output neuron.*n_outputs=1, not 2"):
        LogisticRegression().build(3, 2)
    with pytest.raises(ValueError, match=r"n_outputs must be a whole number >= 2.*one output per class"):
        MLP().build(3, 1)
