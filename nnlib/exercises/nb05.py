"""Exercises for notebook 05 (a single neuron).

The checkers rebuild the notebook's data the same way the notebook does (two
penguin species, split with seed 0, standardised with the training set's mean
and standard deviation), so they know the right answers. Exercise 05.3's
function is run side by side with nnlib's ``LogisticRegression`` on fresh data.
"""
import numpy as np

from ..data import Standardizer, train_val_test_split
from ..datasets import load_penguins
from ..gradcheck import numerical_gradient
from ..layers import sigmoid
from ..losses import BinaryCrossEntropy
from ..models import LogisticRegression
from ._common import check_sorting, one_number
from .checks import Exercise, Feedback, call, relative_difference

_X, _y = load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                       species=("Adelie", "Gentoo"))
_X_train, _, _, _y_train, _, _ = train_val_test_split(_X, _y, seed=0)
_SCALER = Standardizer().fit(_X_train)
_X_TRAIN_STD = _SCALER.transform(_X_train)


# --- 05.1 ------------------------------------------------------------------------------
_W1, _B1 = np.array([2.0, 3.0]), -1.0


def _check_neuron(z, p):
    x = _X_TRAIN_STD[0]
    z_right = float(x @ _W1 + _B1)
    p_right = float(sigmoid(z_right))
    first = "the first training penguin only, x = X_train_std[0]."
    z, p = one_number(z, "z", first), one_number(p, "p", first)
    if abs(z - z_right) > 1e-6:
        if abs(z - (z_right - _B1)) < 1e-6:
            return f"z is missing the bias: z = w·x + b, and b = {_B1}."
        if abs(z - float(x @ _W1[::-1] + _B1)) < 1e-6:
            return ("the weights are swapped: w1 = 2.0 goes with x[0] (bill length), "
                    "w2 = 3.0 with x[1] (flipper length).")
        if abs(z - float(_X_train[0] @ _W1 + _B1)) < 1e-6:
            return ("you used the raw measurements in mm (X_train[0]); the neuron was built on the standardised "
                    "features, X_train_std[0].")
        return f"z should be w·x + b = {_W1[0]}·x[0] + {_W1[1]}·x[1] + ({_B1}); check each term."
    if abs(p - p_right) < 1e-6:
        return None
    if abs(p - z_right) < 1e-6:
        return "p equals z: squash z with the sigmoid, p = 1 / (1 + np.exp(-z))."
    if abs(p - (1 - p_right)) < 1e-6:
        return "p is 1 - sigmoid(z): the sigmoid is 1 / (1 + exp(-z)), with a minus sign in the exponent."
    if not 0 < p < 1:
        return "a probability lies between 0 and 1: p = 1 / (1 + np.exp(-z))."
    return f"z is right; p should be sigmoid(z) = 1 / (1 + exp(-z)), about {p_right:.4f}."


q1 = Exercise(
    id="05.1",
    title="one neuron, by hand",
    answers=("z", "p"),
    placeholder='''
# Exercise 05.1: one neuron, by hand
# A neuron with weights w = [2.0, 3.0] and bias b = -1.0 looks at the first training penguin,
# x = X_train_std[0] (standardised bill length and flipper length).
# Compute its weighted sum z = w·x + b and its output p = sigmoid(z), with numpy.
z = ...
p = ...
''',
    solution='''
# Exercise 05.1: one neuron, by hand
w = np.array([2.0, 3.0])
b = -1.0
x = X_train_std[0]
z = x @ w + b
p = 1 / (1 + np.exp(-z))
''',
    checker=_check_neuron,
    hints=["z = w[0] * x[0] + w[1] * x[1] + b; with numpy, x @ w + b does the same.",
           "The sigmoid is 1 / (1 + np.exp(-z)): note the minus sign."],
    points=1,
)


# --- 05.2 ------------------------------------------------------------------------------
_W2, _B2 = np.array([1.0, 1.0]), 0.0


def _numerical_gradients(X, y, w, b):
    """The finite-difference gradient of the mean cross-entropy with respect to w (2,) and b."""
    loss = BinaryCrossEntropy()
    w, b = w.astype(float).copy(), np.array([b], dtype=float)

    def value():
        return loss.value((X @ w + b[0]).reshape(-1, 1), y.reshape(-1, 1))

    return numerical_gradient(value, w), float(numerical_gradient(value, b)[0])


_GRAD_W, _GRAD_B = _numerical_gradients(_X_TRAIN_STD, _y_train, _W2, _B2)


