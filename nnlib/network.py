"""A network: Dense layers with an activation between them, and nothing hidden.

``Network(n_inputs, hidden_layers, n_outputs, ...)`` stacks
Dense -> activation -> ... -> Dense.  The last Dense outputs raw *scores*
(logits); the loss turns them into probabilities.  Layer names are
``hidden_1``, ``hidden_2``, ..., ``output``, and each parameter is named
``"<layer>.weights"`` or ``"<layer>.biases"``.
"""
import numpy as np

from .layers import Dense, make_activation


class Network:
    """Dense layers of sizes n_inputs -> hidden_layers... -> n_outputs.

    forward: X (n, n_inputs) -> scores (n, n_outputs).
    backward: dscores (n, n_outputs) -> fills each Dense layer's ``grads``.
    """

    def __init__(self, n_inputs, hidden_layers, n_outputs, *, activation, init, rng, dtype=np.float64):
        sizes = [n_inputs, *hidden_layers, n_outputs]
        names = [f"hidden_{i}" for i in range(1, len(hidden_layers) + 1)] + ["output"]
        self.dense = {}
        self.layers = []
        for name, n_in, n_out in zip(names, sizes[:-1], sizes[1:]):
            layer = Dense(n_in, n_out, rng=rng, init=init, activation=activation, dtype=dtype)
            self.dense[name] = layer
            self.layers.append(layer)
            if name != "output":
                self.layers.append(make_activation(activation))
        self.layers[0].needs_input_grad = False

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dscores):
        for layer in reversed(self.layers):
            dscores = layer.backward(dscores)

    def parameters(self):
        """The live parameter arrays by name, e.g. {"hidden_1.weights": (n_in, n_units) array, ...}."""
        return {f"{name}.{kind}": array
                for name, layer in self.dense.items() for kind, array in layer.params.items()}

    def gradients(self):
        """The gradients from the last ``backward``, named like ``parameters()``."""
        return {f"{name}.{kind}": array
                for name, layer in self.dense.items() for kind, array in layer.grads.items()}

    def weights(self):
        """The weight matrices only (what L1/L2 regularisation penalises)."""
        return [layer.params["weights"] for layer in self.dense.values()]

    @property
    def shapes(self):
        return {name: array.shape for name, array in self.parameters().items()}

    def __repr__(self):
        return " -> ".join(repr(layer) for layer in self.layers)


def count_parameters(n_inputs, hidden_layers, n_outputs):
    """How many numbers training learns: sum over layers of n_in * n_out weights + n_out biases."""
    sizes = [n_inputs, *hidden_layers, n_outputs]
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))
