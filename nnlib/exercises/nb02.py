"""Exercises for notebook 02 · Gradient descent (penguins: body mass from flipper length)."""
import numpy as np

from ..datasets import load_penguins
from ._common import check_sorting, one_number
from .checks import Exercise, relative_difference


def _penguins():
    X, y = load_penguins()
    return X[:, 0], y


def _gradient_at(slope, intercept):
    x, y = _penguins()
    error = slope * x + intercept - y
    return 2 * np.mean(error * x), 2 * np.mean(error)


def _close(answer, expected, tolerance=1e-6):
    return relative_difference(answer, expected) < tolerance


# --- 02.1 -----------------------------------------------------------------------------
Q1_POINT = (40.0, -3000.0)


def _check_gradient(grad_slope, grad_intercept):
    expected = np.array(_gradient_at(*Q1_POINT))
    mean = "each derivative is a mean over the penguins: wrap the products in np.mean(...)."
    answer = np.array([one_number(grad_slope, "grad_slope", mean), one_number(grad_intercept, "grad_intercept", mean)])
    if _close(answer, expected):
        return None
    if _close(answer, expected[::-1]):
        return "The two numbers are swapped: grad_slope is the one with the extra factor x_i."
    if _close(answer, -expected):
        return ("Right size, wrong sign. The error is prediction minus target, (slope * x + intercept) - y; "
                "with target minus prediction both signs flip.")
    if _close(answer, expected / 2):
        return ("Half the right size: the derivative of (error)^2 is 2 * error * (d error). "
                "Did you forget the factor 2?")
    n = len(_penguins()[0])
    if _close(answer, expected * n) or _close(answer, expected * n / 2):
        return f"{n} times too large: use the mean over the {n} penguins (np.mean), not the sum."
    for index, name in enumerate(("grad_slope", "grad_intercept")):
        if _close(answer[index], expected[index]):
            other = ("grad_intercept", "grad_slope")[index]
            hint = ("2 * mean(error)" if other == "grad_intercept" else "2 * mean(error * x)")
            return f"{name} is right; {other} is not. It is {hint}."
    return ("Not yet. Compute error = (40 * x - 3000) - y for all penguins, then "
            "grad_slope = 2 * mean(error * x) and grad_intercept = 2 * mean(error).")


q1 = Exercise(
    id="02.1",
    title="The gradient at a point",
    answers=("grad_slope", "grad_intercept"),
    placeholder="""
# Exercise 02.1: The gradient at a point
grad_slope = ...  # dL/d(slope) at slope = 40 g/mm, intercept = -3000 g
grad_intercept = ...  # dL/d(intercept) at the same point
""",
    solution="""
# Exercise 02.1: The gradient at a point
error_at_point = (40.0 * x - 3000.0) - y
grad_slope = 2 * np.mean(error_at_point * x)
grad_intercept = 2 * np.mean(error_at_point)
""",
    checker=_check_gradient,
    hints=["Start with the error of every penguin: error = (40 * x - 3000) - y, an array of 342 numbers.",
           "grad_slope = 2 * np.mean(error * x) and grad_intercept = 2 * np.mean(error).",
           "Both come out positive here? Then the line is too high: gradient descent will lower both."],
    points=2,
)


# --- 02.2 -----------------------------------------------------------------------------
Q2_FLIPPER_MM = 210.0


def _check_prediction(mass_210):
    x, y = _penguins()
    mass_210 = one_number(mass_210, "mass_210", "predict for one penguin, with 210 mm flippers.")
    slope_mm = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    expected = y.mean() + slope_mm * (Q2_FLIPPER_MM - x.mean())
    if abs(mass_210 - expected) / expected < 1e-3:
        return None
    slope_scaled, mean, sd = slope_mm * x.std(), x.mean(), x.std()
    wrong = {
        "raw": y.mean() + slope_scaled * Q2_FLIPPER_MM,
        "no_sd": y.mean() + slope_scaled * (Q2_FLIPPER_MM - mean),
        "no_mean": y.mean() + slope_scaled * Q2_FLIPPER_MM / sd,
        "times_sd": y.mean() + slope_scaled * (Q2_FLIPPER_MM - mean) * sd,
    }
    messages = {
        "raw": "You put 210 straight into the standardised line. Standardise it first: (210 - mean_mm) / sd_mm.",
        "no_sd": "You subtracted the mean but did not divide by the standard deviation sd_mm.",
        "no_mean": "You divided by sd_mm but forgot to subtract the mean first: (210 - mean_mm) / sd_mm.",
        "times_sd": "You multiplied by sd_mm; standardising divides by it.",
    }
    for key, value in wrong.items():
        if abs(mass_210 - value) / abs(value) < 1e-3:
            return messages[key]
    if 1000 < mass_210 < 10000:
        return (f"{mass_210:.0f} g is a plausible penguin but not this line's prediction "
                f"(off by {mass_210 - expected:+.0f} g). Use slope_scaled, intercept_scaled and the "
                "standardised flipper length (210 - mean_mm) / sd_mm.")
    return "Not a prediction of this line. Standardise 210 mm first, then apply slope_scaled and intercept_scaled."


