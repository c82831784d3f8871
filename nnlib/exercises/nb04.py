"""Exercises for notebook 04 · Overfitting and validation (polynomials on a noisy toy curve).

Exercises 04.2 (the split and standardising) and 04.4 (the L2 penalty) build pieces of the learner's library
(``PieceExercise``): their checkers run the learner's functions on small cases of their own whose rows can be
read back, and name a typical slip when the answer shows it; any other difference is left to the piece's own check
against nnlib (``nnlib.learner.data_checks``), which runs next.
"""
from itertools import permutations

import numpy as np

from ..data import train_val_test_split
from ..datasets import make_curve
from ..features import polynomial_features
from .framework import Exercise, call, explained, finite, same, slip_checker
from .pieces import PieceExercise, solution

SHUFFLE = "np.random.default_rng(seed).permutation(len(X))"
SPLIT_CUTS = ("test", "val", "train")  # nnlib's order: the test rows first, then validation, the rest for training


def _matching(answer, mistakes):
    """The message of the first (wrong result, message) in ``mistakes`` that ``answer`` equals, else None."""
    return next((message for wrong, message in mistakes if same(answer, wrong)), None)


def _split():
    """The notebook's data and split: make_curve() defaults, 25% validation, 25% test, seed 0."""
    X, y = make_curve(n_samples=60, noise=0.25, seed=0)
    return train_val_test_split(X, y, val_size=0.25, test_size=0.25, seed=0)


def _errors_by_degree(degrees=range(1, 16)):
    """(train, val, test) mean squared errors of least-squares polynomials fitted on the training data."""
    X_train, X_val, X_test, y_train, y_val, y_test = _split()
    rows = []
    for degree in degrees:
        features = polynomial_features(X_train, degree)
        design = np.column_stack([features, np.ones(len(features))])
        params = np.linalg.lstsq(design, y_train, rcond=None)[0]
        rows.append([np.mean((np.column_stack([polynomial_features(X, degree), np.ones(len(X))]) @ params - y) ** 2)
                     for X, y in ((X_train, y_train), (X_val, y_val), (X_test, y_test))])
    return np.array(rows)


# --- 04.1 -----------------------------------------------------------------------------
def _check_count(n_parameters):
    if n_parameters == 8:
        return None
    if n_parameters == 7:
        return "7 weights (for x, x², ..., x⁷) is right, but the intercept is learned too: count it."
    if n_parameters == 1:
        return ("The degree is one number, but you choose it: it is a hyperparameter. Count what fit learns: "
                "one weight per column of polynomial_features, plus the intercept.")
    if n_parameters == 9:
        return "polynomial_features has no column of ones: the intercept is counted once, as the bias."
    if n_parameters == 2:
        return "That is a straight line's count. A degree-7 polynomial has a weight for each power x, x², ..., x⁷."
    return "Count the columns of polynomial_features(x, 7) (one weight each), then add the intercept."


q1 = Exercise(
    id="04.1",
    title="How many parameters does the degree create?",
    answers=("n_parameters",),
    placeholder="""
# Exercise 04.1: How many parameters does the degree create?
n_parameters = ...  # parameters that fit learns for a polynomial of degree 7
""",
    solution="""
# Exercise 04.1: How many parameters does the degree create?
n_parameters = polynomial_features(np.zeros(1), 7).shape[1] + 1  # 7 weights + 1 intercept
""",
    checker=_check_count,
    hints=["polynomial_features(x, 7) has one column per power: x, x², ..., x⁷. Each column gets one weight.",
           "The intercept (bias) is a parameter as well."],
)


# --- shared by 04.2 and 04b.2 (nb04b): data whose rows can be read back, and the shuffles a learner may make ---
def numbered(n):
    """X (n, 2): each row's number, then noise; y (n,): 100 + the row's number. A returned array shows its rows."""
    return np.column_stack([np.arange(n), np.random.default_rng(n).normal(size=n)]), 100.0 + np.arange(n)


