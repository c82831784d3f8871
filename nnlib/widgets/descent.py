"""Gradient-descent explorer: learning rate and epochs as sliders, the path on the loss contours.

``GradientDescentExplorer(X, y)`` runs full-batch gradient descent on the line --
the steps of ``nnlib.LinearRegression``, from slope = intercept = 0 -- when the
learning rate or the scaling changes, and redraws the path of (slope, intercept)
on the contour plot of the loss and the loss curve.
A toggle switches the feature between standardised and raw millimetres, which
shows how the scale of the feature decides which learning rates work.

The paths on the line, computed without drawing, are here too, for every explorer of the line: ``gradient_map`` (the
gradient as an affine function of (slope, intercept)), ``optimizer_path`` (an nnlib optimiser's full-batch steps on
it; the optimiser explorer, ``optimizers``, takes them too) and ``line_problem`` (what an explorer draws for one
feature). The batch-size explorer's runs (``batch_runs``) build on ``gradient_map``.
"""
import warnings

import ipywidgets as widgets
import numpy as np

from ..divergence import DivergenceWarning, blown_up
from ..line import line_gradient, line_loss
from ..models import LinearRegression
from ..optim import SGD
from ..plots import PALETTE
from ..plots.axes import plain_log_ticks
from ..plots.descent import least_squares_line, plot_loss_contour, three_points
from .arguments import check_columns, check_range, check_target
from .base import NotebookWidget, describe, description_line
from .live_figure import BlittedFigure, epoch_axis_end, freeze_layout

STANDARDISED, RAW = "standardised", "raw (mm)"


