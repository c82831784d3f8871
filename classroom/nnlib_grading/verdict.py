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
import nbformat
from nbgrader.preprocessors import Execute

from . import sandbox
from .bridge import Bridge, BridgeError
from .judge import graded_cells, judge, labels_of, outputs


class ExecuteAndGradeOutside(Execute):
    """nbgrader's Execute preprocessor; tests cells are graded here from the answers' plain data (module docstring)."""

    def preprocess(self, nb, resources=None, km=None):
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
        if self._bridge is None:
            self._bridge = Bridge(lambda code: self._run(code, index))
        try:
            answers = self._bridge.fetch(exercise.answers)
            labels = self._labels.setdefault(exercise.id, labels_of(exercise)) if tier is not None else None
            passed, text = judge(exercise, tier, answers, labels)
        except BridgeError as error:
            passed, text = False, f"Exercise {exercise.id}: the grader could not read your answers ({error})."
        self.nb.cells[index] = cell  # nbclient put each request's cell in its place
        cell.outputs, cell.execution_count = outputs(passed, text), None
        return cell, self.resources

    def _run(self, code, index):
        """Execute ``code`` in the submission's kernel; its outputs."""
        cell = nbformat.v4.new_code_cell(code)
        self.execute_cell(cell, index, store_history=False)
        return cell.outputs
