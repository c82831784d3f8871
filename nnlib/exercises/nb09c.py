"""Exercises for notebook 09c (dropout, batch normalisation and weight decay), the third part of notebook 09.

09c.1 builds dropout's forward and backward passes; the checker runs them beside ``nnlib.layers.Dropout`` on the same
generator and names the typical slips (no 1 / (1 - rate) scale, dropping with probability 1 - rate, the mask in
prediction, a new mask in backward). 09c.2 asks for a prediction of section 2's dropout runs before they run (the
checker runs them: ``dropout_runs``). 09c.3 counts what a batch-normalised network learns, and how; 09c.4 sorts
PyTorch's names for the same ideas.
"""
import functools

import numpy as np

from ..data import Standardizer, train_val_test_split
from ..datasets import load_digits
from ..layers import Dropout
from ..models import MLP
from ..network import parameter_count
from .answer_kinds import one_number
from .framework import Exercise, Feedback, call, same
from .sorting import sorting_exercise

# --- 09c.1 -------------------------------------------------------------------------------
RATE, SEED, SHAPE = 0.2, 5, (400, 50)  # 20,000 units: the share dropped is 0.2 +- 0.003 (one standard error)
SHARE_TOLERANCE = 0.02


def nnlib_dropout(x, rate, rng, training):
    """nnlib's Dropout as a function pair's forward: (out, mask), the mask ones in prediction."""
    layer = Dropout(rate, rng=rng)
    layer.training = training
    out = layer.forward(x)
    return out, np.ones_like(x) if layer.scale is None else layer.scale


def dropout_pair(dropout_forward, dropout_backward):
    """(forward, backward, whose): the learner's two functions once they pass 09c.1's check, else nnlib's."""
    if q1.is_correct(dropout_forward, dropout_backward):
        return dropout_forward, dropout_backward, "your"
    return nnlib_dropout, lambda dout, mask: dout * mask, "nnlib's (standing in until 09c.1 passes)"


def _pair(answer, mode):
    """The learner's (out, mask) as two float arrays; Feedback when it is not a pair."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Feedback(f"dropout_forward should return two things, out and mask (return out, mask); in {mode} "
                       f"yours returned {type(answer).__name__}.")
    try:
        return tuple(np.asarray(part, dtype=float) for part in answer)
    except (TypeError, ValueError):
        raise Feedback("out and mask should both be arrays of numbers (mask: what out = x * mask multiplies by).") \
            from None


def _forward_slip(x, out, rng_seed):
    """Why the training-mode ``out`` is not nnlib's: the share dropped and the scale of the kept units, named."""
    if out.shape != x.shape:
        return f"out should have x's shape {x.shape}; yours has shape {out.shape}."
    dropped = float(np.mean(out == 0))
    if dropped == 0:
        return ("nothing was dropped: in training (training=True) each unit is set to 0 with probability rate = "
                f"{RATE}.")
    if abs(dropped - (1 - RATE)) < SHARE_TOLERANCE:
        return (f"with rate = {RATE} you dropped {dropped:.0%} of the units: rate is the probability of DROPPING a "
                "unit, so a unit is kept with probability 1 - rate: keep it where rng.random(x.shape) >= rate.")
    kept = out != 0
    ratio = out[kept] / x[kept]
    scale = float(np.median(ratio))
    if abs(dropped - RATE) < SHARE_TOLERANCE and np.allclose(ratio, scale):
        if np.isclose(scale, 1):
            return ("the kept units are not scaled: divide them by 1 - rate, so that each unit's expected value "
                    "stays x. Without it the next layer sees inputs 20 % smaller in training than in prediction.")
        if np.isclose(scale, 1 - RATE):
            return ("you multiplied the kept units by 1 - rate; divide by it instead (x / (1 - rate)): a unit kept "
                    "with probability 0.8 must count 1.25 times, so that its expected value stays x.")
        if np.isclose(scale, 1 / RATE):
            return ("you divided the kept units by rate; divide by 1 - rate, the probability of keeping a unit: "
                    "then each unit's expected value stays x.")
        if np.isclose(scale, 1 / (1 - RATE)):
            other = np.random.default_rng(rng_seed).random(x.shape) < 1 - RATE
            how = ("you keep where rng.random(x.shape) < 1 - rate" if np.array_equal(kept, other) else
                   "you draw the mask otherwise (or from another generator than the rng given)")
            return (f"right in distribution, but {how}, so the same generator drops other units than nnlib's "
                    "Dropout: keep where rng.random(x.shape) >= rate, drawn from the rng you are given, so that a "
                    "seed gives the same masks as nnlib's.")
    return (f"with rate = {RATE}, your out drops {dropped:.1%} of the units (about {RATE:.0%} expected) and "
            f"multiplies the kept ones by {scale:.3g} (1 / (1 - rate) = {1 / (1 - RATE):.3g} expected).")


