"""Exercises of notebook 06c (training the network): solutions pass and the loop is saved to the learner's library,
typical mistakes get specific feedback (and a wrong loop is marked failed), ... is unanswered; the notebook trains the
XOR network on the learner's library to fit's parameters."""
import json
from pathlib import Path

import numpy as np
import pytest
from exercise_code import define, run, run_notebook

from nnlib.exercises import nb06c
from nnlib.exercises.framework import exercises_in
from nnlib.exercises.pieces import SOLUTIONS, save_solutions
from nnlib.learner import store
from nnlib.learner.library import reference_train
from nnlib.learner.pieces import PIECES

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "06c_training_the_network.ipynb"


def feedback(exercise, code):
    """The exercise's feedback on ``code`` written in a notebook cell (so its pieces can be saved)."""
    namespace = define(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


def test_notebook_06c_writes_the_training_loop_then_sorts_the_trained_networks_names():
    assert [exercise.id for exercise in exercises_in(nb06c)] == ["06c.1", "06c.2"]
    assert {name: piece.exercise for name, piece in PIECES.items() if piece.notebook == "06c"} == {"train": "06c.1"}


@pytest.mark.parametrize("exercise", [nb06c.q1, nb06c.q2])
def test_solution_is_correct_its_pieces_are_saved_and_placeholder_is_unanswered(exercise):
    pieces = list(getattr(exercise, "pieces", {}).values())
    saved = f" Saved to your library (my_nnlib): {', '.join(pieces)}." if pieces else ""
    assert feedback(exercise, exercise.solution_code) == ("correct", "Correct!" + saved)
    assert [store.read(piece)[0] for piece in pieces] == ["passed"] * len(pieces)
    assert all(SOLUTIONS[piece] in exercise.solution_code for piece in pieces), "one source"
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


LOOP = nb06c.q1.solution_code


def test_06c_1_the_checkers_reference_is_nnlibs_loop_on_its_case_with_momentum():
    """The checker compares a loop with the reference solution (and its edits) on its own case: there, with SGD's
    momentum, the reference is nnlib's train_epochs (the library's stand-in) to the last bit."""
    losses, params, drew = nb06c._train_run(nb06c.edited("train"))
    expected_losses, expected, _ = nb06c._train_run(reference_train)
    assert drew and losses == expected_losses and np.array_equal(params, expected)


def test_06c_1_every_mistake_is_an_edit_of_the_solution_that_changes_the_run():
    reference = nb06c._train_run(nb06c.edited("train"))
    for name, (edits, _) in nb06c.LOOP_MISTAKES.items():
        assert all(old in SOLUTIONS["train"] for old, _ in edits), name
        losses, params, _ = nb06c._train_run(nb06c.edited("train", edits))
        assert not (nb06c.same(params, reference[1]) and nb06c.same(losses, reference[0])), name


LEARNER_SLIPS = {  # the mistake's name in LOOP_MISTAKES: edits that write it as a learner would
    "no shuffle": [("        order = epoch_order(rng, len(X), batch_size, True)\n", ""),
                   ("X_epoch, y_epoch = X[order], y[order]", "X_epoch, y_epoch = X, y")],
    "shuffled once": [("    for epoch in range(epochs):\n        order = epoch_order(rng, len(X), batch_size, True)\n",
                       "    order = epoch_order(rng, len(X), batch_size, True)\n    for epoch in range(epochs):\n")],
    "labels not shuffled": [("X_epoch, y_epoch = X[order], y[order]", "X_epoch, y_epoch = X[order], y")],
    "an order per batch": [("        order = epoch_order(rng, len(X), batch_size, True)\n"
                            "        X_epoch, y_epoch = X[order], y[order]\n", ""),
                           ("X_batch, y_batch = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]",
                            "batch = epoch_order(rng, len(X), batch_size, True)[start:start + batch_size]\n"
                            "            X_batch, y_batch = X[batch], y[batch]")],
    "one step per epoch": [("X_batch, y_batch = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]",
                            "X_batch, y_batch = X_epoch, y_epoch"),
                           ("range(0, len(X), batch_size)", "range(1)")],
    "last batch dropped": [("range(0, len(X), batch_size)", "range(0, len(X) // batch_size * batch_size, batch_size)")],
    "no step": [("            optimizer.step(params, list(network.gradients().values()), learning_rate)\n",
                 "            for p, g in zip(params, network.gradients().values()):\n"
                 "                p = p - learning_rate * g\n")],
    "step by hand": [("            optimizer.step(params, list(network.gradients().values()), learning_rate)\n",
                      "            for name, g in network.gradients().items():\n"
                      "                network.parameters()[name] -= learning_rate * g\n")],
    "uphill": [("list(network.gradients().values()), learning_rate)",
                "[-g for g in network.gradients().values()], learning_rate)")],
    "step before backward": [("            network.backward(dscores)\n", ""),
                             ("            total += ", "            network.backward(dscores)\n            total += ")],
    "a plain mean of the batch losses": [("        total = 0.0\n", "        batch_losses = []\n"),
                                         ("            total += batch_loss * len(X_batch)\n",
                                          "            batch_losses.append(batch_loss)\n"),
                                         ("total / len(X)", "np.mean(batch_losses)")],
    "the batch losses added up": [("total += batch_loss * len(X_batch)", "total = total + batch_loss"),
                                  ("epoch_losses.append(total / len(X))", "epoch_losses.append(total)")],
    "the last batch's loss": [("epoch_losses.append(total / len(X))", "epoch_losses.append(batch_loss)")],
    "total not reset": [("        total = 0.0\n", ""), ("    for epoch in range(epochs):\n",
                                                       "    total = 0.0\n    for epoch in range(epochs):\n")],
}


@pytest.mark.parametrize("mistake", nb06c.LOOP_MISTAKES)
def test_06c_1_names_each_typical_loop_mistake_and_marks_the_piece_failed(mistake):
    code = LOOP
    for old, new in LEARNER_SLIPS[mistake]:
        assert old in code, old
        code = code.replace(old, new)
    status, message = feedback(nb06c.q1, code)
    assert (status, message) == ("wrong", nb06c.LOOP_MISTAKES[mistake][1])
    assert store.read("train")[0] == f"failed: {message}"


@pytest.mark.parametrize("old, new, expected", [
    ("epoch_order(rng, len(X), batch_size, True)", "np.random.permutation(len(X))", "you never drew from rng"),
    ("    return epoch_losses", "    return network", "yours returned a Network."),
    ("    return epoch_losses", "    pass", "yours returned None"),
    ("        epoch_losses.append(total / len(X))\n", "", "20 numbers for 20 epochs, not 0."),
    ("            total += batch_loss * len(X_batch)\n        epoch_losses.append(total / len(X))",
     "            epoch_losses.append(batch_loss)", "20 numbers for 20 epochs, not 80 (one per mini-batch?)"),
    ("learning_rate)\n", "learning_rate if epoch < 13 else learning_rate / 2)\n",
     "your parameters agree with nnlib's loop for 13 epochs and differ after epoch 14 (of 20)"),
    ("total / len(X)", "total / len(X) + 0.1", "your parameters are right, but not the losses you returned"),
])
def test_06c_1_other_slips_get_what_went_wrong_or_where(old, new, expected):
    assert old in LOOP
    status, message = feedback(nb06c.q1, LOOP.replace(old, new))
    assert status == "wrong" and expected in message, message


LOOP_START = "from nnlib.train import epoch_order\n\n\ndef train(network, loss, optimizer, X, y, epochs, batch_size, " \
             "learning_rate, rng):\n"
WRONG_LOOPS = {  # each written whole, as a learner would, with one slip: the words the feedback must say
    "an order drawn for each batch": ("""
    params = list(network.parameters().values())
    losses = []
    for epoch in range(epochs):
        epoch_loss = 0.0
        for start in range(0, len(X), batch_size):
            idx = epoch_order(rng, len(X), batch_size, True)[start:start + batch_size]
            value, dscores = loss(network.forward(X[idx]), y[idx])
            network.backward(dscores)
            optimizer.step(params, list(network.gradients().values()), learning_rate)
            epoch_loss += value * len(idx)
        losses.append(epoch_loss / len(X))
    return losses
""", "you drew a new order for every mini-batch"),
    "the last batch forgotten": ("""
    params = list(network.parameters().values())
    history = []
    for epoch in range(epochs):
        order = epoch_order(rng, len(X), batch_size, True)
        total = 0
        for i in range(len(X) // batch_size):
            batch = order[i * batch_size:(i + 1) * batch_size]
            batch_loss, dscores = loss(network.forward(X[batch]), y[batch])
            network.backward(dscores)
            optimizer.step(params, list(network.gradients().values()), learning_rate)
            total += batch_loss * len(batch)
        history.append(total / len(X))
    return history
""", "the last, smaller mini-batch of each epoch is missing"),
    "numpy's global generator": ("""
    params = list(network.parameters().values())
    epoch_losses = []
    for epoch in range(epochs):
        order = np.random.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            batch_loss, dscores = loss(network.forward(X[rows]), y[rows])
            network.backward(dscores)
            optimizer.step(params, list(network.gradients().values()), learning_rate)
            total += batch_loss * len(rows)
        epoch_losses.append(total / len(X))
    return epoch_losses
""", "you never drew from rng"),
    "the total never reset": ("""
    params = list(network.parameters().values())
    epoch_losses = []
    total = 0.0
    for epoch in range(epochs):
        order = epoch_order(rng, len(X), batch_size, True)
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            batch_loss, dscores = loss(network.forward(X[rows]), y[rows])
            network.backward(dscores)
            optimizer.step(params, list(network.gradients().values()), learning_rate)
            total += batch_loss * len(rows)
        epoch_losses.append(total / len(X))
    return epoch_losses
""", "your epoch losses pile up"),
    "a plain mean of the batch losses": ("""
    params = list(network.parameters().values())
    epoch_losses = []
    for epoch in range(epochs):
        order = epoch_order(rng, len(X), batch_size, True)
        batch_losses = []
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            batch_loss, dscores = loss(network.forward(X[rows]), y[rows])
            network.backward(dscores)
            optimizer.step(params, list(network.gradients().values()), learning_rate)
            batch_losses.append(batch_loss)
        epoch_losses.append(np.mean(batch_losses))
    return epoch_losses
""", "a plain mean of the batch losses counts the last batch"),
    "X shuffled in place": ("""
    params = list(network.parameters().values())
    epoch_losses = []
    for epoch in range(epochs):
        rng.shuffle(X)
        total = 0.0
        for start in range(0, len(X), batch_size):
            X_batch, y_batch = X[start:start + batch_size], y[start:start + batch_size]
            batch_loss, dscores = loss(network.forward(X_batch), y_batch)
            network.backward(dscores)
            optimizer.step(params, list(network.gradients().values()), learning_rate)
            total += batch_loss * len(X_batch)
        epoch_losses.append(total / len(X))
    return epoch_losses
""", "you changed X or y in place (rng.shuffle(X)"),
    "a step by hand": ("""
    epoch_losses = []
    for epoch in range(epochs):
        order = epoch_order(rng, len(X), batch_size, True)
        total = 0.0
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            batch_loss, dscores = loss(network.forward(X[rows]), y[rows])
            network.backward(dscores)
            grads = network.gradients()
            for name, p in network.parameters().items():
                p -= learning_rate * grads[name]
            total += batch_loss * len(rows)
        epoch_losses.append(total / len(X))
    return epoch_losses
""", "you updated the parameters yourself"),
}


@pytest.mark.parametrize("body, expected", WRONG_LOOPS.values(), ids=WRONG_LOOPS)
def test_06c_1_refuses_wrong_loops_a_learner_writes(body, expected):
    status, message = feedback(nb06c.q1, LOOP_START + body.lstrip("\n"))
    assert status == "wrong" and expected in message, message
    assert store.read("train")[0].startswith("failed"), "a wrong loop is never used"


def test_06c_1_loops_written_differently_are_accepted_and_saved():
    indexed = LOOP.replace("        X_epoch, y_epoch = X[order], y[order]\n", "").replace(
        "X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]",
        "X[order[start:start + batch_size]], y[order[start:start + batch_size]]")
    permuted = LOOP.replace("epoch_order(rng, len(X), batch_size, True)", "rng.permutation(len(X))")
    for code in (indexed, permuted):
        assert code != LOOP and feedback(nb06c.q1, code)[0] == "correct"
        assert store.read("train")[0] == "passed"


REPORT = """
import json
print("REPORT" + json.dumps({"difference": float(difference), "yours": mine.yours, "stand_ins": mine.stand_ins,
                             "accuracies": [float(my_accuracy), float(network_accuracy)]}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("solved", [True, False], ids=["reference-solutions", "untouched"])
def test_the_notebook_trains_xor_on_the_learners_library_to_fits_parameters(solved, my_library_folder):
    """With the reference solutions as the learner's pieces (notebooks 06's and 06b's saved, 06c's solved in
    the notebook) or
    with nothing filled in (nnlib's stand-ins, one line each), the library's run lands on fit's parameters."""
    if solved:
        save_solutions([name for name, piece in PIECES.items() if piece.notebook in ("06", "06b")])
    printed = run_notebook(NOTEBOOK, nb06c if solved else None, extra=REPORT, timeout=300)
    result = json.loads(printed.split("REPORT", 1)[1])
    my_accuracy, fit_accuracy = result["accuracies"]
    assert result["difference"] <= 1e-9 and my_accuracy == fit_accuracy > 0.9
    if solved:
        assert "Exercise 06c.1: Correct! Saved to your library (my_nnlib): train." in printed
        others = [name for name, piece in PIECES.items() if piece.notebook not in ("06", "06b", "06c")]
        assert result["stand_ins"] == others, "the other notebooks write them"
        assert printed.count("stand-in: ") == len(others)
    else:
        assert result["yours"] == [] and result["difference"] == 0
        for name, piece in PIECES.items():
            assert printed.count(f"stand-in: {name} is nnlib's reference (not in your library yet) -- build it in "
                                 f"exercise {piece.exercise} (notebook {piece.notebook})") == 1


RIGHT_KINDS = {"hidden_layers": "hyperparameter", "activation": "hyperparameter", "weights_": "parameter",
               "biases_": "parameter", "learning_rate": "hyperparameter", "epochs": "hyperparameter",
               "seed": "neither", "dtype": "neither"}


def test_06c_2_names_the_misconception():
    status, message = nb06c.q2.feedback(dict(RIGHT_KINDS, hidden_layers="parameter", activation="parameter"))
    assert status == "wrong" and message.startswith("2 of 8 wrong")
    assert "the misconception" in message and "nothing learns it" in message
    assert "a parameter that is not a weight" in nb06c.q2.feedback(dict(RIGHT_KINDS, biases_="hyperparameter"))[1]


def test_06c_2_sorts_the_seed_and_the_number_format_as_neither_constructor_arguments_though_they_are():
    status, message = nb06c.q2.feedback(dict(RIGHT_KINDS, seed="hyperparameter", dtype="hyperparameter"))
    assert status == "wrong" and message.startswith("2 of 8 wrong")
    assert "would fit noise" in message and "a setting of the computation" in message
    assert "neither" in nb06c.q2.placeholder