def row_numbers(part, n):
    """The row numbers of numbered(n) that a returned X part (2-d) or y part (1-d) holds; None for anything else."""
    try:
        part = np.asarray(part, dtype=float)
    except (TypeError, ValueError):
        return None
    numbers = part[:, 0] if part.ndim == 2 and part.shape[1] == 2 else part - 100 if part.ndim == 1 else None
    return None if numbers is None or not np.all(np.isin(numbers, np.arange(n))) else numbers.astype(int)


def same_rows(mine, expected):
    return len(mine) == len(expected) and all(np.array_equal(a, b) for a, b in zip(mine, expected))


def _flat(answer):
    """Every number a function returned (tuples and lists of arrays, nested), as one flat array."""
    if isinstance(answer, (tuple, list)):
        return np.concatenate([_flat(part) for part in answer] or [np.zeros(0)])
    return np.asarray(answer, dtype=float).ravel()


def unchanged(X, y):
    """A sentence if the X or y of numbered given to a learner's function changed, else None."""
    if not all(np.array_equal(a, b) for a, b in zip((X, y), numbered(len(y)))):
        return ("the X or y passed in changed (rng.shuffle(X) shuffles X itself): shuffle the row numbers instead, "
                f"order = {SHUFFLE}, and take X[...] and y[...] of them.")
    return None


def shuffle_problem(function, args, seed, rows, cut, what):
    """Why the learner's ``rows`` are not ``cut`` of the permutation from np.random.default_rng(seed), when a typical
    slip explains it (no shuffle, numpy's old generator, a new shuffle per call, the seed ignored); else None."""
    n = len(args[1])
    if same_rows(rows, cut(np.arange(n))):
        return f"you did not shuffle: the rows must be drawn at random, order = {SHUFFLE}, before they are cut."
    if same_rows(rows, cut(np.random.RandomState(seed).permutation(n))):
        return ("np.random.seed and np.random.permutation (or RandomState) are numpy's old generator, which shuffles "
                f"differently for the same seed: use {SHUFFLE}, as nnlib does.")
    first, again, other = (_flat(call(function, *(np.copy(a) if isinstance(a, np.ndarray) else a for a in args), s))
                           for s in (seed, seed, seed + 1))
    if not np.array_equal(first, again):
        return (f"two calls with seed={seed} did not give the same {what}: make the generator inside the function "
                f"from its seed, {SHUFFLE}, so that a seed always gives the same {what}.")
    if np.array_equal(first, other):
        return (f"seed={seed} and seed={seed + 1} gave the same {what}: your function ignores its seed; shuffle with "
                f"{SHUFFLE}.")
    return None


# --- 04.2 -----------------------------------------------------------------------------
SPLIT_CASE = (38, 0.3, 0.2, 5)  # n, val_size, test_size, seed: 11.4 and 7.6 samples, where round() and int() differ


def _split_rows(order, n_val, n_test, cuts=SPLIT_CUTS):
    """[train, val, test]: ``order`` cut into consecutive pieces of their sizes, in the order ``cuts``."""
    sizes = {"test": n_test, "val": n_val, "train": len(order) - n_val - n_test}
    pieces = dict(zip(cuts, np.split(order, np.cumsum([sizes[cut] for cut in cuts])[:-1])))
    return [pieces["train"], pieces["val"], pieces["test"]]


