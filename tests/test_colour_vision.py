"""Colour-blind-safe plots (issue 36): the categories nnlib.plots draws together stay apart for colour-blind readers,
and training and validation differ by more than colour.

The colours are read from the drawn artists of real figures (Agg), composited over the white axes as they appear on
screen, then simulated for deuteranopia, protanopia and tritanopia at full severity (Machado et al. 2009, as
colorspacious implements them) and compared in CAM02-UCS (Luo, Cui & Li 2006) with colorspacious.deltaE.
"""
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from colorspacious import cspace_convert, deltaE  # noqa: E402
from matplotlib.colors import to_rgb, to_rgba_array  # noqa: E402

from nnlib.plots import CURVE_STYLE, POINT_STYLE  # noqa: E402
from nnlib.plots.batches import BATCH_COLORS, plot_loss_against  # noqa: E402
from nnlib.plots.boundary import CLASS_COLORS, BoundaryPlot, plot_unit_lines  # noqa: E402
from nnlib.plots.descent import PATH_COLORS, plot_loss_curve, plot_paths  # noqa: E402
from nnlib.plots.network_diagram import NEGATIVE_STYLE, POSITIVE_STYLE, NetworkDiagram  # noqa: E402
from nnlib.plots.playground import LossCurves, RegressionSurface, ValidationPoints  # noqa: E402
from nnlib.plots.validation import plot_split, plot_validation_curve  # noqa: E402

DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")  # at severity 100: deuteranopia, protanopia, tritanopia

# The smallest CAM02-UCS difference allowed between two categories drawn in one plot, for every reader.
# CAM02-UCS is on the CIELAB scale, where a difference of about 1 is just noticeable between two large patches side
# by side; small points and thin lines need far more (Szafir 2018, "Modeling Color Difference for Visualization
# Design": the smaller the mark, the larger the difference needed). Petroff (2021, "Accessible Color Sequences for
# Data Visualization", arXiv:2107.02270) scored published palettes with exactly this test (colorspacious, Machado
# at 100 % severity, CAM02-UCS): the colour-blind-safe Okabe-Ito palette keeps its closest pair at 11.0 (tritanopia),
# while palettes that colour-blind readers are known to confuse fall far below 10 (matplotlib's tab10: 5.2 for red vs
# green under deuteranopia, 1.6 for orange vs green under protanopia; Tableau 10: 0.8). 10 separates the two.
# Petroff's own optimised palettes reach 16-20; no six of the eight Okabe-Ito colours do, so we require 10 and add
# shape cues (markers, line styles, labels) everywhere colour tells categories apart.
MIN_DELTA_E = 10.0


def rendered(rgba, background="white"):
    """RGB (n, 3) on screen of colours (n, 4) drawn with their alpha over ``background``."""
    rgba = to_rgba_array(rgba)
    return rgba[:, :3] * rgba[:, 3:] + np.array(to_rgb(background)) * (1 - rgba[:, 3:])


def seen_by(rgb, deficiency):
    """How a reader with ``deficiency`` (None = normal colour vision) sees the sRGB colours rgb (n, 3)."""
    if deficiency is None:
        return np.asarray(rgb, dtype=float)
    simulated = cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}, "sRGB1")
    return np.clip(simulated, 0, 1)  # what a screen can show


def closest_pair(rgb, deficiency):
    """(delta E, i, j): the two colours of rgb (n, 3) that a reader with ``deficiency`` sees as most alike."""
    seen = seen_by(rgb, deficiency)
    return min((float(deltaE(seen[i], seen[j], input_space="sRGB1")), i, j)
               for i, j in itertools.combinations(range(len(seen)), 2))


def assert_distinguishable(name, rgb, labels):
    for deficiency in (None, *DEFICIENCIES):
        difference, i, j = closest_pair(rgb, deficiency)
        assert difference >= MIN_DELTA_E, (
            f"{name}: {labels[i]} and {labels[j]} differ by only {difference:.1f} (CAM02-UCS delta E) for a reader "
            f"with {deficiency or 'normal colour vision'} at full severity; at least {MIN_DELTA_E:g} is needed. "
            f"Give one of them another colour (nnlib.plots.PALETTE) in the module that owns the palette, "
            f"and run this test again.")


# --- the categories each plot draws together, read from the artists -------------------------------------------
def split_points():
    fig, ax = plt.subplots()
    X = np.linspace(-1, 1, 6)[:, None]
    plot_split(ax, X, X[:, 0], X, -X[:, 0], X, X[:, 0] ** 2)
    return fig, [c.get_facecolors()[0] for c in ax.collections], ["training", "validation", "test"]


def validation_curves():
    fig, ax = plt.subplots()
    lines = plot_validation_curve(ax, [1, 2, 3], [3.0, 2.0, 1.0], [3.0, 2.5, 2.8], "degree")
    return fig, [line.get_color() for line in lines], ["training error", "validation error"]


def playground_loss_curves():
    fig, ax = plt.subplots()
    curves = LossCurves(ax)
    return fig, [line.get_color() for line in curves.moving_artists], ["training loss", "validation loss"]


