"""Notebook 13's capstone: a real task, a budget of training runs, and three scored test submissions.

The task is letter recognition (``data/letters.csv``; its source and license are in data/README.md): 3,600 images of
capital letters in 20 fonts, randomly distorted, each described by 16 measurements of its pixels (integers 0-15);
the label is the letter, 0 = A to 25 = Z. One seeded split, fixed here, keeps 2,000 cases as the test set: large
enough that the score's chance variation (about 0.9 points) is far smaller than what tuning changes. ``load_capstone()``
gives the learner the other 1,600 cases with their labels and the test cases' measurements only. ``check_submission``
reads the test labels from the data file to print one accuracy per submission, and the classroom's grader
(``autograder_labels``) to score 13.3 outside the student's kernel. The student edition of a graded course
(classroom/student_edition.py) ships this module without the section "the data file and its test labels": there
``_learners_share`` reads a file of the learner's share only, and ``_count_correct`` has no labels to count with, so a
submission is recorded and counted, and scored when the work is graded.

Two things persist in a small JSON file, so a kernel restart refills neither: the training runs that
``Budget.fit`` paid for, and the submissions that ``check_submission`` scored. The file is
``.capstone_state.json`` in the kernel's folder (Jupyter starts a kernel in its notebook's folder), or the file
named by the environment variable NNLIB_CAPSTONE_STATE (the tests point it at a temporary file). A run or a
submission identical to one already paid for is free: it can teach nothing new, so rerunning the notebook from
the top costs nothing. Only a reproducible run can be identical: an integer seed, hyperparameters that are plain
data (your own ``Custom`` step rule is code) and no callback; any other run is charged every time. Two kernels may
share the file: each change to it is made under a lock (``fcntl.flock`` on ``.capstone_state.json.lock`` beside
it), and a run is reserved before it trains, so neither kernel loses the other's records nor spends past the budget.

None of this is a safe. The labels are in this repository (all 3,600 in the data file), the state file can be
deleted, and nothing stops a direct ``model.fit``. The budget and the submission
limit are the rules of the exercise, as a competition's are: the notebook says why keeping them is the point.
"""
import hashlib
import json
import numbers
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..datasets import DATA_DIRS

try:
    import fcntl
except ImportError:  # Windows: no lock, so two kernels there at once can still lose each other's records
    fcntl = None

DATA_FILE = "letters.csv"
TARGET_NAMES = [chr(ord("A") + letter) for letter in range(26)]  # label 0 = "A", ..., 25 = "Z"
N_CASES, N_TEST = 3600, 2000
SPLIT_SEED = 0  # the one split into labelled and test cases: a setting of the experiment, never changed

RUN_BUDGET = 60  # training runs: twelve 5-fold cross-validations, or eleven and the final model
SUBMISSION_LIMIT = 3
STATE_ENV = "NNLIB_CAPSTONE_STATE"
STATE_FILE = ".capstone_state.json"

# Test cases right (of 2,000), each measured by tests/test_capstone.py. The baseline predicts the most common letter
# of the labelled cases for every test case; the defaults standardise, then train nnlib.MLP() untouched (seed 0).
BASELINE_TEST_CORRECT = 86  # the letter C, the most common (77 of the 1,600 labelled cases)
DEFAULTS_TEST_CORRECT = 1475
# The reference pipeline (notebook 13's solutions): standardise, then nnlib.MLP with the setting that a random search
# of 8 settings (nnlib.tune.sample_space, seed 0) found best by 5-fold cross-validated loss; 41 runs in all.
REFERENCE_TEST_CORRECT = 1695
REFERENCE_DESCRIPTION = "standardise + an MLP chosen by a random search of 8 settings, 41 runs"


@dataclass
class CapstoneData:
    """The learner's share of the task: X (1600, 16) and y (1600,) labelled; X_test (2000, 16), no labels."""
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    feature_names: list
    target_names: list
    description: str


def load_capstone():
    """The capstone's data: the 1,600 labelled cases (X, y) and the 2,000 test cases' measurements (X_test)."""
    feature_names, X, y, X_test = _learners_share()
    return CapstoneData(X, y, X_test, feature_names, list(TARGET_NAMES),
                        f"Letter recognition: {len(y)} labelled cases, {len(X_test)} test cases without labels; "
                        "16 measurements of each letter's image; label 0 = A, ..., 25 = Z.")


# --- the data file and its test labels (the student edition ships this section rewritten, without the labels) -----
def _learners_share():
    """What the learner may see: (feature names, X (1600, 16), y (1600,), X_test (2000, 16))."""
    header, X, y = _read_data()
    labelled, test = split_indices(len(y))
    return header[:-1], X[labelled], y[labelled], X[test]


