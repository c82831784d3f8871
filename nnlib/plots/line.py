"""Plots for fitting a line: the data, a candidate line and its residuals."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba

from . import PALETTE

# Points and residuals need 3:1 contrast on white (WCAG 2.1, 1.4.11). The points' fill is see-through, so crowded
# points show as darker patches, and their edge is opaque (blue, 5.19:1); the residuals are vermillion at alpha 0.9
# (3.38:1).
POINT_FACE_ALPHA, RESIDUAL_ALPHA = 0.6, 0.9


def scatter_data(X, y, ax=None, xlabel="flipper length (mm)", ylabel="body mass (g)",
                 title="Palmer penguins: flipper length vs body mass"):
    """Scatter X (n, 1) against y (n,) on ``ax`` (a new figure if None); returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(X[:, 0], y, s=12, facecolors=to_rgba(PALETTE["blue"], POINT_FACE_ALPHA), edgecolors=PALETTE["blue"],
               linewidths=0.5, label="penguins")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


class LinePlot:
    """Data, the line y = slope * x + intercept, and vertical residual segments.

    ``update(slope, intercept)`` moves the existing line and segments (no new artists).
    X (n, 1), y (n,).
    """

    def __init__(self, ax, X, y, **labels):
        self.x, self.y = X[:, 0], y
        scatter_data(X, y, ax, **labels)
        pad = 0.05 * (self.x.max() - self.x.min())
        self.x_ends = np.array([self.x.min() - pad, self.x.max() + pad])
        self.residuals = LineCollection([], colors=PALETTE["vermillion"], linewidths=0.8, alpha=RESIDUAL_ALPHA,
                                        label="residuals (errors)")
        ax.add_collection(self.residuals)
        (self.line,) = ax.plot(self.x_ends, self.x_ends * 0, color=PALETTE["black"], lw=2, label="your line")
        ax.set_ylim(y.min() - 0.15 * np.ptp(y), y.max() + 0.15 * np.ptp(y))
        ax.legend(loc="upper left")

    def update(self, slope, intercept):
        """Redraw for a new line; returns the predictions (n,)."""
        predictions = slope * self.x + intercept
        self.line.set_ydata(slope * self.x_ends + intercept)
        self.residuals.set_segments(np.stack([np.column_stack([self.x, self.y]),
                                              np.column_stack([self.x, predictions])], axis=1))
        return predictions
