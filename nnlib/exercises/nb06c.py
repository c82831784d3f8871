"""Exercises for notebook 06c (training the network), the third part of notebook 06.

Exercise 06c.1 (the training loop) builds a piece of the learner's library (``nnlib.learner``). Its checker runs the
loop on a case of its own and compares it with the reference solution (``nnlib.exercises.pieces.SOLUTIONS``); when
the two differ, it compares it with the reference edited by one typical slip (``LOOP_MISTAKES``) to name the mistake.
"""
import numpy as np

from ..datasets import make_xor
from ..losses import SoftmaxCrossEntropy
from ..network import Network
from ..optim import SGD
from .framework import Feedback, call, same
from .pieces import SOLUTIONS, PieceExercise, edited
from .sorting import sorting_exercise

# --- 06c.1 -----------------------------------------------------------------------------
EPOCHS = 20  # the check's run: XOR, 100 samples in batches of 32 (the last of 4), SGD with momentum 0.5

LOOP_MISTAKES = {  # a typical slip: (edits of the solution's code that make it, what it means)
    "no shuffle": ((("X[order], y[order]", "X, y"),),
                   "you visited the samples in the same order (0, 1, 2, ...) every epoch: draw each epoch's order, "
                   "order = epoch_order(rng, len(X), batch_size, True), and cut X[order] and y[order] into batches."),
    "shuffled once": ((("    for epoch in range(epochs):\n        order = epoch_order(rng, len(X), batch_size, True)\n",
                        "    order = epoch_order(rng, len(X), batch_size, True)\n    for epoch in range(epochs):\n"),),
                      "every epoch visited the samples in the first epoch's order: draw a new order in every "
                      "epoch, inside the loop over the epochs, as fit does."),
    "labels not shuffled": ((("X[order], y[order]", "X[order], y"),),
                            "you shuffled X but not y, so the samples were trained on other samples' labels: take "
                            "the same rows of both, X[order] and y[order]."),
    "an order per batch": ((("        order = epoch_order(rng, len(X), batch_size, True)\n"
                             "        X_epoch, y_epoch = X[order], y[order]\n"
                             "        total = 0.0\n"
                             "        for start in range(0, len(X), batch_size):\n",
                             "        total = 0.0\n"
                             "        for start in range(0, len(X), batch_size):\n"
                             "            order = epoch_order(rng, len(X), batch_size, True)\n"
                             "            X_epoch, y_epoch = X[order], y[order]\n"),),
                           "you drew a new order for every mini-batch, so an epoch saw some samples twice and others "
                           "not at all: draw one order per epoch, before its batches, and cut it into consecutive "
                           "slices."),
    "one step per epoch": ((("range(0, len(X), batch_size)", "range(0, len(X), len(X))"),
                            ("start + batch_size]", "start + len(X)]")),
                           "you made one step per epoch, with the gradient of all the samples: that is full-batch "
                           "gradient descent. Make one step per mini-batch of batch_size samples."),
    "last batch dropped": ((("range(0, len(X), batch_size)", "range(0, len(X) - batch_size + 1, batch_size)"),),
                           "the last, smaller mini-batch of each epoch is missing: with 100 samples and batches of "
                           "32, an epoch makes 4 steps, the last one with 4 samples. range(0, len(X), batch_size) "
                           "reaches it."),
    "no step": ((("            optimizer.step(params, list(network.gradients().values()), learning_rate)\n", ""),),
                "the network's parameters never changed: after network.backward(dscores), call "
                "optimizer.step(params, list(network.gradients().values()), learning_rate), which updates the "
                "network's own arrays in place (p = p - ... would only make new ones)."),
    "step by hand": ((("optimizer.step(params, list(network.gradients().values()), learning_rate)",
                       "for p, g in zip(params, network.gradients().values()):\n"
                       "                p -= learning_rate * g"),),
                     "you updated the parameters yourself (p -= learning_rate * g) instead of calling the "
                     "optimizer, which in the check has momentum: call optimizer.step(params, grads, "
                     "learning_rate), so that your loop trains with whatever optimizer it is given (notebook 09 "
                     "writes momentum)."),
    "uphill": ((("learning_rate)\n", "-learning_rate)\n"),),
               "your steps go uphill: pass the learning rate itself, optimizer.step(params, grads, learning_rate); "
               "the optimizer subtracts learning_rate times the gradient."),
    "step before backward": ((("            network.backward(dscores)\n            optimizer.step(",
                               "            optimizer.step("),
                              ("learning_rate)\n            total", "learning_rate)\n            network.backward("
                               "dscores)\n            total")),
                             "you stepped before network.backward(dscores), with the previous mini-batch's "
                             "gradients: forward, loss, backward, then step."),
    "a plain mean of the batch losses": ((("total += batch_loss * len(X_batch)", "total += batch_loss"),
                                          ("total / len(X)", "total / math.ceil(len(X) / batch_size)")),
                                         "an epoch's loss is the mean over its samples: a plain mean of the batch "
                                         "losses counts the last batch (4 samples) as much as a full one (32). Add "
                                         "up batch_loss * len(X_batch) and divide by len(X)."),
    "the batch losses added up": ((("total += batch_loss * len(X_batch)", "total += batch_loss"),
                                   ("total / len(X)", "total")),
                                  "you added up the batch losses: an epoch's loss is their mean over the samples, "
                                  "the sum of batch_loss * len(X_batch) divided by len(X)."),
    "total not reset": ((("        total = 0.0\n", ""),
                         ("    epoch_losses = []\n", "    epoch_losses = []\n    total = 0.0\n")),
                        "your epoch losses pile up: each epoch's total carried on from the epochs before. Start it "
                        "afresh in every epoch, total = 0.0 inside the loop over the epochs, before its mini-batches."),
    "the last batch's loss": ((("total / len(X)", "batch_loss"),),
                              "you recorded each epoch's last mini-batch loss: record the mean over all the epoch's "
                              "samples, the sum of batch_loss * len(X_batch) divided by len(X)."),
}