def batch_loss_curves():
    fig, ax = plt.subplots()
    losses = {b: np.linspace(10, 1, 21) * (1 + 0.1 * k) for k, b in enumerate((1, 2, 4, 8, 16, 32, None))}
    plot_loss_against(ax, losses, 32, 0.5)  # every colour of BATCH_COLORS, and the least-squares line
    return fig, [line.get_color() for line in ax.get_lines()], [line.get_label() for line in ax.get_lines()]


def descent_paths():
    paths = {f"path {k}": np.array([[0.0, 0.0], [1.0 + k, 0.5], [1.5, 1.0]]) for k in range(len(PATH_COLORS))}
    fig = plot_paths(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.0, 2.5, 4.0]), paths)
    lines = fig.axes[-1].get_lines()  # each path's loss curve, and the least-squares minimum after the first
    return fig, [line.get_color() for line in lines], [line.get_label() for line in lines]


def class_points():
    fig, ax = plt.subplots()
    k = len(CLASS_COLORS)
    plot = BoundaryPlot(ax, np.random.default_rng(0).normal(size=(4 * k, 2)), np.arange(4 * k) % k, resolution=8)
    return fig, [scatter.get_facecolors()[0] for scatter in plot.scatters], plot.class_names


def decision_regions(n_classes):
    """The colour of each class's region where the model is sure, and of the unsure middle for two classes."""
    fig, ax = plt.subplots()
    X = np.column_stack([np.arange(n_classes, dtype=float), np.arange(n_classes, dtype=float)])
    plot = BoundaryPlot(ax, X, np.arange(n_classes), resolution=2 * n_classes, padding=0.0)
    # Class k is certain in the k-th vertical stripe of the grid.
    stripe = np.minimum((plot.grid_points[:, 0] + 0.5).astype(int), n_classes - 1)
    plot.update(lambda points: np.eye(n_classes)[np.minimum((points[:, 0] + 0.5).astype(int), n_classes - 1)])
    image = plot.image.to_rgba(np.asarray(plot.image.get_array())).reshape(-1, 4)
    colours = [image[np.flatnonzero(stripe == k)[0]] for k in range(n_classes)]
    return fig, colours, [f"region of class {k}" for k in range(n_classes)]


def weight_signs():
    fig, ax = plt.subplots()
    diagram = NetworkDiagram(ax, [np.array([[1.0, -1.0], [0.5, -0.5]])])
    return fig, list(np.unique(diagram.lines.get_colors(), axis=0)), ["negative weight", "positive weight"]


def unit_lines():
    fig, ax = plt.subplots()
    ax.set(xlim=(-3, 3), ylim=(-3, 3))
    lines = plot_unit_lines(ax, np.array([np.ones(6), np.linspace(1, 2, 6)]), np.linspace(-2, 2, 6))
    return fig, [line.get_color() for line in lines], [line.get_label() for line in lines]


PLOTS = {"plot_split: training, validation, test points": split_points,
         "plot_validation_curve: training vs validation": validation_curves,
         "playground LossCurves: training vs validation": playground_loss_curves,
         "plot_loss_against: BATCH_COLORS and the minimum line": batch_loss_curves,
         "plot_paths: PATH_COLORS and the minimum line": descent_paths,
         "BoundaryPlot: CLASS_COLORS as points": class_points,
         # Up to 6 classes (the course draws 2): with 7 or 8 the pale regions of green and purple come within 7.5 of
         # blue and orange for tritanopes; the points keep 11 and their markers, and black lines bound the regions.
         **{f"BoundaryPlot: regions of {k} classes": (lambda k=k: decision_regions(k)) for k in range(2, 7)},
         "NetworkDiagram: POSITIVE vs NEGATIVE weights": weight_signs,
         "plot_unit_lines: one colour per unit": unit_lines}


def drawn_colours(make):
    fig, colours, labels = make()
    fig.canvas.draw()
    plt.close(fig)
    return rendered(colours), labels


@pytest.mark.parametrize("name", PLOTS)
def test_categories_drawn_together_stay_apart_in_simulated_colour_blindness(name):
    rgb, labels = drawn_colours(PLOTS[name])
    assert len(rgb) == len(labels) >= 2
    assert_distinguishable(name, rgb, labels)


def test_the_plots_draw_every_colour_of_their_palettes():
    """The checks above see the whole palettes, not a part of them."""
    for make, palette in ((batch_loss_curves, BATCH_COLORS), (descent_paths, PATH_COLORS),
                          (class_points, CLASS_COLORS)):
        rgb, labels = drawn_colours(make)
        drawn = [colour for colour, label in zip(rgb, labels) if label != "least-squares minimum"]
        np.testing.assert_allclose(drawn, [to_rgb(colour) for colour in palette])


@pytest.mark.parametrize("colours, deficiency", [
    (("tab:red", "tab:green"), "deuteranomaly"),  # the classic red vs green
    (("tab:orange", "tab:green"), "protanomaly"),
    (("tab:orange", "tab:pink"), "tritanomaly"),
])
def test_a_palette_that_colour_blind_readers_confuse_fails(colours, deficiency):
    rgb = rendered(colours)
    assert closest_pair(rgb, None)[0] > 25, "clearly different for normal colour vision"
    with pytest.raises(AssertionError, match=f"with {deficiency}"):
        assert_distinguishable("bad palette", rgb, colours)


