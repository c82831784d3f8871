"""The grader reads a submission's answers as plain data and calls its functions in its own kernel
(classroom/nnlib_grading/bridge.py), and the verdict it computes outside the kernel is the exercise's own check.

A real Jupyter kernel stands in for the submission's: each exercise's solution, a typical slip (the classroom tests'
BUILD_MISTAKES) and its placeholder are defined there, and the verdict, computed here from what the kernel hands over,
must be "correct", the slip's own message, and "unanswered". Then what a hostile kernel can do: patch what runs in
it, answer for the grader, or send replies the grader must refuse to read.
"""
import copy
import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from nnlib.exercises.framework import exercises_in

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "classroom"))
from nnlib_grading import bridge as bridge_module  # noqa: E402
from nnlib_grading.bridge import Bridge, BridgeError, RemoteFunction, read_npy  # noqa: E402
from nnlib_grading.judge import graded_cells, judge  # noqa: E402
from test_classroom import BUILD_MISTAKES, with_slip  # noqa: E402

pytestmark = pytest.mark.slow  # a kernel, and every build exercise's check


class Kernel:
    """A fresh kernel, code run in it as notebook cells, and a Bridge to it."""

    def __init__(self, client):
        self.client = client

    def run(self, code):
        cell = nbformat.v4.new_code_cell(code)
        self.client.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.client.nb.cells) - 1)
        return cell.outputs

    def bridge(self):
        return Bridge(self.run)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The student edition, installed (pip --target) as a grading kernel has it: what the grader's arguments must
    unpickle against (no checker, no class of nnlib/exercises)."""
    spec = importlib.util.spec_from_file_location("student_edition", REPO / "classroom" / "student_edition.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    folder = tmp_path_factory.mktemp("edition")
    builder.build(folder / "project")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--target", str(folder / "installed"), str(folder / "project")], check=True, timeout=300)
    (folder / "installed" / "data").symlink_to(folder / "installed" / "share" / "nnlib-course" / "data")
    return folder / "installed"


EDITION_FIRST = """\
import sys
sys.meta_path[:] = [finder for finder in sys.meta_path if "editable" not in repr(finder).lower()]
sys.path.insert(0, {installed!r})
import numpy as np
import nnlib
assert nnlib.__file__.startswith({installed!r}), nnlib.__file__
"""


@pytest.fixture(scope="module")
def kernel(edition):
    """A kernel with the student edition, as a submission's kernel has it."""
    client = NotebookClient(nbformat.v4.new_notebook(), timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO / "notebooks")}})
    with client.setup_kernel():
        kernel = Kernel(client)
        outputs = kernel.run(EDITION_FIRST.format(installed=str(edition)))
        assert not [o for o in outputs if o.output_type == "error"], outputs
        yield kernel


def exercise(exercise_id):
    cells = graded_cells()
    return cells[f"tests_{exercise_id.replace('.', '_')}"][0]


def verdict(kernel, exercise_, code):
    """Define ``code`` in the kernel; the grader's verdict on the exercise's answers there."""
    outputs = kernel.run(code)
    assert not [o for o in outputs if o.output_type == "error"], outputs
    return judge(exercise_, None, kernel.bridge().fetch(exercise_.answers))


@pytest.mark.parametrize("exercise_id", BUILD_MISTAKES)
def test_the_verdict_outside_the_kernel_is_the_exercises_own_check(kernel, exercise_id):
    ex = exercise(exercise_id)
    assert verdict(kernel, ex, ex.solution_code) == (True, f"Exercise {exercise_id}: Correct!")
    passed, text = verdict(kernel, ex, with_slip(ex))
    assert not passed and BUILD_MISTAKES[exercise_id][1] in text, text
    passed, text = verdict(kernel, ex, ex.placeholder)
    assert not passed and text.startswith(f"Exercise {exercise_id}: Not answered yet"), text


def test_values_arrive_as_values_and_a_missing_answer_as_none(kernel):
    kernel.run("slope, rates, kinds = np.float64(42.5), np.array([0.1, 1e-3]), {'w': 'parameter', 'lr': ...}")
    slope, rates, kinds, missing = kernel.bridge().fetch(["slope", "rates", "kinds", "no_such_answer"])
    assert slope == 42.5 and isinstance(slope, np.float64)
    assert np.array_equal(rates, [0.1, 1e-3]) and kinds == {"w": "parameter", "lr": Ellipsis} and missing is None


