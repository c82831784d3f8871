"""Exercises for notebook 04 · Overfitting and validation (polynomials on a noisy toy curve)."""
import numpy as np

from ..data import k_fold_split, train_val_test_split
from ..datasets import make_curve
from ..features import polynomial_features
from .checks import Exercise, relative_difference


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


# --- 04.2 -----------------------------------------------------------------------------
def _check_best_degree(best_degree):
    errors = _errors_by_degree()
    by_train, by_val, by_test = (int(np.argmin(errors[:, k])) + 1 for k in range(3))
    if best_degree == by_val:
        return None
    if best_degree == by_train:
        return (f"Degree {by_train} has the lowest *training* error, but training error always falls as the degree "
                "grows. Choose by the validation error.")
    if best_degree == by_test:
        return (f"Degree {by_test} is best on the *test* set. Choosing with the test set is cheating (section 10): "
                "use X_val, y_val.")
    if best_degree == by_val - 1:
        return "Off by one: np.argmin returns an index counting from 0, and the degrees start at 1."
    return (f"Degree {best_degree} is not the one with the lowest validation error. Fit each degree 1..15 on the "
            "training data, compute its MSE on X_val, y_val, and take the smallest.")


q2 = Exercise(
    id="04.2",
    title="Choose the degree on validation data",
    answers=("best_degree",),
    placeholder="""
# Exercise 04.2: Choose the degree on validation data
# Fit degrees 1..15 (L2 = 0) on the training data; keep the degree with the lowest validation MSE.
best_degree = ...
""",
    solution="""
# Exercise 04.2: Choose the degree on validation data
# Fit degrees 1..15 (L2 = 0) on the training data; keep the degree with the lowest validation MSE.
val_errors_by_degree = []
for candidate in range(1, 16):
    coef, intercept = fit_polynomial(x_train, y_train, candidate)
    val_errors_by_degree.append(mse(x_val, y_val, candidate, coef, intercept))
best_degree = int(np.argmin(val_errors_by_degree)) + 1
""",
    checker=_check_best_degree,
    hints=["For each degree: coef, intercept = fit_polynomial(x_train, y_train, degree), then "
           "mse(x_val, y_val, degree, coef, intercept).",
           "np.argmin(errors) gives the position of the smallest error; position 0 is degree 1."],
    points=2,
)


# --- 04.3 -----------------------------------------------------------------------------
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
                "(section 10). The test set is used once, at the end.")
    if hyperparameters_chosen_on == "training":
        return ("On the training data the most flexible setting always wins (highest degree, no L2), so training "
                "error cannot choose hyperparameters. Compare them on the validation set.")
    return ("The parameters are what fit() learns. Which data does fit() see? Fitting them on validation or test "
            "data would leave nothing unseen to judge them with.")


q3 = Exercise(
    id="04.3",
    title="The learner's question",
    answers=("parameters_fitted_on", "hyperparameters_chosen_on"),
    placeholder="""
# Exercise 04.3: The learner's question
# Answer "training", "validation" or "test".
parameters_fitted_on = ...
hyperparameters_chosen_on = ...
""",
    solution="""
# Exercise 04.3: The learner's question
# Answer "training", "validation" or "test".
parameters_fitted_on = "training"
hyperparameters_chosen_on = "validation"
""",
    checker=_check_stages,
    hints=["In this notebook, which data did fit_polynomial see? Which data did the validation curve use?",
           "The test set is for one thing only: the final report."],
)


# --- 04.4 -----------------------------------------------------------------------------
def _pool():
    """The 45 points that are not test data: the notebook's X_pool, y_pool."""
    X_train, X_val, _, y_train, y_val, _ = _split()
    return np.vstack([X_train, X_val]), np.concatenate([y_train, y_val])


def _fold_errors(X, y, held_out_sets, degree=3, fit_on_held_out=False, score_on_fit_rows=False):
    """Each fold's MSE of a least-squares polynomial: fitted on the other rows, scored on the held-out ones (or as a
    typical mistake says). held_out_sets: one index array per fold."""
    errors = []
    for held in held_out_sets:
        rest = np.setdiff1d(np.arange(len(y)), held)
        fit_rows, score_rows = (held, rest) if fit_on_held_out else (rest, held)
        score_rows = fit_rows if score_on_fit_rows else score_rows
        design = np.column_stack([polynomial_features(X[fit_rows], degree), np.ones(len(fit_rows))])
        params = np.linalg.lstsq(design, y[fit_rows], rcond=None)[0]
        score = np.column_stack([polynomial_features(X[score_rows], degree), np.ones(len(score_rows))])
        errors.append(np.mean((score @ params - y[score_rows]) ** 2))
    return np.array(errors)


