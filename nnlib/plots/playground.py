"""Plots for the playground: a regression surface, validation points, and loss curves.

Classification uses ``BoundaryPlot`` (nnlib/plots/boundary.py); for regression,
``RegressionSurface`` does the same job: an image of the prediction at every point of
a grid, with the data on top, re-coloured in place by ``update``. ``ValidationPoints``
adds the validation points (hollow for classes, triangles for regression, so they are told
apart from the training points by shape, not colour). ``LossCurves`` draws training and
validation loss per epoch in ``CURVE_STYLE`` (solid vs dashed).
Each ``update`` changes existing artists only, so they can run many times a second.
"""
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import Normalize

from . import CURVE_STYLE, POINT_STYLE
from .boundary import CLASS_COLORS, CLASS_MARKERS, TWO_CLASS_CMAP

# A hollow class marker is a ring in the class's colour, and orange, sky blue and yellow rings have less than 3:1
# contrast on white (WCAG 2.1, 1.4.11): a thin black outline on both sides of the ring gives each its dark edge.
RING_OUTLINE = [patheffects.withStroke(linewidth=2.2, foreground="black")]


class RegressionSurface:
    """A regression model's prediction over the plane of two features, with the data points on top.

    ax: the Axes. X (n, 2) points; y (n,) targets. resolution: grid points per axis.
    value_limit: the colour scale runs from -value_limit (orange) to +value_limit (blue);
      None = the largest |y|. Attributes after ``update``: ``grid_points`` (resolution**2, 2),
      ``predictions`` (resolution, resolution) with row 0 at the bottom, ``image``, ``scatter``.
    """

    def __init__(self, ax, X, y, resolution=50, padding=0.1, feature_names=("x1", "x2"),
                 title="Prediction (colour) and targets (points)", value_limit=None, colorbar=False):
        self.ax, self.resolution, self.padding = ax, int(resolution), float(padding)
        X, y = _check_xy(X, y)
        limit = float(np.max(np.abs(y))) if value_limit is None else float(value_limit)
        self.norm = Normalize(-max(limit, 1e-12), max(limit, 1e-12))
        self.predictions = None
        self.image = ax.imshow(np.zeros((self.resolution, self.resolution)), origin="lower", aspect="auto",
                               cmap=TWO_CLASS_CMAP, norm=self.norm, interpolation="bilinear", zorder=0)
        self.scatter = ax.scatter([], [], s=22, c=[], cmap=TWO_CLASS_CMAP, norm=self.norm, edgecolors="black",
                                  marker=POINT_STYLE["training"]["marker"], linewidths=0.6, zorder=3,
                                  label="training points")
        self.set_data(X, y)
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
        ax.set_title(title)
        if colorbar:
            ax.figure.colorbar(self.image, ax=ax, fraction=0.046, pad=0.03, label="predicted value")

    def set_data(self, X, y):
        """Show new points X (n, 2) with targets y (n,); the grid follows their range."""
        X, y = _check_xy(X, y)
        self.X, self.y = X, y
        self.scatter.set_offsets(X)
        self.scatter.set_array(y)
        self.x_grid, self.y_grid, self.grid_points = _grid(X, self.resolution, self.padding)
        extent = (self.x_grid[0], self.x_grid[-1], self.y_grid[0], self.y_grid[-1])
        self.image.set_extent(extent)
        self.ax.set_xlim(extent[:2])
        self.ax.set_ylim(extent[2:])

    def update(self, predict_fn):
        """Evaluate ``predict_fn(points (m, 2)) -> (m,)`` on the grid and re-colour; returns predictions."""
        values = np.asarray(predict_fn(self.grid_points), dtype=float).reshape(self.resolution, self.resolution)
        self.predictions = values
        self.image.set_data(values)
        return values


