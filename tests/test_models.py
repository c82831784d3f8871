"""Models learn what they should: closed forms, real accuracy, the hyperparameter/parameter split."""
import warnings

import numpy as np
import pytest

import nnlib
from nnlib import MLP, DivergenceWarning, LinearRegression, LogisticRegression, NotFittedError
from nnlib.data import make_moons, make_xor


@pytest.fixture(scope="module")
def penguins_line():
    X, y = nnlib.load_penguins()
    return nnlib.standardize(X), y


def least_squares(X, y):
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.lstsq(A, y, rcond=None)[0]


def test_gradient_descent_matches_least_squares_on_penguins(penguins_line):
    X, y = penguins_line
    model = LinearRegression(learning_rate=0.1, epochs=300).fit(X, y)
    slope, intercept = least_squares(X, y)
    assert abs(model.coef_[0] - slope) / abs(slope) < 1e-6
    assert abs(model.intercept_ - intercept) / abs(intercept) < 1e-6
    assert model.score(X, y) == pytest.approx(1 - np.mean((X[:, 0] * slope + intercept - y) ** 2) / np.var(y))


def test_mini_batch_sgd_with_momentum_gets_close_to_least_squares(penguins_line):
    X, y = penguins_line
    model = LinearRegression(learning_rate=0.01, epochs=200, batch_size=16, momentum=0.9).fit(X, y)
    slope, intercept = least_squares(X, y)
    assert model.coef_[0] == pytest.approx(slope, rel=0.05)
    assert model.intercept_ == pytest.approx(intercept, rel=0.01)


def test_l2_matches_the_ridge_closed_form(penguins_line):
    X, y = penguins_line
    l2 = 0.5
    model = LinearRegression(learning_rate=0.1, epochs=500, l2=l2).fit(X, y)
    # minimise mean((Xw + b - y)^2) + (l2/2) w^2 with centred X (mean 0): w = 2 cov(x,y) / (2 var(x) + l2)
    slope = 2 * np.mean(X[:, 0] * (y - y.mean())) / (2 * np.mean(X[:, 0] ** 2) + l2)
    assert model.coef_[0] == pytest.approx(slope, rel=1e-6)
    assert model.intercept_ == pytest.approx(y.mean(), rel=1e-6)


def test_mlp_reaches_95_percent_on_digits_with_default_hyperparameters():
    X, y = nnlib.load_digits()
    X_train, X_val, X_test, y_train, y_val, y_test = nnlib.train_val_test_split(X / 16, y, seed=0)
    model = MLP().fit(X_train, y_train, validation_data=(X_val, y_val))
    assert model.score(X_test, y_test) > 0.95
    assert model.history_.epochs == 100 and len(model.history_.val_loss) == 100
    assert model.history_.loss[-1] < model.history_.loss[0] / 5


def test_mlp_solves_xor_which_one_neuron_cannot():
    X, y = make_xor(200, noise=0.05, seed=3)
    assert LogisticRegression(learning_rate=0.5, epochs=300).fit(X, y).score(X, y) < 0.7
    assert MLP(hidden_layers=(8,), learning_rate=0.3, epochs=300).fit(X, y).score(X, y) > 0.95


def test_logistic_regression_probabilities_and_labels():
    X, y = make_moons(200, noise=0.1, seed=1)
    model = LogisticRegression(learning_rate=0.5, epochs=300).fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (200, 2) and np.allclose(proba.sum(axis=1), 1)
    z = X @ model.coef_ + model.intercept_
    assert np.allclose(proba[:, 1], 1 / (1 + np.exp(-z)))
    assert np.array_equal(model.predict(X), (z > 0).astype(int))
    assert model.score(X, y) > 0.8


def test_mlp_regression():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(300, 1))
    y = np.sin(X[:, 0])
    model = MLP(hidden_layers=(16,), task="regression", learning_rate=0.05, epochs=200, optimizer="adam")
    assert model.fit(X, y).score(X, y) > 0.98
    assert model.predict(X).shape == (300,)


def test_adam_and_schedules_train():
    X, y = make_moons(200, noise=0.1, seed=2)
    for schedule in ("step", "exponential", "cosine"):
        model = MLP(hidden_layers=(8,), optimizer="adam", learning_rate=0.05, lr_schedule=schedule, epochs=40).fit(X, y)
        assert model.score(X, y) > 0.85
        assert model.history_.learning_rate[-1] < model.history_.learning_rate[0]


