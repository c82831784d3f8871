"""Exercises for notebook 09 (optimisers): how far momentum carries, then SGD with momentum and Adam written from
scratch, as pieces of the learner's library (``nnlib.learner.optimiser_checks``).

Each step function the learner writes runs side by side with nnlib's own (``nnlib.optim``) on fresh random inputs,
then in a small training run. When the two disagree, the checker compares the learner's numbers with typical wrong
versions (the ``*_MISTAKES`` tables) to name the mistake.
"""
import functools
import warnings

import numpy as np

from ..datasets import make_moons
from ..divergence import DivergenceWarning
from ..models import MLP
from ..optim import SGD, Adam, Custom
from .checks import Exercise, Feedback, call, relative_difference
from .pieces import SOLUTIONS, PieceExercise


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



# --- shared by 09.2 and 09.3: a step function against nnlib's optimiser ------------------
RATES = (0.1, 0.1, 0.05, 0.05, 0.02)  # the learning rate of each test step: it changes, as under a schedule


def step_case():
    """Fresh random parameters -- a (3, 2) matrix and a (2,) vector -- and their gradients for len(RATES) steps."""
    rng = np.random.default_rng(9)
    params = [rng.normal(size=(3, 2)), rng.normal(size=2)]
    grads = [[rng.normal(size=p.shape) for p in params] for _ in RATES]
    return params, grads


def trajectory(step, params, grads, learner=True, **hyperparameters):
    """The parameters after each step of ``step(params, grads, state, learning_rate, **hyperparameters)``, called
    once per step with one state dict, on copies of ``params``. For the ``learner``'s function, raises Feedback
    when it would lose its steps in training (arrays replaced, or never changed, instead of updated in place)."""
    start, params, state, after = params, [p.copy() for p in params], {}, []
    returned = None
    for step_grads, rate in zip(grads, RATES):
        arrays = list(params)
        returned = call(step, params, [g.copy() for g in step_grads], state, rate, **hyperparameters)
        if learner and any(new is not old for new, old in zip(params, arrays)):
            raise Feedback("you put new arrays into the list params (params[i] = ...), but training keeps its own "
                           "references to the network's arrays: update each array itself in place, with p -= ..., "
                           "p += ... or p[...] = ...")
        after.append([p.copy() for p in params])
    if learner and all(np.array_equal(p, q) for p, q in zip(after[-1], start)):
        new_arrays = isinstance(returned, (list, tuple)) and any(isinstance(r, np.ndarray) for r in returned)
        raise Feedback(("your function returns new arrays but leaves params unchanged" if new_arrays else
                        "params never changed") + ": training hands your function the network's own arrays, so "
                       "update each of them in place -- p += v, p -= ... or p[...] = ... -- not p = p + v, which only "
                       "makes a new array.")
    return after


def nnlib_trajectory(optimizer, params, grads):
    """The parameters after each step of an nnlib optimiser, on copies of ``params``."""
    params, after = [p.copy() for p in params], []
    for step_grads, rate in zip(grads, RATES):
        optimizer.step(params, [g.copy() for g in step_grads], rate)
        after.append([p.copy() for p in params])
    return after


def first_difference(mine, right, tolerance):
    """The first step (from 1) after which two trajectories differ by more than ``tolerance``; None if never."""
    for number, (a, b) in enumerate(zip(mine, right), start=1):
        if not max(relative_difference(x, y) for x, y in zip(a, b)) <= tolerance:
            return number
    return None


def _not_finite(mine):
    for number, arrays in enumerate(mine, start=1):
        if not all(np.all(np.isfinite(a)) for a in arrays):
            return number
    return None


def _diagnose(mine, right, mistakes, reference, params, grads, hyperparameters):
    """The message of the first of ``mistakes`` ({name: message}) whose wrong version, reference(..., mistake=name),
    takes exactly the learner's steps ``mine``; None if none does. A message may use {step} (the first step where
    that mistake departs from ``right``), {before}, {earlier} and {rate} (the learning rates before and at that
    step), {ratio} (the length of the learner's first step over the right one's) and the hyperparameters."""
    for mistake, message in mistakes.items():
        wrong = trajectory(functools.partial(reference, mistake=mistake), params, grads, learner=False,
                           **hyperparameters)
        if first_difference(mine, wrong, 1e-9) is None:
            step = first_difference(wrong, right, 1e-9)
            ratio = _step_length(mine[0], params) / _step_length(right[0], params)
            return message.format(step=step, before=step - 1, earlier=RATES[max(step - 2, 0)], rate=RATES[step - 1],
                                  ratio=ratio, **hyperparameters)
    return None


def _step_length(after, before):
    return np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(after, before)))


