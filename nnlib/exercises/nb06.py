"""Exercises for notebook 06 (a multilayer network).

Exercises 06.2-06.5 build pieces of the learner's library (``PieceExercise``): each checker here runs the
learner's functions on small fixed cases of its own and names a typical mistake when the answer equals that
mistake's result; every other difference is left to the piece's own check against nnlib and finite differences
(``nnlib.learner.pieces``), which runs next.
"""
import numpy as np

from .checks import Exercise, Feedback, call, relative_difference
from .pieces import SOLUTIONS, PieceExercise

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


# --- shared by 06.2-06.5: an answer that equals a typical mistake's result -----------------
def _same(answer, expected):
    """True when ``answer`` has ``expected``'s shape and values (relative difference below 1e-9)."""
    try:
        answer = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return False
    return answer.shape == np.shape(expected) and relative_difference(answer, expected) < 1e-9


def _mistake(name, answer, mistakes):
    """``name: message`` of the first (wrong result, message) in ``mistakes`` that ``answer`` equals, else None."""
    return next((f"{name}: {message}" for wrong, message in mistakes if _same(answer, wrong)), None)


def _solution(exercise_id, title, *pieces):
    return f"# Exercise {exercise_id}: {title}\n" + "\n\n".join(SOLUTIONS[piece] for piece in pieces)


# --- 06.2 ------------------------------------------------------------------------------
def _dense_case():
    """x (5, 3), weights (3, 4), biases (4,), dout (5, 4): every size differs, so a swapped transpose shows."""
    rng = np.random.default_rng(63)
    return rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 4))


def _check_dense(dense_forward, dense_backward):
    x, weights, biases, dout = _dense_case()
    out = call(dense_forward, x.copy(), weights.copy(), biases.copy())
    problem = _mistake("dense_forward", out, [
        (x @ weights, "you left out the biases: out = x @ weights + biases (each unit adds its bias to every sample)."),
        ((x @ weights + biases).T, "out has one row per unit; it needs one row per sample, (n, units): "
                                   "x @ weights + biases.")])
    if problem:
        return problem
    try:
        answer = call(dense_backward, dout.copy(), x.copy(), weights.copy())
    except Feedback as error:
        raise Feedback(f"{error} Check each product's shapes: here x is (5, 3), weights (3, 4) and dout (5, 4); dx "
                       "must come out (5, 3), dweights (3, 4), dbiases (4,).") from None
    if isinstance(answer, (tuple, list)) and (len(answer) == 2 or len(answer) == 3 and answer[0] is None):
        return ("dense_backward: you forgot dx. Return three arrays, (dx, dweights, dbiases): dx = dout @ weights.T "
                "is the gradient the layer before this one needs.")
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        return None  # the piece's own check says what to return
    dx, dweights, dbiases = answer
    inside = "the 1/n of the mean loss is already inside dout"
    return (_mistake("dense_backward", dx, [(weights @ dout.T, "dx is transposed: dx = dout @ weights.T has x's "
                                                               "shape, (n, inputs).")])
            or _mistake("dense_backward", dweights, [
                (dout.T @ x, "dweights is transposed: a gradient has its parameter's shape, (inputs, units): "
                             "dweights = x.T @ dout."),
                (x.T @ dout / len(x), "dweights is n times too small: x.T @ dout already sums over the samples, "
                                      f"and {inside}.")])
            or _mistake("dense_backward", dbiases, [
                (dout, "dbiases still has one row per sample: sum dout over the samples, dout.sum(axis=0)."),
                (dout.sum(axis=1), "dbiases has one number per sample: you summed over the units; sum over the "
                                   "samples instead, dout.sum(axis=0)."),
                (dout.mean(axis=0), "dbiases is n times too small: sum dout over the samples, not the mean; "
                                    f"{inside}.")]))


