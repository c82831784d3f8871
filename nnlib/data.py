"""Data: the shipped data sets, seeded toy problems, splitting and standardising.

X has shape (n_samples, n_features), y (n_samples,). Loaders and generators return a ``Dataset`` that unpacks like a
pair, ``X, y = load_penguins()``; the playground's own data sets are in ``nnlib.widgets.playground_data``. Nothing is
downloaded: the real data sets ship in data/, whose README gives their sources and licenses.
"""
import csv
import os
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .input_checks import check_choice, check_count, check_features, check_non_negative, check_same_length, check_seed

# The repository's data/ folder first; a non-editable install (Colab, pip; see pyproject.toml) also copies it to
# <data>/share/nnlib-course/data, <data> being sys.prefix in a venv, /usr/local on Debian's Python, ~/.local for --user.
DATA_DIRS = (Path(__file__).resolve().parent.parent / "data",
             *dict.fromkeys(Path(sysconfig.get_paths(scheme)["data"]) / "share" / "nnlib-course" / "data"
                            for scheme in (sysconfig.get_default_scheme(), f"{os.name}_user")
                            if scheme in sysconfig.get_scheme_names()))

PENGUIN_NUMERIC = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year")
PENGUIN_CATEGORICAL = ("species", "island", "sex")


@dataclass
class Dataset:
    """X (n_samples, n_features), y (n_samples,), and what the columns mean."""

    X: np.ndarray
    y: np.ndarray
    feature_names: list
    target_name: str
    target_names: list = None  # class names, for a categorical target
    description: str = ""

    def __iter__(self):
        return iter((self.X, self.y))

    def __len__(self):
        return len(self.X)


def _data_file(name):
    for folder in DATA_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"cannot find {name} in {' or '.join(map(str, DATA_DIRS))}: run the notebooks from a "
                            "clone of the course repository, or pip-install nnlib from one (data/ ships with it).")


