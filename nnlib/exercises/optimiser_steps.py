"""Checking an optimiser step function a learner writes (notebook 09: momentum_step, adam_step) against nnlib's.

A step function is ``step(params, grads, state, learning_rate, **hyperparameters)``: it updates the arrays in the list
``params`` in place and keeps what it needs between calls in the dict ``state``. The checker runs the learner's and
nnlib's optimiser side by side on fresh random arrays (``step_case``, ``trajectory``, ``nnlib_trajectory``,
``first_difference``); when they part, ``diagnose`` names the mistake by finding the typical wrong function that takes
exactly the learner's steps; when they agree, ``train_with`` trains a small network with each, to catch what a few
test steps miss (something kept outside ``state``).
"""
import warnings

import numpy as np

from ..datasets import make_moons
from ..divergence import DivergenceWarning
from ..models import MLP
from ..optim import Custom
from .framework import Feedback, call, relative_difference

RATES = (0.1, 0.1, 0.05, 0.05, 0.02)  # the learning rate of each test step: it changes, as under a schedule


def step_case():
    """Fresh random parameters -- a (3, 2) matrix and a (2,) vector -- and their gradients for len(RATES) steps."""
    rng = np.random.default_rng(9)
    params = [rng.normal(size=(3, 2)), rng.normal(size=2)]
    grads = [[rng.normal(size=p.shape) for p in params] for _ in RATES]
    return params, grads


def trajectory(step, params, grads, learner=True, **hyperparameters):
    """The parameters after each step of ``step(params, grads, state, learning_rate, **hyperparameters)``, called
    once per step with one state dict, on copies of ``params``. For the ``learner``'s function, raises Feedback
    when it would lose its steps in training (arrays replaced, or never changed, instead of updated in place)."""
    start, params, state, after = params, [p.copy() for p in params], {}, []
    returned = None
    for step_grads, rate in zip(grads, RATES):
        arrays = list(params)
        returned = call(step, params, [g.copy() for g in step_grads], state, rate, **hyperparameters)
        if learner and any(new is not old for new, old in zip(params, arrays)):
            raise Feedback("you put new arrays into the list params (params[i] = ...), but training keeps its own "
                           "references to the network's arrays: update each array itself in place, with p -= ..., "
                           "p += ... or p[...] = ...")
        after.append([p.copy() for p in params])
    if learner and all(np.array_equal(p, q) for p, q in zip(after[-1], start)):
        new_arrays = isinstance(returned, (list, tuple)) and any(isinstance(r, np.ndarray) for r in returned)
        raise Feedback(("your function returns new arrays but leaves params unchanged" if new_arrays else
                        "params never changed") + ": training hands your function the network's own arrays, so "
                       "update each of them in place -- p += v, p -= ... or p[...] = ... -- not p = p + v, which only "
                       "makes a new array.")
    return after


def nnlib_trajectory(optimizer, params, grads):
    """The parameters after each step of an nnlib optimiser, on copies of ``params``."""
    params, after = [p.copy() for p in params], []
    for step_grads, rate in zip(grads, RATES):
        optimizer.step(params, [g.copy() for g in step_grads], rate)
        after.append([p.copy() for p in params])
    return after


def first_difference(mine, right, tolerance):
    """The first step (from 1) after which two trajectories differ by more than ``tolerance``; None if never."""
    for number, (a, b) in enumerate(zip(mine, right), start=1):
        if not max(relative_difference(x, y) for x, y in zip(a, b)) <= tolerance:
            return number
    return None


def not_finite(mine):
    """The first step (from 1) after which a trajectory holds a NaN or an infinity; None if never."""
    for number, arrays in enumerate(mine, start=1):
        if not all(np.all(np.isfinite(a)) for a in arrays):
            return number
    return None


def diagnose(mine, right, mistakes, params, grads, hyperparameters):
    """The message of the first of ``mistakes`` ({wrong step function: message}) whose wrong function takes exactly
    the learner's steps ``mine``; None if none does. A message may use {step} (the first step where that mistake
    departs from ``right``), {before}, {earlier} and {rate} (the learning rates before and at that step), {ratio}
    (the length of the learner's first step over the right one's) and the hyperparameters."""
    for wrong, message in mistakes.items():
        theirs = trajectory(wrong, params, grads, learner=False, **hyperparameters)
        if first_difference(mine, theirs, 1e-9) is None:
            step = first_difference(theirs, right, 1e-9)
            ratio = _step_length(mine[0], params) / _step_length(right[0], params)
            return message.format(step=step, before=step - 1, earlier=RATES[max(step - 2, 0)], rate=RATES[step - 1],
                                  ratio=ratio, **hyperparameters)
    return None


def _step_length(after, before):
    return np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(after, before)))


def train_with(step, reference, **hyperparameters):
    """A small training run (moons, 8 hidden units, 10 epochs) with ``Custom(step, **hyperparameters)`` and with
    the ``reference`` optimiser settings, e.g. {"optimizer": "sgd", "momentum": 0.9}; returns both models'
    parameters as lists."""
    X, y = make_moons(n_samples=80, noise=0.2, seed=5)
    models = []
    for settings in ({"optimizer": Custom(step, **hyperparameters)}, reference):
        model = MLP(hidden_layers=(8,), learning_rate=0.05, epochs=10, batch_size=16, seed=5, **settings)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DivergenceWarning)
                model.fit(X, y)
        except Exception as error:
            raise Feedback(f"training a network with your function stopped with {type(error).__name__}: "
                           f"{error}") from None
        if model.history_.diverged:
            raise Feedback(f"your function agrees with nnlib's on test arrays, but training a network with it "
                           f"diverged: {model.history_.message}")
        models.append(list(model.parameters().values()))
    return models
