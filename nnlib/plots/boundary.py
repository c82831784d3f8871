"""Decision boundaries: what a classifier predicts everywhere on the plane of two features.

``BoundaryPlot(ax, X, y)`` draws the data points over an image of the model's
prediction on a grid, and the line where the prediction changes class:

- two classes: the image is P(class 1), orange (class 0) through white (0.5) to
  blue (class 1), and the boundary is the P = 0.5 line;
- K > 2 classes: each pixel has the colour of its most likely class, paler where
  the model is unsure, and the boundaries are where the most likely class changes.

``update(predict_proba_fn)`` re-colours the same image artist, so a widget or a
live training loop can call it many times a second. ``plot_decision_boundary``
draws one static plot in one call.
"""
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D

from . import BROWN, PALETTE, PERIWINKLE

# In this order every first K classes (K <= 6) stay apart under simulated colour blindness, as points and as the
# paler decision regions (tests/test_colour_vision.py); green and purple come last, as they fall close to blue and
# orange for tritanopes. The markers tell the classes apart too. Orange, sky blue and yellow are paler than 3:1 on
# white, which is allowed here: every point has a black edge (and ValidationPoints' hollow ones a black outline), and
# the pale regions are areas, not lines -- the points and the black boundary lines carry what they show.
CLASS_COLORS = [PALETTE[name] for name in ("orange", "blue", "sky", "vermillion", "yellow", "black", "green", "purple")]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# plot_unit_lines: the first layer's units, drawn over the classes (so none of the first two classes' colours); lines,
# so each has at least 3:1 contrast on white (periwinkle and brown for Okabe-Ito's sky blue and yellow).
UNIT_COLORS = [PALETTE["green"], PALETTE["purple"], PERIWINKLE, PALETTE["vermillion"], BROWN, PALETTE["black"]]


def _paler(colour, amount=0.5):
    """The colour mixed with white: amount 0 keeps it, 1 gives white."""
    return tuple(c + (1 - c) * amount for c in to_rgb(colour))


# The background is paler than the points, so the points stand out on it.
TWO_CLASS_CMAP = LinearSegmentedColormap.from_list(
    "nnlib_two_classes", [_paler(PALETTE["orange"], 0.35), "#ffffff", _paler(PALETTE["blue"], 0.35)])


