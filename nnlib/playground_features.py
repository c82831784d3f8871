"""What goes into the playground: its data sets and the input features computed from them.

Data sets (like TensorFlow Playground's): four for classification -- "circle", "xor",
"gaussian", "spiral" (nnlib's toy generators) -- and two for regression -- "plane"
(y = (x1 + x2) / 2) and "gaussians" (hills and valleys). Points lie in the square
[-6, 6] x [-6, 6]; ``noise`` is the spread of the noise relative to the pattern's size
(0.5 = 50 %).

Input features: the network does not have to see x1 and x2 only. Which inputs to give
it -- x1, x2, x1², x2², x1·x2, sin x1, sin x2 -- is a choice you make before training,
a hyperparameter, and a good choice can replace hidden layers: x1·x2 alone separates XOR.
``FeatureMap(names)`` computes the chosen columns and standardises them with the
training set's mean and standard deviation.
"""
import numpy as np

from .data import Standardizer, make_blobs, make_circles, make_spirals, make_xor
from .input_checks import check_choice, check_count, check_non_negative, check_seed

SCALE = 5.0  # the toy generators draw patterns of radius about 1; the playground shows them 5x larger

FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1²": lambda x1, x2: x1 ** 2,
    "x2²": lambda x1, x2: x2 ** 2,
    "x1·x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
}


def make_plane(n_samples=200, noise=0.1, seed=0):
    """Regression on a tilted plane: y = (x1 + x2) / 2 + noise, X uniform in [-1, 1]². X (n, 2), y (n,)."""
    rng = np.random.default_rng(check_seed(seed))
    X = rng.uniform(-1, 1, size=(check_count("n_samples", n_samples), 2))
    y = X.sum(axis=1) / 2 + rng.normal(0, check_non_negative("noise", noise), size=len(X))
    return X, y


def make_gaussians(n_samples=200, noise=0.1, seed=0):
    """Regression on four hills and valleys (Gaussian bumps of height +-1) in [-1, 1]². X (n, 2), y (n,)."""
    rng = np.random.default_rng(check_seed(seed))
    X = rng.uniform(-1, 1, size=(check_count("n_samples", n_samples), 2))
    centres = np.array([[-0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [0.5, -0.5]])
    heights = np.array([1.0, 1.0, -1.0, -1.0])
    squared_distances = ((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    y = (heights * np.exp(-squared_distances / (2 * 0.3 ** 2))).sum(axis=1)
    return X, y + rng.normal(0, check_non_negative("noise", noise), size=len(X))


CLASSIFICATION_DATASETS = {
    "circle": make_circles,
    "xor": make_xor,
    "gaussian": make_blobs,
    "spiral": make_spirals,
}
REGRESSION_DATASETS = {"plane": make_plane, "gaussians": make_gaussians}
DATASETS = {**CLASSIFICATION_DATASETS, **REGRESSION_DATASETS}


def make_playground_data(name, n_samples=300, noise=0.0, seed=0):
    """One of the playground's data sets: X (n, 2) in about [-6, 6]², y (n,) labels or targets, task.

    task is "classification" (y holds 0 and 1) or "regression" (y is a number per point).
    """
    check_choice("data set", name, list(DATASETS))
    X, y = DATASETS[name](n_samples=n_samples, noise=noise, seed=seed)
    task = "classification" if name in CLASSIFICATION_DATASETS else "regression"
    return SCALE * np.asarray(X, dtype=float), np.asarray(y), task


class FeatureMap:
    """Turn points (x1, x2) into the chosen input features, standardised.

    names: which features, in order, from FEATURES (e.g. ("x1", "x2", "x1·x2")).
    ``fit(X)`` learns each feature's mean and standard deviation on the training points
    X (n, 2); ``transform(X)`` returns (n, len(names)). The network's first weight matrix
    has one row per feature, so the features decide how many parameters it has.
    """

    def __init__(self, names=("x1", "x2")):
        names = [names] if isinstance(names, str) else list(names)
        if not names:
            raise ValueError("choose at least one input feature, e.g. FeatureMap(['x1', 'x2']).")
        for name in names:
            check_choice("feature", name, list(FEATURES))
        if len(set(names)) != len(names):
            raise ValueError(f"each feature may be chosen once; got {names}.")
        self.names = names

    def raw(self, X):
        """The features before standardising: (n, 2) points -> (n, len(names))."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"the playground's points have two coordinates, shape (n, 2); got {X.shape}.")
        return np.column_stack([FEATURES[name](X[:, 0], X[:, 1]) for name in self.names])

    def fit(self, X):
        self.scaler_ = Standardizer().fit(self.raw(X))
        return self

    def transform(self, X):
        return self.scaler_.transform(self.raw(X))

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def __repr__(self):
        return f"FeatureMap({self.names})"
