"""Notebook 13, the capstone: the data and its split, the budget and the submissions, the hidden labels, the reference.

Every test here keeps the capstone's state in a temporary file (NNLIB_CAPSTONE_STATE), so no test spends a learner's
budget; the top-level conftest.py does the same for the notebooks the test session runs.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import run

import nnlib
from nnlib.data import k_fold_split
from nnlib.exercises import capstone, nb13
from nnlib.exercises.capstone import Budget, BudgetSpent, check_submission, load_capstone

# The setting the reference search (13.2's solution, 8 random settings, seed 0) chooses; the solved notebook checks it.
REFERENCE_SETTING = {"hidden_layers": (64, 32), "activation": "tanh", "learning_rate": 0.15976406401691678,
                     "l2": 0.00042109846735288503}

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "13_capstone_letters.ipynb"


@pytest.fixture
def state(tmp_path, monkeypatch):
    """A fresh state file for one test."""
    path = tmp_path / "state.json"
    monkeypatch.setenv(capstone.STATE_ENV, str(path))
    return path


def table():
    return np.loadtxt(REPO / "data" / "letters.csv", delimiter=",", skiprows=1)


def test_the_data_file_holds_3600_letters_with_16_measurements_from_0_to_15():
    header = (REPO / "data" / "letters.csv").read_text().splitlines()[0].split(",")
    values = table()
    assert values.shape == (3600, 17) and header[-1] == "letter" and len(header) == 17
    assert values.min() == 0 and values[:, :-1].max() == 15 and np.array_equal(values, np.round(values))
    assert sorted(np.unique(values[:, -1]).astype(int).tolist()) == list(range(26))


def test_the_learner_gets_1600_labelled_cases_and_2000_test_cases_without_labels():
    data, values = load_capstone(), table()
    labelled, test = capstone.split_indices()
    assert sorted(np.concatenate([labelled, test]).tolist()) == list(range(3600))
    assert data.X.shape == (1600, 16) and data.y.shape == (1600,) and data.X_test.shape == (2000, 16)
    assert np.array_equal(data.X, values[labelled, :-1]) and np.array_equal(data.y, values[labelled, -1])
    assert np.array_equal(data.X_test, values[test, :-1])
    assert len(data.feature_names) == 16 and data.target_names[0] == "A" and data.target_names[25] == "Z"


def test_the_test_labels_are_the_test_cases_letters_and_the_baseline_is_the_most_common():
    data, (_, test) = load_capstone(), capstone.split_indices()
    expected = table()[test, -1].astype(int)
    assert np.array_equal(capstone._test_labels(), expected)
    assert capstone.autograder_labels() == expected.tolist()
    most_common = np.bincount(data.y).argmax()
    assert data.target_names[most_common] == "C" and np.bincount(data.y).max() == 77
    assert capstone.BASELINE_TEST_CORRECT == int(np.sum(expected == most_common)) == 86


def labels_with(n_wrong):
    """Predictions with exactly n_wrong of the 2,000 test cases wrong."""
    predictions = capstone._test_labels().copy()
    predictions[:n_wrong] = (predictions[:n_wrong] + 1) % 26
    return predictions


def final_test_correct(hyperparameters, seed):
    """The final model of a pipeline: standardise all 1,600 labelled cases, train MLP(seed); test cases right."""
    data = load_capstone()
    scaler = nnlib.Standardizer().fit(data.X)
    model = nnlib.MLP(**hyperparameters, seed=seed).fit(scaler.transform(data.X), data.y)
    return int(np.sum(model.predict(scaler.transform(data.X_test)) == capstone._test_labels()))


@pytest.mark.slow
def test_tuning_beats_the_defaults_beyond_the_test_sets_noise_over_seeds():
    """The capstone's numbers over network seeds 0-4: the untuned defaults never reach the first tier, the reference
    setting always reaches the second, and their gap is more than ten times the score's chance variation."""
    beaten, near_reference = (tier.minimum_correct for tier in nb13.q3.tiers)
    defaults = [final_test_correct({}, seed) for seed in range(5)]
    assert defaults[0] == capstone.DEFAULTS_TEST_CORRECT == 1475
    assert max(defaults) < beaten, f"the untuned defaults over seeds: {defaults}"
    reference = [final_test_correct(REFERENCE_SETTING, seed) for seed in range(5)]
    assert reference[0] == capstone.REFERENCE_TEST_CORRECT == 1695
    assert min(reference) >= near_reference, f"the reference setting over seeds: {reference}"
    chance = np.sqrt(0.85 * 0.15 / capstone.N_TEST) * capstone.N_TEST  # in cases
    assert min(reference) - max(defaults) > 10 * chance
    flipped = np.full(capstone.N_TEST, np.bincount(load_capstone().y).argmax())
    flipped[0] = (flipped[0] + 1) % 26  # all one class but one case: passes the format check, earns nothing
    assert nb13.q3.feedback(flipped)[0] == "correct"
    assert np.sum(flipped == capstone._test_labels()) < beaten


