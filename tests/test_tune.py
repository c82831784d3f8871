"""nnlib/tune.py: grid and random search -- the right runs, inside the space, reproducible, and they find a
known best."""
import functools
import math
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

import nnlib
from nnlib.datasets import make_line, make_moons
from nnlib.tune import (
    Choice,
    IntUniform,
    LogUniform,
    SearchResults,
    Uniform,
    grid_search,
    grid_settings,
    random_search,
    sample_space,
)


def standardised_line(seed=0):
    """y = 3 x + 1 + a little noise, x standardised on the training set: a problem with a known best learning rate."""
    X, y = make_line(n_samples=400, slope=3.0, intercept=1.0, noise=0.1, seed=seed)
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.5, test_size=0.0, seed=seed)
    X_train, X_val = nnlib.standardize(X_train, X_val)
    return X_train, y_train, X_val, y_val


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(n_samples=160, noise=0.2, seed=0)
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, val_size=0.3, test_size=0.0, seed=0)
    return X_train, y_train, X_val, y_val


SMALL_MLP = functools.partial(nnlib.MLP, hidden_layers=(4,), epochs=8, batch_size=32)
SPACE = {"learning_rate": LogUniform(1e-3, 1.0), "momentum": Uniform(0.0, 0.9), "units": IntUniform(2, 6),
         "activation": ["relu", "tanh"], "hidden_layers": Choice([(4,), (4, 4)])}


def make_mlp(units, hidden_layers, **hyperparameters):
    """Units is searched on its own; it sets the width of every hidden layer."""
    return nnlib.MLP(hidden_layers=(units,) * len(hidden_layers), epochs=5, **hyperparameters)


# --- the search space -------------------------------------------------------------------------

def test_samples_stay_inside_the_space_and_have_plain_types():
    settings = sample_space(SPACE, 200, seed=3)
    assert len(settings) == 200
    for s in settings:
        assert 1e-3 <= s["learning_rate"] <= 1 and isinstance(s["learning_rate"], float)
        assert 0 <= s["momentum"] <= 0.9
        assert s["units"] in range(2, 7) and type(s["units"]) is int
        assert s["activation"] in ("relu", "tanh") and s["hidden_layers"] in ((4,), (4, 4))
    assert {s["units"] for s in settings} == {2, 3, 4, 5, 6}, "both ends of an IntUniform are included"


def test_log_uniform_is_uniform_in_the_exponent():
    rates = np.array([s["lr"] for s in sample_space({"lr": LogUniform(1e-4, 1.0)}, 4000, seed=0)])
    per_decade = np.histogram(np.log10(rates), bins=[-4, -3, -2, -1, 0])[0] / len(rates)
    np.testing.assert_allclose(per_decade, 0.25, atol=0.03)
    assert np.mean(rates < 1e-2) > 0.45  # a Uniform(1e-4, 1) would put only 1% there


def test_grids_of_distributions():
    assert LogUniform(1e-3, 1).grid(4) == pytest.approx([1e-3, 1e-2, 1e-1, 1.0])
    assert Uniform(0, 1).grid(3) == [0.0, 0.5, 1.0]
    assert IntUniform(1, 3).grid(10) == [1, 2, 3]
    assert Choice(["a", "b"]).grid() == ["a", "b"]


def test_int_uniform_grids_round_half_to_even_and_drop_repeats():
    assert IntUniform(1, 4).grid(3) == [1, 2, 4]  # 2.5 rounds to 2, as np.round does
    assert IntUniform(-3, 8).grid(6) == [-3, -1, 1, 4, 6, 8]
    assert IntUniform(0, 2).grid(5) == [0, 1, 2]


def test_a_choice_needs_a_list_not_a_single_value():
    for options in ("relu", 5):
        with pytest.raises(ValueError, match=r"Choice needs a list .*e\.g\. Choice\(\['relu', 'tanh'\]\); got"):
            Choice(options)


def test_grid_settings_are_every_combination_last_name_fastest():
    settings = grid_settings({"a": [1, 2], "b": ("x", "y", "z")})
    assert settings == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 1, "b": "z"},
                        {"a": 2, "b": "x"}, {"a": 2, "b": "y"}, {"a": 2, "b": "z"}]


@pytest.mark.parametrize("bad, message", [
    ({"learning_rate": 0.1}, "single value 0.1"),
    ({}, "non-empty dict"),
    ({"lr": []}, "at least one value"),
])
def test_bad_spaces_get_clear_messages(bad, message):
    with pytest.raises(ValueError, match=message):
        sample_space(bad, 3)