def _backward_slip(dout, dx, mask):
    """Why dropout_backward(dout, mask) is not dout * mask, named."""
    if dx.shape != dout.shape:
        return f"dropout_backward should return dx with dout's shape {dout.shape}; yours has shape {dx.shape}."
    if same(dx, dout):
        return ("your backward passes dout through unchanged: a dropped unit did not reach the output, so its "
                "gradient is 0, and a kept one was multiplied by 1 / (1 - rate), so its gradient is too: "
                "dx = dout * mask.")
    if same(dx, dout * (mask > 0)):
        return ("your backward zeroes the dropped units but forgets the scale: out = x * mask with mask = "
                "kept / (1 - rate), so d out / d x = mask, scale included: dx = dout * mask.")
    zeros = dx == 0
    if 0 < zeros.mean() < 1 and not np.array_equal(zeros, mask == 0):
        return ("your backward zeroes other units than the forward pass dropped: it draws a new mask. The gradient "
                "flows back through the units the forward pass kept: use the mask it returned, dx = dout * mask.")
    if not np.all(np.isfinite(dx)):
        return "your dx holds infinities or NaN (a division by the mask's zeros?): dx = dout * mask."
    return "out = x * mask, so d out / d x = mask and dropout_backward(dout, mask) should be dout * mask."


def _check_dropout(dropout_forward, dropout_backward):
    for name, function in (("dropout_forward", dropout_forward), ("dropout_backward", dropout_backward)):
        if not callable(function):
            return f"{name} should be the function you defined with def."
    x = np.random.default_rng(0).normal(size=SHAPE)
    given = x.copy()
    out, mask = _pair(call(dropout_forward, x, RATE, np.random.default_rng(SEED), True), "training")
    if not np.array_equal(x, given):
        return ("dropout_forward changed x in place (x *= ...): return a new array, x * mask, and leave x as it was "
                "(the layer below still needs it).")
    expected_out, expected_mask = nnlib_dropout(x, RATE, np.random.default_rng(SEED), True)
    if same(out, expected_mask) and same(mask, expected_out):
        return "you returned (mask, out): return out first, then mask."
    if not same(out, expected_out):
        return _forward_slip(x, out, SEED)
    if not same(mask, expected_mask):
        if same(mask, expected_mask > 0):
            return ("out is right, but the mask you return is the 0/1 pattern of the kept units: return what "
                    "out = x * mask multiplies by, kept / (1 - rate), so that backward's dout * mask scales too.")
        return "out is right, but mask should be what out = x * mask multiplies by: 0 or 1 / (1 - rate)."
    predicted, predicted_mask = _pair(call(dropout_forward, x, RATE, np.random.default_rng(SEED), False), "prediction")
    if not same(predicted, x):
        if same(predicted, x * (1 - RATE)):
            return ("in prediction you multiply by 1 - rate: that is the original, non-inverted dropout. Yours "
                    "already scales the kept units by 1 / (1 - rate) in training, so prediction is x itself.")
        if predicted.shape == x.shape and np.mean(predicted == 0) > SHARE_TOLERANCE:
            return ("in prediction (training=False) you still drop units: the mask is for training only. "
                    "Prediction uses every unit, out = x, so that one image gets one answer.")
        return "in prediction (training=False), out should be x itself, and mask np.ones_like(x)."
    dout = np.random.default_rng(1).normal(size=SHAPE)
    dx = np.asarray(call(dropout_backward, dout, mask), dtype=float)
    if not same(dx, dout * expected_mask):
        return _backward_slip(dout, dx, expected_mask)
    if not same(np.asarray(call(dropout_backward, dout, predicted_mask), dtype=float), dout):
        return ("in prediction the layer passes x through, so its gradient is dout itself: with the mask your "
                "forward returns in prediction (np.ones_like(x)), dropout_backward(dout, mask) should give dout.")
    return None


