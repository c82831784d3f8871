"""Exercises of notebook 04b (the test set and cross-validation), the second part of notebook 04: the prediction
04b.1 names each wrong guess, the folds of 04b.2 are saved to the learner's library and each typical slip gets its
specific feedback; the notebook rebuilds what it needs from 04 and cuts its folds with the learner's piece."""
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define, run

import nnlib
from nnlib.exercises import nb04, nb04b
from nnlib.exercises.framework import exercises_in
from nnlib.learner import store
from nnlib.learner.pieces import PIECES

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "04b_test_set_and_cross_validation.ipynb"


def test_notebook_04b_holds_the_folds_exercise_of_notebook_04_renumbered_and_the_piece_follows():
    assert [ex.id for ex in exercises_in(nb04b)] == ["04b.1", "04b.2"]
    assert [ex.id for ex in exercises_in(nb04)] == ["04.1", "04.2", "04.3", "04.4", "04.5"]
    assert (PIECES["k_fold_split"].exercise, PIECES["k_fold_split"].notebook) == ("04b.2", "04b")


def test_04b_1_the_prediction_names_each_wrong_guess():
    q1 = nb04b.q1
    assert q1.feedback("cheating", "the same") == ("correct", "Correct!")
    for reported in ("honest", "the same"):
        status, message = q1.feedback(reported, "the same")
        assert status == "wrong" and message.startswith("The reported errors:") and "smallest of 150" in message
    for true in ("honest", "cheating"):
        status, message = q1.feedback("cheating", true)
        assert status == "wrong" and message.startswith("The true errors:") and "neither chooses better" in message
    assert "one of 'honest', 'cheating', 'the same'" in q1.feedback("cheater", "the same")[1]
    assert q1.feedback(..., "the same")[0] == "unanswered"


def feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so that its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


def test_04b_2_the_solution_is_correct_and_saved_and_the_placeholder_unanswered():
    assert feedback(nb04b.q2, nb04b.q2.solution_code) == (
        "correct", "Correct! Saved to your library (my_nnlib): k_fold_split.")
    assert store.read("k_fold_split")[0] == "passed"
    blank = run(nb04b.q2.placeholder)
    assert nb04b.q2.feedback(blank["k_fold_split"])[0] == "unanswered"


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


FOLDS = nb04b.q2.solution_code
SPLIT_FOLDS = "folds = np.array_split(order, k)"
TRAIN_ROWS = "train = np.concatenate(folds[:i] + folds[i + 1:])"
APPEND = "splits.append((X[train], X[folds[i]], y[train], y[folds[i]]))"


@pytest.mark.parametrize("old, new, expected", [
    (SPLIT_FOLDS, "size = len(X) // k\n    folds = [order[i * size:(i + 1) * size] for i in range(k)]",
     "k_fold_split: the last 3 samples are never held out: 23 samples make 5 folds of 4 and 3 left over."),
    (SPLIT_FOLDS, "size = len(X) // k\n    folds = [order[i * size:(i + 1) * size] for i in range(k - 1)] + "
                  "[order[(k - 1) * size:]]", "k_fold_split: your folds hold 4, 4, 4, 4, 7 samples"),
    (TRAIN_ROWS, "train = order", "k_fold_split: fold 0's held-out samples are among its training rows too"),
    (TRAIN_ROWS, "train = np.concatenate(folds[:i] + folds[i + 2:])", "k_fold_split: a fold's training rows miss"),
    (TRAIN_ROWS, "train = np.setdiff1d(order, folds[i])",
     "k_fold_split: the right folds, their rows in another order (np.setdiff1d sorts them, for one)"),
    ("    order = np.random.default_rng(seed).permutation(len(X))  # one shuffle, before the folds are cut\n"
     "    folds = np.array_split(order, k)                         # k folds, their sizes differ by at most 1\n"
     "    splits = []\n    for i in range(k):\n",
     "    rng = np.random.default_rng(seed)\n    splits = []\n    for i in range(k):\n"
     "        folds = np.array_split(rng.permutation(len(X)), k)\n",
     "k_fold_split: some samples are held out in two folds: cut ONE shuffled order into k folds that do not overlap"),
    ("np.random.default_rng(seed).permutation(len(X))", "np.arange(len(X))", "k_fold_split: you did not shuffle"),
    ("np.random.default_rng(seed).permutation(len(X))", "np.random.permutation(len(X))",
     "k_fold_split: two calls with seed=2 did not give the same folds"),
    ("np.random.default_rng(seed).permutation(len(X))", "np.random.RandomState(seed).permutation(len(X))",
     "k_fold_split: np.random.seed and np.random.permutation (or RandomState) are numpy's old generator"),
    ("np.random.default_rng(seed).permutation(len(X))", "np.random.default_rng(1).permutation(len(X))",
     "k_fold_split: seed=2 and seed=3 gave the same folds: your function ignores its seed"),
    (APPEND, "splits.append((X[train], y[train], X[folds[i]], y[folds[i]]))",
     "k_fold_split: each tuple is (X_train, X_val, y_train, y_val)"),
    (APPEND, "splits.append((X[train], X[folds[i]], y[train], y[folds[(i + 1) % k]]))",
     "k_fold_split: fold 0: y holds other samples than X"),
    ("for i in range(k):", "for i in range(k - 1):", "k_fold_split: k_fold_split(X, y, k=5) returned 4 folds"),
    ("    return splits\n", "    return X, y\n", "k_fold_split: return a list with one tuple per fold"),
])
def test_04b_2_names_each_typical_slip_of_the_folds(old, new, expected):
    assert old in FOLDS
    status, message = feedback(nb04b.q2, FOLDS.replace(old, new))
    assert status == "wrong" and message.startswith(expected), message


