"""The figure a widget shows: its PNG is exactly the rendered canvas, blitted frames equal full renders."""
import io

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from nnlib.widgets.live_figure import BlittedFigure, LiveFigure, freeze_layout, png  # noqa: E402


def decoded(data):
    return np.asarray(Image.open(io.BytesIO(data)))


def test_png_decodes_to_the_canvas_pixels_even_where_they_are_transparent():
    live = LiveFigure(figsize=(3, 2))
    live.figure.patch.set_alpha(0.3)  # a half-transparent background must stay half-transparent
    live.axes.plot([0, 1, 2], [2, 0, 1], color="tab:red")
    live.axes.set_title("a title: text, lines, antialiased edges")
    live.redraw()
    pixels = np.asarray(live.figure.canvas.buffer_rgba())
    assert pixels.shape == (180, 270, 4) and len(np.unique(pixels[..., 3])) > 1
    np.testing.assert_array_equal(decoded(live.output.value), pixels)
    assert bytes(live.output.value).startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("height, width", [(1, 1), (1, 7), (5, 1), (33, 17)])
def test_png_of_any_size_round_trips(height, width):
    class Canvas:
        def __init__(self, pixels):
            self.pixels = pixels

        def buffer_rgba(self):
            return memoryview(self.pixels)

    pixels = np.random.default_rng(0).integers(0, 256, size=(height, width, 4), dtype=np.uint8)
    np.testing.assert_array_equal(decoded(png(Canvas(pixels))), pixels)


def test_a_blitted_frame_shows_the_same_pixels_as_a_full_render():
    live = BlittedFigure(lambda: (line,), figsize=(3, 2))
    live.axes.set_xlim(0, 10)
    live.axes.set_ylim(-1, 1)
    line, = live.axes.plot([], [])
    live.redraw()
    x = np.linspace(0, 10, 50)
    line.set_data(x, np.sin(x))
    live.redraw()
    blitted = decoded(live.output.value)
    assert live.full_redraws == 1
    live.redraw(full=True)
    np.testing.assert_array_equal(blitted, decoded(live.output.value))


def test_a_frozen_layout_keeps_the_positions_constrained_layout_chose():
    """freeze_layout lays the figure out once, as constrained layout does, and keeps it: redraws skip the engine."""
    def labelled(layout):
        live = LiveFigure(figsize=(4, 3), layout=layout)
        live.axes.set_ylabel("a long label\non two lines", fontsize=16)
        return live
    constrained, frozen = labelled("constrained"), labelled(None)
    constrained.redraw()
    freeze_layout(frozen.figure)
    laid_out = frozen.axes.get_position().bounds
    assert laid_out == pytest.approx(constrained.axes.get_position().bounds)
    for live in (constrained, frozen):
        live.axes.set_ylabel("")  # constrained layout widens its axes into the freed room; the frozen figure does not
        live.redraw()
    assert constrained.axes.get_position().x0 < laid_out[0] - 0.02
    assert frozen.axes.get_position().bounds == laid_out