def _check_gradient(grad_w, grad_b):
    grad_w = np.asarray(grad_w, dtype=float)
    grad_b_array = np.asarray(grad_b, dtype=float)
    n = len(_y_train)
    if grad_w.shape == (n, 2):
        return "grad_w has one row per penguin: sum (or average) the rows, e.g. X_train_std.T @ (p - y_train) / n."
    if grad_w.shape != (2,):
        return f"grad_w must have one number per weight, shape (2,); yours has shape {grad_w.shape}."
    if grad_b_array.size != 1:
        return f"grad_b is one number (the bias is one number); yours has shape {grad_b_array.shape}."
    grad_b = float(grad_b_array.ravel()[0])
    w_ok = relative_difference(grad_w, _GRAD_W) < 1e-5
    b_ok = abs(grad_b - _GRAD_B) < 1e-6
    if w_ok and b_ok:
        return None
    if relative_difference(grad_w, -_GRAD_W) < 1e-5:
        return "grad_w has the wrong sign: the error is p - y (prediction minus label), not y - p."
    if relative_difference(grad_w, n * _GRAD_W) < 1e-5:
        return f"grad_w is {n} times too large: the loss is a mean over the {n} penguins, so divide by n."
    p = sigmoid(_X_TRAIN_STD @ _W2 + _B2)
    squared_error_grad = _X_TRAIN_STD.T @ (2 * (p - _y_train) * p * (1 - p)) / n
    if relative_difference(grad_w, squared_error_grad) < 1e-5:
        return "that is the gradient of the squared error; for cross-entropy the factor p(1 - p) cancels: (p - y)."
    if w_ok and abs(grad_b + _GRAD_B) < 1e-6:
        return "grad_w is right; grad_b has the wrong sign: np.mean(p - y_train)."
    if w_ok and abs(grad_b - n * _GRAD_B) < 1e-6:
        return "grad_w is right; grad_b is n times too large: take the mean of p - y_train, not the sum."
    if w_ok:
        return f"grad_w is right; grad_b should be the mean of p - y_train, about {_GRAD_B:.4f}."
    return (f"expected grad_w ≈ {np.round(_GRAD_W, 4)}: compute p = sigmoid(X_train_std @ w + b), then "
            "X_train_std.T @ (p - y_train) / n.")


q2 = Exercise(
    id="05.2",
    title="the gradient of the cross-entropy",
    answers=("grad_w", "grad_b"),
    placeholder='''
# Exercise 05.2: the gradient of the cross-entropy
# At w = [1.0, 1.0] and b = 0.0, compute the gradient of the mean cross-entropy over the training set
# (X_train_std, y_train) with the formulas above: grad_w has shape (2,), grad_b is one number.
grad_w = ...
grad_b = ...
''',
    solution='''
# Exercise 05.2: the gradient of the cross-entropy
w = np.array([1.0, 1.0])
b = 0.0
p = 1 / (1 + np.exp(-(X_train_std @ w + b)))
grad_w = X_train_std.T @ (p - y_train) / len(y_train)
grad_b = np.mean(p - y_train)
''',
    checker=_check_gradient,
    hints=["First the predictions for every penguin: p = 1 / (1 + np.exp(-(X_train_std @ w + b))), shape (n,).",
           "The error of each penguin is p - y_train. grad_b is its mean; grad_w weighs it by each feature: "
           "X_train_std.T @ (p - y_train) / n."],
    points=2,
)


# --- 05.3 ------------------------------------------------------------------------------
def nnlib_step(w, b, X, y, learning_rate):
    """One full-batch epoch of nnlib's LogisticRegression from (w (d,), b): returns its (w (d,), b)."""
    neuron = LogisticRegression(learning_rate=learning_rate, epochs=1, batch_size=None).build(X.shape[1], 1)
    neuron.set_parameters({"output.weights": np.reshape(w, (-1, 1)), "output.biases": np.array([b])})
    neuron.partial_fit(X, y, epochs=1)
    return neuron.coef_.copy(), neuron.intercept_


def _mean_cross_entropy(w, b, X, y):
    return BinaryCrossEntropy().value((X @ w + b).reshape(-1, 1), y.reshape(-1, 1))


def _step_mistakes(w, b, X, y, learning_rate):
    """What typical wrong steps return, with what to say about each: [(w, b, message)]."""
    n = len(y)
    p = sigmoid(X @ w + b)
    grad_w, grad_b = X.T @ (p - y) / n, np.mean(p - y)
    right_w = w - learning_rate * grad_w
    squared = 2 * (p - y) * p * (1 - p)
    p_no_bias = sigmoid(X @ w)
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
        (right_w, b - learning_rate * np.mean(sigmoid(X @ right_w + b) - y),
         "w is right; b was updated with predictions made from the *new* w. Compute both gradients at the old "
         "(w, b) first, then change both."),
        (w - learning_rate * X.T @ (p_no_bias - y) / n, b - learning_rate * np.mean(p_no_bias - y),
         "the predictions left out the bias: p = sigmoid(X @ w + b)."),
    ]


