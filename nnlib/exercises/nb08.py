"""Exercises for notebook 08 (tuning hyperparameters): a grid search written by hand, which joins the learner's
library (``nnlib.learner.search_checks``); log-uniform draws. Notebook 08b's random search is checked here too.

The searches run on a model that trains in no time (``search_checks.ToyModel``), beside ``nnlib.tune``'s with the same
grid, space and seed. Where they differ, the checker names the typical slip: a model reused across trials, the loss
of the training set, a diverged run not counted as infinitely bad, the highest loss chosen or the later of equal ones,
a grid in another order, draws from numpy's global generator or that are not nnlib's (``nb08b.DRAW_SLIPS``); else the
piece's own check says what differs.
"""
import itertools
import numbers

import numpy as np

from .. import tune
from ..learner.recorders import ModelMaker
from ..learner.search_checks import (
    GRID,
    N_TRIALS,
    SEED,
    SPACE,
    ToyModel,
    as_rows,
    same_settings,
    same_value,
    search_data,
)
from .framework import Exercise, call, relative_difference
from .pieces import SOLUTIONS, PieceExercise


# --- 08.1 and 08b.1: the searches, checked together ---------------------------------------
def check_search(kind, search, settings_problem):
    """Feedback on your grid_search (``kind`` "grid") or random_search ("random") run on ToyModel beside nnlib's:
    the typical slip it makes, or None when it tries nnlib's trials and chooses as nnlib does. settings_problem(
    settings, expected) words hyperparameters that are not nnlib's (``_grid_problem``, ``nb08b._draw_problem``)."""
    if not callable(search):
        return f"{kind}_search should be the function you defined: def {kind}_search(make_model, ...): ..."
    make_model = ModelMaker()  # each model made is kept, to see how the search used it
    data, before = search_data(), np.random.get_state()  # draws from np.random.* change numpy's global state
    if kind == "grid":
        answer, results = call(search, make_model, GRID, *data), tune.grid_search(ToyModel, GRID, *data, progress=False)
    else:
        answer = call(search, make_model, SPACE, *data, n_trials=N_TRIALS, seed=SEED)
        results = tune.random_search(ToyModel, SPACE, *data, n_trials=N_TRIALS, seed=SEED, progress=False)
    after = np.random.get_state()
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "return two things: the rows and the best row (return rows, best)."
    rows, best = answer
    if not isinstance(rows, (list, tuple)) or not all(
            isinstance(row, (tuple, list)) and len(row) == 2 and isinstance(row[0], dict)
            and isinstance(row[1], numbers.Real) for row in [*rows, best]):
        return ("rows should be a list of pairs (hyperparameters, val_loss): a dict {name: value} and a number; best "
                "is one of them.")
    if len(make_model.models) < len(rows) or any(model.fits > 1 for model in make_model.models):
        return ("you trained one model in several trials: make a fresh one in every trial, "
                "make_model(**hyperparameters), so that each trial trains with its own hyperparameters from its own "
                "starting point.")
    settings = [row[0] for row in rows]
    expected = [hyperparameters for hyperparameters, _ in as_rows(results)[0]]
    if not same_settings(settings, expected):
        if after[2] != before[2] or not np.array_equal(after[1], before[1]):
            return ("you drew from numpy's global generator (np.random.seed, np.random.uniform, ...), which nnlib "
                    "never uses: make rng = np.random.default_rng(seed) once and draw from it (rng.uniform, ...).")
        return settings_problem(settings, expected)
    return _loss_problem(np.array([row[1] for row in rows], dtype=float), results) or _best_problem(rows, best, results)


def order_problem(settings, expected):
    """What to say when the rows are nnlib's trials in another order (sorted?), else None."""
    def found(setting, among):
        return any(same_settings([setting], [other]) for other in among)

    if len(settings) == len(expected) and all(found(s, expected) for s in settings) and all(
            found(e, settings) for e in expected):
        return ("your rows are nnlib's trials, but not in the order tried (sorted?): keep them in the order tried, "
                "as nnlib's table does, and pick best from them.")
    return None


