"""Checkers of common kinds of answers, shared by several notebooks' exercises: one number, names picked from a
list."""
import numpy as np

from .framework import Feedback


def one_number(value, name, advice):
    """``value`` as a float; Feedback naming ``name`` when it is not a number or holds several (an array)."""
    try:
        values = None if value is None or isinstance(value, (str, bytes)) else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        values = None
    if values is None:
        raise Feedback(f"{name} should be a number; yours is {value!r}.")
    if values.size != 1:
        raise Feedback(f"{name} holds {values.size} numbers (shape {values.shape}) but should be one: {advice}")
    return float(values.ravel()[0])


def check_picked(answer, allowed, example):
    """Check that ``answer`` is a list of names from ``allowed``; feedback for anything else, else None."""
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set)):
        return f"answer with a list of names, e.g. {example}."
    unknown = sorted(set(answer) - set(allowed))
    if unknown:
        return f"{', '.join(repr(u) for u in unknown)} is not in the list: pick names from {', '.join(allowed)}."
    return None
