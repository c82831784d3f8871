"""Notebook 07's widget: a TensorFlow-Playground-style trainer with every hyperparameter on a control.

``Playground()`` trains an ``nnlib.MLP`` on a 2-D toy data set while you watch: the training and validation loss per
epoch, the decision boundary (or, for regression, the predicted surface) with the training points (filled) and
validation points (hollow), and the network with its weights as lines (thickness = size, colour and dashes = sign).
Beyond TensorFlow Playground it shows the parameter count beside the architecture controls, a panel that sets the
hyperparameters you chose beside a few parameters that training keeps changing, divergence explained in words, and a
"record run" button that collects runs into a table (``runs``, a ``nnlib.tune.SearchResults``).

Training never freezes the notebook: the Play widget sends a tick every ``interval`` milliseconds, and each tick runs
one *frame* -- a few epochs of ``partial_fit`` and a redraw -- in the kernel, between messages. Pause stops the ticks.
Ticks that queued up while a frame was running are dropped, and the tick interval grows if frames are slow, so
pausing takes effect at once.

Controls whose change needs a new network or new data (data set, noise, training fraction, seed, input features,
layers, units, activation) restart training at epoch 0. The learning rate, batch size and regularisation take effect
at the next epoch, like in TensorFlow Playground: training continues, and the panel notes when you changed them.

This module holds the controls, their events and the drawing; what is trained (the data, the network, the recorded
runs) is a ``PlaygroundState`` (``playground_state``, numpy only), and the texts are ``playground_html``.
"""
import time

import ipywidgets as widgets
import numpy as np

from ..input_checks import check_count
from ..layers import ACTIVATIONS
from ..plots.boundary import BoundaryPlot
from ..plots.network_diagram import NetworkDiagram
from ..plots.playground import LossCurves, RegressionSurface, ValidationPoints
from . import playground_html as html
from .arguments import check_range
from .base import NotebookWidget, describe, description_line
from .live_figure import BlittedFigure
from .playground_data import FEATURES, PLAYGROUND_DATASETS
from .playground_state import LEARNING_RATES, MAX_LAYERS, RANGES, REGULARIZATION_RATES, REGULARIZATIONS, PlaygroundState

STALE_TICK_SECONDS = 0.004  # a tick handled this soon after the last frame had queued up behind it


