"""Learning-rate schedules: how the learning rate changes from epoch to epoch. A schedule is a
hyperparameter (you choose it); each one is a function (epoch, learning_rate, epochs) -> the rate used
during ``epoch`` (from 0) of a run of ``epochs`` epochs that starts at ``learning_rate``."""
import warnings

import numpy as np

from .input_checks import check_choice


def constant(epoch, learning_rate, epochs):
    """Always ``learning_rate``."""
    return learning_rate


def step(epoch, learning_rate, epochs):
    """Halved every quarter of the run (at least every epoch)."""
    return learning_rate * 0.5 ** (epoch // max(1, epochs // 4))


def exponential(epoch, learning_rate, epochs):
    """Multiplied by 0.01 ** (1 / epochs) each epoch, ending 100 times smaller."""
    return learning_rate * 0.01 ** (epoch / max(1, epochs))


def cosine(epoch, learning_rate, epochs):
    """Half a cosine from ``learning_rate`` down to 0 at the end of the run."""
    return learning_rate * 0.5 * (1 + np.cos(np.pi * min(epoch, epochs) / max(1, epochs)))


SCHEDULES = {schedule.__name__: schedule for schedule in (constant, step, exponential, cosine)}


def learning_rate_at(epoch, learning_rate, schedule="constant", epochs=100):
    """The learning rate for ``epoch`` (from 0) out of ``epochs`` under the schedule named ``schedule``."""
    return SCHEDULES[check_choice("lr_schedule", schedule, list(SCHEDULES))](epoch, learning_rate, epochs)


def schedule(name, epochs, last_epoch):
    """The schedule named ``name``, for a run of ``epochs`` epochs; warns if training goes on to ``last_epoch``
    (from 0) after the rate has come down to 0."""
    if SCHEDULES[name](last_epoch, 1.0, epochs) == 0:
        warnings.warn(f"The {name} schedule brings the learning rate to 0 at epoch {epochs + 1} (epochs={epochs}), so "
                      f"training past it changes nothing. To go on, lengthen the schedule, e.g. set_params(epochs="
                      f"{last_epoch + 1}), or use lr_schedule='constant'.", stacklevel=4)
    return SCHEDULES[name]
