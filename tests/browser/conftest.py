"""Fixtures for the browser tests: a private JupyterLab server and headless Chromium.

The server is started once per test session from the same Python environment as
pytest (``sys.executable -m jupyter lab``), so the ``python3`` kernel the notebooks
ask for is this environment too. Everything JupyterLab would remember (config,
settings, workspaces, checkpoints, runtime files) lives in a temporary folder, and
the notebooks are never saved, so a test run leaves ``notebooks/`` untouched.

Environment variables:
    NNLIB_NOTEBOOK_DIR      folder served as the JupyterLab root (default: the repo's notebooks/)
    NNLIB_REQUIRE_BROWSER   "1": a missing Chromium or Playwright fails instead of skipping
    NNLIB_CHROMIUM          path of the Chromium binary (default: /usr/bin/chromium)
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for --import-mode=importlib too
from notebook_page import ARTIFACTS, NOTEBOOK_DIR, safe_name

CHROMIUM = os.environ.get("NNLIB_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("NNLIB_REQUIRE_BROWSER") == "1"

SERVER_START_TIMEOUT = 180  # seconds; a cold first start on a slow machine can take a while
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed when running as root (containers, CI)
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# JupyterLab user settings for the test server: render every cell (no windowing, so the
# whole notebook is in the DOM), never autosave (the notebooks must not be modified),
# and no news or update notifications over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
# The plugin that asks "Would you like to get notified about official Jupyter news?".
DISABLED_PLUGINS = {"@jupyterlab/apputils-extension:announcements": True}


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless Chromium (tests/browser)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _missing_or_fail(reason: str):
    """Skip with `reason`, or fail with it when NNLIB_REQUIRE_BROWSER=1."""
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (NNLIB_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A running JupyterLab: its base URL, its token and a small client for its REST API."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def api(self, path: str, method: str = "GET"):
        """Call the Jupyter REST API (``path`` like "/api/sessions") and return the decoded JSON."""
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def lab_url(self, notebook: str) -> str:
        """URL that opens `notebook` in a fresh JupyterLab workspace (``reset`` drops earlier tabs)."""
        return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"

    def shutdown_kernels(self):
        """Shut down every session and its kernel, so no kernel keeps a core busy between tests."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/browser/artifacts/, without what earlier test sessions left in it. Under pytest-xdist several
    workers share the folder, so only files older than this session's start go (the root conftest.py sets
    NNLIB_TEST_SESSION_START once, before the workers start)."""
    ARTIFACTS.mkdir(exist_ok=True)
    started = float(os.environ.get("NNLIB_TEST_SESSION_START", time.time()))
    for path in ARTIFACTS.iterdir():
        if path.is_file() and path.stat().st_mtime < started:
            path.unlink(missing_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory, artifacts):
    """Start ``jupyter lab`` on a free loopback port, wait until it answers, stop it afterwards."""
    if importlib.util.find_spec("jupyterlab") is None:
        _missing_or_fail(f"jupyterlab is not installed in {sys.executable}")
    home = tmp_path_factory.mktemp("jupyter")
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": DISABLED_PLUGINS}))
    settings = home / "user-settings"
    for name, values in LAB_SETTINGS.items():
        target = settings / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))

    port, token = _free_port(), secrets.token_hex(24)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),  # no personal IPython startup files in the kernel
    )
    env.pop("MPLBACKEND", None)  # else the kernel would not pick the inline backend the notebooks rely on
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={NOTEBOOK_DIR}",
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",  # absolute: keeps notebooks/ clean
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: notebook model for the checks
    ]
    log = open(artifacts / f"jupyter-server-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log", "w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home)
    server = LabServer(f"http://127.0.0.1:{port}", token)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {process.returncode}; see {log.name}")
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter lab did not answer within {SERVER_START_TIMEOUT}s; "
                                       f"see {log.name}") from error
                time.sleep(0.25)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def browser(artifacts):
    """Headless Debian Chromium driven by Playwright (never a Playwright-downloaded browser)."""
    if importlib.util.find_spec("playwright") is None:
        _missing_or_fail("the playwright package is not installed (pip install 'playwright>=1.50,<2')")
    if not os.access(CHROMIUM, os.X_OK):
        _missing_or_fail(f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# JavaScript: close every document in JupyterLab's main area without asking to save (the tests never save).
CLOSE_DOCUMENTS_JS = """() => {
  if (!window.jupyterapp) return;
  for (const widget of [...window.jupyterapp.shell.widgets('main')]) {
    if (widget.context && widget.context.model) widget.context.model.dirty = false;
    widget.dispose();
  }
}"""


@pytest.fixture(scope="session")
def lab_page(browser, jupyter_lab):
    """One browser page for the whole session: JupyterLab starts in it once (about 3 s of script), and each test
    opens its notebook in it (NotebookPage.open). Console messages are collected in ``page.console``."""
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.console = []
    page.on("console", lambda message: page.console.append(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: page.console.append(f"[pageerror] {error}"))
    yield page
    context.close()


@pytest.fixture
def page(lab_page, jupyter_lab, request):
    """The session's browser page, with no document open. Afterwards: the test's documents are closed and
    kernels shut down; on failure a screenshot and the browser console log are kept in tests/browser/artifacts/."""
    lab_page.console.clear()
    yield lab_page
    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    if failed:
        stem = ARTIFACTS / safe_name(request.node.name)  # the artifacts fixture made the folder
        try:
            lab_page.screenshot(path=f"{stem}-failure.png")
        except Exception as error:  # the page may be gone; the console log matters more
            lab_page.console.append(f"[test] could not take the failure screenshot: {error}")
        Path(f"{stem}-console.log").write_text("\n".join(lab_page.console) + "\n")
    try:
        lab_page.evaluate(CLOSE_DOCUMENTS_JS)
    except Exception:  # the page is gone
        failed = True
    if failed:  # whatever state the failure left (a dialog, a broken page): the next test starts JupyterLab anew
        lab_page.goto("about:blank")
    jupyter_lab.shutdown_kernels()


