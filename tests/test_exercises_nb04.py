"""Exercises of notebook 04: every solution passes (and the pieces of 04.2 and 04.4 are saved to the learner's
library), typical mistakes get their specific feedback, a wrong piece is marked failed, and the notebook uses the
learner's pieces where it splits, standardises and penalises (notebook 04b's folds: test_exercises_nb04b.py)."""
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define, run

import nnlib
from nnlib.datasets import make_curve
from nnlib.exercises import nb04
from nnlib.features import polynomial_features
from nnlib.learner import store

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
            "x_test": X_test[:, 0], "y_test": y_test}


VALUE_EXERCISES = [nb04.q1, nb04.q3, nb04.q5]
PIECE_EXERCISES = [nb04.q2, nb04.q4]


@pytest.mark.parametrize("exercise", VALUE_EXERCISES, ids=lambda q: q.id)
def test_solution_passes(exercise, namespace):
    scope = dict(namespace)
    exec(exercise.solution_code, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers)) == ("correct", "Correct!")


@pytest.mark.parametrize("exercise", VALUE_EXERCISES + PIECE_EXERCISES, ids=lambda q: q.id)
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
    assert nb04.q3.feedback(by_val)[0] == "correct"
    assert "training* error" in feedback(nb04.q3, by_train)
    assert "cheating" in feedback(nb04.q3, by_test)
    assert "Off by one" in feedback(nb04.q3, by_val - 1)
    assert "not the one with the lowest validation error" in feedback(nb04.q3, 10)


def test_stage_mistakes():
    assert "learner's guess" in feedback(nb04.q5, "validation", "training")
    assert "cheating" in feedback(nb04.q5, "training", "test")
    assert "most flexible" in feedback(nb04.q5, "training", "training")
    assert "Which data does fit() see" in feedback(nb04.q5, "test", "validation")
    assert "one of" in feedback(nb04.q5, "train", "validation")


def piece_feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so that its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


@pytest.mark.parametrize("exercise", PIECE_EXERCISES, ids=lambda q: q.id)
def test_each_piece_solution_is_correct_and_saved_to_the_learners_library(exercise):
    pieces = list(exercise.pieces.values())
    assert piece_feedback(exercise, exercise.solution_code) == (
        "correct", f"Correct! Saved to your library (my_nnlib): {', '.join(pieces)}.")
    assert [store.read(piece)[0] for piece in pieces] == ["passed"] * len(pieces)
    blank = run(exercise.placeholder)
    assert exercise.feedback(*[blank[name] for name in exercise.answers])[0] == "unanswered"


DATA = nb04.q2.solution_code
SHUFFLE = "order = np.random.default_rng(seed).permutation(len(X))"
CUT = "test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]"
STD_LINE = next(line for line in DATA.splitlines(True) if "std = np.where(std > 0, std, 1.0)" in line)
SCALED = "scaled = [(X - mean) / std for X in (X_train, *others)]"