MY_FOLDS = '''
def k_fold_split(X, y, k=5, seed=0):
    rng = np.random.default_rng(seed)
    indices = rng.permutation(len(X))
    folds = np.array_split(indices, k)
    result = []
    for i in range(k):
        val_idx = folds[i]
        train_idx = np.concatenate([folds[j] for j in range(k) if j != i])
        result.append((X[train_idx], X[val_idx], y[train_idx], y[val_idx]))
    return result
'''


@pytest.mark.parametrize("code, words", [
    pytest.param(MY_FOLDS.replace("np.array_split", "np.split"),
                 ["np.split(order, k) stops when the samples do not divide evenly", "np.array_split(order, k)"],
                 id="np.split"),
    pytest.param('''
def k_fold_split(X, y, k=5, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))
    size = len(X) // k
    splits = []
    for i in range(k):
        val = order[i * size:(i + 1) * size]
        train = np.concatenate([order[:i * size], order[(i + 1) * size:]])
        splits.append((X[train], X[val], y[train], y[val]))
    return splits
''', ["the last 3 samples are never held out", "np.array_split(order, k)"], id="the remainder dropped"),
    pytest.param('''
def k_fold_split(X, y, k=5, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))
    size = len(X) / k
    splits = []
    for i in range(k):
        val = order[i * size:(i + 1) * size]
        train = np.concatenate([order[:i * size], order[(i + 1) * size:]])
        splits.append((X[train], X[val], y[train], y[val]))
    return splits
''', ["len(X) / k is not a whole number", "np.array_split(order, k)"], id="a float fold size"),
    pytest.param('''
def k_fold_split(X, y, k=5, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))
    folds = np.array_split(order, k)
    splits = []
    for i in range(k):
        val = folds[i]
        train = np.concatenate(folds[:i] + folds[i + 1:])
    splits.append((X[train], X[val], y[train], y[val]))
    return splits
''', ["returned 1 folds", "each fold is held out once"], id="append outside the loop"),
    pytest.param('''
def k_fold_split(X, y, k=5, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))
    folds = np.array_split(order, k)
    out = []
    for i in range(k):
        train = np.concatenate(folds[:i] + folds[i:])
        out.append((X[train], X[folds[i]], y[train], y[folds[i]]))
    return out
''', ["held-out samples are among its training rows too", "folds[:i] + folds[i + 1:]"],
        id="the held-out fold trained on"),
    pytest.param('''
def k_fold_split(X, y, k=5, seed=0):
    order = np.random.default_rng(seed).permutation(len(X))
    size = round(len(X) / k)
    splits = []
    for i in range(k):
        start = min(i * size, len(X) - size)
        val = order[start:start + size]
        train = np.concatenate([order[:start], order[start + size:]])
        splits.append((X[train], X[val], y[train], y[val]))
    return splits
''', ["held out in two folds", "folds that do not overlap", "slices that overlap"], id="overlapping folds"),
    pytest.param('''
def k_fold_split(X, y, k=5, seed=0):
    rng = np.random.default_rng(seed)
    splits = []
    for i in range(k):
        folds = np.array_split(rng.permutation(len(X)), k)
        train = np.concatenate(folds[:i] + folds[i + 1:])
        splits.append((X[train], X[folds[i]], y[train], y[folds[i]]))
    return splits
''', ["held out in two folds", "shuffling once, before the loop over the folds"], id="a shuffle per fold"),
])
def test_04b_2_refuses_wrong_folds_a_learner_writes(code, words):
    """Wrong answers written as a learner types them (not the solution edited): each is refused with words that
    name its slip, and the piece is marked failed, never saved for later notebooks."""
    status, message = feedback(nb04b.q2, code)
    assert status == "wrong" and message.startswith("k_fold_split") and all(word in message for word in words), message
    assert store.read("k_fold_split")[0].startswith("failed")


def test_a_correct_k_fold_split_written_differently_is_accepted_and_saved():
    code = FOLDS.replace(TRAIN_ROWS, "train = np.delete(order, np.arange(sum(map(len, folds[:i])), "
                                     "sum(map(len, folds[:i + 1]))))")
    assert code != FOLDS and feedback(nb04b.q2, code)[0] == "correct"
    assert store.read("k_fold_split")[0] == "passed"


def test_a_wrong_k_fold_split_is_marked_failed_so_that_the_notebook_uses_nnlibs():
    status, _ = feedback(nb04b.q2, FOLDS.replace(TRAIN_ROWS, "train = order"))
    assert status == "wrong" and store.read("k_fold_split")[0].startswith("failed: k_fold_split: fold 0's held-out")


def code_of(notebook):
    return [cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]


def test_notebook_04b_rebuilds_notebook_04s_split_and_fit_and_cuts_folds_with_the_learners_pieces():
    """It runs on its own (notebook 04's data, split and fit defined again), and where it splits or cuts folds it
    calls the learner's library (nnlib's stand-ins where a piece is missing), never nnlib's functions directly."""
    cells_04 = code_of(NOTEBOOK.parent / "04_overfitting_and_validation.ipynb")
    code, notebook_04 = "\n".join(code_of(NOTEBOOK)), "\n".join(cells_04)
    fit_04 = next(cell for cell in cells_04 if cell.startswith("def fit_polynomial"))  # with predict and mse
    assert fit_04 in code and "make_curve(n_samples=60, noise=0.25, seed=0)" in code
    assert "mine.train_val_test_split(X, y, val_size=0.25, test_size=0.25," in code and "mine.k_fold_split(" in code
    assert not re.search(r"nnlib(\.data)?\.(train_val_test_split|k_fold_split|standardize)\(", code)
    assert "from nnlib.data import" not in code
    assert "k_fold_split" not in notebook_04 and "simulate_project" not in notebook_04, "04 stops before 04b starts"