def test_a_set_of_values_is_refused_because_it_has_no_order():
    message = (r"the values to try must be a list, not the set .*\{.*\}\)?: a set's order is arbitrary.*"
               r"e.g. \[0.01, 0.1, 1\]")
    with pytest.raises(ValueError, match=message):
        grid_settings({"learning_rate": {1, 0.1, 0.01}})
    with pytest.raises(ValueError, match=message):
        sample_space({"learning_rate": frozenset({0.1, 1, 0.01})}, 3)
    with pytest.raises(ValueError, match=r"e.g. \['relu', 'tanh'\]"):
        Choice({"tanh", "relu"})


def test_bad_distributions_and_grids_get_clear_messages():
    with pytest.raises(ValueError, match="low > 0"):
        LogUniform(0, 1)
    with pytest.raises(ValueError, match="low < high"):
        Uniform(1, 0)
    with pytest.raises(ValueError, match="whole numbers"):
        IntUniform(1.5, 4)
    with pytest.raises(ValueError, match=r"grid\(n\)"):
        grid_settings({"learning_rate": LogUniform(1e-3, 1)})
    with pytest.raises(ValueError, match="single value"):
        grid_settings({"epochs": 50})


# --- searching ----------------------------------------------------------------------------------

def test_grid_search_runs_every_combination_in_order(moons):
    grid = {"learning_rate": [0.01, 0.3], "activation": ["relu", "tanh", "sigmoid"]}
    results = grid_search(SMALL_MLP, grid, *moons, progress=False)
    assert len(results) == 6 and results.kind == "grid search"
    assert [(r["learning_rate"], r["activation"]) for r in results] == [
        (lr, a) for lr in (0.01, 0.3) for a in ("relu", "tanh", "sigmoid")]
    assert list(results.column("trial")) == list(range(6))
    assert results.columns[:3] == ["trial", "learning_rate", "activation"]
    assert all(r["epochs_run"] == 8 and not r["diverged"] and r["seconds"] > 0 for r in results)


def test_each_row_is_scored_on_the_validation_set(moons):
    X_train, y_train, X_val, y_val = moons
    results = grid_search(SMALL_MLP, {"learning_rate": [0.1]}, *moons, progress=False)
    row = results[0]
    model = SMALL_MLP(learning_rate=0.1).fit(X_train, y_train)  # the same seed: the same parameters
    proba = model.predict_proba(X_val)
    assert row["val_loss"] == pytest.approx(-np.mean(np.log(proba[np.arange(len(y_val)), y_val])), rel=1e-12)
    assert row["val_score"] == pytest.approx(np.mean(model.predict(X_val) == y_val))
    train_proba = model.predict_proba(X_train)
    assert row["train_loss"] == pytest.approx(-np.mean(np.log(train_proba[np.arange(len(y_train)), y_train])),
                                              rel=1e-12)
    assert results.history(0).val_loss[-1] == pytest.approx(row["val_loss"], rel=1e-9)


def test_random_search_respects_the_space_and_is_reproducible(moons):
    first = random_search(make_mlp, SPACE, *moons, n_trials=7, seed=11, progress=False)
    again = random_search(make_mlp, SPACE, *moons, n_trials=7, seed=11, progress=False)
    other = random_search(make_mlp, SPACE, *moons, n_trials=7, seed=12, progress=False)
    assert len(first) == 7 and first.hyperparameter_names == list(SPACE)
    assert first.rows == [dict(r, seconds=f["seconds"]) for r, f in zip(again.rows, first.rows)]
    assert first.column("learning_rate").tolist() != other.column("learning_rate").tolist()
    for row in first:
        assert 1e-3 <= row["learning_rate"] <= 1.0 and 0.0 <= row["momentum"] <= 0.9 and row["units"] in (2, 3, 4, 5, 6)
        assert row["activation"] in ("relu", "tanh") and row["hidden_layers"] in ((4,), (4, 4))
    assert [r["learning_rate"] for r in first] == [s["learning_rate"] for s in sample_space(SPACE, 7, seed=11)]


def test_grid_search_finds_the_known_best_learning_rate():
    # For MSE on one standardised feature the Hessian is 2 I, so one full-batch step of
    # learning rate 0.5 lands exactly on the least-squares line; others stop short or overshoot.
    data = standardised_line()
    make = functools.partial(nnlib.LinearRegression, epochs=1)
    results = grid_search(make, {"learning_rate": [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]}, *data, progress=False)
    assert results.best_params == {"learning_rate": 0.5}
    X_train, y_train, X_val, y_val = data
    least_squares = np.polyfit(X_train[:, 0], y_train, 1)
    best = make(learning_rate=0.5).fit(X_train, y_train)
    assert best.coef_[0] == pytest.approx(least_squares[0], rel=1e-9)
    sorted_rates = results.sorted("val_loss").column("learning_rate")
    # 0.35 and 0.65 leave the same residual factor |1 - 2 x rate| = 0.3 after the step, so they come next;
    # their order (validation losses 1 % apart) is a tie-break of the noise, not part of the lesson.
    assert sorted_rates[0] == 0.5 and set(sorted_rates[1:3]) == {0.35, 0.65}


