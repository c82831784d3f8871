"""A slider that only moves values in an existing figure redraws just the moving artists (blitting), on every
machine: the whole figure is rendered again only when something static changed (an axis grew, the structure).

A full render costs three to five times a blitted frame; a limit that moves by a rounding difference on another
machine's BLAS would silently make every change a full render there (bench/README.md, issue 19). `make
test-numerics` runs the notebooks under other OpenBLAS kernels; this checks the widgets themselves, under whichever
kernel runs the tests.
"""
import io

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import nnlib  # noqa: E402
from nnlib.widgets.batches import BatchSizeExplorer  # noqa: E402
from nnlib.widgets.descent import GradientDescentExplorer  # noqa: E402
from nnlib.widgets.line import LineFitter  # noqa: E402
from nnlib.widgets.neuron import NeuronWidget  # noqa: E402
from nnlib.widgets.optimizers import OptimizerExplorer  # noqa: E402

X, Y = nnlib.load_penguins()
XN, YN = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                             species=("Adelie", "Gentoo"))

# widget -> the sliders that move values only (the structure sliders of ArchitectureWidget redraw by design)
CASES = {
    "LineFitter": (lambda: LineFitter(X, Y), ("slope", "intercept")),
    "GradientDescentExplorer": (lambda: GradientDescentExplorer(X, Y, epochs=20, max_epochs=60),
                                ("learning_rate", "epochs")),
    "OptimizerExplorer": (lambda: OptimizerExplorer(X, Y, epochs=200, max_epochs=400), ("learning_rate", "epochs")),
    "BatchSizeExplorer": (lambda: BatchSizeExplorer(X, Y, batch_sizes=(8, None), epochs=5, max_epochs=10),
                          ("learning_rate", "epochs", "seed")),
    "NeuronWidget": (lambda: NeuronWidget(XN, YN, resolution=40), ("w1", "w2", "b")),
}


@pytest.fixture(scope="module")
def widgets():
    """One widget of each kind for all the tests here (each test sets the controls it moves)."""
    made = {}

    def widget(name):
        if name not in made:
            made[name] = CASES[name][0]()
        return made[name]
    yield widget
    for widget in made.values():
        widget.close()


def step_away(control):
    """A value one slider step from the current one, inside the range."""
    step = control.step
    if type(control).__name__ == "FloatLogSlider":  # min, max and step are exponents
        up = control.value * control.base ** step
        return up if up <= control.base ** control.max else control.value / control.base ** step
    return control.value + step if control.value + step <= control.max else control.value - step


@pytest.mark.parametrize("name, control_name", [(name, control) for name, (_, controls) in CASES.items()
                                                for control in controls])
def test_moving_a_value_slider_back_and_forth_only_blits(widgets, name, control_name):
    widget = widgets(name)
    control = getattr(widget, control_name)
    start, other = control.value, step_away(control)
    control.value = other  # the first move may grow an axis once
    control.value = start
    full, redraws = widget.live.full_redraws, widget.live.redraws
    for value in (other, start) * 3:
        control.value = value
    assert widget.live.redraws - redraws == 6, "every change is drawn"
    assert widget.live.full_redraws == full, f"moving {control_name} re-rendered the whole figure"


def frame(widget):
    return np.asarray(Image.open(io.BytesIO(widget.live.output.value)), dtype=int)


def range_ends(control):
    """Both ends of the slider's range: big changes, so a stale artist would show."""
    if type(control).__name__ == "FloatLogSlider":
        return control.base ** control.min, control.base ** control.max
    return control.min, control.max


@pytest.mark.parametrize("name, control_name", [(name, control) for name, (_, controls) in CASES.items()
                                                for control in controls])
def test_a_blitted_frame_shows_what_a_full_render_shows(widgets, name, control_name):
    """Nothing that moves was left in the kept background: after a change, the frame equals a full render, but
    for a few pixels where a static marker ends up under a moving line instead of over it."""
    widget = widgets(name)
    control = getattr(widget, control_name)
    start = control.value
    for value in range_ends(control):
        control.value = value
        blitted = frame(widget)
        widget.live.redraw(full=True)
        differing = np.abs(frame(widget) - blitted).max(axis=2) > 2  # antialiasing may differ by a shade
        assert differing.sum() <= 20, f"{differing.sum()} pixels differ with {control_name} = {value}: a stale artist?"
    control.value = start  # as it was, for the next test
