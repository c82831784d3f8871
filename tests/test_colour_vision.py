"""Colour-blind-safe plots (issue 36): the categories nnlib.plots draws together stay apart for colour-blind readers,
training and validation differ by more than colour, and every line and point stands out from the axes.

The colours are read from the drawn artists of real figures (Agg), composited over the white axes as they appear on
screen, then simulated for deuteranopia, protanopia and tritanopia at full severity (Machado et al. 2009, as
colorspacious implements them) and compared in CAM02-UCS (Luo, Cui & Li 2006) with colorspacious.deltaE; and their
contrast against the axes background is computed with WCAG 2.1's relative luminance (success criterion 1.4.11).
"""
import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from colorspacious import cspace_convert, deltaE  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.colors import to_rgb, to_rgba, to_rgba_array  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from nnlib.plots import CURVE_STYLE, PALETTE, POINT_STYLE  # noqa: E402
from nnlib.plots.batches import BATCH_COLORS, plot_cost_per_epoch, plot_gradient_clouds, plot_loss_against  # noqa: E402
from nnlib.plots.boundary import CLASS_COLORS, BoundaryPlot, plot_unit_lines  # noqa: E402
from nnlib.plots.descent import PATH_COLORS, plot_loss_curve, plot_paths  # noqa: E402
from nnlib.plots.line import LinePlot  # noqa: E402
from nnlib.plots.network_diagram import NEGATIVE_STYLE, POSITIVE_STYLE, NetworkDiagram  # noqa: E402
from nnlib.plots.playground import LossCurves, RegressionSurface, ValidationPoints  # noqa: E402
from nnlib.plots.validation import plot_curve, plot_split, plot_validation_curve  # noqa: E402

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


# --- every line and point stands out from the axes (WCAG 2.1, 1.4.11 non-text contrast) -------------------------
# A graphical object needed to understand the content needs 3:1 contrast against what is next to it. Here: every line
# (curves, paths, residuals, weights, unit and boundary lines, contour rings) and every point, against the axes'
# background. A point passes by its fill or by its edge (a black edge around a pale fill is what the reader sees);
# a hollow point by its edge or by a dark outline drawn around it. Areas are not checked: the pale decision regions,
# the prediction image and heatmaps show a value at every pixel, while the points and lines on them carry the meaning.
MIN_CONTRAST = 3.0


def relative_luminance(rgb):
    """WCAG 2.1 relative luminance of sRGB colours (..., 3) with channels in [0, 1]."""
    rgb = np.asarray(rgb, dtype=float)
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a, b):
    """WCAG 2.1 contrast ratio (1 to 21) between sRGB colours a and b (3,)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def on(rgba, background):
    """The RGB (3,) on screen of the colour ``rgba`` drawn with its alpha over ``background`` (3,)."""
    rgba = to_rgba(rgba)
    return np.array(rgba[:3]) * rgba[3] + np.asarray(background) * (1 - rgba[3])


def dark_outline(artist, background):
    """Whether ``artist`` is drawn over a wider stroke (a path effect) whose colour has 3:1 on ``background``."""
    for effect in artist.get_path_effects() or []:
        if isinstance(effect, patheffects.Stroke):
            settings = effect._gc  # matplotlib keeps a Stroke's settings only there
            if ("foreground" in settings and contrast(settings["foreground"], background) >= MIN_CONTRAST
                    and settings.get("linewidth", 0) > max(np.atleast_1d(artist.get_linewidth()))):
                return True
    return False


def contrast(colour, background):
    """The contrast ratio of ``colour`` (with its alpha) drawn over ``background`` (3,), against that background."""
    return contrast_ratio(on(colour, background), background)


class AxesContrast:
    """Collects, for one Axes, the lines and points with less than 3:1 against its background."""

    def __init__(self, ax):
        self.title, self.background, self.failures = ax.get_title(), np.array(to_rgb(ax.get_facecolor())), []

    def passes(self, colour):
        return contrast(colour, self.background) >= MIN_CONTRAST

    def line(self, what, colour):
        if not self.passes(colour):
            self.failures.append(f"{self.title!r}: {what} {matplotlib.colors.to_hex(to_rgba(colour), True)} has "
                                 f"{contrast(colour, self.background):.2f}:1")

    def point(self, what, face, edge, edge_width, outlined):
        hollow = to_rgba(face)[3] == 0
        if not (outlined or (edge_width > 0 and self.passes(edge)) or (not hollow and self.passes(face))):
            self.line(what, edge if hollow else face)


def low_contrast_marks(fig):
    """'what: colour, ratio' for every line and point on the figure's Axes with less than 3:1 against the Axes."""
    fig.canvas.draw()  # scatter colours from a colour map are set when drawn
    failures = []
    for ax in fig.axes:
        check = AxesContrast(ax)
        for line in ax.get_lines():
            what = f"line {line.get_label()!r}"
            if line.get_linestyle() not in ("None", "", " ") and line.get_linewidth() > 0:
                check.line(what, to_rgba(line.get_color(), line.get_alpha()))
            if line.get_marker() not in (None, "None", "none", "", " "):
                face = line.get_markerfacecolor()
                face = (0, 0, 0, 0) if face == "none" else to_rgba(face, line.get_alpha())
                check.point(f"{what}'s markers", face, to_rgba(line.get_markeredgecolor(), line.get_alpha()),
                            line.get_markeredgewidth(), dark_outline(line, check.background))
        for collection in ax.collections:
            what = f"{type(collection).__name__} {collection.get_label()!r}"
            if isinstance(collection, ContourSet):
                if not collection.filled:  # filled contours are areas
                    for colour in collection.get_edgecolor():
                        check.line(f"{what} contour line", colour)
            elif isinstance(collection, LineCollection):
                for colour in collection.get_colors():
                    check.line(what, colour)
            elif isinstance(collection, PathCollection) and len(collection.get_offsets()):
                faces, edges = collection.get_facecolors(), collection.get_edgecolors()
                widths = np.atleast_1d(collection.get_linewidths())
                outlined = dark_outline(collection, check.background)
                for k in range(max(len(faces), len(edges), 1)):
                    face = faces[k % len(faces)] if len(faces) else (0, 0, 0, 0)
                    edge = edges[k % len(edges)] if len(edges) else (0, 0, 0, 0)
                    check.point(f"{what} point", face, edge, widths[k % len(widths)], outlined)
        for patch in ax.patches:  # bars
            check.point(f"{type(patch).__name__} {patch.get_label()!r}", patch.get_facecolor(),
                        patch.get_edgecolor(), patch.get_linewidth(), False)
        failures.extend(check.failures)
    plt.close(fig)
    return list(dict.fromkeys(failures))  # once each, not once per weight


