"""Exercises for notebook 04b (the test set and cross-validation), the second part of notebook 04.

Exercise 04b.1 asks for a prediction of the simulation in section 2 before it runs. Exercise 04b.2 (k folds) builds
a piece of the learner's library (``PieceExercise``): its checker runs the learner's function on rows it can read
back (notebook 04's helpers, shared with its split) and names a typical slip when the answer shows it; any other
difference is left to the piece's own check against nnlib (``nnlib.learner.data_checks``), which runs next.
"""
import numpy as np

from .framework import Exercise, explained, slip_checker
from .nb04 import numbered, row_numbers, same_rows, shuffle_problem, unchanged
from .pieces import PieceExercise, solution

# --- 04b.1 ----------------------------------------------------------------------------
WHO = ("honest", "cheating", "the same")


def _check_prediction(lower_reported_error, lower_true_error):
    for answer in (lower_reported_error, lower_true_error):
        if answer not in WHO:
            return f"Answer with one of {', '.join(repr(w) for w in WHO)}; got {answer!r}."
    if lower_reported_error != "cheating":
        return ("The reported errors: the honest project reports the test error of one model chosen without the "
                "test set, as likely too high as too low; the cheater reports the smallest of 150 test errors, the "
                "one that luck pushed lowest, and so the lower number on average.")
    if lower_true_error != "the same":
        return ("The true errors: both choose by the errors on 15 points the fit has not seen, and the validation "
                "and test points are drawn in the same way from the same data, so neither chooses better models: "
                "the cheater improves the report, not the model.")
    return None


q1 = Exercise(
    id="04b.1",
    title="Predict the cheater's report",
    answers=("lower_reported_error", "lower_true_error"),
    placeholder="""
# Exercise 04b.1: Predict the cheater's report
# Answer "honest", "cheating" or "the same".
lower_reported_error = ...  # which projects report the lower test error, on average?
lower_true_error = ...      # which projects choose models with the lower true error on new data, typically?
""",
    solution="""
# Exercise 04b.1: Predict the cheater's report
# Answer "honest", "cheating" or "the same".
lower_reported_error = "cheating"  # the smallest of 150 test errors: luck is on its side
lower_true_error = "the same"      # 15 validation points choose as well as 15 test points
""",
    checker=_check_prediction,
    hints=["The cheater's reported number is the smallest of 150 test errors. Is the smallest of many noisy numbers "
           "a fair estimate of one of them?",
           "The validation and test sets are two random pieces of the same data, of the same size: does choosing "
           "on one pick better models than choosing on the other?"],
)


# --- 04b.2 ----------------------------------------------------------------------------
FOLD_CASE = (23, 5, 2)  # n, k, seed: 23 = 4 * 5 + 3, so np.array_split makes folds of 5, 5, 5, 4, 4


def _fold_rows(order, k):
    """[train of fold 0, held out of fold 0, train of fold 1, ...]: ``order`` cut as np.array_split cuts it."""
    folds = np.array_split(order, k)
    return [rows for i in range(k) for rows in (np.concatenate(folds[:i] + folds[i + 1:]), folds[i])]