def test_hyperparameters_are_stored_exactly_as_given_and_parameters_appear_after_fit():
    model = MLP(hidden_layers=[8, 4], learning_rate=0.05, seed=7)
    assert model.get_params()["hidden_layers"] == [8, 4]
    assert model.hyperparameters() == model.get_params()
    assert not hasattr(model, "weights_") and not hasattr(model, "history_")
    with pytest.raises(NotFittedError, match="call fit"):
        model.parameters()
    X, y = make_moons(60, seed=0)
    model.fit(X, y)
    shapes = {name: array.shape for name, array in model.parameters().items()}
    assert shapes == {"hidden_1.weights": (2, 8), "hidden_1.biases": (8,), "hidden_2.weights": (8, 4),
                      "hidden_2.biases": (4,), "output.weights": (4, 2), "output.biases": (2,)}
    assert model.n_parameters == 2 * 8 + 8 + 8 * 4 + 4 + 4 * 2 + 2 == nnlib.parameter_count(2, (8, 4), 2)


def test_summary_lists_layers_counts_and_hyperparameters(capsys):
    MLP(hidden_layers=(16,)).build(64, 10).summary()
    text = capsys.readouterr().out
    assert "hidden_1" in text and "64 x 16" in text and "1,040" in text  # 64*16 + 16
    assert "16 x 10" in text and "170" in text and "1,210" in text
    assert "learning_rate = 0.1" in text and "hidden_layers = (16,)" in text


def test_set_params_and_repr():
    model = MLP().set_params(learning_rate=0.01, epochs=5)
    assert repr(model) == "MLP(learning_rate=0.01, epochs=5)"
    with pytest.raises(ValueError, match="no hyperparameter 'lr'.*learning_rate"):
        model.set_params(lr=0.1)


def test_same_seed_same_parameters_bitwise_and_different_seed_differs():
    X, y = make_moons(100, seed=0)
    a = MLP(hidden_layers=(8,), epochs=5, seed=3).fit(X, y).parameters()
    b = MLP(hidden_layers=(8,), epochs=5, seed=3).fit(X, y).parameters()
    c = MLP(hidden_layers=(8,), epochs=5, seed=4).fit(X, y).parameters()
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["hidden_1.weights"], c["hidden_1.weights"])
    assert np.array_equal(make_moons(50, seed=9).X, make_moons(50, seed=9).X)


def test_partial_fit_continues_where_fit_stopped():
    X, y = make_moons(100, seed=0)
    whole = MLP(hidden_layers=(4,), epochs=6, seed=1).fit(X, y)
    resumed = MLP(hidden_layers=(4,), epochs=6, seed=1)
    resumed.partial_fit(X, y, epochs=2)
    resumed.partial_fit(X, y, epochs=4)
    assert resumed.history_.epochs == 6
    for name, array in whole.parameters().items():
        assert np.array_equal(array, resumed.parameters()[name])
    assert resumed.history_.loss == whole.history_.loss


def test_divergent_learning_rate_stops_with_a_clear_warning():
    X, y = nnlib.load_penguins()  # raw grams and millimetres: a large rate explodes
    with pytest.warns(DivergenceWarning, match=r"learning rate \(0\.01\) is probably too large.*learning_rate=0\.001"):
        model = LinearRegression(learning_rate=0.01, epochs=50).fit(X, y)
    assert model.history_.diverged and model.history_.epochs < 50
    assert np.all(np.isfinite(model.coef_)) and np.isfinite(model.intercept_)


def test_no_numpy_overflow_warnings_leak_out_when_training_diverges():
    X, y = nnlib.load_penguins()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        LinearRegression(learning_rate=1.0, epochs=50).fit(X, y)
    assert [w.category for w in caught] == [DivergenceWarning]


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


def test_callback_can_pause_training():
    X, y = make_moons(60, seed=0)
    seen = []
    model = MLP(hidden_layers=(4,), epochs=50).fit(
        X, y, callback=lambda m: seen.append(m.history_.epochs) or len(seen) < 3)
    assert seen == [1, 2, 3] and model.history_.epochs == 3


def test_float32_stays_float32():
    X, y = make_moons(100, seed=0)
    model = MLP(hidden_layers=(8,), dtype="float32", epochs=3).fit(X, y)
    assert all(array.dtype == np.float32 for array in model.parameters().values())
    assert model.predict_proba(X).dtype == np.float32


