"""Exercises for notebook 11 (beyond nnlib: scikit-learn and PyTorch): counting scikit-learn's parameters,
reading GridSearchCV's results, sorting an estimator the notebook did not use."""
import numpy as np

from ..network import parameter_count
from .framework import Exercise
from .sorting import sorting_exercise

N_FEATURES, HIDDEN_LAYERS, N_CLASSES = 64, (32,), 10
N_WEIGHTS = N_FEATURES * 32 + 32 * N_CLASSES
N_BIASES = 32 + N_CLASSES


def _check_count(n_parameters):
    n = float(n_parameters)
    expected = parameter_count(N_FEATURES, HIDDEN_LAYERS, N_CLASSES)
    if n == expected:
        return None
    if n == N_WEIGHTS:
        return "that counts only coefs_ (the weights); the intercepts_ (biases) are learned too — add their sizes."
    if n == N_BIASES:
        return "that counts only intercepts_ (the biases); add the sizes of the weight matrices in coefs_."
    if n in (2, 4):
        return "that is how many arrays there are (len); count the numbers inside them with .size."
    if n == N_FEATURES * 32 + 32:
        return "that is the hidden layer only; the output layer (coefs_[1], intercepts_[1]) has parameters too."
    return f"expected {expected:,}: add w.size for every w in coefs_ and b.size for every b in intercepts_."


q1 = Exercise(
    id="11.1",
    title="count scikit-learn's parameters",
    answers=("n_parameters",),
    placeholder='''
# Exercise 11.1: count scikit-learn's parameters
# Count every number mlp_sklearn learned, from its coefs_ and intercepts_ (lists of arrays).
n_parameters = ...
''',
    solution='''
# Exercise 11.1: count scikit-learn's parameters
n_parameters = sum(w.size for w in mlp_sklearn.coefs_) + sum(b.size for b in mlp_sklearn.intercepts_)
''',
    checker=_check_count,
    hints=["coefs_ is a list with one weight matrix per layer; intercepts_ one bias vector per layer.",
           "sum(w.size for w in mlp_sklearn.coefs_) counts the weights; do the same for the biases and add."],
    points=1,
)


# --- 11.2 --------------------------------------------------------------------------------
def _check_cv_results(best_index, best_loss):
    """Feedback on the placeholder's scores, mean_test_loss = [-0.21, -0.12, -0.35]: setting 1, loss 0.12."""
    if isinstance(best_index, bool) or not isinstance(best_index, (int, np.integer)):
        return f"best_index should be the position 0, 1 or 2 of a setting, got {best_index!r}."
    if isinstance(best_loss, bool) or not isinstance(best_loss, (int, float, np.integer, np.floating)):
        return f"best_loss should be one number, got {best_loss!r}."
    if best_index == 2:
        return ("setting 2 has the most negative score, -0.35: its loss is 0.35, the highest of the three. "
                "scikit-learn stores the loss negated so that larger is better: "
                "the best setting has the largest mean_test_loss.")
    if best_index not in (0, 1):
        return "there are three settings: answer 0, 1 or 2."
    if best_index == 0:
        return "-0.21 is not the largest of the three scores; -0.12 is (closest to 0)."
    if abs(best_loss - (-0.12)) < 1e-9:
        return ("setting 1 is right, but -0.12 is the negated loss; the validation loss itself is positive: "
                "cross-entropy is never below 0.")
    if abs(best_loss - 0.12) > 1e-9:
        return "the loss of setting 1: undo scikit-learn's sign, loss = -mean_test_loss."
    return None


