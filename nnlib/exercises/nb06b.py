"""Exercises for notebook 06b (training the network), the second part of notebook 06.

Exercise 06b.2's training loop runs side by side with ``MLP.fit`` on fresh XOR data, visiting the
samples in the orders ``MLP.epoch_orders`` reports.
"""
import numpy as np

from ..datasets import make_xor
from ..models import MLP
from ._common import check_picked, check_sorting
from .checks import Exercise, Feedback, call, relative_difference

# --- 06b.1 -----------------------------------------------------------------------------
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


q1 = Exercise(
    id="06b.1",
    title="which initialisations break the symmetry",
    answers=("breaks_symmetry",),
    placeholder='''
# Exercise 06b.1: which initialisations break the symmetry
# List the names from INITS with which the hidden units of an MLP start different from each other.
INITS = ["zeros", "normal", "xavier", "he"]
breaks_symmetry = ...
''',
    solution='''
# Exercise 06b.1: which initialisations break the symmetry
breaks_symmetry = ["normal", "xavier", "he"]
''',
    checker=_check_breakers,
    hints=["Identical starting weights mean identical gradients, so identical units forever. Which choices draw "
           "random numbers?", "Three of the four: every random draw, however small, makes the units differ."],
)


# --- 06b.2 -----------------------------------------------------------------------------
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


q2 = Exercise(
    id="06b.2",
    title="the training loop",
    answers=("train_network",),
    placeholder='''
# Exercise 06b.2: the training loop
# Write mini-batch gradient descent for this network (tanh hidden layer, softmax cross-entropy), starting
# from W1, b1, W2, b2. Epoch e visits the samples in the order orders[e] (an index array), in consecutive
# mini-batches of batch_size samples (the last one may be smaller). For each mini-batch: the forward and
# backward passes recalled in section 1 (with the mini-batch's size in place of n), then
# W <- W - learning_rate * dW for all four arrays. Return the trained W1, b1, W2, b2.
def train_network(W1, b1, W2, b2, X, y, orders, learning_rate, batch_size):
    ...
''',
    solution='''
# Exercise 06b.2: the training loop
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
           "Inside: the forward and backward lines recalled in section 1, on the mini-batch (divide by its size m, "
           "not by n), then W1 = W1 - learning_rate * dW1 and the same for b1, W2, b2 -- after all four gradients."],
    points=3,
)


# --- 06b.3 -----------------------------------------------------------------------------
MLP_NAMES = {
    "hidden_layers": ("hyperparameter", "you chose it in MLP(...) and gradient descent never changes it; it decides "
                      "how many weights and biases exist. Calling it a 'model parameter' is the misconception."),
    "activation": ("hyperparameter", "the unit type is chosen before training (tanh, relu, ...); nothing learns it."),
    "weights_": ("parameter", "fit learns every entry of these matrices from the training data."),
    "biases_": ("parameter", "fit learns them too: a bias is a parameter that is not a weight."),
    "learning_rate": ("hyperparameter", "it steers how the parameters are learned; you chose it."),
    "epochs": ("hyperparameter", "you chose how long to train."),
}

q3 = Exercise(
    id="06b.3",
    title="is the architecture learned?",
    answers=("kinds",),
    placeholder='''
# Exercise 06b.3: is the architecture learned?
# For the MLP you trained on XOR, answer "parameter" or "hyperparameter" for each name.
kinds = {"hidden_layers": ..., "activation": ..., "weights_": ..., "biases_": ..., "learning_rate": ..., "epochs": ...}
''',
    solution='''
# Exercise 06b.3: is the architecture learned?
kinds = {"hidden_layers": "hyperparameter", "activation": "hyperparameter", "weights_": "parameter",
         "biases_": "parameter", "learning_rate": "hyperparameter", "epochs": "hyperparameter"}
''',
    checker=lambda kinds: check_sorting(kinds, MLP_NAMES),
    hints=["Ask of each name: did fit change it, or did it exist (with this value) before fit ran?",
           "Names ending in an underscore appear only after fit."],
    points=1,
)
