"""Notebook 10c's exercises: the solutions pass, the starting cells are unanswered, the wrong answers a learner would
write are named, and the checker's numbers are the notebook's layer_statistics."""
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb10c

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "10c_training_diagnostics.ipynb"


def run(code):
    namespace = {"np": np}
    exec(code, namespace)
    return namespace


@pytest.mark.parametrize("exercise", [nb10c.q1, nb10c.q2], ids=lambda exercise: exercise.id)
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    assert exercise.feedback(*[blank[name] for name in exercise.answers])[0] == "unanswered"


# --- 10c.1: dead units, as learners count them ------------------------------------------------------------------------
@pytest.mark.parametrize("body, expected", [
    ("return np.mean(activations == 0)", "fraction of zero *outputs*"),
    ("return np.mean(np.any(activations == 0, axis=0))", "0 for *some* sample"),
    ("return np.mean(np.all(activations == 0, axis=1))", "along the rows"),
    ("return np.sum(np.all(activations == 0, axis=0))", "how many units are dead"),
    ("return 100 * np.mean(np.all(activations == 0, axis=0))", "a percentage"),
    ("return np.mean(activations.mean(axis=0) < 0.1)", "the answer is 2 / 5 = 0.4"),
    ("return np.all(activations == 0, axis=0)", "holds 5 numbers"),
    ("return 2 / 5", "not on a layer of 256 samples"),
    ("return activations.shape[2]", "dead_fraction stopped with IndexError"),
])
def test_10c_1_names_each_slip(body, expected):
    status, message = nb10c.q1.feedback(run(f"def dead_fraction(activations):\n    {body}\n")["dead_fraction"])
    assert status == "wrong" and expected in message, message


@pytest.mark.parametrize("body", ["return float(np.mean(np.all(activations <= 0, axis=0)))",
                                  "return np.sum(activations.max(axis=0) == 0) / activations.shape[1]",
                                  "return np.mean(~activations.any(axis=0))"])
def test_10c_1_accepts_other_correct_counts(body):
    assert nb10c.q1.feedback(run(f"def dead_fraction(activations):\n    {body}\n")["dead_fraction"])[0] == "correct"


# --- 10c.2 ----------------------------------------------------------------------------------------------------------
def notebook_layer_statistics():
    cell = next(cell for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.get("id") == "nb10c-statistics")
    from nnlib.layers import ACTIVATIONS
    namespace = {"np": np, "nnlib": nnlib, "ACTIVATIONS": ACTIVATIONS, "probe_X": None, "probe_y": None}
    exec(cell.source, namespace)
    return namespace["layer_statistics"]


def test_the_checkers_numbers_are_the_notebooks_layer_statistics():
    runs, X, y = nb10c._runs()
    layer_statistics = notebook_layer_statistics()
    for name in nb10c.MYSTERY:
        rows = layer_statistics(nb10c.mystery_runs()[name], X, y)
        summary = nb10c.run_summary(nb10c.mystery_runs()[name], X, y)
        assert np.allclose([row["std"] for row in rows[:3]], summary["std"], rtol=1e-12)
        assert np.allclose([row["saturated"] for row in rows[:3]], summary["saturated"])
        assert np.allclose([row["ratio"] for row in rows], summary["ratio"], rtol=1e-12)
    X_train, *_ = nnlib.train_val_test_split(*nnlib.load_digits(), val_size=0.2, test_size=0.2, seed=0)
    assert np.allclose(X, nnlib.Standardizer().fit(X_train).transform(X_train)[:256]), "the notebook's probe"


def test_the_four_runs_show_what_their_diagnoses_say():
    """The statistics separate the four runs by wide margins: the exercise has one right answer on any machine."""
    runs, X, y = nb10c._runs()
    by_diagnosis = {nb10c.MYSTERY[name]: nb10c.run_summary(nb10c.mystery_runs()[name], X, y) for name in runs}
    healthy, high, low, small = (by_diagnosis[d] for d in ("healthy", "rate too high", "rate too low",
                                                            "weights start too small"))
    assert all(3e-4 < ratio < 3e-3 for ratio in healthy["ratio"]) and max(healthy["saturated"]) < 0.05
    assert min(high["saturated"]) > 0.5 and min(high["ratio"]) > 1e-2
    assert max(low["ratio"]) < 2e-4 and min(low["std"]) > 0.3, "tiny updates, healthy activations"
    assert max(small["ratio"]) < 2e-4 and small["std"][2] < small["std"][0] / 50, "tiny updates, vanishing activations"


@pytest.mark.parametrize("answer, expected", [
    ({"A": "rate too high", "B": "rate too low", "C": "healthy", "D": "weights start too small"},
     ["2 of 4 wrong", "shrink layer after layer", "keep their spread through the layers"]),
    ({"A": "healthy", "B": "weights start too small", "C": "rate too high", "D": "rate too low"},
     ["2 of 4 wrong", "are saturated", "is the healthy one"]),
    ({"A": "rate too high", "B": "weights start too small", "C": "healthy", "D": "healthy"}, ["each of the four once"]),
    ({"A": "too high", "B": "weights start too small", "C": "healthy", "D": "rate too low"}, ["not one of the four"]),
    (["rate too high", "weights start too small", "healthy", "rate too low"], ["answer with a dict"]),
])
def test_10c_2_explains_each_misdiagnosis_with_the_runs_numbers(answer, expected):
    status, message = nb10c.q2.feedback(answer)
    assert status == "wrong" and all(words in message for words in expected), message
