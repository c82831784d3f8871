"""nnlib/widgets/batch_runs.py: the runs the batch-size explorer draws take nnlib's own steps, recorded (RecordedRun)
or worked out from each sample's gradient map (SummedRun), on nnlib's line_gradient or a learner's."""
import numpy as np
import pytest
from reference import line_descent, minibatches, scaled

import nnlib
from nnlib.widgets.batch_runs import RecordedRun, SummedRun, sample_maps


@pytest.mark.parametrize("batch_size", [1, 32, None])
def test_recorded_run_is_nnlib_and_matches_hand_descent(penguins, batch_size):
    X, y = penguins
    x = scaled(X)
    run = RecordedRun(x.reshape(-1, 1), y, 0.05, batch_size, seed=3).extend_to(2)
    expected = line_descent(x, y, 0.05, minibatches(len(x), 2, batch_size, seed=3))
    np.testing.assert_allclose(run.path, expected, rtol=1e-9, atol=1e-8)
    # the recorded end point is the model's own state, and equals an ordinary fit with the same hyperparameters
    fitted = nnlib.LinearRegression(learning_rate=0.05, epochs=2, batch_size=batch_size, seed=3)
    fitted.fit(x.reshape(-1, 1), y)
    np.testing.assert_allclose(run.path[-1], [run.model.coef_[0], run.model.intercept_], rtol=1e-12)
    np.testing.assert_allclose(run.path[-1], [fitted.coef_[0], fitted.intercept_], rtol=1e-12)


def test_extending_a_run_equals_one_long_run(penguins):
    X, y = penguins
    x = scaled(X).reshape(-1, 1)
    step_by_step = RecordedRun(x, y, 0.05, 8, seed=1).extend_to(1).extend_to(3)
    at_once = RecordedRun(x, y, 0.05, 8, seed=1).extend_to(3)
    np.testing.assert_array_equal(step_by_step.path, at_once.path)
    assert step_by_step.epochs == 3


@pytest.mark.parametrize("batch_size, shuffle", [(1, True), (8, False), (32, True), (None, True)])
def test_summed_run_takes_the_steps_nnlib_takes(penguins, batch_size, shuffle):
    """The explorer's fast runs (each mini-batch's means, nnlib's SGD step) against nnlib's own recorded steps."""
    X, y = penguins
    x = scaled(X)
    # max_epochs=3 is only a first guess of how many epochs' orders to draw: going past it draws nnlib's next ones
    summed = SummedRun(x, y, 0.05, batch_size, seed=2, shuffle=shuffle, max_epochs=3).extend_to(2).extend_to(5)
    recorded = RecordedRun(x.reshape(-1, 1), y, 0.05, batch_size, seed=2, shuffle=shuffle, max_epochs=8).extend_to(5)
    assert summed.path.shape == recorded.path.shape and summed.epochs == 5 and not summed.diverged
    np.testing.assert_allclose(summed.path, recorded.path, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(summed.path[-1], [summed.model.coef_[0], summed.model.intercept_], rtol=1e-12)
    assert summed.model.history_.epochs == 5 and summed.model.batch_size == batch_size
    # what nnlib judges a later call's blow-ups against (train_epochs): the first epoch's mean loss
    assert summed.first_epoch_loss == pytest.approx(recorded.model.history_.loss[0], rel=1e-9)


def test_a_summed_run_that_blows_up_is_handed_to_nnlib(penguins):
    X, y = penguins
    X = X[:40].copy()
    X[0, 0] = 400  # one flipper 6 SD out: a step on that penguin alone overshoots at a learning rate of 0.3
    x = scaled(X)
    summed = SummedRun(x, y[:40], 0.3, batch_size=1, max_epochs=10).extend_to(5)
    recorded = RecordedRun(x.reshape(-1, 1), y[:40], 0.3, batch_size=1, max_epochs=10).extend_to(5)
    assert summed.diverged and recorded.diverged and summed.model is summed._handed_over.model
    np.testing.assert_array_equal(summed.path, recorded.path)


def test_sample_maps_from_a_gradient_written_for_one_data_set_are_nnlibs(penguins):
    X, y = penguins
    x = scaled(X)

    def plain(x, y, slope, intercept):  # a learner's line_gradient: one data set (n,) at a time
        error = slope * x + intercept - y
        return 2 * np.mean(error * x), 2 * np.mean(error)
    np.testing.assert_allclose(sample_maps(x, y, plain), sample_maps(x, y), rtol=1e-12, atol=1e-9)
