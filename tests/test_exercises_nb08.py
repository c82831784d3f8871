"""Notebook 08's exercises: solutions pass, typical mistakes get specific feedback, blanks do not crash."""
import numpy as np
import pytest
from exercise_code import run

import nnlib
from nnlib.datasets import make_moons
from nnlib.exercises import nb08
from nnlib.tune import IntUniform, LogUniform, random_search


@pytest.mark.parametrize("exercise", [nb08.q1, nb08.q2, nb08.q3, nb08.q4])
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


@pytest.mark.parametrize("make", [
    lambda rng: 10 ** (-4 * rng.random(5)),
    lambda rng: 1e-4 ** rng.random(5),
    lambda rng: 10 ** -rng.uniform(0, 4, size=5),
    lambda rng: np.exp(rng.uniform(np.log(1e-4), np.log(1), size=5)),
    lambda rng: np.sort(10 ** rng.uniform(-4, 0, size=5)),
    lambda rng: [10 ** rng.uniform(-4, 0) for _ in range(5)],
], ids=["10**(-4U)", "1e-4**U", "10**-uniform(0, 4)", "exp of log range", "sorted", "one at a time"])
def test_08_2_accepts_every_log_uniform_draw_from_the_rng(make):
    """The exponent is uniform between -4 and 0, whichever way the draw is written: the distribution is checked,
    not one spelling of it."""
    assert nb08.q2.feedback(make(np.random.default_rng(0))) == ("correct", "Correct!")


@pytest.mark.parametrize("make, expected", [
    (lambda rng: rng.uniform(1e-4, 1, size=5), "uniform between 0.0001 and 1"),
    (lambda rng: np.exp(rng.uniform(-4, 0, size=5)), "np.exp(-4)"),
    (lambda rng: 10 ** rng.uniform(1e-4, 1, size=5), "exponent goes from -4 to 0"),
    (lambda rng: np.logspace(-4, 0, 5), "evenly spaced"),
    (lambda rng: 10 ** np.random.default_rng(1).uniform(-4, 0, size=5), "not draws of this rng"),
    (lambda rng: np.sort(rng.uniform(1e-4, 1, size=5)), "uniform between 0.0001 and 1"),
    (lambda rng: 10 ** rng.uniform(-4, 0, size=4), "exactly 5"),
    (lambda rng: 10 ** rng.uniform(-6, 2, size=5), "between 0.0001 and 1"),
])
def test_08_2_recognises_sampling_mistakes(make, expected):
    status, message = nb08.q2.feedback(make(np.random.default_rng(0)))
    assert status == "wrong" and expected in message


SOLUTION_SEARCH = nb08.q3.solution_code


def search_function(code):
    return run(code)["my_random_search"]


def test_08_3_the_solution_reproduces_random_search_on_other_data_and_seeds():
    """Same draws, same validation losses, same choice as nnlib.tune.random_search (its documented draw order)."""
    X, y = make_moons(n_samples=90, noise=0.25, seed=2)

    def make_model(learning_rate, units):
        return nnlib.MLP(hidden_layers=(units,), learning_rate=learning_rate, epochs=5, batch_size=30, seed=1)

    space = {"learning_rate": LogUniform(0.001, 1), "units": IntUniform(2, 16)}
    for seed in (0, 7):
        trials, best = search_function(SOLUTION_SEARCH)(make_model, X[:60], y[:60], X[60:], y[60:], 6, seed)
        results = random_search(make_model, space, X[:60], y[:60], X[60:], y[60:], n_trials=6, seed=seed,
                                progress=False)
        np.testing.assert_allclose([t[0] for t in trials], results.column("learning_rate"), rtol=1e-12)
        assert [t[1] for t in trials] == results.column("units").astype(int).tolist()
        np.testing.assert_allclose([t[2] for t in trials], results.column("val_loss"), rtol=1e-9)
        assert best[1] == results.best["units"] and abs(best[0] - results.best["learning_rate"]) < 1e-12


@pytest.mark.parametrize("old, new, expected", [
    ("10 ** rng.uniform(-3, 0)", "rng.uniform(0.001, 1)", "Draw the *exponent* uniformly"),
    ("10 ** rng.uniform(-3, 0)", "np.exp(rng.uniform(-3, 0))", "np.exp(-3) is about 0.05"),
    ("10 ** rng.uniform(-3, 0)", "10 ** rng.uniform(0.001, 1)", "the exponent goes from -3 to 0"),
    ("rng.integers(2, 16 + 1)", "rng.integers(2, 16)", "never draws 16"),
    ("    for _ in range(n_trials):\n", "    for _ in range(n_trials):\n        rng = np.random.default_rng(seed)\n",
     "every trial drew the same values"),
    ("np.random.default_rng(seed)", "np.random.default_rng(seed + 1)",
     "the draws are in range but not random_search's"),
    ("model.data_loss(X_val, y_val)", "model.data_loss(X_train, y_train)", "you recorded the loss on the training set"),
    ("model.data_loss(X_val, y_val)", "model.score(X_val, y_val)", "you recorded the validation accuracy"),
    ("model.data_loss(X_val, y_val)", "model.data_loss(X_val[:20], y_val[:20])", "your validation losses differ"),
    ("best = min(", "best = max(", "the *highest* validation loss"),
    ("best = min(trials, key=lambda trial: trial[2])", "best = trials[-1]", "best is simply the last trial"),
    ("return trials, best", "return best", "return two things"),
    ("return trials, best", "return trials[:3], best", "one entry per trial: 5"),
])
def test_08_3_names_each_typical_mistake(old, new, expected):
    assert old in SOLUTION_SEARCH
    status, message = nb08.q3.feedback(search_function(SOLUTION_SEARCH.replace(old, new)))
    assert status == "wrong" and expected in message, message


