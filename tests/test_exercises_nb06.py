"""Exercises of notebook 06: solutions pass, typical mistakes get specific feedback, ... is unanswered."""
import numpy as np
import pytest
from exercise_code import define

import nnlib
from nnlib.exercises import nb06
from nnlib.exercises.checks import exercises_in
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


# --- 06.2-06.5: the pieces of the learner's library -------------------------------------------------------------
PIECE_EXERCISES = [nb06.q2, nb06.q3, nb06.q4, nb06.q5]


def test_notebook_06_counts_the_parameters_then_builds_its_pieces_in_exercises_06_2_to_06_5():
    assert [exercise.id for exercise in exercises_in(nb06)] == ["06.1", "06.2", "06.3", "06.4", "06.5"]
    assert {name: piece.exercise for name, piece in PIECES.items() if piece.notebook == "06"} == {
        "dense_forward": "06.2", "dense_backward": "06.2", "relu_forward": "06.3", "relu_backward": "06.3",
        "tanh_forward": "06.3", "tanh_backward": "06.3", "softmax_cross_entropy": "06.4", "network_forward": "06.5",
        "network_backward": "06.5"}


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
    ("return loss, dscores / n", "return loss, dscores", "softmax_cross_entropy: dscores is n times too large"),
    ("shifted[np.arange(n), y].sum()) / n", "shifted[np.arange(n), y].sum())", "the loss is n times too large"),
    ("scores.max(axis=1, keepdims=True)", "scores.max(axis=1)", "scores.max(axis=1, keepdims=True)"),
    ("for layer in layers:", "for layer in reversed(layers):", "network_forward: you went through the layers in the "
                                                               "wrong order"),
    ("for layer in reversed(layers):", "for layer in layers:", "network_backward: you went through the layers in the "
                                                               "wrong order"),
    ("        X = layer.forward(X)\n    return X", "        out = layer.forward(X)\n    return out",
     "each layer must get what the layer before it returned"),
    ("        dscores = layer.backward(dscores)", "        layer.backward(dscores)", "network_backward: each layer"),
    ("    return X\n", "", "network_forward: return what the last layer's forward returned"),
])
def test_06_2_to_06_5_name_each_typical_mistake(old, new, expected):
    exercise = next(exercise for exercise in PIECE_EXERCISES if old in exercise.solution_code)
    status, message = exercise.feedback(*answers_of(exercise, with_slip(exercise, old, new)))
    assert status == "wrong" and expected in message, message


ONE_HOT = '''
def softmax_cross_entropy(scores, y):
    n = len(scores)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.sum(y * log_p) / n, (np.exp(log_p) - y) / n
'''
NOT_SHIFTED = '''
def softmax_cross_entropy(scores, y):
    n = len(scores)
    P = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    dscores = P.copy()
    dscores[np.arange(n), y] -= 1
    return -np.mean(np.log(P[np.arange(n), y])), dscores / n
'''


@pytest.mark.parametrize("code, expected", [
    (ONE_HOT, "y holds labels (0, 1, ..., K-1), one per sample, not one-hot rows"),
    (NOT_SHIFTED, "np.exp(1000) overflows, and np.exp(-1000) is 0. Subtract each row's own maximum first"),
    (NOT_SHIFTED.replace("np.exp(scores)", "np.exp(scores - scores.max(axis=1, keepdims=True))"),
     "dscores is right, but the loss is inf or nan for scores such as 1000"),
])
def test_06_4_names_an_unstable_softmax_and_labels_taken_for_one_hot_rows(code, expected):
    status, message = nb06.q4.feedback(*answers_of(nb06.q4, "# Exercise 06.4: x\n" + code))
    assert status == "wrong" and message.startswith("softmax_cross_entropy: ") and expected in message, message


@pytest.mark.parametrize("old, new", [
    ("dout * (out > 0)", "dout * (x > 0)"),  # the input's sign or the output's: both right
    ("dout * (out > 0)", "np.where(x > 0, dout, 0.0)"),
    ("dout * (1 - out**2)", "dout * (1 - np.tanh(x)**2)"),  # tanh recomputed from x: right, if slower
    ("return dout @ weights.T, x.T @ dout, dout.sum(axis=0)",
     "return (weights @ dout.T).T, np.einsum('ni,nu->iu', x, dout), np.ones(len(dout)) @ dout"),
    ("    for layer in reversed(layers):\n        dscores = layer.backward(dscores)",
     "    for position in range(len(layers) - 1, -1, -1):\n        dscores = layers[position].backward(dscores)"),
])
def test_06_2_to_06_5_accept_other_right_ways_and_save_them(old, new):
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
