"""nnlib/learner/data_checks.py: the pieces of notebooks 04 and 04b (the split, standardising, the L2 penalty, k folds)
are checked against nnlib, the L2 gradient also against finite differences; nnlib's functions stand in for them with
the same signatures, and the reference solutions give the notebooks' numbers exactly."""
import numpy as np
import pytest
from exercise_code import define

import nnlib
from nnlib.datasets import make_curve
from nnlib.exercises.pieces import SOLUTIONS, save_solutions
from nnlib.learner import my_library
from nnlib.learner.data_checks import PIECES, l2_penalty
from nnlib.learner.pieces import check_piece
from nnlib.losses import WeightPenalty

NAMES = [piece.name for piece in PIECES]


def piece(name, old=None, new=None):
    """The reference solution of piece ``name`` (with ``old`` replaced by ``new``), defined as in a notebook cell."""
    code = SOLUTIONS[name] if old is None else SOLUTIONS[name].replace(old, new)
    assert old is None or code != SOLUTIONS[name]
    return define(code)[name]


def test_notebooks_04_and_04b_build_four_pieces_and_nnlibs_functions_stand_in_for_them_passing_their_checks():
    assert NAMES == ["train_val_test_split", "standardize", "l2_penalty", "k_fold_split"]
    assert [p.exercise for p in PIECES] == ["04.2", "04.2", "04.4", "04b.2"]
    library = my_library(quiet=True)
    for p in PIECES:
        assert check_piece(p.name, p.reference) is None and getattr(library, p.name) is p.reference
    assert library.train_val_test_split is nnlib.train_val_test_split and library.standardize is nnlib.standardize


def test_the_l2_stand_in_is_nnlibs_weight_penalty_value_and_gradient():
    weights = [np.arange(6.0).reshape(2, 3), np.array([1.0, -2.0])]
    value, gradients = l2_penalty(weights, 0.5)
    assert value == WeightPenalty(l2=0.5).value(weights) == 0.25 * (55 + 5)
    assert all(np.array_equal(g, 0.5 * w) for g, w in zip(gradients, weights))


def test_with_the_reference_solutions_saved_the_notebooks_split_standardise_penalise_and_fold_as_nnlib_does():
    """The learner's pieces, where right, give the very numbers of nnlib's functions that stood in before, on the data
    of notebooks 04 and 05, so that those notebooks' results and asserts do not depend on who wrote the piece."""
    save_solutions(NAMES)
    mine = my_library(quiet=True)
    assert set(NAMES) <= set(mine.yours) and mine.standardize is not nnlib.standardize
    curve = make_curve(n_samples=60, noise=0.25, seed=0)
    penguins = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                                   species=("Adelie", "Gentoo"))
    for (X, y), sizes in ((curve, {"val_size": 0.25, "test_size": 0.25}), (penguins, {})):
        split = mine.train_val_test_split(X, y, **sizes, seed=0)
        expected = nnlib.train_val_test_split(X, y, **sizes, seed=0)
        assert all(np.array_equal(a, b) for a, b in zip(split, expected))
        assert all(np.array_equal(a, b) for a, b in zip(mine.standardize(*split[:3]), nnlib.standardize(*split[:3])))
        for fold, nnlibs in zip(mine.k_fold_split(X, y, k=5, seed=3), nnlib.data.k_fold_split(X, y, k=5, seed=3)):
            assert all(np.array_equal(a, b) for a, b in zip(fold, nnlibs))
    weights = [np.random.default_rng(0).normal(size=(64, 32)), np.random.default_rng(1).normal(size=12)]
    (value, gradients), (expected_value, expected) = mine.l2_penalty(weights, 1e-3), l2_penalty(weights, 1e-3)
    assert value == pytest.approx(expected_value, rel=1e-14)
    assert all(np.array_equal(a, b) for a, b in zip(gradients, expected))


HINT_SPLIT = (" Shuffle once, order = np.random.default_rng(seed).permutation(len(X)); its first round(n * test_size) "
              "rows are the test set, the next round(n * val_size) the validation set, the rest the training set.")


@pytest.mark.parametrize("name, old, new, expected", [
    ("train_val_test_split", "round(len(X) * test_size), round(len(X) * val_size)",
     "int(len(X) * test_size), int(len(X) * val_size)",
     "X_train of train_val_test_split(X, y) should have shape (22, 3), but yours has shape (24, 3)." + HINT_SPLIT),
    ("train_val_test_split", "seed=0)", "seed=1)",
     "train_val_test_split's defaults should be nnlib's, val_size=0.2, test_size=0.2, seed=0, so that "
     "train_val_test_split(X, y) does what nnlib's does."),
    ("standardize", "return scaled[0] if not others else scaled", "return scaled",
     "standardize(X_train) alone should return the scaled array itself, not a list holding it, as nnlib's does"),
    ("standardize", "    scaled = [(X - mean) / std for X in (X_train, *others)]\n",
     "    for X in (X_train, *others):\n        X -= mean\n        X /= std\n    scaled = [X_train, *others]\n",
     "standardize changed an array you passed in (an in-place operation such as -= or shuffle): compute new arrays"),
    ("standardize", "    std = np.where(std > 0, std, 1.0)", "    pass",
     "standardize(X_train) holds NaN or infinite values where nnlib's has finite ones. Take the mean and std of each "
     "column of X_train (axis=0), divide by 1 where the std is 0"),
    ("l2_penalty", "[l2 * W for W in weights]", "[2 * l2 * W for W in weights]",
     "the gradient of weights[0] differs from nnlib's by 0.33 (relative; should be < 1e-09). The penalty is l2 / 2 "
     "times the sum of every squared weight (as nnlib's WeightPenalty); its gradient with respect to each weight "
     "array W is l2 * W."),
    ("l2_penalty", "    gradients = [l2 * W for W in weights]\n", "    gradients = weights\n    for W in weights:\n"
                                                                  "        W *= l2\n",
     "l2_penalty changed an array you passed in"),
    ("l2_penalty", "    return value, gradients", "    return [value, gradients][::-1]",
     "gradients should be a list with one array for each weight array, each shaped like it."),
    ("k_fold_split", "np.concatenate(folds[:i] + folds[i + 1:])", "np.setdiff1d(order, folds[i])",
     "X_train of fold 0 of k_fold_split(X, y) differs from nnlib's by"),
    ("k_fold_split", "k=5, seed=0", "k=3, seed=0",
     "k_fold_split's defaults should be nnlib's, k=5, seed=0, so that k_fold_split(X, y) does what nnlib's does."),
    ("k_fold_split", "    return splits", "    return splits[:-1]",
     "k_fold_split(X, y) should return a list of 5 tuples (X_train, X_val, y_train, y_val), one per fold."),
])
def test_each_pieces_check_refuses_a_wrong_piece_in_one_sentence_saying_what_to_do(name, old, new, expected):
    assert check_piece(name, piece(name, old, new)).startswith(expected)


def test_the_l2_gradient_is_also_checked_against_the_finite_differences_of_the_learners_own_value():
    """A value rounded to 10 decimals equals nnlib's to 1e-9, but no longer has the gradient it returns."""
    rounded = piece("l2_penalty", "    return value, gradients", "    return round(float(value), 10), gradients")
    assert check_piece("l2_penalty", rounded).startswith("the gradient of weights[0] differs from finite differences")
    assert check_piece("l2_penalty", piece("l2_penalty")) is None
