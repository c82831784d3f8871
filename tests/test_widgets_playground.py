"""The playground, driven without a browser: every control, step, play/pause, reset, record, and its figure in
words (the description line)."""
import io
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from test_widgets_lifecycle import description  # noqa: E402

import nnlib  # noqa: E402
from nnlib.plots.boundary import BoundaryPlot  # noqa: E402
from nnlib.plots.playground import RegressionSurface, nice_ceiling  # noqa: E402
from nnlib.widgets.playground import Playground  # noqa: E402
from nnlib.widgets.playground_data import make_playground_data  # noqa: E402


@pytest.fixture
def pg():
    return Playground()


def summary_total(model):
    """The parameter count as MLP.summary() prints it."""
    line = [line for line in model.summary_text().splitlines() if line.startswith("total")][0]
    return int(line.split()[-1].replace(",", ""))


def counter(pg):
    return int(re.search(r"epoch (\d+)", pg.epoch_counter.value).group(1))


def expected_count(n_inputs, hidden, n_outputs):
    sizes = [n_inputs, *hidden, n_outputs]
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def png_pixels(data):
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)


# --- building and stepping ----------------------------------------------------------------------

def test_defaults_follow_tensorflow_playground(pg):
    assert pg.dataset.value == "circle" and pg.learning_rate.value == 0.03 and pg.batch_size.value == 10
    assert pg.hidden_layers == (4, 2) and pg.feature_names == ["x1", "x2"] and pg.activation.value == "tanh"
    assert pg.model.hidden_layers == (4, 2) and pg.model.task == "classification"
    assert pg.n_parameters == pg.model.n_parameters == summary_total(pg.model) == expected_count(2, (4, 2), 2) == 28
    assert f"{pg.n_parameters} parameters" in pg.parameter_count.value
    assert pg.epoch == counter(pg) == 0
    assert len(pg.X_train) == len(pg.X_val) == 150


def test_step_trains_epochs_per_frame_and_updates_every_view(pg):
    weights_before = [w.copy() for w in pg.model.weights_]
    image_before = pg.view.probabilities.copy()
    redraws = pg.live.redraws
    pg.epochs_per_frame.value = 3
    pg.step()
    pg.step()
    assert pg.epoch == counter(pg) == 6 and pg.model.history_.epochs == 6
    assert len(pg.train_loss) == len(pg.val_loss) == 7
    np.testing.assert_allclose(pg.loss_curves.train_line.get_ydata(), pg.train_loss)
    np.testing.assert_allclose(pg.loss_curves.val_line.get_ydata(), pg.val_loss)
    assert pg.live.redraws == redraws + 2
    assert all(not np.array_equal(a, b) for a, b in zip(weights_before, pg.model.weights_))
    assert not np.allclose(image_before, pg.view.probabilities)
    # The diagram shows the current weights: line widths follow |w| / max |w|.
    values = np.concatenate([w.ravel() for w in pg.model.weights_])
    widths = pg.diagram.linewidths
    assert np.argmax(widths) == np.argmax(np.abs(values))
    # Hyperparameters did not move; the panel shows the parameters ticking.
    assert pg.model.learning_rate == 0.03 and pg.model.hidden_layers == (4, 2)
    first = pg.model.parameters()["hidden_1.weights"][0, 0]
    assert f"{first:+.4f}" in pg.panel.value and "after 6 epochs" in pg.panel.value


def test_boundary_matches_an_independent_forward_pass(pg):
    pg.train(15)
    grid = pg.view.grid_points
    # Features by hand: x1, x2 standardised with the training set's mean and std.
    mean, std = pg.X_train.mean(axis=0), pg.X_train.std(axis=0)
    a = (grid - mean) / std
    for w, b in zip(pg.model.weights_[:-1], pg.model.biases_[:-1]):
        a = np.tanh(a @ w + b)
    scores = a @ pg.model.weights_[-1] + pg.model.biases_[-1]
    p1 = np.exp(scores[:, 1]) / np.exp(scores).sum(axis=1)
    np.testing.assert_allclose(pg.view.probabilities.ravel(), p1, rtol=1e-9, atol=1e-12)


def test_losses_are_the_models_history_after_the_initial_loss(pg):
    pg.train(5)
    history = pg.model.history_
    assert pg.train_loss[1:] == history.loss and pg.val_loss[1:] == history.val_loss
    fresh = Playground()
    proba = fresh.model.predict_proba(fresh.Z_val)
    cross_entropy = -np.mean(np.log(proba[np.arange(len(fresh.y_val)), fresh.y_val]))
    assert abs(fresh.val_loss[0] - cross_entropy) < 1e-12