def _train_with(step, reference, **hyperparameters):
    """A small training run (moons, 8 hidden units, 10 epochs) with ``Custom(step, **hyperparameters)`` and with
    the ``reference`` optimiser settings, e.g. {"optimizer": "sgd", "momentum": 0.9}; returns both models'
    parameters as lists."""
    X, y = make_moons(n_samples=80, noise=0.2, seed=5)
    models = []
    for settings in ({"optimizer": Custom(step, **hyperparameters)}, reference):
        model = MLP(hidden_layers=(8,), learning_rate=0.05, epochs=10, batch_size=16, seed=5, **settings)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DivergenceWarning)
                model.fit(X, y)
        except Exception as error:
            raise Feedback(f"training a network with your function stopped with {type(error).__name__}: "
                           f"{error}") from None
        if model.history_.diverged:
            raise Feedback(f"your function agrees with nnlib's on test arrays, but training a network with it "
                           f"diverged: {model.history_.message}")
        models.append(list(model.parameters().values()))
    return models


# --- 09.2 --------------------------------------------------------------------------------
def momentum_reference(params, grads, state, learning_rate, momentum=0.9, mistake=None):
    """SGD with momentum as nnlib.optim.SGD steps (mistake=None), or with one of MOMENTUM_MISTAKES."""
    if mistake == "forgets the velocity":
        state = {}
    if mistake == "fixed momentum 0.9":
        momentum = 0.9
    for p, g, v in zip(params, grads, state.setdefault("velocity", [np.zeros_like(p) for p in params])):
        if mistake == "learning rate after momentum":  # PyTorch's form
            v[...] = momentum * v + g
            p -= learning_rate * v
        elif mistake == "an average of the gradients":
            v[...] = momentum * v + (1 - momentum) * g
            p -= learning_rate * v
        elif mistake == "parameters moved first":
            p += v
            v[...] = momentum * v - learning_rate * g
        else:
            scaled = {"uphill": -learning_rate * g,
                      "gradient damped": (1 - momentum) * learning_rate * g}.get(mistake, learning_rate * g)
            v[...] = momentum * v - scaled
            p += v