@pytest.mark.parametrize("old, new, expected", [
    ("round(len(X) * test_size), round(len(X) * val_size)", "int(len(X) * test_size), int(len(X) * val_size)",
     "train_val_test_split: int() cuts 38 * 0.2 = 7.6 down to 7: round the sizes"),
    ("round(len(X) * test_size), round(len(X) * val_size)", "round(len(X) * val_size), round(len(X) * test_size)",
     "train_val_test_split: your validation set has the test set's size"),
    (CUT, "val, test, train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]",
     "train_val_test_split: the right shuffle, cut in another order: the first round(n * test_size) rows"),
    (CUT, "train, val, test = order[:len(X) - n_val - n_test], order[len(X) - n_val - n_test:len(X) - n_test], "
          "order[len(X) - n_test:]", "train_val_test_split: the right shuffle, cut in another order"),
    (SHUFFLE, "order = np.random.default_rng().permutation(len(X))",
     "train_val_test_split: two calls with seed=5 did not give the same split: make the generator inside"),
    (SHUFFLE, "order = np.random.permutation(len(X))", "train_val_test_split: two calls with seed=5 did not give"),
    (SHUFFLE, "order = np.random.default_rng(0).permutation(len(X))",
     "train_val_test_split: seed=5 and seed=6 gave the same split: your function ignores its seed"),
    (SHUFFLE, "np.random.seed(seed)\n    order = np.random.permutation(len(X))",
     "train_val_test_split: np.random.seed and np.random.permutation (or RandomState) are numpy's old generator"),
    (SHUFFLE, "order = np.arange(len(X))", "train_val_test_split: you did not shuffle"),
    (SHUFFLE, "rng = np.random.default_rng(seed)\n    rng.shuffle(X)\n    rng = np.random.default_rng(seed)\n"
              "    rng.shuffle(y)\n    order = np.arange(len(X))",
     "train_val_test_split: the X or y passed in changed (rng.shuffle(X) shuffles X itself)"),
    (CUT, "test = np.random.default_rng(seed).permutation(len(X))[:n_test]\n"
          "    val = np.random.default_rng(seed + 1).permutation(len(X))[:n_val]\n"
          "    train = np.setdiff1d(np.arange(len(X)), np.concatenate([test, val]))",
     "train_val_test_split: every sample belongs to exactly one of the three sets"),
    (CUT, "test, val, train = np.sort(order[:n_test]), np.sort(order[n_test:n_test + n_val]), "
          "np.sort(order[n_test + n_val:])",
     "train_val_test_split: each set holds the right samples, in another order"),
    ("return X[train], X[val], X[test], y[train], y[val], y[test]", "return X[train], X[test], y[train], y[test]",
     "train_val_test_split: return six arrays: X_train, X_val, X_test, y_train, y_val, y_test (scikit-learn's"),
    ("return X[train], X[val], X[test], y[train], y[val], y[test]",
     "return X[train], y[train], X[val], y[val], X[test], y[test]",
     "train_val_test_split: return the X parts first, then the y parts"),
    ("y[train], y[val], y[test]", "y[train], y[test], y[val]",
     "train_val_test_split: y_val holds other samples than X_val"),
    (STD_LINE, "", "standardize: a column that does not vary has std 0, and 0 / 0 is nan: divide by 1 there"),
    (SCALED, "scaled = [(X - X.mean(axis=0)) / np.where(X.std(axis=0) > 0, X.std(axis=0), 1)\n"
             "              for X in (X_train, *others)]",
     "standardize: X_val was scaled with its own mean and std. Scale every array with the training set's"),
    ("mean, std = X_train.mean(axis=0), X_train.std(axis=0)",
     "mean, std = np.vstack([X_train, *others]).mean(axis=0), np.vstack([X_train, *others]).std(axis=0)",
     "standardize: you took the mean and std of all the arrays together"),
    ("X_train.std(axis=0)", "X_train.std(axis=0, ddof=1)", "standardize: np.std(..., ddof=1) divides by n - 1"),
    ("X_train.mean(axis=0), X_train.std(axis=0)", "X_train.mean(), X_train.std()",
     "standardize: one mean and one std for the whole array mixes the features"),
    ("X_train.mean(axis=0), X_train.std(axis=0)",
     "X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)",
     "standardize: axis=1 gives one mean per sample (row)"),
    (SCALED, "scaled = [X / std for X in (X_train, *others)]", "standardize: subtract the mean too"),
    (SCALED, "scaled = [X - mean for X in (X_train, *others)]", "standardize: divide by the standard deviation too"),
    (SCALED, "scaled = [(X - mean) / std**2 for X in (X_train, *others)]",
     "standardize: divide by the standard deviation, not the variance"),
    ("return scaled[0] if not others else scaled", "return scaled",
     "standardize: standardize(X_train) alone should return the scaled array itself, not a list holding it"),
    ("return scaled[0] if not others else scaled", "return scaled[0] if not others else scaled[1:]",
     "standardize: standardize(X_train, X_val) should return both arrays scaled, in a list"),
    (f"    {SCALED}\n", "    for X in (X_train, *others):\n        X -= mean\n        X /= std\n"
                         "    scaled = [X_train, *others]\n",
     "standardize: you changed an array passed in (X -= mean changes X itself)"),
])
def test_04_2_names_each_typical_slip_of_the_split_and_of_standardising(old, new, expected):
    assert old in DATA
    status, message = piece_feedback(nb04.q2, DATA.replace(old, new))
    assert status == "wrong" and message.startswith(expected), message


