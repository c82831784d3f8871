"""Plots for mini-batch gradient descent: noisy gradients, cost per epoch, batch colours.

Mini-batch gradient descent estimates the gradient from a few samples at a
time. These plots show how noisy that estimate is and what an epoch costs for
each batch size.
"""
import numpy as np

from . import PALETTE

# One colour per batch size the notebooks compare (full batch = the data set size).
BATCH_COLORS = [PALETTE["vermillion"], PALETTE["orange"], PALETTE["green"], PALETTE["blue"],
                PALETTE["purple"], PALETTE["sky"], PALETTE["black"]]


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
    cloud = ax.scatter(gradients[:, 0], gradients[:, 1], s=8, alpha=0.45, color=color, label=label)
    ax.plot(*full_gradient, marker="*", markersize=14, color=PALETTE["black"], linestyle="none")
    ax.set_xlabel("∂L/∂slope (g)")
    ax.set_ylabel("∂L/∂intercept (g)")
    return cloud


def plot_cost_per_epoch(ax, batch_sizes, seconds_per_epoch, n_samples, colors=PALETTE["blue"]):
    """Bars of the measured time per epoch (ms, log scale) for each batch size; returns the bars.

    batch_sizes (k,) with None for the full batch; seconds_per_epoch (k,); colors: one colour or k colours.
    """
    labels = [batch_label(b, n_samples) for b in batch_sizes]
    bars = ax.barh(labels, 1000 * np.asarray(seconds_per_epoch, dtype=float), color=colors)
    ax.set_xscale("log")
    ax.invert_yaxis()
    ax.set_xlabel("measured time per epoch (ms, log scale)")
    ax.set_title("Cost of one epoch")
    return bars
