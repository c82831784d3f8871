"""A network: Dense layers with an activation between them, and nothing hidden.

Dense -> activation -> ... -> Dense; the last Dense outputs raw *scores* (logits), which the loss turns into
probabilities. Layers are named ``hidden_1``, ..., ``output``; parameters "<layer>.weights" and "<layer>.biases".
"""
from .initializers import resolve
from .input_checks import check_hidden_layers, check_parameter_values
from .layers import ACTIVATIONS, Dense


class Network:
    """Dense layers of sizes n_inputs -> hidden_layers... -> n_outputs. forward: X (n, n_inputs) -> scores
    (n, n_outputs); backward: dscores (n, n_outputs) -> fills each Dense layer's ``grads``. ``activation`` names the
    hidden units' activation, ``init`` how the weights start (both checked by the model)."""

    def __init__(self, n_inputs, hidden_layers, n_outputs, *, activation, init, rng, dtype="float64"):
        sizes, self.n_inputs, self.dtype = [n_inputs, *hidden_layers, n_outputs], n_inputs, dtype
        names = [f"hidden_{i}" for i in range(1, len(hidden_layers) + 1)] + ["output"]
        self.dense, self.layers = {}, []
        for name, n_in, n_out in zip(names, sizes[:-1], sizes[1:]):
            layer = Dense(n_in, n_out, rng=rng, init=resolve(init, activation), input_gradient=bool(self.layers))
            layer.params = {key: array.astype(dtype) for key, array in layer.params.items()}
            self.dense[name] = layer
            self.layers.append(layer)
            if name != "output":
                self.layers.append(ACTIVATIONS[activation]())

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

    def set_parameters(self, values):
        """Copy ``values`` ({name: array}, named like ``parameters()``) into the parameters, after checking them."""
        current = self.parameters()
        for name, new in check_parameter_values(current, values).items():
            current[name][...] = new

    def gradients(self):
        """The gradients from the last ``backward``, named like ``parameters()``."""
        return {f"{name}.{kind}": array
                for name, layer in self.dense.items() for kind, array in layer.grads.items()}

    def weights(self):
        """The weight matrices only (what L1/L2 regularisation penalises)."""
        return [layer.params["weights"] for layer in self.dense.values()]

    def biases(self):
        """The bias vectors, one per Dense layer."""
        return [layer.params["biases"] for layer in self.dense.values()]

    def weight_gradients(self):
        """The gradients of the weight matrices from the last ``backward``, in the order of ``weights()``."""
        return [layer.grads["weights"] for layer in self.dense.values()]

    def __repr__(self):
        return " -> ".join(repr(layer) for layer in self.layers)


def parameter_count(n_features, hidden_layers, n_outputs):
    """How many numbers training learns for this architecture: per layer n_in * n_out weights + n_out biases."""
    sizes = [n_features, *check_hidden_layers(hidden_layers), n_outputs]
    return int(sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])))