MY_SPLIT = '''
def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    n = len(X)
    rng = np.random.default_rng(seed)
    idx = rng.permutation(n)
    n_test = round(n * test_size)
    n_val = round(n * val_size)
    test_idx = idx[:n_test]
    val_idx = idx[n_test:n_test + n_val]
    train_idx = idx[n_test + n_val:]
    return X[train_idx], X[val_idx], X[test_idx], y[train_idx], y[val_idx], y[test_idx]
'''
MY_STANDARDIZE = '''

def standardize(X_train, *others):
    mu = np.mean(X_train, axis=0)
    sigma = np.std(X_train, axis=0)
    sigma[sigma == 0] = 1
    if len(others) == 0:
        return (X_train - mu) / sigma
    return [(X - mu) / sigma for X in [X_train] + list(others)]
'''


@pytest.mark.parametrize("code, piece, words", [
    pytest.param(MY_SPLIT.replace("round(n * test_size)", "int(n * test_size)").replace(
        "round(n * val_size)", "int(n * val_size)") + MY_STANDARDIZE, "train_val_test_split",
        ["int() cuts 38 * 0.2 = 7.6 down to 7", "round the sizes"], id="int() sizes"),
    pytest.param(MY_SPLIT.replace("round(n * test_size)", "n * test_size").replace(
        "round(n * val_size)", "n * val_size") + MY_STANDARDIZE, "train_val_test_split",
        ["len(X) * test_size is not a whole number", "round(len(X) * test_size)"], id="sizes never rounded"),
    pytest.param('''
def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    np.random.seed(seed)
    idx = np.random.permutation(len(X))
    n_test = round(len(X) * test_size)
    n_val = round(len(X) * val_size)
    test, val, train = idx[:n_test], idx[n_test:n_test + n_val], idx[n_test + n_val:]
    return X[train], X[val], X[test], y[train], y[val], y[test]
''' + MY_STANDARDIZE, "train_val_test_split", ["numpy's old generator", "np.random.default_rng(seed)"],
        id="np.random.seed"),
    pytest.param('''
def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    n = len(X)
    order = np.random.default_rng(seed).permutation(n)
    n_train = n - round(n * val_size) - round(n * test_size)
    n_val = round(n * val_size)
    train = order[:n_train]
    val = order[n_train:n_train + n_val]
    test = order[n_train + n_val:]
    return X[train], X[val], X[test], y[train], y[val], y[test]
''' + MY_STANDARDIZE, "train_val_test_split", ["the right shuffle, cut in another order"], id="training rows first"),
    pytest.param('''
def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    rng = np.random.default_rng(seed)
    rng.shuffle(X)
    rng.shuffle(y)
    n_test = round(len(X) * test_size)
    n_val = round(len(X) * val_size)
    return (X[n_test + n_val:], X[n_test:n_test + n_val], X[:n_test],
            y[n_test + n_val:], y[n_test:n_test + n_val], y[:n_test])
''' + MY_STANDARDIZE, "train_val_test_split", ["the X or y passed in changed", "rng.shuffle(X) shuffles X itself"],
        id="X and y shuffled apart, in place"),
    pytest.param(MY_SPLIT.replace("idx[n_test:n_test + n_val]", "idx[n_test - 1:n_test + n_val]") + MY_STANDARDIZE,
                 "train_val_test_split", ["every sample belongs to exactly one of the three sets"],
                 id="overlapping slices"),
    pytest.param(MY_SPLIT + '''

def standardize(X_train, *others):
    result = []
    for X in (X_train,) + others:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std[std == 0] = 1.0
        result.append((X - mean) / std)
    if others:
        return result
    return result[0]
''', "standardize", ["X_val was scaled with its own mean and std", "the training set's"], id="each set its own"),
    pytest.param(MY_SPLIT + '''

def standardize(X_train, *others):
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std[std == 0] = 1.0
    if not others:
        return (X_train - mean) / std
    out = [(X_train - mean) / std]
    for X in others:
        s = X.std(axis=0)
        out.append((X - mean) / np.where(s > 0, s, 1.0))
    return out
''', "standardize", ["X_val was divided by its own std", "mean and std, both"], id="the validation set's std"),
    pytest.param(MY_SPLIT + '''

def standardize(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    if not others:
        return (X_train - mean) / std
    return [(X - mean) / std for X in (X_train, *others)]
''', "standardize", ["a column that does not vary has std 0", "divide by 1 there"], id="a constant column"),
    pytest.param(MY_SPLIT + '''

def standardize(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1
    for X in (X_train, *others):
        X -= mean
        X /= std
    return X_train if not others else [X_train, *others]
''', "standardize", ["you changed an array passed in"], id="in place"),
    pytest.param(MY_SPLIT + '''

def standardize(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1, std)
    return [(X - mean) / std for X in (X_train,) + others]
''', "standardize", ["standardize(X_train) alone should return the scaled array itself"], id="always a list"),
])
def test_04_2_refuses_wrong_splits_and_scalings_a_learner_writes(code, piece, words):
    """Wrong answers written as a learner types them (not the solution edited): each is refused with words that
    name its slip, and the wrong piece is marked failed, never saved for later notebooks."""
    status, message = piece_feedback(nb04.q2, code)
    assert status == "wrong" and message.startswith(piece) and all(word in message for word in words), message
    assert store.read(piece)[0].startswith("failed")


