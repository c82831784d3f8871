"""Layers as forward/backward pairs.

``forward(x) -> out`` remembers what it needs; ``backward(dout) -> dx`` returns the gradient of the loss with respect
to the input and stores the gradients of the layer's own parameters in ``grads``: read side by side, the backward pass
is the derivative of the forward line. Only ``Dense`` has parameters; activations are fixed functions.
"""
import numpy as np

from .initializers import initial_weights


class Dense:
    """A fully connected layer: ``out = x @ weights + biases``.

    Shapes: x (n, n_inputs), weights (n_inputs, n_units), biases (n_units,), out (n, n_units). ``init`` names how the
    weights are drawn (``nnlib.initializers``). ``input_gradient=False`` skips dx in ``backward``: a network's first
    layer gets the data, whose gradient nobody needs.
    """

    def __init__(self, n_inputs, n_units, *, rng, init="xavier", input_gradient=True):
        self.params = {"weights": initial_weights(n_inputs, n_units, init, rng), "biases": np.zeros(n_units)}
        self.grads, self.input_gradient = {}, input_gradient

    def forward(self, x):
        self.x = x
        return x @ self.params["weights"] + self.params["biases"]

    def backward(self, dout):
        """dout (n, n_units) -> dx (n, n_inputs) (or None); fills grads["weights"], grads["biases"]."""
        self.grads["weights"] = self.x.T @ dout
        self.grads["biases"] = dout.sum(axis=0)
        return dout @ self.params["weights"].T if self.input_gradient else None

    def __repr__(self):
        n_inputs, n_units = self.params["weights"].shape
        return f"Dense({n_inputs} -> {n_units})"


class Activation:
    """Base class for activations: elementwise, no parameters, any input shape."""

    params = {}
    grads = {}

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(Activation):
    """out = max(x, 0); d out / dx = 1 where x > 0, else 0."""

    def forward(self, x):
        self.out = np.maximum(x, 0)
        return self.out

    def backward(self, dout):
        return dout * (self.out > 0)


class Tanh(Activation):
    """out = tanh(x); d out / dx = 1 - out**2."""

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out**2)


class Sigmoid(Activation):
    """out = 1 / (1 + exp(-x)); d out / dx = out * (1 - out)."""

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class Identity(Activation):
    """out = x (a 'linear' unit); d out / dx = 1."""

    def forward(self, x):
        return x

    def backward(self, dout):
        return dout


ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "identity": Identity}


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), without overflow for large |x|."""
    # exp(-|x|) never overflows; the two branches are the same function.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