def test_the_description_line_gives_the_losses_and_the_predictions(pg):
    pg.epochs_per_frame.value = 4
    pg.step_button.click()
    pg.step_button.click()
    proba = pg.model.predict_proba(pg.Z_val)
    val_loss = -np.mean(np.log(proba[np.arange(len(pg.y_val)), pg.y_val]))
    losses = [*pg.val_loss[:-1], val_loss]
    right = int(np.sum(proba.argmax(axis=1) == pg.y_val))
    in_class_1 = int(np.sum(pg.model.predict_proba(pg.Z_train).argmax(axis=1) == 1))
    assert description(pg) == (
        f"epoch 8: training loss {pg.train_loss[-1]:.3f}, validation loss {val_loss:.3f} (lowest {min(losses):.3f} at "
        f"epoch {int(np.argmin(losses))}); validation accuracy {right / 150:.0%}, {right} of 150 validation points on "
        f"the right side of the decision boundary; it puts {in_class_1} of the 150 training points in class 1 "
        f"({int(np.sum(pg.y_train == 1))} are). Network: x1, x2 → 4 → 2 → 2 class scores, 28 parameters; data set "
        "circle, noise 0 %.")
    children = pg.widget.children
    assert children.index(pg.live.output) == children.index(pg.description) + 1, "the line sits above the figure"
    assert re.search(r"epoch\D{0,3}(\d+)", description(pg)).group(1) == "8", "the browser test's epoch counter"
    pg.configure(dataset="plane", hidden_layers=(3,))
    pg.train(3)
    predicted, residual = pg.model.predict(pg.Z_train), pg.model.predict(pg.Z_val) - pg.y_val
    r2 = 1 - np.sum(residual ** 2) / np.sum((pg.y_val - pg.y_val.mean()) ** 2)
    assert description(pg).startswith("epoch 3: training loss ")
    assert description(pg).endswith(
        f"validation R² {r2:.2f}; the predicted surface goes from {predicted.min():.2f} to {predicted.max():.2f} at "
        f"the training points (targets {pg.y_train.min():.2f} to {pg.y_train.max():.2f}). Network: x1, x2 → 3 → 1 "
        "prediction, 13 parameters; data set regression: plane, noise 0 %.")


# --- every control ----------------------------------------------------------------------------

def test_dataset_switches_to_regression_and_back(pg):
    pg.train(4)
    pg.dataset.value = "plane"
    assert pg.task == "regression" == pg.model.task and isinstance(pg.view, RegressionSurface)
    assert pg.epoch == 0 and pg.n_parameters == summary_total(pg.model) == expected_count(2, (4, 2), 1)
    pg.train(10)
    inputs = pg.feature_map.transform(pg.view.grid_points)
    np.testing.assert_allclose(pg.view.predictions.ravel(), pg.model.predict(inputs))
    assert "mean squared error" in pg.ax_loss.get_ylabel()
    for name in ("xor", "gaussian", "spiral", "gaussians", "circle"):
        pg.dataset.value = name
        assert isinstance(pg.view, RegressionSurface if name == "gaussians" else BoundaryPlot)
        X, y, task = make_playground_data(name, pg.n_samples, 0.0, 0)
        assert np.isin(pg.X_train, X).all() and task == pg.task


def test_noise_seed_and_training_fraction_remake_the_data(pg):
    X_train = pg.X_train.copy()
    initial = pg.model.weights_[0].copy()
    pg.noise.value = 30
    assert not np.allclose(pg.X_train, X_train) and pg.epoch == 0
    pg.train_ratio.value = 70
    assert len(pg.X_train) == 210 and len(pg.X_val) == 90
    pg.seed.value = 5
    assert not np.allclose(pg.model.weights_[0], initial)
    # Same settings, same seed: the same data and the same initial weights.
    again = Playground(noise=30, train_ratio=70, seed=5)
    np.testing.assert_array_equal(again.X_train, pg.X_train)
    np.testing.assert_array_equal(again.model.weights_[0], pg.model.weights_[0])


