"""Exercises for notebook 13 (the capstone): the baseline, your hyperparameters, your predictions, your reasons.

The task's machinery (data, budget, submissions, hidden labels) is in ``nnlib.exercises.capstone``. Exercise 13.2's
solution is the reference search and 13.3's the reference pipeline's final model, so running the notebook with the
solutions reproduces the reference score that ``capstone.REFERENCE_TEST_CORRECT`` records (tests/test_capstone.py
checks it).
"""
import math
import numbers

import numpy as np

from ..models import MLP
from .capstone import (
    DEFAULTS_TEST_CORRECT,
    N_TEST,
    REFERENCE_TEST_CORRECT,
    load_capstone,
    plain_hyperparameters,
    runs_paid,
    submission_problem,
)
from .framework import Exercise
from .graded import ScoredExercise, ScoreTier, WrittenAnswer

FOLDS = 5  # the protocol's k: cross_validate trains one network per fold
# The score tiers, in test cases right. The test score's chance variation is about 1 point (2,000 cases); the
# untuned defaults score 73.8-75.9 % over network seeds 0-4, the reference pipeline 84.1-85.4 % (test_capstone.py).
DEFAULTS_MARGIN = 0.04  # the first tier: 4 points above the untuned defaults, beyond any seed's luck
REFERENCE_MARGIN = 0.02  # the second: within 2 points of the reference pipeline
DEFAULTS_BEATEN_CORRECT = DEFAULTS_TEST_CORRECT + math.ceil(DEFAULTS_MARGIN * N_TEST)
REFERENCE_MIN_CORRECT = math.ceil((REFERENCE_TEST_CORRECT / N_TEST - REFERENCE_MARGIN) * N_TEST)


def _check_baseline(baseline_accuracy):
    if isinstance(baseline_accuracy, bool) or not isinstance(baseline_accuracy, numbers.Real):
        return "answer with one number: the fraction of the labelled cases that the baseline gets right."
    counts = np.bincount(load_capstone().y)
    value, expected = float(baseline_accuracy), counts.max() / counts.sum()
    if abs(value - expected) < 5e-4:
        return None
    if abs(value - 100 * expected) < 0.05:
        return f"give it as a fraction between 0 and 1 ({value:g} looks like a percentage)."
    if abs(value - 1 / len(counts)) < 5e-4:
        return (f"that is 1/{len(counts)}, right only if all letters were equally common. Count each one with "
                "np.bincount(y): the baseline predicts the most common.")
    if abs(value - counts.min() / counts.sum()) < 5e-4:
        return "that is the share of the least common letter. The baseline predicts the most common one."
    if value in counts:
        return f"that is a count of cases; the accuracy is that count divided by all {counts.sum()} cases."
    return "not quite: count each letter with np.bincount(y), then take the largest count's share of all the cases."


q1 = Exercise(
    id="13.1",
    title="the baseline to beat",
    answers=("baseline_accuracy",),
    placeholder='''
# Exercise 13.1: the baseline to beat
# What fraction of the 1,600 labelled cases does "always predict the most common letter" get right?
baseline_accuracy = ...
''',
    solution='''
# Exercise 13.1: the baseline to beat
most_common = np.bincount(y).argmax()
baseline_accuracy = np.mean(y == most_common)
''',
    checker=_check_baseline,
    hints=["np.bincount(y) counts the cases of each letter: 26 counts, A first.",
           "The baseline is right exactly on the cases of the most common letter: its count divided by len(y)."],
    points=1,
)

SETTINGS = {  # constructor arguments of MLP that are neither learned nor hyperparameters (COURSE.md 1b)
    "seed": "a setting of the experiment (neither): the protocol fixes seed=0, and choosing a seed by its validation "
            "score would fit noise",
    "task": "fixed by the problem (neither): this task is classification",
    "dtype": "a setting of the computation, the number format (neither)",
}


def _check_chosen(chosen):
    if not isinstance(chosen, dict):
        return "answer with a dict of MLP hyperparameters, e.g. {'hidden_layers': (16,), 'learning_rate': 0.1}."
    settings = [name for name in SETTINGS if name in chosen]
    if settings:
        return f"{settings[0]!r} is not a hyperparameter but {SETTINGS[settings[0]]}. Leave it out."
    valid = [name for name in MLP().get_params() if name not in SETTINGS]
    unknown = sorted(set(chosen) - set(valid))
    if unknown:
        return f"{unknown[0]!r} is not a hyperparameter of nnlib.MLP; its hyperparameters are {', '.join(valid)}."
    wanted = plain_hyperparameters(MLP(**chosen, seed=0))
    paid = sum(run["model"] == "MLP" and run["hyperparameters"] == wanted for run in runs_paid())
    if paid < FOLDS:
        return (f"these hyperparameters have not been through the protocol: the budget has paid for {paid} run(s) "
                f"with exactly them, and cross_validate(chosen) trains {FOLDS}. Choose a setting you have evaluated "
                "(the same values you passed to cross_validate), or evaluate this one first.")
    return None


