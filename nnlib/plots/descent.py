"""Plots for gradient descent on a straight line: the loss surface, the path, the loss curve.

The loss of the line y_hat = slope * x + intercept is the mean squared error
L(slope, intercept) = mean((slope * x + intercept - y)**2), a bowl over the
(slope, intercept) plane (``nnlib.line``). ``three_points`` makes a grid of it cheap;
the ``plot_*`` functions draw it and the path that gradient descent takes (``plot_paths``: paths side by side).
"""
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap

from ..line import line_loss
from . import BROWN, PALETTE, PERIWINKLE
from .axes import SERIES_MARKERS, series_marks

# Paths are lines and edge-less points: brown and periwinkle take the places of Okabe-Ito's orange and sky blue,
# which have less than 3:1 contrast on white (nnlib/plots/__init__.py).
PATH_COLORS = [PALETTE["vermillion"], PALETTE["blue"], PALETTE["green"], BROWN, PALETTE["purple"], PERIWINKLE]
# The rings of equal loss: viridis from its darkest colour to its middle, drawn at alpha 0.8, has at least 3:1
# contrast on white (viridis' yellow top has 1.3:1); darker rings lie lower.
RING_CMAP = ListedColormap(colormaps["viridis"](np.linspace(0, 0.45, 256)), name="nnlib_rings")
RING_ALPHA = 0.8
LOSS_CURVE_GID = "nnlib-loss-curve"  # marks the curves plot_loss_curve drew, to give the next one the next marker
_THIRDS = np.array([0.0, 2 * np.pi / 3, 4 * np.pi / 3])


def three_points(x, y):
    """Three points with the same loss surface as the data x, y (n,): xs, ys (3,).

    Expanding the square, the line's loss depends on the data only through mean(x), mean(y), mean(x x),
    mean(x y) and mean(y y); these points have the same five (the same means, variances and covariance), so
    ``line_loss`` and ``line_gradient`` give the same numbers on them, for 3 multiplications per line instead of n.
    """
    x, y = _as_vector(x, "x"), _as_vector(y, "y")
    dx, dy = x - x.mean(), y - y.mean()
    sd_x = np.sqrt(np.mean(dx * dx))
    along = np.mean(dx * dy) / sd_x if sd_x > 0 else 0.0  # y's part that moves with x: cov(x, y) / sd(x)
    across = np.sqrt(max(np.mean(dy * dy) - along**2, 0.0))  # and the rest of y's spread
    u, v = np.sqrt(2) * np.cos(_THIRDS), np.sqrt(2) * np.sin(_THIRDS)  # mean 0, mean square 1, uncorrelated
    return x.mean() + sd_x * u, y.mean() + along * u + across * v


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
    return slopes, intercepts, line_loss(*three_points(x, y), slopes, intercepts)


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
                          cmap=RING_CMAP, linewidths=0.8, alpha=RING_ALPHA)
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
                    loss_unit="g²", x=None, xlabel="epoch", linewidth=1.5, marker=None):
    """Draw the loss after each epoch (entry 0 = before training) on a log axis; return the Line2D.

    losses: (epochs + 1,). ``minimum`` adds a dashed line at the best possible loss. Each loss curve on the same
    Axes gets its own marker shape at a few points (the k-th curve ``SERIES_MARKERS[k]``, or ``marker``), so curves
    told apart by colour are also told apart by shape.
    """
    losses = np.asarray(losses, dtype=float)
    x = np.arange(len(losses)) if x is None else np.asarray(x)
    index = sum(line.get_gid() == LOSS_CURVE_GID for line in ax.get_lines())
    marks = series_marks(index, x) | ({} if marker is None else {"marker": marker})
    line, = ax.plot(x, losses, color=color, label=label, linewidth=linewidth, gid=LOSS_CURVE_GID, **marks)
    if minimum is not None:
        ax.axhline(minimum, color=PALETTE["black"], linestyle="--", linewidth=1, label="least-squares minimum")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"mean squared error ({loss_unit}, log scale)")
    ax.set_title("Loss during training")
    return line


def plot_paths(x, y, paths, slope_lim=None, intercept_lim=None, slope_label="slope", colors=PATH_COLORS):
    """Each path on the loss contours, one panel per path, and all their loss curves in one more panel; return the
    Figure. A path and its loss curve share a colour and a marker shape (``SERIES_MARKERS``).

    x (n,), y (n,): the data; paths: {label: (epochs + 1, 2) of (slope, intercept)}. Without limits each panel is
    a square (equal axes) around the least-squares minimum, reaching 1.2 times as far as the first path's start.
    """
    import matplotlib.pyplot as plt

    labels, square, best = list(paths), slope_lim is None, np.array(least_squares_line(x, y))
    if square:
        reach = 1.2 * np.hypot(*(best - np.asarray(paths[labels[0]])[0]))
        slope_lim, intercept_lim = best[0] + np.array([-reach, reach]), best[1] + np.array([-reach, reach])
    rows = [labels + ["loss"]] if len(labels) == 1 else [labels, ["loss"] * len(labels)]
    fig, axes = plt.subplot_mosaic(rows, figsize=(max(11.0, 3.3 * len(labels)), 4.4 if len(rows) == 1 else 7.6),
                                   layout="constrained")
    for index, (label, color) in enumerate(zip(labels, colors)):
        path, ax = np.asarray(paths[label], dtype=float), axes[label]
        plot_loss_contour(ax, x, y, slope_lim, intercept_lim, slope_label=slope_label, title=label)
        shape = SERIES_MARKERS[index % len(SERIES_MARKERS)]
        plot_path(ax, path[:, 0], path[:, 1], color=color, label=f"path, {len(path) - 1} epochs", marker=shape)
        ax.set_aspect("equal" if square else "auto")
        ax.legend(loc="upper left", fontsize=7)
        plot_loss_curve(axes["loss"], line_loss(x, y, path[:, 0], path[:, 1]), color=color, label=label,
                        minimum=float(line_loss(x, y, *best)) if index == 0 else None, marker=shape)
    axes["loss"].legend(fontsize=8)
    return fig


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


def _as_vector(values, name):
    values = np.asarray(values, dtype=float)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"{name} must be one feature, shape (n,) or (n, 1) with n >= 2; got shape {values.shape}.")
    return values
