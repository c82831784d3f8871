"""nnlib/models.py: models learn what they should (closed forms, real accuracy) and keep the hyperparameter/parameter
split -- hyperparameters in as given, parameters out after fit; fit, partial_fit, predict, summary, repr, set_params.

The training loop itself is guarded by test_train.py, the optimisers by test_optim.py, bad input by
test_input_checks.py, scikit-learn's tools by test_sklearn_compat.py."""
import re
import warnings

import numpy as np
import pytest
from reference import least_squares

import nnlib
from nnlib import MLP, LinearRegression, LogisticRegression, NotFittedError
from nnlib.datasets import make_moons, make_xor


def test_gradient_descent_matches_least_squares_on_penguins(penguins_standardised):
    X, y = penguins_standardised
    model = LinearRegression(learning_rate=0.1, epochs=300).fit(X, y)
    slope, intercept = least_squares(X, y)
    assert abs(model.coef_[0] - slope) / abs(slope) < 1e-6
    assert abs(model.intercept_ - intercept) / abs(intercept) < 1e-6
    assert model.score(X, y) == pytest.approx(1 - np.mean((X[:, 0] * slope + intercept - y) ** 2) / np.var(y))


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


def test_float32_stays_float32():
    X, y = make_moons(100, seed=0)
    model = MLP(hidden_layers=(8,), dtype="float32", epochs=3).fit(X, y)
    assert all(array.dtype == np.float32 for array in model.parameters().values())
    assert model.predict_proba(X).dtype == np.float32


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


def test_regressors_have_no_predict_proba_and_say_why():
    X, y = make_moons(40, seed=0)
    for model in (LinearRegression(epochs=1).fit(X, X[:, 0]), MLP(task="regression", epochs=1).fit(X, X[:, 0])):
        assert not hasattr(model, "predict_proba")
        with pytest.raises(AttributeError, match=r"predict_proba is for classification.*Use predict"):
            model.predict_proba(X)


@pytest.mark.parametrize("change", [dict(hidden_layers=(8,)), dict(activation="relu"), dict(task="regression"),
                                    dict(dtype="float32"), dict(init="he"), dict(seed=3), dict(optimizer="adam"),
                                    dict(momentum=0.9)])
def test_partial_fit_refuses_what_build_used_if_it_changed(change):
    X, y = make_moons(80, seed=0)
    model = MLP(hidden_layers=(4,), epochs=1).fit(X, y)
    before = {name: array.copy() for name, array in model.parameters().items()}
    (name, value), = change.items()
    built = model.get_params()[name]
    model.set_params(**change)
    with pytest.raises(ValueError) as error:
        model.partial_fit(X, y)
    assert str(error.value) == ("partial_fit goes on training the network and optimiser that fit built, and since "
                                f"then {name} is {value!r} now but was {built!r}. Call fit(X, y) to build and train a "
                                "new one with these values.")
    assert all(np.array_equal(model.parameters()[n], a) for n, a in before.items()), "nothing was trained"


def test_a_callback_that_is_not_a_function_is_refused_before_training():
    X, y = make_moons(40, seed=0)
    model = MLP(hidden_layers=(3,), epochs=2).fit(X, y)
    with pytest.raises(ValueError, match=r"^callback must be a function, which fit calls with the model after each "
                                         r"epoch.*got 5\.$"):
        model.partial_fit(X, y, callback=5)
    assert model.history_.epochs == 2, "no epoch ran"
    with pytest.raises(ValueError, match=r"^callback must be a function"):
        MLP(epochs=1).fit(X, y, callback=5)