def _train_run(train, epochs=EPOCHS):
    """Run ``train`` on the check's own case from a fresh start: XOR (100 samples), a 2-4-2 tanh network, SGD with
    momentum 0.5 (a loop that steps by hand shows), learning rate 0.3. Returns (what train returned, the parameters
    after it as one flat array, whether it drew from rng)."""
    X, y = make_xor(n_samples=100, noise=0.1, seed=3)
    X.flags.writeable = y.flags.writeable = False  # a loop that shuffles X in place stops: see _check_train
    network = Network(2, (4,), 2, activation="tanh", init="xavier", rng=np.random.default_rng(3))
    rng = np.random.default_rng(4)
    losses = call(train, network, SoftmaxCrossEntropy().value_and_gradient, SGD(0.5), X, y, epochs, 32, 0.3, rng)
    parameters = np.concatenate([array.ravel() for array in network.parameters().values()])
    return losses, parameters, rng.bit_generator.state != np.random.default_rng(4).bit_generator.state


def _check_train(train):
    if not callable(train):
        return "train should be the function you defined: def train(network, loss, optimizer, X, y, ...): ..."
    try:
        losses, params, drew = _train_run(train)
    except Feedback as error:
        if "read-only" not in str(error):
            raise
        return ("you changed X or y in place (rng.shuffle(X) shuffles X itself and leaves y in the old order): draw "
                "each epoch's order, order = epoch_order(rng, len(X), batch_size, True), and take X[order], y[order].")
    if not isinstance(losses, (list, tuple, np.ndarray)) or np.ndim(losses) != 1:
        kind = "None" if losses is None else f"a {type(losses).__name__}"
        return f"return the list of each epoch's mean loss (one number per epoch); yours returned {kind}."
    if len(losses) != EPOCHS:
        each = " (one per mini-batch?)" if len(losses) == 4 * EPOCHS else ""
        return f"return one mean loss per epoch: {EPOCHS} numbers for {EPOCHS} epochs, not {len(losses)}{each}."
    expected_losses, expected, _ = _train_run(edited("train"))
    if same(params, expected) and same(losses, expected_losses):
        return None
    for edits, message in LOOP_MISTAKES.values():
        their_losses, theirs, _ = _train_run(edited("train", edits))
        if same(params, theirs) and (same(losses, their_losses) or not same(theirs, expected)):
            return message
    if same(params, expected):
        return ("your parameters are right, but not the losses you returned: an epoch's loss is the mean over its "
                "samples, the sum of batch_loss * len(X_batch) over its mini-batches divided by len(X).")
    if not drew:
        return ("you never drew from rng: each epoch's order comes from the generator you are given (not from "
                "np.random), order = epoch_order(rng, len(X), batch_size, True), so that the same seed gives the "
                "same mini-batches.")
    agree = _epochs_in_agreement(train)
    return (f"your parameters agree with nnlib's loop for {agree} epoch{'s' * (agree != 1)} and differ after epoch "
            f"{agree + 1} (of {EPOCHS}). Check one mini-batch: forward, loss, backward, step, in that order.")