# --- the API never hands out the test labels, and scores only a few submissions ------------------------------------
def holds_the_labels(value, labels):
    try:
        array = np.asarray(value)
    except Exception:
        return False
    return array.shape == labels.shape and array.dtype.kind in "biuf" and np.array_equal(array, labels)


def test_nothing_the_notebook_uses_holds_the_test_labels(state, capsys):
    labels = capstone._test_labels()
    data, budget = load_capstone(), Budget()
    score = check_submission(labels_with(4))
    exposed = {**vars(data), **vars(budget), **vars(nb13.q1), **vars(nb13.q2), **vars(nb13.q3), "score": score}
    exposed |= {f"capstone.{name}": value for name, value in vars(capstone).items() if not name.startswith("_")}
    exposed |= {f"nb13.{name}": value for name, value in vars(nb13).items() if not name.startswith("_")}
    assert not [name for name, value in exposed.items() if holds_the_labels(value, labels)]
    assert isinstance(score, float) and str(labels.tolist()) not in capsys.readouterr().out
    # The notebook imports neither the grader's function nor the labels' reader, and never reads the data file itself.
    source = "\n".join(cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "code")
    for name in ("autograder_labels", "_test_labels", "_read_data", "letters.csv", "split_indices"):
        assert name not in source
    assert isinstance(nb13.q3.labels_from, str), "the exercise names where the grader finds the labels; it holds none"


def test_only_three_different_submissions_are_scored(state, capsys):
    first = check_submission(labels_with(300))
    assert first == 1700 / 2000 and "Submission 1 of 3: test accuracy 85.0% (1700 of 2000" in capsys.readouterr().out
    assert check_submission(labels_with(300)) == first, "identical predictions: the same score"
    assert "not counted again" in capsys.readouterr().out
    assert check_submission(labels_with(500)) == 1500 / 2000 and check_submission(labels_with(700)) == 1300 / 2000
    # A learner probing the test set one changed case at a time learns nothing more: nothing else is scored.
    probes = [check_submission(labels_with(n)) for n in (1, 2, 3, 5)]
    out = capsys.readouterr().out
    assert probes == [None] * 4 and out.count("Not scored: all 3 submissions are used") == 4
    assert "85.0%, 75.0%, 65.0%" in out
    assert len(capstone._read_state(state)["submissions"]) == 3


def test_a_submission_is_shown_beside_both_baselines_and_the_reference(state, capsys):
    check_submission(labels_with(300))
    out = capsys.readouterr().out
    assert "the baseline (always the most common letter) 4.3%" in out
    assert "the untuned defaults (standardise + nnlib.MLP()) 73.8%" in out and "reference pipeline" in out
    assert "84.8%" in out


@pytest.mark.parametrize("predictions, message", [
    (..., "Nothing submitted"),
    (np.zeros(1600), "That is the labelled set"),
    (np.zeros(320), "That is one validation fold"),
    (np.zeros(1280), "That is one fold's training part"),
    (np.full((2000, 26), 1 / 26), "model.predict(...), not model.predict_proba(...)"),
    (np.linspace(0, 1, 2000), "probabilities?"),
    (np.full(2000, 2), "every prediction is 2 (C): that is a baseline, not a model"),
    (np.arange(2000) % 27, "other values"),
    (np.arange(2000) % 26 + 0.5, "other values"),
    (["A"] * 2000, "must be numbers"),
])
def test_a_malformed_submission_is_explained_and_not_counted(state, capsys, predictions, message):
    assert check_submission(predictions) is None
    assert message in capsys.readouterr().out
    assert not state.exists() or not capstone._read_state(state)["submissions"]


