"""How long one sitting with each notebook takes, estimated the same way for every notebook.

The course promises one sitting of about 60 minutes per notebook. Until learners are timed, the estimate is a
reading model, stated here so that it can be checked and argued with:

- prose at 150 words a minute: careful reading of technical text with formulas (about half a typical speed);
- code at 10 lines a minute: reading a cell, running it and looking at what it printed or drew;
- each exercise: 3 minutes to read it and check, plus 1 minute per line the learner writes (a line of the
  solution that the starting cell does not have; comments not counted);
- each explorer widget (a slider or a playground to try): 4 minutes of trying.

``python tools/sitting_time.py`` prints the table; ``tests/test_sitting_time.py`` holds every notebook to it.
"""
import importlib
import json
import re
import sys
from pathlib import Path

WORDS_PER_MINUTE, CODE_LINES_PER_MINUTE = 150, 10
EXERCISE_MINUTES, MINUTES_PER_WRITTEN_LINE, WIDGET_MINUTES = 3, 1, 4
EXPLORERS = re.compile(r"\b(LineFitter|GradientDescentExplorer|BatchSizeExplorer|ValidationExplorer|NeuronWidget|"
                       r"ArchitectureWidget|OptimizerExplorer|Playground)\(")
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def written_lines(exercise):
    """The lines a learner writes: those of the solution that the starting cell lacks (comments not counted)."""
    given = {line.strip() for line in exercise.placeholder.splitlines()}
    return sum(1 for line in exercise.solution_code.splitlines()
               if line.strip() and line.strip() not in given and not line.strip().startswith("#"))


def exercises(notebook):
    """The exercises of the notebook's module ``nnlib.exercises.nb<number>`` (none if it has no module)."""
    from nnlib.exercises.framework import Exercise

    try:
        module = importlib.import_module(f"nnlib.exercises.nb{notebook.name.split('_')[0]}")
    except ModuleNotFoundError:
        return []
    return [value for value in vars(module).values() if isinstance(value, Exercise)]


def minutes(notebook):
    """{"prose", "code", "exercises", "widgets", "total"}: estimated minutes for one notebook (a Path)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = {kind: ["".join(cell["source"]) for cell in cells if cell["cell_type"] == kind]
            for kind in ("markdown", "code")}
    parts = {
        "prose": sum(len(source.split()) for source in text["markdown"]) / WORDS_PER_MINUTE,
        "code": sum(len(source.strip().splitlines()) for source in text["code"]) / CODE_LINES_PER_MINUTE,
        "exercises": sum(EXERCISE_MINUTES + MINUTES_PER_WRITTEN_LINE * written_lines(exercise)
                         for exercise in exercises(notebook)),
        "widgets": WIDGET_MINUTES * sum(len(EXPLORERS.findall(source)) for source in text["code"]),
    }
    return {**parts, "total": sum(parts.values())}


def main():
    columns = ("total", "prose", "code", "exercises", "widgets")
    print(f"{'notebook':40s}" + "".join(f"{name:>10s}" for name in columns) + "   (minutes)")
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        estimate = minutes(notebook)
        print(f"{notebook.stem:40s}" + "".join(f"{estimate[name]:10.0f}" for name in columns))


if __name__ == "__main__":
    sys.exit(main())