def _count_correct(labels):
    """How many of the predicted ``labels`` (2000,) are the test cases' letters; None where no labels are at hand."""
    return int(np.sum(labels == _test_labels()))


def split_indices(n_cases=N_CASES):
    """Row numbers of the data file: (labelled (1600,), test (2000,)), from one seeded shuffle."""
    order = np.random.default_rng(SPLIT_SEED).permutation(n_cases)
    return order[N_TEST:], order[:N_TEST]


def _read_data():
    """The data file's header, measurements (3600, 16) and letters (3600,)."""
    for folder in DATA_DIRS:
        if (folder / DATA_FILE).exists():
            path = folder / DATA_FILE
            with open(path, encoding="utf-8") as handle:
                header = handle.readline().strip().split(",")
            table = np.loadtxt(path, delimiter=",", skiprows=1)
            return header, table[:, :-1], table[:, -1].astype(np.intp)
    raise FileNotFoundError(f"cannot find {DATA_FILE} in {' or '.join(str(f) for f in DATA_DIRS)}: run the notebook "
                            "from a clone of the course repository, or install nnlib with pip from it.")


def autograder_labels():
    """The 2,000 test labels as a list of ints, for the classroom's grader (classroom/nnlib_grading/judge.py).

    Not for the notebook: a model chosen or checked with these labels makes its test score meaningless."""
    return [int(label) for label in _test_labels()]


def _test_labels():
    _, _, y = _read_data()
    return y[split_indices(len(y))[1]]
# --- end of the section on the data file and its test labels ------------------------------------------------------


# --- the state file ------------------------------------------------------------------------------------------------
def state_path():
    """The capstone's state file: $NNLIB_CAPSTONE_STATE if set, else .capstone_state.json in the current folder."""
    return Path(os.environ.get(STATE_ENV) or STATE_FILE).resolve()


_RECORD_FIELDS = {"runs": {"model": str, "hyperparameters": dict, "n_samples": int},
                 "submissions": {"number": int, "correct": (int, type(None))}}  # None: recorded, not scored


def _read_state(path):
    """The state: {'runs': {key: record}, 'submissions': {key: record}}; a run being trained lists the process ids
    training it in 'training', and a process that has ended (a restarted kernel) no longer holds it."""
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))  # UnicodeDecodeError is a ValueError too
        for part, fields in _RECORD_FIELDS.items():
            if not isinstance(state.get(part), dict):
                raise ValueError(f"it lacks its {part!r}")
            if not all(name in record and isinstance(record[name], kind) for record in state[part].values()
                       for name, kind in fields.items()):
                raise ValueError(f"a record of its {part!r} is malformed")
        for key, run in list(state["runs"].items()):
            if "training" in run:
                run["training"] = [pid for pid in run["training"] if _running(pid)]
                if not run["training"]:  # reserved by kernels that were restarted before they finished: not paid
                    del state["runs"][key]
    except FileNotFoundError:
        return {"runs": {}, "submissions": {}}
    except (ValueError, AttributeError, TypeError) as error:
        raise ValueError(f"the capstone's state file {path} cannot be read ({error}). Delete it to start the "
                         "capstone over.") from None
    return state


def _running(pid):
    """Whether the process with this id still runs. Without POSIX signals, only this process is known to."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # there os.kill(pid, 0) would end the process
        return False
    try:
        os.kill(pid, 0)  # signal 0 is never delivered: it only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, and belongs to another user
        pass
    return True


@contextmanager
def _locked(path):
    """Hold the state file's lock: one process at a time reads, changes and writes the file. Never train inside."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f"{path.name}.lock"), "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, or when the process ends
        yield


def _write_state(path, state):
    """Write the whole file at once (a temporary file, then renamed): a reader never sees half of it."""
    path = Path(path)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)


# --- the budget ----------------------------------------------------------------------------------------------------
class BudgetSpent(RuntimeError):
    """Raised by Budget.fit instead of training once every run of the budget is used."""


