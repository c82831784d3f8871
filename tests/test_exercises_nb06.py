"""Exercises of notebook 06: solutions pass, typical mistakes get specific feedback, ... is unanswered."""
import numpy as np
import pytest

import nnlib
from nnlib.datasets import make_xor
from nnlib.exercises import nb06
from nnlib.gradcheck import numerical_gradient
from nnlib.losses import SoftmaxCrossEntropy


def notebook_namespace():
    """The variables notebook 06 has when exercise 06.2 starts (its sections 1, 2, 5 and 6)."""
    X, y = make_xor(n_samples=200, noise=0.1, seed=0)
    X_train, X_val, X_test, y_train, y_val, y_test = nnlib.train_val_test_split(X, y, seed=0)
    model = nnlib.MLP(hidden_layers=(4,), activation="tanh", learning_rate=0.3, epochs=300, batch_size=32, seed=0)
    model.build(n_features=2, n_outputs=2)
    W1, b1 = model.weights_[0], model.biases_[0]
    W2, b2 = model.weights_[1], model.biases_[1]
    n = len(X_train)
    H = np.tanh(X_train @ W1 + b1)
    S = H @ W2 + b2
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    dS = (P - np.eye(2)[y_train]) / n
    return {"np": np, "nnlib": nnlib, "model": model, "X_train": X_train, "y_train": y_train, "W1": W1, "b1": b1,
            "W2": W2, "b2": b2, "n": n, "H": H, "S": S, "P": P, "dS": dS, "dH": dS @ W2.T, "Z1": X_train @ W1 + b1}


NOTEBOOK = notebook_namespace()


def run(code, answers):
    namespace = dict(NOTEBOOK)
    exec(code, namespace)
    return [namespace[name] for name in answers]


@pytest.mark.parametrize("exercise", [nb06.q1, nb06.q2])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    assert exercise.feedback(*run(exercise.solution_code, exercise.answers)) == ("correct", "Correct!")
    placeholder = run(exercise.placeholder, exercise.answers)
    assert exercise.feedback(*placeholder)[0] == "unanswered"
    assert exercise.check(*placeholder) is None


def test_06_1_answer_matches_nnlib():
    assert nnlib.parameter_count(4, (8, 6), 3) == 115
    assert nnlib.MLP(hidden_layers=(8, 6)).build(4, 3).n_parameters == 115
    assert nb06.q1.feedback(115)[0] == "correct"


@pytest.mark.parametrize("answer, expected", [
    (98, "weights only"),
    (119, "input layer has no biases"),
    (94, "left out the output layer"),
    (21, "counts units"),
    (17, "counts units"),
    (576, "don't multiply all the sizes"),
    (100, "sum over the three layers"),
    ("115", "whole number"),
])
def test_06_1_recognises_common_counting_mistakes(answer, expected):
    status, message = nb06.q1.feedback(answer)
    assert status == "wrong" and expected in message


def test_06_2_checks_against_finite_differences_of_the_notebooks_network():
    ns = NOTEBOOK
    network = ns["model"].network_

    def value():
        return SoftmaxCrossEntropy().value(network.forward(ns["X_train"]), ns["y_train"])

    numeric_w = numerical_gradient(value, network.dense["hidden_1"].params["weights"])
    numeric_b = numerical_gradient(value, network.dense["hidden_1"].params["biases"])
    assert nb06.q2.feedback(numeric_w, numeric_b)[0] == "correct"
    dW1, db1 = run(nb06.q2.solution_code, nb06.q2.answers)
    assert nnlib.gradcheck.relative_error(dW1, numeric_w) < 1e-6


def backprop_parts():
    ns = NOTEBOOK
    return ns["X_train"], ns["Z1"], ns["H"], ns["dH"], ns["n"]


@pytest.mark.parametrize("make_answer, expected", [
    (lambda X, Z1, H, dH, n: (X.T @ dH, dH.sum(axis=0)), "skipped the tanh"),
    (lambda X, Z1, H, dH, n: (X.T @ (dH * (1 - Z1**2)), (dH * (1 - Z1**2)).sum(axis=0)), "not 1 - Z1**2"),
    (lambda X, Z1, H, dH, n: ((dH * (1 - H**2)).T @ X, (dH * (1 - H**2)).sum(axis=0)), "Try X_train.T @ dZ1"),
    (lambda X, Z1, H, dH, n: (-X.T @ (dH * (1 - H**2)), -(dH * (1 - H**2)).sum(axis=0)), "wrong sign"),
    (lambda X, Z1, H, dH, n: (X.T @ (dH * (1 - H**2)), (dH * (1 - H**2)).mean(axis=0)), "n times too small"),
    (lambda X, Z1, H, dH, n: (X.T @ (dH * (1 - H**2)) / n, (dH * (1 - H**2)).sum(axis=0)), "dW1 is n times too small"),
    (lambda X, Z1, H, dH, n: (X.T @ (dH * (1 - H**2)), dH * (1 - H**2)), "one row per sample"),
    (lambda X, Z1, H, dH, n: (np.zeros((3, 4)), np.zeros(4)), "must have the shape of W1"),
])
def test_06_2_recognises_common_backprop_mistakes(make_answer, expected):
    status, message = nb06.q2.feedback(*make_answer(*backprop_parts()))
    assert status == "wrong" and expected in message