def test_features_decide_the_inputs_and_the_parameter_count(pg):
    pg.features["x1²"].value = True
    pg.features["sin x2"].value = True
    assert pg.feature_names == ["x1", "x2", "x1²", "sin x2"]
    assert pg.Z_train.shape == (150, 4) and pg.model.weights_[0].shape == (4, 4)
    assert pg.n_parameters == summary_total(pg.model) == expected_count(4, (4, 2), 2)
    assert pg.diagram.shapes[0] == (4, 4)
    raw = np.column_stack([pg.X_train[:, 0], pg.X_train[:, 1], pg.X_train[:, 0] ** 2, np.sin(pg.X_train[:, 1])])
    np.testing.assert_allclose(pg.Z_train, (raw - raw.mean(axis=0)) / raw.std(axis=0))
    assert [t.get_text() for t in pg._unit_labels[:4]] == pg.feature_names


def test_the_last_feature_cannot_be_switched_off(pg):
    pg.features["x2"].value = False
    pg.features["x1"].value = False
    assert pg.feature_names == ["x1"] and pg.features["x1"].value
    assert "at least one input feature" in pg.status.value


@pytest.mark.parametrize("hidden", [(), (1,), (8, 8), (3, 5, 2, 7, 1, 8)])
def test_architecture_controls_and_parameter_count(pg, hidden):
    pg.configure(hidden_layers=hidden)
    assert pg.hidden_layers == hidden == pg.model.hidden_layers
    assert pg.n_parameters == pg.model.n_parameters == summary_total(pg.model) == expected_count(2, hidden, 2)
    assert f"<b>{pg.n_parameters} parameters</b>" in pg.parameter_count.value
    assert pg.diagram.shapes == [w.shape for w in pg.model.weights_]
    shown = [slider.layout.display != "none" for slider in pg.units]
    assert shown == [i < len(hidden) for i in range(6)]


def test_sliders_for_layers_and_units_rebuild_the_network(pg):
    pg.n_hidden_layers.value = 3
    pg.units[2].value = 7
    assert pg.hidden_layers == (4, 2, 7) and pg.model.weights_[2].shape == (2, 7)
    assert pg.n_parameters == summary_total(pg.model)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_activation_restarts_with_that_unit_type(activation):
    pg = Playground(activation="sigmoid" if activation != "sigmoid" else "relu")
    pg.train(3)
    pg.activation.value = activation
    assert pg.model.activation == activation and pg.epoch == 0
    pg.train(3)
    assert pg.epoch == 3


def test_learning_rate_batch_size_and_regularisation_change_without_restarting(pg):
    pg.train(6)
    weights = [w.copy() for w in pg.model.weights_]
    pg.learning_rate.value = 0.3
    pg.batch_size.value = 25
    pg.regularization.value = "l1"
    pg.regularization_rate.value = 0.01
    assert pg.epoch == 6 and all(np.array_equal(a, b) for a, b in zip(weights, pg.model.weights_))
    assert (pg.model.learning_rate, pg.model.batch_size, pg.model.l1, pg.model.l2) == (0.3, 25, 0.01, 0.0)
    assert pg.changes["learning_rate"] == (6, 0.03) and pg.changes["l1"] == (6, 0.0)
    assert "changed by you at epoch 6" in pg.panel.value
    pg.regularization.value = "l2"
    assert (pg.model.l1, pg.model.l2) == (0.0, 0.01) and "l1" not in pg.changes
    pg.train(2)
    assert pg.epoch == 8
    pg.learning_rate.value = 0.03
    assert "learning_rate" not in pg.changes


def test_regularisation_shrinks_the_weights():
    plain, l2 = Playground(), Playground(regularization="l2", regularization_rate=0.03)
    plain.train(60)
    l2.train(60)

    def size(playground):
        return sum(float(np.sum(w ** 2)) for w in playground.model.weights_)

    assert size(l2) < 0.7 * size(plain)


def test_show_validation_hides_the_hollow_points(pg):
    pg.show_validation.value = False
    assert not any(s.get_visible() for s in pg.validation_points.scatters)
    pg.show_validation.value = True
    assert all(s.get_visible() for s in pg.validation_points.scatters)
    np.testing.assert_array_equal(np.concatenate([s.get_offsets() for s in pg.validation_points.scatters]).shape,
                                  pg.X_val.shape)


