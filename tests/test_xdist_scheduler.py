"""The test scheduler in the root conftest.py: pytest-xdist's LoadFileScheduling, refined (longest units first; the
browser and solution runs as units of their own). It overrides two private methods of xdist, so these tests fail
when an xdist release changes them, and they check what the scheduling promises: a test file's tests share a worker.
"""
import inspect
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from xdist.scheduler import LoadFileScheduling

ROOT = Path(__file__).resolve().parent.parent


def test_the_private_methods_the_scheduler_overrides_still_work_as_it_assumes():
    assert list(inspect.signature(LoadFileScheduling._split_scope).parameters) == ["self", "nodeid"]
    assert list(inspect.signature(LoadFileScheduling._assign_work_unit).parameters) == ["self", "node"]
    # LongestFirst moves the longest unit to the front of the work queue, because xdist hands out the front one.
    assert "self.workqueue.popitem(last=False)" in inspect.getsource(LoadFileScheduling._assign_work_unit)
    scheduler = LoadFileScheduling.__new__(LoadFileScheduling)  # _split_scope reads nothing of the instance
    assert scheduler._split_scope("tests/test_a.py::test_x[1]") == "tests/test_a.py"


RECORD = """
import os
import pytest

@pytest.mark.parametrize("i", range({n}))
def test_{name}(i):
    with open(os.path.join({folder!r}, os.environ["PYTEST_XDIST_WORKER"]), "a") as log:
        log.write(os.environ["PYTEST_CURRENT_TEST"].split(" ")[0] + "\\n")
"""


@pytest.mark.slow  # a pytest run of its own, with two workers (make test runs it; make test-fast leaves it out)
def test_each_test_file_runs_on_one_worker_and_the_longest_unit_starts_first(tmp_path):
    """A small project with the repository's conftest.py, run as `make test` runs it (-n 2 --dist loadfile)."""
    project, logs = tmp_path / "project", tmp_path / "logs"
    (project / "tests").mkdir(parents=True)
    logs.mkdir()
    (project / "conftest.py").write_text((ROOT / "conftest.py").read_text())
    files = {"test_classroom": 1, "test_alpha": 6, "test_beta": 6, "test_gamma": 6, "test_delta": 6}
    for name, n in files.items():  # tests/test_classroom.py counts as the longest unit (it builds a classroom)
        (project / "tests" / f"{name}.py").write_text(textwrap.dedent(RECORD.format(n=n, name=name, folder=str(logs))))
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-q", "-p",
                           "no:cacheprovider", "tests"], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    ran = {worker.name: worker.read_text().split() for worker in logs.iterdir()}
    workers_of = {}
    for worker, tests in ran.items():
        for test in tests:
            workers_of.setdefault(test.split("::")[0], set()).add(worker)
    assert {f"tests/{name}.py" for name in files} == set(workers_of)
    assert all(len(workers) == 1 for workers in workers_of.values()), f"a file's tests on two workers: {workers_of}"
    assert sum(map(len, ran.values())) == sum(files.values())
    (classroom_worker,) = workers_of["tests/test_classroom.py"]
    assert ran[classroom_worker][0].startswith("tests/test_classroom.py"), "the longest unit is handed out first"
