"""Notebook 08c's exercises (how sure are we?): each solution passes, each untouched cell is unanswered, and the
answers a learner would really write get a message that names their slip: a test set planned with the wrong z, the
full width or percent (08c.1); two settings compared without pairing, with 1.96 for t, ddof=0 or the difference
reversed (08c.2); the seed, the number of trials and the folds sorted as hyperparameters (08c.3)."""
import numpy as np
import pytest
from exercise_code import run
from scipy import stats

from nnlib.exercises import nb08c
from nnlib.exercises.framework import exercises_in


def feedback(exercise, code):
    """The exercise's feedback on ``code``, run as the notebook runs it (np, math, scipy's stats)."""
    namespace = run(code, stats=stats, math=__import__("math"))
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


def test_notebook_08c_has_three_exercises_whose_solutions_pass_and_placeholders_are_unanswered():
    assert [exercise.id for exercise in exercises_in(nb08c)] == ["08c.1", "08c.2", "08c.3"]
    for exercise in exercises_in(nb08c):
        assert feedback(exercise, exercise.solution_code) == ("correct", "Correct!"), exercise.id
        assert feedback(exercise, exercise.placeholder)[0] == "unanswered", exercise.id


def test_08c_1_accepts_the_smallest_n_by_the_quick_rule_or_by_wilsons_interval():
    assert nb08c.q1.feedback(3458)[0] == "correct"  # 1.96 * sqrt(0.09 / n) <= 0.01
    assert nb08c.q1.feedback(3461)[0] == "correct"  # Wilson's half-width <= 0.01
    assert nb08c.q1.feedback(3462)[0] == "wrong" and "fewer would do" in nb08c.q1.feedback(3462)[1]


@pytest.mark.parametrize("answer, words", [
    ("n_test = round((1.96 / 0.01) ** 2 * 0.9 * 0.1)", "Round up with np.ceil"),
    ("n_test = int((1.96 / 0.01) ** 2 * 0.9 * 0.1)", "Round up with np.ceil"),
    ("n_test = (1.96 / 0.01) ** 2 * 0.9 * 0.1", "A number of images is whole"),
    ("n_test = math.ceil((2 / 0.01) ** 2 * 0.9 * 0.1)", "z = 1.96"),
    ("n_test = math.ceil((1.645 / 0.01) ** 2 * 0.9 * 0.1)", "gives a 90 % interval"),
    ("n_test = math.ceil((1.96 / 0.02) ** 2 * 0.9 * 0.1)", "reaches +-2 points"),
    ("n_test = math.ceil((1.96 / 0.005) ** 2 * 0.9 * 0.1)", "the whole interval 1 point wide"),
    ("n_test = math.ceil((1.96 / 0.01) ** 2 * 0.25)", "the worst case, p = 0.5"),
    ("n_test = math.ceil((1.96 / 1) ** 2 * 0.9 * 0.1)", "work in fractions, not percent"),
    ("n_test = (1.96 / 0.01) * 0.9 * 0.1", "square the ratio"),
    ("n_test = 3000", "more than 1"),
    ("n_test = [3458]", None),  # one number in a list: accepted as that number
])
def test_08c_1_names_each_typical_slip(answer, words):
    status, message = feedback(nb08c.q1, f"# Exercise 08c.1: how big a test set\n{answer}")
    if words is None:
        assert status == "correct"
    else:
        assert status == "wrong" and words in message, message


SOLUTION = nb08c.q2.solution_code
DECIDE = 'better = "b" if interval[0] > 0 else "a" if interval[1] < 0 else "tie"'
INTERVAL = "interval = (mean_difference - t * standard_error, mean_difference + t * standard_error)"


@pytest.mark.parametrize("old, new, words", [
    ("standard_error = difference.std(ddof=1) / np.sqrt(len(difference))",
     "standard_error = np.sqrt(a.var(ddof=1) / 5 + b.var(ddof=1) / 5)", "separate spreads"),
    ("t = stats.t.ppf(0.975, len(difference) - 1)", "t = 1.96", "use t = 2.776"),
    ("difference.std(ddof=1)", "difference.std()", "divides by k - 1"),
    ("difference.std(ddof=1)", "np.std(difference)", "divides by k - 1"),
    ("/ np.sqrt(len(difference))", "/ len(difference)", "not by 5"),
    ("difference = b - a", "difference = a - b", "that is a - b"),
    (DECIDE, 'better = "tie"', "lies entirely above 0"),
    (DECIDE, 'better = "B"', "one of 'a', 'b', 'tie'"),
    (INTERVAL, "interval = (mean_difference + t * standard_error, mean_difference - t * standard_error)",
     "the smaller end first"),
    (INTERVAL, "interval = (mean_difference - 2 * standard_error, mean_difference + 2 * standard_error)", "t = 2.776"),
    ("mean_difference = difference.mean()", "mean_difference = difference.mean() / 100",
     "keep the accuracies in points"),
])
def test_08c_2_names_each_typical_slip(old, new, words):
    assert old in SOLUTION
    status, message = feedback(nb08c.q2, SOLUTION.replace(old, new))
    assert status == "wrong" and words in message, message


def test_08c_2_a_colleagues_folds_are_a_clear_lead_for_b_that_the_unpaired_comparison_would_miss():
    a, b = np.array(nb08c.FOLDS_A), np.array(nb08c.FOLDS_B)
    mean, (low, high) = nb08c._paired()
    assert np.isclose(mean, 0.86) and low > 0.3 and np.all(b > a)
    unpaired_low, _ = nb08c._unpaired_interval()
    assert unpaired_low < 0, "without pairing, the same lead looks like a tie"
    assert np.isclose(nb08c.T_95_4, stats.t.ppf(0.975, 4)) and np.isclose(nb08c.Z_95, stats.norm.ppf(0.975))


@pytest.mark.parametrize("name, wrong, words", [
    ("seed", "hyperparameter", "choosing it on the validation set fits noise"),
    ("n_trials", "hyperparameter", "a choice about the search"),
    ("k", "hyperparameter", "the design of the evaluation"),
    ("hidden_1.weights", "hyperparameter", "fit() learns these numbers"),
    ("learning_rate", "neither", "compared on the validation folds"),
])
def test_08c_3_names_each_name_sorted_wrong(name, wrong, words):
    answer = {key: kind for key, (kind, _) in nb08c.EVALUATION_NAMES.items()}
    answer[name] = wrong
    status, message = nb08c.q3.feedback(answer)
    assert status == "wrong" and words in message and repr(name) in message, message
