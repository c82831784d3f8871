"""The course website (`make site`, tools/build_site.py).

The site tests build the whole site into a temporary folder, which executes every notebook (about a
minute on two cores), so they run only when NNLIB_RUN_SITE_TESTS=1 (CI sets it in .ci/run); without
it they are skipped with that reason. Locally:
    NNLIB_RUN_SITE_TESTS=1 make test PYTEST_ARGS=tests/test_site.py
(NNLIB_SITE_DIR=DIR checks a site built already into DIR instead of building one.)
They check what a reader gets: every notebook has a page in course order with previous/next links,
a code cell that shows a plot shows a PNG, every widget has its saved state and a snapshot with its
figures (never a text repr like `VBox(children=...)`), no page shows a traceback, and every link
inside the site leads to a file of the site.
In Debian's Chromium (Playwright; skipped without it unless NNLIB_REQUIRE_BROWSER=1), with the site served on
loopback: axe-core finds no serious or critical WCAG 2.1 A/AA violation on any page (all results in
tests/browser/artifacts/axe-site.json), dark mode follows the system setting (screenshots site-light.png and
site-dark.png there), search lists a notebook by a word in it, formulas carry MathJax's assistive MathML, and the
skip link comes first. Every image has a description, headings keep their order, links say where they go.
The tests at the end check the builder's parts (snapshots, module pages, links) without a build.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
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
    if prebuilt := os.environ.get("NNLIB_SITE_DIR"):  # check a site built already (tools/build_site.py --out DIR)
        return Path(prebuilt), subprocess.CompletedProcess([], 0, "", "")
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


# --- in the browser: the site served over http on loopback, in Debian's Chromium -----------------

CHROMIUM = os.environ.get("NNLIB_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("NNLIB_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # WCAG 2.1 level A and AA
BLOCKING = ("serious", "critical")
# Resolves once MathJax 2 has typeset the page (its "End" startup hook; at once if the page has no MathJax).
MATHJAX_DONE_JS = """() => new Promise(resolve => {
  if (!window.MathJax || !MathJax.Hub) { resolve(false); return; }
  MathJax.Hub.Register.StartupHook("End", () => resolve(true));
  setTimeout(() => resolve(false), 20000);
})"""


class SiteServer:
    """The site's folder served over http on 127.0.0.1 (a free port), in a thread: `with SiteServer(out) as url:`."""

    def __init__(self, folder):
        import functools
        import http.server

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self):
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def site_pages(out):
    """Every page the build wrote (manifest.json's list: home, notebooks, nnlib modules)."""
    return json.loads((Path(out) / "manifest.json").read_text())["pages"]


def open_site_page(tab, url):
    """Load `url` and wait until MathJax has typeset it (what a reader sees once the page has settled)."""
    tab.goto(url, wait_until="load")
    tab.evaluate(MATHJAX_DONE_JS)


AXE_RUN_JS = """options => { window.__axeRun = axe.run(document, options).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, tags: v.tags,
  nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary || ""}))}))); }"""


def axe_scan(tabs, base_url, pages):
    """axe-core's WCAG 2.1 A/AA rules on each page: [{"page", "violations": [{id, impact, help, tags, nodes}]}].

    The tabs take turns: while axe works in one tab (its own renderer process), the next page loads in the
    other, so two tabs keep two cores busy. Each node keeps its target selector and a short HTML snippet.
    """
    from axe_playwright_python.sync_playwright import Axe

    script = Axe().axe_script  # the axe-core that axe-playwright-python bundles
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    todo, running, results = list(pages), {}, {}

    def start(tab):
        href = todo.pop(0)
        open_site_page(tab, base_url + href)
        tab.evaluate(script)
        tab.evaluate(AXE_RUN_JS, options)
        running[tab] = href

    for tab in tabs[:len(todo)]:
        start(tab)
    while running:
        for tab in list(running):
            results[running.pop(tab)] = tab.evaluate("() => window.__axeRun")
            if todo:
                start(tab)
    return [{"page": href, "violations": results[href]} for href in pages]


def axe_summary(results):
    """{rule: {"impact", "help", "pages", "nodes"}} over a scan's results, most nodes first."""
    rules = {}
    for result in results:
        for violation in result["violations"]:
            rule = rules.setdefault(violation["id"], {"impact": violation["impact"], "help": violation["help"],
                                                      "pages": 0, "nodes": 0})
            rule["pages"] += 1
            rule["nodes"] += len(violation["nodes"])
    return dict(sorted(rules.items(), key=lambda item: -item[1]["nodes"]))


