"""A network: Dense layers with an activation between them, and nothing hidden.

Dense -> [BatchNorm] -> activation -> [Dropout] -> ... -> Dense; the last Dense outputs raw *scores* (logits), which
the loss turns into probabilities. Layers are named ``hidden_1``, ..., ``output``; parameters "<layer>.weights" and
"<layer>.biases" (and a hidden layer's batch normalisation "<layer>.gamma", "<layer>.beta").
"""
from .initializers import resolve
from .input_checks import check_hidden_layers, check_parameter_values
from .layers import ACTIVATIONS, BatchNorm, Dense, Dropout


class Network:
    """Dense layers of sizes n_inputs -> hidden_layers... -> n_outputs. forward: X (n, n_inputs) -> scores
    (n, n_outputs); backward: dscores (n, n_outputs) -> fills each layer's ``grads``. ``activation`` names the
    hidden units' activation, ``init`` how the weights start (both checked by the model); ``batch_norm`` (None or
    its momentum) and ``dropout`` (a rate; 0: none) add those layers to every hidden layer."""

    def __init__(self, n_inputs, hidden_layers, n_outputs, *, activation, init, rng, dtype="float64", batch_norm=None,
                 dropout=0.0):
        sizes, self.n_inputs, self.dtype = [n_inputs, *hidden_layers, n_outputs], n_inputs, dtype
        names = [f"hidden_{i}" for i in range(1, len(hidden_layers) + 1)] + ["output"]
        self.dense, self.norms, self.layers = {}, {}, []
        for name, n_in, n_out in zip(names, sizes[:-1], sizes[1:]):
            self.dense[name] = Dense(n_in, n_out, rng=rng, init=resolve(init, activation),
                                     input_gradient=bool(self.layers))
            self.layers.append(self.dense[name])
            if name != "output":
                if batch_norm is not None:
                    self.norms[name] = BatchNorm(n_out, momentum=batch_norm)
                    self.layers.append(self.norms[name])
                self.layers.append(ACTIVATIONS[activation]())
                self.layers += [Dropout(dropout, rng=rng)] if dropout else []
        for layer in self.layers:
            for values in (layer.params, getattr(layer, "running", {})):
                values.update({key: array.astype(dtype) for key, array in values.items()})

    def forward(self, X, training=False):
        """training=True for the training loop's passes: Dropout drops and BatchNorm uses the batch's statistics."""
        for layer in self.layers:
            layer.training = training
            X = layer.forward(X)
        return X

    def backward(self, dscores):
        for layer in reversed(self.layers):
            dscores = layer.backward(dscores)

    def _named(self, values):
        """{"<layer>.<kind>": array} from each Dense and BatchNorm layer's dict ``values`` (params, grads, running)."""
        return {f"{name}.{kind}": array for name, layer in [*self.dense.items(), *self.norms.items()]
                for kind, array in getattr(layer, values, {}).items()}

    def parameters(self):
        """The live parameter arrays by name, e.g. {"hidden_1.weights": (n_in, n_units) array, ...}."""
        return self._named("params")

    def statistics(self):
        """Batch normalisation's running statistics, e.g. {"hidden_1.running_mean": (n_units,) array}: learned from the
        training data, not by gradient descent; saved with the parameters. Empty without batch normalisation."""
        return self._named("running")

    def set_parameters(self, values):
        """Copy ``values`` ({name: array}, named like ``parameters()`` and ``statistics()``) into the model, after
        checking them."""
        current = {**self.parameters(), **self.statistics()}
        for name, new in check_parameter_values(current, values).items():
            current[name][...] = new

    def gradients(self):
        """The gradients from the last ``backward``, named like ``parameters()``."""
        return self._named("grads")

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


def parameter_count(n_features, hidden_layers, n_outputs, batch_norm=False):
    """How many numbers training learns for this architecture: per layer n_in * n_out weights + n_out biases (and
    with ``batch_norm``, a gamma and a beta per hidden unit)."""
    sizes = [n_features, *check_hidden_layers(hidden_layers), n_outputs]
    dense = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    return int(dense + 2 * batch_norm * sum(sizes[1:-1]))
