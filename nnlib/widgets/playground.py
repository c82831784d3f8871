"""Notebook 07's widget: a TensorFlow-Playground-style trainer with every hyperparameter on a control.

``Playground()`` trains an ``nnlib.MLP`` on a 2-D toy data set while you watch: the
training and validation loss per epoch, the decision boundary (or, for regression,
the predicted surface) with the training points (filled) and validation points
(hollow), and the network drawn with its weights as lines (thickness = size,
colour = sign). Beyond TensorFlow Playground it shows the parameter count beside the
architecture controls, a panel that sets the hyperparameters you chose beside a few
parameters that training keeps changing, divergence explained in words, and a
"record run" button that collects runs into a table (``runs``, a ``nnlib.tune.SearchResults``).

Training never freezes the notebook: the Play widget sends a tick every ``interval``
milliseconds, and each tick runs one *frame* -- a few epochs of ``partial_fit`` and a
redraw -- in the kernel, between messages. Pause stops the ticks. Ticks that queued up
while a frame was running are dropped, and the tick interval grows if frames are slow,
so pausing takes effect at once.

Controls whose change needs a new network or new data (data set, noise, training
fraction, seed, input features, layers, units, activation) restart training at epoch 0.
The learning rate, batch size and regularisation take effect at the next epoch, like
in TensorFlow Playground: training continues, and the panel notes when you changed them.
"""
import time
import warnings

import ipywidgets as widgets
import numpy as np

from ..data import train_val_test_split
from ..divergence import DivergenceWarning
from ..input_checks import check_choice, check_count, check_hidden_layers
from ..layers import ACTIVATIONS
from ..models import MLP
from ..plots import PALETTE
from ..plots.boundary import BoundaryPlot
from ..plots.network_diagram import NetworkDiagram
from ..plots.playground import LossCurves, RegressionSurface, ValidationPoints
from ..tune import SearchResults
from .base import NotebookWidget
from .checks import check_range
from .live_figure import BlittedFigure
from .playground_data import FEATURES, PLAYGROUND_CLASSIFICATION, PLAYGROUND_DATASETS, FeatureMap, make_playground_data

LEARNING_RATES = (1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "identity": "Linear"}
REGULARIZATIONS = (("none", "none"), ("L1", "l1"), ("L2", "l2"))
DATASET_LABELS = {"circle": "circle", "xor": "XOR", "gaussian": "gaussian blobs", "spiral": "spiral",
                  "plane": "regression: plane", "gaussians": "regression: hills"}
MAX_LAYERS = 6
MAX_SEED = 10**6
STALE_TICK_SECONDS = 0.004  # a tick handled this soon after the last frame had queued up behind it
# Settings whose change needs new data or a new network: training restarts at epoch 0.
RESTARTING = ("dataset", "noise", "train_ratio", "seed", "features", "hidden_layers", "activation")


