"""The training monitor follows fit(): curves equal the history, bar and status (its description line) track the
epochs, in words."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from test_widgets_lifecycle import description  # noqa: E402

import nnlib  # noqa: E402
from nnlib.datasets import make_moons  # noqa: E402
from nnlib.plots import CURVE_STYLE  # noqa: E402
from nnlib.widgets.training_monitor import TrainingMonitor  # noqa: E402


@pytest.fixture(scope="module")
def data():
    X, y = make_moons(n_samples=200, noise=0.2, seed=0)
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X, y, seed=0)
    return X_train, y_train, X_val, y_val


def test_curves_bar_and_status_follow_training(data):
    X_train, y_train, X_val, y_val = data
    model = nnlib.MLP(hidden_layers=(8,), learning_rate=0.3, epochs=12, seed=0)
    monitor = TrainingMonitor(every=5)
    model.fit(X_train, y_train, validation_data=(X_val, y_val), callback=monitor)
    history = model.history_
    assert history.epochs == 12, "the monitor must never stop training"
    assert monitor.live.redraws == 3, "redraws after epochs 5, 10 and the last one, 12"
    for name, line in monitor.lines.items():
        assert np.array_equal(line.get_ydata(), getattr(history, name))
        assert np.array_equal(line.get_xdata(), np.arange(1, 13))
    assert (monitor.progress.value, monitor.progress.max, monitor.progress.bar_style) == (12, 12, "success")
    status = description(monitor)
    best = int(np.argmin(history.val_loss))
    assert status.startswith(f"epoch 12 of 12: training loss {history.loss[-1]:.4f}, validation loss "
                             f"{history.val_loss[-1]:.4f} (lowest {history.val_loss[best]:.4f} at epoch {best + 1}), "
                             f"validation accuracy {100 * history.val_score[-1]:.1f} %; ")
    low, high = monitor.live.axes[0].get_ylim()
    assert low <= min(history.loss + history.val_loss) and high >= max(history.loss + history.val_loss)
    assert monitor.live.axes[0].get_ylabel() == "loss (cross-entropy)"
    assert monitor.live.axes[1].get_title() == "Accuracy (higher is better)"


def test_a_new_fit_clears_the_curves_and_works_without_validation(data):
    X_train, y_train, X_val, y_val = data
    monitor = TrainingMonitor(every=2)
    nnlib.MLP(hidden_layers=(4,), epochs=6, seed=0).fit(X_train, y_train, validation_data=(X_val, y_val),
                                                        callback=monitor)
    model = nnlib.MLP(hidden_layers=(4,), epochs=3, seed=1).fit(X_train, y_train, callback=monitor)
    assert len(monitor.lines["loss"].get_ydata()) == 3 and len(monitor.lines["val_loss"].get_ydata()) == 0
    assert monitor.progress.max == 3 and monitor.epochs_seen == 3
    status, losses = description(monitor), model.history_.loss
    assert "validation" not in status
    assert f"(lowest {min(losses):.4f} at epoch {int(np.argmin(losses)) + 1})" in status
    assert f"training accuracy {100 * model.history_.score[-1]:.1f} %" in status


def test_regression_models_get_r2_labels(data):
    X_train, y_train, _, _ = data
    monitor = TrainingMonitor(every=1)
    nnlib.LinearRegression(epochs=3).fit(X_train, X_train[:, 0] * 2.0, callback=monitor)
    assert monitor.live.axes[0].get_ylabel() == "loss (mean squared error)"
    assert "training R² " in description(monitor)


def test_partial_fit_counts_towards_a_given_total_and_update_draws_now(data):
    X_train, y_train, X_val, y_val = data
    monitor = TrainingMonitor(every=100, epochs=10)
    model = nnlib.MLP(hidden_layers=(4,), epochs=1, seed=0)
    model.partial_fit(X_train, y_train, epochs=4, validation_data=(X_val, y_val), callback=monitor)
    assert (monitor.progress.value, monitor.progress.max, monitor.live.redraws) == (4, 10, 0)
    monitor.update(model)
    assert monitor.live.redraws == 1 and len(monitor.lines["val_score"].get_ydata()) == 4


def test_monitoring_costs_little_when_redraws_are_spaced(data):
    X_train, y_train, X_val, y_val = data
    model = nnlib.MLP(hidden_layers=(8,), epochs=40, seed=0)
    monitor = TrainingMonitor(every=10)
    model.fit(X_train, y_train, validation_data=(X_val, y_val), callback=monitor)
    assert monitor.live.redraws == 4


def test_learner_errors_are_clear():
    with pytest.raises(ValueError, match="every must be a whole number >= 1"):
        TrainingMonitor(every=0)
    with pytest.raises(ValueError, match="epochs must be a whole number"):
        TrainingMonitor(epochs=2.5)
    with pytest.raises(TypeError, match=r"title must be a string \(text shown above the curves\), got None"):
        TrainingMonitor(title=None)


def test_logistic_regression_gets_accuracy_and_cross_entropy_labels(data):
    X_train, y_train, X_val, y_val = data
    monitor = TrainingMonitor(every=1)
    model = nnlib.LogisticRegression(epochs=3).fit(X_train, y_train, validation_data=(X_val, y_val), callback=monitor)
    assert monitor.live.axes[0].get_ylabel() == "loss (cross-entropy)"
    assert monitor.live.axes[1].get_title() == "Accuracy (higher is better)"
    assert f"validation accuracy {100 * model.history_.val_score[-1]:.1f} %" in description(monitor)


def diverging_fit(monitor, in_first_epoch=False):
    """A LinearRegression on a standardised feature that blows up. Full batch, learning rate 1.5: each step doubles
    the error (|1 - 2 x 1.5| = 2), the loss grows 4-fold per epoch and explodes in epoch 8. One-sample steps of
    learning rate 1e6 (in_first_epoch): it explodes at the second step."""
    x = np.linspace(-1.0, 1.0, 40)
    X = ((x - x.mean()) / x.std()).reshape(-1, 1)
    model = nnlib.LinearRegression(learning_rate=1e6, epochs=20, batch_size=1) if in_first_epoch else \
        nnlib.LinearRegression(learning_rate=1.5, epochs=20)
    with pytest.warns(nnlib.DivergenceWarning):
        model.fit(X, 3 * X[:, 0] + 1, callback=monitor)
    assert model.history_.diverged and model.history_.epochs == (0 if in_first_epoch else 7)
    return model


def test_a_diverged_fit_shows_the_stop_and_nnlibs_message():
    monitor = TrainingMonitor(every=100)
    model = diverging_fit(monitor)
    assert monitor.progress.bar_style == "danger" and monitor.progress.value == 7, "7 epochs finished"
    assert description(monitor) == f"stopped: {model.history_.message}"
    assert description(monitor).startswith("stopped: Training diverged in epoch 8, mini-batch 1")
    assert "learning_rate=0.15" in description(monitor), "the message says what to try"
    assert np.array_equal(monitor.lines["loss"].get_ydata(), model.history_.loss)
    monitor(model)  # a callback after the blow-up (were fit to make one) shows the same
    assert description(monitor).startswith("stopped: ") and monitor.progress.bar_style == "danger"


def test_a_fit_that_diverged_in_its_first_epoch_shows_it_too():
    monitor = TrainingMonitor()
    diverging_fit(monitor, in_first_epoch=True)
    assert description(monitor).startswith("stopped: Training diverged in epoch 1, mini-batch 2")
    assert (monitor.progress.value, monitor.progress.bar_style) == (0, "danger")


def test_an_early_stop_draws_every_epoch_trained(data):
    """With patience, fit stops without a callback for its last epoch; on_train_end draws it."""
    X_train, y_train, X_val, y_val = data
    monitor = TrainingMonitor(every=1000)
    model = nnlib.MLP(hidden_layers=(8,), epochs=500, learning_rate=0.5, patience=3, seed=0)
    model.fit(X_train, y_train, validation_data=(X_val, y_val), callback=monitor)
    assert model.history_.epochs < 500, "early stopping must have stopped this fit for the test to mean anything"
    assert len(monitor.lines["val_loss"].get_ydata()) == model.history_.epochs and monitor.live.redraws == 1


def test_waiting_says_so_and_training_and_validation_differ_by_more_than_colour():
    monitor = TrainingMonitor()
    assert description(monitor) == "Waiting for training to start: the curves are empty."
    for name, kind in (("loss", "training"), ("val_loss", "validation"), ("score", "training"),
                       ("val_score", "validation")):
        line = monitor.lines[name]
        assert (line.get_color(), line.get_linestyle()) == (CURVE_STYLE[kind]["color"], "-" if kind == "training"
                                                            else "--")
    assert monitor.lines["loss"].get_linestyle() != monitor.lines["val_loss"].get_linestyle()
