"""Exercises for notebook 10b (how the best tune today): the budget of a successive-halving search, reading a
learning-rate range test, and which names belong to the model and which to the search.

``halving_schedule`` is scikit-learn's rule for the rungs of ``HalvingRandomSearchCV`` with a resource other than the
number of samples (``_search_successive_halving.py``, ``_run_search``; tests/test_exercises_nb10b.py runs scikit-learn
against it). ``colleagues_range_test`` is notebook 10b's range test (section 3) run on the digits.
"""
import functools
import math
import warnings

import numpy as np

from ..data import Standardizer, train_val_test_split
from ..datasets import load_digits
from ..divergence import DivergenceWarning
from ..models import MLP
from .answer_kinds import one_number
from .framework import Exercise
from .sorting import sorting_exercise


# --- 10b.1 ----------------------------------------------------------------------------
def halving_schedule(n_candidates, factor, min_resources, max_resources):
    """The rungs of scikit-learn's successive halving (resource not n_samples, no aggressive elimination): a list of
    (resource, candidates) per rung. Rung i gives min_resources * factor**i (never above max_resources) to the
    candidates left; ceil(n / factor) of them go on; there are as many rungs as both the candidates and the
    resources allow."""
    required = 1 + math.floor(math.log(n_candidates, factor))  # until fewer than ``factor`` candidates are left
    possible = 1 + math.floor(math.log(max_resources // min_resources, factor))  # until max_resources is reached
    rungs, n = [], n_candidates
    for rung in range(min(required, possible)):
        rungs.append((min(int(factor**rung * min_resources), max_resources), n))
        n = math.ceil(n / factor)
    return rungs


CASE = {"n_candidates": 50, "factor": 3, "min_resources": 2, "max_resources": 60}  # exercise 10b.1's search
RUNGS = halving_schedule(**CASE)  # [(2, 50), (6, 17), (18, 6), (54, 2)]
EPOCHS = [epochs for epochs, _ in RUNGS]
CANDIDATES = [n for _, n in RUNGS]
RETRAINED = sum(epochs * n for epochs, n in RUNGS)  # scikit-learn fits every rung from scratch: 418
CONTINUED = sum((epochs - before) * n for (epochs, n), before in zip(RUNGS, [0, *EPOCHS]))  # partial_fit: 312


def _as_list(value, name):
    try:
        return [int(v) if float(v) == int(v) else float(v) for v in value]
    except (TypeError, ValueError):
        return f"{name} should be a list of whole numbers, one per rung; got {value!r}."


def _check_budget(epochs_per_rung, candidates_per_rung, epochs_retrained, epochs_continued):
    epochs, candidates = _as_list(epochs_per_rung, "epochs_per_rung"), _as_list(candidates_per_rung,
                                                                                 "candidates_per_rung")
    for given in (epochs, candidates):
        if isinstance(given, str):
            return given
    floors = [CASE["n_candidates"] // CASE["factor"] ** i for i in range(len(CANDIDATES))]
    if candidates[:len(floors)] == floors or candidates[1:2] == [CASE["n_candidates"] // CASE["factor"]]:
        return ("scikit-learn keeps ceil(n / factor) candidates, rounding up: 50 / 3 = 16.7 becomes 17 (rounding "
                "down, 16, would drop a candidate the rule keeps). Then ceil(17 / 3) = 6, ceil(6 / 3) = 2.")
    if candidates != CANDIDATES:
        if candidates[:len(CANDIDATES)] == CANDIDATES:
            return ("a fifth rung would need 54 * 3 = 162 epochs, above max_resources = 60: the search stops after "
                    "the rung at 54 epochs, with 2 candidates (scikit-learn's n_possible_iterations).")
        return ("candidates_per_rung: the first rung takes all 50 candidates; each next rung keeps ceil(n / 3) of "
                "the one before.")
    if epochs[-1:] == [CASE["max_resources"]]:
        return ("the last rung trains 54 epochs, not 60: rung i gets min_resources * factor**i = 2, 6, 18, 54. "
                "max_resources only caps that, and 54 * 3 = 162 would be over it, so the search stops at 54.")
    if epochs != EPOCHS:
        return ("epochs_per_rung: rung i trains min_resources * factor**i epochs, starting at min_resources = 2 "
                "and growing by the factor 3.")
    numbers = {}
    for name, value in (("epochs_retrained", epochs_retrained), ("epochs_continued", epochs_continued)):
        numbers[name] = one_number(value, name, "the epochs summed over every candidate of every rung.")
    retrained, continued = numbers["epochs_retrained"], numbers["epochs_continued"]
    if (retrained, continued) == (CONTINUED, RETRAINED):
        return ("the two totals are swapped: starting each rung over costs more (every candidate trains all of "
                "its rung's epochs again); continuing costs only the epochs added since the last rung.")
    if retrained == CASE["n_candidates"] * EPOCHS[-1]:
        return (f"{retrained:,} epochs would train all 50 candidates to 54 epochs: a random search's cost. Halving "
                "trains each rung's candidates for that rung's epochs only: add 50 * 2 + 17 * 6 + ...")
    if retrained != RETRAINED:
        return ("epochs_retrained: each rung trains its candidates from scratch for that rung's epochs, so add "
                "candidates * epochs over the rungs.")
    if continued == CONTINUED - EPOCHS[0] * CANDIDATES[0]:
        return "epochs_continued: the first rung costs its 50 * 2 epochs too."
    if continued != CONTINUED:
        return ("epochs_continued: a survivor of a rung keeps its training, so each rung adds only the epochs since "
                "the rung before: 50 * 2 + 17 * (6 - 2) + ...")
    return None


q1 = Exercise(
    id="10b.1",
    title="the budget of a halving search",
    answers=("epochs_per_rung", "candidates_per_rung", "epochs_retrained", "epochs_continued"),
    placeholder='''
# Exercise 10b.1: the budget of a halving search
# HalvingRandomSearchCV(model, space, n_candidates=50, factor=3, resource="epochs", min_resources=2,
#                       max_resources=60): list each rung's epochs and candidates, by scikit-learn's rules (above).
# Then the epochs trained in all, summed over every candidate of every rung: as scikit-learn does it (each rung
# trains from scratch), and as the halving by hand does it (survivors continue with partial_fit).
epochs_per_rung = ...
candidates_per_rung = ...
epochs_retrained = ...
epochs_continued = ...
''',
    solution='''
# Exercise 10b.1: the budget of a halving search
epochs_per_rung = [2, 6, 18, 54]     # 2 * 3**i; the next, 162, would be over max_resources = 60
candidates_per_rung = [50, 17, 6, 2]  # ceil(n / 3) go on
epochs_retrained = 50 * 2 + 17 * 6 + 6 * 18 + 2 * 54
epochs_continued = 50 * 2 + 17 * (6 - 2) + 6 * (18 - 6) + 2 * (54 - 18)
''',
    checker=_check_budget,
    hints=["Rung i trains min_resources * factor**i epochs while that stays within max_resources; the first rung has "
           "all the candidates, each next one ceil(n / factor) of them.",
           "Retrained: the sum of candidates * epochs over the rungs. Continued: the same sum with each rung's "
           "epochs minus the epochs of the rung before."],
    points=2,
)


# --- 10b.2 ----------------------------------------------------------------------------
SEARCH_NAMES = {
    "factor": ("neither", "a setting of the search: how many candidates each rung keeps (a third). It decides which "
                          "settings are compared, not what a network learns."),
    "min_resources": ("neither", "a setting of the search: the epochs of its first rung. The network's own epochs "
                                 "are the hyperparameter; how the search hands them out is its schedule."),
    "learning_rate": ("hyperparameter", "you set it before training, it changes what training learns, and the "
                                        "search compares its values on the validation set."),
    "l2": ("hyperparameter", "the strength of the L2 penalty: set before training, compared on the validation set."),
    "output.weights": ("parameter", "partial_fit learns it from the training images, rung after rung."),
}

q2 = sorting_exercise(
    "10b.2", "the model's names or the search's?", SEARCH_NAMES, kinds=("parameter", "hyperparameter", "neither"),
    intro='Names from section 2\'s halving search. Answer "parameter", "hyperparameter" or "neither" for each.',
    hints=["Ask the rule's questions in order: does training compute it from the training data? Is it set before "
           "training and compared on the validation set? Otherwise it is neither.",
           "The search's own settings (how many survive, how many epochs first) decide which runs happen, like "
           "n_trials in notebook 08: neither."],
)


# --- 10b.3 ----------------------------------------------------------------------------
RANGE_TEST = {"start": 1e-4, "end": 100.0, "steps": 100, "batch_size": 32, "seed": 0}  # exercise 10b.3's run


@functools.cache
def _colleagues_curve():
    X, y = load_digits()
    X_train, _, _, y_train, _, _ = train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    X_train = Standardizer().fit(X_train).transform(X_train)
    start, end, steps, batch_size, seed = RANGE_TEST.values()
    rng = np.random.default_rng(seed)
    batches = [order[i:i + batch_size] for order in (rng.permutation(len(X_train)) for _ in range(steps))
               for i in range(0, len(X_train), batch_size)][:steps]
    rates = start * (end / start) ** np.linspace(0, 1, steps)
    model, smoothed, average = MLP(hidden_layers=(32,), activation="relu", batch_size=None, seed=seed), [], 0.0
    with warnings.catch_warnings(action="ignore", category=DivergenceWarning):
        for step, (rate, batch) in enumerate(zip(rates, batches), start=1):
            model.set_params(learning_rate=float(rate)).partial_fit(X_train[batch], y_train[batch])
            if model.history_.diverged:
                break
            average = 0.98 * average + 0.02 * model.history_.loss[-1]
            smoothed.append(average / (1 - 0.98**step))
            if smoothed[-1] > 4 * min(smoothed):
                break
    return rates[:len(smoothed)], np.array(smoothed)


def colleagues_range_test():
    """Exercise 10b.3's curve: section 3's range test on the digits' 1,079 training images (standardised), for
    MLP(hidden_layers=(32,), activation="relu") on mini-batches of 32, the rate growing from 0.0001 to 100 over 100
    steps. Returns (rates, smoothed_losses), as long as the test ran."""
    rates, losses = _colleagues_curve()
    return rates.copy(), losses.copy()


def _check_rate(chosen_rate):
    rate = one_number(chosen_rate, "chosen_rate", "one learning rate.")
    rates, losses = _colleagues_curve()
    lowest, stopped = rates[np.argmin(losses)], rates[-1]
    if rate <= 0:
        return (f"a learning rate is positive; {rate:g} looks like an exponent read off the log axis. The rate at "
                f"10**{rate:g} is {10**rate:.3g}.")
    if rate > 1.5 * lowest:
        return (f"{rate:.3g} is past the lowest point ({lowest:.3g}), where the loss is already rising: the test "
                f"stopped at {stopped:.3g}, when the smoothed loss reached 4 times its lowest.")
    if rate > lowest / 4:
        return (f"{rate:.3g} is about where the smoothed loss is lowest ({lowest:.3g}): a rate there is already "
                "nearly too large, a few steps from blowing up. The rule takes a tenth of it.")
    if rate >= lowest / 25:  # a tenth of the lowest point, within a factor of 2.5 (reading a plot by eye)
        return None
    if rate >= lowest / 250:
        return (f"{rate:.3g} is safe but slow: about a hundredth of the lowest point ({lowest:.3g}). The rule takes a "
                "tenth, the largest rate that is still safely below the blow-up.")
    return (f"at {rate:.3g} the curve is still flat: the network hardly moves at that rate. Find the lowest point "
            "of the curve, rates[np.argmin(losses)], and take a tenth of it.")


q3 = Exercise(
    id="10b.3",
    title="read a range test",
    answers=("chosen_rate",),
    placeholder='''
# Exercise 10b.3: read a range test
# The colleague's curve, drawn above: the rates, and the smoothed training loss at each.
from nnlib.exercises.nb10b import colleagues_range_test

rates, losses = colleagues_range_test()
# Choose their learning rate by section 3's rule (you may compute it from the two arrays):
chosen_rate = ...
''',
    solution='''
# Exercise 10b.3: read a range test
from nnlib.exercises.nb10b import colleagues_range_test

rates, losses = colleagues_range_test()
chosen_rate = rates[np.argmin(losses)] / 10  # a tenth of the rate where the smoothed loss is lowest
''',
    checker=_check_rate,
    hints=["Find the rate where the smoothed loss is lowest: np.argmin(losses) is its position in rates.",
           "fast.ai's 'minimum' rule takes a tenth of that rate: the loss is lowest where the rate is already "
           "nearly too large."],
)

