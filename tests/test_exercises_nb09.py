"""Notebook 09's exercises and its optimiser explorer: solutions pass, typical mistakes get specific
feedback, and the numbers the notebook states are nnlib's own."""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb09
from nnlib.optim import SGD, Adam
from nnlib.plots.descent import least_squares_line, line_loss
from nnlib.widgets.descent import ADAM, SGD_MOMENTUM, OptimizerExplorer, optimizer_path
from exercise_code import run


@pytest.mark.parametrize("exercise", [nb09.q1, nb09.q2, nb09.q3])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    solved = run(exercise.solution_code)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!")
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


def test_09_1_boost_is_where_nnlibs_velocity_settles():
    """A constant gradient: nnlib's SGD velocity tends to learning_rate * g / (1 - momentum)."""
    for momentum, boost in [(0.9, 10), (0.998, 500)]:
        optimizer, theta = SGD(momentum), np.zeros(1)
        for _ in range(20000):
            optimizer.step([theta], [np.ones(1)], 1e-3)
        assert abs(-optimizer.velocities[0][0] / 1e-3 - boost) < 1e-3 * boost
    assert nb09.q1.feedback(10, 500)[0] == "correct"


@pytest.mark.parametrize("answers, expected", [
    ((9, 499), "mu / (1 - mu)"),
    ((0.1, 0.002), "that is 1 - mu"),
    ((10, 100), "boost_09 is right"),
    (("10", 500), "one number"),
])
def test_09_1_recognises_momentum_mistakes(answers, expected):
    status, message = nb09.q1.feedback(*answers)
    assert status == "wrong" and expected in message


def test_09_2_rule_is_nnlibs_early_stopping():
    """early_stop() reproduces where nnlib's fit stopped and which epoch it restored, on real runs."""
    X, y = nnlib.data.make_moons(200, noise=0.3, seed=0)
    X_train, X_val, y_train, y_val = X[:140], X[140:], y[:140], y[140:]
    for patience in (2, 5, 10):
        model = nnlib.MLP(hidden_layers=(32, 32), learning_rate=0.3, momentum=0.9, epochs=300, batch_size=32,
                          patience=patience, seed=0).fit(X_train, y_train, validation_data=(X_val, y_val))
        history = model.history_
        assert history.epochs < 300, "the run must really stop early for this test to mean something"
        assert nb09.early_stop(history.val_loss, patience) == (history.epochs, history.best_epoch)


@pytest.mark.parametrize("answers, expected", [
    ((10, 9), "never gets to"),
    ((8, 7), "not those of the last epoch"),
    ((7, 4), "that is 8 epochs trained"),
    ((6, 2), "0.44 at epoch 4 is lower"),
    ((8, 5), "count epochs from 0"),
    ((8, 9), "never run"),
    ((8.0, 4), "whole number"),
])
def test_09_2_recognises_early_stopping_mistakes(answers, expected):
    status, message = nb09.q2.feedback(*answers)
    assert status == "wrong" and expected in message


def test_09_3_says_why_patience_and_the_optimiser_are_chosen():
    kinds = run(nb09.q3.solution_code)["kinds"]
    status, message = nb09.q3.feedback(dict(kinds, patience="parameter", optimizer="parameter"))
    assert status == "wrong" and message.startswith("2 of 6 wrong")
    assert "compared on the validation set" in message and "*how* to learn" in message




@pytest.fixture(scope="module")
def penguins():
    X, y = nnlib.load_penguins()
    return X[:, 0], y


def hand_momentum(x, y, learning_rate, momentum, epochs):
    """Independent heavy-ball gradient descent on the line's mean squared error, from (0, 0)."""
    w = b = vw = vb = 0.0
    for _ in range(epochs):
        error = w * x + b - y
        vw, vb = momentum * vw - learning_rate * 2 * np.mean(error * x), momentum * vb - learning_rate * 2 * np.mean(error)
        w, b = w + vw, b + vb
    return w, b


def test_optimizer_path_is_momentum_descent_on_the_line(penguins):
    x, y = penguins
    path = optimizer_path(x, y, SGD(0.9), 2e-5, 300)
    assert path.shape == (301, 2) and np.array_equal(path[0], [0, 0])
    np.testing.assert_allclose(path[-1], hand_momentum(x, y, 2e-5, 0.9, 300), rtol=1e-9)


def test_optimizer_path_stops_at_divergence(penguins):
    x, y = penguins
    path = optimizer_path(x, y, SGD(0.0), 1e-4, 5000)  # 4x beyond plain gradient descent's stable rate
    assert len(path) < 100 and np.abs(path[-1]).max() >= 1e9


def test_the_notebooks_claims_hold(penguins):
    """Notebook 09 section 1: plain gradient descent stays > 100 % above the minimum after 5000 epochs,
    momentum 0.998 gets below 50 % and 100x further along the floor, Adam within 0.2 %."""
    x, y = penguins
    minimum = line_loss(x, y, *least_squares_line(x, y))
    plain, heavy, adam = (optimizer_path(x, y, opt, rate, 5000)
                          for opt, rate in [(SGD(0.0), 2e-5), (SGD(0.998), 2e-5), (Adam(), 30.0)])
    above = [line_loss(x, y, *path[-1]) / minimum - 1 for path in (plain, heavy, adam)]
    assert above[0] > 1.0 and above[1] < 0.5 and above[2] < 0.002
    assert heavy[-1, 1] < 100 * plain[-1, 1] < 0


def test_explorer_epochs_slider_shows_a_prefix_without_recomputing(penguins):
    X, y = nnlib.load_penguins()
    explorer = OptimizerExplorer(X, y, momentum=0.99, learning_rate=2e-5, epochs=1000)
    full = explorer.full_path
    explorer.epochs.value = 300
    assert explorer.full_path is full and len(explorer.path) == 301
    np.testing.assert_array_equal(explorer.path_line.get_data()[0], full[:301, 0])
    explorer.momentum.value = 0.9
    assert explorer.full_path is not full
    np.testing.assert_allclose(explorer.path[-1], hand_momentum(X[:, 0], y, 2e-5, 0.9, 300), rtol=1e-9)


def test_explorer_keeps_a_learning_rate_per_optimiser(penguins):
    X, y = nnlib.load_penguins()
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
    X, y = nnlib.load_penguins()
    explorer = OptimizerExplorer(X, y, momentum=0.0, learning_rate=1e-4, epochs=500)
    assert explorer.diverged and "diverged" in explorer.status.value and "lower the learning rate" in explorer.status.value


@pytest.mark.parametrize("kwargs, message", [
    (dict(optimizer="adam"), "optimizer must be"),
    (dict(momentum=0.97), "momentum must be one of"),
    (dict(learning_rate=1.0), "learning_rate for SGD \\+ momentum must be between"),
    (dict(epochs=0), "epochs must be between 1"),
])
def test_explorer_refuses_bad_arguments(penguins, kwargs, message):
    X, y = nnlib.load_penguins()
    with pytest.raises(ValueError, match=message):
        OptimizerExplorer(X, y, **kwargs)
