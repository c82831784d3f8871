"""The training loop: mini-batch gradient descent on a network's parameters, as ``Model.fit`` runs it.

Each mini-batch goes forward (in training mode), through the loss, backward, gets the penalty's gradient added, the
weights decay if asked, and the optimiser steps;
what happened goes into a ``History``. Training stops early when the validation loss stops improving
(``early_stopping``), and with a ``DivergenceWarning`` when the loss blows up (``nnlib.divergence``).
"""
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from .divergence import Divergence
from .schedules import constant


@dataclass
class Plan:
    """How to train: the training hyperparameters ``train_epochs`` reads. epochs: how many this call trains;
    batch_size: samples per step (None: all); learning_rate, changed from epoch to epoch by ``lr_schedule`` (a
    function of ``nnlib.schedules``) over a run of ``schedule_epochs`` (None: this call's); rng and shuffle: each
    epoch's order (``epoch_order``); patience: epochs without a lower validation loss before stopping (None: never),
    after which the best parameters come back if ``restore_best``."""

    epochs: int
    batch_size: Optional[int]
    learning_rate: float
    rng: np.random.Generator
    shuffle: bool = True
    patience: Optional[int] = None
    restore_best: bool = True
    lr_schedule: Callable[[int, float, int], float] = constant
    schedule_epochs: Optional[int] = None

    def rate(self, epoch):
        """The rate of ``epoch`` (from 0), a Python float: a numpy one would turn float32 updates into float64."""
        return float(self.lr_schedule(epoch, self.learning_rate, self.schedule_epochs or self.epochs))


def epoch_order(rng, n_samples, batch_size, shuffle):
    """The order in which one epoch visits the training samples, indices (n_samples,): a permutation drawn from
    ``rng`` when ``shuffle`` is on and there is more than one mini-batch (batch_size < n_samples; None: all), else
    0, 1, ..., n_samples - 1. The mini-batches are then consecutive slices of it: order[0:batch_size], ..."""
    batch_size = n_samples if batch_size is None else min(batch_size, n_samples)
    return rng.permutation(n_samples) if shuffle and batch_size < n_samples else np.arange(n_samples)


def train_epochs(network, loss, optimizer, penalty, data, plan, history, callback=None):
    """Train ``network`` for ``plan.epochs`` more epochs on data = (X, y, validation_data); returns ``history``.

    X (n, n_features) and y in ``loss``'s form (``loss.targets``); validation_data (X_val, y_val) or None.
    callback() runs after every epoch; an answer that is false but not None (False, 0) stops training there.
    """
    X, y, validation_data = data
    n, params = len(X), list(network.parameters().values())
    state = params + list(network.statistics().values())  # what the best epoch keeps: parameters and statistics
    batch_size = n if plan.batch_size is None else min(plan.batch_size, n)
    history.diverged, history.message = False, ""  # each call is judged on its own
    divergence = Divergence(params, history.epochs, history.loss[0] if history.loss else 0.0, batch_size == n,
                            penalty.l2)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(plan.epochs):
            epoch = history.epochs
            rate = plan.rate(epoch)
            order = epoch_order(plan.rng, n, batch_size, plan.shuffle)
            X_epoch, y_epoch = X[order], y[order]  # shuffled once; the mini-batches are then cheap slices
            losses, outputs = [], []
            for start in range(0, n, batch_size):
                X_batch, y_batch = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]
                scores = network.forward(X_batch, training=True)
                batch_loss, dscores = loss.value_and_gradient(scores, y_batch)
                if divergence.check(batch_loss, epoch):
                    return divergence.stop(history, batch_loss, epoch, len(losses) + 1, rate)
                network.backward(dscores)
                penalty.add_gradient(network)
                penalty.decay(network, rate)
                optimizer.step(params, list(network.gradients().values()), rate)
                losses.append(batch_loss * len(X_batch))
                outputs.append(scores)
            history.loss.append(sum(losses) / n)
            history.score.append(loss.score(np.concatenate(outputs), y_epoch))
            history.learning_rate.append(rate)
            if validation_data is not None and _validate(network, loss, state, history, validation_data, plan):
                break
            if callback is not None and (answer := callback()) is not None and not answer:
                break
    return history


def early_stopping(val_losses, patience):
    """Early stopping's rule, asked after every epoch: (best, stop). best: the epoch (from 0) of the lowest validation
    loss so far, the earlier of equal ones; stop: True once ``patience`` epochs have passed since it (None: never)."""
    best = int(np.argmin(np.nan_to_num(val_losses, nan=np.inf)))  # a NaN loss is never the best
    return best, patience is not None and len(val_losses) - 1 - best >= patience


def _validate(network, loss, params, history, validation_data, plan):
    """Record the validation loss and score, keep the best epoch's parameters, and ask ``early_stopping``; when it
    stops training, the best parameters come back if ``plan.restore_best``. Returns stop."""
    scores = network.forward(validation_data[0])
    history.val_loss.append(loss.value(scores, validation_data[1]))
    history.val_score.append(loss.score(scores, validation_data[1]))
    history.best_epoch, stop = early_stopping(history.val_loss, plan.patience)
    if history.best_epoch == history.epochs - 1:
        history.best_parameters = [p.copy() for p in params]
    if stop and plan.restore_best:
        for p, best in zip(params, history.best_parameters):
            p[...] = best
    return stop
