"""The fit-a-line-by-hand widget reacts to its sliders, and says in words what its figure shows."""
import numpy as np
import pytest
from test_widgets_lifecycle import description

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
    above, below = int(np.sum(y > 49.5 * x - 5750.0)), int(np.sum(y < 49.5 * x - 5750.0))
    assert description(fitter) == (
        f"slope 49.5 g/mm, intercept -5,750 g: mean squared error {expected:,.0f} g² (root: {np.sqrt(expected):,.0f} "
        f"g typical error); of the {len(y)} points, {above} lie above the line, {below} below it"
        + (f" and {len(y) - above - below} on it" if above + below < len(y) else ""))
    assert 0 < above < len(y) and 0 < below < len(y)
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


def test_the_description_follows_the_figure_from_the_start():
    X, y = nnlib.load_penguins()
    fitter = LineFitter(X, y, slope=(0.0, 100.0, 0.5, 50.0), intercept=(-12000.0, 6000.0, 50.0, -6000.0),
                        units=("mm", "grams"))
    predictions = 50.0 * X[:, 0] - 6000.0
    loss = np.mean((predictions - y) ** 2)
    text = description(fitter)
    assert text.startswith(f"slope 50.0 grams/mm, intercept -6,000 grams: mean squared error {loss:,.0f} grams² ")
    assert f"{int(np.sum(y > predictions))} lie above the line" in text
    assert fitter.readout in fitter.widget.children, "the line sits in the widget's own box, above the figure"
    children = list(fitter.widget.children)
    assert children.index(fitter.readout) == children.index(fitter.live.output) - 1


X40, Y40 = (array[:40] for array in nnlib.load_penguins())
X_NAN = X40.copy()
X_NAN[3, 0] = np.nan


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((X40, Y40[:39]), {}, ValueError, r"X has 40 samples \(rows\) but y has 39"),
    ((X40[:, 0], Y40), {}, ValueError, r"X must be 2-D.*1-D.*X\.reshape\(-1, 1\)"),
    ((X_NAN, Y40), {}, ValueError, r"X contains 1 NaN and 0 infinite"),
    ((np.hstack([X40, X40]), Y40), {}, ValueError,
     r"X must have one column \(one feature\) for LineFitter, got 2 columns; pick one feature, e\.g\. X\[:, \[0\]\]"),
    ((X40, np.column_stack([Y40, Y40])), {}, ValueError,
     r"y must hold one number per row, shape \(n,\); got 2 columns"),
    ((X40[:1], Y40[:1]), {}, ValueError, r"LineFitter needs at least 2 rows"),
    ((X40, Y40), {"slope": (0, 100, 0.5, 150)}, ValueError,
     r"the start of slope must be a number from 0 to 100 \(the range of its control\), got 150\.0\. Widen the slider"),
    ((X40, Y40), {"intercept": (0, 100)}, ValueError, r"intercept must be its slider's \(low, high, step, start\)"),
    ((X40, Y40), {"slope": (100, 0, 1, 50)}, ValueError, r"slope must be its slider's .* low < high"),
    ((X40, Y40), {"units": ("mm",)}, ValueError, r"units must be two names \(the units of X and y"),
    ((X40, Y40), {"xlable": "mm"}, TypeError, r"unexpected argument\(s\) \['xlable'\]; its plot labels are xlabel"),
])
def test_bad_arguments_get_a_clear_message(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        LineFitter(*args, **kwargs)
