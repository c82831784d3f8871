"""The pieces of notebook 09, optimisers and the rules around them, and their checks:

    momentum_step(params, grads, state, learning_rate, momentum)  updates params in place, or returns new ones

nnlib calls an optimiser's step through ``nnlib.learner.adapters.MyOptimizer``.
"""
import numpy as np

from ..optim import SGD
from .adapters import MyOptimizer
from .checking import Piece, differs


def check_momentum_step(momentum_step):
    params = [np.random.default_rng(10).normal(size=(3, 2)), np.zeros(2)]
    mine, reference, optimizer = MyOptimizer(momentum_step, momentum=0.9), SGD(0.9), [p.copy() for p in params]
    for step, rate in enumerate((0.1, 0.1, 0.05)):  # a rate that changes, as a schedule changes it
        grads = [np.full(p.shape, step + 1.0) for p in params]
        mine.step(params, grads, rate)
        reference.step(optimizer, grads, rate)
    mine_flat, expected = (np.concatenate([p.ravel() for p in arrays]) for arrays in (params, optimizer))
    return differs("the parameters after three momentum steps (learning rates 0.1, 0.1, 0.05)", mine_flat, expected)


PIECES = (
    Piece("momentum_step", "09.2", check_momentum_step),
)