# --- the budget ----------------------------------------------------------------------------------------------------
def tiny_fit(budget, epochs=1, n_samples=60):
    X, y = nnlib.datasets.make_moons(n_samples, seed=0)
    return budget.fit(nnlib.MLP(hidden_layers=(3,), epochs=epochs, seed=0), X, y)


def test_the_budget_counts_runs_survives_a_restart_and_repeats_are_free(state):
    budget = Budget()
    assert (budget.used, budget.left) == (0, capstone.RUN_BUDGET)
    model = tiny_fit(budget)
    assert model.history_.epochs == 1 and budget.used == 1
    restarted = Budget()  # a new kernel: the same file
    assert restarted.used == 1
    tiny_fit(restarted)
    assert restarted.used == 1, "the same run again is free"
    tiny_fit(restarted, epochs=2)
    tiny_fit(restarted, n_samples=80)
    assert restarted.used == 3 and "3 of 60 training runs used, 57 left" in repr(restarted)
    records = capstone.runs_paid()  # in the state file's order (by key), not the order they were paid
    assert sorted((r["n_samples"], r["hyperparameters"]["epochs"]) for r in records) == [(60, 1), (60, 2), (80, 1)]
    assert all(r["model"] == "MLP" and r["hyperparameters"]["hidden_layers"] == [3] for r in records)


def test_a_spent_budget_refuses_new_runs_and_repeats_stay_free(state, monkeypatch):
    monkeypatch.setattr(capstone, "RUN_BUDGET", 2)
    budget = Budget()
    tiny_fit(budget), tiny_fit(budget, epochs=2)
    with pytest.raises(BudgetSpent, match="all 2 training runs are used"):
        tiny_fit(budget, epochs=3)
    assert tiny_fit(budget).history_.epochs == 1 and budget.used == 2 and budget.left == 0


def test_a_failed_fit_costs_nothing(state):
    budget = Budget()
    with pytest.raises(ValueError):
        budget.fit(nnlib.MLP(activation="sigmoidal", seed=0), *nnlib.datasets.make_moons(20, seed=0))
    assert budget.used == 0
    with pytest.raises(TypeError, match="unfitted model"):
        budget.fit(np.zeros(3), np.zeros((3, 1)), np.zeros(3))


def test_the_state_file_sits_beside_the_notebook_and_is_git_ignored(tmp_path, monkeypatch):
    assert os.environ.get(capstone.STATE_ENV), "conftest.py gives every test session its own state file"
    assert Path(os.environ[capstone.STATE_ENV]).parent != REPO / "notebooks"
    monkeypatch.delenv(capstone.STATE_ENV)
    monkeypatch.chdir(tmp_path)  # Jupyter starts a notebook's kernel in the notebook's folder
    assert capstone.state_path() == tmp_path / ".capstone_state.json" == Budget().path
    assert {capstone.STATE_FILE, f"{capstone.STATE_FILE}.lock"} <= set((REPO / ".gitignore").read_text().splitlines())
    assert 'CAPSTONE_STATE_ENV = "NNLIB_CAPSTONE_STATE"' in (REPO / "conftest.py").read_text()


RECORD = {"model": "MLP", "hyperparameters": {"epochs": 1}, "n_samples": 60}


@pytest.mark.parametrize("content", [
    "{not json",
    json.dumps({"runs": {}, "submissions": {}}).encode("utf-16"),  # saved again by an editor, in another encoding
    json.dumps({"runs": {"a": "MLP"}, "submissions": {}}),
    json.dumps({"runs": {"a": {**RECORD, "n_samples": "60"}}, "submissions": {}}),
    json.dumps({"runs": {"a": {**RECORD, "training": "me"}}, "submissions": {}}),
    json.dumps({"runs": {}, "submissions": {"a": {"number": 1}}}),
], ids=["truncated", "UTF-16", "a run that is no record", "a count as text", "a reservation without process ids",
        "a submission without its score"])
