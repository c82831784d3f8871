"""Your own step rule as an optimiser: how a step function you wrote trains an nnlib model. ``Custom`` has the
optimisers' ``step(params, grads, learning_rate)`` and checks the mistakes that would make your step do nothing."""
import numpy as np


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