def _check_gradient_step(gradient_step):
    if not callable(gradient_step):
        return "gradient_step should be the function you defined: def gradient_step(w, b, X, y, learning_rate): ..."
    rng = np.random.default_rng(5)  # fresh data, not the notebook's: 30 samples, 3 features
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, size=30).astype(float)
    w, b, learning_rate = rng.normal(size=3), 0.4, 0.7
    result = call(gradient_step, w.copy(), b, X.copy(), y.copy(), learning_rate)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return "return the two new parameters, w and b: return w_new, b_new."
    w_new, b_new = np.asarray(result[0], dtype=float), np.asarray(result[1], dtype=float)
    if w_new.shape != w.shape:
        return (f"the new w should have the shape of w, {w.shape}; yours has shape {w_new.shape}. "
                "X.T @ (p - y) / n has one entry per feature.")
    if b_new.size != 1:
        return f"the new b is one number; yours has shape {b_new.shape}. Average p - y over the samples."
    b_new = float(b_new.ravel()[0])
    right_w, right_b = nnlib_step(w, b, X, y, learning_rate)
    w_ok = relative_difference(w_new, right_w) < 1e-12
    b_ok = abs(b_new - right_b) < 1e-12 * max(1.0, abs(right_b))
    if w_ok and b_ok:
        return _check_a_training_run(gradient_step, X, y)
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


def _check_a_training_run(gradient_step, X, y):
    """50 steps of the learner's function from 0 against LogisticRegression(epochs=50).fit."""
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(50):
        w, b = call(gradient_step, np.array(w, dtype=float), float(np.ravel(b)[0]), X, y, 0.5)
    fitted = LogisticRegression(learning_rate=0.5, epochs=50).fit(X, y)
    if relative_difference(np.append(w, b), np.append(fitted.coef_, fitted.intercept_)) > 1e-9:
        raise Feedback("one step is right, but 50 of them, each starting where the last ended, do not reach "
                       "what fit reaches: does your function change something between calls?")
    return None


q3 = Exercise(
    id="05.3",
    title="one step of gradient descent",
    answers=("gradient_step",),
    placeholder='''
# Exercise 05.3: one step of gradient descent
# Write the update that fit makes once per epoch (full batch): from the parameters w (shape (d,)) and b
# (one number), compute the gradient of the mean cross-entropy on all of X (n, d) and y (n,), then step
# against it with the learning rate. Return the new w and b (a new array and a number).
def gradient_step(w, b, X, y, learning_rate):
    ...
''',
    solution='''
# Exercise 05.3: one step of gradient descent
def gradient_step(w, b, X, y, learning_rate):
    p = 1 / (1 + np.exp(-(X @ w + b)))
    grad_w = X.T @ (p - y) / len(y)
    grad_b = np.mean(p - y)
    return w - learning_rate * grad_w, b - learning_rate * grad_b
''',
    checker=_check_gradient_step,
    hints=["Three lines: the predictions p = sigmoid(X @ w + b); the gradients of exercise 05.2; the step "
           "w - learning_rate * grad_w (and the same for b).",
           "train_neuron in section 3 makes exactly this step inside its loop (with dz = (p - y) / n)."],
    points=2,
)


# --- 05.4 ------------------------------------------------------------------------------
NEURON_NAMES = {
    "coef_": ("parameter", "it holds the two weights w1 and w2, learned by fit."),
    "intercept_": ("parameter", "it is the bias b, learned by fit like the weights."),
    "learning_rate": ("hyperparameter", "you chose it; it sets the size of each gradient-descent step."),
    "epochs": ("hyperparameter", "you chose how many passes over the training data fit makes."),
}


def _check_count(kinds, n_weights, n_parameters):
    problem = check_sorting(kinds, NEURON_NAMES)
    if problem:
        return problem
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


q4 = Exercise(
    id="05.4",
    title="weights, biases, parameters",
    answers=("kinds", "n_weights", "n_parameters"),
    placeholder='''
# Exercise 05.4: weights, biases, parameters
# For the LogisticRegression you fitted, answer "parameter" or "hyperparameter" for each name,
# then count the neuron's weights (nnlib's output.weights) and its parameters.
kinds = {"coef_": ..., "intercept_": ..., "learning_rate": ..., "epochs": ...}
n_weights = ...
n_parameters = ...
''',
    solution='''
# Exercise 05.4: weights, biases, parameters
kinds = {"coef_": "parameter", "intercept_": "parameter", "learning_rate": "hyperparameter", "epochs": "hyperparameter"}
n_weights = 2
n_parameters = 3
''',
    checker=_check_count,
    hints=["Parameters are learned by fit and end in an underscore; hyperparameters went into LogisticRegression(...).",
           "nnlib keeps the weights in output.weights and the bias in output.biases. Which of them does fit learn?"],
    points=1,
)