def _split_problem(split):
    n, val_size, test_size, seed = SPLIT_CASE
    X, y = numbered(n)
    answer = explained(split, (X, y, val_size, test_size, seed), {("slice indices", "only integers"): (
        "train_val_test_split: len(X) * test_size is not a whole number (38 * 0.2 = 7.6), and a slice needs one: "
        "round the sizes, round(len(X) * test_size) and round(len(X) * val_size), as nnlib does.")})
    if problem := unchanged(X, y):
        return problem
    if not isinstance(answer, (tuple, list)) or len(answer) != 6:
        return ("return six arrays: X_train, X_val, X_test, y_train, y_val, y_test (scikit-learn's train_test_split "
                "returns four, in another order).")
    rows = [row_numbers(part, n) for part in answer]
    if any(part is None for part in rows):
        return None  # the piece's own check compares each array with nnlib's
    if [np.ndim(part) for part in answer] != [2, 2, 2, 1, 1, 1]:
        return "return the X parts first, then the y parts: X_train, X_val, X_test, y_train, y_val, y_test."
    for name, X_rows, y_rows in zip(("train", "val", "test"), rows[:3], rows[3:]):
        if not np.array_equal(X_rows, y_rows):
            return f"y_{name} holds other samples than X_{name}: take the same rows of both, X[{name}] and y[{name}]."
    n_val, n_test = round(n * val_size), round(n * test_size)
    if sum(map(len, rows[:3])) != n or len(np.unique(np.concatenate(rows[:3]))) != n:
        return ("every sample belongs to exactly one of the three sets: shuffle once and cut that one order into "
                "three consecutive pieces (a new shuffle for each set makes sets that overlap).")
    sizes = tuple(map(len, rows[:3]))
    if sizes[1:] == (int(n * val_size), int(n * test_size)) != (n_val, n_test):
        return ("int() cuts 38 * 0.2 = 7.6 down to 7: round the sizes, round(len(X) * test_size) and "
                "round(len(X) * val_size), as nnlib does.")
    if sizes[1:] == (n_test, n_val):
        return ("your validation set has the test set's size, and the other way round: val_size is the validation "
                "set's share, test_size the test set's.")
    if sizes != (n - n_val - n_test, n_val, n_test):
        return (f"38 samples with val_size=0.3 and test_size=0.2 make sets of {n - n_val - n_test}, {n_val} and "
                f"{n_test} samples: round(n * test_size) for testing, round(n * val_size) for validation, the rest "
                "for training.")
    order = np.random.default_rng(seed).permutation(n)
    if same_rows(rows[:3], _split_rows(order, n_val, n_test)):
        return None
    if any(same_rows(rows[:3], _split_rows(order, n_val, n_test, cuts)) for cuts in permutations(SPLIT_CUTS)):
        return ("the right shuffle, cut in another order: the first round(n * test_size) rows of the order are the "
                "test set, the next round(n * val_size) the validation set, the rest the training set, as nnlib "
                "cuts them (so that a seed gives nnlib's sets).")
    if all(np.array_equal(np.sort(a), np.sort(b)) for a, b in zip(rows[:3], _split_rows(order, n_val, n_test))):
        return ("each set holds the right samples, in another order (did you sort them?): keep the shuffled order, "
                "X[train] with train = order[...], as nnlib does.")
    return shuffle_problem(split, (X, y, val_size, test_size), seed, rows[:3],
                           lambda order: _split_rows(order, n_val, n_test), "split")


CHANGED = ("you changed an array passed in (X -= mean changes X itself): compute new ones, (X - mean) / std, and "
           "leave the data as they were.")


def _standardize_problem(standardize):
    rng = np.random.default_rng(42)
    X_train = np.column_stack([rng.normal(50, 10, 12), rng.normal(-3, 0.5, 12), np.full(12, 4.0)])  # std 0: column 3
    X_val = np.column_stack([rng.normal(50, 10, 5), rng.normal(-3, 0.5, 5), rng.normal(4, 1, 5)])
    passed = [X_train.copy(), X_val.copy()]
    alone = call(standardize, passed[0])
    if not np.array_equal(passed[0], X_train):
        return CHANGED
    if isinstance(alone, (tuple, list)):
        return ("standardize(X_train) alone should return the scaled array itself, not a list holding it: return "
                "scaled[0] if not others else scaled (X_train = standardize(X_train) then works, as with nnlib's).")
    nan = ("a column that does not vary has std 0, and 0 / 0 is nan: divide by 1 there, std = np.where(std > 0, "
           "std, 1.0), as nnlib does (the column becomes 0).")
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    problem = nan if not finite(alone) else _matching(alone, [
        (_scaled(X_train, mean, X_train.std(axis=0, ddof=1)), "np.std(..., ddof=1) divides by n - 1; nnlib (and "
         "np.std's default, ddof=0) divides by n: X_train.std(axis=0)."),
        (_scaled(X_train, X_train.mean(), X_train.std()), "one mean and one std for the whole array mixes the "
         "features: take them per column, X_train.mean(axis=0) and X_train.std(axis=0)."),
        (_scaled(X_train, X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)), "axis=1 gives "
         "one mean per sample (row); each feature (column) needs its own: axis=0."),
        (_scaled(X_train, 0.0, std), "subtract the mean too: (X - mean) / std."),
        (X_train - mean, "divide by the standard deviation too: (X - mean) / std."),
        (_scaled(X_train, mean, std**2), "divide by the standard deviation, not the variance (std**2).")])
    if problem:
        return problem
    answer = call(standardize, *passed)
    if not (np.array_equal(passed[0], X_train) and np.array_equal(passed[1], X_val)):
        return CHANGED
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return ("standardize(X_train, X_val) should return both arrays scaled, in a list: X_train_std, X_val_std = "
                "standardize(X_train, X_val).")
    return nan if not finite(answer[1]) else _matching(answer[1], [
        (_scaled(X_val, X_val.mean(axis=0), X_val.std(axis=0)), "X_val was scaled with its own mean and std. Scale "
         "every array with the training set's: the validation set stands for new data, which arrive one at a time "
         "and must be scaled as the training data were."),
        (_scaled(X_val, mean, X_val.std(axis=0)), "X_val was divided by its own std (with X_train's mean): scale "
         "every array with the training set's mean and std, both."),
        (_scaled(X_val, *_pooled(X_train, X_val)), "you took the mean and std of all the arrays together, so the "
         "validation data shaped the scaling: use X_train's only.")])


