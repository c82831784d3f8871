"""nnlib/features.py: polynomial features and the toy curve: shapes, values, seeds and learner-friendly errors."""
import re

import numpy as np
import pytest

import nnlib
from nnlib.datasets import make_curve, true_curve
from nnlib.features import polynomial_features


def test_columns_are_the_powers():
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_array_equal(polynomial_features(x, 3), [[0.5, 0.25, 0.125], [-1, 1, -1], [2, 4, 8]])
    np.testing.assert_array_equal(polynomial_features(x.reshape(-1, 1), 3), polynomial_features(x, 3))
    assert polynomial_features([1.0, 2.0], 1).shape == (2, 1)


def test_a_polynomial_is_a_linear_model_on_the_features():
    """Least squares on the features recovers the coefficients of an exact polynomial."""
    x = np.linspace(-1, 1, 20)
    y = 0.5 - 2 * x + 3 * x**3
    design = np.column_stack([polynomial_features(x, 3), np.ones_like(x)])
    np.testing.assert_allclose(np.linalg.lstsq(design, y, rcond=None)[0], [-2, 0, 3, 0.5], atol=1e-10)


@pytest.mark.parametrize("bad_degree", [0, -1, 2.5, True, "3"])
def test_degree_must_be_a_whole_number_at_least_one(bad_degree):
    with pytest.raises(ValueError, match="degree must be a whole number >= 1"):
        polynomial_features([1.0, 2.0], bad_degree)


def test_more_than_one_feature_is_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"ONE feature.*X\[:, 0\]"):
        polynomial_features(np.ones((4, 2)), 2)


@pytest.mark.parametrize("shape", [(), (3, 1, 1), (1, 3)])
def test_a_number_or_a_table_of_any_other_shape_is_refused(shape):
    with pytest.raises(ValueError, match=r"shape \(n,\) or \(n, 1\); got shape " + re.escape(str(shape))):
        polynomial_features(np.ones(shape), 2)


def test_a_nan_in_a_single_column_is_counted_as_an_entry():
    with pytest.raises(ValueError, match=r"1 NaN .* entries \(e\.g\. keep = np\.isfinite\(x\)\)"):
        polynomial_features([[1.0], [np.nan]], 2)


def test_non_numbers_and_nan_are_refused():
    with pytest.raises(ValueError, match="only numbers"):
        polynomial_features(["a", "b"], 2)
    with pytest.raises(ValueError, match="NaN"):
        polynomial_features([1.0, np.nan], 2)


def test_make_curve_is_seeded_and_shaped_like_the_other_data_sets():
    X, y = make_curve(n_samples=40, noise=0.3, seed=5)
    assert X.shape == (40, 1) and y.shape == (40,)
    assert np.all(np.abs(X) <= 1)
    X2, y2 = make_curve(n_samples=40, noise=0.3, seed=5)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(y, make_curve(n_samples=40, noise=0.3, seed=6).y)
    assert make_curve().description.startswith("y = sin(pi x)")


def test_make_curve_noise_has_the_stated_size():
    X, y = make_curve(n_samples=20000, noise=0.25, seed=1)
    residual = y - true_curve(X[:, 0])
    assert abs(residual.std() - 0.25) < 0.01 and abs(residual.mean()) < 0.01
    X0, y0 = make_curve(n_samples=10, noise=0.0)
    np.testing.assert_allclose(y0, np.sin(np.pi * X0[:, 0]))


def test_make_curve_validates():
    with pytest.raises(ValueError, match="noise"):
        make_curve(noise=-1)
    with pytest.raises(ValueError, match="n_samples"):
        make_curve(n_samples=1)
    with pytest.raises(ValueError, match="seed"):
        make_curve(seed=-3)


def test_works_with_the_course_split():
    X, y = make_curve()
    X_train, X_val, X_test, *_ = nnlib.train_val_test_split(X, y, val_size=0.25, test_size=0.25, seed=0)
    assert (len(X_train), len(X_val), len(X_test)) == (30, 15, 15)
