"""Exercises for notebook 08c (how sure are we?), the third part of notebook 08: plan a test set's size, compare a
colleague's two settings fold by fold (both apply a method of the notebook to a case it did not show), and sort the
names of an evaluation into parameter, hyperparameter or neither.

The checkers recompute each slip a learner is likely to make (z for a 90 % interval, the full width for the half
width, percent for fractions; the unpaired standard error, 1.96 for t, ddof=0, the difference reversed) and name it.
"""
import math

import numpy as np

from .answer_kinds import one_number
from .framework import Exercise, Feedback
from .sorting import sorting_exercise

Z_95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
T_95_4 = 2.7764451051977934  # scipy.stats.t.ppf(0.975, 4): 5 folds, 4 degrees of freedom

# --- 08c.1 ----------------------------------------------------------------------------
ACCURACY, HALF_WIDTH = 0.90, 0.01  # plan a test set: a 90 % accuracy known to within +-1 point (95 %)


def _size(z=Z_95, accuracy=ACCURACY, half_width=HALF_WIDTH):
    """The smallest n with z * sqrt(p (1 - p) / n) <= half_width."""
    return math.ceil((z / half_width) ** 2 * accuracy * (1 - accuracy))


def _wilson_size():
    """The smallest n whose Wilson interval at 90 % is at most 1 point either side (a little above _size())."""
    n, z2 = _size(), Z_95**2
    while Z_95 / (1 + z2 / n) * math.sqrt(ACCURACY * (1 - ACCURACY) / n + z2 / (4 * n * n)) > HALF_WIDTH:
        n += 1
    return n


SIZE_SLIPS = [  # (the n a slip gives, what it means)
    (_size() - 1, "that n gives a half-width a hair above 1 point (1.00006): the smallest n that reaches 1 point is "
                  "the next whole number up. Round up with np.ceil, not round() or int()."),
    (_size(z=2), "2 standard errors is the rough rule; the 95 % interval uses z = 1.96 (stats.norm.ppf(0.975))."),
    (_size(z=1.6448536269514722), "z = 1.645 gives a 90 % interval; the question asks for 95 %: z = 1.96."),
    (_size(half_width=0.02), "that n reaches +-2 points. The interval should reach 1 point either side: a half-width "
                             "of 0.01 (its full width is then 2 points)."),
    (_size(half_width=0.005), "that n makes the whole interval 1 point wide (+-0.5). 'Within 1 point' means 1 point "
                              "either side: a half-width of 0.01."),
    (_size(accuracy=0.5), "that is the worst case, p = 0.5 (p (1 - p) = 0.25). At 90 % accuracy p (1 - p) is "
                          "0.9 x 0.1 = 0.09, so fewer images are needed."),
]


def _check_size(n_test):
    n = one_number(n_test, "n_test", "the number of test images.")
    exact = (Z_95 / HALF_WIDTH) ** 2 * ACCURACY * (1 - ACCURACY)
    if _size() <= n <= _wilson_size() and n == int(n):
        return None
    if 0 < n < 10:
        return ("work in fractions, not percent: 90 % is 0.9 and 1 point is 0.01, so n = (1.96 / 0.01)**2 * 0.9 * 0.1, "
                "rounded up.")
    if abs(n - exact) < 1 and n != int(n):
        return f"{n:g} images? A number of images is whole: round up with np.ceil (fewer would not reach 1 point)."
    for wrong, message in SIZE_SLIPS:  # within 2: rounded either way, or z = 1.645 written short
        if abs(n - wrong) < 2:
            return message
    if abs(n - Z_95 / HALF_WIDTH * ACCURACY * (1 - ACCURACY)) < 1:
        return "square the ratio: n = (1.96 / 0.01)**2 * p * (1 - p). Solve 1.96 * sqrt(p (1 - p) / n) = 0.01 for n."
    if n <= 0:
        return "the number of test images must be positive."
    half_width = f"{n:g} images give a half-width of {100 * Z_95 * math.sqrt(0.09 / n):.3f} points"
    enough = "enough, but fewer would do: the question asks for the smallest n" if n > _size() else "more than 1"
    return f"{half_width}: {enough}. Solve 1.96 * sqrt(p (1 - p) / n) = 0.01 for n with p = 0.9, and round up."