def _scaled(X, mean, std):
    return (X - mean) / np.where(std > 0, std, 1.0)


def _pooled(*arrays):
    pooled = np.vstack(arrays)
    return pooled.mean(axis=0), pooled.std(axis=0)


q2 = PieceExercise(
    id="04.2",
    title="Split and standardise",
    answers=("train_val_test_split", "standardize"),
    placeholder='''
# Exercise 04.2: Split and standardise
# train_val_test_split: shuffle the row numbers once, order = np.random.default_rng(seed).permutation(len(X)).
#   The first round(n * test_size) of them are the test rows, the next round(n * val_size) the validation rows,
#   the rest the training rows. Return X_train, X_val, X_test, y_train, y_val, y_test.
# standardize: (X - mean) / std for X_train and every other array given, with the mean and the std of each column
#   of X_train (a column whose std is 0 is divided by 1). One array given: return it; several: a list.
def train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0):
    ...


def standardize(X_train, *others):
    ...
''',
    solution=solution("04.2", "Split and standardise", "train_val_test_split", "standardize"),
    checker=slip_checker(("train_val_test_split", _split_problem), ("standardize", _standardize_problem)),
    hints=["order[:n_test] are the test rows, order[n_test:n_test + n_val] the validation rows, order[n_test + n_val:] "
           "the training rows; X[rows] and y[rows] take those rows of both.",
           "standardize: mean, std = X_train.mean(axis=0), X_train.std(axis=0); std = np.where(std > 0, std, 1.0); "
           "scaled = [(X - mean) / std for X in (X_train, *others)]; return scaled[0] if not others else scaled."],
    points=2,
    pieces={"train_val_test_split": "train_val_test_split", "standardize": "standardize"},
)


# --- 04.3 -----------------------------------------------------------------------------
def _check_best_degree(best_degree):
    errors = _errors_by_degree()
    by_train, by_val, by_test = (int(np.argmin(errors[:, k])) + 1 for k in range(3))
    if best_degree == by_val:
        return None
    if best_degree == by_train:
        return (f"Degree {by_train} has the lowest *training* error, but training error always falls as the degree "
                "grows. Choose by the validation error.")
    if best_degree == by_test:
        return (f"Degree {by_test} is best on the *test* set. Choosing with the test set is cheating (notebook "
                "04b measures it): use X_val, y_val.")
    if best_degree == by_val - 1:
        return "Off by one: np.argmin returns an index counting from 0, and the degrees start at 1."
    return (f"Degree {best_degree} is not the one with the lowest validation error. Fit each degree 1..15 on the "
            "training data, compute its MSE on X_val, y_val, and take the smallest.")


