"""The pieces of notebooks 04 and 04b, data for training, and their checks:

    train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0) -> X_train, X_val, X_test, y_train, y_val, y_test
        X (n, d), y (n,); one permutation of the rows from np.random.default_rng(seed): its first
        round(n * test_size) rows are the test set, the next round(n * val_size) the validation set, the rest training
    standardize(X_train, *others) -> X_train scaled, or the list [X_train, *others] scaled
        (X - mean) / std with X_train's mean and std of each column (a column with std 0 is divided by 1)
    l2_penalty(weights, l2) -> (value, gradients)     weights: a list of weight arrays (the biases are left out)
        value = l2 / 2 * (the sum of every squared weight), a float; gradients = [l2 * W for W in weights]
    k_fold_split(X, y, k=5, seed=0) -> [(X_train, X_val, y_train, y_val), ...], one tuple per fold
        one permutation from np.random.default_rng(seed) cut by np.array_split into k folds; fold i is held out and
        the other folds, in order, are its training rows

nnlib's functions with the same signatures stand in for them (``mine.standardize``: yours, or nnlib's).
"""
import inspect

import numpy as np

from ..data import k_fold_split, standardize, train_val_test_split
from ..gradcheck import numerical_gradient
from ..losses import WeightPenalty
from .checking import Piece, differs

SPLIT = ("X_train", "X_val", "X_test", "y_train", "y_val", "y_test")
FOLD = ("X_train", "X_val", "y_train", "y_val")
SHUFFLE = "np.random.default_rng(seed).permutation(len(X))"


def l2_penalty(weights, l2):
    """nnlib's penalty, ``WeightPenalty(l2=l2)``, as the piece's function: (value, [gradient of each W])."""
    penalty = WeightPenalty(l2=l2)
    return penalty.value(weights), penalty.gradient(weights)


def _numbered(n, seed):
    """X (n, 3) whose first column numbers the rows, and y (n,): the row numbers times 10."""
    return np.column_stack([np.arange(n), np.random.default_rng(seed).normal(size=(n, 2))]), np.arange(n) * 10.0


def _same_arrays(call, answer, expected, names):
    """None if ``answer`` holds the arrays ``expected`` (called ``names``), else a sentence."""
    if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
        return f"{call} should return {len(expected)} arrays: {', '.join(names)}."
    return next(filter(None, (differs(f"{name} of {call}", mine, theirs)
                              for name, mine, theirs in zip(names, answer, expected))), None)


def _unchanged(name, originals, passed):
    """A sentence if the learner's function changed an array passed to it, else None."""
    if any(not np.array_equal(a, b) for a, b in zip(originals, passed)):
        return (f"{name} changed an array you passed in (an in-place operation such as -= or shuffle): compute new "
                "arrays and leave the caller's data as they were.")
    return None


def _defaults(name, function, reference):
    """A sentence if ``function``'s default arguments differ from nnlib's ``reference``'s, else None."""
    def defaults(f):
        return {key: p.default for key, p in inspect.signature(f).parameters.items() if p.default is not p.empty}
    expected = defaults(reference)
    if defaults(function) != expected:
        return (f"{name}'s defaults should be nnlib's, {', '.join(f'{k}={v}' for k, v in expected.items())}, so that "
                f"{name}(X, y) does what nnlib's does.")
    return None


def check_train_val_test_split(split):
    if problem := _defaults("train_val_test_split", split, train_val_test_split):
        return problem
    X, y = _numbered(38, 0)  # 38 * 0.2 = 7.6 and 38 * 0.3 = 11.4: round() and int() differ
    for sizes in ({}, {"val_size": 0.3, "test_size": 0.1, "seed": 5}):
        call = "train_val_test_split(X, y" + "".join(f", {key}={value}" for key, value in sizes.items()) + ")"
        passed = [X.copy(), y.copy()]
        problem = (_same_arrays(call, split(*passed, **sizes), train_val_test_split(X, y, **sizes), SPLIT)
                   or _unchanged("train_val_test_split", (X, y), passed))
        if problem:
            return (f"{problem} Shuffle once, order = {SHUFFLE}; its first round(n * test_size) rows are the test "
                    "set, the next round(n * val_size) the validation set, the rest the training set.")
    return None