class Playground(NotebookWidget):
    """Train a small network live on 2-D data, every hyperparameter on a control.

    The arguments set where the controls start (TensorFlow Playground's defaults):
    dataset: "circle", "xor", "gaussian", "spiral" (classification) or "plane",
      "gaussians" (regression). noise: 0..50 (%). train_ratio: % of the points used for
      training (10..90); the rest are the validation points. batch_size: 1..30.
    learning_rate: one of LEARNING_RATES. activation: "relu", "tanh", "sigmoid" or
      "identity" (shown as Linear). regularization: "none", "l1" or "l2", with
      regularization_rate from REGULARIZATION_RATES. hidden_layers: units per hidden layer,
      0 to 6 layers of 1..max_units units. features: input features, from
      nnlib.widgets.playground_data.FEATURES. seed: 0..1,000,000, seeds the data, the split and the
      initial weights. n_samples: points in the data set. epochs_per_frame: epochs trained per
      tick. resolution: grid points per axis of the boundary image. interval: the
      shortest time between ticks, in milliseconds.

    Controls (ipywidgets): ``dataset``, ``noise``, ``train_ratio``, ``seed``, ``features``
    (dict name -> ToggleButton), ``n_hidden_layers``, ``units`` (list of 6 IntSliders),
    ``activation``, ``learning_rate``, ``batch_size``, ``regularization``,
    ``regularization_rate``, ``epochs_per_frame``, ``show_validation``; ``play``
    (widgets.Play), ``step_button``, ``reset_button``, ``record_button``.
    Methods: ``step()`` (one frame), ``train(epochs)``, ``reset()``, ``record()``,
    ``clear_runs()``, ``configure(**settings)`` (set several controls, one restart),
    ``settings()`` and ``hyperparameters()`` (what the controls say, as dicts).
    State: ``model`` (the MLP), ``X_train``, ``y_train``, ``X_val``, ``y_val`` (points,
    (n, 2)), ``Z_train``, ``Z_val`` (the network's inputs, one column per feature),
    ``task``, ``epoch``, ``hidden_layers``, ``feature_names``, ``n_parameters``,
    ``train_loss``, ``val_loss`` (lists, entry 0 = before training), ``diverged``,
    ``message``, ``changes``, ``runs``, ``view`` (BoundaryPlot or RegressionSurface),
    ``diagram`` (NetworkDiagram), ``loss_curves``, ``frame_seconds`` (the last 50 frame times of ``step``).
    """

    def __init__(self, dataset="circle", noise=0, train_ratio=50, batch_size=10, learning_rate=0.03,
                 activation="tanh", regularization="none", regularization_rate=0.0, hidden_layers=(4, 2),
                 features=("x1", "x2"), seed=0, n_samples=300, epochs_per_frame=2, max_units=8, resolution=40,
                 interval=100):
        _check_arguments(dataset, noise, train_ratio, batch_size, learning_rate, activation, regularization,
                         regularization_rate, hidden_layers, features, max_units)
        check_count("n_samples", n_samples, minimum=20, hint="The playground splits them into training and validation.")
        check_range("epochs_per_frame", epochs_per_frame, 1, 20, whole=True)
        check_range("seed", seed, 0, MAX_SEED, whole=True)
        check_count("resolution", resolution, minimum=2, hint="It is grid points per axis of the boundary image.")
        check_count("interval", interval, hint="It is the shortest time between two frames, in milliseconds.")
        self.n_samples, self.resolution, self.min_interval = n_samples, resolution, interval
        self.runs = SearchResults([], [], kind="runs recorded by hand")
        self.frame_seconds = []
        self._holding = False
        self._last_frame_end = 0.0
        self._build_controls(dataset, noise, train_ratio, batch_size, learning_rate, activation, regularization,
                             regularization_rate, hidden_layers, features, seed, epochs_per_frame, max_units,
                             interval)
        self.live = BlittedFigure(self._moving_artists, ncols=3, figsize=(12.6, 3.9), layout="constrained",
                                  gridspec_kw={"width_ratios": [1.45, 1, 1.05]})
        self.ax_network, self.ax_data, self.ax_loss = self.live.axes
        self.loss_curves = LossCurves(self.ax_loss)
        self.diagram = None
        self.view = None
        self._unit_labels = []
        self.widget = self._layout()
        self._restart()

    # --- controls ---------------------------------------------------------------------------
    def _build_controls(self, dataset, noise, train_ratio, batch_size, learning_rate, activation, regularization,
                        regularization_rate, hidden_layers, features, seed, epochs_per_frame, max_units, interval):
        style = {"description_width": "initial"}
        narrow = widgets.Layout(width="auto")
        self.play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=interval, show_repeat=False,
                                 tooltip="play / pause training (stop also pauses)")
        self.step_button = widgets.Button(description="step", icon="step-forward", layout=widgets.Layout(width="80px"),
                                          tooltip="train one frame (a few epochs), then stop")
        self.reset_button = widgets.Button(description="reset", icon="undo", layout=widgets.Layout(width="80px"),
                                           tooltip="back to epoch 0: the initial weights again, same hyperparameters")
        self.record_button = widgets.Button(description="record run", icon="table",
                                            layout=widgets.Layout(width="120px"),
                                            tooltip="add this run's hyperparameters and validation loss to the table")
        self.epoch_counter = widgets.HTML()
        self.metrics = widgets.HTML()

        self.dataset = widgets.Dropdown(options=[(DATASET_LABELS[name], name) for name in PLAYGROUND_DATASETS],
                                        value=dataset, description="data set", style=style,
                                        layout=widgets.Layout(width="230px"))
        self.noise = widgets.IntSlider(value=noise, min=0, max=50, step=5, description="noise (%)", style=style,
                                       continuous_update=False)
        self.train_ratio = widgets.IntSlider(value=train_ratio, min=10, max=90, step=10, style=style,
                                             description="training data (%)", continuous_update=False)
        self.seed = widgets.BoundedIntText(value=seed, min=0, max=MAX_SEED, description="seed", style=style,
                                           layout=widgets.Layout(width="140px"))
        self.show_validation = widgets.Checkbox(value=True, description="show validation points", indent=False,
                                                layout=narrow)
        self.features = {name: widgets.ToggleButton(value=name in features, description=name,
                                                    layout=widgets.Layout(width="68px"),
                                                    tooltip=f"give the network the input {name}")
                         for name in FEATURES}
        hidden_layers = tuple(hidden_layers)
        self.n_hidden_layers = widgets.IntSlider(value=len(hidden_layers), min=0, max=MAX_LAYERS, style=style,
                                                 description="hidden layers", layout=widgets.Layout(width="260px"))
        self.units = [widgets.IntSlider(value=hidden_layers[i] if i < len(hidden_layers) else 4, min=1, max=max_units,
                                        description=f"layer {i + 1}", style=style, layout=widgets.Layout(width="165px"))
                      for i in range(MAX_LAYERS)]
        self.activation = widgets.Dropdown(options=[(ACTIVATION_LABELS[name], name) for name in ACTIVATIONS],
                                           value=activation, description="activation", style=style,
                                           layout=widgets.Layout(width="190px"))
        self.parameter_count = widgets.HTML()
        self.learning_rate = widgets.Dropdown(options=[(f"{rate:g}", rate) for rate in LEARNING_RATES],
                                              value=learning_rate, description="learning rate", style=style,
                                              layout=widgets.Layout(width="190px"))
        self.batch_size = widgets.IntSlider(value=batch_size, min=1, max=30, description="batch size", style=style)
        self.regularization = widgets.Dropdown(options=REGULARIZATIONS, value=regularization, style=style,
                                               description="regularisation", layout=widgets.Layout(width="190px"))
        self.regularization_rate = widgets.Dropdown(options=[(f"{rate:g}", rate) for rate in REGULARIZATION_RATES],
                                                    value=regularization_rate, description="rate", style=style,
                                                    layout=widgets.Layout(width="120px"))
        self.epochs_per_frame = widgets.IntSlider(value=epochs_per_frame, min=1, max=20,
                                                  description="epochs per frame", style=style)
        self.panel = widgets.HTML()
        self.status = widgets.HTML()
        self.runs_view = widgets.HTML()

        for control in (self.dataset, self.noise, self.train_ratio, self.seed, self.n_hidden_layers, self.activation,
                        *self.units, *self.features.values()):
            control.observe(self._on_restarting_change, names="value")
        for control in (self.learning_rate, self.batch_size, self.regularization, self.regularization_rate):
            control.observe(self._on_live_change, names="value")
        self.show_validation.observe(lambda _change: self.redraw(), names="value")
        self.play.observe(self._on_tick, names="value")
        self.step_button.on_click(lambda _button: self.step())
        self.reset_button.on_click(lambda _button: self.reset())
        self.record_button.on_click(lambda _button: self.record())

    def _layout(self):
        def section(title, *children):
            return widgets.HBox([widgets.HTML(f"<b style='display: inline-block; width: 8.5em'>{title}</b>"),
                                 *children], layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

        self._units_box = widgets.HBox(self.units, layout=widgets.Layout(flex_flow="row wrap"))
        return widgets.VBox([
            widgets.HBox([self.play, self.step_button, self.reset_button, self.record_button, self.epoch_counter,
                          self.metrics], layout=widgets.Layout(align_items="center")),
            section("Data", self.dataset, self.noise, self.train_ratio, self.seed, self.show_validation),
            section("Input features", *self.features.values()),
            section("Architecture", self.n_hidden_layers, self.activation, self.parameter_count),
            section("", self._units_box),
            section("Training", self.learning_rate, self.batch_size, self.regularization, self.regularization_rate,
                    self.epochs_per_frame),
            self.status,
            self.live.output,
            self.panel,
            self.runs_view,
        ])

    # --- what the controls say --------------------------------------------------------------
    @property
    def hidden_layers(self):
        """The architecture the controls describe: units per hidden layer, e.g. (4, 2)."""
        return tuple(slider.value for slider in self.units[:self.n_hidden_layers.value])

    @property
    def feature_names(self):
        """The input features switched on, in the order of FEATURES."""
        return [name for name, button in self.features.items() if button.value]

    @property
    def task(self):
        return "classification" if self.dataset.value in PLAYGROUND_CLASSIFICATION else "regression"

    def settings(self):
        """What the controls say -- the data settings and the hyperparameters -- as a dict (what ``record`` stores)."""
        return {"dataset": self.dataset.value, "noise": self.noise.value, "train_ratio": self.train_ratio.value,
                "features": ", ".join(self.feature_names), "hidden_layers": self.hidden_layers,
                "activation": self.activation.value, "learning_rate": self.learning_rate.value,
                "batch_size": self.batch_size.value, "regularization": self.regularization.value,
                "regularization_rate": self.regularization_rate.value, "seed": self.seed.value}

    def _model_hyperparameters(self):
        rate, kind = self.regularization_rate.value, self.regularization.value
        return {"learning_rate": self.learning_rate.value, "batch_size": self.batch_size.value,
                "l1": rate if kind == "l1" else 0.0, "l2": rate if kind == "l2" else 0.0}

    def configure(self, **settings):
        """Set several controls at once, e.g. ``configure(dataset="xor", hidden_layers=(), features=["x1·x2"])``.

        Names as in ``settings()`` plus ``epochs_per_frame``; features is a list of names.
        Restarts training once if any restarting setting changed.
        """
        unknown = set(settings) - set(self.settings()) - {"epochs_per_frame"}
        if unknown:
            raise ValueError(f"unknown playground setting(s) {sorted(unknown)}; "
                             f"choose from {sorted([*self.settings(), 'epochs_per_frame'])}.")
        if isinstance(settings.get("features"), str):
            settings["features"] = [settings["features"]]
        wanted = {**self.settings(), "features": self.feature_names, **settings}
        _check_arguments(wanted["dataset"], wanted["noise"], wanted["train_ratio"], wanted["batch_size"],
                         wanted["learning_rate"], wanted["activation"], wanted["regularization"],
                         wanted["regularization_rate"], wanted["hidden_layers"], wanted["features"],
                         self.units[0].max)
        check_range("seed", wanted["seed"], 0, MAX_SEED, whole=True)
        check_range("epochs_per_frame", settings.get("epochs_per_frame", 1), 1, 20, whole=True)
        restart = any(name in RESTARTING for name in settings)
        self._holding = True
        try:
            for name, value in settings.items():
                if name == "features":
                    for feature, button in self.features.items():
                        button.value = feature in value
                elif name == "hidden_layers":
                    layers = check_hidden_layers(value)
                    for slider, units in zip(self.units, layers):
                        slider.value = units
                    self.n_hidden_layers.value = len(layers)
                else:
                    getattr(self, name).value = value
        finally:
            self._holding = False
        if restart:
            self._restart()
        else:
            self._apply_live_settings()
            self._update_texts()

    # --- reacting ---------------------------------------------------------------------------
    def _on_restarting_change(self, change):
        if self._holding:
            return
        if change["owner"] in self.units[self.n_hidden_layers.value:]:
            return  # a hidden layer that is switched off: nothing to rebuild
        if change["owner"] in self.features.values() and not self.feature_names:
            change["owner"].value = True  # the network needs at least one input
            self.status.value = _note("Keep at least one input feature: the network needs something to look at.")
            return
        self._restart()

    def _on_live_change(self, change):
        if self._holding:
            return
        self._apply_live_settings()
        self._update_texts()

    def _apply_live_settings(self):
        """Pass the learning rate, batch size and L1/L2 to the model; note which differ from epoch 0."""
        self.model.set_params(**self._model_hyperparameters())
        now = self.hyperparameters()
        for name in ("learning_rate", "batch_size", "l1", "l2"):
            if now[name] != self._hyperparameters_at_start[name]:
                self.changes[name] = (self.epoch, self._hyperparameters_at_start[name])
            else:
                self.changes.pop(name, None)

    def _on_tick(self, change):
        if change["new"] <= change["old"]:
            return  # the Play's stop button rewinds it: no frame
        if time.perf_counter() - self._last_frame_end < STALE_TICK_SECONDS:
            return  # this tick waited in the queue while the last frame ran: drop it
        self.step()

    # --- training ---------------------------------------------------------------------------
    def _restart(self):
        """New data split and features, a fresh network at epoch 0, every view rebuilt."""
        X, y, task = make_playground_data(self.dataset.value, self.n_samples, self.noise.value / 100, self.seed.value)
        self.X_train, self.X_val, _, self.y_train, self.y_val, _ = train_val_test_split(
            X, y, val_size=1 - self.train_ratio.value / 100, test_size=0.0, seed=self.seed.value)
        self.feature_map = FeatureMap(self.feature_names).fit(self.X_train)
        self.Z_train, self.Z_val = self.feature_map.transform(self.X_train), self.feature_map.transform(self.X_val)
        for i, slider in enumerate(self.units):
            slider.layout.display = None if i < self.n_hidden_layers.value else "none"
        self._make_model()
        self._make_views()
        self.redraw()

    def reset(self):
        """Back to epoch 0: the same hyperparameters, the initial weights again, history cleared."""
        self.play.playing = False
        self._make_model()
        self.redraw()

    def _make_model(self):
        self.model = MLP(hidden_layers=self.hidden_layers, activation=self.activation.value, task=self.task,
                         epochs=1, seed=self.seed.value, **self._model_hyperparameters())
        self.model.build(len(self.feature_names), 2 if self.task == "classification" else 1)
        self.n_parameters = self.model.n_parameters
        self.initial_parameters = {name: array.copy() for name, array in self.model.parameters().items()}
        self.train_loss = [self.model.data_loss(self.Z_train, self.y_train)]
        self.val_loss = [self.model.data_loss(self.Z_val, self.y_val)]
        self.diverged, self.message = False, ""
        self.changes = {}
        self.training_seconds = 0.0
        self._hyperparameters_at_start = self.hyperparameters()

    @property
    def epoch(self):
        """Epochs trained since the last restart or reset."""
        return self.model.history_.epochs

    def step(self):
        """One frame: train ``epochs_per_frame`` epochs, then redraw. Returns the frame time in seconds."""
        seconds = self.train(self.epochs_per_frame.value)
        self.frame_seconds = (self.frame_seconds + [seconds])[-50:]
        self._adapt_interval()
        return seconds

    def train(self, epochs):
        """Train ``epochs`` more epochs (stopping if the loss blows up), then redraw; returns the seconds taken."""
        start = time.perf_counter()
        before = self.epoch
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DivergenceWarning)
            self.model.partial_fit(self.Z_train, self.y_train, epochs=epochs,
                                   validation_data=(self.Z_val, self.y_val))
        for warning in caught:
            if not issubclass(warning.category, DivergenceWarning):
                warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
        history = self.model.history_
        self.train_loss.extend(history.loss[before:])
        self.val_loss.extend(history.val_loss[before:])
        self.training_seconds += time.perf_counter() - start
        divergences = [w for w in caught if issubclass(w.category, DivergenceWarning)]
        if divergences:
            self.play.playing = False
            self.diverged, self.message = True, str(divergences[-1].message)
        else:
            self.diverged, self.message = False, ""
        self.redraw()
        self._last_frame_end = time.perf_counter()
        return self._last_frame_end - start

    def _adapt_interval(self):
        """Never tick faster than frames can be drawn, so ticks do not pile up while playing."""
        recent = sorted(self.frame_seconds[-10:])[len(self.frame_seconds[-10:]) // 2]
        wanted = max(self.min_interval, int(1000 * 1.3 * recent))
        if abs(wanted - self.play.interval) > 0.2 * self.play.interval:
            self.play.interval = wanted

    def record(self):
        """Add this run (the hyperparameters, validation and training loss now) to ``runs``; returns the row."""
        score = self.model.score(self.Z_val, self.y_val)
        row = self.runs.append({**self.settings(), "val_loss": self.val_loss[-1], "val_score": float(score),
                                "train_loss": self.model.data_loss(self.Z_train, self.y_train),
                                "epochs": self.epoch, "diverged": self.diverged, "seconds": self.training_seconds})
        self.runs_view.value = ("<b>Recorded runs</b> (compare them: which hyperparameters gave the lowest "
                                "validation loss?)" + self.runs._repr_html_())
        return row

    def clear_runs(self):
        """Start a new, empty table of recorded runs."""
        self.runs = SearchResults([], [], kind="runs recorded by hand")
        self.runs_view.value = ""

    # --- drawing ----------------------------------------------------------------------------
    def _make_views(self):
        ax = self.ax_data
        ax.clear()
        if self.task == "classification":
            self.view = BoundaryPlot(ax, self.X_train, self.y_train, resolution=self.resolution, padding=0.12,
                                     class_names=["training, class 0", "training, class 1"], feature_names=("x1", "x2"),
                                     title="Data and decision boundary", legend_loc=None)
            self.validation_points = ValidationPoints(ax, self.X_val, self.y_val, classes=True, label="validation")
            handles = [*self.view.scatters, *self.validation_points.scatters]
        else:
            self.view = RegressionSurface(ax, self.X_train, self.y_train, resolution=self.resolution, padding=0.12,
                                          title="Data and predicted surface",
                                          value_limit=float(np.max(np.abs(self.y_train))))
            self.validation_points = ValidationPoints(ax, self.X_val, self.y_val, classes=False,
                                                      norm=self.view.norm, label="validation points")
            handles = [self.view.scatter, *self.validation_points.scatters]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize="x-small",
                  frameon=False)
        self._views_changed = True
        self.loss_curves.set_loss_name("cross-entropy" if self.task == "classification" else "mean squared error")
        weights, biases = self.model.weights_, self.model.biases_
        outputs = ["class 0", "class 1"] if self.task == "classification" else ["prediction"]
        title = f"Network: {self.n_parameters} parameters\n(line width = |weight|, blue +, vermillion -)"
        if self.diagram is None:
            self.diagram = NetworkDiagram(self.ax_network, weights, biases, title=title)
        else:
            self.diagram.title = title
            self.diagram.set_architecture(weights, biases)
        # Unit names are written clear of the (large) circles of a small network.
        for text in self._unit_labels:
            text.remove()
        first, last = self.diagram.positions[0], self.diagram.positions[-1]
        self._unit_labels = (
            [self.ax_network.text(x - 0.22, y, name, ha="right", va="center", fontsize="small")
             for (x, y), name in zip(first, self.feature_names)]
            + [self.ax_network.text(x + 0.22, y, name, ha="left", va="center", fontsize="small")
               for (x, y), name in zip(last, outputs)])

    def _predict_on_grid(self, points):
        inputs = self.feature_map.transform(points)
        if self.task == "classification":
            return self.model.predict_proba(inputs)
        return self.model.predict(inputs)

    def redraw(self, full=False):
        """Move every view to the current model and render the figure.

        Only the moving artists are re-rendered, unless ``full`` or something static
        changed (new data or architecture, or the loss axes grew).
        """
        epochs = np.arange(len(self.train_loss))
        loss_range = self.ax_loss.get_ylim()
        axes_grew = self.loss_curves.update(epochs, self.train_loss, self.val_loss)
        # New views or new loss tick labels may need new margins; a longer epoch axis does not.
        relayout = full or self._views_changed or self.ax_loss.get_ylim() != loss_range
        full = full or axes_grew or self._views_changed
        with np.errstate(all="ignore"):
            try:
                self.view.update(self._predict_on_grid)
            except ValueError:
                pass  # predictions not finite: keep the last image (the status explains the divergence)
        self.validation_points.set_visible(self.show_validation.value)
        self.diagram.update(self.model.weights_, self.model.biases_)
        self._update_texts()
        self.live.redraw(full=full, relayout=relayout)
        self._views_changed = False

    def _moving_artists(self):
        """What changes from frame to frame, in drawing order (everything else is drawn once)."""
        view = self.view
        if isinstance(view, BoundaryPlot):
            drawn = [view.image, *view.boundaries, *view.scatters]
        else:
            drawn = [view.image, view.scatter]
        return [*drawn, *self.validation_points.scatters,
                *self.ax_data.spines.values(),
                self.diagram.lines, self.diagram.units, *self.loss_curves.moving_artists]

    def _update_texts(self):
        self.epoch_counter.value = (f"<span style='font-family: monospace; font-size: 1.25em; padding: 0 0.8em'>"
                                    f"epoch {self.epoch}</span>")
        score = self.model.score(self.Z_val, self.y_val)
        score = f"accuracy <b>{score:.0%}</b>" if self.task == "classification" else f"R² <b>{score:.2f}</b>"
        self.metrics.value = (f"training loss <b>{self.train_loss[-1]:.3f}</b> &middot; validation loss "
                              f"<b>{self.val_loss[-1]:.3f}</b> &middot; validation {score}")
        self.parameter_count.value = (f"&rarr; <b>{self.n_parameters} parameters</b> (weights + biases) for "
                                      f"training to learn")
        self.panel.value = self._panel_html()
        self.status.value = self._status_html()

    def _status_html(self):
        if self.diverged:
            return _divergence_html(self.learning_rate.value, self.epoch, self.message)
        losses = np.asarray(self.train_loss)
        best = int(np.argmin(losses))
        if losses[-1] > 2 * losses[best] and losses[-1] > losses[best] + 0.1:
            return (f"<div style='border-left: 4px solid {PALETTE['orange']}; padding-left: 0.8em; max-width: 60em'>"
                    f"<b>The training loss is going the wrong way:</b> {losses[best]:.3f} at epoch {best}, "
                    f"{losses[-1]:.3f} now. Steps of learning rate {self.learning_rate.value:g} are too large "
                    "here: they jump over the valley of the loss instead of going down into it (with a saturating "
                    "activation such as tanh the numbers stay finite; with Linear they would soon overflow). "
                    "Try a smaller learning rate.</div>")
        return ""

    def hyperparameters(self):
        """The network's hyperparameters as nnlib names them, plus the input features (a dict).

        The seed is not among them: it is a setting of the experiment (neither learned nor tuned).
        """
        params = self.model.get_params()
        return {"features": ", ".join(self.feature_names),
                **{name: params[name] for name in ("hidden_layers", "activation", "learning_rate", "batch_size",
                                                   "l1", "l2")}}

    def _panel_html(self):
        """The hyperparameters you set beside a few parameters that training changes."""
        def note(name):
            if name in self.changes:
                epoch, old = self.changes[name]
                return f"<i>changed by you at epoch {epoch} (at epoch 0 it was {old:g})</i>"
            return ""

        hyper_rows = "".join(f"<tr><td>{name}</td><td><b>{value}</b></td><td>{note(name)}</td></tr>"
                             for name, value in self.hyperparameters().items())
        parameters = self.model.parameters()
        param_rows = "".join(
            f"<tr><td>{name}[{', '.join(map(str, index))}]</td><td>{self.initial_parameters[name][index]:+.4f}</td>"
            f"<td><b>{parameters[name][index]:+.4f}</b></td></tr>" for name, index in _tracked_parameters(parameters))
        changed = sum(int(np.count_nonzero(parameters[n] != self.initial_parameters[n])) for n in parameters)
        mean_change = np.mean(np.concatenate([np.abs(parameters[n] - self.initial_parameters[n]).ravel()
                                              for n in parameters]))
        cell = "style='vertical-align: top; padding-right: 3em'"
        return (
            "<table><tr>"
            f"<td {cell}><b>Hyperparameters</b>: chosen by you, never changed by training"
            f"<table>{hyper_rows}</table>"
            f"<small>epochs: you choose them too, by pausing (so far {self.epoch}).<br>"
            f"Neither learned nor tuned (settings of the experiment): the data, {DATASET_LABELS[self.dataset.value]}, "
            f"noise {self.noise.value} %, {self.train_ratio.value} % of the {self.n_samples} points for training, "
            f"seed {self.seed.value}.</small></td>"
            f"<td {cell}><b>Parameters</b>: learned, changed by every training step"
            f"<table><tr><th>parameter</th><th>at epoch 0</th><th>after {self.epoch} epochs</th></tr>"
            f"{param_rows}</table>"
            f"All {self.n_parameters} parameters: {changed} changed since epoch 0, by {mean_change:.3f} on average."
            "</td></tr></table>")