L2 = nb04.q4.solution_code
VALUE = "value = l2 / 2 * sum(np.sum(W**2) for W in weights)"
GRADIENTS = "gradients = [l2 * W for W in weights]"


@pytest.mark.parametrize("old, new, expected", [
    (VALUE, "value = l2 * sum(np.sum(W**2) for W in weights)", "l2_penalty: the value is twice nnlib's"),
    (VALUE, "value = l2 / 2 * np.sum(weights[0]**2)", "l2_penalty: add the squares of every weight array"),
    (VALUE, "value = l2 / 2 * sum(np.sum(W**2) for W in weights if W.ndim == 2)",
     "l2_penalty: every array passed in is penalised, a 1-d one (such as a polynomial's coef) too"),
    (VALUE, "value = l2 / 2 * sum(np.linalg.norm(W) for W in weights)",
     "l2_penalty: square the weights and add the squares; np.linalg.norm(W)"),
    (VALUE, "value = l2 / 2 * sum(np.mean(W**2) for W in weights)", "l2_penalty: add the squared weights up (np.sum)"),
    (VALUE, "value = l2 * sum(np.abs(W).sum() for W in weights)", "l2_penalty: that is the L1 penalty"),
    (VALUE, "value = [l2 / 2 * np.sum(W**2) for W in weights]", "l2_penalty: the value is one number"),
    (GRADIENTS, "gradients = [2 * l2 * W for W in weights]",
     "l2_penalty: the gradient of weights[0]: the derivative of l2 / 2 * w**2 is l2 * w: the 2 of the square"),
    (GRADIENTS, "gradients = [l2 / 2 * W for W in weights]", "l2_penalty: the gradient of weights[0]: differentiate"),
    (GRADIENTS, "gradients = [l2 / 2 * W**2 for W in weights]",
     "l2_penalty: the gradient of weights[0]: that is each weight's share of the penalty"),
    (GRADIENTS, "gradients = [l2 * np.sign(W) for W in weights]",
     "l2_penalty: the gradient of weights[0]: that is the L1 penalty's gradient"),
    (GRADIENTS, "gradients = [l2 * W if W.ndim == 2 else np.zeros_like(W) for W in weights]",
     "l2_penalty: the gradient of weights[1]: a weight array got a zero gradient"),
    (GRADIENTS, "gradients = [l2 * W for W in weights if W.ndim == 2]",
     "l2_penalty: gradients is a list with one array for each weight array, each shaped like it: [l2 * W for W in "
     "weights]. The second array here is a 1-d weight vector"),
    (GRADIENTS, "gradients = l2 * np.concatenate([W.ravel() for W in weights])",
     "l2_penalty: gradients is a list with one array for each weight array"),
    (GRADIENTS, "gradients = weights\n    for W in weights:\n        W *= l2",
     "l2_penalty: the weights passed in changed (W *= l2 changes W itself)"),
    ("return value, gradients", "return gradients", "l2_penalty: return two things"),
])
def test_04_4_names_each_typical_slip_of_the_l2_penalty(old, new, expected):
    assert old in L2
    status, message = piece_feedback(nb04.q4, L2.replace(old, new))
    assert status == "wrong" and message.startswith(expected), message


