"""Exercises for notebook 03 · Batches and epochs (342 penguins, mini-batch gradient descent)."""
import math

from ._common import check_sorting
from .checks import Exercise

N_PENGUINS = 342


# --- 03.1 -----------------------------------------------------------------------------
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


q1 = Exercise(
    id="03.1",
    title="Epochs and iterations",
    answers=("epoch_iterations", "total_iterations"),
    placeholder="""
# Exercise 03.1: Epochs and iterations
# 342 penguins, batch_size=32, epochs=5.
epoch_iterations = ...  # parameter updates in one epoch
total_iterations = ...  # parameter updates in the whole training run
""",
    solution="""
# Exercise 03.1: Epochs and iterations
# 342 penguins, batch_size=32, epochs=5.
epoch_iterations = int(np.ceil(342 / 32))
total_iterations = 5 * epoch_iterations
""",
    checker=_check_iterations,
    hints=["One iteration = one mini-batch = one parameter update. One epoch = every penguin once.",
           "342 = 10 * 32 + 22: the 22 left over form an eleventh, smaller batch."],
)


# --- 03.2 -----------------------------------------------------------------------------
def _check_samples(samples_per_epoch_sgd, samples_per_epoch_full):
    answers = (samples_per_epoch_sgd, samples_per_epoch_full)
    if answers == (N_PENGUINS, N_PENGUINS):
        return None
    if samples_per_epoch_sgd == 1:
        return ("With batch size 1 each *step* uses one sample, but an epoch makes 342 steps, "
                "so every penguin is used once per epoch.")
    if samples_per_epoch_full == 1:
        return ("Full-batch descent makes one step per epoch, but that step uses every penguin. Count samples, "
                "not steps.")
    if samples_per_epoch_full != N_PENGUINS:
        return "An epoch is one pass over the data: with one big batch, every one of the 342 penguins is used once."
    return "An epoch uses every sample exactly once, whatever the batch size. How many penguins are there?"


q2 = Exercise(
    id="03.2",
    title="What does one epoch compute?",
    answers=("samples_per_epoch_sgd", "samples_per_epoch_full"),
    placeholder="""
# Exercise 03.2: What does one epoch compute?
# How many per-sample gradients (one per penguin used) does one epoch compute?
samples_per_epoch_sgd = ...  # with batch_size=1
samples_per_epoch_full = ...  # with batch_size=None (full batch)
""",
    solution="""
# Exercise 03.2: What does one epoch compute?
# How many per-sample gradients (one per penguin used) does one epoch compute?
samples_per_epoch_sgd = 342  # 342 steps of 1 penguin
samples_per_epoch_full = 342  # 1 step of 342 penguins
""",
    checker=_check_samples,
    hints=["An epoch is one pass over the whole training set, however it is cut into batches.",
           "Steps per epoch times samples per step: 342 x 1 and 1 x 342."],
)


# --- 03.3 -----------------------------------------------------------------------------
Q3_NAMES = {
    "batch_size": ("hyperparameter", "you choose how many samples each step uses, before training."),
    "shuffle": ("hyperparameter",
                "you choose whether the order is reshuffled every epoch; it changes the steps taken."),
    "coef_": ("parameter", "fit() learns it from the data: it is the slope."),
    "intercept_": ("parameter", "fit() learns it too: it is the bias of the line."),
    "iterations_per_epoch": ("neither", "it follows from the number of samples and batch_size: "
                                        "nobody chooses it directly and training does not learn it."),
}


def _check_kinds(kinds):
    problem = check_sorting(kinds, Q3_NAMES, kind_names=("parameter", "hyperparameter", "neither"))
    return None if problem is None else problem.replace("is a neither", "is neither a parameter nor a hyperparameter")


q3 = Exercise(
    id="03.3",
    title="Parameter, hyperparameter or neither?",
    answers=("kinds",),
    placeholder="""
# Exercise 03.3: Parameter, hyperparameter or neither?
# Answer "parameter", "hyperparameter" or "neither" for each name.
kinds = {"batch_size": ..., "shuffle": ..., "coef_": ..., "intercept_": ..., "iterations_per_epoch": ...}
""",
    solution="""
# Exercise 03.3: Parameter, hyperparameter or neither?
kinds = {"batch_size": "hyperparameter", "shuffle": "hyperparameter", "coef_": "parameter",
         "intercept_": "parameter", "iterations_per_epoch": "neither"}
""",
    checker=_check_kinds,
    hints=["Which of these did you pass to LinearRegression(...)? Which end in _ and exist only after fit?",
           "iterations_per_epoch is computed from two other numbers: is it chosen, learned, or neither?"],
)
