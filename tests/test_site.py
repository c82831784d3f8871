"""The course website (`make site`, tools/build_site.py).

The site tests build the whole site into a temporary folder, which executes every notebook (about a
minute on two cores), so they run only when NNLIB_RUN_SITE_TESTS=1 (CI sets it in .ci/run); without
it they are skipped with that reason. Locally:
    NNLIB_RUN_SITE_TESTS=1 make test PYTEST_ARGS=tests/test_site.py
They check what a reader gets: every notebook has a page in course order with previous/next links,
a code cell that shows a plot shows a PNG, every widget has its saved state and a snapshot with its
figures (never a text repr like `VBox(children=...)`), no page shows a traceback, and every link
inside the site leads to a file of the site.
The tests at the end check the builder's parts (snapshots, module pages, links) without a build.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
import site_widgets  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))  # with the R companion, 12r_...
MODULES = sorted((ROOT / "nnlib").rglob("*.py"))
RUN_SITE = os.environ.get("NNLIB_RUN_SITE_TESTS") == "1"
pytestmark = pytest.mark.slow  # builds the site: executes every notebook
needs_build = pytest.mark.skipif(not RUN_SITE, reason="builds the whole site (executes every notebook, ~1 min): "
                                                     "set NNLIB_RUN_SITE_TESTS=1 (CI does)")
# A widget printed instead of rendered: ipywidgets' repr (`VBox(children=(IntSlider(value=3, ...`) or an object's.
WIDGET_AS_TEXT = re.compile(r"\b(?:[A-Z][A-Za-z]*(?:Box|Slider|Button|Buttons|Dropdown|Checkbox|Text|Progress)|"
                            r"HTML|HTMLMath|Label|Image|Play|Output)\((?:children|value|description|layout|options)="
                            r"|<nnlib\.widgets\.[\w.]+ (?:object )?at 0x")
TRACEBACK = "Traceback (most recent call last)"
PLOTS = re.compile(r"\bplt\.(show|subplots|figure)\(")  # a cell that makes a matplotlib figure shows it


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    return out, result


def page(site, path):
    out, _ = site
    html_path = out / "notebooks" / f"{path.stem}.html"
    assert html_path.exists(), f"no page for {path.name}"
    return BeautifulSoup(html_path.read_text(), "html.parser")


def widget_state(soup):
    script = soup.find("script", type=site_widgets.STATE_MIME)
    return json.loads(script.string)["state"] if script else {}


@needs_build
def test_the_build_succeeds(site):
    out, result = site
    assert result.returncode == 0, f"build_site.py failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    manifest = json.loads((out / "manifest.json").read_text())
    assert [name for name, entry in manifest["notebooks"].items() if entry["error"]] == []


@needs_build
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_a_page_in_course_order(site, path):
    soup = page(site, path)
    notebook = nbformat.read(path, as_version=4)
    assert build_site.notebook_title(notebook, path) in soup.title.string
    sidebar = [a["href"] for a in soup.select("nav.course-sidebar ol.course-notebooks a")]
    assert sidebar == [f"../notebooks/{p.stem}.html" for p in NOTEBOOKS], "the contents list every notebook, in order"
    index = NOTEBOOKS.index(path)
    previous = soup.select_one("header.course-topbar a[rel=prev]")["href"]
    assert previous == ("../index.html" if index == 0 else f"../notebooks/{NOTEBOOKS[index - 1].stem}.html")
    following = soup.select_one("header.course-topbar a[rel=next]")
    if index + 1 < len(NOTEBOOKS):
        assert following["href"] == f"../notebooks/{NOTEBOOKS[index + 1].stem}.html"
    else:
        assert following is None
    code_cells = [cell.id for cell in notebook.cells if cell.cell_type == "code"]
    assert [div["id"].removeprefix("cell-id=") for div in soup.select("div.jp-CodeCell")] == code_cells, \
        "every code cell of the notebook is on its page, in order"


@needs_build
def test_the_r_notebook_runs_on_the_r_kernel_or_says_why_it_did_not(site):
    path = ROOT / "notebooks" / "12r_the_question_in_r.ipynb"
    soup = page(site, path)
    has_r = build_site.kernel_missing("ir") is None
    assert bool(soup.select("div.jp-OutputArea-output")) == has_r
    assert ("without its outputs" in soup.get_text()) != has_r


@needs_build
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_plots_and_widgets_show_their_figures(site, path):
    soup = page(site, path)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and PLOTS.search(cell.source):
            images = soup.select(f'div[id="cell-id={cell.id}"] .jp-OutputArea img[src^="data:image/png;base64,"]')
            assert images, f"cell {cell.id} makes a plot in the notebook but shows no PNG on the page"
    state = widget_state(soup)
    for view in soup.select("div.course-widget"):
        model_id = json.loads(view.find("script", type="application/vnd.jupyter.widget-view+json").string)["model_id"]
        assert model_id in state, "a widget on the page has no saved state"
        snapshot_images = view.select('.course-snapshot img[src^="data:image/png;base64,"]')
        assert len(snapshot_images) == site_widgets.images_in(model_id, state), "the snapshot lost a figure"
        assert view.select_one(".course-widget-note"), "each widget says it is live in JupyterLab"


@needs_build
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_page_shows_a_traceback_or_a_widget_as_text(site, path):
    soup = page(site, path)
    main = soup.find("main")
    assert TRACEBACK not in main.get_text(), "a cell raised an exception"
    assert not main.select(".course-error"), "a cell shows an error output"
    for output in main.select(".jp-OutputArea-output"):
        text = output.get_text()
        assert not WIDGET_AS_TEXT.search(text), f"a widget is shown as text: {text[:200]!r}"


@needs_build
def test_every_module_has_a_page_and_the_readme_is_the_landing_page(site):
    out, _ = site
    for module in MODULES:
        html_path = out / module.relative_to(ROOT).with_suffix(".html")
        assert html_path.exists(), f"no page for {module.relative_to(ROOT)}"
        code = "\n".join(pre.get_text() for pre in BeautifulSoup(html_path.read_text(), "html.parser")
                       .select("main .jp-CodeCell pre"))
        assert [line for line in code.splitlines() if line.strip()] == \
               [line for line in module.read_text().splitlines() if line.strip()], "the page shows the whole source"
    home = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    readme_title = re.search(r"^# (.+)$", (ROOT / "README.md").read_text(), re.MULTILINE).group(1)
    assert home.find("main").find("h1").get_text().strip().rstrip("¶") == readme_title
    assert home.select_one("header.course-topbar a[rel=next]")["href"] == f"notebooks/{NOTEBOOKS[0].stem}.html"


@needs_build
def test_every_link_inside_the_site_leads_to_a_file_of_the_site(site):
    out, _ = site
    broken = []
    for html_path in out.rglob("*.html"):
        if "static" in html_path.relative_to(out).parts:
            continue
        soup = BeautifulSoup(html_path.read_text(), "html.parser")
        for tag, attribute in (("a", "href"), ("img", "src"), ("script", "src")):
            for element in soup.find_all(tag, **{attribute: True}):
                url = urlsplit(element[attribute])
                if url.scheme or url.netloc or not url.path:
                    continue  # another site, a data: URI, or a link within the page
                if not (html_path.parent / unquote(url.path)).resolve().is_file():
                    broken.append(f"{html_path.relative_to(out)} -> {element[attribute]}")
    assert broken == []


@needs_build
def test_formulas_render_offline(site):
    out, _ = site
    assert (out / "static" / "mathjax" / "MathJax.js").is_file()
    soup = page(site, NOTEBOOKS[1])
    sources = [script.get("src", "") for script in soup.find_all("script")]
    assert any(src.startswith("../static/mathjax/MathJax.js") for src in sources), "MathJax comes with the site"


# --- the builder's parts, without a build ----------------------------------------------------------

def image_state():
    """A saved widget state: a VBox of a slider, a dropdown, a hidden label and a PNG image."""
    png = "iVBORw0KGgo="  # base64 of the PNG signature: enough for a data URI
    models = {
        "box": ("VBoxModel",
                {"children": ["IPY_MODEL_slider", "IPY_MODEL_menu", "IPY_MODEL_hidden", "IPY_MODEL_image"]}),
        "slider": ("FloatSliderModel", {"description": "learning rate", "value": 0.05, "readout_format": ".2f"}),
        "menu": ("DropdownModel", {"description": "activation", "_options_labels": ["relu", "tanh"], "index": 1}),
        "hidden": ("LabelModel", {"value": "secret", "layout": "IPY_MODEL_hidden_layout"}),
        "hidden_layout": ("LayoutModel", {"display": "none"}),
        "image": ("ImageModel", {"format": "png"}),
    }
    state = {model_id: {"model_name": name, "state": s} for model_id, (name, s) in models.items()}
    state["image"]["buffers"] = [{"path": ["value"], "encoding": "base64", "data": png}]
    return state


def test_a_widget_snapshot_shows_the_controls_values_and_the_figure():
    state = image_state()
    soup = BeautifulSoup(site_widgets.snapshot("box", state), "html.parser")
    assert [c.get_text(" ", strip=True) for c in soup.select(".snap-control")] == ["learning rate 0.05",
                                                                                   "activation tanh"]
    assert soup.select_one("img")["src"] == "data:image/png;base64,iVBORw0KGgo="
    assert "secret" not in soup.get_text(), "hidden widgets stay hidden"
    assert site_widgets.images_in("box", state) == 1
    assert site_widgets.snapshot("unknown", state) == ""


def test_a_module_page_shows_every_line_of_the_source_once():
    for module in (ROOT / "nnlib" / "models.py", ROOT / "nnlib" / "plots" / "__init__.py"):
        notebook = build_site.module_notebook(module, "https://github.com/o/r")
        code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
        assert [line for line in code.splitlines() if line.strip()] == \
               [line for line in module.read_text().splitlines() if line.strip()]
        ids = [cell.id for cell in notebook.cells]
        assert len(ids) == len(set(ids))
    header = build_site.module_notebook(ROOT / "nnlib" / "models.py", "https://github.com/o/r").cells[0].source
    assert "[`LinearRegression`](#cell-id=LinearRegression)" in header


def test_links_written_for_the_repository_point_at_the_site():
    site_files = {"index.html", "notebooks/01_parameters_of_a_line.html", "nnlib/models.html"}

    def rewrite(html, folder, href):
        return build_site.rewrite_links(html, folder, href, site_files, "https://github.com/o/r")

    assert rewrite('<a href="notebooks/01_parameters_of_a_line.ipynb#Summary">', "", "index.html") == \
        '<a href="notebooks/01_parameters_of_a_line.html#Summary">'
    assert rewrite('<a href="../nnlib/models.py">', "notebooks", "notebooks/x.html") == \
        '<a href="../nnlib/models.html">'
    assert rewrite('<a href="data/README.md">', "", "index.html") == \
        '<a href="https://github.com/o/r/blob/main/data/README.md">'
    for unchanged in ('<a href="#Summary">', '<a href="https://example.org/a.py">', '<a href="no/such/file.txt">'):
        assert rewrite(unchanged, "", "index.html") == unchanged
