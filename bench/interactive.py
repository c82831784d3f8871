"""The interactive budgets: widget updates measured inside a real IPython kernel, notebooks under nbval.

``measure_in_kernel(env, threads, repeats)`` starts a fresh course kernel (the
inline matplotlib backend, as in JupyterLab), builds each widget there and
times a control change end to end: the observer retrains the model, updates
the artists and re-renders the figure to PNG for its widget (LiveFigure.redraw).
The render share of each timing is measured separately.
Only the kernel's side is timed; the browser's paint is not.

``time_notebooks()`` runs each notebooks/*.ipynb with ``pytest --nbval-lax`` in a
subprocess and times it, as ``make test`` does.

A widget module that does not exist yet gives a "not available yet" row.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MARKER = "BENCH_JSON:"

# --- kernel side: run inside the kernel (imported there from bench/) -------------------------

# Method names a playground may use for "train a few steps, then redraw" (first found wins).
FRAME_METHODS = ("frame", "train_frame", "step", "advance", "tick",
                 "_frame", "_train_frame", "_step", "_advance", "_tick", "_on_tick", "_on_play")


def _penguin_line():
    import nnlib

    return nnlib.load_penguins(features=("flipper_length_mm",), target="body_mass_g")


def _penguin_two_species():
    import nnlib

    X, y = nnlib.load_penguins(features=("bill_length_mm", "flipper_length_mm"), target="species",
                               species=("Adelie", "Gentoo"))
    return X, y


# label -> (module, class, how to build it as its notebook does, methods to time as actions, controls that change the
# figure's structure). Budgets (issue 19, median in the kernel on the slower machine class): a slider that moves values
# in an existing figure 30 ms; a control that changes the figure's structure, and every button (action), 100 ms.
SLIDER_BUDGET_MS, STRUCTURE_BUDGET_MS = 30, 100
# Each widget is measured on WALKS fresh copies, and each control's median is the median of theirs: on a shared
# 2-core VM one walk's median of identical code moved from 24 to 46 ms between runs (BatchSizeExplorer, 2026-12-07).
WALKS = 3
WIDGETS = {
    "line (LineFitter: move slope/intercept, redraw)": (
        "nnlib.widgets.line", "LineFitter", lambda cls: cls(*_penguin_line()), (), ()),
    "descent (GradientDescentExplorer: gradient descent on the line + redraw)": (
        "nnlib.widgets.descent", "GradientDescentExplorer",
        lambda cls: cls(*_penguin_line(), learning_rate=0.1, epochs=50), (), ()),
    "optimisers (OptimizerExplorer: momentum/Adam on the raw valley + redraw)": (
        "nnlib.widgets.optimizers", "OptimizerExplorer",
        lambda cls: cls(*_penguin_line(), momentum=0.998, learning_rate=2e-5, epochs=5000), (), ()),
    "batches (BatchSizeExplorer: runs per batch size, cut or extended + redraw)": (
        "nnlib.widgets.batches", "BatchSizeExplorer",
        lambda cls: cls(*_penguin_line(), learning_rate=0.05, epochs=10), (), ()),
    "neuron (NeuronWidget: move w1/w2/b, redraw boundary; fit())": (
        "nnlib.widgets.neuron", "NeuronWidget", lambda cls: _build_neuron(cls), ("fit",), ()),
    "architecture (ArchitectureWidget: layers/units -> parameter count)": (
        "nnlib.widgets.architecture", "ArchitectureWidget", lambda cls: cls(), (), ("n_hidden_layers", "units")),
}
PLAYGROUND = "nnlib.widgets.playground"


def _build_neuron(cls):
    import nnlib

    X, y = _penguin_two_species()
    return cls(X, y, scaler=nnlib.Standardizer().fit(X), learning_rate=0.5, epochs=200)


def _median(values):
    values = sorted(values)
    return values[len(values) // 2]


def _import(module_name):
    """The module, or None if it is not written yet."""
    import importlib

    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise


def _discover(module, preferred_names=()):
    """Build the first class in ``module`` that has a ``.widget`` without arguments: (object, note)."""
    classes = [c for c in vars(module).values() if isinstance(c, type) and c.__module__ == module.__name__]
    classes.sort(key=lambda c: (c.__name__ not in preferred_names, c.__name__))
    problems = []
    for cls in classes:
        try:
            obj = cls()
        except TypeError as error:
            problems.append(f"{cls.__name__}(): {error}")
            continue
        if hasattr(obj, "widget"):
            return obj, cls.__name__
    return None, f"no widget class buildable without arguments ({'; '.join(problems) or 'none found'})"


def _numeric_controls(obj):
    """Attributes of ``obj`` that are numeric ipywidgets controls with a range: {name: control}."""
    import ipywidgets

    return {name: control for name, control in vars(obj).items()
            if isinstance(control, ipywidgets.ValueWidget) and hasattr(control, "min")
            and isinstance(control.value, (int, float)) and not isinstance(control.value, bool)}


def _redraw_count(obj, counter="redraws"):
    """Redraws of the widget's live figures so far (counter="full_redraws": those that re-rendered everything,
    not only the moving artists; a value-only control that causes them on some machine has lost its blitting)."""
    from nnlib.widgets.live_figure import LiveFigure

    return sum(getattr(value, counter, 0) for value in vars(obj).values() if isinstance(value, LiveFigure))


RENDER_SECONDS = [0.0]  # time spent in LiveFigure.redraw (matplotlib's PNG render), see _time_renders
_RENDER_DEPTH = [0]


def _time_renders():
    """Wrap ``redraw`` of LiveFigure and its subclasses so a timing splits into compute and render.

    Call again after importing a widget module: it may define a new subclass.
    """
    from nnlib.widgets.live_figure import LiveFigure

    classes = [LiveFigure]
    for cls in classes:
        classes.extend(cls.__subclasses__())
    for cls in classes:
        redraw = cls.__dict__.get("redraw")
        if redraw is None or getattr(redraw, "timed", False):
            continue

        def timed_redraw(self, *args, _redraw=redraw, **kwargs):
            start = time.perf_counter()
            _RENDER_DEPTH[0] += 1
            try:
                return _redraw(self, *args, **kwargs)
            finally:
                _RENDER_DEPTH[0] -= 1
                if _RENDER_DEPTH[0] == 0:  # a subclass's redraw may call its parent's: count once
                    RENDER_SECONDS[0] += time.perf_counter() - start
        timed_redraw.timed = True
        cls.redraw = timed_redraw


def _time_calls(action, repeats):
    """Median and max ms of ``action(i)``, and the median part of it spent rendering the figure."""
    times, renders = [], []
    for i in range(repeats):
        RENDER_SECONDS[0] = 0.0
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
        renders.append(RENDER_SECONDS[0])
    return {"median_ms": 1e3 * _median(times), "max_ms": 1e3 * max(times),
            "render_median_ms": 1e3 * _median(renders)}


def _move(control):
    """An action that moves ``control`` one step away from its value and back, alternately."""
    start = control.value
    step = getattr(control, "step", None) or (control.max - control.min) / 20
    if type(control).__name__ == "FloatLogSlider":  # its min, max and step are exponents
        other = start * control.base ** step
        other = other if other <= control.base ** control.max else start / control.base ** step
    else:
        other = start + step if start + step <= control.max else start - step

    def action(i):
        control.value = other if i % 2 == 0 else start
    return action


def _positions(control):
    """Every value the slider can take, smallest first (a FloatLogSlider's min, max and step are exponents)."""
    step = getattr(control, "step", None) or (control.max - control.min) / 20
    exponents = [control.min + i * step for i in range(int(round((control.max - control.min) / step)) + 1)]
    if type(control).__name__ == "FloatLogSlider":
        return [control.base ** e for e in exponents]
    return [type(control.value)(round(e, 12)) for e in exponents]


def _walk(control):
    """An action that moves ``control`` to a value it has not had yet, as a learner exploring does: one step at a
    time up to the end of its range, then down from where it started (then round again). A widget that caches
    results per value (OptimizerExplorer, BatchSizeExplorer) has to compute every one of them."""
    positions = _positions(control)
    start = min(range(len(positions)), key=lambda i: abs(positions[i] - control.value))
    order = positions[start + 1:] + positions[:start][::-1] + [positions[start]]

    def action(i):
        control.value = order[i % len(order)]
    return action


def measure_widget(label, repeats):
    """Median ms per control change (and per action method) of one widget, in this kernel."""
    from IPython.display import display

    module_name, class_name, build, actions, structure = WIDGETS[label]
    budget = SLIDER_BUDGET_MS
    module = _import(module_name)
    if module is None:
        return {"status": "not available yet", "budget_ms": budget}
    _time_renders()
    cls = getattr(module, class_name, None)
    obj, note = (build(cls), class_name) if cls is not None else _discover(module)
    if obj is None:
        return {"status": note, "budget_ms": budget}
    display(obj.widget)
    timings = {}
    for name, control in _numeric_controls(obj).items():
        start = control.value  # put back after timing: each control is timed from the state the notebook builds
        redraws, full = _redraw_count(obj), _redraw_count(obj, "full_redraws")
        changes = max(3, min(repeats, len(_positions(control)) - 1))  # new values only, as far as the range allows
        timings[name] = _time_calls(_walk(control), changes)
        timings[name]["redraws_per_change"] = (_redraw_count(obj) - redraws) / changes
        timings[name]["full_renders_per_change"] = (_redraw_count(obj, "full_redraws") - full) / changes
        timings[name]["back_and_forth_median_ms"] = _time_calls(_move(control), repeats)["median_ms"]
        control.value = start
        timings[name]["budget_ms"] = STRUCTURE_BUDGET_MS if name in structure else SLIDER_BUDGET_MS
    for name in actions:
        method = getattr(obj, name, None)
        if callable(method):
            timings[f"{name}()"] = _time_calls(lambda i, method=method: method(), max(3, repeats // 3))
            timings[f"{name}()"]["budget_ms"] = STRUCTURE_BUDGET_MS
    if not timings:
        return {"status": f"{note}: no numeric control found to move", "budget_ms": budget}
    slowest = max(timings, key=lambda name: timings[name]["median_ms"] / timings[name]["budget_ms"])
    return {"status": "ok", "class": note, "budget_ms": timings[slowest]["budget_ms"], "controls": timings,
            "slowest": slowest,
            "median_ms": timings[slowest]["median_ms"], "max_ms": timings[slowest]["max_ms"]}


def measure_playground(repeats):
    """Median ms of one playground frame (training steps + decision-boundary redraw)."""
    import ipywidgets
    from IPython.display import display

    module = _import(PLAYGROUND)
    if module is None:
        return {"status": "not available yet", "budget_ms": 100}
    _time_renders()
    obj, note = _discover(module, preferred_names=("Playground",))
    if obj is None:
        return {"status": note, "budget_ms": 100}
    display(obj.widget)
    frame, how = None, None
    for name in FRAME_METHODS:
        method = getattr(obj, name, None)
        if callable(method):
            frame, how = (lambda i, method=method: method()), f"{note}.{name}()"
            break
    plays = [(name, w) for name, w in vars(obj).items() if isinstance(w, ipywidgets.Play)]
    if frame is None and plays:
        name, play = plays[0]

        def frame(i):
            play.value = play.value + 1 if play.value < play.max else play.min
        how = f"{note}.{name}.value += 1"
    if frame is None:
        return {"status": f"{note}: no frame method ({', '.join(FRAME_METHODS)}) and no Play widget found",
                "budget_ms": 100}
    frame(0)  # the first frame may build things once
    redraws = _redraw_count(obj)
    result = _time_calls(frame, repeats)
    return {"status": "ok", "class": note, "frame": how, "budget_ms": 100, "slowest": how, **result,
            "redraws_per_frame": (_redraw_count(obj) - redraws) / repeats}


def _median_of_walks(results):
    """One widget's result from WALKS measurements on fresh widgets: per control, the median of their medians
    (and of their render medians, back and forth), the largest max."""
    if any(result.get("status") != "ok" for result in results):
        return results[0]
    merged = dict(results[0], walks=len(results))
    merged["controls"] = {}
    for name, first in results[0]["controls"].items():
        timings = [result["controls"][name] for result in results]
        merged["controls"][name] = dict(first, max_ms=max(t["max_ms"] for t in timings), walks_median_ms=[
            t["median_ms"] for t in timings], **{key: _median([t[key] for t in timings]) for key in first
                                                  if key.endswith("median_ms")})
    controls = merged["controls"]
    slowest = max(controls, key=lambda name: controls[name]["median_ms"] / controls[name]["budget_ms"])
    merged.update(slowest=slowest, **{key: controls[slowest][key] for key in ("budget_ms", "median_ms", "max_ms")})
    return merged


def kernel_main(repeats, threads):
    """Entry point run in the kernel: prints one marked JSON line {widget label: result}."""
    import matplotlib
    from threadpoolctl import threadpool_info, threadpool_limits

    threadpool_limits(threads)  # also wins over a thread setting in the kernel spec's env

    result = {"blas_threads": [pool["num_threads"] for pool in threadpool_info()],
              "matplotlib_backend": matplotlib.get_backend(), "widgets": {}}
    measures = {label: (lambda label=label: _median_of_walks([measure_widget(label, repeats) for _ in range(WALKS)]))
                for label in WIDGETS}
    measures["playground (one frame: training steps + decision-boundary redraw)"] = lambda: measure_playground(repeats)
    for label, measure in measures.items():
        try:
            result["widgets"][label] = measure()
        except Exception as error:  # a half-written widget must not stop the benchmark
            result["widgets"][label] = {"status": f"error: {type(error).__name__}: {error}"}
    print(MARKER + json.dumps(result))


# --- client side: start the kernel, run nbval ---------------------------------------------------

def measure_in_kernel(env, threads, repeats, timeout=120):
    """Start a course kernel with ``env``, run ``kernel_main`` there with ``threads`` BLAS threads."""
    from jupyter_client.manager import start_new_kernel

    kernel, client = start_new_kernel(kernel_name="python3", env=env, cwd=str(REPO))
    lines = []

    def keep_stdout(message):
        if message["msg_type"] == "stream":
            lines.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            lines.append(MARKER + json.dumps({"kernel_error": message["content"]["evalue"]}) + "\n")

    try:
        code = (f"import sys; sys.path.insert(0, {str(REPO / 'bench')!r})\n"
                f"import interactive; interactive.kernel_main({repeats}, {threads})")
        client.execute_interactive(code, output_hook=keep_stdout, timeout=timeout)
    finally:
        client.stop_channels()
        kernel.shutdown_kernel(now=True)
    for line in "".join(lines).splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER):])
    return {"kernel_error": "no result printed: " + "".join(lines)[-500:]}


def time_notebooks(env, timeout=300):
    """Seconds to run each notebooks/*.ipynb under ``pytest --nbval-lax``; [] if there are none."""
    results = []
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        start = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider",
                                   str(notebook.relative_to(REPO))], cwd=REPO, env=env, capture_output=True,
                                  text=True, timeout=timeout)
            status = "passed" if done.returncode == 0 else f"failed (pytest exit {done.returncode})"
        except subprocess.TimeoutExpired:
            status = f"timed out after {timeout} s"
        results.append({"notebook": notebook.name, "seconds": time.perf_counter() - start, "status": status})
    return results


def environment_for_kernel(base_env):
    """The kernel's environment: the course venv first on PATH (as `make` does)."""
    env = dict(base_env)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env
