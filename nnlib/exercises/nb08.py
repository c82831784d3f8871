"""Exercises for notebook 08 (tuning hyperparameters): a search's budget, log-uniform draws, a random search
written by hand (run side by side with ``nnlib.tune.random_search`` on fresh data), the first loss."""
import numpy as np

from ..datasets import make_moons
from ..models import MLP
from ..tune import IntUniform, LogUniform, random_search
from .checks import Exercise, Feedback, call, relative_difference


# --- 08.1 --------------------------------------------------------------------------------
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


q1 = Exercise(
    id="08.1",
    title="the same budget",
    answers=("n_grid_runs", "grid_learning_rates", "random_learning_rates"),
    placeholder='''
# Exercise 08.1: the same budget
# grid = {"learning_rate": [0.001, 0.01, 0.1, 1], "l2": [0, 1e-4, 1e-2], "hidden_layers": [(8,), (16, 16)]}
# How many models does grid_search(make_model, grid, ...) fit? How many different learning rates does it try?
# A random search with the same budget (n_trials = the number of grid runs, learning_rate=LogUniform(0.001, 1)):
# how many different learning rates does it try?
n_grid_runs = ...
grid_learning_rates = ...
random_learning_rates = ...
''',
    solution='''
# Exercise 08.1: the same budget
n_grid_runs = 4 * 3 * 2
grid_learning_rates = 4
random_learning_rates = n_grid_runs
''',
    checker=_check_budget,
    hints=["A grid fits one model for every combination of the listed values.",
           "A random search draws all hyperparameters anew for each trial."],
    points=1,
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
SEARCH_SPACE = {"learning_rate": LogUniform(0.001, 1), "units": IntUniform(2, 16)}


def _check_model(learning_rate, units):
    """The checker's small network: one hidden layer of ``units``, 15 epochs."""
    return MLP(hidden_layers=(units,), learning_rate=learning_rate, epochs=15, batch_size=32, seed=0)


def _draws(seed, n_trials, mistake=None):
    """(learning rates, units) as random_search draws them from SEARCH_SPACE -- or with one typical ``mistake``."""
    rng = np.random.default_rng(seed)
    if mistake == "all rates first":
        return list(10 ** rng.uniform(-3, 0, size=n_trials)), list(rng.integers(2, 17, size=n_trials))
    draw_rate = {"uniform": lambda rng: rng.uniform(0.001, 1), "exp": lambda rng: np.exp(rng.uniform(-3, 0)),
                 "exponent range": lambda rng: 10 ** rng.uniform(0.001, 1),
                 "exponent counted down": lambda rng: 10 ** (-3 * rng.random())}.get(
                     mistake, lambda rng: 10 ** rng.uniform(-3, 0))
    units_end = 16 if mistake == "upper end left out" else 17
    draw_units = {"units from a uniform": lambda rng: np.floor(rng.uniform(2, units_end))}.get(
        mistake, lambda rng: rng.integers(2, units_end))
    rates, units = [], []
    for _ in range(n_trials):
        if mistake == "new rng every trial":
            rng = np.random.default_rng(seed)
        if mistake == "units first":
            units.append(draw_units(rng))
            rates.append(draw_rate(rng))
        else:
            rates.append(draw_rate(rng))
            units.append(draw_units(rng))
    return rates, [int(u) for u in units]


DRAW_MISTAKES = {
    "uniform": "your learning rates are uniform between 0.001 and 1: nine in ten land above 0.1 and the small rates "
               "are hardly tried. Draw the *exponent* uniformly: 10 ** rng.uniform(-3, 0).",
    "exp": "np.exp(-3) is about 0.05, not 0.001: raise 10 to the exponent, 10 ** rng.uniform(-3, 0).",
    "exponent range": "the exponent goes from -3 to 0 (10**-3 = 0.001, 10**0 = 1), not from 0.001 to 1.",
    "exponent counted down": "10 ** (-3 * rng.random()) is log-uniform between 0.001 and 1 too, but it is not the "
                             "draw random_search makes, so the same seed gives other learning rates. Draw "
                             "10 ** rng.uniform(-3, 0), as the exercise says.",
    "units from a uniform": "rounding rng.uniform(2, 17) down gives every whole number from 2 to 16 equally often too, "
                            "but it is not the draw random_search makes (it uses the random numbers differently), so "
                            "the same seed gives other trials. Draw int(rng.integers(2, 17)), as the exercise says.",
    "upper end left out": "rng.integers(2, 16) never draws 16: its upper end is left out. Use rng.integers(2, 17) "
                          "for 2 to 16 with both ends included (what IntUniform(2, 16) means).",
    "units first": "you drew the units before the learning rate: random_search draws the hyperparameters of a trial "
                   "in the order of its space, learning rate first, then units -- the same seed then gives the "
                   "same trials.",
    "all rates first": "you drew all the learning rates first, then all the units: random_search draws trial by "
                       "trial (a learning rate, then the units, then the next trial's), so the same seed gives "
                       "different trials.",
    "new rng every trial": "every trial drew the same values: make rng = np.random.default_rng(seed) once, before "
                           "the loop, so each trial continues the random sequence.",
}


def _search_case():
    """Fresh moons data (80 training, 40 validation points) and random_search's table for 5 trials, seed 4."""
    X, y = make_moons(n_samples=120, noise=0.3, seed=11)
    data = X[:80], y[:80], X[80:], y[80:]
    results = random_search(_check_model, SEARCH_SPACE, *data, n_trials=5, seed=4, progress=False)
    return data, results


def _check_search(my_random_search):
    if not callable(my_random_search):
        return "my_random_search should be the function you defined: def my_random_search(make_model, ...): ..."
    data, results = _search_case()
    answer = call(my_random_search, _check_model, *data, 5, 4)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "return two things: the list of trials and the best trial (return trials, best)."
    trials, best = answer
    if not isinstance(trials, (list, tuple)) or len(trials) != len(results):
        return f"trials should be a list with one entry per trial: {len(results)} for n_trials={len(results)}."
    if any(not isinstance(trial, (tuple, list)) or len(trial) != 3 for trial in [*trials, best]):
        return "each trial (and best) should be a tuple (learning_rate, units, val_loss)."
    problem = _check_draws([t[0] for t in trials], [t[1] for t in trials], seed=4)
    if problem:
        return problem
    val_losses = np.array([t[2] for t in trials], dtype=float)
    if relative_difference(val_losses, results.column("val_loss")) > 1e-9:
        if relative_difference(val_losses, results.column("train_loss")) < 1e-9:
            return ("you recorded the loss on the training set: the parameters are fitted there, so it rewards "
                    "whatever fits the training data best. Compare the hyperparameters on the validation set: "
                    "model.data_loss(X_val, y_val).")
        if relative_difference(val_losses, results.column("val_score")) < 1e-9:
            return ("you recorded the validation accuracy; random_search ranks the trials by the validation *loss*, "
                    "model.data_loss(X_val, y_val), which still tells apart models of equal accuracy.")
        return ("the draws are right, but your validation losses differ from random_search's: fit "
                "make_model(learning_rate=..., units=...) on X_train, y_train, then model.data_loss(X_val, y_val).")
    chosen = [i for i, trial in enumerate(trials) if tuple(trial) == tuple(best)]
    right = int(np.argmin(val_losses))
    if right in chosen:
        return None
    if int(np.argmax(val_losses)) in chosen:
        return "best is the trial with the *highest* validation loss: a loss is better when it is lower."
    if int(np.argmin(results.column("train_loss"))) in chosen:
        return ("best is the trial with the lowest *training* loss: choose on the validation set, where the "
                "hyperparameters are compared.")
    if len(trials) - 1 in chosen:
        return "best is simply the last trial: keep the one with the lowest validation loss, e.g. min(trials, key=...)."
    return "best should be the trial (one of your tuples) with the lowest validation loss."


def _check_draws(rates, units, seed):
    """Feedback on the learner's drawn learning rates and units, or None when they are random_search's."""
    try:
        rates, units = np.asarray(rates, dtype=float), np.asarray(units, dtype=float)
    except (TypeError, ValueError):
        raise Feedback("each trial's learning rate and units should be numbers.") from None
    def same(draws):
        return relative_difference(rates, draws[0]) < 1e-9 and np.array_equal(units, draws[1])
    expected_rates, expected_units = expected = _draws(seed, len(rates))
    if same(expected):
        if any(float(u) != int(u) for u in units):
            return "units must be a whole number (an int) of hidden units."
        return None
    order, expected_order = np.argsort(rates), np.argsort(expected_rates)
    if (relative_difference(rates[order], np.asarray(expected_rates)[expected_order]) < 1e-9
            and np.array_equal(units[order], np.asarray(expected_units)[expected_order])):
        return ("your trials are random_search's, but not in the order they were drawn (sorted?): return trials "
                "in the order drawn, as random_search's table keeps them, and pick best from them.")
    for mistake, message in DRAW_MISTAKES.items():
        if same(_draws(seed, len(rates), mistake)):
            return message
    if np.all((rates >= 0.001) & (rates <= 1)) and np.all((units >= 2) & (units <= 16)):
        return ("the draws are in range but not random_search's: make rng = np.random.default_rng(seed) once, "
                "then in each trial draw the learning rate (10 ** rng.uniform(-3, 0)), then the units "
                "(rng.integers(2, 17)).")
    return "the learning rates must lie between 0.001 and 1, the units between 2 and 16."


q3 = Exercise(
    id="08.3",
    title="a random search, by hand",
    answers=("my_random_search",),
    placeholder='''
# Exercise 08.3: a random search, by hand
# Write the loop random_search runs, for two hyperparameters: learning_rate, log-uniform between 0.001 and 1
# (LogUniform(0.001, 1)), and units, the size of the one hidden layer, a whole number from 2 to 16 with both
# ends included (IntUniform(2, 16)). Make rng = np.random.default_rng(seed) once. In each of n_trials trials
# draw exactly as random_search does, so that the same seed gives the same trials: first the learning rate,
# 10 ** rng.uniform(-3, 0), then the units, int(rng.integers(2, 17)) (integers leaves out its upper end). Fit
# make_model(learning_rate=..., units=...) on the training set and measure model.data_loss(X_val, y_val).
# Return trials, a list of tuples (learning_rate, units, val_loss) in the order drawn, and best, the trial
# with the lowest validation loss.
def my_random_search(make_model, X_train, y_train, X_val, y_val, n_trials, seed):
    ...
''',
    solution='''
# Exercise 08.3: a random search, by hand
def my_random_search(make_model, X_train, y_train, X_val, y_val, n_trials, seed):
    rng = np.random.default_rng(seed)
    trials = []
    for _ in range(n_trials):
        learning_rate = 10 ** rng.uniform(-3, 0)   # log-uniform: the exponent is uniform
        units = int(rng.integers(2, 16 + 1))       # integers() leaves out its upper end
        model = make_model(learning_rate=learning_rate, units=units).fit(X_train, y_train)
        trials.append((learning_rate, units, model.data_loss(X_val, y_val)))
    best = min(trials, key=lambda trial: trial[2])  # the lowest validation loss (the first, if tied)
    return trials, best
''',
    checker=_check_search,
    hints=["The skeleton: rng = np.random.default_rng(seed); trials = []; for _ in range(n_trials): draw, fit, "
           "measure, trials.append(...). Exercise 08.2 drew the log-uniform rates.",
           "rng.integers(low, high) leaves out high: rng.integers(2, 17) gives 2 to 16. "
           "best = min(trials, key=lambda trial: trial[2])."],
    points=2,
)


# --- 08.4 -----------------------------------------------------------------------------
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


q4 = Exercise(
    id="08.4",
    title="the first loss of a fresh network",
    answers=("initial_loss",),
    placeholder='''
# Exercise 08.4: the first loss of a fresh network
# A network for the 8x8 digits (10 classes) starts with small random weights (init="normal").
# What softmax cross-entropy do you expect on the training data before any training?
initial_loss = ...
''',
    solution='''
# Exercise 08.4: the first loss of a fresh network
initial_loss = np.log(10)  # every class gets probability 1/10: -log(1/10)
''',
    checker=_check_initial_loss,
    hints=["Small weights make every score about 0. What probability does softmax give each class then?",
           "Each of the 10 classes gets 1/10, so the loss of every sample is -log(1/10)."],
)
