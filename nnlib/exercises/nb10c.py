"""Exercises for notebook 10c (training diagnostics): count a layer's dead units, and diagnose four training runs
from their statistics.

``mystery_runs`` trains exercise 10c.2's four networks; ``run_summary`` measures each as notebook 10c's
``layer_statistics`` does (tests/test_exercises_nb10c.py checks that the two agree), for the checker's feedback.
"""
import copy
import functools

import numpy as np

from ..data import Standardizer, train_val_test_split
from ..datasets import load_digits
from ..layers import Tanh
from ..models import MLP
from .answer_kinds import one_number
from .framework import Exercise, call, same

# --- 10c.1 ----------------------------------------------------------------------------
# A hidden ReLU layer on 6 samples: units 0 and 3 are dead (0 for every sample), 1 and 4 are 0 for some samples only.
ACTIVATIONS = np.array([[0.0, 0.0, 1.2, 0.0, 0.5],
                        [0.0, 0.0, 0.3, 0.0, 0.0],
                        [0.0, 0.0, 2.0, 0.0, 0.0],
                        [0.0, 1.0, 0.7, 0.0, 0.0],
                        [0.0, 2.0, 0.1, 0.0, 0.0],
                        [0.0, 0.0, 0.9, 0.0, 0.0]])
DEAD_SLIPS = {  # what a slip returns on ACTIVATIONS: what it means
    0.7: "that is the fraction of zero *outputs* (21 of 30). A unit is dead only when it is 0 for every sample: count "
         "the units (columns) that are 0 in every row, np.all(activations == 0, axis=0).",
    0.8: "that counts a unit whose output is 0 for *some* sample (np.any): a ReLU unit is 0 for half its inputs in a "
         "healthy network. Dead means 0 for *every* sample: np.all(..., axis=0).",
    0.0: "that looks along the rows (samples, axis=1). The units are the columns: np.all(activations == 0, axis=0).",
    2.0: "that is how many units are dead (2); return the fraction of the layer's units, from 0 to 1.",
    40.0: "that is a percentage; return a fraction from 0 to 1.",
}


def _check_dead_fraction(dead_fraction):
    if not callable(dead_fraction):
        return "dead_fraction should be the function you defined with def."
    answer = one_number(call(dead_fraction, ACTIVATIONS.copy()), "dead_fraction(activations)",
                        "one fraction for the whole layer.")
    if same(answer, 0.4):
        wide = np.random.default_rng(0).normal(size=(256, 64)).clip(min=0)  # a layer of 64 units, 5 of them dead
        wide[:, [3, 17, 18, 40, 63]] = 0
        wide[:100, 5] = 0
        return None if same(call(dead_fraction, wide), 5 / 64) else (
            "right on the small example, but not on a layer of 256 samples and 64 units with 5 dead: count the "
            "columns that are 0 in every row, and divide by the number of columns.")
    for value, message in DEAD_SLIPS.items():
        if same(answer, value):
            return message
    return ("on the example layer (6 samples, 5 units; units 0 and 3 are 0 for every sample) the answer is 2 / 5 = "
            f"0.4, not {answer:g}.")


q1 = Exercise(
    id="10c.1",
    title="count the dead units",
    answers=("dead_fraction",),
    placeholder='''
# Exercise 10c.1: count the dead units
# activations: a hidden ReLU layer's outputs on a batch, shape (n_samples, n_units). A unit is dead when its output
# is 0 for every sample of the batch. Return the fraction of the layer's units that are dead, from 0 to 1.
def dead_fraction(activations):
    ...
''',
    solution='''
# Exercise 10c.1: count the dead units
def dead_fraction(activations):
    return float(np.mean(np.all(activations == 0, axis=0)))  # per unit (column): 0 for every sample?
''',
    checker=_check_dead_fraction,
    hints=["Which axis holds the units? activations[:, j] is unit j's output for every sample.",
           "np.all(activations == 0, axis=0) is True for each unit that is 0 on every sample; its mean is the "
           "fraction."],
)

# --- 10c.2 ----------------------------------------------------------------------------
DIAGNOSES = ("healthy", "rate too high", "rate too low", "weights start too small")
MYSTERY = {"A": "rate too high", "B": "weights start too small", "C": "healthy", "D": "rate too low"}
CHANGES = {"healthy": {}, "rate too high": {"learning_rate": 2.0}, "rate too low": {"learning_rate": 0.0005},
           "weights start too small": {"init": "normal"}}
RUN = {"hidden_layers": (64, 64, 64), "activation": "tanh", "learning_rate": 0.05, "batch_size": 32, "epochs": 3,
       "seed": 1}  # what the four runs share; each changes one thing (CHANGES)
PROBE = 256  # the first 256 training images, as in the notebook


