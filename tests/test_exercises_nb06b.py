"""Exercises of notebook 06b (training the network): solutions pass, typical mistakes get specific feedback, ... is
unanswered."""
import numpy as np
import pytest

import nnlib
from nnlib.datasets import make_xor
from nnlib.exercises import nb06b


def xor_training_set():
    """Notebook 06b's training set (notebook 06's XOR split)."""
    X, y = make_xor(n_samples=200, noise=0.1, seed=0)
    X_train, _, _, y_train, _, _ = nnlib.train_val_test_split(X, y, seed=0)
    return X_train, y_train


def run(code, answers):
    namespace = {"np": np}
    exec(code, namespace)
    return [namespace[name] for name in answers]


@pytest.mark.parametrize("exercise", [nb06b.q1, nb06b.q2, nb06b.q3])
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    assert exercise.feedback(*run(exercise.solution_code, exercise.answers)) == ("correct", "Correct!")
    placeholder = run(exercise.placeholder, exercise.answers)
    assert exercise.feedback(*placeholder)[0] == "unanswered"
    assert exercise.check(*placeholder) is None


def test_06b_1_the_symmetry_exercise_names_each_mistake():
    q1 = nb06b.q1
    assert q1.feedback(["normal", "xavier", "he"])[0] == "correct"
    assert "stay identical" in q1.feedback(["zeros", "xavier", "he", "normal"])[1]
    assert "tiny" in q1.feedback(["xavier", "he"])[1]
    assert "he also draws random" in q1.feedback(["normal", "xavier"])[1]
    assert "not in the list" in q1.feedback(["ones"])[1]
    assert q1.feedback(...)[0] == "unanswered"


SOLUTION_LOOP = nb06b.q2.solution_code


def loop_function(code):
    return run(code, ["train_network"])[0]


def test_06b_2_epoch_orders_are_the_orders_fit_uses():
    """A hand-written loop over model.epoch_orders() from build's parameters reproduces fit to 1e-12 (the notebook
    network, 300 epochs, batches of 32 with a last one of 24), and the reference loop of the checker does too."""
    X_train, y_train = xor_training_set()
    model = nnlib.MLP(hidden_layers=(4,), activation="tanh", learning_rate=0.3, epochs=300, batch_size=32, seed=0)
    model.build(n_features=2, n_outputs=2)
    start = [array.copy() for array in model.parameters().values()]
    orders = model.epoch_orders(len(X_train))
    assert len(orders) == 300 and not np.array_equal(orders[0], orders[1])
    assert all(np.array_equal(np.sort(order), np.arange(len(X_train))) for order in orders)
    assert [np.array_equal(a, b) for a, b in zip(orders, model.epoch_orders(len(X_train)))] == [True] * 300, \
        "asking again gives the same orders: nothing is used up"
    mine = loop_function(SOLUTION_LOOP)(*start, X_train, y_train, orders, 0.3, 32)
    reference = nb06b.training_loop(*start, X_train, y_train, orders, 0.3, 32)
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
def test_06b_2_names_each_typical_mistake(old, new, expected):
    assert old in SOLUTION_LOOP
    status, message = nb06b.q2.feedback(loop_function(SOLUTION_LOOP.replace(old, new)))
    assert status == "wrong" and expected in message, message


def test_06b_2_recognises_updating_w2_before_backpropagating_and_one_step_per_epoch():
    early = SOLUTION_LOOP.replace("            dZ1 = (dS @ W2.T) * (1 - H**2)",
                                  "            W2 = W2 - learning_rate * dW2\n"
                                  "            dZ1 = (dS @ W2.T) * (1 - H**2)")
    early = early.replace("W2, b2 = W2 - learning_rate * dW2, b2 - learning_rate * db2",
                          "b2 = b2 - learning_rate * db2")
    assert "Compute all four gradients first" in nb06b.q2.feedback(loop_function(early))[1]
    full_batch = SOLUTION_LOOP.replace("range(0, len(order), batch_size)", "range(0, len(order), len(order))")
    full_batch = full_batch.replace("order[start:start + batch_size]", "order")
    assert "full-batch gradient descent" in nb06b.q2.feedback(loop_function(full_batch))[1]
    unchanged = "def train_network(W1, b1, W2, b2, X, y, orders, learning_rate, batch_size):\n    return W1, b1, W2, b2"
    assert "came back unchanged" in nb06b.q2.feedback(loop_function(unchanged))[1]


@pytest.mark.parametrize("kept, expected", [
    (("b1", "b2"), "b1 and b2 came back unchanged"),
    (("b2",), "b2 came back unchanged"),
    (("W1",), "W1 came back unchanged"),
])
def test_06b_2_names_the_arrays_a_loop_never_updates(kept, expected):
    """A loop that forgets to update some of the four arrays is told which ones, not only "agree for 0 epochs"."""
    code = SOLUTION_LOOP
    for name in kept:
        code = code.replace(f"{name} - learning_rate * d{name}", name)
    assert code != SOLUTION_LOOP
    status, message = nb06b.q2.feedback(loop_function(code))
    assert status == "wrong" and expected in message, message


RIGHT_KINDS = {"hidden_layers": "hyperparameter", "activation": "hyperparameter", "weights_": "parameter",
               "biases_": "parameter", "learning_rate": "hyperparameter", "epochs": "hyperparameter"}


def test_06b_3_names_the_misconception():
    status, message = nb06b.q3.feedback(dict(RIGHT_KINDS, hidden_layers="parameter", activation="parameter"))
    assert status == "wrong" and message.startswith("2 of 6 wrong")
    assert "the misconception" in message and "nothing learns it" in message
    assert "a parameter that is not a weight" in nb06b.q3.feedback(dict(RIGHT_KINDS, biases_="hyperparameter"))[1]
