"""Build the course website: every notebook executed, in course order, with navigation.

    python tools/build_site.py [--out site] [--jobs N] [--no-cache] [--hub URL]     (or: make site)

Pages (the output folder is git-ignored and rebuilt from scratch):
    index.html                   the README, as the landing page
    notebooks/NN_name.html       each notebook, executed: outputs, plots, widget snapshots
    notebooks/NN_name.ipynb      the notebook as committed, to download
    nnlib/<module>.html          each module of nnlib: its definitions, then its source
    nnlib/<module>.py            each module's source, to download
    static/mathjax/              MathJax 2 (from jupyter-server-mathjax), so formulas render offline
    pagefind/                    the search index and Pagefind's search box (python -m pagefind), offline too
    manifest.json                the pages, each notebook's execution time and errors, figures without a
                                 description (the tests read it)

Every page has a contents sidebar (home, the notebooks, nnlib's modules) with a search box, previous/next
links, links that open it in Binder, Colab and (with --hub URL, or NNLIB_SITE_HUB) a JupyterHub, a download of
its notebook or module, and links to edit it or report a problem. The pages aim at WCAG 2.1 AA (checked with
axe-core by tests/test_site.py): figures carry their description as alt text (nnlib.plots.figures.show), a
skip link, a dark mode that follows the system setting, MathJax's assistive MathML for formulas.
Kept tools do the work: nbclient executes the notebooks (in parallel, storing the widget state) and
nbconvert renders them with its JupyterLab template, extended in tools/site_template/course.
Executed notebooks are cached in build/site-cache/, keyed by the notebook, nnlib, the data and the
locks, so a rebuild re-executes only what changed (--no-cache executes everything).
Exit status 1 if a notebook fails to execute; its page is still written and shows the traceback.
"""
import argparse
import ast
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import quote

import launch_links
import nbformat
import site_widgets
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "site_template"
CACHE = ROOT / "build" / "site-cache"
KERNEL = "python3"
CELL_TIMEOUT = 600  # seconds; a notebook cell should take a few
# MathJax 2's combined configuration; it preloads the AssistiveMML extension, which puts a hidden MathML copy of
# each formula beside its rendering (.MJX_Assistive_MathML) for screen readers. Safe.js: no script from formulas.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
PAGEFIND_GLOB = "{index.html,notebooks/*.html,nnlib/**/*.html}"  # the course's pages (not MathJax's files)
HTML_MANAGER = "^1.0"  # @jupyter-widgets/html-manager 1.x renders ipywidgets 8 state (loaded from a CDN online)
MODULE_GROUPS = (("nnlib", "core"), ("nnlib.datasets", "datasets"), ("nnlib.plots", "plots"),
                 ("nnlib.widgets", "widgets"), ("nnlib.bridges", "bridges"), ("nnlib.learner", "your library"),
                 ("nnlib.exercises", "exercises"))


# --- the pages --------------------------------------------------------------------------------

def notebook_title(notebook, path):
    """'01 · The parameters of a line' from the notebook's '# ' heading (else its file name)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^# (.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return path.stem


def notebook_pages():
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))  # NN_topic, and NNr_topic for R users
    return [{"source": path, "href": f"notebooks/{path.stem}.html",
             "title": notebook_title(nbformat.read(path, as_version=4), path)} for path in paths]


def module_pages():
    """One page per nnlib/**/*.py (package __init__ files included), grouped like MODULE_GROUPS."""
    pages = []
    for path in sorted((ROOT / "nnlib").rglob("*.py")):
        relative = path.relative_to(ROOT)
        package = ".".join(relative.parent.parts)
        pages.append({"source": path, "href": relative.with_suffix(".html").as_posix(),
                      "title": relative.as_posix().removeprefix("nnlib/"), "package": package})
    return pages


# --- executing notebooks ----------------------------------------------------------------------

def cache_key(path):
    """Hash of what a notebook's outputs depend on: itself, nnlib, the data, the locks, Python."""
    digest = hashlib.sha256(path.read_bytes())
    for dependency in sorted([*(ROOT / "nnlib").rglob("*.py"), *(ROOT / "data").glob("*"),
                              *ROOT.glob("requirements*.lock")]):
        digest.update(dependency.relative_to(ROOT).as_posix().encode() + dependency.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:20]