def _check_arguments(dataset, noise, train_ratio, batch_size, learning_rate, activation, regularization,
                     regularization_rate, hidden_layers, features, max_units):
    """One clear message for a starting value the controls cannot show."""
    check_choice("dataset", dataset, list(PLAYGROUND_DATASETS))
    check_choice("activation", activation, list(ACTIVATIONS))
    check_choice("regularization", regularization, [value for _, value in REGULARIZATIONS])
    for name, value, options in (("learning_rate", learning_rate, LEARNING_RATES),
                                 ("regularization_rate", regularization_rate, REGULARIZATION_RATES)):
        if value not in options:
            raise ValueError(f"{name} must be one of the playground's choices {', '.join(f'{o:g}' for o in options)}; "
                             f"got {value!r}.")
    for name, value, low, high in (("noise", noise, 0, 50), ("train_ratio", train_ratio, 10, 90),
                                   ("batch_size", batch_size, 1, 30)):
        if check_count(name, value, minimum=low) > high:
            raise ValueError(f"{name} must be between {low} and {high}, got {value!r}.")
    max_units = check_count("max_units", max_units)
    layers = check_hidden_layers(hidden_layers)
    if len(layers) > MAX_LAYERS or any(units > max_units for units in layers):
        raise ValueError(f"the playground offers 0 to {MAX_LAYERS} hidden layers of 1 to max_units={max_units} units; "
                         f"got hidden_layers={hidden_layers!r}.")
    FeatureMap(features)


