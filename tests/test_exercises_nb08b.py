"""Notebook 08b's exercises: solutions pass (the random search saved to the learner's library), typical mistakes get
specific feedback (a wrong random search is marked failed), blanks do not crash. The checks that notebook 08's grid
search and this random search share are tested in test_exercises_nb08.py."""
import numpy as np
import pytest
from exercise_code import define

import nnlib
from nnlib.exercises import nb08b
from nnlib.exercises.framework import exercises_in
from nnlib.learner import store
from nnlib.learner.pieces import PIECES


def feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


def test_notebook_08b_writes_the_random_search_then_counts_a_budget_and_a_first_loss():
    assert [exercise.id for exercise in exercises_in(nb08b)] == ["08b.1", "08b.2", "08b.3"]
    assert {name: piece.exercise for name, piece in PIECES.items() if piece.notebook == "08b"} == {
        "random_search": "08b.1"}


@pytest.mark.parametrize("answers, expected", [
    ((9, 4, 9), "multiply the numbers of values"),
    ((24, 24, 24), "repeat the same 4 learning rates"),
    ((24, 4, 4), "draws a new learning rate for every trial"),
    ((20, 4, 20), "how many combinations"),
    ((24, 3, 24), "learning rates in its list"),
    ((24, 4, 12), "draws every hyperparameter afresh"),
    ((24.0, 4, 24), "whole number"),
])
def test_08b_2_recognises_budget_mistakes(answers, expected):
    status, message = nb08b.q2.feedback(*answers)
    assert status == "wrong" and expected in message


RANDOM_SEARCH = nb08b.q1.solution_code
LOG_DRAW = "10 ** rng.uniform(np.log10(values.low), np.log10(values.high))"
INT_DRAW = "int(rng.integers(values.low, values.high + 1))"


