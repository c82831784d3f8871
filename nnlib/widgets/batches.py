"""Batch-size explorer: full-batch, mini-batch and stochastic gradient descent side by side.

``BatchSizeExplorer(X, y)`` follows ``nnlib.LinearRegression``'s gradient descent
once per batch size (on the standardised feature; ``batch_runs.SummedRun``, on your line_gradient if given) and draws,
for each, the path of (slope, intercept) after every step, the loss against epochs or
iterations, and the measured time per epoch (``batch_runs.seconds_per_epoch``). Controls: which batch sizes to show,
learning rate, epochs, seed, shuffle, and the loss curve's x-axis.
"""
import ipywidgets as widgets
import numpy as np

from ..input_checks import check_count
from ..line import line_gradient, line_loss
from ..plots import PALETTE
from ..plots.axes import SERIES_MARKERS, pixel_extremes, plain_log_ticks, series_marks
from ..plots.batches import BATCH_COLORS, batch_label, iterations_per_epoch, plot_cost_per_epoch
from ..plots.descent import least_squares_line, plot_loss_contour, three_points
from .arguments import check_bool, check_columns, check_range, check_target
from .base import NotebookWidget, describe, description_line
from .batch_runs import SummedRun, sample_maps, seconds_per_epoch
from .live_figure import BlittedFigure, epoch_axis_end, freeze_layout