class Budget:
    """The capstone's training runs: ``budget.fit(model, X, y)`` trains the model and counts one run.

    There are RUN_BUDGET runs in all, recorded in the state file (``state_path()``, or ``path``), so a kernel
    restart does not refill them. A run identical to one already paid for (the same model class, hyperparameters and
    integer seed, on the same data) is free: it trains exactly the same parameters again. A run with a callback, or
    with code among its hyperparameters (a ``Custom`` step rule), may not: it is charged every time. Once the budget
    is spent, ``fit`` raises BudgetSpent instead of training anything new. A run is reserved before it trains, so
    kernels sharing the file never train more than the budget between them; a run whose training fails (an error,
    an interrupted kernel, a restarted one) is not paid for.
    """

    def __init__(self, path=None):
        self.path = Path(path).resolve() if path is not None else state_path()

    @property
    def used(self):
        """How many different runs have been paid for (those being trained now included)."""
        return len(_read_state(self.path)["runs"])

    @property
    def left(self):
        return max(RUN_BUDGET - self.used, 0)

    def fit(self, model, X, y, **fit_options):
        """``model.fit(X, y, **fit_options)``, counted as one run; returns the fitted model. X (n, d), y (n,)."""
        if not hasattr(model, "get_params"):
            raise TypeError(f"budget.fit needs an unfitted model such as nnlib.MLP(...), not {type(model).__name__}.")
        key, record = _run_record(model, X, y, fit_options)
        with _locked(self.path):  # reserve the run before training it, so two kernels cannot both take the last one
            state = _read_state(self.path)
            run = state["runs"].get(key)
            if run is None and len(state["runs"]) >= RUN_BUDGET:
                raise BudgetSpent(f"The budget is spent: all {RUN_BUDGET} training runs are used (recorded in "
                                  f"{self.path}). Choose among the settings you have evaluated; repeating a run you "
                                  "have paid for stays free.")
            run = state["runs"].setdefault(key, {**record, "training": []})
            reserved = "training" in run  # not trained yet: this process trains it (perhaps beside another kernel)
            if reserved:
                run["training"].append(os.getpid())
                _write_state(self.path, state)
        trained = False
        try:
            model.fit(X, y, **fit_options)  # without the lock: other kernels go on meanwhile
            trained = True
        finally:
            if reserved:  # the run is now paid for; or, if training failed, this process's reservation is released
                with _locked(self.path):
                    state = _read_state(self.path)
                    run = state["runs"].get(key, {})
                    if trained:
                        state["runs"][key] = record
                    elif os.getpid() in run.get("training", ()):
                        run["training"].remove(os.getpid())
                        if not run["training"]:
                            del state["runs"][key]
                    _write_state(self.path, state)
        return model

    def __repr__(self):
        submissions = len(_read_state(self.path)["submissions"])
        return (f"Budget: {self.used} of {RUN_BUDGET} training runs used, {self.left} left; {submissions} of "
                f"{SUBMISSION_LIMIT} test submissions used. (Kept in {self.path}.)")


def runs_paid(path=None):
    """The runs paid for so far: a list of {'model', 'hyperparameters', 'n_samples'} (hyperparameters as JSON)."""
    return [run for run in _read_state(path or state_path())["runs"].values() if "training" not in run]


def plain_hyperparameters(model):
    """model.get_params() as JSON-ready values, exactly as the state file records them (tuples become lists)."""
    return {name: _plain(value) for name, value in sorted(model.get_params().items())}


def _run_record(model, X, y, fit_options):
    hyperparameters = plain_hyperparameters(model)
    record = {"model": type(model).__name__, "hyperparameters": hyperparameters, "n_samples": len(X)}
    # Free only if it trains exactly the same parameters again: an integer seed, hyperparameters that are data (a
    # Custom's repr names its function, not its code), no callback (it may change the model as it trains).
    if not (isinstance(model.get_params().get("seed"), numbers.Integral) and set(fit_options) <= {"validation_data"}
            and _is_data(list(model.get_params().values()))):
        return os.urandom(10).hex(), record  # a key no other run has: charged every time
    digest = hashlib.sha256(json.dumps([type(model).__name__, hyperparameters]).encode())
    for array in (X, y, *(fit_options.get("validation_data") or ())):
        digest.update(_fingerprint(array))
    return digest.hexdigest()[:20], record


def _is_data(value):
    if isinstance(value, (tuple, list)):
        return all(_is_data(item) for item in value)
    return value is None or isinstance(value, (bool, int, float, str, np.generic))


def _fingerprint(array):
    """The data, rounded to 6 decimals: the same standardised data on another machine (other last bits) matches."""
    values = np.round(np.asarray(array, dtype=float), 6) + 0.0  # + 0.0 turns -0.0 into 0.0
    return repr(values.shape).encode() + np.ascontiguousarray(values).tobytes()


def _plain(value):
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return float(f"{value:.12g}")  # 12 digits: a learning rate drawn on another machine still matches
    return value if value is None or isinstance(value, (bool, int, str)) else repr(value)


