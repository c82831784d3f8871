"""Exercises for notebook 08 (tuning hyperparameters): a grid search and a random search written by hand, which join
the learner's library (``nnlib.learner.search_checks``); log-uniform draws, a search's budget, the first loss.

The searches run on a model that trains in no time (``search_checks.ToyModel``), beside ``nnlib.tune``'s with the same
grid, space and seed. Where they differ, the checker names the typical slip: a model reused across trials, the loss
of the training set, a diverged run not counted as infinitely bad, the highest loss chosen, a grid in another order,
draws that are not nnlib's (``DRAW_SLIPS``); else the piece's own check says what differs.
"""
import itertools
import numbers

import numpy as np

from .. import tune
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
from .checks import Exercise, call, relative_difference
from .pieces import SOLUTIONS, PieceExercise


# --- 08.1 and 08.3: the searches, checked together ----------------------------------------
def _check_search(kind, search):
    """Feedback on your grid_search (``kind`` "grid") or random_search ("random") run on ToyModel beside nnlib's:
    the typical slip it makes, or None when it tries nnlib's trials and chooses as nnlib does."""
    if not callable(search):
        return f"{kind}_search should be the function you defined: def {kind}_search(make_model, ...): ..."
    models = []

    def make_model(**hyperparameters):  # each model made is kept, to see how the search used it
        models.append(ToyModel(**hyperparameters))
        return models[-1]

    data = search_data()
    if kind == "grid":
        answer, results = call(search, make_model, GRID, *data), tune.grid_search(ToyModel, GRID, *data, progress=False)
    else:
        answer = call(search, make_model, SPACE, *data, n_trials=N_TRIALS, seed=SEED)
        results = tune.random_search(ToyModel, SPACE, *data, n_trials=N_TRIALS, seed=SEED, progress=False)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "return two things: the rows and the best row (return rows, best)."
    rows, best = answer
    if not isinstance(rows, (list, tuple)) or not all(
            isinstance(row, (tuple, list)) and len(row) == 2 and isinstance(row[0], dict)
            and isinstance(row[1], numbers.Real) for row in [*rows, best]):
        return ("rows should be a list of pairs (hyperparameters, val_loss): a dict {name: value} and a number; best "
                "is one of them.")
    if len(models) < len(rows) or any(model.fits > 1 for model in models):
        return ("you trained one model in several trials: make a fresh one in every trial, "
                "make_model(**hyperparameters), so that each trial trains with its own hyperparameters from its own "
                "starting point.")
    settings = [row[0] for row in rows]
    expected = [hyperparameters for hyperparameters, _ in as_rows(results)[0]]
    if not same_settings(settings, expected):
        return (_grid_problem if kind == "grid" else _draw_problem)(settings, expected)
    return _loss_problem(np.array([row[1] for row in rows], dtype=float), results) or _best_problem(rows, best, results)


