"""Features: new input columns computed from old ones -- which ones to use is a hyperparameter.

``polynomial_features(x, degree)`` turns one input x into the columns x, x², ..., x^degree: a *linear* model on them
fits a polynomial, and the degree decides how many parameters it has (degree weights + 1 intercept).
``FeatureMap(names)`` computes the playground's inputs from points (x1, x2), standardised; a good choice can replace
hidden layers (x1·x2 alone separates XOR)."""
import numpy as np

from .data import Standardizer
from .input_checks import check_choice, check_count, check_finite, check_numeric

FEATURES = {"x1": lambda x1, x2: x1, "x2": lambda x1, x2: x2,
            "x1²": lambda x1, x2: x1 ** 2, "x2²": lambda x1, x2: x2 ** 2, "x1·x2": lambda x1, x2: x1 * x2,
            "sin x1": lambda x1, x2: np.sin(x1), "sin x2": lambda x1, x2: np.sin(x2)}


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


class FeatureMap(Standardizer):
    """Turn points (x1, x2) into the chosen input features (names from FEATURES, in order), standardised: ``fit(X)``
    learns each feature's mean and standard deviation on the training points X (n, 2); ``transform(X)`` returns
    (n, len(names)). The first weight matrix has one row per feature."""

    def __init__(self, names=("x1", "x2")):
        names = [names] if isinstance(names, str) else names
        self.names = [check_choice("feature", name, list(FEATURES)) for name in names]
        if not self.names or len(set(self.names)) != len(self.names):
            raise ValueError(f"choose at least one input feature, each once (e.g. ['x1', 'x2']); got {self.names}.")

    def raw(self, X):
        """The features before standardising: (n, 2) points -> (n, len(names))."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"the playground's points have two coordinates, shape (n, 2); got {X.shape}.")
        return np.column_stack([FEATURES[name](X[:, 0], X[:, 1]) for name in self.names])

    def fit(self, X):
        return super().fit(self.raw(X))

    def transform(self, X):
        return super().transform(self.raw(X))

    def __repr__(self):
        return f"FeatureMap({self.names})"