# --- colour is never the only carrier of meaning -----------------------------------------------------------------
def test_the_course_styles_differ_by_more_than_colour():
    styles = [CURVE_STYLE[name]["linestyle"] for name in ("training", "validation", "test")]
    markers = [POINT_STYLE[name]["marker"] for name in ("training", "validation", "test")]
    assert len(set(styles)) == 3 and len(set(markers)) == 3


def differ_by_more_than_colour(a, b):
    return a.get_linestyle() != b.get_linestyle() or a.get_marker() != b.get_marker()


def test_training_and_validation_curves_differ_in_line_style_or_marker():
    fig, (ax_degree, ax_loss) = plt.subplots(1, 2)
    train, val = plot_validation_curve(ax_degree, [1, 2, 3], [3.0, 2.0, 1.0], [3.0, 2.5, 2.8], "degree")
    assert train.get_linestyle() != val.get_linestyle() and train.get_marker() != val.get_marker()
    curves = LossCurves(ax_loss)
    assert differ_by_more_than_colour(curves.train_line, curves.val_line)
    assert (curves.train_line.get_linestyle(), curves.val_line.get_linestyle()) == ("-", "--")
    plt.close(fig)


def marker_shape(collection):
    return collection.get_paths()[0].vertices.round(3).tobytes()


def test_training_validation_and_test_points_differ_in_marker():
    fig, ax = plt.subplots()
    X = np.linspace(-1, 1, 4)[:, None]
    plot_split(ax, X, X[:, 0], X, X[:, 0], X, X[:, 0])
    assert len({marker_shape(c) for c in ax.collections}) == 3
    plt.close(fig)


def test_playground_validation_points_differ_from_training_points_by_shape_or_fill():
    fig, (ax_classes, ax_values) = plt.subplots(1, 2)
    X, y = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])
    boundary = BoundaryPlot(ax_classes, X, y, resolution=4)
    validation = ValidationPoints(ax_classes, X, y, classes=True)
    for training, held_out in zip(boundary.scatters, validation.scatters):
        assert marker_shape(training) == marker_shape(held_out), "the class keeps its marker"
        assert training.get_facecolors()[0, 3] == 1 and len(held_out.get_facecolors()) == 0, "validation is hollow"
    surface = RegressionSurface(ax_values, X, np.array([0.5, -0.5]))
    values = ValidationPoints(ax_values, X, np.array([0.5, -0.5]), classes=False, norm=surface.norm)
    assert marker_shape(surface.scatter) != marker_shape(values.scatters[0])
    plt.close(fig)


def test_several_loss_curves_on_one_axes_differ_in_marker():
    fig, ax = plt.subplots()
    lines = [plot_loss_curve(ax, [4.0, 2.0, 1.0, 0.5], color, f"run {k}") for k, color in enumerate(PATH_COLORS[:3])]
    assert len({line.get_marker() for line in lines}) == 3
    assert all(0 < len(line.get_markevery()) <= 8 for line in lines), "a few marks, not one per point"
    plt.close(fig)
    fig, ax = plt.subplots()
    plot_loss_against(ax, {1: np.linspace(9, 1, 40), 8: np.linspace(9, 2, 40), None: np.linspace(9, 3, 40)}, 32, 0.5,
                      clock="iteration")
    runs = [line for line in ax.get_lines() if line.get_label() != "least-squares minimum"]
    assert len({line.get_marker() for line in runs}) == 3
    plt.close(fig)


def test_each_path_and_its_loss_curve_share_a_marker_shape():
    paths = {"a": np.array([[0.0, 0.0], [1.0, 0.5]]), "b": np.array([[0.0, 0.0], [0.5, 0.5]])}
    fig = plot_paths(np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 2.5]), paths)
    panels, loss_panel = fig.axes[:-1], fig.axes[-1]
    path_markers = [line.get_marker() for ax in panels for line in ax.get_lines()
                    if line.get_label().startswith("path")]
    loss_markers = [line.get_marker() for line in loss_panel.get_lines() if line.get_label() in paths]
    assert path_markers == loss_markers and len(set(path_markers)) == 2
    plt.close(fig)


def test_weight_signs_differ_in_dashes_and_unit_lines_carry_their_names():
    fig, (ax_network, ax_units) = plt.subplots(1, 2)
    diagram = NetworkDiagram(ax_network, [np.array([[1.0, -1.0]])])
    assert diagram.linestyles == [POSITIVE_STYLE, NEGATIVE_STYLE] and POSITIVE_STYLE != NEGATIVE_STYLE
    assert len(set(map(str, diagram.lines.get_linestyles()))) == 2
    ax_units.set(xlim=(-2, 2), ylim=(-2, 2))
    plot_unit_lines(ax_units, np.array([[1.0, 0.0], [1.0, 3.0]]), np.array([0.5, -1.0]))
    assert [text.get_text() for text in ax_units.texts] == ["unit 1", "unit 2"]
    plt.close(fig)
