"""nnlib/widgets/playground_data.py: the playground's data sets follow their formulas; its input features are
computed, standardised, and a wrong choice is refused in words."""
import numpy as np
import pytest

from nnlib.widgets.playground_data import FEATURES, PLAYGROUND_SCALE, FeatureMap, make_playground_data


def test_feature_map_computes_and_standardises_each_feature():
    X = np.array([[1.0, 2.0], [-3.0, 0.5], [2.0, -1.0]])
    fm = FeatureMap(list(FEATURES)).fit(X)
    raw = np.column_stack([X[:, 0], X[:, 1], X[:, 0] ** 2, X[:, 1] ** 2, X[:, 0] * X[:, 1],
                           np.sin(X[:, 0]), np.sin(X[:, 1])])
    np.testing.assert_allclose(fm.raw(X), raw)
    np.testing.assert_allclose(fm.transform(X).mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(fm.transform(X).std(axis=0), 1)
    with pytest.raises(ValueError, match="at least one"):
        FeatureMap([])


def test_regression_data_follow_their_formulas_without_noise():
    X, y, task = make_playground_data("plane", 50, noise=0.0, seed=1)
    assert task == "regression" and np.abs(X).max() <= PLAYGROUND_SCALE
    np.testing.assert_allclose(y, X.sum(axis=1) / PLAYGROUND_SCALE / 2)
    X, y, _ = make_playground_data("gaussians", 50, noise=0.0, seed=1)
    assert np.abs(y).max() <= 1.0 + 1e-12


def test_a_playground_feature_chosen_twice_is_refused():
    with pytest.raises(ValueError, match=r"once.*got \['x1', 'x1'\]"):
        FeatureMap(("x1", "x1"))
    assert FeatureMap("x1·x2").names == ["x1·x2"]
