"""Exercises for notebook 05 (a single neuron).

Exercises 05.1-05.3 build pieces of the learner's library (``PieceExercise``): a sigmoid that never overflows,
binary cross-entropy with its gradient, and one neuron's gradient-descent step. Each checker here runs the learner's
function on small fixed cases of its own and names a typical mistake when the answer equals that mistake's result;
every other difference is left to the piece's own check against nnlib (``nnlib.learner.neuron_checks``), which runs
next. Exercise 05.3's step is also run 50 times in a row against ``LogisticRegression.fit``.
"""
import numpy as np

from ..layers import sigmoid as nnlib_sigmoid
from ..learner.neuron_checks import LARGE, neuron_step, step_case, warns
from ..losses import BinaryCrossEntropy
from ..models import LogisticRegression
from .framework import Feedback, call, relative_difference, same
from .pieces import PieceExercise, solution
from .sorting import sorting_exercise


# --- 05.1 ------------------------------------------------------------------------------
def _overflows(sigmoid, x):
    """True when ``sigmoid`` at the single value ``x`` makes numpy warn (or Python's math raise)."""
    try:
        return warns(sigmoid, np.array([x]))[1] is not None
    except Exception:  # any other error: the piece's own check reports it
        return False


def _check_sigmoid(sigmoid):
    x = np.linspace(-6.0, 6.0, 13)
    try:
        answer = call(sigmoid, x.copy())
    except Feedback as error:
        if "math" in getattr(getattr(sigmoid, "__code__", None), "co_names", ()):
            raise Feedback("sigmoid: math.exp takes one number at a time; np.exp works on every entry of an "
                           "array at once.") from None
        if "ambiguous" in str(error):
            raise Feedback("sigmoid: `if x >= 0:` asks one question of a whole array, which has no single answer. "
                           "Choose entry by entry: np.where(x >= 0, value where true, value where false).") from None
        raise
    if same(answer, 1 - nnlib_sigmoid(x)):
        return "sigmoid: your values are 1 - sigmoid(x): the sigmoid is 1 / (1 + exp(-x)), with a minus sign in the " \
               "exponent, so that sigmoid(5) is close to 1."
    if same(answer, nnlib_sigmoid(np.abs(x))):
        return ("sigmoid: right for x >= 0, but for x < 0 yours is sigmoid(|x|), above 0.5: 1 / (1 + e) with "
                "e = np.exp(-np.abs(x)) holds only for x >= 0; for x < 0 it is e / (1 + e): np.where(x >= 0, ...).")
    if not same(answer, nnlib_sigmoid(x)):
        return None  # another difference: the piece's own check describes it
    low, high = _overflows(sigmoid, -1000.0), _overflows(sigmoid, 1000.0)
    safe = "e = np.exp(-np.abs(x)) lies between 0 and 1 for every x"
    if low and high:
        return ("sigmoid: np.exp overflows for x = -1000 and for x = 1000. If you used np.where: it computes both "
                "of its arrays for every entry before it chooses, so each of them must be safe everywhere. "
                f"{safe}: np.where(x >= 0, 1 / (1 + e), e / (1 + e)).")
    if low:
        return ("sigmoid: right for small x, but for x = -1000, exp(-x) = exp(1000) is more than a float holds: "
                "np.exp warns that it overflows (1 / (1 + inf) = 0 is right only by luck) and math.exp stops with an "
                f"error. For x < 0 write the same number as e / (1 + e) with e = np.exp(x); {safe}.")
    if high:
        return ("sigmoid: np.exp(x) overflows for x = 1000, and inf / inf is nan. For x >= 0 write the same number "
                f"as 1 / (1 + np.exp(-x)); {safe}.")
    far = call(sigmoid, LARGE.copy())  # from -1000 to 1000
    if not same(far, nnlib_sigmoid(LARGE)):
        return (f"sigmoid: right for small x, but yours gives {far[0]:.3g} at x = -1000 and {far[-1]:.10g} at x = "
                "1000: there the sigmoid is 0 and 1 to float precision. Clipping x to a narrow range (np.clip(x, -10, "
                f"10)) changes the values; {safe}, so nothing needs clipping.")
    return None


q1 = PieceExercise(
    id="05.1",
    title="a sigmoid that never overflows",
    answers=("sigmoid",),
    placeholder='''
# Exercise 05.1: a sigmoid that never overflows
# sigmoid(x) = 1 / (1 + exp(-x)) entry by entry, for an array x of any shape, without numpy's warnings even for
# x = -1000 or x = 1000, where np.exp(-x) or np.exp(x) overflows: take exponentials only of numbers <= 0.
def sigmoid(x):
    ...
''',
    solution=solution("05.1", "a sigmoid that never overflows", "sigmoid"),
    checker=_check_sigmoid,
    hints=["For x < 0, multiply the top and the bottom of 1 / (1 + exp(-x)) by exp(x): the same number is "
           "exp(x) / (1 + exp(x)), whose exponent x is below 0. With e = np.exp(-np.abs(x)), every x has a form "
           "that uses only e.",
           "e = np.exp(-np.abs(x)), then np.where(x >= 0, 1 / (1 + e), e / (1 + e)). (np.where computes both "
           "arrays for every entry, so neither may overflow.)"],
    points=2,
    pieces={"sigmoid": "sigmoid"},
)


