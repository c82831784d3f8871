"""Notebook 09's exercises: solutions pass and their pieces (momentum_step, adam_step) are saved to the learner's
library, typical mistakes get specific feedback (and a wrong piece is marked failed, nnlib standing in), and the
numbers the notebook states are nnlib's own. (Its optimiser explorer is tested with the other descent widget, in
test_widgets_descent.py; notebook 09b's schedules and early stopping in test_exercises_nb09b.py.)"""
import matplotlib

matplotlib.use("Agg")

import inspect
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from exercise_code import define, run, run_notebook

import nnlib
from nnlib.exercises import nb09
from nnlib.exercises.optimiser_steps import RATES, first_difference, nnlib_trajectory, step_case, trajectory
from nnlib.learner import my_library, store
from nnlib.learner.pieces import PIECES, check_piece
from nnlib.line import line_loss
from nnlib.optim import SGD, Adam, Custom
from nnlib.plots.descent import least_squares_line
from nnlib.widgets.descent import optimizer_path

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09_optimisers_and_schedules.ipynb"


@pytest.mark.parametrize("exercise", [nb09.q1, nb09.q2, nb09.q3])
def test_solution_is_correct_its_piece_is_saved_and_placeholder_is_unanswered(exercise):
    solved = define(exercise.solution_code)  # as in a notebook cell: a piece's code can be read back and saved
    pieces = list(getattr(exercise, "pieces", {}).values())
    saved = "".join(f" Saved to your library (my_nnlib): {piece}." for piece in pieces)
    assert exercise.feedback(*[solved[name] for name in exercise.answers]) == ("correct", "Correct!" + saved)
    assert [store.read(piece)[0] for piece in pieces] == ["passed"] * len(pieces)
    blank = run(exercise.placeholder)
    answers = [blank[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None


def test_09_1_boost_is_where_nnlibs_velocity_settles():
    """A constant gradient: nnlib's SGD velocity tends to learning_rate * g / (1 - momentum)."""
    for momentum, boost in [(0.9, 10), (0.998, 500)]:
        optimizer, theta = SGD(momentum), np.zeros(1)
        for _ in range(20000):
            optimizer.step([theta], [np.ones(1)], 1e-3)
        assert abs(-optimizer.velocities[0][0] / 1e-3 - boost) < 1e-3 * boost
    assert nb09.q1.feedback(10, 500)[0] == "correct"


@pytest.mark.parametrize("answers, expected", [
    ((9, 499), "mu / (1 - mu)"),
    ((0.1, 0.002), "that is 1 - mu"),
    ((10, 100), "boost_09 is right"),
    (("10", 500), "one number"),
])
def test_09_1_recognises_momentum_mistakes(answers, expected):
    status, message = nb09.q1.feedback(*answers)
    assert status == "wrong" and expected in message


def solution_with(exercise, old, new):
    """The function of ``exercise``'s solution with ``old`` replaced by ``new`` (a typical mistake)."""
    assert old in exercise.solution_code, old
    return run(exercise.solution_code.replace(old, new))[exercise.answers[0]]


# --- 09.2: SGD with momentum --------------------------------------------------------------------------------------
def test_09_2_solution_steps_as_nnlibs_sgd_bitwise_and_trains_as_it_inside_mlp():
    momentum_step = run(nb09.q2.solution_code)["momentum_step"]
    params, grads = step_case()
    mine = trajectory(momentum_step, params, grads, momentum=0.7)
    nnlibs = nnlib_trajectory(SGD(momentum=0.7), params, grads)
    assert all(np.array_equal(a, b) for step_a, step_b in zip(mine, nnlibs) for a, b in zip(step_a, step_b))
    X, y = nnlib.datasets.make_moons(100, noise=0.3, seed=0)
    yours = nnlib.MLP(hidden_layers=(6,), optimizer=Custom(momentum_step, momentum=0.9), momentum=0.0, epochs=20,
                      lr_schedule="step", seed=0).fit(X, y)
    theirs = nnlib.MLP(hidden_layers=(6,), optimizer="sgd", momentum=0.9, epochs=20,
                       lr_schedule="step", seed=0).fit(X, y)
    assert yours.history_.loss == theirs.history_.loss


@pytest.mark.parametrize("old, new, expected", [
    ("v -= learning_rate * g", "v += learning_rate * g", "your steps go uphill"),
    ("        v *= momentum                                 # in place, so state keeps the new velocity\n"
     "        v -= learning_rate * g\n        p += v",
     "        v *= momentum\n        v += g\n        p -= learning_rate * v",
     "did you scale the gradient by the learning rate before or after adding momentum?"),
    ("v -= learning_rate * g", "v -= (1 - momentum) * learning_rate * g", "scaled the gradient by (1 - momentum)"),
    ("v *= momentum ", "v *= 0.9 ", "the check passed momentum=0.8"),
    ("        p += v", "        p = p + v", "params never changed"),
    ("    for p, g, v in zip(params, grads, state[\"velocity\"]):",
     "    state = {\"velocity\": [np.zeros_like(p) for p in params]}\n"
     "    for p, g, v in zip(params, grads, state[\"velocity\"]):", "plain gradient descent"),
    ("        v *= momentum                                 # in place, so state keeps the new velocity\n"
     "        v -= learning_rate * g\n        p += v",
     "        p += v\n        v *= momentum\n        v -= learning_rate * g", "your first step did not move them"),
    ("    for p, g, v in zip(params, grads, state[\"velocity\"]):\n"
     "        v *= momentum                                 # in place, so state keeps the new velocity\n"
     "        v -= learning_rate * g\n        p += v",
     "    for i, (p, g, v) in enumerate(zip(params, grads, state[\"velocity\"])):\n"
     "        v *= momentum\n        v -= learning_rate * g\n        params[i] = p + v",
     "put new arrays into the list"),
    ("        p += v", "        p += v * np.nan", "NaN or infinite at step 1"),
    ("v -= learning_rate * g", "v -= learning_rate * g * 1.1", "first differ from nnlib's SGD(momentum=0.8) at step 1"),
    ("    if \"velocity\" not in state:", "    if \"velocity\" not in state or True:", "plain gradient descent"),
])
def test_09_2_names_each_typical_momentum_mistake(old, new, expected):
    status, message = nb09.q2.feedback(solution_with(nb09.q2, old, new))
    assert status == "wrong" and expected in message, message


def test_09_2_learning_rate_after_momentum_agrees_until_the_rate_changes():
    """PyTorch's form equals nnlib's while the rate is constant: the check's rates change at step 3, and it says so."""
    pytorch_form = nb09.rate_after_momentum
    params, grads = step_case()
    mine = trajectory(pytorch_form, params, grads, momentum=0.8)
    assert first_difference(mine, nnlib_trajectory(SGD(0.8), params, grads), 1e-12) == 3
    assert RATES[1] != RATES[2] and RATES[0] == RATES[1]
    assert "up to step 2 and differ from step 3 on, where the learning rate changed from 0.1 to 0.05" in \
        nb09.q2.feedback(pytorch_form)[1]


# Wrong answers written as learners write them, not taken from the checker's own table: each must be refused with a
# message that names its slip.
LEARNERS_MOMENTUM = {
    "a new velocity at every call": ('''
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    for p, g in zip(params, grads):
        v = np.zeros_like(p)
        v = momentum * v - learning_rate * g
        p += v
''', ["does not carry over from one call to the next", "plain gradient descent"]),
    "the velocity in a default argument": ('''
def momentum_step(params, grads, state, learning_rate, momentum=0.9, velocity=None):
    if velocity is None:
        velocity = [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, velocity):
        v *= momentum
        v -= learning_rate * g
        p += v
''', ["does not carry over from one call to the next", "Keep the velocities in the dict state"]),
    "the stored velocity renamed, not updated": ('''
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    if "v" not in state:
        state["v"] = [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, state["v"]):
        v = momentum * v - learning_rate * g
        p += v
''', ["plain gradient descent", "v = momentum * v - ... makes a new array and leaves the one in state at 0"]),
    "new arrays put into params": ('''
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    velocities = state.setdefault("velocities", {})
    for i in range(len(params)):
        velocities[i] = momentum * velocities.get(i, 0) - learning_rate * grads[i]
        params[i] = params[i] + velocities[i]
''', ["you put new arrays into the list params", "update each array itself in place"]),
    "p = p + v": ('''
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    if not state:
        state["v"] = [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, state["v"]):
        v[...] = momentum * v - learning_rate * g
        p = p + v
''', ["params never changed", "not p = p + v, which only makes a new array"]),
    "the learning rate applied to the velocity": ('''
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    vs = state.setdefault("vs", [np.zeros_like(p) for p in params])
    for p, g, v in zip(params, grads, vs):
        v[:] = momentum * v + g
        p -= learning_rate * v
''', ["differ from step 3 on, where the learning rate changed from 0.1 to 0.05",
      "before or after adding momentum"]),
    # Not in the table (rarer): the general message, which still states the rule the velocity breaks.
    "momentum never applied": ('''
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    if "velocity" not in state:
        state["velocity"] = [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, state["velocity"]):
        v -= learning_rate * g
        p += v
''', ["first differ from nnlib's SGD(momentum=0.8) at step 2",
          "is not momentum * (the velocity before) - learning_rate * g"]),
    "velocities in a global dict, outside state": ('''
velocities = {}
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    for i, (p, g) in enumerate(zip(params, grads)):
        velocities[i] = momentum * velocities.get(i, 0) - learning_rate * g
        p += velocities[i]
''', ["training a network with your function stopped with ValueError"]),
}


@pytest.mark.parametrize("slip", LEARNERS_MOMENTUM)
def test_09_2_a_learners_wrong_momentum_step_is_refused_with_its_slip_named(slip):
    code, words = LEARNERS_MOMENTUM[slip]
    status, message = nb09.q2.feedback(define(code)["momentum_step"])
    assert status == "wrong" and all(word in message for word in words), message


# --- 09.3: Adam ---------------------------------------------------------------------------------------------------
def test_09_3_solution_is_the_papers_adam_and_agrees_with_nnlibs_up_to_eps():
    adam_step = run(nb09.q3.solution_code)["adam_step"]
    params, grads = step_case()
    mine = trajectory(adam_step, params, grads, beta1=0.9, beta2=0.999, eps=1e-8)
    paper = trajectory(nb09.adam_reference, params, grads, learner=False)
    assert first_difference(mine, paper, 1e-15) is None
    nnlibs = nnlib_trajectory(Adam(), params, grads)
    assert first_difference(mine, nnlibs, 1e-6) is None  # nnlib does not bias-correct eps
    # Step 1 in closed form: m_hat = g and v_hat = g**2, so each parameter moves by -lr * g / (|g| + eps).
    g, p = grads[0][0], params[0]
    np.testing.assert_allclose(mine[0][0], p - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-14)


def test_09_3_nnlibs_own_form_counts_as_right_but_is_not_saved_as_it_leans_on_nnlib():
    def nnlib_form(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
        state.setdefault("adam", Adam(beta1, beta2, eps)).step(params, grads, learning_rate)
    status, message = nb09.q3.feedback(nnlib_form)
    assert status == "correct" and message.startswith("Correct! Not saved: adam_step uses Adam, defined elsewhere")
    assert store.read("adam_step") == ("missing", None)


def test_09_3_a_wrong_adam_step_is_marked_failed_and_nnlibs_stands_in():
    slip = nb09.q3.solution_code.replace("np.sqrt(v_hat) + eps", "np.sqrt(v_hat + eps)")
    status, message = nb09.q3.feedback(define(slip)["adam_step"])
    assert status == "wrong" and "eps is added after the square root" in message
    assert store.read("adam_step")[0] == f"failed: {message}"
    mine = my_library(quiet=True)
    assert "adam_step" in mine.stand_ins and mine.adam_step is PIECES["adam_step"].reference
    assert "adam_step is nnlib's reference (your version failed its check: eps is added" in mine.notice("adam_step")


@pytest.mark.parametrize("piece, exercise, hyperparameters, optimizer", [
    ("momentum_step", nb09.q2, {"momentum": 0.7}, SGD(0.7)),
    ("adam_step", nb09.q3, {"beta1": 0.8, "beta2": 0.99, "eps": 1e-8}, Adam(0.8, 0.99, 1e-8)),
])
def test_the_stand_ins_have_the_learners_signature_and_take_nnlibs_steps(piece, exercise, hyperparameters, optimizer):
    reference = PIECES[piece].reference
    assert inspect.signature(reference) == inspect.signature(run(exercise.solution_code)[piece])
    params, grads = step_case()
    mine = trajectory(reference, params, grads, **hyperparameters)
    nnlibs = nnlib_trajectory(optimizer, params, grads)
    assert all(np.array_equal(a, b) for step_a, step_b in zip(mine, nnlibs) for a, b in zip(step_a, step_b))
    assert check_piece(piece, reference) is None and exercise.feedback(reference)[0] == "correct"


def test_the_adam_piece_accepts_the_papers_eps_and_nnlibs_and_refuses_each_listed_slip():
    """Its check uses eps = 0.01, where the paper's m_hat / (sqrt(v_hat) + eps) and nnlib's (eps added before the
    bias correction) differ by far more than 1e-9: either is right; every mistake of ADAM_MISTAKES is refused."""
    assert check_piece("adam_step", run(nb09.q3.solution_code)["adam_step"]) is None  # the paper's form
    assert check_piece("adam_step", PIECES["adam_step"].reference) is None            # nnlib's
    for wrong in nb09.ADAM_MISTAKES:
        problem = check_piece("adam_step", wrong)
        assert problem.startswith("your adam_step, after three steps (beta1=0.8, beta2=0.99, eps=0.01), differs "
                                  "from nnlib's by"), (wrong.__name__, problem)


def test_the_momentum_piece_refuses_each_listed_slip_even_a_fixed_momentum_of_0_9():
    for wrong in nb09.MOMENTUM_MISTAKES:
        problem = check_piece("momentum_step", wrong)
        assert problem.startswith("your momentum_step, after three steps (momentum=0.8,"), (wrong.__name__, problem)


@pytest.mark.parametrize("old, new, expected", [
    ("        m_hat = m / (1 - beta1**t)                    # bias corrections: m and v started at 0\n"
     "        v_hat = v / (1 - beta2**t)",
     "        m_hat, v_hat = m, v", "no bias correction"),
    ("m_hat = m / (1 - beta1**t)", "m_hat = m", "you corrected v but not m"),
    ("v_hat = v / (1 - beta2**t)", "v_hat = v", "you corrected m but not v"),
    ("    state[\"t\"] += 1\n    t = state[\"t\"]", "    t = 1", "your step count does not grow"),
    ("    state[\"t\"] += 1\n    t = state[\"t\"]", "    t = state[\"t\"]\n    state[\"t\"] += 1",
     "t must be 1 at the first step"),
    ("np.sqrt(v_hat) + eps", "v_hat + eps", "the *square root* of v_hat"),
    ("np.sqrt(v_hat) + eps", "np.sqrt(v_hat + eps)", "eps is added after the square root"),
    ("p -= learning_rate", "p += learning_rate", "your steps go uphill"),
    ("    if not state:                                     # the first call",
     "    state = {}\n    if not state:", "start from 0 at every call"),
    ("(1 - beta1) * g ", "g ", "without (1 - beta1) it grows as a sum"),
    ("(1 - beta2) * g**2", "(1 - beta2) * g", "the square root of a negative number"),
    ("    for p, g, m, v in zip(params, grads, state[\"m\"], state[\"v\"]):",
     "    beta1, beta2 = 0.9, 0.999\n    for p, g, m, v in zip(params, grads, state[\"m\"], state[\"v\"]):",
     "the check passed beta1=0.8, beta2=0.99"),
    ("        p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)",
     "        p = p - learning_rate * m_hat / (np.sqrt(v_hat) + eps)", "params never changed"),
])
def test_09_3_names_each_typical_adam_mistake(old, new, expected):
    status, message = nb09.q3.feedback(solution_with(nb09.q3, old, new))
    assert status == "wrong" and expected in message, message


@pytest.mark.parametrize("wrong", nb09.ADAM_MISTAKES, ids=lambda wrong: wrong.__name__)
def test_09_3_every_listed_adam_mistake_gets_its_own_message(wrong):
    """The table's own wrong functions: each message is reachable, and no earlier entry takes the same steps."""
    status, message = nb09.q3.feedback(wrong)
    assert status == "wrong" and message == nb09.ADAM_MISTAKES[wrong].format(ratio=message_ratio(message), beta1=0.8,
                                                                             beta2=0.99)


def message_ratio(message):
    return float(message.split("Your first step was ")[1].split(" ")[0]) if "Your first step was" in message else 0


def test_every_listed_momentum_mistake_gets_its_own_message():
    for wrong, message in nb09.MOMENTUM_MISTAKES.items():
        status, feedback = nb09.q2.feedback(wrong)
        fixed = message.format(step=3, before=2, earlier=0.1, rate=0.05, momentum=0.8)
        assert status == "wrong" and feedback == fixed, (wrong.__name__, feedback)


# Wrong answers written as learners write them, not taken from the checker's own table.
LEARNERS_ADAM = {
    "t from 0, counted after the step": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state.get("t", 0)
    if t == 0:
        state["m"] = [np.zeros_like(p) for p in params]
        state["v"] = [np.zeros_like(p) for p in params]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        v += (1 - beta2) * g * g
        p -= learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    state["t"] = t + 1
''', ["NaN or infinite at step 1", "t must be 1 at the first step"]),
    "t never counted": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    if "m" not in state:
        state["t"] = 1
        state["m"] = [np.zeros_like(p) for p in params]
        state["v"] = [np.zeros_like(p) for p in params]
    t = state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * g**2
        p -= learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
''', ["your step count does not grow", "add 1 at every call"]),
    "m and v renamed, not written back": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    if not state:
        state["t"] = 0
        state["m"] = [np.zeros_like(p) for p in params]
        state["v"] = [np.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
''', ["the m and v in state stay 0", "makes a new array", "m[...] = beta1 * m + (1 - beta1) * g"]),
    "sqrt(v) without the hat": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    state.setdefault("t", 0)
    ms = state.setdefault("m", [np.zeros_like(p) for p in params])
    vs = state.setdefault("v", [np.zeros_like(p) for p in params])
    state["t"] += 1
    for p, g, m, v in zip(params, grads, ms, vs):
        m[:] = beta1 * m + (1 - beta1) * g
        v[:] = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1 ** state["t"])
        p -= learning_rate * m_hat / (np.sqrt(v) + eps)
''', ["you corrected m but not v", "v_hat = v / (1 - beta2**t)"]),
    "eps inside the square root": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    if "t" not in state:
        state.update(t=0, m=[0 * p for p in params], v=[0 * p for p in params])
    state["t"] += 1
    for i, p in enumerate(params):
        state["m"][i] = beta1 * state["m"][i] + (1 - beta1) * grads[i]
        state["v"][i] = beta2 * state["v"][i] + (1 - beta2) * grads[i] ** 2
        m_hat = state["m"][i] / (1 - beta1 ** state["t"])
        v_hat = state["v"][i] / (1 - beta2 ** state["t"])
        p -= learning_rate * m_hat / np.sqrt(v_hat + eps)
''', ["eps is added after the square root"]),
    "m and v made afresh at every call": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    t = 1
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for i, (p, g) in enumerate(zip(params, grads)):
        m[i] = beta1 * m[i] + (1 - beta1) * g
        v[i] = beta2 * v[i] + (1 - beta2) * g**2
        p -= learning_rate * (m[i] / (1 - beta1**t)) / (np.sqrt(v[i] / (1 - beta2**t)) + eps)
''', ["your m and v start from 0 at every call", "keep them (and t) in the dict state"]),
    # Not in the table (rarer): the general message, which names the step where the learner's Adam departs.
    "the betas swapped in the averages only": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    if not state:
        state.update(t=0, m=[np.zeros_like(p) for p in params], v=[np.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        m[...] = beta2 * m + (1 - beta2) * g
        v[...] = beta1 * v + (1 - beta1) * g**2
        p -= learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
''', ["first differ from nnlib's Adam at step 1: check m, v, the bias corrections"]),
    "the parameters moved before m and v": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    if not state:
        state.update(t=0, m=[np.zeros_like(p) for p in params], v=[np.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        p -= learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * g**2
''', ["first differ from nnlib's Adam at step 1: check m, v, the bias corrections"]),
    "(1 - beta)**t for 1 - beta**t": ('''
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    if not state:
        state.update(t=0, m=[np.zeros_like(p) for p in params], v=[np.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * g**2
        p -= learning_rate * (m / (1 - beta1)**t) / (np.sqrt(v / (1 - beta2)**t) + eps)
''', ["first differ from nnlib's Adam at step 2: check m, v, the bias corrections with this step's t"]),
}


@pytest.mark.parametrize("slip", LEARNERS_ADAM)
def test_09_3_a_learners_wrong_adam_step_is_refused_with_its_slip_named(slip):
    code, words = LEARNERS_ADAM[slip]
    status, message = nb09.q3.feedback(define(code)["adam_step"])
    assert status == "wrong" and all(word in message for word in words), message


def test_09_3_no_bias_correction_reports_how_much_too_long_the_first_step_was():
    """beta1 = 0.8, beta2 = 0.99: without corrections step 1 is (1 - 0.8) / sqrt(1 - 0.99) = 2 times nnlib's."""
    message = nb09.q3.feedback(solution_with(nb09.q3, "m_hat = m / (1 - beta1**t)", "m_hat = m / 1"))[1]
    assert "you corrected v but not m" in message
    no_correction = solution_with(nb09.q3, "m_hat = m / (1 - beta1**t)                    # bias corrections: m and v "
                                  "started at 0\n        v_hat = v / (1 - beta2**t)", "m_hat, v_hat = m, v")
    assert "Your first step was 2.0 times as long as nnlib's" in nb09.q3.feedback(no_correction)[1]


def markdown_09():
    text = " ".join(cell.source for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "markdown")
    return " ".join(text.split())  # one space between words: a reflowed paragraph says the same


def test_the_notebooks_claims_hold(penguins):
    """Notebook 09 section 1: the curvatures differ 8.35 million-fold (notebook 02's words); plain gradient descent
    stays > 100 % above the minimum after 5000 epochs, momentum 0.998 gets below 50 % and 100x further along the floor,
    Adam within 0.2 %; momentum 0.998 survives 4.5e-5, where plain gradient descent diverges, but not 5e-5."""
    X, y = penguins
    x = X[:, 0]
    flat, steep = np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))
    assert round(steep / flat / 1e6, 2) == 8.35 and 2.4e-5 < 2 / steep < 2.5e-5
    minimum = line_loss(x, y, *least_squares_line(x, y))
    plain, heavy, adam = (optimizer_path(x, y, opt, rate, 5000)
                          for opt, rate in [(SGD(0.0), 2e-5), (SGD(0.998), 2e-5), (Adam(), 30.0)])
    above = [line_loss(x, y, *path[-1]) / minimum - 1 for path in (plain, heavy, adam)]
    assert above[0] > 1.0 and above[1] < 0.5 and above[2] < 0.002
    assert heavy[-1, 1] < 100 * plain[-1, 1] < 0
    lasts = [len(optimizer_path(x, y, SGD(momentum), rate, 5000)) == 5001
             for momentum, rate in [(0.0, 4.5e-5), (0.998, 4.5e-5), (0.998, 5e-5)]]
    assert lasts == [False, True, False]