def test_zero_initialisation_keeps_hidden_units_identical():
    X, y = make_moons(100, seed=0)
    model = MLP(hidden_layers=(5,), init="zeros", epochs=20).fit(X, y)
    w = model.weights_[0]
    assert np.allclose(w, w[:, :1])  # every hidden unit learned the same thing: symmetry never breaks


def test_training_can_go_on_after_divergence_with_a_smaller_rate():
    X, y = nnlib.load_penguins()
    X = nnlib.standardize(X)
    model = LinearRegression(learning_rate=5.0, epochs=20)
    with pytest.warns(DivergenceWarning):
        model.fit(X, y)
    assert model.history_.diverged and "learning_rate=0.5" in model.history_.message
    model.set_params(learning_rate=0.1)
    model.partial_fit(X, y, epochs=200)
    assert not model.history_.diverged and model.history_.message == ""
    assert model.coef_[0] == pytest.approx(np.polyfit(X[:, 0], y, 1)[0], rel=1e-6)


# --- issue 16: divergence, schedules, shapes ----------------------------------------------------------------------


def test_divergence_leaves_parameters_no_worse_than_at_the_start_notebook_02():
    X, y = nnlib.load_penguins()
    x = nnlib.standardize(X[:, :1])  # notebook 02: flipper length standardised, body mass in grams
    with pytest.warns(DivergenceWarning, match=r"reset to their values when this call started \(the start of "
                                               r"epoch 1\)"):
        model = LinearRegression(learning_rate=1.2, epochs=60).fit(x, y)
    start = np.mean(y**2)  # the loss at the starting zeros, 1.83e7 (was 2.24e11 after the old reset)
    assert model.history_.loss[0] == pytest.approx(start)
    assert model.data_loss(x, y) <= start


def test_full_batch_divergence_keeps_the_last_epoch_whose_loss_was_below_the_first(penguins_line):
    from nnlib.losses import WeightPenalty
    from nnlib.train import train_epochs

    X, y = penguins_line
    model = LinearRegression().build(1, 1)
    Y = y.reshape(-1, 1)
    with pytest.warns(DivergenceWarning, match=r"reset to their values at the start of epoch 6, the last one whose "
                                               r"loss \(2\.1e\+06\) was no higher than at the start of this call"):
        history = train_epochs(model.network_, model.loss_, model.optimizer_, WeightPenalty(), X, Y, epochs=30,
                               batch_size=None, schedule=lambda epoch: 0.1 if epoch < 5 else 3.0, shuffle=False,
                               rng=np.random.default_rng(0), history=nnlib.History())
    assert history.diverged and history.epochs > 6  # epochs 6, 7, ... ran at the rate 3 before the blow-up
    assert model.data_loss(X, y) == pytest.approx(history.loss[5]) and history.loss[5] < history.loss[0]


def test_divergence_in_partial_fit_goes_back_to_where_that_call_started(penguins_line):
    X, y = penguins_line
    model = LinearRegression(learning_rate=0.1, batch_size=32, epochs=5).fit(X, y)
    before = model.data_loss(X, y)
    model.set_params(learning_rate=50.0)
    with pytest.warns(DivergenceWarning, match=r"when this call started \(the start of epoch 6\)"):
        model.partial_fit(X, y, epochs=5)
    assert model.data_loss(X, y) == pytest.approx(before)


def test_going_on_near_the_minimum_is_not_taken_for_a_blow_up(penguins_line):
    """Batch size 1 after 10 epochs: one penguin fits within 3 g, another is 400 g off -- an ordinary spread, not
    an explosion, though 10,000 times the call's first mini-batch loss (this stopped the batch-size explorer)."""
    X, y = penguins_line
    model = LinearRegression(learning_rate=0.05, batch_size=1, epochs=10, seed=9).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DivergenceWarning)
        for _ in range(20):
            model.partial_fit(X, y, epochs=1)
    assert not model.history_.diverged and model.history_.epochs == 30
    assert model.data_loss(X, y) < 1.1 * np.mean((X @ least_squares(X, y)[:1] + least_squares(X, y)[1] - y) ** 2)


def test_a_blow_up_while_going_on_is_measured_against_the_first_epoch(penguins_line):
    X, y = penguins_line
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


