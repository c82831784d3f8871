"""A matplotlib figure shown as an ipywidgets Image, redrawn on demand.

Widgets build their figure and artists once, change the artists' data when a
control moves (``line.set_data``, ``image.set_data``), then call ``redraw()``.
``redraw`` renders the figure to PNG once and swaps the image's bytes: no new
figure, no flicker, and about half the cost of ``display(figure)``, whose
tight bounding box renders everything twice. The image keeps its last frame
in the widget state, so a saved notebook or static web page still shows it.
"""
import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


class LiveFigure:
    """Owns one figure and the Image widget that shows it.

    ``figure`` and ``axes`` are like ``plt.subplots(figsize=..., **subplot_kw)``'s; ``output``
    is the ipywidgets.Image to place in a layout; ``redraw()`` re-renders the
    figure into it; ``redraws`` counts how often (tests read it).
    """

    def __init__(self, dpi=90, figsize=None, **subplot_kw):
        # A Figure made outside pyplot: the inline backend never shows it a second
        # time, and a later plt.show() in the notebook does not pick it up.
        self.figure = Figure(figsize=figsize)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(**subplot_kw)
        self.dpi = dpi
        self.output = widgets.Image(format="png")
        self.redraws = 0

    def redraw(self):
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi)
        self.output.value = buffer.getvalue()
        self.redraws += 1
