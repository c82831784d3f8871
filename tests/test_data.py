"""nnlib/data.py: splitting into training, validation and test sets, and standardising with training statistics."""
import numpy as np
import pytest

import nnlib


def test_split_sizes_are_disjoint_and_reproducible():
    X = np.arange(100.0).reshape(-1, 1)
    parts = nnlib.train_val_test_split(X, np.arange(100), val_size=0.2, test_size=0.1, seed=5)
    X_train, X_val, X_test, y_train, y_val, y_test = parts
    assert (len(X_train), len(X_val), len(X_test)) == (70, 20, 10)
    assert sorted(np.concatenate([y_train, y_val, y_test]).tolist()) == list(range(100))
    assert np.array_equal(X_train[:, 0], y_train)
    again = nnlib.train_val_test_split(X, np.arange(100), val_size=0.2, test_size=0.1, seed=5)
    assert np.array_equal(again[0], X_train)
    with pytest.raises(ValueError, match="must be below 1"):
        nnlib.train_val_test_split(X, np.arange(100), val_size=0.5, test_size=0.5)


def test_standardize_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train, X_val = rng.normal(5, 2, size=(50, 3)), rng.normal(5, 2, size=(20, 3))
    S_train, S_val = nnlib.standardize(X_train, X_val)
    assert np.allclose(S_train.mean(axis=0), 0) and np.allclose(S_train.std(axis=0), 1)
    assert np.allclose(S_val, (X_val - X_train.mean(axis=0)) / X_train.std(axis=0))
    scaler = nnlib.Standardizer().fit(X_train)
    assert np.allclose(scaler.inverse_transform(scaler.transform(X_val)), X_val)


def test_fit_transform_learns_the_statistics_and_transforms_in_one_call():
    X = np.random.default_rng(1).normal(5, 2, size=(40, 3))
    scaler = nnlib.Standardizer()
    S = scaler.fit_transform(X)
    assert np.array_equal(S, nnlib.Standardizer().fit(X).transform(X))
    assert np.array_equal(scaler.mean_, X.mean(axis=0)) and np.array_equal(scaler.scale_, X.std(axis=0))
    assert np.array_equal(scaler.transform(X), S)
