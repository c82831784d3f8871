"""nnlib/widgets/descent.py: the gradient-descent explorer retrains on every control change and redraws what it
computed and says it in words (its description line); optimizer_path takes nnlib's own optimisers' steps on the
line (the optimiser explorer draws them)."""
import matplotlib

matplotlib.use("Agg")

import warnings

import numpy as np
import pytest
from reference import line_descent, minibatches, scaled
from test_widgets_lifecycle import description

import nnlib
from nnlib import LinearRegression
from nnlib.divergence import DivergenceWarning
from nnlib.exercises.pieces import save_solutions
from nnlib.learner import my_library
from nnlib.line import line_gradient, line_loss
from nnlib.optim import SGD
from nnlib.plots.descent import least_squares_line
from nnlib.widgets.descent import RAW, STANDARDISED, GradientDescentExplorer, optimizer_path
from nnlib.widgets.optimizers import OptimizerExplorer


@pytest.fixture
def explorer(penguins):
    X, y = penguins
    return GradientDescentExplorer(X, y, learning_rate=0.1, epochs=50)


def test_least_squares_line_matches_lstsq(penguins):
    X, y = penguins
    expected = np.linalg.lstsq(np.column_stack([X[:, 0], np.ones(len(y))]), y, rcond=None)[0]
    np.testing.assert_allclose(least_squares_line(X[:, 0], y), expected, rtol=1e-10)


