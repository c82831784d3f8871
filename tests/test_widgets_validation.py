"""The validation explorer refits on every slider change and shows training and validation error, in its figure and
in words (its description line)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from test_widgets_lifecycle import description

import nnlib
from nnlib.datasets import make_curve, true_curve
from nnlib.features import polynomial_features
from nnlib.widgets.validation_curve import L2_VALUES, ValidationExplorer, nearest_l2, ridge_fit


@pytest.fixture(scope="module")
def split():
    X, y = make_curve()
    return nnlib.train_val_test_split(X, y, val_size=0.25, test_size=0.25, seed=0)


@pytest.fixture
def explorer(split):
    X_train, X_val, _, y_train, y_val, _ = split
    return ValidationExplorer(X_train, y_train, X_val, y_val, degree=3, true_curve=true_curve)


def lstsq_polynomial(x, y, degree):
    """Independent unregularised fit: least squares with a column of ones."""
    design = np.column_stack([polynomial_features(x, degree), np.ones(len(x))])
    params = np.linalg.lstsq(design, y, rcond=None)[0]
    return params[:-1], params[-1]


def test_ridge_fit_is_nnlibs_l2_loss_minimum(split):
    """Gradient descent on LinearRegression(l2=...) converges to the closed form."""
    X_train, _, _, y_train, _, _ = split
    features = polynomial_features(X_train, 3)
    for l2 in (0.0, 0.01, 0.3):
        w, b = ridge_fit(features, y_train, l2)
        model = nnlib.LinearRegression(learning_rate=0.5, epochs=5000, l2=l2).fit(features, y_train)
        np.testing.assert_allclose(model.coef_, w, rtol=1e-6, atol=1e-9)
        assert model.intercept_ == pytest.approx(b, abs=1e-8)


def test_ridge_gradient_is_zero_at_the_solution(split):
    X_train, _, _, y_train, _, _ = split
    features, l2 = polynomial_features(X_train, 12), 1e-4
    w, b = ridge_fit(features, y_train, l2)
    error = features @ w + b - y_train
    grad_w = 2 * features.T @ error / len(error) + l2 * w
    assert np.max(np.abs(grad_w)) < 1e-8 and abs(2 * error.mean()) < 1e-10


def test_initial_fit_and_curve(explorer, split):
    X_train, X_val, _, y_train, y_val, _ = split
    w, b = lstsq_polynomial(X_train[:, 0], y_train, 3)
    np.testing.assert_allclose(explorer.coef_, w, rtol=1e-8)
    np.testing.assert_allclose(explorer.fit_line.get_ydata(), polynomial_features(explorer.x_grid, 3) @ w + b,
                               rtol=1e-8, atol=1e-10)
    expected_val = np.mean((polynomial_features(X_val, 3) @ w + b - y_val) ** 2)
    assert explorer.val_mse == pytest.approx(expected_val, rel=1e-9)
    assert f"{explorer.val_mse:.3g}" in explorer.scores.get_text()
    assert "4 parameters" in explorer.ax_fit.get_title()


def test_degree_slider_refits_and_redraws(explorer, split):
    X_train, X_val, _, y_train, y_val, _ = split
    redraws = explorer.live.redraws
    explorer.degree.value = 12
    assert explorer.live.redraws == redraws + 1
    assert explorer.coef_.shape == (12,)
    w, b = lstsq_polynomial(X_train[:, 0], y_train, 12)
    np.testing.assert_allclose(explorer.fit_line.get_ydata(), polynomial_features(explorer.x_grid, 12) @ w + b,
                               rtol=1e-6, atol=1e-6)
    assert explorer.val_mse > 1.0 > 0.05 > explorer.train_mse, "degree 12 overfits: low training, high validation error"
    assert explorer.degree_marker.get_xdata()[0] == 12
    assert "13 parameters" in explorer.ax_fit.get_title()
    train = np.mean((polynomial_features(X_train, 12) @ w + b - y_train) ** 2)
    val = np.mean((polynomial_features(X_val, 12) @ w + b - y_val) ** 2)
    by_degree = []
    for degree in explorer.degrees:
        w_d, b_d = lstsq_polynomial(X_train[:, 0], y_train, degree)
        by_degree.append(np.mean((polynomial_features(X_val, degree) @ w_d + b_d - y_val) ** 2))
    text = description(explorer)
    assert text.startswith(f"Degree 12, L2 0 (13 parameters): training MSE {train:.3g}, validation MSE {val:.3g}. "
                           f"Against degree (L2 0) the validation MSE is lowest at degree {np.argmin(by_degree) + 1} "
                           f"({min(by_degree):.3g}) and the training MSE goes from ")
    assert "; against L2 (degree 12) the validation MSE is lowest at L2 " in text


def test_degree_curve_matches_independent_fits(explorer, split):
    X_train, X_val, _, y_train, y_val, _ = split
    train_line, val_line = explorer.degree_lines
    for degree in (1, 3, 9, 15):
        w, b = lstsq_polynomial(X_train[:, 0], y_train, degree)
        val = np.mean((polynomial_features(X_val, degree) @ w + b - y_val) ** 2)
        assert val_line.get_ydata()[degree - 1] == pytest.approx(val, rel=1e-6)
    assert np.all(np.diff(train_line.get_ydata()) <= 1e-12), "at L2 = 0 training error never rises with degree"
    assert int(np.argmin(explorer.degree_curve["val"])) + 1 == 3


def test_l2_slider_shrinks_the_weights_and_moves_the_curves(explorer, split):
    X_train, _, _, y_train, _, _ = split
    explorer.degree.value = 12
    wild = np.abs(explorer.coef_).max()
    degree_val_before = explorer.degree_lines[1].get_ydata().copy()
    explorer.l2.value = nearest_l2(1e-4)
    assert explorer.l2.value == pytest.approx(1e-4)
    assert np.abs(explorer.coef_).max() < wild / 10
    w, _ = ridge_fit(polynomial_features(X_train, 12), y_train, 1e-4)
    np.testing.assert_allclose(explorer.coef_, w, rtol=1e-10)
    assert description(explorer).startswith(f"Degree 12, L2 0.0001 (13 parameters): training MSE "
                                            f"{explorer.train_mse:.3g}, validation MSE {explorer.val_mse:.3g}. ")
    assert explorer.val_mse < 0.1, "L2 rescues degree 12"
    assert not np.allclose(explorer.degree_lines[1].get_ydata(), degree_val_before)
    assert explorer.l2_marker.get_xdata()[0] == pytest.approx(1e-4)
    # the L2 curve at the current degree: first point is L2 = 0, the fit without penalty
    assert explorer.l2_lines[1].get_ydata()[0] == pytest.approx(degree_val_before[11], rel=1e-6)


def test_huge_l2_flattens_the_curve(explorer):
    explorer.l2.value = L2_VALUES[-1]
    flat = explorer.fit_line.get_ydata()
    explorer.l2.value = 0.0
    assert flat.std() < explorer.fit_line.get_ydata().std() / 2


def test_nearest_l2_snaps_to_the_slider_values():
    assert nearest_l2(0) == 0.0 and nearest_l2(1e-12) == 0.0
    assert nearest_l2(0.001) == pytest.approx(1e-3)
    assert nearest_l2(2e-3) == pytest.approx(10 ** -2.5)
    with pytest.raises(ValueError, match=">= 0"):
        nearest_l2(-1)


def _with_nan(X):
    X = X.copy()
    X[0, 0] = np.nan
    return X


@pytest.mark.parametrize("change, error, message", [
    ({"X_train": lambda X: X[:, 0]}, ValueError, r"X_train must be 2-D.*1-D.*X_train\.reshape\(-1, 1\)"),
    ({"X_train": lambda X: np.hstack([X, X])}, ValueError,
     r"X_train must have one column \(one feature\) for ValidationExplorer, got 2 columns; pick one feature, "
     r"e\.g\. X_train\[:, \[0\]\]"),
    ({"X_val": _with_nan}, ValueError, r"X_val contains 1 NaN and 0 infinite"),
    ({"y_val": lambda y: y[:-1]}, ValueError, r"y_val has"),
    ({"degree": 0}, ValueError, r"degree must be a whole number from 1 to 15 \(the range of its control\), got 0"),
    ({"degree": 16}, ValueError, r"degree must be a whole number from 1 to 15.*Raise max_degree"),
    ({"max_degree": 0}, ValueError, r"max_degree must be a whole number >= 1"),
    ({"l2": -1}, ValueError, r"l2 must be a number from 0 to 1 \(the range of its control\), got -1"),
    ({"l2": 5}, ValueError, r"l2 must be a number from 0 to 1 "),
    ({"true_curve": 3}, TypeError, r"true_curve must be a function of x"),
])
def test_bad_arguments_get_a_clear_message(split, change, error, message):
    X_train, X_val, _, y_train, y_val, _ = split
    arguments = {"X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val}
    for name, value in change.items():
        arguments[name] = value(arguments[name]) if callable(value) and name in arguments else value
    with pytest.raises(error, match=message):
        ValidationExplorer(**arguments)
