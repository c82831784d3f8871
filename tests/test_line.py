"""nnlib.line, the line's loss and gradient (notebooks 01 and 02): against the direct mean, the closed-form least
squares line and finite differences; the shapes it answers in; the three points with the data's loss surface."""
import numpy as np
import pytest

from nnlib.line import line_gradient, line_loss
from nnlib.plots.descent import least_squares_line, three_points

SLOPES = np.array([[0.0, 40.0], [49.7, -3.0]])
INTERCEPTS = np.array([[0.0, -3000.0], [-5781.0, 500.0]])


def test_the_loss_of_each_line_is_its_mean_squared_error(penguins):
    X, y = penguins
    x = X[:, 0]
    direct = [[np.mean((w * x + b - y) ** 2) for w, b in zip(rw, rb)] for rw, rb in zip(SLOPES, INTERCEPTS)]
    np.testing.assert_allclose(line_loss(x, y, SLOPES, INTERCEPTS), direct, rtol=1e-12)
    assert line_loss(x, y, 0.0, 0.0) == pytest.approx(np.mean(y**2), rel=1e-12)


def test_the_gradient_matches_finite_differences_and_vanishes_at_the_least_squares_line(penguins_standardised):
    X, y = penguins_standardised
    x = X[:, 0]
    for w, b in ((0.0, 0.0), (300.0, 4000.0), (-50.0, 9000.0)):
        h = 1e-3
        numeric = ((line_loss(x, y, w + h, b) - line_loss(x, y, w - h, b)) / (2 * h),
                   (line_loss(x, y, w, b + h) - line_loss(x, y, w, b - h)) / (2 * h))
        np.testing.assert_allclose(line_gradient(x, y, w, b), numeric, rtol=1e-6)
    at_minimum = line_gradient(x, y, *least_squares_line(x, y))
    assert np.all(np.abs(at_minimum) < 1e-8 * np.abs(line_gradient(x, y, 0.0, 0.0)))


def test_a_grid_of_lines_answers_in_the_grids_shape_and_stacked_batches_one_per_row(penguins):
    X, y = penguins
    x = X[:, 0]
    gradient = line_gradient(x, y, SLOPES, INTERCEPTS)
    assert gradient[0].shape == gradient[1].shape == SLOPES.shape
    assert gradient[0][1, 0] == pytest.approx(line_gradient(x, y, 49.7, -5781.0)[0], rel=1e-12)
    batches_x, batches_y = x[:340].reshape(10, 34), y[:340].reshape(10, 34)
    np.testing.assert_allclose(line_loss(batches_x, batches_y, 40.0, -3000.0),
                               [line_loss(bx, by, 40.0, -3000.0) for bx, by in zip(batches_x, batches_y)], rtol=1e-12)


def test_a_column_for_x_is_refused_with_what_to_pass(penguins):
    X, y = penguins
    with pytest.raises(ValueError, match=r"x has shape \(342, 1\) and y \(342,\).*pass X\[:, 0\]"):
        line_loss(X, y, 1.0, 0.0)


@pytest.mark.parametrize("x, words", [(["a", "b"], "x must contain only numbers"),
                                      ([1.0, np.nan], r"x contains 1 NaN and 0 infinite value\(s\)")])
def test_text_or_nan_in_the_data_is_refused_in_words(x, words):
    with pytest.raises(ValueError, match=words):
        line_gradient(x, [1.0, 2.0], 0.5, 0.0)


@pytest.mark.parametrize("standardised", [False, True])
def test_three_points_have_the_datas_loss_and_gradient_everywhere(penguins, standardised):
    X, y = penguins
    x = X[:, 0] if not standardised else (X[:, 0] - X[:, 0].mean()) / X[:, 0].std()
    xs, ys = three_points(x, y)
    assert xs.shape == ys.shape == (3,)
    np.testing.assert_allclose(line_loss(xs, ys, SLOPES, INTERCEPTS), line_loss(x, y, SLOPES, INTERCEPTS), rtol=1e-12)
    for many, few in zip(line_gradient(x, y, SLOPES, INTERCEPTS), line_gradient(xs, ys, SLOPES, INTERCEPTS)):
        np.testing.assert_allclose(few, many, rtol=1e-9, atol=1e-9 * np.abs(many).max())


def test_three_points_of_data_without_spread_in_x_keep_the_spread_of_y():
    xs, ys = three_points(np.ones(4), np.array([1.0, 2.0, 3.0, 6.0]))
    np.testing.assert_allclose(xs, 1.0)
    assert ys.mean() == pytest.approx(3.0) and ys.var() == pytest.approx(np.var([1.0, 2.0, 3.0, 6.0]))