def test_patching_the_kernel_changes_only_the_data_it_hands_over(kernel):
    """What a submission patches in its kernel (the checkers, builtins, numpy) runs only there: a wrong answer stays
    wrong, because the check runs here."""
    ex = exercise("01.1")
    kernel.run("import builtins, importlib, nnlib.exercises.framework as f\n"
               "_saved = (f.Exercise.feedback, f.Exercise.assert_correct, builtins.sum, np.mean, importlib.reload)\n"
               "f.Exercise.feedback = lambda self, *a: ('correct', 'Correct!')\n"
               "f.Exercise.assert_correct = lambda self, *a: None\n"
               "builtins.sum = lambda *a, **k: 10**9\nnp.mean = lambda *a, **k: 0.0\n"
               "importlib.reload = lambda module: module")
    passed, text = verdict(kernel, ex, with_slip(ex))
    assert not passed and "SUM of squared errors" in text
    kernel.run("(f.Exercise.feedback, f.Exercise.assert_correct, builtins.sum, np.mean, importlib.reload) = _saved")


def test_an_answer_that_reaches_for_the_graders_request_gets_nothing():
    """A hook that replaces every later cell (the grader's requests too) leaves the grader without answers: 0."""
    client = NotebookClient(nbformat.v4.new_notebook(), timeout=120, kernel_name="python3")
    with client.setup_kernel():
        kernel = Kernel(client)
        kernel.run("slope, intercept = 1.0, 2.0\n"
                   "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])")
        with pytest.raises(BridgeError, match="no reply"):
            kernel.bridge().fetch(exercise("01.2").answers)


def test_a_function_that_raises_is_reported_by_its_error_type_and_in_place_updates_come_back(kernel):
    kernel.run("def f(values, state):\n    values[0] = 7.0\n    state['n'] = state.get('n', 0) + 1\n"
               "    return 1 / 0 if state['n'] > 1 else values")
    (f,) = kernel.bridge().fetch(["f"])
    assert isinstance(f, RemoteFunction) and f.__name__ == "f" and str(f.__signature__) == "(values, state)"
    values, state = np.zeros(3), {}
    assert f(values, state) is values and values[0] == 7.0 and state == {"n": 1}, "aliases and updates are kept"
    with pytest.raises(Exception) as raised:
        f(values, state)
    assert type(raised.value).__name__ == "ZeroDivisionError" and "division by zero" in str(raised.value)


def test_a_generator_handed_to_a_function_moves_on_as_it_would_here(kernel):
    kernel.run("def draw(rng):\n    return rng.normal(size=3)")
    (draw,) = kernel.bridge().fetch(["draw"])
    mine, reference = np.random.default_rng(5), np.random.default_rng(5)
    assert np.array_equal(draw(mine), reference.normal(size=3)) and mine.random() == reference.random()


@pytest.mark.parametrize("reply, message", [
    ({"values": [{"$": "array", "npy": "bm90IGFuIGFycmF5"}]}, "header"),
    ({"values": [{"$": "nonsense"}]}, "unknown tag"),
    ({"values": [{"$": "ref", "i": 3}]}, "reference to nothing"),
    ({"values": [1, 2]}, "wrong number of answers"),
])
def test_a_reply_the_grader_cannot_trust_is_refused_not_read(monkeypatch, reply, message):
    bridge = Bridge(lambda code: [])
    monkeypatch.setattr(bridge, "_request", lambda *request: copy.deepcopy(reply))
    with pytest.raises(BridgeError, match=message):
        bridge.fetch(["answer"])


def test_an_array_header_is_checked_before_its_data_is_allocated():
    import base64
    import io
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)})
    with pytest.raises(BridgeError, match="larger than the grader accepts"):
        read_npy(base64.b64encode(buffer.getvalue()).decode())
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(BridgeError, match="Python objects"):
        read_npy(base64.b64encode(buffer.getvalue()).decode())
    assert bridge_module.MAX_ARRAY_BYTES <= 2**30


def test_every_exercise_of_the_course_has_a_tests_cell_the_grader_knows():
    import importlib

    from nnlib.exercises import notebook_number
    known = {ex.id for ex, _ in graded_cells().values()}
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        if notebook_number(path):
            module = importlib.import_module(f"nnlib.exercises.nb{notebook_number(path)}")
            assert {ex.id for ex in exercises_in(module)} <= known
