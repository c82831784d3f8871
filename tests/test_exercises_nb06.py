"""Exercises of notebook 06: solutions pass, typical mistakes get specific feedback, ... is unanswered."""
import numpy as np
import pytest
from exercise_code import define

import nnlib
from nnlib.exercises import nb06
from nnlib.exercises.framework import exercises_in
from nnlib.exercises.pieces import SOLUTIONS
from nnlib.learner import store
from nnlib.learner.pieces import PIECES


def run(code, answers):
    namespace = {"np": np, "nnlib": nnlib}
    exec(code, namespace)
    return [namespace[name] for name in answers]


def test_06_1_solution_is_correct_and_placeholder_is_unanswered():
    assert nb06.q1.feedback(*run(nb06.q1.solution_code, nb06.q1.answers)) == ("correct", "Correct!")
    placeholder = run(nb06.q1.placeholder, nb06.q1.answers)
    assert nb06.q1.feedback(*placeholder)[0] == "unanswered"
    assert nb06.q1.check(*placeholder) is None


def test_06_1_answer_matches_nnlib():
    assert nnlib.parameter_count(4, (8, 6), 3) == 115
    assert nnlib.MLP(hidden_layers=(8, 6)).build(4, 3).n_parameters == 115
    assert nb06.q1.feedback(115)[0] == "correct"


@pytest.mark.parametrize("answer, expected", [
    (98, "weights only"),
    (119, "input layer has no biases"),
    (94, "left out the output layer"),
    (21, "counts units"),
    (17, "counts units"),
    (576, "don't multiply all the sizes"),
    (100, "sum over the three layers"),
    ("115", "whole number"),
])
def test_06_1_recognises_common_counting_mistakes(answer, expected):
    status, message = nb06.q1.feedback(answer)
    assert status == "wrong" and expected in message


# --- 06.2-06.3: the pieces of the learner's library (06b's are in test_exercises_nb06b.py) ------------------------
PIECE_EXERCISES = [nb06.q2, nb06.q3]


def test_notebook_06_counts_the_parameters_then_builds_its_layers_in_exercises_06_2_and_06_3():
    """Notebook 06 fits one sitting: the loss, the network's passes and initialisation are 06b's, the loop 06c's."""
    assert [exercise.id for exercise in exercises_in(nb06)] == ["06.1", "06.2", "06.3"]
    assert {name: piece.exercise for name, piece in PIECES.items() if piece.notebook == "06"} == {
        "dense_forward": "06.2", "dense_backward": "06.2", "relu_forward": "06.3", "relu_backward": "06.3",
        "tanh_forward": "06.3", "tanh_backward": "06.3"}


def answers_of(exercise, code):
    """The exercise's answers, defined by ``code`` as a notebook cell defines them (their source can be saved)."""
    namespace = define(code)
    return [namespace[name] for name in exercise.answers]


def with_slip(exercise, old, new):
    """``exercise``'s solution with ``old`` replaced by ``new``, as a learner's slip writes it."""
    assert old in exercise.solution_code, old
    return exercise.solution_code.replace(old, new)


@pytest.mark.parametrize("exercise", PIECE_EXERCISES, ids=lambda exercise: exercise.id)
def test_each_piece_solution_is_correct_and_saved_and_its_placeholder_is_unanswered(exercise):
    status, message = exercise.feedback(*answers_of(exercise, exercise.solution_code))
    assert (status, message) == ("correct", f"Correct! Saved to your library (my_nnlib): {', '.join(exercise.pieces)}.")
    assert list(exercise.pieces) == [name for name, piece in PIECES.items() if piece.exercise == exercise.id]
    for piece in exercise.pieces.values():
        status, function = store.read(piece)
        assert status == "passed" and PIECES[piece].check(function) is None
    assert exercise.feedback(*run(exercise.placeholder, exercise.answers))[0] == "unanswered"
    assert all(SOLUTIONS[piece] in exercise.solution_code for piece in exercise.pieces.values()), "one source"


DENSE_BACKWARD = "return dout @ weights.T, x.T @ dout, dout.sum(axis=0)"


