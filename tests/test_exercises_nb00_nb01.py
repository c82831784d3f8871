"""Typical wrong answers to the exercises of notebooks 00 and 01 get specific feedback."""
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb00, nb01

X, y = nnlib.load_penguins()
x = X[:, 0]


def run_solution(exercise, **namespace):
    namespace = {"np": np, **namespace}
    exec(exercise.solution_code, namespace)
    return [namespace[name] for name in exercise.answers]


@pytest.mark.parametrize("exercise", [nb00.q1, nb00.q2, nb01.q1, nb01.q2, nb01.q3])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    assert exercise.feedback(*run_solution(exercise, x=x, y=y)) == ("correct", "Correct!")
    placeholder = run_solution(type("E", (), {"solution_code": exercise.placeholder, "answers": exercise.answers}))
    assert exercise.feedback(*placeholder)[0] == "unanswered"
    assert exercise.check(*placeholder) is None


def test_00_1_names_each_wrong_item_with_a_reason():
    kinds = dict(run_solution(nb00.q1)[0], number_of_layers="parameter", bias="hyperparameter")
    status, message = nb00.q1.feedback(kinds)
    assert status == "wrong" and message.startswith("2 of 6 wrong")
    assert "decides how many weights exist" in message and "a parameter that is not a weight" in message
    assert "use one of" in nb00.q1.feedback(dict(kinds, bias="weight"))[1]


def test_00_2_catches_the_swapped_stages_and_tuning_on_test():
    assert "swapped" in nb00.q2.feedback("validation", "training", "test")[1]
    assert "optimistic" in nb00.q2.feedback("training", "test", "validation")[1]
    assert "one of 'training'" in nb00.q2.feedback("train", "validation", "test")[1]


@pytest.mark.parametrize("wrong, expected", [
    (np.sqrt(np.mean((40 * x - 3500 - y) ** 2)), "ROOT mean squared error"),
    (np.sum((40 * x - 3500 - y) ** 2), "SUM of squared errors"),
    (np.mean(40 * x - 3500 - y), "forget to square"),
    (np.mean(np.abs(40 * x - 3500 - y)), "mean ABSOLUTE error"),
    (1.0e9, "expected about"),
])
def test_01_1_recognises_common_loss_mistakes(wrong, expected):
    status, message = nb01.q1.feedback(wrong)
    assert status == "wrong" and expected in message


def test_01_2_recognises_common_least_squares_mistakes():
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    assert "without subtracting their means" in nb01.q2.feedback(np.sum(x * y) / np.sum(x * x), 0)[1]
    assert "the slope is right" in nb01.q2.feedback(slope, y.mean())[1]
    assert "upside down" in nb01.q2.feedback(1 / slope, 0)[1]
    assert "spread of x" in nb01.q2.feedback(
        np.sum((x - x.mean()) * (y - y.mean())) / np.sum((y - y.mean()) ** 2), 0)[1]


def test_01_3_explains_why_coef_is_learned():
    status, message = nb01.q3.feedback({"coef_": "hyperparameter", "intercept_": "parameter",
                                        "learning_rate": "hyperparameter", "epochs": "hyperparameter"})
    assert status == "wrong" and "ends in an underscore" in message


def test_check_prints_feedback_and_strict_mode_raises(capsys, monkeypatch):
    assert nb01.q1.check(1.0e9) is False
    assert "\u274c Exercise 01.1: expected about" in capsys.readouterr().out
    monkeypatch.setenv("NNLIB_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError, match="Exercise 01.1"):
        nb01.q1.check(1.0e9)


def test_hints_come_one_at_a_time_and_solution_prints_code(capsys):
    nb01.q2.hint()
    nb01.q2.hint()
    nb01.q2.hint()
    out = capsys.readouterr().out
    assert out.count("Hint 1 of 2") == 1 and out.count("Hint 2 of 2") == 2
    nb01.q2.solution()
    assert "intercept = y.mean() - slope * x.mean()" in capsys.readouterr().out


def test_a_checker_that_crashes_on_an_odd_answer_still_gives_feedback():
    status, message = nb01.q2.feedback("fifty", "minus five thousand")
    assert status == "wrong" and "could not be checked" in message
