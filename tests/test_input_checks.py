"""nnlib/input_checks.py: every bad input a learner can type -- data, labels, hyperparameters, parameters -- gets
one clear message that says what to try."""
import numpy as np
import pytest

from nnlib import MLP, LinearRegression, LogisticRegression, NotFittedError
from nnlib.datasets import make_moons

X2, y2 = make_moons(40, seed=0)


@pytest.mark.parametrize("model, X, y, message", [
    (LinearRegression(), np.arange(5.0), np.arange(5.0), r"1-D.*reshape\(-1, 1\)"),
    (LinearRegression(), np.zeros((3, 2, 2)), np.zeros(3), r"3 dimensions.*reshape"),
    (LinearRegression(), np.ones((5, 1)), np.ones(4), r"X has 5 samples.*y has 4"),
    (LinearRegression(), [[1.0], [np.nan], [2.0]], [1, 2, 3], r"X contains 1 NaN and 0 infinite"),
    (LinearRegression(), [[1.0], [2.0]], [1, np.inf], r"y contains 0 NaN and 1 infinite"),
    (LinearRegression(), [["a"], ["b"]], [1, 2], r"only numbers"),
    (MLP(), X2, y2 + 1, r"labels must be 0, 1, \.\.\., K-1.*starts at 1.*np\.unique"),
    (MLP(), X2, y2 + 0.5, r"whole-number class labels.*task='regression'"),
    (MLP(), X2, np.zeros(40), r"only one class"),
    (LogisticRegression(), X2, np.ones(40), r"^y contains only one class \(1\): a classifier needs at least two\.$"),
    (MLP(), X2, y2 + 0.5, r"fractional values such as 0\.5 \(a continuous target\)"),
    (LinearRegression(), X2 + 1j, y2, r"^Complex data not supported: X holds complex numbers.*X\.real"),
    (LinearRegression(), X2, y2 + 0j, r"^Complex data not supported: y holds complex numbers"),
    (LinearRegression(), np.ones((3, 0)), np.ones(3), r"X has 0 feature\(s\) \(shape=\(3, 0\)\).*no columns"),
    (LinearRegression(), X2, None, r"LinearRegression requires y to be passed, but the target y is None"),
    (LogisticRegression(), X2, y2 * 2, r"two classes.*labels up to 2.*MLP"),
    (MLP(), X2, np.eye(2)[y2][:, :, None], r"1-D array of class labels"),
])
def test_bad_data(model, X, y, message):
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)


@pytest.mark.parametrize("hyperparameters, message", [
    ({"learning_rate": -0.1}, r"learning_rate must be a number greater than 0, got -0\.1.*0\.001 to 1"),
    ({"learning_rate": 0}, r"learning_rate must be a number greater than 0"),
    ({"learning_rate": "fast"}, r"learning_rate must be a number"),
    ({"hidden_layers": (8, 0)}, r"hidden layer 2 units must be a whole number >= 1, got 0.*hidden_layers=\(\)"),
    ({"hidden_layers": (-3,)}, r"hidden layer 1 units must be a whole number >= 1"),
    ({"hidden_layers": "big"}, r"hidden_layers must list the number of units.*got 'big'"),
    ({"hidden_layers": "16"}, r"hidden_layers must list the number of units in each hidden layer, e\.g\. \(16,\).*"
                              r"got '16'\.$"),
    ({"activation": "relu6"}, r"unknown activation 'relu6'\. Choose one of: 'relu', 'tanh', 'sigmoid', 'identity'"),
    ({"optimizer": "rmsprop"}, r"unknown optimizer 'rmsprop'\. Choose one of: 'sgd', 'adam'"),
    ({"lr_schedule": "linear"}, r"unknown lr_schedule"),
    ({"epochs": 0}, r"epochs must be a whole number >= 1"),
    ({"epochs": 2.5}, r"epochs must be a whole number"),
    ({"batch_size": 0}, r"batch_size must be a whole number >= 1.*None for full-batch"),
    ({"momentum": 1.5}, r"momentum must be in \[0, 1\)"),
    ({"l2": -1}, r"l2 must be a number >= 0"),
    ({"seed": -1}, r"seed must be a whole number >= 0"),
    ({"task": "clustering"}, r"unknown task 'clustering'"),
    ({"dtype": "float16"}, r"unknown dtype"),
    ({"init": "glorot"}, r"unknown init 'glorot'.*'xavier'"),
])
def test_bad_hyperparameters(hyperparameters, message):
    with pytest.raises(ValueError, match=message):
        MLP(**hyperparameters).fit(X2, y2)


def test_hyperparameters_are_not_validated_until_fit_like_scikit_learn():
    model = MLP(learning_rate=-1)  # storing is allowed; using is not
    assert model.learning_rate == -1


