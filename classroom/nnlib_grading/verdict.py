"""nbgrader's Execute, with every tests cell graded outside the kernel.

``nbgrader autograde`` runs a submission's notebook top to bottom in its kernel, as always, except the tests cells
of the course's exercises: for those this preprocessor asks the kernel for the exercise's answers as plain data
(``bridge.py``), runs the exercise's checker HERE, in the grading process, and writes the cell's outputs itself —
nothing on success (with a line saying so), an AssertionError with the checker's feedback otherwise — so nbgrader's
own rule (an error output scores 0) records the verdict. The tests cell's own code never runs at grading time, and no
student code runs in this process, so nothing a notebook patches (the checkers, ``importlib.reload``, builtins, IPython)
can change a verdict. A scored exercise (the capstone's predictions) is counted here against the test labels, which
never enter the kernel.

The grading configuration (``nbgrader_config.py``, written by classroom/build.py) puts this class in place of
nbgrader's Execute: ``c.Autograde.autograde_preprocessors``.
"""
import contextlib
import os
import tempfile
from pathlib import Path

import nbformat
from nbgrader.preprocessors import Execute

from nnlib.exercises import capstone

from . import sandbox
from .bridge import Bridge, BridgeError
from .judge import graded_cells, judge, labels_of, outputs


@contextlib.contextmanager
def capstone_budget(text):
    """The capstone's checks read the runs the notebook paid for from its state file: a private copy of the one the
    kernel wrote (plain data, as forgeable as it always was: capstone.py says so), for the time of one verdict."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / capstone.STATE_FILE
        if text is not None:
            path.write_text(text, encoding="utf-8")
        before = os.environ.get(capstone.STATE_ENV)
        os.environ[capstone.STATE_ENV] = str(path)
        try:
            yield
        finally:
            os.environ.pop(capstone.STATE_ENV) if before is None else os.environ.__setitem__(capstone.STATE_ENV, before)


class ExecuteAndGradeOutside(Execute):
    """nbgrader's Execute preprocessor; tests cells are graded here from the answers' plain data (module docstring)."""

    def preprocess(self, nb, resources=None, km=None):
        sandbox.claim()  # this grading process's Unix user is its own (sandbox.py)
        self._graded, self._labels, self._bridge = graded_cells(), {}, None
        try:
            return super().preprocess(nb, resources, km)
        finally:
            sandbox.after_kernel()  # the submission's Unix user keeps no process and no file outside its folder

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        target = self._graded.get(meta.get("grade_id")) if cell.cell_type == "code" and meta.get("grade") else None
        if target is None:
            return super().preprocess_cell(cell, resources, index)
        exercise, tier = target
        self._index = index  # where nbclient runs the grader's requests (each takes this cell's place, then leaves it)
        if self._bridge is None:
            self._bridge = Bridge(self._run)
        try:
            answers = self._bridge.fetch(exercise.answers)
            labels = self._labels.setdefault(exercise.id, labels_of(exercise)) if tier is not None else None
            with capstone_budget(self._bridge.read_file(capstone.STATE_FILE)):
                passed, text = judge(exercise, tier, answers, labels)
        except BridgeError as error:
            passed, text = False, f"Exercise {exercise.id}: the grader could not read your answers ({error})."
        self.nb.cells[index] = cell  # nbclient put each request's cell in its place
        cell.outputs, cell.execution_count = outputs(passed, text), None
        return cell, self.resources

    def _run(self, code):
        """Execute ``code`` in the submission's kernel; its outputs."""
        cell = nbformat.v4.new_code_cell(code)
        self.execute_cell(cell, self._index, store_history=False)
        return cell.outputs