def _tracked_parameters(parameters):
    """A few parameters to show ticking: two weights and a bias of the first layer, one of the output layer."""
    names = list(parameters)
    first_w, first_b, out_w, out_b = names[0], names[1], names[-2], names[-1]
    chosen = [(first_w, (0, 0)), (first_w, (min(1, parameters[first_w].shape[0] - 1), 0)), (first_b, (0,)),
              (out_w, (0, 0)), (out_b, (0,))]
    unique = []
    for item in chosen:
        if item not in unique:
            unique.append(item)
    return unique


def _note(text):
    return f"<p style='color: {PALETTE['blue']}'>{text}</p>"


def _divergence_html(learning_rate, epoch, message):
    smaller = max(r for r in LEARNING_RATES if r < learning_rate) \
        if learning_rate > 1e-5 else learning_rate
    return (
        f"<div style='border-left: 4px solid {PALETTE['vermillion']}; padding-left: 0.8em; max-width: 60em'>"
        f"<b style='color: {PALETTE['vermillion']}'>Training blew up after epoch {epoch}, so it was paused.</b> "
        "Nothing is broken: the loss grew instead of shrinking until the numbers became too large for the "
        "computer to store (they turn into <i>NaN</i>, 'not a number', or infinity). "
        f"The learning rate ({learning_rate:g}) is too large for this network: each step jumps past the valley "
        "of the loss and lands higher up the other side, the gradient there is steeper, so the next jump is "
        "larger still. The parameters were put back to where they were before the blow-up. "
        f"<b>Try a smaller learning rate, e.g. {smaller:g}, and press play again</b> (or reset to start over)."
        f"<br><small>nnlib's message: {message}</small></div>")
