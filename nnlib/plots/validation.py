"""Plots for choosing hyperparameters on validation data: the split, fitted curves, validation curves.

Styles follow the course convention (``CURVE_STYLE``, ``POINT_STYLE``): training blue, solid lines, circles;
validation orange, dashed lines, triangles; test green, dotted lines, squares -- so colour is never the only
difference.
"""
import numpy as np

from . import CURVE_STYLE, PALETTE, POINT_STYLE
from .axes import plain_log_ticks


def plot_split(ax, X_train, y_train, X_val=None, y_val=None, X_test=None, y_test=None,
               xlabel="x (toy data, no unit)", ylabel="y (toy data, no unit)"):
    """Scatter the training, validation and test points (each X (k, 1), y (k,)) in their colours and marker shapes
    (``POINT_STYLE``)."""
    for X, y, name in [(X_train, y_train, "training"), (X_val, y_val, "validation"), (X_test, y_test, "test")]:
        if X is not None:
            ax.scatter(np.asarray(X)[:, 0], y, s=22, label=f"{name} ({len(y)})", zorder=3, **POINT_STYLE[name])
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
    """Training and validation error (log scale) against one hyperparameter's values; returns both Line2Ds.

    The two curves differ in colour, line style (``CURVE_STYLE``) and marker (``POINT_STYLE``).
    """
    train_line, = ax.plot(values, train_errors, marker=POINT_STYLE["training"]["marker"], markersize=4,
                          label="training error", **CURVE_STYLE["training"])
    val_line, = ax.plot(values, val_errors, marker=POINT_STYLE["validation"]["marker"], markersize=4,
                        label="validation error", **CURVE_STYLE["validation"])
    ax.set_yscale("log")
    plain_log_ticks(ax.yaxis)
    if log_x:
        ax.set_xscale("log")
        plain_log_ticks(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return train_line, val_line
