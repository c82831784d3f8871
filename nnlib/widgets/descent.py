"""Gradient-descent explorer: learning rate and epochs as sliders, the path on the loss contours.

``GradientDescentExplorer(X, y)`` runs full-batch gradient descent on the line --
the steps of ``nnlib.LinearRegression``, from slope = intercept = 0 -- when the
learning rate or the scaling changes, and redraws the path of (slope, intercept)
on the contour plot of the loss and the loss curve.
A toggle switches the feature between standardised and raw millimetres, which
shows how the scale of the feature decides which learning rates work.
"""
import math
import warnings

import ipywidgets as widgets
import numpy as np

from ..divergence import DivergenceWarning, blown_up
from ..line import line_gradient, line_loss
from ..models import LinearRegression
from ..optim import SGD, Adam
from ..plots import PALETTE
from ..plots.descent import least_squares_line, plain_log_ticks, plot_loss_contour, three_points
from .base import NotebookWidget
from .checks import check_columns, check_range, check_target
from .live_figure import BlittedFigure, epoch_axis_end

STANDARDISED, RAW = "standardised", "raw (mm)"


class GradientDescentExplorer(NotebookWidget):
    """Sliders for the two hyperparameters of gradient descent and the path they produce.

    X (n, 1): one feature in its own units (flipper length in mm); y (n,): targets
    (body mass in g). Controls: ``learning_rate`` (log slider), ``epochs``,
    ``scaling`` (standardised or raw feature). After every change: ``model`` is the
    freshly trained LinearRegression, ``path`` (epochs_run + 1, 2) the (slope,
    intercept) after each epoch (row 0 = the start), ``losses`` (epochs_run + 1,)
    the loss at each of those points, ``diverged`` and ``message`` nnlib's verdict.
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

def freeze_layout(figure):
    """Lay the figure out once now (constrained layout), then keep those positions.

    A live figure's layout only changes when its labels do; skipping the layout
    engine on every redraw makes a slider update about a quarter faster.
    """
    figure.set_layout_engine("constrained")
    figure.draw_without_rendering()
    figure.set_layout_engine("none")


def pixel_extremes(axes, y):
    """The points of a curve y (n,) against 0, 1, ..., n - 1 that decide how it looks on ``axes``: in each pixel
    column, the first, last, lowest and highest point, in their order ("M4", Jugel et al., VLDB 2014).

    Returns (x, y) with 4 points per column (more only where values tie): matplotlib rasterises them several times
    faster than a 5,000-point curve that swings up and down, and every pixel either drawing inks has ink within one
    pixel in the other; only antialiased edges differ (the tests compare the frames). A curve with NaN or infinite
    values is returned whole.
    """
    x = np.arange(len(y))
    if not np.isfinite(y).all():
        return x, y
    column = np.floor(axes.transData.transform(np.column_stack([x, np.ones(len(y))]))[:, 0])
    first = np.flatnonzero(np.diff(column, prepend=-np.inf))  # where each column starts
    counts = np.diff(first, append=len(y))
    low, high = (np.repeat(extreme.reduceat(y, first), counts) for extreme in (np.minimum, np.maximum))
    keep = (y == low) | (y == high)
    keep[first] = keep[first - 1] = True  # each column's first and last point (first - 1 = -1: the last column's)
    return x[keep], y[keep]


def _problem(x, y, slope_label, round_bowl):
    """Everything the widget draws for one scaling of the feature x (n,)."""
    best = least_squares_line(x, y)
    if round_bowl:  # an equal-aspect square around the minimum, with room to overshoot past it
        reach = 1.2 * np.hypot(*best)
        slope_lim, intercept_lim = (best[0] - reach, best[0] + reach), (best[1] - reach, best[1] + reach)
    else:  # a window holding the start (0, 0), the minimum and the valley between them
        slope_lim = (-0.3 * abs(best[0]), 1.6 * abs(best[0]))
        intercept_lim = (min(0.0, best[1]) - 0.35 * abs(best[1]), max(0.0, best[1]) + 0.35 * abs(best[1]))
    return {"x": x, "points": three_points(x, y), "best": best, "minimum": float(line_loss(x, y, *best)),
            "start_loss": float(line_loss(x, y, 0.0, 0.0)), "slope_lim": slope_lim,
            "intercept_lim": intercept_lim, "slope_label": slope_label}


SGD_MOMENTUM, ADAM = "SGD + momentum", "Adam"
MOMENTUMS = (0.0, 0.5, 0.9, 0.95, 0.99, 0.995, 0.998, 0.999)
# Each optimiser's learning rates, as powers of 10: SGD's step is rate x gradient (gradients of
# millions of g² per mm here), Adam's step is about rate itself in each parameter's own units.
RATE_RANGES = {SGD_MOMENTUM: (-7, -4, 2e-5), ADAM: (-1, 2.5, 30.0)}
REFERENCE_RATE = 2e-5  # plain gradient descent's largest comfortable rate on the raw valley (notebook 02)
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


def fast_optimizer_path(x, y, optimizer, learning_rate, epochs, gradient=line_gradient):
    """``optimizer_path`` for a fresh nnlib ``SGD`` or ``Adam``, ten times faster: the same steps in Python floats.

    Same arguments and result: the tests check that the two paths are equal, bit for bit. Each step is the optimiser's
    own update (``nnlib.optim``) written out on the two numbers, where optimizer_path calls numpy on arrays of two. A
    path that comes within a tenth of the explosion limit is handed to optimizer_path, so nnlib's optimiser decides
    where it ends; so is any other optimiser.
    """
    offset, matrix = gradient_map(x, y, gradient)
    steps = {SGD: _momentum_steps, Adam: _adam_steps}.get(type(optimizer))
    if steps is not None and getattr(optimizer, "eps", 1) > 0:  # Adam(eps=0) could divide by zero in floats
        path = np.array(steps(optimizer, offset.tolist() + matrix.ravel().tolist(), learning_rate, epochs))
        if np.abs(path).max() < EXPLODED / 10:  # False for NaN too
            return path.reshape(-1, 2)
    return optimizer_path(x, y, optimizer, learning_rate, epochs, gradient)


def _momentum_steps(sgd, coefficients, learning_rate, epochs):
    """nnlib's ``SGD.step`` on (slope, intercept):  v = momentum v - learning_rate g;  theta += v.
    coefficients: gradient_map's offset (2,) and matrix (2, 2) in one list of 6; returns [w0, b0, w1, b1, ...]."""
    d_w, d_b, ww, wb, bw, bb = coefficients
    w = b = v_w = v_b = 0.0
    path, momentum = [w, b], sgd.momentum
    for _ in range(epochs):
        g_w, g_b = ww * w + wb * b + d_w, bw * w + bb * b + d_b
        v_w, v_b = v_w * momentum - learning_rate * g_w, v_b * momentum - learning_rate * g_b
        w, b = w + v_w, b + v_b
        path += w, b
    return path


