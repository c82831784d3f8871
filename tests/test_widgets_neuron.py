"""NeuronWidget: the sliders are the neuron's parameters; Fit learns them with the chosen hyperparameters; its
description line says what the three panels show."""
import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from test_widgets_lifecycle import description  # noqa: E402

import nnlib  # noqa: E402
from nnlib.layers import sigmoid  # noqa: E402
from nnlib.widgets.neuron import Z_LIMIT, NeuronWidget  # noqa: E402

DATA = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                           species=("Adelie", "Gentoo"))
X_TRAIN, _, _, Y_TRAIN, _, _ = nnlib.train_val_test_split(*DATA, seed=0)
SCALER = nnlib.Standardizer().fit(X_TRAIN)
X_STD = SCALER.transform(X_TRAIN)


def cross_entropy(w, b):
    p = sigmoid(X_STD @ w + b)
    return float(-np.mean(Y_TRAIN * np.log(p) + (1 - Y_TRAIN) * np.log(1 - p)))


@pytest.fixture
def neuron():
    return NeuronWidget(X_TRAIN, Y_TRAIN, scaler=SCALER, feature_names=("bill length (mm)", "flipper length (mm)"),
                        class_names=DATA.target_names, learning_rate=0.5, epochs=50, resolution=30)


def test_starts_knowing_nothing(neuron):
    assert neuron.loss == pytest.approx(np.log(2), rel=1e-12)
    assert neuron.accuracy == pytest.approx(np.mean(Y_TRAIN == 0))  # z = 0 everywhere: "not Gentoo"
    np.testing.assert_allclose(neuron.boundary.probabilities, 0.5)
    assert neuron.live.redraws == 1


def test_a_slider_change_updates_the_model_the_loss_and_the_plots(neuron):
    redraws = neuron.live.redraws
    neuron.w1.value = 2.0
    neuron.w2.value = 3.0
    neuron.b.value = -1.0
    assert neuron.live.redraws == redraws + 3, "one redraw per slider change"
    w = np.array([2.0, 3.0])
    np.testing.assert_allclose(neuron.model.coef_, w)
    assert neuron.model.intercept_ == -1.0
    assert neuron.loss == pytest.approx(cross_entropy(w, -1.0), rel=1e-12)
    assert neuron.accuracy == pytest.approx(np.mean((X_STD @ w - 1 > 0) == Y_TRAIN))
    z = X_STD @ w - 1.0
    np.testing.assert_allclose(neuron.z, z)
    np.testing.assert_allclose(neuron.probabilities, sigmoid(z))
    # The boundary image is P(Gentoo) on the grid, in mm, through the scaler.
    grid = neuron.boundary.grid_points
    np.testing.assert_allclose(neuron.boundary.probabilities.ravel(), sigmoid(SCALER.transform(grid) @ w - 1.0))
    # The middle panel puts each penguin at its z (clipped to the panel), per class.
    for k, points in enumerate(neuron.neuron_points):
        np.testing.assert_allclose(points.get_offsets()[:, 0], np.clip(z[Y_TRAIN == k], -Z_LIMIT, Z_LIMIT))
    assert neuron.your_loss_line.get_ydata()[0] == pytest.approx(neuron.loss)
    n, predicted = len(Y_TRAIN), int(np.sum(z > 0))
    correct, (adelie, gentoo) = int(np.sum((z > 0) == (Y_TRAIN == 1))), DATA.target_names
    assert description(neuron) == (
        f"Your neuron: w1 = 2.00, w2 = 3.00, b = -1.00: training loss {cross_entropy(w, -1.0):.4f}, accuracy "
        f"{100 * correct / n:.1f} % ({correct} of {n}); the boundary puts {predicted} points on the {gentoo} side "
        f"(P > 0.5) and {n - predicted} on the {adelie} side (P ≤ 0.5; the data: {int(np.sum(Y_TRAIN == 1))} {gentoo}, "
        f"{int(np.sum(Y_TRAIN == 0))} {adelie})")


def test_set_parameters_moves_all_sliders_with_one_redraw(neuron):
    redraws = neuron.live.redraws
    neuron.set_parameters(1.5, -0.5, 0.25)
    assert neuron.live.redraws == redraws + 1
    assert (neuron.w1.value, neuron.w2.value, neuron.b.value) == (1.5, -0.5, 0.25)
    assert neuron.loss == pytest.approx(cross_entropy(np.array([1.5, -0.5]), 0.25), rel=1e-12)


