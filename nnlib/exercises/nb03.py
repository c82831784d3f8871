"""Exercises for notebook 03 · Batches and epochs (342 penguins, mini-batch gradient descent).

Exercise 03.1 builds the mini-batch loop, a piece of the learner's library (``PieceExercise``): its checker compares
the learner's path with the reference solution edited by each typical slip (``LOOP_MISTAKES``) to name it; the
piece's own check against nnlib follows (``nnlib.learner.line_checks``).
"""
import functools
import math

import numpy as np

from ..data import standardize
from ..datasets import load_penguins, make_line
from ..learner.line_checks import descent_step as nnlib_step
from ..line import line_gradient, line_loss
from ..models import LinearRegression
from .framework import Exercise, call, same
from .pieces import SOLUTIONS, PieceExercise, edited
from .sorting import sorting_exercise

N_PENGUINS = 342


# --- 03.1 -----------------------------------------------------------------------------
LOOP_MISTAKES = {  # a typical slip: (edits of the solution that make it, what it means)
    "no shuffle": ((("x_epoch, y_epoch = x[order], y[order]", "x_epoch, y_epoch = x, y"),),
                   "you visited the samples in the same order (0, 1, 2, ...) every epoch: cut x[order] and y[order] "
                   "into the mini-batches, with order = epoch_order(rng, len(x), batch_size, True)."),
    "shuffled once": ((("    for epoch in range(epochs):\n        order = epoch_order(rng, len(x), batch_size, True)"
                        "  # a new order every epoch\n",
                        "    order = epoch_order(rng, len(x), batch_size, True)\n    for epoch in range(epochs):\n"),),
                      "every epoch visited the samples in the first epoch's order: draw a new order in every epoch, "
                      "inside the loop over the epochs."),
    "targets not shuffled": ((("x[order], y[order]", "x[order], y"),),
                             "you shuffled x but not y, so each flipper length met another penguin's mass: take the "
                             "same rows of both, x[order] and y[order]."),
    "an order per batch": ((("        order = epoch_order(rng, len(x), batch_size, True)  # a new order every epoch\n"
                             "        x_epoch, y_epoch = x[order], y[order]\n"
                             "        for start in range(0, len(x), batch_size):\n",
                             "        for start in range(0, len(x), batch_size):\n"
                             "            order = epoch_order(rng, len(x), batch_size, True)\n"
                             "            x_epoch, y_epoch = x[order], y[order]\n"),),
                           "you drew a new order for every mini-batch, so an epoch saw some samples twice and others "
                           "not at all: draw one order per epoch, before its batches, and cut it into consecutive "
                           "slices."),
    "last batch dropped": ((("range(0, len(x), batch_size)", "range(0, len(x) - batch_size + 1, batch_size)"),),
                           f"the last, smaller mini-batch of each epoch is missing: {N_PENGUINS} penguins in batches "
                           f"of 32 make {math.ceil(N_PENGUINS / 32)} steps per epoch, the last one on "
                           f"{N_PENGUINS % 32} penguins. range(0, len(x), batch_size) reaches it."),
    "one step per epoch": ((("range(0, len(x), batch_size)", "range(0, len(x), len(x))"),
                            ("start + batch_size]", "start + len(x)]")),
                           "you made one step per epoch, on all the samples: that is full-batch gradient descent. Make "
                           "one step per mini-batch of batch_size samples."),
    "overlapping batches": ((("range(0, len(x), batch_size)", "range(len(x) // batch_size)"),),
                            "your mini-batches overlap: start each one where the last ended, with range(0, len(x), "
                            "batch_size), so that the slices [start:start + batch_size] cover each sample once."),
}


def _minibatch_run(minibatch_descent):
    """``minibatch_descent`` on the penguins (flipper length standardised), 3 epochs at learning rate 0.05 in batches
    of 32, with nnlib's line_gradient and SGD step (only the loop is checked here): (its path, whether it drew from
    the generator it was given, whether it changed the x or y it was given)."""
    X, y = load_penguins()
    x, rng = standardize(X)[:, 0], np.random.default_rng(4)
    passed = [x.copy(), y.copy()]
    path = call(minibatch_descent, *passed, 0.05, 3, 32, rng, line_gradient, nnlib_step)
    return (path, rng.bit_generator.state != np.random.default_rng(4).bit_generator.state,
            not (np.array_equal(passed[0], x) and np.array_equal(passed[1], y)))


def _check_minibatches(minibatch_descent):
    path, drew, changed = _minibatch_run(minibatch_descent)
    if changed:
        return ("you changed the x or y you were given: rng.shuffle(x) shuffles the caller's array itself, and "
                "shuffling x, then y, gives each its own order, so that flipper lengths meet other penguins' masses. "
                "Draw one order per epoch, order = epoch_order(rng, len(x), batch_size, True), and take x[order] and "
                "y[order].")
    if same(path, _minibatch_run(edited("minibatch_descent"))[0]):
        return None
    for edits, message in LOOP_MISTAKES.values():
        if same(path, _minibatch_run(edited("minibatch_descent", edits))[0]):
            return message
    if not drew:
        return ("you never drew from rng: each epoch's order comes from the generator you are given (not from "
                "np.random), order = epoch_order(rng, len(x), batch_size, True), so that the same seed gives the same "
                "mini-batches as nnlib.")
    return None


