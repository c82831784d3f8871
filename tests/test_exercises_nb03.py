"""Exercises of notebook 03: every solution passes, typical mistakes get their specific feedback; the mini-batch
loop is a piece of the learner's library, saved when right, marked failed when not."""
import numpy as np
import pytest
from exercise_code import define

import nnlib
from nnlib.exercises import nb03
from nnlib.learner import my_library, store
from nnlib.learner.line_checks import descent_step
from nnlib.line import line_gradient


@pytest.mark.parametrize("exercise", [nb03.q2, nb03.q3, nb03.q4], ids=lambda q: q.id)
def test_solution_passes(exercise):
    scope = {"np": np}
    exec(exercise.solution_code, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers)) == ("correct", "Correct!")


@pytest.mark.parametrize("exercise", [nb03.q1, nb03.q2, nb03.q3, nb03.q4], ids=lambda q: q.id)
def test_placeholder_is_unanswered(exercise):
    scope = {"np": np}
    exec(exercise.placeholder, scope)
    assert exercise.feedback(*(scope[name] for name in exercise.answers))[0] == "unanswered"


def feedback(exercise, *answers):
    status, message = exercise.feedback(*answers)
    assert status == "wrong"
    return message


def test_the_expected_iteration_count_is_what_nnlib_does():
    """Independent check of 03.1's answer: count the optimiser steps nnlib really takes."""
    X, y = nnlib.load_penguins()
    from nnlib.widgets.batch_runs import RecordedRun
    run = RecordedRun(nnlib.standardize(X), y, 0.01, batch_size=32).extend_to(5)
    assert len(run.recorder.steps) == 55
    assert nb03.q2.feedback(55 // 5, 55)[0] == "correct"


def test_iteration_mistakes():
    assert "Round up" in feedback(nb03.q2, 10, 50)
    assert "whole" in feedback(nb03.q2, 342 / 32, 5 * 342 / 32)
    assert "number of epochs" in feedback(nb03.q2, 11, 5)
    assert "5 * 11" in feedback(nb03.q2, 11, 60)
    assert "mini-batches of 32" in feedback(nb03.q2, 32, 160)


def test_03_3_the_hidden_runs_are_nnlibs_with_the_batch_sizes_the_answer_names():
    """The curves the notebook plots are LinearRegression's losses after each epoch with the stated batch sizes."""
    X, y = nnlib.datasets.make_line(1000, slope=2.0, intercept=1.0, noise=1.0, seed=5)
    x = nnlib.standardize(X)
    curves = nb03.mystery_curves()
    for name, batch_size in nb03.MYSTERY.items():
        model = nnlib.LinearRegression(learning_rate=0.02, epochs=15, batch_size=batch_size, seed=3).fit(x, y)
        assert curves[name].shape == (16,)
        assert curves[name][-1] == pytest.approx(np.mean((model.predict(x) - y) ** 2), rel=1e-9)
    # what the answer rests on: the full batch keeps most of its loss after one step, 1 jitters more than 32
    assert curves["B"][1] / curves["B"][0] > 0.9 > 0.1 > curves["A"][1] / curves["A"][0]
    assert np.ptp(curves["C"][5:]) > 10 * np.ptp(curves["A"][5:])


@pytest.mark.parametrize("answer, slip", [
    ({"A": 1, "B": None, "C": 32}, "Batch sizes 1 and 32 are swapped"),  # the fastest drop read as the smallest batch
    ({"A": None, "B": 32, "C": 1}, "Curve A cannot be the full batch"),  # the smoothest late curve read as full batch
    ({"A": 32, "B": 1, "C": None}, "cannot be the full batch"),  # the flat floor read as the full batch's exact steps
    ({"A": 32, "B": 342, "C": 1}, "342 was the penguins"),  # notebook 02's full batch
    ({"A": 32, "B": 32, "C": 1}, "each once"),
    ([32, None, 1], "Answer with a dict"),
])
def test_03_3_names_the_slip_of_a_learner_reading_the_curves(answer, slip):
    assert slip in feedback(nb03.q3, answer)


def test_03_3_accepts_the_full_batch_written_as_its_size():
    assert nb03.q3.feedback({"A": 32.0, "B": 1000, "C": np.int64(1)}) == ("correct", "Correct!")


def test_sorting_mistakes():
    kinds = {"batch_size": "hyperparameter", "shuffle": "hyperparameter", "coef_": "parameter",
             "iterations_per_epoch": "hyperparameter", "n_iter_": "neither"}
    message = feedback(nb03.q4, kinds)
    assert "'iterations_per_epoch' is neither a parameter nor a hyperparameter" in message
    kinds.update(iterations_per_epoch="neither", batch_size="parameter")
    assert "'batch_size' is a hyperparameter" in feedback(nb03.q4, kinds)
    kinds.update(batch_size="hyperparameter", n_iter_="parameter")  # the underscore read as "learned"
    assert "a record of the run, not a value of the model" in feedback(nb03.q4, kinds)


LOOP = nb03.q1.solution_code


def loop_feedback(code):
    """03.1's feedback on ``code`` written in a notebook cell (so that its piece can be saved)."""
    return nb03.q1.feedback(define(code)["minibatch_descent"])


def test_03_1_the_loop_is_saved_and_runs_as_nnlibs_linear_regression_with_the_same_seed():
    assert loop_feedback(LOOP) == ("correct", "Correct! Saved to your library (my_nnlib): minibatch_descent.")
    assert store.read("minibatch_descent")[0] == "passed"
    X, y = nnlib.load_penguins()
    mine = my_library(quiet=True)
    path = mine.minibatch_descent(nnlib.standardize(X)[:, 0], y, 0.05, 5, 32, np.random.default_rng(0),
                                  line_gradient, descent_step)
    model = nnlib.LinearRegression(learning_rate=0.05, epochs=5, batch_size=32, seed=0).fit(nnlib.standardize(X), y)
    assert path.shape == (5 * 11 + 1, 2)
    np.testing.assert_allclose(path[-1], [model.coef_[0], model.intercept_], rtol=1e-9)


LEARNER_SLIPS = {  # the mistake's name in LOOP_MISTAKES: edits that write it as a learner would
    "no shuffle": [("        order = epoch_order(rng, len(x), batch_size, True)  # a new order every epoch\n", ""),
                   ("x_epoch, y_epoch = x[order], y[order]", "x_epoch, y_epoch = x, y")],
    "shuffled once": [("    for epoch in range(epochs):\n        order = epoch_order(rng, len(x), batch_size, True)",
                       "    order = epoch_order(rng, len(x), batch_size, True)\n    for epoch in range(epochs):")],
    "targets not shuffled": [("x_epoch, y_epoch = x[order], y[order]", "x_epoch, y_epoch = x[order], y")],
    "an order per batch": [("        order = epoch_order(rng, len(x), batch_size, True)  # a new order every epoch\n"
                            "        x_epoch, y_epoch = x[order], y[order]\n", ""),
                           ("x_batch, y_batch = x_epoch[start:start + batch_size], y_epoch[start:start + batch_size]",
                            "batch = epoch_order(rng, len(x), batch_size, True)[start:start + batch_size]\n"
                            "            x_batch, y_batch = x[batch], y[batch]")],
    "last batch dropped": [("range(0, len(x), batch_size)", "range(0, len(x) // batch_size * batch_size, batch_size)")],
    "one step per epoch": [("x_batch, y_batch = x_epoch[start:start + batch_size], y_epoch[start:start + batch_size]",
                            "x_batch, y_batch = x_epoch, y_epoch"),
                           ("range(0, len(x), batch_size)", "range(1)")],
    "overlapping batches": [("for start in range(0, len(x), batch_size):",
                             "for start in range(len(x) // batch_size):")],
}


@pytest.mark.parametrize("mistake", nb03.LOOP_MISTAKES)
def test_03_1_names_each_typical_loop_slip_and_marks_the_piece_failed(mistake):
    code = LOOP
    for old, new in LEARNER_SLIPS[mistake]:
        assert old in code, old
        code = code.replace(old, new)
    assert loop_feedback(code) == ("wrong", nb03.LOOP_MISTAKES[mistake][1])
    assert store.read("minibatch_descent")[0] == f"failed: {nb03.LOOP_MISTAKES[mistake][1]}"


MINE = '''from nnlib.train import epoch_order


def minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    n = len(x)
    for epoch in range(epochs):
        order = epoch_order(rng, n, batch_size, True)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            ds, di = gradient(x[batch], y[batch], slope, intercept)
            slope, intercept = step(slope, intercept, ds, di, learning_rate)
            path.append((slope, intercept))
    return np.array(path)
'''


@pytest.mark.parametrize("code, words", [
    pytest.param(MINE.replace("order = epoch_order(rng, n, batch_size, True)",
                              "order = np.arange(n)\n        np.random.shuffle(order)"),
                 ["you never drew from rng", "not from np.random"], id="numpy's global shuffle"),
    pytest.param('''from nnlib.train import epoch_order


def minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    n_batches = len(x) // batch_size
    for epoch in range(epochs):
        order = epoch_order(rng, len(x), batch_size, True)
        for b in range(n_batches):
            idx = order[b * batch_size:(b + 1) * batch_size]
            dslope, dintercept = gradient(x[idx], y[idx], slope, intercept)
            slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)
            path.append((slope, intercept))
    return np.array(path)
''', ["the last, smaller mini-batch of each epoch is missing"], id="the last partial batch dropped"),
    pytest.param('''from nnlib.train import epoch_order


def minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    for epoch in range(epochs):
        for start in range(0, len(x), batch_size):
            order = epoch_order(rng, len(x), batch_size, True)
            batch = order[start:start + batch_size]
            dslope, dintercept = gradient(x[batch], y[batch], slope, intercept)
            slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)
            path.append((slope, intercept))
    return np.array(path)
''', ["a new order for every mini-batch", "one order per epoch"], id="reshuffled every batch"),
    pytest.param('''from nnlib.train import epoch_order


def minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step):
    slope, intercept = 0.0, 0.0
    path = [(slope, intercept)]
    for epoch in range(epochs):
        rng.shuffle(x)
        rng.shuffle(y)
        for start in range(0, len(x), batch_size):
            dslope, dintercept = gradient(x[start:start + batch_size], y[start:start + batch_size], slope, intercept)
            slope, intercept = step(slope, intercept, dslope, dintercept, learning_rate)
            path.append((slope, intercept))
    return np.array(path)
''', ["you changed the x or y you were given", "its own order", "x[order] and y[order]"],
        id="x and y shuffled apart, in place"),
    pytest.param(MINE.replace("    for epoch in range(epochs):\n        order = epoch_order(rng, n, batch_size, True)",
                              "    order = epoch_order(rng, n, batch_size, True)\n    for epoch in range(epochs):"),
                 ["in the first epoch's order", "a new order in every epoch"], id="shuffled once"),
    pytest.param(MINE.replace("            path.append((slope, intercept))\n", "").replace(
        "    return np.array(path)", "        path.append((slope, intercept))\n    return np.array(path)"),
                 ["should have shape (10, 2), but yours has shape (4, 2)", "one row per step"], id="a row per epoch"),
    pytest.param(MINE.replace("ds, di, learning_rate)", "ds, di, 0.05)"),
                 ["handed step the learning rate 0.05, not the learning_rate it was given"], id="a rate typed in"),
])
def test_03_1_refuses_wrong_minibatch_loops_a_learner_writes(code, words):
    """Wrong answers written as a learner types them (not the solution edited): each is refused with words that
    name its slip, and the piece is marked failed, never saved for later notebooks."""
    status, message = loop_feedback(code)
    assert status == "wrong" and all(word in message for word in words), message
    assert store.read("minibatch_descent")[0].startswith("failed")


def test_03_1_every_mistake_changes_the_path():
    expected = nb03._minibatch_run(nb03.edited("minibatch_descent"))[0]
    for name, (edits, _) in nb03.LOOP_MISTAKES.items():
        assert not nb03.same(nb03._minibatch_run(nb03.edited("minibatch_descent", edits))[0], expected), name


@pytest.mark.parametrize("old, new, expected", [
    ("epoch_order(rng, len(x), batch_size, True)", "np.random.permutation(len(x))", "you never drew from rng"),
    ("            dslope, dintercept = gradient(x_batch, y_batch, slope, intercept)\n",
     "            error = slope * x_batch + intercept - y_batch\n"
     "            dslope, dintercept = 2 * np.mean(error * x_batch), 2 * np.mean(error)\n",
     "minibatch_descent should call gradient(x, y, slope, intercept) and step(slope, intercept, dslope, dintercept, "
     "learning_rate), the functions it is given, once per step: 9 times each in these 3 epochs; yours called gradient "
     "0 and step 9 times."),
    ("    return np.array(path)", "    return np.array(path[1:])",
     "should have shape (10, 2), but yours has shape (9, 2)"),
])
def test_03_1_other_slips_are_told_what_went_wrong(old, new, expected):
    assert old in LOOP
    status, message = loop_feedback(LOOP.replace(old, new))
    assert status == "wrong" and expected in message, message


def test_03_1_loops_written_differently_are_accepted():
    indexed = LOOP.replace("        x_epoch, y_epoch = x[order], y[order]\n", "").replace(
        "x_epoch[start:start + batch_size], y_epoch[start:start + batch_size]",
        "x[order[start:start + batch_size]], y[order[start:start + batch_size]]")
    permuted = LOOP.replace("epoch_order(rng, len(x), batch_size, True)", "rng.permutation(len(x))")
    for code in (indexed, permuted):
        assert code != LOOP and loop_feedback(code)[0] == "correct"
        assert store.read("minibatch_descent")[0] == "passed"
