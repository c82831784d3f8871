"""Exercises for notebook 09b (learning-rate schedules and early stopping), the second part of notebook 09: the
cosine schedule and early stopping's rule written from scratch, as pieces of the learner's library
(``nnlib.learner.optimiser_checks``).

Each function runs side by side with nnlib's own (``nnlib.schedules.cosine``, ``nnlib.train.early_stopping``) on
cases of the checker's own, the rule also on a real training run. When the two disagree, the checker compares the
learner's answers with typical wrong versions (``COSINE_MISTAKES``, ``STOPPING_MISTAKES``) to name the mistake.
"""
import functools

import numpy as np

from ..datasets import make_moons
from ..models import MLP
from ..schedules import learning_rate_at
from .framework import Feedback, call
from .pieces import SOLUTIONS, PieceExercise

# --- 09b.1 -------------------------------------------------------------------------------
SCHEDULE_CASES = ((0.5, 20), (1.0, 7))  # (learning_rate, epochs): the rate at epochs 0 .. epochs + 2
EDGE_CASE = (0.1, 1)  # a run of one epoch: the full rate, then 0


def cosine_reference(epoch, learning_rate, epochs, mistake=None):
    """nnlib's cosine schedule (mistake=None), or one of COSINE_MISTAKES."""
    if mistake == "epochs counted from 1":
        epoch = epoch + 1
    if mistake == "zero at the last epoch":
        epochs = max(1, epochs - 1)
    if mistake != "not kept at 0 after the end":
        epoch = min(epoch, epochs)
    if mistake == "constant":
        return learning_rate
    if mistake == "no 0.5 (1 + ...)":
        return learning_rate * np.cos(np.pi * epoch / epochs)
    if mistake == "a quarter wave":
        return learning_rate * np.cos(np.pi / 2 * epoch / epochs)
    if mistake == "rising":
        return learning_rate * 0.5 * (1 - np.cos(np.pi * epoch / epochs))
    if mistake == "degrees":
        return learning_rate * 0.5 * (1 + np.cos(180 * epoch / epochs))
    return learning_rate * 0.5 * (1 + np.cos(np.pi * epoch / epochs))


COSINE_MISTAKES = {
    "epochs counted from 1": ("your rate at epoch 0 is already below learning_rate: epochs count from 0, and the first "
                              "epoch trains at the full rate, cos(pi * 0 / epochs) = 1."),
    "no 0.5 (1 + ...)": ("your rate goes negative in the second half of the run: cos runs from 1 down to -1; "
                         "0.5 * (1 + cos(...)) turns that into 1 down to 0."),
    "a quarter wave": ("that is a quarter of a cosine wave (it falls slowly at first and steeply at the end); nnlib's "
                       "goes through half a wave, cos(pi * epoch / epochs), turned into 1 .. 0 by 0.5 * (1 + ...)."),
    "not kept at 0 after the end": ("after the end of the schedule (epoch > epochs) your rate climbs back up; nnlib's "
                                    "stays at 0: use min(epoch, epochs)."),
    "zero at the last epoch": ("your rate reaches 0 at epoch epochs - 1, so the last epoch trains at rate 0; nnlib's "
                               "reaches 0 at epoch `epochs`, one after the last: divide by epochs, not epochs - 1."),
    "constant": "your rate does not change from epoch to epoch: it should follow half a cosine down to 0.",
    "rising": ("your rate rises from 0 to learning_rate: it should start at the full rate and fall to 0, "
               "0.5 * (1 + cos(...)), not 1 - cos."),
    "degrees": ("your rate jumps up and down: np.cos and math.cos take radians, so half a wave is pi, not 180 "
                "(degrees): cos(pi * epoch / epochs)."),
}


def _rates(schedule, cases):
    """[[schedule(epoch, learning_rate, epochs) for epoch in 0 .. epochs + 2] for each case], checked to be numbers."""
    rows = []
    for rate, epochs in cases:
        row = []
        for epoch in range(epochs + 3):
            value = call(schedule, epoch, rate, epochs)
            try:
                row.append(float(np.squeeze(value)))
            except (TypeError, ValueError):
                raise Feedback(f"cosine_schedule should return one number, the learning rate; it returned "
                               f"{value!r} for epoch {epoch}.") from None
        rows.append(row)
    return rows


