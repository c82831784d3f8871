"""Every figure in the notebooks is described in words (issue 36: WCAG 2.1 AA, success criterion 1.1.1).

Statically, for every notebook: no ``plt.show()``; every Python cell that makes a matplotlib figure (pyplot,
``.figure(``, or an nnlib.plots function that draws a new figure) shows it with
``nnlib.plots.figures.show(fig, description)``, the description computed in the cell (an f-string, not fixed text);
every R cell that plots carries its description in the cell metadata ``alt`` (which nbconvert reads). Dynamically:
``show`` itself, run in a real kernel, puts the description in the image's ``alt`` metadata and in a caption, and
refuses a missing or short description and a non-figure with a message that says what to do. Whether every image of
every executed notebook has an alt is checked on the website (tests/test_site.py).
"""
import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import nbformat
import pytest

import nnlib.plots
from nnlib.plots.figures import CAPTION_KEY, MIN_WORDS

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
# pyplot calls that make, draw on or lay out a figure, except these: they change settings or close figures.
PYPLOT_WITHOUT_FIGURE = {"close", "rc", "rcdefaults", "rc_context", "ioff", "ion", "isinteractive", "switch_backend",
                         "get_cmap", "colormaps", "get_fignums", "show"}
R_PLOT = re.compile(r"\b(plot|ggplot|qplot|barplot|hist|boxplot|matplot)\s*\(")
PYTHON_KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}
SHOW_HELP = ('show it with `show(fig, f"...")` (from nnlib.plots.figures import show), the description computed '
             "from the numbers the cell plots")


def _figure_makers():
    """From nnlib.plots' source: ({functions that always draw a new figure}, {function: position of its ``ax``
    argument, for functions that draw a new figure when not given an Axes})."""
    functions = {}
    for info in pkgutil.iter_modules(nnlib.plots.__path__):
        module = importlib.import_module(f"nnlib.plots.{info.name}")
        functions.update({name: function for name, function in inspect.getmembers(module, inspect.isfunction)
                          if function.__module__ == module.__name__ and not name.startswith("_")})
    calls = {name: {ast.unparse(node.func) for node in ast.walk(ast.parse(inspect.getsource(function)))
                    if isinstance(node, ast.Call)} for name, function in functions.items()}
    always, without_ax = set(), {}
    for name, called in calls.items():
        if called & {"plt.subplots", "plt.figure", "plt.subplot_mosaic"}:
            parameters = list(inspect.signature(functions[name]).parameters)
            if "ax" in parameters:
                without_ax[name] = parameters.index("ax")
            else:
                always.add(name)
    grown = True
    while grown:  # a function that calls one that always makes a figure makes one too (plot_misclassified)
        callers = {name for name, called in calls.items() if called & always} - always - set(without_ax)
        always |= callers
        grown = bool(callers)
    return always, without_ax


ALWAYS_NEW_FIGURE, NEW_FIGURE_WITHOUT_AX = _figure_makers()


def _python_code(source):
    """A Python cell's source with IPython magics and shell lines blanked (so ast can parse it); None for a cell
    that is not Python (``%%R`` and other cell magics that run another language)."""
    first = source.lstrip().split("\n", 1)[0]
    if first.startswith("%%"):
        if first.split()[0] not in ("%%time", "%%timeit", "%%capture"):
            return None
        source = source.lstrip().split("\n", 1)[1] if "\n" in source.lstrip() else ""
    return "\n".join(re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in source.split("\n"))


def _makes_figure(call):
    """Whether this ast.Call makes or draws on a matplotlib figure."""
    function = call.func
    if isinstance(function, ast.Attribute):
        if isinstance(function.value, ast.Name) and function.value.id == "plt":
            return function.attr not in PYPLOT_WITHOUT_FIGURE
        return function.attr == "figure"
    if isinstance(function, ast.Name):
        if function.id in ALWAYS_NEW_FIGURE or function.id == "Figure":
            return True
        if function.id in NEW_FIGURE_WITHOUT_AX:
            given_ax = any(keyword.arg == "ax" for keyword in call.keywords) \
                or len(call.args) > NEW_FIGURE_WITHOUT_AX[function.id]
            return not given_ax
    return False


def _show_calls(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "show"]


def _description(call):
    """The description argument of a show(...) call, or None."""
    if len(call.args) >= 2:
        return call.args[1]
    return next((keyword.value for keyword in call.keywords if keyword.arg == "description"), None)


