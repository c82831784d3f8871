"""Notebook 10b's exercises: the solutions pass, the starting cells are unanswered, and the wrong answers a learner
would write are named; the halving budget follows scikit-learn's own rule, and the colleague's curve is the notebook's
range test."""
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb10b

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "10b_how_the_best_tune_today.ipynb"


def run(code):
    namespace = {"np": np}
    exec(code, namespace)
    return namespace


@pytest.mark.parametrize("exercise", [nb10b.q1, nb10b.q2, nb10b.q3], ids=lambda exercise: exercise.id)
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    assert exercise.feedback(*[blank[name] for name in exercise.answers])[0] == "unanswered"


# --- 10b.1: scikit-learn's rule --------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [nb10b.CASE, {"n_candidates": 27, "factor": 3, "min_resources": 1, "max_resources": 9},
                                  {"n_candidates": 10, "factor": 2, "min_resources": 3, "max_resources": 100}])
def test_halving_schedule_is_scikit_learns(case):
    """HalvingRandomSearchCV itself, with nnlib.MLP and resource="epochs" on a few points, runs the same rungs."""
    from scipy.stats import loguniform
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingRandomSearchCV

    X, y = nnlib.datasets.make_moons(40, seed=0)
    split = [(np.arange(30), np.arange(30, 40))]
    search = HalvingRandomSearchCV(nnlib.MLP(hidden_layers=(2,), batch_size=None, seed=0),
                                   {"learning_rate": loguniform(0.01, 1)}, resource="epochs", cv=split,
                                   refit=False, random_state=0, **case).fit(X, y)
    assert nb10b.halving_schedule(**case) == list(zip(search.n_resources_, search.n_candidates_))
    assert nb10b.RUNGS == [(2, 50), (6, 17), (18, 6), (54, 2)]
    assert (nb10b.RETRAINED, nb10b.CONTINUED) == (418, 312)


@pytest.mark.parametrize("answers, expected", [
    (([2, 6, 18, 54], [50, 16, 5, 1], 418, 312), "rounding up"),
    (([2, 6, 18, 54], [50, 16, 5, 1], 340, 0), "rounding up"),
    (([2, 6, 18, 60], [50, 17, 6, 2], 430, 324), "54 epochs, not 60"),
    (([2, 6, 18, 54, 162], [50, 17, 6, 2, 1], 580, 438), "a fifth rung"),
    (([2, 4, 8, 16], [50, 17, 6, 2], 418, 312), "growing by the factor 3"),
    (([2, 6, 18, 54], [50, 17, 6, 2], 312, 418), "swapped"),
    (([2, 6, 18, 54], [50, 17, 6, 2], 50 * 54, 312), "a random search's cost"),
    (([2, 6, 18, 54], [50, 17, 6, 2], 418, 212), "the first rung costs its 50 * 2 epochs too"),
    (([2, 6, 18, 54], [50, 17, 6, 2], 418, 2 * 54), "epochs since the rung before"),
    (([2, 6, 18, 54], [50, 17, 6, 2], 418, [312, 0]), "epochs_continued holds 2 numbers"),
    (("2, 6, 18, 54", [50, 17, 6, 2], 418, 312), "a list of whole numbers"),
])
def test_10b_1_names_each_slip(answers, expected):
    status, message = nb10b.q1.feedback(*answers)
    assert status == "wrong" and expected in message, message


# --- 10b.2 ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, expected", [
    ({"factor": "hyperparameter"}, "'factor' is neither"),
    ({"min_resources": "hyperparameter", "factor": "hyperparameter"}, "2 of 5 wrong"),
    ({"output.weights": "hyperparameter"}, "partial_fit learns it"),
    ({"l2": "neither"}, "'l2' is a hyperparameter"),
])
def test_10b_2_explains_each_wrong_name(changes, expected):
    solved = run(nb10b.q2.solution_code)["kinds"]
    status, message = nb10b.q2.feedback({**solved, **changes})
    assert status == "wrong" and expected in message, message


# --- 10b.3: the colleague's curve is the notebook's range test -------------------------------------------------------
def notebook_range_test():
    """The notebook's lr_range_test, defined by running its cell."""
    cell = next(cell for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.get("id") == "nb10b-range-test")
    namespace = {"np": np, "nnlib": nnlib, "warnings": warnings}
    exec(cell.source, namespace)
    return namespace["lr_range_test"]


def test_the_colleagues_curve_is_the_notebooks_range_test_on_the_digits():
    X, y = nnlib.load_digits()
    X_train, _, _, y_train, _, _ = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    X_train = nnlib.Standardizer().fit(X_train).transform(X_train)
    rates, losses = notebook_range_test()(nnlib.MLP(hidden_layers=(32,), activation="relu", seed=0), X_train,
                                          y_train, batch_size=32, seed=0)
    theirs = nb10b.colleagues_range_test()
    assert np.array_equal(rates, theirs[0]) and np.array_equal(losses, theirs[1])
    assert nb10b.RANGE_TEST == {"start": 1e-4, "end": 100.0, "steps": 100, "batch_size": 32, "seed": 0}
    assert len(rates) < 100 and losses[-1] > 4 * losses.min(), "the test stopped by fast.ai's rule, before the end"


def test_the_rule_chooses_a_rate_that_trains_well():
    """A tenth of the lowest point trains the digits network to a lower validation loss than a tenth or ten times it
    (which blows up): the rule the exercise checks is a good one here."""
    X, y = nnlib.load_digits()
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    scaler = nnlib.Standardizer().fit(X_train)
    X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    rates, losses = nb10b.colleagues_range_test()
    chosen = rates[np.argmin(losses)] / 10

    def val_loss(rate):
        with warnings.catch_warnings(action="ignore", category=nnlib.DivergenceWarning):
            model = nnlib.MLP(hidden_layers=(32,), activation="relu", learning_rate=rate, epochs=20, seed=0)
            model.fit(X_train, y_train)
        return np.inf if model.history_.diverged else model.data_loss(X_val, y_val)

    assert val_loss(chosen) < min(val_loss(chosen / 10), val_loss(chosen * 10))


def colleague(position_of_lowest_times=1.0):
    rates, losses = nb10b.colleagues_range_test()
    return rates[np.argmin(losses)] * position_of_lowest_times


@pytest.mark.parametrize("answer, expected", [
    (lambda: colleague(), "about where the smoothed loss is lowest"),
    (lambda: colleague(0.5), "about where the smoothed loss is lowest"),
    (lambda: colleague(3), "past the lowest point"),
    (lambda: nb10b.colleagues_range_test()[0][-1], "past the lowest point"),
    (lambda: colleague(0.01), "a hundredth"),
    (lambda: 0.0003, "still flat"),
    (lambda: np.log10(colleague(0.1)), "exponent"),
    (lambda: -1, "exponent"),
    (lambda: "0.3", "should be a number"),
])
def test_10b_3_names_each_misreading(answer, expected):
    status, message = nb10b.q3.feedback(answer())
    assert status == "wrong" and expected in message, message


def test_10b_3_accepts_a_tenth_read_by_eye():
    for factor in (0.06, 0.1, 0.2):
        assert nb10b.q3.feedback(colleague(factor)) == ("correct", "Correct!")
