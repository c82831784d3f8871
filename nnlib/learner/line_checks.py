"""The pieces of notebooks 01-03, a line fitted by gradient descent, and their checks:

    predict_line(x, slope, intercept) -> y_hat                 x (n,), slope and intercept numbers; y_hat (n,)
    mean_squared_error(y_hat, y) -> loss                       y_hat, y (n,); loss a number: mean((y_hat - y)**2)
    line_gradient(x, y, slope, intercept) -> (dslope, dintercept)   the gradient of that loss for the line on x, y
    descent_step(slope, intercept, dslope, dintercept, learning_rate) -> (slope, intercept)   one step downhill
    gradient_descent(x, y, learning_rate, epochs, gradient, step) -> path   (epochs + 1, 2): (slope, intercept) from
        (0, 0), then after each epoch's one step; gradient and step: functions like line_gradient and descent_step
    minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step) -> path   (steps + 1, 2): one
        step per mini-batch; each epoch's order epoch_order(rng, len(x), batch_size, True), cut into consecutive
        slices of batch_size (the last may be smaller)

nnlib stands in with its line (``nnlib.line``), its SGD step and its ``epoch_order``; a loop stand-in steps with the
gradient and step it is given, yours or nnlib's.
"""
import numpy as np

from ..gradcheck import numerical_gradient
from ..line import line_gradient, line_loss
from ..optim import SGD
from ..train import epoch_order
from .checking import Piece, differs
from .recorders import Counted


def predict_line(x, slope, intercept):
    """The stand-in: the line's prediction for every x (n,)."""
    return slope * np.asarray(x, dtype=float) + intercept


def mean_squared_error(y_hat, y):
    """The stand-in: nnlib's line loss of the line y_hat -> y_hat (slope 1, intercept 0), the mean of (y_hat - y)**2."""
    return float(line_loss(y_hat, y, 1.0, 0.0))


def descent_step(slope, intercept, dslope, dintercept, learning_rate):
    """The stand-in: nnlib's SGD step on the two parameters."""
    parameters = np.array([slope, intercept], dtype=float)
    SGD().step([parameters], [np.array([dslope, dintercept], dtype=float)], learning_rate)
    return parameters[0], parameters[1]


def minibatch_descent(x, y, learning_rate, epochs, batch_size, rng, gradient, step):
    """The stand-in: nnlib's mini-batches (``epoch_order``, consecutive slices), each one step of ``step`` on its
    ``gradient``, from (0, 0); the path (steps + 1, 2)."""
    slope = intercept = 0.0
    path = [(slope, intercept)]
    for _ in range(epochs):
        order = epoch_order(rng, len(x), batch_size, True)
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            slope, intercept = step(slope, intercept, *gradient(x[batch], y[batch], slope, intercept), learning_rate)
            path.append((slope, intercept))
    return np.array(path, dtype=float)


def gradient_descent(x, y, learning_rate, epochs, gradient, step):
    """The stand-in: full-batch descent, the mini-batch loop with one batch of every sample (which draws nothing)."""
    return minibatch_descent(x, y, learning_rate, epochs, len(x), None, gradient, step)


def _data(n, seed):
    """x (n,) around 1.5 (so that the two derivatives differ), y (n,) near a line: fresh data, not a notebook's."""
    rng = np.random.default_rng(seed)
    x = rng.normal(1.5, 1.0, size=n)
    return x, 3.0 * x - 2.0 + rng.normal(size=n)


def check_predict_line(mine):
    x = _data(6, 20)[0]
    return differs("predict_line(x, 1.7, -0.4)", mine(x.copy(), 1.7, -0.4), predict_line(x, 1.7, -0.4))


def check_mean_squared_error(mine):
    y_hat, y = _data(7, 21)
    return differs("mean_squared_error(y_hat, y)", mine(y_hat.copy(), y.copy()), mean_squared_error(y_hat, y))