q3 = Exercise(
    id="04.3",
    title="Choose the degree on validation data",
    answers=("best_degree",),
    placeholder="""
# Exercise 04.3: Choose the degree on validation data
# Fit degrees 1..15 (L2 = 0) on the training data; keep the degree with the lowest validation MSE.
val_errors_by_degree = []
for candidate in range(1, 16):
    ...
best_degree = ...
""",
    solution="""
# Exercise 04.3: Choose the degree on validation data
# Fit degrees 1..15 (L2 = 0) on the training data; keep the degree with the lowest validation MSE.
val_errors_by_degree = []
for candidate in range(1, 16):
    coef, intercept = fit_polynomial(x_train, y_train, candidate)
    val_errors_by_degree.append(mse(x_val, y_val, candidate, coef, intercept))
best_degree = int(np.argmin(val_errors_by_degree)) + 1
""",
    checker=_check_best_degree,
    hints=["In the loop: coef, intercept = fit_polynomial(x_train, y_train, candidate), then append "
           "mse(x_val, y_val, candidate, coef, intercept) to val_errors_by_degree.",
           "np.argmin(val_errors_by_degree) gives the position of the smallest error; position 0 is degree 1."],
    points=2,
)


# --- 04.4 -----------------------------------------------------------------------------
def _l2_case():
    """Three weight arrays, the second a vector (4,) such as a polynomial's coef, and l2 = 0.3."""
    rng = np.random.default_rng(44)
    return [rng.normal(size=(3, 2)), rng.normal(size=4), rng.normal(size=(2, 2))], 0.3


def _l2_problem(l2_penalty):
    weights, l2 = _l2_case()
    passed = [w.copy() for w in weights]
    answer = explained(l2_penalty, (passed, l2), {("list", "sequence"): (
        "l2_penalty: weights is a list of arrays of different shapes, not one array: add up np.sum(W**2) for each W "
        "in it, and make one gradient per array, [l2 * W for W in weights].")})
    if not all(np.array_equal(a, b) for a, b in zip(passed, weights)):
        return ("the weights passed in changed (W *= l2 changes W itself): compute new arrays, l2 * W, "
                "and leave the weights as they were.")
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return "return two things, the value and the list of gradients: return value, gradients."
    value, gradients = answer
    squares = [np.sum(w**2) for w in weights]
    if np.ndim(value) != 0:
        return ("the value is one number: add up the squares of every weight array, then multiply by l2 / 2: "
                "l2 / 2 * sum(np.sum(W**2) for W in weights).")
    problem = _matching(value, [
        (l2 * sum(squares), "the value is twice nnlib's: the penalty is l2 / 2 times the sum of the squared "
                            "weights (the 1/2 cancels the 2 of the derivative, so the gradient is l2 * W)."),
        (l2 / 2 * squares[0], "add the squares of every weight array in the list, not only the first one's."),
        (l2 / 2 * squares[-1], "only the last array's squares count: value = ... in a loop replaces the value each "
                               "time; add each array's to it, value += ..., or sum(... for W in weights)."),
        (sum(squares) / 2, "multiply by the strength l2: the penalty is l2 / 2 times the sum of the squared weights."),
        (l2 / 2 * (squares[0] + squares[2]), "every array passed in is penalised, a 1-d one (such as a polynomial's "
                                             "coef) too: the caller leaves the biases out."),
        (l2 / 2 * sum(np.sqrt(squares)), "square the weights and add the squares; np.linalg.norm(W) is the square "
                                         "root of that sum."),
        (l2 / 2 * sum(np.mean(w**2) for w in weights), "add the squared weights up (np.sum), not their mean."),
        (l2 * sum(np.abs(w).sum() for w in weights), "that is the L1 penalty, of the absolute values: L2 squares "
                                                     "the weights, l2 / 2 * sum of W**2."),
        (l2 / 2 * sum(squares) ** 2, "square each weight, then add: the sum is not squared again.")])
    if problem:
        return problem
    if not isinstance(gradients, (tuple, list)) or len(gradients) != len(weights):
        missing = (" The second array here is a 1-d weight vector (like a polynomial's coef): it gets its gradient "
                   "too; the biases are never passed in.") if isinstance(gradients, (tuple, list)) else ""
        return ("gradients is a list with one array for each weight array, each shaped like it: "
                f"[l2 * W for W in weights].{missing}")
    for i, (gradient, w) in enumerate(zip(gradients, weights)):
        problem = _matching(gradient, [
            (2 * l2 * w, "the derivative of l2 / 2 * w**2 is l2 * w: the 2 of the square cancels the 1/2."),
            (l2 / 2 * w, "differentiate w**2 as well: it gives 2 * w, so the gradient of l2 / 2 * w**2 is l2 * w."),
            (l2 / 2 * w**2, "that is each weight's share of the penalty, not its derivative: the gradient of "
                            "l2 / 2 * w**2 is l2 * w."),
            (l2 * w**2, "the derivative of l2 / 2 * w**2 is l2 * w, not l2 * w**2."),
            (w, "multiply by the strength: the gradient is l2 * W."),
            (np.zeros_like(w), "a weight array got a zero gradient: every array passed in is penalised, a 1-d one "
                               "(such as a polynomial's coef) too; the biases are left out by the caller."),
            (l2 * np.sign(w), "that is the L1 penalty's gradient, l2 * sign(W); L2's is l2 * W.")])
        if problem:
            return f"the gradient of weights[{i}]: {problem}"
    return None