def _first_wrong_rate(rows, cases, tolerance=1e-12):
    """(learning_rate, epochs, epoch, value, nnlib's value) of the first rate that is not nnlib's, or None."""
    for (rate, epochs), row in zip(cases, rows):
        for epoch, value in enumerate(row):
            right = learning_rate_at(epoch, rate, "cosine", epochs)
            if not abs(value - right) <= tolerance * rate:
                return rate, epochs, epoch, value, right
    return None


def _check_cosine(cosine_schedule):
    if not callable(cosine_schedule):
        return ("cosine_schedule should be the function you defined: "
                "def cosine_schedule(epoch, learning_rate, epochs): ...")
    wrong = _first_wrong_rate(_rates(cosine_schedule, SCHEDULE_CASES), SCHEDULE_CASES)
    if wrong is None:
        wrong = _first_wrong_rate(_rates(cosine_schedule, [EDGE_CASE]), [EDGE_CASE])
    else:
        mine = _rates(cosine_schedule, SCHEDULE_CASES)
        for mistake, message in COSINE_MISTAKES.items():
            variant = functools.partial(cosine_reference, mistake=mistake)
            if all(abs(value - variant(epoch, rate, epochs)) <= 1e-9 * rate
                   for (rate, epochs), row in zip(SCHEDULE_CASES, mine) for epoch, value in enumerate(row)):
                return message
    if wrong is None:
        return None
    rate, epochs, epoch, value, right = wrong
    return (f"with learning_rate={rate} and epochs={epochs}, your rate at epoch {epoch} is {value:.4g}; nnlib's is "
            f"{right:.4g}: learning_rate * 0.5 * (1 + cos(pi * min(epoch, epochs) / epochs)).")


q1 = PieceExercise(
    id="09b.1",
    title="the cosine schedule, from scratch",
    answers=("cosine_schedule",),
    placeholder='''
# Exercise 09b.1: the cosine schedule, from scratch
# Return the learning rate that lr_schedule="cosine" uses in epoch `epoch` (counted from 0) of a run of
# `epochs` epochs: it follows half a cosine wave from learning_rate down to 0, which it reaches at
# epoch = epochs, and stays 0 after that.
def cosine_schedule(epoch, learning_rate, epochs):
    ...
''',
    solution="# Exercise 09b.1: the cosine schedule, from scratch\n" + SOLUTIONS["cosine_schedule"],
    checker=_check_cosine,
    hints=["np.cos(np.pi * x) goes from 1 to -1 as x goes from 0 to 1; 0.5 * (1 + ...) maps that to 1 .. 0.",
           "x = min(epoch, epochs) / epochs keeps the rate at 0 after the end."],
    points=1,
    pieces={"cosine_schedule": "cosine_schedule"},
)


# --- 09b.2 -------------------------------------------------------------------------------
STOPPING_CASES = (  # (validation losses after epochs 0, 1, 2, ..., patience); each run stops before its end
    ((0.70, 0.52, 0.45, 0.47, 0.44, 0.46, 0.48, 0.49, 0.43, 0.41, 0.42), 3),
    ((0.90, 0.60, 0.50, 0.50, 0.55, 0.50, 0.60, 0.70, 0.80, 0.30, 0.20, 0.10, 0.15), 3),  # ties are no improvement
    ((0.50, 0.40, 0.45, 0.44, 0.43, 0.42, 0.41, 0.405, 0.60, 0.30, 0.20, 0.10), 3),  # falling, but above the best
    ((0.80, 0.60, 0.55, 0.56, 0.54, 0.57, 0.53, 0.58, 0.59, 0.60, 0.61, 0.62, 0.20), 1),
)