@functools.cache
def _runs():
    X, y = load_digits()
    X_train, X_val, _, y_train, y_val, _ = train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    scaler = Standardizer().fit(X_train)
    X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    runs = {name: MLP(**{**RUN, **CHANGES[diagnosis]}).fit(X_train, y_train, validation_data=(X_val, y_val))
            for name, diagnosis in MYSTERY.items()}
    return runs, X_train[:PROBE], y_train[:PROBE]


def mystery_runs():
    """Exercise 10c.2's four networks on the digits (three hidden layers of 64 tanh units, 3 epochs, validation loss
    in history_), each trained with one thing changed or nothing: {"A": model, "B": ..., "C": ..., "D": ...}."""
    return copy.deepcopy(_runs()[0])


def run_summary(model, X, y):
    """What the feedback quotes, measured on (X, y) as notebook 10c's layer_statistics does: each hidden layer's
    activation spread (std), its fraction of saturated tanh outputs (|out| > 0.99), and each Dense layer's
    update-to-weight ratio, learning_rate * |gradient| / |weights|."""
    network = model.network_
    network.backward(model.loss_.value_and_gradient(network.forward(X), y)[1])
    outputs = [layer.out for layer in network.layers if isinstance(layer, Tanh)]
    ratios = [model.learning_rate * np.linalg.norm(dense.grads["weights"]) / np.linalg.norm(dense.params["weights"])
              for dense in network.dense.values()]
    return {"std": [float(out.std()) for out in outputs], "saturated": [float(np.mean(np.abs(out) > 0.99))
                                                                         for out in outputs], "ratio": ratios}


def _evidence(name):
    """Why run ``name`` has the diagnosis it has, in its own numbers."""
    runs, X, y = _runs()
    numbers = run_summary(copy.deepcopy(runs[name]), X, y)
    spread = ", ".join(f"{value:.2g}" for value in numbers["std"])
    ratio, saturated = np.median(numbers["ratio"]), max(numbers["saturated"])
    return {
        "healthy": f"run {name} is the healthy one: its activations keep a spread of about 0.5 in every layer "
                   f"({spread}), almost none saturated, and its updates are about 1e-3 of its weights ({ratio:.0e}).",
        "rate too high": f"run {name}'s steps are too large: up to {saturated:.0%} of its tanh outputs are saturated "
                         f"(|out| > 0.99, where the gradient is almost 0), and its updates are {ratio:.0e} of its "
                         "weights, far above 1e-3.",
        "rate too low": f"run {name}'s activations keep their spread through the layers ({spread}): its weights "
                        f"started well. But its updates are only {ratio:.0e} of its weights, far below 1e-3: the "
                        "rate is too small to move them.",
        "weights start too small": f"run {name}'s activations shrink layer after layer ({spread}): with weights of "
                                   "0.01, each layer passes on a small part of its input, and the gradients shrink "
                                   f"with them (updates {ratio:.0e} of the weights). A small rate alone would leave "
                                   "the activations as they start.",
    }[MYSTERY[name]]


def _check_diagnosis(diagnosis):
    if not isinstance(diagnosis, dict) or set(diagnosis) != set(MYSTERY):
        return 'answer with a dict that gives each run its diagnosis: {"A": ..., "B": ..., "C": ..., "D": ...}.'
    unknown = [value for value in diagnosis.values() if value not in DIAGNOSES]
    if unknown:
        return f"{unknown[0]!r} is not one of the four: {', '.join(repr(d) for d in DIAGNOSES)}."
    if sorted(diagnosis.values()) != sorted(DIAGNOSES):
        return "each diagnosis fits exactly one run: use each of the four once."
    wrong = [name for name in MYSTERY if diagnosis[name] != MYSTERY[name]]
    return None if not wrong else f"{len(wrong)} of 4 wrong. " + " ".join(_evidence(name) for name in wrong)


q2 = Exercise(
    id="10c.2",
    title="diagnose four runs",
    answers=("diagnosis",),
    placeholder='''
# Exercise 10c.2: diagnose four runs
# For each run above, answer "healthy", "rate too high", "rate too low" or "weights start too small" (each once).
diagnosis = {"A": ..., "B": ..., "C": ..., "D": ...}
''',
    solution='''
# Exercise 10c.2: diagnose four runs
diagnosis = {"A": "rate too high",            # saturated tanh units, updates far above 1e-3
             "B": "weights start too small",  # activations shrink layer by layer, updates tiny
             "C": "healthy",                  # spread kept, updates about 1e-3
             "D": "rate too low"}             # spread kept, but updates tiny
''',
    checker=_check_diagnosis,
    hints=["Look at two things per run: do the activations keep their spread from layer to layer, and are the "
           "updates near 1e-3 of the weights?",
           "Tiny updates have two causes: a small rate (activations fine) or weights too small to pass a signal "
           "(activations shrink layer by layer). Saturated tanh units (|out| near 1) come from steps too large."],
    points=2,
)
