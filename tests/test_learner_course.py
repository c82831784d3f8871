"""The learner's library across the course, in real kernels: notebooks 06 to 06c and 09 solved save their pieces, and
notebook 10 trains the digits network on them (equal to nnlib's run to 1e-9); with nothing solved, 10 runs on
nnlib's stand-ins and says so, one line per piece."""
import copy
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nnlib.exercises import NUMBER, framework, notebook_number
from nnlib.learner.pieces import PIECES

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
HEADER = re.compile(rf"^# Exercise ({NUMBER}\.\d+): ")
BUILDERS = sorted({piece.notebook for piece in PIECES.values()})  # the notebooks whose exercises build pieces
REPORT = """
import json
print("REPORT" + json.dumps({"difference": float(difference), "stopping_difference": float(stopping_difference),
                             "yours": mine.yours, "stand_ins": mine.stand_ins}))
"""


def notebook(number):
    return next(path for path in NOTEBOOK_DIR.glob(f"{number}_*.ipynb") if notebook_number(path) == number)


def run(path, folder, solved=False, until_check=False, extra=None):
    """Execute notebook ``path`` in a fresh kernel with the learner's library in ``folder``, its exercises ``solved``
    or as they are, and only ``until_check`` (the last exercise's check: what follows saves no piece, and nbval runs
    it); returns the notebook."""
    nb = copy.deepcopy(nbformat.read(path, as_version=4))
    module = __import__(f"nnlib.exercises.nb{notebook_number(path)}", fromlist=["_"])
    solutions = {exercise.id: exercise.solution_code for exercise in framework.exercises_in(module)}
    last = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (match := HEADER.match(cell.source)):
            cell.source, last = solutions[match.group(1)] if solved else cell.source, index + 1
    if until_check:
        del nb.cells[last + 1:]
    if extra:
        nb.cells.append(nbformat.v4.new_code_cell(extra))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NNLIB_MY_LIBRARY", str(folder))
        patch.setenv(framework.STRICT_ENV, "1")
        client.execute()
    return nb


def printed(nb):
    return "".join(output.get("text", "") for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs)


def report(nb):
    return json.loads(printed(nb).split("REPORT", 1)[1].splitlines()[0])


@pytest.mark.slow
def test_every_solution_saved_along_the_course_trains_notebook_10_on_the_learners_library_to_1e_9(tmp_path):
    for number in BUILDERS:  # also the solved run of these notebooks for tests/test_exercises.py
        nb = run(notebook(number), tmp_path, solved=True, until_check=True)
        checks = [cell.source for cell in nb.cells if HEADER.match(cell.source)]
        assert printed(nb).count(": Correct!") == len(checks) > 0, f"notebook {number}: {printed(nb)}"
    result = report(run(notebook("10"), tmp_path, extra=REPORT))
    assert result["stand_ins"] == [] and result["yours"] == list(PIECES)
    assert result["difference"] <= 1e-9 and result["stopping_difference"] <= 1e-9


@pytest.mark.slow
def test_with_nothing_filled_in_notebook_10_runs_on_stand_ins_with_one_notice_each(tmp_path):
    for number in BUILDERS:
        run(notebook(number), tmp_path, until_check=True)
    nb = run(notebook("10"), tmp_path, extra=REPORT)
    result, text = report(nb), printed(nb)
    assert result["yours"] == [] and result["difference"] == result["stopping_difference"] == 0
    for name, piece in PIECES.items():
        assert text.count(f"stand-in: {name} is nnlib's reference (not in your library yet) -- build it in "
                          f"exercise {piece.exercise} (notebook {piece.notebook})") == 1
    assert f"nnlib stood in for {len(PIECES)} piece(s)" in text