q1 = PieceExercise(
    id="03.1",
    title="Mini-batches and epochs",
    answers=("minibatch_descent",),
    placeholder="""
# Exercise 03.1: Mini-batches and epochs
# Start at slope = intercept = 0. Each epoch: order = epoch_order(rng, len(x), batch_size, True); cut x[order] and
# y[order] into consecutive mini-batches of batch_size samples (the last one may be smaller). Each mini-batch: its
# gradient, gradient(x_batch, y_batch, slope, intercept), then one step(slope, intercept, dslope, dintercept,
# learning_rate). Return the path, an array (steps + 1, 2): the start, then (slope, intercept) after every step.
from nnlib.train import epoch_order


def minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step):
    ...
""",
    solution="# Exercise 03.1: Mini-batches and epochs\nfrom nnlib.train import epoch_order\n\n\n"
             + SOLUTIONS["minibatch_descent"],
    checker=_check_minibatches,
    hints=["Your gradient_descent from notebook 02 with one more loop: inside the loop over the epochs, draw the "
           "order and shuffle both arrays, x_epoch, y_epoch = x[order], y[order]; then for start in range(0, len(x), "
           "batch_size), the mini-batch is x_epoch[start:start + batch_size] and the same rows of y_epoch.",
           "One step per mini-batch: dslope, dintercept = gradient(x_batch, y_batch, slope, intercept); slope, "
           "intercept = step(slope, intercept, dslope, dintercept, learning_rate); path.append((slope, intercept))."],
    points=3,
    pieces={"minibatch_descent": "minibatch_descent"},
)


# --- 03.2 -----------------------------------------------------------------------------
def _check_iterations(epoch_iterations, total_iterations):
    per_epoch, total = math.ceil(N_PENGUINS / 32), 5 * math.ceil(N_PENGUINS / 32)
    if epoch_iterations == per_epoch and total_iterations == total:
        return None
    if epoch_iterations == N_PENGUINS // 32:
        return (f"{N_PENGUINS} / 32 = {N_PENGUINS / 32:g}: ten full batches of 32 leave {N_PENGUINS % 32} penguins. "
                "They still form one last, smaller batch, and it is a step too. Round up.")
    if isinstance(epoch_iterations, float) and not float(epoch_iterations).is_integer():
        return "Steps are whole: the last batch is simply smaller. Round 342 / 32 up (math.ceil)."
    if epoch_iterations == per_epoch:
        if total_iterations == 5:
            return "5 is the number of epochs. Every epoch makes 11 steps: how many in 5 epochs?"
        return f"epoch_iterations is right; total_iterations = epochs * epoch_iterations = 5 * {per_epoch}."
    if epoch_iterations == 32 or epoch_iterations == 1:
        return ("An iteration is one parameter update, made from one mini-batch. How many mini-batches "
                "of 32 does one pass over 342 penguins need?")
    return "Count the mini-batches in one pass: ceil(342 / 32). Then multiply by the 5 epochs."


q2 = Exercise(
    id="03.2",
    title="Epochs and iterations",
    answers=("epoch_iterations", "total_iterations"),
    placeholder="""
# Exercise 03.2: Epochs and iterations
# 342 penguins, batch_size=32, epochs=5.
epoch_iterations = ...  # parameter updates in one epoch
total_iterations = ...  # parameter updates in the whole training run
""",
    solution="""
# Exercise 03.2: Epochs and iterations
# 342 penguins, batch_size=32, epochs=5.
epoch_iterations = int(np.ceil(342 / 32))
total_iterations = 5 * epoch_iterations
""",
    checker=_check_iterations,
    hints=["One iteration = one mini-batch = one parameter update. One epoch = every penguin once.",
           "342 = 10 * 32 + 22: the 22 left over form an eleventh, smaller batch."],
)


# --- 03.3 -----------------------------------------------------------------------------
MYSTERY = {"A": 32, "B": None, "C": 1}  # the batch size behind each curve of exercise 03.3 (the notebook hides it)
MYSTERY_SAMPLES, MYSTERY_EPOCHS = 1000, 15


def _losses_per_epoch(X, y, batch_size):
    """The loss of a LinearRegression on X (n, 1), y (n,) at the start and after each epoch: (epochs + 1,)."""
    losses = [line_loss(X[:, 0], y, 0.0, 0.0)]
    model = LinearRegression(learning_rate=0.02, epochs=MYSTERY_EPOCHS, batch_size=batch_size, seed=3)
    model.fit(X, y, callback=lambda fitted: losses.append(line_loss(X[:, 0], y, fitted.coef_[0], fitted.intercept_)))
    return np.array(losses)