def check_line_gradient(mine):
    x, y = _data(8, 22)
    answer = mine(x.copy(), y.copy(), 1.5, -0.5)
    if not isinstance(answer, (tuple, list, np.ndarray)) or len(answer) != 2:
        return "line_gradient should return two numbers: (dslope, dintercept)."
    point = np.array([1.5, -0.5])
    numerical = numerical_gradient(lambda: line_loss(x, y, point[0], point[1]), point)
    return (differs("(dslope, dintercept)", answer, line_gradient(x, y, 1.5, -0.5))
            or differs("(dslope, dintercept)", answer, numerical, 1e-6, "the finite differences of the loss"))


def check_descent_step(mine):
    answer = mine(2.0, -1.0, 0.5, -3.0, 0.1)
    if not isinstance(answer, (tuple, list, np.ndarray)) or len(answer) != 2:
        return "descent_step should return the two new parameters: (slope, intercept)."
    return differs("descent_step(2.0, -1.0, 0.5, -3.0, 0.1)", answer, descent_step(2.0, -1.0, 0.5, -3.0, 0.1))


LOOP_RATE = 0.02  # neither exercise's (02.2: 0.1, 03.1: 0.05), so that a rate typed into a loop shows


def _run_loop(loop, batch_size):
    """``loop`` on the check's case (10 samples, LOOP_RATE, 3 epochs; mini-batches of ``batch_size``, None: full
    batch) with nnlib's gradient and step, counted: (the path it returned, {"gradient": calls, "step": calls,
    "rates": the learning rates step was handed})."""
    x, y = _data(10, 23)
    gradient, step = Counted(line_gradient), Counted(descent_step, rates=True)
    batches = () if batch_size is None else (batch_size, np.random.default_rng(24))
    path = loop(x, y, LOOP_RATE, 3, *batches, gradient, step)
    return path, {"gradient": gradient.calls, "step": step.calls, "rates": set(step.rates)}


def _check_loop(name, mine, reference, batch_size, advice):
    (path, calls), (expected, expected_calls) = _run_loop(mine, batch_size), _run_loop(reference, batch_size)
    if other := calls["rates"] - {LOOP_RATE}:
        return (f"{name} handed step the learning rate {other.pop()}, not the learning_rate it was given "
                f"({LOOP_RATE} here): pass that argument on, step(slope, intercept, dslope, dintercept, "
                "learning_rate), so that whoever calls it chooses the rate.")
    problem = differs(f"the path {name} returned (the start, then one row per step)", path, expected)
    if problem:
        return f"{problem} {advice}"
    if calls != expected_calls:
        return (f"{name} should call gradient(x, y, slope, intercept) and step(slope, intercept, dslope, dintercept, "
                f"learning_rate), the functions it is given, once per step: {expected_calls['step']} times each in "
                f"these 3 epochs; yours called gradient {calls['gradient']} and step {calls['step']} times. Use the "
                "arguments, so that it runs on whatever gradient and step it is handed.")
    return None


def check_gradient_descent(mine):
    return _check_loop("gradient_descent", mine, gradient_descent, None,
                       "Start at slope = intercept = 0 and keep it as the first row; then each epoch: one gradient on "
                       "all of x and y, one step, one more row.")


def check_minibatch_descent(mine):
    return _check_loop("minibatch_descent", mine, minibatch_descent, 4,
                       "Each epoch: draw its order, order = epoch_order(rng, len(x), batch_size, True), cut it into "
                       "consecutive slices of batch_size (here 4, 4 and 2 of 10 samples), and make one step on each "
                       "slice's x and y, adding one row per step.")


PIECES = (
    Piece("predict_line", "01.1", check_predict_line, predict_line),
    Piece("mean_squared_error", "01.1", check_mean_squared_error, mean_squared_error),
    Piece("line_gradient", "02.1", check_line_gradient, line_gradient),
    Piece("descent_step", "02.2", check_descent_step, descent_step),
    Piece("gradient_descent", "02.2", check_gradient_descent, gradient_descent),
    Piece("minibatch_descent", "03.1", check_minibatch_descent, minibatch_descent),
)