# --- dropout, batch normalisation and weight decay (notebook 09c) ---------------------------------------------------
def test_dropout_changes_training_not_prediction_and_the_same_seed_gives_the_same_numbers():
    X, y = make_moons(200, noise=0.2, seed=0)
    plain = MLP(hidden_layers=(16,), epochs=5).fit(X, y)
    dropped = MLP(hidden_layers=(16,), epochs=5, dropout=0.5).fit(X, y)
    again = MLP(hidden_layers=(16,), epochs=5, dropout=0.5).fit(X, y)
    assert not np.allclose(plain.weights_[0], dropped.weights_[0])  # the masks changed what was learned
    assert np.array_equal(dropped.weights_[0], again.weights_[0])  # drawn from the seed's generator
    assert np.array_equal(dropped.predict_proba(X), dropped.predict_proba(X))  # no mask in prediction
    assert repr(dropped.network_) == "Dense(2 -> 16) -> Tanh() -> Dropout(0.5) -> Dense(16 -> 2)"


def test_batch_norm_adds_gamma_and_beta_as_parameters_and_running_statistics_that_are_not():
    X, y = make_moons(200, noise=0.2, seed=0)
    model = MLP(hidden_layers=(8, 4), epochs=3, batch_norm=True).fit(X, y)
    assert list(model.parameters()) == ["hidden_1.weights", "hidden_1.biases", "hidden_2.weights", "hidden_2.biases",
                                        "output.weights", "output.biases", "hidden_1.gamma", "hidden_1.beta",
                                        "hidden_2.gamma", "hidden_2.beta"]
    assert list(model.statistics()) == ["hidden_1.running_mean", "hidden_1.running_var", "hidden_2.running_mean",
                                        "hidden_2.running_var"]
    assert model.n_parameters == nnlib.parameter_count(2, (8, 4), 2, batch_norm=True) == 2 * 8 + 8 + 8 * 4 + 4 + 4 * 2 \
        + 2 + 2 * (8 + 4)
    assert not np.allclose(model.statistics()["hidden_1.running_mean"], 0)  # followed the training batches
    assert np.allclose(model.predict_proba(X[:1]), model.predict_proba(X)[:1])  # a prediction needs no batch
    assert MLP().fit(X, y).statistics() == {}


def test_a_batch_normalised_network_trained_in_float32_stays_float32():
    X, y = make_moons(100, seed=0)
    model = MLP(hidden_layers=(8,), epochs=2, batch_norm=True, dtype="float32").fit(X, y)
    assert {a.dtype for a in [*model.parameters().values(), *model.statistics().values()]} == {np.dtype("float32")}


def test_network_gradients_in_training_mode_match_finite_differences_with_the_dropout_mask_fixed():
    from nnlib.gradcheck import numerical_gradient, relative_error
    X, y = make_moons(12, noise=0.2, seed=1)
    model = MLP(hidden_layers=(5, 4), activation="tanh", batch_norm=True, dropout=0.3).build(2, 2)
    network, loss = model.network_, model.loss_

    def scores():
        for layer in network.layers:
            layer.rng = np.random.default_rng(7)  # the same masks on every pass
        return network.forward(X, training=True)

    network.backward(loss.value_and_gradient(scores(), y)[1])
    analytic = {name: g.copy() for name, g in network.gradients().items()}
    numerical = {name: numerical_gradient(lambda: loss.value(scores(), y), p)
                 for name, p in network.parameters().items()}
    # a hidden Dense layer's biases have no effect before batch normalisation subtracts the batch's mean: gradient 0
    for name in ("hidden_1.biases", "hidden_2.biases"):
        assert np.abs(analytic.pop(name)).max() < 1e-12 and np.abs(numerical.pop(name)).max() < 1e-8
    errors = {name: relative_error(analytic[name], numerical[name]) for name in analytic}
    assert max(errors.values()) < 1e-6, errors


