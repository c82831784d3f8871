"""Data for training: splitting into training, validation and test sets, k folds, and standardising.

X has shape (n_samples, n_features), y (n_samples,). Parameters are fit on the training set, hyperparameters compared
on the validation set, the test set used once; the data sets themselves are in ``nnlib.datasets``.
"""
import numpy as np

from .input_checks import check_count, check_features, check_non_negative, check_same_length, check_seed


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
