"""Exercises of notebook 05: solutions pass, typical mistakes get specific feedback, ... is unanswered."""
import numpy as np
import pytest

import nnlib
from nnlib.exercises import nb05
from nnlib.layers import sigmoid

DATA = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                           species=("Adelie", "Gentoo"))
X_train, X_val, X_test, y_train, y_val, y_test = nnlib.train_val_test_split(*DATA, seed=0)
scaler = nnlib.Standardizer().fit(X_train)
X_train_std = scaler.transform(X_train)
NOTEBOOK = {"np": np, "nnlib": nnlib, "X_train": X_train, "y_train": y_train, "X_train_std": X_train_std}


def run(code, answers):
    namespace = dict(NOTEBOOK)
    exec(code, namespace)
    return [namespace[name] for name in answers]


@pytest.mark.parametrize("exercise", [nb05.q1, nb05.q2, nb05.q3, nb05.q4])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    assert exercise.feedback(*run(exercise.solution_code, exercise.answers)) == ("correct", "Correct!")
    placeholder = run(exercise.placeholder, exercise.answers)
    assert exercise.feedback(*placeholder)[0] == "unanswered"
    assert exercise.check(*placeholder) is None


W, B = np.array([2.0, 3.0]), -1.0
Z = float(X_train_std[0] @ W + B)


@pytest.mark.parametrize("z, p, expected", [
    (Z - B, sigmoid(Z - B), "missing the bias"),
    (float(X_train_std[0] @ W[::-1] + B), 0.5, "swapped"),
    (float(X_train[0] @ W + B), 1.0, "raw measurements"),
    (Z, Z, "squash z with the sigmoid"),
    (Z, 1 - sigmoid(Z), "minus sign in the exponent"),
    (Z, 0.3, "z is right"),
    (X_train_std @ W + B, sigmoid(X_train_std @ W + B), "z holds 164 numbers (shape (164,)) but should be one"),
])
def test_05_1_recognises_common_neuron_mistakes(z, p, expected):
    status, message = nb05.q1.feedback(z, p)
    assert status == "wrong" and expected in message


def gradient_parts():
    w, b = np.array([1.0, 1.0]), 0.0
    p = sigmoid(X_train_std @ w + b)
    return p, p - y_train, len(y_train)


def test_05_2_solution_matches_an_independent_finite_difference():
    p, error, n = gradient_parts()
    h = 1e-5

    def loss(w, b):
        probability = sigmoid(X_train_std @ w + b)
        return -np.mean(y_train * np.log(probability) + (1 - y_train) * np.log(1 - probability))

    numeric_w = [(loss(np.array([1.0, 1.0]) + h * e, 0) - loss(np.array([1.0, 1.0]) - h * e, 0)) / (2 * h)
                 for e in np.eye(2)]
    np.testing.assert_allclose(X_train_std.T @ error / n, numeric_w, rtol=1e-6)
    assert nb05.q2.feedback(np.array(numeric_w), (loss(np.ones(2), h) - loss(np.ones(2), -h)) / (2 * h))[0] == "correct"


@pytest.mark.parametrize("make_answer, expected", [
    (lambda p, e, n: (X_train_std * e[:, None], e.mean()), "one row per penguin"),
    (lambda p, e, n: (-X_train_std.T @ e / n, -e.mean()), "wrong sign"),
    (lambda p, e, n: (X_train_std.T @ e, e.sum()), "times too large"),
    (lambda p, e, n: (X_train_std.T @ (2 * e * p * (1 - p)) / n, np.mean(2 * e * p * (1 - p))), "squared error"),
    (lambda p, e, n: (X_train_std.T @ e / n, e.sum()), "grad_b is n times too large"),
    (lambda p, e, n: (X_train_std.T @ e / n, -e.mean()), "grad_b has the wrong sign"),
    (lambda p, e, n: (np.zeros(3), 0.0), "shape (2,)"),
    (lambda p, e, n: (X_train_std.T @ e / n, np.zeros(2)), "one number"),
])
def test_05_2_recognises_common_gradient_mistakes(make_answer, expected):
    status, message = nb05.q2.feedback(*make_answer(*gradient_parts()))
    assert status == "wrong" and expected in message


def step_function(code):
    """The gradient_step defined by ``code``: exercise 05.3's solution with one line changed."""
    return run(code, ["gradient_step"])[0]


