"""Notebook 05's widget: set one neuron's weights and bias by hand, then let ``fit`` learn them.

Sliders set the three *parameters* of a logistic-regression neuron (w1, w2, b);
the figure shows at once its decision boundary over the data, what the neuron
computes for every training point (z = w1 x1 + w2 x2 + b, then the sigmoid), and
the training loss. Below them, the *hyperparameters* (learning rate, epochs)
steer the Fit button: it runs gradient descent from zero and moves the parameter
sliders to what it learned, drawing its loss curve next to yours.

Only a few artists move when a slider does (the boundary image and line, the
points in the middle panel, the loss line), so the figure is drawn with
blitting: the rest is rendered once and kept as a background bitmap. That keeps
a slider change at a few tens of milliseconds for a three-panel figure.
"""
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from ..input_checks import check_count, check_labels, check_positive
from ..layers import sigmoid
from ..losses import BinaryCrossEntropy
from ..models import LogisticRegression
from ..plots import PALETTE
from ..plots.boundary import CLASS_COLORS, CLASS_MARKERS, BoundaryPlot
from .arguments import check_columns, check_names, check_range
from .base import NotebookWidget, describe, description_line
from .live_figure import BlittedFigure

Z_LIMIT = 12.0  # the middle panel shows z in [-Z_LIMIT, Z_LIMIT]; larger |z| is drawn at the edge


