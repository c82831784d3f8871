"""The fit-a-line-by-hand widget reacts to its sliders."""
import numpy as np
import pytest

import nnlib
from nnlib.widgets.line import LineFitter


@pytest.fixture
def fitter():
    X, y = nnlib.load_penguins()
    return LineFitter(X, y)


def test_moving_the_slope_moves_the_line_and_updates_the_loss(fitter):
    x, y = fitter.X[:, 0], fitter.y
    redraws = fitter.live.redraws
    fitter.slope.value = 49.5
    fitter.intercept.value = -5750.0
    expected = np.mean((49.5 * x - 5750.0 - y) ** 2)
    assert fitter.loss == pytest.approx(expected)
    assert np.allclose(fitter.plot.line.get_ydata(), 49.5 * fitter.plot.x_ends - 5750.0)
    assert fitter.live.redraws == redraws + 2
    assert f"{expected:,.0f}" in fitter.readout.value
    segments = fitter.plot.residuals.get_segments()
    assert len(segments) == len(x) and np.allclose(segments[0][1], [x[0], 49.5 * x[0] - 5750.0])


def test_the_least_squares_line_has_the_smallest_loss(fitter):
    x, y = fitter.X[:, 0], fitter.y
    slope, intercept = np.polyfit(x, y, 1)
    fitter.slope.value, fitter.intercept.value = round(slope * 2) / 2, round(intercept / 50) * 50
    near_best = fitter.loss
    fitter.slope.value += 5
    assert fitter.loss > near_best
    assert [h[2] for h in fitter.history][-1] == fitter.loss
