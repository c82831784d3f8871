"""Drive one notebook in JupyterLab the way a learner does: open it, Run All, look at the outputs.

The state checks read JupyterLab's own notebook model through ``window.jupyterapp``
(the server runs with ``--LabApp.expose_app_in_browser``): in the DOM an exception and
a warning are both ``application/vnd.jupyter.stderr`` and cannot be told apart.
What the learner *sees* (widgets, readouts, figures) is checked in the DOM.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = Path(os.environ.get("NNLIB_NOTEBOOK_DIR", REPO / "notebooks")).resolve()
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

LOAD_TIMEOUT = 90  # seconds, opening the notebook and starting its kernel
RUN_TIMEOUT = 180  # seconds, Run All

# What a learner sees instead of a widget when the front-end widget manager is missing: the
# widget's repr, e.g. "IntSlider(value=0, description='x')" or "Output()". Widget reprs use
# keyword arguments only, which keeps matplotlib's "Text(0.5, 1.0, 'title')" from matching.
WIDGET_AS_TEXT = re.compile(
    r"^\s*(interactive|Output|Play|Dropdown|Select\w*|RadioButtons|Checkbox|Label|HTML\w*|Image|Tab|Accordion"
    r"|\w*(Slider|Progress|Box|Button|Buttons|Text|Textarea))\((\)|\w+=)",
    re.MULTILINE,
)
WIDGET_ERROR = "Error displaying widget"

# JavaScript: state of the notebook panel whose path is the argument, or null until it exists.
PANEL_STATE_JS = """(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  const panel = [...app.shell.widgets('main')].find(w => w.context && w.context.path === path);
  if (!panel || !panel.content.model) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  for (const cell of panel.content.model.cells) {
    if (cell.type !== 'code') continue;
    const errors = [];
    for (let i = 0; i < cell.outputs.length; i++) {
      const output = cell.outputs.get(i).toJSON();
      if (output.output_type === 'error') errors.push(`${output.ename}: ${output.evalue}`);
    }
    cells.push({empty: !cell.sharedModel.getSource().trim(), count: cell.executionCount, errors});
  }
  const prompts = [...panel.node.querySelectorAll('.jp-InputPrompt')].map(p => p.textContent);
  return {
    kernel: kernel ? kernel.status : 'none',
    connection: kernel ? kernel.connectionStatus : 'none',
    running: prompts.some(p => p.includes('*')),
    cells,
  };
}"""

# JavaScript: open the notebook at the path given, in JupyterLab's main area (as a double-click in the file browser).
OPEN_JS = """async (path) => {
  await window.jupyterapp.restored;
  await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
}"""

# JavaScript: what the outputs show, minus the controls themselves (a slider's own readout
# changes whenever it moves, so it would prove nothing). Figures count by their <img> src.
OUTPUT_SIGNATURE_JS = """() => {
  const parts = [];
  for (const output of document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')) {
    const copy = output.cloneNode(true);
    copy.querySelectorAll('.widget-slider, .widget-play, .widget-readout, button, input, select')
        .forEach(node => node.remove());
    parts.push(copy.textContent);
    copy.querySelectorAll('img').forEach(img => parts.push(img.src));
  }
  return parts.join('\\n');
}"""


# JavaScript: the controls of the widgets in the outputs that a keyboard user can reach, in document order (what Tab
# should visit), each marked with data-nnlib-control="<index>"; returns their roles and text for messages.
CONTROLS_JS = """() => {
  const selector = '.noUi-handle, button, input:not([type=hidden]), select, textarea, a[href], ' +
                   '[contenteditable]:not([contenteditable="false"])';
  const found = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output .jupyter-widgets')]
      .flatMap(widget => [...widget.querySelectorAll(selector)]);
  const controls = [...new Set(found)].filter(el => el.offsetParent !== null && !el.disabled && el.tabIndex >= 0);
  if (document.activeElement) document.activeElement.blur();
  const look = el => { const s = getComputedStyle(el); return [s.backgroundColor, s.borderColor].join(' '); };
  window.nnlibUnfocused = controls.map(look);  // how each looks without the focus, for FOCUSED_JS
  controls.forEach((el, i) => { el.dataset.nnlibControl = String(i); });
  return controls.map(el => (el.getAttribute('role') || el.tagName.toLowerCase()) + ' ' +
                            JSON.stringify((el.getAttribute('aria-label') || el.textContent || el.value || '').trim()
                                           .slice(0, 40)));
}"""

# JavaScript: which marked control has the focus (null: none of them) and whether the focus can be seen on it: an
# outline or a box shadow, or a background or border colour other than its unfocused one (ipywidgets' sliders: the
# handle turns blue).
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el.dataset.nnlibControl === undefined) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  const index = Number(el.dataset.nnlibControl);
  const recoloured = [style.backgroundColor, style.borderColor].join(' ') !== window.nnlibUnfocused[index];
  return {index, visible: outline || shadow || recoloured,
          focusVisible: el.matches(':focus-visible')};
}"""


