"""Plots for choosing hyperparameters on validation data: the split, fitted curves, validation curves.

Colours follow the course convention: training data blue, validation data
orange, test data green (``TRAIN_COLOR``, ``VALIDATION_COLOR``, ``TEST_COLOR``).
"""
import numpy as np

from . import PALETTE, TEST_COLOR, TRAIN_COLOR, VALIDATION_COLOR
from .axes import plain_log_ticks


def plot_split(ax, X_train, y_train, X_val=None, y_val=None, X_test=None, y_test=None,
               xlabel="x (toy data, no unit)", ylabel="y (toy data, no unit)"):
    """Scatter the training, validation and test points (each X (k, 1), y (k,)) in their colours."""
    for X, y, color, name, marker in [(X_train, y_train, TRAIN_COLOR, "training", "o"),
                                      (X_val, y_val, VALIDATION_COLOR, "validation", "s"),
                                      (X_test, y_test, TEST_COLOR, "test", "^")]:
        if X is not None:
            ax.scatter(np.asarray(X)[:, 0], y, s=22, color=color, marker=marker, label=f"{name} ({len(y)})",
                       zorder=3)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_curve(ax, x_grid, y_grid, color=PALETTE["black"], label="fitted curve", ylim=(-2.2, 2.2), **style):
    """Draw a model's predictions on a grid of inputs; fix the y-range so wild fits are clipped. Returns the Line2D."""
    line, = ax.plot(x_grid, y_grid, color=color, label=label, **style)
    ax.set_ylim(ylim)
    return line


def plot_validation_curve(ax, values, train_errors, val_errors, xlabel, log_x=False,
                          ylabel="mean squared error (log scale)", title="Validation curve"):
    """Training and validation error (log scale) against one hyperparameter's values; returns both Line2Ds."""
    train_line, = ax.plot(values, train_errors, "o-", color=TRAIN_COLOR, markersize=4, label="training error")
    val_line, = ax.plot(values, val_errors, "s-", color=VALIDATION_COLOR, markersize=4, label="validation error")
    ax.set_yscale("log")
    plain_log_ticks(ax.yaxis)
    if log_x:
        ax.set_xscale("log")
        plain_log_ticks(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return train_line, val_line