def test_configure_sets_several_controls_with_one_restart(pg):
    redraws = pg.live.redraws
    pg.configure(dataset="xor", hidden_layers=(), features=["x1·x2"], learning_rate=0.1)
    assert pg.live.redraws == redraws + 1
    assert pg.model.hidden_layers == () and pg.n_parameters == expected_count(1, (), 2) == 4
    with pytest.raises(ValueError, match="unknown playground setting"):
        pg.configure(layers=3)
    with pytest.raises(ValueError, match="unknown feature"):
        pg.configure(features=["x3"])
    with pytest.raises(ValueError, match="one of the playground's choices"):
        pg.configure(learning_rate=0.05)
    with pytest.raises(ValueError, match="1 to max_units=8"):
        pg.configure(hidden_layers=(4, 12))
    assert pg.hidden_layers == () and pg.learning_rate.value == 0.1, "a refused configure changes nothing"


def test_units_of_switched_off_layers_do_not_restart(pg):
    pg.train(4)
    pg.units[5].value = 3
    assert pg.epoch == 4 and pg.hidden_layers == (4, 2)


def test_xor_is_separable_without_hidden_layers_given_the_product_feature():
    pg = Playground(dataset="xor", hidden_layers=(), features=("x1·x2",), learning_rate=0.3)
    pg.train(40)
    assert pg.model.score(pg.Z_val, pg.y_val) > 0.95
    linear = Playground(dataset="xor", hidden_layers=(), features=("x1", "x2"), learning_rate=0.3)
    linear.train(40)
    assert linear.model.score(linear.Z_val, linear.y_val) < 0.7


# --- play, pause, step, reset, record -----------------------------------------------------------------

def test_play_ticks_run_frames_and_stale_or_rewinding_ticks_do_not(pg):
    pg.play.playing = True
    pg.play.value = 1
    assert pg.epoch == 2
    pg._last_frame_end = 0.0
    pg.play.value = 2
    assert pg.epoch == 4
    pg.play.value = 3  # handled at once after the last frame: it had queued up behind it
    assert pg.epoch == 4
    pg._last_frame_end = 0.0
    pg.play.value = 0  # the stop button rewinds the Play widget
    assert pg.epoch == 4
    pg.play.playing = False  # pause: the browser sends no more ticks; step still works
    pg.step_button.click()
    assert pg.epoch == counter(pg) == 6


def test_the_train_toggle_is_the_play_buttons_state_named_in_words(pg):
    assert pg.train_toggle.description == "train" and not pg.train_toggle.value
    pg.train_toggle.value = True  # pressed (Enter or Space on a named button): the Play widget ticks
    assert pg.play.playing
    pg.play.playing = False  # paused with the Play widget: the toggle is released
    assert not pg.train_toggle.value
    pg.train_toggle.value = True
    pg.reset_button.click()  # reset pauses
    assert not pg.play.playing and not pg.train_toggle.value


def test_tick_interval_grows_when_frames_are_slow(pg):
    pg.frame_seconds = [0.5] * 10
    pg._adapt_interval()
    assert pg.play.interval == 650
    pg.frame_seconds = [0.02] * 10
    pg._adapt_interval()
    assert pg.play.interval == pg.min_interval == 100


def test_reset_returns_to_the_initial_parameters_and_keeps_hyperparameters(pg):
    initial = {name: array.copy() for name, array in pg.model.parameters().items()}
    pg.learning_rate.value = 0.1
    pg.play.playing = True
    pg.train(8)
    pg.reset_button.click()
    assert pg.epoch == counter(pg) == 0 and not pg.play.playing
    assert len(pg.train_loss) == 1 and pg.model.learning_rate == 0.1
    for name, array in pg.model.parameters().items():
        np.testing.assert_array_equal(array, initial[name])
    assert pg.changes == {}


def test_divergence_pauses_and_is_explained_in_words():
    pg = Playground(activation="identity", learning_rate=3.0)
    pg.play.playing = True
    pg.step()
    assert pg.diverged and not pg.play.playing and not pg.train_toggle.value
    assert "Training blew up" in pg.status.value and "learning rate (3)" in pg.status.value
    assert "NaN" in pg.status.value and "Try a smaller learning rate, e.g. 1" in pg.status.value
    assert description(pg).startswith(f"epoch {pg.epoch}: training loss ")
    assert all(np.all(np.isfinite(p)) for p in pg.model.parameters().values())
    assert np.all(np.isfinite(pg.view.probabilities))
    pg.learning_rate.value = 0.03  # lower it and go on: the message disappears
    pg.step()
    assert not pg.diverged and pg.status.value == "" and pg.epoch == 2


def test_a_growing_loss_gets_a_warning_before_it_overflows():
    pg = Playground(activation="relu", learning_rate=10.0)
    pg.train(20)
    assert not pg.diverged and pg.train_loss[-1] > 2 * min(pg.train_loss)
    assert "going the wrong way" in pg.status.value