def test_08_3_states_the_exact_draws_random_search_makes():
    """Other correct draws (floor of a uniform, 10 ** (-3 U)) cannot reproduce random_search: the prompt says which."""
    assert "10 ** rng.uniform(-3, 0)" in nb08.q3.placeholder and "int(rng.integers(2, 17))" in nb08.q3.placeholder


@pytest.mark.parametrize("old, new, expected", [
    ("int(rng.integers(2, 16 + 1))", "int(np.floor(rng.uniform(2, 17)))", "rounding rng.uniform(2, 17) down"),
    ("10 ** rng.uniform(-3, 0)", "10 ** (-3 * rng.random())", "10 ** (-3 * rng.random()) is log-uniform"),
    ("10 ** rng.uniform(-3, 0)", "0.001 ** rng.random()", "10 ** (-3 * rng.random()) is log-uniform"),
    ("    return trials, best", "    return sorted(trials, key=lambda trial: trial[2]), best",
     "not in the order they were drawn"),
])
def test_08_3_says_why_another_valid_draw_or_order_differs(old, new, expected):
    assert old in SOLUTION_SEARCH
    status, message = nb08.q3.feedback(search_function(SOLUTION_SEARCH.replace(old, new)))
    assert status == "wrong" and expected in message, message


def test_08_3_recognises_the_wrong_draw_order_and_choosing_on_the_training_set():
    swapped = SOLUTION_SEARCH.replace(
        "        learning_rate = 10 ** rng.uniform(-3, 0)   # log-uniform: the exponent is uniform\n"
        "        units = int(rng.integers(2, 16 + 1))       # integers() leaves out its upper end\n",
        "        units = int(rng.integers(2, 16 + 1))\n        learning_rate = 10 ** rng.uniform(-3, 0)\n")
    assert "you drew the units before the learning rate" in nb08.q3.feedback(search_function(swapped))[1]
    vectorised = SOLUTION_SEARCH.replace(
        "    for _ in range(n_trials):\n"
        "        learning_rate = 10 ** rng.uniform(-3, 0)   # log-uniform: the exponent is uniform\n"
        "        units = int(rng.integers(2, 16 + 1))       # integers() leaves out its upper end\n",
        "    rates, sizes = 10 ** rng.uniform(-3, 0, size=n_trials), rng.integers(2, 17, size=n_trials)\n"
        "    for learning_rate, units in zip(rates, sizes):\n        units = int(units)\n")
    assert "drew all the learning rates first" in nb08.q3.feedback(search_function(vectorised))[1]
    on_training = SOLUTION_SEARCH.replace(
        "    best = min(trials, key=lambda trial: trial[2])",
        "    train = [make_model(learning_rate=r, units=u).fit(X_train, y_train).data_loss(X_train, y_train)\n"
        "             for r, u, _ in trials]\n    best = trials[int(np.argmin(train))]")
    (data, results) = nb08._search_case()
    assert np.argmin(results.column("train_loss")) != np.argmin(results.column("val_loss")), "the case tells them apart"
    assert "the lowest *training* loss" in nb08.q3.feedback(search_function(on_training))[1]


def test_first_loss_exercise_matches_nnlib_and_names_each_mistake():
    X = np.random.default_rng(0).normal(size=(300, 64))
    y = np.arange(300) % 10
    fresh = nnlib.MLP(hidden_layers=(32,), init="normal", seed=0).build(n_features=64, n_outputs=10)
    assert abs(fresh.data_loss(X, y) - np.log(10)) < 0.01, "the exercise's answer is what nnlib measures"
    q4 = nb08.q4
    assert q4.feedback(np.log(10))[0] == "correct"
    assert "two classes" in q4.feedback(np.log(2))[1]
    assert "minus its logarithm" in q4.feedback(0.1)[1]
    assert "np.log10" in q4.feedback(1.0)[1]
    assert "number of classes" in q4.feedback(10)[1]
    assert "one number" in q4.feedback("2.3")[1]
