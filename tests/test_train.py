"""nnlib/train.py: the training loop's behaviour -- divergence (stopping, what is kept, the warning, going on
after it), early stopping, callbacks, and the order in which epochs visit the samples."""
import warnings

import numpy as np
import pytest
from reference import least_squares, line_descent

import nnlib
from nnlib import MLP, DivergenceWarning, LinearRegression, LogisticRegression, NotFittedError
from nnlib.datasets import make_moons
from nnlib.exercises.nb09b import STOPPING_CASES, early_stopping_reference
from nnlib.losses import WeightPenalty
from nnlib.train import Plan, early_stopping, train_epochs


# --- divergence: stop, keep parameters no worse than at the start, say why, go on after it ----------------------------
def test_divergent_learning_rate_stops_with_a_clear_warning(penguins):
    X, y = penguins  # raw grams and millimetres: a large rate explodes
    with pytest.warns(DivergenceWarning, match=r"learning rate \(0\.01\) is probably too large.*learning_rate=0\.001"):
        model = LinearRegression(learning_rate=0.01, epochs=50).fit(X, y)
    assert model.history_.diverged and model.history_.epochs < 50
    assert np.all(np.isfinite(model.coef_)) and np.isfinite(model.intercept_)


def test_no_numpy_overflow_warnings_leak_out_when_training_diverges(penguins):
    X, y = penguins
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LinearRegression(learning_rate=1.0, epochs=50).fit(X, y)
    assert [w.category for w in caught] == [DivergenceWarning]


def test_training_can_go_on_after_divergence_with_a_smaller_rate(penguins_standardised):
    X, y = penguins_standardised
    model = LinearRegression(learning_rate=5.0, epochs=20)
    with pytest.warns(DivergenceWarning):
        model.fit(X, y)
    assert model.history_.diverged and "learning_rate=0.5" in model.history_.message
    model.set_params(learning_rate=0.1)
    model.partial_fit(X, y, epochs=200)
    assert not model.history_.diverged and model.history_.message == ""
    assert model.coef_[0] == pytest.approx(np.polyfit(X[:, 0], y, 1)[0], rel=1e-6)


def test_divergence_leaves_parameters_no_worse_than_at_the_start_notebook_02(penguins):
    X, y = penguins
    x = nnlib.standardize(X[:, :1])  # notebook 02: flipper length standardised, body mass in grams
    with pytest.warns(DivergenceWarning, match=r"reset to their values when this call started \(the start of "
                                               r"epoch 1\)"):
        model = LinearRegression(learning_rate=1.2, epochs=60).fit(x, y)
    start = np.mean(y**2)  # the loss at the starting zeros, 1.83e7 (was 2.24e11 after the old reset)
    assert model.history_.loss[0] == pytest.approx(start)
    assert model.data_loss(x, y) <= start


def test_full_batch_divergence_keeps_the_last_epoch_whose_loss_was_below_the_first(penguins_standardised):
    X, y = penguins_standardised
    model = LinearRegression().build(1, 1)
    Y = y.reshape(-1, 1)
    with pytest.warns(DivergenceWarning, match=r"reset to their values at the start of epoch 6, the last one whose "
                                               r"loss \(2\.1e\+06\) was no higher than at the start of this call"):
        plan = Plan(epochs=30, batch_size=None, learning_rate=0.1, rng=np.random.default_rng(0), shuffle=False,
                    lr_schedule=lambda epoch, learning_rate, epochs: learning_rate if epoch < 5 else 3.0)
        history = train_epochs(model.network_, model.loss_, model.optimizer_, WeightPenalty(), (X, Y, None), plan,
                               nnlib.History())
    assert history.diverged and history.epochs > 6  # epochs 6, 7, ... ran at the rate 3 before the blow-up
    assert model.data_loss(X, y) == pytest.approx(history.loss[5]) and history.loss[5] < history.loss[0]


