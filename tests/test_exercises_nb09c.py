"""Notebook 09c's exercises (dropout, batch normalisation and weight decay, the third part of notebook 09): solutions
pass and placeholders are unanswered; wrong answers written as a learner would get feedback naming the slip; what the
checkers take as right is nnlib's own behaviour (its Dropout, its parameter counts, the runs the notebook shows)."""
import json
from pathlib import Path

import numpy as np
import pytest
from exercise_code import run

import nnlib
from nnlib.exercises import nb09c
from nnlib.layers import Dropout

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09c_dropout_batch_norm_and_weight_decay.ipynb"


def feedback(exercise, code):
    namespace = run(code)
    return exercise.feedback(*[namespace[name] for name in exercise.answers])


def solution_with(exercise, old, new):
    """``exercise``'s solution with ``old`` replaced by ``new`` (a learner's slip)."""
    assert old in exercise.solution_code, old
    return exercise.solution_code.replace(old, new)


@pytest.mark.parametrize("exercise", [nb09c.q1, nb09c.q2, nb09c.q3, nb09c.q4], ids=lambda q: q.id)
def test_solution_is_correct_and_placeholder_is_unanswered(exercise):
    assert feedback(exercise, exercise.solution_code) == ("correct", "Correct!")
    assert feedback(exercise, exercise.placeholder)[0] == "unanswered"


# --- 09c.1: dropout, forward and backward ---------------------------------------------------------------------------
@pytest.mark.parametrize("rate, seed", [(0.2, 0), (0.5, 7), (0.9, 3)])
def test_09c_1_solution_drops_the_units_nnlibs_dropout_drops_and_its_backward_is_nnlibs(rate, seed):
    solved = run(nb09c.q1.solution_code)
    x = np.random.default_rng(1).normal(size=(30, 8))
    out, mask = solved["dropout_forward"](x, rate, np.random.default_rng(seed), True)
    layer = Dropout(rate, rng=np.random.default_rng(seed))
    layer.training = True
    assert np.array_equal(out, layer.forward(x))
    dout = np.random.default_rng(2).normal(size=x.shape)
    assert np.array_equal(solved["dropout_backward"](dout, mask), layer.backward(dout))
    layer.training = False
    predicted, ones = solved["dropout_forward"](x, rate, np.random.default_rng(seed), False)
    assert np.array_equal(predicted, layer.forward(x)) and np.array_equal(solved["dropout_backward"](dout, ones), dout)


FORWARD = "    mask = (rng.random(x.shape) >= rate) / (1 - rate)  # kept with probability 1 - rate, scaled up\n"
PREDICTION = "    if not training:\n        return x, np.ones_like(x)  # prediction: every unit, as it is\n"
BACKWARD = "    return dout * mask  # out = x * mask, so d out / d x = mask\n"


@pytest.mark.parametrize("old, new, words", [
    (FORWARD, "    mask = rng.random(x.shape) >= rate\n", "the kept units are not scaled: divide them by 1 - rate"),
    (FORWARD, "    mask = (rng.random(x.shape) < rate) / (1 - rate)\n",
     "you dropped 80% of the units: rate is the probability of DROPPING a unit"),
    (PREDICTION, "", "in prediction (training=False) you still drop units"),
    (BACKWARD,
     "    _, new_mask = dropout_forward(dout, 0.2, np.random.default_rng(), True)\n    return dout * new_mask\n",
     "zeroes other units than the forward pass dropped: it draws a new mask"),
    (FORWARD, "    mask = (rng.random(x.shape) >= rate) * (1 - rate)\n",
     "you multiplied the kept units by 1 - rate; divide by it instead"),
    (FORWARD, "    mask = (rng.random(x.shape) >= rate) / rate\n", "you divided the kept units by rate"),
    (FORWARD, "    mask = (rng.random(x.shape) < 1 - rate) / (1 - rate)\n",
     "right in distribution, but you keep where rng.random(x.shape) < 1 - rate"),
    (FORWARD, "    mask = (np.random.rand(*x.shape) >= rate) / (1 - rate)\n",
     "right in distribution, but you draw the mask otherwise (or from another generator than the rng given)"),
    (FORWARD + "    return x * mask, mask\n",
     "    keep = rng.random(x.shape) >= rate\n    return x * keep / (1 - rate), keep\n", "the 0/1 pattern of the kept"),
    (FORWARD + "    return x * mask, mask\n", FORWARD + "    x *= mask\n    return x, mask\n",
     "dropout_forward changed x in place"),
    (FORWARD + "    return x * mask, mask\n", FORWARD + "    return mask, x * mask\n", "you returned (mask, out)"),
    (FORWARD + "    return x * mask, mask\n", FORWARD + "    return x * mask\n",
     "should return two things, out and mask"),
    (PREDICTION, "    if not training:\n        return x * (1 - rate), np.ones_like(x)\n",
     "that is the original, non-inverted dropout"),
    (BACKWARD, "    return dout\n", "your backward passes dout through unchanged"),
    (BACKWARD, "    return dout * (mask > 0)\n", "your backward zeroes the dropped units but forgets the scale"),
    (BACKWARD, "    return dout / mask\n", "infinities or NaN"),
    (PREDICTION, "    if not training:\n        return x, None\n", "with the mask your forward returns in prediction"),
])
def test_09c_1_a_learners_slip_is_named(old, new, words):
    status, message = feedback(nb09c.q1, solution_with(nb09c.q1, old, new))
    assert status == "wrong" and words in message, message