q2 = PieceExercise(
    id="06.2",
    title="the Dense layer as two functions",
    answers=("dense_forward", "dense_backward"),
    placeholder='''
# Exercise 06.2: the Dense layer as two functions
# dense_forward: out = x @ weights + biases.   x (n, inputs), weights (inputs, units), biases (units,) -> out (n, units)
# dense_backward: dout = dL/d out (n, units) arrives from above; return the gradient of L with respect to
# the layer's input and to its parameters, (dx, dweights, dbiases), each the shape of x, weights, biases.
def dense_forward(x, weights, biases):
    ...


def dense_backward(dout, x, weights):
    ...
''',
    solution=_solution("06.2", "the Dense layer as two functions", "dense_forward", "dense_backward"),
    checker=_check_dense,
    hints=["Section 6's three lines for the output layer are this layer's backward pass, with H -> x, dS -> dout and "
           "W2 -> weights.",
           "dx = dout @ weights.T, dweights = x.T @ dout, dbiases = dout.sum(axis=0); return them as a tuple."],
    points=2,
    pieces={"dense_forward": "dense_forward", "dense_backward": "dense_backward"},
)


# --- 06.3 ------------------------------------------------------------------------------
def _activation_case():
    """x and dout (4, 3); every entry of x at least 0.2 away from 0, where ReLU bends."""
    rng = np.random.default_rng(64)
    return rng.choice([-1.0, 1.0], size=(4, 3)) * rng.uniform(0.2, 2.0, size=(4, 3)), rng.normal(size=(4, 3))


def _check_activations(relu_forward, relu_backward, tanh_forward, tanh_backward):
    x, dout = _activation_case()
    relu, tanh = np.maximum(x, 0), np.tanh(x)  # tanh_forward has no typical slip: its piece check covers it
    times_dout = "multiply it by dout, the gradient arriving at the output"
    return (_mistake("relu_forward", call(relu_forward, x.copy()), [
                (x > 0, "you returned x > 0, the mask of its derivative; the output is x where x > 0 and 0 "
                        "elsewhere: np.maximum(x, 0)."),
                (np.max(x, 0), "np.max(x, 0) is the largest entry of each column; np.maximum(x, 0) compares every "
                               "entry with 0.")])
            or _mistake("relu_backward", call(relu_backward, dout.copy(), x.copy(), relu.copy()), [
                (x > 0, f"you returned ReLU's derivative alone: {times_dout}, dout * (x > 0)."),
                (dout * relu, "ReLU's derivative is 1 where x > 0 and 0 elsewhere, not the output itself: "
                              "dout * (x > 0)."),
                (dout, "you passed dout through unchanged: where x < 0 the output does not move, so the gradient "
                       "is 0 there: dout * (x > 0)."),
                (dout * (x < 0), "the gradient passes where x > 0 (where the output follows x), not where x < 0.")])
            or _mistake("tanh_backward", call(tanh_backward, dout.copy(), x.copy(), tanh.copy()), [
                (dout * (1 - x**2), "you computed the derivative from the input, 1 - x**2. It is "
                                    "1 - tanh(x)**2 = 1 - out**2, from the layer's output."),
                (1 - tanh**2, f"you returned tanh's derivative alone: {times_dout}, dout * (1 - out**2)."),
                (dout * (1 - tanh)**2, "(1 - out)**2 squares the difference: the derivative is 1 - out**2."),
                (dout * (1 - np.tanh(tanh)**2), "out is tanh(x) already: the derivative is 1 - out**2, not "
                                                "1 - tanh(out)**2.")]))


q3 = PieceExercise(
    id="06.3",
    title="ReLU and tanh, forward and backward",
    answers=("relu_forward", "relu_backward", "tanh_forward", "tanh_backward"),
    placeholder='''
# Exercise 06.3: ReLU and tanh, forward and backward
# relu: out = max(x, 0), entry by entry;   d out / dx = 1 where x > 0, else 0
# tanh: out = tanh(x);                     d out / dx = 1 - tanh(x)**2
# Each backward gets dout (the gradient at out), the input x and the output out, all of one shape,
# and returns dx: dout times the derivative, entry by entry.
def relu_forward(x):
    ...


def relu_backward(dout, x, out):
    ...


def tanh_forward(x):
    ...


def tanh_backward(dout, x, out):
    ...
''',
    solution=_solution("06.3", "ReLU and tanh, forward and backward", "relu_forward", "relu_backward",
                       "tanh_forward", "tanh_backward"),
    checker=_check_activations,
    hints=["np.maximum(x, 0) compares each entry with 0; (x > 0) is an array of True/False that counts as 1/0 "
           "in a product.",
           "relu_backward: dout * (out > 0) (or x > 0). tanh_backward: the forward pass already computed "
           "tanh(x), it is out: dout * (1 - out**2)."],
    points=2,
    pieces={name: name for name in ("relu_forward", "relu_backward", "tanh_forward", "tanh_backward")},
)


