"""Exercises for notebook 06b (the network and its gradients), the second part of notebook 06.

Exercises 06b.1 (stable softmax cross-entropy), 06b.2 (the network's passes) and 06b.4 (Xavier and He) build pieces
of the learner's library (``nnlib.learner``). The checkers of 06b.1 and 06b.2 work as notebook 06's (``nb06``): they
name a typical mistake when the answer equals that mistake's result and leave every other difference to the piece's
own check. 06b.4's compares each function with the reference solution (``nnlib.exercises.pieces.SOLUTIONS``) and,
when the two differ, with the reference edited by one typical slip (``INIT_MISTAKES``) to name the mistake.
"""
import numpy as np

from ..learner.recorders import Traced
from .answer_kinds import check_picked
from .framework import Exercise, call, finite, same
from .pieces import PieceExercise, edited, solution


# --- 06b.1 -----------------------------------------------------------------------------
def _softmax_reference(scores, y, mistake=None):
    """(loss, dscores) of softmax cross-entropy, or of one of SOFTMAX_MISTAKES, for a square case (n = K), where
    an (n,) array meant per row lines up with the columns instead of raising an error."""
    n, n_classes = scores.shape
    shifted = scores - (scores.max(axis=1) if mistake == "keepdims" else scores.max(axis=1, keepdims=True))
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    targets = y if mistake == "labels as one-hot" else np.eye(n_classes)[y]
    scale = 1 if mistake == "the 1/n" else n
    loss = float(-np.mean(log_p[:, y])) if mistake == "columns" else float(-np.sum(targets * log_p)) / scale
    return loss, (np.exp(log_p) - targets) / scale


SOFTMAX_MISTAKES = {
    "the 1/n": "{what} n times too large: the loss is the mean over the n samples, so the loss and its gradient "
               "both carry a 1/n: dscores = (P - Y) / n.",
    "labels as one-hot": "y holds labels (0, 1, ..., K-1), one per sample, not one-hot rows: pick each sample's "
                         "probability with P[np.arange(n), y], and make the one-hot rows with Y = np.eye(K)[y].",
    "keepdims": "scores.max(axis=1) has shape (n,), which numpy lines up with the columns, not the rows: keep the "
                "row maxima as a column, scores.max(axis=1, keepdims=True).",
    "columns": "P[:, y] picks whole columns, an (n, n) array: pick one entry per row, each sample's own class, "
               "P[np.arange(n), y] (or log P[np.arange(n), y]).",
}


def _check_softmax(softmax_cross_entropy):
    scores, y = np.random.default_rng(65).normal(size=(4, 4)), np.array([2, 0, 3, 1])  # n = K: see the reference
    answer = call(softmax_cross_entropy, scores.copy(), y.copy())
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None  # the piece's own check says what to return
    right = _softmax_reference(scores, y)
    for mistake, message in SOFTMAX_MISTAKES.items():
        wrong = _softmax_reference(scores, y, mistake)
        matches = [(same(mine, good), same(mine, bad)) for mine, good, bad in zip(answer, right, wrong)]
        if all(good or bad for good, bad in matches) and any(bad and not good for good, bad in matches):
            what = {(True, False): "the loss is", (False, True): "dscores is"}.get(
                tuple(bad for _, bad in matches), "the loss and dscores are")
            return "softmax_cross_entropy: " + message.format(what=what)
    # each row of P and of Y adds up to 1, so each row of dscores = (P - Y) / n adds up to 0
    sums = np.sum(answer[1], axis=1) * len(y) if np.shape(answer[1]) == scores.shape else np.zeros(len(y))
    if np.allclose(sums, 1.0):
        return ("softmax_cross_entropy: dscores is P / n: subtract 1 at each sample's true class, "
                "dscores[np.arange(n), y] -= 1 (that is P - Y, with the one-hot rows Y = np.eye(K)[y]).")
    if not np.allclose(sums, 0.0, atol=1e-6):
        return ("softmax_cross_entropy: each row of your P should add up to 1 (one sample's probabilities over the "
                "K classes): divide each row's exp by the sum over that row, np.exp(shifted).sum(axis=1, "
                "keepdims=True), not by a column's sum (axis=0) or by the sum of everything.")
    if not all(same(mine, good) for mine, good in zip(answer, right)):
        return None  # another difference: the piece's own check describes it
    # Large scores: np.exp overflows in the first row and is 0 for every entry of the second; the first row's true
    # class is so far below its maximum that its probability is 0 in floating point, even when computed safely.
    large, labels = np.array([[1000.0, 0.0, -5.0, 20.0], [-800.0, -1000.0, -990.0, -900.0]]), np.array([1, 2])
    answer = call(softmax_cross_entropy, large.copy(), labels.copy())
    if not isinstance(answer, (tuple, list)) or len(answer) != 2 or all(finite(part) for part in answer):
        return None
    if same(answer[1], _softmax_reference(large, labels)[1]):
        return ("softmax_cross_entropy: dscores is right, but the loss is inf or nan for scores such as 1000: a class "
                "far below its row's maximum gets P = 0 in floating point (np.exp(-1000) is 0), and log(0) is -inf. "
                "Compute log P without P: log P = shifted - log(sum of np.exp(shifted) over the row).")
    return ("softmax_cross_entropy: inf or nan for scores such as 1000 or -1000: np.exp(1000) overflows, and "
            "np.exp(-1000) is 0. Subtract each row's own maximum first, shifted = scores - scores.max(axis=1, "
            "keepdims=True): the probabilities stay the same, and no exponent is above 0.")


