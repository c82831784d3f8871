"""Exercises for notebook 08 (tuning hyperparameters): a search's budget, log-uniform draws, the first loss."""
import numpy as np

from .checks import Exercise, relative_difference

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


def _expected_rates():
    return 10 ** np.random.default_rng(0).uniform(np.log10(_LOW), np.log10(_HIGH), size=_N)


def _check_rates(rates):
    try:
        rates = np.asarray(rates, dtype=float).ravel()
    except (TypeError, ValueError):
        return "rates should be 5 numbers (a list or a numpy array)."
    if rates.size != _N:
        return f"draw exactly {_N} learning rates; you have {rates.size}."
    expected = _expected_rates()
    if relative_difference(rates, expected) < 1e-9:
        return None
    uniform = np.random.default_rng(0)
    if relative_difference(rates, uniform.uniform(_LOW, _HIGH, size=_N)) < 1e-9:
        return ("those are uniform between 0.0001 and 1: almost all land above 0.1, and the small learning rates "
                "are never tried. Draw the *exponent* uniformly instead: 10 ** rng.uniform(-4, 0, size=5).")
    if relative_difference(rates, np.exp(np.random.default_rng(0).uniform(-4, 0, size=_N))) < 1e-9:
        return "np.exp(-4) is about 0.018, not 0.0001: raise 10 to the exponent, 10 ** rng.uniform(-4, 0, ...)."
    if relative_difference(rates, 10 ** np.random.default_rng(0).uniform(_LOW, _HIGH, size=_N)) < 1e-9:
        return "the exponent goes from -4 to 0 (10**-4 = 0.0001, 10**0 = 1), not from 0.0001 to 1."
    if relative_difference(rates, np.logspace(-4, 0, _N)) < 1e-9:
        return "np.logspace gives evenly spaced values, a grid; a random search draws them at random with rng."
    if np.all((rates >= _LOW) & (rates <= _HIGH)):
        return ("the values are in range but not the expected draws: create rng = np.random.default_rng(0) once, "
                "then draw all 5 exponents with one rng.uniform(-4, 0, size=5).")
    return f"every learning rate must lie between {_LOW:g} and {_HIGH:g}; draw exponents between -4 and 0."


q2 = Exercise(
    id="08.2",
    title="log-uniform by hand",
    answers=("rates",),
    placeholder='''
# Exercise 08.2: log-uniform by hand
# Draw 5 learning rates between 0.0001 and 1 so that every factor of 10 is equally likely
# (what LogUniform(0.0001, 1) does). Use this random number generator:
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
    id="08.3",
    title="the first loss of a fresh network",
    answers=("initial_loss",),
    placeholder='''
# Exercise 08.3: the first loss of a fresh network
# A network for the 8x8 digits (10 classes) starts with small random weights (init="normal").
# What softmax cross-entropy do you expect on the training data before any training?
initial_loss = ...
''',
    solution='''
# Exercise 08.3: the first loss of a fresh network
initial_loss = np.log(10)  # every class gets probability 1/10: -log(1/10)
''',
    checker=_check_initial_loss,
    hints=["Small weights make every score about 0. What probability does softmax give each class then?",
           "Each of the 10 classes gets 1/10, so the loss of every sample is -log(1/10)."],
)
