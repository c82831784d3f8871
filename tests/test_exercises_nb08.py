"""Notebook 08's exercises: solutions pass (grid_search saved to the learner's library), typical mistakes get specific
feedback (a wrong piece is marked failed), blanks do not crash; the learner's searches (grid_search here, random_search
from notebook 08b) try nnlib's trials and choose as nnlib does, and notebooks 08 and 08b call nnlib's own searches as
tune.*."""
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
from nnlib.exercises import nb08, nb08b
from nnlib.exercises.pieces import SOLUTIONS
from nnlib.learner import my_library, search_checks, store
from nnlib.learner.pieces import check_piece
from nnlib.tune import Choice, IntUniform, LogUniform

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


@pytest.mark.parametrize("exercise", [nb08.q1, nb08.q2, nb08b.q1, nb08b.q2, nb08b.q3], ids=lambda e: e.id)
def test_solution_is_correct_its_pieces_are_saved_and_placeholder_is_unanswered(exercise):
    pieces = list(getattr(exercise, "pieces", {}).values())
    saved = f" Saved to your library (my_nnlib): {', '.join(pieces)}." if pieces else ""
    assert feedback(exercise, exercise.solution_code) == ("correct", "Correct!" + saved)
    assert [store.read(piece)[0] for piece in pieces] == ["passed"] * len(pieces)
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


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


GRID_SEARCH, RANDOM_SEARCH = nb08.q1.solution_code, nb08b.q1.solution_code


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
    lowest validation loss, and neither is the last or the highest row; the grid's lowest loss is tied by a later row
    (the random search's is not): each slip of the choice shows, the later of equal losses too."""
    extra = {} if name == "grid_search" else {"n_trials": search_checks.N_TRIALS, "seed": search_checks.SEED}
    results = search(search_checks.ToyModel, *arguments, *search_checks.search_data(), progress=False, **extra)
    losses, diverged = results.column("val_loss"), results.column("diverged")
    assert 0 < diverged.sum() < len(results) and not diverged[np.argmin(losses)]
    lowest = np.flatnonzero(losses == losses.min())
    rows = {*lowest.tolist(), int(np.argmin(results.column("train_loss"))), int(np.argmax(losses)), len(results) - 1}
    assert len(lowest) == (2 if name == "grid_search" else 1) and len(rows) == len(lowest) + 3
    assert len(set(losses.tolist())) == len(losses) - diverged.sum() + 1 - (len(lowest) - 1), "no other ties"


def test_each_piece_passes_its_check_and_so_does_its_stand_in_nnlibs_search_read_as_rows():
    for name in ("grid_search", "random_search"):
        assert check_piece(name, store.rebuild(SOLUTIONS[name], name)) is None
    assert check_piece("grid_search", search_checks.reference_grid_search) is None
    assert check_piece("random_search", search_checks.reference_random_search) is None


def test_with_nothing_saved_nnlibs_searches_stand_in_and_a_saved_search_is_the_learners():
    library = my_library(quiet=True)
    assert library.random_search is search_checks.reference_random_search
    assert library.grid_search is search_checks.reference_grid_search
    feedback(nb08b.q1, RANDOM_SEARCH)
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


# Wrong grid searches written whole, as learners write them (not the solution edited): the words that name each slip.
LEARNERS_GRID_SEARCHES = {
    "the training set's loss": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    import itertools
    rows = []
    for values in itertools.product(*grid.values()):
        hyperparameters = dict(zip(grid.keys(), values))
        model = make_model(**hyperparameters)
        model.fit(X_train, y_train)
        if model.history_.diverged:
            loss = np.inf
        else:
            loss = model.data_loss(X_train, y_train)
        rows.append((hyperparameters, loss))
    return rows, min(rows, key=lambda r: r[1])
''', ["you recorded the loss on the training set", "model.data_loss(X_val, y_val)"]),
    "one model, its hyperparameters set in each trial": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    import itertools
    combos = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    model = make_model(**combos[0])
    rows = []
    for hp in combos:
        for name, value in hp.items():
            setattr(model, name, value)
        model.fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["you trained one model in several trials", "make a fresh one in every trial"]),
    "the highest loss kept": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    combos = [{}]
    for name in grid:
        combos = [dict(c, **{name: v}) for c in combos for v in grid[name]]
    rows = []
    for hp in combos:
        m = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if m.history_.diverged else m.data_loss(X_val, y_val)))
    best = rows[0]
    for row in rows:
        if row[1] > best[1]:
            best = row
    return rows, best
''', ["the *highest* validation loss", "better when it is lower"]),
    "the first name changing fastest": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    import itertools
    names = list(grid)[::-1]
    rows = []
    for values in itertools.product(*[grid[n] for n in names]):
        hp = {n: dict(zip(names, values))[n] for n in grid}
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["your combinations are nnlib's in another order", "the first name in the outermost loop"]),
    "two loops, the last name outside": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    (name1, values1), (name2, values2) = grid.items()
    rows = []
    for v2 in values2:
        for v1 in values1:
            hp = {name1: v1, name2: v2}
            model = make_model(**hp).fit(X_train, y_train)
            rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["your combinations are nnlib's in another order", "changes the last name fastest"]),
    "only the best returned": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    import itertools
    best, best_loss = None, np.inf
    for values in itertools.product(*grid.values()):
        hp = dict(zip(grid, values))
        model = make_model(**hp).fit(X_train, y_train)
        loss = np.inf if model.history_.diverged else model.data_loss(X_val, y_val)
        if loss < best_loss:
            best, best_loss = hp, loss
    return best, best_loss