NOT_EXECUTED_ID = "site-not-executed"


def kernel_missing(kernel):
    """Why ``kernel`` cannot start here ("was not installed", or its program is not on the PATH), or None."""
    specs = KernelSpecManager()
    if kernel not in specs.find_kernel_specs():
        return "was not installed"
    program = specs.get_kernel_spec(kernel).argv[0]
    if shutil.which(program) is None:  # e.g. IRkernel's spec is there but R is not on the PATH
        return f"was installed, but its program {program!r} was not found"
    return None


def execute(path):
    """Run a notebook top to bottom in its folder; return (executed notebook JSON, error or None, seconds).

    A notebook for the R kernel runs on it ("ir") when R and IRkernel are installed; otherwise the page
    shows the notebook without outputs, under a note that says why (and it is not cached).
    """
    start = time.perf_counter()
    notebook = nbformat.read(path, as_version=4)
    kernel = "ir" if launch_links.is_r_notebook(notebook) else KERNEL
    if missing := kernel_missing(kernel):
        note = nbformat.v4.new_markdown_cell(
            f"*This page shows the notebook without its outputs: the {kernel!r} kernel (R with IRkernel) {missing} "
            f"where the website was built. Run it yourself: see the README, \"For R users\".*",
            id=NOT_EXECUTED_ID)
        notebook.cells.insert(1, note)
        return nbformat.writes(notebook), None, 0.0
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name=kernel, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    error = None
    try:
        # The kernel's own stderr is start-up chatter (ipykernel warns about unencrypted local TCP);
        # what a notebook prints to stderr is still in its outputs.
        client.execute(stderr=subprocess.DEVNULL)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        error = (str(exc).strip().splitlines() or [type(exc).__name__])[-1]
    return nbformat.writes(notebook), error, time.perf_counter() - start


def execute_all(pages, jobs, use_cache):
    """Execute every notebook page (cached ones are read back); fills page['notebook'], ['error'], ['seconds']."""
    todo = []
    for page in pages:
        cached = CACHE / f"{page['source'].stem}-{cache_key(page['source'])}.ipynb"
        page["cache"] = cached
        if use_cache and cached.exists():
            page.update(notebook=nbformat.read(cached, as_version=4), error=None, seconds=0.0, cached=True)
        else:
            todo.append(page)
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo) or 1))) as pool:
        for page, (text, error, seconds) in zip(todo, pool.map(execute, [p["source"] for p in todo])):
            page.update(notebook=nbformat.reads(text, as_version=4), error=error, seconds=seconds, cached=False)
            done = "not executed (no R kernel)" if NOT_EXECUTED_ID in text else f"executed {seconds:5.1f} s"
            print(f"  {page['source'].name:40s} {done}" + (f"  FAILED: {error}" if error else ""),
                  flush=True)
            if error is None and NOT_EXECUTED_ID not in text:
                CACHE.mkdir(parents=True, exist_ok=True)
                for old in CACHE.glob(f"{page['source'].stem}-*.ipynb"):
                    old.unlink()
                page["cache"].write_text(text)


# --- rendering --------------------------------------------------------------------------------

