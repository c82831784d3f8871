"""nnlib/widgets/batches.py: the batch-size explorer trains real nnlib runs per batch size and redraws what they
did, and says it in words (its description line)."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from reference import line_descent, minibatches, scaled
from test_widgets_lifecycle import description

import nnlib
from nnlib.exercises.pieces import save_solutions
from nnlib.learner import my_library
from nnlib.line import line_gradient, line_loss
from nnlib.plots.axes import pixel_extremes
from nnlib.plots.batches import batch_label, iterations_per_epoch
from nnlib.widgets.batches import BatchSizeExplorer


@pytest.fixture
def explorer(penguins):
    X, y = penguins
    return BatchSizeExplorer(X, y, learning_rate=0.05, epochs=3, max_epochs=8)


def test_iterations_per_epoch_rounds_up():
    assert [iterations_per_epoch(342, b) for b in (1, 8, 32, 342, 1000, None)] == [342, 43, 11, 1, 1, 1]
    assert batch_label(None, 342) == batch_label(342, 342) == "full batch (342)"


def test_initial_state_draws_every_batch_size(explorer, penguins):
    X, y = penguins
    x = scaled(X)
    assert set(explorer.runs) == {1, 8, 32, 342}
    for b, run in explorer.runs.items():
        expected = line_descent(x, y, 0.05, minibatches(len(x), 3, b))
        assert len(run["path"]) == 3 * iterations_per_epoch(342, b) + 1
        np.testing.assert_allclose(explorer.path_lines[b].get_xdata(), expected[:, 0], rtol=1e-9, atol=1e-8)
        np.testing.assert_allclose(run["losses"], line_loss(x, y, *expected.T), rtol=1e-9)
        # the curve drawn: the points that decide its pixels (all of them when the curve is short), against epochs
        epochs = np.arange(len(run["path"])) / iterations_per_epoch(342, b)
        drawn_x, drawn_y = pixel_extremes(explorer.ax_loss, run["losses"], epochs)
        np.testing.assert_array_equal(explorer.loss_lines[b].get_xdata(), drawn_x)
        np.testing.assert_array_equal(explorer.loss_lines[b].get_ydata(), drawn_y)
        assert drawn_x[0] == 0 and drawn_x[-1] == pytest.approx(3) and len(drawn_x) <= len(epochs)
        assert explorer.cost_bars[list(explorer.runs).index(b)].get_width() > 0
    assert len(explorer.loss_lines[1].get_xdata()) < len(explorer.runs[1]["losses"]) / 2


def test_epochs_slider_cuts_or_extends_the_runs(explorer):
    explorer.epochs.value = 5
    assert len(explorer.runs[8]["path"]) == 5 * 43 + 1
    assert len(explorer.path_lines[8].get_xdata()) == 5 * 43 + 1
    explorer.epochs.value = 1
    assert len(explorer.zoom_lines[1].get_xdata()) == 343
    assert explorer.ax_loss.get_xlim() == (0, 10)  # the epoch axis ends at a round number >= the epochs


def test_moving_the_epochs_slider_back_and_forth_only_blits(explorer):
    full = explorer.live.full_redraws
    for value in (4, 3, 8, 5, 3, 7):
        explorer.epochs.value = value
        assert len(explorer.runs[8]["path"]) == value * 43 + 1
    assert explorer.live.full_redraws == full and explorer.ax_loss.get_xlim() == (0, 10)


def test_learning_rate_and_seed_retrain(explorer, penguins):
    X, y = penguins
    before = explorer.path_lines[8].get_xdata().copy()
    explorer.learning_rate.value = 0.01
    after = explorer.path_lines[8].get_xdata()
    assert explorer.runs[8]["run"].model.learning_rate == pytest.approx(0.01)
    expected = line_descent(scaled(X), y, 0.01, minibatches(len(y), 3, 8))
    np.testing.assert_allclose(after, expected[:, 0], rtol=1e-9, atol=1e-8)
    assert not np.allclose(after[-1], before[-1])
    explorer.seed.value = 4
    assert explorer.runs[8]["run"].model.seed == 4
    expected = line_descent(scaled(X), y, 0.01, minibatches(len(y), 3, 8, seed=4))
    np.testing.assert_allclose(explorer.path_lines[8].get_xdata(), expected[:, 0], rtol=1e-9, atol=1e-8)


def test_shuffle_off_walks_the_data_in_file_order(explorer, penguins):
    X, y = penguins
    explorer.shuffle.value = False
    assert explorer.runs[1]["run"].model.shuffle is False
    expected = line_descent(scaled(X), y, 0.05, minibatches(len(y), 3, 1, shuffle=False))
    np.testing.assert_allclose(explorer.path_lines[1].get_ydata(), expected[:, 1], rtol=1e-9, atol=1e-8)


def test_x_axis_switches_to_iterations(explorer):
    explorer.x_axis.value = "iterations"
    assert explorer.ax_loss.get_xscale() == "log"
    drawn = explorer.loss_lines[8].get_xdata()  # iterations 0, 1, ..., 129, but those that share a pixel column
    np.testing.assert_array_equal(drawn, pixel_extremes(explorer.ax_loss, explorer.runs[8]["losses"])[0])
    assert drawn[0] == 0 and drawn[-1] == 3 * 43 and np.all(np.diff(drawn) >= 1)
    assert explorer.ax_loss.get_xlim()[1] == len(explorer.runs[1]["path"])
    explorer.x_axis.value = "epochs"
    assert explorer.ax_loss.get_xscale() == "linear"


def test_hiding_a_batch_size_hides_its_runs_but_not_its_cost(explorer):
    redraws, full = explorer.live.redraws, explorer.live.full_redraws
    cost = explorer.cost_bars[0].get_width()
    explorer.show[1].value = False
    assert 1 not in explorer.runs
    assert not any(line.get_visible() for line in (explorer.path_lines[1], explorer.zoom_lines[1],
                                                   explorer.loss_lines[1]))
    assert explorer.cost_bars[0].get_width() == cost  # an epoch's cost belongs to the batch size, not to a run
    assert explorer.live.redraws == redraws + 1 and explorer.live.full_redraws == full
    assert "batch size 1 " not in description(explorer) and description(explorer).endswith("; hidden: batch size 1.")
    explorer.show[1].value = True
    assert explorer.path_lines[1].get_visible() and 1 in explorer.runs
    assert "hidden" not in description(explorer) and "; batch size 1 " not in description(explorer)
    for b in explorer.batch_sizes:
        explorer.show[b].value = False
    assert "no run shown (switch a batch size on)" in description(explorer)


def test_the_description_gives_each_runs_last_loss_and_cost(explorer, penguins):
    X, y = penguins
    x = scaled(X)
    explorer.seed.value = 2
    explorer.shuffle.value = False
    runs = []
    for b in (1, 8, 32, 342):
        path = line_descent(x, y, 0.05, minibatches(len(x), 3, b, shuffle=False))
        steps = 3 * iterations_per_epoch(342, b)
        runs.append(f"{batch_label(b, 342)} {line_loss(x, y, *path[-1]):,.0f} g² after {steps:,} step"
                    f"{'s' * (steps > 1)} ({1000 * explorer.seconds_per_epoch[b]:.2g} ms an epoch)")
    slope, intercept = np.polyfit(x, y, 1)
    assert description(explorer) == (
        "Learning rate 0.05, 3 epochs, seed 2, the same order every epoch. Training loss after the last step: "
        + "; ".join(runs) + f"; the least-squares minimum is {np.mean((slope * x + intercept - y) ** 2):,.0f} g².")


def test_cost_per_epoch_is_measured_once_and_small_batches_cost_more(explorer):
    ms = {b: 1000 * run["seconds_per_epoch"] for b, run in explorer.runs.items()}
    assert all(value > 0 for value in ms.values())
    assert ms[1] > 5 * ms[342], "342 steps per epoch should cost far more than 1"
    assert [bar.get_width() for bar in explorer.cost_bars] == [ms[b] for b in (1, 8, 32, 342)]
    assert explorer.cost_texts[0].get_text() == f"{ms[1]:.2g} ms (342 steps)"
    assert explorer.cost_texts[3].get_text().endswith(" ms (1 step)")
    explorer.learning_rate.value = 0.01  # new runs, same cost: the learning rate does not change the work per step
    assert {b: 1000 * run["seconds_per_epoch"] for b, run in explorer.runs.items()} == ms


def test_a_lower_learning_rate_shrinks_the_cloud_of_steps_in_the_zoom(penguins):
    """Notebook 03 asks learners to watch batch size 1's dots around the minimum shrink as the rate drops."""
    X, y = penguins
    explorer = BatchSizeExplorer(X, y, batch_sizes=(1,), learning_rate=0.05, epochs=10)

    def spread():  # RMS distance of the last epoch's dots from the least-squares line's (slope, intercept)
        dots = np.column_stack(explorer.zoom_lines[1].get_data())[-342:]
        return np.sqrt(np.mean(np.sum((dots - explorer.best) ** 2, axis=1)))
    wide = spread()
    explorer.learning_rate.value = 0.01
    assert spread() < 0.6 * wide


