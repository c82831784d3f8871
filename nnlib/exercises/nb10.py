"""Exercises for notebook 10 (digits end to end): standardising without leaks, counting, sorting."""
import numpy as np

from ..data import train_val_test_split
from ..datasets import load_digits, load_penguins
from ..network import parameter_count
from .framework import Exercise
from .sorting import sorting_exercise

_X, _y = load_digits()
_X_train, _X_val, *_ = train_val_test_split(_X, _y, val_size=0.2, test_size=0.2, seed=0)


def _scaled(X, statistics_from, ddof=0):
    std = statistics_from.std(axis=0, ddof=ddof)
    return (X - statistics_from.mean(axis=0)) / np.where(std > 0, std, 1.0)


def _standardised_with(answer, statistics_from):
    """True if ``answer`` is X_val standardised with the statistics of ``statistics_from``: the standard deviation
    divided by n (numpy's default, nnlib, scikit-learn) or by n - 1 (ddof=1, R's sd() and scale()); on 1,079 images
    the two differ by 0.05 %, and neither is wrong."""
    return any(np.allclose(answer, _scaled(_X_val, statistics_from, ddof)) for ddof in (0, 1))


def _check_standardised(X_val_scaled):
    answer = np.asarray(X_val_scaled, dtype=float)
    if answer.shape != _X_val.shape:
        return f"X_val_scaled must have the shape of X_val, {_X_val.shape}; yours has shape {answer.shape}."
    if not np.all(np.isfinite(answer)):
        return ("X_val_scaled contains NaN or infinite values: some pixels are 0 in every training image, so their "
                "standard deviation is 0. Divide those columns by 1 instead, e.g. np.where(std > 0, std, 1).")
    if _standardised_with(answer, _X_train):
        return None
    if _standardised_with(answer, _X_val):
        return ("you used the validation set's own mean and standard deviation. Every set must be transformed with "
                "the numbers learned from the training set (X_train.mean(axis=0), X_train.std(axis=0)).")
    if _standardised_with(answer, _X):
        return ("you used the mean and standard deviation of ALL the images, which includes the validation and test "
                "images: that leaks them into training. Use X_train's statistics only.")
    if np.allclose(answer, _X_val - _X_train.mean(axis=0)):
        return "you subtracted the training mean; now divide by the training standard deviation as well."
    if np.allclose(answer, (_X_val - _X_train.mean()) / _X_train.std()):
        return "subtract X_train.mean(axis=0), one mean per pixel (column), not a single number for all pixels."
    return "expected (X_val - X_train.mean(axis=0)) / std, with std = X_train.std(axis=0) (and 1 where std is 0)."


q1 = Exercise(
    id="10.1",
    title="standardise with the training statistics",
    answers=("X_val_scaled",),
    placeholder='''
# Exercise 10.1: standardise with the training statistics
# Standardise the validation images X_val yourself, with numpy: subtract a mean per pixel and divide by a
# standard deviation per pixel. Which set do the mean and standard deviation come from?
X_val_scaled = ...
''',
    solution='''
# Exercise 10.1: standardise with the training statistics
mean, std = X_train.mean(axis=0), X_train.std(axis=0)  # std divides by n; R's sd() (ddof=1) by n - 1: both pass
X_val_scaled = (X_val - mean) / np.where(std > 0, std, 1.0)
''',
    checker=_check_standardised,
    hints=["The statistics are learned from the training set only, like the parameters: X_train.mean(axis=0).",
           "Three pixels are 0 in every training image: their standard deviation is 0. Divide those by 1 "
           "(np.where(std > 0, std, 1.0))."],
    points=2,
)


def _check_count(n_parameters):
    n = float(n_parameters)
    expected = parameter_count(64, (64, 32), 10)
    if n == expected:
        return None
    weights_only = 64 * 64 + 64 * 32 + 32 * 10
    if n == weights_only:
        return "that counts the weights only; every unit also has a bias: add 64 + 32 + 10."
    if n == 64 * 64 + 64 + 64 * 32 + 32:
        return "those are the two hidden layers; the output layer (32 inputs, 10 units) has parameters too."
    if n == 64 * 64 + 64 + 64 * 10 + 10:
        return "you connected the first hidden layer straight to the outputs; the 64 units feed the 32 first."
    if n == 64 + 32 + 10:
        return "that counts the units (or biases); each unit also has one weight per input."
    return (f"expected {expected:,}: for each layer, inputs x units weights plus one bias per unit — "
            "64 -> 64, 64 -> 32, 32 -> 10.")


q2 = Exercise(
    id="10.2",
    title="count before you train",
    answers=("n_parameters",),
    placeholder='''
# Exercise 10.2: count before you train
# How many parameters will MLP(hidden_layers=(64, 32)) learn on the digits (64 pixels in, 10 classes out)?
n_parameters = ...
''',
    solution='''
# Exercise 10.2: count before you train
n_parameters = (64 * 64 + 64) + (64 * 32 + 32) + (32 * 10 + 10)
''',
    checker=_check_count,
    hints=["Three Dense layers: 64 -> 64, 64 -> 32 and 32 -> 10.",
           "A layer with n_in inputs and n_out units has n_in * n_out weights and n_out biases."],
    points=1,
)

SAVED_NAMES = {
    "hidden_1.weights": ("parameter", "it is in the .npz file: fit() learned these numbers from the training images."),
    "output.biases": ("parameter", "learned by fit(), saved in the .npz file; a bias is a parameter that is not a "
                                   "weight."),
    "hidden_layers": ("hyperparameter", "the random search chose it on the validation set; it is in the .json file "
                                        "and decides how many parameters the .npz holds."),
    "l2": ("hyperparameter", "the L2 strength was chosen by the search, not learned: training alone would always "
                             "prefer 0."),
    "seed": ("neither", "it is in the .json file, but among the settings, not the hyperparameters: a setting of the "
                        "experiment; choosing it on the validation set would fit noise."),
}

