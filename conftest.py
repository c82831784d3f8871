"""Test-session settings for the whole repository (the unit tests and the notebooks alike).

The companion notebook for R users runs on the R kernel, which the course does not need.

Under nbval (``make test``) a notebook whose kernelspec language is R is skipped, with the reason, when
R or its Jupyter kernel (IRkernel) is missing -- unless NNLIB_REQUIRE_R=1 (CI), where it must run. A run
that forces a Python kernel on every notebook (``make test-numerics``) leaves it out too.

Test runs never spend a learner's capstone budget (notebook 13). The capstone keeps its training runs and test
submissions in a file beside its notebook; for the whole test session (the unit tests and the notebooks alike)
NNLIB_CAPSTONE_STATE points to a fresh temporary file instead, and every notebook kernel the tests start inherits
it. Both live here, at the top of the repository, so that they also apply when pytest runs only notebooks.
"""
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pytest

HOW_TO_INSTALL = "see the README, 'For R users' (NNLIB_REQUIRE_R=1 makes this a failure)"
CAPSTONE_STATE_ENV = "NNLIB_CAPSTONE_STATE"  # as nnlib.exercises.capstone.STATE_ENV (tests/test_capstone.py checks it)
_CAPSTONE_SAVED = pytest.StashKey[tuple]()


def _language(path):
    return json.loads(path.read_text()).get("metadata", {}).get("kernelspec", {}).get("language", "").lower()


def r_kernel_missing():
    """Why the R kernel cannot run here, or None when it can."""
    from jupyter_client.kernelspec import KernelSpecManager

    if shutil.which("R") is None:
        return "R is not installed"
    if "ir" not in KernelSpecManager().find_kernel_specs():
        return "R's Jupyter kernel (IRkernel, kernelspec 'ir') is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    languages = {}
    for item in items:
        if item.path.suffix != ".ipynb":
            continue
        if item.path not in languages:
            languages[item.path] = _language(item.path)
        if languages[item.path] != "r":
            continue
        forced = getattr(config.option, "nbval_kernel_name", None)
        if forced and forced != "ir":
            item.add_marker(pytest.mark.skip(reason=f"an R notebook; this run uses the Python kernel {forced!r}"))
        elif not os.environ.get("NNLIB_REQUIRE_R") and (missing := r_kernel_missing()):
            item.add_marker(pytest.mark.skip(reason=f"{missing}: {HOW_TO_INSTALL}"))


SESSION_START = pytest.StashKey[float]()
PAINT_TIMES = Path(__file__).parent / "tests" / "browser" / "artifacts" / "paint_times.json"


def pytest_terminal_summary(terminalreporter, config):
    """The slider-to-paint times the browser tests measured in this run (tests/browser/test_widget_notebooks.py
    writes them; printed here, in the process that reports, because under pytest-xdist the tests ran elsewhere)."""
    if not PAINT_TIMES.exists() or PAINT_TIMES.stat().st_mtime < config.stash.get(SESSION_START, 0.0):
        return
    terminalreporter.section("slider change -> new output painted in JupyterLab (ms; target p95 <= 150)")
    for notebook, times in sorted(json.loads(PAINT_TIMES.read_text()).items()):
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        terminalreporter.write_line(f"  {notebook:42s} p50 {statistics.median(times):6.0f}   p95 {p95:6.0f}   "
                                    f"({len(times)} changes)")


def pytest_configure(config):
    config.stash[SESSION_START] = time.time()
    folder = tempfile.mkdtemp(prefix="nnlib-capstone-")
    config.stash[_CAPSTONE_SAVED] = (folder, os.environ.get(CAPSTONE_STATE_ENV))
    os.environ[CAPSTONE_STATE_ENV] = os.path.join(folder, "capstone_state.json")


def pytest_unconfigure(config):
    folder, before = config.stash.get(_CAPSTONE_SAVED, (None, None))
    if folder is None:
        return
    if before is None:
        os.environ.pop(CAPSTONE_STATE_ENV, None)
    else:
        os.environ[CAPSTONE_STATE_ENV] = before
    shutil.rmtree(folder, ignore_errors=True)