def load_penguins(features=("flipper_length_mm",), target="body_mass_g", species=None):
    """Palmer penguins (344 birds, 3 species; CC0): measurements of each penguin.

    features: numeric columns for X, from bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, year.
    target: a numeric column (regression, y is float) or 'species', 'island' or 'sex' (classification, y holds
      labels 0..K-1 named by ``target_names``). species: keep only these, e.g. ("Adelie", "Gentoo") for two classes.
    Rows missing a requested column are dropped (2 penguins have no measurements, 9 more no recorded sex)."""
    features = [features] if isinstance(features, str) else features
    features = [check_choice("feature", name, PENGUIN_NUMERIC) for name in features]
    check_choice("target", target, PENGUIN_NUMERIC + PENGUIN_CATEGORICAL)
    with open(_data_file("penguins.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if species is not None:
        species = [species] if isinstance(species, str) else species
        species = [check_choice("species", name, ("Adelie", "Chinstrap", "Gentoo")) for name in species]
        rows = [r for r in rows if r["species"] in species]
    n_rows = len(rows)
    rows = [r for r in rows if all(r[c] != "NA" for c in [*features, target])]
    X = np.array([[float(r[c]) for c in features] for r in rows])
    target_names = None
    if target in PENGUIN_CATEGORICAL:
        target_names = species if (target == "species" and species) else sorted({r[target] for r in rows})
    y = np.array([float(r[target]) if target_names is None else target_names.index(r[target]) for r in rows])
    return Dataset(X, y, features, target, target_names,
                   f"Palmer penguins: {len(rows)} of {n_rows} rows ({n_rows - len(rows)} dropped for missing values).")


def load_digits():
    """UCI optical digits (CC BY 4.0): 1,797 images of 8x8 pixels, grey levels 0..16: X (1797, 64) float, one row per
    image (reshape a row to (8, 8) to see it); y (1797,) int, the digit 0..9."""
    table = np.loadtxt(_data_file("digits.csv"), delimiter=",", skiprows=1)
    return Dataset(table[:, :-1], table[:, -1].astype(np.intp), [f"pixel_{r}_{c}" for r in range(8) for c in range(8)],
                   "digit", [str(d) for d in range(10)], "UCI optical recognition of handwritten digits, 8x8.")


def make_line(n_samples=50, slope=2.0, intercept=1.0, noise=1.0, x_range=(0.0, 10.0), seed=0):
    """Points scattered around y = slope * x + intercept. X (n, 1), y (n,)."""
    rng = np.random.default_rng(check_seed(seed))
    x = rng.uniform(*x_range, size=check_count("n_samples", n_samples))
    y = slope * x + intercept + rng.normal(0, check_non_negative("noise", noise), size=x.shape)
    return Dataset(x.reshape(-1, 1), y, ["x"], "y", None, f"y = {slope} x + {intercept} + noise")


def true_curve(x):
    """The curve ``make_curve`` scatters its points around: sin(pi x). x of any shape."""
    return np.sin(np.pi * np.asarray(x, dtype=float))


def make_curve(n_samples=60, noise=0.25, seed=0):
    """A small noisy sample of y = sin(pi x) + noise, x uniform in [-1, 1]: X (n_samples, 1), y (n_samples,).
    ``noise`` is the noise's standard deviation: noise**2 is the lowest mean squared error a model can expect."""
    rng = np.random.default_rng(check_seed(seed))
    x = rng.uniform(-1.0, 1.0, size=check_count("n_samples", n_samples, minimum=2))
    y = true_curve(x) + rng.normal(0.0, check_non_negative("noise", noise), size=x.shape)
    return Dataset(x.reshape(-1, 1), y, ["x"], "y", None, f"y = sin(pi x) + noise (sd {noise:g}), x in [-1, 1]")


def make_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles, classes 0 and 1. X (n, 2), y (n,)."""
    rng, y = _two_classes(n_samples, seed)
    t = rng.uniform(0, np.pi, len(y))
    X = np.column_stack([np.cos(t), np.sin(t)])  # class 1: this arc turned half a turn, then shifted by (1, 0.5)
    return _shuffled(np.where(y[:, None] == 1, [1, 0.5] - X, X), y, noise, rng, "moons")


def make_circles(n_samples=200, noise=0.1, factor=0.5, seed=0):
    """A small circle (class 1) inside a large one (class 0). X (n, 2), y (n,)."""
    rng, y = _two_classes(n_samples, seed)
    t = rng.uniform(0, 2 * np.pi, len(y))
    X = np.where(y == 1, factor, 1.0)[:, None] * np.column_stack([np.cos(t), np.sin(t)])
    return _shuffled(X, y, noise, rng, "circles")


def make_xor(n_samples=200, noise=0.1, seed=0):
    """Points in the four quadrants; class 1 where x1 and x2 have opposite signs. X (n, 2)."""
    rng = np.random.default_rng(check_seed(seed))
    X = rng.uniform(-1, 1, size=(check_count("n_samples", n_samples), 2))
    X += np.sign(X) * 0.05  # a small gap around the axes
    return _shuffled(X, X[:, 0] * X[:, 1] < 0, noise, rng, "xor")


def make_blobs(n_samples=200, n_classes=2, noise=0.1, seed=0):
    """Gaussian clusters, one per class, centred on a circle of radius 1. X (n, 2)."""
    rng = np.random.default_rng(check_seed(seed))
    y = np.arange(check_count("n_samples", n_samples)) % check_count("n_classes", n_classes, minimum=2)
    angle = 2 * np.pi * y / n_classes
    X = np.column_stack([np.cos(angle), np.sin(angle)]) + rng.normal(0, 0.25, size=(len(y), 2))
    return _shuffled(X, y, noise, rng, "blobs")


def make_spirals(n_samples=200, n_classes=2, noise=0.1, seed=0):
    """Interleaved spiral arms, one per class. X (n, 2), y (n,) in 0..n_classes-1."""
    rng = np.random.default_rng(check_seed(seed))
    y = np.arange(check_count("n_samples", n_samples)) % check_count("n_classes", n_classes, minimum=2)
    r = rng.uniform(0.05, 1, size=len(y))
    angle = 2 * np.pi * (y / n_classes + 0.75 * r)
    return _shuffled(r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]), y, noise, rng, "spirals")


def _two_classes(n_samples, seed):
    n = check_count("n_samples", n_samples, minimum=2)  # labels: n // 2 zeros, then ones
    return np.random.default_rng(check_seed(seed)), (np.arange(n) >= n // 2).astype(np.intp)


def _shuffled(X, y, noise, rng, name):
    X = X + rng.normal(0, check_non_negative("noise", noise), size=X.shape)
    order = rng.permutation(len(X))
    return Dataset(X[order], y[order].astype(np.intp), ["x1", "x2"], "class", [str(k) for k in range(y.max() + 1)],
                   f"toy data set: {name}")


def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    """Shuffle once, then cut into training, validation and test sets: X_train, X_val, X_test, y_train, y_val, y_test.
    Parameters are fit on the training set, hyperparameters compared on the validation set, the test set used once."""
    X, y = check_features(X), np.asarray(y)
    check_same_length(y, len(X))
    val_size, test_size = check_non_negative("val_size", val_size), check_non_negative("test_size", test_size)
    if val_size + test_size >= 1:
        raise ValueError(f"val_size + test_size must be below 1 to leave training data; got {val_size + test_size:g}.")
    n_test, n_val = int(round(len(X) * test_size)), int(round(len(X) * val_size))
    if len(X) - n_test - n_val < 1:
        raise ValueError(f"only {len(X)} samples: nothing would be left for training.")
    test, val, train = np.split(np.random.default_rng(check_seed(seed)).permutation(len(X)), [n_test, n_test + n_val])
    return X[train], X[val], X[test], y[train], y[val], y[test]


def k_fold_split(X, y, k=5, seed=0):
    """k-fold cross-validation: shuffle once, cut into k folds, each the validation set once: a list of k tuples
    (X_train, X_val, y_train, y_val). The mean score over the folds is steadier than one small validation set."""
    X, y = check_features(X), np.asarray(y)
    check_same_length(y, len(X))
    if not 2 <= check_count("k", k, minimum=2) <= len(X):
        raise ValueError(f"k must be between 2 and the number of samples ({len(X)}); got {k}.")
    folds = np.array_split(np.random.default_rng(check_seed(seed)).permutation(len(X)), k)
    rest = [np.concatenate(folds[:i] + folds[i + 1:]) for i in range(k)]
    return [(X[train], X[val], y[train], y[val]) for train, val in zip(rest, folds)]


class Standardizer:
    """Rescale each feature to mean 0 and standard deviation 1: (X - mean_) / scale_. ``fit`` learns ``mean_`` and
    ``scale_`` from the training data only; validation and test data reuse them (their own would leak information)."""

    def fit(self, X):
        X = check_features(X)
        self.mean_, std = X.mean(axis=0), X.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)  # a constant column stays as it is
        return self

    def transform(self, X):
        if not hasattr(self, "mean_"):
            raise AttributeError(f"This {type(self).__name__} has not been fitted: call fit(X_train) first.")
        return (check_features(X, n_features=len(self.mean_)) - self.mean_) / self.scale_

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    def inverse_transform(self, X_scaled):
        return np.asarray(X_scaled) * self.scale_ + self.mean_


def standardize(X_train, *others):
    """Standardise X_train and any other arrays with the training set's mean and std, returned in the same order:
    ``X_train, X_val = standardize(X_train, X_val)``."""
    arrays = list(map(Standardizer().fit(X_train).transform, (X_train, *others)))
    return arrays[0] if not others else arrays


DATASETS = {"moons": make_moons, "circles": make_circles, "xor": make_xor, "blobs": make_blobs, "spirals": make_spirals}
