"""Exercises for notebook 06 (a multilayer network).

Exercise 06.2 is checked against finite differences: the checker rebuilds the
notebook's XOR training set and its network at the initial weights
(``MLP(hidden_layers=(4,), activation="tanh", seed=0).build(2, 2)``) and nudges
every weight of the hidden layer to measure the true gradient. Training that
network is notebook 06b's (``nb06b``).
"""
import numpy as np

from ..data import train_val_test_split
from ..datasets import make_xor
from ..gradcheck import numerical_gradient
from ..losses import SoftmaxCrossEntropy
from ..models import MLP
from .checks import Exercise, relative_difference

# --- 06.1 ------------------------------------------------------------------------------
_SIZES = (4, 8, 6, 3)  # 4 measurements -> hidden_layers=(8, 6) -> 3 species
_N_WEIGHTS = sum(a * b for a, b in zip(_SIZES[:-1], _SIZES[1:]))
_N_BIASES = sum(_SIZES[1:])


def _check_count(n_parameters):
    if isinstance(n_parameters, bool) or not isinstance(n_parameters, (int, np.integer, float)):
        return "answer with a whole number."
    n = n_parameters
    if n == _N_WEIGHTS + _N_BIASES:
        return None
    if n == _N_WEIGHTS:
        return f"{n} counts the weights only: every hidden and output unit also has a bias ({_N_BIASES} more)."
    if n == _N_WEIGHTS + _N_BIASES + _SIZES[0]:
        return "the input layer has no biases: the inputs are the data, not units that compute anything."
    if n == _SIZES[0] * 8 + 8 + 8 * 6 + 6:
        return "you left out the output layer: 6 hidden units -> 3 outputs is one more weight matrix and 3 biases."
    if n in (sum(_SIZES), sum(_SIZES[1:])):
        return f"{n} counts units. Count the connections: each layer has n_in x n_out weights, plus n_out biases."
    if n == int(np.prod(_SIZES)):
        return "multiply within a layer (n_in x n_out), then add up the layers -- don't multiply all the sizes."
    return "sum over the three layers of (n_in x n_out weights + n_out biases): 4->8, 8->6 and 6->3."


q1 = Exercise(
    id="06.1",
    title="count the parameters",
    answers=("n_parameters",),
    placeholder='''
# Exercise 06.1: count the parameters
# A network reads 4 penguin measurements, has hidden_layers=(8, 6) and outputs scores for 3 species.
# How many parameters will fit learn? Count by hand (a formula with numbers is fine).
n_parameters = ...
''',
    solution='''
# Exercise 06.1: count the parameters
n_parameters = (4 * 8 + 8) + (8 * 6 + 6) + (6 * 3 + 3)
''',
    checker=_check_count,
    hints=["Three Dense layers: 4 -> 8, 8 -> 6, 6 -> 3.",
           "Each layer has n_in x n_out weights and n_out biases."],
    points=1,
)


# --- 06.2 ------------------------------------------------------------------------------
def _hidden_layer_gradients():
    """The notebook's XOR network at its initial weights: (arrays for the checker, numerical dW1, db1)."""
    X, y = make_xor(n_samples=200, noise=0.1, seed=0)
    X_train, _, _, y_train, _, _ = train_val_test_split(X, y, seed=0)
    network = MLP(hidden_layers=(4,), activation="tanh", seed=0).build(2, 2).network_
    loss = SoftmaxCrossEntropy()

    def value():
        return loss.value(network.forward(X_train), y_train)

    hidden = network.dense["hidden_1"]
    W1, b1 = hidden.params["weights"], hidden.params["biases"]
    dW1, db1 = numerical_gradient(value, W1), numerical_gradient(value, b1)
    n = len(X_train)
    Z1 = X_train @ W1 + b1
    H = np.tanh(Z1)
    P = np.exp(H @ network.dense["output"].params["weights"] + network.dense["output"].params["biases"])
    P /= P.sum(axis=1, keepdims=True)
    dH = (P - np.eye(2)[y_train]) / n @ network.dense["output"].params["weights"].T
    return dict(X=X_train, Z1=Z1, H=H, dH=dH, n=n), dW1, db1