def test_fit_learns_what_logistic_regression_learns_with_the_same_hyperparameters(neuron):
    neuron.learning_rate.value = 1.0
    neuron.epochs.value = 80
    neuron.fit_button.click()
    reference = nnlib.LogisticRegression(learning_rate=1.0, epochs=80).fit(X_STD, Y_TRAIN)
    expected = [*reference.coef_, reference.intercept_]
    np.testing.assert_allclose(neuron.fitted_parameters, expected, rtol=1e-12)
    np.testing.assert_allclose([neuron.w1.value, neuron.w2.value, neuron.b.value], expected, rtol=1e-12)
    assert neuron.model.get_params()["learning_rate"] == 1.0 and neuron.model.epochs == 80
    np.testing.assert_allclose(neuron.fit_line.get_ydata(), reference.history_.loss)
    assert neuron.loss == pytest.approx(cross_entropy(reference.coef_, reference.intercept_), rel=1e-9)
    assert neuron.loss < np.log(2)
    losses, (w1, w2), b = reference.history_.loss, reference.coef_, reference.intercept_
    assert description(neuron).endswith(
        f". Last Fit (learning_rate = 1, epochs = 80): loss from {losses[0]:.4f} after epoch 1 to {losses[-1]:.4f} "
        f"after epoch 80, learned w1 = {w1:.2f}, w2 = {w2:.2f}, b = {b:.2f}")
    assert f"training loss {neuron.loss:.4f}" in description(neuron)


def test_fit_widens_a_slider_that_is_too_short(neuron):
    neuron.w2.max = 1.0
    neuron.w2.min = -1.0
    neuron.fit()  # learns w2 > 1
    assert neuron.w2.value == pytest.approx(neuron.fitted_parameters[1]) and neuron.w2.value > 1
    assert neuron.w2.max >= neuron.w2.value


def test_works_without_a_scaler():
    widget = NeuronWidget(X_STD, Y_TRAIN, resolution=10)
    widget.set_parameters(1.0, 1.0, 0.0)
    assert widget.loss == pytest.approx(cross_entropy(np.ones(2), 0.0), rel=1e-12)


@pytest.mark.parametrize("X, y, arguments, error, message", [
    (np.zeros((5, 3)), np.arange(5) % 2, {}, ValueError,
     r"X must have two columns \(two features\) for NeuronWidget, got 3 columns; pick two features, "
     r"e\.g\. X\[:, \[0, 1\]\]"),
    (np.zeros((5, 2)), np.arange(5), {}, ValueError,
     r"y must hold the labels 0 and 1 only: NeuronWidget is one sigmoid neuron.*got labels \[0, 1, 2, 3, 4\]"),
    (np.zeros((5, 2)), np.arange(4) % 2, {}, ValueError, r"X has 5 samples \(rows\) but y has 4"),
    (X_TRAIN, Y_TRAIN, {"weights": (1,)}, ValueError, r"weights must be two numbers \(w1, w2\), one per feature"),
    (X_TRAIN, Y_TRAIN, {"weights": (15, 0)}, ValueError,
     r"w1 \(weights\[0\]\) must be a number from -10 to 10 \(the range of its control\), got 15\. "
     r"Raise parameter_range"),
    (X_TRAIN, Y_TRAIN, {"bias": -11}, ValueError, r"bias must be a number from -10 to 10"),
    (X_TRAIN, Y_TRAIN, {"learning_rate": -1}, ValueError, r"learning_rate must be a number from 0\.001 to 10 "),
    (X_TRAIN, Y_TRAIN, {"epochs": 2000}, ValueError, r"epochs must be a whole number from 1 to 1,000"),
    (X_TRAIN, Y_TRAIN, {"epochs": 2.5}, ValueError, r"epochs must be a whole number"),
    (X_TRAIN, Y_TRAIN, {"parameter_range": 0}, ValueError, r"parameter_range must be a number greater than 0"),
    (X_TRAIN, Y_TRAIN, {"resolution": 1}, ValueError, r"resolution must be a whole number >= 2"),
    (X_TRAIN, Y_TRAIN, {"feature_names": ("bill length (mm)",)}, ValueError, r"feature_names must be two names"),
    (X_TRAIN, Y_TRAIN, {"class_names": "AG"}, ValueError, r"class_names must be two names \(for labels 0 and 1\)"),
    (X_TRAIN, Y_TRAIN, {"scaler": "standard"}, TypeError, r"scaler must be a fitted nnlib\.Standardizer"),
])
def test_bad_arguments_get_a_clear_message(X, y, arguments, error, message):
    with pytest.raises(error, match=message):
        NeuronWidget(X, y, **arguments)


def test_blitted_frames_equal_a_full_render(neuron):
    import io

    from PIL import Image

    neuron.set_parameters(1.2, -0.7, 0.4)
    neuron.fit()
    neuron.set_parameters(-2.0, 3.0, 1.0)
    blitted = np.asarray(Image.open(io.BytesIO(neuron.live.output.value)).convert("RGBA"), dtype=int)
    for artist in neuron._moving_artists() + neuron._legends():  # the legends are blitted overlays
        artist.set_animated(False)
    neuron.live.figure.canvas.draw()
    full = np.asarray(neuron.live.figure.canvas.buffer_rgba(), dtype=int)
    assert blitted.shape == full.shape
    differing = np.abs(blitted - full).max(axis=2) > 1
    # Blitting draws what a full redraw would; only where a moving line crosses a static axis spine
    # may the two be stacked the other way round (a few pixels).
    assert differing.sum() <= 20, f"{differing.sum()} pixels differ from a full redraw"
