"""Exercises of notebook 05: solutions pass and are saved to the learner's library, typical mistakes get specific
feedback, ... is unanswered."""
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define

import nnlib
from nnlib.exercises import nb05
from nnlib.exercises.framework import exercises_in
from nnlib.exercises.pieces import SOLUTIONS
from nnlib.layers import sigmoid
from nnlib.learner import my_library, store
from nnlib.learner.pieces import PIECES

DATA = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                           species=("Adelie", "Gentoo"))
X_train, X_val, X_test, y_train, y_val, y_test = nnlib.train_val_test_split(*DATA, seed=0)
X_train_std = nnlib.Standardizer().fit(X_train).transform(X_train)
PIECE_EXERCISES = [nb05.q1, nb05.q2, nb05.q3]
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "05_a_single_neuron.ipynb"


def answers_of(exercise, code, **notebook):
    """The exercise's answers, defined by ``code`` as a notebook cell defines them (their source can be saved)."""
    namespace = define(code, **notebook)
    return [namespace[name] for name in exercise.answers]


def with_slip(exercise, old, new):
    """``exercise``'s solution with ``old`` replaced by ``new``, as a learner's slip writes it."""
    assert old in exercise.solution_code, old
    return exercise.solution_code.replace(old, new)


def feedback(exercise, code, **notebook):
    return exercise.feedback(*answers_of(exercise, code, **notebook))


def test_notebook_05_builds_sigmoid_binary_cross_entropy_and_the_neurons_step_in_exercises_05_1_to_05_3():
    assert [exercise.id for exercise in exercises_in(nb05)] == ["05.1", "05.2", "05.3", "05.4"]
    assert {name: piece.exercise for name, piece in PIECES.items() if piece.notebook == "05"} == {
        "sigmoid": "05.1", "binary_cross_entropy": "05.2", "neuron_step": "05.3"}


def test_05_4_solution_is_correct_and_placeholder_is_unanswered():
    assert feedback(nb05.q4, nb05.q4.solution_code) == ("correct", "Correct!")
    assert feedback(nb05.q4, nb05.q4.placeholder)[0] == "unanswered"


@pytest.mark.parametrize("exercise", PIECE_EXERCISES, ids=lambda exercise: exercise.id)
def test_each_piece_solution_is_correct_and_saved_and_its_placeholder_is_unanswered(exercise):
    status, message = feedback(exercise, exercise.solution_code)
    assert (status, message) == ("correct", f"Correct! Saved to your library (my_nnlib): {', '.join(exercise.pieces)}.")
    for piece in exercise.pieces.values():
        status, function = store.read(piece)
        assert status == "passed" and PIECES[piece].check(function) is None
        assert SOLUTIONS[piece] in exercise.solution_code, "one source"
    assert feedback(exercise, exercise.placeholder)[0] == "unanswered"


