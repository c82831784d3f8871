"""Gradient-descent plots (notebook 02): each path on its own contour panel, every loss curve together."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.line import line_loss
from nnlib.plots.descent import least_squares_line, plot_loss_curve, plot_paths

X = np.array([-1.5, -0.5, 0.0, 0.5, 1.5])
Y = 2.0 * X + 1.0 + np.array([0.1, -0.2, 0.05, 0.2, -0.15])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_paths_draws_each_path_on_its_own_panel_and_all_loss_curves_in_one_more():
    paths = {"rate 0.1": np.array([[0.0, 0.0], [0.4, 0.2], [0.7, 0.4]]), "rate 0.9": np.array([[0.0, 0.0], [3.6, 1.8]])}
    fig = plot_paths(X, Y, paths, slope_label="slope (g per SD)")
    contours, loss = fig.axes[:2], fig.axes[2]
    assert len(fig.axes) == 3
    assert [ax.get_title().splitlines()[0] for ax in contours] == ["rate 0.1", "rate 0.9"]
    assert [ax.get_legend().get_texts()[1].get_text() for ax in contours] == ["path, 2 epochs", "path, 1 epochs"]
    assert contours[0].get_xlabel() == "slope (g per SD)"
    curves = [line for line in loss.get_lines() if line.get_label() in paths]
    assert [line.get_label() for line in curves] == list(paths)
    assert curves[0].get_marker() != curves[1].get_marker(), "the curves differ by shape, not colour alone"
    np.testing.assert_allclose(curves[0].get_ydata(), line_loss(X, Y, paths["rate 0.1"][:, 0], paths["rate 0.1"][:, 1]))
    minimum = [line for line in loss.get_lines() if line.get_label() == "least-squares minimum"]
    assert len(minimum) == 1, "one dashed minimum, not one per path"
    assert minimum[0].get_ydata()[0] == pytest.approx(line_loss(X, Y, *least_squares_line(X, Y)))


def test_without_limits_each_panel_is_a_square_around_the_minimum_reaching_past_the_start():
    fig = plot_paths(X, Y, {"one path": np.array([[0.0, 0.0], [1.0, 0.5]])})
    contour = fig.axes[0]
    best = np.array(least_squares_line(X, Y))
    reach = 1.2 * np.hypot(*best)
    np.testing.assert_allclose(contour.get_xlim(), best[0] + np.array([-reach, reach]))
    np.testing.assert_allclose(contour.get_ylim(), best[1] + np.array([-reach, reach]))
    assert contour.get_aspect() == 1.0
    assert len(fig.axes) == 2, "one path: its panel and the loss panel side by side"


def test_given_limits_are_kept_and_the_axes_are_not_forced_square():
    fig = plot_paths(X, Y, {"mm": np.array([[0.0, 0.0], [1.0, 0.5]])}, (-1, 5), (-10, 10))
    assert fig.axes[0].get_xlim() == (-1, 5) and fig.axes[0].get_ylim() == (-10, 10)
    assert fig.axes[0].get_aspect() == "auto"


def test_plot_loss_curve_takes_a_line_width():
    _, ax = plt.subplots()
    assert plot_loss_curve(ax, [4.0, 2.0, 1.0], linewidth=0.8).get_linewidth() == 0.8
    assert plot_loss_curve(ax, [4.0, 2.0, 1.0]).get_linewidth() == 1.5