class GradientDescentExplorer(NotebookWidget):
    """Sliders for the two hyperparameters of gradient descent and the path they produce.

    X (n, 1): one feature in its own units (flipper length in mm); y (n,): targets
    (body mass in g). Controls: ``learning_rate`` (log slider), ``epochs``,
    ``scaling`` (standardised or raw feature). After every change: ``model`` is the
    freshly trained LinearRegression, ``path`` (epochs_run + 1, 2) the (slope,
    intercept) after each epoch (row 0 = the start), ``losses`` (epochs_run + 1,)
    the loss at each of those points, ``diverged`` and ``message`` nnlib's verdict, ``status`` the figure in words
    (a ``description_line``).
    Gradient descent for E epochs is the first E steps of the run for the slider's
    maximum, so training happens once per learning rate and scaling; the epochs
    slider only shows a longer or shorter part of that path. ``gradient`` and ``step``:
    your line_gradient and descent_step from notebook 02 (``my_library()``'s), to run
    on them instead of nnlib's ``line_gradient`` and SGD step.
    """

    def __init__(self, X, y, learning_rate=0.1, epochs=50, scaling=STANDARDISED, max_epochs=500,
                 gradient=line_gradient, step=None):
        X = check_columns(X, 1, "GradientDescentExplorer", spread=True)
        y = check_target(y, len(X))
        check_range("max_epochs", max_epochs, 1, 100_000, whole=True)
        check_range("epochs", epochs, 1, max_epochs, whole=True, hint="Raise max_epochs for longer runs.")
        check_range("learning_rate", learning_rate, 1e-6, 10 ** 0.5)
        if scaling not in (STANDARDISED, RAW):
            raise ValueError(f"scaling must be {STANDARDISED!r} or {RAW!r}, got {scaling!r}.")
        self.y, self.gradient, self.step = y, gradient, step
        standardised = (X[:, 0] - X[:, 0].mean()) / X[:, 0].std()
        self.problems = {STANDARDISED: line_problem(standardised, y, "slope (g per SD of flipper length)", True),
                         RAW: line_problem(X[:, 0], y, "slope (g/mm)", False)}
        self.learning_rate = widgets.FloatLogSlider(
            value=learning_rate, base=10, min=-6, max=0.5, step=0.1, readout_format=".2g",
            description="learning rate", style={"description_width": "initial"},
            tooltip="learning rate (log scale): the size of each gradient-descent step")
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=max_epochs, description="epochs",
                                        tooltip="epochs: how many full-batch steps to show")
        self.scaling = widgets.ToggleButtons(options=[STANDARDISED, RAW], value=scaling, description="feature",
                                             tooltips=["flipper length in standard deviations from its mean",
                                                       "flipper length in millimetres, as measured"])
        self.status = description_line()
        self._build_figure()
        for control in (self.learning_rate, self.epochs, self.scaling):
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.learning_rate, self.epochs]), self.scaling, self.status,
                                    self.live.output])
        self._draw_surface()
        self.update()

    # --- drawing -----------------------------------------------------------------
    def _build_figure(self):
        # The learning-rate slider moves only the path, the loss curve and two texts: the
        # contours, axes and legends are drawn once (again only when the scaling or epochs change).
        self.live = BlittedFigure(lambda: (self.path_line, self.loss_line, self.verdict, self.ax_loss.title),
                                  overlays=lambda: (self.ax_contour.get_legend(), self.ax_loss.get_legend()),
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
        self.ax_contour.legend(loc="upper left", fontsize=8, framealpha=1)  # opaque: a blitted overlay
        self.loss_line, = self.ax_loss.plot([], [], color=PALETTE["vermillion"], label="training loss")
        self.minimum_line = self.ax_loss.axhline(1.0, color=PALETTE["black"], linestyle="--", linewidth=1,
                                                 label="least-squares minimum")
        self.ax_loss.set_yscale("log")
        plain_log_ticks(self.ax_loss.yaxis)
        self.ax_loss.set_xlabel("epoch")
        self.ax_loss.set_ylabel("mean squared error (g², log scale)")
        self.ax_loss.legend(loc="upper right", fontsize=8, framealpha=1)
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
        """Gradient descent for the slider's maximum of epochs at the current learning rate and scaling.

        Full-batch gradient descent is ``optimizer_path`` with nnlib's plain SGD (or your step): the steps
        LinearRegression takes (the tests check that the two paths agree), from nnlib's ``line_gradient`` (or
        yours, called three times), so 500 epochs cost a few milliseconds. If the loss explodes, nnlib's own run
        (``run``) gives the path up to where it stopped the training, and its message. Sets ``full_path`` (epochs
        run + 1, 2), ``full_losses`` and ``run``.
        """
        x, y, rate = self.problem["x"], self.y, self.learning_rate.value
        points = self.problem["points"]  # the data's loss surface on three points: cheap losses along a path
        step = SGD(0.0) if self.step is None else LineStep(self.step)
        path = optimizer_path(x, y, step, rate, self.epochs.max, self.gradient)  # shorter if the parameters blew up
        with np.errstate(over="ignore", invalid="ignore"):
            losses = line_loss(*points, path[:, 0], path[:, 1])
            # nnlib checks the loss before every step, by this rule: NaN, infinite or far above the first one.
            exploded = len(path) <= self.epochs.max or blown_up(losses[:-1], losses[0]).any()
        self.run = None
        if exploded:
            self.run = LinearRegression(learning_rate=rate, epochs=self.epochs.max)
            steps = [(0.0, 0.0)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DivergenceWarning)
                self.run.fit(x.reshape(-1, 1), y,
                             callback=lambda model: steps.append((model.coef_[0], model.intercept_)))
            path = np.array(steps)
            losses = line_loss(*points, path[:, 0], path[:, 1])
        self.full_path, self.full_losses = path, losses
        self.trained_for = (rate, self.scaling.value)

    @property
    def model(self):
        """A LinearRegression trained with exactly the current controls (fitted when first asked for)."""
        key = (self.learning_rate.value, self.scaling.value, self.epochs.value)
        if getattr(self, "_model_key", None) != key:
            self._model = LinearRegression(learning_rate=key[0], epochs=key[2])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DivergenceWarning)
                self._model.fit(self.problem["x"].reshape(-1, 1), self.y)
            self._model_key = key
        return self._model

    def update(self):
        """Train if the learning rate or scaling changed, show the first ``epochs`` steps, redraw."""
        if getattr(self, "trained_for", None) != (self.learning_rate.value, self.scaling.value):
            self.train()
        epochs = self.epochs.value
        self.path, self.losses = self.full_path[:epochs + 1], self.full_losses[:epochs + 1]
        # The run stopped early only if it diverged; within these epochs only if it stopped before their end.
        self.diverged = self.run is not None and self.run.history_.diverged and len(self.full_path) <= epochs
        self.message = self.run.history_.message if self.diverged else ""
        problem = self.problem
        self.path_line.set_data(self.path[:, 0], self.path[:, 1])
        self.loss_line.set_data(np.arange(len(self.losses)), self.losses)
        x_max = epoch_axis_end(self.epochs.value, self.ax_loss.get_xlim()[1])
        if self.ax_loss.get_xlim() != (0, x_max):
            self.ax_loss.set_xlim(0, x_max)
            self.live.invalidate()  # new epoch ticks: the static part changed
        self.ax_loss.set_title(f"Loss during training (learning rate {self.learning_rate.value:.2g})")
        settings = f"Learning rate {self.learning_rate.value:.2g}, {self.scaling.value} feature"
        if self.diverged:
            self.verdict.set_text(f"diverged in epoch {len(self.path)}: stopped by nnlib")
            self.verdict.set_color(PALETTE["vermillion"])
            describe(self.status, f"{settings}: the path leaves the loss surface and the loss grows; nnlib: "
                                  f"{self.message}")
        else:
            slope, intercept = self.path[-1]
            gap = (self.losses[-1] - problem["minimum"]) / problem["minimum"]
            above = "at the minimum (within 0.1%)" if gap < 1e-3 else f"{gap:.1%} above the minimum"
            self.verdict.set_text(f"after {len(self.path) - 1} epochs: {above}")
            self.verdict.set_color(PALETTE["black"])
            minimum = f"the minimum, {problem['minimum']:,.0f} g²"
            describe(self.status, f"{settings}, {len(self.path) - 1} epochs: the loss goes from "
                                  f"{self.losses[0]:,.0f} g² at the start (0, 0) to {self.losses[-1]:,.0f} g², "
                                  + (f"at {minimum} (within 0.1%)" if gap < 1e-3 else f"{gap:.1%} above {minimum}")
                                  + f"; the path ends at slope {slope:,.4g} {problem['slope_unit']}, intercept "
                                  f"{intercept:,.4g} g (least squares: {problem['best'][0]:,.4g}, "
                                  f"{problem['best'][1]:,.4g} g).")
        self.live.redraw()


