"""A network drawn as units and weights: circles are units, lines are weights.

``NetworkDiagram(ax, weights)`` draws a network from its list of weight matrices
(``model.weights_``): layer l has ``weights[l].shape[0]`` units and is joined to
the next layer by one line per weight. A line's thickness shows the weight's
size |w| and its colour and dashes the sign (blue solid positive, vermillion dashed
negative: the sign is not told by colour alone). Given the
biases, each unit's fill shows its bias the same way -- a reminder that biases
are parameters too. ``update(weights)`` restyles the same lines in place (for a
network that is training); ``set_architecture(weights)`` redraws for a new shape.

``plot_weight_matrix(ax, weights)`` shows one weight matrix as a heatmap.
"""
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.lines import Line2D

from . import PALETTE

POSITIVE, NEGATIVE = PALETTE["blue"], PALETTE["vermillion"]
POSITIVE_STYLE, NEGATIVE_STYLE = "solid", (0, (3, 1.5))  # dash lengths scale with the line width
WEIGHT_CMAP = LinearSegmentedColormap.from_list("nnlib_weights", [NEGATIVE, "#ffffff", POSITIVE])
INPUT_FILL = "#d9d9d9"
# Lines that cross stay visible through each other, and each keeps at least 3:1 contrast on white (WCAG 2.1, 1.4.11):
# vermillion at alpha 0.9 is 3.38:1, at 0.8 it would be 2.95:1.
WEIGHT_ALPHA = 0.9


class NetworkDiagram:
    """Units as circles, weights as lines (thickness = |weight|, colour and dashes = sign).

    ax: the matplotlib Axes to draw on (its frame and ticks are switched off).
    weights: list of weight matrices [(n_0, n_1), (n_1, n_2), ...], e.g. ``model.weights_``.
    biases: optional list of bias vectors [(n_1,), (n_2,), ...]; they colour the units' fill.
    layer_labels: optional list of len(weights) + 1 strings written under the columns
      (default "input", "hidden 1", ..., "output" with their unit counts).
    input_labels / output_labels: optional names written beside the first / last column.
    weight_scale: |w| drawn with the thickest line; None = the largest |w| at each update.
    max_linewidth: the thickest line, in points.
    title: the Axes title.

    Attributes: ``positions`` [(n_l, 2)] unit centres per layer; ``lines`` the
    LineCollection with one segment per weight, in the order of
    ``np.concatenate([w.ravel() for w in weights])``; ``linewidths``, ``colors`` and
    ``linestyles`` what is drawn for each weight; ``units`` the circles (a PathCollection);
    ``unit_colors`` their fill colours (n_units_total, 4).
    """

    def __init__(self, ax, weights, biases=None, layer_labels=None, input_labels=None, output_labels=None,
                 weight_scale=None, max_linewidth=4.0, title="Network: circles are units, lines are weights"):
        self.ax = ax
        self.weight_scale = weight_scale
        self.max_linewidth = float(max_linewidth)
        self.title = title
        self._artists = []
        self.set_architecture(weights, biases, layer_labels, input_labels, output_labels)

    @property
    def shapes(self):
        """The weight-matrix shapes this diagram draws, [(n_0, n_1), ...]."""
        return [tuple(shape) for shape in self._shapes]

    def set_architecture(self, weights, biases=None, layer_labels=None, input_labels=None, output_labels=None):
        """Redraw from scratch for (possibly) new shapes of weight matrices."""
        weights = _check_weights(weights)
        for artist in self._artists:
            artist.remove()
        ax = self.ax
        self._shapes = [w.shape for w in weights]
        sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
        tallest = max(sizes)
        self.positions = [np.column_stack([np.full(n, float(layer)), (n - 1) / 2 - np.arange(n)])
                          for layer, n in enumerate(sizes)]
        segments = [np.stack([np.repeat(left, len(right), axis=0), np.tile(right, (len(left), 1))], axis=1)
                    for left, right in zip(self.positions[:-1], self.positions[1:])]
        self.lines = LineCollection(np.concatenate(segments), zorder=1, capstyle="round")
        ax.add_collection(self.lines)
        centres = np.concatenate(self.positions)
        span = max(tallest, 4)  # a small network is not blown up to fill the whole Axes
        spacing = ax.get_window_extent().height * 72 / ax.figure.dpi * 0.78 / (span + 0.2)  # points
        size = float(np.clip(0.6 * spacing, 3, 22)) ** 2
        self.units = ax.scatter(centres[:, 0], centres[:, 1], s=size, edgecolors="black",
                                linewidths=0.8, zorder=3, facecolors=INPUT_FILL)
        self._artists = [self.lines, self.units]
        labels = layer_labels or _default_layer_labels(sizes)
        if len(labels) != len(sizes):
            raise ValueError(f"layer_labels needs {len(sizes)} entries (input, hidden..., output); got {len(labels)}.")
        # Units fill the top 78% of the Axes; the layer labels go below them (x in data, y in Axes units).
        top = (span - 1) / 2 + 0.6
        ax.set_ylim(top - (span + 0.2) / 0.78, top)
        for layer, label in enumerate(labels):
            self._artists.append(ax.text(layer, 0.21, label, ha="center", va="top", fontsize="small",
                                         transform=ax.get_xaxis_transform()))
        gap = np.sqrt(size) / 2 + 3  # points from a unit's centre to its label
        for names, column, side in ((input_labels, 0, -1), (output_labels, len(sizes) - 1, 1)):
            if names is not None:
                for (x, y), name in zip(self.positions[column], names):
                    self._artists.append(ax.annotate(name, (x, y), xytext=(side * gap, 0), textcoords="offset points",
                                                     ha="right" if side < 0 else "left", va="center",
                                                     fontsize="small"))
        ax.set_xlim(-0.7, len(sizes) - 0.3)
        # Dense layers have many lines: draw them thinner so the picture stays readable.
        self._linewidth_factor = min(1.0, 6 / tallest)
        ax.set_axis_off()
        ax.set_title(self.title)
        if not ax.get_legend():
            ax.legend(handles=[Line2D([], [], color=POSITIVE, linewidth=2.5, linestyle=POSITIVE_STYLE,
                                      label="positive weight"),
                               Line2D([], [], color=NEGATIVE, linewidth=2.5, linestyle=NEGATIVE_STYLE,
                                      label="negative weight")],
                      loc="lower center", bbox_to_anchor=(0.5, -0.04), ncol=2, fontsize="small", frameon=False)
        self.update(weights, biases)

    def update(self, weights, biases=None):
        """Restyle the existing lines (and unit fills) for new values of the same shapes."""
        weights = _check_weights(weights)
        if [w.shape for w in weights] != self._shapes:
            raise ValueError(f"these weights have shapes {[w.shape for w in weights]}, but the diagram shows "
                             f"{self.shapes}. For a new architecture call set_architecture(weights).")
        values = np.concatenate([w.ravel() for w in weights])
        scale = self.weight_scale if self.weight_scale is not None else np.max(np.abs(values))
        scale = scale if scale > 0 else 1.0
        self.linewidths = self.max_linewidth * self._linewidth_factor * np.clip(np.abs(values) / scale, 0, 1) + 0.15
        self.colors = np.where(values[:, None] >= 0, to_rgba(POSITIVE, WEIGHT_ALPHA), to_rgba(NEGATIVE, WEIGHT_ALPHA))
        self.linestyles = [POSITIVE_STYLE if value >= 0 else NEGATIVE_STYLE for value in values]
        self.lines.set_linewidths(self.linewidths)
        self.lines.set_colors(self.colors)
        self.lines.set_linestyles(self.linestyles)
        n_inputs = weights[0].shape[0]
        fills = [np.tile(to_rgba(INPUT_FILL), (n_inputs, 1))]
        if biases is None:
            fills.extend(np.tile(to_rgba("white"), (w.shape[1], 1)) for w in weights)
        else:
            biases = [np.asarray(b, dtype=float).ravel() for b in biases]
            if [b.size for b in biases] != [w.shape[1] for w in weights]:
                raise ValueError(f"biases must have sizes {[w.shape[1] for w in weights]} (one per unit after "
                                 f"the input layer); got {[b.size for b in biases]}.")
            bias_values = np.concatenate(biases)
            bias_scale = max(float(np.max(np.abs(bias_values))), scale)
            fills.append(WEIGHT_CMAP(0.5 + 0.5 * np.clip(bias_values / bias_scale, -1, 1)))
        self.unit_colors = np.concatenate(fills)
        self.units.set_facecolors(self.unit_colors)


