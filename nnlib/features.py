"""Features: new input columns computed from old ones -- which ones to use is a hyperparameter.

``polynomial_features(x, degree)`` turns one input x into the columns x, x², ..., x^degree: a *linear* model on them
fits a polynomial, and the degree decides how many parameters it has (degree weights + 1 intercept).
The playground's input features (x1², x1·x2, ...) are in ``nnlib.widgets.playground_data``."""
import numpy as np

from .input_checks import check_count, check_finite, check_numeric


def polynomial_features(x, degree):
    """The powers x, x**2, ..., x**degree of one feature x (n,) or (n, 1) as columns (n, degree): column k - 1 holds
    x**k; degree is a whole number >= 1. No column of ones: the model's intercept plays that role."""
    degree = check_count("degree", degree, minimum=1,
                         hint="degree 1 is a straight line, 3 a cubic; use 1 to 15 in this course.")
    x = check_numeric(x, "x").astype(float)
    if x.ndim == 0 or x.shape[1:] not in ((), (1,)):
        raise ValueError("polynomial_features makes powers of ONE feature, so x must have shape (n,) or "
                         f"(n, 1); got shape {x.shape}. For one column of a table use X[:, 0].")
    check_finite(x.ravel(), "x")
    return x.reshape(-1, 1) ** np.arange(1, degree + 1)