# --- submissions ---------------------------------------------------------------------------------------------------
def submission_problem(predictions):
    """What is wrong with predictions as a submission (their format only; no label is looked at), or None."""
    values = np.asarray(predictions)
    if values.dtype == object or values.dtype.kind not in "biuf":
        return "predictions must be numbers: one label per test case, 0 (A) to 25 (Z)."
    if values.ndim == 2 and values.shape[1] == len(TARGET_NAMES):
        return (f"predictions has shape {values.shape}: one row of class probabilities per case. Submit one label "
                "per case: model.predict(...), not model.predict_proba(...).")
    if values.shape != (N_TEST,):
        hint = {N_CASES - N_TEST: " That is the labelled set: predict X_test.",
                (N_CASES - N_TEST) // 5: " That is one validation fold: predict X_test.",
                (N_CASES - N_TEST) * 4 // 5: " That is one fold's training part: predict X_test."}.get(values.size, "")
        return (f"predictions needs one label for each of the {N_TEST} rows of X_test; "
                f"it has shape {values.shape}.{hint}")
    if not np.all(np.isfinite(values)) or not np.all(np.isin(values, np.arange(len(TARGET_NAMES)))):
        if np.all((values >= 0) & (values <= 1)):
            return ("predictions holds values between 0 and 1 that are not whole numbers: probabilities? Submit labels "
                    "with model.predict(...).")
        return "the labels are the whole numbers 0 (A) to 25 (Z); predictions holds other values."
    if len(np.unique(values)) == 1:
        return (f"every prediction is {int(values[0])} ({TARGET_NAMES[int(values[0])]}): that is a baseline, not a "
                "model. Did you standardise X_test with the statistics of the data your final model was trained on?")
    return None


def check_submission(predictions):
    """Score predictions for the 2,000 test cases, at most SUBMISSION_LIMIT times.

    predictions (2000,): a label, 0 (A) to 25 (Z), per row of X_test. Prints the test accuracy, once per
    submission, beside the baseline's, the untuned defaults' and the reference pipeline's, and records the
    submission in the state file.
    Identical predictions submitted again cost nothing and show the same score. Returns the accuracy (a float),
    or None when nothing was scored: not answered yet, not a valid submission, or no submissions left. In the student
    edition, which has no test labels, a valid submission is recorded and counted, unscored (None), as in
    "scored when your work is graded".
    """
    if predictions is Ellipsis:
        print("\u270f\ufe0f Nothing submitted: predictions is still ... (exercise 13.3).")
        return None
    problem = submission_problem(predictions)
    if problem:
        print(f"\u274c Not submitted, and not counted: {problem}")
        return None
    labels = np.asarray(predictions).astype(np.intp)
    key = hashlib.sha256(labels.astype(np.int8).tobytes()).hexdigest()[:20]
    path = state_path()
    with _locked(path):  # two kernels submitting at once: both see each other's submission, and the limit holds
        state = _read_state(path)
        submission = state["submissions"].get(key)
        if submission is None:
            if len(state["submissions"]) >= SUBMISSION_LIMIT:
                scores = ", ".join("not scored here" if s["correct"] is None else f"{s['correct'] / N_TEST:.1%}"
                                   for s in sorted(state["submissions"].values(), key=lambda s: s["number"]))
                print(f"\U0001f512 Not scored: all {SUBMISSION_LIMIT} submissions are used (their test accuracies: "
                      f"{scores}). The test set has answered its question; report your last score.")
                return None
            submission = {"number": len(state["submissions"]) + 1, "correct": _count_correct(labels)}
            state["submissions"][key] = submission
            _write_state(path, state)
            heading = f"Submission {submission['number']} of {SUBMISSION_LIMIT}"
        else:
            heading = f"The same predictions as submission {submission['number']} (not counted again)"
    comparison = (f"the baseline (always the most common letter) {BASELINE_TEST_CORRECT / N_TEST:.1%}; "
                  f"the untuned defaults (standardise + nnlib.MLP()) {DEFAULTS_TEST_CORRECT / N_TEST:.1%}; "
                  f"the reference pipeline ({REFERENCE_DESCRIPTION}) {REFERENCE_TEST_CORRECT / N_TEST:.1%}.")
    if submission["correct"] is None:
        print(f"\U0001f4ec {heading}: recorded, in the right format. This graded edition has no test labels: your "
              f"predictions are scored when your work is graded.\n   Their test accuracies, for comparison: "
              f"{comparison}")
        return None
    print(f"\U0001f4ec {heading}: test accuracy {submission['correct'] / N_TEST:.1%} "
          f"({submission['correct']} of {N_TEST} cases right).\n   For comparison: {comparison}")
    return submission["correct"] / N_TEST
