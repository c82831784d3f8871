"""Exercises for notebook 09 (optimisers, schedules and early stopping): momentum's reach, early
stopping by hand, and what a search tunes."""
import numpy as np

from .checks import Exercise, relative_difference
from ._common import check_sorting


# --- 09.1 --------------------------------------------------------------------------------
def _check_boost(boost_09, boost_0998):
    for name, value in (("boost_09", boost_09), ("boost_0998", boost_0998)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            return f"{name} should be one number (how many times learning_rate * g one step is), got {value!r}."
    answer = (boost_09, boost_0998)
    if relative_difference(answer, (10, 500)) < 1e-6:
        return None
    if relative_difference(answer, (9, 499)) < 1e-6:
        return ("that is mu / (1 - mu): the part carried over from earlier steps. The step also contains this "
                "step's own -learning_rate * g: solve v = mu * v - learning_rate * g for v.")
    if relative_difference(answer, (0.1, 0.002)) < 1e-6:
        return "that is 1 - mu; the velocity grows to learning_rate * g divided by (1 - mu), not multiplied."
    if relative_difference(answer, (1 / 0.9, 1 / 0.998)) < 1e-6:
        return "that is 1 / mu; the settled velocity solves v = mu * v - learning_rate * g, so v = -learning_rate * g / (1 - mu)."
    if relative_difference(answer[0], 10) < 1e-6:
        return "boost_09 is right (1 / (1 - 0.9) = 10); apply the same formula to mu = 0.998."
    return ("Solve v = mu * v - learning_rate * g for v: v (1 - mu) = -learning_rate * g, so one step is "
            "1 / (1 - mu) times learning_rate * g.")


q1 = Exercise(
    id="09.1",
    title="how far momentum carries",
    answers=("boost_09", "boost_0998"),
    placeholder='''
# Exercise 09.1: how far momentum carries
# Along a straight stretch of valley floor the gradient g hardly changes from step to step. The velocity
# v <- mu * v - learning_rate * g then settles where it stops changing. How many times learning_rate * g
# is one step then, for mu = 0.9 and for mu = 0.998?
boost_09 = ...
boost_0998 = ...
''',
    solution='''
# Exercise 09.1: how far momentum carries
# v = mu * v - learning_rate * g  =>  v = -learning_rate * g / (1 - mu)
boost_09 = 1 / (1 - 0.9)      # 10
boost_0998 = 1 / (1 - 0.998)  # 500
''',
    checker=_check_boost,
    hints=["When the velocity has settled, v after the update equals v before it: v = mu * v - learning_rate * g.",
           "Collect v on one side: v (1 - mu) = -learning_rate * g."],
    points=1,
)


# --- 09.2 --------------------------------------------------------------------------------
VAL_LOSSES = (0.70, 0.52, 0.45, 0.47, 0.44, 0.46, 0.48, 0.49, 0.43, 0.41)
PATIENCE = 3


def early_stop(val_losses, patience):
    """(epochs trained, best epoch) of nnlib's early stopping on these validation losses.

    The rule of ``nnlib.train``: after each epoch e (counted from 0) the best epoch is the one
    with the lowest validation loss so far (ties keep the earlier one); training stops after
    epoch e once e - best >= patience, and the parameters of the best epoch are restored.
    """
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch + 1, best
    return len(val_losses), best


def _check_early_stop(epochs_trained, restored_epoch):
    for name, value in (("epochs_trained", epochs_trained), ("restored_epoch", restored_epoch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            return f"{name} should be a whole number, got {value!r}."
    expected_epochs, expected_best = early_stop(VAL_LOSSES, PATIENCE)
    if (epochs_trained, restored_epoch) == (expected_epochs, expected_best):
        return None
    if epochs_trained == len(VAL_LOSSES):
        return ("training stops as soon as `patience` epochs in a row bring no new lowest loss; it never gets to "
                "see the 0.43 and 0.41 at the end of the list.")
    if restored_epoch in (8, 9):
        return "epochs 8 and 9 never run: training has stopped before them."
    if restored_epoch == 2:
        return "0.44 at epoch 4 is lower than 0.45 at epoch 2: epoch 4 is the best so far, and patience counts from it."
    if restored_epoch == epochs_trained - 1:
        return ("restore_best puts back the parameters of the best epoch, not those of the last epoch trained "
                "(the last ones have started to overfit).")
    if restored_epoch == expected_best + 1:
        return "count epochs from 0, like history.best_epoch: the first loss in the list is epoch 0."
    if restored_epoch == expected_best and epochs_trained == expected_epochs - 1:
        return ("epochs are counted from 0: after the best epoch 4, epochs 5, 6 and 7 bring no improvement, and "
                "training stops after epoch 7 -- that is 8 epochs trained.")
    if restored_epoch == expected_best:
        return "restored_epoch is right. Now count: which epoch is the third in a row without a new lowest loss?"
    return ("Walk through the list: keep the lowest loss so far and its epoch; stop when `patience` epochs "
            "in a row have passed without a lower one.")


q2 = Exercise(
    id="09.2",
    title="early stopping by hand",
    answers=("epochs_trained", "restored_epoch"),
    placeholder='''
# Exercise 09.2: early stopping by hand
# These would be the validation losses after epochs 0, 1, 2, ... of a run with patience = 3:
val_losses = [0.70, 0.52, 0.45, 0.47, 0.44, 0.46, 0.48, 0.49, 0.43, 0.41]
# How many epochs does nnlib train before early stopping ends the run, and from which epoch
# (counted from 0, like history.best_epoch) does it restore the parameters?
epochs_trained = ...
restored_epoch = ...
''',
    solution='''
# Exercise 09.2: early stopping by hand
# Best so far: epoch 4 (0.44). Epochs 5, 6, 7 bring no lower loss: 3 = patience, so it stops after epoch 7.
epochs_trained = 8
restored_epoch = 4
''',
    checker=_check_early_stop,
    hints=["Keep the lowest loss so far and its epoch; patience counts the epochs since that best one.",
           "0.44 at epoch 4 is the best before the run stops; count three epochs after it."],
    points=1,
)


# --- 09.3 --------------------------------------------------------------------------------
TUNING_NAMES = {
    "momentum": ("hyperparameter", "you choose how much of the last step carries over; training never changes it."),
    "hidden_1.weights": ("parameter", "gradient descent learns them on the training set."),
    "patience": ("hyperparameter", "how many epochs to wait for the validation loss to improve is your choice, "
                                   "compared on the validation set like any other."),
    "lr_schedule": ("hyperparameter", "the schedule is chosen before training; it decides the learning rate of "
                                      "each epoch."),
    "output.biases": ("parameter", "biases are learned like weights."),
    "optimizer": ("hyperparameter", "SGD or Adam is a choice of *how* to learn the parameters, not something "
                                    "learned."),
}

q3 = Exercise(
    id="09.3",
    title="what a search tunes",
    answers=("kinds",),
    placeholder='''
# Exercise 09.3: what a search tunes
# Answer "parameter" (learned by fit) or "hyperparameter" (chosen, e.g. by a search) for each name.
kinds = {
    "momentum": ...,
    "hidden_1.weights": ...,
    "patience": ...,
    "lr_schedule": ...,
    "output.biases": ...,
    "optimizer": ...,
}
''',
    solution='''
# Exercise 09.3: what a search tunes
kinds = {
    "momentum": "hyperparameter",
    "hidden_1.weights": "parameter",
    "patience": "hyperparameter",
    "lr_schedule": "hyperparameter",
    "output.biases": "parameter",
    "optimizer": "hyperparameter",
}
''',
    checker=lambda kinds: check_sorting(kinds, TUNING_NAMES),
    hints=["A search tries values of hyperparameters; for each value, fit learns the parameters.",
           "Could you put it in a search space? Then it is a hyperparameter. Does it end up in "
           "model.parameters()? Then it is a parameter."],
    points=1,
)
