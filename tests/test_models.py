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
    model = MLP(hidden_layers=(4,), epochs=50).fit(X, y, callback=lambda m: seen.append(m.history_.epochs) or len(seen) < 3)
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