def test_the_stand_ins_are_nnlibs_functions_with_the_pieces_signatures():
    """Nothing saved: mine.sigmoid is nnlib's sigmoid, mine.binary_cross_entropy is BinaryCrossEntropy's
    value_and_gradient, and mine.neuron_step is one epoch of LogisticRegression.fit."""
    mine = my_library(quiet=True)
    x = np.array([-1000.0, -1.0, 0.0, 2.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.array_equal(mine.sigmoid(x), sigmoid(x)) and mine.sigmoid(x)[[0, -1]].tolist() == [0.0, 1.0]
    scores, y = np.array([[1000.0], [-2.0], [0.5]]), np.array([[0.0], [0.0], [1.0]])
    loss, dscores = mine.binary_cross_entropy(scores, y)
    expected = np.mean([1000.0, np.log1p(np.exp(-2.0)), np.log1p(np.exp(-0.5))])
    assert loss == pytest.approx(expected, rel=1e-12) and dscores.shape == (3, 1)
    w, b = np.zeros(2), 0.0
    for _ in range(200):
        w, b = mine.neuron_step(w, b, X_train_std, y_train, 0.5)
    model = nnlib.LogisticRegression(learning_rate=0.5, epochs=200).fit(X_train_std, y_train)
    np.testing.assert_allclose(np.append(w, b), np.append(model.coef_, model.intercept_), rtol=1e-12)


def test_the_reference_pieces_train_the_notebooks_neuron_to_fits_parameters():
    """Notebook 05's last use: 200 steps of the saved solutions land where fit(learning_rate=0.5, epochs=200) does."""
    for exercise in PIECE_EXERCISES:
        assert exercise.check(*answers_of(exercise, exercise.solution_code))
    mine = my_library(quiet=True)
    assert {"sigmoid", "binary_cross_entropy", "neuron_step"} <= set(mine.yours)
    w, b = np.zeros(2), 0.0
    for _ in range(200):
        w, b = mine.neuron_step(w, b, X_train_std, y_train, 0.5)
    model = nnlib.LogisticRegression(learning_rate=0.5, epochs=200).fit(X_train_std, y_train)
    assert np.max(np.abs(np.append(w, b) - np.append(model.coef_, model.intercept_))) < 1e-12
    loss, _ = mine.binary_cross_entropy((X_train_std @ w + b).reshape(-1, 1), y_train.reshape(-1, 1).astype(float))
    assert loss == pytest.approx(model.history_.loss[-1], rel=0.05), "the loss where the last step ends, near fit's"


# --- 05.1: the sigmoid --------------------------------------------------------------------------------------------
SIGMOID = "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))"


@pytest.mark.parametrize("old, new, expected", [
    (SIGMOID, "    return 1 / (1 + np.exp(-x))", "for x = -1000, exp(-x) = exp(1000) is more than a float holds"),
    (SIGMOID, "    return np.exp(x) / (1 + np.exp(x))", "np.exp(x) overflows for x = 1000, and inf / inf is nan"),
    (SIGMOID, "    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))",
     "np.where: it computes both of its arrays for every entry"),
    (SIGMOID, "    return 1 / (1 + np.exp(x))", "your values are 1 - sigmoid(x)"),
    (SIGMOID, "    if x >= 0:\n        return 1 / (1 + e)\n    return e / (1 + e)", "`if x >= 0:` asks one question"),
    ("    e = np.exp(-np.abs(x))", "    import math\n    e = math.exp(-abs(x))", "math.exp takes one number"),
    (SIGMOID, "    return np.array([1 / (1 + math.exp(-v)) for v in x])", "math.exp stops with an error"),
])
def test_05_1_names_each_typical_mistake(old, new, expected):
    status, message = feedback(nb05.q1, with_slip(nb05.q1, old, new), math=__import__("math"))
    assert status == "wrong" and message.startswith("sigmoid: ") and expected in message, message
    assert store.read("sigmoid")[0].startswith("failed"), "a wrong sigmoid is never used"


@pytest.mark.parametrize("new", [
    "    return 0.5 * (1 + np.tanh(x / 2))",  # sigmoid(x) = (1 + tanh(x / 2)) / 2: tanh never overflows
    "    return np.exp(-np.logaddexp(0, -x))",
    "    return np.exp(np.minimum(x, 0)) / (1 + e)",
])
def test_05_1_accepts_other_stable_sigmoids_and_saves_them(new):
    status, message = feedback(nb05.q1, with_slip(nb05.q1, SIGMOID, new))
    assert status == "correct" and "Saved to your library" in message, message


def test_05_1s_piece_check_refuses_a_sigmoid_that_warns_even_when_its_values_are_right():
    naive = define("def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n")["sigmoid"]
    with np.errstate(over="ignore"):
        assert np.array_equal(naive(np.array([-1000.0, 1000.0])), [0.0, 1.0])
    assert "overflow encountered in exp" in PIECES["sigmoid"].check(naive)


WRONG_SIGMOIDS = {  # each written whole, as a learner would, with one slip: the words the feedback must say
    "the minus sign lost": ("""
def sigmoid(x):
    return 1 / (1 + np.exp(x))
""", "your values are 1 - sigmoid(x)"),
    "the textbook formula": ("""
def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))
""", "for x = -1000, exp(-x) = exp(1000) is more than a float holds"),
    "x clipped too tightly": ("""
def sigmoid(x):
    x = np.clip(x, -10, 10)  # avoid overflow
    return 1 / (1 + np.exp(-x))
""", "yours gives 4.54e-05 at x = -1000 and 0.9999546021 at x = 1000: there the sigmoid is 0 and 1 to float precision. "
     "Clipping x to a narrow range"),
    "both of np.where's arrays overflow": ("""
def sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))
""", "it computes both of its arrays for every entry before it chooses"),
    "the branch for x < 0 forgotten": ("""
def sigmoid(x):
    e = np.exp(-np.abs(x))
    return 1 / (1 + e)
""", "for x < 0 yours is sigmoid(|x|), above 0.5"),
    "the branches swapped": ("""
def sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x < 0, 1 / (1 + z), z / (1 + z))
""", "your values are 1 - sigmoid(x)"),
    "if on an array": ("""
def sigmoid(x):
    if x >= 0:
        return 1 / (1 + np.exp(-x))
    else:
        return np.exp(x) / (1 + np.exp(x))
""", "`if x >= 0:` asks one question of a whole array"),
    "masked, but np.exp of every entry": ("""
def sigmoid(x):
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    out[~pos] = np.exp(x[~pos]) / (1 + np.exp(x))[~pos]
    return out
""", "np.exp(x) overflows for x = 1000"),
}


@pytest.mark.parametrize("code, expected", WRONG_SIGMOIDS.values(), ids=WRONG_SIGMOIDS)
def test_05_1_refuses_wrong_sigmoids_a_learner_writes(code, expected):
    status, message = feedback(nb05.q1, code)
    assert status == "wrong" and message.startswith("sigmoid: ") and expected in message, message
    assert store.read("sigmoid")[0].startswith("failed"), "a wrong sigmoid is never used"


# --- 05.2: binary cross-entropy ---------------------------------------------------------------------------------
RETURN = "return float(loss), (p - y) / len(scores)"
LOSS = "np.mean(np.logaddexp(0, scores) - y * scores)"


@pytest.mark.parametrize("old, new, expected", [
    (RETURN, "return float(loss), p - y", "dscores is n times too large"),
    (RETURN, "return float(loss * len(scores)), p - y", "the loss and dscores are n times too large"),
    (LOSS, "np.sum(np.logaddexp(0, scores) - y * scores)", "the loss is n times too large"),
    (RETURN, "return np.logaddexp(0, scores) - y * scores, (p - y) / len(scores)", "the loss is one number"),
    (RETURN, "return float(loss), (y - p) / len(scores)", "dscores has the wrong sign"),
    (RETURN, "return -float(loss), (p - y) / len(scores)", "the loss is negative"),
    (RETURN, "return float(loss), 2 * (p - y) * p * (1 - p) / len(scores)", "the squared error's gradient"),
    (LOSS, "-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))", "log(1 - p) or log p is log(0) = -inf"),
    (LOSS, "-np.mean(y * np.log(np.clip(p, 1e-15, 1 - 1e-15)) + (1 - y) * np.log(np.clip(1 - p, 1e-15, 1)))",
     "Clipping p"),
    (LOSS, "-np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))", "adding a small number inside"),
    ("np.exp(-np.logaddexp(0, -scores))", "1 / (1 + np.exp(-scores))", "np.exp overflows for a score of 1000"),
    (RETURN, "return float(loss), ((p - y) / len(scores)).ravel()", "dscores should have shape (7, 1)"),
])
def test_05_2_names_each_typical_mistake(old, new, expected):
    status, message = feedback(nb05.q2, with_slip(nb05.q2, old, new))
    assert status == "wrong" and message.startswith("binary_cross_entropy: ") and expected in message, message


def test_05_2_uses_the_convention_of_nnlibs_binary_cross_entropy_scores_and_labels_as_columns():
    scores, y = np.array([[2.0], [-1.0], [0.0]]), np.array([[1.0], [1.0], [0.0]])
    loss, dscores = define(SOLUTIONS["binary_cross_entropy"])["binary_cross_entropy"](scores, y)
    p = 1 / (1 + np.exp(-scores))
    assert loss == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)
    np.testing.assert_allclose(dscores, (p - y) / 3, rtol=1e-12)
    assert dscores.shape == (3, 1)


STABLE_WITH_LOG1P = """
def binary_cross_entropy(scores, y):
    e = np.exp(-np.abs(scores))
    p = np.where(scores >= 0, 1 / (1 + e), e / (1 + e))
    per_sample = np.maximum(scores, 0) - y * scores + np.log1p(e)
    return per_sample.mean(), (p - y) / scores.shape[0]
"""
LOG_P_WITH_A_HELPER_INSIDE = """
def binary_cross_entropy(scores, y):
    def stable_sigmoid(z):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    log_p, log_not_p = -np.logaddexp(0, -scores), -np.logaddexp(0, scores)
    return -np.mean(y * log_p + (1 - y) * log_not_p), (stable_sigmoid(scores) - y) / len(y)
"""


@pytest.mark.parametrize("code", [STABLE_WITH_LOG1P, LOG_P_WITH_A_HELPER_INSIDE])
def test_05_2_accepts_other_stable_losses_and_saves_them(code):
    status, message = feedback(nb05.q2, "# Exercise 05.2: x\n" + code)
    assert status == "correct" and "Saved to your library" in message, message


def test_05_2_a_loss_that_calls_the_notebooks_sigmoid_is_right_but_not_saved_and_says_why():
    status, message = feedback(nb05.q2, with_slip(nb05.q2, "np.exp(-np.logaddexp(0, -scores))", "sigmoid(scores)"),
                               sigmoid=sigmoid)
    assert status == "correct" and "Not saved: binary_cross_entropy uses sigmoid" in message
    assert "compute it inside the function" in message and store.read("binary_cross_entropy")[0] == "missing"


def test_05_2s_piece_check_alone_refuses_a_clipped_loss_and_names_log_0():
    """What my_library() runs again in later notebooks: the piece check by itself, without 05.2's own checker."""
    clipped = with_slip(nb05.q2, LOSS, "-np.mean(y * np.log(np.clip(p, 1e-15, 1)) + (1 - y) * np.log(np.clip(1 - p, "
                                       "1e-15, 1)))")
    problem = PIECES["binary_cross_entropy"].check(answers_of(nb05.q2, clipped)[0])
    assert problem.startswith("the loss for scores from -1000 to 1000 differs from nnlib's")
    with_logs = with_slip(nb05.q2, LOSS, "-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))")
    problem = PIECES["binary_cross_entropy"].check(answers_of(nb05.q2, with_logs)[0])
    assert "'divide by zero encountered in log'" in problem and "np.logaddexp(0, scores) - y * scores" in problem


WRONG_LOSSES = {  # each written whole, as a learner would, with one slip: the words the feedback must say
    "the textbook formula": ("""
def binary_cross_entropy(scores, y):
    p = 1 / (1 + np.exp(-scores))
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    dscores = (p - y) / len(y)
    return loss, dscores
""", "np.exp overflows for a score of 1000 or -1000"),
    "a sum, and no 1/n": ("""
def binary_cross_entropy(scores, y):
    p = np.exp(-np.logaddexp(0, -scores))
    loss = np.sum(np.logaddexp(0, scores) - y * scores)
    return loss, p - y
""", "the loss and dscores are n times too large"),
    "a small number inside the log": ("""
def binary_cross_entropy(scores, y):
    p = np.exp(-np.logaddexp(0, -scores))
    eps = 1e-7
    loss = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    return loss, (p - y) / len(scores)
""", "adding a small number inside the log caps what a confident mistake costs"),
    "p clipped": ("""
def binary_cross_entropy(scores, y):
    p = np.exp(-np.logaddexp(0, -scores))
    p = np.clip(p, 1e-15, 1 - 1e-15)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return loss, (p - y) / len(scores)
""", "Clipping p (np.clip(p, 1e-15, 1 - 1e-15))"),
    "the gradient's sign": ("""
def binary_cross_entropy(scores, y):
    n = scores.shape[0]
    p = np.exp(-np.logaddexp(0, -scores))
    loss = np.mean(np.logaddexp(0, scores) - y * scores)
    return loss, (y - p) / n
""", "dscores has the wrong sign"),
    "log(1 + exp(scores)) overflows": ("""
def binary_cross_entropy(scores, y):
    p = np.exp(-np.logaddexp(0, -scores))
    loss = np.mean(np.log(1 + np.exp(scores)) - y * scores)
    return loss, (p - y) / len(scores)
""", "log(1 + exp(scores)) is np.logaddexp(0, scores)"),
    "the minus sign lost": ("""
def binary_cross_entropy(scores, y):
    p = np.exp(-np.logaddexp(0, -scores))
    log_p, log_not_p = -np.logaddexp(0, -scores), -np.logaddexp(0, scores)
    loss = np.mean(y * log_p + (1 - y) * log_not_p)
    return loss, (p - y) / len(y)
""", "the loss is negative"),
    "dscores averaged to one number": ("""
def binary_cross_entropy(scores, y):
    p = np.exp(-np.logaddexp(0, -scores))
    loss = np.mean(np.logaddexp(0, scores) - y * scores)
    return loss, np.mean(p - y)
""", "dscores should have shape (7, 1), but yours has shape ()"),
}


@pytest.mark.parametrize("code, expected", WRONG_LOSSES.values(), ids=WRONG_LOSSES)
def test_05_2_refuses_wrong_losses_a_learner_writes(code, expected):
    status, message = feedback(nb05.q2, code)
    assert status == "wrong" and message.startswith("binary_cross_entropy: ") and expected in message, message
    assert store.read("binary_cross_entropy")[0].startswith("failed"), "a wrong loss is never used"


# --- 05.3: one neuron's step -------------------------------------------------------------------------------------
def test_05_3_one_step_is_one_epoch_of_logistic_regression_and_a_closed_form():
    """The solution's step equals fit's epoch and the formula w - lr X^T (p - y) / n, on the notebook's penguins."""
    (neuron_step,) = answers_of(nb05.q3, nb05.q3.solution_code)
    w, b = np.array([1.0, -0.5]), 0.2
    new_w, new_b = neuron_step(w, b, X_train_std, y_train, 0.5)
    p = sigmoid(X_train_std @ w + b)
    np.testing.assert_allclose(new_w, w - 0.5 * X_train_std.T @ (p - y_train) / len(y_train), rtol=1e-13)
    np.testing.assert_allclose(new_b, b - 0.5 * np.mean(p - y_train), rtol=1e-13)
    fit_w, fit_b = PIECES["neuron_step"].reference(w, b, X_train_std, y_train, 0.5)
    np.testing.assert_allclose(np.append(new_w, new_b), np.append(fit_w, fit_b), rtol=1e-13)


STEP = "w - learning_rate * grad_w, b - learning_rate * grad_b"
PREDICTIONS = "p = np.exp(-np.logaddexp(0, -(X @ w + b)))"


@pytest.mark.parametrize("old, new, expected", [
    (STEP, "w + learning_rate * grad_w, b + learning_rate * grad_b", "your step goes uphill"),
    ("(p - y)", "(y - p)", "your step goes uphill"),
    (STEP, "w - grad_w, b - grad_b", "multiply it by learning_rate"),
    ("X.T @ (p - y) / len(y)", "X.T @ (p - y)", "divide the sums by n (or use np.mean). (Your b is right"),
    ("grad_b = np.mean(p - y)", "grad_b = np.sum(p - y)",
     "times too long: the loss is a *mean* over the 30 samples, so "
     "divide the sums by n (or use np.mean). (Your w is right: the slip is in b.)"),
    ("b - learning_rate * grad_b", "b", "b did not move"),
    (PREDICTIONS, "p = np.exp(-np.logaddexp(0, -(X @ w)))", "left out the bias"),
    ("X.T @ (p - y) / len(y)", "X.T @ (2 * (p - y) * p * (1 - p)) / len(y)", "the squared error's gradient"),
    ("grad_b = np.mean(p - y)", "grad_b = np.mean(p - y) * 2", "w is right, but b differs"),
    ("return " + STEP, "return w - learning_rate * grad_w", "return the two new parameters"),
    ("X.T @ (p - y) / len(y)", "X @ (p - y) / len(y)", "neuron_step stopped with ValueError"),
])
def test_05_3_names_each_typical_mistake(old, new, expected):
    status, message = feedback(nb05.q3, with_slip(nb05.q3, old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("neuron_step")[0].startswith("failed"), "a wrong step is never used"


def test_05_3_recognises_a_full_squared_error_step_and_a_late_bias_update():
    squared = with_slip(nb05.q3, "(p - y)", "(2 * (p - y) * p * (1 - p))")
    assert "the squared error's gradient" in feedback(nb05.q3, squared)[1]
    late = with_slip(nb05.q3, "    return " + STEP,
                     "    w = w - learning_rate * grad_w\n"
                     "    grad_b = np.mean(1 / (1 + np.exp(-(X @ w + b))) - y)\n"
                     "    return w, b - learning_rate * grad_b")
    assert "predictions made from the *new* w" in feedback(nb05.q3, late)[1]
    uphill = feedback(nb05.q3, with_slip(nb05.q3, "(p - y)", "(y - p)"))[1]
    low, high = (float(number) for number in uphill.split("from ")[-1].rstrip(".").split(" up to "))
    assert high > low, "the feedback reports the loss the wrong step really reached"


def test_05_3_accepts_a_step_that_updates_in_place_or_returns_b_as_an_array_and_saves_it():
    in_place = with_slip(nb05.q3, "    return " + STEP,
                         "    w -= learning_rate * grad_w\n    return w, np.array([b - learning_rate * grad_b])")
    status, message = feedback(nb05.q3, in_place)
    assert status == "correct" and "Saved to your library" in message, message


WRONG_STEPS = {  # each written whole, as a learner would, with one slip: the words the feedback must say
    "b's gradient from the new w": ("""
def neuron_step(w, b, X, y, learning_rate):
    n = len(y)
    p = 1 / (1 + np.exp(-(X @ w + b)))
    w = w - learning_rate * X.T @ (p - y) / n
    p = 1 / (1 + np.exp(-(X @ w + b)))
    b = b - learning_rate * np.mean(p - y)
    return w, b
""", "b was updated with predictions made from the *new* w"),
    "sums instead of means": ("""
def neuron_step(w, b, X, y, learning_rate):
    z = X @ w + b
    p = np.exp(-np.logaddexp(0, -z))
    dw = X.T @ (p - y)
    db = np.sum(p - y)
    return w - learning_rate * dw, b - learning_rate * db
""", "your step is 30 times too long"),
    "the error as y - p": ("""
def neuron_step(w, b, X, y, learning_rate):
    p = np.exp(-np.logaddexp(0, -(X @ w + b)))
    error = y - p
    w = w - learning_rate * X.T @ error / len(y)
    b = b - learning_rate * error.mean()
    return w, b
""", "your step goes uphill"),
    "X not transposed": ("""
def neuron_step(w, b, X, y, learning_rate):
    p = np.exp(-np.logaddexp(0, -(X @ w + b)))
    grad_w = np.dot(X, p - y) / len(y)
    grad_b = np.mean(p - y)
    return w - learning_rate * grad_w, b - learning_rate * grad_b
""", "Check each product's shapes: here X is (30, 3), w (3,) and y (30,); X.T @ (p - y) has one entry per feature"),
    "one mean over the features too": ("""
def neuron_step(w, b, X, y, learning_rate):
    p = np.exp(-np.logaddexp(0, -(X @ w + b)))
    grad_w = np.mean(X * (p - y)[:, None])
    grad_b = np.mean(p - y)
    return w - learning_rate * grad_w, b - learning_rate * grad_b
""", "then grad_w = X.T @ (p - y) / n and grad_b = mean(p - y)"),
    "the learning rate left out": ("""
def neuron_step(w, b, X, y, learning_rate):
    p = np.exp(-np.logaddexp(0, -(X @ w + b)))
    return w - X.T @ (p - y) / len(y), b - np.mean(p - y)
""", "multiply it by learning_rate"),
}


@pytest.mark.parametrize("code, expected", WRONG_STEPS.values(), ids=WRONG_STEPS)
def test_05_3_refuses_wrong_steps_a_learner_writes(code, expected):
    status, message = feedback(nb05.q3, code)
    assert status == "wrong" and expected in message, message
    assert store.read("neuron_step")[0].startswith("failed"), "a wrong step is never used"


RIGHT_KINDS = {"coef_": "parameter", "intercept_": "parameter", "learning_rate": "hyperparameter",
               "epochs": "hyperparameter", "history_": "neither"}


@pytest.mark.parametrize("kinds, n_weights, n_parameters, expected", [
    (dict(RIGHT_KINDS, intercept_="hyperparameter"), 2, 3, "the bias b, learned by fit like the weights"),
    (dict(RIGHT_KINDS, epochs="parameter"), 2, 3, "how many passes"),
    (RIGHT_KINDS, 3, 3, "nnlib keeps the bias apart, in output.biases"),
    (RIGHT_KINDS, 2, 2, "the parameters are everything fit learns, 2 weights + 1 bias"),
    (RIGHT_KINDS, 2, 5, "count everything fit learns"),
    (dict(RIGHT_KINDS, history_="parameter"), 2, 3, "a record of the run, not a value of the neuron"),
    (dict(RIGHT_KINDS, history_="hyperparameter"), 2, 3, "records the loss of every epoch"),
])
def test_05_4_counts_the_bias_as_a_parameter_kept_apart_from_the_weights(kinds, n_weights, n_parameters, expected):
    status, message = nb05.q4.feedback(kinds, n_weights, n_parameters)
    assert status == "wrong" and expected in message
    assert "multiplies no" not in message, "a bias is a weight on a constant input in nnet's wts: not the reason"


def test_05_points_to_09b_for_weights_that_grow_forever_instead_of_training_20000_epochs():
    """Notebook 05 fits one sitting: the long runs on separable penguins live in 09b, next to early stopping."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    code = "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    text = " ".join(" ".join(cell.source for cell in cells if cell.cell_type == "markdown").split())
    assert "weight_sizes" not in code and "partial_fit" not in code
    assert "notebook 09b finds out, next to early stopping" in text and "the minimum is at infinity" not in text