def test_random_search_gets_close_to_the_known_best_learning_rate():
    data = standardised_line()
    make = functools.partial(nnlib.LinearRegression, epochs=1)
    results = random_search(make, {"learning_rate": LogUniform(0.01, 1.0)}, *data, n_trials=40, seed=0,
                            progress=False)
    assert abs(results.best_params["learning_rate"] - 0.5) < 0.05


def test_divergent_trials_count_as_infinitely_bad():
    data = standardised_line()
    make = functools.partial(nnlib.LinearRegression, epochs=30)
    results = grid_search(make, {"learning_rate": [0.1, 5.0]}, *data, progress=False)
    diverged = results[1]
    assert diverged["diverged"] and diverged["val_loss"] == math.inf and math.isnan(diverged["val_score"])
    assert results.best["learning_rate"] == 0.1
    assert results.sorted("val_loss")[-1]["learning_rate"] == 5.0
    assert "diverged" in str(results)


def test_best_is_refused_when_every_trial_diverged():
    data = standardised_line()
    results = grid_search(functools.partial(nnlib.LinearRegression, epochs=30), {"learning_rate": [5.0, 10.0]}, *data,
                          progress=False)
    assert all(row["diverged"] and row["val_loss"] == math.inf for row in results)
    for attribute in ("best", "best_params"):
        with pytest.raises(ValueError, match=r"every one of the 2 trials diverged \(val_loss = inf\), so none is "
                                             r"best. Try learning rates 10 to 100 times smaller, and standardise"):
            getattr(results, attribute)
    text, html = str(results), results._repr_html_()  # the table still shows, with no row marked best
    assert "*" not in text and "diverged" in text.splitlines()[2] and "font-weight" not in html


def test_a_failing_trial_names_its_hyperparameters(moons):
    with pytest.raises(TypeError) as error:
        random_search(SMALL_MLP, {"layers": [1, 2]}, *moons, n_trials=1, progress=False)
    assert "in the search trial with hyperparameters {'layers'" in "".join(getattr(error.value, "__notes__", []))
    with pytest.raises(ValueError, match="make_model must be"):
        grid_search("MLP", {"learning_rate": [0.1]}, *moons)


# --- executors ------------------------------------------------------------------------------------

def without_seconds(results):
    return [{k: v for k, v in row.items() if k != "seconds"} for row in results]


@pytest.mark.parametrize("context", [None, "spawn"])
def test_a_process_pool_gives_the_same_results_as_a_serial_search(moons, context):
    space = {name: values for name, values in SPACE.items() if name != "units"}
    serial = random_search(SMALL_MLP, space, *moons, n_trials=6, seed=5, progress=False)
    mp_context = multiprocessing.get_context(context) if context else None
    with ProcessPoolExecutor(max_workers=2, mp_context=mp_context) as executor:
        parallel = random_search(SMALL_MLP, space, *moons, n_trials=6, seed=5, executor=executor, progress=False)
    assert without_seconds(parallel) == without_seconds(serial)
    assert parallel.history(3).val_loss == serial.history(3).val_loss


def test_any_executor_works_for_grid_search(moons):
    grid = {"learning_rate": [0.01, 0.1, 1.0]}
    serial = grid_search(SMALL_MLP, grid, *moons, progress=False)
    with ThreadPoolExecutor(max_workers=3) as executor:
        threaded = grid_search(SMALL_MLP, grid, *moons, executor=executor, progress=False)
    assert without_seconds(threaded) == without_seconds(serial)


def test_an_executor_class_instead_of_a_running_executor_is_refused(moons):
    for executor in (ThreadPoolExecutor, "threads"):
        with pytest.raises(ValueError, match=r"executor must be None or a running executor, e.g. "
                                             r"executor=ProcessPoolExecutor\(\) \(with the brackets"):
            grid_search(SMALL_MLP, {"learning_rate": [0.1]}, *moons, executor=executor, progress=False)


class FailingExecutor(ThreadPoolExecutor):
    """Accepts two trials without starting them, then fails to submit the third (as a full queue or a lost
    cluster would)."""

    def __init__(self):
        super().__init__(max_workers=1)
        self.futures = []

    def submit(self, fn, *args, **kwargs):
        if len(self.futures) == 2:
            raise RuntimeError("cannot schedule new futures")
        self.futures.append(Future())
        return self.futures[-1]