@pytest.mark.parametrize("old, new, expected", [
    ("x @ weights + biases", "x @ weights", "dense_forward: you left out the biases"),
    ("x @ weights + biases", "(x @ weights + biases).T", "needs one row per sample"),
    (DENSE_BACKWARD, "return dout @ weights.T, dout.T @ x, dout.sum(axis=0)", "dense_backward: dweights is transposed"),
    (DENSE_BACKWARD, "return weights @ dout.T, x.T @ dout, dout.sum(axis=0)", "dx is transposed"),
    (DENSE_BACKWARD, "return dout @ weights, x.T @ dout, dout.sum(axis=0)", "Check each product's shapes"),
    (DENSE_BACKWARD, "return dout @ weights.T, x.T @ dout, dout", "dbiases still has one row per sample"),
    (DENSE_BACKWARD, "return dout @ weights.T, x.T @ dout, dout.sum(axis=1)", "you summed over the units"),
    (DENSE_BACKWARD, "return dout @ weights.T, x.T @ dout, dout.mean(axis=0)", "dbiases is n times too small"),
    (DENSE_BACKWARD, "return dout @ weights.T, x.T @ dout / len(x), dout.sum(axis=0)", "dweights is n times too small"),
    (DENSE_BACKWARD, "return x.T @ dout, dout.sum(axis=0)", "dense_backward: you forgot dx"),
    (DENSE_BACKWARD, "return None, x.T @ dout, dout.sum(axis=0)", "you forgot dx"),
    ("np.maximum(x, 0)", "x > 0", "relu_forward: you returned x > 0"),
    ("np.maximum(x, 0)", "np.max(x, 0)", "np.max(x, 0) is the largest entry of each column"),
    ("dout * (out > 0)", "(out > 0) * 1.0", "relu_backward: you returned ReLU's derivative alone"),
    ("dout * (out > 0)", "dout * out", "not the output itself"),
    ("dout * (out > 0)", "dout", "you passed dout through unchanged"),
    ("dout * (out > 0)", "dout * (x < 0)", "not where x < 0"),
    ("dout * (1 - out**2)", "dout * (1 - x**2)", "tanh_backward: you computed the derivative from the input"),
    ("dout * (1 - out**2)", "1 - out**2", "you returned tanh's derivative alone"),
    ("dout * (1 - out**2)", "dout * (1 - out)**2", "(1 - out)**2 squares the difference"),
    ("dout * (1 - out**2)", "dout * (1 - np.tanh(out)**2)", "not 1 - tanh(out)**2"),
])
def test_06_2_and_06_3_name_each_typical_mistake(old, new, expected):
    exercise = next(exercise for exercise in PIECE_EXERCISES if old in exercise.solution_code)
    status, message = exercise.feedback(*answers_of(exercise, with_slip(exercise, old, new)))
    assert status == "wrong" and expected in message, message


@pytest.mark.parametrize("old, new", [
    ("dout * (out > 0)", "dout * (x > 0)"),  # the input's sign or the output's: both right
    ("dout * (out > 0)", "np.where(x > 0, dout, 0.0)"),
    ("dout * (1 - out**2)", "dout * (1 - np.tanh(x)**2)"),  # tanh recomputed from x: right, if slower
    ("return dout @ weights.T, x.T @ dout, dout.sum(axis=0)",
     "return (weights @ dout.T).T, np.einsum('ni,nu->iu', x, dout), np.ones(len(dout)) @ dout"),
])
def test_06_2_and_06_3_accept_other_right_ways_and_save_them(old, new):
    exercise = next(exercise for exercise in PIECE_EXERCISES if old in exercise.solution_code)
    status, message = exercise.feedback(*answers_of(exercise, with_slip(exercise, old, new)))
    assert status == "correct" and "Saved to your library" in message, message


def test_a_piece_with_a_slip_is_marked_failed_in_the_library_and_never_used():
    store.save("tanh_backward", SOLUTIONS["tanh_backward"], "06.3", "06")  # a right version saved earlier
    assert store.read("tanh_backward")[0] == "passed"
    slip = with_slip(nb06.q3, "dout * (1 - out**2)", "dout * (1 - x**2)")
    assert nb06.q3.check(*answers_of(nb06.q3, slip)) is False
    status, function = store.read("tanh_backward")
    assert status.startswith("failed") and "from the input" in status and function is None


