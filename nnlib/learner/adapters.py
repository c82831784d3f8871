"""Adapters: how nnlib calls a piece you wrote, with nnlib's own method wherever you have not written it.

Each adapter takes nnlib's object and your functions (None for a piece not written) and has the interface nnlib's
training loop calls: a layer's ``forward``/``backward`` and ``params``/``grads``, a network's ``forward``/``backward``
and ``parameters()``/``gradients()``, a loss's ``value_and_gradient``, an optimiser's ``step``.
"""
from ..losses import SoftmaxCrossEntropy
from ..network import Network


class MyDense:
    """A Dense layer (``nnlib.layers.Dense``) whose passes are your dense_forward and dense_backward, where written."""

    def __init__(self, layer, forward, backward):
        self.layer, self.params, self.grads = layer, layer.params, layer.grads
        self.my_forward, self.my_backward = forward, backward

    def forward(self, x):
        if self.my_forward is None:
            return self.layer.forward(x)
        self.layer.x = x
        return self.my_forward(x, self.params["weights"], self.params["biases"])

    def backward(self, dout):
        if self.my_backward is None:
            return self.layer.backward(dout)
        dx, self.grads["weights"], self.grads["biases"] = self.my_backward(dout, self.layer.x, self.params["weights"])
        return dx if self.layer.input_gradient else None


class MyActivation:
    """ReLU or tanh with your forward (x -> out) and backward ((dout, x, out) -> dx), where written."""

    params = grads = {}

    def __init__(self, reference, forward, backward):
        self.reference, self.my_forward, self.my_backward = reference, forward, backward

    def forward(self, x):
        self.x = x
        self.out = self.reference.out = self.my_forward(x) if self.my_forward else self.reference.forward(x)
        return self.out

    def backward(self, dout):
        return self.my_backward(dout, self.x, self.out) if self.my_backward else self.reference.backward(dout)


class MyNetwork(Network):
    """A Network (same layers, names, parameters) whose forward and backward are your network_forward and
    network_backward over its layers, where written."""

    def __init__(self, network, forward, backward):
        vars(self).update(vars(network))
        self.my_forward, self.my_backward = forward, backward

    def forward(self, X, training=False):
        """``training`` is the training loop's flag; a network your library builds has no layer that reads it."""
        return self.my_forward(self.layers, X) if self.my_forward else super().forward(X, training)

    def backward(self, dscores):
        return self.my_backward(self.layers, dscores) if self.my_backward else super().backward(dscores)


class FunctionLoss(SoftmaxCrossEntropy):
    """Softmax cross-entropy whose value and gradient come from a function (scores, y) -> (loss, dscores)."""

    def __init__(self, function):
        self.function = function

    def value_and_gradient(self, scores, y):
        return self.function(scores, y)


class MyOptimizer:
    """An optimiser through your step function, e.g. momentum_step(params, grads, state, learning_rate, momentum) or
    adam_step(params, grads, state, learning_rate, beta1, beta2, eps): it may update ``params`` in place or return
    the new arrays, which are copied into the network's own. ``hyperparameters`` are passed on at every step."""

    def __init__(self, step_function, **hyperparameters):
        self.step_function, self.hyperparameters, self.state = step_function, hyperparameters, {}

    def step(self, params, grads, learning_rate):
        returned = self.step_function(params, grads, self.state, learning_rate, **self.hyperparameters)
        if isinstance(returned, (list, tuple)) and len(returned) == len(params):
            for param, new in zip(params, returned):
                if new is not param:
                    param[...] = new
