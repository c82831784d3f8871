"""The training loop: mini-batch gradient descent on a network's parameters.

``train_epochs`` takes the parts it works with (network, loss, optimiser, weight penalty, data,
training hyperparameters; ``Model.fit`` hands them over) and records a ``History``. It stops early
when the validation loss stops improving, and with a ``DivergenceWarning`` when the loss blows up, putting
back parameters whose loss was no worse than at the start of the call.
"""
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

# A mini-batch loss this many times the first one means training has blown up.
EXPLOSION_FACTOR = 1e4


class DivergenceWarning(UserWarning):
    """Training stopped because the loss became NaN, infinite or exploded."""


@dataclass
class History:
    """What happened during training, one entry per epoch.

    ``loss`` and ``score`` (accuracy or R²) are over the epoch's mini-batches, each predicted with the
    parameters of its step (as Keras reports them); ``val_loss`` and ``val_score`` are measured after
    each epoch. Losses exclude the L1/L2 penalty. ``best_*`` remember the lowest validation loss.
    """

    loss: list = field(default_factory=list)
    score: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_score: list = field(default_factory=list)
    learning_rate: list = field(default_factory=list)
    diverged: bool = False  # did the latest call stop on a blow-up?
    message: str = ""  # what went wrong, in words, when it did
    best_epoch: int = None
    best_parameters: list = None

    @property
    def epochs(self):
        """Number of epochs trained so far."""
        return len(self.loss)

    def __repr__(self):
        last = f", last loss {self.loss[-1]:.4g}" if self.loss else ""
        val = f", last val_loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        return f"History({self.epochs} epochs{last}{val}{', diverged' if self.diverged else ''})"


def epoch_order(rng, n_samples, batch_size, shuffle):
    """The order in which one epoch visits the training samples: indices (n_samples,).

    A fresh permutation drawn from ``rng`` when ``shuffle`` is on and there is more than one mini-batch
    (batch_size < n_samples; None means all), else 0, 1, ..., n_samples - 1 without touching ``rng``.
    ``train_epochs`` calls it once per epoch, so it is the one place that decides the order;
    ``Model.epoch_orders`` uses it to tell you the orders before training.
    The epoch's mini-batches are then consecutive slices of this order: order[0:batch_size], ...
    """
    batch_size = n_samples if batch_size is None else min(batch_size, n_samples)
    if shuffle and batch_size < n_samples:
        return rng.permutation(n_samples)
    return np.arange(n_samples)


def train_epochs(network, loss, optimizer, penalty, X, y, *, epochs, batch_size, schedule, shuffle, rng, history,
                 validation_data=None, patience=None, restore_best=True, callback=None):
    """Train ``network`` for up to ``epochs`` more epochs, appending to ``history``; returns it.

    X (n, n_features), y in ``loss``'s form (``loss.targets``), as validation_data=(X_val, y_val).
    batch_size: samples per step (None: all); schedule(epoch) -> learning rate; rng shuffles each epoch
    (``epoch_order``).
    patience: epochs without a lower validation loss before stopping (None: never), then the best
    parameters come back if ``restore_best``. callback() runs after every epoch; returning a false value other
    than None (False, 0, np.False_) stops training there, None or a true value goes on.
    """
    history.diverged, history.message, first_loss = False, "", None  # each call is judged on its own,
    # against its first mini-batch's loss or, going on from earlier training, the first epoch's mean loss if that is
    # larger: near a minimum one mini-batch can fit almost exactly, and an ordinary loss is then 10,000 times it.
    scale = history.loss[0] if history.loss else 0.0
    params, n = list(network.parameters().values()), len(X)
    batch_size = n if batch_size is None else min(batch_size, n)
    # If training blows up, go back to parameters known to be no worse than at the start of this call: the start
    # itself, or (full batch: each epoch's one step measures its starting loss) the last epoch that was no worse.
    started = history.epochs
    safe = ([p.copy() for p in params], started, None)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(epochs):
            epoch = history.epochs
            rate = float(schedule(epoch))  # a numpy float64 would turn float32 updates into float64 ones
            order = epoch_order(rng, n, batch_size, shuffle)
            X_epoch, y_epoch = X[order], y[order]  # shuffled once; the mini-batches are then cheap slices
            loss_sum, outputs = 0.0, []
            for step, start in enumerate(range(0, n, batch_size), start=1):
                X_batch, y_batch = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]
                scores = network.forward(X_batch)
                batch_loss, dscores = loss.value_and_gradient(scores, y_batch)
                first_loss = batch_loss if first_loss is None else first_loss
                if not math.isfinite(batch_loss) or batch_loss > EXPLOSION_FACTOR * max(first_loss, scale, 1e-12):
                    _stop_diverged(params, safe, started, history, epoch, step, (first_loss, scale), batch_loss,
                                   rate, penalty.l2)
                    return history
                if batch_size == n and batch_loss <= first_loss:
                    safe = ([p.copy() for p in params], epoch, batch_loss)
                loss_sum += batch_loss * len(X_batch)
                outputs.append(scores)
                network.backward(dscores)
                if penalty:
                    for grad, extra in zip(network.weight_gradients(), penalty.gradient(network.weights())):
                        grad += extra
                optimizer.step(params, list(network.gradients().values()), rate)
            history.loss.append(loss_sum / n)
            history.score.append(loss.score(np.concatenate(outputs), y_epoch))
            history.learning_rate.append(rate)
            if validation_data is not None and _validate(network, loss, params, history, validation_data,
                                                         patience, restore_best):
                break
            if callback is not None and (answer := callback()) is not None and not answer:
                break
    return history


