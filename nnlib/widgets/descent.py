"""Gradient-descent explorer: learning rate and epochs as sliders, the path on the loss contours.

``GradientDescentExplorer(X, y)`` trains ``nnlib.LinearRegression`` (full batch,
starting at slope = intercept = 0) every time a control moves, and redraws the
path of (slope, intercept) on the contour plot of the loss and the loss curve.
A toggle switches the feature between standardised and raw millimetres, which
shows how the scale of the feature decides which learning rates work.
"""
import itertools
import warnings

import ipywidgets as widgets
import numpy as np
from IPython.display import display

from ..models import LinearRegression
from ..plots import PALETTE
from ..plots.descent import least_squares_line, line_loss, plain_log_ticks, plot_loss_contour
from ..train import DivergenceWarning
from .live_figure import BlittedFigure

STANDARDISED, RAW = "standardised", "raw (mm)"


class GradientDescentExplorer:
    """Sliders for the two hyperparameters of gradient descent and the path they produce.

    X (n, 1): one feature in its own units (flipper length in mm); y (n,): targets
    (body mass in g). Controls: ``learning_rate`` (log slider), ``epochs``,
    ``scaling`` (standardised or raw feature). After every change: ``model`` is the
    freshly trained LinearRegression, ``path`` (epochs_run + 1, 2) the (slope,
    intercept) after each epoch (row 0 = the start), ``losses`` (epochs_run + 1,)
    the loss at each of those points, ``diverged`` and ``message`` nnlib's verdict.
    """

    def __init__(self, X, y, learning_rate=0.1, epochs=50, scaling=STANDARDISED, max_epochs=500):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        if X.ndim != 2 or X.shape[1] != 1 or len(X) != len(y) or len(X) < 2:
            raise ValueError(f"GradientDescentExplorer needs X of shape (n, 1) and y of shape (n,); "
                             f"got X {X.shape} and y {y.shape}. Use X, y = nnlib.load_penguins().")
        self.y = y
        mean, std = X[:, 0].mean(), X[:, 0].std()
        self.problems = {STANDARDISED: _problem((X[:, 0] - mean) / std, y, "slope (g per SD of flipper length)", True),
                         RAW: _problem(X[:, 0], y, "slope (g/mm)", False)}
        self.learning_rate = widgets.FloatLogSlider(
            value=learning_rate, base=10, min=-6, max=0.5, step=0.1, readout_format=".2g",
            description="learning rate", style={"description_width": "initial"})
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=max_epochs, description="epochs")
        self.scaling = widgets.ToggleButtons(options=[STANDARDISED, RAW], value=scaling, description="feature")
        self.status = widgets.HTML()
        self._build_figure()
        for control in (self.learning_rate, self.epochs, self.scaling):
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.learning_rate, self.epochs]), self.scaling,
                                    self.live.output, self.status])
        self._draw_surface()
        self.update()

    # --- drawing -----------------------------------------------------------------
    def _build_figure(self):
        # The learning-rate slider moves only the path, the loss curve and two texts: the
        # contours, axes and legends are drawn once (again only when the scaling or epochs change).
        self.live = BlittedFigure(lambda: (self.path_line, self.loss_line, self.verdict, self.ax_loss.title),
                                  ncols=2, figsize=(10.5, 4.3))
        self.ax_contour, self.ax_loss = self.live.axes
        self.contours = None
        self.path_line, = self.ax_contour.plot([], [], marker="o", markersize=3, linewidth=1.2,
                                               color=PALETTE["vermillion"], label="gradient-descent path")
        self.start_marker, = self.ax_contour.plot([0], [0], marker="o", markersize=9, markerfacecolor="none",
                                                  markeredgecolor=PALETTE["black"], linestyle="none",
                                                  label="start (0, 0)")
        self.minimum_marker, = self.ax_contour.plot([], [], marker="*", markersize=14, color=PALETTE["black"],
                                                    linestyle="none", label="least-squares minimum")
        self.ax_contour.legend(loc="upper left", fontsize=8)
        self.loss_line, = self.ax_loss.plot([], [], color=PALETTE["vermillion"], label="training loss")
        self.minimum_line = self.ax_loss.axhline(1.0, color=PALETTE["black"], linestyle="--", linewidth=1,
                                                 label="least-squares minimum")
        self.ax_loss.set_yscale("log")
        plain_log_ticks(self.ax_loss.yaxis)
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("mean squared error (g², log scale)")
        self.ax_loss.legend(loc="upper right", fontsize=8)
        self.verdict = self.ax_loss.text(0.97, 0.8, "", transform=self.ax_loss.transAxes, fontsize=9, ha="right")

    def _draw_surface(self):
        """Contours and limits for the current scaling (only when the toggle changes)."""
        problem = self.problem
        if self.contours is not None:
            self.contours.remove()
        self.contours = plot_loss_contour(self.ax_contour, problem["x"], self.y, problem["slope_lim"],
                                          problem["intercept_lim"], slope_label=problem["slope_label"],
                                          title=f"Loss surface, {self.scaling.value} feature", mark_minimum=False)
        self.ax_contour.set_aspect("equal" if self.scaling.value == STANDARDISED else "auto", adjustable="box")
        self.minimum_marker.set_data([problem["best"][0]], [problem["best"][1]])
        self.minimum_line.set_ydata([problem["minimum"]] * 2)
        self.ax_loss.set_ylim(problem["minimum"] * 0.7, problem["start_loss"] * 20)
        self.ax_loss.set_xlim(0, self.epochs.max)  # lay out with the widest epoch labels
        freeze_layout(self.live.figure)
        self.live.invalidate()

    @property
    def problem(self):
        """The data and plot ranges for the current scaling: x, best, minimum, limits, labels."""
        return self.problems[self.scaling.value]

    # --- updating ------------------------------------------------------------------
    def _on_change(self, change):
        if change["owner"] is self.scaling:
            self._draw_surface()
        self.update()

    def train(self):
        """Fit a fresh LinearRegression with the current controls; set model, path, losses, diverged, message."""
        problem = self.problem
        self.model = LinearRegression(learning_rate=self.learning_rate.value, epochs=self.epochs.value)
        points = [(0.0, 0.0)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DivergenceWarning)
            self.model.fit(problem["x"].reshape(-1, 1), self.y,
                           callback=lambda model: points.append((model.coef_[0], model.intercept_)))
        self.path = np.array(points)
        self.losses = line_loss(problem["x"], self.y, self.path[:, 0], self.path[:, 1])
        self.diverged, self.message = self.model.history_.diverged, self.model.history_.message

    def update(self):
        """Retrain, move the artists to the new path and loss curve, redraw the figure."""
        self.train()
        problem = self.problem
        self.path_line.set_data(self.path[:, 0], self.path[:, 1])
        self.loss_line.set_data(np.arange(len(self.losses)), self.losses)
        x_max = _round_up(self.epochs.value)
        if self.ax_loss.get_xlim() != (0, x_max):
            self.ax_loss.set_xlim(0, x_max)
            self.live.invalidate()  # new epoch ticks: the static part changed
        self.ax_loss.set_title(f"Loss during training (learning rate {self.learning_rate.value:.2g})")
        if self.diverged:
            self.verdict.set_text(f"diverged in epoch {len(self.path)}: stopped by nnlib")
            self.verdict.set_color(PALETTE["vermillion"])
            self.status.value = f"<b style='color:{PALETTE['vermillion']}'>nnlib:</b> {self.message}"
        else:
            slope, intercept = self.path[-1]
            gap = (self.losses[-1] - problem["minimum"]) / problem["minimum"]
            above = "at the minimum (within 0.1%)" if gap < 1e-3 else f"{gap:.1%} above the minimum"
            self.verdict.set_text(f"after {len(self.path) - 1} epochs: {above}")
            self.verdict.set_color(PALETTE["black"])
            self.status.value = (
                f"After {len(self.path) - 1} epochs: slope = {slope:.4g}, intercept = {intercept:.5g} g "
                f"(least squares: {problem['best'][0]:.4g}, {problem['best'][1]:.5g} g); "
                f"loss = {self.losses[-1]:,.0f} g² (minimum {problem['minimum']:,.0f} g²).")
        self.live.redraw()

    def _ipython_display_(self):
        display(self.widget)


