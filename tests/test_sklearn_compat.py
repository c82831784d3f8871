"""nnlib models work inside scikit-learn's tools (clone, cross-validation, searches, pipelines) by duck typing:
the numpy core never imports scikit-learn. scikit-learn's own estimator checks run on every model; the few that
fail do so by design, each for the reason listed below."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import nnlib
from nnlib import MLP, DivergenceWarning, LinearRegression, LogisticRegression
from nnlib.datasets import make_moons

sklearn = pytest.importorskip("sklearn", minversion="1.8")  # the checks' xfail_strict needs 1.8; the lock pins 1.9
from scipy.stats import loguniform  # noqa: E402  (scikit-learn depends on scipy)
from sklearn.base import clone, is_classifier, is_regressor  # noqa: E402
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, StratifiedKFold, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

X, y = make_moons(90, noise=0.2, seed=0)
MODELS = {  # each with the data its task needs, and few epochs: these tests check plumbing, not accuracy
    "LinearRegression": (LinearRegression(epochs=20), X[:, 0] + 2 * X[:, 1]),
    "LogisticRegression": (LogisticRegression(epochs=20), y),
    "MLP": (MLP(hidden_layers=(4,), epochs=10), y),
}


def test_importing_nnlib_does_not_import_scikit_learn():
    code = "import nnlib, sys; assert 'sklearn' not in sys.modules, 'nnlib imported sklearn'"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", MODELS)
def test_clone_copies_the_hyperparameters_and_nothing_learned(name):
    model, target = MODELS[name]
    fitted = clone(model).set_params(learning_rate=np.float64(0.05)).fit(X, target)
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params() and not hasattr(copy, "history_")
    assert is_classifier(model) == (name != "LinearRegression") and is_regressor(model) == (name == "LinearRegression")


@pytest.mark.parametrize("name", MODELS)
def test_cross_val_score_uses_stratified_folds_for_classifiers(name):
    model, target = MODELS[name]
    scores = cross_val_score(model, X, target, cv=3)
    assert scores.shape == (3,) and np.all(np.isfinite(scores))
    if name != "LinearRegression":
        assert np.array_equal(model.fit(X, y).classes_, [0, 1])
        log_loss = cross_val_score(model, X, y, cv=StratifiedKFold(3), scoring="neg_log_loss")
        assert np.all(log_loss < 0)


@pytest.mark.parametrize("name", MODELS)
def test_grid_and_randomized_search_in_a_pipeline_with_a_scaler(name):
    model, target = MODELS[name]
    step = type(model).__name__.lower()
    pipeline = make_pipeline(StandardScaler(), model)
    grid = GridSearchCV(pipeline, {f"{step}__learning_rate": [0.01, 0.1]}, cv=3).fit(X * 100, target)
    assert grid.best_params_[f"{step}__learning_rate"] in (0.01, 0.1)
    assert grid.best_estimator_.named_steps[step].n_features_in_ == 2
    search = RandomizedSearchCV(model, {"learning_rate": loguniform(1e-3, 0.3)}, n_iter=3, cv=3, random_state=0)
    search.fit(X, target)
    assert 1e-3 <= search.best_params_["learning_rate"] <= 0.3


def test_a_searched_model_with_numpy_hyperparameters_can_be_saved(tmp_path):
    search = RandomizedSearchCV(LogisticRegression(epochs=5), {"learning_rate": loguniform(1e-3, 1)}, n_iter=2,
                                cv=3, random_state=0).fit(X, y)
    nnlib.save(search.best_estimator_, tmp_path / "best")
    assert nnlib.load(tmp_path / "best").learning_rate == search.best_params_["learning_rate"]


def test_clone_get_params_and_a_grid_search_keep_a_custom_optimiser():
    """Your own step function as the optimiser is a hyperparameter like "sgd": cloned, compared, never saved."""
    from reference import momentum_step  # a learner's step function, as exercise 09.2 asks for

    from nnlib.optim import Custom

    mine = Custom(momentum_step, momentum=0.5)
    model = MLP(hidden_layers=(4,), epochs=10, optimizer=mine).fit(X, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and copy.get_params()["optimizer"] == mine
    assert copy.fit(X, y).history_.loss == model.history_.loss, "the clone starts from an empty state too"
    search = GridSearchCV(MLP(hidden_layers=(4,), epochs=10, momentum=0.5),
                          {"optimizer": ["sgd", mine]}, cv=3, scoring="neg_log_loss").fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] == pytest.approx(scores[1], rel=1e-12), "the same rule, the same scores"
    with pytest.raises(ValueError, match="your own Python function"):
        nnlib.save(model, "never_written")


# --- scikit-learn's own checks ------------------------------------------------------------------------------------
# Each check that fails does so by a choice of the course, never by accident. The messages are nnlib's own,
# learner-first wording (where scikit-learn's wording reads as well, nnlib uses it, and those checks pass).
EVERY_MODEL = {
    "check_estimators_unfitted": "raises nnlib.NotFittedError (an AttributeError saying 'call fit(X, y) first'), "
                                 "not scikit-learn's class: the numpy core does not import scikit-learn",
    "check_n_features_in_after_fitting": "a wrong number of features is refused in nnlib's words ('X has 1 "
                                         "feature(s) per sample, but the model was trained on 4')",
    "check_dtype_object": "an X holding a non-number is refused with nnlib's ValueError ('X must contain only "
                          "numbers'), not numpy's TypeError",
}
LABELS_0_TO_K = "labels outside 0..K-1 refused by design: the course teaches label encoding (np.unique)"
CLASSIFIERS = {
    **EVERY_MODEL,
    "check_estimators_dtypes": LABELS_0_TO_K,
    "check_classifier_data_not_an_array": LABELS_0_TO_K,
    "check_classifiers_classes": LABELS_0_TO_K + " (text labels too)",
    "check_fit2d_1feature": LABELS_0_TO_K,
    "check_estimators_partial_fit_n_features": "partial_fit(X, y, epochs) takes no classes=: with labels 0..K-1 "
                                               "the first call fixes K",
    "check_supervised_y_2d": "a column of labels (n, 1) is used as (n,) without scikit-learn's DataConversionWarning",
}
EXPECTED_FAILURES = {
    "LinearRegression": EVERY_MODEL,
    "LogisticRegression": {**CLASSIFIERS, "check_classifier_not_supporting_multiclass": "a third label is refused in "
                           "nnlib's words ('LogisticRegression separates two classes ... use MLP for more than two')"},
    "MLP": CLASSIFIERS,
    "MLP(task='regression')": EVERY_MODEL,
}


def _expected_failures(model):
    name = "MLP(task='regression')" if isinstance(model, MLP) and model.task == "regression" else type(model).__name__
    return EXPECTED_FAILURES[name]


with warnings.catch_warnings():  # nnlib duck-types scikit-learn's API rather than inherit from BaseEstimator
    warnings.filterwarnings("ignore", message="Estimator .* does not inherit from `sklearn.base.BaseEstimator`")
    SCIKIT_LEARN_CHECKS = parametrize_with_checks([LinearRegression(), LogisticRegression(), MLP(),
                                                   MLP(task="regression")],
                                                  expected_failed_checks=_expected_failures, xfail_strict=True)


@SCIKIT_LEARN_CHECKS
def test_scikit_learn_estimator_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)  # some checks train on unscaled data on purpose
        check(estimator)