def _loss_problem(losses, results):
    """What to say when the validation losses are not nnlib's, else None."""
    expected, kept = results.column("val_loss"), ~results.column("diverged")
    if relative_difference(losses, expected) <= 1e-9:
        return None
    if relative_difference(losses[kept], results.column("train_loss")[kept]) <= 1e-9:
        return ("you recorded the loss on the training set: the parameters are fitted there, so it rewards "
                "whatever fits the training data best. Compare the hyperparameters on the validation set: "
                "model.data_loss(X_val, y_val).")
    if relative_difference(losses[kept], results.column("val_score")[kept]) <= 1e-9:
        return ("you recorded the validation accuracy (model.score); a search ranks the trials by the validation "
                "*loss*, model.data_loss(X_val, y_val), which still tells apart models of equal accuracy.")
    if relative_difference(losses[kept], expected[kept]) <= 1e-9:
        return ("a trial whose training diverged must count as infinitely bad, so that it is never chosen: nnlib puts "
                "its starting parameters back (notebook 02), so its loss looks ordinary. Write val_loss = np.inf if "
                "model.history_.diverged else model.data_loss(X_val, y_val).")
    return ("the hyperparameters are right, but your validation losses differ from nnlib's: fit "
            "make_model(**hyperparameters) on X_train, y_train, then measure model.data_loss(X_val, y_val).")


def _best_problem(rows, best, results):
    """What to say when best is not the row with the lowest validation loss, else None."""
    chosen = [i for i, row in enumerate(rows)
              if row is best or (same_settings([row[0]], [best[0]]) and same_value(row[1], best[1]))]
    losses = results.column("val_loss")
    if int(np.argmin(losses)) in chosen:
        return None
    if same_value(best[1], losses.min()):
        return ("best is a later row of the same lowest validation loss: of equal losses keep the first, as min does "
                "(in a loop, replace best only when a loss is lower: <, not <=).")
    if int(np.argmax(losses)) in chosen:
        return "best is the row with the *highest* validation loss: a loss is better when it is lower."
    if int(np.argmin(results.column("train_loss"))) in chosen:
        return ("best is the row with the lowest *training* loss: choose on the validation set, where the "
                "hyperparameters are compared.")
    if len(rows) - 1 in chosen:
        return "best is simply the last row: keep the one with the lowest validation loss, min(rows, key=...)."
    return "best should be the row (one of your rows) with the lowest validation loss."


# --- 08.1 -----------------------------------------------------------------------------
def _grid_problem(settings, expected):
    """What to say about a grid's combinations that are not nnlib's (``expected``)."""
    names, sizes = list(GRID), " x ".join(str(len(values)) for values in GRID.values())
    if same_settings(settings, [dict(zip(names, values)) for values in zip(*GRID.values())]):
        return f"zip pairs the lists value by value; a grid tries every combination ({sizes} here)."
    if same_settings(settings, [dict(zip(names[::-1], values))
                                for values in itertools.product(*[GRID[name] for name in names[::-1]])]):
        return ("your combinations are nnlib's in another order: nnlib's grid changes the last name fastest, as "
                "loops nested in the grid's order do (the first name in the outermost loop).")
    return order_problem(settings, expected) or (f"a grid tries every combination of the listed values once "
                                                 f"({sizes} here), the first name in the outermost loop and the "
                                                 "last changing fastest.")