def plot_weight_matrix(ax, weights, row_labels=None, column_labels=None, title="Weights",
                       xlabel="unit in the next layer", ylabel="unit in the previous layer", annotate=None):
    """Show a weight matrix (n_in, n_out) as a heatmap, blue positive, vermillion negative.

    Row i, column j is the weight from unit i of the previous layer to unit j of
    the next. annotate: write the values in the cells (default: when at most 12 x 12).
    Returns the AxesImage.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"weights must be a 2-D matrix (n_in, n_out); got shape {weights.shape}.")
    limit = max(float(np.max(np.abs(weights))), 1e-12)
    image = ax.imshow(weights, cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit, aspect="auto")
    n_rows, n_cols = weights.shape
    ax.set_xticks(range(n_cols), column_labels if column_labels is not None else [str(j + 1) for j in range(n_cols)])
    ax.set_yticks(range(n_rows), row_labels if row_labels is not None else [str(i + 1) for i in range(n_rows)])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if annotate is None:
        annotate = n_rows <= 12 and n_cols <= 12
    if annotate:
        for (i, j), value in np.ndenumerate(weights):
            ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize="small",
                    color="white" if abs(value) > 0.6 * limit else "black")
    ax.figure.colorbar(image, ax=ax, label="weight value")
    return image


def _check_weights(weights):
    if isinstance(weights, np.ndarray):
        weights = [weights]
    weights = [np.asarray(w, dtype=float) for w in weights]
    if not weights or any(w.ndim != 2 for w in weights):
        raise ValueError("weights must be a list of 2-D weight matrices [(n_0, n_1), (n_1, n_2), ...], "
                         "e.g. model.weights_.")
    for number, (left, right) in enumerate(zip(weights[:-1], weights[1:]), start=1):
        if left.shape[1] != right.shape[0]:
            raise ValueError(f"weight matrices {number} and {number + 1} do not connect: shapes {left.shape} and "
                             f"{right.shape} (the columns of one must equal the rows of the next).")
    return weights


def _default_layer_labels(sizes):
    hidden = [f"hidden {layer}\n{n} unit{'s' * (n != 1)}" for layer, n in enumerate(sizes[1:-1], start=1)]
    return [f"input\n{sizes[0]} feature{'s' * (sizes[0] != 1)}", *hidden,
            f"output\n{sizes[-1]} unit{'s' * (sizes[-1] != 1)}"]