def safe_name(name: str) -> str:
    """`name` with every character that is awkward in a file name replaced by "_"."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("_")


class NotebookPage:
    """One notebook open in a JupyterLab tab of a Playwright `page`."""

    def __init__(self, page, server, notebook: str):
        self.page, self.server, self.notebook = page, server, notebook

    # -- state -----------------------------------------------------------------
    def state(self) -> dict | None:
        """Kernel status and per-code-cell execution count and errors (see PANEL_STATE_JS)."""
        return self.page.evaluate(PANEL_STATE_JS, self.notebook)

    def _wait(self, condition, timeout: float, what: str) -> dict:
        """Poll `condition(state)` every 0.25 s until it holds; fail with the last state otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if state is not None and condition(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.notebook}: timed out after {timeout}s waiting for {what}; "
                                     f"last state {state}")
            self.page.wait_for_timeout(250)

    def wait_kernel_idle(self, timeout: float = 60) -> dict:
        """Wait until the notebook's kernel is connected and idle."""
        return self._wait(lambda s: s["kernel"] == "idle" and s["connection"] == "connected", timeout, "an idle kernel")

    # -- actions ---------------------------------------------------------------
    def open(self) -> None:
        """Open the notebook and wait for its kernel; reload once if the first load stalls.

        In a page where JupyterLab already runs (an earlier test's), the notebook opens as a learner opens one
        from the file browser, without starting JupyterLab again."""
        from playwright.sync_api import Error as PlaywrightError  # imported late: conftest imports this module

        for attempt in (1, 2):
            try:
                if attempt == 1 and self.lab_running():
                    self.page.evaluate(OPEN_JS, self.notebook)
                elif attempt == 1:
                    self.page.goto(self.server.lab_url(self.notebook), timeout=LOAD_TIMEOUT * 1000)
                else:
                    self.page.reload(timeout=LOAD_TIMEOUT * 1000)
                self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=LOAD_TIMEOUT * 1000)
                self.wait_kernel_idle(timeout=LOAD_TIMEOUT)
                break
            except (AssertionError, PlaywrightError):
                if attempt == 2:
                    raise
        self.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # more room for the screenshot

    def lab_running(self) -> bool:
        """True when this page shows this server's JupyterLab, started and restored."""
        return self.page.url.startswith(f"{self.server.url}/lab") and self.page.evaluate(
            "() => window.jupyterapp !== undefined && window.jupyterapp.started !== undefined")

    def run_all(self) -> None:
        """Clear old outputs, then Run > Run All Cells from the menu bar and wait until it finishes.

        Finished means: no cell queued or running, the kernel idle, and every non-empty code
        cell executed, or one raised (Run All stops at the first error; assert_no_errors reports it).
        """
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

        def finished(s):
            executed = all(c["count"] is not None for c in s["cells"] if not c["empty"])
            failed = any(c["errors"] for c in s["cells"])
            return (executed or failed) and not s["running"] and s["kernel"] == "idle"

        self._wait(finished, RUN_TIMEOUT, "Run All to finish")

    def keyboard_tour(self) -> list[str]:
        """Enter the widgets at their first control, then press Tab only: every control of every widget in the
        outputs must receive the focus, in order, with the focus visible on it (an outline, a shadow or a colour
        change). Returns the controls' descriptions ([] if the widgets have none).
        (The first control is focused by script: how a learner gets from a cell into its outputs differs between
        JupyterLab versions; from there on, only keys.)"""
        controls = self.page.evaluate(CONTROLS_JS)
        if not controls:
            return []
        self.page.locator('[data-nnlib-control="0"]').focus()
        visited, unseen = [], []
        for _ in range(2 * len(controls) + 5):
            focused = self.page.evaluate(FOCUSED_JS)
            if focused is not None and focused["index"] not in visited:
                visited.append(focused["index"])
                if not focused["visible"]:
                    unseen.append(controls[focused["index"]])
            if len(visited) == len(controls):
                break
            self.page.keyboard.press("Tab")
        missed = [controls[i] for i in range(len(controls)) if i not in visited]
        assert not missed, f"{self.notebook}: Tab never reached {missed} (reached {len(visited)} of {len(controls)})"
        assert visited == sorted(visited), f"{self.notebook}: Tab visits the controls out of order: {visited}"
        assert not unseen, f"{self.notebook}: no visible focus (outline or shadow) on {unseen}"
        return controls

    def tab_to(self, locator) -> None:
        """Move the focus to `locator` with Tab only, starting from the first widget control (see keyboard_tour)."""
        self.page.evaluate(CONTROLS_JS)
        target = locator.get_attribute("data-nnlib-control")
        assert target is not None, f"{self.notebook}: {locator} is not a widget control a keyboard can reach"
        self.page.locator('[data-nnlib-control="0"]').focus()
        active = "() => document.activeElement && document.activeElement.dataset.nnlibControl"
        for _ in range(3 * int(target) + 5):  # a slider's editable readout takes a Tab of its own
            if self.page.evaluate(active) == target:
                return
            self.page.keyboard.press("Tab")
        now = self.page.evaluate(active)
        raise AssertionError(f"{self.notebook}: Tab did not reach control {target} (the focus is on {now})")

    # -- assertions ------------------------------------------------------------
    def assert_no_errors(self) -> None:
        """No code cell has an error output (an exception; warnings on stderr are fine)."""
        errors = [e for c in self.state()["cells"] for e in c["errors"]]
        assert not errors, f"{self.notebook}: cells raised {errors}"

    def assert_widgets_rendered(self) -> None:
        """Widgets render as interactive DOM, not as their text repr such as ``IntSlider(value=0)``."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        outputs = self.page.locator(".jp-Notebook .jp-OutputArea-output")
        as_text = [t.strip()[:80] for t in outputs.all_text_contents() if WIDGET_AS_TEXT.search(t)]
        assert not as_text, f"{self.notebook}: widgets shown as plain text (widget extension missing?): {as_text}"
        try:
            outputs.locator(".jupyter-widgets").first.wait_for(timeout=30_000)
        except PlaywrightTimeout:
            raise AssertionError(f"{self.notebook}: no widget appeared in the outputs within 30s") from None
        broken = [t.strip()[:120] for t in outputs.all_text_contents() if WIDGET_ERROR in t]
        assert not broken, f"{self.notebook}: {broken}"

    def output_signature(self) -> str:
        """A string that changes whenever the visible outputs (text or figures) change."""
        return self.page.evaluate(OUTPUT_SIGNATURE_JS)

    def wait_output_change(self, before: str, timeout: float = 30) -> None:
        """Wait until the outputs differ from the signature `before`."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(
                f"(before) => ({OUTPUT_SIGNATURE_JS})() !== before", arg=before, timeout=timeout * 1000
            )
        except PlaywrightTimeout:
            raise AssertionError(f"{self.notebook}: the outputs did not change within {timeout}s") from None

    def wait_settled(self, quiet: float = 0.5, timeout: float = 60) -> None:
        """Wait until the outputs stay unchanged for `quiet` seconds and the kernel is idle,
        so that every queued widget update (one per key press) has been drawn."""
        deadline = time.monotonic() + timeout
        before = self.output_signature()
        while True:
            self.page.wait_for_timeout(quiet * 1000)
            now = self.output_signature()
            if now == before and self.state()["kernel"] == "idle":
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.notebook}: the outputs kept changing for {timeout}s")
            before = now

    def screenshot(self, path: Path, focus=None) -> None:
        """Save a screenshot, scrolled so that the outputs holding `focus` (a locator) start at the top."""
        if focus is not None:
            focus.evaluate("el => el.closest('.jp-Cell-outputArea').scrollIntoView({block: 'start'})")
        self.page.screenshot(path=str(path))