q1 = PieceExercise(
    id="06b.1",
    title="softmax cross-entropy, stable",
    answers=("softmax_cross_entropy",),
    placeholder='''
# Exercise 06b.1: softmax cross-entropy, stable
# scores (n, K): one raw score per class; y (n,): labels 0..K-1. P = softmax of each row of scores, Y = one-hot y.
#   loss    = -(1/n) * sum over the samples i of log P[i, y[i]]     (a float)
#   dscores = (P - Y) / n                                            (n, K)
# Return (loss, dscores). It must work for scores as large as 1000.
def softmax_cross_entropy(scores, y):
    ...
''',
    solution=solution("06b.1", "softmax cross-entropy, stable", "softmax_cross_entropy"),
    checker=_check_softmax,
    hints=["shifted = scores - scores.max(axis=1, keepdims=True); then log P = shifted - log(sum of exp(shifted) "
           "over the row), and no exponent is above 0.",
           "n = len(scores); rows = np.arange(n); the loss is -log P[rows, y] averaged; dscores is P with 1 "
           "subtracted at [rows, y], divided by n."],
    points=2,
    pieces={"softmax_cross_entropy": "softmax_cross_entropy"},
)


# --- 06b.2 -----------------------------------------------------------------------------
def _check_passes(name, function, kind):
    """Run ``function`` on three traced layers: None if it calls each one's ``kind`` pass in order (backward: last
    to first), each on the previous one's result, and (forward) returns the last result; else what went wrong."""
    calls, start = [], np.array([-1.0])
    layers = [Traced(position, calls) for position in range(3)]
    returned = call(function, layers, start)
    order, expected = [position for _, position, _, _ in calls], [0, 1, 2] if kind == "forward" else [2, 1, 0]
    if [layer.position for layer in layers] != [0, 1, 2]:
        return (f"{name}: you changed the network's own list of layers (layers.reverse() reverses it in place), so "
                "its next forward pass would run backwards: loop over reversed(layers), which leaves the list as is.")
    if order == expected[:1]:
        return (f"{name}: only one layer ran: a return inside the loop ends the function in its first round. Move "
                "the return after the loop (one indent less).")
    if order == expected[::-1]:
        loop = "for layer in layers" if kind == "forward" else "for layer in reversed(layers)"
        return (f"{name}: you went through the layers in the wrong order. The forward pass runs from the first layer "
                f"to the last; backpropagation starts at the loss and runs from the last layer to the first: {loop}.")
    if order != expected or any(k != kind for k, _, _, _ in calls):
        direction = "first to last" if kind == "forward" else "last to first"
        return f"{name}: call each layer's {kind} once, in order, {direction}."
    given, returned_before = [c[2] for c in calls], [start] + [c[3] for c in calls]
    if not all(same(value, before) for value, before in zip(given, returned_before)):
        variable, neighbour = ("X", "before") if kind == "forward" else ("dscores", "after")
        return (f"{name}: each layer must get what the layer {neighbour} it returned: "
                f"{variable} = layer.{kind}({variable}).")
    if kind == "forward" and not same(returned, calls[-1][3]):
        return f"{name}: return what the last layer's forward returned: the scores."
    return None


