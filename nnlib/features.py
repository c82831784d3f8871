"""Features: new input columns computed from old ones.

``polynomial_features(x, degree)`` turns one input x into the columns x, x², ...,
x^degree. A *linear* model on those columns fits a polynomial curve, and its
degree is a hyperparameter: it decides how many parameters the model has
(degree weights + 1 intercept).

The toy curve they are fitted to in notebook 04 is ``nnlib.data.make_curve``.
"""
import numpy as np

from .input_checks import check_count


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