def check_standardize(standardize_):
    rng = np.random.default_rng(1)
    X_train = np.column_stack([rng.normal(50, 10, 12), rng.normal(-3, 0.5, 12), np.full(12, 4.0)])  # constant: std 0
    X_val, X_test = (np.column_stack([rng.normal(50, 10, n), rng.normal(-3, 0.5, n), rng.normal(4, 1, n)])
                     for n in (5, 3))
    hint = (" Take the mean and std of each column of X_train (axis=0), divide by 1 where the std is 0, and scale "
            "every array with those two: (X - mean) / std.")
    passed = [X_train.copy()]
    alone = standardize_(*passed)
    if isinstance(alone, (tuple, list)):
        return ("standardize(X_train) alone should return the scaled array itself, not a list holding it, as "
                "nnlib's does (X_train = standardize(X_train) then works).")
    problem = differs("standardize(X_train)", alone, standardize(X_train))
    arrays = (X_train, X_val, X_test)
    passed = [array.copy() for array in arrays]
    problem = problem or (_same_arrays("standardize(X_train, X_val, X_test)", standardize_(*passed),
                                       standardize(*arrays), ("X_train scaled", "X_val scaled", "X_test scaled"))
                          or _unchanged("standardize", arrays, passed))
    return problem and problem + hint


def check_l2_penalty(l2_penalty_):
    rng = np.random.default_rng(2)
    weights, l2 = [rng.normal(size=(3, 4)), rng.normal(size=5)], 0.3  # a matrix, and a vector like a polynomial's coef
    passed = [w.copy() for w in weights]
    answer = l2_penalty_(passed, l2)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "l2_penalty should return two things: (value, gradients)."
    value, gradients = answer
    expected_value, expected = l2_penalty(weights, l2)
    if not isinstance(gradients, (tuple, list)) or len(gradients) != len(weights):
        return "gradients should be a list with one array for each weight array, each shaped like it."
    problem = differs("the value of l2_penalty(weights, 0.3)", value, expected_value) or next(filter(None, (
        differs(f"the gradient of weights[{i}]", gradient, expected[i]) for i, gradient in enumerate(gradients))), None)
    if problem:
        return (f"{problem} The penalty is l2 / 2 times the sum of every squared weight (as nnlib's WeightPenalty); "
                "its gradient with respect to each weight array W is l2 * W.")
    if problem := _unchanged("l2_penalty", weights, passed):
        return problem
    nudged = [w.copy() for w in weights]  # numerical_gradient nudges one entry at a time, then puts it back
    for i, gradient in enumerate(gradients):  # each gradient against the finite differences of your value
        numerical = numerical_gradient(lambda: float(l2_penalty_(nudged, l2)[0]), nudged[i])
        if problem := differs(f"the gradient of weights[{i}]", gradient, numerical, 1e-6, "finite differences"):
            return problem
    return None


def check_k_fold_split(k_fold_split_):
    if problem := _defaults("k_fold_split", k_fold_split_, k_fold_split):
        return problem
    X, y = _numbered(23, 3)  # 23 samples: folds of 5, 5, 5, 4, 4 (and 6, 6, 6, 5 for k=4)
    for options in ({}, {"k": 4, "seed": 7}):
        call = "k_fold_split(X, y" + "".join(f", {key}={value}" for key, value in options.items()) + ")"
        passed = [X.copy(), y.copy()]
        answer, expected = k_fold_split_(*passed, **options), k_fold_split(X, y, **options)
        if not isinstance(answer, (tuple, list)) or len(answer) != len(expected):
            return f"{call} should return a list of {len(expected)} tuples ({', '.join(FOLD)}), one per fold."
        problem = next(filter(None, (_same_arrays(f"fold {i} of {call}", mine, theirs, FOLD)
                                     for i, (mine, theirs) in enumerate(zip(answer, expected)))), None)
        if problem := problem or _unchanged("k_fold_split", (X, y), passed):
            return (f"{problem} Shuffle once, order = {SHUFFLE}, and cut it with folds = np.array_split(order, k); "
                    "fold i holds out folds[i] and trains on np.concatenate(folds[:i] + folds[i + 1:]).")
    return None


PIECES = (
    Piece("train_val_test_split", "04.2", check_train_val_test_split, train_val_test_split),
    Piece("standardize", "04.2", check_standardize, standardize),
    Piece("l2_penalty", "04.4", check_l2_penalty, l2_penalty),
    Piece("k_fold_split", "04b.2", check_k_fold_split, k_fold_split),
)