def line_problem(x, y, slope_label, round_bowl):
    """Everything an explorer of the line draws for one scaling of the feature x (n,), targets y (n,): a dict of x,
    its ``three_points``, the least-squares ``best`` (slope, intercept) and its loss (``minimum``), the loss at the
    start (0, 0), the contour plot's ``slope_lim``, ``intercept_lim`` and ``slope_label`` ("slope (unit)"), and
    ``slope_unit`` (the unit alone)."""
    best = least_squares_line(x, y)
    if round_bowl:  # an equal-aspect square around the minimum, with room to overshoot past it
        reach = 1.2 * np.hypot(*best)
        slope_lim, intercept_lim = (best[0] - reach, best[0] + reach), (best[1] - reach, best[1] + reach)
    else:  # a window holding the start (0, 0), the minimum and the valley between them
        slope_lim = (-0.3 * abs(best[0]), 1.6 * abs(best[0]))
        intercept_lim = (min(0.0, best[1]) - 0.35 * abs(best[1]), max(0.0, best[1]) + 0.35 * abs(best[1]))
    return {"x": x, "points": three_points(x, y), "best": best, "minimum": float(line_loss(x, y, *best)),
            "start_loss": float(line_loss(x, y, 0.0, 0.0)), "slope_lim": slope_lim,
            "intercept_lim": intercept_lim, "slope_label": slope_label,
            "slope_unit": slope_label.removeprefix("slope (").removesuffix(")")}


