"""Every notebook's exercises match their single source of truth, and every solution passes its check.

The source of truth is ``nnlib/exercises/nbNN.py``. Here each notebook's
exercise cells are compared with those definitions, then the notebook is run
with every placeholder replaced by its solution and strict checks on (a wrong
answer raises), and every check must report "Correct!".
"""
import copy
import importlib
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from nnlib.exercises.checks import STRICT_ENV, exercises_in

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
HEADER = re.compile(r"^# Exercise (\d\d\.\d+): ")


def exercise_module(path):
    return importlib.import_module(f"nnlib.exercises.nb{path.name[:2]}")


def exercise_cells(notebook):
    """(index, exercise id) of every cell whose first line announces an exercise."""
    return [(i, HEADER.match(cell.source).group(1)) for i, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and HEADER.match(cell.source)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_match_the_exercise_definitions(path):
    notebook = nbformat.read(path, as_version=4)
    module = exercise_module(path)
    exercises = {ex.id: ex for ex in exercises_in(module)}
    cells = exercise_cells(notebook)
    low, high = getattr(module, "EXERCISE_RANGE", (2, 6))  # one sitting: a few exercises, not a problem set
    assert low <= len(exercises) <= high, f"notebook {path.name[:2]} has {len(exercises)} exercises, not {low}-{high}"
    assert [ex_id for _, ex_id in cells] == list(exercises), "the notebook must use every exercise once, in order"
    for index, ex_id in cells:
        exercise = exercises[ex_id]
        assert notebook.cells[index].source == exercise.placeholder.rstrip("\n"), \
            f"cell {index} differs from {ex_id}'s placeholder in nnlib/exercises: edit the definition, not the notebook"
        assert notebook.cells[index + 1].source == exercise.check_code, f"the cell after {ex_id} must be its check"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_solution_passes_its_check_when_run_in_the_notebook(path, monkeypatch):
    notebook = nbformat.read(path, as_version=4)
    exercises = {ex.id: ex for ex in exercises_in(exercise_module(path))}
    solved = copy.deepcopy(notebook)
    checks = []
    for index, ex_id in exercise_cells(notebook):
        solved.cells[index].source = exercises[ex_id].solution_code
        checks.append((index + 1, ex_id))
    if checks:  # what follows the last check cannot change a check (nbval runs it)
        del solved.cells[checks[-1][0] + 1:]
    monkeypatch.setenv(STRICT_ENV, "1")
    NotebookClient(solved, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK_DIR)}}).execute()
    for index, ex_id in checks:
        printed = "".join(output.get("text", "") for output in solved.cells[index].outputs)
        assert f"Exercise {ex_id}: Correct!" in printed, f"{ex_id}'s solution did not pass: {printed!r}"


def all_exercises():
    modules = sorted({exercise_module(path) for path in NOTEBOOKS}, key=lambda module: module.__name__)
    return [exercise for module in modules for exercise in exercises_in(module)]


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda exercise: exercise.id)
def test_an_untouched_exercise_is_unanswered_not_wrong_and_never_crashes(exercise, capsys):
    namespace = {"np": np}
    exec(exercise.placeholder, namespace)
    answers = [namespace[name] for name in exercise.answers]
    assert exercise.feedback(*answers)[0] == "unanswered"
    assert exercise.check(*answers) is None
    assert "Not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", all_exercises(), ids=lambda exercise: exercise.id)
def test_hints_and_solution_print(exercise, capsys):
    assert exercise.hints, f"exercise {exercise.id} needs at least one hint"
    exercise.hint(1)
    exercise.solution()
    out = capsys.readouterr().out
    assert f"Hint 1 of {len(exercise.hints)}" in out and exercise.solution_code.strip() in out