q1 = PieceExercise(
    id="08.1",
    title="a grid search, by hand",
    answers=("grid_search",),
    placeholder='''
# Exercise 08.1: a grid search, by hand
# grid maps each hyperparameter's name to a list of values, e.g. {"learning_rate": [0.01, 0.1, 1],
# "hidden_layers": [(2,), (8,)]}. Try every combination in nnlib's order: the first name in the outermost loop,
# the last changing fastest. For each, fit a fresh model, make_model(**hyperparameters), on the training set
# and measure its validation loss, model.data_loss(X_val, y_val) -- or np.inf if its training diverged
# (model.history_.diverged, notebook 02), so that it is never chosen. Return rows, a list with one row
# (hyperparameters, val_loss) per combination in that order, and best, the row with the lowest validation loss.
def grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    ...
''',
    solution="# Exercise 08.1: a grid search, by hand\n" + SOLUTIONS["grid_search"],
    checker=lambda grid_search: check_search("grid", grid_search, _grid_problem),
    hints=["List the combinations first: start from settings = [{}], and for each name replace settings by every "
           "setting so far extended by each of its values, [{**setting, name: value} for setting in settings for "
           "value in values]. (Or, inside the function, import itertools and use itertools.product.)",
           "Then for each combination: model = make_model(**hyperparameters).fit(X_train, y_train), its val_loss, "
           "rows.append((hyperparameters, val_loss)). Finally best = min(rows, key=lambda row: row[1])."],
    points=2,
    pieces={"grid_search": "grid_search"},
)

# --- 08.2 --------------------------------------------------------------------------------
_LOW, _HIGH, _N = 1e-4, 1.0, 5


def _check_rates(rates):
    try:
        rates = np.asarray(rates, dtype=float).ravel()
    except (TypeError, ValueError):
        return "rates should be 5 numbers (a list or a numpy array)."
    if rates.size != _N:
        return f"draw exactly {_N} learning rates; you have {rates.size}."
    uniform = np.random.default_rng(0).random(_N)  # the 5 numbers in [0, 1) behind any draw from the rng

    def drawn_as(values):  # the same draws, in any order
        return relative_difference(np.sort(rates), np.sort(values)) < 1e-9

    # log-uniform: the exponent is uniform between -4 and 0, whichever end it is counted from
    # (10 ** rng.uniform(-4, 0), np.exp(rng.uniform(np.log(1e-4), 0)), 10 ** (-4 * rng.random()), 1e-4 ** rng.random())
    if drawn_as(10 ** (-4 + 4 * uniform)) or drawn_as(10 ** (-4 * uniform)):
        return None
    if drawn_as(_LOW + (_HIGH - _LOW) * uniform):
        return ("those are uniform between 0.0001 and 1: almost all land above 0.1, and the small learning rates "
                "are never tried. Draw the *exponent* uniformly instead: 10 ** rng.uniform(-4, 0, size=5).")
    if drawn_as(np.exp(-4 + 4 * uniform)):
        return "np.exp(-4) is about 0.018, not 0.0001: raise 10 to the exponent, 10 ** rng.uniform(-4, 0, ...)."
    if drawn_as(10 ** (_LOW + (_HIGH - _LOW) * uniform)):
        return "the exponent goes from -4 to 0 (10**-4 = 0.0001, 10**0 = 1), not from 0.0001 to 1."
    if drawn_as(np.logspace(-4, 0, _N)):
        return "np.logspace gives evenly spaced values, a grid; a random search draws them at random with rng."
    if np.all((rates >= _LOW) & (rates <= _HIGH)):
        return ("the values are in range but not draws of this rng: create rng = np.random.default_rng(0) once and "
                "take the 5 draws from it and nothing else, e.g. 10 ** rng.uniform(-4, 0, size=5).")
    return f"every learning rate must lie between {_LOW:g} and {_HIGH:g}; draw exponents between -4 and 0."


q2 = Exercise(
    id="08.2",
    title="log-uniform by hand",
    answers=("rates",),
    placeholder='''
# Exercise 08.2: log-uniform by hand
# Draw 5 learning rates between 0.0001 and 1 so that every factor of 10 is equally likely
# (what LogUniform(0.0001, 1) does). Take the 5 draws from this random number generator, and nothing else:
rng = np.random.default_rng(0)
rates = ...
''',
    solution='''
# Exercise 08.2: log-uniform by hand
rng = np.random.default_rng(0)
rates = 10 ** rng.uniform(-4, 0, size=5)
''',
    checker=_check_rates,
    hints=["0.0001 = 10**-4 and 1 = 10**0: draw the exponent, not the rate.",
           "rng.uniform(-4, 0, size=5) gives 5 exponents; then raise 10 to them."],
    points=1,
)