q4 = PieceExercise(
    id="04.4",
    title="The L2 penalty and its gradient",
    answers=("l2_penalty",),
    placeholder='''
# Exercise 04.4: The L2 penalty and its gradient
# weights: a list of weight arrays (the biases are not in it); l2: the strength λ.
# Return the penalty's value, λ/2 times the sum of every squared weight (one number), and its gradients: a list
# with the penalty's gradient with respect to each weight array, each shaped like that array.
def l2_penalty(weights, l2):
    ...
''',
    solution=solution("04.4", "The L2 penalty and its gradient", "l2_penalty"),
    checker=slip_checker(("l2_penalty", _l2_problem)),
    hints=["np.sum(W**2) adds up the squares of one array; sum(... for W in weights) adds those up over the list.",
           "The derivative of λ/2 * w² is λ * w, entry by entry: gradients = [l2 * W for W in weights]."],
    points=1,
    pieces={"l2_penalty": "l2_penalty"},
)


# --- 04.5 -----------------------------------------------------------------------------
STAGES = ("training", "validation", "test")


def _check_stages(parameters_fitted_on, hyperparameters_chosen_on):
    answers = (parameters_fitted_on, hyperparameters_chosen_on)
    for answer in answers:
        if answer not in STAGES:
            return f"Answer with one of {', '.join(repr(s) for s in STAGES)}; got {answer!r}."
    if answers == ("training", "validation"):
        return None
    if answers == ("validation", "training"):
        return ("That is the learner's guess, and it is the other way round. Gradient descent fits the parameters "
                "to the training data; hyperparameters are compared on the validation data.")
    if hyperparameters_chosen_on == "test":
        return ("Choosing hyperparameters on the test set is cheating: the test error then flatters the model "
                "(notebook 04b measures it). The test set is used once, at the end.")
    if hyperparameters_chosen_on == "training":
        return ("On the training data the most flexible setting always wins (highest degree, no L2), so training "
                "error cannot choose hyperparameters. Compare them on the validation set.")
    return ("The parameters are what fit() learns. Which data does fit() see? Fitting them on validation or test "
            "data would leave nothing unseen to judge them with.")


q5 = Exercise(
    id="04.5",
    title="The learner's question",
    answers=("parameters_fitted_on", "hyperparameters_chosen_on"),
    placeholder="""
# Exercise 04.5: The learner's question
# Answer "training", "validation" or "test".
parameters_fitted_on = ...
hyperparameters_chosen_on = ...
""",
    solution="""
# Exercise 04.5: The learner's question
# Answer "training", "validation" or "test".
parameters_fitted_on = "training"
hyperparameters_chosen_on = "validation"
""",
    checker=_check_stages,
    hints=["In this notebook, which data did fit_polynomial see? Which data did the validation curve use?",
           "The test set is for one thing only: the final report."],
)