def _round_up(epochs):
    """The epoch axis ends at the next of 10, 20, 50, 100, 200, 500, ...: most slider moves keep
    the axis, so only the moving artists are redrawn."""
    limit = 10
    for factor in itertools.cycle((2, 2.5, 2)):
        if limit >= epochs:
            return limit
        limit = int(limit * factor)


def freeze_layout(figure):
    """Lay the figure out once now (constrained layout), then keep those positions.

    A live figure's layout only changes when its labels do; skipping the layout
    engine on every redraw makes a slider update about a quarter faster.
    """
    figure.set_layout_engine("constrained")
    figure.draw_without_rendering()
    figure.set_layout_engine("none")


def _problem(x, y, slope_label, round_bowl):
    """Everything the widget draws for one scaling of the feature x (n,)."""
    best = least_squares_line(x, y)
    if round_bowl:  # an equal-aspect square around the minimum, with room to overshoot past it
        reach = 1.2 * np.hypot(*best)
        slope_lim, intercept_lim = (best[0] - reach, best[0] + reach), (best[1] - reach, best[1] + reach)
    else:  # a window holding the start (0, 0), the minimum and the valley between them
        slope_lim = (-0.3 * abs(best[0]), 1.6 * abs(best[0]))
        intercept_lim = (min(0.0, best[1]) - 0.35 * abs(best[1]), max(0.0, best[1]) + 0.35 * abs(best[1]))
    return {"x": x, "best": best, "minimum": float(line_loss(x, y, *best)),
            "start_loss": float(line_loss(x, y, 0.0, 0.0)), "slope_lim": slope_lim,
            "intercept_lim": intercept_lim, "slope_label": slope_label}
