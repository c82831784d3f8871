"""Watch training live: loss and score curves plus a progress bar, for ``fit(..., callback=monitor)``.

``fit`` calls its callback after every epoch with the model; ``TrainingMonitor``
is such a callback. It reads ``model.history_`` (what training recorded so far),
moves the progress bar and the status line every epoch, and redraws the two
curves every ``every`` epochs -- a redraw costs a PNG render, an epoch of a small
network much less. Nothing here changes training: the monitor only looks.
"""
import time

import ipywidgets as widgets
import numpy as np

from ..input_checks import check_count
from ..plots import CURVE_STYLE
from .base import NotebookWidget, describe, description_line
from .live_figure import LiveFigure


class TrainingMonitor(NotebookWidget):
    """Live curves of training (and validation) loss and score, a progress bar and a status line.

    every: redraw the curves every ``every`` epochs and at the last one (the bar and
      the status line follow every epoch).
    epochs: what the progress bar counts to; None takes the model's ``epochs``
      hyperparameter when training starts.
    title: shown above the curves.

    Use ``fit(X, y, validation_data=(X_val, y_val), callback=monitor)``; a new fit
    (a new ``history_``) clears the curves. After a fit that stopped early
    (``patience``) or diverged, fit calls ``on_train_end``, which draws the last
    epochs (and, for a divergence, nnlib's message in the status line); after a
    ``partial_fit`` call, ``monitor.update(model)`` draws them.

    State for tests: ``progress`` (IntProgress), ``status`` (the curves in words, a ``description_line``), ``live``
    (LiveFigure: axes[0] loss, axes[1] score), ``lines`` {"loss", "val_loss",
    "score", "val_score"} (Line2D), ``epochs_seen``, ``seconds``.
    """

    def __init__(self, every=5, epochs=None, title="Training"):
        self.every = check_count("every", every, hint="It is how many epochs pass between two redraws.")
        self.epochs = None if epochs is None else check_count("epochs", epochs)
        if not isinstance(title, str):
            raise TypeError(f"title must be a string (text shown above the curves), got {title!r}.")
        self.title = title
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="epoch",
                                            tooltip="epochs trained so far", layout=widgets.Layout(width="420px"))
        self.status = description_line()
        describe(self.status, "Waiting for training to start: the curves are empty.")
        self.live = LiveFigure(ncols=2, figsize=(9.5, 3.4))
        # Fixed margins: a constrained layout would double the cost of every redraw.
        self.live.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.8, wspace=0.3)
        self.live.figure.suptitle(title)
        ax_loss, ax_score = self.live.axes
        training, validation = CURVE_STYLE["training"], CURVE_STYLE["validation"]
        self.lines = {
            "loss": ax_loss.plot([], [], linewidth=2, label="training", **training)[0],
            "val_loss": ax_loss.plot([], [], linewidth=2, label="validation", **validation)[0],
            "score": ax_score.plot([], [], linewidth=2, label="training", **training)[0],
            "val_score": ax_score.plot([], [], linewidth=2, label="validation", **validation)[0],
        }
        ax_loss.set(title="Loss (lower is better)", xlabel="epoch")
        ax_score.set(title="Score (higher is better)", xlabel="epoch")
        for ax in self.live.axes:
            ax.grid(True, color="#dddddd", linewidth=0.6)
        self._history, self._drawn, self.epochs_seen, self.seconds = None, None, 0, 0.0
        self.widget = widgets.VBox([widgets.HBox([self.progress, self.status]), self.live.output])

    # --- the callback ------------------------------------------------------------------
    def __call__(self, model):
        """Called by fit after each epoch; returns None, so training always continues."""
        history = model.history_
        if history is not self._history:
            self._start(model)
        self.epochs_seen = history.epochs
        self.seconds = time.perf_counter() - self._started
        self.progress.max = max(self.progress.max, self.epochs_seen)
        self.progress.value = self.epochs_seen
        describe(self.status, self._status_text(model))
        if self.epochs_seen % self.every == 0 or self.epochs_seen >= self.progress.max or history.diverged:
            self.update(model)

    def _start(self, model):
        self._history, self._started = model.history_, time.perf_counter()
        self.progress.bar_style, self.progress.value = "", 0
        self.progress.max = self.epochs or model.epochs
        classifier = hasattr(model, "predict_proba")  # as scikit-learn asks: a regressor has no predict_proba
        self.score_name = "accuracy" if classifier else "R²"
        ax_loss, ax_score = self.live.axes
        ax_loss.set_ylabel("loss (cross-entropy)" if classifier else "loss (mean squared error)")
        ax_score.set_ylabel("accuracy (fraction correct)" if classifier else "R² (fraction of variance explained)")
        ax_score.set_title(f"{'Accuracy' if classifier else 'R²'} (higher is better)")
        for line in self.lines.values():
            line.set_data([], [])

    def update(self, model):
        """Redraw the curves from ``model.history_`` now (the callback does this every ``every`` epochs); if the
        fit diverged, also turn the bar red and show where and why it stopped."""
        history = model.history_
        if history is not self._history:
            self._start(model)
        epochs = np.arange(1, history.epochs + 1)
        for name, line in self.lines.items():
            values = np.asarray(getattr(history, name), dtype=float)
            line.set_data(epochs[:len(values)], values)
        for ax, names in zip(self.live.axes, (("loss", "val_loss"), ("score", "val_score"))):
            values = np.concatenate([np.asarray(getattr(history, n), dtype=float) for n in names])
            values = values[np.isfinite(values)]
            ax.set_xlim(0, max(self.progress.max, 1))
            if values.size:
                low, high = values.min(), values.max()
                pad = 0.05 * (high - low) if high > low else 0.05 * max(abs(high), 1.0)
                ax.set_ylim(low - pad, high + pad)
            if history.val_loss and ax.get_legend() is None:
                ax.legend(loc="best", fontsize="small")
        if history.diverged:
            self.progress.bar_style = "danger"
            describe(self.status, self._status_text(model))
        elif history.epochs >= self.progress.max:
            self.progress.bar_style = "success"
        self.live.redraw()
        self._drawn = (history.epochs, history.diverged)

    def on_train_end(self, model):
        """Called by fit once training stops: after a blow-up or with early stopping (``patience``), draws what the
        last redraw did not show yet (a loop of short ``partial_fit`` calls keeps redrawing every ``every`` epochs)."""
        history = model.history_
        stopped_early = history.diverged or getattr(model, "patience", None) is not None
        if stopped_early and (history is not self._history or self._drawn != (history.epochs, history.diverged)):
            self.update(model)

    def _status_text(self, model):
        """The curves in words: the epoch, the latest losses and score, the lowest loss so far and where."""
        history = model.history_
        if history.diverged:  # the message says in which epoch and why, and what to try
            return f"stopped: {history.message}"
        text = f"epoch {history.epochs} of {self.progress.max}: training loss {history.loss[-1]:.4f}"
        losses = history.val_loss or history.loss
        best = int(np.nanargmin(losses)) if np.isfinite(losses).any() else len(losses) - 1
        lowest = f"lowest {losses[best]:.4f} at epoch {best + 1}"
        if history.val_loss:
            text += (f", validation loss {history.val_loss[-1]:.4f} ({lowest}), validation "
                     f"{self.score_name} {self._format_score(history.val_score[-1])}")
        else:
            text += f" ({lowest}), training {self.score_name} {self._format_score(history.score[-1])}"
        return text + f"; {self.seconds:.1f} s"

    def _format_score(self, value):
        return f"{100 * value:.1f} %" if self.score_name == "accuracy" else f"{value:.3f}"
