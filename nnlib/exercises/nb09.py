"""Exercises for notebook 09 (optimisers): how far momentum carries, then SGD with momentum and Adam written from
scratch, as pieces of the learner's library (``nnlib.learner.optimiser_checks``).

Each step function the learner writes runs side by side with nnlib's own (``nnlib.optim``) on fresh random inputs,
then in a small training run. When the two disagree, the checker compares the learner's numbers with typical wrong
versions (the ``*_MISTAKES`` tables: {wrong function: message}) to name the mistake; ``optimiser_steps`` runs them.
"""
import functools

import numpy as np

from ..optim import SGD, Adam, Custom
from .framework import Exercise, relative_difference
from .optimiser_steps import diagnose, first_difference, nnlib_trajectory, not_finite, step_case, train_with, trajectory
from .pieces import PieceExercise, solution


# --- 09.1 --------------------------------------------------------------------------------
def _check_boost(boost_09, boost_0998):
    for name, value in (("boost_09", boost_09), ("boost_0998", boost_0998)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            return f"{name} should be one number (how many times learning_rate * g one step is), got {value!r}."
    answer = (boost_09, boost_0998)
    if relative_difference(answer, (10, 500)) < 1e-6:
        return None
    if relative_difference(answer, (9, 499)) < 1e-6:
        return ("that is mu / (1 - mu): the part carried over from earlier steps. The step also contains this "
                "step's own -learning_rate * g: solve v = mu * v - learning_rate * g for v.")
    if relative_difference(answer, (0.1, 0.002)) < 1e-6:
        return "that is 1 - mu; the velocity grows to learning_rate * g divided by (1 - mu), not multiplied."
    if relative_difference(answer, (1 / 0.9, 1 / 0.998)) < 1e-6:
        return ("that is 1 / mu; the settled velocity solves v = mu * v - learning_rate * g, "
                "so v = -learning_rate * g / (1 - mu).")
    if relative_difference(answer[0], 10) < 1e-6:
        return "boost_09 is right (1 / (1 - 0.9) = 10); apply the same formula to mu = 0.998."
    return ("Solve v = mu * v - learning_rate * g for v: v (1 - mu) = -learning_rate * g, so one step is "
            "1 / (1 - mu) times learning_rate * g.")


q1 = Exercise(
    id="09.1",
    title="how far momentum carries",
    answers=("boost_09", "boost_0998"),
    placeholder='''
# Exercise 09.1: how far momentum carries
# Along a straight stretch of valley floor the gradient g hardly changes from step to step. The velocity
# v <- mu * v - learning_rate * g then settles where it stops changing. How many times learning_rate * g
# is one step then, for mu = 0.9 and for mu = 0.998?
boost_09 = ...
boost_0998 = ...
''',
    solution='''
# Exercise 09.1: how far momentum carries
# v = mu * v - learning_rate * g  =>  v = -learning_rate * g / (1 - mu)
boost_09 = 1 / (1 - 0.9)      # 10
boost_0998 = 1 / (1 - 0.998)  # 500
''',
    checker=_check_boost,
    hints=["When the velocity has settled, v after the update equals v before it: v = mu * v - learning_rate * g.",
           "Collect v on one side: v (1 - mu) = -learning_rate * g."],
    points=1,
)


# --- 09.2 --------------------------------------------------------------------------------
# Typical wrong momentum steps, written as a learner writes the loop's body for one parameter array p, its gradient g
# and its velocity v: the checker names the one that takes exactly the learner's steps.
def _momentum_for_each_array(update):
    """The momentum step function that keeps one velocity per parameter array in state (zeros at the first call) and
    runs ``update(p, g, v, learning_rate, momentum)`` on each array."""
    @functools.wraps(update)
    def momentum_step(params, grads, state, learning_rate, momentum=0.9):
        for p, g, v in zip(params, grads, state.setdefault("velocity", [np.zeros_like(p) for p in params])):
            update(p, g, v, learning_rate, momentum)
    return momentum_step


@_momentum_for_each_array
def velocity_uphill(p, g, v, learning_rate, momentum):
    v[...] = momentum * v + learning_rate * g
    p += v


@_momentum_for_each_array
def rate_after_momentum(p, g, v, learning_rate, momentum):  # PyTorch's form
    v[...] = momentum * v + g
    p -= learning_rate * v


@_momentum_for_each_array
def velocity_not_kept(p, g, v, learning_rate, momentum):
    v = momentum * v - learning_rate * g  # a new array: the one in state stays 0
    p += v


@_momentum_for_each_array
def moved_before_velocity(p, g, v, learning_rate, momentum):
    p += v
    v[...] = momentum * v - learning_rate * g


@_momentum_for_each_array
def gradient_damped(p, g, v, learning_rate, momentum):
    v[...] = momentum * v - (1 - momentum) * learning_rate * g
    p += v


@_momentum_for_each_array
def gradients_averaged(p, g, v, learning_rate, momentum):
    v[...] = momentum * v + (1 - momentum) * g
    p -= learning_rate * v


@_momentum_for_each_array
def momentum_fixed(p, g, v, learning_rate, momentum):
    v[...] = 0.9 * v - learning_rate * g
    p += v


MOMENTUM_MISTAKES = {
    velocity_uphill: "your steps go uphill: the velocity collects *minus* the gradient (which points to where the loss "
                     "rises), v = momentum * v - learning_rate * g, and then p += v.",
    rate_after_momentum: (
        "your steps agree with nnlib's up to step {before} and differ from step {step} on, where the learning rate "
        "changed from {earlier:g} to {rate:g}: did you scale the gradient by the learning rate before or after adding "
        "momentum? nnlib scales each gradient as it enters the velocity, v = momentum * v - learning_rate * g, so a "
        "new rate (a schedule) changes only the new gradients' share. Multiplying the whole velocity by the rate "
        "(v = momentum * v + g, then p -= learning_rate * v) gives the same steps only while the rate is constant."),
    velocity_not_kept: (
        "your velocity does not carry over from one call to the next, so this is plain gradient descent. Keep the "
        "velocities in the dict state (e.g. state['velocity'] = [np.zeros_like(p) for p in params] at the first "
        "call) and update those arrays in place (v *= momentum, then v -= learning_rate * g: v = momentum * v - ... "
        "makes a new array and leaves the one in state at 0); change that dict, don't replace it (state = {{...}} "
        "inside the function is lost)."),
    moved_before_velocity: (
        "you moved the parameters by the previous step's velocity (so your first step did not move them at all): "
        "first update v = momentum * v - learning_rate * g, then p += v."),
    gradient_damped: (
        "you scaled the gradient by (1 - momentum), which makes the velocity an average and every step "
        "(1 - momentum) times shorter than nnlib's: v = momentum * v - learning_rate * g adds the whole scaled "
        "gradient."),
    gradients_averaged: (
        "your velocity is an average of the gradients, v = momentum * v + (1 - momentum) * g: nnlib's adds the "
        "whole gradient, scaled by the learning rate, v = momentum * v - learning_rate * g, then p += v."),
    momentum_fixed: "your function uses momentum 0.9 whatever it is given: use the argument momentum (the check "
                    "passed momentum={momentum}).",
}


def _check_momentum(momentum_step):
    if not callable(momentum_step):
        return "momentum_step should be the function you defined: def momentum_step(params, grads, state, ...): ..."
    params, grads = step_case()
    hyperparameters = {"momentum": 0.8}
    mine = trajectory(momentum_step, params, grads, **hyperparameters)
    right = nnlib_trajectory(SGD(momentum=0.8), params, grads)
    departs = first_difference(mine, right, 1e-12)
    if departs is None:
        yours, nnlibs = train_with(momentum_step, {"optimizer": "sgd", "momentum": 0.9}, momentum=0.9)
        if not max(relative_difference(a, b) for a, b in zip(yours, nnlibs)) <= 1e-10:
            return ("your steps agree with nnlib's on test arrays, but a network trained with Custom(momentum_step, "
                    "momentum=0.9) ends elsewhere than with SGD(momentum=0.9): does your function keep something "
                    "between calls outside the state dict?")
        return None
    broken = not_finite(mine)
    if broken:
        return f"your parameters became NaN or infinite at step {broken}: check each line of the update."
    message = diagnose(mine, right, MOMENTUM_MISTAKES, params, grads, hyperparameters)
    return message or (
        f"your steps first differ from nnlib's SGD(momentum=0.8) at step {departs}: "
        f"your velocity after step {departs} (the change of the parameters in that step) is not "
        "momentum * (the velocity before) - learning_rate * g.")


q2 = PieceExercise(
    id="09.2",
    title="SGD with momentum, from scratch",
    answers=("momentum_step",),
    placeholder='''
# Exercise 09.2: SGD with momentum, from scratch
# Write nnlib's momentum step: for every parameter array p with gradient g, and a velocity v that starts at 0,
#     v <- momentum * v - learning_rate * g,   then   p <- p + v.
# params and grads are lists of arrays. Update each p in place (p += v, not p = p + v): they are the network's
# own arrays. Keep the velocities between calls in the dict state, which starts empty ({}).
def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    ...
''',
    solution=solution("09.2", "SGD with momentum, from scratch", "momentum_step"),
    checker=_check_momentum,
    hints=["At the first call state is {}: put a list of zero arrays in it, state['velocity'] = "
           "[np.zeros_like(p) for p in params]. Later calls find it there.",
           "Loop over zip(params, grads, state['velocity']) and change the arrays themselves: v *= momentum; "
           "v -= learning_rate * g; p += v."],
    points=2,
    pieces={"momentum_step": "momentum_step"},
)


# --- 09.3 --------------------------------------------------------------------------------
def _count_step(state, params):
    """This call's step number t (1 at the first call), kept in state beside m and v (zeros at the first call)."""
    if not state:
        state.update(t=0, m=[np.zeros_like(p) for p in params], v=[np.zeros_like(p) for p in params])
    state["t"] += 1
    return state["t"]


def adam_reference(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam as the paper's Algorithm 1 writes it. nnlib.optim.Adam takes the same steps up to where eps sits (it does
    not bias-correct eps): both count as right."""
    t = _count_step(state, params)
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)


# Typical wrong Adam steps: most as a learner writes the loop's body for one parameter array p (gradient g, averages m
# and v, step number t), a few as a slip in the whole call.
def _adam_for_each_array(update):
    """The Adam step function that keeps t, m and v in state as adam_reference does and runs
    ``update(p, g, m, v, t, learning_rate, beta1, beta2, eps)`` on each parameter array."""
    @functools.wraps(update)
    def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
        t = _count_step(state, params)
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            update(p, g, m, v, t, learning_rate, beta1, beta2, eps)
    return adam_step


@_adam_for_each_array
def no_bias_correction(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (np.sqrt(v) + eps)


@_adam_for_each_array
def m_not_corrected(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (np.sqrt(v / (1 - beta2**t)) + eps)


@_adam_for_each_array
def v_not_corrected(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (1 - beta1**t) / (np.sqrt(v) + eps)


@_adam_for_each_array
def t_stays_1(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (1 - beta1) / (np.sqrt(v / (1 - beta2)) + eps)


def m_and_v_not_kept(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_reference(params, grads, {}, learning_rate, beta1, beta2, eps)  # a new, empty state at every call


@_adam_for_each_array
def m_and_v_renamed(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g  # new arrays: the ones in state stay 0
    v = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (1 - beta1**t) / (np.sqrt(v / (1 - beta2**t)) + eps)


@_adam_for_each_array
def no_square_root(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (1 - beta1**t) / (v / (1 - beta2**t) + eps)


@_adam_for_each_array
def eps_inside_the_root(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (1 - beta1**t) / np.sqrt(v / (1 - beta2**t) + eps)


@_adam_for_each_array
def sums_not_averages(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + g
    v[...] = beta2 * v + g**2
    p -= learning_rate * m / (1 - beta1**t) / (np.sqrt(v / (1 - beta2**t)) + eps)


@_adam_for_each_array
def m_a_sum(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p -= learning_rate * m / (1 - beta1**t) / (np.sqrt(v / (1 - beta2**t)) + eps)


@_adam_for_each_array
def v_a_sum(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + g**2
    p -= learning_rate * m / (1 - beta1**t) / (np.sqrt(v / (1 - beta2**t)) + eps)


def betas_swapped(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_reference(params, grads, state, learning_rate, beta2, beta1, eps)


@_adam_for_each_array
def steps_uphill(p, g, m, v, t, learning_rate, beta1, beta2, eps):
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g**2
    p += learning_rate * m / (1 - beta1**t) / (np.sqrt(v / (1 - beta2**t)) + eps)


def default_betas(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_reference(params, grads, state, learning_rate, eps=eps)  # beta1 and beta2 not passed on


ADAM_MISTAKES = {
    no_bias_correction: (
        "no bias correction: m and v start at 0, so in the first steps they are too small -- m by the factor "
        "(1 - beta1**t), v by (1 - beta2**t). Divide them back up: m_hat = m / (1 - beta1**t), "
        "v_hat = v / (1 - beta2**t), with t = 1, 2, 3, ... the step count you keep in state. (Your first step was "
        "{ratio:.1f} times as long as nnlib's.)"),
    m_not_corrected: "you corrected v but not m: m_hat = m / (1 - beta1**t) as well.",
    v_not_corrected: "you corrected m but not v: v_hat = v / (1 - beta2**t) as well.",
    t_stays_1: ("your step count does not grow, so the bias correction stays that of step 1: keep t in state and "
                "add 1 at every call (t = 1 at the first step, 2 at the second, ...)."),
    m_and_v_not_kept: (
        "your m and v start from 0 at every call, so each step is about learning_rate * sign(g): keep them (and t) "
        "in the dict state between calls, and change that dict rather than replacing it."),
    m_and_v_renamed: (
        "the m and v in state stay 0, so each step sees only its own gradient: m = beta1 * m + ... makes a new "
        "array and leaves the one in state unchanged. Write into the stored arrays: m[...] = beta1 * m + "
        "(1 - beta1) * g, and v[...] = ... the same way."),
    no_square_root: "Adam divides by the *square root* of v_hat (the size of a typical gradient): "
                    "m_hat / (np.sqrt(v_hat) + eps).",
    eps_inside_the_root: "eps is added after the square root: np.sqrt(v_hat) + eps.",
    sums_not_averages: (
        "m and v are running averages: m = beta1 * m + (1 - beta1) * g and v = beta2 * v + (1 - beta2) * g**2; "
        "without the (1 - beta) factors they grow as sums."),
    m_a_sum: "m is a running average: m = beta1 * m + (1 - beta1) * g; without (1 - beta1) it grows as a sum.",
    v_a_sum: "v is a running average: v = beta2 * v + (1 - beta2) * g**2; without (1 - beta2) it grows as a sum.",
    betas_swapped: "beta1 belongs to m (the average gradient) and beta2 to v (the average squared gradient): you "
                   "swapped them.",
    steps_uphill: "your steps go uphill: p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps).",
    default_betas: "your function uses beta1 = 0.9 and beta2 = 0.999 whatever it is given: use the arguments (the "
                   "check passed beta1={beta1}, beta2={beta2}).",
}


def _check_adam(adam_step):
    if not callable(adam_step):
        return "adam_step should be the function you defined: def adam_step(params, grads, state, ...): ..."
    params, grads = step_case()
    hyperparameters = {"beta1": 0.8, "beta2": 0.99, "eps": 1e-8}
    mine = trajectory(adam_step, params, grads, **hyperparameters)
    paper = trajectory(adam_reference, params, grads, learner=False, **hyperparameters)
    nnlibs = nnlib_trajectory(Adam(beta1=0.8, beta2=0.99, eps=1e-8), params, grads)
    if first_difference(mine, nnlibs, 1e-12) is None:
        reference = {"optimizer": "adam"}
    elif first_difference(mine, paper, 1e-12) is None:
        reference = {"optimizer": Custom(adam_reference)}
    else:
        broken = not_finite(mine)
        if broken:
            return (f"your parameters became NaN or infinite at step {broken}: is there a division by zero (t must "
                    "be 1 at the first step: 1 - beta1**0 = 0) or the square root of a negative number (v averages "
                    "g**2, the squared gradient)?")
        message = diagnose(mine, paper, ADAM_MISTAKES, params, grads, hyperparameters)
        departs = first_difference(mine, paper, 1e-12)
        return message or (
            f"your steps first differ from nnlib's Adam at step {departs}: check m, v, "
            "the bias corrections with this step's t, and p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps).")
    yours, theirs = train_with(adam_step, reference)
    if not max(relative_difference(a, b) for a, b in zip(yours, theirs)) <= 1e-10:
        return ("your steps agree with Adam's on test arrays, but a network trained with Custom(adam_step) ends "
                "elsewhere: does your function keep something between calls outside the state dict?")
    return None


q3 = PieceExercise(
    id="09.3",
    title="Adam, from scratch",
    answers=("adam_step",),
    placeholder='''
# Exercise 09.3: Adam, from scratch
# Write Adam's step. Keep in state a step count t (0 at the start) and, for every parameter, m and v (zeros).
# At each call add 1 to t; then for every p with gradient g:
#     m <- beta1 * m + (1 - beta1) * g          v <- beta2 * v + (1 - beta2) * g**2
#     m_hat = m / (1 - beta1**t)                v_hat = v / (1 - beta2**t)
#     p <- p - learning_rate * m_hat / (sqrt(v_hat) + eps)
# As in 09.2: update the arrays in place, and keep t, m and v in state between calls.
def adam_step(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    ...
''',
    solution=solution("09.3", "Adam, from scratch", "adam_step"),
    checker=_check_adam,
    hints=["Start like momentum_step: at the first call (state is empty) store t = 0 and two lists of zero arrays, "
           "then add 1 to state['t'] at every call.",
           "Write into the stored arrays (m[...] = beta1 * m + (1 - beta1) * g), or m = ... would only rename. "
           "Without the bias corrections the first steps come out about 3 times too long."],
    points=2,
    pieces={"adam_step": "adam_step"},
)