def test_a_damaged_state_file_says_how_to_start_over(state, content):
    state.write_bytes(content if isinstance(content, bytes) else content.encode())
    for read in (lambda: Budget().used, capstone.runs_paid, lambda: check_submission(labels_with(4))):
        with pytest.raises(ValueError, match="cannot be read .* Delete it to start the capstone over"):
            read()


def sgd_step(params, grads, state, learning_rate):
    for param, grad in zip(params, grads):
        param -= learning_rate * grad


@pytest.mark.parametrize("model, fit_options", [
    (nnlib.MLP(hidden_layers=(3,), epochs=1, seed=None), {}),
    (nnlib.MLP(hidden_layers=(3,), epochs=1, optimizer=nnlib.optim.Custom(sgd_step), seed=0), {}),
    (nnlib.MLP(hidden_layers=(3,), epochs=1, seed=0), {"callback": lambda model: None}),
], ids=["no seed", "a Custom step rule", "a callback"])
def test_a_run_that_may_not_repeat_itself_is_charged_every_time(state, model, fit_options):
    budget, data = Budget(), nnlib.datasets.make_moons(60, seed=0)
    budget.fit(model, *data, **fit_options), budget.fit(model, *data, **fit_options)
    assert budget.used == 2 and [run["n_samples"] for run in capstone.runs_paid()] == [60, 60]


def test_a_free_run_trains_exactly_the_parameters_paid_for(state):
    paid, free = tiny_fit(Budget(), epochs=3), tiny_fit(Budget(), epochs=3)
    assert Budget().used == 1 and all(np.array_equal(a, b) for a, b in zip(paid.parameters(), free.parameters()))


def test_a_run_is_reserved_while_it_trains_without_the_lock_and_released_if_interrupted(state):
    fcntl = pytest.importorskip("fcntl")
    seen = []

    def interrupt(model):
        with open(f"{state}.lock", "a") as lock:  # free while training: other kernels go on meanwhile
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        seen.append((Budget().used, capstone.runs_paid()))
        raise KeyboardInterrupt  # the learner stops the kernel

    with pytest.raises(KeyboardInterrupt):
        Budget().fit(nnlib.MLP(hidden_layers=(3,), epochs=5, seed=0), *nnlib.datasets.make_moons(60, seed=0),
                     callback=interrupt)
    assert seen == [(1, [])], "reserved, so counted against the budget, but not yet paid for (exercise 13.2)"
    assert Budget().used == 0 and json.loads(state.read_text())["runs"] == {}


def test_a_run_reserved_by_a_kernel_that_has_ended_is_not_paid_for(state):
    ended = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                               text=True, check=True).stdout)  # a kernel restarted while it trained
    state.write_text(json.dumps({"runs": {"ended": {**RECORD, "training": [ended]}, "paid": RECORD,
                                          "running": {**RECORD, "training": [os.getppid()]}}, "submissions": {}}))
    assert Budget().used == 2 and capstone.runs_paid() == [RECORD]
    tiny_fit(Budget())  # the next change to the file drops the ended kernel's reservation
    runs = json.loads(state.read_text())["runs"]
    assert len(runs) == 3 and {"paid", "running"} <= set(runs) and "ended" not in runs


class Interrupted(nnlib.MLP):
    """An MLP whose training the learner interrupts, while ``interrupt`` is true."""
    interrupt = True

    def fit(self, X, y, **options):
        if Interrupted.interrupt:
            raise KeyboardInterrupt
        return super().fit(X, y, **options)


def test_a_run_another_kernel_is_training_is_free_here_and_paid_for_once(state, monkeypatch):
    monkeypatch.setattr(capstone, "RUN_BUDGET", 1)
    model, (X, y) = Interrupted(hidden_layers=(3,), epochs=1, seed=0), nnlib.datasets.make_moons(60, seed=0)
    key, record = capstone._run_record(model, X, y, {})
    other = {**record, "training": [os.getppid()]}  # a kernel still running reserved this very run
    state.write_text(json.dumps({"runs": {key: other}, "submissions": {}}))
    with pytest.raises(KeyboardInterrupt):
        Budget().fit(model, X, y)
    assert json.loads(state.read_text())["runs"] == {key: other}, "the other kernel's reservation stands"
    monkeypatch.setattr(Interrupted, "interrupt", False)
    Budget().fit(model, X, y)
    assert json.loads(state.read_text())["runs"] == {key: record} and capstone.runs_paid() == [record]


