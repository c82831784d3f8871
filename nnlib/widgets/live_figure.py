"""A matplotlib figure shown inside an ipywidgets Output, redrawn on demand.

Widgets build their figure and artists once, change the artists' data when a
control moves (``line.set_data``, ``image.set_data``), then call ``redraw()``.
Re-using artists keeps an update to a few tens of milliseconds with the default
inline backend, and works in JupyterLab, Colab and a static website alike.
"""
import matplotlib.pyplot as plt
import ipywidgets as widgets
from IPython.display import display


class LiveFigure:
    """Owns one figure and the Output widget it is displayed in.

    ``figure`` and ``axes`` are created by ``plt.subplots(**subplot_kw)``;
    ``output`` is the ipywidgets.Output to place in a layout; ``redraw()``
    re-renders the figure into it; ``redraws`` counts how often (tests read it).
    """

    def __init__(self, **subplot_kw):
        # Create the figure without showing it: the inline backend would otherwise
        # display it once more at the end of the cell.
        with plt.ioff():
            self.figure, self.axes = plt.subplots(**subplot_kw)
        self.output = widgets.Output()
        self.redraws = 0

    def redraw(self):
        with self.output:
            self.output.clear_output(wait=True)
            display(self.figure)
        self.redraws += 1
