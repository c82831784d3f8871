"""The pieces of notebooks 06, 06b and 06c, the network's core, and their checks:

    dense_forward(x, weights, biases) -> out                  x (n, d), weights (d, u), biases (u,), out (n, u)
    dense_backward(dout, x, weights) -> (dx, dweights, dbiases)   shaped like x, weights, biases
    relu_forward(x) -> out;  relu_backward(dout, x, out) -> dx     (tanh_forward, tanh_backward the same)
    softmax_cross_entropy(scores, y) -> (loss, dscores)       scores (n, K), y (n,) labels; loss a float
    network_forward(layers, X) -> scores;  network_backward(layers, dscores) -> None  (each layer's forward/backward)
    xavier(n_inputs, n_units, rng) -> weights;  he(...) the same     weights (n_inputs, n_units), one draw from rng
    train(network, loss, optimizer, X, y, epochs, batch_size, learning_rate, rng) -> [mean loss of each epoch]
        network.forward/backward/parameters()/gradients(); loss(scores, y) -> (loss, dscores);
        optimizer.step(params, grads, learning_rate)

nnlib calls them through ``nnlib.learner.adapters`` (layers, network, loss) and ``library`` (initialisers, loop).
"""
import numpy as np

from ..gradcheck import numerical_gradient
from ..history import History
from ..initializers import he, xavier
from ..layers import ReLU, Tanh
from ..losses import SoftmaxCrossEntropy, WeightPenalty
from ..network import Network
from ..optim import SGD
from ..train import Plan, train_epochs
from .checking import Piece, differs


