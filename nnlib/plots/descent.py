"""Plots for gradient descent on a straight line: the loss surface, the path, the loss curve.

The loss of the line y_hat = slope * x + intercept is the mean squared error
L(slope, intercept) = mean((slope * x + intercept - y)**2), a bowl over the
(slope, intercept) plane. ``line_loss`` evaluates it on a whole grid at once;
the ``plot_*`` functions draw it and the path that gradient descent takes.
"""
import math

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from . import PALETTE

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def line_loss(x, y, slopes, intercepts):
    """Mean squared error of the lines slope * x + intercept on the data (x, y).

    x, y: (n,) arrays. slopes, intercepts: arrays of the same (or a broadcastable)
    shape, e.g. two (rows, cols) grids from np.meshgrid. Returns the loss with
    that broadcast shape. Uses the five averages of the data, so a 200 x 200 grid
    costs no more than 200 x 200 multiplications.
    """
    x, y = _as_vector(x, "x"), _as_vector(y, "y")
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} values but y has {len(y)}: they must match.")
    w, b = np.broadcast_arrays(np.asarray(slopes, dtype=float), np.asarray(intercepts, dtype=float))
    mx, my, mxx, mxy, myy = x.mean(), y.mean(), np.mean(x * x), np.mean(x * y), np.mean(y * y)
    # mean((w x + b - y)^2) expanded into the averages of x, y, x^2, xy, y^2.
    return w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy


def least_squares_line(x, y):
    """The (slope, intercept) with the smallest mean squared error, from the closed form."""
    x, y = _as_vector(x, "x"), _as_vector(y, "y")
    if np.ptp(x) == 0:
        raise ValueError(f"every value of x is {x[0]:g}: with no spread in x every slope fits equally well, so there "
                         "is no least-squares line. Use a feature whose values differ.")
    slope = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    return float(slope), float(y.mean() - slope * x.mean())


def loss_grid(x, y, slope_lim, intercept_lim, resolution=120):
    """Slopes, intercepts and losses on a (resolution, resolution) grid over the given ranges."""
    slopes, intercepts = np.meshgrid(np.linspace(*slope_lim, resolution), np.linspace(*intercept_lim, resolution))
    return slopes, intercepts, line_loss(x, y, slopes, intercepts)


def contour_levels(losses, minimum, n_levels=14):
    """Loss levels spaced evenly on a log scale of the *excess* loss above ``minimum``.

    Narrow valleys and round bowls both get rings from the bottom to the rim.
    """
    excess = float(np.max(losses) - minimum)
    return minimum + np.geomspace(excess * 1e-4, excess, n_levels)


def plot_loss_contour(ax, x, y, slope_lim, intercept_lim, slope_label="slope", intercept_label="intercept (g)",
                      loss_unit="g²", title="Loss over (slope, intercept)", mark_minimum=True):
    """Draw the loss of the line as contour rings on ``ax``; return the ContourSet.

    x (n,) feature, y (n,) targets; slope_lim, intercept_lim: (low, high) ranges.
    Marks the least-squares minimum with a star (label "least-squares minimum").
    """
    slopes, intercepts, losses = loss_grid(x, y, slope_lim, intercept_lim)
    best = least_squares_line(x, y)
    minimum = float(line_loss(x, y, *best))
    contours = ax.contour(slopes, intercepts, losses, levels=contour_levels(losses, minimum),
                          cmap="viridis", linewidths=0.8, alpha=0.8)
    if mark_minimum:
        ax.plot(*best, marker="*", markersize=14, color=PALETTE["black"], linestyle="none",
                label="least-squares minimum")
    ax.set_xlim(slope_lim)
    ax.set_ylim(intercept_lim)
    ax.set_xlabel(slope_label)
    ax.set_ylabel(intercept_label)
    ax.set_title(f"{title}\n(rings: equal loss in {loss_unit})")
    return contours


def plot_path(ax, slopes, intercepts, color=PALETTE["vermillion"], label="gradient descent", marker="o"):
    """Draw a gradient-descent path (one point per step) with a hollow start marker; return its Line2D."""
    line, = ax.plot(slopes, intercepts, marker=marker, markersize=3, linewidth=1.2, color=color, label=label)
    ax.plot(slopes[0], intercepts[0], marker="o", markersize=9, markerfacecolor="none",
            markeredgecolor=color, linestyle="none")
    return line


def plot_loss_curve(ax, losses, color=PALETTE["vermillion"], label="training loss", minimum=None,
                    loss_unit="g²", x=None, xlabel="epoch"):
    """Draw the loss after each epoch (entry 0 = before training) on a log axis; return the Line2D.

    losses: (epochs + 1,). ``minimum`` adds a dashed line at the best possible loss.
    """
    losses = np.asarray(losses, dtype=float)
    x = np.arange(len(losses)) if x is None else x
    line, = ax.plot(x, losses, color=color, label=label)
    if minimum is not None:
        ax.axhline(minimum, color=PALETTE["black"], linestyle="--", linewidth=1, label="least-squares minimum")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"mean squared error ({loss_unit}, log scale)")
    ax.set_title("Loss during training")
    return line


def plot_loss_surface_3d(ax, x, y, slope_lim, intercept_lim, slope_label="slope", intercept_label="intercept (g)",
                         loss_unit="g²", resolution=50):
    """Draw the loss as a 3-D surface on a 3-D ``ax`` (``subplot_kw={"projection": "3d"}``)."""
    slopes, intercepts, losses = loss_grid(x, y, slope_lim, intercept_lim, resolution)
    surface = ax.plot_surface(slopes, intercepts, losses, cmap="viridis", linewidth=0, alpha=0.9)
    ax.set_xlabel(slope_label)
    ax.set_ylabel(intercept_label)
    ax.set_zlabel(f"loss ({loss_unit})")
    ax.set_title("The loss is a surface over the two parameters")
    return surface


def plain_log_ticks(axis):
    """Label a log axis 10⁵, 10⁶, ... in plain text, without minor ticks.

    Looks like matplotlib's default but skips mathtext, which makes a live
    figure redraw about a fifth faster. ``axis`` is e.g. ``ax.yaxis``.
    """
    axis.set_major_locator(LogLocator(base=10))
    axis.set_minor_locator(NullLocator())
    axis.set_major_formatter(FuncFormatter(
        lambda value, _: "10" + str(round(math.log10(value))).translate(_SUPERSCRIPTS) if value > 0 else ""))


def _as_vector(values, name):
    values = np.asarray(values, dtype=float)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"{name} must be one feature, shape (n,) or (n, 1) with n >= 2; got shape {values.shape}.")
    return values
