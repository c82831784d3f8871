"""Exercises for notebook 06 (a multilayer network).

Exercises 06.2 and 06.3 build pieces of the learner's library (``PieceExercise``): each checker here runs the
learner's functions on small fixed cases of its own and names a typical mistake when the answer equals that
mistake's result; every other difference is left to the piece's own check against nnlib and finite differences
(``nnlib.learner.pieces``), which runs next.
"""
import numpy as np

from .framework import Exercise, Feedback, call, same
from .pieces import PieceExercise, solution

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


# --- shared by 06.2 and 06.3: an answer that equals a typical mistake's result -----------------------------
def _mistake(name, answer, mistakes):
    """``name: message`` of the first (wrong result, message) in ``mistakes`` that ``answer`` equals, else None."""
    return next((f"{name}: {message}" for wrong, message in mistakes if same(answer, wrong)), None)


# --- 06.2 ------------------------------------------------------------------------------
def _dense_case():
    """x (5, 3), weights (3, 4), biases (4,), dout (5, 4): every size differs, so a swapped transpose shows."""
    rng = np.random.default_rng(63)
    return rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 4))


def _check_dense(dense_forward, dense_backward):
    x, weights, biases, dout = _dense_case()
    try:
        out = call(dense_forward, x.copy(), weights.copy(), biases.copy())
        answer = call(dense_backward, dout.copy(), x.copy(), weights.copy())
    except Feedback as error:
        raise Feedback(f"{error} Check each product's shapes: here x is (5, 3), weights (3, 4) and dout (5, 4); out "
                       "must come out (5, 4), dx (5, 3), dweights (3, 4), dbiases (4,).") from None
    problem = _mistake("dense_forward", out, [
        (x @ weights, "you left out the biases: out = x @ weights + biases (each unit adds its bias to every sample)."),
        ((x @ weights + biases).T, "out has one row per unit; it needs one row per sample, (n, units): "
                                   "x @ weights + biases.")])
    if problem:
        return problem
    if isinstance(answer, (tuple, list)) and len(answer) == 2 and np.shape(answer[0]) == x.shape:
        return ("dense_backward: you forgot dweights. Return three arrays, (dx, dweights, dbiases): dweights = "
                "x.T @ dout is the gradient the step needs to change the weights.")
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
    solution=solution("06.2", "the Dense layer as two functions", "dense_forward", "dense_backward"),
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
    relu, tanh = np.maximum(x, 0), np.tanh(x)
    times_dout = "multiply it by dout, the gradient arriving at the output"
    try:
        relu_out = call(relu_forward, x.copy())
    except Feedback as error:
        if "ambiguous" not in str(error):
            raise
        raise Feedback("relu_forward: Python's max(x, 0) (or `if x > 0:`) asks one question of a whole array, which "
                       "has no single answer: np.maximum(x, 0) compares every entry with 0.") from None
    overflows = (same(call(tanh_forward, x.copy()), tanh)  # right, but np.exp(1000) is inf and inf / inf nan
                 and not same(call(tanh_forward, np.array([-1000.0, 1000.0])), [-1.0, 1.0]))
    return (_mistake("relu_forward", relu_out, [
                (x > 0, "you returned x > 0, the mask of its derivative; the output is x where x > 0 and 0 "
                        "elsewhere: np.maximum(x, 0)."),
                (np.max(x, 0), "np.max(x, 0) is the largest entry of each column; np.maximum(x, 0) compares every "
                               "entry with 0.")])
            or _mistake("relu_backward", call(relu_backward, dout.copy(), x.copy(), relu.copy()), [
                (x > 0, f"you returned ReLU's derivative alone: {times_dout}, dout * (x > 0)."),
                (dout * relu, "ReLU's derivative is 1 where x > 0 and 0 elsewhere, not the output itself: "
                              "dout * (x > 0)."),
                (dout, "you passed dout through unchanged (out >= 0 holds everywhere: ReLU's output is never "
                       "negative): where x < 0 the output does not move, so the gradient is 0 there: dout * (x > 0)."),
                (dout * (x < 0), "the gradient passes where x > 0 (where the output follows x), not where x < 0.")])
            or (overflows and "tanh_forward: nan for x = 1000 or -1000, where tanh is 1 or -1: np.exp(1000) is more "
                              "than a float holds, and inf / inf is nan. np.tanh(x) computes it without overflow.")
            or _mistake("tanh_backward", call(tanh_backward, dout.copy(), x.copy(), tanh.copy()), [
                (dout * (1 - x**2), "you computed the derivative from the input, 1 - x**2. It is "
                                    "1 - tanh(x)**2 = 1 - out**2, from the layer's output."),
                (1 - tanh**2, f"you returned tanh's derivative alone: {times_dout}, dout * (1 - out**2)."),
                (dout * (1 - tanh)**2, "(1 - out)**2 squares the difference: the derivative is 1 - out**2."),
                (dout - tanh**2, "dout * 1 - out**2 is dout - out**2 (* comes before -): dout * (1 - out**2)."),
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
    solution=solution("06.3", "ReLU and tanh, forward and backward", "relu_forward", "relu_backward",
                       "tanh_forward", "tanh_backward"),
    checker=_check_activations,
    hints=["np.maximum(x, 0) compares each entry with 0; (x > 0) is an array of True/False that counts as 1/0 "
           "in a product.",
           "relu_backward: dout * (out > 0) (or x > 0). tanh_backward: the forward pass already computed "
           "tanh(x), it is out: dout * (1 - out**2)."],
    points=2,
    pieces={name: name for name in ("relu_forward", "relu_backward", "tanh_forward", "tanh_backward")},
)
