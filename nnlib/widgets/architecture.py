"""Notebook 06's widget: choose an architecture, see how many parameters it creates.

Three hyperparameters -- the number of hidden layers, the units per hidden
layer, and the activation (unit type) -- are on controls. Every change builds
the MLP they describe (``MLP(...).build(n_features, n_outputs)``: its parameters
at their initial values, no training) and redraws its diagram, one line per
weight, with a table counting weights and biases layer by layer. Nothing here is
learned: the architecture decides how many parameters will exist before
training starts, which is why it is a hyperparameter.
"""
import numbers
import time

import ipywidgets as widgets

from ..input_checks import check_choice, check_count, check_seed
from ..layers import ACTIVATIONS
from ..models import MLP
from ..plots.network_diagram import NetworkDiagram
from .arguments import check_names, check_range
from .base import NotebookWidget, describe, description_line
from .live_figure import LiveFigure


class ArchitectureWidget(NotebookWidget):
    """Sliders for hidden layers and units, a dropdown for the activation; live parameter count.

    n_features, n_outputs: fixed by the data (input columns, classes); not on a control.
    hidden_layers, units, activation: where the controls start (every hidden
      layer gets ``units`` units).
    max_layers, max_units: the slider ranges.
    input_labels / output_labels: optional names written beside the input / output units.
    seed: seed of the initial weights drawn in the diagram.

    Controls: ``n_hidden_layers``, ``units`` (IntSliders) and ``activation`` (Dropdown).
    State after every change: ``hidden_layers`` (tuple), ``model`` (the built MLP),
    ``n_parameters``, ``layer_counts`` [(layer name, weight shape, n_weights,
    n_biases)], ``diagram`` (the NetworkDiagram), ``last_update_seconds``, ``description`` (the diagram in
    words, a ``description_line``).
    """

    def __init__(self, n_features=2, n_outputs=2, hidden_layers=1, units=4, activation="tanh",
                 max_layers=4, max_units=16, input_labels=None, output_labels=None, seed=0):
        self.n_features, self.n_outputs = check_count("n_features", n_features), check_count("n_outputs", n_outputs)
        max_layers, max_units = check_count("max_layers", max_layers), check_count("max_units", max_units)
        if not isinstance(hidden_layers, numbers.Integral):
            raise ValueError(f"hidden_layers is the number of hidden layers here (0 to {max_layers}), each with "
                             f"`units` units; got {hidden_layers!r}. E.g. hidden_layers=2, units=16; for layers of "
                             "different sizes, build nnlib.MLP(hidden_layers=(16, 8)) in code.")
        check_range("hidden_layers", hidden_layers, 0, max_layers, whole=True, hint="Raise max_layers for more.")
        check_range("units", units, 1, max_units, whole=True, hint="Raise max_units for more.")
        check_choice("activation", activation, list(ACTIVATIONS))
        self.seed = check_seed(seed)
        if input_labels is not None:
            input_labels = check_names("input_labels", input_labels, self.n_features, "one per input, or None")
        if output_labels is not None:
            output_labels = check_names("output_labels", output_labels, self.n_outputs, "one per output, or None")
        self.input_labels, self.output_labels = input_labels, output_labels
        style = {"description_width": "initial"}
        self.n_hidden_layers = widgets.IntSlider(value=hidden_layers, min=0, max=max_layers,
                                                 description="hidden layers", style=style,
                                                 layout=widgets.Layout(width="300px"))
        self.units = widgets.IntSlider(value=units, min=1, max=max_units, description="units per hidden layer",
                                       style=style, layout=widgets.Layout(width="380px"))
        self.activation = widgets.Dropdown(value=activation, options=list(ACTIVATIONS),
                                           description="activation (unit type)", style=style,
                                           layout=widgets.Layout(width="260px"))
        self.readout, self.description = widgets.HTML(), description_line()
        self.live = LiveFigure(figsize=(6.8, 4.4))
        self.live.figure.subplots_adjust(left=0.06, right=0.94, top=0.87, bottom=0.03)
        self._build_model()
        self.diagram = NetworkDiagram(self.live.axes, self.model.weights_, self.model.biases_,
                                      layer_labels=self._layer_labels(), input_labels=input_labels,
                                      output_labels=output_labels, title=self._title())
        for control in (self.n_hidden_layers, self.units, self.activation):
            control.observe(lambda _change: self.update(), names="value")
        self.widget = widgets.VBox([
            widgets.HTML("<b>Hyperparameters: the architecture</b> &mdash; you choose these before training"),
            widgets.HBox([self.n_hidden_layers, self.units, self.activation]),
            self.description,
            widgets.HBox([self.live.output, self.readout]),
        ])
        self.update()

    def _build_model(self):
        self.hidden_layers = (self.units.value,) * self.n_hidden_layers.value
        self.model = MLP(hidden_layers=self.hidden_layers, activation=self.activation.value, seed=self.seed)
        self.model.build(self.n_features, self.n_outputs)
        self.n_parameters = self.model.n_parameters
        names = [name.removesuffix(".weights") for name in self.model.parameters() if name.endswith(".weights")]
        self.layer_counts = [(name, w.shape, w.size, b.size)
                             for name, w, b in zip(names, self.model.weights_, self.model.biases_)]

    def update(self):
        """Rebuild the model from the controls and redraw (called on every change)."""
        start = time.perf_counter()
        self._build_model()
        self.diagram.title = self._title()
        self.diagram.set_architecture(self.model.weights_, self.model.biases_, layer_labels=self._layer_labels(),
                                      input_labels=self.input_labels, output_labels=self.output_labels)
        self.readout.value = self._table_html()
        describe(self.description, self._description_text())
        self.live.redraw()
        self.last_update_seconds = time.perf_counter() - start

    def _description_text(self):
        layers = len(self.hidden_layers)
        hidden = (f"{layers} hidden layer{'s' * (layers != 1)} of {self.units.value} {self.activation.value} "
                  f"unit{'s' * (self.units.value != 1)}{' each' * (layers > 1)}" if layers else "no hidden layer")
        counts = "; ".join(f"{name} {n_in}×{n_out} weights + {n_biases} biases = {n_weights + n_biases}"
                           for name, (n_in, n_out), n_weights, n_biases in self.layer_counts)
        return (f"Network diagram: {self.n_features} input{'s' * (self.n_features != 1)}, {hidden}, "
                f"{self.n_outputs} output{'s' * (self.n_outputs != 1)}, one line per weight: {self.n_parameters:,} "
                f"parameters ({counts}).")

    def _title(self):
        return (f"MLP(hidden_layers={self.hidden_layers}, activation={self.activation.value!r})\n"
                f"{self.n_parameters:,} parameters, shown at their random initial values")

    def _layer_labels(self):
        hidden = [f"hidden {layer}\n{n} {self.activation.value}\nunit{'s' * (n != 1)}"
                  for layer, n in enumerate(self.hidden_layers, start=1)]
        return [f"input\n{self.n_features} feature{'s' * (self.n_features != 1)}", *hidden,
                f"output\n{self.n_outputs} score{'s' * (self.n_outputs != 1)}"]

    def _table_html(self):
        cell = "style='padding: 0.1em 0.7em; text-align: right'"
        rows = "".join(
            f"<tr><td {cell}>{name}</td><td {cell}>{n_in} &times; {n_out}</td><td {cell}>{n_weights}</td>"
            f"<td {cell}>{n_biases}</td><td {cell}><b>{n_weights + n_biases}</b></td></tr>"
            for name, (n_in, n_out), n_weights, n_biases in self.layer_counts)
        header = "".join(f"<th {cell}>{title}</th>" for title in ("layer", "weights shape", "weights", "biases",
                                                                 "parameters"))
        formula = " + ".join(f"({n_in}&times;{n_out} + {n_out})" for _, (n_in, n_out), _, _ in self.layer_counts)
        return (
            f"<table style='border-collapse: collapse; margin-top: 1em'><tr>{header}</tr>{rows}"
            f"<tr><td {cell} colspan='4'><b>total, all learned by fit</b></td>"
            f"<td {cell}><b>{self.n_parameters:,}</b></td></tr></table>"
            f"<p style='max-width: 26em; line-height: 1.4'>{formula} = <b>{self.n_parameters:,}</b>.<br>"
            "The controls are <i>hyperparameters</i>: gradient descent never changes them. They decide how many "
            "parameters exist; training then learns those parameters' values. (The activation changes what each "
            "unit computes, but not the count.)</p>"
        )