# --- 05.2 ------------------------------------------------------------------------------
def _bce_mistakes(scores, y):
    """[(what a typical wrong binary_cross_entropy returns, what to say)] for scores (n, 1) and y (n, 1)."""
    n, p = len(scores), nnlib_sigmoid(scores)
    loss, dscores = BinaryCrossEntropy().value_and_gradient(scores, y)
    mean = f"the loss is the mean over the {n} samples, so its gradient carries a 1/n too: dscores = (p - y) / n"
    return [
        ((loss, p - y), f"dscores is n times too large: {mean}."),
        ((n * loss, p - y), f"the loss and dscores are n times too large: {mean}."),
        ((n * loss, dscores), "the loss is n times too large: take the mean over the samples, not the sum."),
        ((np.logaddexp(0, scores) - y * scores, dscores), "the loss is one number, the mean over the samples: "
                                                          "np.mean(...) of the per-sample losses."),
        ((loss, (y - p) / n), "dscores has the wrong sign: the loss falls as p moves towards y, so its gradient "
                              "is p - y, not y - p: dscores = (p - y) / n."),
        ((-loss, dscores), "the loss is negative: cross-entropy is *minus* the mean of y log p + (1 - y) log(1 - p), "
                           "and each log of a probability is below 0."),
        ((loss, 2 * (p - y) * p * (1 - p) / n), "dscores is the squared error's gradient, 2 (p - y) p (1 - p) / n; "
                                                "for cross-entropy the factor p (1 - p) cancels: (p - y) / n."),
    ]


def _check_binary_cross_entropy(binary_cross_entropy):
    scores, y = np.random.default_rng(52).normal(scale=2.0, size=(5, 1)), np.array([[1.0], [0.0], [0.0], [1.0], [1.0]])
    answer = call(binary_cross_entropy, scores.copy(), y.copy())
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None  # the piece's own check says what to return
    for wrong, message in _bce_mistakes(scores, y):
        if all(same(mine, bad) for mine, bad in zip(answer, wrong)):
            return "binary_cross_entropy: " + message
    right = BinaryCrossEntropy().value_and_gradient(scores, y)  # near it: a small number inside the log shows below
    if not all(same(mine, good, 1e-4) for mine, good in zip(answer, right)):
        return None
    large, labels = LARGE[::-1].reshape(-1, 1), np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0], [1.0]])
    answer = call(binary_cross_entropy, large.copy(), labels.copy())  # an error inside becomes Feedback
    warning = warns(binary_cross_entropy, large.copy(), labels.copy())[1]
    if warning and "overflow" in warning:
        return ("binary_cross_entropy: np.exp overflows for a score of 1000 or -1000. Compute p without overflow, "
                "as your sigmoid does, inside this function (a piece stands on its own): p = "
                "np.exp(-np.logaddexp(0, -scores)) is 1 / (1 + exp(-scores)); and log(1 + exp(scores)) is "
                "np.logaddexp(0, scores).")
    right = BinaryCrossEntropy().value(large, labels)
    if warning or not all(np.all(np.isfinite(np.asarray(part, dtype=float))) for part in answer):
        numpy = f" (numpy: '{warning}')" if warning else ""
        return (f"binary_cross_entropy: the loss is inf or nan for scores such as 1000 or -1000{numpy}. There p is "
                "exactly 1.0 or 0.0 in floating point, so log(1 - p) or log p is log(0) = -inf, and 0 * log(0) is "
                "nan. Write the loss without p: -[y log p + (1 - y) log(1 - p)] = log(1 + exp(z)) - y z, and "
                "np.logaddexp(0, scores) computes log(1 + exp(scores)) without overflow.")
    if float(np.ravel(answer[0])[0]) < right * (1 - 1e-6):
        return (f"binary_cross_entropy: for scores of 1000 and -1000 your loss is {float(np.ravel(answer[0])[0]):.4g}"
                f", nnlib's {right:.4g}. Clipping p (np.clip(p, 1e-15, 1 - 1e-15)) or adding a small number inside "
                "the log caps what a confident mistake costs: a score of 1000 for a label 0 costs 1000, not 34.5. "
                "Use np.logaddexp(0, scores) - y * scores, which needs neither.")
    return None