class BatchSizeExplorer(NotebookWidget):
    """Compare gradient descent with several batch sizes on one line-fitting problem.

    X (n, 1) one feature in its own units; y (n,) targets. The feature is
    standardised inside. ``batch_sizes``: the sizes offered (None = full batch).
    After every change: ``runs[b]`` holds, for each shown batch size b, the ``run`` (a SummedRun trained for
    at least the chosen epochs; runs are cached and extended; ``run.model`` is the fitted LinearRegression),
    the ``path`` (steps + 1, 2) for the chosen epochs, ``losses`` at each point of the
    path, ``iterations_per_epoch``, ``seconds_per_epoch`` and ``diverged``.
    ``seconds_per_epoch[b]``: an epoch's wall time for every offered batch size, measured once when the
    explorer is built (the bars of the cost panel). ``status`` says which runs diverged, if any; ``description``
    says in words what the figure shows (a ``description_line``).
    The runs of the last SETTINGS_KEPT settings (learning rate, seed, shuffle) are kept: going back to
    one shows its runs again without training them again. ``gradient``: a function with nnlib's ``line_gradient``'s
    signature, e.g. yours from notebook 02, that every run steps on (called three times per sample, once:
    ``sample_maps``).
    """

    SETTINGS_KEPT = 32  # at 30 epochs a setting's four runs take 1.7 MB: at most about 55 MB

    def __init__(self, X, y, batch_sizes=(1, 8, 32, None), learning_rate=0.05, epochs=10, seed=0,
                 shuffle=True, max_epochs=30, gradient=line_gradient):
        X = check_columns(X, 1, "BatchSizeExplorer", spread=True)
        y = check_target(y, len(X))
        max_epochs = check_count("max_epochs", max_epochs)
        self.batch_sizes = _check_batch_sizes(batch_sizes, len(X))
        check_range("learning_rate", learning_rate, 0.001, 10 ** -0.5)
        check_range("epochs", epochs, 1, max_epochs, whole=True, hint="Raise max_epochs for more.")
        check_range("seed", seed, 0, 9, whole=True)
        check_bool("shuffle", shuffle)
        self.n = len(X)
        self.x = (X[:, 0] - X[:, 0].mean()) / X[:, 0].std()
        self.y, self.maps = y, sample_maps(self.x, y, gradient)
        self.max_epochs = max_epochs
        self.best = least_squares_line(self.x, y)
        self.points = three_points(self.x, y)  # the data's loss surface on three points: cheap losses along a path
        self.minimum = float(line_loss(*self.points, *self.best))
        self._cache = {}
        self.seconds_per_epoch = {b: seconds_per_epoch(self.x.reshape(-1, 1), y, None if b >= self.n else b,
                                                       learning_rate) for b in self.batch_sizes}
        self.show = {b: widgets.ToggleButton(value=True, description=batch_label(b, self.n),
                                             tooltip=f"show or hide the run with {batch_label(b, self.n)}",
                                             layout=widgets.Layout(width="auto")) for b in self.batch_sizes}
        self.learning_rate = widgets.FloatLogSlider(
            value=learning_rate, base=10, min=-3, max=-0.5, step=0.1, readout_format=".2g",
            description="learning rate", continuous_update=False, style={"description_width": "initial"})
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=max_epochs, description="epochs")
        self.seed = widgets.IntSlider(value=seed, min=0, max=9, description="seed", continuous_update=False,
                                      tooltip="seed of the random order of the samples in each epoch")
        self.shuffle = widgets.Checkbox(value=shuffle, description="shuffle every epoch")
        self.x_axis = widgets.ToggleButtons(options=["epochs", "iterations"], value="epochs",
                                            description="loss against")
        self.status, self.description = widgets.HTML(), description_line()
        self._build_figure()
        for control in (*self.show.values(), self.learning_rate, self.epochs, self.seed, self.shuffle, self.x_axis):
            control.observe(lambda change: self.update(), names="value")
        self.widget = widgets.VBox([
            widgets.HBox([widgets.Label("show:"), *self.show.values()]),
            widgets.HBox([self.learning_rate, self.epochs]),
            widgets.HBox([self.seed, self.shuffle]), self.x_axis, self.description, self.live.output, self.status])
        self.update()

    # --- drawing -----------------------------------------------------------------
    def _build_figure(self):
        # Paths and loss curves move; contours, axes, legends and the cost panel are drawn once
        # (again only when the loss axis changes).
        self.live = BlittedFigure(lambda: (*self.path_lines.values(), *self.zoom_lines.values(),
                                           *self.loss_lines.values()),
                                  nrows=2, ncols=2, figsize=(11, 7.6))
        (self.ax_path, self.ax_zoom), (self.ax_loss, self.ax_cost) = self.live.axes
        slope, intercept = self.best
        reach = 1.15 * np.hypot(slope, intercept)
        zoom = 0.06 * reach
        slope_label = "slope (g per SD of flipper length)"
        plot_loss_contour(self.ax_path, self.x, self.y, (slope - reach, slope + reach),
                          (intercept - reach, intercept + reach), slope_label=slope_label,
                          title="Paths of (slope, intercept), one point per step")
        plot_loss_contour(self.ax_zoom, self.x, self.y, (slope - zoom, slope + zoom),
                          (intercept - zoom, intercept + zoom), slope_label=slope_label,
                          title="Zoom: near the minimum, one dot per step")
        for ax in (self.ax_path, self.ax_zoom):
            ax.set_aspect("equal")
        self.path_lines, self.zoom_lines, self.loss_lines = {}, {}, {}
        for i, b in enumerate(self.batch_sizes):
            color = BATCH_COLORS[i % len(BATCH_COLORS)]
            style = {"color": color, "linewidth": 1.0, "solid_joinstyle": "bevel"}  # as round at 1 px
            marker = SERIES_MARKERS[i % len(SERIES_MARKERS)]  # each batch size its own mark, not only its colour
            self.path_lines[b], = self.ax_path.plot([], [], label=batch_label(b, self.n), **style)
            # Dots, not a line: thousands of crossing 20-pixel segments would hide the rings and cost
            # 13 ms a frame to draw; a dot is drawn once and stamped.
            self.zoom_lines[b], = self.ax_zoom.plot([], [], linestyle="none", marker="o", markersize=2.2,
                                                    markeredgewidth=0, color=color)
            self.loss_lines[b], = self.ax_loss.plot([], [], label=batch_label(b, self.n), marker=marker,
                                                    markersize=5, **style)
        self.ax_loss.axhline(self.minimum, color=PALETTE["black"], linestyle="--", linewidth=1,
                             label="least-squares minimum")
        self.ax_loss.set_yscale("log")
        plain_log_ticks(self.ax_loss.yaxis)
        self.ax_loss.set_ylabel("training loss, all samples (g², log scale)")
        self.ax_loss.set_ylim(self.minimum * 0.9, float(line_loss(self.x, self.y, 0.0, 0.0)) * 1.5)
        self.ax_loss.set_title("Loss after every step")
        self.path_legend = self.ax_path.legend(loc="upper left", fontsize=7)
        self.loss_legend = self.ax_loss.legend(loc="upper right", fontsize=7)
        self.cost_bars = plot_cost_per_epoch(self.ax_cost, self.batch_sizes,
                                             [self.seconds_per_epoch[b] for b in self.batch_sizes], self.n,
                                             colors=[BATCH_COLORS[i % len(BATCH_COLORS)]
                                                     for i in range(len(self.batch_sizes))])
        self.cost_texts = []
        for bar, b in zip(self.cost_bars, self.batch_sizes):
            steps = iterations_per_epoch(self.n, b)
            self.cost_texts.append(self.ax_cost.text(
                bar.get_width() * 1.15, bar.get_y() + bar.get_height() / 2,
                f"{bar.get_width():.2g} ms ({steps} step{'s' * (steps > 1)})", va="center", fontsize=8))
        plain_log_ticks(self.ax_cost.xaxis)
        self.ax_cost.set_xlim(1e-3, 1e3)
        self.ax_cost.set_title("Cost of one epoch (steps per epoch in brackets)")
        self._x_axis_drawn = None
        self._layout_frozen = False

    # --- updating ------------------------------------------------------------------
    def _run(self, batch_size):
        key = (batch_size, self.learning_rate.value, self.seed.value, self.shuffle.value)
        if key not in self._cache:
            self._cache[key] = SummedRun(self.x, self.y, self.learning_rate.value,
                                         None if batch_size >= self.n else batch_size, self.seed.value,
                                         self.shuffle.value, self.max_epochs, self.maps)
            if len(self._cache) > self.SETTINGS_KEPT * len(self.batch_sizes):
                del self._cache[next(iter(self._cache))]  # the oldest run
        return self._cache[key].extend_to(self.epochs.value)

    def update(self):
        """Train (or reuse) each shown batch size's run, move the artists, redraw."""
        self.runs = {}
        diverged = []
        per_iteration = self.x_axis.value == "iterations"
        for b in self.batch_sizes:
            shown = self.show[b].value
            for line in (self.path_lines[b], self.zoom_lines[b], self.loss_lines[b]):
                line.set_visible(shown)
            if not shown:
                continue
            recorded = self._run(b)
            per_epoch = iterations_per_epoch(self.n, b)
            path = recorded.path[: self.epochs.value * per_epoch + 1]
            run = {"run": recorded, "path": path, "iterations_per_epoch": per_epoch,
                   "losses": line_loss(*self.points, path[:, 0], path[:, 1]),
                   "seconds_per_epoch": self.seconds_per_epoch[b], "diverged": recorded.diverged}
            self.runs[b] = run
            for line in (self.path_lines[b], self.zoom_lines[b]):
                line.set_data(run["path"][:, 0], run["path"][:, 1])
            if run["diverged"]:
                diverged.append(batch_label(b, self.n))
        self.status.value = (f"<b style='color:{PALETTE['vermillion']}'>Diverged:</b> {', '.join(diverged)} "
                             f"(the loss grew without bound, so training stopped). Try a lower learning rate."
                             if diverged else "")
        if self._x_axis_drawn != self.x_axis.value:
            self.ax_loss.set_xscale("log" if per_iteration else "linear")
            if per_iteration:
                plain_log_ticks(self.ax_loss.xaxis)
            self.ax_loss.set_xlabel("iteration = parameter update (log scale)" if per_iteration else "epoch")
            self._x_axis_drawn = self.x_axis.value
            self.live.invalidate()
        self._set_loss_xlim(per_iteration)
        if not self._layout_frozen:  # lay out once; the labels that decide the margins never change
            freeze_layout(self.live.figure)
            self._layout_frozen = True
        for b, run in self.runs.items():  # on the axes' final place and limits: their pixel columns pick the points
            steps = np.arange(len(run["path"]))
            x, y = pixel_extremes(self.ax_loss, run["losses"],
                                  steps if per_iteration else steps / run["iterations_per_epoch"])
            self.loss_lines[b].set_data(x, y)
            self.loss_lines[b].set_markevery(
                series_marks(self.batch_sizes.index(b), x, log_x=per_iteration)["markevery"])
        self._describe()
        self.live.redraw()

    def _describe(self):
        """The figure in words: each shown run's loss after its last step, and an epoch's cost."""
        epochs = self.epochs.value
        order = "shuffled every epoch" if self.shuffle.value else "the same order every epoch"
        settings = (f"Learning rate {self.learning_rate.value:.2g}, {epochs} epoch{'s' * (epochs != 1)}, seed "
                    f"{self.seed.value}, {order}")
        runs = [f"{batch_label(b, self.n)} diverged (training stopped)" if run["diverged"] else
                f"{batch_label(b, self.n)} {run['losses'][-1]:,.0f} g² after {len(run['path']) - 1:,} "
                f"step{'s' * (len(run['path']) != 2)} ({1000 * run['seconds_per_epoch']:.2g} ms an epoch)"
                for b, run in self.runs.items()]
        hidden = [batch_label(b, self.n) for b in self.batch_sizes if b not in self.runs]
        describe(self.description, f"{settings}. Training loss after the last step: "
                 + ("; ".join(runs) if runs else "no run shown (switch a batch size on)")
                 + f"; the least-squares minimum is {self.minimum:,.0f} g²"
                 + (f"; hidden: {', '.join(hidden)}" if hidden and runs else "") + ".")

    def _set_loss_xlim(self, per_iteration):
        if per_iteration:
            limits = (1, max([len(run["path"]) for run in self.runs.values()] + [2]))
        else:  # the axis keeps its end while the epochs fit: moving the slider re-renders only the curves
            limits = (0, epoch_axis_end(self.epochs.value, self.ax_loss.get_xlim()[1]))
        if self.ax_loss.get_xlim() != limits:
            self.ax_loss.set_xlim(*limits)
            self.live.invalidate()  # new ticks: the static part changed


def _check_batch_sizes(batch_sizes, n):
    """The batch sizes as a list of different ints from 1 to n (None = the full batch, n)."""
    if isinstance(batch_sizes, str) or not hasattr(batch_sizes, "__iter__"):
        batch_sizes = [batch_sizes]
    sizes = [n if b is None else int(check_range("each batch size", b, 1, n, whole=True,
                                                   hint="Use None for the full batch.")) for b in batch_sizes]
    if not sizes or len(set(sizes)) != len(sizes):
        raise ValueError(f"batch_sizes must list different batch sizes, e.g. (1, 8, 32, None), None being the full "
                         f"batch of {n}; got {batch_sizes!r}.")
    return sizes