def axe_table(summary):
    """The summary as a markdown table."""
    rows = [f"| {rule} | {s['impact']} | {s['pages']} | {s['nodes']} | {s['help']} |" for rule, s in summary.items()]
    return "\n".join(["| rule | impact | pages | nodes | what axe says |", "|---|---|---|---|---|", *rows])


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_tab(browser, **context_options):
    """A tab that reaches only the loopback server: every other request (CDNs) is refused, as offline."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, **context_options)
    context.set_default_timeout(30_000)
    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/])[a-z]+://"), lambda route: route.abort())
    return context.new_page()


def _missing_or_fail(reason):
    """Skip with `reason`, or fail with it when NNLIB_REQUIRE_BROWSER=1 (as tests/browser/conftest.py does)."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (NNLIB_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def served(site):
    """The built site over http on loopback (Pagefind fetches its index, which file:// pages cannot)."""
    out, _ = site
    with SiteServer(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright (never a Playwright-downloaded browser)."""
    if importlib.util.find_spec("playwright") is None:
        _missing_or_fail("the playwright package is not installed (pip install 'playwright>=1.50,<2')")
    if importlib.util.find_spec("axe_playwright_python") is None:
        _missing_or_fail("axe-playwright-python is not installed (the test extra: pip install -e '.[test]')")
    if not os.access(CHROMIUM, os.X_OK):
        _missing_or_fail(f"{CHROMIUM} not found (apt-get install chromium, or set NNLIB_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def tab(browser):
    """One tab (light colour scheme) reused by the tests that look at a page."""
    page = new_tab(browser, color_scheme="light")
    yield page
    page.context.close()


def blocking(results):
    """'page: rule (impact): target — what to fix' for each serious or critical violation."""
    return [f"{r['page']}: {v['id']} ({v['impact']}): {n['target']} — {n['summary'].splitlines()[-1].strip()}"
            for r in results for v in r["violations"] if v["impact"] in BLOCKING for n in v["nodes"][:3]]


def write_axe_artifact(name, results, seconds, scheme):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = axe_summary(results)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(
        {"colour_scheme": scheme, "tags": AXE_TAGS, "pages": len(results), "seconds": round(seconds, 1),
         "by_rule": summary, "results": results}, indent=1) + "\n")
    (ARTIFACTS / f"{name}.md").write_text(f"axe-core, {scheme} mode, {len(results)} pages, {seconds:.0f} s\n\n"
                                         + axe_table(summary) + "\n")


@needs_build
def test_axe_finds_no_serious_or_critical_violation_on_any_page(site, served, browser):
    """WCAG 2.1 A and AA rules of axe-core on every page the build wrote; all results go to artifacts/axe-site.json
    (the moderate and minor ones too, for the closing note), with the scan's wall time."""
    out, _ = site
    pages = site_pages(out)
    tabs = [new_tab(browser, color_scheme="light") for _ in range(2)]
    started = time.perf_counter()
    results = axe_scan(tabs, served, pages)
    seconds = time.perf_counter() - started
    for each in tabs:
        each.context.close()
    write_axe_artifact("axe-site", results, seconds, "light")
    print(f"axe scan: {len(pages)} pages in {seconds:.0f} s")
    assert len(results) == len(pages) > 100
    problems = blocking(results)
    assert problems == [], f"{len(problems)} serious/critical accessibility problems (all in " \
                           f"tests/browser/artifacts/axe-site.json):\n" + "\n".join(problems[:40])


DARK_SAMPLE = ["index.html", "notebooks/01_parameters_of_a_line.html", "notebooks/02_gradient_descent.html",
               "notebooks/07_playground.html", "notebooks/10_digits_end_to_end.html", "nnlib/layers.html",
               "nnlib/widgets/base.html"]
COLOURS_JS = """selector => { const style = getComputedStyle(document.querySelector(selector));
  return {background: style.backgroundColor, color: style.color}; }"""


def luminance(css_colour):
    """WCAG relative luminance of an 'rgb(r, g, b)' / 'rgba(...)' computed colour."""
    channels = [float(x) / 255 for x in re.findall(r"[\d.]+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@needs_build
def test_dark_mode_follows_the_system_setting(site, served, browser):
    """With the system in dark mode the page is dark with light text, figures stay on a white card, and axe's
    contrast (and every other A/AA rule) passes on a sample of pages; screenshots of one page in both modes."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page_url = served + "notebooks/01_parameters_of_a_line.html"
    for scheme in ("light", "dark"):
        tab = new_tab(browser, color_scheme=scheme)
        open_site_page(tab, page_url)
        body, text = tab.evaluate(COLOURS_JS, "body"), tab.evaluate(COLOURS_JS, "main .jp-RenderedMarkdown p")
        code = tab.evaluate(COLOURS_JS, "main .highlight")
        card = tab.evaluate(COLOURS_JS, "main .course-figure img")
        tab.screenshot(path=str(ARTIFACTS / f"site-{scheme}.png"))
        tab.context.close()
        background, foreground = luminance(body["background"]), luminance(text["color"])
        if scheme == "dark":
            assert background < 0.05 and foreground > 0.6, f"dark mode: page {body}, text {text}"
            assert luminance(code["background"]) < 0.05, f"dark mode: code cells stay light: {code}"
        else:
            assert background > 0.9 and foreground < 0.05, f"light mode: page {body}, text {text}"
        assert luminance(card["background"]) > 0.9, f"{scheme} mode: a figure is not on a white card: {card}"
        contrast = (max(background, foreground) + 0.05) / (min(background, foreground) + 0.05)
        assert contrast >= 4.5, f"{scheme} mode: text contrast {contrast:.1f}:1"
    tabs = [new_tab(browser, color_scheme="dark") for _ in range(2)]
    started = time.perf_counter()
    results = axe_scan(tabs, served, DARK_SAMPLE)
    for each in tabs:
        each.context.close()
    write_axe_artifact("axe-site-dark", results, time.perf_counter() - started, "dark")
    assert blocking(results) == [], "dark mode:\n" + "\n".join(blocking(results)[:40])


SEARCH_WORD, SEARCH_FINDS = "hyperparameter", "notebooks/08_tuning_hyperparameters.html"


@needs_build
def test_search_lists_the_notebook_a_word_is_in(site, served, tab):
    """Pagefind's index is built, every page has the search box, and typing a word lists a notebook it is in."""
    out, _ = site
    assert SEARCH_WORD in (ROOT / "notebooks" / "08_tuning_hyperparameters.ipynb").read_text().lower()
    assert (out / "pagefind" / "pagefind-ui.js").is_file() and list((out / "pagefind").glob("index/*"))
    for href in site_pages(out):
        soup = BeautifulSoup((out / href).read_text(), "html.parser")
        assert soup.select_one('[role=search] #course-search'), f"{href} has no search box"
    open_site_page(tab, served + "notebooks/01_parameters_of_a_line.html")
    box = tab.locator(".pagefind-ui__search-input")
    box.fill(SEARCH_WORD)
    tab.locator(".pagefind-ui__result-link").first.wait_for()
    found = [urlsplit(tab.evaluate("a => a.href", link)).path
             for link in tab.locator(".pagefind-ui__result-link").element_handles()]
    assert "/" + SEARCH_FINDS in found, f"searching {SEARCH_WORD!r} lists {found}"
    tab.goto(served.rstrip("/") + found[0])  # a result's link opens a page of the site
    assert tab.title()


@needs_build
def test_formulas_carry_assistive_mathml(served, tab):
    """MathJax's AssistiveMML: each typeset formula has a hidden MathML copy that screen readers read."""
    for href in ("notebooks/02_gradient_descent.html", "notebooks/05_a_single_neuron.html"):
        open_site_page(tab, served + href)
        formulas = tab.evaluate("() => document.querySelectorAll('script[type^=\"math/tex\"]').length")
        mathml = tab.evaluate("() => [...document.querySelectorAll('.MJX_Assistive_MathML')]"
                              ".filter(e => e.querySelector('math')).length")
        assert formulas > 0 and mathml == formulas, f"{href}: {formulas} formulas, {mathml} with assistive MathML"


@needs_build
def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(served, tab):
    open_site_page(tab, served + "notebooks/02_gradient_descent.html")
    tab.keyboard.press("Tab")
    focused = tab.evaluate("() => [document.activeElement.textContent.trim(), document.activeElement.getAttribute("
                           "'href'), document.activeElement.getBoundingClientRect().top]")
    assert focused[:2] == ["Skip to content", "#content"], f"the first Tab stop is {focused}"
    assert focused[2] >= 0, "the skip link is visible when it has the focus"
    tab.keyboard.press("Enter")
    assert tab.evaluate("() => document.activeElement.tagName + '#' + document.activeElement.id") == "MAIN#content"


def every_page(site):
    out, _ = site
    for href in site_pages(out):
        yield href, BeautifulSoup((out / href).read_text(), "html.parser")


VAGUE_LINKS = {"here", "click here", "link", "this link", "more", "read more", "this", "this page"}


@needs_build
def test_every_page_has_a_language_a_skip_link_ordered_headings_and_links_that_say_where_they_go(site):
    problems = []
    for href, soup in every_page(site):
        if soup.html.get("lang") != "en":
            problems.append(f"{href}: <html lang> is {soup.html.get('lang')!r}")
        first = soup.body.find(["a", "button", "input", "select", "textarea", "summary"])
        if first is None or first.get("href") != "#content" or not soup.select_one("main#content"):
            problems.append(f"{href}: the first focusable element is not the skip link to <main id=content>")
        previous = 0
        for heading in soup.find_all(re.compile(r"^h[1-6]$")):
            level = int(heading.name[1])
            if level > previous + 1:
                problems.append(f"{href}: heading h{level} {heading.get_text(strip=True)[:50]!r} after h{previous}")
            previous = level
        for link in soup.find_all("a", href=True):
            if "anchor-link" in link.get("class", []):
                continue  # nbconvert's ¶ beside a heading, hidden
            text = " ".join(link.get_text(" ").split()) or link.get("aria-label", "") or \
                " ".join(img.get("alt", "") for img in link.find_all("img"))
            if not text or text.lower().strip(" .:") in VAGUE_LINKS or re.match(r"(https?://|www\.)", text):
                problems.append(f"{href}: a link to {link['href'][:80]} says {text!r}")
        for rel, word in (("prev", "Previous: "), ("next", "Next: ")):
            for link in soup.select(f"a[rel={rel}]"):
                if not link.get_text().strip("←→ ").startswith(word) or len(link.get_text().strip()) <= len(word) + 2:
                    problems.append(f"{href}: the {rel} link does not name its page: {link.get_text()!r}")
    assert problems == [], "\n".join(problems[:60])


NO_ALT = "No description has been provided for this image"  # nbconvert's placeholder for an image without alt


@needs_build
def test_every_image_says_what_it_shows(site):
    """Every <img> on every page has a description (alt): a figure's from show(fig, description), a widget
    snapshot's from its description line; never empty, "figure", or nbconvert's placeholder."""
    out, _ = site
    undescribed = json.loads((out / "manifest.json").read_text())["undescribed_figures"]
    problems = []
    for href, soup in every_page(site):
        for img in soup.select("main img"):
            alt = " ".join(img.get("alt", "").split())
            if not alt or alt.lower() == "figure" or alt == NO_ALT:
                cell = img.find_parent(id=re.compile("^cell-id="))
                where = cell["id"].removeprefix("cell-id=") if cell else "?"
                kind = "widget snapshot (describe() its description_line)" if img.find_parent(
                    class_="course-snapshot") else "figure (show it with nnlib.plots.figures.show(fig, description))"
                problems.append(f"{href}, cell {where}: a {kind} has alt={alt!r}")
    assert problems == [], f"{len(problems)} images without a description:\n" + "\n".join(problems[:60]) + \
        f"\nfigures the build found without one: {undescribed}"


@needs_build
def test_every_page_links_to_run_download_edit_and_report(site):
    out, _ = site
    repository = build_site.launch_links.repository_url()
    for href, soup in every_page(site):
        launch = {a.get_text(strip=True): a["href"] for a in soup.select("header.course-topbar .course-linklist a")}
        edit = {a.get_text(strip=True): a["href"] for a in soup.select("footer .course-linklist a")}
        assert edit["Edit this page on GitHub"].startswith(f"{repository}/edit/main/"), href
        assert edit["Report a problem with this page"].startswith(f"{repository}/issues/new?title="), href
        if os.environ.get("NNLIB_SITE_HUB"):  # the build read it too
            assert [text for text in launch if text.endswith("on your JupyterHub")], f"{href}: no hub link"
        else:
            assert "NNLIB_SITE_HUB" in soup.select_one("footer").get_text(), f"{href}: how to add a hub link"
        downloads = [text for text in launch if text.startswith("Download")]
        assert len(downloads) == 1, f"{href}: {launch}"
        target = launch[downloads[0]]
        if href == "index.html":
            assert target == f"{repository}/archive/refs/heads/main.zip"
            continue
        downloaded = (out / href).parent / target
        source = ROOT / href.removesuffix(".html")
        source = source.with_suffix(".ipynb") if href.startswith("notebooks/") else source.with_suffix(".py")
        assert downloaded.read_bytes() == source.read_bytes(), f"{href}: the download is not {source.name}"
        if href.startswith("notebooks/"):
            notebook = f"notebooks/{source.name}"
            assert launch["Open this notebook in Colab"] == build_site.launch_links.colab_url(repository, notebook)
            is_r = build_site.launch_links.is_r_notebook(nbformat.read(source, as_version=4))
            assert ("Open this notebook in Binder" in launch) != is_r, f"{href}: Binder has no R"


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


def test_a_widget_figure_is_described_by_the_widget_description_line():
    """The snapshot's image takes its alt text from the first nnlib-description model in the widget's tree (tags
    stripped, entities unescaped); the line itself is then hidden from screen readers, which heard it as the alt."""
    state = image_state()
    line = '<span role="status" aria-live="polite">slope 42.0 g/mm, training MSE 1.9e5 g&#178; &amp; falling</span>'
    state["line"] = {"model_name": "HTMLModel", "state": {"value": line, "_dom_classes": ["nnlib-description"]}}
    state["other"] = {"model_name": "HTMLModel", "state": {"value": "<b>not this</b>", "_dom_classes": ["x"]}}
    state["later"] = {"model_name": "HTMLModel",
                      "state": {"value": "second line", "_dom_classes": ["nnlib-description"]}}
    state["inner"] = {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_other", "IPY_MODEL_line"]}}
    state["box"]["state"]["children"] += ["IPY_MODEL_inner", "IPY_MODEL_later"]
    text = "slope 42.0 g/mm, training MSE 1.9e5 g² & falling"
    assert site_widgets.description("box", state) == text
    soup = BeautifulSoup(site_widgets.snapshot("box", state), "html.parser")
    assert soup.select_one("img")["alt"] == text
    hidden = [div.get_text() for div in soup.select('.snap-html[aria-hidden="true"]')]
    assert hidden == ["slope 42.0 g/mm, training MSE 1.9e5 g² & falling", "second line"]
    state["line"]["state"]["_dom_classes"] = []
    state["later"]["state"]["_dom_classes"] = []
    undescribed = BeautifulSoup(site_widgets.snapshot("box", state), "html.parser").select_one("img")
    assert not undescribed.has_attr("alt"), "no description: no alt at all (never 'figure'), so the tests name it"


def test_page_links_open_the_page_in_binder_colab_and_the_hub_and_download_it():
    repository = "https://github.com/o/r"
    notebook = ROOT / "notebooks" / "01_parameters_of_a_line.ipynb"
    page = {"kind": "notebook", "source": notebook, "title": "01 · Lines"}
    launch, edit = build_site.page_links(page, nbformat.read(notebook, as_version=4), repository,
                                         hub="https://hub.example.edu")
    links = {link["text"]: link["href"] for link in launch}
    path = "notebooks/01_parameters_of_a_line.ipynb"
    assert links == {
        "Open this notebook in Binder": build_site.launch_links.binder_url(repository, path),
        "Open this notebook in Colab": build_site.launch_links.colab_url(repository, path),
        "Open this notebook on your JupyterHub": build_site.launch_links.hub_link("https://hub.example.edu", path,
                                                                                 repository),
        "Download 01_parameters_of_a_line.ipynb": "01_parameters_of_a_line.ipynb",
        "View 01_parameters_of_a_line.ipynb on GitHub": f"{repository}/blob/main/{path}"}
    assert [link["href"] for link in edit] == [f"{repository}/edit/main/{path}",
                                               f"{repository}/issues/new?title=Website%3A%2001%20%C2%B7%20Lines"]
    module = {"kind": "module", "source": ROOT / "nnlib" / "optim.py", "title": "optim.py"}
    texts = [link["text"] for link in build_site.page_links(module, None, repository)[0]]
    assert texts == ["Open nnlib/optim.py in Binder", "Download optim.py"], "no Colab (it opens notebooks) or hub"
    with pytest.raises(SystemExit):
        build_site.main(["--hub", "hub.example.edu"])  # not a web address: argparse says what to type


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