q2 = Exercise(
    id="13.2",
    title="choose your hyperparameters",
    answers=("chosen",),
    placeholder='''
# Exercise 13.2: choose your hyperparameters
# Spend your budget here: evaluate settings with cross_validate({...}) (5 runs each; print(budget) shows what is
# left), then write down the one you choose, e.g. {"hidden_layers": (16,), "learning_rate": 0.1, "l2": 0.001}.
chosen = ...
''',
    solution='''
# Exercise 13.2: choose your hyperparameters
from nnlib.tune import Choice, LogUniform, sample_space

space = {"hidden_layers": Choice([(16,), (32,), (64,), (128,), (64, 32)]), "activation": Choice(["tanh", "relu"]),
         "learning_rate": LogUniform(0.003, 0.3), "l2": LogUniform(1e-5, 1e-2)}
search = [cross_validate(setting) for setting in sample_space(space, n_trials=8, seed=0)]  # 8 x 5 = 40 runs
chosen = min(search, key=lambda row: row["loss"])["hyperparameters"]  # the lowest mean validation loss
''',
    checker=_check_chosen,
    hints=["A random search (notebook 08) spends the budget well: nnlib.tune.sample_space(space, n_trials, seed) "
           "draws settings, and cross_validate scores each one.",
           "Compare settings by their mean validation loss (steadier than the accuracy, which moves in steps of "
           "1/320 on a fold), and two settings fold by fold: a lead that reverses on some folds is a tie.",
           "chosen must be exactly a dict you passed to cross_validate, without seed: the protocol fixes it."],
    points=2,
)

q3 = ScoredExercise(
    id="13.3",
    title="predict the test set",
    answers=("predictions",),
    placeholder='''
# Exercise 13.3: predict the test set
# Train your chosen setting on all 1,600 labelled cases (standardised with their statistics: one run from the
# budget), then predict the 2,000 cases of X_test: one label per case, 0 (A) to 25 (Z).
predictions = ...
''',
    solution='''
# Exercise 13.3: predict the test set
scaler = nnlib.Standardizer().fit(X)  # the statistics of all 1,600 labelled cases
final_model = budget.fit(nnlib.MLP(**chosen, seed=0), scaler.transform(X), y)  # one run
predictions = final_model.predict(scaler.transform(X_test))
''',
    checker=submission_problem,
    hints=["The final model sees all 1,600 labelled cases: fit a new Standardizer on X, and train "
           "nnlib.MLP(**chosen, seed=0) through budget.fit.",
           "Transform X_test with that same scaler before predicting: the test cases must look like the training "
           "cases did.",
           "model.predict gives labels (what a submission needs); model.predict_proba gives probabilities."],
    points=5,
    tiers=[ScoreTier(0.6, DEFAULTS_BEATEN_CORRECT,
                     f"beat the untuned defaults (standardise + nnlib.MLP(): {DEFAULTS_TEST_CORRECT / N_TEST:.1%}) by "
                     f"{DEFAULTS_MARGIN * 100:g} points, more than chance moves a score of {N_TEST} cases (at least "
                     f"{DEFAULTS_BEATEN_CORRECT} of the {N_TEST} test cases right)"),
           ScoreTier(0.4, REFERENCE_MIN_CORRECT,
                     f"come within {REFERENCE_MARGIN * 100:g} percentage points of the reference pipeline's "
                     f"{REFERENCE_TEST_CORRECT / N_TEST:.1%} (at least {REFERENCE_MIN_CORRECT} of the {N_TEST} "
                     "test cases right)")],
    labels_from="nnlib.exercises.capstone:autograder_labels",
)

w4 = WrittenAnswer(
    id="13.4",
    title="why these hyperparameters",
    prompt='''
**Written answer 13.4: why these hyperparameters.** *Replace this text with your justification, in a few sentences
(in a classroom it is graded by hand). Which setting did you choose, and what evidence made you choose it: its
cross-validated loss and accuracy, the spread over the folds, and whether its lead over the runner-up holds on
every fold? What did you try and reject, how many runs did you spend, and what would you try next with a
larger budget?*
''',
    model_answer='''
*What a full answer contains (for the people who grade it).* It names the chosen setting and the evidence: the
cross-validated loss and accuracy of the chosen setting and of the runner-up, the spread over the 5 folds, and an
honest reading of it (with 320 cases per fold, one case is 0.3 points of accuracy). It compares the two best settings
fold by fold, on the same folds: a lead that reverses on some folds is a tie, settled by a stated rule such as the
lower mean loss or the simpler network. It says how the budget was
spent (e.g. 8 random settings for 40 runs, the defaults for 5 more, 1 for the final model) and what was rejected
and why (e.g. 16 hidden units too few to tell 26 letters apart; learning rates near 0.003 too slow for 100 epochs).
It does not cite the test score as a reason for any choice. A good "next step" widens a range whose best value
lies on its border, or refines around the best setting.
''',
    points=3,
)
