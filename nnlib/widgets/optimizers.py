"""Optimiser explorer (notebook 09): momentum and Adam on notebook 02's raw-millimetre valley, as sliders.

``OptimizerExplorer(X, y)`` takes the steps of ``nnlib.optim``'s SGD with momentum or Adam on the line's loss
(``descent.optimizer_path``'s, in Python floats: ``fast_optimizer_path``, bit for bit the same) and draws the path
on the loss contours, over plain gradient descent's, and how far above the minimum the loss is after each epoch
(5,000 epochs drawn from the few points that decide the pixels: ``pixel_extremes``).
"""
import math

import ipywidgets as widgets
import numpy as np

from ..line import line_gradient, line_loss
from ..optim import SGD, Adam
from ..plots import DARK_ORANGE, PALETTE
from ..plots.axes import pixel_extremes, plain_log_ticks
from ..plots.descent import plot_loss_contour, three_points
from .arguments import check_columns, check_range, check_target
from .base import NotebookWidget, describe, description_line
from .descent import EXPLODED, gradient_map, line_problem, optimizer_path
from .live_figure import BlittedFigure, freeze_layout

SGD_MOMENTUM, ADAM = "SGD + momentum", "Adam"
MOMENTUMS = (0.0, 0.5, 0.9, 0.95, 0.99, 0.995, 0.998, 0.999)
# Each optimiser's learning rates, as powers of 10: SGD's step is rate x gradient (gradients of
# millions of g² per mm here), Adam's step is about rate itself in each parameter's own units.
RATE_RANGES = {SGD_MOMENTUM: (-7, -4, 2e-5), ADAM: (-1, 2.5, 30.0)}
REFERENCE_RATE = 2e-5  # plain gradient descent's largest comfortable rate on the raw valley (notebook 02)


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
    ``reference_path``/``reference_losses`` the same for plain gradient descent, ``diverged``, ``status`` (the figure
    in words, a ``description_line``). ``gradient``: a
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
        self.problem = line_problem(self.x, y, "slope (g/mm)", False)
        low, high, default = RATE_RANGES[optimizer]
        learning_rate = default if learning_rate is None else learning_rate
        check_range(f"learning_rate for {optimizer}", learning_rate, 10.0 ** low, 10.0 ** high)
        self.rates = {name: value for name, (_, _, value) in RATE_RANGES.items()} | {optimizer: learning_rate}
        self.optimizer = widgets.ToggleButtons(options=list(RATE_RANGES), value=optimizer, description="optimiser",
                                               tooltips=["gradient descent with momentum (nnlib.optim.SGD)",
                                                         "Adam (nnlib.optim.Adam)"])
        # A new learning rate runs max_epochs optimiser steps: once, when the slider is released, not per pixel.
        self.learning_rate = widgets.FloatLogSlider(value=learning_rate, base=10, min=low, max=high, step=0.05,
                                                    readout_format=".2g", description="learning rate",
                                                    continuous_update=False, style={"description_width": "initial"})
        self.momentum = widgets.SelectionSlider(options=MOMENTUMS, value=momentum, description="momentum",
                                                disabled=optimizer == ADAM, tooltip="momentum of SGD (Adam has none)")
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=max_epochs, step=10, description="epochs")
        self.status = description_line()
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
                                    self.status, self.live.output])
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
        self.reference_line, = self.ax_contour.plot([], [], color=DARK_ORANGE, linewidth=2,
                                                    label=f"plain gradient descent (rate {REFERENCE_RATE:g})")
        self.path_line, = self.ax_contour.plot([], [], linewidth=1, color=PALETTE["blue"],
                                               label="your optimiser")
        self.ax_contour.legend(loc="upper left", fontsize=8, framealpha=1)  # opaque: a blitted overlay
        self.reference_excess, = self.ax_loss.plot([], [], color=DARK_ORANGE, linewidth=2,
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
        settings = f"{name}, learning rate {self.learning_rate.value:.2g}"
        plain = (f"plain gradient descent (rate {REFERENCE_RATE:g}, the thick line) ends at intercept "
                 f"{self.reference_path[steps, 1]:,.0f} g, {(reference[-1] - minimum) / minimum:.0%} above the minimum")
        if self.diverged:
            text = f"{name}: diverged in epoch {len(self.path) - 1}"
            describe(self.status, f"{settings}: diverged in epoch {len(self.path) - 1}. The steps overshoot across "
                                  f"the narrow valley and grow: lower the learning rate. For comparison, {plain}.")
        else:
            slope, intercept = self.path[-1]
            text = f"{name}: {(self.losses[-1] - minimum) / minimum:.2%} above the minimum"
            best_slope, best_intercept = self.problem["best"]
            describe(self.status, f"{settings}, after {steps} epochs: {(self.losses[-1] - minimum) / minimum:.2%} "
                                  f"above the minimum, at slope {slope:.4g} g/mm, intercept {intercept:,.0f} g "
                                  f"(least squares: {best_slope:.4g} g/mm, {best_intercept:,.0f} g); {plain}.")
        self.verdict.set_text(text)
        self.live.redraw()