def _epochs_in_agreement(train):
    """For how many epochs ``train`` agrees with the reference loop (bisection over the epochs)."""
    low, high = 0, EPOCHS  # agrees after `low` epochs, not after `high`
    while high - low > 1:
        middle = (low + high) // 2
        agrees = same(_train_run(train, middle)[1], _train_run(edited("train"), middle)[1])
        low, high = (middle, high) if agrees else (low, middle)
    return low


q1 = PieceExercise(
    id="06c.1",
    title="the training loop",
    answers=("train",),
    placeholder='''
# Exercise 06c.1: the training loop
# Train network for `epochs` epochs and return the list of each epoch's mean loss. Each epoch: draw its order,
# order = epoch_order(rng, len(X), batch_size, True), and cut X[order], y[order] into consecutive mini-batches
# of batch_size samples (the last one may be smaller). Each mini-batch: scores = network.forward(X_batch);
# batch_loss, dscores = loss(scores, y_batch); network.backward(dscores); then
# optimizer.step(params, grads, learning_rate), params and grads as lists of the network's arrays.
from nnlib.train import epoch_order


def train(network, loss, optimizer, X, y, epochs, batch_size, learning_rate, rng):
    ...
''',
    solution="# Exercise 06c.1: the training loop\nfrom nnlib.train import epoch_order\n\n\n" + SOLUTIONS["train"],
    checker=_check_train,
    hints=["params = list(network.parameters().values()) once; then two loops: for epoch in range(epochs) (draw the "
           "order, X_epoch, y_epoch = X[order], y[order]), and for start in range(0, len(X), batch_size) (the batch "
           "is X_epoch[start:start + batch_size] and the same rows of y_epoch).",
           "In the inner loop: forward, loss, backward, optimizer.step(params, list(network.gradients().values()), "
           "learning_rate); add batch_loss * len(X_batch) to the epoch's total, and after the epoch append "
           "total / len(X)."],
    points=3,
    pieces={"train": "train"},
)


# --- 06c.2 -----------------------------------------------------------------------------
MLP_NAMES = {
    "hidden_layers": ("hyperparameter", "you chose it in MLP(...) and gradient descent never changes it; it decides "
                      "how many weights and biases exist. Calling it a 'model parameter' is the misconception."),
    "activation": ("hyperparameter", "the unit type is chosen before training (tanh, relu, ...); nothing learns it."),
    "weights_": ("parameter", "fit learns every entry of these matrices from the training data."),
    "biases_": ("parameter", "fit learns them too: a bias is a parameter that is not a weight."),
    "learning_rate": ("hyperparameter", "it steers how the parameters are learned; you chose it."),
    "epochs": ("hyperparameter", "you chose how long to train."),
    "seed": ("neither", "it fixes the random starting weights and each epoch's order; choosing it on the validation "
                        "set would fit noise, so report the spread over seeds instead."),
    "dtype": ("neither", "the number format (float64) is a setting of the computation: you would not tune it on the "
                         "validation set, and training does not learn it."),
}

q2 = sorting_exercise(
    "06c.2", "is the architecture learned?", MLP_NAMES,
    intro='For the MLP you trained on XOR, answer "parameter", "hyperparameter" or "neither" for each name.',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Ask of each name: did fit change it, or did it exist (with this value) before fit ran? If it existed, "
           "would you compare values of it on the validation set?",
           "Names ending in an underscore appear only after fit. Two constructor arguments are settings: neither."],
)