MOMENTUM_MISTAKES = {
    "uphill": "your steps go uphill: the velocity collects *minus* the gradient (which points to where the loss "
              "rises), v = momentum * v - learning_rate * g, and then p += v.",
    "learning rate after momentum": (
        "your steps agree with nnlib's up to step {before} and differ from step {step} on, where the learning rate "
        "changed from {earlier:g} to {rate:g}: did you scale the gradient by the learning rate before or after adding "
        "momentum? nnlib scales each gradient as it enters the velocity, v = momentum * v - learning_rate * g, so a "
        "new rate (a schedule) changes only the new gradients' share. Multiplying the whole velocity by the rate "
        "(v = momentum * v + g, then p -= learning_rate * v) gives the same steps only while the rate is constant."),
    "forgets the velocity": (
        "your velocity does not carry over from one call to the next, so this is plain gradient descent. Keep the "
        "velocities in the dict state (e.g. state['velocity'] = [np.zeros_like(p) for p in params] at the first "
        "call) and update them; change that dict, don't replace it (state = {{...}} inside the function is lost)."),
    "parameters moved first": (
        "you moved the parameters by the previous step's velocity (so your first step did not move them at all): "
        "first update v = momentum * v - learning_rate * g, then p += v."),
    "gradient damped": (
        "you scaled the gradient by (1 - momentum), which makes the velocity an average and every step "
        "(1 - momentum) times shorter than nnlib's: v = momentum * v - learning_rate * g adds the whole scaled "
        "gradient."),
    "an average of the gradients": (
        "your velocity is an average of the gradients, v = momentum * v + (1 - momentum) * g: nnlib's adds the "
        "whole gradient, scaled by the learning rate, v = momentum * v - learning_rate * g, then p += v."),
    "fixed momentum 0.9": "your function uses momentum 0.9 whatever it is given: use the argument momentum (the check "
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
        yours, nnlibs = _train_with(momentum_step, {"optimizer": "sgd", "momentum": 0.9}, momentum=0.9)
        if not max(relative_difference(a, b) for a, b in zip(yours, nnlibs)) <= 1e-10:
            return ("your steps agree with nnlib's on test arrays, but a network trained with Custom(momentum_step, "
                    "momentum=0.9) ends elsewhere than with SGD(momentum=0.9): does your function keep something "
                    "between calls outside the state dict?")
        return None
    broken = _not_finite(mine)
    if broken:
        return f"your parameters became NaN or infinite at step {broken}: check each line of the update."
    message = _diagnose(mine, right, MOMENTUM_MISTAKES, momentum_reference, params, grads, hyperparameters)
    return message or (
        f"your steps agree with nnlib's SGD(momentum=0.8) up to step {departs - 1} and differ at step {departs}: "
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
    solution="# Exercise 09.2: SGD with momentum, from scratch\n" + SOLUTIONS["momentum_step"],
    checker=_check_momentum,
    hints=["At the first call state is {}: put a list of zero arrays in it, state['velocity'] = "
           "[np.zeros_like(p) for p in params]. Later calls find it there.",
           "Loop over zip(params, grads, state['velocity']) and change the arrays themselves: v *= momentum; "
           "v -= learning_rate * g; p += v."],
    points=2,
    pieces={"momentum_step": "momentum_step"},
)


# --- 09.3 --------------------------------------------------------------------------------
def adam_reference(params, grads, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8, mistake=None):
    """Adam as the paper's Algorithm 1 writes it (mistake=None), or with one of ADAM_MISTAKES. nnlib.optim.Adam
    takes the same steps up to where eps sits (it does not bias-correct eps): both count as right."""
    if mistake == "m and v not kept":
        state = {}
    if mistake == "default betas":
        beta1, beta2 = 0.9, 0.999
    if mistake == "betas swapped":
        beta1, beta2 = beta2, beta1
    if not state:
        state.update(t=0, m=[np.zeros_like(p) for p in params], v=[np.zeros_like(p) for p in params])
    state["t"] += 1
    t = 1 if mistake == "t stays 1" else state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        share1 = 1 if mistake in ("sums, not averages", "m a sum") else 1 - beta1
        share2 = 1 if mistake in ("sums, not averages", "v a sum") else 1 - beta2
        m[...] = beta1 * m + share1 * g
        v[...] = beta2 * v + share2 * g * g
        m_hat = m if mistake in ("no bias correction", "m not corrected") else m / (1 - beta1**t)
        v_hat = v if mistake in ("no bias correction", "v not corrected") else v / (1 - beta2**t)
        root = {"no square root": v_hat, "eps inside the root": np.sqrt(v_hat + eps) - eps}.get(mistake, np.sqrt(v_hat))
        p += (1 if mistake == "uphill" else -1) * learning_rate * m_hat / (root + eps)


ADAM_MISTAKES = {
    "no bias correction": (
        "no bias correction: m and v start at 0, so in the first steps they are too small -- m by the factor "
        "(1 - beta1**t), v by (1 - beta2**t). Divide them back up: m_hat = m / (1 - beta1**t), "
        "v_hat = v / (1 - beta2**t), with t = 1, 2, 3, ... the step count you keep in state. (Your first step was "
        "{ratio:.1f} times as long as nnlib's.)"),
    "m not corrected": "you corrected v but not m: m_hat = m / (1 - beta1**t) as well.",
    "v not corrected": "you corrected m but not v: v_hat = v / (1 - beta2**t) as well.",
    "t stays 1": ("your step count does not grow, so the bias correction stays that of step 1: keep t in state and "
                  "add 1 at every call (t = 1 at the first step, 2 at the second, ...)."),
    "m and v not kept": (
        "your m and v start from 0 at every call, so each step is about learning_rate * sign(g): keep them (and t) "
        "in the dict state between calls, and change that dict rather than replacing it."),
    "no square root": "Adam divides by the *square root* of v_hat (the size of a typical gradient): "
                      "m_hat / (np.sqrt(v_hat) + eps).",
    "eps inside the root": "eps is added after the square root: np.sqrt(v_hat) + eps.",
    "sums, not averages": (
        "m and v are running averages: m = beta1 * m + (1 - beta1) * g and v = beta2 * v + (1 - beta2) * g**2; "
        "without the (1 - beta) factors they grow as sums."),
    "m a sum": "m is a running average: m = beta1 * m + (1 - beta1) * g; without (1 - beta1) it grows as a sum.",
    "v a sum": "v is a running average: v = beta2 * v + (1 - beta2) * g**2; without (1 - beta2) it grows as a sum.",
    "betas swapped": "beta1 belongs to m (the average gradient) and beta2 to v (the average squared gradient): you "
                     "swapped them.",
    "uphill": "your steps go uphill: p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps).",
    "default betas": "your function uses beta1 = 0.9 and beta2 = 0.999 whatever it is given: use the arguments (the "
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
        broken = _not_finite(mine)
        if broken:
            return (f"your parameters became NaN or infinite at step {broken}: is there a division by zero (t must "
                    "be 1 at the first step: 1 - beta1**0 = 0) or the square root of a negative number (v averages "
                    "g**2, the squared gradient)?")
        message = _diagnose(mine, paper, ADAM_MISTAKES, adam_reference, params, grads, hyperparameters)
        departs = first_difference(mine, paper, 1e-12)
        return message or (
            f"your steps agree with nnlib's Adam up to step {departs - 1} and differ at step {departs}: check m, v, "
            "the bias corrections with this step's t, and p -= learning_rate * m_hat / (np.sqrt(v_hat) + eps).")
    yours, theirs = _train_with(adam_step, reference)
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
    solution="# Exercise 09.3: Adam, from scratch\n" + SOLUTIONS["adam_step"],
    checker=_check_adam,
    hints=["Start like momentum_step: at the first call (state is empty) store t = 0 and two lists of zero arrays, "
           "then add 1 to state['t'] at every call.",
           "Write into the stored arrays (m[...] = beta1 * m + (1 - beta1) * g), or m = ... would only rename. "
           "Without the bias corrections the first steps come out about 3 times too long."],
    points=2,
    pieces={"adam_step": "adam_step"},
)