def test_09_states_the_valley_as_notebook_02_does_and_suggests_a_rate_momentum_survives():
    text = markdown_09()
    assert "The curvature across the valley is 8.35 million times the curvature along it" in text
    assert "ten million" not in text and "rises about" not in text
    assert "momentum 0.998 at $4.5\\times10^{-5}$, too large for plain gradient descent" in text
    assert "a rate of $5\\times10^{-5}$, too large" not in text and "about twice the rate)" not in text


@pytest.mark.slow
def test_solved_the_notebook_saves_momentum_and_adam_and_trains_section_2s_network_with_them(my_library_folder):
    """Notebook 09 with its solutions in the exercise cells: both pieces are saved, and its library cells train with
    the learner's momentum_step and adam_step (not nnlib's stand-ins) to nnlib's validation loss."""
    printed = run_notebook(NOTEBOOK, nb09, extra='import json\nprint("REPORT" + json.dumps(mine.yours))')
    assert "Exercise 09.2: Correct! Saved to your library (my_nnlib): momentum_step." in printed
    assert "Exercise 09.3: Correct! Saved to your library (my_nnlib): adam_step." in printed
    assert json.loads(printed.split("REPORT", 1)[1]) == ["momentum_step", "adam_step"]
    assert re.search(r"with your momentum_step, \S+ with nnlib's SGD \(relative difference 0e\+00\)", printed)
    assert re.search(r"with your adam_step, \S+ with nnlib's Adam", printed)
    assert "stand-in: momentum_step" not in printed and "stand-in: adam_step" not in printed


def test_notebook_09_is_about_optimisers_and_leaves_schedules_and_early_stopping_to_09b():
    text = markdown_09()
    assert text.count("### What was a parameter here") == 1 and "Next: **09b · Learning-rate schedules" in text
    assert "## 5." not in text and "patience" not in text.split("## Summary")[1]
    assert "two pieces of your own library" in text