def _check_network(network_forward, network_backward):
    return (_check_passes("network_forward", network_forward, "forward")
            or _check_passes("network_backward", network_backward, "backward"))


q2 = PieceExercise(
    id="06b.2",
    title="a network is a list of layers",
    answers=("network_forward", "network_backward"),
    placeholder='''
# Exercise 06b.2: a network is a list of layers
# layers is a list such as [Dense, Tanh, Dense]; each layer has .forward(x) -> out and .backward(dout) -> dx.
# network_forward: pass X through the layers, first to last, and return the last layer's output (the scores).
# network_backward: pass dscores back through the layers, last to first, each getting what the one after it
# returned. It returns nothing: each Dense layer keeps its own gradients.
def network_forward(layers, X):
    ...


def network_backward(layers, dscores):
    ...
''',
    solution=solution("06b.2", "a network is a list of layers", "network_forward", "network_backward"),
    checker=_check_network,
    hints=["A for loop over the layers, with one variable that each layer's output replaces: X = layer.forward(X).",
           "Backward, the same loop over reversed(layers): dscores = layer.backward(dscores)."],
    points=2,
    pieces={"network_forward": "network_forward", "network_backward": "network_backward"},
)


# --- 06b.3 -----------------------------------------------------------------------------
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


q3 = Exercise(
    id="06b.3",
    title="which initialisations break the symmetry",
    answers=("breaks_symmetry",),
    placeholder='''
# Exercise 06b.3: which initialisations break the symmetry
# List the names from INITS with which the hidden units of an MLP start different from each other.
INITS = ["zeros", "normal", "xavier", "he"]
breaks_symmetry = ...
''',
    solution='''
# Exercise 06b.3: which initialisations break the symmetry
breaks_symmetry = ["normal", "xavier", "he"]
''',
    checker=_check_breakers,
    hints=["Identical starting weights mean identical gradients, so identical units forever. Which choices draw "
           "random numbers?", "Three of the four: every random draw, however small, makes the units differ."],
)


# --- 06b.4 -----------------------------------------------------------------------------
INIT_MISTAKES = {  # piece: {edit of its solution: what that slip means}
    "xavier": {
        (("np.sqrt(6.0 / (n_inputs + n_units))", "6.0 / (n_inputs + n_units)"),):
            "your limit has no square root: limit = np.sqrt(6.0 / (n_inputs + n_units)).",
        (("(n_inputs + n_units)", "n_inputs"),):
            "the limit counts the inputs and the units, np.sqrt(6.0 / (n_inputs + n_units)), so that the gradients "
            "going back through the layer keep their size too, not only the signal going forward.",
        (("rng.uniform(-limit, limit", "rng.uniform(0, limit"),):
            "your weights are all positive: draw them between -limit and +limit, rng.uniform(-limit, limit, ...).",
    },
    "he": {
        (("np.sqrt(2.0 / n_inputs)", "2.0 / n_inputs"),):
            "rng.normal's second argument is the standard deviation, np.sqrt(2.0 / n_inputs); 2 / n_inputs is the "
            "variance.",
        (("2.0 / n_inputs", "2.0 / n_units"),):
            "the spread depends on how many inputs each unit adds up: std = np.sqrt(2.0 / n_inputs), not n_units.",
        (("2.0 / n_inputs", "1.0 / n_inputs"),):
            "the factor 2 makes up for ReLU, which zeroes about half its inputs: std = np.sqrt(2.0 / n_inputs).",
    },
}


