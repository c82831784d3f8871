"""Exercises for notebook 13 (the capstone): the baseline, your hyperparameters, your predictions, your reasons.

The task's machinery (data, budget, submissions, hidden labels) is in ``nnlib.exercises.capstone``. Exercise 13.2's
solution is the reference search and 13.3's the reference pipeline's final model, so running the notebook with the
solutions reproduces the reference score that ``capstone.REFERENCE_TEST_CORRECT`` records (tests/test_capstone.py
checks it).
"""
import math
import numbers

from ..models import MLP
from .capstone import (
    BASELINE_TEST_CORRECT,
    LABELLED_COUNTS,
    N_TEST,
    REFERENCE_TEST_CORRECT,
    plain_hyperparameters,
    runs_paid,
    submission_problem,
)
from .framework import Exercise
from .graded import ScoredExercise, ScoreTier, WrittenAnswer

FOLDS = 5  # the protocol's k: cross_validate trains one network per fold
REFERENCE_MARGIN = 0.03  # full marks within 3 percentage points of the reference pipeline's test accuracy
REFERENCE_MIN_CORRECT = math.ceil((REFERENCE_TEST_CORRECT / N_TEST - REFERENCE_MARGIN) * N_TEST)


def _check_baseline(baseline_accuracy):
    if isinstance(baseline_accuracy, bool) or not isinstance(baseline_accuracy, numbers.Real):
        return "answer with one number: the fraction of the labelled cases that the baseline gets right."
    value, (malignant, benign) = float(baseline_accuracy), LABELLED_COUNTS
    expected = max(malignant, benign) / (malignant + benign)
    if abs(value - expected) < 5e-4:
        return None
    if abs(value - 100 * expected) < 0.05:
        return f"give it as a fraction between 0 and 1 ({value:g} looks like a percentage)."
    if abs(value - (1 - expected)) < 5e-4:
        return ("that is the share of malignant cases (label 0). The most common class is the other one: benign, "
                "label 1.")
    if value in (malignant, benign):
        return f"that is a count of cases; the accuracy is that count divided by all {malignant + benign} cases."
    if abs(value - 0.5) < 1e-9:
        return "the two classes are not equally common: count each one with np.bincount(y)."
    return "not quite: count each class with np.bincount(y), then take the larger count's share of all the cases."


q1 = Exercise(
    id="13.1",
    title="the baseline to beat",
    answers=("baseline_accuracy",),
    placeholder='''
# Exercise 13.1: the baseline to beat
# What fraction of the 455 labelled cases does "always predict the most common class" get right?
baseline_accuracy = ...
''',
    solution='''
# Exercise 13.1: the baseline to beat
most_common = np.bincount(y).argmax()
baseline_accuracy = np.mean(y == most_common)
''',
    checker=_check_baseline,
    hints=["np.bincount(y) counts the cases of each class: [malignant, benign].",
           "The baseline is right exactly on the cases of the most common class: its count divided by len(y)."],
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

space = {"hidden_layers": Choice([(8,), (16,), (32,), (16, 8)]), "activation": Choice(["tanh", "relu"]),
         "learning_rate": LogUniform(0.003, 1.0), "l2": LogUniform(1e-4, 0.3)}
search = [cross_validate(setting) for setting in sample_space(space, n_trials=8, seed=0)]  # 8 x 5 = 40 runs
chosen = min(search, key=lambda row: row["loss"])["hyperparameters"]  # the lowest mean validation loss
''',
    checker=_check_chosen,
    hints=["A random search (notebook 08) spends the budget well: nnlib.tune.sample_space(space, n_trials, seed) "
           "draws settings, and cross_validate scores each one.",
           "Compare settings by their mean validation loss (steadier than the accuracy, which moves in steps of "
           "1/91 on a fold), and two settings fold by fold: a lead that reverses on some folds is a tie.",
           "chosen must be exactly a dict you passed to cross_validate, without seed: the protocol fixes it."],
    points=2,
)

q3 = ScoredExercise(
    id="13.3",
    title="predict the test set",
    answers=("predictions",),
    placeholder='''
# Exercise 13.3: predict the test set
# Train your chosen setting on all 455 labelled cases (standardised with their statistics: one run from the
# budget), then predict the 114 cases of X_test: one label per case, 0 (malignant) or 1 (benign).
predictions = ...
''',
    solution='''
# Exercise 13.3: predict the test set
scaler = nnlib.Standardizer().fit(X)  # the statistics of all 455 labelled cases
final_model = budget.fit(nnlib.MLP(**chosen, seed=0), scaler.transform(X), y)  # one run
predictions = final_model.predict(scaler.transform(X_test))
''',
    checker=submission_problem,
    hints=["The final model sees all 455 labelled cases: fit a new Standardizer on X, and train "
           "nnlib.MLP(**chosen, seed=0) through budget.fit.",
           "Transform X_test with that same scaler before predicting: the test cases must look like the training "
           "cases did.",
           "model.predict gives labels (what a submission needs); model.predict_proba gives probabilities."],
    points=5,
    tiers=[ScoreTier(0.6, BASELINE_TEST_CORRECT + 1,
                     f"beat the baseline, which predicts 'benign' for every case ({BASELINE_TEST_CORRECT} of the "
                     f"{N_TEST} test cases right)"),
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
honest reading of it (with 91 cases per fold, one case is 1.1 points of accuracy). It compares the two best settings
fold by fold, on the same folds: a lead that reverses on some folds is a tie, settled by a stated rule such as the
lower mean loss or the simpler network. It says how the budget was
spent (e.g. 8 random settings for 40 runs, the defaults for 5 more, 1 for the final model) and what was rejected
and why (e.g. learning rates near 0.003 too slow for 100 epochs; an L2 strength near 0.3 holding the weights back).
It does not cite the test score as a reason for any choice. A good "next step" widens a range whose best value
lies on its border, or refines around the best setting.
''',
    points=3,
)
