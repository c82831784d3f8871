"""Exercises for notebook 00 (start here)."""
from .framework import Exercise
from .sorting import sorting_exercise

LINE_NAMES = {
    "weight": ("parameter", "weights are learned from the data by gradient descent."),
    "bias": ("parameter", "a bias is learned from the data just like a weight, so it is a parameter."),
    "learning_rate": ("hyperparameter", "you choose the step size before training; training never changes it."),
    "number_of_layers": ("hyperparameter", "the architecture is chosen before training: it decides how many "
                                           "weights exist at all."),
    "batch_size": ("hyperparameter", "you choose how many samples each step uses."),
    "intercept": ("parameter", "the intercept of a fitted line is learned from the data."),
}

q1 = sorting_exercise(
    "00.1", "sort the names", LINE_NAMES, points=2,
    intro='Replace each ... with "parameter" (learned from data) or "hyperparameter" (chosen by you).',
    hints=["Ask of each name: does fit() change it, or do I have to decide it before calling fit()?",
           "Three are learned, three are chosen. The number of layers is chosen: training cannot add a layer."],
)

SPLITS = ("training", "validation", "test")


def _check_where(parameters_fitted_on, hyperparameters_chosen_on, used_once_at_the_end):
    answers = (parameters_fitted_on, hyperparameters_chosen_on, used_once_at_the_end)
    if any(a not in SPLITS for a in answers):
        return f"answer each with one of {', '.join(repr(s) for s in SPLITS)}."
    if answers == ("validation", "training", "test"):
        return ("this is the common mix-up, swapped: parameters are fitted on the training set, and "
                "hyperparameters are compared on the validation set.")
    if hyperparameters_chosen_on == "test":
        return ("choosing hyperparameters on the test set makes the test score optimistic: the test set must "
                "stay unseen until one final evaluation. Compare hyperparameters on the validation set.")
    if parameters_fitted_on != "training":
        return "parameters are learned by fit() from the training set."
    if hyperparameters_chosen_on != "validation":
        return "hyperparameters are compared on data the parameters were not fitted on: the validation set."
    if used_once_at_the_end != "test":
        return "the set you look at only once, at the very end, is the test set."
    return None


q2 = Exercise(
    id="00.2",
    title="where is each decided",
    answers=("parameters_fitted_on", "hyperparameters_chosen_on", "used_once_at_the_end"),
    placeholder='''
# Exercise 00.2: where is each decided
# Answer each with "training", "validation" or "test".
parameters_fitted_on = ...
hyperparameters_chosen_on = ...
used_once_at_the_end = ...
''',
    solution='''
# Exercise 00.2: where is each decided
parameters_fitted_on = "training"
hyperparameters_chosen_on = "validation"
used_once_at_the_end = "test"
''',
    checker=_check_where,
    hints=["fit(X_train, y_train) is the call that learns parameters.",
           "You compare several trained models on data none of them was trained on, and you keep one set "
           "of data untouched for the final report."],
    points=1,
)
