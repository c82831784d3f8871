"""Widgets let go of their memory: close() closes every control and the figure, and re-running a
notebook cell closes the widgets its previous run made, so re-runs leave memory flat. Every widget says in
words what it shows (one description line), and every control has a visible description.

ipywidgets 8 keeps every control in ``ipywidgets.widgets.widget._instances`` until it is closed,
and IPython keeps each cell's result in ``Out[n]``: these tests hold on to every widget the same way.
"""
import gc
import html
import importlib
import inspect
import pkgutil
import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from ipywidgets.widgets.widget import _instances  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import nnlib  # noqa: E402
import nnlib.widgets  # noqa: E402
from nnlib.widgets import base  # noqa: E402

X, Y = nnlib.load_penguins()
X40, Y40 = X[::8], Y[::8]
XN, YN = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                             species=("Adelie", "Gentoo"))
CURVE_X, CURVE_Y = nnlib.datasets.make_curve(n_samples=30)


def widget_classes():
    """Every class in nnlib.widgets that a notebook displays, by name."""
    classes = {}
    for module_info in pkgutil.iter_modules(nnlib.widgets.__path__):
        module = importlib.import_module(f"nnlib.widgets.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            shown = hasattr(cls, "_ipython_display_") and cls is not base.NotebookWidget
            if cls.__module__ == module.__name__ and shown:
                classes[name] = cls
    return classes


CLASSES = widget_classes()
MAKERS = {  # small data: each builds in well under a second
    "LineFitter": lambda cls: cls(X40, Y40),
    "ArchitectureWidget": lambda cls: cls(),
    "NeuronWidget": lambda cls: cls(XN[::4], YN[::4], resolution=10),
    "Playground": lambda cls: cls(n_samples=40, resolution=10),
    "Quiz": lambda cls: cls(),
    "WidgetCheck": lambda cls: cls(),
    "TrainingMonitor": lambda cls: cls(),
    "ValidationExplorer": lambda cls: cls(CURVE_X[:20], CURVE_Y[:20], CURVE_X[20:], CURVE_Y[20:], max_degree=4),
    "BatchSizeExplorer": lambda cls: cls(X40, Y40, batch_sizes=(8, None), epochs=2, max_epochs=2),
    "GradientDescentExplorer": lambda cls: cls(X40, Y40, epochs=5, max_epochs=10),
    "OptimizerExplorer": lambda cls: cls(X40, Y40, epochs=10, max_epochs=20),
}
PARAMS = sorted(CLASSES)
RUNS = 8  # widgets made and closed per memory test: a leak of even 4 objects each would show (threshold 3 per run)


def make(name):
    return MAKERS[name](CLASSES[name])


def live_objects():
    """(matplotlib Figures alive, all objects the garbage collector tracks) after collecting."""
    gc.collect()
    gc.collect()  # a figure's last references can take two passes
    objects = gc.get_objects()
    return sum(isinstance(obj, Figure) for obj in objects), len(objects)


def test_every_widget_class_is_tested_here():
    assert set(CLASSES) <= set(MAKERS), f"add a maker for {sorted(set(CLASSES) - set(MAKERS))}"


@pytest.mark.parametrize("name", PARAMS)
def test_close_closes_every_control_and_empties_the_figure(name):
    before = set(_instances)
    widget = make(name)
    controls = [_instances[key] for key in set(_instances) - before]
    live = vars(widget).get("live")
    assert controls, "the widget made its controls"
    widget.close()
    assert all(control.comm is None for control in controls), "every control, layout and style is closed"
    assert set(_instances) <= before, "ipywidgets no longer holds any of them"
    if live is not None:
        assert live.figure.axes == [] and live.output.comm is None
    assert widget.closed and vars(widget) == {"closed": True}, "the widget lets go of its figure and data"
    with pytest.raises(AttributeError, match=f"this {name} was closed .* create a new one"):
        _ = widget.widget
    widget.close()  # closing twice is harmless


@pytest.mark.slow
@pytest.mark.parametrize("name", PARAMS)
def test_closed_widgets_leave_memory_flat(name):
    kept = [make(name)]  # IPython's Out[n] would keep every closed widget too
    kept[0].close()
    (figures, objects), fignums, controls = live_objects(), plt.get_fignums(), len(_instances)
    for _ in range(RUNS):
        widget = make(name)
        widget.close()
        kept.append(widget)
    figures_now, objects_now = live_objects()
    assert figures_now == figures and plt.get_fignums() == fignums, "no figure is left alive"
    assert len(_instances) == controls, "no control is left registered"
    assert objects_now - objects <= RUNS * 3, "each closed widget is an empty shell"


@pytest.fixture
def run_cell():
    """Run code as a notebook cell with the given id, as IPython's pre/post_run_cell events see it."""
    def run(cell_id, code):
        base._on_cell_start(SimpleNamespace(cell_id=cell_id))
        try:
            return code()
        finally:
            base._on_cell_end(None)
    yield run
    for widgets in base._created_by_cell.values():
        for widget in widgets:
            widget.close()
    base._created_by_cell.clear()


def test_rerunning_a_cell_closes_the_widgets_its_last_run_made(run_cell):
    first = run_cell("cell-a", lambda: [make("WidgetCheck"), make("WidgetCheck")])
    other = run_cell("cell-b", lambda: make("WidgetCheck"))
    no_id = run_cell(None, lambda: make("WidgetCheck"))  # a front-end that sends no cell id: nothing is tracked
    assert not any(widget.closed for widget in [*first, other, no_id]), "two widgets, and two cells, may coexist"
    again = run_cell("cell-a", lambda: make("WidgetCheck"))
    assert all(widget.closed for widget in first)
    assert not other.closed and not again.closed and not no_id.closed
    no_id.close()


@pytest.mark.slow
def test_rerunning_a_playground_cell_leaves_memory_flat(run_cell):
    out = [run_cell("cell-a", lambda: make("Playground"))]  # Out[n]: IPython keeps each run's result
    (figures, objects), controls = live_objects(), len(_instances)
    for _ in range(RUNS):
        out.append(run_cell("cell-a", lambda: make("Playground")))
    figures_now, objects_now = live_objects()
    assert figures_now == figures, "only the last run's figure is alive"
    assert len(_instances) == controls, "only the last run's controls are registered"
    assert objects_now - objects <= RUNS * 3, "each earlier run left an empty shell"
    assert not out[-1].closed and all(widget.closed for widget in out[:-1])


@pytest.mark.parametrize("make_bad", [lambda: CLASSES["WidgetCheck"](value=0),
                                      lambda: CLASSES["LineFitter"](X40[:, 0], Y40),
                                      lambda: CLASSES["Playground"](seed=-1)])
def test_a_refused_argument_leaves_no_control_behind(make_bad):
    before = set(_instances)
    with pytest.raises(ValueError):
        make_bad()
    assert set(_instances) == before


# --- in words ----------------------------------------------------------------------------------------------------
def walk(widget):
    """An ipywidgets tree, depth first, in the order the page shows it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def description(widget):
    """The plain text of a notebook widget's description line: the one model in its tree with the dom class
    nnlib-description (where tools/site_widgets.py looks for the alt text of its figure)."""
    lines = [w for w in walk(widget.widget) if base.DESCRIPTION_CLASS in w._dom_classes]
    assert len(lines) == 1, f"{type(widget).__name__} has {len(lines)} description lines, not one"
    match = re.fullmatch(r'<span role="status" aria-live="polite">([^<>]*)</span>', lines[0].value)
    assert match, f"not set with describe(): {lines[0].value!r}"
    return html.unescape(match.group(1))


@pytest.mark.parametrize("name", sorted(set(PARAMS) - {"WidgetCheck"}))  # WidgetCheck: a sentence, no figure
def test_every_widget_describes_what_it_shows_in_one_line(name):
    widget = make(name)
    try:
        text = description(widget)
        assert len(text.split()) >= 6 and "\n" not in text, text
        if name != "TrainingMonitor":  # before training it has no numbers to give
            assert any(character.isdigit() for character in text), f"no numbers in {text!r}"
    finally:
        widget.close()


def test_describe_escapes_html():
    line = base.description_line()
    base.describe(line, "loss < 0.5 & <b>accuracy</b> \"90 %\"")
    assert line.value == ('<span role="status" aria-live="polite">loss &lt; 0.5 &amp; &lt;b&gt;accuracy&lt;/b&gt; '
                          '&quot;90 %&quot;</span>')
    assert base.DESCRIPTION_CLASS in line._dom_classes
    line.close()


# Controls whose name is shown elsewhere: each quiz item's answer buttons sit under the item's name.
UNNAMED = {("Quiz", "ToggleButtons")}
SHOWN_ONLY = (ipywidgets.HTML, ipywidgets.HTMLMath, ipywidgets.Label, ipywidgets.Output, ipywidgets.Box,
              ipywidgets.Image)


@pytest.mark.parametrize("name", PARAMS)
def test_every_control_has_a_visible_description(name):
    widget = make(name)
    try:
        controls = [w for w in walk(widget.widget) if isinstance(w, ipywidgets.DOMWidget)
                    and not isinstance(w, SHOWN_ONLY) and (name, type(w).__name__) not in UNNAMED]
        assert controls
        unnamed = [f"{type(w).__name__}(value={w.value!r})" for w in controls if not w.description.strip()]
        assert not unnamed, f"{name}: controls without a description: {unnamed}"
    finally:
        widget.close()
