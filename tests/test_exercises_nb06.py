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


@pytest.mark.parametrize("exercise", [nb06.q1, nb06.q2, nb06.q3, nb06.q4, nb06.q5])
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


SOLUTION_LOOP = nb06.q3.solution_code


def loop_function(code):
    return run(code, ["train_network"])[0]


def test_06_3_epoch_orders_are_the_orders_fit_uses():
    """A hand-written loop over model.epoch_orders() from build's parameters reproduces fit to 1e-12 (the notebook
    network, 300 epochs, batches of 32 with a last one of 24), and the reference loop of the checker does too."""
    X_train, y_train = NOTEBOOK["X_train"], NOTEBOOK["y_train"]
    model = nnlib.MLP(hidden_layers=(4,), activation="tanh", learning_rate=0.3, epochs=300, batch_size=32, seed=0)
    model.build(n_features=2, n_outputs=2)
    start = [array.copy() for array in model.parameters().values()]
    orders = model.epoch_orders(len(X_train))
    assert len(orders) == 300 and not np.array_equal(orders[0], orders[1])
    assert all(np.array_equal(np.sort(order), np.arange(len(X_train))) for order in orders)
    assert [np.array_equal(a, b) for a, b in zip(orders, model.epoch_orders(len(X_train)))] == [True] * 300, \
        "asking again gives the same orders: nothing is used up"
    mine = loop_function(SOLUTION_LOOP)(*start, X_train, y_train, orders, 0.3, 32)
    reference = nb06.training_loop(*start, X_train, y_train, orders, 0.3, 32)
    model.fit(X_train, y_train)
    for a, b, c in zip(mine, reference, model.parameters().values()):
        assert nnlib.gradcheck.relative_error(a, c) < 1e-12 and nnlib.gradcheck.relative_error(b, c) < 1e-12


@pytest.mark.parametrize("old, new, expected", [
    ("batch = order[start:start + batch_size]", "batch = np.arange(len(X))[start:start + batch_size]",
     "the same order (0, 1, 2, ...) every epoch"),
    ("for order in orders:", "for order in [orders[0]] * len(orders):", "shuffle per epoch"),
    ("range(0, len(order), batch_size)", "range(0, len(order) - batch_size + 1, batch_size)",
     "an epoch makes 4 steps, the last one with 4 samples"),
    ("/ m ", "/ len(X) ", "divide dS by the batch's size"),
    ("W1 - learning_rate * dW1, b1 - learning_rate * db1", "W1 + learning_rate * dW1, b1 + learning_rate * db1",
     "your parameters agree with fit's for 0 epochs"),
    ("W1 - learning_rate * dW1, b1 - learning_rate * db1   # update\n"
     "            W2, b2 = W2 - learning_rate * dW2, b2 - learning_rate * db2",
     "W1 + learning_rate * dW1, b1 + learning_rate * db1\n"
     "            W2, b2 = W2 + learning_rate * dW2, b2 + learning_rate * db2", "your steps go uphill"),
    ("dZ1 = (dS @ W2.T) * (1 - H**2)", "dZ1 = dS @ W2.T", "skipped the tanh"),
    ("return W1, b1, W2, b2", "return W1, b1", "return the four trained arrays"),
    ("return W1, b1, W2, b2", "return W1.T, b1, W2, b2", "must keep its shape"),
    ("for order in orders:", "for order in orders[:25]:", "agree with fit's for 25 epochs and differ after epoch 26"),
])
def test_06_3_names_each_typical_mistake(old, new, expected):
    assert old in SOLUTION_LOOP
    status, message = nb06.q3.feedback(loop_function(SOLUTION_LOOP.replace(old, new)))
    assert status == "wrong" and expected in message, message


def test_06_3_recognises_updating_w2_before_backpropagating_and_one_step_per_epoch():
    early = SOLUTION_LOOP.replace("            dZ1 = (dS @ W2.T) * (1 - H**2)",
                                  "            W2 = W2 - learning_rate * dW2\n"
                                  "            dZ1 = (dS @ W2.T) * (1 - H**2)")
    early = early.replace("W2, b2 = W2 - learning_rate * dW2, b2 - learning_rate * db2",
                          "b2 = b2 - learning_rate * db2")
    assert "Compute all four gradients first" in nb06.q3.feedback(loop_function(early))[1]
    full_batch = SOLUTION_LOOP.replace("range(0, len(order), batch_size)", "range(0, len(order), len(order))")
    full_batch = full_batch.replace("order[start:start + batch_size]", "order")
    assert "full-batch gradient descent" in nb06.q3.feedback(loop_function(full_batch))[1]
    unchanged = "def train_network(W1, b1, W2, b2, X, y, orders, learning_rate, batch_size):\n    return W1, b1, W2, b2"
    assert "came back unchanged" in nb06.q3.feedback(loop_function(unchanged))[1]


@pytest.mark.parametrize("kept, expected", [
    (("b1", "b2"), "b1 and b2 came back unchanged"),
    (("b2",), "b2 came back unchanged"),
    (("W1",), "W1 came back unchanged"),
])
def test_06_3_names_the_arrays_a_loop_never_updates(kept, expected):
    """A loop that forgets to update some of the four arrays is told which ones, not only "agree for 0 epochs"."""
    code = SOLUTION_LOOP
    for name in kept:
        code = code.replace(f"{name} - learning_rate * d{name}", name)
    assert code != SOLUTION_LOOP
    status, message = nb06.q3.feedback(loop_function(code))
    assert status == "wrong" and expected in message, message


RIGHT_KINDS = {"hidden_layers": "hyperparameter", "activation": "hyperparameter", "weights_": "parameter",
               "biases_": "parameter", "learning_rate": "hyperparameter", "epochs": "hyperparameter"}


def test_06_4_names_the_misconception():
    status, message = nb06.q4.feedback(dict(RIGHT_KINDS, hidden_layers="parameter", activation="parameter"))
    assert status == "wrong" and message.startswith("2 of 6 wrong")
    assert "the misconception" in message and "nothing learns it" in message
    assert "a parameter that is not a weight" in nb06.q4.feedback(dict(RIGHT_KINDS, biases_="hyperparameter"))[1]


def test_symmetry_exercise_names_each_mistake():
    q5 = nb06.q5
    assert q5.feedback(["normal", "xavier", "he"])[0] == "correct"
    assert "stay identical" in q5.feedback(["zeros", "xavier", "he", "normal"])[1]
    assert "tiny" in q5.feedback(["xavier", "he"])[1]
    assert "he also draws random" in q5.feedback(["normal", "xavier"])[1]
    assert "not in the list" in q5.feedback(["ones"])[1]
    assert q5.feedback(...)[0] == "unanswered"