def _folds_problem(k_fold_split):
    n, k, seed = FOLD_CASE
    X, y = numbered(n)
    answer = explained(k_fold_split, (X, y, k, seed), {
        ("equal division",): "k_fold_split: np.split(order, k) stops when the samples do not divide evenly into k "
                             "folds (23 into 5): np.array_split(order, k) makes folds whose sizes differ by at most 1.",
        ("slice indices", "only integers"): "k_fold_split: len(X) / k is not a whole number (23 / 5 = 4.6), and a "
                                            "slice needs one: let folds = np.array_split(order, k) cut the folds."})
    if problem := unchanged(X, y):
        return problem
    if not isinstance(answer, (tuple, list)) or not all(isinstance(f, (tuple, list)) and len(f) == 4 for f in answer):
        return "return a list with one tuple per fold, each (X_train, X_val, y_train, y_val)."
    if len(answer) != k:
        return (f"k_fold_split(X, y, k=5) returned {len(answer)} folds: each fold is held out once, so there are k "
                "= 5 tuples.")
    rows = [[row_numbers(part, n) for part in fold] for fold in answer]
    if any(part is None for fold in rows for part in fold):
        return None  # the piece's own check compares each array with nnlib's
    if any([np.ndim(part) for part in fold] != [2, 2, 1, 1] for fold in answer):
        return "each tuple is (X_train, X_val, y_train, y_val): the X parts first, training before held out."
    for i, (X_train, X_val, y_train, y_val) in enumerate(rows):
        if not (np.array_equal(X_train, y_train) and np.array_equal(X_val, y_val)):
            return f"fold {i}: y holds other samples than X: take the same rows of both, X[rows] and y[rows]."
        if np.intersect1d(X_train, X_val).size:
            return (f"fold {i}'s held-out samples are among its training rows too: train on the other folds only, "
                    "np.concatenate(folds[:i] + folds[i + 1:]).")
    held = np.concatenate([fold[1] for fold in rows])
    if len(np.unique(held)) < len(held):
        return ("some samples are held out in two folds: cut ONE shuffled order into k folds that do not overlap, "
                "folds = np.array_split(order, k), shuffling once, before the loop over the folds (a new shuffle per "
                "fold, or slices that overlap, put a sample in two folds).")
    if len(held) < n:
        if all(len(fold[1]) == n // k for fold in rows):
            return (f"the last {n % k} samples are never held out: 23 samples make 5 folds of {n // k} and {n % k} "
                    "left over. "
                    "np.array_split(order, k) cuts them into folds whose sizes differ by at most 1 (5, 5, 5, 4, 4).")
        return "some samples are never held out: the k folds together hold every sample once."
    if any(len(fold[0]) + len(fold[1]) != n for fold in rows):
        return "a fold's training rows miss some samples: they are every sample it does not hold out (the other folds)."
    sizes = [len(fold[1]) for fold in rows]
    if sizes != [5, 5, 5, 4, 4]:
        return (f"your folds hold {', '.join(map(str, sizes))} samples; np.array_split(order, k) makes folds of 5, "
                "5, 5, 4, 4 (the first n % k folds one larger), as nnlib does: use it, so that a seed gives nnlib's "
                "folds.")
    mine = [part for fold in rows for part in fold[:2]]
    expected = _fold_rows(np.random.default_rng(seed).permutation(n), k)
    if same_rows(mine, expected):
        return None
    if all(np.array_equal(np.sort(a), np.sort(b)) for a, b in zip(mine, expected)):
        return ("the right folds, their rows in another order (np.setdiff1d sorts them, for one): hold out "
                "folds[i] as it is and train on np.concatenate(folds[:i] + folds[i + 1:]), in the shuffled order, as "
                "nnlib does.")
    return shuffle_problem(k_fold_split, (X, y, k), seed, mine, lambda order: _fold_rows(order, k), "folds")


q2 = PieceExercise(
    id="04b.2",
    title="k folds",
    answers=("k_fold_split",),
    placeholder='''
# Exercise 04b.2: k folds
# Shuffle the row numbers once, order = np.random.default_rng(seed).permutation(len(X)), and cut them into k folds
# with folds = np.array_split(order, k). Fold i is held out once: return a list of k tuples
# (X_train, X_val, y_train, y_val), where X_val, y_val are the rows of folds[i] and X_train, y_train the rows of
# the other folds, in their order.
def k_fold_split(X, y, k=5, seed=0):
    ...
''',
    solution=solution("04b.2", "k folds", "k_fold_split"),
    checker=slip_checker(("k_fold_split", _folds_problem)),
    hints=["Loop for i in range(k): held-out rows folds[i]; training rows np.concatenate(folds[:i] + folds[i + 1:]) "
           "(a list of arrays, minus the i-th, joined into one).",
           "Append (X[train], X[folds[i]], y[train], y[folds[i]]) for each i, and return the list."],
    points=2,
    pieces={"k_fold_split": "k_fold_split"},
)