def python_cell_problems(source):
    """What is wrong with one Python cell's figures, in words (empty: nothing)."""
    code = _python_code(source)
    if code is None:
        return []
    if re.search(r"\bplt\.show\(", code):
        return [f"it calls plt.show(), which shows the figure without a description: {SHOW_HELP}"]
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return [f"it is not valid Python ({error.msg}, line {error.lineno}), so its figures cannot be checked"]
    makers = sorted({ast.unparse(node.func) for node in ast.walk(tree)
                     if isinstance(node, ast.Call) and _makes_figure(node)})
    shows = _show_calls(tree)
    problems = []
    if makers and not shows:
        problems.append(f"it makes a figure ({', '.join(makers)}) but never calls show(fig, description): "
                        f"{SHOW_HELP}")
    for call in shows:
        description = _description(call)
        if description is None:
            problems.append(f"`{ast.unparse(call)}` has no description: {SHOW_HELP}")
        elif isinstance(description, ast.Constant) or (
                isinstance(description, ast.JoinedStr)
                and not any(isinstance(part, ast.FormattedValue) for part in description.values)):
            problems.append(f"`{ast.unparse(call)[:80]}...` describes the figure with fixed text: put the numbers "
                            "the figure shows into an f-string, computed from the plotted variables, so the "
                            "description stays true when the data change")
    return problems


def r_cell_problems(source, metadata):
    """What is wrong with one R cell's plots, in words (empty: nothing)."""
    code = "\n".join(line.split("#", 1)[0] for line in source.split("\n"))
    if not R_PLOT.search(code):
        return []
    alt = metadata.get("alt")
    if not isinstance(alt, str) or len(alt.split()) < MIN_WORDS:
        return [f"it plots ({R_PLOT.search(code).group(0)}...) but its cell metadata has no \"alt\" of at least "
                f"{MIN_WORDS} words: describe what the plot shows, with its numbers, in the cell's metadata "
                "(JupyterLab: property inspector, Cell Metadata: {\"alt\": \"...\"}); nbconvert uses it as the "
                "image's alt text"]
    return []


def notebook_problems(notebook):
    """[(cell number, cell id, problem)] for one notebook."""
    r_notebook = notebook.metadata.get("kernelspec", {}).get("language", "python").lower() == "r"
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        is_r = r_notebook or cell.source.lstrip().startswith("%%R")
        found = r_cell_problems(cell.source, cell.metadata) if is_r else python_cell_problems(cell.source)
        problems += [(number, cell.get("id"), problem) for problem in found]
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_shown_with_a_computed_description(path):
    problems = notebook_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}: figures without a description:\n" + "\n".join(
        f"  cell {number} (id {cell_id}): {problem}" for number, cell_id, problem in problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_that_calls_show_imports_it_from_nnlib(path):
    notebook = nbformat.read(path, as_version=4)
    trees = [ast.parse(code) for cell in notebook.cells if cell.cell_type == "code"
             and (code := _python_code(cell.source)) is not None and _parses(code)]
    if not any(_show_calls(tree) for tree in trees):
        pytest.skip(f"{path.name} shows no figure with show()")
    assert any(isinstance(node, ast.ImportFrom) and node.module == "nnlib.plots.figures"
               and any(alias.name == "show" for alias in node.names)
               for tree in trees for node in ast.walk(tree)), \
        f"{path.name} calls show(...) but never imports it: add `from nnlib.plots.figures import show` to its " \
        "imports cell"


def _parses(code):
    try:
        ast.parse(code)
    except SyntaxError:
        return False
    return True


def test_the_figure_makers_are_found_in_nnlib_plots():
    """The static check knows which nnlib.plots functions make a figure; if this list went empty, it would pass
    notebooks that show figures without descriptions."""
    assert {"plot_paths", "plot_gradient_clouds", "show_images", "plot_misclassified"} <= ALWAYS_NEW_FIGURE
    assert "show" not in ALWAYS_NEW_FIGURE, "show displays a figure it is given; it makes none"
    assert {"scatter_data": 2, "plot_decision_boundary": 3}.items() <= NEW_FIGURE_WITHOUT_AX.items()


@pytest.mark.parametrize("source, complaint", [
    ("fig, ax = plt.subplots()\nax.plot([1, 2])\nplt.show()", "plt.show()"),
    ("fig, ax = plt.subplots()\nax.plot([1, 2])", "never calls show"),
    ("fig = plt.figure()\nfig", "never calls show"),
    ("plt.plot([1, 2])", "never calls show"),
    ("scatter_data(X, y)", "never calls show"),
    ("fig = plot_paths(x, y, paths)", "never calls show"),
    ("plot_decision_boundary(model.predict_proba, X, y, title='t')", "never calls show"),
    ("fig, ax = plt.subplots()\nshow(fig)", "has no description"),
    ("fig, ax = plt.subplots()\nshow(fig, 'a line that rises from left to right')", "fixed text"),
    ("fig, ax = plt.subplots()\nshow(fig, f'a line that rises from left to right')", "fixed text"),
    ("fig, ax = plt.subplots(\n", "not valid Python"),
])
def test_the_static_check_finds_figures_without_descriptions(source, complaint):
    problems = python_cell_problems(source)
    assert problems and complaint in problems[0], problems


