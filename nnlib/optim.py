"""Optimisers: the rule that turns gradients into a change of the parameters.

Each has ``step(params, grads, learning_rate)``, which updates the parameter arrays in place. Their settings (learning
rate, momentum, Adam's betas) are hyperparameters; their running averages are training state, neither chosen nor part
of the model. ``Custom`` (``nnlib.custom``) makes your own step function one of them.
"""
import numpy as np

from .custom import Custom


class SGD:
    """Stochastic gradient descent, optionally with (heavy-ball) momentum.

    velocity = momentum * velocity - learning_rate * grad;  param += velocity.
    With momentum = 0 this is plain ``param -= learning_rate * grad``.
    """

    def __init__(self, momentum=0.0):
        self.momentum = float(momentum)  # a numpy scalar would compute float32 updates in float64
        self.velocities = None

    def step(self, params, grads, learning_rate):
        if not self.momentum:
            for p, g in zip(params, grads):
                p -= learning_rate * g
            return
        if self.velocities is None:
            self.velocities = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocities):
            v *= self.momentum
            v -= learning_rate * g
            p += v


class Adam:
    """Adam (Kingma & Ba, 2015): momentum on the gradient and per-parameter step sizes.

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g**2;  param -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps):
    the paper's "efficient" form, i.e. m_hat / (sqrt(v_hat) + eps sqrt(1 - b2^t)) -- eps is not bias-corrected.
    """

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = self.v = None

    def step(self, params, grads, learning_rate):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        # Fold both bias corrections into one scalar step size (a Python float, so
        # float32 parameters are not updated through float64 temporaries).
        step_size = learning_rate * (1 - self.beta2**self.t) ** 0.5 / (1 - self.beta1**self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            p -= step_size * m / (np.sqrt(v) + self.eps)


OPTIMIZERS = ("sgd", "adam")


def make_optimizer(name, momentum=0.0):
    """Return a fresh optimiser: 'sgd' (with ``momentum``) or 'adam' by name, or a fresh copy of a ``Custom``."""
    if isinstance(name, Custom):
        return name.fresh()
    return SGD(momentum) if name == "sgd" else Adam()
