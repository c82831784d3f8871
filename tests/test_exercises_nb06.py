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
