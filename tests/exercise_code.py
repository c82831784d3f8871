"""Run an exercise's placeholder or solution code the way its notebook would."""
import itertools
import linecache

import numpy as np

import nnlib


def run(code, **namespace):
    """exec ``code`` with np, nnlib and the given notebook variables; returns the namespace."""
    namespace = {"np": np, "nnlib": nnlib, **namespace}
    exec(code, namespace)
    return namespace


_CELLS = itertools.count()


def define(code, **namespace):
    """``run`` ``code`` as a notebook cell: its source stays readable (``inspect.getsource``), as IPython keeps each
    cell's code in ``linecache``, so a piece defined here can be saved to the learner's library."""
    name = f"<cell-{next(_CELLS)}>"
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)
    namespace = {"np": np, "nnlib": nnlib, **namespace}
    exec(compile(code, name, "exec"), namespace)
    return namespace


def run_notebook(path, module=None, extra=None, timeout=600):
    """Execute notebook ``path`` in a fresh kernel, with ``module``'s solutions in its exercise cells (None: as it is)
    and ``extra`` code appended as a last cell; returns everything it printed."""
    import re

    import nbformat
    from nbclient import NotebookClient

    from nnlib.exercises.framework import exercises_in

    notebook = nbformat.read(path, as_version=4)
    solutions = {exercise.id: exercise.solution_code for exercise in exercises_in(module)} if module else {}
    for cell in notebook.cells:
        if (match := re.match(r"# Exercise (\S+): ", cell.source)) and match.group(1) in solutions:
            cell.source = solutions[match.group(1)]
    if extra:
        notebook.cells.append(nbformat.v4.new_code_cell(extra))
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", []))