q3 = sorting_exercise(
    "10.3", "which file holds what", SAVED_NAMES,
    intro='For each name saved with the final model, answer "parameter", "hyperparameter" or "neither".',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["The .npz file holds what training learned; the .json file holds what was chosen before training, and "
           "settings.",
           "Two parameters, two hyperparameters, one neither."],
)


# --- 10.4 -----------------------------------------------------------------------------
MEASUREMENTS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
PIPELINE = """
X, y = nnlib.load_penguins(features=MEASUREMENTS, target="species")
X = nnlib.Standardizer().fit(X).transform(X)
X_tr, X_va, X_te, y_tr, y_va, y_te = nnlib.train_val_test_split(X, y, val_size=0.2, test_size=0.2, seed=0)
scores = {l2: nnlib.MLP(l2=l2).fit(X_tr, y_tr).score(X_va, y_va) for l2 in (1e-4, 1e-3, 1e-2)}
best_l2 = max(scores, key=scores.get)
print("test accuracy", nnlib.MLP(l2=best_l2).fit(X_tr, y_tr).score(X_te, y_te))
""".strip().splitlines()  # a colleague's pipeline, on data notebook 10 did not show; its line 2 leaks
_P, _ = load_penguins(features=MEASUREMENTS, target="species")
_P_train, _P_val, _P_test = train_val_test_split(_P, np.zeros(len(_P)), val_size=0.2, test_size=0.2, seed=0)[:3]

_LINE_FEEDBACK = {
    1: "line 1 only loads the measurements: nothing is learned from them yet. Which line learns numbers, and "
       "from which rows?",
    3: "line 3 splits once, with a seed, as it should; but look at what X went through just before the split.",
    4: "line 4 is the workflow done right: each l2 fits its parameters on X_tr and is scored on X_va. The leak "
       "comes earlier.",
    5: "line 5 chooses l2 by the validation score, which is the validation set's job. The leak comes earlier.",
    6: "line 6 uses the test set once, at the end, to report: right. But the test rows shaped the training "
       "earlier: which line learned numbers from all 342 penguins?",
}


def _check_leak(leaking_line, scaler_mean):
    if isinstance(leaking_line, bool) or not isinstance(leaking_line, (int, np.integer)):
        return f"leaking_line should be one line number, 1 to 6; got {leaking_line!r}."
    if leaking_line != 2:
        return _LINE_FEEDBACK.get(int(leaking_line), "the pipeline has six lines: answer 1 to 6.")
    mean = np.asarray(scaler_mean, dtype=float)
    if mean.shape != (len(MEASUREMENTS),):
        return (f"line 2 is the leak. scaler_mean needs one mean per measurement, {len(MEASUREMENTS)} numbers "
                f"(.mean(axis=0)); yours has shape {mean.shape}.")
    if np.allclose(mean, _P_train.mean(axis=0)):
        return None
    if np.allclose(mean, _P.mean(axis=0)):
        return ("line 2 is the leak, but that is the mean line 2 learns, from all 342 penguins, test ones included: "
                "the leak itself. Learn it from Xp_train only.")
    if np.allclose(mean, np.vstack([_P_train, _P_val]).mean(axis=0)):
        return ("line 2 is the leak. Training + validation is right only for the refit after l2 is chosen (section "
                "5); while line 4 compares l2 on X_va, the validation rows are held out: use Xp_train alone.")
    if np.allclose(mean, _P_val.mean(axis=0)) or np.allclose(mean, _P_test.mean(axis=0)):
        return ("line 2 is the leak, but the statistics come from the training rows, like the parameters: "
                "Xp_train.mean(axis=0).")
    return "line 2 is the leak. The fix: fit the Standardizer on the training rows, Xp_train.mean(axis=0)."


q4 = Exercise(
    id="10.4",
    title="find the leak in a colleague's pipeline",
    answers=("leaking_line", "scaler_mean"),
    placeholder="\n".join([
        "# Exercise 10.4: find the leak in a colleague's pipeline",
        *(f"# {number}  {line}" for number, line in enumerate(PIPELINE, start=1)),
        "# Which line leaks? Fixed, the split comes first (below): what mean should the Standardizer learn?",
        "import nnlib",
        "",
        'MEASUREMENTS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")',
        'X_p, y_p = nnlib.load_penguins(features=MEASUREMENTS, target="species")',
        "Xp_train, Xp_val, Xp_test, *_ = nnlib.train_val_test_split(X_p, y_p, val_size=0.2, test_size=0.2, seed=0)",
        "leaking_line = ...",
        "scaler_mean = ...",
    ]),
    solution="""
# Exercise 10.4: find the leak in a colleague's pipeline
import nnlib

MEASUREMENTS = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g")
X_p, y_p = nnlib.load_penguins(features=MEASUREMENTS, target="species")
Xp_train, Xp_val, Xp_test, *_ = nnlib.train_val_test_split(X_p, y_p, val_size=0.2, test_size=0.2, seed=0)
leaking_line = 2  # the Standardizer learns its mean and scale from every row, test rows included
scaler_mean = nnlib.Standardizer().fit(Xp_train).mean_  # the same as Xp_train.mean(axis=0)
""",
    checker=_check_leak,
    hints=["A leak is a line that learns numbers from rows the model should not have seen yet.",
           "Line 2 fits the Standardizer before line 3 splits: its mean includes the validation and test "
           "penguins. Learn it from Xp_train."],
    points=2,
)
