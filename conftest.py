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
MY_LIBRARY_ENV = "NNLIB_MY_LIBRARY"  # as nnlib.learner.store.LIBRARY_ENV (tests/test_learner_store.py checks it)
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


SESSION_START_ENV = "NNLIB_TEST_SESSION_START"  # set once by the process that reports; xdist workers inherit it
BROWSER_ARTIFACTS = Path(__file__).parent / "tests" / "browser" / "artifacts"  # paint-*.json


def pytest_terminal_summary(terminalreporter, config):
    """The slider-to-paint times the browser tests measured in this run (tests/browser/test_widget_notebooks.py
    writes artifacts/paint-<notebook>.json; printed here, in the process that reports, because under pytest-xdist
    the tests ran elsewhere)."""
    started = float(os.environ.get(SESSION_START_ENV, 0))
    measured = sorted(path for path in BROWSER_ARTIFACTS.glob("paint-*.json") if path.stat().st_mtime >= started)
    if not measured:
        return
    terminalreporter.section("slider change -> new output painted in JupyterLab (ms; target p95 <= 150)")
    for path in measured:
        times = json.loads(path.read_text())
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        terminalreporter.write_line(f"  {path.stem.removeprefix('paint-'):40s} p50 {statistics.median(times):6.0f}   "
                                    f"p95 {p95:6.0f}   ({len(times)} changes)")


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller (or a run without pytest-xdist)
        os.environ[SESSION_START_ENV] = str(time.time())
    folder = tempfile.mkdtemp(prefix="nnlib-capstone-")
    config.stash[_CAPSTONE_SAVED] = (folder, os.environ.get(CAPSTONE_STATE_ENV), os.environ.get(MY_LIBRARY_ENV))
    os.environ[CAPSTONE_STATE_ENV] = os.path.join(folder, "capstone_state.json")
    os.environ[MY_LIBRARY_ENV] = os.path.join(folder, "my_nnlib")  # notebooks run by nbval save pieces here


def pytest_unconfigure(config):
    folder, *before = config.stash.get(_CAPSTONE_SAVED, (None, None, None))
    if folder is None:
        return
    for name, value in zip((CAPSTONE_STATE_ENV, MY_LIBRARY_ENV), before):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    shutil.rmtree(folder, ignore_errors=True)


# --- Sharing the work between pytest-xdist workers (`make test` runs `-n auto --dist loadfile`) ----------------------
# loadfile keeps a file's tests on one worker (a notebook's cells share one kernel; some test files build something
# expensive once). Two refinements keep both cores busy to the end: tests that each run a whole notebook on their own
# kernel (the browser tests, the solutions run) are units of their own, and the longest units go first (longest
# processing time first: a long unit started last would leave the other cores idle at the end).
BROWSER = "tests/browser/test_widget_notebooks.py::test_widget_notebook["
ALONE = (BROWSER, "tests/test_exercises.py::test_every_solution_passes_its_check_when_run_in_the_notebook[")
# build a classroom / the website / a JupyterHub class (CI: 1-2 min each)
LONG_FIXTURES = ("tests/test_classroom.py", "tests/test_site.py", "tests/browser/test_hub.py")


def expected_seconds(scope, tests):
    """A rough cost of one unit of work, from its node id alone (the scheduler sees nothing else)."""
    if scope.startswith(LONG_FIXTURES):
        return 100
    if scope.startswith(BROWSER):
        return 12
    if scope.startswith(ALONE) or scope.endswith(".ipynb") or scope in {"tests/test_widgets_lifecycle.py",
                                                                        "tests/test_bridges_rscript.py"}:
        return 5
    if scope.startswith("tests/test_widgets_"):  # each test draws a widget's figure: measured 0.2-0.5 s
        return 0.3 * tests
    return 0.02 * tests


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class LongestFirst(LoadFileScheduling):
        def _split_scope(self, nodeid):
            return nodeid if nodeid.startswith(ALONE) else super()._split_scope(nodeid)

        def _assign_work_unit(self, node):
            longest = max(self.workqueue, key=lambda scope: expected_seconds(scope, len(self.workqueue[scope])))
            self.workqueue.move_to_end(longest, last=False)
            super()._assign_work_unit(node)

    return LongestFirst(config, log)