def test_initial_path_is_nnlib_gradient_descent_and_is_drawn(explorer, penguins):
    X, y = penguins
    expected = line_descent(scaled(X), y, 0.1, minibatches(len(y), 50))
    np.testing.assert_allclose(explorer.path, expected, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(explorer.model.coef_[0], expected[-1, 0], rtol=1e-9)
    xdata, ydata = explorer.path_line.get_data()
    np.testing.assert_allclose(xdata, expected[:, 0], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(ydata, expected[:, 1], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(explorer.loss_line.get_ydata(), line_loss(scaled(X), y, *expected.T), rtol=1e-9)
    # nnlib's own record of the loss agrees with the plotted curve (entry k = loss before epoch k's step).
    np.testing.assert_allclose(explorer.model.history_.loss, explorer.losses[:-1], rtol=1e-9)


def test_learning_rate_slider_retrains_and_redraws(explorer, penguins):
    X, y = penguins
    redraws = explorer.live.redraws
    explorer.learning_rate.value = 0.003
    assert explorer.model.learning_rate == pytest.approx(0.003)
    assert explorer.live.redraws == redraws + 1
    expected = line_descent(scaled(X), y, 0.003, minibatches(len(y), 50))
    np.testing.assert_allclose(explorer.path_line.get_data()[0], expected[:, 0], rtol=1e-9, atol=1e-6)
    assert not explorer.diverged
    assert "above the minimum" in explorer.verdict.get_text()
    losses = line_loss(scaled(X), y, *expected.T)
    slope, intercept = least_squares_line(scaled(X), y)
    minimum = line_loss(scaled(X), y, slope, intercept)
    assert description(explorer) == (
        f"Learning rate 0.003, standardised feature, 50 epochs: the loss goes from {losses[0]:,.0f} g² at the start "
        f"(0, 0) to {losses[-1]:,.0f} g², {(losses[-1] - minimum) / minimum:.1%} above the minimum, {minimum:,.0f} g²; "
        f"the path ends at slope {expected[-1, 0]:,.4g} g per SD of flipper length, intercept {expected[-1, 1]:,.4g} g "
        f"(least squares: {slope:,.4g}, {intercept:,.4g} g).")
    explorer.epochs.value = 20
    assert description(explorer).startswith("Learning rate 0.003, standardised feature, 20 epochs: the loss goes "
                                            f"from {losses[0]:,.0f} g² at the start (0, 0) to {losses[20]:,.0f} g²")


def test_epochs_slider_changes_the_length_of_path_and_curve(explorer):
    explorer.epochs.value = 7
    assert explorer.model.epochs == 7
    assert len(explorer.path) == 8 and len(explorer.path_line.get_xdata()) == 8
    assert len(explorer.loss_line.get_xdata()) == 8
    assert explorer.ax_loss.get_xlim() == (0, 10)  # the axis ends at a round number >= epochs
    explorer.epochs.value = 60
    assert len(explorer.loss_line.get_xdata()) == 61 and explorer.ax_loss.get_xlim() == (0, 100)


def test_too_large_rate_reports_nnlibs_divergence(explorer):
    explorer.learning_rate.value = 1.5
    assert explorer.diverged and explorer.model.history_.diverged
    assert "diverged" in explorer.message and "learning rate" in explorer.message
    assert description(explorer) == ("Learning rate 1.5, standardised feature: the path leaves the loss surface and "
                                     f"the loss grows; nnlib: {explorer.message}")
    assert "diverged" in explorer.verdict.get_text()
    assert len(explorer.path) < 51  # stopped early


def test_raw_feature_needs_a_tiny_rate_and_gets_stuck(explorer, penguins):
    X, y = penguins
    explorer.scaling.value = RAW
    assert explorer.diverged, "0.1 on millimetres must diverge"
    assert explorer.ax_contour.get_xlabel() == "slope (g/mm)"
    explorer.learning_rate.value = 2e-5
    explorer.epochs.value = 300
    assert not explorer.diverged
    expected = line_descent(X[:, 0], y, explorer.learning_rate.value, minibatches(len(y), 300))
    np.testing.assert_allclose(explorer.path, expected, rtol=1e-7, atol=1e-7)
    best_slope, _ = least_squares_line(X[:, 0], y)
    assert abs(explorer.path[-1, 0] - best_slope) > 20, "on the raw feature it should stall on the valley floor"
    assert description(explorer).startswith("Learning rate 2e-05, raw (mm) feature, 300 epochs: ")
    assert f"the path ends at slope {explorer.path[-1, 0]:,.4g} g/mm, intercept " in description(explorer)
    explorer.scaling.value = STANDARDISED
    assert explorer.ax_contour.get_xlabel().startswith("slope (g per SD")


def test_contours_are_replaced_not_stacked(explorer):
    first = explorer.contours
    explorer.scaling.value = RAW
    explorer.scaling.value = STANDARDISED
    assert explorer.contours is not first
    contour_sets = [c for c in explorer.ax_contour.collections if c is explorer.contours]
    assert len(contour_sets) == 1 and first not in explorer.ax_contour.collections


def test_rejects_more_than_one_feature(penguins):
    X, y = nnlib.load_penguins(features=("flipper_length_mm", "bill_length_mm"))
    with pytest.raises(ValueError, match=r"X must have one column \(one feature\) for GradientDescentExplorer, "
                                         r"got 2 columns; pick one feature, e\.g\. X\[:, \[0\]\]"):
        GradientDescentExplorer(X, y)


@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=0), r"epochs must be a whole number from 1 to 500"),
    (dict(epochs=600), r"epochs must be a whole number from 1 to 500 .*Raise max_epochs"),
    (dict(learning_rate=-1), r"learning_rate must be a number from 1e-06 to 3\.16228"),
    (dict(scaling="mm"), r"scaling must be 'standardised' or 'raw \(mm\)'"),
])
def test_rejects_values_its_controls_would_clamp(penguins, kwargs, message):
    with pytest.raises(ValueError, match=message):
        GradientDescentExplorer(*penguins, **kwargs)


def test_rejects_data_that_cannot_be_drawn(penguins):
    X, y = penguins
    with pytest.raises(ValueError, match=r"X has 342 samples .*y has 341"):
        GradientDescentExplorer(X, y[:-1])
    with pytest.raises(ValueError, match=r"NaN"):
        GradientDescentExplorer(np.where(np.arange(len(X))[:, None] == 3, np.nan, X), y)