@pytest.mark.parametrize("code, words", [
    pytest.param('''
def l2_penalty(weights, l2):
    total = 0.0
    grads = []
    for W in weights:
        total += np.sum(W ** 2)
        grads.append(l2 * W)
    return l2 * total, grads
''', ["the value is twice nnlib's", "l2 / 2"], id="no 1/2"),
    pytest.param('''
def l2_penalty(weights, l2):
    value = 0.5 * l2 * sum(np.sum(W * W) for W in weights)
    gradients = [2 * l2 * W for W in weights]
    return value, gradients
''', ["the derivative of l2 / 2 * w**2 is l2 * w", "cancels the 1/2"], id="a 2 in the gradient"),
    pytest.param('''
def l2_penalty(weights, l2):
    value = 0
    gradients = []
    for W in weights[:-1]:
        value += l2 / 2 * np.sum(W ** 2)
        gradients.append(l2 * W)
    gradients.append(np.zeros_like(weights[-1]))
    return value, gradients
''', ["a weight array got a zero gradient", "the biases are left out by the caller"],
        id="the last array taken for a bias"),
    pytest.param('''
def l2_penalty(weights, l2):
    value = l2 / 2 * np.sum(weights ** 2)
    gradients = l2 * weights
    return value, gradients
''', ["weights is a list of arrays", "[l2 * W for W in weights]"], id="the list taken for one array"),
    pytest.param('''
def l2_penalty(weights, l2):
    value = sum((W ** 2).sum() for W in weights) / 2
    return value, [l2 * W for W in weights]
''', ["multiply by the strength l2"], id="no lambda"),
    pytest.param('''
def l2_penalty(weights, l2):
    gradients = []
    for W in weights:
        value = l2 / 2 * np.sum(W ** 2)
        gradients.append(l2 * W)
    return value, gradients
''', ["only the last array's squares count", "value +="], id="the value replaced in the loop"),
    pytest.param('''
def l2_penalty(weights, l2):
    value = l2 / 2 * sum(np.sum(W ** 2) for W in weights)
    for W in weights:
        W *= l2
    return value, weights
''', ["the weights passed in changed", "W *= l2"], id="in place"),
])
def test_04_4_refuses_wrong_penalties_a_learner_writes(code, words):
    """Wrong answers written as a learner types them (not the solution edited): each is refused with words that
    name its slip, and the piece is marked failed, never saved for later notebooks."""
    status, message = piece_feedback(nb04.q4, code)
    assert status == "wrong" and message.startswith("l2_penalty") and all(word in message for word in words), message
    assert store.read("l2_penalty")[0].startswith("failed")