q2 = PieceExercise(
    id="05.2",
    title="binary cross-entropy and its gradient",
    answers=("binary_cross_entropy",),
    placeholder='''
# Exercise 05.2: binary cross-entropy and its gradient
# scores (n, 1): each sample's z = w·x + b (its log-odds); y (n, 1): labels 0.0 or 1.0. With p = sigmoid(scores):
#   loss    = -(1/n) * sum of [y log p + (1 - y) log(1 - p)]      (a float)
#   dscores = (p - y) / n                                          (n, 1): the gradient of the loss w.r.t. scores
# Return (loss, dscores), finite for scores of 1000 and -1000; compute p in here (it cannot call your sigmoid).
def binary_cross_entropy(scores, y):
    ...
''',
    solution=solution("05.2", "binary cross-entropy and its gradient", "binary_cross_entropy"),
    checker=_check_binary_cross_entropy,
    hints=["The loss without log(0): np.mean(np.logaddexp(0, scores) - y * scores). p without overflow: "
           "np.exp(-np.logaddexp(0, -scores)), since 1 / (1 + exp(-z)) = exp(-log(1 + exp(-z))).",
           "n = len(scores); return float(loss), (p - y) / n."],
    points=2,
    pieces={"binary_cross_entropy": "binary_cross_entropy"},
)


# --- 05.3 ------------------------------------------------------------------------------
def _mean_cross_entropy(w, b, X, y):
    return BinaryCrossEntropy().value((X @ w + b).reshape(-1, 1), y.reshape(-1, 1))


def _step_mistakes(w, b, X, y, learning_rate):
    """What typical wrong steps return, with what to say about each: [(w, b, message)]."""
    n = len(y)
    p = nnlib_sigmoid(X @ w + b)
    grad_w, grad_b = X.T @ (p - y) / n, np.mean(p - y)
    right_w = w - learning_rate * grad_w
    squared = 2 * (p - y) * p * (1 - p)
    p_no_bias = nnlib_sigmoid(X @ w)
    return [
        (w + learning_rate * grad_w, b + learning_rate * grad_b,
         "your step goes uphill: the gradient points to where the loss *rises*, so step against it: "
         "w - learning_rate * grad_w and b - learning_rate * grad_b (the error is p - y, not y - p). On a test "
         "set of 30 samples your step took the loss from {before:.4f} up to {after:.4f}."),
        (w - grad_w, b - grad_b, "your step is the whole gradient: multiply it by learning_rate first."),
        (w - learning_rate * X.T @ (p - y), b - learning_rate * np.sum(p - y),
         f"your step is {n} times too long: the loss is a *mean* over the {n} samples, so divide the sums by n "
         "(or use np.mean)."),
        (w - learning_rate * X.T @ squared / n, b - learning_rate * np.mean(squared),
         "that step follows the squared error's gradient, 2 (p - y) p (1 - p); the cross-entropy's is simply "
         "p - y (section 3)."),
        (right_w, b, "w is right, but b did not move: the bias has a gradient too, the mean of p - y."),
        (right_w, b - learning_rate * np.mean(nnlib_sigmoid(X @ right_w + b) - y),
         "w is right; b was updated with predictions made from the *new* w. Compute both gradients at the old "
         "(w, b) first, then change both."),
        (w - learning_rate * X.T @ (p_no_bias - y) / n, b - learning_rate * np.mean(p_no_bias - y),
         "the predictions left out the bias: p = sigmoid(X @ w + b)."),
    ]


def _check_neuron_step(step):
    if not callable(step):
        return "neuron_step should be the function you defined: def neuron_step(w, b, X, y, learning_rate): ..."
    w, b, X, y, learning_rate = step_case()  # fresh data, not the notebook's: 30 samples, 3 features
    try:
        result = call(step, w.copy(), b, X.copy(), y.copy(), learning_rate)
    except Feedback as error:
        raise Feedback(f"{error} Check each product's shapes: here X is (30, 3), w (3,) and y (30,); X.T @ (p - y) "
                       "has one entry per feature, like w.") from None
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return "return the two new parameters, w and b: return w_new, b_new."
    w_new, b_new = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
    if w_new.shape != w.shape:
        return (f"the new w should have the shape of w, {w.shape}; yours has shape {w_new.shape}. "
                "X.T @ (p - y) / n has one entry per feature.")
    if b_new.size != 1:
        return f"the new b is one number; yours has shape {b_new.shape}. Average p - y over the samples."
    b_new = float(b_new.ravel()[0])
    right_w, right_b = neuron_step(w, b, X, y, learning_rate)
    w_ok = relative_difference(w_new, right_w) < 1e-12
    b_ok = abs(b_new - right_b) < 1e-12 * max(1.0, abs(right_b))
    if w_ok and b_ok:
        return _check_a_training_run(step, X, y)
    for mistake_w, mistake_b, message in _step_mistakes(w, b, X, y, learning_rate):
        w_like = relative_difference(w_new, mistake_w) < 1e-9
        b_like = abs(b_new - mistake_b) < 1e-9 * max(1.0, abs(mistake_b))
        if (w_like or w_ok) and (b_like or b_ok):
            where = ("" if relative_difference(mistake_w, right_w) < 1e-12
                     else " (Your w is right: the slip is in b.)" if w_ok
                     else " (Your b is right: the slip is in w.)" if b_ok else "")
            before, after = _mean_cross_entropy(w, b, X, y), _mean_cross_entropy(w_new, b_new, X, y)
            return message.format(before=before, after=after) + where
    return (f"{'w is right, but b' if w_ok else 'the new w'} differs from what one epoch of LogisticRegression.fit "
            f"computes (w = {np.round(right_w, 4)}, b = {right_b:.4f} on a test set of 30 samples). Compute "
            "p = sigmoid(X @ w + b), then grad_w = X.T @ (p - y) / n and grad_b = mean(p - y), then step.")