EXPLODED = 1e9  # where optimizer_path stops a diverging run


def gradient_map(x, y, gradient=line_gradient):
    """The line's gradient as an affine function of (slope, intercept): offset (..., 2) and matrix (..., 2, 2).

    The loss is quadratic in (slope, intercept), so its gradient is affine, gradient = offset + matrix @ (slope,
    intercept), and three calls of ``gradient`` (at (0, 0), (1, 0) and (0, 1)) give it everywhere: each step then
    costs two multiply-adds instead of a pass over the data. x, y (..., n): one data set per row. ``gradient``: a
    function with nnlib's ``line_gradient``'s signature, e.g. yours (``my_library().line_gradient``); nnlib's answers
    every row at once, any other is called on each row.
    """
    def at(slope, intercept):  # the gradient at one point, for every data set: (..., 2)
        if gradient is line_gradient:
            return np.stack(gradient(x, y, slope, intercept), -1)
        rows = zip(x.reshape(-1, x.shape[-1]), y.reshape(-1, x.shape[-1]))
        return np.array([gradient(*row, slope, intercept) for row in rows], dtype=float).reshape(*x.shape[:-1], 2)

    points = [at(slope, intercept) for slope, intercept in ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))]
    return points[0], np.stack([points[1] - points[0], points[2] - points[0]], -1)


class LineStep:
    """A step function on the line's two numbers, step(slope, intercept, dslope, dintercept, learning_rate) -> (slope,
    intercept) -- yours from notebook 02, ``my_library().descent_step`` -- as an nnlib optimiser for
    ``optimizer_path``: ``step([theta], [gradient], learning_rate)`` with theta and gradient (2,)."""

    def __init__(self, step):
        self.step_function = step

    def step(self, params, grads, learning_rate):
        (theta,), (gradient,) = params, grads
        theta[:] = self.step_function(theta[0], theta[1], gradient[0], gradient[1], learning_rate)


def optimizer_path(x, y, optimizer, learning_rate, epochs, gradient=line_gradient):
    """Full-batch steps of an nnlib optimiser on the line's loss, from slope = intercept = 0.

    x, y (n,): raw feature and targets. optimizer: a fresh ``nnlib.optim.SGD`` or ``Adam`` (or a ``LineStep``); each
    step is its ``step`` on the gradient ``gradient`` gives (nnlib's ``line_gradient`` unless given; through
    ``gradient_map``). Returns the path (steps + 1, 2) of (slope, intercept); it ends early, after the step where the
    parameters exploded (beyond EXPLODED = 1e9), so a diverging run has fewer than epochs + 1 rows.
    """
    offset, matrix = gradient_map(x, y, gradient)
    (d_w, d_b), ((ww, wb), (bw, bb)) = offset.tolist(), matrix.tolist()
    theta, grad = np.zeros(2), np.zeros(2)  # one array: every optimiser treats each entry as one parameter
    path = np.empty((epochs + 1, 2))
    path[0] = theta
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, epochs + 1):
            # In Python floats, as fast_optimizer_path takes it: numpy's matrix product fuses multiply-adds on some
            # CPUs only, and Adam's path at rate 30 then differed from machine to machine.
            w, b = theta.tolist()
            grad[:] = ww * w + wb * b + d_w, bw * w + bb * b + d_b
            optimizer.step([theta], [grad], learning_rate)
            path[epoch] = theta
            if epoch % 100 == 0 or epoch == epochs:  # look for an explosion now and then: cheaper than every step
                first = epoch - (epoch - 1) % 100  # the rows since the last look
                exploded = ~(np.abs(path[first:epoch + 1]).max(axis=1) < EXPLODED)  # also catches NaN
                if exploded.any():
                    return path[:first + np.argmax(exploded) + 1]
    return path