KERNEL = """
import json, sys, time
from pathlib import Path
import nnlib
from nnlib.exercises import capstone

number, folder = int(sys.argv[1]), Path(sys.argv[2])
capstone.RUN_BUDGET = 10  # each kernel keeps this test's rules itself
labels, score = capstone._test_labels(), capstone._test_labels
capstone._test_labels = lambda: time.sleep(0.05) or score()  # a busy machine: scoring takes a while


class SlowMLP(nnlib.MLP):
    def fit(self, X, y, **options):
        time.sleep(0.05)
        return super().fit(X, y, **options)


(folder / f"ready{number}").touch()
while not (folder / "start").exists():
    time.sleep(0.005)
predictions = [labels.copy() for _ in range(2)]
for flipped, prediction in enumerate(predictions):
    prediction[2 * number + flipped] ^= 1  # a submission no other kernel makes
scored = sum(capstone.check_submission(prediction) is not None for prediction in predictions)
trained = 0
for epochs in range(1, 5):
    try:
        capstone.Budget().fit(SlowMLP(hidden_layers=(2,), epochs=epochs, seed=number), *nnlib.datasets.make_moons(40))
        trained += 1
    except capstone.BudgetSpent:
        pass
(folder / f"result{number}").write_text(json.dumps([trained, scored]))
"""


def kernel_environment():
    """This process's environment (the state file included), importing the nnlib under test."""
    return {**os.environ, "PYTHONPATH": str(Path(nnlib.__file__).parent.parent)}


