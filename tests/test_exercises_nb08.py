"""Notebook 08's exercises: solutions pass, typical mistakes get specific feedback, blanks do not crash."""
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb08
from nnlib.tune import LogUniform
from exercise_code import run


@pytest.mark.parametrize("exercise", [nb08.q1, nb08.q2, nb08.q3])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


@pytest.mark.parametrize("answers, expected", [
    ((9, 4, 9), "multiply the numbers of values"),
    ((24, 24, 24), "repeat the same 4 learning rates"),
    ((24, 4, 4), "draws a new learning rate for every trial"),
    ((20, 4, 20), "how many combinations"),
    ((24, 3, 24), "learning rates in its list"),
    ((24, 4, 12), "draws every hyperparameter afresh"),
    ((24.0, 4, 24), "whole number"),
])
def test_08_1_recognises_budget_mistakes(answers, expected):
    status, message = nb08.q1.feedback(*answers)
    assert status == "wrong" and expected in message


def test_08_2_accepts_nnlibs_own_log_uniform():
    rng = np.random.default_rng(0)
    rates = [LogUniform(1e-4, 1).sample(rng) for _ in range(5)]
    assert nb08.q2.feedback(rates)[0] == "correct"


@pytest.mark.parametrize("make, expected", [
    (lambda rng: rng.uniform(1e-4, 1, size=5), "uniform between 0.0001 and 1"),
    (lambda rng: np.exp(rng.uniform(-4, 0, size=5)), "np.exp(-4)"),
    (lambda rng: 10 ** rng.uniform(1e-4, 1, size=5), "exponent goes from -4 to 0"),
    (lambda rng: np.logspace(-4, 0, 5), "evenly spaced"),
    (lambda rng: 10 ** np.random.default_rng(1).uniform(-4, 0, size=5), "not the expected draws"),
    (lambda rng: 10 ** rng.uniform(-4, 0, size=4), "exactly 5"),
    (lambda rng: 10 ** rng.uniform(-6, 2, size=5), "between 0.0001 and 1"),
])
def test_08_2_recognises_sampling_mistakes(make, expected):
    status, message = nb08.q2.feedback(make(np.random.default_rng(0)))
    assert status == "wrong" and expected in message


def test_first_loss_exercise_matches_nnlib_and_names_each_mistake():
    X = np.random.default_rng(0).normal(size=(300, 64))
    y = np.arange(300) % 10
    fresh = nnlib.MLP(hidden_layers=(32,), init="normal", seed=0).build(n_features=64, n_outputs=10)
    assert abs(fresh.data_loss(X, y) - np.log(10)) < 0.01, "the exercise's answer is what nnlib measures"
    q3 = nb08.q3
    assert q3.feedback(np.log(10))[0] == "correct"
    assert "two classes" in q3.feedback(np.log(2))[1]
    assert "minus its logarithm" in q3.feedback(0.1)[1]
    assert "np.log10" in q3.feedback(1.0)[1]
    assert "number of classes" in q3.feedback(10)[1]
    assert "one number" in q3.feedback("2.3")[1]
