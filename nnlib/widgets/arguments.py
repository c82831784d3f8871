"""Checks for what a learner passes to a widget: one clear message, in the style of ``nnlib.input_checks``.

A control silently clamps a starting value outside its range (a slider from 0 to 9
shows seed=-1 as 0), so widgets check their arguments before building any control,
and name the range the control allows.
"""
import numbers

import numpy as np

from ..input_checks import check_features, check_targets

NUMBER_WORDS = {1: "one", 2: "two"}


def check_columns(X, n_columns, widget, name="X", spread=False):
    """X as a finite float array (n, n_columns), n >= 2; the message says how to pick the columns.

    spread=True also refuses a column whose values are all equal: it cannot be standardised (its standard
    deviation is 0), and every slope along it fits equally well.
    """
    X = check_features(X, name)
    if X.shape[1] != n_columns:
        count = NUMBER_WORDS[n_columns]
        raise ValueError(f"{name} must have {count} column{'s' * (n_columns > 1)} ({count} feature"
                         f"{'s' * (n_columns > 1)}) for {widget}, got {X.shape[1]} column{'s' * (X.shape[1] > 1)}; "
                         f"pick {count} feature{'s' * (n_columns > 1)}, e.g. {name}[:, {list(range(n_columns))}].")
    if len(X) < 2:
        raise ValueError(f"{widget} needs at least 2 rows (samples) in {name}, got {len(X)}.")
    if spread and (flat := np.ptp(X, axis=0) == 0).any():
        column = name if n_columns == 1 else f"{name}[:, {np.argmax(flat)}]"
        raise ValueError(f"every value of {column} is {X[0, np.argmax(flat)]:g}: a feature with no spread cannot be "
                         f"standardised, and every slope along it fits equally well. Give {widget} a feature whose "
                         "values differ.")
    return X


def check_target(y, n_samples, name="y"):
    """Regression targets as a finite float array (n,): one number per row of X."""
    y = check_targets(y, n_samples, name)
    if y.shape[1] != 1:
        raise ValueError(f"{name} must hold one number per row, shape (n,); got {y.shape[1]} columns. "
                         f"Pick one target, e.g. {name}[:, 0].")
    return y[:, 0]


def check_range(name, value, low, high, whole=False, hint=""):
    """Return ``value`` after checking it is a number (a whole number if ``whole``) from ``low`` to ``high``."""
    kind = numbers.Integral if whole else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
        raise ValueError(f"{name} must be {'a whole number' if whole else 'a number'} from {_show(low)} to "
                         f"{_show(high)} (the range of its control), got {value!r}. {hint}".strip())
    return value


def _show(number):
    return f"{number:,}" if isinstance(number, int) else f"{number:g}"


def check_names(name, names, count, what):
    """Return ``names`` as a list of ``count`` strings (labels, units); ``what`` says what they name."""
    if isinstance(names, str) or not hasattr(names, "__len__") or len(names) != count:
        raise ValueError(f"{name} must be {NUMBER_WORDS.get(count, count)} names ({what}), got {names!r}.")
    return [str(n) for n in names]


def check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}.")
    return bool(value)
