"""Learning-rate schedules: how the learning rate changes from epoch to epoch. A schedule is a
hyperparameter (you choose it); ``learning_rate_at`` gives the rate used during an epoch (from 0)."""
import numpy as np

from .input_checks import check_choice

SCHEDULES = ("constant", "step", "exponential", "cosine")


def learning_rate_at(epoch, learning_rate, schedule="constant", epochs=100):
    """The learning rate for ``epoch`` (0-based) out of ``epochs``.

    - "constant": always ``learning_rate``.
    - "step": halved every quarter of the run (at least every epoch).
    - "exponential": multiplied by 0.01 ** (1 / epochs) each epoch, ending 100x smaller.
    - "cosine": follows half a cosine from ``learning_rate`` down to 0.
    """
    check_choice("lr_schedule", schedule, list(SCHEDULES))
    if schedule == "constant":
        return learning_rate
    if schedule == "step":
        return learning_rate * 0.5 ** (epoch // max(1, epochs // 4))
    if schedule == "exponential":
        return learning_rate * 0.01 ** (epoch / max(1, epochs))
    return learning_rate * 0.5 * (1 + np.cos(np.pi * min(epoch, epochs) / max(1, epochs)))