def regression_with_validation():
    fig, ax = plt.subplots()
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 2)), rng.normal(size=30)
    surface = RegressionSurface(ax, X[:20], y[:20], resolution=8, colorbar=True)
    surface.update(lambda points: points[:, 0])
    ValidationPoints(ax, X[20:], y[20:], classes=False, norm=surface.norm)
    return fig


def classes_with_validation():
    fig, ax = plt.subplots()
    k = len(CLASS_COLORS)
    X = np.random.default_rng(1).normal(size=(6 * k, 2))
    y = np.arange(6 * k) % k
    plot = BoundaryPlot(ax, X[: 3 * k], y[: 3 * k], resolution=8)
    plot.update(lambda points: np.eye(k)[np.clip((points[:, 0] * 2 + k / 2).astype(int), 0, k - 1)])
    ValidationPoints(ax, X[3 * k:], y[3 * k:], classes=True)
    plot_unit_lines(ax, np.array([np.ones(6), np.linspace(1, 2, 6)]), np.linspace(-2, 2, 6))
    return fig


def two_classes_with_colour_bar():
    fig, ax = plt.subplots()
    X = np.random.default_rng(2).normal(size=(20, 2))
    plot = BoundaryPlot(ax, X, (X[:, 0] > 0).astype(int), resolution=8, colorbar=True)
    plot.update(lambda points: 1 / (1 + np.exp(-3 * points[:, 0])))
    return fig


def split_with_curves():
    fig, (ax_split, ax_curve, ax_loss) = plt.subplots(1, 3)
    X = np.linspace(-1, 1, 9)[:, None]
    plot_split(ax_split, X[:3], X[:3, 0], X[3:6], X[3:6, 0], X[6:], X[6:, 0])
    plot_curve(ax_split, X[:, 0], X[:, 0] ** 2)
    plot_validation_curve(ax_curve, [1, 2, 3], [3.0, 2.0, 1.0], [3.0, 2.5, 2.8], "degree")
    LossCurves(ax_loss).update([0, 1, 2], [3.0, 2.0, 1.0], [3.0, 2.5, 2.8])
    return fig


def batch_plots():
    fig, (ax_loss, ax_cost) = plt.subplots(1, 2)
    sizes = (1, 2, 4, 8, 16, 32, None)
    plot_loss_against(ax_loss, {b: np.linspace(10, 1, 21) * (1 + 0.1 * k) for k, b in enumerate(sizes)}, 32, 0.5)
    plot_cost_per_epoch(ax_cost, sizes, np.linspace(0.01, 0.001, 7), 32, colors=BATCH_COLORS)
    return fig


def gradient_clouds():
    rng = np.random.default_rng(3)
    return plot_gradient_clouds({b: rng.normal(size=(5, 2)) for b in (1, 2, 4, 8, 16, 32, 64)}, np.zeros(2))


def network():
    fig, ax = plt.subplots()
    NetworkDiagram(ax, [np.array([[1.0, -1.0, 0.1], [0.5, -0.5, -0.05]]), np.array([[1.0], [-2.0], [0.3]])],
                   biases=[np.array([0.5, -0.5, 0.0]), np.array([1.0])])
    return fig


