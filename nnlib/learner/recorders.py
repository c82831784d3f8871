"""Stand-ins that record how a learner's function uses what it is handed, for the checks.

Each is a plain class at module level, not a closure, so that a grader can hand it to a learner's function that runs
in another process (the submission's kernel) and read back what it recorded (classroom/nnlib_grading/bridge.py).
"""
import numpy as np

from .search_checks import ToyModel


class Counted:
    """``function``, counting its calls; with ``rates=True`` it also keeps each call's last argument (the learning
    rate a step was handed)."""

    def __init__(self, function, rates=False):
        self.function, self.calls, self.rates = function, 0, [] if rates else None

    def __call__(self, *args):
        self.calls += 1
        if self.rates is not None:
            self.rates.append(args[-1])
        return self.function(*args)


class Traced:
    """A stand-in layer that records each pass in ``calls`` (shared by a network's layers): (pass, its position,
    what it got, what it returned); it returns a new array, the call's number."""

    def __init__(self, position, calls):
        self.position, self.calls = position, calls

    def forward(self, x):
        return self._record("forward", x)

    def backward(self, dout):
        return self._record("backward", dout)

    def _record(self, kind, value):
        result = np.array([len(self.calls) + 1.0])
        self.calls.append((kind, self.position, value, result))
        return result


class ModelMaker:
    """``make_model(**hyperparameters)`` for a search under check: a fresh ToyModel each time, each one kept in
    ``models`` to see how the search used it."""

    def __init__(self):
        self.models = []

    def __call__(self, **hyperparameters):
        self.models.append(ToyModel(**hyperparameters))
        return self.models[-1]
