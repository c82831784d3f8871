"""Exercises for notebook 01 (the parameters of a line).

Exercise 01.1 builds two pieces of the learner's library (``PieceExercise``): its checker runs them on the penguins
and names a typical slip; the pieces' own checks against nnlib follow (``nnlib.learner.line_checks``).
"""
import numpy as np

from ..datasets import load_penguins
from .answer_kinds import one_number
from .framework import Exercise, call, relative_difference, same
from .pieces import PieceExercise, solution
from .sorting import sorting_exercise

_X, _y = load_penguins()
_x = _X[:, 0]
_SLOPE, _INTERCEPT = np.polyfit(_x, _y, 1)


def _check_line(predict_line, mean_squared_error):
    """Both functions on the penguins, with the line of slope 40 g/mm and intercept -3500 g: a typical slip named,
    else None (each piece's own check then compares it with nnlib)."""
    y_hat = call(predict_line, _x.copy(), 40.0, -3500.0)
    for wrong, message in ((-3500.0 * _x + 40.0, "you swapped slope and intercept: the slope multiplies x."),
                           (40.0 * _x, "you left out the intercept, which shifts every prediction by the same "
                                       "amount."),
                           (40.0 * (_x - 3500.0), "slope * (x + intercept) multiplies the intercept by the slope "
                                                  "too.")):
        if same(y_hat, wrong):
            return f"predict_line: {message} y_hat = slope * x + intercept."
    errors = 40.0 * _x - 3500.0 - _y
    expected = float(np.mean(errors**2))
    loss = one_number(call(mean_squared_error, 40.0 * _x - 3500.0, _y.copy()), "mean_squared_error(y_hat, y)",
                      "the loss is the mean over all penguins, np.mean((y_hat - y) ** 2).")
    if relative_difference(loss, expected) < 1e-9:
        return None
    slips = ((np.sqrt(expected), "that is the ROOT mean squared error: the loss here is the mean of the squared "
                                 "errors, without the square root."),
             (expected * len(_y), "that is the SUM of squared errors: divide by the number of penguins to get the "
                                  "mean (np.mean does both)."),
             (expected / 2, "that is HALF the mean squared error (the 1/2 some books add to tidy the derivative): "
                            "the loss here is np.mean((y_hat - y) ** 2), without the 1/2."),
             (np.mean(np.abs(errors)), "that is the mean ABSOLUTE error: square each error instead of taking its "
                                       "absolute value."),
             (np.mean(errors) ** 2, "that is the square of the mean error: square each error first, then take the "
                                    "mean."),
             (np.mean(40.0 * _x - 3500.0 - _y**2), "only y was squared: ** binds tighter than -, so write the error "
                                                   "in parentheses, np.mean((y_hat - y) ** 2)."),
             (expected * len(_y) / (len(_y) - 1), "you divided by n - 1: the mean squared error divides by n, the "
                                                  "number of penguins, as np.mean does."))
    for wrong, message in slips:
        if relative_difference(loss, wrong) < 1e-9:
            return f"mean_squared_error: {message}"
    if relative_difference(loss, np.mean(errors)) < 1e-9 or abs(loss) < 1e4:
        return "mean_squared_error: did you forget to square the errors? Positive and negative ones must not cancel."
    return None


q1 = PieceExercise(
    id="01.1",
    title="a line's prediction and its loss",
    answers=("predict_line", "mean_squared_error"),
    placeholder='''
# Exercise 01.1: a line's prediction and its loss
# predict_line: the line's prediction for every x, y_hat = slope * x + intercept.   x (n,) -> y_hat (n,)
# mean_squared_error: the mean over the samples of the squared errors (y_hat - y)**2.   y_hat, y (n,) -> a number
def predict_line(x, slope, intercept):
    ...


def mean_squared_error(y_hat, y):
    ...
''',
    solution=solution("01.1", "a line's prediction and its loss", "predict_line", "mean_squared_error"),
    checker=_check_line,
    hints=["predict_line is one line of numpy: slope * x + intercept works on the whole array x at once.",
           "mean_squared_error: the errors are y_hat - y; square each, then take the mean over the samples: "
           "np.mean((y_hat - y) ** 2)."],
    points=2,
    pieces={"predict_line": "predict_line", "mean_squared_error": "mean_squared_error"},
)


def _check_closed_form(slope, intercept):
    slope = one_number(slope, "slope", "sum over the penguins with np.sum(...) above and below the fraction bar.")
    intercept = one_number(intercept, "intercept", "intercept = y.mean() - slope * x.mean().")
    if relative_difference(slope, _SLOPE) < 1e-6 and relative_difference(intercept, _INTERCEPT) < 1e-6:
        return None
    if relative_difference(slope, np.sum(_x * _y) / np.sum(_x * _x)) < 1e-6:
        return "your slope uses x and y without subtracting their means first: use (x - x.mean()) and (y - y.mean())."
    if relative_difference(slope, _SLOPE) < 1e-6:
        return "the slope is right; the intercept is y.mean() - slope * x.mean()."
    if relative_difference(slope, np.sum((_x - _x.mean()) * (_y - _y.mean())) / np.sum((_y - _y.mean()) ** 2)) < 1e-6:
        return "you divided by the spread of y; the slope divides by the spread of x: sum((x - x̄)²)."
    if relative_difference(slope, 1 / _SLOPE) < 1e-6:
        return "your slope is upside down (mm per g): it should be grams per millimetre, about 50."
    return f"expected a slope of about {_SLOPE:.1f} g/mm; check the formula above."