@pytest.mark.parametrize("widget", [GradientDescentExplorer, OptimizerExplorer])
def test_a_feature_with_no_spread_is_refused_in_words_not_by_matplotlib(penguins, widget):
    _, y = penguins
    with pytest.raises(ValueError, match=rf"every value of X is 200: a feature with no spread cannot be standardised, "
                                         rf"and every slope along it fits equally well. Give {widget.__name__} a "
                                         r"feature whose values differ."):
        widget(np.full((len(y), 1), 200.0), y)
    with pytest.raises(ValueError, match=r"every value of x is 200: with no spread in x every slope fits equally"):
        least_squares_line(np.full(len(y), 200.0), y)



@pytest.mark.parametrize("scaling, rate", [(STANDARDISED, 0.003), (STANDARDISED, 0.9), (STANDARDISED, 1.05),
                                           (STANDARDISED, 1.5), (RAW, 2e-5), (RAW, 2.6e-5), (RAW, 0.1)])
def test_the_drawn_path_is_nnlibs_linear_regression_step_for_step(penguins, scaling, rate):
    """The explorer computes gradient descent from the data's averages; nnlib's fit takes the same steps,
    stops at the same epoch when the loss explodes, and reports the same divergence."""
    X, y = penguins
    explorer = GradientDescentExplorer(X, y, scaling=scaling, learning_rate=rate, epochs=500)
    x = explorer.problem["x"]
    points = [(0.0, 0.0)]
    model = LinearRegression(learning_rate=rate, epochs=500)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        model.fit(x.reshape(-1, 1), y, callback=lambda m: points.append((m.coef_[0], m.intercept_)))
    assert explorer.path.shape == np.array(points).shape
    np.testing.assert_allclose(explorer.path, points, rtol=1e-9, atol=1e-9)
    assert explorer.diverged == model.history_.diverged


def test_moving_the_epochs_slider_back_and_forth_keeps_the_axis_and_only_blits(explorer):
    """50 -> 51 -> 50 -> 51 ...: the epoch axis grows once (to 100), then every change is a blitted frame."""
    explorer.epochs.value = 51
    full = explorer.live.full_redraws
    for value in (50, 51, 50, 51, 50):
        explorer.epochs.value = value
    assert explorer.live.full_redraws == full and explorer.ax_loss.get_xlim() == (0, 100)
    explorer.epochs.value = 10  # far shorter: the axis shrinks again
    assert explorer.ax_loss.get_xlim() == (0, 10)


def test_a_blitted_frame_equals_a_full_render_legends_included(explorer):
    """The path runs under the legend: the blitted frame shows the legend as a full render draws it."""
    import io

    from PIL import Image

    explorer.scaling.value = RAW
    explorer.learning_rate.value = 2e-5  # a path that runs under the contour legend
    explorer.epochs.value = 400
    blitted = np.asarray(Image.open(io.BytesIO(explorer.live.output.value)).convert("RGBA"), dtype=int)
    for artist in [explorer.path_line, explorer.loss_line, explorer.verdict, explorer.ax_loss.title,
                   explorer.ax_contour.get_legend(), explorer.ax_loss.get_legend()]:
        artist.set_animated(False)
    explorer.live.figure.canvas.draw()
    full = np.asarray(explorer.live.figure.canvas.buffer_rgba(), dtype=int)
    differing = np.abs(blitted - full).max(axis=2) > 1
    height = full.shape[0]
    for legend in (explorer.ax_contour.get_legend(), explorer.ax_loss.get_legend()):
        box = legend.get_window_extent()
        rows, columns = slice(int(height - box.y1), int(height - box.y0) + 1), slice(int(box.x0), int(box.x1) + 1)
        assert differing[rows, columns].sum() <= 5, "the legend must look as a full render draws it"
    # Elsewhere only the static markers (start, minimum) end up under the moving path instead of over it.
    assert differing.sum() <= 400


