"""nnlib/widgets/optimizers.py: the optimiser explorer (notebook 09) draws nnlib's own momentum and Adam steps on the
line (fast_optimizer_path: optimizer_path's, bit for bit), keeps the paths it computed, and thins its loss curves to
the points that decide their pixels; its description line says what the figure shows."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from reference import line_descent, minibatches
from test_widgets_lifecycle import description

from nnlib.line import line_gradient
from nnlib.optim import SGD, Adam
from nnlib.plots.axes import pixel_extremes
from nnlib.widgets import optimizers
from nnlib.widgets.batches import BatchSizeExplorer
from nnlib.widgets.descent import optimizer_path
from nnlib.widgets.optimizers import ADAM, SGD_MOMENTUM, OptimizerExplorer


def test_the_optimizer_explorer_shows_a_setting_it_saw_before_without_running_it_again(penguins, monkeypatch):
    X, y = penguins
    explorer = OptimizerExplorer(X, y, learning_rate=2e-5, epochs=100, max_epochs=300)
    first = explorer.full_path
    runs = []
    monkeypatch.setattr(optimizers, "fast_optimizer_path", lambda *args: runs.append(args) or first)
    explorer.learning_rate.value = 1e-5
    assert len(runs) == 1, "a new learning rate runs the optimiser"
    explorer.learning_rate.value = 2e-5
    assert len(runs) == 1 and explorer.full_path is first, "the one before is shown again, not run again"
    explorer.momentum.value = 0.5
    assert len(runs) == 2, "another momentum is another path"
    for rate in np.geomspace(1e-7, 1e-4, explorer.PATHS_KEPT + 5):
        explorer.learning_rate.value = rate
    before = len(runs)
    explorer.learning_rate.value = 2e-5
    assert len(runs) == before + 1, "only the last PATHS_KEPT paths are kept (memory stays bounded)"
    explorer.close()


def test_sliders_that_rerun_training_update_on_release(penguins):
    """A new learning rate reruns 5,000 optimiser steps (OptimizerExplorer) or four runs (BatchSizeExplorer):
    once when the slider is let go, not for every pixel dragged; the epochs sliders only cut a computed path."""
    X, y = penguins
    optimisers = OptimizerExplorer(X, y, epochs=100, max_epochs=200)
    batches = BatchSizeExplorer(X, y, batch_sizes=(32, None), epochs=2, max_epochs=4)
    assert not optimisers.learning_rate.continuous_update and optimisers.epochs.continuous_update
    assert not batches.learning_rate.continuous_update and not batches.seed.continuous_update
    assert batches.epochs.continuous_update
    optimisers.close()
    batches.close()


@pytest.mark.parametrize("optimizer, rate, diverges, handed_over", [
    (lambda: SGD(0.0), 2e-5, False, False),
    (lambda: SGD(0.9), 4.5e-5, False, False),
    (lambda: SGD(0.998), 4.5e-5, False, False),  # notebook 09: survives here, where plain gradient descent diverges
    (lambda: SGD(0.998), 5e-5, True, True),  # after 67 epochs
    (lambda: SGD(0.0), 1e-4, True, True),
    (lambda: Adam(), 1.0, False, False),
    (lambda: Adam(), 30.0, False, False),  # notebook 09's, chaotic: a rounding apart drifts a quarter of the path apart
    (lambda: Adam(), 316.0, False, False),
    (lambda: Adam(eps=0.0), 30.0, False, True),  # could divide by zero in Python floats, where numpy gives NaN
])
def test_the_fast_path_takes_nnlibs_optimiser_steps_bit_for_bit(penguins, monkeypatch, optimizer, rate, diverges,
                                                                  handed_over):
    """The explorer's path in Python floats equals optimizer_path's (nnlib's SGD and Adam on arrays) exactly: Adam at
    rate 30 amplifies any rounding difference, so no looser tolerance would do. A run that diverges is handed to
    optimizer_path, which decides where it stops; the others never call it."""
    X, y = penguins
    expected = optimizer_path(X[:, 0], y, optimizer(), rate, 5000)
    calls = []
    monkeypatch.setattr(optimizers, "optimizer_path", lambda *args: calls.append(args) or optimizer_path(*args))
    path = optimizers.fast_optimizer_path(X[:, 0], y, optimizer(), rate, 5000)
    np.testing.assert_array_equal(path, expected)
    assert len(calls) == handed_over and (len(path) < 5001) == diverges


def test_a_swinging_loss_curve_is_drawn_from_under_a_third_of_its_points_to_the_same_pixels(penguins):
    """5,000 epochs on a 400-pixel axis: each pixel column keeps its first, last, lowest and highest point (in order),
    and the frame inks the pixels the whole curve inks, to within one pixel either way."""
    X, y = penguins
    explorer = OptimizerExplorer(X, y, momentum=0.999, learning_rate=4.5e-5, epochs=5000)  # swings every few epochs
    minimum = explorer.problem["minimum"]
    whole = (explorer.losses - minimum) / minimum
    kept, kept_y = explorer.excess_line.get_data()
    assert len(kept) < len(whole) / 3 and np.all(np.diff(kept) > 0)
    np.testing.assert_array_equal(kept_y, whole[kept])
    epochs = np.arange(len(whole))
    column = np.floor(explorer.ax_loss.transData.transform(np.column_stack([epochs, np.ones(len(whole))]))[:, 0])
    for in_column in (epochs[column == c] for c in np.unique(column)):
        mine = kept[np.isin(kept, in_column)]
        assert mine[0] == in_column[0] and mine[-1] == in_column[-1], "each column's first and last point"
        assert whole[mine].min() == whole[in_column].min() and whole[mine].max() == whole[in_column].max()

    def frame(x, y):
        explorer.excess_line.set_data(x, y)
        explorer.live.redraw()
        return np.asarray(explorer.live.figure.canvas.buffer_rgba(), dtype=int)[..., :3].copy()
    background, drawn_whole, drawn_kept = frame([], []), frame(epochs, whole), frame(kept, kept_y)

    def inked(image, level):  # pixels the curve darkens by more than level (of 255)
        return np.abs(image - background).max(axis=2) > level

    def near(mask):  # within one pixel of mask
        out = mask.copy()
        for axis in (0, 1):
            out = out | np.roll(out, 1, axis) | np.roll(out, -1, axis)
        return out
    assert inked(drawn_whole, 128).sum() > 30_000, "a band of swings"
    assert not (inked(drawn_whole, 128) & ~near(inked(drawn_kept, 16))).any()
    assert not (inked(drawn_kept, 128) & ~near(inked(drawn_whole, 16))).any()
    with_nan = np.where(epochs % 7 == 0, np.nan, whole)
    np.testing.assert_array_equal(pixel_extremes(explorer.ax_loss, with_nan)[1], with_nan)  # drawn whole, gaps kept
    explorer.close()


def test_explorer_epochs_slider_shows_a_prefix_without_recomputing(penguins):
    X, y = penguins
    explorer = OptimizerExplorer(X, y, momentum=0.99, learning_rate=2e-5, epochs=1000)
    full = explorer.full_path
    explorer.epochs.value = 300
    assert explorer.full_path is full and len(explorer.path) == 301
    np.testing.assert_array_equal(explorer.path_line.get_data()[0], full[:301, 0])
    explorer.momentum.value = 0.9
    assert explorer.full_path is not full
    by_hand = line_descent(X[:, 0], y, 2e-5, minibatches(len(y), 300), momentum=0.9)
    np.testing.assert_allclose(explorer.path[-1], by_hand[-1], rtol=1e-9)
    plain = line_descent(X[:, 0], y, 2e-5, minibatches(len(y), 300))
    best = np.polyfit(X[:, 0], y, 1)

    def excess(slope, intercept):
        minimum = np.mean((best[0] * X[:, 0] + best[1] - y) ** 2)
        return (np.mean((slope * X[:, 0] + intercept - y) ** 2) - minimum) / minimum
    assert description(explorer) == (
        f"SGD + momentum 0.9, learning rate 2e-05, after 300 epochs: {excess(*by_hand[-1]):.2%} above the minimum, "
        f"at slope {by_hand[-1, 0]:.4g} g/mm, intercept {by_hand[-1, 1]:,.0f} g (least squares: {best[0]:.4g} g/mm, "
        f"{best[1]:,.0f} g); plain gradient descent (rate 2e-05, the thick line) ends at intercept {plain[-1, 1]:,.0f} "
        f"g, {excess(*plain[-1]):.0%} above the minimum.")


def test_explorer_keeps_a_learning_rate_per_optimiser(penguins):
    X, y = penguins
    explorer = OptimizerExplorer(X, y, learning_rate=1e-5, epochs=200)
    explorer.optimizer.value = ADAM
    assert explorer.learning_rate.value == 30.0 and explorer.momentum.disabled
    np.testing.assert_allclose(explorer.path, optimizer_path(X[:, 0], y, Adam(), 30.0, 5000)[:201])
    explorer.learning_rate.value = 3.0
    explorer.optimizer.value = SGD_MOMENTUM
    assert explorer.learning_rate.value == 1e-5 and not explorer.momentum.disabled
    explorer.optimizer.value = ADAM
    assert explorer.learning_rate.value == 3.0


def test_explorer_reports_divergence(penguins):
    X, y = penguins
    explorer = OptimizerExplorer(X, y, momentum=0.0, learning_rate=1e-4, epochs=500)
    assert explorer.diverged
    assert description(explorer).startswith(f"SGD + momentum 0, learning rate 0.0001: diverged in epoch "
                                            f"{len(explorer.path) - 1}. The steps overshoot across the narrow valley "
                                            "and grow: lower the learning rate.")


@pytest.mark.parametrize("kwargs, message", [
    (dict(optimizer="adam"), "optimizer must be"),
    (dict(momentum=0.97), "momentum must be one of"),
    (dict(learning_rate=1.0), "learning_rate for SGD \\+ momentum must be a number from"),
    (dict(epochs=0), "epochs must be a whole number from 1"),
])
def test_explorer_refuses_bad_arguments(penguins, kwargs, message):
    X, y = penguins
    with pytest.raises(ValueError, match=message):
        OptimizerExplorer(X, y, **kwargs)


def test_the_optimizer_explorer_steps_on_the_gradient_it_is_given(penguins):
    X, y = penguins

    def halved(x, y, slope, intercept):
        return tuple(g / 2 for g in line_gradient(x, y, slope, intercept))
    at_half_the_rate = OptimizerExplorer(X, y, momentum=0.9, learning_rate=2e-5, epochs=300).path
    on_halved = OptimizerExplorer(X, y, momentum=0.9, learning_rate=4e-5, epochs=300, gradient=halved)
    np.testing.assert_allclose(on_halved.path, at_half_the_rate, rtol=1e-9)
    np.testing.assert_allclose(on_halved.reference_path, optimizer_path(X[:, 0], y, SGD(0.0), 1e-5, 5000), rtol=1e-9)