q1 = Exercise(
    id="08c.1",
    title="how big a test set",
    answers=("n_test",),
    placeholder='''
# Exercise 08c.1: how big a test set
# A colleague expects about 90 % accuracy and wants the 95 % interval of the test score to reach at most 1 point
# either side (0.01): 1.96 * sqrt(p * (1 - p) / n) <= 0.01. How many test images n do they need, at least?
n_test = ...
''',
    solution='''
# Exercise 08c.1: how big a test set
p, half_width = 0.9, 0.01
n_test = int(np.ceil((1.96 / half_width) ** 2 * p * (1 - p)))
''',
    checker=_check_size,
    hints=["Solve 1.96 * sqrt(p (1 - p) / n) = 0.01 for n: square both sides.",
           "n = (1.96 / 0.01)**2 * 0.9 * 0.1 = 3457.4; a number of images is whole, and fewer would not do."],
)

# --- 08c.2 ----------------------------------------------------------------------------
FOLDS_A = (84.1, 82.5, 86.3, 83.8, 85.0)  # a colleague's letters network, validation accuracy (%) on folds 1-5
FOLDS_B = (85.0, 83.1, 87.5, 84.1, 86.3)  # another setting, on the same five folds
DECISIONS = ("a", "b", "tie")


def _paired(a=FOLDS_A, b=FOLDS_B, t=T_95_4, ddof=1, root=True):
    """(mean of b - a, (low, high)) with the standard error sd / sqrt(k) (or sd / k when root is False)."""
    difference = np.subtract(b, a)
    k = len(difference)
    standard_error = difference.std(ddof=ddof) / (np.sqrt(k) if root else k)
    mean = difference.mean()
    return mean, (mean - t * standard_error, mean + t * standard_error)


def _unpaired_interval(a=FOLDS_A, b=FOLDS_B):
    mean = np.mean(b) - np.mean(a)
    half = T_95_4 * np.sqrt(np.var(a, ddof=1) / len(a) + np.var(b, ddof=1) / len(b))
    return mean - half, mean + half


INTERVAL_SLIPS = [  # (the interval a slip gives, what it means)
    (_unpaired_interval(), "that interval comes from the two settings' separate spreads, as if the folds were "
                           "unrelated. Both settings saw the same folds: subtract fold by fold (b - a) and take the "
                           "spread of those five differences."),
    (_paired(t=Z_95)[1], "1.96 is the normal distribution's value, right for many folds. With 5 folds the spread "
                         "itself is estimated from 5 numbers: use t = 2.776 (stats.t.ppf(0.975, 4))."),
    (_paired(ddof=0)[1], "np.std divides by k by default; the spread of a sample divides by k - 1: "
                         "difference.std(ddof=1)."),
    (_paired(root=False)[1], "the standard error divides the spread by the square root of the number of folds, "
                             "np.sqrt(5), not by 5."),
    (_paired(a=FOLDS_B, b=FOLDS_A)[1], "that is a - b: the question asks for b - a, so a positive difference means "
                                       "b scores higher."),
]


