"""Exercises for notebook 06 (a multilayer network).

Exercise 06.2 is checked against finite differences: the checker rebuilds the
notebook's XOR training set and its network at the initial weights
(``MLP(hidden_layers=(4,), activation="tanh", seed=0).build(2, 2)``) and nudges
every weight of the hidden layer to measure the true gradient. Exercise 06.3's
training loop runs side by side with ``MLP.fit`` on fresh XOR data, visiting the
samples in the orders ``MLP.epoch_orders`` reports.
"""
import numpy as np

from ..data import train_val_test_split
from ..datasets import make_xor
from ..gradcheck import numerical_gradient
from ..losses import SoftmaxCrossEntropy
from ..models import MLP
from ._common import check_picked, check_sorting
from .checks import Exercise, Feedback, call, relative_difference

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


# --- 06.3 ------------------------------------------------------------------------------
def training_loop(W1, b1, W2, b2, X, y, orders, learning_rate, batch_size, mistake=None):
    """Mini-batch gradient descent on the tanh network, as fit runs it -- or with one typical ``mistake``.

    W1 (d, h), b1 (h,), W2 (h, K), b2 (K,); X (n, d), y (n,) labels; orders: one index array (n,) per epoch.
    Returns the trained (W1, b1, W2, b2). The mistakes are the names in ``LOOP_MISTAKES``.
    """
    for order in orders:
        order = {"no shuffle": np.arange(len(X)), "shuffled once": orders[0]}.get(mistake, order)
        size = len(X) if mistake == "one step per epoch" else batch_size
        stop = len(X) - len(X) % size if mistake == "last batch dropped" else len(X)
        for start in range(0, stop, size):
            batch = order[start:start + size]
            Xb, yb = X[batch], y[batch]
            m = len(X) if mistake == "mean over all samples" else len(batch)
            H = np.tanh(Xb @ W1 + b1)
            S = H @ W2 + b2
            P = np.exp(S - S.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
            dS = (P - np.eye(W2.shape[1])[yb]) / m
            dW2, db2 = H.T @ dS, dS.sum(axis=0)
            if mistake == "W2 updated before dH":
                W2 = W2 - learning_rate * dW2
            dH = dS @ W2.T
            dZ1 = dH if mistake == "tanh skipped" else dH * (1 - H**2)
            dW1, db1 = Xb.T @ dZ1, dZ1.sum(axis=0)
            sign = -1 if mistake == "uphill" else 1
            W1, b1 = W1 - sign * learning_rate * dW1, b1 - sign * learning_rate * db1
            if mistake != "W2 updated before dH":
                W2 = W2 - sign * learning_rate * dW2
            b2 = b2 - sign * learning_rate * db2
    return W1, b1, W2, b2


LOOP_MISTAKES = {
    "no shuffle": "you visited the samples in the same order (0, 1, 2, ...) every epoch: epoch e visits them in "
                  "the order orders[e], e.g. X[orders[e][start:start + batch_size]].",
    "shuffled once": "every epoch visited the samples in the first epoch's order: each epoch has its own order, "
                     "orders[e] -- shuffle per epoch, as fit does.",
    "one step per epoch": "you made one step per epoch, with the gradient of all the samples: that is full-batch "
                          "gradient descent. Make one step per mini-batch of batch_size samples.",
    "last batch dropped": "the last, smaller mini-batch of each epoch is missing: with {n} samples and batches of "
                          "{batch_size}, an epoch makes {steps} steps, the last one with {rest} samples. "
                          "range(0, n, batch_size) reaches it.",
    "mean over all samples": "the loss of a step is the mean over *its mini-batch*: divide dS by the batch's size, "
                             "len(batch), not by the number of all samples.",
    "W2 updated before dH": "you changed W2 before computing dH = dS @ W2.T, so the hidden layer's gradient used the "
                            "new W2. Compute all four gradients first, then update the parameters.",
    "tanh skipped": "the gradient skipped the tanh: dZ1 = dH * (1 - H**2) (exercise 06.2).",
    "uphill": "your steps go uphill: subtract learning_rate times the gradient, W - learning_rate * dW.",
}


def _loop_case():
    """Fresh XOR data (100 samples: batches of 32 leave one of 4) and a freshly built network; fit's result."""
    X, y = make_xor(n_samples=100, noise=0.1, seed=3)
    model = MLP(hidden_layers=(4,), activation="tanh", learning_rate=0.3, epochs=50, batch_size=32, seed=3)
    model.build(n_features=2, n_outputs=2)
    start = [array.copy() for array in model.parameters().values()]  # W1, b1, W2, b2
    orders = model.epoch_orders(n_samples=len(X))
    model.fit(X, y)
    return X, y, start, orders, [array.copy() for array in model.parameters().values()]


def _check_training_loop(train_network):
    if not callable(train_network):
        return "train_network should be the function you defined: def train_network(W1, b1, W2, b2, X, y, ...): ..."
    X, y, start, orders, fitted = _loop_case()

    def run(epochs):
        result = call(train_network, *[array.copy() for array in start], X.copy(), y.copy(),
                      [order.copy() for order in orders[:epochs]], 0.3, 32)
        if not isinstance(result, (tuple, list)) or len(result) != 4:
            raise Feedback("return the four trained arrays: return W1, b1, W2, b2.")
        result = [np.asarray(array, dtype=float) for array in result]
        for name, array, initial in zip(("W1", "b1", "W2", "b2"), result, start):
            if array.shape != initial.shape:
                raise Feedback(f"the returned {name} has shape {array.shape}; it must keep its shape {initial.shape}.")
        return result

    mine = run(len(orders))
    if max(relative_difference(a, b) for a, b in zip(mine, fitted)) < 1e-12:
        return None
    unchanged = [name for name, a, b in zip(("W1", "b1", "W2", "b2"), mine, start) if np.array_equal(a, b)]
    if len(unchanged) == 4:
        return "the parameters came back unchanged: update them in every step and return the updated arrays."
    if unchanged:
        name = unchanged[0]
        return (f"{' and '.join(unchanged)} came back unchanged: every step updates all four arrays, "
                f"{name} = {name} - learning_rate * d{name} too (and returns the updated ones).")
    for mistake, message in LOOP_MISTAKES.items():
        expected = training_loop(*start, X, y, orders, 0.3, 32, mistake=mistake)
        if max(relative_difference(a, b) for a, b in zip(mine, expected)) < 1e-9:
            return message.format(n=len(X), batch_size=32, steps=-(-len(X) // 32), rest=len(X) % 32)
    agree = _epochs_in_agreement(run, start, X, y, orders)
    return (f"on a fresh XOR data set, your parameters agree with fit's for {agree} epoch{'s' * (agree != 1)} and "
            f"differ after epoch {agree + 1} (of {len(orders)}). Check one mini-batch: forward (tanh, softmax), "
            "dS = (P - Y) / batch size, the four gradients, then the four updates.")


def _epochs_in_agreement(run, start, X, y, orders):
    """For how many epochs run(epochs) -- the learner's loop -- agrees with fit's (bisection over the epochs)."""
    def agrees(epochs):
        expected = training_loop(*start, X, y, orders[:epochs], 0.3, 32)
        return max(relative_difference(a, b) for a, b in zip(run(epochs), expected)) < 1e-12
    low, high = 0, len(orders)  # agrees after `low` epochs, not after `high`
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if agrees(middle) else (low, middle)
    return low


q3 = Exercise(
    id="06.3",
    title="the training loop",
    answers=("train_network",),
    placeholder='''
# Exercise 06.3: the training loop
# Write mini-batch gradient descent for this network (tanh hidden layer, softmax cross-entropy), starting
# from W1, b1, W2, b2. Epoch e visits the samples in the order orders[e] (an index array), in consecutive
# mini-batches of batch_size samples (the last one may be smaller). For each mini-batch: the forward pass
# (section 5), the backward pass (section 6, with the mini-batch's size in place of n), then
# W <- W - learning_rate * dW for all four arrays. Return the trained W1, b1, W2, b2.
def train_network(W1, b1, W2, b2, X, y, orders, learning_rate, batch_size):
    ...
''',
    solution='''
# Exercise 06.3: the training loop
def train_network(W1, b1, W2, b2, X, y, orders, learning_rate, batch_size):
    for order in orders:                                    # one epoch
        for start in range(0, len(order), batch_size):      # one mini-batch
            batch = order[start:start + batch_size]
            Xb, yb, m = X[batch], y[batch], len(batch)
            H = np.tanh(Xb @ W1 + b1)                       # forward
            S = H @ W2 + b2
            P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
            dS = (P - np.eye(W2.shape[1])[yb]) / m          # backward
            dW2, db2 = H.T @ dS, dS.sum(axis=0)
            dZ1 = (dS @ W2.T) * (1 - H**2)
            dW1, db1 = Xb.T @ dZ1, dZ1.sum(axis=0)
            W1, b1 = W1 - learning_rate * dW1, b1 - learning_rate * db1   # update
            W2, b2 = W2 - learning_rate * dW2, b2 - learning_rate * db2
    return W1, b1, W2, b2
''',
    checker=_check_training_loop,
    hints=["Two loops: for order in orders (the epochs), then for start in range(0, len(X), batch_size) (the "
           "mini-batches); the batch is X[order[start:start + batch_size]] and the same rows of y.",
           "Inside: the forward and backward lines of sections 5 and 6 on the mini-batch (divide by its size m, "
           "not by n), then W1 = W1 - learning_rate * dW1 and the same for b1, W2, b2 -- after all four gradients."],
    points=3,
)


# --- 06.4 ------------------------------------------------------------------------------
MLP_NAMES = {
    "hidden_layers": ("hyperparameter", "you chose it in MLP(...) and gradient descent never changes it; it decides "
                      "how many weights and biases exist. Calling it a 'model parameter' is the misconception."),
    "activation": ("hyperparameter", "the unit type is chosen before training (tanh, relu, ...); nothing learns it."),
    "weights_": ("parameter", "fit learns every entry of these matrices from the training data."),
    "biases_": ("parameter", "fit learns them too: a bias is a parameter that is not a weight."),
    "learning_rate": ("hyperparameter", "it steers how the parameters are learned; you chose it."),
    "epochs": ("hyperparameter", "you chose how long to train."),
}

q4 = Exercise(
    id="06.4",
    title="is the architecture learned?",
    answers=("kinds",),
    placeholder='''
# Exercise 06.4: is the architecture learned?
# For the MLP you trained on XOR, answer "parameter" or "hyperparameter" for each name.
kinds = {"hidden_layers": ..., "activation": ..., "weights_": ..., "biases_": ..., "learning_rate": ..., "epochs": ...}
''',
    solution='''
# Exercise 06.4: is the architecture learned?
kinds = {"hidden_layers": "hyperparameter", "activation": "hyperparameter", "weights_": "parameter",
         "biases_": "parameter", "learning_rate": "hyperparameter", "epochs": "hyperparameter"}
''',
    checker=lambda kinds: check_sorting(kinds, MLP_NAMES),
    hints=["Ask of each name: did fit change it, or did it exist (with this value) before fit ran?",
           "Names ending in an underscore appear only after fit."],
    points=1,
)


# --- 06.5 -----------------------------------------------------------------------------
INITS = ("zeros", "normal", "xavier", "he")
SYMMETRY_BREAKERS = {"normal", "xavier", "he"}


def _check_breakers(breaks_symmetry):
    problem = check_picked(breaks_symmetry, INITS, '["he"]')
    if problem:
        return problem
    answer = set(breaks_symmetry)
    if "zeros" in answer:
        return ("'zeros' starts every hidden unit with the same weights (all 0): the units get identical gradients "
                "and stay identical, as the symmetric network above showed.")
    if "normal" not in answer and answer < SYMMETRY_BREAKERS:
        return ("'normal' draws tiny weights (std 0.01), but random ones: every unit starts different, so it breaks "
                "the symmetry too.")
    if answer != SYMMETRY_BREAKERS:
        return (f"{', '.join(sorted(SYMMETRY_BREAKERS - answer))} also draws random starting weights: each unit "
                "starts different.")
    return None


q5 = Exercise(
    id="06.5",
    title="which initialisations break the symmetry",
    answers=("breaks_symmetry",),
    placeholder='''
# Exercise 06.5: which initialisations break the symmetry
# List the names from INITS with which the hidden units of an MLP start different from each other.
INITS = ["zeros", "normal", "xavier", "he"]
breaks_symmetry = ...
''',
    solution='''
# Exercise 06.5: which initialisations break the symmetry
breaks_symmetry = ["normal", "xavier", "he"]
''',
    checker=_check_breakers,
    hints=["Identical starting weights mean identical gradients, so identical units forever. Which choices draw "
           "random numbers?", "Three of the four: every random draw, however small, makes the units differ."],
)
