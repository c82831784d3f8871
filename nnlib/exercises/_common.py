"""Checkers shared by several notebooks' exercises."""
import numpy as np

from .checks import Feedback


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


def check_sorting(answer, expected, kind_names=("parameter", "hyperparameter")):
    """Check a dict {name: kind} against ``expected``; feedback names each wrong entry and says why.

    expected: {name: (kind, reason)}.
    """
    if not isinstance(answer, dict):
        return "answer with a dict mapping each name to 'parameter' or 'hyperparameter', e.g. {'slope': 'parameter'}."
    missing = [name for name in expected if name not in answer]
    if missing:
        return f"you have not sorted {', '.join(repr(m) for m in missing)} yet."
    unknown = [name for name in answer if name not in expected]
    if unknown:
        return f"{', '.join(repr(u) for u in unknown)} is not in the list: sort exactly the names given."
    for name, value in answer.items():
        if value not in kind_names:
            return f"{name!r} is sorted as {value!r}; use one of {', '.join(repr(k) for k in kind_names)}."
    wrong = [f"{name!r} is a {kind}: {reason}" for name, (kind, reason) in expected.items() if answer[name] != kind]
    if wrong:
        return f"{len(wrong)} of {len(expected)} wrong. " + " ".join(wrong)
    return None


def check_picked(answer, allowed, example):
    """Check that ``answer`` is a list of names from ``allowed``; feedback for anything else, else None."""
    if isinstance(answer, str) or not isinstance(answer, (list, tuple, set)):
        return f"answer with a list of names, e.g. {example}."
    unknown = sorted(set(answer) - set(allowed))
    if unknown:
        return f"{', '.join(repr(u) for u in unknown)} is not in the list: pick names from {', '.join(allowed)}."
    return None