def test_a_failed_submit_cancels_the_trials_submitted_before_it(moons):
    executor = FailingExecutor()
    with pytest.raises(RuntimeError, match="cannot schedule"):
        grid_search(SMALL_MLP, {"learning_rate": [0.01, 0.1, 1.0]}, *moons, executor=executor, progress=False)
    assert len(executor.futures) == 2 and all(future.cancelled() for future in executor.futures)
    executor.shutdown()


# --- progress --------------------------------------------------------------------------------------

def test_progress_is_printed_on_one_line_or_reported_to_a_function(moons, capsys):
    grid_search(SMALL_MLP, {"learning_rate": [0.01, 0.1]}, *moons)
    out = capsys.readouterr().out
    assert out.count("\r") == 2 and "2/2 trials" in out and out.endswith("\n")
    calls = []
    grid_search(SMALL_MLP, {"learning_rate": [0.01, 0.1, 1.0]}, *moons,
                progress=lambda done, total, row: calls.append((done, total, row["learning_rate"])))
    assert [(d, t) for d, t, _ in calls] == [(1, 3), (2, 3), (3, 3)] and capsys.readouterr().out == ""


# --- the results table -------------------------------------------------------------------------------

def make_results():
    results = SearchResults([], ["learning_rate", "hidden_layers"], kind="test")
    for lr, layers, loss in [(0.1, (8,), 0.4), (1.0, (8, 8), math.inf), (0.01, (4,), 0.2), (0.3, (4,), math.nan)]:
        results.append({"learning_rate": lr, "hidden_layers": layers, "val_loss": loss, "val_score": 1 - loss,
                        "train_loss": loss, "epochs_run": 10, "diverged": loss == math.inf, "seconds": 0.5})
    return results


def test_results_sort_and_pick_the_best():
    results = make_results()
    assert results.best["trial"] == 2 and results.best_params == {"learning_rate": 0.01, "hidden_layers": (4,)}
    assert list(results.sorted("val_loss").column("trial")) == [2, 0, 1, 3]  # inf, then NaN, last
    assert list(results.sorted("learning_rate", descending=True).column("learning_rate")) == [1.0, 0.3, 0.1, 0.01]
    assert results[1:3].column("trial").tolist() == [1, 2]
    with pytest.raises(ValueError, match="no column 'lr'"):
        results.sorted("lr")
    with pytest.raises(ValueError, match="no trials yet"):
        _ = SearchResults([], ["lr"]).best


def test_columns_come_back_as_numpy_arrays():
    results = make_results()
    assert results.column("learning_rate").dtype == float
    diverged = results.column("diverged")
    assert diverged.dtype == bool and diverged.tolist() == [False, True, False, False]
    layers = results.column("hidden_layers")
    assert layers.dtype == object and layers.shape == (4,) and layers[1] == (8, 8)


def test_results_print_as_text_and_html():
    results = make_results()
    text = str(results)
    lines = text.splitlines()
    assert lines[0] == "test: 4 trials" and "learning_rate" in lines[1] and "hidden_layers" in lines[1]
    assert lines[4].startswith("*") and "(4,)" in lines[4] and "diverged" in lines[3]
    assert lines[-1] == "* best validation loss: trial 2"
    html = results._repr_html_()
    assert html.count("<tr") == 5 and "font-weight: bold" in html and "<th>val_loss</th>" in html


def test_a_slice_of_the_results_says_how_many_trials_the_search_ran(moons):
    results = grid_search(SMALL_MLP, {"learning_rate": [0.01, 0.1, 1.0]}, *moons, progress=False)
    assert str(results).splitlines()[0].startswith("grid search: 3 trials")
    assert str(results.sorted()[:2]).splitlines()[0].startswith("grid search: 2 of 3 trials")


def test_a_searched_epochs_stays_the_chosen_value_when_early_stopping_ends_the_run_sooner(moons):
    """The row keeps the hyperparameter ``epochs`` as chosen; how many epochs ran is its own column, epochs_run."""
    make_model = functools.partial(nnlib.MLP, hidden_layers=(32, 32), learning_rate=0.3, momentum=0.9, batch_size=16,
                                   patience=2, seed=0)
    results = grid_search(make_model, {"epochs": [200]}, *moons, progress=False)
    assert results.best_params == {"epochs": 200}
    assert results.best["epochs"] == 200 and results.best["epochs_run"] < 200
    assert "epochs_run" in results.columns