def _case(seed=0):
    """x (5, 3), weights (3, 4), biases (4,), dout (5, 4)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 4))


def check_dense_forward(dense_forward):
    x, weights, biases, _ = _case()
    return differs("dense_forward(x, weights, biases)", dense_forward(x, weights, biases), x @ weights + biases)


def check_dense_backward(dense_backward):
    x, weights, biases, dout = _case()
    answer = dense_backward(dout, x, weights)
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        return "dense_backward should return three arrays: (dx, dweights, dbiases)."
    for name, mine, array in zip(("dx", "dweights", "dbiases"), answer, (x, weights, biases)):
        numerical = numerical_gradient(lambda: np.sum((x @ weights + biases) * dout), array)
        problem = differs(name, mine, numerical, 1e-6, "the finite differences of dense_forward's formula")
        if problem:
            return problem
    return None


def _check_activation(name, reference, forward, backward, x):
    layer = reference()
    expected = layer.forward(x)
    if forward is not None and (problem := differs(f"{name}_forward(x)", forward(x), expected)):
        return problem
    if backward is not None:
        dout = np.random.default_rng(1).normal(size=x.shape)
        mine = backward(dout, x, expected.copy())
        nudged = x.copy()
        numerical = numerical_gradient(lambda: np.sum(reference().forward(nudged) * dout), nudged)
        return (differs(f"{name}_backward(dout, x, out)", mine, layer.backward(dout))
                or differs(f"{name}_backward(dout, x, out)", mine, numerical, 1e-6, "finite differences"))
    return None


def _activation_input():
    x = np.random.default_rng(2).normal(size=(4, 3))
    return np.where(np.abs(x) < 0.1, 0.5, x)  # away from ReLU's kink, where finite differences disagree


def check_softmax_cross_entropy(softmax_cross_entropy):
    rng = np.random.default_rng(3)
    for scores in (rng.normal(size=(6, 4)), 1000 * rng.normal(size=(6, 4))):  # the second overflows a naive exp
        y = np.array([0, 1, 2, 3, 1, 2])
        answer = softmax_cross_entropy(scores.copy(), y)
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return "softmax_cross_entropy should return two things: (loss, dscores)."
        loss, grad = SoftmaxCrossEntropy().value_and_gradient(scores, y)
        large = "" if abs(scores).max() < 100 else (" for scores as large as 1000 (subtract each row's maximum, and "
                                                    "take the log before dividing: log P = shifted - log of the row's "
                                                    "sum of exp(shifted))")
        problem = differs("the loss" + large, answer[0], loss) or differs("dscores" + large, answer[1], grad)
        if problem:
            return problem
    numerical = numerical_gradient(lambda: SoftmaxCrossEntropy().value_and_gradient(scores, y)[0], scores)
    return differs("dscores", answer[1], numerical, 1e-5, "finite differences")


def _small_network(seed=4):
    return Network(3, (5,), 4, activation="tanh", init="xavier", rng=np.random.default_rng(seed))


def check_network_forward(network_forward):
    network, X = _small_network(), np.random.default_rng(5).normal(size=(6, 3))
    return differs("network_forward(layers, X)", network_forward(network.layers, X), network.forward(X))


def check_network_backward(network_backward):
    network, X = _small_network(), np.random.default_rng(5).normal(size=(6, 3))
    dscores = np.random.default_rng(6).normal(size=(6, 4))
    network.forward(X)
    network.backward(dscores)
    expected = {name: grad.copy() for name, grad in network.gradients().items()}
    for layer in network.dense.values():
        layer.grads = {}
    network.forward(X)
    network_backward(network.layers, dscores)
    for name, grad in expected.items():
        if problem := differs(f"the gradient of {name}", network.gradients().get(name), grad):
            return problem
    return None


def _check_initializer(name, reference, mine):
    for n_inputs, n_units in ((64, 32), (3, 200)):
        answer = mine(n_inputs, n_units, np.random.default_rng(7))
        expected = reference(n_inputs, n_units, np.random.default_rng(7))
        if problem := differs(f"{name}({n_inputs}, {n_units}, rng)", answer, expected):
            return (f"{problem} Draw all the weights with one call on rng (size=(n_inputs, n_units)), so the same "
                    "seed gives the same starting weights as nnlib.")
    return None


def check_train(train):
    X, y = np.random.default_rng(8).normal(size=(20, 3)), np.arange(20) % 4
    runs = []
    for mine in (True, False):  # yours, then nnlib's train_epochs, from the same network and generator
        network, rng, loss = _small_network(), np.random.default_rng(9), SoftmaxCrossEntropy()
        # with momentum, so that a loop updating the parameters itself instead of calling optimizer.step differs
        losses = (train(network, loss.value_and_gradient, SGD(0.5), X, y, 3, 6, 0.5, rng) if mine else
                  train_epochs(network, loss, SGD(0.5), WeightPenalty(), (X, y, None), Plan(3, 6, 0.5, rng),
                               History()).loss)
        runs.append((losses, network.parameters()))
    (losses, mine), (expected_losses, expected) = runs
    problem = differs("the list of each epoch's mean loss", losses, expected_losses) or next(
        filter(None, (differs(f"{name} after 3 epochs", mine[name], expected[name]) for name in expected)), None)
    return problem and (f"{problem} Visit each epoch's samples in the order epoch_order(rng, len(X), batch_size, "
                        "True) draws, in consecutive slices of batch_size, and let optimizer.step(params, grads, "
                        "learning_rate) update the parameters.")


PIECES = (
    Piece("dense_forward", "06.2", check_dense_forward),
    Piece("dense_backward", "06.2", check_dense_backward),
    Piece("relu_forward", "06.3", lambda f: _check_activation("relu", ReLU, f, None, _activation_input())),
    Piece("relu_backward", "06.3", lambda f: _check_activation("relu", ReLU, None, f, _activation_input())),
    Piece("tanh_forward", "06.3", lambda f: _check_activation("tanh", Tanh, f, None, _activation_input())),
    Piece("tanh_backward", "06.3", lambda f: _check_activation("tanh", Tanh, None, f, _activation_input())),
    Piece("softmax_cross_entropy", "06b.1", check_softmax_cross_entropy),
    Piece("network_forward", "06b.2", check_network_forward),
    Piece("network_backward", "06b.2", check_network_backward),
    Piece("xavier", "06b.4", lambda f: _check_initializer("xavier", xavier, f), xavier),
    Piece("he", "06b.4", lambda f: _check_initializer("he", he, f), he),
    Piece("train", "06c.1", check_train),
)