q1 = Exercise(
    id="09c.1",
    title="dropout, forward and backward",
    answers=("dropout_forward", "dropout_backward"),
    placeholder='''
# Exercise 09c.1: dropout, forward and backward
# dropout_forward(x, rate, rng, training) -> (out, mask), x (n, units):
#   training=True: drop each unit with probability rate (keep it where rng.random(x.shape) >= rate, as nnlib
#   does) and divide the kept ones by 1 - rate; mask is what out = x * mask multiplies x by.
#   training=False (prediction): out is x itself, and mask is np.ones_like(x).
# dropout_backward(dout, mask) -> dx, the gradient with respect to x.
def dropout_forward(x, rate, rng, training):
    ...


def dropout_backward(dout, mask):
    ...
''',
    solution='''
# Exercise 09c.1: dropout, forward and backward
def dropout_forward(x, rate, rng, training):
    if not training:
        return x, np.ones_like(x)  # prediction: every unit, as it is
    mask = (rng.random(x.shape) >= rate) / (1 - rate)  # kept with probability 1 - rate, scaled up
    return x * mask, mask


def dropout_backward(dout, mask):
    return dout * mask  # out = x * mask, so d out / d x = mask
''',
    checker=_check_dropout,
    hints=["(rng.random(x.shape) >= rate) is True for the units kept; dividing it by (1 - rate) gives the mask, "
           "0 or 1 / (1 - rate).",
           "out = x * mask is a product with a constant, so its derivative with respect to x is that constant: the "
           "same mask, the one forward drew."],
    points=2,
)


# --- 09c.2 -------------------------------------------------------------------------------
DROPOUT_NETWORK = dict(hidden_layers=(64,), activation="relu", learning_rate=0.01, momentum=0.9, epochs=40,
                       batch_size=32)  # notebook 10's digits network with twice the units and momentum
RATES, SEEDS = (0.0, 0.2, 0.5), (0, 1, 2)


@functools.cache
def digits_split():
    """Notebook 10's digits: split with seed 0, standardised with the training set's statistics:
    (X_train, X_val, y_train, y_val)."""
    X, y = load_digits()
    X_train, X_val, _, y_train, y_val, _ = train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    scaler = Standardizer().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_val), y_train, y_val


@functools.cache
def dropout_runs():
    """{rate: (mean final training loss as fit records it, mean final validation loss)} over SEEDS."""
    X_train, X_val, y_train, y_val = digits_split()
    results = {}
    for rate in RATES:
        histories = [MLP(**DROPOUT_NETWORK, dropout=rate, seed=seed).fit(
            X_train, y_train, validation_data=(X_val, y_val)).history_ for seed in SEEDS]
        results[rate] = (np.mean([h.loss[-1] for h in histories]), np.mean([h.val_loss[-1] for h in histories]))
    return results


def _rate(answer, name):
    value = one_number(answer, name, "one of the rates 0, 0.2 or 0.5.")
    if not any(np.isclose(value, rate) for rate in RATES):
        raise Feedback(f"{name} should be one of the rates 0, 0.2 or 0.5; yours is {answer!r}.")
    return min(RATES, key=lambda rate: abs(rate - value))