''', ["rows should be a list of pairs (hyperparameters, val_loss)", "best is one of them"]),
    "ties broken by the last": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    import itertools
    rows, best = [], None
    for values in itertools.product(*grid.values()):
        hp = dict(zip(grid, values))
        model = make_model(**hp).fit(X_train, y_train)
        loss = np.inf if model.history_.diverged else model.data_loss(X_val, y_val)
        rows.append((hp, loss))
        if best is None or loss <= best[1]:
            best = (hp, loss)
    return rows, best
''', ["a later row of the same lowest validation loss", "keep the first", "<, not <="]),
    "a diverged run's loss kept": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    import itertools
    rows = []
    for values in itertools.product(*grid.values()):
        hp = dict(zip(grid, values))
        rows.append((hp, make_model(**hp).fit(X_train, y_train).data_loss(X_val, y_val)))
    return rows, min(rows, key=lambda r: r[1])
''', ["diverged must count as infinitely bad", "np.inf if model.history_.diverged"]),
    "best as a position": ('''
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    import itertools
    rows = []
    for values in itertools.product(*grid.values()):
        hp = dict(zip(grid, values))
        model = make_model(**hp).fit(X_train, y_train)
        rows.append((hp, np.inf if model.history_.diverged else model.data_loss(X_val, y_val)))
    return rows, int(np.argmin([loss for _, loss in rows]))
''', ["best is one of them"]),
}


@pytest.mark.parametrize("slip", LEARNERS_GRID_SEARCHES)
def test_08_1_a_learners_wrong_grid_search_is_refused_with_its_slip_named_and_not_saved(slip):
    code, words = LEARNERS_GRID_SEARCHES[slip]
    status, message = feedback(nb08.q1, code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read("grid_search") == (f"failed: {message}", None)


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


def test_a_search_piece_that_differs_from_nnlibs_is_told_where():
    wrong = RANDOM_SEARCH.replace("np.inf if model.history_.diverged else ", "")
    problem = check_piece("random_search", define(wrong)["random_search"])
    assert problem.startswith("the validation loss of row 3 should be inf (nnlib's), not ")
    assert check_piece("grid_search", define(GRID_SEARCH.replace("return rows, best", "return rows"))["grid_search"]) \
        == "return two things: the rows and the best row (return rows, best)."


@pytest.mark.parametrize("name, own", [
    ("08_tuning_hyperparameters.ipynb", ("# Exercise 08.", "if q1.is_correct(grid_search):")),
    ("08b_random_search_and_the_workflow.ipynb", ("# Exercise 08b.", "if q1.is_correct(random_search):"))])
def test_notebooks_08_and_08b_call_nnlibs_searches_as_tune_so_that_the_learners_own_never_stand_in(name, own):
    """The learner defines grid_search (08) and random_search (08b) in the notebook: every other call goes to tune.*."""
    for cell in nbformat.read(NOTEBOOK_DIR / name, as_version=4).cells:
        if cell.cell_type == "code" and re.search(r"(?<![\w.])(grid|random)_search\(", cell.source):
            assert cell.source.startswith(own), cell.source
