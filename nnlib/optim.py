"""Optimisers: the rule that turns gradients into a change of the parameters.

Each has ``step(params, grads, learning_rate)``, which updates the parameter arrays in place. Their
settings (learning rate, momentum, Adam's betas) are hyperparameters; their running averages are
training state, neither chosen nor part of the model. ``Custom`` makes your own step function one of them.
"""
import numpy as np


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


class Custom:
    """Your own step rule as an optimiser: ``MLP(optimizer=Custom(momentum_step, momentum=0.9))``.

    step_function(params, grads, state, learning_rate, **hyperparameters) updates the arrays in ``params`` in
    place (the network's live parameters, a list; ``grads`` holds their gradients in the same order and shapes)
    and keeps what it needs from one step to the next -- velocities, moment estimates, a step count -- in
    ``state``, a dict that starts empty. ``learning_rate`` is the current epoch's rate (after the schedule);
    ``hyperparameters`` are the keyword arguments given here, passed on at every step.

    In a model, a Custom is a hyperparameter like "sgd": every training run starts from ``fresh()``, a copy
    with an empty state, so scikit-learn's ``clone`` and ``get_params`` work as usual (two Customs are equal
    when they hold the same function and hyperparameters). ``nnlib.save`` refuses it: a file of
    hyperparameters holds plain data, never code.
    """

    def __init__(self, step_function, **hyperparameters):
        if not callable(step_function):
            raise ValueError(f"Custom needs your step function itself, e.g. Custom(momentum_step, momentum=0.9); "
                             f"got {step_function!r}. Pass the function without calling it (no parentheses after "
                             "its name).")
        self.step_function, self.hyperparameters = step_function, hyperparameters
        self.state, self.first_step = {}, True

    def step(self, params, grads, learning_rate):
        arrays = list(params)
        before = [p.copy() for p in arrays] if self.first_step else None  # one copy per run, checked below
        try:
            returned = self.step_function(params, grads, self.state, learning_rate, **self.hyperparameters)
        except TypeError as error:
            error.add_note(f"(nnlib calls your step function as {self._call_text()})")
            raise
        if any(new is not old for new, old in zip(params, arrays)):
            self._step_lost("put new arrays into the list params")
        if isinstance(returned, (list, tuple)) and any(
                isinstance(new, np.ndarray) and not np.array_equal(new, old) for new, old in zip(returned, arrays)):
            self._step_lost("returned new arrays")
        if self.first_step:  # nothing moved although the gradients are not zero: most likely p = p - ... rebinding p
            self.first_step = False
            if any(np.any(g) for g in grads) and all(map(np.array_equal, arrays, before)):
                self._step_lost("changed no parameter although the gradients are not zero")

    def _step_lost(self, what):
        raise ValueError(f"{self._name()} {what}: the network keeps using the arrays it passed in, so its step is "
                         "lost. Update each array in place: p -= ... or p[...] = ..., not p = p - ...")

    def fresh(self):
        """A copy with an empty state: the optimiser for a new training run."""
        return Custom(self.step_function, **self.hyperparameters)

    def _name(self):
        return getattr(self.step_function, "__name__", repr(self.step_function))

    def _call_text(self):
        extra = "".join(f", {name}={value!r}" for name, value in self.hyperparameters.items())
        return f"{self._name()}(params, grads, state, learning_rate{extra})"

    def __eq__(self, other):
        if not isinstance(other, Custom):
            return NotImplemented
        return self.step_function is other.step_function and self.hyperparameters == other.hyperparameters

    __hash__ = None  # equal Customs may hold unhashable hyperparameters

    def __repr__(self):
        extra = "".join(f", {name}={value!r}" for name, value in self.hyperparameters.items())
        return f"Custom({self._name()}{extra})"


OPTIMIZERS = ("sgd", "adam")


def make_optimizer(name, momentum=0.0):
    """Return a fresh optimiser: 'sgd' (with ``momentum``) or 'adam' by name, or a fresh copy of a ``Custom``."""
    if isinstance(name, Custom):
        return name.fresh()
    return SGD(momentum) if name == "sgd" else Adam()
