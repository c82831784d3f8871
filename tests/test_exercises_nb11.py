"""Notebook 11: its exercises, and that it runs with and without PyTorch."""
import copy
import importlib.util
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import run
from nbclient import NotebookClient
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import nnlib
from nnlib.exercises import nb11

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "11_beyond_nnlib.ipynb"



@pytest.fixture(scope="module")
def mlp_sklearn():
    X, y = nnlib.load_digits()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPClassifier(hidden_layer_sizes=(32,), max_iter=2, random_state=0).fit(nnlib.standardize(X), y)



@pytest.mark.parametrize("exercise", [nb11.q1, nb11.q2])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise, mlp_sklearn):
    solved = run(exercise.solution_code, mlp_sklearn=mlp_sklearn)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    assert exercise.feedback(*[blank[name] for name in exercise.answers])[0] == "unanswered"



@pytest.mark.parametrize("wrong, expected", [
    (64 * 32 + 32 * 10, "only coefs_"),
    (32 + 10, "only intercepts_"),
    (2, "how many arrays"),
    (64 * 32 + 32, "hidden layer only"),
    (1000, "expected 2,410"),
])
def test_11_1_recognises_counting_mistakes(wrong, expected):
    status, message = nb11.q1.feedback(wrong)
    assert status == "wrong" and expected in message



@pytest.mark.parametrize("answers, expected", [
    ((2, 0.35), "most negative score"),
    ((0, 0.21), "not the largest"),
    ((1, -0.12), "negated loss"),
    ((1, 0.2), "undo scikit-learn's sign"),
    ((1.0, 0.12), "position 0, 1 or 2"),
])
def test_11_2_recognises_sign_mistakes(answers, expected):
    status, message = nb11.q2.feedback(*answers)
    assert status == "wrong" and expected in message


def test_11_2_agrees_with_gridsearchcv():
    """scikit-learn really stores neg_log_loss negated and picks the largest: the exercise's premise."""
    from sklearn.linear_model import LogisticRegression as SkLogistic
    from sklearn.model_selection import GridSearchCV, PredefinedSplit
    X, y = nnlib.load_digits()
    X, y = nnlib.standardize(X[:400]), y[:400]
    search = GridSearchCV(SkLogistic(max_iter=200), {"C": [0.001, 0.1, 10.0]}, scoring="neg_log_loss",
                          cv=PredefinedSplit(np.r_[np.full(300, -1), np.zeros(100, dtype=int)])).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert (scores < 0).all() and search.best_index_ == int(np.argmax(scores))


HIDE_TORCH = """
import importlib.abc, importlib.util, sys

class _NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "torch":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

_find_spec = importlib.util.find_spec
importlib.util.find_spec = lambda name, *args, **kwargs: (None if name.split(".")[0] == "torch"
                                                          else _find_spec(name, *args, **kwargs))
sys.meta_path.insert(0, _NoTorch())  # import torch now fails, as without PyTorch
assert "torch" not in sys.modules
"""



def _run_notebook(notebook):
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return "".join(o.get("text", "") for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs)



@pytest.mark.slow
def test_notebook_runs_without_pytorch_and_says_so():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    hidden = copy.deepcopy(notebook)
    hidden.cells.insert(0, nbformat.v4.new_code_cell(HIDE_TORCH))
    printed = _run_notebook(hidden)  # raises CellExecutionError if any cell fails
    assert "PyTorch is not installed in this environment" in printed
    assert "PyTorch not installed: skipped the training loop." in printed
    assert "PyTorch validation accuracy" not in printed and "learned by PyTorch and by nnlib" not in printed
    assert "scikit-learn: 2,410 parameters" in printed  # the rest still runs



@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="PyTorch is not installed")
def test_notebook_runs_the_pytorch_cells_when_installed():
    printed = _run_notebook(nbformat.read(NOTEBOOK, as_version=4))
    assert "PyTorch: 2,410 parameters;  nnlib: 2,410" in printed
    assert "learned by PyTorch and by nnlib" in printed




@pytest.fixture(scope="module")
def sgd():
    from sklearn.linear_model import SGDClassifier
    X, y = nnlib.load_digits()
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
    scaler = nnlib.Standardizer().fit(X_train)
    return SGDClassifier(loss="log_loss", alpha=1e-3, random_state=0).fit(scaler.transform(X_train), y_train)


def test_11_3_solution_is_correct_and_placeholder_is_unanswered():
    solved, blank = run(nb11.q3.solution_code), run(nb11.q3.placeholder)
    assert nb11.q3.feedback(solved["kinds"], solved["n_learned"]) == ("correct", "Correct!")
    assert nb11.q3.feedback(blank["kinds"], blank["n_learned"])[0] == "unanswered"


def test_11_3_counts_what_sgdclassifier_really_learns(sgd):
    assert nb11.q3.feedback(run(nb11.q3.solution_code)["kinds"], sgd.coef_.size + sgd.intercept_.size)[0] == "correct"
    assert sgd.coef_.shape == (10, 64) and sgd.intercept_.shape == (10,)


def test_11_3_sorts_sgdclassifier_as_its_source_behaves(sgd):
    """Predictions use coef_ and intercept_ only (not n_iter_); alpha, max_iter, tol and random_state are constructor
    arguments; tol stops training early, so it changes what is learned; without it fit runs all max_iter epochs."""
    from sklearn.base import clone
    X, y = nnlib.load_digits()
    X, y = nnlib.standardize(X[:300]), y[:300]
    assert np.allclose(sgd.decision_function(X), X @ sgd.coef_.T + sgd.intercept_)
    assert {"alpha", "max_iter", "tol", "random_state"} <= set(sgd.get_params())
    assert not hasattr(clone(sgd), "n_iter_") and sgd.n_iter_ < sgd.max_iter
    stopped = clone(sgd).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        untolerant = clone(sgd).set_params(tol=None, max_iter=stopped.n_iter_ + 20).fit(X, y)
    assert untolerant.n_iter_ == untolerant.max_iter > stopped.n_iter_
    assert not np.allclose(untolerant.coef_, stopped.coef_)
    kinds = run(nb11.q3.solution_code)["kinds"]
    assert [name for name, kind in kinds.items() if kind == "parameter"] == ["coef_", "intercept_"]


@pytest.mark.parametrize("slips, expected", [
    ({"n_iter_": "parameter"}, "'n_iter_' is neither a parameter nor a hyperparameter: how many epochs fit ran"),
    ({"tol": "neither"}, "'tol' is a hyperparameter: a stopping rule"),
    ({"random_state": "hyperparameter"}, "would fit noise"),
    ({"alpha": "parameter", "max_iter": "neither"}, "2 of 7 wrong"),
    ({"n_iter_": "learned"}, "use one of 'parameter', 'hyperparameter', 'neither'"),
])
def test_11_3_explains_each_wrongly_sorted_name(slips, expected):
    kinds = run(nb11.q3.solution_code)["kinds"]
    status, message = nb11.q3.feedback(dict(kinds, **slips), 650)
    assert status == "wrong" and expected in message


@pytest.mark.parametrize("wrong, expected", [
    (640, "coef_ only"),
    (65, "one per digit (one-vs-rest)"),
    (45 * 65, "as SVC does"),
    (2410, "the MLP's count"),
    (700, "sgd.coef_.size + sgd.intercept_.size"),
])
def test_11_3_recognises_counting_mistakes(wrong, expected):
    status, message = nb11.q3.feedback(run(nb11.q3.solution_code)["kinds"], wrong)
    assert status == "wrong" and expected in message