def test_kernels_sharing_the_state_file_lose_no_record_and_keep_the_budget_and_the_limit(state, tmp_path):
    kernels = [subprocess.Popen([sys.executable, "-c", KERNEL, str(number), str(tmp_path)], env=kernel_environment(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for number in range(4)]
    deadline = time.monotonic() + 60  # imports take a while on a busy machine; a kernel that failed is shown below
    while len(list(tmp_path.glob("ready*"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "start").touch()  # all at once: each kernel submits twice, then wants 4 runs; 10 runs, 3 submissions
    errors = [kernel.communicate(timeout=60)[1] for kernel in kernels]
    assert [kernel.returncode for kernel in kernels] == [0] * 4, errors
    trained, scored = np.sum([json.loads((tmp_path / f"result{n}").read_text()) for n in range(4)], axis=0)
    runs, submissions = (capstone._read_state(state)[part] for part in ("runs", "submissions"))
    assert trained == len(capstone.runs_paid()) == len(runs) == 10, "16 runs wanted, 10 in the budget"
    assert scored == len(submissions) == 3 and sorted(s["number"] for s in submissions.values()) == [1, 2, 3]


def test_without_fcntl_as_on_windows_the_capstone_still_counts_runs(state):
    kernel = ("import sys; sys.modules['fcntl'] = None  # as on Windows: import fcntl fails\n"
              "import nnlib\nfrom nnlib.exercises import capstone\n"
              "capstone.Budget().fit(nnlib.MLP(hidden_layers=(2,), epochs=1), *nnlib.datasets.make_moons(20))\n"
              "print(capstone.fcntl, capstone.Budget().used)")
    out = subprocess.run([sys.executable, "-c", kernel], env=kernel_environment(), capture_output=True, text=True)
    assert out.stdout.split() == ["None", "1"], out.stderr


# --- the reference pipeline ----------------------------------------------------------------------------------------
def solved_notebook_namespace():
    """Run the notebook's code cells with every exercise answered by its solution; returns the namespace."""
    solutions = {exercise.id: exercise.solution_code for exercise in (nb13.q1, nb13.q2, nb13.q3)}
    namespace = {}
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type != "code" or cell.get("id") == "install-nnlib":
            continue
        header = cell.source.split(":")[0]
        exec(solutions.get(header.removeprefix("# Exercise "), cell.source), namespace)
    return namespace


def test_the_reference_solution_reproduces_the_recorded_reference_and_earns_full_marks(state, capsys):
    namespace = solved_notebook_namespace()
    correct = int(np.sum(namespace["predictions"] == capstone._test_labels()))
    assert correct == capstone.REFERENCE_TEST_CORRECT == 1695
    assert namespace["test_accuracy"] == correct / 2000
    assert namespace["chosen"] == REFERENCE_SETTING
    assert all(correct >= tier.minimum_correct for tier in nb13.q3.tiers)
    assert namespace["budget"].used == 47 <= capstone.RUN_BUDGET, "the notebook's 6 runs, the search's 40, the final 1"
    assert set(namespace["chosen"]) == {"hidden_layers", "activation", "learning_rate", "l2"}
    out = capsys.readouterr().out
    for exercise in ("13.1", "13.2", "13.3"):
        assert f"Exercise {exercise}: Correct!" in out


def test_the_untouched_notebook_scores_nothing(state):
    blank = run(nb13.q3.placeholder)
    assert nb13.q3.feedback(blank["predictions"])[0] == "unanswered"
    assert check_submission(blank["predictions"]) is None and not state.exists()


def test_the_tiers_reward_beating_the_defaults_then_reaching_the_reference():
    defaults_beaten, reference = nb13.q3.tiers
    assert (defaults_beaten.share, reference.share) == (0.6, 0.4)
    assert defaults_beaten.minimum_correct == capstone.DEFAULTS_TEST_CORRECT + 80 == 1555, "4 points above 73.8 %"
    assert reference.minimum_correct == nb13.REFERENCE_MIN_CORRECT == 1655, "84.75 % minus 2 points: 1,655 cases"
    assert "73.8%" in defaults_beaten.reason and "84.8%" in reference.reason


# --- the exercises' feedback ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, expected", [
    (4.8125, "looks like a percentage"),
    (1 / 26, "right only if all letters were equally common"),
    (45 / 1600, "share of the least common letter"),
    (77, "a count of cases"),
    ("0.048", "answer with one number"),
    (0.05, "not quite"),
])
def test_13_1_feedback_is_specific(answer, expected):
    status, message = nb13.q1.feedback(answer)
    assert status == "wrong" and expected in message


def cross_validated(hyperparameters):
    """What the notebook's cross_validate pays for: one run per fold."""
    data, budget = load_capstone(), Budget()
    for X_fit, _, y_fit, _ in k_fold_split(data.X, data.y, k=5, seed=0):
        scaler = nnlib.Standardizer().fit(X_fit)
        budget.fit(nnlib.MLP(**hyperparameters, seed=0), scaler.transform(X_fit), y_fit)


def test_13_2_accepts_only_a_setting_that_went_through_the_protocol(state):
    assert "not been through the protocol: the budget has paid for 0 run(s)" in nb13.q2.feedback({"epochs": 2})[1]
    cross_validated({"epochs": 2})
    assert nb13.q2.feedback({"epochs": 2}) == ("correct", "Correct!")
    assert nb13.q2.feedback({"epochs": 3})[0] == "wrong"


@pytest.mark.parametrize("answer, expected", [
    ([("learning_rate", 0.1)], "answer with a dict"),
    ({"epochs": 2, "seed": 3}, "'seed' is not a hyperparameter but a setting of the experiment (neither)"),
    ({"task": "regression"}, "'task' is not a hyperparameter but fixed by the problem (neither)"),
    ({"dtype": "float32"}, "'dtype' is not a hyperparameter but a setting of the computation"),
    ({"lr": 0.1}, "'lr' is not a hyperparameter of nnlib.MLP; its hyperparameters are hidden_layers"),
])
def test_13_2_feedback_is_specific(state, answer, expected):
    status, message = nb13.q2.feedback(answer)
    assert status == "wrong" and expected in message


def test_13_3_checks_the_format_only():
    assert nb13.q3.feedback(labels_with(50)) == ("correct", "Correct!"), "a poor submission is still a submission"
    assert "not model.predict_proba" in nb13.q3.feedback(np.full((2000, 26), 1 / 26))[1]


def test_the_notebook_states_the_task_as_the_module_runs_it():
    text = "\n".join(cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells)
    assert f"| **budget** | {capstone.RUN_BUDGET} training runs" in text
    assert f"| **submissions** | {capstone.SUBMISSION_LIMIT} scored submissions" in text
    assert nb13.w4.prompt in text and "why peeking defeats the exercise" in text