class Playground(NotebookWidget):
    """Train a small network live on 2-D data, every hyperparameter on a control.

    The arguments set where the controls start: dataset, noise, train_ratio, batch_size, learning_rate, activation,
    regularization, regularization_rate, hidden_layers, features, seed, n_samples and max_units as PlaygroundState
    takes them (TensorFlow Playground's defaults); epochs_per_frame: epochs trained per tick (1..20); resolution:
    grid points per axis of the boundary image; interval: the shortest time between ticks, in milliseconds.

    Controls (ipywidgets): ``dataset``, ``noise``, ``train_ratio``, ``seed``, ``features`` (dict name -> ToggleButton),
    ``n_hidden_layers``, ``units`` (list of 6 IntSliders), ``activation``, ``learning_rate``, ``batch_size``,
    ``regularization``, ``regularization_rate``, ``epochs_per_frame``, ``show_validation``; ``play`` (widgets.Play) and
    ``train_toggle`` (play/pause in words), ``step_button``, ``reset_button``, ``record_button``. Methods: ``step()``
    (one frame), ``train(epochs)``, ``reset()``, ``record()``, ``clear_runs()``, ``configure(**settings)`` (set several
    controls, one restart). What is trained is ``state`` (a PlaygroundState); the widget shows its ``model`` (the MLP),
    ``X_train``, ``y_train``, ``X_val``, ``y_val`` (points, (n, 2)), ``feature_map``, ``Z_train``, ``Z_val`` (the
    network's inputs), ``task``, ``epoch``, ``hidden_layers``, ``feature_names``, ``n_parameters``, ``n_samples``,
    ``train_loss``, ``val_loss`` (lists, entry 0 = before training), ``diverged``, ``message``, ``changes``, ``runs``,
    ``settings()`` and ``hyperparameters()`` (what the controls say, as dicts) as its own. Drawing: ``view``
    (BoundaryPlot or RegressionSurface), ``validation_points``, ``diagram`` (NetworkDiagram), ``loss_curves``, ``live``
    (the figure), ``description`` (it in words); ``frame_seconds`` (the last 50 frame times of ``step``).
    """

    def __init__(self, dataset="circle", noise=0, train_ratio=50, batch_size=10, learning_rate=0.03,
                 activation="tanh", regularization="none", regularization_rate=0.0, hidden_layers=(4, 2),
                 features=("x1", "x2"), seed=0, n_samples=300, epochs_per_frame=2, max_units=8, resolution=40,
                 interval=100):
        check_range("epochs_per_frame", epochs_per_frame, 1, 20, whole=True)
        check_count("resolution", resolution, minimum=2, hint="It is grid points per axis of the boundary image.")
        check_count("interval", interval, hint="It is the shortest time between two frames, in milliseconds.")
        self.state = PlaygroundState(dataset=dataset, noise=noise, train_ratio=train_ratio, batch_size=batch_size,
                                     learning_rate=learning_rate, activation=activation, regularization=regularization,
                                     regularization_rate=regularization_rate, hidden_layers=hidden_layers,
                                     features=features, seed=seed, n_samples=n_samples, max_units=max_units)
        self.resolution, self.min_interval = resolution, interval
        self.frame_seconds = []
        self._holding = False
        self._last_frame_end = 0.0
        self._build_controls(epochs_per_frame, interval)
        self._show_settings()
        self.live = BlittedFigure(self._moving_artists, ncols=3, figsize=(12.6, 3.9), layout="constrained",
                                  gridspec_kw={"width_ratios": [1.45, 1, 1.05]})
        self.ax_network, self.ax_data, self.ax_loss = self.live.axes
        self.loss_curves = LossCurves(self.ax_loss)
        self.diagram, self._unit_labels = None, []
        self.widget = self._layout()
        self._show_state(restarted=True)

    # --- controls ---------------------------------------------------------------------------
    def _build_controls(self, epochs_per_frame, interval):
        """Every control, at its first choice (``_show_settings`` then shows the state's), each observed."""
        style = {"description_width": "initial"}
        ranges = {name: {"min": low, "max": high} for name, (low, high) in RANGES.items()}  # those the state checks
        self.play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=interval, show_repeat=False,
                                 description="training", tooltip="play / pause training (stop also pauses)")
        self.train_toggle = widgets.ToggleButton(description="train", icon="play", layout={"width": "80px"},
                                                 tooltip="train / pause: the play button's state, named in words")
        widgets.link((self.play, "playing"), (self.train_toggle, "value"))
        self.step_button = widgets.Button(description="step", icon="step-forward", layout={"width": "80px"},
                                          tooltip="train one frame (a few epochs), then stop")
        self.reset_button = widgets.Button(description="reset", icon="undo", layout={"width": "80px"},
                                           tooltip="back to epoch 0: the initial weights again, same hyperparameters")
        self.record_button = widgets.Button(description="record run", icon="table", layout={"width": "120px"},
                                            tooltip="add this run's hyperparameters and validation loss to the table")
        texts = [widgets.HTML() for _ in range(5)]  # each shows a text of playground_html
        self.epoch_counter, self.parameter_count, self.panel, self.status, self.runs_view = texts
        self.description = description_line()  # the figure in words
        self.dataset = widgets.Dropdown(options=[(html.DATASET_LABELS[name], name) for name in PLAYGROUND_DATASETS],
                                        description="data set", style=style, layout={"width": "230px"})
        self.noise = widgets.IntSlider(**ranges["noise"], step=5, description="noise (%)", style=style,
                                       continuous_update=False)
        self.train_ratio = widgets.IntSlider(**ranges["train_ratio"], step=10, style=style,
                                             description="training data (%)", continuous_update=False)
        self.seed = widgets.BoundedIntText(**ranges["seed"], description="seed", style=style, layout={"width": "140px"},
                                           tooltip="seed of the data, the split and the initial weights")
        self.show_validation = widgets.Checkbox(value=True, description="show validation points", indent=False,
                                                layout={"width": "auto"})
        self.features = {name: widgets.ToggleButton(description=name, layout={"width": "68px"},
                                                    tooltip=f"give the network the input {name}") for name in FEATURES}
        self.n_hidden_layers = widgets.IntSlider(min=0, max=MAX_LAYERS, style=style, description="hidden layers",
                                                 layout={"width": "260px"})
        self.units = [widgets.IntSlider(value=4, min=1, max=self.state.max_units, description=f"layer {i + 1}",
                                        tooltip=f"units in hidden layer {i + 1}", style=style,
                                        layout={"width": "165px"}) for i in range(MAX_LAYERS)]
        self.activation = widgets.Dropdown(options=[(html.ACTIVATION_LABELS[name], name) for name in ACTIVATIONS],
                                           description="activation", style=style, layout={"width": "190px"})
        self.learning_rate = widgets.Dropdown(options=[(f"{rate:g}", rate) for rate in LEARNING_RATES],
                                              description="learning rate", style=style, layout={"width": "190px"})
        self.batch_size = widgets.IntSlider(**ranges["batch_size"], description="batch size", style=style)
        self.regularization = widgets.Dropdown(options=REGULARIZATIONS, style=style, description="regularisation",
                                               layout={"width": "190px"})
        self.regularization_rate = widgets.Dropdown(options=[(f"{rate:g}", rate) for rate in REGULARIZATION_RATES],
                                                    description="rate", style=style, layout={"width": "120px"},
                                                    tooltip="regularisation rate: the strength of the L1 or L2 penalty")
        self.epochs_per_frame = widgets.IntSlider(value=epochs_per_frame, min=1, max=20,
                                                  description="epochs per frame", style=style)

        several = {"features": list(self.features.values()), "hidden_layers": [self.n_hidden_layers, *self.units]}
        for name in self.state.chosen:
            for control in several.get(name, [getattr(self, name)]):
                control.observe(lambda _change, name=name: self._on_control(name), names="value")
        self.show_validation.observe(lambda _change: self.redraw(), names="value")
        self.play.observe(self._on_tick, names="value")
        self.step_button.on_click(lambda _button: self.step())
        self.reset_button.on_click(lambda _button: self.reset())
        self.record_button.on_click(lambda _button: self.record())

    def _layout(self):
        def section(title, *children):
            return widgets.HBox([widgets.HTML(f"<b style='display: inline-block; width: 8.5em'>{title}</b>"),
                                 *children], layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

        return widgets.VBox([
            widgets.HBox([self.play, self.train_toggle, self.step_button, self.reset_button, self.record_button,
                          self.epoch_counter], layout=widgets.Layout(align_items="center")),
            section("Data", self.dataset, self.noise, self.train_ratio, self.seed, self.show_validation),
            section("Input features", *self.features.values()),
            section("Architecture", self.n_hidden_layers, self.activation, self.parameter_count),
            section("", widgets.HBox(self.units, layout=widgets.Layout(flex_flow="row wrap"))),
            section("Training", self.learning_rate, self.batch_size, self.regularization, self.regularization_rate,
                    self.epochs_per_frame),
            self.status, self.description, self.live.output, self.panel, self.runs_view,
        ])

    # --- what the controls say --------------------------------------------------------------
    def _controls_say(self, name):
        """The setting ``name`` as the controls show it (features: a list of names; hidden_layers: a tuple)."""
        if name == "features":
            return [feature for feature, button in self.features.items() if button.value]
        if name == "hidden_layers":
            return tuple(slider.value for slider in self.units[:self.n_hidden_layers.value])
        return getattr(self, name).value

    def _show_settings(self):
        """Move every control to the state's settings, without reacting to the moves."""
        chosen = self.state.chosen
        self._holding = True
        try:
            for feature, button in self.features.items():
                button.value = feature in chosen["features"]
            for slider, units in zip(self.units, chosen["hidden_layers"]):
                slider.value = units
            self.n_hidden_layers.value = len(chosen["hidden_layers"])
            for name, value in chosen.items():
                if name not in ("features", "hidden_layers"):  # each of the others has one control
                    getattr(self, name).value = value
        finally:
            self._holding = False

    def configure(self, **settings):
        """Set several controls at once, e.g. ``configure(dataset="xor", hidden_layers=(), features=["x1·x2"])``: names
        as in ``settings()`` plus ``epochs_per_frame``, features a list of names. Every value is checked before any
        control moves; training restarts once if any restarting setting is given."""
        epochs_per_frame = settings.pop("epochs_per_frame", self.epochs_per_frame.value)
        check_range("epochs_per_frame", epochs_per_frame, 1, 20, whole=True)
        restarted = self.state.configure(**settings)
        self._show_settings()
        self.epochs_per_frame.value = epochs_per_frame
        self._show_state(restarted)

    # --- reacting ---------------------------------------------------------------------------
    def _on_control(self, name):
        """A control moved: the state takes the setting it now shows (restarting if it needs new data or network)."""
        if self._holding:
            return
        value = self._controls_say(name)
        if value == self.state.chosen[name]:
            return  # e.g. the units of a hidden layer that is switched off
        if name == "features" and not value:  # switch the last one back on: the network needs an input
            self.features[self.state.chosen["features"][0]].value = True
            self.status.value = html.note("Keep at least one input feature: the network needs something to look at.")
            return
        self._show_state(self.state.configure(**{name: value}))

    def _show_state(self, restarted):
        """Show the state after it changed: every view rebuilt if training restarted, else only the texts."""
        if not restarted:
            self._update_texts()
            return
        for i, slider in enumerate(self.units):
            slider.layout.display = None if i < len(self.hidden_layers) else "none"
        self._make_views()
        self.redraw()

    def _on_tick(self, change):
        if change["new"] <= change["old"]:
            return  # the Play's stop button rewinds it: no frame
        if time.perf_counter() - self._last_frame_end < STALE_TICK_SECONDS:
            return  # this tick waited in the queue while the last frame ran: drop it
        self.step()

    # --- training ---------------------------------------------------------------------------
    def reset(self):
        """Back to epoch 0: the same hyperparameters, the initial weights again, history cleared."""
        self.play.playing = False
        self.state.reset()
        self.redraw()

    def step(self):
        """One frame: train ``epochs_per_frame`` epochs, then redraw. Returns the frame time in seconds."""
        seconds = self.train(self.epochs_per_frame.value)
        self.frame_seconds = (self.frame_seconds + [seconds])[-50:]
        self._adapt_interval()
        return seconds

    def train(self, epochs):
        """Train ``epochs`` more epochs (pausing if the loss blows up), then redraw; returns the seconds taken."""
        start = time.perf_counter()
        self.state.train(epochs)
        if self.diverged:
            self.play.playing = False
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
        row = self.state.record()
        self.runs_view.value = html.runs_table(self.runs)
        return row

    def clear_runs(self):
        """Start a new, empty table of recorded runs."""
        self.state.clear_runs()
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

    def redraw(self, full=False):
        """Move every view to the current model and render the figure: only the moving artists, unless ``full`` or
        something static changed (new data or architecture, or the loss axes grew)."""
        train_loss, val_loss, loss_range = self.train_loss, self.val_loss, self.ax_loss.get_ylim()
        axes_grew = self.loss_curves.update(np.arange(len(train_loss)), train_loss, val_loss)
        # New views or new loss tick labels may need new margins; a longer epoch axis does not.
        relayout = full or self._views_changed or self.ax_loss.get_ylim() != loss_range
        full = full or axes_grew or self._views_changed
        with np.errstate(all="ignore"):
            try:
                self.view.update(self.state.predict)
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
        drawn = [*view.boundaries, *view.scatters] if isinstance(view, BoundaryPlot) else [view.scatter]
        return [view.image, *drawn, *self.validation_points.scatters, *self.ax_data.spines.values(),
                self.diagram.lines, self.diagram.units, *self.loss_curves.moving_artists]

    def _update_texts(self):
        self.epoch_counter.value = html.epoch_counter(self.epoch)
        describe(self.description, html.description(self.state))
        self.parameter_count.value = html.parameter_count(self.n_parameters)
        self.panel.value = html.panel(self.state)
        self.status.value = html.status(self.state)


# What is trained is the state's: the widget shows it as its own, read-only (pg.model is pg.state.model).
for _name in PlaygroundState.SHOWN:
    setattr(Playground, _name, property(lambda self, name=_name: getattr(self.state, name),
                                        doc=f"The state's ``{_name}`` (see PlaygroundState)."))
