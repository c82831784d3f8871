"""Notebook 14's exercises: solutions pass, typical wrong answers get specific feedback."""
import numpy as np
import pytest
from exercise_code import run

import nnlib
from nnlib.datasets import make_moons
from nnlib.exercises import nb14


@pytest.mark.parametrize("exercise", [nb14.q1, nb14.q2])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    assert exercise.feedback(*[blank[name] for name in exercise.answers])[0] == "unanswered"


def test_14_1_matches_what_fit_really_changes():
    X, y = make_moons(n_samples=100, seed=0)
    model = nnlib.MLP(hidden_layers=(8,), learning_rate=0.1, epochs=20, seed=0)
    before_params = model.get_params()
    initial = {k: v.copy() for k, v in model.build(2, 2).parameters().items()}
    model.fit(X, y)
    changed = {k for k, v in model.parameters().items() if not np.array_equal(v, initial[k])}
    changed |= {k for k, v in model.get_params().items() if v != before_params[k]}
    assert changed == nb14.CHANGED_BY_FIT
    assert set(nb14.CANDIDATES) - changed <= set(before_params)


@pytest.mark.parametrize("answer, expected", [
    (["hidden_1.weights", "hidden_1.biases", "output.weights", "output.biases", "learning_rate"],
     "fit() never changes 'learning_rate': it is a hyperparameter"),
    (["hidden_1.weights", "hidden_1.biases", "output.weights", "output.biases", "seed"],
     "fit() never changes 'seed': it is a setting of the experiment (neither)"),
    (["hidden_1.weights", "output.weights"], "the biases are learned too"),
    (["output.weights", "output.biases"], "fit() trains every layer"),
    (["hidden_1.weights", "hidden_1.biases", "output.biases"], "fit() also changes 'output.weights'"),
    (["weights_"], "'weights_' is not in the list"),
    ("output.weights", "answer with a list"),
])
def test_14_1_feedback_is_specific(answer, expected):
    status, message = nb14.q1.feedback(answer)
    assert status == "wrong" and expected in message


def test_14_2_explains_each_wrong_statement():
    statements = run(nb14.q2.solution_code)["statements"]
    swapped = dict(statements, **{"hyperparameters are tuned in the training stage, parameters in the "
                                  "validation stage": True})
    status, message = nb14.q2.feedback(swapped)
    assert status == "wrong" and message.startswith("1 of 5 wrong") and "the other way round" in message
    quoted = dict(statements, **{"the test set is used once, after all choices are made": "True"})
    assert "no quotes" in nb14.q2.feedback(quoted)[1]
    assert "exactly as given" in nb14.q2.feedback({"a": True})[1]


def test_14_2_the_l2_statement_names_the_method_that_learns_it_another_way():
    statements = run(nb14.q2.solution_code)["statements"]
    wrong = dict(statements, **{"the L2 strength could be learned by minimising the training loss": True})
    assert "BayesianRidge, notebook 12, learns it another way" in nb14.q2.feedback(wrong)[1]


def test_quiz_texts_say_learned_as_the_course_rule_does():
    """COURSE.md 1b, rule 1: learned is what training computes from the training data, by gradient descent for the
    network's parameters, by a preprocessing step's estimate for its statistics; no 'and used to predict'."""
    from nnlib.exercises.quiz_items import QUIZ_ITEMS

    for item in QUIZ_ITEMS:
        text = f"{item.explanation} {item.misconception}".lower()
        assert "parameters are what gradient descent fits" not in text, item.name
        assert "used to predict" not in text and "needs it to predict" not in text, item.name
    by_name = {item.name: item for item in QUIZ_ITEMS}
    for name in ("the hidden-layer sizes picked by a random search",
                 "the mean that standardisation subtracts (Standardizer.mean_)"):
        assert "by a preprocessing step's estimate for its statistics" in by_name[name].misconception
