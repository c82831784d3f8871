"""Mini-batch plots (notebook 03): gradient clouds, the loss against either clock, the cost of an epoch."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.plots.batches import plot_cost_per_epoch, plot_gradient_clouds, plot_loss_against


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_gradient_clouds_get_one_panel_per_batch_size_titled_with_the_spread_of_the_intercepts_derivative():
    rng = np.random.default_rng(0)
    estimates = {1: rng.normal(0, [30, 10], size=(300, 2)), 8: rng.normal(0, [12, 4], size=(300, 2))}
    fig = plot_gradient_clouds(estimates, np.zeros(2))
    assert len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == [
        f"batch size {b}: spread {np.std(g[:, 1]):,.0f} g" for b, g in estimates.items()]
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "300 batches of 1"


def test_the_loss_against_epochs_divides_the_steps_by_the_iterations_per_epoch():
    losses = {1: np.linspace(10, 1, 21), 4: np.linspace(10, 1, 6), None: np.linspace(10, 1, 2)}  # 20 samples
    _, ax = plt.subplots()
    plot_loss_against(ax, losses, 20, 0.5, clock="epoch")
    curves = {line.get_label(): line.get_xdata() for line in ax.get_lines()}
    np.testing.assert_allclose(curves["batch size 1"], np.arange(21) / 20)
    np.testing.assert_allclose(curves["batch size 4"], np.arange(6) / 5)
    np.testing.assert_allclose(curves["full batch (20)"], [0, 1])
    assert ax.get_title() == "Against epochs" and ax.get_xscale() == "linear" and ax.get_yscale() == "log"
    assert "least-squares minimum" in curves
    runs = [line for line in ax.get_lines() if line.get_label() != "least-squares minimum"]
    assert len({line.get_marker() for line in runs}) == 3, "each batch size has its own marker, not colour alone"
    # A few marks spread over each curve, not one per step: batch size 1's 21 points get at most 8.
    assert all(0 < len(line.get_markevery()) <= 8 for line in runs)


def test_the_loss_against_iterations_counts_steps_on_a_log_axis_and_an_unknown_clock_is_named():
    _, ax = plt.subplots()
    plot_loss_against(ax, {4: np.linspace(10, 1, 6)}, 20, 0.5, clock="iteration")
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), np.arange(6))
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "iteration (log scale)"
    with pytest.raises(ValueError, match="clock must be 'epoch' or 'iteration', got 'steps'"):
        plot_loss_against(ax, {4: np.ones(6)}, 20, 0.5, clock="steps")


def test_cost_bars_name_their_steps_per_epoch_only_when_asked():
    _, ax = plt.subplots()
    plot_cost_per_epoch(ax, [1, 8, None], [0.01, 0.002, 0.001], 20, label_steps=True)
    assert [text.get_text() for text in ax.texts] == ["20 step(s)", "3 step(s)", "1 step(s)"]
    _, plain = plt.subplots()
    plot_cost_per_epoch(plain, [1, 8, None], [0.01, 0.002, 0.001], 20)
    assert len(plain.texts) == 0