def rule_reference(val_losses, patience, mistake=None):
    """(best, stop) after the epochs whose validation losses are ``val_losses``, by nnlib's rule (mistake=None) or by
    one of STOPPING_MISTAKES. nnlib's rule (``nnlib.train.early_stopping``): best is the epoch (from 0) of the lowest
    loss so far, the earlier of equal ones; stop is True once len(val_losses) - 1 - best >= patience."""
    best, rises = 0, 0
    for epoch, loss in enumerate(val_losses):
        rises = rises + 1 if epoch and loss > val_losses[epoch - 1] else 0
        to_beat = val_losses[epoch - 1] if mistake == "compared with the epoch before" else val_losses[best]
        if loss < to_beat or (mistake == "ties count as better" and loss <= to_beat):
            best = epoch
    last = len(val_losses) - 1
    waited = {"patience one too many": last - best - 1, "patience one too few": last - best + 1,
              "counts rises in a row": rises, "never stops": -1,
              "epoch 0 counted as waiting": last - best + (best == 0)}.get(mistake, last - best)
    return {"the last epoch as best": last, "epochs counted from 1": best + 1}.get(mistake, best), waited >= patience


def replay(rule, val_losses, patience):
    """(epochs trained, best epoch) when training asks ``rule`` after every epoch of a run whose validation losses
    would be ``val_losses``, as nnlib's loop does: it stops after the first epoch whose answer says stop."""
    for epoch in range(len(val_losses)):
        best, stop = rule(list(val_losses[:epoch + 1]), patience)
        if stop:
            return epoch + 1, best
    return len(val_losses), best


def early_stopping_reference(val_losses, patience, mistake=None):
    """(epochs trained, epoch whose parameters training ends with) under nnlib's early stopping (mistake=None), or
    under one of STOPPING_MISTAKES."""
    return replay(functools.partial(rule_reference, mistake=mistake), val_losses, patience)


STOPPING_MISTAKES = {
    "never stops": ("your rule never says stop: once `patience` epochs have passed since the best one "
                    "(len(val_losses) - 1 - best >= patience), stop is True."),
    "the last epoch as best": ("stop is right, but best should be the epoch of the lowest validation loss so far, "
                               "whose parameters training restores, not the epoch just trained (by the time training "
                               "stops, those have started to overfit)."),
    "epochs counted from 1": ("your best is one too high: epochs count from 0, so the loss of epoch best is "
                              "val_losses[best] (enumerate(val_losses) counts them for you)."),
    "ties count as better": ("a loss equal to the best is not an improvement: nnlib needs a strictly lower loss "
                             "(loss < val_losses[best]), so the earlier of two equal epochs stays the best."),
    "patience one too many": ("your rule says stop one epoch late: with patience 3 and the best at epoch 4, stop is "
                              "True after epoch 7 (val_losses then holds 8 losses), when 7 - 4 = 3 epochs have passed "
                              "without improving: len(val_losses) - 1 - best >= patience."),
    "patience one too few": ("your rule says stop one epoch early: the last epoch is len(val_losses) - 1, so "
                             "len(val_losses) - 1 - best epochs have passed since the best; stop once that is "
                             ">= patience."),
    "counts rises in a row": ("patience counts the epochs since the best one, not epochs in which the loss rose: a "
                              "loss that falls but stays above the best does not reset the count."),
    "epoch 0 counted as waiting": ("your rule counts epoch 0 itself as an epoch without improvement, so it stops one "
                                   "epoch early while the best is still epoch 0: count only the epochs after the "
                                   "best, len(val_losses) - 1 - best (a loss is not lower than itself)."),
    "compared with the epoch before": ("your best is the last epoch whose loss fell below the epoch before's; it "
                                       "should be the epoch of the lowest loss so far: compare each loss with "
                                       "val_losses[best], not val_losses[epoch - 1]."),
}