q2 = Exercise(
    id="01.2",
    title="least squares by formula",
    answers=("slope", "intercept"),
    placeholder='''
# Exercise 01.2: least squares by formula
# Use the two formulas above with x and y.
slope = ...
intercept = ...
''',
    solution='''
# Exercise 01.2: least squares by formula
slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
intercept = y.mean() - slope * x.mean()
''',
    checker=_check_closed_form,
    hints=["The slope is sum((x - x̄)(y - ȳ)) divided by sum((x - x̄)²); x.mean() gives x̄.",
           "The best line passes through the point (x̄, ȳ), so intercept = ȳ - slope · x̄."],
    points=2,
)

MODEL_NAMES = {
    "coef_": ("parameter", "it ends in an underscore: fit() learned it from the training data (it is the slope)."),
    "intercept_": ("parameter", "fit() learned it from the training data; it is the line's bias."),
    "learning_rate": ("hyperparameter", "you passed it to LinearRegression(...) before training."),
    "epochs": ("hyperparameter", "you chose how many passes over the data to make."),
    "seed": ("neither", "LinearRegression(...) takes it too, but it only fixes the random draws: choosing it on the "
                        "validation set would fit noise, so it is a setting of the experiment (notebook 00's rule 3)."),
    "history_": ("neither", "fit() sets it (hence the underscore), but it records how training went, the loss of "
                            "every epoch: a record of the run, not a value of the line."),
}

q3 = sorting_exercise(
    "01.3", "learned or chosen", MODEL_NAMES,
    intro='For the LinearRegression above, answer "parameter", "hyperparameter" or "neither" for each name.',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Which of them did you type into LinearRegression(...)? Which appeared only after fit()?",
           "A trailing underscore says 'set by fit()', not 'learned parameter': is it a value of the line, or a "
           "record of how training went? And notebook 00's rule 3 names the seed."],
)


# --- 01.4: the same line in other units ------------------------------------------------------------------------------
_SLOPE_KG_PER_CM, _INTERCEPT_KG = np.polyfit(_x / 10, _y / 1000, 1)  # least squares again, on flippers in cm, kg
# Typical slips, keyed by the factor between the slipped answer and the right one.
_SLOPE_LENGTH_SLIPS = {
    0.1: "you left the length in millimetres: a centimetre is 10 mm, so multiply by 10 too",
    0.01: "you divided by 10 for the centimetres, but per centimetre (10 mm) a penguin gains 10 times as much as per "
          "millimetre: multiply by 10"}
_INTERCEPT_AT_0 = ("the intercept is the prediction at a flipper length of 0, and 0 cm is 0 mm: the length's unit "
                   "does not change it, only the mass's does")
_MASS_SLIPS = {1e3: "the mass is still in grams: divide by 1000 for kilograms",
               1e6: "you multiplied by 1000, but a mass in kilograms is a number 1000 times smaller: divide by 1000"}


def _unit_slip(answer, right, length_slips):
    """What a wrong factor for the length's unit and/or the mass's unit did to ``right``, if one explains ``answer``."""
    for length in (1, *length_slips):
        for mass in (1, *_MASS_SLIPS):
            if (length, mass) != (1, 1) and relative_difference(answer, right * length * mass) < 5e-3:
                return "; and ".join(slip for slip in (length_slips.get(length), _MASS_SLIPS.get(mass)) if slip) + "."
    return None


def _check_units(slope_kg_per_cm, intercept_kg):
    """Both numbers against least squares refitted in cm and kg, within 0.5 % (rounded answers pass)."""
    slope = one_number(slope_kg_per_cm, "slope_kg_per_cm", "one number, from best_slope.")
    intercept = one_number(intercept_kg, "intercept_kg", "one number, from best_intercept.")
    for name, answer, right, length_slips, unit in (
            ("slope_kg_per_cm", slope, _SLOPE_KG_PER_CM, _SLOPE_LENGTH_SLIPS, "kg per cm (best_slope is in g per mm)"),
            ("intercept_kg", intercept, _INTERCEPT_KG, {10: _INTERCEPT_AT_0, 0.1: _INTERCEPT_AT_0},
             "kg (best_intercept is in g)")):
        if relative_difference(answer, right) >= 5e-3:
            return f"{name}: " + (_unit_slip(answer, right, length_slips) or
                                  f"expected a number in {unit}: change one unit at a time.")
    return None


q4 = Exercise(
    id="01.4",
    title="the same line in other units",
    answers=("slope_kg_per_cm", "intercept_kg"),
    placeholder='''
# Exercise 01.4: the same line in other units
# From best_slope (g/mm) and best_intercept (g), without fitting again: the least-squares line
# for flipper lengths in centimetres and body masses in kilograms.
slope_kg_per_cm = ...
intercept_kg = ...
''',
    solution='''
# Exercise 01.4: the same line in other units
slope_kg_per_cm = best_slope * 10 / 1000
intercept_kg = best_intercept / 1000
''',
    checker=_check_units,
    hints=["Units travel with the numbers: best_slope is grams per millimetre. How many grams per centimetre is that, "
           "and how many kilograms?",
           "The intercept is the prediction at x = 0: a mass, with no 'per length' in its unit."],
    points=2,
)
