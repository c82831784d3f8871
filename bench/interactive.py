"""The interactive budgets: widget updates measured inside a real IPython kernel, notebooks under nbval.

``measure_in_kernel(threads, repeats)`` starts a fresh course kernel (the
inline matplotlib backend, as in JupyterLab), builds each widget there and
times a control change end to end: the observer retrains the model, updates
the artists and re-renders the figure into its Output widget (PNG included).
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


def _median(values):
    values = sorted(values)
    return values[len(values) // 2]


def _build(module_name, preferred_names=()):
    """Import ``module_name`` and build its widget without arguments: (widget object, note)."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None, "not available yet"
        raise
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
    return None, f"no widget class buildable without arguments in {module_name} ({'; '.join(problems) or 'none found'})"


def _numeric_controls(obj):
    """Attributes of ``obj`` that are numeric ipywidgets controls with a range: {name: control}."""
    import ipywidgets

    return {name: control for name, control in vars(obj).items()
            if isinstance(control, ipywidgets.ValueWidget) and hasattr(control, "min")
            and isinstance(control.value, (int, float)) and not isinstance(control.value, bool)}


def _redraw_count(obj):
    from nnlib.widgets.live_figure import LiveFigure

    return sum(value.redraws for value in vars(obj).values() if isinstance(value, LiveFigure))


def _show(obj):
    from IPython.display import display

    display(obj.widget)


def measure_line_widget(repeats):
    """Median ms of one slider change of the linear-regression widget (retrain + redraw), per slider."""
    obj, note = _build("nnlib.widgets.line", preferred_names=("LineWidget", "LinearRegressionWidget"))
    if obj is None:
        return {"status": note}
    _show(obj)
    per_control = {}
    for name, control in _numeric_controls(obj).items():
        start = control.value
        step = getattr(control, "step", None) or (control.max - control.min) / 20
        other = start + step if start + step <= control.max else start - step
        times, redraws_before = [], _redraw_count(obj)
        for i in range(repeats):
            t = time.perf_counter()
            control.value = other if i % 2 == 0 else start
            times.append(time.perf_counter() - t)
        per_control[name] = {"median_ms": 1e3 * _median(times), "max_ms": 1e3 * max(times),
                             "redraws_per_change": (_redraw_count(obj) - redraws_before) / repeats}
    if not per_control:
        return {"status": f"{note}: no numeric slider found to move"}
    worst = max(per_control, key=lambda name: per_control[name]["median_ms"])
    return {"status": "ok", "class": note, "controls": per_control, "slowest_control": worst,
            "median_ms": per_control[worst]["median_ms"]}


def measure_playground(repeats):
    """Median ms of one playground frame (training steps + decision-boundary redraw)."""
    import ipywidgets

    obj, note = _build("nnlib.widgets.playground", preferred_names=("Playground",))
    if obj is None:
        return {"status": note}
    _show(obj)
    frame, how = None, None
    for name in FRAME_METHODS:
        method = getattr(obj, name, None)
        if callable(method):
            frame, how = method, f"{note}.{name}()"
            break
    if frame is None:
        plays = [(name, w) for name, w in vars(obj).items() if isinstance(w, ipywidgets.Play)]
        if plays:
            name, play = plays[0]

            def frame():
                play.value = play.value + 1 if play.value < play.max else play.min
            how = f"{note}.{name}.value += 1"
    if frame is None:
        return {"status": f"{note}: no frame method ({', '.join(FRAME_METHODS)}) and no Play widget found"}
    frame()  # the first frame may build things once
    times, redraws_before = [], _redraw_count(obj)
    for _ in range(repeats):
        t = time.perf_counter()
        frame()
        times.append(time.perf_counter() - t)
    return {"status": "ok", "frame": how, "median_ms": 1e3 * _median(times), "max_ms": 1e3 * max(times),
            "redraws_per_frame": (_redraw_count(obj) - redraws_before) / repeats}


def kernel_main(repeats):
    """Entry point run in the kernel: prints one marked JSON line."""
    from threadpoolctl import threadpool_info

    result = {"blas_threads": [pool["num_threads"] for pool in threadpool_info()]}
    for key, measure in (("line_widget", measure_line_widget), ("playground", measure_playground)):
        try:
            result[key] = measure(repeats)
        except Exception as error:  # a half-written widget must not stop the benchmark
            result[key] = {"status": f"error: {type(error).__name__}: {error}"}
    print(MARKER + json.dumps(result))


# --- client side: start the kernel, run nbval ---------------------------------------------------

def measure_in_kernel(env, repeats, timeout=120):
    """Start a course kernel with ``env``, run ``kernel_main`` there, return its result dict."""
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
                f"import interactive; interactive.kernel_main({repeats})")
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
