"""A matplotlib figure shown as an ipywidgets Image, redrawn on demand.

Widgets build their figure and artists once, change the artists' data when a
control moves (``line.set_data``, ``image.set_data``), then call ``redraw()``.
``redraw`` renders the figure once, encodes it as PNG (``png``) and swaps the
image's bytes: no new figure, no flicker, and about a third of the cost of
``display(figure)``, whose tight bounding box renders everything twice. The image keeps its last frame
in the widget state, so a saved notebook or static web page still shows it.
``close()`` closes the image and empties the figure. ``freeze_layout`` lays a figure out once and keeps it.
"""
import itertools
import struct
import zlib

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox


class LiveFigure:
    """Owns one figure and the Image widget that shows it.

    ``figure`` and ``axes`` are like ``plt.subplots(figsize=..., **subplot_kw)``'s; ``output``
    is the ipywidgets.Image to place in a layout; ``redraw()`` re-renders the
    figure into it; ``redraws`` counts how often (tests read it).
    """

    def __init__(self, dpi=90, figsize=None, layout=None, **subplot_kw):
        # A Figure made outside pyplot: the inline backend never shows it a second
        # time, and a later plt.show() in the notebook does not pick it up.
        self.figure = Figure(figsize=figsize, dpi=dpi, layout=layout)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(**subplot_kw)
        self.dpi = dpi
        self.output = widgets.Image(format="png")
        self.redraws = 0

    def close(self):
        """Close the Image widget and empty the figure."""
        self.output.close()
        self.figure.clear()

    def redraw(self):
        self.figure.canvas.draw()
        self.output.value = png(self.figure.canvas)
        self.redraws += 1


class BlittedFigure(LiveFigure):
    """A LiveFigure that re-renders only the artists that move (blitting).

    moving_artists: a function returning the artists that change between frames,
    in drawing order. A full render (the first one, after ``invalidate()``, or
    ``redraw(full=True)``) draws everything else -- axes, ticks, titles: most of
    the text, which is most of the cost -- once and keeps it as the background;
    every other render pastes the background and draws the moving artists on top.
    Call ``invalidate()`` after changing anything static (limits, titles, labels).
    With a layout engine, ``relayout=False`` skips re-running it on a full render.
    ``full_redraws`` counts full renders.

    overlays: a function returning opaque legends that sit on top of moving artists
    but never change themselves. Drawing a legend's text is the dearest part of a
    frame, so a full render keeps a copy of each legend's inside; a frame draws the
    legend's box (cheap) over the moving artists and pastes that copy into it.
    """

    def __init__(self, moving_artists, overlays=lambda: (), **kwargs):
        super().__init__(**kwargs)
        self.moving_artists = moving_artists
        self.overlays = overlays
        self.background = None
        self.overlay_pixels = []
        self.full_redraws = 0

    def close(self):
        super().close()
        self.background, self.overlay_pixels = None, []  # copies of the figure's pixels

    def invalidate(self):
        """Render the static parts again at the next redraw."""
        self.background = None

    def redraw(self, full=False, relayout=True):
        canvas = self.figure.canvas
        moving = [artist for artist in self.moving_artists() if artist is not None]
        overlays = [legend for legend in self.overlays() if legend is not None]
        for artist in moving + overlays:
            artist.set_animated(True)  # left out of canvas.draw(): drawn on top below
        full = full or self.background is None
        if full:
            self._draw_static(canvas, relayout or self.background is None)
            self.background = canvas.copy_from_bbox(self.figure.bbox)
            self.full_redraws += 1
        else:
            canvas.restore_region(self.background)
        for artist in moving:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        if full:  # draw the legends once, and keep their inside
            for legend in overlays:
                self.figure.draw_artist(legend)
            self.overlay_pixels = [(legend, canvas.copy_from_bbox(_inside(legend.get_window_extent())))
                                   for legend in overlays]
        else:
            for legend, pixels in self.overlay_pixels:
                self.figure.draw_artist(legend.legendPatch)  # the box, over what moved beneath it
                canvas.restore_region(pixels)  # its inside (entries, text) as last rendered
        self.output.value = png(canvas)
        self.redraws += 1

    def _draw_static(self, canvas, relayout):
        engine = self.figure.get_layout_engine()
        if relayout or engine is None:
            canvas.draw()
            return
        self.figure.set_layout_engine("none")  # keep the last layout: it costs as much as drawing
        canvas.draw()
        self.figure.set_layout_engine(engine)


def freeze_layout(figure):
    """Lay the figure out once now (constrained layout), then keep those positions.

    A live figure's layout only changes when its labels do; skipping the layout
    engine on every redraw makes a slider update about a quarter faster.
    """
    figure.set_layout_engine("constrained")
    figure.draw_without_rendering()
    figure.set_layout_engine("none")


def png(canvas):
    """The pixels of an Agg ``canvas`` as PNG bytes: lossless, fast for plots.

    A PNG holds the image's rows, each "filtered" (a byte minus a neighbour's, to make runs of zeros) and then
    deflated (zlib). Pillow, what ``savefig`` uses, tries all five PNG filters on every row and keeps the best,
    which is most of its time. A plot is mostly flat colour, and the "Sub" filter alone (each byte minus the byte
    one pixel to its left) turns flat colour into zeros: a 990 x 684 frame takes 8 ms instead of Pillow's 18
    (compress level 1), for a file 8 % larger. The decoded image equals the canvas (tests/test_widgets_live_figure.py).
    """
    rgba = np.asarray(canvas.buffer_rgba())  # (height, width, 4) uint8
    height, width, _ = rgba.shape
    flat = rgba.reshape(height, 4 * width)
    rows = np.empty((height, 1 + 4 * width), np.uint8)
    rows[:, 0] = 1  # each row starts with its filter type: 1 = Sub
    rows[:, 1:5] = flat[:, :4]  # the first pixel has no left neighbour
    np.subtract(flat[:, 4:], flat[:, :-4], out=rows[:, 5:])  # modulo 256, as PNG defines it
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA, no interlacing
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(rows, 1))
            + _png_chunk(b"IEND", b""))


def _png_chunk(kind, data):
    """One PNG chunk: length, type, data, and the CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _inside(bbox, margin=2):
    """``bbox`` (display pixels) shrunk by ``margin`` on every side: a legend's inside, without its edge."""
    return Bbox.from_extents(bbox.x0 + margin, bbox.y0 + margin, bbox.x1 - margin, bbox.y1 - margin)


def epoch_axis_end(epochs, current):
    """Where the epoch axis ends: it stays put while ``epochs`` fits and fills more than a quarter of it, so
    moving the slider back and forth across 50 does not re-render the whole figure every time."""
    if current >= epochs and 4 * epochs >= current:
        return current
    return round_axis_end(epochs)


def round_axis_end(epochs):
    """The epoch axis ends at the next of 10, 20, 50, 100, 200, 500, ...: most slider moves keep
    the axis, so only the moving artists are redrawn."""
    limit = 10
    for factor in itertools.cycle((2, 2.5, 2)):
        if limit >= epochs:
            return limit
        limit = int(limit * factor)
