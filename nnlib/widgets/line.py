"""Fit a line by hand: drag the slope and intercept, watch the loss."""
import ipywidgets as widgets
import numpy as np

from ..plots.line import LinePlot
from .arguments import check_columns, check_names, check_range, check_target
from .base import NotebookWidget, describe, description_line
from .live_figure import BlittedFigure

LABELS = ("xlabel", "ylabel", "title")


class LineFitter(NotebookWidget):
    """Two sliders (the line's two parameters) over a scatter plot, with the mean squared error.

    X (n, 1) feature, y (n,) target. Arguments ``slope`` and ``intercept``: each
    slider's (low, high, step, start); ``units``: (unit of X, unit of y);
    ``labels``: the plot's xlabel, ylabel and title. Attributes: ``slope`` and
    ``intercept`` are the FloatSliders; ``loss`` is the current mean squared
    error; ``plot.line`` is the drawn line; ``readout`` the figure in words (a ``description_line``).
    """

    def __init__(self, X, y, slope=(0.0, 100.0, 0.5, 20.0), intercept=(-12000.0, 6000.0, 50.0, 0.0),
                 units=("mm", "g"), **labels):
        self.X = check_columns(X, 1, "LineFitter")
        self.y = check_target(y, len(self.X))
        self.units = check_names("units", units, 2, "the units of X and y, e.g. ('mm', 'g')")
        unknown = set(labels) - set(LABELS)
        if unknown:
            raise TypeError(f"LineFitter got unexpected argument(s) {sorted(unknown)}; its plot labels are "
                            f"{', '.join(LABELS)}.")
        for name, spec in (("slope", slope), ("intercept", intercept)):
            _check_slider(name, spec)
        # Only the line, its residuals and the title move: the rest is drawn once.
        self.live = BlittedFigure(lambda: (self.plot.residuals, self.plot.line, self.live.axes.title),
                                  figsize=(6.5, 4.2))
        self.plot = LinePlot(self.live.axes, self.X, self.y, **labels)
        self.slope = self._slider("slope", *slope, f"{self.units[1]} per {self.units[0]}")
        self.intercept = self._slider("intercept", *intercept, self.units[1])
        self.readout = description_line()
        self.history = []  # (slope, intercept, loss) of every line tried
        for control in (self.slope, self.intercept):
            control.observe(lambda change: self.update(), names="value")
        self.update()
        self.widget = widgets.VBox([widgets.HBox([self.slope, self.intercept]), self.readout, self.live.output])

    def _slider(self, name, low, high, step, value, unit):
        return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=name,
                                   readout_format=".1f", continuous_update=True,
                                   layout=widgets.Layout(width="360px"),
                                   style={"description_width": "70px"}, tooltip=f"the line's {name}, in {unit}")

    def update(self):
        """Recompute the predictions and loss for the sliders' values and redraw."""
        predictions = self.plot.update(self.slope.value, self.intercept.value)
        self.loss = float(np.mean((predictions - self.y) ** 2))
        self.history.append((self.slope.value, self.intercept.value, self.loss))
        self.live.axes.set_title(f"slope = {self.slope.value:.1f} {self.units[1]}/{self.units[0]}, "
                                 f"intercept = {self.intercept.value:.0f} {self.units[1]}")
        x_unit, y_unit = self.units
        above, below = int(np.sum(self.y > predictions)), int(np.sum(self.y < predictions))
        describe(self.readout, f"slope {self.slope.value:.1f} {y_unit}/{x_unit}, intercept "
                               f"{self.intercept.value:,.0f} {y_unit}: mean squared error {self.loss:,.0f} {y_unit}² "
                               f"(root: {np.sqrt(self.loss):,.0f} {y_unit} typical error); of the {len(self.y)} "
                               f"points, {above} lie above the line, {below} below it"
                               + (f" and {len(self.y) - above - below} on it" if above + below < len(self.y) else ""))
        self.live.redraw()


def _check_slider(name, spec):
    """A slider's (low, high, step, start): low < high, 0 < step, start within [low, high]."""
    try:
        low, high, step, start = (float(value) for value in spec)
        valid = low < high and 0 < step <= high - low
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(f"{name} must be its slider's (low, high, step, start) with low < high and step > 0, "
                         f"e.g. (0.0, 100.0, 0.5, 20.0); got {spec!r}.")
    check_range(f"the start of {name}", start, low, high, hint="Widen the slider: its first two numbers.")