q2 = Exercise(
    id="02.2",
    title="Predict with the standardised line",
    answers=("mass_210",),
    placeholder="""
# Exercise 02.2: Predict with the standardised line
mass_210 = ...  # predicted body mass (g) of a penguin with 210 mm flippers
""",
    solution="""
# Exercise 02.2: Predict with the standardised line
flipper_scaled = (210 - mean_mm) / sd_mm
mass_210 = slope_scaled * flipper_scaled + intercept_scaled
""",
    checker=_check_prediction,
    hints=["The line was learned on standardised flipper lengths, so a new flipper length must be "
           "standardised the same way, with the same mean_mm and sd_mm.",
           "flipper_scaled = (210 - mean_mm) / sd_mm; then mass = slope_scaled * flipper_scaled + intercept_scaled.",
           "The answer should be a little above the average penguin (about 4,200 g): 210 mm is a long flipper."],
)


# --- 02.3 -----------------------------------------------------------------------------
# Every rate below 1 converges, so there is no largest converging rate: the exercise asks for the limit, and
# what happens exactly at it (the factor 1 - 2 * rate is -1: the path bounces between two points forever).
AT_THE_LIMIT = ("converges", "bounces", "diverges")


def _check_limit(limit, at_the_limit):
    rate = one_number(limit, "limit", "the one learning rate where convergence stops.")
    if abs(rate - 1.0) > 1e-9:
        if 1.0 < rate <= 1.3:
            return (f"At {rate:g} the path overshoots by more than it gained: every epoch lands farther from the "
                    "minimum, so it diverges (slowly at first: raise the epochs to see it). Look just below.")
        if rate > 1.3:
            return f"{rate:g} diverges quickly: nnlib stops it and says so. The limit is lower."
        if 0.45 <= rate <= 0.55:
            return ("0.5 is special: one step lands exactly on the minimum. But larger rates still converge, "
                    "overshooting and bouncing back; find where the bouncing stops shrinking.")
        if rate < 1e-3:
            return ("That is about the limit for the raw feature in millimetres. With the standardised feature "
                    "much larger rates work; switch the toggle to 'standardised'.")
        return (f"{rate:g} converges, and so does every rate between it and the limit: there is no largest rate "
                "that converges, only a limit that the converging rates approach. For which rate does "
                "|1 - 2 * rate| reach 1?")
    if at_the_limit not in AT_THE_LIMIT:
        return f"answer at_the_limit with one of {', '.join(repr(a) for a in AT_THE_LIMIT)}."
    if at_the_limit == "converges":
        return ("the limit is right, but at exactly 1 the factor 1 - 2 * rate is -1: every epoch jumps to the "
                "mirror point on the other side of the minimum, no closer. LinearRegression(learning_rate=1.0, "
                "epochs=2000) ends at (0, 0), where it started.")
    if at_the_limit == "diverges":
        return ("the limit is right, but at exactly 1 the distance to the minimum stays the same (the factor is -1, "
                "not below -1): the loss never grows, so nnlib never stops the run. It grows only above 1.")
    return None


q3 = Exercise(
    id="02.3",
    title="Where convergence stops",
    answers=("limit", "at_the_limit"),
    placeholder="""
# Exercise 02.3: Where convergence stops
limit = ...  # with the standardised feature, every learning rate below this one converges
at_the_limit = ...  # what happens at exactly that rate: "converges", "bounces" or "diverges"
""",
    solution="""
# Exercise 02.3: Where convergence stops
limit = 1.0  # |1 - 2 * rate| < 1 exactly when 0 < rate < 1
at_the_limit = "bounces"  # the factor is -1: each epoch lands on the mirror point, never closer, never farther
""",
    checker=_check_limit,
    hints=["Use the widget with the 'standardised' feature and about 200 epochs; its slider steps through "
           "0.79, 1 and 1.26.",
           "Above 0.5 the path overshoots the minimum and zig-zags; it still converges while each zig is "
           "shorter than the one before.",
           "Each epoch multiplies the distance to the minimum by |1 - 2 * learning_rate|. When is that below 1, "
           "and what does a factor of exactly -1 do?"],
)


# --- 02.4 -----------------------------------------------------------------------------
Q4_NAMES = {
    "slope_scaled": ("parameter", "gradient descent changed it every epoch until it fitted the data."),
    "intercept_scaled": ("parameter", "it is learned like the slope (it is the line's bias)."),
    "learning_rate": ("hyperparameter", "you chose it before training; gradient descent never changes it."),
    "epochs": ("hyperparameter", "you chose how many steps to take; the data did not decide it."),
    "grad_slope": ("neither", "it is recomputed from the data and the current parameters at every step: "
                              "it says which way to move, it is not kept as part of the model."),
}

def _check_kinds(kinds):
    problem = check_sorting(kinds, Q4_NAMES, kind_names=("parameter", "hyperparameter", "neither"))
    return None if problem is None else problem.replace("is a neither", "is neither a parameter nor a hyperparameter")


q4 = Exercise(
    id="02.4",
    title="Parameter, hyperparameter or neither?",
    answers=("kinds",),
    placeholder="""
# Exercise 02.4: Parameter, hyperparameter or neither?
# Answer "parameter", "hyperparameter" or "neither" for each name used in this notebook.
kinds = {"slope_scaled": ..., "intercept_scaled": ..., "learning_rate": ..., "epochs": ..., "grad_slope": ...}
""",
    solution="""
# Exercise 02.4: Parameter, hyperparameter or neither?
kinds = {"slope_scaled": "parameter", "intercept_scaled": "parameter", "learning_rate": "hyperparameter",
         "epochs": "hyperparameter", "grad_slope": "neither"}
""",
    checker=_check_kinds,
    hints=["Ask of each name: does gradient descent change it and keep it (parameter), do you set it before "
           "training (hyperparameter), or is it a value computed along the way (neither)?",
           "In nnlib, hyperparameters are the arguments of LinearRegression(...); parameters end in _ after fit."],
)
