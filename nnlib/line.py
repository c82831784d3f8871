"""A straight line y_hat = slope * x + intercept: its loss and the loss's gradient (notebooks 01 and 02).

On the data x, y (n,), the loss is the mean squared error and its gradient follows by the chain rule:
    error = slope * x + intercept - y                 (n,)
    L = mean(error**2),    dL/dslope = 2 mean(error * x),    dL/dintercept = 2 mean(error).
Gradient descent steps against it: slope -= learning_rate * dL/dslope, and the same for the intercept
(``LinearRegression`` is this line as a one-neuron network). slope and intercept may be arrays of one shape S (a grid,
a path: the answers have shape S); x and y stacks (..., n) of data sets (mini-batches), answered one per row.
"""
import numpy as np

from .input_checks import check_finite, check_numeric


def line_loss(x, y, slope, intercept):
    """L(slope, intercept) on the data x, y (n,) -> a number, or shape S."""
    x, y = _same_shape(x, y)
    error = np.expand_dims(slope, -1) * x + np.expand_dims(intercept, -1) - y  # (*S, n): one row per line
    return np.mean(error**2, axis=-1)


def line_gradient(x, y, slope, intercept):
    """(dL/dslope, dL/dintercept) on the data x, y (n,) -> two numbers, or two arrays of shape S."""
    x, y = _same_shape(x, y)
    error = np.expand_dims(slope, -1) * x + np.expand_dims(intercept, -1) - y
    return 2 * np.mean(error * x, axis=-1), 2 * np.mean(error, axis=-1)


def _same_shape(x, y):
    x, y = check_numeric(x, "x"), check_numeric(y, "y")
    check_finite(x, "x"), check_finite(y, "y")
    if x.shape != y.shape or x.ndim == 0:
        raise ValueError(f"x has shape {x.shape} and y {y.shape}: give one y per x, both of shape (n,) (for a column "
                         "X of shape (n, 1), pass X[:, 0]).")
    return x, y
