"""The verdict on one tests cell, from the answers as plain data: run in the grading process, never in a kernel."""
import importlib
import pkgutil

import nbformat

import nnlib.exercises
from nnlib.exercises import framework
from nnlib.exercises.graded import ScoredExercise
from nnlib.exercises.pieces import PieceExercise

from .ids import grade_id, tier_grade_ids


def graded_cells():
    """{grade_id: (exercise, tier index or None)} for every exercise of the course (nnlib.exercises.nbNN)."""
    cells = {}
    for module in pkgutil.iter_modules(nnlib.exercises.__path__):
        if module.name.startswith("nb"):
            for exercise in framework.exercises_in(importlib.import_module(f"nnlib.exercises.{module.name}")):
                if isinstance(exercise, ScoredExercise):
                    cells.update({grade: (exercise, tier) for tier, grade in enumerate(tier_grade_ids(exercise))})
                else:
                    cells[grade_id("tests", exercise)] = (exercise, None)
    return cells


def labels_of(exercise):
    """A scored exercise's test labels, from the function its ``labels_from`` names (only the grader has it)."""
    module_name, _, function = exercise.labels_from.partition(":")
    return [int(label) for label in getattr(importlib.import_module(module_name), function)()]


def judge(exercise, tier, answers, labels=None):
    """(passed, text) for one tests cell: the exercise's own check on the answers, then a tier's count of right
    predictions against ``labels`` for a scored exercise."""
    options = {"keep": False} if isinstance(exercise, PieceExercise) else {}  # the grader saves no pieces
    status, message = exercise.feedback(*answers, **options)
    if status != "correct" or tier is None:
        return status == "correct", f"Exercise {exercise.id}: {message}"
    predictions, n, needed = answers[0], len(labels), exercise.tiers[tier].minimum_correct
    correct = sum(int(label) == true for label, true in zip(list(predictions), labels))
    accuracy = f"test accuracy: {correct / n:.1%} ({correct} of {n} test cases right)"
    if correct >= needed:
        return True, accuracy
    return False, f"{accuracy}; these points need at least {needed}"


def outputs(passed, text):
    """A tests cell's outputs as nbgrader scores them: a printed line if it passed, an error if not."""
    if passed:
        return [nbformat.v4.new_output("stream", name="stdout", text=f"{text} (graded outside your notebook)\n")]
    return [nbformat.v4.new_output("error", ename="AssertionError", evalue=text,
                                   traceback=[f"AssertionError: {text}",
                                              "(graded outside your notebook, from the answers it holds)"])]