def test_a_diverged_run_is_named_in_the_status_line(penguins):
    X, y = penguins
    X, y = X[:40].copy(), y[:40]
    X[0, 0] = 400  # one flipper 6 SD out: a step on that penguin alone overshoots at a learning rate of 0.3
    explorer = BatchSizeExplorer(X, y, batch_sizes=(1, None), learning_rate=0.3, epochs=5, max_epochs=10)
    assert explorer.runs[1]["diverged"] and not explorer.runs[40]["diverged"]
    assert "Diverged:</b> batch size 1 (" in explorer.status.value and "lower learning rate" in explorer.status.value
    assert "full batch" not in explorer.status.value
    assert "batch size 1 diverged (training stopped); full batch (40) " in description(explorer)
    explorer.learning_rate.value = 0.01
    assert explorer.status.value == ""


def test_runs_are_cached(explorer):
    run = explorer._run(8)
    explorer.epochs.value = 2
    explorer.epochs.value = 3
    assert explorer._run(8) is run


def test_only_the_last_settings_runs_are_kept(penguins):
    X, y = penguins
    explorer = BatchSizeExplorer(X, y, batch_sizes=(32, None), learning_rate=0.05, epochs=1, max_epochs=2)
    first = explorer._run(32)
    for exponent in np.linspace(-3, -1.5, explorer.SETTINGS_KEPT + 2):
        explorer.learning_rate.value = 10 ** exponent
    assert len(explorer._cache) == explorer.SETTINGS_KEPT * 2, "memory stays bounded"
    explorer.learning_rate.value = 0.05  # the first setting was dropped: trained again
    assert explorer._run(32) is not first and explorer._run(32).hyperparameters["learning_rate"] == pytest.approx(0.05)


