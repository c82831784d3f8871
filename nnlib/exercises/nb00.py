"""Exercises for notebook 00 (start here)."""
from .answer_kinds import one_number
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
    "random_state": ("neither", "it is scikit-learn's name for the seed: it changes the result, but choosing it on "
                                "the validation set fits noise, so it is a setting of the experiment."),
    "tol": ("hyperparameter", "a stopping rule set before training, like epochs or patience: it decides when training "
                              "stops, so what it learns, and you could compare values of it on the validation set."),
    "n_iter_": ("neither", "fit sets it (hence the underscore), but it only counts the iterations training ran: a "
                           "record of the run, not a value of the model."),
}

q1 = sorting_exercise(
    "00.1", "sort the names", LINE_NAMES, points=2,
    intro='Replace each ... with "parameter", "hyperparameter" or "neither" (the rule of section 3).',
    kinds=("parameter", "hyperparameter", "neither"),
    hints=["Ask the rule's questions in order: does fit() compute it from the training data? If not, do I set it "
           "before fit() to steer what is learned, a choice to compare on the validation set? Else it is neither.",
           "Three are learned, four are chosen, two are neither. The number of layers is chosen: training cannot add "
           "a layer. A trailing underscore says 'set by fit', not 'learned parameter'."],
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

# --- 00.3: a report on data the course never shows -------------------------------------------------------------------
# The colleague's table: learning rate -> accuracy (%) on the training, validation and test e-mails.
SPAM_RUNS = {0.001: (86.1, 85.5, 84.8), 0.01: (93.4, 92.1, 92.5), 0.1: (97.8, 95.1, 94.4), 0.3: (99.3, 94.3, 97.0),
             1.0: (99.9, 91.2, 93.1)}
REPORT_STEPS = {  # the steps that went wrong, and why
    4: "step 4 chose the learning rate on the test set, so its 97.0 % is optimistic: compare hyperparameters on the "
       "validation set, and look at the test set once, at the very end.",
    2: "step 2 learned the mean and standard deviation from all 6,000 e-mails, test ones included: they are learned "
       "from data (a parameter of the preprocessing), so they come from the training e-mails only.",
    5: "step 5 kept the luckiest seed: the seed is neither a parameter nor a hyperparameter, and choosing it on the "
       "validation set fits noise; report the spread over the ten seeds instead.",
}
SOUND_STEPS = {1: "step 1 is sound: a training, a validation and a test set are what the workflow needs.",
               3: "step 3 is sound: every network learns its parameters on the training e-mails."}


def _best(column):
    """The learning rate with the highest accuracy in ``column`` (0 training, 1 validation, 2 test) of SPAM_RUNS."""
    return max(SPAM_RUNS, key=lambda rate: SPAM_RUNS[rate][column])


def _check_report(wrong_steps, standardizer_fitted_on, learning_rate):
    steps = {wrong_steps} if isinstance(wrong_steps, int) else wrong_steps
    if not isinstance(steps, (list, tuple, set)) or not set(steps) <= set(REPORT_STEPS) | set(SOUND_STEPS):
        return "wrong_steps: give the numbers of the steps that went wrong as a list, e.g. [1, 3]."
    problem = next((why for step, why in REPORT_STEPS.items() if step not in steps), None) or \
        next((why for step, why in SOUND_STEPS.items() if step in steps), None)
    if problem:
        return f"wrong_steps: {problem}"
    if standardizer_fitted_on != "training":
        return ("standardizer_fitted_on: fit the standardisation on the training set only, as the parameters are: "
                "the validation and test e-mails must stay data the whole pipeline has never seen.")
    rate = one_number(learning_rate, "learning_rate", "pick one rate from the table.")
    if rate not in SPAM_RUNS:
        return f"learning_rate: pick one of the rates in the table, {', '.join(map(str, SPAM_RUNS))}."
    if rate == _best(2):
        return ("learning_rate: that is the colleague's choice, the best on the TEST set (step 4's slip): "
                "read the validation column instead.")
    if rate == _best(0):
        return ("learning_rate: that is the best on the TRAINING set, which always prefers the most flexible run: "
                "read the validation column instead.")
    if rate != _best(1):
        return "learning_rate: another rate has a higher validation accuracy: compare the validation column."
    return None


q3 = Exercise(
    id="00.3",
    title="a colleague's report",
    answers=("wrong_steps", "standardizer_fitted_on", "learning_rate"),
    placeholder='''
# Exercise 00.3: a colleague's report
# wrong_steps: the numbers of the report's steps that went wrong, as a list.
# standardizer_fitted_on: "training", "validation" or "test".   learning_rate: the rate the table says to keep.
wrong_steps = ...
standardizer_fitted_on = ...
learning_rate = ...
''',
    solution='''
# Exercise 00.3: a colleague's report
wrong_steps = [2, 4, 5]
standardizer_fitted_on = "training"
learning_rate = 0.1
''',
    checker=_check_report,
    hints=["For each step ask: which data does it use, and is that the set section 3 gives to this kind of decision? "
           "And what does rule 3 say about choosing a seed?",
           "Three steps went wrong. The learning rate is a hyperparameter: which column of the table compares "
           "hyperparameters?"],
    points=2,
)