# --- 06.4 ------------------------------------------------------------------------------
def _softmax_reference(scores, y, mistake=None):
    """(loss, dscores) of softmax cross-entropy, or of one of SOFTMAX_MISTAKES, for a square case (n = K), where
    an (n,) array meant per row lines up with the columns instead of raising an error."""
    n, n_classes = scores.shape
    shifted = scores - (scores.max(axis=1) if mistake == "keepdims" else scores.max(axis=1, keepdims=True))
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    targets = y if mistake == "labels as one-hot" else np.eye(n_classes)[y]
    scale = 1 if mistake == "the 1/n" else n
    return float(-np.sum(targets * log_p)) / scale, (np.exp(log_p) - targets) / scale


SOFTMAX_MISTAKES = {
    "the 1/n": "{what} n times too large: the loss is the mean over the n samples, so the loss and its gradient "
               "both carry a 1/n: dscores = (P - Y) / n.",
    "labels as one-hot": "y holds labels (0, 1, ..., K-1), one per sample, not one-hot rows: pick each sample's "
                         "probability with P[np.arange(n), y], and make the one-hot rows with Y = np.eye(K)[y].",
    "keepdims": "scores.max(axis=1) has shape (n,), which numpy lines up with the columns, not the rows: keep the "
                "row maxima as a column, scores.max(axis=1, keepdims=True).",
}


def _finite(value):
    """True when ``value`` is a number or array with no inf or nan."""
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return False


def _check_softmax(softmax_cross_entropy):
    scores, y = np.random.default_rng(65).normal(size=(4, 4)), np.array([2, 0, 3, 1])  # n = K: see the reference
    answer = call(softmax_cross_entropy, scores.copy(), y.copy())
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None  # the piece's own check says what to return
    right = _softmax_reference(scores, y)
    for mistake, message in SOFTMAX_MISTAKES.items():
        wrong = _softmax_reference(scores, y, mistake)
        matches = [(_same(mine, good), _same(mine, bad)) for mine, good, bad in zip(answer, right, wrong)]
        if all(good or bad for good, bad in matches) and any(bad for _, bad in matches):
            what = {(True, False): "the loss is", (False, True): "dscores is"}.get(
                tuple(bad for _, bad in matches), "the loss and dscores are")
            return "softmax_cross_entropy: " + message.format(what=what)
    if not all(_same(mine, good) for mine, good in zip(answer, right)):
        return None  # another difference: the piece's own check describes it
    # Large scores: np.exp overflows in the first row and is 0 for every entry of the second; the first row's true
    # class is so far below its maximum that its probability is 0 in floating point, even when computed safely.
    large, labels = np.array([[1000.0, 0.0, -5.0, 20.0], [-800.0, -1000.0, -990.0, -900.0]]), np.array([1, 2])
    answer = call(softmax_cross_entropy, large.copy(), labels.copy())
    if not isinstance(answer, (tuple, list)) or len(answer) != 2 or all(_finite(part) for part in answer):
        return None
    if _same(answer[1], _softmax_reference(large, labels)[1]):
        return ("softmax_cross_entropy: dscores is right, but the loss is inf or nan for scores such as 1000: a class "
                "far below its row's maximum gets P = 0 in floating point (np.exp(-1000) is 0), and log(0) is -inf. "
                "Compute log P without P: log P = shifted - log(sum of np.exp(shifted) over the row).")
    return ("softmax_cross_entropy: inf or nan for scores such as 1000 or -1000: np.exp(1000) overflows, and "
            "np.exp(-1000) is 0. Subtract each row's own maximum first, shifted = scores - scores.max(axis=1, "
            "keepdims=True): the probabilities stay the same, and no exponent is above 0.")