def _order_problem(settings, expected):
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
    return _order_problem(settings, expected) or (f"a grid tries every combination of the listed values once "
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
    checker=lambda grid_search: _check_search("grid", grid_search),
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


# --- 08.3 -----------------------------------------------------------------------------
DRAW_SLIPS = {  # slip: (the kind of range it draws otherwise, how, what it means); no kind: a slip of the generator
    "uniform": ("LogUniform", lambda values, rng: rng.uniform(values.low, values.high),
                "your LogUniform draws are uniform between low and high: from LogUniform(0.001, 1) nine in ten land "
                "above 0.1 and the small rates are hardly tried. Draw the *exponent* uniformly: "
                "10 ** rng.uniform(np.log10(values.low), np.log10(values.high))."),
    "exp": ("LogUniform", lambda values, rng: np.exp(rng.uniform(np.log10(values.low), np.log10(values.high))),
            "np.exp(-3) is about 0.05, not 0.001: np.exp undoes np.log, 10 ** undoes np.log10. Raise 10 to an "
            "exponent drawn between np.log10(values.low) and np.log10(values.high)."),
    "exponent range": ("LogUniform", lambda values, rng: 10 ** rng.uniform(values.low, values.high),
                       "the exponent goes from np.log10(values.low) to np.log10(values.high) (from -3 to 0 for "
                       "LogUniform(0.001, 1)), not from low to high."),
    "exponent counted down": ("LogUniform",
                              lambda values, rng: values.high * (values.low / values.high) ** rng.random(),
                              "counting the exponent down from the top, as 10 ** (-3 * rng.random()) does, is "
                              "log-uniform too, but it is not the draw nnlib makes, so the same seed gives other "
                              "learning rates. Draw 10 ** rng.uniform(np.log10(values.low), np.log10(values.high)), "
                              "as the exercise says."),
    "floor of a uniform": ("IntUniform", lambda values, rng: int(np.floor(rng.uniform(values.low, values.high + 1))),
                           "rounding rng.uniform(low, high + 1) down gives every whole number from low to high "
                           "equally often too, but it is not the draw nnlib makes (it uses the random numbers "
                           "differently), so the same seed gives other trials. Draw int(rng.integers(values.low, "
                           "values.high + 1)), as the exercise says."),
    "upper end left out": ("IntUniform", lambda values, rng: int(rng.integers(values.low, values.high)),
                           "rng.integers(low, high) never draws high: its upper end is left out. IntUniform(2, 16) "
                           "includes 16: int(rng.integers(values.low, values.high + 1))."),
    "one name at a time": (None, None, "you drew all the trials' values of one hyperparameter, then the next's: nnlib "
                                       "draws trial by trial (every hyperparameter of a trial, in the space's order, "
                                       "then the next trial's), so the same seed gives different trials."),
    "new generator every trial": (None, None, "every trial drew the same values: make rng = "
                                              "np.random.default_rng(seed) once, before the loop, so that each trial "
                                              "continues the random sequence."),
}


def _draws(slip=None, order=tuple(SPACE)):
    """The settings nnlib draws from SPACE (N_TRIALS trials, SEED), the names drawn in ``order``; or with ``slip``."""
    kind, wrong, _ = DRAW_SLIPS.get(slip, (None, None, None))
    rng = np.random.default_rng(SEED)

    def draw(name):
        values = SPACE[name] if hasattr(SPACE[name], "sample") else tune.Choice(SPACE[name])
        return wrong(values, rng) if type(values).__name__ == kind else values.sample(rng)

    if slip == "one name at a time":
        columns = {name: [draw(name) for _ in range(N_TRIALS)] for name in order}
        return [{name: columns[name][trial] for name in order} for trial in range(N_TRIALS)]
    settings = []
    for _ in range(N_TRIALS):
        if slip == "new generator every trial":
            rng = np.random.default_rng(SEED)
        settings.append({name: draw(name) for name in order})
    return settings


def _draw_problem(settings, expected):
    """What to say about random draws that are not nnlib's (``expected``)."""
    if len(settings) != len(expected):
        return f"rows should hold one row per trial: {len(expected)} for n_trials={len(expected)}, not {len(settings)}."
    if any(isinstance(value, np.ndarray) for setting in settings for value in setting.values()):
        return ("some of your values are numpy arrays, not options of the Choice: rng.choice turns a list of options "
                "such as (8,) into an array. Draw the option's position: options[int(rng.integers(len(options)))].")
    if problem := _order_problem(settings, expected):
        return problem
    for slip, (_, _, message) in DRAW_SLIPS.items():
        if same_settings(settings, _draws(slip)):
            return message
    if any(same_settings(settings, _draws(order=order)) for order in itertools.permutations(SPACE)):
        return ("you drew a trial's hyperparameters in another order than the space lists them: nnlib draws them in "
                "the space's order (for name, values in space.items()), so the same seed gives the same trials.")
    return ("your draws are not nnlib's: make rng = np.random.default_rng(seed) once, then in each trial draw every "
            "hyperparameter, in the space's order, as the exercise says.")


q3 = PieceExercise(
    id="08.3",
    title="a random search, by hand",
    answers=("random_search",),
    placeholder='''
# Exercise 08.3: a random search, by hand
# Draw the trials as nnlib does, so that the same seed gives the same trials: make rng = np.random.default_rng(seed)
# once; in each of n_trials trials draw every hyperparameter of space, in the space's order (for name, values in
# space.items()), by the kind of its values, type(values).__name__:
#   "LogUniform": log-uniform between values.low and values.high, as in 08.2: 10 ** (one rng.uniform draw of the
#                 exponent, between np.log10(values.low) and np.log10(values.high))
#   "IntUniform": int(rng.integers(values.low, values.high + 1))   (integers leaves out its upper end)
#   "Choice", or a plain list: options[int(rng.integers(len(options)))], where options is values.options for a
#                 Choice, the list itself otherwise (not rng.choice: it turns options such as (8,) into arrays)
# Then, as in your grid_search: fit a fresh make_model(**hyperparameters) on the training set, one row
# (hyperparameters, val_loss) per trial in the order drawn (np.inf if it diverged); return rows, best.
def random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    ...
''',
    solution="# Exercise 08.3: a random search, by hand\n" + SOLUTIONS["random_search"],
    checker=lambda random_search: _check_search("random", random_search),
    hints=["Your grid_search with its settings drawn instead of listed: rng = np.random.default_rng(seed) before the "
           "loop; in each trial hyperparameters = {}, then for name, values in space.items(): kind = "
           "type(values).__name__, draw a value by its kind, hyperparameters[name] = value.",
           "LogUniform: 10 ** rng.uniform(np.log10(values.low), np.log10(values.high)). A Choice keeps its list in "
           "values.options: options = values.options if kind == \"Choice\" else values."],
    points=2,
    pieces={"random_search": "random_search"},
)


# --- 08.4 --------------------------------------------------------------------------------
def _check_budget(n_grid_runs, grid_learning_rates, random_learning_rates):
    for name, value in (("n_grid_runs", n_grid_runs), ("grid_learning_rates", grid_learning_rates),
                        ("random_learning_rates", random_learning_rates)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            return f"{name} should be a whole number, got {value!r}."
    if n_grid_runs == 4 + 3 + 2:
        return "a grid tries every *combination*: multiply the numbers of values (4 x 3 x 2), don't add them."
    if n_grid_runs != 24:
        return "the grid has 4 learning rates x 3 L2 strengths x 2 architectures: how many combinations is that?"
    if grid_learning_rates == 24:
        return ("the grid runs 24 trials, but they repeat the same 4 learning rates (each with 6 combinations of "
                "the other hyperparameters).")
    if grid_learning_rates != 4:
        return "the grid only ever tries the learning rates in its list: how many are there?"
    if random_learning_rates == 4:
        return ("random search draws a new learning rate for every trial (from LogUniform, two draws are "
                "never equal): with the same budget it tries 24 different ones.")
    if random_learning_rates != 24:
        return "random search draws every hyperparameter afresh in each of its 24 trials."
    return None


q4 = Exercise(
    id="08.4",
    title="the same budget",
    answers=("n_grid_runs", "grid_learning_rates", "random_learning_rates"),
    placeholder='''
# Exercise 08.4: the same budget
# grid = {"learning_rate": [0.001, 0.01, 0.1, 1], "l2": [0, 1e-4, 1e-2], "hidden_layers": [(8,), (16, 16)]}
# How many models does grid_search(make_model, grid, ...) fit? How many different learning rates does it try?
# A random search with the same budget (n_trials = the number of grid runs, learning_rate=LogUniform(0.001, 1)):
# how many different learning rates does it try?
n_grid_runs = ...
grid_learning_rates = ...
random_learning_rates = ...
''',
    solution='''
# Exercise 08.4: the same budget
n_grid_runs = 4 * 3 * 2
grid_learning_rates = 4
random_learning_rates = n_grid_runs
''',
    checker=_check_budget,
    hints=["A grid fits one model for every combination of the listed values.",
           "A random search draws all hyperparameters anew for each trial."],
    points=1,
)

# --- 08.5 -----------------------------------------------------------------------------
def _check_initial_loss(initial_loss):
    if not isinstance(initial_loss, (int, float, np.floating)):
        return "answer with one number: the cross-entropy you expect before any training."
    if relative_difference(initial_loss, np.log(10)) < 1e-3:
        return None
    if relative_difference(initial_loss, np.log(2)) < 1e-3:
        return "log 2 is the answer for two classes. The digits have ten: each gets probability 1/10."
    if relative_difference(initial_loss, 0.1) < 1e-3:
        return "0.1 is the probability of each class. The loss is minus its logarithm: -log(1/10)."
    if relative_difference(initial_loss, 1.0) < 1e-3:
        return "That is log10(10). Cross-entropy uses the natural logarithm: np.log, not np.log10."
    if relative_difference(initial_loss, 10.0) < 1e-3:
        return "10 is the number of classes K; the expected loss is log K (natural log)."
    return ("With small weights every score is about 0, softmax gives each of the K classes 1/K, and the loss is "
            "-log(1/K).")


q5 = Exercise(
    id="08.5",
    title="the first loss of a fresh network",
    answers=("initial_loss",),
    placeholder='''
# Exercise 08.5: the first loss of a fresh network
# A network for the 8x8 digits (10 classes) starts with small random weights (init="normal").
# What softmax cross-entropy do you expect on the training data before any training?
initial_loss = ...
''',
    solution='''
# Exercise 08.5: the first loss of a fresh network
initial_loss = np.log(10)  # every class gets probability 1/10: -log(1/10)
''',
    checker=_check_initial_loss,
    hints=["Small weights make every score about 0. What probability does softmax give each class then?",
           "Each of the 10 classes gets 1/10, so the loss of every sample is -log(1/10)."],
)