WRONG_DENSE_LAYERS = {  # each written whole, as a learner would, with one slip: words the feedback must say, and
    # the piece that must be marked failed
    "dx without the transpose": ("""
def dense_forward(x, weights, biases):
    return x @ weights + biases


def dense_backward(dout, x, weights):
    dx = dout @ weights
    dweights = x.T @ dout
    dbiases = np.sum(dout, axis=0)
    return dx, dweights, dbiases
""", "Check each product's shapes: here x is (5, 3), weights (3, 4) and dout (5, 4)", "dense_backward"),
    "dweights from dout.T @ x": ("""
def dense_forward(x, weights, biases):
    return np.dot(x, weights) + biases


def dense_backward(dout, x, weights):
    dx = np.dot(dout, weights.T)
    dweights = np.dot(dout.T, x)
    dbiases = np.sum(dout, axis=0)
    return dx, dweights, dbiases
""", "dense_backward: dweights is transposed", "dense_backward"),
    "dbiases summed over the units": ("""
def dense_forward(x, weights, biases):
    return x @ weights + biases


def dense_backward(dout, x, weights):
    return dout @ weights.T, x.T @ dout, np.sum(dout, axis=1)
""", "you summed over the units; sum over the samples instead", "dense_backward"),
    "dbiases summed over everything": ("""
def dense_forward(x, weights, biases):
    return x @ weights + biases


def dense_backward(dout, x, weights):
    return dout @ weights.T, x.T @ dout, np.sum(dout)
""", "dbiases should have shape (4,), but yours has shape ()", "dense_backward"),
    "dweights forgotten": ("""
def dense_forward(x, weights, biases):
    return x @ weights + biases


def dense_backward(dout, x, weights):
    dx = dout @ weights.T
    dbiases = dout.sum(axis=0)
    return dx, dbiases
""", "dense_backward: you forgot dweights", "dense_backward"),
    "weights transposed in the forward pass": ("""
def dense_forward(x, weights, biases):
    return x @ weights.T + biases


def dense_backward(dout, x, weights):
    return dout @ weights.T, x.T @ dout, dout.sum(axis=0)
""", "dense_forward stopped with ValueError", "dense_forward"),
    "dweights from x.T @ dout.T": ("""
def dense_forward(x, weights, biases):
    return x @ weights + biases


def dense_backward(dout, x, weights):
    dx = dout @ weights.T
    dW = x.T @ dout.T
    db = dout.sum(axis=0)
    return dx, dW, db
""", "dx (5, 3), dweights (3, 4), dbiases (4,)", "dense_backward"),
}


@pytest.mark.parametrize("code, expected, piece", WRONG_DENSE_LAYERS.values(), ids=WRONG_DENSE_LAYERS)
def test_06_2_refuses_wrong_dense_layers_a_learner_writes(code, expected, piece):
    status, message = nb06.q2.feedback(*answers_of(nb06.q2, code))
    assert status == "wrong" and expected in message, message
    if piece == "dense_forward":
        assert "out must come out (5, 4)" in message, message
    assert store.read(piece)[0].startswith("failed"), "a wrong piece is never used"


ACTIVATIONS = """
def relu_forward(x):
    return np.maximum(x, 0)


def relu_backward(dout, x, out):
    return dout * (x > 0)


def tanh_forward(x):
    return np.tanh(x)


def tanh_backward(dout, x, out):
    return dout * (1 - out**2)
"""


def activations(**bodies):
    """The four functions of 06.3, each written as a learner would; ``bodies`` replaces some of them by name."""
    functions = dict(zip(nb06.q3.answers, ACTIVATIONS.strip().split("\n\n\n")))
    return "\n\n\n".join(bodies.get(name, code) for name, code in functions.items()) + "\n"


WRONG_ACTIVATIONS = {  # one function of the four written with a slip: words the feedback must say, and its name
    "relu's gradient where out >= 0": (
        "def relu_backward(dout, x, out):\n    return dout * (out >= 0)",
        "out >= 0 holds everywhere: ReLU's output is never negative", "relu_backward"),
    "tanh's derivative from x": (
        "def tanh_backward(dout, x, out):\n    return dout * (1 - x ** 2)",
        "you computed the derivative from the input, 1 - x**2", "tanh_backward"),
    "relu's gradient passed through": (
        "def relu_backward(dout, x, out):\n    return dout", "you passed dout through unchanged", "relu_backward"),
    "Python's max": (
        "def relu_forward(x):\n    return max(0, x)", "relu_forward: Python's max(x, 0)", "relu_forward"),
    "* before -": (
        "def tanh_backward(dout, x, out):\n    return dout * 1 - out**2", "(* comes before -): dout * (1 - out**2)",
        "tanh_backward"),
    "tanh from np.exp": (
        "def tanh_forward(x):\n    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))",
        "tanh_forward: nan for x = 1000 or -1000", "tanh_forward"),
    "relu's derivative alone": (
        "def relu_backward(dout, x, out):\n    return np.where(x > 0, 1, 0)",
        "you returned ReLU's derivative alone: multiply it by dout", "relu_backward"),
}


@pytest.mark.parametrize("function, expected, piece", WRONG_ACTIVATIONS.values(), ids=WRONG_ACTIVATIONS)
def test_06_3_refuses_wrong_activations_a_learner_writes(function, expected, piece):
    code = activations(**{piece: function})
    assert code != activations()
    status, message = nb06.q3.feedback(*answers_of(nb06.q3, code))
    assert status == "wrong" and message.startswith(f"{piece}: ") and expected in message, message
    assert store.read(piece)[0].startswith("failed"), "a wrong piece is never used"


def test_06_3_the_activations_that_wrong_ones_are_made_from_are_right():
    assert nb06.q3.feedback(*answers_of(nb06.q3, activations()))[0] == "correct"