def test_weight_decay_equals_l2_under_sgd_and_differs_under_adam():
    X, y = make_moons(200, noise=0.2, seed=0)
    for optimizer, same in (("sgd", True), ("adam", False)):
        kwargs = dict(hidden_layers=(16,), epochs=20, learning_rate=0.05, optimizer=optimizer)
        l2 = MLP(l2=0.01, **kwargs).fit(X, y).weights_[0]
        decayed = MLP(weight_decay=0.01, **kwargs).fit(X, y).weights_[0]
        assert np.allclose(l2, decayed, rtol=1e-9, atol=1e-12) is same, optimizer
    plain = MLP(optimizer="adam", **{k: v for k, v in kwargs.items() if k != "optimizer"}).fit(X, y).weights_[0]
    assert np.abs(decayed).sum() < np.abs(plain).sum()  # AdamW still shrinks the weights


def test_early_stopping_restores_the_best_epochs_running_statistics_with_its_parameters():
    X, y = make_moons(300, noise=0.3, seed=0)
    X_val, y_val = make_moons(100, noise=0.3, seed=1)
    model = MLP(hidden_layers=(32,), epochs=60, learning_rate=0.5, batch_norm=True, patience=3)
    model.fit(X, y, validation_data=(X_val, y_val))
    best = model.history_.best_epoch
    assert best < model.history_.epochs - 1  # it did stop early
    assert model.data_loss(X_val, y_val) == pytest.approx(model.history_.val_loss[best], rel=1e-12)


@pytest.mark.parametrize("name, value, words", [
    ("dropout", 1.0, "dropout must be in [0, 1), got 1.0. It is the fraction of hidden units dropped in training"),
    ("dropout", -0.1, "dropout must be a number >= 0"),
    ("weight_decay", -1e-3, "weight_decay must be a number >= 0, got -0.001. Use 0 for none"),
    ("batch_norm", "yes", "unknown batch_norm 'yes'. Choose one of: False, True."),
    ("batch_norm_momentum", 1.5, "batch_norm_momentum must be in [0, 1), got 1.5. Typical values are 0.9 to 0.99."),
])
def test_bad_dropout_batch_norm_and_weight_decay_are_refused_in_words(name, value, words):
    X, y = make_moons(20, seed=0)
    with pytest.raises(ValueError, match=re.escape(words)):
        MLP(**{name: value}).fit(X, y)


def test_partial_fit_refuses_a_dropout_rate_changed_since_the_network_was_built():
    X, y = make_moons(40, seed=0)
    model = MLP(epochs=1, dropout=0.2).partial_fit(X, y)
    with pytest.raises(ValueError, match="dropout is 0.5 now but was 0.2"):
        model.set_params(dropout=0.5).partial_fit(X, y)


def test_summary_shows_batch_normalisations_parameters_and_its_running_statistics_apart():
    text = MLP(hidden_layers=(8, 4), batch_norm=True).build(2, 2).summary_text()
    assert "hidden_1 norm       gamma 8    beta 8           16" in text
    assert "total (learned by fit)                         94" in text  # 24 + 36 + 10 + 16 + 8
    assert "running statistics                             24  (learned, not by gradient descent)" in text
    assert "running statistics" not in MLP().build(2, 2).summary_text()


@pytest.mark.parametrize("n, batch_size, words", [
    (33, 32, "33 training samples the last of its mini-batches of 32 has one. Choose another batch_size (e.g. 33)"),
    (40, 1, "with 40 training samples every mini-batch has one. Choose another batch_size (e.g. 32)"),
    (65, 16, "with 65 training samples the last of its mini-batches of 16 has one"),
])
def test_batch_norm_refuses_a_mini_batch_of_one_sample_before_training(n, batch_size, words):
    """One sample is its own mean: its variance 0 would pull the running variance down every epoch, silently."""
    X, y = make_moons(max(n, 2), seed=0)
    model = MLP(hidden_layers=(4,), batch_norm=True, batch_size=batch_size)
    with pytest.raises(ValueError, match=re.escape(words)):
        model.fit(X[:n], y[:n])
    MLP(hidden_layers=(4,), batch_size=batch_size, epochs=1).fit(X[:n], y[:n])  # without batch norm, fine
