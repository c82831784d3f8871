"""Every notebook's exercises match their single source of truth, and every solution passes its check.

The source of truth is ``nnlib/exercises/nbNN.py``. Here each notebook's
exercise cells are compared with those definitions, then the notebook is run
with every placeholder replaced by its solution and strict checks on (a wrong
answer raises), and every check must report "Correct!".
"""
import copy
import importlib
import re
import types
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from nnlib.exercises import NUMBER, notebook_number
from nnlib.exercises.framework import STRICT_ENV, Exercise, exercises_in, same
from nnlib.exercises.graded import WrittenAnswer, written_in
from nnlib.learner.pieces import PIECES

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(path for path in NOTEBOOK_DIR.glob("*.ipynb") if notebook_number(path))  # not the R companion
BUILDERS = {piece.notebook for piece in PIECES.values()}  # the notebooks whose exercises build pieces
HEADER = re.compile(rf"^# Exercise ({NUMBER}\.\d+): ")


def exercise_module(path):
    return importlib.import_module(f"nnlib.exercises.nb{notebook_number(path)}")


def exercise_cells(notebook):
    """(index, exercise id) of every cell whose first line announces an exercise."""
    return [(i, HEADER.match(cell.source).group(1)) for i, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and HEADER.match(cell.source)]


def test_a_notebooks_second_and_third_parts_06b_06c_have_exercises_and_sort_between_06_and_07(tmp_path):
    for name in ("07_c.ipynb", "06c_c.ipynb", "06b_b.ipynb", "12r_r.ipynb", "06d_x.ipynb", "6_x.ipynb", "06_a.ipynb",
                 "notes.ipynb"):
        (tmp_path / name).write_text("{}")
    found = sorted(path for path in tmp_path.glob("*.ipynb") if notebook_number(path))
    assert [notebook_number(path) for path in found] == ["06", "06b", "06c", "07"], "not 12r (R), nor a suffix but b, c"
    assert notebook_number("notebooks/06b_the_network_and_its_gradients.ipynb") == "06b"
    assert notebook_number("notebooks/06c_training_the_network.ipynb") == "06c"
    assert HEADER.match("# Exercise 06c.1: the training loop").group(1) == "06c.1"

    def exercise(ex_id):
        code = f"# Exercise {ex_id}: x\nanswer = ..."
        return Exercise(ex_id, "x", ("answer",), code, code, lambda answer: None, ["h"])
    fake = types.ModuleType("fake")  # ids as a module holds them, out of order
    fake.a, fake.b, fake.c, fake.d = exercise("06b.10"), exercise("06b.2"), exercise("06b.1"), exercise("06.3")
    fake.e = exercise("06c.1")
    fake.w, fake.v = WrittenAnswer("06b.4", "y", "**Written answer 06b.4: y.**", "z"), \
        WrittenAnswer("06b.3", "y", "**Written answer 06b.3: y.**", "z")
    assert [ex.id for ex in exercises_in(fake)] == ["06.3", "06b.1", "06b.2", "06b.10", "06c.1"]
    assert [answer.id for answer in written_in(fake)] == ["06b.3", "06b.4"]
    assert fake.a.variable == "q10"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_cells_match_the_exercise_definitions(path):
    notebook = nbformat.read(path, as_version=4)
    module = exercise_module(path)
    exercises = {ex.id: ex for ex in exercises_in(module)}
    cells = exercise_cells(notebook)
    low, high = getattr(module, "EXERCISE_RANGE", (2, 6))  # one sitting: a few exercises, not a problem set
    assert low <= len(exercises) <= high, \
        f"notebook {notebook_number(path)} has {len(exercises)} exercises, not {low}-{high}"
    assert [ex_id for _, ex_id in cells] == list(exercises), "the notebook must use every exercise once, in order"
    for index, ex_id in cells:
        exercise = exercises[ex_id]
        assert notebook.cells[index].source == exercise.placeholder.rstrip("\n"), \
            f"cell {index} differs from {ex_id}'s placeholder in nnlib/exercises: edit the definition, not the notebook"
        assert notebook.cells[index + 1].source == exercise.check_code, f"the cell after {ex_id} must be its check"


@pytest.mark.slow
@pytest.mark.parametrize("path", [path for path in NOTEBOOKS if notebook_number(path) not in BUILDERS],
                         ids=lambda p: p.name)
def test_every_solution_passes_its_check_when_run_in_the_notebook(path, monkeypatch):
    """The notebooks that build pieces run solved, in course order, in tests/test_learner_course.py: not twice."""
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


def test_same_wants_the_shape_and_finite_values_within_a_relative_tolerance():
    """The one comparison the checkers use to tell that an answer equals a typical slip's result (or the right one)."""
    expected = np.array([[1.0, -2.0], [3.0, 4.0]])
    assert same(expected.copy(), expected) and same(expected.tolist(), expected)
    assert not same(expected.ravel(), expected), "the same values in another shape are another answer"
    assert not same(expected + 1e-6, expected) and same(expected + 1e-6, expected, tolerance=1e-4)
    assert not same(np.full(2, np.inf), np.full(2, np.inf)), "an answer with an infinity never matches"
    assert not any(same(answer, 1.0) for answer in (None, "one", [1.0, [2.0]], {"a": 1.0}))
