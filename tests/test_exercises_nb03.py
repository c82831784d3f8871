"""Exercises of notebook 03: every solution passes, typical mistakes get their specific feedback."""
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb03


@pytest.mark.parametrize("exercise", [nb03.q1, nb03.q2, nb03.q3], ids=lambda q: q.id)
def test_solution_passes(exercise):
    scope = {"np": np}
    exec(exercise.solution_code, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers)) == ("correct", "Correct!")


@pytest.mark.parametrize("exercise", [nb03.q1, nb03.q2, nb03.q3], ids=lambda q: q.id)
def test_placeholder_is_unanswered(exercise):
    scope = {"np": np}
    exec(exercise.placeholder, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers))[0] == "unanswered"


def feedback(exercise, *answers):
    status, message = exercise.feedback(*answers)
    assert status == "wrong"
    return message


def test_the_expected_iteration_count_is_what_nnlib_does():
    """Independent check of 03.1's answer: count the optimiser steps nnlib really takes."""
    X, y = nnlib.load_penguins()
    from nnlib.widgets.batches import RecordedRun
    run = RecordedRun(nnlib.standardize(X), y, 0.01, batch_size=32).extend_to(5)
    assert len(run.recorder.steps) == 55
    assert nb03.q1.feedback(55 // 5, 55)[0] == "correct"


def test_iteration_mistakes():
    assert "Round up" in feedback(nb03.q1, 10, 50)
    assert "whole" in feedback(nb03.q1, 342 / 32, 5 * 342 / 32)
    assert "number of epochs" in feedback(nb03.q1, 11, 5)
    assert "5 * 11" in feedback(nb03.q1, 11, 60)
    assert "mini-batches of 32" in feedback(nb03.q1, 32, 160)


def test_samples_mistakes():
    assert "342 steps" in feedback(nb03.q2, 1, 342)
    assert "uses every penguin" in feedback(nb03.q2, 342, 1)
    assert "every one of the 342" in feedback(nb03.q2, 342, 100)
    assert nb03.q2.feedback(np.int64(342), 342)[0] == "correct"


def test_sorting_mistakes():
    kinds = {"batch_size": "hyperparameter", "shuffle": "hyperparameter", "coef_": "parameter",
             "intercept_": "parameter", "iterations_per_epoch": "hyperparameter"}
    message = feedback(nb03.q3, kinds)
    assert "'iterations_per_epoch' is neither a parameter nor a hyperparameter" in message
    kinds.update(iterations_per_epoch="neither", batch_size="parameter")
    assert "'batch_size' is a hyperparameter" in feedback(nb03.q3, kinds)