@functools.cache
def _mystery_runs():
    X, y = make_line(MYSTERY_SAMPLES, slope=2.0, intercept=1.0, noise=1.0, seed=5)
    return {name: _losses_per_epoch(standardize(X), y, batch_size) for name, batch_size in MYSTERY.items()}


def mystery_curves():
    """Exercise 03.3's three runs on 1,000 new samples (a noisy line, its feature standardised), with one learning
    rate and 15 epochs, and batch sizes 1, 32 and the full batch in a hidden order: {"A": loss (16,), "B": ...,
    "C": ...}, the loss at the start and after every epoch."""
    return {name: losses.copy() for name, losses in _mystery_runs().items()}


def _batch_size(value):
    """1, 32 or None (the full batch, also written as the number of samples); anything else as it is."""
    if value is None or (isinstance(value, (int, float, np.number)) and value == MYSTERY_SAMPLES):
        return None
    return int(value) if isinstance(value, (int, float, np.number)) and value in (1, 32) else value


def _check_curves(batch_sizes):
    if not isinstance(batch_sizes, dict) or set(batch_sizes) != set(MYSTERY):
        return 'Answer with a dict that gives each curve its batch size: {"A": ..., "B": ..., "C": ...}.'
    answer = {name: _batch_size(value) for name, value in batch_sizes.items()}
    if N_PENGUINS in answer.values():
        return (f"{N_PENGUINS} was the penguins: these runs have {MYSTERY_SAMPLES:,} samples, so their full batch is "
                f"{MYSTERY_SAMPLES:,} samples, written None.")
    if sorted(map(repr, answer.values())) != sorted(map(repr, MYSTERY.values())):
        return "Give the three curves the batch sizes 1, 32 and None (the full batch), each once, as numbers or None."
    if answer == MYSTERY:
        return None
    curves = _mystery_runs()
    full = next(name for name, size in answer.items() if size is None)
    truly_full = next(name for name, size in MYSTERY.items() if size is None)
    if full != truly_full:
        kept = curves[full][1] / curves[full][0]
        return (f"Curve {full} cannot be the full batch: one epoch took it down to {kept:.1%} of its starting loss, "
                f"which takes many steps, and the full batch makes one step per epoch (curve {truly_full} kept "
                f"{curves[truly_full][1] / curves[truly_full][0]:.0%}): look for the curve that falls slowly and "
                "smoothly.")
    one = next(name for name, size in MYSTERY.items() if size == 1)
    thirty_two = next(name for name, size in MYSTERY.items() if size == 32)
    jumps = {name: np.ptp(curves[name][5:]) / curves[name][5:].min() for name in (one, thirty_two)}
    return (f"Batch sizes 1 and 32 are swapped: curve {one} is at its floor after the first epoch (1,000 steps) but "
            f"then jumps by up to {jumps[one]:.0%}, the noise of one-sample gradients, while curve {thirty_two} needs "
            f"a few epochs of 32 steps and then varies by {jumps[thirty_two]:.1%}: noise shrinks as the batch grows.")


q3 = Exercise(
    id="03.3",
    title="Which curve is which?",
    answers=("batch_sizes",),
    placeholder="""
# Exercise 03.3: Which curve is which?
batch_sizes = {"A": ..., "B": ..., "C": ...}  # 1, 32 or None (the full batch)
""",
    solution="""
# Exercise 03.3: Which curve is which?
batch_sizes = {"A": 32, "B": None, "C": 1}  # C: 1,000 noisy steps an epoch; B: 1 exact step; A: 32 steps, then still
""",
    checker=_check_curves,
    hints=["Count the steps in one epoch of 1,000 samples for each batch size: 1,000, 32 and 1. Which curve has "
           "taken only one step after epoch 1?",
           "Of the two fast curves, the one that keeps jumping up and down after reaching its floor follows the "
           "noisiest gradient estimates: one sample each."],
    points=2,
)


# --- 03.4 -----------------------------------------------------------------------------
Q4_NAMES = {
    "batch_size": ("hyperparameter", "you choose how many samples each step uses, before training."),
    "shuffle": ("hyperparameter",
                "you choose whether the order is reshuffled every epoch; it changes the steps taken."),
    "coef_": ("parameter", "fit() learns it from the data: it is the slope."),
    "iterations_per_epoch": ("neither", "it follows from the number of samples and batch_size: "
                                        "nobody chooses it directly and training does not learn it."),
    "n_iter_": ("neither", "scikit-learn's SGDRegressor sets it in fit (hence the underscore), but it only counts "
                           "the epochs training ran: a record of the run, not a value of the model."),
}

q4 = sorting_exercise(
    "03.4", "Parameter, hyperparameter or neither?", Q4_NAMES,
    intro='Answer "parameter", "hyperparameter" or "neither" for each name.',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Which of these did you pass to LinearRegression(...)? Which end in _ and exist only after fit?",
           "iterations_per_epoch is computed from two other numbers: is it chosen, learned, or neither? A trailing "
           "underscore says 'set by fit', not 'learned parameter'."],
)