def test_divergence_in_partial_fit_goes_back_to_where_that_call_started(penguins_standardised):
    X, y = penguins_standardised
    model = LinearRegression(learning_rate=0.1, batch_size=32, epochs=5).fit(X, y)
    before = model.data_loss(X, y)
    model.set_params(learning_rate=50.0)
    with pytest.warns(DivergenceWarning, match=r"when this call started \(the start of epoch 6\)"):
        model.partial_fit(X, y, epochs=5)
    assert model.data_loss(X, y) == pytest.approx(before)


def test_going_on_near_the_minimum_is_not_taken_for_a_blow_up(penguins_standardised):
    """Batch size 1 after 10 epochs: one penguin fits within 3 g, another is 400 g off -- an ordinary spread, not
    an explosion, though 10,000 times the call's first mini-batch loss (this stopped the batch-size explorer)."""
    X, y = penguins_standardised
    model = LinearRegression(learning_rate=0.05, batch_size=1, epochs=10, seed=9).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)
        for _ in range(20):
            model.partial_fit(X, y, epochs=1)
    assert not model.history_.diverged and model.history_.epochs == 30
    assert model.data_loss(X, y) < 1.1 * np.mean((X @ least_squares(X, y)[:1] + least_squares(X, y)[1] - y) ** 2)


def test_a_blow_up_while_going_on_is_measured_against_the_first_epoch(penguins_standardised):
    X, y = penguins_standardised
    model = LinearRegression(learning_rate=0.05, batch_size=1, epochs=5).fit(X, y)
    model.set_params(learning_rate=3.0)
    with pytest.warns(DivergenceWarning, match=r"the loss exploded to \S+, over 10,000 times its first epoch's mean "
                                               r"\(\S+\)\. The learning rate \(3\) is probably too large"):
        model.partial_fit(X, y, epochs=3)
    assert model.history_.diverged


def test_a_huge_l2_is_named_as_the_cause_of_divergence():
    X, y = make_moons(100, seed=0)
    with pytest.warns(DivergenceWarning, match=r"L2 penalty is probably the cause: l2 \* learning_rate = 10 >= 1.*"
                                               r"l2=1\b") as caught:
        MLP(l2=100, epochs=20).fit(X, y)
    assert "learning rate (0.1) is probably too large" not in str(caught[0].message)