def _adam_steps(adam, coefficients, learning_rate, epochs):
    """nnlib's ``Adam.step`` on (slope, intercept), as _momentum_steps does SGD's (its maths: ``nnlib.optim.Adam``)."""
    d_w, d_b, ww, wb, bw, bb = coefficients
    w = b = m_w = m_b = v_w = v_b = 0.0
    path, beta1, beta2, eps = [w, b], adam.beta1, adam.beta2, adam.eps
    for t in range(1, epochs + 1):
        g_w, g_b = ww * w + wb * b + d_w, bw * w + bb * b + d_b
        step_size = learning_rate * (1 - beta2**t) ** 0.5 / (1 - beta1**t)
        m_w, m_b = m_w * beta1 + (1 - beta1) * g_w, m_b * beta1 + (1 - beta1) * g_b
        v_w, v_b = v_w * beta2 + (1 - beta2) * g_w * g_w, v_b * beta2 + (1 - beta2) * g_b * g_b
        w, b = w - step_size * m_w / (math.sqrt(v_w) + eps), b - step_size * m_b / (math.sqrt(v_b) + eps)
        path += w, b
    return path


class OptimizerExplorer(NotebookWidget):
    """Momentum and Adam on notebook 02's raw-millimetre valley, with step size and momentum as sliders.

    X (n, 1): flipper length in raw mm; y (n,): body mass in g. On the raw feature the loss is a
    long, narrow, tilted valley (its curvatures differ 8.35 million-fold). Every change of the optimiser,
    learning rate or momentum takes the steps of ``nnlib.optim``'s own optimiser for ``max_epochs`` full-batch
    epochs (``optimizer_path``'s, in Python floats: ``fast_optimizer_path``) and draws the path over plain
    gradient descent's (learning rate 2e-5, orange); the epochs slider only shows the first E steps of that
    path, without recomputing, and a setting seen lately (one of the last PATHS_KEPT) shows its kept path again.
    After every change: ``path`` (epochs + 1, 2) or shorter when diverged, ``losses`` along it,
    ``reference_path``/``reference_losses`` the same for plain gradient descent, ``diverged``. ``gradient``: a
    function with ``nnlib.line.line_gradient``'s signature that every path steps on, e.g. yours from notebook 02.
    """

    PATHS_KEPT = 32  # 32 paths of 5,000 steps: 5 MB

    def __init__(self, X, y, optimizer=SGD_MOMENTUM, learning_rate=None, momentum=0.9, epochs=2000, max_epochs=5000,
                 gradient=line_gradient):
        X = check_columns(X, 1, "OptimizerExplorer", spread=True)
        y = check_target(y, len(X))
        if optimizer not in RATE_RANGES:
            raise ValueError(f"optimizer must be {SGD_MOMENTUM!r} or {ADAM!r}, got {optimizer!r}.")
        if momentum not in MOMENTUMS:
            raise ValueError(f"momentum must be one of {MOMENTUMS}, got {momentum!r}.")
        check_range("max_epochs", max_epochs, 10, 100_000, whole=True)
        check_range("epochs", epochs, 1, max_epochs, whole=True, hint="Raise max_epochs for longer runs.")
        self.x, self.y, self.gradient = X[:, 0], y, gradient
        self.problem = _problem(self.x, y, "slope (g/mm)", False)
        low, high, default = RATE_RANGES[optimizer]
        learning_rate = default if learning_rate is None else learning_rate
        check_range(f"learning_rate for {optimizer}", learning_rate, 10.0 ** low, 10.0 ** high)
        self.rates = {name: value for name, (_, _, value) in RATE_RANGES.items()} | {optimizer: learning_rate}
        self.optimizer = widgets.ToggleButtons(options=list(RATE_RANGES), value=optimizer, description="optimiser")
        # A new learning rate runs max_epochs optimiser steps: once, when the slider is released, not per pixel.
        self.learning_rate = widgets.FloatLogSlider(value=learning_rate, base=10, min=low, max=high, step=0.05,
                                                    readout_format=".2g", description="learning rate",
                                                    continuous_update=False, style={"description_width": "initial"})
        self.momentum = widgets.SelectionSlider(options=MOMENTUMS, value=momentum, description="momentum",
                                                disabled=optimizer == ADAM)
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=max_epochs, step=10, description="epochs")
        self.status = widgets.HTML()
        self._paths = {}  # (optimiser, learning rate, momentum) -> (path, losses), see update()
        self.reference_path = fast_optimizer_path(self.x, y, SGD(0.0), REFERENCE_RATE, max_epochs, gradient)
        self.points = three_points(self.x, y)  # the data's loss surface on three points: cheap losses along a path
        self.reference_losses = line_loss(*self.points, *self.reference_path.T)
        self._build_figure()
        self.optimizer.observe(self._on_optimizer, names="value")
        self._switching = False
        for control in (self.learning_rate, self.momentum):
            control.observe(lambda change: self._switching or self.update(), names="value")
        self.epochs.observe(lambda change: self.show(), names="value")
        self.widget = widgets.VBox([self.optimizer, widgets.HBox([self.learning_rate, self.momentum]), self.epochs,
                                    self.live.output, self.status])
        self.update()

    def _build_figure(self):
        problem = self.problem
        self.live = BlittedFigure(lambda: (self.reference_line, self.path_line, self.excess_line, self.reference_excess,
                                           self.verdict),
                                  overlays=lambda: (self.ax_contour.get_legend(), self.ax_loss.get_legend()),
                                  ncols=2, figsize=(10.5, 4.3))
        self.ax_contour, self.ax_loss = self.live.axes
        plot_loss_contour(self.ax_contour, self.x, self.y, problem["slope_lim"], problem["intercept_lim"],
                          slope_label="slope (g/mm)", title="Loss surface, raw feature (mm)")
        self.reference_line, = self.ax_contour.plot([], [], color=PALETTE["orange"], linewidth=2,
                                                    label=f"plain gradient descent (rate {REFERENCE_RATE:g})")
        self.path_line, = self.ax_contour.plot([], [], linewidth=1, color=PALETTE["blue"],
                                               label="your optimiser")
        self.ax_contour.legend(loc="upper left", fontsize=8, framealpha=1)  # opaque: a blitted overlay
        self.reference_excess, = self.ax_loss.plot([], [], color=PALETTE["orange"], linewidth=2,
                                                   label="plain gradient descent")
        self.excess_line, = self.ax_loss.plot([], [], color=PALETTE["blue"], label="your optimiser")
        self.ax_loss.set(yscale="log", ylim=(1e-5, 1e3), xlim=(0, self.epochs.max), xlabel="epoch",
                         ylabel="(loss - minimum) / minimum (log scale)",
                         title="How far above the least-squares minimum")
        plain_log_ticks(self.ax_loss.yaxis)
        self.ax_loss.legend(loc="lower left", fontsize=8, framealpha=1)
        self.verdict = self.ax_loss.text(0.97, 0.92, "", transform=self.ax_loss.transAxes, fontsize=9, ha="right")
        freeze_layout(self.live.figure)

    def _on_optimizer(self, change):
        """Each optimiser keeps its own learning rate (their scales differ by a million)."""
        self.rates[change["old"]] = self.learning_rate.value
        low, high, _ = RATE_RANGES[change["new"]]
        self._switching = True  # one update below, not one per changed slider
        try:
            self.learning_rate.min, self.learning_rate.max = -10, 10  # never clamp in between
            self.learning_rate.value = self.rates[change["new"]]
            self.learning_rate.min, self.learning_rate.max = low, high
        finally:
            self._switching = False
        self.momentum.disabled = change["new"] == ADAM
        self.update()

    def update(self):
        """Run the chosen optimiser for max_epochs steps, then show the first ``epochs`` of them.

        The last PATHS_KEPT paths are kept: going back to a setting (learning rates compared back and forth)
        shows its path again without running it again."""
        key = (self.optimizer.value, self.learning_rate.value, self.momentum.value)
        if key not in self._paths:
            optimizer = SGD(self.momentum.value) if self.optimizer.value == SGD_MOMENTUM else Adam()
            path = fast_optimizer_path(self.x, self.y, optimizer, self.learning_rate.value, self.epochs.max,
                                       self.gradient)
            self._paths[key] = path, line_loss(*self.points, *path.T)
            if len(self._paths) > self.PATHS_KEPT:
                del self._paths[next(iter(self._paths))]  # the oldest
        self.full_path, self.full_losses = self._paths[key]
        self.show()

    def show(self):
        """Draw the first ``epochs`` steps of the computed paths (no training)."""
        steps = self.epochs.value
        self.path, self.losses = self.full_path[:steps + 1], self.full_losses[:steps + 1]
        self.diverged = len(self.full_path) <= steps
        minimum = self.problem["minimum"]
        reference = self.reference_losses[:steps + 1]
        self.reference_line.set_data(*self.reference_path[:steps + 1].T)
        self.path_line.set_data(*self.path.T)
        # 5,000 epochs on 400 pixels: each line is drawn with the few points that decide its pixels.
        self.reference_excess.set_data(*pixel_extremes(self.ax_loss, (reference - minimum) / minimum))
        self.excess_line.set_data(*pixel_extremes(self.ax_loss, (self.losses - minimum) / minimum))
        name = self.optimizer.value + (f" {self.momentum.value:g}" if self.optimizer.value == SGD_MOMENTUM else "")
        if self.diverged:
            text = f"{name}: diverged in epoch {len(self.path) - 1}"
            self.status.value = (f"<b>{text}.</b> The steps overshoot across the narrow valley and grow: "
                                 f"lower the learning rate.")
        else:
            slope, intercept = self.path[-1]
            text = f"{name}: {(self.losses[-1] - minimum) / minimum:.2%} above the minimum"
            self.status.value = (f"After {steps} epochs: slope {slope:.4g} g/mm, intercept {intercept:,.0f} g "
                                 f"(least squares: {self.problem['best'][0]:.4g}, {self.problem['best'][1]:,.0f}); "
                                 f"plain gradient descent: intercept {self.reference_path[steps, 1]:,.0f} g, "
                                 f"{(reference[-1] - minimum) / minimum:.0%} above the minimum.")
        self.verdict.set_text(text)
        self.live.redraw()