def _answer(early_stopping, val_losses, patience):
    """The learner's (best, stop) for these losses, as (int, bool); Feedback when it is not that."""
    answer = call(early_stopping, list(val_losses), patience)
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Feedback(f"return two things, best and stop (return best, stop); yours returned {answer!r}.")
    best, stop = answer
    flags = (bool, np.bool_)
    if isinstance(best, flags) and isinstance(stop, (int, np.integer)) and not isinstance(stop, flags):
        raise Feedback("you returned (stop, best): return best first, then stop.")
    if isinstance(best, flags) or not isinstance(best, (int, np.integer)):
        raise Feedback(f"best should be the number of an epoch (a whole number from 0: val_losses[best] is its "
                       f"loss), got {best!r}.")
    if not isinstance(stop, flags):
        raise Feedback(f"stop should be True or False, got {stop!r}.")
    return int(best), bool(stop)


def _answers(rule):
    """(best, stop) of ``rule`` after each epoch of each of STOPPING_CASES, as training asks it."""
    return [[_answer(rule, losses[:end], patience) for end in range(1, len(losses) + 1)]
            for losses, patience in STOPPING_CASES]


def _check_early_stopping(early_stopping):
    if not callable(early_stopping):
        return "early_stopping should be the function you defined: def early_stopping(val_losses, patience): ..."
    mine, right = _answers(early_stopping), _answers(rule_reference)
    if mine == right:
        return _check_a_real_run(early_stopping)
    for mistake, message in STOPPING_MISTAKES.items():
        if mine == _answers(functools.partial(rule_reference, mistake=mistake)):
            return message
    (losses, patience), end, yours, expected = next(
        (case, end, a, b) for case, row, expected_row in zip(STOPPING_CASES, mine, right)
        for end, (a, b) in enumerate(zip(row, expected_row), start=1) if a != b)
    return (f"with patience {patience}, after the validation losses {list(losses[:end])} nnlib's rule answers "
            f"best = {expected[0]}, stop = {expected[1]}; yours: best = {yours[0]}, stop = {yours[1]}.")


def stopping_run(patience=5, epochs=60):
    """The validation losses of a real run without early stopping, and the same run stopped early by nnlib:
    (val_losses, stopped model)."""
    X, y = make_moons(n_samples=120, noise=0.35, seed=13)
    data = dict(X=X[:80], y=y[:80], validation_data=(X[80:], y[80:]))
    settings = dict(hidden_layers=(16, 16), learning_rate=0.3, momentum=0.9, batch_size=16, epochs=epochs, seed=2)
    return MLP(**settings).fit(**data).history_.val_loss, MLP(**settings, patience=patience).fit(**data)


def _check_a_real_run(early_stopping):
    val_losses, stopped = stopping_run()
    epochs_trained, best = replay(functools.partial(_answer, early_stopping), val_losses, 5)
    if (epochs_trained, best) != (stopped.history_.epochs, stopped.history_.best_epoch):
        return (f"on a real training run (patience 5), nnlib stopped after {stopped.history_.epochs} epochs and kept "
                f"epoch {stopped.history_.best_epoch}'s parameters; asked after every epoch, yours stops after "
                f"{epochs_trained} epochs and keeps epoch {best}'s.")
    return None


q2 = PieceExercise(
    id="09b.2",
    title="early stopping's rule, from scratch",
    answers=("early_stopping",),
    placeholder='''
# Exercise 09b.2: early stopping's rule, from scratch
# Training asks this rule after every epoch. val_losses holds the validation losses so far: val_losses[e]
# after epoch e (counted from 0), the last one just measured. Return two things:
#   best: the epoch of the lowest validation loss so far, whose parameters training restores (of equal
#         losses the earlier: only a *lower* loss is an improvement);
#   stop: True once `patience` epochs have passed since the best one, else False.
def early_stopping(val_losses, patience):
    ...
''',
    solution="# Exercise 09b.2: early stopping's rule, from scratch\n" + SOLUTIONS["early_stopping"],
    checker=_check_early_stopping,
    hints=["Walk through val_losses with enumerate, keeping the best epoch so far (start with best = 0): only a loss "
           "lower than val_losses[best] makes a new best.",
           "The last epoch is len(val_losses) - 1, so len(val_losses) - 1 - best epochs have passed since the best: "
           "stop once that is >= patience. Return best, stop."],
    points=1,
    pieces={"early_stopping": "early_stopping"},
)