q4 = PieceExercise(
    id="06.4",
    title="softmax cross-entropy, stable",
    answers=("softmax_cross_entropy",),
    placeholder='''
# Exercise 06.4: softmax cross-entropy, stable
# scores (n, K): one raw score per class; y (n,): labels 0..K-1. P = softmax of each row of scores, Y = one-hot y.
#   loss    = -(1/n) * sum over the samples i of log P[i, y[i]]     (a float)
#   dscores = (P - Y) / n                                            (n, K)
# Return (loss, dscores). It must work for scores as large as 1000.
def softmax_cross_entropy(scores, y):
    ...
''',
    solution=_solution("06.4", "softmax cross-entropy, stable", "softmax_cross_entropy"),
    checker=_check_softmax,
    hints=["shifted = scores - scores.max(axis=1, keepdims=True); then log P = shifted - log(sum of exp(shifted) "
           "over the row), and no exponent is above 0.",
           "n = len(scores); rows = np.arange(n); the loss is -log P[rows, y] averaged; dscores is P with 1 "
           "subtracted at [rows, y], divided by n."],
    points=2,
    pieces={"softmax_cross_entropy": "softmax_cross_entropy"},
)


# --- 06.5 ------------------------------------------------------------------------------
class _Traced:
    """A stand-in layer that records each call (pass, its position, what it got) and returns a new array."""

    def __init__(self, position, calls):
        self.position, self.calls = position, calls

    def forward(self, x):
        return self._record("forward", x)

    def backward(self, dout):
        return self._record("backward", dout)

    def _record(self, kind, value):
        result = np.array([len(self.calls) + 1.0])
        self.calls.append((kind, self.position, value, result))
        return result


def _check_passes(name, function, kind):
    """Run ``function`` on three traced layers: None if it calls each one's ``kind`` pass in order (backward: last
    to first), each on the previous one's result, and (forward) returns the last result; else what went wrong."""
    calls, start = [], np.array([-1.0])
    returned = call(function, [_Traced(position, calls) for position in range(3)], start)
    order, expected = [position for _, position, _, _ in calls], [0, 1, 2] if kind == "forward" else [2, 1, 0]
    if order == expected[::-1]:
        loop = "for layer in layers" if kind == "forward" else "for layer in reversed(layers)"
        return (f"{name}: you went through the layers in the wrong order. The forward pass runs from the first layer "
                f"to the last; backpropagation starts at the loss and runs from the last layer to the first: {loop}.")
    if order != expected or any(k != kind for k, _, _, _ in calls):
        direction = "first to last" if kind == "forward" else "last to first"
        return f"{name}: call each layer's {kind} once, in order, {direction}."
    given, returned_before = [c[2] for c in calls], [start] + [c[3] for c in calls]
    if not all(_same(value, before) for value, before in zip(given, returned_before)):
        variable, neighbour = ("X", "before") if kind == "forward" else ("dscores", "after")
        return (f"{name}: each layer must get what the layer {neighbour} it returned: "
                f"{variable} = layer.{kind}({variable}).")
    if kind == "forward" and not _same(returned, calls[-1][3]):
        return f"{name}: return what the last layer's forward returned: the scores."
    return None


def _check_network(network_forward, network_backward):
    return (_check_passes("network_forward", network_forward, "forward")
            or _check_passes("network_backward", network_backward, "backward"))


q5 = PieceExercise(
    id="06.5",
    title="a network is a list of layers",
    answers=("network_forward", "network_backward"),
    placeholder='''
# Exercise 06.5: a network is a list of layers
# layers is a list such as [Dense, Tanh, Dense]; each layer has .forward(x) -> out and .backward(dout) -> dx.
# network_forward: pass X through the layers, first to last, and return the last layer's output (the scores).
# network_backward: pass dscores back through the layers, last to first, each getting what the one after it
# returned. It returns nothing: each Dense layer keeps its own gradients.
def network_forward(layers, X):
    ...


def network_backward(layers, dscores):
    ...
''',
    solution=_solution("06.5", "a network is a list of layers", "network_forward", "network_backward"),
    checker=_check_network,
    hints=["A for loop over the layers, with one variable that each layer's output replaces: X = layer.forward(X).",
           "Backward, the same loop over reversed(layers): dscores = layer.backward(dscores)."],
    points=2,
    pieces={"network_forward": "network_forward", "network_backward": "network_backward"},
)
