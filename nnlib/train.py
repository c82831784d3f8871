"""The training loop: hyperparameters in, fitted parameters out.

``train_epochs(model, X, y, epochs)`` runs mini-batch gradient descent on a
model's network using the model's hyperparameters, records a ``History``, stops
early when the validation loss stops improving (if ``patience`` is set), and
stops with a ``DivergenceWarning`` as soon as the loss blows up.
"""
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .losses import weight_penalty
from .schedules import learning_rate_at

# A mini-batch loss this many times the first one means training has blown up.
EXPLOSION_FACTOR = 1e4


class DivergenceWarning(UserWarning):
    """Training stopped because the loss became NaN, infinite or exploded."""


@dataclass
class History:
    """What happened during training, one entry per epoch.

    ``loss`` and ``score`` are averages over the epoch's mini-batches (as Keras and
    scikit-learn report them), ``val_loss`` and ``val_score`` are measured on the
    validation data at the end of each epoch. Losses exclude the L1/L2 penalty so
    training and validation numbers are comparable. ``score`` is accuracy for
    classifiers and R^2 for regressors.
    """

    loss: list = field(default_factory=list)
    score: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_score: list = field(default_factory=list)
    learning_rate: list = field(default_factory=list)
    diverged: bool = False  # did the latest fit/partial_fit call stop on a blow-up?
    message: str = ""  # what went wrong, in words, when it did
    best_epoch: int = None
    initial_loss: float = None  # the first mini-batch loss of the latest call

    @property
    def epochs(self):
        """Number of epochs trained so far."""
        return len(self.loss)

    def __repr__(self):
        last = f", last loss {self.loss[-1]:.4g}" if self.loss else ""
        val = f", last val_loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        return f"History({self.epochs} epochs{last}{val}{', diverged' if self.diverged else ''})"


def train_epochs(model, X, y, epochs, validation_data=None, callback=None):
    """Train ``model.network_`` for up to ``epochs`` more epochs; return its history.

    X (n, n_features) and y are already validated and in the model's internal
    form (labels or targets). ``callback(model)`` runs after every epoch; if it
    returns False, training pauses there (used by live plots and the playground).
    """
    network, loss, history = model.network_, model.loss_, model.history_
    # Each call is judged on its own: training may go on after a blow-up with a smaller
    # rate, and "exploded" means grown far beyond this call's first loss.
    history.diverged, history.message, history.initial_loss = False, "", None
    params = list(network.parameters().values())
    n = len(X)
    batch_size = n if model.batch_size is None else min(model.batch_size, n)
    classifier = model._is_classifier
    total_variance = None if classifier else float(np.mean((y - y.mean(axis=0)) ** 2))

    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(epochs):
            epoch = history.epochs
            # A Python float: a numpy float64 scalar would turn float32 updates into float64 ones.
            rate = float(learning_rate_at(epoch, model.learning_rate, model.lr_schedule, model.epochs))
            last_good = [p.copy() for p in params]
            if model.shuffle and batch_size < n:
                # Index once per epoch; mini-batches below are then cheap slices.
                order = model.rng_.permutation(n)
                X_epoch, y_epoch = X[order], y[order]
            else:
                X_epoch, y_epoch = X, y
            loss_sum = correct = 0.0
            for step, start in enumerate(range(0, n, batch_size), start=1):
                X_batch, y_batch = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]
                scores = network.forward(X_batch)
                batch_loss, dscores = loss.value_and_gradient(scores, y_batch)
                if _blew_up(batch_loss, history):
                    _stop_diverged(model, params, last_good, epoch, step, batch_loss, rate)
                    return history
                loss_sum += batch_loss * len(X_batch)
                if classifier:
                    correct += model._count_correct(scores, y_batch)
                network.backward(dscores)
                grads = list(network.gradients().values())
                if model.l1 or model.l2:
                    _add_penalty_gradients(network, float(model.l1), float(model.l2))
                model.optimizer_.step(params, grads, rate)

            mean_loss = loss_sum / n
            history.loss.append(mean_loss)
            history.score.append(correct / n if classifier else 1 - mean_loss / total_variance)
            history.learning_rate.append(rate)
            if validation_data is not None:
                X_val, y_val = validation_data
                val_scores = network.forward(X_val)
                history.val_loss.append(loss.value(val_scores, y_val))
                history.val_score.append(model._score_from_outputs(val_scores, y_val))
                if _should_stop_early(model, history, params):
                    break
            if callback is not None and callback(model) is False:
                break
    return history


def _blew_up(batch_loss, history):
    if history.initial_loss is None:
        history.initial_loss = batch_loss
    return not math.isfinite(batch_loss) or batch_loss > EXPLOSION_FACTOR * max(history.initial_loss, 1e-12)


def _stop_diverged(model, params, last_good, epoch, step, batch_loss, rate):
    for p, good in zip(params, last_good):
        p[...] = good
    history = model.history_
    what = ("became NaN" if np.isnan(batch_loss) else "became infinite" if np.isinf(batch_loss)
            else f"exploded from {history.initial_loss:.3g} to {batch_loss:.3g}")
    history.diverged = True
    history.message = (
        f"Training diverged in epoch {epoch + 1}, mini-batch {step}: the loss {what}. "
        f"The learning rate ({rate:g}) is probably too large for this problem: try a smaller one, "
        f"e.g. learning_rate={rate / 10:g}, or standardise the features so they are on similar scales. "
        f"The parameters were reset to their values at the start of epoch {epoch + 1}."
    )
    warnings.warn(history.message, DivergenceWarning, stacklevel=5)


def _add_penalty_gradients(network, l1, l2):
    # d/dW of l1 * sum|W| + (l2 / 2) * sum W**2; biases are not penalised.
    for layer in network.dense.values():
        w, grad = layer.params["weights"], layer.grads["weights"]
        if l1:
            grad += l1 * np.sign(w)
        if l2:
            grad += l2 * w


def _should_stop_early(model, history, params):
    """Track the best validation loss; True once ``patience`` epochs passed without improving."""
    epoch = history.epochs - 1
    best = history.best_epoch
    if best is None or history.val_loss[epoch] < history.val_loss[best]:
        history.best_epoch = epoch
        model._best_parameters = [p.copy() for p in params]
        return False
    if model.patience is not None and epoch - best >= model.patience:
        if model.restore_best:
            for p, good in zip(params, model._best_parameters):
                p[...] = good
        return True
    return False


def total_loss(model, X, y):
    """Data loss plus the L1/L2 penalty: the number gradient descent actually minimises."""
    scores = model.network_.forward(X)
    return model.loss_.value(scores, y) + weight_penalty(model.network_.weights(), model.l1, model.l2)
