"""Divergence: when the loss blows up, stop training and put back parameters that were no worse.

A too-large learning rate makes gradient descent overshoot further at every step, until the loss is infinite or NaN.
``Divergence`` watches one training call: the loop asks ``check(loss)`` after each mini-batch, and on a blow-up
``stop`` puts the parameters back and says why, in words.
"""
import warnings

import numpy as np

# A mini-batch loss this many times the call's first one means training has blown up.
EXPLOSION_FACTOR = 1e4


class DivergenceWarning(UserWarning):
    """Training stopped because the loss became NaN, infinite or exploded."""


def blown_up(loss, first, scale=0.0, factor=EXPLOSION_FACTOR):
    """The blow-up rule: True where ``loss`` (a number or an array of them) is NaN, infinite, or over ``factor`` times
    the larger of ``first`` (the call's first mini-batch loss) and ``scale`` (see ``Divergence``)."""
    within = loss <= factor * max(first, scale, 1e-12)  # False for NaN and infinity too
    return ~within if isinstance(within, np.ndarray) else not within


class Divergence:
    """The blow-up rule of one training call, and the parameters to go back to.

    A loss blows up when it is not finite or over EXPLOSION_FACTOR times the call's first mini-batch loss or, going
    on from earlier training, the first epoch's mean loss if larger (``scale``; near a minimum one mini-batch can fit
    almost exactly, and an ordinary loss is then 10,000 times it). The parameters go back to their values at the
    start of the call or, in full-batch training (each epoch's one step measures its starting loss), at the start of
    the last epoch whose loss was no higher than the first.
    """

    def __init__(self, params, epoch, scale, full_batch, l2):
        self.params, self.full_batch, self.l2, self.scale = params, full_batch, l2, scale
        self.started, self.first = epoch, None
        self.safe = ([p.copy() for p in params], epoch, None)  # (arrays, their epoch, their loss)

    def check(self, loss, epoch):
        """True if ``loss``, the mini-batch loss at the parameters of epoch ``epoch`` (from 0), has blown up."""
        self.first = loss if self.first is None else self.first
        if blown_up(loss, self.first, self.scale):
            return True
        if self.full_batch and loss <= self.first:
            self.safe = ([p.copy() for p in self.params], epoch, loss)
        return False

    def stop(self, history, loss, epoch, step, learning_rate):
        """Put the safe parameters back, record why training stopped in ``history``, and warn."""
        arrays, safe_epoch, safe_loss = self.safe
        for p, good in zip(self.params, arrays):
            p[...] = good
        what = ("became NaN" if np.isnan(loss) else "became infinite" if np.isinf(loss)
                else f"exploded from {self.first:.3g} to {loss:.3g}" if self.first >= self.scale
                else f"exploded to {loss:.3g}, over {EXPLOSION_FACTOR:,.0f} times its first epoch's mean "
                     f"({self.scale:.3g})")
        if self.l2 * learning_rate >= 1:  # then the decay step w -= rate * l2 * w alone overshoots past 0
            cause = (f"The L2 penalty is probably the cause: l2 * learning_rate = {self.l2 * learning_rate:g} >= 1, "
                     f"so each step's weight decay overshoots past zero. Try a smaller l2, e.g. "
                     f"l2={0.1 / learning_rate:g}.")
        else:
            cause = (f"The learning rate ({learning_rate:g}) is probably too large for this problem: try a smaller "
                     f"one, e.g. learning_rate={learning_rate / 10:g}, or standardise the features so they are on "
                     "similar scales.")
        if safe_epoch == self.started:
            kept = f"their values when this call started (the start of epoch {self.started + 1})"
        else:
            kept = (f"their values at the start of epoch {safe_epoch + 1}, the last one whose loss ({safe_loss:.3g}) "
                    f"was no higher than at the start of this call ({self.first:.3g})")
        history.diverged = True
        history.message = (f"Training diverged in epoch {epoch + 1}, mini-batch {step}: the loss {what}. {cause} "
                           f"The parameters were reset to {kept}.")
        warnings.warn(history.message, DivergenceWarning, stacklevel=5)
        return history