def test_no_numpy_warnings_leak_out_for_features_scaled_by_1e300():
    X, y = make_moons(60, seed=0)
    for model in (LinearRegression(), LogisticRegression(), MLP(epochs=3), MLP(task="regression", epochs=3)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(X * 1e300, y, validation_data=(X * 1e300, y))
        assert {w.category for w in caught} <= {DivergenceWarning}, [str(w.message) for w in caught]


def test_after_a_divergence_with_momentum_a_smaller_rate_trains_normally(penguins_standardised):
    X, y = penguins_standardised
    model = MLP(task="regression", hidden_layers=(4,), learning_rate=5.0, momentum=0.9, epochs=20)
    with pytest.warns(DivergenceWarning):
        model.fit(X, y / 1000)
    start = model.data_loss(X, y / 1000)
    model.set_params(learning_rate=0.001)
    model.partial_fit(X, y / 1000, epochs=5)  # the blown-up velocity went with the blown-up parameters
    assert not model.history_.diverged and model.data_loss(X, y / 1000) < start


# --- early stopping and callbacks -------------------------------------------------------------------------------------
def test_early_stopping_restores_the_best_validation_epoch():
    X, y = nnlib.load_digits()
    X_train, X_val, _, y_train, y_val, _ = nnlib.train_val_test_split(X / 16, y, seed=1)
    model = MLP(hidden_layers=(64,), learning_rate=0.5, epochs=200, patience=3, seed=0)
    model.fit(X_train[:300], y_train[:300], validation_data=(X_val, y_val))
    history = model.history_
    assert history.epochs < 200
    assert history.epochs - 1 - history.best_epoch == 3
    best = history.val_loss[history.best_epoch]
    assert min(history.val_loss) == best
    val_scores = model.network_.forward(X_val)
    assert model.loss_.value(val_scores, y_val) == pytest.approx(best, rel=1e-12)


@pytest.mark.parametrize("val_losses, patience", STOPPING_CASES)
def test_the_early_stopping_rule_stops_where_notebook_09s_reference_does(val_losses, patience):
    """Asked after every epoch, as train_epochs asks it: the first stop and the best epoch then are the reference's."""
    answers = [early_stopping(val_losses[:epoch + 1], patience) for epoch in range(len(val_losses))]
    stopped = next(epoch for epoch, (_, stop) in enumerate(answers) if stop)
    assert (stopped + 1, answers[stopped][0]) == early_stopping_reference(val_losses, patience)


def test_the_early_stopping_rule_keeps_the_earlier_of_equal_losses_never_a_nan_and_waits_forever_without_patience():
    assert early_stopping([0.5, 0.4, 0.4, 0.45], patience=2) == (1, True)
    assert early_stopping([0.5, float("nan"), 0.45], patience=5) == (2, False)
    assert early_stopping([0.1] + [0.2] * 50, patience=None) == (0, False)


def test_callback_can_pause_training():
    X, y = make_moons(60, seed=0)
    seen = []
    model = MLP(hidden_layers=(4,), epochs=50).fit(
        X, y, callback=lambda m: seen.append(m.history_.epochs) or len(seen) < 3)
    assert seen == [1, 2, 3] and model.history_.epochs == 3


@pytest.mark.parametrize("answer, epochs", [(np.False_, 1), (0, 1), (False, 1), (None, 3), (True, 3)])
def test_a_callback_stops_training_by_returning_any_false_value_but_none(answer, epochs):
    model = MLP(hidden_layers=(3,), epochs=3).fit(*make_moons(30, seed=0), callback=lambda model: answer)
    assert model.history_.epochs == epochs



# --- the order in which epochs visit the samples ----------------------------------------------------------------------
def test_epoch_orders_are_the_orders_fit_visits_the_samples_in():
    """SGD with batch_size=1 depends on the order: by hand, in the orders epoch_orders reports, it lands where fit
    does (and in another order elsewhere) -- for fit on a model just built, and for partial_fit after it."""
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(12, 1)), rng.normal(size=12)
    model = LinearRegression(learning_rate=0.05, epochs=4, batch_size=1, seed=7).build(n_features=1, n_outputs=1)
    orders = model.epoch_orders(n_samples=12)
    assert all(np.array_equal(a, b) for a, b in zip(model.epoch_orders(12), orders)), "nothing is used up"
    assert len(orders) == 4 and not np.array_equal(orders[0], orders[1])
    model.fit(X, y)

    def visiting(orders, start=(0.0, 0.0)):  # one step per sample, in these orders: the end point (slope, intercept)
        return line_descent(X[:, 0], y, 0.05, np.concatenate(orders)[:, None], start=start)[-1]
    by_hand = visiting(orders)
    np.testing.assert_allclose((model.coef_[0], model.intercept_), by_hand, rtol=1e-12)
    other_order = visiting(orders[::-1])
    assert abs(other_order[0] - by_hand[0]) > 1e-6, "the test can tell the orders apart"
    next_two = model.epoch_orders(12, epochs=2)
    model.partial_fit(X, y, epochs=2)
    np.testing.assert_allclose((model.coef_[0], model.intercept_),
                               visiting(next_two, start=by_hand), rtol=1e-12)


def test_epoch_orders_without_shuffling_and_before_build():
    full_batch = LogisticRegression().build(2, 1)
    assert all(np.array_equal(order, np.arange(5)) for order in full_batch.epoch_orders(5, epochs=3))
    unshuffled = MLP(batch_size=2, shuffle=False, epochs=2).build(2, 2)
    assert [order.tolist() for order in unshuffled.epoch_orders(4)] == [[0, 1, 2, 3]] * 2
    with pytest.raises(NotFittedError, match="build"):
        MLP().epoch_orders(10)
    with pytest.raises(ValueError, match="n_samples must be a whole number"):
        unshuffled.epoch_orders(0)
