"""Features: new input columns computed from old ones, and a toy curve to fit them to.

``polynomial_features(x, degree)`` turns one input x into the columns x, x², ...,
x^degree. A *linear* model on those columns fits a polynomial curve, and its
degree is a hyperparameter: it decides how many parameters the model has
(degree weights + 1 intercept).

``make_curve`` draws a small, noisy, seeded data set around y = sin(pi x), for
watching a polynomial underfit and overfit.
"""
import numpy as np

from .data import Dataset
from .validation import check_count, check_non_negative, check_seed


def polynomial_features(x, degree):
    """The powers x, x**2, ..., x**degree of one feature, as columns.

    x: shape (n,) or (n, 1). degree: a whole number >= 1.
    Returns an array of shape (n, degree); column k - 1 holds x**k.
    (No column of ones: the model's intercept plays that role.)
    """
    degree = check_count("degree", degree, minimum=1,
                         hint="degree 1 is a straight line, 3 a cubic; use 1 to 15 in this course.")
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("x must contain only numbers (a numpy array or a list of numbers).") from None
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(
            f"polynomial_features makes powers of ONE feature, so x must have shape (n,) or (n, 1); got shape "
            f"{x.shape}. For one column of a table use X[:, 0]."
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values: remove those samples before making features.")
    return x[:, None] ** np.arange(1, degree + 1)


def true_curve(x):
    """The curve ``make_curve`` scatters its points around: sin(pi x). x of any shape."""
    return np.sin(np.pi * np.asarray(x, dtype=float))


def make_curve(n_samples=60, noise=0.25, seed=0):
    """A small noisy sample of y = sin(pi x) + noise, with x uniform in [-1, 1].

    X (n_samples, 1), y (n_samples,); ``noise`` is the standard deviation of the
    Gaussian noise, so noise**2 is the smallest mean squared error any model can
    expect on new data. Unpacks like the other data sets: ``X, y = make_curve()``.
    """
    rng = np.random.default_rng(check_seed(seed))
    n = check_count("n_samples", n_samples, minimum=2)
    x = rng.uniform(-1.0, 1.0, size=n)
    y = true_curve(x) + rng.normal(0.0, check_non_negative("noise", noise), size=n)
    return Dataset(x.reshape(-1, 1), y, ["x"], "y", None, f"y = sin(pi x) + noise (sd {noise:g}), x in [-1, 1]")