def test_constant_or_single_sample_targets_give_r2_as_scikit_learn_and_a_consistent_history():
    X = np.arange(10.0).reshape(-1, 1)
    for model, X_fit, y_fit in [(LinearRegression(epochs=5), X, np.full(10, 3.0)),
                                (LinearRegression(epochs=5), X[:1], [2.0]),
                                (MLP(task="regression", epochs=5), X[:1], [2.0])]:
        model.fit(X_fit, y_fit)
        model.partial_fit(X[:1], [4.0])
        history = model.history_
        assert len(history.loss) == len(history.score) == len(history.learning_rate) == 6
        assert all(score in (0.0, 1.0) for score in history.score)  # constant target: 1 if perfect, else 0
    perfect = LinearRegression().build(1, 1)
    assert perfect.score(X, np.zeros(10)) == 1.0 and perfect.score(X, np.ones(10)) == 0.0


def test_partial_fit_past_the_end_of_a_cosine_schedule_warns_that_the_rate_is_zero():
    X, y = make_moons(60, seed=0)
    model = MLP(hidden_layers=(4,), epochs=5, lr_schedule="cosine").fit(X, y)
    with pytest.warns(UserWarning, match=r"cosine schedule brings the learning rate to 0 at epoch 6.*"
                                         r"set_params\(epochs=7\).*lr_schedule='constant'"):
        model.partial_fit(X, y, epochs=2)
    assert model.history_.learning_rate[-2:] == [0.0, 0.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MLP(hidden_layers=(4,), epochs=5, lr_schedule="cosine").partial_fit(X, y, epochs=5)  # within the schedule


def test_logistic_regression_has_one_output_neuron_and_two_probability_columns():
    X = np.ones((4, 3))
    assert LogisticRegression().build(3, 1).predict_proba(X).shape == (4, 2)
    with pytest.raises(ValueError, match=r"LogisticRegression has one output neuron.*n_outputs=1, not 2"):
        LogisticRegression().build(3, 2)
    with pytest.raises(ValueError, match=r"n_outputs must be a whole number >= 2.*one output per class"):
        MLP().build(3, 1)


def test_regressors_have_no_predict_proba_and_say_why():
    X, y = make_moons(40, seed=0)
    for model in (LinearRegression(epochs=1).fit(X, X[:, 0]), MLP(task="regression", epochs=1).fit(X, X[:, 0])):
        assert not hasattr(model, "predict_proba")
        with pytest.raises(AttributeError, match=r"predict_proba is for classification.*Use predict"):
            model.predict_proba(X)


def test_a_multi_output_regressor_refuses_one_column_of_targets():
    X, y = make_moons(40, seed=0)
    model = MLP(task="regression", epochs=1).fit(X, np.column_stack([y, -y]))
    with pytest.raises(ValueError, match=r"y has 1 column\(s\), but the model predicts 2 output\(s\) per sample: "
                                         r"pass y with shape \(n_samples, 2\)"):
        model.score(X, y)


def test_after_a_divergence_with_momentum_a_smaller_rate_trains_normally(penguins_line):
    X, y = penguins_line
    model = MLP(task="regression", hidden_layers=(4,), learning_rate=5.0, momentum=0.9, epochs=20)
    with pytest.warns(DivergenceWarning):
        model.fit(X, y / 1000)
    start = model.data_loss(X, y / 1000)
    model.set_params(learning_rate=0.001)
    model.partial_fit(X, y / 1000, epochs=5)  # the blown-up velocity went with the blown-up parameters
    assert not model.history_.diverged and model.data_loss(X, y / 1000) < start


# --- the order of the samples, and your own optimiser ------------------------------------------------------------
def sgd_on_a_line(X, y, visits, learning_rate, slope=0.0, intercept=0.0):
    """Stochastic gradient descent on squared error, one sample at a time, in the order ``visits``."""
    for i in visits:
        error = slope * X[i, 0] + intercept - y[i]  # d/d(score) of (score - y)**2 is 2 * error
        slope, intercept = slope - learning_rate * 2 * error * X[i, 0], intercept - learning_rate * 2 * error
    return slope, intercept


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
    by_hand = sgd_on_a_line(X, y, np.concatenate(orders), 0.05)
    np.testing.assert_allclose((model.coef_[0], model.intercept_), by_hand, rtol=1e-12)
    other_order = sgd_on_a_line(X, y, np.concatenate(orders[::-1]), 0.05)
    assert abs(other_order[0] - by_hand[0]) > 1e-6, "the test can tell the orders apart"
    next_two = model.epoch_orders(12, epochs=2)
    model.partial_fit(X, y, epochs=2)
    np.testing.assert_allclose((model.coef_[0], model.intercept_),
                               sgd_on_a_line(X, y, np.concatenate(next_two), 0.05, *by_hand), rtol=1e-12)


def test_epoch_orders_without_shuffling_and_before_build():
    full_batch = LogisticRegression().build(2, 1)
    assert all(np.array_equal(order, np.arange(5)) for order in full_batch.epoch_orders(5, epochs=3))
    unshuffled = MLP(batch_size=2, shuffle=False, epochs=2).build(2, 2)
    assert [order.tolist() for order in unshuffled.epoch_orders(4)] == [[0, 1, 2, 3]] * 2
    with pytest.raises(NotFittedError, match="build"):
        MLP().epoch_orders(10)
    with pytest.raises(ValueError, match="n_samples must be a whole number"):
        unshuffled.epoch_orders(0)


def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    velocities = state.setdefault("velocity", [np.zeros_like(p) for p in params])
    for p, g, v in zip(params, grads, velocities):
        v *= momentum
        v -= learning_rate * g
        p += v


def test_a_custom_optimiser_trains_as_the_built_in_one_and_starts_fresh_each_fit():
    from nnlib.optim import Custom
    X, y = make_moons(120, noise=0.2, seed=0)
    settings = dict(hidden_layers=(8,), epochs=15, batch_size=16, lr_schedule="cosine", seed=0)
    mine = MLP(optimizer=Custom(momentum_step, momentum=0.8), **settings)
    first = mine.fit(X, y).history_.loss
    assert mine.fit(X, y).history_.loss == first, "every fit starts with an empty state"
    assert first == MLP(optimizer="sgd", momentum=0.8, **settings).fit(X, y).history_.loss
    assert mine.get_params()["optimizer"] == Custom(momentum_step, momentum=0.8) != Custom(momentum_step, momentum=0.5)
    assert mine.get_params()["optimizer"].state == {}, "the hyperparameter itself never holds training state"
    assert "optimizer=Custom(momentum_step, momentum=0.8)" in repr(mine)
    assert "Custom(momentum_step" in mine.summary_text()


def test_a_custom_optimiser_explains_what_it_needs():
    from nnlib.optim import Custom
    X, y = make_moons(40, seed=0)
    with pytest.raises(ValueError, match=r"Custom needs your step function itself.*without calling it"):
        Custom(None)  # what Custom(momentum_step(...)) passes: the result of calling the function
    def returns_new(params, grads, state, learning_rate):
        return [p - learning_rate * g for p, g in zip(params, grads)]
    with pytest.raises(ValueError, match=r"returned new arrays.*Update each array in place: p -= \.\.\."):
        MLP(hidden_layers=(3,), epochs=1, optimizer=Custom(returns_new)).fit(X, y)
    def replaces(params, grads, state, learning_rate):
        for i, (p, g) in enumerate(zip(params, grads)):
            params[i] = p - learning_rate * g
    with pytest.raises(ValueError, match="put new arrays into the list params"):
        MLP(hidden_layers=(3,), epochs=1, optimizer=Custom(replaces)).fit(X, y)
    def three_arguments(params, grads, state):
        pass
    with pytest.raises(TypeError) as error:
        MLP(hidden_layers=(3,), epochs=1, optimizer=Custom(three_arguments)).fit(X, y)
    assert "nnlib calls your step function as three_arguments(params, grads, state, learning_rate)" in \
        "\n".join(error.value.__notes__)
    with pytest.raises(ValueError, match="unknown optimizer 'momentum'. Choose one of: 'sgd', 'adam'"):
        MLP(optimizer="momentum").fit(X, y)


@pytest.mark.parametrize("answer, epochs", [(np.False_, 1), (0, 1), (False, 1), (None, 3), (True, 3)])
def test_a_callback_stops_training_by_returning_any_false_value_but_none(answer, epochs):
    model = MLP(hidden_layers=(3,), epochs=3).fit(*make_moons(30, seed=0), callback=lambda model: answer)
    assert model.history_.epochs == epochs