@pytest.mark.parametrize("old, new, expected", [
    (LOG_DRAW, "rng.uniform(values.low, values.high)", "Draw the *exponent* uniformly"),
    (LOG_DRAW, "np.exp(rng.uniform(np.log10(values.low), np.log10(values.high)))", "np.exp(-3) is about 0.05"),
    (LOG_DRAW, "10 ** rng.uniform(values.low, values.high)", "the exponent goes from np.log10(values.low)"),
    (LOG_DRAW, "10 ** (-3 * rng.random())", "counting the exponent down from the top"),
    (LOG_DRAW, "0.001 ** rng.random()", "counting the exponent down from the top"),
    (INT_DRAW, "int(rng.integers(values.low, values.high))", "never draws high"),
    (INT_DRAW, "int(np.floor(rng.uniform(values.low, values.high + 1)))", "rounding rng.uniform(low, high + 1) down"),
    ("options[int(rng.integers(len(options)))]", "rng.choice(options)", "rng.choice turns a list of options"),
    ("for name, values in space.items():", "for name, values in sorted(space.items()):",
     "in another order than the space lists them"),
    ("    for _ in range(n_trials):\n", "    for _ in range(n_trials):\n        rng = np.random.default_rng(seed)\n",
     "every trial drew the same values"),
    ("np.random.default_rng(seed)", "np.random.default_rng(seed + 1)", "your draws are not nnlib's"),
    ("model.data_loss(X_val, y_val)", "model.data_loss(X_train, y_train)", "you recorded the loss on the training set"),
    ("val_loss = np.inf if model.history_.diverged else ", "val_loss = ", "diverged must count as infinitely bad"),
    ("best = min(", "best = max(", "the *highest* validation loss"),
    ("return rows, best", "return rows[:3], best", "one row per trial: 6 for n_trials=6, not 3"),
    ("return rows, best", "return sorted(rows, key=lambda row: row[1]), best", "not in the order tried"),
    ("model = make_model(**hyperparameters).fit(X_train, y_train)",
     "model = model if rows else make_model(**hyperparameters)\n        model.fit(X_train, y_train)",
     "you trained one model in several trials"),
])
def test_08b_1_names_each_typical_random_search_mistake_and_marks_the_piece_failed(old, new, expected):
    assert old in RANDOM_SEARCH
    status, message = feedback(nb08b.q1, RANDOM_SEARCH.replace(old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("random_search")[0] == f"failed: {message}"


def test_08b_1_drawing_one_hyperparameter_for_all_trials_and_choosing_on_the_training_set_are_named():
    by_name = RANDOM_SEARCH.replace(
        "    for _ in range(n_trials):\n        hyperparameters = {}\n", "    drawn = {}\n").replace(
        "        for name, values in space.items():",
        "    for name, values in space.items():\n      drawn[name] = []\n      for _ in range(n_trials):").replace(
        "            hyperparameters[name] = value\n", "            drawn[name].append(value)\n"
                                                      "    for trial in range(n_trials):\n"
                                                      "        hyperparameters = {name: drawn[name][trial] for name in "
                                                      "space}\n")
    assert "drew all the trials' values of one hyperparameter" in feedback(nb08b.q1, by_name)[1]
    on_training = RANDOM_SEARCH.replace(
        "    best = min(rows, key=lambda row: row[1])",
        "    train = [make_model(**settings).fit(X_train, y_train).data_loss(X_train, y_train)\n"
        "             for settings, _ in rows]\n"
        "    best = rows[int(np.argmin(train))]")
    assert "the lowest *training* loss" in feedback(nb08b.q1, on_training)[1]


# Wrong random searches written whole, as learners write them (not the solution edited): the words that name each slip.
LEARNERS_RANDOM_SEARCHES = {
    "a new generator every trial": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rows = []
    for trial in range(n_trials):
        rng = np.random.default_rng(seed)
        hp = {}
        for name, values in space.items():
            kind = type(values).__name__
            if kind == "LogUniform":
                hp[name] = 10 ** rng.uniform(np.log10(values.low), np.log10(values.high))
            elif kind == "IntUniform":
                hp[name] = int(rng.integers(values.low, values.high + 1))
            else:
                options = values.options if kind == "Choice" else values
                hp[name] = options[int(rng.integers(len(options)))]
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["every trial drew the same values", "once, before the loop"]),
    "uniform between low and high": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n_trials):
        settings = {}
        for name, values in space.items():
            if isinstance(values, nnlib.tune.LogUniform):
                settings[name] = rng.uniform(values.low, values.high)
            elif isinstance(values, nnlib.tune.IntUniform):
                settings[name] = int(rng.integers(values.low, values.high + 1))
            else:
                options = getattr(values, "options", values)
                settings[name] = options[int(rng.integers(len(options)))]
        model = make_model(**settings)
        model.fit(X_train, y_train)
        loss = float("inf") if model.history_.diverged else model.data_loss(X_val, y_val)
        rows.append((settings, loss))
    return rows, min(rows, key=lambda row: row[1])
''', ["your LogUniform draws are uniform between low and high", "Draw the *exponent* uniformly"]),
    "numpy's global generator": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    np.random.seed(seed)
    rows = []
    for trial in range(n_trials):
        hp = {}
        for name, values in space.items():
            kind = type(values).__name__
            if kind == "LogUniform":
                hp[name] = 10 ** np.random.uniform(np.log10(values.low), np.log10(values.high))
            elif kind == "IntUniform":
                hp[name] = np.random.randint(values.low, values.high + 1)
            else:
                options = values.options if kind == "Choice" else values
                hp[name] = options[np.random.randint(len(options))]
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["you drew from numpy's global generator", "np.random.default_rng(seed) once"]),
    "one hyperparameter for all trials, then the next": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)
    columns = {}
    for name, values in space.items():
        kind = type(values).__name__
        if kind == "LogUniform":
            columns[name] = list(10 ** rng.uniform(np.log10(values.low), np.log10(values.high), size=n_trials))
        elif kind == "IntUniform":
            columns[name] = [int(rng.integers(values.low, values.high + 1)) for _ in range(n_trials)]
        else:
            options = values.options if kind == "Choice" else values
            columns[name] = [options[int(rng.integers(len(options)))] for _ in range(n_trials)]
    rows = []
    for trial in range(n_trials):
        hp = {name: columns[name][trial] for name in space}
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["you drew all the trials' values of one hyperparameter, then the next's", "draws trial by trial"]),
    "one trial short": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for trial in range(1, n_trials):
        hp = {}
        for name, values in space.items():
            kind = type(values).__name__
            if kind == "LogUniform":
                hp[name] = 10 ** rng.uniform(np.log10(values.low), np.log10(values.high))
            elif kind == "IntUniform":
                hp[name] = int(rng.integers(values.low, values.high + 1))
            else:
                options = values.options if kind == "Choice" else values
                hp[name] = options[int(rng.integers(len(options)))]
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["one row per trial: 6 for n_trials=6, not 5"]),
    "one trial too many": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)
    rows = []
    trial = 0
    while trial <= n_trials:
        hp = {}
        for name, values in space.items():
            if type(values).__name__ == "LogUniform":
                hp[name] = 10 ** rng.uniform(np.log10(values.low), np.log10(values.high))
            elif type(values).__name__ == "IntUniform":
                hp[name] = int(rng.integers(values.low, values.high + 1))
            else:
                options = values.options if type(values).__name__ == "Choice" else values
                hp[name] = options[int(rng.integers(len(options)))]
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
        trial += 1
    return rows, min(rows, key=lambda r: r[1])
''', ["one row per trial: 6 for n_trials=6, not 7"]),
    "the seed never used": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng()
    rows = []
    for trial in range(n_trials):
        hp = {}
        for name, values in space.items():
            kind = type(values).__name__
            if kind == "LogUniform":
                hp[name] = 10 ** rng.uniform(np.log10(values.low), np.log10(values.high))
            elif kind == "IntUniform":
                hp[name] = int(rng.integers(values.low, values.high + 1))
            else:
                options = values.options if kind == "Choice" else values
                hp[name] = options[int(rng.integers(len(options)))]
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["your draws are not nnlib's", "make rng = np.random.default_rng(seed) once"]),
    "rng.choice for the options": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for trial in range(n_trials):
        hp = {}
        for name, values in space.items():
            kind = type(values).__name__
            if kind == "LogUniform":
                hp[name] = 10 ** rng.uniform(np.log10(values.low), np.log10(values.high))
            elif kind == "IntUniform":
                hp[name] = int(rng.integers(values.low, values.high + 1))
            elif kind == "Choice":
                hp[name] = rng.choice(values.options)
            else:
                hp[name] = rng.choice(values)
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["rng.choice turns a list of options such as (8,) into an array"]),
    "the upper end of an IntUniform left out": ('''
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for trial in range(n_trials):
        hp = {}
        for name, values in space.items():
            kind = type(values).__name__
            if kind == "LogUniform":
                hp[name] = 10 ** rng.uniform(np.log10(values.low), np.log10(values.high))
            elif kind == "IntUniform":
                hp[name] = int(rng.integers(values.low, values.high))
            else:
                options = values.options if kind == "Choice" else values
                hp[name] = options[int(rng.integers(len(options)))]
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["rng.integers(low, high) never draws high", "IntUniform(2, 16) includes 16"]),
}


@pytest.mark.parametrize("slip", LEARNERS_RANDOM_SEARCHES)
def test_08b_1_a_learners_wrong_random_search_is_refused_with_its_slip_named_and_not_saved(slip):
    code, words = LEARNERS_RANDOM_SEARCHES[slip]
    status, message = feedback(nb08b.q1, code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read("random_search") == (f"failed: {message}", None)


def test_08b_1_random_searches_written_differently_are_accepted_and_saved():
    """Draws equal to nnlib's up to rounding, written otherwise: natural logarithms, endpoint=True, numpy integers,
    options found by what they hold rather than by the type's name."""
    variants = [RANDOM_SEARCH.replace(LOG_DRAW, "np.exp(rng.uniform(np.log(values.low), np.log(values.high)))"),
                RANDOM_SEARCH.replace(INT_DRAW, "rng.integers(values.low, values.high, endpoint=True)"),
                RANDOM_SEARCH.replace('options = values.options if kind == "Choice" else values',
                                      'options = getattr(values, "options", values)')]
    for code in variants:
        assert code != RANDOM_SEARCH and feedback(nb08b.q1, code)[0] == "correct", feedback(nb08b.q1, code)
        assert store.read("random_search")[0] == "passed"


def test_08b_1_states_the_exact_draws_nnlib_makes():
    """Other correct draws (the floor of a uniform, 10 ** (-3 U), rng.choice) give other trials: the prompt says
    which draws reproduce nnlib's."""
    for draw in ("np.log10(values.low)", INT_DRAW, "options[int(rng.integers(len(options)))]", "space.items()"):
        assert draw in nb08b.q1.placeholder


def test_first_loss_exercise_matches_nnlib_and_names_each_mistake():
    X = np.random.default_rng(0).normal(size=(300, 64))
    y = np.arange(300) % 10
    fresh = nnlib.MLP(hidden_layers=(32,), init="normal", seed=0).build(n_features=64, n_outputs=10)
    assert abs(fresh.data_loss(X, y) - np.log(10)) < 0.01, "the exercise's answer is what nnlib measures"
    q5 = nb08b.q3
    assert q5.feedback(np.log(10))[0] == "correct"
    assert "two classes" in q5.feedback(np.log(2))[1]
    assert "minus its logarithm" in q5.feedback(0.1)[1]
    assert "np.log10" in q5.feedback(1.0)[1]
    assert "number of classes" in q5.feedback(10)[1]
    assert "one number" in q5.feedback("2.3")[1]