def line_with_residuals():
    fig, ax = plt.subplots()
    X = np.linspace(170, 230, 12)[:, None]
    LinePlot(ax, X, 50 * X[:, 0] - 5000).update(45.0, -4000.0)
    return fig


CONTRAST_PLOTS = {
    "plot_split, plot_curve, plot_validation_curve, LossCurves": split_with_curves,
    "plot_loss_against and plot_cost_per_epoch in BATCH_COLORS": batch_plots,
    "plot_gradient_clouds in BATCH_COLORS": gradient_clouds,
    "plot_paths: rings, PATH_COLORS paths and loss curves": lambda: descent_paths()[0],
    "BoundaryPlot of 8 classes, ValidationPoints, plot_unit_lines": classes_with_validation,
    "BoundaryPlot of 2 classes with a colour bar": two_classes_with_colour_bar,
    "RegressionSurface and ValidationPoints": regression_with_validation,
    "NetworkDiagram with biases": network,
    "LinePlot: points, line, residuals": line_with_residuals,
}


@pytest.mark.parametrize("name", CONTRAST_PLOTS)
def test_every_line_and_point_has_3_to_1_contrast_against_the_axes(name):
    failures = low_contrast_marks(CONTRAST_PLOTS[name]())
    assert not failures, (
        f"{name}: these lines or points have less than {MIN_CONTRAST:g}:1 contrast against the axes "
        f"(WCAG 2.1, 1.4.11), so readers with low vision may not see them: {'; '.join(failures)}. Use a darker colour "
        f"(nnlib.plots.DARK_ORANGE, BROWN, PERIWINKLE instead of Okabe-Ito's orange, sky blue, yellow), less "
        f"transparency, or give points a dark edge.")


def test_the_contrast_check_sees_every_palette_colour():
    """The checks above draw every colour of the line palettes."""
    rgb, labels = drawn_colours(unit_lines)
    assert len(rgb) == 6 and set(labels) == {f"unit {k}" for k in range(1, 7)}
    fig = gradient_clouds()
    drawn = [tuple(ax.collections[0].get_edgecolors()[0]) for ax in fig.axes]
    plt.close(fig)
    assert drawn == [to_rgba(colour) for colour in BATCH_COLORS]


def drawn_alone(draw):
    fig, ax = plt.subplots()
    draw(ax)
    ax.set_title("test")
    return low_contrast_marks(fig)


@pytest.mark.parametrize("draw, what", [
    (lambda ax: ax.plot([0, 1], [0, 1], color=PALETTE["yellow"]), "#f0e442ff has 1.32:1"),
    (lambda ax: ax.plot([0, 1], [0, 1], color=PALETTE["orange"], linestyle="--"), "#e69f00ff has 2.25:1"),
    (lambda ax: ax.plot([0, 1], [0, 1], color=PALETTE["vermillion"], alpha=0.5), "#d55e0080 has 1.93:1"),
    (lambda ax: ax.plot([0, 1], [0, 1], "o", color=PALETTE["sky"]), "markers #56b4e9ff has 2.31:1"),
    (lambda ax: ax.scatter([0, 1], [0, 1], facecolors="none", edgecolors=PALETTE["yellow"]), "point #f0e442ff"),
    (lambda ax: ax.scatter([0, 1], [0, 1], color=PALETTE["blue"], alpha=0.45), "point #0072b273 has 1.97:1"),
    (lambda ax: ax.add_collection(LineCollection([[(0, 0), (1, 1)]], colors=PALETTE["sky"])), "#56b4e9ff"),
    (lambda ax: ax.contour(*np.meshgrid(range(4), range(4)), np.arange(16.0).reshape(4, 4), cmap="viridis"),
     "contour line #fde725ff"),
    (lambda ax: ax.bar([0, 1], [1, 2], color=PALETTE["yellow"]), "Rectangle"),
])
def test_pale_lines_and_points_fail_the_contrast_check(draw, what):
    failures = drawn_alone(draw)
    assert any(what in failure for failure in failures), failures


@pytest.mark.parametrize("draw", [
    lambda ax: ax.scatter([0, 1], [0, 1], color=PALETTE["yellow"], edgecolors="black", linewidths=0.6),
    lambda ax: ax.scatter([0, 1], [0, 1], facecolors="none", edgecolors=PALETTE["yellow"], linewidths=1.4,
                          path_effects=[patheffects.withStroke(linewidth=2.2, foreground="black")]),
    lambda ax: ax.plot([0, 1], [0, 1], "o", color=PALETTE["yellow"], markeredgecolor="black"),
    lambda ax: ax.imshow(np.ones((2, 2, 3)) * to_rgb(PALETTE["yellow"])),  # an area
    lambda ax: ax.plot([0, 1], [0, 1], color=PALETTE["blue"], alpha=0.85),  # 3.96:1
])
def test_pale_fills_with_a_dark_edge_and_areas_pass_the_contrast_check(draw):
    assert drawn_alone(draw) == []