# --- optimizer_path: nnlib's optimisers on the line (notebook 09; its explorer in test_widgets_optimizers.py) -------
def test_optimizer_path_is_momentum_descent_on_the_line(penguins):
    X, y = penguins
    x = X[:, 0]
    path = optimizer_path(x, y, SGD(0.9), 2e-5, 300)
    assert path.shape == (301, 2) and np.array_equal(path[0], [0, 0])
    by_hand = line_descent(x, y, 2e-5, minibatches(len(y), 300), momentum=0.9)
    np.testing.assert_allclose(path[-1], by_hand[-1], rtol=1e-9)


def test_optimizer_path_stops_at_divergence(penguins):
    X, y = penguins
    path = optimizer_path(X[:, 0], y, SGD(0.0), 1e-4, 5000)  # 4x beyond plain gradient descent's stable rate
    assert len(path) < 100 and np.abs(path[-1]).max() >= 1e9


# --- on the learner's pieces (notebook 02: my_library().line_gradient, .descent_step) ---------------------------------
def doubled(x, y, slope, intercept):
    """A gradient twice nnlib's: stepping on it at a learning rate is stepping on nnlib's at twice that rate."""
    return tuple(2 * g for g in line_gradient(x, y, slope, intercept))


def test_the_explorer_steps_on_the_gradient_and_the_step_it_is_given(penguins):
    X, y = penguins
    at_twice_the_rate = GradientDescentExplorer(X, y, learning_rate=0.1, epochs=50).path
    on_doubled = GradientDescentExplorer(X, y, learning_rate=0.05, epochs=50, gradient=doubled)
    np.testing.assert_allclose(on_doubled.path, at_twice_the_rate, rtol=1e-9, atol=1e-9)
    rates = []

    def double_step(slope, intercept, dslope, dintercept, learning_rate):
        rates.append(learning_rate)
        return slope - 2 * learning_rate * dslope, intercept - 2 * learning_rate * dintercept
    on_double_step = GradientDescentExplorer(X, y, learning_rate=0.05, epochs=50, step=double_step)
    np.testing.assert_allclose(on_double_step.path, at_twice_the_rate, rtol=1e-9, atol=1e-9)
    assert rates == [on_double_step.learning_rate.value] * 500, "one step per epoch, up to the slider's maximum"


def test_the_explorer_calls_a_learners_gradient_three_times_per_learning_rate_not_once_per_epoch(penguins):
    X, y = penguins
    calls = []

    def counted(x, y, slope, intercept):
        calls.append(len(x))
        return line_gradient(x, y, slope, intercept)
    explorer = GradientDescentExplorer(X, y, learning_rate=0.1, epochs=50, gradient=counted)
    explorer.learning_rate.value = 0.2
    explorer.epochs.value = 400
    assert calls == [len(y)] * 6


@pytest.mark.slow  # trains the digits or a widget's runs: in make test, not test-fast
def test_on_the_libraries_pieces_the_explorers_draw_nnlibs_paths(penguins):
    """With nothing saved nnlib's pieces stand in; with the reference solutions saved they are the learner's, and the
    paths are nnlib's all the same."""
    X, y = penguins
    expected = GradientDescentExplorer(X, y, learning_rate=0.9, epochs=100).path
    momentum = OptimizerExplorer(X, y, momentum=0.9, learning_rate=2e-5, epochs=300).path
    for saved in (False, True):
        if saved:
            save_solutions(["line_gradient", "descent_step"])
        mine = my_library(quiet=True)
        assert ("line_gradient" in mine.yours) == saved and ("descent_step" in mine.yours) == saved
        explorer = GradientDescentExplorer(X, y, learning_rate=0.9, epochs=100, gradient=mine.line_gradient,
                                           step=mine.descent_step)
        np.testing.assert_allclose(explorer.path, expected, rtol=1e-9, atol=1e-9)
        optimisers = OptimizerExplorer(X, y, momentum=0.9, learning_rate=2e-5, epochs=300, gradient=mine.line_gradient)
        np.testing.assert_allclose(optimisers.path, momentum, rtol=1e-9)