def _check_paired(mean_difference, interval, better):
    mean = one_number(mean_difference, "mean_difference", "the mean of the five differences b - a.")
    try:
        low, high = (float(value) for value in interval)
    except (TypeError, ValueError):
        raise Feedback("interval should be two numbers, (low, high).") from None
    expected_mean, (expected_low, expected_high) = _paired()
    if abs(mean + expected_mean) < 1e-6:
        return INTERVAL_SLIPS[-1][1]
    if abs(mean - expected_mean) > 1e-6:
        if abs(mean - expected_mean / 100) < 1e-6:
            return "keep the accuracies in points (%), as given: the mean difference is 0.86 points."
        return "mean_difference is the mean of the five differences b - a (fold 1: 85.0 - 84.1 = 0.9)."
    if low > high:
        return "write the interval as (low, high): the smaller end first."
    if not (abs(low - expected_low) < 1e-3 and abs(high - expected_high) < 1e-3):
        for slip, message in INTERVAL_SLIPS:
            if abs(low - slip[0]) < 1e-3 and abs(high - slip[1]) < 1e-3:
                return message
        return ("interval is mean_difference - t * se to mean_difference + t * se, with se = difference.std(ddof=1) / "
                "np.sqrt(5) and t = 2.776.")
    if better not in DECISIONS:
        return f"better should be one of {', '.join(repr(d) for d in DECISIONS)}; got {better!r}."
    if better != "b":
        return (f"the interval ({low:.2f}, {high:.2f}) lies entirely above 0: b scores higher on these folds by "
                "more than chance explains, so the answer is \"b\" (a lead that could be 0 would be a tie).")
    return None


q2 = Exercise(
    id="08c.2",
    title="a colleague's two settings, fold by fold",
    answers=("mean_difference", "interval", "better"),
    placeholder='''
# Exercise 08c.2: a colleague's two settings, fold by fold
# Two settings of a letters network, cross-validated on the same 5 folds (validation accuracy in %, fold by fold):
a = np.array([84.1, 82.5, 86.3, 83.8, 85.0])
b = np.array([85.0, 83.1, 87.5, 84.1, 86.3])
# Compare them as section 4 does: the paired differences b - a, their mean, the standard error (their spread,
# ddof=1, over the square root of 5), the 95 % interval mean +- t * standard error with t = stats.t.ppf(0.975, 4),
# and a decision: "a", "b" or "tie" (a tie when the interval contains 0).
mean_difference = ...
interval = ...  # (low, high)
better = ...
''',
    solution='''
# Exercise 08c.2: a colleague's two settings, fold by fold
a = np.array([84.1, 82.5, 86.3, 83.8, 85.0])
b = np.array([85.0, 83.1, 87.5, 84.1, 86.3])
difference = b - a
mean_difference = difference.mean()
standard_error = difference.std(ddof=1) / np.sqrt(len(difference))
t = stats.t.ppf(0.975, len(difference) - 1)
interval = (mean_difference - t * standard_error, mean_difference + t * standard_error)
better = "b" if interval[0] > 0 else "a" if interval[1] < 0 else "tie"
''',
    checker=_check_paired,
    hints=["difference = b - a holds five numbers, one per fold; everything else is computed from them alone.",
           "standard_error = difference.std(ddof=1) / np.sqrt(5); t = stats.t.ppf(0.975, 4) is 2.776; the interval "
           "is mean_difference -+ t * standard_error. Does it contain 0?"],
    points=2,
)

# --- 08c.3 ----------------------------------------------------------------------------
EVALUATION_NAMES = {
    "seed": ("neither", "a setting of the experiment: it changes the result, but choosing it on the validation set "
                        "fits noise (section 2). Report the mean and spread over seeds instead."),
    "n_trials": ("neither", "the number of trials is a choice about the search, a setting of the experiment: it "
                            "decides how many settings are compared, not what any one network learns (and more "
                            "trials give the winner's validation score more chances to be lucky, section 5)."),
    "k": ("neither", "the number of folds is part of the design of the evaluation, like the split sizes: it decides "
                     "how the settings are scored, not what a network learns."),
    "learning_rate": ("hyperparameter", "set before training, it changes what training learns, and it is compared "
                                        "on the validation folds."),
    "hidden_1.weights": ("parameter", "fit() learns these numbers from the training images, fold by fold."),
}

q3 = sorting_exercise(
    "08c.3", "sort the names of an evaluation", EVALUATION_NAMES,
    intro='For each name in this notebook\'s experiments, answer "parameter", "hyperparameter" or "neither".',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Ask the three questions in order: does training compute it? Is it set before training, does it change "
           "what training learns, and would you compare it on the validation set? Otherwise it is neither.",
           "One parameter, one hyperparameter, three neither."],
)
