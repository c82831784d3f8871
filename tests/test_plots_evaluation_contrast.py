"""Numbers written on a heatmap and the captions of misclassified images keep 4.5:1 contrast (WCAG 2.1 1.4.3)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from test_colour_vision import contrast_ratio  # noqa: E402

import nnlib  # noqa: E402
from nnlib.plots.evaluation import plot_confusion_matrix, plot_misclassified, text_color_on  # noqa: E402


@pytest.mark.parametrize("cmap", ["cividis", "viridis", "gray"])
def test_text_color_on_gives_text_4_5_to_1_on_every_colour_of_a_map(cmap):
    colours = matplotlib.colormaps[cmap](np.linspace(0, 1, 501))
    worst = min(contrast_ratio(colour[:3], to_rgb(text_color_on(colour))) for colour in colours)
    assert worst >= 4.5
    halfway_rule = min(contrast_ratio(colour[:3], to_rgb("black" if k > 250 else "white"))
                       for k, colour in enumerate(colours))
    assert halfway_rule < 4.5, "the old rule (black above half the maximum) fell short"


def test_confusion_matrix_counts_and_misclassified_captions_have_4_5_to_1():
    matrix = np.array([[40, 20, 0], [21, 38, 2], [1, 0, 30]])  # counts near half the maximum
    ax = plot_confusion_matrix(matrix)
    image = ax.images[0]
    for text in ax.texts:
        column, row = text.get_position()
        cell = image.cmap(image.norm(matrix[row, column]))[:3]
        assert contrast_ratio(cell, to_rgb(text.get_color())) >= 4.5, text.get_text()
    X, y = nnlib.load_digits()
    fig = plot_misclassified(X[:20], y[:20], (y[:20] + 1) % 10, max_images=3)
    assert all(contrast_ratio(to_rgb(ax.title.get_color()), (1, 1, 1)) >= 4.5 for ax in fig.axes if ax.images)
    plt.close("all")