class BoundaryPlot:
    """A classifier's predictions on a grid over 2-D data, with the data points on top.

    ax: the matplotlib Axes to draw on.
    X: (n_samples, 2) points, in the units you want on the axes.
    y: (n_samples,) class labels 0..K-1 (K >= 2).
    resolution: grid points per axis (the image has resolution x resolution pixels).
    padding: fraction of each feature's range added on both sides of the data.
    class_names: K names for the legend (default "class 0", "class 1", ...).
    feature_names: the two axis labels, with units, e.g. ("bill length (mm)", "flipper length (mm)").
    title: the Axes title.
    colorbar: for two classes, add a colour bar labelled P(<class 1 name>).
    legend_loc: where the legend goes (a matplotlib ``loc``), or None for no legend.

    After ``update``:
    grid_points: (resolution**2, 2) where the model was evaluated (row by row, bottom row first).
    probabilities: (resolution, resolution) P(class 1) for two classes, else
      (resolution, resolution, K) class probabilities; row 0 is the bottom of the plot.
    image: the AxesImage that ``update`` re-colours.
    boundaries: the ContourSets of the decision boundary (replaced at every update; empty when
      one class wins everywhere; one per class for K > 2).
    scatters: one PathCollection of points per class.
    """

    def __init__(self, ax, X, y, resolution=100, padding=0.1, class_names=None,
                 feature_names=("feature 1", "feature 2"), title="Decision boundary", colorbar=False,
                 legend_loc="upper left"):
        self.ax = ax
        self.resolution = _check_resolution(resolution)
        self.padding = float(padding)
        X, y = _check_points(X, y)
        self.n_classes = max(int(y.max()) + 1, 2)
        self.class_names = _names(class_names, self.n_classes)
        self.boundaries = []
        self.probabilities = None
        self.image = ax.imshow(np.zeros((self.resolution, self.resolution)), origin="lower", aspect="auto",
                               cmap=TWO_CLASS_CMAP, vmin=0, vmax=1, interpolation="bilinear", zorder=0)
        self.scatters = [ax.scatter([], [], s=28, c=CLASS_COLORS[k % len(CLASS_COLORS)],
                                    marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], edgecolors="black",
                                    linewidths=0.6, label=self.class_names[k], zorder=3)
                         for k in range(self.n_classes)]
        self.set_data(X, y)
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
        ax.set_title(title)
        if legend_loc is not None:
            handles = [*self.scatters, Line2D([], [], color="black", linewidth=1.5, label="decision boundary")]
            ax.legend(handles=handles, loc=legend_loc, fontsize="small", framealpha=0.8)
        if colorbar and self.n_classes == 2:
            bar = ax.figure.colorbar(self.image, ax=ax, fraction=0.046, pad=0.03)
            bar.set_label(f"P({self.class_names[1]})")

    def set_data(self, X, y):
        """Show new points X (n, 2) with labels y (n,); the grid follows their range.

        The image keeps its old colours until the next ``update``.
        """
        X, y = _check_points(X, y)
        if y.max() >= self.n_classes:
            raise ValueError(f"y has label {y.max()}, but this plot was made for {self.n_classes} classes: "
                             "make a new BoundaryPlot for data with more classes.")
        self.X, self.y = X, y
        for k, scatter in enumerate(self.scatters):
            scatter.set_offsets(X[y == k].reshape(-1, 2))
        low, high = X.min(axis=0), X.max(axis=0)
        margin = self.padding * np.where(high > low, high - low, 1.0)
        low, high = low - margin, high + margin
        self.x_grid = np.linspace(low[0], high[0], self.resolution)
        self.y_grid = np.linspace(low[1], high[1], self.resolution)
        xx, yy = np.meshgrid(self.x_grid, self.y_grid)
        self.grid_points = np.column_stack([xx.ravel(), yy.ravel()])
        self.image.set_extent((low[0], high[0], low[1], high[1]))
        self.ax.set_xlim(low[0], high[0])
        self.ax.set_ylim(low[1], high[1])

    def update(self, predict_proba_fn):
        """Evaluate ``predict_proba_fn`` on the grid and re-colour the plot; returns ``probabilities``.

        predict_proba_fn(points) gets points (m, 2) in the units of X and returns
        class probabilities (m, K) -- e.g. ``model.predict_proba`` -- or, for two
        classes, P(class 1) with shape (m,) or (m, 1).
        """
        proba = np.asarray(predict_proba_fn(self.grid_points), dtype=float)
        proba = self._as_class_probabilities(proba)
        shape = (self.resolution, self.resolution)
        if self.n_classes == 2:
            self.probabilities = proba.reshape(shape)
            self.image.set_data(self.probabilities)
            margins = [self.probabilities - 0.5]
        else:
            self.probabilities = proba.reshape(*shape, self.n_classes)
            self.image.set_data(self._class_colours(self.probabilities))
            # Class k's region ends where its probability ties with the best other class.
            margins = [self.probabilities[..., k] - np.delete(self.probabilities, k, axis=2).max(axis=2)
                       for k in range(self.n_classes)]
        for contour in self.boundaries:
            contour.remove()
        self.boundaries = [self.ax.contour(self.x_grid, self.y_grid, margin, levels=[0.0], colors="black",
                                           linewidths=1.5, zorder=2)
                           for margin in margins if margin.min() < 0 < margin.max()]
        return self.probabilities

    def _as_class_probabilities(self, proba):
        m = len(self.grid_points)
        if self.n_classes == 2 and proba.shape in ((m,), (m, 1)):
            proba = proba.reshape(m)
        elif self.n_classes == 2 and proba.shape == (m, 2):
            proba = proba[:, 1]
        elif proba.shape != (m, self.n_classes):
            expected = f"({m},) or ({m}, 2)" if self.n_classes == 2 else f"({m}, {self.n_classes})"
            raise ValueError(f"predict_proba_fn returned shape {proba.shape}, expected {expected}: one row of "
                             f"class probabilities per grid point, for the {self.n_classes} classes in y.")
        if not np.all(np.isfinite(proba)):
            raise ValueError("predict_proba_fn returned NaN or infinite values: has training diverged?")
        return proba

    def _class_colours(self, probabilities):
        """(r, r, K) probabilities -> (r, r, 3) RGB: the likeliest class's colour, paler when unsure."""
        colours = np.array([to_rgb(CLASS_COLORS[k % len(CLASS_COLORS)]) for k in range(self.n_classes)])
        chance = 1 / self.n_classes
        confidence = (probabilities.max(axis=2, keepdims=True) - chance) / (1 - chance)
        return 1 - 0.65 * confidence * (1 - colours[probabilities.argmax(axis=2)])