@pytest.mark.parametrize("source", [
    "fig, ax = plt.subplots()\nax.plot(x, y)\nshow(fig, f'a line from {y[0]} to {y[-1]} over {len(x)} points')",
    "ax = scatter_data(X, y)\nshow(ax.figure, description)",
    "scatter_data(X, y, ax=ax)\nplot_decision_boundary(f, X, y, ax)\nplot_confusion_matrix(m, names, axes[0])",
    "%matplotlib inline\nimport numpy as np\nplt.close('all')",
    "%%R\nplot(x)",  # an R cell: the R check handles it
    "widget = NeuronWidget(X, y)\nwidget",
])
def test_the_static_check_accepts_described_figures_and_cells_without_figures(source):
    assert python_cell_problems(source) == []


def test_the_r_check_requires_an_alt_for_cells_that_plot():
    assert r_cell_problems("plot(size, val_loss)", {}) != []
    assert r_cell_problems("hist(x)  # spread", {"alt": "short"}) != []
    assert r_cell_problems("p <- ggplot(d, aes(x, y))", {"alt": "Validation loss against size: lowest at 4 units"}) \
        == []
    assert r_cell_problems("# plot(x) would show it\nfit <- nnet(y ~ x)", {}) == []
    r_notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"display_name": "R", "language": "R", "name": "ir"}})
    r_notebook.cells = [nbformat.v4.new_code_cell("barplot(table(d$sex))")]
    assert [problem[:2] for problem in notebook_problems(r_notebook)] == [(1, r_notebook.cells[0].id)]
    python_notebook = nbformat.v4.new_notebook(metadata={"kernelspec": PYTHON_KERNEL})
    python_notebook.cells = [nbformat.v4.new_code_cell("%%R -i d\nhist(d$x)")]
    assert len(notebook_problems(python_notebook)) == 1


# show() itself, in a real kernel with the inline backend, as a learner's notebook runs it.
GOOD = 'a line rising from 0 at x = 0 to 2 at x = 1, <b>steeply</b> & straight'
SHOW_CELLS = [
    "import matplotlib.pyplot as plt\nfrom nnlib.plots.figures import show\n"
    f"fig, ax = plt.subplots()\nax.plot([0, 1], [0, 2])\nshow(fig, {GOOD!r})",
    "print(len(plt.get_fignums()), 'figures open')",
    "show(plt.figure(), 'too short')",
    "show(plt.figure(), '')",
    "show(plt.figure(), None)",
    "fig, ax = plt.subplots()\nshow(ax, 'the axes, not the figure, passed by mistake')",
]


@pytest.fixture(scope="module")
def shown():
    """The cells above, executed in one python3 kernel."""
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": PYTHON_KERNEL})
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in SHOW_CELLS]
    NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return [cell.outputs for cell in notebook.cells]


def test_show_puts_the_description_in_the_alt_and_a_caption_and_shows_the_figure_once(shown):
    outputs = shown[0]
    images = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == 1, f"the figure should be shown exactly once, got {len(images)} images: {outputs}"
    assert images[0].metadata["image/png"]["alt"] == GOOD
    captions = [output for output in outputs if output.get("metadata", {}).get(CAPTION_KEY)]
    assert len(captions) == 1 and outputs.index(captions[0]) == outputs.index(images[0]) + 1, outputs
    html = captions[0].data["text/html"]
    assert 'class="nnlib-caption"' in html and "&lt;b&gt;steeply&lt;/b&gt; &amp; straight" in html, html
    assert captions[0].data["text/plain"] == f"Figure: {GOOD}"
    assert [output.output_type for output in outputs] == ["display_data", "display_data"], outputs
    assert shown[1][0].text.strip() == "0 figures open", "show closes the figure, so it is not drawn a second time"


@pytest.mark.parametrize("cell, error, advice", [
    (2, "ValueError", f"at least {MIN_WORDS} words"),
    (3, "ValueError", f"at least {MIN_WORDS} words"),
    (4, "ValueError", f"at least {MIN_WORDS} words"),
    (5, "TypeError", "plt.subplots()"),
])
def test_show_refuses_a_missing_or_short_description_and_a_non_figure(shown, cell, error, advice):
    errors = [output for output in shown[cell] if output.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == error, shown[cell]
    assert advice in errors[0].evalue, errors[0].evalue
