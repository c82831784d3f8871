"""Notebook 08's exercises: solutions pass (their pieces, grid_search and random_search, saved to the learner's
library), typical mistakes get specific feedback (a wrong piece is marked failed), blanks do not crash; the learner's
searches try nnlib's trials and choose as nnlib does, and the notebook calls nnlib's own searches as tune.*."""
import functools
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define, run

import nnlib
from nnlib import tune
from nnlib.datasets import make_moons
from nnlib.exercises import nb08
from nnlib.exercises.pieces import SOLUTIONS
from nnlib.learner import my_library, search_checks, store
from nnlib.learner.pieces import check_piece
from nnlib.tune import Choice, IntUniform, LogUniform

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "08_tuning_hyperparameters.ipynb"


def feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


@pytest.mark.parametrize("exercise", [nb08.q1, nb08.q2, nb08.q3, nb08.q4, nb08.q5])
def test_solution_is_correct_its_pieces_are_saved_and_placeholder_is_unanswered(exercise):
    pieces = list(getattr(exercise, "pieces", {}).values())
    saved = f" Saved to your library (my_nnlib): {', '.join(pieces)}." if pieces else ""
    assert feedback(exercise, exercise.solution_code) == ("correct", "Correct!" + saved)
    assert [store.read(piece)[0] for piece in pieces] == ["passed"] * len(pieces)
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
def test_08_4_recognises_budget_mistakes(answers, expected):
    status, message = nb08.q4.feedback(*answers)
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


GRID_SEARCH, RANDOM_SEARCH = nb08.q1.solution_code, nb08.q3.solution_code


def moons():
    X, y = make_moons(n_samples=90, noise=0.25, seed=2)
    return X[:60], y[:60], X[60:], y[60:]


@pytest.mark.filterwarnings("ignore:Training diverged")
def test_the_learners_searches_try_nnlibs_trials_and_choose_as_nnlib_on_an_mlp_even_where_training_diverges():
    """On other data, other spaces and seeds than the checks', with a real network: the same settings, the same
    validation losses (inf where training diverged) and the same choice as nnlib.tune's searches."""
    make_model = functools.partial(nnlib.MLP, epochs=5, batch_size=30, seed=1)
    grid_search = define(GRID_SEARCH)["grid_search"]
    random_search = define(RANDOM_SEARCH)["random_search"]
    grid = {"learning_rate": [0.1, 1e4], "hidden_layers": [(3,), (2, 2)], "activation": ["relu", "tanh"]}
    space = {"learning_rate": LogUniform(0.001, 1), "hidden_layers": Choice([(3,), (2, 2)]), "l2": [0, 1e-3],
             "batch_size": IntUniform(10, 30)}
    runs = [(grid_search(make_model, grid, *moons()), tune.grid_search(make_model, grid, *moons(), progress=False))]
    for seed in (0, 7):
        runs.append((random_search(make_model, space, *moons(), 6, seed),
                     tune.random_search(make_model, space, *moons(), n_trials=6, seed=seed, progress=False)))
    for (rows, best), results in runs:
        expected = [{name: row[name] for name in results.hyperparameter_names} for row in results]
        assert search_checks.same_settings([settings for settings, _ in rows], expected)
        np.testing.assert_allclose([val_loss for _, val_loss in rows], results.column("val_loss"), rtol=1e-9)
        assert search_checks.same_settings([best[0]], [results.best_params])
    assert np.isinf([val_loss for _, val_loss in runs[0][0][0]]).sum() == 4, "the rate 1e4 diverges: inf, as nnlib"


@pytest.mark.parametrize("name, search, arguments", [
    ("grid_search", tune.grid_search, (search_checks.GRID,)),
    ("random_search", tune.random_search, (search_checks.SPACE,))])
def test_the_checks_case_tells_the_typical_slips_apart(name, search, arguments):
    """On the checks' toy case a diverged trial neither wins nor comes last, the lowest training loss is not the
    lowest validation loss, and neither is the last or the highest row: each slip of the choice shows."""
    extra = {} if name == "grid_search" else {"n_trials": search_checks.N_TRIALS, "seed": search_checks.SEED}
    results = search(search_checks.ToyModel, *arguments, *search_checks.search_data(), progress=False, **extra)
    losses, diverged = results.column("val_loss"), results.column("diverged")
    assert 0 < diverged.sum() < len(results) and not diverged[np.argmin(losses)]
    rows = {int(np.argmin(losses)), int(np.argmin(results.column("train_loss"))), int(np.argmax(losses)),
            len(results) - 1}
    assert len(rows) == 4
    assert len(set(losses.tolist())) == len(losses) - diverged.sum() + 1, "no ties among the finite losses"


