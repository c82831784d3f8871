"""Layers as forward/backward pairs.

``forward(x) -> out`` remembers what it needs; ``backward(dout) -> dx`` returns the gradient of the loss with respect
to the input and stores the gradients of the layer's own parameters in ``grads``: read side by side, the backward pass
is the derivative of the forward line. ``Dense`` and ``BatchNorm`` have parameters; activations are fixed functions.
``Dropout`` and ``BatchNorm`` behave differently in training: the network sets their ``training`` flag on each pass.
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


class Dropout(Activation):
    """Inverted dropout: in training, out = x * mask / (1 - rate), where mask (x's shape) keeps each unit with
    probability 1 - rate; the scale keeps every unit's expected value, so prediction (``training`` False) is out = x.
    ``rate`` is a hyperparameter; the mask is neither: drawn from ``rng`` on every pass, never learned.
    d out / dx = mask / (1 - rate) (1 in prediction)."""

    def __init__(self, rate, *, rng):
        self.rate, self.rng, self.training, self.scale = rate, rng, False, None

    def forward(self, x):
        if not (self.training and self.rate):
            self.scale = None
            return x
        self.scale = (self.rng.random(x.shape) >= self.rate).astype(x.dtype) / x.dtype.type(1 - self.rate)
        return x * self.scale

    def backward(self, dout):
        return dout if self.scale is None else dout * self.scale

    def __repr__(self):
        return f"Dropout({self.rate})"


class BatchNorm:
    """Batch normalisation (Ioffe & Szegedy, 2015) of x (n, n_units), unit by unit:
    x_hat = (x - mean) / sqrt(var + eps),  out = gamma * x_hat + beta.

    gamma and beta (n_units,) are parameters (learned by gradient descent). In training, mean and var are the batch's,
    and running_mean/running_var follow them: running = momentum * running + (1 - momentum) * batch's -- learned from
    the training data, not by gradient descent (like a Standardizer's mean and scale), and used in prediction.
    ``momentum`` is a hyperparameter. Backward in training (the batch's statistics depend on x), with g = dout * gamma:
    dx = (g - mean(g) - x_hat * mean(g * x_hat)) / sqrt(var + eps); in prediction dx = g / sqrt(var + eps).
    """

    def __init__(self, n_units, momentum=0.9, eps=1e-5):
        self.params = {"gamma": np.ones(n_units), "beta": np.zeros(n_units)}
        self.running = {"running_mean": np.zeros(n_units), "running_var": np.ones(n_units)}
        self.grads, self.momentum, self.eps, self.training = {}, momentum, eps, False

    def forward(self, x):
        if self.training:
            mean, var = x.mean(axis=0), x.var(axis=0)
            for name, batch in (("running_mean", mean), ("running_var", var)):
                self.running[name] *= self.momentum
                self.running[name] += (1 - self.momentum) * batch
        else:
            mean, var = self.running["running_mean"], self.running["running_var"]
        self.inv_std, self.batch_statistics = 1 / np.sqrt(var + self.eps), self.training
        self.x_hat = (x - mean) * self.inv_std
        return self.params["gamma"] * self.x_hat + self.params["beta"]

    def backward(self, dout):
        """dout (n, n_units) -> dx (n, n_units); fills grads["gamma"], grads["beta"]."""
        self.grads["gamma"] = (dout * self.x_hat).sum(axis=0)
        self.grads["beta"] = dout.sum(axis=0)
        g = dout * self.params["gamma"]
        if self.batch_statistics:
            g = g - g.mean(axis=0) - self.x_hat * (g * self.x_hat).mean(axis=0)
        return g * self.inv_std

    def __repr__(self):
        return f"BatchNorm({self.params['gamma'].size})"


ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "identity": Identity}


def sigmoid(x):
    """The logistic function 1 / (1 + exp(-x)), without overflow for large |x|."""
    # exp(-|x|) never overflows; the two branches are the same function.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