@pytest.mark.parametrize("exercise, code", [
    (nb04.q2, DATA.replace("np.random.default_rng(seed).permutation(len(X))",
                           "np.arange(len(X))\n    np.random.default_rng(seed).shuffle(order)")
                  .replace("round(len(X) * test_size), round(len(X) * val_size)",
                           "int(len(X) * test_size + 0.5), int(len(X) * val_size + 0.5)")
                  .replace(SCALED, "scaled = []\n    for X in (X_train, *others):\n"
                                   "        scaled.append(np.column_stack([(X[:, j] - mean[j]) / std[j] "
                                   "for j in range(X.shape[1])]))")),
    (nb04.q4, L2.replace(VALUE, "value = 0.5 * l2 * sum(float(W.ravel() @ W.ravel()) for W in weights)")
                .replace(GRADIENTS, "gradients = []\n    for W in weights:\n        gradients.append(W * l2)")),
], ids=["04.2", "04.4"])
def test_correct_pieces_written_differently_are_accepted_and_saved(exercise, code):
    assert code != exercise.solution_code
    assert piece_feedback(exercise, code)[0] == "correct"
    assert all(store.read(piece)[0] == "passed" for piece in exercise.pieces.values())


def test_a_wrong_piece_is_marked_failed_so_that_later_notebooks_use_nnlibs():
    status, message = piece_feedback(nb04.q2, DATA.replace(STD_LINE, ""))
    assert status == "wrong" and store.read("standardize")[0].startswith("failed: standardize: a column that does not")
    assert store.read("train_val_test_split")[0].startswith("failed"), "the exercise's checker vouches for none"
    status, message = piece_feedback(nb04.q4, L2.replace(VALUE, "value = l2 * sum(np.sum(W**2) for W in weights)"))
    assert status == "wrong" and store.read("l2_penalty")[0].startswith("failed")


def test_a_piece_with_other_defaults_passes_the_exercise_but_not_the_pieces_check_against_nnlib():
    code = DATA.replace("val_size=0.2, test_size=0.2, seed=0", "val_size=0.25, test_size=0.25, seed=0")
    status, message = piece_feedback(nb04.q2, code)
    assert status == "wrong" and message.startswith(
        "train_val_test_split: train_val_test_split's defaults should be nnlib's, val_size=0.2, test_size=0.2, "
        "seed=0, so that train_val_test_split(X, y) does what nnlib's does.")
    assert store.read("train_val_test_split")[0].startswith("failed") and store.read("standardize")[0] == "passed"


NOTEBOOK_05 = NOTEBOOK.parent / "05_a_single_neuron.ipynb"


def code_of(notebook):
    return "\n".join(cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code")


def test_notebooks_04_and_05_split_standardise_and_penalise_with_the_learners_pieces():
    """Where they split, standardise or penalise, the notebooks call the learner's library (nnlib's
    stand-ins where a piece is missing), never nnlib's functions directly."""
    code_04, code_05 = code_of(NOTEBOOK), code_of(NOTEBOOK_05)
    for piece in ("train_val_test_split", "standardize", "l2_penalty"):
        assert f"mine.{piece}(" in code_04, piece
    assert "mine.train_val_test_split(" in code_05 and "mine.standardize(X_train, X_val)" in code_05
    for code in (code_04, code_05):
        assert not re.search(r"nnlib(\.data)?\.(train_val_test_split|k_fold_split|standardize)\(", code)
        assert "from nnlib.data import" not in code


def test_notebook_04_learns_the_degree_1_line_with_the_learners_minibatch_descent_near_the_closed_form(namespace):
    """Notebook 03's minibatch_descent learns notebook 01's line, the degree-1 polynomial, on notebook 04's training
    set. Mini-batches jitter, so the notebook's bound (0.05 from the closed form) must hold with margin for any seed,
    not only for the seed it uses."""
    from nnlib.learner.line_checks import descent_step, minibatch_descent
    from nnlib.line import line_gradient

    assert ("mine.minibatch_descent(x_train, y_train, 0.05, 100, 5, np.random.default_rng(0),"
            in code_of(NOTEBOOK)) and "mine.line_gradient, mine.descent_step)" in code_of(NOTEBOOK)
    x, y = namespace["x_train"], namespace["y_train"]
    (slope,), intercept = fit_polynomial(x, y, 1)
    worst = max(np.abs(minibatch_descent(x, y, 0.05, 100, 5, np.random.default_rng(seed), line_gradient,
                                         descent_step)[-1] - (slope, intercept)).max() for seed in range(50))
    assert 0.005 < worst < 0.05 / 1.5, worst