def _check_dropout_prediction(highest_training_loss, lowest_validation_loss):
    highest, lowest = _rate(highest_training_loss, "highest_training_loss"), \
        _rate(lowest_validation_loss, "lowest_validation_loss")
    runs = dropout_runs()
    measured = ", ".join(f"rate {rate:g}: {runs[rate][0]:.3f} and {runs[rate][1]:.3f}" for rate in RATES)
    wrong = []
    if highest != max(RATES, key=lambda rate: runs[rate][0]):
        wrong.append("highest_training_loss: fit records each mini-batch's loss as it trains, with the masks on, and "
                     "a network missing half its hidden units fits worse than one missing a fifth or none")
    best = min(RATES, key=lambda rate: runs[rate][1])
    if lowest != best:
        wrong.append(f"lowest_validation_loss: dropout is meant to fight overfitting, but whether it helps is what the "
                     f"validation set is for; on these 1,079 images this network's validation loss was lowest with "
                     f"rate {best:g}")
    if wrong:
        return (f"{len(wrong)} of 2 wrong. " + "; ".join(wrong) + f". Measured (training loss as recorded, and "
                f"validation loss, each the mean over seeds {', '.join(map(str, SEEDS))}): {measured}.")
    return None


q2 = Exercise(
    id="09c.2",
    title="predict, then run",
    answers=("highest_training_loss", "lowest_validation_loss"),
    placeholder='''
# Exercise 09c.2: predict, then run
# The digits network above trained with dropout rates 0, 0.2 and 0.5 (three seeds each). Answer with a rate.
highest_training_loss = ...   # which rate ends with the highest training loss as fit records it (history_.loss)?
lowest_validation_loss = ...  # which rate ends with the lowest validation loss?
''',
    solution='''
# Exercise 09c.2: predict, then run
highest_training_loss = 0.5   # fit records the loss with the masks on: half the hidden units missing
lowest_validation_loss = 0    # no dropout: on these images its noise cost more than it saved
''',
    checker=_check_dropout_prediction,
    hints=["fit's history_.loss is measured during training, on the mini-batches, with the dropout masks on.",
           "Dropout fights overfitting; does this network overfit much? Look at notebook 10's validation curves."],
    points=1,
)


# --- 09c.3 -------------------------------------------------------------------------------
COUNT_LAYERS = (64, 32)  # hidden layers; the digits: 64 pixels in, 10 classes out
DENSE = parameter_count(64, COUNT_LAYERS, 10)  # 6,570 weights and biases
N_PARAMETERS, N_STATISTICS = parameter_count(64, COUNT_LAYERS, 10, batch_norm=True), 2 * sum(COUNT_LAYERS)
PARAMETER_SLIPS = {
    DENSE: "that counts the Dense layers' weights and biases only: batch normalisation adds a gamma and a beta per "
           "hidden unit, and gradient descent learns them too.",
    N_PARAMETERS + N_STATISTICS: "that counts the running means and variances as parameters: they are learned from "
                                 "the training data, but not by gradient descent (model.statistics(), not "
                                 "model.parameters()).",
    N_PARAMETERS + 20: "batch normalisation follows each hidden Dense layer, not the output layer: the 10 scores go "
                       "straight to the loss.",
    N_PARAMETERS - sum(COUNT_LAYERS): "that is 96 short: either one of gamma and beta per unit (there are both), or "
                                      "no biases in the hidden layers (they are still parameters, though batch "
                                      "normalisation makes them useless: section 3).",
    N_PARAMETERS + 2 * 64: "batch normalisation follows the hidden Dense layers, not the 64 input pixels (those the "
                           "Standardizer scales).",
}
STATISTIC_SLIPS = {
    sum(COUNT_LAYERS): "each hidden unit has two running statistics, a mean and a variance.",
    N_STATISTICS + 20: "the output layer has no batch normalisation, so no running statistics.",
    2 * N_STATISTICS: "gamma and beta are parameters (gradient descent learns them), not running statistics.",
    0: "batch normalisation keeps a running mean and variance for every hidden unit, learned from the training data.",
}


