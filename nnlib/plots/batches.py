"""Plots for mini-batch gradient descent: noisy gradients, loss per epoch or iteration, cost per epoch, colours.

Mini-batch gradient descent estimates the gradient from a few samples at a
time. These plots show how noisy that estimate is and what an epoch costs for
each batch size.
"""
import numpy as np
from matplotlib.colors import to_rgba

from . import BROWN, PALETTE, PERIWINKLE
from .axes import series_marks

# One colour per batch size the notebooks compare (full batch = the data set size), each with at least 3:1 contrast
# on white (brown and periwinkle for Okabe-Ito's paler orange and sky blue). The seventh is dark grey, not black: the
# least-squares minimum is drawn in black beside these curves.
BATCH_COLORS = [PALETTE["vermillion"], BROWN, PALETTE["green"], PALETTE["blue"], PALETTE["purple"], PERIWINKLE,
                "#666666"]
CLOUD_FACE_ALPHA = 0.45  # overlapping estimates add up to darker patches; each point keeps an opaque edge


def batch_label(batch_size, n_samples):
    """'batch size 8', or 'full batch (342)' when one batch holds every sample."""
    return f"full batch ({n_samples})" if batch_size is None or batch_size >= n_samples else f"batch size {batch_size}"


def iterations_per_epoch(n_samples, batch_size):
    """Steps in one epoch: ceil(n_samples / batch_size); the last batch may be smaller. None = full batch."""
    if batch_size is None or batch_size >= n_samples:
        return 1
    return -(-n_samples // batch_size)


def plot_gradient_cloud(ax, gradients, full_gradient, color, label):
    """Scatter mini-batch gradient estimates (k, 2) around the full-batch gradient (2,); return the scatter."""
    gradients = np.asarray(gradients, dtype=float)
    cloud = ax.scatter(gradients[:, 0], gradients[:, 1], s=8, facecolors=to_rgba(color, CLOUD_FACE_ALPHA),
                       edgecolors=color, linewidths=0.5, label=label)
    ax.plot(*full_gradient, marker="*", markersize=14, color=PALETTE["black"], linestyle="none")
    ax.set_xlabel("∂L/∂slope (g)")
    ax.set_ylabel("∂L/∂intercept (g)")
    return cloud


def plot_gradient_clouds(estimates, full_gradient):
    """One panel per batch size: its mini-batch gradient estimates ({batch size: (k, 2)}) around the full gradient
    (2,), titled with their spread (standard deviation) along the intercept's derivative; return the Figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(estimates), figsize=(4 * len(estimates), 4), sharex=True, sharey=True,
                             layout="constrained", squeeze=False)
    for ax, (batch_size, gradients), color in zip(axes[0], estimates.items(), BATCH_COLORS):
        plot_gradient_cloud(ax, gradients, full_gradient, color, label=f"{len(gradients)} batches of {batch_size}")
        ax.set_title(f"batch size {batch_size}: spread {np.std(gradients, axis=0)[1]:,.0f} g")
        ax.legend(loc="upper left", fontsize=8)
    fig.suptitle("Mini-batch gradients scatter around the full gradient (star)")
    return fig


def plot_loss_against(ax, losses, n_samples, minimum, clock="epoch"):
    """Each run's training loss after every step, {batch size (None = full batch): (steps + 1,)}, against epochs or
    (clock="iteration") iterations on a log scale, with the least-squares ``minimum`` dashed. Each run has its own
    colour and marker shape (``series_marks``)."""
    if clock not in ("epoch", "iteration"):
        raise ValueError(f"clock must be 'epoch' or 'iteration', got {clock!r}.")
    for index, ((batch_size, loss), color) in enumerate(zip(losses.items(), BATCH_COLORS)):
        steps = np.arange(len(loss)) / (iterations_per_epoch(n_samples, batch_size) if clock == "epoch" else 1)
        ax.plot(steps, loss, color=color, linewidth=1, label=batch_label(batch_size, n_samples),
                **series_marks(index, steps, log_x=clock == "iteration"))
    ax.axhline(minimum, color=PALETTE["black"], linestyle="--", linewidth=1, label="least-squares minimum")
    ax.set(yscale="log", xscale="linear" if clock == "epoch" else "log", title=f"Against {clock}s",
           xlabel=clock if clock == "epoch" else "iteration (log scale)",
           ylabel="training loss, all samples (g², log scale)")
    ax.legend(fontsize=8)


def plot_cost_per_epoch(ax, batch_sizes, seconds_per_epoch, n_samples, colors=PALETTE["blue"], label_steps=False):
    """Bars of the measured time per epoch (ms, log scale) for each batch size; returns the bars.

    batch_sizes (k,) with None for the full batch; seconds_per_epoch (k,); colors: one colour or k colours;
    label_steps: write each bar's steps per epoch beside it.
    """
    labels = [batch_label(b, n_samples) for b in batch_sizes]
    bars = ax.barh(labels, 1000 * np.asarray(seconds_per_epoch, dtype=float), color=colors)
    for bar, batch_size in zip(bars if label_steps else (), batch_sizes):
        ax.text(bar.get_width() * 1.1, bar.get_y() + bar.get_height() / 2,
                f"{iterations_per_epoch(n_samples, batch_size)} step(s)", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.invert_yaxis()
    ax.set_xlabel("measured time per epoch (ms, log scale)")
    ax.set_title("Cost of one epoch")
    return bars
