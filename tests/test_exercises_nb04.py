"""Exercises of notebook 04: every solution passes, typical mistakes get their specific feedback."""
import numpy as np
import pytest

import nnlib
from nnlib.data import make_curve
from nnlib.exercises import nb04
from nnlib.features import polynomial_features


def fit_polynomial(x, y, degree, l2=0.0):
    """The notebook's closed form (ridge via stacked least squares)."""
    features = polynomial_features(x, degree)
    n = len(y)
    mean, y_mean = features.mean(axis=0), y.mean()
    system = np.vstack([features - mean, np.sqrt(n * l2 / 2) * np.eye(degree)])
    coef = np.linalg.lstsq(system, np.concatenate([y - y_mean, np.zeros(degree)]), rcond=None)[0]
    return coef, y_mean - mean @ coef


def mse(x, y, degree, coef, intercept):
    return np.mean((polynomial_features(x, degree) @ coef + intercept - y) ** 2)


@pytest.fixture(scope="module")
def namespace():
    X, y = make_curve(n_samples=60, noise=0.25, seed=0)
    X_train, X_val, X_test, y_train, y_val, y_test = nnlib.train_val_test_split(X, y, val_size=0.25,
                                                                                 test_size=0.25, seed=0)
    return {"np": np, "polynomial_features": polynomial_features, "fit_polynomial": fit_polynomial, "mse": mse,
            "x_train": X_train[:, 0], "y_train": y_train, "x_val": X_val[:, 0], "y_val": y_val,
            "x_test": X_test[:, 0], "y_test": y_test, "k_fold_split": nnlib.data.k_fold_split,
            "X_pool": np.vstack([X_train, X_val]), "y_pool": np.concatenate([y_train, y_val])}


@pytest.mark.parametrize("exercise", [nb04.q1, nb04.q2, nb04.q3, nb04.q4], ids=lambda q: q.id)
def test_solution_passes(exercise, namespace):
    scope = dict(namespace)
    exec(exercise.solution_code, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers)) == ("correct", "Correct!")


@pytest.mark.parametrize("exercise", [nb04.q1, nb04.q2, nb04.q3, nb04.q4], ids=lambda q: q.id)
def test_placeholder_is_unanswered(exercise, namespace):
    scope = dict(namespace)
    exec(exercise.placeholder, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers))[0] == "unanswered"


def feedback(exercise, *answers):
    status, message = exercise.feedback(*answers)
    assert status == "wrong"
    return message


def test_count_mistakes():
    assert "intercept is learned too" in feedback(nb04.q1, 7)
    assert "hyperparameter" in feedback(nb04.q1, 1)
    assert "no column of ones" in feedback(nb04.q1, 9)


def test_degree_checker_agrees_with_an_independent_computation(namespace):
    """The three candidate answers the checker distinguishes, computed with the notebook's ridge closed form."""
    ns = namespace
    errors = np.array([[mse(ns[f"x_{part}"], ns[f"y_{part}"], d, *fit_polynomial(ns["x_train"], ns["y_train"], d))
                        for part in ("train", "val", "test")] for d in range(1, 16)])
    by_train, by_val, by_test = (int(np.argmin(errors[:, k])) + 1 for k in range(3))
    assert (by_train, by_val, by_test) == (15, 3, 7)
    assert nb04.q2.feedback(by_val)[0] == "correct"
    assert "training* error" in feedback(nb04.q2, by_train)
    assert "cheating" in feedback(nb04.q2, by_test)
    assert "Off by one" in feedback(nb04.q2, by_val - 1)
    assert "not the one with the lowest validation error" in feedback(nb04.q2, 10)


def test_stage_mistakes():
    assert "learner's guess" in feedback(nb04.q3, "validation", "training")
    assert "cheating" in feedback(nb04.q3, "training", "test")
    assert "most flexible" in feedback(nb04.q3, "training", "training")
    assert "Which data does fit() see" in feedback(nb04.q3, "test", "validation")
    assert "one of" in feedback(nb04.q3, "train", "validation")


def test_cross_validation_mistakes(namespace):
    """Each typical mistake of 04.4, computed independently with the notebook's closed form."""
    folds = nnlib.data.k_fold_split(namespace["X_pool"], namespace["y_pool"], k=5, seed=0)
    held_out = [mse(Xv[:, 0], yv, 3, *fit_polynomial(Xt[:, 0], yt, 3)) for Xt, Xv, yt, yv in folds]
    fitted_on = [mse(Xt[:, 0], yt, 3, *fit_polynomial(Xt[:, 0], yt, 3)) for Xt, Xv, yt, yv in folds]
    assert nb04.q4.feedback(np.mean(held_out))[0] == "correct"
    assert "SUM of the five" in feedback(nb04.q4, np.sum(held_out))
    assert "training error" in feedback(nb04.q4, np.mean(fitted_on))
    train_only = nnlib.data.k_fold_split(namespace["x_train"][:, None], namespace["y_train"], k=5, seed=0)
    only_30 = np.mean([mse(Xv[:, 0], yv, 3, *fit_polynomial(Xt[:, 0], yt, 3)) for Xt, Xv, yt, yv in train_only])
    assert "30 training points only" in feedback(nb04.q4, only_30)
    assert "one number" in feedback(nb04.q4, [0.1, 0.2])


def test_k_fold_split_holds_out_every_sample_once():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    folds = nnlib.data.k_fold_split(X, y, k=3, seed=1)
    held = np.concatenate([y_val for _, _, _, y_val in folds])
    assert sorted(held.tolist()) == list(range(10)) and [len(f[3]) for f in folds] == [4, 3, 3]
    for X_tr, X_va, y_tr, y_va in folds:
        assert set(y_tr.tolist()).isdisjoint(y_va.tolist()) and len(y_tr) + len(y_va) == 10
        assert np.array_equal(X_tr[:, 0] / 2, y_tr) and np.array_equal(X_va[:, 0] / 2, y_va)
    assert [f[3].tolist() for f in folds] == [f[3].tolist() for f in nnlib.data.k_fold_split(X, y, k=3, seed=1)]
    with pytest.raises(ValueError, match="k must be between 2 and the number of samples"):
        nnlib.data.k_fold_split(X, y, k=11)