def _check_count(n_parameters, n_statistics):
    parameters = one_number(n_parameters, "n_parameters", "the number of parameters, e.g. 123.")
    statistics = one_number(n_statistics, "n_statistics", "the number of running statistics, e.g. 12.")
    if parameters != N_PARAMETERS:
        return "n_parameters: " + PARAMETER_SLIPS.get(parameters, (
            f"{parameters:g} is not it. Count per hidden layer n_in * n_out weights, n_out biases, a gamma and a beta "
            "per unit; then the output layer's weights and biases."))
    if statistics != N_STATISTICS:
        return "n_statistics: " + STATISTIC_SLIPS.get(statistics, (
            f"{statistics:g} is not it: a running mean and a running variance per hidden unit."))
    return None


q3 = Exercise(
    id="09c.3",
    title="count what is learned, and how",
    answers=("n_parameters", "n_statistics"),
    placeholder='''
# Exercise 09c.3: count what is learned, and how
# MLP(hidden_layers=(64, 32), batch_norm=True) on the digits: 64 pixels in, 10 classes out.
n_parameters = ...  # how many numbers does gradient descent learn (model.n_parameters)?
n_statistics = ...  # and how many running statistics does training learn besides?
''',
    solution='''
# Exercise 09c.3: count what is learned, and how
n_parameters = (64 * 64 + 64) + (64 * 32 + 32) + (32 * 10 + 10) + 2 * (64 + 32)  # Dense layers, gamma and beta
n_statistics = 2 * (64 + 32)  # a running mean and a running variance per hidden unit
''',
    checker=_check_count,
    hints=["Count the Dense layers as in notebook 06; then batch normalisation adds, per hidden unit, two parameters "
           "(gamma, beta) and two running statistics.",
           "The output layer has no batch normalisation."],
    points=1,
)


# --- 09c.4 -------------------------------------------------------------------------------
PYTORCH_NAMES = {
    "bn.weight": ("parameter", "it is batch normalisation's gamma, learned by gradient descent (PyTorch lists it in "
                               "model.parameters())."),
    "bn.running_var": ("parameter", "it is learned from the training data (each training batch's variance, "
                                    "averaged), though not by gradient descent, like a Standardizer's scale_: a "
                                    "parameter of the preprocessing, here inside the network. PyTorch calls it a "
                                    "buffer and saves it with the weights."),
    "bn.momentum": ("hyperparameter", "you set it before training, and it decides how fast the running statistics "
                                      "follow the batches. (PyTorch's momentum=0.1 weighs the new batch: nnlib's "
                                      "batch_norm_momentum=0.9.)"),
    "drop.p": ("hyperparameter", "it is the dropout rate, set before training and compared on the validation set."),
    "seed": ("neither", "it picks the starting weights and the dropout masks; choosing it on the validation set "
                        "would fit noise: report the spread over seeds instead."),
}
BY_GRADIENT_DESCENT = ["bn.weight"]


def _check_by_gradient_descent(by_gradient_descent):
    if isinstance(by_gradient_descent, str) or not isinstance(by_gradient_descent, (list, tuple, set)):
        return "by_gradient_descent: answer with a list of names, e.g. [\"bn.weight\"]."
    names = set(by_gradient_descent)
    if "bn.running_var" in names:
        return ("by_gradient_descent: bn.running_var has no gradient; PyTorch updates it in each training forward "
                "pass from the batch's variance. Learned from the training data, not by gradient descent.")
    if names - {"bn.weight"}:
        return f"by_gradient_descent: {', '.join(sorted(names - {'bn.weight'}))} is not learned at all."
    if "bn.weight" not in names:
        return "by_gradient_descent: bn.weight (gamma) gets a gradient and an optimiser step, like every weight."
    return None


q4 = sorting_exercise(
    "09c.4", "the same ideas in PyTorch", PYTORCH_NAMES,
    intro='For each name of the PyTorch code above, answer "parameter", "hyperparameter" or "neither".\n'
          "Then list the names that gradient descent learns.",
    kinds=("parameter", "hyperparameter", "neither"), more_answers={"by_gradient_descent": BY_GRADIENT_DESCENT},
    extra_check=_check_by_gradient_descent,
    hints=["Ask the rule's first question of each: does training compute it from the training data? Then, of those, "
           "which get a gradient?",
           "Two are learned, two are chosen, one is neither; one of the two learned has no gradient."],
)
