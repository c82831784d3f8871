"""Gradient checking: compare backprop's gradients with finite differences.

If ``backward`` is right, nudging one parameter by +-h changes the loss by about 2 h times its gradient.
``relative_error`` below 1e-6 (in float64) means the analytic gradient is right; above 1e-3, a bug.
"""
import numpy as np

from .input_checks import check_features
from .losses import WeightPenalty


def numerical_gradient(f, x, h=1e-6):
    """Central-difference gradient (shaped like ``x``) of the scalar function ``f()`` with respect to array ``x``.

    ``x`` is changed in place one entry at a time (and restored), so ``f`` must read it.
    """
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        plus = f()
        x[index] = original - h
        minus = f()
        x[index] = original
        grad[index] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|) over all entries: scale-free, 0 when equal."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-300))


def check_layer(layer, x, seed=0):
    """Gradient-check one layer's backward pass on input x (n, n_inputs): {"input": error, "<param>": error, ...}.

    The loss is sum(out * r) for a fixed random r, so d loss / d out = r.
    """
    r = np.random.default_rng(seed).normal(size=layer.forward(x).shape)
    dx = layer.backward(r)
    analytic = {name: g.copy() for name, g in layer.grads.items()}

    def loss():
        return np.sum(layer.forward(x) * r)

    errors = {} if dx is None else {"input": relative_error(dx, numerical_gradient(loss, x))}
    for name, param in layer.params.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss, param))
    return errors


def check_loss(loss, scores, y):
    """Relative error between ``loss.gradient`` and finite differences at scores (n, k)."""
    scores = np.array(scores, dtype=float)
    analytic = loss.value_and_gradient(scores, y)[1]
    return relative_error(analytic, numerical_gradient(lambda: loss.value(scores, y), scores))


def check_model(model, X, y):
    """Gradient-check a built or fitted model on a few samples X (n, n_features), y (n,): {parameter name: error}
    between backprop's gradient of (loss + L1/L2 penalty) and finite differences."""
    parameters = model.parameters()  # a model without parameters yet says so here
    choices = model.choices()
    network, loss, penalty = model.network_, model.loss_, WeightPenalty(choices["l1"], choices["l2"])
    X = check_features(X).astype(float)
    y = loss.targets(y, len(X), n_outputs=model.n_outputs_)
    network.backward(loss.value_and_gradient(network.forward(X), y)[1])
    penalty.add_gradient(network)
    analytic = {name: grad.copy() for name, grad in network.gradients().items()}

    def objective():
        return loss.value(network.forward(X), y) + penalty.value(network.weights())

    return {name: relative_error(analytic[name], numerical_gradient(objective, param))
            for name, param in parameters.items()}