def module_notebook(path, repository):
    """A module as a notebook: a title cell listing its definitions, then one code cell per definition."""
    source = path.read_text()
    tree = ast.parse(source)
    lines = source.splitlines()
    starts, rows = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1  # the comment just above a definition belongs to it
            starts.append((start, node.name))
            if not node.name.startswith("_"):
                summary = (ast.get_docstring(node) or "").strip().split("\n\n")[0].replace("\n", " ")
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                rows.append(f"| [`{node.name}`](#cell-id={node.name}) | {kind} | {summary.replace('|', '&#124;')} |")
    relative = path.relative_to(ROOT).as_posix()
    doc = (ast.get_docstring(tree) or "").strip().split("\n\n")[0]
    link = f"[{relative} in the repository]({repository}/blob/{launch_links.BRANCH}/{relative})"
    header = f"# `{relative}`\n\n{doc}\n\n{link}"
    if rows:
        header += "\n\n| definition | kind | summary |\n|---|---|---|\n" + "\n".join(rows)
    # Cell ids: the definition's name (the outline links to it); '-' keeps the others apart from Python names.
    cells = [nbformat.v4.new_markdown_cell(header, id="module-header")]
    bounds = [(0, "module-top"), *starts] if not starts or starts[0][0] > 0 else starts
    for (start, name), (end, _) in zip(bounds, [*bounds[1:], (len(lines), None)]):
        chunk = "\n".join(lines[start:end]).strip("\n")
        if chunk:
            taken = sum(cell.id == name or cell.id.startswith(f"{name}-") for cell in cells)
            cells.append(nbformat.v4.new_code_cell(chunk, id=f"{name}-{taken + 1}" if taken else name))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update({"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                              "language_info": {"name": "python"}})
    return notebook


def readme_notebook():
    readme = nbformat.v4.new_markdown_cell((ROOT / "README.md").read_text(), id="readme")
    return nbformat.v4.new_notebook(cells=[readme])


HREF = re.compile(r'href="([^"#:]+?)(#[^"]*)?"')
HIDDEN_FOCUSABLE = re.compile(r'(<div aria-hidden="true"[^>]*?) tabindex="0"')
MAIN = re.compile(r"<main\b[^>]*>")


def rewrite_links(content, source_dir, page_href, site_files, repository):
    """Relative links in a page's content, written for the repository, pointed at the site.

    source_dir: the folder of the page's source in the repository ('' for the README). A link to a
    notebook or an nnlib module goes to its page; a link to any other file of the repository goes
    to that file on the repository's web page.
    """
    up = "../" * page_href.count("/")

    def replace(match):
        target, fragment = posixpath.normpath(posixpath.join(source_dir, match.group(1))), match.group(2) or ""
        for suffix in (".ipynb", ".py"):
            if target.endswith(suffix) and target.removesuffix(suffix) + ".html" in site_files:
                return f'href="{up}{target.removesuffix(suffix)}.html{fragment}"'
        if not target.startswith("..") and (ROOT / target).exists():
            return f'href="{repository}/blob/{launch_links.BRANCH}/{target}{fragment}"'
        return match.group(0)

    return HREF.sub(replace, content)


def page_links(page, notebook, repository, hub=None):
    """(launch, edit) links of a page: open it in Binder, Colab, the hub; download it; edit it, report a problem.

    The home page offers the whole course as a zip of the repository: a notebook alone does not run without
    nnlib and data/, which the zip has. A module page offers its .py file, copied next to the page.
    """
    kind = page["kind"]
    source = "README.md" if kind == "home" else page["source"].relative_to(ROOT).as_posix()
    opened = "notebooks/00_start_here.ipynb" if kind == "home" else source
    what = {"home": "the course", "notebook": "this notebook", "module": source}[kind]
    launch = []
    if not (kind == "notebook" and launch_links.is_r_notebook(notebook)):  # Binder's environment has no R
        launch.append({"href": launch_links.binder_url(repository, opened), "text": f"Open {what} in Binder"})
    if kind != "module":  # Colab opens notebooks only
        launch.append({"href": launch_links.colab_url(repository, opened),
                       "text": "Open the first notebook in Colab" if kind == "home" else f"Open {what} in Colab"})
    if hub:
        launch.append({"href": launch_links.hub_link(hub, opened, repository),
                       "text": f"Open {what} on your JupyterHub"})
    if kind == "home":
        launch.append({"href": f"{repository}/archive/refs/heads/{launch_links.BRANCH}.zip",
                       "text": "Download the course (zip: notebooks, nnlib and data)"})
    else:
        name = page["source"].name
        launch.append({"href": name, "text": f"Download {name}", "download": True})
        if kind == "notebook":
            launch.append({"href": f"{repository}/blob/{launch_links.BRANCH}/{source}",
                           "text": f"View {name} on GitHub"})
    title = quote(f"Website: {page['title']}")
    edit = [{"href": f"{repository}/edit/{launch_links.BRANCH}/{source}", "text": "Edit this page on GitHub"},
            {"href": f"{repository}/issues/new?title={title}", "text": "Report a problem with this page"}]
    return launch, edit


def undescribed_figures(notebook):
    """Ids of the cells whose image outputs have no description (alt text) in the output's or the cell's metadata."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.metadata.get("alt"):
            continue
        for output in cell.get("outputs", []):
            images = [mime for mime in ("image/png", "image/jpeg", "image/svg+xml") if mime in output.get("data", {})]
            if any(not output.get("metadata", {}).get(mime, {}).get("alt") for mime in images):
                cells.append(cell.id)
                break
    return cells


def render(exporter, notebook, page, context, source_dir, site_files, repository):
    """The HTML of one page; context holds the site-wide navigation."""
    root = "../" * page["href"].count("/")
    exporter.mathjax_url = f"{root}static/mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    exporter.exclude_input_prompt = page.get("kind") == "module"
    state = site_widgets.widget_state(notebook)
    snapshots = {model_id: site_widgets.snapshot(model_id, state) for model_id in state}
    launch, edit = page_links(page, notebook, repository, context["hub"])
    resources = {"metadata": {"name": f"{page['title']} — {context['site_title']}"},
                 "course": {**context, "root": root, "current": page["href"], "kind": page["kind"],
                            "prev": page.get("prev"), "next": page.get("next"), "launch": launch, "edit": edit,
                            "hub_configured": bool(context["hub"]), "widget_snapshots": snapshots,
                            "module_groups": [{**group, "open": any(p["href"] == page["href"] for p in group["pages"])}
                                              for group in context["module_groups"]]}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    # Only the content (between <main> and </main>) was written for the repository; the navigation is the site's.
    # nbconvert makes every output focusable (tabindex="0"); a caption hidden from screen readers must not be.
    body = HIDDEN_FOCUSABLE.sub(r"\1", body)
    opening = MAIN.search(body)
    head, rest = body[:opening.start()], body[opening.end():]
    content, _, tail = rest.partition("</main>")
    main = opening.group(0).replace("<main", '<main class="course-source"', 1) if page.get("kind") == "module" \
        else opening.group(0)
    return head + main + rewrite_links(content, source_dir, page["href"], site_files, repository) + "</main>" + tail


def copy_mathjax(out):
    try:
        import jupyter_server_mathjax
    except ImportError:
        raise SystemExit("the site needs jupyter-server-mathjax (MathJax for offline formulas): run `make site`, "
                         "which installs it, or pip install it into this environment") from None
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", out / "static" / "mathjax")


def index_for_search(out):
    """Pagefind's index of the pages and its search box, in out/pagefind/ (python -m pagefind, the site extra)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--glob", PAGEFIND_GLOB, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        result = None
    if result is None or result.returncode != 0 or not (out / "pagefind" / "pagefind-ui.js").is_file():
        details = "" if result is None else (result.stderr or result.stdout).strip()[-2000:]
        raise SystemExit(f"the site's search index was not built ({' '.join(command[1:])} failed). It needs "
                         f"pagefind[bin] from the site extra: run `make site`, which installs it, or "
                         f"pip install 'pagefind[bin]'.\n{details}")


def build(out, jobs, use_cache=True, hub=None):
    started = time.perf_counter()
    repository = launch_links.repository_url()
    notebooks, modules = notebook_pages(), module_pages()
    readme = (ROOT / "README.md").read_text()
    site_title = re.search(r"^# (.+)$", readme, re.MULTILINE).group(1).strip()
    home = {"href": "index.html", "title": site_title, "kind": "home"}
    for page in notebooks:
        page["kind"] = "notebook"
    for page in modules:
        page["kind"] = "module"
    for previous, following in zip([home, *notebooks], notebooks):
        previous["next"], following["prev"] = {"href": following["href"], "title": following["title"]}, \
                                              {"href": previous["href"], "title": previous["title"]}
    groups = [{"title": f"{title}: {package}", "pages": [p for p in modules if p["package"] == package]}
              for package, title in MODULE_GROUPS]
    assert sum(len(g["pages"]) for g in groups) == len(modules), "a module outside MODULE_GROUPS"
    context = {"site_title": site_title, "notebooks": notebooks, "module_groups": groups,
               "repository": repository, "hub": hub,
               "binder_url": launch_links.binder_url(repository, "notebooks/00_start_here.ipynb")}
    site_files = {p["href"] for p in [home, *notebooks, *modules]}

    print(f"executing {len(notebooks)} notebooks ({jobs} at a time)", flush=True)
    execute_all(notebooks, jobs, use_cache)

    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    copy_mathjax(out)
    exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(TEMPLATES)],
                            html_manager_semver_range=HTML_MANAGER)
    # JupyterLab's dark theme (its variables), which the pages apply when the system asks for dark mode.
    context["dark_theme_css"] = exporter.environment.loader.get_source(exporter.environment,
                                                                       "static/theme-dark.css")[0]

    def write(page, text):
        (out / page["href"]).parent.mkdir(parents=True, exist_ok=True)
        (out / page["href"]).write_text(text)

    write(home, render(exporter, readme_notebook(), home, context, "", site_files, repository))
    for page in notebooks:
        write(page, render(exporter, page["notebook"], page, context, "notebooks", site_files, repository))
        shutil.copy(page["source"], out / "notebooks" / page["source"].name)
    for page in modules:
        write(page, render(exporter, module_notebook(page["source"], repository), page, context,
                           page["source"].parent.relative_to(ROOT).as_posix(), site_files, repository))
        shutil.copy(page["source"], out / (page["href"].removesuffix(".html") + ".py"))
    index_for_search(out)

    failed = [p for p in notebooks if p["error"]]
    undescribed = {p["source"].name: undescribed_figures(p["notebook"]) for p in notebooks}
    undescribed = {name: cells for name, cells in undescribed.items() if cells}
    manifest = {"pages": sorted(site_files), "undescribed_figures": undescribed, "notebooks": {
        p["source"].name: {"page": p["href"], "title": p["title"], "seconds": round(p["seconds"], 1),
                           "cached": p["cached"], "error": p["error"]} for p in notebooks}}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(site_files)} pages to {out} in {time.perf_counter() - started:.0f} s; open {out / 'index.html'} "
          f"(search works when the folder is served: python -m http.server -d {out})")
    for name, cells in undescribed.items():
        print(f"figures without a description (alt text) in {name}, cells: {', '.join(cells)} -- show them with "
              f"nnlib.plots.figures.show(fig, description)", file=sys.stderr)
    for page in failed:
        print(f"FAILED: {page['source'].name}: {page['error']}", file=sys.stderr)
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks executed at a time")
    parser.add_argument("--no-cache", action="store_true", help="execute every notebook, ignoring build/site-cache")
    parser.add_argument("--hub", metavar="URL", default=os.environ.get("NNLIB_SITE_HUB") or None,
                        help="your JupyterHub's address: every page gets a link that opens it there (nbgitpuller); "
                             "default: the NNLIB_SITE_HUB environment variable, else no hub link")
    args = parser.parse_args(argv)
    if args.hub:
        try:
            args.hub = launch_links.check_hub_url(args.hub)
        except ValueError as error:
            parser.error(str(error))
    # Executing the capstone (notebook 13) must not spend the learner's budget of runs and submissions.
    scratch = Path(tempfile.mkdtemp(prefix="nnlib-site-"))  # the site never shows a developer's own state
    os.environ.setdefault("NNLIB_CAPSTONE_STATE", str(scratch / "capstone.json"))
    os.environ.setdefault("NNLIB_MY_LIBRARY", str(scratch / "my_nnlib"))
    return build(args.out.resolve(), args.jobs, use_cache=not args.no_cache, hub=args.hub)


if __name__ == "__main__":
    sys.exit(main())