def _stop_diverged(params, safe, started, history, epoch, step, references, batch_loss, rate, l2):
    """Put back the ``safe`` parameters (safe = (arrays, their epoch, their loss or None)) and say why training
    stopped; ``started`` is the epoch this call began with; references = (this call's first mini-batch loss,
    the first epoch's mean loss or 0), what the loss was judged against."""
    first_loss, scale = references
    arrays, safe_epoch, safe_loss = safe
    for p, good in zip(params, arrays):
        p[...] = good
    what = ("became NaN" if np.isnan(batch_loss) else "became infinite" if np.isinf(batch_loss)
            else f"exploded from {first_loss:.3g} to {batch_loss:.3g}" if first_loss >= scale
            else f"exploded to {batch_loss:.3g}, over {EXPLOSION_FACTOR:,.0f} times its first epoch's mean "
                 f"({scale:.3g})")
    if l2 * rate >= 1:  # then the decay step w -= rate * l2 * w alone overshoots past 0
        cause = (f"The L2 penalty is probably the cause: l2 * learning_rate = {l2 * rate:g} >= 1, so each step's "
                 f"weight decay overshoots past zero. Try a smaller l2, e.g. l2={0.1 / rate:g}.")
    else:
        cause = (f"The learning rate ({rate:g}) is probably too large for this problem: try a smaller one, e.g. "
                 f"learning_rate={rate / 10:g}, or standardise the features so they are on similar scales.")
    if safe_epoch == started:
        kept = f"their values when this call started (the start of epoch {started + 1})"
    else:
        kept = (f"their values at the start of epoch {safe_epoch + 1}, the last one whose loss ({safe_loss:.3g}) was "
                f"no higher than at the start of this call ({first_loss:.3g})")
    history.diverged = True
    history.message = (f"Training diverged in epoch {epoch + 1}, mini-batch {step}: the loss {what}. {cause} "
                       f"The parameters were reset to {kept}.")
    warnings.warn(history.message, DivergenceWarning, stacklevel=5)


def _validate(network, loss, params, history, validation_data, patience, restore_best):
    """Record the validation loss and score; True once ``patience`` epochs passed without improving."""
    X_val, y_val = validation_data
    scores = network.forward(X_val)
    history.val_loss.append(loss.value(scores, y_val))
    history.val_score.append(loss.score(scores, y_val))
    epoch, best = history.epochs - 1, history.best_epoch
    if best is None or history.val_loss[epoch] < history.val_loss[best]:
        history.best_epoch, history.best_parameters = epoch, [p.copy() for p in params]
        return False
    if patience is None or epoch - best < patience:
        return False
    if restore_best:
        for p, good in zip(params, history.best_parameters):
            p[...] = good
    return True