q2 = Exercise(
    id="11.2",
    title="read cv_results_ correctly",
    answers=("best_index", "best_loss"),
    placeholder='''
# Exercise 11.2: read cv_results_ correctly
# A GridSearchCV scored with {"loss": "neg_log_loss", "accuracy": "accuracy"} stored, for settings 0, 1, 2:
mean_test_loss = [-0.21, -0.12, -0.35]
mean_test_accuracy = [0.95, 0.96, 0.96]
# Which setting has the lowest validation loss, and what is that loss (a cross-entropy)?
best_index = ...
best_loss = ...
''',
    solution='''
# Exercise 11.2: read cv_results_ correctly
mean_test_loss = [-0.21, -0.12, -0.35]
mean_test_accuracy = [0.95, 0.96, 0.96]
# scikit-learn maximises scores, so the loss is stored negated: the largest value is the lowest loss.
best_index = int(np.argmax(mean_test_loss))  # 1
best_loss = -mean_test_loss[best_index]      # 0.12
''',
    checker=_check_cv_results,
    hints=["A score of -0.12 means a loss of 0.12: scikit-learn negates losses so that larger is always better.",
           "Settings 1 and 2 tie on accuracy; the loss tells them apart."],
    points=1,
)


# --- 11.3 --------------------------------------------------------------------------------
SGD_NAMES = {
    "coef_": ("parameter", "SGDClassifier's weights, learned by stochastic gradient descent from the training data: "
                           "one row of 64 for each digit (one-vs-rest)."),
    "intercept_": ("parameter", "its biases, one per digit, learned with coef_."),
    "alpha": ("hyperparameter", "the L2 strength (penalty='l2'), set before fit and compared on the validation set, "
                                "like MLPClassifier's alpha and nnlib's l2."),
    "max_iter": ("hyperparameter", "the budget of epochs, passes over the training data, set before fit."),
    "tol": ("hyperparameter", "a stopping rule: fit stops once the training loss has not improved by tol for "
                              "n_iter_no_change epochs. Like nnlib's patience, it decides how long training runs, "
                              "and so what it learns."),
    "n_iter_": ("neither", "how many epochs fit ran. The underscore means 'set by fit', not 'learned': it is a "
                           "record of the run, not a value of the model (a measurement, like a loss curve)."),
    "random_state": ("neither", "the seed of the shuffling: a setting of the experiment. Choosing it on the "
                                "validation set would fit noise."),
}
SGD_CLASSES = 10


def _check_sgd_count(n_learned):
    n = float(n_learned)
    if n == SGD_CLASSES * N_FEATURES + SGD_CLASSES:
        return None
    if n == SGD_CLASSES * N_FEATURES:
        return "that counts coef_ only; intercept_ holds one learned bias per digit too: add its size."
    if n == N_FEATURES + 1:
        return ("that is one binary classifier; with 10 digits SGDClassifier trains one per digit (one-vs-rest): "
                "coef_ has 10 rows. Count with sgd.coef_.size + sgd.intercept_.size.")
    if n == 45 * (N_FEATURES + 1):
        return "that is one classifier per pair of digits, as SVC does; SGDClassifier trains one per digit."
    if n == parameter_count(N_FEATURES, HIDDEN_LAYERS, N_CLASSES):
        return "that is the MLP's count; SGDClassifier has no hidden layer: count sgd.coef_.size + sgd.intercept_.size."
    return "count every number it learned: sgd.coef_.size + sgd.intercept_.size."


q3 = sorting_exercise(
    "11.3", "sort a new estimator's names", SGD_NAMES, kinds=("parameter", "hyperparameter", "neither"),
    intro='scikit-learn\'s SGDClassifier, fitted above. Answer "parameter", "hyperparameter" or "neither" for each\n'
          "name (help(SGDClassifier) describes them all), then count the numbers sgd learned on the digits.",
    more_answers={"n_learned": SGD_CLASSES * N_FEATURES + SGD_CLASSES},
    extra_check=_check_sgd_count,
    hints=["Ask the rule's questions in order: does training compute it from the training data, as a value of the "
           "model? Set before fit and compared on the validation set? Otherwise it is neither.",
           "Two parameters, three hyperparameters (tol is a stopping rule, like patience), two neither. For the "
           "count: sgd.coef_.shape is (10, 64)."],
)
