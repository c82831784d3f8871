"""Exercises for notebook 01 (the parameters of a line)."""
import numpy as np

from ..datasets import load_penguins
from ._common import check_sorting, one_number
from .checks import Exercise, relative_difference

_X, _y = load_penguins()
_x = _X[:, 0]
_SLOPE, _INTERCEPT = np.polyfit(_x, _y, 1)


def _mse(slope, intercept):
    return float(np.mean((slope * _x + intercept - _y) ** 2))


def _check_loss(loss):
    expected = _mse(40.0, -3500.0)
    loss = one_number(loss, "loss", "the loss is the mean over all penguins, np.mean((predictions - y) ** 2).")
    if relative_difference(loss, expected) < 1e-9:
        return None
    if relative_difference(loss, np.sqrt(expected)) < 1e-9:
        return ("that is the ROOT mean squared error: the loss here is the mean of the squared errors, "
                "without the square root.")
    if relative_difference(loss, expected * len(_y)) < 1e-9:
        return "that is the SUM of squared errors: divide by the number of penguins to get the mean."
    if relative_difference(loss, np.mean(np.abs(40.0 * _x - 3500.0 - _y))) < 1e-9:
        return "that is the mean ABSOLUTE error: square each error instead of taking its absolute value."
    if relative_difference(loss, np.mean(40.0 * _x - 3500.0 - _y) ** 2) < 1e-9:
        return "that is the square of the mean error: square each error first, then take the mean."
    if relative_difference(loss, np.mean(40.0 * _x - 3500.0 - _y ** 2)) < 1e-9:
        return ("only y was squared: ** binds tighter than -, so write the error in parentheses, "
                "np.mean((predictions - y) ** 2).")
    if relative_difference(loss, np.mean(40.0 * _x - 3500.0 - _y)) < 1e-9 or abs(loss) < 1e4:
        return "did you forget to square the errors? Positive and negative errors must not cancel."
    return (f"expected about {expected:,.0f} g² — compute predictions = 40 * x - 3500, "
            "then the mean of (predictions - y)**2.")


q1 = Exercise(
    id="01.1",
    title="the loss of a line",
    answers=("loss",),
    placeholder='''
# Exercise 01.1: the loss of a line
# x holds the flipper lengths (mm), y the body masses (g).
# Compute the mean squared error of the line with slope 40 g/mm and intercept -3500 g.
loss = ...
''',
    solution='''
# Exercise 01.1: the loss of a line
predictions = 40 * x - 3500
loss = np.mean((predictions - y) ** 2)
''',
    checker=_check_loss,
    hints=["First the predictions: slope * x + intercept, one per penguin.",
           "Then np.mean((predictions - y) ** 2)."],
    points=1,
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
}

q3 = Exercise(
    id="01.3",
    title="learned or chosen",
    answers=("kinds",),
    placeholder='''
# Exercise 01.3: learned or chosen
# For the LinearRegression above, answer "parameter" or "hyperparameter" for each name.
kinds = {"coef_": ..., "intercept_": ..., "learning_rate": ..., "epochs": ...}
''',
    solution='''
# Exercise 01.3: learned or chosen
kinds = {"coef_": "parameter", "intercept_": "parameter", "learning_rate": "hyperparameter", "epochs": "hyperparameter"}
''',
    checker=lambda kinds: check_sorting(kinds, MODEL_NAMES),
    hints=["Which of them did you type into LinearRegression(...)? Which appeared only after fit()?"],
    points=1,
)