def plot_decision_boundary(predict_proba_fn, X, y, ax=None, **kwargs):
    """Draw one decision-boundary plot; returns the BoundaryPlot.

    predict_proba_fn: e.g. ``model.predict_proba`` (see ``BoundaryPlot.update``).
    X (n, 2), y (n,); ax: an Axes, or None for a new figure; kwargs go to BoundaryPlot.
    """
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(5, 4.2))
    plot = BoundaryPlot(ax, X, y, **kwargs)
    plot.update(predict_proba_fn)
    return plot


def _check_points(X, y):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2) -- a decision boundary is drawn over two features -- "
                         f"but it has shape {X.shape}. Pick two columns, e.g. X[:, :2].")
    y = np.asarray(y)
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), one label per row of X; got {y.shape}.")
    if len(y) == 0 or not np.all(y == np.round(y)) or y.min() < 0:
        raise ValueError("y must hold class labels 0, 1, ..., K-1 (whole numbers >= 0).")
    return X, y.astype(int)


def _check_resolution(resolution):
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be a whole number >= 2 (grid points per axis), got {resolution!r}.")
    return int(resolution)


def _names(class_names, n_classes):
    if class_names is None:
        return [f"class {k}" for k in range(n_classes)]
    class_names = [str(name) for name in class_names]
    if len(class_names) < n_classes:
        raise ValueError(f"class_names has {len(class_names)} names but y has {n_classes} classes.")
    return class_names


def plot_unit_lines(ax, weights, biases, labels=None):
    """Draw, for each unit of a first layer, the line where its weighted sum is zero, labelled on the line.

    weights (2, n_units) and biases (n_units,) of a Dense layer on two features
    (e.g. ``model.weights_[0]``, ``model.biases_[0]``): unit j's line is
    weights[0, j] * x1 + weights[1, j] * x2 + biases[j] = 0, the boundary that unit
    alone would draw. Drawn across the Axes' current limits (plot the data first).
    Each line carries its label (default "unit 1", ...) written on it, so the units are told apart
    without their colours. Returns the list of Line2D, one per unit.
    """
    weights, biases = np.asarray(weights, dtype=float), np.asarray(biases, dtype=float)
    if weights.ndim != 2 or weights.shape[0] != 2 or biases.shape != (weights.shape[1],):
        raise ValueError(f"expected weights (2, n_units) and biases (n_units,) of a layer on two features; "
                         f"got {weights.shape} and {biases.shape}.")
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    x = np.linspace(x_low, x_high, 200)
    lines = []
    for j, (w1, w2) in enumerate(weights.T):
        label = labels[j] if labels is not None else f"unit {j + 1}"
        style = dict(color=UNIT_COLORS[j % len(UNIT_COLORS)], linewidth=2, linestyle="--", label=label)
        if abs(w2) > 1e-12:
            line_x, line_y = x, -(w1 * x + biases[j]) / w2
        elif abs(w1) > 1e-12:  # a vertical line
            line_x, line_y = np.full(200, -biases[j] / w1), np.linspace(y_low, y_high, 200)
        else:
            continue
        lines.extend(ax.plot(line_x, line_y, **style))
        _label_on_line(ax, line_x, line_y, label, style["color"], (j + 1) / (len(biases) + 1), (y_low, y_high))
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    return lines


def _label_on_line(ax, x, y, text, colour, fraction, y_limits):
    """Write ``text`` on the visible part of the line (x, y), ``fraction`` of the way along it (staggered per unit,
    so labels of lines that cross do not sit on top of each other)."""
    visible = np.flatnonzero((y >= y_limits[0]) & (y <= y_limits[1]))
    if visible.size:
        i = visible[int(round(fraction * (visible.size - 1)))]
        ax.text(x[i], y[i], text, ha="center", va="center", fontsize="small", zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": colour, "alpha": 0.9})
