"""Exercises for notebook 08b (random search and the workflow), the second part of notebook 08: a random search
written by hand, which joins the learner's library (``nnlib.learner.search_checks``) beside notebook 08's grid search;
a search's budget, the first loss.

The random search is checked as the grid search is (``nb08.check_search``: on ``search_checks.ToyModel`` beside
``nnlib.tune.random_search`` with the same space and seed); draws that are not nnlib's are named by ``DRAW_SLIPS``.
"""
import itertools

import numpy as np

from .. import tune
from ..learner.search_checks import N_TRIALS, SEED, SPACE, same_settings
from .framework import Exercise, relative_difference
from .nb08 import check_search, order_problem
from .pieces import SOLUTIONS, PieceExercise

# --- 08b.1 ----------------------------------------------------------------------------
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
    if problem := order_problem(settings, expected):
        return problem
    for slip, (_, _, message) in DRAW_SLIPS.items():
        if same_settings(settings, _draws(slip)):
            return message
    if any(same_settings(settings, _draws(order=order)) for order in itertools.permutations(SPACE)):
        return ("you drew a trial's hyperparameters in another order than the space lists them: nnlib draws them in "
                "the space's order (for name, values in space.items()), so the same seed gives the same trials.")
    return ("your draws are not nnlib's: make rng = np.random.default_rng(seed) once, then in each trial draw every "
            "hyperparameter, in the space's order, as the exercise says.")


q1 = PieceExercise(
    id="08b.1",
    title="a random search, by hand",
    answers=("random_search",),
    placeholder='''
# Exercise 08b.1: a random search, by hand
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
    solution="# Exercise 08b.1: a random search, by hand\n" + SOLUTIONS["random_search"],
    checker=lambda random_search: check_search("random", random_search, _draw_problem),
    hints=["Your grid_search with its settings drawn instead of listed: rng = np.random.default_rng(seed) before the "
           "loop; in each trial hyperparameters = {}, then for name, values in space.items(): kind = "
           "type(values).__name__, draw a value by its kind, hyperparameters[name] = value.",
           "LogUniform: 10 ** rng.uniform(np.log10(values.low), np.log10(values.high)). A Choice keeps its list in "
           "values.options: options = values.options if kind == \"Choice\" else values."],
    points=2,
    pieces={"random_search": "random_search"},
)


# --- 08b.2 -------------------------------------------------------------------------------
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


q2 = Exercise(
    id="08b.2",
    title="the same budget",
    answers=("n_grid_runs", "grid_learning_rates", "random_learning_rates"),
    placeholder='''
# Exercise 08b.2: the same budget
# grid = {"learning_rate": [0.001, 0.01, 0.1, 1], "l2": [0, 1e-4, 1e-2], "hidden_layers": [(8,), (16, 16)]}
# How many models does grid_search(make_model, grid, ...) fit? How many different learning rates does it try?
# A random search with the same budget (n_trials = the number of grid runs, learning_rate=LogUniform(0.001, 1)):
# how many different learning rates does it try?
n_grid_runs = ...
grid_learning_rates = ...
random_learning_rates = ...
''',
    solution='''
# Exercise 08b.2: the same budget
n_grid_runs = 4 * 3 * 2
grid_learning_rates = 4
random_learning_rates = n_grid_runs
''',
    checker=_check_budget,
    hints=["A grid fits one model for every combination of the listed values.",
           "A random search draws all hyperparameters anew for each trial."],
    points=1,
)

# --- 08b.3 ----------------------------------------------------------------------------
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


q3 = Exercise(
    id="08b.3",
    title="the first loss of a fresh network",
    answers=("initial_loss",),
    placeholder='''
# Exercise 08b.3: the first loss of a fresh network
# A network for the 8x8 digits (10 classes) starts with small random weights (init="normal").
# What softmax cross-entropy do you expect on the training data before any training?
initial_loss = ...
''',
    solution='''
# Exercise 08b.3: the first loss of a fresh network
initial_loss = np.log(10)  # every class gets probability 1/10: -log(1/10)
''',
    checker=_check_initial_loss,
    hints=["Small weights make every score about 0. What probability does softmax give each class then?",
           "Each of the 10 classes gets 1/10, so the loss of every sample is -log(1/10)."],
)
