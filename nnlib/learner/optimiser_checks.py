"""The pieces of notebooks 09 and 09b, optimisers and the rules around them, and their checks:

    momentum_step(params, grads, state, learning_rate, momentum)  updates params in place, or returns new ones
    adam_step(params, grads, state, learning_rate, beta1, beta2, eps)  the same; state keeps t, m and v
    cosine_schedule(epoch, learning_rate, epochs) -> the learning rate of epoch (from 0)
    early_stopping(val_losses, patience) -> (best, stop)   asked after every epoch with the validation losses so far:
        best, the epoch (from 0) of the lowest so far (the earlier of equal ones); stop, True once patience epochs
        have passed since it

nnlib calls an optimiser's step through ``nnlib.learner.adapters.MyOptimizer``; the stand-ins below keep nnlib's
optimiser in ``state``.
"""
import numpy as np

from ..optim import SGD, Adam
from ..schedules import cosine
from ..train import early_stopping as nnlib_early_stopping
from .adapters import MyOptimizer
from .checking import Piece, differs

RATES = (0.1, 0.1, 0.05)  # a rate that changes, as a schedule changes it
STOPPING_CASES = (((0.7, 0.72, 0.45, 0.47, 0.44, 0.46, 0.48, 0.43, 0.41), 2),  # a rise at once, then falls
                  ((0.9, 0.6, 0.6, 0.65, 0.6, 0.7, 0.55), 3))  # ties are no improvement


def reference_momentum_step(params, grads, state, learning_rate, momentum=0.9):
    """The stand-in for your momentum_step: nnlib's SGD, kept in ``state``."""
    state.setdefault("sgd", SGD(momentum)).step(params, grads, learning_rate)


def reference_adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """The stand-in for your adam_step: nnlib's Adam, kept in ``state``."""
    state.setdefault("adam", Adam(beta1, beta2, eps)).step(params, grads, learning_rate)


class PaperAdam(Adam):
    """Adam as the paper's Algorithm 1 writes it, m_hat / (sqrt(v_hat) + eps): nnlib's Adam adds its eps to sqrt(v)
    before the bias correction, so that eps is the paper's times sqrt(1 - beta2**t). Both count as right."""

    def __init__(self, beta1, beta2, eps):
        super().__init__(beta1, beta2, eps)
        self.paper_eps = eps

    def step(self, params, grads, learning_rate):
        self.eps = self.paper_eps * (1 - self.beta2 ** (self.t + 1)) ** 0.5
        super().step(params, grads, learning_rate)


def _after_steps(optimizer):
    """The parameters, a (3, 2) matrix and a (2,) vector, flattened after len(RATES) steps of ``optimizer``."""
    rng = np.random.default_rng(10)
    params = [rng.normal(size=(3, 2)), rng.normal(size=2)]
    for rate in RATES:
        optimizer.step(params, [rng.normal(size=p.shape) for p in params], rate)
    return np.concatenate([p.ravel() for p in params])


def check_momentum_step(momentum_step):
    return differs("your momentum_step, after three steps (momentum=0.8, learning rates 0.1, 0.1, 0.05),",
                   _after_steps(MyOptimizer(momentum_step, momentum=0.8)), _after_steps(SGD(0.8)))


def check_adam_step(adam_step):
    hyperparameters = {"beta1": 0.8, "beta2": 0.99, "eps": 0.01}  # an eps large enough to tell where it sits
    mine = _after_steps(MyOptimizer(adam_step, **hyperparameters))
    problem = differs("your adam_step, after three steps (beta1=0.8, beta2=0.99, eps=0.01),", mine,
                      _after_steps(Adam(**hyperparameters)))
    if problem is None or differs("", mine, _after_steps(PaperAdam(**hyperparameters))) is None:
        return None
    return problem


def check_cosine_schedule(cosine_schedule):
    cases = [(epoch, rate, epochs) for rate, epochs in ((0.5, 20), (1.0, 7), (0.1, 1)) for epoch in range(epochs + 3)]
    return differs("your cosine_schedule, at epochs 0 to epochs + 2 (learning_rate 0.5, 1, 0.1; epochs 20, 7, 1),",
                   [cosine_schedule(*case) for case in cases], [cosine(*case) for case in cases])


def check_early_stopping(early_stopping):
    for losses, patience in STOPPING_CASES:
        for seen in (list(losses[:end]) for end in range(1, len(losses) + 1)):  # as the loop asks, epoch by epoch
            answer, expected = early_stopping(list(seen), patience), nnlib_early_stopping(seen, patience)
            if not (isinstance(answer, (tuple, list)) and len(answer) == 2 and tuple(answer) == expected):
                shown = f"({answer[0]}, {answer[1]})" if isinstance(answer, (tuple, list)) and len(answer) == 2 else \
                    repr(answer)
                return (f"early_stopping({seen}, {patience}) returned {shown}; nnlib's rule returns "
                        f"{expected}: (the epoch of the lowest loss so far, the earlier of equal ones; whether "
                        "patience epochs have passed since it).")
    return None


PIECES = (
    Piece("momentum_step", "09.2", check_momentum_step, reference_momentum_step),
    Piece("adam_step", "09.3", check_adam_step, reference_adam_step),
    Piece("cosine_schedule", "09b.1", check_cosine_schedule, cosine),
    Piece("early_stopping", "09b.2", check_early_stopping, nnlib_early_stopping),
)