def test_05_3_one_step_is_one_epoch_of_logistic_regression_and_a_closed_form():
    """The solution's step equals fit's epoch and the formula w - lr X^T (p - y) / n, on the notebook's penguins."""
    gradient_step = step_function(nb05.q3.solution_code)
    w, b = np.array([1.0, -0.5]), 0.2
    new_w, new_b = gradient_step(w, b, X_train_std, y_train, 0.5)
    p = sigmoid(X_train_std @ w + b)
    np.testing.assert_allclose(new_w, w - 0.5 * X_train_std.T @ (p - y_train) / len(y_train), rtol=1e-13)
    np.testing.assert_allclose(new_b, b - 0.5 * np.mean(p - y_train), rtol=1e-13)
    fit_w, fit_b = nb05.nnlib_step(w, b, X_train_std, y_train, 0.5)
    np.testing.assert_allclose(np.append(new_w, new_b), np.append(fit_w, fit_b), rtol=1e-13)
    nnlib_model = nnlib.LogisticRegression(learning_rate=0.5, epochs=200).fit(X_train_std, y_train)
    w, b = np.zeros(2), 0.0
    for _ in range(200):
        w, b = gradient_step(w, b, X_train_std, y_train, 0.5)
    np.testing.assert_allclose(np.append(w, b), np.append(nnlib_model.coef_, nnlib_model.intercept_), rtol=1e-10)


SOLUTION_STEP = nb05.q3.solution_code


@pytest.mark.parametrize("old, new, expected", [
    ("w - learning_rate * grad_w, b - learning_rate * grad_b", "w + learning_rate * grad_w, b + learning_rate * grad_b",
     "your step goes uphill"),
    ("(p - y)", "(y - p)", "your step goes uphill"),
    ("w - learning_rate * grad_w, b - learning_rate * grad_b", "w - grad_w, b - grad_b",
     "multiply it by learning_rate"),
    ("X.T @ (p - y) / len(y)", "X.T @ (p - y)", "divide the sums by n (or use np.mean). (Your b is right"),
    ("grad_b = np.mean(p - y)", "grad_b = np.sum(p - y)",
     "times too long: the loss is a *mean* over the 30 samples, so "
     "divide the sums by n (or use np.mean). (Your w is right: the slip is in b.)"),
    ("b - learning_rate * grad_b", "b", "b did not move"),
    ("p = 1 / (1 + np.exp(-(X @ w + b)))", "p = 1 / (1 + np.exp(-(X @ w)))", "left out the bias"),
    ("X.T @ (p - y) / len(y)", "X.T @ (2 * (p - y) * p * (1 - p)) / len(y)", "the squared error's gradient"),
    ("grad_b = np.mean(p - y)", "grad_b = np.mean(p - y) * 2", "w is right, but b differs"),
    ("return w - learning_rate * grad_w, b - learning_rate * grad_b", "return w - learning_rate * grad_w",
     "return the two new parameters"),
    ("X.T @ (p - y) / len(y)", "X @ (p - y) / len(y)", "gradient_step stopped with ValueError"),
])
def test_05_3_names_each_typical_mistake(old, new, expected):
    assert old in SOLUTION_STEP
    status, message = nb05.q3.feedback(step_function(SOLUTION_STEP.replace(old, new)))
    assert status == "wrong" and expected in message, message


def test_05_3_recognises_a_full_squared_error_step_and_a_late_bias_update():
    squared = step_function(SOLUTION_STEP.replace("(p - y)", "(2 * (p - y) * p * (1 - p))"))
    assert "the squared error's gradient" in nb05.q3.feedback(squared)[1]
    late = step_function(SOLUTION_STEP.replace(
        "    return w - learning_rate * grad_w, b - learning_rate * grad_b",
        "    w = w - learning_rate * grad_w\n"
        "    grad_b = np.mean(1 / (1 + np.exp(-(X @ w + b))) - y)\n"
        "    return w, b - learning_rate * grad_b"))
    assert "predictions made from the *new* w" in nb05.q3.feedback(late)[1]
    uphill = nb05.q3.feedback(step_function(SOLUTION_STEP.replace("(p - y)", "(y - p)")))[1]
    low, high = (float(number) for number in uphill.split("from ")[-1].rstrip(".").split(" up to "))
    assert high > low, "the feedback reports the loss the wrong step really reached"


RIGHT_KINDS = {"coef_": "parameter", "intercept_": "parameter", "learning_rate": "hyperparameter",
               "epochs": "hyperparameter"}


@pytest.mark.parametrize("kinds, n_weights, n_parameters, expected", [
    (dict(RIGHT_KINDS, intercept_="hyperparameter"), 2, 3, "the bias b, learned by fit like the weights"),
    (dict(RIGHT_KINDS, epochs="parameter"), 2, 3, "how many passes"),
    (RIGHT_KINDS, 3, 3, "nnlib keeps the bias apart, in output.biases"),
    (RIGHT_KINDS, 2, 2, "the parameters are everything fit learns, 2 weights + 1 bias"),
    (RIGHT_KINDS, 2, 5, "count everything fit learns"),
])
def test_05_4_counts_the_bias_as_a_parameter_kept_apart_from_the_weights(kinds, n_weights, n_parameters, expected):
    status, message = nb05.q4.feedback(kinds, n_weights, n_parameters)
    assert status == "wrong" and expected in message
    assert "multiplies no" not in message, "a bias is a weight on a constant input in nnet's wts: not the reason"