X40, Y40 = (array[:40] for array in nnlib.load_penguins())


@pytest.mark.parametrize("X, y, arguments, error, message", [
    (X40[:, 0], Y40, {}, ValueError, r"X must be 2-D.*1-D.*X\.reshape\(-1, 1\)"),
    (np.hstack([X40, X40]), Y40, {}, ValueError,
     r"X must have one column \(one feature\) for BatchSizeExplorer, got 2 columns; pick one feature"),
    (X40, Y40[:30], {}, ValueError, r"X has 40 samples \(rows\) but y has 30"),
    (X40, np.where(np.arange(40) == 5, np.inf, Y40), {}, ValueError, r"y contains 0 NaN and 1 infinite"),
    (X40, Y40, {"batch_sizes": (8, 8)}, ValueError, r"batch_sizes must list different batch sizes"),
    (X40, Y40, {"batch_sizes": (40, None)}, ValueError, r"batch_sizes must list different.*full batch of 40"),
    (X40, Y40, {"batch_sizes": ()}, ValueError, r"batch_sizes must list different batch sizes"),
    (X40, Y40, {"batch_sizes": (0, 8)}, ValueError, r"each batch size must be a whole number from 1 to 40"),
    (X40, Y40, {"learning_rate": -1}, ValueError,
     r"learning_rate must be a number from 0\.001 to 0\.316228 \(the range of its control\), got -1"),
    (X40, Y40, {"learning_rate": 1.0}, ValueError, r"learning_rate must be a number from 0\.001 to 0\.316228"),
    (X40, Y40, {"seed": -1}, ValueError, r"seed must be a whole number from 0 to 9 \(the range of its control\)"),
    (X40, Y40, {"seed": 10}, ValueError, r"seed must be a whole number from 0 to 9"),
    (X40, Y40, {"epochs": 50}, ValueError, r"epochs must be a whole number from 1 to 30.*Raise max_epochs"),
    (X40, Y40, {"shuffle": "no"}, TypeError, r"shuffle must be True or False"),
    (np.full((40, 1), 190.0), Y40, {}, ValueError,
     r"every value of X is 190: a feature with no spread cannot be standardised.*Give BatchSizeExplorer a feature"),
])
def test_bad_arguments_get_a_clear_message(X, y, arguments, error, message):
    with pytest.raises(error, match=message):
        BatchSizeExplorer(X, y, **arguments)


# --- on the learner's line_gradient (notebook 02, used in notebook 03) ------------------------------------------------
def test_the_explorer_steps_on_the_gradient_it_is_given_calling_it_three_times_per_sample_once(penguins):
    X, y = penguins
    calls = []

    def doubled(x, y, slope, intercept):  # stepping on it at a learning rate is stepping on nnlib's at twice the rate
        calls.append(len(x))
        return tuple(2 * g for g in line_gradient(x, y, slope, intercept))
    on_doubled = BatchSizeExplorer(X, y, learning_rate=0.025, epochs=3, max_epochs=8, gradient=doubled)
    at_twice_the_rate = BatchSizeExplorer(X, y, learning_rate=0.05, epochs=3, max_epochs=8)
    for b, run in at_twice_the_rate.runs.items():
        np.testing.assert_allclose(on_doubled.runs[b]["path"], run["path"], rtol=1e-9, atol=1e-9)
    on_doubled.learning_rate.value = 0.01
    on_doubled.epochs.value = 8
    assert calls == [1] * (3 * len(y)), "each penguin's gradient map once, whatever the controls do"


@pytest.mark.slow  # trains the digits or a widget's runs: in make test, not test-fast
def test_on_the_libraries_line_gradient_the_explorer_draws_nnlibs_runs(penguins):
    X, y = penguins
    expected = BatchSizeExplorer(X, y, learning_rate=0.05, epochs=3, max_epochs=8).runs
    for saved in (False, True):
        if saved:
            save_solutions(["line_gradient"])
        mine = my_library(quiet=True)
        assert ("line_gradient" in mine.yours) == saved
        explorer = BatchSizeExplorer(X, y, learning_rate=0.05, epochs=3, max_epochs=8, gradient=mine.line_gradient)
        for b, run in expected.items():
            np.testing.assert_allclose(explorer.runs[b]["path"], run["path"], rtol=1e-9, atol=1e-9)
