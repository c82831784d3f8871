"""Notebook 14's exercises: solutions pass, typical wrong answers get specific feedback."""
import numpy as np
import pytest
from exercise_code import run

import nnlib
from nnlib.datasets import make_moons
from nnlib.exercises import nb14


@pytest.mark.parametrize("exercise", [nb14.q1, nb14.q2, nb14.q3])
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


def test_14_3_the_outcomes_are_runs_of_section_1s_network_on_its_moons():
    X, y = make_moons(n_samples=300, noise=0.25, seed=0)
    losses = nb14.training_losses()
    model = nnlib.MLP(hidden_layers=(8,), learning_rate=0.1, epochs=200, seed=0).fit(X, y)
    assert losses["epochs=200"] == pytest.approx(model.data_loss(X, y), rel=1e-12)
    base = losses["base"]
    assert [nb14.effect(losses[name], base) for name in nb14.CHANGES] == ["higher", "higher", "lower", "about the same"]
    # each outcome is far from the 15 % border, so another machine's last bits cannot flip it
    assert all(abs(losses[name] / base - 1) > 0.3 or abs(losses[name] / base - 1) < 0.05 for name in nb14.CHANGES)


@pytest.mark.parametrize("answer, slips", [
    # "a smaller rate is more careful, so it fits better"
    ({"learning_rate=0.001": "lower"}, ["learning_rate=0.001: higher, not lower", "a hundredth as long"]),
    # "the full batch computes the exact gradient, so it must do better"
    ({"batch_size=None": "lower"}, ["batch_size=None: higher, not lower", "1 step per epoch instead of 10"]),
    # "more epochs only overfit" (that is the validation loss, not the training loss)
    ({"epochs=200": "higher"}, ["epochs=200: lower, not higher", "ten times as many steps"]),
    # "another seed, another network: anything can happen"
    ({"seed=1": "higher"}, ["seed=1: about the same, not higher", "spread over seeds"]),
])
def test_14_3_explains_each_wrong_prediction_with_the_measured_losses(answer, slips):
    predictions = run(nb14.q3.solution_code)["predictions"] | answer
    status, message = nb14.q3.feedback(predictions)
    assert status == "wrong" and message.startswith("1 of 4 predictions wrong.")
    assert all(slip in message for slip in slips) and "against the base's 0.319" in message


@pytest.mark.parametrize("answer, expected", [
    ({"learning_rate=0.001": "higher"}, "one prediction for each of the four changes"),
    ({**{name: "higher" for name in nb14.CHANGES}, "seed=1": "same"}, 'got \'same\' for seed=1'),
    ("higher", "answer with the dict"),
])
def test_14_3_refuses_answers_it_cannot_read(answer, expected):
    status, message = nb14.q3.feedback(answer)
    assert status == "wrong" and expected in message