def _check_a_training_run(step, X, y):
    """50 steps of the learner's function from 0 against LogisticRegression(epochs=50).fit."""
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(50):
        w, b = call(step, np.array(w, dtype=float), float(np.ravel(b)[0]), X, y, 0.5)
    fitted = LogisticRegression(learning_rate=0.5, epochs=50).fit(X, y)
    if relative_difference(np.append(w, b), np.append(fitted.coef_, fitted.intercept_)) > 1e-9:
        raise Feedback("one step is right, but 50 of them, each starting where the last ended, do not reach "
                       "what fit reaches: does your function change something between calls?")
    return None


q3 = PieceExercise(
    id="05.3",
    title="one step of gradient descent",
    answers=("neuron_step",),
    placeholder='''
# Exercise 05.3: one step of gradient descent
# fit's full-batch update: from w (d,) and b (a number), step against the mean cross-entropy's gradient on X (n, d)
# and y (n,); return the new w and b. Compute p = sigmoid(X @ w + b) in here, without overflow, as in 05.2.
def neuron_step(w, b, X, y, learning_rate):
    ...
''',
    solution=solution("05.3", "one step of gradient descent", "neuron_step"),
    checker=_check_neuron_step,
    hints=["Three steps: the predictions p = sigmoid(X @ w + b) (np.exp(-np.logaddexp(0, -z)) is sigmoid(z)); the "
           "gradients of section 4; the step w - learning_rate * grad_w (and the same for b).",
           "grad_w = X.T @ (p - y) / len(y) and grad_b = np.mean(p - y): train_neuron in section 3 makes exactly this "
           "step inside its loop (with dz = (p - y) / n)."],
    points=2,
    pieces={"neuron_step": "neuron_step"},
)


# --- 05.4 ------------------------------------------------------------------------------
NEURON_NAMES = {
    "coef_": ("parameter", "it holds the two weights w1 and w2, learned by fit."),
    "intercept_": ("parameter", "it is the bias b, learned by fit like the weights."),
    "learning_rate": ("hyperparameter", "you chose it; it sets the size of each gradient-descent step."),
    "epochs": ("hyperparameter", "you chose how many passes over the training data fit makes."),
    "history_": ("neither", "fit sets it (hence the underscore), but it records the loss of every epoch, how training "
                            "went: a record of the run, not a value of the neuron."),
}


def _check_count(n_weights, n_parameters):
    if n_weights != 2:
        if n_weights == 3:
            return ("n_weights: count only the weights, output.weights (coef_): one per input feature. "
                    "nnlib keeps the bias apart, in output.biases.")
        return "n_weights: the neuron has one weight per input feature (bill length, flipper length)."
    if n_parameters != 3:
        if n_parameters == 2:
            return ("n_parameters: the bias is learned too, so it counts as a parameter: the parameters are "
                    "everything fit learns, 2 weights + 1 bias.")
        return "n_parameters: count everything fit learns: the weights and the bias."
    return None


q4 = sorting_exercise(
    "05.4", "weights, biases, parameters", NEURON_NAMES,
    intro='For the LogisticRegression you fitted, answer "parameter", "hyperparameter" or "neither" for each name,\n'
          "then count the neuron's weights (nnlib's output.weights) and its parameters.",
    kinds=("parameter", "hyperparameter", "neither"),
    more_answers={"n_weights": 2, "n_parameters": 3},
    extra_check=_check_count,
    hints=["Hyperparameters went into LogisticRegression(...); fit sets every name ending in an underscore: the "
           "parameters, and also records of how training went.",
           "nnlib keeps the weights in output.weights and the bias in output.biases. Which of them does fit learn?"],
)