class ValidationPoints:
    """The validation points, drawn over a BoundaryPlot or RegressionSurface so they differ from the training points.

    classes=True: hollow markers outlined in black, one shape and colour per class label, like BoundaryPlot's.
    classes=False: triangles (``POINT_STYLE["validation"]``) filled with each point's target on ``norm`` (a
    regression target), with a grey edge, beside the training points' black-edged circles.
    """

    def __init__(self, ax, X, y, classes=True, norm=None, label="validation"):
        self.ax, self.classes, self.norm, self.label = ax, classes, norm, label
        self.scatters = []
        self.set_data(X, y)

    def set_data(self, X, y):
        X, y = _check_xy(X, y)
        for scatter in self.scatters:
            scatter.remove()
        if self.classes:
            labels = y.astype(int)
            self.scatters = [self.ax.scatter(X[labels == k, 0], X[labels == k, 1], s=40,
                                             marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], facecolors="none",
                                             edgecolors=CLASS_COLORS[k % len(CLASS_COLORS)], linewidths=1.4,
                                             path_effects=RING_OUTLINE, zorder=3, label=f"{self.label}, class {k}")
                             for k in range(int(labels.max()) + 1)]
        else:
            self.scatters = [self.ax.scatter(X[:, 0], X[:, 1], s=28, marker=POINT_STYLE["validation"]["marker"], c=y,
                                             cmap=TWO_CLASS_CMAP, norm=self.norm, edgecolors="#777777",
                                             linewidths=0.8, zorder=3, label=self.label)]
        self.X, self.y = X, y

    def set_visible(self, visible):
        for scatter in self.scatters:
            scatter.set_visible(visible)


class LossCurves:
    """Training and validation loss per epoch, on linear axes that grow in steps of 1-2-5.

    ``update(epochs, train_loss, val_loss)``: three 1-D arrays of the same length
    (epoch 0 = before training); returns True when the axis limits changed (so a
    widget that caches the static parts of its figure knows to redraw them).
    Non-finite losses are left out of the limits. ``moving_artists``: what changes
    between epochs (the two lines).
    """

    def __init__(self, ax, loss_name="loss", title="Loss: training vs validation"):
        self.ax = ax
        self.train_line, = ax.plot([], [], linewidth=2, label="training loss", **CURVE_STYLE["training"])
        self.val_line, = ax.plot([], [], linewidth=2, label="validation loss", **CURVE_STYLE["validation"])
        ax.set_xlabel("epoch")
        ax.set_title(title)
        # Below the axes, where no curve passes: it is drawn once, not every frame.
        self.legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize="small",
                                frameon=False)
        ax.grid(True, color="#dddddd", linewidth=0.6)
        self.set_loss_name(loss_name)
        self.update([], [], [])

    def set_loss_name(self, loss_name):
        self.ax.set_ylabel(loss_name)

    @property
    def moving_artists(self):
        return [self.train_line, self.val_line]

    def update(self, epochs, train_loss, val_loss):
        epochs = np.asarray(epochs, dtype=float)
        train_loss, val_loss = np.asarray(train_loss, dtype=float), np.asarray(val_loss, dtype=float)
        self.train_line.set_data(epochs, train_loss)
        self.val_line.set_data(epochs, val_loss)
        values = np.concatenate([train_loss, val_loss])
        values = values[np.isfinite(values)]
        limits = ((0.0, nice_ceiling(max(10.0, float(epochs.max()) if epochs.size else 0.0))),
                  (0.0, nice_ceiling(1.02 * float(values.max())) if values.size and values.max() > 0 else 1.0))
        changed = limits != (self.ax.get_xlim(), self.ax.get_ylim())
        if changed:
            self.ax.set_xlim(limits[0])
            self.ax.set_ylim(limits[1])
        return changed


def nice_ceiling(value):
    """The smallest of 1, 2, 5, 10, 20, 50, ... (times a power of 10) that is >= value > 0."""
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10 * power)


def _grid(X, resolution, padding):
    low, high = X.min(axis=0), X.max(axis=0)
    margin = padding * np.where(high > low, high - low, 1.0)
    low, high = low - margin, high + margin
    x_grid, y_grid = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    xx, yy = np.meshgrid(x_grid, y_grid)
    return x_grid, y_grid, np.column_stack([xx.ravel(), yy.ravel()])


def _check_xy(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
        raise ValueError(f"points must be X of shape (n, 2) with y of shape (n,); got X {X.shape}, y {y.shape}.")
    return X, y

