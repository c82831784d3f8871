"""The pieces of notebook 05, one neuron, and their checks:

    sigmoid(x) -> p                                    x any shape, p the same: 1 / (1 + exp(-x)), never overflowing
    binary_cross_entropy(scores, y) -> (loss, dscores)  scores (n, 1) logits, y (n, 1) 0.0 or 1.0; loss a float,
                                                        dscores (n, 1) = (sigmoid(scores) - y) / n
    neuron_step(w, b, X, y, learning_rate) -> (w, b)   w (d,), b a number, X (n, d), y (n,) 0 or 1: one full-batch
                                                        gradient-descent step on the mean binary cross-entropy
"""
import numpy as np

from ..gradcheck import numerical_gradient
from ..layers import sigmoid
from ..losses import BinaryCrossEntropy
from ..models import LogisticRegression
from .checking import Piece, differs

LARGE = np.array([-1000.0, -745.0, -40.0, 0.0, 40.0, 710.0, 1000.0])  # np.exp overflows beyond 709.78


def warns(function, *args):
    """``function(*args)`` with numpy's overflow, invalid-value and division warnings raised: (result, None), or
    (None, the warning's text) -- a warning the learner would see in every later cell counts as a failure."""
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return function(*args), None
    except (FloatingPointError, OverflowError) as error:
        return None, str(error)


def check_sigmoid(mine):
    x = np.random.default_rng(11).normal(scale=4.0, size=(5, 3))
    if problem := differs("sigmoid(x)", mine(x.copy()), sigmoid(x)):
        return problem
    answer, warning = warns(mine, LARGE.copy())
    if warning:
        return (f"sigmoid(x) for x = -1000 ... 1000 stops numpy with '{warning}': np.exp(1000) is more than a float "
                "holds. Take exp only of -|x| (between 0 and 1): 1 / (1 + e) where x >= 0, e / (1 + e) where x < 0, "
                "with e = np.exp(-np.abs(x)).")
    return differs("sigmoid(x) for x = -1000 ... 1000", answer, sigmoid(LARGE))


def check_binary_cross_entropy(binary_cross_entropy):
    y = np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0], [1.0]])
    small, large = np.random.default_rng(12).normal(scale=2.0, size=(7, 1)), LARGE[::-1].reshape(-1, 1)
    for scores, which in ((small, ""), (large, " for scores from -1000 to 1000")):
        answer, warning = warns(binary_cross_entropy, scores.copy(), y.copy())
        if warning:
            return f"binary_cross_entropy stops numpy with '{warning}'{which}: " + (
                "np.exp of a score of 1000 is more than a float holds; compute p without overflow, as in sigmoid."
                if "overflow" in warning else "there p is exactly 0 or 1, so log p or log(1 - p) is log(0). The "
                "loss -[y log p + (1 - y) log(1 - p)] equals np.logaddexp(0, scores) - y * scores, with no log(0).")
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            return "binary_cross_entropy should return two things: (loss, dscores)."
        loss, dscores = BinaryCrossEntropy().value_and_gradient(scores, y)
        if problem := differs("the loss" + which, answer[0], loss) or differs("dscores" + which, answer[1], dscores):
            return problem
    numerical = numerical_gradient(lambda: float(binary_cross_entropy(small, y)[0]), small)
    return differs("dscores", binary_cross_entropy(small.copy(), y)[1], numerical, 1e-6,
                   "the finite differences of your loss")


def neuron_step(w, b, X, y, learning_rate):
    """The stand-in: one full-batch epoch of nnlib's LogisticRegression from (w (d,), b): its new (w (d,), b)."""
    neuron = LogisticRegression(learning_rate=learning_rate, epochs=1).build(X.shape[1], 1)
    neuron.set_parameters({"output.weights": np.reshape(w, (-1, 1)), "output.biases": np.reshape(b, (1,))})
    neuron.partial_fit(X, y, epochs=1)
    return neuron.coef_.copy(), neuron.intercept_


def step_case():
    """w (3,), b, X (30, 3), y (30,) 0.0 or 1.0, learning rate: fresh data, not a notebook's."""
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, size=30).astype(float)
    return rng.normal(size=3), 0.4, X, y, 0.7


def check_neuron_step(mine):
    w, b, X, y, learning_rate = step_case()
    answer = mine(w.copy(), b, X.copy(), y.copy(), learning_rate)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2 or np.size(answer[1]) != 1:
        return "neuron_step should return two things, the new w (an array like w) and the new b (one number)."
    right_w, right_b = neuron_step(w, b, X, y, learning_rate)
    return (differs("the new w", answer[0], right_w)
            or differs("the new b", np.ravel(np.asarray(answer[1], dtype=float))[0], right_b))


PIECES = (
    Piece("sigmoid", "05.1", check_sigmoid, sigmoid),
    Piece("binary_cross_entropy", "05.2", check_binary_cross_entropy, BinaryCrossEntropy().value_and_gradient),
    Piece("neuron_step", "05.3", check_neuron_step, neuron_step),
)
