"""The playground's data sets and input features (notebook 07), as in TensorFlow Playground.

Four data sets for classification and two for regression, drawn in the square [-6, 6]²: each toy pattern (radius
about 1) is shown PLAYGROUND_SCALE times larger. ``FeatureMap(names)`` computes the network's inputs from a point
(x1, x2), standardised; a good choice can replace hidden layers (x1·x2 alone separates XOR). numpy only.
"""
import numpy as np

from ..data import Standardizer
from ..datasets import make_blobs, make_circles, make_spirals, make_xor
from ..input_checks import check_choice, check_count, check_non_negative, check_seed


def make_plane(n_samples=200, noise=0.1, seed=0):
    """Regression on a tilted plane: y = (x1 + x2) / 2 + noise, X uniform in [-1, 1]². X (n, 2), y (n,)."""
    rng = np.random.default_rng(check_seed(seed))
    X = rng.uniform(-1, 1, size=(check_count("n_samples", n_samples), 2))
    return X, X.sum(axis=1) / 2 + rng.normal(0, check_non_negative("noise", noise), size=len(X))


def make_gaussians(n_samples=200, noise=0.1, seed=0):
    """Regression on four hills and valleys (Gaussian bumps of height +-1) in [-1, 1]². X (n, 2), y (n,)."""
    rng = np.random.default_rng(check_seed(seed))
    X = rng.uniform(-1, 1, size=(check_count("n_samples", n_samples), 2))
    centres = np.array([[-0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [0.5, -0.5]])
    heights = np.array([1.0, 1.0, -1.0, -1.0])
    squared_distances = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    y = (heights * np.exp(-squared_distances / (2 * 0.3 ** 2))).sum(axis=1)
    return X, y + rng.normal(0, check_non_negative("noise", noise), size=len(X))


PLAYGROUND_SCALE = 5.0
PLAYGROUND_CLASSIFICATION = {"circle": make_circles, "xor": make_xor, "gaussian": make_blobs, "spiral": make_spirals}
PLAYGROUND_DATASETS = {**PLAYGROUND_CLASSIFICATION, "plane": make_plane, "gaussians": make_gaussians}


def make_playground_data(name, n_samples=300, noise=0.0, seed=0):
    """One of the playground's data sets: X (n, 2) in about [-6, 6]², y (n,), and the task ("classification": y in
    {0, 1}; "regression": a number per point)."""
    check_choice("data set", name, list(PLAYGROUND_DATASETS))
    X, y = PLAYGROUND_DATASETS[name](n_samples=n_samples, noise=noise, seed=seed)
    return PLAYGROUND_SCALE * X, y, "classification" if name in PLAYGROUND_CLASSIFICATION else "regression"


FEATURES = {"x1": lambda x1, x2: x1, "x2": lambda x1, x2: x2,
            "x1²": lambda x1, x2: x1 ** 2, "x2²": lambda x1, x2: x2 ** 2, "x1·x2": lambda x1, x2: x1 * x2,
            "sin x1": lambda x1, x2: np.sin(x1), "sin x2": lambda x1, x2: np.sin(x2)}


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