def test_record_collects_runs_for_comparison(pg):
    pg.train(10)
    row = pg.record_button.click() or pg.runs[-1]
    proba = pg.model.predict_proba(pg.Z_val)
    assert abs(row["val_loss"] - (-np.mean(np.log(proba[np.arange(len(pg.y_val)), pg.y_val])))) < 1e-12
    assert row["val_loss"] == pg.val_loss[-1] and row["epochs_run"] == 10
    assert row["learning_rate"] == 0.03 and row["hidden_layers"] == (4, 2) and row["features"] == "x1, x2"
    pg.configure(hidden_layers=(8,), learning_rate=0.3)
    pg.train(10)
    pg.record()
    assert len(pg.runs) == 2 and pg.runs.best["trial"] == int(np.argmin(pg.runs.column("val_loss")))
    assert "(8,)" in pg.runs_view.value and "<table>" in pg.runs_view.value


# --- drawing ---------------------------------------------------------------------------------

def test_blitted_frames_look_like_full_renders(pg):
    pg.train(3)
    pg.train(2)  # a blitted frame
    assert pg.live.full_redraws >= 1
    blitted = png_pixels(pg.live.output.value)
    pg.live.figure.set_layout_engine("none")  # the same layout as the blitted frame, rendered in full
    pg.live.redraw(full=True)
    full = png_pixels(pg.live.output.value)
    assert blitted.shape == full.shape
    assert np.array_equal(blitted, full), "a blitted frame differs from a full render"


def test_loss_axes_grow_in_steps_so_most_frames_are_blitted(pg):
    full = pg.live.full_redraws
    for _ in range(20):
        pg.step()
    assert pg.live.full_redraws - full <= 3
    assert pg.ax_loss.get_xlim() == (0.0, 50.0)
    assert [nice_ceiling(v) for v in (0.7, 1.0, 1.3, 3, 7, 40, 0.012)] == [1, 1, 2, 5, 10, 50, 0.02]


def test_starting_values_the_controls_cannot_show_are_refused():
    with pytest.raises(ValueError, match="one of the playground's choices"):
        Playground(learning_rate=0.05)
    with pytest.raises(ValueError, match="0 to 6 hidden layers"):
        Playground(hidden_layers=(9,))
    with pytest.raises(ValueError, match=r"noise must be a whole number from 0 to 50 \(the range of its control\)"):
        Playground(noise=80)


@pytest.mark.parametrize("arguments, message", [
    ({"seed": -1}, r"seed must be a whole number from 0 to 1,000,000 \(the range of its control\), got -1"),
    ({"seed": 2.5}, r"seed must be a whole number from 0 to 1,000,000"),
    ({"activation": "ReLU"}, r"unknown activation 'ReLU'\. Choose one of: 'relu', 'tanh'"),
    ({"learning_rate": -1}, r"learning_rate must be one of the playground's choices 1e-05, .*; got -1"),
    ({"epochs_per_frame": 0}, r"epochs_per_frame must be a whole number from 1 to 20"),
    ({"resolution": 1}, r"resolution must be a whole number >= 2"),
    ({"interval": 0}, r"interval must be a whole number >= 1.*milliseconds"),
    ({"features": ()}, r"choose at least one input feature"),
])
def test_bad_arguments_get_a_clear_message(arguments, message):
    with pytest.raises(ValueError, match=message):
        Playground(**arguments)


def test_configure_refuses_values_the_controls_would_clamp(pg):
    with pytest.raises(ValueError, match=r"seed must be a whole number from 0 to 1,000,000"):
        pg.configure(seed=-1)
    with pytest.raises(ValueError, match=r"epochs_per_frame must be a whole number from 1 to 20 \(the range of its "
                                         r"control\), got 50"):
        pg.configure(epochs_per_frame=50)


def test_a_playground_run_is_repeated_exactly_by_fit(pg):
    pg.train(7)
    pg.train(5)
    # The playground counts the epochs itself; it never rewrites the model's hyperparameters.
    assert pg.epoch == 12 and pg.model.epochs == 1  # as the playground built it
    again = nnlib.MLP(**pg.model.get_params()).set_params(epochs=pg.epoch).fit(pg.Z_train, pg.y_train)
    for name, array in pg.model.parameters().items():
        np.testing.assert_array_equal(again.parameters()[name], array)
