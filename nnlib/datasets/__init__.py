"""The data sets: the real ones the course ships in data/ and the seeded toy problems it generates.

X has shape (n_samples, n_features), y (n_samples,). Loaders and generators return a ``Dataset`` that unpacks like a
pair, ``X, y = load_penguins()``; the playground's own data sets are in ``nnlib.widgets.playground_data``. Nothing is
downloaded: the real data sets ship in data/, whose README gives their sources and licenses. Not part of the numpy
core (``nnlib/*.py``): the network never reads a data set; splitting and standardising are in ``nnlib.data``.
"""
import csv
import os
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..input_checks import check_choice, check_count, check_non_negative, check_seed

# The repository's data/ folder first; a non-editable install (Colab, pip; see pyproject.toml) also copies it to
# <data>/share/nnlib-course/data, <data> being sys.prefix in a venv, /usr/local on Debian's Python, ~/.local for --user.
DATA_DIRS = (Path(__file__).resolve().parents[2] / "data",
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


DATASETS = {"moons": make_moons, "circles": make_circles, "xor": make_xor, "blobs": make_blobs, "spirals": make_spirals}