def test_09c_1_other_right_ways_are_accepted():
    """A mask of ones as a scalar in prediction, the comparison written the other way round, float masks."""
    for old, new in [(PREDICTION, "    if not training:\n        return x, 1.0\n"),
                     (FORWARD, "    mask = np.where(rng.random(x.shape) >= rate, 1 / (1 - rate), 0.0)\n"),
                     (FORWARD, "    keep = ~(rng.random(x.shape) < rate)\n    mask = keep / (1 - rate)\n")]:
        assert feedback(nb09c.q1, solution_with(nb09c.q1, old, new)) == ("correct", "Correct!")


def test_09c_1_the_notebook_uses_your_dropout_once_it_passes_and_nnlibs_until_then():
    solved, blank = run(nb09c.q1.solution_code), run(nb09c.q1.placeholder)
    assert nb09c.dropout_pair(solved["dropout_forward"], solved["dropout_backward"])[2] == "your"
    forward, backward, whose = nb09c.dropout_pair(blank["dropout_forward"], blank["dropout_backward"])
    assert whose.startswith("nnlib's") and nb09c.q1.is_correct(forward, backward)


# --- 09c.2: predict, then run -------------------------------------------------------------------------------------
def test_09c_2_the_runs_are_the_notebooks_and_the_answers_hold_with_a_margin():
    source = "\n".join("".join(cell["source"]) for cell in json.loads(NOTEBOOK.read_text())["cells"])
    setting = ", ".join(f"{name}={value!r}".replace("'", '"') for name, value in nb09c.DROPOUT_NETWORK.items())
    assert f"network = dict({setting})" in source and "rates = (0.0, 0.2, 0.5)" in source
    assert "for seed in (0, 1, 2)" in source and nb09c.SEEDS == (0, 1, 2)
    runs = nb09c.dropout_runs()
    assert runs[0.5][0] > 2 * runs[0.2][0] > 4 * runs[0.0][0]
    assert runs[0.0][1] + 0.005 < min(runs[0.2][1], runs[0.5][1])


@pytest.mark.parametrize("answers, words", [
    ((0, 0.5), "lowest_validation_loss: dropout is meant to fight overfitting"),
    ((0.2, 0), "highest_training_loss: fit records each mini-batch's loss as it trains, with the masks on"),
    ((0, 0.2), "2 of 2 wrong."),
    ((0.5, 0.3), "lowest_validation_loss should be one of the rates 0, 0.2 or 0.5"),
    (("0.5", 0), "highest_training_loss should be a number"),
    (([0, 0.2], 0), "holds 2 numbers"),
])
def test_09c_2_wrong_predictions_are_answered_with_the_measured_losses(answers, words):
    status, message = nb09c.q2.feedback(*answers)
    assert status == "wrong" and words in message, message
    if "of 2 wrong" in message:
        assert "Measured (training loss as recorded, and validation loss" in message and "rate 0.5: 0.09" in message


# --- 09c.3: count what is learned, and how ---------------------------------------------------------------------------
def test_09c_3_counts_are_nnlibs():
    model = nnlib.MLP(hidden_layers=(64, 32), batch_norm=True).build(64, 10)
    assert model.n_parameters == nb09c.N_PARAMETERS == 6762
    assert sum(array.size for array in model.statistics().values()) == nb09c.N_STATISTICS == 192


@pytest.mark.parametrize("answers, words", [
    ((6570, 192), "counts the Dense layers' weights and biases only"),
    ((6954, 192), "counts the running means and variances as parameters"),
    ((6762, 96), "each hidden unit has two running statistics"),
    ((6666, 192), "either one of gamma and beta per unit"),
    ((6782, 212), "not the output layer"),
    ((6762, 384), "gamma and beta are parameters"),
    ((6000, 192), "Count per hidden layer n_in * n_out weights"),
    (("6762", 192), "n_parameters should be a number"),
])
def test_09c_3_a_learners_count_is_answered_with_its_slip(answers, words):
    status, message = nb09c.q3.feedback(*answers)
    assert status == "wrong" and words in message, message


# --- 09c.4: the same ideas in PyTorch ---------------------------------------------------------------------------------
RIGHT = {"bn.weight": "parameter", "bn.running_var": "parameter", "bn.momentum": "hyperparameter",
         "drop.p": "hyperparameter", "seed": "neither"}


@pytest.mark.parametrize("changes, by_gradient_descent, words", [
    ({"bn.running_var": "neither"}, ["bn.weight"], "'bn.running_var' is a parameter: it is learned from the training"),
    ({"bn.running_var": "hyperparameter"}, ["bn.weight"], "not by gradient descent, like a Standardizer's scale_"),
    ({"seed": "hyperparameter"}, ["bn.weight"], "'seed' is neither a parameter nor a hyperparameter"),
    ({"bn.momentum": "parameter"}, ["bn.weight"], "nnlib's batch_norm_momentum=0.9"),
    ({}, ["bn.weight", "bn.running_var"], "bn.running_var has no gradient"),
    ({}, ["bn.weight", "drop.p"], "drop.p is not learned at all"),
    ({}, [], "bn.weight (gamma) gets a gradient"),
    ({}, "bn.weight", "answer with a list of names"),
])
def test_09c_4_a_learners_sorting_is_answered_with_the_reason(changes, by_gradient_descent, words):
    status, message = nb09c.q4.feedback(RIGHT | changes, by_gradient_descent)
    assert status == "wrong" and words in message, message
