"""What every piece's check shares: the ``Piece`` record and ``differs``, the comparison that words a difference.

A check runs a learner's function on small fixed cases of its own (never a notebook's variables), compares the values
with nnlib's reference, and every gradient also with finite differences, and returns None or one sentence saying what
differs and what to try.
"""
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ..gradcheck import relative_error

TOLERANCE = 1e-9  # values against nnlib's (relative); finite differences agree to about 1e-7 in float64


@dataclass(frozen=True)
class Piece:
    """A piece: its name (the function's), the exercise that builds it, e.g. "06.2", its check (function -> None or
    a sentence), and nnlib's function with the same signature that stands in for it (None where an adapter does)."""

    name: str
    exercise: str
    check: Callable
    reference: Optional[Callable] = None

    @property
    def notebook(self):
        return self.exercise.split(".")[0]


def differs(name, answer, expected, tolerance=TOLERANCE, source="nnlib's"):
    """None if ``answer`` equals ``expected`` (same shape, relative error <= tolerance), else a sentence."""
    answer = np.asarray(answer, dtype=float) if answer is not None else None
    if answer is None or answer.shape != np.shape(expected):
        shape = "nothing (None)" if answer is None else f"shape {answer.shape}"
        return f"{name} should have shape {np.shape(expected)}, but yours has {shape}."
    if not np.all(np.isfinite(answer)):
        return f"{name} holds NaN or infinite values where {source} has finite ones."
    error = relative_error(answer, expected)
    return None if error <= tolerance else (f"{name} differs from {source} by {error:.2g} (relative; should be "
                                            f"< {tolerance:g}).")