FORMULAS = {"xavier": "uniformly between -limit and limit, limit = sqrt(6 / (n_inputs + n_units))",
            "he": "from a normal distribution with mean 0 and standard deviation sqrt(2 / n_inputs)"}


def _initializer_problem(piece, function):
    """What is wrong with ``function`` as ``piece`` ("xavier" or "he") on a (64, 32) layer, when a typical slip
    explains it; else None (the piece's own check then compares it with nnlib's)."""
    def draw(function):
        rng = np.random.default_rng(11)
        weights = np.asarray(call(function, 64, 32, rng), dtype=float)
        return weights, rng.bit_generator.state != np.random.default_rng(11).bit_generator.state

    (answer, drew), expected = draw(function), draw(edited(piece))[0]
    if answer.shape != expected.shape or same(answer, expected):
        return None
    for edits, message in INIT_MISTAKES[piece].items():
        if same(answer, draw(edited(piece, edits))[0]):
            return message
    other = {"xavier": "he", "he": "xavier"}[piece]
    if same(answer, draw(edited(other))[0]):
        return f"that is {other}'s formula. {piece} draws {FORMULAS[piece]}."
    ratio = answer / expected
    if np.ptp(ratio) <= 1e-9 * np.abs(ratio).max():  # nnlib's draws, scaled: the formula of the limit or std differs
        spread = "limit" if piece == "xavier" else "standard deviation"
        return (f"your weights are {ratio.flat[0]:.3g} times nnlib's: check the {spread}. {piece} draws "
                f"{FORMULAS[piece]}.")
    if not drew:
        return ("draw the weights from the generator rng that the function receives (rng.uniform, rng.normal), "
                "not from np.random or a generator of your own: the same seed then gives the same weights.")
    if same(np.sort(answer, axis=None), np.sort(expected, axis=None)):
        return ("the right numbers, arranged differently: draw the whole matrix in one call with size=(n_inputs, "
                "n_units), as nnlib does, so that the same seed gives nnlib's starting weights.")
    if piece == "xavier" and np.abs(answer).max() > np.sqrt(6.0 / 96):
        return (f"some of your weights lie outside +-sqrt(6 / (64 + 32)) = {np.sqrt(6.0 / 96):.3f}, for a layer of "
                f"64 inputs and 32 units: xavier draws {FORMULAS['xavier']}.")
    return None


def _check_initializers(xavier, he):
    for piece, function in (("xavier", xavier), ("he", he)):
        if not callable(function):
            return f"{piece} should be the function you defined: def {piece}(n_inputs, n_units, rng): ..."
        problem = _initializer_problem(piece, function)
        if problem:
            return f"{piece}: {problem}"
    return None


q4 = PieceExercise(
    id="06b.4",
    title="Xavier and He initialisation",
    answers=("xavier", "he"),
    placeholder='''
# Exercise 06b.4: Xavier and He initialisation
# Each function returns a weight matrix (n_inputs, n_units), drawn with ONE call on the generator rng:
#   xavier: uniform between -limit and limit, limit = sqrt(6 / (n_inputs + n_units))
#   he:     normal with mean 0 and standard deviation sqrt(2 / n_inputs)
def xavier(n_inputs, n_units, rng):
    ...


def he(n_inputs, n_units, rng):
    ...
''',
    solution=solution("06b.4", "Xavier and He initialisation", "xavier", "he"),
    checker=_check_initializers,
    hints=["Compute the bound or the standard deviation with np.sqrt, then draw the whole matrix at once: "
           "rng.uniform(low, high, size=(n_inputs, n_units)) or rng.normal(mean, std, size=(n_inputs, n_units)).",
           "rng.normal's second argument is the standard deviation, sqrt(2 / n_inputs), not the variance. One call "
           "each, with size=(n_inputs, n_units): nnlib draws exactly so, and the same seed then gives its weights."],
    points=2,
    pieces={"xavier": "xavier", "he": "he"},
)