_CASE, _DW1, _DB1 = _hidden_layer_gradients()


def _check_backprop(dW1, db1):
    dW1, db1 = np.asarray(dW1, dtype=float), np.asarray(db1, dtype=float)
    X, Z1, H, dH, n = (_CASE[k] for k in ("X", "Z1", "H", "dH", "n"))
    if dW1.shape == _DW1.T.shape and dW1.shape != _DW1.shape:
        return (f"dW1 has shape {dW1.shape}, but W1 has shape {_DW1.shape}: a gradient has its parameter's shape. "
                "Try X_train.T @ dZ1.")
    if dW1.shape != _DW1.shape:
        return f"dW1 must have the shape of W1, {_DW1.shape}; yours has shape {dW1.shape}."
    if db1.shape == (n, _DB1.size):
        return "db1 still has one row per sample: sum dZ1 over the samples (axis=0)."
    if db1.shape != _DB1.shape:
        return f"db1 must have the shape of b1, {_DB1.shape}; yours has shape {db1.shape}."
    w_ok = relative_difference(dW1, _DW1) < 1e-5
    b_ok = relative_difference(db1, _DB1) < 1e-5
    if w_ok and b_ok:
        return None
    if relative_difference(dW1, X.T @ dH) < 1e-5:
        return "you skipped the tanh: the gradient reaching Z1 is dZ1 = dH * (1 - H**2), and dW1 = X_train.T @ dZ1."
    if relative_difference(dW1, X.T @ (dH * (1 - Z1**2))) < 1e-5:
        return "tanh's derivative is 1 - tanh(z)**2 = 1 - H**2, with H the layer's output, not 1 - Z1**2."
    if relative_difference(dW1, -_DW1) < 1e-5:
        return "dW1 has the wrong sign; follow the chain rule from dH without changing signs."
    if w_ok and relative_difference(db1, _DB1 / n) < 1e-5:
        return "dW1 is right; db1 is n times too small: sum dZ1 over the samples (the 1/n is already in dS)."
    if relative_difference(dW1, _DW1 / n) < 1e-5:
        return "dW1 is n times too small: dS already contains the 1/n, so don't divide again."
    if w_ok:
        return "dW1 is right; db1 is the sum of dZ1 over the samples: dZ1.sum(axis=0)."
    if b_ok:
        return "db1 is right; dW1 = X_train.T @ dZ1 (inputs transposed, times the gradient at Z1)."
    return ("not yet: compare with the finite-difference gradient. Compute dZ1 = dH * (1 - H**2), then "
            "dW1 = X_train.T @ dZ1 and db1 = dZ1.sum(axis=0).")


q2 = Exercise(
    id="06.2",
    title="backpropagate through the hidden layer",
    answers=("dW1", "db1"),
    placeholder='''
# Exercise 06.2: backpropagate through the hidden layer
# You have dH (gradient of the loss with respect to the hidden layer's output H = tanh(Z1)),
# H itself, X_train and W1. Compute dW1 (same shape as W1) and db1 (same shape as b1).
dW1 = ...
db1 = ...
''',
    solution='''
# Exercise 06.2: backpropagate through the hidden layer
dZ1 = dH * (1 - H**2)
dW1 = X_train.T @ dZ1
db1 = dZ1.sum(axis=0)
''',
    checker=_check_backprop,
    hints=["Two steps backwards: first through tanh (dZ1 = dH times tanh's derivative), then through the Dense layer.",
           "tanh's derivative at Z1 is 1 - H**2. The Dense layer gives dW1 = X_train.T @ dZ1 and "
           "db1 = dZ1.sum(axis=0), exactly like dW2 and db2 above."],
    points=2,
)
