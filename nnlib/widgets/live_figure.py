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
import matplotlib.pyplot as plt


class LiveFigure:
    """Owns one figure and the Image widget that shows it.

    ``figure`` and ``axes`` come from ``plt.subplots(**subplot_kw)``; ``output``
    is the ipywidgets.Image to place in a layout; ``redraw()`` re-renders the
    figure into it; ``redraws`` counts how often (tests read it).
    """

    def __init__(self, dpi=90, **subplot_kw):
        # Create the figure without showing it: the inline backend would otherwise
        # display it once more at the end of the cell.
        with plt.ioff():
            self.figure, self.axes = plt.subplots(**subplot_kw)
        self.dpi = dpi
        self.output = widgets.Image(format="png")
        self.redraws = 0

    def redraw(self):
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=self.dpi)
        self.output.value = buffer.getvalue()
        self.redraws += 1
