"""The pieces of notebooks 08 and 08b, hyperparameter search, and their checks:

    grid_search(make_model, grid, X_train, y_train, X_val, y_val) -> (rows, best)
    random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed) -> (rows, best)

grid: {name: [values]}, every combination tried in nnlib's order (the last name changing fastest). space: {name:
LogUniform | IntUniform | Choice | [options]}, drawn as nnlib.tune.sample_space draws: one generator seeded once, each
trial drawing every name in the space's order. Each trial fits a fresh make_model(**hyperparameters) on the training
set. rows: one (hyperparameters {name: value}, val_loss) per trial in the order tried, val_loss = inf for a run that
diverged; best: the row with the lowest val_loss (the first of ties). nnlib.tune's searches stand in, read as rows.
"""
import math
import numbers

import numpy as np

from ..history import History
from ..tune import Choice, IntUniform, LogUniform, grid_search, random_search
from .checking import Piece

# 0.2 with (8,) ties 0.4 with (4,) for the lowest validation loss (both predict 0.4 x the mean): best is the first
GRID = {"learning_rate": [0.15, 0.2, 0.4, 1.0], "hidden_layers": [(4,), (8,)]}
SPACE = {"learning_rate": LogUniform(0.001, 1), "batch_size": IntUniform(2, 16),
         "hidden_layers": Choice([(4,), (8,), (16,)]), "activation": ["relu", "tanh"]}
N_TRIALS, SEED = 6, 39


class ToyModel:
    """A model that trains in no time, for the checks. It predicts one number for every sample: the mean of the
    training targets times learning_rate * (the units of hidden_layers) / 4, 1.5 times that for tanh. A learning rate
    above 0.5 diverges: the prediction stays at its start, 0. Its loss is the mean squared error, its score
    1 / (1 + loss); ``fits`` counts the calls to fit. Other hyperparameters (batch_size) are accepted, unused."""

    def __init__(self, learning_rate, hidden_layers=(4,), activation="relu", **others):
        self.learning_rate, self.hidden_layers, self.activation, self.fits = learning_rate, hidden_layers, activation, 0

    def fit(self, X, y, validation_data=None):
        self.fits += 1
        diverged = self.learning_rate > 0.5
        self.history_ = History(loss=[math.inf if diverged else 0.0], diverged=diverged)
        factor = self.learning_rate * sum(self.hidden_layers) / 4 * (1.5 if self.activation == "tanh" else 1.0)
        self.prediction_ = 0.0 if diverged else factor * float(np.mean(y))
        return self

    def data_loss(self, X, y):
        return float(np.mean((np.asarray(y, dtype=float) - self.prediction_) ** 2))

    def score(self, X, y):
        return 1.0 / (1.0 + self.data_loss(X, y))


def search_data():
    """(X_train (8, 2), y_train (8,), X_val (5, 2), y_val (5,)): the targets' means differ (3.5 and 1.3), so the
    setting best on the training set is not the one best on the validation set."""
    rng = np.random.default_rng(12)
    return rng.normal(size=(8, 2)), np.arange(8.0), rng.normal(size=(5, 2)), np.array([0.0, 0.5, 1, 2, 3])


def as_rows(results):
    """nnlib's SearchResults as (rows, best): rows [(hyperparameters, val_loss)] in trial order, best the lowest."""
    rows = [({name: row[name] for name in results.hyperparameter_names}, row["val_loss"]) for row in results]
    return rows, min(rows, key=lambda row: row[1])


def reference_grid_search(make_model, grid, X_train, y_train, X_val, y_val):
    """nnlib's grid_search, returned as your grid_search returns its trials: (rows, best)."""
    return as_rows(grid_search(make_model, grid, X_train, y_train, X_val, y_val, progress=False))


def reference_random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials, seed):
    """nnlib's random_search, returned as your random_search returns its trials: (rows, best)."""
    return as_rows(random_search(make_model, space, X_train, y_train, X_val, y_val, n_trials=n_trials, seed=seed,
                                 progress=False))


def same_value(value, expected):
    """A number within 1e-9 (relative; inf equals inf) of ``expected``, or an equal value of its type."""
    if isinstance(expected, numbers.Real):
        return isinstance(value, numbers.Real) and math.isclose(value, expected, rel_tol=1e-9)
    return isinstance(value, type(expected)) and value == expected


def same_settings(settings, expected):
    """Two lists of hyperparameter settings ({name: value}) with the same names and the same values, in order."""
    return len(settings) == len(expected) and all(
        isinstance(mine, dict) and mine.keys() == theirs.keys()
        and all(same_value(mine[name], value) for name, value in theirs.items())
        for mine, theirs in zip(settings, expected))


def rows_problem(answer, expected):
    """None if ``answer`` equals nnlib's (rows, best) ``expected``, else one sentence saying what differs."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "return two things: the rows and the best row (return rows, best)."
    (rows, best), (expected_rows, expected_best) = answer, expected
    if not isinstance(rows, (list, tuple)) or len(rows) != len(expected_rows):
        return f"rows should be a list with one row per trial: {len(expected_rows)} here."
    for trial, (row, expected_row) in enumerate(zip([*rows, best], [*expected_rows, expected_best])):
        which = f"row {trial}" if trial < len(rows) else "best"
        if not isinstance(row, (tuple, list)) or len(row) != 2:
            return f"each row, and best, should be a pair (hyperparameters, val_loss); {which} is {row!r}."
        if not same_settings([row[0]], [expected_row[0]]):
            return f"the hyperparameters of {which} should be {expected_row[0]} (as nnlib tries them), not {row[0]!r}."
        if not same_value(row[1], expected_row[1]):
            return f"the validation loss of {which} should be {expected_row[1]:.6g} (nnlib's), not {row[1]!r}."
    return None


def check_grid_search(search):
    X_train, y_train, X_val, y_val = data = search_data()
    return rows_problem(search(ToyModel, GRID, X_train, y_train, X_val, y_val),
                        reference_grid_search(ToyModel, GRID, *data))


def check_random_search(search):
    X_train, y_train, X_val, y_val = data = search_data()
    return rows_problem(search(ToyModel, SPACE, X_train, y_train, X_val, y_val, n_trials=N_TRIALS, seed=SEED),
                        reference_random_search(ToyModel, SPACE, *data, N_TRIALS, SEED))


PIECES = (
    Piece("grid_search", "08.1", check_grid_search, reference_grid_search),
    Piece("random_search", "08b.1", check_random_search, reference_random_search),
)
