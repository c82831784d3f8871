"""The optional extras (requirements-extras.lock, `make extras`): a search beyond one machine, and Optuna.

nnlib's models follow scikit-learn's estimator interface, so GridSearchCV(n_jobs=-1) runs on a Dask cluster through
joblib's Dask backend; nnlib.tune's searches take Dask's executor (client.get_executor()) as they take a
ProcessPoolExecutor. A LocalCluster on loopback (127.0.0.1, two worker processes) stands in for a real cluster: the
work is pickled and sent to other processes as it would be to other machines. Either way the search must find what
the local run finds. Optuna drives a search of its own over nnlib models, reproducibly for a given seed.

`make test` on a fresh clone does not install the extras: the tests that need them skip with the reason, unless
NNLIB_REQUIRE_EXTRAS=1 (CI, after `make extras`), where they fail.
"""
import functools
import importlib
import os
import re
from pathlib import Path

import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

import nnlib
from nnlib.datasets import make_moons
from nnlib.tune import grid_search, run_trial

ROOT = Path(__file__).resolve().parent.parent
REQUIRE = os.environ.get("NNLIB_REQUIRE_EXTRAS") == "1"
SMALL_MLP = functools.partial(nnlib.MLP, hidden_layers=(4,), epochs=8, batch_size=32)  # plumbing, not accuracy
GRID = {"learning_rate": [0.01, 0.1, 1.0], "l2": [0.0, 1e-2]}


def extra(module):
    """Import one of the extras, or skip with the reason (fail with it when NNLIB_REQUIRE_EXTRAS=1)."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        reason = f"{module} is not installed ({error}); `make extras` installs the extras (requirements-extras.lock)"
        if REQUIRE:
            pytest.fail(f"{reason} (NNLIB_REQUIRE_EXTRAS=1)", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def moons():
    """X_train (112, 2), y_train (112,), X_val (48, 2), y_val (48,): two classes, seeded."""
    X, y = make_moons(n_samples=160, noise=0.2, seed=0)
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.3, test_size=0.0, seed=0)
    return X_train, y_train, X_val, y_val


@pytest.fixture(scope="module")
def client():
    """A Dask client on a LocalCluster of two single-threaded worker processes, on loopback only; closed after.
    dashboard_address=None would still serve the scheduler's HTTP routes, on port 8787; ":0" takes a free port, so two
    test runs at once do not compete for it (host="127.0.0.1" keeps it, and every other port, on loopback)."""
    extra("dask")
    distributed = extra("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        yield client


# --- the lock ------------------------------------------------------------------------------------------------------

def locked(path):
    """{normalised name: version} of a lock file's `name==version` lines."""
    pins = (line.split("==") for line in (ROOT / path).read_text().splitlines() if line and not line.startswith("#"))
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def test_the_extras_lock_only_adds_to_the_test_lock_and_pins_every_extra_inside_its_range():
    """`make extras` installs requirements-extras.lock constrained by requirements-test.lock: it may add packages,
    never change a pin the tests were run with."""
    import tomllib

    from packaging.requirements import Requirement

    text = (ROOT / "requirements-extras.lock").read_text()
    assert "file://" not in text and "nnlib" not in text, "the lock must pin only PyPI packages, not this project"
    extras, tested = locked("requirements-extras.lock"), locked("requirements-test.lock")
    assert not extras.keys() & tested.keys(), f"pinned in both locks: {sorted(extras.keys() & tested.keys())}"
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["extras"]
    for requirement in map(Requirement, wanted):
        assert ">=" in str(requirement.specifier) and "<" in str(requirement.specifier).replace("<=", ""), \
            f"{requirement.name} needs tested lower and upper bounds"
        version = extras[re.sub(r"[-_.]+", "-", requirement.name).lower()]
        assert version in requirement.specifier, f"{requirement.name}=={version} is outside {requirement.specifier}"