def test_each_piece_passes_its_check_and_so_does_its_stand_in_nnlibs_search_read_as_rows():
    for name in ("grid_search", "random_search"):
        assert check_piece(name, store.rebuild(SOLUTIONS[name], name)) is None
    assert check_piece("grid_search", search_checks.reference_grid_search) is None
    assert check_piece("random_search", search_checks.reference_random_search) is None


def test_with_nothing_saved_nnlibs_searches_stand_in_and_a_saved_search_is_the_learners():
    library = my_library(quiet=True)
    assert library.random_search is search_checks.reference_random_search
    assert library.grid_search is search_checks.reference_grid_search
    feedback(nb08.q3, RANDOM_SEARCH)
    library = my_library(quiet=True)
    assert library.random_search.__code__.co_filename == str(store.folder() / "random_search.py")
    assert "random_search" in library.yours and "grid_search" in library.stand_ins


@pytest.mark.parametrize("old, new, expected", [
    ("model.data_loss(X_val, y_val)", "model.data_loss(X_train, y_train)", "you recorded the loss on the training set"),
    ("model.data_loss(X_val, y_val)", "model.score(X_val, y_val)", "you recorded the validation accuracy"),
    ("model.data_loss(X_val, y_val)", "model.data_loss(X_val[:2], y_val[:2])", "your validation losses differ"),
    ("val_loss = np.inf if model.history_.diverged else ", "val_loss = ", "diverged must count as infinitely bad"),
    ("best = min(", "best = max(", "the *highest* validation loss"),
    ("best = min(rows, key=lambda row: row[1])", "best = rows[-1]", "best is simply the last row"),
    ("return rows, best", "return best", "rows should be a list of pairs"),
    ("return rows, best", "return rows", "return two things"),
    ("return rows, best", "return sorted(rows, key=lambda row: row[1]), best", "not in the order tried"),
    ("model = make_model(**hyperparameters).fit(X_train, y_train)",
     "model = model if rows else make_model(**hyperparameters)\n        model.fit(X_train, y_train)",
     "you trained one model in several trials"),
    ("for setting in settings for value in values", "for value in values for setting in settings",
     "your combinations are nnlib's in another order"),
    ("    settings = [{}]\n    for name, values in grid.items():                 # every combination; the last name "
     "changes fastest\n        settings = [{**setting, name: value} for setting in settings for value in values]\n",
     "    settings = [dict(zip(grid, values)) for values in zip(*grid.values())]\n", "zip pairs the lists"),
    ("for value in values]", "for value in values[1:]]", "a grid tries every combination of the listed values"),
])
def test_08_1_names_each_typical_grid_search_mistake_and_marks_the_piece_failed(old, new, expected):
    assert old in GRID_SEARCH
    status, message = feedback(nb08.q1, GRID_SEARCH.replace(old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("grid_search")[0] == f"failed: {message}"


def test_08_1_grid_searches_written_differently_are_accepted_and_saved():
    nested = GRID_SEARCH.replace(
        "    settings = [{}]\n", "    import itertools\n").replace(
        "    for name, values in grid.items():                 # every combination; the last name changes fastest\n"
        "        settings = [{**setting, name: value} for setting in settings for value in values]\n", "").replace(
        "for hyperparameters in settings:", "for values in itertools.product(*grid.values()):\n"
                                            "        hyperparameters = dict(zip(grid, values))")
    looped = GRID_SEARCH.replace("best = min(rows, key=lambda row: row[1])",
                                 "best = rows[0]\n    for row in rows:\n        if row[1] < best[1]:\n"
                                 "            best = row").replace("np.inf", "float('inf')")
    for code in (nested, looped):
        assert code != GRID_SEARCH and feedback(nb08.q1, code)[0] == "correct", feedback(nb08.q1, code)
        assert store.read("grid_search")[0] == "passed"


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
def test_08_3_names_each_typical_random_search_mistake_and_marks_the_piece_failed(old, new, expected):
    assert old in RANDOM_SEARCH
    status, message = feedback(nb08.q3, RANDOM_SEARCH.replace(old, new))
    assert status == "wrong" and expected in message, message
    assert store.read("random_search")[0] == f"failed: {message}"


def test_08_3_drawing_one_hyperparameter_for_all_trials_and_choosing_on_the_training_set_are_named():
    by_name = RANDOM_SEARCH.replace(
        "    for _ in range(n_trials):\n        hyperparameters = {}\n", "    drawn = {}\n").replace(
        "        for name, values in space.items():",
        "    for name, values in space.items():\n      drawn[name] = []\n      for _ in range(n_trials):").replace(
        "            hyperparameters[name] = value\n", "            drawn[name].append(value)\n"
                                                      "    for trial in range(n_trials):\n"
                                                      "        hyperparameters = {name: drawn[name][trial] for name in "
                                                      "space}\n")
    assert "drew all the trials' values of one hyperparameter" in feedback(nb08.q3, by_name)[1]
    on_training = RANDOM_SEARCH.replace(
        "    best = min(rows, key=lambda row: row[1])",
        "    train = [make_model(**settings).fit(X_train, y_train).data_loss(X_train, y_train)\n"
        "             for settings, _ in rows]\n"
        "    best = rows[int(np.argmin(train))]")
    assert "the lowest *training* loss" in feedback(nb08.q3, on_training)[1]


def test_08_3_random_searches_written_differently_are_accepted_and_saved():
    """Draws equal to nnlib's up to rounding, written otherwise: natural logarithms, endpoint=True, numpy integers,
    options found by what they hold rather than by the type's name."""
    variants = [RANDOM_SEARCH.replace(LOG_DRAW, "np.exp(rng.uniform(np.log(values.low), np.log(values.high)))"),
                RANDOM_SEARCH.replace(INT_DRAW, "rng.integers(values.low, values.high, endpoint=True)"),
                RANDOM_SEARCH.replace('options = values.options if kind == "Choice" else values',
                                      'options = getattr(values, "options", values)')]
    for code in variants:
        assert code != RANDOM_SEARCH and feedback(nb08.q3, code)[0] == "correct", feedback(nb08.q3, code)
        assert store.read("random_search")[0] == "passed"


def test_08_3_states_the_exact_draws_nnlib_makes():
    """Other correct draws (the floor of a uniform, 10 ** (-3 U), rng.choice) give other trials: the prompt says
    which draws reproduce nnlib's."""
    for draw in ("np.log10(values.low)", INT_DRAW, "options[int(rng.integers(len(options)))]", "space.items()"):
        assert draw in nb08.q3.placeholder


def test_a_search_piece_that_differs_from_nnlibs_is_told_where():
    wrong = RANDOM_SEARCH.replace("np.inf if model.history_.diverged else ", "")
    problem = check_piece("random_search", define(wrong)["random_search"])
    assert problem.startswith("the validation loss of row 3 should be inf (nnlib's), not ")
    assert check_piece("grid_search", define(GRID_SEARCH.replace("return rows, best", "return rows"))["grid_search"]) \
        == "return two things: the rows and the best row (return rows, best)."


def test_notebook_08_calls_nnlibs_searches_as_tune_so_that_the_learners_own_never_stand_in_for_them():
    """The learner defines grid_search and random_search in the notebook: every other call goes to tune.*."""
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "code" and re.search(r"(?<![\w.])(grid|random)_search\(", cell.source):
            assert cell.source.startswith(("# Exercise 08.", "if q1.is_correct(grid_search):",
                                           "if q3.is_correct(random_search):")), cell.source


def test_first_loss_exercise_matches_nnlib_and_names_each_mistake():
    X = np.random.default_rng(0).normal(size=(300, 64))
    y = np.arange(300) % 10
    fresh = nnlib.MLP(hidden_layers=(32,), init="normal", seed=0).build(n_features=64, n_outputs=10)
    assert abs(fresh.data_loss(X, y) - np.log(10)) < 0.01, "the exercise's answer is what nnlib measures"
    q5 = nb08.q5
    assert q5.feedback(np.log(10))[0] == "correct"
    assert "two classes" in q5.feedback(np.log(2))[1]
    assert "minus its logarithm" in q5.feedback(0.1)[1]
    assert "np.log10" in q5.feedback(1.0)[1]
    assert "number of classes" in q5.feedback(10)[1]
    assert "one number" in q5.feedback("2.3")[1]
