"""The record of training: what happened in each epoch, and the best epoch so far."""
from dataclasses import dataclass, field


@dataclass
class History:
    """What happened during training, one entry per epoch. ``loss`` and ``score`` (accuracy or R²) are over the
    epoch's mini-batches, each predicted with the parameters of its step (as Keras reports them); ``val_loss`` and
    ``val_score`` are measured after each epoch. Losses exclude the L1/L2 penalty."""

    loss: list = field(default_factory=list)
    score: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_score: list = field(default_factory=list)
    learning_rate: list = field(default_factory=list)
    diverged: bool = False  # did the latest call stop on a blow-up?
    message: str = ""  # what went wrong, in words, when it did
    best_epoch: int = None  # the epoch of the lowest validation loss, and its parameters
    best_parameters: list = None

    @property
    def epochs(self):
        """Number of epochs trained so far."""
        return len(self.loss)

    def __repr__(self):
        last = f", last loss {self.loss[-1]:.4g}" if self.loss else ""
        val = f", last val_loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        return f"History({self.epochs} epochs{last}{val}{', diverged' if self.diverged else ''})"