# --- scikit-learn's GridSearchCV on a Dask cluster -----------------------------------------------------------------

def calls_run(tasks, function):
    """How many calls of ``function`` the cluster ran, from its task stream. joblib 1.6 sends calls in batches, each a
    task named ``[mixed_]batch_of_<function>_<calls>_calls-<id>`` (joblib/_dask.py, Batch.__repr__); Dask's executor
    sends one task ``<function>-<id>`` per call."""
    name = rf"(?:(?:mixed_)?batch_of_{function}_(\d+)_calls|{function})-\w+"
    counts = [re.fullmatch(name, task["key"]) for task in tasks.data]
    return sum(int(match.group(1) or 1) for match in counts if match)


@pytest.mark.slow  # starts two worker processes
def test_grid_search_cv_on_a_dask_cluster_finds_what_the_local_run_finds(client, moons):
    joblib, distributed = extra("joblib"), extra("distributed")
    X, y = moons[0], moons[1]
    search = GridSearchCV(SMALL_MLP(), GRID, cv=3, n_jobs=-1, scoring="neg_log_loss")  # a continuous score: few ties
    local = clone(search).set_params(n_jobs=1).fit(X, y)  # the local run: one fit after another, in this process
    with distributed.get_task_stream(client) as tasks, joblib.parallel_config(backend="dask"):
        search.fit(X, y)
    assert calls_run(tasks, "_fit_and_score") == 6 * 3, "every fit (6 settings x 3 folds) ran on the cluster"
    assert search.best_params_ == local.best_params_
    local_scores = local.cv_results_["mean_test_score"]
    assert search.cv_results_["mean_test_score"] == pytest.approx(local_scores, abs=1e-12, rel=0)


# --- nnlib.tune with Dask's executor -------------------------------------------------------------------------------

def without_seconds(results):
    return [{name: value for name, value in row.items() if name != "seconds"} for row in results]


@pytest.mark.slow  # starts two worker processes
def test_nnlib_grid_search_with_the_dask_executor_gives_the_local_results(client, moons):
    local = grid_search(SMALL_MLP, GRID, *moons, progress=False)
    distributed = extra("distributed")
    with distributed.get_task_stream(client) as tasks, client.get_executor() as executor:
        on_cluster = grid_search(SMALL_MLP, GRID, *moons, executor=executor, progress=False)
    assert calls_run(tasks, "run_trial") == 6, "every trial ran on the cluster"
    assert without_seconds(on_cluster) == without_seconds(local)
    assert on_cluster.best_params == local.best_params
    assert on_cluster.history(4).val_loss == local.history(4).val_loss


# --- Optuna --------------------------------------------------------------------------------------------------------

def optuna_study(optuna, moons, seed, n_trials=8):
    """An Optuna study (TPE sampler, seeded) that minimises an nnlib MLP's validation loss; returns the study."""
    def objective(trial):
        hyperparameters = {"learning_rate": trial.suggest_float("learning_rate", 1e-3, 1.0, log=True),
                           "hidden_layers": (trial.suggest_int("units", 2, 6),)}
        row, _ = run_trial(SMALL_MLP, hyperparameters, *moons)
        return row["val_loss"]

    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=4)  # 4 random draws, then TPE's own
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(objective, n_trials=n_trials)
    return study


def test_an_optuna_study_on_an_nnlib_model_repeats_with_the_same_seed(moons):
    optuna = extra("optuna")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    first, again, other = (optuna_study(optuna, moons, seed) for seed in (0, 0, 1))
    trials = [[(trial.params, trial.value) for trial in study.trials] for study in (first, again, other)]
    assert len(trials[0]) == 8 and all(value > 0 for _, value in trials[0])
    assert trials[1] == trials[0], "the same seed, the same settings and the same validation losses"
    assert trials[2] != trials[0], "another seed draws other settings"
    assert first.best_params == again.best_params and 1e-3 <= first.best_params["learning_rate"] <= 1.0
