"""Exercises of notebook 04: every solution passes, typical mistakes get their specific feedback."""
import ast
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib
from nnlib.datasets import make_curve
from nnlib.exercises import nb04
from nnlib.features import polynomial_features

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04_overfitting_and_validation.ipynb"


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
    swapped = [mse(Xt[:, 0], yt, 3, *fit_polynomial(Xv[:, 0], yv, 3)) for Xt, Xv, yt, yv in folds]
    degree_4 = [mse(Xv[:, 0], yv, 4, *fit_polynomial(Xt[:, 0], yt, 4)) for Xt, Xv, yt, yv in folds]
    assert nb04.q4.feedback(np.mean(held_out))[0] == "correct"
    assert "SUM of the five" in feedback(nb04.q4, np.sum(held_out))
    assert "training error" in feedback(nb04.q4, np.mean(fitted_on))
    assert "the other way round" in feedback(nb04.q4, np.mean(swapped))
    assert "degree 4" in feedback(nb04.q4, np.mean(degree_4))
    train_only = nnlib.data.k_fold_split(namespace["x_train"][:, None], namespace["y_train"], k=5, seed=0)
    only_30 = np.mean([mse(Xv[:, 0], yv, 3, *fit_polynomial(Xt[:, 0], yt, 3)) for Xt, Xv, yt, yv in train_only])
    assert "30 training points only" in feedback(nb04.q4, only_30)
    assert "one number" in feedback(nb04.q4, [0.1, 0.2])
    assert "one number" in feedback(nb04.q4, True)
    other_seed = nnlib.data.k_fold_split(namespace["X_pool"], namespace["y_pool"], k=5, seed=3)
    other_folds = np.mean([mse(Xv[:, 0], yv, 3, *fit_polynomial(Xt[:, 0], yt, 3)) for Xt, Xv, yt, yv in other_seed])
    assert "If you made other folds" in feedback(nb04.q4, other_folds)


@pytest.mark.parametrize("kfold", [{}, {"shuffle": True, "random_state": 0}, {"shuffle": True, "random_state": 42}],
                         ids=["unshuffled", "random_state=0", "random_state=42"])
def test_04_4_says_that_scikit_learns_kfold_makes_other_folds(namespace, kfold):
    """A correct loop over scikit-learn's KFold folds is told why its number differs, not that it is wrong."""
    model_selection = pytest.importorskip("sklearn.model_selection")
    X, y = namespace["X_pool"], namespace["y_pool"]
    errors = [mse(X[val, 0], y[val], 3, *fit_polynomial(X[train, 0], y[train], 3))
              for train, val in model_selection.KFold(n_splits=5, **kfold).split(X)]
    message = feedback(nb04.q4, np.mean(errors))
    assert "correct 5-fold cross-validation error, for scikit-learn's KFold folds" in message
    assert "k_fold_split(X_pool, y_pool, k=5, seed=0)" in message


def test_04_4_is_a_loop_to_write_before_the_notebook_shows_its_own():
    """The exercise comes before the notebook's cv_error, and its answer overwrites no function a re-run needs."""
    cells = [cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "code"]
    exercise = next(i for i, source in enumerate(cells) if source.startswith("# Exercise 04.4"))
    defining = next(i for i, source in enumerate(cells) if "def cv_error(" in source)
    assert exercise < defining, "exercise 04.4 would be a single call of the cv_error defined above it"
    functions = {node.name for source in cells for node in ast.walk(ast.parse(source.replace("%pip", "#")))
                 if isinstance(node, ast.FunctionDef)}
    assert not set(nb04.q4.answers) & functions, "the answer must not overwrite a function of the notebook"


def test_04_4_solution_can_be_run_twice(namespace):
    scope = dict(namespace)
    for _ in range(2):
        exec(nb04.q4.solution_code, scope)
        assert nb04.q4.feedback(scope["cv_mse"])[0] == "correct"
    assert all(scope[name] is namespace[name] for name in ("fit_polynomial", "mse", "k_fold_split", "X_pool"))


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