def test_predict_before_fit():
    with pytest.raises(NotFittedError, match=r"has not learned any parameters yet: call fit\(X, y\) first"):
        MLP().predict(X2)


def test_predict_with_the_wrong_number_of_features():
    model = MLP(epochs=1).fit(X2, y2)
    with pytest.raises(ValueError, match=r"X has 3 feature\(s\) per sample, but the model was trained on 2"):
        model.predict(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        model.predict(np.ones(2))


def test_validation_labels_outside_the_training_classes():
    model = MLP(epochs=1)
    with pytest.raises(ValueError, match=r"y_val contains label 4.*labels 0\.\.1 only"):
        model.fit(X2, y2, validation_data=(X2, np.full(40, 4)))


def test_validation_data_must_be_a_pair():
    with pytest.raises(ValueError, match=r"validation_data must be a pair \(X_val, y_val\)"):
        MLP(epochs=1).fit(X2, y2, validation_data=X2)


def test_early_stopping_needs_validation_data():
    with pytest.raises(ValueError, match=r"patience.*needs validation_data"):
        MLP(patience=3).fit(X2, y2)


def test_set_parameters_refuses_wrong_shapes_and_names():
    model = LinearRegression().build(1, 1)
    with pytest.raises(ValueError, match=r"'output\.weights' must have shape \(1, 1\), got \(2,\)"):
        model.set_parameters({"output.weights": [1.0, 2.0], "output.biases": [0.0]})
    with pytest.raises(ValueError, match=r"missing \['output\.biases'\]"):
        model.set_parameters({"output.weights": [[1.0]]})


def test_sparse_features_are_refused_with_what_to_type():
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(ValueError, match=r"X is a sparse matrix, and nnlib needs a dense array: pass X\.toarray\(\)"):
        MLP(epochs=1).fit(sparse.csr_matrix(X2), y2)


def test_one_number_for_hidden_layers_means_one_layer_as_in_scikit_learn():
    model = MLP(hidden_layers=8, epochs=1).fit(X2, y2)
    assert model.hidden_layers == 8 and model.weights_[0].shape == (2, 8)  # stored as given, used as (8,)


def test_labels_that_leave_most_classes_empty_warn_and_name_np_unique():
    import warnings
    with pytest.warns(UserWarning, match=r"^y has labels up to 255, which asks for 256 outputs \(classes 0\.\.255\), "
                                         r"but only 2 of these classes appear in it.*np\.unique\(y, return_inverse"):
        model = MLP(hidden_layers=(3,), epochs=1).fit(X2, y2 * 255)
    assert model.n_outputs_ == 256
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        MLP(hidden_layers=(3,), epochs=1).fit(X2, y2 * 2, validation_data=(X2[:5], np.zeros(5)))  # 2 of 3 present


def test_absurd_label_values_are_refused_before_building_the_network():
    with pytest.raises(ValueError, match=r"y has labels up to 1e\+12.*only 2 of these classes.*Over 1,000 outputs "
                                         r"that no sample trains.*terabytes.*np\.unique\(y, return_inverse=True\)"):
        MLP(epochs=1).fit(X2, y2 * 10**12)


def test_a_float32_model_refuses_values_float32_cannot_hold():
    huge = X2.copy()
    huge[0, 0] = -1e39
    with pytest.raises(ValueError, match=r"^X holds values beyond ±3\.403e\+38, the largest float32 number.*"
                                         r"Standardise X.*dtype='float64'"):
        MLP(dtype="float32", epochs=1).fit(huge, y2)
    with pytest.raises(ValueError, match=r"^y holds values beyond"):
        MLP(task="regression", dtype="float32", epochs=1).fit(X2, y2 * 1e39)
    with pytest.raises(ValueError, match=r"^X holds values beyond"):
        MLP(dtype="float32", epochs=1).fit(X2, y2).predict(huge)


def test_a_fraction_learning_rate_trains_like_its_float():
    from fractions import Fraction
    as_fraction = MLP(hidden_layers=(3,), epochs=2, learning_rate=Fraction(1, 10)).fit(X2, y2).history_.loss
    assert as_fraction == MLP(hidden_layers=(3,), epochs=2, learning_rate=0.1).fit(X2, y2).history_.loss


def test_a_multi_output_regressor_refuses_one_column_of_targets():
    X, y = make_moons(40, seed=0)
    model = MLP(task="regression", epochs=1).fit(X, np.column_stack([y, -y]))
    with pytest.raises(ValueError, match=r"y has 1 column\(s\), but the model predicts 2 output\(s\) per sample: "
                                         r"pass y with shape \(n_samples, 2\)"):
        model.score(X, y)
