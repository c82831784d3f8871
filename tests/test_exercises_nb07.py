"""Notebook 07's exercises: solutions pass, typical mistakes get specific feedback, blanks do not crash."""
import pytest
from exercise_code import run

from nnlib.exercises import nb07


@pytest.mark.parametrize("exercise", [nb07.q1, nb07.q2, nb07.q3])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


def test_07_1_explains_why_features_and_activation_are_chosen():
    kinds = run(nb07.q1.solution_code)["kinds"]
    status, message = nb07.q1.feedback(dict(kinds, features="parameter", activation="parameter"))
    assert status == "wrong" and message.startswith("2 of 9 wrong")
    assert "how many weights the first layer has" in message and "unit type is part of the architecture" in message
    assert "learned too" in nb07.q1.feedback(dict(kinds, **{"output.biases": "hyperparameter"}))[1]


def test_07_1_sorts_the_data_controls_as_neither():
    kinds = run(nb07.q1.solution_code)["kinds"]
    assert kinds["noise"] == kinds["train_ratio"] == "neither" and "neither" in nb07.q1.placeholder
    status, message = nb07.q1.feedback(dict(kinds, noise="hyperparameter", train_ratio="hyperparameter"))
    assert status == "wrong" and "it is a data control" in message and "a split size" in message


def test_07_1_hints_do_not_call_the_data_controls_hyperparameters():
    """The data set, its noise, the training fraction and the seed are controls too, and they are neither."""
    hints = " ".join(nb07.q1.hints)
    assert "Every control of the playground is a hyperparameter" not in hints
    assert "data controls are neither" in hints


@pytest.mark.parametrize("wrong, expected", [
    (54, "weights only"),
    ((2 * 6 + 6) + (6 * 3 + 3) + (3 * 2 + 2), "inputs x1 and x2 only"),
    ((5 * 6 + 6) + (6 * 3 + 3) + (3 * 1 + 1), "2 output units"),
    ((7 * 6 + 6) + (6 * 3 + 3) + (3 * 2 + 2), "only the features that are switched on"),
    (100, "sum over the layers"),
    ("65", "whole number"),
])
def test_07_2_recognises_counting_mistakes(wrong, expected):
    status, message = nb07.q2.feedback(wrong)
    assert status == "wrong" and expected in message


@pytest.mark.parametrize("features, expected", [
    (["x1", "x2"], "straight line"),
    (["x1·x2"], "XOR feature"),
    (["x1²"], "one square is not enough"),
    (["sin x1", "sin x2"], "x1² + x2² is small"),
    (["x3"], "not one of the playground's features"),
    (["x1²", "x1²"], "each feature once"),
])
def test_07_3_trains_the_learners_features_and_says_what_is_missing(features, expected):
    status, message = nb07.q3.feedback(features)
    assert status == "wrong" and expected in message


def test_07_3_accepts_any_features_that_reach_95_percent():
    assert nb07.q3.feedback(["x1", "x2", "x1²", "x2²"])[0] == "correct"
    assert nb07._circle_accuracy(["x1²", "x2²"]) >= 0.95 > nb07._circle_accuracy(["x1", "x2"])