def _k_fold_held_out(n, seed=0):
    """The held-out rows of k_fold_split(X, y, k=5, seed=seed), as index arrays."""
    return [held for _, _, _, held in k_fold_split(np.arange(n)[:, None], np.arange(n), k=5, seed=seed)]


def _scikit_learn_held_out(n, random_state=None):
    """The held-out rows of scikit-learn's KFold(n_splits=5, shuffle=random_state is not None, random_state=...)."""
    order = np.arange(n)
    if random_state is not None:
        np.random.RandomState(random_state).shuffle(order)
    return np.array_split(order, 5)


def _check_cv(cv_mse):
    if isinstance(cv_mse, bool) or not isinstance(cv_mse, (int, float, np.floating)):
        return "cv_mse must be one number: the mean of the 5 folds' validation errors."
    X, y = _pool()
    folds = _k_fold_held_out(len(y))
    errors = _fold_errors(X, y, folds)
    if relative_difference(cv_mse, errors.mean()) < 1e-9:
        return None
    if relative_difference(cv_mse, errors.sum()) < 1e-9:
        return "That is the SUM of the five fold errors; cross-validation averages them (np.mean)."
    if relative_difference(cv_mse, _fold_errors(X, y, folds, score_on_fit_rows=True).mean()) < 1e-9:
        return ("You scored each fold's fit on the rows it was fitted to: that is a training error. Score it on "
                "the held-out fold (X_va, y_va).")
    if relative_difference(cv_mse, _fold_errors(X, y, folds, fit_on_held_out=True).mean()) < 1e-9:
        return ("You fitted on the held-out fold (9 points) and scored on the other 36: the other way round. Fit on "
                "the 4 training folds, score on the fold held out.")
    X_train, _, _, y_train, _, _ = _split()
    if relative_difference(cv_mse, _fold_errors(X_train, y_train, _k_fold_held_out(len(y_train))).mean()) < 1e-9:
        return ("You cross-validated on the 30 training points only. Cross-validation replaces the fixed "
                "validation set: pool training + validation (45 points), as X_pool and y_pool do.")
    for degree in (2, 4):
        if relative_difference(cv_mse, _fold_errors(X, y, folds, degree=degree).mean()) < 1e-9:
            return f"That is the cross-validation error of degree {degree}; the exercise asks for degree 3."
    for random_state in (None, 0, 1, 42):
        if relative_difference(cv_mse, _fold_errors(X, y, _scikit_learn_held_out(len(y), random_state)).mean()) < 1e-9:
            return ("That is a correct 5-fold cross-validation error, for scikit-learn's KFold folds. Those folds "
                    "differ from k_fold_split(X_pool, y_pool, k=5, seed=0)'s (a different shuffle), and so does "
                    "the number: use k_fold_split's folds so that the checker can compare.")
    return ("Not the 5-fold cross-validation error of degree 3 with the folds of k_fold_split(X_pool, y_pool, k=5, "
            "seed=0). If you made other folds (another seed, scikit-learn's KFold), your number may be right for "
            "them, but it differs: use those folds. Otherwise: for each fold, fit on its training rows, take the MSE "
            "on its held-out rows, then average the 5.")


q4 = Exercise(
    id="04.4",
    title="A cross-validation error by hand",
    answers=("cv_mse",),
    placeholder="""
# Exercise 04.4: A cross-validation error by hand
# Loop over the 5 folds of k_fold_split(X_pool, y_pool, k=5, seed=0): fit degree 3 (no L2) on each fold's
# training rows with fit_polynomial, compute the MSE on its held-out rows with mse; cv_mse is their mean.
cv_mse = ...
""",
    solution="""
# Exercise 04.4: A cross-validation error by hand
fold_errors = []
for X_fold_train, X_fold_val, y_fold_train, y_fold_val in k_fold_split(X_pool, y_pool, k=5, seed=0):
    coef, intercept = fit_polynomial(X_fold_train[:, 0], y_fold_train, 3)
    fold_errors.append(mse(X_fold_val[:, 0], y_fold_val, 3, coef, intercept))
cv_mse = np.mean(fold_errors)
""",
    checker=_check_cv,
    hints=["k_fold_split(X_pool, y_pool, k=5, seed=0) gives 5 tuples (X_train, X_val, y_train, y_val): the fold's "
           "training rows and its held-out rows. The polynomial functions take x as a 1-d array: X[:, 0].",
           "For each tuple: coef, intercept = fit_polynomial(...) on the training rows, mse(...) on the held-out "
           "rows; then np.mean of the five."],
)
