"""A one-slider check that the ipywidgets front-end works in this JupyterLab."""
import ipywidgets as widgets

from .arguments import check_range
from .base import NotebookWidget


class WidgetCheck(NotebookWidget):
    """A slider and a sentence that follows it.

    If the slider shows up as text like ``IntSlider(value=3)``, the JupyterLab
    front-end and the kernel are in different environments (see the README).
    ``slider`` is the IntSlider, ``message`` the HTML readout it updates.
    """

    def __init__(self, value=3):
        check_range("value", value, 1, 10, whole=True)
        self.slider = widgets.IntSlider(value=value, min=1, max=10, description="epochs",
                                        style={"description_width": "60px"})
        self.message = widgets.HTML()
        self.slider.observe(lambda change: self.update(), names="value")
        self.update()
        self.widget = widgets.VBox([self.slider, self.message])

    def update(self):
        epochs = self.slider.value
        self.message.value = (f"Widgets work: you chose <b>{epochs}</b> epoch{'s' * (epochs != 1)} "
                              f"— a hyperparameter, set by you and never changed by training.")