class NeuronWidget(NotebookWidget):
    """One sigmoid neuron on two features, with its parameters on sliders.

    X: (n, 2) training features in the units to show on the axes (e.g. mm).
    y: (n,) labels 0 and 1.
    scaler: a fitted ``nnlib.Standardizer`` (or anything with ``transform``) or None;
      the neuron's inputs are ``scaler.transform(X)``, so its weights are per
      standard deviation of each feature.
    feature_names: two axis labels with units; class_names: the two class names.
    weights, bias: where the parameter sliders start.
    learning_rate, epochs: where the hyperparameter controls start (used by Fit).
    parameter_range: the sliders go from -parameter_range to +parameter_range.
    resolution: grid points per axis of the decision-boundary image.

    Controls: ``w1``, ``w2``, ``b`` (parameters), ``learning_rate``, ``epochs``,
    ``fit_button`` (hyperparameters and training). State after every change:
    ``model`` (a LogisticRegression holding the slider values as its parameters),
    ``z`` (n,) and ``probabilities`` (n,) for the training points, ``loss``
    (binary cross-entropy), ``accuracy``, ``boundary`` (the BoundaryPlot),
    ``last_update_seconds`` (compute + redraw time of the last change), ``readout`` (the figure in words, a
    ``description_line``).
    """

    def __init__(self, X, y, scaler=None, feature_names=("feature 1", "feature 2"), class_names=("class 0", "class 1"),
                 weights=(0.0, 0.0), bias=0.0, learning_rate=0.1, epochs=100, parameter_range=10.0, resolution=80):
        X = check_columns(X, 2, "NeuronWidget")
        y = check_labels(y, len(X))
        if y.max() > 1:
            raise ValueError(f"y must hold the labels 0 and 1 only: NeuronWidget is one sigmoid neuron, a binary "
                             f"classifier; got labels {np.unique(y).tolist()}. Keep two classes, e.g. "
                             "keep = y < 2; X, y = X[keep], y[keep].")
        if scaler is not None and not hasattr(scaler, "transform"):
            raise TypeError(f"scaler must be a fitted nnlib.Standardizer (anything with transform(X)) or None, "
                            f"got {scaler!r}.")
        feature_names = check_names("feature_names", feature_names, 2, "axis labels with units")
        class_names = check_names("class_names", class_names, 2, "for labels 0 and 1")
        parameter_range = check_positive("parameter_range", parameter_range, "It is where the sliders end.")
        if isinstance(weights, str) or not hasattr(weights, "__len__") or len(weights) != 2:
            raise ValueError(f"weights must be two numbers (w1, w2), one per feature, e.g. (0.0, 0.0); "
                             f"got {weights!r}.")
        hint = "Raise parameter_range to widen the sliders."
        for name, value in (("w1 (weights[0])", weights[0]), ("w2 (weights[1])", weights[1]), ("bias", bias)):
            check_range(name, value, -parameter_range, parameter_range, hint=hint)
        check_range("learning_rate", learning_rate, 0.001, 10)
        check_range("epochs", epochs, 1, 1000, whole=True)
        resolution = check_count("resolution", resolution, minimum=2, hint="It is grid points per axis of the image.")
        self.X, self.y = X, y
        self.scaler = scaler
        self.X_neuron = self._neuron_inputs(X)
        self.class_names = list(class_names)
        self.loss_function = BinaryCrossEntropy()
        self.model = LogisticRegression(learning_rate=learning_rate, epochs=epochs).build(2, 1)
        self.fit_history = []
        self.fitted_parameters = None
        self._holding = False
        self.resolution = resolution

        slider = dict(min=-parameter_range, max=parameter_range, step=0.1, readout_format=".2f",
                      continuous_update=True, style={"description_width": "initial"},
                      layout=widgets.Layout(width="32%"))
        per = ", per standard deviation" if scaler is not None else ""
        self.w1, self.w2 = (widgets.FloatSlider(value=weights[i], description=f"w{i + 1} ({_short(feature_names[i])})",
                                                tooltip=f"w{i + 1}: the weight of {feature_names[i]}{per}", **slider)
                            for i in (0, 1))
        self.b = widgets.FloatSlider(value=bias, description="b (bias)", tooltip="b: the bias, added to z", **slider)
        self.learning_rate = widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=1, step=0.25,
                                                    description="learning_rate", readout_format=".3g",
                                                    continuous_update=False, style={"description_width": "initial"})
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=1000, step=1, description="epochs",
                                        continuous_update=False, style={"description_width": "initial"})
        self.fit_button = widgets.Button(description="Fit: learn w1, w2, b", icon="play", button_style="primary",
                                         layout=widgets.Layout(width="200px"))
        self.readout = description_line()

        self.live = BlittedFigure(self._moving_artists, overlays=self._legends, ncols=3, figsize=(13.5, 4.1),
                                  gridspec_kw={"width_ratios": [1.15, 1, 1]})
        self._draw(feature_names)
        for legend in self._legends():
            legend.get_frame().set_alpha(1.0)  # opaque: the blitted frames paste their inside (BlittedFigure)
        self.live.figure.tight_layout()

        for control in (self.w1, self.w2, self.b):
            control.observe(self._on_parameter_change, names="value")
        self.fit_button.on_click(lambda _button: self.fit())
        self.widget = widgets.VBox([
            widgets.HTML("<b>Parameters</b> &mdash; set them by hand, or press Fit and let gradient descent "
                         "learn them"),
            widgets.HBox([self.w1, self.w2, self.b]),
            widgets.HTML("<b>Hyperparameters</b> &mdash; you choose them; they steer how Fit learns"),
            widgets.HBox([self.learning_rate, self.epochs, self.fit_button]),
            self.readout,
            self.live.output,
        ])
        self.update()

    # --- drawing ------------------------------------------------------------------
    def _draw(self, feature_names):
        ax_boundary, ax_neuron, ax_loss = self.live.axes
        self.boundary = BoundaryPlot(ax_boundary, self.X, self.y, resolution=self.resolution,
                                     class_names=self.class_names, feature_names=feature_names,
                                     title="Decision boundary (P = 0.5)")
        z_curve = np.linspace(-Z_LIMIT, Z_LIMIT, 200)
        ax_neuron.plot(z_curve, sigmoid(z_curve), color="black", linewidth=1.5, label="sigmoid(z) = P(class 1)")
        ax_neuron.axvline(0, color="grey", linewidth=0.8, linestyle=":")
        jitter = np.random.default_rng(0).uniform(-0.05, 0.05, size=len(self.y))
        self._label_heights = self.y + jitter * np.where(self.y == 1, -1, 1)
        self.neuron_points = [
            ax_neuron.scatter(np.zeros(np.sum(self.y == k)), self._label_heights[self.y == k], s=18,
                              c=CLASS_COLORS[k], marker=CLASS_MARKERS[k], edgecolors="black", linewidths=0.4,
                              label=f"{self.class_names[k]} (true label {k})", zorder=3)
            for k in (0, 1)]
        ax_neuron.set_xlim(-Z_LIMIT - 0.5, Z_LIMIT + 0.5)
        ax_neuron.set_ylim(-0.1, 1.1)
        ax_neuron.set_xlabel("z = w1·x1 + w2·x2 + b  (log-odds, no unit)")
        ax_neuron.set_ylabel("true label  /  predicted P(class 1)")
        ax_neuron.set_title("What the neuron computes for each training point")
        ax_neuron.legend(loc="center left", fontsize="small", framealpha=0.85)

        self.fit_line, = ax_loss.plot([], [], color=PALETTE["blue"], linewidth=2, label="Fit: loss after each epoch")
        self.your_loss_line = ax_loss.axhline(np.log(2), color=PALETTE["vermillion"], linestyle="--", linewidth=2,
                                              label="your parameters now")
        ax_loss.set_yscale("log")
        ax_loss.set_ylim(0.01, 10)
        # Plain tick labels: the default 10^k labels are typeset with mathtext on every draw.
        ax_loss.yaxis.set_major_locator(FixedLocator([0.01, 0.1, 1, 10]))
        ax_loss.yaxis.set_major_formatter(FixedFormatter(["0.01", "0.1", "1", "10"]))
        ax_loss.yaxis.set_minor_locator(NullLocator())
        ax_loss.set_xlim(0, self.epochs.value)
        ax_loss.set_xlabel("epoch")
        ax_loss.set_ylabel("training loss (binary cross-entropy)")
        ax_loss.set_title("Loss: yours vs gradient descent's")
        ax_loss.legend(loc="upper right", fontsize="small")

    # --- reacting to controls ------------------------------------------------------
    def _on_parameter_change(self, _change):
        if not self._holding:
            self.update()

    def set_parameters(self, w1, w2, b):
        """Move the three parameter sliders at once (one redraw), widening them if needed."""
        values = (float(w1), float(w2), float(b))
        self._holding = True
        try:
            for slider, value in zip((self.w1, self.w2, self.b), values):
                limit = max(slider.max, np.ceil(abs(value)))
                slider.min, slider.max = -limit, limit
                slider.value = value
        finally:
            self._holding = False
        self.update()

    def fit(self):
        """Run gradient descent from zero with the chosen hyperparameters; show what it learned."""
        self.model.set_params(learning_rate=self.learning_rate.value, epochs=self.epochs.value)
        self.model.fit(self.X_neuron, self.y)
        self.fit_history = list(self.model.history_.loss)
        self.fitted_parameters = (*map(float, self.model.coef_), float(self.model.intercept_))
        self.fit_line.set_data(np.arange(1, len(self.fit_history) + 1), self.fit_history)
        epoch_axis = (0, max(len(self.fit_history), 1))
        if self.live.axes[2].get_xlim() != epoch_axis:  # a Fit with as many epochs as the last one keeps the axis
            self.live.axes[2].set_xlim(*epoch_axis)
            self.live.invalidate()
        self.set_parameters(*self.fitted_parameters)

    def update(self):
        """Recompute the neuron from the sliders and redraw (called on every slider change)."""
        start = time.perf_counter()
        w = np.array([[self.w1.value], [self.w2.value]])
        self.model.set_parameters({"output.weights": w, "output.biases": np.array([self.b.value])})
        self.z = self.X_neuron @ w[:, 0] + self.b.value
        self.probabilities = sigmoid(self.z)
        self.loss = self.loss_function.value(self.z.reshape(-1, 1), self.y.reshape(-1, 1))
        self.accuracy = float(np.mean((self.z > 0) == (self.y == 1)))

        self.boundary.update(lambda points: self.model.predict_proba(self._neuron_inputs(points)))
        shown_z = np.clip(self.z, -Z_LIMIT, Z_LIMIT)
        for k, points in enumerate(self.neuron_points):
            mask = self.y == k
            points.set_offsets(np.column_stack([shown_z[mask], self._label_heights[mask]]))
        self.your_loss_line.set_ydata([self.loss, self.loss])
        describe(self.readout, self._readout_text())
        self.live.redraw()
        self.last_update_seconds = time.perf_counter() - start

    def _readout_text(self):
        correct, predicted_1 = int(round(self.accuracy * len(self.y))), int(np.sum(self.z > 0))
        text = (f"Your neuron: w1 = {self.w1.value:.2f}, w2 = {self.w2.value:.2f}, b = {self.b.value:.2f}: training "
                f"loss {self.loss:.4f}, accuracy {100 * self.accuracy:.1f} % ({correct} of {len(self.y)}); the "
                f"boundary puts {predicted_1} points on the {self.class_names[1]} side (P > 0.5) and "
                f"{len(self.y) - predicted_1} on the {self.class_names[0]} side (P ≤ 0.5; the data: "
                f"{int(np.sum(self.y == 1))} {self.class_names[1]}, {int(np.sum(self.y == 0))} {self.class_names[0]})")
        if self.fitted_parameters is not None:
            w1, w2, b = self.fitted_parameters
            text += (f". Last Fit (learning_rate = {self.model.learning_rate:g}, epochs = {self.model.epochs}): loss "
                     f"from {self.fit_history[0]:.4f} after epoch 1 to {self.fit_history[-1]:.4f} after epoch "
                     f"{len(self.fit_history)}, learned w1 = {w1:.2f}, w2 = {w2:.2f}, b = {b:.2f}")
        return text

    def _moving_artists(self):
        """What changes when a slider moves, in drawing order (the legends go on top of them: ``_legends``)."""
        ax_boundary, ax_neuron, ax_loss = self.live.axes
        return [self.boundary.image, *self.boundary.boundaries, *ax_boundary.spines.values(), *self.boundary.scatters,
                *self.neuron_points, self.fit_line, self.your_loss_line]

    def _legends(self):
        """The three legends: on top of what moves, unchanged themselves (drawn as BlittedFigure overlays)."""
        return [ax.get_legend() for ax in self.live.axes]

    def _neuron_inputs(self, X):
        return X if self.scaler is None else self.scaler.transform(X)


def _short(feature_name):
    """'bill length (mm)' -> 'bill length': a slider label without the unit."""
    return feature_name.split(" (")[0]
